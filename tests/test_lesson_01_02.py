"""Lessons 1 and 2: the checkers accept the right answer (computed here with plain pandas on the CSVs),
explain wrong ones without raising, the quizzes have one right answer each, and the views build."""

from pathlib import Path

import pandas as pd
import pytest

from alignkit.lessons import m01_two_teams as m01
from alignkit.lessons import m02_misalignment as m02

DATA = Path(__file__).resolve().parents[1] / "data" / "brightline"
TIMES = {
    "leads": ["inquiry_at", "mql_at", "sal_at", "sql_at", "opportunity_at", "won_at"],
    "opportunities": ["created_at", "closed_at"],
    "touches": ["first_touch_at"],
}


def csv(name):
    return pd.read_csv(DATA / f"{name}.csv", parse_dates=TIMES.get(name, []))


@pytest.fixture(scope="module")
def tables():
    return {n: csv(n) for n in ("leads", "opportunities", "touches", "campaigns")}


def test_earlier_wins_right_answer(tables):
    leads, opps = tables["leads"], tables["opportunities"]
    won = opps[(opps.outcome == "won") & (opps.closed_at >= "2025-07-01") & (opps.closed_at < "2025-10-01")]
    answer = int((won.merge(leads, on="lead_id").inquiry_at < "2025-07-01").sum())
    assert m01.check_earlier_wins(answer).ok
    assert m01.check_earlier_wins(float(answer)).ok
    assert m01.check_earlier_wins(answer + 1).status == "wrong"
    assert m01.check_earlier_wins(None).status == "todo"
    assert m01.check_earlier_wins(answer + 0.5).status == "wrong"
    assert m01.check_earlier_wins("many").status == "wrong"


def test_cohort_acceptance_right_answer(tables):
    leads = tables["leads"]
    q3 = leads[(leads.inquiry_at >= "2025-07-01") & (leads.inquiry_at < "2025-10-01") & leads.mql_at.notna()]
    share = q3.sal_at.notna().mean()
    assert m01.check_cohort_acceptance(share).ok
    assert m01.check_cohort_acceptance(share * 100).ok
    assert m01.check_cohort_acceptance(share * 0.8).status == "wrong"
    assert m01.check_cohort_acceptance([share]).status == "wrong"


def test_late_share_right_answer(tables):
    leads, touches = tables["leads"], tables["touches"]
    mqls = leads[(leads.inquiry_at < "2025-10-01") & leads.mql_at.notna()].merge(touches, on="lead_id", how="left")
    hours = (mqls.first_touch_at - mqls.mql_at).dt.total_seconds() / 3600
    share = (hours > 24).sum() / len(mqls)
    assert m02.check_late_share(share).ok
    assert m02.check_late_share((hours > 24).sum() / hours.notna().sum()).status == "wrong"  # contacted only
    assert m02.check_late_share("").status == "todo"


def test_win_rate_gap_right_answer(tables):
    leads, opps, campaigns = tables["leads"], tables["opportunities"], tables["campaigns"]
    o = opps.merge(leads[["lead_id", "campaign_id", "inquiry_at"]], on="lead_id").merge(
        campaigns[["campaign_id", "theme"]], on="campaign_id"
    )
    o = o[(o.inquiry_at < "2025-10-01") & o.outcome.isin(["won", "lost"])]
    rate = o.assign(won=o.outcome == "won").groupby(o.pitch_theme == o.theme)["won"].mean()
    gap = rate[True] - rate[False]
    assert m02.check_win_rate_gap(gap).ok
    assert m02.check_win_rate_gap(gap * 100).ok
    assert m02.check_win_rate_gap(-gap).status == "wrong"
    assert m02.check_win_rate_gap(None).status == "todo"


@pytest.mark.parametrize("quiz", [m01.quiz, m02.quiz], ids=["lesson 1", "lesson 2"])
def test_quiz_has_one_right_answer_each_with_feedback(quiz):
    questions = quiz()
    assert 3 <= len(questions) <= 5
    for q in questions:
        assert sum(a["correct"] for a in q["answers"]) == 1, q["question"]
        assert all(a["feedback"] for a in q["answers"])
        assert len({a["answer"] for a in q["answers"]}) == len(q["answers"])


@pytest.mark.parametrize(
    "chart", [lambda: m01.clocks_chart(m01.load_company()), m02.cost_chart], ids=["lesson 1", "lesson 2"]
)
def test_chart_has_exactly_one_bound_control_and_a_description(chart):
    view = chart()
    spec = view.spec()
    params = [p for p in spec.get("params", []) if "bind" in p]
    params += [p for layer in spec.get("layer", []) for p in layer.get("params", []) if "bind" in p]
    assert len(params) == 1
    assert view.description and spec["description"] == view.description
    data = [v for v in spec.get("datasets", {}).values()]
    assert data and all(len(rows) <= 500 for rows in data)


