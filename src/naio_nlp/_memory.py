"""Giving freed memory back to the operating system in long runs.

CPython and NumPy free memory into the C library's allocator, which keeps it
for reuse: on glibc the pages of freed small objects and of arrays below the
(self-raising) mmap threshold stay resident, so a process that has freed a
spaCy pipeline or a batch's arrays still counts them in its RSS, and a Dask
worker's peak grows with every such high tide. ``malloc_trim(0)`` returns the
free pages at the top of the heap and inside every arena.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache

__all__ = ["release_free_memory"]


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where there is none (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library this process already uses
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return the allocator's free pages to the OS; True if any were released.

    A no-op returning False where the C library has no ``malloc_trim``. It frees
    nothing still in use, so it changes no result, only the resident size.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    return bool(trim(0))
