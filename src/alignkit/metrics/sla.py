"""The sales-and-marketing service-level agreement (SLA), computed backwards from a revenue goal.

HubSpot Academy's method (FACTS.md; Mark Roberge on the HubSpot blog): start from the revenue the
company needs, divide by the average deal to get deals, divide by the close rate to get
opportunities, and by the lead-to-opportunity rate to get leads. The share of revenue expected
from marketing scales what marketing owes; sales owes fast, thorough follow-up of every lead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd  # for the annotations; the functions import pandas where they use it


@dataclass(frozen=True)
class SLAPlan:
    """What a revenue goal asks of each team: deals, opportunities and leads, in total and a month."""

    revenue_goal: float
    marketing_share: float
    deals_needed: float
    opportunities_needed: float
    leads_needed: float
    months: int

    @property
    def leads_per_month(self) -> float:
        """The MQLs marketing owes each month."""
        return self.leads_needed / self.months


def sla_from_goal(
    revenue_goal: float,
    average_deal: float,
    lead_to_opportunity: float,
    opportunity_to_win: float,
    marketing_share: float = 1.0,
    months: int = 1,
) -> SLAPlan:
    """leads needed = revenue goal × marketing share ÷ average deal ÷ (lead→opportunity × opportunity→win).

    Counts are not rounded here, so a caller can show the exact arithmetic; round up for a target.
    """
    checks = {
        "revenue goal": revenue_goal >= 0,
        "average deal": average_deal > 0,
        "lead-to-opportunity rate": 0 < lead_to_opportunity <= 1,
        "opportunity-to-win rate": 0 < opportunity_to_win <= 1,
        "marketing share": 0 <= marketing_share <= 1,
        "months": months >= 1,
    }
    for name, ok in checks.items():
        if not ok:
            raise ValueError(
                f"{name} is out of range: rates are fractions above 0 and at most 1, the average "
                f"deal is above 0, months at least 1."
            )
    deals = revenue_goal * marketing_share / average_deal
    opportunities = deals / opportunity_to_win
    leads = opportunities / lead_to_opportunity
    return SLAPlan(revenue_goal, marketing_share, deals, opportunities, leads, months)


def round_up(x: float) -> int:
    """A target is a whole number of leads or deals, rounded up so the goal is still met."""
    return int(math.ceil(x - 1e-9))


def rates_from_data(leads, opportunities) -> dict[str, float]:
    """The three rates the SLA needs, measured on a cohort of leads (HubSpot Academy's method, FACTS.md).

    - ``average_deal``: mean ``amount_usd`` of the cohort's won deals;
    - ``lead_to_opportunity``: leads that reached opportunity ÷ leads that reached MQL (the
      "leads" marketing owes sales are MQLs);
    - ``opportunity_to_win``: won ÷ (won + lost) among the cohort's deals (open deals do not count yet).

    NaN where a denominator is zero (no MQLs, no closed deals, no won deals).
    """
    from .funnel import conversion_rate, win_rate

    for frame, cols, name in (
        (leads, ("lead_id", "mql_at", "opportunity_at"), "leads"),
        (opportunities, ("lead_id", "outcome", "amount_usd"), "opportunities"),
    ):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} need the column(s) {', '.join(missing)}; see data/README.md.")
    deals = opportunities[opportunities["lead_id"].isin(leads["lead_id"])]
    won = deals.loc[deals["outcome"] == "won", "amount_usd"]
    return {
        "average_deal": float(won.mean()) if len(won) else math.nan,
        "lead_to_opportunity": conversion_rate(
            int(leads["opportunity_at"].notna().sum()), int(leads["mql_at"].notna().sum())
        ),
        "opportunity_to_win": win_rate(deals),
    }


def compliance_by_month(
    leads,
    touches,
    mql_target: float,
    as_of,
    hours: float = 24,
    sales_bar: float = 0.9,
    marketing_from=None,
    sales_from=None,
    acceptance_bar: float | None = None,
    quality_from=None,
) -> pd.DataFrame:
    """Both sides of the SLA, month by month (months of the MQL date, up to ``as_of``).

    Sales side (Roberge's flag, FACTS.md): ``within_hours`` = share of the month's MQLs a seller
    first touched within ``hours`` of becoming an MQL; the month complies when it is at least
    ``sales_bar`` (the share the teams agreed; 0.9 is Brightline's, not a published benchmark).
    Marketing side: ``mqls`` delivered against ``mql_target`` (quantity), with ``accepted``, the
    share that sales accepted (quality). An MQL never touched counts as not within the hours.

    Marketing's quality side, when the teams agreed one: ``quality_met`` = ``accepted`` is at least
    ``acceptance_bar`` (<NA> throughout when ``acceptance_bar`` is None).

    A team is judged only from the month it agreed to its side: before ``marketing_from`` (a date
    or 'YYYY-MM'; None = every month) ``mql_target`` is empty and ``marketing_met`` is <NA> (no
    target existed, so there was nothing to meet or miss); before ``sales_from`` ``sales_met`` is
    <NA>; before ``quality_from`` ``quality_met`` is <NA>. The measurements (``mqls``,
    ``accepted``, ``within_hours``) are shown for every month.
    """
    import pandas as pd

    from .funnel import conversion_rate, response_hours

    if not mql_target > 0:
        raise ValueError(f"the monthly MQL target is a number above 0 (got {mql_target}).")
    if not 0 < sales_bar <= 1:
        raise ValueError(f"the sales bar is a share above 0 and at most 1 (got {sales_bar}).")

    def first_month(when, name):
        if when is None:
            return None
        try:
            return pd.Period(pd.Timestamp(when), "M")
        except (ValueError, TypeError):
            raise ValueError(
                f"{name} is the date the team agreed to its side ('YYYY-MM' or 'YYYY-MM-DD'), not {when!r}."
            ) from None

    if acceptance_bar is not None and not 0 < acceptance_bar <= 1:
        raise ValueError(f"the acceptance bar is a share above 0 and at most 1 (got {acceptance_bar}).")
    m_from, s_from = first_month(marketing_from, "marketing_from"), first_month(sales_from, "sales_from")
    q_from = first_month(quality_from, "quality_from")
    as_of = pd.Timestamp(as_of)
    mqls = leads[leads["mql_at"].notna() & (leads["mql_at"] < as_of)]
    columns = ["mqls", "mql_target", "marketing_met", "accepted", "quality_met", "within_hours", "sales_met"]
    if mqls.empty:
        return pd.DataFrame(columns=columns).rename_axis("month")
    hrs = response_hours(mqls, touches)
    fast = pd.Series(hrs.to_numpy() <= hours, index=mqls.index)
    month = mqls["mql_at"].dt.to_period("M")
    rows = {}
    for m, part in mqls.groupby(month, sort=True):
        n = len(part)
        within = conversion_rate(int(fast.loc[part.index].sum()), n)
        marketing_judged = m_from is None or m >= m_from
        sales_judged = s_from is None or m >= s_from
        quality_judged = acceptance_bar is not None and (q_from is None or m >= q_from)
        accepted = conversion_rate(int(part["sal_at"].notna().sum()), n)
        rows[str(m)] = {
            "mqls": n,
            "mql_target": float(mql_target) if marketing_judged else float("nan"),
            "marketing_met": bool(n >= mql_target) if marketing_judged else pd.NA,
            "accepted": accepted,
            "quality_met": bool(accepted >= acceptance_bar) if quality_judged and acceptance_bar is not None else pd.NA,
            "within_hours": within,
            "sales_met": bool(within >= sales_bar) if sales_judged else pd.NA,
        }
    out = pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis("month")
    return out.astype({"marketing_met": "boolean", "quality_met": "boolean", "sales_met": "boolean"})
