"""Every chart the lessons show is a valid Vega-Lite spec with a text alternative and one bound control."""

import json

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
