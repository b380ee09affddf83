"""Classify many documents from files: JSONL, JSON, CSV/TSV, Parquet, HTML/text, stdin.

A batch is a stream: each reader is a generator that holds one record (or
one Parquet record batch) at a time, the classifier works in batches, and
results come back lazily in input order, so memory stays flat however large
the input is.

Bad input never stops a batch. A malformed line, a missing text, an empty,
binary or undecodable file is reported as an :class:`~naio_nlp.errors.InputError`
naming the file and line (or row), counted in :class:`BatchStats`, and
skipped. A document longer than :data:`MAX_CHARS` characters is classified on
its beginning and reported as :class:`TruncatedInput` (a warning, not a
skip); JSONL lines and text/HTML files are read only up to a byte cap, so an
absurd document is never loaded whole. CSV cells and Parquet values are read
whole by the csv module and pyarrow before they are cut.

Line numbers are 1-based physical lines of the file where the record starts
(the header is line 1 of a CSV); Parquet rows are numbered from 1. A record
without an id gets ``<file>:<line>``; a file from a folder gets its path.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import logging
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from ._text import json_problem, plural
from ._workers import map_batches
from .errors import (
    ExtractionError,
    InputError,
    InputWarning,
    InvalidFieldError,
    ModelError,
    TruncatedInput,
)
from .labels import ARTIFACT_TYPES, DOMAINS, STATUSES
from .schema import Article, Prediction

if TYPE_CHECKING:
    from .classifier import Classifier

__all__ = [
    "FLAT_COLUMNS",
    "MAX_CHARS",
    "ArticleReading",
    "BatchResult",
    "BatchRun",
    "BatchStats",
    "RepeatedIds",
    "TruncatedInput",
    "classify_files",
    "count_documents",
    "flat_record",
    "input_kind",
    "label_items",
    "read_articles",
]

log = logging.getLogger(__name__)

#: Documents are classified on at most this many characters (the pipeline's own cut).
MAX_CHARS: Final = 100_000
#: A JSONL line is read up to this many bytes; the rest is skipped, not loaded.
MAX_LINE_BYTES: Final = 1 << 20
#: An HTML file is read up to this many bytes (markup is much longer than its text).
MAX_HTML_BYTES: Final = 16 << 20
#: csv's own limit is 128 KB per field; documents are longer. The limit still
#: bounds what a quote left open can swallow before the record is refused.
CSV_FIELD_LIMIT: Final = 64 << 20
STDIN: Final = "-"
#: The id field used when present; another name (``id_column``) must be there.
DEFAULT_ID_COLUMN: Final = "id"

_JSONL = (".jsonl", ".ndjson")
_JSON = (".json",)
#: The keys under which a .json object may hold its list of articles.
_JSON_LIST_KEYS: Final = ("articles", "documents", "records", "items", "data")
_CSV = (".csv", ".tsv")
_PARQUET = (".parquet", ".pq")
_HTML = (".html", ".htm")
_TEXT = (".txt",)
#: What a folder given as input is read for.
FOLDER_SUFFIXES: Final = _HTML + _TEXT
_SNIFF = 8192
ErrorHandler = Callable[[InputError], None]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One classified document and where it came from."""

    prediction: Prediction
    source: str
    line: int | None
    truncated: bool = False


@dataclass(slots=True)
class BatchStats:
    """Running counts of a batch; ``read == classified + skipped`` once it has finished.

    A bad file (empty, binary, unreadable, no text column) counts as one
    skipped record, since its records cannot be counted; ``skipped_files`` says
    how many of the ``skipped`` were such whole files (an HTML or text file that
    gave no document included), so that a message can say "1 file" rather than
    "1 record".
    """

    read: int = 0
    classified: int = 0
    skipped: int = 0
    truncated: int = 0
    errors: int = 0
    skipped_files: int = 0


#: Record fields kept beside the text for :func:`read_articles` (the ledger needs dates).
_META: Final = ("date", "published", "url", "source")


@dataclass(slots=True)
class _Doc:
    id: str
    title: str
    text: str
    lang: str | None
    source: str
    line: int | None
    truncated: bool
    meta: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------- inputs


def input_kind(path: str | os.PathLike[str]) -> str:
    """``jsonl``, ``csv``, ``tsv``, ``parquet``, ``html``, ``text``, ``dir`` or ``stdin``.

    Raises :class:`InputError` for a missing path or an unknown extension, so
    a typo fails before any work starts.
    """
    name = os.fspath(path)
    if name == STDIN:
        return "stdin"
    p = Path(name)
    if p.is_dir():
        return "dir"
    if not p.exists():
        raise InputError(name, "no such file or directory")
    suffix = p.suffix.lower()
    for kind, suffixes in (
        ("jsonl", _JSONL),
        ("json", _JSON),
        ("parquet", _PARQUET),
        ("html", _HTML),
        ("text", _TEXT),
    ):
        if suffix in suffixes:
            return kind
    if suffix in _CSV:
        return suffix[1:]
    raise InputError(
        name,
        f"unknown input format {suffix or '(no extension)'!r}; expected .jsonl, .ndjson, "
        ".json, .csv, .tsv, .parquet, .html, .htm, .txt, a folder, or - for JSONL on stdin",
    )


#: One input path, or several.
Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def _path_list(paths: Paths) -> list[str | os.PathLike[str]]:
    """``paths`` as a list: one path given alone is one input, not its letters."""
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    return list(paths)


def count_documents(paths: Paths) -> int | None:
    """A cheap estimate of how many records the inputs hold, for a progress bar's ETA.

    Counts lines of JSONL/CSV files (a CSV cell with line breaks makes it an
    over-estimate), Parquet row counts from metadata, and the files of
    folders; None when stdin is among the inputs.
    """
    total = 0
    for path in _path_list(paths):
        kind = input_kind(path)
        if kind in ("stdin", "json"):  # no count without reading it whole
            return None
        p = Path(path)
        if kind in ("jsonl", "csv", "tsv"):
            with p.open("rb") as f:
                n = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
            total += max(n - (1 if kind != "jsonl" else 0), 0)
        elif kind == "parquet":
            try:
                import pyarrow.parquet as pq

                total += int(pq.ParquetFile(p).metadata.num_rows)
            except Exception:
                total += 1
        elif kind == "dir":
            total += sum(1 for _ in _folder_files(p, warn=False))
        else:
            total += 1
    return total


