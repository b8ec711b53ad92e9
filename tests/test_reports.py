"""Marketing's report, sales' report and the reconciled view, on a tiny company counted by hand."""

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from alignkit.metrics import quarter_reports


def ts(s):
    return pd.Timestamp(s) if s else pd.NaT


STAGE_COLUMNS = ["inquiry_at", "mql_at", "sal_at", "sql_at", "opportunity_at", "won_at"]


def company():
    """Five leads. Q3 = July to September 2025.

    L1: Q2 inquiry, accepted in Q2, won in Q3 (an earlier inquiry that sales wins in Q3).
    L2: Q3 inquiry, MQL, accepted, opportunity and won in Q3.
    L3: Q3 inquiry, MQL, contacted, never accepted (rejected).
    L4: Q3 inquiry, MQL, never contacted (not worked).
    L5: Q3 inquiry, not an MQL.
    L6: Q3 inquiry, MQL in Q3, accepted in Q3, deal opened in Q3, won in Q4 (cohort, later).
    """
    rows = [
        ("L1", "paid search", "2025-06-01", "2025-06-01", "2025-06-02", "2025-06-05", "2025-06-08", "2025-07-10"),
        ("L2", "paid search", "2025-07-01", "2025-07-01", "2025-07-02", "2025-07-05", "2025-07-08", "2025-08-01"),
        ("L3", "content", "2025-07-03", "2025-07-03", None, None, None, None),
        ("L4", "content", "2025-08-01", "2025-08-01", None, None, None, None),
        ("L5", "content", "2025-09-01", None, None, None, None, None),
        ("L6", "paid search", "2025-09-10", "2025-09-10", "2025-09-11", "2025-09-15", "2025-09-20", "2025-10-20"),
    ]
    leads = pd.DataFrame(rows, columns=["lead_id", "channel", *STAGE_COLUMNS])
    for c in STAGE_COLUMNS:
        leads[c] = leads[c].map(ts)
    campaigns = pd.DataFrame(
        {
            "campaign_id": ["C1", "C2", "C3", "C4"],
            "channel": ["paid search", "content", "paid search", "content"],
            "month": pd.to_datetime(["2025-07-01", "2025-08-01", "2025-06-01", "2025-10-01"]),
            "spend_usd": [300.0, 100.0, 999.0, 999.0],
            "overlaps_main_campaign": [False] * 4,
        }
    )
    touches = pd.DataFrame({"lead_id": ["L1", "L2", "L3", "L6"]})
    opps = pd.DataFrame(
        {
            "opportunity_id": ["O1", "O2", "O6", "O9"],
            "lead_id": ["L1", "L2", "L6", "L3"],
            "created_at": [ts("2025-06-08"), ts("2025-07-08"), ts("2025-09-20"), ts("2025-07-20")],
            "outcome": ["won", "won", "won", "lost"],
            "closed_at": [ts("2025-07-10"), ts("2025-08-01"), ts("2025-10-20"), ts("2025-08-20")],
            "amount_usd": [1000.0, 2000.0, 4000.0, 500.0],
        }
    )
    return SimpleNamespace(leads=leads, campaigns=campaigns, touches=touches, opportunities=opps)


DATA = company()


def test_quarters_are_those_with_inquiries():
    assert quarter_reports.quarters(DATA) == ["2025Q2", "2025Q3"]


def test_marketing_counts_the_cohort_and_divides_the_quarters_spend():
    r = quarter_reports.marketing_report(DATA, "2025Q3")["value"]
    assert r["inquiries"] == 5 and r["MQLs"] == 4
    assert r["MQL rate"] == pytest.approx(4 / 5)
    assert r["campaign spend"] == 400.0
    assert r["cost per inquiry"] == pytest.approx(80.0)
    assert r["cost per MQL"] == pytest.approx(100.0)


def test_marketing_by_channel():
    by = quarter_reports.marketing_by_channel(DATA, "2025Q3")
    assert by.loc["content", "inquiries"] == 3 and by.loc["content", "MQLs"] == 2
    assert by.loc["content", "cost per MQL"] == pytest.approx(50.0)
    assert by.loc["paid search", "cost per MQL"] == pytest.approx(150.0)


