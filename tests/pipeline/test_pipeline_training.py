"""Training is deterministic for a seed and rejects data it cannot learn from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from naio_nlp import ModelError
from naio_nlp.corpus import read_corpus
from naio_nlp.training import train

ROOT = Path(__file__).resolve().parents[2]


def test_same_seed_same_model() -> None:
    records = read_corpus(ROOT / "corpus" / "train.jsonl")[:120]
    a, _ = train(records, seed=3, c_grid=(4.0,), scale_grid=(0.5,))
    b, _ = train(records, seed=3, c_grid=(4.0,), scale_grid=(0.5,))
    assert a.version == b.version
    assert np.array_equal(a.status_head.coef.toarray(), b.status_head.coef.toarray())
    assert np.array_equal(a.domain_head.thresholds, b.domain_head.thresholds)


def test_too_little_or_one_class_data_is_refused() -> None:
    records = read_corpus(ROOT / "corpus" / "train.jsonl")
    with pytest.raises(ModelError, match="at least 6"):
        train(records[:3])
    one_status = [r for r in records if r.status == "symbolic"][:20]
    with pytest.raises(ModelError, match="two different statuses"):
        train(one_status)


def test_one_batch_with_one_example_of_each_label_still_gets_folds() -> None:
    """Four artifacts of four types from one batch: nothing to stratify, plain folds."""
    from naio_nlp.training import _folds

    folds = _folds(["b1"] * 4, ["a", "b", "c", "d"], seed=0)
    assert len(folds) >= 2
    assert sorted(i for _, te in folds for i in te) == [0, 1, 2, 3]
