"""The classifier: features from the spaCy stage, decisions from scikit-learn.

Three decisions share one feature row per document — hashed word 1-2-grams
(TF-IDF weighted) beside the per-document sums of the O-S-R cue counts:

* ``status``: multinomial logistic regression, temperature-calibrated;
* ``artifact_type``: multinomial logistic regression trained on artifacts;
* ``domains``: seven independent logistic regressions, Platt-calibrated,
  each with its own threshold chosen on out-of-fold predictions.

How the heads are chosen and fitted is :mod:`naio_nlp.training`.

Linear models make evidence exact: each sentence's share of the decision is
the sum of its tokens' and cues' weighted feature values.

A saved model is a folder of JSON and ``.npz`` arrays plus spaCy's ``to_disk``
output: loading it executes no code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from itertools import compress, islice
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import spacy

from ._version import __version__
from .errors import InvalidFieldError, ModelError
from .features import N_HASH, Analysis, AnalysisBatch, TextAnalyzer
from .labels import ARTIFACT_TYPES, DOMAINS, NAIO_NAMES, STATUSES
from .lexicon import lexicon_dict
from .schema import (
    Article,
    ArtifactSlots,
    EvidenceSentence,
    NaioRole,
    Prediction,
    _new_evidence,
    _new_evidence_sentence,
    _new_prediction,
    _prediction_from_own_dict,
)

__all__ = ["Classifier", "load", "load_verified", "model_digest"]

log = logging.getLogger(__name__)

#: Bumped whenever the saved layout or the meaning of a saved array changes.
FORMAT_VERSION = 1
#: Documents longer than this many characters are cut before analysis.
MAX_CHARS = 100_000
DEFAULT_MODEL_NAME = "naio-default"

Float = npt.NDArray[np.float64]
ProgressFn = Callable[[str, int, int], None]


# ----------------------------------------------------------------------------- heads


@dataclass
class LinearHead:
    """One linear decision with its calibration.

    ``kind="softmax"``: ``coef`` is (classes, features); probabilities are
    softmax(logits / temperature). ``kind="sigmoid"``: one row per class,
    each an independent binary decision; probabilities are
    sigmoid(a * logit + b) and ``thresholds`` turn them into labels.
    """

    classes: tuple[str, ...]
    coef: Float
    intercept: Float
    kind: str
    temperature: float = 1.0
    platt_a: Float = field(default_factory=lambda: np.zeros(0))
    platt_b: Float = field(default_factory=lambda: np.zeros(0))
    thresholds: Float = field(default_factory=lambda: np.zeros(0))

    def logits(self, X: sp.csr_matrix) -> Float:
        return np.asarray(X @ self.coef.T) + self.intercept

    def proba(self, X: sp.csr_matrix) -> Float:
        return self.calibrated(self.logits(X))

    def calibrated(self, z: Float) -> Float:
        """Probabilities from logits."""
        if self.kind == "softmax":
            return _softmax(z / self.temperature)
        return _sigmoid(z * self.platt_a + self.platt_b)


def _softmax(z: Float) -> Float:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Float = e / e.sum(axis=1, keepdims=True)
    return out


def _sigmoid(z: Float) -> Float:
    out: Float = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
    return out


# ----------------------------------------------------------------------------- features


@dataclass
class FeatureSpace:
    """What turns analyses into the rows the heads read: IDF weights and the cue block's scale."""

    idf: Float  # (N_HASH,)
    dense_scale: float
    n_dense: int

    @property
    def n_features(self) -> int:
        return N_HASH + self.n_dense + len(extra_feature_names())


@dataclass(frozen=True)
class _Features:
    """A batch's feature rows, with the parts evidence needs to split them by sentence."""

    X: sp.csr_matrix
    text_values: Float  # weighted value of each n-gram bucket, aligned with batch.ngram_ids
    cue_sums: Float  # (docs, n_dense) per-document sums of the sentence cue counts
    dense: Float  # (docs, n_dense + extras) the dense block as the heads read it
    text_rows: npt.NDArray[np.int64] | None = None  # compact row of each of the batch's buckets


_EXTRA = (
    "has_naio",
    "title_naio",
    "naio_only_footer",
    "naio_first_position",
    "log_sentences",
    "lead_naio_release",
    "lead_naio_intention",
    "lead_specific",
    "frac_release",
    "frac_intention",
    "frac_naio_release",
    "frac_citation",
)
_LEAD = 4  # sentences, title included, that make a report's lead
_DOMAIN_EXTRA = tuple(f"dfrac:{d}" for d in DOMAINS) + tuple(f"dtitle:{d}" for d in DOMAINS)


def extra_feature_names() -> tuple[str, ...]:
    """Document-level features appended after the per-sentence cue sums."""
    return _EXTRA + _DOMAIN_EXTRA


def _per_doc(sent_doc: npt.NDArray[np.int64], values: Any, n_docs: int) -> Float:
    """Sum a per-sentence quantity over each document's sentences."""
    out: Float = np.bincount(sent_doc, weights=values, minlength=n_docs).astype(np.float64)
    return out


