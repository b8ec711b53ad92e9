"""Unit economics, SLA and OKR scoring on hand-computed cases."""

import math

import pandas as pd
import pytest

from alignkit.metrics import economics, okr, sla


def test_cac_blended_and_paid():
    assert economics.cac(50_000, 100) == 500
    assert math.isnan(economics.cac(50_000, 0))
    with pytest.raises(ValueError, match="negative"):
        economics.cac(-1, 10)


def test_ltv_and_halving_churn_doubles_it():
    assert economics.ltv(100, 0.8, 0.02) == pytest.approx(4000)
    assert economics.ltv(100, 0.8, 0.01) == pytest.approx(8000)
    assert math.isnan(economics.ltv(100, 0.8, 0))
    with pytest.raises(ValueError, match="fraction"):
        economics.ltv(100, 80, 0.02)


def test_ltv_to_cac_and_payback():
    assert economics.ltv_to_cac(4000, 1000) == 4
    assert math.isnan(economics.ltv_to_cac(4000, 0))
    assert math.isnan(economics.ltv_to_cac(4000, math.nan))
    assert economics.payback_months(1200, 100, 0.8) == pytest.approx(15)
    assert math.isnan(economics.payback_months(1200, 0, 0.8))


def test_monthly_churn_rate_counts_customer_months():
    start = pd.Series(pd.to_datetime(["2025-01-01", "2025-01-01"]))
    churn = pd.Series(pd.to_datetime([None, "2025-02-01"]))
    # 151 days + 31 days of exposure to 2025-06-01, one churned
    rate = economics.monthly_churn_rate(start, churn, "2025-06-01")
    assert rate == pytest.approx(1 / ((151 + 31) / 30.44))
    assert math.isnan(economics.monthly_churn_rate(start.iloc[:0], churn.iloc[:0], "2025-06-01"))


def test_sla_backwards_from_goal():
    # Roberge-style: $100,000 at $2,000 a deal = 50 deals; 25 % close = 200 opps; 10 % lead->opp = 2,000 leads
    plan = sla.sla_from_goal(100_000, 2_000, 0.10, 0.25, marketing_share=1.0, months=4)
    assert plan.deals_needed == pytest.approx(50)
    assert plan.opportunities_needed == pytest.approx(200)
    assert plan.leads_needed == pytest.approx(2000)
    assert plan.leads_per_month == pytest.approx(500)
    half = sla.sla_from_goal(100_000, 2_000, 0.10, 0.25, marketing_share=0.5)
    assert half.leads_needed == pytest.approx(1000)
    assert sla.round_up(10.2) == 11 and sla.round_up(10.0) == 10


@pytest.mark.parametrize("args", [(100, 0, 0.1, 0.2), (100, 10, 0, 0.2), (100, 10, 0.1, 1.5), (-1, 10, 0.1, 0.2)])
def test_sla_rejects_impossible_inputs(args):
    with pytest.raises(ValueError, match="out of range"):
        sla.sla_from_goal(*args)


def test_okr_scores_both_directions_and_clamps():
    assert okr.score_key_result(0.30, 0.70, 0.50) == pytest.approx(0.5)
    assert okr.score_key_result(26, 2, 8) == pytest.approx(0.75)  # lower is better
    assert okr.score_key_result(26, 2, 30) == 0.0
    assert okr.score_key_result(26, 2, 1) == 1.0
    assert math.isnan(okr.score_key_result(5, 5, 5))


def test_objective_is_average_and_grades():
    assert okr.score_objective([1.0, 0.5, math.nan]) == pytest.approx(0.75)
    assert math.isnan(okr.score_objective([]))
    assert [okr.grade(x) for x in (0.0, 0.3, 0.4, 0.69, 0.7, 1.0)] == [
        "red",
        "red",
        "yellow",
        "yellow",
        "green",
        "green",
    ]
    assert okr.grade(math.nan) == "not scored"
    with pytest.raises(ValueError):
        okr.grade(1.5)
