"""The classifier: passages scored for the codebook's tests, documents decided from them.

Prediction runs in three steps over a batch (see :mod:`naio_nlp.passages`):

1. every sentence, read with its neighbours, is scored for O (a named output),
   S (it happened, with specifics), R (NAIO an agent or co-agent) and A (all
   three), and for the artifact type, by linear heads over its hashed n-grams
   and cue counts;
2. ``status`` is a multinomial logistic regression, temperature-calibrated,
   over a few aggregates of those scores per document (best A, best O+S+R,
   best R, NAIO named, only in a footer, ...);
3. ``domains`` are seven logistic regressions, Platt-calibrated, over the
   document's n-grams and topic cues, counted on substantive sentences only (a
   sentence that lists three topics is a mandate list: codebook R4).

The best passage (highest A) is the evidence: its type is the artifact type,
and NAIO's role is read from it, so an ``artifact`` always shows the passage
that passed and ``naio_role`` is ``operative``. How the heads are chosen and
fitted is :mod:`naio_nlp.training`; how a model is saved, :mod:`naio_nlp.persist`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import compress, islice
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .errors import InvalidFieldError, ModelError
from .features import N_HASH, Analysis, AnalysisBatch, TextAnalyzer
from .labels import ARTIFACT_TYPES, DOMAINS, STATUSES
from .passages import (
    ALL_AGGREGATES,
    PASSAGE_HEADS,
    aggregates,
    naio_near,
    passage_rows,
    window_logits,
)
from .schema import (
    Article,
    Evidence,
    EvidenceSentence,
    NaioRole,
    Prediction,
)
from .slots import artifact_slots

__all__ = ["Classifier", "LinearHead", "load", "load_verified", "model_digest"]

log = logging.getLogger(__name__)

#: Bumped whenever the saved layout or the meaning of a saved array changes.
FORMAT_VERSION = 4
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
    sigmoid(a * logit + b) and ``thresholds`` turn them into labels: one per
    class, or one row per analysed language (:data:`THRESHOLD_LANGUAGES` order).

    ``coef`` is a dense array while training and a ``scipy.sparse`` CSR matrix
    in a :class:`Classifier` (loaded or trained): most weights are zero, so the
    sparse form holds the heads in a fraction of the dense size. Predicting
    reads neither (see ``_Compact``).
    """

    classes: tuple[str, ...]
    coef: Float | sp.csr_matrix
    intercept: Float
    kind: str
    temperature: float = 1.0
    platt_a: Float = field(default_factory=lambda: np.zeros(0))
    platt_b: Float = field(default_factory=lambda: np.zeros(0))
    thresholds: Float = field(default_factory=lambda: np.zeros(0))

    def logits(self, X: sp.csr_matrix) -> Float:
        z = X @ self.coef.T
        out: Float = (z.toarray() if sp.issparse(z) else np.asarray(z)) + self.intercept
        return out

    def proba(self, X: sp.csr_matrix) -> Float:
        return self.calibrated(self.logits(X))

    def calibrated(self, z: Float) -> Float:
        """Probabilities from logits."""
        if self.kind == "softmax":
            return _softmax(z / self.temperature)
        return _sigmoid(z * self.platt_a + self.platt_b)


#: The order of the rows of per-language thresholds.
THRESHOLD_LANGUAGES: tuple[str, ...] = ("en", "ms")


def thresholds_for(thresholds: Float, languages: Sequence[str]) -> Float:
    """Each document's thresholds: the shared ones, or its analysed language's row."""
    if thresholds.ndim == 1:
        return thresholds
    rows = [THRESHOLD_LANGUAGES.index(lg) if lg in THRESHOLD_LANGUAGES else 0 for lg in languages]
    out: Float = thresholds[np.array(rows, dtype=np.int64)]
    return out


def _softmax(z: Float) -> Float:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Float = e / e.sum(axis=1, keepdims=True)
    return out


def _sigmoid(z: Float) -> Float:
    out: Float = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
    return out


# ----------------------------------------------------------------------------- document rows


@dataclass
class FeatureSpace:
    """What turns analyses into the rows the heads read: IDF weights and the cue block's scale."""

    idf: Float  # (N_HASH,)
    dense_scale: float
    n_dense: int

    @property
    def n_doc_features(self) -> int:
        """Width of a document row: n-gram buckets, cue sums, document extras."""
        return N_HASH + self.n_dense + len(extra_feature_names())

    @property
    def n_features(self) -> int:
        """Width of the document heads: a document row, then the passage aggregates."""
        return self.n_doc_features + len(ALL_AGGREGATES)

    @property
    def n_passage_features(self) -> int:
        """Width of a passage row: n-gram buckets, own and neighbour cues, context."""
        from .passages import CONTEXT

        return N_HASH + 2 * self.n_dense + len(CONTEXT)


