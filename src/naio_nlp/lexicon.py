"""Cue phrases, in English and Malay, that carry the codebook's three tests.

The codebook decides ``artifact`` by three tests: a named **output**, concrete
**specifics** showing it happened, and NAIO in an operative **role**. The
phrase lists let the spaCy matchers find the words that carry each test and
the patterns that bend them (NAIO as one of several leads, passive and
progressive intentions, numbers that belong to something else, topic words in
a list), so the learned model can lean on them rather than on one corpus's
phrasing. They are the single source for the matchers, the keyword baseline
and the slot filler, and a trained model stores the copy it was trained with
(``lexicon.json`` in the model folder).

The lists are data: ``naio_nlp/data/lexicon.json``, edited as JSON and checked
by :func:`check_lexicon` when loaded. Phrases are matched case-insensitively on
whole tokens.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

from .errors import ConfigError
from .labels import ARTIFACT_TYPES, DOMAINS, NAIO_NAMES

__all__ = [
    "CUES",
    "DOMAIN_CUES",
    "GROUPS",
    "OUTPUT_HEADS",
    "REQUIRED_CUES",
    "TYPE_CUES",
    "check_lexicon",
    "lexicon_dict",
]

#: The four groups of a lexicon, each a mapping of category to phrases.
GROUPS: Final = ("cues", "types", "domains", "output_heads")
#: Cue categories the features refer to by name; a lexicon must have each.
REQUIRED_CUES: Final = (
    "naio",
    "release",
    "intention",
    "citation",
    "establishment",
    "recency",
    "footer",
    "money",
    "deadline",
    "participants",
    "agency",
    "naio_ref",
    "colead",
    "agent_by",
    "pending",
    "other_number",
    "list_intro",
)
_DATA = "data/lexicon.json"


def check_lexicon(obj: Any, where: str) -> dict[str, dict[str, list[str]]]:
    """The lexicon's four groups as plain data, or a :class:`ConfigError` naming what is wrong.

    Each group maps a category to a list of distinct, non-empty phrases; the
    cues hold every category the features use, with every official NAIO name
    among ``naio``; the types and domains are the codebook's.
    """

    def fail(key: str, msg: str) -> ConfigError:
        return ConfigError(f"{where}: {key}: {msg}")

    if not isinstance(obj, dict):
        raise ConfigError(f"{where}: expected a JSON object with {', '.join(GROUPS)}")
    out: dict[str, dict[str, list[str]]] = {}
    for group in GROUPS:
        table = obj.get(group)
        if not isinstance(table, dict) or not table:
            raise fail(group, "missing, or not an object of category -> list of phrases")
        out[group] = {}
        for name, phrases in table.items():
            key = f"{group}.{name}"
            if not isinstance(phrases, list) or not phrases:
                raise fail(key, "must be a non-empty list of phrases")
            bad = [p for p in phrases if not isinstance(p, str) or not p.strip()]
            if bad:
                raise fail(key, f"phrases must be non-empty strings, got {bad[0]!r}")
            lowered = [p.lower() for p in phrases]
            if len(set(lowered)) != len(lowered):
                dup = next(p for p in lowered if lowered.count(p) > 1)
                raise fail(key, f"repeats the phrase {dup!r}")
            out[group][name] = list(phrases)
    missing = [c for c in REQUIRED_CUES if c not in out["cues"]]
    if missing:
        raise fail("cues", f"lacks the categories {', '.join(missing)}")
    names = {p.lower() for p in out["cues"]["naio"]}
    absent = [n for n in NAIO_NAMES if n.lower() not in names]
    if absent:
        raise fail("cues.naio", f"lacks the official names {', '.join(absent)}")
    for group, known in (("types", ARTIFACT_TYPES), ("domains", DOMAINS)):
        if set(out[group]) != set(known):
            raise fail(group, f"categories must be exactly {', '.join(known)}")
    return out


@lru_cache(maxsize=1)
def _shipped() -> dict[str, dict[str, list[str]]]:
    source = resources.files("naio_nlp").joinpath(_DATA)
    where = f"naio_nlp/{_DATA}"
    try:
        obj = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{where}: cannot be read as JSON ({exc})") from exc
    return check_lexicon(obj, where)


def lexicon_dict() -> dict[str, dict[str, list[str]]]:
    """All cue lists as plain JSON-ready data (a fresh copy; stored with each trained model)."""
    return {g: {k: list(v) for k, v in table.items()} for g, table in _shipped().items()}


def _frozen(group: str) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in _shipped()[group].items()})


#: Cue category -> phrases. Names are stable: features and model files refer to them.
CUES: Final = _frozen("cues")
#: Artifact type -> phrases that name that kind of output.
TYPE_CUES: Final = _frozen("types")
#: Domain -> phrases on that working group's topic.
DOMAIN_CUES: Final = _frozen("domains")
#: Language -> head nouns of named outputs ("Plan", "Garis Panduan").
OUTPUT_HEADS: Final = _frozen("output_heads")
