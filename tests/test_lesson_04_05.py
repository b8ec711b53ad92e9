"""Lessons 4 and 5: the checkers accept the right answers (computed here with plain pandas on the
raw CSVs), say what is wrong otherwise, and never raise; quizzes, charts and BENCH are well formed."""

import json

import pandas as pd
import pytest

from alignkit.casedata import schema
from alignkit.lessons import m04_one_language as m04
from alignkit.lessons import m05_economics as m05

DATA = schema.DATA_DIR / "brightline"
LEADS = pd.read_csv(DATA / "leads.csv")
TOUCHES = pd.read_csv(DATA / "touches.csv")
PEOPLE = pd.read_csv(DATA / "people.csv")
CAMPAIGNS = pd.read_csv(DATA / "campaigns.csv")
CUSTOMERS = pd.read_csv(DATA / "customers.csv")
OPPS = pd.read_csv(DATA / "opportunities.csv")
BEFORE = LEADS[LEADS.inquiry_at < "2025-10-01"]
AFTER_MONTHS = [f"2026-{m:02d}" for m in range(1, 7)]


def plain_tradeoff(t):
    """MQLs a month, acceptance of contacted MQLs and capacity used at bar t, before the programme."""
    above = BEFORE[BEFORE.score >= t]
    contacted = above[above.mql_at.notna() & above.lead_id.isin(TOUCHES.lead_id)]
    months = BEFORE.inquiry_at.str[:7].nunique()
    capacity = (PEOPLE.role == "sales development rep").sum() * 100
    return len(above) / months, contacted.sal_at.notna().mean(), len(above) / months / capacity


def test_acceptance_exercise():
    rate = plain_tradeoff(55)[1]
    assert m04.check_acceptance(rate).ok
    assert m04.check_acceptance(rate * 100).ok
    assert not m04.check_acceptance(rate * 0.8).ok
    assert m04.check_acceptance(None).status == "todo"
    assert m04.check_acceptance("lots").status == "wrong"


def test_threshold_exercise_says_what_is_missing():
    passing = [t for t in range(35, 91) if plain_tradeoff(t)[2] <= 1 and plain_tradeoff(t)[1] >= m04.MIN_ACCEPTANCE]
    lowest = min(passing)
    assert m04.check_threshold(lowest).ok
    assert m04.check_threshold(str(lowest)).ok
    below = m04.check_threshold(lowest - 1)
    assert below.status == "wrong" and "accept only" in str(below)
    old_bar = m04.check_threshold(35)
    assert plain_tradeoff(35)[2] > 1 and "capacity" in str(old_bar) and "unworked" in str(old_bar)
    assert "unknown" in str(m04.check_threshold(20))
    assert "look at the SQLs" in m04.check_threshold(85).title
    for odd in (None, "", "high", 55.5, 101, True, [55]):
        fb = m04.check_threshold(odd)
        assert fb.status in ("todo", "wrong")


def test_agreement_and_slider_html():
    text = m04.agreement(55, ["decides for the business", "has a scheduling problem"])
    mqls = plain_tradeoff(55)[0]
    assert f"MQLs a month: {mqls:,.0f}" in text
    assert "acceptance reaches" in m04.tradeoff_html(55) and "unworked" in m04.tradeoff_html(35)
    with pytest.raises(ValueError):
        m04.agreement(120, ["x"])


def test_blended_cac_exercise():
    spend = CAMPAIGNS[CAMPAIGNS.month.isin(AFTER_MONTHS)].spend_usd.sum()
    people = PEOPLE.monthly_cost_usd.sum() * 6
    new = CUSTOMERS.start_date.str[:7].isin(AFTER_MONTHS).sum()
    right = (spend + people) / new
    assert m05.check_blended_cac(right).ok
    assert m05.check_blended_cac(f"{right:,.2f}").ok
    assert not m05.check_blended_cac(spend / new).ok  # media only is paid-style CAC, not blended
    assert m05.check_blended_cac(None).status == "todo"


def test_cheap_lead_exercise():
    paid = CAMPAIGNS[CAMPAIGNS.is_paid].channel.unique()
    leads = LEADS[LEADS.inquiry_at.str[:7].isin(AFTER_MONTHS)].channel.value_counts()
    spend = CAMPAIGNS[CAMPAIGNS.month.isin(AFTER_MONTHS)].groupby("channel").spend_usd.sum()
    cpl = (spend / leads)[paid]
    cheapest = cpl.idxmin()
    # LTV:CAC with people cost shared by leads and churn over all of a channel's customers
    won = CUSTOMERS.merge(OPPS[["opportunity_id", "lead_id"]]).merge(LEADS[["lead_id", "channel"]])
    start, end = pd.to_datetime(won.start_date), pd.to_datetime(won.churned_on)
    as_of = pd.Timestamp("2026-07-01")
    months = (end.fillna(as_of).clip(upper=as_of) - start).dt.days.clip(lower=0) / 30.44
    churn = (end.notna() & (end <= as_of)).groupby(won.channel).sum() / months.groupby(won.channel).sum()
    new = won[won.start_date.str[:7].isin(AFTER_MONTHS)]
    people = PEOPLE.monthly_cost_usd.sum() * 6 * leads / leads.sum()
    cac = (spend + people) / new.groupby("channel").size()
    ltv = new.groupby("channel").mrr_usd.mean() * new.groupby("channel").gross_margin.mean() / churn
    best = (ltv / cac)[paid].idxmax()
    assert m05.check_cheap_lead(cheapest, best).ok
    assert not m05.check_cheap_lead(best, cheapest).ok
    assert "not paid" in str(m05.check_cheap_lead("referrals", best))
    assert m05.check_cheap_lead(None, None).status == "todo"
    assert m05.check_cheap_lead(3, "nowhere").status == "wrong"


