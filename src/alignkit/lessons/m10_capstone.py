"""Lesson 10, Capstone: Northfield. The learner diagnoses a company they have not seen, with the
tools of the earlier lessons, and answers with definitions, an SLA, an OKR and a cadence.

The diagnosis checker compares the learner's list with the problems Northfield was built with
(``alignkit.casedata.companies.NORTHFIELD.problems``, documented in data/README.md) and, for every item,
shows the evidence in Northfield's own numbers, so a learner who names a problem that is not
there learns why.
"""

from __future__ import annotations

import math

import altair as alt
import ipywidgets as w
import pandas as pd

from ..casedata.caching import cached
from ..casedata.dataset import load_company
from ..metrics import economics, funnel, lead_scores, misalignment, sla, timezones
from ..ui import present
from ..ui.charts import ChartView, show
from ..ui.exercises import Exercise, Feedback, check_choice, check_number, combine
from ..ui.exercises import multiple_choice as _mc
from . import m03_one_journey as m03
from . import m06_shared_goals as m06

SLUG = "northfield"
MIN_ACCEPTANCE = 0.5  # as in lesson 4: the acceptance a new MQL bar should keep
GOAL_GROWTH = 0.2  # the capstone's revenue goal: a fifth more new business a month than the last quarter
GOAL_ROUNDING = 5_000
MEETING_DATE = "2026-03-02"  # a Monday, for the cadence exercise

# Things a learner might suspect. The first four are Northfield's real problems (the profile's keys);
# the rest are problems Brightline had and Northfield does not.
DECOYS = ("duplicate leads", "leads never contacted", "sales rejects most MQLs")


def data():
    """Northfield's data (the capstone's company)."""
    return load_company(SLUG)


def candidates() -> list[str]:
    """The problems the learner chooses from: Northfield's real problems, then the decoys."""
    return [*data().profile.problems, *DECOYS]


@cached(maxsize=1)
def evidence() -> pd.DataFrame:
    """For every candidate problem, the measure that decides it, Northfield's value and Brightline's
    before and after the programme for comparison."""
    nf, bl = data(), load_company("brightline")
    before = bl.leads[bl.leads["phase"] == "before"]
    after = bl.leads[bl.leads["phase"] == "after"]

    def mql_share(leads):
        return funnel.conversion_rate(int(leads["mql_at"].notna().sum()), len(leads))

    def acceptance(leads):
        return funnel.conversion_rate(int(leads["sal_at"].notna().sum()), int(leads["mql_at"].notna().sum()))

    def leakage(d, leads):
        return funnel.response_summary(leads, d.touches, d.data_end)["leakage"]

    def slowest_region_ratio(d, leads):
        med = {
            r: funnel.response_summary(g, d.touches, d.data_end)["median_hours"]
            for r, g in leads.groupby("region", observed=True)
        }
        slowest = max(med, key=med.__getitem__)
        others = [v for r, v in med.items() if r != slowest]
        return med[slowest] / max(others)

    def duplicates(leads):
        return float(misalignment.is_duplicate(leads).mean())

    def mismatch_gap(d, leads):
        table = misalignment.win_rate_by_message(misalignment.message_match(leads, d.opportunities, d.campaigns))
        return float(table.loc["matched", "win_rate"] - table.loc["mismatched", "win_rate"])

    def cac_spread(d):
        first, last = d.leads["month"].min(), d.leads["month"].max()
        table = economics.channel_economics(d, first, last, people_cost="none")["media_cac"].dropna()
        return float(table.max() / table.drop(table.idxmax()).max())

    rows = [
        (
            "mql bar too high",
            "share of inquiries passed to sales as MQLs",
            mql_share(nf.leads),
            mql_share(before),
            mql_share(after),
        ),
        (
            "slow follow-up in APAC",
            "slowest region's median first touch ÷ the next slowest",
            slowest_region_ratio(nf, nf.leads),
            slowest_region_ratio(bl, before),
            slowest_region_ratio(bl, after),
        ),
        (
            "mixed messages",
            "win rate of matched pitches minus mismatched",
            mismatch_gap(nf, nf.leads),
            mismatch_gap(bl, before),
            mismatch_gap(bl, after),
        ),
        (
            "expensive channel",
            "media cost per customer: dearest channel ÷ next dearest",
            cac_spread(nf),
            math.nan,
            math.nan,
        ),
        (
            "duplicate leads",
            "share of leads that repeat a known contact",
            duplicates(nf.leads),
            duplicates(before),
            duplicates(after),
        ),
        (
            "leads never contacted",
            "share of MQLs never contacted",
            leakage(nf, nf.leads),
            leakage(bl, before),
            leakage(bl, after),
        ),
        (
            "sales rejects most MQLs",
            "share of MQLs sales accepts",
            acceptance(nf.leads),
            acceptance(before),
            acceptance(after),
        ),
    ]
    out = pd.DataFrame(
        rows, columns=["candidate", "measure", "Northfield", "Brightline before", "Brightline after"]
    ).set_index("candidate")
    return out


