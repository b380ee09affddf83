"""Fault injection on a real loopback server: the crawl ends, nothing is lost or duplicated."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import pytest
from collect_site_server import Page, SiteServer, _Handler, bulk_article

from naio_nlp.crawl import crawl
from naio_nlp.errors import FetchError
from naio_nlp.fetch import (
    CrawlSettings,
    Fetcher,
    HostNotAllowedError,
    RobotsBlockedError,
    TooLargeError,
    UnsupportedContentError,
)
from naio_nlp.sources import Listing, Source
from naio_nlp.store import Store

GOOD = Page(bulk_article(9001).encode())


def failing_first(times: int, fail: Callable[[_Handler], None]) -> Callable[[_Handler], None]:
    """A route that fails ``times`` times, then serves a good page."""
    lock = threading.Lock()
    count = [0]

    def route(h: _Handler) -> None:
        with lock:
            count[0] += 1
            n = count[0]
        if n <= times:
            fail(h)
        else:
            h.serve_page(Page(bulk_article(9000 + len(h.path)).encode()))

    return route


def slow(h: _Handler) -> None:
    time.sleep(1.5)
    h.serve_page(GOOD)


def big(h: _Handler) -> None:
    """100 MB of HTML, streamed without a Content-Length."""
    h.record.status = 200
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Connection", "close")
    h.end_headers()
    chunk = b"<p>" + b"x" * 65_529 + b"</p>\n"
    for _ in range(100 * 1024 * 1024 // len(chunk)):
        h.wfile.write(chunk)
    h.close_connection = True


def big_declared(h: _Handler) -> None:
    """Announces 100 MB up front: refused before a byte of the body is read."""
    h.record.status = 200
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(100 * 1024 * 1024))
    h.end_headers()
    h.wfile.write(b"<html>")
    h.close_connection = True


def redirect(to: str) -> Callable[[_Handler], None]:
    return lambda h: h.send(302, b"", Location=to)


def install_faults(server: SiteServer) -> dict[str, str]:
    """Fault routes on ``server``; returns path -> expected outcome."""
    r = server.routes
    r["/f/reset-once"] = failing_first(1, lambda h: h.reset())
    r["/f/429-once"] = failing_first(1, lambda h: h.send(429, b"slow down", Retry_After="1"))
    r["/f/500-twice"] = failing_first(2, lambda h: h.send(500, b"oops"))
    r["/f/503-always"] = lambda h: h.send(503, b"down")
    r["/f/slow"] = slow
    r["/f/loop-a"] = redirect("/f/loop-b")
    r["/f/loop-b"] = redirect("/f/loop-a")
    r["/f/big"] = big
    r["/f/big-declared"] = big_declared
    r["/f/image"] = lambda h: h.send(200, b"\x89PNG....", "image/png")
    r["/f/offsite"] = redirect(f"http://localhost:{server.port}/f/moved")
    r["/f/private/secret"] = lambda h: h.serve_page(GOOD)
    server.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /f/private/\n", "text/plain")
    return {
        "/f/reset-once": "new",
        "/f/429-once": "new",
        "/f/500-twice": "new",
        "/f/503-always": "failed",
        "/f/slow": "failed",
        "/f/loop-a": "failed",
        "/f/big": "failed",
        "/f/big-declared": "failed",
        "/f/image": "failed",
        "/f/offsite": "failed",
        "/f/private/secret": "robots",
    }


@pytest.fixture
def faulty() -> CrawlSettings:
    return CrawlSettings(
        per_host_delay=0.0,
        per_host_concurrency=8,
        timeout=0.4,
        max_retries=2,
        backoff=0.01,
        max_backoff=5.0,
        max_body_bytes=1_000_000,
    )


def fetch_one(settings: CrawlSettings, url: str, hosts: frozenset[str] | None = None) -> object:
    async def go() -> object:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, allowed_hosts=hosts)

    return asyncio.run(go())


def test_each_fault_alone(empty_site: SiteServer, faulty: CrawlSettings) -> None:
    install_faults(empty_site)
    base = empty_site.base
    host = frozenset({f"127.0.0.1:{empty_site.port}"})
    for path in ("/f/reset-once", "/f/429-once", "/f/500-twice"):
        assert fetch_one(faulty, base + path).status == 200  # type: ignore[attr-defined]
    # Retry-After was honoured: the retry of the 429 came after the server's one second
    first, second = empty_site.hits("/f/429-once")
    assert second is not first
    with pytest.raises(FetchError, match="gave up after 3 attempts") as down:
        fetch_one(faulty, base + "/f/503-always")
    assert down.value.status == 503
    with pytest.raises(FetchError, match="timed out"):
        fetch_one(faulty, base + "/f/slow")
    with pytest.raises(FetchError, match="redirect loop"):
        fetch_one(faulty, base + "/f/loop-a")
    with pytest.raises(TooLargeError):
        fetch_one(faulty, base + "/f/big")
    with pytest.raises(TooLargeError, match="104,857,600"):
        fetch_one(faulty, base + "/f/big-declared")
    with pytest.raises(UnsupportedContentError, match="image/png"):
        fetch_one(faulty, base + "/f/image")
    with pytest.raises(HostNotAllowedError, match="allow_hosts"):
        fetch_one(faulty, base + "/f/offsite", host)
    with pytest.raises(RobotsBlockedError):
        fetch_one(faulty, base + "/f/private/secret")
    with pytest.raises(FetchError, match="more than 0 redirects"):
        fetch_one(replace(faulty, max_redirects=0), base + "/f/loop-a")


def test_retry_after_longer_than_max_backoff_fails_instead_of_hanging(
    empty_site: SiteServer, faulty: CrawlSettings
) -> None:
    empty_site.routes["/f/later"] = lambda h: h.send(429, b"", Retry_After="3600")
    with pytest.raises(FetchError, match="3600 s"):
        fetch_one(faulty, empty_site.base + "/f/later")
    assert len(empty_site.hits("/f/later")) == 1


def test_fault_run_ends_with_nothing_lost_or_duplicated(
    empty_site: SiteServer, faulty: CrawlSettings, store: Store
) -> None:
    expected = install_faults(empty_site)
    good = empty_site.add_bulk(20, per_listing=100)
    links = "".join(f'<a href="{p}">{p}</a>' for p in [*expected, *good])
    empty_site.pages["/f/list-1.html"] = Page(f"<html><body>{links}</body></html>".encode())
    source = Source(
        name="faults",
        title="faults",
        base_url=empty_site.base + "/f/",
        article_pattern="/(f|bulk)/",
        listing=Listing(url=empty_site.base + "/f/list-{page}.html", max_pages=3),
    )
    report = crawl([source], store, settings=faulty)
    c = report.counts["faults"]
    assert c.discovered == len(expected) + len(good)
    assert c.new == len(good) + 3  # the three transient faults recovered
    assert c.failed == 7 and c.robots_blocked == 1
    assert store.count() == len(good) + 3
    urls = [a.url for a in store.articles()]
    assert len(urls) == len(set(urls))
    failed_urls = {p.url for p in report.problems if p.kind in ("fetch", "host")}
    assert {u.removeprefix(empty_site.base) for u in failed_urls if u} == {
        p for p, outcome in expected.items() if outcome == "failed"
    }
    again = crawl([source], store, settings=faulty)
    assert again.counts["faults"].new == 0 and store.count() == len(good) + 3
