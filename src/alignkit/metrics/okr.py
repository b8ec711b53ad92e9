"""OKRs: scoring key results and objectives.

Objectives are qualitative (the "what"), key results quantitative (the measurable "how"); an
objective succeeds as its key results progress (Albert Chan on Meta's practice, interview with Laba).
Grading on 0.0-1.0 follows Google's re:Work guide and OKR playbook (FACTS.md): committed key results
are expected to reach 1.0, aspirational ones about 0.7; 0.0-0.3 is red, 0.4-0.6 yellow, 0.7-1.0 green.
An objective's score is the average of its key results (John Doerr, *Measure What Matters*).
"""

from __future__ import annotations

import math
from typing import Iterable

import pandas as pd

EXPECTED = {"committed": 1.0, "aspirational": 0.7}


def score_key_result(baseline: float, target: float, current: float) -> float:
    """Progress from baseline to target, clamped to 0.0-1.0.

    score = (current − baseline) ÷ (target − baseline). Works the same when lower is better
    (a target below the baseline). NaN when target equals baseline: there is no distance to cover.
    """
    if target == baseline:
        return math.nan
    return min(1.0, max(0.0, (current - baseline) / (target - baseline)))


def score_objective(key_result_scores: Iterable[float]) -> float:
    """Average of the key results' scores (NaN ones are skipped); NaN with none to average."""
    values = [s for s in key_result_scores if not (isinstance(s, float) and math.isnan(s))]
    return sum(values) / len(values) if values else math.nan


def grade(score: float) -> str:
    """'red' below 0.4, 'yellow' from 0.4 to below 0.7, 'green' from 0.7 (Google's OKR playbook)."""
    if isinstance(score, float) and math.isnan(score):
        return "not scored"
    if not 0 <= score <= 1:
        raise ValueError(f"a score is between 0.0 and 1.0 (got {score}).")
    return "red" if score < 0.4 else "yellow" if score < 0.7 else "green"


def okr_table(profile, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The shared OKRs of the programme's quarters, scored from the data itself (used by the generator)."""
    from ..casedata import schema
    from .funnel import conversion_rate, response_summary

    leads = schema.validate(tables["leads"].astype(str), "leads", "generated leads")
    touches = schema.validate(tables["touches"].astype(str), "touches", "generated touches")
    opps = tables["opportunities"]
    closed_at = pd.to_datetime(opps.closed_at.where(opps.closed_at != ""), format=schema.TIMESTAMP_FORMAT)
    people = tables["people"]
    head = {r: people.person_id[people.role == r].iloc[0] for r in ("head of sales", "head of marketing")}
    data_end = pd.Period(profile.first_month, "M") + profile.months
    last_q = (data_end - 1).asfreq("Q")
    quarters = pd.period_range(end=last_q, periods=4, freq="Q")

    def measures(q: pd.Period) -> dict[str, float]:
        in_q = leads[(leads.mql_at >= q.start_time) & (leads.mql_at <= q.end_time)]
        follow = response_summary(in_q, touches, as_of=data_end.start_time)
        closed = opps[(closed_at >= q.start_time) & (closed_at <= q.end_time)]
        return {
            "median_hours": round(follow["median_hours"], 1),
            "leakage": round(follow["leakage"], 3),
            "acceptance": round(conversion_rate(in_q.sal_at.notna().sum(), len(in_q)), 3),
            "win_rate": round(conversion_rate((closed.outcome == "won").sum(), len(closed)), 3),
        }

    objective = "Turn more of the right leads into customers, together"
    # Targets are set once against the quarter before the programme; the first quarter asks less.
    specs = [  # (metric key, key result text, function, unit, kind, targets by quarter, owner)
        ("median_hours", "Median time from MQL to a seller's first touch", "response_summary", "hours",
         "committed", lambda b, i: (8.0, 2.0, 2.0)[i], head["head of sales"]),
        ("leakage", "Share of MQLs never contacted", "response_summary", "share of MQLs", "committed",
         lambda b, i: (0.15, 0.05, 0.05)[i], head["head of sales"]),
        ("acceptance", "Share of MQLs that sales accepts", "stage_conversion", "share of MQLs",
         "aspirational", lambda b, i: (0.5, 0.65, 0.75)[i], head["head of marketing"]),
        ("win_rate", "Share of closed deals won", "win_rate", "share of closed deals", "aspirational",
         lambda b, i: round(min(0.9, b * (1.1, 1.25, 1.3)[i]), 3), head["head of sales"]),
    ]

    def show(value: float, unit: str) -> str:
        return f"{value:.0%}" if unit.startswith("share") else f"{value:g} {unit}"

    rows = []
    values = {q: measures(q) for q in quarters}
    baseline_q = quarters[0]
    for i, q in enumerate(quarters[1:]):
        for key, text, metric, unit, kind, target, owner in specs:
            baseline = values[baseline_q][key]
            goal = target(baseline, i)
            rows.append({
                "okr_id": "", "quarter": str(q), "team": "shared", "objective": objective,
                "key_result": f"{text}: from {show(baseline, unit)} ({baseline_q}) to {show(goal, unit)}",
                "metric": metric, "unit": unit, "kind": kind, "baseline": baseline,
                "target": goal, "current": values[q][key], "owner_id": owner,
            })
    out = pd.DataFrame(rows)
    out["okr_id"] = [f"KR{i + 1:02d}" for i in range(len(out))]
    return out
