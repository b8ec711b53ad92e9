"""The shapes of export teams really have: deals only (Pipedrive too), every lead already an MQL,
every deal already won, no deal id, blank stage cells, and a mapping that extends another mapping.
Every figure checked here is recomputed independently with plain pandas from the file itself."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from alignkit import cli
from alignkit.paths import package_path
from alignkit.teamtools import scorecard
from alignkit.teamtools.crm import CrmError, load_export, load_mapping

from .test_crm_bad_input import write

ROOT = Path(__file__).resolve().parents[1]
PIPEDRIVE = ROOT / "data" / "crm-samples" / "pipedrive" / "deals.csv"


def run_json(argv, capsys) -> dict:
    status = cli.main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    return json.loads(out)


def test_pipedrive_deals_only_figures_match_pandas(capsys):
    card = run_json(["scorecard", "--deals", str(PIPEDRIVE), "--preset", "pipedrive"], capsys)
    raw = pd.read_csv(PIPEDRIVE, dtype=str, keep_default_na=False)
    status = raw["Deal - Status"]
    won, lost = raw[status == "won"], raw[status == "lost"]
    d = card["deals"]
    assert d["won"]["value"] == len(won) and d["lost"]["value"] == len(lost)
    assert d["open"]["value"] == int((status == "open").sum())
    assert d["win_rate"]["value"] == pytest.approx(len(won) / (len(won) + len(lost)))
    assert d["value_won"]["value"] == pytest.approx(won["Deal - Value"].astype(float).sum())
    assert d["average_deal_size"]["value"] == pytest.approx(won["Deal - Value"].astype(float).mean())
    created = pd.to_datetime(raw["Deal - Deal created"])
    closed = pd.to_datetime(raw["Deal - Won time"].where(status == "won", raw["Deal - Lost time"]).replace("", None))
    days = (closed - created).dt.total_seconds() / 86400
    assert d["sales_cycle_days"]["value"] == pytest.approx(days[status == "won"].median())
    assert d["sales_cycle_closed_days"]["value"] == pytest.approx(days[status != "open"].median())
    counts = raw["Deal - Stage"].value_counts()
    assert {x["stage"]: x["deals"] for x in card["pipeline_stages"]} == counts.to_dict()
    assert card["funnel"][0]["leads"] is None and "no leads file" in card["unavailable"]["funnel"]
    assert card["conversion"]["inquiry→won"]["value"] is None


def test_deals_only_text_and_report(tmp_path, capsys):
    status = cli.main(
        ["scorecard", "--deals", str(PIPEDRIVE), "--preset", "pipedrive", "--out", str(tmp_path / "r.html")]
    )
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "deals only" in out and "Win rate:" in out and "Deals by stage: " in out
    assert out.count("no leads file") == 1  # one reason, said once
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Deals by pipeline stage" in page and "Proposal Made" in page
    assert page.count("no leads file") <= 3  # funnel, by channel, response: once per section, not per row


def test_a_leads_file_with_a_deals_only_preset_is_refused(tmp_path, capsys):
    leads = write(tmp_path, "leads.csv", "ID,Created\n1,2025-01-01\n")
    assert cli.main(["scorecard", "--leads", str(leads), "--deals", str(PIPEDRIVE), "--preset", "pipedrive"]) == 2
    assert "names no [leads]" in capsys.readouterr().err


MQL_LEADS = "Lead,Created,Source\nA,2025-01-01,Ads\nB,2025-01-02,Ads\nC,2025-01-03,Events\nD,2025-01-04,Events\n"
WON_DEALS = "Customer,Closed,Amount\nA,2025-01-11,100\nC,2025-01-23,300\n"
MQL_MAP = """
[leads]
id = "Lead"
created = "Created"
channel = "Source"
every_row = "mql"

[deals]
closed = "Closed"
amount = "Amount"
every_row = "won"