_DOMAIN_EXTRA = tuple(f"dfrac:{d}" for d in DOMAINS) + tuple(f"dtitle:{d}" for d in DOMAINS)
_EXTRA = ("has_naio", "naio_only_footer", "log_sentences")


def extra_feature_names() -> tuple[str, ...]:
    """Document-level features appended after the per-sentence cue sums."""
    return _EXTRA + _DOMAIN_EXTRA


def _per_doc(sent_doc: npt.NDArray[np.int64], values: Any, n_docs: int) -> Float:
    """Sum a per-sentence quantity over each document's sentences."""
    out: Float = np.bincount(sent_doc, weights=values, minlength=n_docs).astype(np.float64)
    return out


def document_rows(
    b: AnalysisBatch,
    idf: Float,
    dense_scale: float,
    cols: Mapping[str, int],
    bucket_rows: npt.NDArray[np.int64] | None = None,
) -> sp.csr_matrix:
    """Each document's row over its substantive sentences: TF-IDF n-grams, cue sums, extras.

    A sentence that lists topics (``x:topic_list``) counts for nothing here:
    the domains are read from sentences that treat a topic (codebook R4). With
    ``bucket_rows`` (a row per bucket, -1 for a bucket no weight reads) the
    n-gram columns are those rows, so ``X`` multiplies a compacted weight matrix.
    """
    n = len(b)
    c = b.sent_counts
    sent_doc = b.sent_doc()
    listed = c[:, cols["x:topic_list"]] > 0
    kept = ~listed
    # n-gram counts without the list sentences' occurrences
    if listed.any():
        keep_occ = kept[b.occ_sent]
        counts = np.bincount(b.occ_inverse[keep_occ], minlength=b.ngram_ids.size).astype(np.float64)
    else:
        counts = b.ngram_counts
    ngram_doc = np.repeat(np.arange(n, dtype=np.int64), np.diff(b.ngram_off))
    present = counts > 0
    vals = np.where(present, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0) * idf[b.ngram_ids]
    norm = np.sqrt(_per_doc(ngram_doc, vals * vals, n))
    vals = vals / np.where(norm > 0, norm, 1.0)[ngram_doc]
    sums = np.zeros((n, c.shape[1]))
    if c.shape[0]:
        np.add.at(sums, sent_doc[kept], c[kept])
    n_sent = np.diff(b.sent_off).astype(np.float64)
    nn = np.maximum(n_sent, 1.0)
    naio = c[:, cols["cue:naio"]] > 0
    footer = c[:, cols["cue:footer"]] > 0
    n_naio = _per_doc(sent_doc, naio, n)
    extra = [
        (n_naio > 0).astype(np.float64),
        ((n_naio > 0) & (_per_doc(sent_doc, naio & ~footer, n) == 0)).astype(np.float64),
        np.log1p(n_sent),
    ]
    local = np.arange(c.shape[0]) - b.sent_off[sent_doc]
    has_title = (b.body_starts > 0) & (n_sent > 0)
    title_row = has_title[sent_doc] & (local == 0)
    body = ~title_row & kept
    n_body = np.maximum(_per_doc(sent_doc, body, n), 1.0)
    dfrac, dtitle = [], []
    for d in DOMAINS:
        on = c[:, cols[f"domain:{d}"]] > 0
        dfrac.append(_per_doc(sent_doc, on & body, n) / n_body)
        dtitle.append((_per_doc(sent_doc, on & title_row, n) > 0).astype(np.float64))
    del nn
    dense = (
        np.concatenate([np.log1p(sums), np.stack(extra + dfrac + dtitle, axis=1)], axis=1)
        * dense_scale
    )
    dense_row, dense_col = np.nonzero(dense)
    if bucket_rows is None:
        n_text, text_doc, text_col, text_val = N_HASH, ngram_doc, b.ngram_ids, vals
    else:
        n_text = int(bucket_rows.max(initial=-1)) + 1
        mapped = np.take(bucket_rows, b.ngram_ids)
        read = mapped >= 0
        text_doc, text_col, text_val = ngram_doc[read], mapped[read], vals[read]
    nz = text_val != 0
    text_doc, text_col, text_val = text_doc[nz], text_col[nz], text_val[nz]
    row_of = np.concatenate([text_doc, dense_row])
    order = np.argsort(row_of, kind="stable")  # merges two sorted runs
    return sp.csr_matrix(
        (
            np.concatenate([text_val, dense[dense_row, dense_col]])[order],
            np.concatenate([text_col, n_text + dense_col])[order],
            np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=n))]),
        ),
        shape=(n, n_text + dense.shape[1]),
    )


