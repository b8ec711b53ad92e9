"""Lesson 4, One language: MQL and SQL: the threshold slider and chart, the definitions agreement,
the two exercises and the quiz."""

from __future__ import annotations

import html
import math

import altair as alt
import pandas as pd

from ..casedata.caching import cached
from ..casedata.dataset import load_company
from ..metrics import lead_scores
from ..ui import charts, present
from ..ui.exercises import Exercise, Feedback, Idea, check_number
from ..ui.exercises import multiple_choice as _mc

MIN_ACCEPTANCE = 0.5  # the acceptance level the lesson asks a threshold to reach
CHART_THRESHOLDS = range(35, 91)  # below the old bar of 35 sales never saw a lead, so nothing is known


def reference_leads(slug: str = "brightline") -> pd.DataFrame:
    """The leads of the months before the programme: the bar was low, so sales saw leads of every
    score above it."""
    leads = load_company(slug).leads
    return leads[leads["phase"] == "before"]


def sdr_count(slug: str = "brightline") -> int:
    """Sales development reps in the people table: the sellers who work new MQLs."""
    return int((load_company(slug).people["role"] == "sales development rep").sum())


def tradeoff(thresholds, slug: str = "brightline") -> pd.DataFrame:
    """threshold_tradeoff on the months before the programme, with the company's SDRs and our
    assumption of 100 leads per SDR a month (the size of one example of Roberge's; see
    :mod:`alignkit.metrics.lead_scores`)."""
    return lead_scores.threshold_tradeoff(
        reference_leads(slug),
        thresholds,
        sdr_count(slug),
        lead_scores.LEADS_PER_REP_PER_MONTH,
        touches=load_company(slug).touches,
    )


@cached(maxsize=2)
def tradeoff_table(slug: str = "brightline") -> pd.DataFrame:
    """:func:`tradeoff` for every bar of :data:`CHART_THRESHOLDS` (35 to 90), computed once per company."""
    return tradeoff(CHART_THRESHOLDS, slug)


def tradeoff_html(threshold: int, min_acceptance: float = MIN_ACCEPTANCE) -> str:
    """What one MQL threshold means, as the slider shows it (computed afresh for that threshold)."""
    row = tradeoff([threshold]).iloc[0]
    problems = lead_scores.threshold_verdict(row, min_acceptance)
    verdict = (
        f"<p>✓ Sellers stay within capacity and acceptance reaches {min_acceptance:.0%}.</p>"
        if not problems
        else "<ul>" + "".join(f"<li>✗ {html.escape(p)}</li>" for p in problems) + "</ul>"
    )
    acc = "unknown" if math.isnan(row["acceptance"]) else f"{row['acceptance']:.0%}"
    sals = "unknown" if math.isnan(row["sals_per_month"]) else f"{row['sals_per_month']:,.0f}"
    sqls = "unknown" if math.isnan(row["sqls_per_month"]) else f"{row['sqls_per_month']:,.0f}"
    return (
        f"<table><tbody><tr><td>MQLs a month</td><td><strong>{row['mqls_per_month']:,.0f}</strong></td></tr>"
        f"<tr><td>Seller capacity used</td><td><strong>{row['capacity_used']:.0%}</strong> of "
        f"{row['capacity']:,.0f} leads a month</td></tr>"
        f"<tr><td>Sales acceptance (when contacted)</td><td><strong>{acc}</strong></td></tr>"
        f"<tr><td>SALs a month</td><td>{sals}</td></tr><tr><td>SQLs a month</td><td>{sqls}</td></tr>"
        f"</tbody></table>{verdict}"
    )


def threshold_slider(value: int = 35):
    """JupyterLab: move the MQL threshold and see volume, acceptance and capacity move together."""
    import ipywidgets as w

    slider = w.IntSlider(
        value=value,
        min=min(CHART_THRESHOLDS),
        max=max(CHART_THRESHOLDS),
        step=1,
        description="MQL threshold:",
        style={"description_width": "initial"},
        continuous_update=False,
    )
    out = w.HTML(tradeoff_html(value))
    slider.observe(lambda change: setattr(out, "value", tradeoff_html(change["new"])), names="value")
    return w.VBox([slider, out])


