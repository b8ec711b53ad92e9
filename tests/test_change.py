"""Finding the dip, the change-curve model and the communication-plan review, on hand-computed cases."""

import math

import numpy as np
import pandas as pd
import pytest

from alignkit.metrics import change


def series(values, first="2025-01"):
    months = pd.period_range(first, periods=len(values), freq="M").astype(str)
    return pd.Series(values, index=months, dtype=float)


def test_find_dip_by_hand():
    s = series([10, 10, 10, 10, 5, 8, 12])
    dip = change.find_dip(s, "2025-05-01", baseline_months=None)
    assert dip["baseline"] == 10 and dip["low_month"] == "2025-05" and dip["low"] == 5
    assert dip["depth"] == 0.5 and dip["dipped"] and dip["months_to_low"] == 0
    assert dip["recovered_month"] == "2025-07" and dip["months_to_recover"] == 2


def test_find_dip_uses_the_last_months_before_the_start():
    s = series([2, 10, 10, 6, 9])  # with all months the baseline is 22/3; with the last two it is 10
    assert change.find_dip(s, "2025-04", baseline_months=2)["depth"] == pytest.approx(0.4)
    assert change.find_dip(s, "2025-04", baseline_months=None)["baseline"] == pytest.approx(22 / 3)


def test_find_dip_when_lower_is_better():
    s = series([10, 10, 20, 12, 8])
    dip = change.find_dip(s, "2025-03", higher_is_better=False, baseline_months=None)
    assert dip["low"] == 20 and dip["depth"] == 1.0 and dip["recovered_month"] == "2025-05"
    assert dip["months_to_recover"] == 2


def test_no_dip_never_recovered_and_zero_baseline():
    better = change.find_dip(series([10, 10, 11, 12]), "2025-03", baseline_months=None)
    assert not better["dipped"] and better["months_to_recover"] == 0 and better["recovered_month"] is None
    stuck = change.find_dip(series([10, 10, 5, 6]), "2025-03", baseline_months=None)
    assert stuck["dipped"] and stuck["recovered_month"] is None and math.isnan(stuck["months_to_recover"])
    zero = change.find_dip(series([0, 0, 0, 1]), "2025-03", baseline_months=None)
    assert math.isnan(zero["depth"]) and not zero["dipped"] and math.isnan(zero["months_to_recover"])


def test_find_dip_rejects_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        change.find_dip(pd.Series(dtype=float), "2025-01")
    with pytest.raises(ValueError, match="no month"):
        change.find_dip(series([1, 2]), "2026-01")
    with pytest.raises(ValueError, match="baseline_months"):
        change.find_dip(series([1, 2, 3]), "2025-03", baseline_months=0)


def test_monthly_metrics_on_a_tiny_company():
    t = pd.Timestamp
    leads = pd.DataFrame(
        {
            "lead_id": ["L1", "L2", "L3"],
            "inquiry_at": [t("2025-01-05"), t("2025-01-20"), t("2025-02-02")],
            "mql_at": [t("2025-01-05 10:00"), t("2025-01-21 08:00"), pd.NaT],
            "sql_at": [t("2025-01-10"), t("2025-02-10"), pd.NaT],
        }
    )
    touches = pd.DataFrame({"lead_id": ["L1", "L2"], "first_touch_at": [t("2025-01-05 12:00"), t("2025-01-21 14:00")]})
    opportunities = pd.DataFrame(
        {
            "created_at": [t("2025-01-12"), t("2025-02-12")],
            "outcome": ["won", "open"],
            "closed_at": [t("2025-02-20"), pd.NaT],
        }
    )
    m = change.monthly_metrics(leads, touches, opportunities)
    assert list(m.index) == ["2025-01", "2025-02"]
    assert list(m["sqls"]) == [1, 1] and list(m["opportunities"]) == [1, 1] and list(m["deals_won"]) == [0, 1]
    assert list(m["mqls"]) == [2, 0]
    assert math.isnan(m.loc["2025-01", "win_rate"]) and m.loc["2025-02", "win_rate"] == 1.0  # nothing closed in Jan
    assert m.loc["2025-01", "median_response_hours"] == 4.0  # (2 + 6) / 2
    assert math.isnan(m.loc["2025-02", "median_response_hours"])
    with pytest.raises(ValueError, match="no leads"):
        change.monthly_metrics(leads.iloc[0:0], touches, opportunities)


