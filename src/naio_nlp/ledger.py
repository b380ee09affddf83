"""The artifact ledger: many reports of one output become one entry, tracked through its life.

The classifier labels documents; an analyst asks about *outputs*. One
sandbox is reported when applications open, again when its second cohort is
admitted, again in Malay. :func:`build` reads classified documents —
``(Article, Prediction)`` pairs — and groups the reports of one output into
one :class:`LedgerEntry`, whose stages (``announced`` → ``launched`` →
``operational``) carry their dates and their reports.

Which documents enter: artifacts (each names an output that happened),
symbolic documents whose sentence naming an output also states an intention
("sedang dirangka", "will be launched") — those are announcements — and, only
to join an entry already there, symbolic documents that name an output (an
op-ed on a running sandbox).

How reports are linked: an output's name is read from the classifier's
``evidence.artifact.name`` when it has one, else from the text (a capitalised
phrase holding a head noun such as "Plan" or "Garis Panduan"). A report joins
the entry that a learned pairwise scorer (a logistic regression over
:data:`FEATURES`, weights in ``ledger_scorer.json``, trained by
``benchmarks/train_ledger_scorer.py`` on development files only) finds most
likely the same output, at or above its threshold, unless a cannot-link rule
forbids it: different years or owners, two different bodies, a successor
("the second ..."), two formal names in one language that contradict each
other. Names are compared as sets of English words (Malay translated from
``ledger_terms.toml``), with rapidfuzz for spelling variants; the documents by
their title-and-lead words. Candidates come from an index on the distinctive
name words and on rare context words (blocking), never from all pairs.

Entries keep their ids: :func:`update` adds new documents to existing
entries or opens new ones, and never renumbers. A report's stage is read from
its own words; when an ``operational`` report is dated before every
``launched`` one the entry is flagged (``operational_before_launch``), not
reordered: the reader decides which report is wrong.
"""

from __future__ import annotations

import csv
import heapq
import json
import math
import os
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

from rapidfuzz import fuzz, process

from ._version import __version__
from .dates import parse_date
from .errors import ConfigError, InputError
from .labels import DOMAINS, NAIO_NAMES
from .schema import Article, Prediction, content_hash

__all__ = [
    "CSV_COLUMNS",
    "FEATURES",
    "STAGES",
    "Ledger",
    "LedgerEntry",
    "Report",
    "Scorer",
    "Stage",
    "StageRecord",
    "build",
    "load_scorer",
    "read_report",
    "update",
]

Stage = Literal["announced", "launched", "operational"]
#: The stages in the order an output lives them.
STAGES: Final[tuple[Stage, ...]] = ("announced", "launched", "operational")
_STAGE_RANK: Final = {s: i for i, s in enumerate(STAGES)}

#: At most this many candidate entries are scored per report (the best by shared words).
_MAX_CANDIDATES: Final = 12
#: ... and at most this many more found by shared rare context words,
_MAX_CONTEXT_CANDIDATES: Final = 4
#: words held by at most this many entries,
_MAX_CONTEXT_POSTING: Final = 40
#: sharing at least this much idf weight (about three rare words).
_MIN_CONTEXT_WEIGHT: Final = 1.5
_ID_FORMAT: Final = "A{:04d}"
#: A name inside another counts as the same output only when it carries this much
#: weight ("AI ethics council" does; "data centre" is too little to tell).
_MIN_CONTAINED_WEIGHT: Final = 1.3
#: A report names at most this many outputs worth trying when it is linked.
_MAX_ALTERNATIVES: Final = 6
#: A report with no stage words this long after a launch report is about operation.
_OPERATING_AFTER_DAYS: Final = 45
#: A report whose only stage words are launch words, this long after the entry's
#: launch, is read as operational ("the sandbox, launched in June, ...").
_RELAUNCH_AFTER_DAYS: Final = 90
#: A name marked as a successor ("the second ...", "... baharu") does not join an entry
#: launched this long before it.
_SUCCESSOR_AFTER_DAYS: Final = 90
_FLAG_OP_BEFORE_LAUNCH: Final = "operational_before_launch"
#: Documents that name no output may join an entry by their title and lead.
_LINK_NAMELESS: Final = True
#: ... and be joined the same way: a pilot reported only by what it does ("AI screening
#: of lorry X-rays at Bukit Kayu Hitam") is one output however many stories it gets.
_INDEX_NAMELESS: Final = True
#: An intention that names its output only by its head noun ("the guidelines", "daftar
#: itu") enters under that noun, and links by its title and lead.
_BARE_HEADS: Final = True
#: An artifact whose title and lead state only an intention is read as announced.
_DRAFTING: Final = True
#: Entries named only generically ("daftar", "the guidelines", "AI Guidelines") are also
#: candidates for a report with the same head noun that shares rare context words with
#: them: the launch of the Public Sector AI Use Register meets its announcement "daftar".
_HEAD_BLOCK: Final = True
#: ... at most this many of them, those sharing the most context weight.
_MAX_HEAD_CANDIDATES: Final = 3
#: A symbolic document that names an output without stating an intention (an op-ed,
#: a bulletin, a speech about a sandbox already running) joins that output's entry
#: when it links to one; it never opens an entry of its own.
_JOIN_MENTIONS: Final = True
#: A symbolic document the classifier gave at least this probability of being an
#: artifact reads as an artifact does (its intention sentences aside; any name, else
#: its title and lead), still only to join: a borderline call costs the ledger a
#: report, not an entry.
_NEAR_ARTIFACT: Final = 0.3
#: A mention that joined no entry is tried again once the rest of its batch is linked:
#: documents are linked in date order, and a mention may come before its output's launch.
_RETRY_MENTIONS: Final = True
#: In a code-mixed text, a head of both languages is read both ways, the longer kept.
_MIXED_BOTH_WAYS: Final = True
#: Context words read Malay through the general glossary too (after the names' phrases):
#: an English and a Malay report of one output then share "river", "phone", "volunteer".
_GLOSSARY_CONTEXT: Final = True
#: A name that says only what an output is ("sandbox") takes its sectors or audiences
#: from its whole sentence ("a sandbox ... on buses and trains").
_VAGUE_SECTORS: Final = True
#: A report that names no output does not join an entry only announced so far, nor a
#: mention an entry no report of which names its output: their titles and leads
#: match a topic ("local compute", then an MoU on compute), not one output, and the
#: announcement joined so would count as a promise kept.
_NAMELESS_NOT_TO_PROMISES: Final = True
#: A symbolic mention may join by a lower-case name with a distinctive word.
_LOWER_MENTIONS: Final = True
#: An artifact named nowhere near the top takes a lower-case name from a sentence with NAIO.
_NAIO_SENTENCE_NAMES: Final = True
#: Two outputs whose names give different sectors or audiences never merge.
_SECTOR_RULE: Final = True
#: Another body's own output never joins NAIO's, nor NAIO's another body's.
_OTHERS_RULE: Final = True
#: An acronym or brand ("KIRA", "JejakAI") that a report's title or naming sentence
#: mentions, and that exactly one entry's reports give beside its name ("... (KIRA)",
#: "Latihan CERMIN"), links the report there, across languages and names.
_BRANDS: Final = True
#: Two bodies are told apart by their distinctive words only when both names are formal.
_FORMAL_BODIES_ONLY: Final = True
#: A brand beside a head noun ("Projek KENAL", "Latihan CERMIN") is given that output.
_HEADED_BRANDS: Final = True
#: Between names mentioned as often, one with a distinctive word comes first.
_GENERIC_NAMES_LAST: Final = True
#: A capitalised phrase that opens with a person's title is a post, not an output.
_PERSON_TITLES: Final = True
#: Heads of one family (``[head_families]``: fund and grant, alliance and consortium)
#: count as one head between an English name and a Malay one.
_HEAD_FAMILIES: Final = True
#: A symbolic document naming an output by a brand alone may join its entry by it.
_BRAND_MENTIONS: Final = True
#: What a shared brand adds to a pair's probability (a same name adds 1).
_BRAND_BONUS: Final = 1.0
#: How alike the name a brand is given beside and a report's own name must be for the
#: brand to be the report's.
_BRAND_NAME_SIMILARITY: Final = 0.5

#: Columns of :meth:`Ledger.write_csv`, one row per entry.
CSV_COLUMNS: Final[tuple[str, ...]] = (
    "artifact_id",
    "name",
    "aliases",
    "artifact_type",
    "domains",
    "naio_role",
    "partners",
    "agencies",
    "current_stage",
    "announced_date",
    "launched_date",
    "operational_date",
    "reports",
    "article_ids",
    "flags",
)


# --------------------------------------------------------------------------- the terms


#: A phrase table by word: one-word keys, keys of several words (as tuples), the
#: longest key's length, and the first words of the keys of several words.
_Phrases = tuple[
    Mapping[str, tuple[str, ...]],
    Mapping[tuple[str, ...], tuple[str, ...]],
    int,
    frozenset[str],
]


def _phrases(table: Mapping[str, str]) -> _Phrases:
    split = {tuple(k.split()): tuple(v.split()) for k, v in table.items()}
    return (
        {k[0]: v for k, v in split.items() if len(k) == 1},
        {k: v for k, v in split.items() if len(k) > 1},
        max((len(k) for k in split), default=1),
        frozenset(k[0] for k in split if len(k) > 1),
    )


@dataclass(frozen=True, slots=True)
class _Terms:
    agency_of: Mapping[str, str]  # any name of a public body (lower case) -> its one name
    heads_en: frozenset[str]
    heads_ms: frozenset[str]
    labels_en: frozenset[str]  # heads that describe an unnamed output, never link it
    labels_ms: frozenset[str]
    ms_en: re.Pattern[str]  # every Malay phrase of names, longest first, in one pattern
    ms_en_map: Mapping[str, str]  # [ms_en] and [ms_en_names]: how names are read
    en_fold: Mapping[str, str]
    stopwords: frozenset[str]
    generic: frozenset[str]
    head_words: frozenset[str]  # English head words after folding, for weights
    stage_res: Mapping[str, re.Pattern[str]]
    cue_words: frozenset[str]
    not_names: frozenset[str]
    places: tuple[str, ...]  # head phrases of places ("klinik kesihatan", "health clinic")
    head_starts: frozenset[str]  # first words of head nouns, to skip sentences naming nothing
    ms_table: _Phrases  # [ms_en] by word: how context words are read first
    gl_table: _Phrases  # [ms_en_names] alone: how the words [ms_en] leaves are read
    context_stop: frozenset[str]
    states: frozenset[str]
    national: frozenset[str]
    a_state: frozenset[str]  # "state", "negeri": some state's, not the nation's
    bodies: frozenset[str]
    sector_re: re.Pattern[str]  # every sector word, longest first
    sector_of: Mapping[str, str]  # sector word -> its sector
    other_bodies: re.Pattern[str]  # bodies other than NAIO that make outputs
    making: re.Pattern[str]  # verbs by which a body makes an output
    own: re.Pattern[str]  # "its own", "sendiri"
    not_brands: frozenset[str]  # acronyms that name bodies, places or things, not outputs
    past_launch: re.Pattern[str]  # a launch told as past: "set up in August"
    person_title: re.Pattern[str]  # a name that opens with someone's post: "Director of"
    head_nouns: frozenset[str]  # one-word heads of both languages, as written: "projek"
    head_family: Mapping[str, int]  # English head word -> its family


def _phrase_re(phrases: Iterable[str]) -> re.Pattern[str]:
    alts = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w-])")


def _strings(data: Mapping[str, Any], *path: str) -> list[str]:
    node: Any = data
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            raise ConfigError(f"ledger_terms.toml: missing [{'.'.join(path)}]")
        node = node[key]
    if not isinstance(node, list) or not all(isinstance(x, str) and x.strip() for x in node):
        raise ConfigError(f"ledger_terms.toml: {'.'.join(path)} must be a list of phrases")
    return [x.strip().lower() for x in node]


def _table(data: Mapping[str, Any], key: str) -> dict[str, str]:
    node = data.get(key)
    if not isinstance(node, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in node.items()
    ):
        raise ConfigError(f"ledger_terms.toml: [{key}] must map phrases to words")
    return {k.lower(): v.lower() for k, v in node.items()}


def _agency_names(data: Mapping[str, Any]) -> dict[str, str]:
    """``[agency_names]``: every name of a body, lower case, to the one it is listed by."""
    node = data.get("agency_names")
    if not isinstance(node, Mapping) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(a, str) for a in v)
        for k, v in node.items()
    ):
        raise ConfigError("ledger_terms.toml: [agency_names] must map names to lists of names")
    out: dict[str, str] = {}
    for name, aliases in node.items():
        for alias in (name, *aliases):
            if out.setdefault(alias.lower(), name) != name:
                raise ConfigError(f"ledger_terms.toml: [agency_names] lists {alias!r} twice")
    return out


def _person_title_re(data: Mapping[str, Any]) -> re.Pattern[str]:
    """A name that opens with a person's title: a Malay one whatever follows
    ("Pengarah Dasar ..."), an English one before "of" ("Director of Policy")."""

    def alts(key: str) -> str:
        words = sorted(_strings(data, "not_names", key), key=len, reverse=True)
        return "|".join(map(re.escape, words))

    return re.compile(
        rf"(?:{alts('person_titles_ms')})(?![\w'’-])|(?:{alts('person_titles_en')})(?=\s+of\s)"
    )


def _past_launch_re(data: Mapping[str, Any]) -> re.Pattern[str]:
    """``[past_launch]`` as one pattern: a launch verb, then within its clause (no
    "will", "to be" or "akan" between) a time before the story."""
    parts = []
    for lang, future in (("en", r"\bwill\b|\bto be\b"), ("ms", r"\bakan\b")):
        months = "|".join(map(re.escape, _strings(data, "past_launch", f"{lang}_months")))
        times = "|".join(
            re.escape(t)
            .replace(r"\{month\}", f"(?:{months})")
            .replace(r"\{year\}", r"20\d\d")
            .replace(r"\ ", r"\s+")
            for t in sorted(_strings(data, "past_launch", f"{lang}_times"), key=len, reverse=True)
        )
        verbs = "|".join(map(re.escape, _strings(data, "past_launch", f"{lang}_verbs")))
        parts.append(rf"\b(?:{verbs})\b(?:(?!{future})[^.;!?\n]){{0,50}}?\b(?:{times})\b")
    return re.compile("|".join(parts))


def _head_families(data: Mapping[str, Any], en_fold: Mapping[str, str]) -> dict[str, int]:
    node = data.get("head_families", {}).get("families")
    if not isinstance(node, list) or not all(
        isinstance(f, list) and len(f) >= 2 and all(isinstance(w, str) for w in f) for f in node
    ):
        raise ConfigError("ledger_terms.toml: [head_families] families must be lists of heads")
    out: dict[str, int] = {}
    for i, family in enumerate(node):
        for w in family:
            w = en_fold.get(w.lower(), w.lower())
            if out.setdefault(w, i) != i:
                raise ConfigError(f"ledger_terms.toml: [head_families] lists {w!r} twice")
    return out


