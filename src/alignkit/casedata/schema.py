"""The tables of the sample data: their columns, types, units and meaning, and the loader that checks them.

This module is the one place each column is described. ``data/README.md`` (the data dictionary) is
written from it by ``make data``, and :func:`load_table` validates a CSV against it, failing with a
:class:`DataError` that names the file, the column, the rows and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataError

DATA_DIR = paths.data_dir()  # the configured root's data/ (alignkit.paths)
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"


@dataclass(frozen=True)
class Column:
    """One column of a table: its type, meaning, unit and allowed values."""

    name: str
    kind: str  # id, text, category, int, float, bool, timestamp, date, month
    meaning: str
    unit: str = ""
    nullable: bool = False
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Table:
    """One table of the sample data: its meaning, key, the lessons that use it, its columns."""

    name: str
    meaning: str
    key: str
    lessons: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        """The columns' names, in order."""
        return [c.name for c in self.columns]


CHANNELS = ("paid search", "paid social", "content", "webinars", "referrals", "events", "partners")
SEGMENTS = ("solo", "small team", "multi-location")
THEMES = ("fewer no-shows", "save admin time", "get paid faster", "fill the calendar")

_TS = "timestamp"
_STAGE = "blank if the lead has not reached this stage by the end of the data"

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "campaigns",
            "Marketing campaigns, one row per campaign per month, with spend and message theme.",
            "campaign_id",
            "1, 2, 3, 5, 7, 10",
            (
                Column("campaign_id", "id", "Campaign identifier."),
                Column("name", "text", "Campaign name as marketing calls it."),
                Column("channel", "category", "Channel the campaign runs in.", allowed=CHANNELS),
                Column("is_paid", "bool", "True when the channel is bought media (counts towards paid CAC)."),
                Column("theme", "category", "The campaign's main message.", allowed=THEMES),
                Column("month", "month", "Month the campaign ran (YYYY-MM)."),
                Column("spend_usd", "float", "What the campaign cost in that month.", unit="USD", minimum=0),
                Column(
                    "overlaps_main_campaign",
                    "bool",
                    "True for an extra campaign chasing the same audience as the channel's main one "
                    "(a source of duplicate leads).",
                ),
            ),
        ),
        Table(
            "leads",
            "Every inquiry, with where it came from and when it reached each funnel stage.",
            "lead_id",
            "every lesson",
            (
                Column("lead_id", "id", "Lead identifier; one per inquiry."),
                Column(
                    "contact_id", "id", "The person behind the inquiry. Two leads with one contact_id are duplicates."
                ),
                Column("campaign_id", "id", "Campaign that brought the inquiry (joins campaigns)."),
                Column("channel", "category", "Lead source.", allowed=CHANNELS),
                Column("segment", "category", "Size of the prospect's business.", allowed=SEGMENTS),
                Column(
                    "region", "category", "Sales region that works the lead.", allowed=("North America", "EMEA", "APAC")
                ),
                Column(
                    "score",
                    "int",
                    "Marketing's lead score: fit and engagement.",
                    unit="points, 0-100",
                    minimum=0,
                    maximum=100,
                ),
                Column("inquiry_at", _TS, "When the inquiry arrived (first stage).", unit="UTC"),
                Column(
                    "mql_at",
                    _TS,
                    "When marketing passed it to sales as a marketing-qualified lead; " + _STAGE,
                    unit="UTC",
                    nullable=True,
                ),
                Column(
                    "sal_at", _TS, "When sales accepted it (sales-accepted lead); " + _STAGE, unit="UTC", nullable=True
                ),
                Column(
                    "sql_at",
                    _TS,
                    "When sales qualified it (sales-qualified lead); " + _STAGE,
                    unit="UTC",
                    nullable=True,
                ),
                Column(
                    "opportunity_at", _TS, "When a deal (opportunity) was opened; " + _STAGE, unit="UTC", nullable=True
                ),
                Column("won_at", _TS, "When the deal was won; " + _STAGE, unit="UTC", nullable=True),
            ),
        ),
        Table(
            "touches",
            "A seller's first contact with an MQL. An MQL with no row here was never contacted.",
            "lead_id",
            "1, 2, 3, 4, 6, 10",
            (
                Column("lead_id", "id", "Lead contacted (joins leads)."),
                Column("rep_id", "id", "Seller who made the first touch (joins people)."),
                Column("first_touch_at", _TS, "When the seller first called or wrote.", unit="UTC"),
                Column("method", "category", "How.", allowed=("call", "email")),
            ),
        ),
        Table(
            "opportunities",
            "Deals opened from qualified leads, with amount, outcome and loss reason.",
            "opportunity_id",
            "1, 2, 3, 5, 7, 9, 10",
            (
                Column("opportunity_id", "id", "Deal identifier."),
                Column("lead_id", "id", "Lead the deal came from (joins leads)."),
                Column("rep_id", "id", "Account executive who owns the deal (joins people)."),
                Column("created_at", _TS, "When the deal was opened.", unit="UTC"),
                Column("amount_usd", "float", "Annual contract value.", unit="USD per year", minimum=0),
                Column("pitch_theme", "category", "The message the seller led with.", allowed=THEMES),
                Column(
                    "outcome",
                    "category",
                    "Where the deal stands at the end of the data.",
                    allowed=("won", "lost", "open"),
                ),
                Column("closed_at", _TS, "When it was won or lost; blank while open.", unit="UTC", nullable=True),
                Column(
                    "loss_reason",
                    "text",
                    "Why it was lost, as the seller picked it from the CRM's closed-lost "
                    "list (Price, Competitor, No decision, Timing, Missing feature, Not a fit); blank unless lost.",
                    nullable=True,
                ),
            ),
        ),
        Table(
            "customers",
            "Customers won, with revenue, margin, churn and satisfaction.",
            "customer_id",
            "5",
            (
                Column("customer_id", "id", "Customer identifier."),
                Column("opportunity_id", "id", "Deal that won the customer (joins opportunities)."),
                Column("start_date", "date", "First day as a customer."),
                Column("mrr_usd", "float", "Monthly recurring revenue.", unit="USD per month", minimum=0),
                Column(
                    "gross_margin",
                    "float",
                    "Share of revenue left after the cost of serving the customer.",
                    unit="fraction 0-1",
                    minimum=0,
                    maximum=1,
                ),
                Column("churned_on", "date", "Day the customer cancelled; blank if still a customer.", nullable=True),
                Column(
                    "csat",
                    "int",
                    "Satisfaction survey answer; blank if not answered.",
                    unit="1-5",
                    nullable=True,
                    minimum=1,
                    maximum=5,
                ),
                Column(
                    "nps",
                    "int",
                    "Likelihood to recommend; blank if not answered.",
                    unit="0-10",
                    nullable=True,
                    minimum=0,
                    maximum=10,
                ),
            ),
        ),
        Table(
            "people",
            "The sales and marketing teams: who, which team and role, where and in which time zone.",
            "person_id",
            "0, 4, 5, 6, 8, 10",
            (
                Column("person_id", "id", "Person identifier."),
                Column("name", "text", "Fictional name."),
                Column("team", "category", "Team.", allowed=("marketing", "sales")),
                Column("role", "text", "Role in the team."),
                Column("office", "text", "Office city."),
                Column("time_zone", "text", "IANA time-zone name of the office."),
                Column("region", "text", "Sales region the person covers; blank for marketing.", nullable=True),
                Column(
                    "monthly_cost_usd",
                    "float",
                    "Salary and overhead per month (counts towards blended CAC).",
                    unit="USD per month",
                    minimum=0,
                ),
            ),
        ),
        Table(
            "okrs",
            "Shared OKRs per quarter: each key result's baseline, target and the value reached.",
            "okr_id",
            "6",
            (
                Column("okr_id", "id", "Key-result identifier."),
                Column("quarter", "text", "Quarter, as 2026Q1."),
                Column("team", "category", "Who owns it.", allowed=("shared", "marketing", "sales")),
                Column("objective", "text", "The qualitative objective."),
                Column("key_result", "text", "The measurable key result."),
                Column("metric", "text", "Name of the function in alignkit that measures it."),
                Column("unit", "text", "Unit of baseline, target and current."),
                Column(
                    "kind",
                    "category",
                    "Committed (expected to reach 1.0) or aspirational (0.7 is good).",
                    allowed=("committed", "aspirational"),
                ),
                Column("baseline", "float", "Value in the quarter before."),
                Column("target", "float", "Value the key result aims for."),
                Column("current", "float", "Value reached in the quarter."),
                Column("owner_id", "id", "Person accountable (joins people)."),
            ),
        ),
        Table(
            "feedback",
            "Sellers' ratings of the leads they worked: the closed loop back to marketing.",
            "feedback_id",
            "1, 4, 7",
            (
                Column("feedback_id", "id", "Feedback identifier."),
                Column("lead_id", "id", "Lead rated (joins leads)."),
                Column("rep_id", "id", "Seller who rated it (joins people)."),
                Column("given_at", _TS, "When the rating was given.", unit="UTC"),
                Column("rating", "int", "Lead quality as the seller saw it.", unit="1-5", minimum=1, maximum=5),
                Column("reason", "text", "The seller's main reason."),
            ),
        ),
    )
}


