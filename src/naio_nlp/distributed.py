"""Classify archives on Dask: a function per partition, one Parquet part per input file.

Three layers, each usable alone:

* :func:`classify_table` labels one table of documents (a pyarrow ``Table`` or
  ``RecordBatch``, or a pandas ``DataFrame``) and returns one row per input row:
  the columns of :data:`~naio_nlp.batch.FLAT_COLUMNS` and an ``error`` column
  (null, or why that row could not be labelled). It is the unit any engine can
  map over partitions.
* :func:`classify_dataframe` maps it over a Dask DataFrame.
* :func:`classify_parquet` labels Parquet files on a cluster, writing one output
  part per input file, atomically, so a rerun after a crash skips finished parts.

The classifier travels as its model folder and digest (``Classifier.__reduce__``),
so every worker must see that folder at the same path (a shared disk, or the
model installed with the package); each worker process loads it once.

Dask, not an engine of our own: it already schedules, retries tasks lost with a
worker, and runs the same code on a laptop (``LocalCluster``) or a cluster
(dask-kubernetes, dask-jobqueue). Install it with ``pip install naio-nlp[dask]``.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ._memory import release_free_memory
from .batch import FLAT_COLUMNS, flat_record, label_items
from .classifier import Classifier, load, load_verified
from .errors import ConfigError, InputError, InvalidFieldError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "OUTPUT_COLUMNS",
    "ParquetRun",
    "classify_dataframe",
    "classify_parquet",
    "classify_table",
    "connect",
    "local_cluster",
    "output_schema",
]

#: What to do when the ``dask`` extra is missing.
_NEEDS_DASK: Final = (
    "--dask needs Dask: pip install 'naio-nlp[dask]' "
    "(from a wheel file: pip install 'naio_nlp-<version>-py3-none-any.whl[dask]')"
)
#: The columns :func:`classify_table` returns, in order.
OUTPUT_COLUMNS: Final[tuple[str, ...]] = (*FLAT_COLUMNS, "error")
#: Rows read from an input Parquet file at a time, per worker: two classifier batches.
#: Fewer rows in flight leave fewer holes in the C heap between the long-lived
#: vocabulary; 4,096 peaked about 70 MB higher on the same 20,000 documents.
READ_ROWS: Final = 512
#: Read a part page by page (1 MiB at a time), not a whole row group ahead: a row
#: group of news text is tens of MB that would sit in pyarrow's pool.
_READ_OPTIONS: Final[dict[str, Any]] = {"pre_buffer": False, "buffer_size": 1 << 20}
#: Output rows per row group of a labelled part.
WRITE_ROWS: Final = 4096
_MODEL_VERSION_KEY: Final = b"naio_nlp.model_version"
#: Dask settings for the worker processes naio_nlp starts. The statistical profiler
#: samples every worker thread's stack every 10 ms and keeps 1,000 one-second
#: summaries: over a long run that grew each worker by about 50 MB (peak 597 / 591 MB
#: with it, 547 / 551 MB without, 300,000 documents on LocalCluster(2)).
#: Dask also starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536``, so that glibc
#: hands freed memory back to the system at once; labelling allocates and frees small
#: objects all the time, and with it the labelling thread took ten times the page
#: faults of a plain process (1.5 million against 154,000 over 20,000 documents) and
#: 3.6-3.9 s of kernel time against 0.6 s; over 300,000 documents on LocalCluster(2)
#: that was a few percent of the run (docs/scale.md). Unset, glibc keeps its own
#: adaptive threshold, as it does in every other process.
WORKER_CONFIG: Final[dict[str, Any]] = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}

Model = Classifier | str | os.PathLike[str] | None


def output_schema() -> pa.Schema:
    """Arrow types of :data:`OUTPUT_COLUMNS` (probabilities float64, needs_review bool)."""
    import pyarrow as pa

    fields = []
    for name in OUTPUT_COLUMNS:
        if name.startswith("p_"):
            fields.append(pa.field(name, pa.float64()))
        elif name == "needs_review":
            fields.append(pa.field(name, pa.bool_()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def _classifier(model: Model) -> Classifier:
    """A loaded classifier; a folder given by path is loaded once per process."""
    if isinstance(model, Classifier):
        return model
    if model is None:
        return load()
    from .classifier import model_digest

    path = os.fspath(model)
    return load_verified(path, model_digest(path))


def _loaded(classifier: Classifier) -> str:
    # unpickling it on the worker loaded the model; one short text warms what loads lazily
    classifier.classify("The National AI Office.", title="warm-up")
    return classifier.version


def load_on_workers(client: Any, classifier: Classifier) -> int:
    """Load the model on every worker of ``client`` now, once per worker process, and
    return how many workers there are: a job's first tasks then do not wait for it, and a
    model that a worker cannot load fails here, before any input is read."""
    return len(client.run(_loaded, classifier))


def _column(table: pa.Table, name: str | None) -> list[Any] | None:
    if name is None or name not in table.column_names:
        return None
    values: list[Any] = table.column(name).to_pylist()
    return values


def classify_table(
    table: Any,
    *,
    model: Model = None,
    text_column: str = "text",
    id_column: str = "id",
    title_column: str | None = "title",
    lang_column: str | None = "lang",
    batch_size: int = 256,
    first_row: int = 0,
) -> Any:
    """Label every row of ``table``; the result has one row per input row, in order.

    ``table`` is a pyarrow ``Table`` or ``RecordBatch`` (a ``Table`` comes back)
    or a pandas ``DataFrame`` (a ``DataFrame`` comes back). Only ``text_column``
    is required; a missing id becomes the row number (``first_row`` + position),
    missing titles are empty and a missing language is detected. A row whose text
    is null, not a string or blank is not labelled: its label columns are null
    and ``error`` says why. Labels are the same as :meth:`Classifier.classify_many`
    gives for the same documents.
    """
    import pyarrow as pa

    as_pandas = False
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    elif not isinstance(table, pa.Table):
        if not hasattr(table, "to_dict") or not hasattr(table, "columns"):
            raise InputError(
                "table", f"expected a pyarrow Table or pandas DataFrame, not {type(table).__name__}"
            )
        as_pandas = True
        table = pa.Table.from_pandas(table, preserve_index=False)
    if text_column not in table.column_names:
        raise InputError(
            "table",
            f"no {text_column!r} column (columns: {', '.join(table.column_names) or 'none'}); "
            "name the text column with text_column=",
        )
    classifier = _classifier(model)
    n = table.num_rows
    texts = table.column(text_column).to_pylist()
    ids = _column(table, id_column) or [None] * n
    titles = _column(table, title_column) or [None] * n
    langs = _column(table, lang_column)
    if langs is None and lang_column == "lang":
        langs = _column(table, "language")
    langs = langs or [None] * n

    items: list[dict[str, Any]] = []
    where: list[int] = []
    errors: list[str | None] = [None] * n
    row_ids: list[str] = []
    for i, (doc_id, text, title, lang) in enumerate(zip(ids, texts, titles, langs, strict=True)):
        row_ids.append(str(first_row + i) if doc_id is None else str(doc_id))
        if not isinstance(text, str) or not text.strip():
            errors[i] = f"no text in column {text_column!r}"
            continue
        items.append(
            {
                "id": row_ids[i],
                "title": title if isinstance(title, str) else "",
                "text": text,
                "lang": lang if lang in ("en", "ms") else None,
            }
        )
        where.append(i)

    records: list[dict[str, Any]] = [{"id": row_ids[i], "error": errors[i]} for i in range(n)]
    for start in range(0, len(items), batch_size):
        chunk = items[start : start + batch_size]
        for i, outcome in zip(
            where[start : start + batch_size], label_items(classifier, chunk), strict=True
        ):
            if isinstance(outcome, str):
                records[i]["error"] = outcome
            else:
                records[i] = {**flat_record(outcome), "error": None}
    out = pa.Table.from_pylist(records, schema=output_schema())
    return out.to_pandas() if as_pandas else out


def classify_dataframe(
    ddf: Any,
    *,
    model: Model = None,
    text_column: str = "text",
    id_column: str = "id",
    title_column: str | None = "title",
    lang_column: str | None = "lang",
    batch_size: int = 256,
) -> Any:
    """A lazy Dask DataFrame of labels: :func:`classify_table` on every partition.

    Each output partition has one row per input row (the ``id`` column carries
    the document id). Compute it, or write it with ``to_parquet``.
    """
    classifier = _classifier(model)
    meta = output_schema().empty_table().to_pandas()
    return ddf.map_partitions(
        classify_table,
        model=classifier,
        text_column=text_column,
        id_column=id_column,
        title_column=title_column,
        lang_column=lang_column,
        batch_size=batch_size,
        meta=meta,
        enforce_metadata=False,
    )


# ----------------------------------------------------------------------------- Parquet parts


@dataclass
class PartResult:
    """What labelling one input file did."""

    source: str
    output: str
    rows: int = 0
    errors: int = 0
    skipped: bool = False
    seconds: float = 0.0


@dataclass
class ParquetRun:
    """The outcome of :func:`classify_parquet`."""

    output_dir: Path
    parts: list[PartResult] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.parts if not p.skipped)

    @property
    def errors(self) -> int:
        return sum(p.errors for p in self.parts if not p.skipped)

    @property
    def skipped(self) -> int:
        """Input files whose output part was already there from an earlier run."""
        return sum(p.skipped for p in self.parts)


def part_name(source: str | os.PathLike[str]) -> str:
    """The output part of one input file: its stem and a digest of its absolute path."""
    path = Path(source).resolve()
    tag = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:10]
    return f"{path.stem}-{tag}.labels.parquet"


def _done_by(path: Path) -> str | None:
    """The model version an existing output part was written by, or None if unreadable."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except Exception:
        return None
    value = meta.get(_MODEL_VERSION_KEY)
    return value.decode("utf-8") if value else None


