"""Relevance before fetching: is a candidate link about AI or NAIO, judged by title and URL?

A general news site publishes thousands of articles a month; a dozen are
about NAIO. Fetching them all to find that dozen is slow and impolite, so
each source names term sets (kept in ``relevance.toml``, data rather than
code) and discovery keeps only links whose title or URL path holds a term.
Matching is on whole words after case and punctuation are dropped: URL slugs
(``ai-regulatory-framework``) and headlines are judged alike, and "AI" never
matches "Air Selangor" or "said".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import unquote, urlsplit

from .errors import ConfigError
from .labels import NAIO_NAMES

__all__ = ["ALL", "Relevance", "normalize", "term_sets"]

#: The ``relevance`` value that turns the filter off (every discovered link is fetched).
ALL = "all"

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, with a space at each end."""
    return " " + " ".join(_NON_WORD.sub(" ", text.lower()).split()) + " "


@cache
def term_sets() -> dict[str, tuple[str, ...]]:
    """The packaged term sets by name (``relevance.toml``); "ai" also holds NAIO's names."""
    text = resources.files("naio_nlp").joinpath("relevance.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    sets = {name: tuple(entry["terms"]) for name, entry in data["sets"].items()}
    sets["ai"] = (*sets["ai"], *NAIO_NAMES)
    return sets


@cache
def _matcher(terms: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({normalize(t).strip() for t in terms if normalize(t).strip()}, key=len)
    alternatives = "|".join(re.escape(w) for w in reversed(words))
    return re.compile(f" (?:{alternatives}) ")


def _url_words(url: str) -> str:
    """The path and query of ``url`` (never the host: ``ai.gov.my`` is not a topic)."""
    parts = urlsplit(url)
    return unquote(f"{parts.path} {parts.query}")


@dataclass(frozen=True, slots=True)
class Relevance:
    """One source's filter: the term sets it uses and its own extra terms.

    ``sets == ("all",)`` (the default) keeps every link: right for NAIO's own
    site or an AI tag page, where the channel is already narrow.
    """

    sets: tuple[str, ...] = (ALL,)
    extra: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        known = term_sets()
        unknown = [s for s in self.sets if s != ALL and s not in known]
        if unknown:
            raise ConfigError(
                f"unknown relevance set {', '.join(unknown)}; known: {ALL}, "
                + ", ".join(sorted(known))
            )

    @property
    def filters(self) -> bool:
        """False when every link is kept."""
        return ALL not in self.sets

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term this filter looks for."""
        known = term_sets()
        found = [t for s in self.sets if s != ALL for t in known[s]]
        return (*found, *self.extra)

    def keeps(self, url: str, title: str = "") -> bool:
        """Whether a link with this URL and title (link text, feed or sitemap title) is wanted."""
        if not self.filters:
            return True
        text = normalize(f"{title} {_url_words(url)}")
        return _matcher(self.terms).search(text) is not None
