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
    "NaioError",
    "NotTextError",
    "Prediction",
    "RobotsBlockedError",
    "RunResult",
    "TooLargeError",
    "TruncatedInput",
    "UnsupportedContentError",
    "__version__",
    "classify_files",
    "load",
    "run",
    "train",
]

if typing.TYPE_CHECKING:
    from .runner import RunResult, run

_LAZY = ("RunResult", "run")


def __getattr__(name: str) -> typing.Any:
    # the main job pulls in the collector (httpx, feeds, PDF): load it when asked for
    if name in _LAZY:
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'naio_nlp' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


logging.getLogger(__name__).addHandler(logging.NullHandler())
