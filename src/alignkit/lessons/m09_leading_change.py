"""Lesson 9, Leading change: the J-curve in the data, the change-curve simulator, the exercises
and the quiz."""

from __future__ import annotations

import json

import altair as alt
import ipywidgets as w
import pandas as pd

from ..casedata.caching import cached
from ..casedata.dataset import load_company
from ..metrics import change
from ..ui import charts, present
from ..ui.exercises import Exercise, Feedback, Idea, check_number, combine
from ..ui.exercises import multiple_choice as _mc

BASELINE_MONTHS = 6
COMMUNICATION = {"none": 0.0, "monthly": 1.0, "fortnightly": 2.0, "weekly": 4.0}
TRAINING_STEPS = tuple(range(0, 21, 4))  # hours of extra training per person, for the chart's slider
CURVE_MONTHS = 12
PHASE_COLOURS = charts.PHASE_COLOURS


def programme_start(slug: str = "brightline") -> str:
    """The day the company's alignment programme started, as 'YYYY-MM-DD' (ValueError when it has none)."""
    start = load_company(slug).profile.programme_start
    if start is None:
        raise ValueError(f"{slug} has no alignment programme, so there is no start date to compare against.")
    return start


@cached(maxsize=4)
def _monthly(slug: str) -> pd.DataFrame:
    d = load_company(slug)
    return change.monthly_metrics(d.leads, d.touches, d.opportunities, d.profile.first_month, d.profile.months)


def brightline_monthly(slug: str = "brightline") -> pd.DataFrame:
    """The monthly metrics of :func:`alignkit.metrics.change.monthly_metrics` over the company's months
    (computed once per company; a copy, so a learner can change it freely)."""
    return _monthly(slug).copy()


def brightline_dips(slug: str = "brightline") -> pd.DataFrame:
    """The dip in each monthly metric after the programme's start (:func:`alignkit.metrics.change.dip_table`)."""
    return change.dip_table(brightline_monthly(slug), programme_start(slug), BASELINE_MONTHS)


@cached(maxsize=4)
def _rates(slug: str) -> pd.DataFrame:
    d = load_company(slug)
    return change.monthly_rates(d.leads, d.opportunities, d.profile.first_month, d.profile.months)


def brightline_rates(slug: str = "brightline") -> pd.DataFrame:
    """The J-curve's rates by month (:func:`alignkit.metrics.change.monthly_rates`), a copy."""
    return _rates(slug).copy()


def rate_dips(slug: str = "brightline") -> pd.DataFrame:
    """The dip in each rate of :data:`alignkit.metrics.change.RATE_METRICS`: the J-curve, volume aside."""
    return change.dip_table(brightline_rates(slug), programme_start(slug), BASELINE_MONTHS, change.RATE_METRICS)


def volume_dips(slug: str = "brightline") -> pd.DataFrame:
    """The fall in each volume of :data:`alignkit.metrics.change.VOLUME_METRICS`: mostly planned, since the
    programme raised the MQL bar."""
    return change.dip_table(brightline_monthly(slug), programme_start(slug), BASELINE_MONTHS, change.VOLUME_METRICS)


def win_rate_dip(slug: str = "brightline") -> dict:
    """The dip in the share of closed deals won (exercise 9.1 and the model's starting point)."""
    return change.find_dip(brightline_rates(slug)["opportunity_to_won"], programme_start(slug), True, BASELINE_MONTHS)


# The chart's metrics: the two rates of the J-curve, and the response time that needed no learning.
CHART_METRICS = {**change.RATE_METRICS, "median_response_hours": change.METRICS["median_response_hours"]}


# --- the J-curve in the data (chart with one drop-down) ---------------------------------------------


