"""The funnel both teams share: stages, conversion, velocity, response time and leakage.

The stages follow the demand waterfall (SiriusDecisions, now Forrester; see FACTS.md):
inquiry -> MQL -> SAL -> SQL -> opportunity -> won. A lead table has one timestamp column per
stage, ``<stage>_at``, blank (NaT) when the lead has not reached it.

Conversion here is by *cohort*: take the leads that arrived in a period and count how many of
them reached each later stage by the end of the data. That way every rate compares the same people.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

STAGES = ("inquiry", "mql", "sal", "sql", "opportunity", "won")
STAGE_NAMES = {
    "inquiry": "Inquiry",
    "mql": "MQL",
    "sal": "SAL",
    "sql": "SQL",
    "opportunity": "Opportunity",
    "won": "Won",
}
# Who is accountable for moving a lead into each stage (COURSE.md module 3; FACTS.md demand waterfall).
STAGE_OWNER = {
    "inquiry": "marketing",
    "mql": "marketing",
    "sal": "both",
    "sql": "sales",
    "opportunity": "sales",
    "won": "sales",
}
PHASES = ("before", "first quarter", "after")


def stage_column(stage: str) -> str:
    """The leads' column holding when a lead reached ``stage`` (``mql`` -> ``mql_at``)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage '{stage}'; the stages are {', '.join(STAGES)}.")
    return f"{stage}_at"


def conversion_rate(reached: float, started: float) -> float:
    """reached / started; NaN when nobody started (a rate of nothing is not zero)."""
    if started == 0 or started is None or (isinstance(started, float) and math.isnan(started)):
        return math.nan
    return float(reached) / float(started)


def _groups(leads: pd.DataFrame, by: str | list[str] | None):
    if by is None:
        return [("all", leads)]
    return list(leads.groupby(by, observed=True, sort=True))


def funnel_counts(leads: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """How many leads reached each stage, overall or per group (one row per group, one column per stage)."""
    rows = {}
    for key, part in _groups(leads, by):
        rows[key] = {s: int(part[stage_column(s)].notna().sum()) for s in STAGES}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(STAGES))
    out.index.name = by if isinstance(by, str) else ("group" if by is None else None)
    return out.astype(int) if len(out) else out


