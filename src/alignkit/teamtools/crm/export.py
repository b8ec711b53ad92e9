"""Turn a team's CRM export into the course's tables: leads with ``<stage>_at`` columns, and deals.

:func:`load_export` reads the files a mapping describes and returns a :class:`CrmExport`:

* ``leads``: one row per lead (the first of any repeated id), with ``lead_id``, ``channel``,
  ``campaign``, ``inquiry_at`` … ``won_at`` (NaT when the date is unknown), ``furthest`` (index in
  ``STAGES`` of the furthest stage reached) and ``row`` (the export's row number);
* ``touches``: ``lead_id``, ``first_touch_at`` where the export has a first-contact date;
* ``deals``: ``deal_id``, ``lead_id`` (None when it joins no lead), ``created_at``, ``closed_at``,
  ``amount``, ``outcome`` (open, won, lost), ``channel``;
* ``spend`` (``channel``, ``month``, ``amount``) and ``revenue`` (``deal_id``, ``start``, ``mrr``,
  ``churned``, ``margin``, ``channel``) when those files are given;
* ``notes``: what was repaired or left out (duplicates, deals without a lead, columns not found).

A lead that has a current stage but no dates reached every earlier stage too: a lead now at SQL
reached inquiry, MQL, SAL and SQL. Those stages count in conversion, but, without dates, not in
velocity. A deal raises its lead to opportunity (dated by the deal's creation) and, if won, to won.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ...metrics.funnel import STAGES, stage_column
from ...outputs import did_you_mean
from .mapping import Mapping
from .read import (
    CrmError,
    RawTable,
    bool_column,
    date_column,
    header_hint,
    id_column,
    number_column,
    read_export,
    rows_text,
    text_column,
)

NO_SOURCE = "(no source)"
OTHER_SOURCES = "(other sources)"
MAX_CHANNELS = 100  # more distinct sources than this are not channels: the smallest are grouped


def _cap_channels(channel: pd.Series, what: str, notes: list[str]) -> pd.Series:
    """Keep the MAX_CHANNELS - 1 largest sources and group the rest as '(other sources)', so an export
    with a free-text source column (a distinct value per row) cannot make the report a million rows."""
    counts = channel.value_counts(sort=True)
    if len(counts) <= MAX_CHANNELS:
        return channel
    keep = set(counts.index[: MAX_CHANNELS - 1])
    rest = counts.iloc[MAX_CHANNELS - 1 :]
    notes.append(
        f"{len(counts):,} different sources in the {what}: the {MAX_CHANNELS - 1} largest are shown by "
        f"channel, the other {len(rest):,} ({int(rest.sum()):,} {what}) together as '{OTHER_SOURCES}'."
    )
    out = channel.astype(object).where(channel.astype(object).isin(keep), OTHER_SOURCES)
    return out.astype("category") if isinstance(channel.dtype, pd.CategoricalDtype) else out


@dataclass
class CrmExport:
    """A CRM export in the course's shape: its tables, which stages it records, and notes on the data."""

    leads: pd.DataFrame | None  # None for a deals-only export
    touches: pd.DataFrame | None = None
    deals: pd.DataFrame | None = None
    spend: pd.DataFrame | None = None
    revenue: pd.DataFrame | None = None
    files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    default_gross_margin: float | None = None
    # per course stage: "recorded" (a date column, a stage name mapped to it, every_row, or the deals),
    # "implied" (not recorded, but reached by every lead whose current stage is later) or "not recorded"
    recorded: dict[str, str] = field(default_factory=lambda: {s: "recorded" for s in STAGES})
    deals_every_row: str | None = None  # "won" when the export holds only won deals
    rejections_recorded: bool = False  # a lead stage name maps to "rejected" (Salesforce's Unqualified)
    # leads and deals whose dates are out of order (DataFrames: id, row, problem), left out of velocity
    out_of_order: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def as_of(self) -> pd.Timestamp:
        """The latest event in the export: the scorecard is "as of" this moment."""
        stamps = [self.leads[stage_column(s)].max() for s in STAGES] if self.leads is not None else []
        if self.touches is not None:
            stamps.append(self.touches["first_touch_at"].max())
        if self.deals is not None:
            stamps += [
                self.deals["created_at"].max(),
                self.deals.loc[self.deals["outcome"] != "open", "closed_at"].max(),
            ]
        if self.revenue is not None:
            stamps += [self.revenue["start"].max(), self.revenue["churned"].max()]
        stamps = [s for s in stamps if pd.notna(s)]
        return max(stamps) if stamps else pd.Timestamp.now().floor("min")  # an export without any date


