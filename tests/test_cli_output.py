"""Output paths: every command refuses an unknown suffix or a missing folder before working."""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from naio_nlp.cli._output import check_not_input, check_output
from naio_nlp.store import Store

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "The office published a framework."}\n', encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "naio.db"
    Store(db).close()
    return db


def _one_line(err: str) -> str:
    return " ".join(err.split())


@pytest.mark.parametrize(
    ("command", "name", "accepted"),
    [
        ("classify", "labels.xlsx", ".jsonl, .ndjson, .json, .csv, .parquet, .pq"),
        ("ledger", "ledger.txt", ".json, .csv"),
        ("export", "articles.xml", ".jsonl, .ndjson, .csv, .parquet"),
    ],
)
def test_an_unknown_suffix_is_refused_with_the_accepted_ones(
    cli: Cli,
    article_file: Path,
    store: Path,
    tmp_path: Path,
    command: str,
    name: str,
    accepted: str,
) -> None:
    target = tmp_path / name
    args = ["--db", str(store)] if command == "export" else [str(article_file)]
    code, _, err = cli(command, *args, "-o", str(target))
    assert code == 2
    message = _one_line(err)
    assert f"'{name}': unknown suffix '{Path(name).suffix}'" in message
    assert f"accepted suffixes: {accepted}" in message
    assert not target.exists()


@pytest.mark.parametrize("command", ["classify", "ledger", "export"])
def test_a_missing_folder_is_refused_not_created(
    cli: Cli, article_file: Path, store: Path, tmp_path: Path, command: str
) -> None:
    folder = tmp_path / "no-such-folder"
    args = ["--db", str(store)] if command == "export" else [str(article_file)]
    code, _, err = cli(command, *args, "-o", str(folder / "out.csv"))
    assert code == 2
    message = _one_line(err)
    assert f"the folder {folder} does not exist" in message
    assert f"mkdir -p {folder}" in message
    assert not folder.exists()


