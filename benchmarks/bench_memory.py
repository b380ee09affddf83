"""Resident memory of one classifier over a long run of text full of new words.

Streams N documents of about 300 words (shuffled corpus sentences, one third
Malay, ``--novel`` share of made-up words that no cache has seen) through one
``Classifier.classify_many`` and prints the resident memory every ``--every``
documents, then the growth after warm-up (from the first report to the last).
Real news keeps bringing new names; without bounds spaCy keeps every new
string and lexeme for the life of the process.

    python benchmarks/bench_memory.py [-n 500000] [--every 50000] [--novel 0.1]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import make_documents

from naio_nlp.classifier import load


def rss_mb() -> float:
    """Current resident memory of this process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stream(n: int, novel: float, chunk: int = 2000) -> Iterator[dict[str, str]]:
    """N documents made ``chunk`` at a time, so the input itself takes no memory."""
    made = 0
    seed = 1000
    while made < n:
        for doc in make_documents(min(chunk, n - made), seed=seed, novel=novel):
            doc["id"] = str(made)
            made += 1
            yield doc
        seed += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500_000)
    parser.add_argument("--every", type=int, default=50_000)
    parser.add_argument("--novel", type=float, default=0.1, metavar="SHARE")
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    clf = load(args.model)
    print(f"{args.n:,} documents, novel={args.novel}, load average {os.getloadavg()[0]:.1f}")
    print(f"{'documents':>10} {'RSS MB':>8} {'docs/s':>8}")
    print(f"{0:>10,} {rss_mb():>8,.0f}")
    start = last = time.perf_counter()
    marks = []
    for i, _ in enumerate(clf.classify_many(stream(args.n, args.novel)), start=1):
        if i % args.every == 0:
            now = time.perf_counter()
            marks.append(rss_mb())
            print(f"{i:>10,} {marks[-1]:>8,.0f} {args.every / (now - last):>8,.0f}", flush=True)
            last = now
    total = time.perf_counter() - start
    print(f"{args.n / total:,.0f} docs/s overall")
    if len(marks) >= 2:
        print(
            f"growth after warm-up ({args.every:,} → {args.n:,} documents): "
            f"{marks[-1] - marks[0]:+,.0f} MB"
        )


if __name__ == "__main__":
    main()
