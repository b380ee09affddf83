"""Fixtures for the batch tests: one loaded classifier per session, sample inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import ARTICLES, Problems, write_jsonl

from naio_nlp import pipeline
from naio_nlp.pipeline import Classifier


@pytest.fixture(scope="session")
def classifier(trained_model_path: Path) -> Classifier:
    """The session's trained model, loaded once."""
    return pipeline.load(trained_model_path)


@pytest.fixture
def fast_load(
    classifier: Classifier, trained_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Make ``--model <trained_model_path>`` reuse the loaded classifier (loading takes seconds)."""
    real = pipeline.load

    def load(path: Path | str | None = None) -> Classifier:
        if path is not None and Path(path) == trained_model_path:
            return classifier
        return real(path)

    monkeypatch.setattr(pipeline, "load", load)
    return trained_model_path


@pytest.fixture
def articles_jsonl(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "articles.jsonl", ARTICLES)


@pytest.fixture
def problems() -> Problems:
    return Problems()
