"""``naio-nlp report --db FILE --out DIR``: reads the store, picks the model version, writes."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from naio_nlp.schema import Article, Prediction
from naio_nlp.store import Store

Rows = list[tuple[Article, Prediction]]
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def db(tmp_path: Path, make_rows: Callable[..., Rows]) -> tuple[Path, Rows, Rows]:
    """A store with 40 articles: all labelled by v1, the first 25 relabelled by v2."""
    path = tmp_path / "naio.db"
    rows = make_rows(40, seed=11)
    v2 = [(a, dataclasses.replace(p, model_version="v2")) for a, p in rows[:25]]
    with Store(path) as store:
        for article, _ in rows:
            store.upsert_article(article)
        store.save_predictions([p for _, p in rows], model_version="v1")
        store.save_predictions([p for _, p in v2], model_version="v2")
    return path, rows, v2


def artifact_rows(out: Path) -> list[dict[str, str]]:
    with (out / "artifacts.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_report_uses_the_latest_model_version(
    cli: Cli, tmp_path: Path, db: tuple[Path, Rows, Rows]
) -> None:
    path, _, v2 = db
    out = tmp_path / "report"
    code, stdout, stderr = cli("report", "--db", str(path), "--out", str(out))
    assert code == 0, stderr
    assert stdout.strip() == str(out / "index.html")
    want = sum(p.status == "artifact" for _, p in v2)
    assert len(artifact_rows(out)) == want
    assert {r["model_version"] for r in artifact_rows(out)} <= {"v2"}
    naio = sum(p.status != "unrelated" for _, p in v2)
    assert f"{want} of {naio} NAIO-related" in stderr


def test_report_of_an_older_model_version(
    cli: Cli, tmp_path: Path, db: tuple[Path, Rows, Rows]
) -> None:
    path, rows, _ = db
    out = tmp_path / "v1"
    code, _, stderr = cli("report", "--db", str(path), "--out", str(out), "--model-version", "v1")
    assert code == 0, stderr
    assert len(artifact_rows(out)) == sum(p.status == "artifact" for _, p in rows)
    assert "v1" in (out / "index.html").read_text(encoding="utf-8")


def test_unknown_model_version_is_an_error(
    cli: Cli, tmp_path: Path, db: tuple[Path, Rows, Rows]
) -> None:
    path, _, _ = db
    code, _, stderr = cli(
        "report", "--db", str(path), "--out", str(tmp_path / "x"), "--model-version", "v9"
    )
    assert code == 1
    assert "v9" in stderr and "v1" in stderr and "v2" in stderr


def test_model_card_is_shown(cli: Cli, tmp_path: Path, db: tuple[Path, Rows, Rows]) -> None:
    path, _, _ = db
    model = tmp_path / "model"
    model.mkdir()
    card = {"name": "naio-clf", "version": "v2", "metrics": {"status_macro_f1": 0.8125}}
    (model / "model-card.json").write_text(json.dumps(card), encoding="utf-8")
    out = tmp_path / "r"
    code, _, stderr = cli("report", "--db", str(path), "--out", str(out), "--model", str(model))
    assert code == 0, stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "naio-clf" in page and "metrics.status_macro_f1" in page and "0.812" in page


def test_missing_model_card_is_an_error(
    cli: Cli, tmp_path: Path, db: tuple[Path, Rows, Rows]
) -> None:
    path, _, _ = db
    code, _, stderr = cli(
        "report", "--db", str(path), "--out", str(tmp_path / "r"), "--model", str(tmp_path)
    )
    assert code == 1 and "model-card.json" in stderr


def test_empty_database_gives_a_nothing_yet_report(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    with Store(path):
        pass
    out = tmp_path / "report"
    code, _, stderr = cli("report", "--db", str(path), "--out", str(out))
    assert code == 0, stderr
    assert "Nothing to report yet" in (out / "index.html").read_text(encoding="utf-8")
    assert "Nothing to report yet" in stderr


def test_missing_database_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    code, _, stderr = cli("report", "--db", str(tmp_path / "nope.db"), "--out", str(tmp_path))
    assert code == 2 and "nope.db" in stderr


def test_run_takes_the_crawl_settings_file_like_crawl(cli, tmp_path: Path) -> None:
    bad = tmp_path / "settings.toml"
    bad.write_text("[crawl]\ncontact_email = 'x'\n", encoding="utf-8")
    code, _, err = cli("run", "--config", str(bad), "--db", str(tmp_path / "s.db"))
    assert code != 0
    assert str(bad) in err and "contact_email" in err
    assert not (tmp_path / "s.db").exists()  # refused before anything was crawled


def test_the_shipped_models_card_is_shown_for_its_own_labels(
    cli: Cli, tmp_path: Path, make_rows: Callable[..., Rows]
) -> None:
    """Without --model the report shows the shipped model's card, but only for its labels."""
    from naio_nlp.classifier import default_model_path

    card = json.loads((default_model_path() / "model-card.json").read_text(encoding="utf-8"))
    shipped = card["model_version"]
    rows = make_rows(12, seed=5)
    path = tmp_path / "naio.db"
    with Store(path) as store:
        for article, _ in rows:
            store.upsert_article(article)
        store.save_predictions(
            [dataclasses.replace(p, model_version=shipped) for _, p in rows],
            model_version=shipped,
        )
        store.save_predictions([p for _, p in rows], model_version="other-1")
    trained = str(card["training_data"]["hash"])[:16]  # shown in the model block

    code, _, stderr = cli("report", "--db", str(path), "--out", str(tmp_path / "a"))
    assert code == 0, stderr
    assert trained not in (tmp_path / "a" / "index.html").read_text(encoding="utf-8")

    code, _, stderr = cli(
        "report", "--db", str(path), "--out", str(tmp_path / "b"), "--model-version", shipped
    )
    assert code == 0, stderr
    assert trained in (tmp_path / "b" / "index.html").read_text(encoding="utf-8")


