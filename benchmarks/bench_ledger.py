"""How well the artifact ledger groups reports and reads stages, and how fast it links.

Quality, on a labelled ledger set (JSONL records in the corpus format plus
``artifact_key``: the gold output, or null; ``stage``: the gold stage of a
keyed report; optional ``look_alike_of`` or ``hard_negative_of``: the key(s)
of different outputs this one could be confused with). Each file is scored on
its own (a frozen held-out file is only ever scored, never tuned on), twice:

- ``model``: the shipped classifier labels the documents, then the ledger links
  them (the product as it runs);
- ``gold labels``: the documents' gold status and type go in instead, which
  isolates the ledger's own errors from the classifier's.

Printed: B-cubed precision/recall/F1 of the grouping (every document counts;
a document outside the ledger is a singleton, an unkeyed one is its own gold
group), by language and for cross-language pairs (pairwise recall and
precision), stage accuracy over keyed reports in the ledger, coverage, and
every hard-negative pair merged (targets: F1 >= 0.90, stage accuracy >=
0.85, no hard negative merged).

Speed: ``--speed N`` links N synthetic labelled documents (about 300 words,
a third Malay, 2-6 reports per output) and prints the time (target: 10,000 in
under 10 s).

    python benchmarks/bench_ledger.py                       # the frozen test files
    python benchmarks/bench_ledger.py --dev --speed 0       # the development files
    python benchmarks/bench_ledger.py --data other.jsonl --speed 10000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from naio_nlp import ledger as L
from naio_nlp.schema import Article, ArtifactSlots, Evidence, EvidenceSentence, Prediction

ROOT = Path(__file__).resolve().parents[1]
LEDGER_DIR = ROOT / "corpus" / "ledger"
#: The frozen held-out files: scored, never tuned on.
TEST_DATA = [
    LEDGER_DIR / n
    for n in ("test.jsonl", "own-test.jsonl", "test2.jsonl", "test3.jsonl", "test4.jsonl")
]
#: The development files (tuning and training allowed).
DEV_DATA = [
    LEDGER_DIR / n
    for n in (
        "dev.jsonl",
        "own-dev.jsonl",
        "dev2.jsonl",
        "dev3.jsonl",
        "dev4.jsonl",
        "dev5.jsonl",
        "dev6.jsonl",
    )
]


# --------------------------------------------------------------------------- quality


def load(path: Path) -> list[dict[str, Any]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            rec = json.loads(line)
            for key in ("id", "text", "status", "artifact_key"):
                if key not in rec:
                    raise SystemExit(f"{path}:{n}: record has no {key!r}")
            out.append(rec)
    return out


def article(rec: dict[str, Any]) -> Article:
    return Article(
        id=rec["id"],
        text=rec["text"],
        title=rec.get("title", ""),
        url=rec.get("url"),
        source=rec.get("source"),
        published=date.fromisoformat(rec["date"]) if rec.get("date") else None,
        language=rec.get("lang") if rec.get("lang") in ("en", "ms", "mixed") else None,
    )


def gold_prediction(rec: dict[str, Any]) -> Prediction:
    """The gold labels as a prediction with no evidence: the ledger reads names itself."""
    status = rec["status"]
    return Prediction(
        article_id=rec["id"],
        status=status,
        artifact_type=rec.get("artifact_type") if status == "artifact" else None,
        domains=tuple(rec.get("domains", ())),
        status_probs={status: 1.0},
        evidence=Evidence(
            naio_role="operative" if status == "artifact" else "cited",
            artifact=ArtifactSlots() if status == "artifact" else None,
        ),
    )


def bcubed(pred: dict[str, str], gold: dict[str, str], items: Iterable[str]) -> tuple[float, ...]:
    items = list(items)
    if not items:
        return (float("nan"),) * 3
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in items:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        same = by_pred[pred[i]] & by_gold[gold[i]]
        p += len(same) / len(by_pred[pred[i]])
        r += len(same) / len(by_gold[gold[i]])
    p, r = p / len(items), r / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def other_bodies_outputs(path: Path = LEDGER_DIR / "outputs.tsv") -> frozenset[str]:
    """Keys of the outputs that are not NAIO's (``naio_output`` False in outputs.tsv)."""
    if not path.exists():
        return frozenset()
    with path.open(encoding="utf-8", newline="") as fh:
        return frozenset(
            row["key"]
            for row in csv.DictReader(fh, delimiter="\t")
            if row.get("naio_output", "").strip().lower() == "false"
        )