def stage_conversion(leads: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """Stage-to-stage conversion: for each pair of consecutive stages, the share of leads at the
    earlier stage that reached the later one; plus ``inquiry→won``, the whole funnel.

    rate(a→b) = leads that reached b ÷ leads that reached a (NaN when none reached a).
    """
    counts = funnel_counts(leads, by)
    out = pd.DataFrame(index=counts.index)
    for a, b in zip(STAGES[:-1], STAGES[1:], strict=True):
        out[f"{a}→{b}"] = [conversion_rate(r, s) for r, s in zip(counts[b], counts[a], strict=True)]
    out["inquiry→won"] = [conversion_rate(r, s) for r, s in zip(counts["won"], counts["inquiry"], strict=True)]
    return out


def stage_velocity(leads: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """Median days from each stage to the next, among leads that reached both; NaN where none did."""
    rows = {}
    for key, part in _groups(leads, by):
        row = {}
        for a, b in zip(STAGES[:-1], STAGES[1:], strict=True):
            delta = part[stage_column(b)] - part[stage_column(a)]
            days = delta.dropna().dt.total_seconds() / 86400
            row[f"{a}→{b}"] = float(days.median()) if len(days) else math.nan
        rows[key] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = by if isinstance(by, str) else None
    return out


def leads_lost(leads: pd.DataFrame) -> pd.Series:
    """How many leads each step lost: leads at the earlier stage minus leads at the later one."""
    counts = funnel_counts(leads).iloc[0]
    return pd.Series(
        {f"{a}→{b}": int(counts[a] - counts[b]) for a, b in zip(STAGES[:-1], STAGES[1:], strict=True)},
        name="leads_lost",
    )


def biggest_drop(leads: pd.DataFrame) -> str:
    """The step that lost the most leads in number (where most of the funnel's volume disappears)."""
    lost = leads_lost(leads)
    if lost.max() <= 0:
        raise ValueError("no step lost any lead, so none stands out.")
    return str(lost.idxmax())


def response_hours(leads: pd.DataFrame, touches: pd.DataFrame) -> pd.Series:
    """Hours from MQL to a seller's first touch, one value per MQL (NaN if never contacted)."""
    mqls = leads.loc[leads["mql_at"].notna(), ["lead_id", "mql_at"]]
    first = touches.groupby("lead_id")["first_touch_at"].min()
    touched = pd.Series(first.reindex(mqls["lead_id"]).to_numpy(), index=mqls.index)
    hours = (pd.to_datetime(touched) - mqls["mql_at"]).dt.total_seconds() / 3600
    return pd.Series(hours.to_numpy(), index=mqls["lead_id"].to_numpy(), name="response_hours")


def response_summary(
    leads: pd.DataFrame, touches: pd.DataFrame, as_of: pd.Timestamp | str, grace_days: int = 14
) -> dict[str, float]:
    """Follow-up of MQLs: how fast and how often sellers got to them.

    Only MQLs older than ``grace_days`` at ``as_of`` count, so fresh leads are not called leaked.
    ``leakage`` is the share of those MQLs never contacted. ``within_1h`` and ``within_24h`` are
    shares of all counted MQLs (the HBR study in FACTS.md uses the same hour and day marks).
    """
    as_of = pd.Timestamp(as_of)
    ripe = leads[leads["mql_at"].notna() & (leads["mql_at"] <= as_of - pd.Timedelta(days=grace_days))]
    hours = response_hours(ripe, touches)
    n = len(hours)
    contacted = hours.dropna()
    return {
        "mqls": n,
        "contacted": int(len(contacted)),
        "median_hours": float(contacted.median()) if len(contacted) else math.nan,
        "within_1h": conversion_rate(int((contacted <= 1).sum()), n),
        "within_24h": conversion_rate(int((contacted <= 24).sum()), n),
        "leakage": conversion_rate(n - len(contacted), n),
    }


def programme_phase(when: pd.Series, programme_start: str | None, dip_months: int = 3) -> pd.Series:
    """Label each timestamp 'before', 'first quarter' (of the programme) or 'after'."""
    if programme_start is None:
        return pd.Series(pd.Categorical(["before"] * len(when), categories=PHASES), index=when.index)
    start = pd.Timestamp(programme_start)
    dip_end = start + pd.DateOffset(months=dip_months)
    labels = np.where(when < start, "before", np.where(when < dip_end, "first quarter", "after"))
    return pd.Series(pd.Categorical(labels, categories=PHASES, ordered=True), index=when.index)


def win_rate(opportunities: pd.DataFrame) -> float:
    """Share of closed deals that were won: won ÷ (won + lost). Open deals do not count yet."""
    closed = opportunities[opportunities["outcome"].isin(["won", "lost"])]
    return conversion_rate(int((closed["outcome"] == "won").sum()), len(closed))


def acquisition_framework(leads: pd.DataFrame) -> pd.DataFrame:
    """The customer acquisition framework as one table: each funnel step with the team that owns
    it, its conversion and its median days, before, during and after the programme.

    Albert Chan recommends tying each metric to the stage the customer is in (interview with Laba);
    this is that table for one company.
    """
    if "phase" not in leads.columns:
        raise ValueError("the leads need a 'phase' column; load them with alignkit.casedata.dataset.load_company.")
    rates = stage_conversion(leads, "phase").drop(columns="inquiry→won").T
    days = stage_velocity(leads, "phase").T
    out = pd.DataFrame({"owner": [STAGE_OWNER[s.split("→")[1]] for s in rates.index]}, index=rates.index)
    for phase in rates.columns:
        out[f"conversion {phase}"] = rates[phase]
    for phase in days.columns:
        out[f"median days {phase}"] = days[phase]
    out.index.name = "step"
    return out
