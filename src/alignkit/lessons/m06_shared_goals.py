"""Lesson 6, Shared goals: OKRs and the SLA: the SLA for Brightline, the exercises' checkers, the
quiz, the SLA calculator and OKR scorer for JupyterLab, and the chart with a revenue-goal slider."""

from __future__ import annotations

import html
import math

import altair as alt
import ipywidgets as w
import pandas as pd

from ..casedata.caching import cached
from ..casedata.dataset import load_company
from ..metrics import okr, sla
from ..ui import charts, present
from ..ui.exercises import Exercise, Feedback, Idea, check_number
from ..ui.exercises import multiple_choice as _mc
from . import m04_one_language as m04

# Management's goal for the next half-year: new annual contract value won per month, this much
# above the monthly average of the first half of 2026 (a decision, not a finding of the data).
GOAL_GROWTH = 0.15
GOAL_ROUNDING = 5_000
# Sales' side: the share of MQLs that must get a first touch within 24 hours (Brightline's agreement).
SALES_BAR = 0.9
# Marketing's quality side: the share of MQLs sales accepts, at least what lesson 4's definitions
# agreement asks of an MQL bar.
MIN_ACCEPTANCE = m04.MIN_ACCEPTANCE


@cached(maxsize=4)
def brightline_sla(slug: str = "brightline") -> dict:
    """The SLA computed backwards from the revenue goal with the rates of the funnel since the
    programme settled ('after' phase): rates, goal, plan and the monthly MQL target (rounded up)."""
    d = load_company(slug)
    after = d.leads[d.leads["phase"] == "after"]
    rates = sla.rates_from_data(after, d.opportunities)
    opps = d.opportunities
    start = after["inquiry_at"].min().to_period("M").start_time
    won = opps[(opps["outcome"] == "won") & (opps["closed_at"] >= start) & (opps["closed_at"] < d.data_end)]
    months = len(pd.period_range(start, d.data_end - pd.Timedelta(seconds=1), freq="M"))
    monthly_won = float(won["amount_usd"].sum()) / months
    goal = math.ceil(monthly_won * (1 + GOAL_GROWTH) / GOAL_ROUNDING) * GOAL_ROUNDING
    plan = sla.sla_from_goal(goal, rates["average_deal"], rates["lead_to_opportunity"], rates["opportunity_to_win"])
    return {
        "rates": rates,
        "monthly_won": monthly_won,
        "goal": goal,
        "plan": plan,
        "mql_target": sla.round_up(plan.leads_per_month),
        "months": months,
    }


def sla_agreed(slug: str = "brightline") -> str:
    """The month both teams signed the SLA ('YYYY-MM'): the programme's start in the case (1 October
    2025 for Brightline). From then sales owes the follow-up (SALES_BAR within 24 hours) and marketing
    the quality lesson 4 agreed (MIN_ACCEPTANCE of MQLs accepted). Nobody is judged on a month before."""
    start = load_company(slug).profile.programme_start
    if start is None:
        raise ValueError(f"{slug} has no alignment programme, so it never agreed an SLA.")
    return start[:7]


def target_from(slug: str = "brightline") -> str:
    """The first month of the half-year the MQL target of :func:`brightline_sla` is for ('YYYY-MM'):
    the month after the data ends. The target is computed from the first half of 2026, so no month of
    the data is judged against it."""
    return pd.Timestamp(load_company(slug).data_end).strftime("%Y-%m")


def compliance(slug: str = "brightline") -> pd.DataFrame:
    """Both sides of the SLA by month, each side judged only from the month it was agreed: sales'
    follow-up and marketing's quality from the signature, marketing's MQL target from its half-year."""
    d = load_company(slug)
    agreed = sla_agreed(slug)
    return sla.compliance_by_month(
        d.leads,
        d.touches,
        brightline_sla(slug)["mql_target"],
        d.data_end,
        hours=24,
        sales_bar=SALES_BAR,
        marketing_from=target_from(slug),
        sales_from=agreed,
        acceptance_bar=MIN_ACCEPTANCE,
        quality_from=agreed,
    )


# -- exercises -------------------------------------------------------------------------------------

