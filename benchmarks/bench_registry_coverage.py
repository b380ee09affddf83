"""Share of real NAIO report URLs that the packaged registry would collect.

A URL counts when it falls on a registered host and matches that source's
article pattern (``naio_nlp.sources.source_for_url``). The URLs are real
reports about NAIO found on public pages (``benchmarks/data/real_naio_urls.txt``).
Target (issue 14): >= 0.5; the registry before issue 14 gave 0.01 on the
issue's own survey of 69 reports.

Run: ``.venv/bin/python benchmarks/bench_registry_coverage.py [--sources FILE] [--urls FILE]``.
Prints one line per URL and the share; asserts nothing.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from naio_nlp.sources import load_sources, source_for_url

DATA = Path(__file__).resolve().parent / "data" / "real_naio_urls.txt"


def read_urls(path: Path) -> list[str]:
    """Non-empty, non-comment lines of the URL list."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sources", type=Path, default=None, help="sources TOML (default: packaged)"
    )
    parser.add_argument("--urls", type=Path, default=DATA, help="one URL a line")
    args = parser.parse_args()
    sources = load_sources(args.sources)
    urls = read_urls(args.urls)
    matched = 0
    by_source: Counter[str] = Counter()
    for url in urls:
        source, reason = source_for_url(sources, url)
        mark = "yes" if source else "no "
        print(f"{mark}  {reason:60.60}  {url}")
        if source is not None:
            matched += 1
            by_source[source.name] += 1
    share = matched / len(urls) if urls else 0.0
    print()
    print(f"registry: {args.sources or 'packaged sources.toml'} ({len(sources)} sources)")
    print(
        f"real NAIO report URLs collected: {matched} of {len(urls)} = {share:.2f} (target >= 0.5)"
    )
    print("by source: " + ", ".join(f"{n} {c}" for n, c in by_source.most_common()))


if __name__ == "__main__":
    main()
