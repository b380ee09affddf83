"""What a new user sees: one message style, plain help placeholders, no silent waits."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.main

from naio_nlp.cli import app

Cli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "naio_nlp" / "examples"  # examples/ links here
SCRIPT = Path(sys.executable).parent / "naio-nlp"


def _command_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(command: object, prefix: list[str]) -> None:
        paths.append(prefix)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "naio-nlp")
def test_help_placeholders_are_plain(cli: Cli, path: list[str]) -> None:
    code, out, _ = cli(*path, "--help")
    assert code == 0
    assert not re.search(r"<[a-z][^>]*>", out), out  # <int range>, <list[str]>, <path>
    assert "{" not in out.split("\n\n", 1)[0]  # the usage line: no {INPUT...}...


def test_the_summary_rate_leaves_model_loading_out(cli: Cli) -> None:
    code, _, err = cli("classify", str(EXAMPLES / "articles.jsonl"))
    assert code == 0, err
    found = re.search(r"in ([\d.]+) s \(([\d,]+) docs/s\); model loaded in ([\d.]+) s", err)
    assert found, err
    seconds, rate = float(found.group(1)), int(found.group(2).replace(",", ""))
    assert rate > 0 and (seconds == 0 or rate == pytest.approx(4 / seconds, rel=0.6, abs=2))


def test_empty_stdin_says_no_input_before_loading_the_model() -> None:
    done = subprocess.run(
        [str(SCRIPT), "classify", "-"], input="", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stderr.strip() == "warning: no input: stdin is empty; nothing to classify"
    assert done.stdout == ""


def test_warnings_and_errors_share_one_style_and_are_not_wrapped_when_piped(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / ("a-folder-with-a-rather-long-name-" * 3)
    folder.mkdir()
    _, _, err = cli("classify", str(folder))
    assert f"warning: {folder}: no .html, .htm or .txt files in this folder\n" in err
    assert "WARNING" not in err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    code, _, err = cli("corpus", "validate", str(bad))
    assert code == 1
    assert f"error: {bad}:1: field 'title': missing" in err.splitlines()


def test_evaluate_says_what_it_is_doing_before_the_long_wait(cli: Cli, tmp_path: Path) -> None:
    import json

    rows = [
        json.loads(line)
        for line in (ROOT / "corpus" / "train.jsonl").read_text("utf-8").splitlines()
    ]
    picked = [
        r
        for lang in ("en", "mixed", "ms")
        for status in ("artifact", "symbolic", "unrelated")
        for r in [x for x in rows if x["lang"] == lang and x["status"] == status][:2]
    ]
    data = tmp_path / "few.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in picked), encoding="utf-8")
    code, out, err = cli("evaluate", "--data", str(data))
    assert code == 0, err
    lines = err.splitlines()
    assert lines[0] == "loading the model naio-default (shipped) ..."
    assert (
        f"scoring {len(picked)} documents of {data} with the model and the keyword baseline ..."
        in lines
    )
    assert re.fullmatch(r"scored in [\d.]+ s", lines[-1])
    assert f"({len(picked)} documents)" in out


def test_tables_on_a_pipe_are_not_folded_or_cut(cli: Cli) -> None:
    """Piped, rich drew tables 80 columns wide and folded the base URLs over three lines."""
    from naio_nlp.sources import load_sources

    code, out, _ = cli("sources", "list")  # captured: not a terminal, as in `| less`
    assert code == 0
    for source in load_sources():
        assert any(source.base_url in line for line in out.splitlines()), source.base_url


def test_a_narrow_pipe_still_gets_whole_cells() -> None:
    import io

    from rich.table import Table

    from naio_nlp.cli._console import console

    con = console()
    con.file = io.StringIO()
    con.width = 30
    table = Table("name", "url")
    table.add_row("kd-media", "https://www.digital.gov.my/en-GB/siaran/a-long-article-slug")
    con.print(table)
    con.print("after the table: " + "x" * 60)
    text = con.file.getvalue()
    assert "https://www.digital.gov.my/en-GB/siaran/a-long-article-slug" in text
    assert "…" not in text
    assert con.width == 30  # the console's own width is back for what follows
    assert "after the table: " + "x" * 60 in text  # soft_wrap: a long line stays whole


def test_dask_missing_is_one_line_naming_the_extra(tmp_path: Path) -> None:
    """Without the dask extra, ``--dask`` says what to install instead of a traceback."""
    data = tmp_path / "in.jsonl"
    data.write_text('{"id": "1", "title": "t", "text": "NAIO launched a plan."}\n', "utf-8")
    code = (
        "import sys\n"
        "sys.modules['dask'] = None  # what an install without the extra looks like\n"
        "sys.modules['distributed'] = None\n"
        "from naio_nlp.cli import run\n"
        f"sys.argv = ['naio-nlp', 'classify', {str(data)!r}, '--dask', 'local:2']\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "--dask needs Dask: pip install 'naio-nlp[dask]'" in done.stderr
    assert "whl[dask]" in done.stderr  # what a user who installed a wheel file types


@pytest.mark.parametrize(
    ("command", "listed"), [("classify", "jsonl, json, csv, parquet"), ("ledger", "json, csv")]
)
def test_a_bad_format_names_the_choices_in_plain_words(cli: Cli, command: str, listed: str) -> None:
    code, _, err = cli(command, str(EXAMPLES / "articles.jsonl"), "--format", "xml")
    assert code == 2
    assert f"'xml' is not one of {listed}" in err
    assert "Value error" not in err


def test_ctrl_c_says_interrupted_and_exits_130(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typer turns Ctrl-C into a silent exit 130; the user is told why the run stopped."""
    from naio_nlp import classifier

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(classifier, "load", interrupted)
    data = tmp_path / "in.jsonl"
    data.write_text('{"id": "1", "text": "NAIO launched a plan."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, err = cli("classify", str(data), "-o", str(out))
    assert code == 130
    assert err.strip().endswith("interrupted")
    assert not out.exists()
