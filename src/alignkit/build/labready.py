"""Make a lesson read in JupyterLab as it does on the website, and keep it so.

``python -m alignkit.build.labready notebooks/*.ipynb`` rewrites what JupyterLab (with ``jupyterlab-myst``)
cannot show as the site does, re-runs the lesson and saves it; ``--check`` only says which lessons are
not ready (exit status 1). Both are deterministic and idempotent: a second run changes nothing.

What it rewrites:

* a number in the prose, ``{glue:text}`key:fmt``` (myst-nb only), becomes
  ``{eval}`glued("key:fmt")``` (see :mod:`alignkit.ui.inline`): JupyterLab evaluates it in the kernel,
  the site reads the same glued value; both format it with the same function;
* ``{ref}`label``` and ``{doc}`path``` get their title written out (``{ref}`Demand waterfall
  <ref-waterfall>```), taken from the page they point to: the site shows the same words as before,
  and JupyterLab, which cannot see the other pages, shows the title rather than a bare label;
* ``$`` in the prose is written ``\\$``: JupyterLab's MyST would read ``$ ... $`` as maths;
* ``from jupyterquiz import display_quiz`` becomes ``from alignkit.ui.quiz import display_quiz``: the same
  quiz on the site, and one that answers in JupyterLab (:mod:`alignkit.ui.quiz`);
* the lesson imports :func:`alignkit.ui.inline.glued` before its first ``glue`` call.

When it runs a lesson (:class:`alignkit.build.labclient.LabReadyClient`, also used by
``python -m alignkit.build.notebooks``), each Markdown cell's ``{eval}`` expressions are evaluated
in the kernel at that point of the lesson and their results are saved in the cell's
``user_expressions`` metadata, where ``jupyterlab-myst`` reads them:
a learner opening a lesson sees the figures before running a cell.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

from .. import paths
from ..ui.inline import EVAL_ROLE, glued_spec
from .labclient import NotReady, expressions
from .notebooks import execute, lesson_paths

REPO = paths.root()
BOOK = paths.book_dir()

GLUE_TEXT = re.compile(r"\{glue:text\}`(?P<spec>[^`]+)`")
REF_BARE = re.compile(r"\{ref\}`(?P<label>[^`<>]+)`")
DOC_BARE = re.compile(r"\{doc\}`(?P<path>[^`<>]+)`")
QUIZ_IMPORT = re.compile(r"^from jupyterquiz import display_quiz\s*$", re.M)
GLUED_IMPORT = "from alignkit.ui.inline import glued"
GLUE_IMPORT = re.compile(r"^(from myst_nb import glue\b.*|import myst_nb\b.*)$", re.M)
GLUE_CALL = re.compile(r"^.*\bglue\(", re.M)
LABEL = re.compile(r"^\((?P<label>[A-Za-z0-9_-]+)\)=\s*\n+#+\s+(?P<title>.+?)\s*$", re.M)
H1 = re.compile(r"^#\s+(?P<title>.+?)\s*$", re.M)


# --- titles of the pages a lesson points to ----------------------------------------------------------


def _plain(title: str) -> str:
    """A heading as the site's link text shows it: inline markup dropped."""
    title = re.sub(r"\{[a-z:-]+\}`([^`<]*?)(?:\s*<[^`]*>)?`", r"\1", title)
    title = re.sub(r"[*_`]", "", title)
    return title.strip()


def label_titles(book: Path = BOOK) -> dict[str, str]:
    """Every ``(label)=`` target in the book's Markdown pages, with the title of the heading it marks."""
    titles: dict[str, str] = {}
    for page in sorted(book.rglob("*.md")):
        for m in LABEL.finditer(page.read_text(encoding="utf-8")):
            titles[m.group("label")] = _plain(m.group("title"))
    return titles


def doc_title(target: str, here: Path) -> str | None:
    """The first heading of the page ``{doc}`target``` names, relative to the lesson's folder."""
    base = (here / target) if not target.startswith("/") else (REPO / target.lstrip("/"))
    for path in (base.with_suffix(".md"), base.with_suffix(".ipynb"), base):
        if path.is_file():
            if path.suffix == ".ipynb":
                cells = nbformat.read(path, as_version=4).cells
                text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
            else:
                text = path.read_text(encoding="utf-8")
            m = H1.search(text)
            return _plain(m.group("title")) if m else None
    return None


# --- the conversion --------------------------------------------------------------------------------


def _quote(spec: str, where: str) -> str:
    if '"' not in spec:
        return f'"{spec}"'
    if "'" not in spec:
        return f"'{spec}'"
    raise NotReady(f"{where}: the glue key {spec!r} has both kinds of quote; rename it.")


