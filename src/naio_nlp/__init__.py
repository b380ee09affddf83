"""naio_nlp: is Malaysia's National AI Office producing execution or announcements?

The public API is what ``__all__`` lists; everything else is internal and may
change. The library never prints or configures logging: the ``naio-nlp``
command does.
"""

from __future__ import annotations

import logging

from ._version import __version__
from .batch import classify_files
from .classifier import Classifier, load
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
    "Evidence",
    "EvidenceSentence",
    "ExtractionError",
    "FetchError",
    "InputError",
    "InvalidFieldError",
    "Label",
    "ModelError",
    "NaioClassifier",
    "NaioError",
    "Prediction",
    "__version__",
    "classify_files",
    "load",
    "train",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
