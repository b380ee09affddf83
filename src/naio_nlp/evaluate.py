"""Honest numbers: the model beside two simple baselines on the same documents.

Baselines are what a careful analyst could build in an afternoon:

* **keyword rules** written from the codebook (NAIO named + a release verb +
  a named output in one sentence, no intention cue → artifact), using the
  same phrase lists as the model;
* **TF-IDF + logistic regression** on word 1-2-grams, trained on the same
  training documents.

``artifact_type`` is scored on the documents whose gold status is
``artifact``, using each system's type decision for them (the type head is
conditional on a document being an artifact); end-to-end accuracy of the
combined label is reported beside it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .classifier import Classifier
from .corpus import CorpusRecord
from .labels import ARTIFACT_TYPES, DOMAINS, STATUSES
from .lexicon import CUES, DOMAIN_CUES, TYPE_CUES

__all__ = ["evaluate", "expected_calibration_error", "keyword_baseline", "tfidf_baseline"]

Labels = dict[str, Any]  # {"status": [...], "artifact_type": [...], "domains": [[...]]}


def _prf(gold: Sequence[Any], pred: Sequence[Any], labels: Sequence[str]) -> dict[str, Any]:
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    if not gold:  # e.g. the types of a split (or a language) without artifacts
        zero = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
        return {
            "per_label": {lab: dict(zero) for lab in labels},
            "macro_f1": None,
            "micro_f1": None,
        }
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(labels), zero_division=0)
    return {
        "per_label": {
            lab: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(s[i]),
            }
            for i, lab in enumerate(labels)
        },
        "macro_f1": round(
            float(f1_score(gold, pred, labels=list(labels), average="macro", zero_division=0)), 4
        ),
        "micro_f1": round(
            float(f1_score(gold, pred, labels=list(labels), average="micro", zero_division=0)), 4
        ),
    }


def _domain_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    G = np.array([[d in g for d in DOMAINS] for g in gold], dtype=int)
    P = np.array([[d in p for d in DOMAINS] for p in pred], dtype=int)
    p, r, f, s = precision_recall_fscore_support(G, P, zero_division=0)
    return {
        "per_label": {
            d: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(s[i]),
            }
            for i, d in enumerate(DOMAINS)
        },
        "micro_f1": round(float(f1_score(G, P, average="micro", zero_division=0)), 4),
        "macro_f1": round(float(f1_score(G, P, average="macro", zero_division=0)), 4),
    }


def score(records: Sequence[CorpusRecord], labels: Labels) -> dict[str, Any]:
    """Per-label and averaged scores of one system's labels against the gold records."""
    gold_status = [r.status for r in records]
    status = _prf(gold_status, labels["status"], list(STATUSES))
    status["confusion"] = {
        g: {
            p: sum(
                1 for a, b in zip(gold_status, labels["status"], strict=True) if a == g and b == p
            )
            for p in STATUSES
        }
        for g in STATUSES
    }
    art = [i for i, r in enumerate(records) if r.status == "artifact"]
    atype = _prf(
        [records[i].artifact_type for i in art],
        [labels["artifact_type"][i] for i in art],
        list(ARTIFACT_TYPES),
    )
    combined_gold = [(r.status, r.artifact_type) for r in records]
    combined_pred = [
        (s, t if s == "artifact" else None)
        for s, t in zip(labels["status"], labels["artifact_type"], strict=True)
    ]
    atype["end_to_end_accuracy"] = round(
        float(np.mean([g == p for g, p in zip(combined_gold, combined_pred, strict=True)])), 4
    )
    return {
        "status": status,
        "artifact_type": atype,
        "domains": _domain_scores([r.domains for r in records], labels["domains"]),
    }


