"""The spaCy stage: sentences, cues, named outputs and language routing."""

from __future__ import annotations

import pytest

from naio_nlp.features import TextAnalyzer
from naio_nlp.lexicon import lexicon_dict


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer(lexicon_dict())


def sentences(analyzer: TextAnalyzer, text: str, title: str = "") -> list[str]:
    a = analyzer.analyse([text], [title], ["en"])[0]
    return [a.text[s:e] for s, e in a.sent_bounds]


def test_sentence_boundaries_follow_punctuation_quotes_bullets_and_lines(
    analyzer: TextAnalyzer,
) -> None:
    text = (
        'Who, How, Why\n- Who\n- How\nPrepared from sources. "Quoted here." Next one '
        "(Dr. Aminah said). Then e.g. this. (The end.) Last! “Curly?” Yes."
    )
    assert sentences(analyzer, text) == [
        "Who, How, Why",
        "- Who",
        "- How",
        "Prepared from sources.",
        '"Quoted here."',
        "Next one (Dr. Aminah said).",
        "Then e.g. this.",
        "(The end.)",
        "Last!",
        "“Curly?”",
        "Yes.",
    ]


def test_title_is_its_own_sentence_and_offsets_are_exact(analyzer: TextAnalyzer) -> None:
    got = sentences(analyzer, "Body starts here. Second.", title="A headline without a stop")
    assert got == ["A headline without a stop", "Body starts here.", "Second."]


def test_cues_and_named_outputs_in_both_languages(analyzer: TextAnalyzer) -> None:
    en, ms = analyzer.analyse(
        [
            "NAIO today published the AI Procurement Checklist 2025 for 40 agencies.",
            "Pejabat AI Negara akan merangka Garis Panduan Etika AI bagi sektor awam.",
        ],
        ["", ""],
        [None, None],
    )
    assert (en.language, ms.language) == ("en", "ms")
    col = {n: i for i, n in enumerate(analyzer.feature_names)}
    assert en.sent_counts[0, col["co:s_naio_release_output"]] == 1
    assert en.sent_counts[0, col["cue:intention"]] == 0
    assert ms.sent_counts[0, col["co:s_naio_intention"]] == 1
    assert ms.sent_counts[0, col["co:s_naio_release"]] == 0
    names = [en.text[s:e] for _, s, e in en.named_outputs]
    assert names == ["AI Procurement Checklist 2025"]
    assert [ms.text[s:e] for _, s, e in ms.named_outputs] == ["Garis Panduan Etika AI"]
