"""``naio-nlp classify``: label files of documents, streaming, with a report of bad input.

The command validates its options and calls :func:`naio_nlp.batch.classify_files`;
everything here is about output: writers for JSONL, CSV and Parquet that
stream to a temporary file renamed into place at the end, a progress bar and
problem messages on stderr, an optional JSONL error log, and the exit code.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from .._text import plural
from ..batch import (
    FLAT_COLUMNS,
    FOLDER_SUFFIXES,
    MAX_CHARS,
    STDIN,
    BatchResult,
    BatchStats,
    Place,
    RepeatedIds,
    classify_files,
    count_documents,
    flat_record,
    read_articles,
)
from ..errors import ConfigError, InputError, InputWarning
from ..schema import Article, Prediction
from ._console import console, error_line, warning_line
from ._output import (
    check_not_input,
    check_output,
    choice,
    format_mismatch,
    is_stream,
    same_file,
)

err = console(stderr=True)


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    parquet = "parquet"


_SUFFIX_FORMATS = {
    ".jsonl": OutputFormat.jsonl,
    ".ndjson": OutputFormat.jsonl,
    ".json": OutputFormat.json,
    ".csv": OutputFormat.csv,
    ".parquet": OutputFormat.parquet,
    ".pq": OutputFormat.parquet,
}


# ----------------------------------------------------------------------------- writers


class _Writer:
    """Streams records to a file object; ``close`` flushes what is buffered."""

    def write(self, result: BatchResult) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Flush buffered rows (only Parquet buffers)."""


class _JsonlWriter(_Writer):
    def __init__(self, f: IO[str]) -> None:
        self.f = f

    def write(self, result: BatchResult) -> None:
        self.f.write(json.dumps(result.prediction.to_dict(), ensure_ascii=False) + "\n")


class _JsonArrayWriter(_Writer):
    """One JSON array, streamed record by record: what ``json.load`` expects of a .json file."""

    def __init__(self, f: IO[str]) -> None:
        self.f = f
        self.n = 0

    def write(self, result: BatchResult) -> None:
        self.f.write("[\n" if self.n == 0 else ",\n")
        self.f.write(json.dumps(result.prediction.to_dict(), ensure_ascii=False))
        self.n += 1

    def close(self) -> None:
        self.f.write("\n]\n" if self.n else "[]\n")


class _CsvWriter(_Writer):
    def __init__(self, f: IO[str]) -> None:
        self.w = csv.DictWriter(f, fieldnames=list(FLAT_COLUMNS), lineterminator="\n")
        self.w.writeheader()

    def write(self, result: BatchResult) -> None:
        self.w.writerow(flat_record(result.prediction))


class _ParquetWriter(_Writer):
    """One row group per ``rows`` records, so memory holds one group at most."""

    def __init__(self, path: Path, rows: int = 4096) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"needs_review": pa.bool_()}
        fields = []
        for name in FLAT_COLUMNS:
            if name.startswith("p_"):
                fields.append(pa.field(name, pa.float64()))
            else:
                fields.append(pa.field(name, types.get(name, pa.string())))
        self.schema = pa.schema(fields)
        self.writer = pq.ParquetWriter(str(path), self.schema)
        self.rows = rows
        self.buffer: list[dict[str, Any]] = []

    def write(self, result: BatchResult) -> None:
        self.buffer.append(flat_record(result.prediction))
        if len(self.buffer) >= self.rows:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.buffer:
            self.writer.write_table(pa.Table.from_pylist(self.buffer, schema=self.schema))
            self.buffer = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


