"""Train the ledger's pairwise scorer on the development files only, and save it as JSON.

The scorer is a logistic regression over ``naio_nlp.ledger.FEATURES`` of a
(report, entry) pair: the probability that a report names the same output as
an entry. Examples come from the labelled development files of the ledger set
(``corpus/ledger/dev.jsonl``, ``own-dev.jsonl``, ``dev2.jsonl``, ``dev3.jsonl`` and
``dev4.jsonl``, ``dev5.jsonl``, ``dev6.jsonl`` when they exist; the frozen ``test.jsonl``,
``own-test.jsonl`` and ``test2.jsonl`` … ``test4.jsonl`` are refused): the
documents are read as the ledger reads them (with gold labels, and with the
shipped classifier's unless ``--gold-only``), taken in date order, and each
report is paired with the gold outputs already seen in its file that blocking
makes candidates (as linking does: the pairs the scorer will be asked about)
and the cannot-link rules allow: same output -> 1, else 0.

The threshold is chosen by grouped cross-validation on the same files, one
file (one writer's batch) held out at a time: a scorer trained on the other
files links the held-out file for real, and the threshold with
the best mean B-cubed F1 over the folds wins (ties: the higher threshold).
The final weights are fitted on every example and written to
``src/naio_nlp/ledger_scorer.json`` (feature names, coefficients, intercept,
threshold, version): no pickle. They are written only when they group every
development file, with both labellings, at least as well as the weights
shipped now (B-cubed F1) and merge no more hard-negative pairs; ``--force``
writes them anyway.

    python benchmarks/train_ledger_scorer.py             # train, cross-validate, save
    python benchmarks/train_ledger_scorer.py --dry-run   # print only
    python benchmarks/train_ledger_scorer.py --force     # write even if worse than shipped
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ["NAIO_NLP_LEDGER_TRAINING"] = "1"  # import the ledger before weights exist

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import DEV_DATA, article, gold_prediction, load, score

from naio_nlp import ledger as L
from naio_nlp.schema import Article, Prediction

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "naio_nlp" / L.SCORER_FILE
THRESHOLDS = tuple(round(0.10 + 0.02 * i, 2) for i in range(41))  # 0.10 .. 0.90
C = 1.0
#: Smoothed B-cubed F1 this close to the best counts as as good (about one document's
#: worth on the development files) when the choice falls to hard negatives merged.
F1_TOLERANCE = 0.005

Pairs = list[tuple[Article, Prediction]]


def dev_paths(extra: Sequence[Path]) -> list[Path]:
    paths = [p for p in DEV_DATA if p.exists()] + list(extra)  # the bench's list, one place
    for p in paths:
        if "test" in p.name:
            raise SystemExit(f"{p}: frozen test files are never trained on")
    return paths


def labelled_sets(
    paths: Sequence[Path], gold_only: bool
) -> list[tuple[str, list[dict[str, Any]], Pairs]]:
    """(name, records, pairs) per file and labelling: gold, and the classifier's."""
    out = []
    clf = None
    if not gold_only:
        from naio_nlp import classifier as classifier_module

        clf = classifier_module.load(None)
    for path in paths:
        recs = load(path)
        arts = [article(r) for r in recs]
        out.append(
            (f"{path.name}/gold", recs, list(zip(arts, map(gold_prediction, recs), strict=True)))
        )
        if clf is not None:
            preds = list(clf.classify_many(arts))
            out.append((f"{path.name}/model", recs, list(zip(arts, preds, strict=True))))
    return out


def examples(
    recs: Sequence[dict[str, Any]], pairs: Pairs
) -> tuple[list[list[float]], list[int], list[str]]:
    """Feature rows, labels and the query report's gold key (for grouping)."""
    gold = {r["id"]: r["artifact_key"] or f"none:{r['id']}" for r in recs}
    reports = [r for a, p in pairs if (r := L.read_report(a, p)) is not None]
    reports.sort(key=L._by_date)
    led = L.Ledger()  # gold entries, filled in date order
    X: list[list[float]] = []
    y: list[int] = []
    groups: list[str] = []
    for rep in reports:
        key = gold[rep.article_id]
        if rep.linkable or L._LINK_NAMELESS:
            k = L._key(rep.name)
            idf = led._idf(rep)
            # only the entries blocking offers: pairing a report with every output seen
            # taught the scorer easy negatives linking never meets, and it then ranked
            # the look-alikes blocking does bring worse than the shipped weights
            for eid in led._candidates(k, idf):
                if led._vetoed(rep, rep.name, k, eid):
                    continue
                X.append(led._features(rep, rep.name, eid, idf))
                y.append(int(eid == key))
                groups.append(key)
        led._reports.setdefault(key, []).append(rep)
        k = L._key(rep.name)
        if k not in led._keys.setdefault(key, {}):
            led._keys[key][k] = None
            if rep.linkable:
                for bk in L._block_keys(k):
                    led._index.setdefault(bk, set()).add(key)
        led._views.pop(key, None)
        led._remember(rep, key)
    return X, y, groups


def fit(X: Sequence[Sequence[float]], y: Sequence[int]) -> LogisticRegression:
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit(np.asarray(X, dtype=float), np.asarray(y))
    return model


def as_scorer(model: LogisticRegression, threshold: float) -> L.Scorer:
    return L.Scorer(
        L.FEATURES,
        tuple(float(c) for c in model.coef_[0]),
        float(model.intercept_[0]),
        threshold,
    )