PART_ADVICE = {
    "number": "a number to reach (for example '65 %' or '400 MQLs a month'): without it no one can score it",
    "baseline": "a baseline, where you start ('from 30 %'): the score is the distance covered from it",
    "deadline": "a deadline ('by the end of 2026Q2', 'by 30 June'): a key result is scored at a date",
    "owner": "an owner (a role, team or person, such as 'SDR team' or 'head of marketing'): someone is accountable",
}


def check_key_result(text, names=()) -> Feedback:
    """Tell a learner whether a key result they wrote is measurable (:func:`alignkit.metrics.okr.check_key_result`:
    a number, a baseline, a deadline and an owner). Never raises on a learner's answer."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return Feedback(
            "todo",
            "No key result yet.",
            [
                "Write one sentence, for example: 'Raise the share of MQLs "
                "that sales accepts from 30 % to 65 % by the end of 2026Q1 "
                "(owner: head of marketing).'"
            ],
        )
    if not isinstance(text, str):
        return Feedback("wrong", f"A key result is a sentence in quotes, not {type(text).__name__}.")
    found = okr.check_key_result(text, names)
    points = [f"Has {part}: '{words}'." for part, words in found.parts.items() if words]
    points += [f"Missing {PART_ADVICE[part]}." for part in found.missing]
    if found.vague:
        points.append(
            "Words like 'improve' or 'more' say the direction, not the size: that belongs in the "
            "objective; the key result says how much."
        )
    if found.measurable:
        return Feedback("ok", "Measurable: a number, a baseline, a deadline and an owner.", points)
    return Feedback("wrong", f"Not yet measurable: {len(found.missing)} of 4 parts missing.", points)


def check_objective_score(score) -> Feedback:
    """Exercise 6.2: the score of Brightline's shared objective in 2025Q4 (average of its key results)."""
    table = okr.objective_scores(load_company().okrs)
    expected = float(table.loc[table["quarter"] == "2025Q4", "score"].iloc[0])
    fb = check_number(
        score,
        expected,
        what="the objective's score in 2025Q4",
        tolerance=0.01,
        hint="Score each key result of 2025Q4 with (current − baseline) ÷ (target − baseline), "
        "clamp it to 0–1, then average the four scores.",
    )
    if fb.ok:
        scores = okr.score_okrs(load_company().okrs).query("quarter == '2025Q4'")["score"]
        fb.points.append(
            f"Grade: {okr.grade(expected)}. The lowest key result scored {scores.min():.1f} and pulled "
            "the average down."
        )
    return fb


def check_mql_target(mqls) -> Feedback:
    """Exercise 6.3: MQLs marketing owes per month for the revenue goal (rounded up)."""
    s = brightline_sla()
    return check_number(
        mqls,
        s["mql_target"],
        what="the MQLs marketing owes per month",
        tolerance=0.01,
        unit="MQLs",
        hint="Goal ÷ average deal = deals; ÷ opportunity→win = opportunities; ÷ MQL→opportunity = MQLs. Round up.",
    )


# -- quiz ------------------------------------------------------------------------------------------


