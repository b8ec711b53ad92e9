"""The exercise checkers: right answers pass, wrong ones say what is wrong, odd input never raises.

The right answers here are computed with plain pandas on the raw CSVs."""

import pandas as pd
import pytest

from alignkit import course, schema
from alignkit.lessons import m00_start_here, m03_one_journey
from alignkit.exercises import Feedback, check_choice, check_number

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
