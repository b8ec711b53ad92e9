"""Lesson 2, The price of misalignment: the cost calculator, its chart, the exercises and the quiz."""

from __future__ import annotations

import html
from functools import lru_cache

import altair as alt
import ipywidgets as w
import pandas as pd

from .. import misalignment
from ..charts import ChartView, show
from ..dataset import load_company
from ..exercises import Feedback, check_number
from ..exercises import multiple_choice as _mc

CAUSE_COLOURS = {"leads never contacted": "#7b2d26", "leads called late": "#c0504d",
                 "overlapping campaigns": "#9a6324", "duplicate leads": "#d9a441", "mixed messages": "#1f5fa8"}
SLIDER_RANGE = range(100, 2001, 50)  # MQLs per month the chart's slider covers


@lru_cache(maxsize=4)
def brightline_costs(phase: str = "before") -> dict:
    """Every cost of one phase of Brightline's data (:func:`alignkit.misalignment.phase_costs`, cached)."""
    return misalignment.phase_costs(load_company(), phase)


@lru_cache(maxsize=4)
def brightline_inputs(phase: str = "before") -> dict[str, float]:
    """The calculator's default inputs, read from Brightline's data for one phase (cached)."""
    return misalignment.calculator_inputs(load_company(), phase, brightline_costs(phase))


# --- the calculator (JupyterLab) -----------------------------------------------------------------

def calculator_html(**inputs) -> str:
    """The yearly cost by cause for these calculator inputs, as an HTML table with the total."""
    try:
        costs = misalignment.misalignment_cost(**inputs)
    except ValueError as err:
        return f"<p>{html.escape(str(err))}</p>"
    rows = "".join(f"<tr><td>{html.escape(c)}</td><td>{html.escape(r.group)}</td>"
                   f"<td style='text-align:right'>${r.yearly_cost:,.0f}</td></tr>" for c, r in costs.iterrows())
    total = costs["yearly_cost"].sum()
    return (f"<table class='alignkit-table'><thead><tr><th>cause</th><th>cost of</th><th>per year</th></tr></thead>"
            f"<tbody>{rows}<tr><td><strong>total</strong></td><td></td><td style='text-align:right'>"
            f"<strong>${total:,.0f}</strong></td></tr></tbody></table>")


def cost_calculator(defaults: dict[str, float] | None = None) -> w.VBox:
    """Sliders for the team's volume and the rates both teams control; the yearly cost by cause below.

    The buttons load Brightline's rates before the programme, in its first quarter or after it. The inputs without a slider
    (SQL rates, value per qualified lead, cost per lead, deals per MQL, win-rate gap, average deal)
    keep the values of the chosen rates; ``defaults`` (a dict like :func:`brightline_inputs`) starts
    the calculator from other numbers, such as your own team's.
    """
    inputs = dict(defaults or brightline_inputs("before"))
    style = {"description_width": "16em"}
    layout = w.Layout(width="36em")
    preset = w.ToggleButtons(options=[("Brightline before", "before"), ("first quarter", "first quarter"),
                                      ("after", "after")],
                             value=None if defaults else "before", description="Start from:")
    sliders = {
        "mqls_per_month": w.FloatSlider(min=50, max=3000, step=10, readout_format=",.0f",
                                        description="MQLs per month", style=style, layout=layout),
        "leakage_rate": w.FloatSlider(min=0, max=0.6, step=0.01, readout_format=".0%",
                                      description="never contacted", style=style, layout=layout),
        "late_share": w.FloatSlider(min=0, max=0.6, step=0.01, readout_format=".0%",
                                    description="contacted after 24 h", style=style, layout=layout),
        "overlap_share": w.FloatSlider(min=0, max=0.5, step=0.01, readout_format=".0%",
                                       description="spend on overlapping campaigns", style=style, layout=layout),
        "duplicate_rate": w.FloatSlider(min=0, max=0.3, step=0.01, readout_format=".0%",
                                        description="duplicate leads", style=style, layout=layout),
        "mismatch_share": w.FloatSlider(min=0, max=0.8, step=0.01, readout_format=".0%",
                                        description="deals pitched off-message", style=style, layout=layout),
    }
    out = w.HTML()
    loading = []

    def update(_=None):
        if loading:
            return
        current = {**inputs, **{k: s.value for k, s in sliders.items()}}
        current["mqls_per_month"] = float(current["mqls_per_month"])
        out.value = calculator_html(**current)

    def load(values: dict[str, float], keep_volume: bool = False):
        inputs.update(values)
        loading.append(True)
        for k, s in sliders.items():
            if not (keep_volume and k == "mqls_per_month"):
                s.value = values[k]
        loading.clear()
        update()

    for s in sliders.values():
        s.observe(update, names="value")
    # a team keeps its size when it tries the other rates
    preset.observe(lambda change: change["new"] and load(brightline_inputs(change["new"]), keep_volume=True),
                   names="value")
    load(inputs)
    return w.VBox([preset, *sliders.values(), out])


# --- the chart (live on the static site) ---------------------------------------------------------

def cost_curve_data() -> pd.DataFrame:
    """The calculator over the slider's range, with Brightline's rates before and after the programme."""
    return misalignment.cost_curve({"before the programme": brightline_inputs("before"),
                                    "after the programme": brightline_inputs("after")}, SLIDER_RANGE)


