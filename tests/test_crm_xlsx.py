"""The workbook reader (alignkit.teamtools.crm.xlsx) gives the same text openpyxl gives, cell by cell, on
workbooks written by openpyxl and by pandas: dates and times, whole and decimal numbers, booleans,
shared and inline strings, blank cells and gaps between rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

from alignkit.teamtools.crm.read import _cell_text
from alignkit.teamtools.crm.xlsx import Workbook, column_index

ROOT = Path(__file__).resolve().parents[1]


def openpyxl_rows(path: Path, title: str) -> dict[int, list[str]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = {}
    for number, values in enumerate(wb[title].iter_rows(values_only=True), start=1):
        texts = [_cell_text(v) for v in values]
        while texts and texts[-1] == "":
            texts.pop()
        if texts:
            out[number] = texts
    wb.close()
    return out


def ours(path: Path, title: str) -> dict[int, list[str]]:
    book = Workbook(path)
    try:
        return {n: v for n, v in book.rows(title)}
    finally:
        book.close()


def same_text(a: str, b: str) -> bool:
    """openpyxl writes a date cell as a datetime ('2025-03-01 00:00:00'); we write '2025-03-01'."""
    return a == b or a == f"{b} 00:00:00"


def test_column_letters():
    assert [column_index(r) for r in ("A1", "Z9", "AA1", "AZ3", "XFD1048576")] == [0, 25, 26, 51, 16383]


def test_a_mixed_workbook_reads_as_openpyxl_reads_it(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Leads"
    ws.append(["ID", "Created", "Amount", "Won", "Note", "Time"])
    ws.append([101, dt.datetime(2025, 3, 1, 14, 30), 1200.5, True, "Paid Search", dt.datetime(2025, 3, 1)])
    ws.append([102, dt.date(2025, 3, 2), 1200, False, None, dt.datetime(2025, 3, 2, 0, 0, 1)])
    ws.append([])
    ws.append(["103", "2025-03-04", "1,200", "yes", "=not a formula", 0.25])
    ws["H7"] = "far cell"
    path = tmp_path / "mixed.xlsx"
    wb.save(path)
    theirs, mine = openpyxl_rows(path, "Leads"), ours(path, "Leads")
    assert set(theirs) == set(mine) == {1, 2, 3, 5, 7}
    for n in theirs:
        assert len(theirs[n]) == len(mine[n]), n
        for a, b in zip(theirs[n], mine[n], strict=True):
            assert same_text(a, b), (n, a, b)


def test_the_sample_and_a_pandas_workbook_read_the_same(tmp_path):
    sample = ROOT / "data" / "crm-samples" / "salesforce" / "opportunities.xlsx"
    frame = pd.DataFrame(
        {
            "a": ["x", "y", "x"],
            "b": [1.5, 2.0, None],
            "c": pd.to_datetime(["2025-01-01 10:00", "2025-02-01 00:00", None]),
        }
    )
    made = tmp_path / "pandas.xlsx"
    frame.to_excel(made, index=False, sheet_name="S")  # shared strings
    for path, title in ((sample, "Opportunities"), (made, "S")):
        theirs, mine = openpyxl_rows(path, title), ours(path, title)
        assert set(theirs) == set(mine)
        for n in theirs:
            assert len(theirs[n]) == len(mine[n]) and all(
                same_text(a, b) for a, b in zip(theirs[n], mine[n], strict=True)
            )


def test_width_ignores_cells_beyond_the_header(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active["XFD2"] = "x"
    wb.active["A3"] = "y"
    wb.save(tmp_path / "w.xlsx")
    book = Workbook(tmp_path / "w.xlsx")
    assert list(book.rows(book.names and list(book.sheets)[0], width=2)) == [(1, ["a", "b"]), (3, ["y"])]
    book.close()


def test_columns_agrees_with_rows(tmp_path):
    """The fast column reader and the general row reader give the same records."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Created", "Amount", "Won"])
    ws.append([1, dt.datetime(2025, 3, 1, 14, 30), 10.5, True])
    ws.append([None, None, None, None, "beyond the header"])  # no value within the header's width
    ws.append(["2", "2025-03-02", None, "no"])
    ws.append([3, dt.date(2025, 3, 3), 7, False])
    wb.save(tmp_path / "c.xlsx")
    book = Workbook(tmp_path / "c.xlsx")
    title = list(book.sheets)[0]
    numbers, data = book.columns(title, {0, 1, 3}, 4)
    rows = {n: v for n, v in book.rows(title, width=4) if n > 1}
    book.close()
    assert numbers == sorted(rows) == [2, 4, 5]
    for p in (0, 1, 3):
        assert data[p] == [(rows[n] + [""] * 4)[p] for n in numbers]