@cache
def _terms() -> _Terms:
    """The ledger's word lists, read once from the package data file and checked."""
    raw = resources.files("naio_nlp").joinpath("ledger_terms.toml").read_text(encoding="utf-8")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"naio_nlp/ledger_terms.toml: {exc}") from exc
    ms_en = _table(data, "ms_en")
    ms_en_names = {**_table(data, "ms_en_names"), **ms_en}
    gl_only = {k: v for k, v in ms_en_names.items() if k not in ms_en}
    en_fold = _table(data, "en_fold")
    heads_en = frozenset(_strings(data, "heads", "en"))
    heads_ms = frozenset(_strings(data, "heads", "ms"))
    stage_res: dict[str, re.Pattern[str]] = {}
    cue_words: set[str] = set()
    for stage in STAGES:
        cues = _strings(data, "stages", stage, "en") + _strings(data, "stages", stage, "ms")
        stage_res[stage] = _phrase_re(cues)
        cue_words.update(w for c in cues for w in c.split())
    ordered = sorted(ms_en_names.items(), key=lambda kv: -len(kv[0]))
    sectors = data.get("sectors")
    if not isinstance(sectors, Mapping) or not sectors:
        raise ConfigError("ledger_terms.toml: [sectors] must map sectors to lists of words")
    sector_of = {w: str(sec) for sec in sectors for w in _strings(data, "sectors", sec)}
    head_words = set()  # the last word of each head phrase ("action plan" -> "plan")
    for h in heads_en:
        w = h.split()[-1]
        head_words.add(en_fold.get(w, w))
    for h in heads_ms:
        w = ms_en.get(h, h).split()[-1]
        head_words.add(en_fold.get(w, w))
    return _Terms(
        agency_of=_agency_names(data),
        heads_en=heads_en,
        heads_ms=heads_ms,
        labels_en=frozenset(_strings(data, "labels", "en")),
        labels_ms=frozenset(_strings(data, "labels", "ms")),
        ms_en=re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(k) for k, _ in ordered) + r")(?![\w-])"
        ),
        ms_en_map=ms_en_names,
        en_fold=en_fold,
        stopwords=frozenset(_strings(data, "stopwords", "words")),
        generic=frozenset(_strings(data, "generic", "words")),
        head_words=frozenset(head_words),
        stage_res=stage_res,
        cue_words=frozenset(cue_words),
        not_names=frozenset(_strings(data, "not_names", "phrases")),
        places=tuple(_strings(data, "not_names", "places")),
        head_starts=frozenset(h.split()[0] for h in heads_en | heads_ms),
        ms_table=_phrases(ms_en),
        gl_table=_phrases(gl_only),
        context_stop=frozenset(_strings(data, "context", "stopwords")),
        states=frozenset(_strings(data, "owners", "states")),
        national=frozenset(_strings(data, "owners", "national")),
        a_state=frozenset(_strings(data, "owners", "a_state")),
        bodies=frozenset(_strings(data, "owners", "bodies")),
        sector_re=_phrase_re(sector_of),
        sector_of=sector_of,
        other_bodies=_phrase_re(_strings(data, "others", "bodies")),
        making=_phrase_re(_strings(data, "others", "making")),
        own=_phrase_re(_strings(data, "others", "own")),
        head_family=_head_families(data, en_fold),
        past_launch=_past_launch_re(data),
        head_nouns=frozenset(h for h in heads_en | heads_ms if " " not in h),
        person_title=_person_title_re(data),
        not_brands=frozenset(_strings(data, "brands", "not"))
        | frozenset(a for a in _agency_names(data) if " " not in a),
    )


# --------------------------------------------------------------------------- names

_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)\b")
_YEAR = re.compile(r"^(?:19|20)\d\d(?:-(?:19|20)\d\d)?$")
_LOWER_WORD = re.compile(r"[\w'’]+")
_WORD = re.compile(r"[\w][\w'’]*(?:-[\w]+)*|&", re.UNICODE)
_NAIO_WORDS: Final = frozenset(w.lower() for n in NAIO_NAMES for w in n.split()) | {"naio's"}
#: NAIO's own names, in words: a name that starts with one drops it ("NAIO AI Sandbox").
_NAIO_PREFIXES: Final = tuple(
    sorted({tuple(n.lower().split()) for n in NAIO_NAMES} | {("naio's",)}, key=len, reverse=True)
)
_MAX_NAME_WORDS: Final = 12


@dataclass(frozen=True, slots=True)
class _Key:
    """A name as compared: its English words, its years, its head noun, its distinctive words."""

    words: frozenset[str]
    years: frozenset[str]
    head: str | None = None
    distinctive: frozenset[str] = frozenset()
    weight: float = 0.0
    #: the phase or edition the name numbers ("Phase 2", "Fasa Kedua"), as a digit
    phase: str | None = None
    #: a Malay name (its head comes first), whose head may translate another way
    malay: bool = field(default=False, compare=False)


