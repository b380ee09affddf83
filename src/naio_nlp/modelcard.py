"""The model card: what a model is, what it was trained on, and how well it does.

Written beside every trained model as ``model-card.json`` (for tools, and
for the report) and ``model-card.md`` (for people).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._text import figure
from .classifier import Classifier
from .labels import ARTIFACT_TYPES, DOMAINS, STATUSES
from .training import TrainReport

__all__ = ["read_model_card", "write_model_card"]


def write_model_card(
    clf: Classifier,
    out_dir: Path,
    *,
    train_report: TrainReport,
    test_metrics: Mapping[str, Mapping[str, Any]],
    train_files: list[Path],
    test_files: list[Path],
) -> dict[str, Any]:
    """Write ``model-card.json`` and ``model-card.md``; return the JSON.

    ``test_metrics`` maps each frozen test file's name to its :func:`evaluate`
    result. ``tests`` in the card holds them all; ``test`` is the last one
    (the realistic split when there is one), for readers of older cards.
    """
    from .corpus import read_corpus

    records = read_corpus(train_files)
    meta = clf.meta
    card: dict[str, Any] = {
        "name": meta["name"],
        "model_version": meta["model_version"],
        "trained_at": meta["trained_at"],
        "seed": meta["seed"],
        "training_data": {
            "files": [str(f) for f in train_files],
            "hash": meta["training_data_hash"],
            "documents": len(records),
            "status": {s: Counter(r.status for r in records).get(s, 0) for s in STATUSES},
            "artifact_type": {
                t: Counter(r.artifact_type for r in records).get(t, 0) for t in ARTIFACT_TYPES
            },
            "domains": {d: sum(d in r.domains for r in records) for d in DOMAINS},
            "lang": dict(Counter(r.lang for r in records)),
        },
        "training_seconds": round(train_report.seconds, 2),
        "chosen": train_report.chosen,
        "cross_validated": train_report.cv_metrics,
        "review_thresholds": train_report.review_thresholds,
        "test": None,
        "tests": {},
        "versions": meta["versions"],
    }
    from .evaluate import headline

    for test_file in test_files:
        test_metrics_f = test_metrics.get(test_file.name)
        if test_metrics_f is None:
            continue
        section = _test_section(test_file, test_metrics_f, headline)
        card["tests"][test_file.name] = section
        card["test"] = section
    (out_dir / "model-card.json").write_text(json.dumps(card, indent=2), encoding="utf-8")
    (out_dir / "model-card.md").write_text(_markdown(card), encoding="utf-8")
    return card


def _test_section(
    test_file: Path, test_metrics: Mapping[str, Any], headline: Any
) -> dict[str, Any]:
    return {
        "file": str(test_file),
        "documents": test_metrics["documents"],
        "headline": headline(test_metrics),
        "by_language": test_metrics["by_language"],
        "calibration_ece": {
            "status": test_metrics["calibration"]["status"]["ece"],
            **{f"domain:{d}": v["ece"] for d, v in test_metrics["calibration"]["domains"].items()},
        },
        "abstention": test_metrics["abstention"],
        "confident_errors": test_metrics["confident_errors"]["count"],
    }


def read_model_card(model_dir: Path) -> dict[str, Any] | None:
    """The card beside a model, or None when there is none."""
    path = model_dir / "model-card.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _abstention_line(test: Mapping[str, Any]) -> str:
    ab = test["abstention"]
    caught = (
        f" ({ab['status_errors_flagged']} of the {ab['status_errors']} wrong status calls "
        "among them)"
        if "status_errors" in ab
        else ""
    )
    return (
        f"Abstention: {ab['needs_review']} documents marked needs_review{caught}; confident "
        f"artifact calls {ab['confident_artifact_calls']} with precision "
        f"{ab['confident_artifact_precision']}; {test['confident_errors']} documents wrong at "
        ">= 0.9 confidence."
    )


def _markdown(card: Mapping[str, Any]) -> str:
    td = card["training_data"]
    cv = card["cross_validated"]
    lines = [
        f"# Model card: {card['name']}",
        "",
        f"- version: `{card['model_version']}`",
        f"- trained: {card['trained_at']} (seed {card['seed']}, {card['training_seconds']} s)",
        f"- training data: {td['documents']} documents from {', '.join(td['files'])}, "
        f"sha256 `{td['hash']}`",
        "- libraries: " + ", ".join(f"{k} {v}" for k, v in card["versions"].items()),
        "",
        "## What it does",
        "",
        "Labels a document's `status` (artifact / symbolic / unrelated), its `artifact_type` "
        "and its NAIO working-group `domains`, with calibrated probabilities and evidence "
        "sentences. Each sentence, read with its neighbours, is scored for the codebook's "
        "three tests (named output, concrete specifics, NAIO's operative role) by linear "
        "heads over hashed word 1-2-grams and rule-matched cues; the status is decided from "
        "those passage scores, the artifact type from the best passage.",
        "",
        "## Training data",
        "",
        "| label | documents |",
        "| --- | ---: |",
        *(f"| status {k} | {v} |" for k, v in td["status"].items()),
        *(f"| type {k} | {v} |" for k, v in td["artifact_type"].items()),
        *(f"| domain {k} | {v} |" for k, v in td["domains"].items()),
        *(f"| language {k} | {v} |" for k, v in td["lang"].items()),
        "",
        f"## Cross-validated on the training split ({cv['folds']} {cv['fold_kind']} folds)",
        "",
        f"- status macro-F1: {cv['status_macro_f1']}",
        f"- artifact_type macro-F1: {cv['artifact_type_macro_f1']}",
        "- domain F1: " + ", ".join(f"{d} {v}" for d, v in cv["domain_f1"].items()),
        "- abstention thresholds (needs_review below): "
        + ", ".join(f"{k} {v:.3f}" for k, v in card["review_thresholds"].items()),
        "",
    ]
    lines += [
        f"- held-out batches: status ECE {cv.get('status_ece')}, documents wrong at >= 0.9 "
        f"confidence {cv.get('status_wrong_at_0.9')}",
    ]
    if review := cv.get("needs_review"):
        lines.append(
            f"- held-out batches: needs_review flags {review['flagged']} of "
            f"{review['documents']} documents, {review['errors_flagged']} of the "
            f"{review['errors']} wrong status calls among them"
        )
    lines.append("")
    for test in (card.get("tests") or {}).values():
        lines += [
            f"## Test split ({test['documents']} documents, `{test['file']}`)",
            "",
            "| system | status macro-F1 | artifact_type macro-F1 | domains micro-F1 |",
            "| --- | ---: | ---: | ---: |",
            *(
                f"| {name} | {figure(f['status_macro_f1'])} | "
                f"{figure(f['artifact_type_macro_f1'])} | {figure(f['domains_micro_f1'])} |"
                for name, f in test["headline"].items()
            ),
            "",
            "| language | documents | status macro-F1 | type macro-F1 | domains micro-F1 |",
            "| --- | ---: | ---: | ---: | ---: |",
            *(
                f"| {lang} | {v['documents']} | {figure(v['status_macro_f1'])} | "
                f"{figure(v['artifact_type_macro_f1'])} | {figure(v['domains_micro_f1'])} |"
                for lang, v in test["by_language"].items()
            ),
            "",
            "Expected calibration error: "
            + ", ".join(f"{k} {v:.3f}" for k, v in test["calibration_ece"].items()),
            "",
            _abstention_line(test),
            "",
        ]
    lines += [
        "## Limits",
        "",
        "The corpus was written for this project (realistic, not collected); figures on real "
        "announcements written by others will be lower. Documents are cut at 100,000 "
        "characters. Languages: English and Malay (code-mixed text is routed by its dominant "
        "language).",
        "",
    ]
    return "\n".join(lines)