def quiz() -> list[dict]:
    """Situations a seller or a marketer meets at an SLA or OKR review; the wrong answers are the
    beliefs people really hold. The last question brings back lesson 3's funnel."""
    d = load_company()
    scored = okr.score_okrs(d.okrs)
    last_q = str(scored["quarter"].max())
    c = compliance()
    agreed = sla_agreed()
    before = c.loc[c.index < agreed]
    after = c.loc[c.index >= "2026-01"]
    used_before = before["mqls"].mean() * before["accepted"].mean()
    used_after = after["mqls"].mean() * after["accepted"].mean()
    more_now = used_after > used_before
    s = brightline_sla()
    r = s["rates"]
    agreed_name = pd.Period(agreed, "M").strftime("%B %Y")
    return [
        _mc(
            f"Before the SLA, Brightline's marketing sent about {before['mqls'].mean():,.0f} MQLs a month and sales "
            f"accepted {before['accepted'].mean():.0%} of them; since January 2026 about {after['mqls'].mean():,.0f}, "
            f'with {after["accepted"].mean():.0%} accepted. A marketer says: "we were doing better before, we sent '
            'more leads". What do you answer?',
            [
                (
                    f"Count the leads sales could use: about {used_before:,.0f} accepted a month then, "
                    f"{used_after:,.0f} now",
                    True,
                    "Right: marketing's side of the SLA is quantity and quality (Roberge). "
                    + (
                        "Fewer MQLs, more of them worth a seller's time."
                        if more_now
                        else "Here the accepted volume fell too: that is the gap for the next SLA review."
                    ),
                ),
                (
                    "More MQLs is always better: it gives sellers more chances",
                    False,
                    "Only if sellers can work them and accept them. A rejected MQL costs a seller's time and the "
                    "lead's goodwill.",
                ),
                (
                    "Acceptance does not matter: sales rejects leads to protect its win rate",
                    False,
                    "Rejections are feedback marketing needs (lesson 4); the agreed definitions make them fair.",
                ),
            ],
        ),
        _mc(
            f"The SLA was signed in {agreed_name}. In the SLA review someone shows that marketing 'missed' the MQL "
            "target in the spring before. How should those months count?",
            [
                (
                    "Not at all: no target existed then; each side is judged from the month it agreed",
                    True,
                    "Right: judging a team against a promise it had not made yet teaches it to distrust the numbers.",
                ),
                (
                    "As misses: the target is the target",
                    False,
                    "A target is a promise with a start date. Before it, the months are history, useful as a baseline.",
                ),
                (
                    "As wins, because volume was high then",
                    False,
                    "Neither a win nor a miss: there was nothing to meet yet, and high volume with low acceptance is "
                    "not a kept promise anyway.",
                ),
            ],
        ),
        _mc(
            "Your team's key results have scored 1.0 two quarters running. Your manager wants to keep the same "
            'targets "because they work". What does Google\'s guidance on OKRs suggest?',
            [
                (
                    "Celebrate, then raise the aspirational targets until about 0.7 would be a real achievement",
                    True,
                    f"Right: always scoring 1.0 suggests the targets were too safe (Brightline's {last_q} scores are a "
                    "case in point).",
                ),
                (
                    "Keep them: a perfect score proves the team is performing",
                    False,
                    "It proves the targets were reachable. Aspirational key results are meant to land near 0.7.",
                ),
                (
                    "Lower the committed targets, so the team keeps its record",
                    False,
                    "Committed key results are expected to reach 1.0; lowering them only hides the question.",
                ),
            ],
        ),
        _mc(
            "Which of these can you score at the end of the quarter?",
            [
                (
                    "Raise the share of MQLs that sales accepts from 30 % to 50 % by 31 March "
                    "(owner: head of marketing)",
                    True,
                    "Right: a number, a baseline, a deadline and an owner.",
                ),
                (
                    "Improve lead quality",
                    False,
                    "A fine objective, but nobody can say at the end whether it happened: "
                    "no number, baseline, deadline or owner.",
                ),
                (
                    "Send sales as many leads as possible",
                    False,
                    "No number to reach, and 'as many as possible' is the belief the SLA replaces with a number the "
                    "revenue goal justifies.",
                ),
            ],
        ),
        _mc(
            f"Lesson 3's funnel, again: marketing owes {s['mql_target']:,} MQLs a month for the goal. Sellers start "
            f"turning more MQLs into opportunities (MQL→opportunity up from {r['lead_to_opportunity']:.0%}). What "
            "happens to the MQLs marketing owes for the same goal?",
            [
                (
                    "They fall: each rate in the chain divides the same sum",
                    True,
                    "Right: each rate in the chain belongs to one team, and every rate moves the same sum.",
                ),
                (
                    "Nothing: the MQL target is marketing's business",
                    False,
                    "The target is the goal divided by sales' rates too: better conversion needs fewer MQLs.",
                ),
                (
                    "They rise, because sales can now handle more leads",
                    False,
                    "Capacity is a separate question; the arithmetic of the SLA says fewer MQLs buy the same revenue.",
                ),
            ],
        ),
    ]


# -- interactive views -----------------------------------------------------------------------------


