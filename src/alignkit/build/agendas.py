"""The three workshop agendas (90 minutes, half a day, a full day), slot by slot.

The facilitator guide draws them with the ``{agenda}`` directive (:mod:`alignkit.build.directives`),
and a test checks that every agenda's slots add up to its length and that each activity slot gives
the activity the minutes its lesson says.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ui.course import MODULES

KINDS = {
    "welcome": "whole room",
    "demo": "facilitator on screen",
    "notebook": "pairs at a laptop",
    "activity": "groups (see the lesson)",
    "break": "break",
    "close": "whole room",
}


@dataclass(frozen=True)
class Slot:
    """One block of an agenda: how long, what happens, how the room works, and which lesson it uses."""

    minutes: int
    what: str
    kind: str
    lesson: int | None = None


@dataclass(frozen=True)
class Agenda:
    """One session plan: its slots from a start time, for whom, and its stated length."""

    key: str
    title: str
    minutes: int  # the stated length, breaks included
    start: str  # clock time of the first slot, "HH:MM"
    for_whom: str
    slots: tuple[Slot, ...]

    def rows(self) -> list[tuple[str, str, Slot]]:
        """(start, end, slot) for every slot, as clock times."""
        h, m = map(int, self.start.split(":"))
        t = h * 60 + m
        out = []
        for slot in self.slots:
            out.append((_clock(t), _clock(t + slot.minutes), slot))
            t += slot.minutes
        return out

    @property
    def end(self) -> str:
        """The clock time the agenda ends (start + stated length)."""
        h, m = map(int, self.start.split(":"))
        return _clock(h * 60 + m + self.minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


AGENDAS = {
    a.key: a
    for a in (
        Agenda(
            "90-minutes",
            "90 minutes",
            90,
            "14:00",
            "one team's sellers and marketers, 5 to 40 people, laptops optional",
            (
                Slot(5, "Welcome: why we are here; the goal both teams share (C3)", "welcome", 0),
                Slot(10, "Activity: one goal, two views", "activity", 0),
                Slot(10, "Brightline's funnel before and after its programme: lesson 3, steps 2 to 5", "demo", 3),
                Slot(25, "Activity: draw the journey", "activity", 3),
                Slot(5, "The threshold chart: MQL volume against sales acceptance (lesson 4)", "demo", 4),
                Slot(30, "Activity: the definitions negotiation", "activity", 4),
                Slot(5, "One commitment each; the survey", "close", None),
            ),
        ),
        Agenda(
            "half-day",
            "Half a day",
            240,
            "09:00",
            "sellers and marketers from one or several teams, 5 to 40 people, one laptop per pair",
            (
                Slot(10, "Welcome and set-up check: everyone opens lesson 0 on the hub or their laptop", "welcome", 0),
                Slot(10, "Activity: one goal, two views", "activity", 0),
                Slot(
                    15,
                    "What misalignment costs Brightline: leaked leads, wasted spend, mixed messages (lesson 2)",
                    "demo",
                    2,
                ),
                Slot(20, "Lesson 3, steps 1 to 5 and exercise 3.1", "notebook", 3),
                Slot(25, "Activity: draw the journey", "activity", 3),
                Slot(15, "Break", "break", None),
                Slot(20, "Lesson 4: the lead score and the threshold slider; its exercises", "notebook", 4),
                Slot(30, "Activity: the definitions negotiation", "activity", 4),
                Slot(10, "Break", "break", None),
                Slot(15, "Lesson 6: the OKR table and the SLA calculator", "notebook", 6),
                Slot(40, "Activity: one objective, two sides", "activity", 6),
                Slot(15, "Gallery walk: groups read each other's agreement and OKR sheets", "close", None),
                Slot(15, "Three agreements to take back (definitions, SLA, one OKR); the survey", "close", None),
            ),
        ),
        Agenda(
            "full-day",
            "A full day",
            450,
            "09:00",
            "one or two teams' sellers, marketers and their managers, 5 to 40 people, one laptop per pair",
            (
                Slot(15, "Welcome and set-up check: everyone opens lesson 0 on the hub or their laptop", "welcome", 0),
                Slot(10, "Activity: one goal, two views", "activity", 0),
                Slot(30, "Activity: swap the reports", "activity", 1),
                Slot(15, "What misalignment costs Brightline: the bill and the cost calculator (lesson 2)", "demo", 2),
                Slot(20, "Lesson 3, steps 1 to 5 and exercise 3.1", "notebook", 3),
                Slot(15, "Break", "break", None),
                Slot(25, "Activity: draw the journey", "activity", 3),
                Slot(20, "Lesson 4: the lead score and the threshold slider; its exercises", "notebook", 4),
                Slot(30, "Activity: the definitions negotiation", "activity", 4),
                Slot(
                    15, "Economics both teams own: CAC and LTV by channel, the what-if calculator (lesson 5)", "demo", 5
                ),
                Slot(45, "Lunch", "break", None),
                Slot(15, "Lesson 6: the OKR table and the SLA calculator", "notebook", 6),
                Slot(40, "Activity: one objective, two sides", "activity", 6),
                Slot(45, "Activity: the launch-reaction review", "activity", 7),
                Slot(15, "Break", "break", None),
                Slot(25, "Lesson 8: time-zone overlap and a RACI for the hand-offs", "notebook", 8),
                Slot(25, "Lesson 9: the J-curve and the change communication plan", "notebook", 9),
                Slot(30, "Put it together: each group fills the templates for its own team", "close", None),
                Slot(15, "Gallery walk, one commitment each, the survey", "close", None),
            ),
        ),
    )
}


def lesson_link(number: int | None, docs=None) -> str:
    """The lesson's title, linked when its page is in the book (``docs``: the book's documents)."""
    if number is None:
        return ""
    module = next((m for m in MODULES if m.number == number), None)
    if module and module.written and module.page and (docs is None or module.page in docs):
        return f"{{doc}}`{number} · {module.title} </{module.page}>`"
    return f"{number} · {module.title}" if module else str(number)


def agenda_markdown(key: str, docs=None) -> str:
    """An agenda as a MyST Markdown table with clock times, and its total."""
    agenda = AGENDAS[key]
    lines = ["| time | minutes | what happens | how | lesson |", "|---|---:|---|---|---|"]
    for start, end, slot in agenda.rows():
        what = f"**{slot.what}**" if slot.kind == "activity" else slot.what
        lines.append(
            f"| {start}\u2011{end} | {slot.minutes} | {what} | {KINDS[slot.kind]} | {lesson_link(slot.lesson, docs)} |"
        )
    total = sum(s.minutes for s in agenda.slots)
    lines += [
        "",
        f"**Total: {total} minutes**, {agenda.start} to {agenda.end}, breaks included. For {agenda.for_whom}.",
    ]
    return "\n".join(lines)
