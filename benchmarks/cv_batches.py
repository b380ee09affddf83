"""Does a new writing batch help? Held-out-batch figures, scored on a fixed set of documents.

Adding batches changes the documents cross-validation scores, so the overall
figures before and after are not comparable. This trains what ``naio-nlp train``
trains up to its out-of-batch predictions (passage scores, the status head on the
shipped grid, the domain heads) on ``--train`` files, five group folds over
writing batches, and scores only the documents whose ids are in ``--score-on``:
run it once on the old files and once with the new batch, scoring both on the
old files, and the two lines compare like for like. Only training files are
read; never pass a frozen test split.

    git show 155635d:corpus/train_realistic.jsonl > /tmp/before.jsonl
    python benchmarks/cv_batches.py --train corpus/train.jsonl /tmp/before.jsonl \
        --score-on corpus/train.jsonl /tmp/before.jsonl
    python benchmarks/cv_batches.py --train corpus/train.jsonl corpus/train_realistic.jsonl \
        --score-on corpus/train.jsonl /tmp/before.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cv_domains import fit_domain_heads, micro_f1  # noqa: E402

from naio_nlp.corpus import read_corpus  # noqa: E402
from naio_nlp.labels import DOMAINS, STATUSES  # noqa: E402
from naio_nlp.passages import aggregates  # noqa: E402
from naio_nlp.training import (  # noqa: E402
    _macro_f1,
    _oof_logits,
    _passage_oof,
    _prepare,
    _status_rows,
)

Mask = npt.NDArray[np.bool_]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, nargs="+", required=True, help="labelled .jsonl files")
    ap.add_argument("--score-on", type=Path, nargs="+", required=True, help="ids scored")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    for path in [*args.train, *args.score_on]:
        if path.name.startswith("test"):
            raise SystemExit(f"{path}: frozen test splits are never used here")
    started = time.perf_counter()
    records = read_corpus(args.train)
    scored_ids = {
        json.loads(line)["id"]
        for path in args.score_on
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    prep = _prepare(records, args.seed, lambda stage, done, total: None)
    agg, _ = aggregates(prep.B, _passage_oof(prep, 0.5, args.seed), prep.cols)

    y = np.array([r.status for r in records])
    classes = tuple(c for c in STATUSES if c in set(y.tolist()))
    best: tuple[float, npt.NDArray[np.float64]] | None = None
    for text_weight in (0.0, 0.5):  # the grids fit_classifier searches
        rows = _status_rows(prep.X1, agg, text_weight, prep.masks["status"])
        for c in (4.0, 16.0, 64.0):
            z = _oof_logits(rows, y, classes, prep.folds, c, args.seed)
            value = _macro_f1(y.tolist(), [classes[i] for i in z.argmax(1)], classes)
            if best is None or value > best[0] + 1e-9:
                best = (value, z)
    assert best is not None
    pred = np.array([classes[i] for i in best[1].argmax(1)])

    fit = fit_domain_heads(prep, records, agg, args.seed)
    gold = np.array([[d in r.domains for d in DOMAINS] for r in records])
    scored = np.array([r.id in scored_ids for r in records])
    lang = np.array([r.lang for r in records])
    realistic = np.array([r.group.startswith("r") for r in records])

    def status(m: Mask) -> float:
        return _macro_f1(y[m].tolist(), pred[m].tolist(), classes)

    def domains(m: Mask) -> float:
        return micro_f1(fit.called[m], gold[m])

    subsets = {
        "scored": scored,
        "realistic": scored & realistic,
        "realistic en": scored & realistic & (lang == "en"),
        "realistic ms": scored & realistic & (lang == "ms"),
        "mixed": scored & (lang == "mixed"),
    }
    print(
        f"{len(records)} training documents, {len(prep.folds)} group folds, "
        f"{int(scored.sum())} scored ({time.perf_counter() - started:.0f} s)"
    )
    print("status macro-F1:  " + " | ".join(f"{k} {status(m):.3f}" for k, m in subsets.items()))
    print("domains micro-F1: " + " | ".join(f"{k} {domains(m):.3f}" for k, m in subsets.items()))


if __name__ == "__main__":
    main()
