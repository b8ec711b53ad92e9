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
    leads = load_company().leads
    rates = funnel.stage_conversion(leads, "phase")
    before, after = rates.loc["before", "mql→sal"], rates.loc["after", "mql→sal"]
    by_channel = funnel.stage_conversion(leads, "channel")["inquiry→won"]
    volume = leads["channel"].value_counts()
    biggest, best = str(volume.idxmax()), str(by_channel.idxmax())
    return [
        _mc("Who owns the step from MQL to SAL?", [
            ("Both teams: marketing sends the lead, sales accepts it", True,
             "Right: the SAL is the hand-shake between the teams."),
            ("Marketing alone", False, "Marketing decides what is an MQL; accepting it is sales' call."),
            ("Sales alone", False, "Sales accepts, but only what marketing sends: both own the step."),
        ]),
        _mc(f"Before the programme sales accepted {before:.0%} of MQLs; after it {after:.0%}. "
            "What explains most of the change?", [
            ("Marketing raised the MQL bar and sellers followed up faster", True,
             "Right: fewer, better MQLs, called sooner, are accepted more often."),
            ("Sellers were told to accept every lead", False, "The data shows fewer MQLs, not a rubber stamp."),
            ("Brightline bought more ads", False, "Spend did not jump; the definitions and follow-up changed."),
        ]),
        _mc(f"{biggest.capitalize()} brings the most inquiries. Which channel turns the largest share of "
            "its inquiries into customers?", [
            (best, True, f"Right: {best} has the highest inquiry→won rate."),
            *[(c, False, "Look at the inquiry→won column by channel.")
              for c in sorted(by_channel.index) if c != best][:3],
        ]),
        _mc("Why compare conversion by cohort (leads that arrived in the same period)?", [
            ("So every rate follows the same people through the funnel", True,
             "Right: a cohort rate is not distorted by leads from other months."),
            ("Because cohorts are always larger", False, "Size is not the point; comparing like with like is."),
            ("Because CRM systems require it", False, "It is a choice of method, not a system rule."),
        ]),
    ]


# make bench: one update of each widget in this lesson (the pure function behind it); the
# region breakdown over all leads is the largest view the explorer draws
BENCH = {"funnel explorer update": lambda: widgets.conversion_html(load_company().leads, "region", "all")}
