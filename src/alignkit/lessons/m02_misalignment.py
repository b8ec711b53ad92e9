"""Lesson 2, The price of misalignment: the cost calculator, its chart, the exercises and the quiz."""

from __future__ import annotations

import html
from collections.abc import Callable

import altair as alt
import ipywidgets as w
import pandas as pd

from ..casedata.caching import cached
from ..casedata.dataset import load_company
from ..metrics import misalignment
from ..ui import present
from ..ui.charts import ON_A_PHONE, ChartView, show
from ..ui.exercises import Exercise, Feedback, Idea, check_number
from ..ui.exercises import multiple_choice as _mc

CAUSE_COLOURS = {
    "leads never contacted": "#7b2d26",
    "leads called late": "#c0504d",
    "overlap that added nobody": "#9a6324",
    "duplicates from main campaigns": "#d9a441",
}
SLIDER_RANGE = range(100, 2001, 50)  # MQLs per month the chart's slider covers


@cached(maxsize=4)
def brightline_costs(phase: str = "before") -> dict:
    """Every cost of one phase of Brightline's data (:func:`alignkit.metrics.misalignment.phase_costs`, cached)."""
    return misalignment.phase_costs(load_company(), phase)


@cached(maxsize=4)
def brightline_inputs(phase: str = "before") -> dict[str, float]:
    """The calculator's default inputs, read from Brightline's data for one phase (cached)."""
    return misalignment.calculator_inputs(load_company(), phase, brightline_costs(phase))


# --- the calculator (JupyterLab) -----------------------------------------------------------------


def calculator_html(**inputs) -> str:
    """The yearly cost by counted cause for these calculator inputs, as an HTML table with the total,
    and below it the mixed-messages ceiling (what the win-rate gap is worth if the pitch is its cause)."""
    try:
        costs = misalignment.misalignment_cost(**inputs)
    except ValueError as err:
        return f"<p>{html.escape(str(err))}</p>"
    counted = costs[costs["evidence"] == "counted"]
    rows = "".join(
        f"<tr><td>{html.escape(c)}</td><td>{html.escape(r.group)}</td>"
        f"<td style='text-align:right'>${r.yearly_cost:,.0f}</td></tr>"
        for c, r in counted.iterrows()
    )
    total = counted["yearly_cost"].sum()
    ceiling = costs.loc["mixed messages", "yearly_cost"]
    return (
        f"<table class='alignkit-table'><thead><tr><th>cause</th><th>cost of</th><th>per year</th></tr></thead>"
        f"<tbody>{rows}<tr><td><strong>total counted</strong></td><td></td><td style='text-align:right'>"
        f"<strong>${total:,.0f}</strong></td></tr>"
        f"<tr><td>mixed messages, at most (only if the pitch causes the gap)</td><td>deals</td>"
        f"<td style='text-align:right'>up to ${max(ceiling, 0):,.0f}</td></tr></tbody></table>"
    )


def cost_calculator(defaults: dict[str, float] | None = None) -> w.VBox:
    """Sliders for the team's volume and the rates both teams control; the yearly cost by cause below.

    The buttons load Brightline's rates before the programme, in its first quarter or after it. The
    inputs without a slider (SQL rates, value per qualified lead, cost per lead, deals per MQL,
    win-rate gap, average deal) keep the values of the chosen rates; ``defaults`` (a dict like
    :func:`brightline_inputs`) starts the calculator from other numbers, such as your own team's.
    """
    inputs = dict(defaults or brightline_inputs("before"))
    style = {"description_width": "16em"}
    layout = w.Layout(width="36em")
    preset = w.ToggleButtons(
        options=[("Brightline before", "before"), ("first quarter", "first quarter"), ("after", "after")],
        value=None if defaults else "before",
        description="Start from:",
    )
    sliders = {
        "mqls_per_month": w.FloatSlider(
            min=50, max=3000, step=10, readout_format=",.0f", description="MQLs per month", style=style, layout=layout
        ),
        "leakage_rate": w.FloatSlider(
            min=0, max=0.6, step=0.01, readout_format=".0%", description="never contacted", style=style, layout=layout
        ),
        "late_share": w.FloatSlider(
            min=0,
            max=0.6,
            step=0.01,
            readout_format=".0%",
            description="contacted after 24 h",
            style=style,
            layout=layout,
        ),
        "overlap_share": w.FloatSlider(
            min=0,
            max=0.5,
            step=0.01,
            readout_format=".0%",
            description="spend on overlapping campaigns",
            style=style,
            layout=layout,
        ),
        "overlap_duplicate_rate": w.FloatSlider(
            min=0,
            max=1,
            step=0.01,
            readout_format=".0%",
            description="their leads already known",
            style=style,
            layout=layout,
        ),
        "duplicate_rate": w.FloatSlider(
            min=0,
            max=0.3,
            step=0.01,
            readout_format=".0%",
            description="duplicates, main campaigns",
            style=style,
            layout=layout,
        ),
        "mismatch_share": w.FloatSlider(
            min=0,
            max=0.8,
            step=0.01,
            readout_format=".0%",
            description="deals pitched off-message",
            style=style,
            layout=layout,
        ),
    }
    out = w.HTML()
    loading: list[bool] = []

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
    preset.observe(
        lambda change: change["new"] and load(brightline_inputs(change["new"]), keep_volume=True), names="value"
    )
    load(inputs)
    return w.VBox([preset, *sliders.values(), out])


