"""``naio-nlp evaluate`` scores each split on its own, with calibration and confident errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _slice(src: Path, dst: Path, every: int, offset: int) -> Path:
    lines = src.read_text(encoding="utf-8").splitlines()
    dst.write_text("\n".join(lines[offset::every]) + "\n", encoding="utf-8")
    return dst


def test_evaluate_reports_each_split_with_ece_languages_and_confident_errors(
    cli: Callable[..., tuple[int, str, str]], trained_model_path: Path, tmp_path: Path
) -> None:
    corpus = ROOT / "corpus" / "train.jsonl"
    first = _slice(corpus, tmp_path / "first.jsonl", 40, 1)
    second = _slice(corpus, tmp_path / "second.jsonl", 40, 3)
    train = _slice(corpus, tmp_path / "train.jsonl", 10, 5)
    args = ["evaluate", "--model", str(trained_model_path), "--train", str(train)]
    code, out, _ = cli(*args, "--data", str(first), "--data", str(second), "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {str(first), str(second)}
    for split, path in ((result[str(first)], first), (result[str(second)], second)):
        n = len(path.read_text(encoding="utf-8").splitlines())
        assert split["documents"] == n
        assert 0.0 <= split["calibration"]["status"]["ece"] <= 1.0
        errors = split["confident_errors"]
        assert errors["count"] == len(errors["documents"])
        assert all(
            d["confidence"] >= 0.9 and d["gold"] != d["predicted"] for d in errors["documents"]
        )
        assert set(split["by_language"]) <= {"en", "ms", "mixed"}
        assert "tfidf_logreg" in split["baselines"]
    code, out, _ = cli(*args, "--data", str(first))
    assert code == 0
    flat = " ".join(out.split())  # rich wraps long lines
    assert first.name in flat and "wrong at >= 0.9 confidence" in flat and "by language" in flat


def test_evaluate_a_split_without_artifacts_says_type_is_not_applicable(
    cli: Callable[..., tuple[int, str, str]], trained_model_path: Path, tmp_path: Path
) -> None:
    """Labels of one's own often have no artifacts: scored, with the type F1 shown as n/a."""
    corpus = ROOT / "corpus" / "train.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines()
    no_artifacts = [x for x in lines if json.loads(x)["status"] != "artifact"][::25]
    data = tmp_path / "mine.jsonl"
    data.write_text("\n".join(no_artifacts) + "\n", encoding="utf-8")
    train = _slice(corpus, tmp_path / "train.jsonl", 10, 5)
    args = ["evaluate", "--model", str(trained_model_path), "--train", str(train)]
    code, out, err = cli(*args, "--data", str(data), "--json")
    assert code == 0, err
    model = json.loads(out)["model_scores"]  # one split: its result, not keyed by file
    assert model["artifact_type"]["macro_f1"] is None
    assert model["status"]["macro_f1"] is not None
    code, out, err = cli(*args, "--data", str(data))
    assert code == 0, err
    assert "n/a" in out
