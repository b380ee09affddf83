"""The crawl: discover each source's articles, fetch what changed, extract, store.

Discovery reads a source's feeds, sitemaps (indexes included) and paginated
listing pages; their bodies are kept in the fetch log so that a 304 on the
next run still yields the item list. Each article page is fetched with the
validators of its last fetch, extracted, and committed at once, so a run can
be killed at any point and the next one resumes without re-downloading what
did not change. A source that yields nothing is reported as a problem, not
passed over in silence.

``crawl`` is synchronous for callers; inside, one asyncio loop drives all
sources while the fetcher keeps every host's politeness limits.
"""

from __future__ import annotations

import asyncio
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime
from typing import Any, Literal

from lxml import etree  # type: ignore[import-untyped]

from .dates import KL, parse_date
from .errors import ExtractionError, FetchError, NotTextError
from .extract import (
    EmptyPageError,
    ExtractedPage,
    JsShellError,
    extract_html,
    extract_links,
    extract_pdf,
)
from .fetch import (
    CrawlSettings,
    Fetcher,
    FetchResult,
    HostNotAllowedError,
    RobotsBlockedError,
)
from .sources import Source
from .store import FetchRecord, Store
from .urls import canonicalize, host_of, is_http_url, resolve, same_site

__all__ = [
    "CrawlReport",
    "CrawlSettings",
    "Item",
    "Problem",
    "ProgressEvent",
    "RouteCheck",
    "SourceCheck",
    "SourceCounts",
    "Verdict",
    "check_sources",
    "crawl",
]

_MAX_SITEMAPS = 50
_MAX_SITEMAP_DEPTH = 3
_MAX_DECOMPRESSED = 50_000_000


@dataclass(frozen=True, slots=True)
class Item:
    """A URL discovery found, with what the feed or listing said about it."""

    url: str
    title: str = ""
    published: date | None = None
    is_pdf: bool = False
    via: str = "listing"
    found_on: str = ""


@dataclass(slots=True)
class SourceCounts:
    """Per-source outcome counts of one run (what the summary table shows).

    ``seen`` counts the article links discovery found, ``irrelevant`` those
    the relevance filter dropped before fetching, ``discovered`` the rest
    (what the crawl then fetches).
    """

    seen: int = 0
    irrelevant: int = 0
    discovered: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    failed: int = 0
    robots_blocked: int = 0
    js_shell: int = 0
    empty: int = 0
    skipped: int = 0
    http_403: int = 0
    selector_misses: int = 0
    not_text: int = 0

    def as_dict(self) -> dict[str, int]:
        """Counts by name (the health record keeps them)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def yielded(self) -> int:
        """Articles this run stored or confirmed."""
        return self.new + self.updated + self.unchanged + self.duplicate


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a user should look at; ``severity`` "error" means a source yielded nothing."""

    source: str
    kind: str
    message: str
    url: str | None = None
    severity: Literal["error", "warning"] = "warning"