def _now() -> pd.Timestamp:
    """Dates after tomorrow are refused as 'in the future' (a day of slack for time zones)."""
    return pd.Timestamp.now().normalize() + pd.Timedelta(days=2)


def _dedupe(table: RawTable, ids: pd.Series, column: str, what: str, notes: list[str]) -> tuple[pd.Series, int]:
    """Keep the first row of each repeated id; note the others."""
    dup = ids.duplicated(keep="first")
    n = int(dup.sum())
    if n:
        notes.append(
            f"{table.name}, column '{column}': {n:,} repeated {what} id(s) on {rows_text(ids.index[dup])}; "
            f"the first row of each id is kept."
        )
    return ~dup, n


def _stage_codes(
    raw: pd.Series, stage_map: dict[str, str], where: str, allowed: tuple[str, ...], blank_value: str | None
) -> pd.Series:
    """Map each export stage name to a course stage (or deal outcome), failing on names the mapping lacks."""
    codes, uniques = pd.factorize(raw, sort=False)
    mapped = []
    for u in uniques:
        key = " ".join(u.split()).lower()
        if key == "" and blank_value is not None:
            mapped.append(blank_value)
        elif key in stage_map:
            mapped.append(stage_map[key])
        else:
            bad = raw == u
            known = sorted({k for k in stage_map})
            label = "empty" if key == "" else f"'{u[:60]}'"
            raise CrmError(
                f"{where}, {rows_text(raw.index[bad])}: {label} is not a stage the mapping knows."
                + did_you_mean(key, known, known="The mapping knows")
                + f" Add it under [{'leads' if 'inquiry' in allowed else 'deals'}.stages], mapped to one "
                f"of {', '.join(allowed)}."
            )
    return pd.Series(
        np.asarray(mapped, dtype=object)[codes] if len(uniques) else np.array([], dtype=object),
        index=raw.index,
        dtype=object,
    )


def _read(
    mapping: Mapping, name: str, path: Path, extra: dict[str, str] | None = None, extra_required: set[str] | None = None
) -> tuple[RawTable, dict[str, str]]:
    wanted = mapping.columns(name) | (extra or {})
    required = mapping.required(name) | (extra_required or set())
    sheet = mapping.section(name).get("sheet")
    return read_export(
        path, name, wanted, required, mapping.separator, sheet, names={"stage", "channel", "campaign", "won"}
    )


def _missing_note(table: RawTable, wanted: dict[str, str], found: dict[str, str], notes: list[str]) -> None:
    for fld, column in wanted.items():
        if fld not in found:
            notes.append(
                f"{table.name}: no column '{column}' ({fld.replace('stage_date:', 'date of stage ')}); "
                f"what needs it is reported as unavailable."
            )


