"""Labelling batches in worker processes, in input order, with flat memory.

Used by :meth:`Classifier.classify_many` and :func:`naio_nlp.classify_files`.
With fork (Linux) the workers inherit the already loaded classifier
copy-on-write, so they start at once; with spawn they load it from its folder
(saved to a temporary one first when it has none). At most two batches per
worker are in flight, however far the input could run ahead.

This module knows the model only through :class:`SavedModel` (a folder it was
loaded from, ``to_disk`` and ``from_disk``), so it imports nothing of the
classifier and the classifier may import it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import tempfile
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, Protocol, Self, TypeVar

__all__ = ["SavedModel", "map_batches"]


class SavedModel(Protocol):
    """What the workers need of a model: where it was loaded from, and how to save and load it."""

    path: Path | None

    def to_disk(self, path: Path | str) -> Path: ...

    @classmethod
    def from_disk(cls, path: Path | str) -> Self: ...


B = TypeVar("B")
R = TypeVar("R")
M = TypeVar("M", bound=SavedModel)

_SHARED: dict[str, Any] = {}
_WORKER_MODEL: Any = None


def _init_worker(token: str, path: str, kind: type[SavedModel]) -> None:
    global _WORKER_MODEL
    shared = _SHARED.get(token)
    if shared is None:
        shared = kind.from_disk(path)
    _WORKER_MODEL = shared


def _run(work: Callable[[Any, Any], Any], batch: Any) -> Any:
    assert _WORKER_MODEL is not None
    return work(_WORKER_MODEL, batch)


def map_batches(
    classifier: M,
    batches: Iterator[B],
    workers: int,
    work: Callable[[M, B], R],
) -> Iterator[tuple[B, R]]:
    """``(batch, work(classifier, batch))`` for each batch, in order, from ``workers`` processes.

    ``work`` must be a module-level function and its result picklable.
    """
    fork = sys.platform == "linux"
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    token = uuid.uuid4().hex
    with contextlib.ExitStack() as stack:
        path = classifier.path
        if fork:
            _SHARED[token] = classifier
            stack.callback(_SHARED.pop, token, None)
        elif path is None:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="naio-model-"))
            path = classifier.to_disk(Path(tmp) / "model")
        pool = stack.enter_context(
            ctx.Pool(
                workers, initializer=_init_worker, initargs=(token, str(path), type(classifier))
            )
        )
        inflight: deque[tuple[B, AsyncResult[R]]] = deque()
        for batch in batches:
            inflight.append((batch, pool.apply_async(_run, (work, batch))))
            if len(inflight) >= 2 * workers:
                done, pending = inflight.popleft()
                yield done, pending.get()
        while inflight:
            done, pending = inflight.popleft()
            yield done, pending.get()
