"""naio_nlp: is Malaysia's National AI Office producing execution or announcements?

The public API is what ``__all__`` lists; everything else is internal and may
change. The library never prints or configures logging: the ``naio-nlp``
command does.
"""

from __future__ import annotations

import logging
import typing

from ._version import __version__
from .errors import (
    ConfigError,
    CorpusError,
    EmptyPageError,
    ExtractionError,
    FetchError,
    HostNotAllowedError,
    InputError,
    InputWarning,
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
from .schema import Article, ArtifactSlots, Evidence, EvidenceSentence, Prediction

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
    "InputWarning",
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
    from .batch import classify_files
    from .classifier import Classifier, load
    from .crawl import CrawlReport, check_sources
    from .fetch import CrawlSettings
    from .ledger import Ledger, LedgerEntry
    from .report import ReportSummary, build_report
    from .runner import RunResult, run
    from .settings import load_settings
    from .sources import Source, load_sources
    from .store import Store, export_articles
    from .training import NaioClassifier, train

# Only the light modules above (errors, labels, the record types) load with the package.
# Everything else loads when first asked for (PEP 562), so `import naio_nlp` costs a few
# megabytes: the classifier brings spaCy, training brings scikit-learn, the ledger
# rapidfuzz, the report jinja2 and plotting, the collector feeds and HTTP. A Dask worker
# that only labels therefore never imports scikit-learn, pandas or jinja2. The crawl
# itself is `naio_nlp.crawl.crawl`: the stage module's name, so it cannot also be a
# function here.
# name -> the module that defines it.
_LAZY = {
    "classify_files": "batch",
    "Classifier": "classifier",
    "load": "classifier",
    "CrawlReport": "crawl",
    "check_sources": "crawl",
    "CrawlSettings": "fetch",
    "Ledger": "ledger",
    "LedgerEntry": "ledger",
    "ReportSummary": "report",
    "build_report": "report",
    "RunResult": "runner",
    "run": "runner",
    "load_settings": "settings",
    "Source": "sources",
    "load_sources": "sources",
    "Store": "store",
    "export_articles": "store",
    "NaioClassifier": "training",
    "train": "training",
}


def __getattr__(name: str) -> typing.Any:
    import importlib
    import importlib.util

    module = _LAZY.get(name)
    if module is None:
        # a stage's module, as the docs name them: naio_nlp.ledger.build, naio_nlp.distributed
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}"):
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module 'naio_nlp' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # found once; later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


logging.getLogger(__name__).addHandler(logging.NullHandler())