def jcurve_chart(monthly: pd.DataFrame | None = None, start: str | None = None) -> charts.ChartView:
    """The J-curve's two rates and the response time, by month, each with its pre-programme average;
    a drop-down picks the metric. ``monthly`` needs the columns of :data:`CHART_METRICS`. Rates read
    as percentages and the response time in hours, on the axis and in the tooltips, as in the prose."""
    if monthly is None:
        monthly = brightline_rates().join(brightline_monthly()[["median_response_hours"]])
    start = start or programme_start()
    first = pd.Period(start, "M")
    hours_label = CHART_METRICS["median_response_hours"][0]

    def shown(column: str, value: float) -> str:
        return f"{value:,.1f} h" if column == "median_response_hours" else f"{value:.0%}"

    before = f"average of the {BASELINE_MONTHS} months before"
    rows = []
    for column, (label, higher) in CHART_METRICS.items():
        dip = change.find_dip(monthly[column], start, higher, BASELINE_MONTHS)
        for month, value in monthly[column].items():
            p = pd.Period(month, "M")
            phase = "before" if p < first else ("first quarter" if p < first + 3 else "after")
            rows.append(
                {
                    "metric": label,
                    "month": f"{month}-01",
                    "value": None if pd.isna(value) else round(float(value), 4),
                    "in the month": "no data" if pd.isna(value) else shown(column, float(value)),
                    "average before": round(dip["baseline"], 4),
                    before: shown(column, dip["baseline"]),
                    "phase": phase,
                }
            )
    data = pd.DataFrame(rows)
    span = " to ".join(pd.Period(m, "M").strftime("%B %Y") for m in (monthly.index.min(), monthly.index.max()))
    labels = [label for label, _ in CHART_METRICS.values()]
    pick = alt.param(name="pick_metric", value=labels[0], bind=alt.binding_select(options=labels, name="Metric: "))
    base = alt.Chart(data).transform_filter("datum.metric == pick_metric")
    x = alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=-40))
    # the axis speaks the picked metric's unit: a share in per cent, the response time in hours
    unit = f"pick_metric == {json.dumps(hours_label)} ? format(datum.value, ',.0f') + ' h' : format(datum.value, '.0%')"
    y = alt.Y("value:Q", title="Value in the month", axis=alt.Axis(labelExpr=unit))
    line = base.mark_line(color="#555").encode(x=x, y=y)
    points = base.mark_circle(size=60, opacity=1).encode(
        x=x,
        y="value:Q",
        color=alt.Color(
            "phase:N",
            title="Programme phase",
            sort=list(PHASE_COLOURS),
            scale=alt.Scale(domain=list(PHASE_COLOURS), range=list(PHASE_COLOURS.values())),
            legend=alt.Legend(orient="bottom"),  # beside the plot, it left a phone half the width
        ),
        tooltip=[
            alt.Tooltip("month:T", format="%B %Y"),
            "metric:N",
            "in the month:N",
            f"{before}:N",
        ],
    )
    rule = base.mark_rule(strokeDash=[4, 4], color="#9a6324").encode(y="mean(average before):Q")
    # the lines are named in the subtitle: a label inside the plot lay over the points of one metric or another
    marker = alt.Chart(pd.DataFrame({"start": [start]})).mark_rule(color="#777").encode(x="start:T")
    chart = (
        alt.layer(line, points, rule, marker)
        .add_params(pick)
        .properties(
            width="container",
            height=260,
            title=alt.TitleParams(
                "Brightline's numbers month by month, around the programme's start",
                subtitle=[
                    f"Grey line: the programme starts ({first.strftime('%B %Y')}).",
                    f"Dashed line: the {before}.",
                ],
            ),
        )
    )
    return charts.show(
        chart,
        f"Line chart of one of Brightline's numbers per month from {span}: the share of accepted "
        "leads qualified, the share of closed deals won, or the median hours from MQL to first touch. "
        f"The points are coloured by programme phase; a dashed line marks the {before} the programme, and "
        f"a grey line its start ({first.strftime('%B %Y')}). The drop-down picks the number.",
    )


# --- the change-curve simulator -------------------------------------------------------------------


