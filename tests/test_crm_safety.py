"""Nothing lost: an output never replaces an input, another output or a special file; outputs are
written together or not at all; awkward but valid files are read (CR line endings, a 2,300-column
header, a workbook that declares a huge sheet); hostile text is inert in every output."""

from __future__ import annotations

import argparse
import json
import os
import stat
import time
from pathlib import Path

import openpyxl
import pytest

from alignkit import cli, outputs
from alignkit.teamtools import playbook
from alignkit.teamtools.crm import load_export, load_mapping

from .test_crm_bad_input import DEALS, LEADS, write

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = playbook.EXAMPLE_ANSWERS


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def scorecard_argv(d: Path, *extra) -> list[str]:
    leads = write(d, "contacts.csv", LEADS)
    deals = write(d, "deals.csv", DEALS)
    return ["scorecard", "--leads", str(leads), "--deals", str(deals), "--preset", "hubspot", *extra]


def refused(argv, capsys, *words) -> str:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    assert status == 2, err
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err
    for w in words:
        assert w in err, (w, err)
    return err


# --- outputs can destroy inputs: refused before any work -----------------------------------------


@pytest.mark.parametrize("flag,target", [("--out", "contacts.csv"), ("--csv", "deals.csv"), ("--out", "deals.csv")])
def test_an_output_naming_an_input_is_refused(tmp_path, capsys, flag, target):
    argv = scorecard_argv(tmp_path, flag, str(tmp_path / target))
    before = snapshot(tmp_path)
    refused(argv, capsys, flag, "input file", target)
    assert snapshot(tmp_path) == before


def test_an_output_that_is_a_hard_link_or_another_spelling_of_an_input(tmp_path, capsys):
    argv = scorecard_argv(tmp_path)
    os.link(tmp_path / "contacts.csv", tmp_path / "report.html")
    before = snapshot(tmp_path)
    refused([*argv, "--out", str(tmp_path / "report.html")], capsys, "input file")
    (tmp_path / "sub").mkdir()
    refused([*argv, "--csv", str(tmp_path / "sub" / ".." / "deals.csv")], capsys, "input file")
    assert snapshot(tmp_path) == before


def test_an_output_naming_the_mapping_file_is_refused(tmp_path, capsys):
    m = write(tmp_path, "map.toml", 'extends = "hubspot"\n')
    argv = scorecard_argv(tmp_path)
    argv[argv.index("--preset") : argv.index("--preset") + 2] = ["--mapping", str(m)]
    refused([*argv, "--out", str(m)], capsys, "input file", "map.toml")
    assert m.read_text() == 'extends = "hubspot"\n'


def test_out_equal_to_csv_is_refused(tmp_path, capsys):
    argv = scorecard_argv(tmp_path, "--out", str(tmp_path / "x.html"), "--csv", str(tmp_path / "x.html"))
    refused(argv, capsys, "--csv", "same file as --out")
    assert not (tmp_path / "x.html").exists()


def test_special_files_are_never_replaced(tmp_path, capsys):
    argv = scorecard_argv(tmp_path)
    refused([*argv, "--out", "/dev/null"], capsys, "/dev/null", "a device")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    refused([*argv, "--csv", str(fifo)], capsys, "named pipe")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    real = write(tmp_path, "real.html", "keep")
    (tmp_path / "link.html").symlink_to(real)
    refused([*argv, "--out", str(tmp_path / "link.html")], capsys, "symbolic link")
    assert (tmp_path / "link.html").is_symlink() and real.read_text() == "keep"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file; the check uses os.access")
def test_a_read_only_report_is_not_replaced(tmp_path, capsys):
    report = write(tmp_path, "report.html", "signed-off version")
    report.chmod(0o444)
    refused(scorecard_argv(tmp_path, "--out", str(report)), capsys, "read-only")
    assert report.read_text() == "signed-off version"


def test_read_only_check_itself(tmp_path, monkeypatch):
    """The same rule as the test above, on a machine where the tests run as root."""
    report = write(tmp_path, "report.html", "signed-off version")
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == report and mode == os.W_OK else real_access(p, mode)
    )
    with pytest.raises(outputs.OutputError, match="read-only"):
        outputs.check_outputs([("--out report.html", report)], [])


def test_out_and_csv_are_written_together_or_not_at_all(tmp_path, monkeypatch):
    a, b = write(tmp_path, "a.html", "old a"), tmp_path / "b.csv"
    real_replace = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        outputs.write_together([(a, "new a"), (b, "new b")])
    monkeypatch.setattr(os, "replace", real_replace)
    assert a.read_text() == "old a" and not b.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"]  # no temporary or backup file left


