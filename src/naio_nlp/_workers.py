"""Labelling batches in worker processes, in input order, with flat memory.

Used by :meth:`Classifier.classify_many` and :func:`naio_nlp.classify_files`.
With fork (Linux) the workers inherit the already loaded classifier
copy-on-write, so they start at once; with spawn they load it from its folder
(saved to a temporary one first when it has none). At most two batches per
worker are in flight, however far the input could run ahead.
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
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .pipeline import Classifier

__all__ = ["map_batches"]

B = TypeVar("B")
R = TypeVar("R")

_SHARED: dict[str, Classifier] = {}
_WORKER_CLASSIFIER: Classifier | None = None


def _init_worker(token: str, path: str | None) -> None:
    global _WORKER_CLASSIFIER
    shared = _SHARED.get(token)
    if shared is None:
        from .pipeline import load

        shared = load(path)
    _WORKER_CLASSIFIER = shared


def _run(work: Callable[[Classifier, Any], Any], batch: Any) -> Any:
    assert _WORKER_CLASSIFIER is not None
    return work(_WORKER_CLASSIFIER, batch)


def map_batches(
    classifier: Classifier,
    batches: Iterator[B],
    workers: int,
    work: Callable[[Classifier, B], R],
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
            ctx.Pool(workers, initializer=_init_worker, initargs=(token, str(path)))
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
