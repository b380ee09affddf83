"""The source registry: which sites to collect from, and how to find their articles.

Sources live in TOML (the packaged ``sources.toml`` by default, a user file
with ``--sources``) so fixing a moved URL is an edit, not a release. Each
source names its discovery routes (feeds, sitemaps, a paginated listing) and,
optionally, CSS selectors. Every mistake is reported with file, source and
key, because the person fixing it has the file open, not the code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .extract import Selectors
from .labels import LANGUAGES
from .relevance import ALL, Relevance, term_sets
from .urls import host_of, is_http_url, same_site

__all__ = ["Listing", "Source", "load_sources", "source_for_url"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SOURCE_KEYS = frozenset(
    {
        "name",
        "title",
        "base_url",
        "language",
        "feeds",
        "sitemaps",
        "allow_hosts",
        "follow_pdfs",
        "article_pattern",
        "listing",
        "selectors",
        "relevance",
        "relevance_terms",
    }
)
_LISTING_KEYS = frozenset({"url", "link_pattern", "first_page", "max_pages"})
_SELECTOR_KEYS = frozenset({"title", "date", "body"})


@dataclass(frozen=True, slots=True)
class Listing:
    """Paginated listing pages: ``url`` holds ``{page}``, links matching ``link_pattern`` count."""

    url: str
    link_pattern: str | None = None
    first_page: int = 1
    max_pages: int = 5

    def page_urls(self) -> list[str]:
        """The listing URLs to visit, first page first (one URL if there is no ``{page}``)."""
        if "{page}" not in self.url:
            return [self.url]
        last = self.first_page + self.max_pages
        return [self.url.replace("{page}", str(n)) for n in range(self.first_page, last)]


@dataclass(frozen=True, slots=True)
class Source:
    """One site to collect from."""

    name: str
    title: str
    base_url: str
    language: str = "mixed"
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allow_hosts: tuple[str, ...] = ()
    follow_pdfs: bool = True
    article_pattern: str | None = None
    listing: Listing | None = None
    selectors: Selectors | None = None
    relevance: Relevance = field(default_factory=Relevance)

    @property
    def hosts(self) -> frozenset[str]:
        """Hosts this source may fetch from: its own URLs' hosts plus ``allow_hosts``."""
        urls = [self.base_url, *self.feeds, *self.sitemaps]
        if self.listing is not None:
            urls.append(self.listing.url)
        return frozenset({host_of(u) for u in urls} | {h.lower() for h in self.allow_hosts})

    def is_article_url(self, url: str) -> bool:
        """Whether ``url`` may be an article of this source (``article_pattern``, if set)."""
        return self.article_pattern is None or re.search(self.article_pattern, url) is not None

    def rehosted(self, origins: dict[str, str]) -> Source:
        """This source with its URLs moved to other origins (a mirror, a recorded fixture).

        ``origins`` maps ``"https://www.example.my"`` to ``"http://127.0.0.1:8001"``;
        allowed hosts move with them. Patterns are untouched, which is why the
        packaged registry writes them on paths, not host names.
        """

        def move(url: str) -> str:
            for old, new in origins.items():
                if url == old or url.startswith(old.rstrip("/") + "/"):
                    return new.rstrip("/") + url[len(old.rstrip("/")) :]
            return url

        hosts = {host_of(old): host_of(new) for old, new in origins.items()}
        listing = self.listing
        if listing is not None:
            listing = Listing(
                move(listing.url), listing.link_pattern, listing.first_page, listing.max_pages
            )
        return replace(
            self,
            base_url=move(self.base_url),
            feeds=tuple(move(u) for u in self.feeds),
            sitemaps=tuple(move(u) for u in self.sitemaps),
            allow_hosts=tuple(hosts.get(h.lower(), h) for h in self.allow_hosts),
            listing=listing,
        )


