"""The scorecard of a team's own funnel, computed from its CRM export (module 11, "Your playbook").

``compute(crm)`` takes a :class:`alignkit.teamtools.crm.CrmExport` and returns a dict that is plain JSON
(its schema: ``src/alignkit/teamtools/crm/scorecard.schema.json``, described in
``src/alignkit/teamtools/crm/README.md``).
Every number is a *metric*: ``{"value": 0.42, "unit": "share", "basis": 1200}``, where ``basis``
is how many records the value rests on; a number the data cannot support is
``{"value": null, "unit": ..., "unavailable": "<the reason>"}`` — never a zero.

The formulas are the course's own (:mod:`alignkit.metrics.funnel`, :mod:`alignkit.metrics.economics`):

* conversion a→b = leads that reached b ÷ leads that reached a (a lead whose current stage is SQL
  reached inquiry, MQL, SAL and SQL even where the export keeps no date for them);
* velocity a→b = median days from a to b, among leads with a recorded date for both;
* response time = median hours from MQL to a seller's first touch; leakage = share of MQLs at
  least 14 days old never contacted;
* hand-off: MQLs accepted by sales (reached SAL) and rejected (a stage name mapped to "rejected",
  such as Salesforce's Unqualified) ÷ MQLs: acceptance is a decision, whatever the hour; speed is
  the response time, a separate promise;
* win rate = won ÷ (won + lost) deals; average deal size = mean amount of won deals;
  sales cycle = median days from deal created to deal won;
* CAC = spend ÷ customers won in the months the spend covers; LTV = monthly revenue per customer ×
  gross margin ÷ monthly churn; LTV:CAC = LTV ÷ CAC; payback = CAC ÷ (monthly revenue × margin);
* before/after: the same measures for leads (and deals) created before and from ``change_date``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..metrics import economics, funnel
from ..metrics.funnel import STAGE_NAMES, STAGE_OWNER, STAGES, stage_column
from .crm.export import CrmExport

SCHEMA_ID = "alignkit.scorecard/1"
STEPS = [f"{a}→{b}" for a, b in zip(STAGES[:-1], STAGES[1:], strict=True)]
DAYS_PER_MONTH = 30.44
GRACE_DAYS = 14  # an MQL younger than this at the end of the data is not yet called leaked


def metric(value, unit: str, reason: str = "", basis: int | None = None) -> dict:
    """One number with its unit; ``None``/NaN becomes ``unavailable`` with ``reason``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return {"value": None, "unit": unit, "unavailable": reason or "not enough data"}
    if isinstance(value, (bool, np.bool_)):
        value = int(value)
    exact = isinstance(value, (int, np.integer))
    out = {"value": int(value) if exact else float(value), "unit": unit}
    if basis is not None:
        out["basis"] = int(basis)
    return out


def unavailable(unit: str, reason: str) -> dict:
    """A measure with no value: its unit and the reason it is unavailable."""
    return {"value": None, "unit": unit, "unavailable": reason}


def counting_frame(leads: pd.DataFrame) -> pd.DataFrame:
    """The leads with ``<stage>_at`` = 1.0 where the stage was reached (dated or not), NaN otherwise:
    the shape :func:`funnel.funnel_counts` counts, with implied stages included."""
    reached = leads["furthest"].to_numpy()[:, None] >= np.arange(len(STAGES))[None, :]
    out = pd.DataFrame(np.where(reached, 1.0, np.nan), columns=[stage_column(s) for s in STAGES], index=leads.index)
    out["channel"] = leads["channel"].to_numpy()
    return out


NOT_RECORDED = (
    "{stage} is not recorded in the export (no column, date or stage name of the mapping stands "
    "for it), so a step through it cannot be measured"
)


def shown_stages(crm: CrmExport) -> list[str]:
    """The stages the funnel shows: recorded ones and those a current-stage column implies."""
    if crm.leads is None:
        return []
    return [s for s in STAGES if crm.recorded.get(s, "recorded") != "not recorded"]