def test_classify_checks_the_errors_log_path_too(
    cli: Cli, article_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "logs"
    code, _, err = cli("classify", str(article_file), "--errors", str(folder / "errors.jsonl"))
    assert code == 2
    assert "'--errors'" in err and f"the folder {folder} does not exist" in _one_line(err)


def test_a_folder_given_as_output_is_refused(cli: Cli, article_file: Path, tmp_path: Path) -> None:
    code, _, err = cli("ledger", str(article_file), "-o", str(tmp_path))
    assert code == 2
    assert f"{tmp_path} is a folder; give a file name" in _one_line(err)


def test_with_format_any_name_is_accepted(tmp_path: Path) -> None:
    assert check_output(tmp_path / "labels.txt", None) == tmp_path / "labels.txt"


def test_a_default_output_folder_is_created(tmp_path: Path) -> None:
    target = tmp_path / "corpus" / "reviewed.jsonl"
    assert check_output(target, (".jsonl",), create_parent=True) == target
    assert target.parent.is_dir()
    with pytest.raises(typer.BadParameter, match="does not exist"):
        check_output(tmp_path / "other" / "reviewed.jsonl", (".jsonl",))


@pytest.mark.parametrize(
    ("command", "input_name", "option", "output"),
    [
        ("classify", "same.jsonl", "--errors", "same.jsonl"),
        ("classify", "same.jsonl", "-o", "same.jsonl"),
        ("classify", "same.jsonl", "-o", "sub/../same.jsonl"),  # another spelling
        ("classify", "same.csv", "-o", "same.csv"),
        ("ledger", "same.csv", "-o", "same.csv"),
        ("ledger", "same.jsonl", "-o", "same.jsonl"),  # with --format below
    ],
)
def test_an_output_that_is_an_input_is_refused_before_it_is_opened(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    input_name: str,
    option: str,
    output: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    source = tmp_path / input_name
    content = (
        "id,text\na,The office published a framework.\n"
        if source.suffix == ".csv"
        else '{"id": "a", "text": "The office published a framework."}\n'
    )
    source.write_text(content, encoding="utf-8")
    fmt = ["--format", "json"] if command == "ledger" and source.suffix == ".jsonl" else []
    code, _, err = cli(command, input_name, option, output, *fmt)
    assert code == 2, err
    assert (
        f"Invalid value for '{option}': {output} is also an input; write the output elsewhere"
        in (_one_line(err))
    )
    assert source.read_text(encoding="utf-8") == content
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["sub", input_name])


def test_a_symlink_to_an_input_is_the_input(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    source.write_text('{"id": "a", "text": "The office published a framework."}\n')
    link = tmp_path / "link.jsonl"
    link.symlink_to(source)
    code, _, err = cli("classify", str(link), "-o", str(source))
    assert code == 2
    assert f"{source} is also an input" in _one_line(err)
    assert source.read_text().startswith('{"id": "a"')


def test_the_ledger_does_not_write_over_its_store(cli: Cli, store: Path) -> None:
    code, _, err = cli("ledger", "--db", str(store), "-o", str(store), "--format", "json")
    assert code == 2
    assert f"{store} is also an input" in _one_line(err)
    with Store(store):  # still a store
        pass


def test_an_output_a_folder_input_would_read_is_refused(cli: Cli, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("A title\n\nThe office published a framework.\n")
    code, _, err = cli("classify", str(pages), "-o", str(pages / "labels.txt"), "--format", "csv")
    assert code == 2
    assert (
        f"{pages / 'labels.txt'} is inside the input folder {pages}, whose .html, .htm and "
        ".txt files are read; write the output elsewhere"
    ) in _one_line(err)
    assert sorted(p.name for p in pages.iterdir()) == ["a.txt"]
    # what the folder does not read may be written there (a CSV, a hidden file)
    for fine in (pages / "labels.csv", pages / ".labels.txt", pages / ".cache" / "x.txt"):
        check_not_input(fine, [pages], folder_suffixes=(".html", ".htm", ".txt"))


def test_errors_and_output_must_be_two_files(cli: Cli, article_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    code, _, err = cli("classify", str(article_file), "-o", str(target), "--errors", str(target))
    assert code == 2
    assert f"{target} is also -o; give the error log a file of its own" in _one_line(err)
    assert not target.exists()


def test_a_device_is_written_in_place_in_the_format_stdout_gets(
    cli: Cli, article_file: Path, tmp_path: Path
) -> None:
    """-o /dev/null was refused ("'null': no suffix") or, with --format, renamed over.

    A temporary file renamed onto the output replaced what was there: run as root,
    `classify -o /dev/null --format jsonl` replaced the device with a regular file.
    A link to /dev/null stands in for it here, so old code cannot harm the machine.
    """
    null = tmp_path / "null"
    null.symlink_to(os.devnull)
    for command, extra in [
        ("classify", ["--format", "jsonl"]),
        ("classify", []),  # JSONL, as on stdout
        ("classify", ["--format", "parquet", "--errors", str(null)]),
        ("ledger", []),  # JSON, as on stdout
        ("ledger", ["--format", "csv"]),
    ]:
        code, out, err = cli(command, str(article_file), "-o", str(null), *extra)
        assert code == 0, (command, extra, err)
        assert out == ""
        assert null.is_symlink() and os.readlink(null) == os.devnull
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "null"]  # no .part
    assert "→ " + str(null) in err  # the ledger's line names where it wrote


def test_a_named_pipe_gets_the_records_as_they_are_written(
    cli: Cli, article_file: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "labels"
    os.mkfifo(fifo)
    received: list[str] = []

    def read() -> None:
        with fifo.open(encoding="utf-8") as f:
            received.extend(f)

    reader = threading.Thread(target=read, daemon=True)  # old code never opened the pipe
    reader.start()
    code, _, err = cli("classify", str(article_file), "-o", str(fifo), "--format", "jsonl")
    assert code == 0, err
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still the pipe, not a file renamed over it
    assert [json.loads(line)["id"] for line in received] == ["a"]
