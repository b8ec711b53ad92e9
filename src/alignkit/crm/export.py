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

from ..funnel import STAGES, stage_column
from .mapping import Mapping
from .read import (CrmError, RawTable, bool_column, date_column, id_column, number_column, read_export, rows_text,
                   suggest, text_column)

NO_SOURCE = "(no source)"


@dataclass
class CrmExport:
    leads: pd.DataFrame
    touches: pd.DataFrame | None = None
    deals: pd.DataFrame | None = None
    spend: pd.DataFrame | None = None
    revenue: pd.DataFrame | None = None
    files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    default_gross_margin: float | None = None

    @property
    def as_of(self) -> pd.Timestamp:
        """The latest event in the export: the scorecard is "as of" this moment."""
        stamps = [self.leads[stage_column(s)].max() for s in STAGES]
        if self.touches is not None:
            stamps.append(self.touches["first_touch_at"].max())
        if self.deals is not None:
            stamps += [self.deals["created_at"].max(), self.deals.loc[self.deals["outcome"] != "open", "closed_at"].max()]
        if self.revenue is not None:
            stamps += [self.revenue["start"].max(), self.revenue["churned"].max()]
        return max(s for s in stamps if pd.notna(s))


def _now() -> pd.Timestamp:
    """Dates after tomorrow are refused as 'in the future' (a day of slack for time zones)."""
    return pd.Timestamp.now().normalize() + pd.Timedelta(days=2)


def _dedupe(table: RawTable, ids: pd.Series, column: str, what: str, notes: list[str]) -> tuple[pd.Series, int]:
    """Keep the first row of each repeated id; note the others."""
    dup = ids.duplicated(keep="first")
    n = int(dup.sum())
    if n:
        notes.append(f"{table.name}, column '{column}': {n:,} repeated {what} id(s) on {rows_text(ids.index[dup])}; "
                     f"the first row of each id is kept.")
    return ~dup, n


def _stage_codes(raw: pd.Series, stage_map: dict[str, str], where: str, allowed: tuple[str, ...],
                 blank_value: str | None) -> pd.Series:
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
            raise CrmError(f"{where}, {rows_text(raw.index[bad])}: {label} is not a stage the mapping knows."
                           + suggest(key, known).replace("The file has", "The mapping knows")
                           + f" Add it under [{'leads' if 'inquiry' in allowed else 'deals'}.stages], mapped to one "
                           f"of {', '.join(allowed)}.")
    return pd.Series(np.asarray(mapped, dtype=object)[codes] if len(uniques) else np.array([], dtype=object),
                     index=raw.index, dtype=object)


def _read(mapping: Mapping, name: str, path: Path, extra: dict[str, str] | None = None,
          extra_required: set[str] | None = None) -> tuple[RawTable, dict[str, str]]:
    wanted = mapping.columns(name) | (extra or {})
    required = mapping.required(name) | (extra_required or set())
    sheet = mapping.section(name).get("sheet")
    return read_export(path, name, wanted, required, mapping.separator, sheet,
                       names={"stage", "channel", "campaign", "won"})


