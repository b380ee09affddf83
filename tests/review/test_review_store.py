"""Reviews in the store, their export to the corpus, and training reading them."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from naio_nlp.cli._corpus_path import training_files
from naio_nlp.corpus import read_corpus, validate_corpus
from naio_nlp.errors import InputError, InvalidFieldError
from naio_nlp.review.export import export_reviewed
from naio_nlp.store import SCHEMA_VERSION, Review, ReviewedLabels, Store

ART = ReviewedLabels("artifact", "public_guidance", ("safety",))


def test_reviews_are_added_never_replaced(review_db: tuple[Path, list[str]]) -> None:
    db, _ = review_db
    with Store(db) as store:
        first = store.save_review(Review("a01", "aisyah", ART, note="clear release"))
        second = store.save_review(Review("a01", "ben", ReviewedLabels("symbolic", None, ())))
        assert first.id is not None and second.id is not None and first.id < second.id
        assert [r.reviewer for r in store.reviews(article_id="a01")] == ["aisyah", "ben"]
        assert store.reviewed_labels() == {"a01": ReviewedLabels("symbolic", None, ())}
        # undo is per reviewer and keeps the row
        undone = store.undo_review(reviewer="ben")
        assert undone is not None and undone.undone_at is not None
        assert store.reviewed_labels() == {"a01": ART}
        assert len(store.reviews(include_undone=True)) == 2
        assert store.undo_review(reviewer="nobody") is None
        assert store.prediction("a01") is not None  # the model's call is still there
    with Store(db) as store:  # reopened: same rows, table not recreated
        assert [r.note for r in store.reviews()] == ["clear release"]


def test_bad_reviews_are_refused(review_db: tuple[Path, list[str]]) -> None:
    db, _ = review_db
    with Store(db) as store:
        with pytest.raises(InvalidFieldError, match="artifact_type"):
            store.save_review(Review("a01", "x", ReviewedLabels("artifact", None, ())))
        with pytest.raises(InvalidFieldError, match="domains"):
            store.save_review(Review("a01", "x", ReviewedLabels("symbolic", None, ("ai",))))
        with pytest.raises(InputError, match="reviewer"):
            store.save_review(Review("a01", " ", ART))
        assert store.reviews(include_undone=True) == []


def test_an_older_store_gains_the_table_without_a_version_bump(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store(db):
        pass
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE reviews")
    conn.commit()
    conn.close()
    with Store(db) as store:
        store.save_review(Review("x", "aisyah", ART))
        assert len(store.reviews()) == 1
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_export_validate_and_train_files(
    review_db: tuple[Path, list[str]], tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    db, _ = review_db
    with Store(db) as store:
        store.save_review(Review("a02", "aisyah", ART, model_version="m"))
        store.save_review(Review("corpus:b1-0001", "aisyah", ReviewedLabels("symbolic", None, ())))
        summary = export_reviewed(store, tmp_path / "corpus" / "reviewed.jsonl")
    assert summary.written == 1
    assert [r.article_id for r in summary.corpus_corrections] == ["corpus:b1-0001"]
    (record,) = read_corpus(tmp_path / "corpus" / "reviewed.jsonl")
    assert record.id == "rv_berita-a02" and record.group == "rv_berita"
    assert record.lang == "ms" and record.status == "artifact"
    assert record.provenance is not None and record.provenance["reviewer"] == "aisyah"
    # train picks reviewed.jsonl up beside train.jsonl
    (tmp_path / "corpus" / "train.jsonl").write_text("", encoding="utf-8")
    files, _ = training_files(tmp_path / "corpus")
    assert [f.name for f in files] == ["train.jsonl", "reviewed.jsonl"]
    # validate names a broken provenance field
    bad = json.loads((tmp_path / "corpus" / "reviewed.jsonl").read_text(encoding="utf-8"))
    bad["provenance"] = {"url": "https://x", "reviewer": "", "reviewed_at": "t", "colour": 1}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    report = validate_corpus(path)
    messages = [str(e) for e in report.errors]
    assert any("unknown key 'colour'" in m for m in messages), messages
    assert any("'reviewer' must be a non-empty string" in m for m in messages), messages
    code, _, err = cli("corpus", "add-reviewed", "--db", str(db), "-o", str(path), "--genre", "x")
    assert code == 1 and "'x' is not one of" in err


def test_report_and_ledger_use_reviewed_labels_and_say_how_many(
    review_db: tuple[Path, list[str]], tmp_path: Path
) -> None:
    from naio_nlp.report import build_report
    from naio_nlp.runner import update_ledger

    db, ids = review_db
    with Store(db) as store:
        version = store.model_versions()[-1]
        before = {a.id: p for a, p in store.predictions(model_version=version)}
        target = next(i for i in ids if before[i].status != "artifact")
        store.save_review(Review(target, "aisyah", ART))
        triples = list(store.reviewed_predictions(model_version=version))
        changed = [(a, p) for a, p, reviewed in triples if reviewed]
        assert [a.id for a, _ in changed] == [target]
        _, p = changed[0]
        assert (p.status, p.artifact_type, p.domains) == (
            "artifact",
            "public_guidance",
            ("safety",),
        )
        assert p.status_probs == before[target].status_probs  # the model's view is kept
        assert store.prediction(target) is not None
        ledger, _ = update_ledger(store, version)
        assert any(target in e.article_ids for e in ledger)
    summary = build_report(
        [(a, p) for a, p, _ in triples], out_dir=tmp_path / "r", reviewed=1, ledger=ledger
    )
    assert summary.reviewed == 1
    assert f"1 of the {len(triples)} documents carry labels set by a reviewer" in summary.headline


def test_add_reviewed_never_replaces_reviews_with_nothing(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    db = tmp_path / "naio.db"
    Store(db).close()  # no reviews
    reviewed = tmp_path / "reviewed.jsonl"
    lines = "".join(json.dumps({"id": f"rv_x-{i}"}) + "\n" for i in range(6))
    reviewed.write_text(lines, encoding="utf-8")
    code, out, err = cli("corpus", "add-reviewed", "--db", str(db), "-o", str(reviewed))
    assert code == 1
    assert (
        f"error: {reviewed} holds 6 reviews and {db} has none to export; the file was left "
        "as it was (delete it to empty it)"
    ) in " ".join(err.split())
    assert out == ""
    assert reviewed.read_text(encoding="utf-8") == lines
    # a new file may well start empty
    fresh = tmp_path / "fresh.jsonl"
    code, out, _ = cli("corpus", "add-reviewed", "--db", str(db), "-o", str(fresh))
    assert code == 0 and "wrote 0 reviewed documents" in out and fresh.read_text() == ""


@pytest.mark.parametrize("output", [None, "x/y.jsonl"])
def test_add_reviewed_refuses_a_missing_folder_like_every_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., tuple[int, str, str]],
    output: str | None,
) -> None:
    monkeypatch.chdir(tmp_path)  # outside a checkout: no corpus/ here
    Store(tmp_path / "naio.db").close()
    args = ["-o", output] if output else []
    code, _, err = cli("corpus", "add-reviewed", "--db", "naio.db", *args)
    folder = "x" if output else "corpus"
    assert code == 2
    assert f"the folder {folder} does not exist; create it first (mkdir -p {folder})" in (
        " ".join(err.split())
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["naio.db"]


def test_export_and_add_reviewed_write_a_device_or_pipe_in_place(
    review_db: tuple[Path, list[str]], tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    """`export -o /dev/null` was refused ("'null': no suffix"), and `add-reviewed`, given
    a device, would have renamed a file over it. A link to /dev/null stands in for it."""
    db, ids = review_db
    with Store(db) as store:
        store.save_review(Review(ids[0], "aisyah", ART))
    null = tmp_path / "null"
    null.symlink_to(os.devnull)
    for args in (
        ["export", "--db", str(db)],
        ["export", "--db", str(db), "--format", "parquet"],
        ["corpus", "add-reviewed", "--db", str(db)],
    ):
        code, _, err = cli(*args, "-o", str(null))
        assert code == 0, (args, err)
        assert null.is_symlink() and os.readlink(null) == os.devnull
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != db.name) == ["null"]
    # a pipe gets what a file would: JSON Lines for export, the corpus record for add-reviewed
    for args, expect in (
        (["export", "--db", str(db)], ids[0]),
        (["corpus", "add-reviewed", "--db", str(db)], f"rv_berita-{ids[0]}"),
    ):
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        received: list[str] = []

        def read(path: Path = fifo, into: list[str] = received) -> None:
            with path.open(encoding="utf-8") as f:
                into.extend(f)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        code, _, err = cli(*args, "-o", str(fifo))
        assert code == 0, (args, err)
        reader.join(timeout=30)
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert expect in [json.loads(line)["id"] for line in received]
        fifo.unlink()
