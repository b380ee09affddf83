"""``naio-nlp train`` and ``naio-nlp evaluate``."""

from __future__ import annotations

import json
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from .._text import figure, plural
from ._console import console, warning_line
from ._corpus_path import (
    TRAIN_FILES,
    default_test_files,
    evaluation_files,
    training_files,
)

err = console(stderr=True)
out = console()


def train_command(
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Model folder to write (models/naio-default is the shipped model: "
            "name it only to replace that).",
        ),
    ],
    corpus: Annotated[
        Path,
        typer.Option(
            help="Labelled corpus: a folder with train.jsonl, train_realistic.jsonl and "
            "reviewed.jsonl if present (test.jsonl and test_realistic.jsonl are only scored), "
            "or one .jsonl file.",
        ),
    ] = Path("corpus"),
    seed: Annotated[
        int, typer.Option(min=0, help="Seed (0 or more); the same seed gives the same model.")
    ] = 0,
    name: Annotated[str | None, typer.Option(help="Model name (default: the folder name).")] = None,
    no_test: Annotated[
        bool,
        typer.Option(
            "--no-test",
            help="Do not score the frozen test splits: for experiments, which are kept or "
            "dropped on the held-out-batch figures alone; score the one you keep afterwards "
            "with `naio-nlp evaluate --model`.",
        ),
    ] = False,
) -> None:
    """Train the classifier and write it with its model card.

    Hyper-parameters, calibration and thresholds are chosen by group-wise
    cross-validation on the training split; the test split, when present, is
    scored once at the end for the model card and never used to choose.
    While trying changes out, train with --no-test, so that no test figure is
    in view when you decide.

    Examples:

    \b
        naio-nlp train --corpus corpus/ --out models/my-model --seed 0
        naio-nlp train --corpus corpus/ --out /tmp/try --no-test   # an experiment
    """
    from ..corpus import read_corpus
    from ..evaluate import evaluate, headline
    from ..modelcard import write_model_card
    from ..training import train

    train_files, test_files = training_files(corpus)
    if no_test:
        test_files = []
    records = read_corpus(train_files)
    tests = {f: read_corpus(f) for f in test_files}
    _warn_thin_labels(records, train_files)
    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description:<26}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as progress:

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        clf, train_report = train(records, seed=seed, name=name or out_dir.name, progress=report)
        test_metrics: dict[str, dict[str, Any]] = {}
        if tests:
            task = progress.add_task("scoring test splits", total=len(tests))
            for k, (f, test_records) in enumerate(tests.items()):
                test_metrics[f.name] = evaluate(clf, test_records, train_records=records)
                progress.update(task, completed=k + 1)
    clf.to_disk(out_dir)
    write_model_card(
        clf,
        out_dir,
        train_report=train_report,
        test_metrics=test_metrics,
        train_files=train_files,
        test_files=list(tests),
    )
    out.print(
        f"trained on {plural(len(records), 'document')} in {train_report.seconds:.1f} s → {out_dir}"
    )
    cv = train_report.cv_metrics
    out.print(
        f"cross-validated ({cv['folds']} {cv['fold_kind']} folds): status macro-F1 "
        f"{cv['status_macro_f1']}, artifact_type macro-F1 {cv['artifact_type_macro_f1']}, "
        f"domains micro-F1 {cv.get('domains_micro_f1')}",
        highlight=False,
    )
    out.print(
        f"held-out batches: status ECE {cv.get('status_ece')}, wrong at >= 0.9 confidence: "
        f"{cv.get('status_wrong_at_0.9')} of {len(records)}",
        highlight=False,
    )
    for split, metrics in test_metrics.items():
        _print_headline(headline(metrics), f"{split} ({metrics['documents']} documents)")
    if no_test:
        out.print("test splits not scored (--no-test)")
    out.print(f"model card: {out_dir / 'model-card.md'}")


