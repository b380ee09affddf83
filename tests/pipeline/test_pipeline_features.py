"""The spaCy stage: sentences, cues, named outputs and language routing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


def test_a_lower_case_head_after_a_name_makes_a_named_output(analyzer: TextAnalyzer) -> None:
    # English news writes "the Padi Watch pilot": the name, then its head in lower case
    texts = [
        "NAIO today opened the AI Talent Bridge programme with three universities.",
        "Parliament and NAIO began the AI for Policymakers initiative on Monday.",
        # a body's name before a head names no output; nor does a lone word
        "The National AI Office plan was delayed, and the Ministry of Digital programme too.",
        "The NAIO programme and the Selangor pilot were discussed.",
        # a head already capitalised is read as before, once
        "NAIO released the AI Procurement Checklist 2025 for 40 agencies.",
    ]
    found = analyzer.analyse(texts, [""] * len(texts), ["en"] * len(texts))
    names = [[a.text[s:e] for _, s, e in a.named_outputs] for a in found]
    assert names == [
        ["AI Talent Bridge programme"],
        ["AI for Policymakers initiative"],
        [],
        [],
        ["AI Procurement Checklist 2025"],
    ]


def test_tokenizer_cache_is_widened_and_changes_nothing(analyzer: TextAnalyzer) -> None:
    """A chunk split from the cache gives the same analysis as one split afresh."""
    from naio_nlp.corpus import read_corpus
    from naio_nlp.features import TOKENIZER_CACHE

    for nlp in analyzer.pipelines.values():
        assert nlp.tokenizer.max_cache_size >= TOKENIZER_CACHE  # type: ignore[attr-defined]
    records = read_corpus(Path(__file__).resolve().parents[2] / "corpus" / "train.jsonl")[:120]
    texts = [r.text for r in records]
    titles = [r.title for r in records]
    langs = [None] * len(texts)
    cold = TextAnalyzer(analyzer.lexicon)
    for nlp in cold.pipelines.values():
        nlp.tokenizer.max_cache_size = 0  # type: ignore[attr-defined]  # nothing cached
    expected = cold.analyse(texts, titles, langs)
    analyzer.analyse(texts, titles, langs)  # fills the cache
    for got, want in zip(analyzer.analyse(texts, titles, langs), expected, strict=True):
        assert got.sent_bounds.tolist() == want.sent_bounds.tolist()
        assert got.ngram_ids.tolist() == want.ngram_ids.tolist()
        assert got.ngram_counts.tolist() == want.ngram_counts.tolist()
        assert got.sent_counts.tolist() == want.sent_counts.tolist()


@pytest.mark.parametrize(
    "text",
    [
        "Plain words here.",
        "  leading, double  spaces and trailing ",
        "Lines\nand\n\n\ttabs \n end\n",
        "Kerajaan (MOSTI) melancarkan: “Pelan Tindakan AI”, 2026–2030 .",
        "",
        " ",
        "x",
    ],
)
def test_space_after_matches_spacy(analyzer: TextAnalyzer, text: str) -> None:
    from spacy.attrs import IDX, ORTH, SPACY

    from naio_nlp.features import _space_after

    for nlp in analyzer.pipelines.values():
        arr = nlp.make_doc(text).to_array([ORTH, IDX, SPACY]).reshape(-1, 3)
        if not len(arr):
            continue
        length = np.array([len(nlp.vocab.strings[int(o)]) for o in arr[:, 0]], dtype=np.int64)
        last = np.zeros(len(arr), dtype=bool)
        last[-1] = True
        text_len = np.full(len(arr), len(text), dtype=np.int64)
        got = _space_after(arr[:, 1].astype(np.int64), length, last, text_len)
        assert got.tolist() == arr[:, 2].astype(bool).tolist()


@pytest.mark.parametrize(("n", "high"), [(0, 5), (1, 5), (9, 3), (5000, 170 << 18), (300, 1 << 62)])
def test_unique_counts_is_numpy_unique(n: int, high: int) -> None:
    from naio_nlp.features import _unique_counts

    keys = np.random.default_rng(n).integers(0, high, n, dtype=np.int64)
    want = np.unique(keys, return_inverse=True, return_counts=True)
    for got, expected in zip(_unique_counts(keys), want, strict=True):
        assert got.tolist() == expected.ravel().tolist()


def test_dropped_special_cases_leave_every_token_as_spacy_makes_it(
    analyzer: TextAnalyzer,
) -> None:
    """The pruned tokenizers split text exactly as spaCy's own, wherever a dropped case sits."""
    import spacy

    from naio_nlp.corpus import read_corpus

    root = Path(__file__).resolve().parents[2]
    texts = [
        r.text for name in ("train", "test") for r in read_corpus(root / f"corpus/{name}.jsonl")
    ]
    for lang, nlp in analyzer.pipelines.items():
        original = spacy.blank(lang).tokenizer
        dropped = set(original.rules) - set(nlp.tokenizer.rules)  # type: ignore[attr-defined]
        assert dropped  # "AI" among them in Malay: the case that made "AI," slow
        contexts = [
            f"{pre}{key}{post}"
            for key in sorted(dropped)
            for pre, post in (("", ""), ("(", ")"), ("", ","), ("", "."), ("“", "”"), ("x ", "'s"))
        ]
        for text in [*texts, *contexts, "AI, (AI) AI. AI's sekurang-kurangnya, D.C., C++."]:
            want = [(t.text, t.idx, t.whitespace_) for t in original(text)]
            assert [(t.text, t.idx, t.whitespace_) for t in nlp.tokenizer(text)] == want, text


def test_the_lexicon_is_data_checked_on_load() -> None:
    from naio_nlp.errors import ConfigError
    from naio_nlp.lexicon import CUES, check_lexicon

    good = lexicon_dict()
    assert check_lexicon(good, "x.json") == good
    assert "co-led" in CUES["colead"] and "sedang dirangka" in CUES["pending"]
    repeated = lexicon_dict()
    repeated["cues"]["release"].append("LAUNCHED")
    with pytest.raises(ConfigError, match=r"x.json: cues.release: repeats the phrase 'launched'"):
        check_lexicon(repeated, "x.json")
    missing = lexicon_dict()
    del missing["cues"]["pending"]
    with pytest.raises(ConfigError, match="lacks the categories pending"):
        check_lexicon(missing, "x.json")
    no_name = lexicon_dict()
    no_name["cues"]["naio"].remove("NAIO")
    with pytest.raises(ConfigError, match="lacks the official names NAIO"):
        check_lexicon(no_name, "x.json")


def test_pattern_columns_mark_co_leads_pending_drafts_foreign_numbers_and_lists() -> None:
    analyzer = TextAnalyzer(lexicon_dict())
    text = (
        "The scheme is co-led by MDEC and NAIO, and 300 trainees began on 3 March 2025. "
        "Malaysia ranked 23rd in the index. A plan is being drafted by NAIO. "
        "Its groups cover sovereignty, security, ethics and talent."
    )
    (a,) = analyzer.analyse([text], [""], ["en"])
    col = {n: i for i, n in enumerate(analyzer.feature_names)}
    c = a.sent_counts
    assert c[0, col["x:naio_coord"]] == 1 and c[0, col["co:s_naio_colead"]] == 1
    assert c[0, col["x:own_specific"]] > 0
    assert c[1, col["x:other_number"]] == 1 and c[1, col["x:own_specific"]] == 0
    assert c[2, col["co:s_naio_pending"]] == 1
    assert c[3, col["x:topic_list"]] == 1
    assert c[:3, col["x:topic_list"]].sum() == 0