def curves_for_chart(dip_depth: float, recovery_months: float) -> pd.DataFrame:
    """Precomputed curves for the chart: every training step × three communication rhythms."""
    frames = []
    for hours in TRAINING_STEPS:
        for rhythm in ("none", "monthly", "weekly"):
            curve = change.change_curve(
                CURVE_MONTHS, dip_depth, recovery_months, hours, COMMUNICATION[rhythm], steps_per_month=2
            )
            frames.append(curve[["month", "level"]].assign(training=hours, communication=rhythm))
    out = pd.concat(frames, ignore_index=True)
    out["level"] = out["level"].round(3)
    return out


def change_curve_chart(dip_depth: float, recovery_months: float) -> charts.ChartView:
    """The modelled curve with a slider for extra training hours; one line per communication rhythm."""
    data = curves_for_chart(dip_depth, recovery_months)
    pick = alt.param(
        name="pick_training",
        value=0,
        bind=alt.binding_range(
            min=TRAINING_STEPS[0],
            max=TRAINING_STEPS[-1],
            step=TRAINING_STEPS[1] - TRAINING_STEPS[0],
            name="Extra training, hours per person: ",
        ),
    )
    rhythm_order = ["none", "monthly", "weekly"]
    lines = (
        alt.Chart(data)
        .transform_filter("datum.training == pick_training")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:Q", title="Months since the change started"),
            y=alt.Y("level:Q", title="Performance (1 = before the change)", scale=alt.Scale(domain=[0.4, 1.3])),
            color=alt.Color(
                "communication:N",
                title="Leadership updates",
                sort=rhythm_order,
                scale=alt.Scale(domain=rhythm_order, range=["#bfbfbf", "#6a9fd4", "#1f5fa8"]),
            ),
            tooltip=["month:Q", "communication:N", "training:Q", alt.Tooltip("level:Q", format=".2f")],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"level": [1.0]}))
        .mark_rule(strokeDash=[4, 4], color="#9a6324")
        .encode(y=alt.Y("level:Q", scale=alt.Scale(domain=[0.4, 1.3])))
    )
    chart = (
        alt.layer(rule, lines)
        .add_params(pick)
        .properties(
            width="container",
            height=260,
            title="A model of the change curve: how training and communication change the dip",
        )
    )
    return charts.show(
        chart,
        "Line chart of a modelled change curve over twelve months, one line each for no, "
        "monthly and weekly leadership updates; the slider sets the extra hours of training "
        "per person and the dip becomes shallower and shorter as it grows.",
    )


def curve_svg(curve: pd.DataFrame, width: int = 420, height: int = 160) -> str:
    """A small inline SVG of a change curve (no plotting library needed in the widget)."""
    lo, hi = 0.3, 1.3
    xmax = float(curve["month"].max()) or 1.0

    def xy(m, v):
        return f"{m / xmax * (width - 20) + 10:.1f},{(hi - v) / (hi - lo) * (height - 20) + 10:.1f}"

    points = " ".join(xy(m, v) for m, v in zip(curve["month"], curve["level"], strict=True))
    base = (hi - 1.0) / (hi - lo) * (height - 20) + 10
    return (
        f'<svg width="{width}" height="{height}" role="img" aria-label="change curve">'
        f'<line x1="10" x2="{width - 10}" y1="{base:.1f}" y2="{base:.1f}" stroke="#9a6324" stroke-dasharray="4 4"/>'
        f'<text x="{width - 10}" y="{base - 4:.1f}" font-size="10" text-anchor="end" fill="#9a6324">'
        "before the change</text>"
        f'<text x="10" y="{height - 1}" font-size="10">month 0</text>'
        f'<text x="{width - 10}" y="{height - 1}" font-size="10" text-anchor="end">month {xmax:g}</text>'
        f'<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="{points}"/></svg>'
    )


