"""Suspected label errors by confident learning, implemented here with scikit-learn.

For every labelled document, a model that never saw it (``cross_val_predict``)
gives the probability of the label it was given. Each class's *self-confidence
threshold* is the average of that probability over the documents given that
class. A document whose out-of-fold probability for its given label falls below
its class's threshold is a suspect (Northcutt et al.'s per-class threshold; the
cleanlab package is AGPL and is not used).

That cut is wide: it catches nearly every wrong label but flags about a third
of a clean corpus (see ``benchmarks/bench_review.py``). The suspects that are
also *confidently another class* (another class's probability reaches that
class's own threshold: the off-diagonal of the confident joint) are far more
often real errors, so they are ranked first; the rest follow by how far below
the threshold they fall.

The out-of-fold model is TF-IDF word 1-2-grams + logistic regression: cheap
enough to run when the review app starts, and independent of the classifier
being reviewed, so it does not repeat that model's blind spots.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["LabelIssues", "find_label_issues", "oof_probabilities"]

Float = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class LabelIssues:
    """Out-of-fold probabilities and the suspects they point at."""

    classes: tuple[str, ...]
    probs: Float  # (n, len(classes)) out-of-fold probabilities
    given: tuple[str, ...]  # the label each document was given
    thresholds: dict[str, float]  # per class: average self-confidence
    suspects: tuple[int, ...]  # indices, most suspicious first
    confident: frozenset[int] = frozenset()  # suspects confidently of another class

    def p_given(self, i: int) -> float:
        """Out-of-fold probability of document ``i``'s given label."""
        return float(self.probs[i, self.classes.index(self.given[i])])

    def suggested(self, i: int) -> str:
        """The label the out-of-fold model prefers for document ``i``."""
        return self.classes[int(self.probs[i].argmax())]


def oof_probabilities(
    texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0
) -> tuple[tuple[str, ...], Float]:
    """Out-of-fold class probabilities of a TF-IDF + logistic regression model."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from threadpoolctl import threadpool_limits

    classes = tuple(sorted(set(labels)))
    smallest = min(Counter(labels).values())
    k = max(2, min(folds, smallest))
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(C=10.0, max_iter=2000),
    )
    cv = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    # one BLAS thread: these matrices are small, and on a busy machine a thread
    # pool spinning for cores it cannot get made each fit about ten times slower
    with threadpool_limits(limits=1):
        probs = cross_val_predict(model, list(texts), list(labels), cv=cv, method="predict_proba")
    return classes, np.asarray(probs, dtype=np.float64)


def find_label_issues(
    texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0
) -> LabelIssues:
    """Confident-learning suspects among labelled documents (see the module docstring).

    Needs two classes with at least two documents each; otherwise nothing is
    suspected (there is no out-of-fold model to ask).
    """
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    counts = Counter(labels)
    usable = sum(1 for c in counts.values() if c >= 2)
    if usable < 2 or min(counts.values()) < 2:
        classes = tuple(sorted(counts))
        return LabelIssues(classes, np.zeros((len(texts), len(classes))), tuple(labels), {}, ())
    classes, probs = oof_probabilities(texts, labels, folds=folds, seed=seed)
    given_idx = np.array([classes.index(y) for y in labels])
    p_given = probs[np.arange(len(labels)), given_idx]
    thresholds = {c: float(p_given[given_idx == j].mean()) for j, c in enumerate(classes)}
    t = np.array([thresholds[c] for c in classes])
    gap = p_given - t[given_idx]
    above = probs >= t[None, :]
    above[np.arange(len(labels)), given_idx] = False
    other = above.any(axis=1) & (gap < 0)
    # confidently-another-class first, then by distance below the threshold
    order = np.lexsort((np.arange(len(gap)), gap, ~other))
    suspects = tuple(int(i) for i in order if gap[i] < 0)
    confident = frozenset(int(i) for i in np.flatnonzero(other))
    return LabelIssues(classes, probs, tuple(labels), thresholds, suspects, confident)
