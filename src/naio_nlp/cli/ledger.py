"""``naio-nlp ledger``: the artifact ledger of a store, or of article files.

From a store it reads the saved ledger of a model version and links what it
lacks (saving it back); from files it classifies the records and builds the
ledger in memory. JSONL, CSV/TSV and Parquet records need ``text`` (and
``id``); ``title``, ``date`` (or ``published``), ``url``, ``source`` and
``lang`` (or ``language``) are used when present.
"""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from .._text import plural
from ..errors import InputError, InvalidFieldError
from ..labels import LANGUAGES
from ..ledger import Ledger, build
from ..schema import Article
from ..store import Store
from ._output import check_output

LedgerFormat = Literal["json", "csv"]
_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".pq")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered lines, UTF-8 (or UTF-16 by its byte-order mark); a line that does not
    decode is an error naming the file and line."""
    with path.open("rb") as fh:
        head = fh.read(2)
        fh.seek(0)
        if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            try:
                text = fh.read().decode("utf-16")
            except UnicodeDecodeError as exc:
                raise InputError(str(path), "not valid UTF-16 text despite its BOM") from exc
            yield from enumerate(text.splitlines(keepends=True), 1)
            return
        for n, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    str(path),
                    f"not UTF-8 text (byte {raw[exc.start : exc.start + 1]!r}); "
                    "re-save the file as UTF-8",
                    line=n,
                ) from exc
            yield n, line


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        for n, line in _lines(path):
            if not line.strip():
                continue
            if "\x00" in line:
                raise InputError(str(path), "NUL bytes: not a JSON Lines text file", line=n)
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise InputError(str(path), f"not JSON: {exc}", line=n) from exc
            if not isinstance(rec, dict):
                raise InputError(str(path), "a record must be a JSON object", line=n)
            yield n, rec
    elif suffix in (".csv", ".tsv"):
        csv.field_size_limit(2**31 - 1)
        rows = csv.DictReader(
            (line for _, line in _lines(path)),
            delimiter="\t" if suffix == ".tsv" else ",",
            strict=True,
        )
        try:
            for n, row in enumerate(rows, 2):
                yield n, dict(row)
        except csv.Error as exc:
            raise InputError(str(path), f"malformed CSV ({exc})", line=rows.line_num) from exc
    elif suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        for n, row in enumerate(pq.read_table(path).to_pylist(), 1):
            yield n, row
    else:
        raise InputError(
            str(path),
            f"the ledger reads {', '.join(_SUFFIXES)} files (records with text, and "
            "optional date and url); label HTML pages first with `naio-nlp classify` "
            "or collect them into a store with `naio-nlp crawl`",
        )


def _article(rec: dict[str, Any], path: Path, line: int) -> Article:
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(str(path), "no text field", line=line)
    raw_date = rec.get("date") or rec.get("published")
    published = None
    if raw_date:
        try:
            published = date.fromisoformat(str(raw_date)[:10])
        except ValueError as exc:
            raise InputError(
                str(path), f"date {raw_date!r} is not an ISO date (YYYY-MM-DD)", line=line
            ) from exc
    lang = rec.get("lang") or rec.get("language")
    try:
        return Article(
            id=str(rec.get("id") or f"{path.name}:{line}"),
            text=text,
            title=str(rec.get("title") or ""),
            url=rec.get("url") or None,
            source=rec.get("source") or None,
            published=published,
            language=lang if lang in LANGUAGES else None,
        )
    except InvalidFieldError as exc:
        raise InputError(str(path), str(exc), line=line) from exc


def read_articles(paths: list[Path]) -> list[Article]:
    """Articles from JSONL/CSV/Parquet files (folders: their files of those kinds, sorted)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in _SUFFIXES))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(str(p), "no such file or folder")
    return [_article(rec, f, n) for f in files for n, rec in _records(f)]


def write_ledger(ledger: Ledger, out: Path | None, fmt: LedgerFormat) -> None:
    """Write the ledger as JSON or CSV to ``out`` (stdout when None)."""
    if out is not None:
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
        list[Path] | None,
        typer.Argument(help="JSONL/CSV/Parquet files or folders to classify and link."),
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
        typer.Option("--format", help="json or csv (default: from -o's extension, else json)."),
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Model folder (default: the shipped model).")
    ] = None,
    model_version: Annotated[
        str | None,
        typer.Option("--model-version", help="With --db: this version's labels (default latest)."),
    ] = None,
) -> None:
    """Group the reports of each NAIO output into one ledger entry, announced → operational.

    Examples:

        naio-nlp ledger --db naio.db -o ledger.json

        naio-nlp ledger exports/articles.jsonl -o ledger.csv

        naio-nlp ledger corpus/ledger/ --format csv > ledger.csv
    """
    from ..runner import update_ledger

    if (db is None) == (not articles):
        raise typer.BadParameter("give either --db or article files, not both and not neither")
    if out is not None:
        check_output(out, None if fmt is not None else (".json", ".csv"))
    if fmt is None:
        fmt = "csv" if out is not None and out.suffix.lower() == ".csv" else "json"
    if db is not None:
        with Store(db) as store:
            version = model_version or next(iter(reversed(store.model_versions())), None)
            if version is None:
                raise InputError(str(db), "no predictions yet; run `naio-nlp run` first")
            if version not in store.model_versions():
                raise InputError(str(db), f"no predictions by model version {version!r}")
            ledger, linked = update_ledger(store, version)
    else:
        from ..classifier import load

        docs = read_articles(list(articles or []))
        clf = load(model)
        predictions = list(clf.classify_many(docs))
        ledger = build(zip(docs, predictions, strict=True))
        linked = len(docs)
    write_ledger(ledger, out, fmt)
    typer.echo(
        f"{plural(len(ledger), 'output')} from {plural(linked, 'newly read document')}"
        + (f" → {out}" if out is not None else ""),
        err=True,
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("ledger")(ledger_command)
