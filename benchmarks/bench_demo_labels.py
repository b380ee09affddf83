"""How the shipped model does on the demo snapshot's pages, against their authors' labels.

The demo pages were written separately from the training corpus, by a
different writer, in the layouts of four kinds of real source site, and they
go through the real collector (fetch, extract) before classification. That
makes them a small out-of-corpus check. Prints status accuracy, macro-F1 and
the confusion matrix.

    python benchmarks/bench_demo_labels.py [--model PATH]
"""

from __future__ import annotations

import argparse
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

from naio_nlp import classifier as classifier_module
from naio_nlp.crawl import crawl
from naio_nlp.demo import serve_snapshot, sources_path
from naio_nlp.fetch import CrawlSettings
from naio_nlp.sources import load_sources
from naio_nlp.store import Store

SNAPSHOT = Path(__file__).resolve().parents[1] / "src" / "naio_nlp" / "demo" / "snapshot.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    intended = {
        a["title"].strip(): a["label"]
        for a in tomllib.loads(SNAPSHOT.read_text(encoding="utf-8"))["articles"]
        if "title" in a
    }
    clf = classifier_module.load(args.model)
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve_snapshot() as base,
        Store(Path(tmp) / "demo.db") as store,
    ):
        crawl(
            load_sources(sources_path(), base=base),
            store,
            settings=CrawlSettings(per_host_delay=0.0),
        )
        articles = list(store.articles())
    pairs = []
    for article, pred in zip(articles, clf.classify_many(articles), strict=True):
        gold = intended.get(article.title.strip())
        if gold is not None:
            pairs.append((gold, pred.status))
    from sklearn.metrics import f1_score

    gold, predicted = zip(*pairs, strict=True)
    labels = ["artifact", "symbolic", "unrelated"]
    acc = sum(g == p for g, p in pairs) / len(pairs)
    print(f"model {clf.version}; {len(articles)} articles crawled, {len(pairs)} matched to labels")
    macro = f1_score(gold, predicted, labels=labels, average="macro")
    print(f"status accuracy {acc:.3f}, macro-F1 {macro:.3f}")
    counts = Counter(pairs)
    print("gold \\ predicted  " + "  ".join(f"{p:>9}" for p in labels))
    for g in labels:
        print(f"{g:<17} " + "  ".join(f"{counts[(g, p)]:>9}" for p in labels))


if __name__ == "__main__":
    main()
