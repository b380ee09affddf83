"""The public API is what docs/api.md lists, name for name, and every listed name works."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_SECTION = re.compile(r"^#{2,3} `(naio_nlp[a-z_.]*)`.*?$(.*?)(?=^#{2,3} |\Z)", re.M | re.S)
_ROW = re.compile(r"^\| `([A-Za-z_][A-Za-z0-9_]*)` \|", re.M)


def _documented() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    return {m.group(1): set(_ROW.findall(m.group(2))) for m in _SECTION.finditer(text)}


DOCUMENTED = _documented()


def test_the_page_documents_the_package_and_its_stage_modules() -> None:
    assert {"naio_nlp", "naio_nlp.crawl", "naio_nlp.ledger"} <= set(DOCUMENTED)
    assert all(DOCUMENTED.values())


@pytest.mark.parametrize("module_name", sorted(DOCUMENTED))
def test_all_matches_the_documented_names(module_name: str) -> None:
    if module_name == "naio_nlp.distributed":
        pytest.importorskip("distributed")
    module = importlib.import_module(module_name)
    exported = set(module.__all__)
    assert exported == DOCUMENTED[module_name], (
        f"in __all__ but not in docs/api.md: {sorted(exported - DOCUMENTED[module_name])}; "
        f"in docs/api.md but not in __all__: {sorted(DOCUMENTED[module_name] - exported)}"
    )
    for name in exported:
        assert getattr(module, name) is not None


def test_every_exception_the_library_defines_is_public() -> None:
    import naio_nlp
    from naio_nlp import errors

    defined = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type)
        and issubclass(value, Exception)
        and value.__module__ == errors.__name__
    }
    assert defined <= set(naio_nlp.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    import naio_nlp

    with pytest.raises(AttributeError, match="no_such_name"):
        _ = naio_nlp.no_such_name  # type: ignore[attr-defined]


def test_the_documented_stage_modules_are_attributes_of_a_bare_import() -> None:
    """``import naio_nlp`` then ``naio_nlp.ledger.build``, as the docs write it, in a fresh
    interpreter where nothing else has imported the stage modules yet."""
    import subprocess
    import sys

    modules = sorted(m.split(".")[1] for m in DOCUMENTED if m.count(".") == 1)
    if importlib.util.find_spec("distributed") is None:  # the optional dask extra
        modules.remove("distributed")
    code = (
        "import sys, naio_nlp\n"
        f"for m in {modules!r}:\n"
        "    assert f'naio_nlp.{m}' not in sys.modules, m\n"
        "    assert getattr(naio_nlp, m).__name__ == f'naio_nlp.{m}'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