def expected_calibration_error(
    confidence: Sequence[float], correct: Sequence[bool], *, bins: int = 10
) -> tuple[float, list[dict[str, Any]]]:
    """ECE over equal-width confidence bins, with the reliability table it came from."""
    conf = np.asarray(confidence, dtype=float)
    hit = np.asarray(correct, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    table = []
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (conf >= lo) & ((conf < hi) if hi < 1.0 else (conf <= hi))
        if not mask.any():
            continue
        gap = abs(float(hit[mask].mean()) - float(conf[mask].mean()))
        ece += gap * mask.sum() / len(conf)
        table.append(
            {
                "bin": f"{lo:.1f}-{hi:.1f}",
                "n": int(mask.sum()),
                "mean_confidence": round(float(conf[mask].mean()), 4),
                "accuracy": round(float(hit[mask].mean()), 4),
            }
        )
    return round(float(ece), 4), table


# ----------------------------------------------------------------------------- baselines


def keyword_baseline(records: Sequence[CorpusRecord]) -> Labels:
    """Rules written from the codebook, on the model's own phrase lists."""
    import re

    def has(sentence: str, phrases: Sequence[str]) -> int:
        return sum(
            1 for p in phrases if re.search(r"(?<!\w)" + re.escape(p.lower()) + r"(?!\w)", sentence)
        )

    statuses, types, domains = [], [], []
    for r in records:
        text = f"{r.title}\n{r.text}".lower()
        sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
        naio = [s for s in sentences if has(s, CUES["naio"])]
        if not naio:
            status = "unrelated"
        elif any(
            has(s, CUES["release"])
            and not has(s, CUES["intention"])
            and any(has(s, v) for v in TYPE_CUES.values())
            for s in naio
        ):
            status = "artifact"
        else:
            status = "symbolic"
        type_counts = {t: has(text, v) for t, v in TYPE_CUES.items()}
        statuses.append(status)
        types.append(max(type_counts, key=lambda t: type_counts[t]))
        domains.append([d for d, v in DOMAIN_CUES.items() if has(text, v) >= 2])
    return {"status": statuses, "artifact_type": types, "domains": domains}


def tfidf_baseline(
    train_records: Sequence[CorpusRecord], records: Sequence[CorpusRecord], *, seed: int = 0
) -> Labels:
    """Word 1-2-gram TF-IDF with one logistic regression per decision."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def text(r: CorpusRecord) -> str:
        return f"{r.title}\n{r.text}"

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    Xtr = vec.fit_transform([text(r) for r in train_records])
    Xte = vec.transform([text(r) for r in records])
    status = LogisticRegression(max_iter=2000, C=10.0, solver="newton-cg", random_state=seed)
    status.fit(Xtr, [r.status for r in train_records])
    art = [i for i, r in enumerate(train_records) if r.status == "artifact"]
    atype = LogisticRegression(max_iter=2000, C=10.0, solver="newton-cg", random_state=seed)
    atype.fit(Xtr[art], [train_records[i].artifact_type for i in art])
    domains: list[list[str]] = [[] for _ in records]
    for d in DOMAINS:
        y = [int(d in r.domains) for r in train_records]
        if 0 < sum(y) < len(y):
            m = LogisticRegression(C=10.0, solver="liblinear", random_state=seed).fit(Xtr, y)
            for i, flag in enumerate(m.predict(Xte)):
                if flag:
                    domains[i].append(d)
    return {
        "status": list(status.predict(Xte)),
        "artifact_type": list(atype.predict(Xte)),
        "domains": domains,
    }


# ----------------------------------------------------------------------------- the model


def evaluate(
    classifier: Classifier,
    records: Sequence[CorpusRecord],
    *,
    train_records: Sequence[CorpusRecord] | None = None,
    batch_size: int = 256,
) -> dict[str, Any]:
    """Score the model (and the baselines) on labelled records."""
    preds = list(
        classifier.classify_many(
            ({"id": r.id, "title": r.title, "text": r.text, "lang": r.lang} for r in records),
            batch_size=batch_size,
        )
    )
    labels: Labels = {
        "status": [p.status for p in preds],
        "artifact_type": [
            max(p.artifact_type_probs, key=p.artifact_type_probs.__getitem__) for p in preds
        ],
        "domains": [list(p.domains) for p in preds],
    }
    result: dict[str, Any] = {
        "documents": len(records),
        "model": {
            "version": classifier.version,
            "path": str(classifier.path) if classifier.path else None,
        },
        "model_scores": score(records, labels),
    }
    # by language
    by_lang: dict[str, Any] = {}
    for lang in ("en", "ms", "mixed"):
        idx = [i for i, r in enumerate(records) if r.lang == lang]
        if idx:
            sub = score([records[i] for i in idx], _subset(labels, idx))
            by_lang[lang] = {
                "documents": len(idx),
                "status_macro_f1": sub["status"]["macro_f1"],
                "artifact_type_macro_f1": sub["artifact_type"]["macro_f1"],
                "domains_micro_f1": sub["domains"]["micro_f1"],
                # no artifact given or called in this language: nothing to score
                "artifact_f1": (
                    sub["status"]["per_label"]["artifact"]["f1"]
                    if sub["status"]["per_label"]["artifact"]["support"]
                    or "artifact" in _subset(labels, idx)["status"]
                    else None
                ),
            }
    result["by_language"] = by_lang
    # calibration
    conf = [p.confidence for p in preds]
    hit = [p.status == r.status for p, r in zip(preds, records, strict=True)]
    ece, table = expected_calibration_error(conf, hit)
    calibration: dict[str, Any] = {"status": {"ece": ece, "reliability": table}, "domains": {}}
    for d in DOMAINS:
        p_d = [p.domain_probs[d] for p in preds]
        y_d = [d in r.domains for r in records]
        # binary calibration: confidence of the predicted side vs its correctness
        c = [max(p, 1 - p) for p in p_d]
        ok = [(p >= 0.5) == y for p, y in zip(p_d, y_d, strict=True)]
        d_ece, d_table = expected_calibration_error(c, ok)
        calibration["domains"][d] = {"ece": d_ece, "reliability": d_table}
    result["calibration"] = calibration
    wrong_confident = [
        {"id": r.id, "gold": r.status, "predicted": p.status, "confidence": round(p.confidence, 4)}
        for p, r in zip(preds, records, strict=True)
        if p.status != r.status and p.confidence >= 0.9
    ]
    result["confident_errors"] = {
        "threshold": 0.9,
        "count": len(wrong_confident),
        "share": round(len(wrong_confident) / len(records), 4) if records else 0.0,
        "documents": wrong_confident,
    }
    review = [p.needs_review for p in preds]
    confident_art = [
        r.status == "artifact"
        for p, r in zip(preds, records, strict=True)
        if p.status == "artifact" and not p.needs_review
    ]
    wrong = [p.status != r.status for p, r in zip(preds, records, strict=True)]
    result["abstention"] = {
        "needs_review": int(sum(review)),
        "status_errors": int(sum(wrong)),
        "status_errors_flagged": int(sum(f and w for f, w in zip(review, wrong, strict=True))),
        "confident_artifact_calls": len(confident_art),
        "confident_artifact_precision": round(float(np.mean(confident_art)), 4)
        if confident_art
        else None,
    }
    baselines: dict[str, Any] = {"keyword_rules": score(records, keyword_baseline(records))}
    if train_records:
        baselines["tfidf_logreg"] = score(records, tfidf_baseline(train_records, records))
    result["baselines"] = baselines
    return result


def _subset(labels: Mapping[str, list[Any]], idx: Sequence[int]) -> Labels:
    return {k: [v[i] for i in idx] for k, v in labels.items()}


def headline(result: Mapping[str, Any]) -> dict[str, dict[str, float | None]]:
    """The three headline figures for the model and each baseline."""
    systems = {"model": result["model_scores"], **result["baselines"]}
    return {
        name: {
            "status_macro_f1": s["status"]["macro_f1"],
            "artifact_type_macro_f1": s["artifact_type"]["macro_f1"],
            "domains_micro_f1": s["domains"]["micro_f1"],
        }
        for name, s in systems.items()
    }
