"""The exercise checkers: right answers pass, wrong ones say what is wrong, odd input never raises.

The right answers here are computed with plain pandas on the raw CSVs."""

import pandas as pd
import pytest

from alignkit.casedata import schema
from alignkit.lessons import m00_start_here, m03_one_journey
from alignkit.ui import course
from alignkit.ui.exercises import Feedback, check_choice, check_number

LEADS = pd.read_csv(schema.DATA_DIR / "brightline" / "leads.csv")


def test_check_number_statuses():
    assert check_number(None, 10, what="x").status == "todo"
    assert check_number("", 10, what="x").status == "todo"
    assert check_number(10.05, 10, what="x").ok
    wrong = check_number(12, 10, what="x")
    assert wrong.status == "wrong" and "too high" in wrong.title
    assert check_number([1], 10, what="x").status == "wrong"
    assert "not a number" in check_number("ten", 10, what="x").title
    assert check_number(True, 1, what="x").status == "wrong"


def test_share_accepts_percent_and_fraction():
    assert check_number(0.25, 0.25, what="x", as_share=True).ok
    fb = check_number(25, 0.25, what="x", as_share=True)
    assert fb.ok and "Read 25 as 25.0%" in str(fb)


def test_check_choice_is_forgiving_about_case_and_arrows():
    assert check_choice("MQL->SAL", "mql→sal", what="step", options=["mql→sal", "sal→sql"]).ok
    assert check_choice(3, "a", what="x", options=["a", "b"]).status == "wrong"
    assert "not one of the options" in check_choice("c", "a", what="x", options=["a", "b"]).title


def test_feedback_renders_as_text_and_html():
    fb = Feedback("wrong", "Not <yet>", ["point"])
    assert "✗ Not <yet>" in str(fb)
    assert "&lt;yet&gt;" in fb._repr_html_()


def test_busiest_month_exercise():
    months = LEADS.inquiry_at.str[:7].value_counts()
    right = m00_start_here.check_busiest_month(months.idxmax(), int(months.max()))
    assert right.ok, str(right)
    half = m00_start_here.check_busiest_month(months.idxmax(), int(months.max()) - 1)
    assert half.status == "wrong" and "1 of 2 right" in half.title
    assert "outside the data" in str(m00_start_here.check_busiest_month("2030-01", 5))
    assert m00_start_here.check_busiest_month(None, None).status == "todo"


def test_biggest_drop_exercise():
    before = LEADS[LEADS.inquiry_at < "2025-10-01"]
    counts = [before[f"{s}_at"].notna().sum() for s in ("inquiry", "mql", "sal", "sql", "opportunity", "won")]
    names = ["inquiry→mql", "mql→sal", "sal→sql", "sql→opportunity", "opportunity→won"]
    drops = {n: counts[i] - counts[i + 1] for i, n in enumerate(names)}
    step = max(drops, key=drops.get)
    assert step == "mql→sal"  # the story: most MQLs were never accepted
    assert m03_one_journey.check_biggest_drop(step, "both").ok
    assert not m03_one_journey.check_biggest_drop(step, "sales").ok


def test_referral_rate_exercise():
    after = LEADS[(LEADS.inquiry_at >= "2026-01-01") & (LEADS.channel == "referrals")]
    rate = after.won_at.notna().mean()
    assert m03_one_journey.check_referral_rate(rate).ok
    assert m03_one_journey.check_referral_rate(rate * 100).ok
    assert not m03_one_journey.check_referral_rate(rate * 1.2).ok


def lesson_modules():
    import importlib
    import pkgutil

    from alignkit import lessons

    return [importlib.import_module(f"alignkit.lessons.{m.name}") for m in pkgutil.iter_modules(lessons.__path__)]


