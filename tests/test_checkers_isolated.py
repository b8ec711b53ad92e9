"""A learner cannot fool a checker by writing into the data the lesson gave them.

The lessons hand the learner ``load_company(...)``'s tables and the tables their own functions
compute (``m05.channel_table``, ``m07.brightline_view`` …); the checkers compute their expected
answers from the same sources. If both held the same objects, a cell such as
``brightline.leads.loc[:, "sal_at"] = pd.NaT`` would change the expected answer and make a wrong
answer pass. Here every checker of every lesson (found by name: ``check_*`` and each exercise of
``exercises()``) and the final assessment are asked a right and a wrong answer; then every table the
learner can reach is wrecked (every column set to NaN/NaT/0, or the rows dropped, or the columns
renamed) and the derived caches are emptied, and every verdict must read exactly as before.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import itertools
import pkgutil
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from alignkit import lessons
from alignkit.casedata import dataset
from alignkit.casedata.dataset import load_company
from alignkit.metrics import economics, funnel, loop, okr, quarter_reports, raci
from alignkit.ui import assessment

LESSONS = {
    m.name.split("_")[0]: importlib.import_module(f"alignkit.lessons.{m.name}")
    for m in pkgutil.iter_modules(lessons.__path__)
    if m.name[:1] == "m" and m.name[1:3].isdigit()
}
COMPANIES = ("brightline", "northfield")


def lesson_checkers() -> dict[str, object]:
    """Every ``check_*`` function a lesson module defines, as 'm01.check_cohort_acceptance'."""
    found = {}
    for short, module in LESSONS.items():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("check_") and fn.__module__ == module.__name__:
                found[f"{short}.{name}"] = fn
    return found


# -- a right and a wrong answer for each checker, worked out before the data is touched -------------
# Each entry returns (right answer, wrong answer), each a tuple of the checker's arguments. The right
# answers come from the package itself: this test is about the verdicts staying the same, and the
# lessons' own tests check the values against plain pandas.


def _m03_drop():
    leads = load_company().leads
    before = leads[leads["phase"] == "before"]
    step = funnel.biggest_drop(before)
    return before, step


def _m03_biggest_drop():
    _, step = _m03_drop()
    steps = [f"{a}→{b}" for a, b in itertools.pairwise(funnel.STAGES)]
    owner = funnel.STAGE_OWNER[step.split("→")[1]]
    other_owner = next(o for o in sorted(set(funnel.STAGE_OWNER.values())) if o != owner)
    return (step, owner), (next(s for s in steps if s != step), other_owner)


def _m03_leads_lost():
    before, step = _m03_drop()
    right = int(funnel.leads_lost(before)[step])
    return (right,), (right + 1,)


def _m04_threshold():
    table = LESSONS["m04"].tradeoff_table()
    passing = table[(table["capacity_used"] <= 1) & (table["acceptance"] >= LESSONS["m04"].MIN_ACCEPTANCE)]
    failing = table.drop(passing.index)
    return (int(passing.index.min()),), (int(failing.index.min()),)


def _m05_cheap_lead():
    t = LESSONS["m05"].channel_table("after")
    paid = t[t["paid"]]
    unpaid = str(t.index[~t["paid"]][0])
    return (str(paid["cost_per_lead"].idxmin()), str(paid["ltv_to_cac"].idxmax())), (unpaid, unpaid)


def _m06_objective_score():
    table = okr.objective_scores(load_company().okrs)
    right = float(table.loc[table["quarter"] == "2025Q4", "score"].iloc[0])
    return (right,), (right + 0.5,)


def _m07_mismatch():
    right = float(loop.content_performance(LESSONS["m07"].brightline_view(), "pitch_matches").loc[False, "win_rate"])
    return (right,), (right + 0.3,)


def _m08_overlaps():
    m08 = LESSONS["m08"]
    right = tuple(m08.pair_overlap(*m08.EXERCISE_PAIR, day) for day in m08.EXERCISE_DATES)
    return right, tuple(h + 2 for h in right)


def _m09_dip():
    m09 = LESSONS["m09"]
    dip = m09.win_rate_dip()
    first = next(m for m in m09.brightline_rates().index if m != dip["low_month"])
    return (dip["low_month"], dip["depth"]), (first, dip["depth"] + 0.3)


PLAN = {
    "what": "MQLs now need a lead score of 55 and sellers call every MQL within one hour",
    "why": "Last quarter sales rejected most MQLs and one lead in four was never called",
    "who": "SDRs in Austin, Warsaw and Singapore, and the demand generation team",
    "when": "From Wednesday 1 October 2025, reviewed every Monday",
    "result": "Acceptance above 60% and median response under 2 hours by January",
}


def _m10_diagnosis():
    m10 = LESSONS["m10"]
    real = sorted(m10.data().profile.problems)
    return (real,), ([c for c in m10.candidates() if c not in real][:1],)


def _m10_threshold():
    m10 = LESSONS["m10"]
    current = int(m10.data().profile.before.mql_threshold)
    return (next(t for t in range(current - 1, 0, -1) if m10.check_threshold(t).ok),), (current,)


def _m10_key_result():
    name = load_company("northfield").people["name"].iloc[0]
    good = f"Cut the median first-touch time for APAC leads from 24 hours to 4 hours by 2026Q3, owner {name}"
    return (good,), ("Improve APAC response",)


def _m10_cadence():
    hours = LESSONS["m10"].shared_hours()
    return (hours, "rotate the early and late slots"), (hours + 2, "always at 08:00 in London")


def _m11_reading():
    card = LESSONS["m11"].sample_scorecard()
    right = (card["deals"]["win_rate"]["value"], card["response"]["median_hours"]["value"])
    return right, tuple(x * 2 for x in right)


def _number(value) -> tuple[tuple, tuple]:
    return (value,), (value * 2 + 1,)


ANSWERS = {
    "m00.check_busiest_month": lambda: (
        (m := LESSONS["m00"].busiest_month()),
        (next(x for x in sorted(load_company().leads["month"].unique()) if x != m[0]), m[1] + 1),
    ),
    "m01.check_earlier_wins": lambda: _number(LESSONS["m01"].wins_from_earlier_inquiries()),
    "m01.check_cohort_acceptance": lambda: _number(
        quarter_reports.cohort_acceptance(load_company(), LESSONS["m01"].QUARTER)
    ),
    "m02.check_late_share": lambda: ((LESSONS["m02"].late_share_before(),), (0.0,)),
    "m02.check_win_rate_gap": lambda: ((g := LESSONS["m02"].win_rate_gap_before(),), (g + 0.3,)),
    "m03.check_biggest_drop": _m03_biggest_drop,
    "m03.check_leads_lost": _m03_leads_lost,
    "m03.check_referral_rate": lambda: ((r := LESSONS["m03"].referral_win_rate_after(),), (r + 0.3,)),
    "m04.check_acceptance": lambda: ((a := LESSONS["m04"].acceptance_at_or_above(55),), (a / 2,)),
    "m04.check_threshold": _m04_threshold,
    "m05.check_blended_cac": lambda: _number(
        economics.acquisition_costs(load_company(), *LESSONS["m05"].windows()["after"])["blended_cac"]
    ),
    "m05.check_cheap_lead": _m05_cheap_lead,
    "m06.check_objective_score": _m06_objective_score,
    "m06.check_key_result": lambda: (
        (
            "Raise the share of MQLs that sales accepts from 30 % to 65 % by the end "
            "of 2026Q1 (owner: head of marketing)",
        ),
        ("Improve lead quality",),
    ),
    "m06.check_mql_target": lambda: _number(LESSONS["m06"].brightline_sla()["mql_target"]),
    "m07.check_mismatch_win_rate": _m07_mismatch,
    "m08.check_overlaps": _m08_overlaps,
    "m08.check_raci_row": lambda: (
        (dict(raci.BRIGHTLINE_RACI["lead follow-up"]),),
        ({"head of marketing": "A", "account executives": "R"},),
    ),
    "m09.check_win_rate_dip": _m09_dip,
    "m09.check_plan": lambda: ((PLAN,), ({k: "Blah blah blah blah blah" for k in PLAN},)),
    "m10.check_diagnosis": _m10_diagnosis,
    "m10.check_threshold": _m10_threshold,
    "m10.check_sla": lambda: _number(LESSONS["m10"].sla_case()["plan"].leads_per_month),
    "m10.check_key_result": _m10_key_result,
    "m10.check_cadence": _m10_cadence,
    "m11.check_scorecard_reading": _m11_reading,
    "m11.check_mqls_needed": lambda: _number(LESSONS["m11"].sample_mqls_needed()),
    "m11.check_measurable": lambda: (
        ("Raise the share of MQLs called within 1 hour from 40% to 80% by 2026Q3, owner head of sales",),
        ("improve follow-up quality",),
    ),
}


def test_every_checker_has_answers():
    """A new checker must be added to ANSWERS, so it is tested here too."""
    assert sorted(ANSWERS) == sorted(lesson_checkers())


def _exercise_answers(ex) -> tuple:
    if ex.kind == "number":
        return ex.expected, ex.expected * 2 + 1
    if ex.kind == "choice":
        return ex.expected, next(o for o in ex.options if o != ex.expected)
    return " ".join(i.words[0] for i in ex.ideas) + " and so on" * ex.min_words, "no"


def verdicts(answers: dict[str, tuple]) -> dict[str, str]:
    """The full text of every verdict: each checker on its right and wrong answers, each exercise's
    spec and verdicts, and the final assessment's questions and score."""
    out = {}
    for name, fn in lesson_checkers().items():
        right, wrong = answers[name]
        out[f"{name} right"], out[f"{name} wrong"] = str(fn(*right)), str(fn(*wrong))
    for short, module in LESSONS.items():
        for ex in getattr(module, "exercises", list)():
            right, wrong = _exercise_answers(ex)
            out[f"{short} exercise {ex.id}"] = repr(ex.spec())
            out[f"{short} exercise {ex.id} right"] = str(ex.check(right))
            out[f"{short} exercise {ex.id} wrong"] = str(ex.check(wrong))
    questions = assessment.questions()
    out["assessment questions"] = repr(questions)
    out["assessment score"] = repr(assessment.score([q.answer for q in questions]))
    return out


