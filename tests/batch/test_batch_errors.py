"""Bad input never stops a batch: each case is reported with file, line and a clear message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_helpers import ARTICLES, Problems, write_jsonl

from naio_nlp import ModelError, batch, classify_files
from naio_nlp.batch import MAX_CHARS, MAX_LINE_BYTES
from naio_nlp.classifier import Classifier

GOOD = json.dumps(ARTICLES[0])


def run(classifier: Classifier, paths: list[Path], problems: Problems) -> list[str]:
    return [
        r.prediction.article_id for r in classify_files(paths, model=classifier, errors=problems)
    ]


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (
            b'{"id": "x", "text": "unterminated',
            "malformed JSON (Unterminated string starting at column 21); line skipped",
        ),
        (b'{"id": "x", "text": "a\tb"}', "malformed JSON (Invalid control character at column"),
        (b"not json at all", "malformed JSON (Expecting value at column 1); line skipped"),
        (b"[1, 2]", "expected a JSON object, found list; line skipped"),
        (b'{"id": "x", "title": "no text"}', "missing text: no 'text' field; skipped"),
        (b'{"id": "x", "text": null}', "missing text: 'text' is null; skipped"),
        (b'{"id": "x", "text": "   "}', "empty text in 'text'; skipped"),
        (b'{"id": "x", "text": 42}', "'text' is int, not a string; skipped"),
        (b'{"id": "x", "text": "caf\xe9"}', "not valid UTF-8 (byte 0xe9 at offset 24)"),
    ],
)
def test_a_bad_jsonl_line_is_reported_and_skipped(
    classifier: Classifier, tmp_path: Path, problems: Problems, bad_line: bytes, message: str
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(GOOD.encode() + b"\n" + bad_line + b"\n\n" + GOOD.encode() + b"\n")
    stats_run = classify_files([path], model=classifier, errors=problems)
    assert [r.line for r in stats_run] == [1, 4]  # blank lines are not records
    assert len(problems) == 1
    kind, source, line, got = problems[0]
    assert (kind, source, line) == ("InputError", str(path), 2)
    assert got.startswith(message)
    s = stats_run.stats
    assert (s.read, s.classified, s.skipped, s.errors) == (3, 2, 1, 1)


def test_empty_and_binary_files_are_one_error_each(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"\n\n")
    binary = tmp_path / "archive.jsonl"
    binary.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "empty.html").write_bytes(b"")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    good = write_jsonl(tmp_path / "good.jsonl", ARTICLES[:1])
    assert run(classifier, [empty, blank, binary, folder, good], problems) == ["a1"]
    assert problems == [
        ("InputError", str(empty), None, "empty file; skipped"),
        ("InputError", str(blank), None, "empty file; skipped"),
        ("InputError", str(binary), None, "binary file (NUL bytes), not UTF-8 text; skipped"),
        ("InputError", str(folder / "empty.html"), None, "empty file; skipped"),
        (
            "InputError",
            str(folder / "image.html"),
            None,
            "binary file (NUL bytes), not HTML or text; skipped",
        ),
    ]


def test_the_counts_tell_a_skipped_file_from_a_skipped_record(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    """A bad file counts as one skipped record; skipped_files says it was a file."""
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("id,body\n1,hello\n2,again\n", encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "blank.txt").write_text("   \n", encoding="utf-8")
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(GOOD + "\n{oops\n", encoding="utf-8")
    run = classify_files([no_text, empty, pages, mixed], model=classifier, errors=problems)
    assert len(list(run)) == 1
    s = run.stats
    assert (s.read, s.classified, s.skipped, s.skipped_files) == (5, 1, 4, 3)
    assert len(problems) == 4


def test_undecodable_text_file_and_csv_row(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "latin1.txt").write_bytes("Pejabat AI Negara dan café".encode("latin-1"))
    table = tmp_path / "rows.csv"
    table.write_bytes(b"id,text\nr1,Caf\xe9 owners met NAIO\nr2," + ARTICLES[0]["text"].encode())
    assert run(classifier, [folder, table], problems) == ["r2"]
    assert problems == [
        (
            "InputError",
            str(folder / "latin1.txt"),
            None,
            "not valid UTF-8 (byte 0xe9 at offset 25); re-save as UTF-8",
        ),
        (
            "InputError",
            str(table),
            2,
            "not valid UTF-8 (byte 0xe9 at offset 6); row skipped; to read such rows, save "
            "the file as UTF-8 (in Excel: Save As › CSV UTF-8)",
        ),
    ]


def test_a_windows_1252_csv_says_each_bad_row_once_and_how_to_resave_it_once(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    """What Excel's plain "CSV" gives for text with accents: a hint once, every row named."""
    good = ARTICLES[0]["text"]
    table = tmp_path / "latin1.csv"
    table.write_bytes(
        "id,text\n"
        "r1,Caf\xe9 owners met NAIO\n"
        f'r2,"{good}\nna\xefve second line"\n'
        f"r3,{good}\n"
        "r4,Pejabat AI Negara \xe0 Putrajaya\n".encode("cp1252")
    )
    tsv = tmp_path / "latin1.tsv"
    tsv.write_bytes("id\ttext\nt1\tCaf\xe9 NAIO\n".encode("cp1252"))
    header = tmp_path / "header.csv"
    header.write_bytes("id,text,r\xe9sum\xe9\nh1,x,y\n".encode("cp1252"))
    assert run(classifier, [table, tsv, header], problems) == ["r3"]
    hint = "; to read such rows, save the file as UTF-8 (in Excel: Save As › "
    assert problems == [
        (
            "InputError",
            str(table),
            2,
            f"not valid UTF-8 (byte 0xe9 at offset 6); row skipped{hint}CSV UTF-8)",
        ),
        # a row over two lines names the line of the bad byte; no hint the second time
        (
            "InputError",
            str(table),
            3,
            "not valid UTF-8 (line 4: byte 0xef at offset 2); row skipped",
        ),
        ("InputError", str(table), 6, "not valid UTF-8 (byte 0xe0 at offset 21); row skipped"),
        (
            "InputError",
            str(tsv),
            2,
            f"not valid UTF-8 (byte 0xe9 at offset 6); row skipped{hint}Unicode Text, "
            "then rename it .tsv)",
        ),
        (
            "InputError",
            str(header),
            1,
            f"header is not valid UTF-8 (byte 0xe9 at offset 9); file skipped{hint}CSV UTF-8)",
        ),
    ]


