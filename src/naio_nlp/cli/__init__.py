"""The ``naio-nlp`` command line.

Each stage's commands live in their own module and register themselves on
the one Typer app here; commands validate their arguments and call the same
library functions users import. Logging is configured here and only here.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, get_args, get_origin

import typer
import typer.main
from rich.markup import escape

from .._version import __version__
from ..errors import NaioError
from . import classify, collect, corpus, docs, examples, ledger, model, report, review
from ._console import console, error_line, warning_line

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
err_console = console(stderr=True)


class _MessageHandler(logging.Handler):
    """Log records printed as the commands print their own messages: ``warning: ...``."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.levelno >= logging.ERROR:
                err_console.print(error_line(message))
            elif record.levelno >= logging.WARNING:
                err_console.print(warning_line(message))
            else:
                err_console.print(escape(f"{record.levelname.lower()}: {message}"))
        except Exception:  # a logging failure must not end the command
            self.handleError(record)


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
    logging.basicConfig(level=level, handlers=[_MessageHandler()], force=True)


for _module in (report, collect, classify, examples, ledger, model, corpus, review, docs):
    _module.register(app)


_SECONDS = frozenset({"delay", "timeout"})


def _metavar(param: Any) -> str:
    """A plain placeholder (N, FILE, TEXT...) for an option Typer would show as ``<int range>``."""
    desc = param.type_descriptor
    if desc.is_choice:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in desc.choices or ()) + "]"
    if desc.is_path:
        info = desc.parameter_info
        if not info.dir_okay:
            return "FILE"
        return "PATH" if info.file_okay else "DIR"
    base = desc.annotation
    if get_origin(base) is list:
        (base,) = get_args(base)
    if base is int:
        return "N"
    if base is float:
        return "SECONDS" if param.name in _SECONDS else "NUMBER"
    return "TEXT"


def _plain_metavars(command: Any) -> Any:
    """Help shows ``--workers N`` and ``INPUT...``, not ``<int range>`` and ``{INPUT...}...``."""
    for param in command.params:
        if param.param_type_name == "option":
            if param.metavar is None and not param.is_flag and not param.count:
                param.metavar = _metavar(param)
        elif param.param_type_name == "argument":
            name = param.metavar or param.name.upper()
            shown = name if name.endswith("...") or param.nargs == 1 else f"{name}..."
            usage = shown if param.required else f"[{shown}]"
            # instance attributes win over Typer's methods that add <list[str]> and {...}
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = lambda usage=usage: usage
            param._rich_display_name = lambda shown=shown: shown
    for sub in getattr(command, "commands", {}).values():
        _plain_metavars(sub)
    return command


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code so tests can call it with an argument list."""
    try:
        command = _plain_metavars(typer.main.get_command(app))
        command(args=argv, prog_name="naio-nlp", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        if code == 130:  # Typer turns Ctrl-C into a silent exit 130
            err_console.print("interrupted")
        return code if isinstance(code, int) else (0 if code is None else 1)
    except NaioError as exc:
        err_console.print(error_line(str(exc)))
        return 1
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    return 0


def run() -> None:  # pragma: no cover - console-script shim
    raise SystemExit(main())
