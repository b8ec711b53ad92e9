"""Unit economics both teams own: CAC, LTV, LTV:CAC and payback.

Formulas from David Skok, "SaaS Metrics 2.0" (forEntrepreneurs; FACTS.md). Each function takes plain
numbers and returns a float; NaN means "cannot be computed from these inputs" (for example no new
customers, so no cost per customer), never a silent zero.
"""

from __future__ import annotations

import math

import pandas as pd

from .funnel import conversion_rate

LTV_TO_CAC_RULE = 3.0  # rule of thumb: LTV at least 3 x CAC (Skok)
PAYBACK_RULE_MONTHS = 12.0  # rule of thumb: CAC paid back within 12 months (Skok)


def cac(spend: float, new_customers: float) -> float:
    """Customer acquisition cost = sales and marketing spend ÷ new customers in the same period.

    Blended CAC uses all spend and all new customers; paid CAC uses paid-channel spend and the
    customers those channels brought (Skok). NaN when there are no new customers.
    """
    if spend < 0:
        raise ValueError(f"spend must not be negative (got {spend}).")
    return conversion_rate(spend, new_customers)


def ltv(arpa_monthly: float, gross_margin: float, monthly_churn: float) -> float:
    """Customer lifetime value = monthly revenue per account × gross margin ÷ monthly churn rate (Skok).

    NaN when churn is zero: with no customer ever leaving the data cannot estimate a lifetime.
    """
    if not 0 <= gross_margin <= 1:
        raise ValueError(f"gross margin is a fraction from 0 to 1 (got {gross_margin}).")
    if monthly_churn < 0:
        raise ValueError(f"churn must not be negative (got {monthly_churn}).")
    return conversion_rate(arpa_monthly * gross_margin, monthly_churn)


def ltv_to_cac(ltv_value: float, cac_value: float) -> float:
    """LTV ÷ CAC; a healthy business is at 3 or more (Skok's rule of thumb). NaN when CAC is 0 or unknown."""
    if isinstance(cac_value, float) and math.isnan(cac_value):
        return math.nan
    return conversion_rate(ltv_value, cac_value)


def payback_months(cac_value: float, arpa_monthly: float, gross_margin: float) -> float:
    """Months to earn back CAC = CAC ÷ (monthly revenue per account × gross margin) (Skok)."""
    return conversion_rate(cac_value, arpa_monthly * gross_margin)


def monthly_churn_rate(start_dates: pd.Series, churn_dates: pd.Series, as_of: str | pd.Timestamp) -> float:
    """Customers lost per customer-month: churned customers ÷ months all customers were active.

    A customer who started on 1 March and is still active on 1 June counts three customer-months.
    NaN when no customer has been active for any time.
    """
    as_of = pd.Timestamp(as_of)
    end = churn_dates.fillna(as_of).clip(upper=as_of)
    months = ((end - start_dates).dt.days.clip(lower=0) / 30.44).sum()
    churned = int((churn_dates.notna() & (churn_dates <= as_of)).sum())
    return conversion_rate(churned, months)
