"""``naio-nlp corpus``: validate, describe, split and measure agreement on the corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .. import corpus as corpus_mod
from .._text import plural
from ..errors import CorpusError
from ._console import console, error_line, warning_line
from ._output import check_output, is_stream

corpus_app = typer.Typer(
    rich_markup_mode=None,
    help="Work with the labelled corpus (JSONL; what the labels mean: `naio-nlp docs codebook`).",
    no_args_is_help=True,
)
out = console()
err = console(stderr=True)

#: Where `corpus add-reviewed` writes unless told.
REVIEWED_DEFAULT = Path("corpus/reviewed.jsonl")

PathArg = Annotated[
    Path,
    typer.Argument(
        metavar="PATH", help="A corpus .jsonl file or a folder of them.", show_default=True
    ),
]


@corpus_app.command("validate")
def validate(
    path: PathArg = Path("corpus"),
    threshold: Annotated[
        float,
        typer.Option(
            min=0.01,
            max=1.0,
            help="Cosine similarity (0.01-1) at which two documents count as near-copies.",
        ),
    ] = 0.9,
) -> None:
    """Check schema, labels, unique ids and near-duplicates; exit 1 on any error.

    Every error names file, line and field, e.g.

        corpus/train.jsonl:12: field 'status': 'done' is not one of artifact, symbolic, unrelated

    Near-copies across train and test are errors; within one file, warnings.
    """
    report = corpus_mod.validate_corpus(path, near_duplicate_threshold=threshold)
    if report.ok and not report.records:
        report.errors.append(CorpusError(str(path), 0, None, "no documents"))
    for e in report.errors:
        err.print(error_line(str(e)))
    for w in report.warnings:
        err.print(warning_line(w))
    files = escape(", ".join(str(f) for f in report.files) or str(path))
    if report.ok:
        out.print(
            f"[green]ok[/] {plural(len(report.records), 'document')} in {files}; "
            f"{plural(len(report.warnings), 'warning')}",
            highlight=False,
        )
        return
    err.print(f"[red]{plural(len(report.errors), 'error')}[/] in {files}", highlight=False)
    raise typer.Exit(1)


@corpus_app.command("stats")
def stats(
    path: PathArg = Path("corpus"),
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Counts by label, language, genre and length, and whether each minimum is met.

    Examples:

    \b
        naio-nlp corpus stats corpus/
        naio-nlp corpus stats corpus/test.jsonl --json
    """
    records = corpus_mod.read_corpus(path)
    s = corpus_mod.corpus_stats(records)
    if as_json:
        typer.echo(json.dumps(s, indent=2))
        return
    for title, key in (
        ("status", "status"),
        ("artifact_type", "artifact_type"),
        ("domains", "domains"),
        ("language", "lang"),
        ("genre", "genre"),
        ("domains per document", "domains_per_document"),
    ):
        t = Table(title=title, title_justify="left", show_edge=False)
        t.add_column("label")
        t.add_column("documents", justify="right")
        for k, v in s[key].items():
            t.add_row(str(k), str(v))
        out.print(t)
    t = Table(title="length (words)", title_justify="left", show_edge=False)
    t.add_column("bucket")
    t.add_column("documents", justify="right")
    for k, v in s["length_words"]["buckets"].items():
        t.add_row(k, str(v))
    out.print(t)
    out.print(f"shortest {s['length_words']['min']} words, longest {s['length_words']['max']}")
    t = Table(title="minimums", title_justify="left", show_edge=False)
    for col in ("check", "value", "minimum", "met"):
        t.add_column(col, justify="right" if col != "check" else "left")
    for m in s["minimums"]:
        t.add_row(
            m["check"],
            str(m["value"]),
            str(m["minimum"]),
            "[green]yes[/]" if m["met"] else "[red]no[/]",
        )
    out.print(t)
    out.print(f"{s['documents']} documents")


