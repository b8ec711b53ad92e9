"""Malformed exports and mappings: each must end with exit status 2 and one message that names the
file, the column and the row(s) — no traceback, and no output file left behind."""

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from alignkit import cli

LEADS = (
    "Record ID,Create Date,Lifecycle Stage,Original Source,Became a Marketing Qualified Lead Date\n"
    "1,2025-01-02 10:00,Marketing Qualified Lead,Paid Search,2025-01-03 10:00\n"
    "2,2025-01-05 09:00,Lead,Referrals,\n"
)
DEALS = (
    "Record ID,Deal Stage,Amount,Create Date,Close Date,Associated Contact IDs\n"
    "10,Closed Won,1000,2025-02-01,2025-03-01,1\n"
)


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def leads_with(folder, old, new, name="contacts.csv"):
    assert old in LEADS
    return write(folder, name, LEADS.replace(old, new))


def mapping(folder, text, name="mapping.toml"):
    return write(folder, name, text)


def xlsx(folder, name, rows, sheet="Contacts"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(folder / name)
    return folder / name


def scorecard(folder, leads, *extra, preset=("--preset", "hubspot")):
    return ["scorecard", "--leads", str(leads), *preset, "--out", str(folder / "report.html"), *extra]


# Each case: build the files in tmp_path, return (argv, words the message must contain).
def case_missing_column(d):
    f = write(
        d,
        "contacts.csv",
        LEADS.replace("Create Date,", "").replace("2025-01-02 10:00,", "").replace("2025-01-05 09:00,", ""),
    )
    return scorecard(d, f), ["contacts.csv", "'Create Date'", "row 1"]


def case_misspelt_mapping_column(d):
    m = mapping(d, 'extends = "hubspot"\n[leads]\ncreated = "Create Dat"\n')
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--mapping", str(m))), [
        "contacts.csv",
        "'Create Dat'",
        "row 1",
        "Did you mean 'Create Date'",
    ]


def case_misspelt_stage_date_column(d):
    m = mapping(d, 'extends = "hubspot"\n[leads.stage_dates]\nsql = "Became a SQL Date"\n')
    f = write(
        d,
        "contacts.csv",
        LEADS.replace(
            "Became a Marketing Qualified Lead Date", "Became a Marketing Qualified Lead Date,Became an SQL Date"
        )
        .replace("2025-01-03 10:00", "2025-01-03 10:00,")
        .replace("Referrals,", "Referrals,,"),
    )
    return scorecard(d, f, preset=("--mapping", str(m))), [
        "contacts.csv",
        "'Became a SQL Date'",
        "row 1",
        "Did you mean 'Became an SQL Date'",
    ]


def case_unparseable_date(d):
    f = leads_with(d, "2025-01-05 09:00", "2025-13-45 09:00")
    return scorecard(d, f), ["contacts.csv", "'Create Date'", "row 3", "2025-13-45"]


def case_text_in_date_column(d):
    f = leads_with(d, "2025-01-02 10:00", "yesterday")
    return scorecard(d, f), ["contacts.csv", "'Create Date'", "row 2", "yesterday"]


def case_ambiguous_date_without_order(d):
    f = write(
        d, "contacts.csv", LEADS.replace("2025-01-02 10:00", "03/04/2025").replace("2025-01-05 09:00", "05/05/2025")
    )
    return scorecard(d, f), ["contacts.csv", "'Create Date'", "row 2", "03/04/2025", "date_order"]


def case_mixed_day_and_month_first(d):
    f = write(
        d, "contacts.csv", LEADS.replace("2025-01-02 10:00", "13/04/2025").replace("2025-01-05 09:00", "04/13/2025")
    )
    return scorecard(d, f), ["contacts.csv", "'Create Date'", "row 2", "row 3", "mixed"]


def case_empty_file(d):
    return scorecard(d, write(d, "contacts.csv", "")), ["contacts.csv", "empty"]


