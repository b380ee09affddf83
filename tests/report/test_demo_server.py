"""The offline demo snapshot: its content, its server, and its sources file."""

from __future__ import annotations

import io
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from naio_nlp import demo
from naio_nlp.demo import _build
from naio_nlp.sources import load_sources


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with demo.serve_snapshot() as url:
        yield url


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=30) as c:
        yield c


def test_package_data_ships() -> None:
    root = resources.files("naio_nlp.demo")
    assert root.joinpath("sources.toml").is_file()
    assert root.joinpath("site").joinpath("robots.txt").is_file()
    assert demo.site_dir().is_dir() and demo.sources_path().is_file()


def test_site_matches_its_generator() -> None:
    """site/ is what ``python -m naio_nlp.demo._build`` writes from snapshot.toml."""
    want = _build.render()
    root = demo.site_dir()
    have = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert have == set(want), "run: python -m naio_nlp.demo._build"
    for rel, data in want.items():
        assert (root / rel).read_bytes() == data, rel


def test_snapshot_content_has_the_intended_shape() -> None:
    raw = tomllib.loads((Path(_build.__file__).parent / "snapshot.toml").read_text("utf-8"))
    articles = raw["articles"]
    assert 55 <= len(articles) <= 65
    labels = Counter(a["label"] for a in articles)
    for status in ("artifact", "symbolic", "unrelated"):
        assert len(articles) / 4 <= labels[status] <= len(articles) / 2, labels
    days = [date.fromisoformat(a["date"]) for a in articles]
    assert min(days) >= date(2025, 1, 1) and max(days) <= date(2026, 11, 30)
    assert len({(d.year, d.month) for d in days}) >= 18, "the monthly chart needs shape"
    assert {a["lang"] for a in articles} == {"en", "ms"}
    assert sum(bool(a.get("pdf")) for a in articles) == 1
    for a in articles:
        if a["label"] == "artifact":
            assert a["type"], a["slug"]


def test_sources_file_loads_with_the_base(base: str, client: httpx.Client) -> None:
    sources = load_sources(demo.sources_path(), base=base)
    assert [s.name for s in sources] == ["kd-media", "naio", "kl-techwire", "suara-digital"]
    entry_points = []
    for s in sources:
        assert s.base_url.startswith(base)
        entry_points.extend([*s.feeds, *s.sitemaps])
        if s.listing is not None:
            entry_points.extend(s.listing.page_urls())
    assert len(entry_points) == 6
    for url in entry_points:
        assert client.get(url).status_code == 200, url


def test_listing_pages_link_every_release(base: str, client: httpx.Client) -> None:
    links: list[str] = []
    for page in (1, 2, 3):
        r = client.get(f"{base}/kd/kenyataan-media?page={page}")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        links += re.findall(r'href="(/kd/kenyataan-media/[^"?]+)"', r.text)
    assert client.get(f"{base}/kd/kenyataan-media?page=4").status_code == 404
    releases = sorted(set(links))
    assert len(releases) == 18 and sum(u.endswith(".pdf") for u in releases) == 1
    for path in releases:
        r = client.get(base + path)
        assert r.status_code == 200, path
        if path.endswith(".pdf"):
            assert r.headers["content-type"] == "application/pdf"
            text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
            assert "AI Technology Action Plan" in text and "42 initiatives" in text
        else:
            assert 'class="content"' in r.text and "<nav" in r.text and "breadcrumb" in r.text


def test_feed_and_sitemaps_hold_absolute_loopback_urls(base: str, client: httpx.Client) -> None:
    feed = client.get(f"{base}/wire/feed/")
    assert feed.headers["content-type"].startswith("application/rss+xml")
    assert "{base}" not in feed.text
    items = re.findall(r"<link>([^<]+)</link>", feed.text)[1:]
    assert len(items) == 16
    index = client.get(f"{base}/suara/sitemap.xml").text
    children = re.findall(r"<loc>([^<]+)</loc>", index)
    assert len(children) == 3
    pages = [
        loc
        for child in children
        for loc in re.findall(r"<loc>([^<]+)</loc>", client.get(child).text)
    ]
    assert sum("/suara/berita/" in p for p in pages) == 16
    for url in items + pages:
        assert url.startswith(base + "/"), url
        assert client.get(url).status_code == 200, url


def test_robots_txt(base: str, client: httpx.Client) -> None:
    r = client.get(f"{base}/robots.txt")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert "Disallow: /kd/carian" in r.text
    assert f"Sitemap: {base}/suara/sitemap.xml" in r.text


def test_conditional_requests_get_304(base: str, client: httpx.Client) -> None:
    url = f"{base}/naio/announcements?page=1"
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and modified.endswith("GMT")

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag

    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    old = "Mon, 06 Jan 2025 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": old}).status_code == 200
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    # If-None-Match wins over If-Modified-Since
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert client.get(url, headers=both).status_code == 200


def test_head_and_missing_and_private_paths(base: str, client: httpx.Client) -> None:
    head = client.head(f"{base}/wire/feed/")
    assert (
        head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0
    )
    for path in ("/nope", "/_lastmod.json", "/kd/%2e%2e/robots.txt", "/wire/2099/01/01/x/"):
        assert client.get(base + path).status_code == 404, path


def test_server_stops_when_the_block_ends() -> None:
    with demo.serve_snapshot() as url, httpx.Client(trust_env=False) as c:
        assert c.get(url + "/robots.txt").status_code == 200
    with httpx.Client(trust_env=False) as c, pytest.raises(httpx.ConnectError):
        c.get(url + "/robots.txt")
