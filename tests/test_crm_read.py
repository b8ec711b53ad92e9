"""Reading real-world exports: separators, BOM, line endings, date styles, Excel, implied stages,
deals without a lead, duplicates, presets and overrides."""

import numpy as np
import openpyxl
import pandas as pd
import pytest

from alignkit.teamtools.crm import CrmError, load_export, load_mapping, presets


def write(folder, name, text, **kw):
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_presets_are_shipped():
    assert presets() == ["hubspot", "pipedrive", "salesforce"]


def test_semicolons_bom_crlf_and_dotted_day_first_dates(tmp_path):
    text = (
        "\ufeffRecord ID;Create Date;Lifecycle Stage;Original Source\r\n"
        "1;02.01.2025 10:30;Lead;Paid Search\r\n"
        "2;13.01.2025;Customer;Events\r\n"
    )
    m = write(tmp_path, "m.toml", 'extends = "hubspot"\ndate_order = "DMY"\n')
    crm = load_export(load_mapping(m), leads=write(tmp_path, "c.csv", text))
    assert list(crm.leads["lead_id"]) == ["1", "2"]
    assert list(crm.leads["inquiry_at"]) == [pd.Timestamp("2025-01-02 10:30"), pd.Timestamp("2025-01-13")]
    assert list(crm.leads["channel"]) == ["Paid Search", "Events"]


@pytest.mark.parametrize(
    "order,cell,expected",
    [
        ("MDY", "03/04/2025", "2025-03-04"),
        ("DMY", "03/04/2025", "2025-04-03"),
        ("DMY", "03-04-2025 17:05", "2025-04-03 17:05"),
        ("MDY", "3/4/2025 1:05 PM", "2025-03-04 13:05"),
        (None, "2025-04-03T09:00:00Z", "2025-04-03 09:00"),
    ],
)
def test_date_styles(tmp_path, order, cell, expected):
    head = 'extends = "hubspot"\n' + (f'date_order = "{order}"\n' if order else "")
    m = write(tmp_path, "m.toml", head)
    leads = write(tmp_path, "c.csv", f"Record ID,Create Date,Lifecycle Stage\n1,{cell},Lead\n")
    crm = load_export(load_mapping(m), leads=leads)
    assert crm.leads["inquiry_at"].iloc[0] == pd.Timestamp(expected)


def test_unambiguous_slash_dates_need_no_date_order(tmp_path):
    leads = write(tmp_path, "c.csv", "Record ID,Create Date,Lifecycle Stage\n1,13/04/2025,Lead\n2,05/05/2025,Lead\n")
    crm = load_export(load_mapping(preset="hubspot"), leads=leads)
    assert list(crm.leads["inquiry_at"]) == [pd.Timestamp("2025-04-13"), pd.Timestamp("2025-05-05")]


def test_ambiguous_date_is_never_guessed(tmp_path):
    leads = write(tmp_path, "c.csv", "Record ID,Create Date,Lifecycle Stage\n1,03/04/2025,Lead\n")
    with pytest.raises(CrmError, match="date_order"):
        load_export(load_mapping(preset="hubspot"), leads=leads)


def test_current_stage_without_dates_implies_earlier_stages(tmp_path):
    leads = write(
        tmp_path,
        "c.csv",
        "Record ID,Create Date,Lifecycle Stage\n1,2025-01-01,Sales Qualified Lead\n2,2025-01-02,Lead\n3,2025-01-03,\n",
    )
    crm = load_export(load_mapping(preset="hubspot"), leads=leads)
    assert list(crm.leads["furthest"]) == [3, 0, 0]  # sql, inquiry, inquiry (blank stage)
    assert crm.leads["mql_at"].isna().all()
    assert crm.counts["stages_reached_without_date"] == 3  # mql, sal, sql of lead 1


def test_deals_raise_their_lead_and_missing_leads_are_counted(tmp_path):
    leads = write(tmp_path, "c.csv", "Record ID,Create Date,Lifecycle Stage\n1,2025-01-01,Lead\n2,2025-01-02,Lead\n")
    deals = write(
        tmp_path,
        "d.csv",
        "Record ID,Deal Stage,Amount,Create Date,Close Date,Associated Contact IDs\n"
        '10,Closed Won,"1,200.50",2025-02-01,2025-03-01,1;2\n'
        "11,Closed Lost,300,2025-02-02,2025-02-20,77\n"
        "12,Contract Sent,,2025-02-03,2030-01-01,\n",
    )
    crm = load_export(load_mapping(preset="hubspot"), leads=leads, deals=deals)
    assert list(crm.deals["lead_id"]) == ["1", None, None]
    assert list(crm.deals["outcome"]) == ["won", "lost", "open"]
    assert crm.deals["amount"].iloc[0] == 1200.5
    assert pd.isna(crm.deals["closed_at"].iloc[2])  # an open deal's expected close date is not an event
    assert crm.counts["deals_without_lead"] == 2
    assert list(crm.leads["furthest"]) == [5, 0]
    assert crm.leads["opportunity_at"].iloc[0] == pd.Timestamp("2025-02-01")
    assert crm.leads["won_at"].iloc[0] == pd.Timestamp("2025-03-01")


