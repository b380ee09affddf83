"""``naio-nlp examples``: write the bundled example inputs into a folder.

The README's quick start reads ``examples/articles.jsonl``, ``examples/articles.csv``
and ``examples/html``. They live in the package (``naio_nlp/examples``), so a wheel
carries them; a checkout links ``examples/`` at its top to that folder, and an
installed package writes them out with this command. Either way the README's
commands run as written.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

import typer

from .._text import plural
from ._console import console, error_line

err = console(stderr=True)


def example_files() -> list[tuple[str, Traversable]]:
    """(path relative to the examples folder, its resource) of each bundled example file."""
    found: list[tuple[str, Traversable]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            if child.name.startswith((".", "__")):
                continue
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                found.append((f"{prefix}{child.name}", child))

    walk(files("naio_nlp") / "examples", "")
    return sorted(found, key=lambda item: item[0])


def examples_command(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="Folder to write them into; created if missing (its parent must exist).",
        ),
    ] = Path("examples"),
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace files in DIR that have the same names."),
    ] = False,
) -> None:
    """Write the bundled example inputs (articles as JSONL, CSV and HTML pages) into DIR.

    The README's commands read them from examples/, the default DIR; run this
    once after installing the package. A file already in DIR with the same
    content is left as it is; one with other content is refused (nothing is
    written) unless --force is given.

    Examples:

    \b
        naio-nlp examples
        naio-nlp examples samples && naio-nlp classify samples/articles.jsonl
    """
    if folder.exists() and not folder.is_dir():
        raise typer.BadParameter(f"{folder} is a file, not a folder", param_hint="'DIR'")
    if not folder.exists() and not folder.absolute().parent.is_dir():
        raise typer.BadParameter(
            f"the folder {folder.parent} does not exist; create it first "
            f"(mkdir -p {folder.parent}) or write somewhere else",
            param_hint="'DIR'",
        )
    bundled = example_files()
    writes: list[tuple[Path, bytes]] = []
    same: list[str] = []
    other: list[str] = []
    for name, resource in bundled:
        target = folder / name
        data = resource.read_bytes()
        if target.is_dir():
            err.print(error_line(f"{target} is a folder; move it away, or choose another DIR"))
            raise typer.Exit(1)
        if target.exists():
            if target.read_bytes() == data:
                same.append(name)  # written before, or a checkout's own examples/
                continue
            other.append(name)
        writes.append((target, data))
    if other and not force:
        err.print(
            error_line(
                f"{folder} already holds {plural(len(other), 'file')} with other content: "
                f"{', '.join(other)}; nothing written; give --force to replace "
                f"{'it' if len(other) == 1 else 'them'}, or choose another DIR"
            )
        )
        raise typer.Exit(1)
    for target, data in writes:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    done = (
        f"wrote {plural(len(writes), 'example file')} to {folder}"
        if writes
        else f"{folder} already holds the {plural(len(bundled), 'example file')}"
    )
    if writes and same:
        done += f" ({len(same)} already there)"
    inputs = " ".join(str(folder / name) for name in ("articles.jsonl", "articles.csv", "html"))
    err.print(f"{done}; try: naio-nlp classify {inputs} -o labels.csv")


def register(app: typer.Typer) -> None:
    """Add ``examples`` to the app."""
    app.command("examples")(examples_command)
