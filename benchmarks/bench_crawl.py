"""Crawl benchmarks on loopback: throughput, one host at --delay 0, the unchanged re-run,
faults, kill and resume.

Prints figures; asserts nothing. Targets (issue 6): >= 150 pages/s fetched,
extracted and stored with zero politeness delay; a second unchanged run makes
only conditional requests and stores nothing; the fault run and the
kill-and-resume run end with zero lost and zero duplicated articles. Issue 15
item 7: one host, ``naio-nlp crawl --delay 0`` settings (one request at a
time), within 1.5x of Scrapy's ~150 pages/s, with CPU seconds per page
printed beside pages/s (of the crawler and of the server process) so a busy
machine can be told from an idle crawler.

Run: ``.venv/bin/python benchmarks/bench_crawl.py [--pages 600] [--only one-host]``.
The server runs in its own process so that it does not share the crawler's GIL.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "collect"))

from collect_site_server import Page, SiteServer  # noqa: E402

from naio_nlp.crawl import crawl  # noqa: E402
from naio_nlp.fetch import CrawlSettings  # noqa: E402
from naio_nlp.sources import Listing, Source  # noqa: E402
from naio_nlp.store import Store  # noqa: E402

SERVER = """
import sys
sys.path.insert(0, {tests!r})
from collect_site_server import Page, SiteServer, _Handler
if len(sys.argv) > 3 and sys.argv[3] == "nagle":
    _Handler.disable_nagle_algorithm = False  # http.server's default, unlike nginx or Apache
server = SiteServer(root=None, delay=float(sys.argv[2])).start()
server.pages["/robots.txt"] = Page(b"User-agent: *\\nAllow: /\\n", "text/plain")
server.add_bulk(int(sys.argv[1]))
print(server.port, flush=True)
sys.stdin.read()
"""

ZERO_DELAY = CrawlSettings(per_host_delay=0.0, per_host_concurrency=16, concurrency=16)


def start_server(
    pages: int, delay: float = 0.0, *, nagle: bool = False
) -> tuple[subprocess.Popen[str], str]:
    script = SERVER.format(tests=str(ROOT / "tests" / "collect"))
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(pages), str(delay), "nagle" if nagle else "nodelay"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    port = proc.stdout.readline().strip()
    return proc, f"http://127.0.0.1:{port}"


def stop(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def bulk_source(base: str, pages: int) -> Source:
    return Source(
        name="bulk",
        title="bulk",
        base_url=base + "/bulk/",
        article_pattern="/bulk/a/",
        listing=Listing(url=base + "/bulk/list-{page}.html", max_pages=pages // 50 + 2),
    )


def throughput(pages: int, workdir: Path) -> None:
    proc, base = start_server(pages)
    try:
        source = bulk_source(base, pages)
        with Store(workdir / "speed.db") as store:
            started = time.perf_counter()
            report = crawl([source], store, settings=ZERO_DELAY)
            elapsed = time.perf_counter() - started
            stored = store.count()
            print(
                f"throughput: {stored} pages fetched, extracted and stored in {elapsed:.2f} s "
                f"= {stored / elapsed:.0f} pages/s ({report.requests} requests; target >= 150)"
            )
            started = time.perf_counter()
            again = crawl([source], store, settings=ZERO_DELAY)
            elapsed = time.perf_counter() - started
            plain = again.requests - again.conditional_requests
            print(
                f"unchanged re-run: {again.requests} requests, {again.conditional_requests} "
                f"conditional, {again.not_modified} answered 304, {plain} unconditional "
                f"(robots.txt and the probe past the last listing page); new "
                f"{again.total('new')}, updated {again.total('updated')}; {elapsed:.2f} s; "
                f"store still {store.count()} articles"
            )
    finally:
        stop(proc)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of another process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_host(pages: int, workdir: Path, *, nagle: bool) -> None:
    """``naio-nlp crawl --delay 0`` on one loopback host: one request in flight at a time."""
    from naio_nlp.language import page_language

    page_language("Pejabat Kecerdasan Buatan Negara mengumumkan inisiatif baharu hari ini")
    proc, base = start_server(pages, nagle=nagle)
    settings = CrawlSettings(per_host_delay=0.0)  # every other setting as the CLI's default
    try:
        source = bulk_source(base, pages)
        db = workdir / f"one-host-{'nagle' if nagle else 'nodelay'}.db"
        with Store(db) as store:
            server_cpu = _cpu_seconds(proc.pid)
            cpu = time.process_time()
            started = time.perf_counter()
            report = crawl([source], store, settings=settings)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu
            server_cpu = _cpu_seconds(proc.pid) - server_cpu
            stored = store.count()
        idle = max(0.0, 1 - cpu / elapsed)
        server = "Nagle on (http.server's default)" if nagle else "TCP_NODELAY (as nginx)"
        print(
            f"one host, --delay 0, server {server}: {stored} pages in {elapsed:.2f} s = "
            f"{stored / elapsed:.0f} pages/s; crawler CPU {cpu / stored * 1000:.1f} ms/page "
            f"(off CPU {idle:.0%} of wall: waiting, or a busy machine), "
            f"server CPU {server_cpu / stored * 1000:.1f} ms/page; "
            f"{report.requests} requests, per-host concurrency {settings.per_host_concurrency}, "
            f"language model loaded before timing; load average {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores (target: >= 100 pages/s, Scrapy ~150 / 1.5)"
        )
    finally:
        stop(proc)


def fault_run(workdir: Path) -> None:
    from test_collect_faults import install_faults

    server = SiteServer(root=None).start()
    try:
        expected = install_faults(server)
        good = server.add_bulk(100, per_listing=1000)
        links = "".join(f'<a href="{p}">{p}</a>' for p in [*expected, *good])
        server.pages["/f/list-1.html"] = Page(f"<html><body>{links}</body></html>".encode())
        source = Source(
            name="faults",
            title="faults",
            base_url=server.base + "/f/",
            article_pattern="/(f|bulk)/",
            listing=Listing(url=server.base + "/f/list-{page}.html", max_pages=2),
        )
        settings = replace(
            ZERO_DELAY, timeout=0.5, max_retries=2, backoff=0.05, max_body_bytes=2_000_000
        )
        recoverable = sum(1 for v in expected.values() if v == "new")
        with Store(workdir / "faults.db") as store:
            report = crawl([source], store, settings=settings)
            crawl([source], store, settings=settings)  # and once more: no duplicates
            urls = [a.url for a in store.articles()]
            c = report.counts["faults"]
            lost = len(good) + recoverable - len(set(urls))
            print(
                f"fault run: {c.discovered} URLs, {c.new} stored, {c.failed} failed as expected "
                f"(timeouts, 503s, redirect loop, 100 MB bodies, image, off-site redirect), "
                f"{c.robots_blocked} blocked by robots.txt, {report.retries} retries; "
                f"lost {lost}, duplicated {len(urls) - len(set(urls))}"
            )
    finally:
        server.stop()


CHILD = """
import sys
from naio_nlp.crawl import crawl
from naio_nlp.fetch import CrawlSettings
from naio_nlp.sources import Listing, Source
from naio_nlp.store import Store
base, db = sys.argv[1], sys.argv[2]
source = Source(name="bulk", title="bulk", base_url=base + "/bulk/", article_pattern="/bulk/a/",
                listing=Listing(url=base + "/bulk/list-{page}.html", max_pages=10))
