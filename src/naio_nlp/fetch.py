"""Polite, bounded HTTP fetching for the collector.

Government servers are small and the crawl runs every day, so the defaults
are those of a good citizen: robots.txt obeyed (with Crawl-delay), one
request at a time per host with a pause between requests, an honest
User-Agent with a contact URL, conditional GET so an unchanged page costs a
304, and retries with exponential backoff and jitter that honour
Retry-After. Whatever a server does, a fetch is bounded: a timeout per
request, a maximum body size, a redirect limit with loop detection, and only
the hosts a source allows.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import socket
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from types import TracebackType
from typing import Any

import httpx
from protego import Protego

from ._version import __version__
from .errors import (
    ConfigError,
    FetchError,
    HostNotAllowedError,
    RobotsBlockedError,
    TooLargeError,
    UnsupportedContentError,
)
from .urls import host_of, resolve, same_site

__all__ = [
    "DEFAULT_CONTACT",
    "CrawlSettings",
    "FetchResult",
    "Fetcher",
    "HostNotAllowedError",
    "RobotsBlockedError",
    "TooLargeError",
    "UnsupportedContentError",
]

DEFAULT_CONTACT = "https://github.com/naio-nlp/naio-nlp#collecting"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Content types worth downloading; octet-stream is allowed because PDFs are often served so.
_ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/pdf",
    "application/x-pdf",
    "application/octet-stream",
    "application/gzip",
    "application/x-gzip",
    "text/plain",
)
_ROBOTS_MAX_BYTES = 512_000
_ROBOTS_TOKEN = "naio-nlp"


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    """How politely and how boundedly to fetch; the defaults are the polite ones.

    ``per_host_delay`` is the pause between two requests to one host (a
    robots.txt Crawl-delay that is longer wins); ``backoff`` is the first
    retry's wait, doubled per attempt with random jitter and capped at
    ``max_backoff``, which also caps how long a Retry-After is honoured
    (a longer one fails the URL rather than hang the crawl).
    """

    user_agent: str = f"naio-nlp/{__version__}"
    contact: str = DEFAULT_CONTACT
    per_host_delay: float = 2.0
    per_host_concurrency: int = 1
    concurrency: int = 16
    timeout: float = 30.0
    max_retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_body_bytes: int = 20_000_000
    max_redirects: int = 5
    obey_robots: bool = True

    def __post_init__(self) -> None:
        for name in ("per_host_delay", "backoff", "max_backoff"):
            if getattr(self, name) < 0:
                raise ConfigError(f"crawl settings: {name} must be >= 0")
        for name in ("per_host_concurrency", "concurrency", "max_body_bytes"):
            if getattr(self, name) < 1:
                raise ConfigError(f"crawl settings: {name} must be >= 1")
        for name in ("max_retries", "max_redirects"):
            if getattr(self, name) < 0:
                raise ConfigError(f"crawl settings: {name} must be >= 0")
        if self.timeout <= 0:
            raise ConfigError("crawl settings: timeout must be > 0 seconds")
        if not self.contact.startswith(("http://", "https://", "mailto:")):
            raise ConfigError(
                f"crawl settings: contact {self.contact!r} must be a URL or mailto: address "
                "where site owners can reach you"
            )

    @property
    def user_agent_header(self) -> str:
        """The User-Agent sent: name/version plus where to reach the operator."""
        return f"{self.user_agent} (+{self.contact})"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One completed fetch (after redirects). ``not_modified`` means a 304: no content."""

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    not_modified: bool = False
    attempts: int = 1


class _Inflater:
    """Undo Content-Encoding while streaming, never producing more than the room left.

    httpx's own decoders inflate a whole network chunk at once: 64 KB of a
    gzip bomb becomes 64 MB before any limit is checked. Here each call asks
    zlib for at most ``room + 1`` bytes, so the body-size limit bounds the
    decompressed size (and the memory) as it streams.
    """

    def __init__(self, url: str, encoding: str) -> None:
        self.url = url
        self.encoding = encoding.strip().lower()
        self._zlib: Any = None
        if self.encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif self.encoding not in ("", "identity", "deflate"):
            raise UnsupportedContentError(
                url, f"content encoding {self.encoding!r} is not supported (we ask for gzip)"
            )

    def feed(self, raw: bytes, room: int) -> Iterator[bytes]:
        """Decoded bytes of ``raw``; stops once more than ``room`` bytes came out."""
        if not self.encoding or self.encoding == "identity":
            yield raw
            return
        if self._zlib is None:  # deflate: zlib-wrapped as the RFC says, or raw as IIS sends it
            wrapped = len(raw) >= 2 and (raw[0] & 0x0F) == 8 and (raw[0] << 8 | raw[1]) % 31 == 0
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        data = raw
        try:
            while data:
                out = self._zlib.decompress(data, max(room, 0) + 1)
                room -= len(out)
                yield out
                if room < 0:
                    return
                data = self._zlib.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(self.url, f"body is not valid {self.encoding} ({exc})") from None

    def flush(self) -> bytes:
        """What zlib still holds once the body has ended."""
        if self._zlib is None:
            return b""
        try:
            return bytes(self._zlib.flush())
        except zlib.error as exc:
            raise FetchError(self.url, f"body is not valid {self.encoding} ({exc})") from None


