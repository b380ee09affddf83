"""The SQLite store: articles, their revisions, the fetch log, source health, predictions, reviews.

One file, WAL mode, and every write is its own committed transaction, so a
crawl killed at any instant (SIGKILL included) keeps every article it had
extracted, and the next run finds the ETag/Last-Modified of every page it
fetched. Articles are keyed by canonical URL; the same release reached under
a second URL is recorded as an alias of the first (content-hash dedup), and
a page whose content changes keeps its earlier text as a revision.

The schema carries a version number; a store written by an older naio-nlp is
migrated on open, one written by a newer one is refused with a message.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TextIO

from .errors import ConfigError, InputError

if TYPE_CHECKING:
    from .ledger import Ledger
from .extract import ExtractedPage
from .labels import LANGUAGES
from .schema import Article, Prediction, content_hash
from .urls import article_id, canonicalize

__all__ = [
    "SCHEMA_VERSION",
    "ArticleInfo",
    "FetchRecord",
    "FetchState",
    "Review",
    "ReviewedLabels",
    "Revision",
    "SaveOutcome",
    "SourceHealth",
    "Store",
    "export_articles",
]

#: Bump when the tables change, and add the step to ``_MIGRATIONS``.
SCHEMA_VERSION = 3

SaveOutcome = Literal["new", "updated", "unchanged", "duplicate"]
Kind = Literal["html", "pdf", "given"]

_SCHEMA_V1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,              -- sha256(canonical url)[:16]
    url TEXT NOT NULL UNIQUE,         -- canonical URL
    source TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'html',
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,                   -- ISO date, Kuala Lumpur calendar
    published_raw TEXT,               -- the string the date was read from
    language TEXT,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,         -- when the URL was first stored
    last_seen TEXT NOT NULL,          -- last fetch that confirmed the content
    version_seen TEXT NOT NULL,       -- when the current revision was first seen
    fetched_at TEXT NOT NULL,
    revisions INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX articles_hash ON articles (content_hash);
CREATE INDEX articles_source ON articles (source, published);
CREATE TABLE revisions (               -- earlier versions of a changed page
    article_id TEXT NOT NULL REFERENCES articles (id),
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,
    published_raw TEXT,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (article_id, revision)
);
CREATE TABLE aliases (                 -- other URLs under which the same content appeared
    url TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id),
    source TEXT NOT NULL,
    first_seen TEXT NOT NULL
);
CREATE TABLE fetch_log (               -- last fetch of every URL, for conditional GET
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    status INTEGER,
    outcome TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    body BLOB,                         -- kept for discovery pages (feeds, sitemaps, listings)
    error TEXT,
    fetched_at TEXT NOT NULL
);
CREATE TABLE source_health (
    source TEXT PRIMARY KEY,
    last_run TEXT,
    last_success TEXT,
    last_new TEXT,
    runs INTEGER NOT NULL DEFAULT 0,
    empty_runs INTEGER NOT NULL DEFAULT 0,  -- consecutive runs that yielded nothing
    last_counts TEXT,                       -- JSON of the last run's counts
    http_403 INTEGER NOT NULL DEFAULT 0,
    empty_extractions INTEGER NOT NULL DEFAULT 0,
    selector_misses INTEGER NOT NULL DEFAULT 0,
    last_problem TEXT
);
CREATE TABLE predictions (
    article_id TEXT NOT NULL,
    model_version TEXT NOT NULL,
    status TEXT NOT NULL,
    artifact_type TEXT,
    confidence REAL NOT NULL,
    data TEXT NOT NULL,                -- Prediction.to_dict() as JSON
    saved_at TEXT NOT NULL,
    PRIMARY KEY (article_id, model_version)
);
CREATE INDEX predictions_version ON predictions (model_version);
"""

_LEDGER_TABLES = """
CREATE TABLE ledger_entries (          -- the artifact ledger, one row per entry and model version
    model_version TEXT NOT NULL,
    artifact_id TEXT NOT NULL,
    name TEXT NOT NULL,
    current_stage TEXT NOT NULL,
    data TEXT NOT NULL,                -- LedgerEntry.to_dict() as JSON, reports included
    saved_at TEXT NOT NULL,
    PRIMARY KEY (model_version, artifact_id)
);
CREATE TABLE ledger_state (            -- the next free id, so ids never get reused
    model_version TEXT PRIMARY KEY,
    next_id INTEGER NOT NULL,
    read TEXT NOT NULL,                -- JSON list: documents read that named no output
    saved_at TEXT NOT NULL
);
"""

#: An analyst's reviews (``naio-nlp review``). Created on open in any store, old or new:
#: adding a table changes nothing an older naio-nlp reads. A review never replaces a
#: prediction, and undo marks a review undone rather than deleting it.
_REVIEWS_TABLE = """
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    model_version TEXT,                -- the prediction the reviewer saw
    model_labels TEXT,                 -- its {status, artifact_type, domains} as JSON
    status TEXT NOT NULL,              -- the human labels
    artifact_type TEXT,
    domains TEXT NOT NULL,             -- JSON list
    note TEXT,
    undone_at TEXT                     -- set by undo; the row stays
);
CREATE INDEX IF NOT EXISTS reviews_article ON reviews (article_id, id);
"""