def funnel_steps(shown: list[str]) -> list[str]:
    """The steps of the funnel as recorded: each shown stage to the next shown one."""
    return [f"{a}→{b}" for a, b in zip(shown[:-1], shown[1:], strict=True)]


def _all_steps(shown: list[str]) -> list[str]:
    steps = [*STEPS, "inquiry→won"]
    extra = funnel_steps(shown) + ([f"{shown[0]}→{shown[-1]}"] if len(shown) > 1 else [])
    return steps + [x for x in dict.fromkeys(extra) if x not in steps]


def _conversion(counts: pd.Series, rates: pd.Series | None = None, shown: list[str] | None = None) -> dict:
    """Conversion a→b = leads that reached b ÷ leads that reached a, for the course's steps and the
    steps of the funnel as recorded; a step through a stage the export does not record is unavailable."""
    shown = list(STAGES) if shown is None else shown
    out = {}
    for step in _all_steps(shown):
        a, b = step.split("→")
        missing = [x for x in (a, b) if x not in shown]
        if missing:
            out[step] = unavailable("share", NOT_RECORDED.format(stage=STAGE_NAMES[missing[0]]))
            continue
        value = counts[b] / counts[a] if counts[a] else math.nan
        out[step] = metric(value, "share", f"no lead reached {STAGE_NAMES[a]}", basis=counts[a])
    return out


def _velocity(days: pd.Series | None, leads: pd.DataFrame, shown: list[str] | None = None) -> dict:
    """Median days a→b among leads with a recorded date for both, for the same steps as conversion
    (without the whole-funnel step of the course, inquiry→won)."""
    shown = list(STAGES) if shown is None else shown
    out = {}
    for step in [x for x in _all_steps(shown) if x != "inquiry→won"]:
        a, b = step.split("→")
        missing = [x for x in (a, b) if x not in shown]
        if missing:
            out[step] = unavailable("days", NOT_RECORDED.format(stage=STAGE_NAMES[missing[0]]))
            continue
        both = leads[stage_column(a)].notna() & leads[stage_column(b)].notna()
        delta = (leads[stage_column(b)][both] - leads[stage_column(a)][both]).dt.total_seconds() / 86400
        reason = f"no lead has recorded dates for both {STAGE_NAMES[a]} and {STAGE_NAMES[b]}"
        for x in (a, b):
            undated = int(((leads["furthest"] >= STAGES.index(x)) & leads[stage_column(x)].isna()).sum())
            if undated:
                reason += f"; {undated:,} reached {STAGE_NAMES[x]} without a date in the export"
        out[step] = metric(float(delta.median()) if len(delta) else math.nan, "days", reason, basis=int(both.sum()))
    return out


DEAL_KEYS = (
    ("deals", "deals"),
    ("won", "deals"),
    ("lost", "deals"),
    ("open", "deals"),
    ("win_rate", "share"),
    ("average_deal_size", "currency"),
    ("value_won", "currency"),
    ("sales_cycle_days", "days"),
    ("sales_cycle_closed_days", "days"),
)


