"""The spaCy stage: language routing, sentences, cue matching and features.

A document becomes an :class:`Analysis`: its tokens' hashed n-gram ids, the
sentence each token belongs to, and a per-sentence matrix of cue counts
(NAIO named, release verbs, intention, citation, named outputs, specifics,
domain topics and their co-occurrences). The classifier turns that into one
feature row; keeping the per-sentence matrix lets it say which sentences moved
each decision without re-running anything.

Everything runs on blank spaCy pipelines (the ``en`` and ``ms`` tokenizers)
and a ``PhraseMatcher``; no model is downloaded. Sentence boundaries are rules
over token arrays rather than spaCy's per-token sentencizer. Documents are
analysed a batch at a time: after tokenizing and matching, each step works on
the batch's tokens end to end (:class:`AnalysisBatch`), which is what keeps
the stage close to tokenizer speed.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import spacy
from spacy.attrs import IDX, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer

from ._memory import release_free_memory
from .dates import MONTHS_EN, MONTHS_MS
from .language import detect_languages

__all__ = ["Analysis", "AnalysisBatch", "TextAnalyzer", "dense_feature_names"]


N_HASH = 1 << 18
_BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)

# month names and abbreviations, English and Malay (defined once, in dates.py)
_MONTHS = sorted({*MONTHS_EN, *MONTHS_MS})
_YEAR = re.compile(r"^(19|20)\d\d$")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
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
    # the patterns real reporting bends the tests with (issue 13)
    "s_naio_colead": ("naio", "colead"),
    "s_naio_agent_by": ("naio", "agent_by"),
    "s_naio_coord_release": ("naio_coord", "release"),
    "s_naio_pending": ("naio", "pending"),
    "s_release_pending": ("release", "pending"),
    "s_output_pending": ("named_output", "pending"),
    "s_naio_release_clean": ("naio", "release", "clean"),
    "s_naio_release_own_specific": ("naio", "release", "own_specific"),
    "s_release_own_specific": ("release", "own_specific"),
    "s_output_own_specific": ("named_output", "own_specific"),
    "s_ref_release": ("naio_ref", "release"),
    "s_ref_release_output": ("naio_ref", "release", "named_output"),
}
# Derived per-sentence counts. ``own_specific``: numbers, dates, money or deadlines
# not beside a word that gives the number to something else (a ranking, a survey,
# a budget line); ``other_number``: numbers that are. ``naio_coord``: NAIO named in a
# coordination list ("MDEC, NAIO and UM", "bersama NAIO"). ``topic_list``: a sentence
# that names three or more domains, or two in a list ("covering ethics, talent"): a
# mandate list, not a topic (codebook R4).
_DERIVED = (
    "named_output",
    "number",
    "date",
    "specific",
    "own_specific",
    "other_number",
    "naio_coord",
    "topic_list",
)


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


# Bit flags of the per-word table.
_PUNCT, _SPACE, _NUM, _TITLE, _UPPER = 1, 2, 4, 8, 16
_NEWLINE, _YEAR_FLAG, _MONTH, _CONNECTOR, _HEAD, _SENT_END = 32, 64, 128, 256, 512, 1024
_LIST_SEP = 2048  # a word that joins the items of a list: "," "and" "dan" "&" "serta"
_LIST_SEPS = frozenset({",", "and", "dan", "&", "serta", "with", "dengan", "bersama", "/"})
_SENT_END_MARKS = frozenset({".", "!", "?", "...", "…"})
_KEY_STRIDE = 1 << 40  # > any character offset: (document, offset) as one sortable key


class _WordTable:
    """What the analysis needs about each distinct word, looked up by orth id.

    ``Doc.to_array`` pays per attribute and token (ten attributes cost 73 µs a
    300-word document, three 15 µs), so only ORTH and IDX are read; the
    lexical attributes (lower form, length, punctuation, case, number-likeness,
    and membership of the month, connector and output-head lists) are worked
    out once per distinct word. They live in an open-addressed array indexed by
    the low bits of the orth hash (one gather per attribute for a whole batch),
    with a small sorted overflow for words whose slot was already taken.
    ``like_num`` is language-specific, so each language has its own table.

    It pays on text with new words: with a Python dict behind a lock in its
    place, classify_many did 10% fewer documents per CPU second over 10,000
    documents with 10% made-up words (``benchmarks/bench_speed_tricks.py``,
    median of three interleaved rounds on an idle machine; 2-11% in each round).
    """

    SLOTS = 1 << 18
    #: words kept beyond the slots; past this, a word without a slot is described afresh
    MAX_OVERFLOW = 1 << 16

    def __init__(
        self, nlp: Language, months: Iterable[str], connectors: Iterable[str], heads: Iterable[str]
    ) -> None:
        self._vocab = nlp.vocab
        self._months = frozenset(months)
        self._connectors = frozenset(connectors)
        self._heads = frozenset(heads)
        self._mask = np.uint64(self.SLOTS - 1)
        self._keys = np.zeros(self.SLOTS, dtype=np.uint64)  # 0: empty slot
        self._lower = np.zeros(self.SLOTS, dtype=np.uint64)
        self._length = np.zeros(self.SLOTS, dtype=np.int64)
        self._flags = np.zeros(self.SLOTS, dtype=np.int64)
        self._lock = threading.Lock()
        # words whose slot is taken: (sorted orth ids, values); replaced whole
        self._overflow = (np.zeros(0, dtype=np.uint64), np.zeros((0, 3), dtype=np.uint64))

    def rebind(self, vocab: Any) -> None:
        """Describe new words from ``vocab`` (a rebuilt pipeline's); known words keep
        their values, which depend only on the word's text."""
        self._vocab = vocab

    def lookup(self, orth: npt.NDArray[np.uint64]) -> tuple[Any, Any, Any]:
        """(lower ids, lengths, flags) for each orth id."""
        slot = (orth & self._mask).astype(np.intp)
        # Keys first: a slot, once keyed, never changes, and its values were written
        # before its key, so a key seen here vouches for the values read next.
        miss = np.flatnonzero(np.take(self._keys, slot) != orth)
        lower = np.take(self._lower, slot)
        length = np.take(self._length, slot)
        flags = np.take(self._flags, slot)
        if miss.size:
            values = self._lookup_slow(orth[miss])
            lower[miss] = values[:, 0]
            length[miss] = values[:, 1]
            flags[miss] = values[:, 2]
        return lower, length, flags

    def _lookup_slow(self, orth: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
        """Values for words not in their slot: the overflow first, without the lock.

        The overflow is replaced whole, never changed in place, so one read of
        it is a consistent snapshot; only words in neither place are described,
        and one writer at a time does that (the free-slot test and the writes
        must not interleave).
        """
        keys, stored = self._overflow
        if keys.size:
            pos = np.minimum(np.searchsorted(keys, orth), keys.size - 1)
            known = keys[pos] == orth
            if known.all():
                return stored[pos]
            values = np.empty((orth.size, 3), dtype=np.uint64)
            values[known] = stored[pos[known]]
            new = np.flatnonzero(~known)
            with self._lock:
                values[new] = self._insert(orth[new])
            return values
        with self._lock:
            return self._insert(orth)

    def _insert(self, orth: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
        """Values for words not in a slot: from the overflow, or described and stored."""
        uniq, inverse = np.unique(orth, return_inverse=True)
        values = np.zeros((uniq.size, 3), dtype=np.uint64)
        keys, stored = self._overflow
        known = np.zeros(uniq.size, dtype=bool)
        if keys.size:
            pos = np.minimum(np.searchsorted(keys, uniq), keys.size - 1)
            known = keys[pos] == uniq
            values[known] = stored[pos[known]]
        new = np.flatnonzero(~known)
        if new.size:
            values[new] = self._describe(uniq[new])
            slot = (uniq[new] & self._mask).astype(np.intp)
            free = self._keys[slot] == 0
            _, first = np.unique(slot, return_index=True)
            take = np.zeros(new.size, dtype=bool)
            take[first] = True
            take &= free
            # values before keys: a reader that sees the key sees its values
            taken = values[new[take]]
            self._lower[slot[take]] = taken[:, 0]
            self._length[slot[take]] = taken[:, 1]
            self._flags[slot[take]] = taken[:, 2]
            self._keys[slot[take]] = uniq[new[take]]
            spill = new[~take]
            if spill.size and keys.size < self.MAX_OVERFLOW:
                all_keys = np.concatenate([keys, uniq[spill]])
                order = np.argsort(all_keys)
                self._overflow = (all_keys[order], np.concatenate([stored, values[spill]])[order])
        return values[inverse.ravel()]

    def _describe(self, orths: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
        rows = []
        for orth in orths.tolist():
            lex = self._vocab[orth]
            text, low = lex.orth_, lex.lower_
            flags = (
                _PUNCT * lex.is_punct
                | _SPACE * lex.is_space
                | _NUM * lex.like_num
                | _TITLE * lex.is_title
                | _UPPER * lex.is_upper
                | _NEWLINE * (lex.is_space and "\n" in text)
                | _YEAR_FLAG * bool(lex.like_num and _YEAR.match(text))
                | _MONTH * (low in self._months)
                | _CONNECTOR * (low in self._connectors)
                | _HEAD * (low in self._heads)
                | _SENT_END * (text in _SENT_END_MARKS)
                | _LIST_SEP * (low in _LIST_SEPS)
            )
            rows.append((lex.lower, len(text), flags))
        return np.array(rows, dtype=np.uint64).reshape(-1, 3)


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


@dataclass(frozen=True, slots=True)
class AnalysisBatch:
    """The analyses of several documents, stored end to end.

    Document ``i`` owns sentences ``sent_off[i]:sent_off[i+1]``, n-gram buckets
    ``ngram_off[i]:ngram_off[i+1]`` and occurrences ``occ_off[i]:occ_off[i+1]``;
    ``occ_inverse`` and ``occ_sent`` index the batch-wide arrays. The classifier
    works on whole batches so that numpy's per-call cost is paid per batch, not
    per document; :meth:`doc` gives one document's :class:`Analysis`.
    """

    texts: tuple[str, ...]
    body_starts: npt.NDArray[np.int64]
    languages: tuple[str, ...]
    title_naio: npt.NDArray[np.bool_]
    sent_off: npt.NDArray[np.int64]
    sent_bounds: npt.NDArray[np.int64]
    sent_counts: npt.NDArray[np.float64]
    ngram_off: npt.NDArray[np.int64]
    ngram_ids: npt.NDArray[np.int64]
    ngram_counts: npt.NDArray[np.float64]
    occ_off: npt.NDArray[np.int64]
    occ_inverse: npt.NDArray[np.int64]
    occ_sent: npt.NDArray[np.int64]
    named_outputs: tuple[tuple[tuple[int, int, int], ...], ...]
    agencies: tuple[tuple[tuple[int, str], ...], ...]

    def __len__(self) -> int:
        return len(self.texts)

    def sent_doc(self) -> npt.NDArray[np.int64]:
        """The document of each sentence."""
        return np.repeat(np.arange(len(self.texts)), np.diff(self.sent_off))

    def doc(self, i: int) -> Analysis:
        s0, s1 = int(self.sent_off[i]), int(self.sent_off[i + 1])
        u0, u1 = int(self.ngram_off[i]), int(self.ngram_off[i + 1])
        o0, o1 = int(self.occ_off[i]), int(self.occ_off[i + 1])
        return Analysis(
            text=self.texts[i],
            body_start=int(self.body_starts[i]),
            language=self.languages[i],
            sent_bounds=self.sent_bounds[s0:s1],
            ngram_ids=self.ngram_ids[u0:u1],
            ngram_counts=self.ngram_counts[u0:u1],
            ngram_inverse=self.occ_inverse[o0:o1] - u0,
            ngram_sent=self.occ_sent[o0:o1] - s0,
            sent_counts=self.sent_counts[s0:s1],
            named_outputs=self.named_outputs[i],
            agencies=self.agencies[i],
            title_naio=bool(self.title_naio[i]),
        )

    @classmethod
    def from_analyses(cls, analyses: Sequence[Analysis], n_dense: int) -> AnalysisBatch:
        """Put single analyses end to end (training reads them this way)."""

        def offsets(sizes: Iterable[int]) -> npt.NDArray[np.int64]:
            return np.concatenate([[0], np.cumsum(np.fromiter(sizes, dtype=np.int64))]).astype(
                np.int64
            )

        sent_off = offsets(a.n_sentences for a in analyses)
        ngram_off = offsets(a.ngram_ids.size for a in analyses)
        occ_off = offsets(a.ngram_inverse.size for a in analyses)
        occ_doc = np.repeat(np.arange(len(analyses)), np.diff(occ_off))

        def cat(arrays: list[Any], dtype: Any, shape: tuple[int, ...] = (0,)) -> Any:
            return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(shape, dtype)

        return cls(
            texts=tuple(a.text for a in analyses),
            body_starts=np.array([a.body_start for a in analyses], dtype=np.int64),
            languages=tuple(a.language for a in analyses),
            title_naio=np.array([a.title_naio for a in analyses], dtype=bool),
            sent_off=sent_off,
            sent_bounds=cat([a.sent_bounds for a in analyses], np.int64, (0, 2)),
            sent_counts=cat([a.sent_counts for a in analyses], np.float64, (0, n_dense)),
            ngram_off=ngram_off,
            ngram_ids=cat([a.ngram_ids for a in analyses], np.int64),
            ngram_counts=cat([a.ngram_counts for a in analyses], np.float64),
            occ_off=occ_off,
            occ_inverse=cat([a.ngram_inverse for a in analyses], np.int64) + ngram_off[occ_doc],
            occ_sent=cat([a.ngram_sent for a in analyses], np.int64) + sent_off[occ_doc],
            named_outputs=tuple(a.named_outputs for a in analyses),
            agencies=tuple(a.agencies for a in analyses),
        )


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
                nlp = spacy.blank(lang)
                # done once here: a trained model saves the pruned rules with its tokenizer
                _drop_idle_special_cases(nlp)
                self.pipelines[lang] = nlp
        for nlp in self.pipelines.values():
            _widen_tokenizer_cache(nlp)
        self.feature_names = dense_feature_names(lexicon)
        self._col = {name: i for i, name in enumerate(self.feature_names)}
        self._matchers = {lang: self._build_matcher(nlp) for lang, nlp in self.pipelines.items()}
        heads = {h for hs in lexicon["output_heads"].values() for h in hs}
        self._words = {
            lang: _WordTable(nlp, _MONTHS, _CONNECTORS, heads)
            for lang, nlp in self.pipelines.items()
        }
        names = sorted((n.lower() for n in lexicon["cues"]["naio"]), key=len, reverse=True)
        self._naio_in_title = re.compile("|".join(map(re.escape, names)))
        self._zone_lock = threading.Lock()
        self._strings_at_build = {
            lang: len(nlp.vocab.strings) for lang, nlp in self.pipelines.items()
        }
        # each pipeline as loaded, to rebuild it from when its lexeme index has grown
        self._pristine = {lang: nlp.to_bytes() for lang, nlp in self.pipelines.items()}
        self._lexemes_at_build = {lang: len(nlp.vocab) for lang, nlp in self.pipelines.items()}
        #: pipelines rebuilt so far (see :meth:`bounded_memory`)
        self.rebuilds = 0
        #: run every batch in a memory zone from the start (tests compare both ways)
        self.always_zone = False
        #: batches run in a memory zone so far (every TRIM_EVERY-th gives memory back)
        self._zoned_batches = 0

    @contextlib.contextmanager
    def bounded_memory(self) -> Iterator[None]:
        """Keep what a batch adds to spaCy's vocabulary only until the batch is done.

        spaCy keeps every new string and lexeme for the life of the process
        (about 660 bytes a word; news never stops bringing new names). Until a
        pipeline has added :data:`WARM_STRINGS` new strings it runs normally, so
        its tokenizer's cache fills with the common chunks; after that every
        batch runs in a spaCy memory zone, which frees the batch's new
        words when it ends (and caches none of them), so memory stays flat
        however long the run. Labels are the same either way: zones change what
        is remembered, not how text is split. One batch at a time may be in a
        zone, hence the lock.

        A zone frees its lexemes but spaCy's lexeme index keeps a slot for each
        (``len(vocab)`` counts them), so after :data:`REBUILD_LEXEMES` of them a
        pipeline is rebuilt from the bytes it was loaded with: same rules, same
        splits, a fresh index; the cache then warms up again.
        """
        with self._zone_lock:
            if self._rebuild_grown_pipelines():
                release_free_memory()  # the old pipelines' pages, not only their objects
            zoned = False
            with contextlib.ExitStack() as stack:
                for lang, nlp in self.pipelines.items():
                    grown = len(nlp.vocab.strings) - self._strings_at_build[lang]
                    if grown >= WARM_STRINGS or self.always_zone:
                        stack.enter_context(nlp.memory_zone())
                        zoned = True
                yield
            if zoned:
                self._zoned_batches += 1
                if self._zoned_batches % TRIM_EVERY == 0:
                    release_free_memory()

    def _rebuild_grown_pipelines(self) -> bool:
        """Rebuild every pipeline whose lexeme index has grown too much; True if any was."""
        rebuilt = False
        for lang, nlp in list(self.pipelines.items()):
            if len(nlp.vocab) - self._lexemes_at_build[lang] < REBUILD_LEXEMES:
                continue
            fresh = saved_tokenizer_pipeline(lang, data=self._pristine[lang])
            _widen_tokenizer_cache(fresh)
            self.pipelines[lang] = fresh
            self._matchers[lang] = self._build_matcher(fresh)
            self._words[lang].rebind(fresh.vocab)
            self._lexemes_at_build[lang] = len(fresh.vocab)
            self._strings_at_build[lang] = len(fresh.vocab.strings)
            self.rebuilds += 1
            rebuilt = True
        return rebuilt

    def _build_matcher(
        self, nlp: Language
    ) -> tuple[PhraseMatcher, npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
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
        ids = np.array(sorted(column_of), dtype=np.uint64)
        cols = np.array([column_of[int(i)] for i in ids], dtype=np.int64)
        return matcher, ids, cols

    def analyse(
        self, texts: Sequence[str], titles: Sequence[str], languages: Sequence[str | None]
    ) -> list[Analysis]:
        """One :class:`Analysis` per document, in input order."""
        out: list[Analysis | None] = [None] * len(texts)
        for idx, batch in self.analyse_batches(texts, titles, languages):
            for j, i in enumerate(idx):
                out[i] = batch.doc(j)
        return [a for a in out if a is not None]

    def analyse_batches(
        self, texts: Sequence[str], titles: Sequence[str], languages: Sequence[str | None]
    ) -> list[tuple[list[int], AnalysisBatch]]:
        """Analyse a batch: one :class:`AnalysisBatch` per language, with input positions.

        A language given as ``"en"`` or ``"ms"`` is trusted; otherwise
        :func:`~naio_nlp.language.detect_languages` decides from the first characters.
        """
        joined = [f"{t}\n\n{x}" if t else x for t, x in zip(titles, texts, strict=True)]
        todo = [i for i, lang in enumerate(languages) if lang not in ("en", "ms")]
        langs = list(languages)
        for i, lang in zip(todo, detect_languages([joined[i] for i in todo]), strict=True):
            langs[i] = lang
        out = []
        for lang in self.pipelines:
            idx = [i for i, lg in enumerate(langs) if lg == lang]
            if idx:
                body_starts = [len(titles[i]) + 2 if titles[i] else 0 for i in idx]
                out.append((idx, self._analyse(lang, [joined[i] for i in idx], body_starts)))
        return out

    def _analyse(self, lang: str, texts: list[str], body_starts: list[int]) -> AnalysisBatch:
        """The whole spaCy stage for documents of one language, vectorised over the batch."""
        nlp = self.pipelines[lang]
        matcher, match_ids, match_cols = self._matchers[lang]
        n_docs, n_dense = len(texts), len(self.feature_names)
        tokenizer: Any = nlp.tokenizer  # a spacy Tokenizer; typed as a plain callable
        try:
            docs = list(tokenizer.pipe(texts))
        except UnicodeEncodeError:
            # a lone surrogate (from badly decoded input) cannot be hashed by spaCy; it
            # becomes U+FFFD, one character for one, so every offset still holds
            texts = [_LONE_SURROGATE.sub("\ufffd", t) for t in texts]
            docs = list(tokenizer.pipe(texts))
        attrs = [ORTH, IDX]  # a trailing space is read off the offsets below, for free
        arr = np.concatenate([d.to_array(attrs) for d in docs])
        found: list[tuple[int, int, int]] = []
        n_found = np.zeros(n_docs, dtype=np.int64)
        for i, d in enumerate(docs):
            matches = matcher(d)
            found.extend(matches)
            n_found[i] = len(matches)
        n_tok = np.fromiter((len(d) for d in docs), dtype=np.int64, count=n_docs)
        del docs
        tok_off = np.concatenate([[0], np.cumsum(n_tok)]).astype(np.int64)
        n_all = int(tok_off[-1])
        bstart = np.array(body_starts, dtype=np.int64)
        if n_all == 0:
            return _empty_batch(texts, bstart, lang, n_dense)

        orth = arr[:, 0]
        char_idx = arr[:, 1].astype(np.int64)
        lower, length, flags = self._words[lang].lookup(orth)
        is_punct = (flags & _PUNCT) != 0
        is_space = (flags & _SPACE) != 0
        like_num = (flags & _NUM) != 0
        is_title = (flags & _TITLE) != 0
        capital = is_title | ((flags & _UPPER) != 0)
        is_year = (flags & _YEAR_FLAG) != 0
        doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), n_tok)
        nonempty = n_tok > 0
        first = np.zeros(n_all, dtype=bool)
        first[tok_off[:-1][nonempty]] = True
        last = np.zeros(n_all, dtype=bool)
        last[tok_off[1:][nonempty] - 1] = True
        text_len = np.fromiter(map(len, texts), dtype=np.int64, count=n_docs)
        space_after = _space_after(char_idx, length, last, text_len[doc_of])

        def prev(x: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
            out = np.zeros_like(x)
            out[1:] = x[:-1]
            out[first] = False
            return out

        def nxt(x: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
            out = np.zeros_like(x)
            out[:-1] = x[1:]
            out[last] = False
            return out

        # -- sentences
        # the title is a sentence of its own: the body's first token starts one
        titled = np.flatnonzero((bstart > 0) & nonempty)
        key = doc_of * _KEY_STRIDE + char_idx
        pos = np.searchsorted(key, titled * _KEY_STRIDE + bstart[titled])
        local = pos - tok_off[titled]
        body_first = pos[(local > 0) & (local < n_tok[titled])]
        start = _sentence_starts(
            flags, is_punct, is_space, capital | like_num, space_after, body_first, prev, nxt
        )
        start[first] = True
        tok_sent = np.cumsum(start) - 1
        starts_tok = np.flatnonzero(start)
        n_sent = starts_tok.size
        sent_off = np.searchsorted(doc_of[starts_tok], np.arange(n_docs + 1)).astype(np.int64)
        next_start = np.append(starts_tok[1:], n_all)
        # End a sentence at its last non-space token, so offsets hold no trailing breaks.
        non_space_idx = np.where(is_space, -1, np.arange(n_all))
        ends_tok = np.maximum(np.maximum.accumulate(non_space_idx)[next_start - 1], starts_tok)
        bounds = np.stack([char_idx[starts_tok], char_idx[ends_tok] + length[ends_tok]], axis=1)

        # -- cue counts per sentence
        counts = np.zeros((n_sent, n_dense), dtype=np.float64)
        agencies: list[list[tuple[int, str]]] = [[] for _ in range(n_docs)]
        if found:
            m = np.fromiter(chain.from_iterable(found), np.uint64, 3 * len(found)).reshape(-1, 3)
            m_doc = np.repeat(np.arange(n_docs, dtype=np.int64), n_found)
            m_start = m[:, 1].astype(np.int64) + tok_off[m_doc]
            m_end = m[:, 2].astype(np.int64) + tok_off[m_doc]
            m_col = match_cols[np.searchsorted(match_ids, m[:, 0])]
            m_sent = tok_sent[m_start]
            flat = np.bincount(m_sent * n_dense + m_col, minlength=n_sent * n_dense)
            counts += flat.reshape(n_sent, n_dense)
            for j in np.flatnonzero(m_col == self._col["cue:agency"]).tolist():
                d, s, e = int(m_doc[j]), int(m_start[j]), int(m_end[j]) - 1
                text = texts[d][char_idx[s] : char_idx[e] + length[e]]
                agencies[d].append((int(m_sent[j] - sent_off[d]), text))

        # -- derived per-sentence counts: numbers, dates, named outputs
        col = self._col
        is_month = (flags & _MONTH) != 0
        counts[:, col["x:number"]] = np.bincount(tok_sent[like_num & ~is_year], minlength=n_sent)
        counts[:, col["x:date"]] = np.bincount(tok_sent[is_month | is_year], minlength=n_sent)
        # the tokens of a body's name (NAIO's, an agency's): "the National AI Office plan"
        # names no output
        owned = np.zeros(n_all + 1, dtype=np.int64)
        if found:
            body = (m_col == col["cue:naio"]) | (m_col == col["cue:agency"])
            np.add.at(owned, m_start[body], 1)
            np.add.at(owned, m_end[body], -1)
        outputs = _named_outputs(
            flags,
            capital | is_year,
            is_title,
            tok_sent,
            starts_tok,
            next_start,
            prev,
            nxt,
            np.cumsum(owned[:-1]) > 0,
        )
        counts[:, col["x:named_output"]] = np.bincount(outputs[:, 0], minlength=n_sent)
        if found:
            self._add_number_owners(counts, like_num & ~is_year, tok_sent, m_start, m_end, m_col)
            self._add_naio_coordination(counts, flags, tok_sent, m_start, m_end, m_col, n_all)
        else:
            counts[:, col["x:own_specific"]] = 0.0
        self._add_combinations(counts)

        kept = np.flatnonzero(~(is_punct | is_space))
        grams = _hashed_ngrams(lower[kept], tok_sent[kept], doc_of[kept], n_docs)

        named: list[list[tuple[int, int, int]]] = [[] for _ in range(n_docs)]
        for s, a, b in outputs.tolist():
            d = int(doc_of[starts_tok[s]])
            named[d].append((s - int(sent_off[d]), int(char_idx[a]), int(char_idx[b] + length[b])))
        title_naio = np.array(
            [
                bs > 0 and self._naio_in_title.search(t[: bs - 2].lower()) is not None
                for t, bs in zip(texts, body_starts, strict=True)
            ],
            dtype=bool,
        )
        return AnalysisBatch(
            texts=tuple(texts),
            body_starts=bstart,
            languages=(lang,) * n_docs,
            title_naio=title_naio,
            sent_off=sent_off,
            sent_bounds=bounds.astype(np.int64),
            sent_counts=counts,
            **grams,
            named_outputs=tuple(tuple(x) for x in named),
            agencies=tuple(tuple(x) for x in agencies),
        )

    def _add_number_owners(
        self,
        counts: npt.NDArray[np.float64],
        number: npt.NDArray[np.bool_],
        tok_sent: npt.NDArray[np.int64],
        m_start: npt.NDArray[np.int64],
        m_end: npt.NDArray[np.int64],
        m_col: npt.NDArray[np.int64],
    ) -> None:
        """Count numbers that sit within four tokens of a word giving them to something else.

        "ranked 23rd in the index", "62 per cent of respondents", "a RM50 million
        allocation": the number belongs to the ranking, the survey or the budget,
        not to the output the sentence may also name.
        """
        col = self._col
        other = m_col == col["cue:other_number"]
        n_tok = number.size
        mark = np.zeros(n_tok + 1, dtype=np.int64)
        if other.any():
            np.add.at(mark, np.maximum(m_start[other] - 4, 0), 1)
            np.add.at(mark, np.minimum(m_end[other] + 4, n_tok), -1)
        near = np.cumsum(mark[:-1]) > 0
        n_sent = counts.shape[0]
        counts[:, col["x:other_number"]] = np.bincount(tok_sent[number & near], minlength=n_sent)

    def _add_naio_coordination(
        self,
        counts: npt.NDArray[np.float64],
        flags: npt.NDArray[np.int64],
        tok_sent: npt.NDArray[np.int64],
        m_start: npt.NDArray[np.int64],
        m_end: npt.NDArray[np.int64],
        m_col: npt.NDArray[np.int64],
        n_all: int,
    ) -> None:
        """Count NAIO mentions that are items of a list: a list word right before or after.

        "co-led by MDEC and NAIO", "NAIO, MOSTI and two universities", "bersama
        NAIO": one of several agents of the act. Two tokens before ("and the
        National AI Office") and one after are looked at, within the sentence.
        """
        col = self._col
        naio = np.flatnonzero(m_col == col["cue:naio"])
        if not naio.size:
            return
        sep = (flags & _LIST_SEP) != 0
        s, e = m_start[naio], m_end[naio]  # e is one past the mention's last token
        sent = tok_sent[s]
        hit = np.zeros(naio.size, dtype=bool)
        for at in (s - 1, s - 2, e):
            ok = (at >= 0) & (at < n_all)
            pos = np.clip(at, 0, n_all - 1)
            hit |= ok & sep[pos] & (tok_sent[pos] == sent)
        counts[:, col["x:naio_coord"]] = np.bincount(sent[hit], minlength=counts.shape[0])

    def _add_combinations(self, counts: npt.NDArray[np.float64]) -> None:
        """Fill the columns built from others: specifics and the co-occurrence flags."""
        col = self._col
        counts[:, col["x:specific"]] = (
            counts[:, col["x:number"]]
            + counts[:, col["x:date"]]
            + counts[:, col["cue:money"]]
            + counts[:, col["cue:deadline"]]
        )
        counts[:, col["x:own_specific"]] = np.maximum(
            counts[:, col["x:specific"]] - counts[:, col["x:other_number"]], 0.0
        )
        domain_cols = [col[f"domain:{d}"] for d in self.lexicon["domains"]]
        n_topics = (counts[:, domain_cols] > 0).sum(axis=1)
        listed = (counts[:, col["cue:list_intro"]] > 0) & (n_topics >= 2)
        counts[:, col["x:topic_list"]] = (n_topics >= 3) | listed
        present = {
            "naio": counts[:, col["cue:naio"]] > 0,
            # a release verb in a sentence about NAIO's own founding does not count
            "release": (counts[:, col["cue:release"]] > 0)
            & (counts[:, col["cue:establishment"]] == 0),
            "intention": counts[:, col["cue:intention"]] > 0,
            "citation": counts[:, col["cue:citation"]] > 0,
            "footer": counts[:, col["cue:footer"]] > 0,
            "agency": counts[:, col["cue:agency"]] > 0,
            "named_output": counts[:, col["x:named_output"]] > 0,
            "specific": counts[:, col["x:specific"]] > 0,
            "own_specific": counts[:, col["x:own_specific"]] > 0,
            "naio_ref": counts[:, col["cue:naio_ref"]] > 0,
            "colead": (counts[:, col["cue:colead"]] > 0) | (counts[:, col["x:naio_coord"]] > 0),
            "agent_by": counts[:, col["cue:agent_by"]] > 0,
            "naio_coord": counts[:, col["x:naio_coord"]] > 0,
            "pending": counts[:, col["cue:pending"]] > 0,
        }
        present["clean"] = ~(
            present["intention"] | present["pending"] | present["citation"] | present["footer"]
        )
        for name, needs in _COOC.items():
            counts[:, col[f"co:{name}"]] = np.logical_and.reduce([present[k] for k in needs])
        for t in self.lexicon["types"]:
            has_type = counts[:, col[f"type:{t}"]] > 0
            counts[:, col[f"co:naio_type:{t}"]] = has_type & present["naio"]
            counts[:, col[f"co:release_type:{t}"]] = has_type & present["release"]


#: New strings a process adds before analysis runs in spaCy memory zones (see
#: :meth:`TextAnalyzer.bounded_memory`): enough for the common words to be cached.
WARM_STRINGS = 50_000

#: Lexemes a pipeline may add (and forget in memory zones) before it is rebuilt; each
#: leaves a slot in spaCy's lexeme index. At 300,000 a rebuild comes about every 10,000
#: documents of news with 10% new words and costs about a second; with 1,000,000 the
#: resident memory still grew 61 MB over 250,000 documents (benchmarks/bench_memory.py).
REBUILD_LEXEMES = 300_000

#: Zoned batches between two :func:`~naio_nlp._memory.release_free_memory` calls: what a
#: zone frees goes back to the allocator, and this hands its pages back to the OS.
TRIM_EVERY = 8

#: Whitespace-delimited chunks each tokenizer remembers; see :func:`_widen_tokenizer_cache`.
TOKENIZER_CACHE = 200_000


def _widen_tokenizer_cache(nlp: Language) -> None:
    """Let the tokenizer remember more chunks than spaCy's default 10,000.

    spaCy's tokenizer caches how it split each whitespace-delimited chunk, but
    only the first ``max_cache_size`` distinct ones; every chunk met after that
    goes through the prefix, suffix and infix expressions again, every time.
    A stream of news in two languages passes 10,000 chunks within a few hundred
    articles, and the uncached chunks then cost several times the cached ones
    (Malay text through the English tokenizer: about 1,000 µs a document instead
    of 210). 200,000 entries take a few tens of MB at most. On text with 10%
    new words, spaCy's 10,000 made classify_many 9% slower per CPU second
    (``benchmarks/bench_speed_tricks.py``, median of three rounds on an idle
    machine; 8% and 20% slower in two rounds, 2% faster in the first).
    """
    tokenizer: Any = nlp.tokenizer
    if hasattr(tokenizer, "max_cache_size"):  # spaCy before 3.8.? had no limit at all
        tokenizer.max_cache_size = max(tokenizer.max_cache_size, TOKENIZER_CACHE)


def saved_tokenizer_pipeline(
    lang: str, *, folder: Path | None = None, data: bytes = b""
) -> Language:
    """A blank ``lang`` pipeline whose tokenizer is the one saved in ``folder`` or ``data``.

    ``spacy.load`` first builds the tokenizer its config names, with all of the
    language's special cases (9,421 Malay ones), then replaces them with the
    saved ones: every case is checked and added twice, about 4 of the 8 seconds
    a model took to load. Here the pipeline starts with an empty tokenizer and
    takes rules, affixes and exceptions from what was saved, so each case is
    added once. The config still names spaCy's own tokenizer, so the pipeline
    saves and loads as before; the tokens are the same (a test compares them).
    """
    nlp = spacy.util.get_lang_class(lang)(create_tokenizer=lambda nlp: Tokenizer(nlp.vocab))
    if folder is not None:
        nlp.from_disk(folder)
    else:
        nlp.from_bytes(data)
    return nlp


def _drop_idle_special_cases(nlp: Language) -> None:
    """Remove the tokenizer's special cases that split their text as the rules would.

    spaCy never caches a chunk whose splitting met a special case, so "AI,"
    (where "AI" is one of the Malay exceptions) goes through the prefix and
    suffix expressions at every occurrence; the Malay ones run to thousands of
    characters. A special case whose own text the rules alone split into the
    same pieces changes no token boundary, only the NORM it sets, which the
    analysis never reads, so it is dropped: 1,228 of the 9,421 Malay and 78 of
    the 1,347 English ones. Tokens stay identical (a test checks it on the
    corpus; a review compared 4.8 million generated strings); a warm Malay
    tokenizer went from about 570 to 120 µs a document. On text with 10% new
    words, restoring all special cases made classify_many 6% slower per CPU
    second (``benchmarks/bench_speed_tricks.py``, median of three rounds on an
    idle machine; 9% and 16% slower in two rounds, 2% faster in one).

    The reasoning needs no ``token_match`` and no case text with an affix
    inside it (a prefix and a shorter suffix); spaCy's en and ms tokenizers
    have neither, and other tokenizers are left alone where it would not hold.
    """
    tokenizer: Any = nlp.tokenizer
    rules = tokenizer.rules or {}
    if not rules or tokenizer.token_match is not None:
        return
    plain = Tokenizer(
        nlp.vocab,
        rules={},
        prefix_search=tokenizer.prefix_search,
        suffix_search=tokenizer.suffix_search,
        infix_finditer=tokenizer.infix_finditer,
        token_match=tokenizer.token_match,
        url_match=tokenizer.url_match,
        faster_heuristics=tokenizer.faster_heuristics,
    )
    kept = {}
    for text, pieces in rules.items():
        # Only a case that keeps its text whole, and that the rules alone keep whole:
        # wherever splitting stops at it, splitting on finds nothing more. A case of
        # several pieces can meet another case inside a longer chunk ("°c" beside "c.").
        whole = len(pieces) == 1 and pieces[0].get(ORTH, pieces[0].get("ORTH")) == text
        if not (whole and _no_inner_affix(tokenizer, text) and len(plain(text)) == 1):
            kept[text] = pieces
    if len(kept) < len(rules):
        tokenizer.rules = kept


def _no_inner_affix(tokenizer: Any, text: str) -> bool:
    """No prefix or suffix found in ``text`` short of the whole of it."""
    for search in (tokenizer.prefix_search, tokenizer.suffix_search):
        found = search(text) if search is not None else None
        if found is not None and 0 < found.end() - found.start() < len(text):
            return False
    return True


def _space_after(
    char_idx: npt.NDArray[np.int64],
    length: npt.NDArray[np.int64],
    last: npt.NDArray[np.bool_],
    text_len: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """spaCy's ``SPACY`` flag (one " " follows the token), from the offsets alone.

    Tokens and their flags rebuild the text exactly, so the gap from a token's
    end to the next token's start (or, for a document's last token, the text's
    end; ``text_len`` is given per token) is 0 or 1. Reading the flag with
    ``Doc.to_array`` would cost about 5 µs a document.
    """
    following = np.empty(char_idx.size, dtype=np.int64)
    following[:-1] = char_idx[1:]
    following[last] = text_len[last]
    return following > char_idx + length


def _sentence_starts(
    flags: npt.NDArray[np.int64],
    is_punct: npt.NDArray[np.bool_],
    is_space: npt.NDArray[np.bool_],
    capital_or_digit: npt.NDArray[np.bool_],
    space_after: npt.NDArray[np.bool_],
    forced: npt.NDArray[np.int64],
    prev: Callable[[Any], Any],
    nxt: Callable[[Any], Any],
) -> npt.NDArray[np.bool_]:
    """Rule-based sentence starts over the tokens of a batch.

    A sentence ends after ``.``, ``!``, ``?`` or a line break; the next
    non-space token starts the next one. ``forced`` tokens (the first token of
    a body after its title) start one too. Working on arrays keeps this at
    tokenizer speed, which the per-token sentencizer is not. The caller marks
    each document's first token.
    """
    newline = (flags & _NEWLINE) != 0
    enders = ((flags & _SENT_END) != 0) | newline
    space_before = prev(space_after | is_space)
    prev_newline = prev(newline)
    # A closing quote or bracket right after the full stop ('here." Next') still
    # belongs to the sentence it closes: the sentence ends after the mark.
    closing = is_punct & ~space_before & ~enders
    ends = enders | (closing & prev(enders))
    start = prev(ends) & ~ends
    # Other marks stay with the sentence they follow, unless a line break came
    # first (a bullet) or the mark opens a sentence ('"Quoted' or '(The': a space
    # before it, none after, and a capital next).
    capital_next = nxt(((flags & _TITLE) != 0) | ((flags & _UPPER) != 0))
    opening = is_punct & capital_next & space_before & ~space_after
    start &= ~(is_punct & ~ends & ~prev_newline & ~opening)
    start[forced] = True
    # Lower-case continuation after an abbreviation ("e.g. the", "Dr. Aminah") is
    # not a new sentence: require the next token to be capitalised, a digit or a
    # bullet-like mark, unless a newline separated them.
    start &= capital_or_digit | prev_newline | is_punct
    out: npt.NDArray[np.bool_] = start
    return out


#: A lower-case head after a name counts ("the Padi Alert pilot").
_LOWER_HEADS: Final = True


def _named_outputs(
    flags: npt.NDArray[np.int64],
    cap: npt.NDArray[np.bool_],
    is_title: npt.NDArray[np.bool_],
    tok_sent: npt.NDArray[np.int64],
    starts_tok: npt.NDArray[np.int64],
    next_start: npt.NDArray[np.int64],
    prev: Callable[[Any], Any],
    nxt: Callable[[Any], Any],
    owned: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.int64]:
    """Runs of capitalised tokens that contain an output head noun.

    "AI Technology Action Plan 2026–2030", "Garis Panduan Etika AI",
    "Code of Practice for AI Procurement": capitalised words (or years), joined
    by small connectors, within one sentence. English news often writes the
    head in lower case after the name ("the AI for Policymakers initiative",
    "the Padi Alert pilot"): a lower-case head right after two or more words of
    a run counts, unless those words name a body (``owned``: NAIO, an agency).
    (Malay puts the head first, "program Titian Kerjaya"; read the same way, it
    did not help on held-out batches.)
    Returns (sentence, first token, last token) rows.
    """
    none = np.zeros((0, 3), dtype=np.int64)
    is_head = (flags & _HEAD) != 0
    head = is_head & is_title
    conn = (flags & _CONNECTOR) != 0
    join = np.zeros_like(cap)
    # sentence ids differ across documents, so a join never spans two of them
    join[1:-1] = conn[1:-1] & cap[:-2] & cap[2:] & (tok_sent[:-2] == tok_sent[2:])
    after_name = np.zeros_like(cap)
    if _LOWER_HEADS and cap.size > 2:
        free = ~owned if owned is not None else np.ones_like(cap)
        after_name[2:] = (
            is_head[2:]
            & ~is_title[2:]
            & ((flags[2:] & _UPPER) == 0)
            & cap[1:-1]
            & free[1:-1]
            & (cap[:-2] | join[:-2])
            & free[:-2]
            & (tok_sent[2:] == tok_sent[1:-1])
            & (tok_sent[1:-1] == tok_sent[:-2])
        )
        head = head | after_name
    if not head.any():
        return none
    run = cap | join | after_name
    starts = np.flatnonzero(run & ~prev(run))
    ends = np.flatnonzero(run & ~nxt(run)) + 1
    head_cum = np.concatenate([[0], np.cumsum(head)])
    ok = (ends - starts >= 2) & (head_cum[ends] > head_cum[starts])
    starts, ends = starts[ok], ends[ok]
    if not starts.size:
        return none
    # A run may cross a sentence boundary; keep the part in its first head's sentence.
    head_at = np.flatnonzero(head)
    h = head_at[np.searchsorted(head_at, starts)]
    sent = tok_sent[h]
    starts = np.maximum(starts, starts_tok[sent])
    ends = np.minimum(ends, next_start[sent])
    ok = ends - starts >= 2
    return np.stack([sent[ok], starts[ok], ends[ok] - 1], axis=1).astype(np.int64)


def _hashed_ngrams(
    ids: npt.NDArray[np.uint64],
    sent: npt.NDArray[np.int64],
    doc: npt.NDArray[np.int64],
    n_docs: int,
) -> dict[str, Any]:
    """Hashed unigrams and bigrams of the kept tokens, counted once per document.

    ``ids`` are the kept tokens' lower-case ids in order, ``sent`` and ``doc``
    their sentence and document. Each document's occurrences are its
    unigrams, then its bigrams (a bigram never spans two documents); returns
    the :class:`AnalysisBatch` fields for them.
    """
    per_doc = np.bincount(doc, minlength=n_docs)
    doc_start = np.concatenate([[0], np.cumsum(per_doc)])
    occ_off = np.concatenate([[0], np.cumsum(per_doc + np.maximum(per_doc - 1, 0))])
    occ_off = occ_off.astype(np.int64)
    bucket = np.empty(int(occ_off[-1]), dtype=np.int64)
    occ_sent = np.empty(int(occ_off[-1]), dtype=np.int64)
    local = np.arange(ids.size) - doc_start[doc]
    uni_at = occ_off[doc] + local
    bucket[uni_at] = ids % np.uint64(N_HASH)
    occ_sent[uni_at] = sent
    if ids.size > 1:
        pair = np.flatnonzero(doc[:-1] == doc[1:])
        mixed = ids[pair] * _BIGRAM_MIX ^ ids[pair + 1]
        big_at = occ_off[doc[pair]] + per_doc[doc[pair]] + local[pair]
        bucket[big_at] = mixed % np.uint64(N_HASH)
        occ_sent[big_at] = sent[pair + 1]
    occ_doc = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(occ_off))
    keys, inverse, occurrences = _unique_counts(occ_doc * N_HASH + bucket)
    return {
        "ngram_off": np.searchsorted(keys // N_HASH, np.arange(n_docs + 1)).astype(np.int64),
        "ngram_ids": keys % N_HASH,
        "ngram_counts": occurrences.astype(np.float64),
        "occ_off": occ_off,
        "occ_inverse": inverse,
        "occ_sent": occ_sent,
    }


def _unique_counts(
    keys: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``np.unique(keys, return_inverse=True, return_counts=True)`` for keys >= 0, faster.

    When a key and its position fit in 64 bits together, one plain sort of
    ``key << shift | position`` replaces the argsort (about three times slower)
    that ``np.unique`` needs for the inverse.
    """
    n = keys.size
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    shift = max(int(n - 1).bit_length(), 1)
    if int(keys.max()).bit_length() + shift <= 63:
        packed = np.sort((keys << shift) | np.arange(n, dtype=np.int64))
        sorted_keys = packed >> shift
        order = packed & ((1 << shift) - 1)
    else:
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(first.view(np.int8), dtype=np.int64) - 1
    counts = np.diff(np.append(starts, n))
    return sorted_keys[starts], inverse, counts


def _empty_batch(
    texts: list[str], body_starts: npt.NDArray[np.int64], lang: str, n_dense: int
) -> AnalysisBatch:
    """Documents without a single token: no sentences, no n-grams."""
    n = len(texts)
    zeros = np.zeros(n + 1, dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    return AnalysisBatch(
        texts=tuple(texts),
        body_starts=body_starts,
        languages=(lang,) * n,
        title_naio=np.zeros(n, dtype=bool),
        sent_off=zeros,
        sent_bounds=np.zeros((0, 2), dtype=np.int64),
        sent_counts=np.zeros((0, n_dense), dtype=np.float64),
        ngram_off=zeros,
        ngram_ids=empty,
        ngram_counts=np.zeros(0, dtype=np.float64),
        occ_off=zeros,
        occ_inverse=empty,
        occ_sent=empty,
        named_outputs=((),) * n,
        agencies=((),) * n,
    )
