"""The direction of imports among the account's packages: backoffice → mfa → identity → notifications|documents → core.

Read from the source (every import statement, at the top or inside a function), tests and migrations aside.
"""

from __future__ import annotations

import ast
from pathlib import Path

import micuenta

ROOT = Path(micuenta.__file__).resolve().parent
PACKAGES = ("identity", "mfa", "backoffice", "notifications")
# package -> the packages of the portal it may import (besides itself and core)
ALLOWED = {
    "notifications": set(),
    "identity": {"notifications", "people", "documents"},  # documents: the notice hook of a document issued unasked
    "mfa": {"identity", "notifications", "people"},
    "backoffice": {
        "mfa",
        "identity",
        "notifications",
        "people",
        "employment",
        "feeds",
        "savings",
        "tramites",
        "uploads",
    },
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).parts
        if "tests" in relative or "migrations" in relative:
            continue
        found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The portal's modules that `name` imports, resolved to modules (`from a import b` is `a.b` when b is one)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                targets.add(candidate if candidate in MODULES else base)
    return {target for target in targets if target in MODULES}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_each_package_imports_only_downwards():
    wrong = []
    for module, imported in GRAPH.items():
        package = _package(module)
        if package not in ALLOWED:
            continue
        for target in imported:
            other = _package(target)
            if other not in {package, "core", ""} and other not in ALLOWED[package]:
                wrong.append(f"{module} → {target}")
    assert not wrong, wrong


def test_nothing_but_the_demo_imports_the_back_office():
    importers = {
        _package(module) for module, imported in GRAPH.items() if any(_package(t) == "backoffice" for t in imported)
    }
    assert importers <= {"backoffice", "demo"}, importers


def test_no_import_cycle_among_the_modules_of_these_packages():
    nodes = [m for m in GRAPH if _package(m) in PACKAGES]
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(GRAPH[node]):
            if _package(target) not in PACKAGES:
                continue
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target] if target in trail else [node, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(nodes):
        if node not in state:
            visit(node, [node])
    assert not cycles, cycles