def check_diagnosis(problems) -> Feedback:
    """Exercise 10.1: which of the candidate problems does Northfield really have?"""
    options = candidates()
    if problems is None or (isinstance(problems, (list, tuple, set)) and not problems):
        return Feedback("todo", "No diagnosis yet.", [f"List the problems you found, from: {', '.join(options)}."])
    if isinstance(problems, str):
        problems = [problems]
    if not isinstance(problems, (list, tuple, set)) or not all(isinstance(p, str) for p in problems):
        return Feedback(
            "wrong",
            "The diagnosis should be a list of problem names in quotes.",
            [f'For example ["{options[0]}", "{options[-1]}"].'],
        )
    norm = {o.lower(): o for o in options}
    unknown = [p for p in problems if p.strip().lower() not in norm]
    if unknown:
        return Feedback(
            "wrong", f"Not among the candidates: {', '.join(unknown)}.", [f"Choose from: {', '.join(options)}."]
        )
    chosen = {norm[p.strip().lower()] for p in problems}
    real = set(data().profile.problems)
    ev = evidence()

    def shown(name):
        row = ev.loc[name]
        fmt = "{:.1f}×" if "÷" in row["measure"] else "{:.0%}"
        value = fmt.format(row["Northfield"])
        return f"{row['measure']}: {value} at Northfield"

    points = [f"Found: {p} ({shown(p)})." for p in sorted(chosen & real)]
    points += [f"Missed: {p}. Look again at the {shown(p).split(':')[0]}." for p in sorted(real - chosen)]
    points += [
        f"Not a problem here: {p} ({shown(p)}; compare Brightline before the programme)." for p in sorted(chosen - real)
    ]
    if chosen == real:
        return Feedback("ok", f"Right: you found all {len(real)} of Northfield's problems and nothing else.", points)
    extra = len(chosen - real)
    tail = f", and {extra} that {'is' if extra == 1 else 'are'} not there" if extra else ""
    return Feedback("wrong", f"{len(chosen & real)} of {len(real)} real problems found{tail}.", points)


# --- the answers: definitions, SLA, OKR, cadence ---------------------------------------------------


def sdr_count() -> int:
    """How many sales development reps Northfield has, from the people table."""
    return int((data().people["role"] == "sales development rep").sum())


def threshold_row(threshold: int) -> pd.Series:
    """A proposed MQL bar for Northfield: volume and capacity from Northfield's own leads,
    acceptance from Brightline before its programme, when sales saw leads of every score, because
    Northfield never passed leads below its bar and so cannot know how sales would take them."""
    nf = lead_scores.threshold_tradeoff(data().leads, [threshold], sdr_count(), touches=data().touches).iloc[0]
    bl = load_company("brightline")
    ref = lead_scores.threshold_tradeoff(
        bl.leads[bl.leads["phase"] == "before"], [threshold], 1, touches=bl.touches
    ).iloc[0]
    out = nf.copy()
    out["acceptance"] = ref["acceptance"]
    return out