def sla_html(
    revenue_goal: float,
    average_deal: float,
    lead_to_opportunity: float,
    opportunity_to_win: float,
    marketing_share: float = 1.0,
    current_mqls: float | None = None,
) -> str:
    """What the SLA calculator shows: the plan's arithmetic and the gap to the MQLs marketing delivers now."""
    try:
        plan = sla.sla_from_goal(revenue_goal, average_deal, lead_to_opportunity, opportunity_to_win, marketing_share)
    except ValueError as err:
        return f"<p>{html.escape(str(err))}</p>"
    need = sla.round_up(plan.leads_per_month)
    rows = [
        ("Revenue goal per month", f"${revenue_goal:,.0f}"),
        ("Share expected from marketing's leads", f"{marketing_share:.0%}"),
        ("Deals needed (÷ average deal)", f"{plan.deals_needed:,.1f}"),
        ("Opportunities needed (÷ opportunity→win)", f"{plan.opportunities_needed:,.1f}"),
        ("MQLs needed per month (÷ MQL→opportunity)", f"{need:,}"),
    ]
    body = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>" for a, b in rows)
    gap = ""
    if current_mqls:
        gap = (
            f"<p>Marketing delivers about {current_mqls:,.0f} MQLs a month now: "
            + (
                "<strong>enough</strong>."
                if current_mqls >= need
                else f"<strong>{need - current_mqls:,.0f} short</strong>. Raise a rate or the "
                "volume, or lower the goal."
            )
            + "</p>"
        )
    return f"<table><tbody>{body}</tbody></table>{gap}"


def okr_score_html(baseline: float, target: float, current: float, kind: str = "aspirational") -> str:
    """What the OKR scorer shows: the score, its grade and whether it met what its kind expects."""
    score = okr.score_key_result(baseline, target, current)
    if math.isnan(score):
        return "<p>The target equals the baseline: there is no distance to score. Move the target.</p>"
    expected = okr.expected_score(kind)
    verdict = "met" if score >= expected - 1e-9 else "not met yet"
    return (
        f"<p>Score <strong>{score:.2f}</strong> ({okr.grade(score)}). A {kind} key result is expected to "
        f"reach {expected:.1f}: <strong>{verdict}</strong>.</p>"
    )


def sla_calculator(slug: str = "brightline") -> w.VBox:
    """Goal, deal size and rates in; MQLs needed per month out, against what marketing delivers now."""
    s = brightline_sla(slug)
    r = s["rates"]
    current = float(compliance(slug)["mqls"].iloc[-6:].mean())
    style = {"description_width": "initial"}
    goal = w.IntSlider(
        value=s["goal"],
        min=20_000,
        max=300_000,
        step=5_000,
        description="Revenue goal per month ($):",
        style=style,
        continuous_update=False,
    )
    deal = w.FloatText(value=round(r["average_deal"]), description="Average deal ($):", style=style)
    l2o = w.FloatSlider(
        value=round(r["lead_to_opportunity"], 3),
        min=0.01,
        max=1,
        step=0.005,
        description="MQL→opportunity:",
        style=style,
        readout_format=".1%",
        continuous_update=False,
    )
    o2w = w.FloatSlider(
        value=round(r["opportunity_to_win"], 3),
        min=0.01,
        max=1,
        step=0.005,
        description="Opportunity→win:",
        style=style,
        readout_format=".1%",
        continuous_update=False,
    )
    share = w.FloatSlider(
        value=1.0,
        min=0,
        max=1,
        step=0.05,
        description="Share from marketing:",
        style=style,
        readout_format=".0%",
        continuous_update=False,
    )
    out = w.HTML()

    def update(_=None):
        out.value = sla_html(goal.value, deal.value or 0, l2o.value, o2w.value, share.value, current)

    for control in (goal, deal, l2o, o2w, share):
        control.observe(update, names="value")
    update()
    return w.VBox([goal, deal, l2o, o2w, share, out])


def okr_scorer() -> w.VBox:
    """Baseline, target and current in; score, grade and verdict out."""
    style = {"description_width": "initial"}
    baseline = w.FloatText(value=0.303, description="Baseline:", style=style)
    target = w.FloatText(value=0.65, description="Target:", style=style)
    current = w.FloatText(value=0.55, description="Current:", style=style)
    kind = w.ToggleButtons(options=["committed", "aspirational"], value="aspirational", description="Kind:")
    out = w.HTML()

    def update(_=None):
        out.value = okr_score_html(baseline.value, target.value, current.value, kind.value)

    for control in (baseline, target, current, kind):
        control.observe(update, names="value")
    update()
    return w.VBox([baseline, target, current, kind, out])


