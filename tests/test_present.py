"""alignkit.ui.present: figures formatted for people, checked against hand-written expectations."""

import math

import pandas as pd
import pytest

from alignkit.ui import present
from alignkit.ui.present import NBSP


def test_percent():
    assert present.percent(0.278) == f"28{NBSP}%"
    assert present.percent(0.027) == f"2.7{NBSP}%"  # small shares keep a decimal
    assert present.percent(0.05) == f"5{NBSP}%"  # but not a useless one
    assert present.percent(0.2784, digits=1) == f"27.8{NBSP}%"
    assert present.percent(-0.43) == f"−43{NBSP}%"
    assert present.percent(12.5) == f"1,250{NBSP}%"
    assert present.percent(None) == present.percent(float("nan")) == "–"


def test_money_and_number():
    assert present.money(12400) == "$12,400"
    assert present.money(1234.5, digits=2) == "$1,234.50"
    assert present.money(980, "eur") == "€980"
    assert present.money(4000, "CAD") == f"4,000{NBSP}CAD"
    assert present.money(-1200) == "−$1,200"
    assert present.money(-0.2) == "$0"  # no "minus nothing"
    assert present.number(17510) == "17,510"
    assert present.number(3.14159, 2) == "3.14"
    for bad in ("12", True, float("inf")):
        with pytest.raises(ValueError):
            present.money(bad)


def test_dates_and_months():
    assert present.date("2025-10-01") == "1 October 2025"
    assert present.date(pd.Timestamp("2026-03-14 09:30")) == "14 March 2026"
    assert present.month("2025-10") == "October 2025"
    assert present.month(pd.Period("2026-01", "M")) == "January 2026"
    assert present.date(pd.NaT) == "–"
    with pytest.raises(ValueError, match="needs a month"):
        present.month("Q3")
    with pytest.raises(ValueError, match="needs a date"):
        present.date("someday")


def test_change_and_delta_say_the_direction_in_words():
    assert present.change(200, 114) == pytest.approx(-0.43)
    assert present.delta(present.change(200, 114)) == f"down 43{NBSP}%"
    assert present.delta(0.12) == f"up 12{NBSP}%"
    assert present.delta(0.0) == "no change"
    assert present.delta(0.0004) == "no change"  # rounds to 0 %: do not say "up 0 %"
    assert present.delta(0.05, unit="pp") == "up 5 percentage points"
    assert present.delta(-0.01, unit="pp") == "down 1 percentage point"
    assert present.delta(1200, unit="money") == "up $1,200"
    assert present.delta(-120, unit="leads") == "down 120 leads"
    assert "-" not in present.delta(-0.43) and "−" not in present.delta(-0.43)
    with pytest.raises(ValueError, match="from zero"):
        present.change(0, 5)


def test_person_and_labels():
    people = pd.DataFrame(
        {"person_id": ["P001", "P002"], "name": ["Oskar Xu", "Victor Eze"], "role": ["head of marketing", "content"]}
    )
    assert present.person("P002", people) == "Victor Eze (content)"
    with pytest.raises(ValueError, match="P404"):
        present.person("P404", people)
    assert present.label("mql_to_sql_rate") == "MQL to SQL rate"
    assert present.label("ltv_to_cac") == "LTV to CAC"
    assert present.label("owner_id") == "Owner"
    assert present.label("amount_usd") == "Amount"


def test_table_formats_labels_and_wraps():
    people = pd.DataFrame({"person_id": ["P001"], "name": ["Oskar Xu"], "role": ["head of marketing"]})
    long_text = "Turn more of the right leads into customers, then keep them for longer than a year"
    df = pd.DataFrame(
        {
            "owner_id": ["P001"],
            "win_rate": [0.278],
            "spend_usd": [12400.0],
            "leads": [17510],
            "objective": [long_text],
            "month": ["2025-10"],
        }
    )
    t = present.table(
        df, formats={"owner_id": "person", "win_rate": "percent", "spend_usd": "money", "month": "month"}, people=people
    )
    assert list(t.frame.columns) == ["Owner", "Win rate", "Spend", "Leads", "Objective", "Month"]
    assert t.frame.iloc[0].tolist() == [
        "Oskar Xu (head of marketing)",
        f"28{NBSP}%",
        "$12,400",
        "17,510",
        long_text,
        "October 2025",
    ]
    html = t._repr_html_()
    assert long_text in html and "…" not in html and long_text in repr(t)  # never cut
    assert '<th scope="col" class="num">Win rate</th>' in html
    assert t.data is df  # the unformatted values stay available


def test_table_refuses_what_it_cannot_show_honestly():
    df = pd.DataFrame({"rate": [0.278], "n": [3]})
    with pytest.raises(ValueError, match="holds decimals"):
        present.table(df)  # 0.278 would otherwise show as 0
    with pytest.raises(ValueError, match="no column 'nope'"):
        present.table(df, formats={"nope": "percent"})
    with pytest.raises(ValueError, match="unknown format"):
        present.table(df, formats={"rate": "percentage"})
    with pytest.raises(ValueError, match="no people table"):
        present.table(pd.DataFrame({"owner_id": ["P1"]}), formats={"owner_id": "person"})
    with pytest.raises(ValueError, match="column 'rate'"):
        present.table(pd.DataFrame({"rate": ["high"]}), formats={"rate": "percent"})


def test_table_keeps_the_index_when_asked():
    df = pd.DataFrame({"share": [0.5, 0.25]}, index=pd.Index(["email", "events"], name="channel"))
    t = present.table(df, formats={"share": "percent"}, index="Channel")
    assert list(t.frame.columns) == ["Channel", "Share"]
    assert t.frame["Channel"].tolist() == ["email", "events"]
    assert math.isclose(t.data["share"].sum(), 0.75)