def _normalise_years(text: str) -> str:
    def full(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        if len(b) == 2:
            b = a[:2] + b
        return f"{a}-{b}"

    return _YEAR_RANGE.sub(full, text)


_PHASE_NUMBERS: Final = {
    "one": "1", "two": "2", "three": "3", "four": "4", "ii": "2", "iii": "3",
    "iv": "4", "satu": "1", "dua": "2", "tiga": "3", "empat": "4", "first": "1",
    "second": "2", "third": "3", "fourth": "4", "pertama": "1", "kedua": "2",
    "ketiga": "3", "keempat": "4",
}  # fmt: skip
#: not "tahap", which in Malay is mostly a level ("Kenderaan Autonomi Tahap 4")
_PHASE_WORD = r"(?:phase|fasa|edition|edisi)"
#: not a bare "I", which is the pronoun more often than phase one ("Phase I expect")
_PHASE_NUMBER = r"(?:[1-9]\d?|ii|iii|iv|one|two|three|four|satu|dua|tiga|empat)"
_PHASE_ORDINAL = r"(?:first|second|third|fourth|pertama|kedua|ketiga|keempat)"
#: "Phase 2", "Fasa Kedua", "second phase": which phase or edition a name (or the
#: words just before it) numbers. Two phases of one plan are two outputs.
_PHASE = re.compile(
    rf"\b{_PHASE_WORD}\s+(?:ke-?)?({_PHASE_NUMBER}|{_PHASE_ORDINAL})\b"
    rf"|\b({_PHASE_ORDINAL})\s+{_PHASE_WORD}\b"
)


def _phase(text: str) -> str | None:
    """The phase number a text gives ("phase 2", "fasa kedua" -> "2"), or None."""
    m = _PHASE.search(text.lower())
    if m is None:
        return None
    word = m.group(1) or m.group(2)
    return _PHASE_NUMBERS.get(word, word.lstrip("0") or word)


#: Head words that wrap another output ("Projek Korpus ...", "... Sandbox Programme").
_WRAPPER_HEADS: Final = frozenset({"project", "program", "initiative"})
#: "AI" glued to a word in a brand name ("BakatAI", "SihatAI").
_GLUED_AI = re.compile(r"(?<=[a-z])AI\b")


@cache
def _key(name: str) -> _Key:
    """The comparable form of a name: lower case, Malay in English, variants folded.

    The head is the last head noun of an English name and the first of a
    Malay one (Malay puts the head first: "Kotak Pasir Kawal Selia AI"), never one
    in a "for the ..." tail ("Generative AI Guidelines for the Public Service" are
    guidelines) unless the name has no other.
    """
    t = _terms()
    name = _GLUED_AI.sub(" AI", name)  # "Portal BakatAI" -> "Portal Bakat AI"
    low = _normalise_years(name.lower().replace("’", "'"))
    first = next((m.group(0) for m in _WORD.finditer(low) if m.group(0) not in _NAIO_WORDS), "")
    second = low.split(first, 1)[1].split()[:1] if first else []
    malay_head = first in t.heads_ms or f"{first} {''.join(second)}".strip() in t.heads_ms
    text = t.ms_en.sub(lambda m: t.ms_en_map[m.group(0)], low)
    words: dict[str, None] = {}
    years: set[str] = set()
    heads: list[str] = []
    tail_heads: list[str] = []  # in a "for the ..." tail: whom it is for, not what it is
    tail_at = text.find(" for the ")
    for m in _WORD.finditer(text):
        w = m.group(0).strip("'")
        if w.endswith("'s"):
            w = w[:-2]
        if not w or w in t.stopwords:
            continue
        if _YEAR.match(w):
            years.add(w)
            continue
        w = t.en_fold.get(w, w)
        if w in t.stopwords or w.isdigit():
            continue
        words[w] = None
        if w in t.head_words:
            (tail_heads if 0 <= tail_at < m.start() else heads).append(w)
    heads = heads or tail_heads
    # "Projek Korpus Teks ...", "the Legal Corpus Project": the wrapper is not the head
    heads = [h for h in heads if h not in _WRAPPER_HEADS] or heads
    head = (heads[0] if malay_head else heads[-1]) if heads else None
    ws = frozenset(words)
    return _Key(
        ws,
        frozenset(years),
        head,
        frozenset(w for w in ws if w not in t.generic and w not in t.head_words),
        sum(_weight(w) for w in ws),
        _phase(low),
        malay_head,
    )


def _aligned(a: _Key, b: _Key) -> _Key:
    """``b`` with ``a``'s head when the two names are of different languages and their
    heads of one family (``[head_families]``): a "Dana ..." may be reported in English
    as a "... Grant", a "Pakatan ..." as a "... Consortium"."""
    if not _HEAD_FAMILIES or a.malay == b.malay or not a.head or not b.head or a.head == b.head:
        return b
    family = _terms().head_family
    fa = family.get(a.head)
    if fa is None or fa != family.get(b.head):
        return b
    words = (b.words - {b.head}) | {a.head}
    return replace(b, words=words, head=a.head, weight=sum(_weight(w) for w in words))


def _weight(word: str) -> float:
    t = _terms()
    if word in t.generic:
        return 0.25
    if word in t.head_words:
        return 0.6
    return 1.0


def similarity(a: str, b: str) -> float:
    """How alike two output names are, 0..1, across English and Malay.

    Weighted word overlap (Jaccard), spelling variants matched by rapidfuzz;
    0 when both carry years and the years differ.
    """
    return _key_similarity(_key(a), _key(b))


def _key_similarity(a: _Key, b: _Key) -> float:
    return _similarity(a, _aligned(a, b))


@lru_cache(maxsize=1 << 18)
def _similarity(a: _Key, b: _Key) -> float:
    # keys compare without their language (``malay``): it only matters to _aligned
    if a.years and b.years and a.years != b.years:
        return 0.0
    if a.phase and b.phase and a.phase != b.phase:  # "Phase 1" is not "Phase 2"
        return 0.0
    if not a.words or not b.words:
        return 0.0
    # a council is not a sandbox: different head nouns, neither in the other name
    if a.head and b.head and a.head != b.head and a.head not in b.words and b.head not in a.words:
        return 0.0
    shared = a.words & b.words
    only_a = sorted(a.words - b.words)
    only_b = list(b.words - a.words)
    matched = sum(_weight(w) for w in shared)
    n_matched_b: set[str] = set()
    for w in only_a:
        if len(w) < 5 or not only_b:
            continue
        hit = process.extractOne(w, only_b, scorer=fuzz.ratio, score_cutoff=85)
        if hit is not None and hit[0] not in n_matched_b:
            n_matched_b.add(hit[0])
            matched += min(_weight(w), _weight(hit[0]))
    wa, wb = a.weight, b.weight
    extra = 0.0
    if a.years and a.years == b.years:
        matched += 1.0
        extra = 1.0
    union = wa + wb + 2 * extra - matched
    score = matched / union if union else 0.0
    # "the AI Ethics Framework" against "the National AI Ethics Framework":
    # one name inside the other, with a distinctive word in common.
    small = a if wa <= wb else b
    covered = matched - extra
    if (
        small.distinctive
        and small.weight >= _MIN_CONTAINED_WEIGHT
        and (a.distinctive & b.distinctive)
        and covered >= min(wa, wb) - 1e-9
        and (not (a.distinctive - b.distinctive) or not (b.distinctive - a.distinctive))
    ):
        score = max(score, 0.75)
    return score


def _translate(
    toks: Sequence[str],
    table: _Phrases,
    then: Callable[[list[str]], list[str]] | None = None,
) -> list[str]:
    """``toks`` with the Malay phrases of ``table`` in English, the longest first; the
    runs of tokens no phrase reads go through ``then`` when given."""
    single, phrases, longest, starts = table
    out: list[str] = []
    left: list[str] = []  # tokens no phrase read, waiting for ``then``
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        step, words = 1, single.get(tok)
        if tok in starts:
            for span in range(min(longest, n - i), 1, -1):
                english = phrases.get(tuple(toks[i : i + span]))
                if english is not None:
                    step, words = span, english
                    break
        if words is None:
            left.append(tok)
        else:
            if left:
                out.extend(then(left) if then is not None else left)
                left = []
            out.extend(words)
        i += step
    if left:
        out.extend(then(left) if then is not None else left)
    return out


def _context_words(texts: Iterable[str]) -> tuple[str, ...]:
    """Content words of some sentences, Malay phrases in English, sorted: "dana padanan
    pengkomersialan" and "commercialisation matching fund" give the same words.

    The names' phrases (``[ms_en]``) are read first; the general glossary
    (``[ms_en_names]``) only reads what they leave, so "syarikat teknologi pertanian"
    keeps the "agritech" a name would give it."""
    t = _terms()
    glossary = t.gl_table

    def rest(run: list[str]) -> list[str]:
        return _translate(run, glossary)

    out: set[str] = set()
    for text in texts:
        toks = [
            w.strip("'").removesuffix("'s")
            for w in _LOWER_WORD.findall(_normalise_years(text.lower().replace("’", "'")))
        ]
        for w in _translate(toks, t.ms_table, rest if _GLOSSARY_CONTEXT else None):
            w = t.en_fold.get(w, w)
            if w.isdigit():
                if len(w) >= 2:
                    out.add(w)
            elif len(w) >= 3 and w not in t.stopwords and w not in t.context_stop:
                out.add(w)
    return tuple(sorted(out))


#: A capitalised token with a second capital: "KIRA", "JejakAI", "PACU-AI", "MyDIGITAL".
_BRAND = re.compile(r"(?<![\w-])[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:-[A-Za-z]+)*(?![\w-])")
_CREDIT = re.compile(r"\)\s*[-–—]")


def _could_be_brand(tok: str) -> bool:
    """What every brand is, wherever it is read: three letters or more, not an acronym
    ``[brands]`` or ``[agency_names]`` lists, not NAIO, not a plural ("CEOs", "SMEs"),
    and no lower-case part after a hyphen ("AI-assisted")."""
    low = tok.lower()
    if len(tok.replace("-", "")) < 3 or low in _terms().not_brands or low in _NAIO_WORDS:
        return False
    if tok.endswith("s") and tok[:-1].isupper():
        return False
    return all(part[:1].isupper() for part in tok.split("-"))


def _brand_tokens(text: str, source: str | None = None, *, title: bool = False) -> list[str]:
    """Acronyms and brands in a text, as written.

    Besides what :func:`_could_be_brand` rules out, datelines and headers in capitals
    ("PUTRAJAYA, 3 March", "KENYATAAN MEDIA") are not brands: a word in capitals that
    opens a line before a comma, colon or dash, stands next to another (but "AI") or
    before a colon is passed over; nor is a word of the outlet's name. A ``title`` has
    no dateline: "KIRA: 40,000 GPU-hours ..." names KIRA.
    """
    outlet = {w.lower() for w in _LOWER_WORD.findall(source)} if source else set()
    out: list[str] = []
    for m in _BRAND.finditer(text):
        tok = m.group(0)
        if not _could_be_brand(tok):
            continue
        if tok.lower() in outlet or (source and tok.lower() == source.lower().replace(" ", "")):
            continue
        if _CREDIT.match(text, m.end()) and text[max(0, m.start() - 1) : m.start()] == "(":
            continue  # a wire credit in a dateline: "KUANTAN, 17 Mac (ABS) --"
        if tok.isupper():
            before = text[max(0, m.start() - 2) : m.start()]
            after = text[m.end() : m.end() + 4]
            if not title:
                opens = m.start() == 0 or not text[: m.start()].strip() or "\n" in before
                if opens and re.match(r"\s*[,:(—–-]", after):
                    continue  # a dateline opens the text or a paragraph: "PUTRAJAYA, 3 Mac"
                if after.startswith(":"):
                    continue
            if re.search(r"[A-Z]\s$", before) or re.match(r"\s(?!AI\b)[A-Z]{2}", after):
                continue  # a headline in capitals: "KENYATAAN MEDIA"
        out.append(tok)
    return out


#: "Name – JejakAI": a brand given after a dash ...
_DASH_BEFORE = re.compile(r"\s[–—]\s*$")
#: ... or before its name: "KIRA (Inisiatif Kapasiti Infrastruktur Rangkaian AI)".
_BRACKET_AFTER = re.compile(r"\s*\(([^()]{6,160})\)")
_FRAGMENT_END = re.compile(r"[.!?\n;:]")
#: The word before and after a brand, to find "Projek KENAL", "KIRA programme".
_WORD_BEFORE = re.compile(r"(?<![\w-])([A-Za-z]+)\s+$")
_WORD_AFTER = re.compile(r"\s+([A-Za-z]+)(?![\w-])")


def _name_ending(fragment: str) -> str | None:
    """The capitalised name with a head noun that ends the fragment, if one does."""
    fragment = _normalise_years(fragment).rstrip(" ,")
    names = _capitalised_names(fragment)
    return names[-1] if names and fragment.endswith(names[-1]) else None


@lru_cache(maxsize=1 << 12)
def _defined_brands(text: str) -> tuple[tuple[str, str], ...]:
    """The acronyms and brands a text gives an output's name, next to it, with that
    name: "the National Shared AI Compute Programme (KIRA)", "KIRA (Inisiatif Kapasiti
    ...)", "the AI Skills Passport – JejakAI". A body's acronym given so ("Universiti
    Malaya (UM)") counts only when its name has an output's head noun and no list names it."""
    heads = _terms().head_nouns
    found: dict[str, str] = {}
    for m in _BRAND.finditer(text):  # one pass over the text: it is read for every report
        brand, start, end = m.group(0), m.start(), m.end()
        if brand in found or not _could_be_brand(brand):
            continue
        name = None
        if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
            name = _name_before(text, start - 1)  # "... Compute Programme (KIRA)"
        elif dash := _DASH_BEFORE.search(text, max(0, start - 4), start):
            name = _name_before(text, dash.start())  # "... Skills Passport – JejakAI"
        if name is None and (inside := _BRACKET_AFTER.match(text, end)):
            # "KIRA (Inisiatif Kapasiti Infrastruktur Rangkaian AI)"
            words = " ".join(inside.group(1).split())
            names = _capitalised_names(words)
            if names and _normalise_years(words).startswith(names[0].split()[0]):
                name = names[0]
        if name is None and _HEADED_BRANDS:
            # "Projek KENAL", "Latihan CERMIN", "the KIRA programme": a head noun beside it
            before = _WORD_BEFORE.search(text, max(0, start - 24), start)
            after = _WORD_AFTER.match(text, end)
            if before and before.group(1).lower() in heads:
                name = f"{before.group(1)} {brand}"
            elif after and after.group(1).lower() in heads:
                name = f"{brand} {after.group(1)}"
        if name is not None:
            found[brand] = name
    return tuple(found.items())


def _name_before(text: str, pos: int) -> str | None:
    """The capitalised name with a head noun that ends the text at ``pos``, if one does."""
    prefix = text[max(0, pos - 200) : pos]
    cut = max((x.end() for x in _FRAGMENT_END.finditer(prefix)), default=0)
    return _name_ending(prefix[cut:])


def _brands(
    name: str,
    title: str,
    sentence: str,
    text: str,
    source: str | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The acronyms and brands a report knows its output by: (those its title and
    naming sentence mention and those its text gives its own name, those alone; see
    :func:`_defined_brands`). A brand the text gives another output's name (a roundup's
    "... the AI Sandbox Programme (ASP)") is not the report's."""
    own = [name] if name else []  # not the alternatives: a roundup names other outputs
    defined = [
        b
        for b, n in _defined_brands(text)
        if any(n == o or similarity(n, o) >= _BRAND_NAME_SIMILARITY for o in own)
    ]
    mentioned = _brand_tokens(title, source, title=True) + _brand_tokens(sentence, source)
    return tuple(sorted({*mentioned, *defined})), tuple(sorted(set(defined)))


@cache
def _owner(name: str) -> str | None:
    """Who owns an output, as its name says: a state, "national", or None when it does not say."""
    t = _terms()
    low = " " + " ".join(_LOWER_WORD.findall(name.lower())) + " "
    for state in sorted(t.states):
        if f" {state} " in low:
            return state
    if any(f" {w} " in low for w in t.national):
        return "national"
    if any(f" {w} " in low for w in t.a_state):
        return _A_STATE
    return None


#: The owner of a state's output whose state is not named ("the state portal").
_A_STATE: Final = "a state"


def _owners_differ(owner: str, theirs: frozenset[str]) -> bool:
    """An owner against an entry's owners: "a state" is any state's, not the nation's."""
    if owner in theirs:
        return False
    if owner == _A_STATE:
        return "national" in theirs
    if _A_STATE in theirs and owner != "national":
        return not theirs <= {_A_STATE, owner}
    return True


#: The words right after a name that say whom it is for ("... Guidelines for the
#: Plantation Sector", "... untuk sektor perladangan", "... aimed at young people").
_SECTOR_TAIL = re.compile(
    r"\s*,?\s*(?:(?:aimed|targeted)\s+at|targeting|meant\s+for|for|(?:khusus\s+)?untuk|bagi"
    r"|(?:yang\s+)?menyasarkan|in|di)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?",
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 16)
def _sectors(name: str, sentence: str = "") -> frozenset[str]:
    """The sectors or audiences an output is for, as its name says ("guidelines for
    contractors": construction; "program celik AI warga emas": seniors), or as the words
    just after the name in its sentence say when the name does not. A name that says
    only what the output is ("sandbox") takes them from its whole sentence ("a sandbox
    that would let companies test AI on buses and trains": transport)."""
    t = _terms()
    found = frozenset(t.sector_of[m.group(0)] for m in t.sector_re.finditer(name.lower()))
    if found or not sentence or not name:
        return found
    if _VAGUE_SECTORS and not _key(name).distinctive:
        return frozenset(t.sector_of[m.group(0)] for m in t.sector_re.finditer(sentence.lower()))
    at = sentence.find(name)
    tail = _SECTOR_TAIL.match(sentence, at + len(name)) if at >= 0 else None
    if tail is None:
        return found
    return frozenset(t.sector_of[m.group(0)] for m in t.sector_re.finditer(tail.group(0).lower()))


_NAIO_LOWER: Final = tuple(n.lower() for n in NAIO_NAMES)
#: NAIO as a sentence may name it before an output: its names, or the office's short forms
_NAIO_MENTIONS: Final = (*_NAIO_LOWER, "ai office", "pejabat ai")


@lru_cache(maxsize=1 << 16)
def _other_owned(name: str, sentence: str) -> bool:
    """The sentence a name was read from makes another body, not NAIO, the output's
    maker or owner: "Yayasan X ... has launched an AI for Y Grant", "the association's
    code", "Hospital swasta ada garis panduan AI sendiri" (a body's own output)."""
    t = _terms()
    low, sent = name.lower(), sentence.lower()
    at = sent.find(low)
    if not low or at < 0:
        return False
    if _naio_named_before(name, sentence):
        return False
    before = sent[:at]
    after = sent[at + len(low) : at + len(low) + 20]
    if t.own.search(low) or t.own.match(after.lstrip()) or t.own.search(before[-12:]):
        return True
    # the last body named before the output, then a verb of making ("has launched")
    bodies = list(t.other_bodies.finditer(before))
    return bool(bodies) and t.making.search(before, bodies[-1].end()) is not None


@lru_cache(maxsize=1 << 16)
def _naio_named_before(name: str, sentence: str) -> bool:
    """NAIO is named before the output in the sentence it was read from ("The National
    AI Office intends to offer a grant for ...")."""
    at = sentence.lower().find(name.lower())
    return at > 0 and any(n in sentence[:at].lower() for n in _NAIO_MENTIONS)


_SUCCESSOR_BEFORE = re.compile(
    r"(?:\b(?:new|next|second|third|fourth|another|2nd|3rd)\W+"
    rf"|\b{_PHASE_WORD}\s+(?:ke-?)?(?:[2-9]|1\d|ii|iii|iv|two|three|four|dua|tiga|empat|kedua|ketiga)"
    r"\s+(?:of\s+(?:the\s+)?|bagi\s+|untuk\s+)?"
    rf"|\b(?:second|third|fourth|next)\s+{_PHASE_WORD}\s+(?:of\s+(?:the\s+)?)?)$"
)
_SUCCESSOR_IN = re.compile(
    r"\b(?:baharu|kedua|ketiga|keempat|seterusnya|akan datang|kali kedua|next|second|third)\b"
)


#: Heads of events held again and again: their second edition is the same output run again.
_RECURRING_HEADS: Final = frozenset(
    {"olympiad", "competition", "challenge", "hackathon", "summit", "festival", "expo"}
)
#: An edition or ordinal of such an event: "the second edition of", "edisi ketiga", "next".
_EDITION = re.compile(
    rf"\b(?:edition|edisi)\s+(?:ke-?)?(?:{_PHASE_NUMBER}|{_PHASE_ORDINAL})\b"
    rf"|\b{_PHASE_ORDINAL}\s+(?:edition|edisi)\b(?:\s+of\s+(?:the\s+)?)?"
    r"|\b(?:kali\s+)?(?:second|third|fourth|next|2nd|3rd|4th|kedua|ketiga|keempat)\b",
    re.IGNORECASE,
)


def _recurring(name: str) -> bool:
    """The output is an event held again and again ("the AI olympiad"): its editions are rounds."""
    return _key(name).head in _RECURRING_HEADS


def _is_successor(name: str, sentence: str) -> bool:
    """The name, as written in its sentence, marks a successor ("second", "baharu", "next").
    A round, cohort or intake does not ("Pusingan Kedua Geran ...", "the second call"),
    nor an event's next edition ("the second edition of the AI olympiad")."""
    if not _marks_successor(name, sentence):
        return False
    if not _recurring(name):  # read only when it matters: most names mark none
        return True
    return _marks_successor(_EDITION.sub(" ", name), _EDITION.sub(" ", sentence))


def _marks_successor(name: str, sentence: str) -> bool:
    low = " ".join(_ROUND.sub(" ", name.lower()).split())
    if _SUCCESSOR_IN.search(low) or _phase(low) not in (None, "1"):
        return True
    sent = sentence.lower()
    at = sent.find(name.lower())
    if at < 0:
        return False
    end = at + len(name)
    return bool(
        _SUCCESSOR_BEFORE.search(_ROUND.sub(" ", sent[max(0, at - 30) : at]))
        or _SUCCESSOR_IN.search(_ROUND.sub(" ", sent[end : end + 25]))
    )


_RUN_BY = re.compile(
    r"\b(?:run|operated|managed|organi[sz]ed|dikendalikan|diuruskan|dianjurkan|anjuran)"
    r"(?:\s+(?:by|oleh))?\s+(?:the\s+)?(?:[a-z]+\s+){0,3}?((?:[A-Z][\w&'’-]*|\((?:[A-Z][\w-]*)\))"
    r"(?:\s+(?:[A-Z][\w&'’-]*|\((?:[A-Z][\w-]*)\)|of|for|dan|and))*)"
)


@cache
def _operator(sentence: str) -> str | None:
    """Who runs the output, when its sentence says ("run by the business chamber X",
    "dikendalikan Pejabat AI Negara"): "naio", another body's name, or None."""
    m = _RUN_BY.search(sentence)
    if m is None:
        return None
    who = m.group(1).strip().lower()
    if any(n in who for n in _NAIO_LOWER):
        return "naio"
    words = [w for w in _LOWER_WORD.findall(who) if w not in {"of", "for", "dan", "and"}]
    return " ".join(words[:4]) or None


#: Where sentences break: the white space after a full stop, "!" or "?", or a run of
#: newlines. The stop is matched, not looked behind for, so the engine can jump
#: from one candidate character to the next; only group 1 or group 2 is the gap.
_SENTENCE_GAP = re.compile(r"[.!?](\s+)|(\n+)")


def _sentences(text: str) -> list[tuple[int, str]]:
    """The non-blank sentences of a text, each with where it starts."""
    out = []
    pos = 0
    for m in _SENTENCE_GAP.finditer(text):
        gap = 1 if m.group(1) is not None else 2
        part = text[pos : m.start(gap)]
        if part.strip():
            out.append((pos, part))
        pos = m.end(gap)
    part = text[pos:]
    if part.strip():
        out.append((pos, part))
    return out


_MONTH_DAY = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "januari",
        "februari",
        "mac",
        "mei",
        "julai",
        "ogos",
        "oktober",
        "disember",
        "isnin",
        "selasa",
        "rabu",
        "khamis",
        "jumaat",
        "sabtu",
        "ahad",
        "today",
        "yesterday",
        "semalam",
    ]
)
_CONNECT = frozenset({"of", "for", "on", "and", "&", "untuk", "bagi", "dan", "in", "di", "-"})
_LEAD_DROP = frozenset(
    {"the", "a", "an", "its", "new", "malaysia's", "opinion", "published", "under", "kerajaan"}
    # a headline's event before a Malay name: "Permohonan Kotak Pasir AI ... dibuka",
    # "Pembukaan Pusingan Kedua Geran ...", "Pelancaran Program ..."
    | {"permohonan", "pembukaan", "pelancaran", "penutupan", "pendaftaran", "penganjuran"}
)
#: "Pusingan Kedua", "Second Round", "Kohort 2": a round, cohort or intake of an output is
#: that output (a call for its second intake is no successor; a phase is another output).
_ROUND = re.compile(
    r"\b(?:(?:pusingan|kohort|ambilan|sesi|siri|panggilan|round|cohort|intake|call)\s+"
    r"(?:ke-?)?(?:kedua|ketiga|keempat|[2-9]|two|three|four)"
    r"|(?:second|third|fourth|2nd|3rd|4th|next)\s+(?:round|cohort|intake|call))\b"
    r"(?:\s+(?:of\s+(?:the\s+)?|for\s+(?:the\s+)?|bagi\s+|untuk\s+))?",
    re.IGNORECASE,
)
#: A sum of money ends a name ("Geran Impak Sosial AI RM15 juta").
_MONEY = re.compile(r"^(?:RM|USD|US\$|S\$)\d", re.IGNORECASE)


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or bool(_YEAR.match(tok))


def _drop_naio_prefix(run: list[str]) -> list[str]:
    low = [w.lower() for w in run]
    for prefix in _NAIO_PREFIXES:
        if tuple(low[: len(prefix)]) == prefix:
            return run[len(prefix) :]
    return run


def _head_at(words: Sequence[str], i: int, heads: frozenset[str]) -> int:
    """Length (1 or 2) of the head phrase starting at ``words[i]``, or 0."""
    if i + 1 < len(words) and f"{words[i]} {words[i + 1]}".lower() in heads:
        return 2
    return 1 if words[i].lower() in heads else 0


#: Two capitalised words (or numbers) in a row, perhaps with a connector between
#: ("Action Plan", "Ministry of Digital", "R&D", "2026-30 Plan", "Guidelines for the
#: Public Service"): a sentence without one holds no name. Looser than the run rule
#: below on purpose (any non-ASCII letter and any number count, more separators), so
#: the check drops no sentence the full reading would name something in; it is only a
#: fast no.
_CAP_PAIR = re.compile(
    r"(?<!\w)[^\W_a-z][\w'’]*+(?:-\w+)*+"
    r"[\s\-–—/]*"
    r"(?:(?:(?i:of|for(?:\s+the)?|on|and|untuk|bagi|dan|in|di)|&)[\s\-–—/]*)?"
    r"[^\W_a-z]"
)


#: "Phase 2": a number that continues a capitalised name.
_PHASE_ALONE = re.compile(_PHASE_WORD)
_PHASE_NUMBER_AFTER = re.compile(rf"{_PHASE_WORD} (?:ke-?)?(?:{_PHASE_NUMBER}|{_PHASE_ORDINAL})")


def _for_the_tail(
    toks: Sequence[str], joined: Sequence[bool], i: int, j: int, heads: frozenset[str]
) -> bool:
    """The run ``toks[i:j+1]`` names an output (it holds a head noun) and goes on with
    "for the" and a capitalised word: "Generative AI Guidelines for the Public Service".
    English puts an article where Malay puts none ("Garis Panduan AI Generatif untuk
    Perkhidmatan Awam" is read whole), so both languages' names keep whom it is for."""
    return (
        j + 3 < len(toks)
        and toks[j + 1].lower() == "for"
        and toks[j + 2].lower() == "the"
        and joined[j + 1]
        and joined[j + 2]
        and _is_cap(toks[j + 3])
        and not _YEAR.match(toks[j + 3])
        and toks[j + 3].lower() not in _MONTH_DAY
        and any(_head_at(toks, k, heads) for k in range(i, j + 1))
    )


