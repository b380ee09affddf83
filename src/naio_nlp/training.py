"""Training: choose, calibrate and fit the classifier's heads on labelled records.

Every choice (regularisation ``C`` and cue weight per head, temperature and
Platt calibration, per-domain thresholds, the abstention operating points) is
made on out-of-fold predictions of group-wise cross-validation over writing
batches, so the frozen test split is only ever used to report.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import spacy

from ._version import __version__
from .classifier import (
    DEFAULT_MODEL_NAME,
    FORMAT_VERSION,
    Classifier,
    FeatureSpace,
    Float,
    LinearHead,
    ProgressFn,
    _rows,
    _sigmoid,
    _softmax,
    _text_counts,
    extra_feature_names,
)
from .corpus import CorpusRecord, corpus_hash
from .errors import ModelError
from .features import N_HASH, Analysis, TextAnalyzer
from .labels import ARTIFACT_TYPES, DOMAINS, STATUSES
from .lexicon import lexicon_dict

__all__ = ["TrainReport", "head_features", "train"]


@dataclass
class TrainReport:
    """What training chose and measured (all on the training split)."""

    n_documents: int
    seconds: float
    chosen: dict[str, Any]
    cv_metrics: dict[str, Any]
    review_thresholds: dict[str, float]


def head_features(names: Sequence[str]) -> dict[str, npt.NDArray[np.bool_]]:
    """Which columns each head may learn from.

    Every head reads the hashed n-grams. Beyond them, status reads only the
    cues of the codebook's three tests (output, specifics, NAIO's role), not
    topic or length, so that what a document is *about* cannot decide whether
    it reports execution; domains read topic cues, not status cues.
    """
    dense = list(names) + list(extra_feature_names())
    topic = ("domain:", "dfrac:", "dtitle:")
    status_ok = [not (n.startswith(topic) or n == "log_sentences") for n in dense]
    type_ok = [not n.startswith(topic) for n in dense]
    domain_ok = [n.startswith((*topic, "type:")) for n in dense]
    ngrams = np.ones(N_HASH, dtype=bool)
    return {
        "status": np.concatenate([ngrams, np.array(status_ok)]),
        "type": np.concatenate([ngrams, np.array(type_ok)]),
        "domains": np.concatenate([ngrams, np.array(domain_ok)]),
    }


def _folds(
    groups: Sequence[str], y: Sequence[str], seed: int, n_splits: int = 5
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Group-wise folds when there are enough groups, stratified folds otherwise."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    n_groups = len(set(groups))
    idx = np.arange(len(y))
    if n_groups >= 3:
        k = min(n_splits, n_groups)
        return [(tr, te) for tr, te in GroupKFold(n_splits=k).split(idx, y, groups)]
    counts = np.unique(np.asarray(y), return_counts=True)[1]
    k = max(2, min(n_splits, int(counts.min())))
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [(tr, te) for tr, te in skf.split(idx, y)]


@dataclass
class _FittedLR:
    """A fitted logistic regression expressed over the full feature width."""

    classes_: npt.NDArray[Any]
    coef_: Float
    intercept_: Float

    def decision_function(self, X: sp.csr_matrix) -> Float:
        z = np.asarray(X @ self.coef_.T) + self.intercept_
        return z[:, 0] if z.shape[1] == 1 else z


def _fit_lr(
    X: sp.csr_matrix,
    y: npt.NDArray[Any],
    C: float,
    seed: int,
    allowed: npt.NDArray[np.bool_] | None = None,
) -> _FittedLR:
    """Fit on the columns the rows use (hashing leaves most empty), then widen back.

    newton-cg (multinomial) and liblinear (binary) on the compressed matrix
    are tens of times faster than lbfgs on the full hashed width.
    """
    from sklearn.linear_model import LogisticRegression

    used = np.unique(X.indices)
    if allowed is not None:
        used = used[allowed[used]]
    binary = len(np.unique(y)) == 2
    model = LogisticRegression(
        C=C, max_iter=500, solver="liblinear" if binary else "newton-cg", random_state=seed
    )
    model.fit(X[:, used], y)
    coef = np.zeros((model.coef_.shape[0], X.shape[1]))
    coef[:, used] = model.coef_
    return _FittedLR(model.classes_, coef, np.asarray(model.intercept_, dtype=np.float64))


def _oof_logits(
    X: sp.csr_matrix,
    y: npt.NDArray[Any],
    classes: Sequence[Any],
    folds: Sequence[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]],
    C: float,
    seed: int,
    allowed: npt.NDArray[np.bool_] | None = None,
) -> Float:
    """Out-of-fold logits, one column per class (binary: one column)."""
    width = 1 if len(classes) == 2 else len(classes)
    out = np.zeros((X.shape[0], width))
    for tr, te in folds:
        if len(set(y[tr])) < 2:
            out[te] = 0.0
            continue
        m = _fit_lr(X[tr], y[tr], C, seed, allowed)
        z = m.decision_function(X[te])
        if width == 1:
            out[te, 0] = z
        else:
            full = np.full((len(te), width), -30.0)
            for j, c in enumerate(m.classes_):
                full[:, list(classes).index(c)] = z[:, j]
            out[te] = full
    return out


def _fit_temperature(logits: Float, y_idx: npt.NDArray[np.int64]) -> float:
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        p = _softmax(logits / math.exp(log_t))
        return float(-np.log(np.clip(p[np.arange(len(y_idx)), y_idx], 1e-12, 1)).mean())

    res = minimize_scalar(nll, bounds=(-3, 3), method="bounded")
    return float(math.exp(res.x))


def _fit_platt(z: Float, y: npt.NDArray[np.int64]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    m = LogisticRegression(C=1e4, max_iter=1000)
    m.fit(z.reshape(-1, 1), y)
    return float(m.coef_[0, 0]), float(m.intercept_[0])


def _macro_f1(y_true: Sequence[Any], y_pred: Sequence[Any], labels: Sequence[Any]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y_true, y_pred, labels=list(labels), average="macro", zero_division=0))


def _precision_threshold(
    p: Float, correct: npt.NDArray[np.bool_], target: float = 0.90, min_support: int = 5
) -> float:
    """Lowest confidence above which calls reach ``target`` precision (out of fold)."""
    order = np.argsort(-p)
    hits = np.cumsum(correct[order])
    n = np.arange(1, len(order) + 1)
    precision = hits / n
    ok = np.flatnonzero((precision >= target) & (n >= min_support))
    if ok.size == 0:
        return 1.0
    # the largest prefix whose precision still meets the target
    return float(p[order][ok[-1]])


def _scaled(X1: sp.csr_matrix, scale: float) -> sp.csr_matrix:
    """The rows with the cue block multiplied by ``scale`` (n-grams unchanged)."""
    col = np.ones(X1.shape[1])
    col[N_HASH:] = scale
    return sp.csr_matrix(X1.multiply(col))


def _fold_scale(coef: Float, scale: float) -> Float:
    """Express weights learned on scaled rows as weights for unscaled rows."""
    out = coef.copy()
    out[..., N_HASH:] *= scale
    return out


def _search(
    X1: sp.csr_matrix,
    y: npt.NDArray[Any],
    classes: Sequence[Any],
    folds: Sequence[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]],
    allowed: npt.NDArray[np.bool_],
    grid: Sequence[tuple[float, float]],
    score: Callable[[Float], float],
    seed: int,
) -> tuple[float, float, float, Float]:
    """Best (scale, C) by out-of-fold score; returns scale, C, score and its OOF logits."""
    best: tuple[float, float, float, Float] | None = None
    for scale, C in grid:
        z = _oof_logits(_scaled(X1, scale), y, classes, folds, C, seed, allowed)
        value = score(z)
        if best is None or value > best[2] + 1e-9:
            best = (scale, C, value, z)
    assert best is not None
    return best


def train(
    records: Sequence[CorpusRecord],
    *,
    seed: int = 0,
    name: str = DEFAULT_MODEL_NAME,
    progress: ProgressFn | None = None,
    c_grid: Sequence[float] = (4.0, 16.0, 64.0, 256.0),
    scale_grid: Sequence[float] = (0.0, 0.25, 0.5),
) -> tuple[Classifier, TrainReport]:
    """Train all three heads on labelled records; deterministic for a seed.

    Each head chooses its own regularisation ``C`` and the weight of the cue
    block (``scale``: 0 ignores the cues) by group-wise cross-validation.
    """
    if len(records) < 6:
        raise ModelError(f"need at least 6 labelled documents to train, got {len(records)}")
    started = time.perf_counter()
    say = progress or (lambda stage, done, total: None)
    lexicon = lexicon_dict()
    analyzer = TextAnalyzer(lexicon)
    analyses: list[Analysis] = []
    total = len(records)
    for start in range(0, total, 128):
        chunk = records[start : start + 128]
        analyses.extend(
            analyzer.analyse(
                [r.text for r in chunk],
                [r.title for r in chunk],
                [r.lang if r.lang in ("en", "ms") else None for r in chunk],
            )
        )
        say("analysing documents", min(start + 128, total), total)

    # IDF over the training documents' hashed n-grams.
    df = np.zeros(N_HASH)
    for a in analyses:
        df[_text_counts(a)[0]] += 1
    idf = np.log((1 + len(analyses)) / (1 + df)) + 1.0
    X1 = _rows(analyses, idf, 1.0)
    space = FeatureSpace(idf=idf, dense_scale=1.0, n_dense=len(analyzer.feature_names))
    groups = [r.group for r in records]
    y_status = np.array([r.status for r in records])
    status_classes = tuple(c for c in STATUSES if c in set(y_status))
    if len(status_classes) < 2:
        raise ModelError("the corpus needs at least two different statuses to train")
    folds = _folds(groups, y_status.tolist(), seed)
    masks = head_features(analyzer.feature_names)
    grid = [(sc, C) for sc in scale_grid for C in c_grid]

    # -- status: multinomial; temperature and operating points from OOF logits
    def status_f1(z: Float) -> float:
        zz = np.hstack([np.zeros_like(z), z]) if z.shape[1] == 1 else z
        return _macro_f1(
            y_status.tolist(), [status_classes[i] for i in zz.argmax(1)], status_classes
        )

    # status always reads the cues: they carry the codebook's tests
    # and stays regularised (C <= 64): on this corpus a weaker C gains nothing
    # beyond noise in CV and lets corpus phrasing outweigh the cues on real text.
    status_grid = [(sc, C) for sc, C in grid if sc > 0 and C <= 64] or [(0.5, c_grid[0])]
    s_scale, C_status, _, z_status = _search(
        X1, y_status, status_classes, folds, masks["status"], status_grid, status_f1, seed
    )
    say("status", 1, 3)
    y_idx = np.array([status_classes.index(c) for c in y_status])
    if len(status_classes) == 2:
        z_status = np.hstack([np.zeros_like(z_status), z_status])
    temperature = _fit_temperature(z_status, y_idx)
    p_oof = _softmax(z_status / temperature)
    pred_idx = p_oof.argmax(axis=1)
    review: dict[str, float] = {}
    for j, c in enumerate(status_classes):
        called = pred_idx == j
        review[c] = (
            _precision_threshold(p_oof[called, j], (y_idx[called] == j)) if called.any() else 1.0
        )
    final = _fit_lr(_scaled(X1, s_scale), y_status, C_status, seed, masks["status"])
    final.coef_ = _fold_scale(final.coef_, s_scale)
    status_head = _softmax_head(final, status_classes, X1.shape[1], temperature)
    say("status", 3, 3)

    # -- artifact_type: multinomial on artifacts only
    art = np.flatnonzero(y_status == "artifact")
    type_classes = tuple(ARTIFACT_TYPES)
    y_type = np.array([records[int(i)].artifact_type for i in art])
    present_types = tuple(t for t in type_classes if t in set(y_type.tolist()))
    t_scale, C_type, type_oof_f1 = 0.0, c_grid[0], None
    if len(present_types) >= 2:
        Xa = X1[art]
        tfolds = _folds([groups[int(i)] for i in art], y_type.tolist(), seed)

        def widen(z: Float) -> Float:
            return np.hstack([np.zeros_like(z), z]) if len(present_types) == 2 else z

        def type_f1(z: Float) -> float:
            return _macro_f1(
                y_type.tolist(), [present_types[i] for i in widen(z).argmax(1)], present_types
            )

        t_scale, C_type, type_oof_f1, zt = _search(
            Xa, y_type, present_types, tfolds, masks["type"], grid, type_f1, seed
        )
        t_temp = _fit_temperature(widen(zt), np.array([present_types.index(t) for t in y_type]))
        fitted = _fit_lr(_scaled(Xa, t_scale), y_type, C_type, seed, masks["type"])
        fitted.coef_ = _fold_scale(fitted.coef_, t_scale)
        type_head = _expand_classes(
            _softmax_head(fitted, present_types, X1.shape[1], t_temp), type_classes
        )
    else:
        type_head = _constant_head(type_classes, present_types, X1.shape[1])
    say("artifact type", 1, 1)

    # -- domains: one binary decision each; own (scale, C), Platt, threshold from OOF
    dom_classes = tuple(DOMAINS)
    coefs, intercepts, pa, pb, th = [], [], [], [], []
    dom_oof: dict[str, float] = {}
    dom_tp = dom_fp = dom_fn = 0
    dom_chosen: dict[str, tuple[float, float]] = {}
    for j, d in enumerate(dom_classes):
        y_d = np.array([int(d in r.domains) for r in records])
        if 0 < y_d.sum() < len(y_d) and min(y_d.sum(), len(y_d) - y_d.sum()) >= 2:
            dfolds = _folds(groups, y_d.tolist(), seed)

            def dom_f1(z: Float, y_d: npt.NDArray[np.int64] = y_d) -> float:
                pa_j, pb_j = _fit_platt(z[:, 0], y_d)
                return _best_threshold(_sigmoid(z[:, 0] * pa_j + pb_j), y_d)[1]

            d_scale, C_d, f1, zd = _search(
                X1, y_d, (0, 1), dfolds, masks["domains"], grid, dom_f1, seed
            )
            pa_j, pb_j = _fit_platt(zd[:, 0], y_d)
            p_oof_d = _sigmoid(zd[:, 0] * pa_j + pb_j)
            thr, _ = _best_threshold(p_oof_d, y_d)
            called_d = p_oof_d >= thr
            dom_tp += int((called_d & (y_d == 1)).sum())
            dom_fp += int((called_d & (y_d == 0)).sum())
            dom_fn += int((~called_d & (y_d == 1)).sum())
            m = _fit_lr(_scaled(X1, d_scale), y_d, C_d, seed, masks["domains"])
            coefs.append(_fold_scale(m.coef_, d_scale)[0])
            intercepts.append(float(m.intercept_[0]))
            dom_oof[d] = round(f1, 4)
            dom_chosen[d] = (d_scale, C_d)
        else:  # a domain (almost) never or always present: a constant decision
            coefs.append(np.zeros(X1.shape[1]))
            intercepts.append(0.0)
            pa_j, pb_j, thr = 0.0, (20.0 if y_d.mean() > 0.5 else -20.0), 0.5
        pa.append(pa_j)
        pb.append(pb_j)
        th.append(thr)
        say("domains", j + 1, len(dom_classes))
    domain_head = LinearHead(
        classes=dom_classes,
        coef=np.vstack(coefs),
        intercept=np.array(intercepts),
        kind="sigmoid",
        platt_a=np.array(pa),
        platt_b=np.array(pb),
        thresholds=np.array(th),
    )

    status_f1_oof = _macro_f1(
        y_status.tolist(), [status_classes[i] for i in pred_idx], status_classes
    )
    cv_metrics = {
        "folds": len(folds),
        "fold_kind": "group" if len(set(groups)) >= 3 else "stratified",
        "status_macro_f1": round(status_f1_oof, 4),
        "artifact_type_macro_f1": None if type_oof_f1 is None else round(type_oof_f1, 4),
        "domain_f1": dom_oof,
        "domains_micro_f1": round(2 * dom_tp / max(2 * dom_tp + dom_fp + dom_fn, 1), 4),
    }
    chosen = {
        "status": {"C": C_status, "cue_scale": s_scale, "temperature": round(temperature, 4)},
        "artifact_type": {"C": C_type, "cue_scale": t_scale},
        "domains": {d: {"C": c, "cue_scale": sc} for d, (sc, c) in dom_chosen.items()},
    }
    data_hash = corpus_hash(records)
    # What else decides the model: the cue lists and the search grids.
    config_hash = hashlib.sha256(
        json.dumps(
            {"lexicon": lexicon, "c_grid": list(c_grid), "scale_grid": list(scale_grid)},
            sort_keys=True,
        ).encode()
    ).hexdigest()
    meta: dict[str, Any] = {
        "library": "naio_nlp",
        "format_version": FORMAT_VERSION,
        "naio_nlp_version": __version__,
        "name": name,
        "model_version": f"{name}-{__version__}-{data_hash[:8]}-{config_hash[:6]}-s{seed}",
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seed": seed,
        "training_data_hash": data_hash,
        "n_documents": len(records),
        "review_thresholds": review,
        "chosen": chosen,
        "cv_metrics": cv_metrics,
        "versions": _library_versions(),
    }
    clf = Classifier(
        analyzer=analyzer,
        space=space,
        status=status_head,
        artifact_type=type_head,
        domains=domain_head,
        meta=meta,
    )
    report = TrainReport(
        n_documents=len(records),
        seconds=time.perf_counter() - started,
        chosen=chosen,
        cv_metrics=cv_metrics,
        review_thresholds=review,
    )
    return clf, report


def _best_threshold(p: Float, y: npt.NDArray[np.int64]) -> tuple[float, float]:
    best = (0.5, -1.0)
    for t in np.linspace(0.1, 0.9, 33):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[1] + 1e-9:
            best = (float(t), f1)
    return best


def _softmax_head(
    model: Any, classes: Sequence[str], n_features: int, temperature: float
) -> LinearHead:
    learned = list(model.classes_)
    if len(learned) == 2:  # scikit-learn keeps one row for two classes
        w = model.coef_[0]
        coef = np.vstack([-w / 2, w / 2])
        intercept = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    else:
        coef = model.coef_
        intercept = model.intercept_
    order = [learned.index(c) for c in classes]
    return LinearHead(
        classes=tuple(classes),
        coef=np.asarray(coef[order], dtype=np.float64),
        intercept=np.asarray(intercept[order], dtype=np.float64),
        kind="softmax",
        temperature=temperature,
    )


def _expand_classes(head: LinearHead, classes: Sequence[str]) -> LinearHead:
    """Give classes unseen in training a row that is never chosen."""
    if tuple(classes) == head.classes:
        return head
    coef = np.zeros((len(classes), head.coef.shape[1]))
    intercept = np.full(len(classes), -30.0)
    for i, c in enumerate(classes):
        if c in head.classes:
            j = head.classes.index(c)
            coef[i] = head.coef[j]
            intercept[i] = head.intercept[j]
    return LinearHead(tuple(classes), coef, intercept, "softmax", head.temperature)


def _constant_head(classes: Sequence[str], present: Sequence[str], n_features: int) -> LinearHead:
    intercept = np.array([0.0 if c in present else -30.0 for c in classes])
    return LinearHead(tuple(classes), np.zeros((len(classes), n_features)), intercept, "softmax")


def _library_versions() -> dict[str, str]:
    import scipy
    import sklearn

    return {
        "naio_nlp": __version__,
        "spacy": str(getattr(spacy, "__version__", "unknown")),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
    }
