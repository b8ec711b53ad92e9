"""Every lesson follows the lesson anatomy, is in the table of contents, and keeps its numbers computed."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from alignkit.build.notebooks import lesson_paths
from alignkit.ui import course

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lesson_paths()
SECTIONS = (
    "From the interview",
    "Exercise",
    "Quiz",
    "Workshop activity",
    "Key takeaways",
    "Where to read more",
    "On Monday",
)


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_written_modules_are_the_lessons_in_the_toc():
    written = [m.page for m in course.MODULES if m.written]
    assert sorted(written) == sorted(f"notebooks/{p.stem}" for p in LESSONS)
    assert all(page in toc_files() for page in written)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_anatomy(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert text.startswith("# "), "a lesson starts with its title"
    assert "By the end of this lesson you can" in text, "learning objectives"
    for section in SECTIONS:
        assert re.search(rf"^## {section}", text, re.M), f"missing section '{section}'"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "module_card_html(" in code, "time estimate and role paths come from alignkit.ui.course"
    number = int(path.name[:2])
    assert nb.cells[-2].cell_type == "markdown" and nb.cells[-2].source.startswith("## On Monday"), (
        "a lesson ends with what each role does on Monday"
    )
    assert nb.cells[-1].source.rstrip().endswith(f"show({number})"), (
        "the lesson's own On Monday list (alignkit.ui.onmonday)"
    )
    assert "display_quiz(" in code and re.search(r"from alignkit\.lessons[. ]", code), (
        "quiz and checkers come from the lesson's module in alignkit.lessons"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_numbers_in_the_prose_are_computed(path):
    """Figures typed into the text would go stale: percentages and thousands come from glue.
    A sentence that cites a source ({ref}) may quote that source's figures."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"\{(?:glue:text|eval)\}`[^`]*`", "", cell.source)
        for sentence in re.split(r"(?<=[.!?])\s+", prose):
            if "{ref}" in sentence:
                continue
            typed = re.findall(r"\b\d+(?:\.\d+)?\s?%|\b\d{1,3}(?:,\d{3})+\b", sentence)
            assert not typed, f"typed figure(s) {typed} in: {sentence[:120]}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_saved_outputs_are_current_and_ignored_ones_say_why(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        # a cell was run when it has a count (cells that only import or assign show nothing)
        assert cell.execution_count is not None or not cell.source.strip(), f"cell never run: {cell.source[:60]}"
        assert not [o for o in cell.outputs if o.output_type == "error"], f"saved error in: {cell.source[:60]}"
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            assert cell.metadata.get("nbval_reason"), f"ignored output without a reason: {cell.source[:60]}"


# --- tidy: what only feeds the site or the tests is hidden (alignkit.build.notebooks tidy) ---------------

from alignkit.build.notebooks import is_hidden, split_cell, tidy  # noqa: E402

IMPORT_LINE = re.compile(r"^\s*(from\s+\S+\s+)?import\s", re.M)


def test_split_cell_moves_imports_before_and_glue_after():
    source = (
        "from myst_nb import glue\nimport pandas as pd\n\n# the leads\nleads = load()\n"
        "rate = leads.won.mean()\nglue('rate', rate, display=False)\nshare = rate * 2\n"
        "glue('share', share)\nleads.head()"
    )
    imports, visible, site = split_cell(source, used_later=set())
    assert imports == ["from myst_nb import glue", "import pandas as pd"]
    assert visible == ["# the leads\nleads = load()", "leads.head()"]
    # rate and share feed only glue: they go with it, in their order
    assert site == [
        "rate = leads.won.mean()",
        "glue('rate', rate, display=False)",
        "share = rate * 2",
        "glue('share', share)",
    ]


def test_split_cell_keeps_what_later_cells_or_visible_code_read():
    imports, visible, site = split_cell("rate = f()\nglue('r', rate)\nprint(rate)", used_later=set())
    assert visible == ["rate = f()", "print(rate)"] and site == ["glue('r', rate)"]
    _, visible, site = split_cell("rate = f()\nglue('r', rate)", used_later={"rate"})
    assert visible == ["rate = f()"] and site == ["glue('r', rate)"]
    # a site statement that reads a name reassigned later would see another value: it stays
    _, visible, site = split_cell("x = 1\nglue('x', x)\nx = 2\nx", used_later=set())
    assert "glue('x', x)" in visible and site == []
    # mutating an object is not a plain assignment: it stays
    _, visible, _ = split_cell("df['a'] = 1\nglue('n', len(df))\ndf", used_later=set())
    assert visible == ["df['a'] = 1", "df"]
    assert split_cell("a = 1; glue('a', a)", used_later=set()) is None
    assert split_cell("print((1)", used_later=set()) is None


