"""The playbook builder (alignkit.teamtools.playbook): the example answers, escaping, bad input and the CLI."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from alignkit.teamtools import playbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = playbook.EXAMPLE_ANSWERS
SAMPLES = ROOT / "data" / "crm-samples"


def run(tmp_path, answers_text=None, *, answers=None, scorecard=None, out="out"):
    """Run the command in-process; returns (status, out folder)."""
    if answers is None:
        answers = tmp_path / "answers.toml"
        answers.write_text(answers_text, encoding="utf-8")
    folder = tmp_path / out if out else None
    args = argparse.Namespace(
        answers=str(answers), scorecard=str(scorecard) if scorecard else None, out=str(folder) if folder else None
    )
    return playbook.run(args), folder


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def expected_sla(goal, months, share, deal, l2o, o2w):
    """HubSpot Academy's arithmetic, by hand: MQLs a month = goal × share ÷ deal ÷ o2w ÷ l2o ÷ months."""
    deals = goal * share / deal
    opportunities = deals / o2w
    mqls = opportunities / l2o
    return (math.ceil(deals / months - 1e-9), math.ceil(opportunities / months - 1e-9), math.ceil(mqls / months - 1e-9))


# --- the example ----------------------------------------------------------------------------------


def test_example_playbook_has_the_sla_numbers(tmp_path, capsys):
    status, folder = run(tmp_path, answers=EXAMPLE)
    assert status == 0
    md = (folder / "playbook.md").read_text(encoding="utf-8")
    page = (folder / "playbook.html").read_text(encoding="utf-8")
    # the example: 90,000 in 3 months, 90 % from marketing, deal 2,100, MQL→opp 10 %, opp→win 22 %
    deals, opps, mqls = expected_sla(90_000, 3, 0.9, 2_100, 0.10, 0.22)
    assert (deals, opps, mqls) == (13, 59, 585)
    for text in (md, page):
        assert f"{mqls:,}" in text and f"{opps:,}" in text and f"{deals:,}" in text
        assert "Example team" in text
        for heading in ("Definitions", "SLA", "OKRs", "Meeting cadence", "RACI", "Change communication plan"):
            assert heading in text
    assert re.search(rf"\*\*MQLs marketing owes sales a month\*\* \| \*\*{mqls}\*\*", md)
    # the vague key result is marked, the measurable ones are not
    assert "Improve follow-up quality (NOT YET MEASURABLE" in md
    assert md.count("(measurable)") == 3
    assert "Wrote" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == ["playbook.html", "playbook.md"]


def test_html_is_self_contained(tmp_path):
    status, folder = run(tmp_path, answers=EXAMPLE)
    page = (folder / "playbook.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script|<link|<img|<iframe|src=|href=|@import|url\(", page, re.I)


def test_rates_from_the_scorecard(tmp_path):
    card = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-m",
                "alignkit.cli",
                "scorecard",
                "--leads",
                str(SAMPLES / "hubspot" / "contacts.csv"),
                "--deals",
                str(SAMPLES / "hubspot" / "deals.csv"),
                "--preset",
                "hubspot",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    )
    card_path = tmp_path / "card.json"
    card_path.write_text(json.dumps(card), encoding="utf-8")
    text = re.sub(r"^(average_deal|lead_to_opportunity|opportunity_to_win) = .*$", "", example_text(), flags=re.M)
    status, folder = run(tmp_path, text, scorecard=card_path)
    assert status == 0
    md = (folder / "playbook.md").read_text(encoding="utf-8")
    # independently: the won deals' mean amount, won ÷ closed, opportunity leads ÷ MQL leads
    stages = {f["stage"]: f["leads"] for f in card["funnel"]}
    deal = card["deals"]["average_deal_size"]["value"]
    o2w = card["deals"]["won"]["value"] / (card["deals"]["won"]["value"] + card["deals"]["lost"]["value"])
    l2o = stages["opportunity"] / stages["mql"]
    _, _, mqls = expected_sla(90_000, 3, 0.9, deal, l2o, o2w)
    assert f"**{mqls:,}**" in md
    assert "from the scorecard (card.json" in md
    assert "MQLs a month now" in md


def test_a_typed_rate_wins_over_the_scorecard(tmp_path):
    pb = playbook.build_playbook(
        playbook.load_answers(EXAMPLE),
        {
            "schema": playbook.SCORECARD_SCHEMA,
            "leads_from": "2025-01-01",
            "leads_to": "2025-01-30",
            "funnel": [],
            "deals": {},
        },
    )
    assert pb["sla"]["rates"]["opportunity_to_win"] == 0.22
    assert pb["sla"]["rate_source"]["opportunity_to_win"].startswith("typed in")


