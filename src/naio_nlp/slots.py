"""Artifact slots: the output's name, agencies, partners and date, as written in the text.

What an analyst wants beside the label. The name is the capitalised output
phrase (found by :mod:`naio_nlp.features`) nearest the passage that decided
the label; partners are names ending in a company or institution suffix; the
date is looked for in that passage first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from .dates import MONTHS_EN, MONTHS_MS
from .labels import NAIO_NAMES
from .schema import ArtifactSlots, EvidenceSentence

__all__ = ["artifact_slots"]

Float = npt.NDArray[np.float64]

# The leading lookaheads only skip positions where no match can start: they
# make the scans several times faster without changing what is found.
_MONTH_NAMES = "|".join(
    sorted({m.capitalize() for m in (*MONTHS_EN, *MONTHS_MS)}, key=len, reverse=True)
)
_DATE_RE = re.compile(
    r"(?=[\dJFMASOND])\b(\d{1,2}(?:\s*(?:-|–|to|hingga|dan)\s*\d{1,2})?\s+"
    rf"(?:{_MONTH_NAMES})\.?\s+\d{{4}}"
    rf"|(?:{_MONTH_NAMES})\.?\s+\d{{1,2}},\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b"
)
# Up to five capitalised words before a company or institution suffix, or
# "Universiti" and up to four capitalised words after it, on one line: the
# spaces are horizontal ([^\S\n]), so a name never runs across a line break.
_PARTNER_RE = re.compile(
    r"\b(?=[A-Z])(?:((?:[A-Z][\w&.'-]*+[^\S\n]++){0,5}(?:Sdn\.?[^\S\n]+Bhd\.?|Berhad|Bhd|"
    r"Inc\.?|Ltd\.?|Corporation|Corp\.?|Technologies|Labs|Foundation|University|Institute))"
    r"(?!\w)|(Universiti[^\S\n]+(?:[A-Z][\w-]*[^\S\n]*){1,4}))"
)
# Every partner match contains one of these; most texts hold none.
_PARTNER_HINT = re.compile(
    r"Sdn|Berhad|Bhd|Inc|Ltd|Corp|Technologies|Labs|Foundation|Universit|Institute"
)


def artifact_slots(
    text: str,
    body_start: int,
    named_outputs: Sequence[tuple[int, int, int]],
    agencies_found: Sequence[tuple[int, str]],
    c: Float,
    bounds: npt.NDArray[np.int64],
    sentences: Sequence[EvidenceSentence],
    cols: Mapping[str, int],
) -> ArtifactSlots:
    """The artifact's name, agencies, partners and date, as written in the text.

    ``c`` and ``bounds`` are the document's per-sentence cue counts and
    character offsets. Partners are names ending in a company or institution
    suffix, each on one line; the date is looked for in the top status
    sentence, then in the body sentences where the analysis found a month or a
    year.
    """
    body = text[body_start:]
    top_sentence = next((s for s in sentences if s.supports.startswith("status")), None)
    name = None
    if named_outputs:
        scored = []
        for s, start, end in named_outputs:
            rank = 0.0
            if top_sentence is not None:
                abs_start = top_sentence.start + body_start
                if abs_start <= start < top_sentence.end + body_start:
                    rank += 4
            rank += 2 * float(c[s, cols["cue:release"]] > 0) + float(c[s, cols["cue:naio"]] > 0)
            rank += (end - start) / 100
            scored.append((rank, -start, text[start:end]))
        name = max(scored)[2]
    naio_lower = _NAIO_LOWER
    agencies = _drop_shorter_forms(
        tuple(dict.fromkeys(t for _, t in agencies_found if t.lower() not in naio_lower))
    )
    partners: tuple[str, ...] = ()
    if _PARTNER_HINT.search(body):
        found = (m.group(0).strip() for m in _PARTNER_RE.finditer(body))
        partners = tuple(dict.fromkeys(found))[:8]
    when = None
    if top_sentence is not None:
        m = _DATE_RE.search(top_sentence.text)
        when = m.group(0) if m else None
    if when is None:
        dated = c[:, cols["x:date"]] > 0
        for (start, end), has_date in zip(bounds.tolist(), dated.tolist(), strict=True):
            if has_date and start >= body_start and (m := _DATE_RE.search(text[start:end])):
                when = m.group(0)
                break
    return ArtifactSlots(name=name, agencies=agencies[:10], partners=partners, date=when)


_NAIO_LOWER = frozenset(n.lower() for n in NAIO_NAMES)


#: Words that lengthen an agency's name without making it another agency.
_NAME_TAILS: Final = frozenset({"malaysia", "nasional", "national", "berhad", "bhd", "fund"})


def _drop_shorter_forms(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names without those that are a shorter form of another one found.

    The lexicon knows "Bank Negara" and "Bank Negara Malaysia" both, so one
    mention matches twice, and a story that writes the full name once and the
    short one after names one agency, not two. A name is dropped when a longer
    one found in the same text is it plus words that only lengthen a name
    ("Malaysia", "Nasional", "Berhad", ...): "Kementerian Pendidikan" stays
    beside "Kementerian Pendidikan Tinggi", another ministry.
    """
    words = [n.lower().split() for n in names]

    def shorter_form(i: int) -> bool:
        return any(
            j != i
            and len(w) > len(words[i])
            and w[: len(words[i])] == words[i]
            and all(x in _NAME_TAILS for x in w[len(words[i]) :])
            for j, w in enumerate(words)
        )

    return tuple(n for i, n in enumerate(names) if not shorter_form(i))