#: Version 3: the ledger's pending mentions (``Ledger.is_pending``) are saved, so a run
#: does not count them as new documents again.
_LEDGER_PENDING = "ALTER TABLE ledger_state ADD COLUMN pending TEXT NOT NULL DEFAULT '[]';\n"
#: The ledger tables as a new store makes them (version 3).
_LEDGER_TABLES_NOW = _LEDGER_TABLES.replace(
    "    read TEXT NOT NULL,                -- JSON list: documents read that named no output\n",
    "    read TEXT NOT NULL,                -- JSON list: documents read that named no output\n"
    "    pending TEXT NOT NULL DEFAULT '[]',  -- JSON list: mentions to read again\n",
)

#: version -> SQL that upgrades a store from ``version - 1``.
_MIGRATIONS: dict[int, str] = {2: _LEDGER_TABLES, 3: _LEDGER_PENDING}

_ARTICLE_COLUMNS = (
    "id, url, source, kind, title, text, published, published_raw, language, content_hash, "
    "first_seen, last_seen, fetched_at, revisions"
)

#: The order articles are read in: publication date, else the day first seen; then id.
_ORDER_KEY = "COALESCE(published, substr(first_seen, 1, 10))"
#: Indexes that only speed reads up; created on open, so they need no schema version.
_READ_INDEXES = f"CREATE INDEX IF NOT EXISTS articles_order ON articles ({_ORDER_KEY}, id);"
#: Rows read per query when streaming: memory holds one chunk, whatever the store's size.
READ_CHUNK = 1000


def _use_wal(conn: sqlite3.Connection, *, patience: float = 30.0) -> None:
    """Switch to WAL mode, waiting while another connection holds the file.

    Changing the journal mode needs an exclusive lock and SQLite answers
    "database is locked" at once instead of calling the busy handler, so two
    processes opening a new store together (a crawl and a reader) would race.
    """
    deadline = time.monotonic() + patience
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: datetime | None) -> str:
    if value is None:
        return _now()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class FetchState:
    """What the last fetch of a URL left behind: validators for the next conditional GET."""

    url: str
    status: int | None
    outcome: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    body: bytes | None
    fetched_at: str


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """The HTTP side of a fetch, logged with the article it produced."""

    url: str
    status: int | None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """An earlier version of a page whose content has since changed."""

    article_id: str
    revision: int
    title: str
    text: str
    published: date | None
    content_hash: str
    first_seen: str
    last_seen: str


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """Collector bookkeeping for one article, beside the :class:`Article` itself."""

    article_id: str
    kind: str
    published_raw: str | None
    first_seen: str
    last_seen: str
    revisions: int
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReviewedLabels:
    """The labels a person gave one document (the report's reviewed label)."""

    status: str
    artifact_type: str | None
    domains: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "artifact_type": self.artifact_type,
            "domains": list(self.domains),
        }


@dataclass(frozen=True, slots=True)
class Review:
    """One analyst's verdict on one document, beside (never instead of) the model's call."""

    article_id: str
    reviewer: str
    labels: ReviewedLabels
    model_version: str | None = None
    model_labels: ReviewedLabels | None = None
    note: str | None = None
    reviewed_at: str = ""
    id: int | None = None
    undone_at: str | None = None

    @property
    def agrees(self) -> bool | None:
        """Whether the person kept the model's labels (None when no model call was shown)."""
        return None if self.model_labels is None else self.model_labels == self.labels


def _labels(status: str, artifact_type: str | None, domains: Iterable[str]) -> ReviewedLabels:
    """Checked labels: the same rules as a :class:`Prediction` (raises InvalidFieldError)."""
    p = Prediction(
        article_id="review",
        status=status,
        artifact_type=artifact_type,
        domains=tuple(domains),
        status_probs={},
    )
    return ReviewedLabels(p.status, p.artifact_type, p.domains)


def _review(row: sqlite3.Row) -> Review:
    model = json.loads(row["model_labels"]) if row["model_labels"] else None
    return Review(
        id=int(row["id"]),
        article_id=row["article_id"],
        reviewer=row["reviewer"],
        reviewed_at=row["reviewed_at"],
        model_version=row["model_version"],
        model_labels=None
        if model is None
        else ReviewedLabels(model["status"], model["artifact_type"], tuple(model["domains"])),
        labels=ReviewedLabels(
            row["status"], row["artifact_type"], tuple(json.loads(row["domains"]))
        ),
        note=row["note"],
        undone_at=row["undone_at"],
    )


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """How a source has been doing across runs; ``empty_runs`` > 0 needs a look."""

    source: str
    last_run: str | None
    last_success: str | None
    last_new: str | None
    runs: int
    empty_runs: int
    last_counts: dict[str, int]
    http_403: int
    empty_extractions: int
    selector_misses: int
    last_problem: str | None


