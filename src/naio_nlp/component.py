"""The classifier as a spaCy pipeline component, for people who live in spaCy.

    nlp = spacy.blank("en")
    nlp.add_pipe("naio_classifier")              # the shipped model
    doc = nlp(text)
    doc.cats["artifact"], doc._.naio.artifact_type

``doc.cats`` holds the status probabilities under their names, the artifact
type probabilities as ``type:NAME`` and the domain probabilities as
``domain:NAME``; ``doc._.naio`` holds the full :class:`Prediction`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .classifier import Classifier, load

__all__ = ["NaioClassifierComponent"]

if not Doc.has_extension("naio"):
    Doc.set_extension("naio", default=None)


class NaioClassifierComponent:
    """Runs the naio_nlp classifier on ``doc.text`` and stores the result on the doc."""

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier

    def __call__(self, doc: Doc) -> Doc:
        pred = self.classifier.classify(doc.text)
        cats = dict(pred.status_probs)
        cats.update({f"type:{k}": v for k, v in pred.artifact_type_probs.items()})
        cats.update({f"domain:{k}": v for k, v in pred.domain_probs.items()})
        doc.cats = cats
        doc._.naio = pred
        return doc


@Language.factory("naio_classifier", default_config={"model": None})
def make_naio_classifier(nlp: Language, name: str, model: str | None) -> NaioClassifierComponent:
    """``model``: a model folder; None loads the shipped default."""
    return NaioClassifierComponent(load(model))