def _nb(*sources, tags=None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t")] + [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_tidy_hides_plumbing_turns_markers_into_tags_and_is_idempotent():
    nb = _nb(
        "# NBVAL_CHECK_OUTPUT\nfrom alignkit import x\nleads = x.load()\nglue('n', len(leads))\nleads.head()",
        "from myst_nb import glue\nglue('a', 1)",
        "leads.tail()",
    )
    assert tidy(nb) is True
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source for c in code] == [
        "from alignkit import x",
        "leads = x.load()\nleads.head()",
        "glue('n', len(leads))\n\nfrom myst_nb import glue\nglue('a', 1)",
        "leads.tail()",
    ]
    assert "nbval-check-output" in code[1].metadata["tags"]
    for c in (code[0], code[2]):
        assert c.metadata["tags"] == ["remove-cell"] and c.metadata["jupyter"]["source_hidden"] is True
    assert "jupyter" not in code[1].metadata and "jupyter" not in code[3].metadata
    again = nbformat.writes(nb)
    assert tidy(nb) is False and nbformat.writes(nb) == again


def test_tidy_collapses_remove_input_cells_and_keeps_their_output():
    nb = _nb("from a import card\ncard()")
    nb.cells[1].metadata["tags"] = ["remove-input"]
    assert tidy(nb)
    assert nb.cells[1].source == "from a import card\ncard()" and nb.cells[1].metadata["jupyter"]["source_hidden"]


def test_tidy_refuses_unknown_markers():
    with pytest.raises(ValueError, match="unknown nbval marker"):
        tidy(_nb("# NBVAL_WHATEVER\n1"))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_is_tidy(path):
    """Visible code has no import, glue or nbval marker; hidden cells are collapsed in JupyterLab.
    Fix with: python -m alignkit.build.notebooks tidy notebooks/<lesson>.ipynb"""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if is_hidden(cell):
            assert cell.metadata.get("jupyter", {}).get("source_hidden"), (
                f"hidden cell not collapsed: {cell.source[:60]}"
            )
            continue
        assert not IMPORT_LINE.search(cell.source), f"import in a visible cell: {cell.source[:80]}"
        assert "glue(" not in cell.source and "NBVAL" not in cell.source, f"plumbing in: {cell.source[:80]}"
    assert tidy(nb) is False, "tidy would still change this lesson"


GLUE_PREFIX = "application/papermill.record/"


def shown_under_a_hidden_cell(cell) -> list[str]:
    """What a hidden cell (collapsed in JupyterLab, off the site) shows under its collapsed source:
    anything but ``glue(..., display=False)``, whose bundle carries only ``application/papermill.record/*``
    types, which no JupyterLab renderer draws. A ``remove-input`` cell is meant to show its output."""
    hidden = cell.metadata.get("jupyter", {}).get("source_hidden") or "remove-cell" in cell.metadata.get("tags", [])
    if cell.cell_type != "code" or not hidden or "remove-input" in cell.metadata.get("tags", []):
        return []
    shown = []
    for out in cell.outputs:
        data = out.get("data", {})
        if out.output_type == "display_data" and data and all(k.startswith(GLUE_PREFIX) for k in data):
            continue
        shown.append(out.get("text") or str(data.get("text/plain", list(data)))[:80])
    return shown


def test_a_print_or_a_value_under_a_hidden_cell_is_found():
    cell = nbformat.v4.new_code_cell("print(rate)\nglue('rate', rate, display=False)\nrate")
    cell.metadata = {"tags": ["remove-cell"], "jupyter": {"source_hidden": True}}
    glued = nbformat.v4.new_output(
        "display_data",
        data={GLUE_PREFIX + "text/plain": "0.3"},
        metadata={"scrapbook": {"name": "rate", "mime_prefix": GLUE_PREFIX}},
    )
    cell.outputs = [
        nbformat.v4.new_output("stream", text="30%\n"),
        glued,
        nbformat.v4.new_output("execute_result", data={"text/plain": "0.3"}, execution_count=1),
    ]
    assert shown_under_a_hidden_cell(cell) == ["30%\n", "0.3"]
    cell.outputs = [glued]
    assert shown_under_a_hidden_cell(cell) == []
    cell.metadata["tags"] = ["remove-input"]  # the module card: its output is the point
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": "<b>card</b>"}, execution_count=1)]
    assert shown_under_a_hidden_cell(cell) == []


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_hidden_cells_show_nothing_in_jupyterlab(path):
    """JupyterLab collapses a hidden cell's source but still shows its output: a print or a stray value
    there reads as noise under a closed cell (the site removes the cell, output and all)."""
    nb = nbformat.read(path, as_version=4)
    noise = {n: shown for n, cell in enumerate(nb.cells) if (shown := shown_under_a_hidden_cell(cell))}
    assert not noise, f"hidden cells show output in JupyterLab (cell: output): {noise}"