def test_an_empty_file_is_no_store_and_is_left_alone(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "zero.db"
    empty.touch()
    code, _, stderr = cli("report", "--db", str(empty), "--out", str(tmp_path / "r"))
    assert code == 1
    assert "zero.db: an empty file, not a naio-nlp store" in " ".join(stderr.split())
    assert empty.stat().st_size == 0


def test_report_from_article_files_without_a_store(cli: Cli, tmp_path: Path) -> None:
    # an analyst's own export: labelled by the shipped model, linked, reported; no store
    records = [
        {
            "id": "a1",
            "title": "NAIO releases AI Technology Action Plan 2026-2030",
            "text": "PUTRAJAYA, 18 November 2025 — The National AI Office (NAIO) today released "
            "the AI Technology Action Plan 2026-2030, with 42 initiatives across six thrusts "
            "and a RM1.2 billion allocation, together with the Ministry of Digital.",
            "date": "2025-11-18",
            "url": "https://example.org/a1",
        },
        {
            "id": "a2",
            "title": "Pelan Tindakan Teknologi AI 2026-2030 dilancarkan",
            "text": "KUALA LUMPUR, 19 November 2025 — Pejabat Kecerdasan Buatan Negara (NAIO) "
            "melancarkan Pelan Tindakan Teknologi AI 2026-2030 yang mengandungi 42 inisiatif "
            "dengan peruntukan RM1.2 bilion bersama Kementerian Digital.",
            "date": "2025-11-19",
        },
        {"id": "a3", "text": "Padi farmers in Kedah began harvesting early this season."},
    ]
    src = tmp_path / "articles.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    out = tmp_path / "report"
    code, stdout, stderr = cli("report", str(src), "--out", str(out))
    assert code == 0, stderr
    assert stdout.strip() == str(out / "index.html")
    assert "1 distinct output" in stderr
    ledger = json.loads((out / "ledger.json").read_text(encoding="utf-8"))
    assert [sorted(e["article_ids"]) for e in ledger["entries"]] == [["a1", "a2"]]
    assert {r["article_id"] for r in artifact_rows(out)} == {"a1", "a2"}
    assert not (tmp_path / "naio.db").exists()  # nothing stored


def test_report_takes_a_store_or_files_and_says_what_is_wrong(
    cli: Cli, tmp_path: Path, db: tuple[Path, Rows, Rows]
) -> None:
    path, _, _ = db
    out = tmp_path / "report"
    code, _, stderr = cli("report", "--out", str(out))
    assert code == 2 and "either --db or article files" in stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    code, _, stderr = cli("report", str(empty), "--db", str(path), "--out", str(out))
    assert code == 2 and "not both" in stderr
    code, _, stderr = cli("report", str(empty), "--model-version", "v1", "--out", str(out))
    assert code == 2 and "--model-version" in stderr
    code, _, stderr = cli("report", str(empty), "--out", str(out))
    assert code == 1
    assert "empty.jsonl" in stderr and "not written" in stderr
    assert not out.exists()
    # --strict: a bad row is skipped, the report written, and the run fails
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text('{"id": "a", "text": "NAIO launched a plan."}\nnot json\n', "utf-8")
    code, stdout, stderr = cli("report", str(mixed), "--out", str(out), "--strict")
    assert code == 1
    assert "mixed.jsonl:2" in stderr and "--strict: 1 input problem; exit 1" in stderr
    assert stdout.strip() == str(out / "index.html") and (out / "index.html").is_file()
