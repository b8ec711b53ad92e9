"""The exercises of each lesson: what the learner is asked, checked against values computed here.

Each function takes the learner's answers, recomputes the right answer from the data with the
package's own functions, and returns :class:`alignkit.exercises.Feedback`.
"""

from __future__ import annotations

from . import funnel
from .dataset import load_company
from .exercises import Feedback, check_choice, check_number, combine


# --- Module 0: Start here -------------------------------------------------------------------

def busiest_month(slug: str = "brightline") -> tuple[str, int]:
    counts = load_company(slug).leads.groupby("month").size()
    return str(counts.idxmax()), int(counts.max())


def start_here_busiest_month(month, inquiries) -> Feedback:
    """Exercise 0.1: the month with the most inquiries (as 'YYYY-MM') and how many there were."""
    right_month, right_count = busiest_month()
    months = sorted(load_company().leads["month"].unique())
    if isinstance(month, str) and len(month) == 7 and month[4] == "-" and month not in months:
        month_check = Feedback("wrong", f"{month} is outside the data.", [f"The data runs from {months[0]} to {months[-1]}."])
    else:
        month_check = check_choice(month, right_month, what="the busiest month", options=months,
                                   why={right_month: "Group the leads by month and count them."})
    count_check = check_number(inquiries, right_count, what="the number of inquiries that month", tolerance=0,
                               hint="Count the rows of leads in that month: leads.groupby('month').size().")
    return combine("Busiest month", [month_check, count_check])


# --- Module 3: One journey, shared metrics ------------------------------------------------------

def one_journey_biggest_drop(step, owner) -> Feedback:
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


def one_journey_referral_rate(rate) -> Feedback:
    """Exercise 3.2: the share of referral inquiries after the programme that became customers."""
    return check_number(rate, referral_win_rate_after(), what="the referral inquiry→won rate after the programme",
                        as_share=True, tolerance=0.01,
                        hint="Filter leads to phase 'after' and channel 'referrals', then divide the leads "
                             "with a won_at by all of them.")
