"""Lesson 11, Your playbook: the checkers (right answers computed independently with pandas on the
sample export), the quiz, the builder's pure functions and the chart."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from alignkit.casedata import schema
from alignkit.lessons import m11_your_playbook as m11
from alignkit.teamtools import playbook

ROOT = Path(__file__).resolve().parents[1]
HUBSPOT = ROOT / "data" / "crm-samples" / "hubspot"


@pytest.fixture(scope="module")
def contacts():
    return pd.read_csv(HUBSPOT / "contacts.csv")


@pytest.fixture(scope="module")
def deals():
    return pd.read_csv(HUBSPOT / "deals.csv")


def independent_win_rate(deals):
    won = (deals["Deal Stage"] == "Closed Won").sum()
    lost = (deals["Deal Stage"] == "Closed Lost").sum()
    return won / (won + lost)


def independent_median_hours(contacts):
    mql = pd.to_datetime(contacts["Became a Marketing Qualified Lead Date"])
    touch = pd.to_datetime(contacts["Date of first engagement"])
    return ((touch - mql).dt.total_seconds() / 3600).dropna().median()


def independent_mqls_needed(contacts, deals):
    example = tomllib.loads(playbook.EXAMPLE_ANSWERS.read_text(encoding="utf-8"))["sla"]
    average_deal = deals.loc[deals["Deal Stage"] == "Closed Won", "Amount"].mean()
    mqls = contacts["Became a Marketing Qualified Lead Date"].notna().sum()
    opportunities = contacts["Became an Opportunity Date"].notna().sum()
    per_month = (
        example["revenue_goal"]
        * example["marketing_share"]
        / average_deal
        / independent_win_rate(deals)
        / (opportunities / mqls)
        / example["months"]
    )
    return math.ceil(per_month - 1e-9)


# --- Exercise 11.1 -------------------------------------------------------------------------------


def test_reading_right(contacts, deals):
    fb = m11.check_scorecard_reading(independent_win_rate(deals), independent_median_hours(contacts))
    assert fb.ok, fb


def test_reading_as_percentage_and_rounded(contacts, deals):
    fb = m11.check_scorecard_reading(
        round(independent_win_rate(deals) * 100, 1), round(independent_median_hours(contacts), 1)
    )
    assert fb.ok, fb


def test_reading_wrong_and_empty(deals):
    assert m11.check_scorecard_reading(None, None).status == "todo"
    fb = m11.check_scorecard_reading(independent_win_rate(deals), 42)
    assert fb.status == "wrong" and "1 of 2" in fb.title
    assert m11.check_scorecard_reading("lots", [1]).status == "wrong"  # no traceback


# --- Exercise 11.2 -------------------------------------------------------------------------------


def test_mqls_needed(contacts, deals):
    right = independent_mqls_needed(contacts, deals)
    assert m11.sample_mqls_needed() == right
    assert m11.check_mqls_needed(right).ok
    assert m11.check_mqls_needed(str(right)).ok


def test_mqls_needed_quarter_total_gets_a_hint(contacts, deals):
    right = independent_mqls_needed(contacts, deals)
    fb = m11.check_mqls_needed(right * 3)
    assert fb.status == "wrong" and any("quarter" in p for p in fb.points)
    assert m11.check_mqls_needed(None).status == "todo"
    assert m11.check_mqls_needed({"mqls": 1}).status == "wrong"


# --- Exercise 11.3 -------------------------------------------------------------------------------


def test_measurable_key_result():
    good = (
        "Raise the share of MQLs first touched within 24 hours from 49 % to 90 % by 31 March 2026 "
        "(owner: SDR team lead)"
    )
    assert m11.check_measurable(good).ok
    assert m11.check_measurable("Improve follow-up quality").status == "wrong"
    assert m11.check_measurable(None).status == "todo"
    assert m11.check_measurable(12).status == "wrong"


# --- the scorecard views -------------------------------------------------------------------------


def test_unavailable_metrics_have_reasons():
    missing = m11.unavailable_metrics(m11.sample_scorecard())
    assert "velocity_days › mql→sal" in missing.index
    assert "before_after" in missing.index
    assert missing["why"].str.len().gt(10).all()


def test_funnel_table_matches_the_csv(contacts):
    table = m11.funnel_table(m11.sample_scorecard())
    assert table.loc["Inquiry", "leads"] == len(contacts)
    assert table.loc["Won", "leads"] == contacts["Became a Customer Date"].notna().sum()


# --- the quiz ------------------------------------------------------------------------------------


def test_quiz_has_one_right_answer_each_with_feedback():
    questions = m11.quiz()
    assert 3 <= len(questions) <= 5
    for q in questions:
        assert sum(a["correct"] for a in q["answers"]) == 1
        assert all(a["feedback"] for a in q["answers"])


# --- the builder ---------------------------------------------------------------------------------


def test_form_defaults_make_valid_answers():
    card = m11.sample_scorecard()
    values = m11.form_defaults(card=card)
    answers = m11.answers_from_form(values)
    assert answers["team"] == m11.EXAMPLE_TEAM
    html = m11.preview_html(values, card)
    assert "MQLs a month" in html and "Still to agree" in html


def test_form_errors_are_shown_not_raised():
    values = m11.form_defaults()
    values["opportunity_to_win"] = 22
    html = m11.preview_html(values)
    assert "opportunity_to_win" in html and "fraction" in html
    values = m11.form_defaults()
    values["raci"] = "no colon here"
    assert "RACI line 1" in m11.preview_html(values)


def test_raci_lines_round_trip():
    answers = m11.example_answers()
    assert m11.parse_raci_lines(m11.raci_lines(answers["raci"])) == answers["raci"]


def test_write_from_form(tmp_path):
    message = m11.write_from_form(m11.form_defaults(), tmp_path / "pb")
    assert message.startswith("Wrote") and (tmp_path / "pb" / "playbook.html").exists()
    bad = m11.form_defaults()
    bad["revenue_goal"] = -1
    assert m11.write_from_form(bad, tmp_path / "bad").startswith("Not written")
    assert not (tmp_path / "bad").exists()


def example_sla(goal=None, rates=None):
    """MQLs, opportunities and deals a month for the example's SLA, each rounded up (by hand: $90,000 × 90 %
    ÷ $2,100 = 38.6 deals a quarter, ÷ 22 % = 175.3 opportunities, ÷ 10 % = 1,753 MQLs; ÷ 3 months).
    ``rates`` (average deal, MQL→opportunity, opportunity→win) replace the example's own."""
    s = tomllib.loads(playbook.EXAMPLE_ANSWERS.read_text(encoding="utf-8"))["sla"]
    deal, l2o, o2w = rates or (s["average_deal"], s["lead_to_opportunity"], s["opportunity_to_win"])
    deals = (goal or s["revenue_goal"]) * s["marketing_share"] / deal
    opps = deals / o2w
    return tuple(math.ceil(x / s["months"] - 1e-9) for x in (opps / l2o, opps, deals))