def test_mitigated_by_hand():
    assert change.mitigated(0.4, 3, 0, 0) == (0.4, 3)
    # 8 hours and 2 updates a month are each at half effect (0.5)
    depth, months = change.mitigated(0.4, 3, 8, 2)
    assert depth == pytest.approx(0.4 * (1 - 0.25 - 0.1)) and months == pytest.approx(3 * (1 - 0.125 - 0.175))
    for bad in [(1.2, 3, 0, 0), (0.4, 0, 0, 0), (0.4, 3, -1, 0), (0.4, 3, 0, float("nan")), ("a", 3, 0, 0)]:
        with pytest.raises(ValueError):
            change.mitigated(*bad)


def test_change_curve_by_hand():
    curve = change.change_curve(6, 0.3, 3)  # low at month 1, back at month 3, new level 1.2 at month 6
    assert list(curve["level"]) == pytest.approx([1.0, 0.7, 0.85, 1.0, 1.0 + 0.2 / 3, 1.0 + 0.4 / 3, 1.2])
    assert list(curve["stage"][:2]) == ["late status quo", "chaos"] and curve["stage"].iloc[-1] == "new status quo"
    assert len(change.change_curve(2, 0.3, 3, steps_per_month=4)) == 9
    for kwargs in [{"months": 0}, {"months": 2.5}, {"months": 6, "gain": -0.1}, {"months": 6, "steps_per_month": 0}]:
        with pytest.raises(ValueError):
            change.change_curve(dip_depth=0.3, recovery_months=3, **kwargs)


def test_support_makes_the_dip_shallower_and_shorter():
    plain = change.dip_summary(0.4, 3)
    helped = change.dip_summary(0.4, 3, training=16, communication=4)
    assert plain["months_lost"] == pytest.approx(0.4 * 3 / 2)
    assert helped["depth"] < plain["depth"] and helped["recovery_month"] < plain["recovery_month"]
    # the closed form agrees with the simulated curve: its lowest point, its return to 1.0, and the
    # area below 1.0 by the trapezoid rule over the curve's points
    fine = change.change_curve(12, 0.4, 3, steps_per_month=12)
    x, short = fine["month"].to_numpy(), (1 - fine["level"]).clip(lower=0).to_numpy()
    assert ((short[1:] + short[:-1]) / 2 * np.diff(x)).sum() == pytest.approx(plain["months_lost"], rel=0.01)
    low = int(fine["level"].idxmin())
    assert 1 - fine["level"].min() == pytest.approx(0.4)
    assert fine.loc[low:].query("level >= 1 - 1e-9")["month"].iloc[0] == pytest.approx(3)


GOOD_PLAN = {
    "what": "MQLs now need a lead score of 55 and sellers call every MQL within one hour",
    "why": "Last quarter sales rejected most MQLs and one lead in four was never called",
    "who": "SDRs in Austin, Warsaw and Singapore, and the demand generation team",
    "when": "From Wednesday 1 October 2025, reviewed every Monday",
    "result": "Acceptance above 60% and median response under 2 hours by January",
}


def test_review_plan_accepts_a_clear_plan():
    assert all(status == "ok" for status, _ in change.review_plan(GOOD_PLAN).values())


def test_review_plan_names_what_is_missing_or_vague():
    review = change.review_plan(
        {
            **GOOD_PLAN,
            "why": "",
            "who": "everyone",
            "when": "as soon as we can, TBD",
            "result": "Better results all round for the team",
        }
    )
    assert review["why"][0] == "missing"
    assert review["who"][0] == "vague" and "everyone" in review["who"][1]
    assert review["when"][0] == "vague"
    assert review["result"][0] == "vague" and "number" in review["result"][1]
    assert change.review_plan({**GOOD_PLAN, "who": "the people who are affected"})["who"][0] == "vague"
    assert change.review_plan({**GOOD_PLAN, "when": "once the tooling is ready"})["when"][0] == "vague"
    assert change.review_plan({**GOOD_PLAN, "what": "New process"})["what"][0] == "vague"
    assert change.review_plan({**GOOD_PLAN, "what": 5})["what"][0] == "missing"
    assert change.review_plan({**GOOD_PLAN, "support": "Ask Ines, head of sales, any Friday"})["support"][0] == "ok"
    with pytest.raises(ValueError, match="dict"):
        change.review_plan("tell them")