def case_header_only(d):
    return scorecard(d, write(d, "contacts.csv", LEADS.splitlines()[0] + "\n")), ["contacts.csv", "row 1", "no records"]


def case_blank_first_line(d):
    return scorecard(d, write(d, "contacts.csv", "\n" + LEADS)), ["contacts.csv", "row 1", "header"]


def case_wrong_separator(d):
    m = mapping(d, 'extends = "hubspot"\nseparator = ","\n')
    f = write(d, "contacts.csv", LEADS.replace(",", ";"))
    return scorecard(d, f, preset=("--mapping", str(m))), ["contacts.csv", "'Record ID'", "row 1", "semicolon"]


def case_non_utf8_bytes(d):
    f = write(d, "contacts.csv", LEADS.replace("Referrals", "Références").encode("latin-1"))
    return scorecard(d, f), ["contacts.csv", "'Original Source'", "row 3", "UTF-8"]


def case_key_joins_nothing(d):
    f = write(d, "contacts.csv", LEADS)
    deals = write(d, "deals.csv", DEALS.replace(",1\n", ",999\n"))
    return scorecard(d, f, "--deals", str(deals)), ["deals.csv", "'Associated Contact IDs'", "row 2", "'999'"]


def case_negative_amount(d):
    deals = write(d, "deals.csv", DEALS.replace(",1000,", ",-1000,"))
    return scorecard(d, write(d, "contacts.csv", LEADS), "--deals", str(deals)), [
        "deals.csv",
        "'Amount'",
        "row 2",
        "-1000",
    ]


def case_amount_is_text(d):
    deals = write(d, "deals.csv", DEALS.replace(",1000,", ",a lot,"))
    return scorecard(d, write(d, "contacts.csv", LEADS), "--deals", str(deals)), [
        "deals.csv",
        "'Amount'",
        "row 2",
        "a lot",
    ]


def case_future_date(d):
    f = leads_with(d, "2025-01-05 09:00", "2099-01-05 09:00")
    return scorecard(d, f), ["contacts.csv", "'Create Date'", "row 3", "future"]


def case_future_close_of_won_deal(d):
    deals = write(d, "deals.csv", DEALS.replace("2025-03-01", "2099-03-01"))
    return scorecard(d, write(d, "contacts.csv", LEADS), "--deals", str(deals)), [
        "deals.csv",
        "'Close Date'",
        "row 2",
        "future",
    ]


def case_huge_cell(d):
    f = leads_with(d, "Referrals", "R" * 10_000)
    return scorecard(d, f), ["contacts.csv", "'Original Source'", "row 3", "10,000 characters"]


def case_unclosed_quote(d):
    f = leads_with(d, "Referrals", '"Referrals')
    return scorecard(d, f), ["contacts.csv", "row 3"]


def case_duplicate_header_column(d):
    f = write(
        d,
        "contacts.csv",
        LEADS.replace("Original Source,", "Original Source,Create Date,")
        .replace("Paid Search,", "Paid Search,x,")
        .replace("Referrals,", "Referrals,x,"),
    )
    return scorecard(d, f), ["contacts.csv", "'Create Date'", "row 1", "2 times"]


def case_duplicate_keys_in_mapping(d):
    m = mapping(d, 'extends = "hubspot"\n[leads]\nid = "Record ID"\nid = "Contact ID"\n')
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--mapping", str(m))), [
        "mapping.toml",
        "line 4",
        "not valid TOML",
    ]


def case_unknown_stage_name(d):
    f = leads_with(d, ",Lead,", ",Marketing Qualifed Lead,")
    return scorecard(d, f), ["contacts.csv", "'Lifecycle Stage'", "row 3", "Marketing Qualifed Lead", "Did you mean"]


def case_unknown_deal_stage(d):
    deals = write(d, "deals.csv", DEALS.replace("Closed Won", "Won-ish"))
    return scorecard(d, write(d, "contacts.csv", LEADS), "--deals", str(deals)), [
        "deals.csv",
        "'Deal Stage'",
        "row 2",
        "Won-ish",
    ]