def _deal_metrics(
    deals: pd.DataFrame | None, every_row: str | None = None, out_of_order: pd.DataFrame | None = None
) -> dict:
    """Counts, win rate, average and total value won, and the sales cycle of won deals and of all
    closed deals (won and lost); deals closed before they were created are left out of the cycle."""
    if deals is None or deals.empty:
        reason = "no deals file: win rate, deal size and sales cycle need the deals export (--deals FILE)"
        return {k: unavailable(u, reason) for k, u in DEAL_KEYS}
    won = deals[deals["outcome"] == "won"]
    closed_mask = deals["outcome"].isin(["won", "lost"])
    closed = int(closed_mask.sum())
    amounts = won["amount"].dropna()
    good = deals if out_of_order is None or out_of_order.empty else deals[~deals.index.isin(out_of_order.index)]
    days = (good["closed_at"] - good["created_at"]).dt.total_seconds() / 86400
    cycle = days[good["outcome"] == "won"].dropna()
    cycle_closed = days[good["outcome"].isin(["won", "lost"])].dropna()
    if deals["amount"].isna().all():
        size_reason = "the deals export has no amounts (deals.amount)"
    else:
        size_reason = "no won deal has an amount"
    if deals["created_at"].isna().all() or deals["closed_at"].isna().all():
        cycle_reason = "the deals export lacks a created or a close date (deals.created, deals.closed)"
    else:
        cycle_reason = "no won deal has both a created and a close date"
    out = {
        "deals": metric(len(deals), "deals"),
        "won": metric(len(won), "deals"),
        "lost": metric(int((deals["outcome"] == "lost").sum()), "deals"),
        "open": metric(int((deals["outcome"] == "open").sum()), "deals"),
        "win_rate": metric(funnel.win_rate(deals), "share", "no deal is closed (won or lost) yet", basis=closed),
        "average_deal_size": metric(
            amounts.mean() if len(amounts) else math.nan, "currency", size_reason, basis=len(amounts)
        ),
        "value_won": metric(amounts.sum() if len(amounts) else math.nan, "currency", size_reason, basis=len(amounts)),
        "sales_cycle_days": metric(cycle.median() if len(cycle) else math.nan, "days", cycle_reason, basis=len(cycle)),
        "sales_cycle_closed_days": metric(
            cycle_closed.median() if len(cycle_closed) else math.nan,
            "days",
            cycle_reason.replace("won deal", "closed deal"),
            basis=len(cycle_closed),
        ),
    }
    if every_row is not None:
        reason = (
            f'the export holds only {every_row} deals (every_row = "{every_row}" in the mapping), so win rate '
            f"is not measurable: it needs the deals won and the deals lost"
        )
        out["win_rate"] = unavailable("share", reason)
        for k in ("won", "lost", "open"):
            if k != every_row:
                out[k] = unavailable("deals", reason.replace("win rate is", "this count is"))
        if every_row != "won":
            out["sales_cycle_closed_days"] = unavailable("days", reason.replace("win rate is", "the cycle is"))
    return out


MAX_PIPELINE_STAGES = 100


def pipeline_stages(deals: pd.DataFrame | None) -> list[dict]:
    """Deals per stage of the export's own pipeline (its names: Prospecting, Negotiation ...), with the
    course outcome each stage maps to; open stages first, then won and lost, largest first. Beyond
    100 stage names (a free-text column), the smallest are grouped as '(other stages)' per outcome."""
    if deals is None or "stage_name" not in deals:
        return []
    names = deals["stage_name"]
    if names.nunique() > MAX_PIPELINE_STAGES:
        keep = set(names.value_counts().index[: MAX_PIPELINE_STAGES - 3])
        deals = deals.assign(stage_name=names.where(names.isin(keep), "(other stages)"))
    table = (
        deals.assign(stage=deals["stage_name"].replace("", "(blank)"))
        .groupby(["stage", "outcome"], sort=False)
        .size()
        .reset_index(name="deals")
    )
    order = {"open": 0, "won": 1, "lost": 2}
    table = table.sort_values(
        ["outcome", "deals", "stage"],
        key=lambda c: c.map(order) if c.name == "outcome" else (-c if c.name == "deals" else c),
        kind="stable",
    )
    return [{"stage": str(r.stage), "outcome": str(r.outcome), "deals": int(r.deals)} for r in table.itertuples()]