def threshold_chart(start: int = 35) -> charts.ChartView:
    """Three small views (MQLs a month, acceptance, capacity used) over the threshold, with one
    slider that marks the same threshold on all three."""
    table = tradeoff_table().reset_index()
    data = pd.DataFrame(
        {
            "threshold": table["threshold"],
            "MQLs a month": table["mqls_per_month"].round(1),
            "Sales acceptance": table["acceptance"].round(4),
            "Seller capacity used": table["capacity_used"].round(4),
        }
    )
    pick = alt.param(
        name="mql_threshold",
        value=start,
        bind=alt.binding_range(min=min(CHART_THRESHOLDS), max=max(CHART_THRESHOLDS), step=1, name="MQL threshold: "),
    )
    base = alt.Chart(data).properties(width=260, height=110)  # with its axes, as wide as a phone
    views = []
    for i, (field, fmt, limit, colour) in enumerate(
        [
            ("MQLs a month", ",.0f", None, "#1f5fa8"),
            ("Sales acceptance", ".0%", MIN_ACCEPTANCE, "#2e7d32"),
            ("Seller capacity used", ".0%", 1.0, "#9a6324"),
        ]
    ):
        y = alt.Y(f"{field}:Q", title=field, axis=alt.Axis(format=fmt))
        line = base.mark_line(color=colour).encode(
            x=alt.X(
                "threshold:Q",
                title="MQL threshold (lead score)" if i == 2 else None,
                scale=alt.Scale(domain=[min(CHART_THRESHOLDS), max(CHART_THRESHOLDS)]),
            ),
            y=y,
            tooltip=["threshold:Q", alt.Tooltip(f"{field}:Q", format=fmt)],
        )
        dot = (
            base.mark_point(filled=True, size=90, color=colour)
            .encode(x="threshold:Q", y=y)
            .transform_filter("datum.threshold == mql_threshold")
        )
        label = (
            base.mark_text(align="left", dx=8, dy=-10, fontWeight="bold")
            .encode(x="threshold:Q", y=y, text=alt.Text(f"{field}:Q", format=fmt))
            .transform_filter("datum.threshold == mql_threshold")
        )
        layers = [line, dot, label]
        if limit is not None:
            layers.append(
                alt.Chart(pd.DataFrame({"limit": [limit]}))
                .mark_rule(strokeDash=[4, 4], color="grey")
                .encode(y="limit:Q")
            )
        layer = alt.layer(*layers)
        if i == 0:
            layer = layer.add_params(pick)
        views.append(layer)
    chart = alt.vconcat(*views, title="Raising the MQL bar: fewer MQLs, higher acceptance, less seller time")
    return charts.show(
        chart,
        "Three line charts over the MQL threshold from 35 to 90, estimated from "
        "Brightline's months before the programme: MQLs a month fall, sales "
        "acceptance rises, and the share of seller capacity used falls; the "
        f"slider marks one threshold on all three, with dashed lines at {MIN_ACCEPTANCE:.0%} "
        "acceptance and at full capacity.",
    )


def agreement(threshold: int, sql_criteria, response_hours: float = 24) -> str:
    """The definitions agreement filled in with Brightline's numbers for a chosen threshold."""
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be a lead score from 0 to 100 (got {threshold!r}).")
    row = tradeoff([int(threshold)]).iloc[0].to_dict()
    return lead_scores.definitions_agreement(
        int(threshold), sql_criteria, row, response_hours=response_hours, min_acceptance=MIN_ACCEPTANCE
    )


# --- exercises -------------------------------------------------------------------------------


def acceptance_at_or_above(score: int = 55, slug: str = "brightline") -> float:
    """Before the programme, acceptance of contacted MQLs scored ``score`` or more (extension 4.A asks for 55)."""
    return float(tradeoff([score], slug)["acceptance"].iloc[0])


def check_acceptance(rate) -> Feedback:
    """Analyst extension 4.A: before the programme, the share of contacted MQLs scored 55 or more that
    sales accepted."""
    return check_number(
        rate,
        acceptance_at_or_above(55),
        what="acceptance of contacted MQLs scored 55 or more",
        as_share=True,
        tolerance=0.01,
        hint="Take the leads before the programme with score >= 55 whose lead_id is in "
        "touches; divide those with a sal_at by all of them.",
    )