@pytest.fixture(scope="module")
def before():
    """The answers and the verdicts on untouched data (each right answer right, each wrong one wrong)."""
    answers = {name: make() for name, make in ANSWERS.items()}
    seen = verdicts(answers)
    for name in lesson_checkers():
        right, wrong = seen[f"{name} right"], seen[f"{name} wrong"]
        assert right.startswith("✓"), f"{name}: the right answer is not accepted: {right}"
        assert wrong.startswith("✗"), f"{name}: the wrong answer is not refused: {wrong}"
    return answers, seen


def _cached_functions() -> list:
    """Every cache of the package's loaded modules except the private tables themselves (and the chart
    bundle's, which holds no data): emptied, each recomputes from what load_company hands out, as in a
    fresh kernel where the learner's cell ran first."""
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("alignkit.") or name in ("alignkit.casedata.dataset", "alignkit.ui.labchart"):
            continue
        for _, fn in inspect.getmembers(module, callable):
            if hasattr(fn, "cache_clear") and getattr(fn, "__module__", "") == name:
                found.append(fn)
    return found


def _copying(fn) -> bool:
    """A cache made by alignkit.casedata.caching.cached (it hands out copies), not a plain lru_cache."""
    return getattr(getattr(fn, "__code__", None), "co_filename", "").endswith("caching.py")