@corpus_app.command("split")
def split(
    sources: Annotated[
        list[Path], typer.Argument(metavar="SOURCE...", help="Labelled .jsonl files or folders.")
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for train.jsonl and test.jsonl.")
    ] = Path("corpus"),
    test_size: Annotated[
        float,
        typer.Option(
            min=0.01,
            max=0.99,
            help="Share of each (status, language) stratum for test (0.01-0.99).",
        ),
    ] = 0.2,
    seed: Annotated[int, typer.Option(help="Shuffling seed.")] = 13,
    force: Annotated[
        bool, typer.Option(help="Overwrite an existing test.jsonl (it is meant to stay frozen).")
    ] = False,
) -> None:
    """Make the stratified train/test split. The test split is frozen once written.

    Example:

    \b
        naio-nlp corpus split new-batches/ --out corpus/ --test-size 0.2 --seed 13
    """
    test_path = out_dir / "test.jsonl"
    if test_path.exists() and not force:
        err.print(
            error_line(
                f"{test_path} exists and the test split is frozen; "
                "pass --force only if you mean to replace it"
            )
        )
        raise typer.Exit(1)
    records = corpus_mod.read_corpus(sources)
    if len(records) < 2:
        raise CorpusError(", ".join(map(str, sources)), 0, None, "need 2 or more documents")
    train, test = corpus_mod.split_corpus(records, test_size=test_size, seed=seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus_mod.write_jsonl(out_dir / "train.jsonl", train)
    corpus_mod.write_jsonl(test_path, test)
    out.print(f"train {len(train)} → {out_dir / 'train.jsonl'}; test {len(test)} → {test_path}")


@corpus_app.command("agreement")
def agreement(
    second: Annotated[
        Path,
        typer.Argument(
            metavar="SECOND",
            help="JSONL of second labels: id, status, artifact_type, domains.",
        ),
    ],
    first: Annotated[Path, typer.Option(help="The corpus holding the first labels.")] = Path(
        "corpus"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Cohen's kappa between the corpus labels and an independent second annotation.

    Example (round 2 of the study in corpus/AGREEMENT.md):

    \b
        naio-nlp corpus agreement corpus/agreement/round2_second_labels.jsonl --first corpus/
    """
    result = corpus_mod.agreement(
        corpus_mod.read_corpus(first), list(corpus_mod.iter_jsonl(second))
    )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    t = Table(title=f"agreement on {result['documents']} documents", title_justify="left")
    t.add_column("label")
    t.add_column("Cohen's kappa", justify="right")
    t.add_row("status", f"{result['status_kappa']:.3f}")
    atk = result["artifact_type_kappa"]
    t.add_row(
        f"artifact_type (both artifact, n={result['artifact_type_documents']})",
        "n/a" if atk is None else f"{atk:.3f}",
    )
    for d, k in result["domain_kappa"].items():
        t.add_row(f"domain {d}", f"{k:.3f}")
    out.print(t)
    if result["unmatched_ids"]:
        err.print(f"{plural(len(result['unmatched_ids']), 'id')} in {second} not in {first}")


@corpus_app.command("add-reviewed")
def add_reviewed(
    db: Annotated[Path, typer.Option(help="The store holding the reviews (naio-nlp review).")],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="Corpus file to write, in an existing folder (replaced; never by nothing).",
        ),
    ] = REVIEWED_DEFAULT,
    genre: Annotated[
        str,
        typer.Option(help=f"Genre of every exported record: {', '.join(corpus_mod.GENRES)}."),
    ] = "news",
) -> None:
    """Export the analysts' reviews as corpus records, with provenance, for `naio-nlp train`.

    Each reviewed article's latest review (undone ones excluded) becomes one
    record with the reviewer's labels and a `provenance` object (source URL,
    reviewer, time, the model version and labels it reviewed, the note).
    `naio-nlp train --corpus corpus/` reads corpus/reviewed.jsonl beside
    train.jsonl; `naio-nlp corpus validate corpus/` checks it.

    Example:

    \b
        naio-nlp corpus add-reviewed --db naio.db -o corpus/reviewed.jsonl
    """
    from ..review.export import export_reviewed
    from ..store import Store

    # a missing folder is refused as every command refuses it: outside a checkout
    # the default corpus/ would otherwise appear wherever the command is run
    check_output(output, (".jsonl",), streams=True)
    if genre not in corpus_mod.GENRES:
        raise CorpusError(
            "--genre", 0, None, f"{genre!r} is not one of {', '.join(corpus_mod.GENRES)}"
        )
    if not db.is_file():
        raise CorpusError(str(db), 0, None, "no such store")
    with Store(db) as store:
        summary = export_reviewed(
            store, output, genre=genre, keep_if_none=True, in_place=is_stream(output)
        )
    if summary.written == 0 and not is_stream(output) and (held := _records_in(output)):
        err.print(
            error_line(
                f"{output} holds {plural(held, 'review')} and {db} has none to export; "
                "the file was left as it was (delete it to empty it)"
            )
        )
        raise typer.Exit(1)
    out.print(
        f"wrote {plural(summary.written, 'reviewed document')} "
        f"({summary.changed} corrected the model) → {output}",
        highlight=False,
    )
    for review in summary.corpus_corrections:
        err.print(
            f"corpus record {escape(review.article_id)} reviewed as {review.labels.status}"
            f"{'/' + review.labels.artifact_type if review.labels.artifact_type else ''} "
            f"by {escape(review.reviewer)}: edit the corpus file by hand",
            highlight=False,
        )
    if summary.missing_articles:
        err.print(
            f"[yellow]warning[/] {plural(len(summary.missing_articles), 'review')} name articles "
            "no longer in the store; skipped",
            highlight=False,
        )


def _records_in(path: Path) -> int:
    """Non-blank lines of ``path`` (0 when it does not exist)."""
    try:
        with path.open("rb") as f:
            return sum(1 for line in f if line.strip())
    except FileNotFoundError:
        return 0


def register(app: typer.Typer) -> None:
    """Add ``naio-nlp corpus …``."""
    app.add_typer(corpus_app, name="corpus")