def cross_validate(
    sets: Sequence[tuple[str, list[dict[str, Any]], Pairs]],
) -> tuple[dict[float, list[float]], Counter[float]]:
    """B-cubed F1 x documents per threshold, one file held out at a time.

    A file is one writer's batch, with its own outputs and look-alikes: the
    scorer trained on the other files links the held-out file in full, as a
    new batch would be linked (grouped cross-validation, grouped by file).
    """
    per_set = [examples(recs, pairs) for _, recs, pairs in sets]
    files = sorted({name.split("/")[0] for name, _, _ in sets})
    scores: dict[float, list[float]] = defaultdict(list)
    merged: Counter[float] = Counter()  # hard-negative pairs merged, per threshold
    for held_out in files:
        train = [
            ex
            for (name, _, _), ex in zip(sets, per_set, strict=True)
            if not name.startswith(held_out)
        ]
        model = fit([x for Xs, _, _ in train for x in Xs], [v for _, ys, _ in train for v in ys])
        for name, recs, pairs in sets:
            if not name.startswith(held_out):
                continue
            for t in THRESHOLDS:
                L._use_scorer(as_scorer(model, t))
                res = score(recs, L.build(pairs))
                scores[t].append(res["all"][2] * len(recs))
                merged[t] += len(res["hard_merged"])
    L._use_scorer(None)
    return scores, merged


def dev_figures(
    sets: Sequence[tuple[str, list[dict[str, Any]], Pairs]], scorer: L.Scorer
) -> dict[str, tuple[float, int]]:
    """B-cubed F1 and hard-negative pairs merged per file and labelling, with ``scorer``."""
    old = L._use_scorer(scorer)
    try:
        out = {}
        for name, recs, pairs in sets:
            res = score(recs, L.build(pairs))
            out[name] = (res["all"][2], len(res["hard_merged"]))
        return out
    finally:
        L._use_scorer(old)


def no_worse(new: dict[str, tuple[float, int]], shipped: dict[str, tuple[float, int]]) -> bool:
    """The new weights group every file at least as well and merge no more look-alikes."""
    return all(new[k][0] >= shipped[k][0] - 1e-9 and new[k][1] <= shipped[k][1] for k in shipped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="*", default=[], help="more dev files")
    parser.add_argument("--gold-only", action="store_true", help="skip the classifier's labels")
    parser.add_argument("--dry-run", action="store_true", help="do not write the JSON")
    parser.add_argument(
        "--force", action="store_true", help="write even when worse than the shipped weights"
    )
    args = parser.parse_args()
    paths = dev_paths(args.data)
    print("training on:", ", ".join(str(p.relative_to(ROOT)) for p in paths))
    sets = labelled_sets(paths, args.gold_only)
    X: list[list[float]] = []
    y: list[int] = []
    for _, recs, pairs in sets:
        Xs, ys, _ = examples(recs, pairs)
        X += Xs
        y += ys
    print(f"examples: {len(y)} ({sum(y)} same output, {len(y) - sum(y)} different)")
    cv, merged = cross_validate(sets)
    n_docs = sum(len(recs) for _, recs, _ in sets)
    mean = {t: sum(v) / n_docs for t, v in cv.items()}
    # the best of the scores smoothed over neighbouring thresholds (one fold's luck
    # at a single threshold is not a reason to choose it); ties: the higher threshold
    smooth = {
        t: sum(mean[u] for u in THRESHOLDS[max(0, i - 1) : i + 2])
        / len(THRESHOLDS[max(0, i - 1) : i + 2])
        for i, t in enumerate(THRESHOLDS)
    }
    # no hard-negative pair may merge (the target): thresholds that merged
    # one in cross-validation are out. When every threshold merged some, those within
    # F1_TOLERANCE of the best smoothed score compete on the fewest merged, then as above
    allowed = [t for t in THRESHOLDS if merged[t] == 0]
    if not allowed:
        top = max(smooth.values())
        near = [t for t in THRESHOLDS if smooth[t] >= top - F1_TOLERANCE]
        fewest = min(merged[t] for t in near)
        allowed = [t for t in near if merged[t] == fewest]
    best = max(allowed, key=lambda t: (round(smooth[t], 4), t))
    print(
        "grouped CV, B-cubed F1 (document-weighted) by threshold: "
        + " ".join(f"{t:.2f}:{mean[t]:.3f}" for t in THRESHOLDS[::4])
    )
    print(
        "hard-negative pairs merged in CV by threshold: "
        + " ".join(f"{t:.2f}:{merged[t]}" for t in THRESHOLDS[::4])
    )
    print(
        f"threshold: {best:.2f} (CV B-cubed F1 {mean[best]:.3f}, smoothed {smooth[best]:.3f}; "
        f"hard-negative pairs merged in CV: {merged[best]})"
    )
    scorer = as_scorer(fit(X, y), best)
    for name, c in zip(L.FEATURES, scorer.coef, strict=True):
        print(f"  {name:22} {c:+.3f}")
    print(f"  {'intercept':22} {scorer.intercept:+.3f}")
    new = dev_figures(sets, scorer)
    shipped: dict[str, tuple[float, int]] = {}
    if OUT.exists():
        current = L.load_scorer(json.loads(OUT.read_text(encoding="utf-8")))
        shipped = dev_figures(sets, current)
    print("development files, B-cubed F1 (hard-negative pairs merged): new [shipped]")
    for name in new:
        f, m = new[name]
        was = f" [{shipped[name][0]:.3f} ({shipped[name][1]})]" if name in shipped else ""
        print(f"  {name:22} {f:.3f} ({m}){was}")
    if shipped and not no_worse(new, shipped) and not args.force:
        print(
            f"not written: the new weights group some development file worse than "
            f"{OUT.relative_to(ROOT)} does (--force writes them anyway)"
        )
        return
    if not args.dry_run:
        OUT.write_text(json.dumps(scorer.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
