"""Small wording helpers shared by messages, so that counts read as English."""

from __future__ import annotations

import json

__all__ = ["figure", "json_problem", "plural"]


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 problem"``, ``"2 problems"``, ``"0 problems"``; irregular nouns pass ``plural_form``.

    The count is written with thousands separators (``"1,024 documents"``).
    """
    word = noun if count == 1 else (plural_form or f"{noun}s")
    return f"{count:,} {word}"


def figure(value: float | None, digits: int = 3) -> str:
    """A score to ``digits`` places, or ``n/a`` where there was nothing to score.

    A split without artifacts has no artifact-type F1: 0.000 would read as a
    model that got every one wrong.
    """
    return "n/a" if value is None else f"{value:.{digits}f}"


def json_problem(exc: json.JSONDecodeError) -> str:
    """What :mod:`json` refused and where: ``Expecting value at column 1``.

    Some of its messages already end in "at" ("Unterminated string starting at",
    "Invalid control character at"); those get only the column.
    """
    where = "column" if exc.msg.endswith(" at") else "at column"
    return f"{exc.msg} {where} {exc.colno}"