def check_threshold(threshold) -> Feedback:
    """Exercise 10.2: a new MQL bar that sends sales more leads while staying within capacity
    and keeping acceptance (as a similar company saw it) at or above half."""
    current = int(data().profile.before.mql_threshold)
    if threshold is None:
        return Feedback("todo", "No MQL threshold yet.", [f"Northfield's bar is {current}; propose a whole score."])
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, (int, float))
        or threshold != int(threshold)
        or not 0 <= threshold <= 100
    ):
        return Feedback("wrong", "A threshold is a whole score from 0 to 100.")
    threshold = int(threshold)
    row = threshold_row(threshold)
    problems = lead_scores.threshold_verdict(row, MIN_ACCEPTANCE)
    if threshold >= current:
        problems.insert(
            0,
            f"{threshold} is not below today's bar of {current}: sales would get no more leads "
            "than it does now, and it has capacity to spare.",
        )
    facts = [
        f"At {threshold}: about {row['mqls_per_month']:,.0f} MQLs a month, {row['capacity_used']:.0%} of "
        f"the SDRs' capacity, acceptance about "
        f"{'unknown' if math.isnan(row['acceptance']) else format(row['acceptance'], '.0%')}."
    ]
    if problems:
        return Feedback("wrong", "This bar does not work yet.", [*problems, *facts])
    return Feedback(
        "ok",
        f"A workable bar: {threshold}.",
        [*facts, "Treat the acceptance as a forecast: pilot the new bar on one region for a month."],
    )


@cached(maxsize=1)
def sla_case() -> dict:
    """The capstone's SLA: Northfield's rates, its goal and the MQLs a month it needs."""
    d = data()
    rates = sla.rates_from_data(d.leads, d.opportunities)
    opps = d.opportunities
    last_q = (d.data_end - pd.Timedelta(days=1)).to_period("Q")
    won = opps[
        (opps["outcome"] == "won") & (opps["closed_at"] >= last_q.start_time) & (opps["closed_at"] <= last_q.end_time)
    ]
    monthly_won = float(won["amount_usd"].sum()) / 3
    goal = math.ceil(monthly_won * (1 + GOAL_GROWTH) / GOAL_ROUNDING) * GOAL_ROUNDING
    plan = sla.sla_from_goal(goal, rates["average_deal"], rates["lead_to_opportunity"], rates["opportunity_to_win"])
    return {
        "rates": rates,
        "monthly_won": monthly_won,
        "goal": goal,
        "plan": plan,
        "quarter": str(last_q),
        "mqls_now": float(d.leads["mql_at"].notna().sum()) / d.leads["month"].nunique(),
    }


def check_sla(mqls_per_month) -> Feedback:
    """Exercise 10.3: MQLs a month marketing owes sales for the goal (not rounded)."""
    return check_number(
        mqls_per_month,
        sla_case()["plan"].leads_per_month,
        what="the MQLs a month Northfield needs",
        tolerance=0.02,
        hint="goal ÷ average deal ÷ (lead→opportunity × opportunity→win), with the rates in sla_case()['rates'].",
    )


def check_key_result(text) -> Feedback:
    """Exercise 10.4: a measurable key result about the slow region."""
    base = m06.check_key_result(text, names=data().people["name"])
    if base.status == "todo" or not isinstance(text, str):
        return base
    about = any(w in text.lower() for w in ("apac", "sydney", "asia", "australia"))
    speed = any(w in text.lower() for w in ("hour", "response", "first touch", "contact", "call"))
    points = list(base.points)
    if not (about and speed):
        points.append("Make it about the problem you found: first-touch time for APAC leads.")
    ok = base.ok and about and speed
    return Feedback(
        "ok" if ok else "wrong",
        base.title if ok else "Not yet: " + base.title.split(": ", 1)[-1] if base.ok else base.title,
        points,
    )


def shared_hours(office_a: str = "London", office_b: str = "Sydney", date: str = MEETING_DATE) -> float:
    """The working hours two Northfield offices share on a date (exercise 10.5: London and Sydney)."""
    zones = timezones.office_zones(data().people)
    return float(timezones.overlap_hours({office_a: zones[office_a], office_b: zones[office_b]}, date)["hours"])


