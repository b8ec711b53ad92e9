"""The lessons read in JupyterLab as on the site: figures in the prose, titled references, quizzes, charts."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest
from myst_nb.core.variables import format_plain_text

from alignkit.build import labready
from alignkit.build.notebooks import lesson_paths
from alignkit.ui import inline, labchart, quiz
from alignkit.ui.charts import VEGALITE_LAB_MIME, VEGALITE_MIME, ChartView
from alignkit.ui.exercises import multiple_choice

ROOT = Path(__file__).resolve().parents[1]


# --- figures in the prose -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (0.2789, ".0%", "28%"),
        (17510, ",", "17,510"),
        (0.0268, ".1%", "2.7%"),
        ("paid social", "", "paid social"),
        ("28\u00a0%", "", "28\u00a0%"),
        (3.25, ".1f", "3.2"),
        ("O'Brien", "", "O'Brien"),
    ],
)
def test_glued_shows_what_the_site_shows(value, fmt, shown):
    inline.remember("k", value)
    assert str(inline.glued(f"k:{fmt}" if fmt else "k")) == shown
    assert repr(inline.glued(f"k:{fmt}" if fmt else "k")) == shown  # no quotes in JupyterLab
    # the site formats the same text/plain with myst-nb's {glue:text} function
    assert format_plain_text(repr(value), fmt) == shown


def test_glued_before_its_value_is_computed_says_so():
    assert str(inline.glued("never_glued_here:.0%")) == inline.NOT_YET


def test_only_glued_calls_are_site_expressions():
    assert inline.glued_spec('glued("rate:.0%")') == "rate:.0%"
    assert inline.glued_spec("glued('n')") == "n"
    assert inline.glued_spec("x + 1") is None
    assert inline.glued_spec('glued("a") + glued("b")') is None


def test_glue_hook_records_what_myst_nb_glues():
    msg = {
        "content": {
            "data": {inline.GLUE_PREFIX + "text/plain": "0.5"},
            "metadata": {"scrapbook": {"name": "half", "mime_prefix": inline.GLUE_PREFIX}},
        }
    }
    assert inline._capture(msg) is msg
    assert str(inline.glued("half:.0%")) == "50%"


# --- the converter ------------------------------------------------------------------------------

TITLES = {"ref-waterfall": "Demand waterfall"}


def test_markdown_conversion():
    src = (
        "Of {glue:text}`n:,` inquiries {glue:text}`rate:.1%` won (see {ref}`ref-waterfall`); "
        "{term}`MQL` stays; {ref}`Titled <ref-waterfall>` stays; the {doc}`../book/glossary`."
    )
    out = labready.convert_markdown(src, titles=TITLES, here=ROOT / "notebooks")
    assert out == (
        'Of {eval}`glued("n:,")` inquiries {eval}`glued("rate:.1%")` won (see '
        "{ref}`Demand waterfall <ref-waterfall>`); {term}`MQL` stays; {ref}`Titled <ref-waterfall>` stays; "
        "the {doc}`Glossary <../book/glossary>`."
    )
    assert labready.convert_markdown(out, titles=TITLES, here=ROOT / "notebooks") == out  # idempotent


def test_dollars_are_text_in_jupyterlab_too():
    src = "It cost ${glue:text}`cac:,.0f` (was \\$5), see `$HOME`.\n```\n$x\n```"
    out = labready.convert_markdown(src, titles=TITLES, here=ROOT / "notebooks")
    assert out == 'It cost \\${eval}`glued("cac:,.0f")` (was \\$5), see `$HOME`.\n```\n$x\n```'
    assert labready.convert_markdown(out, titles=TITLES, here=ROOT / "notebooks") == out


def test_unknown_reference_is_named():
    with pytest.raises(labready.NotReady, match="ref-nowhere"):
        labready.convert_markdown("{ref}`ref-nowhere`", titles=TITLES, here=ROOT / "notebooks", where="x")


def test_references_titles_come_from_the_book():
    titles = labready.label_titles()
    text = (ROOT / "book" / "references.md").read_text()
    for label, title in titles.items():
        assert f"({label})=" in text or any(f"({label})=" in p.read_text() for p in (ROOT / "book").rglob("*.md"))
        assert title and "{" not in title


def _lesson(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def test_code_conversion_imports_glued_before_the_first_glue_and_swaps_the_quiz():
    nb = _lesson(
        [
            nbformat.v4.new_code_cell("import pandas as pd\nfrom myst_nb import glue\nglue('n', 3, display=False)"),
            nbformat.v4.new_markdown_cell("We had {glue:text}`n` leads."),
            nbformat.v4.new_code_cell("from jupyterquiz import display_quiz\ndisplay_quiz(q)"),
        ]
    )
    labready.convert(nb, ROOT / "notebooks" / "x.ipynb", TITLES)
    assert nb.cells[0].source == (
        "import pandas as pd\nfrom alignkit.ui.inline import glued\nfrom myst_nb import glue\n"
        "glue('n', 3, display=False)"
    )
    assert nb.cells[2].source == "from alignkit.ui.quiz import display_quiz\ndisplay_quiz(q)"
    again = json.dumps(
        labready.convert(nbformat.from_dict(json.loads(json.dumps(nb))), ROOT / "notebooks" / "x.ipynb", TITLES)
    )
    assert again == json.dumps(nb)


def test_saved_results_must_match_the_expressions():
    cell = nbformat.v4.new_markdown_cell('{eval}`glued("a")` and {eval}`glued("b")`')
    nb = _lesson([cell])
    assert labready.missing_results(nb) == ["cell 0"]
    cell.metadata["user_expressions"] = [
        {"expression": 'glued("a")', "result": {"status": "ok", "data": {"text/plain": "1"}, "metadata": {}}},
        {"expression": 'glued("b")', "result": {"status": "ok", "data": {"text/plain": "2"}, "metadata": {}}},
    ]
    assert labready.missing_results(nb) == []
    cell.metadata["user_expressions"][1]["result"] = {"status": "error", "ename": "LookupError", "evalue": "b"}
    assert labready.missing_results(nb) == ["cell 0"]


@pytest.mark.parametrize("path", lesson_paths(), ids=lambda p: p.name)
def test_every_lesson_is_ready_for_jupyterlab(path):
    """Converted, run with its figures saved for JupyterLab, and no chart saved for JupyterLab's old
    Vega-Lite 5 renderer (run python -m alignkit.build.labready on the lesson to fix any of these)."""
    assert labready.check(path) == []


def test_saved_figures_equal_what_the_site_shows():
    """In a converted lesson the figures saved for JupyterLab are the glued values, formatted as the site does."""
    for path in lesson_paths():
        nb = nbformat.read(path, as_version=4)
        glued = {}
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                name = out.get("metadata", {}).get("scrapbook", {}).get("name")
                if name:
                    glued[name] = out["data"].get(inline.GLUE_PREFIX + "text/plain", out["data"].get("text/plain"))
        for cell in nb.cells:
            for saved in cell.metadata.get("user_expressions", []):
                key, fmt = inline.split_spec(inline.glued_spec(saved["expression"]))
                assert saved["result"]["data"]["text/plain"] == format_plain_text(glued[key], fmt), (path.name, key)


def _glue_output(name: str, value: str):
    return nbformat.v4.new_output(
        "display_data",
        data={inline.GLUE_PREFIX + "text/plain": value},
        metadata={"scrapbook": {"name": name, "mime_prefix": inline.GLUE_PREFIX}},
    )


def test_a_figure_shown_before_the_cell_that_glues_it_is_a_forward_reference():
    early, late = nbformat.v4.new_code_cell("glue('n', 3)"), nbformat.v4.new_code_cell("glue('rate', 0.5)")
    early.outputs, late.outputs = [_glue_output("n", "3")], [_glue_output("rate", "0.5")]
    nb = _lesson(
        [
            early,
            nbformat.v4.new_markdown_cell('{eval}`glued("n")` leads, {eval}`glued("rate:.0%")` won'),
            late,
            nbformat.v4.new_markdown_cell('so {eval}`glued("rate:.0%")` won'),
        ]
    )
    assert labready.forward_references(nb) == ["rate (text in cell 1, glued in cell 2)"]
    nb.cells[1].source = '{eval}`glued("n")` leads'
    assert labready.forward_references(nb) == []


@pytest.mark.parametrize("path", lesson_paths(), ids=lambda p: p.name)
def test_no_figure_is_shown_before_it_is_computed(path):
    """In JupyterLab, Run All reaches a Markdown cell before the cells below it: a figure glued further
    down reads "(not computed yet)" there. Glue it in a hidden cell above the text (the site does not
    care where a value is glued)."""
    assert labready.forward_references(nbformat.read(path, as_version=4)) == []


# --- quizzes ------------------------------------------------------------------------------------

QUESTIONS = [
    multiple_choice(
        "Who owns MQL to SAL?",
        [
            ("Both teams", True, "The hand-shake."),
            ("Both, really", True, "Right: it is shared."),
            ("Marketing", False, "Sales accepts."),
            ("Sales", False, "Marketing sends."),
        ],
    )
]


def test_quiz_answers_from_the_question_data():
    assert quiz.answer(QUESTIONS[0], "Both teams") == (True, "Right. The hand-shake.")
    assert quiz.answer(QUESTIONS[0], "Sales") == (False, "Not quite. Marketing sends.")
    assert quiz.answer(QUESTIONS[0], "Both, really") == (True, "Right: it is shared.")  # said once
    with pytest.raises(ValueError, match="not one of the answers"):
        quiz.answer(QUESTIONS[0], "Nobody")


def test_quiz_output_carries_the_site_quiz_and_text():
    bundle = quiz.Quiz(QUESTIONS)._repr_mimebundle_()
    assert bundle[quiz.QUIZ_MIME]["questions"] == QUESTIONS
    assert "Who owns MQL to SAL?" in bundle["text/plain"] and "- Marketing" in bundle["text/plain"]
    page = quiz.jupyterquiz_html(bundle[quiz.QUIZ_MIME])
    assert page == quiz.jupyterquiz_html(bundle[quiz.QUIZ_MIME])  # reproducible builds
    assert page.count("</script>") == 1
    # the questions ride as inert JSON; the page runs no inline script and carries no copy of the library
    spec = re.search(r'<script type="application/json" class="alignkit-quiz-spec">(.*?)</script>', page, re.S)
    assert spec and json.loads(spec.group(1)) == QUESTIONS
    assert "application/javascript" not in page and "function show_questions" not in page


def test_the_site_serves_jupyterquizs_own_library_once():
    """The library the site serves is, byte for byte, the code jupyterquiz inlines in its own quiz
    output, and the page names it with a version taken from that code."""
    from unittest import mock

    from jupyterquiz.dynamic import display as jq

    shown = []
    with mock.patch.object(jq, "display", side_effect=shown.append):
        jq.display_quiz(QUESTIONS)
    library = quiz.jupyterquiz_library()
    assert len(library) > 10_000 and "function show_questions" in library and library in shown[1].data
    assert "var questions" not in library and "try_show" not in library  # no quiz of its own
    page = quiz.jupyterquiz_html({"questions": QUESTIONS, "shuffle_answers": True})
    version = hashlib.sha256(library.encode()).hexdigest()[:8]
    assert f'data-quiz-script="{quiz.QUIZ_SCRIPT}?v={version}"' in page


def test_bad_quiz_is_refused():
    with pytest.raises(ValueError, match="no right answer"):
        quiz.Quiz([multiple_choice("Q?", [("A", False, ""), ("B", False, "")])])
    with pytest.raises(ValueError, match="list of questions"):
        quiz.Quiz([])


# --- charts -------------------------------------------------------------------------------------


def test_chart_carries_the_v6_spec_and_never_the_v5_copy():
    import altair as alt
    import pandas as pd

    view = ChartView(alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a"), "One point.")
    bundle = view._repr_mimebundle_()
    assert VEGALITE_MIME in bundle and VEGALITE_LAB_MIME not in bundle
    assert labchart.WIDGET_MIME not in bundle  # outside a kernel: no widget


def test_chart_bundle_is_named_for_its_versions():
    from importlib.metadata import version

    name = labchart.bundle_name()
    assert version("altair") in name and version("vl-convert-python") in name
