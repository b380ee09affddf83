"""naio_nlp: is Malaysia's National AI Office producing execution or announcements?

The public API is what ``__all__`` lists; everything else is internal and may
change. The library never prints or configures logging: the ``naio-nlp``
command does.
"""

from __future__ import annotations

import logging
import typing

from ._version import __version__
from .batch import classify_files
from .classifier import Classifier, load
from .errors import (
    ConfigError,
    CorpusError,
    EmptyPageError,
    ExtractionError,
    FetchError,
    HostNotAllowedError,
    InputError,
    InvalidFieldError,
    JsShellError,
    ModelError,
    NaioError,
    NotTextError,
    RobotsBlockedError,
    TooLargeError,
    TruncatedInput,
    UnsupportedContentError,
)
from .labels import ARTIFACT_TYPES, DOMAINS, NAIO_NAMES, STATUSES, Label
from .ledger import Ledger, LedgerEntry
from .schema import Article, ArtifactSlots, Evidence, EvidenceSentence, Prediction
from .training import NaioClassifier, train

__all__ = [
    "ARTIFACT_TYPES",
    "DOMAINS",
    "NAIO_NAMES",
    "STATUSES",
    "Article",
    "ArtifactSlots",
    "Classifier",
    "ConfigError",
    "CorpusError",
    "CrawlReport",
    "CrawlSettings",
    "EmptyPageError",
    "Evidence",
    "EvidenceSentence",
    "ExtractionError",
    "FetchError",
    "HostNotAllowedError",
    "InputError",
    "InvalidFieldError",
    "JsShellError",
    "Label",
    "Ledger",
    "LedgerEntry",
    "ModelError",
    "NaioClassifier",
    "NaioError",
    "NotTextError",
    "Prediction",
    "ReportSummary",
    "RobotsBlockedError",
    "RunResult",
    "Source",
    "Store",
    "TooLargeError",
    "TruncatedInput",
    "UnsupportedContentError",
    "__version__",
    "build_report",
    "check_sources",
    "classify_files",
    "export_articles",
    "load",
    "load_settings",
    "load_sources",
    "run",
    "train",
]

if typing.TYPE_CHECKING:
    from .crawl import CrawlReport, check_sources
    from .fetch import CrawlSettings
    from .report import ReportSummary, build_report
    from .runner import RunResult, run
    from .settings import load_settings
    from .sources import Source, load_sources
    from .store import Store, export_articles

# The collector, the store, the report and the main job (feeds, PDF, plotting) load when
# first asked for, so `import naio_nlp` costs what the classifier needs. The crawl itself
# is `naio_nlp.crawl.crawl`: the stage module's name, so it cannot also be a function here.
# name -> the module that defines it.
_LAZY = {
    "CrawlReport": "crawl",
    "check_sources": "crawl",
    "CrawlSettings": "fetch",
    "ReportSummary": "report",
    "build_report": "report",
    "RunResult": "runner",
    "run": "runner",
    "load_settings": "settings",
    "Source": "sources",
    "load_sources": "sources",
    "Store": "store",
    "export_articles": "store",
}


def __getattr__(name: str) -> typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'naio_nlp' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


logging.getLogger(__name__).addHandler(logging.NullHandler())