def _warn_thin_labels(records: list[Any], files: list[Path]) -> None:
    """Say which labels the model will never (or hardly ever) learn to give."""
    from collections import Counter

    from ..labels import ARTIFACT_TYPES, STATUSES

    where = ", ".join(str(f) for f in files)
    statuses = Counter(r.status for r in records)
    types = Counter(r.artifact_type for r in records if r.status == "artifact")
    for status in STATUSES:
        if statuses[status] == 0:
            err.print(
                warning_line(
                    f"{where}: no {status!r} documents; the model will never answer {status!r}"
                )
            )
    if statuses["artifact"]:
        missing = [t for t in ARTIFACT_TYPES if types[t] == 0]
        if missing:
            err.print(
                warning_line(
                    f"{where}: no artifact documents of type {', '.join(missing)}; "
                    "the model will never give "
                    + ("that type" if len(missing) == 1 else "those types")
                )
            )


def _print_headline(figures: dict[str, dict[str, float | None]], title: str) -> None:
    t = Table(title=title, title_justify="left")
    t.add_column("system")
    t.add_column("status macro-F1", justify="right")
    t.add_column("artifact_type macro-F1", justify="right")
    t.add_column("domains micro-F1", justify="right")
    for name, f in figures.items():
        t.add_row(
            name,
            figure(f["status_macro_f1"]),
            figure(f["artifact_type_macro_f1"]),
            figure(f["domains_micro_f1"]),
        )
    out.print(t)


