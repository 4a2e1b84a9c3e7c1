"""The shape of the code: no import cycle between the project's modules, and no module
longer than 400 lines (a longer one holds two things). Migrations are left out.

The import graph holds the imports at module level only: an import inside a function, or
under `if TYPE_CHECKING:`, runs later (or never) and cannot make a cycle at import time."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["tilskudd", "applications", "assessment", "reporting"]
MAX_LINES = 400
DOMAIN_APPS = {"applications", "assessment", "reporting"}


def project_modules() -> dict[str, Path]:
    """Every module of the packages, by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(body: list[ast.stmt]):
    """The import statements that run when the module is imported (also inside a top-level
    if/try/with, but not under `if TYPE_CHECKING:` nor in a function or class)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _top_level_imports(node.body)
            yield from _top_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody,
                          *(handler.body for handler in node.handlers)):
                yield from _top_level_imports(block)
        elif isinstance(node, ast.With):
            yield from _top_level_imports(node.body)


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module `name` is, or is in (a.b.c -> a.b if a.b.c is a name in a.b)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _top_level_imports(ast.parse(path.read_text(), str(path)).body):
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from a import b` imports a.b when b is a module, else a name in a
                wanted = [f"{base}.{alias.name}" for alias in node.names]
            for target in wanted:
                resolved = _resolve(target, modules)
                if resolved and resolved != name:
                    targets.add(resolved)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_graph_sees_a_cycle_and_ignores_imports_in_functions(tmp_path, monkeypatch):
    # Given a package where a imports b at the top and b imports a inside a function,
    # and c and d import each other at the top (one of them in a from-import of a module)
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n"
        "def later():\n    from .a import x\n")
    (package / "c.py").write_text("import pkg.d\n")
    (package / "d.py").write_text("from pkg import c\n")
    modules = {f"pkg.{p.stem}" if p.stem != "__init__" else "pkg": p
               for p in package.glob("*.py")}

    graph = import_graph(modules)

    assert graph == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": set(),
                     "pkg.c": {"pkg.d"}, "pkg.d": {"pkg.c"}}
    assert find_cycle(graph) == ["pkg.c", "pkg.d", "pkg.c"]
    assert find_cycle({"pkg.a": {"pkg.b"}, "pkg.b": set()}) is None


def test_no_import_cycle_between_the_projects_modules():
    cycle = find_cycle(import_graph(project_modules()))

    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_shared_core_imports_no_domain_app():
    # tilskudd is what the apps build on; they reach it through its registries (gates,
    # archive, budget floors), never the other way round, not even inside a function
    found = sorted(
        f"{name} imports {imported}"
        for name, path in project_modules().items() if name.split(".")[0] == "tilskudd"
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0)
        for imported in ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""])
        if imported.split(".")[0] in DOMAIN_APPS
    )

    assert found == []


def test_no_module_is_longer_than_400_lines():
    long = {
        name: count
        for name, path in project_modules().items()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }

    assert long == {}
