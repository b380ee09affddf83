"""``naio-nlp docs``: the project's guides and the codebook, read where they are installed.

The commands' help points to these pages (``naio-nlp docs classify``); a wheel carries
them inside the package (``naio_nlp/docs``, the codebook as ``codebook.md``), a checkout
has them in ``docs/`` and ``corpus/CODEBOOK.md``.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

#: The codebook's page name: it lives in corpus/ in a checkout, beside the labels.
CODEBOOK = "codebook"


def doc_pages() -> dict[str, Path]:
    """Page name -> its Markdown file: the installed copies, else the checkout's."""
    pages: dict[str, Path] = {}
    packaged = Path(str(files("naio_nlp") / "docs"))
    checkout = Path(__file__).resolve().parents[3]
    for folder in (packaged, checkout / "docs"):
        if folder.is_dir():
            for md in sorted(folder.glob("*.md")):
                pages.setdefault(md.stem.lower(), md)
    codebook = checkout / "corpus" / "CODEBOOK.md"
    if CODEBOOK not in pages and codebook.is_file():
        pages[CODEBOOK] = codebook
    return pages


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip().replace("`", "")
    return ""


def docs_command(
    page: Annotated[
        str | None,
        typer.Argument(
            metavar="PAGE", help="A page to print (Markdown) on stdout.", show_default=False
        ),
    ] = None,
    path: Annotated[
        bool, typer.Option("--path", help="Print the page's file path instead of its text.")
    ] = False,
) -> None:
    """List the guides and the annotation codebook, or print one of them.

    The pages are the ones the commands' help refers to; they ship with the
    package, so they are here without the source tree.

    Examples:

    \b
        naio-nlp docs                    # the pages, one line each
        naio-nlp docs codebook | less    # what the labels mean
        naio-nlp docs classify --path    # where the page is
    """
    pages = doc_pages()
    if page is None:
        width = max((len(name) for name in pages), default=0)
        for name, found in pages.items():
            typer.echo(f"{name:<{width}}  {_title(found)}")
        return
    md = pages.get(page.lower().removesuffix(".md"))
    if md is None:
        raise typer.BadParameter(
            f"no page {page!r}; the pages are {', '.join(pages) or 'none'}", param_hint="'PAGE'"
        )
    if path:
        typer.echo(str(md))
        return
    sys.stdout.write(md.read_text(encoding="utf-8"))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("docs")(docs_command)
