"""Lesson 4, One language: MQL and SQL: the threshold slider and chart, the definitions agreement,
the two exercises and the quiz."""

from __future__ import annotations

import html
import math
from functools import lru_cache

import altair as alt
import pandas as pd

from .. import charts, scoring
from ..dataset import load_company
from ..exercises import Feedback, check_number
from ..exercises import multiple_choice as _mc

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
    """threshold_tradeoff on the months before the programme, with the company's SDRs and
    Roberge's rule of thumb of about 100 leads per rep per month."""
    return scoring.threshold_tradeoff(reference_leads(slug), thresholds, sdr_count(slug),
                                      scoring.LEADS_PER_REP_PER_MONTH, touches=load_company(slug).touches)


@lru_cache(maxsize=2)
def tradeoff_table(slug: str = "brightline") -> pd.DataFrame:
    return tradeoff(CHART_THRESHOLDS, slug)


def tradeoff_html(threshold: int, min_acceptance: float = MIN_ACCEPTANCE) -> str:
    """What one MQL threshold means, as the slider shows it (computed afresh for that threshold)."""
    row = tradeoff([threshold]).iloc[0]
    problems = scoring.threshold_verdict(row, min_acceptance)
    verdict = ("<p>✓ Sellers stay within capacity and acceptance reaches "
               f"{min_acceptance:.0%}.</p>" if not problems else
               "<ul>" + "".join(f"<li>✗ {html.escape(p)}</li>" for p in problems) + "</ul>")
    acc = "unknown" if math.isnan(row["acceptance"]) else f"{row['acceptance']:.0%}"
    sals = "unknown" if math.isnan(row["sals_per_month"]) else f"{row['sals_per_month']:,.0f}"
    sqls = "unknown" if math.isnan(row["sqls_per_month"]) else f"{row['sqls_per_month']:,.0f}"
    return (f"<table><tbody><tr><td>MQLs a month</td><td><strong>{row['mqls_per_month']:,.0f}</strong></td></tr>"
            f"<tr><td>Seller capacity used</td><td><strong>{row['capacity_used']:.0%}</strong> of "
            f"{row['capacity']:,.0f} leads a month</td></tr>"
            f"<tr><td>Sales acceptance (when contacted)</td><td><strong>{acc}</strong></td></tr>"
            f"<tr><td>SALs a month</td><td>{sals}</td></tr><tr><td>SQLs a month</td><td>{sqls}</td></tr>"
            f"</tbody></table>{verdict}")


def threshold_slider(value: int = 35):
    """JupyterLab: move the MQL threshold and see volume, acceptance and capacity move together."""
    import ipywidgets as w

    slider = w.IntSlider(value=value, min=min(CHART_THRESHOLDS), max=max(CHART_THRESHOLDS), step=1,
                         description="MQL threshold:", style={"description_width": "initial"},
                         continuous_update=False)
    out = w.HTML(tradeoff_html(value))
    slider.observe(lambda change: setattr(out, "value", tradeoff_html(change["new"])), names="value")
    return w.VBox([slider, out])


