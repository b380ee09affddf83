"""The SQLite store: keys, dedup, revisions, schema versions, predictions, export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from naio_nlp.errors import ConfigError
from naio_nlp.extract import ExtractedPage
from naio_nlp.schema import Article, Prediction
from naio_nlp.store import SCHEMA_VERSION, FetchRecord, Store, export_articles
from naio_nlp.urls import article_id


def _page(
    text: str = "Teks siaran media yang cukup panjang.", title: str = "Tajuk"
) -> ExtractedPage:
    return ExtractedPage(title, text, date(2025, 3, 5), "5 Mac 2025", "ms", False, ())


def _prediction(aid: str, status: str = "symbolic") -> Prediction:
    others = {"artifact": 0.1, "symbolic": 0.1, "unrelated": 0.1}
    others[status] = 0.8
    return Prediction(
        article_id=aid,
        status=status,
        artifact_type="action_plan" if status == "artifact" else None,
        domains=("talent",),
        status_probs=others,
    )


def test_keyed_by_canonical_url_with_sha_id(store: Store) -> None:
    aid, outcome = store.save_page(_page(), url="HTTPS://Gov.MY/a/?utm_source=x", source="kd")
    assert outcome == "new" and aid == article_id("https://gov.my/a")
    assert store.save_page(_page(), url="https://gov.my/a", source="kd") == (aid, "unchanged")
    (article,) = store.articles()
    assert article.source == "kd" and article.url == "https://gov.my/a"
    assert article.published == date(2025, 3, 5) and article.language == "ms"


def test_same_content_under_two_urls_is_stored_once_and_linked(store: Store) -> None:
    first, _ = store.save_page(_page(), url="https://gov.my/siaran/a", source="kd")
    again, outcome = store.save_page(_page(), url="https://gov.my/arkib/a", source="kd")
    assert (again, outcome) == (first, "duplicate")
    assert store.count() == 1
    assert store.aliases(first) == ["https://gov.my/arkib/a"]
    assert store.article_for_url("https://gov.my/arkib/a/") is not None


def test_changed_page_keeps_its_earlier_revision(store: Store) -> None:
    aid, _ = store.save_page(_page("Versi pertama teks."), url="https://gov.my/a", source="kd")
    assert store.save_page(_page("Versi kedua teks."), url="https://gov.my/a", source="kd") == (
        aid,
        "updated",
    )
    info = store.info(aid)
    assert info is not None and info.revisions == 2
    (old,) = store.revisions(aid)
    assert old.text == "Versi pertama teks." and old.revision == 1
    assert store.article(aid) is not None and store.article(aid).text == "Versi kedua teks."  # type: ignore[union-attr]
    assert info.first_seen <= info.last_seen


def test_article_and_fetch_log_are_one_transaction(store: Store) -> None:
    store.save_page(
        _page(),
        url="https://gov.my/a",
        source="kd",
        fetch=FetchRecord("https://gov.my/a", 200, '"e1"'),
    )
    state = store.fetch_state("https://gov.my/a")
    assert state is not None and state.etag == '"e1"' and state.outcome == "new"


def test_wal_mode_and_reopen(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        s.save_page(_page(), url="https://gov.my/a", source="kd")
    with Store(tmp_path / "s.db") as s:
        assert s.count() == 1
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused_and_foreign_files_too(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    conn.close()
    with pytest.raises(ConfigError, match="newer naio-nlp"):
        Store(path)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(ConfigError, match="not written by naio-nlp"):
        Store(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ConfigError, match="not a naio-nlp store"):
        Store(junk)


def test_predictions_by_model_version(store: Store) -> None:
    a, _ = store.save_page(_page("Satu dua tiga."), url="https://gov.my/a", source="kd")
    b, _ = store.save_page(_page("Empat lima enam."), url="https://gov.my/b", source="kd")
    assert store.save_predictions([_prediction(a)], model_version="v1") == 1
    assert [x.id for x in store.articles_without_prediction("v1")] == [b]
    store.save_predictions([_prediction(a, "artifact"), _prediction(b)], model_version="v2")
    store.save_predictions([_prediction(a, "unrelated")], model_version="v2")  # replaces
    assert store.model_versions() == ["v1", "v2"]
    latest = {art.id: pred for art, pred in store.predictions()}
    assert latest[a].status == "unrelated" and latest[a].model_version == "v2"
    assert len(latest) == 2
    (only,) = store.predictions(model_version="v1")
    assert only[1].status == "symbolic"
    row = store._conn.execute(
        "SELECT status, confidence FROM predictions WHERE article_id = ? AND model_version = 'v2'",
        (a,),
    ).fetchone()
    assert tuple(row) == ("unrelated", 0.8)
    assert list(store.articles_without_prediction("v2")) == []


def test_articles_filters_and_upsert(store: Store) -> None:
    store.save_page(_page("Lama."), url="https://gov.my/old", source="kd")
    store.upsert_article(
        Article(id="given-1", text="Baru.", source="news", published=date(2026, 1, 2))
    )
    assert [a.id for a in store.articles(since=date(2026, 1, 1))] == ["given-1"]
    assert [a.source for a in store.articles(source="kd")] == ["kd"]


def test_export_formats(store: Store, tmp_path: Path) -> None:
    aid, _ = store.save_page(_page(), url="https://gov.my/a", source="kd")
    store.save_page(_page(), url="https://gov.my/b", source="kd")
    buffer = io.StringIO()
    assert export_articles(store, "jsonl", stream=buffer) == 1
    row = json.loads(buffer.getvalue())
    assert row["id"] == aid and row["aliases"] == ["https://gov.my/b"] and row["kind"] == "html"
    out = tmp_path / "a.csv"
    export_articles(store, "csv", output=out)
    with out.open(encoding="utf-8") as handle:
        (record,) = csv.DictReader(handle)
    assert record["published"] == "2025-03-05" and record["published_raw"] == "5 Mac 2025"
    import pyarrow.parquet as pq

    export_articles(store, "parquet", output=tmp_path / "a.parquet")
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.num_rows == 1 and table.column("published")[0].as_py() == date(2025, 3, 5)
    assert export_articles(store, "jsonl", stream=io.StringIO(), since=date(2030, 1, 1)) == 0
