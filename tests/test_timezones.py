"""Time-zone overlaps and the fair rotation, on small cases computed by hand.

Offsets used below (2026): Toronto UTC−5 in winter, UTC−4 from 8 March; Lisbon UTC+0 in winter,
UTC+1 from 29 March; Austin (America/Chicago) UTC−6 / UTC−5; Warsaw UTC+1 / UTC+2; Singapore UTC+8."""

import datetime as dt
import math

import pandas as pd
import pytest

from alignkit.metrics import timezones as tz

UTC = dt.UTC
Z = {
    "Toronto": "America/Toronto",
    "Lisbon": "Europe/Lisbon",
    "Austin": "America/Chicago",
    "Warsaw": "Europe/Warsaw",
    "Singapore": "Asia/Singapore",
}


def at(y, m, d, h, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=UTC)


def test_working_window_follows_summer_time():
    assert tz.working_window("Europe/Lisbon", "2026-01-14") == (at(2026, 1, 14, 9), at(2026, 1, 14, 17))
    assert tz.working_window("Europe/Lisbon", "2026-07-15") == (at(2026, 7, 15, 8), at(2026, 7, 15, 16))
    assert tz.working_window("America/Toronto", "2026-01-14") == (at(2026, 1, 14, 14), at(2026, 1, 14, 22))
    assert tz.working_window("Asia/Singapore", dt.date(2026, 7, 15)) == (at(2026, 7, 15, 1), at(2026, 7, 15, 9))


def test_pair_overlap_in_winter_and_in_the_gap_weeks():
    pair = {"Toronto": Z["Toronto"], "Lisbon": Z["Lisbon"]}
    winter = tz.overlap_hours(pair, "2026-01-14")
    assert winter["hours"] == 3 and winter["window"] == (at(2026, 1, 14, 14), at(2026, 1, 14, 17))
    # 16 March: Toronto already on summer time (13:00-21:00 UTC), Lisbon not yet (09:00-17:00 UTC)
    assert tz.overlap_hours(pair, "2026-03-16")["hours"] == 4
    assert tz.overlap_hours(pair, "2026-04-15")["hours"] == 3


def test_all_five_never_overlap_but_pairs_do():
    result = tz.overlap_hours(Z, "2026-03-16")
    assert result["window"] is None and result["hours"] == 0.0
    pairs = result["pairs"].set_index(["office_a", "office_b"])
    assert len(pairs) == 10
    assert pairs.loc[("Austin", "Singapore"), "hours"] == 0 and pd.isna(pairs.loc[("Austin", "Singapore"), "start_utc"])
    assert pairs.loc[("Warsaw", "Singapore"), "hours"] == 1  # Warsaw 08:00-16:00 UTC, Singapore 01:00-09:00


def test_a_list_of_zone_names_works_and_bad_input_is_explained():
    assert tz.overlap_hours(["Europe/Lisbon", "Europe/Warsaw"], "2026-01-14")["hours"] == 7
    with pytest.raises(ValueError, match="at least two"):
        tz.overlap_hours(["Europe/Lisbon"], "2026-01-14")
    with pytest.raises(ValueError, match="several offices"):
        tz.overlap_hours("Europe/Lisbon", "2026-01-14")
    with pytest.raises(ValueError, match="unknown time zone"):
        tz.overlap_hours(["Europe/Lisbon", "Mars/Olympus"], "2026-01-14")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        tz.overlap_hours(Z, "14/01/2026")
    with pytest.raises(ValueError, match="HH:MM"):
        tz.overlap_hours(Z, "2026-01-14", start="nine")
    with pytest.raises(ValueError, match="end after"):
        tz.overlap_hours(Z, "2026-01-14", start="17:00", end="09:00")


def test_clock_changes_2026():
    toronto = tz.clock_changes("America/Toronto", 2026)
    assert [d for d, _, _ in toronto] == [dt.date(2026, 3, 8), dt.date(2026, 11, 1)]
    assert toronto[0][1:] == (-5.0, -4.0)
    assert [d for d, _, _ in tz.clock_changes("Europe/Warsaw", 2026)] == [dt.date(2026, 3, 29), dt.date(2026, 10, 25)]
    assert tz.clock_changes("Asia/Singapore", 2026) == []


