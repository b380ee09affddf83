"""``naio-nlp classify``: output formats, the error log, --strict, piping and workers."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_helpers import ARTICLES, write_jsonl

from naio_nlp import Prediction
from naio_nlp.batch import FLAT_COLUMNS
from naio_nlp.labels import ARTIFACT_TYPES, DOMAINS, STATUSES

Cli = Callable[..., tuple[int, str, str]]
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "naio_nlp" / "examples"


def test_jsonl_to_stdout_is_prediction_to_dict(
    cli: Cli, fast_load: Path, articles_jsonl: Path
) -> None:
    code, out, err = cli("classify", str(articles_jsonl), "--model", str(fast_load))
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["a1", "a2", "a3"]
    for r in records:
        assert json.loads(json.dumps(Prediction.from_dict(r).to_dict())) == r
        assert set(r["status_probs"]) == set(STATUSES)
        assert set(r["domain_probs"]) == set(DOMAINS)
    assert "read 3, classified 3, skipped 0, truncated 0, errors 0 in" in err


def test_csv_output_is_flat(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path
) -> None:
    out = tmp_path / "labels.csv"
    code, stdout, err = cli(
        "classify", str(articles_jsonl), "--model", str(fast_load), "-o", str(out)
    )
    assert code == 0, err
    assert stdout == ""
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == FLAT_COLUMNS
    assert {f"p_{s}" for s in STATUSES} | {f"p_type_{t}" for t in ARTIFACT_TYPES} <= set(rows[0])
    assert [r["id"] for r in rows] == ["a1", "a2", "a3"]
    for r in rows:
        assert abs(sum(float(r[f"p_{s}"]) for s in STATUSES) - 1) < 1e-6
        sentences = json.loads(r["evidence_json"])
        assert r["evidence"] == (sentences[0]["text"] if sentences else "")
    assert not list(tmp_path.glob(".*.part"))


def test_parquet_output_has_the_same_flat_columns(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path
) -> None:
    out = tmp_path / "labels.parquet"
    code, _, err = cli("classify", str(articles_jsonl), "--model", str(fast_load), "-o", str(out))
    assert code == 0, err
    table = pq.read_table(out)
    assert tuple(table.column_names) == FLAT_COLUMNS
    assert str(table.schema.field("p_artifact").type) == "double"
    assert str(table.schema.field("needs_review").type) == "bool"
    assert table.column("id").to_pylist() == ["a1", "a2", "a3"]


def test_format_flag_overrides_and_unknown_suffix_is_refused(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path
) -> None:
    code, out, _ = cli(
        "classify", str(articles_jsonl), "--model", str(fast_load), "--format", "csv"
    )
    assert code == 0
    assert out.splitlines()[0] == ",".join(FLAT_COLUMNS)
    code, _, err = cli(
        "classify", str(articles_jsonl), "--model", str(fast_load), "-o", str(tmp_path / "x.txt")
    )
    assert code == 2
    assert "'x.txt': unknown suffix '.txt'; accepted suffixes: .jsonl" in " ".join(err.split())


def test_errors_file_and_strict(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    good = {**ARTICLES[0], "id": "b1"}  # an id of its own: a1 again would be warned about
    bad.write_text('{"id": "x"}\n{oops\n' + json.dumps(good) + "\n", encoding="utf-8")
    log = tmp_path / "problems.jsonl"
    args = ["classify", str(bad), str(articles_jsonl), "--model", str(fast_load)]
    code, out, err = cli(*args, "--errors", str(log))
    assert code == 0
    assert len(out.splitlines()) == 4
    assert f"error: {bad}:1: missing text: no 'text' field; skipped" in err
    assert f"error: {bad}:2: malformed JSON" in err
    assert "read 6, classified 4, skipped 2, truncated 0, errors 2 in" in err
    logged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert logged == [
        {
            "source": str(bad),
            "line": 1,
            "message": "missing text: no 'text' field; skipped",
            "level": "error",
        },
        {
            "source": str(bad),
            "line": 2,
            "message": logged[1]["message"],
            "level": "error",
        },
    ]
    assert logged[1]["message"].startswith("malformed JSON (Expecting property name")

    code, out, err = cli(*args, "--strict")
    assert code == 1
    assert len(out.splitlines()) == 4  # the whole batch still ran
    assert "--strict: 2 input problems; exit 1" in err
    assert cli("classify", str(articles_jsonl), "--model", str(fast_load), "--strict")[0] == 0


def test_a_missing_input_is_named_and_no_output_is_left(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path
) -> None:
    out = tmp_path / "labels.jsonl"
    missing = tmp_path / "typo.jsonl"
    code, _, err = cli(
        "classify", str(articles_jsonl), str(missing), "--model", str(fast_load), "-o", str(out)
    )
    assert code == 1
    flat = " ".join(err.split())  # the error console may wrap a long path
    assert "typo.jsonl: no such file or directory" in flat
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [articles_jsonl]


def test_the_same_file_given_twice_is_refused_naming_it(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path
) -> None:
    """A glob that also matches a file named beside it must not double every row."""
    out = tmp_path / "labels.csv"
    again = f"{tmp_path}/./{articles_jsonl.name}"
    code, stdout, err = cli(
        "classify", str(articles_jsonl), again, "--model", str(fast_load), "-o", str(out)
    )
    assert code == 1
    flat = " ".join(err.split())  # the error console may wrap a long path
    assert (
        f"error: {again}: file given twice (first as {articles_jsonl}); each document in it "
        "would be labelled twice, with its id repeated in the output; give each input once"
    ) in flat
    assert stdout == "" and "read " not in err  # refused before anything was read
    assert not out.exists()


def test_a_crash_leaves_no_half_written_output(
    cli: Cli,
    fast_load: Path,
    articles_jsonl: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from naio_nlp.cli import classify as command

    out = tmp_path / "labels.jsonl"
    out.write_text("previous run\n", encoding="utf-8")
    calls = []

    def boom(self: object, result: object) -> None:
        calls.append(result)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        real(self, result)

    real = command._JsonlWriter.write
    monkeypatch.setattr(command._JsonlWriter, "write", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        cli("classify", str(articles_jsonl), "--model", str(fast_load), "-o", str(out))
    assert out.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.jsonl", "labels.jsonl"]


def test_bundled_examples(cli: Cli, fast_load: Path) -> None:
    inputs = [EXAMPLES / "articles.jsonl", EXAMPLES / "articles.csv", EXAMPLES / "html"]
    code, out, err = cli("classify", *map(str, inputs), "--model", str(fast_load), "--strict")
    assert code == 0, err
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert len(ids) == len(set(ids)) >= 9
    assert ids[-3:] == [str(p) for p in sorted((EXAMPLES / "html").glob("*.html"))]


def test_stdin_to_stdout_through_the_real_command(trained_model_path: Path, tmp_path: Path) -> None:
    data = "".join(json.dumps(a) + "\n" for a in ARTICLES).encode()
    cmd = [sys.executable, "-m", "naio_nlp", "classify", "-", "--model", str(trained_model_path)]
    done = subprocess.run(cmd, input=data, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert [json.loads(x)["id"] for x in done.stdout.decode().splitlines()] == ["a1", "a2", "a3"]
    assert b"read 3, classified 3" in done.stderr
    assert b"\x1b[" not in done.stderr  # no progress bar when stderr is not a terminal


def test_two_workers_give_identical_output(cli: Cli, fast_load: Path, tmp_path: Path) -> None:
    records = [
        {"id": f"d{i}", "title": a["title"], "text": f"{a['text']} Item {i}."}
        for i in range(40)
        for a in ARTICLES[i % 3 : i % 3 + 1]
    ]
    records.insert(7, {"id": "bad"})
    data = write_jsonl(tmp_path / "many.jsonl", records)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        code, _, err = cli(
            "classify",
            str(data),
            "--model",
            str(fast_load),
            "--workers",
            workers,
            "--batch-size",
            "3",
            "-o",
            str(out),
        )
        assert code == 0, err
        assert "read 41, classified 40, skipped 1" in err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert [json.loads(x)["id"] for x in outputs[0].decode().splitlines()] == [
        r["id"] for r in records if "text" in r
    ]


def test_a_json_file_holds_one_array_and_jsonl_one_record_a_line(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path
) -> None:
    as_json, as_jsonl = tmp_path / "labels.json", tmp_path / "labels.jsonl"
    for out in (as_json, as_jsonl):
        code, _, err = cli(
            "classify", str(articles_jsonl), "--model", str(fast_load), "-o", str(out)
        )
        assert code == 0, err
    array = json.loads(as_json.read_text(encoding="utf-8"))
    lines = [json.loads(x) for x in as_jsonl.read_text(encoding="utf-8").splitlines()]
    assert isinstance(array, list) and array == lines and len(array) >= 2
    # on stdout too, and an empty batch is an empty array
    code, out, _ = cli(
        "classify", str(articles_jsonl), "--model", str(fast_load), "--format", "json"
    )
    assert code == 0 and json.loads(out) == lines
    empty = tmp_path / "no_rows.csv"
    empty.write_text("id,text\n", encoding="utf-8")
    code, out, err = cli("classify", str(empty), "--model", str(fast_load), "--format", "json")
    assert json.loads(out) == [], err


def test_an_errors_log_is_replaced_only_when_there_is_a_problem(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path
) -> None:
    log = tmp_path / "keep.jsonl"
    earlier = '{"source": "old.jsonl", "line": 3, "message": "kept", "level": "error"}\n'
    log.write_text(earlier, encoding="utf-8")
    args = ["classify", str(articles_jsonl), "--model", str(fast_load), "--errors", str(log)]
    code, _, err = cli(*args)
    assert code == 0, err
    assert log.read_text(encoding="utf-8") == earlier  # no problem: the file is not touched
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n" + json.dumps(ARTICLES[0]) + "\n", encoding="utf-8")
    code, _, err = cli("classify", str(bad), "--model", str(fast_load), "--errors", str(log))
    assert code == 0, err
    logged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(r["source"], r["line"]) for r in logged] == [(str(bad), 1)]  # replaced


@pytest.mark.parametrize("case", ["empty folder", "folder of data files", "csv header only"])
@pytest.mark.parametrize("command", ["classify", "ledger"])
def test_a_run_that_found_no_document_fails_and_names_the_input(
    cli: Cli, fast_load: Path, tmp_path: Path, case: str, command: str
) -> None:
    if case == "csv header only":
        source = tmp_path / "docs.csv"
        source.write_text("id,text\n", encoding="utf-8")
    else:
        source = tmp_path / "pages"
        source.mkdir()
        if case == "folder of data files":
            write_jsonl(source / "june.jsonl", ARTICLES)
    out = tmp_path / ("labels.csv" if command == "classify" else "ledger.json")
    extra = ["--strict"] if command == "classify" else []
    code, _, err = cli(command, str(source), "--model", str(fast_load), "-o", str(out), *extra)
    assert code == 1, err
    what = "classify" if command == "classify" else "link"
    assert f"error: no documents in {source}; nothing to {what}; {out} not written; exit 1" in (
        " ".join(err.split())
    )
    assert not out.exists()
    if case == "csv header only":
        assert f"warning: {source}: a header row and no data rows" in err


def test_a_mistyped_id_column_is_refused_not_ignored(
    cli: Cli, fast_load: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs.csv"
    docs.write_text(f'id,text\nc1,"{ARTICLES[0]["text"]}"\n', encoding="utf-8")
    code, out, err = cli("classify", str(docs), "--model", str(fast_load), "--id-column", "nope")
    assert code == 1
    assert out == ""
    assert (
        f"error: {docs}:1: no 'nope' column in the header (columns: id, text); check "
        "--id-column; file skipped"
    ) in " ".join(err.split())


def test_a_format_that_contradicts_the_suffix_is_written_with_a_warning(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.json"
    args = ["classify", str(articles_jsonl), "--model", str(fast_load), "-o", str(out)]
    code, _, err = cli(*args, "--format", "csv")
    assert code == 0, err
    assert f"warning: {out}: writing CSV (--format csv) to a .json file" in err  # as ledger says
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(FLAT_COLUMNS)
    code, _, err = cli(*args, "--format", "json")
    assert code == 0 and "warning" not in err


def test_the_format_warning_is_only_for_a_suffix_that_names_another_format() -> None:
    from naio_nlp.cli._output import format_mismatch
    from naio_nlp.cli.classify import _SUFFIX_FORMATS

    assert format_mismatch(Path("x.txt"), "csv", _SUFFIX_FORMATS) is None
    assert format_mismatch(Path("x.ndjson"), "jsonl", _SUFFIX_FORMATS) is None
    assert format_mismatch(Path("x.PQ"), "parquet", _SUFFIX_FORMATS) is None
    assert format_mismatch(Path("x.jsonl"), "json", _SUFFIX_FORMATS) == (
        "x.jsonl: writing JSON (--format json) to a .jsonl file"
    )


def test_csv_on_stdin_gets_a_hint_once(trained_model_path: Path) -> None:
    data = "id,title,text\n" + "".join(f'{a["id"]},x,"{a["text"]}"\n' for a in ARTICLES)
    cmd = [sys.executable, "-m", "naio_nlp", "classify", "-", "--model", str(trained_model_path)]
    done = subprocess.run(cmd, input=data, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    hint = (
        "warning: stdin is read as JSONL, and this looks like CSV; "
        "for CSV pass the file name instead of - (e.g. docs.csv)"
    )
    assert lines.count(hint) == 1
    assert lines.index(hint) == 1  # right after the first line's error
    assert lines[0].startswith("error: <stdin>:1: malformed JSON")
    # JSONL with a bad line gets no hint
    data = json.dumps(ARTICLES[0]) + "\n{oops, bad\n"
    done = subprocess.run(cmd, input=data, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "looks like CSV" not in done.stderr


EMPTY_RUNS = ["empty jsonl", "empty folder", "csv without text column", "csv header only"]


def _empty_input(tmp_path: Path, case: str) -> Path:
    if case == "empty jsonl":
        source = tmp_path / "empty.jsonl"
        source.write_bytes(b"")
    elif case == "empty folder":
        source = tmp_path / "pages"
        source.mkdir()
    else:
        source = tmp_path / "docs.csv"
        header = "id,body" if case == "csv without text column" else "id,text"
        source.write_text(f"{header}\n" + ("a,hello\n" if "without" in case else ""))
    return source


@pytest.mark.parametrize("name", ["keep.csv", "keep.jsonl", "keep.json", "keep.parquet"])
@pytest.mark.parametrize("case", EMPTY_RUNS)
def test_a_run_that_classified_nothing_leaves_the_previous_output_as_it_was(
    cli: Cli, fast_load: Path, articles_jsonl: Path, tmp_path: Path, case: str, name: str
) -> None:
    """It used to replace yesterday's labels with a header alone (or 0 bytes), then exit 1."""
    out = tmp_path / "out" / name
    out.parent.mkdir()
    code, _, err = cli("classify", str(articles_jsonl), "--model", str(fast_load), "-o", str(out))
    assert code == 0, err
    before = out.read_bytes()
    source = _empty_input(tmp_path, case)
    code, _, err = cli("classify", str(source), "--model", str(fast_load), "-o", str(out))
    assert code == 1, err
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == [name]  # no .part left either
    assert f"{out} not replaced, left as it was; exit 1" in " ".join(err.split())


@pytest.mark.parametrize("case", EMPTY_RUNS)
def test_a_run_that_classified_nothing_creates_no_output_and_says_so(
    cli: Cli, fast_load: Path, tmp_path: Path, case: str
) -> None:
    source = _empty_input(tmp_path, case)
    out, log = tmp_path / "labels.jsonl", tmp_path / "problems.jsonl"
    args = ["classify", str(source), "--model", str(fast_load), "-o", str(out)]
    code, _, err = cli(*args, "--errors", str(log), "--strict")
    assert code == 1, err
    assert not out.exists()  # was an empty file (0 bytes for JSONL)
    message = " ".join(err.split())
    assert f"; {out} not written; exit 1" in message
    assert "--strict" not in message  # the reason given is that nothing was classified
    if case in ("empty jsonl", "csv without text column"):
        # the problems are logged as with any run, and the message says where
        assert f"(see above; also in {log}); {out} not written" in message
        assert [json.loads(line)["source"] for line in log.read_text().splitlines()] == [
            str(source)
        ]
    else:
        assert not log.exists()  # no problem to log (the warnings are not input problems)
