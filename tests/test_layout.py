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


def test_no_module_of_the_package_is_on_an_import_cycle() -> None:
    """The whole path, URL -> stored article -> prediction -> report, and the CLI on top."""
    graph = {m: {t for t, _ in _imports(p) if t in MODULES and t != m} for m, p in MODULES.items()}
    for stage in ("crawl", "store", "classifier", "runner", "report", "ledger", "cli"):
        assert stage in graph, f"the import graph misses the {stage} module"

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(m for m in graph if reaches(m, m, {m}))
    assert not cycles, f"modules on an import cycle: {cycles}"


def test_the_import_graph_resolves_relative_imports() -> None:
    """The check above is not vacuous: the runner's imports resolve to the stages it runs."""
    runner = {t for t, _ in _imports(PACKAGE / "runner.py")}
    assert {"classifier", "crawl", "store", "report"} <= runner
    cli_classify = {t for t, _ in _imports(PACKAGE / "cli" / "classify.py")}
    assert "batch" in cli_classify


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
