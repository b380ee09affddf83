"""A process that only labels loads what labelling needs: no scikit-learn, no pandas.

Each check runs in a fresh interpreter, so nothing another test imported counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "naio-default"  # the shipped model: training one takes minutes

#: Libraries only training, the report, the ledger or the collector need.
NOT_FOR_LABELLING = ("sklearn", "pandas", "rapidfuzz", "matplotlib", "feedparser", "pypdf")


def _modules_after(code: str) -> dict[str, object]:
    """Run ``code`` in a new interpreter (this checkout's naio_nlp); what it reports back."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    script = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps({{'loaded': [m for m in {NOT_FOR_LABELLING!r} if m in sys.modules],"
        " 'result': result}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    out: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def test_importing_the_package_loads_no_heavy_library() -> None:
    got = _modules_after(
        "import naio_nlp\nresult = sorted(m for m in ('spacy', 'scipy') if m in sys.modules)"
    )
    assert got == {"loaded": [], "result": []}


def test_labelling_a_document_never_imports_scikit_learn_or_pandas() -> None:
    got = _modules_after(
        "import naio_nlp\n"
        "p = naio_nlp.load().classify("
        "'NAIO opened applications for the AI Regulatory Sandbox on 1 July 2025.', 'Sandbox')\n"
        "result = p.status"
    )
    assert got["loaded"] == []
    assert got["result"] in ("artifact", "symbolic", "unrelated")


def test_a_dask_task_labelling_a_table_never_imports_scikit_learn() -> None:
    """pandas does load here, but by pyarrow's hand: its first array imports it if installed."""
    pytest.importorskip("pyarrow")
    got = _modules_after(
        "import pyarrow as pa\n"
        "from naio_nlp.distributed import classify_table\n"
        "out = classify_table(pa.table({'id': ['a'], 'text': ["
        "'Harga minyak sawit naik minggu ini.']}))\n"
        "result = out.column('status').to_pylist()"
    )
    assert [m for m in got["loaded"] if m != "pandas"] == []  # type: ignore[attr-defined]
    assert got["result"] == ["unrelated"]


def test_the_public_names_still_resolve_lazily() -> None:
    got = _modules_after(
        "import naio_nlp\n"
        "before = 'sklearn' in sys.modules\n"
        "from naio_nlp import NaioClassifier, train\n"
        "result = [before, 'sklearn' in sys.modules, train.__module__, NaioClassifier.__name__]"
    )
    assert got["result"] == [False, True, "naio_nlp.training", "NaioClassifier"]


def test_language_identification_keeps_no_second_identifier() -> None:
    """Labelling keeps py3langid's arrays it reads, not a whole identifier beside them."""
    got = _modules_after(
        "import gc\n"
        "from naio_nlp.language import _identifier, detect_languages\n"
        "langs = detect_languages(['The office opened today.', 'Pejabat itu dibuka hari ini.'])\n"
        "gc.collect()\n"
        "kept = sum(type(o).__name__ == 'LanguageIdentifier' for o in gc.get_objects())\n"
        "result = [langs, kept, _identifier.cache_info().currsize]"
    )
    assert got["result"] == [["en", "ms"], 0, 0]


def test_py3langids_own_identifier_is_shared_not_loaded_again() -> None:
    got = _modules_after(
        "import numpy as np, py3langid\n"
        "from py3langid import langid\n"
        "py3langid.classify('warm up the module-level identifier')\n"
        "from naio_nlp.language import _batch_identifier, _identifier, detect_languages\n"
        "ours = _batch_identifier()\n"
        "theirs = np.frombuffer(langid.IDENTIFIER.tk_nextmove, dtype=np.uint32)\n"
        "head = 'Kerajaan melancarkan dasar baharu untuk kecerdasan buatan.'\n"
        "result = [bool(np.shares_memory(ours.next_state, theirs)),"
        " detect_languages([head])[0], _identifier().classify(head)[0]]"
    )
    assert got["result"] == [True, "ms", "ms"]


def test_head_weights_are_sparse_and_label_as_dense_ones_do() -> None:
    """The heads hold their nonzero weights only; the compact matrix and labels are unchanged."""
    import numpy as np
    import scipy.sparse as sp

    from naio_nlp.classifier import Classifier, LinearHead

    loaded = Classifier.from_disk(MODEL)
    heads = (loaded.passage_head, loaded.status_head, loaded.type_head, loaded.domain_head)
    assert all(sp.issparse(h.coef) for h in heads)

    def dense(h: LinearHead) -> LinearHead:
        return LinearHead(
            h.classes,
            h.coef.toarray(),
            h.intercept,
            h.kind,
            h.temperature,
            h.platt_a,
            h.platt_b,
            h.thresholds,
        )

    again = Classifier.from_disk(MODEL)
    from_dense = Classifier(
        analyzer=again.analyzer,
        space=again.space,
        passage=dense(again.passage_head),
        status=dense(again.status_head),
        artifact_type=dense(again.type_head),
        domains=dense(again.domain_head),
        meta=again.meta,
    )
    for a, b in ((loaded._sent, from_dense._sent), (loaded._doc, from_dense._doc)):
        assert np.array_equal(a.weights, b.weights) and a.weights.flags.c_contiguous
        assert np.array_equal(a.bucket_rows, b.bucket_rows)
    docs = [
        json.loads(line)
        for line in (ROOT / "corpus" / "train.jsonl").read_text(encoding="utf-8").splitlines()[:60]
    ]
    want = [json.dumps(p.to_dict(), sort_keys=True) for p in from_dense.classify_many(docs)]
    assert [json.dumps(p.to_dict(), sort_keys=True) for p in loaded.classify_many(docs)] == want


def test_a_loaded_model_saves_the_same_weights(tmp_path: Path) -> None:
    import numpy as np

    from naio_nlp.classifier import Classifier

    saved = Classifier.from_disk(MODEL).to_disk(tmp_path / "again")
    with (
        np.load(MODEL / "weights.npz") as want,
        np.load(saved / "weights.npz") as got,
    ):
        assert sorted(got.files) == sorted(want.files)
        for name in want.files:
            assert got[name].dtype == want[name].dtype, name
            assert np.array_equal(got[name], want[name]), name