@contextlib.contextmanager
def _atomic(path: Path, binary: bool = False, keep: Callable[[], bool] = lambda: True) -> Any:
    """A temporary file beside ``path``, renamed onto it if the block succeeds and ``keep()``.

    When the block fails, or ``keep()`` says the run wrote nothing worth a file,
    the temporary file is removed and a file already at ``path`` is left as it was.
    A device or named pipe (``/dev/null``, ``/dev/stdout``) is written in place,
    as standard output is: renaming a file onto it would replace the device.
    """
    if is_stream(path):
        if binary:
            yield path
        else:
            with path.open("w", encoding="utf-8", newline="") as f:
                yield f
        return
    if path.is_dir():
        raise InputError(str(path), "is a folder; give -o a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise InputError(str(path), f"cannot write the output here ({exc.strerror})") from exc
    tmp = Path(tmp_name)
    try:
        if binary:
            os.close(fd)
            yield tmp
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                yield f
        if not keep():
            tmp.unlink(missing_ok=True)
            return
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a normal file is wanted
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _output_format(output: Path | None, fmt: OutputFormat | None) -> OutputFormat:
    if fmt is not None:
        if output is None and fmt is OutputFormat.parquet:
            raise typer.BadParameter("Parquet cannot go to stdout; give -o FILE.parquet")
        if output is not None:
            # --format names the format: any file name will do
            check_output(output, None, streams=True)
            if mismatch := format_mismatch(output, fmt, _SUFFIX_FORMATS):
                err.print(warning_line(mismatch))
        return fmt
    if output is None or is_stream(output):  # /dev/null, /dev/stdout: as standard output
        return OutputFormat.jsonl
    return _SUFFIX_FORMATS[check_output(output, _SUFFIX_FORMATS).suffix.lower()]


# ----------------------------------------------------------------------------- progress


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.0f} docs/s", style="progress.data.speed")


def _progress(total: int | None) -> Progress:
    columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("classifying")]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    else:
        columns += [TextColumn("{task.completed:,} docs")]
    columns += [_RateColumn(), TimeElapsedColumn()]
    return Progress(*columns, console=err, transient=True)


class _Problems:
    """Says each problem on stderr and, with --errors, appends it to a JSONL file.

    The file is opened (created or replaced) when the first problem is written,
    so a run without problems leaves an existing file as it was.
    """

    def __init__(self, log_path: Path | None, console: Console) -> None:
        self.log_path = log_path
        self.log_file: IO[str] | None = None
        self.console = console
        self.count = 0

    def __call__(self, problem: InputError) -> None:
        self.count += 1
        level = "warning" if isinstance(problem, InputWarning) else "error"
        line = warning_line if level == "warning" else error_line
        self.console.print(line(str(problem)))
        if self.log_path is not None:
            record = {
                "source": problem.source,
                "line": problem.line,
                "message": problem.message,
                "level": level,
            }
            log_file = self._open(self.log_path)
            log_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            log_file.flush()

    def _open(self, path: Path) -> IO[str]:
        if self.log_file is None:
            try:
                self.log_file = path.open("w", encoding="utf-8")
            except OSError as exc:
                raise InputError(str(path), f"cannot write ({exc.strerror})") from exc
        return self.log_file

    def close(self) -> None:
        if self.log_file is not None:
            self.log_file.close()
            self.log_file = None


# ----------------------------------------------------------------------------- command


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 1 else f"{value:.1f} s"


def _stdin_is_empty(*, only: bool) -> bool:
    """Say what stdin holds before the model loads: a hint on a terminal, "no input" if empty.

    Returns True when stdin is empty and it is the only input (nothing to do).
    """
    if sys.stdin is None or sys.stdin.isatty():
        err.print("reading JSONL documents from stdin; end with Ctrl-D (Ctrl-Z Enter on Windows)")
        return False
    buffer = getattr(sys.stdin, "buffer", None)
    peek = getattr(buffer, "peek", None)
    if peek is None:
        return False
    try:
        empty = not peek(1)
    except (OSError, ValueError):
        return False
    if empty:
        where = "nothing to classify" if only else "reading the other inputs"
        err.print(warning_line(f"no input: stdin is empty; {where}"))
    return empty and only