def _capitalised_names(sentence: str) -> list[str]:
    """Capitalised phrases holding a head noun: "AI Technology Action Plan 2026-2030".

    A run never crosses punctuation, so a dateline ("KOTA BHARU: Perintis ...")
    stays out of the name.
    """
    if _CAP_PAIR.search(sentence) is None:
        return []
    t = _terms()
    if t.head_starts.isdisjoint(_LOWER_WORD.findall(sentence.lower())):
        return []
    heads = t.heads_en | t.heads_ms
    text = _normalise_years(sentence)
    matches = list(_WORD.finditer(text))
    toks = [m.group(0) for m in matches]
    joined = [
        not text[matches[k].end() : matches[k + 1].start()].strip(" -–")
        for k in range(len(matches) - 1)
    ]
    names: list[str] = []
    i = 0
    while i < len(toks):
        if not _is_cap(toks[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(toks) and joined[j]:
            if (
                _is_cap(toks[j + 1])
                or _PHASE_NUMBER_AFTER.fullmatch(f"{toks[j]} {toks[j + 1]}".lower()) is not None
                or (
                    toks[j + 1].lower() in _CONNECT
                    and j + 2 < len(toks)
                    and joined[j + 1]
                    and _is_cap(toks[j + 2])
                )
            ):
                j += 1
            elif _for_the_tail(toks, joined, i, j, heads):
                j += 2  # to "the"; the capitalised words after it continue the run
            else:
                break
        first, last = i, j + 1  # the run is toks[first:last]
        i = j + 1
        # drop leading NAIO names and filler, trailing dates and connectors
        while first < last:
            run = toks[first:last]
            shorter = _drop_naio_prefix(run)
            if shorter is run and run[0].lower() in _LEAD_DROP:
                shorter = run[1:]
            if shorter is run and len(run) > 2 and _ROUND.fullmatch(f"{run[0]} {run[1]}"):
                shorter = run[2:]
            if shorter is run:
                break
            first += len(run) - len(shorter)
        cut = next(
            (
                k
                for k in range(first + 1, last)
                if toks[k].lower() in _MONTH_DAY or _MONEY.match(toks[k])
            ),
            None,
        )
        if cut is not None:
            last = cut
        while last > first and toks[last - 1].lower() in _CONNECT:
            last -= 1
        if last - first > 2 and _PHASE_ALONE.fullmatch(toks[last - 1].lower()):
            last -= 1  # "... Blueprint Phase" without its number: the phase is unknown
        run = toks[first:last]
        if not 2 <= len(run) <= _MAX_NAME_WORDS:
            continue
        if not any(_head_at(run, k, heads) for k in range(len(run))) and not (
            _APPOSITIVE_NAMES
            and _appositive().match(text, matches[last - 1].end())
            and " ".join(run).lower() not in t.agency_of  # "Khazanah Nasional, the fund"
        ):
            continue
        if all(w.lower() in _NAIO_WORDS | {"ai", "national", "office"} for w in run):
            continue
        name = text[matches[first].start() : matches[last - 1].end()]
        if name.lower() in t.not_names or _is_place(name.lower(), t.places):
            continue
        if _PERSON_TITLES and (post := t.person_title.match(name.lower())):
            # "Pengarah Dasar Pejabat AI Negara", "Director of Policy": a post, not an
            # output; "Head of the AI Safety Unit" names the unit after "of (the)"
            rest = re.match(r"\s+of\s+(?:the\s+)?(.+)", name[post.end() :])
            names.extend(_capitalised_names(rest.group(1)) if rest else ())
            continue
        names.append(name)
    return names


#: A name with no head noun that the words after it say what it is: "the AI Talent
#: Bridge, a programme run with three universities", "Jambatan Bakat, sebuah program".
_APPOSITIVE_NAMES: Final = True


@cache
def _appositive() -> re.Pattern[str]:
    """ ", a programme", ", the national upskilling scheme", ", sebuah program": a
    description in apposition, headed by an output's head noun (``[heads]``)."""
    t = _terms()

    def alternation(heads: Iterable[str]) -> str:
        return "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))

    return re.compile(
        r"\s*,\s+(?:"
        rf"(?:a|an|the|its|our|their)\s+(?:[\w'’-]+\s+){{0,3}}?(?:{alternation(t.heads_en)})"
        # an English head ends its description: "a programme run with ...", not "a
        # platform company" (a Malay head comes first: "sebuah program latihan")
        r"(?=\s*(?:[,.;:()]|$)|\s+(?:run|that|which|for|to|with|of|led|set|aimed|launched"
        r"|designed|meant|under|by|in|on|from)\b)"
        # (and a Malay one a word that makes it a description: not "Kuala Lumpur, pusat")
        rf"|(?:iaitu\s+|sebuah\s+|satu\s+)+(?:{alternation(t.heads_ms)})(?![\w-])"
        r")",
        re.IGNORECASE,
    )


def _is_place(low: str, places: Sequence[str]) -> bool:
    """A capitalised phrase names a place ("Klinik Kesihatan Pitas", "Greentown Health
    Clinic"), not an output: a place head begins it (Malay) or ends it (English)."""
    return any(low.startswith(p + " ") or low.endswith(" " + p) or low == p for p in places)


def _gap_ok(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Two words belong to one phrase: only spaces or a hyphen between them, or a
    comma inside a number ("2,000")."""
    gap = text[left.end() : right.start()]
    if not gap.strip(" -–"):
        return True
    return gap == "," and left.group(0)[-1:].isdigit() and right.group(0)[:1].isdigit()


#: "a six-month pilot", "a 12-week course": how long, not which one.
_DURATION = re.compile(
    r"^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"eighteen|twenty|thirty)-(?:day|week|month|year)s?$"
)

_EN_STOP_BEFORE = frozenset(
    {"a", "an", "the", "its", "their", "his", "her", "to", "of", "that", "this", "will", "and"}
    # auxiliaries and modals end the subject: "18 can register" names no register
    | {"can", "could", "may", "might", "must", "shall", "should", "would", "has", "have"}
    | {"had", "is", "are", "was", "were", "be", "been", "did", "does", "do"}
    # a question ends before its subject: "What 67 impact assessments tell us ..."
    | {"what", "how", "why", "who", "whom", "whose", "when", "where", "which"}
)
_MS_STOP_AFTER = frozenset(
    [
        "yang",
        "pada",
        "menjelang",
        "sebelum",
        "selepas",
        "hujung",
        "awal",
        "akhir",
        "tahun",
        "bulan",
        "ini",
        "itu",
        "dan",
        "atau",
        "bagi",
        "dengan",
        "oleh",
        "kerana",
        "supaya",
        "agar",
        "sebagai",
        "di",
        "ke",
        "dari",
        "daripada",
        "dalam",
        "tidak",
        "akan",
        "sedang",
        "telah",
        "masih",
        "selama",  # "perintis selama empat bulan": for how long, not which one
        # auxiliaries and modals begin the predicate: "panel dapat ...", "platform
        # wajib memaklumkan ..." end the name before them
        "dapat",
        "boleh",
        "mesti",
        "wajib",
        "perlu",
        "harus",
        "mahu",
        "ingin",
        "hendak",
        "sudah",
        "belum",
        "pernah",
        "bakal",
        "turut",
        "kini",
        # pronouns and colloquial demonstratives: "panel kami serahkan ...", "portal tu"
        "kami",
        "kita",
        "saya",
        "aku",
        "mereka",
        "dia",
        "beliau",
        "anda",
        "korang",
        "tu",
        "ni",
        # prepositions: "program perantisan AI bersama 25 syarikat" ends before "bersama"
        "bersama",
        "melalui",
        "kepada",
        "terhadap",
        "sejak",
        "sehingga",
        "hingga",
        # what the output is about or whom it concerns begins after it: "aplikasi
        # mengenai mekanisme pelaporan" names an app, not a mechanism
        "mengenai",
        "tentang",
        "berkenaan",
        "iaitu",
        "seperti",
        "termasuk",
        "apabila",
        "jika",
        "namun",
        "tetapi",
    ]
)


#: A Malay verb in its active or passive form with a verb suffix ("menurunkannya",
#: "membantu", "dilaksanakan"): the predicate has begun, the name has ended. Not "ber-"
#: words, which often belong to a name ("berbantukan AI", "berasaskan AI").
_MS_VERB = re.compile(r"(?:mem|men|meng|meny|di)[a-z]{3,}(?:kan|kannya|nya|i)")
#: Nouns of that shape, and the beginnings of more ("digitalisasi").
_MS_VERB_LOOKALIKES: Final = ("menteri", "memori", "mentari", "digital")
_MS_VERBS_END_NAMES: Final = True


def _is_malay_verb(word: str) -> bool:
    return not word.startswith(_MS_VERB_LOOKALIKES) and _MS_VERB.fullmatch(word) is not None


#: Words an English name never reaches back over: prepositions ("clash over the draft
#: code") and Malay function words in a code-mixed post ("yang tanya pasal scheme").
_STOP_BACK: Final = (
    frozenset(
        {"over", "about", "with", "from", "by", "in", "at", "on", "into", "under", "against"}
        | {"after", "before", "than", "as", "pasal", "tentang", "mengenai", "juga"}
        # what a name is for follows it, never precedes it: "applications for AI
        # sandbox", "ringkasan untuk incident reporting protocol"
        | {"for", "untuk", "bagi"}
    )
    | _MS_STOP_AFTER
)


#: A headline's verb in the present tense ends the subject before an output's name:
#: "Ministry of Finance issue guidelines for ..." names "guidelines for ...".
_HEADLINE_VERBS: Final = frozenset(
    {"issue", "issues", "launch", "launches", "release", "releases", "publish", "publishes"}
    | {"unveil", "unveils", "introduce", "introduces", "sign", "signs", "begin", "begins"}
    | {"announce", "announces", "propose", "proposes", "plans", "wants", "seeks", "gets"}
    | {"opens", "starts", "rolls", "names", "picks", "drafts", "expands", "extends"}
)


#: Possessives that name a degree, not an owner: part of the output's name.
_DEGREES: Final = frozenset({"master's", "master’s", "bachelor's", "bachelor’s"})


def _lowercase_names(
    sentence: str,
    language: str | None,
    heads: tuple[frozenset[str], frozenset[str]] | None = None,
    longest: int = 4,
) -> list[str]:
    """Head-noun phrases in lower case, for intentions: "kerangka etika AI", "an AI ethics
    framework". Malay modifiers follow the head (at most ``longest``), English ones precede
    it. ``heads`` (English, Malay) replaces the output heads of ``ledger_terms.toml``."""
    t = _terms()
    heads_en, heads_ms = heads if heads is not None else (t.heads_en, t.heads_ms)
    starts = t.head_starts if heads is None else {h.split()[0] for h in heads_en | heads_ms}
    if starts.isdisjoint(_LOWER_WORD.findall(sentence.lower())):
        return []
    text = _normalise_years(sentence)
    matches = list(_WORD.finditer(text))
    toks = [m.group(0) for m in matches]
    low = [w.lower() for w in toks]
    names = []

    def malay(i: int, n_ms: int) -> str | None:
        j = i + n_ms
        while (
            j < len(toks)
            and j - i < n_ms + longest
            and _gap_ok(text, matches[j - 1], matches[j])
            and low[j] not in _MS_STOP_AFTER
            and low[j] not in t.cue_words
            and low[j] not in _MONTH_DAY
            # a verb ends it, unless it says what the output is for ("untuk menilai")
            and not (
                _MS_VERBS_END_NAMES
                and _is_malay_verb(low[j])
                and low[j - 1] not in ("untuk", "bagi")
            )
        ):
            j += 1
        while j > i + n_ms and low[j - 1] in _CONNECT:  # "... khusus untuk" ends early
            j -= 1
        return text[matches[i].start() : matches[j - 1].end()] if j > i + n_ms else None

    def english(i: int, n_en: int) -> str | None:
        k = i
        while (
            k > 0
            and i - k < 4
            and _gap_ok(text, matches[k - 1], matches[k])
            and low[k - 1] not in _EN_STOP_BEFORE
            and low[k - 1] not in _STOP_BACK
            # an owner ("the office's code"), not a degree ("master's scholarship")
            and (not low[k - 1].endswith(("'s", "’s")) or low[k - 1] in _DEGREES)
            and low[k - 1] not in t.cue_words
            and low[k - 1] not in {"naio", "naio's"}
            and low[k - 1] not in _HEADLINE_VERBS
            and not _DURATION.match(low[k - 1])
        ):
            k -= 1
        end = i + n_en  # "guidelines on generative AI for civil servants"
        if (
            end < len(toks)
            and low[end] in ("on", "for", "of")
            and low[end] != low[k - 1]
            and _gap_ok(text, matches[end - 1], matches[end])  # not "centre: for ..."
        ):
            j = end + 1
            while (
                j < len(toks)
                and j - end <= 5
                and _gap_ok(text, matches[j - 1], matches[j])
                and low[j] not in t.cue_words
                and low[j] not in _MS_STOP_AFTER
                and low[j] not in _EN_STOP_BEFORE - {"of"}
                and low[j] not in {"being", "is", "are", "was", "were", "by", "said", "says"}
            ):
                j += 1
            if j > end + 1:
                end = j
        if k < i or end > i + n_en:
            return text[matches[k].start() : matches[end - 1].end()]
        return None

    for i in range(len(toks)):
        n_ms = _head_at(low, i, heads_ms)
        n_en = _head_at(low, i, heads_en)
        name: str | None = None
        if n_ms and n_en and language == "mixed" and _MIXED_BOTH_WAYS:
            # a code-mixed post puts a head shared by both languages either way ("tamat
            # program celik AI untuk belia"): the longer reading wins
            readings = [x for x in (malay(i, n_ms), english(i, n_en)) if x]
            name = max(readings, key=lambda x: len(x.split())) if readings else None
        elif n_ms and (language == "ms" or not n_en):
            name = malay(i, n_ms)
        elif n_en:
            name = english(i, n_en)
            if name is None and language == "mixed" and _MIXED_BOTH_WAYS:
                # an English head in Malay word order: "benchmark LLM BM yang ..."
                name = malay(i, n_en)
        if name is not None and not _is_place(name.lower(), t.places):
            names.append(name)
    return names


def _bare_heads(sentence: str) -> list[str]:
    """The head noun alone ("the guidelines", "daftar itu"), for an intention that names
    its output only by what it is: its context words decide what it links to."""
    t = _terms()
    low = [w.lower() for w in _WORD.findall(_normalise_years(sentence))]
    if t.head_starts.isdisjoint(low):
        return []
    names = []
    for i in range(len(low)):
        n = _head_at(low, i, t.heads_en) or _head_at(low, i, t.heads_ms)
        if n and not _place_at(low, i, t.places):
            names.append(" ".join(low[i : i + n]))
    return names


def _place_at(words: Sequence[str], i: int, places: Sequence[str]) -> bool:
    """The head at ``words[i]`` is that of a place phrase: a Malay place begins with it
    ("klinik kesihatan di Perak"), an English one ends with it ("five health clinics")."""
    for place in places:
        p = place.split()
        if words[i : i + len(p)] == p or (i + 1 >= len(p) and words[i + 1 - len(p) : i + 1] == p):
            return True
    return False


@lru_cache(maxsize=1 << 14)
def _clean_slot_name(name: str) -> str | None:
    """The classifier's name, without a trailing date or weekday ("… on Tuesday")."""
    found = _capitalised_names(name)
    return max(found, key=len) if found else None


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True, slots=True)
class Report:
    """What one document says about one output: its name as written, the stage, the date."""

    article_id: str
    name: str
    stage: Stage
    date: date | None
    status: str
    artifact_type: str | None = None
    domains: tuple[str, ...] = ()
    naio_role: str = "absent"
    partners: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    language: str | None = None
    title: str = ""
    url: str | None = None
    source: str | None = None
    sentence: str = ""
    linkable: bool = True
    #: Other names the document gives; the one that links best becomes ``name``.
    alternatives: tuple[str, ...] = ()
    #: "cue" when the report's own words set the stage; "default" when an artifact
    #: showed no cue (then "launched", or "operational" months after a launch).
    stage_basis: str = "cue"
    #: Content words of the title, lead and naming sentence, Malay in English (sorted):
    #: what the pairwise scorer compares besides the names.
    context: tuple[str, ...] = ()
    #: The stages whose cue words the report's title and lead hold.
    cues: tuple[str, ...] = ()
    #: A symbolic document's mention of an output: it joins an existing entry or
    #: stays out of the ledger, never opening an entry.
    joins_only: bool = False
    #: What a report that names no output (``linkable`` False, ``name`` its title) is
    #: about, when a descriptive head says ("seven working groups"): the entry's name
    #: when no report of it names the output. Never linked on.
    label: str = ""
    #: Acronyms and brands the report's title and naming sentence mention, and those
    #: its text gives its output's name (:func:`_brands`) ...
    brands: tuple[str, ...] = ()
    #: ... and those alone: what other reports may link to this one's entry by.
    defined_brands: tuple[str, ...] = ()
    #: A hash of the document's text (whitespace folded): a copy of a report already
    #: linked (the same wire story under another id, title or date) joins its entry.
    fingerprint: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the date as ISO)."""
        return {
            "article_id": self.article_id,
            "name": self.name,
            "stage": self.stage,
            "date": None if self.date is None else self.date.isoformat(),
            "status": self.status,
            "artifact_type": self.artifact_type,
            "domains": list(self.domains),
            "naio_role": self.naio_role,
            "partners": list(self.partners),
            "agencies": list(self.agencies),
            "language": self.language,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "sentence": self.sentence,
            "linkable": self.linkable,
            "alternatives": list(self.alternatives),
            "stage_basis": self.stage_basis,
            "context": list(self.context),
            "cues": list(self.cues),
            "joins_only": self.joins_only,
            "label": self.label,
            "brands": list(self.brands),
            "defined_brands": list(self.defined_brands),
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, where: str = "ledger") -> Report:
        """Inverse of :meth:`to_dict`; a bad field raises :class:`InputError` naming it."""
        try:
            stage = d["stage"]
            if stage not in _STAGE_RANK:
                raise ValueError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
            raw_date = d.get("date")
            return cls(
                article_id=str(d["article_id"]),
                name=str(d["name"]),
                stage=stage,
                date=None if raw_date is None else date.fromisoformat(raw_date),
                status=str(d.get("status", "artifact")),
                artifact_type=d.get("artifact_type"),
                domains=tuple(d.get("domains", ())),
                naio_role=str(d.get("naio_role", "absent")),
                partners=tuple(d.get("partners", ())),
                agencies=tuple(d.get("agencies", ())),
                language=d.get("language"),
                title=str(d.get("title", "")),
                url=d.get("url"),
                source=d.get("source"),
                sentence=str(d.get("sentence", "")),
                linkable=bool(d.get("linkable", True)),
                alternatives=tuple(d.get("alternatives", ())),
                stage_basis=str(d.get("stage_basis", "cue")),
                context=tuple(str(w) for w in d.get("context", ())),
                cues=tuple(str(c) for c in d.get("cues", ())),
                joins_only=bool(d.get("joins_only", False)),
                label=str(d.get("label", "")),
                brands=tuple(str(b) for b in d.get("brands", ())),
                defined_brands=tuple(str(b) for b in d.get("defined_brands", ())),
                fingerprint=str(d.get("fingerprint", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(where, f"bad ledger report {d.get('article_id')!r}: {exc}") from exc


def _doc_date(article: Article, slot_date: str | None) -> date | None:
    if article.published is not None:
        return article.published
    if article.fetched_at is not None:
        return article.fetched_at.date()
    return parse_date(slot_date) if slot_date else None


def _stage_hits(text: str, stage: str) -> int:
    return len(_terms().stage_res[stage].findall(text.lower()))


def read_report(article: Article, prediction: Prediction) -> Report | None:
    """The ledger's reading of one classified document, or None when it names no output.

    Artifacts always enter (a nameless one named by its title, which links to
    other reports only by its title and lead, never by that name); symbolic
    documents enter when a sentence naming an output (even only by its head noun,
    "the guidelines") states an intention, or, as a report that only joins an
    existing entry (``joins_only``), when they name an output with a capitalised
    name, or, nearly called artifacts (:data:`_NEAR_ARTIFACT`), by any name or their
    title and lead; unrelated documents never do.
    """
    if prediction.status == "unrelated":
        return None
    text = article.text
    sents = _sentences(text)
    lead = [s for _, s in sents[:3]]
    status_sents = [
        s.text for s in prediction.evidence.sentences if s.supports.startswith("status")
    ]
    lang = article.language
    if lang is None:  # input without a language field: the reports still say which
        from .language import detect_language

        lang = detect_language(f"{article.title}\n{text}")
        article = replace(article, language=lang)
    if prediction.status == "symbolic":
        announce = _terms().stage_res["announced"]
        stated = [x for x in [article.title, *(s for _, s in sents)] if announce.search(x.lower())]
        # the first capitalised name in a sentence that states an intention (the
        # title first), else the first lower-case one; no alternatives: an
        # announcement is usually of something new, and its other names are context
        finders: list[Callable[[str], list[str]]] = [
            _capitalised_names,
            lambda x: _lowercase_names(x, lang),
        ]
        if _BARE_HEADS:
            finders.append(_bare_heads)
        for n_finder, finder in enumerate(finders):
            for sentence in stated:
                names = finder(sentence)
                if names:
                    name = names[0]
                    if n_finder and _ANAPHORA:
                        # "the panel", "panel itu": the output the title or lead names
                        # with that head ("Panel Penasihat Belia AI")
                        name, sentence = _antecedent(name, sentence, [article.title, *lead])
                    return _report(
                        article,
                        prediction,
                        name,
                        "announced",
                        sentence,
                        lead=lead[:2],
                        cues=("announced",),
                    )
        if not _JOIN_MENTIONS:
            return None
        # no intention: a mention of an output (an op-ed on a running sandbox) that
        # may join its entry; only a capitalised name counts, never the title, unless
        # the classifier nearly called it an artifact: then it reads as one does (any
        # name, else its title and lead), still only to join
        near = prediction.status_probs.get("artifact", 0.0) >= _NEAR_ARTIFACT
        return _output_report(
            article, prediction, sents, lead, status_sents, lang, joins_only=True, near=near
        )
    return _output_report(article, prediction, sents, lead, status_sents, lang)


#: A head named without its name takes the capitalised name of its title or lead.
_ANAPHORA: Final = True


def _antecedent(name: str, sentence: str, earlier: Sequence[str]) -> tuple[str, str]:
    """The capitalised name in ``earlier`` (title and lead) with the head of ``name``, a
    lower-case or bare reading ("panel bersetuju", "the guidelines"), and its sentence;
    else ``name`` and ``sentence`` unchanged."""
    head = _key(name).head
    if head is None or _is_successor(name, sentence):  # "a new panel" is not that one
        return name, sentence
    for where in earlier:
        for cap in _capitalised_names(where):
            if _key(cap).head == head:
                return cap, where
    return name, sentence


def _output_report(
    article: Article,
    prediction: Prediction,
    sents: Sequence[tuple[int, str]],
    lead: Sequence[str],
    status_sents: Sequence[str],
    lang: str | None,
    *,
    joins_only: bool = False,
    near: bool = False,
) -> Report | None:
    """The report of a document that tells of an output: an artifact, or (with
    ``joins_only``) a symbolic document naming one, which needs a capitalised name
    unless it is ``near`` an artifact."""
    slots = prediction.evidence.artifact
    # the classifier's name, then the named outputs of title, lead and the rest
    found: list[tuple[str, str]] = []
    preferred = None
    if slots is not None and slots.name and (cleaned := _clean_slot_name(slots.name)):
        preferred = cleaned
        found.append((cleaned, next((s for _, s in sents if cleaned in s), "")))
    read: dict[str, list[str]] = {}  # the lead's sentences are often status sentences too
    for sentence in [article.title, *lead, *status_sents, *(s for _, s in sents[3:])]:
        if (names := read.get(sentence)) is None:
            names = read[sentence] = _capitalised_names(sentence)
        found.extend((n, sentence) for n in names)
    if preferred is not None:
        whole = _uncut(preferred, [n for n, _ in found], f"{article.title}\n{article.text}")
        if whole != preferred:
            preferred = whole
            found[0] = (whole, next(w for n, w in found if n == whole))
    if joins_only and not near and not found and _LOWER_MENTIONS:
        # "the Malay legal corpus", "perintis AI akaun keldai": a lower-case name that
        # says which output (a distinctive word) may join it, never open one
        for sentence in [article.title, *lead]:
            found.extend(
                (n, sentence) for n in _lowercase_names(sentence, lang) if _key(n).distinctive
            )
    if joins_only and not near and not found and _BRAND_MENTIONS:
        # a post that names its output by a brand alone ("ANJAK dah masuk kohort
        # kedua"): the brand may join the entry whose reports give it, never open one
        for sentence in [article.title, *lead]:
            found.extend(
                (b, sentence)
                for b in _brand_tokens(sentence, article.source, title=sentence == article.title)
            )
            if found:
                break
    if joins_only and not near and not found:
        return None
    if not found:  # "launches a 2,000-place AI upskilling pilot"
        for sentence in [article.title, *lead[:1]]:
            found.extend((n, sentence) for n in _lowercase_names(sentence, lang))
    if not found and not joins_only and _NAIO_SENTENCE_NAMES:
        # a long piece on something else: the output is named where NAIO acts on it
        # ("the agritech sandbox, which the National AI Office opened last May")
        for _, sentence in sents[1:]:
            low = sentence.lower()
            if any(n in low for n in _NAIO_MENTIONS):
                found.extend(
                    (n, sentence) for n in _lowercase_names(sentence, lang) if _key(n).distinctive
                )
            if found:
                break
    linkable = bool(found)
    label = ""
    if found:
        # names are counted with their year ranges written one way ("2026-2028")
        haystack = _normalise_years(f"{article.title}\n{article.text}").lower()
        names, where = _rank_names(found, article, preferred=preferred, haystack=haystack)
        name = names[0]
        if _LEAD_DESCRIPTION_FIRST and not joins_only:
            names, where = _lead_description_first(names, where, article, lead, lang, haystack)
            name = names[0]
        if _TITLE_BRAND_NAMES and _BRANDS:
            names, where = _title_brand_first(names, where, article, sents)
            name = names[0]
    else:
        name = article.title.strip() or article.id
        where = status_sents[0] if status_sents else ""
        names = [name]
        label = _label([article.title, *lead[:1]], lang)
        if not label and not article.title.strip() and lead:
            # an untitled post names its entry by its opening words, not by its id
            words = lead[0].split()
            label = " ".join(words[:_MAX_NAME_WORDS]) + (
                "…" if len(words) > _MAX_NAME_WORDS else ""
            )
    naming = [s for _, s in sents if linkable and name in s]
    focus = " \n ".join([article.title, *lead, *naming[:3], *status_sents[:2]])
    head = " \n ".join([article.title, *lead[:2]])
    cues = tuple(s for s in STAGES if _stage_hits(focus if s == "operational" else head, s))
    stage: Stage = "launched"
    basis = "default"
    if _PAST_LAUNCH and _launched_before(" \n ".join([head, *naming[:3]]).lower()):
        # "convened by the National AI Office last October, this week released ..."
        stage, basis = "operational", "past_launch"
    elif "operational" in cues:
        stage, basis = "operational", "cue"
    elif "launched" in cues:
        basis = "cue"
    elif "announced" in cues and _DRAFTING:
        # "being drafted", "sedang dirangka": an artifact story about work not yet out
        stage, basis = "announced", "cue"
    return _report(
        article,
        prediction,
        name,
        stage,
        where,
        linkable=linkable,
        alternatives=tuple(names[1:]),
        stage_basis=basis,
        lead=lead[:2],
        cues=cues,
        joins_only=joins_only,
        label=label,
    )


#: A launch told as past in the title, lead or naming sentences ("set up in August")
#: makes the report one of operation (``[past_launch]``).
_PAST_LAUNCH: Final = True
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|would|to|be|expected|due|set|not|never|yet|hopes?|plans?|akan|bakal|dijangka|"
    r"dijadual|dijadualkan|dirancang|belum|tidak|bakal|sedang)\s+(?:(?:be|lagi|\w+ly)\s+)*$"
)
#: "The National AI Office, set up in December 2024, today launched ...": NAIO's own
#: founding is no launch of the output.
_NAIO_FOUNDED = re.compile(r"(?:office|naio|pejabat ai negara|pejabat ai)\W{0,3}(?:yang\s+)?$")


def _launched_before(text: str) -> bool:
    """True when the text tells a launch as past (``[past_launch]``), not a future one
    ("will be officially launched in March", "dijadualkan dilancarkan pada Jun"), not
    a negated one ("was not launched last year"), and not NAIO's own founding."""
    for m in _terms().past_launch.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if _FUTURE_BEFORE.search(before) or _NAIO_FOUNDED.search(before):
            continue
        return True
    return False


#: The classifier's name met once, outside the title, yields to a name in the title.
_PASSING_SLOT_LAST: Final = True
#: A brand in the title that the text gives a name ("PEMAI kohort kedua bermula";
#: "Program Pemangkin AI Penjawat Awam (PEMAI)") makes that name the report's.
_TITLE_BRAND_NAMES: Final = True


def _title_brand_first(
    names: list[str], where: str, article: Article, sents: Sequence[tuple[int, str]]
) -> tuple[list[str], str]:
    """The name the title's brand stands for first: a story titled by a brand is
    about the output the brand names, whatever other names its text holds."""
    in_title = set(_brand_tokens(article.title, article.source, title=True))
    if not in_title:
        return names, where
    for brand, named in _defined_brands(article.text):
        if brand not in in_title:
            continue
        k = _key(named)
        same = next((n for n in names if n == named or _key(n) == k), None)
        if same is not None:
            rest = [n for n in names if n != same]
            sentence = (
                where if same == names[0] else next((x for _, x in sents if same in x), where)
            )
            return [same, *rest], sentence
        sentence = next((x for _, x in sents if brand in x), where)
        return [named, *names], sentence
    return names, where


#: An output the lead describes comes before a name met once, further down.
_LEAD_DESCRIPTION_FIRST: Final = True


def _lead_description_first(
    names: list[str],
    where: str,
    article: Article,
    lead: Sequence[str],
    lang: str | None,
    haystack: str,
) -> tuple[list[str], str]:
    """A story whose lead describes its output in lower case ("the summary of this
    year's national AI red-teaming exercise") and names another output once, further
    down ("... bought through the Government AI Vendor Panel"), is about the first:
    the lead's description comes first, the name becomes an alternative."""
    first = names[0]
    top = _normalise_years(" ".join([article.title, *lead[:2]])).lower()
    if first.lower() in top or haystack.count(first.lower()) > 1:
        return names, where
    for sentence in [article.title, *lead[:2]]:
        for low in _lowercase_names(sentence, lang):
            if (k := _key(low)).distinctive and k.head is not None:
                return [low, *names][:_MAX_ALTERNATIVES], sentence
    return names, where


#: A capitalised name running on past the output's name into a place ("... Academy in
#: Penang", "... di Pulau Pinang") says where it is, not which output.
_PLACE_WORDS: Final = frozenset({"in", "at", "di", "dekat"})


def _uncut(name: str, names: Sequence[str], haystack: str) -> str:
    """The classifier's ``name``, or the longer capitalised name of the document it was
    cut from ("AI Sandbox" of "EdTech AI Sandbox") when every time the document writes
    it, it writes it inside such a name: the words before it say which output it is, and
    without them two sandboxes read alike. The longer name written most often wins. Words
    before the name join it only as modifiers do, never over a preposition ("Ucapan
    Menteri di Majlis ..." is a speech at the event, not the event)."""
    longer = {
        n: haystack.count(n)
        for n in dict.fromkeys(names)
        if n != name
        and (
            (n.startswith(name) and n[len(name) :].split()[0].lower() not in _PLACE_WORDS)
            or (n.endswith(name) and _CONNECT.isdisjoint(n[: -len(name)].lower().split()))
        )
    }
    if not longer or haystack.count(name) > sum(longer.values()):
        return name
    return max(longer, key=lambda n: (longer[n], -list(longer).index(n)))


def _label(sentences: Sequence[str], lang: str | None) -> str:
    """What a document that names no output is about, when a descriptive head ("working
    groups", "MoU", "memorandum persefahaman") heads a phrase of its title or lead: the
    phrase ("seven working groups"), for display only; else ""."""
    t = _terms()
    for sentence in sentences:
        for n in _lowercase_names(sentence, lang, (t.labels_en, t.labels_ms), longest=6):
            if 2 <= len(n.split()) <= _MAX_NAME_WORDS:
                return n
    return ""


def _rank_names(
    found: Sequence[tuple[str, str]], article: Article, *, preferred: str | None, haystack: str
) -> tuple[list[str], str]:
    """The names a document gives, the one it is about first, and where that one was read.

    The classifier's name comes first when there is one; otherwise the name
    mentioned most often (a newsletter's masthead is named once, its subject
    several times), the earlier on ties. Alternatives are the other names
    mentioned as often as the first: linking tries them when the first finds
    no entry. ``haystack`` is the title and text in lower case, year ranges
    written as names are ("2026-2028").
    """
    title = _normalise_years(article.title).lower()
    order = list(dict.fromkeys(n for n, _ in found))
    raw = {n: haystack.count(n.lower()) for n in order}
    if (
        _PASSING_SLOT_LAST
        and preferred is not None
        and raw.get(preferred, 0) <= 1
        and preferred.lower() not in title
        and any(n != preferred and n.lower() in title for n in order)
    ):
        # the classifier's name, met once in passing ("reports progress to the National
        # Digital Committee"), yields to a name the title gives
        preferred = None
        order = [n for n in order if n.lower() in title] + [
            n for n in order if n.lower() not in title
        ]
    # a name inside a longer one ("AI Procurement Guidelines" in "... for GLCs") counts
    # only where it stands alone
    counts = {
        n: raw[n] - sum(raw[m] for m in order if len(m) > len(n) and n.lower() in m.lower())
        for n in order
    }
    # "Aplikasi AI" in a title says what kind, not which: on a tie a name with a
    # distinctive word comes first ("Rangka Kerja Pengelasan Aplikasi AI ...")
    ranked = sorted(
        order,
        key=lambda n: (
            n != preferred,
            -counts[n],
            _GENERIC_NAMES_LAST and not _key(n).distinctive,
            order.index(n),
        ),
    )
    first = ranked[0]
    alternatives = [n for n in ranked[1:] if counts[n] >= counts[first]][: _MAX_ALTERNATIVES - 1]
    where = next(w for n, w in found if n == first)
    return [first, *alternatives], where


_PHASE_AFTER = re.compile(
    rf"\s+({_PHASE_WORD}\s+(?:ke-?)?(?:{_PHASE_NUMBER}|{_PHASE_ORDINAL}))\b", re.I
)
_PHASE_BEFORE = re.compile(
    rf"\b({_PHASE_WORD}\s+(?:ke-?)?(?:{_PHASE_NUMBER}|{_PHASE_ORDINAL}))\s+(?:of\s+(?:the\s+)?|bagi\s+)?$",
    re.I,
)


def _with_phase(name: str, sentence: str) -> str:
    """The name with the phase its sentence gives it: "Sovereign AI Blueprint" read from
    "... the Sovereign AI Blueprint Phase 2 (2028-2030)" or "Phase 2 of the Sovereign AI
    Blueprint" is "Sovereign AI Blueprint Phase 2". A name from the classifier's slots or
    a lower-case reading can stop short of the phase, and two phases are two outputs."""
    if not name or _phase(name) is not None:
        return name
    at = sentence.find(name)
    if at < 0:
        return name
    after = _PHASE_AFTER.match(sentence, at + len(name))
    before = None if after else _PHASE_BEFORE.search(sentence[max(0, at - 30) : at])
    found = after or before
    if found is None or _recurring(name):  # an event's editions are rounds of it
        return name
    return f"{name} {found.group(1)}"


def _with_tail(name: str, sentence: str) -> str:
    """The name with the "for the ..." tail its sentence gives it: the classifier's
    "Generative AI Guidelines" read from "... the Generative AI Guidelines for the Public
    Service" is the name the sentence reads whole (:func:`_for_the_tail`)."""
    if not name or f"{name} for the " not in sentence:
        return name
    return next((n for n in _capitalised_names(sentence) if n.startswith(f"{name} for the ")), name)


def _report(
    article: Article,
    prediction: Prediction,
    name: str,
    stage: Stage,
    sentence: str,
    *,
    linkable: bool = True,
    alternatives: tuple[str, ...] = (),
    stage_basis: str = "cue",
    lead: Sequence[str] = (),
    cues: tuple[str, ...] = (),
    joins_only: bool = False,
    label: str = "",
) -> Report:
    slots = prediction.evidence.artifact
    if linkable:
        name = _with_phase(_with_tail(name.strip(), sentence), sentence)
    brands, defined = (
        _brands(name, article.title, sentence, article.text, article.source)
        if _BRANDS
        else ((), ())
    )
    return Report(
        article_id=article.id,
        name=name.strip(),
        stage=stage,
        date=_doc_date(article, slots.date if slots else None),
        status=prediction.status,
        artifact_type=prediction.artifact_type,
        domains=tuple(prediction.domains),
        naio_role=prediction.evidence.naio_role,
        partners=tuple(slots.partners) if slots else (),
        agencies=tuple(slots.agencies) if slots else (),
        language=article.language,
        title=article.title,
        url=article.url,
        source=article.source,
        sentence=" ".join(sentence.split())[:400],
        linkable=linkable,
        alternatives=tuple(a.strip() for a in alternatives if a.strip() != name.strip()),
        stage_basis=stage_basis,
        context=_context_words([article.title, *lead, sentence]),
        cues=cues,
        joins_only=joins_only,
        label="" if linkable else label,
        brands=brands,
        defined_brands=defined,
        fingerprint=content_hash("", article.text)[:16] if article.text.strip() else "",
    )


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True, slots=True)
class StageRecord:
    """One stage of an entry: its first date and the reports that evidence it."""

    stage: Stage
    date: date | None
    article_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "stage": self.stage,
            "date": None if self.date is None else self.date.isoformat(),
            "article_ids": list(self.article_ids),
        }


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One output of NAIO with every report of it, stage by stage."""

    artifact_id: str
    name: str
    aliases: tuple[str, ...]
    artifact_type: str | None
    domains: tuple[str, ...]
    naio_role: str
    partners: tuple[str, ...]
    stages: tuple[StageRecord, ...]
    current_stage: Stage
    article_ids: tuple[str, ...]
    reports: tuple[Report, ...] = field(repr=False)
    flags: tuple[str, ...] = ()
    #: Public bodies other than NAIO its artifact reports name (co-leads, hosts, sponsors):
    #: ``partners`` holds the companies and universities.
    agencies: tuple[str, ...] = ()

    def stage(self, name: Stage) -> StageRecord | None:
        """The record of one stage, or None when no report evidences it."""
        return next((s for s in self.stages if s.stage == name), None)

    @property
    def launched_on(self) -> date | None:
        """When the output was first reported launched or operational (its launch, as known)."""
        dates = [s.date for s in self.stages if s.stage != "announced" and s.date is not None]
        return min(dates) if dates else None

    @property
    def announced_on(self) -> date | None:
        """When the output was first reported as an intention."""
        rec = self.stage("announced")
        return None if rec is None else rec.date

    @property
    def was_launched(self) -> bool:
        """True when a report shows it launched or operating."""
        return any(s.stage != "announced" for s in self.stages)

    def to_dict(self, *, reports: bool = True) -> dict[str, Any]:
        """JSON-ready dict: the documented entry fields, then ``flags`` and ``reports``."""
        d: dict[str, Any] = {
            "artifact_id": self.artifact_id,
            "name": self.name,
            "aliases": list(self.aliases),
            "artifact_type": self.artifact_type,
            "domains": list(self.domains),
            "naio_role": self.naio_role,
            "partners": list(self.partners),
            "agencies": list(self.agencies),
            "stages": [s.to_dict() for s in self.stages],
            "current_stage": self.current_stage,
            "article_ids": list(self.article_ids),
            "flags": list(self.flags),
        }
        if reports:
            d["reports"] = [r.to_dict() for r in self.reports]
        return d


def _by_date(r: Report) -> tuple[bool, date, str]:
    return (r.date is None, r.date or date.max, r.article_id)


def _summarise(artifact_id: str, reports: Sequence[Report]) -> LedgerEntry:
    rs = sorted(reports, key=_by_date)
    linkable = [r for r in rs if r.linkable] or rs
    # the name written most often, a formal one ("Program Celik AI Warga Emas") before
    # a description ("AI office doubles youth panel"), an artifact's before a mention's,
    # English first, then the earliest
    counts = Counter(_key(r.name) for r in linkable)
    best = min(
        range(len(linkable)),
        key=lambda i: (
            -counts[_key(linkable[i].name)],
            not _is_formal(linkable[i].name),
            linkable[i].status != "artifact",
            linkable[i].language != "en",
            i,
        ),
    )
    # an entry no report names takes what its reports say it is ("seven working
    # groups"), when one says, not a headline
    name = linkable[best].name
    if not linkable[best].linkable:
        name = next((r.label for r in linkable if r.label), name)
    aliases: list[str] = []
    seen = {name.lower()}
    for r in rs:
        if r.name.lower() not in seen:
            seen.add(r.name.lower())
            aliases.append(r.name)
    typed = [r.artifact_type for r in rs if r.artifact_type]
    types = Counter(typed)
    artifact_type = None
    if types:
        most = max(types.values())
        artifact_type = next(x for x in typed if types[x] == most)
    doms = Counter(d for r in rs for d in r.domains)
    order = list(DOMAINS)
    domains = tuple(
        sorted(doms, key=lambda d: (-doms[d], order.index(d) if d in order else len(order)))
    )
    roles = {r.naio_role for r in rs}
    naio_role = next((x for x in ("operative", "cited", "absent") if x in roles), "absent")
    partners = tuple(dict.fromkeys(p for r in rs for p in r.partners))
    # an artifact report names who runs the output; a mention's bodies are often others'
    naming = [r for r in rs if r.status == "artifact"] or rs
    one_name = _terms().agency_of
    agencies = tuple(
        dict.fromkeys(
            one_name.get(a.lower(), a) for r in naming for a in r.agencies if a not in partners
        )
    )
    stages = []
    for s in STAGES:
        mine = [r for r in rs if r.stage == s]
        if mine:
            dated = [r.date for r in mine if r.date is not None]
            stages.append(
                StageRecord(s, min(dated) if dated else None, tuple(r.article_id for r in mine))
            )
    current = max((rec.stage for rec in stages), key=_STAGE_RANK.__getitem__)
    flags = []
    launched = next((x for x in stages if x.stage == "launched"), None)
    operational = next((x for x in stages if x.stage == "operational"), None)
    if (
        launched is not None
        and operational is not None
        and launched.date is not None
        and operational.date is not None
        and operational.date < launched.date
    ):
        flags.append(_FLAG_OP_BEFORE_LAUNCH)
    return LedgerEntry(
        artifact_id=artifact_id,
        name=name,
        aliases=tuple(aliases),
        artifact_type=artifact_type,
        domains=domains,
        naio_role=naio_role,
        partners=partners,
        stages=tuple(stages),
        current_stage=current,
        article_ids=tuple(r.article_id for r in rs),
        reports=tuple(rs),
        flags=tuple(flags),
        agencies=agencies,
    )


# --------------------------------------------------------------------------- the pairwise scorer

#: What the scorer reads of a (report, entry) pair, in the order of its weights.
FEATURES: Final[tuple[str, ...]] = (
    "name_similarity",  # weighted word overlap of the names, Malay in English (best name)
    "token_set_ratio",  # rapidfuzz token-set ratio of the names as written, 0..1
    "partial_ratio",  # rapidfuzz partial ratio of the names as written, 0..1
    "normalised_token_set",  # token-set ratio of the names' English words, 0..1
    "shared_distinctive",  # distinctive name words in common, up to 3, /3
    "unshared_distinctive",  # both names hold distinctive words the other lacks
    "same_head",  # the same head noun ("sandbox" = "kotak pasir")
    "different_head",
    "same_type",  # the classifier's artifact type agrees
    "different_type",
    "shared_partner",
    "same_years",  # both names carry the same years or period
    "log_date_gap",  # log(1 + days to the nearest report of the entry) / 7
    "same_agency",
    "cross_language",  # the report's language is not one of the entry's
    "context_overlap",  # share of the report's title-and-lead words (idf-weighted) in one
    # report of the entry (the best)
    "context_shared",  # idf-weighted words in common with that report, up to 5, /5
    "announcement",  # either side is only an announcement (names are vaguer then)
)
_I_OVERLAP: Final = FEATURES.index("context_overlap")
_I_SHARED: Final = FEATURES.index("context_shared")
#: The scorer's weights, trained by benchmarks/train_ledger_scorer.py on development files.
SCORER_FILE: Final = "ledger_scorer.json"
_SCORER_VERSION: Final = 1
#: An entry is scored against at most this many of its reports (the latest).
_MAX_REPORTS_SCORED: Final = 8


@dataclass(frozen=True, slots=True)
class Scorer:
    """A logistic regression over :data:`FEATURES`: the probability that a report and an
    entry are the same output; a report joins its best entry at or above ``threshold``."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    version: int = _SCORER_VERSION

    @property
    def logit_threshold(self) -> float:
        """The threshold on the linear score (log-odds)."""
        return math.log(self.threshold / (1.0 - self.threshold))

    def probability(self, x: Sequence[float]) -> float:
        """P(same output) for one feature vector in :data:`FEATURES` order."""
        z = self.intercept + sum(c * v for c, v in zip(self.coef, x, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form :func:`load_scorer` reads."""
        return {
            "version": self.version,
            "features": list(self.features),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }


def load_scorer(data: Mapping[str, Any], *, where: str = SCORER_FILE) -> Scorer:
    """A :class:`Scorer` from its JSON form, checked against this code's :data:`FEATURES`.

    Weights trained for another feature list would score the wrong numbers
    silently, so a mismatch is refused with :class:`ConfigError`.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: not a ledger scorer (expected a JSON object)")
    version = data.get("version")
    if version != _SCORER_VERSION:
        raise ConfigError(f"{where}: scorer version {version!r}, this code reads {_SCORER_VERSION}")
    features = data.get("features")
    if not isinstance(features, list) or tuple(features) != FEATURES:
        raise ConfigError(
            f"{where}: the scorer was trained on features {features!r}, but this code computes "
            f"{list(FEATURES)!r}; retrain it with `python benchmarks/train_ledger_scorer.py`"
        )
    coef = data.get("coef")
    if not isinstance(coef, list) or len(coef) != len(FEATURES):
        raise ConfigError(f"{where}: 'coef' must hold {len(FEATURES)} numbers")
    try:
        values = tuple(float(c) for c in coef)
        intercept = float(data["intercept"])
        threshold = float(data["threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: bad scorer number: {exc}") from exc
    if not all(map(math.isfinite, (*values, intercept))) or not 0.0 < threshold < 1.0:
        raise ConfigError(f"{where}: weights must be finite and the threshold in (0, 1)")
    return Scorer(FEATURES, values, intercept, threshold, _SCORER_VERSION)


def _packaged_scorer() -> Scorer:
    try:
        raw = resources.files("naio_nlp").joinpath(SCORER_FILE).read_text(encoding="utf-8")
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"naio_nlp/{SCORER_FILE}: cannot read the ledger scorer: {exc}") from exc
    return load_scorer(data, where=f"naio_nlp/{SCORER_FILE}")


#: The scorer in use, loaded when the module is imported. Training sets
#: NAIO_NLP_LEDGER_TRAINING=1 to import the module before weights exist.
_SCORER: Scorer | None = (
    None if os.environ.get("NAIO_NLP_LEDGER_TRAINING") == "1" else _packaged_scorer()
)


def _use_scorer(scorer: Scorer | None) -> Scorer | None:
    """Put ``scorer`` in use (training and cross-validation); returns the one replaced."""
    global _SCORER
    old, _SCORER = _SCORER, scorer
    return old


def _active_scorer() -> Scorer:
    if _SCORER is None:
        raise ConfigError("no ledger scorer in use (NAIO_NLP_LEDGER_TRAINING is set)")
    return _SCORER


@lru_cache(maxsize=1 << 18)
def _name_features(a: str, b: str) -> tuple[float, ...]:
    """The name half of the features: (similarity, token set, partial, normalised token
    set, shared distinctive, unshared distinctive, same head, different head, same years)."""
    ka = _key(a)
    kb = _aligned(ka, _key(b))
    la, lb = a.lower(), b.lower()
    shared = ka.distinctive & kb.distinctive
    return (
        _key_similarity(ka, kb),
        fuzz.token_set_ratio(la, lb) / 100.0,
        fuzz.partial_ratio(la, lb) / 100.0,
        fuzz.token_set_ratio(" ".join(sorted(ka.words)), " ".join(sorted(kb.words))) / 100.0,
        min(len(shared), 3) / 3.0,
        float(bool(ka.distinctive - kb.distinctive) and bool(kb.distinctive - ka.distinctive)),
        float(ka.head is not None and ka.head == kb.head),
        float(ka.head is not None and kb.head is not None and ka.head != kb.head),
        float(bool(ka.years) and ka.years == kb.years),
    )


@lru_cache(maxsize=1 << 12)
def _agency(name: str) -> str:
    """A public body as compared: the one name ``[agency_names]`` gives it, lower case
    ("Kementerian Digital", "Digital Ministry" -> "ministry of digital"); a body the
    table does not list, by its own name in lower case."""
    low = " ".join(name.lower().split())
    return _terms().agency_of.get(low, low).lower()


@dataclass(frozen=True, slots=True)
class _Entry:
    """What the scorer reads of an entry, computed once per change of the entry."""

    names: tuple[str, ...]
    types: frozenset[str]
    partners: frozenset[str]
    #: the public bodies its latest reports name, each by its one name (:func:`_agency`)
    agencies: frozenset[str]
    #: ... and those every report of it names (the cannot-link rule reads them all)
    all_agencies: frozenset[str]
    languages: frozenset[str]
    dates: tuple[date, ...]
    contexts: tuple[frozenset[str], ...]
    only_announced: bool
    owners: frozenset[str]
    operators: frozenset[str]
    sectors: frozenset[str]
    #: some report is NAIO's own doing (the classifier's role) and not another body's
    naio_owned: bool
    #: every report is another body's own output (:func:`_other_owned`)
    other_owned: bool
    formal: tuple[tuple[str, str | None], ...]  # formal names and their language
    #: the keys of the formal names with a distinctive word, by language
    formal_keys: Mapping[str | None, tuple[_Key, ...]]


def _entry_view(reports: Sequence[Report]) -> _Entry:
    rs = reports[-_MAX_REPORTS_SCORED:]
    named = [r for r in rs if r.linkable] or rs
    formal = tuple(
        dict.fromkeys((r.name, r.language) for r in reports if r.linkable and _is_formal(r.name))
    )
    formal_keys: dict[str | None, list[_Key]] = {}
    for n, lang in formal:
        if (fk := _key(n)).distinctive:
            formal_keys.setdefault(lang, []).append(fk)
    return _Entry(
        names=tuple(dict.fromkeys(r.name for r in named)),
        types=frozenset(r.artifact_type for r in rs if r.artifact_type),
        partners=frozenset(p.lower() for r in rs for p in r.partners),
        agencies=frozenset(_agency(a) for r in rs for a in r.agencies),
        all_agencies=frozenset(_agency(a) for r in reports for a in r.agencies),
        languages=frozenset(r.language for r in rs if r.language),
        dates=tuple(r.date for r in rs if r.date is not None),
        contexts=tuple(frozenset(r.context) for r in rs),
        only_announced=all(r.stage == "announced" for r in rs),
        owners=frozenset(o for r in reports if r.linkable and (o := _owner(r.name))),
        operators=frozenset(o for r in reports if (o := _operator(r.sentence))),
        sectors=frozenset(x for r in reports if r.linkable for x in _sectors(r.name, r.sentence)),
        naio_owned=any(
            (r.naio_role == "operative" or _naio_named_before(r.name, r.sentence))
            and not _other_owned(r.name, r.sentence)
            for r in reports
        ),
        other_owned=all(_other_owned(r.name, r.sentence) for r in reports),
        formal=formal,
        formal_keys={lang: tuple(keys) for lang, keys in formal_keys.items()},
    )


_MINOR_WORDS: Final = frozenset(
    {"of", "for", "on", "and", "&", "the", "in", "to", "untuk", "bagi", "dan", "di", "ke"}
)


@cache
def _is_formal(name: str) -> bool:
    """A name written as a title ("National AI Census Verification Pilot"), not a
    description ("a pilot to verify census data")."""
    words = [w for w in _WORD.findall(name) if w.lower() not in _MINOR_WORDS]
    return len(words) >= 3 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


@lru_cache(maxsize=1 << 16)
def _conflict(a: _Key, b: _Key) -> bool:
    """Each name holds a distinctive word the other lacks, spelling variants aside."""
    only_a = a.distinctive - b.distinctive
    only_b = b.distinctive - a.distinctive
    if not only_a or not only_b:
        return False
    return not _fuzzy_overlap(only_a, b.words) and not _fuzzy_overlap(only_b, a.words)


def _fuzzy_overlap(a: Iterable[str], b: Iterable[str]) -> bool:
    bs = list(b)
    for w in a:
        if w in bs:
            return True
        if len(w) >= 5 and process.extractOne(w, bs, scorer=fuzz.ratio, score_cutoff=85):
            return True
    return False


# --------------------------------------------------------------------------- the ledger


def _id_number(artifact_id: str) -> int:
    m = re.fullmatch(r"A(\d+)", artifact_id)
    return int(m.group(1)) if m else 0


def _ranked(scored: Iterable[tuple[str, float]]) -> Iterator[tuple[float, int, str]]:
    """Sort keys for entries by score: the highest first, then the oldest (shortest,
    then smallest id), so that ties break the same way in every process."""
    return ((-v, len(e), e) for e, v in scored)


def _block_keys(k: _Key) -> set[str]:
    """Index keys of a name: the first five letters of each distinctive word, else the
    whole generic name (so "AI Guidelines" meets only names made of the same words)."""
    keys = {w[:5] for w in k.distinctive if len(w) >= 3}
    if not keys:
        keys = {"=" + " ".join(sorted(k.words))}
        if _HEAD_BLOCK and k.head:
            keys.add("^" + k.head)  # looked up only by head (see Ledger._candidates)
    return keys


class Ledger:
    """Entries in id order, with an index for linking new reports to them.

    Build one with :func:`build`, extend it with :func:`update`, save it with
    :meth:`to_dict` / :meth:`write_json` and read it back with :meth:`from_dict`.
    """

    def __init__(self) -> None:
        self._reports: dict[str, list[Report]] = {}
        self._entry_of: dict[str, str] = {}
        self._keys: dict[str, dict[_Key, None]] = {}
        self._index: dict[str, set[str]] = {}
        self._ctx_index: dict[str, set[str]] = {}  # context word -> entries
        self._next = 1
        self._cache: dict[str, LedgerEntry] = {}
        self._read: set[str] = set()  # every document read, in an entry or not
        #: mentions (joins_only) that joined no entry yet: read again by each update
        self._pending: set[str] = set()
        #: Report-entry pairs the linker looked at (blocking keeps this far below all pairs).
        self.comparisons = 0
        self._views: dict[str, _Entry] = {}
        self._df: Counter[str] = Counter()  # context word -> reports holding it
        self._n_context = 0
        self._copies: dict[str, str] = {}  # Report.fingerprint -> its entry

    # -- reading

    def __len__(self) -> int:
        return len(self._reports)

    def __iter__(self) -> Iterator[LedgerEntry]:
        return iter(self.entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entry_of

    @property
    def entries(self) -> tuple[LedgerEntry, ...]:
        """Every entry, in id order (oldest first)."""
        return tuple(self.entry(i) for i in self._reports)

    def entry(self, artifact_id: str) -> LedgerEntry:
        """One entry by id (KeyError when unknown)."""
        cached = self._cache.get(artifact_id)
        if cached is None:
            cached = _summarise(artifact_id, self._reports[artifact_id])
            self._cache[artifact_id] = cached
        return cached

    def entry_for(self, article_id: str) -> LedgerEntry | None:
        """The entry a document was linked to, or None."""
        eid = self._entry_of.get(article_id)
        return None if eid is None else self.entry(eid)

    @property
    def article_ids(self) -> frozenset[str]:
        """The documents in the ledger's entries."""
        return frozenset(self._entry_of)

    def is_pending(self, article_id: str) -> bool:
        """True for a mention of an output that joined no entry yet; each
        :func:`update` that is given it again tries again."""
        return article_id in self._pending

    def has_read(self, article_id: str) -> bool:
        """True when the document was read before, whether or not it named an output."""
        return article_id in self._read or article_id in self._entry_of

    # -- linking

    def _copy(self) -> Ledger:
        new = Ledger()
        new._reports = {k: list(v) for k, v in self._reports.items()}
        new._entry_of = dict(self._entry_of)
        new._keys = {k: dict(v) for k, v in self._keys.items()}
        new._index = {k: set(v) for k, v in self._index.items()}
        new._ctx_index = {k: set(v) for k, v in self._ctx_index.items()}
        new._next = self._next
        new._cache = dict(self._cache)
        new._read = set(self._read)
        new._pending = set(self._pending)
        new._df = Counter(self._df)
        new._n_context = self._n_context
        new._copies = dict(self._copies)
        return new

    def _candidates(self, k: _Key, idf: Mapping[str, float] | None = None) -> list[str]:
        """Entries worth scoring: those sharing the most name keys, then (up to
        :data:`_MAX_CONTEXT_CANDIDATES` more) those sharing the most rare context
        words, which finds an output announced under a vaguer name."""
        counts: Counter[str] = Counter()
        for bk in _block_keys(k):
            if bk[0] != "^":
                counts.update(self._index.get(bk, ()))
        # most shared keys first, then the oldest entry: the same in every process
        if len(counts) > _MAX_CANDIDATES:  # only entries that can make the cut are ranked
            cut = heapq.nlargest(_MAX_CANDIDATES, counts.values())[-1]
            ranked = _ranked((e, c) for e, c in counts.items() if c >= cut)
        else:
            ranked = _ranked(counts.items())
        found = [e for _, _, e in heapq.nsmallest(_MAX_CANDIDATES, ranked)]
        if not idf:
            return found
        weights: dict[str, float] = {}
        for w, v in idf.items():
            posting = self._ctx_index.get(w)
            if posting and len(posting) <= _MAX_CONTEXT_POSTING:
                for eid in posting:
                    weights[eid] = weights.get(eid, 0.0) + v
        taken = set(found)
        more = [e for e, v in weights.items() if v >= _MIN_CONTEXT_WEIGHT and e not in taken]
        found += [
            e
            for _, _, e in heapq.nsmallest(
                _MAX_CONTEXT_CANDIDATES, _ranked((e, weights[e]) for e in more)
            )
        ]
        if _HEAD_BLOCK and k.head:
            taken = set(found)
            vague = [
                e
                for e in self._index.get("^" + k.head, ())
                if e not in taken and e in weights and self._view(e).only_announced
            ]
            found += [
                e
                for _, _, e in heapq.nsmallest(
                    _MAX_HEAD_CANDIDATES, _ranked((e, weights[e]) for e in vague)
                )
            ]
        return found

    def _agencies_clash(self, report: Report, eid: str, k: _Key) -> bool:
        """Two generic names ("AI Guidelines") whose reports name different agencies,
        each body by its one name (:func:`_agency`): "Kementerian Digital" is the
        "Ministry of Digital", so the Malay and English reports of one body's guidelines
        do not clash."""
        if k.distinctive or not report.agencies:
            return False
        theirs = self._view(eid).all_agencies
        return bool(theirs) and theirs.isdisjoint(map(_agency, report.agencies))

    def _years_clash(self, eid: str, k: _Key, report: Report | None = None) -> bool:
        """The entry's names carry years and none of them is this name's ("Challenge 2025").

        A name without years ("the Public Sector AI Challenge") is held to the
        years its title and lead mention, when they mention none of the entry's
        single years (an edition: "Challenge 2025" is not "Challenge 2026").
        """
        theirs = {y for other in self._keys[eid] for y in other.years}
        if not theirs:
            return False
        if k.years:
            return not (theirs & k.years)
        if report is None or any("-" in y for y in theirs):
            return False  # a period ("2026-2030") is mentioned around other years
        mentioned = {w for w in report.context if _YEAR.match(w)}
        return bool(mentioned) and not (mentioned & theirs)

    def _owners_clash(self, eid: str, name: str, report: Report | None = None) -> bool:
        """A state's output against a national one, or two states' ("Selangor AI Sandbox");
        an output NAIO runs against one another body runs ("run by the chamber X")."""
        view = self._view(eid)
        owner = _owner(name)
        if owner is not None and view.owners and _owners_differ(owner, view.owners):
            return True
        if report is None:
            return False
        if _OTHERS_RULE:
            # another body's own output ("the foundation has launched ...") is not
            # NAIO's, and NAIO's is not another body's
            if _other_owned(report.name, report.sentence):
                if view.naio_owned:
                    return True
            elif view.other_owned and report.naio_role == "operative":
                return True
        runner = _operator(report.sentence)
        if runner is None or not view.operators:
            return False
        return ("naio" in view.operators) != (runner == "naio")

    def _sectors_clash(self, report: Report, eid: str, name: str) -> bool:
        """Two outputs for different sectors or audiences ("guidelines for contractors",
        "garis panduan AI untuk ladang sawit"): names that say whom they are for, and
        share none of it."""
        theirs = self._view(eid).sectors
        if not theirs:
            return False
        mine = _sectors(name, report.sentence)
        return bool(mine) and not (mine & theirs)

    def _bodies_clash(self, eid: str, k: _Key, formal: bool = True) -> bool:
        """Two bodies of people with nothing distinctive in common (an ethics council and
        an industry advisory council), or a body against an output of another kind.

        The first holds between formal names only (``formal``: this one's is): a
        description ("an independent panel", "a consortium of universities") says too
        little to tell two bodies apart."""
        bodies = _terms().bodies
        if k.head is None:
            return False
        theirs = [o for o in self._keys[eid] if o.head is not None]
        if not theirs:
            return False
        # a "Pakatan ..." and a "... Consortium" are one head across languages (_aligned)
        alike = [o for o in theirs if o.head == k.head or _aligned(o, k).head == o.head]
        if k.head in bodies and k.distinctive and (formal or not _FORMAL_BODIES_ONLY):
            if _FORMAL_BODIES_ONLY:
                named = {fk for keys in self._view(eid).formal_keys.values() for fk in keys}
                same = [o for o in alike if o.distinctive and o in named]
            else:
                same = [o for o in alike if o.distinctive]
            if same and not any(_fuzzy_overlap(k.distinctive, o.distinctive) for o in same):
                return True
        heads = {o.head for o in theirs}
        if alike or not (k.head in bodies or heads & bodies):
            return False
        # a council is not a sandbox, unless one name holds the other's head
        return not any(o.head in k.words or k.head in o.words for o in theirs)

    def _phase_clash(self, eid: str, k: _Key) -> bool:
        """The entry's names number a phase and none is this name's ("Fasa 1", "Phase 2")."""
        if k.phase is None:
            return False
        theirs = {o.phase for o in self._keys[eid] if o.phase is not None}
        return bool(theirs) and k.phase not in theirs

    def _successor_clash(self, report: Report, successor: bool, eid: str, k: _Key) -> bool:
        """ "The second red-teaming exercise", "a new AI security plan": a successor named
        after its predecessor was launched is another output, not a report of that one.
        ``successor`` is :func:`_is_successor` of the name, read once per report. An entry
        whose names number this name's phase ("Phase 2") is the successor itself."""
        if report.date is None or not successor:
            return False
        if k.phase is not None and any(o.phase == k.phase for o in self._keys[eid]):
            return False
        launches = [d for r in self._reports[eid] if r.stage != "announced" and (d := r.date)]
        return bool(launches) and (report.date - min(launches)).days >= _SUCCESSOR_AFTER_DAYS

    def _names_clash(self, report: Report, name: str, k: _Key, eid: str) -> bool:
        """Two formal names in one language that each hold a distinctive word the other
        lacks ("Census Verification Pilot", "Maritime Verification Pilot") are two outputs:
        in one language, one output's full name is written the same way."""
        if not report.linkable or not k.distinctive or not _is_formal(name):
            return False  # a title standing in for a name is no formal name
        mine = self._view(eid).formal_keys.get(report.language, ())
        return bool(mine) and all(_conflict(k, other) for other in mine)

    def _vetoed(
        self, report: Report, name: str, k: _Key, eid: str, successor: bool | None = None
    ) -> bool:
        """Cannot-link rules: whatever the scorer says, these never merge.

        ``successor`` is :func:`_is_successor` of the name in the report's
        sentence when the caller has read it already (once per report).
        """
        if successor is None:
            successor = (
                report.linkable and report.date is not None and _is_successor(name, report.sentence)
            )
        # pure checks, so their order changes nothing but the time: the one that
        # decides most often among look-alike candidates (two formal names) first
        return (
            self._names_clash(report, name, k, eid)
            or self._bodies_clash(eid, k, _is_formal(name))
            or self._years_clash(eid, k, report)
            or self._agencies_clash(report, eid, k)
            or self._owners_clash(eid, name, report)
            or self._successor_clash(report, successor, eid, k)
            or self._phase_clash(eid, k)
            or (_SECTOR_RULE and self._sectors_clash(report, eid, name))
        )

    def _brand_vetoed(self, report: Report, name: str, k: _Key, eid: str, successor: bool) -> bool:
        """The cannot-link rules a shared brand does not overrule."""
        return (
            self._years_clash(eid, k, report)
            or self._owners_clash(eid, name, report)
            or self._successor_clash(report, successor, eid, k)
            or self._phase_clash(eid, k)
        )

    def _view(self, eid: str) -> _Entry:
        view = self._views.get(eid)
        if view is None:
            view = self._views[eid] = _entry_view(self._reports[eid])
        return view

    def _idf(self, report: Report) -> dict[str, float]:
        """The report's context words weighted by rarity among the reports linked so far,
        0..1: words every story shares weigh nothing."""
        n = self._n_context
        scale = math.log(n + 2)
        return {w: math.log((n + 1) / (self._df[w] + 1)) / scale for w in report.context}

    def _remember(self, report: Report, eid: str | None = None) -> None:
        """Count the report's context words (and index them under its entry)."""
        self._df.update(set(report.context))
        self._n_context += 1
        if eid is not None and (report.linkable or _INDEX_NAMELESS):
            for w in report.context:
                self._ctx_index.setdefault(w, set()).add(eid)

    def _features(
        self,
        report: Report,
        name: str,
        eid: str,
        idf: Mapping[str, float],
        scorer: Scorer | None = None,
    ) -> list[float]:
        """:data:`FEATURES` of a report (under one of its names) and an entry.

        With a ``scorer``, the context words are not compared when even a
        perfect overlap could not lift the pair to its threshold (they are
        left at 0, which only lowers a score already below it).
        """
        e = self._view(eid)
        by_name = [_name_features(name, n) for n in e.names]
        nf = [max(col) for col in zip(*by_name, strict=True)]
        gaps = [abs((report.date - d).days) for d in e.dates] if report.date else []
        t = report.artifact_type
        x = [
            *nf[:8],
            float(bool(t) and t in e.types),
            float(bool(t) and bool(e.types) and t not in e.types),
            float(any(p.lower() in e.partners for p in report.partners)),
            nf[8],
            math.log1p(min(gaps)) / 7.0 if gaps else math.log1p(180) / 7.0,
            float(any(_agency(a) in e.agencies for a in report.agencies)),
            float(
                bool(report.language) and bool(e.languages) and report.language not in e.languages
            ),
            0.0,
            0.0,
            float(report.stage == "announced" or e.only_announced),
        ]
        total = sum(idf.values())
        if not total:
            return x
        if scorer is not None:
            z = scorer.intercept + sum(c * v for c, v in zip(scorer.coef, x, strict=True))
            room = (
                max(scorer.coef[_I_OVERLAP], 0.0)
                + max(scorer.coef[_I_SHARED], 0.0) * min(total, 5.0) / 5.0
            )
            if z + room < scorer.logit_threshold:
                return x
        best_shared = 0.0
        for ctx in e.contexts:
            shared = sum(idf[w] for w in ctx.intersection(idf))
            best_shared = max(best_shared, shared)
        x[_I_OVERLAP] = best_shared / total
        x[_I_SHARED] = min(best_shared, 5.0) / 5.0
        return x

    def _best(self, report: Report, name: str, scorer: Scorer) -> tuple[str | None, float]:
        k = _key(name)
        idf = self._idf(report)
        best, best_p = None, 0.0
        # what depends on the report alone is read once, not once per candidate
        # a headline standing in for a name ("... harapan baharu ...") marks no successor
        successor = (
            report.linkable and report.date is not None and _is_successor(name, report.sentence)
        )
        branded = self._branded(report)
        candidates = self._candidates(k, idf)
        if branded:
            candidates += [e for e in sorted(branded, key=_id_number) if e not in candidates]
        for eid in candidates:
            self.comparisons += 1
            if eid in branded:
                # a shared brand outweighs how the names read; not another period,
                # phase, successor or owner
                if self._brand_vetoed(report, name, k, eid, successor):
                    continue
            elif self._vetoed(report, name, k, eid, successor):
                continue
            p = scorer.probability(self._features(report, name, eid, idf, scorer))
            if k.weight >= _MIN_CONTAINED_WEIGHT and k in self._keys[eid]:
                p += 1.0  # the same name, with identity, not vetoed: the same output
            if eid in branded:
                p += _BRAND_BONUS  # "KIRA" in both: the same output, whatever its names
            if p > best_p:
                best, best_p = eid, p
        return best, best_p

    def _branded(self, report: Report) -> set[str]:
        """The entries that share a brand with the report, given beside a name on one
        side at least: the report mentions one an entry's reports give their output, or
        gives its output one an entry's reports mention. A brand two entries hold
        identifies neither; one only mentioned on both sides (a partner's) identifies none."""
        out: set[str] = set()
        for b in report.brands:
            holders = self._index.get("#" + b.lower())
            if holders is not None and len(holders) == 1:
                out |= holders
        for b in report.defined_brands:
            holders = self._index.get("@" + b.lower())
            if holders is not None and len(holders) == 1:
                out |= holders
        return out

    def _index_brands(self, report: Report, eid: str) -> None:
        for b in report.defined_brands:
            self._index.setdefault("#" + b.lower(), set()).add(eid)
        for b in report.brands:
            self._index.setdefault("@" + b.lower(), set()).add(eid)

    def _link(self, report: Report) -> str | None:
        """The entry ``report`` joins (a new one when none matches); None when a
        mention that only joins (:attr:`Report.joins_only`) finds none."""
        scorer = _active_scorer()
        best: str | None = None
        copied = self._copies.get(report.fingerprint) if report.fingerprint else None
        if copied is not None and copied in self._reports:
            best = copied  # the same text under another id: one report, twice
        elif not report.linkable and _LINK_NAMELESS:
            # a document that names no output (a feature story, titled by its news) may
            # still join an entry its title and lead match; it never names one
            eid, p = self._best(report, report.name, scorer)
            if (
                eid is not None
                and p >= scorer.threshold
                and not (_NAMELESS_NOT_TO_PROMISES and self._view(eid).only_announced)
            ):
                best = eid
        if report.linkable and best is None:
            # the first name that links; the others only when it finds no entry
            for name in (report.name, *report.alternatives):
                eid, p = self._best(report, name, scorer)
                if (
                    eid is not None
                    and p >= scorer.threshold
                    and not (
                        _NAMELESS_NOT_TO_PROMISES
                        and report.joins_only
                        and not any(r.linkable for r in self._reports[eid])
                    )
                ):
                    best = eid
                    if name != report.name:
                        others = (report.name, *report.alternatives)
                        report = replace(
                            report, name=name, alternatives=tuple(n for n in others if n != name)
                        )
                    break
        if report.joins_only and best is None:
            return None
        if best is None:
            best = _ID_FORMAT.format(self._next)
            self._next += 1
            self._reports[best] = []
            self._keys[best] = {}
        report = self._staged(best, report)
        self._reports[best].append(report)
        self._entry_of[report.article_id] = best
        self._cache.pop(best, None)
        self._views.pop(best, None)
        self._remember(report, best)
        self._index_brands(report, best)
        if report.fingerprint:
            self._copies.setdefault(report.fingerprint, best)
        k = _key(report.name)
        if report.linkable and k not in self._keys[best]:
            self._keys[best][k] = None
            for bk in _block_keys(k):
                self._index.setdefault(bk, set()).add(best)
        return best

    def _staged(self, eid: str, report: Report) -> Report:
        """A report's stage read against its entry's launch.

        Results cues ("second cohort", "telah menerima") mean operation only
        :data:`_OPERATING_AFTER_DAYS` or more after the entry's launch; nearer
        to it (or with no launch known and a launch cue in the lead) they
        describe the launch itself ("20 slots for the first cohort"). A report
        with no stage words that long after a launch is about operation.
        """
        # a mention with no stage words says nothing of a launch: it is no launch
        # report of an output only announced so far ("has yet to appear")
        if (
            report.joins_only
            and report.stage_basis == "default"
            and not any(r.stage != "announced" for r in self._reports[eid])
        ):
            return replace(report, stage="announced", stage_basis="mention")
        if report.date is None or report.stage == "announced":
            return report
        launches = [r.date for r in self._reports[eid] if r.stage != "announced" and r.date]
        first = min(launches) if launches else None
        if report.joins_only and first is not None and report.date < first:
            # a mention dated before the output's launch cannot report that launch
            return replace(report, stage="announced", stage_basis="mention")
        if report.stage == "operational" and report.stage_basis == "cue":
            if first is None:
                if "launched" in report.cues:
                    return replace(report, stage="launched", stage_basis="cue_at_launch")
            elif (report.date - first).days < _OPERATING_AFTER_DAYS:
                return replace(report, stage="launched", stage_basis="cue_at_launch")
            return report
        if (
            report.stage == "launched"
            and report.stage_basis == "default"
            and first is not None
            and (report.date - first).days >= _OPERATING_AFTER_DAYS
        ):
            return replace(report, stage="operational", stage_basis="after_launch")
        if (
            report.stage == "launched"
            and report.stage_basis == "cue"
            and first is not None
            and (report.date - first).days >= _RELAUNCH_AFTER_DAYS
        ):
            # "launched last year": a launch word this long after the launch looks back at it
            return replace(report, stage="operational", stage_basis="after_launch")
        return report

    def _add(self, reports: Iterable[Report]) -> None:
        waiting: list[Report] = []
        for r in sorted(reports, key=_by_date):
            if r.article_id in self._entry_of:
                continue
            if self._link(r) is None:
                waiting.append(r)
            else:
                self._pending.discard(r.article_id)
        # a mention dated before every report of its output (the budget line before the
        # fund's launch, a debate before the plan) finds its entry once the batch is in
        for r in waiting:
            if _RETRY_MENTIONS and self._link(r) is not None:
                self._pending.discard(r.article_id)
                continue
            # a mention that found no entry: read again by the next update, which may
            # bring its output's launch (crawl order is not date order)
            self._read.discard(r.article_id)
            self._pending.add(r.article_id)

    def _ids_like(self, old: Ledger) -> Ledger:
        """This ledger with its entries renamed after ``old``'s by shared documents."""
        overlaps: list[tuple[int, str, str]] = []
        for eid, reports in self._reports.items():
            shared = Counter(old._entry_of[r.article_id] for r in reports if r.article_id in old)
            overlaps.extend((n, eid, oid) for oid, n in shared.items())
        rename: dict[str, str] = {}
        taken: set[str] = set()
        for _n, eid, oid in sorted(overlaps, key=lambda x: (-x[0], x[1], x[2])):
            if eid not in rename and oid not in taken:
                rename[eid] = oid
                taken.add(oid)
        next_id = old._next
        for eid in self._reports:  # in the new ledger's own (date) order
            if eid not in rename:
                rename[eid] = _ID_FORMAT.format(next_id)
                next_id += 1
        new = Ledger()
        order = sorted(self._reports, key=lambda e: _id_number(rename[e]))
        for eid in order:
            nid = rename[eid]
            new._reports[nid] = list(self._reports[eid])
            new._keys[nid] = dict(self._keys[eid])
        new._entry_of = {a: rename[e] for a, e in self._entry_of.items()}
        new._index = {k: {rename[e] for e in v} for k, v in self._index.items()}
        new._ctx_index = {k: {rename[e] for e in v} for k, v in self._ctx_index.items()}
        new._next = next_id
        new._read = set(self._read)
        new._df = Counter(self._df)
        new._n_context = self._n_context
        new._copies = {fp: rename[e] for fp, e in self._copies.items()}
        return new

    # -- saving

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict holding everything :meth:`from_dict` needs to resume linking."""
        return {
            "naio_nlp_version": __version__,
            "next_id": self._next,
            "read": sorted(self._read - self._entry_of.keys()),
            "pending": sorted(self._pending - self._entry_of.keys()),
            "entries": [e.to_dict() for e in self.entries],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "ledger") -> Ledger:
        """A ledger saved by :meth:`to_dict`; ids and links are kept as they were."""
        if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
            raise InputError(where, "not a naio-nlp ledger (no 'entries' list)")
        ledger = cls()
        for e in data["entries"]:
            eid = e.get("artifact_id") if isinstance(e, Mapping) else None
            if not isinstance(eid, str) or not isinstance(e.get("reports"), list):
                raise InputError(where, f"ledger entry {eid!r} has no id or no reports")
            ledger._reports[eid] = []
            ledger._keys[eid] = {}
            for rd in e["reports"]:
                r = Report.from_dict(rd, where=where)
                ledger._reports[eid].append(r)
                ledger._entry_of[r.article_id] = eid
                ledger._remember(r, eid)
                ledger._index_brands(r, eid)
                if r.fingerprint:
                    ledger._copies.setdefault(r.fingerprint, eid)
                if r.linkable:
                    k = _key(r.name)
                    if k not in ledger._keys[eid]:
                        ledger._keys[eid][k] = None
                        for bk in _block_keys(k):
                            ledger._index.setdefault(bk, set()).add(eid)
            m = re.fullmatch(r"A(\d+)", eid)
            if m:
                ledger._next = max(ledger._next, int(m.group(1)) + 1)
        ledger._next = max(ledger._next, int(data.get("next_id", 1)))
        ledger._read = {str(x) for x in data.get("read", ())} | set(ledger._entry_of)
        ledger._pending = {str(x) for x in data.get("pending", ())} - set(ledger._entry_of)
        return ledger

    def write_json(self, path: Path) -> Path:
        """Write :meth:`to_dict` as indented UTF-8 JSON."""
        path.write_text(
            json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        return path

    @classmethod
    def read_json(cls, path: Path) -> Ledger:
        """A ledger written by :meth:`write_json`."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(str(path), f"cannot read the ledger: {exc}") from exc
        return cls.from_dict(data, where=str(path))

    def csv_rows(self) -> list[list[str]]:
        """One row per entry, in :data:`CSV_COLUMNS` order."""
        rows = []
        for e in self.entries:
            dates = {s.stage: "" if s.date is None else s.date.isoformat() for s in e.stages}
            rows.append(
                [
                    e.artifact_id,
                    e.name,
                    "; ".join(e.aliases),
                    e.artifact_type or "",
                    ";".join(e.domains),
                    e.naio_role,
                    "; ".join(e.partners),
                    "; ".join(e.agencies),
                    e.current_stage,
                    dates.get("announced", ""),
                    dates.get("launched", ""),
                    dates.get("operational", ""),
                    str(len(e.reports)),
                    ";".join(e.article_ids),
                    ";".join(e.flags),
                ]
            )
        return rows

    def write_csv(self, path: Path) -> Path:
        """Write one row per entry (stage dates in columns) as UTF-8 CSV."""
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(self.csv_rows())
        return path


def _reports(ledger: Ledger, pairs: Iterable[tuple[Article, Prediction]]) -> Iterator[Report]:
    for article, prediction in pairs:
        if ledger.has_read(article.id):
            continue
        ledger._read.add(article.id)
        r = read_report(article, prediction)
        if r is not None:
            yield r


def build(pairs: Iterable[tuple[Article, Prediction]], *, ids_from: Ledger | None = None) -> Ledger:
    """A ledger of the outputs that classified documents report.

    Documents are linked in date order (undated last, then by id), so the
    same documents give the same ledger whatever order they come in.
    ``ids_from`` is an earlier ledger of the same documents (a previous model
    version's): an entry that shares documents with one of its entries takes
    that entry's id (most shared documents first, each id once), and new
    outputs get ids after its last, so a retrained model does not renumber.
    """
    ledger = update(Ledger(), pairs)
    return ledger if ids_from is None else ledger._ids_like(ids_from)


def update(ledger: Ledger, pairs: Iterable[tuple[Article, Prediction]]) -> Ledger:
    """``ledger`` with new documents linked in; the given ledger is left unchanged.

    New documents join existing entries or open new ones with the next free
    ids; no entry is renumbered. Documents read before (see
    :meth:`Ledger.has_read`) are skipped, whether or not they named an output.
    """
    new = ledger._copy()
    new._add(list(_reports(new, pairs)))
    return new
