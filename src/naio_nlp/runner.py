"""The main job's middle step: label every stored article this model has not labelled.

Predictions are stored with the model's version, so a new model labels
everything again while the old model's labels stay queryable, and running
twice with the same model does nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

from .classifier import Classifier
from .store import Store

__all__ = ["classify_new"]


def classify_new(
    store: Store,
    classifier: Classifier,
    *,
    batch_size: int = 256,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Classify and save the stored articles without a prediction by this model; return how many.

    Each batch is saved as soon as it is labelled, so an interruption loses at
    most one batch of work and the next run picks up the rest.
    """
    version = classifier.version
    # streamed in chunks: saving a batch never disturbs the read (see Store._in_order)
    items = store.articles_without_prediction(version)
    done = 0
    while batch := list(islice(items, batch_size)):
        predictions = list(classifier.classify_many(batch, batch_size=batch_size))
        store.save_predictions(predictions, model_version=version)
        done += len(predictions)
        if progress is not None:
            progress(done)
    return done