def test_sales_counts_activity_in_the_quarter():
    r = quarter_reports.sales_report(DATA, "2025Q3")["value"]
    assert r["MQLs received"] == 4  # L2, L3, L4, L6
    assert r["MQLs not worked (never contacted)"] == 1  # L4
    assert r["MQLs rejected (contacted, not accepted)"] == 1  # L3
    assert r["leads accepted"] == 2  # L2, L6
    assert r["opportunities opened"] == 3  # O2, O6, O9
    assert r["deals won"] == 2 and r["deals lost"] == 1  # O1 and O2 won, O9 lost; O6 closes in Q4
    assert r["win rate"] == pytest.approx(2 / 3)
    assert r["new annual contract value"] == 3000.0
    assert r["average deal"] == pytest.approx(1500.0)  # 3000 over the two deals won


def test_reconciled_view_adds_up_both_ways():
    v = quarter_reports.reconciled_view(DATA, "2025Q3")
    assert v.loc["Won", "cohort, to date"] == 2  # L2 and L6
    assert v.loc["Won", "cohort, in the quarter"] == 1  # L2
    assert v.loc["Won", "cohort, later"] == 1  # L6
    assert v.loc["Won", "earlier inquiries, in the quarter"] == 1  # L1
    assert v.loc["Won", "in the quarter, all"] == 2
    assert v.loc["revenue (USD a year)", "cohort, to date"] == 6000.0
    assert v.loc["revenue (USD a year)", "in the quarter, all"] == 3000.0
    assert (v["in the quarter, all"] == v["cohort, in the quarter"] + v["earlier inquiries, in the quarter"]).all()
    assert (v["cohort, to date"] == v["cohort, in the quarter"] + v["cohort, later"]).all()
    assert quarter_reports.cohort_acceptance(DATA, "2025Q3") == pytest.approx(2 / 4)


def test_zero_denominators_give_nan_not_zero():
    # 2025Q2 has one inquiry and one MQL but no campaign rows other than June's; no deal closed in Q2
    r = quarter_reports.sales_report(DATA, "2025Q2")["value"]
    assert r["deals won"] == 0 and math.isnan(r["win rate"])
    empty = SimpleNamespace(
        leads=DATA.leads.assign(mql_at=pd.NaT),
        campaigns=DATA.campaigns,
        touches=DATA.touches,
        opportunities=DATA.opportunities,
    )
    m = quarter_reports.marketing_report(empty, "2025Q3")["value"]
    assert m["MQLs"] == 0 and math.isnan(m["cost per MQL"])
    assert math.isnan(quarter_reports.cohort_acceptance(empty, "2025Q3"))


def test_bad_quarter_names_what_is_expected():
    with pytest.raises(ValueError, match="2025Q3"):
        quarter_reports.marketing_report(DATA, "July")
    with pytest.raises(ValueError, match="no inquiry arrived in 2024Q1"):
        quarter_reports.sales_report(DATA, "2024Q1")
    empty = SimpleNamespace(
        leads=DATA.leads.iloc[0:0], campaigns=DATA.campaigns, touches=DATA.touches, opportunities=DATA.opportunities
    )
    assert quarter_reports.quarters(empty) == []
    with pytest.raises(ValueError, match="no quarter"):
        quarter_reports.reconciled_view(empty, "2025Q3")


def test_format_report_writes_units():
    shown = quarter_reports.format_report(quarter_reports.marketing_report(DATA, "2025Q3"))["value"]
    assert shown["MQL rate"] == "80.0%" and shown["campaign spend"] == "$400" and shown["cost per MQL"] == "$100"


def test_clocks_by_quarter_is_long_and_small():
    long = quarter_reports.clocks_by_quarter(DATA)
    assert set(long["clock"]) == {"by inquiry date (cohort)", "by activity date (in the quarter)"}
    assert len(long) == 2 * 6 * 2  # quarters × stages × clocks