def _missing_note(table: RawTable, wanted: dict[str, str], found: dict[str, str], notes: list[str]) -> None:
    for fld, column in wanted.items():
        if fld not in found:
            notes.append(f"{table.name}: no column '{column}' ({fld.replace('stage_date:', 'date of stage ')}); "
                         f"what needs it is reported as unavailable.")


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
    if "stage" not in cols and not stage_dates:
        wanted = mapping.columns("leads")
        named = [wanted[k] for k in wanted if k == "stage" or k.startswith("stage_date:")]
        raise CrmError(f"{table.name}: neither a stage column nor any stage date column was found "
                       f"(looked for {', '.join(repr(c) for c in named) or 'none: the mapping names none'}); "
                       f"the funnel needs at least one." + suggest(named[0] if named else "stage", table.header,
                                                                  list_all=False))
    raw = raw[keep]
    leads = pd.DataFrame({"lead_id": ids[keep]}, index=raw.index)
    if "channel" in cols:
        channel = text_column(raw[cols["channel"]], table.where(cols["channel"]), False)
        if (channel == "").any():
            channel = channel.cat.rename_categories({"": NO_SOURCE}) if NO_SOURCE not in channel.cat.categories \
                else channel.astype(object).replace("", NO_SOURCE).astype("category")
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
    if "stage" in cols:
        stage_map = mapping.stage_map("leads")
        current = _stage_codes(raw[cols["stage"]], stage_map, table.where(cols["stage"]), STAGES, "inquiry")
        index = current.map({s: i for i, s in enumerate(STAGES)}).to_numpy(dtype=np.int8)
        furthest = np.maximum(furthest, index)
    leads["furthest"] = furthest
    leads["row"] = leads.index.to_numpy()
    leads["lead_no"] = np.arange(len(leads), dtype=np.int64)  # integer key: fast joins on a million leads
    touches = None
    if "first_touch" in cols:
        col = cols["first_touch"]
        first = date_column(raw[col], table.where(col), order, False, now)
        has = first.notna()
        touches = pd.DataFrame({"lead_id": leads["lead_id"][has].to_numpy(), "first_touch_at": first[has].to_numpy(),
                                "lead_no": leads["lead_no"][has].to_numpy()})
    join_values = None
    if join_column:
        join_col = cols["join:leads"]
        join_values = ids[keep] if join_col == id_col else id_column(raw[join_col], table.where(join_col), False)
    return table, leads, touches, join_values


def _load_deals(mapping: Mapping, path: Path, join_column: str, notes: list[str], counts: dict):
    table, cols = _read(mapping, "deals", path, {"join:deals": join_column}, {"join:deals", "stage"} if
                        "won" not in mapping.columns("deals") else {"join:deals"})
    _missing_note(table, mapping.columns("deals"), cols, notes)
    raw = table.frame
    order, now, dec = mapping.date_order, _now(), mapping.decimal
    id_col = cols["id"]
    ids = id_column(raw[id_col], table.where(id_col), required=True)
    keep, counts["duplicate_deals_dropped"] = _dedupe(table, ids, id_col, "deal", notes)
    raw = raw[keep]
    deals = pd.DataFrame({"deal_id": ids[keep]}, index=raw.index)
    outcomes = ("open", "won", "lost", "closed")
    if "stage" in cols:
        outcome = _stage_codes(raw[cols["stage"]], mapping.stage_map("deals"), table.where(cols["stage"]),
                               outcomes, None)
    else:
        outcome = pd.Series("closed", index=raw.index, dtype=object)
    if "won" in cols:
        won = bool_column(raw[cols["won"]], table.where(cols["won"]))
        outcome = outcome.where(outcome == "open", np.where(won, "won", "lost"))
    elif (outcome == "closed").any():
        bad = outcome == "closed"
        raise CrmError(f"{table.where(cols['stage'])}, {rows_text(raw.index[bad])}: the stage maps to 'closed', "
                       f"which needs a won column (deals.won) to say won or lost.")
    deals["outcome"] = outcome.astype(object)
    deals["amount"] = (number_column(raw[cols["amount"]], table.where(cols["amount"]), dec, what="an amount")
                       if "amount" in cols else np.nan)
    deals["created_at"] = (date_column(raw[cols["created"]], table.where(cols["created"]), order, False, now)
                           if "created" in cols else pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]"))
    if "closed" in cols:
        closed = date_column(raw[cols["closed"]], table.where(cols["closed"]), order, False, None)
        finished = deals["outcome"] != "open"
        future = finished & (closed > now)
        if future.any():
            raise CrmError(f"{table.where(cols['closed'])}, {rows_text(raw.index[future])}: a {deals['outcome'][future].iloc[0]} "
                           f"deal closed on {closed[future].iloc[0]:%Y-%m-%d}, in the future; a closed deal's close "
                           f"date has already happened.")
        deals["closed_at"] = closed.where(finished)
    else:
        deals["closed_at"] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    join_raw = id_column(raw[cols["join:deals"]], table.where(cols["join:deals"]), False)
    sep = mapping.section("join").get("multi_value_separator")
    if sep:
        several = join_raw.str.contains(sep, regex=False)
        if several.any():
            join_raw = join_raw.where(~several, join_raw[several].str.split(sep, n=1).str[0].str.strip())
    deals["row"] = deals.index.to_numpy()
    return table, deals, join_raw, cols["join:deals"]


