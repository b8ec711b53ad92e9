"""Loading a table checks it against the schema and names the file, column and line of a problem."""

import shutil

import pandas as pd
import pytest

from alignkit.casedata import schema
from alignkit.casedata.dataset import load_company
from alignkit.casedata.schema import load_table
from alignkit.errors import DataError


@pytest.fixture
def company(tmp_path):
    shutil.copytree(schema.DATA_DIR / "brightline", tmp_path / "brightline")
    return tmp_path


def rewrite(company, table, edit):
    path = company / "brightline" / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame)
    frame.to_csv(path, index=False)
    return path


def test_every_committed_table_loads_with_types():
    data = load_company("brightline")
    assert str(data.leads["mql_at"].dtype).startswith("datetime64")
    assert str(data.leads["score"].dtype) == "Int64"
    assert data.campaigns["is_paid"].dtype == bool
    assert set(data.leads["phase"].unique()) == {"before", "first quarter", "after"}


@pytest.mark.parametrize(
    "table, edit, expected",
    [
        ("leads", lambda f: f.__delitem__("score"), r"missing column\(s\) score"),
        (
            "leads",
            lambda f: f.__setitem__("score", f["score"].where(f.index != 3, "high")),
            r"column 'score': 'high' on line\(s\) 5 is not a whole number",
        ),
        (
            "leads",
            lambda f: f.__setitem__("score", f["score"].where(f.index != 0, "140")),
            r"column 'score': 140 on line\(s\) 2 is outside the expected range 0 to 100",
        ),
        (
            "leads",
            lambda f: f.__setitem__("mql_at", f["mql_at"].where(f.index != 1, "31.01.2025")),
            r"column 'mql_at': '31.01.2025' on line\(s\) 3 is not a date and time as YYYY-MM-DD HH:MM",
        ),
        (
            "leads",
            lambda f: f.__setitem__("channel", f["channel"].where(f.index != 2, "tv")),
            r"column 'channel': 'tv' on line\(s\) 4 is not one of",
        ),
        (
            "leads",
            lambda f: f.__setitem__("inquiry_at", f["inquiry_at"].where(f.index != 2, "")),
            r"column 'inquiry_at': empty on line\(s\) 4; a value is required",
        ),
        (
            "leads",
            lambda f: f.__setitem__("lead_id", f["lead_id"].where(f.index != 5, f["lead_id"][0])),
            r"column 'lead_id': repeated value 'L000001' on line\(s\) 7",
        ),
        (
            "opportunities",
            lambda f: f.__setitem__("amount_usd", f["amount_usd"].where(f.index != 0, "-5")),
            r"column 'amount_usd': -5 on line\(s\) 2 is outside the expected range",
        ),
        (
            "campaigns",
            lambda f: f.__setitem__("is_paid", f["is_paid"].where(f.index != 0, "yes")),
            r"column 'is_paid': 'yes' on line\(s\) 2 is not True or False",
        ),
        (
            "customers",
            lambda f: f.__setitem__("start_date", f["start_date"].where(f.index != 0, "2025-13-01")),
            r"column 'start_date': '2025-13-01' on line\(s\) 2 is not a date as YYYY-MM-DD",
        ),
    ],
)
def test_bad_values_are_named(company, table, edit, expected):
    path = rewrite(company, table, edit)
    with pytest.raises(DataError, match=expected) as info:
        load_table(table, "brightline", company)
    assert str(path) in str(info.value)


def test_many_bad_rows_are_summarised(company):
    rewrite(company, "leads", lambda f: f.__setitem__("score", "x"))
    with pytest.raises(DataError, match=r"on line\(s\) 2, 3, 4, 5, 6 and \d+ more"):
        load_table("leads", "brightline", company)


def test_empty_file_and_non_utf8_and_missing_file(company):
    (company / "brightline" / "people.csv").write_text("")
    with pytest.raises(DataError, match="cannot be read as a UTF-8 CSV"):
        load_table("people", "brightline", company)
    (company / "brightline" / "okrs.csv").write_bytes("okr_id,quarter\nK1,2025Q4 \xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="cannot be read as a UTF-8 CSV"):
        load_table("okrs", "brightline", company)
    with pytest.raises(DataError, match="file not found; run 'make data'"):
        load_table("leads", "northwind", company)
    with pytest.raises(DataError, match="unknown table 'deals'"):
        load_table("deals")
