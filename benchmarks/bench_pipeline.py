"""Throughput, memory and training time of the classifier, beside spaCy's bare tokenizer.

Builds N documents of about 300 words by shuffling sentences of the training
corpus (English and Malay), then measures in one process, in the same run:

* spaCy's bare tokenizer over the same texts (the ceiling): the model's own
  tokenizers, and for reference spaCy's as ``spacy.blank`` makes them (naio_nlp
  widens the chunk cache and drops special cases that split nothing; see
  ``naio_nlp.features``),
* ``Classifier.classify_many`` (language routing, cues, features, three
  decisions, evidence and slots),
* peak resident memory,
* training on the whole training data (train.jsonl and train_realistic.jsonl).

    python benchmarks/bench_pipeline.py [-n 10000] [--model PATH] [--no-train] [--novel 0.1]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import time
from pathlib import Path
from typing import Any

import spacy

from naio_nlp import classifier as classifier_module
from naio_nlp.corpus import read_corpus
from naio_nlp.language import detect_languages

ROOT = Path(__file__).resolve().parents[1]


def make_documents(n: int, seed: int = 0, novel: float = 0.0) -> list[dict[str, str]]:
    """N documents of about 300 words; with ``novel``, that share of words made up.

    Shuffled corpus sentences reuse a few tens of thousands of distinct words,
    which spaCy's caches soon hold; real news keeps bringing new names and
    terms. A made-up word (a corpus word plus random letters, its punctuation
    kept) is new to every cache.
    """
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
        text = " ".join(sentences)
        if novel:
            text = " ".join(
                _made_up(w, rng) if rng.random() < novel else w for w in text.split(" ")
            )
        docs.append({"id": str(i), "title": sentences[0][:80], "text": text})
    return docs


def _made_up(word: str, rng: random.Random) -> str:
    core = word.rstrip(".,;:!?)”\"'")
    tail = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(4))
    return core + tail + word[len(core) :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--no-train", action="store_true")
    parser.add_argument(
        "--novel",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="replace this share of words with made-up ones, new to every cache (e.g. 0.1)",
    )
    args = parser.parse_args()
    docs = make_documents(args.n, novel=args.novel)
    warm_up = make_documents(200, seed=1)  # not among the measured documents
    words = sum(len(d["text"].split()) for d in docs) / len(docs)

    # Each measurement gets its own freshly loaded model, warmed up on the same
    # other documents: spaCy's tokenizer caches the chunks it has split, so
    # whichever ran second over the same texts would start with them cached.
    clf = classifier_module.load(args.model)
    list(clf.classify_many(warm_up))  # lazy imports, first-call costs
    start = time.perf_counter()
    n = sum(1 for _ in clf.classify_many(docs, batch_size=256))
    rate = n / (time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The ceiling: the same tokenizers over the same texts, each document sent
    # to the tokenizer the classifier chose for it (routing itself untimed).
    bare = classifier_module.load(args.model)
    list(bare.classify_many(warm_up))
    joined = [f"{d['title']}\n\n{d['text']}" for d in docs]
    by_lang: dict[str, list[str]] = {"en": [], "ms": []}
    for text, lang in zip(joined, detect_languages(joined), strict=True):
        by_lang[lang].append(text)
    start = time.perf_counter()
    for lang, texts in by_lang.items():
        tokenizer: Any = bare.analyzer.pipelines[lang].tokenizer
        for _ in tokenizer.pipe(texts, batch_size=256):
            pass
    tok_rate = len(docs) / (time.perf_counter() - start)

    # For reference: spaCy's tokenizers as spacy.blank makes them (all special
    # cases, a 10,000-chunk cache), cold in the same way, same routing.
    stock: dict[str, Any] = {lang: spacy.blank(lang).tokenizer for lang in by_lang}
    for lang in by_lang:
        for _ in stock[lang].pipe(f"{d['title']}\n\n{d['text']}" for d in warm_up):
            pass
    start = time.perf_counter()
    for lang, texts in by_lang.items():
        for _ in stock[lang].pipe(texts, batch_size=256):
            pass
    stock_rate = len(docs) / (time.perf_counter() - start)

    novel = f", {args.novel:.0%} of words made up" if args.novel else ""
    print(f"documents: {len(docs)} of {words:.0f} words on average (1/3 Malay{novel})")
    print(f"spaCy bare tokenizer: {tok_rate:,.0f} docs/s (the model's own tokenizers)")
    print(f"  stock spacy.blank:  {stock_rate:,.0f} docs/s (before naio_nlp's tokenizer settings)")
    print(f"classify_many:        {rate:,.0f} docs/s ({rate / tok_rate:.0%} of the tokenizer)")
    print(f"classify_many / stock spacy.blank tokenizers: {rate / stock_rate:.2f}x (target 0.8x)")
    print(f"peak memory (RSS):    {peak_mb:,.0f} MB")
    if not args.no_train:
        # imported here: the document generator above is shared with the memory benchmarks,
        # whose processes would otherwise carry scikit-learn without ever training
        from naio_nlp.training import train

        files = [ROOT / "corpus" / n for n in ("train.jsonl", "train_realistic.jsonl")]
        records = read_corpus([f for f in files if f.is_file()])
        start, cpu = time.perf_counter(), time.process_time()
        train(records, seed=0)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        # CPU time stands in for wall time on an idle machine when others share the cores
        print(f"training on {len(records)} documents: {wall:.1f} s wall, {cpu:.1f} s CPU")


if __name__ == "__main__":
    main()