def check_threshold(threshold, min_acceptance: float = MIN_ACCEPTANCE) -> Feedback:
    """Analyst extension 4.B: a threshold that keeps seller capacity within 100 % and acceptance at or above
    ``min_acceptance``; says what is missing, and what a higher bar costs in SQLs."""
    if threshold is None or (isinstance(threshold, str) and not threshold.strip()):
        return Feedback("todo", "No threshold yet.", ["Put a lead score from 0 to 100 in place of None."])
    if isinstance(threshold, str):
        try:
            threshold = float(threshold.strip())
        except ValueError:
            return Feedback("wrong", f"'{threshold}' is not a lead score.", ["Write a whole number from 0 to 100."])
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or math.isnan(threshold):
        return Feedback(
            "wrong",
            f"The threshold should be a number, not {type(threshold).__name__}.",
            ["Write a whole number from 0 to 100."],
        )
    if not 0 <= threshold <= 100 or threshold != int(threshold):
        return Feedback("wrong", f"{threshold} is not a lead score.", ["Scores are whole numbers from 0 to 100."])
    t = int(threshold)
    row = tradeoff([t]).iloc[0]
    problems = lead_scores.threshold_verdict(row, min_acceptance)
    table = tradeoff_table()
    passing = table[(table["capacity_used"] <= 1) & (table["acceptance"] >= min_acceptance)]
    if problems:
        lowest = int(passing.index.min()) if len(passing) else None
        return Feedback(
            "wrong",
            f"A threshold of {t} does not work yet.",
            [p[0].upper() + p[1:] + "." for p in problems]
            + (
                ["Try the slider: move the bar up until both lines clear their dashed limits."]
                if lowest is not None
                else []
            ),
        )
    points = [
        f"{row['mqls_per_month']:,.0f} MQLs a month use {row['capacity_used']:.0%} of seller capacity.",
        f"Sales would accept {row['acceptance']:.0%} of them.",
    ]
    best_sqls = float(passing["sqls_per_month"].max())
    if row["sqls_per_month"] < 0.75 * best_sqls:
        points.append(
            f"But only {row['sqls_per_month']:,.0f} SQLs a month, against {best_sqls:,.0f} at a "
            "lower bar that also passes: a bar this high starves the pipeline."
        )
        return Feedback("ok", f"A threshold of {t} meets both limits, but look at the SQLs.", points)
    return Feedback("ok", f"A threshold of {t} works.", points)


def quiz() -> list[dict]:
    """Situations a seller or a marketer meets; the wrong answers are beliefs people really hold.
    Question 4 brings back lesson 1 (sellers' complaints about the MQLs they did not accept)."""
    d = load_company()
    after = d.profile.after.mql_threshold
    low = 40
    t = tradeoff([low, after])
    return [
        _mc(
            f'A marketer proposes lowering the MQL bar from {after} to {low} "to give sales more leads". What does '
            "Brightline's data from the months when the bar was low say would happen?",
            [
                (
                    f"About {t.loc[low, 'mqls_per_month']:,.0f} MQLs a month instead of "
                    f"{t.loc[after, 'mqls_per_month']:,.0f}, {t.loc[low, 'capacity_used']:.0%} of the sellers' "
                    f"capacity, and sales accepting {t.loc[low, 'acceptance']:.0%} instead of "
                    f"{t.loc[after, 'acceptance']:.0%}",
                    True,
                    "Right: more MQLs than sellers can work, and a smaller share of them worth working.",
                ),
                (
                    "More leads is always better: sales can simply pick the best ones",
                    False,
                    "Picking takes sellers' time too; the leads they never reach are the leakage of lesson 3.",
                ),
                (
                    "Nothing changes: sales accepts whatever it likes anyway",
                    False,
                    "The bar decides what lands on sellers' desks, and acceptance falls with the score.",
                ),
            ],
        ),
        _mc(
            "A seller first calls an MQL 25 hours after it arrived. The prospect fits well and agrees to a demo. "
            "Under a definitions agreement with a 24-hour first-contact promise, what is the lead?",
            [
                (
                    "Accepted (an SAL); the late call is a miss against sales' speed promise, reported on its own",
                    True,
                    "Right: acceptance and speed are two promises; mixing them would hide both.",
                ),
                (
                    "Rejected, because it was not called within 24 hours",
                    False,
                    "That would count a good lead as bad, and tell marketing its leads are "
                    "poor when the call was late.",
                ),
                (
                    "Nothing until someone calls it again within 24 hours",
                    False,
                    "The lead was worked and accepted; the SLA report records the late call.",
                ),
            ],
        ),
        _mc(
            f'Your manager says: "The rule is 100 leads per rep a month, so our {sdr_count()} SDRs can take '
            f'{100 * sdr_count():,} MQLs." What do you say?',
            [
                (
                    "100 is one example from HubSpot (one mid-market rep, in Mark Roberge's account), not a rule: "
                    "count what our SDRs actually work in a good month",
                    True,
                    "Right: this lesson borrows 100 as its own labelled assumption; your team's number is better.",
                ),
                (
                    "It is the industry benchmark, so plan on it",
                    False,
                    "There is no benchmark for this; Roberge gives it as one example from one company.",
                ),
                (
                    "Capacity does not matter: leads that are not called this month are called next month",
                    False,
                    "A lead waiting a month rarely qualifies (lesson 2).",
                ),
            ],
        ),
        _mc(
            'In lesson 1, "duplicate" was the sellers\' most common complaint about the MQLs they did not accept. '
            "Where does it belong in the definitions agreement?",
            [
                (
                    "In the MQL definition: marketing removes contacts it already has before the hand-over",
                    True,
                    "Right: a duplicate never needs a seller's call; it is marketing's side of the agreement.",
                ),
                (
                    "In the SQL criteria: sellers check it on the first call",
                    False,
                    "By then a seller has spent a call, and the prospect has heard from two people.",
                ),
                (
                    "Nowhere: duplicates are a fact of life in a CRM",
                    False,
                    'Brightline\'s agreement says "not a duplicate of a lead we already have", and duplicates fell.',
                ),
            ],
        ),
    ]


