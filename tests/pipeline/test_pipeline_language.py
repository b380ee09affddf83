"""The batched language identifier gives py3langid's own answers."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from naio_nlp.corpus import read_corpus
from naio_nlp.language import WINDOW, _identifier, detect_language, detect_languages

ROOT = Path(__file__).resolve().parents[2]


def _reference(text: str) -> str:
    """Routing by py3langid's ``classify``, one text at a time."""
    head = text[:WINDOW]
    if not head.strip():
        return "en"
    lang, _ = _identifier().classify(head)
    return "ms" if lang in ("ms", "id") else "en"


def _texts() -> list[str]:
    records = read_corpus(ROOT / "corpus" / "train.jsonl")
    rng = random.Random(7)
    texts = [r.text for r in records]
    for r in rng.sample(records, 200):
        i = rng.randrange(len(r.text))
        texts.append(r.text[i : i + rng.randrange(1, 120)])  # short pieces, cut mid-word
        texts.append(r.text[:100].upper())  # py3langid lowers an all-caps text
    texts += [
        "",
        "\n\n \t",
        "2026",
        "!!! ???",
        "人工智能行动计划",
        "Искусственный интеллект",
        "\U0001f642" * 60,  # four bytes a character: a long walk for a short head
        "e\u0301" * 70,  # NFC folds it before the walk
        "Kerajaan \ud800 melancarkan pelan",  # a lone surrogate
    ]
    return texts


def test_batches_agree_with_py3langid_text_by_text() -> None:
    texts = _texts()
    expected = [_reference(t) for t in texts]
    assert {"en", "ms"} <= set(expected)  # both languages are exercised
    for size in (1, 7, 256, len(texts)):
        got = [
            lang
            for k in range(0, len(texts), size)
            for lang in detect_languages(texts[k : k + size])
        ]
        assert got == expected, size


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kerajaan hari ini melancarkan pelan tindakan kecerdasan buatan.", "ms"),
        ("The government launched an artificial intelligence plan.", "en"),
        ("   ", "en"),
        ("", "en"),
    ],
)
def test_one_text(text: str, lang: str) -> None:
    assert detect_language(text) == lang
    assert detect_languages([text, text]) == [lang, lang]


def test_no_texts() -> None:
    assert detect_languages([]) == []