class _Retry(Exception):
    def __init__(self, delay: float, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.delay = delay
        self.reason = reason
        self.status = status


@dataclass
class _Host:
    semaphore: asyncio.Semaphore
    delay: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0
    robots: Protego | None = None
    robots_error: str | None = None
    robots_loaded: asyncio.Event = field(default_factory=asyncio.Event)
    robots_started: bool = False


@dataclass
class FetchStats:
    """Request counters, for the report and the benchmarks."""

    requests: int = 0
    conditional: int = 0
    not_modified: int = 0
    retries: int = 0


def _retry_after(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


class Fetcher:
    """An httpx.AsyncClient with politeness, robots.txt and limits; use ``async with``."""

    def __init__(self, settings: CrawlSettings | None = None) -> None:
        self.settings = settings or CrawlSettings()
        self.stats = FetchStats()
        self._hosts: dict[str, _Host] = {}
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
            headers={
                "User-Agent": self.settings.user_agent_header,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                "application/pdf;q=0.8,*/*;q=0.5",
                "Accept-Language": "ms,en;q=0.9",
                # only what _Inflater undoes with a bound on the decompressed size
                "Accept-Encoding": "gzip, deflate",
            },
            transport=httpx.AsyncHTTPTransport(
                limits=httpx.Limits(
                    max_connections=self.settings.concurrency,
                    max_keepalive_connections=self.settings.concurrency,
                ),
                # a request is small and latency-bound: never hold it back for an ACK (Nagle)
                socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
            ),
            trust_env=False,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    # ------------------------------------------------------------ per host

    def _host(self, url: str) -> _Host:
        key = host_of(url)
        host = self._hosts.get(key)
        if host is None:
            host = _Host(
                semaphore=asyncio.Semaphore(self.settings.per_host_concurrency),
                delay=self.settings.per_host_delay,
            )
            self._hosts[key] = host
        return host

    async def _polite_wait(self, host: _Host) -> None:
        async with host.lock:
            wait = host.next_at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            host.next_at = time.monotonic() + host.delay

    def _pause_host(self, host: _Host, seconds: float) -> None:
        """A 429 slows the whole host down, not only the URL that got it."""
        host.next_at = max(host.next_at, time.monotonic() + seconds)

    # ------------------------------------------------------------ robots

    async def _load_robots(self, url: str, host: _Host) -> None:
        robots_url = resolve(url, "/robots.txt")
        try:
            result = await self._get(robots_url, host, headers={}, limit=_ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                host.robots = Protego.parse("")  # RFC 9309: no robots.txt, no rules
            else:
                host.robots_error = f"robots.txt unreachable ({exc}); not crawling this host"
            return
        if result.status in _REDIRECTS:
            host.robots = Protego.parse("")
            return
        text = result.content.decode("utf-8", errors="replace")
        host.robots = Protego.parse(text)
        delay = host.robots.crawl_delay(_ROBOTS_TOKEN)
        if delay is not None:
            before = host.delay
            host.delay = max(host.delay, min(float(delay), 120.0))
            # the slot after robots.txt was booked with the old delay: the first page waits too
            host.next_at += host.delay - before

    async def robots_allows(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s host lets us fetch it (loaded once per host).

        Raises FetchError when robots.txt itself cannot be fetched (a 5xx or a
        network failure): RFC 9309 says to treat the whole host as disallowed.
        """
        host = self._host(url)
        if not host.robots_started:
            host.robots_started = True
            try:
                await self._load_robots(url, host)
            finally:
                host.robots_loaded.set()
        await host.robots_loaded.wait()
        if host.robots_error is not None:
            raise FetchError(url, host.robots_error)
        assert host.robots is not None
        return bool(host.robots.can_fetch(url, _ROBOTS_TOKEN))

    def sitemaps_from_robots(self, url: str) -> list[str]:
        """Sitemap URLs robots.txt declared (after :meth:`robots_allows` loaded it)."""
        host = self._hosts.get(host_of(url))
        if host is None or host.robots is None:
            return []
        return list(host.robots.sitemaps)

    # ------------------------------------------------------------ fetching

    async def fetch(
        self,
        url: str,
        *,
        allowed_hosts: frozenset[str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET ``url`` politely, following redirects within the allowed hosts.

        Sends If-None-Match / If-Modified-Since when validators are given; a
        304 comes back as ``not_modified``. Raises :class:`RobotsBlockedError`,
        :class:`HostNotAllowedError`, :class:`TooLargeError`,
        :class:`UnsupportedContentError` or :class:`FetchError`.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        chain: list[str] = []
        current = url
        for _ in range(self.settings.max_redirects + 1):
            if allowed_hosts is not None:
                h = host_of(current)
                if not any(same_site(h, a) for a in allowed_hosts):
                    via = f" (redirected from {url})" if chain else ""
                    raise HostNotAllowedError(
                        current,
                        f"host {h} is not one of the source's hosts{via}; add it to allow_hosts",
                    )
            if self.settings.obey_robots and not await self.robots_allows(current):
                raise RobotsBlockedError(current, "disallowed by robots.txt")
            result = await self._get(current, self._host(current), headers=headers)
            if result.status in _REDIRECTS:
                target = resolve(current, result.content.decode("utf-8", errors="replace"))
                chain.append(current)
                if target in chain:
                    loop = " -> ".join([*chain, target])
                    raise FetchError(url, f"redirect loop: {loop}", status=result.status)
                current = target
                continue
            return FetchResult(
                url=url,
                final_url=current,
                status=result.status,
                content=result.content,
                content_type=result.content_type,
                etag=result.etag,
                last_modified=result.last_modified,
                not_modified=result.not_modified,
                attempts=result.attempts,
            )
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    async def _get(
        self, url: str, host: _Host, *, headers: dict[str, str], limit: int | None = None
    ) -> FetchResult:
        """One URL with retries; redirects come back unfollowed (Location in ``content``)."""
        settings = self.settings
        attempt = 0
        while True:
            attempt += 1
            try:
                async with host.semaphore:
                    await self._polite_wait(host)
                    return await self._once(url, headers, limit or settings.max_body_bytes, attempt)
            except _Retry as retry:
                if attempt > settings.max_retries:
                    raise FetchError(
                        url,
                        f"{retry.reason} (gave up after {attempt} attempts)",
                        status=retry.status,
                    ) from None
                if retry.delay > settings.max_backoff:
                    raise FetchError(
                        url,
                        f"{retry.reason}; server asks to wait {retry.delay:.0f} s, more than "
                        f"max_backoff ({settings.max_backoff:.0f} s)",
                        status=retry.status,
                    ) from None
                self.stats.retries += 1
                if retry.status == 429:
                    self._pause_host(host, retry.delay)
                await asyncio.sleep(retry.delay)

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff * (2 ** (attempt - 1))
        return float(min(self.settings.max_backoff, base * (0.5 + random.random())))

    async def _once(
        self, url: str, headers: dict[str, str], limit: int, attempt: int
    ) -> FetchResult:
        self.stats.requests += 1
        if "If-None-Match" in headers or "If-Modified-Since" in headers:
            self.stats.conditional += 1
        # read timeouts bound each wait; this bounds a server that trickles bytes forever
        deadline = self.settings.timeout * 4
        try:
            async with asyncio.timeout(deadline):
                request = self._client.build_request("GET", url, headers=headers)
                response = await self._client.send(request, stream=True)
                try:
                    return await self._read(url, response, limit, attempt)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise _Retry(
                self._backoff(attempt), f"no complete response in {deadline:.0f} s"
            ) from None
        except httpx.TimeoutException as exc:
            raise _Retry(self._backoff(attempt), f"timed out ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise _Retry(
                self._backoff(attempt), f"connection failed ({type(exc).__name__}: {exc})"
            ) from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {exc}") from None

    async def _read(
        self, url: str, response: httpx.Response, limit: int, attempt: int
    ) -> FetchResult:
        status = response.status_code
        if status in _RETRY_STATUSES:
            wait = _retry_after(response.headers.get("Retry-After"), time.time())
            raise _Retry(
                wait if wait is not None else self._backoff(attempt),
                f"HTTP {status} {response.reason_phrase}",
                status=status,
            )
        if status in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(url, "redirect without a Location header", status=status)
            return FetchResult(url, url, status, location.encode(), "", None, None, False, attempt)
        if status == 304:
            self.stats.not_modified += 1
            return FetchResult(
                url,
                url,
                304,
                b"",
                response.headers.get("Content-Type", ""),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
                True,
                attempt,
            )
        if status >= 400 or status < 200:
            raise FetchError(url, f"{response.reason_phrase or 'error'}", status=status)
        content_type = response.headers.get("Content-Type", "")
        media = _media_type(content_type)
        if media and not media.startswith(_ACCEPTED_TYPES):
            raise UnsupportedContentError(url, f"content type {media} is not a page, feed or PDF")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLargeError(url, f"body of {int(declared):,} bytes exceeds the {limit:,} limit")
        inflater = _Inflater(url, response.headers.get("Content-Encoding", ""))
        chunks: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw():
            for chunk in inflater.feed(raw, limit - size):
                size += len(chunk)
                if size > limit:
                    raise TooLargeError(
                        url, f"body exceeds the {limit:,}-byte limit; download stopped"
                    )
                chunks.append(chunk)
        tail = inflater.flush()
        size += len(tail)
        if size > limit:
            raise TooLargeError(url, f"body exceeds the {limit:,}-byte limit; download stopped")
        chunks.append(tail)
        return FetchResult(
            url=url,
            final_url=url,
            status=status,
            content=b"".join(chunks),
            content_type=content_type,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            attempts=attempt,
        )
