"""alignkit.markdown_escape.md_text, the one function that puts typed text into Markdown: hostile text
renders as itself, in every place the package puts typed text (a table cell, a list item, a bold
label, a heading, a paragraph's start), in CommonMark with GitHub's tables and strikethrough and
MyST's dollar maths; and the Markdown the package writes uses it."""

from __future__ import annotations

import inspect
import math
import re
import unicodedata

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from alignkit import markdown_escape
from alignkit.markdown_escape import md_text
from alignkit.metrics import lead_scores as scoring
from alignkit.teamtools import playbook

HOSTILE = [
    "a | b | c",  # a table cell break
    "`code` and ``two``",  # code spans
    "[click](javascript:alert(1)) ![i](x.png)",  # a link and an image
    "[ref]: https://example.org",  # a link reference definition
    "# not a heading",
    "## neither",
    "#hashtag",  # a leading # (an ATX heading)
    "<script>alert('x')</script>",  # raw HTML
    "<img src=x onerror=alert(1)>",
    "line one\nline two\r\n\nthree",  # line breaks
    "&lt;b&gt; &amp; &#60;script&#62; &copy;",  # HTML entities
    "\u202eevil\u202c and \u200f\u2067rtl\u2069",  # right-to-left overrides and isolates
    "\x1b[31mred\x1b[0m\x07 \x00nul",  # terminal escape codes, bell, NUL
    "**bold** __b__ *it* _it_ ~~gone~~",  # emphasis and strikethrough
    "- a list",
    "+ plus",
    "* star",
    "1. one",
    "2) two",
    "10. ten",  # list markers at the start
    "> quoted",
    "--- rule",
    "=== under",
    "***",  # block quote, thematic breaks, setext underline
    "$x^2$ and $$y$$",  # MyST's dollar maths
    "{role}`x` and {{ jinja }}",  # a MyST role
    "back\\slash \\*not escaped\\*",  # backslashes that would escape the escape
    "<https://example.org> <a@b.c>",  # autolinks
    "    four spaces of code",  # an indented code block
]


def expected(text: str) -> str:
    """What the reader must see: the text, control and format characters as spaces, on one line."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)
    return " ".join(text.split())


def render(markdown: str) -> BeautifulSoup:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(dollarmath_plugin)
    return BeautifulSoup(md.render(markdown), "html.parser")


PLACES = {
    "table cell": ("| {} |\n|---|\n| x |\n", "th"),
    "list item": ("- {}\n", "li"),
    "bold label": ("- **label:** {}\n", "li"),
    "paragraph": ("{}\n", "p"),
    "heading": ("# Playbook: {}\n", "h1"),
    "bold": ("**Change 1: {}**\n", "strong"),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_itself(text, place):
    template, tag = PLACES[place]
    out = md_text(text)
    assert "\n" not in out and "\r" not in out
    soup = render(template.format(out))
    elements = [t.name for t in soup.find_all(True)]
    scaffold = {
        "table cell": ["table", "thead", "tr", "th", "tbody", "tr", "td"],
        "list item": ["ul", "li"],
        "bold label": ["ul", "li", "strong"],
        "paragraph": ["p"],
        "heading": ["h1"],
        "bold": ["p", "strong"],
    }
    assert elements == scaffold[place], (text, str(soup))  # no element, and no cell, came from the text
    shown = soup.find(tag).get_text()
    prefix = {"bold label": "label: ", "heading": "Playbook: ", "bold": "Change 1: "}.get(place, "")
    assert shown == prefix + expected(text), (text, str(soup))


def test_the_escaped_text_keeps_every_visible_character_and_drops_the_invisible_ones():
    assert md_text("a\u202eb") == "a b" and md_text("x\x1b[2Jy") == r"x \[2Jy"
    assert md_text("  several   spaces\tand\ttabs  ") == "several spaces and tabs"
    assert md_text(42) == "42" and md_text(math.pi).startswith("3.14") and md_text("1.") == r"1\."


def test_the_markdown_the_package_writes_escapes_typed_text_with_md_text():
    """The playbook's Markdown and the definitions agreement put typed text through md_text (and no
    other module of theirs escapes Markdown its own way)."""
    evil = "# <b>Team</b> | [x](javascript:1)"
    good = {
        "mqls_per_month": 300.0,
        "acceptance": 0.6,
        "sals_per_month": 180.0,
        "sqls_per_month": 90.0,
        "capacity_used": 0.5,
    }
    text = scoring.definitions_agreement(55, [evil, "- 1. nested"], good, company=evil)
    assert f"### Definitions agreement: {md_text(evil)} marketing and sales" in text
    assert f"- {md_text(evil)}\n" in text and f"- {md_text('- 1. nested')}\n" in text
    assert render(text).find_all(["b", "a"]) == []
    for module in (playbook, scoring):
        source = inspect.getsource(module)
        assert "md_text" in source and "html.escape" not in source and "maketrans" not in source, module
    assert [
        n
        for n, f in inspect.getmembers(markdown_escape, inspect.isfunction)
        if f.__module__ == markdown_escape.__name__
    ] == ["md_text"]
    assert re.search(r"^from \.\.markdown_escape import md_text$", inspect.getsource(playbook), re.M)
