"""Each lesson's quiz, as questions for jupyterquiz. Numbers in a question are computed from the data.

Every question has exactly one correct answer and feedback for each option, so a reader on the
static site learns why an answer is right or wrong.
"""

from __future__ import annotations

from . import funnel
from .dataset import load_company


def _mc(question: str, answers: list[tuple[str, bool, str]]) -> dict:
    return {"question": question, "type": "multiple_choice",
            "answers": [{"answer": a, "correct": c, "feedback": f} for a, c, f in answers]}


def start_here() -> list[dict]:
    return [
        _mc("Which company do all the lessons use?", [
            ("Brightline, a fictional maker of scheduling software", True, "Right: one company, every lesson."),
            ("Meta's Small Business Group", False, "Albert Chan works there, but the data is a fictional company's."),
            ("HubSpot", False, "HubSpot is Chan's example of alignment; the data is Brightline's."),
        ]),
        _mc("Where do the numbers in the lessons' text come from?", [
            ("They are computed from the data when the page is built", True,
             "Right: change the data and the text changes with it."),
            ("They are typed in by the authors", False, "No: every number is computed, so none can go stale."),
            ("They are industry benchmarks", False, "Benchmarks appear only with their source, and never as Brightline's numbers."),
        ]),
        _mc("According to Albert Chan, what goal do sales and marketing share?", [
            ("Meeting customers' needs and growing revenue", True, "Right: Chan puts both teams behind that one goal."),
            ("Producing as many leads as possible", False, "Volume is one team's metric, not the shared goal."),
            ("Closing deals before the end of the quarter", False, "That is sales' pressure; Chan asks marketing to understand it."),
        ]),
    ]


def one_journey() -> list[dict]:
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