# --- tables as people read them (the lesson's visible cells) -------------------------------------


def score_table(leads: pd.DataFrame) -> present.Table:
    """Lead scores by channel: how many leads, the average and the middle half of the scores."""
    d = leads.groupby("channel")["score"].describe()[["count", "mean", "25%", "50%", "75%"]]
    one = lambda v: present.number(v, 1)  # noqa: E731
    return present.table(
        d,
        index="Channel",
        formats={"count": "number", "mean": one, "25%": "number", "50%": "number", "75%": "number"},
        labels={
            "count": "Leads",
            "mean": "Average score",
            "25%": "A quarter score below",
            "50%": "Median score",
            "75%": "Three quarters score below",
        },
    )


def bands_table(bands: pd.DataFrame) -> present.Table:
    """:func:`alignkit.metrics.lead_scores.score_bands` with plain headings and percentages."""
    return present.table(
        bands,
        index="Score band",
        columns=["leads", "mqls", "contacted", "acceptance", "closed_deals", "win_rate"],
        formats={"acceptance": "percent", "win_rate": "percent"},
        labels={
            "leads": "Leads",
            "mqls": "MQLs",
            "contacted": "Contacted",
            "acceptance": "Accepted when contacted",
            "closed_deals": "Closed deals",
            "win_rate": "Win rate",
        },
    )


def stage_definitions(before_bar: int, after_bar: int) -> present.Table:
    """What it took to reach each stage before and after Brightline's programme."""
    frame = pd.DataFrame(
        {
            "stage": ["Inquiry", "MQL", "SAL", "SQL", "Opportunity", "Won"],
            "before": [
                "form, sign-up or webinar",
                f"lead score of {before_bar} or more, duplicates included",
                "whenever a seller got to it; no agreed time",
                "each seller's own judgement",
                "a deal opened in the CRM",
                "contract signed",
            ],
            "after": [
                "form, sign-up or webinar",
                f"lead score of {after_bar} or more, duplicates removed",
                "a seller agreed to work it (called whenever); turned down = rejected, with a reason",
                "the written SQL criteria (Step 6)",
                "a deal opened in the CRM",
                "contract signed",
            ],
        }
    )
    return present.table(
        frame, labels={"stage": "Stage", "before": "Before the programme", "after": "After the programme"}
    )


def tradeoff_view(table: pd.DataFrame, thresholds) -> present.Table:
    """Rows of :func:`tradeoff_table` for some bars, as people read them."""
    frame = table.loc[
        list(thresholds), ["mqls_per_month", "acceptance", "sals_per_month", "sqls_per_month", "capacity_used"]
    ]
    return present.table(
        frame,
        index="MQL bar",
        formats={
            "mqls_per_month": "number",
            "acceptance": "percent",
            "sals_per_month": "number",
            "sqls_per_month": "number",
            "capacity_used": "percent",
        },
        labels={
            "mqls_per_month": "MQLs a month",
            "acceptance": "Accepted when contacted",
            "sals_per_month": "SALs a month",
            "sqls_per_month": "SQLs a month",
            "capacity_used": "Seller capacity used",
        },
    )


def acceptance_after(slug: str = "brightline") -> float:
    """What sales really accepted after the programme: SALs ÷ contacted MQLs of the leads that
    arrived after it (:func:`alignkit.metrics.lead_scores.score_bands`, all bands together)."""
    d = load_company(slug)
    actual = lead_scores.score_bands(d.leads[d.leads["phase"] == "after"], d.touches)
    return float((actual["acceptance"] * actual["contacted"]).sum() / actual["contacted"].sum())


