"""``naio-nlp examples``: the bundled inputs of the README's quick start, written where asked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "naio_nlp" / "examples"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_the_examples_are_written_into_a_new_folder(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "samples"
    code, out, err = cli("examples", str(target))
    assert code == 0, err
    assert out == ""  # stdout stays for data
    assert _tree(target) == _tree(EXAMPLES)
    assert {"articles.jsonl", "articles.csv"} <= set(_tree(target))
    flat = " ".join(err.split())
    assert flat == (
        f"wrote 5 example files to {target}; try: naio-nlp classify {target}/articles.jsonl "
        f"{target}/articles.csv {target}/html -o labels.csv"
    )
    # run again: nothing to do, and no --force needed
    code, _, err = cli("examples", str(target))
    assert code == 0, err
    assert f"{target} already holds the 5 example files" in " ".join(err.split())


def test_the_default_folder_is_examples_as_the_readme_reads_it(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("examples")
    assert code == 0, err
    assert _tree(tmp_path / "examples") == _tree(EXAMPLES)
    code, out, err = cli(
        "classify", "examples/articles.jsonl", "examples/articles.csv", "examples/html",
        "--strict",
    )  # fmt: skip
    assert code == 0, err
    assert len(out.splitlines()) == 10


def test_a_file_with_other_content_is_kept_unless_forced(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "articles.csv").write_text("id,text\nmine,My own file.\n", encoding="utf-8")
    code, _, err = cli("examples", str(tmp_path))
    assert code == 1
    assert (
        f"error: {tmp_path} already holds 1 file with other content: articles.csv; nothing "
        "written; give --force to replace it, or choose another DIR"
    ) in " ".join(err.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.csv"]  # nothing written
    assert (tmp_path / "articles.csv").read_text(encoding="utf-8").startswith("id,text\nmine")
    code, _, err = cli("examples", str(tmp_path), "--force")
    assert code == 0, err
    assert _tree(tmp_path) == _tree(EXAMPLES)


def test_a_folder_that_cannot_be_written_is_refused(cli: Cli, tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    code, _, err = cli("examples", str(a_file))
    assert code == 2 and f"{a_file} is a file, not a folder" in " ".join(err.split())
    code, _, err = cli("examples", str(tmp_path / "no" / "such"))
    assert code == 2 and "does not exist; create it first" in " ".join(err.split())
    assert not (tmp_path / "no").exists()
    (tmp_path / "x" / "html").mkdir(parents=True)
    (tmp_path / "x" / "articles.jsonl").mkdir()
    code, _, err = cli("examples", str(tmp_path / "x"), "--force")
    assert code == 1 and "articles.jsonl is a folder" in " ".join(err.split())


def test_a_checkout_keeps_one_copy_and_examples_at_its_top_is_that_copy(cli: Cli) -> None:
    """examples/ at the top of the repository links to the package's folder (no duplicate)."""
    link = ROOT / "examples"
    assert link.is_symlink() and link.resolve() == EXAMPLES.resolve()
    code, _, err = cli("examples", str(link))  # a checkout's own examples/: already there
    assert code == 0, err
    assert "already holds the 5 example files" in " ".join(err.split())
