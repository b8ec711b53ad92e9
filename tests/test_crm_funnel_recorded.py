"""The funnel the export really records: stages it never records are left out (not shown as implied
100 % steps), implied stages are marked, dates out of order are counted, listed by id and kept out of
velocity, and a section's one unavailable reason is shown once. Expected values are worked out by
hand or with plain pandas."""

from __future__ import annotations

import markupsafe
import pytest

from alignkit.teamtools import scorecard, scorecard_html
from alignkit.teamtools.crm import load_export, load_mapping

from .test_crm_bad_input import write

STATUS_MAP = """
[leads]
id = "ID"
created = "Created"
stage = "Status"
[leads.stages]
"New" = "inquiry"
"MQL" = "mql"
"Qualified" = "sql"
"""
STATUS_LEADS = "ID,Created,Status\n1,2025-01-01,New\n2,2025-01-02,MQL\n3,2025-01-03,Qualified\n4,2025-01-04,Qualified\n"


def test_a_stage_between_recorded_ones_is_implied_and_marked(tmp_path):
    crm = load_export(load_mapping(write(tmp_path, "m.toml", STATUS_MAP)), leads=write(tmp_path, "l.csv", STATUS_LEADS))
    card = scorecard.compute(crm)
    by = {f["stage"]: f for f in card["funnel"]}
    assert [by[s]["recorded"] for s in ("inquiry", "mql", "sal", "sql", "opportunity", "won")] == [
        "recorded",
        "recorded",
        "implied",
        "recorded",
        "not recorded",
        "not recorded",
    ]
    assert (by["inquiry"]["leads"], by["mql"]["leads"], by["sal"]["leads"], by["sql"]["leads"]) == (4, 3, 2, 2)
    assert by["opportunity"]["leads"] is None and by["won"]["leads"] is None
    assert card["funnel_steps"] == ["inquiry→mql", "mql→sal", "sal→sql"]
    assert card["conversion"]["inquiry→sql"]["value"] == pytest.approx(2 / 4)
    assert card["conversion"]["inquiry→won"]["value"] is None  # won is not recorded: no 0 % and no 100 %
    page = scorecard_html.render(card)
    assert "(implied)" in page and "Not shown, because the export does not record them" in page
    assert "Opportunity, Won" in page


OOO_LEADS = (
    "Record ID,Create Date,Lifecycle Stage,Original Source,Became a Marketing Qualified Lead Date,"
    "Became a Sales Qualified Lead Date,Became a Customer Date,Date of first engagement\n"
    "1,2025-01-01,Customer,Ads,2025-01-03,2025-01-05,2025-01-20,2025-01-04\n"  # in order
    "2,2025-01-10,Sales Qualified Lead,Ads,2025-01-08,2025-01-12,,2025-01-09\n"  # MQL before created
    "3,2025-01-10,Sales Qualified Lead,Ads,2025-01-15,2025-01-11,,2025-01-16\n"  # SQL before MQL
    "4,2025-01-01,Customer,Ads,2025-01-02,2025-01-06,2025-01-07,2025-01-09\n"  # won before first touch
    "5,2025-01-01,Sales Qualified Lead,Events,2025-01-05,2025-01-09,,2025-01-05\n"
)  # in order
OOO_DEALS = (
    "Record ID,Deal Stage,Amount,Create Date,Close Date,Associated Contact IDs\n"
    "10,Closed Won,100,2025-01-15,2025-01-20,1\n"
    "11,Closed Won,200,2025-01-06,2025-01-07,4\n"
    "12,Closed Lost,50,2025-02-10,2025-02-01,\n"
)  # closed before created


def ooo_card(tmp_path):
    crm = load_export(
        load_mapping(preset="hubspot"),
        leads=write(tmp_path, "c.csv", OOO_LEADS),
        deals=write(tmp_path, "d.csv", OOO_DEALS),
    )
    return scorecard.compute(crm)


def test_dates_out_of_order_are_counted_and_listed_by_id(tmp_path):
    card = ooo_card(tmp_path)
    late = card["dates_out_of_order"]
    assert late["leads"]["count"] == 3
    assert {i["id"]: i["row"] for i in late["leads"]["items"]} == {"2": 3, "3": 4, "4": 5}
    problems = {i["id"]: i["problem"] for i in late["leads"]["items"]}
    assert problems["2"] == "MQL dated before created" and problems["3"] == "SQL dated before MQL"
    assert problems["4"] == "won before the first contact"
    assert late["deals"]["count"] == 1 and late["deals"]["items"][0]["id"] == "12"
    assert card["data_quality"]["counts"]["leads_with_dates_out_of_order"] == 3
    page = scorecard_html.render(card)
    assert "Dates out of order" in page and "SQL dated before MQL" in page


def test_dates_out_of_order_stay_out_of_velocity(tmp_path):
    card = ooo_card(tmp_path)
    # by hand, only leads 1 and 5 are in order: inquiry→MQL 2 and 4 days (with lead 2: -2, lead 3: 5, lead 4: 1)
    assert card["velocity_days"]["inquiry→mql"]["value"] == pytest.approx(3.0)
    assert card["velocity_days"]["inquiry→mql"]["basis"] == 2
    # lead 1 only: its deal opened 2025-01-15 and was won 2025-01-20 (lead 4 is out of order)
    assert card["velocity_days"]["opportunity→won"]["value"] == pytest.approx(5.0)
    assert card["velocity_days"]["opportunity→won"]["basis"] == 1
    # the leads still count in conversion: all 5 leads reached MQL
    assert {f["stage"]: f["leads"] for f in card["funnel"]}["mql"] == 5
    # the deal closed before it was created is out of the cycle, in the counts
    assert card["deals"]["lost"]["value"] == 1
    assert card["deals"]["sales_cycle_closed_days"]["basis"] == 2
    assert card["deals"]["sales_cycle_closed_days"]["value"] == pytest.approx((5 + 1) / 2)


def test_one_reason_per_section(tmp_path):
    leads = write(tmp_path, "c.csv", OOO_LEADS)
    card = scorecard.compute(load_export(load_mapping(preset="hubspot"), leads=leads))
    reason = card["unavailable"]["deals"]
    assert all(m["unavailable"] == reason for m in card["deals"].values())
    page = scorecard_html.render(card)
    assert page.count(str(markupsafe.escape(reason))) == 1
