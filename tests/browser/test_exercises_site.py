"""Decision exercises on the built site: the checker's script (_static/alignkit-exercises.js) is
loaded only where there is a form, from the site itself. That the browser's checker and the package's
agree and that the forms work from the keyboard is checked in tests/browser/test_pages.py."""

from __future__ import annotations

import re

import pytest

from .conftest import SITE, site_pages

PAGES = site_pages()
EXERCISE_PAGES = [p for p in PAGES if "alignkit-exercise-spec" in (SITE / p).read_text()]
SCRIPT = "alignkit-exercises.js"


def test_some_page_has_an_exercise():
    assert EXERCISE_PAGES, "no page of the built site has a decision exercise"


@pytest.mark.parametrize("path", PAGES)
def test_the_exercise_script_loads_only_where_there_is_a_form(path):
    text = (SITE / path).read_text()
    has_form = '<form class="alignkit-exercise"' in text
    assert (SCRIPT in text) == has_form, f"{path}: script {'missing' if has_form else 'loaded without a form'}"
    for src in re.findall(r'<script[^>]+src="([^"]+)"', text):
        assert not re.match(r"(https?:)?//", src), f"{path} loads {src} from another host"
        if SCRIPT in src:  # the address is right from the page's own folder (no '..' past the root)
            target = (SITE / path).parent / src.split("?")[0]
            assert target.resolve().is_relative_to(SITE.resolve()) and target.exists(), f"{path}: {src}"