def sla_line(mqls, opps, deals):
    return (
        f"marketing owes sales <strong>{mqls:,}</strong> MQLs a month ({opps:,} opportunities, {deals:,} deals a month)"
    )


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def test_builder_preview_follows_the_form(contacts, deals):
    assert example_sla() == (585, 59, 13)
    page = m11.BENCH["playbook builder update"]()
    assert sla_line(*example_sla()) in page
    # with the sample export's scorecard, the builder starts from the export's rates
    rates = (
        deals.loc[deals["Deal Stage"] == "Closed Won", "Amount"].mean(),
        contacts["Became an Opportunity Date"].notna().sum()
        / contacts["Became a Marketing Qualified Lead Date"].notna().sum(),
        independent_win_rate(deals),
    )
    widgets = list(walk(m11.playbook_builder(m11.sample_scorecard())))
    fields = {c.description: c for c in widgets if hasattr(c, "value") and getattr(c, "description", "")}
    preview = next(c for c in widgets if "SLA:" in str(getattr(c, "value", "")))
    assert sla_line(*example_sla(rates=rates)) in preview.value
    fields["Revenue goal"].value = 180_000
    assert sla_line(*example_sla(180_000, rates)) in preview.value


def test_playbook_render_bench_writes_the_example(contacts, deals):
    """The example's playbook, with the SLA from the sample export's rates, in Markdown and HTML."""
    md, page = m11.BENCH["playbook render (md + html)"]()
    team = tomllib.loads(playbook.EXAMPLE_ANSWERS.read_text(encoding="utf-8"))["team"]
    mqls = independent_mqls_needed(contacts, deals)
    assert md.startswith(f"# Sales and marketing playbook: {team}")
    assert f"| **MQLs marketing owes sales a month** | **{mqls:,}** |" in md
    assert f"<strong>Marketing owes sales</strong> {mqls:,} MQLs a month" in page


# --- the chart -----------------------------------------------------------------------------------


def test_chart_valid_with_one_control_and_right_numbers(contacts, deals):
    view = m11.sla_goal_chart()
    spec = view.spec(validate=True)
    text = json.dumps(spec)
    assert text.count('"bind"') == 1 and len(text) < 400_000
    assert len(view.description) > 40 and spec["description"] == view.description
    data = m11.sla_range(m11.sample_scorecard(), m11.example_answers(), range(90_000, 90_001))
    assert data["MQLs needed a month"].iloc[0] == independent_mqls_needed(contacts, deals)


def test_the_example_is_not_presented_as_brightline():
    """One Brightline: the example's bar and acceptance differ from the case's, so it carries its own name."""
    agreed = m11.brightline_agreement()
    leads = pd.read_csv(schema.DATA_DIR / "brightline" / "leads.csv", parse_dates=["inquiry_at"])
    after = leads[leads["inquiry_at"] >= "2026-01-01"]
    assert agreed["acceptance"] == pytest.approx(after["sal_at"].notna().sum() / after["mql_at"].notna().sum())
    example = m11.example_answers()
    assert example["team"] == m11.EXAMPLE_TEAM != "Brightline"
    assert "Brightline" not in playbook.render_markdown(m11.sample_playbook()).split("\n")[0]
