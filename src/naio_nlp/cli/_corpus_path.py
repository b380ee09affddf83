"""What a corpus path given to ``train`` or ``evaluate`` must be, checked before any work.

``train --corpus`` takes a corpus folder holding ``train.jsonl`` (beside it
``train_realistic.jsonl`` and ``reviewed.jsonl`` are read too, and the
frozen ``test*.jsonl`` only scored) or one labelled ``.jsonl`` file.
``evaluate --data`` and ``--train`` take labelled ``.jsonl`` files (or
folders of them). A path that does not fit is one :class:`CorpusError`
naming it and saying what was expected, raised before the model loads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import CorpusError

__all__ = [
    "TEST_FILES",
    "TRAIN_FILES",
    "default_test_files",
    "evaluation_files",
    "training_files",
]

#: In a corpus folder: what training reads, and the frozen splits it only scores.
#: ``reviewed.jsonl`` holds analysts' reviews exported by ``corpus add-reviewed``.
TRAIN_FILES = ("train.jsonl", "train_realistic.jsonl", "reviewed.jsonl")
TEST_FILES = ("test.jsonl", "test_realistic.jsonl")

_TRAIN_EXPECTED = (
    "--corpus expects a corpus folder holding train.jsonl (like the project's corpus/) "
    "or one labelled .jsonl file"
)


def _data_expected(option: str) -> str:
    like = "corpus/train.jsonl" if option == "--train" else "corpus/test.jsonl"
    return f"{option} expects a labelled .jsonl file (like {like}) or a folder of them"


def _wrong(path: Path, found: str, expected: str) -> CorpusError:
    return CorpusError(str(path), 0, None, f"{found}; {expected}")


def training_files(corpus: Path) -> tuple[list[Path], list[Path]]:
    """(files to train on, frozen test files to score) for ``train --corpus``."""
    if corpus.is_dir():
        if not (corpus / "train.jsonl").is_file():
            raise CorpusError(
                str(corpus), 0, None, f"no train.jsonl in this folder; {_TRAIN_EXPECTED}"
            )
        train = [corpus / n for n in TRAIN_FILES if (corpus / n).is_file()]
        return train, [corpus / n for n in TEST_FILES if (corpus / n).is_file()]
    if not corpus.exists():
        raise _wrong(corpus, "no such file or folder", _TRAIN_EXPECTED)
    if corpus.suffix.lower() != ".jsonl":
        raise _wrong(corpus, "not a .jsonl file", _TRAIN_EXPECTED)
    return [corpus], []


def evaluation_files(paths: Sequence[Path], option: str) -> list[Path]:
    """``paths`` checked for ``evaluate --data`` / ``--train``: each must exist and hold JSONL."""
    for path in paths:
        if path.is_dir():
            if not any(p.is_file() for p in path.glob("*.jsonl")):
                raise _wrong(path, "no .jsonl files in this folder", _data_expected(option))
        elif not path.exists():
            raise _wrong(path, "no such file or folder", _data_expected(option))
        elif path.suffix.lower() != ".jsonl":
            raise _wrong(path, "not a .jsonl file", _data_expected(option))
    return list(paths)


def default_test_files(root: Path = Path("corpus")) -> list[Path]:
    """The frozen test splits of the corpus folder here, for ``evaluate`` without ``--data``."""
    found = [root / n for n in TEST_FILES if (root / n).is_file()]
    if not found:
        raise CorpusError(
            str(root / "test.jsonl"),
            0,
            None,
            "no such file here (run from the project folder, or pass --data FILE with "
            "labelled .jsonl records)",
        )
    return found