def check_cadence(hours, fair_choice) -> Feedback:
    """Exercise 10.5: the working hours London and Sydney share, and what a fair weekly review does."""
    options = ["always at 08:00 in London", "always at 09:00 in Sydney", "rotate the early and late slots"]
    return combine(
        "Cadence",
        [
            check_number(
                hours,
                shared_hours(),
                what="the hours London and Sydney share on that day",
                tolerance=0,
                hint="timezones.overlap_hours({...}, '2026-03-02')['hours']",
            ),
            check_choice(
                fair_choice,
                "rotate the early and late slots",
                what="a fair weekly review",
                options=options,
                why={
                    "rotate the early and late slots": "No hour suits both; rotating shares the cost.",
                    "always at 08:00 in London": "Then Sydney always joins in its evening.",
                    "always at 09:00 in Sydney": "Then London always joins in its night.",
                },
            ),
        ],
    )


# --- views -------------------------------------------------------------------------------------------

# The dashboard's lenses are the tables of Steps 1 to 5, formatted as there (rates as percentages, money
# with its currency): each gives a present.Table from Northfield's data.
LENSES = {
    "Funnel by channel": lambda d: m03.conversion_table(d.leads, "channel"),
    "Follow-up by region": lambda d: follow_up_view(follow_up_frame(d)),
    "Pitch and campaign message": lambda d: message_view(
        misalignment.win_rate_by_message(misalignment.message_match(d.leads, d.opportunities, d.campaigns))
    ),
    "Channel economics": lambda d: channels_view(
        economics.channel_economics(d, d.leads["month"].min(), d.leads["month"].max(), people_cost="none")
    ),
}


def lens_html(lens: str) -> str:
    """One lens on Northfield as an HTML table (what the diagnosis dashboard shows)."""
    if lens not in LENSES:
        raise ValueError(f"unknown lens '{lens}'; the lenses are {', '.join(LENSES)}.")
    return LENSES[lens](data())._repr_html_()


def diagnosis_dashboard() -> w.VBox:
    """The diagnosis dashboard (JupyterLab): a drop-down of lenses and the picked lens's table (:func:`lens_html`)."""
    pick = w.Dropdown(options=list(LENSES), description="Look at:", style={"description_width": "initial"})
    out = w.HTML(lens_html(pick.value))
    pick.observe(lambda change: setattr(out, "value", lens_html(change["new"])), names="value")
    return w.VBox([pick, out])


def response_chart() -> ChartView:
    """Median hours to a first touch by month, one line per region, with a drop-down to pick one."""
    d = data()
    rows = []
    for (month, region), g in d.leads.groupby(["month", "region"], observed=True):
        s = funnel.response_summary(g, d.touches, d.data_end, grace_days=0)
        rows.append({"month": month, "region": region, "median_hours": round(s["median_hours"], 2)})
    frame = pd.DataFrame(rows).dropna()
    pick = alt.param(
        name="pick_region",
        value="All regions",
        bind=alt.binding_select(options=["All regions", *sorted(frame.region.unique())], name="Region: "),
    )
    chart = (
        alt.Chart(frame, title="Northfield: median hours from MQL to a seller's first touch")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title="Month the lead arrived"),
            y=alt.Y("median_hours:Q", title="Median hours to first touch"),
            color=alt.Color("region:N", title="Region"),
            tooltip=["month:O", "region:N", "median_hours:Q"],
        )
        .add_params(pick)
        .transform_filter("pick_region == 'All regions' || datum.region == pick_region")
        .properties(width="container", height=260)
    )
    return show(
        chart,
        "Line chart of Northfield's median hours from MQL to first touch per month for "
        "each sales region; the drop-down shows one region at a time.",
    )


