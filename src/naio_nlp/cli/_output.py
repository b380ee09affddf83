"""One check for every output path a command writes (``-o``, ``--output``, ``--errors``).

Before any work starts, a path is refused when its suffix is not one the
command writes (the message lists those it accepts), when it names a folder,
or when its folder does not exist: a mistyped folder should not be created
silently deep in the tree. A caller that means to make the folder passes
``create_parent=True``.

:func:`check_not_input` then refuses an output that is one of the command's
inputs (or a file its input folder would read): writing it would destroy the
input before, or while, it is read.

For the commands that accept one (``streams=True``), a device or a named pipe
that exists (``/dev/null``, ``/dev/stdout``, a FIFO) is a stream, not a file
(:func:`is_stream`): any name will do, the format is ``--format``'s or the
command's default for standard output, and it is written directly, as standard
output is, never through a temporary file renamed onto it (that would replace
``/dev/null`` itself).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import typer

__all__ = [
    "check_not_input",
    "check_output",
    "choice",
    "format_mismatch",
    "is_stream",
    "same_file",
]

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
    streams: bool = False,
) -> Path:
    """``path`` when a command can write it; :class:`typer.BadParameter` saying why not.

    ``accepted`` are lower-case suffixes with their dot (``.jsonl``); None
    accepts any name (the format was given separately). With ``streams``, a
    device or named pipe (:func:`is_stream`) is accepted whatever its name; the
    caller picks its format and writes it in place.
    """
    hint = f"'{option}'"
    suffixes = tuple(accepted) if accepted is not None else None
    if streams and is_stream(path):
        return path
    if _is_block_device(path):
        raise typer.BadParameter(
            f"{path} is a block device (a disk), not a file; give a file name", param_hint=hint
        )
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


def is_stream(path: Path) -> bool:
    """Whether ``path`` (or what a link there points to) is a character device or a named pipe.

    Such an output is written in place, like standard output: ``/dev/null``,
    ``/dev/stdout``, ``/dev/stderr``, a FIFO.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _is_block_device(path: Path) -> bool:
    try:
        return stat.S_ISBLK(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def format_mismatch(path: Path, fmt: str, suffix_formats: Mapping[str, str]) -> str | None:
    """The warning for ``--format`` naming another format than ``path``'s suffix, or None.

    ``--format`` wins, as documented; a .json file holding CSV should not be a
    surprise. A suffix that names no format (``.txt``) gets no warning.
    """
    implied = suffix_formats.get(path.suffix.lower())
    if implied is None or implied == fmt:
        return None
    return f"{path}: writing {fmt.upper()} (--format {fmt}) to a {path.suffix} file"


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same inode, or the same resolved path."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def check_not_input(
    path: Path,
    inputs: Iterable[str | os.PathLike[str]],
    *,
    option: str = "-o",
    folder_suffixes: Iterable[str] = (),
) -> None:
    """Refuse (:class:`typer.BadParameter`) an output ``path`` that is also an input.

    An input file is matched by inode or resolved path (a symlink or ``./x`` is
    the same file); an input folder matches a path inside it whose suffix is
    one of ``folder_suffixes`` (what the command reads from folders). ``-``
    (stdin) is never a file. Call it before anything is opened.
    """
    hint = f"'{option}'"
    readable = tuple(s.lower() for s in folder_suffixes)
    for given in inputs:
        name = os.fspath(given)
        if name == "-":
            continue
        source = Path(name)
        if source.is_dir():
            if not readable or path.suffix.lower() not in readable:
                continue
            target, folder = path.resolve(), source.resolve()
            if not target.is_relative_to(folder):
                continue
            if not any(p.startswith(".") for p in target.relative_to(folder).parts):
                raise typer.BadParameter(
                    f"{path} is inside the input folder {source}, whose "
                    f"{_and(readable)} files are read; write the output elsewhere",
                    param_hint=hint,
                )
        elif same_file(path, source):
            raise typer.BadParameter(
                f"{path} is also an input; write the output elsewhere", param_hint=hint
            )


def _and(items: tuple[str, ...]) -> str:
    """``.html, .htm and .txt``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