def case_unknown_preset(d):
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--preset", "hubspt")), [
        "unknown preset 'hubspt'",
        "Did you mean 'hubspot'",
    ]


def case_bad_toml(d):
    m = mapping(d, 'extends = "hubspot"\n[leads]\nid = Record ID\n')
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--mapping", str(m))), [
        "mapping.toml",
        "line 3",
        "not valid TOML",
    ]


def case_unknown_mapping_setting(d):
    m = mapping(d, 'extends = "hubspot"\n[leads]\ncraeted = "Create Date"\n')
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--mapping", str(m))), [
        "mapping.toml",
        "craeted",
        "Did you mean 'created'",
    ]


def case_bad_date_order(d):
    m = mapping(d, 'extends = "hubspot"\ndate_order = "YMD"\n')
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--mapping", str(m))), [
        "mapping.toml",
        "date_order",
        "DMY",
    ]


def case_stage_mapped_to_unknown_course_stage(d):
    m = mapping(d, 'extends = "hubspot"\n[leads.stages]\n"Lead" = "prospect"\n')
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--mapping", str(m))), [
        "mapping.toml",
        "'prospect'",
        "inquiry, mql",
    ]


def case_mapping_points_at_missing_file(d):
    m = mapping(d, 'extends = "hubspot"\n[spend]\nfile = "spend-2025.csv"\n')
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--mapping", str(m))), [
        "spend-2025.csv",
        "does not exist",
    ]


def case_missing_mapping_file(d):
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--mapping", str(d / "nope.toml"))), [
        "nope.toml",
        "does not exist",
    ]


def case_missing_leads_file(d):
    return scorecard(d, d / "contacts-2025.csv"), ["contacts-2025.csv", "does not exist"]


def case_blank_id(d):
    f = leads_with(d, "2,2025-01-05", ",2025-01-05")
    return scorecard(d, f), ["contacts.csv", "'Record ID'", "row 3", "empty"]


def case_xlsx_wrong_sheet(d):
    book = xlsx(d, "contacts.xlsx", [r.split(",") for r in LEADS.splitlines()], sheet="Contacts")
    m = mapping(d, 'extends = "hubspot"\n[leads]\nsheet = "Contacs"\n')
    return scorecard(d, book, preset=("--mapping", str(m))), ["contacts.xlsx", "'Contacs'", "Did you mean 'Contacts'"]


def case_xlsx_empty_sheet(d):
    book = xlsx(d, "contacts.xlsx", [], sheet="Contacts")
    return scorecard(d, book), ["contacts.xlsx", "sheet 'Contacts'", "row 1", "empty"]


def case_xlsx_not_a_workbook(d):
    book = write(d, "contacts.xlsx", LEADS)
    return scorecard(d, book), ["contacts.xlsx", "not a readable Excel"]


def case_xlsx_bad_date(d):
    rows = [r.split(",") for r in LEADS.splitlines()]
    rows[2][1] = "31.02.2025"
    book = xlsx(d, "contacts.xlsx", rows)
    return scorecard(d, book), ["contacts.xlsx", "'Create Date'", "row 3", "31.02.2025"]


def case_won_flag_not_boolean(d):
    leads = write(
        d,
        "leads.csv",
        "Lead ID,Created Date,Lead Status,Converted Opportunity ID\nL1,2025-01-02,Closed - Converted,O1\n",
    )
    opps = write(d, "opps.csv", "Opportunity ID,Stage,Amount,Close Date,Won\nO1,Closed Won,10,2025-02-01,maybe\n")
    return scorecard(d, leads, "--deals", str(opps), preset=("--preset", "salesforce")), [
        "opps.csv",
        "'Won'",
        "row 2",
        "maybe",
    ]


