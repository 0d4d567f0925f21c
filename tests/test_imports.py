"""The import graph of the package: no module of the library imports, at any depth, one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

import eenzaam_cli

PACKAGE = Path(eenzaam_cli.__file__).parent


def _module_name(path: Path) -> str:
    parts = ["eenzaam_cli", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports, at module level or inside a function."""
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                origin = ".".join([*base, *([node.module] if node.module else [])])
                # `from . import model` imports the module model; `from .tabular import open_table` imports tabular
                targets = [origin] if node.module else []
                targets += [f"{origin}.{alias.name}" for alias in node.names]
            else:
                continue
            graph[name] |= {target for target in targets if target in paths and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_cycle_finder_finds_a_known_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_graph_sees_function_level_and_relative_imports():
    graph = import_graph()
    assert "eenzaam_cli.core.validation" in graph["eenzaam_cli.core.loading"]  # imported inside compile_files
    assert "eenzaam_cli.core.model" in graph["eenzaam_cli.core.loading"]  # `from . import model`


def test_no_import_cycles_in_core():
    graph = import_graph()
    core = {name: {target for target in targets if target.startswith("eenzaam_cli.core.")}
            for name, targets in graph.items() if name.startswith("eenzaam_cli.core.")}
    assert cycles(core) == []