def quiz() -> list[dict]:
    """Judgement a revenue operations lead needs on any company, without giving away Northfield's
    answers (the exercises check those). The wrong answers are the beliefs people really hold; the
    questions bring back lessons 4, 5 and 6."""
    return [
        _mc(
            "A colleague's diagnosis of a company new to you lists every problem Brightline had before its "
            "programme. What is wrong with that method?",
            [
                (
                    "A problem counts only when the company's own numbers show it against a comparison; some familiar "
                    "problems are not there at all",
                    True,
                    "Right: back each finding with a number and a yardstick (another company, the months before, the "
                    "other regions). Listing everything also buries the problems that are real.",
                ),
                (
                    "Nothing: companies in the same market share the same problems",
                    False,
                    "Markets differ less than teams do; the same symptom can have different causes, or be absent.",
                ),
                (
                    "It should list even more, to be safe",
                    False,
                    "A long list spreads both teams' effort thin; a short list backed by numbers gets fixed.",
                ),
            ],
        ),
        _mc(
            'Your head of sales asks: "if we lower the MQL bar, will my team accept those extra leads?" The '
            "company has never passed leads below the bar to sales. What is an honest answer?",
            [
                (
                    "Our data cannot say, because no seller ever saw those leads; a similar company's experience gives "
                    "a forecast, and a one-month pilot with a number to check gives the answer",
                    True,
                    "Right: say what the data can and cannot show, then design the test.",
                ),
                (
                    "Yes: acceptance will stay where it is today",
                    False,
                    "Today's acceptance is for leads above the bar; leads below it may differ. "
                    "Extrapolating hides that.",
                ),
                (
                    "No: a lower score always means a worse lead",
                    False,
                    "A score ranks leads; it does not say where sales stops wanting them. "
                    "That is what the pilot finds.",
                ),
            ],
        ),
        _mc(
            'A marketer proposes to double the MQLs "so sales closes twice as many deals". What do you check '
            "first (lesson 4)?",
            [
                (
                    "Whether sellers have the capacity to work the extra MQLs, and whether they would accept them",
                    True,
                    "Right: past capacity, extra MQLs wait or go unworked; below the acceptance the teams agreed, they "
                    "cost sellers' time.",
                ),
                (
                    "Nothing: more leads is always better",
                    False,
                    "More leads help only when someone can work them and they are worth working.",
                ),
                ("Only the cost per lead", False, "Cost matters, but a cheap lead nobody calls is still wasted."),
            ],
        ),
        _mc(
            "Your draft SLA states the MQLs marketing owes each month. The head of sales signs it at once. What "
            "is missing (lesson 6)?",
            [
                (
                    "Sales' side: how fast and how often sellers work each MQL, for example a first touch within 24 "
                    "hours and five attempts in two weeks",
                    True,
                    "Right: Roberge's SLA has two sides; marketing's is quantity and quality, sales' is speed and "
                    "persistence.",
                ),
                (
                    "Nothing: the SLA is marketing's promise to sales",
                    False,
                    "An SLA with one side is a target for one team, not an agreement between two.",
                ),
                (
                    "A bigger MQL number, for safety",
                    False,
                    "The number follows from the revenue goal and the rates; padding it makes "
                    "marketing miss on purpose.",
                ),
            ],
        ),
        _mc(
            "One channel has the lowest cost per lead. A manager wants to move its neighbours' budget into it. "
            "What do you check first (lesson 5)?",
            [
                (
                    "What a customer from it costs and is worth: cheap leads that rarely buy can make the dearest "
                    "customers",
                    True,
                    "Right: compare channels by cost per customer and customer value, not cost per lead.",
                ),
                (
                    "Nothing: the lowest cost per lead is the best channel",
                    False,
                    "Cost per lead ignores how many of those leads become customers, and what they are worth.",
                ),
                (
                    "Only how many leads it brings",
                    False,
                    "Volume is one line of the picture; conversion and value are the rest.",
                ),
            ],
        ),
    ]


def _lens_update() -> str:
    return lens_html("Channel economics")


# -- decision exercises ----------------------------------------------------------------------------


