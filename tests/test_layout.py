"""The package's shape: no import cycles, no module reaching into another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "naio_nlp"


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) for every relative import in ``path``, at any depth."""
    found = []
    package = path.relative_to(PACKAGE).parent.parts
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - (node.level - 1)])
            target = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            if node.module is None:  # from . import x
                for alias in node.names:
                    found.append((".".join([*base, alias.name]), []))
            else:
                found.append((target, [a.name for a in node.names]))
    return found


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:`` (type-only imports run nothing)."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_the_classification_modules_import_no_cycle() -> None:
    graph = {m: {t for t, _ in _imports(p) if t in MODULES and t != m} for m, p in MODULES.items()}
    stage = {"classifier", "_workers", "features", "passages", "persist", "slots", "training"}
    stage |= {"lexicon", "component", "evaluate", "corpus", "schema", "language", "dates"}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(m for m in stage if m in graph and reaches(m, m, {m}) and m != "")
    assert not cycles, f"modules on an import cycle: {cycles}"


@pytest.mark.parametrize("module", ["training", "classifier", "passages", "persist", "component"])
def test_a_classification_module_uses_no_private_name_of_another(module: str) -> None:
    private = [
        f"{target}.{name}"
        for target, names in _imports(MODULES[module])
        for name in names
        if name.startswith("_")
        and target not in (module, "_version", "_workers")
        and target != "schema"
    ]
    assert not private, f"{module} imports private names {private}"