def score(records: Sequence[dict[str, Any]], ledger: L.Ledger) -> dict[str, Any]:
    ids = [r["id"] for r in records]
    gold = {r["id"]: r["artifact_key"] or f"none:{r['id']}" for r in records}
    pred = {}
    for i in ids:
        e = ledger.entry_for(i)
        pred[i] = e.artifact_id if e is not None else f"out:{i}"
    lang = {r["id"]: r.get("lang") or "?" for r in records}
    res: dict[str, Any] = {"all": bcubed(pred, gold, ids)}
    # The ledger lists NAIO's outputs: a report of another body's output (a hard
    # negative) is right to stay out. Scored as its own group here, it is not a miss.
    not_naio = other_bodies_outputs()
    naio_gold = {i: (f"none:{i}" if k in not_naio else k) for i, k in gold.items()}
    res["naio"] = bcubed(pred, naio_gold, ids)
    res["others_docs"] = sum(1 for k in gold.values() if k in not_naio)
    for lg in sorted(set(lang.values())):
        res[lg] = bcubed(pred, gold, [i for i in ids if lang[i] == lg])
    # cross-language pairs: gold pairs found (recall) and predicted pairs right (precision)
    keyed = [i for i in ids if not gold[i].startswith("none:")]
    gold_pairs = {(a, b) for a, b in combinations(keyed, 2) if gold[a] == gold[b]}
    pred_pairs = {
        (a, b)
        for a, b in combinations(ids, 2)
        if pred[a] == pred[b] and not pred[a].startswith("out:")
    }
    x_gold = {(a, b) for a, b in gold_pairs if lang[a] != lang[b]}
    x_pred = {(a, b) for a, b in pred_pairs if lang[a] != lang[b]}
    res["cross_recall"] = len(x_gold & pred_pairs) / len(x_gold) if x_gold else float("nan")
    res["cross_precision"] = len(x_pred & gold_pairs) / len(x_pred) if x_pred else float("nan")
    res["cross_pairs"] = (len(x_gold), len(x_pred))
    # stages, over keyed reports that entered the ledger
    right = n_in = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for r in records:
        if not r["artifact_key"] or not r.get("stage"):
            continue
        e = ledger.entry_for(r["id"])
        if e is None:
            continue
        got = next(x.stage for x in e.reports if x.article_id == r["id"])
        n_in += 1
        right += got == r["stage"]
        confusion[(r["stage"], got)] += 1
    res["stage_acc"] = right / n_in if n_in else float("nan")
    res["stage_n"] = n_in
    res["stage_confusion"] = confusion
    res["coverage"] = (n_in, len(keyed))
    res["stray"] = sum(1 for i in ids if gold[i].startswith("none:") and i in ledger)
    # hard negatives: documents of look-alike outputs that share an entry
    look: set[tuple[str, str]] = set()
    for r in records:
        others = r.get("look_alike_of") or r.get("hard_negative_of") or ()
        if isinstance(others, str):
            others = [others]
        for other in others:
            if r["artifact_key"]:
                look.add(tuple(sorted((r["artifact_key"], other))))
    merged = set()
    for a, b in pred_pairs:
        pair = tuple(sorted((gold[a], gold[b])))
        if pair in look:
            merged.add(pair)
    res["hard_pairs"] = len(look)
    res["hard_merged"] = sorted(merged)
    wrong_merges = Counter(
        tuple(sorted((gold[a], gold[b]))) for a, b in pred_pairs if gold[a] != gold[b]
    )
    res["wrong_merges"] = wrong_merges
    return res


def show(name: str, res: dict[str, Any]) -> None:
    p, r, f = res["all"]
    print(f"  {name}: B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f}")
    p, r, f = res["naio"]
    print(
        f"    NAIO's outputs only: B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f} (the "
        f"{res['others_docs']} reports of other bodies' outputs count as right when left out)"
    )
    langs = [k for k in res if k in ("en", "ms", "mixed", "?")]
    for lg in langs:
        p, r, f = res[lg]
        print(f"    {lg:5} B-cubed F1 {f:.3f} (P {p:.3f} R {r:.3f})")
    xg, xp = res["cross_pairs"]
    print(
        f"    cross-language pairs: recall {res['cross_recall']:.3f} of {xg}, "
        f"precision {res['cross_precision']:.3f} of {xp}"
    )
    n_in, keyed = res["coverage"]
    print(
        f"    stage accuracy {res['stage_acc']:.3f} over {res['stage_n']} keyed reports in the "
        f"ledger; coverage {n_in}/{keyed}; unkeyed documents in the ledger: {res['stray']}"
    )
    wrong = {k: v for k, v in res["stage_confusion"].items() if k[0] != k[1]}
    if wrong:
        print(
            "    stage errors (gold -> read): "
            + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(wrong.items()))
        )
    print(
        f"    hard-negative pairs merged: {len(res['hard_merged'])} of {res['hard_pairs']}"
        + (f" {res['hard_merged']}" if res["hard_merged"] else "")
    )
    if res["wrong_merges"]:
        top = res["wrong_merges"].most_common(5)
        print(
            "    wrong merges (gold keys, pairs): "
            + "; ".join(f"{a} + {b}: {n}" for (a, b), n in top)
        )


