"""One exception tree for the whole library.

    NaioError
    ├── InvalidFieldError   (also ValueError)  a data-model field holds a bad value
    ├── CorpusError                            a corpus file breaks the schema
    ├── InputError                             a batch input cannot be read
    ├── FetchError                             a page could not be fetched
    ├── ExtractionError                        a fetched page held no article
    ├── ModelError                             a model cannot be loaded or used
    └── ConfigError                            a settings or sources file is wrong

Every message says what happened, where (field, file:line, URL) and, when it
helps, what to do instead. Callers catch ``NaioError`` to handle them all.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "CorpusError",
    "ExtractionError",
    "FetchError",
    "InputError",
    "InvalidFieldError",
    "ModelError",
    "NaioError",
]


class NaioError(Exception):
    """Base class of every error naio_nlp raises on purpose."""


class InvalidFieldError(NaioError, ValueError):
    """A data-model field holds a value outside its vocabulary or range."""

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field}: {value!r} is not valid; expected {expected}")


class CorpusError(NaioError):
    """A corpus record breaks the schema; carries file, line and field."""

    def __init__(self, path: str, line: int, field: str | None, message: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        where = (f"{path}:{line}" if line > 0 else path) + (f": field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


class InputError(NaioError):
    """A batch input (file, line or row) cannot be read as a document."""

    def __init__(self, source: str, message: str, *, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {message}")


class FetchError(NaioError):
    """A URL could not be fetched; carries the URL and, if any, the HTTP status."""

    def __init__(self, url: str, message: str, *, status: int | None = None) -> None:
        self.url = url
        self.status = status
        prefix = f"HTTP {status} " if status is not None else ""
        super().__init__(f"{prefix}{url}: {message}")


class ExtractionError(NaioError):
    """A fetched page held no extractable article (empty, JS shell, not HTML)."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        super().__init__(f"{url}: {message}")


class ModelError(NaioError):
    """A model directory is missing, corrupted, or built by an incompatible version."""


class ConfigError(NaioError):
    """A settings or sources file is malformed; the message names file and key."""
