"""The store reads in bounded chunks, in order, and writes between chunks lose nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import naio_nlp.store as store_module
from naio_nlp.schema import Article, Prediction
from naio_nlp.store import Store, export_articles


def _fill(store: Store, n: int) -> list[str]:
    ids = []
    for i in range(n):
        # dates repeat and some are missing, so the order key has ties broken by id
        published = date(2025, 1 + i % 12, 1 + i % 28) if i % 5 else None
        a = Article(id=f"a{i:05d}", text=f"Teks {i}.", title=f"T{i}", published=published)
        store.upsert_article(a)
        ids.append(a.id)
    return ids


def _prediction(aid: str) -> Prediction:
    return Prediction(
        article_id=aid,
        status="unrelated",
        artifact_type=None,
        domains=(),
        status_probs={"artifact": 0.1, "symbolic": 0.1, "unrelated": 0.8},
    )


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "READ_CHUNK", 7)


def test_chunked_reads_match_one_query(tmp_path: Path, small_chunks: None) -> None:
    with Store(tmp_path / "s.db") as store:
        _fill(store, 123)
        got = [a.id for a in store.articles()]
        one_query = [
            r[0]
            for r in store._conn.execute(
                "SELECT id FROM articles "
                "ORDER BY COALESCE(published, substr(first_seen, 1, 10)), id"
            )
        ]
        assert got == one_query and len(got) == 123
        since = date(2025, 6, 1)
        assert [a.id for a in store.articles(since=since)] == [
            a.id for a in store.articles() if a.published is None or a.published >= since
        ]


def test_saving_predictions_while_reading_skips_and_repeats_nothing(
    tmp_path: Path, small_chunks: None
) -> None:
    with Store(tmp_path / "s.db") as store:
        ids = _fill(store, 100)
        seen = []
        for article in store.articles_without_prediction("m1"):
            seen.append(article.id)
            store.save_predictions([_prediction(article.id)], model_version="m1")
        assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
        assert list(store.articles_without_prediction("m1")) == []
        pairs = list(store.predictions(model_version="m1"))
        assert [a.id for a, _ in pairs] == [a.id for a in store.articles()]


def test_article_order_comes_from_the_index_not_a_sort(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        _fill(store, 10)
        plan = " ".join(
            str(row[-1])
            for row in store._conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM articles "
                "WHERE (COALESCE(published, substr(first_seen, 1, 10)), id) > ('2025', '') "
                "ORDER BY COALESCE(published, substr(first_seen, 1, 10)), id LIMIT 10"
            )
        )
        assert "articles_order" in plan
        assert "TEMP B-TREE" not in plan


def test_export_streams_every_row(tmp_path: Path, small_chunks: None) -> None:
    import pyarrow.parquet as pq

    with Store(tmp_path / "s.db") as store:
        ids = _fill(store, 50)
        out = tmp_path / "a.parquet"
        assert export_articles(store, "parquet", output=out) == 50
        assert sorted(pq.read_table(out).column("id").to_pylist()) == sorted(ids)
        assert export_articles(store, "jsonl", output=tmp_path / "a.jsonl") == 50
        assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == 50
