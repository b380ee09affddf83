"""The classifier as a spaCy pipeline component, for people who live in spaCy.

    nlp = spacy.blank("en")
    nlp.add_pipe("naio_classifier_v1")           # the shipped model
    doc = nlp(text)
    doc.cats["artifact"], doc._.naio.artifact_type
    docs = list(nlp.pipe(texts, batch_size=64))  # labelled a batch at a time
    nlp.to_disk("my_pipeline")                   # the model is saved inside
    nlp = spacy.load("my_pipeline")              # ... and loaded back from there

A headline carries much of a news story's signal, and a Doc has no place
for one: set it on ``doc._.naio_title`` before the component runs (spaCy
runs a pipeline on a Doc you made)::

    doc = nlp.make_doc(text)
    doc._.naio_title = "NAIO opens the sandbox"
    doc = nlp(doc)

Without it the document is labelled from its text alone.

``doc.cats`` holds the status probabilities under their names, the artifact
type probabilities as ``type:NAME`` and the domain probabilities as
``domain:NAME``; ``doc._.naio`` holds the full :class:`Prediction`.

``naio_classifier_v1`` is the versioned name (a later component that reads
docs differently gets ``_v2``; spaCy forbids "." in factory names, so it is
not ``.v1``); ``naio_classifier`` is kept for old configs.
Both are registered under spaCy's ``spacy_factories`` entry point, so
``spacy.load`` finds them without importing naio_nlp first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .classifier import Classifier, load
from .schema import Prediction

__all__ = ["NaioClassifierComponent"]

if not Doc.has_extension("naio"):
    Doc.set_extension("naio", default=None)
if not Doc.has_extension("naio_title"):
    Doc.set_extension("naio_title", default=None)

_MODEL_DIR = "model"


class NaioClassifierComponent:
    """Labels ``doc.text`` (with ``doc._.naio_title``) and stores the result on the doc.

    The model is loaded when first needed, so ``spacy.load`` of a saved
    pipeline reads only the copy saved inside it.
    """

    def __init__(
        self,
        nlp: Language | None = None,
        name: str = "naio_classifier",
        *,
        model: str | Path | Classifier | None = None,
        batch_size: int = 64,
    ) -> None:
        self.name = name
        self.batch_size = batch_size
        self._source = model
        self._classifier: Classifier | None = model if isinstance(model, Classifier) else None

    @property
    def classifier(self) -> Classifier:
        if self._classifier is None:
            source = self._source
            self._classifier = load(None if source is None else Path(str(source)))
        return self._classifier

    def __call__(self, doc: Doc) -> Doc:
        # not classify(), which refuses an empty text: an empty Doc is labelled as pipe() does
        _annotate(doc, self.classifier._predict([("doc", _title(doc), doc.text, None)])[0])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        """Label docs a batch at a time (one vectorised pass per batch), in order."""
        size = batch_size or self.batch_size
        docs = iter(stream)
        while batch := list(islice(docs, size)):
            items = [{"text": d.text, "title": _title(d)} for d in batch]
            preds = self.classifier.classify_many(items, batch_size=size)
            for doc, pred in zip(batch, preds, strict=True):
                _annotate(doc, pred)
                yield doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the model itself under ``path/model`` (JSON, npz, spaCy data: no code)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        clf = self.classifier
        where = clf.path
        clf.to_disk(path / _MODEL_DIR)
        clf.path = where  # saving a copy does not move the loaded model

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = ()
    ) -> NaioClassifierComponent:
        """Load the model saved by :meth:`to_disk`."""
        self._classifier = Classifier.from_disk(Path(path) / _MODEL_DIR)
        return self


def _title(doc: Doc) -> str:
    title = doc._.naio_title
    return title if isinstance(title, str) else ""


def _annotate(doc: Doc, pred: Prediction) -> None:
    cats = dict(pred.status_probs)
    cats.update({f"type:{k}": v for k, v in pred.artifact_type_probs.items()})
    cats.update({f"domain:{k}": v for k, v in pred.domain_probs.items()})
    doc.cats = cats
    doc._.naio = pred


def _factory(version_name: str) -> Callable[..., NaioClassifierComponent]:
    def make(
        nlp: Language, name: str, model: str | None, batch_size: int
    ) -> NaioClassifierComponent:
        """``model``: a model folder; None loads the shipped default."""
        return NaioClassifierComponent(nlp, name, model=model, batch_size=batch_size)

    make.__name__ = f"make_{version_name.replace('.', '_')}"
    return make


_CONFIG: dict[str, Any] = {"model": None, "batch_size": 64}
#: The versioned factory: ``nlp.add_pipe("naio_classifier_v1")``.
make_naio_classifier_v1 = Language.factory("naio_classifier_v1", default_config=_CONFIG)(
    _factory("naio_classifier_v1")
)
#: The name before versioning, kept for existing configs.
make_naio_classifier = Language.factory("naio_classifier", default_config=_CONFIG)(
    _factory("naio_classifier")
)