def _load_spend(mapping: Mapping, path: Path, notes: list[str]) -> tuple[RawTable, pd.DataFrame]:
    table, cols = _read(mapping, "spend", path)
    raw = table.frame
    month = date_column(raw[cols["month"]], table.where(cols["month"]), mapping.date_order, True, None)
    spend = pd.DataFrame({
        "channel": text_column(raw[cols["channel"]], table.where(cols["channel"]), True).astype(object),
        "month": month.dt.to_period("M"),
        "amount": number_column(raw[cols["amount"]], table.where(cols["amount"]), mapping.decimal, True,
                                what="an amount of money"),
    }, index=raw.index)
    return table, spend.groupby(["channel", "month"], as_index=False, sort=True)["amount"].sum()


def _load_revenue(mapping: Mapping, path: Path, notes: list[str]) -> tuple[RawTable, pd.DataFrame, dict]:
    table, cols = _read(mapping, "revenue", path)
    _missing_note(table, mapping.columns("revenue"), cols, notes)
    raw, order = table.frame, mapping.date_order
    revenue = pd.DataFrame(index=raw.index)
    revenue["deal_id"] = id_column(raw[cols["deal"]], table.where(cols["deal"]), False) if "deal" in cols else ""
    revenue["start"] = date_column(raw[cols["start"]], table.where(cols["start"]), order, True, _now())
    revenue["mrr"] = number_column(raw[cols["mrr"]], table.where(cols["mrr"]), mapping.decimal, True,
                                   what="a monthly revenue")
    revenue["churned"] = (date_column(raw[cols["churned"]], table.where(cols["churned"]), order, False, _now())
                          if "churned" in cols else pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]"))
    early = revenue["churned"] < revenue["start"]
    if early.any():
        raise CrmError(f"{table.where(cols['churned'])}, {rows_text(raw.index[early])}: the churn date is before the "
                       f"start date; a customer leaves after joining.")
    revenue["margin"] = (number_column(raw[cols["margin"]], table.where(cols["margin"]), mapping.decimal, False,
                                       minimum=0, maximum=1, what="a gross margin as a fraction from 0 to 1")
                         if "margin" in cols else np.nan)
    return table, revenue, cols


