"""Offline language identification: English or Malay, for a document or a page.

py3langid ships its model as a compressed NumPy archive (no pickle). Its own
``classify`` walks a text's bytes through the model's automaton one Python step
at a time, about 50 µs for a short head, which was the largest single cost of
classifying a document after tokenizing. :func:`detect_languages` runs the same
automaton and the same naive-Bayes scores over a whole batch at once, stepping
every text together with NumPy, and gives py3langid's own answer (a test holds
the two to it).

Indonesian is allowed as a candidate because short Malay texts often score as
Indonesian; both count as Malay. The classifier routes documents with
:func:`detect_languages`; the collector labels each page with
:func:`page_language`, which can also say ``mixed``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["WINDOW", "detect_language", "detect_languages", "page_language"]

#: Characters the identifier reads. English vs Malay needs few: on the 624
#: English and Malay training documents, 120, 160 and 400 characters all route
#: every one right.
WINDOW = 160

_CANDIDATES = ("en", "ms", "id")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier, restricted to the candidates, raw scores.

    Labelling never keeps one of these (see :func:`_batch_identifier`); tests
    use it as the reference answer.
    """
    return _new_identifier()


def _new_identifier() -> Any:
    """A py3langid identifier for the candidates, sharing py3langid's own arrays if loaded.

    If this process already holds py3langid's module-level identifier (someone
    called ``py3langid.classify``), its automaton and score table are reused, not
    read from disk a second time: only the candidates' columns are copied.
    """
    from py3langid import langid

    # raw scores: only the best language is used, so normalising them is wasted work
    shared = langid.IDENTIFIER
    if shared is None:
        ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=False)
    else:
        nb_ptc, nb_pc, nb_classes = shared._full_model
        ident = langid.LanguageIdentifier(
            nb_ptc,
            nb_pc,
            nb_classes,
            shared.tk_nextmove,
            shared.tk_output,
            norm_probs=False,
            tk_row=shared.tk_row,
        )
    ident.set_languages(list(_CANDIDATES))
    return ident


class _BatchIdentifier:
    """py3langid's model, read as arrays, scoring many texts per NumPy call.

    The automaton's transition table is viewed in place (no copy): it is the
    bulk of the model, about 40 MB.
    """

    def __init__(self, ident: Any) -> None:
        if ident._alias_pairs:  # pragma: no cover - only with other candidate sets
            raise ValueError("aliased language columns are not supported")
        self.next_state = np.frombuffer(ident.tk_nextmove, dtype=np.uint32)
        self.row_base = np.asarray(ident.tk_row, dtype=np.int64) << 8
        self.feature_of = np.asarray(ident.tk_output, dtype=np.int64)
        self.log_ptc = np.asarray(ident.nb_ptc, dtype=np.float64)
        self.log_pc = np.asarray(ident.nb_pc, dtype=np.float64)
        self.classes: list[str] = list(ident.nb_classes)

    def scores(self, texts: Sequence[bytes]) -> npt.NDArray[np.float64]:
        """Naive-Bayes log scores, one row per text, one column per class."""
        n, n_classes = len(texts), len(self.classes)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        width = int(lengths.max(initial=0))
        out = np.zeros((n, n_classes), dtype=np.float64)
        if width == 0:
            return out
        padded = b"".join(t.ljust(width, b"\0") for t in texts)
        by_step = np.ascontiguousarray(np.frombuffer(padded, dtype=np.uint8).reshape(n, width).T)
        states = np.empty((width, n), dtype=np.int64)
        state = np.zeros(n, dtype=np.int64)
        row_base, next_state = self.row_base, self.next_state
        for step in range(width):
            state = next_state[row_base[state] + by_step[step]].astype(np.int64)
            states[step] = state
        feature = self.feature_of[states]
        seen = (feature >= 0) & (np.arange(width)[:, None] < lengths[None, :])
        doc = np.broadcast_to(np.arange(n, dtype=np.int64), (width, n))[seen]
        keys, counts = np.unique(doc * self.log_ptc.shape[0] + feature[seen], return_counts=True)
        doc_of, feature_id = np.divmod(keys, self.log_ptc.shape[0])
        weighted = np.log1p(counts.astype(np.float64))[:, None] * self.log_ptc[feature_id]
        has = np.zeros(n, dtype=bool)
        if keys.size:
            firsts = np.flatnonzero(np.diff(doc_of, prepend=-1))
            out[doc_of[firsts]] = np.add.reduceat(weighted, firsts, axis=0)
            has[doc_of[firsts]] = True
        out += self.log_pc
        # no feature at all: py3langid gives every class the same floor, so the first wins
        out[~has] = 0.0
        return out

    def classify(self, texts: Sequence[str]) -> list[str]:
        """py3langid's best candidate for each text."""
        encoded = [_encode(t) for t in texts]
        best = self.scores(encoded).argmax(axis=1)
        return [self.classes[i] for i in best.tolist()]


def _encode(text: str) -> bytes:
    """py3langid's preparation of a text: all-caps lowered, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


@lru_cache(maxsize=1)
def _batch_identifier() -> _BatchIdentifier:
    """The arrays labelling needs, and nothing else of py3langid's model.

    A py3langid identifier also holds the score table of all its 97 languages
    (28 MB, float16) and its automaton's rows as Python lists (about 8 MB); the
    batch identifier needs three columns of the one and a view of the other.
    So the identifier it is built from is dropped unless one is already kept
    (:func:`_identifier`, or py3langid's own, whose automaton is shared).
    """
    if _identifier.cache_info().currsize:
        return _BatchIdentifier(_identifier())
    return _BatchIdentifier(_new_identifier())


def detect_languages(texts: Sequence[str]) -> list[str]:
    """``"en"`` or ``"ms"`` for each text, from its first :data:`WINDOW` characters.

    A text with nothing but whitespace there is English.
    """
    heads = [t[:WINDOW] for t in texts]
    todo = [i for i, h in enumerate(heads) if h.strip()]
    out = ["en"] * len(heads)
    if todo:
        found = _batch_identifier().classify([heads[i] for i in todo])
        for i, lang in zip(todo, found, strict=True):
            out[i] = "ms" if lang in ("ms", "id") else "en"
    return out


def detect_language(text: str) -> str:
    """``"en"`` or ``"ms"`` from the first :data:`WINDOW` characters (English when empty)."""
    return detect_languages([text])[0]


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
    langs = detect_languages(paragraphs)
    ms = sum(len(p) for p, lang in zip(paragraphs, langs, strict=True) if lang == "ms")
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
