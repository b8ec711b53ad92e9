"""Run the lessons: execute each notebook and save its outputs, or time it for ``make bench``.

``python -m alignkit.build.notebooks`` executes every notebook in ``notebooks/`` in place, so the
``.ipynb`` files in the repository carry current outputs: a learner who downloads one sees the
results, and nbval compares a fresh run against them.

``python -m alignkit.build.notebooks tidy [NOTEBOOK ...]`` moves what only feeds the site or the tests
(imports, ``glue`` calls and what only they read, ``# NBVAL_`` markers) into cells tagged
``remove-cell`` and collapsed in JupyterLab, then re-runs the lessons it changed (see :func:`tidy`).
"""

from __future__ import annotations

import argparse
import ast
import itertools
import re
import sys
import time
from pathlib import Path
from typing import Any

import nbformat

from .. import paths
from .labclient import LabReadyClient  # also saves the prose's figures for JupyterLab

NOTEBOOK_DIR = paths.notebooks_dir()


def lesson_paths() -> list[Path]:
    """The lessons (``notebooks/NN-*.ipynb``), in course order."""
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))


def execute(path: Path, save: bool = False, timeout: int = 120) -> float:
    """Execute one notebook with a fresh kernel in its own folder; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = LabReadyClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if save:
        nb.metadata.pop("widgets", None)  # widget state is rebuilt by every run; not worth keeping in git
        nbformat.write(nb, path)
    return seconds


# --- tidy: what only feeds the site or the tests goes into hidden cells ---------------------------

HIDDEN_TAG = "remove-cell"
# Cell markers nbval reads from the first lines of a cell, and the tag that says the same thing.
NBVAL_MARKERS = {
    "NBVAL_CHECK_OUTPUT": "nbval-check-output",
    "NBVAL_IGNORE_OUTPUT": "nbval-ignore-output",
    "NBVAL_SKIP": "nbval-skip",
    "NBVAL_RAISES_EXCEPTION": "raises-exception",
}
MARKER = re.compile(r"^\s*#\s*(NBVAL_[A-Z_]+)\b[ :\-–]*(.*)$")


def is_hidden(cell) -> bool:
    """A cell the site does not show (``remove-cell`` or ``remove-input``): its source is plumbing."""
    tags = cell.metadata.get("tags", [])
    return HIDDEN_TAG in tags or "remove-input" in tags


def _hide(cell) -> None:
    """Collapse the cell's source in JupyterLab; a ``remove-cell`` stays off the site, too."""
    cell.metadata.setdefault("jupyter", {})["source_hidden"] = True


