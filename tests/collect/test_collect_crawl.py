"""Crawling the loopback fixture site end to end."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path

from collect_site_server import SITE, Page, SiteServer

from naio_nlp.crawl import ProgressEvent, crawl
from naio_nlp.fetch import CrawlSettings
from naio_nlp.sources import Source, load_sources
from naio_nlp.store import Store


def test_first_crawl_collects_every_article(
    site: SiteServer, site_sources: list[Source], store: Store, fast: CrawlSettings
) -> None:
    events: list[ProgressEvent] = []
    report = crawl(site_sources, store, settings=fast, progress=events.append)
    kd, news, naio = (report.counts[n] for n in ("kd-fixture", "news-fixture", "naio-fixture"))
    assert (kd.new, kd.duplicate) == (6, 1)  # the archive copy is linked, not stored twice
    assert news.new == 5
    assert (naio.new, naio.js_shell, naio.robots_blocked) == (2, 1, 1)
    assert store.count() == 13
    assert report.silent_sources == []
    # robots.txt disallows /naio/private/: never requested
    assert site.hits("/naio/private/draft.html") == []
    # every request carried an honest User-Agent with a contact URL
    agents = {r.headers["user-agent"] for r in site.requests}
    assert len(agents) == 1 and "naio-nlp/" in agents.pop()
    # PDFs: one linked from the listing (title from the link text), one behind a stub page
    pdfs = {a.title: a for a in store.articles() if a.url and a.url.endswith(".pdf")}
    assert set(pdfs) == {
        "Kotak Pasir Kawal Selia AI Dilancarkan",
        "MoU on Sovereign AI Compute Capacity",
    }
    info = store.info(pdfs["MoU on Sovereign AI Compute Capacity"].id)
    assert info is not None and info.kind == "pdf"
    # tracking parameters never reach the stored URL
    assert all("utm_" not in (a.url or "") for a in store.articles())
    assert {e.stage for e in events} == {"discovered", "item", "done"}
    health = {h.source: h for h in store.health()}
    assert health["naio-fixture"].empty_extractions == 1 and health["kd-fixture"].last_success


def test_second_run_is_only_conditional_and_stores_nothing(
    site: SiteServer, site_sources: list[Source], store: Store, fast: CrawlSettings
) -> None:
    crawl(site_sources, store, settings=fast)
    site.clear()
    report = crawl(site_sources, store, settings=fast)
    assert report.total("new") == report.total("updated") == report.total("duplicate") == 0
    assert report.total("unchanged") == 14
    full = [(r.path, r.status) for r in site.requests if not r.conditional]
    # only robots.txt (fetched once per run) and the probe past the last listing page
    assert sorted(full) == [("/kd/siaran-media/page-3.html", 404), ("/robots.txt", 200)]
    assert all(r.status == 304 for r in site.requests if r.conditional)


def test_a_page_that_changes_keeps_its_revision(
    site: SiteServer, site_sources: list[Source], store: Store, fast: CrawlSettings
) -> None:
    path = "/news/2025/04/15/kerajaan-lancar-dana-ai/"
    crawl(site_sources, store, settings=fast)
    original = (SITE / "news/2025/04/15/kerajaan-lancar-dana-ai/index.html").read_bytes()
    site.pages[path] = Page(original.replace(b"RM50 juta untuk", b"RM60 juta untuk"))
    report = crawl(site_sources, store, settings=fast)
    assert report.counts["news-fixture"].updated == 1
    article = store.article_for_url(site.base + path)
    assert article is not None and "RM60 juta" in article.title
    (old,) = store.revisions(article.id)
    assert "RM50 juta" in old.title
    info = store.info(article.id)
    assert info is not None and info.revisions == 2


def test_since_and_max_pages(
    site: SiteServer, site_sources: list[Source], store: Store, fast: CrawlSettings
) -> None:
    report = crawl(site_sources, store, settings=fast, since=date(2025, 9, 1))
    assert all(a.published and a.published >= date(2025, 9, 1) for a in store.articles())
    assert report.total("skipped") > 0
    with Store(":memory:") as small:
        capped = crawl(site_sources, small, settings=fast, max_pages=2)
        assert all(
            c.new + c.duplicate + c.js_shell + c.robots_blocked <= 2 for c in capped.counts.values()
        )


def test_a_source_yielding_nothing_is_reported_loudly(
    site: SiteServer, store: Store, fast: CrawlSettings, tmp_path: Path
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[[sources]]\nname = "moved"\nbase_url = "{base}/gone/"\nfeeds = ["{base}/gone/feed/"]\n'
    )
    report = crawl(load_sources(path, base=site.base), store, settings=fast)
    (problem,) = [p for p in report.problems if p.severity == "error"]
    assert problem.source == "moved" and "found no article URLs" in problem.message
    assert "sources check" in problem.message
    (health,) = store.health()
    assert health.empty_runs == 1 and health.last_success is None


def test_crawl_delay_from_robots_spaces_every_request(empty_site: SiteServer, store: Store) -> None:
    """Crawl-delay holds between every two requests, the first page after robots.txt included."""
    settings = CrawlSettings()
    assert settings.obey_robots and settings.per_host_concurrency == 1
    assert settings.per_host_delay >= 1.0 and "+http" in settings.user_agent_header
    crawl_delay = 0.3
    empty_site.pages["/robots.txt"] = Page(
        f"User-agent: *\nCrawl-delay: {crawl_delay}\n".encode(), "text/plain"
    )
    empty_site.add_bulk(3)
    path_sources = [
        Source(
            name="bulk",
            title="bulk",
            base_url=empty_site.base + "/bulk/",
            listing=None,
            article_pattern="/bulk/a/",
        )
    ]
    empty_site.pages["/bulk/"] = empty_site.pages["/bulk/list-1.html"]
    report = crawl(path_sources, store, settings=replace(settings, per_host_delay=0.0))
    assert report.counts["bulk"].new == 3
    arrivals = sorted(empty_site.requests, key=lambda r: r.at)
    assert [r.path for r in arrivals[:2]] == ["/robots.txt", "/bulk/"]
    assert len(arrivals) == 5
    gaps = [later.at - earlier.at for earlier, later in pairwise(arrivals)]
    # the server notes arrival a little after the client's timer: allow 5% of jitter
    assert min(gaps) >= crawl_delay * 0.95, gaps
