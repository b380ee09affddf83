from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import naio_nlp

Cli = Callable[..., tuple[int, str, str]]


def test_version(cli: Cli) -> None:
    code, out, _ = cli("--version")
    assert code == 0
    assert out.strip() == f"naio-nlp {naio_nlp.__version__}"


def test_help_lists_commands(cli: Cli) -> None:
    code, out, _ = cli("--help")
    assert code == 0
    assert "Usage" in out and "naio-nlp" in out


def test_unknown_command_is_a_usage_error(cli: Cli) -> None:
    code, _, err = cli("no-such-command")
    assert code == 2
    assert "no-such-command" in err


def test_console_script_module_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import naio_nlp; print(naio_nlp.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == naio_nlp.__version__
