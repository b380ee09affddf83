"""One exception tree: every error lives in ``naio_nlp.errors``, is exported, and names where."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest

import naio_nlp
from naio_nlp import errors

ROOT = Path(__file__).resolve().parents[1]


def _error_classes() -> dict[str, type[BaseException]]:
    return {
        name: obj
        for name, obj in vars(errors).items()
        if inspect.isclass(obj) and issubclass(obj, BaseException)
    }


def test_every_library_exception_is_defined_in_errors_and_drawn_in_its_tree() -> None:
    import naio_nlp.batch
    import naio_nlp.crawl
    import naio_nlp.extract
    import naio_nlp.fetch

    defined_elsewhere = [
        f"{module.__name__}.{name}"
        for module in (naio_nlp.batch, naio_nlp.crawl, naio_nlp.extract, naio_nlp.fetch)
        for name, obj in vars(module).items()
        if inspect.isclass(obj)
        and issubclass(obj, naio_nlp.NaioError)
        and obj.__module__ != "naio_nlp.errors"
    ]
    assert defined_elsewhere == []
    doc = errors.__doc__ or ""
    for name, cls in _error_classes().items():
        assert issubclass(cls, naio_nlp.NaioError), name
        assert getattr(naio_nlp, name) is cls, f"{name} is not exported from naio_nlp"
        assert name in naio_nlp.__all__
        assert name == "NaioError" or f"── {name} " in doc, (
            f"{name} is missing from the tree in the docstring"
        )
    assert set(errors.__all__) == set(_error_classes())


def test_bad_arguments_raise_a_naio_error_naming_the_argument(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("National AI Office", encoding="utf-8")
    with pytest.raises(naio_nlp.InvalidFieldError, match=r"batch_size: 0 .* >= 1"):
        list(naio_nlp.classify_files([doc], batch_size=0))
    with pytest.raises(naio_nlp.InvalidFieldError, match="workers"):
        list(naio_nlp.classify_files([doc], workers=0))
    with pytest.raises(naio_nlp.InvalidFieldError, match="max_chars"):
        list(naio_nlp.classify_files([doc], max_chars=0))


def test_a_non_string_text_names_the_item() -> None:
    clf = naio_nlp.load()
    with pytest.raises(naio_nlp.InvalidFieldError, match=r"item 1 'text'.*a string"):
        list(clf.classify_many(["fine", {"text": 42}]))
    with pytest.raises(naio_nlp.InvalidFieldError, match=r"item 1: .*int.*a mapping"):
        list(clf.classify_many([{"id": "x", "text": "NAIO"}, 5]))


@pytest.mark.parametrize("text", ["", "   ", "\n\t \u00a0\n"])
def test_classify_refuses_an_empty_text_naming_the_field(text: str) -> None:
    """No label for nothing: an empty text used to come back as a confident 'unrelated'."""
    clf = naio_nlp.load()
    with pytest.raises(naio_nlp.InvalidFieldError) as caught:
        clf.classify(text)
    assert caught.value.field == "classify: text"
    assert "nothing to classify" in str(caught.value)
    assert isinstance(caught.value, ValueError)  # callers catching ValueError still do


def test_classify_refuses_a_text_that_is_not_a_string() -> None:
    with pytest.raises(naio_nlp.InvalidFieldError, match=r"classify: text: 'NoneType'.*a string"):
        naio_nlp.load().classify(None)  # type: ignore[arg-type]


def test_the_spacy_component_still_labels_an_empty_doc() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("naio_classifier_v1")
    doc = nlp("")
    assert doc._.naio.status in naio_nlp.STATUSES


def test_a_truncated_weights_file_is_named(tmp_path: Path) -> None:
    model = tmp_path / "cut"
    shutil.copytree(ROOT / "models" / "naio-default", model)
    weights = model / "weights.npz"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2])
    with pytest.raises(naio_nlp.ModelError) as info:
        naio_nlp.load(model)
    message = str(info.value)
    assert str(weights) in message
    assert "corrupted or incomplete" in message