# --- the chart (live on the static site) ---------------------------------------------------------


def cost_curve_data() -> pd.DataFrame:
    """The calculator over the slider's range, with Brightline's rates before and after the programme."""
    return misalignment.cost_curve(
        {"before the programme": brightline_inputs("before"), "after the programme": brightline_inputs("after")},
        SLIDER_RANGE,
    )


def cost_chart() -> ChartView:
    """Yearly cost by cause for a team of a chosen size, at Brightline's rates before and after the programme."""
    data = cost_curve_data()
    start = int(round(brightline_inputs("before")["mqls_per_month"] / 50) * 50)
    size = alt.param(
        name="team_mqls",
        value=start,
        bind=alt.binding_range(
            min=SLIDER_RANGE.start, max=SLIDER_RANGE.stop - 1, step=SLIDER_RANGE.step, name="MQLs per month: "
        ),
    )
    chart = (
        alt.Chart(data, title="Yearly counted cost of misalignment by cause, for a team of the chosen size")
        .mark_bar()
        .encode(
            y=alt.Y("rates:N", title="With Brightline's rates", sort=["before the programme", "after the programme"]),
            x=alt.X(
                "sum(yearly_cost):Q",
                title="Cost per year (USD)",
                # on a phone, fewer figures and in millions: the full figures run into each other
                axis=alt.Axis(
                    format="$,.0f",
                    tickCount=alt.ExprRef(expr=f"{ON_A_PHONE} ? 3 : 8"),
                    labelExpr=f"{ON_A_PHONE} && datum.value ? '$' + format(datum.value / 1e6, '.2~f') + ' M'"
                    " : datum.label",
                ),
                scale=alt.Scale(
                    domain=[0, float(data.groupby(["rates", "mqls_per_month"])["yearly_cost"].sum().max())]
                ),
            ),
            color=alt.Color(
                "cause:N",
                title="Cause",
                sort=list(CAUSE_COLOURS),
                scale=alt.Scale(domain=list(CAUSE_COLOURS), range=list(CAUSE_COLOURS.values())),
                # two columns of causes where they fit, one on a phone
                legend=alt.Legend(orient="bottom", columns=alt.ExprRef(expr=f"{ON_A_PHONE} ? 1 : 2")),
            ),
            order=alt.Order("cause_order:Q"),
            tooltip=["rates:N", "cause:N", "group:N", alt.Tooltip("yearly_cost:Q", format="$,.0f")],
        )
        .transform_calculate(
            cause_order=" + ".join(f"(datum.cause == '{c}' ? {i} : 0)" for i, c in enumerate(CAUSE_COLOURS))
        )
        .add_params(size)
        .transform_filter("datum.mqls_per_month == team_mqls")
        .properties(width="container", height=180)
    )
    return show(
        chart,
        "Stacked bar chart of the yearly counted cost of misalignment by cause (leads never "
        "contacted, leads called late, overlap that added nobody, duplicates from main campaigns) "
        "for a team with the chosen number of MQLs a month, at Brightline's rates before and "
        "after the programme; the slider sets the number of MQLs. Mixed messages are not in the "
        "chart: the data shows a correlation, not a cost.",
    )


# --- exercises -----------------------------------------------------------------------------------