def _blank(frame: pd.DataFrame) -> None:
    """Every column of ``frame`` set, in place where pandas allows it, to NaT, 0, False or NaN."""
    for col in list(frame.columns):
        kind = frame[col].dtype
        value = (
            pd.NaT
            if pd.api.types.is_datetime64_any_dtype(kind)
            else False
            if pd.api.types.is_bool_dtype(kind)
            else 0
            if pd.api.types.is_integer_dtype(kind)
            else np.nan
        )
        try:
            frame.loc[:, col] = value  # writes into the column's own array
        except (TypeError, ValueError):
            frame[col] = value


def _drop_rows(frame: pd.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.drop(index=frame.index[1:], inplace=True)


def _rename(frame: pd.DataFrame) -> None:
    frame.columns = [f"x{i}" for i in range(frame.shape[1])]


def wreck(obj, how) -> None:
    """Change ``obj`` in place: every table in it, every dict and list emptied of its values."""
    if isinstance(obj, pd.DataFrame):
        how(obj)
    elif isinstance(obj, pd.Series):
        obj.loc[:] = 0 if pd.api.types.is_numeric_dtype(obj.dtype) else None
    elif isinstance(obj, dict):
        for key in list(obj):
            wreck(obj[key], how)
            obj[key] = None
    elif isinstance(obj, list):
        for item in obj:
            wreck(item, how)
        obj.clear()
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            wreck(getattr(obj, f.name), how)


@pytest.mark.parametrize(
    "how", [_blank, _drop_rows, _rename], ids=["blank every column", "drop the rows", "rename the columns"]
)
def test_wrecking_the_company_tables_changes_no_verdict(before, how):
    answers, seen = before
    for slug in COMPANIES:
        wreck(load_company(slug), how)  # the learner's brightline = load_company("brightline"), then any cell
    for fn in _cached_functions():
        fn.cache_clear()
    after = verdicts(answers)
    changed = {k: (seen[k], after[k]) for k in seen if seen[k] != after[k]}
    assert not changed, f"{len(changed)} verdict(s) changed, first: {next(iter(changed.items()))}"


def test_wrecking_what_lesson_functions_returned_changes_no_verdict(before):
    """The tables and dicts a lesson computes once and keeps (``alignkit.casedata.caching.cached``): a learner gets a
    copy, so writing into it leaves the next checker's expected answer alone."""
    answers, seen = before
    verdicts(answers)  # every cache filled
    kept = [fn for fn in _cached_functions() if _copying(fn)]
    assert len(kept) >= 10
    for fn in kept:
        params = inspect.signature(fn).parameters
        phases = ("before", "after") if "phase" in params else (None,)
        for phase in phases:
            args = {"phase": phase} if phase else {}
            if "slug" in params and params["slug"].default is inspect.Parameter.empty:
                args["slug"] = "brightline"
            if "window" in params:
                args["window"] = "after"
            wreck(fn(**args), _blank)
    after = verdicts(answers)
    changed = {k: (seen[k], after[k]) for k in seen if seen[k] != after[k]}
    assert not changed, f"{len(changed)} verdict(s) changed, first: {next(iter(changed.items()))}"


def test_load_company_hands_out_copies():
    """The learner's tables are theirs: a write reaches neither the next call nor the private tables."""
    first = load_company()
    first.leads.loc[:, "sal_at"] = pd.NaT
    first.profile.problems["invented"] = "by the learner"
    again = load_company()
    assert again.leads["sal_at"].notna().any() and "invented" not in again.profile.problems
    assert dataset._load_private("brightline", None).leads["sal_at"].notna().any()
