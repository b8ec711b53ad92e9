"""Numbers and tables for people: one way to show them, the same in JupyterLab and on the website.

Every lesson shows its figures through these functions, so a share always reads as a percentage,
money always carries its currency and thousands separators, a person is a name and a role, and a
change says which way it went ("down 43 %", never "fell by -43%").

* :func:`percent`, :func:`money`, :func:`number`, :func:`month`, :func:`date` format one value;
* :func:`change` and :func:`delta` say how much something moved and which way;
* :func:`person` turns a person id into "Name (role)";
* :func:`label` turns a column name into plain English (:data:`LABELS` holds the course's own);
* :func:`table` formats a DataFrame for reading: chosen columns, plain labels, formatted values,
  text that wraps (never cut with "…"); it shows as HTML in JupyterLab and on the site, and as
  aligned text wherever HTML is not shown. The unformatted numbers stay on ``.data``.

A value that is missing (None, NaN, NaT) shows as "–". A value of the wrong kind raises a
``ValueError`` naming it: a table never shows a figure it could not format.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date as _date
from datetime import datetime

import pandas as pd

NBSP = "\u00a0"  # keeps "43 %" and "$ 1,200" on one line
MISSING = "–"
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}

# The course's column names in plain English (columns not listed here go through label()'s rules).
LABELS = {
    "person_id": "Person",
    "owner_id": "Owner",
    "lead_id": "Lead",
    "customer_id": "Customer",
    "opportunity_id": "Opportunity",
    "campaign_id": "Campaign",
    "ltv": "Lifetime value (LTV)",
    "cac": "Cost to win a customer (CAC)",
    "ltv_to_cac": "LTV to CAC",
    "mrr_usd": "Monthly revenue",
    "monthly_cost_usd": "Monthly cost",
    "spend_usd": "Spend",
    "win_rate": "Win rate",
    "time_zone": "Time zone",
    "inquiry_at": "Inquiry date",
}
ACRONYMS = {
    "mql",
    "sql",
    "sal",
    "cac",
    "ltv",
    "okr",
    "okrs",
    "sla",
    "kr",
    "crm",
    "mrr",
    "arr",
    "nps",
    "csat",
    "usd",
    "eur",
    "gbp",
    "id",
    "raci",
    "roi",
}


def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _real(x, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) and not hasattr(x, "__float__"):
        raise ValueError(f"{what} needs a number, got {x!r} ({type(x).__name__}).")
    value = float(x)
    if math.isinf(value):
        raise ValueError(f"{what} got an infinite value: a rate or ratio was divided by zero upstream.")
    return value


def number(x, digits: int = 0) -> str:
    """A count or amount with thousands separators: ``number(17510)`` → '17,510'."""
    if _missing(x):
        return MISSING
    return f"{_real(x, 'number()'):,.{digits}f}".replace("-", "−")


def percent(share, digits: int | None = None) -> str:
    """A share (a fraction: 0.278) as a percentage: '28 %'. Below 10 % one decimal is kept by
    default ('2.7 %'), so that small shares do not round to nothing; ``digits`` fixes the decimals."""
    if _missing(share):
        return MISSING
    value = _real(share, "percent()") * 100
    if digits is None:
        digits = 1 if abs(value) < 10 and round(value, 1) != round(value) else 0
    return f"{value:,.{digits}f}{NBSP}%".replace("-", "−")


def money(x, currency: str = "USD", digits: int = 0) -> str:
    """An amount of money with its currency and thousands separators: '$12,400', '€980', '4,000 CAD'."""
    if _missing(x):
        return MISSING
    value = _real(x, "money()")
    amount = f"{abs(value):,.{digits}f}"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    text = f"{symbol}{amount}" if symbol else f"{amount}{NBSP}{currency.upper()}"
    return ("−" if value < 0 and float(amount.replace(",", "")) != 0 else "") + text


def _as_timestamp(x, what: str) -> pd.Timestamp:
    if isinstance(x, (pd.Timestamp, datetime, _date)):
        return pd.Timestamp(x)
    if isinstance(x, str):
        try:
            return pd.Timestamp(x.strip())
        except ValueError:
            pass
    raise ValueError(f"{what} needs a date such as '2026-03-14', got {x!r}.")


def date(x) -> str:
    """A date as people write it: '14 March 2026'."""
    if _missing(x):
        return MISSING
    t = _as_timestamp(x, "date()")
    return f"{t.day} {t:%B %Y}"


def month(x) -> str:
    """A month ('2025-10', a date or a Period) as 'October 2025'."""
    if _missing(x):
        return MISSING
    if isinstance(x, pd.Period):
        x = x.to_timestamp()
    if isinstance(x, str) and not re.fullmatch(r"\s*\d{4}-\d{2}(-\d{2})?.*", x):
        raise ValueError(f"month() needs a month such as '2025-10', got {x!r}.")
    return f"{_as_timestamp(x, 'month()'):%B %Y}"


def change(before, after) -> float:
    """The relative change from ``before`` to ``after``, as a fraction (-0.43 for a fall of 43 %)."""
    b, a = _real(before, "change()"), _real(after, "change()")
    if b == 0:
        raise ValueError("change() cannot give a relative change from zero; show both values instead.")
    return (a - b) / abs(b)


def delta(value, unit: str = "%", digits: int | None = None, currency: str = "USD") -> str:
    """A change with its direction in words and its unit: 'down 43 %', 'up 5 percentage points',
    'up $1,200', 'down 120 leads', 'no change'.

    ``unit``: '%' for a relative change given as a fraction (see :func:`change`); 'pp' for a change
    of a share given as a fraction (0.05 → '5 percentage points'); 'money' for an amount in
    ``currency``; any other word for a count of it ('leads', 'days').
    """
    if _missing(value):
        return MISSING
    v = _real(value, "delta()")
    if unit == "%":
        size = percent(abs(v), digits)
    elif unit == "pp":
        points = abs(v) * 100
        d = digits if digits is not None else (1 if points < 10 and round(points, 1) != round(points) else 0)
        size = f"{points:,.{d}f} percentage point{'' if f'{points:.{d}f}' == '1' else 's'}"
    elif unit == "money":
        size = money(abs(v), currency, digits or 0)
    else:
        size = f"{number(abs(v), digits or 0)} {unit}".rstrip()
    if re.fullmatch(r"[^1-9]*", size.split(NBSP)[0].split(" ")[0]):
        return "no change"
    return f"{'up' if v > 0 else 'down'} {size}"


def person(person_id, people: pd.DataFrame) -> str:
    """A person id as 'Name (role)', read from the company's people table."""
    if _missing(person_id):
        return MISSING
    found = people.loc[people["person_id"] == person_id]
    if found.empty:
        raise ValueError(f"person() found no person with id {person_id!r} in the people table.")
    row = found.iloc[0]
    return f"{row['name']} ({row['role']})"


