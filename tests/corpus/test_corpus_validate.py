"""The validator names file, line and field for every kind of broken record."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from naio_nlp.corpus import corpus_stats, read_corpus, split_corpus, validate_corpus
from naio_nlp.errors import CorpusError

Cli = Callable[..., tuple[int, str, str]]

GOOD = {
    "id": "t1-0001",
    "title": "NAIO publishes procurement checklist",
    "text": "The National AI Office published a 24-page AI procurement checklist today.",
    "lang": "en",
    "genre": "press_release",
    "date": "2025-06-02",
    "source": "Test Wire",
    "status": "artifact",
    "artifact_type": "public_guidance",
    "domains": ["governance_ethics"],
}


def write(tmp_path: Path, lines: list[str], name: str = "c.jsonl") -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def rec(**changes: object) -> str:
    d = {**GOOD, **changes}
    return json.dumps({k: v for k, v in d.items() if v is not ...})


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": "x", "title": ', "c.jsonl:2: invalid JSON (Expecting value at column 22)"),
        (
            '{"id": "x", "title": "cut',
            "c.jsonl:2: invalid JSON (Unterminated string starting at column 22)",
        ),
        (
            rec(status="done", artifact_type=None),
            "c.jsonl:2: field 'status': 'done' is not one of artifact, symbolic, unrelated",
        ),
        (
            rec(status="symbolic", artifact_type="action_plan"),
            "c.jsonl:2: field 'artifact_type': must be null when status is 'symbolic' "
            "(got 'action_plan')",
        ),
        (rec(domains=...), "c.jsonl:2: field 'domains': missing"),
        (rec(text="   "), "c.jsonl:2: field 'text': empty"),
        (rec(domains=["talent", "ai_art"]), "c.jsonl:2: field 'domains': 'ai_art' is not one of"),
        (rec(date="2025-02-30"), "c.jsonl:2: field 'date': '2025-02-30' is not a real calendar"),
        (rec(extra=1), "c.jsonl:2: field 'extra': unknown field"),
        (
            rec(artifact_type=None),
            "c.jsonl:2: field 'artifact_type': None is not one of action_plan",
        ),
    ],
)
def test_each_broken_record_gets_its_exact_error(tmp_path: Path, line: str, expected: str) -> None:
    path = write(tmp_path, [rec(id="ok-1"), line])
    report = validate_corpus(path)
    assert not report.ok
    messages = [str(e) for e in report.errors]
    assert any(m.startswith(str(tmp_path / expected)) for m in messages), messages
    assert len(report.records) == 1  # the good line is still read


def test_duplicate_ids_name_both_places(tmp_path: Path) -> None:
    path = write(tmp_path, [rec(), rec(text="Another text about something else entirely.")])
    report = validate_corpus(path)
    assert [str(e) for e in report.errors] == [f"{path}:2: field 'id': 't1-0001' repeats {path}:1"]


def test_near_copy_across_splits_is_an_error(tmp_path: Path) -> None:
    train = write(tmp_path, [rec(id="a-1")], "train.jsonl")
    write(tmp_path, [rec(id="b-1", title=GOOD["title"] + "!")], "test.jsonl")
    report = validate_corpus(tmp_path)
    assert any("near-duplicate" in str(e) and "across splits" in str(e) for e in report.errors)
    assert train.exists()


def test_read_corpus_raises_the_first_error_with_a_count(tmp_path: Path) -> None:
    path = write(tmp_path, [rec(status="x", artifact_type=None), rec(id="y", lang="fr")])
    with pytest.raises(CorpusError, match=r"c\.jsonl:1: field 'status'.*\(and 1 more"):
        read_corpus(path)


def test_cli_validate_exit_codes(tmp_path: Path, cli: Cli) -> None:
    good = write(tmp_path, [rec()], "good.jsonl")
    code, out, _ = cli("corpus", "validate", str(good))
    assert code == 0 and "ok 1 document in" in out and "; 0 warnings" in out
    bad = write(tmp_path, [rec(status="nope", artifact_type=None)], "bad.jsonl")
    code, _, err = cli("corpus", "validate", str(bad))
    assert code == 1
    assert "bad.jsonl:1: field 'status'" in err.replace("\n", "")
    assert f"1 error in {bad}" in err.replace("\n", "")  # not "1 errors"


def test_stats_and_split_are_stratified(tmp_path: Path) -> None:
    lines = []
    for i in range(40):
        status = ("artifact", "symbolic", "unrelated", "symbolic")[i % 4]
        lines.append(
            rec(
                id=f"g{i % 3}-{i:04d}",
                status=status,
                artifact_type="action_plan" if status == "artifact" else None,
                lang="ms" if i % 2 else "en",
                text=f"document number {i} " * (i + 5),
                domains=["talent"] if i % 5 == 0 else [],
            )
        )
    records = read_corpus(write(tmp_path, lines))
    stats = corpus_stats(records)
    assert stats["status"] == {"artifact": 10, "symbolic": 20, "unrelated": 10}
    assert stats["lang"] == {"en": 20, "ms": 20}
    assert stats["domains"]["talent"] == 8
    train, test = split_corpus(records, test_size=0.2, seed=1)
    assert len(train) + len(test) == 40
    assert not {r.id for r in train} & {r.id for r in test}
    assert sum(r.status == "symbolic" for r in test) == 4
    assert split_corpus(records, test_size=0.2, seed=1) == (train, test)


def test_unlabelled_input_is_named_as_such(tmp_path: Path) -> None:
    path = write(tmp_path, [json.dumps({"id": "n1", "title": "t", "text": "NAIO news."})])
    with pytest.raises(CorpusError, match=r"c\.jsonl:1: has no labels .*naio-nlp classify"):
        read_corpus(path)


SPAN = {"test": "R", "holds": True, "start": 4, "end": 27, "text": "National AI Office publ"}


@pytest.mark.parametrize(
    ("rationale", "expected"),
    [
        ([{**SPAN, "start": 5}], "field 'rationale[0]': text[5:27] is 'ational AI Office publ'"),
        ([{**SPAN, "end": 999}], "field 'rationale[0]': offsets 4:999 are outside the text"),
        ([{**SPAN, "test": "X"}], "field 'rationale[0]': test 'X' is not one of O, S, R"),
        ([{**SPAN, "holds": "yes"}], "field 'rationale[0]': holds must be true or false"),
    ],
)
def test_rationale_spans_must_quote_the_text_exactly(
    tmp_path: Path, rationale: list[dict[str, object]], expected: str
) -> None:
    path = write(tmp_path, [rec(), rec(id="t1-0002", rationale=rationale)])
    report = validate_corpus(path)
    assert any(expected in str(e) for e in report.errors), [str(e) for e in report.errors]
    assert all(":2:" in str(e) for e in report.errors)


def test_rationales_and_domain_rationales_are_read_with_their_offsets(tmp_path: Path) -> None:
    dom = {"domain": "governance_ethics", "start": 0, "end": 22, "text": GOOD["text"][:22]}
    path = write(tmp_path, [rec(rationale=[SPAN], domain_rationale=[dom], patterns=["buried"])])
    (r,) = read_corpus(path)
    assert (r.rationale[0].test, r.rationale[0].start, r.rationale[0].end) == ("R", 4, 27)
    assert r.domain_rationale[0].domain == "governance_ethics" and r.patterns == ("buried",)
    assert r.to_json()["rationale"][0]["text"] == SPAN["text"]
    bad = dict(dom, domain="safety")
    report = validate_corpus(write(tmp_path, [rec(domain_rationale=[bad])], "d.jsonl"))
    assert "'safety' is not among the record's domains" in str(report.errors[0])
