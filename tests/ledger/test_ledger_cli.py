"""``naio-nlp ledger`` from files and from a store, and ``naio_nlp.run`` without the CLI."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import naio_nlp
from naio_nlp.errors import ConfigError
from naio_nlp.store import Store

Cli = Callable[..., tuple[int, str, str]]

RECORDS = [
    {
        "id": "a1",
        "title": "NAIO releases AI Technology Action Plan 2026-2030",
        "text": "PUTRAJAYA, 18 November 2025 — The National AI Office (NAIO) today released "
        "the AI Technology Action Plan 2026-2030, with 42 initiatives across six thrusts and "
        "a RM1.2 billion allocation, together with the Ministry of Digital.",
        "date": "2025-11-18",
        "url": "https://example.org/a1",
        "source": "wire",
        "lang": "en",
    },
    {
        "id": "a2",
        "title": "Pelan Tindakan Teknologi AI 2026-2030 dilancarkan",
        "text": "KUALA LUMPUR, 19 November 2025 — Pejabat Kecerdasan Buatan Negara (NAIO) "
        "melancarkan Pelan Tindakan Teknologi AI 2026-2030 yang mengandungi 42 inisiatif "
        "dengan peruntukan RM1.2 bilion bersama Kementerian Digital.",
        "date": "2025-11-19",
        "url": "https://example.org/a2",
        "source": "berita",
        "lang": "ms",
    },
]


def test_ledger_from_files_as_json_and_csv(cli: Cli, tmp_path: Path) -> None:
    src = tmp_path / "articles.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    code, _, err = cli("ledger", str(src), "-o", str(tmp_path / "l.json"))
    assert code == 0, err
    data = json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))
    named = [e for e in data["entries"] if "2026-2030" in e["name"]]
    assert named, data
    assert {"a1", "a2"} <= set(named[0]["article_ids"])
    for key in (
        "artifact_id",
        "name",
        "aliases",
        "artifact_type",
        "domains",
        "naio_role",
        "partners",
        "agencies",
        "stages",
        "current_stage",
        "article_ids",
    ):
        assert key in named[0]
    # the body the plan was released "together with": named in both languages, listed once
    assert named[0]["agencies"].count("Ministry of Digital") == 1
    assert "Kementerian Digital" not in named[0]["agencies"]
    assert named[0]["stages"][0]["date"] == "2025-11-18"
    code, _, err = cli("ledger", str(src), "--format", "csv", "-o", str(tmp_path / "l.csv"))
    assert code == 0, err
    with (tmp_path / "l.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert any(r["launched_date"] == "2025-11-18" for r in rows)
    assert any("Ministry of Digital" in r["agencies"] for r in rows)
    assert "warning" not in err
    # --format wins over the extension, and says so
    code, _, err = cli("ledger", str(src), "--format", "csv", "-o", str(tmp_path / "odd.json"))
    assert code == 0, err
    assert f"warning: {tmp_path / 'odd.json'}: writing CSV (--format csv) to a .json file" in err
    assert (tmp_path / "odd.json").read_text(encoding="utf-8").startswith("artifact_id,")


def test_bad_input_names_the_line(cli: Cli, tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    no_text = {k: v for k, v in RECORDS[1].items() if k != "text"}
    src.write_text(json.dumps(RECORDS[0]) + "\n" + json.dumps(no_text))
    code, out, err = cli("ledger", str(src))
    assert code == 0, err  # as classify does: the bad row is reported and skipped
    assert f"error: {src}:2: missing text: no 'text' field; skipped" in err
    assert "from 1 newly read document" in err and "skipped 1 record (see above)" in err
    assert [e["article_ids"] for e in json.loads(out)["entries"]] == [["a1"]]
    code, _, err = cli("ledger", str(src), "--strict")
    assert code == 1
    assert "--strict: 1 input problem; exit 1" in err


def test_run_as_a_library_then_ledger_from_the_store(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        for r in RECORDS:
            store.upsert_article(
                naio_nlp.Article(
                    id=r["id"], text=r["text"], title=r["title"], url=r["url"], source=r["source"]
                )
            )
    # paths as plain strings, as a user types them
    result = naio_nlp.run(db=str(db), report_dir=str(tmp_path / "report"), crawl=False)
    assert result.crawl is None and result.classified == 2
    assert result.report.html.is_file()
    code, out, err = cli("ledger", "--db", str(db))
    assert code == 0, err
    assert json.loads(out)["entries"] == result.ledger.to_dict()["entries"]


def test_run_refuses_sources_with_the_demo(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="drop sources"):
        naio_nlp.run(demo=True, sources=str(tmp_path / "mine.toml"))


def test_utf16_is_read_and_undecodable_text_is_named_not_a_traceback(
    cli: Cli, tmp_path: Path
) -> None:
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n"
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes(lines.encode("utf-16"))
    code, _, err = cli("ledger", str(utf16), "-o", str(tmp_path / "l.json"))
    assert code == 0, err
    assert json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))["entries"]
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(
        lines.encode("utf-8") + '{"id": "x", "text": "caf\u00e9"}\n'.encode("latin-1")
    )
    code, _, err = cli("ledger", str(latin1), "--strict")
    assert code != 0
    assert f"{latin1}:{len(RECORDS) + 1}" in err and "not valid UTF-8" in err
    assert "Traceback" not in err
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text('id,text\n1,"unclosed\n', encoding="utf-8")
    code, _, err = cli("ledger", str(bad_csv), "--strict")
    assert code != 0 and "bad.csv" in err


def test_ledger_reads_input_exactly_as_classify_does(cli: Cli, tmp_path: Path) -> None:
    """One reader: UTF-16 CSV, Parquet, an HTML folder and a bad row, as `classify` reads them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from naio_nlp.batch import read_articles

    rows = "id,title,text,date,url,source\r\n" + "".join(
        f'{r["id"]},"{r["title"]}","{r["text"]}",{r["date"]},{r["url"]},{r["source"]}\r\n'
        for r in RECORDS
    )
    excel = tmp_path / "excel.csv"  # Excel's "Unicode text": UTF-16 with a BOM
    excel.write_bytes(b"\xff\xfe" + rows.encode("utf-16-le"))
    parquet = tmp_path / "more.parquet"
    pq.write_table(
        pa.Table.from_pylist([{**RECORDS[0], "id": "p1"}, {"id": "p2", "text": " "}]), parquet
    )
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "one.html").write_text(
        "<html><head><title>NAIO releases AI Technology Action Plan</title></head><body>"
        f"<article><h1>NAIO releases AI Technology Action Plan</h1><p>{RECORDS[0]['text']}</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    inputs = [str(excel), str(parquet), str(pages)]
    code, _, classify_err = cli("classify", *inputs, "-o", str(tmp_path / "labels.jsonl"))
    assert code == 0, classify_err
    classified = [
        json.loads(line)["id"]
        for line in (tmp_path / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    code, _, err = cli("ledger", *inputs, "-o", str(tmp_path / "ledger.json"))
    assert code == 0, err
    problem = f"error: {parquet}:2: empty text in 'text'; skipped"
    assert problem in classify_err and problem in err
    articles = list(read_articles(inputs, errors=lambda problem: None))
    assert [a.id for a in articles] == classified == ["a1", "a2", "p1", str(pages / "one.html")]
    assert [a.published and a.published.isoformat() for a in articles[:3]] == [
        "2025-11-18",
        "2025-11-19",
        "2025-11-18",
    ]
    assert [a.source for a in articles[:2]] == ["wire", "berita"]
    assert articles[0].url == "https://example.org/a1"
    ledger = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    linked = {i for e in ledger["entries"] for i in e["article_ids"]}
    assert {"a1", "a2"} <= linked


def test_on_a_terminal_the_ledger_shows_its_progress_and_on_a_pipe_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    """Classifying and linking an archive takes a while: a terminal sees a bar, then a
    status line, both gone when the summary is printed; a pipe gets the summary only."""
    import os
    import pty
    import subprocess
    import sys

    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    script = Path(sys.executable).parent / "naio-nlp"
    args = [str(script), "ledger", str(data), "-o", str(tmp_path / "l.json")]
    primary, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    with subprocess.Popen(args, stdin=secondary, stdout=secondary, stderr=secondary, env=env) as p:
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    os.close(primary)
    assert p.returncode == 0
    shown = seen.decode("utf-8", "replace")
    assert "classifying" in shown and "linking 2 documents" in shown
    assert "1 output from 2 newly read documents" in shown
    code, _, err = cli("ledger", str(data), "-o", str(tmp_path / "p.json"))
    assert code == 0
    assert "classifying" not in err and "linking" not in err


def test_a_batch_where_every_input_is_bad_exits_1(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    no_text = tmp_path / "no_text.jsonl"
    no_text.write_text(json.dumps({"id": "a", "body": "NAIO launched a plan."}) + "\n")
    for command, what in (("classify", "classified"), ("ledger", "read from the input")):
        code, _, err = cli(command, str(empty), str(no_text))
        assert code == 1, (command, err)
        # a whole file is told apart from a record: "skipped 2" read as two documents
        assert f"no document could be {what}: 1 file and 1 record skipped (see above)" in (
            " ".join(err.split())
        )
    # one good record among the bad ones: reported, not a failure (as before)
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(RECORDS[0]) + "\n", encoding="utf-8")
    for command in ("classify", "ledger"):
        code, _, err = cli(command, str(empty), str(good))
        assert code == 0, (command, err)
    assert "skipped 1 file (see above)" in err  # was "skipped 1 input record"


@pytest.mark.parametrize("name", ["ledger.csv", "ledger.json"])
def test_a_ledger_run_that_read_nothing_leaves_the_previous_output_as_it_was(
    cli: Cli, tmp_path: Path, name: str
) -> None:
    """It wrote an empty ledger over the old one and said '0 outputs ... → L.csv', then exit 1."""
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / name
    out.write_text("yesterday's ledger\n", encoding="utf-8")
    code, stdout, err = cli("ledger", str(empty), "-o", str(out))
    assert code == 1, err
    assert out.read_text(encoding="utf-8") == "yesterday's ledger\n"
    message = " ".join(err.split())
    assert "outputs from" not in message  # no line that reads like success
    assert (
        "error: no document could be read from the input: 1 file skipped (see above); "
        f"{out} not replaced, left as it was; exit 1"
    ) in message
    new = tmp_path / f"new-{name}"
    code, _, err = cli("ledger", str(empty), "-o", str(new))
    assert code == 1
    assert not new.exists() and f"{new} not written; exit 1" in " ".join(err.split())
    # standard output cannot be left as it was: it gets the empty ledger, and exit 1
    code, stdout, err = cli("ledger", str(empty))
    assert code == 1 and json.loads(stdout)["entries"] == []


def test_records_sharing_an_id_are_named_and_counted_once(cli: Cli, tmp_path: Path) -> None:
    """Two records with one id become one report: say so, and count documents by id."""
    twin = {**RECORDS[1], "id": "a1"}
    src = tmp_path / "articles.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in [*RECORDS, twin]) + "\n", encoding="utf-8")
    code, _, err = cli("ledger", str(src), "-o", str(tmp_path / "l.json"))
    assert code == 0, err
    one_line = " ".join(err.split())
    # named with the file and lines of its records, as `classify` names repeated rows
    assert (
        f"warning: {src}: 1 id is on more than one record (1 extra record): "
        f"'a1' ({src} lines 1 and 3); the ledger counts one report per id" in one_line
    )
    assert "from 2 newly read documents" in one_line

    copy = tmp_path / "copy.jsonl"  # the same file twice is refused (tests/batch)
    copy.write_bytes(src.read_bytes())
    code, _, err = cli("ledger", str(src), str(copy), "-o", str(tmp_path / "m.json"))
    assert code == 0, err
    one_line = " ".join(err.split())
    # a1 three more times (once in articles.jsonl, twice in copy.jsonl), the other id once
    assert (
        f"warning: {src} and {copy}: 2 ids are each on more than one record (4 extra records): "
        f"'a1' ({src} lines 1 and 3) and 'a2' ({src} line 2 and {copy} line 2)" in one_line
    )
    code, _, err = cli("ledger", str(src), str(src), "-o", str(tmp_path / "n.json"))
    assert code == 1
    assert f"error: {src}: file given twice;" in " ".join(err.split())


def test_an_agency_name_given_to_two_bodies_is_refused() -> None:
    from naio_nlp.ledger import _agency_names

    assert _agency_names({"agency_names": {"MCMC": ["SKMM"]}}) == {"mcmc": "MCMC", "skmm": "MCMC"}
    with pytest.raises(ConfigError, match="'UM' twice"):
        _agency_names({"agency_names": {"Universiti Malaya": ["UM"], "Other": ["UM"]}})
