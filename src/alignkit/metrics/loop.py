"""Closed-loop feedback: what sellers learn about leads, carried back to marketing, and what
marketing's campaigns do to deals, carried forward to sales.

HubSpot's SLA starts from a closed-loop analysis of past lead segments (Mark Roberge, FACTS.md),
and Albert Chan describes HubSpot's integrated platform (CRM, marketing automation and sales
enablement in one place) as what lets both teams see leads, campaigns and interactions (C14,
interview with Laba). :func:`lead_view` is that one place for the sample data: one row per lead,
joined to its campaign, first touch, seller feedback, deal and customer record.
"""

from __future__ import annotations

import math

import pandas as pd

from .funnel import conversion_rate

GOOD_FIT = "good fit"
TABLES = ("leads", "campaigns", "touches", "feedback", "opportunities", "customers")


def _need(frame: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs the column(s) {', '.join(missing)}; see data/README.md.")


def lead_view(
    leads: pd.DataFrame,
    campaigns: pd.DataFrame,
    touches: pd.DataFrame,
    feedback: pd.DataFrame,
    opportunities: pd.DataFrame,
    customers: pd.DataFrame,
) -> pd.DataFrame:
    """One row per lead with everything both teams know about it: the campaign (``theme``,
    ``campaign``), the first touch, the seller's ``rating`` and ``reason``, the deal (``pitch_theme``,
    ``outcome``, ``amount_usd``, ``loss_reason``, ``created_at``, ``closed_at``), ``pitch_matches``
    (the pitch led with the campaign's theme; NA without a deal) and the customer (``mrr_usd``, ``csat``).

    Each lead has at most one touch, one rating, one deal and one customer record in the sample data;
    should a table hold more, the first (earliest) is kept so the view stays one row per lead.
    """
    _need(leads, ("lead_id", "campaign_id"), "lead_view (leads)")
    camp = campaigns[["campaign_id", "name", "theme"]].rename(columns={"name": "campaign"})
    touch = touches.sort_values("first_touch_at").drop_duplicates("lead_id")[["lead_id", "first_touch_at"]]
    rate = feedback.sort_values("given_at").drop_duplicates("lead_id")[["lead_id", "rating", "reason"]]
    deal = opportunities.sort_values("created_at").drop_duplicates("lead_id")[
        ["lead_id", "opportunity_id", "pitch_theme", "outcome", "amount_usd", "created_at", "closed_at", "loss_reason"]
    ]
    cust = customers.drop_duplicates("opportunity_id")[["opportunity_id", "customer_id", "mrr_usd", "csat"]]
    view = (
        leads.merge(camp, on="campaign_id", how="left")
        .merge(touch, on="lead_id", how="left")
        .merge(rate, on="lead_id", how="left")
        .merge(deal, on="lead_id", how="left")
        .merge(cust, on="opportunity_id", how="left")
    )
    has_deal = view["opportunity_id"].notna()
    view["pitch_matches"] = pd.Series(pd.NA, index=view.index, dtype="boolean")
    view.loc[has_deal, "pitch_matches"] = (view.loc[has_deal, "pitch_theme"] == view.loc[has_deal, "theme"]).to_numpy()
    return view


def tables_per_lead(view: pd.DataFrame) -> pd.Series:
    """How many of the six tables hold a record of each lead (leads and campaigns always do): the
    joins a team needs to see a lead whole. Counts leads per number of tables."""
    present = (
        2
        + view["first_touch_at"].notna().astype(int)
        + view["rating"].notna().astype(int)
        + view["opportunity_id"].notna().astype(int)
        + view["customer_id"].notna().astype(int)
    )
    return present.value_counts().sort_index().rename("leads").rename_axis("tables with a record")


QUESTIONS = (
    ("Which campaigns bring leads that sellers rate highly?", ("leads", "campaigns", "feedback")),
    ("Do deals whose pitch matches the campaign's theme win more often?", ("leads", "campaigns", "opportunities")),
    ("Which channel's customers are most satisfied?", ("leads", "opportunities", "customers")),
    ("Are leads called within an hour rated better?", ("leads", "touches", "feedback")),
    (
        "Which campaign theme brings the most revenue per month from customers?",
        ("leads", "campaigns", "opportunities", "customers"),
    ),
    ("How many MQLs did marketing deliver this month?", ("leads",)),
    ("Which loss reasons follow low-rated leads?", ("leads", "feedback", "opportunities")),
)


# Where each table lives when the teams run separate tools (C14: HubSpot puts all three on one platform)
SYSTEM = {
    "leads": "marketing automation",
    "campaigns": "marketing automation",
    "touches": "CRM",
    "feedback": "CRM",
    "opportunities": "CRM",
    "customers": "billing",
}


def questions_and_joins(questions=QUESTIONS) -> pd.DataFrame:
    """Questions both teams ask, the tables each needs, the joins that takes (tables − 1) and the
    separate systems those tables live in without an integrated platform (see ``SYSTEM``)."""
    rows = []
    for question, tables in questions:
        unknown = [t for t in tables if t not in TABLES]
        if unknown or not tables:
            raise ValueError(f"tables are some of {', '.join(TABLES)} (got {tables}).")
        rows.append(
            {
                "question": question,
                "tables": ", ".join(tables),
                "joins": len(tables) - 1,
                "systems without one platform": len({SYSTEM[t] for t in tables}),
            }
        )
    return pd.DataFrame(rows)


def rating_coverage(view: pd.DataFrame) -> dict:
    """How much of the sellers' work the ratings cover: ``worked`` (leads a seller touched),
    ``rated`` (leads with a rating), ``rated_worked`` (touched and rated) and ``share`` =
    rated_worked ÷ worked (NaN with no worked lead). A feedback summary describes the rated leads
    only; when sellers choose which leads to rate, it can lean towards the ones they felt strongly about.
    """
    _need(view, ("first_touch_at", "rating"), "rating_coverage")
    worked = view["first_touch_at"].notna()
    rated = view["rating"].notna()
    n_worked, both = int(worked.sum()), int((worked & rated).sum())
    return {
        "worked": n_worked,
        "rated": int(rated.sum()),
        "rated_worked": both,
        "share": conversion_rate(both, n_worked),
    }


def feedback_summary(view: pd.DataFrame, by: str = "channel") -> pd.DataFrame:
    """Sellers' ratings of leads, per value of ``by`` (channel, campaign, theme, segment...):
    ``rated`` (leads rated), ``mean_rating`` (1-5), ``good_share`` (share rated 4 or 5),
    ``top_complaint`` (the most common reason other than 'good fit') and ``complaint_share``
    (its share of the group's ratings). NaN where a group has no rating."""
    _need(view, (by, "rating", "reason"), "feedback_summary")
    columns = ["rated", "mean_rating", "good_share", "top_complaint", "complaint_share"]
    rated = view[view["rating"].notna()]
    if rated.empty:
        return pd.DataFrame(columns=[by, *columns]).set_index(by)
    rating = rated["rating"].astype(float)
    groups = rated[by]
    out = pd.DataFrame(
        {
            "rated": rating.groupby(groups, observed=True).size(),
            "mean_rating": rating.groupby(groups, observed=True).mean(),
            "good_share": (rating >= 4).groupby(groups, observed=True).mean(),
        }
    )
    # the most common complaint per group; ties go to the reason first in alphabetical order
    complaints = rated[rated["reason"] != GOOD_FIT].groupby([by, "reason"], observed=True).size()
    top = (
        complaints.rename("n")
        .reset_index()
        .sort_values([by, "n", "reason"], ascending=[True, False, True])
        .drop_duplicates(by)
        .set_index(by)
    )
    out["top_complaint"] = top["reason"].reindex(out.index).astype(object)
    out["top_complaint"] = out["top_complaint"].where(out["top_complaint"].notna(), None)
    out["complaint_share"] = (top["n"].reindex(out.index) / out["rated"]).astype(float)
    out.index.name = by
    return out[columns].sort_index()


def reason_shares(view: pd.DataFrame, by: str = "channel") -> pd.DataFrame:
    """Share of each seller reason within each value of ``by`` (rows sum to 1)."""
    _need(view, (by, "reason"), "reason_shares")
    rated = view[view["reason"].notna()]
    if rated.empty:
        return pd.DataFrame()
    return pd.crosstab(rated[by], rated["reason"], normalize="index")


def loss_reasons_by_match(view: pd.DataFrame) -> pd.DataFrame:
    """Among lost deals, the share of each loss reason when the pitch matched the campaign's theme
    and when it did not (rows: matched True/False; each row sums to 1)."""
    _need(view, ("outcome", "loss_reason", "pitch_matches"), "loss_reasons_by_match")
    lost = view[(view["outcome"] == "lost") & view["loss_reason"].notna()]
    if lost.empty:
        return pd.DataFrame()
    return pd.crosstab(
        lost["pitch_matches"].astype(bool).rename("pitch matches campaign"), lost["loss_reason"], normalize="index"
    )


def content_performance(view: pd.DataFrame, by: str = "theme") -> pd.DataFrame:
    """Which content moves deals forward, per value of ``by`` (``theme``, ``pitch_theme`` or
    ``pitch_matches``): ``deals`` closed, ``won``, ``win_rate`` = won ÷ closed and
    ``median_days_to_win`` (deal opened to won). Open deals do not count. NaN where none closed or won."""
    _need(view, (by, "outcome", "created_at", "closed_at"), "content_performance")
    closed = view[view["outcome"].isin(["won", "lost"])]
    rows = []
    for key, part in closed.groupby(by, sort=True, observed=True):
        won = part[part["outcome"] == "won"]
        days = (won["closed_at"] - won["created_at"]).dt.total_seconds() / 86400
        rows.append(
            {
                by: key,
                "deals": len(part),
                "won": len(won),
                "win_rate": conversion_rate(len(won), len(part)),
                "median_days_to_win": float(days.median()) if len(days) else math.nan,
            }
        )
    return pd.DataFrame(rows, columns=[by, "deals", "won", "win_rate", "median_days_to_win"]).set_index(by)


# -- the launch-reaction exercise, both ways (Chan at P&G, C11) ------------------------------------


def campaign_reaction(view: pd.DataFrame, channel: str) -> dict:
    """What sellers' feedback says about leads from ``channel``: ``mean_rating`` against the
    ``overall_rating`` of all rated leads, ``direction`` ('above' or 'below' the overall mean) and
    the ``top_complaint``. The evidence for "if we launched this, how would customers react?"."""
    summary = feedback_summary(view, "channel")
    if channel not in summary.index:
        raise ValueError(f"no rated leads from channel {channel!r}; the channels are {', '.join(summary.index)}.")
    overall = float(view["rating"].dropna().astype(float).mean())
    row = summary.loc[channel]
    return {
        "channel": channel,
        "rated": int(row["rated"]),
        "mean_rating": float(row["mean_rating"]),
        "overall_rating": overall,
        "direction": "above" if row["mean_rating"] >= overall else "below",
        "top_complaint": row["top_complaint"],
        "complaint_share": float(row["complaint_share"]),
    }


def pitch_reaction(view: pd.DataFrame, pitch_theme: str, campaign_theme: str) -> dict:
    """What the data says about leading with ``pitch_theme`` to leads from a ``campaign_theme``
    campaign: its ``win_rate`` against the ``matched_win_rate`` (pitch = campaign theme, for that
    campaign theme), ``direction`` ('higher' or 'lower') and the ``top_loss_reason`` of such deals."""
    closed = view[view["outcome"].isin(["won", "lost"]) & (view["theme"] == campaign_theme)]
    if closed.empty:
        raise ValueError(f"no closed deals from campaigns with theme {campaign_theme!r}.")
    these = closed[closed["pitch_theme"] == pitch_theme]
    matched = closed[closed["pitch_theme"] == campaign_theme]
    if these.empty:
        raise ValueError(f"no closed deals pitched {pitch_theme!r} to {campaign_theme!r} leads.")
    rate = conversion_rate(int((these["outcome"] == "won").sum()), len(these))
    base = conversion_rate(int((matched["outcome"] == "won").sum()), len(matched))
    losses = these.loc[these["outcome"] == "lost", "loss_reason"].value_counts()
    return {
        "pitch_theme": pitch_theme,
        "campaign_theme": campaign_theme,
        "deals": len(these),
        "win_rate": rate,
        "matched_win_rate": base,
        "direction": "higher" if rate > base else "lower",
        "top_loss_reason": str(losses.index[0]) if len(losses) else None,
    }


# -- the meeting cadence (C10) ------------------------------------------------------------------

_CADENCE = (
    # meeting, kind, how often, times a month, minutes, who, input, output
    (
        "Joint pipeline review",
        "formal",
        "weekly",
        4.33,
        45,
        "SDRs, AEs, demand generation",
        "MQLs, acceptance and follow-up of the week",
        "leads re-routed, blockers owned",
    ),
    (
        "SLA review",
        "formal",
        "monthly",
        1,
        60,
        "heads of sales and marketing, marketing ops",
        "SLA compliance by month (both sides)",
        "SLA kept or revised; one fix per side",
    ),
    (
        "OKR planning and scoring",
        "formal",
        "quarterly",
        1 / 3,
        120,
        "both teams",
        "OKR scores, shared-wins board",
        "next quarter's OKRs, wins recognised",
    ),
    (
        "Launch-reaction review",
        "formal",
        "per campaign",
        1,
        30,
        "product marketing, two sellers",
        "seller feedback by channel; win rate by pitch",
        "campaign brief changed or confirmed",
    ),
    (
        "Ride-along",
        "informal",
        "monthly",
        1,
        60,
        "one marketer with one seller",
        "live calls",
        "customer words for the next campaign",
    ),
    (
        "Shared channel",
        "informal",
        "daily",
        0,
        0,
        "everyone",
        "lead questions, customer quotes",
        "fast answers; lost leads caught",
    ),
    (
        "Lunch-and-learn",
        "informal",
        "monthly",
        1,
        45,
        "anyone",
        "a win or a loss told by whoever had it",
        "shared stories; both teams recognised",
    ),
)
CADENCE_COLUMNS = ("meeting", "kind", "how often", "times a month", "minutes", "who", "input", "output")


def meeting_cadence(formal: bool = True, informal: bool = True) -> pd.DataFrame:
    """The cadence of formal and informal meetings (Chan: combine formal and informal collaboration,
    C10), with ``hours a month`` = times a month × minutes ÷ 60 for each."""
    if not (formal or informal):
        raise ValueError("choose formal meetings, informal ones or both.")
    kinds = {k for k, keep in (("formal", formal), ("informal", informal)) if keep}
    out = pd.DataFrame([r for r in _CADENCE if r[1] in kinds], columns=list(CADENCE_COLUMNS))
    out["hours a month"] = (out["times a month"] * out["minutes"] / 60).round(1)
    return out.drop(columns="times a month")
