"""Parquet archive classification: one in-process worker vs a Dask LocalCluster.

Writes N documents of about 300 words (shuffled corpus sentences, one third
Malay, ``--novel`` share of made-up words) as P Parquet parts, then labels them
with :func:`naio_nlp.distributed.classify_parquet` twice: without a client (in
this process, one part after another) and on ``LocalCluster(W)`` of
single-threaded worker processes. Prints docs/s for each, the speed-up, whether
the two outputs are identical (every label and probability), and the peak
resident memory of each worker: sampled with psutil every ``--sample`` seconds
during the run, and the kernel's own high-water mark (VmHWM, which also catches
a peak between two samples).

``--ceiling`` also times W independent processes, each labelling its share
of the baseline input with no Dask at all, started together once their models
are loaded: what the machine itself gives W workers (shared cores, caches and
memory bandwidth), so the Dask speed-up can be read against it.

For a million documents: ``--cache DIR`` writes the generated Parquet input
there once and reuses it on later runs (generating it takes minutes), and
``--baseline-docs K`` times the one-process baseline on the first K documents
(the first K/P rows of every part) only and extrapolates its time to all N,
saying so; the identity check then covers those K documents.

    python benchmarks/bench_distributed.py [-n 200000] [--parts 16] [--workers 2] [--novel 0.1]
        [--cache DIR] [--baseline-docs K] [--sample 0.5] [--ceiling] [--profiler] [--malloc-trim]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client

from naio_nlp.distributed import classify_parquet, local_cluster, part_name

# Dask starts its workers with spawn, which runs this file's top level again in each:
# what only the benchmark's own process needs (the document generator, which imports
# training and so scikit-learn) is imported inside the functions, or every worker
# would carry it and its measured memory would not be a labelling worker's.


def _peak_mb() -> float:
    """This process's own peak RSS (VmHWM: unlike ru_maxrss it does not inherit a parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read(folder: Path, inputs: list[Path]) -> pa.Table:
    table = pa.concat_tables([pq.read_table(folder / part_name(p)) for p in inputs])
    return table.sort_by("id")


#: Documents made per call while writing a part (bounds the generator's memory).
CHUNK = 25_000


