"""The consoles every command prints through, so that all messages look alike.

Messages go to stderr and data to stdout. ``soft_wrap`` keeps a long line
(a URL, a path) whole when the output is piped to a file or another program,
where rich would otherwise cut it at 80 columns; ``warning:`` and ``error:``
prefixes are the only styles a message carries.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

__all__ = ["ERROR", "WARNING", "console", "error_line", "warning_line"]

ERROR = "[bold red]error:[/]"
WARNING = "[bold yellow]warning:[/]"


def console(*, stderr: bool = False) -> Console:
    """A console that never wraps mid-word when piped and does not colour numbers at random."""
    return Console(stderr=stderr, soft_wrap=True, highlight=False)


def error_line(message: str) -> str:
    """``error: message`` with the message's own brackets escaped."""
    return f"{ERROR} {escape(message)}"


def warning_line(message: str) -> str:
    """``warning: message`` with the message's own brackets escaped."""
    return f"{WARNING} {escape(message)}"