def leads_needed_chart(slug: str = "brightline") -> charts.ChartView:
    """MQLs delivered per month, against the MQLs the SLA needs for a revenue goal picked on a slider;
    the arithmetic runs in the browser, so the chart answers with no kernel."""
    s = brightline_sla(slug)
    r = s["rates"]
    data = compliance(slug).reset_index()[["month", "mqls"]]
    data["average_deal"] = round(r["average_deal"], 2)
    data["rate"] = round(r["lead_to_opportunity"] * r["opportunity_to_win"], 5)
    goal = alt.param(
        name="revenue_goal",
        value=s["goal"],
        bind=alt.binding_range(min=20_000, max=300_000, step=5_000, name="Revenue goal per month ($): "),
    )
    base = (
        alt.Chart(data)
        .transform_calculate(needed="ceil(revenue_goal / datum.average_deal / datum.rate)")
        .transform_calculate(enough="datum.mqls >= datum.needed ? 'enough for the goal' : 'short of the goal'")
    )
    bars = (
        base.mark_bar()
        .encode(
            x=alt.X("month:O", title="Month of MQL"),
            y=alt.Y("mqls:Q", title="MQLs"),
            color=alt.Color(
                "enough:N",
                title="This month's MQLs",
                scale=alt.Scale(domain=["enough for the goal", "short of the goal"], range=["#1f5fa8", "#bfbfbf"]),
            ),
            tooltip=["month:O", alt.Tooltip("mqls:Q", title="MQLs"), alt.Tooltip("needed:Q", title="MQLs needed")],
        )
        .add_params(goal)
    )
    rule = base.mark_rule(color="#9a6324", strokeWidth=2).encode(y="max(needed):Q")
    chart = alt.layer(bars, rule, title="MQLs delivered per month and the MQLs the SLA needs").properties(
        width="container", height=260
    )
    return charts.show(
        chart,
        "Bar chart of Brightline's MQLs per month from January 2025 to June 2026, with a "
        "line at the MQLs per month the SLA needs for the revenue goal chosen on the "
        "slider, at the funnel's rates since the programme; bars that reach the line are "
        "blue.",
    )


# -- decision exercises (shown in the lesson; answered on the website and in JupyterLab) -----------

KEY_RESULT_CHOICES = (
    "Improve lead quality",
    "Raise the share of MQLs that sales accepts from 56 % to 70 % by 31 March 2026 (owner: head of marketing)",
    "Send sales as many leads as possible this quarter",
)