def _folder_files(root: Path, *, warn: bool = True) -> Iterator[Path]:
    """HTML and text files under ``root``, hidden ones excluded, in sorted path order.

    With ``warn``, says when the folder holds data files it will not read, or nothing.
    """
    found = []
    data_files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            lower = name.lower()
            if lower.endswith(_HTML + _TEXT):
                found.append(Path(dirpath, name))
            elif lower.endswith(_JSONL + _JSON + _CSV + _PARQUET):
                data_files.append(Path(dirpath, name))
    if warn and data_files:
        log.warning(
            "%s: %s in this folder %s not read (a folder means its .html, .htm "
            "and .txt files); pass them by name, e.g. %s",
            root,
            plural(len(data_files), "data file"),
            "is" if len(data_files) == 1 else "are",
            sorted(data_files)[0],
        )
    if warn and not found:
        log.warning("%s: no .html, .htm or .txt files in this folder", root)
    yield from sorted(found, key=lambda p: p.relative_to(root).parts)


class _Reader:
    """Turns inputs into documents, reporting what it cannot use."""

    def __init__(
        self,
        *,
        text_column: str,
        id_column: str,
        max_chars: int,
        report: ErrorHandler,
        stats: BatchStats,
        stdin: IO[bytes] | None,
    ) -> None:
        self.text_column = text_column
        self.id_column = id_column
        # the default "id" is optional; a column named on purpose that is not there is a typo
        self.id_required = id_column != DEFAULT_ID_COLUMN
        self.max_chars = max_chars
        self.report = report
        self.stats = stats
        self.stdin = stdin

    def skip(
        self, source: str, message: str, line: int | None = None, *, file: bool = False
    ) -> None:
        """Count and report a record skipped; ``file``: a whole file (it counts as one)."""
        self.stats.read += 1
        self.stats.skipped += 1
        self.stats.skipped_files += file
        self.report(InputError(source, message, line=line))

    def documents(self, paths: Iterable[tuple[str, str]]) -> Iterator[_Doc]:
        for name, kind in paths:
            try:
                yield from self._one(name, kind)
            except OSError as exc:
                self.skip(name, f"cannot read: {exc.strerror or exc}", file=True)

    def _one(self, name: str, kind: str) -> Iterator[_Doc]:
        if kind == "stdin":
            stream = self.stdin if self.stdin is not None else sys.stdin.buffer
            yield from self._jsonl(stream, "<stdin>")
        elif kind == "jsonl":
            with open(name, "rb") as f:
                utf16 = f.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                f.seek(0)
                if not utf16 and self._usable(f, name, jsonl=True):
                    yield from self._jsonl(f, name)
            if utf16:  # decoded by its byte-order mark, as .txt files are
                with open(name, encoding="utf-16", errors="replace", newline="") as text:
                    yield from self._jsonl(_Utf16Lines(text), name)
        elif kind == "json":
            yield from self._json(name)
        elif kind in ("csv", "tsv"):
            delimiter = "\t" if kind == "tsv" else ","
            with open(name, "rb") as f:
                utf16 = f.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                f.seek(0)
                if kind == "csv" and not utf16 and self._semicolons(f.readline(), name):
                    delimiter = ";"
                f.seek(0)
                if not utf16 and self._usable(f, name):
                    yield from self._csv(f, name, delimiter)
            if utf16:  # Excel's "Unicode text": UTF-16 with a byte-order mark
                with open(name, encoding="utf-16", errors="replace", newline="") as text:
                    yield from self._csv(_Utf16Lines(text), name, delimiter)
        elif kind == "parquet":
            yield from self._parquet(name)
        elif kind == "dir":
            for path in _folder_files(Path(name)):
                try:
                    doc = self._file(path)
                except OSError as exc:
                    self.skip(str(path), f"cannot read: {exc.strerror or exc}", file=True)
                    continue
                if doc is not None:
                    yield doc
        else:
            doc = self._file(Path(name))
            if doc is not None:
                yield doc

    def _semicolons(self, first: bytes, name: str) -> bool:
        """A .csv whose header has no comma but names the text column between
        semicolons (Excel's CSV where the decimal mark is a comma): read with ';'."""
        header = first.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
        if "," in header or ";" not in header:
            return False
        columns = [c.strip().strip('"') for c in header.split(";")]
        if self.text_column not in columns:
            return False
        log.warning("%s: fields are separated by ';' (no comma in the header); read so", name)
        return True

    def _usable(self, f: IO[bytes], name: str, *, jsonl: bool = False) -> bool:
        """An empty or binary file is one error, not one per line.

        One stray NUL does not make a file binary. A JSONL file is judged line
        by line: it is dropped whole only when its first 8 KB hold NULs and not
        one readable JSON line, so a bad line never costs the good ones.
        """
        head = f.read(_SNIFF)
        f.seek(0)
        if not head.strip():
            self.skip(name, "empty file; skipped", file=True)
            return False
        if _looks_binary(head) and not (jsonl and _has_json_line(head)):
            self.skip(name, "binary file (NUL bytes), not UTF-8 text; skipped", file=True)
            return False
        return True

    def make(
        self,
        rec: Mapping[str, Any],
        source: str,
        line: int | None,
        *,
        default_id: str,
        truncated: bool = False,
        note: str = "",
        text_key: str | None = None,
    ) -> _Doc | None:
        """A document from a record's fields, or None (reported) when it has no usable text.

        A record of a table or a JSON line (``text_key`` None) without a
        non-default id column is reported and skipped too.
        """
        col = text_key or self.text_column
        whole = text_key is not None  # an HTML or text file is one document
        text = rec.get(col)
        if text is None:
            # a JSON line without the field, or a table cell that is null (Parquet, JSON null)
            why = f"{col!r} is null" if col in rec else f"no {col!r} field"
            self.skip(source, f"missing text: {why}; skipped", line, file=whole)
            return None
        if not isinstance(text, str):
            self.skip(
                source, f"{col!r} is {type(text).__name__}, not a string; skipped", line, file=whole
            )
            return None
        if not text.strip():
            self.skip(source, f"empty text in {col!r}; skipped", line, file=whole)
            return None
        if self.id_required and text_key is None and self.id_column not in rec:
            self.skip(source, f"no {self.id_column!r} field; check --id-column; skipped", line)
            return None
        raw_id = rec.get(self.id_column)
        doc_id = default_id if raw_id is None or str(raw_id).strip() == "" else str(raw_id)
        title = rec.get("title")
        lang = rec.get("lang", rec.get("language"))
        self.stats.read += 1
        if len(text) > self.max_chars:
            length = f"{len(text):,} characters"
            text = text[: self.max_chars]
            truncated = True
            note = note or f"document of {length}"
        if truncated:
            self.stats.truncated += 1
            self.report(
                TruncatedInput(
                    source,
                    f"{note}; classified on its first {self.max_chars:,} characters",
                    line=line,
                )
            )
        return _Doc(
            id=doc_id,
            title=title if isinstance(title, str) else "",
            text=text,
            lang=lang if lang in ("en", "ms") else None,
            source=source,
            line=line,
            truncated=truncated,
            meta={k: rec[k] for k in _META if rec.get(k) not in (None, "")},
        )

    # -- JSONL

    def _jsonl(self, f: IO[bytes] | _Utf16Lines, source: str) -> Iterator[_Doc]:
        header: str | None = None  # the first line, for the hint that stdin holds CSV
        hinted = source != "<stdin>"
        for n, raw, size in _capped_lines(f, MAX_LINE_BYTES):
            if n == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if size is None and not raw.strip():
                continue
            default_id = f"{source}:{n}"
            if size is not None:
                doc = self._long_jsonl(raw, size, source, n, default_id)
                if doc is not None:
                    yield doc
                continue
            if b"\x00" in raw:
                self.skip(source, "NUL bytes (binary data), not a JSON line; line skipped", n)
                continue
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                self.skip(source, f"not valid UTF-8 ({_bad_byte(exc)}); line skipped", n)
                continue
            if header is None:
                header = line
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                self.skip(source, f"malformed JSON ({json_problem(exc)}); line skipped", n)
                if not hinted and _looks_like_csv(header, line):
                    hinted = True
                    log.warning(
                        "stdin is read as JSONL, and this looks like CSV; "
                        "for CSV pass the file name instead of - (e.g. docs.csv)"
                    )
                continue
            if not isinstance(rec, dict):
                kind = type(rec).__name__
                self.skip(source, f"expected a JSON object, found {kind}; line skipped", n)
                continue
            doc = self.make(rec, source, n, default_id=default_id)
            if doc is not None:
                yield doc

    def _long_jsonl(
        self, head: bytes, size: int, source: str, n: int, default_id: str
    ) -> _Doc | None:
        """Salvage an over-long line from its first bytes: whole fields plus the one cut."""
        where = f"line of {_mb(size)} is over the {_mb(MAX_LINE_BYTES)} limit"
        try:
            prefix = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError as exc:
            self.skip(source, f"{where} and not valid UTF-8 ({_bad_byte(exc)}); skipped", n)
            return None
        rec = _salvage_object(prefix)
        if rec is None:
            self.skip(source, f"{where} and does not start as a JSON object; skipped", n)
            return None
        return self.make(rec, source, n, default_id=default_id, truncated=True, note=where)

    # -- JSON

    def _json(self, name: str) -> Iterator[_Doc]:
        """A .json file: an array of article objects (or an object holding one under
        ``articles``, ``documents``, ``records``, ``items`` or ``data``, or one
        article), read whole. An item's "line" is its place in the array, from 1.
        A file of one JSON object a line is JSON Lines under another name: read so."""
        with open(name, "rb") as f:
            if not self._usable(f, name):
                return
            raw = f.read()
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            self.skip(name, f"not valid UTF-8 ({_bad_byte(exc)}); file skipped", file=True)
            return
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data" and raw.lstrip().startswith(b"{"):
                log.warning("%s: one JSON object a line; read as JSON Lines", name)
                with open(name, "rb") as f:
                    yield from self._jsonl(f, name)
                return
            where = f"malformed JSON ({json_problem(exc)} of line {exc.lineno})"
            self.skip(name, f"{where}; file skipped", file=True)
            return
        if isinstance(data, dict):
            key = next((k for k in _JSON_LIST_KEYS if isinstance(data.get(k), list)), None)
            data = data[key] if key is not None else [data]
        if not isinstance(data, list):
            kind = type(data).__name__
            self.skip(name, f"expected a JSON array of objects, found {kind}; skipped", file=True)
            return
        for n, rec in enumerate(data, start=1):
            if not isinstance(rec, dict):
                kind = type(rec).__name__
                self.skip(name, f"array item is {kind}, not a JSON object; skipped", n)
                continue
            doc = self.make(rec, name, n, default_id=f"{name}:{n}")
            if doc is not None:
                yield doc

    # -- CSV

    def _csv(self, f: IO[bytes] | _Utf16Lines, source: str, delimiter: str) -> Iterator[_Doc]:
        # line -> its first byte that is not UTF-8, for the lines of records not yet judged
        bad: dict[int, str] = {}
        hint = _resave_hint(delimiter)  # said with the file's first such row only

        def numbered() -> Iterator[tuple[int, str]]:
            for n, raw in enumerate(iter(f.readline, b""), start=1):
                if n == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                try:
                    yield n, raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    bad[n] = _bad_byte(exc)
                    yield n, raw.decode("utf-8", errors="replace")

        csv.field_size_limit(CSV_FIELD_LIMIT)
        lines = _CsvLines(numbered())
        # strict: an unclosed quote is an error, not the rest of the file in one cell
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            self.skip(source, f"unreadable CSV header ({exc}); file skipped", 1, file=True)
            return
        if header is None:
            self.skip(source, "empty file; skipped", file=True)
            return
        if self._lacks_columns(source, header, " in the header", 1):
            return
        if 1 in bad:
            self.skip(
                source, f"header is not valid UTF-8 ({bad[1]}); file skipped; {hint}", 1, file=True
            )
            return
        rows = 0
        while True:
            lines.new_record()
            try:
                row = next(reader)
            except StopIteration:
                if not rows:
                    log.warning("%s: a header row and no data rows", source)
                return
            except csv.Error as exc:
                self.skip(source, _malformed(exc, lines.taken), lines.start)
                lines.read_again()
                continue
            start, end = lines.start, lines.end
            if not row:
                continue
            rows += 1
            # this record's lines, and any before it, are never read again: forget them
            undecoded = {ln: bad.pop(ln) for ln in sorted(ln for ln in bad if ln <= end)}
            first = next((ln for ln in undecoded if ln >= start), None)
            if first is not None:
                where = undecoded[first] if first == start else f"line {first}: {undecoded[first]}"
                message = f"not valid UTF-8 ({where}); row skipped"
                if hint:
                    message, hint = f"{message}; {hint}", ""
                self.skip(source, message, start)
                continue
            if any("\x00" in cell for cell in row):
                self.skip(
                    source, "NUL byte in this row (binary data, not text); row skipped", start
                )
                continue
            if len(row) != len(header):
                self.skip(
                    source,
                    f"{plural(len(row), 'field')} where the header has {len(header)}; row skipped",
                    start,
                )
                continue
            doc = self.make(
                dict(zip(header, row, strict=True)), source, start, default_id=f"{source}:{start}"
            )
            if doc is not None:
                yield doc

    # -- Parquet

    def _lacks_columns(
        self, source: str, columns: Sequence[str], where: str, line: int | None
    ) -> bool:
        """Skip a table file without its text column (or a required id column), naming
        the columns it has and the option that picks another; True when skipped."""
        for column, option, verb, needed in (
            (self.text_column, "--text-column", "use", True),
            (self.id_column, "--id-column", "check", self.id_required),
        ):
            if needed and column not in columns:
                self.skip(
                    source,
                    f"no {column!r} column{where} (columns: {', '.join(columns)}); "
                    f"{verb} {option}; file skipped",
                    line,
                    file=True,
                )
                return True
        return False

    def _parquet(self, name: str) -> Iterator[_Doc]:
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(name)
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
            self.skip(name, f"not a readable Parquet file ({exc}); skipped", file=True)
            return
        names = set(pf.schema_arrow.names)
        if self._lacks_columns(name, sorted(names), "", None):
            return
        wanted = [self.id_column, "title", self.text_column, "lang", "language", *_META]
        columns = [c for c in dict.fromkeys(wanted) if c in names]
        row = 0
        try:
            for batch in pf.iter_batches(batch_size=1024, columns=columns):
                for rec in batch.to_pylist():
                    row += 1
                    doc = self.make(rec, name, row, default_id=f"{name}:{row}")
                    if doc is not None:
                        yield doc
        except Exception as exc:
            self.skip(name, f"cannot read past row {row} ({exc}); rest of file skipped", row + 1)

    # -- HTML and text files

    def _file(self, path: Path) -> _Doc | None:
        source = str(path)
        is_html = path.suffix.lower() in _HTML
        cap = MAX_HTML_BYTES if is_html else 4 * self.max_chars + 4
        size = path.stat().st_size
        if size == 0:
            self.skip(source, "empty file; skipped", file=True)
            return None
        with path.open("rb") as f:
            data = f.read(cap)
        cut = size > cap
        note = f"file of {_mb(size)} is over the {_mb(cap)} read limit" if cut else ""
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16", errors="replace")
        elif _looks_binary(data[:_SNIFF]):
            self.skip(source, "binary file (NUL bytes), not HTML or text; skipped", file=True)
            return None
        elif is_html:
            text = ""
        else:
            body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
            try:
                text = codecs.getincrementaldecoder("utf-8")().decode(body, final=not cut)
            except UnicodeDecodeError as exc:
                self.skip(
                    source, f"not valid UTF-8 ({_bad_byte(exc)}); re-save as UTF-8", file=True
                )
                return None
        if is_html:
            from .extract import extract_html

            try:
                page = extract_html(text or data, url=None)
            except ExtractionError as exc:
                self.skip(source, f"{_extraction_reason(exc)}; skipped", file=True)
                return None
            rec = {
                "title": page.title,
                "text": page.text,
                "lang": page.language,
                "date": page.published,
            }
        else:
            title, _, rest = text.lstrip().partition("\n")
            if rest.strip() and len(title) <= 200:
                rec = {"title": title.strip(), "text": rest.strip()}
            else:
                rec = {"text": text}
        return self.make(
            rec, source, None, default_id=source, truncated=cut, note=note, text_key="text"
        )


def _looks_like_csv(header: str, line: str) -> bool:
    """Whether a line that is not JSON looks like a CSV/TSV row under a header row."""
    for delimiter in (",", "\t"):
        cells = [c.strip().strip('"') for c in header.split(delimiter)]
        if (
            delimiter in line
            and len(cells) > 1
            and not header.lstrip().startswith(("{", "["))
            and all(0 < len(c) <= 64 for c in cells)
        ):
            return True
    return False


def _looks_binary(head: bytes) -> bool:
    """More than one NUL byte: text files (UTF-8, or UTF-16 with its BOM) have none."""
    return head.count(b"\x00") > 1


def _has_json_line(head: bytes) -> bool:
    """Whether a complete line of ``head`` is a JSON object (the file is JSONL after all)."""
    for raw in head.split(b"\n")[:-1]:
        line = raw.strip()
        if line.startswith(b"{") and b"\x00" not in line:
            try:
                return isinstance(json.loads(line), dict)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
    return False


class _Utf16Lines:
    """A UTF-16 file read as UTF-8 lines (what :func:`_capped_lines` reads)."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text

    def readline(self, limit: int = -1) -> bytes:
        line: str = self._text.readline(limit)
        return line.encode("utf-8")


class _CsvLines:
    """Numbered lines fed to ``csv.reader``, remembering those of the current record.

    A quote that is opened and never closed makes the reader swallow every line
    after it into one field. When that record fails, all its lines but the first
    are read again (:meth:`read_again`), so one stray quote costs one line, not
    every good row it swallowed.
    """

    def __init__(self, numbered: Iterator[tuple[int, str]]) -> None:
        self._numbered = numbered
        self._again: deque[tuple[int, str]] = deque()
        self.taken: list[int] = []
        self._texts: list[str] = []

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        n, text = self._again.popleft() if self._again else next(self._numbered)
        self.taken.append(n)
        self._texts.append(text)
        return text

    @property
    def start(self) -> int:
        return self.taken[0] if self.taken else 0

    @property
    def end(self) -> int:
        return self.taken[-1] if self.taken else 0

    def new_record(self) -> None:
        self.taken, self._texts = [], []

    def read_again(self) -> None:
        """Queue every line of the failed record but its first to be read again."""
        self._again.extendleft(reversed(list(zip(self.taken[1:], self._texts[1:], strict=True))))
        self.new_record()


def _malformed(exc: csv.Error, taken: list[int]) -> str:
    """The message for a record ``csv`` refused, saying which lines are read again."""
    hint = " (an unclosed quote?)" if re.search("end of data|field limit", str(exc)) else ""
    if len(taken) < 2:
        return f"malformed CSV ({exc}{hint}); row skipped"
    again = f"line {taken[1]}" if len(taken) == 2 else f"lines {taken[1]}-{taken[-1]}"
    return (
        f"malformed CSV ({exc}{hint}); the quoted field opened on this line ran to "
        f"line {taken[-1]}: this line skipped, {again} read again"
    )


def _capped_lines(f: IO[bytes] | _Utf16Lines, cap: int) -> Iterator[tuple[int, bytes, int | None]]:
    """(line number, first ``cap`` bytes, full size if the line was longer else None).

    The rest of an over-long line is read in 1 MB pieces and dropped, so one
    absurd line costs ``cap`` bytes of memory, not its length.
    """
    n = 0
    while True:
        chunk = f.readline(cap + 1)
        if not chunk:
            return
        n += 1
        if len(chunk) <= cap or chunk.endswith(b"\n"):
            yield n, chunk, None
            continue
        size = len(chunk)
        while True:
            more = f.readline(1 << 20)
            size += len(more)
            if not more or more.endswith(b"\n"):
                break
        yield n, chunk[:cap], size


def _salvage_object(prefix: str) -> dict[str, Any] | None:
    """The members of a JSON object cut short, the last one (a string) cut too.

    Used only for over-long lines, so that a 50 MB document is classified on
    its first part instead of being dropped or loaded whole.
    """
    dec = json.JSONDecoder()
    ws = " \t\r\n"
    i = len(prefix) - len(prefix.lstrip(ws))
    if not prefix.startswith("{", i):
        return None
    i += 1
    out: dict[str, Any] = {}
    while True:
        while i < len(prefix) and prefix[i] in ws:
            i += 1
        if not prefix.startswith('"', i):
            return out
        try:
            key, i = dec.raw_decode(prefix, i)
        except ValueError:
            return out
        while i < len(prefix) and prefix[i] in ws:
            i += 1
        if not prefix.startswith(":", i):
            return out
        i += 1
        while i < len(prefix) and prefix[i] in ws:
            i += 1
        try:
            value, i = dec.raw_decode(prefix, i)
        except ValueError:
            if prefix.startswith('"', i):
                partial = _partial_string(prefix[i:])
                if partial is not None:
                    out[key] = partial
            return out
        out[key] = value
        while i < len(prefix) and prefix[i] in ws:
            i += 1
        if not prefix.startswith(",", i):
            return out
        i += 1


def _partial_string(quoted: str) -> str | None:
    """Decode a JSON string literal that was cut, dropping an escape the cut split."""
    for trim in range(7):
        body = quoted[: len(quoted) - trim] if trim else quoted
        try:
            value = json.loads(body + '"')
        except ValueError:
            continue
        return value if isinstance(value, str) else None
    return None


def _resave_hint(delimiter: str) -> str:
    """How to make a CSV/TSV file that is not UTF-8 (Excel's "CSV" is Windows-1252) readable."""
    if delimiter == "\t":
        how = "in Excel: Save As › Unicode Text, then rename it .tsv"
    else:
        how = "in Excel: Save As › CSV UTF-8"
    return f"to read such rows, save the file as UTF-8 ({how})"


def _bad_byte(exc: UnicodeDecodeError) -> str:
    return f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB"


def _extraction_reason(exc: ExtractionError) -> str:
    """The extractor's message without its '<html>: ' location prefix (we give the file)."""
    text = str(exc)
    prefix = f"{exc.url}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


# ----------------------------------------------------------------------------- repeated ids


#: Where a result came from: its source (file, or ``<stdin>``) and line (None for a
#: file that is one document).
Place = tuple[str, int | None]


@dataclass(frozen=True, slots=True)
class RepeatedIds:
    """Ids that more than one result of a batch carried (:meth:`BatchRun.repeated_ids`)."""

    #: How many distinct ids are on more than one result.
    ids: int = 0
    #: Results beyond the first of each of those ids (an id on three rows counts 2).
    rows: int = 0
    #: A few of those ids, in the order their first repeat was met.
    examples: tuple[str, ...] = ()
    #: For each example, in the same order: where its first row was met (None when that
    #: was more than :attr:`_IdCheck.CHUNK` results before its repeat: the check keeps no
    #: more), and where its first repeat was met.
    places: tuple[tuple[Place | None, Place], ...] = ()
    #: The sources of the repeated rows (each row of an id after its first), in the
    #: order met, at most :attr:`_IdCheck.SOURCES` of them.
    sources: tuple[str, ...] = ()


class _IdCheck:
    """Finds repeated ids in a stream of millions, in 8 bytes of memory per id.

    Each id is kept as a 64-bit BLAKE2b hash, not as a string. Hashes wait in a
    chunk of :attr:`CHUNK` ids (with the ids themselves, so that a repeat can be
    named); a full chunk is sorted, checked against itself and against the hashes of
    earlier chunks, which are kept as a few sorted, disjoint numpy arrays merged
    like a binary counter (at most about log2(n / CHUNK) of them, each checked with
    a binary search), and then only its new hashes are kept. A repeat costs 8 more
    bytes (its hash, to count distinct repeated ids at the end); its id string is
    kept only for the first :attr:`EXAMPLES` repeated ids, with where their first two
    rows were met (the first only if it is still in the chunk: each waiting id keeps
    its source and line), and the sources of repeated rows are kept up to
    :attr:`SOURCES` names. Ten million distinct ids
    take 80 MB (160 MB for a moment while the largest arrays merge) where a set of
    their strings takes over a gigabyte. Two different ids share a hash with odds of
    about n² / 2⁶⁵: one in 370,000 for ten million ids.
    """

    CHUNK: Final = 1 << 14
    EXAMPLES: Final = 5
    SOURCES: Final = 20

    def __init__(self) -> None:
        self._hashes = bytearray()
        self._pending: list[str] = []
        self._places: list[Place] = []  # where each pending id was met
        self._runs: list[Any] = []  # sorted uint64 arrays, disjoint, each hash once
        self._repeats = bytearray()  # the hash of every result whose id came before
        self._examples: dict[int, tuple[str, Place | None, Place]] = {}
        self._sources: dict[str, None] = {}  # of repeated rows, in the order met

    def add(self, doc_id: str, source: str = "", line: int | None = None) -> None:
        key = doc_id.encode("utf-8", "surrogatepass")
        self._hashes += hashlib.blake2b(key, digest_size=8).digest()
        self._pending.append(doc_id)
        self._places.append((source, line))
        if len(self._pending) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        import numpy as np

        if not self._pending:
            return
        hashes = np.frombuffer(bytes(self._hashes), dtype="<u8")
        unique, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
        seen = np.zeros(len(unique), dtype=bool)
        for run in self._runs:
            at = np.minimum(np.searchsorted(run, unique), len(run) - 1)
            seen |= run[at] == unique
        repeat = np.ones(len(hashes), dtype=bool)
        repeat[first[~seen]] = False  # the first of an id in this chunk, unless seen before
        where = np.flatnonzero(repeat)
        if len(where):
            self._repeats += hashes[where].tobytes()
            for i in where.tolist():
                if len(self._examples) >= self.EXAMPLES and len(self._sources) >= self.SOURCES:
                    break
                again = self._places[i]
                if len(self._sources) < self.SOURCES:
                    self._sources.setdefault(again[0])
                h = int(hashes[i])
                if len(self._examples) < self.EXAMPLES and h not in self._examples:
                    u = inverse[i]  # the first row is in this chunk unless an earlier one had it
                    known = None if seen[u] else self._places[first[u]]
                    self._examples[h] = (self._pending[i], known, again)
        new = unique[~seen]
        if len(new):
            self._runs.append(new)
        while len(self._runs) > 1 and len(self._runs[-2]) < 2 * len(self._runs[-1]):
            last = self._runs.pop()
            merged = np.concatenate((self._runs.pop(), last))
            del last
            merged.sort()
            self._runs.append(merged)
        self._hashes = bytearray()
        self._pending = []
        self._places = []

    def result(self) -> RepeatedIds:
        import numpy as np

        self._flush()
        if not self._repeats:
            return RepeatedIds()
        repeats = np.frombuffer(bytes(self._repeats), dtype="<u8")
        examples = list(self._examples.values())
        return RepeatedIds(
            ids=len(np.unique(repeats)),
            rows=len(repeats),
            examples=tuple(doc_id for doc_id, _, _ in examples),
            places=tuple((known, again) for _, known, again in examples),
            sources=tuple(self._sources),
        )


# ----------------------------------------------------------------------------- the run


class BatchRun(Iterator[BatchResult]):
    """An iterator of :class:`BatchResult` in input order, with running :attr:`stats`.

    Reading, problem reports and results all happen in the consuming thread;
    worker processes only classify.
    """

    def __init__(
        self,
        classifier: Classifier,
        inputs: list[tuple[str, str]],
        *,
        batch_size: int,
        workers: int,
        reader: _Reader,
        errors: ErrorHandler | None,
        client: Any = None,
    ) -> None:
        self.stats = reader.stats
        self.classifier = classifier
        self._ids = _IdCheck()
        self._handler = errors
        self._client = client
        reader.report = self._report
        self._it = self._run(inputs, reader, batch_size, workers)

    def __iter__(self) -> BatchRun:
        return self

    def __next__(self) -> BatchResult:
        return next(self._it)

    def close(self) -> None:
        """Stop early; worker processes, if any, are shut down."""
        self._it.close()

    def repeated_ids(self) -> RepeatedIds:
        """The ids that more than one result so far carried: after the run, the whole batch's.

        Results are not held back or changed: a record whose id came before is
        labelled and yielded like any other. The check keeps 8 bytes per id (a
        hash) and the first few repeated ids themselves, so it runs on any size of
        batch; see :class:`RepeatedIds`.
        """
        return self._ids.result()

    def _report(self, problem: InputError) -> None:
        if not isinstance(problem, InputWarning):
            self.stats.errors += 1
        if self._handler is not None:
            self._handler(problem)
        else:
            log.warning("%s", problem)

    def _run(
        self, inputs: list[tuple[str, str]], reader: _Reader, batch_size: int, workers: int
    ) -> Generator[BatchResult, None, None]:
        docs = reader.documents(inputs)
        batches = iter(lambda: list(islice(docs, batch_size)), [])
        labelled: Iterator[tuple[list[_Doc], list[Prediction | str]]]
        if self._client is not None:
            labelled = _on_cluster(self.classifier, batches, self._client)
        elif workers == 1:
            labelled = ((batch, _classify(self.classifier, batch)) for batch in batches)
        else:
            labelled = _parallel(self.classifier, batches, workers)
        for batch, outcomes in labelled:
            for doc, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, str):
                    self.stats.skipped += 1
                    self._report(InputError(doc.source, outcome, line=doc.line))
                    continue
                self.stats.classified += 1
                self._ids.add(outcome.article_id, doc.source, doc.line)
                yield BatchResult(outcome, doc.source, doc.line, doc.truncated)


def _item(doc: _Doc) -> dict[str, Any]:
    return {"id": doc.id, "title": doc.title, "text": doc.text, "lang": doc.lang}


def _classify(classifier: Classifier, batch: list[_Doc]) -> list[Prediction | str]:
    return label_items(classifier, [_item(d) for d in batch])


def label_items(classifier: Classifier, items: list[dict[str, Any]]) -> list[Prediction | str]:
    """Predictions for a batch; a document the classifier fails on becomes its error message.

    The batch is labelled in one call; only if that call fails are its
    documents labelled one by one, so one poisonous document costs its batch
    some speed, not the run. When every document fails the fault is the
    model, not the input, and it is raised as :class:`ModelError`.
    """
    try:
        return list(classifier.classify_many(items, batch_size=max(1, len(items))))
    except Exception as exc:
        first: Exception = exc
    out: list[Prediction | str] = []
    for item in items:
        try:
            out.extend(classifier.classify_many([item]))
        except Exception as exc:
            out.append(f"the classifier failed on this document ({type(exc).__name__}: {exc})")
    if all(isinstance(o, str) for o in out):
        raise ModelError(
            f"{classifier!r} failed on every document of a batch "
            f"({type(first).__name__}: {first}); is the model built by this version of "
            "naio_nlp's code? Retrain it with `naio-nlp train`."
        ) from first
    return out


def _classify_dicts(classifier: Classifier, batch: list[_Doc]) -> list[dict[str, Any] | str]:
    """Worker side: predictions as dicts (they round-trip exactly), failures as messages."""
    return [p if isinstance(p, str) else p.to_dict() for p in _classify(classifier, batch)]


def _parallel(
    classifier: Classifier, batches: Iterator[list[_Doc]], workers: int
) -> Iterator[tuple[list[_Doc], list[Prediction | str]]]:
    """Batches labelled by worker processes, yielded in input order."""
    for batch, results in map_batches(classifier, batches, workers, _classify_dicts):
        yield (
            batch,
            [p if isinstance(p, str) else Prediction.from_dict(p) for p in results],
        )


def _on_cluster(
    classifier: Classifier, batches: Iterator[list[_Doc]], client: Any
) -> Iterator[tuple[list[_Doc], list[Prediction | str]]]:
    """Batches labelled as tasks on a Dask cluster, yielded in input order.

    At most two batches per worker are in flight, so the reader never runs far
    ahead of the cluster; a batch lost with a worker is rerun by Dask.
    """
    window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    inflight: deque[tuple[list[_Doc], Any]] = deque()

    def ready() -> tuple[list[_Doc], list[Prediction | str]]:
        batch, future = inflight.popleft()
        results = future.result()
        return batch, [p if isinstance(p, str) else Prediction.from_dict(p) for p in results]

    for batch in batches:
        inflight.append((batch, client.submit(_classify_dicts, classifier, batch, pure=False)))
        if len(inflight) >= window:
            yield ready()
    while inflight:
        yield ready()


def _inputs(paths: Paths) -> list[tuple[str, str]]:
    """(name, kind) of each input; :class:`InputError` for one that would be read twice.

    Every input's kind is checked first (a missing path or an unknown extension
    fails before anything else). Then an input is refused when it repeats another:
    the same file (by inode, so ``./a.jsonl``, a symlink or a hard link to it count),
    the same folder (by resolved path), a file that a folder given beside it reads,
    or a folder inside another. Each of its documents would be labelled twice and
    its id repeat in the output; a refusal before the model loads costs nothing,
    where a warning would come with output that is already wrong.
    """
    inputs = [(os.fspath(p), input_kind(p)) for p in _path_list(paths)]
    if sum(kind == "stdin" for _, kind in inputs) > 1:
        raise InputError(STDIN, "stdin can be read only once; give '-' once")
    files: dict[tuple[int, int], str] = {}
    folders: dict[Path, str] = {}
    for name, kind in inputs:
        if kind == "stdin":
            continue
        if kind == "dir":
            folder = Path(name).resolve()
            if folder in folders:
                raise InputError(name, _twice(folders[folder], name, "folder"))
            folders[folder] = name
            continue
        try:
            st = os.stat(name)
        except OSError:
            continue  # unreadable: reported when it is read
        key = (st.st_dev, st.st_ino)
        if key in files:
            raise InputError(name, _twice(files[key], name, "file"))
        files[key] = name
    for folder, name in folders.items():
        for other, other_name in folders.items():
            if other != folder and _reads(other, folder):
                raise InputError(
                    name,
                    f"folder inside the folder {other_name}, which reads it already; each "
                    "document in it would be labelled twice, with its id repeated in the "
                    "output; give one of the two",
                )
    for name in files.values():
        path = Path(name).resolve()
        if path.suffix.lower() not in FOLDER_SUFFIXES:
            continue
        for folder, folder_name in folders.items():
            if _reads(folder, path):
                raise InputError(
                    name,
                    f"file read already as part of the folder {folder_name}; it would be "
                    "labelled twice, with its id repeated in the output; give the folder "
                    "or the file, not both",
                )
    return inputs


def _twice(first: str, again: str, what: str) -> str:
    also = "" if first == again else f" (first as {first})"
    return (
        f"{what} given twice{also}; each document in it would be labelled twice, "
        "with its id repeated in the output; give each input once"
    )


def _reads(folder: Path, path: Path) -> bool:
    """Whether reading ``folder`` reaches ``path`` (resolved): inside it, on no hidden part."""
    if not path.is_relative_to(folder):
        return False
    return not any(part.startswith(".") for part in path.relative_to(folder).parts)


def classify_files(
    paths: Paths,
    *,
    model: Classifier | str | os.PathLike[str] | None = None,
    batch_size: int = 256,
    workers: int = 1,
    text_column: str = "text",
    id_column: str = "id",
    errors: ErrorHandler | None = None,
    max_chars: int = MAX_CHARS,
    stdin: IO[bytes] | None = None,
    client: Any = None,
) -> BatchRun:
    """Classify every document in ``paths``, lazily, in input order.

    ``paths`` (one path, or several) mixes JSONL, ``.json`` (an array of
    records, read whole), CSV/TSV (a header row;
    ``text_column`` and ``id_column`` name the columns), Parquet, ``.html``/``.htm``/``.txt``
    files, folders of them (recursively, sorted), and ``"-"`` for JSONL on
    ``stdin`` (default ``sys.stdin.buffer``). ``model`` is a loaded
    :class:`~naio_nlp.classifier.Classifier`, a model folder, or None for the
    shipped model. ``workers > 1`` labels batches in that many processes;
    results are identical to one worker.

    Each problem with the input is passed to ``errors`` (logged as a warning
    when it is None) and the batch goes on; see :class:`BatchStats` for the
    counts. A missing path, an unknown extension, a bad model or bad options
    raise at once, before anything is read.

    With a Dask ``client`` (see :func:`naio_nlp.distributed.connect`) batches are
    labelled on its cluster instead of in ``workers`` local processes; reading,
    problem reports and the order of results stay here and are the same.
    """
    if batch_size < 1:
        raise InvalidFieldError("classify_files: batch_size", batch_size, "an integer >= 1")
    if workers < 1:
        raise InvalidFieldError("classify_files: workers", workers, "an integer >= 1")
    if not 1 <= max_chars <= MAX_CHARS:
        raise InvalidFieldError(
            "classify_files: max_chars", max_chars, f"an integer from 1 to {MAX_CHARS:,}"
        )
    inputs = _inputs(paths)
    from .classifier import Classifier, load

    if isinstance(model, Classifier):
        classifier = model
    else:
        classifier = load(None if model is None else os.fspath(model))
    stats = BatchStats()
    reader = _Reader(
        text_column=text_column,
        id_column=id_column,
        max_chars=max_chars,
        report=lambda problem: None,
        stats=stats,
        stdin=stdin,
    )
    return BatchRun(
        classifier,
        inputs,
        batch_size=batch_size,
        workers=workers,
        reader=reader,
        errors=errors,
        client=client,
    )


def read_articles(
    paths: Paths,
    *,
    text_column: str = "text",
    id_column: str = "id",
    errors: ErrorHandler | None = None,
    max_chars: int = MAX_CHARS,
    stdin: IO[bytes] | None = None,
    stats: BatchStats | None = None,
) -> ArticleReading:
    """The documents of ``paths`` as :class:`~naio_nlp.schema.Article` objects, lazily.

    Reads exactly what :func:`classify_files` reads, with the same problem
    reports (passed to ``errors``, logged when None), and keeps each
    record's ``date`` (or ``published``), ``url`` and ``source`` when present;
    an HTML file gives the date its page carries. Dates are ISO
    (``YYYY-MM-DD``, read as written) or any shape
    :func:`naio_nlp.dates.parse_date` reads, in English or Malay, numeric ones
    day first ("07/12/2026" is 7 December). A date it cannot read is reported
    as an :class:`~naio_nlp.errors.InputWarning` naming the file, line, record
    id and value, and the record is kept with ``published=None``. ``stats``
    (if given) counts read, skipped, truncated and errors as a batch does;
    ``classified`` stays 0.
    """
    counts = stats if stats is not None else BatchStats()

    def report(problem: InputError) -> None:
        if not isinstance(problem, InputWarning):
            counts.errors += 1
        if errors is not None:
            errors(problem)
        else:
            log.warning("%s", problem)

    if not 1 <= max_chars <= MAX_CHARS:
        raise InvalidFieldError(
            "read_articles: max_chars", max_chars, f"an integer from 1 to {MAX_CHARS:,}"
        )
    inputs = _inputs(paths)
    reader = _Reader(
        text_column=text_column,
        id_column=id_column,
        max_chars=max_chars,
        report=report,
        stats=counts,
        stdin=stdin,
    )
    return ArticleReading(reader, inputs)  # not a generator itself: bad paths fail at the call


class ArticleReading(Iterator[Article]):
    """The articles :func:`read_articles` reads, lazily, and the ids they repeat.

    Like :meth:`BatchRun.repeated_ids`, :meth:`repeated_ids` names the ids more than
    one article carried so far, with the file and line of their first two records,
    in 8 bytes per id.
    """

    def __init__(self, reader: _Reader, inputs: list[tuple[str, str]]) -> None:
        self._ids = _IdCheck()
        self._articles = _articles(reader, inputs, self._ids)

    def __next__(self) -> Article:
        return next(self._articles)

    def repeated_ids(self) -> RepeatedIds:
        """The ids more than one article read so far carried: after the last, the input's."""
        return self._ids.result()


#: A numeric date that can only be month first: "04/13/2026".
_MONTH_FIRST = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}(?!\d)")