def classify_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="JSONL, .json arrays, CSV/TSV, Parquet, .html/.htm/.txt files, folders of "
            ".html/.htm/.txt files, or - for JSONL on stdin.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output file (default: JSONL on stdout)."),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="Model folder (default: the shipped model).")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            parser=choice({f.value: f for f in OutputFormat}),
            metavar="[jsonl|json|csv|parquet]",
            help="jsonl (a record a line), json (one array), csv or parquet "
            "(default: from -o's extension, else jsonl).",
        ),
    ] = None,
    text_column: Annotated[str, typer.Option(help="Text field of CSV/JSONL/Parquet.")] = "text",
    id_column: Annotated[
        str,
        typer.Option(help="Id field of CSV/JSONL/Parquet; another name than id must be there."),
    ] = "id",
    errors_file: Annotated[
        Path | None,
        typer.Option("--errors", help="Write each input problem as a JSONL line here."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 after the batch if any input had a problem.")
    ] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per batch.")] = 256,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="CLUSTER",
            help="Label on a Dask cluster: local:N starts N worker processes here, "
            "tcp://HOST:8786 uses a running scheduler (needs naio-nlp[dask]).",
            show_default=False,
        ),
    ] = None,
    dask_timeout: Annotated[
        float,
        typer.Option(
            "--dask-timeout",
            metavar="SECONDS",
            help="With --dask tcp://...: how long to wait for the scheduler to answer.",
        ),
    ] = 20.0,
) -> None:
    """Label documents from files; one output record per document, in input order.

    Bad input (a malformed line, a missing text, an empty, binary or
    undecodable file) is reported with file and line and skipped (exit 1 with
    --strict, or when nothing could be classified, and then -o is neither
    replaced nor created); documents over the maximum
    length are classified on their first characters with a warning. An input
    given twice is refused; ids that repeat across the run get one warning at
    the end. See `naio-nlp docs classify`.

    Examples:

    \b
        naio-nlp classify examples/articles.jsonl examples/html -o labels.csv
        cat scraped.jsonl | naio-nlp classify - --workers 2 > labels.jsonl
        naio-nlp classify archive/*.parquet -o labels.parquet --dask local:2
    """
    if dask is not None and workers > 1:
        raise typer.BadParameter("give --workers or --dask, not both", param_hint="'--dask'")
    if not dask_timeout > 0:
        raise typer.BadParameter(
            f"{dask_timeout:g} is not a number of seconds > 0", param_hint="'--dask-timeout'"
        )
    out_format = _output_format(output, fmt)
    if errors_file is not None:
        check_output(errors_file, None, option="--errors", streams=True)
    # before anything is opened: writing an input would empty it before it is read
    for path, option in ((output, "-o"), (errors_file, "--errors")):
        if path is not None:
            check_not_input(path, inputs, option=option, folder_suffixes=FOLDER_SUFFIXES)
    if (
        output is not None
        and errors_file is not None
        and not is_stream(output)  # -o /dev/null --errors /dev/null replaces nothing
        and same_file(output, errors_file)
    ):
        raise typer.BadParameter(
            f"{errors_file} is also -o; give the error log a file of its own",
            param_hint="'--errors'",
        )
    if STDIN in inputs and _stdin_is_empty(only=len(inputs) == 1):
        raise typer.Exit(0)
    with contextlib.ExitStack() as stack:
        problems = _Problems(errors_file, err)
        stack.callback(problems.close)
        client = None
        if dask is not None:
            from ..distributed import connect

            _quiet_dask()
            client = stack.enter_context(connect(dask, timeout=dask_timeout))
            if client.dashboard_link:
                err.print(
                    f"dask: {len(client.scheduler_info()['workers'])} workers, "
                    f"dashboard {client.dashboard_link}"
                )
        loading = time.perf_counter()
        run = classify_files(
            inputs,
            model=model,
            batch_size=batch_size,
            workers=workers,
            text_column=text_column,
            id_column=id_column,
            errors=problems,
            client=client,
        )
        stack.callback(run.close)
        loaded_on = ""
        if client is not None:  # each worker loads its copy now, not inside the timed run
            from ..distributed import load_on_workers

            loaded_on = f" here and on {plural(load_on_workers(client, run.classifier), 'worker')}"
        started = time.perf_counter()
        load_seconds = started - loading
        show_bar = err.is_terminal
        if show_bar:
            total = count_documents(inputs)
            progress = stack.enter_context(_progress(total))
            task = progress.add_task("classify", total=total)

        writer: _Writer

        def keep() -> bool:  # a run that classified nothing exits 1 and replaces no file
            return run.stats.classified > 0

        if out_format is OutputFormat.parquet:
            assert output is not None  # refused for stdout above
            writer = _ParquetWriter(stack.enter_context(_atomic(output, binary=True, keep=keep)))
        else:
            f = sys.stdout if output is None else stack.enter_context(_atomic(output, keep=keep))
            text_writers: dict[OutputFormat, Callable[[IO[str]], _Writer]] = {
                OutputFormat.csv: _CsvWriter,
                OutputFormat.json: _JsonArrayWriter,
                OutputFormat.jsonl: _JsonlWriter,
            }
            writer = text_writers[out_format](f)

        try:
            for n, result in enumerate(run, start=1):
                writer.write(result)
                if show_bar and n % 32 == 0:
                    progress.update(task, completed=n)
            writer.close()
        except BrokenPipeError:  # `| head`: the reader left; stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(1) from None
        if output is None:
            sys.stdout.flush()
        seconds = time.perf_counter() - started  # before a --dask cluster is shut down
        repeated = run.repeated_ids()
        if repeated.ids:  # said once, at the end; in the --errors log too
            # named by the files that held repeated rows, not every input
            where = _named(list(repeated.sources), noun="file")
            problems(InputWarning(where, _repeated_message(repeated)))

    s = run.stats
    per_second = s.classified / seconds if seconds > 0 else 0.0
    rate = f"{per_second:,.1f}" if per_second < 10 else f"{per_second:,.0f}"
    err.print(
        f"read {s.read:,}, classified {s.classified:,}, skipped {s.skipped:,}, "
        f"truncated {s.truncated:,}, errors {s.errors:,} in {_seconds(seconds)} ({rate} docs/s); "
        f"model loaded in {_seconds(load_seconds)}{loaded_on}"
    )
    if s.read == 0:
        # an empty folder or a CSV of a header alone is no success either
        err.print(
            error_line(
                f"no documents in {_named(inputs)}; nothing to classify"
                f"{not_written(output)}; exit 1"
            )
        )
        raise typer.Exit(1)
    if s.classified == 0:
        # a batch job must not look successful when every input was bad
        logged = f"; also in {errors_file}" if errors_file is not None and problems.count else ""
        err.print(
            error_line(
                f"no document could be classified: {skipped(s)} skipped (see above{logged})"
                f"{not_written(output)}; exit 1"
            )
        )
        raise typer.Exit(1)
    end_strict(problems, strict)


