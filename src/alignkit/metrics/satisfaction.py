"""Customer satisfaction tied back to where the customer came from (C4): CSAT and NPS by channel.

* CSAT: by convention the share of answers of 4 or 5 on a 1–5 satisfaction scale (FACTS.md).
* NPS (Reichheld, "The One Number You Need to Grow", HBR 2003; FACTS.md): on a 0–10 likelihood to
  recommend, promoters answer 9–10, passives 7–8, detractors 0–6; NPS = % promoters − % detractors,
  from −100 to +100. Net Promoter is a trademark of Bain, Reichheld and Satmetrix.

Blank answers (a customer who did not answer the survey) are left out of both; NaN means "no
answer to count", never a silent zero.
"""

from __future__ import annotations

import math

import pandas as pd

from .economics import customers_with_source, monthly_churn_rate


def _answers(scores, low: int, high: int, name: str) -> pd.Series:
    s = pd.Series(scores, dtype="Float64").dropna()
    bad = s[(s < low) | (s > high) | (s != s.round())]
    if len(bad):
        raise ValueError(f"{name} answers are whole numbers from {low} to {high} (got {bad.iloc[0]!r}).")
    return s


def csat(scores) -> float:
    """CSAT = answers of 4 or 5 ÷ all answers, on a 1–5 scale (blanks left out); NaN with no answer."""
    s = _answers(scores, 1, 5, "CSAT")
    return float((s >= 4).sum() / len(s)) if len(s) else math.nan


def nps(scores) -> float:
    """NPS = % promoters (9–10) − % detractors (0–6) of the answers on a 0–10 scale, from −100 to +100
    (Reichheld 2003); blanks left out; NaN with no answer."""
    s = _answers(scores, 0, 10, "NPS")
    if not len(s):
        return math.nan
    return float(100 * ((s >= 9).sum() - (s <= 6).sum()) / len(s))


def satisfaction_by_channel(data) -> pd.DataFrame:
    """One row per source channel of all customers so far: customers, monthly churn (customers lost per
    customer-month, :func:`alignkit.metrics.economics.monthly_churn_rate`), CSAT answers and CSAT, NPS answers,
    the shares of promoters and detractors, and NPS. The channel is that of the lead behind the deal."""
    won = customers_with_source(data.customers, data.opportunities, data.leads)
    rows = []
    for channel, part in won.groupby("channel"):
        answers = part["nps"].dropna()
        rows.append(
            {
                "channel": channel,
                "customers": len(part),
                "monthly_churn": monthly_churn_rate(part["start_date"], part["churned_on"], data.data_end),
                "csat_answers": int(part["csat"].notna().sum()),
                "csat": csat(part["csat"]),
                "nps_answers": len(answers),
                "promoters": float((answers >= 9).mean()) if len(answers) else math.nan,
                "detractors": float((answers <= 6).mean()) if len(answers) else math.nan,
                "nps": nps(part["nps"]),
            }
        )
    return pd.DataFrame(rows).set_index("channel")
