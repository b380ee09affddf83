"""Extraction accuracy on the fixture site against its hand-written ground truth.

Prints title and date exact-match rates and body token-level F1 (bag of
words), per page and overall. Targets (issue 6): title and date >= 98 %,
body F1 >= 0.95. Run: ``.venv/bin/python benchmarks/bench_extract.py``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from naio_nlp.errors import ExtractionError
from naio_nlp.extract import JsShellError, extract_html, extract_pdf

SITE = Path(__file__).resolve().parents[1] / "tests" / "collect" / "site"


def tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def token_f1(predicted: str, expected: str) -> float:
    p, e = tokens(predicted), tokens(expected)
    overlap = sum((p & e).values())
    if not p or not e or not overlap:
        return 1.0 if p == e else 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(e.values())
    return 2 * precision * recall / (precision + recall)


def page_file(path: str) -> Path:
    target = SITE / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


@dataclass
class Score:
    path: str
    title_ok: bool
    date_ok: bool
    f1: float
    note: str = ""


def score_page(path: str, truth: dict[str, object]) -> Score:
    content = page_file(path).read_bytes()
    url = "https://fixture.example" + path
    if truth.get("js_shell"):
        try:
            extract_html(content, url=url)
        except JsShellError:
            return Score(path, True, True, 1.0, "JS shell detected")
        return Score(path, False, False, 0.0, "JS shell NOT detected")
    try:
        if truth.get("pdf"):
            fallback = truth.get("fallback_title")
            page = extract_pdf(
                content, url=url, fallback_title=fallback if isinstance(fallback, str) else None
            )
        else:
            page = extract_html(content, url=url)
    except ExtractionError as exc:
        return Score(path, False, False, 0.0, f"error: {exc}")
    published = page.published.isoformat() if page.published else None
    note = []
    if page.title != truth["title"]:
        note.append(f"title={page.title!r}")
    if published != truth["date"]:
        note.append(f"date={published}")
    return Score(
        path,
        page.title == truth["title"],
        published == truth["date"],
        token_f1(page.text, str(truth["body"])),
        "; ".join(note),
    )


def evaluate() -> list[Score]:
    truth = json.loads((SITE / "truth.json").read_text(encoding="utf-8"))
    return [score_page(path, expected) for path, expected in sorted(truth.items())]


def main() -> int:
    scores = evaluate()
    print(f"{'page':58} title date  body F1")
    for s in scores:
        title_mark = "ok" if s.title_ok else "MISS"
        date_mark = "ok" if s.date_ok else "MISS"
        print(f"{s.path[:58]:58} {title_mark:5} {date_mark:5} {s.f1:.3f} {s.note}")
    n = len(scores)
    title = sum(s.title_ok for s in scores) / n
    when = sum(s.date_ok for s in scores) / n
    f1 = sum(s.f1 for s in scores) / n
    print(
        f"\n{n} pages: title exact {title:.1%}, date exact {when:.1%}, mean body token F1 {f1:.3f}"
    )
    print("targets: title >= 98%, date >= 98%, body F1 >= 0.95")
    return 0 if title >= 0.98 and when >= 0.98 and f1 >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
