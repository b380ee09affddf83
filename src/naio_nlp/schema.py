"""The typed data model that crosses every stage boundary.

``Article`` is what the collector stores and the classifier reads;
``Prediction`` is what the classifier returns and the report aggregates.
They are frozen and validate themselves on construction, so an invalid
label, an ``artifact_type`` on a non-artifact, or a probability outside
[0, 1] fails where it is made, with the field named, instead of surfacing
later as a wrong chart.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from .errors import InvalidFieldError
from .labels import ARTIFACT_TYPES, DOMAINS, LANGUAGES, STATUSES

__all__ = [
    "Article",
    "ArtifactSlots",
    "Evidence",
    "EvidenceSentence",
    "NaioRole",
    "Prediction",
    "content_hash",
]

NaioRole = Literal["operative", "cited", "absent"]
_NAIO_ROLES = ("operative", "cited", "absent")


def content_hash(title: str, text: str) -> str:
    """Stable hash of an article's visible content, used for dedup and revisions.

    Whitespace is folded so that re-wrapped HTML of the same release hashes
    the same.
    """
    folded = " ".join(f"{title}\n{text}".split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _one_of(field_name: str, value: object, vocabulary: Collection[str]) -> None:
    try:
        if value in vocabulary:
            return
    except TypeError:  # unhashable: certainly not a label
        pass
    raise InvalidFieldError(field_name, value, "one of " + ", ".join(vocabulary))


def _probability(field_name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidFieldError(field_name, value, "a number in [0, 1]")
    p = float(value)
    if math.isnan(p) or not 0.0 <= p <= 1.0:
        raise InvalidFieldError(field_name, value, "a number in [0, 1]")
    return p


def _probabilities(
    field_name: str, values: Mapping[str, float], vocabulary: Mapping[str, object]
) -> dict[str, float]:
    checked = dict(values)
    # the common case, checked in one pass: known labels, floats in [0, 1] (NaN fails)
    if checked.keys() <= vocabulary.keys() and all(
        type(p) is float and 0.0 <= p <= 1.0 for p in checked.values()
    ):
        return checked
    checked = {}
    for label, p in values.items():
        _one_of(f"{field_name}[{label!r}]", label, vocabulary)
        checked[label] = _probability(f"{field_name}[{label!r}]", p)
    return checked


@dataclass(frozen=True, slots=True)
class Article:
    """One public announcement or news article, as collected or as given."""

    id: str
    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    published: date | None = None
    language: str | None = None
    fetched_at: datetime | None = None
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise InvalidFieldError("id", self.id, "a non-empty string")
        if not isinstance(self.text, str):
            raise InvalidFieldError("text", self.text, "a string")
        if not isinstance(self.title, str):
            raise InvalidFieldError("title", self.title, "a string")
        if self.language is not None:
            _one_of("language", self.language, LANGUAGES)
        if self.published is not None and not isinstance(self.published, date):
            raise InvalidFieldError("published", self.published, "a date")
        if self.fetched_at is not None and not isinstance(self.fetched_at, datetime):
            raise InvalidFieldError("fetched_at", self.fetched_at, "a datetime")
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.title, self.text))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        d = asdict(self)
        if self.published is not None:
            d["published"] = self.published.isoformat()
        if self.fetched_at is not None:
            d["fetched_at"] = self.fetched_at.isoformat()
        return d


@dataclass(frozen=True, slots=True)
class EvidenceSentence:
    """A sentence of the input that moved a decision, located by character offsets."""

    text: str
    start: int
    end: int
    score: float
    supports: str = "status"

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise InvalidFieldError(
                "evidence.start/end", (self.start, self.end), "0 <= start <= end"
            )


@dataclass(frozen=True, slots=True)
class ArtifactSlots:
    """What an analyst wants to know about an artifact, as written in the text."""

    name: str | None = None
    agencies: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why the classifier decided what it did."""

    sentences: tuple[EvidenceSentence, ...] = ()
    naio_role: NaioRole = "absent"
    artifact: ArtifactSlots | None = None

    def __post_init__(self) -> None:
        _one_of("evidence.naio_role", self.naio_role, _NAIO_ROLES)


