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

from ._console import console, warning_line

err = console(stderr=True)
out = console()


def _training_files(corpus: Path) -> tuple[list[Path], Path | None]:
    """``corpus/`` means train.jsonl (plus reviewed.jsonl, the analysts' reviews exported
    by ``corpus add-reviewed``, when present) for training and test.jsonl for reporting only."""
    if corpus.is_dir() and (corpus / "train.jsonl").is_file():
        test = corpus / "test.jsonl"
        reviewed = corpus / "reviewed.jsonl"
        train = [corpus / "train.jsonl"] + ([reviewed] if reviewed.is_file() else [])
        return train, test if test.is_file() else None
    return [corpus], None


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
            help="Labelled corpus: a folder with train.jsonl (and reviewed.jsonl if present; "
            "test.jsonl is only scored), "
            "or one .jsonl file.",
        ),
    ] = Path("corpus"),
    seed: Annotated[
        int, typer.Option(min=0, help="Seed (0 or more); the same seed gives the same model.")
    ] = 0,
    name: Annotated[str | None, typer.Option(help="Model name (default: the folder name).")] = None,
) -> None:
    """Train the classifier and write it with its model card.

    Hyper-parameters, calibration and thresholds are chosen by group-wise
    cross-validation on the training split; the test split, when present, is
    scored once at the end for the model card and never used to choose.

    Example:

        naio-nlp train --corpus corpus/ --out models/my-model --seed 0
    """
    from ..corpus import read_corpus
    from ..evaluate import evaluate, headline
    from ..modelcard import write_model_card
    from ..training import train

    train_files, test_file = _training_files(corpus)
    records = read_corpus(train_files)
    test_records = read_corpus(test_file) if test_file else []
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
        test_metrics: dict[str, Any] | None = None
        if test_records:
            task = progress.add_task("scoring test split", total=1)
            test_metrics = evaluate(clf, test_records, train_records=records)
            progress.update(task, completed=1)
    clf.to_disk(out_dir)
    write_model_card(
        clf,
        out_dir,
        train_report=train_report,
        test_metrics=test_metrics,
        train_files=train_files,
        test_file=test_file,
    )
    out.print(f"trained on {len(records)} documents in {train_report.seconds:.1f} s → {out_dir}")
    cv = train_report.cv_metrics
    out.print(
        f"cross-validated ({cv['folds']} {cv['fold_kind']} folds): status macro-F1 "
        f"{cv['status_macro_f1']}, artifact_type macro-F1 {cv['artifact_type_macro_f1']}, "
        f"domains micro-F1 {cv.get('domains_micro_f1')}",
        highlight=False,
    )
    if test_metrics:
        _print_headline(headline(test_metrics), f"test split ({len(test_records)} documents)")
    out.print(f"model card: {out_dir / 'model-card.md'}")


def _print_headline(figures: dict[str, dict[str, float]], title: str) -> None:
    t = Table(title=title, title_justify="left")
    t.add_column("system")
    t.add_column("status macro-F1", justify="right")
    t.add_column("artifact_type macro-F1", justify="right")
    t.add_column("domains micro-F1", justify="right")
    for name, f in figures.items():
        t.add_row(
            name,
            f"{f['status_macro_f1']:.3f}",
            f"{f['artifact_type_macro_f1']:.3f}",
            f"{f['domains_micro_f1']:.3f}",
        )
    out.print(t)


def evaluate_command(
    data: Annotated[
        Path, typer.Option(help="Labelled .jsonl to score (e.g. corpus/test.jsonl).")
    ] = Path("corpus/test.jsonl"),
    model: Annotated[
        Path | None, typer.Option(help="Model folder (default: the shipped model).")
    ] = None,
    train_data: Annotated[
        Path | None,
        typer.Option(
            "--train",
            help="Training data for the TF-IDF baseline (default: train.jsonl beside --data).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Per-label precision/recall/F1, confusion matrix, calibration, and two baselines.

    Baselines, on the same documents in the same run: (a) keyword rules
    written from the codebook, (b) TF-IDF + logistic regression trained on
    the training split.

    Example:

        naio-nlp evaluate --model models/naio-default --data corpus/test.jsonl
    """
    from .. import classifier as classifier_module
    from ..corpus import read_corpus
    from ..errors import CorpusError
    from ..evaluate import evaluate, headline

    err.print(f"loading the model {model or 'naio-default (shipped)'} ...")
    clf = classifier_module.load(model)
    records = read_corpus(data)
    if not records:
        raise CorpusError(str(data), 0, None, "no documents to evaluate")
    if data.is_dir() and (data / "train.jsonl").is_file():
        err.print(
            warning_line(
                f"{data} includes train.jsonl, so these are not held-out scores; "
                f"evaluate on {data / 'test.jsonl'} instead."
            )
        )
    if (
        train_data is None
        and data.is_file()
        and (data.parent / "train.jsonl").is_file()
        and data.name != "train.jsonl"
    ):
        train_data = data.parent / "train.jsonl"
    train_records = read_corpus(train_data) if train_data else None
    if train_records:
        seen = {r.id for r in train_records}
        overlap = sum(r.id in seen for r in records)
        if overlap:
            err.print(
                warning_line(
                    f"{overlap} of the {len(records)} documents are also in the training data "
                    f"{train_data}: scores on them are not held-out figures."
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
    what = f"scoring {len(records)} documents with the model and {baselines}"
    err.print(f"{what} ...")
    started = time.perf_counter()
    with err.status(what + " ...", spinner="dots") if err.is_terminal else nullcontext():
        result = evaluate(clf, records, train_records=train_records)
    err.print(f"scored in {time.perf_counter() - started:.1f} s")
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    ms = result["model_scores"]
    out.print(f"model {clf.version} on {data} ({len(records)} documents)", highlight=False)
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
        t.add_row("[bold]macro[/]", "", "", f"{ms[task]['macro_f1']:.3f}", "")
        t.add_row("[bold]micro[/]", "", "", f"{ms[task]['micro_f1']:.3f}", "")
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
    for col in ("language", "documents", "status macro-F1", "type macro-F1", "domains micro-F1"):
        t.add_column(col, justify="left" if col == "language" else "right")
    for lang, v in result["by_language"].items():
        t.add_row(
            lang,
            str(v["documents"]),
            f"{v['status_macro_f1']:.3f}",
            f"{v['artifact_type_macro_f1']:.3f}",
            f"{v['domains_micro_f1']:.3f}",
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
    ab = result["abstention"]
    out.print(
        f"needs review: {ab['needs_review']} documents; confident artifact calls: "
        f"{ab['confident_artifact_calls']} with precision {ab['confident_artifact_precision']}",
        highlight=False,
    )
    _print_headline(headline(result), "model vs baselines")


def register(app: typer.Typer) -> None:
    """Add ``naio-nlp train`` and ``naio-nlp evaluate``."""
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)