def poor_rating_reasons(data, phase: str = "before") -> pd.DataFrame:
    """Sellers' reasons for poor ratings (1 or 2) of the leads of one phase: count and share."""
    fb = data.feedback.merge(data.leads[["lead_id", "phase"]], on="lead_id")
    poor = fb[(fb["phase"] == phase) & (fb["rating"] <= 2)]
    reasons = poor["reason"].value_counts().rename("poor ratings").to_frame()
    reasons["share"] = reasons["poor ratings"] / reasons["poor ratings"].sum()
    reasons.index.name = "reason"
    return reasons


def reasons_table(data, phase: str = "before") -> present.Table:
    """:func:`poor_rating_reasons` as a table."""
    return present.table(
        poor_rating_reasons(data, phase),
        index="Seller's reason",
        formats={"share": "percent"},
        labels={"poor ratings": "Poor ratings", "share": "Share"},
    )


BAR_OPTIONS = (35, 45, 55, 65)  # the bars exercise 4.1 offers


def exercises(slug: str = "brightline") -> list[Exercise]:
    """Lesson 4's decision exercises; every expected answer is computed from the data."""
    table = tradeoff(list(BAR_OPTIONS), slug)
    passing = [t for t in BAR_OPTIONS if not lead_scores.threshold_verdict(table.loc[t], MIN_ACCEPTANCE)]
    bar = min(passing)
    why = []
    for t in BAR_OPTIONS:
        row = table.loc[t]
        problems = lead_scores.threshold_verdict(row, MIN_ACCEPTANCE)
        if problems:
            joined = "; ".join(problems)
            text = joined[0].upper() + joined[1:] + "."
        elif t == bar:
            text = (
                "The lowest of these bars that keeps sellers within capacity "
                f"({present.percent(row['capacity_used'])}) and acceptance at {present.percent(row['acceptance'])}, "
                f"with about {present.number(row['sqls_per_month'])} SQLs a month."
            )
        else:
            text = (
                f"It passes, but only about {present.number(row['sqls_per_month'])} SQLs a month against "
                f"{present.number(table.loc[bar, 'sqls_per_month'])} at {bar}: a bar this high starves the pipeline."
            )
        why.append((str(t), text))
    accepted = "Accepted; the late call is a miss against sales' speed promise"
    return [
        Exercise(
            "4.1",
            "choice",
            f"You and your marketing counterpart must sign one MQL bar. It has to keep the "
            f"{sdr_count(slug)} SDRs within capacity (100 leads each a month, our assumption) and sales acceptance at "
            f"{present.percent(MIN_ACCEPTANCE)} or more, with as many SQLs as possible. Which bar do you sign?",
            what="the bar to sign",
            options=tuple(str(t) for t in BAR_OPTIONS),
            expected=str(bar),
            why=tuple(why),
            minutes=4,
            hint="Use the chart: both dots on the right side of their dashed lines, and the bar no higher "
            "than it needs to be.",
        ),
        Exercise(
            "4.2",
            "choice",
            "A seller first calls an MQL 25 hours after it arrived; the prospect fits and wants a "
            "demo. Your agreement promises a first call within 24 hours. How is the lead counted?",
            what="how the lead is counted",
            minutes=2,
            options=(accepted, "Rejected: it was called too late", "Not counted until someone calls it again"),
            expected=accepted,
            why=(
                (
                    accepted,
                    "Acceptance and speed are two promises: the lead is accepted, the SLA report shows the late call.",
                ),
                (
                    "Rejected: it was called too late",
                    "That counts a good lead as bad and tells marketing its leads are poor when the call was late.",
                ),
                (
                    "Not counted until someone calls it again",
                    "The lead was worked and accepted; nothing is gained by hiding it.",
                ),
            ),
            hint="Ask two questions: did the seller agree to work it, and was the call on time?",
        ),
        Exercise(
            "4.3",
            "text",
            "Write three SQL criteria a seller can check on the first or second call.",
            what="SQL criteria",
            min_words=15,
            minutes=5,
            ideas=(
                Idea("who decides", ("decides", "decision", "owner", "signs")),
                Idea("a real need", ("problem", "need", "pain")),
                Idea("budget", ("budget", "pay", "price")),
            ),
            hint="Draw them from sellers' reasons for poor ratings in Step 5.",
        ),
    ]


# make bench: one slider move recomputes the trade-off at one threshold from the lead table
BENCH = {"MQL threshold slider update": lambda: tradeoff_html(55)}