@dataclass(frozen=True, slots=True)
class Prediction:
    """The classifier's labels for one article, with probabilities and evidence.

    ``status_probs`` has one entry per status, ``artifact_type_probs`` one per
    artifact type (conditional on the document being an artifact), and
    ``domain_probs`` one independent probability per working-group domain.
    """

    article_id: str
    status: str
    artifact_type: str | None
    domains: tuple[str, ...]
    status_probs: Mapping[str, float]
    artifact_type_probs: Mapping[str, float] = field(default_factory=dict)
    domain_probs: Mapping[str, float] = field(default_factory=dict)
    needs_review: bool = False
    evidence: Evidence = field(default_factory=Evidence)
    model_version: str = ""

    def __post_init__(self) -> None:
        _one_of("status", self.status, STATUSES)
        if self.status == "artifact":
            if self.artifact_type is None:
                raise InvalidFieldError(
                    "artifact_type", None, "an artifact type when status is 'artifact'"
                )
            _one_of("artifact_type", self.artifact_type, ARTIFACT_TYPES)
        elif self.artifact_type is not None:
            raise InvalidFieldError(
                "artifact_type",
                self.artifact_type,
                f"None when status is {self.status!r} (only artifacts have a type)",
            )
        domains = tuple(self.domains)
        for d in domains:
            _one_of("domains", d, DOMAINS)
        if len(set(domains)) != len(domains):
            raise InvalidFieldError("domains", domains, "no repeated domain")
        object.__setattr__(self, "domains", domains)
        object.__setattr__(
            self, "status_probs", _probabilities("status_probs", self.status_probs, STATUSES)
        )
        object.__setattr__(
            self,
            "artifact_type_probs",
            _probabilities("artifact_type_probs", self.artifact_type_probs, ARTIFACT_TYPES),
        )
        object.__setattr__(
            self, "domain_probs", _probabilities("domain_probs", self.domain_probs, DOMAINS)
        )

    @property
    def confidence(self) -> float:
        """Probability of the chosen status."""
        return self.status_probs.get(self.status, 0.0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; the shape batch output and the store use."""
        ev = self.evidence
        return {
            "id": self.article_id,
            "status": self.status,
            "artifact_type": self.artifact_type,
            "domains": list(self.domains),
            "needs_review": self.needs_review,
            "status_probs": dict(self.status_probs),
            "artifact_type_probs": dict(self.artifact_type_probs),
            "domain_probs": dict(self.domain_probs),
            "evidence": {
                "naio_role": ev.naio_role,
                # built by hand: dataclasses.asdict deep-copies and costs more than the rest
                "sentences": [
                    {
                        "text": s.text,
                        "start": s.start,
                        "end": s.end,
                        "score": s.score,
                        "supports": s.supports,
                    }
                    for s in ev.sentences
                ],
                "artifact": None
                if (a := ev.artifact) is None
                else {
                    "name": a.name,
                    "agencies": list(a.agencies),
                    "partners": list(a.partners),
                    "date": a.date,
                },
            },
            "model_version": self.model_version,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Prediction:
        """Inverse of :meth:`to_dict`."""
        ev = d.get("evidence") or {}
        art = ev.get("artifact")
        return cls(
            article_id=d["id"],
            status=d["status"],
            artifact_type=d.get("artifact_type"),
            domains=tuple(d.get("domains", ())),
            status_probs=d.get("status_probs", {}),
            artifact_type_probs=d.get("artifact_type_probs", {}),
            domain_probs=d.get("domain_probs", {}),
            needs_review=bool(d.get("needs_review", False)),
            evidence=Evidence(
                sentences=tuple(EvidenceSentence(**s) for s in ev.get("sentences", ())),
                naio_role=ev.get("naio_role", "absent"),
                artifact=None
                if art is None
                else ArtifactSlots(
                    name=art.get("name"),
                    agencies=tuple(art.get("agencies", ())),
                    partners=tuple(art.get("partners", ())),
                    date=art.get("date"),
                ),
            ),
            model_version=d.get("model_version", ""),
        )
