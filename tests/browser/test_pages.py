"""Every page of the built site in a real browser, opened once: each check that applies to the page
runs on that one visit, in an order that leaves the page as the next check expects (the ones that only
look come first; the ones that answer, move controls or reload come last).

A page's checks (``CHECKS``, in order):

- it opens offline: no request to another host, no failed request, no error in the console;
- axe-core finds no serious or critical accessibility violation;
- widgets are drawn from their saved state, each says it is a saved view and none looks live;
- charts are labelled, their controls named, reached with Tab and moved with the arrow keys, and each
  control changes its chart (lesson 8's week chart names the week its slider picks);
- the quiz is drawn when it comes near the screen and answers every question with feedback;
- the lesson downloads as a notebook;
- the browser's exercise checker agrees with the package's on right, wrong, empty and malformed
  answers; every form works from the keyboard, is kept after a reload and counts on the start page.

Every check runs even when one before it fails; the test then fails naming each failed check.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import traceback

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from alignkit import lessons
from alignkit.ui.exercises import Exercise

from ..conftest import once_more_in_a_new_tab
from .conftest import AXE, SITE, PageVisit, site_pages

PAGES = site_pages()
LESSONS = [p for p in PAGES if p.startswith("notebooks/")]
WEEK_CHART_PAGE = "notebooks/08-remote-and-hybrid.html"
# what a page draws only when it comes near the screen: charts, saved widgets, quizzes
LAZY = ("alignkit-vega-spec", "widget-state+json", "alignkit-quiz")


def _html(path: str) -> str:
    return (SITE / path).read_text()


def test_the_site_has_the_lessons_and_reference_pages():
    assert "book/index.html" in PAGES and "book/glossary.html" in PAGES
    assert len(LESSONS) >= 2


# --- the checks: each takes the visit and the page's path ---------------------------------------


def opens_offline_without_errors(v, path):
    assert v.outside == [], f"{path} asked another host for {v.outside}"
    assert v.failed == [], f"{path} had failed requests {v.failed}"
    assert v.errors == [], f"{path} logged errors {v.errors}"


def no_serious_accessibility_violations(v, path):
    v.page.add_script_tag(path=str(AXE))
    result = v.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{x['id']} ({x['impact']}): {x['help']} at {[n['target'] for n in x['nodes']][:3]}"
        for x in result["violations"]
        if x["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{path}: {bad}"


def widgets_render_from_saved_state(v, path):
    views = v.page.locator("script[type='application/vnd.jupyter.widget-view+json']").count()
    assert views > 0
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


def saved_widgets_say_so_and_do_not_look_live(v, path):
    views = v.page.locator("script[type='application/vnd.jupyter.widget-view+json']")
    boxes = v.page.locator(".alignkit-saved-widget")
    assert boxes.count() == views.count(), "every widget has its saved-view notice"
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


def _redrawn(fig, drawing: str, timeout_ms: int = 10000) -> bool:
    """Whether the chart in ``fig`` is drawn differently from ``drawing`` (its SVG's markup) within the
    timeout: Vega draws again a moment after a control moves, later on a busy machine."""
    svg = fig.locator("svg").first.element_handle()
    try:
        fig.page.wait_for_function("([s, before]) => s.innerHTML !== before", arg=[svg, drawing], timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True


def _charts_drawn(v):
    figures = v.page.locator("figure.alignkit-chart")
    v.page.wait_for_function(
        f"document.querySelectorAll('figure.alignkit-chart[data-drawn]').length == {figures.count()}", timeout=15000
    )
    return figures


def charts_are_labelled_and_work_from_the_keyboard(v, path):
    figures = _charts_drawn(v)
    for i in range(figures.count()):
        fig = figures.nth(i)
        svg = fig.locator(".alignkit-vega svg").first
        assert svg.get_attribute("role") == "img"
        assert (svg.get_attribute("aria-label") or "").strip() or svg.get_attribute("aria-labelledby")
        assert fig.locator("figcaption").inner_text().strip(), "each chart has a text alternative"
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
    if control.input_value() == before:  # a control already at its end moves back
        v.page.keyboard.press("ArrowUp" if tag == "SELECT" else "ArrowLeft")
    assert control.input_value() != before, "the arrow key did not change the chart's control"
    assert _redrawn(fig, drawing), "the chart did not follow its control"


def chart_controls_change_the_chart(v, path):
    figures = _charts_drawn(v)
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
        assert _redrawn(fig, before), f"chart {i} on {path} did not change when its control moved"


def week_chart_names_the_week_its_slider_picks(v, path):
    """The week chart keeps each run of weeks once and works the caption's date out in the browser:
    the drawn caption is the one computed week by week in Python, for the first and the last week."""
    from alignkit.lessons import m08_remote_hybrid as m08

    _, captions = m08.week_hours_data(m08.brightline_zones())
    fig = _charts_drawn(v).first
    slider = fig.locator(".vega-bindings input[type=range]")
    for week in (int(slider.get_attribute("min")), int(slider.get_attribute("max"))):
        expected = captions.set_index("week").loc[week, "caption"]
        if slider.input_value() != str(week):
            drawing = fig.locator("svg").first.inner_html()
            slider.evaluate(f"s => {{ s.value = {week}; s.dispatchEvent(new Event('input', {{bubbles: true}})); }}")
            assert _redrawn(fig, drawing), f"the week chart did not change when its slider moved to week {week}"
        drawn = " ".join(fig.locator("svg").first.text_content().split())
        for line in expected.split("\n"):
            assert " ".join(line.split()) in drawn, f"week {week}: {line!r} is not on the chart"


def quiz_answers_with_feedback(v, path):
    assert v.quizzes_before_scrolling == 0, "a quiz is drawn only when it comes near the screen"
    # (scrolled to by script: Playwright's own scrolling waits for the box to stop moving, which a page
    # still laying out charts above it may not do for a while on a busy machine)
    v.page.locator(".alignkit-quiz").first.evaluate("el => el.scrollIntoView({block: 'center'})")
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


def lesson_downloads_as_a_notebook(v, path):
    link = v.page.locator("a.btn-download-source-button")
    assert link.count() == 1
    href = link.get_attribute("href")
    assert href.endswith(".ipynb")
    response = v.page.request.get(v.page.url.rsplit("/", 1)[0] + "/" + href)
    assert response.ok
    notebook = json.loads(response.body())
    assert notebook["nbformat"] == 4 and notebook["cells"]


def lesson_module(page: str):
    """The lesson module of a lesson page: notebooks/03-….html -> alignkit.lessons.m03_…"""
    number = re.match(r"notebooks/(\d\d)-", page).group(1)
    name = next(m.name for m in pkgutil.iter_modules(lessons.__path__) if m.name.startswith(f"m{number}_"))
    return importlib.import_module(f"alignkit.lessons.{name}")


def answers(spec: dict) -> dict[str, list]:
    """A right, a wrong, an empty and a malformed answer (and a variant or two of each), as text
    typed into the form, derived from the spec."""
    if spec["kind"] == "number":
        e = spec["expected"]
        right = [str(e), f"{e * 100:g}%" if spec["share"] else f"{e:,}"]
        wrong = [str(e * 1.5 + 1), str(-abs(e) - 1)]
        malformed = ["abc", "1.2.3", "12 apples", "1e3"]
    elif spec["kind"] == "choice":
        right = [spec["expected"], spec["expected"].upper()]
        wrong = [o for o in spec["options"] if o != spec["expected"]]
        malformed = ["not one of them", "42"]
    else:
        keywords = " ".join(i["words"][0] for i in spec["ideas"])
        filler = " and".join([""] * max(spec["min_words"], 2)).strip()
        right = [f"{keywords} {filler} and more".strip()]
        wrong = [f"{filler} and more"]
        if len(spec["ideas"]) > 1:  # one idea of several is not enough
            wrong.append(f"{spec['ideas'][0]['words'][0]} {filler} and more")
        malformed = ["?!? …", "—"]
    return {"right": right, "wrong": wrong, "empty": ["", "   "], "malformed": malformed}


def site_and_python_checkers_agree(v, path):
    specs = v.page.evaluate("""[...document.querySelectorAll('script.alignkit-exercise-spec')]
                               .map(s => JSON.parse(s.textContent))""")
    # the site shows exactly the lesson's exercises, with the expected values the package computes now
    assert specs == [e.spec() for e in getattr(lesson_module(path), "exercises", list)()]
    tries = [(spec, kind, answer) for spec in specs for kind, some in answers(spec).items() for answer in some]
    # the browser checks them all in one call
    verdicts = v.page.evaluate(
        "tries => tries.map(([s, a]) => window.alignkitExercises.check(s, a))", [[s, a] for s, _, a in tries]
    )
    assert len(verdicts) == len(tries)
    for (spec, kind, answer), js in zip(tries, verdicts, strict=True):
        py = Exercise.from_spec(spec).check(answer)
        assert js == {"status": py.status, "title": py.title, "points": py.points}, (spec["id"], answer)
        want = {"right": "ok", "empty": "todo"}.get(kind, "wrong")
        assert py.status == want, f"exercise {spec['id']}: {kind} answer {answer!r} gave {py.status}"


def _tab_into(v, selector: str, limit: int = 250, from_top: bool = True) -> None:
    """Press Tab until the focus is on ``selector``: from the top of the page, or on from where the
    focus is."""
    if from_top:
        v.page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    for _ in range(limit):
        v.page.keyboard.press("Tab")
        if v.page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def every_form_works_from_the_keyboard_and_is_kept(v, path):
    forms = v.page.locator("form.alignkit-exercise")
    n = forms.count()
    # Tab from the top of the page reaches the first form; from each form's Check button, Tab goes on to
    # the next form (so no control on the page traps the keyboard before the last form)
    for i in range(n):
        form = forms.nth(i)
        spec = json.loads(form.locator("script.alignkit-exercise-spec").text_content())
        fid = form.get_attribute("id")
        # every control is named: the fieldset by its question, each input by its label
        assert form.locator("legend").inner_text().strip()
        if spec["kind"] == "choice":
            _tab_into(v, f"#{fid} input[type=radio]", from_top=i == 0)
            for _ in range(len(spec["options"]) + 1):
                if v.page.evaluate("document.activeElement.value") == spec["expected"]:
                    break
                v.page.keyboard.press("ArrowDown")
            v.page.keyboard.press("Space")
            assert form.locator("input[type=radio]:checked").get_attribute("value") == spec["expected"]
        else:
            _tab_into(v, f"#{fid} [name=answer]", from_top=i == 0)
            v.page.keyboard.type(answers(spec)["right"][0])
        on_check = f"document.activeElement.matches('#{fid} button[type=submit]')"
        for _ in range(len(spec["options"]) + 3):
            if v.page.evaluate(on_check):
                break
            v.page.keyboard.press("Tab")
        assert v.page.evaluate(on_check), f"Tab does not reach the Check button of {fid}"
        v.page.keyboard.press("Enter")
        feedback = form.locator(".alignkit-exercise-feedback .alignkit-feedback")
        feedback.wait_for(timeout=5000)
        assert "ok" in feedback.get_attribute("class").split(), feedback.inner_text()
        assert form.locator(".alignkit-exercise-feedback").get_attribute("role") == "status"
    # kept in this browser: after a reload the answers and their feedback are back
    v.page.reload(wait_until="load")
    assert v.page.locator("form.alignkit-exercise .alignkit-feedback.ok").count() == n
    stored = v.page.evaluate("JSON.parse(localStorage.getItem('alignkit-exercises'))")
    lesson = path[: -len(".html")]
    assert sorted(stored) == sorted(f"{lesson}#{f.get_attribute('data-exercise')}" for f in forms.all())
    # and they count on the start page
    v.page.goto(v.page.url.split("/notebooks/")[0] + "/book/index.html")
    count = v.page.locator(".alignkit-progress-count").inner_text()
    assert re.search(rf"; {n} of \d+ exercises answered right", count), count
    assert (
        v.page.locator(f"li[data-lesson='{lesson}'] .alignkit-progress-mark").inner_text()
        == f"{n} of {n} exercises right"
    )


def still_no_errors_and_nothing_from_outside(v, path):
    assert v.errors == [] and v.outside == [], (v.errors, v.outside)


# Which pages a check applies to: a page's HTML holds a marker, or its path says what it is
EVERY_PAGE = "every page"
LESSON = "a lesson"
WIDGETS, CHARTS, EXERCISES = "widget-state+json", "alignkit-vega-spec", "alignkit-exercise-spec"


def _applies(kinds: tuple[str, ...], html: str, path: str) -> bool:
    def holds(kind: str) -> bool:
        if kind == EVERY_PAGE:
            return True
        if kind == LESSON:
            return path.startswith("notebooks/")
        if kind == WEEK_CHART_PAGE:
            return path == WEEK_CHART_PAGE
        return kind in html  # a marker: WIDGETS, CHARTS or EXERCISES

    return all(holds(kind) for kind in kinds)


# (name, the kinds of page it applies to: all of them must hold, the check), in the order they run
CHECKS = [
    ("opens offline without errors", (EVERY_PAGE,), opens_offline_without_errors),
    ("no serious accessibility violations", (EVERY_PAGE,), no_serious_accessibility_violations),
    ("widgets render from saved state", (WIDGETS,), widgets_render_from_saved_state),
    ("saved widgets say so and do not look live", (WIDGETS,), saved_widgets_say_so_and_do_not_look_live),
    ("charts are labelled and work from the keyboard", (CHARTS,), charts_are_labelled_and_work_from_the_keyboard),
    ("chart controls change the chart", (CHARTS, LESSON), chart_controls_change_the_chart),
    ("lesson 8's chart names the slider's week", (WEEK_CHART_PAGE,), week_chart_names_the_week_its_slider_picks),
    ("quiz answers with feedback", (LESSON,), quiz_answers_with_feedback),
    ("lesson downloads as a notebook", (LESSON,), lesson_downloads_as_a_notebook),
    ("site and Python checkers agree", (EXERCISES,), site_and_python_checkers_agree),
    ("every form works from the keyboard and is kept", (EXERCISES,), every_form_works_from_the_keyboard_and_is_kept),
    ("still no errors and nothing from outside", (EVERY_PAGE,), still_no_errors_and_nothing_from_outside),
]


def checks_for(path: str) -> list[tuple[str, object]]:
    html = _html(path)
    return [(name, check) for name, kinds, check in CHECKS if _applies(kinds, html, path)]


def test_the_checks_cover_what_the_site_has():
    """Each kind of page meets its checks: a lesson, a chart, a widget, an exercise form, lesson 8."""
    ran = {name for path in PAGES for name, _ in checks_for(path)}
    assert ran == {name for name, _, _ in CHECKS}, f"checks no page gets: {({n for n, _, _ in CHECKS}) - ran}"
    assert WEEK_CHART_PAGE in PAGES


# The longest visit with its checks takes about 30 s on a busy machine
VISIT_WITHIN = 120


@pytest.mark.parametrize("path", PAGES)
def test_page_in_the_browser(browser, server, tab, path):
    """One visit, every check that applies to the page (see the module's docstring).

    If the tab stops answering altogether, or checks fail while the tab has stopped drawing (a headless
    chromium tab sometimes does either: see tests/conftest.py's ``once_more_in_a_new_tab``), the page is
    visited once more in a new tab, and the test says so; a page that fails in the new tab fails."""
    once_more_in_a_new_tab(
        tab, VISIT_WITHIN, f"{path}: the visit and its checks", lambda: _visit_and_check(browser, server, tab, path)
    )


def _visit_and_check(browser, server, tab, path) -> None:
    """Open the page in the tab and run every check that applies; if any failed, fail naming each."""
    v = PageVisit(browser, server, path, tab)
    v.quizzes_before_scrolling = v.page.locator(".Quiz").count()
    if any(lazy in _html(path) for lazy in LAZY):
        v.scroll_through()  # what loads lazily (Vega, the widget manager, the quiz) loads before the checks look
    failed = []
    for name, check in checks_for(path):
        try:
            check(v, path)
        except Exception as e:  # noqa: BLE001 - every check runs; the test fails below, naming each
            where = traceback.extract_tb(e.__traceback__)[-1]
            failed.append(f"{name}: {type(e).__name__}: {e} (line {where.lineno})")
    if failed and v.undrawn_stops:
        failed.append(f"(while scrolling through, the browser drew no frame at {v.undrawn_stops} stop(s))")
    if failed:
        raise AssertionError(f"{path}: {len(failed)} check(s) failed:\n" + "\n".join(failed))
