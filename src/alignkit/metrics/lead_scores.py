"""Lead scores and the MQL threshold: what a score says about a lead, and what a bar costs.

A lead score (here 0–100) is marketing's estimate of how well a lead fits and how engaged it is.
The MQL threshold is the score at which marketing hands a lead to sales. Raising it trades volume
(fewer MQLs, fewer leads for sellers to work) against quality (a larger share accepted). These
functions measure that trade from a period when the bar was low, so that leads of every score
above it reached sales and we can see how sales took them.

Stages follow the demand waterfall (SiriusDecisions, now Forrester; FACTS.md). Seller capacity,
100 leads per SDR per month, is **our assumption** for Brightline. It borrows the size of one
example Mark Roberge gives from HubSpot (FACTS.md): there, one mid-market rep's month of about 100
leads gave about 50 connects, 30 discovery calls, 15 demos and 5 customers. That is one company's
example, not a benchmark for qualification reps; a team should put its own number in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from numbers import Real

import pandas as pd

from ..markdown_escape import md_text
from .funnel import conversion_rate

# Our assumption for Brightline, borrowed from one example of Roberge's (one mid-market HubSpot rep,
# about 100 leads a month; FACTS.md). Not a benchmark: replace it with your own team's number.
LEADS_PER_REP_PER_MONTH = 100
SCORE_BAND_EDGES = (0, 35, 45, 55, 65, 75, 85, 101)


def _check_leads(leads: pd.DataFrame, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in leads.columns]
    if missing:
        raise ValueError(
            f"the lead table needs the column(s) {', '.join(missing)}; "
            "load it with alignkit.casedata.dataset.load_company."
        )


def _contacted(leads: pd.DataFrame, touches: pd.DataFrame | None) -> pd.Series:
    """True for each MQL a seller contacted; with no touch table, every MQL counts as contacted."""
    if touches is None:
        return leads["mql_at"].notna()
    return leads["mql_at"].notna() & leads["lead_id"].isin(touches["lead_id"])


def band_labels(edges: Sequence[int] = SCORE_BAND_EDGES) -> list[str]:
    """Readable labels of score bands: edges (0, 35, 45) give '0–34', '35–44'."""
    return [f"{a}–{min(b - 1, 100)}" for a, b in zip(edges[:-1], edges[1:], strict=True)]


def score_bands(
    leads: pd.DataFrame,
    touches: pd.DataFrame | None = None,
    opportunities: pd.DataFrame | None = None,
    edges: Sequence[int] = SCORE_BAND_EDGES,
) -> pd.DataFrame:
    """How leads of each score band went through the funnel.

    Per band: ``leads``; ``mqls`` (handed to sales); ``contacted`` (MQLs a seller reached);
    ``acceptance`` = SALs ÷ contacted MQLs (how sales judged the leads it saw);
    ``sql_per_sal`` = SQLs ÷ SALs; ``closed_deals`` and ``win_rate`` = won ÷ closed deals (both
    need ``opportunities``);
    ``won_per_contacted`` = customers ÷ contacted MQLs. Every rate is NaN where its denominator
    is zero: a band that never reached sales has no acceptance rate, not a rate of 0.
    """
    _check_leads(leads, ("lead_id", "score", "mql_at", "sal_at", "sql_at", "won_at"))
    if list(edges) != sorted(set(edges)) or len(edges) < 2:
        raise ValueError(f"edges must be at least two increasing scores (got {list(edges)}).")
    band = pd.cut(leads["score"], list(edges), right=False, labels=band_labels(edges))
    contacted = _contacted(leads, touches)
    frame = pd.DataFrame(
        {
            "band": band,
            "mql": leads["mql_at"].notna(),
            "contacted": contacted,
            "sal": contacted & leads["sal_at"].notna(),
            "sql": contacted & leads["sql_at"].notna(),
            "won": contacted & leads["won_at"].notna(),
        }
    )
    counts = frame.groupby("band", observed=False)[["mql", "contacted", "sal", "sql", "won"]].sum()
    out = pd.DataFrame(
        {"leads": frame.groupby("band", observed=False).size(), "mqls": counts["mql"], "contacted": counts["contacted"]}
    )
    out["acceptance"] = [conversion_rate(s, c) for s, c in zip(counts["sal"], counts["contacted"], strict=True)]
    out["sql_per_sal"] = [conversion_rate(q, s) for q, s in zip(counts["sql"], counts["sal"], strict=True)]
    if opportunities is not None:
        closed = opportunities[opportunities["outcome"].isin(["won", "lost"])]
        deal_band = closed["lead_id"].map(pd.Series(band.to_numpy(), index=leads["lead_id"]))
        won = (closed["outcome"] == "won").groupby(deal_band, observed=False).agg(["sum", "size"])
        won = won.reindex(out.index, fill_value=0)
        out["closed_deals"] = won["size"].astype(int)
        out["win_rate"] = [conversion_rate(w, n) for w, n in zip(won["sum"], won["size"], strict=True)]
    out["won_per_contacted"] = [conversion_rate(w, c) for w, c in zip(counts["won"], counts["contacted"], strict=True)]
    out.index.name = "score band"
    return out


def threshold_tradeoff(
    leads: pd.DataFrame,
    thresholds: Iterable[int],
    sdr_count: int,
    leads_per_sdr_per_month: float = LEADS_PER_REP_PER_MONTH,
    touches: pd.DataFrame | None = None,
    min_coverage: float = 0.95,
) -> pd.DataFrame:
    """What each MQL threshold would mean, estimated from a reference period of leads.

    For each threshold *t* (MQL = score ≥ t):

    * ``mqls_per_month`` = leads scored ≥ t ÷ months in the reference period;
    * ``acceptance`` = SALs ÷ contacted MQLs among leads scored ≥ t (how sales took such leads
      when a seller reached them); NaN when fewer than ``min_coverage`` of the leads scored ≥ t
      were handed to sales in the reference period, because how sales would take the others is
      unknown;
    * ``capacity`` = ``sdr_count`` × ``leads_per_sdr_per_month`` (by default our assumption of 100,
      the size of one example of Roberge's; see the module docstring) and ``capacity_used`` = MQLs ÷
      capacity;
    * ``worked_per_month`` = the smaller of MQLs and capacity: sellers cannot work more;
    * ``sals_per_month`` = worked × acceptance; ``sqls_per_month`` = SALs × (SQLs ÷ SALs among
      leads scored ≥ t).

    Pass ``touches`` to count only MQLs a seller contacted; without it every MQL counts as
    contacted. Empty leads give NaN rows.
    """
    _check_leads(leads, ("lead_id", "score", "inquiry_at", "mql_at", "sal_at", "sql_at"))
    thresholds = list(thresholds)
    if not thresholds or any(not isinstance(t, Real) or isinstance(t, bool) or not 0 <= t <= 100 for t in thresholds):
        raise ValueError(f"thresholds must be scores from 0 to 100 (got {thresholds}).")
    if not isinstance(sdr_count, Real) or isinstance(sdr_count, bool) or sdr_count < 0:
        raise ValueError(f"sdr_count must be a number of people, 0 or more (got {sdr_count!r}).")
    if not leads_per_sdr_per_month > 0:
        raise ValueError(f"leads_per_sdr_per_month must be more than 0 (got {leads_per_sdr_per_month}).")
    months = leads["inquiry_at"].dt.to_period("M").nunique()
    contacted = _contacted(leads, touches)
    sal = contacted & leads["sal_at"].notna()
    sql = sal & leads["sql_at"].notna()
    capacity = float(sdr_count * leads_per_sdr_per_month)
    rows = []
    for t in thresholds:
        above = leads["score"] >= t
        n_above = int(above.sum())
        mqls = conversion_rate(n_above, months)
        coverage = conversion_rate(int((above & leads["mql_at"].notna()).sum()), n_above)
        known = not math.isnan(coverage) and coverage >= min_coverage
        acceptance = conversion_rate(int((above & sal).sum()), int((above & contacted).sum())) if known else math.nan
        sql_rate = conversion_rate(int((above & sql).sum()), int((above & sal).sum())) if known else math.nan
        worked = min(mqls, capacity) if not math.isnan(mqls) else math.nan
        sals = worked * acceptance
        rows.append(
            {
                "threshold": int(t),
                "mqls_per_month": mqls,
                "acceptance": acceptance,
                "capacity": capacity,
                "capacity_used": conversion_rate(mqls, capacity),
                "worked_per_month": worked,
                "sals_per_month": sals,
                "sqls_per_month": sals * sql_rate,
            }
        )
    return pd.DataFrame(rows).set_index("threshold")


def threshold_verdict(row: Mapping[str, float], min_acceptance: float) -> list[str]:
    """What a threshold misses, in words (empty when it keeps capacity within 100 % and
    acceptance at or above ``min_acceptance``)."""
    problems = []
    if math.isnan(row["acceptance"]):
        problems.append("sales never saw enough leads scored this low, so its acceptance is unknown")
    elif row["acceptance"] < min_acceptance:
        problems.append(
            f"sales would accept only {row['acceptance']:.0%} of the leads it works, "
            f"below the {min_acceptance:.0%} the teams aim for"
        )
    if not math.isnan(row["capacity_used"]) and row["capacity_used"] > 1:
        problems.append(
            f"sellers would need {row['capacity_used']:.0%} of their capacity, so "
            f"about {row['mqls_per_month'] - row['capacity']:,.0f} MQLs a month would go unworked"
        )
    return problems


def definitions_agreement(
    threshold: int,
    sql_criteria: Sequence[str],
    consequences: Mapping[str, float],
    *,
    company: str = "Brightline",
    response_hours: float = 24,
    min_acceptance: float = 0.5,
) -> str:
    """A filled definitions agreement in Markdown: the MQL bar, the SAL and SQL definitions, the two
    teams' promises and what the chosen bar means in numbers (``consequences`` is one row of
    :func:`threshold_tradeoff`). The company and the criteria, typed by a person, are escaped with
    :func:`alignkit.markdown_escape.md_text`.

    Acceptance and speed are two promises, kept apart: a lead is *accepted* (an SAL) when a seller
    agrees to work it, whenever the first call came, and *rejected* with a reason otherwise; the
    first contact within ``response_hours`` is sales' follow-up promise, measured on its own. A lead
    called at hour 25 can still be accepted: the late call is a miss against the promise, not
    against the lead.
    """
    if (
        not isinstance(threshold, Real)
        or isinstance(threshold, bool)
        or threshold != int(threshold)
        or not 0 <= threshold <= 100
    ):
        raise ValueError(f"threshold must be a whole score from 0 to 100 (got {threshold!r}).")
    criteria = [str(c).strip() for c in (sql_criteria or []) if str(c).strip()]
    if not criteria:
        raise ValueError("sql_criteria must list at least one thing a seller checks before calling a lead an SQL.")
    needed = ("mqls_per_month", "acceptance", "sals_per_month", "sqls_per_month", "capacity_used")
    missing = [k for k in needed if k not in consequences]
    if missing:
        raise ValueError(f"consequences needs {', '.join(missing)}: pass a row of threshold_tradeoff().")
    threshold = int(threshold)
    c = consequences
    fmt = lambda v, spec: "unknown" if isinstance(v, float) and math.isnan(v) else format(v, spec)  # noqa: E731
    problems = threshold_verdict(c, min_acceptance)
    status = (
        f"**Check:** this bar keeps sellers within capacity and acceptance at or above {min_acceptance:.0%}."
        if not problems
        else "**Check:** " + "; ".join(problems) + "."
    )
    lines = [
        f"### Definitions agreement: {md_text(company)} marketing and sales",
        "",
        "| stage | definition | owner |",
        "|---|---|---|",
        "| Inquiry | someone asked to hear from us (form, sign-up, webinar) | marketing |",
        f"| MQL | an inquiry with a lead score of **{threshold}** or more, not a duplicate of a lead we "
        "already have | marketing |",
        "| SAL | an MQL a seller has agreed to work (accepted); one the seller turns down is **rejected**, "
        "with a reason marketing sees | both |",
        "| SQL | an SAL that meets every criterion below | sales |",
        "",
        "**Two promises, kept apart:**",
        "",
        "- marketing: every MQL clears the bar and is not a contact we already have;",
        f"- sales: a first call or e-mail within **{response_hours:g} hours** of the MQL. A lead called later "
        "can still be accepted; the late call counts against this promise, not against the lead.",
        "",
        "**A lead is an SQL when:**",
        "",
        *[f"- {md_text(x)}" for x in criteria],
        "",
        "**What this bar means (estimated from the months before the programme):**",
        "",
        f"- MQLs a month: {fmt(c['mqls_per_month'], ',.0f')}, "
        f"{fmt(c['capacity_used'], '.0%')} of the sellers' capacity",
        f"- sales expects to accept {fmt(c['acceptance'], '.0%')} of the MQLs it works",
        f"- expected SALs a month: {fmt(c['sals_per_month'], ',.0f')}; SQLs a month: "
        f"{fmt(c['sqls_per_month'], ',.0f')}",
        "",
        status,
        "",
        "Review the bar every quarter with the numbers: if acceptance falls or sellers run out of "
        "time, change the bar together, never alone.",
    ]
    return "\n".join(lines)