FENCE = re.compile(r"^(```|~~~|:::).*?^\1", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`]*`")


def escape_dollars(source: str) -> str:
    """``$`` written as ``\\$`` outside code: JupyterLab's MyST reads ``$...$`` as maths (the site has
    no dollar maths, so a price such as ``$`` before a figure is text there, and stays so)."""

    def prose(text: str) -> str:
        out, last = [], 0
        for m in CODE_SPAN.finditer(text):
            out += [re.sub(r"(?<!\\)\$", r"\\$", text[last : m.start()]), m.group(0)]
            last = m.end()
        return "".join(out) + re.sub(r"(?<!\\)\$", r"\\$", text[last:])

    out, last = [], 0
    for m in FENCE.finditer(source):
        out += [prose(source[last : m.start()]), m.group(0)]
        last = m.end()
    return "".join(out) + prose(source[last:])


def convert_markdown(source: str, *, titles: dict[str, str], here: Path, where: str = "") -> str:
    """One Markdown cell, ready for JupyterLab (see the module's docstring)."""
    source = GLUE_TEXT.sub(lambda m: f"{{eval}}`glued({_quote(m.group('spec'), where)})`", source)
    source = escape_dollars(source)

    def ref(m: re.Match) -> str:
        label = m.group("label").strip()
        if label not in titles:
            raise NotReady(f"{where}: {{ref}}`{label}` names no `({label})=` target in book/.")
        return f"{{ref}}`{titles[label]} <{label}>`"

    def doc(m: re.Match) -> str:
        target = m.group("path").strip()
        title = doc_title(target, here)
        if not title:
            raise NotReady(f"{where}: {{doc}}`{target}` names no page with a title.")
        return f"{{doc}}`{title} <{target}>`"

    source = REF_BARE.sub(ref, source)
    return DOC_BARE.sub(doc, source)


def convert(nb, path: Path, titles: dict[str, str] | None = None):
    """The notebook ``nb`` (of the lesson at ``path``) converted in place; returns it."""
    titles = label_titles() if titles is None else titles
    uses_glued = False
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = convert_markdown(cell.source, titles=titles, here=path.parent, where=f"{path.name}, cell {n}")
            uses_glued |= any("glued(" in m.group("expr") for m in EVAL_ROLE.finditer(cell.source))
        elif cell.cell_type == "code":
            cell.source = QUIZ_IMPORT.sub("from alignkit.ui.quiz import display_quiz", cell.source)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if uses_glued and not any(GLUED_IMPORT in c.source for c in code):
        for cell in code:  # just before the first glue import, or else the first glue call
            m = GLUE_IMPORT.search(cell.source) or GLUE_CALL.search(cell.source)
            if m:
                cell.source = cell.source[: m.start()] + GLUED_IMPORT + "\n" + cell.source[m.start() :]
                break
        else:
            raise NotReady(f"{path.name}: the prose shows glued figures but no code cell glues any.")
    return nb


def forward_references(nb) -> list[str]:
    """Figures the prose shows before the code that glues them: in JupyterLab, Run All reaches the
    text first, so it shows "(not computed yet)" there until the cell is run again."""
    glued_at: dict[str, int] = {}
    for n, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued_at.setdefault(name, n)
    late = []
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for expr in expressions(cell.source):
            spec = glued_spec(expr)
            key = spec.partition(":")[0] if spec else None
            if key and glued_at.get(key, -1) > n:
                late.append(f"{key} (text in cell {n}, glued in cell {glued_at[key]})")
    return late


def missing_results(nb) -> list[str]:
    """Markdown cells whose saved results do not match their expressions (the lesson needs a run)."""
    problems = []
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        exprs = expressions(cell.source)
        saved = cell.metadata.get("user_expressions", [])
        if [s.get("expression") for s in saved] != exprs or any(s["result"].get("status") != "ok" for s in saved):
            problems.append(f"cell {n}")
    return problems


def check(path: Path, titles: dict[str, str] | None = None) -> list[str]:
    """What keeps a lesson from reading in JupyterLab as on the site ([] when it is ready)."""
    before = nbformat.read(path, as_version=4)
    text = json.dumps(before, sort_keys=True)
    try:
        after = convert(nbformat.from_dict(json.loads(text)), path, titles)
    except NotReady as exc:
        return [str(exc)]
    problems = []
    if json.dumps(after, sort_keys=True) != text:
        problems.append("not converted (run python -m alignkit.build.labready on it)")
    stale = [
        n
        for n, c in enumerate(before.cells)
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "application/vnd.vegalite.v5+json" in o.get("data", {})
    ]
    if stale:  # JupyterLab's Vega-Lite 5 renderer fed a v6 spec: warnings without end, a frozen tab
        problems.append(f"charts saved for JupyterLab's old renderer in cells {sorted(set(stale))} (re-run the lesson)")
    missing = missing_results(before)
    if missing:
        problems.append(f"figures in the prose not saved in {', '.join(missing)} (re-run the lesson)")
    late = forward_references(before)
    if late:  # Run All in JupyterLab would leave "(not computed yet)" in the text
        problems.append(
            f"figures shown before the cell that glues them: {'; '.join(late)} "
            "(glue them in a hidden cell above the text)"
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    """The command line: convert, re-run and save the lessons (``--check`` only reports)."""
    parser = argparse.ArgumentParser(prog="python -m alignkit.build.labready", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="lessons (default: every lesson)")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if a lesson is not ready")
    parser.add_argument("--no-run", action="store_true", help="convert without re-running the lessons")
    args = parser.parse_args(argv)
    titles = label_titles()
    bad = 0
    for path in args.paths or lesson_paths():
        if args.check:
            problems = check(path, titles)
            bad += bool(problems)
            print(f"{path.name}: {'; '.join(problems) if problems else 'ready'}")
            continue
        nb = nbformat.read(path, as_version=4)
        before = json.dumps(nb, sort_keys=True)
        try:
            convert(nb, path, titles)
        except NotReady as exc:
            print(f"{path.name}: {exc}", file=sys.stderr)
            bad += 1
            continue
        changed = json.dumps(nb, sort_keys=True) != before
        if changed:
            nbformat.write(nb, path)
        stale = any(
            "application/vnd.vegalite.v5+json" in o.get("data", {})
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
        )
        if not args.no_run and (changed or stale or missing_results(nb)):
            print(f"{path.name}: converted, ran in {execute(path, save=True):.1f} s")
        else:
            print(f"{path.name}: {'converted' if changed else 'already ready'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
