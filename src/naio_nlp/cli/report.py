"""CLI commands for the report stage (registered by ``naio_nlp.cli``).

``naio-nlp report`` reads classified documents from the store and writes the
HTML report and its CSVs. The pieces — reading model information, building
the report from a store, telling the user where it is — are plain functions
so that ``naio-nlp run`` can end with the same report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError, ModelError
from ..ledger import Ledger, update
from ..report import DEFAULT_TITLE, ReportSummary, build_report
from ..store import Store
from ._console import console
from .collect import (
    ConfigOption,
    ContactOption,
    DelayOption,
    MaxPagesOption,
    RetriesOption,
    SourcesFileOption,
    TimeoutOption,
    UserAgentOption,
)

MODEL_CARD = "model-card.json"
#: The demo snapshot's preferred loopback port: stable URLs make re-runs incremental.
DEMO_PORT = 47319


def load_model_info(model: Path | None, model_version: str | None) -> Mapping[str, Any] | None:
    """What the report says about the model.

    ``model`` is a model directory holding ``model-card.json`` (or the card
    itself); without it the report shows only ``model_version`` (or, when
    that is None too, the versions found on the predictions).
    """
    if model is None:
        return None if model_version is None else {"model_version": model_version}
    card = model / MODEL_CARD if model.is_dir() else model
    try:
        data = json.loads(card.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{card}: no model card; pass a model directory to --model") from exc
    except (OSError, ValueError) as exc:
        raise ModelError(f"{card}: cannot read the model card: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{card}: the model card is not a JSON object")
    return summarise_model_card(data)


def _shipped_card_for(version: str) -> Mapping[str, Any] | None:
    """The shipped model's card when the reported labels are that model's, else None."""
    from ..classifier import default_model_path

    try:
        info = load_model_info(default_model_path(), None)
    except ModelError:  # no card shipped: the report shows the version alone
        return None
    return info if info is not None and info.get("version") == version else None


def summarise_model_card(card: Mapping[str, Any]) -> Mapping[str, Any]:
    """The few facts about a model that a report reader needs, from a full model card.

    A card that is not naio_nlp's own (no ``training_data``) is shown as it is.
    """
    if "training_data" not in card:
        return card
    td = card["training_data"]
    cv = card.get("cross_validated") or {}
    summary: dict[str, Any] = {
        "model": card.get("name"),
        "version": card.get("model_version"),
        "trained": card.get("trained_at"),
        "training documents": td.get("documents"),
        "training data (sha256)": str(td.get("hash", ""))[:16] + "…",
        "cross-validated status macro-F1": cv.get("status_macro_f1"),
    }
    test = card.get("test")
    if test:
        model = test["headline"]["model"]
        summary.update(
            {
                "test documents": test.get("documents"),
                "test status macro-F1": model["status_macro_f1"],
                "test artifact_type macro-F1": model["artifact_type_macro_f1"],
                "test domains micro-F1": model["domains_micro_f1"],
                "status calibration error (ECE)": test["calibration_ece"]["status"],
            }
        )
    return {k: v for k, v in summary.items() if v is not None}


def report_from_store(
    db: Path,
    out: Path,
    *,
    model_version: str | None = None,
    model: Path | None = None,
    title: str = DEFAULT_TITLE,
) -> ReportSummary:
    """Build the report from the predictions of one model version (None = latest) in ``db``."""
    model_info = load_model_info(model, model_version)
    if db.is_file() and db.stat().st_size == 0:  # SQLite would make it a store: not ours to
        raise InputError(  # change when only reading
            str(db), "an empty file, not a naio-nlp store; `naio-nlp run --db FILE` makes one"
        )
    with Store(db) as store:
        if model_version is not None and model_version not in store.model_versions():
            known = ", ".join(store.model_versions()) or "none yet"
            raise InputError(
                str(db), f"no predictions by model version {model_version!r} (stored: {known})"
            )
        triples = list(store.reviewed_predictions(model_version=model_version))
        version = model_version or next(iter(reversed(store.model_versions())), None)
        saved = None if version is None else store.ledger(model_version=version)
    if model is None and version is not None:
        model_info = _shipped_card_for(version) or model_info
    rows = [(a, p) for a, p, _ in triples]
    # the saved ledger keeps its ids; documents it has not read are linked in memory only
    ledger = update(saved or Ledger(), rows)
    return build_report(
        rows,
        out_dir=out,
        model_info=model_info,
        title=title,
        ledger=ledger,
        reviewed=sum(r for _, _, r in triples),
    )


def tell(summary: ReportSummary) -> None:
    """Print the report's path on stdout and its headline on stderr."""
    typer.echo(str(summary.html))
    typer.echo(summary.headline, err=True)


