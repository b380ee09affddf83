"""The review loop: rank the calls most worth a person's look, take corrections, export them.

``queue`` and ``issues`` are plain library code (numpy, scikit-learn); the web
app in ``app`` needs the ``review`` extra (Starlette, Jinja2, uvicorn) and is
imported only by ``naio-nlp review``.
"""

from __future__ import annotations

from .export import export_reviewed
from .issues import LabelIssues, find_label_issues
from .queue import Filters, QueueItem, build_queue, uncertainty_order

__all__ = [
    "Filters",
    "LabelIssues",
    "QueueItem",
    "build_queue",
    "export_reviewed",
    "find_label_issues",
    "uncertainty_order",
]