with Store(db) as store:
    crawl([source], store, settings=CrawlSettings(per_host_delay=0, per_host_concurrency=4))
"""


def kill_and_resume(workdir: Path) -> None:
    total = 300
    proc, base = start_server(total, delay=0.005)
    db = workdir / "kill.db"
    try:
        child = subprocess.Popen([sys.executable, "-c", CHILD, base, str(db)])
        while child.poll() is None:
            time.sleep(0.05)
            if db.exists():
                with Store(db) as peek:
                    if peek.count() >= total // 3:
                        break
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        with Store(db) as store:
            before = store.count()
            report = crawl([bulk_source(base, total)], store, settings=ZERO_DELAY)
            urls = [a.url for a in store.articles()]
        downloads = report.requests - report.not_modified
        print(
            f"kill -9 and resume: {before} articles survived the kill; the resume made "
            f"{report.not_modified} 304s (those articles and the listing pages) and "
            f"{downloads} full downloads for the rest "
            f"(new {report.total('new')}); lost {total - len(set(urls))}, "
            f"duplicated {len(urls) - len(set(urls))}"
        )
    finally:
        stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument(
        "--only",
        choices=["throughput", "one-host", "faults", "kill"],
        help="Run one case (default: all).",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.only in (None, "throughput"):
            throughput(args.pages, workdir)
        if args.only in (None, "one-host"):
            one_host(args.pages, workdir, nagle=False)
            one_host(args.pages, workdir, nagle=True)
        if args.only in (None, "faults"):
            fault_run(workdir)
        if args.only in (None, "kill"):
            kill_and_resume(workdir)


if __name__ == "__main__":
    main()