def classify_inputs(
    articles: list[str],
    *,
    model: Path | None,
    text_column: str,
    id_column: str,
    problems: Callable[[InputError], None],
    stats: BatchStats,
    task: str,
    then: str,
    before_exit: Callable[[], None] = lambda: None,
    nothing_written: str = "",
) -> tuple[list[Article], list[Prediction]]:
    """Read ``articles`` as `classify` reads them and label them, with a progress bar:
    what `naio-nlp ledger` and `naio-nlp report` do with article files.

    Bad rows go to ``problems``; repeated ids are reported once, by file. When
    no document can be read it says there is nothing to ``task`` and why
    (``nothing_written`` ends the line), runs ``before_exit`` and exits 1."""
    from ..classifier import load

    reading = read_articles(  # a missing path or an unknown suffix fails here
        articles,
        text_column=text_column,
        id_column=id_column,
        errors=problems,
        stats=stats,
    )
    clf = load(model)
    docs = list(reading)
    if not docs:
        before_exit()
        if stats.read == 0:  # an empty folder or a CSV of a header alone
            why = f"no documents in {_named(articles)}; nothing to {task}"
        else:
            why = f"no document could be read from the input: {skipped(stats)} skipped"
            why += " (see above)"
        err.print(error_line(f"{why}{nothing_written}; exit 1"))
        raise typer.Exit(1)
    # a bar, then a status line, on a terminal (as `classify` shows); nothing on a pipe
    bar = _progress(len(docs)) if err.is_terminal else None
    predictions: list[Prediction] = []
    with bar or contextlib.nullcontext():
        bar_task = bar.add_task("classify", total=len(docs)) if bar is not None else None
        for prediction in clf.classify_many(docs):
            predictions.append(prediction)
            if bar is not None and bar_task is not None:
                bar.advance(bar_task)
    repeated = reading.repeated_ids()
    if repeated.ids:  # named by the files that held the repeats, as `classify` does
        problems(
            InputWarning(
                _named(list(repeated.sources), noun="file"),
                _repeated_message(repeated, on="record", then=then),
            )
        )
    return docs, predictions