def late_share_before() -> float:
    """The share of before-programme MQLs first touched more than 24 hours after becoming MQLs (2.A's answer)."""
    d = load_company()
    before = d.leads[d.leads["phase"] == "before"]
    return float(misalignment.response_bands(before, d.touches).loc["> 24 h", "share"])


def check_late_share(share) -> Feedback:
    """Analyst extension 2.A: the share of before-programme MQLs first contacted more than 24 hours
    after becoming MQLs."""
    return check_number(
        share,
        late_share_before(),
        what="the share of MQLs contacted after more than 24 hours",
        as_share=True,
        tolerance=0.01,
        hint="Use the MQLs of phase 'before' (all of them, contacted or not) as the denominator; "
        "join touches on lead_id and count first_touch_at − mql_at over 24 hours.",
    )


def win_rate_gap_before() -> float:
    """On-message minus off-message win rate before the programme: extension 2.B's answer."""
    return brightline_costs("before")["messages"]["win_rate_gap"]


def check_win_rate_gap(gap) -> Feedback:
    """Analyst extension 2.B: win rate of on-message deals minus win rate of off-message deals, before the programme."""
    if isinstance(gap, (int, float)) and not isinstance(gap, bool) and gap < 0:
        return Feedback(
            "wrong",
            "Your gap is negative: subtract the mismatched win rate from the matched one.",
            ["Matched pitches win more often, so the gap is positive."],
        )
    return check_number(
        gap,
        win_rate_gap_before(),
        what="the win-rate gap (matched − mismatched)",
        as_share=True,
        tolerance=0.02,
        hint="Join opportunities → leads (campaign_id) → campaigns (theme); compare pitch_theme "
        "with theme; win rate = won ÷ (won + lost), leaving open deals out.",
    )


# --- quiz ----------------------------------------------------------------------------------------


def quiz() -> list[dict]:
    """Situations a seller or a marketer meets; the wrong answers are beliefs people really hold.
    Question 4 brings back lesson 1 (sellers' complaints about the MQLs they did not accept)."""
    d = load_company()
    before = d.leads[d.leads["phase"] == "before"]
    bands = misalignment.response_bands(before, d.touches)
    costs = brightline_costs("before")
    on_time, late = costs["leads_lost"]["on_time_sql_rate"], costs["leads_lost"]["late_sql_rate"]
    spend, msg = costs["spend"], costs["messages"]
    return [
        _mc(
            "A new MQL arrives on Friday at 4 pm. Your team's habit is to call new leads on Monday. What does "
            "Brightline's data say?",
            [
                (
                    f"Call today or hand it to someone who can: MQLs called within a day qualified {on_time:.0%} of "
                    f"the time, those called later {late:.0%}",
                    True,
                    "Right: and published research (HBR 2011) finds a far steeper fall within the first hours.",
                ),
                (
                    "A lead who is really interested will still be interested on Monday",
                    False,
                    f"Interest fades and competitors call first: {bands.loc['> 24 h', 'share']:.0%} of MQLs waited "
                    "more than a day, and they qualified less often.",
                ),
                (
                    "Speed does not matter; the quality of the conversation does",
                    False,
                    "Both matter, and a conversation that never happens has no quality.",
                ),
            ],
        ),
        _mc(
            f"Marketing ran extra campaigns at the same audience as the main ones and reports more leads. "
            f"{spend['overlap_duplicate_rate']:.0%} of those campaigns' leads were people marketing already had. "
            "How much of their spend was wasted?",
            [
                (
                    f"About {spend['overlap_duplicate_rate']:.0%} of it, the share that bought only people already "
                    "known, assuming the new people they found are worth their cost",
                    True,
                    "Right: waste is what bought no new lead; if the new people would have come anyway, it is more.",
                ),
                (
                    "None: more leads for more money is growth",
                    False,
                    "A duplicate is not a new lead: it is the same person, bought twice.",
                ),
                (
                    "All of it: overlapping campaigns are pure waste",
                    False,
                    "They also found new people; count only what added nobody, and say your assumption.",
                ),
            ],
        ),
        _mc(
            f"Deals pitched on the campaign's message won {msg['win_rate_matched']:.0%} of the time, deals pitched "
            f'on another message {msg["win_rate_mismatched"]:.0%}. Your manager concludes: "off-message pitches '
            f'cost us ${msg["cost"]:,.0f}." What is the honest answer?',
            [
                (
                    "The data shows off-message deals win less, not that the pitch is the cause; that sum is a "
                    "ceiling. Open with the campaign's promise, then find out what they need",
                    True,
                    "Right: a seller may switch message when a deal already looks lost. The "
                    "habit costs nothing to try.",
                ),
                (
                    "She is right: every off-message deal would have been won on message",
                    False,
                    "That reads a correlation as a cause; some of those deals were hard to win whatever the pitch.",
                ),
                (
                    "The gap means nothing, so sellers should pitch whatever they like",
                    False,
                    "A correlation is not proof, but it is a reason to look: the campaign's promise "
                    "is why they raised a hand.",
                ),
            ],
        ),
        _mc(
            'In lesson 1, "duplicate" was sellers\' most common complaint about the MQLs they did not accept. '
            "Who can fix the duplicate lines of the bill?",
            [
                (
                    "Both teams: marketing stops buying the same audience twice and removes known contacts before the "
                    "hand-over; sellers keep flagging duplicates so marketing sees them",
                    True,
                    "Right: each line of the bill has an owner on each side (C8).",
                ),
                (
                    "Marketing alone: it is marketing's budget",
                    False,
                    "Marketing learns of most duplicates from sellers' feedback: without it the waste stays invisible.",
                ),
                (
                    "Nobody: duplicates are a fact of life in any CRM",
                    False,
                    f"Brightline's duplicate rate fell to {brightline_costs('after')['spend']['duplicate_rate']:.0%} "
                    "after the programme: they can be fixed.",
                ),
            ],
        ),
    ]