def _load_leads(mapping: Mapping, path: Path, join_column: str | None, notes: list[str], counts: dict):
    extra = {"join:leads": join_column} if join_column else {}
    table, cols = _read(mapping, "leads", path, extra, {"join:leads"} if join_column else set())
    _missing_note(table, mapping.columns("leads"), cols, notes)
    raw = table.frame
    order, now = mapping.date_order, _now()
    id_col = cols["id"]
    ids = id_column(raw[id_col], table.where(id_col), required=True)
    keep, counts["duplicate_leads_dropped"] = _dedupe(table, ids, id_col, "lead", notes)
    stage_dates = {s: cols[f"stage_date:{s}"] for s in STAGES[1:] if f"stage_date:{s}" in cols}
    every = mapping.every_row("leads")
    if "stage" not in cols and not stage_dates and every is None:
        wanted = mapping.columns("leads")
        named = [wanted[k] for k in wanted if k == "stage" or k.startswith("stage_date:")]
        raise CrmError(
            f"{table.name}: neither a stage column nor any stage date column was found "
            f"(looked for {', '.join(repr(c) for c in named) or 'none: the mapping names none'}); "
            f'the funnel needs at least one, or say every_row = "mql" under [leads] when every row of '
            f"the export entered the funnel at one stage." + header_hint(named[0] if named else "stage", table.header)
        )
    raw = raw[keep]
    leads = pd.DataFrame({"lead_id": ids[keep]}, index=raw.index)
    if "channel" in cols:
        channel = text_column(raw[cols["channel"]], table.where(cols["channel"]), False)
        if (channel == "").any():
            channel = (
                channel.cat.rename_categories({"": NO_SOURCE})
                if NO_SOURCE not in channel.cat.categories
                else channel.astype(object).replace("", NO_SOURCE).astype("category")
            )
        leads["channel"] = channel
    else:
        leads["channel"] = pd.Categorical([NO_SOURCE] * len(leads))
    if "campaign" in cols:
        leads["campaign"] = text_column(raw[cols["campaign"]], table.where(cols["campaign"]), False)
    leads["inquiry_at"] = date_column(raw[cols["created"]], table.where(cols["created"]), order, True, now)
    furthest = np.zeros(len(leads), dtype=np.int8)
    for i, s in enumerate(STAGES[1:], start=1):
        if s in stage_dates:
            col = stage_dates[s]
            leads[stage_column(s)] = date_column(raw[col], table.where(col), order, False, now)
            furthest = np.where(leads[stage_column(s)].notna().to_numpy(), np.int8(i), furthest)
        else:
            leads[stage_column(s)] = pd.Series(pd.NaT, index=leads.index, dtype="datetime64[us]")
    by_column: set[str] = set()
    if "stage" in cols:
        stage_map = mapping.stage_map("leads")
        current = _stage_codes(
            raw[cols["stage"]], stage_map, table.where(cols["stage"]), (*STAGES, "rejected"), "inquiry"
        )
        # a rejected lead reached MQL (marketing handed it over) and sales turned it down: not an SAL
        rejected = (current == "rejected").to_numpy()
        index = current.map({**{s: i for i, s in enumerate(STAGES)}, "rejected": STAGES.index("mql")})
        furthest = np.maximum(furthest, index.to_numpy(dtype=np.int8))
        by_column = {("mql" if v == "rejected" else v) for v in stage_map.values()} | {"inquiry"}
        leads["rejected"] = rejected & (furthest <= STAGES.index("mql"))  # a later stage date overrides it
    if every is not None:
        furthest = np.maximum(furthest, np.int8(STAGES.index(every)))
        if every != "inquiry" and every not in stage_dates:  # the created date is when the row entered
            leads[stage_column(every)] = leads["inquiry_at"]
    leads["furthest"] = furthest
    if "rejected" not in leads:
        leads["rejected"] = np.zeros(len(leads), dtype=bool)
    leads["row"] = leads.index.to_numpy()
    leads["lead_no"] = np.arange(len(leads), dtype=np.int64)  # integer key: fast joins on a million leads
    touches = None
    if "first_touch" in cols:
        col = cols["first_touch"]
        first = date_column(raw[col], table.where(col), order, False, now)
        has = first.notna()
        touches = pd.DataFrame(
            {
                "lead_id": leads["lead_id"][has].to_numpy(),
                "first_touch_at": first[has].to_numpy(),
                "lead_no": leads["lead_no"][has].to_numpy(),
            }
        )
    join_values = None
    if join_column:
        join_col = cols["join:leads"]
        join_values = ids[keep] if join_col == id_col else id_column(raw[join_col], table.where(join_col), False)
    recorded = {
        "dates": set(stage_dates),
        "column": by_column,
        "every_row": every,
        "rejected": "stage" in cols and "rejected" in mapping.stage_map("leads").values(),
    }
    return table, leads, touches, join_values, recorded


_OUTCOME_WORDS = {"open": "open", "won": "won", "lost": "lost"}