def end_strict(problems: _Problems, strict: bool) -> None:
    """With --strict, exit 1 (after the output is written) when an input had a problem."""
    if strict and problems.count:
        err.print(error_line(f"--strict: {plural(problems.count, 'input problem')}; exit 1"))
        raise typer.Exit(1)


def not_written(output: Path | None) -> str:
    """``; labels.csv not written`` for a run that failed with nothing to write, or ''.

    Such a run replaces no file (an earlier one is left as it was) and creates
    none; standard output and devices got whatever was written as it went.
    """
    if output is None or is_stream(output):
        return ""
    if output.exists():
        return f"; {output} not replaced, left as it was"
    return f"; {output} not written"


def skipped(stats: BatchStats) -> str:
    """What a run skipped: ``1 file``, ``3 records``, ``1 file and 2 records``.

    :attr:`BatchStats.skipped` counts a whole file as one; a message should say which.
    """
    records = stats.skipped - stats.skipped_files
    parts = [plural(stats.skipped_files, "file")] if stats.skipped_files else []
    if records or not parts:
        parts.append(plural(records, "record"))
    return " and ".join(parts)


def _repeated_message(
    repeated: RepeatedIds, *, on: str = "output row", then: str | None = None
) -> str:
    """``2 ids are each on more than one output row (3 extra rows): 'a1' (a.csv lines 2
    and 9) and 'b7' (a.csv line 4 and b.csv line 2); ...``; ``on`` names what carries
    the ids, ``then`` what a repeat does."""
    shown = [
        f"{doc_id!r} ({_rows_text(known, again)})"
        for doc_id, (known, again) in zip(repeated.examples, repeated.places, strict=True)
    ]
    if len(shown) < repeated.ids:
        shown.append(f"{repeated.ids - len(shown):,} more")
    examples = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    are = "is" if repeated.ids == 1 else "are each"
    then = then or "a join on id matches those rows more than once"
    return (
        f"{plural(repeated.ids, 'id')} {are} on more than one {on} "
        f"({plural(repeated.rows, f'extra {on.split()[-1]}')}): {examples}; {then}; "
        "give each document its own id (see --id-column) or drop the repeats"
    )


def _rows_text(known: Place | None, again: Place) -> str:
    """Where an id's first two rows were: ``a.jsonl lines 3 and 7``, ``a.jsonl line 3 and
    b.jsonl line 1``, or ``an earlier row and b.jsonl line 9`` when the first is not known."""

    def at(place: Place) -> str:
        source, line = place
        return source if line is None else f"{source} line {line}"

    if known is None:  # more than a chunk of results before: not kept
        return f"an earlier row and {at(again)}"
    if known[0] == again[0] and known[1] is not None and again[1] is not None:
        return f"{again[0]} lines {known[1]} and {again[1]}"
    return f"{at(known)} and {at(again)}"


def _named(inputs: list[str], most: int = 3, noun: str = "input") -> str:
    """``a.csv, pages and <stdin>``; past ``most`` names, ``... and 4 more inputs``."""
    names = ["<stdin>" if name == STDIN else name for name in inputs]
    if len(names) > most:
        return f"{', '.join(names[:most])} and {plural(len(names) - most, f'more {noun}')}"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _quiet_dask() -> None:
    """Dask logs every worker's start and stop at INFO; only its problems matter here.

    Its import sets its loggers' levels, so they are lowered after it, here and (through
    Dask's config, which spawned workers receive) in the worker processes.
    """
    from ..distributed import _NEEDS_DASK

    try:
        import dask
        import distributed  # noqa: F401 - sets the levels that are lowered next
    except ImportError as exc:
        raise ConfigError(_NEEDS_DASK) from exc

    dask.config.set({"logging.distributed": "warning"})
    for name in ("distributed", *logging.root.manager.loggerDict):
        if name == "distributed" or name.startswith("distributed."):
            logging.getLogger(name).setLevel(logging.WARNING)


def register(app: typer.Typer) -> None:
    """Add ``classify`` to the app."""
    app.command(
        "classify",
        epilog=f"Documents longer than {MAX_CHARS:,} characters are truncated.",
    )(classify_command)
