"""Lesson 0, Start here: the monthly inquiries table, the decision exercises, the analyst extension
(the busiest month counted in pandas) and the quiz."""

from __future__ import annotations

import math

import pandas as pd

from ..casedata.dataset import load_company
from ..ui import course, present, widgets
from ..ui.exercises import Exercise, Feedback, Idea, check_choice, check_number, combine
from ..ui.exercises import multiple_choice as _mc

# Our own planning assumption for exercise 0.2 (not Brightline's data, not a benchmark): one caller
# can answer about this many new inquiries a month.
INQUIRIES_PER_CALLER = 400


TABLES = {  # each of the company's tables and what one row of it is (from data/README.md)
    "leads": "an inquiry, with where it came from and when it reached each stage",
    "touches": "a seller's first contact with a marketing-qualified lead",
    "opportunities": "a deal opened from a qualified lead, with its amount and outcome",
    "customers": "a customer won, with revenue, margin, churn and satisfaction",
    "campaigns": "a marketing campaign in one month, with its spend",
    "people": "a member of the sales or marketing team",
    "okrs": "a key result of the teams' shared goals in one quarter",
    "feedback": "a seller's rating of a lead they worked",
}


def data_overview(company) -> present.Table:
    """The company's tables, how many rows each has and what one row is (loading the company has
    already checked every table against its data dictionary)."""
    rows = [{"table": name, "rows": len(getattr(company, name)), "one row is": what} for name, what in TABLES.items()]
    return present.table(pd.DataFrame(rows), labels={"table": "Table", "rows": "Rows", "one row is": "One row is"})


def monthly_inquiries(leads: pd.DataFrame) -> pd.DataFrame:
    """Inquiries per month (``month`` as 'YYYY-MM'), with the relative change from the month before
    (``change``: -0.43 for a fall of 43 %; empty for the first month)."""
    counts = leads.groupby("month").size().rename("inquiries").sort_index()
    out = counts.reset_index()
    out["change"] = counts.pct_change().to_numpy()
    return out


def monthly_inquiries_table(leads: pd.DataFrame) -> present.Table:
    """The monthly inquiries as people read them: month names, counts, change with its direction."""
    return present.table(
        monthly_inquiries(leads),
        formats={"month": "month", "change": present.delta},
        labels={"inquiries": "Inquiries", "change": "Change from the month before"},
    )


def team_table(people: pd.DataFrame) -> present.Table:
    """How many people work in each team and office, with the office's time zone."""
    counts = people.groupby(["team", "office", "time_zone"]).size().rename("people").reset_index()
    counts["team"] = counts["team"].str.capitalize()
    return present.table(counts, labels={"people": "People"})


def paths_table() -> present.Table:
    """Every module with its time and the roles whose path includes it."""
    rows = [
        {
            "module": m.number,
            "title": m.title,
            "minutes": m.minutes,
            **{role: "✓" if m.number in course.PATHS[role] else "" for role in course.ROLES},
        }
        for m in course.MODULES
    ]
    return present.table(pd.DataFrame(rows), labels={"module": "Module", "title": "Title", "minutes": "Minutes"})