class _Reader:
    """Typed access to one source table, with errors that name file, source and key."""

    def __init__(self, path: str, name: str, table: dict[str, Any], prefix: str = "") -> None:
        self.path = path
        self.name = name
        self.table = table
        self.prefix = prefix

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(
            f"{self.path}: source {self.name!r}: key '{self.prefix}{key}': {message}"
        )

    def string(self, key: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.table.get(key)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {value!r}")
        return value.strip()

    def url(self, key: str, value: Any, base: str | None) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"expected a URL string, got {value!r}")
        if base is not None:
            value = value.replace("{base}", base.rstrip("/"))
        elif "{base}" in value:
            raise self.fail(key, "contains {base} but no base was given to load_sources")
        text: str = value
        if not is_http_url(text.replace("{page}", "1")):
            raise self.fail(key, f"{text!r} is not an absolute http(s) URL")
        return text

    def urls(self, key: str, base: str | None) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list of URLs, got {value!r}")
        return tuple(self.url(key, v, base) for v in value)

    def pattern(self, key: str) -> str | None:
        value = self.string(key)
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise self.fail(key, f"not a valid regular expression: {exc}") from exc
        return value

    def integer(self, key: str, default: int, minimum: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"expected an integer >= {minimum}, got {value!r}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def unknown(self, allowed: frozenset[str]) -> None:
        for key in self.table:
            if key not in allowed:
                raise self.fail(key, "unknown key (allowed: " + ", ".join(sorted(allowed)) + ")")

    def sub(self, key: str) -> _Reader | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table [sources.{key}], got {value!r}")
        return _Reader(self.path, self.name, value, prefix=f"{key}.")


def _relevance(r: _Reader) -> Relevance:
    """``relevance = "all"`` or a list of term-set names; ``relevance_terms`` adds words."""
    raw = r.table.get("relevance", ALL)
    names = [raw] if isinstance(raw, str) else raw
    known = term_sets()
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise r.fail("relevance", f'expected "all" or a list of term-set names, got {raw!r}')
    unknown = [n for n in names if n != ALL and n not in known]
    if unknown:
        raise r.fail(
            "relevance",
            f"unknown term set {', '.join(map(repr, unknown))} (known: {ALL}, "
            + ", ".join(sorted(known))
            + ")",
        )
    if ALL in names and len(names) > 1:
        raise r.fail("relevance", f'"all" keeps every link; do not combine it with {names!r}')
    extra = r.table.get("relevance_terms", [])
    if not isinstance(extra, list) or not all(isinstance(t, str) and t.strip() for t in extra):
        raise r.fail("relevance_terms", f"expected a list of words, got {extra!r}")
    if extra and names == [ALL]:
        raise r.fail("relevance_terms", 'has no effect with relevance = "all"; name term sets')
    return Relevance(tuple(names), tuple(t.strip() for t in extra))


def _parse_source(path: str, index: int, raw: Any, base: str | None) -> Source:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [[sources]] entry #{index + 1} is not a table")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(
            f"{path}: [[sources]] entry #{index + 1}: key 'name': {name!r} must be lower-case "
            "letters, digits and hyphens"
        )
    r = _Reader(path, name, raw)
    r.unknown(_SOURCE_KEYS)
    base_url = r.url("base_url", r.string("base_url", required=True), base)
    language = r.string("language", default="mixed") or "mixed"
    if language not in LANGUAGES:
        raise r.fail("language", f"{language!r} is not one of " + ", ".join(LANGUAGES))
    listing: Listing | None = None
    lr = r.sub("listing")
    if lr is not None:
        lr.unknown(_LISTING_KEYS)
        listing = Listing(
            url=lr.url("url", lr.string("url", required=True), base),
            link_pattern=lr.pattern("link_pattern"),
            first_page=lr.integer("first_page", 1, 0),
            max_pages=lr.integer("max_pages", 5, 1),
        )
    selectors: Selectors | None = None
    sr = r.sub("selectors")
    if sr is not None:
        sr.unknown(_SELECTOR_KEYS)
        selectors = Selectors(
            title=sr.string("title"), date=sr.string("date"), body=sr.string("body")
        )
    allow = r.table.get("allow_hosts", [])
    if not isinstance(allow, list) or not all(isinstance(h, str) and h for h in allow):
        raise r.fail("allow_hosts", f"expected a list of host names, got {allow!r}")
    if base is not None:
        allow = [host_of(base) if "{base}" in h else h for h in allow]
    relevance = _relevance(r)
    source = Source(
        name=name,
        title=r.string("title") or name,
        base_url=base_url,
        language=language,
        feeds=r.urls("feeds", base),
        sitemaps=r.urls("sitemaps", base),
        allow_hosts=tuple(allow),
        follow_pdfs=r.boolean("follow_pdfs", True),
        article_pattern=r.pattern("article_pattern"),
        listing=listing,
        selectors=selectors,
        relevance=relevance,
    )
    if not (source.feeds or source.sitemaps or source.listing or source.article_pattern):
        raise r.fail(
            "feeds",
            "no way to find articles: give feeds, sitemaps, a [sources.listing] table, or an "
            "article_pattern for links on base_url",
        )
    return source


def load_sources(path: Path | None = None, *, base: str | None = None) -> list[Source]:
    """Read a sources TOML file (None = the packaged defaults).

    ``base`` replaces a literal ``{base}`` in the file's URLs, so a snapshot
    served on a random loopback port can use one file.
    """
    if path is None:
        where = "naio_nlp/sources.toml"
        text = resources.files("naio_nlp").joinpath("sources.toml").read_text(encoding="utf-8")
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{where}: cannot read the sources file: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from exc
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        packaged = resources.files("naio_nlp").joinpath("sources.toml")
        raise ConfigError(
            f"{where}: no [[sources]] tables; start from a copy of the packaged registry "
            f"({packaged}), whose tables show every field"
        )
    sources: list[Source] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries):
        source = _parse_source(where, index, raw, base)
        if source.name in seen:
            raise ConfigError(f"{where}: source {source.name!r}: key 'name': used twice")
        seen.add(source.name)
        sources.append(source)
    return sources


def source_for_url(sources: Sequence[Source], url: str) -> tuple[Source | None, str]:
    """The source that would collect ``url``, and why or why not.

    A URL is collected when its host is one of a source's hosts (``www.`` or
    not) and it matches that source's ``article_pattern``. The reason names
    the source whose pattern missed, which is the line to fix.
    """
    host = host_of(url)
    on_host = [s for s in sources if any(same_site(host, h) for h in s.hosts)]
    if not on_host:
        return None, f"host {host} is not registered"
    for source in on_host:
        if source.is_article_url(url):
            return source, f"matches {source.name}"
    names = ", ".join(s.name for s in on_host)
    return None, f"host registered ({names}) but the article pattern does not match"
