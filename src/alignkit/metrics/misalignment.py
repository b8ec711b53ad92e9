"""The price of misalignment in money (lesson 2): leads lost, spend wasted, deals lost to mixed messages.

Albert Chan names three costs of sales and marketing working apart (interview with Laba): leads
handled badly and lost, resources misallocated or duplicated, and messages that disagree and erode
trust. Each function here turns one of them into dollars from a company's tables:

* **leads lost**: MQLs no seller ever contacted, and MQLs contacted more than a day late, qualify less
  often than MQLs called within a day; each qualified lead lost is worth the share of qualified leads
  that are won × the average deal (annual contract value). The hour and day marks follow the HBR study
  of lead response time (Oldroyd, McElheran and Elkington 2011; FACTS.md).
* **spend wasted**: spend that bought no new lead. A duplicate lead (a contact who was already a
  lead) costs what a lead of its campaign cost; the duplicates bought by the campaigns that overlap
  the channel's main campaign are the share of the overlap that added nobody, those bought by the
  main campaigns are the rest. Our assumption, stated in the lesson: a *new* person an overlapping
  campaign brought is worth its cost like any other lead; if those people would have come through
  the main campaign anyway, the waste is larger, at most the whole overlap spend.
* **mixed messages**: deals whose seller pitched a different theme from the campaign that brought the
  lead win less often. That is a correlation, not a proven cause, so the gap in win rate × those
  deals × the average deal is a *ceiling*: what the gap would be worth if the pitch were its whole
  cause. It is kept apart from the counted costs (``evidence`` = "if the pitch is the cause").

:func:`misalignment_cost` is the same arithmetic on plain numbers, for a team of any size: the
calculator of lesson 2. :func:`calculator_inputs` reads its defaults from a company's data, so the
calculator at those defaults gives the same yearly cost as the data (exactly for leads lost and
mixed messages; to within the spread of cost per lead across campaigns for duplicates).

NaN means "cannot be computed from these inputs" (no MQLs, no closed deals), never a silent zero.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .funnel import PHASES, conversion_rate, response_hours, win_rate

BANDS = ("< 1 h", "1–24 h", "> 24 h", "never")
CAUSES = (
    "leads never contacted",
    "leads called late",
    "overlap that added nobody",
    "duplicates from main campaigns",
    "mixed messages",
)
CAUSE_GROUP = {
    "leads never contacted": "leads lost",
    "leads called late": "leads lost",
    "overlap that added nobody": "spend wasted",
    "duplicates from main campaigns": "spend wasted",
    "mixed messages": "deals lost",
}
# The four counted causes add up to the bill; mixed messages is a ceiling resting on an assumed cause.
COUNTED = CAUSES[:4]
EVIDENCE = {c: "counted" for c in COUNTED} | {"mixed messages": "if the pitch is the cause"}


# --- leads lost ---------------------------------------------------------------------------------


def response_band(hours: pd.Series) -> pd.Series:
    """Each MQL's band of lead response time: '< 1 h', '1–24 h', '> 24 h', or 'never' (NaN hours).

    The marks are the HBR study's (FACTS.md): within an hour, within a day, later, never.
    """
    bands = np.select([hours.isna(), hours <= 1, hours <= 24], ["never", BANDS[0], BANDS[1]], BANDS[2])
    return pd.Series(pd.Categorical(bands, categories=BANDS, ordered=True), index=hours.index, name="response_band")


def response_bands(leads: pd.DataFrame, touches: pd.DataFrame) -> pd.DataFrame:
    """MQLs by response band: how many, their share of all MQLs, and how many became SQLs.

    ``sql_rate`` = MQLs of the band that reached SQL ÷ MQLs of the band (NaN for an empty band).
    """
    hours = response_hours(leads, touches)
    mqls = leads.loc[leads["mql_at"].notna(), ["lead_id", "sql_at"]].set_index("lead_id")
    mqls["band"] = response_band(hours.reindex(mqls.index))
    grouped = mqls.groupby("band", observed=False)
    out = pd.DataFrame({"mqls": grouped.size(), "sqls": grouped["sql_at"].count()}).reindex(list(BANDS), fill_value=0)
    total = int(out["mqls"].sum())
    out["share"] = [conversion_rate(n, total) for n in out["mqls"]]
    out["sql_rate"] = [conversion_rate(s, n) for s, n in zip(out["sqls"], out["mqls"], strict=True)]
    out.index.name = "response"
    return out


def average_deal(leads: pd.DataFrame, opportunities: pd.DataFrame) -> float:
    """Mean annual contract value (``amount_usd``) of the deals won from these leads; NaN if none won."""
    won = opportunities[(opportunities["outcome"] == "won") & opportunities["lead_id"].isin(leads["lead_id"])]
    return float(won["amount_usd"].mean()) if len(won) else math.nan


def value_per_qualified_lead(leads: pd.DataFrame, opportunities: pd.DataFrame) -> float:
    """What one SQL is worth: share of SQLs that were won × average deal (annual contract value).

    SQL→won = leads with ``won_at`` ÷ leads with ``sql_at``, so it includes SQLs that never became a
    deal and deals still open (counted as not won). NaN when there is no SQL or no deal won.
    """
    sql_to_won = conversion_rate(int(leads["won_at"].notna().sum()), int(leads["sql_at"].notna().sum()))
    return sql_to_won * average_deal(leads, opportunities)


def leads_lost(leads: pd.DataFrame, touches: pd.DataFrame, opportunities: pd.DataFrame) -> dict[str, float]:
    """Qualified leads lost to no follow-up and to late follow-up, and what they were worth.

    The reference is the SQL rate of MQLs first contacted within a day (``< 1 h`` and ``1–24 h``
    together): a lead never contacted cannot qualify, so it loses that whole rate; a lead contacted
    after more than a day loses the difference.

    lost SQLs (never) = never-contacted MQLs × on-time rate;
    lost SQLs (late)  = MQLs contacted after 24 h × (on-time rate − late rate);
    cost = lost SQLs × :func:`value_per_qualified_lead`.
    """
    bands = response_bands(leads, touches)
    on_time = bands.loc[["< 1 h", "1–24 h"]]
    on_time_rate = conversion_rate(on_time["sqls"].sum(), on_time["mqls"].sum())
    late_rate = float(bands.loc["> 24 h", "sql_rate"])
    never, late = int(bands.loc["never", "mqls"]), int(bands.loc["> 24 h", "mqls"])
    value = value_per_qualified_lead(leads, opportunities)
    lost_never = never * on_time_rate
    lost_late = late * (on_time_rate - late_rate) if late else 0.0
    return {
        "mqls": int(bands["mqls"].sum()),
        "never_contacted": never,
        "called_late": late,
        "on_time_sql_rate": on_time_rate,
        "late_sql_rate": late_rate,
        "lost_sqls_never": lost_never,
        "lost_sqls_late": lost_late,
        "value_per_qualified_lead": value,
        "cost_never": lost_never * value,
        "cost_late": lost_late * value,
    }


# --- spend wasted -------------------------------------------------------------------------------


def is_duplicate(leads: pd.DataFrame) -> pd.Series:
    """True for a lead whose ``contact_id`` was already a lead earlier (the first one is not a duplicate).

    Compute it on the whole lead table, then filter: a contact first seen last quarter makes this
    quarter's inquiry a duplicate.
    """
    order = leads.sort_values("inquiry_at", kind="stable")
    return order.duplicated("contact_id").reindex(leads.index).rename("is_duplicate")


def _months(when: pd.Series) -> pd.Series:
    return pd.to_datetime(when).dt.to_period("M")


def wasted_spend(leads: pd.DataFrame, campaigns: pd.DataFrame, duplicates: pd.Series | None = None) -> dict[str, float]:
    """Spend that bought no new lead: duplicate leads, priced at their campaign's cost per lead.

    ``campaigns`` are those of the period; ``leads`` the inquiries of the same period; ``duplicates``
    the :func:`is_duplicate` flags computed on the whole lead table (computed on ``leads`` if omitted).

    cost per lead of a campaign = its spend ÷ its leads;
    overlap that added nobody = Σ over the duplicates bought by overlapping campaigns of their cost per lead
    (the share of the overlap spend that brought only people marketing already had);
    duplicates from main campaigns = the same sum over the main campaigns' duplicates.
    ``overlap_spend`` (all spend on overlapping campaigns) is reported as the ceiling of the waste if
    the overlap's new people would have come anyway; it is not counted as waste.
    """
    if duplicates is None:
        duplicates = is_duplicate(leads)
    duplicates = duplicates.reindex(leads.index).fillna(False).astype(bool)
    spend = campaigns.set_index("campaign_id")["spend_usd"]
    overlap = campaigns.set_index("campaign_id")["overlaps_main_campaign"].astype(bool)
    leads_per_campaign = leads.groupby("campaign_id").size()
    cost_per_lead = (spend / leads_per_campaign.reindex(spend.index)).replace([np.inf], np.nan)
    from_overlap = leads["campaign_id"].map(overlap).fillna(False).astype(bool)
    main_dups = leads[duplicates & ~from_overlap]
    overlap_dups = leads[duplicates & from_overlap]
    total = float(spend.sum())
    overlap_spend = float(spend[overlap].sum())
    overlap_dup_cost = float(overlap_dups["campaign_id"].map(cost_per_lead).fillna(0.0).sum())
    main_dup_cost = float(main_dups["campaign_id"].map(cost_per_lead).fillna(0.0).sum())
    return {
        "inquiries": len(leads),
        "spend": total,
        "overlap_spend": overlap_spend,
        "overlap_share": conversion_rate(overlap_spend, total),
        "overlap_leads": int(from_overlap.sum()),
        "overlap_duplicates": len(overlap_dups),
        "overlap_duplicate_rate": conversion_rate(len(overlap_dups), int(from_overlap.sum())),
        "overlap_wasted": overlap_dup_cost,
        "duplicates": int(duplicates.sum()),
        "duplicate_rate": conversion_rate(int(duplicates.sum()), len(leads)),
        "main_leads": int((~from_overlap).sum()),
        "main_duplicates": len(main_dups),
        "main_duplicate_rate": conversion_rate(len(main_dups), int((~from_overlap).sum())),
        "duplicate_cost": main_dup_cost,
        "wasted": overlap_dup_cost + main_dup_cost,
    }


# --- mixed messages -----------------------------------------------------------------------------


def message_match(leads: pd.DataFrame, opportunities: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    """The opportunities of these leads, with the campaign's theme and ``matched`` (pitch = theme)."""
    theme = campaigns.set_index("campaign_id")["theme"]
    opps = opportunities.merge(leads[["lead_id", "campaign_id"]], on="lead_id", how="inner")
    opps["campaign_theme"] = opps["campaign_id"].map(theme)
    opps["matched"] = opps["pitch_theme"] == opps["campaign_theme"]
    return opps