def exercises() -> list[Exercise]:
    """The capstone's decisions, each computed from Northfield's own data: what to say about the MQL
    bar, which region and which channel to raise first, whether leads leak, and the SLA's MQLs."""
    ev = evidence()
    nf = data()
    acceptance = float(ev.loc["sales rejects most MQLs", "Northfield"])
    used = float(threshold_row(nf.profile.before.mql_threshold)["capacity_used"])
    high, right, low = (
        "Too high: sales could take more leads",
        "About right",
        "Too low: marketing sends too many poor leads",
    )
    problems = nf.profile.problems  # what Northfield was built with (data/README.md), as the diagnosis checker uses
    bar = high if "mql bar too high" in problems else (low if "sales rejects most MQLs" in problems else right)
    bar_facts = (
        f"Sales accepts {present.percent(acceptance)} of Northfield's MQLs, and the reps use "
        f"{present.percent(used)} of their capacity (at our assumed 100 MQLs per rep a month)."
    )
    medians = {
        str(r): funnel.response_summary(g, nf.touches, nf.data_end)["median_hours"]
        for r, g in nf.leads.groupby("region", observed=True)
    }
    slowest = max(medians, key=medians.__getitem__)
    region_facts = (
        "Median hours from MQL to first touch: "
        + ", ".join(f"{r} {h:.1f}" for r, h in sorted(medians.items(), key=lambda kv: -kv[1]))
        + "."
    )
    first, last = nf.leads["month"].min(), nf.leads["month"].max()
    cac = economics.channel_economics(nf, first, last, people_cost="none")["media_cac"].dropna()
    dearest = str(cac.idxmax())
    channel_facts = (
        "Media cost per new customer: "
        + ", ".join(f"{c} {present.money(v)}" for c, v in cac.sort_values(ascending=False).items())
        + "."
    )
    leak_nf = float(ev.loc["leads never contacted", "Northfield"])
    leak_bl = float(ev.loc["leads never contacted", "Brightline before"])
    yes, no = "Yes: about as many as Brightline before its programme", "No: far fewer than Brightline did"
    leaks = yes if "leads never contacted" in problems else no
    leak_facts = (
        f"Northfield never contacted {present.percent(leak_nf)} of its MQLs; Brightline, before its "
        f"programme, {present.percent(leak_bl)}."
    )
    case = sla_case()
    return [
        Exercise(
            "10.1",
            "choice",
            "Northfield's heads ask what you make of the MQL bar. What do you tell them?",
            what="what you say about the bar",
            options=(high, right, low),
            expected=bar,
            why=tuple((o, bar_facts) for o in (high, right, low)),
            hint="Look at acceptance and capacity together (Steps 1 and 2).",
            minutes=3,
        ),
        Exercise(
            "10.2",
            "choice",
            "Which sales region's follow-up do you raise first?",
            what="the region to raise first",
            options=tuple(sorted(medians)),
            expected=slowest,
            why=tuple((r, region_facts) for r in sorted(medians)),
            hint="Compare the median hours from MQL to first touch by region (Step 3).",
            minutes=2,
        ),
        Exercise(
            "10.3",
            "choice",
            "In the budget review, which channel do you question first?",
            what="the channel to question first",
            options=tuple(sorted(cac.index.astype(str))),
            expected=dearest,
            why=tuple((c, channel_facts) for c in sorted(cac.index.astype(str))),
            hint="Compare what a customer costs, not what a lead costs (Step 5).",
            minutes=2,
        ),
        Exercise(
            "10.4",
            "choice",
            "Brightline lost many MQLs that nobody ever called. Does Northfield?",
            what="whether Northfield's leads leak",
            options=(yes, no),
            expected=leaks,
            why=((yes, leak_facts), (no, leak_facts)),
            hint="Compare the share of MQLs never contacted with Brightline's before its programme.",
            minutes=2,
        ),
        Exercise(
            "10.5",
            "number",
            f"Northfield's goal is {present.money(case['goal'])} of new annual contract "
            "value a month. With Northfield's average deal and two rates in the table above, how many MQLs a "
            "month does marketing owe sales?",
            what="the MQLs marketing owes a month",
            expected=float(sla.round_up(case["plan"].leads_per_month)),
            tolerance=0.02,
            unit="MQLs",
            hint="Goal ÷ average deal = deals; ÷ opportunity→win = opportunities; ÷ MQL→opportunity = MQLs. Round up.",
            minutes=4,
        ),
    ]


# -- tables for people (alignkit.ui.present) ----------------------------------------------------------


