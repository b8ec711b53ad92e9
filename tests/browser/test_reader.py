"""The published site for its readers: accessible, alive without a kernel, and the reader's tools
(download, launch buttons, search, descriptions, status page, progress). See alignkit.build.site."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from alignkit.build import site as alignsite

from .conftest import SITE, site_pages

PAGES = site_pages()
LESSONS = [p for p in PAGES if p.startswith("notebooks/")]
WIDGET_LESSONS = [p for p in LESSONS if "widget-state+json" in (SITE / p).read_text()]
CHART_PAGES = [p for p in PAGES if "alignkit-vega-spec" in (SITE / p).read_text()]
PLACEHOLDERS = ("executablebooks/jupyter-book", "binder-examples", "example.com", "your-org")


# --- accessibility ------------------------------------------------------------------------------
# axe-core runs on every page in tests/browser/test_site.py, on the same visit that checks the page
# opens offline without errors (one visit a page keeps the suite within its time budget).


@pytest.mark.parametrize("path", CHART_PAGES)
def test_charts_are_labelled_and_work_from_the_keyboard(visit, path):
    v = visit(path)
    v.scroll_through()
    figures = v.page.locator("figure.alignkit-chart")
    v.page.wait_for_function(
        f"document.querySelectorAll('figure.alignkit-chart[data-drawn]').length == {figures.count()}", timeout=15000
    )
    for i in range(figures.count()):
        fig = figures.nth(i)
        svg = fig.locator(".alignkit-vega svg").first
        assert svg.get_attribute("role") == "img"
        assert (svg.get_attribute("aria-label") or "").strip() or svg.get_attribute("aria-labelledby")
        assert fig.locator("figcaption").inner_text().strip()
        for control in fig.locator(".vega-bindings select, .vega-bindings input").all():
            name = control.evaluate("""el => el.getAttribute('aria-label') || (el.labels && el.labels[0]
                                          ? el.labels[0].textContent : '')""")
            assert name.strip(), f"a control of chart {i} on {path} has no label"
    # keyboard: from the first chart's drawing, Tab reaches its control and the arrow keys change it
    # (a drop-down or a slider: both answer the arrow keys)
    fig = figures.first
    control = fig.locator(".vega-bindings select, .vega-bindings input[type=range]").first
    assert control.count() == 1, "the first chart has a drop-down or a slider"
    tag = control.evaluate("el => el.tagName")
    fig.locator(".alignkit-vega svg").first.evaluate("svg => { svg.setAttribute('tabindex', '-1'); svg.focus(); }")
    for _ in range(5):
        v.page.keyboard.press("Tab")
        if v.page.evaluate("document.activeElement && document.activeElement.tagName") == tag:
            break
    assert v.page.evaluate("document.activeElement.tagName") == tag, "Tab does not reach the chart's control"
    before, drawing = control.input_value(), fig.locator("svg").first.inner_html()
    key = "ArrowDown" if tag == "SELECT" else "ArrowRight"
    v.page.keyboard.press(key)
    if control.input_value() == before:  # a slider already at its right end moves left
        v.page.keyboard.press("ArrowLeft")
    v.page.wait_for_timeout(300)
    assert control.input_value() != before, "the arrow key did not change the chart's control"
    assert fig.locator("svg").first.inner_html() != drawing, "the chart did not follow its control"


# --- alive without a kernel ---------------------------------------------------------------------


@pytest.mark.parametrize("path", WIDGET_LESSONS)
def test_saved_widgets_say_so_and_do_not_look_live(visit, path):
    v = visit(path)
    views = v.page.locator("script[type='application/vnd.jupyter.widget-view+json']")
    boxes = v.page.locator(".alignkit-saved-widget")
    assert boxes.count() == views.count(), "every widget has its saved-view notice"
    v.scroll_through()
    v.page.wait_for_function(
        "[...document.querySelectorAll('.alignkit-saved-widget')].every(b => b.querySelector('.jupyter-widgets'))",
        timeout=15000,
    )
    for i in range(boxes.count()):
        box = boxes.nth(i)
        notice = box.locator(".alignkit-saved-notice")
        assert "Saved view" in notice.inner_text()
        assert notice.locator("a[download]").count() == 1, "the notice offers the notebook"
        target = notice.locator("a[href^='#alignkit-chart-']")
        if target.count():  # it points to a chart with a working control
            chart = v.page.locator(target.get_attribute("href"))
            assert chart.count() == 1 and chart.locator(".vega-bindings select, .vega-bindings input").count()
        controls = box.locator("input, select, button, textarea, [role=slider]")
        assert controls.count() > 0
        live = box.locator(
            "input:enabled, select:enabled, button:enabled, textarea:enabled, [role=slider]:not([aria-disabled=true])"
        )
        assert live.count() == 0, f"widget {i} on {path} has controls that look live"


# --- reader's tools -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", LESSONS)
def test_lesson_downloads_as_a_notebook(visit, path):
    v = visit(path)
    link = v.page.locator("a.btn-download-source-button")
    assert link.count() == 1
    href = link.get_attribute("href")
    assert href.endswith(".ipynb")
    response = v.page.request.get(v.page.url.rsplit("/", 1)[0] + "/" + href)
    assert response.ok
    notebook = json.loads(response.body())
    assert notebook["nbformat"] == 4 and notebook["cells"]


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