def _article(row: sqlite3.Row) -> Article:
    language = row["language"] if row["language"] in LANGUAGES else None
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        url=row["url"],
        source=row["source"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        language=language,
        fetched_at=datetime.fromisoformat(row["fetched_at"]) if row["fetched_at"] else None,
        content_hash=row["content_hash"],
    )


class Store:
    """An article store in one SQLite file (``":memory:"`` for tests).

    Use as a context manager or call :meth:`close`. Writes commit at once.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self._conn = sqlite3.connect(self.path, timeout=30.0)
        except sqlite3.Error as exc:
            raise ConfigError(f"{self.path}: cannot open the store: {exc}") from exc
        self._conn.row_factory = sqlite3.Row
        try:
            _use_wal(self._conn)
            # NORMAL in WAL mode: a killed process loses nothing committed; only an
            # OS crash may lose the last transactions, which a re-crawl refetches.
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._prepare_schema()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise ConfigError(
                f"{self.path}: not a naio-nlp store ({exc}); pass another --db file"
            ) from exc
        except ConfigError:
            self._conn.close()
            raise

    # -------------------------------------------------------------- lifecycle

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; the file stays consistent whatever happened before."""
        self._conn.close()

    def _prepare_schema(self) -> None:
        self._migrate()
        with self._conn:
            self._conn.executescript(_REVIEWS_TABLE + _READ_INDEXES)

    def _migrate(self) -> None:
        tables = {
            r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            # One transaction under the write lock: a kill leaves no half-made schema, and two
            # processes opening a new file at once (a crawl and a reader) both find it whole.
            script = (
                (_SCHEMA_V1 + _LEDGER_TABLES_NOW)
                .replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ")
                .replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ")
            )
            try:
                self._conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nINSERT INTO schema_version SELECT "
                    f"{SCHEMA_VERSION} WHERE NOT EXISTS (SELECT 1 FROM schema_version);\nCOMMIT;"
                )
            except sqlite3.Error:
                if self._conn.in_transaction:
                    self._conn.rollback()
                raise
            return
        if "schema_version" not in tables:
            raise ConfigError(
                f"{self.path}: this SQLite file was not written by naio-nlp (no schema_version "
                "table); pass another --db file"
            )
        row = self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        version = int(row[0] or 0)
        if version > SCHEMA_VERSION:
            raise ConfigError(
                f"{self.path}: store schema version {version} was written by a newer naio-nlp "
                f"(this one reads up to {SCHEMA_VERSION}); upgrade naio-nlp or use another --db"
            )
        while version < SCHEMA_VERSION:
            step = _MIGRATIONS.get(version + 1)
            if step is None:
                raise ConfigError(
                    f"{self.path}: no migration from store schema version {version}; "
                    "export with the naio-nlp that wrote it and re-import"
                )
            with self._conn:
                self._conn.executescript(step)
                self._conn.execute("UPDATE schema_version SET version = ?", (version + 1,))
            version += 1

    # -------------------------------------------------------------- articles

    def save_page(
        self,
        page: ExtractedPage,
        *,
        url: str,
        source: str,
        kind: Kind = "html",
        fetched_at: datetime | None = None,
        fetch: FetchRecord | None = None,
    ) -> tuple[str, SaveOutcome]:
        """Store an extracted page under its canonical URL; returns (article id, outcome).

        ``duplicate`` means the content was already stored under another URL:
        this URL is recorded as an alias and the returned id is the original's.
        ``fetch`` is logged in the same transaction, so a crash can never leave
        an article without the validators that spare its re-download.
        """
        return self._save(
            url=url,
            source=source,
            title=page.title,
            text=page.text,
            published=page.published,
            published_raw=page.published_raw,
            language=page.language,
            kind=kind,
            fetched_at=fetched_at,
            fetch=fetch,
        )

    def upsert_article(self, article: Article, *, kind: Kind = "given") -> SaveOutcome:
        """Store an :class:`Article` made elsewhere (a corpus file, the demo).

        The article keeps its own id (predictions made elsewhere refer to it);
        one without a URL is stored under ``urn:naio:<id>``. No content dedup:
        given articles are stored as given.
        """
        url = article.url or f"urn:naio:{article.id}"
        return self._save(
            url=url,
            source=article.source or "given",
            title=article.title,
            text=article.text,
            published=article.published,
            published_raw=None,
            language=article.language,
            kind=kind,
            fetched_at=article.fetched_at,
            forced_id=article.id,
        )[1]

    def _save(
        self,
        *,
        url: str,
        source: str,
        title: str,
        text: str,
        published: date | None,
        published_raw: str | None,
        language: str | None,
        kind: str,
        fetched_at: datetime | None,
        forced_id: str | None = None,
        fetch: FetchRecord | None = None,
    ) -> tuple[str, SaveOutcome]:
        canonical = canonicalize(url) if url.lower().startswith(("http://", "https://")) else url
        aid = forced_id or article_id(canonical)
        digest = content_hash(title, text)
        now = _now()
        seen = _iso(fetched_at)
        pub = published.isoformat() if published else None
        with self._conn:
            aid, outcome = self._write_article(
                canonical,
                aid,
                digest,
                now,
                seen,
                pub,
                source,
                title,
                text,
                published_raw,
                language,
                kind,
                dedup=forced_id is None,
            )
            if fetch is not None:
                # same transaction: an article is never stored without its validators
                self._write_fetch(fetch, source=source, outcome=outcome, content_hash=digest)
        return aid, outcome

    def _write_article(
        self,
        canonical: str,
        aid: str,
        digest: str,
        now: str,
        seen: str,
        pub: str | None,
        source: str,
        title: str,
        text: str,
        published_raw: str | None,
        language: str | None,
        kind: str,
        *,
        dedup: bool,
    ) -> tuple[str, SaveOutcome]:
        c = self._conn
        row = c.execute("SELECT * FROM articles WHERE id = ?", (aid,)).fetchone()
        if row is not None:
            if row["content_hash"] == digest:
                c.execute(
                    "UPDATE articles SET last_seen = ?, fetched_at = ? WHERE id = ?",
                    (now, seen, aid),
                )
                return aid, "unchanged"
            c.execute(
                "INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    aid,
                    row["revisions"],
                    row["title"],
                    row["text"],
                    row["published"],
                    row["published_raw"],
                    row["content_hash"],
                    row["version_seen"],
                    row["last_seen"],
                ),
            )
            c.execute(
                "UPDATE articles SET title = ?, text = ?, published = ?, published_raw = ?, "
                "language = ?, content_hash = ?, last_seen = ?, version_seen = ?, "
                "fetched_at = ?, revisions = revisions + 1, kind = ? WHERE id = ?",
                (title, text, pub, published_raw, language, digest, now, now, seen, kind, aid),
            )
            return aid, "updated"
        alias = c.execute(
            "SELECT a.id, a.content_hash FROM aliases s JOIN articles a ON a.id = s.article_id "
            "WHERE s.url = ?",
            (canonical,),
        ).fetchone()
        if alias is not None:
            if alias["content_hash"] == digest:
                c.execute("UPDATE articles SET last_seen = ? WHERE id = ?", (now, alias["id"]))
                return alias["id"], "unchanged"
            c.execute("DELETE FROM aliases WHERE url = ?", (canonical,))
        dup = None
        if dedup:
            dup = c.execute(
                "SELECT id FROM articles WHERE content_hash = ? ORDER BY first_seen LIMIT 1",
                (digest,),
            ).fetchone()
        if dup is not None:
            c.execute(
                "INSERT OR REPLACE INTO aliases VALUES (?, ?, ?, ?)",
                (canonical, dup["id"], source, now),
            )
            return dup["id"], "duplicate"
        c.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            (
                aid,
                canonical,
                source,
                kind,
                title,
                text,
                pub,
                published_raw,
                language,
                digest,
                now,
                now,
                now,
                seen,
            ),
        )
        return aid, "new"

    def touch(self, url: str) -> str | None:
        """A 304 confirmed the page is unchanged: move its ``last_seen``; returns its id."""
        canonical = canonicalize(url)
        now = _now()
        with self._conn:
            row = self._conn.execute(
                "SELECT id FROM articles WHERE url = ? UNION ALL "
                "SELECT article_id FROM aliases WHERE url = ?",
                (canonical, canonical),
            ).fetchone()
            if row is None:
                return None
            self._conn.execute("UPDATE articles SET last_seen = ? WHERE id = ?", (now, row[0]))
            return str(row[0])

    def article(self, article_id: str) -> Article | None:
        """One article by id, or None."""
        row = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else _article(row)

    def article_for_url(self, url: str) -> Article | None:
        """The article stored under ``url`` or one of its aliases."""
        canonical = canonicalize(url)
        row = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE url = ? OR id = "
            "(SELECT article_id FROM aliases WHERE url = ?)",
            (canonical, canonical),
        ).fetchone()
        return None if row is None else _article(row)

    def info(self, article_id: str) -> ArticleInfo | None:
        """Bookkeeping of one article: kind, first/last seen, revision count, aliases."""
        row = self._conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return ArticleInfo(
            article_id=article_id,
            kind=row["kind"],
            published_raw=row["published_raw"],
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
            revisions=row["revisions"],
            aliases=tuple(self.aliases(article_id)),
        )

    def aliases(self, article_id: str) -> list[str]:
        """Other canonical URLs under which the same content was found."""
        rows = self._conn.execute(
            "SELECT url FROM aliases WHERE article_id = ? ORDER BY url", (article_id,)
        )
        return [r[0] for r in rows]

    def revisions(self, article_id: str) -> list[Revision]:
        """Earlier versions of an article, oldest first (the current one is not included)."""
        rows = self._conn.execute(
            "SELECT * FROM revisions WHERE article_id = ? ORDER BY revision", (article_id,)
        )
        return [
            Revision(
                article_id=r["article_id"],
                revision=r["revision"],
                title=r["title"],
                text=r["text"],
                published=date.fromisoformat(r["published"]) if r["published"] else None,
                content_hash=r["content_hash"],
                first_seen=r["first_seen"],
                last_seen=r["last_seen"],
            )
            for r in rows
        ]

    def articles(
        self, *, since: date | None = None, source: str | None = None
    ) -> Iterator[Article]:
        """Stored articles, oldest publication first.

        ``since`` keeps articles published on or after that date; an article
        without a publication date is kept if it was first seen on or after it.
        """
        where, params = "1 = 1", []
        if since is not None:
            where += (
                " AND (published >= ? OR (published IS NULL AND substr(first_seen, 1, 10) >= ?))"
            )
            params += [since.isoformat(), since.isoformat()]
        if source is not None:
            where += " AND source = ?"
            params.append(source)
        for row in self._in_order(f"SELECT {_ARTICLE_COLUMNS}", "articles", where, params):
            yield _article(row)

    def _in_order(
        self, select: str, tables: str, where: str, params: list[Any], prefix: str = ""
    ) -> Iterator[sqlite3.Row]:
        """Rows in article order, :data:`READ_CHUNK` at a time (keyset paging).

        Each chunk is its own query that resumes after the last row seen, so
        memory holds one chunk, and callers may write (predictions) between
        rows without the read skipping or repeating any.
        """
        key = _ORDER_KEY.replace("published", f"{prefix}published").replace(
            "first_seen", f"{prefix}first_seen"
        )
        order = f"{key}, {prefix}id"
        last: tuple[Any, str] | None = None
        while True:
            sql = f"{select}, {key} AS order_key FROM {tables} WHERE ({where})"
            args = list(params)
            if last is not None:
                sql += f" AND ({order}) > (?, ?)"
                args += list(last)
            sql += f" ORDER BY {order} LIMIT ?"
            rows = self._conn.execute(sql, [*args, READ_CHUNK]).fetchall()
            yield from rows
            if len(rows) < READ_CHUNK:
                return
            last = (rows[-1]["order_key"], rows[-1]["id"])

    def count(self) -> int:
        """Number of stored articles (aliases not counted)."""
        return int(self._conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # -------------------------------------------------------------- fetch log

    def fetch_state(self, url: str) -> FetchState | None:
        """The last fetch of ``url`` (canonicalised), or None if never fetched."""
        row = self._conn.execute(
            "SELECT * FROM fetch_log WHERE url = ?", (canonicalize(url),)
        ).fetchone()
        if row is None:
            return None
        return FetchState(
            url=row["url"],
            status=row["status"],
            outcome=row["outcome"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            content_hash=row["content_hash"],
            body=row["body"],
            fetched_at=row["fetched_at"],
        )

    def log_fetch(
        self,
        url: str,
        *,
        source: str,
        status: int | None,
        outcome: str,
        etag: str | None = None,
        last_modified: str | None = None,
        content_hash: str | None = None,
        body: bytes | None = None,
        error: str | None = None,
        keep_validators: bool = False,
    ) -> None:
        """Record one fetch. ``keep_validators`` (after a 304) keeps the stored ETag and body."""
        with self._conn:
            if keep_validators:
                self._conn.execute(
                    "UPDATE fetch_log SET status = ?, outcome = ?, error = ?, fetched_at = ? "
                    "WHERE url = ?",
                    (status, outcome, error, _now(), canonicalize(url)),
                )
                return
            self._write_fetch(
                FetchRecord(url, status, etag, last_modified),
                source=source,
                outcome=outcome,
                content_hash=content_hash,
                body=body,
                error=error,
            )

    def _write_fetch(
        self,
        fetch: FetchRecord,
        *,
        source: str,
        outcome: str,
        content_hash: str | None = None,
        body: bytes | None = None,
        error: str | None = None,
    ) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO fetch_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                canonicalize(fetch.url),
                source,
                fetch.status,
                outcome,
                fetch.etag,
                fetch.last_modified,
                content_hash,
                body,
                error,
                _now(),
            ),
        )

    def fetch_log(self, *, source: str | None = None) -> list[FetchState]:
        """Every logged URL (for ``sources check`` and tests)."""
        sql = "SELECT * FROM fetch_log"
        params: tuple[str, ...] = ()
        if source is not None:
            sql += " WHERE source = ?"
            params = (source,)
        return [
            FetchState(
                url=r["url"],
                status=r["status"],
                outcome=r["outcome"],
                etag=r["etag"],
                last_modified=r["last_modified"],
                content_hash=r["content_hash"],
                body=r["body"],
                fetched_at=r["fetched_at"],
            )
            for r in self._conn.execute(sql + " ORDER BY url", params)
        ]

    # -------------------------------------------------------------- source health

    def record_health(
        self,
        source: str,
        counts: Mapping[str, int],
        *,
        http_403: int = 0,
        selector_misses: int = 0,
        problem: str | None = None,
    ) -> SourceHealth:
        """Fold one run's counts into the source's health record and return it."""
        now = _now()
        stored = counts.get("new", 0) + counts.get("updated", 0)
        alive = stored + counts.get("unchanged", 0) > 0
        with self._conn:
            self._conn.execute("INSERT OR IGNORE INTO source_health (source) VALUES (?)", (source,))
            self._conn.execute(
                "UPDATE source_health SET last_run = ?, runs = runs + 1, last_counts = ?, "
                "last_success = CASE WHEN ? THEN ? ELSE last_success END, "
                "last_new = CASE WHEN ? THEN ? ELSE last_new END, "
                "empty_runs = CASE WHEN ? THEN 0 ELSE empty_runs + 1 END, "
                "http_403 = http_403 + ?, empty_extractions = empty_extractions + ?, "
                "selector_misses = selector_misses + ?, "
                "last_problem = COALESCE(?, last_problem) WHERE source = ?",
                (
                    now,
                    json.dumps(dict(counts), sort_keys=True),
                    alive,
                    now,
                    stored > 0,
                    now,
                    alive,
                    http_403,
                    counts.get("empty", 0) + counts.get("js_shell", 0),
                    selector_misses,
                    problem,
                    source,
                ),
            )
        health = self.health(source)
        assert health  # just written
        return health[0]

    def health(self, source: str | None = None) -> list[SourceHealth]:
        """Health records, one per source that has been crawled."""
        sql = "SELECT * FROM source_health"
        params: tuple[str, ...] = ()
        if source is not None:
            sql += " WHERE source = ?"
            params = (source,)
        return [
            SourceHealth(
                source=r["source"],
                last_run=r["last_run"],
                last_success=r["last_success"],
                last_new=r["last_new"],
                runs=r["runs"],
                empty_runs=r["empty_runs"],
                last_counts=json.loads(r["last_counts"] or "{}"),
                http_403=r["http_403"],
                empty_extractions=r["empty_extractions"],
                selector_misses=r["selector_misses"],
                last_problem=r["last_problem"],
            )
            for r in self._conn.execute(sql + " ORDER BY source", params)
        ]

    # -------------------------------------------------------------- predictions

    def save_predictions(self, predictions: Iterable[Prediction], *, model_version: str) -> int:
        """Store predictions under ``model_version``; re-saving an article's replaces it."""
        if not model_version:
            raise InputError("save_predictions", "model_version must be a non-empty string")
        now = _now()
        rows = []
        for p in predictions:
            data = p.to_dict()
            data["model_version"] = model_version
            rows.append(
                (
                    p.article_id,
                    model_version,
                    p.status,
                    p.artifact_type,
                    p.confidence,
                    json.dumps(data, ensure_ascii=False),
                    now,
                )
            )
        with self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO predictions VALUES (?, ?, ?, ?, ?, ?, ?)", rows
            )
        return len(rows)

    def model_versions(self) -> list[str]:
        """Model versions with stored predictions, least recently saved first (last = latest)."""
        rows = self._conn.execute(
            "SELECT model_version, MAX(rowid) AS last FROM predictions "
            "GROUP BY model_version ORDER BY last"
        )
        return [r[0] for r in rows]

    def articles_without_prediction(self, model_version: str) -> Iterator[Article]:
        """Articles not yet classified by ``model_version`` (what a batch run still owes)."""
        rows = self._in_order(
            f"SELECT {_ARTICLE_COLUMNS}",
            "articles a",
            "NOT EXISTS (SELECT 1 FROM predictions p "
            "WHERE p.article_id = a.id AND p.model_version = ?)",
            [model_version],
            prefix="a.",
        )
        for row in rows:
            yield _article(row)

    def predictions(
        self, *, model_version: str | None = None
    ) -> Iterator[tuple[Article, Prediction]]:
        """(article, prediction) pairs of one model version; None = the latest saved.

        Predictions whose article is not in the store are skipped.
        """
        if model_version is None:
            versions = self.model_versions()
            if not versions:
                return
            model_version = versions[-1]
        rows = self._in_order(
            f"SELECT {', '.join('a.' + c.strip() for c in _ARTICLE_COLUMNS.split(','))}, "
            "p.data AS prediction",
            "predictions p JOIN articles a ON a.id = p.article_id",
            "p.model_version = ?",
            [model_version],
            prefix="a.",
        )
        for row in rows:
            yield _article(row), Prediction.from_dict(json.loads(row["prediction"]))

    # -------------------------------------------------------------- ledger

    def save_ledger(self, ledger: Ledger, *, model_version: str) -> int:
        """Store ``ledger`` as the one built from ``model_version``'s labels; return its size.

        The previous ledger of that version is replaced in the same transaction.
        """
        if not model_version:
            raise InputError("save_ledger", "model_version must be a non-empty string")
        data = ledger.to_dict()
        now = _now()
        rows = [
            (
                model_version,
                e["artifact_id"],
                e["name"],
                e["current_stage"],
                json.dumps(e, ensure_ascii=False),
                now,
            )
            for e in data["entries"]
        ]
        with self._conn:
            self._conn.execute(
                "DELETE FROM ledger_entries WHERE model_version = ?", (model_version,)
            )
            self._conn.executemany("INSERT INTO ledger_entries VALUES (?, ?, ?, ?, ?, ?)", rows)
            self._conn.execute(
                "INSERT OR REPLACE INTO ledger_state (model_version, next_id, read, saved_at, "
                "pending) VALUES (?, ?, ?, ?, ?)",
                (
                    model_version,
                    data["next_id"],
                    json.dumps(data["read"]),
                    now,
                    json.dumps(data["pending"]),
                ),
            )
        return len(rows)

    def ledger(self, *, model_version: str | None = None) -> Ledger | None:
        """The ledger saved for ``model_version`` (None = the latest saved), or None."""
        from .ledger import Ledger

        if model_version is None:
            row = self._conn.execute(
                "SELECT model_version FROM ledger_state ORDER BY saved_at DESC, rowid DESC"
            ).fetchone()
            if row is None:
                return None
            model_version = row[0]
        state = self._conn.execute(
            "SELECT next_id, read, pending FROM ledger_state WHERE model_version = ?",
            (model_version,),
        ).fetchone()
        if state is None:
            return None
        entries = [
            json.loads(r[0])
            for r in self._conn.execute(
                "SELECT data FROM ledger_entries WHERE model_version = ? "
                "ORDER BY length(artifact_id), artifact_id",
                (model_version,),
            )
        ]
        return Ledger.from_dict(
            {
                "next_id": state[0],
                "read": json.loads(state[1]),
                "pending": json.loads(state[2]),
                "entries": entries,
            },
            where=f"{self.path} (ledger)",
        )

    # -------------------------------------------------------------- reviews

    def save_review(self, review: Review) -> Review:
        """Store a person's labels for a document; returns it with its id and time.

        Labels are checked like a prediction's (an artifact needs a type, only an
        artifact has one, domains from the codebook). Earlier reviews stay.
        """
        if not review.reviewer.strip():
            raise InputError("review", "reviewer must be a non-empty name")
        labels = _labels(review.labels.status, review.labels.artifact_type, review.labels.domains)
        model = review.model_labels
        if model is not None:
            model = _labels(model.status, model.artifact_type, model.domains)
        at = review.reviewed_at or _now()
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO reviews (article_id, reviewer, reviewed_at, model_version, "
                "model_labels, status, artifact_type, domains, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    review.article_id,
                    review.reviewer.strip(),
                    at,
                    review.model_version,
                    None if model is None else json.dumps(model.to_dict()),
                    labels.status,
                    labels.artifact_type,
                    json.dumps(list(labels.domains)),
                    review.note or None,
                ),
            )
        row_id = cur.lastrowid
        assert row_id is not None
        saved = self.review(row_id)
        assert saved is not None
        return saved

    def review(self, review_id: int) -> Review | None:
        """One review by id (undone or not), or None."""
        row = self._conn.execute("SELECT * FROM reviews WHERE id = ?", (review_id,)).fetchone()
        return None if row is None else _review(row)

    def reviews(
        self,
        *,
        article_id: str | None = None,
        reviewer: str | None = None,
        include_undone: bool = False,
    ) -> list[Review]:
        """Reviews, oldest first; undone ones only when asked."""
        sql = "SELECT * FROM reviews WHERE 1 = 1"
        params: list[Any] = []
        if article_id is not None:
            sql += " AND article_id = ?"
            params.append(article_id)
        if reviewer is not None:
            sql += " AND reviewer = ?"
            params.append(reviewer)
        if not include_undone:
            sql += " AND undone_at IS NULL"
        rows = self._conn.execute(sql + " ORDER BY id", params).fetchall()
        return [_review(r) for r in rows]

    def undo_review(self, *, reviewer: str, review_id: int | None = None) -> Review | None:
        """Mark ``reviewer``'s last live review (or ``review_id``) undone; returns it, or None.

        The row stays in the table with its ``undone_at`` time: nothing is deleted.
        """
        sql = "SELECT * FROM reviews WHERE reviewer = ? AND undone_at IS NULL"
        params: list[Any] = [reviewer]
        if review_id is not None:
            sql += " AND id = ?"
            params.append(review_id)
        row = self._conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        if row is None:
            return None
        now = _now()
        with self._conn:
            self._conn.execute("UPDATE reviews SET undone_at = ? WHERE id = ?", (now, row["id"]))
        return self.review(int(row["id"]))

    def reviewed_predictions(
        self, *, model_version: str | None = None
    ) -> Iterator[tuple[Article, Prediction, bool]]:
        """:meth:`predictions`, with a person's labels in place of the model's where a live
        review exists: ``(article, prediction, reviewed)``.

        The model's probabilities and evidence stay as they were (they say what the model
        thought); status, type and domains are the reviewer's, and ``needs_review`` is off.
        What the report and the ledger count.
        """
        reviewed = self.reviewed_labels()
        for article, prediction in self.predictions(model_version=model_version):
            labels = reviewed.get(article.id)
            if labels is None:
                yield article, prediction, False
                continue
            yield (
                article,
                dataclasses.replace(
                    prediction,
                    status=labels.status,
                    artifact_type=labels.artifact_type,
                    domains=tuple(labels.domains),
                    needs_review=False,
                ),
                True,
            )

    def reviewed_labels(self) -> dict[str, ReviewedLabels]:
        """Article id -> the labels of its latest live review.

        This is what the report and the ledger use in place of the model's call
        where a person has looked; ``len()`` of it is how many were reviewed.
        """
        return {r.article_id: r.labels for r in self.latest_reviews()}

    def latest_reviews(self) -> list[Review]:
        """The latest live review of each reviewed document, oldest first."""
        rows = self._conn.execute(
            "SELECT * FROM reviews WHERE id IN (SELECT MAX(id) FROM reviews "
            "WHERE undone_at IS NULL GROUP BY article_id) ORDER BY id"
        ).fetchall()
        return [_review(r) for r in rows]

    def prediction(self, article_id: str, *, model_version: str | None = None) -> Prediction | None:
        """One article's prediction by ``model_version`` (None = the latest saved for it)."""
        sql = "SELECT data FROM predictions WHERE article_id = ?"
        params: list[Any] = [article_id]
        if model_version is not None:
            sql += " AND model_version = ?"
            params.append(model_version)
        row = self._conn.execute(sql + " ORDER BY rowid DESC LIMIT 1", params).fetchone()
        return None if row is None else Prediction.from_dict(json.loads(row["data"]))


