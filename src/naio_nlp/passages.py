"""The codebook's three tests, read passage by passage.

Real reporting buries the output in paragraph six of a story about something
else, names NAIO as one of several leads, drafts plans in the passive ("is
being drafted") and sprinkles numbers that belong to rankings and budgets. A
decision over a whole document's words cannot tell which sentence carries
what, so each sentence, read with its neighbours, is scored for:

* **O**: a named output is in the passage;
* **S**: it happened, with specifics tied to that output;
* **R**: NAIO is an agent or co-agent of the act;
* **A**: all three hold in this passage (the codebook's ``artifact`` test).

A sentence's row is its hashed word 1-2-grams beside its cue counts (those of
:mod:`naio_nlp.features`, pattern cues included: coordination lists,
"together with", "bersama", passive and progressive intentions, numbers given
to something else), the largest of its two neighbours' counts, and where it
sits in the document. The artifact type is read off the best passage too, so
the type, the evidence shown and NAIO's role all come from one place.

The document-level decision reads :data:`AGGREGATES`, a few numbers per
document built from the passage scores (best A, best O+S+R, best R, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .features import AnalysisBatch
from .labels import DOMAINS

__all__ = [
    "AGGREGATES",
    "ALL_AGGREGATES",
    "CONTEXT",
    "DOMAIN_AGGREGATES",
    "PASSAGE_HEADS",
    "TESTS",
    "aggregates",
    "cue_rows",
    "passage_rows",
]

Float = npt.NDArray[np.float64]
Int = npt.NDArray[np.int64]

#: The passage scores, in column order.
TESTS = ("O", "S", "R", "A")
#: The sentence scores for each domain: does this sentence treat the topic (codebook R4)?
DOMAIN_TESTS = tuple(f"d:{d}" for d in DOMAINS)
#: Every passage head, in column order.
PASSAGE_HEADS = TESTS + DOMAIN_TESTS
#: Where a sentence sits, appended to its cue counts.
CONTEXT = (
    "ctx:title",
    "ctx:lead",
    "ctx:position",
    "ctx:doc_naio",
    "ctx:prev_naio",
    "ctx:next_naio",
    "ctx:title_naio",
    "ctx:naio_or_ref",
    "ctx:footer_after",
)
#: What the document-level status decision reads, per document.
AGGREGATES = (
    "agg:max_A",
    "agg:max_OSR",
    "agg:max_R",
    "agg:max_O",
    "agg:max_S",
    "agg:lead_A",
    "agg:second_A",
    "agg:has_naio",
    "agg:only_footer",
    "agg:title_naio",
    "agg:log_naio_sentences",
)
#: Per domain, the best sentence's score for that topic (read by that domain's head only).
DOMAIN_AGGREGATES = tuple(f"agg:{d}" for d in DOMAIN_TESTS)
ALL_AGGREGATES = AGGREGATES + DOMAIN_AGGREGATES
_N_SCORES = 7  # the aggregates that are scores (the rest are facts about NAIO's mentions)
_LEAD = 4  # sentences, title included, that make a report's lead
_CLIP = 12.0  # logits are clipped here before they are aggregated


def sentence_docs(b: AnalysisBatch) -> tuple[Int, Int]:
    """The document of each sentence and its position within that document."""
    sent_doc = b.sent_doc()
    local = np.arange(sent_doc.size) - b.sent_off[sent_doc]
    return sent_doc, local


def _shift(x: Float, same: npt.NDArray[np.bool_], by: int) -> Float:
    """``x`` moved by one sentence (by=1: the previous one's), zero across documents."""
    out = np.zeros_like(x)
    if by == 1:
        out[1:] = x[:-1]
    else:
        out[:-1] = x[1:]
    out[~same] = 0
    return out


def cue_rows(b: AnalysisBatch, cols: Mapping[str, int]) -> Float:
    """Each sentence's dense part: its log cue counts, its neighbours' largest, its place."""
    c = b.sent_counts
    n_sent = c.shape[0]
    if n_sent == 0:
        return np.zeros((0, 2 * c.shape[1] + len(CONTEXT)))
    sent_doc, local = sentence_docs(b)
    n_in_doc = np.diff(b.sent_off)[sent_doc]
    own = np.log1p(c)
    has_prev = local > 0
    has_next = local < n_in_doc - 1
    prev = _shift(own, has_prev, 1)
    nxt = _shift(own, has_next, -1)
    neighbours = np.maximum(prev, nxt)
    naio = c[:, cols["cue:naio"]] > 0
    body_naio = np.bincount(sent_doc, weights=naio, minlength=len(b)) > 0
    titled = b.body_starts > 0
    is_title = titled[sent_doc] & (local == 0)
    ref = c[:, cols["cue:naio_ref"]] > 0
    prev_naio = _shift(naio.astype(np.float64), has_prev, 1) > 0
    next_naio = _shift(naio.astype(np.float64), has_next, -1) > 0
    # a sentence at or after the document's first footer cue ("About NAIO", "-END-")
    footer = c[:, cols["cue:footer"]] > 0
    first_footer = np.full(len(b), np.iinfo(np.int64).max)
    if footer.any():
        np.minimum.at(first_footer, sent_doc[footer], local[footer])
    context = np.stack(
        [
            is_title,
            (local < _LEAD) & ~is_title,
            local / np.maximum(n_in_doc - 1, 1),
            body_naio[sent_doc],
            prev_naio,
            next_naio,
            b.title_naio[sent_doc],
            naio | (ref & (body_naio[sent_doc] | prev_naio)),
            local >= first_footer[sent_doc],
        ],
        axis=1,
    ).astype(np.float64)
    out: Float = np.concatenate([own, neighbours, context], axis=1)
    return out


def passage_rows(
    b: AnalysisBatch,
    cols: Mapping[str, int],
    row_of_bucket: Int | None = None,
    n_rows: int | None = None,
) -> sp.csr_matrix:
    """Every sentence's feature row: hashed 1-2-grams (scaled by 1/sqrt(length)), then cues.

    With ``row_of_bucket`` (a row per hash bucket, -1 for a bucket no weight
    reads) the n-gram columns are those rows, so the matrix multiplies a
    compact weight copy; without it the columns are the hash buckets.
    """
    from .features import N_HASH

    n_sent = b.sent_bounds.shape[0]
    bucket = b.ngram_ids[b.occ_inverse]
    occ_sent = b.occ_sent
    if row_of_bucket is None:
        col, width = bucket, N_HASH
    else:
        col = np.take(row_of_bucket, bucket)
        keep = col >= 0
        col, occ_sent = col[keep], occ_sent[keep]
        width = int(n_rows if n_rows is not None else row_of_bucket.max(initial=-1) + 1)
    per_sent = np.bincount(b.occ_sent, minlength=n_sent).astype(np.float64)
    order = np.argsort(occ_sent, kind="stable")
    values = 1.0 / np.sqrt(np.maximum(per_sent, 1.0))[occ_sent[order]]
    text = sp.csr_matrix(
        (
            values,
            col[order],
            np.concatenate([[0], np.cumsum(np.bincount(occ_sent, minlength=n_sent))]),
        ),
        shape=(n_sent, width),
    )
    text.sum_duplicates()
    dense = sp.csr_matrix(cue_rows(b, cols))
    return sp.hstack([text, dense], format="csr")


def naio_near(b: AnalysisBatch, cols: Mapping[str, int]) -> npt.NDArray[np.bool_]:
    """Sentences where R can pass: NAIO (or a pronoun for it) in them or a neighbour,
    and the sentence not about NAIO's own founding.

    R needs NAIO in the passage, and a release verb about the office itself
    ("NAIO was launched on 12 December 2024") is no output: elsewhere neither
    R nor all three tests can pass (codebook R2), whatever the learned scores say.
    """
    c = b.sent_counts
    named = (c[:, cols["cue:naio"]] > 0) | (c[:, cols["cue:naio_ref"]] > 0)
    if not named.size:
        return named
    founding = c[:, cols["cue:establishment"]] > 0
    sent_doc, local = sentence_docs(b)
    n_in_doc = np.diff(b.sent_off)[sent_doc]
    near = named.copy()
    near[1:] |= named[:-1] & (local[1:] > 0)
    near[:-1] |= named[1:] & (local[:-1] < n_in_doc[:-1] - 1)
    out: npt.NDArray[np.bool_] = near & ~founding
    return out


def aggregates(b: AnalysisBatch, z: Float, cols: Mapping[str, int]) -> tuple[Float, Int]:
    """Per document, :data:`AGGREGATES` from its sentences' O, S, R, A logits, and its best passage.

    ``z`` is (sentences, heads) in :data:`PASSAGE_HEADS` order; the result has
    :data:`ALL_AGGREGATES` columns. The best passage is the sentence with the
    highest A (-1 for a document without sentences).
    """
    n = len(b)
    out = np.zeros((n, len(ALL_AGGREGATES)))
    out[:, len(AGGREGATES) :] = -_CLIP
    out[:, :_N_SCORES] = -_CLIP  # a document without sentences: no passage passes anything
    out[:, _N_SCORES + 2] = b.title_naio
    best = np.full(n, -1, dtype=np.int64)
    n_sent = z.shape[0]
    if n_sent == 0:
        return out, best
    sent_doc, local = sentence_docs(b)
    zc = np.clip(z, -_CLIP, _CLIP)
    near = naio_near(b, cols)
    zc[~near, 2] = -_CLIP
    zc[~near, 3] = -_CLIP
    log_p = -np.logaddexp(0.0, -zc)  # log sigmoid
    has = np.diff(b.sent_off) > 0
    starts = b.sent_off[:-1][has]

    def seg_max(values: Float) -> Float:
        full = np.full(n, -_CLIP)
        full[has] = np.maximum.reduceat(values, starts)
        return full

    a = zc[:, 3]
    max_a = seg_max(a)
    lead_a = seg_max(np.where(local < _LEAD, a, -_CLIP))
    # the second-best passage: A with each document's best masked out
    is_best = a == max_a[sent_doc]
    first_best = np.zeros(n_sent, dtype=bool)
    idx = np.flatnonzero(is_best)
    _, first = np.unique(sent_doc[idx], return_index=True)
    first_best[idx[first]] = True
    best[sent_doc[idx[first]]] = idx[first]
    second_a = seg_max(np.where(first_best, -_CLIP, a))
    c = b.sent_counts
    naio = c[:, cols["cue:naio"]] > 0
    footer = c[:, cols["cue:footer"]] > 0
    n_naio = np.bincount(sent_doc, weights=naio, minlength=n)
    n_naio_body = np.bincount(sent_doc, weights=naio & ~footer, minlength=n)
    out[:, 0] = max_a
    out[:, 1] = seg_max(log_p[:, 0] + log_p[:, 1] + log_p[:, 2])
    out[:, 2] = seg_max(log_p[:, 2])
    out[:, 3] = seg_max(log_p[:, 0])
    out[:, 4] = seg_max(log_p[:, 1])
    out[:, 5] = lead_a
    out[:, 6] = second_a
    out[:, 7] = (n_naio > 0) | b.title_naio
    out[:, 8] = (n_naio > 0) & (n_naio_body == 0)
    out[:, 9] = b.title_naio
    out[:, 10] = np.log1p(n_naio)
    for j in range(len(DOMAIN_TESTS)):
        out[:, len(AGGREGATES) + j] = seg_max(zc[:, len(TESTS) + j])
    return out, best


def window_matrix(b: AnalysisBatch, centre: Int, weight: float = 0.5, rest: float = 0.0) -> Any:
    """(documents x sentences) weights of each document's chosen passage window.

    The chosen sentence counts 1, its neighbours and the title ``weight``, and
    the document's other sentences share ``rest`` (what the whole piece is
    about, which the codebook's type tie-breaker looks at: the headline and the
    first reporting sentence). ``centre`` is a sentence per document (-1: none,
    an empty row).
    """
    n, n_sent = centre.size, b.sent_bounds.shape[0]
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for d, s in enumerate(centre.tolist()):
        if s < 0:
            continue
        lo, hi = int(b.sent_off[d]), int(b.sent_off[d + 1])
        near = {s: 1.0}
        for t in (s - 1, s + 1):
            if lo <= t < hi:
                near[t] = weight
        if b.body_starts[d] > 0 and lo not in near:
            near[lo] = weight
        others = [t for t in range(lo, hi) if t not in near]
        for t in others:
            near[t] = rest / len(others)
        for t, w in near.items():
            rows.append(d)
            cols.append(t)
            vals.append(w)
    return sp.csr_matrix((vals, (rows, cols)), shape=(n, n_sent))


def window_rows(X: sp.csr_matrix, b: AnalysisBatch, centre: Int) -> sp.csr_matrix:
    """Each document's chosen-passage row: :func:`window_matrix` times the sentence rows."""
    out: sp.csr_matrix = sp.csr_matrix(window_matrix(b, centre) @ X)
    return out


def window_logits(t: Float, b: AnalysisBatch, centre: Int) -> Float:
    """Per document, per-sentence logits ``t`` combined over the chosen passage's window.

    Linear in the rows, so this equals scoring :func:`window_rows`.
    """
    out: Float = np.asarray(window_matrix(b, centre) @ t)
    return out
