"""Rejected is its own outcome (Salesforce's Unqualified is not an accepted lead), and acceptance
and speed are two promises the playbook keeps apart, in its text and in what it computes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from alignkit.teamtools import playbook, scorecard
from alignkit.teamtools.crm import CrmError, load_export, load_mapping

from .test_crm_bad_input import write

ROOT = Path(__file__).resolve().parents[1]

SF_LEADS = (
    "Lead ID,Created Date,Lead Status,Lead Source\n"
    "L1,2025-01-02,Open - Not Contacted,Web\n"
    "L2,2025-01-03,Working - Contacted,Web\n"
    "L3,2025-01-04,Unqualified,Web\n"
    "L4,2025-01-05,Qualified,Partner\n"
    "L5,2025-01-06,Nurturing,Partner\n"
)


def sf_card(tmp_path):
    crm = load_export(load_mapping(preset="salesforce"), leads=write(tmp_path, "leads.csv", SF_LEADS))
    return crm, scorecard.compute(crm)


def test_unqualified_is_rejected_not_accepted(tmp_path):
    crm, card = sf_card(tmp_path)
    # by hand: L1-L4 reached MQL; L2 (working) and L4 (qualified) were accepted; L3 was rejected
    by = {f["stage"]: f["leads"] for f in card["funnel"]}
    assert by["mql"] == 4 and by["sal"] == 2
    assert list(crm.leads["rejected"]) == [False, False, True, False, False]
    h = card["handoff"]
    assert h["rejected"]["value"] == 1 and h["accepted"]["value"] == 2 and h["undecided"]["value"] == 1
    assert h["acceptance_rate"]["value"] == pytest.approx(2 / 4)
    assert h["rejection_rate"]["value"] == pytest.approx(1 / 4)
    assert card["conversion"]["mql→sal"]["value"] == pytest.approx(2 / 4)  # was 3/4 while Unqualified meant SAL


def test_the_preset_says_rejected():
    assert load_mapping(preset="salesforce").stage_map("leads")["unqualified"] == "rejected"


def test_rejections_unknown_when_nothing_maps_to_rejected(tmp_path):
    samples = ROOT / "data" / "crm-samples" / "hubspot"
    card = scorecard.compute(load_export(load_mapping(preset="hubspot"), leads=samples / "contacts.csv"))
    assert card["handoff"]["rejected"]["value"] is None  # never a confident 0
    assert "rejected" in card["handoff"]["rejected"]["unavailable"]


def test_a_typo_for_rejected_is_refused(tmp_path):
    m = write(tmp_path, "m.toml", 'extends = "salesforce"\n[leads.stages]\n"Unqualified" = "rejectd"\n')
    with pytest.raises(CrmError, match="rejected"):
        load_mapping(m)


# --- the playbook keeps acceptance and speed apart ---------------------------------------------------


def answers(**definitions):
    a = playbook.load_answers(playbook.EXAMPLE_ANSWERS)
    a["definitions"].update(definitions)
    return a


def test_sal_definition_has_no_hours_and_speed_is_its_own_promise():
    for hours in (1, 24, 72):
        pb = playbook.build_playbook(answers(response_hours=hours))
        sal = next(d for s, d, _ in pb["definitions"]["stages"] if s == "SAL")
        assert "hour" not in sal and "agreed to work" in sal
        promises = dict(pb["definitions"]["promises"])
        assert f"within {hours} hours" in promises["Speed (a separate promise)"]
        assert "whatever the hour" in promises["Acceptance (a decision)"]
        assert "hours" not in promises["Acceptance (a decision)"].replace("whatever the hour", "")
        md, html = playbook.render_markdown(pb), playbook.render_html(pb)
        for text in (md, html):
            assert "Acceptance (a decision)" in text and "Speed (a separate promise)" in text
    owed = dict(playbook.sales_owes(pb["sla"]))
    assert "hours" in owed["speed"] and "hours" not in owed["acceptance"]


@pytest.fixture(scope="module")
def card():
    samples = ROOT / "data" / "crm-samples" / "hubspot"
    crm = load_export(load_mapping(preset="hubspot"), leads=samples / "contacts.csv", deals=samples / "deals.csv")
    return json.loads(json.dumps(scorecard.compute(crm)))


def test_speed_figures_never_change_acceptance(card):
    slow = copy.deepcopy(card)
    slow["response"]["median_hours"]["value"] = 500.0
    slow["response"]["within_24h"]["value"] = 0.01
    a, b = playbook.build_playbook(answers(), card), playbook.build_playbook(answers(), slow)
    assert a["definitions"]["now"]["acceptance"] == b["definitions"]["now"]["acceptance"]
    assert a["definitions"]["now"]["acceptance"] == pytest.approx(card["handoff"]["acceptance_rate"]["value"])
    assert a["definitions"]["now"]["problems"] == b["definitions"]["now"]["problems"]
    assert a["sla"]["mqls_per_month"] == b["sla"]["mqls_per_month"]
    text = playbook._now_text(b["definitions"]["now"])
    assert "Speed, a separate promise: 1% of MQLs were first touched within 24 hours (median 500.0 hours)" in text
    assert f"sales accepts {a['definitions']['now']['acceptance']:.0%}" in text