[join]
leads = "Lead"
deals = "Customer"
"""


def test_mqls_and_won_deals_make_a_two_step_funnel(tmp_path):
    m = write(tmp_path, "map.toml", MQL_MAP)
    crm = load_export(
        load_mapping(m), leads=write(tmp_path, "l.csv", MQL_LEADS), deals=write(tmp_path, "d.csv", WON_DEALS)
    )
    card = scorecard.compute(crm)
    shown = [f["stage"] for f in card["funnel"] if f["recorded"] != "not recorded"]
    assert shown == ["mql", "won"] and card["funnel_steps"] == ["mql→won"]
    by = {f["stage"]: f for f in card["funnel"]}
    assert by["mql"]["leads"] == 4 and by["won"]["leads"] == 2
    assert by["sal"]["leads"] is None and by["inquiry"]["leads"] is None  # never shown as implied 100 % steps
    assert card["conversion"]["mql→won"]["value"] == pytest.approx(2 / 4)
    assert card["velocity_days"]["mql→won"]["value"] == pytest.approx((10 + 20) / 2)  # A: 10 days, C: 20 days
    assert (
        card["conversion"]["mql→sal"]["value"] is None
        and "not recorded" in card["conversion"]["mql→sal"]["unavailable"]
    )
    # only won deals: no win rate shown as a finding
    assert card["deals"]["win_rate"]["value"] is None
    assert "only won deals" in card["deals"]["win_rate"]["unavailable"]
    assert card["deals"]["value_won"]["value"] == 400 and card["deals"]["won"]["value"] == 2
    assert card["deals"]["lost"]["value"] is None


def test_every_deal_won_without_saying_so_is_a_clear_error(tmp_path, capsys):
    m = write(tmp_path, "map.toml", MQL_MAP.replace('every_row = "won"\n', ""))
    argv = [
        "scorecard",
        "--leads",
        str(write(tmp_path, "l.csv", MQL_LEADS)),
        "--deals",
        str(write(tmp_path, "d.csv", WON_DEALS)),
        "--mapping",
        str(m),
    ]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "open, won or lost" in err and 'every_row = \\"won\\"' not in err and 'every_row = "won"' in err
    assert "internal error" not in err


def test_no_deal_id_the_join_column_serves(tmp_path):
    m = write(tmp_path, "map.toml", MQL_MAP)
    crm = load_export(
        load_mapping(m), leads=write(tmp_path, "l.csv", MQL_LEADS), deals=write(tmp_path, "d.csv", WON_DEALS)
    )
    assert list(crm.deals["deal_id"]) == ["A", "C"]
    assert any("serves as the deal id" in n for n in crm.notes)


def test_a_blank_stage_cell_is_mapped_with_an_empty_name(tmp_path):
    deals = write(tmp_path, "d.csv", "ID,Stage,Amount\n1,Won,10\n2,,20\n3,Lost,30\n")
    base = '[deals]\nid = "ID"\nstage = "Stage"\namount = "Amount"\n[deals.stages]\n"Won" = "won"\n"Lost" = "lost"\n'
    with pytest.raises(CrmError, match="row 3: empty is not a stage"):
        load_export(load_mapping(write(tmp_path, "m.toml", base)), deals=deals)
    crm = load_export(load_mapping(write(tmp_path, "m2.toml", base + '"" = "open"\n')), deals=deals)
    assert list(crm.deals["outcome"]) == ["won", "open", "lost"]
    card = scorecard.compute(crm)
    assert {x["stage"]: x["outcome"] for x in card["pipeline_stages"]}["(blank)"] == "open"


def test_a_mapping_extends_another_mapping_file(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    write(shared, "company.toml", 'extends = "hubspot"\ndate_order = "DMY"\n[leads]\nchannel = "Source"\n')
    write(shared, "team.toml", 'extends = "company.toml"\n[leads]\ncampaign = ""\n')
    m = load_mapping(shared / "team.toml")
    assert m.date_order == "DMY" and m.section("leads")["channel"] == "Source"
    assert m.section("leads")["id"] == "Record ID"  # from the preset at the root
    assert m.section("leads")["campaign"] == ""
    assert [p.name for p in m.sources] == ["team.toml", "company.toml"]
    write(shared, "loop.toml", 'extends = "loop.toml"\n')
    with pytest.raises(CrmError, match="circle"):
        load_mapping(shared / "loop.toml")
    write(shared, "away.toml", 'extends = "../elsewhere.toml"\n')
    with pytest.raises(CrmError, match="outside the mapping's folder"):
        load_mapping(shared / "away.toml")
    write(shared, "missing.toml", 'extends = "nope.toml"\n')
    with pytest.raises(CrmError, match="does not exist"):
        load_mapping(shared / "missing.toml")


def test_file_paths_of_an_extended_mapping_are_its_own(tmp_path):
    (tmp_path / "team").mkdir()
    write(tmp_path / "team", "leads.csv", "Lead,Created\nA,2025-01-01\n")
    write(
        tmp_path / "team",
        "base.toml",
        '[leads]\nfile = "leads.csv"\nid = "Lead"\ncreated = "Created"\nevery_row = "mql"\n',
    )
    write(tmp_path / "team", "mine.toml", 'extends = "base.toml"\n')
    crm = load_export(load_mapping(tmp_path / "team" / "mine.toml"))
    assert list(crm.leads["lead_id"]) == ["A"]


def test_a_free_text_source_is_grouped_beyond_100_channels(tmp_path):
    rows = "".join(f"{i},2025-01-02,Lead,source {i % 150}\n" for i in range(600))
    leads = write(tmp_path, "c.csv", "Record ID,Create Date,Lifecycle Stage,Original Source\n" + rows)
    card = scorecard.compute(load_export(load_mapping(preset="hubspot"), leads=leads))
    names = [c["channel"] for c in card["by_channel"]]
    assert len(names) == 100 and "(other sources)" in names
    # 150 sources of 4 leads each: 99 kept, the other 51 (204 leads) together
    other = next(c for c in card["by_channel"] if c["channel"] == "(other sources)")
    assert other["funnel"]["inquiry"] == 51 * 4
    assert sum(c["funnel"]["inquiry"] for c in card["by_channel"]) == 600
    assert any("150 different sources" in n for n in card["data_quality"]["notes"])


def test_every_shape_of_scorecard_matches_the_schema_and_feeds_the_playbook(tmp_path, capsys):
    import jsonschema

    from alignkit.teamtools import playbook

    schema = json.loads(package_path("alignkit.teamtools.crm", "scorecard.schema.json").read_text(encoding="utf-8"))
    deals_only = run_json(
        ["scorecard", "--deals", str(PIPEDRIVE), "--preset", "pipedrive", "--change-date", "2025-10-01"], capsys
    )
    m = write(tmp_path, "map.toml", MQL_MAP)
    mqls = json.loads(
        json.dumps(
            scorecard.compute(
                load_export(
                    load_mapping(m),
                    leads=write(tmp_path, "l.csv", MQL_LEADS),
                    deals=write(tmp_path, "d.csv", WON_DEALS),
                )
            )
        )
    )
    for card in (deals_only, mqls):
        jsonschema.validate(card, schema)
        playbook.check_scorecard(card, "card.json")
    answers = playbook.load_answers(playbook.EXAMPLE_ANSWERS)
    answers["sla"]["opportunity_to_win"] = None  # taken from the deals-only scorecard's win rate
    pb = playbook.build_playbook(answers, deals_only, scorecard_name="card.json")
    assert pb["sla"]["rates"]["opportunity_to_win"] == pytest.approx(deals_only["deals"]["win_rate"]["value"])
    assert pb["sla"]["current_mqls_per_month"] is None
    playbook.render_markdown(pb)
    playbook.render_html(pb)
    # a won-only export has no win rate to give: the playbook says so instead of using 100 %
    with pytest.raises(playbook.PlaybookError, match="only won deals"):
        playbook.build_playbook(answers, mqls, scorecard_name="card.json")
