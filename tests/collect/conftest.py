"""Fixtures of the collector's tests: the loopback fixture site, its sources, a store.

Everything runs against real HTTP servers on 127.0.0.1; nothing reaches the
internet and nothing replaces httpx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from collect_site_server import SITE, SiteServer

from naio_nlp.fetch import CrawlSettings
from naio_nlp.sources import Source, load_sources
from naio_nlp.store import Store


@pytest.fixture
def site() -> Iterator[SiteServer]:
    """The hand-written fixture site, served fresh for each test."""
    server = SiteServer().start()
    yield server
    server.stop()


@pytest.fixture
def empty_site() -> Iterator[SiteServer]:
    """A server with no files: tests add generated pages and fault routes to it."""
    server = SiteServer(root=None).start()
    server.pages["/robots.txt"] = _robots("")
    yield server
    server.stop()


def _robots(text: str) -> Any:
    from collect_site_server import Page

    return Page(text.encode(), "text/plain")


@pytest.fixture
def site_sources(site: SiteServer) -> list[Source]:
    return load_sources(SITE / "sources.toml", base=site.base)


@pytest.fixture
def fast() -> CrawlSettings:
    """Politeness off and limits small, so fault tests finish in well under a second each."""
    return CrawlSettings(
        per_host_delay=0.0,
        per_host_concurrency=4,
        timeout=1.0,
        max_retries=2,
        backoff=0.01,
        max_backoff=5.0,
        max_body_bytes=1_000_000,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "naio.db") as s:
        yield s


@pytest.fixture(scope="session")
def truth() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads((SITE / "truth.json").read_text("utf-8"))
    return data
