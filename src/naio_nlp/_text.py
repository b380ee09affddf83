"""Small wording helpers shared by messages, so that counts read as English."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 problem"``, ``"2 problems"``, ``"0 problems"``; irregular nouns pass ``plural_form``.

    The count is written with thousands separators (``"1,024 documents"``).
    """
    word = noun if count == 1 else (plural_form or f"{noun}s")
    return f"{count:,} {word}"
