"""Held-out-batch domain figures, by language, for domain-head settings (issue 13).

Builds what training builds up to the domain heads once (analysis, rows,
out-of-batch passage scores), then fits the domain heads with each setting
asked for and prints the out-of-batch domains micro-F1: overall, by language
(en / ms / mixed) and over the realistic batches (r*) alone. Only the training
files are read; the frozen test splits are never touched.

    python benchmarks/cv_domains.py                        # the shipped defaults
    python benchmarks/cv_domains.py --scale 0.1 0.25 --c 64 256 --text-c 10 --blend 0.5 1

Each ``--variant`` is one run: ``scale=0.25,0.5;c=16,64;text_c=none;blend=1``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from naio_nlp.cli._corpus_path import training_files  # noqa: E402
from naio_nlp.corpus import CorpusRecord, read_corpus  # noqa: E402
from naio_nlp.labels import DOMAINS  # noqa: E402
from naio_nlp.passages import aggregates  # noqa: E402
from naio_nlp.training import (  # noqa: E402
    DOMAIN_BLEND_GRID,
    DOMAIN_C_GRID,
    DOMAIN_SCALE_GRID,
    DOMAIN_TEXT_C,
    _DomainFit,
    _fit_domains,
    _passage_oof,
    _prepare,
    _Prepared,
)


def micro_f1(called: npt.NDArray[np.bool_], gold: npt.NDArray[np.bool_]) -> float:
    tp = float((called & gold).sum())
    fp = float((called & ~gold).sum())
    fn = float((~called & gold).sum())
    return 2 * tp / max(2 * tp + fp + fn, 1.0)


def report(
    label: str, called: npt.NDArray[np.bool_], records: Sequence[CorpusRecord], seconds: float
) -> None:
    gold = np.array([[d in r.domains for d in DOMAINS] for r in records])
    langs = np.array([r.lang for r in records])
    realistic = np.array([r.group.startswith("r") for r in records])
    parts = [f"all {micro_f1(called, gold):.3f}"]
    for lang in ("en", "ms", "mixed"):
        m = langs == lang
        parts.append(f"{lang} {micro_f1(called[m], gold[m]):.3f}")
    for lang in ("en", "ms"):
        m = realistic & (langs == lang)
        parts.append(f"r*/{lang} {micro_f1(called[m], gold[m]):.3f}")
    per = " ".join(
        f"{d[:6]} {micro_f1(called[:, j], gold[:, j]):.2f}" for j, d in enumerate(DOMAINS)
    )
    print(f"{label}\n  micro-F1: {' | '.join(parts)}  ({seconds:.0f} s)\n  per domain: {per}")


def fit_domain_heads(
    prep: _Prepared,
    records: Sequence[CorpusRecord],
    agg_oof: npt.NDArray[np.float64],
    seed: int,
    scale: Sequence[float] = DOMAIN_SCALE_GRID,
    cs: Sequence[float] = DOMAIN_C_GRID,
    text_c: float | None = DOMAIN_TEXT_C,
    blend: Sequence[float] = DOMAIN_BLEND_GRID,
) -> _DomainFit:
    """The domain heads as training fits them (the shipped grids by default), quietly."""
    return _fit_domains(
        prep,
        records,
        agg_oof,
        seed,
        [(s, c) for s in scale for c in cs],
        text_c,
        tuple(blend),
        lambda stage, done, total: None,
    )


def parse_variant(text: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for part in text.split(";"):
        key, _, value = part.partition("=")
        vals = value.split(",")
        if key == "text_c":
            out[key] = None if value == "none" else float(value)
        else:
            out[key] = tuple(float(v) for v in vals)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--passage-c", type=float, default=0.5)
    ap.add_argument("--scale", type=float, nargs="+", default=list(DOMAIN_SCALE_GRID))
    ap.add_argument("--c", type=float, nargs="+", default=list(DOMAIN_C_GRID))
    ap.add_argument("--text-c", default=str(DOMAIN_TEXT_C), help="a number, or none")
    ap.add_argument("--blend", type=float, nargs="+", default=list(DOMAIN_BLEND_GRID))
    ap.add_argument("--variant", action="append", default=[], help="several runs (see above)")
    args = ap.parse_args()

    train_files, _ = training_files(args.corpus)
    records = read_corpus(train_files)
    started = time.perf_counter()
    prep = _prepare(records, args.seed, lambda stage, done, total: None)
    z = _passage_oof(prep, args.passage_c, args.seed)
    agg_oof, _ = aggregates(prep.B, z, prep.cols)
    print(
        f"{len(records)} training documents, {len(prep.folds)} group folds; "
        f"rows and passage scores in {time.perf_counter() - started:.0f} s"
    )
    variants = [parse_variant(v) for v in args.variant] or [
        {
            "scale": tuple(args.scale),
            "c": tuple(args.c),
            "text_c": None if args.text_c == "none" else float(args.text_c),
            "blend": tuple(args.blend),
        }
    ]
    for v in variants:
        scale = v.get("scale", tuple(args.scale))
        cs = v.get("c", tuple(args.c))
        text_c = v.get("text_c", None if args.text_c == "none" else float(args.text_c))
        blend = v.get("blend", tuple(args.blend))
        assert isinstance(scale, tuple) and isinstance(cs, tuple) and isinstance(blend, tuple)
        assert text_c is None or isinstance(text_c, float)
        t0 = time.perf_counter()
        fit = fit_domain_heads(prep, records, agg_oof, args.seed, scale, cs, text_c, blend)
        label = f"scale={scale} C={cs} text_C={text_c} blend={blend}"
        report(label, fit.called, records, time.perf_counter() - t0)
        print(f"  chosen: {fit.chosen}")


if __name__ == "__main__":
    main()
