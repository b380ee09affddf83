"""What the review loop buys: labels saved by the queue's order, and label errors it finds.

Two measurements on ``corpus/train.jsonl`` (the frozen test split is not read):

1. **Active learning.** Per seed, a stratified 30% of the training split is
   held out for scoring and the rest is the pool. Start from 100 random
   labelled documents; each round, add 25 more, either the next ones in the
   review queue's order (:func:`naio_nlp.review.uncertainty_order`: smallest
   margin between the two most probable statuses first) or at random; retrain;
   score status macro-F1 and artifact F1 on the held-out part. Averaged over
   seeds and plotted to a PNG.
2. **Label issues.** Plant wrong statuses in 5% of a copy of the training
   split; run :func:`naio_nlp.review.find_label_issues` (confident learning,
   its default cut); report precision and recall of the suspects list, and
   precision among the top k (k = number planted).

The model retrained each round is the light one the label-issue search uses
(TF-IDF word 1-2-grams + logistic regression), not ``naio_nlp.train``: the
full training with its cross-validated grid costs about 20 s a run, and the
simulation needs hundreds of runs. The queue ranks by the retrained model's
own probabilities, as the app ranks by the shipped model's.

    python benchmarks/bench_review.py [--seeds 3] [--step 25] [--start 100]
        [--plot docs/review-active-learning.png]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from naio_nlp.corpus import CorpusRecord, read_corpus
from naio_nlp.labels import STATUSES
from naio_nlp.review import find_label_issues, uncertainty_order

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.90


def _split(
    records: list[CorpusRecord], seed: int, held_out: float = 0.3
) -> tuple[list[CorpusRecord], list[CorpusRecord]]:
    from sklearn.model_selection import train_test_split

    pool, test = train_test_split(
        records, test_size=held_out, random_state=seed, stratify=[r.status for r in records]
    )
    return list(pool), list(test)


def _simulate(
    pool: list[CorpusRecord],
    test: list[CorpusRecord],
    *,
    seed: int,
    start: int,
    step: int,
    strategy: str,
) -> list[tuple[int, float, float]]:
    """(labels used, status macro-F1, artifact F1) after each round."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    texts = [f"{r.title}\n{r.text}" for r in pool]
    # the vectoriser sees the unlabelled pool's text, as a reviewer's tool would
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(texts)
    X = vec.transform(texts)
    X_test = vec.transform([f"{r.title}\n{r.text}" for r in test])
    y = np.array([r.status for r in pool])
    y_test = [r.status for r in test]
    rng = random.Random(seed)
    labelled = rng.sample(range(len(pool)), start)
    points: list[tuple[int, float, float]] = []
    while True:
        model = LogisticRegression(C=10.0, max_iter=2000).fit(X[labelled], y[labelled])
        pred = model.predict(X_test)
        macro = float(f1_score(y_test, pred, labels=list(STATUSES), average="macro"))
        art = float(f1_score(y_test, pred, labels=["artifact"], average="macro"))
        points.append((len(labelled), macro, art))
        taken = set(labelled)
        rest = [i for i in range(len(pool)) if i not in taken]
        if not rest:
            return points
        if strategy == "queue":
            # the margin between the top two does not depend on the column order
            order: npt.NDArray[np.int64] = uncertainty_order(model.predict_proba(X[rest]))
            chosen = [rest[i] for i in order[:step]]
        else:
            chosen = rng.sample(rest, min(step, len(rest)))
        labelled = labelled + chosen


def _first_reaching(curve: list[tuple[int, float]], target: float) -> int | None:
    return next((n for n, f in curve if f >= target), None)