def exercises(slug: str = "brightline") -> list[Exercise]:
    """Lesson 6's decision exercises; every expected answer is computed from the data or by the
    package's own checkers."""
    s = brightline_sla(slug)
    r = s["rates"]
    better = min(round(r["opportunity_to_win"] + 0.05, 3), 1.0)
    fewer = sla.round_up(
        sla.sla_from_goal(s["goal"], r["average_deal"], r["lead_to_opportunity"], better).leads_per_month
    )
    measurable = [k for k in KEY_RESULT_CHOICES if check_key_result(k).ok]
    c = compliance(slug)
    agreed = sla_agreed(slug)
    # a month made of two real ones: the follow-up of the first month after the signature and the
    # acceptance of the months before it; the reader applies the agreement, no table gives it away
    within = float(c.loc[c.index >= agreed, "within_hours"].iloc[0])
    accepted = float(c.loc[c.index < agreed, "accepted"].mean())
    sides = {
        (True, True): "Both sides",
        (True, False): "Marketing only",
        (False, True): "Sales only",
        (False, False): "Neither side",
    }
    kept = sides[(accepted >= MIN_ACCEPTANCE, within >= SALES_BAR)]
    facts = (
        f"Sales touched {present.percent(within)} of the MQLs within 24 hours against the "
        f"{present.percent(SALES_BAR)} it promised; sales accepted {present.percent(accepted)} of "
        f"marketing's MQLs against the {present.percent(MIN_ACCEPTANCE)} marketing promised."
    )
    return [
        Exercise(
            "6.1",
            "choice",
            f"At a monthly SLA review, the numbers are in. {facts} Which side kept its promise?",
            what="the side that kept its promise",
            options=tuple(sides.values()),
            expected=kept,
            why=tuple((v, facts) for v in sides.values() if v != kept),
            explain="Judge each side against what it agreed, from the month it agreed it.",
            hint="Compare each side's number with what it promised.",
            minutes=2,
        ),
        Exercise(
            "6.2",
            "choice",
            "The heads of sales and marketing are writing next quarter's OKRs. Which of these "
            "key results can the two teams score at the end of the quarter?",
            what="the key result you can score",
            options=KEY_RESULT_CHOICES,
            expected=measurable[0],
            why=(
                (
                    KEY_RESULT_CHOICES[0],
                    "A fine objective, but nobody can say at the end whether it happened: "
                    "no number, baseline, deadline or owner.",
                ),
                (KEY_RESULT_CHOICES[1], "It has a number, a baseline, a deadline and an owner."),
                (
                    KEY_RESULT_CHOICES[2],
                    "'As many as possible' is no number, and it is the belief the SLA "
                    "replaces with a number the revenue goal justifies.",
                ),
            ),
            hint="Look for a number to reach, a baseline, a deadline and an owner.",
            minutes=2,
        ),
        Exercise(
            "6.3",
            "number",
            f"Marketing owes {present.number(s['mql_target'])} MQLs a month for a goal of "
            f"{present.money(s['goal'])} a month, with {present.percent(r['opportunity_to_win'], 1)} of "
            f"opportunities won. If sales lifts that rate to {present.percent(better, 1)}, how many MQLs a month "
            "does marketing owe for the same goal?",
            what="the MQLs marketing owes at the better win rate",
            expected=float(fewer),
            tolerance=0.01,
            unit="MQLs",
            hint="The MQLs needed scale with 1 ÷ the win rate: multiply the target by the old rate "
            "and divide by the new one.",
            explain="A better win rate on sales' side lowers what marketing must deliver: both teams move "
            "the same sum.",
            minutes=3,
        ),
        Exercise(
            "6.4",
            "text",
            "Write one key result for Brightline's next quarter, for either team, as one sentence.",
            what="a key result both teams can score",
            ideas=(
                Idea("a baseline (where you start: 'from …')", ("from", "baseline")),
                Idea("a deadline ('by …')", ("by", "before", "end of", "deadline")),
                Idea("an owner", ("owner", "head of", "team", "lead", "manager")),
            ),
            min_words=12,
            hint="For example: 'Cut … from … to … by … (owner: …)'.",
            minutes=4,
        ),
    ]


# -- tables for people (alignkit.ui.present) ----------------------------------------------------------


def _kr_value(value, unit: str) -> str:
    """A key result's value in its unit: hours as hours, shares as percentages."""
    if value != value:
        return present.MISSING
    return f"{present.number(value, 1)} hours" if unit == "hours" else present.percent(value)


def _kr_name(text: str) -> str:
    return str(text).split(":")[0]


def okr_table(okrs: pd.DataFrame, people: pd.DataFrame, quarter: str) -> present.Table:
    """One quarter's key results: what each measures, its kind, where it started, its target, what it
    reached and who owns it."""
    q = okrs[okrs["quarter"] == quarter].copy()
    for col in ("baseline", "target", "current"):
        q[col] = [_kr_value(v, u) for v, u in zip(q[col], q["unit"], strict=True)]
    q["key_result"] = q["key_result"].map(_kr_name)
    return present.table(
        q,
        formats={"owner_id": "person"},
        people=people,
        columns=["key_result", "kind", "baseline", "target", "current", "owner_id"],
        labels={
            "key_result": "Key result",
            "kind": "Kind",
            "baseline": "Started at",
            "target": "Target",
            "current": "Reached",
        },
    )


def scores_table(scored: pd.DataFrame) -> present.Table:
    """Every key result's score, grade, the score its kind expects and whether it met it."""
    s = scored.assign(key_result=scored["key_result"].map(_kr_name), met=scored["met"].map({True: "yes", False: "no"}))
    return present.table(
        s,
        formats={"score": lambda v: present.number(v, 2), "expected": lambda v: present.number(v, 1)},
        columns=["quarter", "key_result", "kind", "score", "grade", "expected", "met"],
        labels={
            "quarter": "Quarter",
            "key_result": "Key result",
            "kind": "Kind",
            "score": "Score",
            "grade": "Grade",
            "expected": "Expected for its kind",
            "met": "Met",
        },
    )