def classify_part(
    source: str,
    output: str,
    *,
    model: Model = None,
    text_column: str = "text",
    id_column: str = "id",
    title_column: str | None = "title",
    lang_column: str | None = "lang",
    batch_size: int = 256,
) -> PartResult:
    """Label one Parquet file into ``output``, streaming; the part appears only when complete.

    Rows are read :data:`READ_ROWS` at a time and written as they are labelled
    to a temporary file beside ``output``, which is renamed onto it at the end:
    a reader (or a rerun) sees a whole part or none.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    started = time.perf_counter()
    classifier = _classifier(model)
    result = PartResult(source=source, output=output)
    dst = Path(output)
    for stale in dst.parent.glob(f".{dst.name}.*.part"):  # left by a worker that died
        stale.unlink(missing_ok=True)
    tmp = dst.parent / f".{dst.name}.{uuid.uuid4().hex}.part"
    try:
        src = pq.ParquetFile(source, **_READ_OPTIONS)
    except Exception as exc:
        raise InputError(
            source, f"not a readable Parquet file ({type(exc).__name__}: {exc})"
        ) from exc
    wanted = [c for c in (text_column, id_column, title_column, lang_column, "language") if c]
    columns = [c for c in dict.fromkeys(wanted) if c in src.schema_arrow.names]
    if text_column not in columns:
        raise InputError(source, f"no {text_column!r} column; name it with --text-column")
    schema = output_schema().with_metadata({_MODEL_VERSION_KEY: classifier.version.encode("utf-8")})
    try:
        with pq.ParquetWriter(str(tmp), schema) as writer:
            pending: list[pa.Table] = []  # labels are small: written WRITE_ROWS at a time
            for batch in src.iter_batches(batch_size=READ_ROWS, columns=columns):
                labelled = classify_table(
                    batch,
                    model=classifier,
                    text_column=text_column,
                    id_column=id_column,
                    title_column=title_column,
                    lang_column=lang_column,
                    batch_size=batch_size,
                    first_row=result.rows,
                )
                pending.append(labelled.replace_schema_metadata(schema.metadata))
                result.rows += labelled.num_rows
                result.errors += labelled.num_rows - labelled.column("error").null_count
                if sum(t.num_rows for t in pending) >= WRITE_ROWS:
                    writer.write_table(pa.concat_tables(pending))
                    pending.clear()
                del batch, labelled
                _release_arrow_memory()
            if pending:
                writer.write_table(pa.concat_tables(pending))
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
        release_free_memory()
    result.seconds = time.perf_counter() - started
    return result


def _release_arrow_memory() -> None:
    """Hand pyarrow's free blocks back: its allocator (mimalloc or jemalloc) keeps them otherwise.

    A worker decodes and encodes a few MB of Parquet per batch; without this,
    each batch's high tide stays in the worker's resident size for the rest of
    the run. It frees nothing in use, so no output changes.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _inputs(patterns: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    if isinstance(patterns, str | os.PathLike):
        patterns = [patterns]
    files: list[str] = []
    for pattern in patterns:
        text = os.fspath(pattern)
        if os.path.isdir(text):
            matched = sorted(glob.glob(os.path.join(text, "**", "*.parquet"), recursive=True))
        else:
            matched = sorted(glob.glob(text, recursive=True))
        if not matched:
            raise InputError(text, "matched no Parquet file")
        files.extend(matched)
    return list(dict.fromkeys(files))


def classify_parquet(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    output_dir: str | os.PathLike[str],
    *,
    client: Any = None,
    model: Model = None,
    text_column: str = "text",
    id_column: str = "id",
    title_column: str | None = "title",
    lang_column: str | None = "lang",
    batch_size: int = 256,
    progress: Callable[[PartResult], None] | None = None,
) -> ParquetRun:
    """Label Parquet files (paths, globs or folders) into ``output_dir``, one part per file.

    With a Dask ``client`` each file is a task on the cluster (a task lost with
    a worker is rerun by Dask; its part is written whole or not at all); without
    one, the files are labelled here, one after another. A part already written
    by the same model version is skipped, so a rerun after a crash or an
    interruption does only what is left. ``progress`` is called once per file.
    """
    sources = _inputs(inputs)
    out = Path(output_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), f"cannot create the output folder ({exc.strerror})") from exc
    classifier = _classifier(model)
    run = ParquetRun(output_dir=out)
    todo: list[tuple[str, str]] = []
    for source in sources:
        dst = out / part_name(source)
        if dst.is_file() and _done_by(dst) == classifier.version:
            done = PartResult(source=source, output=str(dst), skipped=True)
            run.parts.append(done)
            if progress is not None:
                progress(done)
        else:
            todo.append((source, str(dst)))
    options = {
        "text_column": text_column,
        "id_column": id_column,
        "title_column": title_column,
        "lang_column": lang_column,
        "batch_size": batch_size,
    }
    for result in _run_parts(todo, classifier, options, client):
        run.parts.append(result)
        if progress is not None:
            progress(result)
    order = {s: i for i, s in enumerate(sources)}
    run.parts.sort(key=lambda p: order[p.source])
    return run


