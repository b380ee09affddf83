"""The consoles every command prints through, so that all messages look alike.

Messages go to stderr and data to stdout. ``soft_wrap`` keeps a long line
(a URL, a path) whole when the output is piped to a file or another program,
where rich would otherwise cut it at 80 columns; tables get the same care: on
a pipe a table is drawn at its natural width, so no cell is folded or cut.
``warning:`` and ``error:`` prefixes are the only styles a message carries.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

__all__ = ["ERROR", "WARNING", "console", "error_line", "warning_line"]

ERROR = "[bold red]error:[/]"
WARNING = "[bold yellow]warning:[/]"


#: Wide enough to measure any table's natural width.
_MEASURE_WIDTH = 100_000


class _Console(Console):
    """Off a terminal (piped, redirected), tables are drawn as wide as their cells need."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        tables = [o for o in objects if isinstance(o, Table)]
        if not tables or self.is_terminal:
            super().print(*objects, **kwargs)
            return
        options = self.options.update_width(_MEASURE_WIDTH)
        need = max(Measurement.get(self, options, t).maximum for t in tables)
        if need <= self.width:
            super().print(*objects, **kwargs)
            return
        narrow = self.width
        self.width = need
        try:
            super().print(*objects, **kwargs)
        finally:
            self.width = narrow


def console(*, stderr: bool = False) -> Console:
    """A console that never wraps mid-word when piped and does not colour numbers at random."""
    return _Console(stderr=stderr, soft_wrap=True, highlight=False)


def error_line(message: str) -> str:
    """``error: message`` with the message's own brackets escaped."""
    return f"{ERROR} {escape(message)}"


def warning_line(message: str) -> str:
    """``warning: message`` with the message's own brackets escaped."""
    return f"{WARNING} {escape(message)}"
