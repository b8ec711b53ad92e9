"""The costs of misalignment on tables small enough to count by hand, and the calculator's arithmetic."""

import math

import pandas as pd
import pytest

from alignkit.metrics import misalignment as mis


def ts(s):
    return pd.Timestamp(s) if s else pd.NaT


def leads_and_touches():
    """Six MQLs and one non-MQL. Response: L1 0.5 h, L2 5 h, L3 30 h, L4 48 h, L5 and L6 never."""
    leads = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(1, 8)],
            "contact_id": ["K1", "K2", "K3", "K1", "K5", "K6", "K2"],
            "campaign_id": ["C1", "C1", "C1", "C2", "C1", "C2", "C2"],
            "inquiry_at": [ts(f"2025-01-0{i} 00:00") for i in range(1, 8)],
            "mql_at": [ts(f"2025-01-0{i} 01:00") for i in range(1, 7)] + [pd.NaT],
            "sql_at": [ts("2025-01-10"), pd.NaT, ts("2025-01-10"), pd.NaT, pd.NaT, pd.NaT, pd.NaT],
            "won_at": [ts("2025-02-01"), pd.NaT, pd.NaT, pd.NaT, pd.NaT, pd.NaT, pd.NaT],
        }
    )
    touches = pd.DataFrame(
        {
            "lead_id": ["L1", "L2", "L3", "L4"],
            "first_touch_at": [
                ts("2025-01-01 01:30"),
                ts("2025-01-02 06:00"),
                ts("2025-01-04 07:00"),
                ts("2025-01-06 01:00"),
            ],
        }
    )
    return leads, touches


def test_response_band_marks():
    hours = pd.Series([0.5, 1.0, 1.5, 24.0, 24.5, float("nan")])
    assert mis.response_band(hours).astype(str).tolist() == ["< 1 h", "< 1 h", "1–24 h", "1–24 h", "> 24 h", "never"]


def test_response_bands_count_and_rate():
    leads, touches = leads_and_touches()
    bands = mis.response_bands(leads, touches)
    assert bands["mqls"].tolist() == [1, 1, 2, 2]
    assert bands["sqls"].tolist() == [1, 0, 1, 0]
    assert bands.loc["> 24 h", "sql_rate"] == pytest.approx(0.5)
    assert bands["share"].sum() == pytest.approx(1.0)


def test_leads_lost_by_hand():
    leads, touches = leads_and_touches()
    opps = pd.DataFrame({"lead_id": ["L1", "L3"], "outcome": ["won", "lost"], "amount_usd": [1200.0, 900.0]})
    lost = mis.leads_lost(leads, touches, opps)
    # on time (within a day): L1, L2 → 1 SQL of 2; late: L3, L4 → 1 of 2; never: L5, L6
    assert lost["on_time_sql_rate"] == pytest.approx(0.5)
    assert lost["late_sql_rate"] == pytest.approx(0.5)
    assert lost["lost_sqls_never"] == pytest.approx(2 * 0.5)
    assert lost["lost_sqls_late"] == pytest.approx(0.0)
    # SQL→won = 1 of 2; average won deal 1200 → 600 per SQL
    assert lost["value_per_qualified_lead"] == pytest.approx(600.0)
    assert lost["cost_never"] == pytest.approx(600.0)


def test_no_sql_or_no_win_is_nan():
    leads, touches = leads_and_touches()
    no_opps = pd.DataFrame({"lead_id": [], "outcome": [], "amount_usd": []})
    assert math.isnan(mis.value_per_qualified_lead(leads.assign(won_at=pd.NaT), no_opps))
    empty = mis.response_bands(leads.iloc[0:0], touches)
    assert empty["mqls"].sum() == 0 and empty["sql_rate"].isna().all()


def test_duplicates_and_wasted_spend():
    leads, _ = leads_and_touches()
    dup = mis.is_duplicate(leads)
    assert dup.tolist() == [False, False, False, True, False, False, True]  # K1 and K2 come back
    campaigns = pd.DataFrame(
        {"campaign_id": ["C1", "C2"], "spend_usd": [400.0, 300.0], "overlaps_main_campaign": [False, True]}
    )
    waste = mis.wasted_spend(leads, campaigns, dup)
    assert waste["overlap_spend"] == 300.0 and waste["overlap_share"] == pytest.approx(3 / 7)
    # C1 (main) has 4 leads at 100 each, none a duplicate; C2 (overlapping) has 3 leads at 100 each,
    # two of them duplicates (L4 is K1 again, L7 is K2 again): 200 of its 300 added nobody
    assert waste["main_duplicates"] == 0 and waste["duplicate_cost"] == 0.0
    assert waste["overlap_duplicates"] == 2 and waste["overlap_duplicate_rate"] == pytest.approx(2 / 3)
    assert waste["overlap_wasted"] == pytest.approx(200.0) and waste["wasted"] == pytest.approx(200.0)
    campaigns["overlaps_main_campaign"] = False
    waste = mis.wasted_spend(leads, campaigns, dup)
    # now C2 is a main campaign: the same two duplicates, counted as the main campaigns' waste
    assert waste["main_duplicates"] == 2 and waste["duplicate_cost"] == pytest.approx(200.0)
    assert waste["overlap_wasted"] == 0.0 and waste["wasted"] == pytest.approx(200.0)


