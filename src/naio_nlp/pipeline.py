"""The classifier: features from the spaCy stage, decisions from scikit-learn.

Three decisions share one feature row per document — hashed word 1-2-grams
(TF-IDF weighted) beside the per-document sums of the O-S-R cue counts:

* ``status``: multinomial logistic regression, temperature-calibrated;
* ``artifact_type``: multinomial logistic regression trained on artifacts;
* ``domains``: seven independent logistic regressions, Platt-calibrated,
  each with its own threshold chosen on out-of-fold predictions.

Hyper-parameters, calibration, thresholds and the abstention operating point
are all chosen by group-wise cross-validation on the training data (documents
from one writing batch never sit on both sides of a fold), so the frozen test
split is only ever used to report.

Linear models make evidence exact: each sentence's share of the decision is
the sum of its tokens' and cues' weighted feature values.

A saved model is a folder of JSON and ``.npz`` arrays plus spaCy's ``to_disk``
output: loading it executes no code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import platform
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import spacy

from ._version import __version__
from .corpus import CorpusRecord, corpus_hash
from .errors import ModelError
from .features import N_HASH, Analysis, TextAnalyzer, iter_sentences
from .labels import ARTIFACT_TYPES, DOMAINS, NAIO_NAMES, STATUSES
from .lexicon import lexicon_dict
from .schema import Article, ArtifactSlots, Evidence, EvidenceSentence, NaioRole, Prediction

__all__ = ["Classifier", "TrainReport", "load", "train"]

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
        z = self.logits(X)
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
    """Turns analyses into the rows the heads read."""

    idf: Float  # (N_HASH,)
    dense_scale: float
    n_dense: int

    @property
    def n_features(self) -> int:
        return N_HASH + self.n_dense + len(extra_feature_names())

    def transform(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        return _rows(analyses, self.idf, self.dense_scale)


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


def _dense(a: Analysis, cols: Mapping[str, int]) -> Float:
    sums = a.sent_counts.sum(axis=0) if a.n_sentences else np.zeros(a.sent_counts.shape[1])
    naio_col, footer_col = cols["cue:naio"], cols["cue:footer"]
    naio_rows = a.sent_counts[:, naio_col] > 0 if a.n_sentences else np.zeros(0, dtype=bool)
    has_naio = float(naio_rows.any())
    footer_start = a.n_sentences
    if a.n_sentences and (a.sent_counts[:, footer_col] > 0).any():
        footer_start = int(np.flatnonzero(a.sent_counts[:, footer_col] > 0)[0])
    only_footer = float(has_naio and not naio_rows[:footer_start].any())
    first = float(np.flatnonzero(naio_rows)[0]) / a.n_sentences if has_naio else 1.0
    c = a.sent_counts
    n = max(a.n_sentences, 1)
    lead = c[:_LEAD]
    release = c[:, cols["cue:release"]] > 0
    intention = c[:, cols["cue:intention"]] > 0
    extra = np.array(
        [
            has_naio,
            float(a.title_naio),
            only_footer,
            first,
            math.log1p(a.n_sentences),
            float((lead[:, cols["co:s_naio_release"]] > 0).any()),
            float((lead[:, cols["co:s_naio_intention"]] > 0).any()),
            float((lead[:, cols["x:specific"]] > 0).any()),
            release.sum() / n,
            intention.sum() / n,
            (c[:, cols["co:s_naio_release"]] > 0).sum() / n,
            (c[:, cols["cue:citation"]] > 0).sum() / n,
        ]
    )
    # How much of the document is on each domain's topic, and is the topic in the title?
    dom = np.stack([c[:, cols[f"domain:{d}"]] > 0 for d in DOMAINS], axis=1)
    has_title = a.body_start > 0 and a.n_sentences > 0
    body = dom[1:] if has_title else dom
    frac = body.sum(axis=0) / max(body.shape[0], 1)
    in_title = dom[0].astype(np.float64) if has_title else np.zeros(len(DOMAINS))
    extra = np.concatenate([extra, frac, in_title])
    return np.concatenate([np.log1p(sums), extra])


def _text_counts(a: Analysis) -> tuple[npt.NDArray[np.int64], Float, npt.NDArray[np.int64]]:
    return a.ngram_ids, a.ngram_counts, a.ngram_inverse


def _rows(analyses: Sequence[Analysis], idf: Float, dense_scale: float) -> sp.csr_matrix:
    indptr = [0]
    indices: list[npt.NDArray[np.int64]] = []
    data: list[Float] = []
    if not analyses:
        return sp.csr_matrix((0, N_HASH))
    cols = _columns()
    for a in analyses:
        uniq, counts, _ = _text_counts(a)
        vals = (1.0 + np.log(counts)) * idf[uniq]
        norm = float(np.sqrt((vals * vals).sum()))
        if norm > 0:
            vals = vals / norm
        dense = _dense(a, cols) * dense_scale
        nz = np.flatnonzero(dense)
        indices.append(uniq)
        indices.append(N_HASH + nz)
        data.append(vals)
        data.append(dense[nz])
        indptr.append(indptr[-1] + uniq.size + nz.size)
    n_cols = N_HASH + analyses[0].sent_counts.shape[1] + len(extra_feature_names())
    return sp.csr_matrix(
        (np.concatenate(data), np.concatenate(indices), np.array(indptr)),
        shape=(len(analyses), n_cols),
    )


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
        names = analyzer.feature_names
        self._cols = {n: i for i, n in enumerate(names)}

    @property
    def version(self) -> str:
        """Identifies the trained model; stored with every prediction."""
        return str(self.meta["model_version"])

    @property
    def review_thresholds(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.meta["review_thresholds"].items()}

    def __repr__(self) -> str:
        return f"<Classifier {self.version} from {self.path or 'memory'}>"

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
            raise ValueError("batch_size must be at least 1")
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
            yield from (Prediction.from_dict(d) for d in dicts)

    def _predict(self, rows: Sequence[tuple[str, str, str, str | None]]) -> list[Prediction]:
        if not rows:
            return []
        texts = [r[2][:MAX_CHARS] for r in rows]
        titles = [r[1][:2000] for r in rows]
        analyses = self.analyzer.analyse(texts, titles, [r[3] for r in rows])
        X = self.space.transform(analyses)
        p_status = self.status_head.proba(X)
        p_type = self.type_head.proba(X)
        p_dom = self.domain_head.proba(X)
        out = []
        for i, (row, a) in enumerate(zip(rows, analyses, strict=True)):
            lo, hi = X.indptr[i], X.indptr[i + 1]
            values = (X.indices[lo:hi], X.data[lo:hi])
            out.append(self._prediction(row[0], a, values, p_status[i], p_type[i], p_dom[i]))
        return out

    def _prediction(
        self,
        article_id: str,
        a: Analysis,
        x: tuple[npt.NDArray[np.int32], Float],
        p_status: Float,
        p_type: Float,
        p_dom: Float,
    ) -> Prediction:
        s_idx = int(np.argmax(p_status))
        status = self.status_head.classes[s_idx]
        atype = self.type_head.classes[int(np.argmax(p_type))] if status == "artifact" else None
        doms = tuple(
            d
            for j, d in enumerate(self.domain_head.classes)
            if p_dom[j] >= self.domain_head.thresholds[j]
        )
        needs_review = bool(p_status[s_idx] < self.review_thresholds.get(status, 0.0))
        sentences = self._evidence(a, x, status, atype, doms)
        role = _naio_role(a, self._cols)
        slots = _artifact_slots(a, sentences, self._cols) if status == "artifact" else None
        return Prediction(
            article_id=article_id,
            status=status,
            artifact_type=atype,
            domains=doms,
            status_probs={
                c: float(p) for c, p in zip(self.status_head.classes, p_status, strict=True)
            },
            artifact_type_probs={
                c: float(p) for c, p in zip(self.type_head.classes, p_type, strict=True)
            },
            domain_probs={
                c: float(p) for c, p in zip(self.domain_head.classes, p_dom, strict=True)
            },
            needs_review=needs_review,
            evidence=Evidence(sentences=sentences, naio_role=role, artifact=slots),
            model_version=self.version,
        )

    @cached_property
    def _evidence_weights(self) -> tuple[Float, dict[str, int]]:
        """One row per label whose evidence we report, relative to the other classes.

        For a softmax head a sentence supports class *c* by how much it raises
        *c*'s logit above the average class; for a sigmoid head, by its logit.
        """
        rows: list[Float] = []
        index: dict[str, int] = {}
        for prefix, head in (("status", self.status_head), ("type", self.type_head)):
            rel = head.coef - head.coef.mean(axis=0)
            for c, w in zip(head.classes, rel, strict=True):
                index[f"{prefix}:{c}"] = len(rows)
                rows.append(w)
        for c, w in zip(self.domain_head.classes, self.domain_head.coef, strict=True):
            index[f"domain:{c}"] = len(rows)
            rows.append(w)
        return np.vstack(rows), index

    def sentence_scores(
        self, a: Analysis, x: tuple[npt.NDArray[np.int32], Float], labels: Sequence[str]
    ) -> Float:
        """Each sentence's share of each label's logit: (labels, sentences).

        A feature's weighted value is split evenly over its occurrences, and
        each occurrence counts for the sentence it is in; a cue feature's value
        is split over sentences in proportion to their cue counts.
        """
        weights, index = self._evidence_weights
        rows = np.array([index[label] for label in labels])
        n = a.n_sentences
        cols, data = x
        n_text = a.ngram_ids.size
        text_vals = data[:n_text]
        per_feature = weights[np.ix_(rows, a.ngram_ids)] * (text_vals / a.ngram_counts)
        per_occurrence = per_feature[:, a.ngram_inverse]
        scores = np.zeros((len(labels), n))
        for j in range(len(labels)):
            scores[j] = np.bincount(a.ngram_sent, weights=per_occurrence[j], minlength=n)
        n_dense = a.sent_counts.shape[1]
        dense_x = np.zeros(n_dense)
        dense_cols = cols[n_text:] - N_HASH
        keep = dense_cols < n_dense
        dense_x[dense_cols[keep]] = data[n_text:][keep]
        totals = a.sent_counts.sum(axis=0)
        share = np.divide(a.sent_counts, totals, out=np.zeros_like(a.sent_counts), where=totals > 0)
        dense_w = weights[np.ix_(rows, np.arange(N_HASH, N_HASH + n_dense))]
        scores += (dense_w * dense_x) @ share.T
        return scores

    def _evidence(
        self,
        a: Analysis,
        x: tuple[npt.NDArray[np.int32], Float],
        status: str,
        atype: str | None,
        domains: tuple[str, ...],
    ) -> tuple[EvidenceSentence, ...]:
        body = list(iter_sentences(a))
        if not body:
            return ()
        labels = [f"status:{status}"]
        wanted = [3]
        if atype is not None:
            labels.append(f"type:{atype}")
            wanted.append(1)
        labels += [f"domain:{d}" for d in domains]
        wanted += [1] * len(domains)
        scores = self.sentence_scores(a, x, labels)
        body_text = a.text[a.body_start :]
        picked: list[EvidenceSentence] = []
        body_idx = np.array([i for i, _, _ in body])
        for label, k, row in zip(labels, wanted, scores, strict=True):
            order = np.argsort(-row[body_idx], kind="stable")[:k]
            for o in order:
                i, start, end = body[int(o)]
                if row[i] <= 0:
                    break
                picked.append(
                    EvidenceSentence(
                        text=body_text[start:end],
                        start=start,
                        end=end,
                        score=round(float(row[i]), 4),
                        supports=label,
                    )
                )
        return tuple(picked)

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
        return path

    @classmethod
    def from_disk(cls, path: Path | str) -> Classifier:
        """Load a saved model; a clear :class:`ModelError` if it cannot be used."""
        path = Path(path)
        meta_path = path / "meta.json"
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
            with np.load(path / "weights.npz", allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
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
        return cls(
            analyzer=analyzer,
            space=space,
            status=heads["status"],
            artifact_type=heads["type"],
            domains=heads["domains"],
            meta=meta,
            path=path,
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
        raise ValueError(f"item {i}: 'text' must be a string")
    lang = item.get("lang", item.get("language"))
    return str(item.get("id", i)), str(item.get("title") or ""), text, lang


def _predict_dicts(
    classifier: Classifier, batch: list[tuple[str, str, str, str | None]]
) -> list[dict[str, Any]]:
    """Worker side of ``classify_many(n_process=...)``: predictions as dicts."""
    return [p.to_dict() for p in classifier._predict(batch)]


# ----------------------------------------------------------------------------- evidence helpers


def _naio_role(a: Analysis, cols: Mapping[str, int]) -> NaioRole:
    if a.n_sentences == 0:
        return "absent"
    c = a.sent_counts
    naio = c[:, cols["cue:naio"]] > 0
    if not naio.any() and not a.title_naio:
        return "absent"
    operative = (
        naio
        & (c[:, cols["cue:release"]] > 0)
        & (c[:, cols["cue:establishment"]] == 0)
        & (c[:, cols["cue:intention"]] == 0)
        & (c[:, cols["cue:footer"]] == 0)
        & (c[:, cols["cue:citation"]] == 0)
    )
    return "operative" if operative.any() else "cited"


_DATE_RE = re.compile(
    r"\b(\d{1,2}(?:\s*(?:-|–|to|hingga|dan)\s*\d{1,2})?\s+"
    r"(?:Jan(?:uary|uari)?|Feb(?:ruary|ruari)?|Mar(?:ch)?|Mac|Apr(?:il)?|May|Mei|June?|"
    r"July?|Julai|Aug(?:ust)?|Ogos|Sept?(?:ember)?|Oct(?:ober)?|Okt(?:ober)?|Nov(?:ember)?|"
    r"Dec(?:ember)?|Dis(?:ember)?)\s+\d{4}"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+\d{4}|\d{4}-\d{2}-\d{2})\b"
)
_PARTNER_RE = re.compile(
    r"\b((?:[A-Z][\w&.'-]*\s+){0,5}(?:Sdn\.?\s+Bhd\.?|Berhad|Bhd|Inc\.?|Ltd\.?|Corporation|"
    r"Corp\.?|Technologies|Labs|Foundation|University|Institute))(?!\w)"
    r"|\b(Universiti\s+(?:[A-Z][\w-]*\s*){1,4})"
)


def _artifact_slots(
    a: Analysis, sentences: Sequence[EvidenceSentence], cols: Mapping[str, int]
) -> ArtifactSlots:
    body = a.text[a.body_start :]
    top_sentence = next((s for s in sentences if s.supports.startswith("status")), None)
    name = None
    if a.named_outputs:
        scored = []
        c = a.sent_counts
        for s, start, end in a.named_outputs:
            rank = 0.0
            if top_sentence is not None:
                abs_start = top_sentence.start + a.body_start
                if abs_start <= start < top_sentence.end + a.body_start:
                    rank += 4
            rank += 2 * float(c[s, cols["cue:release"]] > 0) + float(c[s, cols["cue:naio"]] > 0)
            rank += (end - start) / 100
            scored.append((rank, -start, a.text[start:end]))
        name = max(scored)[2]
    naio_lower = _NAIO_LOWER
    agencies = tuple(dict.fromkeys(t for _, t in a.agencies if t.lower() not in naio_lower))
    partners = tuple(dict.fromkeys(m.group(0).strip() for m in _PARTNER_RE.finditer(body)))[:8]
    when = None
    if top_sentence is not None:
        m = _DATE_RE.search(top_sentence.text)
        when = m.group(0) if m else None
    if when is None:
        m = _DATE_RE.search(body)
        when = m.group(0) if m else None
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


# ----------------------------------------------------------------------------- training


@dataclass
class TrainReport:
    """What training chose and measured (all on the training split)."""

    n_documents: int
    seconds: float
    chosen: dict[str, Any]
    cv_metrics: dict[str, Any]
    review_thresholds: dict[str, float]


def head_features(names: Sequence[str]) -> dict[str, npt.NDArray[np.bool_]]:
    """Which columns each head may learn from.

    Every head reads the hashed n-grams. Beyond them, status reads only the
    cues of the codebook's three tests (output, specifics, NAIO's role), not
    topic or length, so that what a document is *about* cannot decide whether
    it reports execution; domains read topic cues, not status cues.
    """
    dense = list(names) + list(extra_feature_names())
    topic = ("domain:", "dfrac:", "dtitle:")
    status_ok = [not (n.startswith(topic) or n == "log_sentences") for n in dense]
    type_ok = [not n.startswith(topic) for n in dense]
    domain_ok = [n.startswith((*topic, "type:")) for n in dense]
    ngrams = np.ones(N_HASH, dtype=bool)
    return {
        "status": np.concatenate([ngrams, np.array(status_ok)]),
        "type": np.concatenate([ngrams, np.array(type_ok)]),
        "domains": np.concatenate([ngrams, np.array(domain_ok)]),
    }


def _folds(
    groups: Sequence[str], y: Sequence[str], seed: int, n_splits: int = 5
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Group-wise folds when there are enough groups, stratified folds otherwise."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    n_groups = len(set(groups))
    idx = np.arange(len(y))
    if n_groups >= 3:
        k = min(n_splits, n_groups)
        return [(tr, te) for tr, te in GroupKFold(n_splits=k).split(idx, y, groups)]
    counts = np.unique(np.asarray(y), return_counts=True)[1]
    k = max(2, min(n_splits, int(counts.min())))
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [(tr, te) for tr, te in skf.split(idx, y)]


@dataclass
class _FittedLR:
    """A fitted logistic regression expressed over the full feature width."""

    classes_: npt.NDArray[Any]
    coef_: Float
    intercept_: Float

    def decision_function(self, X: sp.csr_matrix) -> Float:
        z = np.asarray(X @ self.coef_.T) + self.intercept_
        return z[:, 0] if z.shape[1] == 1 else z


def _fit_lr(
    X: sp.csr_matrix,
    y: npt.NDArray[Any],
    C: float,
    seed: int,
    allowed: npt.NDArray[np.bool_] | None = None,
) -> _FittedLR:
    """Fit on the columns the rows use (hashing leaves most empty), then widen back.

    newton-cg (multinomial) and liblinear (binary) on the compressed matrix
    are tens of times faster than lbfgs on the full hashed width.
    """
    from sklearn.linear_model import LogisticRegression

    used = np.unique(X.indices)
    if allowed is not None:
        used = used[allowed[used]]
    binary = len(np.unique(y)) == 2
    model = LogisticRegression(
        C=C, max_iter=500, solver="liblinear" if binary else "newton-cg", random_state=seed
    )
    model.fit(X[:, used], y)
    coef = np.zeros((model.coef_.shape[0], X.shape[1]))
    coef[:, used] = model.coef_
    return _FittedLR(model.classes_, coef, np.asarray(model.intercept_, dtype=np.float64))


def _oof_logits(
    X: sp.csr_matrix,
    y: npt.NDArray[Any],
    classes: Sequence[Any],
    folds: Sequence[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]],
    C: float,
    seed: int,
    allowed: npt.NDArray[np.bool_] | None = None,
) -> Float:
    """Out-of-fold logits, one column per class (binary: one column)."""
    width = 1 if len(classes) == 2 else len(classes)
    out = np.zeros((X.shape[0], width))
    for tr, te in folds:
        if len(set(y[tr])) < 2:
            out[te] = 0.0
            continue
        m = _fit_lr(X[tr], y[tr], C, seed, allowed)
        z = m.decision_function(X[te])
        if width == 1:
            out[te, 0] = z
        else:
            full = np.full((len(te), width), -30.0)
            for j, c in enumerate(m.classes_):
                full[:, list(classes).index(c)] = z[:, j]
            out[te] = full
    return out


def _fit_temperature(logits: Float, y_idx: npt.NDArray[np.int64]) -> float:
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        p = _softmax(logits / math.exp(log_t))
        return float(-np.log(np.clip(p[np.arange(len(y_idx)), y_idx], 1e-12, 1)).mean())

    res = minimize_scalar(nll, bounds=(-3, 3), method="bounded")
    return float(math.exp(res.x))


def _fit_platt(z: Float, y: npt.NDArray[np.int64]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    m = LogisticRegression(C=1e4, max_iter=1000)
    m.fit(z.reshape(-1, 1), y)
    return float(m.coef_[0, 0]), float(m.intercept_[0])


def _macro_f1(y_true: Sequence[Any], y_pred: Sequence[Any], labels: Sequence[Any]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y_true, y_pred, labels=list(labels), average="macro", zero_division=0))


def _precision_threshold(
    p: Float, correct: npt.NDArray[np.bool_], target: float = 0.90, min_support: int = 5
) -> float:
    """Lowest confidence above which calls reach ``target`` precision (out of fold)."""
    order = np.argsort(-p)
    hits = np.cumsum(correct[order])
    n = np.arange(1, len(order) + 1)
    precision = hits / n
    ok = np.flatnonzero((precision >= target) & (n >= min_support))
    if ok.size == 0:
        return 1.0
    # the largest prefix whose precision still meets the target
    return float(p[order][ok[-1]])


def _scaled(X1: sp.csr_matrix, scale: float) -> sp.csr_matrix:
    """The rows with the cue block multiplied by ``scale`` (n-grams unchanged)."""
    col = np.ones(X1.shape[1])
    col[N_HASH:] = scale
    return sp.csr_matrix(X1.multiply(col))


def _fold_scale(coef: Float, scale: float) -> Float:
    """Express weights learned on scaled rows as weights for unscaled rows."""
    out = coef.copy()
    out[..., N_HASH:] *= scale
    return out


def _search(
    X1: sp.csr_matrix,
    y: npt.NDArray[Any],
    classes: Sequence[Any],
    folds: Sequence[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]],
    allowed: npt.NDArray[np.bool_],
    grid: Sequence[tuple[float, float]],
    score: Callable[[Float], float],
    seed: int,
) -> tuple[float, float, float, Float]:
    """Best (scale, C) by out-of-fold score; returns scale, C, score and its OOF logits."""
    best: tuple[float, float, float, Float] | None = None
    for scale, C in grid:
        z = _oof_logits(_scaled(X1, scale), y, classes, folds, C, seed, allowed)
        value = score(z)
        if best is None or value > best[2] + 1e-9:
            best = (scale, C, value, z)
    assert best is not None
    return best


def train(
    records: Sequence[CorpusRecord],
    *,
    seed: int = 0,
    name: str = DEFAULT_MODEL_NAME,
    progress: ProgressFn | None = None,
    c_grid: Sequence[float] = (4.0, 16.0, 64.0, 256.0),
    scale_grid: Sequence[float] = (0.0, 0.25, 0.5),
) -> tuple[Classifier, TrainReport]:
    """Train all three heads on labelled records; deterministic for a seed.

    Each head chooses its own regularisation ``C`` and the weight of the cue
    block (``scale``: 0 ignores the cues) by group-wise cross-validation.
    """
    if len(records) < 6:
        raise ModelError(f"need at least 6 labelled documents to train, got {len(records)}")
    started = time.perf_counter()
    say = progress or (lambda stage, done, total: None)
    lexicon = lexicon_dict()
    analyzer = TextAnalyzer(lexicon)
    analyses: list[Analysis] = []
    total = len(records)
    for start in range(0, total, 128):
        chunk = records[start : start + 128]
        analyses.extend(
            analyzer.analyse(
                [r.text for r in chunk],
                [r.title for r in chunk],
                [r.lang if r.lang in ("en", "ms") else None for r in chunk],
            )
        )
        say("analysing documents", min(start + 128, total), total)

    # IDF over the training documents' hashed n-grams.
    df = np.zeros(N_HASH)
    for a in analyses:
        df[_text_counts(a)[0]] += 1
    idf = np.log((1 + len(analyses)) / (1 + df)) + 1.0
    X1 = _rows(analyses, idf, 1.0)
    space = FeatureSpace(idf=idf, dense_scale=1.0, n_dense=len(analyzer.feature_names))
    groups = [r.group for r in records]
    y_status = np.array([r.status for r in records])
    status_classes = tuple(c for c in STATUSES if c in set(y_status))
    if len(status_classes) < 2:
        raise ModelError("the corpus needs at least two different statuses to train")
    folds = _folds(groups, y_status.tolist(), seed)
    masks = head_features(analyzer.feature_names)
    grid = [(sc, C) for sc in scale_grid for C in c_grid]

    # -- status: multinomial; temperature and operating points from OOF logits
    def status_f1(z: Float) -> float:
        zz = np.hstack([np.zeros_like(z), z]) if z.shape[1] == 1 else z
        return _macro_f1(
            y_status.tolist(), [status_classes[i] for i in zz.argmax(1)], status_classes
        )

    # status always reads the cues: they carry the codebook's tests
    # and stays regularised (C <= 64): on this corpus a weaker C gains nothing
    # beyond noise in CV and lets corpus phrasing outweigh the cues on real text.
    status_grid = [(sc, C) for sc, C in grid if sc > 0 and C <= 64] or [(0.5, c_grid[0])]
    s_scale, C_status, _, z_status = _search(
        X1, y_status, status_classes, folds, masks["status"], status_grid, status_f1, seed
    )
    say("status", 1, 3)
    y_idx = np.array([status_classes.index(c) for c in y_status])
    if len(status_classes) == 2:
        z_status = np.hstack([np.zeros_like(z_status), z_status])
    temperature = _fit_temperature(z_status, y_idx)
    p_oof = _softmax(z_status / temperature)
    pred_idx = p_oof.argmax(axis=1)
    review: dict[str, float] = {}
    for j, c in enumerate(status_classes):
        called = pred_idx == j
        review[c] = (
            _precision_threshold(p_oof[called, j], (y_idx[called] == j)) if called.any() else 1.0
        )
    final = _fit_lr(_scaled(X1, s_scale), y_status, C_status, seed, masks["status"])
    final.coef_ = _fold_scale(final.coef_, s_scale)
    status_head = _softmax_head(final, status_classes, X1.shape[1], temperature)
    say("status", 3, 3)

    # -- artifact_type: multinomial on artifacts only
    art = np.flatnonzero(y_status == "artifact")
    type_classes = tuple(ARTIFACT_TYPES)
    y_type = np.array([records[int(i)].artifact_type for i in art])
    present_types = tuple(t for t in type_classes if t in set(y_type.tolist()))
    t_scale, C_type, type_oof_f1 = 0.0, c_grid[0], None
    if len(present_types) >= 2:
        Xa = X1[art]
        tfolds = _folds([groups[int(i)] for i in art], y_type.tolist(), seed)

        def widen(z: Float) -> Float:
            return np.hstack([np.zeros_like(z), z]) if len(present_types) == 2 else z

        def type_f1(z: Float) -> float:
            return _macro_f1(
                y_type.tolist(), [present_types[i] for i in widen(z).argmax(1)], present_types
            )

        t_scale, C_type, type_oof_f1, zt = _search(
            Xa, y_type, present_types, tfolds, masks["type"], grid, type_f1, seed
        )
        t_temp = _fit_temperature(widen(zt), np.array([present_types.index(t) for t in y_type]))
        fitted = _fit_lr(_scaled(Xa, t_scale), y_type, C_type, seed, masks["type"])
        fitted.coef_ = _fold_scale(fitted.coef_, t_scale)
        type_head = _expand_classes(
            _softmax_head(fitted, present_types, X1.shape[1], t_temp), type_classes
        )
    else:
        type_head = _constant_head(type_classes, present_types, X1.shape[1])
    say("artifact type", 1, 1)

    # -- domains: one binary decision each; own (scale, C), Platt, threshold from OOF
    dom_classes = tuple(DOMAINS)
    coefs, intercepts, pa, pb, th = [], [], [], [], []
    dom_oof: dict[str, float] = {}
    dom_tp = dom_fp = dom_fn = 0
    dom_chosen: dict[str, tuple[float, float]] = {}
    for j, d in enumerate(dom_classes):
        y_d = np.array([int(d in r.domains) for r in records])
        if 0 < y_d.sum() < len(y_d) and min(y_d.sum(), len(y_d) - y_d.sum()) >= 2:
            dfolds = _folds(groups, y_d.tolist(), seed)

            def dom_f1(z: Float, y_d: npt.NDArray[np.int64] = y_d) -> float:
                pa_j, pb_j = _fit_platt(z[:, 0], y_d)
                return _best_threshold(_sigmoid(z[:, 0] * pa_j + pb_j), y_d)[1]

            d_scale, C_d, f1, zd = _search(
                X1, y_d, (0, 1), dfolds, masks["domains"], grid, dom_f1, seed
            )
            pa_j, pb_j = _fit_platt(zd[:, 0], y_d)
            p_oof_d = _sigmoid(zd[:, 0] * pa_j + pb_j)
            thr, _ = _best_threshold(p_oof_d, y_d)
            called_d = p_oof_d >= thr
            dom_tp += int((called_d & (y_d == 1)).sum())
            dom_fp += int((called_d & (y_d == 0)).sum())
            dom_fn += int((~called_d & (y_d == 1)).sum())
            m = _fit_lr(_scaled(X1, d_scale), y_d, C_d, seed, masks["domains"])
            coefs.append(_fold_scale(m.coef_, d_scale)[0])
            intercepts.append(float(m.intercept_[0]))
            dom_oof[d] = round(f1, 4)
            dom_chosen[d] = (d_scale, C_d)
        else:  # a domain (almost) never or always present: a constant decision
            coefs.append(np.zeros(X1.shape[1]))
            intercepts.append(0.0)
            pa_j, pb_j, thr = 0.0, (20.0 if y_d.mean() > 0.5 else -20.0), 0.5
        pa.append(pa_j)
        pb.append(pb_j)
        th.append(thr)
        say("domains", j + 1, len(dom_classes))
    domain_head = LinearHead(
        classes=dom_classes,
        coef=np.vstack(coefs),
        intercept=np.array(intercepts),
        kind="sigmoid",
        platt_a=np.array(pa),
        platt_b=np.array(pb),
        thresholds=np.array(th),
    )

    status_f1_oof = _macro_f1(
        y_status.tolist(), [status_classes[i] for i in pred_idx], status_classes
    )
    cv_metrics = {
        "folds": len(folds),
        "fold_kind": "group" if len(set(groups)) >= 3 else "stratified",
        "status_macro_f1": round(status_f1_oof, 4),
        "artifact_type_macro_f1": None if type_oof_f1 is None else round(type_oof_f1, 4),
        "domain_f1": dom_oof,
        "domains_micro_f1": round(2 * dom_tp / max(2 * dom_tp + dom_fp + dom_fn, 1), 4),
    }
    chosen = {
        "status": {"C": C_status, "cue_scale": s_scale, "temperature": round(temperature, 4)},
        "artifact_type": {"C": C_type, "cue_scale": t_scale},
        "domains": {d: {"C": c, "cue_scale": sc} for d, (sc, c) in dom_chosen.items()},
    }
    data_hash = corpus_hash(records)
    # What else decides the model: the cue lists and the search grids.
    config_hash = hashlib.sha256(
        json.dumps(
            {"lexicon": lexicon, "c_grid": list(c_grid), "scale_grid": list(scale_grid)},
            sort_keys=True,
        ).encode()
    ).hexdigest()
    meta: dict[str, Any] = {
        "library": "naio_nlp",
        "format_version": FORMAT_VERSION,
        "naio_nlp_version": __version__,
        "name": name,
        "model_version": f"{name}-{__version__}-{data_hash[:8]}-{config_hash[:6]}-s{seed}",
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seed": seed,
        "training_data_hash": data_hash,
        "n_documents": len(records),
        "review_thresholds": review,
        "chosen": chosen,
        "cv_metrics": cv_metrics,
        "versions": _library_versions(),
    }
    clf = Classifier(
        analyzer=analyzer,
        space=space,
        status=status_head,
        artifact_type=type_head,
        domains=domain_head,
        meta=meta,
    )
    report = TrainReport(
        n_documents=len(records),
        seconds=time.perf_counter() - started,
        chosen=chosen,
        cv_metrics=cv_metrics,
        review_thresholds=review,
    )
    return clf, report


def _best_threshold(p: Float, y: npt.NDArray[np.int64]) -> tuple[float, float]:
    best = (0.5, -1.0)
    for t in np.linspace(0.1, 0.9, 33):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[1] + 1e-9:
            best = (float(t), f1)
    return best


def _softmax_head(
    model: Any, classes: Sequence[str], n_features: int, temperature: float
) -> LinearHead:
    learned = list(model.classes_)
    if len(learned) == 2:  # scikit-learn keeps one row for two classes
        w = model.coef_[0]
        coef = np.vstack([-w / 2, w / 2])
        intercept = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    else:
        coef = model.coef_
        intercept = model.intercept_
    order = [learned.index(c) for c in classes]
    return LinearHead(
        classes=tuple(classes),
        coef=np.asarray(coef[order], dtype=np.float64),
        intercept=np.asarray(intercept[order], dtype=np.float64),
        kind="softmax",
        temperature=temperature,
    )


def _expand_classes(head: LinearHead, classes: Sequence[str]) -> LinearHead:
    """Give classes unseen in training a row that is never chosen."""
    if tuple(classes) == head.classes:
        return head
    coef = np.zeros((len(classes), head.coef.shape[1]))
    intercept = np.full(len(classes), -30.0)
    for i, c in enumerate(classes):
        if c in head.classes:
            j = head.classes.index(c)
            coef[i] = head.coef[j]
            intercept[i] = head.intercept[j]
    return LinearHead(tuple(classes), coef, intercept, "softmax", head.temperature)


def _constant_head(classes: Sequence[str], present: Sequence[str], n_features: int) -> LinearHead:
    intercept = np.array([0.0 if c in present else -30.0 for c in classes])
    return LinearHead(tuple(classes), np.zeros((len(classes), n_features)), intercept, "softmax")


def _library_versions() -> dict[str, str]:
    import scipy
    import sklearn

    return {
        "naio_nlp": __version__,
        "spacy": str(getattr(spacy, "__version__", "unknown")),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
    }