def simulator_html(dip_depth: float, recovery_months: float, training: float, communication: str) -> str:
    """What the simulator shows: the curve, and the dip's depth, length and cost in months of output."""
    if communication not in COMMUNICATION:
        raise ValueError(f"communication is one of {', '.join(COMMUNICATION)}.")
    updates = COMMUNICATION[communication]
    curve = change.change_curve(CURVE_MONTHS, dip_depth, recovery_months, training, updates, steps_per_month=4)
    s = change.dip_summary(dip_depth, recovery_months, training, updates)
    s0 = change.dip_summary(dip_depth, recovery_months)
    return (
        f"{curve_svg(curve)}<p>Lowest point: <strong>{s['depth']:.0%}</strong> below normal after "
        f"{s['low_month']:.1f} months; back to normal after <strong>{s['recovery_month']:.1f}</strong> months. "
        f"Output lost: <strong>{s['months_lost']:.2f}</strong> months of normal output "
        f"(without extra support: {s0['months_lost']:.2f}).</p>"
        f"<p><em>An illustration, not a forecast: the effect sizes are assumptions.</em></p>"
    )


def change_simulator(dip_depth: float = 0.45, recovery_months: float = 3.0) -> w.VBox:
    """The change-curve simulator (JupyterLab): sliders for dip, recovery and training, buttons for updates."""
    depth = w.FloatSlider(
        value=round(dip_depth, 2),
        min=0.05,
        max=0.8,
        step=0.05,
        description="Dip depth:",
        readout_format=".0%",
        style={"description_width": "initial"},
    )
    months = w.FloatSlider(
        value=recovery_months,
        min=1,
        max=9,
        step=0.5,
        description="Recovery (months):",
        style={"description_width": "initial"},
    )
    training = w.IntSlider(
        value=0,
        min=0,
        max=24,
        step=2,
        description="Training (hours per person):",
        style={"description_width": "initial"},
    )
    talk = w.ToggleButtons(
        options=list(COMMUNICATION),
        value="none",
        description="Leadership updates:",
        style={"description_width": "initial"},
    )
    out = w.HTML()

    def update(_=None):
        out.value = simulator_html(depth.value, months.value, training.value, talk.value)

    for control in (depth, months, training, talk):
        control.observe(update, names="value")
    update()
    return w.VBox([depth, months, training, talk, out])


# --- exercise 9.1 (analyst): the dip in the win rate ------------------------------------------------


def check_win_rate_dip(low_month, depth) -> Feedback:
    """Exercise 9.1: the month the share of closed deals won hit bottom after the start, and how far
    below the average of the six months before the programme it fell."""
    dip = win_rate_dip()
    months = list(brightline_rates().index)
    if low_month is None or (isinstance(low_month, str) and not low_month.strip()):
        month_check = Feedback("todo", "No answer yet for the month of the low.", ["Write it as 'YYYY-MM'."])
    elif not isinstance(low_month, str) or low_month.strip() not in months:
        month_check = Feedback(
            "wrong",
            f"'{low_month}' is not a month of the data.",
            [f"Write a month between {months[0]} and {months[-1]} as 'YYYY-MM'."],
        )
    elif low_month.strip() == dip["low_month"]:
        month_check = Feedback("ok", f"Right: the win rate hit bottom in {dip['low_month']}.")
    else:
        month_check = Feedback(
            "wrong",
            f"Not {low_month}.",
            [
                "Group the won and lost deals by the month of closed_at, "
                "divide won by closed, and take the lowest month from "
                f"{programme_start()[:7]} on."
            ],
        )
    return combine(
        "The dip in the win rate",
        [
            month_check,
            check_number(
                depth,
                dip["depth"],
                what="how far below the average the win rate fell",
                as_share=True,
                tolerance=0.02,
                hint="Average the monthly win rates of the six months before the programme, "
                "then (average − low) ÷ average.",
            ),
        ],
    )


# --- exercise 9.2: the change communication plan -----------------------------------------------------