def threshold_chart(start: int = 35) -> charts.ChartView:
    """Three small views (MQLs a month, acceptance, capacity used) over the threshold, with one
    slider that marks the same threshold on all three."""
    table = tradeoff_table().reset_index()
    data = pd.DataFrame({
        "threshold": table["threshold"],
        "MQLs a month": table["mqls_per_month"].round(1),
        "Sales acceptance": table["acceptance"].round(4),
        "Seller capacity used": table["capacity_used"].round(4),
    })
    pick = alt.param(name="mql_threshold", value=start,
                     bind=alt.binding_range(min=min(CHART_THRESHOLDS), max=max(CHART_THRESHOLDS), step=1,
                                            name="MQL threshold: "))
    base = alt.Chart(data).properties(width=300, height=110)
    views = []
    for i, (field, fmt, limit, colour) in enumerate([
            ("MQLs a month", ",.0f", None, "#1f5fa8"),
            ("Sales acceptance", ".0%", MIN_ACCEPTANCE, "#2e7d32"),
            ("Seller capacity used", ".0%", 1.0, "#9a6324")]):
        y = alt.Y(f"{field}:Q", title=field, axis=alt.Axis(format=fmt))
        line = base.mark_line(color=colour).encode(
            x=alt.X("threshold:Q", title="MQL threshold (lead score)" if i == 2 else None,
                    scale=alt.Scale(domain=[min(CHART_THRESHOLDS), max(CHART_THRESHOLDS)])), y=y,
            tooltip=["threshold:Q", alt.Tooltip(f"{field}:Q", format=fmt)])
        dot = base.mark_point(filled=True, size=90, color=colour).encode(x="threshold:Q", y=y).transform_filter(
            "datum.threshold == mql_threshold")
        label = base.mark_text(align="left", dx=8, dy=-10, fontWeight="bold").encode(
            x="threshold:Q", y=y, text=alt.Text(f"{field}:Q", format=fmt)).transform_filter(
            "datum.threshold == mql_threshold")
        layers = [line, dot, label]
        if limit is not None:
            layers.append(alt.Chart(pd.DataFrame({"limit": [limit]})).mark_rule(strokeDash=[4, 4], color="grey")
                          .encode(y="limit:Q"))
        layer = alt.layer(*layers)
        if i == 0:
            layer = layer.add_params(pick)
        views.append(layer)
    chart = alt.vconcat(*views, title="Raising the MQL bar: fewer MQLs, higher acceptance, less seller time")
    return charts.show(chart, "Three line charts over the MQL threshold from 35 to 90, estimated from "
                              "Brightline's months before the programme: MQLs a month fall, sales "
                              "acceptance rises, and the share of seller capacity used falls; the "
                              f"slider marks one threshold on all three, with dashed lines at {MIN_ACCEPTANCE:.0%} "
                              "acceptance and at full capacity.")


def agreement(threshold: int, sql_criteria, response_hours: float = 24) -> str:
    """The definitions agreement filled in with Brightline's numbers for a chosen threshold."""
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be a lead score from 0 to 100 (got {threshold!r}).")
    row = tradeoff([int(threshold)]).iloc[0].to_dict()
    return scoring.definitions_agreement(int(threshold), sql_criteria, row, response_hours=response_hours,
                                         min_acceptance=MIN_ACCEPTANCE)


# --- exercises -------------------------------------------------------------------------------

def acceptance_at_or_above(score: int = 55, slug: str = "brightline") -> float:
    return float(tradeoff([score], slug)["acceptance"].iloc[0])


def check_acceptance(rate) -> Feedback:
    """Exercise 4.1: before the programme, the share of contacted MQLs scored 55 or more that sales accepted."""
    return check_number(rate, acceptance_at_or_above(55), what="acceptance of contacted MQLs scored 55 or more",
                        as_share=True, tolerance=0.01,
                        hint="Take the leads before the programme with score >= 55 whose lead_id is in "
                             "touches; divide those with a sal_at by all of them.")


