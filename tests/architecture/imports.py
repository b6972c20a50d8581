"""The import graph of the ``safeguarding`` package, read from the source (no imports run).

Every import counts, at the top of a file or inside a function, except those under
``if TYPE_CHECKING:`` (they never run). ``python -m tests.architecture.imports`` prints the
measures issue 15 asks for.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LocalImport:
    module: str
    line: int
    text: str
    comment: str  # the comment on the import's line or the line above, if any
    function: str  # the function it is in

    @property
    def in_ready(self) -> bool:
        """In an app's ``ready()``: where Django has an app import its other modules, once
        every app's models are loaded, and a reason enough."""
        return self.function == "ready" and self.module.rpartition(".")[2] in {"apps", "admin_site"}


@dataclass
class Graph:
    modules: dict[str, Path]
    edges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    local_imports: list[LocalImport] = field(default_factory=list)

    def app_of(self, module: str) -> str:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 else parts[0]

    def app_edges(self) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = defaultdict(set)
        for source, targets in self.edges.items():
            for target in targets:
                if self.app_of(source) != self.app_of(target):
                    edges[self.app_of(source)].add(self.app_of(target))
        return edges


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _under_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _function(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str:
    """The name of the function the node is in ("" at module or class level)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node.name
    return ""


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [f"{node.module}.{alias.name}" for alias in node.names]
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return [".".join([*base, *([node.module] if node.module else []), alias.name]) for alias in node.names]


def build(package: str = "safeguarding") -> Graph:
    modules = {_module_name(path): path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts}
    graph = Graph(modules)

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    for module, path in modules.items():
        source = path.read_text()
        lines = source.splitlines()
        tree = ast.parse(source)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom) or _under_type_checking(node, parents):
                continue
            internal = {
                resolve(target)
                for target in _targets(node, module, path.name == "__init__.py")
                if target.startswith(package + ".")
            }
            internal = {target for target in internal if target and target != module}
            graph.edges[module].update(internal)
            function = _function(node, parents)
            if function:
                line = lines[node.lineno - 1]
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                comment = line.partition("#")[2].strip() or (above[1:].strip() if above.startswith("#") else "")
                graph.local_imports.append(LocalImport(module, node.lineno, line.strip(), comment, function))
    return graph


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(set(edges) | {t for targets in edges.values() for t in targets}):
        if node not in index:
            visit(node)
    return found


if __name__ == "__main__":
    graph = build()
    print("function-local imports:", len(graph.local_imports))
    print("  in AppConfig.ready (where Django says they go):", sum(1 for i in graph.local_imports if i.in_ready))
    print("  elsewhere without a reason:", sum(1 for i in graph.local_imports if not i.comment and not i.in_ready))
    print("cycles between files:", cycles(graph.edges))
    print("cycles between apps:", cycles(graph.app_edges()))
