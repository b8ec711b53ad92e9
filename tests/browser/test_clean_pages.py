"""Lesson pages show what teaches: no build plumbing on the built site (issue 10, item 1).

Code that only feeds the site or the tests (glue calls, nbval markers, imports) lives in hidden
cells (``python -m alignkit.build.notebooks tidy``). These tests read every lesson page of the built site;
a lesson that was not tidied yet fails them."""

from __future__ import annotations

import html
import re

import pytest

from .conftest import SITE, site_pages

LESSONS = [p for p in site_pages() if p.startswith("notebooks/")]
CELL_INPUT = re.compile(r'<div class="cell_input[^"]*"[^>]*>(.*?)</div>\s*(?=<div class="cell_output|</div>)', re.S)
IMPORT_LINE = re.compile(r"^\s*(from\s+\S+\s+)?import\s", re.M)


def page_text(path: str) -> tuple[str, list[str]]:
    """The page's main text without scripts, and the text of each code cell it shows."""
    page = (SITE / path).read_text(encoding="utf-8")
    main = page[page.find("<main") : page.find("</main>")]
    main = re.sub(r"<script\b.*?</script>", "", main, flags=re.S)
    inputs = [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in CELL_INPUT.findall(main)]
    return html.unescape(re.sub(r"<[^>]+>", "", main)), inputs


def test_the_pattern_finds_code_cells():
    text, inputs = page_text(LESSONS[0])
    assert inputs, "no code cell found on the first lesson: the pattern no longer matches myst-nb's HTML"


@pytest.mark.parametrize("path", LESSONS)
def test_no_glue_or_nbval_on_the_page(path):
    text, _ = page_text(path)
    assert "glue(" not in text, f"{path} shows glue( calls"
    assert "NBVAL" not in text, f"{path} shows nbval markers"


@pytest.mark.parametrize("path", LESSONS)
def test_no_import_line_on_the_page(path):
    _, inputs = page_text(path)
    found = [line.strip() for code in inputs for line in code.splitlines() if IMPORT_LINE.match(line)]
    assert not found, f"{path} shows imports: {found[:5]}"