def test_csv_structure_problems(classifier: Classifier, tmp_path: Path, problems: Problems) -> None:
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("id,body\n1,hello\n", encoding="utf-8")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(f'id,text\nr1,{ARTICLES[0]["text"]},extra\nr2,"{ARTICLES[1]["text"]}"\nr3\n')
    assert run(classifier, [no_text, ragged], problems) == ["r2"]
    assert problems == [
        (
            "InputError",
            str(no_text),
            1,
            "no 'text' column in the header (columns: id, body); use --text-column; file skipped",
        ),
        ("InputError", str(ragged), 2, "3 fields where the header has 2; row skipped"),
        ("InputError", str(ragged), 4, "1 field where the header has 2; row skipped"),
    ]


def test_csv_unclosed_quote_is_reported_not_swallowed(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    bad = tmp_path / "unclosed.csv"
    bad.write_text(f'id,text\nok1,"{ARTICLES[0]["text"]}"\nu1,"never closed\nu2,more\n')
    assert run(classifier, [bad], problems) == ["ok1", "u2"]
    assert problems == [
        (
            "InputError",
            str(bad),
            3,
            "malformed CSV (unexpected end of data (an unclosed quote?)); the quoted field "
            "opened on this line ran to line 4: this line skipped, line 4 read again",
        )
    ]


def test_csv_rows_swallowed_by_a_stray_quote_are_read_again(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    bad = tmp_path / "stray.csv"
    bad.write_text(
        "id,text\n"
        'a,"NAIO launched the plan\n'  # opened, never closed: swallows b and c
        "b,second row\n"
        'c,"third, quoted"\n'  # its opening quote ends a's field, then junk
        "d,fourth row\n"
        'e,"a quoted field\nover two lines"\n'  # a real multi-line field stays one row
    )
    assert run(classifier, [bad], problems) == ["b", "c", "d", "e"]
    assert problems == [
        (
            "InputError",
            str(bad),
            2,
            "malformed CSV (',' expected after '\"'); the quoted field opened on this "
            "line ran to line 4: this line skipped, lines 3-4 read again",
        )
    ]


def test_a_stray_quote_swallows_no_more_than_the_field_limit(
    classifier: Classifier, tmp_path: Path, problems: Problems, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "CSV_FIELD_LIMIT", 200)
    bad = tmp_path / "open.csv"
    rows = "".join(f"r{i},row {i} of a long export\n" for i in range(20))
    bad.write_text(f'id,text\nq,"opened and never closed\n{rows}')
    ids = run(classifier, [bad], problems)
    assert ids == [f"r{i}" for i in range(20)]
    [(kind, name, line, message)] = problems
    assert (kind, name, line) == ("InputError", str(bad), 2)
    assert message.startswith("malformed CSV (field larger than field limit (200) (an unclosed")


def test_a_50_mb_document_is_truncated_not_dropped(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    sentence = "The National AI Office (NAIO) published the AI governance guidelines. "
    text = sentence * (50_000_000 // len(sentence))
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "huge", "title": "Guidelines", "text": text}) + "\n")
        f.write(GOOD + "\n")
    big_txt = tmp_path / "big.txt"
    big_txt.write_text(text, encoding="utf-8")
    del text
    run_ = classify_files([big, big_txt], model=classifier, errors=problems)
    results = list(run_)
    assert [r.prediction.article_id for r in results] == ["huge", "a1", str(big_txt)]
    assert [r.truncated for r in results] == [True, False, True]
    size = big.stat().st_size
    assert problems == [
        (
            "TruncatedInput",
            str(big),
            1,
            f"line of {size / (1 << 20):.1f} MB is over the {MAX_LINE_BYTES / (1 << 20):.1f} MB "
            f"limit; classified on its first {MAX_CHARS:,} characters",
        ),
        (
            "TruncatedInput",
            str(big_txt),
            None,
            f"file of {big_txt.stat().st_size / (1 << 20):.1f} MB is over the 0.4 MB read limit; "
            f"classified on its first {MAX_CHARS:,} characters",
        ),
    ]
    s = run_.stats
    assert (s.read, s.classified, s.truncated, s.errors) == (3, 3, 2, 0)


def test_a_long_document_under_the_line_cap_is_cut_to_max_chars(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    path = write_jsonl(tmp_path / "long.jsonl", [{"id": "l", "text": "NAIO. " * 20_000}])
    results = list(classify_files([path], model=classifier, errors=problems, max_chars=50_000))
    assert results[0].truncated
    assert problems[0][3] == (
        "document of 120,000 characters; classified on its first 50,000 characters"
    )


def test_without_a_callback_problems_are_logged(
    classifier: Classifier, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("oops\n" + GOOD + "\n", encoding="utf-8")
    assert [r.line for r in classify_files([path], model=classifier)] == [2]
    assert f"{path}:1: malformed JSON" in caplog.text


def test_a_document_the_classifier_fails_on_is_skipped_but_a_broken_model_is_fatal(
    classifier: Classifier,
    tmp_path: Path,
    problems: Problems,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = classifier.classify_many

    def fragile(items: Any, **kwargs: Any) -> Any:
        items = list(items)
        if any("POISON" in item["text"] for item in items):
            raise ValueError("cannot label this")
        return real(items, **kwargs)

    monkeypatch.setattr(classifier, "classify_many", fragile)
    path = write_jsonl(
        tmp_path / "p.jsonl", [ARTICLES[0], {"id": "p", "text": "POISON pill"}, ARTICLES[1]]
    )
    assert run(classifier, [path], problems) == ["a1", "a2"]
    assert problems == [
        (
            "InputError",
            str(path),
            2,
            "the classifier failed on this document (ValueError: cannot label this)",
        )
    ]
    only_poison = write_jsonl(tmp_path / "q.jsonl", [{"id": "p", "text": "POISON"}])
    with pytest.raises(ModelError, match="failed on every document of a batch"):
        run(classifier, [only_poison], problems)


def test_a_named_id_column_that_is_not_there_is_refused_like_the_text_column(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    table = tmp_path / "docs.csv"
    table.write_text(f'id,text\nc1,"{ARTICLES[0]["text"]}"\n', encoding="utf-8")
    lines = write_jsonl(tmp_path / "docs.jsonl", ARTICLES[:1])
    parquet = tmp_path / "docs.parquet"
    pq.write_table(pa.Table.from_pylist(ARTICLES[:1]), parquet)
    results = list(
        classify_files([table, lines, parquet], model=classifier, id_column="nope", errors=problems)
    )
    assert results == []
    assert problems == [
        (
            "InputError",
            str(table),
            1,
            "no 'nope' column in the header (columns: id, text); check --id-column; file skipped",
        ),
        ("InputError", str(lines), 1, "no 'nope' field; check --id-column; skipped"),
        (
            "InputError",
            str(parquet),
            None,
            "no 'nope' column (columns: id, lang, text, title); check --id-column; file skipped",
        ),
    ]
    # the default "id" stays optional: rows without it are <file>:<line>
    table.write_text(f'text\n"{ARTICLES[0]["text"]}"\n', encoding="utf-8")
    assert [r.prediction.article_id for r in classify_files([table], model=classifier)] == [
        f"{table}:2"
    ]
