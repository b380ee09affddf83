"""The ``naio-nlp`` command line.

Each stage's commands live in their own module and register themselves on
the one Typer app here; commands validate their arguments and call the same
library functions users import. Logging is configured here and only here.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from .._version import __version__
from ..errors import NaioError
from . import classify, collect, corpus, model, report, review

app = typer.Typer(
    name="naio-nlp",
    help=(
        "Track whether Malaysia's National AI Office (NAIO) produces execution "
        "artifacts or symbolic announcements: collect public announcements, label "
        "them, and report the answer over time."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain click help: no "<bool>" placeholders on flags
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: Messages for people go to stderr so that stdout stays clean for pipes.
err_console = Console(stderr=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"naio-nlp {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv for debug).")
    ] = 0,
) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False, show_time=False)],
        force=True,
    )


for _module in (report, collect, classify, model, corpus, review):
    _module.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code so tests can call it with an argument list."""
    try:
        app(args=argv, prog_name="naio-nlp", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except NaioError as exc:
        err_console.print(
            f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        return 1
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    return 0


def run() -> None:  # pragma: no cover - console-script shim
    raise SystemExit(main())