def report_from_files(
    articles: list[str],
    out: Path,
    *,
    model: Path | None = None,
    title: str = DEFAULT_TITLE,
    text_column: str = "text",
    id_column: str = "id",
    strict: bool = False,
) -> ReportSummary:
    """Classify article files (read as `classify` reads them), link them, write the report."""
    from ..batch import BatchStats
    from ..classifier import default_model_path
    from .classify import _Problems, classify_inputs, end_strict, skipped

    err = console(stderr=True)
    model_path = model or default_model_path()
    model_info = load_model_info(model_path if (model_path / MODEL_CARD).is_file() else None, None)
    problems = _Problems(None, err)
    stats = BatchStats()
    docs, predictions = classify_inputs(
        articles,
        model=model,
        text_column=text_column,
        id_column=id_column,
        problems=problems,
        stats=stats,
        task="report",
        then="the report counts one document per id",
        nothing_written=f"; {out} not written",
    )
    summary = build_report(
        list(zip(docs, predictions, strict=True)),
        out_dir=out,
        model_info=model_info,
        title=title,
    )
    if stats.skipped:
        err.print(f"skipped {skipped(stats)} (see above)")
    if strict and problems.count:
        tell(summary)  # the report is written: say where, then fail
    end_strict(problems, strict)
    return summary


def report_command(
    out: Annotated[
        Path,
        typer.Option("--out", file_okay=False, help="Directory for index.html and the CSVs."),
    ],
    articles: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[INPUT...]",
            help="Article files to classify, link and report on instead of a store, read as "
            "`classify` reads them: JSONL, .json, CSV/TSV, Parquet, .html/.htm/.txt files, folders "
            "of them, or - for JSONL on stdin.",
            show_default=False,
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            exists=True,
            dir_okay=False,
            help="The naio-nlp database (SQLite) holding articles and predictions.",
        ),
    ] = None,
    model_version: Annotated[
        str | None,
        typer.Option(
            "--model-version",
            help="With --db: report this model version's labels (default: the latest).",
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help=f"Model directory: with files, the model that labels them; with --db, the "
            f"model whose {MODEL_CARD} the report shows (default: the shipped model's, when "
            "the reported labels are that model's).",
        ),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = DEFAULT_TITLE,
    text_column: Annotated[
        str, typer.Option(help="With files: the text field of CSV/JSONL/Parquet.")
    ] = "text",
    id_column: Annotated[
        str,
        typer.Option(help="With files: the id field; another name than id must be there."),
    ] = "id",
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="With files: exit 1 after writing if any input had a problem."
        ),
    ] = False,
) -> None:
    """Write the HTML report (one self-contained file), the ledger and the tables as CSV.

    From a store (--db) it reports the stored labels; from article files it
    labels them with the model first (nothing is stored). Records need `text`;
    `id`, `title`, `date`, `url`, `source` and `lang` are used when present, as
    for `naio-nlp ledger`.

    Examples:

    \b
        naio-nlp report --db naio.db --out report/
        naio-nlp report exports/articles.jsonl --out report/
        naio-nlp report --db naio.db --out report/ --model models/my-model
        naio-nlp report --db naio.db --out report-old/ --model-version naio-default-0.1.0-...
    """
    if (db is None) == (not articles):
        raise typer.BadParameter("give either --db or article files, not both and not neither")
    if db is not None:
        tell(report_from_store(db, out, model_version=model_version, model=model, title=title))
        return
    if model_version is not None:
        raise typer.BadParameter(
            "--model-version picks stored labels; with files, --model picks the model",
            param_hint="--model-version",
        )
    tell(
        report_from_files(
            articles or [],
            out,
            model=model,
            title=title,
            text_column=text_column,
            id_column=id_column,
            strict=strict,
        )
    )