def check_plan(plan) -> Feedback:
    """Exercise 9.2: a change communication plan, as a dict of the parts in change.PLAN_PARTS."""
    title = "Your change communication plan"
    if plan is None or plan == {}:
        return Feedback(
            "todo",
            f"{title}: nothing written yet.",
            [f"Fill in {part}: {meaning}." for part, meaning in change.PLAN_PARTS.items()],
        )
    if not isinstance(plan, dict):
        return Feedback(
            "wrong", f"{title}: write a dict with the keys {', '.join(change.PLAN_PARTS)}, not {type(plan).__name__}."
        )
    review = change.review_plan(plan)
    required = list(change.PLAN_PARTS)
    if all(review[p][0] == "missing" for p in required) and "support" not in review:
        return Feedback(
            "todo",
            f"{title}: nothing written yet.",
            [f"Fill in {part}: {meaning}." for part, meaning in change.PLAN_PARTS.items()],
        )
    done = [p for p in required if review[p][0] == "ok"]
    points = [f"{part}: {status} — {note}" for part, (status, note) in review.items()]
    if "support" not in review:
        points.append("support (optional): say where people can get help with the stress of the change (C17).")
    status = "ok" if len(done) == len(required) else "wrong"
    return Feedback(status, f"{title}: {len(done)} of {len(required)} parts clear.", points)


# --- quiz -----------------------------------------------------------------------------------------


def quiz() -> list[dict]:
    """Situations people meet in the first months of a change; the wrong answers are the beliefs
    people really hold. The first question brings back lesson 4 (a higher MQL bar means fewer MQLs)."""
    volumes = volume_dips()
    mqls = volumes.loc[change.VOLUME_METRICS["mqls"][0]]
    win = win_rate_dip()
    low = pd.Period(win["low_month"], "M").strftime("%B %Y")
    back = pd.Period(win["recovered_month"], "M").strftime("%B %Y") if win["recovered_month"] else None
    return [
        _mc(
            f"In the programme's first month Brightline's MQLs fell {mqls['depth']:.0%} below the average of the six "
            "months before. A sales manager calls it proof that the programme is failing. What do you answer?",
            [
                (
                    "Most of that fall was planned: the programme raised the MQL bar (lesson 4); judge the change by "
                    "its rates, such as acceptance→qualification and the win rate",
                    True,
                    "Right: a higher bar sends fewer leads on purpose. The J-curve is in how well each step is done.",
                ),
                (
                    "More MQLs is always better, so the new bar was a mistake",
                    False,
                    "Volume that sales rejects costs sellers' time; lesson 4 chose the bar by trading volume against "
                    "acceptance and capacity.",
                ),
                (
                    "It is the dip Chan predicts, and it will pass on its own",
                    False,
                    "Part of it never 'passes': the lower volume is the new plan. Tell the planned fall from the "
                    "learning dip, or people will wait for MQLs that are not coming back.",
                ),
            ],
        ),
        _mc(
            f"The share of closed deals won fell to {win['low']:.0%} in {low}, against {win['baseline']:.0%} before. "
            "A seller wants to go back to the old way of working. What would a leader who has read Chan do?",
            [
                (
                    "Say in advance that a dip is expected, show an early win (faster follow-up), and give people "
                    "training and regular updates until the rate recovers",
                    True,
                    "Right: worse before better is expected; the leader's job is to shorten it and win the critics "
                    "over by showing value (Chan, interview with Laba, paragraphs 43–44)."
                    + (f" Here the win rate was back by {back}." if back else ""),
                ),
                (
                    "Go back: a falling rate proves the change was wrong",
                    False,
                    "A dip in the first months is what the Satir model and Chan (paragraph 43) both expect; judge the "
                    "change after the learning period, against a number agreed in advance.",
                ),
                (
                    "Say nothing and wait: talking about the dip makes it worse",
                    False,
                    "Silence is how a dip becomes protest; Chan's rule is regular, transparent communication "
                    "(paragraph 46).",
                ),
            ],
        ),
        _mc(
            "A change announcement says: 'From next quarter things will work differently, for everyone.' "
            "What does Chan's rule on communication say is missing?",
            [
                (
                    "What changes for each team, why, and what the result will be",
                    True,
                    "Right: regular, transparent communication says what, why and the expected result (paragraph 46).",
                ),
                ("Nothing: short messages are best", False, "Short is fine; vague is not."),
                (
                    "A longer list of everyone affected",
                    False,
                    "The people are named; the what, why and result are not.",
                ),
            ],
        ),
        _mc(
            "Your team has been trained on the new lead definitions but sellers still hesitate to reject MQLs. "
            "In Prosci's ADKAR model, what is most likely missing?",
            [
                (
                    "Desire or reinforcement: people can do it but do not yet want to, or are "
                    "not recognised when they do",
                    True,
                    "Right: training builds knowledge and ability; communication builds awareness and desire; "
                    "recognition reinforces.",
                ),
                (
                    "More training: every hesitation is a knowledge gap",
                    False,
                    "They were trained; more of the same rarely fixes a missing 'why'.",
                ),
                (
                    "Nothing: hesitation means the definitions are wrong",
                    False,
                    "It may; ask. But people who know how and still hesitate usually lack the "
                    "reason or the recognition.",
                ),
            ],
        ),
    ]


