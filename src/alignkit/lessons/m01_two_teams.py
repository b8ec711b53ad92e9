"""Lesson 1, Two teams, one customer: the quarter explorer, the two-clocks chart, the exercises and the quiz."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as w
import pandas as pd

from .. import reports
from ..charts import ChartView, show
from ..dataset import load_company
from ..exercises import Feedback, check_number
from ..exercises import multiple_choice as _mc

QUARTER = "2025Q3"  # the quarter the lesson reads: the last full quarter before the programme
CLOCK_COLOURS = {"by inquiry date (cohort)": "#9a6324", "by activity date (in the quarter)": "#1f5fa8"}


# --- the explorer (JupyterLab) -------------------------------------------------------------------

def _html_table(frame: pd.DataFrame) -> str:
    return frame.to_html(escape=True, border=0, classes="alignkit-table")


def reconciled_table(data, quarter: str, view: pd.DataFrame | None = None) -> pd.DataFrame:
    """The reconciled view with its counts and revenue written out (what the explorer and lesson show)."""
    if view is None:
        view = reports.reconciled_view(data, quarter)
    shown = view.map(lambda v: f"{v:,.0f}")
    shown.loc["revenue (USD a year)"] = view.loc["revenue (USD a year)"].map(lambda v: f"${v:,.0f}")
    return shown


def quarter_html(data, quarter: str) -> str:
    """Marketing's report, sales' report and the reconciled view of one quarter, as HTML."""
    market = reports.format_report(reports.marketing_report(data, quarter))
    sales = reports.format_report(reports.sales_report(data, quarter))
    view = reports.reconciled_view(data, quarter)
    earlier = view.loc["Won", "earlier inquiries, in the quarter"]
    later = view.loc["Won", "cohort, later"]
    return (f'<div style="display:flex;gap:2em;flex-wrap:wrap">'
            f"<div><h4>Marketing's report of {html.escape(quarter)}</h4>{_html_table(market)}</div>"
            f"<div><h4>Sales' report of {html.escape(quarter)}</h4>{_html_table(sales)}</div></div>"
            f"<h4>One view of the quarter's customers</h4>{_html_table(reconciled_table(data, quarter, view))}"
            f"<p>Of the deals sales won in {html.escape(quarter)}, <strong>{earlier:,.0f}</strong> came from "
            f"inquiries of earlier quarters; <strong>{later:,.0f}</strong> of the quarter's own inquiries "
            f"were won after it ended.</p>")


def quarter_explorer(data) -> w.VBox:
    """Pick a quarter; see both teams' reports and the view that reconciles them."""
    options = reports.quarters(data)
    pick = w.ToggleButtons(options=options, value=QUARTER if QUARTER in options else options[0],
                           description="Quarter:", style={"button_width": "6em"})
    out = w.HTML(quarter_html(data, pick.value))
    pick.observe(lambda change: setattr(out, "value", quarter_html(data, change["new"])), names="value")
    return w.VBox([pick, out])


# --- the chart (live on the static site) ---------------------------------------------------------

def clocks_chart(data) -> ChartView:
    """Each funnel stage of a quarter counted with both clocks; a drop-down picks the quarter."""
    long = reports.clocks_by_quarter(data)
    long = long[long["leads"] > 0]
    options = reports.quarters(data)
    pick = alt.param(name="pick_quarter", value=QUARTER,
                     bind=alt.binding_select(options=options, name="Quarter: "))
    stages = list(dict.fromkeys(long.sort_values("stage_order")["stage"]))
    base = (alt.Chart(long, title="One quarter, two clocks: each stage counted by inquiry date and by activity date")
            .encode(y=alt.Y("stage:N", sort=stages, title="Funnel stage"),
                    yOffset=alt.YOffset("clock:N", sort=list(CLOCK_COLOURS)),
                    x=alt.X("leads:Q", title="Leads or deals (log scale)", scale=alt.Scale(type="log")),
                    color=alt.Color("clock:N", title="Counted", sort=list(CLOCK_COLOURS),
                                    scale=alt.Scale(domain=list(CLOCK_COLOURS), range=list(CLOCK_COLOURS.values())),
                                    legend=alt.Legend(orient="bottom", direction="vertical")),
                    tooltip=["quarter:N", "stage:N", "clock:N", alt.Tooltip("leads:Q", format=",.0f")])
            .transform_filter("datum.quarter == pick_quarter"))
    chart = (alt.layer(base.mark_bar(), base.mark_text(align="left", dx=3).encode(text=alt.Text("leads:Q", format=",.0f")))
             .add_params(pick)
             .properties(width="container", height=320))
    return show(chart, "Bar chart of Brightline's funnel stages in one quarter, each counted twice: by the date "
                       "the lead inquired (marketing's cohort) and by the date the stage was reached (sales' "
                       "activity in the quarter); the drop-down picks the quarter.")


