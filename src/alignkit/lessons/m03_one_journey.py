"""Lesson 3, One journey, shared metrics: the two exercises and the quiz."""

from __future__ import annotations

import pandas as pd

from ..casedata.dataset import load_company
from ..metrics import funnel
from ..ui import present, widgets
from ..ui.exercises import Exercise, Feedback, Idea, check_choice, check_number, combine
from ..ui.exercises import multiple_choice as _mc


def check_biggest_drop(step, owner) -> Feedback:
    """Analyst extension 3.A: before the programme, the step that lost the most leads, and who owns it."""
    leads = load_company().leads
    before = leads[leads["phase"] == "before"]
    right_step = funnel.biggest_drop(before)
    steps = [f"{a}→{b}" for a, b in zip(funnel.STAGES[:-1], funnel.STAGES[1:], strict=True)]
    right_owner = funnel.STAGE_OWNER[right_step.split("→")[1]]
    owners = sorted(set(funnel.STAGE_OWNER.values()))
    step_check = check_choice(
        step,
        right_step,
        what="the step that lost the most leads",
        options=steps,
        why={
            right_step: "leads_lost(before) shows it: most MQLs were never accepted.",
            "inquiry→mql": "Most inquiries became MQLs before the programme: the bar was low.",
            "opportunity→won": "Its rate is low, but few leads get that far: count the leads lost.",
        },
    )
    owner_check = check_choice(
        owner,
        right_owner,
        what="who owns moving a lead into that stage",
        options=owners,
        why={right_owner: "Accepting a lead is the hand-shake: marketing sends, sales accepts."},
    )
    return combine("Biggest drop", [step_check, owner_check])


def check_leads_lost(count) -> Feedback:
    """Analyst extension 3.A: how many leads that arrived before the programme reached the stage
    before the biggest drop and not the one after it (the step exercise 3.1 names)."""
    before = load_company().leads
    before = before[before["phase"] == "before"]
    step = funnel.biggest_drop(before)
    a, b = step.split("→")
    return check_number(
        count,
        int(funnel.leads_lost(before)[step]),
        what=f"the leads lost at {step} before the programme",
        tolerance=0,
        hint=f"Among the leads of phase 'before', count those with a {funnel.stage_column(a)} "
        f"and no {funnel.stage_column(b)}.",
    )


def referral_win_rate_after(slug: str = "brightline") -> float:
    """The share of referral inquiries after the programme that became customers: extension 3.B's answer."""
    leads = load_company(slug).leads
    after = leads[(leads["phase"] == "after") & (leads["channel"] == "referrals")]
    return float(funnel.stage_conversion(after)["inquiry→won"].iloc[0])


def check_referral_rate(rate) -> Feedback:
    """Analyst extension 3.B: the share of referral inquiries after the programme that became customers."""
    return check_number(
        rate,
        referral_win_rate_after(),
        what="the referral inquiry→won rate after the programme",
        as_share=True,
        tolerance=0.01,
        hint="Filter leads to phase 'after' and channel 'referrals', then divide the leads "
        "with a won_at by all of them.",
    )