def _only_month_first(raw: object) -> bool:
    m = _MONTH_FIRST.match(str(raw)) if isinstance(raw, str) else None
    return m is not None and int(m.group(1)) <= 12 < int(m.group(2)) <= 31


def _articles(reader: _Reader, inputs: list[tuple[str, str]], ids: _IdCheck) -> Iterator[Article]:
    month_first: set[str] = set()  # the files already warned of a month-first date
    for doc in reader.documents(inputs):
        published, unread = _published(doc)
        raw_date = doc.meta.get("date", doc.meta.get("published"))
        if published is not None and doc.source not in month_first and _only_month_first(raw_date):
            month_first.add(doc.source)
            reader.report(
                InputWarning(
                    doc.source,
                    f"date {raw_date!r} of record {doc.id!r} can only be month first (read as "
                    f"{published:%d %B %Y}); numeric dates are read day first, so if this "
                    "file writes them month first, its dates with a day of 12 or less were "
                    "read wrongly (07/12/2026 as 7 December); write them as ISO (2026-07-12)",
                    line=doc.line,
                )
            )
        if unread is not None:
            name, raw = unread
            reader.report(
                InputWarning(
                    doc.source,
                    f"{name} {raw!r} of record {doc.id!r} is not a date naio_nlp can read "
                    "(e.g. 2026-12-07, 7/12/2026 day first, 7 Dec 2026, 7 Disember 2026); "
                    "the record is kept without a date (the ledger takes one from its text "
                    "if the text names one)",
                    line=doc.line,
                )
            )
        try:
            article = _article(doc, published)
        except InvalidFieldError as exc:
            reader.stats.skipped += 1
            reader.report(InputError(doc.source, f"{exc}; skipped", line=doc.line))
            continue
        ids.add(article.id, doc.source, doc.line)
        yield article