def _run_parts(
    todo: list[tuple[str, str]], classifier: Classifier, options: dict[str, Any], client: Any
) -> Iterator[PartResult]:
    if client is None:
        for source, dst in todo:
            yield classify_part(source, dst, model=classifier, **options)
        return
    from distributed import as_completed

    futures = [
        client.submit(classify_part, source, dst, model=classifier, pure=False, **options)
        for source, dst in todo
    ]
    for future in as_completed(futures):
        yield future.result()


# ----------------------------------------------------------------------------- clusters


def local_cluster(n_workers: int, *, worker_config: Mapping[str, Any] | None = None) -> Any:
    """A ``LocalCluster`` of ``n_workers`` single-threaded processes on 127.0.0.1.

    The workers get :data:`WORKER_CONFIG` (no statistical profiler), then
    ``worker_config`` (Dask settings of your own, over it); the dashboard listens on
    a free loopback port. Use it as a context manager, or close it.
    """
    import dask
    from distributed import LocalCluster

    settings = {**WORKER_CONFIG, **(worker_config or {})}
    with dask.config.set(settings):  # each nanny copies the config it is made with
        return LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        )


@contextlib.contextmanager
def connect(spec: str, *, timeout: float = 20.0) -> Iterator[Any]:
    """A Dask client for ``spec``: ``local:N`` (N worker processes here) or a scheduler address.

    ``local:N`` starts :func:`local_cluster` (N single-threaded worker processes
    bound to 127.0.0.1: the classifier holds the GIL, so processes, not
    threads); ``tcp://HOST:PORT`` connects to a running scheduler, waiting at
    most ``timeout`` seconds for it (a :class:`ConfigError` naming the address
    when it does not answer). The cluster started here is closed on exit.
    """
    if not timeout > 0:
        raise InvalidFieldError("connect: timeout", timeout, "a number of seconds > 0")
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ConfigError(_NEEDS_DASK) from exc
    if spec.startswith("local:") or spec == "local":
        count = spec.partition(":")[2] or str(os.cpu_count() or 1)
        if not count.isdigit() or int(count) < 1:
            raise ConfigError(f"--dask {spec!r}: expected local:N with N a whole number >= 1")
        with (
            local_cluster(int(count)) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    if "://" not in spec:
        raise ConfigError(
            f"--dask {spec!r}: expected local:N or a scheduler address such as tcp://scheduler:8786"
        )
    try:
        client = Client(spec, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(
            f"--dask {spec}: no Dask scheduler answered at this address within {timeout:g} s "
            f"({exc}); is the scheduler running and reachable from here? Start one with "
            "`dask scheduler`, check the host and port, or wait longer with --dask-timeout"
        ) from exc
    with client:
        yield client
