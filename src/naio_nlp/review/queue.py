"""The review queue: the documents most worth a person's look, first.

Four tiers, in this order:

1. ``needs_review``: the classifier abstained (it marks these itself);
2. ``low_margin``: the smallest gap between the two most probable statuses,
   below ``margin_cut``;
3. ``label_issue``: suspected label errors among labelled documents, from the
   corpus and from earlier reviews (confident learning, :mod:`.issues`);
4. ``audit``: a seeded random sample of the remaining confident calls, so the
   reviewer also checks what the model is sure of.

Within tiers 1 and 2 the order is :func:`uncertainty_order`, which the
active-learning benchmark uses too. Documents already reviewed leave tiers 1,
2 and 4 (a person has looked); they come back only as tier-3 suspects.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt

from ..corpus import CorpusRecord
from ..errors import InputError
from ..labels import DOMAINS, LANGUAGES, STATUSES
from ..schema import Article, Prediction
from ..store import Review, Store
from .issues import LabelIssues, find_label_issues

__all__ = [
    "CORPUS_PREFIX",
    "Filters",
    "QueueItem",
    "Reason",
    "build_queue",
    "status_margin",
    "uncertainty_order",
]

Reason = Literal["needs_review", "low_margin", "label_issue", "audit"]
REASONS: dict[str, str] = {
    "needs_review": "the model abstained",
    "low_margin": "two statuses nearly tied",
    "label_issue": "given label looks wrong",
    "audit": "random audit of a confident call",
}
#: Queue keys of corpus records carry this prefix; store article ids never contain ':'.
CORPUS_PREFIX = "corpus:"


def status_margin(status_probs: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Per row, the probability of the top status minus that of the runner-up."""
    p = np.sort(np.asarray(status_probs, dtype=np.float64), axis=1)
    if p.shape[1] < 2:
        return np.ones(p.shape[0])
    result: npt.NDArray[np.float64] = p[:, -1] - p[:, -2]
    return result


