"""Scorecard metrics on a small export counted by hand, agreement with the course's own funnel on the
Brightline sample exports, the JSON schema, HTML escaping and spreadsheet-formula neutralising."""

import csv
import io
import json

import jsonschema
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from alignkit.casedata.dataset import load_company
from alignkit.metrics import funnel
from alignkit.paths import package_path
from alignkit.teamtools import scorecard, scorecard_html
from alignkit.teamtools.crm import load_export, load_mapping
from alignkit.teamtools.crm.samples import END_DAY, FIRST_DAY, hubspot_contact_id, write_samples

SCHEMA = json.loads(package_path("alignkit.teamtools.crm", "scorecard.schema.json").read_text(encoding="utf-8"))

LEADS = """Record ID,Create Date,Lifecycle Stage,Original Source,Original Source Drill-Down 1,\
Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,Date of first engagement
1,2025-01-01 00:00,Sales Qualified Lead,Search,Spring,2025-01-02 00:00,2025-01-06 00:00,2025-01-02 02:00
2,2025-01-01 00:00,Marketing Qualified Lead,Search,Spring,2025-01-03 00:00,,
3,2025-01-10 00:00,Lead,Events,Expo,,,
4,2025-02-10 00:00,Sales Qualified Lead,Events,Expo,,,
"""
DEALS = """Record ID,Deal Stage,Amount,Create Date,Close Date,Associated Contact IDs
10,Closed Won,1000,2025-01-10 00:00,2025-01-30 00:00,1
11,Closed Lost,500,2025-02-15 00:00,2025-03-01 00:00,4
12,Closed Won,3000,2025-02-01 00:00,2025-02-11 00:00,
"""
SPEND = "Channel,Month,Amount\nSearch,2025-01,600\nEvents,2025-02,400\n"
REVENUE = "Deal ID,Start Date,MRR,Churn Date,Gross Margin\n10,2025-01-30,100,2025-02-28,0.8\n12,2025-02-11,300,,0.6\n"


def files(folder, **texts):
    out = {}
    for name, text in texts.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
        out[name] = folder / f"{name}.csv"
    return out


@pytest.fixture
def card(tmp_path):
    f = files(tmp_path, leads=LEADS, deals=DEALS, spend=SPEND, revenue=REVENUE)
    crm = load_export(load_mapping(preset="hubspot"), **f)
    return scorecard.compute(crm, change_date="2025-02-01")


def v(m):
    return m["value"]


def test_funnel_counts_include_implied_stages(card):
    assert [f["leads"] for f in card["funnel"]] == [4, 3, 2, 2, 2, 1]
    assert [f["with_date"] for f in card["funnel"]] == [4, 2, 0, 1, 2, 1]


def test_conversion_by_hand(card):
    c = card["conversion"]
    assert v(c["inquiry→mql"]) == pytest.approx(3 / 4)
    assert v(c["mql→sal"]) == pytest.approx(2 / 3)
    assert v(c["sal→sql"]) == 1
    assert v(c["opportunity→won"]) == pytest.approx(1 / 2)
    assert v(c["inquiry→won"]) == pytest.approx(1 / 4)
    assert c["inquiry→mql"]["basis"] == 4


def test_velocity_by_hand_and_undated_steps_unavailable(card):
    d = card["velocity_days"]
    assert v(d["inquiry→mql"]) == pytest.approx(1.5)  # 1 and 2 days
    assert v(d["sql→opportunity"]) == pytest.approx(4)  # lead 1: 6 Jan -> deal opened 10 Jan
    assert v(d["opportunity→won"]) == pytest.approx(20)
    assert d["mql→sal"]["value"] is None and "SAL without a date" in d["mql→sal"]["unavailable"]


def test_response_and_leakage_by_hand(card):
    r = card["response"]
    assert v(r["mqls_counted"]) == 2
    assert v(r["median_hours"]) == pytest.approx(2)
    assert v(r["within_1h"]) == 0
    assert v(r["within_24h"]) == pytest.approx(0.5)
    assert v(r["leakage"]) == pytest.approx(0.5)


def test_deals_by_hand(card):
    d = card["deals"]
    assert v(d["win_rate"]) == pytest.approx(2 / 3)  # the deal without a lead still counts
    assert v(d["average_deal_size"]) == pytest.approx(2000)
    assert v(d["sales_cycle_days"]) == pytest.approx(15)  # 20 and 10 days
    assert card["data_quality"]["counts"]["deals_without_lead"] == 1


