"""The review web app (``naio-nlp review``): Starlette routes over the store, Jinja2 pages.

Safe by default, because every title and text on these pages was crawled from
someone else's site:

- templates autoescape everything, and a Content-Security-Policy allows only
  the app's own script and stylesheet, so crawled markup neither renders nor runs;
- every state-changing request is a POST carrying the per-process CSRF token;
- no route reads a file path from the request (documents are looked up by id
  in the store; the two static files are fixed names);
- the Host header must name the loopback address, which stops DNS rebinding;
  when bound elsewhere, an access token (printed in the URL) is required.

The store is opened per request (SQLite connections belong to one thread);
every review is committed before the response is sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from ..corpus import CorpusRecord
from ..errors import InputError, NaioError
from ..labels import ARTIFACT_TYPES, DOMAINS, LANGUAGES, STATUSES
from ..schema import EvidenceSentence, Prediction
from ..store import Review, ReviewedLabels, Store
from .queue import CORPUS_PREFIX, REASONS, Filters, QueueItem, build_queue

__all__ = ["KEYS", "ReviewState", "create_app", "highlight"]

#: Keyboard shortcuts: status, artifact type and domain inputs carry these keys.
KEYS: dict[str, dict[str, str]] = {
    "status": dict(zip(STATUSES, "123", strict=True)),
    "artifact_type": dict(zip(ARTIFACT_TYPES, "qwert", strict=True)),
    "domains": dict(zip(DOMAINS, "asdfghj", strict=True)),
}
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]
TOKEN_COOKIE = "naio_review_token"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_STATIC = {"review.js": "text/javascript", "review.css": "text/css"}


@dataclass
class ReviewState:
    """What one running app holds: the queue, this session's progress, its secrets."""

    db: Path
    reviewer: str
    queue: list[QueueItem]
    corpus: dict[str, CorpusRecord]
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    access_token: str | None = None
    done: set[str] = field(default_factory=set)  # reviewed since the app started
    skipped: set[str] = field(default_factory=set)

    def next_key(self, filters: Filters, *, exclude: str | None = None) -> str | None:
        for item in self.queue:
            if item.key in self.done or item.key in self.skipped or item.key == exclude:
                continue
            if filters.matches(item):
                return item.key
        return None

    def item(self, key: str) -> QueueItem | None:
        return next((i for i in self.queue if i.key == key), None)


def highlight(
    text: str, sentences: Sequence[EvidenceSentence]
) -> list[tuple[str, str | None, str | None]]:
    """The text cut into (chunk, kind, labels): ``kind`` is status/type/domain for evidence.

    A sentence that supports several labels is one chunk naming them all, its
    kind the first of status, type, domain. Sentences overlapping an earlier
    one, or out of range, are dropped.
    """
    spans: dict[tuple[int, int], list[str]] = {}
    for s in sentences:
        if 0 <= s.start < s.end <= len(text):
            spans.setdefault((s.start, s.end), []).append(s.supports)
    chunks: list[tuple[str, str | None, str | None]] = []
    pos = 0
    for (start, end), supports in sorted(spans.items()):
        if start < pos:
            continue
        if start > pos:
            chunks.append((text[pos:start], None, None))
        kinds = {label.split(":", 1)[0] for label in supports}
        kind = next((k for k in _KINDS if k in kinds), "status")
        chunks.append((text[start:end], kind, ", ".join(supports)))
        pos = end
    if pos < len(text):
        chunks.append((text[pos:], None, None))
    return chunks


_KINDS = ("status", "type", "domain")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("naio_nlp.review", "templates"),
        autoescape=True,  # crawled text is untrusted, every page, every variable
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda p: "–" if p is None else f"{100 * float(p):.0f}%"
    return env


def _qs(filters: Filters, **extra: str) -> str:
    query = {**filters.to_query(), **{k: v for k, v in extra.items() if v}}
    return ("?" + urlencode(query)) if query else ""


def _filters_from_form(form: FormData) -> Filters:
    """The queue filters a form carries in one field (its own fields share their names)."""
    raw = form.get("filters")
    return Filters.from_query(dict(parse_qsl(raw if isinstance(raw, str) else "")))


