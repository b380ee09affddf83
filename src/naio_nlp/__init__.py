"""naio_nlp: is Malaysia's National AI Office producing execution or announcements?

The public API is what ``__all__`` lists; everything else is internal and may
change. The library never prints or configures logging: the ``naio-nlp``
command does.
"""

from __future__ import annotations

import logging

from ._version import __version__
from .batch import classify_files
from .errors import (
    ConfigError,
    CorpusError,
    ExtractionError,
    FetchError,
    InputError,
    InvalidFieldError,
    ModelError,
    NaioError,
)
from .labels import ARTIFACT_TYPES, DOMAINS, NAIO_NAMES, STATUSES, Label
from .ledger import Ledger, LedgerEntry
from .pipeline import Classifier, load
from .runner import RunResult, run
from .schema import Article, ArtifactSlots, Evidence, EvidenceSentence, Prediction
from .training import train

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
    "Evidence",
    "EvidenceSentence",
    "ExtractionError",
    "FetchError",
    "InputError",
    "InvalidFieldError",
    "Label",
    "Ledger",
    "LedgerEntry",
    "ModelError",
    "NaioError",
    "Prediction",
    "RunResult",
    "__version__",
    "classify_files",
    "load",
    "run",
    "train",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
