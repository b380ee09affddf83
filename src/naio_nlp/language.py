"""Offline language identification: English or Malay.

py3langid ships its model as a compressed NumPy archive (no pickle) and is
fast enough to run on every document. Indonesian is allowed as a candidate
because short Malay texts often score as Indonesian; both route to Malay.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["detect_language"]


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # raw scores: only the best language is used, so normalising them is wasted work
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    ident.set_languages(["en", "ms", "id"])
    return ident


def detect_language(text: str) -> str:
    """``"en"`` or ``"ms"`` for the given text (English when there is no text)."""
    if not text.strip():
        return "en"
    lang, _ = _identifier().classify(text)
    return "ms" if lang in ("ms", "id") else "en"