def test_quarter_explorer_shows_the_picked_quarter(tables):
    """The explorer (and its BENCH update) shows each team's count for the quarter picked."""
    leads, opps = tables["leads"], tables["opportunities"]

    def counts(start, end):
        inquiries = int(((leads.inquiry_at >= start) & (leads.inquiry_at < end)).sum())
        received = int(((leads.mql_at >= start) & (leads.mql_at < end)).sum())  # sales counts by MQL date
        won = int(((opps.outcome == "won") & (opps.closed_at >= start) & (opps.closed_at < end)).sum())
        return [f"<td>{n:,}</td>" for n in (inquiries, received, won)]

    pick, out = m01.quarter_explorer(m01.load_company()).children
    assert pick.value == "2025Q3" and "Marketing's report of 2025Q3" in out.value
    assert all(cell in out.value for cell in counts("2025-07-01", "2025-10-01"))
    assert m01.BENCH["quarter explorer update"]() == out.value
    pick.value = "2025Q4"
    assert "Sales' report of 2025Q4" in out.value
    assert all(cell in out.value for cell in counts("2025-10-01", "2026-01-01"))


def yearly_bill(i: dict) -> tuple[float, float]:
    """The calculator's counted total and mixed-messages ceiling, by the formulas of lesson 2 (12 months)."""
    spend = i["mqls_per_month"] * i["inquiries_per_mql"] * i["cost_per_lead"]
    counted = 12 * (
        i["mqls_per_month"] * i["leakage_rate"] * i["on_time_sql_rate"] * i["value_per_qualified_lead"]
        + i["mqls_per_month"]
        * i["late_share"]
        * (i["on_time_sql_rate"] - i["late_sql_rate"])
        * i["value_per_qualified_lead"]
        + spend * i["overlap_share"] * i["overlap_duplicate_rate"]
        + spend * (1 - i["overlap_share"]) * i["duplicate_rate"]
    )
    ceiling = 12 * (
        i["mqls_per_month"] * i["deals_per_mql"] * i["mismatch_share"] * i["win_rate_gap"] * i["average_deal"]
    )
    return counted, ceiling


def test_cost_calculator_adds_up_the_causes():
    inputs = m02.brightline_inputs("before")
    total, ceiling = yearly_bill(inputs)
    page = m02.BENCH["cost calculator update"]()
    assert f"<strong>${total:,.0f}</strong>" in page and f"up to ${max(ceiling, 0):,.0f}" in page
    box = m02.cost_calculator()
    out = box.children[-1]
    assert out.value == page
    sliders = {s.description: s for s in box.children[1:-1]}
    sliders["never contacted"].value = 0.0  # nobody left uncalled: that cause costs nothing
    assert "<td>leads never contacted</td><td>leads lost</td><td style='text-align:right'>$0</td>" in out.value
    assert f"<strong>${yearly_bill({**inputs, 'leakage_rate': 0.0})[0]:,.0f}</strong>" in out.value


def test_calculator_html_reports_bad_input_without_raising():
    inputs = {**m02.brightline_inputs("before"), "leakage_rate": 2.0}
    assert "leakage_rate" in m02.calculator_html(**inputs)


def test_lesson_2_prose_claims_hold():
    """What lesson 2 says in words about its numbers (the numbers themselves are glued)."""
    from alignkit.casedata.dataset import load_company
    from alignkit.lessons import m02_misalignment as m02
    from alignkit.metrics import funnel, misalignment

    d = load_company()
    before, after = m02.brightline_costs("before"), m02.brightline_costs("after")
    # "the overlapping campaigns stopped, almost every MQL was called within a day"
    assert after["spend"]["overlap_spend"] == 0
    leads_after = d.leads[d.leads["phase"] == "after"]
    assert funnel.response_summary(leads_after, d.touches, as_of=d.data_end)["within_24h"] > 0.9
    # "the mixed-messages ceiling fell too ... because fewer deals were pitched off-message"
    assert after["messages"]["mismatch_share"] < before["messages"]["mismatch_share"]
    # "these deals are simply lost more often to 'No decision' and 'Not a fit'"
    opps = misalignment.message_match(d.leads, d.opportunities, d.campaigns)
    lost = opps[opps["outcome"] == "lost"]
    share = lost.groupby("matched")["loss_reason"].value_counts(normalize=True).unstack()
    for reason in ("No decision", "Not a fit"):
        assert share.loc[False, reason] > share.loc[True, reason]
    # the waste is what bought no new lead: less than all spend on the overlap
    assert before["spend"]["wasted"] < before["spend"]["overlap_spend"] + before["spend"]["duplicate_cost"]
    # the biggest counted line is glued; the quiz does not hang on two near-equal amounts
    yearly = misalignment.yearly_costs(before)[list(misalignment.COUNTED)].sort_values()
    assert yearly.iloc[-1] > 1.5 * yearly.iloc[-2]


def test_lesson_1_prose_and_quiz_claims_hold():
    """Lesson 1 says the top complaint is "the same person, bought twice"; its quiz says 2025Q4 brought
    fewer MQLs than 2025Q3 and a larger share accepted."""
    from alignkit.casedata.dataset import load_company
    from alignkit.metrics import quarter_reports

    d = load_company()
    received = d.leads[d.leads["mql_at"].dt.to_period("Q").astype(str).eq("2025Q3")]
    not_accepted = received[received["sal_at"].isna()]
    reasons = d.feedback[d.feedback["lead_id"].isin(not_accepted["lead_id"])]["reason"].value_counts()
    assert reasons.drop("good fit").idxmax() == "duplicate"
    q3, q4 = (quarter_reports.marketing_report(d, q)["value"]["MQLs"] for q in ("2025Q3", "2025Q4"))
    assert q4 < q3
    assert quarter_reports.cohort_acceptance(d, "2025Q4") > quarter_reports.cohort_acceptance(d, "2025Q3")
