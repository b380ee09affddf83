"""The spaCy stage: language routing, sentences, cue matching and features.

A document becomes an :class:`Analysis`: its tokens' hashed n-gram ids, the
sentence each token belongs to, and a per-sentence matrix of cue counts
(NAIO named, release verbs, intention, citation, named outputs, specifics,
domain topics and their co-occurrences). The classifier turns that into one
feature row; keeping the per-sentence matrix lets it say which sentences moved
each decision without re-running anything.

Everything runs on blank spaCy pipelines (``en`` and ``ms`` tokenizers plus
the rule-based sentencizer) and a ``PhraseMatcher``; no model is downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import spacy
from spacy.attrs import (
    IDX,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LENGTH,
    LIKE_NUM,
    LOWER,
    ORTH,
    SPACY,
)
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .language import detect_language

__all__ = ["Analysis", "TextAnalyzer", "dense_feature_names"]

N_HASH = 1 << 18
_BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)

_MONTHS = [
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
    "januari",
    "februari",
    "mac",
    "mei",
    "julai",
    "ogos",
    "oktober",
    "disember",
    "ogo",
    "okt",
    "dis",
]
_YEAR = re.compile(r"^(19|20)\d\d$")
_CONNECTORS = ("of", "for", "and", "on", "in", "&", "-", "–", "bagi", "untuk", "dan", "kepada")

# Co-occurrence features: a sentence that holds all the listed cue groups.
_COOC: dict[str, tuple[str, ...]] = {
    "s_naio_release": ("naio", "release"),
    "s_naio_intention": ("naio", "intention"),
    "s_naio_citation": ("naio", "citation"),
    "s_naio_output": ("naio", "named_output"),
    "s_release_output": ("release", "named_output"),
    "s_naio_release_output": ("naio", "release", "named_output"),
    "s_release_specific": ("release", "specific"),
    "s_naio_release_specific": ("naio", "release", "specific"),
    "s_intention_output": ("intention", "named_output"),
    "s_naio_footer": ("naio", "footer"),
    "s_release_agency": ("release", "agency"),
    "s_naio_agency": ("naio", "agency"),
}
_DERIVED = ("named_output", "number", "date", "specific")


def _member(values: npt.NDArray[np.uint64], sorted_ids: npt.NDArray[np.uint64]) -> Any:
    """``np.isin`` for a small sorted id table, without its per-call overhead."""
    idx = np.searchsorted(sorted_ids, values)
    idx[idx == sorted_ids.size] = 0
    return sorted_ids[idx] == values


def dense_feature_names(lexicon: Mapping[str, Mapping[str, Sequence[str]]]) -> list[str]:
    """Names of the per-sentence count columns, in order."""
    names = [f"cue:{c}" for c in lexicon["cues"]]
    names += [f"type:{t}" for t in lexicon["types"]]
    names += [f"domain:{d}" for d in lexicon["domains"]]
    names += [f"x:{d}" for d in _DERIVED]
    names += [f"co:{c}" for c in _COOC]
    names += [f"co:naio_type:{t}" for t in lexicon["types"]]
    names += [f"co:release_type:{t}" for t in lexicon["types"]]
    return names


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the spaCy stage found in one document (title + body)."""

    text: str
    body_start: int
    language: str
    sent_bounds: npt.NDArray[np.int64]  # (n_sent, 2) character offsets in ``text``
    ngram_ids: npt.NDArray[np.int64]  # distinct hashed 1-2-gram buckets, sorted
    ngram_counts: npt.NDArray[np.float64]  # how often each bucket occurs
    ngram_inverse: npt.NDArray[np.int64]  # for each occurrence, its index in ngram_ids
    ngram_sent: npt.NDArray[np.int64]  # for each occurrence, its sentence
    sent_counts: npt.NDArray[np.float64]  # (n_sent, n_dense) cue counts per sentence
    named_outputs: tuple[tuple[int, int, int], ...]  # (sentence, char start, char end)
    agencies: tuple[tuple[int, str], ...]  # (sentence, agency as written)
    title_naio: bool

    @property
    def n_sentences(self) -> int:
        return int(self.sent_bounds.shape[0])