def _first_local(
    sent_doc: npt.NDArray[np.int64], local: npt.NDArray[np.int64], mask: Any, default: Any
) -> Any:
    """Per document, the position of its first sentence where ``mask`` holds."""
    out = np.array(default, dtype=np.float64, copy=True)
    docs, first = np.unique(sent_doc[mask], return_index=True)
    out[docs] = local[mask][first]
    return out


def _cue_sums(b: AnalysisBatch) -> Float:
    sums = np.zeros((len(b), b.sent_counts.shape[1]))
    n_sent = np.diff(b.sent_off)
    has = n_sent > 0
    if has.any():
        sums[has] = np.add.reduceat(b.sent_counts, b.sent_off[:-1][has], axis=0)
    return sums


def _dense_block(b: AnalysisBatch, sums: Float, cols: Mapping[str, int]) -> Float:
    """The dense block of each row: log cue sums, then the document-level extras."""
    n = len(b)
    c = b.sent_counts
    n_sent = np.diff(b.sent_off).astype(np.float64)
    sent_doc = b.sent_doc()
    local = np.arange(c.shape[0]) - b.sent_off[sent_doc]
    nn = np.maximum(n_sent, 1.0)

    def any_doc(mask: Any) -> Float:
        return (_per_doc(sent_doc, mask, n) > 0).astype(np.float64)

    def frac(mask: Any) -> Float:
        return _per_doc(sent_doc, mask, n) / nn

    naio = c[:, cols["cue:naio"]] > 0
    has_naio = any_doc(naio)
    footer_start = _first_local(sent_doc, local, c[:, cols["cue:footer"]] > 0, n_sent)
    before_footer = naio & (local < footer_start[sent_doc])
    only_footer = has_naio * (1.0 - any_doc(before_footer))
    first_naio = _first_local(sent_doc, local, naio, n_sent) / nn
    first_naio[has_naio == 0] = 1.0
    lead = local < _LEAD
    extra = [
        has_naio,
        b.title_naio.astype(np.float64),
        only_footer,
        first_naio,
        np.log1p(n_sent),
        any_doc(lead & (c[:, cols["co:s_naio_release"]] > 0)),
        any_doc(lead & (c[:, cols["co:s_naio_intention"]] > 0)),
        any_doc(lead & (c[:, cols["x:specific"]] > 0)),
        frac(c[:, cols["cue:release"]] > 0),
        frac(c[:, cols["cue:intention"]] > 0),
        frac(c[:, cols["co:s_naio_release"]] > 0),
        frac(c[:, cols["cue:citation"]] > 0),
    ]
    # How much of the document is on each domain's topic, and is the topic in the title?
    has_title = (b.body_starts > 0) & (n_sent > 0)
    title_row = has_title[sent_doc] & (local == 0)
    body = ~title_row
    n_body = np.maximum(_per_doc(sent_doc, body, n), 1.0)
    dfrac, dtitle = [], []
    for d in DOMAINS:
        on = c[:, cols[f"domain:{d}"]] > 0
        dfrac.append(_per_doc(sent_doc, on & body, n) / n_body)
        dtitle.append(any_doc(on & title_row))
    return np.concatenate([np.log1p(sums), np.stack(extra + dfrac + dtitle, axis=1)], axis=1)


def _features(
    b: AnalysisBatch,
    idf: Float,
    dense_scale: float,
    cols: Mapping[str, int],
    bucket_rows: npt.NDArray[np.int64] | None = None,
) -> _Features:
    """The batch's feature rows: hashed n-gram buckets, then the dense block.

    With ``bucket_rows`` (a row per bucket, -1 for a bucket no weight reads) the
    n-gram columns are those rows and the dense block follows them, so ``X``
    multiplies a compacted weight matrix; without it, columns are the buckets.
    """
    n = len(b)
    ngram_doc = np.repeat(np.arange(n, dtype=np.int64), np.diff(b.ngram_off))
    vals = (1.0 + np.log(b.ngram_counts)) * idf[b.ngram_ids]
    norm = np.sqrt(_per_doc(ngram_doc, vals * vals, n))
    vals = vals / np.where(norm > 0, norm, 1.0)[ngram_doc]
    sums = _cue_sums(b)
    dense = _dense_block(b, sums, cols) * dense_scale
    # each row: its n-gram buckets (sorted), then the nonzero dense columns
    dense_row, dense_col = np.nonzero(dense)
    mapped = None
    if bucket_rows is None:
        n_text, text_doc, text_col, text_val = N_HASH, ngram_doc, b.ngram_ids, vals
    else:
        n_text = int(bucket_rows.max(initial=-1)) + 1
        mapped = np.take(bucket_rows, b.ngram_ids)
        read = mapped >= 0
        text_doc, text_col, text_val = ngram_doc[read], mapped[read], vals[read]
    row_of = np.concatenate([text_doc, dense_row])
    order = np.argsort(row_of, kind="stable")  # merges two sorted runs
    X = sp.csr_matrix(
        (
            np.concatenate([text_val, dense[dense_row, dense_col]])[order],
            np.concatenate([text_col, n_text + dense_col])[order],
            np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=n))]),
        ),
        shape=(n, n_text + dense.shape[1]),
    )
    return _Features(X=X, text_values=vals, cue_sums=sums, dense=dense, text_rows=mapped)


