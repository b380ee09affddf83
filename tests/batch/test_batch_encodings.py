"""JSONL and CSV that are odd but readable: a stray NUL byte, UTF-16 with its byte-order mark."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from batch_helpers import ARTICLES, Problems

from naio_nlp import classify_files
from naio_nlp.classifier import Classifier


def _lines(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_a_nul_byte_early_in_jsonl_costs_only_its_line(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    path = tmp_path / "export.jsonl"
    first, *rest = ARTICLES
    path.write_bytes(
        _lines([first]).encode() + b'{"id": "x", "text": "a\x00b"}\n' + _lines(rest).encode()
    )
    results = list(classify_files([path], model=classifier, errors=problems))
    assert [r.prediction.article_id for r in results] == ["a1", "a2", "a3"]
    assert [(kind, line) for kind, _, line, _ in problems] == [("InputError", 2)]
    assert "NUL" in problems[0][3] and "line skipped" in problems[0][3]


def test_several_nul_lines_among_good_ones_are_skipped_one_by_one(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    path = tmp_path / "export.jsonl"
    bad = b"\x00\x00 garbage \x00\n"
    path.write_bytes(bad + _lines(ARTICLES[:2]).encode() + bad)
    ids = [
        r.prediction.article_id for r in classify_files([path], model=classifier, errors=problems)
    ]
    assert ids == ["a1", "a2"]
    assert [line for _, _, line, _ in problems] == [1, 4]


def test_utf16_jsonl_is_decoded_by_its_bom(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{codec}.jsonl"
        bom = "\ufeff".encode(codec)
        path.write_bytes(bom + _lines(ARTICLES).encode(codec))
        results = list(classify_files([path], model=classifier, errors=problems))
        assert problems == []
        assert [r.prediction.article_id for r in results] == ["a1", "a2", "a3"]
        assert [r.line for r in results] == [1, 2, 3]
        expected = list(classify_files([_utf8(tmp_path)], model=classifier))
        assert [r.prediction for r in results] == [r.prediction for r in expected]


def _utf8(tmp_path: Path) -> Path:
    path = tmp_path / "utf8.jsonl"
    path.write_text(_lines(ARTICLES), encoding="utf-8")
    return path


def _csv_text(records: list[dict[str, object]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "title", "text"], delimiter=delimiter)
    writer.writeheader()  # Excel writes \r\n line ends, as the csv module does
    writer.writerows({k: r.get(k, "") for k in ("id", "title", "text")} for r in records)
    return out.getvalue()


def test_utf16_csv_as_excel_saves_it_is_decoded_by_its_bom(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    """Excel's "Unicode text" is UTF-16 with a BOM; it used to be skipped as a binary file."""
    expected_csv = tmp_path / "utf8.csv"
    expected_csv.write_text(_csv_text(ARTICLES), encoding="utf-8", newline="")
    expected = list(classify_files([expected_csv], model=classifier))
    for codec, suffix, delimiter in (
        ("utf-16-le", ".csv", ","),
        ("utf-16-be", ".csv", ","),
        ("utf-16-le", ".tsv", "\t"),
    ):
        path = tmp_path / f"{codec}{suffix}"
        path.write_bytes("\ufeff".encode(codec) + _csv_text(ARTICLES, delimiter).encode(codec))
        results = list(classify_files([path], model=classifier, errors=problems))
        assert problems == [], codec
        assert [r.prediction.article_id for r in results] == ["a1", "a2", "a3"]
        assert [r.line for r in results] == [2, 3, 4]
        assert [r.prediction for r in results] == [r.prediction for r in expected]


def test_a_nul_byte_in_a_csv_row_is_an_error_for_that_row(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    """The csv module reads NUL without complaint; the row used to be classified as text."""
    path = tmp_path / "export.csv"
    first, *rest = ARTICLES
    text = _csv_text([first]) + 'x,Bad,"half \x00 binary"\r\n' + _csv_text(rest).split("\r\n", 1)[1]
    path.write_bytes(text.encode("utf-8"))
    results = list(classify_files([path], model=classifier, errors=problems))
    assert [r.prediction.article_id for r in results] == ["a1", "a2", "a3"]
    assert [(kind, source, line) for kind, source, line, _ in problems] == [
        ("InputError", str(path), 3)
    ]
    assert problems.messages() == ["NUL byte in this row (binary data, not text); row skipped"]
