"""A crawl killed with SIGKILL loses nothing; the next run re-downloads nothing unchanged."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from collect_site_server import SiteServer

from naio_nlp.crawl import crawl
from naio_nlp.fetch import CrawlSettings
from naio_nlp.sources import Listing, Source
from naio_nlp.store import Store

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
    crawl([source], store, settings=CrawlSettings(per_host_delay=0, per_host_concurrency=2))
"""


def _stored(db: Path) -> set[str]:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.OperationalError:
        return set()
    try:
        return {row[0] for row in conn.execute("SELECT url FROM articles")}
    except sqlite3.OperationalError:
        return set()
    finally:
        conn.close()


def test_kill_9_then_resume(empty_site: SiteServer, tmp_path: Path) -> None:
    total = 120
    empty_site.add_bulk(total)
    empty_site.delay = 0.02  # slow enough to kill mid-crawl
    db = tmp_path / "naio.db"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, empty_site.base, str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    give_up = time.monotonic() + 60  # a safety net for a broken build, not a measurement
    while len(_stored(db)) < 15 and child.poll() is None and time.monotonic() < give_up:
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.stderr is not None
    child.stderr.close()
    assert child.returncode == -signal.SIGKILL, "the crawl finished before it could be killed"

    before = _stored(db)
    assert 15 <= len(before) < total
    empty_site.delay = 0.0
    empty_site.clear()
    source = Source(
        name="bulk",
        title="bulk",
        base_url=empty_site.base + "/bulk/",
        article_pattern="/bulk/a/",
        listing=Listing(url=empty_site.base + "/bulk/list-{page}.html", max_pages=10),
    )
    with Store(db) as store:  # opens cleanly after the kill
        report = crawl([source], store, settings=CrawlSettings(per_host_delay=0))
        urls = [a.url for a in store.articles()]
    assert len(urls) == len(set(urls)) == total  # zero lost, zero duplicated
    assert before <= set(urls)
    assert report.counts["bulk"].new == total - len(before)
    # everything stored before the kill was only re-validated: a 304, never a download
    for url in before:
        (request,) = empty_site.hits(url.removeprefix(empty_site.base))
        assert request.conditional and request.status == 304
