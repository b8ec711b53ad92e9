"""Two reports of one quarter, and the view that reconciles them (lesson 1).

Marketing and sales report the same quarter with different clocks:

* **marketing's report** follows a *cohort*: the inquiries that arrived in the quarter, and how many
  of them became MQLs; spend is the campaigns that ran in the quarter's months;
* **sales' report** counts *activity in the period*: MQLs received, leads accepted, deals opened, won
  and lost, and new annual contract value, each by the date it happened, whenever the lead arrived.

Both are right about what they count. :func:`reconciled_view` puts them in one table: the quarter's
inquiries followed through every stage (split into what happened inside the quarter and later),
next to the activity in the quarter that came from earlier inquiries.

Every function takes an object with the tables of :class:`alignkit.casedata.dataset.CompanyData` (``leads``,
``campaigns``, ``touches``, ``opportunities``) and a quarter written like ``"2025Q3"``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .funnel import STAGE_NAMES, STAGES, conversion_rate, stage_column


def quarters(data) -> list[str]:
    """The quarters in which inquiries arrived, in order (``["2025Q1", …]``)."""
    when = data.leads["inquiry_at"].dropna().to_numpy().astype("datetime64[M]").astype("int64")
    return [f"{1970 + q // 4}Q{q % 4 + 1}" for q in np.unique(when // 3).tolist()]  # months since 1970 → quarters


def _period(data, quarter) -> pd.Period:
    """The quarter as a pandas Period, or a ValueError naming the quarters the data holds."""
    known = quarters(data)
    try:
        period = pd.Period(str(quarter), freq="Q")
    except (ValueError, TypeError):
        raise ValueError(
            f"a quarter is written like '2025Q3' (got {quarter!r}); the data holds {', '.join(known) or 'no quarter'}."
        ) from None
    if str(period) not in known:
        raise ValueError(f"no inquiry arrived in {period}; the data holds {', '.join(known) or 'no quarter'}.")
    return period


def _in(when: pd.Series, period: pd.Period) -> np.ndarray:
    """True where a timestamp falls inside the quarter (blank timestamps are False)."""
    values = when.to_numpy()
    start, end = period.start_time.to_datetime64(), (period + 1).start_time.to_datetime64()
    return ~pd.isna(values) & (values >= start) & (values < end)


def _table(rows: list[tuple[str, float, str]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["metric", "value", "unit"]).set_index("metric")
    out["value"] = out["value"].astype(float)
    return out


def _campaign_spend(campaigns: pd.DataFrame, period: pd.Period) -> pd.DataFrame:
    months = pd.to_datetime(campaigns["month"]).dt.to_period("Q")
    return campaigns[months == period]


def marketing_report(data, quarter) -> pd.DataFrame:
    """Marketing's report of a quarter, counted by inquiry date (a cohort).

    inquiries = leads whose ``inquiry_at`` is in the quarter; MQLs = those of them with an ``mql_at``;
    MQL rate = MQLs ÷ inquiries; spend = campaign spend of the quarter's months;
    cost per inquiry = spend ÷ inquiries; cost per MQL = spend ÷ MQLs (NaN when dividing by zero).
    Returns one row per metric with its ``value`` and ``unit`` (leads, share or USD).
    """
    period = _period(data, quarter)
    in_cohort = _in(data.leads["inquiry_at"], period)
    inquiries = int(in_cohort.sum())
    mqls = int((in_cohort & data.leads["mql_at"].notna().to_numpy()).sum())
    spend = float(_campaign_spend(data.campaigns, period)["spend_usd"].sum())
    return _table(
        [
            ("inquiries", inquiries, "leads"),
            ("MQLs", mqls, "leads"),
            ("MQL rate", conversion_rate(mqls, inquiries), "share"),
            ("campaign spend", spend, "USD"),
            ("cost per inquiry", conversion_rate(spend, inquiries), "USD"),
            ("cost per MQL", conversion_rate(spend, mqls), "USD"),
        ]
    )


def marketing_by_channel(data, quarter) -> pd.DataFrame:
    """Marketing's report by channel: inquiries, MQLs, spend and cost per MQL of the quarter's cohort."""
    period = _period(data, quarter)
    cohort = data.leads[_in(data.leads["inquiry_at"], period)]
    spend = _campaign_spend(data.campaigns, period).groupby("channel")["spend_usd"].sum()
    out = pd.DataFrame(
        {
            "inquiries": cohort.groupby("channel").size(),
            "MQLs": cohort.groupby("channel")["mql_at"].count(),
        }
    ).join(spend.rename("spend"), how="outer")
    out[["inquiries", "MQLs"]] = out[["inquiries", "MQLs"]].fillna(0).astype(int)
    out["spend"] = out["spend"].fillna(0.0)
    out["cost per MQL"] = [conversion_rate(s, m) for s, m in zip(out["spend"], out["MQLs"], strict=True)]
    out.index.name = "channel"
    return out.sort_values("MQLs", ascending=False)


def sales_report(data, quarter) -> pd.DataFrame:
    """Sales' report of a quarter, counted by the date each thing happened (activity in the period).

    MQLs received = leads with ``mql_at`` in the quarter; of those, *not worked* = never touched by a
    seller (no row in ``touches``) and *rejected* = touched but never accepted; leads accepted =
    ``sal_at`` in the quarter; opportunities opened = ``created_at`` in the quarter; deals won and
    lost = ``closed_at`` in the quarter; win rate = won ÷ (won + lost), as
    :func:`alignkit.metrics.funnel.win_rate`; new annual contract value = sum of ``amount_usd`` of the deals won;
    average deal = that sum ÷ deals won (the quarter's own average: the case's average over all its
    months is :mod:`alignkit.casedata.glance`'s ``average_deal``).
    """
    period = _period(data, quarter)
    leads, opps = data.leads, data.opportunities
    received = _in(leads["mql_at"], period)
    received_ids = leads["lead_id"].to_numpy()[received]
    closed = opps[_in(opps["closed_at"], period) & opps["outcome"].isin(["won", "lost"]).to_numpy()]
    won = closed[closed["outcome"] == "won"]
    n_received = int(received.sum())
    was_touched = pd.Index(received_ids).isin(data.touches["lead_id"])
    sal = leads["sal_at"].notna().to_numpy()[received]
    return _table(
        [
            ("MQLs received", n_received, "leads"),
            ("MQLs not worked (never contacted)", int((~was_touched & ~sal).sum()), "leads"),
            ("MQLs rejected (contacted, not accepted)", int((was_touched & ~sal).sum()), "leads"),
            ("leads accepted", int(_in(leads["sal_at"], period).sum()), "leads"),
            ("opportunities opened", int(_in(opps["created_at"], period).sum()), "deals"),
            ("deals won", len(won), "deals"),
            ("deals lost", len(closed) - len(won), "deals"),
            ("win rate", conversion_rate(len(won), len(closed)), "share"),
            ("new annual contract value", float(won["amount_usd"].sum()), "USD"),
            ("average deal", float(won["amount_usd"].mean()) if len(won) else math.nan, "USD"),
        ]
    )


def reconciled_view(data, quarter) -> pd.DataFrame:
    """One view of the quarter's customers: the cohort followed to revenue, and the activity it misses.

    Rows are the funnel stages plus ``revenue`` (annual contract value of the deals won). Columns:

    * ``cohort, to date``: the quarter's inquiries that reached the stage by the end of the data
      (marketing's clock, followed through);
    * ``cohort, in the quarter`` and ``cohort, later``: the same split by when they reached it;
    * ``earlier inquiries, in the quarter``: stages reached in the quarter by leads that arrived before it;
    * ``in the quarter, all``: everything that reached the stage in the quarter (sales' clock).

    ``in the quarter, all`` = ``cohort, in the quarter`` + ``earlier inquiries, in the quarter``, and
    ``cohort, to date`` = ``cohort, in the quarter`` + ``cohort, later``: the two reports meet in this table.
    """
    period = _period(data, quarter)
    leads = data.leads
    start, end = period.start_time.to_datetime64(), (period + 1).start_time.to_datetime64()
    inquiry = leads["inquiry_at"].to_numpy()
    in_cohort = (inquiry >= start) & (inquiry < end)
    earlier = inquiry < start
    won_amount = data.opportunities[data.opportunities["outcome"] == "won"].groupby("lead_id")["amount_usd"].sum()
    won = ~pd.isna(leads["won_at"].to_numpy())
    amount = np.zeros(len(leads))
    amount[won] = won_amount.reindex(leads["lead_id"].to_numpy()[won]).fillna(0.0).to_numpy(dtype=float)
    rows = {}
    for stage in [*STAGES, "revenue"]:
        when = leads[stage_column("won" if stage == "revenue" else stage)].to_numpy()
        reached = ~pd.isna(when)
        in_q = reached & (when >= start) & (when < end)  # NaT compares False, reached keeps it explicit
        masks = {
            "cohort, to date": in_cohort & reached,
            "cohort, in the quarter": in_cohort & in_q,
            "cohort, later": in_cohort & reached & ~in_q,
            "earlier inquiries, in the quarter": earlier & in_q,
            "in the quarter, all": in_q,
        }
        if stage == "revenue":
            rows["revenue (USD a year)"] = {k: float(amount[m].sum()) for k, m in masks.items()}
        else:
            rows[STAGE_NAMES[stage]] = {k: float(m.sum()) for k, m in masks.items()}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "stage"
    return out


def clocks_by_quarter(data) -> pd.DataFrame:
    """For every quarter and stage, the count by inquiry date (cohort, to date) and by activity date
    (in the quarter, all): the long table behind lesson 1's chart."""
    frames = []
    for q in quarters(data):
        view = reconciled_view(data, q).drop(index="revenue (USD a year)")
        frames.append(
            pd.DataFrame(
                {
                    "quarter": q,
                    "stage": view.index,
                    "stage_order": range(len(view)),
                    "by inquiry date (cohort)": view["cohort, to date"].to_numpy(),
                    "by activity date (in the quarter)": view["in the quarter, all"].to_numpy(),
                }
            )
        )
    wide = pd.concat(frames, ignore_index=True)
    return wide.melt(id_vars=["quarter", "stage", "stage_order"], var_name="clock", value_name="leads")


def cohort_acceptance(data, quarter) -> float:
    """Share of the quarter's MQLs (by inquiry date) that sales accepted: cohort SALs ÷ cohort MQLs."""
    view = reconciled_view(data, quarter)
    return conversion_rate(view.loc["SAL", "cohort, to date"], view.loc["MQL", "cohort, to date"])


def format_report(report: pd.DataFrame) -> pd.DataFrame:
    """A report from :func:`marketing_report` or :func:`sales_report` with its values written out."""

    def fmt(value: float, unit: str) -> str:
        if isinstance(value, float) and math.isnan(value):
            return "–"
        if unit == "share":
            return f"{value:.1%}"
        if unit == "USD":
            return f"${value:,.0f}" if abs(value) >= 100 else f"${value:,.2f}"
        return f"{value:,.0f}"

    return pd.DataFrame(
        {"value": [fmt(v, u) for v, u in zip(report["value"], report["unit"], strict=True)]}, index=report.index
    )