def test_script_typed_in_an_answer_is_escaped(tmp_path):
    evil = '<script>alert("x")</script>'
    text = example_text().replace('team = "Example team"', f"team = '{evil}'")
    text = text.replace('objective = "Sales trusts the leads marketing sends"', f"objective = '{evil} & more'")
    text = text.replace(
        '"head of marketing" = "A"\n"marketing operations" = "R"',
        f'"head of marketing" = "A"\n"marketing operations" = "R"\n\'{evil}\' = "C"',
        1,
    )
    status, folder = run(tmp_path, text)
    assert status == 0
    page = (folder / "playbook.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&amp; more" in page
    # read back by an HTML parser: no element came from the answers, and each answer is there as typed
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find_all(["script", "img", "iframe", "a", "link"])
    assert soup.title.get_text() == f"Playbook: {evil}" and soup.h1.get_text().endswith(f": {evil}")
    assert f"Objective 1: {evil} & more" in [p.get_text() for p in soup.find_all("p")]
    raci = soup.find("h2", string=re.compile("RACI")).find_next("table")
    assert evil in [th.get_text() for th in raci.find_all("th")]
    md = (folder / "playbook.md").read_text(encoding="utf-8")
    assert "<script>" not in md and r"\<script\>" in md


def test_raci_without_one_accountable_is_flagged():
    answers = playbook.load_answers(EXAMPLE)
    answers["raci"]["lead follow-up"]["head of marketing"] = "A"  # two accountable
    answers["raci"]["campaign planning"]["head of marketing"] = "C"  # none accountable
    pb = playbook.build_playbook(answers)
    assert set(pb["raci"]["problems"]) == {"lead follow-up", "campaign planning"}
    md = playbook.render_markdown(pb)
    assert "lead follow-up (check)" in md and "nobody is Accountable" in md
    assert any(w.startswith("RACI: lead follow-up") for w in pb["warnings"])


def test_default_cadence_when_no_meeting_is_listed():
    answers = playbook.load_answers(EXAMPLE)
    answers["cadence"] = {"use_default": True, "meetings": []}
    pb = playbook.build_playbook(answers)
    assert any(c["meeting"] == "Joint pipeline review" and c["default"] for c in pb["cadence"])
    assert "default cadence" in playbook.render_markdown(pb)


def test_vague_change_plan_part_is_marked():
    answers = playbook.load_answers(EXAMPLE)
    answers["changes"][1]["when"] = "soon"
    pb = playbook.build_playbook(answers)
    assert "VAGUE" in playbook.render_markdown(pb)


# --- bad input: exit 2, one clear message, nothing written ------------------------------------------

BAD = {
    "bad TOML": (lambda t: t.replace('team = "Example team"', 'team = "Example team'), "not valid TOML"),
    "missing team": (
        lambda t: t.replace('team = "Example team"          # not Brightline: its bar and rates are its own\n', ""),
        "team: missing",
    ),
    "missing revenue goal": (lambda t: re.sub(r"^revenue_goal = .*$", "", t, flags=re.M), "[sla] revenue_goal"),
    "negative goal": (
        lambda t: re.sub(r"^revenue_goal = \d+", "revenue_goal = -5", t, flags=re.M),
        "[sla] revenue_goal: expected a revenue goal, a number 0 or more",
    ),
    "goal as text": (
        lambda t: re.sub(r"^revenue_goal = \d+", 'revenue_goal = "lots"', t, flags=re.M),
        "[sla] revenue_goal: expected",
    ),
    "rate above 1": (
        lambda t: t.replace("opportunity_to_win = 0.22", "opportunity_to_win = 22"),
        "[sla] opportunity_to_win: expected a rate as a fraction above 0 and at most 1",
    ),
    "rate of 0": (
        lambda t: t.replace("lead_to_opportunity = 0.10", "lead_to_opportunity = 0"),
        "[sla] lead_to_opportunity: expected a rate",
    ),
    "share below 0": (
        lambda t: t.replace("marketing_share = 0.9", "marketing_share = -0.1"),
        "[sla] marketing_share: expected a share",
    ),
    "missing rate, no scorecard": (
        lambda t: t.replace("average_deal = 2100\n", ""),
        "[sla] average_deal: missing; expected the average won deal (or give --scorecard",
    ),
    "typo in a key": (
        lambda t: t.replace("revenue_goal", "revenu_goal"),
        "unknown key 'revenu_goal'. Did you mean 'revenue_goal'?",
    ),
    "threshold out of range": (
        lambda t: t.replace("mql_threshold = 60", "mql_threshold = 160"),
        "[definitions] mql_threshold: expected a whole lead score from 0 to 100",
    ),
    "SQL criteria not a list": (
        lambda t: re.sub(r"sql_criteria = \[[^\]]*\]", 'sql_criteria = "ask them"', t),
        "[definitions] sql_criteria: expected a non-empty list of text",
    ),
    "no OKRs": (lambda t: re.sub(r"\[\[okrs\]\].*?(?=\[cadence\])", "", t, flags=re.S), "[[okrs]]: missing"),
    "key results empty": (
        lambda t: re.sub(r"key_results = \[.*?\]\n", "key_results = []\n", t, count=1, flags=re.S),
        "[[okrs]] number 1 key_results: expected a non-empty list",
    ),
    "bad RACI letter": (
        lambda t: t.replace('"head of sales" = "A"', '"head of sales" = "X"', 1),
        'head of sales": expected letters from R, A, C, I',
    ),
    "bad meeting format": (
        lambda t: t.replace('format = "virtual"', 'format = "hologram"', 1),
        '[[cadence.meetings]] number 1 format: expected "virtual" or "in person"',
    ),
    "change without what": (
        lambda t: t.replace('what = "Marketing passes', 'wat = "Marketing passes'),
        "[[changes]] number 1: unknown key 'wat'. Did you mean 'what'?",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_answers_exit_2_with_one_message(tmp_path, capsys, case):
    change, expected = BAD[case]
    text = change(example_text())
    assert text != example_text(), "the case changed nothing"
    status, folder = run(tmp_path, text)
    err = capsys.readouterr().err
    assert status == 2
    assert expected in err, err
    assert "answers.toml" in err and "Traceback" not in err
    assert err.count("\n") == 1, "one message"
    assert not folder.exists(), "nothing is written on bad input"


def test_missing_answers_file(tmp_path, capsys):
    status, folder = run(tmp_path, answers=tmp_path / "nope.toml")
    err = capsys.readouterr().err
    assert status == 2 and "nope.toml: no such file" in err and not folder.exists()


def test_bad_scorecard(tmp_path, capsys):
    card = tmp_path / "card.json"
    card.write_text("{not json", encoding="utf-8")
    status, folder = run(tmp_path, answers=EXAMPLE, scorecard=card)
    assert status == 2 and "card.json: not valid JSON" in capsys.readouterr().err and not folder.exists()
    card.write_text(json.dumps({"schema": "something else"}), encoding="utf-8")
    status, folder = run(tmp_path, answers=EXAMPLE, scorecard=card)
    assert status == 2 and "alignkit.scorecard/1" in capsys.readouterr().err and not folder.exists()


@pytest.fixture(scope="module")
def real_card():
    """A complete scorecard of the HubSpot sample export, computed in this process."""
    from alignkit.teamtools import scorecard
    from alignkit.teamtools.crm import load_export, load_mapping

    crm = load_export(
        load_mapping(preset="hubspot"),
        leads=SAMPLES / "hubspot" / "contacts.csv",
        deals=SAMPLES / "hubspot" / "deals.csv",
    )
    return json.loads(json.dumps(scorecard.compute(crm), allow_nan=False))


def test_scorecard_without_the_rate_and_none_typed(tmp_path, capsys, real_card):
    card = tmp_path / "card.json"
    real_card = json.loads(json.dumps(real_card))
    real_card["deals"]["win_rate"] = {"value": None, "unit": "share", "unavailable": "no deals file (--deals FILE)"}
    card.write_text(json.dumps(real_card))
    text = example_text().replace("opportunity_to_win = 0.22", "")
    status, folder = run(tmp_path, text, scorecard=card)
    err = capsys.readouterr().err
    assert status == 2 and "opportunity→win rate is unavailable (no deals file" in err and not folder.exists()


def test_out_is_a_file(tmp_path, capsys):
    (tmp_path / "out").write_text("x")
    status, _ = run(tmp_path, answers=EXAMPLE)
    assert status == 2 and "is a file" in capsys.readouterr().err
    assert (tmp_path / "out").read_text() == "x"


def test_write_replaces_whole_files_and_leaves_no_temp(tmp_path):
    run(tmp_path, answers=EXAMPLE)
    status, folder = run(tmp_path, answers=EXAMPLE)
    assert status == 0
    assert sorted(p.name for p in folder.iterdir()) == ["playbook.html", "playbook.md"]


def test_without_out_the_markdown_is_printed(tmp_path, capsys):
    status, _ = run(tmp_path, answers=EXAMPLE, out=None)
    assert status == 0 and capsys.readouterr().out.startswith("# Sales and marketing playbook: Example team")


# --- the command, end to end --------------------------------------------------------------------


def cli(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "alignkit.cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )


def test_cli_end_to_end(tmp_path):
    out = tmp_path / "my playbook"
    done = cli("playbook", "--answers", str(EXAMPLE), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "playbook.md").exists() and (out / "playbook.html").exists()
    assert "585" in (out / "playbook.html").read_text(encoding="utf-8")


def test_cli_bad_input_and_usage(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(example_text().replace("opportunity_to_win = 0.22", "opportunity_to_win = 1.5"))
    done = cli("playbook", "--answers", str(bad), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "bad.toml: [sla] opportunity_to_win" in done.stderr and not (tmp_path / "o").exists()
    done = cli("playbook", "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "--answers" in done.stderr and "Traceback" not in done.stderr