@dataclass(slots=True)
class CrawlReport:
    """What a crawl did, per source, and what went wrong."""

    counts: dict[str, SourceCounts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    requests: int = 0
    conditional_requests: int = 0
    not_modified: int = 0
    retries: int = 0

    def total(self, name: str) -> int:
        """Sum of one count over all sources."""
        return sum(int(getattr(c, name)) for c in self.counts.values())

    @property
    def silent_sources(self) -> list[str]:
        """Sources that yielded no article at all this run."""
        return [name for name, c in self.counts.items() if c.yielded == 0]


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """Sent to the ``progress`` callback: discovery finished, or one item done."""

    source: str
    stage: Literal["discovered", "item", "done"]
    done: int
    total: int
    outcome: str | None = None
    url: str | None = None


ProgressCallback = Callable[[ProgressEvent], None]


# ------------------------------------------------------------------ discovery parsers


def _is_pdf_url(url: str) -> bool:
    return url.split("?", 1)[0].split("#", 1)[0].lower().endswith(".pdf")


def _looks_pdf(result: FetchResult) -> bool:
    return result.content[:5] == b"%PDF-" or "pdf" in result.content_type.lower()


def _gunzip(content: bytes) -> bytes:
    if content[:2] != b"\x1f\x8b":
        return content
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    data = inflater.decompress(content, _MAX_DECOMPRESSED)
    if inflater.unconsumed_tail:
        raise ValueError(f"gzip content expands beyond {_MAX_DECOMPRESSED:,} bytes")
    return data


def _feed_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            # feedparser normalises to UTC; the Malaysian calendar day is 8 hours ahead
            y, mo, d, h, mi, sec = (int(v) for v in parsed[:6])
            return datetime(y, mo, d, h, mi, min(sec, 59), tzinfo=UTC).astimezone(KL).date()
    for key in ("published", "updated"):
        raw = entry.get(key)
        if isinstance(raw, str):
            return parse_date(raw)
    return None


def parse_feed(content: bytes, url: str) -> list[Item]:
    """Items of an RSS or Atom feed; PDF enclosures become PDF items."""
    import feedparser

    parsed = feedparser.parse(content)
    items: list[Item] = []
    for entry in parsed.entries:
        link = entry.get("link")
        title = " ".join(str(entry.get("title", "")).split())
        published = _feed_date(entry)
        if isinstance(link, str) and link:
            absolute = _absolute(url, link)
            if absolute:
                items.append(Item(absolute, title, published, _is_pdf_url(absolute), "feed"))
        for extra in entry.get("links", []):
            href = extra.get("href")
            if extra.get("rel") == "enclosure" and isinstance(href, str):
                kind = str(extra.get("type", ""))
                absolute = _absolute(url, href)
                if absolute and ("pdf" in kind or _is_pdf_url(absolute)):
                    items.append(Item(absolute, title, published, True, "feed"))
    return items


def _absolute(base: str, href: str) -> str | None:
    target = resolve(base, href)
    return target if is_http_url(target) else None


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(content: bytes, url: str) -> tuple[list[str], list[Item]]:
    """(child sitemaps, page items) of a sitemap or sitemap index; gzip is undone."""
    data = _gunzip(content)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    root = etree.fromstring(data, parser=parser)
    if root is None:
        return [], []
    children: list[str] = []
    items: list[Item] = []
    kind = _local(root.tag)
    for node in root:
        name = _local(node.tag)
        values: dict[str, str] = {}
        for child in node.iter():
            local = _local(child.tag)
            if local in ("loc", "lastmod", "publication_date", "title") and child.text:
                values.setdefault(local, child.text.strip())
        loc = values.get("loc")
        if not loc:
            continue
        absolute = _absolute(url, loc)
        if absolute is None:
            continue
        if kind == "sitemapindex" or name == "sitemap":
            children.append(absolute)
        elif name == "url":
            raw = values.get("publication_date") or values.get("lastmod")
            items.append(
                Item(
                    absolute,
                    values.get("title", ""),
                    parse_date(raw) if raw else None,
                    _is_pdf_url(absolute),
                    "sitemap",
                )
            )
    return children, items


# ------------------------------------------------------------------ the per-source crawl


@dataclass(slots=True)
class _Route:
    """One feed, sitemap or listing page: ``links`` it listed, ``items`` matching the
    article pattern, ``kept`` of those passing the relevance filter."""

    kind: str
    url: str
    items: int = 0
    error: str | None = None
    links: int = 0
    kept: int = 0
    #: the HTTP status of a failed fetch, when the server gave one
    status: int | None = None


class _SourceCrawl:
    def __init__(
        self,
        source: Source,
        store: Store,
        fetcher: Fetcher,
        report: CrawlReport,
        *,
        since: date | None,
        max_pages: int | None,
        progress: ProgressCallback | None,
        gate: asyncio.Semaphore,
        listing_pages: int | None = None,
    ) -> None:
        self.source = source
        self.store = store
        self.fetcher = fetcher
        self.report = report
        self.counts = report.counts.setdefault(source.name, SourceCounts())
        self.since = since
        self.max_pages = max_pages
        self.progress = progress
        self.gate = gate
        self.listing_pages = listing_pages
        self.hosts = source.hosts
        self.routes: list[_Route] = []
        self.done = 0
        self.total = 0
        self.last_problem: str | None = None
        self._seen_pdfs: set[str] = set()

    def problem(
        self, kind: str, message: str, url: str | None = None, *, severity: str = "warning"
    ) -> None:
        level: Literal["error", "warning"] = "error" if severity == "error" else "warning"
        self.report.problems.append(Problem(self.source.name, kind, message, url, level))
        self.last_problem = message

    def _emit(self, event: ProgressEvent) -> None:
        if self.progress is not None:
            self.progress(event)

    def _allowed(self, url: str) -> bool:
        h = host_of(url)
        return any(same_site(h, a) for a in self.hosts)

    # ------------------------------------------------------------ discovery

    async def _discovery_body(
        self, url: str, route: _Route, *, past_end_ok: bool = False
    ) -> bytes | None:
        """A feed/sitemap/listing body; on 304 the copy kept in the fetch log.

        ``past_end_ok``: a 404 is the normal end of pagination, not a problem.
        """
        state = self.store.fetch_state(url)
        cached = state.body if state is not None else None
        try:
            result = await self.fetcher.fetch(
                url,
                allowed_hosts=self.hosts,
                etag=state.etag if cached is not None and state else None,
                last_modified=state.last_modified if cached is not None and state else None,
            )
        except FetchError as exc:
            route.error, route.status = str(exc), exc.status
            if exc.status == 403:
                self.counts.http_403 += 1
            if not (past_end_ok and exc.status in (404, 410)):
                self.problem(route.kind, f"{route.kind} could not be read: {exc}", url)
            return None
        if result.not_modified and cached is not None:
            self.store.log_fetch(
                url, source=self.source.name, status=304, outcome="discovery", keep_validators=True
            )
            return cached
        self.store.log_fetch(
            url,
            source=self.source.name,
            status=result.status,
            outcome="discovery",
            etag=result.etag,
            last_modified=result.last_modified,
            body=result.content,
        )
        return result.content

    async def _feed(self, url: str) -> list[Item]:
        route = _Route("feed", url)
        self.routes.append(route)
        body = await self._discovery_body(url, route)
        if body is None:
            return []
        items = [replace(i, found_on=url) for i in parse_feed(body, url)]
        route.links = len(items)
        if not items:
            route.error = "no entries in the feed"
        return items

    async def _sitemap(self, url: str) -> list[Item]:
        found: list[Item] = []
        queue: list[tuple[str, int]] = [(url, 0)]
        visited: set[str] = set()
        while queue and len(visited) < _MAX_SITEMAPS:
            current, depth = queue.pop(0)
            if current in visited:
                continue
            visited.add(current)
            route = _Route("sitemap", current)
            self.routes.append(route)
            body = await self._discovery_body(current, route)
            if body is None:
                continue
            try:
                children, items = parse_sitemap(body, current)
            except (ValueError, etree.LxmlError) as exc:
                route.error = f"not a readable sitemap: {exc}"
                self.problem("sitemap", route.error, current)
                continue
            route.links = len(items)
            found.extend(replace(i, found_on=current) for i in items)
            if depth < _MAX_SITEMAP_DEPTH:
                queue.extend((c, depth + 1) for c in children if self._allowed(c))
        return found

    async def _listing(self, page_urls: Sequence[str], link_pattern: str | None) -> list[Item]:
        found: list[Item] = []
        seen: dict[str, int] = {}  # canonical URL -> index in found
        pattern = re.compile(link_pattern) if link_pattern else None
        for index, page_url in enumerate(page_urls):
            route = _Route("listing", page_url)
            self.routes.append(route)
            body = await self._discovery_body(page_url, route, past_end_ok=index > 0)
            if body is None:
                break
            fresh = 0
            links = extract_links(body, url=page_url)
            route.links = len(links)
            for link in links:
                canonical = canonicalize(link.url)
                if canonical in seen:
                    # a picture link often comes first: its headline link names the article
                    earlier = found[seen[canonical]]
                    if not earlier.title and link.text:
                        found[seen[canonical]] = replace(earlier, url=link.url, title=link.text)
                    continue
                if canonical == canonicalize(page_url):
                    continue
                is_pdf = _is_pdf_url(link.url)
                if pattern is not None:
                    wanted = pattern.search(link.url) is not None
                else:
                    wanted = self.source.is_article_url(link.url)
                if not (wanted or (is_pdf and self.source.follow_pdfs)):
                    continue
                seen[canonical] = len(found)
                found.append(Item(link.url, link.text, None, is_pdf, "listing", page_url))
                fresh += 1
            if fresh == 0:
                break  # an empty or repeated page: pagination ended
        return found

    async def discover(self) -> list[Item]:
        """All candidate article URLs of the source, deduplicated, first mention first."""
        src = self.source
        found: list[Item] = []
        for feed in src.feeds:
            found.extend(await self._feed(feed))
        for sitemap in src.sitemaps:
            found.extend(await self._sitemap(sitemap))
        if src.listing is not None:
            pages = src.listing.page_urls()
            if self.listing_pages is not None:
                pages = pages[: self.listing_pages]
            found.extend(await self._listing(pages, src.listing.link_pattern))
        if not (src.feeds or src.sitemaps or src.listing):
            found.extend(await self._listing([src.base_url], None))
        merged: dict[str, Item] = {}
        for item in found:
            key = canonicalize(item.url)
            if item.is_pdf and not src.follow_pdfs:
                continue
            if not item.is_pdf and not src.is_article_url(item.url):
                continue
            if not self._allowed(item.url):
                continue
            old = merged.get(key)
            if old is None:
                merged[key] = item
            else:
                merged[key] = replace(
                    old, title=old.title or item.title, published=old.published or item.published
                )
        by_route: dict[str, int] = {}
        for item in merged.values():
            by_route[item.found_on] = by_route.get(item.found_on, 0) + 1
        for route in self.routes:
            route.items = by_route.get(route.url, 0)
        return list(merged.values())

    def relevant(self, items: Sequence[Item]) -> list[Item]:
        """The items the source's relevance filter keeps (judged on URL and title, unfetched)."""
        keeps = self.source.relevance.keeps
        kept = [i for i in items if keeps(i.url, i.title)]
        counted: dict[str, int] = {}
        for item in kept:
            counted[item.found_on] = counted.get(item.found_on, 0) + 1
        for route in self.routes:
            route.kept = counted.get(route.url, 0)
        return kept

    # ------------------------------------------------------------ items

    async def run(self) -> None:
        try:
            items = await self.discover()
        except Exception as exc:  # a parser bug must not end the other sources' crawl
            self.problem("discovery", f"discovery failed: {type(exc).__name__}: {exc}")
            items = []
        self.counts.seen = len(items)
        items = self.relevant(items)
        self.counts.irrelevant = self.counts.seen - len(items)
        self.counts.discovered = len(items)
        if self.since is not None:
            kept = [i for i in items if i.published is None or i.published >= self.since]
            self.counts.skipped += len(items) - len(kept)
            items = kept
        if self.max_pages is not None:
            items = items[: self.max_pages]
        self.total = len(items)
        self._emit(ProgressEvent(self.source.name, "discovered", 0, self.total))
        await asyncio.gather(*(self._gated(item) for item in items))
        self._finish()

    async def _gated(self, item: Item) -> None:
        async with self.gate:
            try:
                outcome = await self.process(item)
            except Exception as exc:  # one page's surprise must not stop the crawl
                self.counts.failed += 1
                self.problem("bug", f"{type(exc).__name__}: {exc}", item.url)
                outcome = "failed"
        self.done += 1
        self._emit(
            ProgressEvent(self.source.name, "item", self.done, self.total, outcome, item.url)
        )

    def _log(self, url: str, status: int | None, outcome: str, **extra: Any) -> None:
        self.store.log_fetch(url, source=self.source.name, status=status, outcome=outcome, **extra)

    async def process(self, item: Item, *, fallback_title: str | None = None) -> str:
        """Fetch, extract and store one item; returns the outcome counted."""
        state = self.store.fetch_state(item.url)
        has_validators = state is not None and state.outcome not in ("failed", "robots")
        try:
            result = await self.fetcher.fetch(
                item.url,
                allowed_hosts=self.hosts,
                etag=state.etag if state and has_validators else None,
                last_modified=state.last_modified if state and has_validators else None,
            )
        except RobotsBlockedError as exc:
            self.counts.robots_blocked += 1
            self._log(item.url, None, "robots", error=str(exc))
            return "robots_blocked"
        except HostNotAllowedError as exc:
            self.counts.failed += 1
            self.problem("host", str(exc), item.url)
            self._log(item.url, None, "failed", error=str(exc))
            return "failed"
        except FetchError as exc:
            self.counts.failed += 1
            if exc.status == 403:
                self.counts.http_403 += 1
            self.problem("fetch", str(exc), item.url)
            self._log_failure(item.url, exc.status, str(exc), state is not None)
            return "failed"
        if result.not_modified and state is not None and state.body is not None:
            # a PDF stub page: its PDFs may still have changed, so read them again
            cached = FetchResult(
                item.url, item.url, 200, state.body, "text/html", state.etag, state.last_modified
            )
            return await self._extract_and_store(item, cached, fallback_title)
        if result.not_modified:
            self.store.touch(item.url)
            self._log(item.url, 304, state.outcome if state else "unchanged", keep_validators=True)
            previous = state.outcome if state else "unchanged"
            if previous in ("js_shell", "empty", "old"):
                return self._count(previous)
            return self._count("unchanged")
        return await self._extract_and_store(item, result, fallback_title)

    def _log_failure(self, url: str, status: int | None, error: str, known: bool) -> None:
        if known:  # keep the validators of the last good fetch for next time
            self.store.log_fetch(
                url, source=self.source.name, status=status, outcome="failed", keep_validators=True
            )
        else:
            self._log(url, status, "failed", error=error)

    def _count(self, outcome: str) -> str:
        name = {"old": "skipped"}.get(outcome, outcome)
        setattr(self.counts, name, getattr(self.counts, name) + 1)
        return name

    async def _extract_and_store(
        self, item: Item, result: FetchResult, fallback_title: str | None
    ) -> str:
        validators = {"etag": result.etag, "last_modified": result.last_modified}
        is_pdf = _looks_pdf(result)
        page: ExtractedPage
        try:
            if is_pdf:
                page = extract_pdf(
                    result.content,
                    url=result.final_url,
                    fallback_title=fallback_title or item.title or None,
                )
            else:
                page = extract_html(
                    result.content,
                    url=result.final_url,
                    content_type=result.content_type,
                    selectors=self.source.selectors,
                )
        except JsShellError as exc:
            self._log(item.url, result.status, "js_shell", error=str(exc), **validators)
            self.problem("js_shell", str(exc), item.url)
            return self._count("js_shell")
        except EmptyPageError as exc:
            pdfs = [p for p in exc.pdf_links if p not in self._seen_pdfs]
            stub = bool(pdfs and self.source.follow_pdfs and not is_pdf)
            # a stub's body is kept so that after a 304 its PDFs can still be checked
            body = result.content if stub else None
            self._log(item.url, result.status, "empty", error=str(exc), body=body, **validators)
            if stub:
                # a release page that is only a "download the PDF" stub: the PDF is the release
                self._seen_pdfs.update(pdfs)
                outcomes = [
                    await self.process(
                        Item(p, exc.title, item.published, True, "page"),
                        fallback_title=exc.title or item.title,
                    )
                    for p in pdfs
                    if self._allowed(p)
                ]
                if outcomes:
                    return outcomes[0]
            self.problem("empty", str(exc), item.url)
            return self._count("empty")
        except NotTextError as exc:
            # a binary body served as a page (an error page, a mislabelled file): never stored
            self._log(item.url, result.status, "empty", error=str(exc), **validators)
            self.problem("not_text", str(exc), item.url)
            return self._count("not_text")
        except ExtractionError as exc:
            self._log(item.url, result.status, "empty", error=str(exc), **validators)
            self.problem("empty", str(exc), item.url)
            return self._count("empty")
        if page.selector_misses:
            self.counts.selector_misses += 1
            self.problem(
                "selectors",
                "selectors matched nothing: " + ", ".join(page.selector_misses),
                item.url,
            )
        if page.published is None and item.published is not None:
            page = ExtractedPage(
                title=page.title,
                text=page.text,
                published=item.published,
                published_raw=page.published_raw,
                language=page.language,
                is_js_shell=page.is_js_shell,
                pdf_links=page.pdf_links,
                selector_misses=page.selector_misses,
            )
        if self.since is not None and page.published is not None and page.published < self.since:
            self._log(item.url, result.status, "old", **validators)
            return self._count("old")
        _, outcome = self.store.save_page(
            page,
            url=result.final_url,
            source=self.source.name,
            kind="pdf" if is_pdf else "html",
            fetch=FetchRecord(item.url, result.status, result.etag, result.last_modified),
        )
        return self._count(outcome)

    def _finish(self) -> None:
        c = self.counts
        if c.yielded == 0 and c.seen and not c.discovered:
            # a quiet day on a general news site is not a broken source
            self.problem(
                "relevance",
                f"source {self.source.name!r}: none of {c.seen} article links is about AI or "
                "NAIO this run (nothing fetched)",
                self.source.base_url,
            )
        elif c.yielded == 0:
            if c.discovered == 0:
                routes = ", ".join(
                    f"{r.kind} {r.url}: {r.error or f'{r.items} items'}" for r in self.routes
                )
                message = (
                    f"source {self.source.name!r} found no article URLs ({routes or 'no routes'}); "
                    "run `naio-nlp sources check` and fix its URLs or patterns"
                )
            else:
                message = (
                    f"source {self.source.name!r} yielded no articles from {c.discovered} URLs: "
                    f"{c.failed} failed, {c.robots_blocked} blocked by robots.txt, "
                    f"{c.js_shell} JavaScript shells, {c.empty} empty, {c.skipped} older than "
                    "--since"
                )
            self.problem("silent", message, self.source.base_url, severity="error")
        self._emit(ProgressEvent(self.source.name, "done", self.done, self.total))
        self.store.record_health(
            self.source.name,
            c.as_dict(),
            http_403=c.http_403,
            selector_misses=c.selector_misses,
            problem=self.last_problem,
        )


# ------------------------------------------------------------------ entry points


async def _crawl(
    sources: Sequence[Source],
    store: Store,
    *,
    since: date | None,
    max_pages: int | None,
    settings: CrawlSettings,
    progress: ProgressCallback | None,
) -> CrawlReport:
    report = CrawlReport()
    gate = asyncio.Semaphore(settings.concurrency * 2)
    async with Fetcher(settings) as fetcher:
        runs = [
            _SourceCrawl(
                s,
                store,
                fetcher,
                report,
                since=since,
                max_pages=max_pages,
                progress=progress,
                gate=gate,
            )
            for s in sources
        ]
        await asyncio.gather(*(r.run() for r in runs))
        stats = fetcher.stats
    report.requests = stats.requests
    report.conditional_requests = stats.conditional
    report.not_modified = stats.not_modified
    report.retries = stats.retries
    return report


def crawl(
    sources: Iterable[Source],
    store: Store,
    *,
    since: date | None = None,
    max_pages: int | None = None,
    settings: CrawlSettings | None = None,
    progress: ProgressCallback | None = None,
) -> CrawlReport:
    """Crawl ``sources`` into ``store`` and report what happened.

    ``since`` skips articles published before that date; ``max_pages`` caps
    the article pages fetched per source. Each article is committed as soon
    as it is extracted. ``progress`` receives a :class:`ProgressEvent` per
    discovered source and per item. Runs its own event loop: call it from
    synchronous code.
    """
    return asyncio.run(
        _crawl(
            list(sources),
            store,
            since=since,
            max_pages=max_pages,
            settings=settings or CrawlSettings(),
            progress=progress,
        )
    )


# ------------------------------------------------------------------ sources check


@dataclass(frozen=True, slots=True)
class RouteCheck:
    """One feed, sitemap or listing page: links it listed, article URLs among them
    (``items``, matching the article pattern), relevant ones ``kept``, or why none."""

    kind: str
    url: str
    items: int
    error: str | None
    links: int = 0
    kept: int = 0
    #: the HTTP status of a failed fetch, when the server gave one (403: blocked)
    status: int | None = None


Verdict = Literal[
    "ok", "unreachable", "no items", "pattern matched nothing", "blocked", "extraction failed"
]


@dataclass(frozen=True, slots=True)
class SourceCheck:
    """What ``naio-nlp sources check`` found for one source.

    ``links`` / ``items`` / ``kept`` / ``fetched``: links the channels listed,
    those matching the article pattern, those the relevance filter keeps, and
    article pages fetched for the sample. ``verdict`` says in a few words what
    to fix first.
    """

    name: str
    base_url: str
    reachable: bool
    status: int | None
    robots_allowed: bool | None
    error: str | None
    routes: tuple[RouteCheck, ...]
    items: int
    sample_url: str | None
    sample_title: str | None
    sample_date: date | None
    sample_error: str | None
    links: int = 0
    kept: int = 0
    fetched: int = 0
    sample_relevant: bool = False
    verdict: Verdict = "ok"

    @property
    def ok(self) -> bool:
        """Reachable, allowed, found article URLs, and extracted a sample."""
        return self.verdict == "ok"

    def channels(self) -> dict[str, tuple[int, int]]:
        """(article URLs, relevant kept) per discovery channel kind: feed, sitemap, listing."""
        out: dict[str, tuple[int, int]] = {}
        for r in self.routes:
            items, kept = out.get(r.kind, (0, 0))
            out[r.kind] = (items + r.items, kept + r.kept)
        return out


def _verdict(
    robots: bool | None,
    routes: Sequence[_Route],
    items: int,
    sample_ok: bool,
    *,
    unreachable: bool = False,
) -> Verdict:
    links = sum(r.links for r in routes)
    # the status, not the error text: the address in it may hold "403" (port 40312)
    if robots is False or (not items and any(r.status == 403 for r in routes)):
        return "blocked"
    if unreachable and not links:
        return "unreachable"
    if not links:
        return "no items"
    if not items:
        return "pattern matched nothing"
    return "ok" if sample_ok else "extraction failed"


async def _check_one(source: Source, fetcher: Fetcher) -> SourceCheck:
    report = CrawlReport()
    with Store(":memory:") as scratch:
        run = _SourceCrawl(
            source,
            scratch,
            fetcher,
            report,
            since=None,
            max_pages=None,
            progress=None,
            gate=asyncio.Semaphore(1),
            listing_pages=1,
        )
        status: int | None = None
        error: str | None = None
        robots: bool | None = None
        reachable = False
        try:
            robots = await fetcher.robots_allows(source.base_url)
            result = await fetcher.fetch(source.base_url, allowed_hosts=source.hosts)
            status, reachable = result.status, True
        except RobotsBlockedError as exc:
            error, reachable = str(exc), True
        except FetchError as exc:
            status, error = exc.status, str(exc)
        items = await run.discover()
        kept = run.relevant(items)
        # the sample proves the selectors: a relevant article if there is one, else any
        candidates = kept[:3] or items[:3]
        sample_url = sample_title = sample_error = None
        sample_date: date | None = None
        fetched = 0
        for item in candidates:
            sample_url = item.url
            outcome = await run.process(item)
            fetched += 1
            article = scratch.article_for_url(item.url)
            if article is not None:
                sample_title, sample_date, sample_error = article.title, article.published, None
                break
            sample_error = next(
                (p.message for p in reversed(report.problems) if p.url == item.url), outcome
            )
        return SourceCheck(
            name=source.name,
            base_url=source.base_url,
            reachable=reachable,
            status=status,
            robots_allowed=robots,
            error=error,
            routes=tuple(
                RouteCheck(r.kind, r.url, r.items, r.error, r.links, r.kept, r.status)
                for r in run.routes
            ),
            items=len(items),
            sample_url=sample_url,
            sample_title=sample_title,
            sample_date=sample_date,
            sample_error=sample_error,
            links=sum(r.links for r in run.routes),
            kept=len(kept),
            fetched=fetched,
            sample_relevant=bool(kept) and sample_title is not None,
            verdict=_verdict(
                robots,
                run.routes,
                len(items),
                sample_title is not None,
                unreachable=not reachable and status is None and _no_answer(error),
            ),
        )


def _no_answer(error: str | None) -> bool:
    """Whether a fetch error says the host never answered (the Fetcher's words for it)."""
    return error is not None and ("connection failed" in error or "timed out" in error)


def check_sources(
    sources: Iterable[Source], *, settings: CrawlSettings | None = None
) -> list[SourceCheck]:
    """Probe each source once (base URL, robots.txt, routes, one sample article).

    Nothing is stored; this is for fixing a source's URLs in a minute.
    """

    async def run_all() -> list[SourceCheck]:
        async with Fetcher(settings or CrawlSettings()) as fetcher:
            return list(await asyncio.gather(*(_check_one(s, fetcher) for s in sources)))

    return asyncio.run(run_all())