def funnel_view(leads: pd.DataFrame) -> present.Table:
    """Northfield's funnel in one row: leads at each stage and the three rates that matter first."""
    t = funnel.funnel_counts(leads).join(funnel.stage_conversion(leads)[["inquiry→mql", "mql→sal", "inquiry→won"]])
    return present.table(
        t,
        formats={"inquiry→mql": "percent", "mql→sal": "percent", "inquiry→won": lambda v: present.percent(v, 1)},
        columns=["inquiry", "mql", "sal", "sql", "opportunity", "won", "inquiry→mql", "mql→sal", "inquiry→won"],
        labels={
            "inquiry": "Inquiries",
            "mql": "MQLs",
            "sal": "Accepted (SAL)",
            "sql": "SQLs",
            "opportunity": "Opportunities",
            "won": "Won",
            "inquiry→mql": "Inquiries that became MQLs",
            "mql→sal": "MQLs sales accepted",
            "inquiry→won": "Inquiries that became customers",
        },
    )


def capacity_view(row, bar: int) -> present.Table:
    """An MQL bar's MQLs a month against the reps' capacity (``row`` from :func:`threshold_row`)."""
    t = pd.DataFrame(
        [{"bar": bar, "mqls": row["mqls_per_month"], "capacity": row["capacity"], "used": row["capacity_used"]}]
    )
    return present.table(
        t,
        formats={"mqls": lambda v: present.number(v, 0), "capacity": lambda v: present.number(v, 0), "used": "percent"},
        labels={
            "bar": "MQL bar (lead score)",
            "mqls": "MQLs a month",
            "capacity": "Reps' capacity a month (our assumption: 100 each)",
            "used": "Capacity used",
        },
    )


def follow_up_frame(nf) -> pd.DataFrame:
    """Follow-up by sales region: MQLs, median hours to first touch, share within 24 hours, leakage."""
    return pd.DataFrame(
        {
            region: funnel.response_summary(group, nf.touches, nf.data_end)
            for region, group in nf.leads.groupby("region", observed=True)
        }
    ).T


def follow_up_view(t: pd.DataFrame) -> present.Table:
    """:func:`follow_up_frame` as people read it, one row per region."""
    return present.table(
        t,
        index="Region",
        formats={
            "mqls": lambda v: present.number(v, 0),
            "median_hours": lambda v: f"{present.number(v, 1)} h",
            "within_24h": "percent",
            "leakage": "percent",
        },
        columns=["mqls", "median_hours", "within_24h", "leakage"],
        labels={
            "mqls": "MQLs",
            "median_hours": "Median time to first touch",
            "within_24h": "Touched within 24 h",
            "leakage": "Never contacted",
        },
    )


def message_view(table: pd.DataFrame) -> present.Table:
    """:func:`alignkit.metrics.misalignment.win_rate_by_message` with plain headings."""
    return present.table(
        table,
        index="Pitch",
        formats={"win_rate": "percent"},
        labels={"deals": "Deals", "closed": "Closed", "won": "Won", "win_rate": "Win rate"},
    )


def channels_view(channels: pd.DataFrame) -> present.Table:
    """Each channel's leads, media spend and costs (:func:`alignkit.metrics.economics.channel_economics`)."""
    return present.table(
        channels,
        index="Channel",
        formats={"media_spend": "money", "cost_per_lead": "money", "media_cac": "money"},
        columns=["leads", "media_spend", "cost_per_lead", "new_customers", "media_cac"],
        labels={
            "leads": "Leads",
            "media_spend": "Media spend",
            "cost_per_lead": "Cost per lead",
            "new_customers": "New customers",
            "media_cac": "Media cost per customer",
        },
    )


def sla_inputs_view(case: dict) -> present.Table:
    """The SLA's inputs from :func:`sla_case`: the goal, the rates and today's MQLs, one line each."""
    r = case["rates"]
    rows = [
        ("Revenue goal per month", present.money(case["goal"])),
        ("Average won deal", present.money(r["average_deal"])),
        ("MQLs that become opportunities (MQL→opportunity)", present.percent(r["lead_to_opportunity"], 1)),
        ("Opportunities won (opportunity→win)", present.percent(r["opportunity_to_win"], 1)),
        ("MQLs a month today", present.number(case["mqls_now"])),
    ]
    return present.table(pd.DataFrame(rows, columns=["what", "value"]), labels={"what": "", "value": "Value"})


# make bench: one update of each widget in this lesson (the pure function behind it)
BENCH = {"diagnosis dashboard update": _lens_update}