def _rows(mask: pd.Series) -> str:
    """Name rows as the line numbers a spreadsheet shows (header is line 1)."""
    lines = [str(i + 2) for i in mask[mask].index[:5]]
    more = int(mask.sum()) - len(lines)
    return ", ".join(lines) + (f" and {more} more" if more > 0 else "")


def _parse_column(raw: pd.Series, col: Column, where: str) -> pd.Series:
    blank = raw.str.strip() == ""
    if blank.any() and not col.nullable:
        raise DataError(f"{where}, column '{col.name}': empty on line(s) {_rows(blank)}; a value is required.")
    expect = {
        "int": "a whole number",
        "float": "a number",
        "bool": "True or False",
        "timestamp": "a date and time as YYYY-MM-DD HH:MM",
        "date": "a date as YYYY-MM-DD",
        "month": "a month as YYYY-MM",
    }
    if col.kind in ("int", "float"):
        parsed = pd.to_numeric(raw.where(~blank), errors="coerce")
        if col.kind == "int":
            bad = ~blank & (parsed.isna() | (parsed % 1 != 0))
        else:
            bad = ~blank & parsed.isna()
    elif col.kind == "bool":
        parsed = raw.map({"True": True, "False": False, "true": True, "false": False})
        bad = ~blank & parsed.isna()
    elif col.kind in ("timestamp", "date", "month"):
        fmt = {"timestamp": TIMESTAMP_FORMAT, "date": DATE_FORMAT, "month": "%Y-%m"}[col.kind]
        parsed = pd.to_datetime(raw.where(~blank), format=fmt, errors="coerce")
        bad = ~blank & parsed.isna()
    else:
        parsed = raw
        bad = pd.Series(False, index=raw.index)
        if col.allowed:
            bad = ~blank & ~raw.isin(col.allowed)
            if bad.any():
                example = raw[bad].iloc[0]
                raise DataError(
                    f"{where}, column '{col.name}': '{example}' on line(s) {_rows(bad)} is not one of "
                    f"{', '.join(repr(a) for a in col.allowed)}."
                )
    if bad.any():
        example = raw[bad].iloc[0]
        raise DataError(
            f"{where}, column '{col.name}': '{example[:40]}' on line(s) {_rows(bad)} is not {expect[col.kind]}."
        )
    if col.minimum is not None or col.maximum is not None:
        low = col.minimum if col.minimum is not None else -float("inf")
        high = col.maximum if col.maximum is not None else float("inf")
        out = ~blank & ((parsed < low) | (parsed > high))
        if out.any():
            raise DataError(
                f"{where}, column '{col.name}': {raw[out].iloc[0]} on line(s) {_rows(out)} is outside "
                f"the expected range {low:g} to {high:g}{' ' + col.unit if col.unit else ''}."
            )
    if col.kind == "int":
        parsed = parsed.astype("Int64")
    if col.kind in ("text", "id", "category"):
        parsed = raw.where(~blank, None) if col.nullable else raw
    return parsed


