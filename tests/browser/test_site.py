"""The built site in a real browser: offline, no errors, live widgets, charts and quizzes."""

from __future__ import annotations

import pytest

from .conftest import AXE, SITE, site_pages

PAGES = site_pages()
LESSONS = [p for p in PAGES if p.startswith("notebooks/")]


def test_the_site_has_the_lessons_and_reference_pages():
    assert "book/index.html" in PAGES and "book/glossary.html" in PAGES
    assert len(LESSONS) >= 2


@pytest.mark.parametrize("path", PAGES)
def test_page_opens_offline_without_errors_and_no_serious_accessibility_violations(visit, path):
    v = visit(path)
    v.scroll_through()  # what loads lazily (Vega, the widget manager) loads too, before axe looks
    assert v.outside == [], f"{path} asked another host for {v.outside}"
    assert v.failed == [], f"{path} had failed requests {v.failed}"
    assert v.errors == [], f"{path} logged errors {v.errors}"
    v.page.add_script_tag(path=str(AXE))
    result = v.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{x['id']} ({x['impact']}): {x['help']} at {[n['target'] for n in x['nodes']][:3]}"
        for x in result["violations"]
        if x["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{path}: {bad}"


@pytest.mark.parametrize("path", [p for p in LESSONS if "widget-state+json" in (SITE / p).read_text()])
def test_widgets_render_from_saved_state(visit, path):
    v = visit(path)
    views = v.page.locator("script[type='application/vnd.jupyter.widget-view+json']").count()
    assert views > 0
    v.page.locator(".alignkit-saved-widget").first.scroll_into_view_if_needed()  # loads the widget manager
    v.page.wait_for_function(
        f"document.querySelectorAll('.jupyter-widgets.widget-container, .widget-vbox').length >= {views}", timeout=15000
    )
    text = v.page.inner_text("main")
    for bad in ("could not be displayed", "Loading widget", "VBox(children", "ToggleButtons("):
        assert bad not in text, f"{path} shows '{bad}'"
    # the saved state is real: the controls are drawn, carrying their saved values
    controls = v.page.locator(
        ".widget-toggle-buttons button, .widget-dropdown select, .widget-slider, "
        ".widget-text input, .widget-checkbox input, .widget-button, .widget-datepicker input"
    )
    assert controls.count() >= 1, f"{path}: no widget control was drawn from the saved state"


def chart_pages():
    return [p for p in LESSONS if "alignkit-vega-spec" in (SITE / p).read_text()]


@pytest.mark.parametrize("path", chart_pages())
def test_chart_controls_change_the_chart(visit, path):
    v = visit(path)
    figures = v.page.locator("figure.alignkit-chart")
    v.scroll_through()  # charts are drawn when they come near the screen
    v.page.wait_for_function(
        f"document.querySelectorAll('figure.alignkit-chart[data-drawn]').length == {figures.count()}", timeout=15000
    )
    for i in range(figures.count()):
        fig = figures.nth(i)
        select, slider = fig.locator(".vega-bindings select"), fig.locator(".vega-bindings input[type=range]")
        assert select.count() + slider.count() == 1, "every chart here has one bound control"
        before = fig.locator("svg").first.inner_html()
        if select.count():
            options = select.locator("option").all_inner_texts()
            select.select_option(options[-1] if options[-1] != select.input_value() else options[0])
        else:
            # move the slider to the end of its range the way a user's drag does: value, then input event
            slider.evaluate("""s => { s.value = (s.value === s.max ? s.min : s.max);
                                      s.dispatchEvent(new Event('input', {bubbles: true})); }""")
        v.page.wait_for_timeout(300)
        after = fig.locator("svg").first.inner_html()
        assert after != before, f"chart {i} on {path} did not change when its control moved"
        assert fig.locator("figcaption").inner_text().strip(), "each chart has a text alternative"


@pytest.mark.skipif("notebooks/08-remote-and-hybrid.html" not in LESSONS, reason="lesson 8 not built")
def test_lesson_8_chart_names_the_week_its_slider_picks(visit):
    """The week chart keeps each run of weeks once and works the caption's date out in the browser:
    the drawn caption is the one computed week by week in Python, for the first and the last week."""
    from alignkit.lessons import m08_remote_hybrid as m08

    _, captions = m08.week_hours_data(m08.brightline_zones())
    v = visit("notebooks/08-remote-and-hybrid.html")
    fig = v.page.locator("figure.alignkit-chart").first
    fig.scroll_into_view_if_needed()
    v.page.wait_for_function("document.querySelector('figure.alignkit-chart[data-drawn]')", timeout=15000)
    slider = fig.locator(".vega-bindings input[type=range]")
    for week in (int(slider.get_attribute("min")), int(slider.get_attribute("max"))):
        slider.evaluate(f"s => {{ s.value = {week}; s.dispatchEvent(new Event('input', {{bubbles: true}})); }}")
        v.page.wait_for_timeout(300)
        drawn = " ".join(fig.locator("svg").first.text_content().split())
        expected = captions.set_index("week").loc[week, "caption"]
        for line in expected.split("\n"):
            assert " ".join(line.split()) in drawn, f"week {week}: {line!r} is not on the chart"
    assert v.errors == []


@pytest.mark.parametrize("path", LESSONS)
def test_quiz_answers_with_feedback(visit, path):
    v = visit(path)
    assert v.page.locator(".Quiz").count() == 0, "a quiz is drawn only when it comes near the screen"
    v.page.locator(".alignkit-quiz").first.scroll_into_view_if_needed()  # loads jupyterquiz's library
    v.page.wait_for_function("document.querySelectorAll('.alignkit-quiz .Quiz').length > 0", timeout=15000)
    questions = v.page.locator(".Quiz")
    assert 3 <= questions.count() <= 5, f"{path} should have a quiz of 3-5 questions"
    for i in range(questions.count()):
        q = questions.nth(i)
        assert q.locator(".Feedback").inner_text().strip() == "", "no feedback before an answer"
        q.locator(".MCButton").first.click()
        feedback = q.locator(".Feedback")
        assert feedback.inner_text().strip(), f"question {i} on {path} gave no feedback"
        assert q.locator(".correctButton, .incorrectButton").count() == 1