class TextAnalyzer:
    """Routes each text to the English or Malay tokenizer and finds the cues.

    The spaCy pipelines hold no statistical model, so building one is cheap
    and the same analyzer gives the same output on every machine.
    """

    def __init__(
        self,
        lexicon: Mapping[str, Mapping[str, Sequence[str]]],
        *,
        pipelines: Mapping[str, Language] | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.pipelines: dict[str, Language] = dict(pipelines or {})
        for lang in ("en", "ms"):
            if lang not in self.pipelines:
                self.pipelines[lang] = spacy.blank(lang)
        self.feature_names = dense_feature_names(lexicon)
        self._col = {name: i for i, name in enumerate(self.feature_names)}
        self._matchers = {lang: self._build_matcher(nlp) for lang, nlp in self.pipelines.items()}

    def _build_matcher(self, nlp: Language) -> tuple[PhraseMatcher, dict[int, int]]:
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        column_of: dict[int, int] = {}
        groups = [("cue", self.lexicon["cues"]), ("type", self.lexicon["types"])]
        groups.append(("domain", self.lexicon["domains"]))
        for prefix, table in groups:
            for name, phrases in table.items():
                key = f"{prefix}:{name}"
                patterns = [nlp.make_doc(p.lower()) for p in phrases]
                matcher.add(key, patterns)
                column_of[nlp.vocab.strings[key]] = self._col[key]
        return matcher, column_of

    @cached_property
    def _sentence_end_ids(self) -> npt.NDArray[np.uint64]:
        strings = self.pipelines["en"].vocab.strings
        return np.unique(
            np.array([strings.add(p) for p in (".", "!", "?", "...", "…")], dtype=np.uint64)
        )

    @cached_property
    def _month_ids(self) -> npt.NDArray[np.uint64]:
        strings = self.pipelines["en"].vocab.strings
        return np.unique(np.array([strings.add(m) for m in _MONTHS], dtype=np.uint64))

    @cached_property
    def _connector_ids(self) -> npt.NDArray[np.uint64]:
        strings = self.pipelines["en"].vocab.strings
        return np.unique(np.array([strings.add(c) for c in _CONNECTORS], dtype=np.uint64))

    @cached_property
    def _head_ids(self) -> npt.NDArray[np.uint64]:
        strings = self.pipelines["en"].vocab.strings
        heads = {h for hs in self.lexicon["output_heads"].values() for h in hs}
        return np.unique(np.array([strings.add(h) for h in sorted(heads)], dtype=np.uint64))

    @cached_property
    def _naio_lower(self) -> tuple[str, ...]:
        return tuple(n.lower() for n in self.lexicon["cues"]["naio"])

    def analyse(
        self, texts: Sequence[str], titles: Sequence[str], languages: Sequence[str | None]
    ) -> list[Analysis]:
        """Analyse a batch; output is in input order."""
        joined = [f"{t}\n\n{x}" if t else x for t, x in zip(titles, texts, strict=True)]
        langs = [
            lang if lang in ("en", "ms") else detect_language(j[:400])
            for lang, j in zip(languages, joined, strict=True)
        ]
        out: list[Analysis | None] = [None] * len(texts)
        for lang, nlp in self.pipelines.items():
            idx = [i for i, lg in enumerate(langs) if lg == lang]
            if not idx:
                continue
            for i, doc in zip(idx, nlp.pipe(joined[i] for i in idx), strict=True):
                body_start = len(titles[i]) + 2 if titles[i] else 0
                out[i] = self._analyse_doc(doc, joined[i], lang, body_start, bool(titles[i]))
        return [a for a in out if a is not None]

    def _analyse_doc(
        self, doc: Doc, text: str, lang: str, body_start: int, has_title: bool
    ) -> Analysis:
        n_tok = len(doc)
        if n_tok == 0:
            return _empty_analysis(text, body_start, lang, len(self.feature_names))
        arr = doc.to_array(
            [LOWER, IS_PUNCT, IS_SPACE, LIKE_NUM, ORTH, IS_TITLE, IS_UPPER, IDX, LENGTH, SPACY]
        )
        lower = arr[:, 0].astype(np.uint64)
        is_punct = arr[:, 1].astype(bool)
        is_space = arr[:, 2].astype(bool)
        like_num = arr[:, 3].astype(bool)
        sent_start = self._sentence_starts(doc, arr, body_start)
        tok_sent = np.cumsum(sent_start) - 1
        n_sent = int(tok_sent[-1]) + 1
        starts_tok = np.flatnonzero(sent_start)
        ends_tok = np.append(starts_tok[1:], n_tok) - 1
        # End a sentence at its last non-space token, so offsets hold no trailing breaks.
        non_space_idx = np.where(is_space, -1, np.arange(n_tok))
        ends_tok = np.maximum(np.maximum.accumulate(non_space_idx)[ends_tok], starts_tok)
        idx_arr = arr[:, 7].astype(np.int64)
        end_chars = idx_arr[ends_tok] + arr[ends_tok, 8].astype(np.int64)
        bounds = np.stack([idx_arr[starts_tok], end_chars], axis=1)

        counts = np.zeros((n_sent, len(self.feature_names)), dtype=np.float64)
        matcher, column_of = self._matchers[lang]
        agencies: list[tuple[int, str]] = []
        agency_col = self._col["cue:agency"]
        for match_id, start, end in matcher(doc):
            col = column_of[match_id]
            s = tok_sent[start]
            counts[s, col] += 1.0
            if col == agency_col:
                agencies.append((int(s), doc[start:end].text))

        # Derived per-sentence counts: numbers, dates, named outputs.
        keep = ~(is_punct | is_space)
        is_year = np.zeros(n_tok, dtype=bool)
        for i in np.flatnonzero(like_num):
            is_year[i] = bool(_YEAR.match(doc[int(i)].text))
        is_month = _member(lower, self._month_ids)
        np.add.at(counts[:, self._col["x:number"]], tok_sent[like_num & ~is_year], 1.0)
        np.add.at(counts[:, self._col["x:date"]], tok_sent[is_month | is_year], 1.0)
        outputs = self._named_outputs(doc, lower, arr, tok_sent, is_year)
        for s, _, _ in outputs:
            counts[s, self._col["x:named_output"]] += 1.0
        money = counts[:, self._col["cue:money"]]
        counts[:, self._col["x:specific"]] = (
            counts[:, self._col["x:number"]]
            + counts[:, self._col["x:date"]]
            + money
            + counts[:, self._col["cue:deadline"]]
        )
        present = {
            "naio": counts[:, self._col["cue:naio"]] > 0,
            # a release verb in a sentence about NAIO's own founding does not count
            "release": (counts[:, self._col["cue:release"]] > 0)
            & (counts[:, self._col["cue:establishment"]] == 0),
            "intention": counts[:, self._col["cue:intention"]] > 0,
            "citation": counts[:, self._col["cue:citation"]] > 0,
            "footer": counts[:, self._col["cue:footer"]] > 0,
            "agency": counts[:, self._col["cue:agency"]] > 0,
            "named_output": counts[:, self._col["x:named_output"]] > 0,
            "specific": counts[:, self._col["x:specific"]] > 0,
        }
        for name, needs in _COOC.items():
            mask = np.logical_and.reduce([present[k] for k in needs])
            counts[:, self._col[f"co:{name}"]] = mask
        for t in self.lexicon["types"]:
            has_type = counts[:, self._col[f"type:{t}"]] > 0
            counts[:, self._col[f"co:naio_type:{t}"]] = has_type & present["naio"]
            counts[:, self._col[f"co:release_type:{t}"]] = has_type & present["release"]

        # Hashed unigrams and bigrams of the kept tokens, counted once here.
        kept = np.flatnonzero(keep)
        ids = lower[kept]
        sent_of = tok_sent[kept]
        uni = (ids % np.uint64(N_HASH)).astype(np.int64)
        if ids.size > 1:
            mixed = ids[:-1] * _BIGRAM_MIX ^ ids[1:]
            big = (mixed % np.uint64(N_HASH)).astype(np.int64)
            occurrences = np.concatenate([uni, big])
            occ_sent = np.concatenate([sent_of, sent_of[1:]])
        else:
            occurrences, occ_sent = uni, sent_of
        ngram_ids, inverse, occurrence_counts = np.unique(
            occurrences, return_inverse=True, return_counts=True
        )
        title_naio = has_title and any(
            n in text[: max(body_start - 2, 0)].lower() for n in self._naio_lower
        )
        return Analysis(
            text=text,
            body_start=body_start,
            language=lang,
            sent_bounds=bounds,
            ngram_ids=ngram_ids,
            ngram_counts=occurrence_counts.astype(np.float64),
            ngram_inverse=inverse.astype(np.int64),
            ngram_sent=occ_sent.astype(np.int64),
            sent_counts=counts,
            named_outputs=tuple(outputs),
            agencies=tuple(agencies),
            title_naio=title_naio,
        )

    def _sentence_starts(
        self, doc: Doc, arr: npt.NDArray[Any], body_start: int
    ) -> npt.NDArray[np.bool_]:
        """Rule-based sentence starts, computed on the token arrays.

        A sentence ends after ``.``, ``!``, ``?`` or a line break; the next
        non-space token starts the next one. The title is always a sentence of
        its own. Working on arrays keeps this at tokenizer speed, which the
        per-token sentencizer is not.
        """
        n_tok = len(doc)
        orth = arr[:, 4].astype(np.uint64)
        is_space = arr[:, 2].astype(bool)
        newline = np.zeros(n_tok, dtype=bool)
        for i in np.flatnonzero(is_space):
            newline[i] = "\n" in doc[int(i)].text
        enders = _member(orth, self._sentence_end_ids) | newline
        is_punct = arr[:, 1].astype(bool)
        space_after = arr[:, 9].astype(bool)
        space_before = np.zeros(n_tok, dtype=bool)
        space_before[1:] = space_after[:-1] | is_space[:-1]
        prev_newline = np.zeros(n_tok, dtype=bool)
        prev_newline[1:] = newline[:-1]
        # A closing quote or bracket right after the full stop ('here." Next') still
        # belongs to the sentence it closes: the sentence ends after the mark.
        closing = is_punct & ~space_before & ~enders
        ends = enders.copy()
        ends[1:] |= closing[1:] & enders[:-1]
        start = np.zeros(n_tok, dtype=bool)
        start[0] = True
        start[1:] = ends[:-1] & ~ends[1:]
        # Other marks stay with the sentence they follow, unless a line break came
        # first (a bullet) or the mark opens a sentence ('"Quoted' or '(The': a space
        # before it, none after, and a capital next).
        capital_next = np.zeros(n_tok, dtype=bool)
        capital_next[:-1] = (arr[1:, 5] == 1) | (arr[1:, 6] == 1)
        opening = is_punct & capital_next & space_before & ~space_after
        start[1:] &= ~(is_punct[1:] & ~ends[1:] & ~prev_newline[1:] & ~opening[1:])
        if body_start:
            idx = arr[:, 7]
            first_body = int(np.searchsorted(idx, body_start))
            if 0 < first_body < n_tok:
                start[first_body] = True
        # Lower-case continuation after an abbreviation ("e.g. the", "Dr. Aminah") is
        # not a new sentence: require the next token to be capitalised, a digit or a
        # bullet-like mark, unless a newline separated them.
        title = arr[:, 5].astype(bool) | arr[:, 6].astype(bool) | arr[:, 3].astype(bool)
        soft = start & ~title & ~prev_newline & ~arr[:, 1].astype(bool)
        soft[0] = False
        start &= ~soft
        start[0] = True
        return start

    def _named_outputs(
        self,
        doc: Doc,
        lower: npt.NDArray[np.uint64],
        arr: npt.NDArray[Any],
        tok_sent: npt.NDArray[np.int64],
        is_year: npt.NDArray[np.bool_],
    ) -> list[tuple[int, int, int]]:
        """Runs of capitalised tokens that contain an output head noun.

        "AI Technology Action Plan 2026–2030", "Garis Panduan Etika AI",
        "Code of Practice for AI Procurement": capitalised words, joined by
        small connectors, with an optional year range at the end.
        """
        cap = (arr[:, 5] == 1) | (arr[:, 6] == 1) | is_year
        conn = _member(lower, self._connector_ids)
        join = np.zeros_like(cap)
        join[1:-1] = conn[1:-1] & cap[:-2] & cap[2:] & (tok_sent[:-2] == tok_sent[2:])
        run = cap | join
        head = _member(lower, self._head_ids) & (arr[:, 5] == 1)
        if not head.any():
            return []
        edges = np.diff(np.concatenate(([0], run.astype(np.int8), [0])))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        found: list[tuple[int, int, int]] = []
        for s, e in zip(starts, ends, strict=True):
            if e - s < 2 or not head[s:e].any():
                continue
            # A run may cross a sentence boundary; keep the part in the head's sentence.
            h = s + int(np.flatnonzero(head[s:e])[0])
            while s < h and tok_sent[s] != tok_sent[h]:
                s += 1
            while e - 1 > h and tok_sent[e - 1] != tok_sent[h]:
                e -= 1
            if e - s < 2:
                continue
            span = doc[s:e]
            found.append((int(tok_sent[h]), span.start_char, span.end_char))
        return found


def _empty_analysis(text: str, body_start: int, lang: str, n_dense: int) -> Analysis:
    empty = np.zeros(0, dtype=np.int64)
    return Analysis(
        text=text,
        body_start=body_start,
        language=lang,
        sent_bounds=np.zeros((0, 2), dtype=np.int64),
        ngram_ids=empty,
        ngram_counts=np.zeros(0, dtype=np.float64),
        ngram_inverse=empty,
        ngram_sent=empty,
        sent_counts=np.zeros((0, n_dense), dtype=np.float64),
        named_outputs=(),
        agencies=(),
        title_naio=False,
    )


def iter_sentences(analysis: Analysis) -> Iterable[tuple[int, int, int]]:
    """(index, start, end) of each sentence in the body, offsets relative to the body."""
    for i, (s, e) in enumerate(analysis.sent_bounds):
        if s >= analysis.body_start:
            yield i, int(s) - analysis.body_start, int(e) - analysis.body_start
