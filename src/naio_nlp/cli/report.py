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
from ..report import DEFAULT_TITLE, ReportSummary, build_report
from ..store import Store

MODEL_CARD = "model-card.json"


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
    return data


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
    with Store(db) as store:
        if model_version is not None and model_version not in store.model_versions():
            known = ", ".join(store.model_versions()) or "none yet"
            raise InputError(
                str(db), f"no predictions by model version {model_version!r} (stored: {known})"
            )
        rows = list(store.predictions(model_version=model_version))
    return build_report(rows, out_dir=out, model_info=model_info, title=title)


def tell(summary: ReportSummary) -> None:
    """Print the report's path on stdout and its headline on stderr."""
    typer.echo(str(summary.html))
    typer.echo(summary.headline, err=True)


def report_command(
    db: Annotated[
        Path,
        typer.Option(
            "--db",
            exists=True,
            dir_okay=False,
            help="The naio-nlp database (SQLite) holding articles and predictions.",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", file_okay=False, help="Directory for index.html and the CSVs."),
    ],
    model_version: Annotated[
        str | None,
        typer.Option(
            "--model-version", help="Report this model version's labels (default: the latest)."
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option("--model", help=f"Model directory whose {MODEL_CARD} the report shows."),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = DEFAULT_TITLE,
) -> None:
    """Write the HTML report (one self-contained file) and its tables as CSV."""
    tell(report_from_store(db, out, model_version=model_version, model=model, title=title))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("report")(report_command)