def evaluate_command(
    data: Annotated[
        list[Path] | None,
        typer.Option(
            help="Labelled .jsonl to score; repeat for several splits "
            "(default: corpus/test.jsonl and corpus/test_realistic.jsonl).",
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="Model folder (default: the shipped model).")
    ] = None,
    train_data: Annotated[
        list[Path] | None,
        typer.Option(
            "--train",
            help="Training data for the TF-IDF baseline; repeat for several files "
            "(default: the train files beside --data).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Per-label precision/recall/F1, confusion matrix, calibration, confident errors, baselines.

    Each split is scored on its own: by label, by language, calibration
    (expected calibration error), documents wrong at >= 0.9 confidence, and
    two baselines on the same documents in the same run: (a) keyword rules
    written from the codebook, (b) TF-IDF + logistic regression trained on
    the training files.

    Examples:

    \b
        naio-nlp evaluate                          # both frozen splits, shipped model
        naio-nlp evaluate --model models/naio-default --data corpus/test_realistic.jsonl
        naio-nlp evaluate --data corpus/test.jsonl --json > figures.json
    """
    from .. import classifier as classifier_module
    from ..corpus import read_corpus
    from ..errors import CorpusError
    from ..evaluate import evaluate

    data = evaluation_files(data, "--data") if data else default_test_files()
    if train_data:
        evaluation_files(train_data, "--train")
    err.print(f"loading the model {model or 'naio-default (shipped)'} ...")
    clf = classifier_module.load(model)
    results: dict[str, Any] = {}
    for split in data:
        records = read_corpus(split)
        if not records:
            raise CorpusError(str(split), 0, None, "no documents to evaluate")
        if split.is_dir() and (split / "train.jsonl").is_file():
            err.print(
                warning_line(
                    f"{split} includes train.jsonl, so these are not held-out scores; "
                    f"evaluate on {split / 'test.jsonl'} instead."
                )
            )
        train_files = list(train_data or [])
        if not train_files and split.is_file():
            train_files = [
                split.parent / n
                for n in TRAIN_FILES
                if (split.parent / n).is_file() and n != split.name
            ]
        train_records = read_corpus(train_files) if train_files else None
        if train_records:
            seen = {r.id for r in train_records}
            overlap = sum(r.id in seen for r in records)
            if overlap:
                err.print(
                    warning_line(
                        f"{overlap} of the {len(records)} documents are also in the training "
                        "data: scores on them are not held-out figures."
                    )
                )
        else:
            err.print(
                "note: no training data for the TF-IDF baseline (pass --train FILE, or keep "
                "train.jsonl beside --data); only the keyword baseline is shown.",
                highlight=False,
            )
        baselines = "the keyword baseline" + (
            f" and the TF-IDF baseline (trained on {len(train_records)} documents)"
            if train_records
            else ""
        )
        what = f"scoring {len(records)} documents of {split} with the model and {baselines}"
        err.print(f"{what} ...", highlight=False)
        started = time.perf_counter()
        with err.status(what + " ...", spinner="dots") if err.is_terminal else nullcontext():
            results[str(split)] = evaluate(clf, records, train_records=train_records)
        err.print(f"scored in {time.perf_counter() - started:.1f} s")
    if as_json:
        only = next(iter(results.values())) if len(results) == 1 else results
        typer.echo(json.dumps(only, indent=2))
        return
    for split_name, result in results.items():
        out.rule(f"{split_name}")
        out.print(
            f"model {clf.version} on {split_name} ({result['documents']} documents)",
            highlight=False,
        )
        _print_result(result)


def _print_result(result: dict[str, Any]) -> None:
    from ..evaluate import headline

    ms = result["model_scores"]
    for task in ("status", "artifact_type", "domains"):
        t = Table(title=f"{task} (model)", title_justify="left", show_edge=False)
        for col in ("label", "precision", "recall", "F1", "support"):
            t.add_column(col, justify="left" if col == "label" else "right")
        for label, v in ms[task]["per_label"].items():
            t.add_row(
                label,
                f"{v['precision']:.3f}",
                f"{v['recall']:.3f}",
                f"{v['f1']:.3f}",
                str(v["support"]),
            )
        t.add_row("[bold]macro[/]", "", "", figure(ms[task]["macro_f1"]), "")
        t.add_row("[bold]micro[/]", "", "", figure(ms[task]["micro_f1"]), "")
        out.print(t)
    t = Table(title="status confusion (rows gold, columns predicted)", title_justify="left")
    t.add_column("gold")
    conf = ms["status"]["confusion"]
    for p in conf:
        t.add_column(p, justify="right")
    for g, row in conf.items():
        t.add_row(g, *(str(row[p]) for p in conf))
    out.print(t)
    t = Table(title="by language (model)", title_justify="left", show_edge=False)
    for col in (
        "language",
        "documents",
        "status macro-F1",
        "artifact F1",
        "type macro-F1",
        "domains micro-F1",
    ):
        t.add_column(col, justify="left" if col == "language" else "right")
    for lang, v in result["by_language"].items():
        t.add_row(
            lang,
            str(v["documents"]),
            figure(v["status_macro_f1"]),
            figure(v["artifact_f1"]),
            figure(v["artifact_type_macro_f1"]),
            figure(v["domains_micro_f1"]),
        )
    out.print(t)
    cal = result["calibration"]
    t = Table(
        title="calibration (expected calibration error, 10 bins)",
        title_justify="left",
        show_edge=False,
    )
    t.add_column("decision")
    t.add_column("ECE", justify="right")
    t.add_row("status", f"{cal['status']['ece']:.3f}")
    for d, v in cal["domains"].items():
        t.add_row(f"domain {d}", f"{v['ece']:.3f}")
    out.print(t)
    t = Table(title="status reliability", title_justify="left", show_edge=False)
    for col in ("confidence bin", "documents", "mean confidence", "accuracy"):
        t.add_column(col, justify="right")
    for row in cal["status"]["reliability"]:
        t.add_row(
            row["bin"], str(row["n"]), f"{row['mean_confidence']:.3f}", f"{row['accuracy']:.3f}"
        )
    out.print(t)
    ce = result["confident_errors"]
    out.print(
        f"wrong at >= {ce['threshold']} confidence: {ce['count']} of {result['documents']} "
        f"({100 * ce['share']:.1f}%)"
        + "".join(
            f"\n  {d['id']}: {d['gold']} called {d['predicted']} at {d['confidence']:.3f}"
            for d in ce["documents"]
        ),
        highlight=False,
    )
    ab = result["abstention"]
    out.print(
        f"needs review: {ab['needs_review']} documents ({ab['status_errors_flagged']} of the "
        f"{ab['status_errors']} wrong status calls among them); confident artifact calls: "
        f"{ab['confident_artifact_calls']} with precision {ab['confident_artifact_precision']}",
        highlight=False,
    )
    _print_headline(headline(result), "model vs baselines")


def register(app: typer.Typer) -> None:
    """Add ``naio-nlp train`` and ``naio-nlp evaluate``."""
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)
