"""The ledger's reader reads the dates real exports carry; a record it cannot date is kept."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from naio_nlp import Article, InputWarning
from naio_nlp.batch import BatchStats, read_articles
from naio_nlp.errors import InputError

Cli = Callable[..., tuple[int, str, str]]
TEXT = "The National AI Office (NAIO) today launched the National AI Regulatory Sandbox."


def _read(path: Path) -> tuple[list[Article], list[InputError], BatchStats]:
    problems: list[InputError] = []
    stats = BatchStats()
    articles = list(read_articles([path], errors=problems.append, stats=stats))
    return articles, problems, stats


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2026-12-07", date(2026, 12, 7)),
        ("2026-12-07T20:00:00Z", date(2026, 12, 7)),  # ISO: the calendar date as written
        ("7 Dec 2026", date(2026, 12, 7)),
        ("07/12/2026", date(2026, 12, 7)),  # day first, as Malaysia writes it
        ("7.12.2026", date(2026, 12, 7)),
        ("12/25/2026", date(2026, 12, 25)),  # month first only where day first cannot be
        ("Dec 7, 2026, 10:30 AM", date(2026, 12, 7)),
        ("December 7th, 2026", date(2026, 12, 7)),
        ("7 Disember 2026", date(2026, 12, 7)),
        ("Khamis, 7 Dis 2026 10:30 pagi", date(2026, 12, 7)),
        ("Sun, 07 Dec 2026 10:00:00 +0000", date(2026, 12, 7)),
    ],
)
def test_dates_as_news_exports_write_them_are_read(tmp_path: Path, written: str, day: date) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": TEXT, "date": written}) + "\n", "utf-8")
    articles, problems, stats = _read(src)
    if written == "12/25/2026":  # read month first, and said (see the next test)
        assert len(problems) == 1 and "can only be month first" in problems[0].message
    else:
        assert problems == []
    assert [a.published for a in articles] == [day]
    assert (stats.read, stats.skipped, stats.errors) == (1, 0, 0)


def test_a_date_that_can_only_be_month_first_warns_once_per_file(tmp_path: Path) -> None:
    # a US export: 05/12 was read as 5 December before 04/13 showed the file's order
    src = tmp_path / "us.jsonl"
    rows = [("a", "05/12/2026"), ("b", "04/13/2026"), ("c", "06/14/2026")]
    src.write_text(
        "".join(json.dumps({"id": i, "text": TEXT, "date": d}) + "\n" for i, d in rows), "utf-8"
    )
    articles, problems, stats = _read(src)
    assert [a.published for a in articles] == [
        date(2026, 12, 5),
        date(2026, 4, 13),
        date(2026, 6, 14),
    ]
    assert len(problems) == 1 and isinstance(problems[0], InputWarning)
    assert problems[0].line == 2
    assert "'04/13/2026' of record 'b' can only be month first" in problems[0].message
    assert "read wrongly" in problems[0].message
    assert stats.errors == 0
    # day-first dates say nothing
    dmy = tmp_path / "my.jsonl"
    dmy.write_text(json.dumps({"id": "a", "text": TEXT, "date": "13/04/2026"}) + "\n", "utf-8")
    assert _read(dmy)[1] == []


def test_a_date_that_cannot_be_read_is_named_once_and_the_record_kept(tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "date", "published"])
        w.writerow(["a1", TEXT, "19/11", ""])  # no year
        w.writerow(["a2", TEXT, "sometime", "7 Dec 2026"])  # the other field is read
        w.writerow(["a3", TEXT, "2026-12-08", ""])
    articles, problems, stats = _read(src)
    assert [(a.id, a.published) for a in articles] == [
        ("a1", None),
        ("a2", date(2026, 12, 7)),
        ("a3", date(2026, 12, 8)),
    ]
    assert len(problems) == 1
    (warning,) = problems
    assert isinstance(warning, InputWarning)
    assert (warning.source, warning.line) == (str(src), 2)
    assert str(warning).startswith(
        f"{src}:2: date '19/11' of record 'a1' is not a date naio_nlp can read "
        "(e.g. 2026-12-07, 7/12/2026 day first, 7 Dec 2026, 7 Disember 2026); "
        "the record is kept without a date"
    )
    assert (stats.read, stats.skipped, stats.errors) == (3, 0, 0)  # a warning, not an error


def test_the_ledger_keeps_a_record_it_cannot_date(cli: Cli, tmp_path: Path) -> None:
    """It used to be skipped with an error, dropping its report from the ledger."""
    records = [
        {
            "id": "a1",
            "title": "NAIO launches the National AI Regulatory Sandbox",
            "text": "PUTRAJAYA, 18 November 2025 — The National AI Office (NAIO) today "
            "launched the National AI Regulatory Sandbox, admitting 15 companies to its "
            "first cohort together with the Ministry of Digital.",
            "date": "18 Nov 2025",
            "lang": "en",
        },
        {
            "id": "a2",
            "title": "NAIO sandbox admits first companies",
            "text": "The National AI Office (NAIO) launched the National AI Regulatory "
            "Sandbox and admitted 15 companies to its first cohort, together with the "
            "Ministry of Digital.",
            "date": "minggu lepas",
            "lang": "en",
        },
    ]
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    code, out, err = cli("ledger", str(src))
    assert code == 0, err
    flat = " ".join(err.split())
    assert f"warning: {src}:2: date 'minggu lepas' of record 'a2' is not a date" in flat
    assert flat.count("warning:") == 1 and "skipped" not in flat
    (entry,) = json.loads(out)["entries"]
    assert entry["article_ids"] == ["a1", "a2"]
    assert entry["stages"][0]["date"] == "2025-11-18"  # "18 Nov 2025", read
    undated = [r for r in entry["reports"] if r["article_id"] == "a2"]
    assert undated and undated[0]["date"] is None  # its text names no date either
    code, _, err = cli("ledger", str(src), "--strict")
    assert code == 1
    assert "--strict: 1 input problem; exit 1" in err


@pytest.mark.parametrize(
    "written",
    ["2025-13-01", "2025-13-01T10:00:00Z", "2025-13-01 10:00", "2025/13/01", "2025-02-30"],
)
def test_a_year_first_date_with_no_such_month_or_day_is_unread_not_reread(
    tmp_path: Path, written: str
) -> None:
    """2025-13-01 is no date: it was read as year-day-month (13 January 2025)."""
    from naio_nlp.dates import parse_date

    assert parse_date(written) is None
    assert parse_date(f"Updated: {written}") is None
    assert parse_date(f"{written}, first posted 5 March 2025") == date(2025, 3, 5)
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": TEXT, "date": written}) + "\n", "utf-8")
    articles, problems, stats = _read(src)
    assert [(a.id, a.published) for a in articles] == [("a1", None)]  # kept, undated
    (warning,) = problems
    assert isinstance(warning, InputWarning)
    assert f"date {written!r} of record 'a1' is not a date naio_nlp can read" in str(warning)
    assert (stats.read, stats.skipped, stats.errors) == (1, 0, 0)


def test_year_first_dates_that_exist_are_still_read() -> None:
    from naio_nlp.dates import parse_date

    assert parse_date("2025-12-01") == date(2025, 12, 1)
    assert parse_date("2025/07/09") == date(2025, 7, 9)
    assert parse_date("2024-02-29T23:00:00+08:00") == date(2024, 2, 29)
    assert parse_date("12/25/2026") == date(2026, 12, 25)  # day-first shapes keep their rule
