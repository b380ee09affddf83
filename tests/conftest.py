"""Shared fixtures. Tests never reach the internet; servers run on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from naio_nlp.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``naio-nlp`` in-process with an argument list; returns (code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _say(config: pytest.Config, message: str) -> None:
    """A line on pytest's terminal even while output is captured (slow fixtures say so)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        return
    if capture is None:
        reporter.write_line(message)
        return
    with capture.global_and_fixture_disabled():  # fixture setup runs with output captured
        reporter.write_line(message)


@pytest.fixture(scope="session")
def trained_model_path(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Path:
    """A real model trained once per test session on a deterministic slice of the corpus.

    Tests that need a classifier use this rather than the shipped model, so they
    exercise training too and do not depend on a committed binary.
    """
    import time

    from naio_nlp.corpus import read_corpus
    from naio_nlp.training import train

    records = read_corpus(ROOT / "corpus" / "train.jsonl")
    sample = [r for i, r in enumerate(sorted(records, key=lambda r: r.id)) if i % 2 == 0]
    _say(
        pytestconfig,
        f"\n[fixture trained_model_path] training a test model on {len(sample)} corpus "
        "documents, once per session (about a minute on 2 cores) ...",
    )
    started = time.perf_counter()
    clf, _ = train(
        sample,
        seed=0,
        name="test-model",
        c_grid=(4.0,),
        scale_grid=(0.5,),
        domain_c_grid=(16.0,),
        status_text_grid=(0.5,),
    )
    path = clf.to_disk(tmp_path_factory.mktemp("model") / "test-model")
    _say(
        pytestconfig, f"[fixture trained_model_path] done in {time.perf_counter() - started:.0f} s"
    )
    return path
