"""What each of the classifier's speed tricks is worth, on text with new words.

The classifier carries three pieces of code whose only reason is speed:

* ``word_table``: the lexical attributes of each distinct word live in an
  open-addressed numpy table read without a lock (``features._WordTable``)
  instead of a Python dict behind a lock;
* ``special_cases``: the tokenizers drop the special cases that split nothing
  (``features._drop_idle_special_cases``), which spaCy would otherwise not cache;
* ``chunk_cache``: the tokenizers remember 200,000 chunks, not spaCy's 10,000
  (``features._widen_tokenizer_cache``).

A fourth, building predictions by writing the frozen dataclasses' slots
without their checks, was measured here and removed: on an idle machine the
checked constructors were 1-3% faster in each of three rounds.

Each is switched off in turn, in the same process and over the same documents,
in interleaved rounds (a freshly loaded model each time, warmed up on other
documents), and ``classify_many`` is timed. A trick pays when switching it off
makes the run slower. Every configuration must give the same predictions as the
shipped code, which the script checks.

    python benchmarks/bench_speed_tricks.py [-n 10000] [--novel 0.1] [--rounds 2]
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import spacy
from bench_pipeline import make_documents

from naio_nlp import classifier as classifier_module
from naio_nlp import features

Undo = Callable[[], None]


def _dict_word_table(clf: classifier_module.Classifier) -> Undo:
    """The plain design: each distinct word of a batch looked up in a dict, under a lock."""
    original = features._WordTable.lookup

    def lookup(self: Any, orth: npt.NDArray[np.uint64]) -> tuple[Any, Any, Any]:
        cache: dict[int, tuple[int, int, int]] = self.__dict__.setdefault("_plain", {})
        lock: threading.Lock = self.__dict__.setdefault("_plain_lock", threading.Lock())
        uniq, inverse = np.unique(orth, return_inverse=True)
        values = np.empty((uniq.size, 3), dtype=np.uint64)
        with lock:
            for i, o in enumerate(uniq.tolist()):
                row = cache.get(o)
                if row is None:
                    row = tuple(self._describe(np.array([o], dtype=np.uint64))[0].tolist())
                    cache[o] = row
                values[i] = row
        values = values[inverse.ravel()]
        return values[:, 0], values[:, 1].astype(np.int64), values[:, 2].astype(np.int64)

    # the table is per analyzer, but the method is per class: patch the class
    features._WordTable.lookup = lookup  # type: ignore[method-assign]

    def undo() -> None:
        features._WordTable.lookup = original  # type: ignore[method-assign]

    return undo


def _all_special_cases(clf: classifier_module.Classifier) -> Undo:
    """spaCy's full special-case tables back in the model's tokenizers."""
    analyzer = clf.analyzer
    for lang, nlp in analyzer.pipelines.items():
        tokenizer: Any = nlp.tokenizer
        tokenizer.rules = cast(Any, spacy.blank(lang).tokenizer).rules
        analyzer._pristine[lang] = nlp.to_bytes()  # a rebuild keeps them too
    return lambda: None


def _default_chunk_cache(clf: classifier_module.Classifier) -> Undo:
    """spaCy's default 10,000-chunk tokenizer cache."""
    for nlp in clf.analyzer.pipelines.values():
        tokenizer: Any = nlp.tokenizer
        tokenizer.max_cache_size = 10_000
    original = features.TOKENIZER_CACHE
    features.TOKENIZER_CACHE = 10_000  # a rebuilt pipeline gets the same

    def undo() -> None:
        features.TOKENIZER_CACHE = original

    return undo


CONFIGS: dict[str, Callable[[classifier_module.Classifier], Undo] | None] = {
    "shipped (all tricks)": None,
    "dict word table": _dict_word_table,
    "all special cases": _all_special_cases,
    "10,000-chunk cache": _default_chunk_cache,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--novel", type=float, default=0.1, metavar="SHARE")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=None, help="configuration names to run")
    args = parser.parse_args()
    docs = make_documents(args.n, novel=args.novel)
    warm_up = make_documents(200, seed=1)
    names = [n for n in CONFIGS if args.only is None or n in args.only or n.startswith("shipped")]
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    reference: list[dict[str, Any]] | None = None
    identical: dict[str, bool] = {}
    for r in range(args.rounds):
        for name in names:
            clf = classifier_module.load()
            patch = CONFIGS[name]
            undo = patch(clf) if patch else (lambda: None)
            try:
                list(clf.classify_many(warm_up))
                t0, c0 = time.perf_counter(), time.process_time()
                out = [p.to_dict() for p in clf.classify_many(docs, batch_size=256)]
                wall[name].append(len(docs) / (time.perf_counter() - t0))
                cpu[name].append(len(docs) / (time.process_time() - c0))
            finally:
                undo()
            if reference is None:
                reference = out
            identical[name] = identical.get(name, True) and out == reference
            print(
                f"round {r + 1} {name:<22} {wall[name][-1]:7,.0f} docs/s wall"
                f" {cpu[name][-1]:7,.0f} docs/s of CPU",
                flush=True,
            )
    base = statistics.median(cpu[names[0]])
    print(f"\n{args.n} documents, {args.novel:.0%} of words made up, {args.rounds} rounds")
    print(f"{'configuration':<24}{'docs/s wall':>12}{'docs/s CPU':>12}{'vs shipped':>12}  same")
    for name in names:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"{name:<24}{w:12,.0f}{c:12,.0f}{c / base:11.2f}x  {identical[name]}")
    print("(vs shipped < 1: switching the trick off slows the run, so the trick pays)")


if __name__ == "__main__":
    main()
