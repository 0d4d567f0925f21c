"""The import graph of the package: no module imports, at any depth, one that imports it back, and each layer
imports only the layers below it (docs/architecture.md, "Layers")."""

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
    assert "eenzaam_cli.core.reference.validation" in graph["eenzaam_cli.core.reference.loading"]  # imported inside compile_files
    assert "eenzaam_cli.core.reference.model" in graph["eenzaam_cli.core.reference.loading"]  # `from . import model`


def test_no_import_cycles():
    assert cycles(import_graph()) == []


# The layers, lowest first: a module may import its own layer and the layers below it, nothing above.
LAYERS = {
    "base": ("eenzaam_cli.core.errors", "eenzaam_cli.core.record"),
    "files": ("eenzaam_cli.core.files",),
    "reference": ("eenzaam_cli.core.reference",),
    "engines": tuple(f"eenzaam_cli.core.{name}" for name in (
        "person", "djg", "mapping", "prevalence", "profile", "population", "batch", "columnar", "djg_columns", "trainer",
        "stats")),
    "contract": ("eenzaam_cli.core.contract", "eenzaam_cli.core.text"),
    "library": ("eenzaam_cli.api", "eenzaam_cli.notebook"),
    "cli": ("eenzaam_cli.cli", "eenzaam_cli.__main__"),
}
ORDER = list(LAYERS)


def layer_of(module: str) -> str | None:
    for layer, prefixes in LAYERS.items():
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return layer
    return None  # the packages' own __init__ files


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a module from a layer above its own."""
    wrong = []
    for name, targets in sorted(graph.items()):
        for target in sorted(targets):
            layer, other = layer_of(name), layer_of(target)
            if layer is not None and other is not None and ORDER.index(other) > ORDER.index(layer):
                wrong.append(f"{name} ({layer}) imports {target} ({other})")
    return wrong


def test_every_module_has_a_layer():
    assert [name for name in import_graph() if layer_of(name) is None] == ["eenzaam_cli", "eenzaam_cli.core"]


def test_the_layer_check_finds_an_import_upwards():
    graph = {"eenzaam_cli.core.files.reading": {"eenzaam_cli.core.errors", "eenzaam_cli.core.profile"},
             "eenzaam_cli.core.reference.model": {"eenzaam_cli.core.record"},
             "eenzaam_cli.core.batch": {"eenzaam_cli.cli.output"}}
    assert upward_imports(graph) == [
        "eenzaam_cli.core.batch (engines) imports eenzaam_cli.cli.output (cli)",
        "eenzaam_cli.core.files.reading (files) imports eenzaam_cli.core.profile (engines)"]


def test_each_layer_imports_only_the_layers_below_it():
    assert upward_imports(import_graph()) == []