def quality(paths: Sequence[Path], model: Path | None) -> None:
    from naio_nlp import classifier as classifier_module

    clf = classifier_module.load(model)
    for path in paths:
        records = load(path)
        keys = {r["artifact_key"] for r in records if r["artifact_key"]}
        langs = Counter(r.get("lang") for r in records)
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(records)} "
            f"documents, {len(keys)} outputs, languages {dict(langs)}"
        )
        arts = [article(r) for r in records]
        preds = list(clf.classify_many(arts))
        show("model      ", score(records, L.build(zip(arts, preds, strict=True))))
        gold = [gold_prediction(r) for r in records]
        show("gold labels", score(records, L.build(zip(arts, gold, strict=True))))


# --------------------------------------------------------------------------- speed

_WORDS = [
    "ethics",
    "talent",
    "safety",
    "sovereign",
    "compute",
    "procurement",
    "health",
    "education",
    "agriculture",
    "finance",
    "flood",
    "forecasting",
    "language",
    "evaluation",
    "cyber",
    "risk",
    "classification",
    "adoption",
    "startup",
    "vendor",
    "assessment",
    "curriculum",
    "literacy",
    "upskilling",
    "verification",
    "deepfake",
    "data",
    "exchange",
    "cloud",
    "semiconductor",
    "robotics",
    "maritime",
    "tourism",
    "logistics",
    "palm",
    "oil",
    "rubber",
    "weather",
    "energy",
    "grid",
    "transport",
    "smart",
    "city",
    "court",
    "legal",
    "translation",
    "speech",
    "vision",
    "satellite",
    "drone",
    "fisheries",
    "halal",
    "tax",
    "customs",
    "census",
    "audit",
    "welfare",
    "housing",
    "water",
    "sanitation",
    "dengue",
    "cancer",
    "radiology",
]
_HEADS = [
    ("Framework", "Kerangka"),
    ("Sandbox", "Kotak Pasir"),
    ("Guidelines", "Garis Panduan"),
    ("Programme", "Program"),
    ("Council", "Majlis"),
    ("Grant", "Geran"),
    ("Pilot", "Perintis"),
    ("Action Plan", "Pelan Tindakan"),
    ("Toolkit", "Kit Alat"),
    ("Academy", "Akademi"),
]
_MS = {
    "ethics": "Etika",
    "talent": "Bakat",
    "safety": "Keselamatan",
    "health": "Kesihatan",
    "education": "Pendidikan",
    "finance": "Kewangan",
    "flood": "Banjir",
}
_FILLER_EN = (
    "Officials said the work would continue with agencies and industry over the coming months. "
    "The ministry added that further details would be shared with stakeholders. Industry groups "
    "welcomed the step and asked for clear timelines and regular updates on progress. "
)
_FILLER_MS = (
    "Menurut kenyataan itu, kerjasama dengan agensi dan industri akan diteruskan. Sementara itu, "
    "pihak kementerian berkata butiran lanjut akan dikongsi kemudian. Dalam pada itu, persatuan "
    "industri menyambut baik langkah tersebut dan meminta garis masa yang jelas. "
)


