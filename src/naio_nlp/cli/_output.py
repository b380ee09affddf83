"""One check for every output path a command writes (``-o``, ``--output``, ``--errors``).

Before any work starts, a path is refused when its suffix is not one the
command writes (the message lists those it accepts), when it names a folder,
or when its folder does not exist: a mistyped folder should not be created
silently deep in the tree. A command whose output belongs in a folder of its
own (``corpus add-reviewed`` writes ``corpus/reviewed.jsonl`` by default, a
corpus folder) passes ``create_parent=True`` and the folder is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import typer

__all__ = ["check_output", "choice"]

T = TypeVar("T")


def choice(choices: Mapping[str, T]) -> Callable[[str], T]:
    """A ``parser=`` for an option with a fixed set of values, case-insensitive.

    Typer's own check of an enum or ``Literal`` option words its refusal as a
    pydantic error ("Value error, 'xml' is not one of ..."); this one says
    "'xml' is not one of json, csv".
    """

    def parse(value: str) -> T:
        if isinstance(value, str) and value.lower() in choices:
            return choices[value.lower()]
        if not isinstance(value, str):  # already parsed (a default)
            return value
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")

    return parse


def check_output(
    path: Path,
    accepted: Iterable[str] | None,
    *,
    option: str = "-o",
    create_parent: bool = False,
) -> Path:
    """``path`` when a command can write it; :class:`typer.BadParameter` saying why not.

    ``accepted`` are lower-case suffixes with their dot (``.jsonl``); None
    accepts any name (the format was given separately).
    """
    hint = f"'{option}'"
    suffixes = tuple(accepted) if accepted is not None else None
    if path.is_dir():
        example = path / f"output{suffixes[0] if suffixes else ''}"
        raise typer.BadParameter(
            f"{path} is a folder; give a file name, e.g. {example}", param_hint=hint
        )
    if suffixes is not None and path.suffix.lower() not in suffixes:
        found = f"unknown suffix {path.suffix!r}" if path.suffix else "no suffix"
        raise typer.BadParameter(
            f"{path.name!r}: {found}; accepted suffixes: {', '.join(suffixes)}",
            param_hint=hint,
        )
    parent = path.parent
    if not parent.is_dir():
        if parent.exists():
            raise typer.BadParameter(f"{parent} is a file, not a folder", param_hint=hint)
        if not create_parent:
            raise typer.BadParameter(
                f"the folder {parent} does not exist; create it first "
                f"(mkdir -p {parent}) or write somewhere else",
                param_hint=hint,
            )
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise typer.BadParameter(
                f"cannot create the folder {parent} ({exc.strerror})", param_hint=hint
            ) from exc
    return path
