"""The package's layout shows its architecture: every module imports, the import graph has no cycle
(imports inside functions count), each subpackage imports only what its rule allows, and each
subpackage's docstring names exactly its modules."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import alignkit

PACKAGE = Path(alignkit.__file__).resolve().parent

# What each part of the package may import from the rest of it ("" is alignkit itself: __version__).
ALLOWED = {
    # the foundations every part may use: where files are, the data error, writing outputs safely
    "paths": set(),
    "errors": set(),
    "outputs": {"errors"},
    "markdown_escape": set(),  # md_text, the one function that puts typed text into Markdown
    # the metrics import nothing from the rest of the course but the Markdown escaper (the definitions
    # agreement of metrics.lead_scores is Markdown with the criteria a person typed)
    "metrics": {"metrics", "markdown_escape"},
    "casedata": {"metrics", "casedata"},
    "teamtools": {"metrics", "casedata", "teamtools"},
    "ui": {"", "metrics", "casedata", "ui"},  # the lessons' interface: not the team tools or the build
    "lessons": {"", "metrics", "casedata", "teamtools", "ui", "lessons"},  # not the build
    "build": {"", "metrics", "casedata", "teamtools", "ui", "lessons", "build"},
    "cli": {"", "metrics", "casedata", "teamtools", "ui"},
}
FOUNDATIONS = {"paths", "errors", "outputs", "markdown_escape"}
for _part in ("casedata", "teamtools", "ui", "lessons", "build", "cli"):
    ALLOWED[_part] |= FOUNDATIONS


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name, with its file."""
    out = {"alignkit": PACKAGE / "__init__.py"}
    for info in pkgutil.walk_packages([str(PACKAGE)], "alignkit."):
        path = PACKAGE.joinpath(*info.name.split(".")[1:])
        out[info.name] = path / "__init__.py" if info.ispkg else path.with_suffix(".py")
    return out


def import_graph(mods: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the package's modules it imports, anywhere in its code (top level or inside a function)."""
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in mods else source for a in node.names]
            else:
                continue
            edges |= {t for t in targets if t in mods and t != name}
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (the first one repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def part(module: str) -> str:
    """The part of the package a module belongs to: metrics, casedata, ..., or "" for alignkit itself."""
    return module.split(".")[1] if "." in module else ""


def violations(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{m} imports {t} ({part(m)} may import only {', '.join(sorted(ALLOWED[part(m)])) or 'nothing'})"
        for m, targets in sorted(graph.items())
        if part(m) in ALLOWED
        for t in sorted(targets)
        if part(t) not in ALLOWED[part(m)]
    ]


MODULES = modules()
GRAPH = import_graph(MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_imports(name):
    importlib.import_module(name)


def test_every_part_of_the_package_has_a_rule():
    assert {part(m) for m in MODULES} - {""} == set(ALLOWED)


def test_no_import_cycle():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_each_part_imports_only_what_its_rule_allows():
    assert violations(GRAPH) == []


def test_the_checks_catch_a_cycle_and_a_forbidden_import():
    """The two checks above fail on a graph that breaks them (they are not vacuous)."""
    bad = {
        **GRAPH,
        "alignkit.metrics.funnel": GRAPH["alignkit.metrics.funnel"] | {"alignkit.ui.present"},
        "alignkit.ui.present": GRAPH["alignkit.ui.present"] | {"alignkit.metrics.funnel"},
    }
    assert find_cycle(bad) is not None
    assert "alignkit.metrics.funnel imports alignkit.ui.present" in violations(bad)[0]
    # and the graph sees an import hidden inside a function: editions <-> workshop used to do that
    assert "alignkit.metrics.raci" in GRAPH["alignkit.teamtools.playbook"]  # imported inside a function
    assert "alignkit.metrics.funnel" in GRAPH["alignkit.ui.charts"]


@pytest.mark.parametrize(
    "package",
    sorted(n for n, p in MODULES.items() if p.name == "__init__.py" and n != "alignkit" and n != "alignkit.lessons"),
)
def test_a_subpackage_docstring_names_each_of_its_modules(package):
    path = MODULES[package]
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    named = set(re.findall(r"^\* ``(\w+)``", doc, re.M))
    children = {n.rpartition(".")[2] for n in MODULES if n.rpartition(".")[0] == package}
    assert named == children, f"{package}'s docstring: one line '* ``module``: what it is' per module"


def test_the_package_docstring_maps_the_subpackages():
    doc = alignkit.__doc__ or ""
    named = set(re.findall(r"^\* ``(\w+)``", doc, re.M))
    assert named == set(ALLOWED)
