"""The queue's order, its filters, and the confident-learning suspects."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from naio_nlp.corpus import read_corpus
from naio_nlp.errors import InputError
from naio_nlp.review import Filters, build_queue, find_label_issues, uncertainty_order
from naio_nlp.store import Review, ReviewedLabels, Store

ROOT = Path(__file__).resolve().parents[2]


def test_uncertainty_order_puts_abstentions_then_small_margins_first() -> None:
    probs = np.array([[0.9, 0.05, 0.05], [0.5, 0.45, 0.05], [0.4, 0.35, 0.25], [0.6, 0.2, 0.2]])
    flagged = np.array([False, False, False, True])
    assert uncertainty_order(probs, flagged).tolist() == [3, 1, 2, 0]
    assert uncertainty_order(probs).tolist() == [1, 2, 3, 0]


def test_queue_tiers_and_reviewed_documents_leave_it(review_db: tuple[Path, list[str]]) -> None:
    db, order = review_db
    with Store(db) as store:
        queue = build_queue(store, audit=3)
        assert [i.key for i in queue[:5]] == order
        assert [i.reason for i in queue] == ["needs_review"] * 2 + ["low_margin"] * 3 + [
            "audit"
        ] * 3
        assert {i.key for i in queue[5:]} == {"a06", "a07", "a08"}
        assert len(build_queue(store, audit=1)) == 6
        store.save_review(
            Review(order[0], "aisyah", ReviewedLabels("unrelated", None, ()), model_version="m")
        )
        assert order[0] not in [i.key for i in build_queue(store, audit=3)]


def test_filters(review_db: tuple[Path, list[str]]) -> None:
    db, _ = review_db
    with Store(db) as store:
        queue = build_queue(store, audit=3)
    pick = lambda **kw: [i.key for i in queue if Filters.from_query(kw).matches(i)]  # noqa: E731
    assert pick(language="ms") == ["a02"]
    assert pick(domain="talent") == ["a01"]
    assert sorted(pick(source="naio")) == ["a01", "a06"]
    assert sorted(pick(status="artifact")) == ["a03", "a04", "a06"]
    assert sorted(pick(since="2025-07-01", until="2025-07-31")) == ["a06", "a07"]
    with pytest.raises(InputError, match="status 'done' is not one of"):
        Filters.from_query({"status": "done"})
    with pytest.raises(InputError, match="since '2025-13-01' is not a date"):
        Filters.from_query({"since": "2025-13-01"})


def test_label_issues_find_flipped_labels_in_the_corpus() -> None:
    records = read_corpus(ROOT / "corpus" / "train.jsonl")[:300]
    rng = random.Random(1)
    flipped = set(rng.sample(range(len(records)), 15))
    labels = []
    for i, r in enumerate(records):
        other = [s for s in ("artifact", "symbolic", "unrelated") if s != r.status]
        labels.append(rng.choice(other) if i in flipped else r.status)
    issues = find_label_issues([f"{r.title}\n{r.text}" for r in records], labels, seed=0)
    found = set(issues.suspects)
    assert len(found & flipped) >= 10  # most planted errors are caught
    assert len(found) < len(records) / 2  # and the list is not everything
    # the most suspicious are mostly planted ones
    assert len(set(issues.suspects[:10]) & flipped) >= 6
    for i in issues.suspects:
        assert issues.p_given(i) < issues.thresholds[labels[i]]


def test_label_issues_need_two_classes() -> None:
    issues = find_label_issues(["a text", "another"], ["symbolic", "symbolic"])
    assert issues.suspects == ()


def test_corpus_suspects_join_the_queue(review_db: tuple[Path, list[str]]) -> None:
    db, _ = review_db
    records = list(read_corpus(ROOT / "corpus" / "train.jsonl")[:120])
    # one record relabelled against its evident meaning
    bad = next(r for r in records if r.status == "unrelated")
    from dataclasses import replace

    records[records.index(bad)] = replace(bad, status="artifact", artifact_type="action_plan")
    with Store(db) as store:
        queue = build_queue(store, corpus=records, audit=0)
    suspects = [i for i in queue if i.reason == "label_issue"]
    assert suspects and all(i.is_corpus and i.p_given is not None for i in suspects)
    assert f"corpus:{bad.id}" in [i.key for i in suspects]
    assert queue.index(suspects[0]) == 5  # after the abstentions and close calls


def test_highlight_cuts_the_text_by_evidence() -> None:
    from naio_nlp.review.app import highlight
    from naio_nlp.schema import EvidenceSentence

    text = "One. Two. Three."
    chunks = highlight(
        text,
        [
            EvidenceSentence("Two.", 5, 9, 1.0, "domain:talent"),
            EvidenceSentence("Two.", 5, 9, 1.0, "type:action_plan"),  # same sentence: merged
            EvidenceSentence("One.", 0, 4, 2.0, "status:artifact"),
            EvidenceSentence("e. Tw", 3, 7, 0.5, "status:symbolic"),  # overlaps: dropped
            EvidenceSentence("x", 10, 99, 0.5, "status:symbolic"),  # past the end: dropped
        ],
    )
    assert "".join(c for c, _, _ in chunks) == text
    assert [(c, kind, label) for c, kind, label in chunks if kind] == [
        ("One.", "status", "status:artifact"),
        ("Two.", "type", "domain:talent, type:action_plan"),
    ]


def test_the_queue_page_lists_50_label_issues_and_says_how_many_more(
    review_db: tuple[Path, list[str]], server: Callable[..., Any]
) -> None:
    """A third of a clean corpus is suspected; the page lists 50 and counts the rest."""
    import re

    import httpx

    from naio_nlp.review.app import LABEL_ISSUES_LISTED, create_app

    db, _ = review_db
    records = read_corpus(ROOT / "corpus" / "train.jsonl")[:300]
    app = create_app(db, reviewer="aisyah", corpus=records, audit=0)
    suspects = sum(1 for i in app.state.review.queue if i.reason == "label_issue")
    assert suspects > LABEL_ISSUES_LISTED
    with server(app) as base:
        page = httpx.get(base + "/").text
    rows = re.findall(r'<tr class="reason-label_issue">', page)
    assert len(rows) == LABEL_ISSUES_LISTED == 50
    more = suspects - 50
    note = " ".join(
        re.search(r'<p class="notice" id="more-issues">(.*?)</p>', page, re.S)[1].split()
    )
    assert note.startswith(f"Only the 50 most suspicious label issues are listed; {more} more are")
    assert f"{suspects} given label looks wrong" in page  # the count above the list is all of them


def test_cap_label_issues_keeps_other_rows_and_the_order() -> None:
    from naio_nlp.review.app import cap_label_issues
    from naio_nlp.review.queue import QueueItem

    def item(key: str, reason: str) -> QueueItem:
        return QueueItem(
            key=key, reason=reason, title=key, source=None, published=None, language=None,
            status="symbolic", artifact_type=None, domains=(),
        )  # fmt: skip

    items = [item("a", "needs_review"), *(item(f"s{i}", "label_issue") for i in range(4))]
    items.append(item("z", "audit"))
    listed, more = cap_label_issues(items, 2)
    assert [i.key for i in listed] == ["a", "s0", "s1", "z"] and more == 2
    assert cap_label_issues(items, 10) == (items, 0)