@pytest.mark.parametrize("module", lesson_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_quiz_question_has_one_right_answer_and_feedback(module):
    """Every lesson module has a quiz of 3-5 questions; each has exactly one right answer and feedback."""
    questions = module.quiz()
    assert 3 <= len(questions) <= 5
    for q in questions:
        assert sum(a["correct"] for a in q["answers"]) == 1, q["question"]
        assert all(a["feedback"] for a in q["answers"])
        assert len({a["answer"] for a in q["answers"]}) == len(q["answers"])


def test_course_map_paths():
    assert [m.number for m in course.MODULES] == list(range(12))
    for role in course.ROLES:
        path = course.path_for(role)
        assert path[0].number == 0
        assert course.path_minutes(role) == sum(m.minutes for m in path)
    with pytest.raises(ValueError, match="unknown role"):
        course.path_for("Engineer")


# --- decision exercises (alignkit.ui.exercises.Exercise) ------------------------------------------

import json  # noqa: E402
import math  # noqa: E402

from alignkit.ui.exercises import EXERCISE_MIME, Exercise, Idea  # noqa: E402


def _number(**kw):
    return Exercise(
        **{
            "id": "9.1",
            "kind": "number",
            "question": "How many?",
            "what": "the count",
            "hint": "Add them.",
            "minutes": 2,
            "expected": 120,
            **kw,
        }
    )


def test_exercise_spec_is_checked_when_declared():
    with pytest.raises(ValueError, match="kind must be one of"):
        _number(kind="essay")
    with pytest.raises(ValueError, match="needs a number"):
        _number(expected="120")
    with pytest.raises(ValueError, match="expected one among them"):
        Exercise("1", "choice", "q", "w", "h", 1, expected="c", options=("a", "b"))
    with pytest.raises(ValueError, match="read the same"):
        Exercise("1", "choice", "q", "w", "h", 1, expected="a b", options=("a b", "AB"))
    with pytest.raises(ValueError, match="needs the ideas"):
        Exercise("1", "text", "q", "w", "h", 1)
    with pytest.raises(ValueError, match="minutes"):
        _number(minutes=0)


def test_number_exercise_statuses():
    ex = _number(tolerance=0.05)
    assert ex.check(None).status == ex.check("  ").status == "todo"
    assert ex.check("124").ok and ex.check(120).ok and ex.check("$120").ok and ex.check("1,2,0").ok
    assert "too high" in ex.check("130").title and "too low" in ex.check(100).title
    assert ex.check("abc").status == "wrong" and "not a number" in ex.check("abc").title
    assert ex.check("1e3").status == "wrong"  # only plain digits, as the website reads them
    assert ex.check([120]).status == ex.check(True).status == ex.check(float("nan")).status == "wrong"
    assert "Add them." in ex.check("130").points


def test_share_exercise_reads_percentages():
    ex = _number(expected=0.284, share=True, tolerance=0.01)
    assert ex.check("28.4%").ok and ex.check("28.4").ok and ex.check(0.284).ok
    assert "Read as a percentage." in ex.check("28.4").points
    assert not ex.check("0.3").ok
    assert ex.shown == "28\u00a0%"


def test_choice_and_text_exercises():
    ex = Exercise(
        "1",
        "choice",
        "Which?",
        "the step",
        "Look again.",
        1,
        expected="MQL → SAL",
        options=("Inquiry → MQL", "MQL → SAL"),
        why=(("Inquiry → MQL", "That step lost fewer."),),
    )
    assert ex.check("mql->sal").ok
    assert ex.check("Inquiry → MQL").points == ["That step lost fewer."]
    assert "not one of the options" in ex.check("SQL").title
    text = Exercise(
        "2",
        "text",
        "Write it.",
        "the agreement",
        "Name both.",
        3,
        min_words=6,
        ideas=(Idea("a deadline", ("hour", "day", "deadline")), Idea("who acts", ("seller", "sales rep"))),
    )
    assert text.check("Every seller calls a new MQL within one hour.").ok
    assert text.check("Our sales reps call within one day, always.").ok  # phrases and word beginnings
    half = text.check("Every seller calls new leads quickly, without delay.")
    assert half.status == "wrong" and "1 of 2" in half.title and "Missing: a deadline." in half.points
    assert "at least 6 words" in " ".join(text.check("seller within an hour").points)
    assert text.check("?!? …").title == "There are no words in that answer."
    assert text.check(42).status == "wrong"


def test_spec_round_trips_and_is_json():
    for ex in m00_start_here.exercises():
        spec = json.loads(json.dumps(ex.spec()))
        assert Exercise.from_spec(spec) == ex
        bundle = ex._repr_mimebundle_()
        assert bundle[EXERCISE_MIME] == ex.spec() and ex.question in bundle["text/plain"]


def test_lesson_0_decision_exercises_against_plain_pandas():
    """The expected answers, derived here from the raw CSV without the package."""
    counts = LEADS.inquiry_at.str[:7].value_counts().sort_index()
    busiest = pd.Period(counts.idxmax(), "M").strftime("%B %Y")
    choose, callers, sentence = m00_start_here.exercises()
    assert choose.kind == "choice" and choose.expected == busiest and choose.check(busiest).ok
    assert len(choose.options) == 4 and busiest in choose.options
    assert callers.expected == math.ceil(counts.max() / 400) and callers.check(str(callers.expected)).ok
    assert not callers.check(str(callers.expected + 1)).ok
    assert sentence.check("Meeting our customers' needs quickly is how both of our teams grow revenue together.").ok
    assert sentence.check("I care about the number of calls I make each and every week.").status == "wrong"


def test_exercise_widget_checks_with_the_same_rules():
    """The JupyterLab view: answer in the box, press Check, see Exercise.check's feedback."""
    from alignkit.ui.widgets import exercise_widget

    choose, callers, sentence = m00_start_here.exercises()
    for ex, right, wrong in [
        (choose, choose.expected, [o for o in choose.options if o != choose.expected][0]),
        (callers, str(callers.expected), "999"),
        (sentence, "Meeting customer needs is how we grow revenue as one team, every week.", "calls"),
    ]:
        view = exercise_widget(ex)
        box, button, out = view.children[1], view.children[2], view.children[3]
        box.value = right
        button.click()
        assert out.value == ex.check(right)._repr_html_() and 'class="alignkit-feedback ok"' in out.value
        box.value = wrong
        button.click()
        assert 'class="alignkit-feedback wrong"' in out.value
        # an answer that reaches the kernel after its Check (held back while the kernel was busy):
        # the feedback follows it rather than describing the previous answer
        box.value = right
        assert out.value == ex.check(right)._repr_html_()


def test_exercise_widget_shows_no_feedback_before_check():
    from alignkit.ui.widgets import exercise_widget

    choose = m00_start_here.exercises()[0]
    view = exercise_widget(choose)
    view.children[1].value = choose.expected
    assert view.children[3].value == ""