@pytest.mark.parametrize("quiz", [m04.quiz, m05.quiz])
def test_quizzes_have_one_right_answer_and_feedback(quiz):
    questions = quiz()
    assert 3 <= len(questions) <= 5
    for q in questions:
        assert sum(a["correct"] for a in q["answers"]) == 1, q["question"]
        assert all(a["feedback"] for a in q["answers"])


@pytest.mark.parametrize("build", [lambda: m04.threshold_chart(35), m05.ltv_cac_chart])
def test_charts_have_exactly_one_bound_control_and_small_data(build):
    view = build()
    spec = view.spec()
    bound = [p for p in spec.get("params", []) if "bind" in p]
    assert len(bound) == 1
    assert sum(len(v) for v in spec.get("datasets", {}).values()) < 300
    assert view.description and len(json.dumps(spec)) < 50_000


def test_threshold_slider_and_its_bench_update_show_the_bar():
    mqls, acceptance, used = plain_tradeoff(55)
    page = m04.BENCH["MQL threshold slider update"]()  # the slider at 55
    assert f"<strong>{mqls:,.0f}</strong>" in page and f"<strong>{used:.0%}</strong>" in page
    assert f"<strong>{acceptance:.0%}</strong>" in page
    slider, out = m04.threshold_slider(55).children[:2]
    assert out.value == page
    slider.value = 70
    assert f"<strong>{plain_tradeoff(70)[0]:,.0f}</strong>" in out.value


def test_what_if_calculator_and_its_bench_update_by_hand():
    # $20,000 a month buys 300 leads (CPL $67); 4 % become customers: 12 a month, CAC $20,000 / 12 = $1,667;
    # LTV = $150 × 80 % ÷ 2.1 % churn = $5,714; LTV:CAC 3.4 (meets 3); payback $1,667 ÷ $120 = 13.9 months (misses 12)
    page = m05.BENCH["what-if calculator update"]()
    for cell in (
        "<td>$67</td>",
        "<td>12.0</td>",
        "<strong>$1,667</strong>",
        "<strong>$5,714</strong>",
        "✓ <strong>3.4</strong>",
        "✗ <strong>13.9 months</strong>",
    ):
        assert cell in page, cell
    assert "✓" in m05.what_if_html(1000, 100, 0.1, 200, 0.8, 0.02)  # CAC 100, LTV 8,000
    calc = m05.what_if_calculator("webinars")
    assert "LTV:CAC" in calc.children[-1].value


def test_lesson_5_prose_claims_hold():
    """What lesson 5 says in words about its numbers (the numbers themselves are glued)."""
    from alignkit.casedata.dataset import load_company
    from alignkit.metrics import economics, satisfaction

    d = load_company()
    w = m05.windows()
    b, a = (economics.unit_economics(d, *w[p]) for p in ("before", "after"))
    assert a["ltv_to_cac"] >= economics.LTV_TO_CAC_RULE > b["ltv_to_cac"]
    assert a["payback_months"] > economics.PAYBACK_RULE_MONTHS  # "payback is still longer than his 12 months"
    assert b["ltv_to_cac"] < 1.5  # "spent almost as much winning a customer as it would ever bring back"
    spend = {k: (u["media_spend"] + u["people_cost"]) / u["months"] for k, u in (("b", b), ("a", a))}
    assert abs(spend["a"] / spend["b"] - 1) < 0.1  # "spend changed little"
    after = m05.channel_table("after")
    happy = satisfaction.satisfaction_by_channel(d)
    # "the same channels rank the same way on LTV:CAC": best and worst NPS are best and worst LTV:CAC
    assert happy["nps"].idxmax() == after["ltv_to_cac"].idxmax()
    assert happy["nps"].idxmin() == after["ltv_to_cac"].idxmin()
    assert happy.loc[happy["nps"].idxmax(), "monthly_churn"] == happy["monthly_churn"].min()
    assert growth_fell()
    assert happy.loc[happy["nps"].idxmin(), "monthly_churn"] == happy["monthly_churn"].max()
    stages = economics.cost_along_funnel(d, *w["after"])
    assert stages.loc["paid social", "cost_per_lead"] < stages.loc["paid search", "cost_per_lead"]
    assert stages.loc["paid social", "cost_per_sql"] > stages.loc["paid search", "cost_per_sql"]


def growth_fell():
    """Lesson 5 Step 1: "New MRR fell by … in the programme's first quarter"."""
    from alignkit.casedata.dataset import load_company
    from alignkit.metrics import economics

    growth = economics.new_mrr(load_company().customers, "Q")
    return growth.index[3] == "2025Q4" and growth["growth"].iloc[3] < 0 < growth["growth"].iloc[4]