def check_threshold(threshold, min_acceptance: float = MIN_ACCEPTANCE) -> Feedback:
    """Exercise 4.2: a threshold that keeps seller capacity within 100 % and acceptance at or above
    ``min_acceptance``; says what is missing, and what a higher bar costs in SQLs."""
    if threshold is None or (isinstance(threshold, str) and not threshold.strip()):
        return Feedback("todo", "No threshold yet.", ["Put a lead score from 0 to 100 in place of None."])
    if isinstance(threshold, str):
        try:
            threshold = float(threshold.strip())
        except ValueError:
            return Feedback("wrong", f"'{threshold}' is not a lead score.", ["Write a whole number from 0 to 100."])
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or math.isnan(threshold):
        return Feedback("wrong", f"The threshold should be a number, not {type(threshold).__name__}.",
                        ["Write a whole number from 0 to 100."])
    if not 0 <= threshold <= 100 or threshold != int(threshold):
        return Feedback("wrong", f"{threshold} is not a lead score.", ["Scores are whole numbers from 0 to 100."])
    t = int(threshold)
    row = tradeoff([t]).iloc[0]
    problems = scoring.threshold_verdict(row, min_acceptance)
    table = tradeoff_table()
    passing = table[(table["capacity_used"] <= 1) & (table["acceptance"] >= min_acceptance)]
    if problems:
        lowest = int(passing.index.min()) if len(passing) else None
        return Feedback("wrong", f"A threshold of {t} does not work yet.",
                        [p[0].upper() + p[1:] + "." for p in problems]
                        + (["Try the slider: move the bar up until both lines clear their dashed limits."]
                           if lowest is not None else []))
    points = [f"{row['mqls_per_month']:,.0f} MQLs a month use {row['capacity_used']:.0%} of seller capacity.",
              f"Sales would accept {row['acceptance']:.0%} of them."]
    best_sqls = float(passing["sqls_per_month"].max())
    if row["sqls_per_month"] < 0.75 * best_sqls:
        points.append(f"But only {row['sqls_per_month']:,.0f} SQLs a month, against {best_sqls:,.0f} at a "
                      "lower bar that also passes: a bar this high starves the pipeline.")
        return Feedback("ok", f"A threshold of {t} meets both limits, but look at the SQLs.", points)
    return Feedback("ok", f"A threshold of {t} works.", points)


def quiz() -> list[dict]:
    d = load_company()
    bands = scoring.score_bands(reference_leads(), d.touches)
    low, high = bands.loc["35–44", "acceptance"], bands.loc["65–74", "acceptance"]
    t = tradeoff([d.profile.before.mql_threshold, d.profile.after.mql_threshold])
    before, after = d.profile.before.mql_threshold, d.profile.after.mql_threshold
    return [
        _mc(f"Before the programme sales accepted {low:.0%} of the contacted leads scored 35–44 and "
            f"{high:.0%} of those scored 65–74. What does that say about the lead score?", [
            ("It predicts how sales judges a lead: higher scores are accepted more often", True,
             "Right: the score carries real information about fit, so it can set the bar."),
            ("It proves that every lead below 65 is worthless", False,
             "Even low bands had some accepted leads; the bar is a trade-off, not a verdict."),
            ("It says nothing, because sales decides acceptance", False,
             "Sales decides, but its decisions follow the score closely: that is the evidence."),
        ]),
        _mc(f"With {sdr_count()} SDRs and about 100 leads per rep a month, a bar of {before} gave "
            f"{t.loc[before, 'mqls_per_month']:,.0f} MQLs a month. What happens to the leads above capacity?", [
            ("Nobody works them: they leak, and the money spent to win them is lost", True,
             "Right: capacity caps what sellers can work; the rest are the leakage of lesson 3."),
            ("Sellers work them all, just a little faster", False,
             "The rule of thumb is about what a rep can work well in a month; past it, leads wait or are dropped."),
            ("Marketing works them instead", False, "Nothing in Brightline's process did that; they simply waited."),
        ]),
        _mc(f"Brightline raised the MQL bar from {before} to {after}. Which is the honest way to "
            "estimate acceptance at the new bar before trying it?", [
            ("Use how sales took leads of each score when the bar was low", True,
             "Right: in those months sales saw leads of every score above the old bar."),
            ("Use acceptance after the programme", False,
             "That is only known after the change; and below the new bar sales saw nothing."),
            ("Assume every MQL will be accepted", False, "No bar gives that; even the top band is not all accepted."),
        ]),
        _mc("Who should own the SQL definition, and who agrees to it?", [
            ("Sales writes it; marketing agrees, because it decides what marketing is measured on", True,
             "Right: qualification is sales' judgement, but both teams sign the agreement."),
            ("Marketing writes it alone", False, "SQL is sales' stage; marketing owns the MQL."),
            ("Each rep decides case by case", False, "Then no two reports count SQLs the same way: the confusion C6 is about."),
        ]),
    ]


# make bench: one slider move recomputes the trade-off at one threshold from the lead table
BENCH = {"MQL threshold slider update": lambda: tradeoff_html(55)}
