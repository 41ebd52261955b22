"""Imports follow the flow (docs/architecture.md, "Layers"): a module imports only from its
own layer or the layers below it, so a change downstream never reaches back upstream."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pipeline"

LAYERS = (
    ("__init__", "errors", "paths", "atomic", "format"),
    ("data",),
    ("stats",),
    ("figures",),
    ("report",),
    ("render",),
    ("disclosure",),
    ("build",),
    ("profiles",),
    ("cli", "__main__"),
)
"""Bottom to top; the first entry is the foundation every layer may use."""
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return isinstance(test, ast.Name | ast.Attribute) and ast.unparse(test).endswith(
        "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, top-level pipeline name)`` for every runtime import, lazy ones included;
    an import under ``if TYPE_CHECKING:`` names a type only and is skipped."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "pipeline":
                found.extend((node.lineno, f"pipeline.{a.name}") for a in node.names)
            else:
                found.append((node.lineno, node.module))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return [(line, name.split(".")[1]) for line, name in found if name.startswith("pipeline.")]


def _layer(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def upward_imports(package: Path = PACKAGE) -> list[str]:
    """Every import of a higher layer, as ``file:line: layer -> layer``."""
    found = []
    for path in sorted(package.rglob("*.py")):
        layer = _layer(path, package)
        own = LEVEL[layer]
        for line, target in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if LEVEL[target] > own:
                rel = path.relative_to(package.parent)
                found.append(f"{rel}:{line}: {layer} -> {target}")
    return found


def test_every_module_has_a_layer() -> None:
    tops = {_layer(p) for p in PACKAGE.rglob("*.py")}
    assert tops <= set(LEVEL), sorted(tops - set(LEVEL))


def test_no_module_imports_a_layer_above_its_own() -> None:
    assert upward_imports() == []


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("from pipeline.report.variables import build_variables\n", True),
        ("def f():\n    import pipeline.figures.style\n", True),
        ("from pipeline import build\n", True),
        ("from pipeline.data.codebook import Codebook\n", False),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pipeline.cli\n", False),
    ],
)
def test_an_upward_import_is_caught(tmp_path: Path, source: str, caught: bool) -> None:
    """The check itself: a stats module importing upward (lazily too) fails it."""
    (tmp_path / "stats").mkdir()
    (tmp_path / "stats" / "bad.py").write_text(source, encoding="utf-8")
    assert bool(upward_imports(tmp_path)) is caught
