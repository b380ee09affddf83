"""The offline demo: a snapshot of realistic source sites, served on loopback.

``site/`` imitates the four kinds of source the product is for: a ministry
CMS with paginated media-release listings (and a PDF release), NAIO's own
announcements page, a WordPress-style tech-news site with an RSS feed, and
a Malay news site with a sitemap index. ``sources.toml`` describes them in
the collector's format with a literal ``{base}`` in every URL;
:func:`serve_snapshot` serves the site and yields the base URL to put there::

    with serve_snapshot() as base:
        sources = load_sources(demo.sources_path(), base=base)

The server behaves like a real one where the collector cares: ``robots.txt``,
``Last-Modified`` and ``ETag`` on every response, ``304 Not Modified`` for a
matching ``If-None-Match`` or ``If-Modified-Since``, and query strings
mapped to files (``/kd/kenyataan-media?page=2`` is
``kd/kenyataan-media--page-2.html``). The programs, figures and people in the
snapshot are invented; ``snapshot.toml`` holds each page's text and the label
its author intended, and ``python -m naio_nlp.demo._build`` regenerates
``site/`` from it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

from ..errors import NaioError

__all__ = ["BASE_PLACEHOLDER", "serve_snapshot", "site_dir", "sources_path"]

log = logging.getLogger(__name__)

#: The placeholder for the server's base URL in ``sources.toml`` and in served text.
BASE_PLACEHOLDER: Final = "{base}"

_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
}
_TEXT_SUFFIXES: Final = frozenset({".html", ".xml", ".rss", ".txt"})
_INDEX_NAMES: Final = ("index.html", "index.rss", "index.xml")
_LASTMOD_FILE: Final = "_lastmod.json"


def _package_path(name: str) -> Path:
    found = resources.files(__name__).joinpath(name)
    if not isinstance(found, Path):  # pragma: no cover - zipped installs
        raise NaioError(f"naio_nlp.demo/{name} is not on the file system; reinstall naio-nlp")
    return found


def site_dir() -> Path:
    """The directory holding the snapshot site."""
    return _package_path("site")


def sources_path() -> Path:
    """The snapshot's ``sources.toml`` (URLs with ``{base}``; see :func:`serve_snapshot`)."""
    return _package_path("sources.toml")


def _resolve(root: Path, target: str) -> Path | None:
    """The file under ``root`` that answers the request target, or None (404)."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    if not path.startswith("/") or "\x00" in path:
        return None
    rel = path.lstrip("/")
    if any(seg in ("..", ".") for seg in rel.split("/")) or rel.startswith("_"):
        return None
    candidates: list[Path] = []
    if parts.query:
        # /kd/kenyataan-media?page=2 -> kd/kenyataan-media--page-2.html
        key = re.sub(r"[^A-Za-z0-9]+", "-", unquote(parts.query)).strip("-")
        if rel and not rel.endswith("/"):
            candidates.append(root / f"{rel}--{key}.html")
    if rel == "" or rel.endswith("/"):
        candidates.extend(root / rel / name for name in _INDEX_NAMES)
    else:
        candidates.extend([root / rel, root / f"{rel}.html"])
    for candidate in candidates:
        if candidate.is_file() and candidate.resolve().is_relative_to(root.resolve()):
            return candidate
    return None


class _SnapshotServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.root = root
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        lastmod_file = root / _LASTMOD_FILE
        raw = json.loads(lastmod_file.read_text(encoding="utf-8")) if lastmod_file.is_file() else {}
        self.lastmod: dict[str, datetime] = {
            k: datetime.fromisoformat(v).astimezone(UTC) for k, v in raw.items()
        }


class _Handler(BaseHTTPRequestHandler):
    server: _SnapshotServer
    protocol_version = "HTTP/1.1"
    server_version = "naio-nlp-demo/1"

    def log_message(self, format: str, *args: object) -> None:
        log.debug("demo server: " + format, *args)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, *, body: bool) -> None:
        root = self.server.root
        found = _resolve(root, self.path)
        if found is None:
            self._send(
                HTTPStatus.NOT_FOUND,
                b"<h1>404 Not Found</h1>",
                "text/html; charset=utf-8",
                body=body,
            )
            return
        data = found.read_bytes()
        etag = '"' + hashlib.sha256(data + self.server.base.encode()).hexdigest()[:20] + '"'
        if found.suffix in _TEXT_SUFFIXES:
            data = data.replace(BASE_PLACEHOLDER.encode(), self.server.base.encode())
        rel = found.relative_to(root).as_posix()
        modified = self.server.lastmod.get(rel) or datetime.fromtimestamp(
            int(found.stat().st_mtime), UTC
        )
        headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
        if self._not_modified(etag, modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        ctype = _TYPES.get(found.suffix, "application/octet-stream")
        self._send(HTTPStatus.OK, data, ctype, body=body, headers=headers)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is not None:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return modified <= since
        return False

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        ctype: str,
        *,
        body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)


@contextmanager
def serve_snapshot(root: Path | None = None, *, port: int = 0) -> Iterator[str]:
    """Serve the snapshot (or ``root``) on 127.0.0.1; yield the base URL.

    ``port`` 0 takes a free port. A fixed port keeps the URLs the same from
    run to run, which is what lets a second ``run --demo`` cost only 304s;
    when that port is taken, a free one is used instead (and the store sees
    new URLs). The base URL has no trailing slash (``http://127.0.0.1:PORT``);
    it replaces ``{base}`` in ``sources.toml`` and in the served pages, feeds
    and sitemaps. The server stops when the block ends.
    """
    try:
        server = _SnapshotServer(root or site_dir(), port)
    except OSError:
        if port == 0:
            raise
        log.warning("port %d is taken; serving the demo snapshot on a free port", port)
        server = _SnapshotServer(root or site_dir(), 0)
    thread = threading.Thread(target=server.serve_forever, name="naio-demo-server", daemon=True)
    thread.start()
    log.info("demo snapshot served at %s", server.base)
    try:
        yield server.base
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