def _write_inputs(folder: Path, n: int, parts: int, novel: float) -> list[Path]:
    """P Parquet parts of N/P generated documents each, written a chunk at a time.

    A part of at most :data:`CHUNK` documents is the same as the first version of
    this benchmark wrote (seed 100 + part); larger parts continue with new seeds.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_pipeline import make_documents

    folder.mkdir(parents=True, exist_ok=True)
    per_part = n // parts
    inputs = []
    for k in range(parts):
        path = folder / f"part{k:03d}.parquet"
        writer = None
        try:
            for c, first in enumerate(range(0, per_part, CHUNK)):
                docs = make_documents(
                    min(CHUNK, per_part - first), seed=100 + k + 1000 * c, novel=novel
                )
                for d in docs:
                    d["id"] = f"{k:03d}-{first + int(d['id'])}"
                table = pa.Table.from_pylist(docs)
                if writer is None:
                    writer = pq.ParquetWriter(str(path), table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
        inputs.append(path)
    return inputs


def _cached_inputs(cache: Path, n: int, parts: int, novel: float) -> list[Path]:
    """The input for (N, P, novel) from ``cache``, generated there first if missing."""
    folder = cache / f"n{n}-p{parts}-novel{novel}"
    done = folder / "complete.json"
    expected = [folder / f"part{k:03d}.parquet" for k in range(parts)]
    if done.is_file() and all(p.is_file() for p in expected):
        print(f"input: reusing {folder}")
        return expected
    started = time.perf_counter()
    inputs = _write_inputs(folder, n, parts, novel)
    done.write_text(json.dumps({"n": n, "parts": parts, "novel": novel, "chunk": CHUNK}))
    print(f"input: written to {folder} in {time.perf_counter() - started:.0f} s (reused next time)")
    return inputs


def _head_parts(inputs: list[Path], folder: Path, k: int) -> list[Path]:
    """The first K/P rows of every input part, as parts of their own (the baseline's input)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = -(-k // len(inputs))
    out = []
    for path in inputs:
        head = folder / path.name
        with pq.ParquetFile(path) as f:
            pq.write_table(pa.Table.from_batches([next(f.iter_batches(batch_size=rows))]), head)
        out.append(head)
    return out


class _RssSampler:
    """The largest RSS psutil sees for each process, sampled on a thread."""

    def __init__(self, pids: dict[str, int], every: float) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak_mb = dict.fromkeys(self.procs, 0.0)
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, proc in self.procs.items():
                try:
                    mb = proc.memory_info().rss / 2**20
                except psutil.Error:  # a worker that died and was replaced
                    continue
                self.peak_mb[name] = max(self.peak_mb[name], mb)
            self._stop.wait(self.every)

    def __enter__(self) -> _RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200_000, help="documents (default 200,000)")
    parser.add_argument("--parts", type=int, default=16, help="Parquet input files")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--novel", type=float, default=0.1, metavar="SHARE")
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument(
        "--cache", type=Path, default=None, metavar="DIR", help="write the input once, reuse it"
    )
    parser.add_argument(
        "--baseline-docs",
        type=int,
        default=None,
        metavar="K",
        help="time the one-process baseline on the first K documents and extrapolate",
    )
    parser.add_argument(
        "--sample", type=float, default=0.5, metavar="SECONDS", help="worker RSS sampling period"
    )
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also time W independent processes (no Dask) on the baseline documents",
    )
    parser.add_argument(
        "--profiler",
        action="store_true",
        help="keep Dask's statistical profiler on in the workers (naio_nlp turns it off)",
    )
    parser.add_argument(
        "--malloc-trim",
        action="store_true",
        help="start workers with Dask's MALLOC_TRIM_THRESHOLD_=65536 (naio_nlp leaves it unset)",
    )
    args = parser.parse_args()

    from naio_nlp.classifier import load

    model = load(args.model)
    with tempfile.TemporaryDirectory(prefix="naio-bench-") as tmp:
        root = Path(tmp)
        if args.cache is not None:
            inputs = _cached_inputs(args.cache, args.n, args.parts, args.novel)
        else:
            inputs = _write_inputs(root / "in", args.n, args.parts, args.novel)
        n = (args.n // args.parts) * args.parts
        print(
            f"{n:,} documents in {args.parts} parts, novel={args.novel}, "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )

        baseline_inputs, k = inputs, n
        if args.baseline_docs is not None and args.baseline_docs < n:
            baseline_inputs = _head_parts(inputs, root / "head", args.baseline_docs)
            k = sum(pq.ParquetFile(p).metadata.num_rows for p in baseline_inputs)
        start = time.perf_counter()
        one = classify_parquet(baseline_inputs, root / "one", model=model)
        t_k = time.perf_counter() - start
        assert one.rows == k
        t_one = t_k * n / k
        if k < n:
            print(
                f"in-process, 1 worker:   {k / t_k:8,.0f} docs/s on the first {k:,} documents "
                f"({t_k:.0f} s), EXTRAPOLATED to {n:,}: {t_one:.0f} s; "
                f"peak RSS {_peak_mb():,.0f} MB"
            )
        else:
            print(
                f"in-process, 1 worker:   {n / t_one:8,.0f} docs/s ({t_one:.0f} s), "
                f"peak RSS {_peak_mb():,.0f} MB"
            )

        ceiling = None
        if args.ceiling:
            wall, rows = _ceiling(args.model, baseline_inputs, root / "ceiling", args.workers)
            assert rows == k
            ceiling = t_k / wall
            print(
                f"{args.workers} independent processes: {k / wall:8,.0f} docs/s ({wall:.0f} s "
                f"on the {k:,} baseline documents), {ceiling:.2f}x one process: "
                "what this machine gives that many workers"
            )

        # --profiler, --malloc-trim: Dask's defaults, for an A/B of what turning them off saves
        extra: dict[str, Any] = {}
        if args.profiler:
            extra["distributed.worker.profile.enabled"] = True
        if args.malloc_trim:
            extra["distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"] = 65536
        made = local_cluster(args.workers, worker_config=extra)
        with made as cluster, Client(cluster) as client:
            pids = client.run(os.getpid)
            sklearn = client.run(lambda: "sklearn" in sys.modules)
            print(
                "worker RSS before the run: "
                + ", ".join(f"{m:,.0f} MB" for m in client.run(_rss_mb).values())
            )
            start = time.perf_counter()
            with _RssSampler(pids, args.sample) as sampler:
                many = classify_parquet(inputs, root / "many", model=model, client=client)
            t_many = time.perf_counter() - start
            hwm = client.run(_peak_mb)
        assert many.rows == n
        load_now = os.getloadavg()[0]
        speed = f"speed-up {t_one / t_many:.2f}x"
        if k < n:
            speed += " (against the extrapolated baseline)"
        print(
            f"LocalCluster({args.workers}){' (profiler on)' if args.profiler else ''}"
            f"{' (MALLOC_TRIM_THRESHOLD_=65536)' if args.malloc_trim else ''}: "
            f"{n / t_many:8,.0f} docs/s ({t_many:.0f} s), "
            f"{speed}; load average {load_now:.1f} at the end"
        )
        if ceiling is not None:
            print(
                f"Dask reaches {t_one / t_many / ceiling:.0%} of what {args.workers} independent "
                "processes reach on this machine"
            )
        if any(sklearn.values()):
            print("note: scikit-learn is loaded in the workers (imported by the main module)")
        for name in pids:
            short = name.rsplit(":", 1)[-1]
            print(
                f"worker :{short} (pid {pids[name]}): peak RSS {sampler.peak_mb[name]:,.0f} MB "
                f"sampled every {args.sample:g} s, {hwm.get(name, float('nan')):,.0f} MB VmHWM"
            )
        if k < n:
            few = _read(root / "one", baseline_inputs)
            ids = set(few.column("id").to_pylist())
            mine = _read(root / "many", inputs)
            subset = mine.filter(pa.array([i in ids for i in mine.column("id").to_pylist()]))
            print(f"identical output:      {few.equals(subset)} (on the {k:,} baseline documents)")
        else:
            same = _read(root / "one", inputs).equals(_read(root / "many", inputs))
            print(f"identical output:      {same}")


def _label_share(model: Path | None, inputs: list[Path], out: Path, start: Any, q: Any) -> None:
    """One independent process of ``--ceiling``: load, wait for the others, label, report."""
    from naio_nlp.classifier import load

    clf = load(model)
    start.wait()
    t0 = time.time()
    done = classify_parquet(inputs, out, model=clf)
    q.put((t0, time.time(), done.rows))


def _ceiling(model: Path | None, inputs: list[Path], out: Path, workers: int) -> tuple[float, int]:
    """Wall time and rows for ``workers`` processes labelling disjoint shares at once."""
    ctx = mp.get_context("spawn")
    start, q = ctx.Barrier(workers), ctx.Queue()
    shares = [inputs[i::workers] for i in range(workers)]
    procs = [
        ctx.Process(target=_label_share, args=(model, share, out / str(i), start, q))
        for i, share in enumerate(shares)
    ]
    for proc in procs:
        proc.start()
    spans = [q.get() for _ in procs]
    for proc in procs:
        proc.join()
    wall = max(end for _, end, _ in spans) - min(begin for begin, _, _ in spans)
    return wall, sum(rows for _, _, rows in spans)


def _rss_mb() -> float:
    """This process's resident memory now."""
    return float(psutil.Process().memory_info().rss / 2**20)


if __name__ == "__main__":
    main()
