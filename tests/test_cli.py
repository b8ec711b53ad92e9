"""The ``alignkit`` command: scorecard output, atomic writing, the playbook hook, no network."""

import json
import socket
import subprocess
import sys
import types

import pytest

from alignkit import cli
from alignkit.teamtools.crm.samples import write_samples


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return write_samples(tmp_path_factory.mktemp("cli-samples"))


def hubspot_argv(samples, *extra):
    return [
        "scorecard",
        "--leads",
        str(samples["hubspot_contacts"]),
        "--deals",
        str(samples["hubspot_deals"]),
        "--spend",
        str(samples["spend"]),
        "--revenue",
        str(samples["revenue"]),
        "--preset",
        "hubspot",
        *extra,
    ]


def test_json_output_and_report(samples, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert cli.main(hubspot_argv(samples, "--format", "json", "--change-date", "2025-10-01", "--out", str(out))) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["schema"] == "alignkit.scorecard/1"
    assert card["before_after"]["change_date"] == "2025-10-01"
    page = out.read_text(encoding="utf-8")
    assert "Before and after the change" in page and "Paid Search" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temporary file left


def test_text_summary(samples, capsys):
    assert cli.main(hubspot_argv(samples)) == 0
    text = capsys.readouterr().out
    assert text.startswith("Scorecard of contacts.csv")
    assert "Funnel: Inquiry" in text and "Win rate: " in text and "CAC: " in text


def test_salesforce_mapping_file(samples, capsys):
    argv = [
        "scorecard",
        "--leads",
        str(samples["salesforce_leads"]),
        "--deals",
        str(samples["salesforce_opportunities"]),
        "--mapping",
        str(samples["salesforce_mapping"]),
        "--format",
        "json",
    ]
    assert cli.main(argv) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["economics"]["cac"]["value"] is None and "spend" in card["economics"]["cac"]["unavailable"]


def test_csv_output_is_written(samples, tmp_path, capsys):
    target = tmp_path / "channels.csv"
    assert cli.main(hubspot_argv(samples, "--csv", str(target))) == 0
    assert target.read_text(encoding="utf-8").startswith("channel,inquiry leads")


def test_report_replaces_an_old_one_atomically(samples, tmp_path, capsys):
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    assert cli.main(hubspot_argv(samples, "--out", str(out))) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_no_network_connection_is_opened(samples, tmp_path, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the scorecard tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert cli.main(hubspot_argv(samples, "--out", str(tmp_path / "r.html"))) == 0


def test_usage_errors_exit_2(capsys):
    assert cli.main(["scorecard", "--preset", "hubspot"]) == 2
    assert "--leads" in capsys.readouterr().err
    assert cli.main(["forecast"]) == 2


def test_playbook_is_wired_to_its_module(monkeypatch, capsys):
    fake = types.ModuleType("alignkit.teamtools.playbook")
    fake.add_arguments = lambda p: p.add_argument("--team", required=True)
    fake.run = lambda args: 7 if args.team == "growth" else 0
    monkeypatch.setitem(sys.modules, "alignkit.teamtools.playbook", fake)
    assert cli.main(["playbook", "--team", "growth"]) == 7


def test_runs_as_a_module():
    proc = subprocess.run(
        [sys.executable, "-m", "alignkit.cli", "scorecard", "--help"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and "--change-date" in proc.stdout
