"""URL canonicalisation and article ids.

The same release is linked as ``HTTPS://Example.gov.my/berita/a/?utm_source=x#top``
from a newsletter and as ``https://example.gov.my/berita/a`` from the listing.
Keying articles by one canonical form is what keeps a daily re-crawl from
storing it twice.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

__all__ = [
    "TRACKING_PARAMS",
    "article_id",
    "canonicalize",
    "host_of",
    "is_http_url",
    "resolve",
    "same_site",
]

#: Query parameters that only say who linked the page, never what it shows.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "s_cid",
        "cmpid",
        "fb_action_ids",
        "fb_action_types",
        "oly_enc_id",
        "oly_anon_id",
        "vero_id",
        "ncid",
        "sr_share",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MULTI_SLASH = re.compile(r"/{2,}")


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(_TRACKING_PREFIXES)


def canonicalize(url: str) -> str:
    """The one spelling of ``url`` under which an article is stored.

    Lower-cases scheme and host, drops default ports, fragments, tracking
    parameters (``utm_*``, ``fbclid``, ...), duplicate and trailing slashes,
    and sorts the remaining query parameters. The path's case is kept:
    servers treat it as significant.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host
    if port is not None and _DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = _MULTI_SLASH.sub("/", parts.path or "/")
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~%")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query_pairs = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    query = urlencode(sorted(query_pairs))
    return urlunsplit((scheme, netloc, path, query, ""))


def article_id(canonical_url: str) -> str:
    """First 16 hex characters of sha256 of the canonical URL: short, stable, collision-safe."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def host_of(url: str) -> str:
    """Lower-case host (with a non-default port), the unit politeness is counted in."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and _DEFAULT_PORTS.get(parts.scheme.lower()) != port:
        return f"{host}:{port}"
    return host


def same_site(host: str, allowed: str) -> bool:
    """``www.x.my`` and ``x.my`` are one site; other subdomains are not."""

    def bare(h: str) -> str:
        return h[4:] if h.startswith("www.") else h

    return bare(host) == bare(allowed)


def is_http_url(url: str) -> bool:
    """True for absolute http(s) URLs; mailto:, javascript: and data: links are skipped."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def resolve(base: str, href: str) -> str:
    """Absolute URL of ``href`` found on page ``base``, whitespace trimmed."""
    return urljoin(base, href.strip())