# -- decision exercises ----------------------------------------------------------------------------


def exercises(slug: str = "brightline") -> list[Exercise]:
    """Lesson 9's decision exercises: which number shows the learning dip, how long to tell people
    it lasts, and the announcement of a change. Expected answers come from the monthly data."""
    volumes, rates = volume_dips(slug), rate_dips(slug)
    mql_label = change.VOLUME_METRICS["mqls"][0]
    qual_label = change.RATE_METRICS["accepted_to_qualified"][0]
    resp_label = change.METRICS["median_response_hours"][0]
    resp = brightline_dips(slug).loc[resp_label]
    learning = qual_label if bool(rates.loc[qual_label, "dipped"]) else mql_label
    win = win_rate_dip(slug)
    back = win["months_to_recover"]
    return [
        Exercise(
            "9.1",
            "choice",
            "Three months into the programme, the sales manager asks which number to watch to "
            "know when the team has learned the new way of working. Which one?",
            what="the number that shows the learning",
            options=(mql_label, qual_label, resp_label),
            expected=learning,
            why=(
                (
                    mql_label,
                    f"MQLs fell {present.percent(volumes.loc[mql_label, 'depth'])} because the bar was "
                    "raised on purpose: a planned fall, not learning.",
                ),
                (
                    qual_label,
                    f"It fell from {present.percent(rates.loc[qual_label, 'baseline'])} to "
                    f"{present.percent(rates.loc[qual_label, 'low'])} while sellers learned to qualify "
                    "to the new definitions, then came back: that is the J-curve.",
                ),
                (
                    resp_label,
                    f"It improved at once (from {resp['baseline']:.0f} hours before the programme): "
                    "discipline, not learning.",
                ),
            ),
            hint="Pick a rate that does not depend on how many leads there are.",
            minutes=2,
        ),
        (
            Exercise(
                "9.2",
                "number",
                "Before the next programme, the head of sales wants to tell the team how long "
                "the dip may last. How many months after the start was the share of closed deals won back at its "
                "average of the six months before? Read it from the chart in Step 2.",
                what="the months until the win rate recovered",
                expected=float(back),
                tolerance=0.0,
                unit="months",
                hint="Pick the share of deals won in the chart and find the first month back at the dashed line.",
                explain="A number to give the team in advance, so a bad month is read as the plan.",
                minutes=3,
            )
            if back == back
            # the win rate has not recovered yet in the data: ask for the low instead
            else Exercise(
                "9.2",
                "number",
                "Before the next programme, the head of sales wants to tell the team when the "
                "worst month may come. How many months after the start did the share of closed deals won hit "
                "its lowest? Read it from the chart in Step 2.",
                what="the months until the low",
                expected=float(win["months_to_low"]),
                tolerance=0.0,
                unit="months",
                hint="Pick the share of deals won in the chart and find its lowest month.",
                minutes=3,
            )
        ),
        Exercise(
            "9.3",
            "text",
            "You are the head of sales. Write the announcement of the follow-up SLA to the sales "
            "team in three to five sentences: what changes, why, for whom, from when, and what result to "
            "expect.",
            what="the announcement",
            ideas=(
                Idea("what changes (the calls, the follow-up)", ("call", "touch", "follow", "mql", "lead")),
                Idea("why (the problem it solves)", ("because", "so that", "lost", "never", "wait", "reject")),
                Idea("for whom (the roles)", ("sdr", "seller", "rep", "account executive", "team")),
                Idea("from when (a date)", ("from", "starting", "monday", "october", "week")),
                Idea("the result to expect", ("target", "expect", "result", "goal", "reach")),
            ),
            min_words=35,
            hint="Chan's rule: say what changes for this team, why, and what the result will be.",
            minutes=8,
        ),
    ]


