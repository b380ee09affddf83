"""Reviews out of the store, into the corpus format, so ``naio-nlp train`` learns from them.

Each reviewed store article becomes one corpus record whose labels are the
latest live review's, with its provenance (the original URL, the reviewer,
when, the model version and labels it corrected, the note). Its id is
``rv_<source>-<article id>``: the part before ``-`` is the writing batch that
group-wise cross-validation keeps on one side of a fold, so documents from one
site never sit on both sides.

Reviews of corpus records (label-issue suspects from ``corpus/train.jsonl``)
are not written here: the corpus is edited by hand, so they are returned as
corrections to apply.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..labels import LANGUAGES
from ..language import detect_language
from ..store import Review, Store
from .queue import CORPUS_PREFIX

__all__ = ["ExportSummary", "export_reviewed", "reviewed_record"]

_BATCH_CHARS = re.compile(r"[^A-Za-z0-9_]+")


@dataclass
class ExportSummary:
    """What ``export_reviewed`` wrote and what it left for a person."""

    written: int = 0
    changed: int = 0  # reviews whose labels differ from the model's
    corpus_corrections: list[Review] = field(default_factory=list)
    missing_articles: list[str] = field(default_factory=list)


def reviewed_record(store: Store, review: Review, *, genre: str = "news") -> dict[str, Any] | None:
    """The corpus record for one review of a store article (None if the article is gone)."""
    article = store.article(review.article_id)
    if article is None:
        return None
    batch = _BATCH_CHARS.sub("_", article.source or "store").strip("_") or "store"
    lang = article.language
    if lang not in LANGUAGES:
        lang = detect_language(f"{article.title}\n{article.text}")
    labels = review.labels
    return {
        "id": f"rv_{batch}-{article.id}",
        "title": article.title,
        "text": article.text,
        "lang": lang,
        "genre": genre,
        "date": None if article.published is None else article.published.isoformat(),
        "source": article.source,
        "status": labels.status,
        "artifact_type": labels.artifact_type,
        "domains": list(labels.domains),
        "provenance": {
            "url": article.url,
            "reviewer": review.reviewer,
            "reviewed_at": review.reviewed_at,
            "model_version": review.model_version,
            "model_labels": None if review.model_labels is None else review.model_labels.to_dict(),
            "note": review.note,
        },
    }


def export_reviewed(
    store: Store,
    out: Path,
    *,
    genre: str = "news",
    keep_if_none: bool = False,
    in_place: bool = False,
) -> ExportSummary:
    """Write every reviewed store article's latest live review to ``out`` (JSONL).

    The file is replaced atomically (written beside it, then renamed), so an
    interrupted export never leaves half a corpus file for ``train`` to read.
    With ``keep_if_none``, a store with nothing to export leaves an existing
    ``out`` as it was (``summary.written`` is then 0 and nothing is written).
    With ``in_place`` (``/dev/null``, ``/dev/stdout``, a pipe) ``out`` is written
    directly, as standard output is.
    """
    summary, lines = _reviewed_lines(store, genre)
    if in_place:  # a device or pipe: a file renamed onto it would replace the device
        with out.open("w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
        return summary
    if not lines and keep_if_none and out.exists():
        return summary
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(tmp, out)
    return summary


def _reviewed_lines(store: Store, genre: str) -> tuple[ExportSummary, list[str]]:
    summary = ExportSummary()
    lines: list[str] = []
    for review in store.latest_reviews():
        if review.article_id.startswith(CORPUS_PREFIX):
            summary.corpus_corrections.append(review)
            continue
        record = reviewed_record(store, review, genre=genre)
        if record is None:
            summary.missing_articles.append(review.article_id)
            continue
        lines.append(json.dumps(record, ensure_ascii=False))
        summary.written += 1
        summary.changed += review.agrees is False
    return summary, lines