def synthetic(n: int, seed: int = 0) -> list[tuple[Article, Prediction]]:
    rng = random.Random(seed)
    pairs: list[tuple[Article, Prediction]] = []
    k = 0
    while len(pairs) < n:
        words = rng.sample(_WORDS, 2)
        head_en, head_ms = rng.choice(_HEADS)
        name_en = f"National AI {words[0].title()} {words[1].title()} {head_en}"
        ms_words = " ".join(_MS.get(w, w.title()) for w in words)
        name_ms = f"{head_ms} {ms_words} AI Kebangsaan"
        start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))
        for j in range(rng.randint(2, 6)):
            malay = rng.random() < 1 / 3
            name = name_ms if malay else name_en
            stage = "announced" if j == 0 and rng.random() < 0.4 else "launched"
            if malay:
                lead = (
                    f"Pejabat AI Negara (NAIO) telah melancarkan {name} semalam."
                    if stage == "launched"
                    else f"{name} sedang dirangka oleh Pejabat AI Negara."
                )
            else:
                lead = (
                    f"The National AI Office (NAIO) launched the {name} on Monday."
                    if stage == "launched"
                    else f"NAIO will launch the {name} next year."
                )
            # each report its own text (a copy of a text joins its entry unread)
            filed = f" {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
            text = lead + " " + (_FILLER_MS if malay else _FILLER_EN) * 6 + filed
            aid = f"syn-{len(pairs):06d}-o{k}"  # the output it reports, for scoring
            status = "artifact" if stage == "launched" else "symbolic"
            art = Article(
                id=aid,
                text=text,
                title=name,
                published=start + timedelta(days=30 * j),
                language="ms" if malay else "en",
                source=f"outlet-{j}",
            )
            pred = Prediction(
                article_id=aid,
                status=status,
                artifact_type="public_guidance" if status == "artifact" else None,
                domains=("talent",),
                status_probs={status: 0.9},
                evidence=Evidence(
                    sentences=(EvidenceSentence(lead, 0, len(lead), 1.0, "status"),),
                    naio_role="operative",
                    artifact=ArtifactSlots(name=name) if status == "artifact" else None,
                ),
            )
            pairs.append((art, pred))
            if len(pairs) >= n:
                break
        k += 1
    return pairs


def _cold_caches() -> None:
    """Empty the ledger's memo caches (names, keys, sentences read), so that every timed
    build starts as a fresh process would; the term tables and the scorer stay loaded."""
    for name in dir(L):
        fn = getattr(L, name)
        if name not in ("_terms", "_packaged_scorer") and hasattr(fn, "cache_clear"):
            fn.cache_clear()


def speed(n: int, repeat: int = 3) -> None:
    pairs = synthetic(n)
    words = sum(len(a.text.split()) for a, _ in pairs) / len(pairs)
    times = []
    for _ in range(repeat):  # the median of a few runs: one run on a shared machine misleads
        _cold_caches()
        t0 = time.perf_counter()
        ledger = L.build(pairs)
        times.append(time.perf_counter() - t0)
    dt = statistics.median(times)
    print(
        f"speed: linked {len(pairs):,} labelled documents (~{words:.0f} words) into "
        f"{len(ledger):,} entries in {dt:.2f} s, median of {repeat} "
        f"(fastest {min(times):.2f} s; {len(pairs) / dt:,.0f} docs/s; "
        f"target: 10,000 in under 10 s; load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"speed: blocking scored {ledger.comparisons:,} report-entry pairs "
        f"(all pairs of documents: {len(pairs) * (len(pairs) - 1) // 2:,})"
    )
    # the synthetic outputs are known (two may share their words and head: one name)
    ids = [a.id for a, _ in pairs]
    gold = {i: i.rsplit("-o", 1)[1] for i in ids}
    pred = {}
    for i in ids:
        e = ledger.entry_for(i)
        pred[i] = e.artifact_id if e is not None else f"out:{i}"
    p, r, f = bcubed(pred, gold, ids)
    print(
        f"speed: grouping of the synthetic outputs: B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f} "
        f"({len(set(gold.values())):,} outputs; some share their words and head)"
    )
    t0 = time.perf_counter()
    half = len(pairs) // 2
    first = L.build(pairs[:half])
    L.update(first, pairs[half:])
    print(f"speed: the same as build of half + update of half in {time.perf_counter() - t0:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        nargs="*",
        default=None,
        help="labelled ledger JSONL files (default: the frozen test.jsonl, own-test.jsonl, "
        "test2.jsonl, test3.jsonl, test4.jsonl)",
    )
    parser.add_argument(
        "--dev",
        action="store_true",
        help="score the development files (dev.jsonl, own-dev.jsonl, dev2.jsonl … dev6.jsonl)",
    )
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument(
        "--speed", type=int, default=10_000, help="synthetic documents to link (0: skip)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed builds of the speed set (median printed)"
    )
    args = parser.parse_args()
    if args.data is not None:
        paths = args.data
    else:
        paths = [p for p in (DEV_DATA if args.dev else TEST_DATA) if p.exists()]
    if paths:
        quality(paths, args.model)
    else:
        print("no labelled ledger set found in corpus/ledger/; pass --data")
    if args.speed:
        speed(args.speed, args.repeat)


if __name__ == "__main__":
    main()
