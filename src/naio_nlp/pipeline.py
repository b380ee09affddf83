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

import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
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
from .errors import ModelError
from .features import N_HASH, Analysis, TextAnalyzer, iter_sentences
from .labels import DOMAINS, NAIO_NAMES
from .lexicon import lexicon_dict
from .schema import Article, ArtifactSlots, Evidence, EvidenceSentence, NaioRole, Prediction

__all__ = ["Classifier", "load"]

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
            try:
                with np.load(path / "weights.npz", allow_pickle=False) as npz:
                    arrays = {k: npz[k] for k in npz.files}
            except (OSError, ValueError) as exc:
                raise ModelError(
                    f"{path}: corrupted or incomplete model (weights.npz is not a readable "
                    f"NumPy archive: {type(exc).__name__})"
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
