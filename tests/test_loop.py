"""Closed-loop feedback on a tiny company whose answers are counted by hand."""

import math

import pandas as pd
import pytest

from alignkit.metrics import loop


def ts(s):
    return pd.Timestamp(s) if s else pd.NaT


LEADS = pd.DataFrame(
    {
        "lead_id": ["L1", "L2", "L3", "L4"],
        "campaign_id": ["C1", "C1", "C2", "C2"],
        "channel": ["search", "search", "social", "social"],
        "phase": ["before"] * 4,
    }
)
CAMPAIGNS = pd.DataFrame(
    {"campaign_id": ["C1", "C2"], "name": ["Search Jan", "Social Jan"], "theme": ["save time", "fill calendar"]}
)
TOUCHES = pd.DataFrame(
    {
        "lead_id": ["L1", "L2", "L3"],
        "rep_id": ["R1"] * 3,
        "first_touch_at": [ts("2026-01-01"), ts("2026-01-02"), ts("2026-01-03")],
    }
)
FEEDBACK = pd.DataFrame(
    {
        "lead_id": ["L1", "L2", "L3", "L4"],
        "rep_id": ["R1"] * 4,
        "given_at": [ts("2026-01-02")] * 4,
        "rating": [5, 2, 1, 2],
        "reason": ["good fit", "no budget", "duplicate", "duplicate"],
    }
)
OPPS = pd.DataFrame(
    {
        "opportunity_id": ["O1", "O2", "O3"],
        "lead_id": ["L1", "L2", "L3"],
        "pitch_theme": ["save time", "fill calendar", "fill calendar"],
        "outcome": ["won", "lost", "lost"],
        "amount_usd": [1000.0, 500.0, 800.0],
        "created_at": [ts("2026-01-05"), ts("2026-01-06"), ts("2026-01-07")],
        "closed_at": [ts("2026-01-15"), ts("2026-01-20"), ts("2026-01-21")],
        "loss_reason": [None, "pitch did not match", "price"],
    }
)
CUSTOMERS = pd.DataFrame({"customer_id": ["A1"], "opportunity_id": ["O1"], "mrr_usd": [100.0], "csat": [5]})


@pytest.fixture
def view():
    return loop.lead_view(LEADS, CAMPAIGNS, TOUCHES, FEEDBACK, OPPS, CUSTOMERS)


def test_lead_view_is_one_row_per_lead(view):
    assert len(view) == 4 and view["lead_id"].is_unique
    assert view["pitch_matches"].tolist()[:3] == [True, False, True]
    assert pd.isna(view["pitch_matches"].iloc[3])


def test_tables_per_lead(view):
    # L1: all six; L2, L3: leads, campaigns, touch, feedback, deal = 5; L4: leads, campaigns, feedback = 3
    assert loop.tables_per_lead(view).to_dict() == {3: 1, 5: 2, 6: 1}


def test_questions_and_joins():
    q = loop.questions_and_joins([("A?", ("leads",)), ("B?", ("leads", "campaigns", "feedback", "customers"))])
    assert q["joins"].tolist() == [0, 3]
    assert q["systems without one platform"].tolist() == [1, 3]
    with pytest.raises(ValueError, match="tables"):
        loop.questions_and_joins([("C?", ("emails",))])


def test_feedback_summary_by_hand(view):
    s = loop.feedback_summary(view, "channel")
    assert s.loc["search", "mean_rating"] == pytest.approx(3.5)
    assert s.loc["search", "good_share"] == pytest.approx(0.5)
    assert s.loc["search", "top_complaint"] == "no budget"
    assert s.loc["social", "top_complaint"] == "duplicate" and s.loc["social", "complaint_share"] == 1.0
    only_good = loop.feedback_summary(view[view["lead_id"] == "L1"], "channel")
    assert only_good.loc["search", "top_complaint"] is None and math.isnan(only_good.loc["search", "complaint_share"])
    assert loop.feedback_summary(view.iloc[:0], "channel").empty


def test_loss_reasons_and_content_performance(view):
    losses = loop.loss_reasons_by_match(view)
    assert losses.loc[False, "pitch did not match"] == 1.0
    assert losses.loc[True, "price"] == 1.0
    perf = loop.content_performance(view, "pitch_matches")
    assert perf.loc[True, "win_rate"] == pytest.approx(0.5) and perf.loc[False, "win_rate"] == 0.0
    assert perf.loc[True, "median_days_to_win"] == pytest.approx(10.0)
    assert math.isnan(perf.loc[False, "median_days_to_win"])
    assert loop.content_performance(view.iloc[3:], "theme").empty


def test_campaign_and_pitch_reaction(view):
    ev = loop.campaign_reaction(view, "social")
    assert ev["direction"] == "below" and ev["mean_rating"] == 1.5 and ev["overall_rating"] == 2.5
    assert ev["top_complaint"] == "duplicate"
    with pytest.raises(ValueError, match="channel"):
        loop.campaign_reaction(view, "radio")
    p = loop.pitch_reaction(view, "fill calendar", "save time")
    assert p["win_rate"] == 0.0 and p["matched_win_rate"] == 1.0 and p["direction"] == "lower"
    assert p["top_loss_reason"] == "pitch did not match"
    with pytest.raises(ValueError, match="no closed deals"):
        loop.pitch_reaction(view, "save time", "nothing")


def test_meeting_cadence():
    c = loop.meeting_cadence()
    assert set(c["kind"]) == {"formal", "informal"}
    weekly = c[c["meeting"] == "Joint pipeline review"].iloc[0]
    assert weekly["hours a month"] == pytest.approx(round(4.33 * 45 / 60, 1))
    assert set(loop.meeting_cadence(informal=False)["kind"]) == {"formal"}
    with pytest.raises(ValueError, match="formal"):
        loop.meeting_cadence(formal=False, informal=False)


def test_rating_coverage_counts_worked_and_rated_leads(view):
    # L1-L3 were touched and rated; L4 was rated without a touch
    assert loop.rating_coverage(view) == {"worked": 3, "rated": 4, "rated_worked": 3, "share": 1.0}
    unrated = view.assign(rating=[5, None, None, 2])
    cov = loop.rating_coverage(unrated)
    assert cov["worked"] == 3 and cov["rated_worked"] == 1 and cov["share"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="rating"):
        loop.rating_coverage(view.drop(columns="rating"))
