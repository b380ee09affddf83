"""Output paths: every command refuses an unknown suffix or a missing folder before working."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from naio_nlp.cli._output import check_output
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
