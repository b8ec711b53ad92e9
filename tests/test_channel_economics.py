"""Revenue growth, blended and paid CAC, and channel economics on a tiny hand-made company."""

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from alignkit.metrics import economics

T = pd.Timestamp


def company():
    """Two months (2025-01, 2025-02), two channels, two people.

    ads (paid):    leads L1 L2 L3 in January; campaign spend 300 in Jan, 100 in Feb; one customer A1
    blog (unpaid): lead L4 in February; spend 0 in Jan, 100 in Feb; one customer A2
    people: 1,000 + 500 a month
    """
    campaigns = pd.DataFrame(
        {
            "channel": ["ads", "ads", "blog", "blog"],
            "is_paid": [True, True, False, False],
            "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-01", "2025-02-01"]),
            "spend_usd": [300.0, 100.0, 0.0, 100.0],
        }
    )
    leads = pd.DataFrame(
        {
            "lead_id": ["L1", "L2", "L3", "L4"],
            "channel": ["ads", "ads", "ads", "blog"],
            "segment": ["solo"] * 4,
            "inquiry_at": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-04", "2025-02-02"]),
        }
    )
    opportunities = pd.DataFrame({"opportunity_id": ["O1", "O2"], "lead_id": ["L1", "L4"]})
    customers = pd.DataFrame(
        {
            "customer_id": ["A1", "A2"],
            "opportunity_id": ["O1", "O2"],
            "start_date": pd.to_datetime(["2025-01-20", "2025-02-15"]),
            "mrr_usd": [100.0, 200.0],
            "gross_margin": [0.8, 0.9],
            "churned_on": pd.to_datetime([pd.NaT, pd.NaT]),
        }
    )
    people = pd.DataFrame({"monthly_cost_usd": [1000.0, 500.0]})
    return SimpleNamespace(
        campaigns=campaigns,
        leads=leads,
        opportunities=opportunities,
        customers=customers,
        people=people,
        data_end=T("2025-03-01"),
    )


def test_new_mrr_and_growth():
    d = company()
    monthly = economics.new_mrr(d.customers, "M")
    assert monthly["new_customers"].tolist() == [1, 1]
    assert monthly["new_mrr"].tolist() == [100.0, 200.0]
    assert math.isnan(monthly["growth"].iloc[0]) and monthly["growth"].iloc[1] == pytest.approx(1.0)
    gap = pd.DataFrame({"start_date": pd.to_datetime(["2025-01-05", "2025-03-05"]), "mrr_usd": [50.0, 80.0]})
    filled = economics.new_mrr(gap, "M")
    assert filled["new_mrr"].tolist() == [50.0, 0.0, 80.0]  # a month with no customer shows 0
    assert math.isnan(filled["growth"].iloc[2])  # growth from 0 is not a number
    assert economics.new_mrr(gap.iloc[:0]).empty
    with pytest.raises(ValueError, match="freq"):
        economics.new_mrr(gap, "Y")


def test_acquisition_costs_blended_and_paid():
    c = economics.acquisition_costs(company(), "2025-01", "2025-02")
    # blended: (500 media + 2 months x 1,500 people) / 2 customers
    assert c["blended_cac"] == pytest.approx(1750)
    # paid: ads spend 400 / 1 ads customer
    assert c["paid_cac"] == pytest.approx(400) and c["paid_customers"] == 1
    jan = economics.acquisition_costs(company(), "2025-01", "2025-01")
    assert jan["new_customers"] == 1 and jan["blended_cac"] == pytest.approx(1800)
    with pytest.raises(ValueError, match="before"):
        economics.acquisition_costs(company(), "2025-02", "2025-01")
    with pytest.raises(ValueError, match="YYYY-MM"):
        economics.acquisition_costs(company(), "January", "2025-02")


def test_channel_economics_by_hand():
    t = economics.channel_economics(company(), "2025-01", "2025-02")
    ads, blog = t.loc["ads"], t.loc["blog"]
    assert ads["paid"] and not blog["paid"]
    assert ads["cost_per_lead"] == pytest.approx(400 / 3)
    assert ads["people_cost"] == pytest.approx(3000 * 3 / 4)  # 3 of 4 leads
    assert ads["cac"] == pytest.approx(400 + 2250) and ads["media_cac"] == 400
    assert blog["cac"] == pytest.approx(100 + 750)
    # nobody churned: LTV cannot be estimated, so it is NaN, not infinite
    assert math.isnan(ads["ltv"]) and math.isnan(ads["ltv_to_cac"])
    assert ads["payback_months"] == pytest.approx(2650 / 80)
    media_only = economics.channel_economics(company(), "2025-01", "2025-02", people_cost="none")
    assert media_only.loc["ads", "cac"] == 400
    with pytest.raises(ValueError, match="people_cost"):
        economics.channel_economics(company(), "2025-01", "2025-02", people_cost="by deals")


def test_channel_with_no_customer_and_churn():
    d = company()
    d.customers.loc[0, "churned_on"] = T("2025-02-19")  # A1 lived 30 days
    t = economics.channel_economics(d, "2025-02", "2025-02")
    assert t.loc["ads", "new_customers"] == 0 and math.isnan(t.loc["ads", "cac"])
    assert math.isnan(t.loc["ads", "cost_per_lead"])  # no ads lead in February
    assert t.loc["ads", "monthly_churn"] == pytest.approx(1 / (30 / 30.44))
    u = economics.unit_economics(d, "2025-01", "2025-02")
    assert u["arpa"] == 150 and u["ltv_to_cac"] == pytest.approx(u["ltv"] / 1750)


def test_phase_windows():
    profile = SimpleNamespace(first_month="2025-01", months=18, programme_start="2025-10-01", dip_months=3)
    assert economics.phase_windows(profile) == {
        "before": ("2025-01", "2025-09"),
        "first quarter": ("2025-10", "2025-12"),
        "after": ("2026-01", "2026-06"),
    }
    assert economics.phase_windows(
        SimpleNamespace(first_month="2025-01", months=2, programme_start=None, dip_months=3)
    ) == {"before": ("2025-01", "2025-02")}


def test_what_if_by_hand():
    r = economics.what_if(20_000, 500, 0.02, 150, 0.8, 0.025)
    assert r["cost_per_lead"] == 40 and r["customers_per_month"] == 10
    assert r["cac"] == 2000 and r["ltv"] == pytest.approx(4800)
    assert r["ltv_to_cac"] == pytest.approx(2.4) and r["payback_months"] == pytest.approx(2000 / 120)
    none = economics.what_if(20_000, 0, 0.02, 150, 0.8, 0.025)
    assert math.isnan(none["cost_per_lead"]) and math.isnan(none["cac"]) and math.isnan(none["ltv_to_cac"])
    with pytest.raises(ValueError, match="fraction"):
        economics.what_if(1, 1, 2, 1, 0.8, 0.02)
    with pytest.raises(ValueError, match="monthly_spend"):
        economics.what_if(-1, 1, 0.1, 1, 0.8, 0.02)
