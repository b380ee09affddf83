"""Fixtures of the review tests (the data and the server live in ``review_helpers``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from review_helpers import fill_store, serve


@pytest.fixture
def review_db(tmp_path: Path) -> tuple[Path, list[str]]:
    db = tmp_path / "naio.db"
    return db, fill_store(db)


@pytest.fixture
def server() -> Callable[[object], object]:
    return serve
