"""A real HTTP server on 127.0.0.1 for the collector's tests and benchmarks.

It serves the hand-written fixture site (``site/``) with ETag and
Last-Modified validators (a matching If-None-Match gets a 304, as a well-run
CMS does), generated bulk pages for throughput runs, and programmable routes
for fault injection: slow responses, connection resets, 429 with
Retry-After, 500 then success, redirect loops, a 100 MB body. Every request
is recorded so tests can assert what the crawler actually sent.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).parent / "site"
LAST_MODIFIED = "Mon, 01 Sep 2025 00:00:00 GMT"

Handler = Callable[["_Handler"], None]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int = 0
    #: time.monotonic() when the request arrived, to check the crawler's spacing
    at: float = field(default_factory=time.monotonic)

    @property
    def conditional(self) -> bool:
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html"


def content_type_for(path: str) -> str:
    if path.endswith(".pdf"):
        return "application/pdf"
    if path.endswith(".xml"):
        return "application/rss+xml" if "/feed/" in path else "application/xml"
    if path.endswith(".txt"):
        return "text/plain"
    return "text/html"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's
    # delayed ACK of the headers (~40 ms) on every keep-alive request. Real servers (nginx,
    # Apache) set TCP_NODELAY; without it a sequential crawl of one host idles ~75% of the time.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        path = self.path.split("?", 1)[0]
        record = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
        with site.lock:
            site.requests.append(record)
        self.record = record
        if site.delay and not path.endswith("robots.txt"):
            time.sleep(site.delay)
        route = site.routes.get(path)
        try:
            if route is not None:
                route(self)
            else:
                self.serve_page(site.page(path))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def send(
        self, status: int, body: bytes = b"", content_type: str = "text/html", **headers: str
    ) -> None:
        self.record.status = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def serve_page(self, page: Page | None) -> None:
        if page is None:
            self.send(404, b"<html><body><h1>404 Not Found</h1></body></html>")
            return
        etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.record.status = 304
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send(200, page.body, page.content_type, ETag=etag, Last_Modified=LAST_MODIFIED)

    def reset(self) -> None:
        """Drop the connection with a TCP RST, mid-request."""
        self.record.status = -1
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    site: SiteServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that vanish (a killed crawler, an aborted 100 MB body) are expected here."""


@dataclass
class SiteServer:
    """Start with :meth:`start`; ``base`` is ``http://127.0.0.1:<port>``."""

    root: Path | None = SITE
    delay: float = 0.0
    routes: dict[str, Handler] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    host: str = "127.0.0.1"

    def start(self) -> SiteServer:
        self._server = _Server((self.host, 0), _Handler)
        self._server.site = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def page(self, path: str) -> Page | None:
        """A generated page, else a file of the site (``{base}`` filled in), else None."""
        if path in self.pages:
            return self.pages[path]
        if self.root is None:
            return None
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return None
        if target.is_dir():
            for index in ("index.html", "index.xml"):
                if (target / index).is_file():
                    target = target / index
                    break
        if not target.is_file() or target.suffix == ".py" or target.name == "truth.json":
            return None
        body = target.read_bytes()
        if target.suffix in (".xml", ".html", ".txt", ".toml"):
            body = body.replace(b"{base}", self.base.encode())
        return Page(body, content_type_for(target.name))

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    # ------------------------------------------------------------ generated sites

    def add_bulk(self, count: int, *, per_listing: int = 50, prefix: str = "/bulk") -> list[str]:
        """``count`` generated articles behind paginated listings; returns article paths."""
        paths = [f"{prefix}/a/{i:05d}.html" for i in range(count)]
        for i, path in enumerate(paths):
            self.pages[path] = Page(bulk_article(i).encode())
        pages = max(1, -(-count // per_listing))
        for n in range(1, pages + 1):
            chunk = paths[(n - 1) * per_listing : n * per_listing]
            links = "\n".join(f'<li><a href="{p}">Siaran media {p[-10:-5]}</a></li>' for p in chunk)
            body = (
                f"<html><head><title>Senarai {n}</title></head><body><nav><a href='/'>Utama</a>"
                f"</nav><main><ul>{links}</ul></main><footer>Kaki</footer></body></html>"
            )
            self.pages[f"{prefix}/list-{n}.html"] = Page(body.encode())
        return paths


_BULK_MONTHS = ("Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos")


def bulk_article(i: int) -> str:
    """A plausible, unique press release; numbers vary so content hashes differ."""
    day = 1 + i % 28
    month = _BULK_MONTHS[i % len(_BULK_MONTHS)]
    paragraphs = [
        f"PUTRAJAYA, {day} {month} – Pejabat Kecerdasan Buatan Negara (NAIO) hari ini "
        f"mengumumkan inisiatif nombor {i} di bawah pelan tindakan kecerdasan buatan negara.",
        f"Inisiatif ini melibatkan {3 + i % 7} agensi kerajaan dan {10 + i % 40} rakan industri "
        "yang akan melaksanakan projek rintis dalam tempoh dua belas bulan.",
        "Kemajuan setiap projek akan dilaporkan kepada majlis penasihat setiap suku tahun dan "
        "diterbitkan di portal rasmi untuk makluman orang ramai.",
        f"Peruntukan sebanyak RM{(i % 50) + 1} juta telah diluluskan bagi fasa pertama.",
    ]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='ms'><head><meta charset='utf-8'>"
        f"<title>Inisiatif AI {i} | Kementerian Digital</title></head><body>"
        "<header><div class='logo'>Kementerian Digital</div><nav><ul><li><a href='/'>Utama</a>"
        "</li><li><a href='/bulk/list-1.html'>Siaran Media</a></li></ul></nav></header>"
        f"<main><article><h1>Inisiatif AI nombor {i} diumumkan</h1>"
        f"<div class='date'>{day} {month} 2025</div>{body}"
        "<div class='share'>Kongsi: <a href='#'>Facebook</a></div></article></main>"
        "<footer>Hak Cipta Terpelihara 2025</footer></body></html>"
    )