def active_learning(records: list[CorpusRecord], args: argparse.Namespace) -> None:
    runs: dict[str, list[list[tuple[int, float, float]]]] = {"queue": [], "random": []}
    for seed in range(args.seeds):
        pool, test = _split(records, seed)
        for strategy in runs:
            runs[strategy].append(
                _simulate(
                    pool, test, seed=seed, start=args.start, step=args.step, strategy=strategy
                )
            )
    n_pool, n_test = len(_split(records, 0)[0]), len(_split(records, 0)[1])
    print(
        f"active learning: pool {n_pool}, held out {n_test}, start {args.start}, "
        f"step {args.step}, {args.seeds} seeds"
    )
    mean: dict[str, list[tuple[int, float, float, float, float]]] = {}
    for strategy, curves in runs.items():
        length = min(len(c) for c in curves)
        rows = []
        for k in range(length):
            n = curves[0][k][0]
            macro = np.array([c[k][1] for c in curves])
            art = np.array([c[k][2] for c in curves])
            rows.append((n, macro.mean(), macro.std(), art.mean(), art.std()))
        mean[strategy] = rows
    print(
        f"{'labels':>7}  {'queue macro-F1':>15} {'random macro-F1':>16}  {'queue art-F1':>13} "
        f"{'random art-F1':>14}"
    )
    for q, r in zip(mean["queue"], mean["random"], strict=False):
        print(f"{q[0]:>7}  {q[1]:>15.3f} {r[1]:>16.3f}  {q[3]:>13.3f} {r[3]:>14.3f}")
    for label, col in (("status macro-F1", 1), ("artifact F1", 3)):
        reach = {
            s: _first_reaching([(row[0], row[col]) for row in rows], TARGET)
            for s, rows in mean.items()
        }
        saved = (
            f"the queue saves {reach['random'] - reach['queue']} labels"
            if reach["queue"] is not None and reach["random"] is not None
            else "not reached by both"
        )
        print(
            f"{label} reaches {TARGET:.2f} (mean over seeds) at: queue {reach['queue']}, "
            f"random {reach['random']} labels; {saved}"
        )
    if args.plot:
        _plot(mean, args.plot)
        print(f"plot: {args.plot}")


def _plot(mean: dict[str, list[tuple[int, float, float, float, float]]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True)
    colours = {"queue": "#1f77b4", "random": "#888888"}
    for ax, col, title in ((axes[0], 1, "status macro-F1"), (axes[1], 3, "artifact F1")):
        for strategy, rows in mean.items():
            n = np.array([r[0] for r in rows])
            m = np.array([r[col] for r in rows])
            s = np.array([r[col + 1] for r in rows])
            label = "review queue order" if strategy == "queue" else "random"
            ax.plot(n, m, color=colours[strategy], label=label)
            ax.fill_between(n, m - s, m + s, color=colours[strategy], alpha=0.15)
        ax.axhline(TARGET, color="#c44", linewidth=0.8, linestyle="--")
        ax.set_title(title)
        ax.set_xlabel("labelled documents")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower right")
    fig.suptitle("Retraining on documents chosen by the review queue vs at random (mean ± sd)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def label_issues(records: list[CorpusRecord], args: argparse.Namespace) -> None:
    print(f"label issues: {len(records)} documents, {args.noise:.0%} planted wrong statuses")
    precisions, recalls, top_k, c_prec, c_rec = [], [], [], [], []
    for seed in range(args.seeds):
        rng = random.Random(1000 + seed)
        planted = set(rng.sample(range(len(records)), round(args.noise * len(records))))
        labels = [
            rng.choice([s for s in STATUSES if s != r.status]) if i in planted else r.status
            for i, r in enumerate(records)
        ]
        issues = find_label_issues([f"{r.title}\n{r.text}" for r in records], labels, seed=seed)
        found = set(issues.suspects)
        hit = len(found & planted)
        k = len(planted)
        precisions.append(hit / len(found) if found else 0.0)
        recalls.append(hit / k)
        top_k.append(len(set(issues.suspects[:k]) & planted) / k)
        c_hit = len(issues.confident & planted)
        c_prec.append(c_hit / len(issues.confident) if issues.confident else 0.0)
        c_rec.append(c_hit / k)
        print(
            f"  seed {seed}: {len(found)} suspects, {hit} of {k} planted found "
            f"(precision {precisions[-1]:.3f}, recall {recalls[-1]:.3f}); "
            f"precision in the top {k} {top_k[-1]:.3f}; confidently another class: "
            f"{len(issues.confident)}, {c_hit} planted "
            f"(precision {c_prec[-1]:.3f}, recall {c_rec[-1]:.3f})"
        )
    print(
        f"  mean at the default cut: precision {np.mean(precisions):.3f}, "
        f"recall {np.mean(recalls):.3f}; precision in the top k {np.mean(top_k):.3f}; "
        f"confidently-another-class subset: precision {np.mean(c_prec):.3f}, "
        f"recall {np.mean(c_rec):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "train.jsonl")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--start", type=int, default=100)
    parser.add_argument("--step", type=int, default=25)
    parser.add_argument("--noise", type=float, default=0.05)
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "review-active-learning.png")
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    records = read_corpus(args.corpus)
    started, cpu = time.perf_counter(), time.process_time()
    with threadpool_limits(limits=1):  # small matrices: one BLAS thread is the fastest
        active_learning(records, args)
        label_issues(records, args)
    print(
        f"took {time.perf_counter() - started:.0f} s wall, "
        f"{time.process_time() - cpu:.0f} s CPU of this process"
    )


if __name__ == "__main__":
    main()