def uncertainty_order(
    status_probs: npt.NDArray[np.float64], needs_review: npt.NDArray[np.bool_] | None = None
) -> npt.NDArray[np.int64]:
    """Indices, most useful to review first: abstentions, then the smallest status margin."""
    margin = status_margin(status_probs)
    flagged = (
        np.zeros(len(margin), dtype=bool) if needs_review is None else np.asarray(needs_review)
    )
    # lexsort: last key is primary; flagged (True) first, then margin ascending, then index
    order = np.lexsort((np.arange(len(margin)), margin, ~flagged))
    return order.astype(np.int64)


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One entry of the queue, with what the list and the filters need."""

    key: str  # store article id, or CORPUS_PREFIX + corpus id
    reason: Reason
    title: str
    source: str | None
    published: str | None  # ISO date
    language: str | None
    status: str  # the model's call, or the given label for a suspect
    artifact_type: str | None
    domains: tuple[str, ...]
    margin: float | None = None
    p_given: float | None = None  # suspects: out-of-fold probability of the given label
    suggested: str | None = None  # suspects: the out-of-fold model's status
    confident: bool = False  # suspects: confidently another class (ranked first)

    @property
    def why(self) -> str:
        return REASONS[self.reason]

    @property
    def is_corpus(self) -> bool:
        return self.key.startswith(CORPUS_PREFIX)


@dataclass(frozen=True, slots=True)
class Filters:
    """What the reviewer narrowed the queue to; empty fields match everything."""

    status: str = ""
    domain: str = ""
    source: str = ""
    language: str = ""
    since: str = ""  # ISO dates, inclusive
    until: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        """Read filters from a query string, refusing unknown labels and bad dates."""
        f = cls(**{fl.name: (query.get(fl.name) or "").strip() for fl in fields(cls)})
        for name, value, vocab in (
            ("status", f.status, STATUSES),
            ("domain", f.domain, DOMAINS),
            ("language", f.language, LANGUAGES),
        ):
            if value and value not in vocab:
                raise InputError("filter", f"{name} {value!r} is not one of {', '.join(vocab)}")
        for name, value in (("since", f.since), ("until", f.until)):
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise InputError(
                        "filter", f"{name} {value!r} is not a date YYYY-MM-DD"
                    ) from None
        return f

    def to_query(self) -> dict[str, str]:
        """The non-empty filters, for links that keep them."""
        return {fl.name: getattr(self, fl.name) for fl in fields(self) if getattr(self, fl.name)}

    def matches(self, item: QueueItem) -> bool:
        if self.status and item.status != self.status:
            return False
        if self.domain and self.domain not in item.domains:
            return False
        if self.source and item.source != self.source:
            return False
        if self.language and item.language != self.language:
            return False
        if self.since and (item.published is None or item.published < self.since):
            return False
        return not (self.until and (item.published is None or item.published > self.until))


def _item(article: Article, p: Prediction, reason: Reason, margin: float) -> QueueItem:
    return QueueItem(
        key=article.id,
        reason=reason,
        title=article.title,
        source=article.source,
        published=None if article.published is None else article.published.isoformat(),
        language=article.language,
        status=p.status,
        artifact_type=p.artifact_type,
        domains=p.domains,
        margin=margin,
    )


def label_issue_items(
    corpus: Sequence[CorpusRecord],
    reviewed: Sequence[tuple[Article, Review]],
    *,
    seed: int = 0,
) -> tuple[list[QueueItem], LabelIssues | None]:
    """Tier 3: confident-learning suspects among corpus records and reviewed documents."""
    texts = [f"{r.title}\n{r.text}" for r in corpus] + [f"{a.title}\n{a.text}" for a, _ in reviewed]
    given = [r.status for r in corpus] + [rv.labels.status for _, rv in reviewed]
    if len(texts) < 10:
        return [], None
    issues = find_label_issues(texts, given, seed=seed)
    items: list[QueueItem] = []
    for i in issues.suspects:
        common = {
            "p_given": issues.p_given(i),
            "suggested": issues.suggested(i),
            "confident": i in issues.confident,
        }
        if i < len(corpus):
            r = corpus[i]
            items.append(
                QueueItem(
                    key=CORPUS_PREFIX + r.id,
                    reason="label_issue",
                    title=r.title,
                    source=r.source,
                    published=r.date,
                    language=r.lang,
                    status=r.status,
                    artifact_type=r.artifact_type,
                    domains=r.domains,
                    **common,  # type: ignore[arg-type]
                )
            )
        else:
            a, rv = reviewed[i - len(corpus)]
            items.append(
                QueueItem(
                    key=a.id,
                    reason="label_issue",
                    title=a.title,
                    source=a.source,
                    published=None if a.published is None else a.published.isoformat(),
                    language=a.language,
                    status=rv.labels.status,
                    artifact_type=rv.labels.artifact_type,
                    domains=rv.labels.domains,
                    **common,  # type: ignore[arg-type]
                )
            )
    return items, issues


def build_queue(
    store: Store,
    *,
    corpus: Sequence[CorpusRecord] = (),
    model_version: str | None = None,
    margin_cut: float = 0.5,
    audit: int = 50,
    seed: int = 0,
) -> list[QueueItem]:
    """The whole queue, most useful first (see the module docstring for the tiers)."""
    reviews = store.latest_reviews()
    reviewed_ids = {r.article_id for r in reviews}
    pairs = [(a, p) for a, p in store.predictions(model_version=model_version)]
    open_pairs = [(a, p) for a, p in pairs if a.id not in reviewed_ids]
    queue: list[QueueItem] = []
    rest: list[QueueItem] = []
    if open_pairs:
        probs = np.array([[p.status_probs.get(s, 0.0) for s in STATUSES] for _, p in open_pairs])
        flagged = np.array([p.needs_review for _, p in open_pairs], dtype=bool)
        margins = status_margin(probs)
        for i in uncertainty_order(probs, flagged):
            a, p = open_pairs[i]
            m = float(margins[i])
            if flagged[i]:
                queue.append(_item(a, p, "needs_review", m))
            elif m < margin_cut:
                queue.append(_item(a, p, "low_margin", m))
            else:
                rest.append(_item(a, p, "audit", m))
    reviewed: list[tuple[Article, Review]] = []
    for rv in reviews:
        art = store.article(rv.article_id)
        if art is not None:
            reviewed.append((art, rv))
    suspects, _ = label_issue_items(corpus, reviewed, seed=seed)
    queue.extend(suspects)
    rng = random.Random(seed)
    queue.extend(rng.sample(rest, min(audit, len(rest))))
    return queue