def _response(leads: pd.DataFrame | None, touches: pd.DataFrame | None, as_of: pd.Timestamp) -> dict:
    keys = (
        ("median_hours", "hours"),
        ("within_1h", "share"),
        ("within_24h", "share"),
        ("leakage", "share"),
        ("mqls_counted", "leads"),
    )
    if leads is None:
        return {k: unavailable(u, NO_LEADS) for k, u in keys}
    if touches is None:
        reason = (
            "no first-touch column in the leads export (leads.first_touch): response time and leakage need "
            "when a seller first contacted each MQL"
        )
        return {k: unavailable(u, reason) for k, u in keys}
    dated = leads[leads["mql_at"].notna()]
    if dated.empty:
        reason = "no lead has a recorded MQL date (leads.stage_dates.mql), so response time cannot be measured"
        return {k: unavailable(u, reason) for k, u in keys}
    # integer lead numbers instead of text ids: the same join, much faster on a million leads
    s = funnel.response_summary(
        dated[["lead_no", "mql_at"]].rename(columns={"lead_no": "lead_id"}),
        touches[["lead_no", "first_touch_at"]].rename(columns={"lead_no": "lead_id"}),
        as_of,
        grace_days=GRACE_DAYS,
    )
    ripe = f"no MQL is at least {GRACE_DAYS} days old at {as_of:%Y-%m-%d}"
    return {
        "median_hours": metric(
            s["median_hours"], "hours", ripe if not s["mqls"] else "no MQL was contacted", basis=int(s["contacted"])
        ),
        "within_1h": metric(s["within_1h"], "share", ripe, basis=int(s["mqls"])),
        "within_24h": metric(s["within_24h"], "share", ripe, basis=int(s["mqls"])),
        "leakage": metric(s["leakage"], "share", ripe, basis=int(s["mqls"])),
        "mqls_counted": metric(s["mqls"], "leads"),
    }