def _published(doc: _Doc) -> tuple[date | None, tuple[str, object] | None]:
    """The record's date, from ``date`` or else ``published``; else (None, the value unread).

    An ISO date is taken as written (its first ten characters, as always); any other
    shape goes to :func:`naio_nlp.dates.parse_date`: English and Malay month names
    ("7 Dec 2026", "Dec 7, 2026, 10:30 AM", "7 Disember 2026", "Khamis, 7 Dis 2026")
    and numeric dates read day first, as Malaysia writes them ("07/12/2026" is 7
    December; "12/25/2026", which cannot be day first, is 25 December).
    """
    unread: tuple[str, object] | None = None
    for name in ("date", "published"):
        raw = doc.meta.get(name)
        if raw is None:
            continue
        value = _read_date(raw)
        if value is not None:
            return value, None
        unread = unread or (name, raw)
    return None, unread


def _read_date(raw: object) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    from .dates import parse_date

    return parse_date(text)


def _article(doc: _Doc, published: date | None) -> Article:
    """An Article from a read document and its date."""
    from .schema import Article

    url, source = doc.meta.get("url"), doc.meta.get("source")
    return Article(
        id=doc.id,
        text=doc.text,
        title=doc.title,
        url=None if url is None else str(url),
        source=None if source is None else str(source),
        published=published,
        language=doc.lang,
    )


