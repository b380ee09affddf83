"""Synthetic classified documents for the report tests, deterministic by seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from naio_nlp.labels import ARTIFACT_TYPES, DOMAINS
from naio_nlp.schema import Article, Evidence, EvidenceSentence, Prediction

Rows = list[tuple[Article, Prediction]]
SOURCES = ("kd-media", "naio", "tech-wire", "suara-digital", None)


def synthetic_rows(n: int, seed: int = 7) -> Rows:
    """``n`` plausible (Article, Prediction) pairs over 2025–2026, some undated."""
    rng = random.Random(seed)
    rows: Rows = []
    for i in range(n):
        status = rng.choices(["artifact", "symbolic", "unrelated"], weights=[4, 4, 3])[0]
        kind = rng.choice(list(ARTIFACT_TYPES)) if status == "artifact" else None
        domains = tuple(rng.sample(list(DOMAINS), rng.randint(0, 3)))
        day = date(2025, 1, 1).toordinal() + rng.randint(0, 690)
        published: date | None = date.fromordinal(day)
        fetched: datetime | None = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        if i % 13 == 5:  # no publication date: dated by fetch time
            published = None
            fetched = datetime.combine(date.fromordinal(day), datetime.min.time(), UTC)
        if i % 17 == 3:  # no date at all
            published, fetched = None, None
        conf = round(rng.uniform(0.45, 0.99), 3)
        rest = (1 - conf) / 2
        probs = {s: rest for s in ("artifact", "symbolic", "unrelated")}
        probs[status] = conf
        text = f"Body of synthetic document {i}. NAIO did something on day {day}."
        article = Article(
            id=f"doc-{i:03d}",
            title=f"Synthetic announcement {i}",
            text=text,
            url=f"https://example.org/news/{i}",
            source=SOURCES[i % len(SOURCES)],
            published=published,
            fetched_at=fetched,
            language="en",
        )
        evidence = Evidence(
            sentences=(
                EvidenceSentence(
                    text=f"NAIO did something on day {day}.", start=0, end=10, score=0.9
                ),
                EvidenceSentence(text="A weaker sentence.", start=11, end=20, score=0.2),
            ),
            naio_role="operative" if status == "artifact" else "cited",
        )
        prediction = Prediction(
            article_id=article.id,
            status=status,
            artifact_type=kind,
            domains=domains,
            status_probs=probs,
            needs_review=conf < 0.6,
            evidence=evidence,
            model_version="naio-clf-2026.11",
        )
        rows.append((article, prediction))
    return rows


@pytest.fixture(scope="session")
def make_rows() -> Callable[..., Rows]:
    return synthetic_rows