def _spend_window(spend: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    return spend["month"].min().start_time, (spend["month"].max() + 1).start_time


def _new_customers(crm: CrmExport, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Customers won in [start, end): won deals by close date, or (without deals) leads by won date."""
    if crm.deals is not None:
        won = crm.deals[
            (crm.deals["outcome"] == "won") & (crm.deals["closed_at"] >= start) & (crm.deals["closed_at"] < end)
        ]
        return won[["channel"]]
    assert crm.leads is not None  # an export without deals has leads
    won = crm.leads[(crm.leads["won_at"] >= start) & (crm.leads["won_at"] < end)]
    return won[["channel"]]


def _ltv_parts(revenue: pd.DataFrame | None, default_margin: float | None, as_of: pd.Timestamp) -> dict:
    if revenue is None or revenue.empty:
        reason = "no revenue file: LTV needs each customer's monthly revenue, start and churn dates (--revenue FILE)"
        return {
            "arpa_monthly": unavailable("currency per month", reason),
            "gross_margin": unavailable("fraction", reason),
            "monthly_churn": unavailable("share per month", reason),
            "ltv": unavailable("currency", reason),
        }
    margins = revenue["margin"].dropna()
    margin = margins.mean() if len(margins) else (default_margin if default_margin is not None else math.nan)
    churn = economics.monthly_churn_rate(revenue["start"], revenue["churned"], as_of)
    arpa = revenue["mrr"].mean()
    churned = int((revenue["churned"].notna() & (revenue["churned"] <= as_of)).sum())
    margin_reason = (
        "no gross margin: add a margin column to the revenue file (revenue.margin) or "
        "default_gross_margin = 0.8 under [revenue] in the mapping"
    )
    churn_reason = "no customer in the revenue file has churned, so a customer lifetime cannot be estimated"
    if math.isnan(margin):
        ltv_value, ltv_reason = math.nan, margin_reason
    elif churned == 0 or math.isnan(churn):
        ltv_value, ltv_reason = math.nan, churn_reason
    else:
        ltv_value, ltv_reason = economics.ltv(arpa, margin, churn), ""
    return {
        "arpa_monthly": metric(arpa, "currency per month", basis=len(revenue)),
        "gross_margin": metric(margin, "fraction", margin_reason, basis=len(margins)),
        "monthly_churn": metric(churn if churned else math.nan, "share per month", churn_reason, basis=churned),
        "ltv": metric(ltv_value, "currency", ltv_reason),
    }


def _economics(crm: CrmExport, as_of: pd.Timestamp) -> tuple[dict, dict]:
    """Blended economics, and CAC/LTV per channel (returned separately for the channel table)."""
    parts = _ltv_parts(crm.revenue, crm.default_gross_margin, as_of)
    per_channel: dict[str, dict] = {}
    if crm.spend is None or crm.spend.empty:
        reason = (
            "no spend file: CAC = spend ÷ new customers needs marketing and sales spend by channel and month "
            "(--spend FILE)"
        )
        out: dict[str, Any] = {
            "spend": unavailable("currency", reason),
            "new_customers": unavailable("customers", reason),
            "cac": unavailable("currency", reason),
        }
        cac_value = math.nan
    else:
        start, end = _spend_window(crm.spend)
        new = _new_customers(crm, start, end)
        total = float(crm.spend["amount"].sum())
        cac_value = economics.cac(total, len(new))
        window = f"{start:%Y-%m} to {(end - pd.Timedelta(days=1)):%Y-%m}"
        out = {
            "spend": metric(total, "currency"),
            "new_customers": metric(len(new), "customers"),
            "cac": metric(
                cac_value, "currency", f"no customer was won in the months the spend covers ({window})", basis=len(new)
            ),
            "spend_months": {"first": f"{start:%Y-%m}", "last": f"{(end - pd.Timedelta(days=1)):%Y-%m}"},
        }
        spend_by = crm.spend.groupby("channel")["amount"].sum()
        won_by = new["channel"].value_counts()
        for channel, amount in spend_by.items():
            n = int(won_by.get(channel, 0))
            per_channel[channel] = {
                "spend": metric(amount, "currency"),
                "cac": metric(
                    economics.cac(float(amount), n),
                    "currency",
                    f"no customer from {channel} was won in {window}",
                    basis=n,
                ),
            }
    out.update(parts)
    if math.isnan(cac_value) or parts["ltv"]["value"] is None:
        why = out["cac"].get("unavailable") or parts["ltv"].get("unavailable")
        out["ltv_to_cac"] = unavailable("ratio", why)
        out["payback_months"] = unavailable(
            "months", out["cac"].get("unavailable") or parts["gross_margin"].get("unavailable") or ""
        )
    else:
        out["ltv_to_cac"] = metric(economics.ltv_to_cac(parts["ltv"]["value"], cac_value), "ratio")
        out["payback_months"] = metric(
            economics.payback_months(cac_value, parts["arpa_monthly"]["value"], parts["gross_margin"]["value"]),
            "months",
        )
    if crm.revenue is not None and out["cac"]["value"] is not None:
        for channel, part in crm.revenue.dropna(subset=["channel"]).groupby("channel"):
            if channel not in per_channel:
                continue
            p = _ltv_parts(part, crm.default_gross_margin, as_of)
            cac_c = per_channel[channel]["cac"]
            if p["ltv"]["value"] is None or cac_c["value"] is None:
                per_channel[channel]["ltv_to_cac"] = unavailable(
                    "ratio", p["ltv"].get("unavailable") or cac_c.get("unavailable")
                )
            else:
                per_channel[channel]["ltv_to_cac"] = metric(p["ltv"]["value"] / cac_c["value"], "ratio")
    out["ltv_to_cac_rule"] = economics.LTV_TO_CAC_RULE
    return out, per_channel


def _handoff(crm: CrmExport, counts: pd.Series, shown: list[str]) -> dict:
    """Marketing's hand-off to sales: of the MQLs, how many sales accepted (reached SAL), how many it
    rejected (a stage name mapped to "rejected", such as Salesforce's Unqualified) and how many await
    a decision. Acceptance is a decision, not a speed: how fast sales answers is the response time."""
    keys = (
        ("mqls", "leads"),
        ("accepted", "leads"),
        ("rejected", "leads"),
        ("undecided", "leads"),
        ("acceptance_rate", "share"),
        ("rejection_rate", "share"),
    )
    if crm.leads is None:
        return {k: unavailable(u, NO_LEADS) for k, u in keys}
    if "mql" not in shown:
        return {k: unavailable(u, NOT_RECORDED.format(stage="MQL")) for k, u in keys}
    mqls = int(counts["mql"])
    rejected = int(crm.leads["rejected"].sum()) if "rejected" in crm.leads else 0
    out = {"mqls": metric(mqls, "leads")}
    if "sal" in shown:
        accepted = int(counts["sal"])
        out["accepted"] = metric(accepted, "leads")
        out["undecided"] = metric(max(mqls - accepted - rejected, 0), "leads")
        out["acceptance_rate"] = metric(
            accepted / mqls if mqls else math.nan, "share", "no lead reached MQL", basis=mqls
        )
    else:
        why = NOT_RECORDED.format(stage="SAL")
        out.update(
            accepted=unavailable("leads", why),
            undecided=unavailable("leads", why),
            acceptance_rate=unavailable("share", why),
        )
    out["rejected"] = metric(rejected, "leads")
    out["rejection_rate"] = metric(rejected / mqls if mqls else math.nan, "share", "no lead reached MQL", basis=mqls)
    if not crm.rejections_recorded:
        why = 'the mapping maps no stage name to "rejected", so the export does not say which MQLs sales turned down'
        out.update(
            rejected=unavailable("leads", why),
            rejection_rate=unavailable("share", why),
            undecided=unavailable("leads", why),
        )
    return out


def _velocity_frame(crm: CrmExport, leads: pd.DataFrame) -> pd.DataFrame:
    """The leads for velocity: those with dates out of order have their dates blanked (left out)."""
    bad = crm.out_of_order.get("leads")
    if bad is None or bad.empty:
        return leads
    cols = [stage_column(x) for x in STAGES]
    out = leads.copy()
    out.loc[out.index.isin(bad.index), cols] = pd.NaT
    return out


def _by_channel(
    crm: CrmExport, leads: pd.DataFrame, vel: pd.DataFrame, counts_frame: pd.DataFrame, econ_by: dict, shown: list[str]
) -> list[dict]:
    counts = funnel.funnel_counts(counts_frame, "channel")
    rows = []
    groups = vel.groupby("channel", observed=True, sort=False).indices
    deal_groups = (
        crm.deals.groupby(crm.deals["channel"].astype(object), sort=False).indices
        if crm.deals is not None and crm.deals["channel"].notna().any()
        else {}
    )
    for channel in counts.sort_values("inquiry", ascending=False).index:
        part = vel.iloc[groups.get(channel, [])]
        deals = crm.deals.iloc[deal_groups.get(channel, [])] if crm.deals is not None else None
        row = {
            "channel": str(channel),
            "funnel": {s: int(counts.loc[channel, s]) for s in STAGES},
            "conversion": _conversion(counts.loc[channel], None, shown),
            "velocity_days": _velocity(None, part, shown),
            "win_rate": (
                _deal_metrics(deals, crm.deals_every_row)["win_rate"]
                if deals is not None and len(deals)
                else unavailable(
                    "share", "no deal from this channel" if crm.deals is not None else "no deals file (--deals FILE)"
                )
            ),
        }
        if channel in econ_by:
            row.update(econ_by[channel])
        else:
            row["cac"] = unavailable(
                "currency",
                "no spend for this channel in the spend file"
                if crm.spend is not None
                else "no spend file (--spend FILE)",
            )
        rows.append(row)
    return rows


def _period(
    crm: CrmExport,
    leads: pd.DataFrame,
    deals: pd.DataFrame | None,
    months: float,
    as_of: pd.Timestamp,
    shown: list[str],
) -> dict:
    frame = counting_frame(leads)
    counts = funnel.funnel_counts(frame).iloc[0]
    conv = _conversion(counts, None, shown)
    velocity = _velocity(None, _velocity_frame(crm, leads), shown) if len(leads) else {}
    resp = _response(leads, crm.touches, as_of)
    deal = (
        _deal_metrics(deals, crm.deals_every_row, crm.out_of_order.get("deals"))
        if crm.deals is not None
        else _deal_metrics(None)
    )
    out = {
        "leads_per_month": metric(
            len(leads) / months if months > 0 else math.nan, "leads per month", "the period is empty", basis=len(leads)
        )
    }
    out.update({f"conversion {k}": v for k, v in conv.items()})
    out.update({f"velocity {k}": v for k, v in velocity.items()})
    out["response median_hours"] = resp["median_hours"]
    out["leakage"] = resp["leakage"]
    for k in ("win_rate", "average_deal_size", "sales_cycle_days"):
        out[k] = deal[k]
    return out


def _before_after(
    crm: CrmExport, leads: pd.DataFrame | None, change_date: str | None, as_of: pd.Timestamp, shown: list[str]
) -> dict:
    if change_date is None:
        return {"change_date": None, "unavailable": "no change date given (--change-date YYYY-MM-DD)", "metrics": {}}
    if leads is None:
        return {
            "change_date": change_date,
            "metrics": {},
            "unavailable": "no leads file: before and after compares the leads created on each side (--leads FILE)",
        }
    change = pd.Timestamp(change_date)
    before, after = leads[leads["inquiry_at"] < change], leads[leads["inquiry_at"] >= change]
    if before.empty or after.empty:
        side = "before" if before.empty else "on or after"
        return {
            "change_date": f"{change:%Y-%m-%d}",
            "metrics": {},
            "unavailable": f"no lead was created {side} {change:%Y-%m-%d}; the leads run from "
            f"{leads['inquiry_at'].min():%Y-%m-%d} to {leads['inquiry_at'].max():%Y-%m-%d}",
        }
    deals_before = deals_after = None
    if crm.deals is not None:
        created = crm.deals["created_at"]
        if created.isna().all():  # no deal dates: date each deal by its lead's creation
            assert crm.leads is not None  # ``leads`` above is a part of it
            created = crm.deals["lead_id"].map(
                pd.Series(crm.leads["inquiry_at"].to_numpy(), index=crm.leads["lead_id"])
            )
        deals_before, deals_after = crm.deals[created < change], crm.deals[created >= change]
    months_before = (change - leads["inquiry_at"].min().normalize()).total_seconds() / 86400 / DAYS_PER_MONTH
    last_lead = leads["inquiry_at"].max() + pd.Timedelta(days=1)
    months_after = (last_lead.normalize() - change).total_seconds() / 86400 / DAYS_PER_MONTH
    b = _period(crm, before, deals_before, months_before, as_of, shown)
    a = _period(crm, after, deals_after, months_after, as_of, shown)
    metrics = {}
    for key in b:
        bv, av = b[key]["value"], a.get(key, {}).get("value")
        metrics[key] = {"before": b[key], "after": a[key], "change": None if bv is None or av is None else av - bv}
    return {
        "change_date": f"{change:%Y-%m-%d}",
        "metrics": metrics,
        "months": {"before": round(months_before, 2), "after": round(months_after, 2)},
        "caution": (
            "leads created after the change have had less time to move down the funnel, so their "
            "later-stage conversion is understated until they mature"
        ),
    }


def _out_of_order_json(crm: CrmExport, limit: int = 50) -> dict:
    out = {}
    for what in ("leads", "deals"):
        frame = crm.out_of_order.get(what)
        if frame is None:
            continue
        out[what] = {
            "count": int(len(frame)),
            "items": [
                {"id": str(r.id), "row": int(r.row), "problem": str(r.problem)} for r in frame.head(limit).itertuples()
            ],
            "left_out_of": "velocity" if what == "leads" else "sales cycle",
        }
    return out


def _section_reasons(card: dict) -> dict:
    """For each section whose metrics are all unavailable for one reason, that reason (shown once)."""
    out = {}
    for key in ("conversion", "velocity_days", "response", "handoff", "deals", "economics"):
        metrics = [m for m in card[key].values() if isinstance(m, dict) and "unit" in m]
        reasons = {m.get("unavailable") for m in metrics}
        if metrics and None not in reasons and len(reasons) == 1:
            out[key] = reasons.pop()
    if card["leads_from"] is None:
        out["funnel"] = NO_LEADS
        out["by_channel"] = NO_LEADS
    return out


NO_LEADS = (
    "no leads file: the funnel, conversion, velocity and response time need the leads export "
    "(--leads FILE); the deal figures come from the deals file alone"
)


def compute(crm: CrmExport, change_date: str | None = None, as_of: str | pd.Timestamp | None = None) -> dict:
    """Every scorecard metric of one export, as JSON-ready data (see the module docstring for the formulas)."""
    as_of = pd.Timestamp(as_of) if as_of is not None else crm.as_of
    econ, econ_by = _economics(crm, as_of)
    deals_json = _deal_metrics(crm.deals, crm.deals_every_row, crm.out_of_order.get("deals"))
    deal_dates = {}
    if crm.deals is not None and crm.deals["created_at"].notna().any():
        deal_dates = {
            "deals_from": f"{crm.deals['created_at'].min():%Y-%m-%d}",
            "deals_to": f"{crm.deals['created_at'].max():%Y-%m-%d}",
        }
    if crm.leads is None:
        funnel_rows = [
            {
                "stage": s,
                "name": STAGE_NAMES[s],
                "owner": STAGE_OWNER[s],
                "leads": None,
                "with_date": 0,
                "recorded": "not recorded",
            }
            for s in STAGES
        ]
        conv = {k: unavailable("share", NO_LEADS) for k in [*STEPS, "inquiry→won"]}
        card: dict[str, Any] = {
            "schema": SCHEMA_ID,
            "files": dict(crm.files),
            "as_of": f"{as_of:%Y-%m-%d %H:%M}",
            "leads_from": None,
            "leads_to": None,
            **deal_dates,
            "data_quality": {"counts": {k: int(v) for k, v in crm.counts.items()}, "notes": list(crm.notes)},
            "funnel": funnel_rows,
            "funnel_steps": [],
            "conversion": conv,
            "velocity_days": {k: unavailable("days", NO_LEADS) for k in STEPS},
            "response": _response(None, None, as_of),
            "handoff": _handoff(crm, pd.Series(dtype=float), []),
            "deals": deals_json,
            "pipeline_stages": pipeline_stages(crm.deals),
            "dates_out_of_order": _out_of_order_json(crm),
            "economics": econ,
            "by_channel": [],
            "before_after": _before_after(crm, None, change_date, as_of, []),
        }
        card["unavailable"] = _section_reasons(card)
        return card
    # only the columns the measures read: grouping and filtering copy less on a million leads
    leads = crm.leads[["lead_no", "channel", "furthest", *[stage_column(s) for s in STAGES]]]
    shown = shown_stages(crm)
    vel = _velocity_frame(crm, leads)
    frame = counting_frame(leads)
    counts = funnel.funnel_counts(frame).iloc[0]
    card = {
        "schema": SCHEMA_ID,
        "files": dict(crm.files),
        "as_of": f"{as_of:%Y-%m-%d %H:%M}",
        "leads_from": f"{leads['inquiry_at'].min():%Y-%m-%d}",
        "leads_to": f"{leads['inquiry_at'].max():%Y-%m-%d}",
        **deal_dates,
        "data_quality": {"counts": {k: int(v) for k, v in crm.counts.items()}, "notes": list(crm.notes)},
        "funnel": [
            {
                "stage": s,
                "name": STAGE_NAMES[s],
                "owner": STAGE_OWNER[s],
                "leads": int(counts[s]) if s in shown else None,
                "with_date": int(leads[stage_column(s)].notna().sum()) if s in shown else 0,
                "recorded": crm.recorded.get(s, "recorded"),
            }
            for s in STAGES
        ],
        "funnel_steps": funnel_steps(shown),
        "conversion": _conversion(counts, None, shown),
        "velocity_days": _velocity(None, vel, shown),
        "response": _response(vel, crm.touches, as_of),
        "handoff": _handoff(crm, counts, shown),
        "deals": deals_json,
        "pipeline_stages": pipeline_stages(crm.deals),
        "dates_out_of_order": _out_of_order_json(crm),
        "economics": econ,
        "by_channel": _by_channel(crm, leads, vel, frame, econ_by, shown),
        "before_after": _before_after(crm, leads, change_date, as_of, shown),
    }
    card["unavailable"] = _section_reasons(card)
    return card
