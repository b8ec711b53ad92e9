"""The published site's reader's tools: launch buttons, search, descriptions, the status page and
progress kept in the browser. See alignkit.build.site. What each page does in the browser (accessibility,
widgets, charts, quizzes, the download link, exercises) is checked in tests/browser/test_pages.py, on
one visit a page."""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from alignkit.build import site as alignsite

from .conftest import SITE, site_pages

PAGES = site_pages()
LESSONS = [p for p in PAGES if p.startswith("notebooks/")]
PLACEHOLDERS = ("executablebooks/jupyter-book", "binder-examples", "example.com", "your-org")


@pytest.mark.parametrize("path", LESSONS)
def test_no_launch_buttons_without_a_repository(path):
    text = (SITE / path).read_text()
    for word in ("mybinder.org", "colab.research.google.com", *PLACEHOLDERS):
        assert word not in text, f"{path} mentions {word} though no repository is configured"


@pytest.mark.skipif(
    not os.environ.get("ALIGNKIT_SITE_WITH_REPO"),
    reason="set ALIGNKIT_SITE_WITH_REPO to a site built with repository.url set",
)
def test_launch_buttons_with_a_repository():
    site = Path(os.environ["ALIGNKIT_SITE_WITH_REPO"])
    for page in sorted((site / "notebooks").glob("*.html")):
        text = page.read_text()
        binder = re.findall(r'href="(https://mybinder\.org/v2/[^"]+)"', text)
        colab = re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', text)
        assert binder and colab, f"{page.name} has no launch buttons"
        assert not any(p in u for u in binder + colab for p in PLACEHOLDERS)


def test_launch_buttons_need_a_real_repository():
    def config(url):
        return SimpleNamespace(
            html_theme_options={
                "repository_url": url,
                "use_repository_button": True,
                "launch_buttons": {
                    "binderhub_url": "https://mybinder.org",
                    "colab_url": "https://colab.research.google.com",
                    "notebook_interface": "jupyterlab",
                },
            }
        )

    for placeholder in ("", "https://github.com/executablebooks/jupyter-book", "https://github.com/your-org/repo"):
        c = config(placeholder)
        alignsite._launch_buttons(None, c)
        assert c.html_theme_options["launch_buttons"]["binderhub_url"] == ""
        assert c.html_theme_options["launch_buttons"]["colab_url"] == ""
        assert c.html_theme_options["use_repository_button"] is False
    c = config("https://github.com/alignkit/playbook")
    alignsite._launch_buttons(None, c)
    assert c.html_theme_options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_search_works_offline(visit):
    v = visit("search.html")
    box = v.page.locator("input[name='q']:visible").first
    box.fill("funnel")
    box.press("Enter")
    v.page.wait_for_function("document.querySelectorAll('#search-results ul.search li').length > 0", timeout=15000)
    assert v.outside == [] and v.errors == []


@pytest.mark.parametrize("path", PAGES)
def test_page_has_a_description(path):
    text = (SITE / path).read_text()
    found = re.findall(r'<meta name="description" content="([^"]*)"', text)
    assert len(found) == 1 and len(found[0]) >= 30, f"{path} has no useful meta description"


def test_status_page_lists_each_lesson_with_its_run_time():
    page = SITE / "book" / "status.html"
    assert page.exists(), "book/status.md is missing from _toc.yml"
    text = page.read_text()
    for lesson in LESSONS:
        assert Path(lesson).stem in text, f"{lesson} is not on the status page"
    assert "Run Time" in text


def test_progress_is_kept_in_the_browser(visit):
    lesson = LESSONS[0]
    v = visit(lesson)
    button = v.page.locator("button.alignkit-done")
    assert button.count() == 1 and button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    v.page.goto(v.page.url.split("/notebooks/")[0] + "/book/index.html")
    box = v.page.locator(".alignkit-progress")
    assert box.count() == 1, "the start page has no {course-progress} block"
    assert box.locator(".alignkit-progress-count").inner_text().startswith(f"1 of {len(LESSONS)}")
    assert box.locator(f"li.done[data-lesson='{Path(lesson).with_suffix('')}']").count() == 1
    box.locator(".alignkit-progress-reset").click()
    assert box.locator("li.done").count() == 0
    assert v.outside == [] and v.errors == []


def test_a_request_to_another_host_fails_and_is_recorded(visit):
    """What makes every page's "opens offline" check able to fail: a picture, a script, a fetch and a
    web socket aimed at other hosts each fail in the browser and are each recorded."""
    v = visit("book/index.html")
    outcome = v.page.evaluate(
        """async () => {
            const img = new Image(); img.src = 'https://images.example.org/logo.png';
            const s = document.createElement('script'); s.src = 'https://cdn.example.com/lib.js';
            document.head.appendChild(s);
            const loaded = await new Promise(done => {
                img.onload = () => done(true); img.onerror = () => done(false); });
            const fetched = await fetch('https://api.example.net/data').then(() => true, () => false);
            new WebSocket('wss://socket.example.io/live');
            return {loaded, fetched};
        }"""
    )
    asked = {"images.example.org", "cdn.example.com", "api.example.net", "socket.example.io"}
    for _ in range(100):  # the browser's events reach the test a moment later, on a busy machine later still
        if {u.split("/")[2] for u in v.outside} >= asked:
            break
        v.page.wait_for_timeout(100)
    assert outcome == {"loaded": False, "fetched": False}
    assert {u.split("/")[2] for u in v.outside} == asked, v.outside