def validate(frame: pd.DataFrame, table: str, where: str) -> pd.DataFrame:
    """Check a frame of strings against the schema of ``table`` and return it with typed columns."""
    spec = TABLES[table]
    missing = [c for c in spec.column_names if c not in frame.columns]
    if missing:
        raise DataError(
            f"{where}: missing column(s) {', '.join(missing)}; the {table} table needs {', '.join(spec.column_names)}."
        )
    typed = {c.name: _parse_column(frame[c.name].astype(str), c, where) for c in spec.columns}
    out = pd.DataFrame(typed)
    dup = out[spec.key].duplicated(keep="first") if table not in ("touches",) else out.lead_id.duplicated()
    if dup.any():
        raise DataError(
            f"{where}, column '{spec.key}': repeated value '{out[spec.key][dup].iloc[0]}' on line(s) "
            f"{_rows(dup)}; each row needs its own {spec.key}."
        )
    return out


def load_table(table: str, company: str = "brightline", data_dir: Path | None = None) -> pd.DataFrame:
    """Read ``data/<company>/<table>.csv``, check it against the schema, and return typed columns."""
    if table not in TABLES:
        raise DataError(f"unknown table '{table}'; the tables are {', '.join(TABLES)}.")
    path = (data_dir or DATA_DIR) / company / f"{table}.csv"
    if not path.exists():
        raise DataError(f"{path}: file not found; run 'make data' to write the sample data.")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: cannot be read as a UTF-8 CSV file ({exc}).") from None
    return validate(raw, table, str(path))


