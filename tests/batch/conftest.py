"""Fixtures for the batch tests: one loaded classifier per session, sample inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import ARTICLES, Problems, write_jsonl

from naio_nlp import classifier as classifier_module
from naio_nlp.classifier import Classifier


@pytest.fixture(scope="session")
def classifier(trained_model_path: Path) -> Classifier:
    """The session's trained model, loaded once."""
    return classifier_module.load(trained_model_path)


@pytest.fixture
def fast_load(
    classifier: Classifier, trained_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Make ``--model <trained_model_path>`` reuse the loaded classifier (loading takes seconds)."""
    real = classifier_module.load

    def load(path: Path | str | None = None) -> Classifier:
        if path is not None and Path(path) == trained_model_path:
            return classifier
        return real(path)

    monkeypatch.setattr(classifier_module, "load", load)
    return trained_model_path


@pytest.fixture
def articles_jsonl(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "articles.jsonl", ARTICLES)


@pytest.fixture
def problems() -> Problems:
    return Problems()