# --- tables as people read them (the lesson's visible cells) -------------------------------------


def bands_table(bands: pd.DataFrame) -> present.Table:
    """:func:`alignkit.metrics.misalignment.response_bands` with plain headings and percentages."""
    return present.table(
        bands,
        index="First contact",
        formats={"share": "percent", "sql_rate": "percent"},
        labels={"mqls": "MQLs", "sqls": "Became SQLs", "share": "Share of MQLs", "sql_rate": "Became SQLs (share)"},
    )


SPEND_ROWS = (  # (key of wasted_spend, label, format)
    ("spend", "Campaign spend", "money"),
    ("overlap_spend", "Spent on overlapping campaigns", "money"),
    ("overlap_leads", "Leads the overlapping campaigns brought", "number"),
    ("overlap_duplicates", "…of them people already known", "number"),
    ("overlap_duplicate_rate", "…as a share", "percent"),
    ("overlap_wasted", "Overlap spend that added nobody", "money"),
    ("main_leads", "Leads the main campaigns brought", "number"),
    ("main_duplicates", "…of them people already known", "number"),
    ("duplicate_cost", "Main-campaign spend on them", "money"),
    ("wasted", "Spend that bought no new lead", "money"),
)


def spend_table(spend: dict, label: str = "Before the programme") -> present.Table:
    """The spend that bought no new lead (:func:`alignkit.metrics.misalignment.wasted_spend`), line by line."""
    fmt: dict[str, Callable[[float], str]] = {
        "money": present.money,
        "number": present.number,
        "percent": present.percent,
    }
    rows = [{"item": name, "value": fmt[f](spend[key])} for key, name, f in SPEND_ROWS]
    return present.table(pd.DataFrame(rows), labels={"item": "", "value": label})


def message_table(opps: pd.DataFrame) -> present.Table:
    """:func:`alignkit.metrics.misalignment.win_rate_by_message` of these deals, with plain headings."""
    table = misalignment.win_rate_by_message(opps).rename(
        index={"matched": "on the campaign's message", "mismatched": "on another message"}
    )
    return present.table(
        table,
        index="Pitch",
        formats={"win_rate": "percent"},
        labels={"deals": "Deals", "closed": "Closed", "won": "Won", "win_rate": "Win rate"},
    )


MIXED_ROW = "mixed messages, at most (if the pitch is the cause)"


def yearly_bill(costs: dict[str, dict]) -> pd.DataFrame:
    """The yearly bill of each phase in ``costs`` (phase → :func:`alignkit.metrics.misalignment.phase_costs`):
    the counted causes, their total, and apart from it the mixed-messages ceiling (:data:`MIXED_ROW`)."""
    yearly = pd.DataFrame({phase: misalignment.yearly_costs(c) for phase, c in costs.items()})
    bill = yearly.loc[list(misalignment.COUNTED)].copy()
    bill.loc["total counted"] = bill.sum()
    bill.loc[MIXED_ROW] = yearly.loc["mixed messages"]
    return bill


