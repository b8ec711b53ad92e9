"""Every lesson follows the lesson anatomy, is in the table of contents, and keeps its numbers computed."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from alignkit import course
from alignkit.notebooks import lesson_paths

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lesson_paths()
SECTIONS = ("From the interview", "Exercise", "Quiz", "Workshop activity", "Key takeaways", "Where to read more")


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
    assert "module_card_html(" in code, "time estimate and role paths come from alignkit.course"
    assert "display_quiz(" in code and re.search(r"from alignkit\.lessons[. ]", code), \
        "quiz and checkers come from the lesson's module in alignkit.lessons"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_numbers_in_the_prose_are_computed(path):
    """Figures typed into the text would go stale: percentages and thousands come from glue.
    A sentence that cites a source ({ref}) may quote that source's figures."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"\{glue:text\}`[^`]*`", "", cell.source)
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
        assert cell.outputs or not cell.source.strip(), f"cell without saved output: {cell.source[:60]}"
        assert not [o for o in cell.outputs if o.output_type == "error"], f"saved error in: {cell.source[:60]}"
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            assert cell.metadata.get("nbval_reason"), f"ignored output without a reason: {cell.source[:60]}"
