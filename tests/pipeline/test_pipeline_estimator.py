"""The scikit-learn estimator shape and the versioned spaCy component."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from naio_nlp import NaioClassifier
from naio_nlp.classifier import Classifier, load
from naio_nlp.corpus import read_corpus

ROOT = Path(__file__).resolve().parents[2]
DOCS = [
    "PUTRAJAYA, 3 March 2025 - The National AI Office today published the AI Procurement "
    "Checklist, a 24-page guide for 40 agencies, available on its portal.",
    "The National AI Office will develop an AI ethics toolkit next year, the minister said.",
    "Telcos built 212 new 4G towers in Sabah under the third phase of the programme.",
]


def test_estimator_is_cloneable_and_refuses_to_predict_unfitted() -> None:
    est = NaioClassifier(seed=3, c_grid=(4.0,))
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    assert copy.get_params()["seed"] == 3 and copy is not est
    with pytest.raises(NotFittedError):
        est.predict(DOCS)


def test_estimator_fit_predict_and_proba_agree_with_its_classifier() -> None:
    records = read_corpus(ROOT / "corpus" / "train.jsonl")
    sample = [r for i, r in enumerate(sorted(records, key=lambda r: r.id)) if i % 5 == 0]
    est = NaioClassifier(
        seed=0, c_grid=(4.0,), scale_grid=(0.5,), domain_c_grid=(16.0,), status_text_grid=(0.5,)
    )
    assert est.fit(sample, [r.status for r in sample]) is est
    assert isinstance(est.classifier_, Classifier)
    assert list(est.classes_) == ["artifact", "symbolic", "unrelated"]
    proba = est.predict_proba(DOCS)
    assert proba.shape == (3, 3)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert list(est.predict(DOCS)) == [est.classes_[i] for i in proba.argmax(axis=1)]
    assert list(est.predict(DOCS)) == [p.status for p in est.classifier_.classify_many(DOCS)]
    with pytest.raises(ValueError, match="own statuses"):
        NaioClassifier().fit(sample, ["symbolic"] * len(sample))


def test_spacy_component_round_trips_through_to_disk_and_spacy_load(
    trained_model_path: Path, tmp_path: Path
) -> None:
    import naio_nlp.component  # noqa: F401  (registers the factories without the entry point)

    nlp = spacy.blank("en")
    nlp.add_pipe("naio_classifier_v1", config={"model": str(trained_model_path)})
    first = [d._.naio for d in nlp.pipe(DOCS, batch_size=2)]
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "naio_classifier_v1" / "model" / "meta.json").is_file()
    again = spacy.load(tmp_path / "pipeline")
    second = [again(d)._.naio for d in DOCS]
    direct = list(load(trained_model_path).classify_many(DOCS))
    for a, b, c in zip(first, second, direct, strict=True):
        assert (a.status, a.status_probs, a.domains) == (b.status, b.status_probs, b.domains)
        assert a.status_probs == c.status_probs
    doc = again(DOCS[0])
    assert doc.cats["artifact"] == pytest.approx(doc._.naio.status_probs["artifact"])


def test_spacy_component_reads_the_headline_from_doc_extension(
    trained_model_path: Path,
) -> None:
    import naio_nlp.component  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("naio_classifier_v1", config={"model": str(trained_model_path)})
    clf = load(trained_model_path)
    text = DOCS[1]
    title = "National AI Office publishes AI ethics toolkit for agencies"
    with_title = clf.classify(text, title)
    assert with_title.status_probs != clf.classify(text).status_probs  # the headline counts

    doc = nlp.make_doc(text)
    doc._.naio_title = title
    assert nlp(doc)._.naio.status_probs == with_title.status_probs
    docs = [nlp.make_doc(t) for t in (text, DOCS[2])]
    docs[0]._.naio_title = title
    piped = [d._.naio for d in nlp.pipe(docs)]
    assert piped[0].status_probs == with_title.status_probs
    assert piped[1].status_probs == clf.classify(DOCS[2]).status_probs  # no title: text alone
