"""The quizzes of lessons 6 to 11 (issue 11): situations with one right answer, feedback on every
answer, one idea brought back from an earlier lesson, and a capstone quiz that gives none of the
capstone's answers away."""

import re

import pytest

from alignkit.lessons import (
    m06_shared_goals,
    m07_working_together,
    m08_remote_hybrid,
    m09_leading_change,
    m10_capstone,
    m11_your_playbook,
)

MODULES = {
    6: m06_shared_goals,
    7: m07_working_together,
    8: m08_remote_hybrid,
    9: m09_leading_change,
    10: m10_capstone,
    11: m11_your_playbook,
}


def _text(question: dict) -> str:
    return " ".join([question["question"], *(a["answer"] + " " + a["feedback"] for a in question["answers"])])


@pytest.mark.parametrize("number", MODULES)
def test_each_quiz_brings_back_an_earlier_lesson(number):
    quiz = MODULES[number].quiz()
    assert 3 <= len(quiz) <= 5
    earlier = {int(n) for q in quiz for n in re.findall(r"[Ll]esson (\d+)", _text(q))}
    assert any(n < number for n in earlier), f"lesson {number}'s quiz names no earlier lesson: {earlier}"
    for q in quiz:
        assert sum(a["correct"] for a in q["answers"]) == 1, q["question"]
        assert all(a["feedback"].strip() for a in q["answers"]), q["question"]


def test_the_capstone_quiz_gives_away_none_of_the_capstones_answers():
    text = " ".join(_text(q) for q in m10_capstone.quiz()).lower()
    nf = m10_capstone.data()
    give_aways = [
        *nf.profile.problems,
        *m10_capstone.DECOYS,
        "northfield",
        *[str(r).lower() for r in nf.leads["region"].unique()],
        *[str(c).lower() for c in nf.leads["channel"].unique()],
        "london",
        "sydney",
        "rotate",
    ]
    leaks = [g for g in give_aways if re.search(rf"\b{re.escape(g.lower())}\b", text)]
    assert not leaks, f"the capstone quiz names {leaks}"