def test_duplicate_ids_keep_the_first_and_are_reported(tmp_path):
    leads = write(
        tmp_path,
        "c.csv",
        "Record ID,Create Date,Lifecycle Stage,Original Source\n"
        "1,2025-01-01,Lead,Events\n1,2025-01-09,Customer,Referrals\n2,2025-01-02,Lead,Events\n",
    )
    crm = load_export(load_mapping(preset="hubspot"), leads=leads)
    assert list(crm.leads["lead_id"]) == ["1", "2"]
    assert crm.leads["channel"].iloc[0] == "Events"
    assert crm.counts["duplicate_leads_dropped"] == 1
    assert any("row 3" in n and "first row" in n for n in crm.notes)


def test_excel_sheet_and_decimal_comma(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Opps"
    ws.append(["Opportunity ID", "Stage", "Amount", "Created Date", "Close Date", "Won"])
    ws.append(["O1", "Closed Won", "1.234,50", pd.Timestamp("2025-02-01").to_pydatetime(), "2025-03-01", True])
    ws.append(["O2", "Closed Won", "10", "2025-02-01", "2025-03-01", False])  # Won decides: lost
    wb.save(tmp_path / "opps.xlsx")
    leads = write(
        tmp_path,
        "l.csv",
        "Lead ID,Created Date,Lead Status,Converted Opportunity ID\n"
        "L1,2025-01-02,Closed - Converted,O1\nL2,2025-01-03,Open - Not Contacted,\n",
    )
    m = write(tmp_path, "m.toml", 'extends = "salesforce"\ndecimal = ","\n[deals]\nsheet = "Opps"\n')
    crm = load_export(load_mapping(m), leads=leads, deals=tmp_path / "opps.xlsx")
    assert list(crm.deals["outcome"]) == ["won", "lost"]
    assert crm.deals["amount"].iloc[0] == 1234.5
    assert crm.deals["created_at"].iloc[0] == pd.Timestamp("2025-02-01")
    assert list(crm.leads["furthest"]) == [5, 1]


def test_extends_overrides_and_blank_turns_a_column_off(tmp_path):
    m = write(
        tmp_path,
        "m.toml",
        'extends = "hubspot"\n[leads]\nchannel = "Source"\nfirst_touch = ""\n[leads.stages]\n"Raw" = "inquiry"\n',
    )
    leads = write(
        tmp_path,
        "c.csv",
        "record id,Create Date,Lifecycle Stage,Source,Date of first engagement\n1,2025-01-01,Raw,Webinar,2025-01-02\n",
    )
    crm = load_export(load_mapping(m), leads=leads)  # 'record id' matches 'Record ID' ignoring case
    assert crm.leads["channel"].iloc[0] == "Webinar"
    assert crm.touches is None


def test_optional_preset_columns_missing_from_the_file_are_noted(tmp_path):
    leads = write(tmp_path, "c.csv", "Record ID,Create Date,Lifecycle Stage\n1,2025-01-01,Lead\n")
    crm = load_export(load_mapping(preset="hubspot"), leads=leads)
    assert crm.touches is None
    assert any("Original Source" in n for n in crm.notes)
    assert (crm.leads["channel"] == "(no source)").all()


def test_samples_are_deterministic_and_small(tmp_path):
    from alignkit.teamtools.crm.samples import write_samples

    a = write_samples(tmp_path / "a")
    b = write_samples(tmp_path / "b")
    for key in a:
        assert a[key].read_bytes() == b[key].read_bytes(), key
    rows = sum(1 for _ in open(a["hubspot_contacts"], encoding="utf-8")) - 1
    assert 1000 < rows < 10_000
    assert a["salesforce_leads"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in a["salesforce_leads"].read_bytes()


def test_a_million_row_column_parses_without_per_row_python(tmp_path):
    """A guard on the vectorised date path: 200,000 ISO stamps parse in well under a few seconds."""
    import time

    from alignkit.teamtools.crm.read import date_column

    stamps = pd.Series(
        np.datetime_as_string(
            np.datetime64("2025-01-01T00:00") + np.arange(200_000).astype("timedelta64[m]"), unit="m"
        ),
        dtype=object,
        index=pd.RangeIndex(2, 200_002),
    )
    start = time.perf_counter()
    parsed = date_column(stamps, "x.csv, column 'd'", None)
    assert time.perf_counter() - start < 3
    assert parsed.iloc[-1] == pd.Timestamp("2025-01-01") + pd.Timedelta(minutes=199_999)