def test_both_outputs_are_written(tmp_path, capsys):
    argv = scorecard_argv(tmp_path, "--out", str(tmp_path / "r.html"), "--csv", str(tmp_path / "c.csv"))
    assert cli.main(argv) == 0
    assert (tmp_path / "r.html").read_text().startswith("<!doctype html>")
    assert (tmp_path / "c.csv").read_text().startswith("channel,")


# --- the playbook: both files or neither -----------------------------------------------------------


def play(tmp_path, out, scorecard=None):
    args = argparse.Namespace(answers=str(EXAMPLE), scorecard=scorecard, out=str(out))
    return playbook.run(args)


def test_playbook_refuses_a_special_or_read_only_file_and_writes_neither(tmp_path, capsys, monkeypatch):
    out = tmp_path / "pb"
    out.mkdir()
    os.mkfifo(out / "playbook.html")
    assert play(tmp_path, out) == 2
    assert "named pipe" in capsys.readouterr().err
    assert not (out / "playbook.md").exists()
    (out / "playbook.html").unlink()
    write(out, "playbook.md", "last quarter's")
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode: False if Path(p).name == "playbook.md" and mode == os.W_OK else real_access(p, mode),
    )
    assert play(tmp_path, out) == 2
    assert "read-only" in capsys.readouterr().err
    assert (out / "playbook.md").read_text() == "last quarter's" and not (out / "playbook.html").exists()


def test_playbook_never_overwrites_its_answers(tmp_path, capsys):
    out = tmp_path / "pb"
    out.mkdir()
    answers = out / "playbook.md"
    answers.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    args = argparse.Namespace(answers=str(answers), scorecard=None, out=str(out))
    assert playbook.run(args) == 2
    assert "input file" in capsys.readouterr().err
    assert answers.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")


