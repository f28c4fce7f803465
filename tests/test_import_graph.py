"""The house's import graph: no cycles between the modules of core/, api/, channels/ and plugins/.

Every import counts, wherever it is written: at the top, inside a function, under
``if TYPE_CHECKING:``. A cycle hidden in a function or behind TYPE_CHECKING is still a knot a
reader has to hold in their head, and the next top-level import turns it into an import error.
The graph is read from the source with :mod:`ast`, nothing is imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "api", "channels", "plugins")
#: packages of ours installed under a name of their own (the example plugin is its own distribution)
ALIASES = {"tobeout_example": "plugins.example.tobeout_example"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that ``name`` (a module, or a name inside one) lives in."""
    top, _, rest = name.partition(".")
    if top in ALIASES:
        name = ALIASES[top] + ("." + rest if rest else "")
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    """Every module of ours that ``module`` imports, anywhere in its source."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            owner = _owner(name, modules)
            if owner is not None and owner != module:
                yield owner


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports."""
    modules = _modules()
    return {module: set(_imported(module, path, modules)) for module, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            target = next(edges, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_sees_function_local_and_type_checking_imports():
    graph = import_graph()
    # core.demo imports the clock inside a function; core.booking.service names the plugin-free
    # clock at the top; core.runtime imports the conversation types only for the type checker.
    assert "core.clock" in graph["core.demo"]
    assert "core.conversation.types" in graph["core.runtime"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_in_core_api_channels_plugins():
    knots = cycles(import_graph())
    assert knots == [], (
        "import cycles (imports inside functions and under TYPE_CHECKING count): "
        + "; ".join(" <-> ".join(knot) for knot in knots)
        + ". Cut each: move what both modules need into a leaf module, or pass it in."
    )
