"""A model trained on corpus documents behaves as the codebook says on new documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy

from naio_nlp import ModelError
from naio_nlp.classifier import Classifier, load
from naio_nlp.schema import Prediction

INTENTION_ONLY = (
    "NAIO to draft AI guidelines for the public sector",
    "The National AI Office will develop a set of generative AI guidelines for civil servants, "
    "the deputy minister said at a forum in Putrajaya. The office aims to consult ministries "
    "next year and is expected to present a draft in the coming months. No timeline has been "
    "set for publication, and officials said the scope is still being studied.",
)
RELEASED_GUIDELINE = (
    "NAIO publishes Generative AI Use Guidelines for the Public Service",
    "PUTRAJAYA, 14 October 2025 – The National AI Office (NAIO) today published the Generative "
    "AI Use Guidelines for the Public Service, a 32-page document drafted with the Public "
    "Service Department and MAMPU after three consultation sessions with 41 agencies. The "
    "guidelines set out eleven rules on disclosure, data handling and human review, and take "
    "effect on 1 January 2026. Agencies must name a focal officer by 30 November 2025. The "
    "document is available on the NAIO portal.",
)
UNRELATED = (
    "Broadband towers reach 300 more villages in Sabah",
    "The communications regulator said 300 villages in the interior of Sabah now have 4G "
    "coverage after the third phase of a tower programme was completed in September. Telcos "
    "built 212 new towers under the scheme, and the remaining sites are due next year.",
)


@pytest.fixture(scope="module")
def clf(trained_model_path: Path) -> Classifier:
    return load(trained_model_path)


def test_intention_only_announcement_is_not_an_artifact(clf: Classifier) -> None:
    pred = clf.classify(INTENTION_ONLY[1], title=INTENTION_ONLY[0])
    assert pred.status == "symbolic"
    assert pred.artifact_type is None
    assert pred.evidence.naio_role in ("cited", "operative")


def test_released_named_guideline_is_public_guidance(clf: Classifier) -> None:
    pred = clf.classify(RELEASED_GUIDELINE[1], title=RELEASED_GUIDELINE[0])
    assert pred.status == "artifact"
    assert pred.artifact_type == "public_guidance"
    assert pred.evidence.naio_role == "operative"
    slots = pred.evidence.artifact
    assert slots is not None
    assert slots.name is not None and "Guidelines" in slots.name
    assert "Public Service Department" in slots.agencies
    assert slots.date == "14 October 2025"


def test_news_without_naio_is_unrelated(clf: Classifier) -> None:
    pred = clf.classify(UNRELATED[1], title=UNRELATED[0])
    assert pred.status == "unrelated"
    assert pred.evidence.naio_role == "absent"


def test_probabilities_are_distributions_and_evidence_quotes_the_input(clf: Classifier) -> None:
    text = RELEASED_GUIDELINE[1]
    pred = clf.classify(text, title=RELEASED_GUIDELINE[0])
    assert sum(pred.status_probs.values()) == pytest.approx(1.0)
    assert sum(pred.artifact_type_probs.values()) == pytest.approx(1.0)
    assert set(pred.domain_probs) == {
        "sovereignty",
        "regulation_policy",
        "security",
        "governance_ethics",
        "safety",
        "talent",
        "advisory",
    }
    assert pred.evidence.sentences
    for s in pred.evidence.sentences:
        assert text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text
    assert pred.evidence.sentences[0].supports == "status:artifact"


def test_classify_many_matches_classify_and_keeps_order(clf: Classifier) -> None:
    docs = [INTENTION_ONLY, RELEASED_GUIDELINE, UNRELATED] * 3
    items = [{"id": f"d{i}", "title": t, "text": x} for i, (t, x) in enumerate(docs)]
    batch = list(clf.classify_many(items, batch_size=2))
    assert [p.article_id for p in batch] == [f"d{i}" for i in range(len(docs))]
    for item, p in zip(items, batch, strict=True):
        single = clf.classify(item["text"], title=item["title"], article_id=item["id"])
        assert single == p


def test_a_batch_labels_each_document_as_if_it_were_alone(clf: Classifier) -> None:
    """Batches are analysed and scored as one block: nothing may leak between documents."""
    odd = [
        ("", ""),
        ("Title only, no body", ""),
        ("", "One sentence without a stop"),
        ("NAIO", "   \n\n  "),
        (
            "Pejabat AI Negara terbitkan garis panduan",
            "Pejabat AI Negara hari ini menerbitkan Garis Panduan Etika AI bagi sektor awam. "
            "Garis panduan itu berkuat kuasa pada 1 Januari 2026.",
        ),
    ]
    docs = [INTENTION_ONLY, *odd, RELEASED_GUIDELINE, UNRELATED, *odd]
    items = [{"id": f"d{i}", "title": t, "text": x} for i, (t, x) in enumerate(docs)]
    together = list(clf.classify_many(items, batch_size=len(items)))
    for item, p in zip(items, together, strict=True):
        alone = next(iter(clf.classify_many([item])))
        assert alone == p, item["id"]


def test_evidence_names_the_decided_labels_best_first(clf: Classifier) -> None:
    preds = list(
        clf.classify_many(
            [{"title": t, "text": x} for t, x in (INTENTION_ONLY, RELEASED_GUIDELINE, UNRELATED)]
        )
    )
    for pred in preds:
        decided = {f"status:{pred.status}"} | {f"domain:{d}" for d in pred.domains}
        if pred.artifact_type:
            decided.add(f"type:{pred.artifact_type}")
        by_label: dict[str, list[float]] = {}
        for s in pred.evidence.sentences:
            by_label.setdefault(s.supports, []).append(s.score)
        assert set(by_label) <= decided
        for label, scores in by_label.items():
            assert len(scores) <= (3 if label.startswith("status:") else 1)
            assert scores == sorted(scores, reverse=True) and all(x > 0 for x in scores)


def test_two_processes_give_identical_output(clf: Classifier) -> None:
    docs = [INTENTION_ONLY, RELEASED_GUIDELINE, UNRELATED] * 4
    items = [{"id": str(i), "title": t, "text": x} for i, (t, x) in enumerate(docs)]
    one = list(clf.classify_many(items, batch_size=3))
    two = list(clf.classify_many(items, batch_size=3, n_process=2))
    assert one == two


def test_save_load_gives_identical_predictions(clf: Classifier, tmp_path: Path) -> None:
    path = clf.to_disk(tmp_path / "copy")
    again = Classifier.from_disk(path)
    for title, text in (INTENTION_ONLY, RELEASED_GUIDELINE, UNRELATED):
        assert again.classify(text, title=title) == clf.classify(text, title=title)
    assert not list(path.rglob("*.pkl")) and not list(path.rglob("*.joblib"))


def test_corrupted_model_files_fail_with_a_clear_error(
    trained_model_path: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(trained_model_path, broken)
    (broken / "weights.npz").write_bytes(b"not a zip archive")
    with pytest.raises(ModelError, match=r"broken: corrupted or incomplete model"):
        Classifier.from_disk(broken)
    (broken / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match=r"meta\.json: corrupted"):
        Classifier.from_disk(broken)


def test_a_missing_or_misplaced_tokenizer_is_refused_not_replaced_by_an_empty_one(
    trained_model_path: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(trained_model_path, broken)
    (broken / "spacy" / "ms" / "tokenizer").unlink()
    with pytest.raises(ModelError, match=r"broken: corrupted .* spacy/ms/tokenizer is missing"):
        Classifier.from_disk(broken)
    swapped = tmp_path / "swapped"
    shutil.copytree(trained_model_path, swapped)
    shutil.rmtree(swapped / "spacy" / "ms")
    shutil.copytree(swapped / "spacy" / "en", swapped / "spacy" / "ms")
    with pytest.raises(ModelError, match=r"spacy/ms: holds the 'en' tokenizer, not the 'ms' one"):
        Classifier.from_disk(swapped)


def test_the_loaded_tokenizers_are_the_saved_ones(trained_model_path: Path) -> None:
    """The pipelines are built on an empty tokenizer and filled from the saved one
    (each special case added once, not twice as spacy.load does): same rules, same
    affixes, same tokens as spaCy's own loading."""
    clf = Classifier.from_disk(trained_model_path)
    text = (
        "Pejabat AI Negara (NAIO) melancarkan garis-panduan AI pada 3 Mac 2025, kata "
        "menteri. NAIO's sandbox (U.S.-style) opened on Jan. 5; e-mel: info@naio.gov.my, "
        "RM5.2 juta, 1,200 peserta, dll."
    )
    for lang in ("en", "ms"):
        stock = spacy.load(trained_model_path / "spacy" / lang)
        ours = clf.analyzer.pipelines[lang]
        assert ours.tokenizer.to_bytes() == stock.tokenizer.to_bytes()
        assert [t.text for t in ours(text)] == [t.text for t in stock(text)]
        assert ours.config["nlp"]["tokenizer"] == stock.config["nlp"]["tokenizer"]


