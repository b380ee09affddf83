"""Parquet archive classification: one in-process worker vs a Dask LocalCluster.

Writes N documents of about 300 words (shuffled corpus sentences, one third
Malay, ``--novel`` share of made-up words) as P Parquet parts, then labels them
with :func:`naio_nlp.distributed.classify_parquet` twice: without a client (in
this process, one part after another) and on ``LocalCluster(W)`` of
single-threaded worker processes. Prints docs/s for each, the speed-up, whether
the two outputs are identical (every label and probability), and the peak
resident memory of each worker.

    python benchmarks/bench_distributed.py [-n 200000] [--parts 16] [--workers 2] [--novel 0.1]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, LocalCluster

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import make_documents

from naio_nlp.classifier import load
from naio_nlp.distributed import classify_parquet, part_name


def _peak_mb() -> float:
    """This process's own peak RSS (VmHWM: unlike ru_maxrss it does not inherit a parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read(folder: Path, inputs: list[Path]) -> pa.Table:
    table = pa.concat_tables([pq.read_table(folder / part_name(p)) for p in inputs])
    return table.sort_by("id")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200_000, help="documents (default 200,000)")
    parser.add_argument("--parts", type=int, default=16, help="Parquet input files")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--novel", type=float, default=0.1, metavar="SHARE")
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()

    model = load(args.model)
    with tempfile.TemporaryDirectory(prefix="naio-bench-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        per_part = args.n // args.parts
        inputs = []
        for k in range(args.parts):
            docs = make_documents(per_part, seed=100 + k, novel=args.novel)
            for d in docs:
                d["id"] = f"{k:03d}-{d['id']}"
            path = root / "in" / f"part{k:03d}.parquet"
            pq.write_table(pa.Table.from_pylist(docs), path)
            inputs.append(path)
        n = per_part * args.parts
        print(
            f"{n:,} documents in {args.parts} parts, novel={args.novel}, "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )

        start = time.perf_counter()
        one = classify_parquet(inputs, root / "one", model=model)
        t_one = time.perf_counter() - start
        print(
            f"in-process, 1 worker:   {n / t_one:8,.0f} docs/s ({t_one:.0f} s), "
            f"peak RSS {_peak_mb():,.0f} MB"
        )
        assert one.rows == n

        with (
            LocalCluster(
                n_workers=args.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
            ) as cluster,
            Client(cluster) as client,
        ):
            start = time.perf_counter()
            many = classify_parquet(inputs, root / "many", model=model, client=client)
            t_many = time.perf_counter() - start
            peaks = client.run(_peak_mb)
        assert many.rows == n
        print(
            f"LocalCluster({args.workers}):        {n / t_many:8,.0f} docs/s ({t_many:.0f} s), "
            f"speed-up {t_one / t_many:.2f}x"
        )
        print("peak RSS per worker:   " + ", ".join(f"{mb:,.0f} MB" for mb in peaks.values()))
        same = _read(root / "one", inputs).equals(_read(root / "many", inputs))
        print(f"identical output:      {same}")


if __name__ == "__main__":
    main()
