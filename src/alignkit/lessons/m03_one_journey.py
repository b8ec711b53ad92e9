"""Lesson 3, One journey, shared metrics: the two exercises and the quiz."""

from __future__ import annotations

from .. import funnel, widgets
from ..dataset import load_company
from ..exercises import Feedback, check_choice, check_number, combine
from ..exercises import multiple_choice as _mc

def check_biggest_drop(step, owner) -> Feedback:
    """Exercise 3.1: before the programme, the step that lost the most leads, and who owns it."""
    leads = load_company().leads
    before = leads[leads["phase"] == "before"]
    right_step = funnel.biggest_drop(before)
    steps = [f"{a}→{b}" for a, b in zip(funnel.STAGES[:-1], funnel.STAGES[1:])]
    right_owner = funnel.STAGE_OWNER[right_step.split("→")[1]]
    owners = sorted(set(funnel.STAGE_OWNER.values()))
    step_check = check_choice(step, right_step, what="the step that lost the most leads", options=steps,
                              why={right_step: "leads_lost(before) shows it: most MQLs were never accepted.",
                                   "inquiry→mql": "Most inquiries became MQLs before the programme: the bar was low.",
                                   "opportunity→won": "Its rate is low, but few leads get that far: count the leads lost."})
    owner_check = check_choice(owner, right_owner, what="who owns moving a lead into that stage", options=owners,
                               why={right_owner: "Accepting a lead is the hand-shake: marketing sends, sales accepts."})
    return combine("Biggest drop", [step_check, owner_check])


def referral_win_rate_after(slug: str = "brightline") -> float:
    leads = load_company(slug).leads
    after = leads[(leads["phase"] == "after") & (leads["channel"] == "referrals")]
    return float(funnel.stage_conversion(after)["inquiry→won"].iloc[0])


def check_referral_rate(rate) -> Feedback:
    """Exercise 3.2: the share of referral inquiries after the programme that became customers."""
    return check_number(rate, referral_win_rate_after(), what="the referral inquiry→won rate after the programme",
                        as_share=True, tolerance=0.01,
                        hint="Filter leads to phase 'after' and channel 'referrals', then divide the leads "
                             "with a won_at by all of them.")


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
        _mc(f"Before the programme sales accepted only {rates['mql→sal'].iloc[0]:.0%} of MQLs, while marketing "
            "reported that it hit its MQL target every month. Whose problem is the MQL→SAL step?", [
            ("Both teams': marketing decides what to send, sales decides what to accept, and the customer falls "
             "between them", True, "Right: the SAL is the hand-shake, the one step the two teams own together."),
            ("Marketing's: it sends junk", False,
             "Some MQLs were weak, but sellers also never called many of them: both sides of the step leaked."),
            ("Sales': a seller should work every MQL marketing sends", False,
             "Sellers have limited hours; a bar both teams agree on (lesson 4) decides what is worth them."),
        ]),
        _mc(f"{biggest.capitalize()} brings the most inquiries. A colleague proposes moving budget to it "
            "\"to fill the funnel\". What do you check first?", [
            (f"What share of each channel's inquiries became customers: {biggest} turns "
             f"{by_channel[biggest]:.1%} of them into customers, {best} {by_channel[best]:.1%}", True,
             "Right: volume is not value; follow the channel to the end of the funnel."),
            ("Nothing: more inquiries always means more customers", False,
             "Only if they convert: more leads that sellers reject cost money and trust."),
            ("Which channel has the cheapest inquiry", False,
             "The cheapest inquiry is often the dearest customer (lesson 5 prices it)."),
        ]),
        _mc("You changed the MQL definition on 1 October and want to know, in January, whether sales accepts more "
            "of what marketing sends. Which number do you look at?", [
            ("Of the MQLs that arrived after 1 October, the share sales accepted (a cohort, followed to today)",
             True, "Right: the cohort clock of marketing's report in lesson 1 follows the same people through."),
            ("All leads sales accepted in December, whenever they arrived", False,
             "That mixes in leads from before the change: sales' clock in lesson 1, the wrong one for this question."),
            ("The number of MQLs in the quarter", False, "Volume says nothing about whether sales accepts them."),
        ]),
        _mc("A seller says: \"I call my MQLs within two days; that is fast enough.\" What does the HBR study of "
            "web leads (Oldroyd and others, 2011) report?", [
            ("Firms that tried within an hour were nearly 7 times as likely to qualify a lead as firms that tried "
             "an hour later, and over 60 times as likely as firms that waited 24 hours or more", True,
             "Right: those are the study's figures, comparing firms, so they show an association."),
            ("After the first hour it makes no difference when you call", False,
             "The study found the odds kept falling: waiting a day or more was far worse than an hour later."),
            ("Speed matters only for consumer products, not for business buyers", False,
             "The study sent web inquiries to business firms; Brightline's own MQLs show the same direction."),
        ]),
    ]


# make bench: one update of each widget in this lesson (the pure function behind it); the
# region breakdown over all leads is the largest view the explorer draws
BENCH = {"funnel explorer update": lambda: widgets.conversion_html(load_company().leads, "region", "all")}