def quiz() -> list[dict]:
    """Situations a seller or a marketer meets; the wrong answers are beliefs people really hold.
    Question 3 brings back lesson 1's two clocks."""
    leads = load_company().leads
    before = leads[leads["phase"] == "before"]
    rates = funnel.stage_conversion(before)
    by_channel = funnel.stage_conversion(leads, "channel")["inquiry→won"]
    volume = leads["channel"].value_counts()
    biggest, best = str(volume.idxmax()), str(by_channel.idxmax())
    return [
        _mc(
            f"Before the programme sales accepted only {rates['mql→sal'].iloc[0]:.0%} of MQLs, while marketing "
            "reported that it hit its MQL target every month. Whose problem is the MQL→SAL step?",
            [
                (
                    "Both teams': marketing decides what to send, sales decides what to accept, and the customer falls "
                    "between them",
                    True,
                    "Right: the SAL is the hand-shake, the one step the two teams own together.",
                ),
                (
                    "Marketing's: it sends junk",
                    False,
                    "Some MQLs were weak, but sellers also never called many of them: both sides of the step leaked.",
                ),
                (
                    "Sales': a seller should work every MQL marketing sends",
                    False,
                    "Sellers have limited hours; a bar both teams agree on (lesson 4) decides what is worth them.",
                ),
            ],
        ),
        _mc(
            f"{biggest.capitalize()} brings the most inquiries. A colleague proposes moving budget to it "
            '"to fill the funnel". What do you check first?',
            [
                (
                    f"What share of each channel's inquiries became customers: {biggest} turns "
                    f"{by_channel[biggest]:.1%} of them into customers, {best} {by_channel[best]:.1%}",
                    True,
                    "Right: volume is not value; follow the channel to the end of the funnel.",
                ),
                (
                    "Nothing: more inquiries always means more customers",
                    False,
                    "Only if they convert: more leads that sellers reject cost money and trust.",
                ),
                (
                    "Which channel has the cheapest inquiry",
                    False,
                    "The cheapest inquiry is often the dearest customer (lesson 5 prices it).",
                ),
            ],
        ),
        _mc(
            "You changed the MQL definition on 1 October and want to know, in January, whether sales accepts more "
            "of what marketing sends. Which number do you look at?",
            [
                (
                    "Of the MQLs that arrived after 1 October, the share sales accepted (a cohort, followed to today)",
                    True,
                    "Right: the cohort clock of marketing's report in lesson 1 follows the same people through.",
                ),
                (
                    "All leads sales accepted in December, whenever they arrived",
                    False,
                    "That mixes in leads from before the change: sales' clock in lesson 1, the "
                    "wrong one for this question.",
                ),
                ("The number of MQLs in the quarter", False, "Volume says nothing about whether sales accepts them."),
            ],
        ),
        _mc(
            'A seller says: "I call my MQLs within two days; that is fast enough." What does the HBR study of '
            "web leads (Oldroyd and others, 2011) report?",
            [
                (
                    "Firms that tried within an hour were nearly 7 times as likely to qualify a lead as firms that "
                    "tried an hour later, and over 60 times as likely as firms that waited 24 hours or more",
                    True,
                    "Right: those are the study's figures, comparing firms, so they show an association.",
                ),
                (
                    "After the first hour it makes no difference when you call",
                    False,
                    "The study found the odds kept falling: waiting a day or more was far worse than an hour later.",
                ),
                (
                    "Speed matters only for consumer products, not for business buyers",
                    False,
                    "The study sent web inquiries to business firms; Brightline's own MQLs show the same direction.",
                ),
            ],
        ),
    ]


# --- tables as people read them (the lesson's visible cells) -------------------------------------


def stages_table() -> present.Table:
    """The stages of the demand waterfall, the column of ``leads`` that records each, and its owner."""
    rows = [
        {"stage": funnel.STAGE_NAMES[s], "column": funnel.stage_column(s), "owner": funnel.STAGE_OWNER[s]}
        for s in funnel.STAGES
    ]
    return present.table(
        pd.DataFrame(rows), labels={"stage": "Stage", "column": "Column in leads", "owner": "Who moves a lead into it"}
    )


def counts_table(leads: pd.DataFrame) -> present.Table:
    """How many leads reached each stage (:func:`alignkit.metrics.funnel.funnel_counts`), one row per stage."""
    counts = funnel.funnel_counts(leads).iloc[0]
    frame = pd.DataFrame(
        {"stage": [funnel.STAGE_NAMES[s] for s in funnel.STAGES], "leads": [int(counts[s]) for s in funnel.STAGES]}
    )
    return present.table(frame, labels={"stage": "Stage", "leads": "Leads that reached it"})


def conversion_table(leads: pd.DataFrame, by: str = "phase") -> present.Table:
    """Conversion of each step (:func:`alignkit.metrics.funnel.stage_conversion`), one column per group."""
    rates = funnel.stage_conversion(leads, by).T
    rates.columns = [str(c) for c in rates.columns]
    rates.index.name = "step"
    return present.table(
        rates,
        index="Step",
        formats={c: "percent" for c in rates.columns},
        labels={c: c.capitalize() for c in rates.columns},
    )


def channel_funnel_table(leads: pd.DataFrame) -> present.Table:
    """Each channel's leads at every stage and the share of its inquiries that became customers,
    largest channel first."""
    by = funnel.funnel_counts(leads, "channel").join(funnel.stage_conversion(leads, "channel")[["inquiry→won"]])
    by = by.sort_values("inquiry", ascending=False)
    return present.table(
        by,
        index="Channel",
        formats={"inquiry→won": "percent"},
        labels={**{s: funnel.STAGE_NAMES[s] for s in funnel.STAGES}, "inquiry→won": "Inquiries that became customers"},
    )