# ----------------------------------------------------------------------------- flat output

#: Columns of CSV and Parquet output, in order.
FLAT_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "status",
    "artifact_type",
    "domains",
    "needs_review",
    *(f"p_{s}" for s in STATUSES),
    *(f"p_type_{t}" for t in ARTIFACT_TYPES),
    *(f"p_domain_{d}" for d in DOMAINS),
    "naio_role",
    "evidence",
    "evidence_json",
    "model_version",
)


def flat_record(prediction: Prediction) -> dict[str, Any]:
    """One flat row for CSV and Parquet: a column per probability, the top evidence sentence.

    ``domains`` is joined with ``;``; ``evidence_json`` holds every evidence
    sentence as JSON; probabilities missing from the model are None.
    """
    d = prediction.to_dict()
    sentences = d["evidence"]["sentences"]
    row: dict[str, Any] = {
        "id": d["id"],
        "status": d["status"],
        "artifact_type": d["artifact_type"],
        "domains": ";".join(d["domains"]),
        "needs_review": d["needs_review"],
    }
    for s in STATUSES:
        row[f"p_{s}"] = d["status_probs"].get(s)
    for t in ARTIFACT_TYPES:
        row[f"p_type_{t}"] = d["artifact_type_probs"].get(t)
    for dom in DOMAINS:
        row[f"p_domain_{dom}"] = d["domain_probs"].get(dom)
    row["naio_role"] = d["evidence"]["naio_role"]
    row["evidence"] = sentences[0]["text"] if sentences else ""
    row["evidence_json"] = json.dumps(sentences, ensure_ascii=False)
    row["model_version"] = d["model_version"]
    return row
