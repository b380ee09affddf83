"""What a hostile or careless site serves: binary as HTML, lying charsets, gzip bombs.

Each test names the defect of issue 15 it guards against; all run against a
real loopback server or real bytes.
"""

from __future__ import annotations

import asyncio
import gzip
import random
import tracemalloc
import zlib
from collections.abc import Callable

import pytest
from collect_site_server import Page, SiteServer, _Handler, bulk_article

from naio_nlp.crawl import crawl
from naio_nlp.errors import NotTextError, TooLargeError
from naio_nlp.extract import decode_html, extract_html
from naio_nlp.fetch import CrawlSettings, Fetcher, FetchResult
from naio_nlp.sources import Source
from naio_nlp.store import Store

PROSE = (
    "The National AI Office published its “first” guideline for public agencies today. "
    "Officials said the café-style briefing — held in Putrajaya — drew résumés from 40 firms. "
)


def _binary(size: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


def _source(site: SiteServer, name: str = "hostile") -> Source:
    return Source(
        name=name, title=name, base_url=site.base + "/h/", listing=None, article_pattern="/h/a/"
    )


# ------------------------------------------------------------ item 1: binary served as text/html


@pytest.mark.parametrize(
    "body",
    [
        _binary(200_000),
        # a base64 blob: printable, decodable, and still not prose
        (
            "<html><body><main><p>"
            + " ".join("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkw" * 3 for _ in range(40))
            + "</p></main></body></html>"
        ).encode(),
        # a PNG-like file with an HTML prefix
        b"<html><body>" + b"\x89PNG\r\n\x1a\n" + _binary(50_000, seed=3),
    ],
    ids=["random-bytes", "base64-blob", "png-after-html"],
)
def test_a_body_that_is_not_text_is_refused_with_the_reason(body: bytes) -> None:
    with pytest.raises(NotTextError, match="not text"):
        extract_html(body, url="http://x/a", content_type="text/html")


def test_binary_pages_are_not_stored_and_the_reason_reaches_source_health(
    empty_site: SiteServer, store: Store, fast: CrawlSettings
) -> None:
    empty_site.pages["/h/a/good.html"] = Page(bulk_article(1).encode())
    empty_site.pages["/h/a/blob.html"] = Page(_binary(300_000))
    empty_site.pages["/h/"] = Page(
        b"<html><body><a href='/h/a/good.html'>one</a> <a href='/h/a/blob.html'>two</a>"
        b"</body></html>"
    )
    report = crawl([_source(empty_site)], store, settings=fast)
    counts = report.counts["hostile"]
    assert counts.new == 1 and counts.not_text == 1
    assert [a.url for a in store.articles()] == [empty_site.base + "/h/a/good.html"]
    (problem,) = [p for p in report.problems if p.kind == "not_text"]
    assert problem.url == empty_site.base + "/h/a/blob.html"
    assert "control characters" in problem.message
    (health,) = store.health()
    assert health.last_counts["not_text"] == 1
    assert health.last_problem is not None and "not text" in health.last_problem


# ------------------------------------------------------------ items 2 and 3: charsets that lie


def test_a_utf8_header_on_windows_1252_bytes_falls_back_to_detection() -> None:
    body = f"<html><body><p>{PROSE * 6}</p></body></html>".encode("cp1252")
    text, codec = decode_html(body, "text/html; charset=utf-8")
    assert "\ufffd" not in text
    assert "“first”" in text and "café" in text and "—" in text
    assert codec != "utf-8"


def test_valid_multibyte_utf8_wins_over_a_contradicting_meta_charset() -> None:
    html = (
        "<html><head><meta charset='iso-8859-1'><title>Garis panduan AI — café</title></head>"
        f"<body><main><h1>Garis panduan AI — café</h1><p>{PROSE * 3}</p></main></body></html>"
    )
    text, codec = decode_html(html.encode("utf-8"), "text/html")
    assert codec == "utf-8" and "café" in text and "Ã" not in text
    page = extract_html(html.encode("utf-8"), url="http://x/a", content_type="text/html")
    assert "café" in page.title and "“first”" in page.text and "Ã" not in page.text + page.title


def test_a_true_single_byte_meta_charset_is_still_honoured() -> None:
    html = f"<html><head><meta charset='iso-8859-1'></head><body><p>{PROSE}</p></body></html>"
    text, _ = decode_html(html.encode("cp1252"))
    assert "“first”" in text and "café" in text


# ------------------------------------------------------------ item 5: a gzip bomb


def _gzip_bomb(decompressed: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(decompressed >> 20)]
    return b"".join([*parts, packer.flush()])


def _serve_encoded(body: bytes, encoding: str) -> Callable[[_Handler], None]:
    def route(h: _Handler) -> None:
        h.send(200, body, "text/html", Content_Encoding=encoding)

    return route


def _fetch(settings: CrawlSettings, url: str) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(go())


def test_the_size_limit_bounds_decompressed_bytes_as_they_stream(
    empty_site: SiteServer, fast: CrawlSettings
) -> None:
    bomb = _gzip_bomb(256 << 20)  # 256 MiB of zeros in about 250 KB
    assert len(bomb) < fast.max_body_bytes
    empty_site.routes["/bomb"] = _serve_encoded(bomb, "gzip")
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError, match="limit"):
            _fetch(fast, empty_site.base + "/bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the limit is 1 MB: memory must stay near it, not near one inflated network chunk (~64 MB)
    assert peak < 8 * fast.max_body_bytes, f"peak {peak:,} bytes"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_pages_within_the_limit_still_arrive_whole(
    empty_site: SiteServer, fast: CrawlSettings, encoding: str
) -> None:
    page = bulk_article(5).encode() * 40  # about 60 KB, under the 1 MB limit
    if encoding == "gzip":
        body = gzip.compress(page)
    elif encoding == "deflate":
        body = zlib.compress(page)
    else:
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        body = packer.compress(page) + packer.flush()
    empty_site.routes["/z"] = _serve_encoded(body, encoding.removeprefix("raw-"))
    assert _fetch(fast, empty_site.base + "/z").content == page
    (request,) = empty_site.hits("/z")
    assert request.headers["accept-encoding"] == "gzip, deflate"