def test_review_plan_does_not_take_filler_for_a_plan():
    blah = {part: "Blah blah blah blah blah" for part in ("what", "why", "who", "when", "result", "support")}
    review = change.review_plan(blah)
    assert all(status == "vague" for status, _ in review.values()), review
    assert "repeats" in review["what"][1]
    # a number does not rescue filler
    assert change.review_plan({**GOOD_PLAN, "result": "blah 5 blah blah blah"})["result"][0] == "vague"
    # words that are not filler but name nothing a team can see or no problem are still vague
    vague = change.review_plan(
        {
            **GOOD_PLAN,
            "what": "We are going to do something quite different",
            "why": "Because we believe it is right for us",
        }
    )
    assert vague["what"][0] == "vague" and "what changes" in vague["what"][1]
    assert vague["why"][0] == "vague" and "problem" in vague["why"][1]
    # a real plan that repeats a word or two is still fine
    assert (
        change.review_plan({**GOOD_PLAN, "what": "Every lead gets a call, and every call is logged"})["what"][0] == "ok"
    )


def test_monthly_rates_by_hand():
    t = pd.Timestamp
    leads = pd.DataFrame(
        {
            "lead_id": ["L1", "L2", "L3", "L4", "L5"],
            "inquiry_at": [t("2025-01-02")] * 3 + [t("2025-02-02")] * 2,
            # accepted in January: L1 (qualified, in February), L2 (not qualified), L3 (qualified);
            # accepted in February: L4 (not qualified); L5 never accepted
            "sal_at": [t("2025-01-03"), t("2025-01-20"), t("2025-01-30"), t("2025-02-03"), pd.NaT],
            "sql_at": [t("2025-02-05"), pd.NaT, t("2025-01-31"), pd.NaT, pd.NaT],
        }
    )
    opportunities = pd.DataFrame(
        {
            "outcome": ["won", "lost", "lost", "lost", "open"],
            "closed_at": [t("2025-01-10"), t("2025-01-11"), t("2025-01-12"), t("2025-02-01"), pd.NaT],
        }
    )
    r = change.monthly_rates(leads, opportunities)
    assert list(r.index) == ["2025-01", "2025-02"]
    # January's cohort: 2 of 3 accepted leads qualified, even though L1 qualified in February
    assert list(r["accepted"]) == [3, 1] and list(r["qualified"]) == [2, 0]
    assert r.loc["2025-01", "accepted_to_qualified"] == pytest.approx(2 / 3)
    assert r.loc["2025-02", "accepted_to_qualified"] == 0.0
    # January: 1 won of 3 closed; February: 0 of 1; the open deal counts nowhere
    assert list(r["closed"]) == [3, 1] and list(r["won"]) == [1, 0]
    assert r.loc["2025-01", "opportunity_to_won"] == pytest.approx(1 / 3)
    # a month with nothing accepted or closed has no rate, not a zero
    longer = change.monthly_rates(leads, opportunities, "2025-01", 3)
    assert math.isnan(longer.loc["2025-03", "accepted_to_qualified"])
    assert math.isnan(longer.loc["2025-03", "opportunity_to_won"])
    with pytest.raises(ValueError, match="sal_at"):
        change.monthly_rates(leads.drop(columns="sal_at"), opportunities)
    table = change.dip_table(r, "2025-02", baseline_months=None, metrics=change.RATE_METRICS)
    assert list(table.index) == [label for label, _ in change.RATE_METRICS.values()]
    assert table.loc["Accepted leads qualified (SAL→SQL)", "depth"] == pytest.approx(1.0)