def _text_counts(a: Analysis) -> tuple[npt.NDArray[np.int64], Float, npt.NDArray[np.int64]]:
    return a.ngram_ids, a.ngram_counts, a.ngram_inverse


def _rows(analyses: Sequence[Analysis], idf: Float, dense_scale: float) -> sp.csr_matrix:
    cols = _columns()
    if not analyses:
        return sp.csr_matrix((0, N_HASH + len(cols) + len(extra_feature_names())))
    batch = AnalysisBatch.from_analyses(analyses, len(cols))
    return _features(batch, idf, dense_scale, cols).X


@lru_cache(maxsize=1)
def _columns() -> dict[str, int]:
    from .features import dense_feature_names

    return {n: i for i, n in enumerate(dense_feature_names(lexicon_dict()))}


# ----------------------------------------------------------------------------- classifier


class Classifier:
    """Labels documents with status, artifact type and domains, with evidence.

    Get one with :func:`naio_nlp.load` (the shipped model) or :func:`train`.
    """

    def __init__(
        self,
        *,
        analyzer: TextAnalyzer,
        space: FeatureSpace,
        status: LinearHead,
        artifact_type: LinearHead,
        domains: LinearHead,
        meta: dict[str, Any],
        path: Path | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.space = space
        self.status_head = status
        self.type_head = artifact_type
        self.domain_head = domains
        self.meta = meta
        self.path = path
        #: sha256 of the model folder's files when it was loaded or saved (None in memory)
        self.digest: str | None = None
        _check_labels(status, artifact_type, domains, path)
        names = analyzer.feature_names
        self._cols = {n: i for i, n in enumerate(names)}
        # All heads' weights as one (features x classes) C-ordered matrix, so that one
        # sparse product gives every logit; each head's ``coef`` becomes a view of it.
        heads = (status, artifact_type, domains)
        self._coef_t = np.ascontiguousarray(np.vstack([h.coef for h in heads]).T)
        self._intercepts = np.concatenate([h.intercept for h in heads])
        # Most hash buckets never occurred in training and weigh nothing in any head;
        # predicting reads the others from a compact copy (about a third of the rows),
        # which keeps the product's random reads within far less memory.
        used = np.flatnonzero((self._coef_t[:N_HASH] != 0).any(axis=1))
        self._head_bucket_rows = np.full(N_HASH, -1, dtype=np.int64)
        self._head_bucket_rows[used] = np.arange(used.size)
        self._head_weights = np.ascontiguousarray(
            np.vstack([self._coef_t[used], self._coef_t[N_HASH:]])
        )
        at = 0
        for h in heads:
            h.coef = self._coef_t[:, at : at + len(h.classes)].T
            at += len(h.classes)

    @property
    def version(self) -> str:
        """Identifies the trained model; stored with every prediction."""
        return str(self.meta["model_version"])

    @property
    def review_thresholds(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.meta["review_thresholds"].items()}

    def __repr__(self) -> str:
        return f"<Classifier {self.version} from {self.path or 'memory'}>"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the model folder and its digest, not as arrays and spaCy objects.

        A Dask task or worker process receives a few hundred bytes and loads the
        model itself, once per process (:func:`load_verified`); a folder whose files
        changed since this classifier was loaded is refused there.
        """
        if self.path is None or self.digest is None:
            raise ModelError(
                "this classifier lives only in memory; save it with to_disk(FOLDER) before "
                "sending it to other processes"
            )
        return (load_verified, (str(self.path), self.digest))

    # -- public API

    def classify(
        self, text: str, title: str | None = None, *, article_id: str = "doc"
    ) -> Prediction:
        """Label one document."""
        return self._predict([(article_id, title or "", text, None)])[0]

    def classify_many(
        self,
        items: Iterable[Article | Mapping[str, Any] | str],
        *,
        batch_size: int = 256,
        n_process: int = 1,
    ) -> Iterator[Prediction]:
        """Label many documents, lazily, in input order.

        Items are :class:`Article` objects, mappings with ``text`` (and
        optionally ``id``, ``title``, ``lang``/``language``) or plain strings.
        With ``n_process > 1`` batches are labelled in worker processes; the
        output is identical to one process.
        """
        if batch_size < 1:
            raise InvalidFieldError("classify_many: batch_size", batch_size, "an integer >= 1")
        rows = (_as_row(item, i) for i, item in enumerate(items))
        batches = iter(lambda: list(islice(rows, batch_size)), [])
        if n_process <= 1:
            for batch in batches:
                yield from self._predict(batch)
            return
        yield from self._predict_parallel(batches, n_process)

    # -- internals

    def _predict_parallel(
        self, batches: Iterator[list[tuple[str, str, str, str | None]]], n_process: int
    ) -> Iterator[Prediction]:
        from ._workers import map_batches

        for _, dicts in map_batches(self, batches, n_process, _predict_dicts):
            yield from (_prediction_from_own_dict(d) for d in dicts)

    def _predict(self, rows: Sequence[tuple[str, str, str, str | None]]) -> list[Prediction]:
        if not rows:
            return []
        texts = [r[2][:MAX_CHARS] for r in rows]
        titles = [r[1][:2000] for r in rows]
        out: list[Prediction | None] = [None] * len(rows)
        with self.analyzer.bounded_memory():
            for idx, batch in self.analyzer.analyse_batches(texts, titles, [r[3] for r in rows]):
                predictions = self._predict_batch([rows[i][0] for i in idx], batch)
                for i, prediction in zip(idx, predictions, strict=True):
                    out[i] = prediction
        return [p for p in out if p is not None]

    def _predict_batch(self, ids: Sequence[str], b: AnalysisBatch) -> list[Prediction]:
        """Decisions, evidence and slots for a batch, vectorised across its documents."""
        f = _features(b, self.space.idf, self.space.dense_scale, self._cols, self._head_bucket_rows)
        z = np.asarray(f.X @ self._head_weights) + self._intercepts
        n_s, n_t = len(self.status_head.classes), len(self.type_head.classes)
        p_status = self.status_head.calibrated(z[:, :n_s])
        p_type = self.type_head.calibrated(z[:, n_s : n_s + n_t])
        p_dom = self.domain_head.calibrated(z[:, n_s + n_t :])
        s_idx = p_status.argmax(axis=1)
        t_idx = p_type.argmax(axis=1)
        on = p_dom >= self.domain_head.thresholds
        statuses = [self.status_head.classes[k] for k in s_idx.tolist()]
        review = self.review_thresholds
        bar = np.array([review.get(c, 0.0) for c in self.status_head.classes])
        needs_review = (p_status[np.arange(len(b)), s_idx] < bar[s_idx]).tolist()
        evidence = self._evidence(b, f, s_idx, t_idx, on)
        roles = _naio_roles(b, self._cols)
        s_classes, t_classes = self.status_head.classes, self.type_head.classes
        d_classes = self.domain_head.classes
        if not (np.isfinite(p_status).all() and np.isfinite(p_type).all()):
            raise ModelError(f"{self!r} gave probabilities that are not numbers")
        if not np.isfinite(p_dom).all():
            raise ModelError(f"{self!r} gave domain probabilities that are not numbers")
        version = self.version
        types = [t_classes[k] for k in t_idx.tolist()]
        out = []
        for i, (status, rows_s, rows_t, rows_d, on_row) in enumerate(
            zip(
                statuses,
                p_status.tolist(),
                p_type.tolist(),
                p_dom.tolist(),
                on.tolist(),
                strict=True,
            )
        ):
            atype = types[i] if status == "artifact" else None
            sentences = evidence[i]
            slots = self._slots(b, i, sentences) if atype is not None else None
            # labels from the model's classes (checked on load), probabilities checked above
            out.append(
                _new_prediction(
                    ids[i],
                    status,
                    atype,
                    tuple(compress(d_classes, on_row)),
                    dict(zip(s_classes, rows_s, strict=True)),
                    dict(zip(t_classes, rows_t, strict=True)),
                    dict(zip(d_classes, rows_d, strict=True)),
                    needs_review[i],
                    _new_evidence(sentences, roles[i], slots),
                    version,
                )
            )
        return out

    @cached_property
    def _evidence_weights(
        self,
    ) -> tuple[Float, npt.NDArray[np.int64], Float, tuple[str, ...]]:
        """Per label whose evidence we report, its weights relative to the other classes.

        For a softmax head a sentence supports class *c* by how much it raises
        *c*'s logit above the average class; for a sigmoid head, by its logit.
        Columns are the status classes, then the artifact types, then the
        domains. The n-gram weights keep only the buckets some label weighs
        (most of the hash space never occurred in training and weighs nothing),
        with the row of each bucket, -1 for none; then the cue weights, one row
        per cue column.
        """
        rows: list[Float] = []
        labels: list[str] = []
        for prefix, head in (("status", self.status_head), ("type", self.type_head)):
            rows.append(head.coef - head.coef.mean(axis=0))
            labels += [f"{prefix}:{c}" for c in head.classes]
        rows.append(self.domain_head.coef)
        labels += [f"domain:{c}" for c in self.domain_head.classes]
        weights = np.vstack(rows)
        # the heads' compact rows: a bucket no head weighs weighs nothing here either
        row_of_bucket = self._head_bucket_rows
        used = np.flatnonzero(row_of_bucket >= 0)
        text = np.ascontiguousarray(weights[:, used].T)
        cues = np.ascontiguousarray(weights[:, N_HASH : N_HASH + self.space.n_dense].T)
        return text, row_of_bucket, cues, tuple(labels)

    def _evidence(
        self,
        b: AnalysisBatch,
        f: _Features,
        s_idx: npt.NDArray[np.intp],
        t_idx: npt.NDArray[np.intp],
        domains_on: npt.NDArray[np.bool_],
    ) -> list[tuple[EvidenceSentence, ...]]:
        """The body sentences that moved each decision most, for every document.

        A sentence's score for a label is its share of that label's logit: a
        feature's weighted value is split evenly over its occurrences, each
        counting for the sentence it is in, and a cue sum is split over the
        sentences in proportion to their cue counts. Status gets three
        sentences, the artifact type and each domain one; only sentences with
        a positive share are named.
        """
        text_w, row_of_bucket, cue_w, labels = self._evidence_weights
        n, n_sent = len(b), b.sent_bounds.shape[0]
        if n_sent == 0:
            return [()] * n
        # Every label's score for every sentence, as two sparse-by-dense products:
        # (sentence x bucket: the value each occurrence carries) @ (bucket x label),
        # over the occurrences whose bucket some label weighs; then the cues.
        sent_doc = b.sent_doc()
        row = f.text_rows if f.text_rows is not None else np.take(row_of_bucket, b.ngram_ids)
        occ = np.flatnonzero(np.take(row, b.occ_inverse) >= 0)
        occ_sent = b.occ_sent[occ]
        bucket_of = b.occ_inverse[occ]
        by_sentence = np.argsort(occ_sent, kind="stable")  # two sorted runs per document
        per_occurrence = np.take(f.text_values / b.ngram_counts, bucket_of)
        occurrences = sp.csr_matrix(
            (
                per_occurrence[by_sentence],
                np.take(row, bucket_of)[by_sentence],
                np.concatenate([[0], np.cumsum(np.bincount(occ_sent, minlength=n_sent))]),
            ),
            shape=(n_sent, text_w.shape[0]),
        )
        r, k = np.nonzero(b.sent_counts)
        d = sent_doc[r]
        share = b.sent_counts[r, k] / f.cue_sums[d, k] * f.dense[d, k]
        cues = sp.csr_matrix((share, (r, k)), shape=b.sent_counts.shape)
        scores = occurrences @ text_w + cues @ cue_w

        # (document, label, how many sentences) in the order they are reported
        n_s, n_t = len(self.status_head.classes), len(self.type_head.classes)
        is_artifact = np.array([c == "artifact" for c in self.status_head.classes])[s_idx]
        dom_doc, dom_j = np.nonzero(domains_on)
        pair_doc = np.concatenate([np.arange(n), np.flatnonzero(is_artifact), dom_doc])
        pair_label = np.concatenate([s_idx, n_s + t_idx[is_artifact], n_s + n_t + dom_j])
        pair_k = np.concatenate([np.full(n, 3), np.ones(len(pair_doc) - n, dtype=np.int64)])
        order = np.argsort(pair_doc, kind="stable")
        pair_doc, pair_label, pair_k = pair_doc[order], pair_label[order], pair_k[order]
        # each pair's candidates: its document's body sentences with a positive score
        n_cand = np.diff(b.sent_off)[pair_doc]
        c_pair = np.repeat(np.arange(pair_doc.size), n_cand)
        first = np.concatenate([[0], np.cumsum(n_cand)[:-1]])
        c_sent = np.arange(c_pair.size) - np.repeat(first - b.sent_off[pair_doc], n_cand)
        # scores are reported to 4 decimals: one that rounds to 0 moved nothing worth naming
        c_score = scores[c_sent, pair_label[c_pair]]
        in_body = b.sent_bounds[:, 0] >= b.body_starts[sent_doc]
        ok = in_body[c_sent] & (np.round(c_score, 4) > 0)
        c_pair, c_sent, c_score = c_pair[ok], c_sent[ok], c_score[ok]
        # each pair's k best, best first, ties to the earlier sentence
        picked = _top_k_per_group(c_pair, c_score, pair_k)
        by_doc: list[list[EvidenceSentence]] = [[] for _ in range(n)]
        starts, ends = b.sent_bounds[:, 0].tolist(), b.sent_bounds[:, 1].tolist()
        docs_of, label_of = pair_doc.tolist(), pair_label.tolist()
        body_starts = b.body_starts.tolist()
        for p, s, score in zip(
            c_pair[picked].tolist(),
            c_sent[picked].tolist(),
            np.round(c_score[picked], 4).tolist(),
            strict=True,
        ):
            doc = docs_of[p]
            base = body_starts[doc]
            by_doc[doc].append(
                _new_evidence_sentence(
                    b.texts[doc][starts[s] : ends[s]],
                    starts[s] - base,
                    ends[s] - base,
                    score,
                    labels[label_of[p]],
                )
            )
        return [tuple(x) for x in by_doc]

    def _slots(
        self, b: AnalysisBatch, i: int, sentences: Sequence[EvidenceSentence]
    ) -> ArtifactSlots:
        s0, s1 = int(b.sent_off[i]), int(b.sent_off[i + 1])
        return _artifact_slots(
            b.texts[i],
            int(b.body_starts[i]),
            b.named_outputs[i],
            b.agencies[i],
            b.sent_counts[s0:s1],
            b.sent_bounds[s0:s1],
            sentences,
            self._cols,
        )

    # -- persistence

    def to_disk(self, path: Path | str) -> Path:
        """Save as JSON + npz + spaCy ``to_disk`` (nothing that runs code on load)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for lang, nlp in self.analyzer.pipelines.items():
            (path / "spacy").mkdir(exist_ok=True)
            nlp.to_disk(path / "spacy" / lang)
        (path / "lexicon.json").write_text(
            json.dumps(self.analyzer.lexicon, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        arrays: dict[str, Any] = {"idf": self.space.idf}
        for name, head in (
            ("status", self.status_head),
            ("type", self.type_head),
            ("domains", self.domain_head),
        ):
            rows, cols = np.nonzero(head.coef)
            arrays[f"{name}_coef_rows"] = rows.astype(np.int32)
            arrays[f"{name}_coef_cols"] = cols.astype(np.int32)
            arrays[f"{name}_coef_vals"] = head.coef[rows, cols]
            arrays[f"{name}_intercept"] = head.intercept
            arrays[f"{name}_platt_a"] = head.platt_a
            arrays[f"{name}_platt_b"] = head.platt_b
            arrays[f"{name}_thresholds"] = head.thresholds
        np.savez_compressed(path / "weights.npz", **arrays)
        meta = dict(self.meta)
        meta["heads"] = {
            name: {
                "classes": list(h.classes),
                "kind": h.kind,
                "temperature": h.temperature,
                "shape": list(h.coef.shape),
            }
            for name, h in (
                ("status", self.status_head),
                ("type", self.type_head),
                ("domains", self.domain_head),
            )
        }
        meta["dense_scale"] = self.space.dense_scale
        meta["n_dense"] = self.space.n_dense
        (path / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        self.path = path
        self.digest = model_digest(path)
        return path

    @classmethod
    def from_disk(cls, path: Path | str) -> Classifier:
        """Load a saved model; a clear :class:`ModelError` if it cannot be used."""
        path = Path(path)
        meta_path = path / "meta.json"
        if path.is_file():
            raise ModelError(f"{path}: is a file; a model is a folder (e.g. models/naio-default)")
        if not path.is_dir():
            raise ModelError(f"{path}: no such model folder")
        if not meta_path.is_file():
            raise ModelError(f"{path}: not a naio_nlp model (meta.json is missing)")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ModelError(f"{meta_path}: corrupted ({exc})") from exc
        if not isinstance(meta, dict) or meta.get("library") != "naio_nlp":
            raise ModelError(f"{meta_path}: not a naio_nlp model")
        _check_compatible(meta, path)
        try:
            lexicon = json.loads((path / "lexicon.json").read_text(encoding="utf-8"))
            pipelines = {lang: spacy.load(path / "spacy" / lang) for lang in ("en", "ms")}
            weights = path / "weights.npz"
            try:
                # opened here: np.load leaks its own handle when the archive is cut off
                with weights.open("rb") as fh, np.load(fh, allow_pickle=False) as npz:
                    arrays = {k: npz[k] for k in npz.files}
            except Exception as exc:  # BadZipFile, EOFError, zlib.error on a cut-off file
                raise ModelError(
                    f"{path}: corrupted or incomplete model: {weights} is not a readable NumPy "
                    f"archive ({type(exc).__name__}); copy the model folder again or retrain it"
                ) from exc
            heads = {}
            for name, spec in meta["heads"].items():
                coef = np.zeros(tuple(spec["shape"]), dtype=np.float64)
                coef[arrays[f"{name}_coef_rows"], arrays[f"{name}_coef_cols"]] = arrays[
                    f"{name}_coef_vals"
                ]
                heads[name] = LinearHead(
                    classes=tuple(spec["classes"]),
                    coef=coef,
                    intercept=arrays[f"{name}_intercept"].astype(np.float64),
                    kind=spec["kind"],
                    temperature=float(spec["temperature"]),
                    platt_a=arrays[f"{name}_platt_a"].astype(np.float64),
                    platt_b=arrays[f"{name}_platt_b"].astype(np.float64),
                    thresholds=arrays[f"{name}_thresholds"].astype(np.float64),
                )
            analyzer = TextAnalyzer(lexicon, pipelines=pipelines)
            space = FeatureSpace(
                idf=arrays["idf"].astype(np.float64),
                dense_scale=float(meta["dense_scale"]),
                n_dense=int(meta["n_dense"]),
            )
            if len(analyzer.feature_names) != space.n_dense:
                raise ModelError(f"{path}: lexicon.json does not match weights.npz")
            for name, head in heads.items():
                if head.coef.shape[1] != space.n_features:
                    raise ModelError(
                        f"{path}: the {name} weights have {head.coef.shape[1]} features but "
                        f"this naio_nlp computes {space.n_features}; the model was built by "
                        f"another version of the feature code. Retrain it with "
                        f"`naio-nlp train --corpus corpus/ --out {path}`."
                    )
        except ModelError:
            raise
        except Exception as exc:  # any damaged part: say which model and why
            raise ModelError(
                f"{path}: corrupted or incomplete model ({type(exc).__name__}: {exc})"
            ) from exc
        classifier = cls(
            analyzer=analyzer,
            space=space,
            status=heads["status"],
            artifact_type=heads["type"],
            domains=heads["domains"],
            meta=meta,
            path=path,
        )
        classifier.digest = model_digest(path)
        return classifier


def _check_labels(
    status: LinearHead, artifact_type: LinearHead, domains: LinearHead, path: Path | None
) -> None:
    """Every head's classes are labels of the codebook, each once."""
    for what, head, known in (
        ("status", status, STATUSES),
        ("artifact type", artifact_type, ARTIFACT_TYPES),
        ("domain", domains, DOMAINS),
    ):
        unknown = [c for c in head.classes if c not in known]
        if unknown or len(set(head.classes)) != len(head.classes):
            raise ModelError(
                f"{path or 'model'}: the {what} head's labels {list(head.classes)} are not "
                f"distinct labels of this naio_nlp's codebook ({', '.join(known)})"
            )


def _check_compatible(meta: Mapping[str, Any], path: Path) -> None:
    fmt = meta.get("format_version")
    built = str(meta.get("naio_nlp_version", "unknown"))
    if fmt != FORMAT_VERSION or built.split(".")[:2] != __version__.split(".")[:2]:
        raise ModelError(
            f"{path}: built by naio_nlp {built} (model format {fmt}); this is naio_nlp "
            f"{__version__} (model format {FORMAT_VERSION}). Retrain it with "
            f"`naio-nlp train --corpus corpus/ --out {path}` or install naio_nlp {built}."
        )


def _as_row(item: Article | Mapping[str, Any] | str, i: int) -> tuple[str, str, str, str | None]:
    if isinstance(item, Article):
        return item.id, item.title, item.text, item.language
    if isinstance(item, str):
        return str(i), "", item, None
    text = item.get("text")
    if not isinstance(text, str):
        raise InvalidFieldError(
            f"classify_many: item {i} 'text'", type(text).__name__, "a string (the document)"
        )
    lang = item.get("lang", item.get("language"))
    return str(item.get("id", i)), str(item.get("title") or ""), text, lang


def _predict_dicts(
    classifier: Classifier, batch: list[tuple[str, str, str, str | None]]
) -> list[dict[str, Any]]:
    """Worker side of ``classify_many(n_process=...)``: predictions as dicts."""
    return [p.to_dict() for p in classifier._predict(batch)]


# ----------------------------------------------------------------------------- evidence helpers


def _naio_roles(b: AnalysisBatch, cols: Mapping[str, int]) -> list[NaioRole]:
    """NAIO's role in each document: operative (NAIO itself releases), cited, or absent."""
    n = len(b)
    c = b.sent_counts
    sent_doc = b.sent_doc()
    naio = c[:, cols["cue:naio"]] > 0
    operative = (
        naio
        & (c[:, cols["cue:release"]] > 0)
        & (c[:, cols["cue:establishment"]] == 0)
        & (c[:, cols["cue:intention"]] == 0)
        & (c[:, cols["cue:footer"]] == 0)
        & (c[:, cols["cue:citation"]] == 0)
    )
    named = (_per_doc(sent_doc, naio, n) > 0) | b.title_naio
    acts = _per_doc(sent_doc, operative, n) > 0
    has_sentences = np.diff(b.sent_off) > 0
    roles: list[NaioRole] = []
    for h, nm, op in zip(has_sentences.tolist(), named.tolist(), acts.tolist(), strict=True):
        roles.append("absent" if not (h and nm) else "operative" if op else "cited")
    return roles


def _top_k_per_group(
    group: npt.NDArray[np.int64], score: Float, k: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Positions of each group's ``k[group]`` highest scores, group by group, best first.

    ``group`` is sorted and positions within a group are in sentence order, so
    taking the first maximum breaks ties toward the earlier sentence. One
    segment-wise argmax per rank: k is at most 3, so this beats a full sort.
    """
    if not group.size:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    segment = np.cumsum(np.concatenate([[0], (group[1:] != group[:-1]).astype(np.int64)]))
    work = score.copy()
    picks: list[npt.NDArray[np.int64]] = []
    ranks: list[npt.NDArray[np.int64]] = []
    for rank in range(int(k.max())):
        best = np.maximum.reduceat(work, starts)
        hit = np.flatnonzero((work == best[segment]) & (work > -np.inf))
        if not hit.size:  # every group is used up
            break
        first = hit[np.concatenate([[True], segment[hit][1:] != segment[hit][:-1]])]
        first = first[k[group[first]] > rank]
        work[first] = -np.inf
        picks.append(first)
        ranks.append(np.full(first.size, rank))
    chosen = np.concatenate(picks)
    order = np.lexsort((np.concatenate(ranks), group[chosen]))
    out: npt.NDArray[np.int64] = chosen[order]
    return out


# The leading lookaheads only skip positions where no match can start: they
# make the scans several times faster without changing what is found.
_DATE_RE = re.compile(
    r"(?=[\dJFMASOND])\b(\d{1,2}(?:\s*(?:-|–|to|hingga|dan)\s*\d{1,2})?\s+"
    r"(?:Jan(?:uary|uari)?|Feb(?:ruary|ruari)?|Mar(?:ch)?|Mac|Apr(?:il)?|May|Mei|June?|"
    r"July?|Julai|Aug(?:ust)?|Ogos|Sept?(?:ember)?|Oct(?:ober)?|Okt(?:ober)?|Nov(?:ember)?|"
    r"Dec(?:ember)?|Dis(?:ember)?)\s+\d{4}"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+\d{4}|\d{4}-\d{2}-\d{2})\b"
)
# Up to five capitalised words before a company or institution suffix, or
# "Universiti" and up to four capitalised words after it, on one line: the
# spaces are horizontal ([^\S\n]), so a name never runs across a line break.
_PARTNER_RE = re.compile(
    r"\b(?=[A-Z])(?:((?:[A-Z][\w&.'-]*+[^\S\n]++){0,5}(?:Sdn\.?[^\S\n]+Bhd\.?|Berhad|Bhd|"
    r"Inc\.?|Ltd\.?|Corporation|Corp\.?|Technologies|Labs|Foundation|University|Institute))"
    r"(?!\w)|(Universiti[^\S\n]+(?:[A-Z][\w-]*[^\S\n]*){1,4}))"
)
# Every partner match contains one of these; most texts hold none.
_PARTNER_HINT = re.compile(
    r"Sdn|Berhad|Bhd|Inc|Ltd|Corp|Technologies|Labs|Foundation|Universit|Institute"
)


def _artifact_slots(
    text: str,
    body_start: int,
    named_outputs: Sequence[tuple[int, int, int]],
    agencies_found: Sequence[tuple[int, str]],
    c: Float,
    bounds: npt.NDArray[np.int64],
    sentences: Sequence[EvidenceSentence],
    cols: Mapping[str, int],
) -> ArtifactSlots:
    """The artifact's name, agencies, partners and date, as written in the text.

    ``c`` and ``bounds`` are the document's per-sentence cue counts and
    character offsets. Partners are names ending in a company or institution
    suffix, each on one line; the date is looked for in the top status
    sentence, then in the body sentences where the analysis found a month or a
    year.
    """
    body = text[body_start:]
    top_sentence = next((s for s in sentences if s.supports.startswith("status")), None)
    name = None
    if named_outputs:
        scored = []
        for s, start, end in named_outputs:
            rank = 0.0
            if top_sentence is not None:
                abs_start = top_sentence.start + body_start
                if abs_start <= start < top_sentence.end + body_start:
                    rank += 4
            rank += 2 * float(c[s, cols["cue:release"]] > 0) + float(c[s, cols["cue:naio"]] > 0)
            rank += (end - start) / 100
            scored.append((rank, -start, text[start:end]))
        name = max(scored)[2]
    naio_lower = _NAIO_LOWER
    agencies = tuple(dict.fromkeys(t for _, t in agencies_found if t.lower() not in naio_lower))
    partners: tuple[str, ...] = ()
    if _PARTNER_HINT.search(body):
        found = (m.group(0).strip() for m in _PARTNER_RE.finditer(body))
        partners = tuple(dict.fromkeys(found))[:8]
    when = None
    if top_sentence is not None:
        m = _DATE_RE.search(top_sentence.text)
        when = m.group(0) if m else None
    if when is None:
        dated = c[:, cols["x:date"]] > 0
        for (start, end), has_date in zip(bounds.tolist(), dated.tolist(), strict=True):
            if has_date and start >= body_start and (m := _DATE_RE.search(text[start:end])):
                when = m.group(0)
                break
    return ArtifactSlots(name=name, agencies=agencies[:10], partners=partners, date=when)


_NAIO_LOWER = frozenset(n.lower() for n in NAIO_NAMES)


# ----------------------------------------------------------------------------- loading


def default_model_path() -> Path:
    """Where the shipped model lives: ``models/naio-default`` in a checkout, or the package."""
    checkout = Path(__file__).resolve().parents[2] / "models" / DEFAULT_MODEL_NAME
    if (checkout / "meta.json").is_file():
        return checkout
    packaged = resources.files("naio_nlp") / "models" / DEFAULT_MODEL_NAME
    return Path(str(packaged))


def load(path: Path | str | None = None) -> Classifier:
    """Load a model folder; the shipped default when ``path`` is None."""
    target = Path(path) if path is not None else default_model_path()
    if path is None and not (target / "meta.json").is_file():
        raise ModelError(
            f"the default model is not installed (looked in {target}); train one with "
            "`naio-nlp train --corpus corpus/ --out models/naio-default`"
        )
    return Classifier.from_disk(target)


def model_digest(path: Path | str) -> str:
    """sha256 over a model folder's files (names and bytes), to tell one model from another."""
    root = Path(path)
    h = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(file.relative_to(root).as_posix().encode("utf-8") + b"\0")
        with file.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


#: Models this process loaded by :func:`load_verified`, by (folder, digest).
_VERIFIED: dict[tuple[str, str], Classifier] = {}
_VERIFIED_LOCK = threading.Lock()


def load_verified(path: str, digest: str) -> Classifier:
    """The model at ``path``, loaded once per process, if its files still have ``digest``.

    This is how a pickled :class:`Classifier` comes back to life in a worker: a
    changed folder (retrained, or a different model on that machine) raises
    :class:`ModelError` rather than silently labelling with another model.
    """
    key = (str(Path(path).resolve()), digest)
    with _VERIFIED_LOCK:
        cached = _VERIFIED.get(key)
        if cached is not None:
            return cached
        classifier = Classifier.from_disk(path)
        if classifier.digest != digest:
            raise ModelError(
                f"{path}: the model's files changed after this classifier was sent "
                f"(digest {str(classifier.digest)[:12]}, expected {digest[:12]}); every worker "
                "must see the same model folder"
            )
        _VERIFIED[key] = classifier
        return classifier