def objectives_table(objectives: pd.DataFrame) -> present.Table:
    """:func:`alignkit.metrics.okr.objective_scores` with plain headings: score, grade and key results met."""
    return present.table(
        objectives,
        formats={"score": lambda v: present.number(v, 2)},
        columns=["quarter", "key_results", "score", "grade", "met"],
        labels={
            "quarter": "Quarter",
            "key_results": "Key results",
            "score": "Objective's score",
            "grade": "Grade",
            "met": "Key results that met their kind's bar",
        },
    )


def sla_table(s: dict) -> present.Table:
    """The SLA's arithmetic, one line per step, from the revenue goal to the MQLs marketing owes."""
    r, plan = s["rates"], s["plan"]
    rows = [
        ("Revenue goal per month", present.money(s["goal"])),
        ("Average won deal", present.money(r["average_deal"])),
        ("Deals needed per month (goal ÷ average deal)", present.number(plan.deals_needed, 1)),
        ("Opportunities won (opportunity→win)", present.percent(r["opportunity_to_win"], 1)),
        ("Opportunities needed per month", present.number(plan.opportunities_needed, 1)),
        ("MQLs that become opportunities (MQL→opportunity)", present.percent(r["lead_to_opportunity"], 1)),
        ("MQLs marketing owes per month (rounded up)", present.number(s["mql_target"])),
    ]
    return present.table(pd.DataFrame(rows, columns=["step", "value"]), labels={"step": "Step", "value": "Value"})


def compliance_table(c: pd.DataFrame) -> present.Table:
    """The SLA month by month: each side kept, missed, or not yet agreed."""
    verdict = lambda v: "no SLA yet" if pd.isna(v) else ("kept" if v else "missed")  # noqa: E731
    t = c.reset_index().assign(
        quality_met=c["quality_met"].map(verdict).to_numpy(), sales_met=c["sales_met"].map(verdict).to_numpy()
    )
    return present.table(
        t,
        formats={"month": "month", "accepted": "percent", "within_hours": "percent"},
        columns=["month", "mqls", "accepted", "quality_met", "within_hours", "sales_met"],
        labels={
            "month": "Month",
            "mqls": "MQLs",
            "accepted": "Accepted by sales",
            "quality_met": "Marketing's side (quality)",
            "within_hours": "Touched within 24 h",
            "sales_met": "Sales' side",
        },
    )


def board_table(board: pd.DataFrame) -> present.Table:
    """The shared-wins board (:func:`alignkit.metrics.okr.shared_wins`) with short key-result names."""
    b = board.assign(key_result=board["key_result"].map(_kr_name))
    return present.table(
        b,
        formats={"score": lambda v: present.number(v, 1)},
        columns=["quarter", "moved by", "owner", "role", "key_result", "kind", "score"],
        labels={
            "quarter": "Quarter",
            "moved by": "Moved by",
            "owner": "Owner",
            "role": "Role",
            "key_result": "Key result",
            "kind": "Kind",
            "score": "Score",
        },
    )


def sellers_table(sellers: pd.DataFrame) -> present.Table:
    """The sellers' shout-outs (:func:`alignkit.metrics.okr.seller_shout_outs`) with plain headings."""
    return present.table(
        sellers,
        formats={"share in time": "percent"},
        columns=["name", "role", "office", "mqls touched in time", "share in time"],
        labels={
            "name": "Seller",
            "role": "Role",
            "office": "Office",
            "mqls touched in time": "MQLs touched within 24 h",
            "share in time": "Share in time",
        },
    )


def channels_table(channels: pd.DataFrame) -> present.Table:
    """The channels' shout-outs (:func:`alignkit.metrics.okr.channel_shout_outs`) with plain headings."""
    return present.table(
        channels,
        formats={"accepted": "percent"},
        labels={"channel": "Channel", "mqls": "MQLs", "accepted": "Accepted by sales"},
    )


# make bench: one update of each calculator in this lesson (the pure function behind it)
BENCH = {
    "SLA calculator update": lambda: sla_html(
        150_000,
        **{k: brightline_sla()["rates"][k] for k in ("average_deal", "lead_to_opportunity", "opportunity_to_win")},
        marketing_share=0.9,
        current_mqls=400,
    ),
    "OKR scorer update": lambda: okr_score_html(0.303, 0.65, 0.55, "aspirational"),
    "key-result checker": lambda: check_key_result(
        "Raise MQL acceptance from 30 % to 65 % by the end of 2026Q1 (owner: head of marketing)"
    ),
}
