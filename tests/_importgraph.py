"""Static import graph of a package: every ``import`` and ``from … import`` in every module,
those inside functions included, resolved to the package's own modules (relative imports
too). Used by ``tests/test_imports.py``."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    target: str  # the module imported (or imported from)
    name: str | None  # the name taken from ``target`` (None for ``import target``)
    line: int


def module_names(root: Path, package: str) -> dict[str, Path]:
    """``{dotted name: file}`` of every module under ``root`` (the package's folder)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _base(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from`` import names (relative levels resolved)."""
    if not node.level:
        return node.module or ""
    parts = importer.split(".")
    anchor = parts if is_package else parts[:-1]
    anchor = anchor[: len(anchor) - (node.level - 1)]
    return ".".join([*anchor, node.module] if node.module else anchor)


def imports(root: Path, package: str) -> list[Import]:
    """Every import of a module of ``package`` by a module of ``package``."""
    modules = module_names(root, package)
    found = []
    for importer, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules:
                        found.append(Import(importer, alias.name, None, node.lineno))
            elif isinstance(node, ast.ImportFrom):
                base = _base(importer, is_package, node)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if sub in modules:  # ``from pkg import module``
                        found.append(Import(importer, sub, None, node.lineno))
                    elif base in modules:
                        found.append(Import(importer, base, alias.name, node.lineno))
    return found


def cycles(edges: list[Import]) -> list[list[str]]:
    """The import cycles (each a list of modules, the first repeated at the end)."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        if e.target != e.importer:
            graph.setdefault(e.importer, set()).add(e.target)
    out: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                out.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return out


def private_imports(edges: list[Import]) -> list[Import]:
    """Imports of another module's private name (``from m import _x``), and imports of a
    private module (``a.b._m``) from outside its package ``a.b``."""
    bad = []
    for e in edges:
        if e.target == e.importer:
            continue
        if e.name and e.name.startswith("_") and not e.name.startswith("__"):
            bad.append(e)
            continue
        parent, _, last = e.target.rpartition(".")
        private = last.startswith("_") and not last.startswith("__")
        inside = e.importer == parent or e.importer.startswith(parent + ".")
        if private and parent and not inside:
            bad.append(e)
    return bad
