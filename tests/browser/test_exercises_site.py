"""Decision exercises on the built site: the browser's checker (_static/alignkit-exercises.js) and
the package's (alignkit.ui.exercises.Exercise.check) agree on every exercise, the forms work from the
keyboard, answers are kept in the browser and count on the start page, and the script is loaded
only where there is a form."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re

import pytest

from alignkit import lessons
from alignkit.ui.exercises import Exercise

from .conftest import SITE, site_pages

PAGES = site_pages()
EXERCISE_PAGES = [p for p in PAGES if "alignkit-exercise-spec" in (SITE / p).read_text()]
SCRIPT = "alignkit-exercises.js"


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


@pytest.mark.parametrize("path", EXERCISE_PAGES)
def test_site_and_python_checkers_agree(visit, path):
    v = visit(path)
    specs = v.page.evaluate("""[...document.querySelectorAll('script.alignkit-exercise-spec')]
                               .map(s => JSON.parse(s.textContent))""")
    # the site shows exactly the lesson's exercises, with the expected values the package computes now
    assert specs == [e.spec() for e in getattr(lesson_module(path), "exercises", list)()]
    for spec in specs:
        exercise = Exercise.from_spec(spec)
        for kind, tries in answers(spec).items():
            for answer in tries:
                js = v.page.evaluate("([s, a]) => window.alignkitExercises.check(s, a)", [spec, answer])
                py = exercise.check(answer)
                assert js == {"status": py.status, "title": py.title, "points": py.points}, (spec["id"], answer)
                want = {"right": "ok", "empty": "todo"}.get(kind, "wrong")
                assert py.status == want, f"exercise {spec['id']}: {kind} answer {answer!r} gave {py.status}"
    assert v.errors == [] and v.outside == []


def _tab_into(v, selector: str, limit: int = 250) -> None:
    """Press Tab from the top of the page until the focus is on ``selector``."""
    v.page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    for _ in range(limit):
        v.page.keyboard.press("Tab")
        if v.page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("path", EXERCISE_PAGES)
def test_every_form_works_from_the_keyboard_and_is_kept(visit, path):
    v = visit(path)
    forms = v.page.locator("form.alignkit-exercise")
    n = forms.count()
    for i in range(n):
        form = forms.nth(i)
        spec = json.loads(form.locator("script.alignkit-exercise-spec").text_content())
        fid = form.get_attribute("id")
        # every control is named: the fieldset by its question, each input by its label
        assert form.locator("legend").inner_text().strip()
        if spec["kind"] == "choice":
            _tab_into(v, f"#{fid} input[type=radio]")
            for _ in range(len(spec["options"]) + 1):
                if v.page.evaluate("document.activeElement.value") == spec["expected"]:
                    break
                v.page.keyboard.press("ArrowDown")
            v.page.keyboard.press("Space")
            assert form.locator("input[type=radio]:checked").get_attribute("value") == spec["expected"]
        else:
            _tab_into(v, f"#{fid} [name=answer]")
            v.page.keyboard.type(answers(spec)["right"][0])
        _tab_into_next = f"document.activeElement.matches('#{fid} button[type=submit]')"
        for _ in range(len(spec["options"]) + 3):
            if v.page.evaluate(_tab_into_next):
                break
            v.page.keyboard.press("Tab")
        assert v.page.evaluate(_tab_into_next), f"Tab does not reach the Check button of {fid}"
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
    assert v.errors == [] and v.outside == []
