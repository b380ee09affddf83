"""Every ```python block of README.md and docs/*.md runs as written against examples/.

Each block runs on its own, in a fresh namespace, from a scratch folder that
holds links to the bundled examples (src/naio_nlp/examples, what `naio-nlp examples`
writes out of an installed package), corpus/ and the shipped model (so what a snippet
writes, such as naio.db or report/, lands in the scratch folder).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "naio_nlp" / "examples"  # examples/ links here
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _snippets() -> list[tuple[str, str]]:
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for n, match in enumerate(_BLOCK.finditer(text), start=1):
            line = text.count("\n", 0, match.start()) + 1
            found.append((f"{page.relative_to(ROOT)}:{line} (block {n})", match.group(1)))
    return found


SNIPPETS = _snippets()


def test_the_pages_have_snippets_to_run() -> None:
    assert len(SNIPPETS) >= 5


@pytest.mark.parametrize(("where", "code"), SNIPPETS, ids=[w for w, _ in SNIPPETS])
def test_snippet_runs_as_written(
    where: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").symlink_to(EXAMPLES, target_is_directory=True)
    (tmp_path / "corpus").symlink_to(ROOT / "corpus", target_is_directory=True)
    # models/ is a real folder here: a snippet that saves models/my-model must not write into
    # the repository; only the shipped model is linked in
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "naio-default").symlink_to(
        ROOT / "models" / "naio-default", target_is_directory=True
    )
    monkeypatch.chdir(tmp_path)
    exec(compile(code, where, "exec"), {"__name__": "__snippet__"})