def bill_table(bill: pd.DataFrame) -> present.Table:
    """The yearly bill by cause, before and after the programme, in dollars."""
    return present.table(
        bill,
        index="Cause",
        formats={c: "money" for c in bill.columns},
        labels={c: f"{c.capitalize()} (a year)" for c in bill.columns},
    )


INPUT_LABELS = {  # calculator input → (label, format)
    "mqls_per_month": ("MQLs a month", "number"),
    "leakage_rate": ("Never contacted", "percent"),
    "late_share": ("Contacted after 24 hours", "percent"),
    "on_time_sql_rate": ("SQL rate, called within a day", "percent"),
    "late_sql_rate": ("SQL rate, called later", "percent"),
    "value_per_qualified_lead": ("Value of an SQL", "money"),
    "inquiries_per_mql": ("Inquiries per MQL", "ratio"),
    "cost_per_lead": ("Cost per lead", "money"),
    "overlap_share": ("Spend on overlapping campaigns", "percent"),
    "overlap_duplicate_rate": ("Their leads already known", "percent"),
    "duplicate_rate": ("Duplicates among the main campaigns' leads", "percent"),
    "deals_per_mql": ("Deals per MQL", "ratio"),
    "mismatch_share": ("Deals pitched off-message", "percent"),
    "win_rate_gap": ("Win-rate gap (points)", "points"),
    "average_deal": ("Average deal", "money"),
}


def inputs_table(inputs: dict[str, float], label: str = "Brightline before") -> present.Table:
    """The calculator's inputs with plain labels and formats."""
    fmt: dict[str, Callable[[float], str]] = {
        "number": present.number,
        "percent": present.percent,
        "money": present.money,
        "ratio": lambda v: present.number(v, 2),
        "points": lambda v: present.number(100 * v, 1),
    }
    rows = [{"input": INPUT_LABELS[k][0], "value": fmt[INPUT_LABELS[k][1]](v)} for k, v in inputs.items()]
    return present.table(pd.DataFrame(rows), labels={"input": "Input", "value": label})


def exercises(slug: str = "brightline") -> list[Exercise]:
    """Lesson 2's decision exercises; every expected answer is computed from the data."""
    costs = (
        brightline_costs("before") if slug == "brightline" else misalignment.phase_costs(load_company(slug), "before")
    )
    yearly = misalignment.yearly_costs(costs)[list(misalignment.COUNTED)]
    first = str(yearly.idxmax())
    spend = costs["spend"]
    why = tuple(
        (
            c,
            f"About {present.money(yearly[c])} a year: the largest counted line."
            if c == first
            else f"About {present.money(yearly[c])} a year, less than {first} ({present.money(yearly[first])}).",
        )
        for c in misalignment.COUNTED
    )
    return [
        Exercise(
            "2.1",
            "choice",
            "You can get one change agreed next month. Which line of the counted bill before the "
            "programme (Step 4) do you fight for first?",
            what="the line to fix first",
            options=tuple(misalignment.COUNTED),
            expected=first,
            why=why,
            minutes=2,
            hint="Compare the four counted lines of the bill before the programme.",
        ),
        Exercise(
            "2.2",
            "number",
            'Marketing wants to keep the extra campaigns because "they bring more leads". Before '
            "the programme, what share of the leads they brought were people Brightline already had? (Step 2)",
            what="the share of the overlap's leads already known",
            expected=spend["overlap_duplicate_rate"],
            share=True,
            tolerance=0.05,
            minutes=2,
            hint="Step 2's table: the overlapping campaigns' duplicates divided by their leads.",
            explain=f"{present.number(spend['overlap_duplicates'])} of {present.number(spend['overlap_leads'])} "
            "leads: that share of the overlap's spend bought nobody new.",
        ),
        Exercise(
            "2.3",
            "text",
            'A lead signed up through the "fewer no-shows" webinar. Write your first two sentences when you call.',
            what="an opening that starts from the campaign's promise",
            min_words=15,
            minutes=4,
            ideas=(
                Idea("the campaign's promise", ("shows", "webinar", "appointments", "missed")),
                Idea("a question about what they need", ("what", "how", "which", "tell")),
            ),
            hint="Open with the campaign's promise, then find out what they need.",
        ),
    ]


# make bench: one update of the calculator (one move of a slider)
BENCH = {"cost calculator update": lambda: calculator_html(**brightline_inputs("before"))}
