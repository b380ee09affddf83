"""One exception tree for the whole library.

Every exception naio_nlp raises on purpose is defined here and exported from
``naio_nlp``::

    NaioError
    ├── InvalidFieldError   (also ValueError)  a field or an argument holds a bad value
    ├── CorpusError                            a corpus file breaks the schema
    ├── InputError                             a batch input cannot be read
    │   └── InputWarning                       (a warning) the input is used, with a caveat
    │       └── TruncatedInput                 a document was cut short
    ├── FetchError                             a page could not be fetched
    │   ├── RobotsBlockedError                 robots.txt disallows the URL
    │   ├── HostNotAllowedError                the URL or a redirect leaves the source's hosts
    │   ├── TooLargeError                      the body (after decompression) passed the size limit
    │   └── UnsupportedContentError            the content type is not a page, feed or PDF
    ├── ExtractionError                        a fetched page held no article
    │   ├── JsShellError                       a JavaScript application shell, no server text
    │   ├── EmptyPageError                     no article text (may still link PDFs)
    │   └── NotTextError                       the body is not text (binary, undecodable)
    ├── ModelError                             a model cannot be loaded or used
    └── ConfigError                            a settings or sources file is wrong

Every message says what happened, where (field, file:line, URL) and, when it
helps, what to do instead. Callers catch ``NaioError`` to handle them all.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "CorpusError",
    "EmptyPageError",
    "ExtractionError",
    "FetchError",
    "HostNotAllowedError",
    "InputError",
    "InputWarning",
    "InvalidFieldError",
    "JsShellError",
    "ModelError",
    "NaioError",
    "NotTextError",
    "RobotsBlockedError",
    "TooLargeError",
    "TruncatedInput",
    "UnsupportedContentError",
]


class NaioError(Exception):
    """Base class of every error naio_nlp raises on purpose."""


class InvalidFieldError(NaioError, ValueError):
    """A data-model field or a function argument holds a value outside its vocabulary or range."""

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


class InputWarning(InputError):
    """A warning, not a skip: the record is used, but something about it needs a look.

    Examples: a date that could not be read (the record is kept undated), ids that
    repeat across a batch (the output has several rows for one id).
    """


class TruncatedInput(InputWarning):
    """A warning, not a skip: the document was classified on its first characters only."""


class FetchError(NaioError):
    """A URL could not be fetched; carries the URL and, if any, the HTTP status."""

    def __init__(self, url: str, message: str, *, status: int | None = None) -> None:
        self.url = url
        self.status = status
        prefix = f"HTTP {status} " if status is not None else ""
        super().__init__(f"{prefix}{url}: {message}")


class RobotsBlockedError(FetchError):
    """robots.txt disallows this URL for our user agent."""


class HostNotAllowedError(FetchError):
    """The URL (or a redirect) leads to a host the source does not allow."""


class TooLargeError(FetchError):
    """The body exceeds ``max_body_bytes`` (counted after decompression); download stopped."""


class UnsupportedContentError(FetchError):
    """The server sent a content type we do not extract (image, video, archive...)."""


class ExtractionError(NaioError):
    """A fetched page held no extractable article (empty, JS shell, not text)."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        super().__init__(f"{url}: {message}")


class JsShellError(ExtractionError):
    """The page is a JavaScript application shell; its text only exists after scripts run."""


class EmptyPageError(ExtractionError):
    """The page has no article text; it may still link PDFs that hold the release."""

    def __init__(
        self, url: str, message: str, *, title: str = "", pdf_links: tuple[str, ...] = ()
    ) -> None:
        super().__init__(url, message)
        self.title = title
        self.pdf_links = pdf_links


class NotTextError(ExtractionError):
    """The body is served as a page but is not text (binary, undecodable, no sentences)."""


class ModelError(NaioError):
    """A model directory is missing, corrupted, or built by an incompatible version."""


class ConfigError(NaioError):
    """A settings or sources file is malformed; the message names file and key."""
