"""``naio-nlp run``: crawl → classify → report, doing only new work on every run."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from naio_nlp.classifier import Classifier
from naio_nlp.store import Store

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def second_model(trained_model_path: Path, tmp_path: Path) -> Path:
    """The same weights under another model version: what retraining produces."""
    import json

    path = tmp_path / "model-b"
    shutil.copytree(trained_model_path, path)
    meta = json.loads((path / "meta.json").read_text())
    meta["model_version"] = meta["model_version"] + "-retrained"
    (path / "meta.json").write_text(json.dumps(meta))
    return path


def test_demo_run_twice_then_a_new_model(
    cli: Cli, tmp_path: Path, trained_model_path: Path, second_model: Path
) -> None:
    db, report = tmp_path / "naio.db", tmp_path / "report"
    args = ["run", "--demo", "--db", str(db), "--report", str(report)]

    code, out, err = cli(*args, "--model", str(trained_model_path))
    assert code == 0, err
    assert out.strip() == str(report / "index.html")
    html = (report / "index.html").read_text(encoding="utf-8")
    assert "Execution index over time" in html
    with Store(db) as store:
        first_version = Classifier.from_disk(trained_model_path).version
        assert store.model_versions() == [first_version]
        labelled = list(store.predictions(model_version=first_version))
    assert len(labelled) >= 50
    assert "classified 0 new articles" not in err
    # the ledger: in the store, beside the report, and on the page
    assert "The artifact ledger" in html and 'id="conversion"' in html
    with Store(db) as store:
        ledger = store.ledger(model_version=first_version)
    assert ledger is not None and len(ledger) >= 10
    assert any(len(e.reports) > 1 for e in ledger), "some output is reported more than once"
    assert (report / "ledger.csv").is_file() and (report / "ledger.json").is_file()
    copies = sorted((report / "texts").glob("*.txt"))
    assert len(copies) == len(labelled)
    linked = [c for c in copies if f'href="texts/{c.name}"' in html]
    shown = [a for a, p in labelled if p.status != "unrelated"]  # listed on the page
    assert len(linked) == len(shown), "every listed document links to its stored text"

    code, _, err = cli(*args, "--model", str(trained_model_path))
    assert code == 0, err
    assert "classified 0 new articles" in err
    assert "linked 0 new documents" in err
    with Store(db) as store:
        assert len(list(store.predictions(model_version=first_version))) == len(labelled)
        again = store.ledger(model_version=first_version)
    assert again is not None
    assert [e.to_dict() for e in again] == [e.to_dict() for e in ledger]

    code, _, err = cli(*args, "--model", str(second_model))
    assert code == 0, err
    assert f"classified {len(labelled)} new articles" in err
    new_version = Classifier.from_disk(second_model).version
    with Store(db) as store:
        assert store.model_versions() == [first_version, new_version]
        old = list(store.predictions(model_version=first_version))
        new = list(store.predictions(model_version=new_version))
    assert len(old) == len(new) == len(labelled)
    with Store(db) as store:
        retrained = store.ledger(model_version=new_version)
    assert retrained is not None, "the new model version has its own ledger"
    # same weights, same labels: the same outputs, under the same ids
    assert [(e.artifact_id, e.article_ids) for e in retrained] == [
        (e.artifact_id, e.article_ids) for e in ledger
    ]


def test_report_on_an_empty_database_says_nothing_yet(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    with Store(db):
        pass
    code, out, err = cli("report", "--db", str(db), "--out", str(tmp_path / "r"))
    assert out.strip() == str(tmp_path / "r" / "index.html")
    assert code == 0, err
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "Nothing to report yet" in html