# ------------------------------------------------------------------ export

ExportFormat = Literal["jsonl", "csv", "parquet"]
_EXPORT_FIELDS = (
    "id",
    "url",
    "source",
    "kind",
    "title",
    "published",
    "published_raw",
    "language",
    "first_seen",
    "last_seen",
    "revisions",
    "aliases",
    "content_hash",
    "text",
)


def _export_rows(store: Store, since: date | None) -> Iterator[dict[str, Any]]:
    for article in store.articles(since=since):
        info = store.info(article.id)
        assert info is not None
        yield {
            "id": article.id,
            "url": article.url,
            "source": article.source,
            "kind": info.kind,
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "published_raw": info.published_raw,
            "language": article.language,
            "first_seen": info.first_seen,
            "last_seen": info.last_seen,
            "revisions": info.revisions,
            "aliases": list(info.aliases),
            "content_hash": article.content_hash,
            "text": article.text,
        }


def export_articles(
    store: Store,
    fmt: ExportFormat,
    *,
    output: Path | None = None,
    since: date | None = None,
    stream: TextIO | None = None,
) -> int:
    """Write the store's articles as JSON Lines, CSV or Parquet; returns the count.

    JSON Lines and CSV go to ``output`` or, without one, to ``stream``
    (stdout by default); Parquet needs a file.
    """
    rows = _export_rows(store, since)
    if fmt == "parquet":
        if output is None:
            raise InputError("export", "Parquet is binary: give an output file with -o FILE")
        return _write_parquet(rows, output)
    handle: TextIO
    if output is not None:
        handle = output.open("w", encoding="utf-8", newline="")
    else:
        handle = stream or sys.stdout
    count = 0
    try:
        if fmt == "jsonl":
            for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is the result
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            writer = csv.DictWriter(handle, fieldnames=_EXPORT_FIELDS)
            writer.writeheader()
            for count, row in enumerate(rows, start=1):  # noqa: B007
                writer.writerow({**row, "aliases": " ".join(row["aliases"])})
        else:
            raise InputError("export", f"unknown format {fmt!r}; use jsonl, csv or parquet")
    finally:
        if output is not None:
            handle.close()
    return count


def _write_parquet(rows: Iterator[dict[str, Any]], output: Path) -> int:
    """Rows to Parquet, :data:`READ_CHUNK` per row group, so memory holds one group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def arrow_type(name: str) -> Any:
        if name == "aliases":
            return pa.list_(pa.string())
        if name == "revisions":
            return pa.int64()
        if name == "published":
            return pa.date32()
        return pa.string()

    schema = pa.schema([(name, arrow_type(name)) for name in _EXPORT_FIELDS])
    count = 0
    with pq.ParquetWriter(str(output), schema) as writer:
        while chunk := list(islice(rows, READ_CHUNK)):
            for row in chunk:
                row["published"] = (
                    date.fromisoformat(row["published"]) if row["published"] else None
                )
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count
