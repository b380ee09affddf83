"""Long runs: spaCy's vocabulary stops growing after warm-up, and labels do not change."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import naio_nlp.features as features
from naio_nlp.classifier import Classifier

ROOT = Path(__file__).resolve().parents[2]


def _docs(n: int, seed: int) -> list[dict[str, str]]:
    """Corpus documents with a tenth of their words made up, new to every vocabulary."""
    with (ROOT / "corpus" / "train.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = rows[(i * 7) % len(rows)]
        words = [
            w + "".join(rng.choice("qxzjvk") for _ in range(5)) if rng.random() < 0.1 else w
            for w in r["text"].split(" ")
        ]
        out.append({"id": f"n{seed}-{i}", "title": r["title"], "text": " ".join(words)})
    return out


def _strings(clf: Classifier) -> int:
    return sum(len(nlp.vocab.strings) for nlp in clf.analyzer.pipelines.values())


def test_labels_are_the_same_inside_memory_zones(trained_model_path: Path) -> None:
    docs = _docs(150, seed=1)
    plain = Classifier.from_disk(trained_model_path)
    zoned = Classifier.from_disk(trained_model_path)
    zoned.analyzer.always_zone = True
    want = [p.to_dict() for p in plain.classify_many(docs, batch_size=32)]
    got = [p.to_dict() for p in zoned.classify_many(docs, batch_size=32)]
    assert got == want


def test_vocabulary_stops_growing_after_warm_up(
    trained_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(features, "WARM_STRINGS", 2_000)
    clf = Classifier.from_disk(trained_model_path)
    analyzer = clf.analyzer

    def cold() -> list[str]:
        return [
            lang
            for lang, nlp in analyzer.pipelines.items()
            if len(nlp.vocab.strings) - analyzer._strings_at_build[lang] < 2_000
        ]

    for seed in range(10, 30):  # warm-up: each pipeline grows until it has 2,000 new strings
        if not cold():
            break
        list(clf.classify_many(_docs(50, seed=seed), batch_size=25))
    assert not cold()
    warm = _strings(clf)
    list(clf.classify_many(_docs(200, seed=3), batch_size=25))  # thousands of new words
    assert _strings(clf) == warm
    # the tokenizer still splits, and labels, the same way after all that
    again = Classifier.from_disk(trained_model_path)
    sample = _docs(20, seed=4)
    assert [p.to_dict() for p in clf.classify_many(sample)] == [
        p.to_dict() for p in again.classify_many(sample)
    ]


def test_without_zones_the_vocabulary_grows(
    trained_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(features, "WARM_STRINGS", 10**12)
    clf = Classifier.from_disk(trained_model_path)
    before = _strings(clf)
    list(clf.classify_many(_docs(50, seed=5), batch_size=25))
    assert _strings(clf) > before + 1_000


def test_a_grown_pipeline_is_rebuilt_and_labels_the_same(
    trained_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(features, "WARM_STRINGS", 1_000)
    monkeypatch.setattr(features, "REBUILD_LEXEMES", 5_000)
    clf = Classifier.from_disk(trained_model_path)
    fresh = Classifier.from_disk(trained_model_path)
    docs = _docs(240, seed=6)
    got = [p.to_dict() for p in clf.classify_many(docs, batch_size=20)]
    assert clf.analyzer.rebuilds >= 1
    assert all(
        len(nlp.vocab) < clf.analyzer._lexemes_at_build[lang] + 5_000 + 20_000
        for lang, nlp in clf.analyzer.pipelines.items()
    )
    assert got == [p.to_dict() for p in fresh.classify_many(docs, batch_size=20)]


def test_memory_is_given_back_every_few_zoned_batches_and_labels_do_not_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from naio_nlp._memory import release_free_memory

    calls: list[bool] = []

    def counted() -> bool:
        calls.append(release_free_memory())  # the real call, counted
        return calls[-1]

    monkeypatch.setattr(features, "release_free_memory", counted)
    monkeypatch.setattr(features, "TRIM_EVERY", 2)
    shipped = ROOT / "models" / "naio-default"  # real, and loads in seconds
    zoned = Classifier.from_disk(shipped)
    zoned.analyzer.always_zone = True
    docs = _docs(120, seed=7)
    got = [p.to_dict() for p in zoned.classify_many(docs, batch_size=20)]  # 6 zoned batches
    assert len(calls) == 3
    assert isinstance(release_free_memory(), bool)  # False where there is no malloc_trim
    # labels after giving memory back are those of a process that never did
    again = [p.to_dict() for p in zoned.classify_many(docs[:40], batch_size=20)]
    plain = Classifier.from_disk(shipped)
    assert got == [p.to_dict() for p in plain.classify_many(docs, batch_size=20)]
    assert again == got[:40]
