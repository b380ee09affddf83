"""Throughput, memory and training time of the classifier, beside spaCy's bare tokenizer.

Builds N documents of about 300 words by shuffling sentences of the training
corpus (English and Malay), then measures in one process, in the same run:

* spaCy's bare tokenizer over the same texts (the ceiling),
* ``Classifier.classify_many`` (language routing, cues, features, three
  decisions, evidence and slots),
* peak resident memory,
* training on the whole training split.

    python benchmarks/bench_pipeline.py [-n 10000] [--model PATH] [--no-train]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import time
from pathlib import Path

from naio_nlp import pipeline
from naio_nlp.corpus import read_corpus
from naio_nlp.training import train

ROOT = Path(__file__).resolve().parents[1]


def make_documents(n: int, seed: int = 0) -> list[dict[str, str]]:
    records = read_corpus(ROOT / "corpus" / "train.jsonl")
    pools: dict[str, list[str]] = {"en": [], "ms": []}
    for r in records:
        lang = "ms" if r.lang == "ms" else "en"
        pools[lang] += [s for s in re.split(r"(?<=[.!?])\s+", r.text) if len(s.split()) > 4]
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        lang = "ms" if i % 3 == 0 else "en"
        words, sentences = 0, []
        while words < 300:
            s = rng.choice(pools[lang])
            sentences.append(s)
            words += len(s.split())
        docs.append({"id": str(i), "title": sentences[0][:80], "text": " ".join(sentences)})
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--no-train", action="store_true")
    args = parser.parse_args()
    docs = make_documents(args.n)
    words = sum(len(d["text"].split()) for d in docs) / len(docs)
    clf = pipeline.load(args.model)
    list(clf.classify_many(docs[:200]))  # warm up caches and lazy imports

    start = time.perf_counter()
    by_lang: dict[str, list[str]] = {"en": [], "ms": []}
    for i, d in enumerate(docs):
        by_lang["ms" if i % 3 == 0 else "en"].append(f"{d['title']}\n\n{d['text']}")
    for lang, texts in by_lang.items():
        for _ in clf.analyzer.pipelines[lang].tokenizer.pipe(texts, batch_size=256):
            pass
    tok_rate = len(docs) / (time.perf_counter() - start)

    start = time.perf_counter()
    n = sum(1 for _ in clf.classify_many(docs, batch_size=256))
    rate = n / (time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"documents: {len(docs)} of {words:.0f} words on average (1/3 Malay)")
    print(f"spaCy bare tokenizer: {tok_rate:,.0f} docs/s")
    print(f"classify_many:        {rate:,.0f} docs/s ({rate / tok_rate:.0%} of the tokenizer)")
    print(f"peak memory (RSS):    {peak_mb:,.0f} MB")
    if not args.no_train:
        records = read_corpus(ROOT / "corpus" / "train.jsonl")
        start = time.perf_counter()
        train(records, seed=0)
        print(f"training on {len(records)} documents: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