def _is_glue(node: ast.AST) -> bool:
    """``glue(...)`` as a statement, or a loop/condition/with whose body is only such statements."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        f = node.value.func
        return (isinstance(f, ast.Name) and f.id == "glue") or (isinstance(f, ast.Attribute) and f.attr == "glue")
    if isinstance(node, (ast.For, ast.If, ast.With)):
        return all(_is_glue(n) for n in node.body + getattr(node, "orelse", []))
    return False


def _loads(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _stores(node: ast.AST) -> set[str]:
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        names.add(node.name)
    return names


def _shows(node: ast.AST) -> bool:
    """Does the statement print or display something?"""
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("print", "display")
        for n in ast.walk(node)
    )


def _names_used_by_visible_code(cells) -> set[str]:
    """Names that code outside glue and imports loads in ``cells`` (later cells of the notebook)."""
    used: set[str] = set()
    for cell in cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            used |= set(re.findall(r"[A-Za-z_]\w*", cell.source))
            continue
        for node in tree.body:
            if not (_is_glue(node) or isinstance(node, (ast.Import, ast.ImportFrom))):
                used |= _loads(node)
    return used


def _plain_assignment(node: ast.AST) -> bool:
    """``name = ...`` (or ``a, b = ...``): binds names only, changes no object."""
    targets = (
        node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else None
    )
    if not targets:
        return False

    def names_only(t):
        return isinstance(t, ast.Name) or (isinstance(t, (ast.Tuple, ast.List)) and all(names_only(e) for e in t.elts))

    return all(names_only(t) for t in targets)


def split_cell(source: str, used_later: set[str]) -> tuple[list[str], list[str], list[str]] | None:
    """Split a cell's source into (imports, what the reader sees, what only feeds the site), each a
    list of statement texts in their original order; None when the cell cannot be split safely.

    What only feeds the site: ``glue(...)`` calls, and plain assignments whose names nothing visible
    (in this cell or a later one) reads and that print nothing. Imports move before the cell and the
    site's statements after it, so a statement moves only when that cannot change what it sees: a
    site statement stays when a visible statement after it assigns a name it reads; an import stays
    when a statement before it reads or assigns the name it binds.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    body = tree.body
    if not body:
        return None
    for a, b in itertools.pairwise(body):
        if b.lineno <= (a.end_lineno or a.lineno):  # two statements on one line (a;b): leave the cell alone
            return None
    kinds = [
        "import" if isinstance(n, (ast.Import, ast.ImportFrom)) else "site" if _is_glue(n) else "visible" for n in body
    ]
    needed = set(used_later)  # names that visible code reads after the statement under review
    for i in range(len(body) - 1, -1, -1):
        node = body[i]
        if kinds[i] != "visible":
            continue
        if _plain_assignment(node) and not _shows(node) and not (_stores(node) & needed):
            kinds[i] = "site"
        else:
            needed |= _loads(node)
    for i, node in enumerate(body):
        if kinds[i] == "site":
            later = set().union(*[_stores(body[j]) for j in range(i + 1, len(body)) if kinds[j] == "visible"])
            if _loads(node) & later:
                kinds[i] = "visible"
        elif kinds[i] == "import":
            before = set().union(*[_loads(body[j]) | _stores(body[j]) for j in range(i)])
            if _stores(node) & before:
                kinds[i] = "visible"
    lines = source.splitlines()
    texts, floor = [], 0
    for node in body:
        start = node.lineno - 1
        while start > floor and lines[start - 1].lstrip().startswith("#"):
            start -= 1  # the comment lines right above a statement go with it
        texts.append("\n".join(lines[start : node.end_lineno]))
        floor = node.end_lineno or node.lineno
    trailing = "\n".join(lines[body[-1].end_lineno :]).strip()
    if trailing:
        texts[-1] += "\n" + trailing
    groups: dict[str, list[str]] = {"import": [], "visible": [], "site": []}
    for kind, text in zip(kinds, texts, strict=True):
        groups[kind].append(text.strip("\n"))
    return groups["import"], groups["visible"], groups["site"]


def _join(statements: list[str]) -> str:
    """Statements as one cell's source; a blank line between statements that span several lines."""
    out: list[str] = []
    for s in statements:
        if out and ("\n" in s or "\n" in out[-1]):
            out.append("")
        out.append(s)
    return "\n".join(out)


def _take_markers(cell) -> bool:
    """Turn ``# NBVAL_...`` comment lines at the top of a cell into the nbval tags that mean the same."""
    lines = cell.source.splitlines()
    changed = False
    while lines and (marker := MARKER.match(lines[0])):
        lines.pop(0)
        name, reason = marker.groups()
        tag = NBVAL_MARKERS.get(name)
        if tag is None:
            raise ValueError(f"unknown nbval marker '# {name}' in cell: {cell.source[:60]!r}")
        tags = cell.metadata.setdefault("tags", [])
        if tag not in tags:
            tags.append(tag)
        if tag == "nbval-ignore-output" and not cell.metadata.get("nbval_reason"):
            cell.metadata["nbval_reason"] = reason.strip() or "marked # NBVAL_IGNORE_OUTPUT"
        changed = True
    if changed:
        cell.source = "\n".join(lines).strip("\n")
    return changed


def _new_cell(source: str, base_id: str, suffix: str):
    cell = nbformat.v4.new_code_cell(source)
    cell.id = f"{base_id}-{suffix}"[:64]
    cell.metadata["tags"] = [HIDDEN_TAG]
    _hide(cell)
    return cell