def framework_table(leads: pd.DataFrame) -> present.Table:
    """The customer acquisition framework (:func:`alignkit.metrics.funnel.acquisition_framework`): each step's
    owner, conversion and median days, by programme phase."""
    frame = funnel.acquisition_framework(leads)
    days = lambda v: present.number(v, 1)  # noqa: E731
    return present.table(
        frame,
        index="Step",
        formats={c: ("percent" if c.startswith("conversion") else days) for c in frame.columns if c != "owner"},
        labels={"owner": "Owner", **{c: c.capitalize() for c in frame.columns if c != "owner"}},
    )


def follow_up_by_phase(data) -> dict[str, dict]:
    """:func:`alignkit.metrics.funnel.response_summary` of each programme phase's leads, to the end of the data."""
    leads = data.leads
    return {
        phase: funnel.response_summary(leads[leads["phase"] == phase], data.touches, as_of=data.data_end)
        for phase in funnel.PHASES
    }


def follow_up_table(follow_up: dict[str, dict]) -> present.Table:
    """Follow-up of MQLs by phase (:func:`alignkit.metrics.funnel.response_summary`)."""
    frame = pd.DataFrame(follow_up).T[["mqls", "median_hours", "within_1h", "within_24h", "leakage"]]
    frame["mqls"] = frame["mqls"].astype(int)
    frame.index.name = "phase"
    return present.table(
        frame,
        index="Phase",
        formats={
            "median_hours": lambda v: present.number(v, 1),
            "within_1h": "percent",
            "within_24h": "percent",
            "leakage": "percent",
        },
        labels={
            "mqls": "MQLs",
            "median_hours": "Median hours to first contact",
            "within_1h": "Contacted within an hour",
            "within_24h": "Within a day",
            "leakage": "Never contacted",
        },
    )


def exercises(slug: str = "brightline") -> list[Exercise]:
    """Lesson 3's decision exercises; every expected answer is computed from the data."""
    leads = load_company(slug).leads
    before = leads[leads["phase"] == "before"]
    step = funnel.biggest_drop(before)
    owner = funnel.STAGE_OWNER[step.split("→")[1]]
    owners = ("marketing", "sales", "both")
    after = leads[leads["phase"] == "after"]
    picks = ("paid social", "webinars", "referrals")
    mql_to_won = {
        c: funnel.conversion_rate(
            int(after.loc[after["channel"] == c, "won_at"].notna().sum()),
            int(after.loc[after["channel"] == c, "mql_at"].notna().sum()),
        )
        for c in picks
    }
    call_first = max(mql_to_won, key=mql_to_won.__getitem__)
    return [
        Exercise(
            "3.1",
            "choice",
            f"Before the programme Brightline lost more leads at the step {step} than at any other. "
            "Who owns moving a lead across that step?",
            what="the owner of that step",
            options=owners,
            expected=owner,
            minutes=2,
            why=tuple(
                (
                    o,
                    "Marketing decides what to send and sales decides what to accept: the hand-shake."
                    if o == owner
                    else "Only half of it: one team sends the lead, the other accepts it.",
                )
                for o in owners
            ),
            hint="Step 1's table names the owner of each stage.",
        ),
        Exercise(
            "3.2",
            "choice",
            "At 5 pm a seller has time for one more call and three new MQLs: one from paid social, "
            "one from webinars, one from referrals. On Brightline's data after the programme, which does the "
            "seller call first?",
            what="the lead to call first",
            options=picks,
            expected=call_first,
            minutes=3,
            why=tuple(
                (
                    c,
                    f"{present.percent(mql_to_won[c])} of this channel's MQLs after the programme became "
                    "customers" + (", the most of the three." if c == call_first else "."),
                )
                for c in picks
            ),
            hint="Use the chart: which channel's MQLs most often become customers?",
        ),
        Exercise(
            "3.3",
            "text",
            "Name the one number both teams will report every week for the step from MQL to SAL, "
            "and who does what when it falls.",
            what="a shared metric for the hand-shake",
            min_words=12,
            minutes=4,
            ideas=(
                Idea("the acceptance rate", ("acceptance", "accepted", "accept")),
                Idea("marketing's part", ("marketing", "marketer")),
                Idea("sales' part", ("sales", "seller", "sellers")),
            ),
            hint="The share of MQLs sales accepts; then one action for each team.",
        ),
    ]


# make bench: one update of each widget in this lesson (the pure function behind it); the
# region breakdown over all leads is the largest view the explorer draws
BENCH = {"funnel explorer update": lambda: widgets.conversion_html(load_company().leads, "region", "all")}