def exercises(slug: str = "brightline") -> list[Exercise]:
    """Lesson 0's decision exercises; every expected answer is computed from the data."""
    leads = load_company(slug).leads
    counts = monthly_inquiries(leads).set_index("month")["inquiries"]
    busiest = counts.idxmax()
    # the busiest month against the first, the last and the quietest (more months when they coincide)
    others = [
        m for m in dict.fromkeys([counts.index[0], counts.index[-1], counts.idxmin(), *counts.index]) if m != busiest
    ][:3]
    options = sorted([busiest, *others])
    why = {
        present.month(m): f"{present.month(m)} brought {present.number(counts[m])} inquiries, fewer than "
        f"{present.month(busiest)}."
        for m in others
    }
    why[present.month(busiest)] = f"It brought {present.number(counts[busiest])} inquiries, more than any other month."
    callers = math.ceil(counts[busiest] / INQUIRIES_PER_CALLER)
    return [
        Exercise(
            "0.1",
            "choice",
            "Brightline's head of sales wants the most callers on the phones in the month "
            "with the most inquiries. Using the table or the chart, which month should that be?",
            what="the busiest month",
            hint="Look for the highest number in the Inquiries column.",
            minutes=2,
            options=tuple(present.month(m) for m in options),
            expected=present.month(busiest),
            why=tuple(why.items()),
        ),
        Exercise(
            "0.2",
            "number",
            f"Say one caller can answer about {INQUIRIES_PER_CALLER} new inquiries a month "
            "(our own planning figure). How many callers does that busiest month need? Round up: half a "
            "caller still has to be someone.",
            what="the number of callers",
            tolerance=0,
            minutes=3,
            expected=callers,
            hint=f"Divide that month's inquiries by {INQUIRIES_PER_CALLER} and round up to a whole person.",
            explain=f"{present.number(counts[busiest])} ÷ {INQUIRIES_PER_CALLER} = "
            f"{counts[busiest] / INQUIRIES_PER_CALLER:.2f}, rounded up to {callers}.",
        ),
        Exercise(
            "0.3",
            "text",
            "Write one or two sentences that connect the number your manager asks you about "
            "most to the goal Chan says both teams share.",
            what="a sentence about the shared goal",
            minutes=4,
            min_words=10,
            ideas=(
                Idea("the customer and their needs", ("customer", "client", "buyer")),
                Idea("revenue or growth", ("revenue", "growth", "grow", "income", "profit")),
            ),
            hint="Chan's shared goal has two halves: meeting customers' needs and growing revenue. Name both.",
        ),
    ]


def busiest_month(slug: str = "brightline") -> tuple[str, int]:
    """The month with the most inquiries (as 'YYYY-MM') and how many there were: extension 0.A's answer."""
    counts = load_company(slug).leads.groupby("month").size()
    return str(counts.idxmax()), int(counts.max())


def check_busiest_month(month, inquiries) -> Feedback:
    """Analyst extension 0.A: the month with the most inquiries (as 'YYYY-MM') and how many there were."""
    right_month, right_count = busiest_month()
    months = sorted(load_company().leads["month"].unique())
    if isinstance(month, str) and len(month) == 7 and month[4] == "-" and month not in months:
        month_check = Feedback(
            "wrong", f"{month} is outside the data.", [f"The data runs from {months[0]} to {months[-1]}."]
        )
    else:
        month_check = check_choice(
            month,
            right_month,
            what="the busiest month",
            options=months,
            why={right_month: "Group the leads by month and count them."},
        )
    count_check = check_number(
        inquiries,
        right_count,
        what="the number of inquiries that month",
        tolerance=0,
        hint="Count the rows of leads in that month: leads.groupby('month').size().",
    )
    return combine("Busiest month", [month_check, count_check])


def quiz() -> list[dict]:
    """Three questions on the course itself: its case company, where its numbers come from, Chan's shared goal."""
    return [
        _mc(
            "Which company do all the lessons use?",
            [
                ("Brightline, a fictional maker of scheduling software", True, "Right: one company, every lesson."),
                (
                    "Meta's Small Business Group",
                    False,
                    "Albert Chan works there, but the data is a fictional company's.",
                ),
                ("HubSpot", False, "HubSpot is Chan's example of alignment; the data is Brightline's."),
            ],
        ),
        _mc(
            "Where do the numbers in the lessons' text come from?",
            [
                (
                    "They are computed from the data when the page is built",
                    True,
                    "Right: change the data and the text changes with it.",
                ),
                ("They are typed in by the authors", False, "No: every number is computed, so none can go stale."),
                (
                    "They are industry benchmarks",
                    False,
                    "Benchmarks appear only with their source, and never as Brightline's numbers.",
                ),
            ],
        ),
        _mc(
            "According to Albert Chan, what goal do sales and marketing share?",
            [
                (
                    "Meeting customers' needs and growing revenue",
                    True,
                    "Right: Chan puts both teams behind that one goal.",
                ),
                ("Producing as many leads as possible", False, "Volume is one team's metric, not the shared goal."),
                (
                    "Closing deals before the end of the quarter",
                    False,
                    "That is sales' pressure; Chan asks marketing to understand it.",
                ),
            ],
        ),
    ]


# make bench: one update of each widget in this lesson (the pure function behind it)
BENCH = {"path chooser update": lambda: widgets.path_html("Manager")}