def tidy(nb) -> bool:
    """Tidy one notebook in place; return whether anything changed. Running it twice changes nothing.

    * ``# NBVAL_...`` markers become nbval's tags (nbval reads both);
    * imports move into a hidden cell before their cell, ``glue`` calls and what only feeds them into
      a hidden cell after it; a cell left with nothing visible is hidden whole;
    * hidden cells (``remove-cell``, and ``remove-input`` whose output the site shows) are collapsed
      in JupyterLab;
    * adjacent hidden cells that tidy made are merged into one.
    """
    before = nbformat.writes(nb)
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        _take_markers(cell)
        if is_hidden(cell):
            _hide(cell)
            cells.append(cell)
            continue
        later = _names_used_by_visible_code(nb.cells[index + 1 :])
        parts = split_cell(cell.source, later)
        if parts is None:
            cells.append(cell)
            continue
        imports, visible, site = parts
        base = cell.get("id") or f"cell{index}"
        if not visible:
            cell.metadata.setdefault("tags", []).append(HIDDEN_TAG)
            _hide(cell)
            cells.append(cell)
            continue
        if imports:
            cells.append(_new_cell(_join(imports), base, "imports"))
        if imports or site:
            cell.source = _join(visible)
        cells.append(cell)
        if site:
            site_cell = _new_cell(_join(site), base, "site")
            # the glue outputs belong to the cell that now makes them
            site_cell.outputs = [
                o
                for o in cell.outputs
                if o.output_type == "display_data"
                and any(k.startswith("application/papermill.record") for k in o.get("data", {}))
            ]
            cell.outputs = [o for o in cell.outputs if o not in site_cell.outputs]
            cells.append(site_cell)

    def plain(c) -> bool:
        return (
            c.cell_type == "code" and c.metadata.get("tags") == [HIDDEN_TAG] and set(c.metadata) <= {"tags", "jupyter"}
        )

    merged: list[Any] = []
    for cell in cells:
        prev = merged[-1] if merged else None
        if prev is not None and plain(prev) and plain(cell):
            prev.source = prev.source.rstrip("\n") + "\n\n" + cell.source
            prev.outputs = [*prev.outputs, *cell.outputs]
            continue
        merged.append(cell)
    nb.cells = merged
    return nbformat.writes(nb) != before


def tidy_file(path: Path, run: bool = True) -> bool:
    """Tidy one lesson file; re-execute and save it when it changed (its outputs moved)."""
    nb = nbformat.read(path, as_version=4)
    changed = tidy(nb)
    if changed:
        nbformat.write(nb, path)
        if run:
            execute(path, save=True)
    return changed


def main(argv: list[str] | None = None) -> int:
    """The command line: run the lessons and save their outputs, or ``tidy`` them."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["tidy"]:
        parser = argparse.ArgumentParser(
            prog="python -m alignkit.build.notebooks tidy",
            description=(
                "Move what only feeds the site or the tests (imports, glue, nbval markers) into hidden cells, "
                "then re-run and save each lesson that changed. Running it again changes nothing."
            ),
        )
        parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every lesson)")
        parser.add_argument("--no-run", action="store_true", help="do not re-run the changed notebooks")
        parser.add_argument(
            "--check", action="store_true", help="change nothing; exit with status 1 if a notebook is not tidy"
        )
        args = parser.parse_args(argv[1:])
        untidy = []
        for path in args.paths or lesson_paths():
            if args.check:
                if tidy(nbformat.read(path, as_version=4)):
                    untidy.append(path.name)
                continue
            done = (
                "tidied" + ("" if args.no_run else " and re-run")
                if tidy_file(path, run=not args.no_run)
                else "already tidy"
            )
            print(f"{path.name}: {done}")
        if untidy:
            print("not tidy: " + ", ".join(untidy) + " (run: python -m alignkit.build.notebooks tidy FILE)")
            return 1
        if args.check:
            print("every notebook given is tidy")
        return 0
    parser = argparse.ArgumentParser(
        description="Execute the lessons and save their outputs "
        "('tidy' as the first argument: tidy them, see --help there)."
    )
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every lesson)")
    args = parser.parse_args(argv)
    for path in args.paths or lesson_paths():
        print(f"{path.name}: {execute(path, save=True):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