def data_dictionary_markdown() -> str:
    """The text of ``data/README.md``, written from the schema above."""
    from .companies import COMPANIES

    out = [
        "# Sample data and data dictionary",
        "",
        "Everything here is **synthetic**: written by the seeded, deterministic generator in",
        "`src/alignkit/casedata/generate.py` from the company profiles in `src/alignkit/casedata/companies.py`.",
        "`make data` rewrites these files byte for byte; a test checks that they match. Do not edit the",
        "CSVs by hand: change the profile or the generator, then run `make data`.",
        "This page is written by the same command from `src/alignkit/casedata/schema.py`.",
        "",
        "Files are UTF-8, comma-separated, one header line. Times are UTC as `YYYY-MM-DD HH:MM`;",
        'dates are `YYYY-MM-DD`; a blank cell means "not reached" or "not answered", as each column says.',
        'Load a table with `alignkit.casedata.schema.load_table("leads")`: it checks every column and names the file,',
        "column and line of anything that does not fit.",
        "",
        "## Companies",
        "",
    ]
    for p in COMPANIES.values():
        start = f"programme starts {p.programme_start}" if p.programme_start else "no programme"
        out.append(
            f"- **{p.name}** (`data/{p.slug}/`, seed {p.seed}): {p.product}; "
            f"{p.months} months from {p.first_month}; {start}."
        )
        if p.problems:
            out.append("  Built with these problems for the capstone to find (spoiler for learners):")
            out += [f"  - *{name}*: {why}" for name, why in p.problems.items()]
    out += [
        "",
        "`data/crm-samples/` holds small exports of Brightline's leads and deals in the layouts of",
        "HubSpot, Salesforce and Pipedrive (deals only), for lesson 11 and `alignkit scorecard` (written by",
        "`python -m alignkit.teamtools.crm.samples`; the mappings are described in "
        "`src/alignkit/teamtools/crm/README.md`).",
        "",
        "## Tables",
        "",
    ]
    for t in TABLES.values():
        out += [
            f"### `{t.name}`",
            "",
            f"{t.meaning} Key: `{t.key}`. Used in lessons: {t.lessons}.",
            "",
            "| column | type | unit | meaning |",
            "|---|---|---|---|",
        ]
        for c in t.columns:
            kind = c.kind + (" (may be blank)" if c.nullable else "")
            meaning = c.meaning + (f" One of: {', '.join(c.allowed)}." if c.allowed else "")
            out.append(f"| `{c.name}` | {kind} | {c.unit} | {meaning} |")
        out.append("")
    return "\n".join(out)