# -- tables for people (alignkit.ui.present) ----------------------------------------------------------


def monthly_table(monthly: pd.DataFrame) -> present.Table:
    """Brightline's months: counts, the month's win rate and the median hours to first touch."""
    return present.table(
        monthly,
        index="Month",
        formats={
            "month": "month",
            "win_rate": "percent",
            "median_response_hours": lambda v: f"{present.number(v, 1)} h",
        },
        labels={
            "mqls": "MQLs",
            "sqls": "SQLs",
            "opportunities": "Opportunities opened",
            "deals_won": "Deals won",
            "win_rate": "Win rate of deals closed",
            "median_response_hours": "Median time to first touch",
        },
    )


def dips_table(dips: pd.DataFrame, shares: bool) -> present.Table:
    """The dip of each metric: the average before, the lowest month and value, how far below the average
    and the month it was back (volumes as counts, rates as percentages)."""
    value = present.percent if shares else (lambda v: present.number(v, 0))
    t = dips.assign(
        recovered_month=dips["recovered_month"].map(lambda m: present.month(m) if isinstance(m, str) else "not yet")
    )
    return present.table(
        t,
        index="Metric",
        formats={"baseline": value, "low": value, "low_month": "month", "depth": "percent"},
        columns=["baseline", "low_month", "low", "depth", "recovered_month"],
        labels={
            "baseline": "Average of the 6 months before",
            "low_month": "Lowest month",
            "low": "Lowest value",
            "depth": "Below the average by",
            "recovered_month": "Back at the average",
        },
    )


def kotter_table(brightline_did: list[str]) -> present.Table:
    """Kotter's eight steps, each next to what Brightline did (``brightline_did``, in step order)."""
    t = pd.DataFrame(
        {"step": range(1, len(change.KOTTER_STEPS) + 1), "kotter": change.KOTTER_STEPS, "brightline": brightline_did}
    )
    return present.table(t, labels={"step": "Step", "kotter": "Kotter's step", "brightline": "At Brightline"})


def model_table(plain: dict, helped: dict, helped_label: str) -> present.Table:
    """Two :func:`alignkit.metrics.change.dip_summary` results side by side: the dip as it was and with help."""
    rows = pd.DataFrame({"as it happened": plain, helped_label: helped}).loc[
        ["depth", "low_month", "recovery_month", "months_lost"]
    ]
    rows.index = ["Depth of the dip", "Months to the low", "Months to recover", "Months of output lost"]
    fmt = lambda v: present.number(v, 2)  # noqa: E731
    out = rows.copy().astype(object)
    out.iloc[0] = [present.percent(v) for v in rows.iloc[0]]
    for i in range(1, 4):
        out.iloc[i] = [fmt(v) for v in rows.iloc[i]]
    return present.table(out, index="In the model")


def review_table(review: dict) -> present.Table:
    """:func:`alignkit.metrics.change.review_plan` as a table: each part of the plan, its status, what to do."""
    t = pd.DataFrame(
        [(part, status, note) for part, (status, note) in review.items()], columns=["part", "status", "note"]
    )
    return present.table(t, labels={"part": "Part", "status": "Status", "note": "What to do"})


# make bench: one update of each widget and calculator in this lesson (the pure function behind it)
BENCH = {
    "change-curve simulator update": lambda: simulator_html(0.45, 3.0, 8, "weekly"),
    "change plan checker": lambda: check_plan(
        {
            "what": "MQLs need a score of 55",
            "why": "Sales rejected most MQLs",
            "who": "SDRs and demand generation",
            "when": "1 October 2025",
            "result": "acceptance above 60% by January",
        }
    ),
}
