"""Lesson 1, Two teams, one customer: the quarter explorer, the two-clocks chart, the exercises and the quiz."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as w
import pandas as pd

from ..casedata.dataset import load_company
from ..metrics import quarter_reports
from ..ui import present
from ..ui.charts import ChartView, show
from ..ui.exercises import Exercise, Feedback, Idea, check_number
from ..ui.exercises import multiple_choice as _mc

QUARTER = "2025Q3"  # the quarter the lesson reads: the last full quarter before the programme
CLOCK_COLOURS = {"by inquiry date (cohort)": "#9a6324", "by activity date (in the quarter)": "#1f5fa8"}


# --- the explorer (JupyterLab) -------------------------------------------------------------------


def _html_table(frame: pd.DataFrame) -> str:
    return frame.to_html(escape=True, border=0, classes="alignkit-table")


def reconciled_table(data, quarter: str, view: pd.DataFrame | None = None) -> pd.DataFrame:
    """The reconciled view with its counts and revenue written out (what the explorer and lesson show)."""
    if view is None:
        view = quarter_reports.reconciled_view(data, quarter)
    shown = view.map(lambda v: f"{v:,.0f}")
    shown.loc["revenue (USD a year)"] = view.loc["revenue (USD a year)"].map(lambda v: f"${v:,.0f}")
    return shown


def quarter_html(data, quarter: str) -> str:
    """Marketing's report, sales' report and the reconciled view of one quarter, as HTML."""
    market = quarter_reports.format_report(quarter_reports.marketing_report(data, quarter))
    sales = quarter_reports.format_report(quarter_reports.sales_report(data, quarter))
    view = quarter_reports.reconciled_view(data, quarter)
    earlier = view.loc["Won", "earlier inquiries, in the quarter"]
    later = view.loc["Won", "cohort, later"]
    return (
        f'<div style="display:flex;gap:2em;flex-wrap:wrap">'
        f"<div><h4>Marketing's report of {html.escape(quarter)}</h4>{_html_table(market)}</div>"
        f"<div><h4>Sales' report of {html.escape(quarter)}</h4>{_html_table(sales)}</div></div>"
        f"<h4>One view of the quarter's customers</h4>{_html_table(reconciled_table(data, quarter, view))}"
        f"<p>Of the deals sales won in {html.escape(quarter)}, <strong>{earlier:,.0f}</strong> came from "
        f"inquiries of earlier quarters; <strong>{later:,.0f}</strong> of the quarter's own inquiries "
        f"were won after it ended.</p>"
    )


def quarter_explorer(data) -> w.VBox:
    """Pick a quarter; see both teams' reports and the view that reconciles them."""
    options = quarter_reports.quarters(data)
    pick = w.ToggleButtons(
        options=options,
        value=QUARTER if QUARTER in options else options[0],
        description="Quarter:",
        style={"button_width": "6em"},
    )
    out = w.HTML(quarter_html(data, pick.value))
    pick.observe(lambda change: setattr(out, "value", quarter_html(data, change["new"])), names="value")
    return w.VBox([pick, out])


# --- the chart (live on the static site) ---------------------------------------------------------