def test_mixed_message_cost_by_hand():
    leads = pd.DataFrame({"lead_id": ["A", "B", "C", "D", "E"], "campaign_id": ["C1"] * 5})
    campaigns = pd.DataFrame({"campaign_id": ["C1"], "theme": ["fewer no-shows"]})
    opps = pd.DataFrame(
        {
            "lead_id": ["A", "B", "C", "D", "E"],
            "pitch_theme": [
                "fewer no-shows",
                "fewer no-shows",
                "get paid faster",
                "get paid faster",
                "get paid faster",
            ],
            "outcome": ["won", "lost", "lost", "lost", "open"],
            "amount_usd": [1000.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    cost = mis.mixed_message_cost(leads, opps, campaigns)
    assert cost["win_rate_matched"] == pytest.approx(0.5)
    assert cost["win_rate_mismatched"] == pytest.approx(0.0)
    assert cost["mismatched"] == 3 and cost["mismatch_share"] == pytest.approx(3 / 5)
    assert cost["average_deal"] == pytest.approx(1000.0)
    assert cost["ceiling_deals"] == pytest.approx(3 * 0.5)
    assert cost["cost"] == pytest.approx(3 * 0.5 * 1000.0)


INPUTS = dict(
    mqls_per_month=100.0,
    leakage_rate=0.2,
    late_share=0.3,
    value_per_qualified_lead=500.0,
    on_time_sql_rate=0.4,
    late_sql_rate=0.1,
    inquiries_per_mql=2.0,
    cost_per_lead=50.0,
    overlap_share=0.25,
    overlap_duplicate_rate=0.4,
    duplicate_rate=0.1,
    deals_per_mql=0.1,
    mismatch_share=0.5,
    win_rate_gap=0.2,
    average_deal=2000.0,
)


def test_calculator_by_hand():
    cost = mis.misalignment_cost(**INPUTS)["yearly_cost"]
    assert cost["leads never contacted"] == pytest.approx(1200 * 0.2 * 0.4 * 500)
    assert cost["leads called late"] == pytest.approx(1200 * 0.3 * 0.3 * 500)
    assert cost["overlap that added nobody"] == pytest.approx(1200 * 2 * 50 * 0.25 * 0.4)
    assert cost["duplicates from main campaigns"] == pytest.approx(1200 * 2 * 50 * 0.75 * 0.1)
    assert cost["mixed messages"] == pytest.approx(1200 * 0.1 * 0.5 * 0.2 * 2000)
    evidence = mis.misalignment_cost(**INPUTS)["evidence"]
    assert evidence["mixed messages"] == "if the pitch is the cause"
    assert (evidence.drop("mixed messages") == "counted").all()


def test_calculator_zero_team_costs_nothing_and_bad_input_is_named():
    assert mis.misalignment_cost(**{**INPUTS, "mqls_per_month": 0.0})["yearly_cost"].sum() == 0
    with pytest.raises(ValueError, match="leakage_rate"):
        mis.misalignment_cost(**{**INPUTS, "leakage_rate": 1.5})
    with pytest.raises(ValueError, match="mqls_per_month"):
        mis.misalignment_cost(**{**INPUTS, "mqls_per_month": -1})
    with pytest.raises(ValueError, match="cannot exceed 1"):
        mis.misalignment_cost(**{**INPUTS, "leakage_rate": 0.6, "late_share": 0.6})
    with pytest.raises(ValueError, match="win_rate_gap"):
        mis.misalignment_cost(**{**INPUTS, "win_rate_gap": 2})


def test_cost_curve_is_linear_in_volume():
    curve = mis.cost_curve({"x": INPUTS}, [100, 200])
    totals = curve.groupby("mqls_per_month")["yearly_cost"].sum()
    assert totals[200] == pytest.approx(2 * totals[100], abs=5)
    assert len(curve) == 2 * len(mis.COUNTED)
    assert "mixed messages" not in set(curve["cause"])  # a ceiling, not part of the bill


def test_brightline_calculator_matches_the_data():
    """At the inputs read from the data the calculator gives the data's yearly bill (duplicates to within 5 %)."""
    from alignkit.casedata.dataset import load_company

    d = load_company("brightline")
    data_bill = mis.yearly_costs(mis.phase_costs(d, "before"))
    calc = mis.misalignment_cost(**mis.calculator_inputs(d, "before"))["yearly_cost"]
    for cause in ("leads never contacted", "leads called late", "mixed messages"):
        assert calc[cause] == pytest.approx(data_bill[cause], rel=1e-9)
    # cost per lead varies from campaign to campaign; the calculator uses the average
    for cause in ("overlap that added nobody", "duplicates from main campaigns"):
        assert calc[cause] == pytest.approx(data_bill[cause], rel=0.05)
    with pytest.raises(ValueError, match="unknown phase"):
        mis.phase_costs(d, "later")
