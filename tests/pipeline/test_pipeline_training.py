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


def test_the_review_bar_flags_the_least_confident_calls_while_they_are_often_wrong() -> None:
    from naio_nlp.training import _review_threshold

    # Ten calls at 0.40-0.58, six of them wrong; then forty at 0.70-0.99, all right.
    low = np.linspace(0.40, 0.58, 10)
    high = np.linspace(0.70, 0.99, 40)
    p = np.concatenate([high, low])  # any order
    correct = np.concatenate([np.ones(40, bool), np.arange(10) % 5 >= 3])
    flagged = p < _review_threshold(p, correct)
    # Every weak call is flagged, with the least confident strong ones until the flagged
    # group is right 70% of the time (6 errors: 20 calls), and no more.
    assert flagged[40:].all()
    assert flagged.sum() == 20
    assert correct[flagged].mean() == pytest.approx(0.70)
    # Calls that are all right, or one error under right calls, flag nothing.
    assert _review_threshold(high, np.ones(40, bool)) == 0.0
    one = np.concatenate([np.zeros(1, bool), np.ones(40, bool)])
    assert _review_threshold(np.concatenate([low[:1], high]), one) == 0.0


def test_the_shipped_model_sends_its_least_reliable_calls_to_review() -> None:
    from naio_nlp.classifier import load

    clf = load(None)
    bars = clf.review_thresholds
    assert bars["artifact"] > 0.5 and bars["symbolic"] > 0.5
    review = clf.meta["cv_metrics"]["needs_review"]
    # Out of batch, the bars flag a minority of documents and most of the errors.
    assert 0 < review["flagged"] < 0.2 * review["documents"]
    assert review["errors_flagged"] > review["errors"] / 2


def test_one_batch_with_one_example_of_each_label_still_gets_folds() -> None:
    """Four artifacts of four types from one batch: nothing to stratify, plain folds."""
    from naio_nlp.training import _folds

    folds = _folds(["b1"] * 4, ["a", "b", "c", "d"], seed=0)
    assert len(folds) >= 2
    assert sorted(i for _, te in folds for i in te) == [0, 1, 2, 3]