def _load_deals(mapping: Mapping, path: Path, join_column: str | None, notes: list[str], counts: dict):
    """The deals: id, outcome (open, won, lost), the export's own stage name, amount, dates, source.

    The outcome comes from, in this order: ``every_row`` (an export of won deals only), a ``status``
    column holding open/won/lost (Pipedrive), or the ``stage`` names mapped in [deals.stages] (with a
    ``won`` true/false column deciding stages mapped to "closed")."""
    wanted = mapping.columns("deals")
    every = mapping.every_row("deals")
    required = {"join:deals"} if join_column else set()
    if every is None and "status" not in wanted and "won" not in wanted:
        required.add("stage")
    extra = {"join:deals": join_column} if join_column else {}
    table, cols = _read(mapping, "deals", path, extra, required)
    _missing_note(table, wanted, cols, notes)
    raw = table.frame
    order, now, dec = mapping.date_order, _now(), mapping.decimal
    if "id" in cols:
        id_col = cols["id"]
    elif "join:deals" in cols:
        id_col = cols["join:deals"]  # no deal id column: the join column names each deal
        notes.append(f"{table.name}: no deal id column; the join column '{id_col}' serves as the deal id.")
    else:
        id_col = None
    if id_col is not None:
        ids = id_column(raw[id_col], table.where(id_col), required=True)
        keep, counts["duplicate_deals_dropped"] = _dedupe(table, ids, id_col, "deal", notes)
    else:
        ids = pd.Series([f"row {i}" for i in raw.index], index=raw.index, dtype=object)
        keep, counts["duplicate_deals_dropped"] = pd.Series(True, index=raw.index), 0
    raw = raw[keep]
    deals = pd.DataFrame({"deal_id": ids[keep]}, index=raw.index)
    outcomes = ("open", "won", "lost", "closed")
    if every is not None:
        outcome = pd.Series(every, index=raw.index, dtype=object)
    elif "status" in cols:
        outcome = _stage_codes(
            raw[cols["status"]], _OUTCOME_WORDS, table.where(cols["status"]), ("open", "won", "lost"), None
        )
    elif "stage" in cols:
        outcome = _stage_codes(
            raw[cols["stage"]], mapping.stage_map("deals"), table.where(cols["stage"]), outcomes, None
        )
    elif "won" in cols:
        outcome = pd.Series("closed", index=raw.index, dtype=object)
    else:
        raise CrmError(
            f"{table.name}: nothing says whether a deal is open, won or lost. Map [deals] stage (with "
            f"[deals.stages]) or status (a column of open/won/lost), or, when the export holds only "
            f'won deals, write every_row = "won" under [deals].'
        )
    if "won" in cols and every is None and "status" not in cols:
        won = bool_column(raw[cols["won"]], table.where(cols["won"]))
        outcome = outcome.where(outcome == "open", np.where(won, "won", "lost"))
    elif (outcome == "closed").any():
        bad = outcome == "closed"
        raise CrmError(
            f"{table.where(cols['stage'])}, {rows_text(raw.index[bad])}: the stage maps to 'closed', "
            f"which needs a won column (deals.won) to say won or lost."
        )
    deals["outcome"] = outcome.astype(object)
    if "stage" in cols:
        deals["stage_name"] = text_column(raw[cols["stage"]], table.where(cols["stage"]), False).astype(object)
    deals["amount"] = (
        number_column(raw[cols["amount"]], table.where(cols["amount"]), dec, what="an amount")
        if "amount" in cols
        else np.nan
    )
    deals["created_at"] = (
        date_column(raw[cols["created"]], table.where(cols["created"]), order, False, now)
        if "created" in cols
        else pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    )
    finished = deals["outcome"] != "open"
    closed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    closed_col = None
    for key, which in (("closed", None), ("won_date", "won"), ("lost_date", "lost")):
        if key not in cols:
            continue
        dates = date_column(raw[cols[key]], table.where(cols[key]), order, False, None)
        use = finished if which is None else (deals["outcome"] == which)
        closed = closed.where(~use | dates.isna(), dates)
        future = use & (dates > now)
        if future.any():
            raise CrmError(
                f"{table.where(cols[key])}, {rows_text(raw.index[future])}: a {deals['outcome'][future].iloc[0]} "
                f"deal closed on {dates[future].iloc[0]:%Y-%m-%d}, in the future; a closed deal's close "
                f"date has already happened."
            )
        closed_col = closed_col or cols[key]
    deals["closed_at"] = closed.where(finished)
    if "channel" in cols:
        source = text_column(raw[cols["channel"]], table.where(cols["channel"]), False).astype(object)
        deals["source"] = source.where(source != "", NO_SOURCE)
    join_raw, join_col = None, None
    if join_column:
        join_col = cols["join:deals"]
        join_raw = id_column(raw[join_col], table.where(join_col), False)
        sep = mapping.section("join").get("multi_value_separator")
        if sep:
            several = join_raw.str.contains(sep, regex=False)
            if several.any():
                join_raw = join_raw.where(~several, join_raw[several].str.split(sep, n=1).str[0].str.strip())
    deals["row"] = deals.index.to_numpy()
    return table, deals, join_raw, join_col


