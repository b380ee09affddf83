"""The public API is exactly what ``__all__`` lists, and the label vocabularies are complete."""

from __future__ import annotations

import types

import naio_nlp
from naio_nlp import ARTIFACT_TYPES, DOMAINS, STATUSES


def test_all_matches_public_names() -> None:
    public = {
        name
        for name in dir(naio_nlp)
        if not name.startswith("_") and not isinstance(getattr(naio_nlp, name), types.ModuleType)
    }
    assert set(naio_nlp.__all__) - {"__version__"} == public - {"annotations"}
    for name in naio_nlp.__all__:
        assert hasattr(naio_nlp, name), name


def test_vocabularies_match_the_working_groups() -> None:
    assert list(STATUSES) == ["artifact", "symbolic", "unrelated"]
    assert len(ARTIFACT_TYPES) == 5
    assert list(DOMAINS) == [
        "sovereignty",
        "regulation_policy",
        "security",
        "governance_ethics",
        "safety",
        "talent",
        "advisory",
    ]
    for vocab in (STATUSES, ARTIFACT_TYPES, DOMAINS):
        for name, label in vocab.items():
            assert label.name == name and len(label.description) > 20


def test_every_error_is_a_naio_error() -> None:
    for name in (
        "ConfigError",
        "CorpusError",
        "ExtractionError",
        "FetchError",
        "InputError",
        "InvalidFieldError",
        "ModelError",
    ):
        assert issubclass(getattr(naio_nlp, name), naio_nlp.NaioError)


def test_load_returns_the_shipped_classifier() -> None:
    clf = naio_nlp.load()
    assert isinstance(clf, naio_nlp.Classifier)
    pred = clf.classify("The National AI Office will consider a framework next year.")
    assert isinstance(pred, naio_nlp.Prediction)
    assert pred.model_version == clf.version
