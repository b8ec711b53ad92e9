"""Lesson 0, Start here: the busiest-month exercise and the quiz."""

from __future__ import annotations

from .. import widgets
from ..dataset import load_company
from ..exercises import Feedback, check_choice, check_number, combine
from ..exercises import multiple_choice as _mc

def busiest_month(slug: str = "brightline") -> tuple[str, int]:
    counts = load_company(slug).leads.groupby("month").size()
    return str(counts.idxmax()), int(counts.max())


def check_busiest_month(month, inquiries) -> Feedback:
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


def quiz() -> list[dict]:
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


# make bench: one update of each widget in this lesson (the pure function behind it)
BENCH = {"path chooser update": lambda: widgets.path_html("Manager")}