def batch_of(analyses: Sequence[Analysis], n_dense: int) -> AnalysisBatch:
    """Single analyses end to end, as training reads them."""
    return AnalysisBatch.from_analyses(analyses, n_dense)


# ----------------------------------------------------------------------------- classifier


class Classifier:
    """Labels documents with status, artifact type and domains, with evidence.

    Get one with :func:`naio_nlp.load` (the shipped model) or :func:`naio_nlp.train`.
    """

    #: What :mod:`naio_nlp.persist` builds a loaded model from.
    FORMAT_VERSION = FORMAT_VERSION
    Head = LinearHead
    Space = FeatureSpace

    def __init__(
        self,
        *,
        analyzer: TextAnalyzer,
        space: FeatureSpace,
        passage: LinearHead,
        status: LinearHead,
        artifact_type: LinearHead,
        domains: LinearHead,
        meta: dict[str, Any],
        path: Path | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.space = space
        self.passage_head = passage
        self.status_head = status
        self.type_head = artifact_type
        self.domain_head = domains
        self.meta = meta
        self.path = path
        #: sha256 of the model folder's files when it was loaded or saved (None in memory)
        self.digest: str | None = None
        _check_labels(status, artifact_type, domains, path)
        if passage.classes != PASSAGE_HEADS:
            raise ModelError(
                f"{path or 'model'}: the passage heads are not {', '.join(PASSAGE_HEADS)}"
            )
        self._cols = {n: i for i, n in enumerate(analyzer.feature_names)}
        # Document heads (status, domains) as one (features x classes) matrix whose
        # n-gram rows keep only the buckets some head weighs; passage heads (the
        # four tests, then the types) likewise. One sparse product gives each.
        self._doc = _Compact([status, domains], N_HASH)
        self._sent = _Compact([passage, artifact_type], N_HASH)
        self._n_doc = space.n_doc_features

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
        """Label one document.

        An empty or whitespace-only ``text`` raises :class:`InvalidFieldError`
        (field ``text``): there is nothing to classify, and a label for it
        would look like a real call.
        """
        if not isinstance(text, str):
            raise InvalidFieldError(
                "classify: text", type(text).__name__, "a string (the document)"
            )
        if not text.strip():
            raise InvalidFieldError(
                "classify: text",
                text[:40],
                "the document's text; an empty or whitespace-only text has nothing to classify",
            )
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

    def to_disk(self, path: Path | str) -> Path:
        """Save as JSON + npz + spaCy ``to_disk`` (nothing that runs code on load)."""
        from .persist import save_classifier

        self.path = save_classifier(self, Path(path))
        self.digest = model_digest(self.path)
        return self.path

    @classmethod
    def from_disk(cls, path: Path | str) -> Classifier:
        """Load a saved model; a clear :class:`ModelError` if it cannot be used."""
        from .persist import load_classifier

        classifier = load_classifier(cls, Path(path))
        classifier.digest = model_digest(path)
        _LOADED_HERE[(str(Path(path).resolve()), classifier.digest)] = classifier
        return classifier

    # -- internals

    def _predict_parallel(
        self, batches: Iterator[list[tuple[str, str, str, str | None]]], n_process: int
    ) -> Iterator[Prediction]:
        from ._workers import map_batches

        for _, dicts in map_batches(self, batches, n_process, _predict_dicts):
            yield from (Prediction.from_dict(d) for d in dicts)

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

    def scores(self, b: AnalysisBatch) -> tuple[Float, Float, npt.NDArray[np.int64], Float]:
        """Sentence logits (tests, then types), document logits, best passage, aggregates."""
        sent_rows = passage_rows(b, self._cols, self._sent.bucket_rows, self._sent.n_text)
        z_sent = self._sent.logits(sent_rows)
        agg, best = aggregates(b, z_sent[:, : len(PASSAGE_HEADS)], self._cols)
        doc_rows = document_rows(
            b, self.space.idf, self.space.dense_scale, self._cols, self._doc.bucket_rows
        )
        z_doc = self._doc.logits(doc_rows, extra=agg)
        return z_sent, z_doc, best, agg

    def _predict_batch(self, ids: Sequence[str], b: AnalysisBatch) -> list[Prediction]:
        """Decisions, evidence and slots for a batch, vectorised across its documents."""
        z_sent, z_doc, best, _ = self.scores(b)
        n_s, n_tests = len(self.status_head.classes), len(PASSAGE_HEADS)
        p_status = self.status_head.calibrated(z_doc[:, :n_s])
        p_dom = self.domain_head.calibrated(z_doc[:, n_s:])
        z_type = window_logits(z_sent[:, n_tests:], b, best)
        p_type = self.type_head.calibrated(z_type)
        if not (np.isfinite(p_status).all() and np.isfinite(p_type).all()):
            raise ModelError(f"{self!r} gave probabilities that are not numbers")
        if not np.isfinite(p_dom).all():
            raise ModelError(f"{self!r} gave domain probabilities that are not numbers")
        s_idx = p_status.argmax(axis=1)
        t_idx = p_type.argmax(axis=1)
        on = p_dom >= thresholds_for(self.domain_head.thresholds, b.languages)
        s_classes, t_classes = self.status_head.classes, self.type_head.classes
        d_classes = self.domain_head.classes
        statuses = [s_classes[k] for k in s_idx.tolist()]
        review = self.review_thresholds
        bar = np.array([review.get(c, 0.0) for c in s_classes])
        needs_review = (p_status[np.arange(len(b)), s_idx] < bar[s_idx]).tolist()
        types = [t_classes[k] for k in t_idx.tolist()]
        p_tests = _sigmoid(z_sent[:, :n_tests])  # O, S, R, A, then each domain
        p_tests[~naio_near(b, self._cols), 2:4] = 0.0  # no NAIO nearby: no R, no A
        version = self.version
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
            domains = tuple(compress(d_classes, on_row))
            sentences, role = self._evidence(b, i, status, atype, domains, p_tests, int(best[i]))
            slots = None
            if atype is not None:
                s0, s1 = int(b.sent_off[i]), int(b.sent_off[i + 1])
                slots = artifact_slots(
                    b.texts[i],
                    int(b.body_starts[i]),
                    b.named_outputs[i],
                    b.agencies[i],
                    b.sent_counts[s0:s1],
                    b.sent_bounds[s0:s1],
                    sentences,
                    self._cols,
                )
            out.append(
                Prediction(
                    ids[i],
                    status,
                    atype,
                    domains,
                    dict(zip(s_classes, rows_s, strict=True)),
                    dict(zip(t_classes, rows_t, strict=True)),
                    dict(zip(d_classes, rows_d, strict=True)),
                    needs_review[i],
                    Evidence(sentences, role, slots),
                    version,
                )
            )
        return out

    def _evidence(
        self,
        b: AnalysisBatch,
        i: int,
        status: str,
        atype: str | None,
        domains: Sequence[str],
        p_tests: Float,
        best: int,
    ) -> tuple[tuple[EvidenceSentence, ...], NaioRole]:
        """The passages behind each decision, and NAIO's role as those passages show it.

        ``artifact``: the best passage (highest A), which also names the type.
        ``symbolic``: the passage that shows NAIO most as an agent (highest R)
        and, if another, the nearest miss (highest A). ``unrelated``: none.
        Each domain: the body sentence that most treats its topic.
        Only body sentences are quoted (offsets are into the body).
        """
        s0, s1 = int(b.sent_off[i]), int(b.sent_off[i + 1])
        base = int(b.body_starts[i])
        text = b.texts[i]
        bounds = b.sent_bounds
        c = b.sent_counts
        cols = self._cols
        in_body = bounds[s0:s1, 0] >= base
        naio = c[s0:s1, cols["cue:naio"]] > 0
        named = bool(naio.any() or b.title_naio[i])
        out: list[EvidenceSentence] = []

        def quote(s: int, score: float, supports: str) -> None:
            start, end = int(bounds[s, 0]), int(bounds[s, 1])
            out.append(
                EvidenceSentence(
                    text[start:end], start - base, end - base, round(score, 4), supports
                )
            )

        body_idx = np.flatnonzero(in_body) + s0
        role: NaioRole = "absent" if not named else "cited"
        if status == "artifact":
            role = "operative"
            centre = best if best >= 0 and bounds[best, 0] >= base else -1
            if centre < 0 and body_idx.size:
                centre = int(body_idx[np.argmax(p_tests[body_idx, 3])])
            if centre >= 0:
                quote(centre, float(p_tests[centre, 3]), "status:artifact")
                if atype is not None:
                    quote(centre, float(p_tests[centre, 3]), f"type:{atype}")
        elif status == "symbolic" and body_idx.size:
            r_best = int(body_idx[np.argmax(p_tests[body_idx, 2])])
            a_best = int(body_idx[np.argmax(p_tests[body_idx, 3])])
            picks = sorted(
                {r_best: p_tests[r_best, 2], a_best: p_tests[a_best, 3]}.items(),
                key=lambda kv: -kv[1],
            )
            for s, score in picks:
                if score > 0:
                    quote(s, float(score), "status:symbolic")
            if named and p_tests[r_best, 2] >= 0.5:
                role = "operative"
        if domains and body_idx.size:
            for d in domains:
                on_topic = p_tests[body_idx, 4 + self.domain_head.classes.index(d)]
                k = int(np.argmax(on_topic))
                quote(int(body_idx[k]), float(on_topic[k]), f"domain:{d}")
        return tuple(out), role


class _Compact:
    """Several heads' weights as one (features x classes) matrix, n-gram rows compacted.

    Most hash buckets never occurred in training and weigh nothing in any head;
    predicting reads the others from a compact copy, which keeps the product's
    random reads within far less memory. Each head's ``coef`` is kept as a CSR
    matrix of its nonzero weights (for saving), never as a dense array: built
    from the nonzero entries, the compact matrix is the same array, value for
    value, as one cut from dense weights, so predictions do not change.
    """

    def __init__(self, heads: Sequence[LinearHead], n_hash: int) -> None:
        for h in heads:
            h.coef = _csr(h.coef)
        coo = sp.vstack([h.coef for h in heads], format="csr").tocoo()
        head_col, feature, value = coo.row, coo.col.astype(np.int64), coo.data
        width = int(coo.shape[1])
        self.intercepts = np.concatenate([h.intercept for h in heads])
        used = np.unique(feature[feature < n_hash])
        self.bucket_rows = np.full(n_hash, -1, dtype=np.int64)
        self.bucket_rows[used] = np.arange(used.size)
        self.n_text = int(used.size)
        row = np.where(
            feature < n_hash,
            self.bucket_rows[np.minimum(feature, n_hash - 1)],
            self.n_text + feature - n_hash,
        )
        self.weights = np.zeros((self.n_text + width - n_hash, int(coo.shape[0])))
        self.weights[row, head_col] = value

    def logits(self, X: sp.csr_matrix, extra: Float | None = None) -> Float:
        """``X`` (compact n-gram columns, then the rest) times the weights, plus ``extra``'s."""
        width = X.shape[1]
        z = np.asarray(X @ self.weights[:width]) + self.intercepts
        if extra is not None and extra.shape[1]:
            # a sparse product, as above: each row's sum runs in the same order whatever
            # the batch (BLAS may block a dense product by batch size, changing last bits)
            z += sp.csr_matrix(extra) @ self.weights[width : width + extra.shape[1]]
        out: Float = z
        return out


def _csr(coef: Float | sp.csr_matrix) -> sp.csr_matrix:
    """``coef`` as a canonical CSR matrix of its nonzero entries (values kept exactly)."""
    out = sp.csr_matrix(coef, dtype=np.float64, copy=sp.issparse(coef))
    out.sum_duplicates()
    out.eliminate_zeros()
    out.sort_indices()
    return out


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


def _as_row(item: Article | Mapping[str, Any] | str, i: int) -> tuple[str, str, str, str | None]:
    if isinstance(item, Article):
        return item.id, item.title, item.text, item.language
    if isinstance(item, str):
        return str(i), "", item, None
    if not isinstance(item, Mapping):
        raise InvalidFieldError(
            f"classify_many: item {i}",
            type(item).__name__,
            "an Article, a mapping with a 'text' string, or a string",
        )
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
#: Every model this process loaded from disk and still holds, by (folder, digest): a
#: classifier unpickled in the process that sent it is that object, not a second copy
#: (Dask's scheduler unpickles task arguments, and in a LocalCluster it runs in the
#: process that loaded the model).
_LOADED_HERE: weakref.WeakValueDictionary[tuple[str, str], Classifier] = (
    weakref.WeakValueDictionary()
)


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
        here = _LOADED_HERE.get(key)
        if here is not None and model_digest(path) == digest:  # still the files it came from
            _VERIFIED[key] = here
            return here
        classifier = Classifier.from_disk(path)
        if classifier.digest != digest:
            raise ModelError(
                f"{path}: the model's files changed after this classifier was sent "
                f"(digest {str(classifier.digest)[:12]}, expected {digest[:12]}); every worker "
                "must see the same model folder"
            )
        _VERIFIED[key] = classifier
        return classifier