def test_weeks_and_the_weeks_that_differ():
    mondays = tz.weeks_of(2026)
    assert len(mondays) == 52 and mondays[0] == dt.date(2026, 1, 5) and mondays[-1] == dt.date(2026, 12, 28)
    weekly = tz.weekly_pair_overlaps({"Toronto": Z["Toronto"], "Lisbon": Z["Lisbon"]}, 2026)
    odd = tz.unusual_weeks(weekly)
    assert list(odd["week"].dt.date) == [
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 23),
        dt.date(2026, 10, 26),
    ]
    assert (odd["usual_hours"] == 3).all() and (odd["change"] == 1).all()
    assert tz.unusual_weeks(weekly.iloc[0:0]).empty
    with pytest.raises(ValueError, match="columns"):
        tz.unusual_weeks(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="year"):
        tz.weeks_of(1900)


def test_slot_burden_verdicts():
    pair = {"Toronto": Z["Toronto"], "Singapore": Z["Singapore"]}
    assert tz.slot_burden(pair, at(2026, 1, 7, 13)) == {"Toronto": "early", "Singapore": "late"}  # 08:00 / 21:00
    assert tz.slot_burden(pair, at(2026, 1, 7, 1)) == {"Toronto": "late", "Singapore": "in hours"}  # 20:00 / 09:00
    assert tz.slot_burden(pair, at(2026, 1, 7, 16))["Singapore"] == "unworkable"  # midnight
    assert tz.slot_burden({"Lisbon": Z["Lisbon"]}, at(2026, 1, 10, 12))["Lisbon"] == "unworkable"  # Saturday
    assert tz.slot_burden({"Lisbon": Z["Lisbon"]}, at(2026, 1, 7, 16), minutes=60)["Lisbon"] == "in hours"
    assert tz.slot_burden({"Lisbon": Z["Lisbon"]}, at(2026, 1, 7, 16, 30), minutes=60)["Lisbon"] == "late"
    with pytest.raises(ValueError, match="minutes"):
        tz.slot_burden(pair, at(2026, 1, 7, 13), minutes=0)


def test_fair_rotation_takes_turns_when_nobody_can_be_spared():
    pair = {"Lisbon": Z["Lisbon"], "Singapore": Z["Singapore"]}  # no shared hour in winter
    plan = tz.fair_rotation(pair, "2026-01-07", weeks=8)
    counts = tz.out_of_hours_counts(plan)
    assert counts.sum() == 8 and abs(counts["Lisbon"] - counts["Singapore"]) <= 1
    # one fixed time puts the burden on one office every week
    fixed = tz.out_of_hours_counts(tz.fixed_slot_plan(pair, "2026-01-07", "09:00", weeks=8))
    assert fixed.to_dict() == {"Lisbon": 0, "Singapore": 8}


def test_fair_rotation_prefers_a_slot_inside_everyones_day():
    plan = tz.fair_rotation({"Lisbon": Z["Lisbon"], "Warsaw": Z["Warsaw"]}, "2026-01-07", weeks=3)
    assert (plan["out_of_hours"] == 0).all()
    assert tz.out_of_hours_counts(plan).sum() == 0


def test_fair_rotation_reports_weeks_without_a_workable_slot():
    plan = tz.fair_rotation(
        {"Austin": Z["Austin"], "Singapore": Z["Singapore"]}, "2026-01-07", weeks=2, earliest="08:00", latest="18:00"
    )
    assert plan["start_utc"].isna().all() and plan["out_of_hours"].isna().all()
    assert (plan["Austin"] == "no slot").all()
    assert tz.out_of_hours_counts(plan).sum() == 0
    with pytest.raises(ValueError, match="weeks"):
        tz.fair_rotation(Z, "2026-01-07", weeks=0)
    with pytest.raises(ValueError, match="no column"):
        tz.out_of_hours_counts(plan, ["Lisbon"])


def test_candidate_slots_are_all_workable():
    slots = tz.candidate_slots(Z, "2026-01-07", step_minutes=60)
    assert not slots.empty and math.isclose(slots["out_of_hours"].min(), 3)
    assert not (slots[list(Z)] == "unworkable").any().any()
    with pytest.raises(ValueError, match="divide a day"):
        tz.candidate_slots(Z, "2026-01-07", step_minutes=7)