def test_economics_by_hand(card):
    e = card["economics"]
    assert v(e["spend"]) == 1000 and v(e["new_customers"]) == 2
    assert v(e["cac"]) == pytest.approx(500)
    churn = 1 / ((29 + 18) / 30.44)  # one churned customer over 29 + 18 customer-days
    assert v(e["monthly_churn"]) == pytest.approx(churn)
    ltv = 200 * 0.7 / churn
    assert v(e["ltv"]) == pytest.approx(ltv)
    assert v(e["ltv_to_cac"]) == pytest.approx(ltv / 500)
    assert v(e["payback_months"]) == pytest.approx(500 / (200 * 0.7))
    by = {c["channel"]: c for c in card["by_channel"]}
    assert v(by["Search"]["cac"]) == pytest.approx(600)
    assert by["Events"]["cac"]["value"] is None and "no customer from Events" in by["Events"]["cac"]["unavailable"]


def test_by_channel_by_hand(card):
    by = {c["channel"]: c for c in card["by_channel"]}
    assert by["Search"]["funnel"] == {"inquiry": 2, "mql": 2, "sal": 1, "sql": 1, "opportunity": 1, "won": 1}
    assert by["Events"]["funnel"] == {"inquiry": 2, "mql": 1, "sal": 1, "sql": 1, "opportunity": 1, "won": 0}
    assert v(by["Events"]["win_rate"]) == 0


def test_before_after_by_hand(card):
    ba = card["before_after"]
    m = ba["metrics"]
    assert v(m["leads_per_month"]["before"]) == pytest.approx(3 / (31 / 30.44))
    assert v(m["leads_per_month"]["after"]) == pytest.approx(1 / (10 / 30.44))
    assert v(m["win_rate"]["before"]) == 1 and v(m["win_rate"]["after"]) == pytest.approx(0.5)
    assert m["win_rate"]["change"] == pytest.approx(-0.5)
    assert v(m["conversion inquiry→mql"]["before"]) == pytest.approx(2 / 3)


def test_missing_data_is_unavailable_with_a_reason_never_zero(tmp_path):
    f = files(tmp_path, leads="Record ID,Create Date,Lifecycle Stage\n1,2025-01-01,Lead\n")
    card = scorecard.compute(load_export(load_mapping(preset="hubspot"), **f))
    for section, key, word in [
        ("economics", "cac", "spend"),
        ("economics", "ltv", "revenue"),
        ("economics", "ltv_to_cac", "spend"),
        ("response", "median_hours", "first-touch"),
        ("response", "leakage", "first-touch"),
        ("deals", "win_rate", "deals file"),
    ]:
        m = card[section][key]
        assert m["value"] is None and word in m["unavailable"], (section, key, m)
    assert card["conversion"]["mql→sal"]["unavailable"] == "no lead reached MQL"
    assert "change date" in card["before_after"]["unavailable"]
    jsonschema.validate(json.loads(json.dumps(card)), SCHEMA)


def test_output_matches_the_documented_schema(card):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(json.dumps(card, allow_nan=False)))


# ---- agreement with the course's own funnel numbers on the Brightline samples


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return write_samples(tmp_path_factory.mktemp("samples"))


@pytest.fixture(scope="module")
def course():
    data = load_company("brightline")
    leads = data.leads[(data.leads["inquiry_at"] >= FIRST_DAY) & (data.leads["inquiry_at"] < END_DAY)]
    opps = data.opportunities[data.opportunities["lead_id"].isin(leads["lead_id"])]
    return data, leads, opps


