"""``train`` and ``evaluate`` say which corpus path is wrong and what they expect, before work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]

TRAIN_EXPECTED = (
    "--corpus expects a corpus folder holding train.jsonl (like the project's corpus/) "
    "or one labelled .jsonl file"
)


def _one_line(err: str) -> str:
    return " ".join(err.split())


def test_train_on_a_missing_path(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "corpsu"
    code, _, err = cli("train", "--corpus", str(missing), "--out", str(tmp_path / "m"))
    assert code == 1
    assert _one_line(err) == f"error: {missing}: no such file or folder; {TRAIN_EXPECTED}"
    assert not (tmp_path / "m").exists()


def test_train_on_a_folder_without_train_jsonl(cli: Cli, tmp_path: Path) -> None:
    """A folder holding only the frozen split must not be trained on."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "test.jsonl").write_text("{}\n", encoding="utf-8")
    code, _, err = cli("train", "--corpus", str(folder), "--out", str(tmp_path / "m"))
    assert code == 1
    assert _one_line(err) == f"error: {folder}: no train.jsonl in this folder; {TRAIN_EXPECTED}"


def test_train_on_a_file_that_is_not_jsonl(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "train.csv"
    data.write_text("id,text\n", encoding="utf-8")
    code, _, err = cli("train", "--corpus", str(data), "--out", str(tmp_path / "m"))
    assert code == 1
    assert f"{data}: not a .jsonl file; {TRAIN_EXPECTED}" in _one_line(err)


@pytest.mark.parametrize(
    ("option", "like"), [("--data", "corpus/test.jsonl"), ("--train", "corpus/train.jsonl")]
)
def test_evaluate_names_the_missing_path_before_loading_the_model(
    cli: Cli, tmp_path: Path, option: str, like: str
) -> None:
    good = tmp_path / "test.jsonl"
    good.write_text("{}\n", encoding="utf-8")
    missing = tmp_path / "nope.jsonl"
    args = ["--data", str(missing)] if option == "--data" else ["--data", str(good)]
    if option == "--train":
        args += ["--train", str(missing)]
    code, _, err = cli("evaluate", *args)
    assert code == 1
    assert _one_line(err) == (
        f"error: {missing}: no such file or folder; {option} expects a labelled .jsonl "
        f"file (like {like}) or a folder of them"
    )


def test_evaluate_on_an_empty_folder(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("evaluate", "--data", str(tmp_path))
    assert code == 1
    assert f"{tmp_path}: no .jsonl files in this folder; --data expects" in _one_line(err)
    assert "loading the model" not in err


def test_evaluate_without_data_outside_the_project(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("evaluate")
    assert code == 1
    assert "corpus/test.jsonl: no such file here (run from the project folder, or pass " in (
        _one_line(err)
    )


def test_a_small_corpus_trains_and_names_the_labels_it_cannot_learn(
    cli: Cli, tmp_path: Path
) -> None:
    """20 documents from six batches, four artifacts: the folds of so few documents
    train on two statuses or one type of each; it still trains, and says what is thin."""
    import json
    import random

    from naio_nlp.corpus import read_corpus

    root = Path(__file__).resolve().parents[1]
    records = read_corpus(root / "corpus" / "train.jsonl")
    random.Random(1).shuffle(records)
    art = [r for r in records if r.status == "artifact"][:4]
    rest = [r for r in records if r.status != "artifact"][:16]
    data = tmp_path / "mylab.jsonl"
    with data.open("w", encoding="utf-8") as f:
        for r in art + rest:
            f.write(json.dumps(r.to_json()) + "\n")
    code, _, err = cli("train", "--corpus", str(data), "--out", str(tmp_path / "m"))
    assert code == 0, err
    assert (tmp_path / "m" / "meta.json").is_file()
    types = {r.artifact_type for r in art}
    assert "never give" in _one_line(err)
    for t in types:
        assert t not in _one_line(err).split("type ", 1)[1].split(";")[0]

    no_artifacts = tmp_path / "no-artifacts.jsonl"
    no_artifacts.write_text("".join(json.dumps(r.to_json()) + "\n" for r in rest), encoding="utf-8")
    code, _, err = cli("train", "--corpus", str(no_artifacts), "--out", str(tmp_path / "m2"))
    assert code == 0, err
    assert f"{no_artifacts}: no 'artifact' documents; the model will never answer 'artifact'" in (
        _one_line(err)
    )


def test_train_no_test_leaves_the_frozen_splits_unscored(cli: Cli, tmp_path: Path) -> None:
    """An experiment is decided on held-out batches: --no-test keeps test figures out of view."""
    import json
    import random

    from naio_nlp.corpus import read_corpus

    root = Path(__file__).resolve().parents[1]
    records = read_corpus(root / "corpus" / "train.jsonl")
    random.Random(2).shuffle(records)
    by_status = {s: [r for r in records if r.status == s] for s in ("artifact", "symbolic")}
    picked = by_status["artifact"][:8] + by_status["symbolic"][:12]
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, part in (("train.jsonl", picked[:16]), ("test.jsonl", picked[16:])):
        lines = "".join(json.dumps(r.to_json()) + "\n" for r in part)
        (folder / name).write_text(lines, encoding="utf-8")

    code, out, err = cli("train", "--corpus", str(folder), "--out", str(tmp_path / "m"))
    assert code == 0, err
    assert "test.jsonl (4 documents)" in out
    assert "test.jsonl" in (tmp_path / "m" / "model-card.md").read_text(encoding="utf-8")

    code, out, err = cli(
        "train", "--corpus", str(folder), "--out", str(tmp_path / "m2"), "--no-test"
    )
    assert code == 0, err
    assert "test.jsonl" not in out
    assert "test splits not scored (--no-test)" in out
    assert "test.jsonl" not in (tmp_path / "m2" / "model-card.md").read_text(encoding="utf-8")