def load_export(mapping: Mapping, leads: str | Path | None = None, deals: str | Path | None = None,
                spend: str | Path | None = None, revenue: str | Path | None = None) -> CrmExport:
    """Read the exports (paths given here win over the mapping's ``file`` settings) into a CrmExport."""
    paths = {}
    for name, given in (("leads", leads), ("deals", deals), ("spend", spend), ("revenue", revenue)):
        path = Path(given) if given is not None else mapping.file(name)
        if path is not None:
            paths[name] = path
    if "leads" not in paths:
        raise CrmError("no leads file: give --leads FILE, or file = \"...\" under [leads] in the mapping.")
    notes: list[str] = []
    counts: dict[str, int] = {}
    join = mapping.section("join")
    if "deals" in paths and (not join.get("leads") or not join.get("deals")):
        raise CrmError(f"{mapping.label}: a deals file needs [join] leads = \"<column in the leads file>\" and "
                       f"deals = \"<column in the deals file>\" holding the same value.")
    lead_table, lead_frame, touches, lead_keys = _load_leads(
        mapping, paths["leads"], join.get("leads") if "deals" in paths else None, notes, counts)
    counts["leads"] = len(lead_frame)
    result = CrmExport(leads=lead_frame, touches=touches, notes=notes, counts=counts,
                       files={k: p.name for k, p in paths.items()},
                       default_gross_margin=mapping.section("revenue").get("default_gross_margin"))
    if "deals" in paths:
        deal_table, deal_frame, deal_keys, deal_join_col = _load_deals(mapping, paths["deals"], join["deals"], notes,
                                                                        counts)
        key_to_no = pd.Series(lead_frame["lead_no"].to_numpy(), index=lead_keys.to_numpy())
        key_to_no = key_to_no[(key_to_no.index != "") & ~key_to_no.index.duplicated(keep="first")]
        lead_no = deal_keys.map(key_to_no)
        unmatched = lead_no.isna()
        keyed = deal_keys != ""
        if keyed.any() and unmatched[keyed].all():
            shown = repr(str(deal_keys[keyed].iloc[0])[:60])
            raise CrmError(f"{deal_table.where(deal_join_col)}, {rows_text(deal_frame.index[keyed])}: no value "
                           f"(such as {shown}) matches any '{join['leads']}' in {lead_table.name}, so no deal joins a lead. "
                           f"Check [join] in the mapping: both columns must hold the same ids.")
        counts["deals"] = len(deal_frame)
        counts["deals_without_lead"] = int(unmatched.sum())
        if unmatched.any():
            notes.append(f"{deal_table.name}: {int(unmatched.sum()):,} deal(s) match no lead (blank or unknown "
                         f"'{deal_join_col}', {rows_text(deal_frame.index[unmatched])}); they count for win rate, deal "
                         f"size and cycle time but are left out of the funnel.")
        pos = lead_no[~unmatched].to_numpy(dtype=np.int64)
        deal_frame["lead_id"] = None
        deal_frame.loc[~unmatched, "lead_id"] = lead_frame["lead_id"].to_numpy()[pos]
        deal_frame["channel"] = None
        deal_frame.loc[~unmatched, "channel"] = np.asarray(lead_frame["channel"].astype(object))[pos]
        joined = deal_frame[~unmatched].assign(lead_no=pos)
        n = len(lead_frame)
        opened = joined.groupby("lead_no")["created_at"].min()
        won_deals = joined[joined["outcome"] == "won"]
        won = won_deals.groupby("lead_no")["closed_at"].min()
        has_deal = np.zeros(n, dtype=bool)
        has_deal[pos] = True
        has_won = np.zeros(n, dtype=bool)
        has_won[won_deals["lead_no"].to_numpy()] = True
        opp = lead_frame["opportunity_at"]
        lead_frame["opportunity_at"] = opp.fillna(pd.Series(opened.reindex(np.arange(n)).to_numpy(), index=opp.index))
        won_at = lead_frame["won_at"]
        lead_frame["won_at"] = won_at.where(won_at.notna() | ~has_won,
                                            pd.Series(won.reindex(np.arange(n)).to_numpy(), index=won_at.index))
        furthest = lead_frame["furthest"].to_numpy()
        furthest = np.where(has_deal, np.maximum(furthest, STAGES.index("opportunity")), furthest)
        furthest = np.where(has_won, np.maximum(furthest, STAGES.index("won")), furthest)
        lead_frame["furthest"] = furthest.astype(np.int8)
        result.deals = deal_frame
    implied = 0
    for i, s in enumerate(STAGES[1:], start=1):
        implied += int(((lead_frame["furthest"] >= i) & lead_frame[stage_column(s)].isna()).sum())
    counts["stages_reached_without_date"] = implied
    if implied:
        notes.append(f"{implied:,} stage(s) were reached without a recorded date (implied by a later stage or the "
                     f"current stage): they count in conversion, not in velocity.")
    if "spend" in paths:
        _, result.spend = _load_spend(mapping, paths["spend"], notes)
        unknown = sorted(set(result.spend["channel"]) - set(lead_frame["channel"]))
        if unknown:
            notes.append(f"{paths['spend'].name}: spend channel(s) {', '.join(repr(u) for u in unknown[:5])} match no "
                         f"lead source in {lead_table.name}; that spend counts in blended CAC only.")
    if "revenue" in paths:
        rev_table, rev, rev_cols = _load_revenue(mapping, paths["revenue"], notes)
        if "deal" in rev_cols and result.deals is not None:
            channel = pd.Series(result.deals["channel"].to_numpy(), index=result.deals["deal_id"].to_numpy())
            keyed = rev["deal_id"] != ""
            matched = keyed & rev["deal_id"].isin(channel.index)
            if keyed.any() and not matched.any():
                raise CrmError(f"{rev_table.where(rev_cols['deal'])}, {rows_text(rev.index[keyed])}: no value matches "
                               f"a deal id of the deals file, so no customer ties back to a deal.")
            rev["channel"] = rev["deal_id"].map(channel).where(matched, None)
        else:
            rev["channel"] = None
        result.revenue = rev
    return result