def test_foreign_or_other_version_model_is_refused(
    trained_model_path: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "meta.json").write_text(json.dumps({"lang": "en", "pipeline": []}))
    with pytest.raises(ModelError, match="not a naio_nlp model"):
        Classifier.from_disk(foreign)
    old = tmp_path / "old"
    shutil.copytree(trained_model_path, old)
    meta = json.loads((old / "meta.json").read_text())
    meta["naio_nlp_version"] = "0.0.1"
    (old / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"built by naio_nlp 0\.0\.1 .* this is naio_nlp"):
        Classifier.from_disk(old)
    with pytest.raises(ModelError, match="no such model folder"):
        Classifier.from_disk(tmp_path / "missing")


def test_model_with_labels_outside_the_codebook_is_refused(
    trained_model_path: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "edited"
    shutil.copytree(trained_model_path, edited)
    meta = json.loads((edited / "meta.json").read_text())
    classes = meta["heads"]["status"]["classes"]
    meta["heads"]["status"]["classes"] = ["launched", *classes[1:]]
    (edited / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"edited: the status head's labels \['launched'"):
        Classifier.from_disk(edited)


def test_predictions_pass_the_schema_checks(clf: Classifier) -> None:
    """Predictions pass every check of the record types and survive the dict round trip
    that worker processes use to hand them back."""
    docs = [INTENTION_ONLY, RELEASED_GUIDELINE, UNRELATED, ("", "")]
    items = [{"id": str(i), "title": t, "text": x} for i, (t, x) in enumerate(docs)]
    for p in clf.classify_many(items):
        checked = Prediction.from_dict(p.to_dict())  # runs every __post_init__
        assert checked == p
        assert checked.evidence.sentences == p.evidence.sentences


def test_spacy_factory_sets_cats_and_extension(trained_model_path: Path) -> None:
    import naio_nlp.component  # noqa: F401  (registers the factory without the entry point)

    nlp = spacy.blank("en")
    nlp.add_pipe("naio_classifier", config={"model": str(trained_model_path)})
    doc = nlp(RELEASED_GUIDELINE[1])
    assert doc._.naio.status == "artifact"
    assert doc.cats["artifact"] == pytest.approx(doc._.naio.status_probs["artifact"])
    assert "type:public_guidance" in doc.cats and "domain:talent" in doc.cats


def test_an_agency_named_in_full_and_then_short_is_one_agency(clf: Classifier) -> None:
    text = (
        RELEASED_GUIDELINE[1].replace(
            "the Public Service Department and MAMPU",
            "Bank Negara Malaysia and the Public Service Department",
        )
        + " Bank Negara will review the rules for banks after six months."
    )
    pred = clf.classify(text, title=RELEASED_GUIDELINE[0])
    slots = pred.evidence.artifact
    assert slots is not None
    assert "Bank Negara Malaysia" in slots.agencies
    assert "Bank Negara" not in slots.agencies
    assert "Public Service Department" in slots.agencies


def test_a_ministry_and_a_longer_named_ministry_stay_two(clf: Classifier) -> None:
    text = RELEASED_GUIDELINE[1].replace(
        "the Public Service Department and MAMPU",
        "Kementerian Pendidikan and Kementerian Pendidikan Tinggi",
    )
    slots = clf.classify(text, title=RELEASED_GUIDELINE[0]).evidence.artifact
    assert slots is not None
    assert {"Kementerian Pendidikan", "Kementerian Pendidikan Tinggi"} <= set(slots.agencies)