def case_margin_as_percent(d):
    rev = write(d, "revenue.csv", "Deal ID,Start Date,MRR,Gross Margin\n10,2025-03-01,100,80\n")
    deals = write(d, "deals.csv", DEALS)
    return scorecard(d, write(d, "contacts.csv", LEADS), "--deals", str(deals), "--revenue", str(rev)), [
        "revenue.csv",
        "'Gross Margin'",
        "row 2",
        "fraction",
    ]


def case_churn_before_start(d):
    rev = write(d, "revenue.csv", "Deal ID,Start Date,MRR,Churn Date\n10,2025-03-01,100,2025-02-01\n")
    deals = write(d, "deals.csv", DEALS)
    return scorecard(d, write(d, "contacts.csv", LEADS), "--deals", str(deals), "--revenue", str(rev)), [
        "revenue.csv",
        "'Churn Date'",
        "row 2",
        "before the start",
    ]


def case_spend_missing_month(d):
    spend = write(d, "spend.csv", "Channel,Month,Amount\nPaid Search,,100\n")
    return scorecard(d, write(d, "contacts.csv", LEADS), "--spend", str(spend)), [
        "spend.csv",
        "'Month'",
        "row 2",
        "empty",
    ]


def case_bad_change_date(d):
    return scorecard(d, write(d, "contacts.csv", LEADS), "--change-date", "2025-13-01"), [
        "--change-date",
        "2025-13-01",
        "YYYY-MM-DD",
    ]


def case_out_folder_missing(d):
    argv = scorecard(d, write(d, "contacts.csv", LEADS))
    argv[argv.index("--out") + 1] = str(d / "no-such-folder" / "report.html")
    return argv, ["--out", "no-such-folder", "does not exist"]


# --- silent wrong numbers: refused, never counted -------------------------------------------------


def case_unquoted_thousands_in_last_column(d):
    deals = write(
        d,
        "deals.csv",
        DEALS.replace("Close Date,Associated Contact IDs", "Close Date,Associated Contact IDs,Amount Again").replace(
            "2025-03-01,1\n", "2025-03-01,1,1,500\n"
        ),
    )
    return scorecard(d, write(d, "contacts.csv", LEADS), "--deals", str(deals)), [
        "deals.csv",
        "row 2",
        "8 fields",
        "header (row 1) has 7",
        "quotes",
    ]


def case_short_row(d):
    f = write(d, "contacts.csv", LEADS.replace("2,2025-01-05 09:00,Lead,Referrals,", "2,2025-01-05 09:00,Lead"))
    return scorecard(d, f), ["contacts.csv", "row 3", "3 fields", "has 5"]


def case_long_row_among_many(d):
    rows = "".join(f"{i},2025-01-02 10:00,Lead,Referrals,\n" for i in range(3, 40))
    f = write(d, "contacts.csv", LEADS + rows + "99,2025-01-02 10:00,Lead,Referrals,,extra\n")
    return scorecard(d, f), ["contacts.csv", "row 41", "6 fields"]


def case_infinite_amount(d):
    deals = write(d, "deals.csv", DEALS.replace(",1000,", ",1e309,"))
    return scorecard(d, write(d, "contacts.csv", LEADS), "--deals", str(deals)), [
        "deals.csv",
        "'Amount'",
        "row 2",
        "1e309",
        "infinite",
    ]


def case_infinity_word_amount(d):
    deals = write(d, "deals.csv", DEALS.replace(",1000,", ",Infinity,"))
    return scorecard(d, write(d, "contacts.csv", LEADS), "--deals", str(deals)), [
        "deals.csv",
        "'Amount'",
        "row 2",
        "Infinity",
    ]


def case_amount_too_large_to_sum(d):
    spend = write(d, "spend.csv", "Channel,Month,Amount\nPaid Search,2025-01,1e300\nPaid Search,2025-02,1e300\n")
    return scorecard(d, write(d, "contacts.csv", LEADS), "--spend", str(spend)), [
        "spend.csv",
        "'Amount'",
        "rows 2, 3",
        "larger than",
    ]


# --- exit 2, not 1 ---------------------------------------------------------------------------------


