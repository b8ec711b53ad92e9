"""The sales-and-marketing service-level agreement (SLA), computed backwards from a revenue goal.

HubSpot Academy's method (FACTS.md; Mark Roberge on the HubSpot blog): start from the revenue the
company needs, divide by the average deal to get deals, divide by the close rate to get
opportunities, and by the lead-to-opportunity rate to get leads. The share of revenue expected
from marketing scales what marketing owes; sales owes fast, thorough follow-up of every lead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class SLAPlan:
    revenue_goal: float
    marketing_share: float
    deals_needed: float
    opportunities_needed: float
    leads_needed: float
    months: int

    @property
    def leads_per_month(self) -> float:
        return self.leads_needed / self.months


def sla_from_goal(revenue_goal: float, average_deal: float, lead_to_opportunity: float,
                  opportunity_to_win: float, marketing_share: float = 1.0, months: int = 1) -> SLAPlan:
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
            raise ValueError(f"{name} is out of range: rates are fractions above 0 and at most 1, the average "
                             f"deal is above 0, months at least 1.")
    deals = revenue_goal * marketing_share / average_deal
    opportunities = deals / opportunity_to_win
    leads = opportunities / lead_to_opportunity
    return SLAPlan(revenue_goal, marketing_share, deals, opportunities, leads, months)


def round_up(x: float) -> int:
    """A target is a whole number of leads or deals, rounded up so the goal is still met."""
    return int(math.ceil(x - 1e-9))