def win_rate_by_message(opps: pd.DataFrame) -> pd.DataFrame:
    """Deals, closed deals and win rate for pitches that matched the campaign's theme and those that did not."""
    rows = {}
    for label, part in (("matched", opps[opps["matched"]]), ("mismatched", opps[~opps["matched"]])):
        closed = part["outcome"].isin(["won", "lost"])
        rows[label] = {
            "deals": len(part),
            "closed": int(closed.sum()),
            "won": int((part["outcome"] == "won").sum()),
            "win_rate": win_rate(part),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "pitch"
    return out


def mixed_message_cost(leads: pd.DataFrame, opportunities: pd.DataFrame, campaigns: pd.DataFrame) -> dict[str, float]:
    """Mixed messages: the win rates of on- and off-message deals, and what the gap would be worth.

    ``ceiling_deals`` = (win rate matched − win rate mismatched) × mismatched deals, and ``cost`` =
    that × the average deal: the value of the gap *if the pitch were its whole cause*. The data shows
    a correlation only (a seller may change message when a deal already looks lost, or some leads may
    be both harder to win and likelier to hear another pitch), so this is a ceiling, not money lost.
    Mismatched deals include the open ones.
    """
    table = win_rate_by_message(message_match(leads, opportunities, campaigns))
    gap = float(table.loc["matched", "win_rate"] - table.loc["mismatched", "win_rate"])
    deal = average_deal(leads, opportunities)
    mismatched = int(table.loc["mismatched", "deals"])
    return {
        "deals": int(table["deals"].sum()),
        "mismatched": mismatched,
        "mismatch_share": conversion_rate(mismatched, int(table["deals"].sum())),
        "win_rate_matched": float(table.loc["matched", "win_rate"]),
        "win_rate_mismatched": float(table.loc["mismatched", "win_rate"]),
        "win_rate_gap": float(gap),
        "average_deal": deal,
        "ceiling_deals": mismatched * gap,
        "cost": float(mismatched * gap * deal),
    }


# --- per phase, and the calculator --------------------------------------------------------------


def _phase_tables(data, phase: str):
    if phase not in PHASES:
        raise ValueError(f"unknown phase '{phase}'; the phases are {', '.join(PHASES)}.")
    leads = data.leads[data.leads["phase"] == phase]
    months = sorted(leads["month"].unique())
    campaigns = data.campaigns[_months(data.campaigns["month"]).astype(str).isin(months)]
    return leads, campaigns, len(months)


def phase_costs(data, phase: str, grace_days: int = 14) -> dict:
    """Every cost of one programme phase from the data: the parts of each cause and the phase's months.

    For leads lost, MQLs younger than ``grace_days`` at the end of the data are left out, as in
    :func:`alignkit.metrics.funnel.response_summary`: nobody has had the time to call them yet.
    """
    leads, campaigns, months = _phase_tables(data, phase)
    dups = is_duplicate(data.leads).reindex(leads.index)
    as_of = getattr(data, "data_end", None)
    if as_of is None:
        as_of = data.leads["inquiry_at"].max() + pd.Timedelta(days=1)
    ripe = leads[leads["mql_at"].isna() | (leads["mql_at"] <= as_of - pd.Timedelta(days=grace_days))]
    return {
        "months": months,
        "leads_lost": leads_lost(ripe, data.touches, data.opportunities),
        "spend": wasted_spend(leads, campaigns, dups),
        "messages": mixed_message_cost(leads, data.opportunities, data.campaigns),
    }


def yearly_costs(costs: dict) -> pd.Series:
    """The yearly cost of each cause from :func:`phase_costs`: the phase's cost ÷ its months × 12.
    The first four (:data:`COUNTED`) add up to the bill; ``mixed messages`` is a ceiling (see
    :func:`mixed_message_cost`)."""
    per_year = 12 / costs["months"]
    return pd.Series(
        {
            "leads never contacted": costs["leads_lost"]["cost_never"] * per_year,
            "leads called late": costs["leads_lost"]["cost_late"] * per_year,
            "overlap that added nobody": costs["spend"]["overlap_wasted"] * per_year,
            "duplicates from main campaigns": costs["spend"]["duplicate_cost"] * per_year,
            "mixed messages": costs["messages"]["cost"] * per_year,
        },
        name="yearly cost (USD)",
    )


def calculator_inputs(data, phase: str = "before", costs: dict | None = None) -> dict[str, float]:
    """The calculator's inputs as one phase of a company's data shows them (per month and per MQL).

    ``costs`` is that phase's :func:`phase_costs`, when already computed.
    """
    c = costs if costs is not None else phase_costs(data, phase)
    lost, spend, msg = c["leads_lost"], c["spend"], c["messages"]
    mqls = lost["mqls"]
    return {
        "mqls_per_month": mqls / c["months"],
        "leakage_rate": conversion_rate(lost["never_contacted"], mqls),
        "late_share": conversion_rate(lost["called_late"], mqls),
        "on_time_sql_rate": lost["on_time_sql_rate"],
        "late_sql_rate": lost["late_sql_rate"] if lost["called_late"] else lost["on_time_sql_rate"],
        "value_per_qualified_lead": lost["value_per_qualified_lead"],
        "inquiries_per_mql": conversion_rate(spend["inquiries"], mqls),
        "cost_per_lead": conversion_rate(spend["spend"], spend["inquiries"]),
        "overlap_share": spend["overlap_share"],
        # no overlapping campaign, nothing of it to waste
        "overlap_duplicate_rate": spend["overlap_duplicate_rate"] if spend["overlap_leads"] else 0.0,
        "duplicate_rate": spend["main_duplicate_rate"],
        "deals_per_mql": conversion_rate(msg["deals"], mqls),
        "mismatch_share": msg["mismatch_share"],
        "win_rate_gap": msg["win_rate_gap"],
        "average_deal": msg["average_deal"],
    }


def _check_share(name: str, value: float) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise ValueError(f"{name} is a share from 0 to 1 (got {value!r}).")


def _check_amount(name: str, value: float) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0 or math.isnan(value):
        raise ValueError(f"{name} is a number of zero or more (got {value!r}).")


def misalignment_cost(
    mqls_per_month: float,
    leakage_rate: float,
    late_share: float,
    value_per_qualified_lead: float,
    *,
    on_time_sql_rate: float,
    late_sql_rate: float,
    inquiries_per_mql: float,
    cost_per_lead: float,
    overlap_share: float,
    overlap_duplicate_rate: float,
    duplicate_rate: float,
    deals_per_mql: float,
    mismatch_share: float,
    win_rate_gap: float,
    average_deal: float,
) -> pd.DataFrame:
    """The yearly cost of misalignment by cause, for a team with these rates (12 months of each):

    * leads never contacted = MQLs × leakage rate × on-time SQL rate × value per qualified lead;
    * leads called late = MQLs × late share × (on-time SQL rate − late SQL rate) × value per qualified lead;
    * overlap that added nobody = MQLs × inquiries per MQL × cost per lead × overlap share × overlap
      duplicate rate (the duplicates among the overlapping campaigns' leads);
    * duplicates from main campaigns = MQLs × inquiries per MQL × cost per lead × (1 − overlap share)
      × duplicate rate (duplicates among the main campaigns' leads);
    * mixed messages = MQLs × deals per MQL × mismatch share × win-rate gap × average deal: a ceiling,
      what the gap is worth if the pitch is its whole cause (``evidence`` says so).

    Shares are fractions from 0 to 1; money in USD; the win-rate gap is in points of win rate
    (0.2 = 20 points) and may be negative if mismatched pitches won more. Returns a DataFrame indexed
    by cause with ``group`` (leads lost, spend wasted, deals lost), ``evidence`` ("counted", or "if the
    pitch is the cause") and ``yearly_cost``. The bill is the sum of the counted rows.
    """
    for name, value in (
        ("mqls_per_month", mqls_per_month),
        ("value_per_qualified_lead", value_per_qualified_lead),
        ("inquiries_per_mql", inquiries_per_mql),
        ("cost_per_lead", cost_per_lead),
        ("deals_per_mql", deals_per_mql),
        ("average_deal", average_deal),
    ):
        _check_amount(name, value)
    for name, value in (
        ("leakage_rate", leakage_rate),
        ("late_share", late_share),
        ("on_time_sql_rate", on_time_sql_rate),
        ("late_sql_rate", late_sql_rate),
        ("overlap_share", overlap_share),
        ("overlap_duplicate_rate", overlap_duplicate_rate),
        ("duplicate_rate", duplicate_rate),
        ("mismatch_share", mismatch_share),
    ):
        _check_share(name, value)
    if leakage_rate + late_share > 1:
        raise ValueError(f"leakage_rate + late_share cannot exceed 1 (got {leakage_rate + late_share:.2f}).")
    if not isinstance(win_rate_gap, (int, float)) or not -1 <= win_rate_gap <= 1:
        raise ValueError(f"win_rate_gap is a difference of win rates, from -1 to 1 (got {win_rate_gap!r}).")
    year = 12 * mqls_per_month
    spend = year * inquiries_per_mql * cost_per_lead
    costs = {
        "leads never contacted": year * leakage_rate * on_time_sql_rate * value_per_qualified_lead,
        "leads called late": year * late_share * (on_time_sql_rate - late_sql_rate) * value_per_qualified_lead,
        "overlap that added nobody": spend * overlap_share * overlap_duplicate_rate,
        "duplicates from main campaigns": spend * (1 - overlap_share) * duplicate_rate,
        "mixed messages": year * deals_per_mql * mismatch_share * win_rate_gap * average_deal,
    }
    out = pd.DataFrame(
        {
            "group": [CAUSE_GROUP[c] for c in CAUSES],
            "evidence": [EVIDENCE[c] for c in CAUSES],
            "yearly_cost": [costs[c] for c in CAUSES],
        },
        index=pd.Index(CAUSES, name="cause"),
    )
    return out


def cost_curve(inputs_by_label: dict[str, dict[str, float]], mqls_values) -> pd.DataFrame:
    """The calculator over a range of MQLs per month, for each set of inputs (e.g. before and after):
    one row per label, MQL volume and counted cause (:data:`COUNTED`; the mixed-messages ceiling is
    left out), for a chart whose slider picks the volume."""
    rows = []
    for label, inputs in inputs_by_label.items():
        rates = {k: v for k, v in inputs.items() if k != "mqls_per_month"}
        unit = misalignment_cost(1.0, **rates)["yearly_cost"]  # the cost is linear in MQLs per month
        for mqls in mqls_values:
            for cause, cost in unit[list(COUNTED)].items():
                rows.append(
                    {
                        "rates": label,
                        "mqls_per_month": int(mqls),
                        "cause": cause,
                        "group": CAUSE_GROUP[cause],
                        "yearly_cost": round(float(cost * mqls), 0),
                    }
                )
    return pd.DataFrame(rows)