def label(column: str) -> str:
    """A column name in plain English: LABELS first, else words with acronyms in capitals
    ('mql_to_sql_rate' → 'MQL to SQL rate')."""
    if column in LABELS:
        return LABELS[column]
    words = [w.upper() if w.lower() in ACRONYMS else w for w in re.split(r"[_\s]+", str(column).strip()) if w]
    words = [w for w in words if w != "USD"] or words  # the money format carries the currency
    text = " ".join(words)
    return text[:1].upper() + text[1:]


FORMATS: dict[str, Callable] = {
    "percent": percent,
    "money": money,
    "number": number,
    "date": date,
    "month": month,
    "text": lambda x: MISSING if _missing(x) else str(x),
}
NUMERIC = {"percent", "money", "number"}


@dataclass
class Table:
    """A formatted table: ``frame`` holds the text shown, ``data`` the values it came from."""

    frame: pd.DataFrame
    data: pd.DataFrame
    numeric: tuple[str, ...]
    caption: str = ""

    def _repr_html_(self) -> str:
        num = ' class="num"'
        head = "".join(
            f'<th scope="col"{num if c in self.numeric else ""}>{html.escape(str(c))}</th>' for c in self.frame.columns
        )
        rows = []
        for _, row in self.frame.iterrows():
            cells = []
            for i, (c, v) in enumerate(row.items()):
                tag = 'th scope="row"' if i == 0 else "td"
                cls = ' class="num"' if c in self.numeric else ""
                cells.append(f"<{tag}{cls}>{html.escape(str(v))}</{tag.split()[0]}>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        # the wrapper scrolls sideways on a narrow screen; it takes the focus so that keys scroll it too
        name = html.escape(self.caption or "Table", quote=True)
        return (
            f'<div class="alignkit-table-wrap" tabindex="0" role="region" aria-label="{name}">'
            f'<table class="alignkit-table">{caption}<thead><tr>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    def __repr__(self) -> str:
        text = self.frame.to_string(index=False, max_colwidth=None)
        return f"{self.caption}\n{text}" if self.caption else text

    def __len__(self) -> int:
        return len(self.frame)


def table(
    df: pd.DataFrame,
    formats: Mapping[str, str | Callable] | None = None,
    labels: Mapping[str, str] | None = None,
    *,
    people: pd.DataFrame | None = None,
    columns: list[str] | None = None,
    index: bool | str = False,
    caption: str = "",
    currency: str = "USD",
) -> Table:
    """A DataFrame formatted for people.

    ``formats`` maps a column to 'percent', 'money', 'number', 'date', 'month', 'text', 'person'
    (needs ``people``) or a function of one value. Columns without a format show as they are.
    Whole-number columns show as counts; a column of decimals needs a format (a fraction shown as
    0 would be a wrong number). ``labels`` overrides :func:`label` for a column's heading.
    ``columns`` picks and orders the columns; ``index`` keeps the index as the first column (True,
    or the heading to give it).
    """
    formats = dict(formats or {})
    labels = dict(labels or {})
    data = df.copy()
    if index is not False:
        name = data.index.name or "index"
        data = data.reset_index()
        if isinstance(index, str):
            labels.setdefault(name, index)
        columns = [name, *(columns or [c for c in data.columns if c != name])]
    columns = list(columns or data.columns)
    missing = [c for c in [*columns, *formats] if c not in data.columns]
    if missing:
        raise ValueError(
            f"table(): no column {', '.join(map(repr, missing))}; the table has {', '.join(map(str, data.columns))}."
        )
    data = data[columns]
    shown = pd.DataFrame(index=data.index)
    numeric = []
    for c in columns:
        f = formats.get(c)
        if f == "person":
            if people is None:
                raise ValueError(f"table(): column {c!r} is formatted as 'person' but no people table was given.")
            fn = lambda x, p=people: person(x, p)  # noqa: E731
        elif f == "money":
            fn = lambda x, cur=currency: money(x, cur)  # noqa: E731
        elif isinstance(f, str):
            if f not in FORMATS:
                raise ValueError(
                    f"table(): unknown format {f!r} for column {c!r}; use one of "
                    f"{', '.join([*FORMATS, 'person'])} or a function."
                )
            fn = FORMATS[f]
        elif callable(f):
            fn = f
        elif pd.api.types.is_bool_dtype(data[c]) or not pd.api.types.is_numeric_dtype(data[c]):
            fn = FORMATS["text"]
        elif pd.api.types.is_integer_dtype(data[c]):
            fn, f = number, "number"
        else:  # a fraction shown as 0 or a ratio rounded away would be a wrong number: say what it is
            raise ValueError(
                f"table(): column {c!r} holds decimals; give it a format (percent, money, "
                f"number or a function) in formats=."
            )
        try:
            values = [fn(v) for v in data[c]]
        except ValueError as e:
            raise ValueError(f"table(): column {c!r}: {e}") from None
        heading = labels.get(c) or label(c)
        shown[heading] = values
        if f in NUMERIC:
            numeric.append(heading)
    shown = shown.reset_index(drop=True)
    return Table(shown, df, tuple(numeric), caption)