def _load_spend(mapping: Mapping, path: Path, notes: list[str]) -> tuple[RawTable, pd.DataFrame]:
    table, cols = _read(mapping, "spend", path)
    raw = table.frame
    month = date_column(raw[cols["month"]], table.where(cols["month"]), mapping.date_order, True, None)
    spend = pd.DataFrame(
        {
            "channel": text_column(raw[cols["channel"]], table.where(cols["channel"]), True).astype(object),
            "month": month.dt.to_period("M"),
            "amount": number_column(
                raw[cols["amount"]], table.where(cols["amount"]), mapping.decimal, True, what="an amount of money"
            ),
        },
        index=raw.index,
    )
    return table, spend.groupby(["channel", "month"], as_index=False, sort=True)["amount"].sum()


def _load_revenue(mapping: Mapping, path: Path, notes: list[str]) -> tuple[RawTable, pd.DataFrame, dict]:
    table, cols = _read(mapping, "revenue", path)
    _missing_note(table, mapping.columns("revenue"), cols, notes)
    raw, order = table.frame, mapping.date_order
    revenue = pd.DataFrame(index=raw.index)
    revenue["deal_id"] = id_column(raw[cols["deal"]], table.where(cols["deal"]), False) if "deal" in cols else ""
    revenue["start"] = date_column(raw[cols["start"]], table.where(cols["start"]), order, True, _now())
    revenue["mrr"] = number_column(
        raw[cols["mrr"]], table.where(cols["mrr"]), mapping.decimal, True, what="a monthly revenue"
    )
    revenue["churned"] = (
        date_column(raw[cols["churned"]], table.where(cols["churned"]), order, False, _now())
        if "churned" in cols
        else pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    )
    early = revenue["churned"] < revenue["start"]
    if early.any():
        raise CrmError(
            f"{table.where(cols['churned'])}, {rows_text(raw.index[early])}: the churn date is before the "
            f"start date; a customer leaves after joining."
        )
    revenue["margin"] = (
        number_column(
            raw[cols["margin"]],
            table.where(cols["margin"]),
            mapping.decimal,
            False,
            minimum=0,
            maximum=1,
            what="a gross margin as a fraction from 0 to 1",
        )
        if "margin" in cols
        else np.nan
    )
    return table, revenue, cols


def _recorded_stages(recorded_by: dict, deals_joined: bool, deals_every: str | None) -> dict[str, str]:
    """Which course stages the export records (see CrmExport.recorded)."""
    every = recorded_by["every_row"]
    column = recorded_by["column"]
    by_deals = set() if not deals_joined else ({"won"} if deals_every == "won" else {"opportunity", "won"})
    out = {}
    for i, s in enumerate(STAGES):
        if s == "inquiry":
            rec = every in (None, "inquiry")  # the created date is the inquiry
        else:
            rec = s in recorded_by["dates"] or s in column or s == every or s in by_deals
        if rec:
            out[s] = "recorded"
        elif column and any(t in column for t in STAGES[i + 1 :]):
            out[s] = "implied"
        else:
            out[s] = "not recorded"
    if every not in (None, "inquiry"):  # nothing before the stage every row entered at is known
        for s in STAGES[: STAGES.index(every)]:
            out[s] = "not recorded"
    return out