# --- exercises -----------------------------------------------------------------------------------

def wins_from_earlier_inquiries(quarter: str = QUARTER) -> int:
    view = reports.reconciled_view(load_company(), quarter)
    return int(view.loc["Won", "earlier inquiries, in the quarter"])


def check_earlier_wins(deals) -> Feedback:
    """Exercise 1.1: how many of the deals sales won in 2025Q3 came from inquiries made before the quarter."""
    if isinstance(deals, float) and deals.is_integer():
        deals = int(deals)
    if isinstance(deals, float):
        return Feedback("wrong", "A number of deals is a whole number.",
                        ["Count the deals (rows), do not average them."])
    return check_number(deals, wins_from_earlier_inquiries(), what="the deals won in 2025Q3 from earlier inquiries",
                        tolerance=0,
                        hint="Take the won deals whose closed_at is in 2025Q3, join their leads on lead_id, and "
                             "count those whose inquiry_at is before 2025-07-01.")


def check_cohort_acceptance(share) -> Feedback:
    """Exercise 1.2: the share of 2025Q3's MQLs (by inquiry date) that sales accepted."""
    return check_number(share, reports.cohort_acceptance(load_company(), QUARTER),
                        what="the share of 2025Q3's MQLs that sales accepted", as_share=True, tolerance=0.01,
                        hint="Take the leads with an inquiry_at in 2025Q3 (leads['quarter'] == '2025Q3') and an "
                             "mql_at; divide those with a sal_at by all of them.")


# --- quiz ----------------------------------------------------------------------------------------

def quiz() -> list[dict]:
    data = load_company()
    market = reports.marketing_report(data, QUARTER)["value"]
    sales = reports.sales_report(data, QUARTER)["value"]
    view = reports.reconciled_view(data, QUARTER)
    mqls, accepted = market["MQLs"], sales["leads accepted"]
    won_all, earlier = view.loc["Won", "in the quarter, all"], view.loc["Won", "earlier inquiries, in the quarter"]
    return [
        _mc(f"In {QUARTER} marketing reports {mqls:,.0f} MQLs and sales reports {accepted:,.0f} leads accepted. "
            "Who is right?", [
            ("Both: they count different things with different definitions of a good lead", True,
             "Right: an MQL is marketing's bar (score), an accepted lead is sales' bar (worth a seller's time)."),
            ("Marketing: sales is hiding leads", False, "Sales' count is real too: it is the leads it agreed to work."),
            ("Sales: marketing's number is made up", False, "Marketing's count is real: those leads cleared its score bar."),
        ]),
        _mc(f"Sales won {won_all:,.0f} deals in {QUARTER}; {earlier:,.0f} of them came from inquiries of earlier "
            "quarters. Why?", [
            ("Deals take weeks to close, so a quarter's wins include leads that arrived before it", True,
             "Right: sales counts activity in the period; marketing follows a cohort of inquiries."),
            ("Sales counted some deals twice", False, "No deal is counted twice; the clocks differ."),
            ("Marketing lost track of those leads", False, "The leads are in the data; they just arrived earlier."),
        ]),
        _mc("According to Albert Chan, what does marketing give sales that sales cannot easily build itself?", [
            ("A map of the customer journey, from deep knowledge of the audience and the strategic messages", True,
             "Right (C1): marketers invest their time in understanding the audience and craft the messages."),
            ("A list of customers who have already decided to buy", False, "Leads still have to be qualified and won."),
            ("The sales quota", False, "Quotas come from management; Chan stresses the pressure they put on sellers."),
        ]),
        _mc("And what do sellers give marketing?", [
            ("Daily, first-hand insight on customers: what they want, what they dislike, which trends are coming", True,
             "Right (C2): sellers talk to customers every day."),
            ("Their lead scores", False, "Scoring is marketing's model; sellers' insight can improve it."),
            ("The campaign budget", False, "Budgets are not sellers' to give; their insight is."),
        ]),
    ]


# make bench: one update of the quarter explorer (three tables of one quarter)
BENCH = {"quarter explorer update": lambda: quarter_html(load_company(), QUARTER)}
