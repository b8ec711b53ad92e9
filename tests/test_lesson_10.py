"""The capstone's checkers, against answers computed here with plain pandas and zoneinfo."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from alignkit.casedata.companies import NORTHFIELD
from alignkit.casedata.schema import DATA_DIR
from alignkit.lessons import m10_capstone as capstone

NF = DATA_DIR / "northfield"


def test_diagnosis_finds_exactly_the_documented_problems():
    real = list(NORTHFIELD.problems)
    assert capstone.check_diagnosis(real).ok
    partial = capstone.check_diagnosis(real[:2] + ["duplicate leads"])
    assert partial.status == "wrong" and "2 of 4" in partial.title and "1 that is not there" in partial.title
    assert any(p.startswith("Missed:") for p in partial.points)
    assert capstone.check_diagnosis([]).status == "todo"
    assert "Not among the candidates" in capstone.check_diagnosis(["bad weather"]).title
    assert capstone.check_diagnosis(42).status == "wrong"


def test_threshold_must_be_lower_within_capacity_and_accepted():
    assert not capstone.check_threshold(NORTHFIELD.before.mql_threshold).ok  # no more leads than today
    assert capstone.check_threshold(60).ok
    assert not capstone.check_threshold(20).ok  # a bar this low: acceptance falls below half
    assert capstone.check_threshold("60").status == "wrong"
    assert capstone.check_threshold(None).status == "todo"


def test_sla_answer_matches_an_independent_computation():
    leads = pd.read_csv(NF / "leads.csv")
    opps = pd.read_csv(NF / "opportunities.csv", parse_dates=["closed_at"])
    won = opps[opps.outcome == "won"]
    rates = (
        won.amount_usd.mean(),
        leads.opportunity_at.notna().sum() / leads.mql_at.notna().sum(),
        len(won) / opps.outcome.isin(["won", "lost"]).sum(),
    )
    last_q = won[(won.closed_at >= "2026-04-01") & (won.closed_at < "2026-07-01")]
    goal = -(-last_q.amount_usd.sum() / 3 * 1.2 // 5000) * 5000
    mqls = goal / rates[0] / (rates[1] * rates[2])
    assert capstone.check_sla(mqls).ok
    assert not capstone.check_sla(mqls * 1.1).ok


def test_key_result_must_be_measurable_and_about_the_slow_region():
    good = "Cut the median first-touch time for APAC leads from 24 hours to 4 hours by 2026Q3 (owner: head of sales)"
    assert capstone.check_key_result(good).ok
    assert not capstone.check_key_result("Improve APAC response").ok
    assert not capstone.check_key_result(
        "Raise the share of MQLs accepted from 50 % to 70 % by 2026Q3 (owner: head of sales)"
    ).ok
    assert capstone.check_key_result(None).status == "todo"


def test_cadence_overlap_with_real_time_zone_rules():
    day = dt.date(2026, 3, 2)

    def window(tz):
        z = ZoneInfo(tz)
        return (
            dt.datetime.combine(day, dt.time(9), z).astimezone(dt.UTC),
            dt.datetime.combine(day, dt.time(17), z).astimezone(dt.UTC),
        )

    (a0, a1), (b0, b1) = window("Europe/London"), window("Australia/Sydney")
    hours = max(0.0, (min(a1, b1) - max(a0, b0)).total_seconds() / 3600)
    assert capstone.check_cadence(hours, "rotate the early and late slots").ok
    assert not capstone.check_cadence(hours + 2, "rotate the early and late slots").ok
    assert not capstone.check_cadence(hours, "always at 08:00 in London").ok


def test_quiz_and_bench():
    questions = capstone.quiz()
    assert 3 <= len(questions) <= 5
    assert all(sum(a["correct"] for a in q["answers"]) == 1 for q in questions)


def test_dashboard_bench_update_counts_each_channel():
    """The channel lens over Northfield's whole year: leads, media spend and new customers per channel,
    and the media cost of a customer, as people read them (counts, dollars)."""
    leads = pd.read_csv(NF / "leads.csv")
    spend = pd.read_csv(NF / "campaigns.csv").groupby("channel")["spend_usd"].sum()
    customers = (
        pd.read_csv(NF / "customers.csv")
        .merge(pd.read_csv(NF / "opportunities.csv"), on="opportunity_id")
        .merge(leads, on="lead_id")
    )
    page = capstone.BENCH["diagnosis dashboard update"]()
    for channel, n in leads["channel"].value_counts().items():
        new = int((customers["channel"] == channel).sum())
        dollars = spend.get(channel, 0.0)
        assert f'<th scope="row">{channel}</th><td class="num">{n:,}</td><td class="num">${dollars:,.0f}</td>' in page
        assert f'<td class="num">{new}</td><td class="num">${dollars / new:,.0f}</td></tr>' in page, channel


@pytest.mark.parametrize("lens", list(capstone.LENSES))
def test_every_dashboard_lens_reads_as_the_steps_tables_do(lens):
    """No figure in the dashboard as a programmer's number: no 4.64e+04, no rate as a bare 0.108 (a
    decimal shows with its unit: '0.8 %', '24.5 h')."""
    page = capstone.lens_html(lens)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    assert cells, lens
    assert not [c for c in cells if re.search(r"\de[+-]\d", c) or re.fullmatch(r"[\d,]*\.\d+", c)], cells
