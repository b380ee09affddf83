"""Helpers shared by the batch tests (imported by name: tests have no packages)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from naio_nlp.errors import InputError

ARTICLES: list[dict[str, Any]] = [
    {
        "id": "a1",
        "title": "NAIO opens applications for the AI regulatory sandbox",
        "text": "The National AI Office (NAIO) today opened applications for the first "
        "cohort of the National AI Regulatory Sandbox. Up to 15 companies will be admitted "
        "and applications close on 29 August 2025.",
        "lang": "en",
    },
    {
        "id": "a2",
        "title": "Menteri: Malaysia mahu jadi hab AI serantau",
        "text": "Menteri Digital berkata Malaysia berhasrat menjadi hab kecerdasan buatan "
        "serantau menjelang 2030 dan Pejabat AI Negara akan memainkan peranan penting.",
        "lang": "ms",
    },
    {
        "id": "a3",
        "title": "Flash floods hit Kelantan",
        "text": "Heavy rain caused flash floods in several districts of Kelantan on Monday, "
        "and more than 2,000 residents were moved to relief centres.",
    },
]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def html_page(title: str, body: str, lang: str = "en") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>'
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>© 2025</footer></body></html>"
    )


class Problems(list[tuple[str, str, int | None, str]]):
    """Collects what classify_files reports, as (class name, source, line, message)."""

    def __call__(self, problem: InputError) -> None:
        self.append((type(problem).__name__, problem.source, problem.line, problem.message))

    def messages(self) -> list[str]:
        return [m for _, _, _, m in self]
