"""Offline language identification: English or Malay, for a document or a page.

py3langid ships its model as a compressed NumPy archive (no pickle) and is
fast enough to run on every document. Indonesian is allowed as a candidate
because short Malay texts often score as Indonesian; both count as Malay.
The classifier routes each document with :func:`detect_language`; the
collector labels each page with :func:`page_language`, which can also say
``mixed``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["WINDOW", "detect_language", "page_language"]

#: Characters the identifier reads. Its cost grows with them (it walks the bytes
#: in Python) and English vs Malay needs few: on the 624 English and Malay
#: training documents, 120, 160 and 400 characters all route every one right.
WINDOW = 160


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # raw scores: only the best language is used, so normalising them is wasted work
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    ident.set_languages(["en", "ms", "id"])
    return ident


def detect_language(text: str) -> str:
    """``"en"`` or ``"ms"`` from the first :data:`WINDOW` characters (English when empty)."""
    head = text[:WINDOW]
    if not head.strip():
        return "en"
    lang, _ = _identifier().classify(head)
    return "ms" if lang in ("ms", "id") else "en"


def page_language(text: str, *, hint: str | None = None) -> str | None:
    """``en``, ``ms`` or ``mixed`` from the paragraphs' languages, weighted by length.

    Malay pages often quote English names and terms; a page is called mixed
    only when at least a fifth of its text is in each language. Short texts
    fall back to ``hint`` (the page's ``lang`` attribute), else None.
    """
    paragraphs = [p for p in text.split("\n") if len(p) >= 40]
    total = sum(len(p) for p in paragraphs)
    if total < 80:
        return _from_hint(hint)
    ms = sum(len(p) for p in paragraphs if detect_language(p) == "ms")
    share = ms / total
    if share >= 0.8:
        return "ms"
    if share <= 0.2:
        return "en"
    return "mixed"


def _from_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    low = hint.lower()
    if low.startswith(("ms", "bm", "zsm")):
        return "ms"
    if low.startswith("en"):
        return "en"
    return None