# --- decision exercises and analyst extensions --------------------------------------------------


def _lesson_module(path: Path):
    import importlib
    import pkgutil

    from alignkit import lessons

    name = next(m.name for m in pkgutil.iter_modules(lessons.__path__) if m.name.startswith(f"m{path.name[:2]}_"))
    return importlib.import_module(f"alignkit.lessons.{name}")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_has_decision_exercises_shown_before_its_analyst_extensions(path):
    """The lesson module declares its decision exercises (``exercises()``), the notebook shows each
    one (its output carries the exercise's spec), and the optional pandas ("Analyst extension")
    sections come after the last decision exercise."""
    from alignkit.ui.exercises import EXERCISE_MIME

    declared = [e.spec() for e in getattr(_lesson_module(path), "exercises", list)()]
    assert declared, "no decision exercise: add exercises() to the lesson module (see INFRA_GUIDE.md)"
    nb = nbformat.read(path, as_version=4)
    shown, order = [], []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            order += [("analyst", h) for h in re.findall(r"^## (Analyst extension.*)$", cell.source, re.M)]
        for out in cell.get("outputs", []):
            if EXERCISE_MIME in out.get("data", {}):
                shown.append(out["data"][EXERCISE_MIME])
                order.append(("decision", out["data"][EXERCISE_MIME]["id"]))
    assert shown == declared, "the saved outputs show other exercises than the module declares: re-run the lesson"
    kinds = [k for k, _ in order]
    assert "analyst" not in kinds or kinds.index("analyst") > max(i for i, k in enumerate(kinds) if k == "decision"), (
        f"an analyst extension comes before a decision exercise: {order}"
    )


# --- honest time --------------------------------------------------------------------------------

from alignkit.ui.lessontime import QUIZ_MINUTES, WORDS_PER_MINUTE, lesson_time, prose_words  # noqa: E402


def test_prose_words_counts_what_the_reader_sees():
    assert prose_words("Agree on an {term}`MQL` with {doc}`the glossary <../book/glossary>`.") == 7
    assert prose_words("See [the data](../data/README.md) and <b>this</b>.") == 5
    assert prose_words("{glue:text}`rate` of leads") == 3
    assert prose_words('{eval}`glued("rate")` of leads') == 3


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_module_card_time_is_the_lessons_computed_time(path):
    """The card (course.MODULES, shown at the top of the lesson) says the computed time, and the
    computation is checked against a plain recount: words split on spaces, exercise minutes from
    the saved specs, the activity's minutes from its heading."""
    number = int(path.name[:2])
    t = lesson_time(path)
    assert course.module(number).minutes == t.minutes
    nb = nbformat.read(path, as_version=4)
    card = [o for c in nb.cells if "module_card_html(" in c.source for o in c.outputs]
    assert card and f"about {t.minutes} minutes" in card[0]["data"]["text/html"], (
        "the saved card shows another time: re-run the lesson"
    )
    prose, optional = [], False
    for c in nb.cells:
        if c.cell_type == "markdown":
            heads = re.findall(r"^## .*", c.source, re.M)
            optional = heads[-1].startswith("## Analyst extension") if heads else optional
            if not optional:
                prose.append(c.source)
    # a role's explicit target ({ref}`Demand waterfall <ref-waterfall>`) is not read
    words = len(re.sub(r"\s+<[^<>`]*>`", "`", " ".join(prose)).split())
    assert abs(t.words - words) <= 0.1 * words, (t.words, words)
    # every workshop activity counts (lesson 8 has two)
    activities = re.findall(r"^## Workshop activity.*\((\d+) minutes", "\n".join(prose), re.M)
    assert t.activities == sum(int(m) for m in activities)
    specs = [
        o["data"]["application/vnd.alignkit.exercise+json"]
        for c in nb.cells
        for o in c.get("outputs", [])
        if "application/vnd.alignkit.exercise+json" in o.get("data", {})
    ]
    assert t.exercises >= sum(s["minutes"] for s in specs)
    total = words / WORDS_PER_MINUTE + t.exercises + t.activities + QUIZ_MINUTES
    assert total <= t.minutes < total + 5.5