def run_command(
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Run against the bundled offline snapshot of source sites, served on "
            "127.0.0.1 by this command (no internet needed).",
        ),
    ] = False,
    sources_file: SourcesFileOption = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            dir_okay=False,
            help="SQLite store (default: naio.db, or naio-demo/naio.db with --demo).",
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Model directory (default: the shipped model).")
    ] = None,
    report_dir: Annotated[
        Path | None,
        typer.Option(
            "--report",
            file_okay=False,
            help="Report directory (default: report/, or naio-demo/report/ with --demo).",
        ),
    ] = None,
    max_pages: MaxPagesOption = None,
    delay: DelayOption = None,
    user_agent: UserAgentOption = None,
    contact: ContactOption = None,
    timeout: TimeoutOption = None,
    retries: RetriesOption = None,
    config: ConfigOption = None,
) -> None:
    """Crawl → classify → ledger → report, doing only the new work on every run.

    Crawls the sources (unchanged pages cost a 304), labels every stored
    article that this model version has not labelled yet (predictions are
    stored per model version, so a new model re-labels and old labels stay
    queryable), links the new documents into the artifact ledger (ids never
    change), and writes the HTML report with the ledger's CSV and JSON.
    The same job is ``naio_nlp.run()`` in Python.

    Examples:

    \b
        naio-nlp run --demo                 # the whole product, offline
        naio-nlp run --db naio.db --report report/ --contact mailto:me@example.org

    Crawl settings come from the packaged settings.toml, then --config FILE, then
    the flags, as for `naio-nlp crawl`.
    """
    from .. import classifier as classifier_module
    from ..crawl import CrawlReport
    from ..runner import run
    from ..settings import load_settings
    from ..sources import Source
    from .collect import crawl_with_progress, show_crawl_report

    if demo and sources_file is not None:
        raise typer.BadParameter(
            "--demo crawls the bundled snapshot with its own sources; drop --sources",
            param_hint="--sources",
        )
    err = console(stderr=True)
    model_path = model or classifier_module.default_model_path()
    if demo and delay is None:
        delay = 0.0  # the snapshot server is our own, on loopback
    settings = load_settings(
        config,
        per_host_delay=delay,
        user_agent=user_agent,
        contact=contact,
        timeout=timeout,
        max_retries=retries,
    )
    codes: list[int] = []
    base_dir = Path("naio-demo") if demo else Path(".")
    db = db or base_dir / "naio.db"

    def crawler(sources: list[Source], store: Store) -> CrawlReport:
        report = crawl_with_progress(
            sources, store, since=None, max_pages=max_pages, settings=settings
        )
        codes.append(show_crawl_report(report, db, console=err))
        return report

    result = run(
        demo=demo,
        sources=sources_file,
        db=db,
        report_dir=report_dir,
        model=model,
        model_info=load_model_info(
            model_path if (model_path / MODEL_CARD).is_file() else None, None
        ),
        settings=settings,
        crawler=crawler,
        on_step=lambda line: err.print(line, highlight=False, markup=False),
        demo_port=DEMO_PORT,
    )
    tell(result.report)
    if codes and codes[0]:
        raise typer.Exit(codes[0])


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("run")(run_command)
    app.command("report")(report_command)
