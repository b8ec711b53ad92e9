"""Every chart the lessons show is a valid Vega-Lite spec with a text alternative and one bound control,
and draws its marks with the site's own Vega-Lite and Vega (tests/draw_charts.mjs, in Node) without a warning."""

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from alignkit.casedata.dataset import load_company
from alignkit.lessons import (
    m01_two_teams,
    m02_misalignment,
    m04_one_language,
    m05_economics,
    m06_shared_goals,
    m07_working_together,
    m08_remote_hybrid,
    m09_leading_change,
    m10_capstone,
    m11_your_playbook,
)
from alignkit.ui import charts

LEADS = load_company().leads
BUILDERS = {
    "inquiries per month": lambda: charts.monthly_inquiries(LEADS),
    "conversion by phase": lambda: charts.step_conversion_by_phase(LEADS),
    "lesson 1 clocks": lambda: m01_two_teams.clocks_chart(load_company()),
    "lesson 2 cost": m02_misalignment.cost_chart,
    "lesson 4 threshold": m04_one_language.threshold_chart,
    "lesson 5 LTV:CAC": m05_economics.ltv_cac_chart,
    "lesson 6 leads needed": m06_shared_goals.leads_needed_chart,
    "lesson 7 reasons": m07_working_together.reasons_chart,
    "lesson 8 hours": m08_remote_hybrid.week_hours_chart,
    "lesson 9 J-curve": m09_leading_change.jcurve_chart,
    "lesson 9 change curve": lambda: m09_leading_change.change_curve_chart(0.25, 4.0),  # a dip of 25 %, 4 months
    "lesson 10 response": m10_capstone.response_chart,
    "lesson 11 SLA goal": m11_your_playbook.sla_goal_chart,
}


@pytest.mark.parametrize("name", BUILDERS)
def test_chart_is_valid_with_text_alternative_and_one_control(name):
    view = BUILDERS[name]()
    spec = view.spec(validate=True)  # raises on a spec Vega-Lite would reject
    assert len(view.description) > 40 and spec["description"] == view.description
    text = json.dumps(spec)
    assert text.count('"bind"') == 1, "exactly one bound control, so the static page has one thing to move"
    assert len(text) < 400_000, "the data embedded in the page stays small"


REPO = Path(__file__).resolve().parents[1]


@cache
def drawn() -> dict:
    """Every chart drawn by the npm packages' Vega-Lite and Vega (what the site serves), as
    tests/draw_charts.mjs reports it: the warnings, and each group of marks with its empty items."""
    if shutil.which("node") is None or not (REPO / "node_modules" / "vega").is_dir():
        pytest.fail("Node.js and the npm packages are needed: run make setup.")
    specs = {name: build().spec() for name, build in BUILDERS.items()}
    run = subprocess.run(
        ["node", str(REPO / "tests" / "draw_charts.mjs")],
        input=json.dumps(specs),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


@pytest.mark.parametrize("name", BUILDERS)
def test_chart_draws_its_marks_without_a_warning(name):
    """A chart can be a valid spec and still draw nothing: lesson 1's log-scale bars were stacked from
    zero, and Vega drew all twelve with no width ("Log scale domain includes zero")."""
    report = drawn()[name]
    assert report["warnings"] == [], report["warnings"]
    groups = [m for m in report["marks"] if m["items"]]
    assert groups, f"{name}: nothing drawn"
    blank = [m for m in groups if m["empty"] == m["items"]]
    assert not blank, f"{name}: marks drawn with no size: {blank}"


def test_a_long_title_is_broken_into_lines_that_keep_every_word():
    text = "Yearly counted cost of misalignment by cause, for a team of the chosen size"  # 75 characters
    fixed = charts.fit_title(alt.Chart(pd.DataFrame({"x": [1]}), title=text).mark_bar().properties(width=300))
    lines = fixed.to_dict()["title"]["text"]
    assert len(lines) == 2 and all(len(line) <= charts.TITLE_LINE for line in lines)
    assert " ".join(lines) == text
    # as wide as its container: one line where the chart is wide enough, the same lines where it is not
    wide = charts.fit_title(alt.Chart(pd.DataFrame({"x": [1]}), title=text).mark_bar().properties(width="container"))
    expr = wide.to_dict()["title"]["text"]["expr"]
    assert expr == f"width < {round(len(text) * charts.TITLE_PX_PER_CHAR)} ? {json.dumps(lines)} : {json.dumps(text)}"
    short = charts.fit_title(alt.Chart(pd.DataFrame({"x": [1]}), title="Inquiries per month").mark_bar())
    assert short.to_dict()["title"] == {"text": "Inquiries per month", "frame": "bounds"}