def _dates_out_of_order(
    leads: pd.DataFrame | None, touches: pd.DataFrame | None, deals: pd.DataFrame | None
) -> dict[str, pd.DataFrame]:
    """Leads with a stage dated before an earlier stage (or before the lead was created), won before the
    first contact; deals closed before they were created. One row per lead or deal: id, row, problem."""
    out = {}
    if leads is not None:
        # problem codes (0 = none), worked out on plain arrays: a million leads in well under a second
        labels = ["created"] + [STAGE_LABEL[s] for s in STAGES[1:]]
        texts = [""]
        problem = np.zeros(len(leads), dtype=np.int32)
        best = leads["inquiry_at"].to_numpy(dtype="datetime64[us]").copy()
        best_name = np.zeros(len(leads), dtype=np.int8)
        for i, s in enumerate(STAGES[1:], start=1):
            at = leads[stage_column(s)].to_numpy(dtype="datetime64[us]")
            has = ~np.isnat(at)
            bad = has & ~np.isnat(best) & (at < best) & (problem == 0)
            if bad.any():
                for j in np.unique(best_name[bad]):
                    texts.append(f"{labels[i]} dated before {labels[j]}")
                    problem[bad & (best_name == j)] = len(texts) - 1
            later = has & (np.isnat(best) | (at > best))
            best = np.where(later, at, best)
            best_name = np.where(later, np.int8(i), best_name)
        if touches is not None and len(touches):
            first = np.full(len(leads), np.datetime64("NaT"), dtype="datetime64[us]")
            first[touches["lead_no"].to_numpy()] = touches["first_touch_at"].to_numpy(dtype="datetime64[us]")
            won = leads["won_at"].to_numpy(dtype="datetime64[us]")
            bad = ~np.isnat(won) & ~np.isnat(first) & (won < first) & (problem == 0)
            if bad.any():
                texts.append("won before the first contact")
                problem[bad] = len(texts) - 1
        bad = problem != 0
        out["leads"] = pd.DataFrame(
            {
                "id": leads["lead_id"][bad].astype(str),
                "row": leads.index[bad].to_numpy(),
                "problem": np.asarray(texts, dtype=object)[problem[bad]],
            },
            index=leads.index[bad],
        )
    if deals is not None:
        bad = deals["closed_at"].notna() & deals["created_at"].notna() & (deals["closed_at"] < deals["created_at"])
        out["deals"] = pd.DataFrame(
            {
                "id": deals["deal_id"][bad].astype(str),
                "row": deals.index[bad],
                "problem": "closed before it was created",
            },
            index=deals.index[bad],
        )
    return out


STAGE_LABEL = {
    "inquiry": "inquiry",
    "mql": "MQL",
    "sal": "SAL",
    "sql": "SQL",
    "opportunity": "opportunity",
    "won": "won",
}