def test_hubspot_sample_agrees_with_the_course_funnel(samples, course):
    data, leads, opps = course
    crm = load_export(load_mapping(preset="hubspot"), leads=samples["hubspot_contacts"], deals=samples["hubspot_deals"])
    card = scorecard.compute(crm)
    assert sorted(crm.leads["lead_id"]) == sorted(hubspot_contact_id(leads["lead_id"]))
    expected = funnel.funnel_counts(leads).iloc[0]
    assert [f["leads"] for f in card["funnel"]] == [int(expected[s]) for s in funnel.STAGES]
    rates = funnel.stage_conversion(leads).iloc[0]
    for step, m in card["conversion"].items():
        assert v(m) == pytest.approx(rates[step], abs=1e-6), step
    days = funnel.stage_velocity(leads).iloc[0]
    for step in ("inquiry→mql", "sql→opportunity", "opportunity→won"):  # the steps HubSpot dates
        assert v(card["velocity_days"][step]) == pytest.approx(days[step], abs=1e-6), step
    by_course = funnel.funnel_counts(leads, "channel")
    for row in card["by_channel"]:
        assert row["funnel"] == {s: int(by_course.loc[row["channel"].lower(), s]) for s in funnel.STAGES}
    assert v(card["deals"]["win_rate"]) == pytest.approx(funnel.win_rate(opps))
    touches = data.touches[data.touches["lead_id"].isin(leads["lead_id"])]
    resp = funnel.response_summary(leads, touches, pd.Timestamp(card["as_of"]), grace_days=14)
    assert v(card["response"]["leakage"]) == pytest.approx(resp["leakage"])
    assert v(card["response"]["median_hours"]) == pytest.approx(resp["median_hours"])


def test_salesforce_sample_gives_the_same_funnel(samples, course):
    _, leads, _ = course
    mapping = load_mapping(samples["salesforce_mapping"])
    crm = load_export(mapping, leads=samples["salesforce_leads"], deals=samples["salesforce_opportunities"])
    card = scorecard.compute(crm)
    expected = funnel.funnel_counts(leads).iloc[0]
    assert [f["leads"] for f in card["funnel"]] == [int(expected[s]) for s in funnel.STAGES]


# ---- the HTML report and the CSV written back

HOSTILE = "<script>alert('x')</script>"


def hostile_card(tmp_path, channels):
    rows = "\n".join(f'{i},2025-01-0{i} 00:00,Lead,"{c}","{HOSTILE}"' for i, c in enumerate(channels, start=1))
    f = files(
        tmp_path,
        leads="Record ID,Create Date,Lifecycle Stage,Original Source,Original Source Drill-Down 1\n" + rows + "\n",
    )
    return scorecard.compute(load_export(load_mapping(preset="hubspot"), **f))


def test_html_escapes_every_value_from_the_export(tmp_path):
    card = hostile_card(tmp_path, [HOSTILE, '"><img src=x onerror=alert(1)>', "Ads & more"])
    page = scorecard_html.render(card)
    assert "<script" not in page.lower()
    assert "<img" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Ads &amp; more" in page
    # read back by an HTML parser: no element or event attribute came from the export, and every
    # channel name is there as the text that was typed (in the bars' labels and the tables' first cells)
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find_all(["script", "img", "iframe", "a", "link"])
    assert not [a for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
    cells = [td.get_text() for td in soup.select("td:first-child")]
    labels = [t.get_text() for t in soup.select("svg title")]
    names = [c["channel"] for c in card["by_channel"]]  # as the CSV reader read them
    assert HOSTILE in names and "Ads & more" in names and any("<img" in n for n in names)
    for name in names:
        assert cells.count(name) == 3 and name in labels, name  # by channel, by step, days by step


def test_html_is_self_contained(card):
    page = scorecard_html.render(card)
    assert page.startswith("<!doctype html>") and page.endswith("</html>")
    for external in ("<script", "<link", "src=", "href=", "@import", "url(", "https://"):
        assert external not in page, external
    assert "<svg" in page and "<style>" in page


def test_csv_neutralises_spreadsheet_formulas(tmp_path):
    channels = ['=HYPERLINK(""http://example.com"")', "+SUM(1)", "-1+2", "@cmd", "Paid Search"]
    card = hostile_card(tmp_path, channels)
    rows = list(csv.reader(io.StringIO(scorecard_html.channel_csv(card))))
    first = {r[0] for r in rows[1:]}
    assert "Paid Search" in first
    for cell in first - {"Paid Search"}:
        assert cell.startswith("'") and cell[1] in "=+-@\t", cell
    assert scorecard_html.safe_cell("=1+1") == "'=1+1" and scorecard_html.safe_cell("\r=1") == "'\r=1"
    assert scorecard_html.safe_cell("\t=1") == "'\t=1" and scorecard_html.safe_cell("a=1") == "a=1"
    assert scorecard_html.safe_cell(-3.5) == -3.5  # numbers the scorecard computed stay numbers
