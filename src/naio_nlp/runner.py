"""The main job: crawl → classify what is new → update the artifact ledger → write the report.

:func:`run` is what ``naio-nlp run`` does, as a library function a Python
user or a scheduler can call without the command line. Every step does only
the new work: unchanged pages cost a 304, predictions are stored per model
version (a new model labels everything again while the old labels stay
queryable), and the ledger links only the documents it has not seen, keeping
every artifact id it has given.

::

    import naio_nlp
    result = naio_nlp.run(demo=True)            # the bundled offline snapshot
    result.report.html, len(result.ledger)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from .classifier import Classifier
from .crawl import CrawlReport
from .crawl import crawl as _crawl_sources
from .errors import ConfigError
from .fetch import CrawlSettings
from .ledger import Ledger, build, update
from .report import DEFAULT_TITLE, ReportSummary, build_report
from .sources import Source, load_sources
from .store import Store

__all__ = ["Crawler", "RunResult", "classify_new", "run", "update_ledger"]

#: How :func:`run` crawls: ``(sources, store) -> CrawlReport``. The command
#: line passes one that draws progress bars; the default calls :func:`crawl`.
Crawler = Callable[[list[Source], Store], CrawlReport]


def classify_new(
    store: Store,
    classifier: Classifier,
    *,
    batch_size: int = 256,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Classify and save the stored articles without a prediction by this model; return how many.

    Each batch is saved as soon as it is labelled, so an interruption loses at
    most one batch of work and the next run picks up the rest.
    """
    version = classifier.version
    # streamed in chunks: saving a batch never disturbs the read (see Store._in_order)
    items = store.articles_without_prediction(version)
    done = 0
    while batch := list(islice(items, batch_size)):
        predictions = list(classifier.classify_many(batch, batch_size=batch_size))
        store.save_predictions(predictions, model_version=version)
        done += len(predictions)
        if progress is not None:
            progress(done)
    return done


def update_ledger(store: Store, model_version: str) -> tuple[Ledger, int]:
    """Link ``model_version``'s documents that its saved ledger lacks; save it.

    Returns the ledger and how many documents were new to it. Ids already
    given are kept; new outputs get the next free ids. A model version with no
    ledger yet gets one whose entries keep the ids of the latest saved ledger
    (another version's) where they share documents.
    """
    saved = store.ledger(model_version=model_version)
    # a reviewed label is a person's decision: the ledger must not read the model's
    # probabilities behind it (a near-artifact call, see naio_nlp.ledger)
    rows = (
        (a, replace(p, status_probs={p.status: 1.0}) if reviewed else p)
        for a, p, reviewed in store.reviewed_predictions(model_version=model_version)
    )
    if saved is None:
        # a new model version: a fresh ledger that keeps the last ledger's ids
        new = list(rows)
        ledger = build(new, ids_from=store.ledger())
    else:
        new = [(a, p) for a, p in rows if not saved.has_read(a.id)]
        ledger = update(saved, new)
        # mentions tried again (see Ledger.is_pending) are not new documents
        new = [(a, p) for a, p in new if not saved.is_pending(a.id)]
    store.save_ledger(ledger, model_version=model_version)
    return ledger, len(new)


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one :func:`run` did."""

    crawl: CrawlReport | None
    classified: int
    model_version: str
    ledger: Ledger
    linked: int
    report: ReportSummary


def run(
    *,
    demo: bool = False,
    sources: list[Source] | str | os.PathLike[str] | None = None,
    db: str | os.PathLike[str] | None = None,
    report_dir: str | os.PathLike[str] | None = None,
    classifier: Classifier | None = None,
    model: str | os.PathLike[str] | None = None,
    model_info: Mapping[str, Any] | None = None,
    settings: CrawlSettings | None = None,
    max_pages: int | None = None,
    crawl: bool = True,
    crawler: Crawler | None = None,
    on_step: Callable[[str], None] | None = None,
    title: str = DEFAULT_TITLE,
    demo_port: int = 0,
) -> RunResult:
    """Crawl, classify what this model has not labelled, update the ledger, write the report.

    ``demo`` crawls the bundled offline snapshot (served on 127.0.0.1 for the
    duration) into ``naio-demo/``; otherwise ``sources`` (a list, a sources
    TOML file, or None for the shipped registry) go into ``db`` (default
    ``naio.db``) and the report into ``report_dir`` (default ``report/``).
    ``classifier`` (or ``model``, a model directory; default the shipped
    model) labels. ``crawl=False`` skips collection and works on what is
    stored. ``on_step`` receives one line per step, for a progress display.
    Paths may be strings or :class:`~pathlib.Path` objects.
    """
    from . import classifier as classifier_module

    if demo and sources is not None:
        raise ConfigError(
            "run(demo=True) crawls the bundled snapshot with its own sources; drop sources"
        )
    base_dir = Path("naio-demo") if demo else Path(".")
    db = Path(db) if db is not None else base_dir / "naio.db"
    report_dir = Path(report_dir) if report_dir is not None else base_dir / "report"
    if sources is not None and not isinstance(sources, list):
        sources = Path(sources)
    db.parent.mkdir(parents=True, exist_ok=True)
    say = on_step or (lambda _line: None)
    clf = classifier or classifier_module.load(None if model is None else Path(model))
    if demo and settings is None:
        settings = CrawlSettings(per_host_delay=0.0)  # the snapshot server is our own
    crawl_report: CrawlReport | None = None
    with ExitStack() as stack:
        store = stack.enter_context(Store(db))
        if crawl:
            base = None
            if demo:
                from .demo import serve_snapshot, sources_path

                base = stack.enter_context(serve_snapshot(port=demo_port))
                say(f"serving the offline snapshot at {base}")
                sources = sources_path()
            chosen = sources if isinstance(sources, list) else load_sources(sources, base=base)
            say(f"1/4 crawl {len(chosen)} sources → {db}")
            if crawler is not None:
                crawl_report = crawler(chosen, store)
            else:
                crawl_report = _crawl(chosen, store, max_pages=max_pages, settings=settings)
        say(f"2/4 classify with {clf.version}")
        n = classify_new(store, clf)
        say(f"classified {n} new articles")
        say("3/4 ledger")
        ledger, linked = update_ledger(store, clf.version)
        say(f"linked {linked} new documents; the ledger holds {len(ledger)} outputs")
        triples = list(store.reviewed_predictions(model_version=clf.version))
    say(f"4/4 report → {report_dir}")
    summary = build_report(
        [(a, p) for a, p, _ in triples],
        out_dir=report_dir,
        model_info=model_info,
        title=title,
        ledger=ledger,
        reviewed=sum(r for _, _, r in triples),
    )
    return RunResult(
        crawl=crawl_report,
        classified=n,
        model_version=clf.version,
        ledger=ledger,
        linked=linked,
        report=summary,
    )


def _crawl(
    sources: list[Source],
    store: Store,
    *,
    max_pages: int | None,
    settings: CrawlSettings | None,
) -> CrawlReport:
    return _crawl_sources(sources, store, since=None, max_pages=max_pages, settings=settings)