def case_binary_file_named_csv(d):
    f = write(d, "contacts.csv", b"\x00\x01\x02binary\x00" * 50)
    return scorecard(d, f), ["contacts.csv", "not a text file"]


def case_xlsx_named_csv(d):
    book = xlsx(d, "book.xlsx", [r.split(",") for r in LEADS.splitlines()])
    f = d / "contacts.csv"
    book.rename(f)
    return scorecard(d, f), ["contacts.csv", "Excel workbook", ".xlsx"]


def case_xlsx_corrupt_part(d):
    import zipfile

    book = xlsx(d, "good.xlsx", [r.split(",") for r in LEADS.splitlines()])
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(d / "contacts.xlsx", "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2] + b"<<garbage"
            dst.writestr(info, data)
    book.unlink()
    return scorecard(d, d / "contacts.xlsx"), ["contacts.xlsx", "damaged"]


def case_deeply_nested_mapping(d):
    m = mapping(d, "x = " + "[" * 5000 + "]" * 5000 + "\n")
    return scorecard(d, write(d, "contacts.csv", LEADS), preset=("--mapping", str(m))), ["mapping.toml"]


def case_xlsx_bomb(d):
    import zipfile

    book = xlsx(d, "good.xlsx", [r.split(",") for r in LEADS.splitlines()])
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(d / "contacts.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/padding.xml", b" " * (64 << 20))  # 64 MB of spaces in a few kB
    book.unlink()
    return scorecard(d, d / "contacts.xlsx"), ["contacts.xlsx", "unpack", "CSV"]


# --- output hygiene -----------------------------------------------------------------------------------


def case_terminal_escape_codes_in_a_cell(d):
    f = leads_with(d, ",Lead,", ",\x1b[31mLead\x1b]0;owned\x07\u202e,")
    return scorecard(d, f), ["contacts.csv", "row 3", "\\x1b[31mLead"]


def case_mapping_file_outside_its_folder(d):
    (d / "maps").mkdir()
    m = mapping(d / "maps", 'extends = "hubspot"\n[leads]\nfile = "../../../../etc/passwd"\n')
    return ["scorecard", *("--mapping", str(m)), "--out", str(d / "report.html")], [
        "mapping.toml",
        "outside the mapping's folder",
        "--leads",
    ]


def case_error_does_not_echo_the_header_line(d):
    f = write(d, "contacts.csv", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1\n")
    return scorecard(d, f), ["contacts.csv", "'Record ID'", "row 1"]


CASES = {name[len("case_") :]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")}


def test_there_are_at_least_25_cases():
    assert len(CASES) >= 25


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_exits_2_with_a_clear_message(name, tmp_path, capsys):
    before = set(tmp_path.iterdir())
    argv, words = CASES[name](tmp_path)
    made = set(tmp_path.iterdir())
    status = cli.main(argv)
    out, err = capsys.readouterr()
    assert status == 2, (name, err)
    assert "Traceback" not in err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in err), err
    assert "root:x" not in err  # never the content of a file beyond the offending cell
    for word in words:
        assert word in err, f"{name}: {word!r} not in {err!r}"
    assert out == ""
    assert not (tmp_path / "report.html").exists()
    assert set(tmp_path.iterdir()) == made | before  # no temporary file left either


@pytest.mark.parametrize("name", ["non_utf8_bytes", "ambiguous_date_without_order", "xlsx_not_a_workbook"])
def test_bad_input_in_a_real_process_has_no_traceback(name, tmp_path):
    argv, words = CASES[name](tmp_path)
    proc = subprocess.run([sys.executable, "-m", "alignkit.cli", *argv], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert all(w in proc.stderr for w in words)
    assert not (tmp_path / "report.html").exists()


def test_a_failed_run_leaves_an_existing_report_untouched(tmp_path, capsys):
    argv, _ = case_unparseable_date(tmp_path)
    (tmp_path / "report.html").write_text("last week's report", encoding="utf-8")
    assert cli.main(argv) == 2
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "last week's report"
