"""The wheel carries the default model and the examples: built, installed in a fresh venv, run
as a user runs it, following the README's quick start.

Marked slow (about 20 s: a wheel build and a venv). The fresh venv gets the
wheel without its dependencies, and borrows them from the test's own
environment through a path file, so the test needs no network and no
re-install of spaCy; what it proves is that naio_nlp itself, installed from
the wheel with no checkout in sight, finds its model.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "naio_nlp" / "examples"


def _run(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, **kwargs
    )


@pytest.mark.slow
def test_the_wheel_classifies_with_no_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)],
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("naio_nlp-*.whl")
    # the README's quick start reads examples/: the wheel carries them, byte for byte
    with zipfile.ZipFile(wheel) as archive:
        shipped = {
            name.removeprefix("naio_nlp/examples/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("naio_nlp/examples/")
        }
    bundled = {
        p.relative_to(EXAMPLES).as_posix(): p.read_bytes()
        for p in EXAMPLES.rglob("*")
        if p.is_file()
    }
    # the guides and the codebook that `naio-nlp docs` prints
    with zipfile.ZipFile(wheel) as archive:
        docs = {n for n in archive.namelist() if n.startswith("naio_nlp/docs/")}
    assert {"naio_nlp/docs/classify.md", "naio_nlp/docs/codebook.md"} <= docs
    assert {"articles.jsonl", "articles.csv"} <= set(bundled)
    assert any(name.startswith("html/") for name in bundled)
    assert shipped == bundled

    venv = tmp_path / "fresh"
    assert _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path).returncode == 0
    py = venv / "bin" / "python"
    purelib = Path(
        _run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=tmp_path,
        ).stdout.strip()
    )
    # dependencies come from this environment (appended after the venv's own packages)
    deps = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    (purelib / "borrowed-deps.pth").write_text("\n".join(dict.fromkeys(deps)) + "\n")
    installed = _run(
        [str(py), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = _run(
        [
            str(py),
            "-c",
            "import naio_nlp, json; clf = naio_nlp.load(); "
            "print(json.dumps([naio_nlp.__file__, clf.version]))",
        ],
        cwd=elsewhere,
    )
    assert probe.returncode == 0, probe.stderr
    module_file, version = json.loads(probe.stdout)
    assert Path(module_file).is_relative_to(purelib), module_file  # not the checkout's src/
    assert version.startswith("naio-default")

    # the README's quick start, as written, with no checkout in sight
    naio = str(venv / "bin" / "naio-nlp")
    # the pages the commands' help points to are there without the source tree
    pages = _run([naio, "docs", "codebook", "--path"], cwd=elsewhere)
    assert pages.returncode == 0, pages.stderr
    assert Path(pages.stdout.strip()).is_relative_to(purelib), pages.stdout
    written = _run([naio, "examples"], cwd=elsewhere)
    assert written.returncode == 0, written.stderr
    assert "wrote 5 example files to examples" in written.stderr
    inputs = ["examples/articles.jsonl", "examples/articles.csv", "examples/html"]
    classified = _run([naio, "classify", *inputs, "--strict"], cwd=elsewhere)
    assert classified.returncode == 0, classified.stderr
    rows = [json.loads(line) for line in classified.stdout.splitlines()]
    expected = [
        json.loads(line)["id"]
        for line in (EXAMPLES / "articles.jsonl").read_text("utf-8").splitlines()
    ]
    assert [r["id"] for r in rows][: len(expected)] == expected
    assert len(rows) == len(expected) + 3 + 3  # the CSV's three rows, the three pages
    assert all(r["status"] in ("artifact", "symbolic", "unrelated") for r in rows)
    assert all(r["model_version"] == version for r in rows)
