"""Funnel metrics on small tables whose answers are counted by hand."""

import math

import pandas as pd
import pytest

from alignkit.metrics import funnel


def ts(s):
    return pd.Timestamp(s) if s else pd.NaT


def make_leads(rows):
    """rows: (channel, inquiry, mql, sal, sql, opportunity, won) as strings or None."""
    cols = ["channel", *[f"{s}_at" for s in funnel.STAGES]]
    frame = pd.DataFrame(rows, columns=cols)
    for c in cols[1:]:
        frame[c] = frame[c].map(ts)
    frame.insert(0, "lead_id", [f"L{i}" for i in range(len(frame))])
    return frame


LEADS = make_leads(
    [
        (
            "a",
            "2025-01-01 00:00",
            "2025-01-01 12:00",
            "2025-01-03 12:00",
            "2025-01-05 12:00",
            "2025-01-06 12:00",
            "2025-01-26 12:00",
        ),
        ("a", "2025-01-02 00:00", "2025-01-02 12:00", "2025-01-03 12:00", None, None, None),
        ("a", "2025-01-03 00:00", "2025-01-03 06:00", None, None, None, None),
        ("b", "2025-01-04 00:00", None, None, None, None, None),
    ]
)


def test_counts_go_down_stage_by_stage():
    counts = funnel.funnel_counts(LEADS).iloc[0].tolist()
    assert counts == [4, 3, 2, 1, 1, 1]


def test_conversion_is_later_over_earlier():
    rates = funnel.stage_conversion(LEADS).iloc[0]
    assert rates["inquiry→mql"] == pytest.approx(3 / 4)
    assert rates["mql→sal"] == pytest.approx(2 / 3)
    assert rates["sal→sql"] == pytest.approx(1 / 2)
    assert rates["inquiry→won"] == pytest.approx(1 / 4)


def test_conversion_by_group_and_zero_denominator_is_nan():
    rates = funnel.stage_conversion(LEADS, "channel")
    assert rates.loc["a", "inquiry→mql"] == 1.0
    assert rates.loc["b", "inquiry→mql"] == 0.0
    assert math.isnan(rates.loc["b", "mql→sal"])  # nobody in b reached MQL


def test_empty_table_gives_empty_result_not_error():
    empty = LEADS.iloc[0:0]
    assert funnel.funnel_counts(empty).iloc[0].sum() == 0
    assert funnel.stage_conversion(empty).iloc[0].isna().all()
    with pytest.raises(ValueError, match="no step"):
        funnel.biggest_drop(empty)


def test_conversion_rate_edge_cases():
    assert math.isnan(funnel.conversion_rate(0, 0))
    assert funnel.conversion_rate(0, 5) == 0.0


def test_velocity_is_median_days_between_stages():
    v = funnel.stage_velocity(LEADS).iloc[0]
    # MQL->SAL: lead 0 took 2.0 days, lead 1 took 1.0 day -> median 1.5
    assert v["mql→sal"] == pytest.approx(1.5)
    assert v["opportunity→won"] == pytest.approx(20.0)
    assert v["inquiry→mql"] == pytest.approx(0.5)  # 0.5, 0.5, 0.25 -> median 0.5


def test_leads_lost_and_biggest_drop():
    lost = funnel.leads_lost(LEADS)
    assert lost["inquiry→mql"] == 1 and lost["mql→sal"] == 1 and lost["sal→sql"] == 1
    assert funnel.biggest_drop(LEADS) == "inquiry→mql"  # ties go to the earliest step


def test_response_time_and_leakage():
    touches = pd.DataFrame(
        {"lead_id": ["L0", "L1"], "first_touch_at": [ts("2025-01-01 12:30"), ts("2025-01-03 12:00")]}
    )
    hours = funnel.response_hours(LEADS, touches)
    assert hours["L0"] == pytest.approx(0.5)
    assert hours["L1"] == pytest.approx(24.0)
    assert math.isnan(hours["L2"])
    s = funnel.response_summary(LEADS, touches, as_of="2025-03-01")
    assert s["mqls"] == 3 and s["contacted"] == 2
    assert s["leakage"] == pytest.approx(1 / 3)
    assert s["within_1h"] == pytest.approx(1 / 3)
    assert s["within_24h"] == pytest.approx(2 / 3)
    assert s["median_hours"] == pytest.approx(12.25)


def test_fresh_mqls_are_not_counted_as_leaked():
    touches = pd.DataFrame({"lead_id": [], "first_touch_at": pd.Series([], dtype="datetime64[ns]")})
    s = funnel.response_summary(LEADS, touches, as_of="2025-01-10", grace_days=14)
    assert s["mqls"] == 0 and math.isnan(s["leakage"])


def test_programme_phase_labels():
    when = pd.Series(pd.to_datetime(["2025-09-30", "2025-10-01", "2025-12-31", "2026-01-01"]))
    assert funnel.programme_phase(when, "2025-10-01", 3).tolist() == [
        "before",
        "first quarter",
        "first quarter",
        "after",
    ]
    assert funnel.programme_phase(when, None).tolist() == ["before"] * 4


def test_win_rate_ignores_open_deals():
    opps = pd.DataFrame({"outcome": ["won", "lost", "lost", "open"]})
    assert funnel.win_rate(opps) == pytest.approx(1 / 3)
    assert math.isnan(funnel.win_rate(opps.iloc[3:]))


def test_unknown_stage_is_named():
    with pytest.raises(ValueError, match="unknown stage 'lead'"):
        funnel.stage_column("lead")


def test_acquisition_framework_by_hand():
    """Leads 0 and 1 arrive before the programme, 2 and 3 after it (LEADS above, counted by hand)."""
    leads = LEADS.assign(phase=["before", "before", "after", "after"])
    table = funnel.acquisition_framework(leads)
    steps = ["inquiry→mql", "mql→sal", "sal→sql", "sql→opportunity", "opportunity→won"]
    assert list(table.index) == steps and table.index.name == "step"
    assert table["owner"].tolist() == ["marketing", "both", "sales", "sales", "sales"]
    assert set(table.columns) == {
        "owner",
        "conversion before",
        "conversion after",
        "median days before",
        "median days after",
    }
    # before: 2 inquiries, 2 MQLs, 2 SALs, 1 SQL, 1 opportunity, 1 won
    assert table["conversion before"].tolist() == [1.0, 1.0, 0.5, 1.0, 1.0]
    # days: MQL 12 h after inquiry for both; SAL 2 and 1 days after MQL; then 2, 1 and 20 days for lead 0
    assert table["median days before"].tolist() == [0.5, 1.5, 2.0, 1.0, 20.0]
    # after: 2 inquiries, 1 MQL (6 h later), no SAL; a step nobody reached has no rate and no days
    after = table["conversion after"]
    assert after.iloc[:2].tolist() == [0.5, 0.0] and after.iloc[2:].isna().all()
    assert table["median days after"].iloc[0] == 0.25 and table["median days after"].iloc[1:].isna().all()
    with pytest.raises(ValueError, match="phase"):
        funnel.acquisition_framework(LEADS)