def clocks_chart(data) -> ChartView:
    """Each funnel stage of a quarter counted with both clocks; a drop-down picks the quarter."""
    long = quarter_reports.clocks_by_quarter(data)
    long = long[long["leads"] > 0]
    options = quarter_reports.quarters(data)
    pick = alt.param(name="pick_quarter", value=QUARTER, bind=alt.binding_select(options=options, name="Quarter: "))
    stages = list(dict.fromkeys(long.sort_values("stage_order")["stage"]))
    base = (
        alt.Chart(long, title="One quarter, two clocks: each stage counted by inquiry date and by activity date")
        .encode(
            y=alt.Y("stage:N", sort=stages, title="Funnel stage"),
            yOffset=alt.YOffset("clock:N", sort=list(CLOCK_COLOURS)),
            # not stacked: a stack starts at zero, which a log scale cannot show (no bar was drawn)
            x=alt.X(
                "leads:Q",
                title="Leads or deals (log scale)",
                scale=alt.Scale(type="log"),
                stack=None,
                axis=alt.Axis(values=[10, 100, 1000, 10000], format=","),  # the 20s and 300s crowd a phone
            ),
            color=alt.Color(
                "clock:N",
                title="Counted",
                sort=list(CLOCK_COLOURS),
                scale=alt.Scale(domain=list(CLOCK_COLOURS), range=list(CLOCK_COLOURS.values())),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=["quarter:N", "stage:N", "clock:N", alt.Tooltip("leads:Q", format=",.0f")],
        )
        .transform_filter("datum.quarter == pick_quarter")
    )
    chart = (
        alt.layer(base.mark_bar(), base.mark_text(align="left", dx=3).encode(text=alt.Text("leads:Q", format=",.0f")))
        .add_params(pick)
        .properties(width="container", height=320)
    )
    return show(
        chart,
        "Bar chart of Brightline's funnel stages in one quarter, each counted twice: by the date "
        "the lead inquired (marketing's cohort) and by the date the stage was reached (sales' "
        "activity in the quarter); the drop-down picks the quarter.",
    )


# --- exercises -----------------------------------------------------------------------------------


def wins_from_earlier_inquiries(quarter: str = QUARTER) -> int:
    """The deals won in a quarter from inquiries made before it (the reconciled view): extension 1.A's answer."""
    view = quarter_reports.reconciled_view(load_company(), quarter)
    return int(view.loc["Won", "earlier inquiries, in the quarter"])


def check_earlier_wins(deals) -> Feedback:
    """Analyst extension 1.A: how many of the deals sales won in 2025Q3 came from inquiries made before the quarter."""
    if isinstance(deals, float) and deals.is_integer():
        deals = int(deals)
    if isinstance(deals, float):
        return Feedback(
            "wrong", "A number of deals is a whole number.", ["Count the deals (rows), do not average them."]
        )
    return check_number(
        deals,
        wins_from_earlier_inquiries(),
        what="the deals won in 2025Q3 from earlier inquiries",
        tolerance=0,
        hint="Take the won deals whose closed_at is in 2025Q3, join their leads on lead_id, and "
        "count those whose inquiry_at is before 2025-07-01.",
    )


def check_cohort_acceptance(share) -> Feedback:
    """Analyst extension 1.B: the share of 2025Q3's MQLs (by inquiry date) that sales accepted."""
    return check_number(
        share,
        quarter_reports.cohort_acceptance(load_company(), QUARTER),
        what="the share of 2025Q3's MQLs that sales accepted",
        as_share=True,
        tolerance=0.01,
        hint="Take the leads with an inquiry_at in 2025Q3 (leads['quarter'] == '2025Q3') and an "
        "mql_at; divide those with a sal_at by all of them.",
    )


# --- quiz ----------------------------------------------------------------------------------------


def quiz() -> list[dict]:
    """Situations a seller or a marketer meets; the wrong answers are beliefs people really hold.
    Question 4 brings back lesson 0's case: the programme started on 1 October 2025."""
    data = load_company()
    market = quarter_reports.marketing_report(data, QUARTER)["value"]
    sales = quarter_reports.sales_report(data, QUARTER)["value"]
    view = quarter_reports.reconciled_view(data, QUARTER)
    mqls, accepted = market["MQLs"], sales["leads accepted"]
    won_all, earlier = view.loc["Won", "in the quarter, all"], view.loc["Won", "earlier inquiries, in the quarter"]
    cohort = view.loc["Won", "cohort, to date"]
    q4 = quarter_reports.marketing_report(data, "2025Q4")["value"]
    acc_q3, acc_q4 = quarter_reports.cohort_acceptance(data, QUARTER), quarter_reports.cohort_acceptance(data, "2025Q4")
    return [
        _mc(
            f"At the quarterly review marketing reports {mqls:,.0f} MQLs for {QUARTER} and sales {accepted:,.0f} "
            "leads accepted, and each team says the other's number is wrong. What do you say?",
            [
                (
                    "Both are right: they count different things, with different definitions of a good lead",
                    True,
                    "Right: an MQL cleared marketing's score bar; an accepted lead is one a "
                    "seller judged worth working.",
                ),
                (
                    "Marketing's number is inflated: use sales' figures, they are closer to revenue",
                    False,
                    "Marketing's count is real: those leads cleared its bar. Picking one report hides the gap.",
                ),
                (
                    "Sales is sitting on leads: use marketing's figures",
                    False,
                    "Sales' count is real too: it is the leads it agreed to work.",
                ),
            ],
        ),
        _mc(
            f"Your director asks why sales won {won_all:,.0f} deals in {QUARTER} while the quarter's own inquiries "
            f"have produced {cohort:,.0f} customers so far. What is the answer?",
            [
                (
                    f"Deals take weeks to close: {earlier:,.0f} of the quarter's wins came from earlier inquiries, and "
                    "some of this quarter's inquiries closed later",
                    True,
                    "Right: sales counts activity in the period; marketing follows a cohort of inquiries.",
                ),
                (
                    "One of the two reports has an error",
                    False,
                    "Two reports that disagree are not necessarily wrong: they use two clocks.",
                ),
                ("Sales counted some deals twice", False, "No deal is counted twice; the clocks differ."),
            ],
        ),
        _mc(
            "This week three customers tell a seller they wish they could take a deposit when a client books. "
            "What should the seller do with it?",
            [
                (
                    "Pass it to marketing: what customers say every day is what makes campaigns "
                    "better (Chan, C2, paragraph 10)",
                    True,
                    "Right: sellers hear the market first-hand; marketing can turn it into a message or a campaign.",
                ),
                (
                    "Nothing: product ideas are not a seller's job",
                    False,
                    "Chan's point is the opposite: sellers' daily contact with customers is insight marketing lacks.",
                ),
                ("Use it only in their own calls", False, "Then one seller benefits, and marketing keeps guessing."),
            ],
        ),
        _mc(
            f"Brightline's programme started on 1 October 2025 and raised the MQL bar. Marketing reports "
            f"{q4['MQLs']:,.0f} MQLs for 2025Q4 against {mqls:,.0f} in {QUARTER}. Is marketing doing worse?",
            [
                (
                    f"Not by that number: fewer MQLs was the plan. Sales accepted {acc_q4:.0%} of them, against "
                    f"{acc_q3:.0%} in {QUARTER}",
                    True,
                    "Right: the share sales accepts is where the two teams' work meets the customer.",
                ),
                (
                    "Yes: fewer MQLs means less pipeline",
                    False,
                    "More leads is not always better: MQLs that sales rejects cost money and trust.",
                ),
                (
                    "Yes: marketing should lower the bar again to hit last quarter's number",
                    False,
                    "That would bring back the leads sales rejected; lesson 4 weighs the bar with data.",
                ),
            ],
        ),
    ]


# --- tables as people read them (the lesson's visible cells) -------------------------------------


def report_table(report: pd.DataFrame) -> present.Table:
    """A marketing or sales report (:func:`alignkit.metrics.quarter_reports.marketing_report` or ``sales_report``) with
    each measure's value written out."""
    return present.table(quarter_reports.format_report(report), index="Measure", labels={"value": "Value"})


def channel_table(data, quarter: str) -> present.Table:
    """Marketing's report of a quarter by channel: inquiries, MQLs, campaign spend and cost per MQL."""
    return present.table(
        quarter_reports.marketing_by_channel(data, quarter),
        index="Channel",
        formats={"spend": "money", "cost per MQL": lambda v: present.money(v, digits=2)},
        labels={"inquiries": "Inquiries", "MQLs": "MQLs", "spend": "Campaign spend", "cost per MQL": "Cost per MQL"},
    )


def unaccepted_reasons(data, quarter: str) -> pd.Series:
    """Sellers' main reasons (``feedback.reason``) for the ratings they gave the quarter's MQLs (by MQL
    date) that sales never accepted, most common first."""
    received = data.leads[data.leads["mql_at"].dt.to_period("Q").astype(str).eq(str(quarter))]
    not_accepted = received[received["sal_at"].isna()]
    return data.feedback[data.feedback["lead_id"].isin(not_accepted["lead_id"])]["reason"].value_counts()


def reasons_table(data, quarter: str) -> present.Table:
    """:func:`unaccepted_reasons` as a table."""
    frame = unaccepted_reasons(data, quarter).rename("ratings").rename_axis("reason").to_frame()
    return present.table(frame, index="Seller's main reason", labels={"ratings": "Ratings"})


def reconciled_view_table(data, quarter: str, view: pd.DataFrame | None = None) -> present.Table:
    """The reconciled view (:func:`alignkit.metrics.quarter_reports.reconciled_view`) with plain headings."""
    return present.table(
        reconciled_table(data, quarter, view),
        index="Stage",
        labels={
            "cohort, to date": "The quarter's inquiries: to date",
            "cohort, in the quarter": "…inside the quarter",
            "cohort, later": "…after it",
            "earlier inquiries, in the quarter": "Earlier inquiries, inside the quarter",
            "in the quarter, all": "Everything inside the quarter",
        },
    )


def exercises(slug: str = "brightline") -> list[Exercise]:
    """Lesson 1's decision exercises; every expected answer is computed from the data."""
    data = load_company(slug)
    view = quarter_reports.reconciled_view(data, QUARTER)
    earlier = int(view.loc["Won", "earlier inquiries, in the quarter"])
    won_all = int(view.loc["Won", "in the quarter, all"])
    cohort = int(view.loc["Won", "cohort, to date"])
    mqls = quarter_reports.marketing_report(data, QUARTER)["value"]["MQLs"]
    acceptance = quarter_reports.cohort_acceptance(data, QUARTER)
    shared = "The share of the quarter's MQLs that sales accepted"
    options = ("MQLs", "Deals won in the quarter", shared)
    return [
        Exercise(
            "1.1",
            "number",
            f"Sales' VP says the {present.number(won_all)} deals won in {QUARTER} prove that "
            f"{QUARTER}'s campaigns worked. Using the reconciled view (Step 4), how many of those deals came from "
            f"people who first inquired before {QUARTER}?",
            what="the quarter's wins from earlier inquiries",
            expected=earlier,
            tolerance=0,
            minutes=2,
            hint="Read the Won row of the reconciled view: the column of earlier inquiries won in the quarter.",
            explain=f"{earlier} of the {won_all} wins started before the quarter; the quarter's own inquiries "
            f"have produced {cohort} customers so far.",
        ),
        Exercise(
            "1.2",
            "choice",
            "The leadership team wants one number for the quarter that both teams are judged on "
            "together. Which do you put on the slide?",
            what="the number both teams share",
            options=options,
            expected=shared,
            minutes=2,
            why=(
                (
                    "MQLs",
                    f"Marketing's number ({present.number(mqls)}): it says nothing about whether sales could "
                    "use those leads.",
                ),
                (
                    "Deals won in the quarter",
                    "Sales' number: it mixes in leads from earlier quarters and says "
                    "nothing about this quarter's inquiries.",
                ),
                (
                    shared,
                    f"{present.percent(acceptance)} in {QUARTER}: the hand-shake where marketing's work and "
                    "sales' meet.",
                ),
            ),
            hint="Pick the number that neither team can move alone.",
        ),
        Exercise(
            "1.3",
            "text",
            f"Write the line for the leadership slide: of the people who came to us in {QUARTER}, "
            "how many became customers so far, and what was marketing's part and sales' part?",
            what="the quarter's line",
            min_words=15,
            minutes=5,
            ideas=(
                Idea("the customers the quarter brought", ("customers", "won", "deals")),
                Idea("marketing's part", ("marketing", "campaigns", "MQLs", "inquiries")),
                Idea("sales' part", ("sales", "sellers", "accepted", "called")),
            ),
            hint="Use the reconciled view: the cohort's customers to date, the MQLs, and what sales accepted.",
        ),
    ]


# make bench: one update of the quarter explorer (three tables of one quarter)
BENCH = {"quarter explorer update": lambda: quarter_html(load_company(), QUARTER)}
