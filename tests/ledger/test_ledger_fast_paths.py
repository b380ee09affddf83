"""The ledger's speed shortcuts read exactly what the plain code reads.

Each shortcut exists only for time (``benchmarks/bench_ledger.py``); these
tests hold it to the result of the straightforward version on the corpus's
own sentences and on written edge cases.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from naio_nlp import ledger as L

ROOT = Path(__file__).resolve().parents[2]


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def plain_sentences(text: str) -> list[tuple[int, str]]:
    """The split as first written: a look-behind for the stop, then a search for each part."""
    out = []
    pos = 0
    for part in re.split(r"(?<=[.!?])\s+|\n+", text):
        start = text.find(part, pos) if part else pos
        if part.strip():
            out.append((max(start, 0), part))
        pos = max(pos, start + len(part))
    return out


EDGE_CASES = [
    "",
    "   ",
    "One. Two! Three? Four",
    "a\n  b",
    "a. \n\nb",
    "a\n.\nb",
    "Wait... what?! Yes.",
    ".leading stop. and\n\n\ntrailing newlines\n\n",
    "No break at all",
    "Tabs\tand. spaces\u00a0here.\u2003Em space after the stop.",
    "KOTA BHARU: Perintis AI dilancarkan. Pejabat AI Negara (NAIO) berkata...\nSeterusnya.",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_sentences_match_the_plain_split_on_edge_cases(text: str) -> None:
    assert L._sentences(text) == plain_sentences(text)


def test_sentences_match_the_plain_split_on_the_corpus() -> None:
    texts = corpus_texts()
    assert len(texts) > 1000
    for text in texts:
        assert L._sentences(text) == plain_sentences(text)


def test_the_capitalised_pair_check_drops_no_sentence_that_names_something(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sentences = [s for text in corpus_texts() for _, s in L._sentences(text)]
    sentences += [
        "The 2026–30 Plan was tabled.",  # a year range the reading widens
        "NAIO dan MDEC melancarkan Pelan Tindakan AI 2026\u201330 semalam.",
        "R&D Grant Scheme opens",
        "Ministry of Digital Guidelines for É-Services Sandbox",
        "the AI-Ready Talent Programme",
        "NAIO opened the Sandbox for the Poor",  # one word, then a "for the" tail
    ]
    fast = [L._capitalised_names(s) for s in sentences]
    assert sum(1 for names in fast if names) > 500  # the corpus names plenty of outputs
    monkeypatch.setattr(L, "_CAP_PAIR", re.compile(""))  # matches every sentence
    plain = [L._capitalised_names(s) for s in sentences]
    assert fast == plain
