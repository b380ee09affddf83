"""Model folders: saving a :class:`~naio_nlp.classifier.Classifier` and loading it back.

A model is a folder of plain data, so that loading one executes no code:

* ``meta.json``: versions, the heads' classes and calibration, training facts;
* ``lexicon.json``: the cue lists the model was trained with;
* ``weights.npz``: the heads' nonzero weights and the IDF (no pickled objects);
* ``spacy/en``, ``spacy/ms``: spaCy's own ``to_disk`` of the two tokenizers.

A folder written by another model format or another minor version of naio_nlp
is refused with a message naming both versions and how to retrain.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import spacy

from ._version import __version__
from .errors import ModelError
from .features import TextAnalyzer, saved_tokenizer_pipeline
from .lexicon import check_lexicon

if TYPE_CHECKING:
    from spacy.language import Language

    from .classifier import Classifier, LinearHead

__all__ = ["load_classifier", "save_classifier"]

_HEADS = ("passage", "status", "type", "domains")


def _heads(clf: Classifier) -> dict[str, LinearHead]:
    return {
        "passage": clf.passage_head,
        "status": clf.status_head,
        "type": clf.type_head,
        "domains": clf.domain_head,
    }


def save_classifier(clf: Classifier, path: Path) -> Path:
    """Write ``clf`` to the folder ``path`` (created if needed); returns it."""
    path.mkdir(parents=True, exist_ok=True)
    for lang, nlp in clf.analyzer.pipelines.items():
        (path / "spacy").mkdir(exist_ok=True)
        nlp.to_disk(path / "spacy" / lang)
    (path / "lexicon.json").write_text(
        json.dumps(clf.analyzer.lexicon, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    arrays: dict[str, Any] = {"idf": clf.space.idf}
    for name, head in _heads(clf).items():
        rows, cols, vals = _nonzero(head.coef)
        arrays[f"{name}_coef_rows"] = rows.astype(np.int32)
        arrays[f"{name}_coef_cols"] = cols.astype(np.int32)
        arrays[f"{name}_coef_vals"] = vals
        arrays[f"{name}_intercept"] = head.intercept
        arrays[f"{name}_platt_a"] = head.platt_a
        arrays[f"{name}_platt_b"] = head.platt_b
        arrays[f"{name}_thresholds"] = head.thresholds
    np.savez_compressed(path / "weights.npz", **arrays)
    meta = dict(clf.meta)
    meta["heads"] = {
        name: {
            "classes": list(h.classes),
            "kind": h.kind,
            "temperature": h.temperature,
            "shape": list(h.coef.shape),
        }
        for name, h in _heads(clf).items()
    }
    meta["dense_scale"] = clf.space.dense_scale
    meta["n_dense"] = clf.space.n_dense
    (path / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return path


def _nonzero(coef: Any) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[np.float64]]:
    """Rows, columns and values of a head's nonzero weights, row by row (dense or sparse)."""
    if sp.issparse(coef):
        canonical = sp.csr_matrix(coef, copy=True)
        canonical.sum_duplicates()
        canonical.eliminate_zeros()
        canonical.sort_indices()
        coo = canonical.tocoo()
        return coo.row, coo.col, np.asarray(coo.data, dtype=np.float64)
    rows, cols = np.nonzero(coef)
    return rows, cols, coef[rows, cols]


def load_classifier(cls: type[Classifier], path: Path) -> Classifier:
    """Load the folder ``path``; a clear :class:`ModelError` if it cannot be used.

    The head and feature-space types come from ``cls`` (``cls.Head``,
    ``cls.Space``), so this module never imports the classifier at run time.
    """
    LinearHead, FeatureSpace = cls.Head, cls.Space

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
    check_compatible(meta, path, cls.FORMAT_VERSION)
    try:
        lexicon = check_lexicon(
            json.loads((path / "lexicon.json").read_text(encoding="utf-8")),
            str(path / "lexicon.json"),
        )
        pipelines = {lang: _load_pipeline(path / "spacy" / lang, lang) for lang in ("en", "ms")}
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
        for name in _HEADS:
            spec = meta["heads"][name]
            # the nonzero weights straight into a sparse matrix: a dense copy of the
            # four heads would take 55 MB, briefly, in every process that loads the model
            coef = sp.csr_matrix(
                (
                    arrays[f"{name}_coef_vals"].astype(np.float64),
                    (arrays[f"{name}_coef_rows"], arrays[f"{name}_coef_cols"]),
                ),
                shape=tuple(spec["shape"]),
            )
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
        widths = {
            "passage": space.n_passage_features,
            "type": space.n_passage_features,
            "status": space.n_features,
            "domains": space.n_features,
        }
        for name, head in heads.items():
            if head.coef.shape[1] != widths[name]:
                raise ModelError(
                    f"{path}: the {name} weights have {head.coef.shape[1]} features but "
                    f"this naio_nlp computes {widths[name]}; the model was built by "
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
        passage=heads["passage"],
        status=heads["status"],
        artifact_type=heads["type"],
        domains=heads["domains"],
        meta=meta,
        path=path,
    )


def _load_pipeline(folder: Path, lang: str) -> Language:
    """The saved ``lang`` tokenizer pipeline in ``folder``; every part must be there.

    spaCy's ``from_disk`` skips a missing part silently, which would leave an
    empty tokenizer splitting text differently from the one trained with.
    """
    model = folder.parent.parent
    for part in ("config.cfg", "tokenizer"):
        if not (folder / part).is_file():
            missing = (folder / part).relative_to(model).as_posix()
            raise ModelError(f"{model}: corrupted or incomplete model: {missing} is missing")
    saved_lang = spacy.util.load_config(folder / "config.cfg")["nlp"]["lang"]
    if saved_lang != lang:
        raise ModelError(f"{folder}: holds the {saved_lang!r} tokenizer, not the {lang!r} one")
    return saved_tokenizer_pipeline(lang, folder=folder)


def check_compatible(meta: Mapping[str, Any], path: Path, FORMAT_VERSION: int) -> None:
    """Refuse a model of another format or another minor version, naming both."""
    fmt = meta.get("format_version")
    built = str(meta.get("naio_nlp_version", "unknown"))
    if fmt != FORMAT_VERSION or built.split(".")[:2] != __version__.split(".")[:2]:
        raise ModelError(
            f"{path}: built by naio_nlp {built} (model format {fmt}); this is naio_nlp "
            f"{__version__} (model format {FORMAT_VERSION}). Retrain it with "
            f"`naio-nlp train --corpus corpus/ --out {path}` or install naio_nlp {built}."
        )