def test_playbook_writes_both_or_neither_when_a_rename_fails(tmp_path, monkeypatch):
    out = tmp_path / "pb"
    out.mkdir()
    write(out, "playbook.md", "old md")
    write(out, "playbook.html", "old html")
    real_replace = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if Path(dst).name == "playbook.html" and str(src).endswith(".tmp"):
            raise OSError(5, "I/O error", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        playbook.write_playbook(out, "new md", "new html")
    assert (out / "playbook.md").read_text() == "old md" and (out / "playbook.html").read_text() == "old html"


# --- a scorecard JSON with figures no export gives ----------------------------------------------


@pytest.fixture(scope="module")
def card():
    from alignkit.teamtools import scorecard

    samples = ROOT / "data" / "crm-samples" / "hubspot"
    crm = load_export(load_mapping(preset="hubspot"), leads=samples / "contacts.csv", deals=samples / "deals.csv")
    return json.loads(json.dumps(scorecard.compute(crm), allow_nan=False))


def _bad_card(card, change):
    c = json.loads(json.dumps(card))
    change(c)
    return c


BAD_CARDS = {
    "infinite average deal": (lambda c: None, "Infinity"),
    "negative average deal": (lambda c: c["deals"]["average_deal_size"].update(value=-2100.0), "0 or more"),
    "inverted funnel": (lambda c: c["funnel"][4].update(leads=c["funnel"][1]["leads"] + 500), "inverted"),
    "win rate above 1": (lambda c: c["deals"]["win_rate"].update(value=1.7), "0-1"),
    "text where a number goes": (lambda c: c["funnel"][1].update(leads="12"), "funnel[1].leads"),
    "negative count": (lambda c: c["funnel"][5].update(leads=-523), "funnel[5].leads"),
    "missing section": (lambda c: c.pop("conversion"), "'conversion' is a required property"),
    "dates inverted": (lambda c: c.update(leads_from="2026-01-01", leads_to="2025-01-01"), "inverted"),
}


@pytest.mark.parametrize("name", sorted(BAD_CARDS))
def test_playbook_refuses_a_scorecard_no_export_gives(tmp_path, capsys, card, name):
    change, words = BAD_CARDS[name]
    path = tmp_path / "card.json"
    text = json.dumps(_bad_card(card, change))
    if name == "infinite average deal":
        text = text.replace(json.dumps(card["deals"]["average_deal_size"]["value"]), "Infinity", 1)
    path.write_text(text, encoding="utf-8")
    assert play(tmp_path, tmp_path / "pb", str(path)) == 2
    err = capsys.readouterr().err
    assert words in err and "card.json" in err and err.count("\n") == 1, err
    assert not (tmp_path / "pb").exists()


def test_playbook_refuses_deeply_nested_json(tmp_path, capsys):
    path = tmp_path / "card.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert play(tmp_path, tmp_path / "pb", str(path)) == 2
    assert "card.json" in capsys.readouterr().err


def test_the_real_scorecard_passes_the_checks(card):
    playbook.check_scorecard(card, "card.json")


# --- awkward but valid files are read ---------------------------------------------------------


def test_cr_only_line_endings_are_read(tmp_path):
    f = write(tmp_path, "contacts.csv", LEADS.replace("\n", "\r"))
    crm = load_export(load_mapping(preset="hubspot"), leads=f)
    assert list(crm.leads["lead_id"]) == ["1", "2"] and list(crm.leads["row"]) == [2, 3]


def test_blank_lines_keep_spreadsheet_row_numbers(tmp_path):
    from alignkit.teamtools.crm import CrmError

    f = write(tmp_path, "contacts.csv", LEADS.replace("\n2,", "\n\n2,").replace("2025-01-05 09:00", "never"))
    with pytest.raises(CrmError, match="row 4"):
        load_export(load_mapping(preset="hubspot"), leads=f)


def test_a_header_of_2300_columns_is_read_whole(tmp_path):
    extra = [f"Custom property number {i} with a long descriptive name" for i in range(2300)]
    head, *rows = LEADS.splitlines()
    text = ",".join(extra + [head]) + "\n" + "\n".join(",".join([""] * 2300 + [r]) for r in rows) + "\n"
    assert len(text.splitlines()[0]) > 64 * 1024
    crm = load_export(load_mapping(preset="hubspot"), leads=write(tmp_path, "contacts.csv", text))
    assert list(crm.leads["channel"].astype(str)) == ["Paid Search", "Referrals"]
    assert crm.leads["mql_at"].notna().sum() == 1


def test_a_workbook_declaring_a_huge_sheet_is_read_quickly(tmp_path):
    import zipfile

    rows = [r.split(",") for r in LEADS.splitlines()] + [
        [str(i), "2025-01-02 10:00", "Lead", "Events", ""] for i in range(3, 63)
    ]
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(tmp_path / "good.xlsx")
    with zipfile.ZipFile(tmp_path / "good.xlsx") as src, zipfile.ZipFile(tmp_path / "contacts.xlsx", "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                import re

                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
                assert b"XFD1048576" in data
            dst.writestr(info, data)
    start = time.perf_counter()
    crm = load_export(load_mapping(preset="hubspot"), leads=tmp_path / "contacts.xlsx")
    assert time.perf_counter() - start < 5
    assert len(crm.leads) == 62


# --- hostile text is inert ---------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "| a | b |",
    "**bold** _it_ `code` # head",
    "&lt;script&gt;",
    "{raw}`<b>x</b>`",
    "line\nbreak\r\x1b[31m",
    "~~gone~~ $x$",
    "\u202eevil",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_makes_hostile_text_inert(text):
    import markdown_it

    out = playbook.md_text(text)
    assert "\n" not in out and "\x1b" not in out and "\u202e" not in out
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(f"| {out} |\n|---|\n| x |\n")
    for bad in ("<script", "<img", "<a ", "<strong", "<em", "<code", "<h1", "<b>", "<s>"):
        assert bad not in html, (text, html)
    assert html.count("<th>") == 1  # a | in the text never splits the table cell


def test_raci_role_names_and_every_typed_text_are_escaped_in_the_markdown(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    role = "<img src=x onerror=alert(1)>"
    text = text.replace('"head of marketing" = "A"', f'"{role}" = "A"\n"<b>boss</b>" = "A"', 1)
    answers = write(tmp_path, "answers.toml", text)
    pb = playbook.build_playbook(playbook.load_answers(answers))
    md = playbook.render_markdown(pb)
    import re

    assert not re.search(r"(?<!\\)<(img|b>)", md)
    assert playbook.md_text(role) in md  # in the table head and in the flagged problem (two Accountable)
    assert md.count(playbook.md_text(role)) >= 2


def test_no_message_carries_escape_codes(tmp_path, capsys):
    f = write(tmp_path, "contacts.csv", LEADS.replace("Lead,Referrals", "\x1b[2J\x1b[31mWiped\x07,Referrals"))
    err = refused(["scorecard", "--leads", str(f), "--preset", "hubspot"], capsys, "row 3", "\\x1b[2J")
    assert "\x1b" not in err and "\x07" not in err