def cost_chart() -> ChartView:
    """Yearly cost by cause for a team of a chosen size, at Brightline's rates before and after the programme."""
    data = cost_curve_data()
    start = int(round(brightline_inputs("before")["mqls_per_month"] / 50) * 50)
    size = alt.param(name="team_mqls", value=start,
                     bind=alt.binding_range(min=SLIDER_RANGE.start, max=SLIDER_RANGE.stop - 1,
                                            step=SLIDER_RANGE.step, name="MQLs per month: "))
    chart = (
        alt.Chart(data, title="Yearly cost of misalignment by cause, for a team of the chosen size")
        .mark_bar()
        .encode(
            y=alt.Y("rates:N", title="With Brightline's rates", sort=["before the programme", "after the programme"]),
            x=alt.X("sum(yearly_cost):Q", title="Cost per year (USD)", axis=alt.Axis(format="$,.0f"),
                    scale=alt.Scale(domain=[0, float(data.groupby(["rates", "mqls_per_month"])["yearly_cost"].sum().max())])),
            color=alt.Color("cause:N", title="Cause", sort=list(CAUSE_COLOURS),
                            scale=alt.Scale(domain=list(CAUSE_COLOURS), range=list(CAUSE_COLOURS.values())),
                            legend=alt.Legend(orient="bottom", columns=2)),
            order=alt.Order("cause_order:Q"),
            tooltip=["rates:N", "cause:N", "group:N", alt.Tooltip("yearly_cost:Q", format="$,.0f")],
        )
        .transform_calculate(cause_order=" + ".join(
            f"(datum.cause == '{c}' ? {i} : 0)" for i, c in enumerate(CAUSE_COLOURS)))
        .add_params(size)
        .transform_filter("datum.mqls_per_month == team_mqls")
        .properties(width="container", height=180)
    )
    return show(chart, "Stacked bar chart of the yearly cost of misalignment by cause (leads never contacted, "
                       "leads called late, overlapping campaigns, duplicate leads, mixed messages) for a team "
                       "with the chosen number of MQLs a month, at Brightline's rates before and after the "
                       "programme; the slider sets the number of MQLs.")


# --- exercises -----------------------------------------------------------------------------------

def late_share_before() -> float:
    d = load_company()
    before = d.leads[d.leads["phase"] == "before"]
    return float(misalignment.response_bands(before, d.touches).loc["> 24 h", "share"])


def check_late_share(share) -> Feedback:
    """Exercise 2.1: the share of before-programme MQLs first contacted more than 24 hours after becoming MQLs."""
    return check_number(share, late_share_before(), what="the share of MQLs contacted after more than 24 hours",
                        as_share=True, tolerance=0.01,
                        hint="Use the MQLs of phase 'before' (all of them, contacted or not) as the denominator; "
                             "join touches on lead_id and count first_touch_at − mql_at over 24 hours.")


def win_rate_gap_before() -> float:
    return brightline_costs("before")["messages"]["win_rate_gap"]


def check_win_rate_gap(gap) -> Feedback:
    """Exercise 2.2: win rate of on-message deals minus win rate of off-message deals, before the programme."""
    if isinstance(gap, (int, float)) and not isinstance(gap, bool) and gap < 0:
        return Feedback("wrong", "Your gap is negative: subtract the mismatched win rate from the matched one.",
                        ["Matched pitches win more often, so the gap is positive."])
    return check_number(gap, win_rate_gap_before(), what="the win-rate gap (matched − mismatched)",
                        as_share=True, tolerance=0.02,
                        hint="Join opportunities → leads (campaign_id) → campaigns (theme); compare pitch_theme "
                             "with theme; win rate = won ÷ (won + lost), leaving open deals out.")


# --- quiz ----------------------------------------------------------------------------------------

def quiz() -> list[dict]:
    d = load_company()
    before = d.leads[d.leads["phase"] == "before"]
    bands = misalignment.response_bands(before, d.touches)
    yearly = misalignment.yearly_costs(brightline_costs("before"))
    never = bands.loc["never", "share"]
    return [
        _mc(f"Before the programme {never:.0%} of Brightline's MQLs were never contacted. What does that cost?", [
            ("Every one of them could have qualified at the rate of leads called within a day: that share of SQLs, "
             "times the value of an SQL, is lost", True,
             "Right: a lead nobody calls cannot qualify; its expected value is the loss."),
            ("Nothing: those leads were probably bad anyway", False,
             "Many were real MQLs; called within a day, some of them would have qualified."),
            ("Only the cost of buying them", False, "That is wasted spend; the bigger loss is the deals they could have become."),
        ]),
        _mc("Why count only the duplicates that the main campaigns bought?", [
            ("Duplicates from overlapping campaigns are already in those campaigns' spend", True,
             "Right: counting them twice would inflate the waste."),
            ("Because overlapping campaigns bring no duplicates", False, "They bring the most; their spend already counts them."),
            ("Because duplicates cost nothing", False, "Every lead marketing buys costs its campaign's cost per lead."),
        ]),
        _mc("Which cause cost Brightline the most per year before the programme?", [
            (yearly.idxmax(), True, f"Right: about ${yearly.max():,.0f} a year."),
            *[(c, False, f"About ${yearly[c]:,.0f} a year: not the largest.")
              for c in yearly.sort_values(ascending=False).index[1:4]],
        ]),
        _mc("Albert Chan names three costs of misalignment. Which list is his?", [
            ("Leads handled badly and lost; resources misallocated or duplicated; mixed messages that erode trust", True,
             "Right (C8): the three costs this lesson puts in money."),
            ("Low salaries, high turnover, slow software", False, "Not his list."),
            ("Too many meetings, too many reports, too many tools", False, "Not his list."),
        ]),
    ]


# make bench: one update of the calculator (one move of a slider)
BENCH = {"cost calculator update": lambda: calculator_html(**brightline_inputs("before"))}
