"""Counts in messages read as English: one helper, no "(s)"."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from naio_nlp._text import plural

SRC = Path(__file__).resolve().parents[1] / "src" / "naio_nlp"


def test_plural_agrees_with_the_count() -> None:
    assert plural(1, "problem") == "1 problem"
    assert plural(2, "problem") == "2 problems"
    assert plural(0, "problem") == "0 problems"
    assert plural(1_500, "document") == "1,500 documents"
    assert plural(3, "entry", "entries") == "3 entries"
    assert plural(1, "entry", "entries") == "1 entry"


def test_no_message_writes_a_plural_as_word_s() -> None:
    """``problem(s)`` in a string is what the helper replaces; ``http(s)`` is not a plural."""
    found = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.replace("http(s)", "")
                if re.search(r"[a-z]\(s\)", text) and not _is_docstring(node, tree):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {text.strip()[:60]}")
    assert not found, "\n".join(found)


def _is_docstring(node: ast.Constant, tree: ast.Module) -> bool:
    for owner in ast.walk(tree):
        body = getattr(owner, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and body[0].value is node
        ):
            return True
    return False
