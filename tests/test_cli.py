from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import naio_nlp

Cli = Callable[..., tuple[int, str, str]]


def test_version(cli: Cli) -> None:
    code, out, _ = cli("--version")
    assert code == 0
    assert out.strip() == f"naio-nlp {naio_nlp.__version__}"


def test_help_lists_every_command_with_its_summary(cli: Cli) -> None:
    import typer.main

    from naio_nlp.cli import app

    code, out, _ = cli("--help")
    assert code == 0
    assert out.startswith("Usage: naio-nlp [OPTIONS] COMMAND [ARGS]...")
    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert {"run", "crawl", "classify", "train", "evaluate", "report", "sources"} <= set(commands)
    listed = out.split("Commands:", 1)[1]
    for name, command in commands.items():
        summary = command.get_short_help_str(limit=40).rstrip(".")[:20]
        assert f"  {name} " in listed and summary in listed, name


def _leaf_commands(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in getattr(group, "commands", {}).items():
        if getattr(command, "commands", None):
            found += _leaf_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def test_every_help_shows_its_example_commands_whole(cli: Cli) -> None:
    """Click rewraps a docstring paragraph: example lines without a \\b marker come out
    joined or broken ("... --seed 0     naio-" / "nlp train ..."). Each example command
    a docstring holds must be one line of the --help a user reads."""
    import typer.main

    from naio_nlp.cli import app

    group = typer.main.get_command(app)
    for path in _leaf_commands(group):
        command = group
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        examples = [
            line.strip().split("  #")[0].strip()
            for line in (command.help or "").splitlines()
            if line.strip().startswith("naio-nlp ")
        ]
        code, out, _ = cli(*path, "--help")
        assert code == 0, path
        shown = {line.strip().split("  #")[0].strip() for line in out.splitlines()}
        for example in examples:
            assert example in shown, (path, example)


def test_docs_lists_and_prints_the_pages_the_help_points_to(cli: Cli) -> None:
    code, out, _ = cli("docs")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert {"classify", "ledger", "report", "codebook"} <= set(names)
    # every page a command's help names is one of them
    for command, page in [("classify", "classify"), ("ledger", "ledger"), ("corpus", "codebook")]:
        _, help_text, _ = cli(command, "--help")
        assert f"naio-nlp docs {page}" in " ".join(help_text.split()), command
    code, out, _ = cli("docs", "codebook")
    assert code == 0 and out.startswith("# naio_nlp annotation codebook")
    code, out, _ = cli("docs", "CLASSIFY.md", "--path")
    assert code == 0 and Path(out.strip()).name == "classify.md"
    code, _, err = cli("docs", "nope")
    assert code == 2 and "codebook" in err


def test_unknown_command_is_a_usage_error(cli: Cli) -> None:
    code, _, err = cli("no-such-command")
    assert code == 2
    assert "no-such-command" in err


def test_the_console_script_runs_as_a_user_runs_it(tmp_path: Path) -> None:
    """The installed ``naio-nlp`` entry point, in a subprocess: version, then a real classify."""
    script = Path(sys.executable).parent / "naio-nlp"
    assert script.is_file(), "the console script is not installed (pip install -e .)"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"naio-nlp {naio_nlp.__version__}"
    doc = {"id": "d1", "text": "The National AI Office released its AI governance guideline."}
    done = subprocess.run(
        [str(script), "classify", "-"],
        input=json.dumps(doc) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    (row,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert row["id"] == "d1" and row["status"] in naio_nlp.STATUSES
    assert "read 1, classified 1" in done.stderr
    bad = subprocess.run(
        [str(script), "classify", str(tmp_path / "missing.jsonl")], capture_output=True, text=True
    )
    assert bad.returncode != 0 and "missing.jsonl" in bad.stderr