def load_export(
    mapping: Mapping,
    leads: str | Path | None = None,
    deals: str | Path | None = None,
    spend: str | Path | None = None,
    revenue: str | Path | None = None,
) -> CrmExport:
    """Read the exports (paths given here win over the mapping's ``file`` settings) into a CrmExport.

    A leads file, a deals file or both: without leads, the deal figures are computed and the funnel
    is reported unavailable; without deals, the deal figures are."""
    paths = {}
    for name, given in (("leads", leads), ("deals", deals), ("spend", spend), ("revenue", revenue)):
        path = Path(given) if given is not None else mapping.file(name)
        if path is not None:
            paths[name] = path
    if "leads" not in paths and "deals" not in paths:
        raise CrmError(
            'no leads and no deals file: give --leads FILE and/or --deals FILE (or file = "..." '
            "under [leads] or [deals] in the mapping)."
        )
    notes: list[str] = []
    counts: dict[str, int] = {}
    join = mapping.section("join")
    both = "leads" in paths and "deals" in paths
    missing = [k for k in ("id", "created") if k not in mapping.columns("leads")]
    if "leads" in paths and missing:
        raise CrmError(
            f"{mapping.label}: a leads file was given but the mapping names no [leads] "
            f"{' and no '.join(missing)} column (does it read deals only?). Add them under [leads] in a "
            f"mapping file, or leave the leads file out."
        )
    if both and (not join.get("leads") or not join.get("deals")):
        raise CrmError(
            f'{mapping.label}: a deals file needs [join] leads = "<column in the leads file>" and '
            f'deals = "<column in the deals file>" holding the same value.'
        )
    deals_every = mapping.every_row("deals")
    if "leads" not in paths:
        deal_table, deal_frame, _, _ = _load_deals(mapping, paths["deals"], None, notes, counts)
        counts["deals"] = len(deal_frame)
        deal_frame["lead_id"] = None
        deal_frame["channel"] = _cap_channels(deal_frame["source"], "deals", notes) if "source" in deal_frame else None
        result = CrmExport(
            leads=None,
            deals=deal_frame,
            notes=notes,
            counts=counts,
            files={k: p.name for k, p in paths.items()},
            default_gross_margin=mapping.section("revenue").get("default_gross_margin"),
            recorded={s: "not recorded" for s in STAGES},
            deals_every_row=deals_every,
        )
        result.out_of_order = _dates_out_of_order(None, None, deal_frame)
        lead_table, lead_frame = None, None
    else:
        lead_table, lead_frame, touches, lead_keys, recorded_by = _load_leads(
            mapping, paths["leads"], join.get("leads") if both else None, notes, counts
        )
        lead_frame["channel"] = _cap_channels(lead_frame["channel"], "leads", notes)
        counts["leads"] = len(lead_frame)
        result = CrmExport(
            leads=lead_frame,
            touches=touches,
            notes=notes,
            counts=counts,
            files={k: p.name for k, p in paths.items()},
            default_gross_margin=mapping.section("revenue").get("default_gross_margin"),
            recorded=_recorded_stages(recorded_by, both, deals_every),
            deals_every_row=deals_every,
            rejections_recorded=recorded_by["rejected"],
        )
    if both:
        assert lead_table is not None and lead_frame is not None  # both: the leads were read above
        deal_table, deal_frame, deal_keys, deal_join_col = _load_deals(
            mapping, paths["deals"], join["deals"], notes, counts
        )
        key_to_no = pd.Series(lead_frame["lead_no"].to_numpy(), index=lead_keys.to_numpy())
        key_to_no = key_to_no[(key_to_no.index != "") & ~key_to_no.index.duplicated(keep="first")]
        lead_no = deal_keys.map(key_to_no)
        unmatched = lead_no.isna()
        keyed = deal_keys != ""
        if keyed.any() and unmatched[keyed].all():
            shown = repr(str(deal_keys[keyed].iloc[0])[:60])
            raise CrmError(
                f"{deal_table.where(deal_join_col)}, {rows_text(deal_frame.index[keyed])}: no value "
                f"(such as {shown}) matches any '{join['leads']}' in {lead_table.name}, so no deal joins a "
                f"lead. Check [join] in the mapping: both columns must hold the same ids."
            )
        counts["deals"] = len(deal_frame)
        counts["deals_without_lead"] = int(unmatched.sum())
        if unmatched.any():
            notes.append(
                f"{deal_table.name}: {int(unmatched.sum()):,} deal(s) match no lead (blank or unknown "
                f"'{deal_join_col}', {rows_text(deal_frame.index[unmatched])}); they count for win rate, deal "
                f"size and cycle time but are left out of the funnel."
            )
        pos = lead_no[~unmatched].to_numpy(dtype=np.int64)
        deal_frame["lead_id"] = None
        deal_frame.loc[~unmatched, "lead_id"] = lead_frame["lead_id"].to_numpy()[pos]
        deal_frame["channel"] = deal_frame["source"] if "source" in deal_frame else None
        deal_frame.loc[~unmatched, "channel"] = np.asarray(lead_frame["channel"].astype(object))[pos]
        joined = deal_frame[~unmatched].assign(lead_no=pos)
        n = len(lead_frame)
        opened = joined.groupby("lead_no")["created_at"].min()
        won_deals = joined[joined["outcome"] == "won"]
        won = won_deals.groupby("lead_no")["closed_at"].min()
        has_deal = np.zeros(n, dtype=bool)
        if deals_every != "won":  # a won-only export says nothing of the opportunities that were lost
            has_deal[pos] = True
        has_won = np.zeros(n, dtype=bool)
        has_won[won_deals["lead_no"].to_numpy()] = True
        if deals_every != "won":
            opp = lead_frame["opportunity_at"]
            lead_frame["opportunity_at"] = opp.fillna(
                pd.Series(opened.reindex(np.arange(n)).to_numpy(), index=opp.index)
            )
        won_at = lead_frame["won_at"]
        lead_frame["won_at"] = won_at.where(
            won_at.notna() | ~has_won, pd.Series(won.reindex(np.arange(n)).to_numpy(), index=won_at.index)
        )
        furthest = lead_frame["furthest"].to_numpy()
        furthest = np.where(has_deal, np.maximum(furthest, STAGES.index("opportunity")), furthest)
        furthest = np.where(has_won, np.maximum(furthest, STAGES.index("won")), furthest)
        lead_frame["furthest"] = furthest.astype(np.int8)
        lead_frame["rejected"] = lead_frame["rejected"] & (lead_frame["furthest"] <= STAGES.index("mql"))
        result.deals = deal_frame
    if lead_frame is not None:
        implied = 0
        for i, s in enumerate(STAGES[1:], start=1):
            if result.recorded[s] == "not recorded":
                continue
            implied += int(((lead_frame["furthest"] >= i) & lead_frame[stage_column(s)].isna()).sum())
        counts["stages_reached_without_date"] = implied
        if implied:
            notes.append(
                f"{implied:,} stage(s) were reached without a recorded date (implied by a later stage or "
                f"the current stage): they count in conversion, not in velocity."
            )
        result.out_of_order = _dates_out_of_order(lead_frame, result.touches, result.deals)
    for what, frame in result.out_of_order.items():
        counts[f"{what}_with_dates_out_of_order"] = len(frame)
        if len(frame):
            shown = ", ".join(frame["id"].head(5))
            notes.append(
                f"{len(frame):,} {what[:-1]}(s) have dates out of order ({frame['problem'].iloc[0]}, ...; "
                f"ids {shown}{' ...' if len(frame) > 5 else ''}); they are left out of the "
                f"{'velocity figures' if what == 'leads' else 'sales cycle'}."
            )
    if "spend" in paths:
        _, result.spend = _load_spend(mapping, paths["spend"], notes)
        known = (
            set(lead_frame["channel"])
            if lead_frame is not None
            else set(result.deals["channel"].dropna())
            if result.deals is not None
            else set()
        )
        unknown = sorted(set(result.spend["channel"]) - known)
        if unknown:
            source = lead_table.name if lead_table is not None else paths["deals"].name
            notes.append(
                f"{paths['spend'].name}: spend channel(s) {', '.join(repr(u) for u in unknown[:5])} match no "
                f"lead source in {source}; that spend counts in blended CAC only."
            )
    if "revenue" in paths:
        rev_table, rev, rev_cols = _load_revenue(mapping, paths["revenue"], notes)
        if "deal" in rev_cols and result.deals is not None:
            channel = pd.Series(result.deals["channel"].to_numpy(), index=result.deals["deal_id"].to_numpy())
            keyed = rev["deal_id"] != ""
            matched = keyed & rev["deal_id"].isin(channel.index)
            if keyed.any() and not matched.any():
                raise CrmError(
                    f"{rev_table.where(rev_cols['deal'])}, {rows_text(rev.index[keyed])}: no value matches "
                    f"a deal id of the deals file, so no customer ties back to a deal."
                )
            rev["channel"] = rev["deal_id"].map(channel).where(matched, None)
        else:
            rev["channel"] = None
        result.revenue = rev
    return result
