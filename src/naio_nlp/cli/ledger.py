"""``naio-nlp ledger``: the artifact ledger of a store, or of article files.

From a store it reads the saved ledger of a model version and links what it
lacks (saving it back); from files it classifies the records and builds the
ledger in memory. Files are read exactly as ``naio-nlp classify`` reads them
(:func:`naio_nlp.batch.read_articles`): JSONL, .json, CSV/TSV, Parquet, .html/.htm/.txt
files, folders of HTML/text, ``-`` for JSONL on stdin, with the same report of
bad rows. Records need ``text`` (``--text-column``); ``id``, ``title``, ``date``
(or ``published``: ISO, or English and Malay dates read day first, see
:func:`naio_nlp.batch.read_articles`), ``url``, ``source`` and ``lang`` (or
``language``) are used when present.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from .._text import plural
from ..batch import FOLDER_SUFFIXES, BatchStats
from ..errors import InputError
from ..ledger import Ledger, build
from ..store import Store
from ._console import console, warning_line
from ._output import check_not_input, check_output, choice, format_mismatch, is_stream

LedgerFormat = Literal["json", "csv"]
err = console(stderr=True)
_SUFFIX_FORMATS = {".json": "json", ".csv": "csv"}


def write_ledger(ledger: Ledger, out: Path | None, fmt: LedgerFormat) -> None:
    """Write the ledger as JSON or CSV to ``out`` (stdout when None)."""
    if out is not None:
        if not is_stream(out):  # /dev/null's folder exists, and is not ours to make
            out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            ledger.write_csv(out)
        else:
            ledger.write_json(out)
        return
    if fmt == "csv":
        from ..ledger import CSV_COLUMNS

        writer = csv.writer(sys.stdout)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(ledger.csv_rows())
    else:
        sys.stdout.write(json.dumps(ledger.to_dict(), ensure_ascii=False, indent=1) + "\n")


def ledger_command(
    articles: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="INPUT...",
            help="Files to classify and link, read as `classify` reads them: JSONL, .json, "
            "CSV/TSV, Parquet, .html/.htm/.txt files, folders of them, or - for JSONL on stdin.",
            show_default=False,
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", exists=True, dir_okay=False, help="Read and update a store's ledger."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output file (default: stdout).")
    ] = None,
    fmt: Annotated[
        LedgerFormat | None,
        typer.Option(
            "--format",
            parser=choice({"json": "json", "csv": "csv"}),
            metavar="[json|csv]",
            help="json or csv (default: from -o's extension, else json).",
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Model folder (default: the shipped model).")
    ] = None,
    model_version: Annotated[
        str | None,
        typer.Option("--model-version", help="With --db: this version's labels (default latest)."),
    ] = None,
    text_column: Annotated[str, typer.Option(help="Text field of CSV/JSONL/Parquet.")] = "text",
    id_column: Annotated[
        str,
        typer.Option(help="Id field of CSV/JSONL/Parquet; another name than id must be there."),
    ] = "id",
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 after writing if any input had a problem.")
    ] = False,
) -> None:
    """Group the reports of each NAIO output into one ledger entry, announced → operational.

    Examples:

    \b
        naio-nlp ledger --db naio.db -o ledger.json
        naio-nlp ledger exports/articles.jsonl -o ledger.csv
        naio-nlp ledger corpus/ledger/dev.jsonl --format csv > ledger.csv

    Bad input (a malformed line, a missing text, an empty, binary or
    undecodable file) is reported with file and line and skipped, as
    `naio-nlp classify` does; --strict then exits 1, and so does a run in which
    no document could be read (it leaves -o as it was, or uncreated). Dates may
    be ISO or as news sites write them in English or Malay ("7 Dec 2026",
    "7 Disember 2026"; numbers day first: 07/12/2026 is 7 December); a record
    whose date cannot be read is kept, undated, with a warning. See
    `naio-nlp docs ledger`.
    """
    from ..runner import update_ledger
    from .classify import _Problems, classify_inputs, end_strict, not_written, skipped

    problems = _Problems(None, err)
    stats = BatchStats()
    if (db is None) == (not articles):
        raise typer.BadParameter("give either --db or article files, not both and not neither")
    if out is not None:
        # a device or pipe (/dev/null, /dev/stdout) takes --format, else JSON, as stdout does
        check_output(out, None if fmt is not None else (".json", ".csv"), streams=True)
        # before anything is opened: the output must not replace an input or the store
        check_not_input(
            out, [*(articles or []), *([db] if db else [])], folder_suffixes=FOLDER_SUFFIXES
        )
    if fmt is None:
        by_name = out is not None and not is_stream(out) and out.suffix.lower() == ".csv"
        fmt = "csv" if by_name else "json"
    elif out is not None and (mismatch := format_mismatch(out, fmt, _SUFFIX_FORMATS)):
        err.print(warning_line(mismatch))
    if db is not None:
        with Store(db) as store:
            version = model_version or next(iter(reversed(store.model_versions())), None)
            if version is None:
                raise InputError(str(db), "no predictions yet; run `naio-nlp run` first")
            if version not in store.model_versions():
                raise InputError(str(db), f"no predictions by model version {version!r}")
            ledger, linked = update_ledger(store, version)
    else:
        docs, predictions = classify_inputs(
            articles or [],
            model=model,
            text_column=text_column,
            id_column=id_column,
            problems=problems,
            stats=stats,
            task="link",
            then="the ledger counts one report per id",
            before_exit=lambda: (
                write_ledger(build([]), out, fmt)
                if out is None or is_stream(out)  # a pipe still gets its (empty) ledger
                else None
            ),
            nothing_written=not_written(out),
        )
        linking = err.status(f"linking {plural(len(docs), 'document')}")
        with linking if err.is_terminal else contextlib.nullcontext():
            ledger = build(zip(docs, predictions, strict=True))
        linked = len({d.id for d in docs})
    write_ledger(ledger, out, fmt)
    typer.echo(
        f"{plural(len(ledger), 'output')} from {plural(linked, 'newly read document')}"
        + (f" → {out}" if out is not None else ""),
        err=True,
    )
    if stats.skipped:
        err.print(f"skipped {skipped(stats)} (see above)")
    end_strict(problems, strict)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("ledger")(ledger_command)