class _SecurityHeaders(BaseHTTPMiddleware):
    """CSP and friends on every response; the access token when one is required."""

    def __init__(self, app: Any, state: ReviewState) -> None:
        super().__init__(app)
        self.state = state

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        token = self.state.access_token
        set_cookie = False
        if token is not None:
            given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
            if not secrets.compare_digest(given.encode(), token.encode()):
                response: Response = PlainTextResponse(
                    "access token missing or wrong: open the URL naio-nlp review printed",
                    status_code=403,
                )
                return self._secure(response)
            set_cookie = request.query_params.get("token") is not None
        response = await call_next(request)
        if set_cookie and token is not None:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return self._secure(response)

    @staticmethod
    def _secure(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response


#: The queue page lists at most this many suspected label errors (most suspicious first);
#: the confident-learning cut flags about a third of a clean corpus, which would bury the rest.
LABEL_ISSUES_LISTED = 50


def cap_label_issues(items: Sequence[QueueItem], limit: int) -> tuple[list[QueueItem], int]:
    """``items`` with only the first ``limit`` label-issue rows, and how many were left out.

    Only the list is cut: the queue, and so "Start reviewing", still reaches every suspect.
    """
    listed: list[QueueItem] = []
    issues = 0
    for item in items:
        if item.reason == "label_issue":
            issues += 1
            if issues > limit:
                continue
        listed.append(item)
    return listed, max(0, issues - limit)


def create_app(
    db: Path,
    *,
    reviewer: str,
    corpus: Sequence[CorpusRecord] = (),
    model_version: str | None = None,
    audit: int = 50,
    margin_cut: float = 0.5,
    seed: int = 0,
    access_token: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> Starlette:
    """The review app over the store at ``db``; the queue is ranked once, here.

    ``corpus`` records are searched for label issues beside earlier reviews.
    With ``access_token`` every request must carry it (``?token=`` once, then
    a cookie); ``allowed_hosts`` defaults to the loopback names.
    """
    if not reviewer.strip():
        raise InputError("review", "the reviewer name must not be empty")
    with Store(db) as store:
        queue = build_queue(
            store,
            corpus=corpus,
            model_version=model_version,
            margin_cut=margin_cut,
            audit=audit,
            seed=seed,
        )
    state = ReviewState(
        db=db,
        reviewer=reviewer.strip(),
        queue=queue,
        corpus={CORPUS_PREFIX + r.id: r for r in corpus},
        access_token=access_token,
    )
    templates = Jinja2Templates(env=_environment())

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        base = {
            "csrf": state.csrf,
            "reviewer": state.reviewer,
            "keys": KEYS,
            "statuses": STATUSES,
            "artifact_types": ARTIFACT_TYPES,
            "domains": DOMAINS,
            "languages": LANGUAGES,
            "reasons": REASONS,
            "session_done": len(state.done),
        }
        return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    def bad_request(request: Request, message: str, status: int = 400) -> Response:
        return page(request, "review/error.html", {"message": message}, status)

    async def check_csrf(request: Request) -> FormData | None:
        form = await request.form()
        given = form.get("csrf")
        if not isinstance(given, str) or not secrets.compare_digest(
            given.encode(), state.csrf.encode()
        ):
            return None
        return form

    def go_next(filters: Filters, *, exclude: str | None = None) -> Response:
        key = state.next_key(filters, exclude=exclude)
        target = "/" if key is None else f"/doc/{key}"
        extra = {"done": "1"} if key is None else {}
        return RedirectResponse(target + _qs(filters, **extra), status_code=303)

    async def queue_page(request: Request) -> Response:
        try:
            filters = Filters.from_query(request.query_params)
        except NaioError as exc:
            return bad_request(request, str(exc))
        items = [
            i
            for i in state.queue
            if filters.matches(i) and i.key not in state.done and i.key not in state.skipped
        ]
        counts = {r: sum(1 for i in items if i.reason == r) for r in REASONS}
        listed, unlisted_issues = cap_label_issues(items, LABEL_ISSUES_LISTED)
        with Store(state.db) as store:
            recent = store.reviews(reviewer=state.reviewer, include_undone=True)[-10:][::-1]
        sources = sorted({i.source for i in state.queue if i.source})
        return page(
            request,
            "review/queue.html",
            {
                "items": listed[:200],
                "unlisted": len(listed) - len(listed[:200]),
                "unlisted_issues": unlisted_issues,
                "issues_listed": LABEL_ISSUES_LISTED,
                "total": len(items),
                "counts": counts,
                "filters": filters,
                "qs": _qs(filters),
                "sources": sources,
                "recent": recent,
                "finished": request.query_params.get("done") == "1" and not items,
            },
        )

    async def next_page(request: Request) -> Response:
        try:
            filters = Filters.from_query(request.query_params)
        except NaioError as exc:
            return bad_request(request, str(exc))
        return go_next(filters)

    def load_document(store: Store, key: str) -> dict[str, Any] | None:
        """Everything the document page shows, for a store article or a corpus record."""
        item = state.item(key)
        if key.startswith(CORPUS_PREFIX):
            record = state.corpus.get(key)
            if record is None:
                return None
            given = ReviewedLabels(record.status, record.artifact_type, record.domains)
            return {
                "key": key,
                "item": item,
                "title": record.title,
                "text": record.text,
                "source": record.source,
                "published": record.date,
                "language": record.lang,
                "url": None,
                "chunks": [(record.text, None, None)],
                "prediction": None,
                "model_version": "corpus",
                "shown": given,
                "origin": f"corpus record {record.id} ({record.path}:{record.line})",
            }
        article = store.article(key)
        if article is None:
            return None
        prediction = store.prediction(key)
        shown: ReviewedLabels | None = None
        if prediction is not None:
            shown = ReviewedLabels(prediction.status, prediction.artifact_type, prediction.domains)
        evidence = () if prediction is None else prediction.evidence.sentences
        return {
            "key": key,
            "item": item,
            "title": article.title,
            "text": article.text,
            "source": article.source,
            "published": None if article.published is None else article.published.isoformat(),
            "language": article.language,
            "url": article.url,
            "chunks": highlight(article.text, evidence),
            "prediction": prediction,
            "model_version": None if prediction is None else prediction.model_version,
            "shown": shown,
            "origin": None,
        }

    async def document_page(request: Request) -> Response:
        key = request.path_params["key"]
        try:
            filters = Filters.from_query(request.query_params)
        except NaioError as exc:
            return bad_request(request, str(exc))
        with Store(state.db) as store:
            doc = load_document(store, key)
            if doc is None:
                return bad_request(request, f"no document {key!r} in the store or corpus", 404)
            history = store.reviews(article_id=key, include_undone=True)
        live = [r for r in history if r.undone_at is None]
        current = live[-1].labels if live else doc["shown"]
        next_key = state.next_key(filters, exclude=key)
        return page(
            request,
            "review/document.html",
            {
                **doc,
                "current": current,
                "history": history,
                "filters": filters,
                "qs": _qs(filters),
                "next_url": None if next_key is None else f"/doc/{next_key}{_qs(filters)}",
                "suggested_type": _top(doc["prediction"]),
            },
        )

    async def save_review(request: Request) -> Response:
        key = request.path_params["key"]
        form = await check_csrf(request)
        if form is None:
            return bad_request(request, "missing or wrong CSRF token: reload the page", 403)
        try:
            filters = _filters_from_form(form)
        except NaioError as exc:
            return bad_request(request, str(exc))
        status = str(form.get("status") or "")
        atype = str(form.get("artifact_type") or "") or None
        if status != "artifact":
            atype = None  # only artifacts have a type; a stale choice is not an error
        domains = [str(d) for d in form.getlist("domains")]
        note = str(form.get("note") or "").strip() or None
        with Store(state.db) as store:
            doc = load_document(store, key)
            if doc is None:
                return bad_request(request, f"no document {key!r} in the store or corpus", 404)
            try:
                store.save_review(
                    Review(
                        article_id=key,
                        reviewer=state.reviewer,
                        labels=ReviewedLabels(status, atype, tuple(domains)),
                        model_version=doc["model_version"],
                        model_labels=doc["shown"],
                        note=note,
                    )
                )
            except NaioError as exc:
                return bad_request(request, f"not saved: {exc}")
        state.done.add(key)
        return go_next(filters, exclude=key)

    async def skip(request: Request) -> Response:
        form = await check_csrf(request)
        if form is None:
            return bad_request(request, "missing or wrong CSRF token: reload the page", 403)
        try:
            filters = _filters_from_form(form)
        except NaioError as exc:
            return bad_request(request, str(exc))
        key = request.path_params["key"]
        state.skipped.add(key)
        return go_next(filters, exclude=key)

    async def undo(request: Request) -> Response:
        form = await check_csrf(request)
        if form is None:
            return bad_request(request, "missing or wrong CSRF token: reload the page", 403)
        try:
            filters = _filters_from_form(form)
        except NaioError as exc:
            return bad_request(request, str(exc))
        with Store(state.db) as store:
            undone = store.undo_review(reviewer=state.reviewer)
        if undone is None:
            return RedirectResponse("/" + _qs(filters), status_code=303)
        state.done.discard(undone.article_id)
        return RedirectResponse(f"/doc/{undone.article_id}{_qs(filters)}", status_code=303)

    async def stored_copy(request: Request) -> Response:
        key = request.path_params["key"]
        with Store(state.db) as store:
            doc = load_document(store, key)
        if doc is None:
            return PlainTextResponse(f"no document {key!r}", status_code=404)
        return PlainTextResponse(f"{doc['title']}\n\n{doc['text']}\n")

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        media = _STATIC.get(name)
        if media is None:  # a fixed allow-list: the request never names a path
            return PlainTextResponse("not found", status_code=404)
        body = resources.files("naio_nlp.review").joinpath("static", name).read_bytes()
        return Response(body, media_type=media)

    routes = [
        Route("/", queue_page, methods=["GET"]),
        Route("/next", next_page, methods=["GET"]),
        Route("/doc/{key}", document_page, methods=["GET"]),
        Route("/doc/{key}/stored", stored_copy, methods=["GET"]),
        Route("/doc/{key}/review", save_review, methods=["POST"]),
        Route("/doc/{key}/skip", skip, methods=["POST"]),
        Route("/undo", undo, methods=["POST"]),
        Route("/static/{name}", static, methods=["GET"]),
    ]
    hosts = list(allowed_hosts) if allowed_hosts is not None else LOOPBACK_HOSTS
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
            Middleware(_SecurityHeaders, state=state),
        ],
    )
    app.state.review = state
    return app


def _top(prediction: Prediction | None) -> str | None:
    """The most probable artifact type, pre-selected when a reviewer switches to artifact."""
    if prediction is None or not prediction.artifact_type_probs:
        return None
    probs = prediction.artifact_type_probs
    return max(probs, key=lambda t: probs[t])
