"""Clear expectations for a team that works apart: a RACI of the programme's recurring tasks, and
which meetings belong in person.

Albert Chan's advice for remote teams includes setting clear expectations: goals, roles and
boundaries for every member, so people know the frame they work in and have more freedom inside
it (interview with Laba, C12). A RACI writes the roles down: for each task, who is

* **R**esponsible: does the work (one or more people);
* **A**ccountable: answers for the result and signs it off (exactly one);
* **C**onsulted: asked before, two-way;
* **I**nformed: told after, one-way.

Tsedal Neeley recommends launching a team by agreeing its goals, roles, constraints and norms, and
relaunching it regularly (see FACTS.md, remote work). Chan reports her research as: a team can be
effective without sharing a room, hybrid models score best on productivity and job satisfaction
(Chan's summary), in-person time matters most for collaboration and building culture, and virtual
works for regular meetings, all-hands and FYI updates. :func:`meeting_format` turns that into a
recommendation per meeting purpose.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

LETTERS = ("R", "A", "C", "I")
LETTER_NAMES = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}

ROLES = (
    "head of marketing",
    "demand generation",
    "marketing operations",
    "head of sales",
    "sales development reps",
    "account executives",
)

TASKS = ("MQL definition", "lead follow-up", "SLA review", "campaign planning", "pipeline review")

# Brightline's RACI after the programme's launch: one accountable person per task; sellers are
# consulted on campaigns (the P&G practice Chan describes, C11) and marketing hears about follow-up.
BRIGHTLINE_RACI = {
    "MQL definition": {
        "head of marketing": "A",
        "marketing operations": "R",
        "demand generation": "C",
        "head of sales": "C",
        "sales development reps": "C",
        "account executives": "I",
    },
    "lead follow-up": {
        "head of sales": "A",
        "sales development reps": "R",
        "account executives": "C",
        "demand generation": "I",
        "marketing operations": "I",
        "head of marketing": "I",
    },
    "SLA review": {
        "head of sales": "A",
        "head of marketing": "R",
        "marketing operations": "R",
        "sales development reps": "C",
        "demand generation": "C",
        "account executives": "I",
    },
    "campaign planning": {
        "head of marketing": "A",
        "demand generation": "R",
        "marketing operations": "C",
        "sales development reps": "C",
        "account executives": "C",
        "head of sales": "I",
    },
    "pipeline review": {
        "head of sales": "A",
        "account executives": "R",
        "sales development reps": "R",
        "demand generation": "C",
        "head of marketing": "I",
        "marketing operations": "I",
    },
}


def normalise_cell(value) -> str:
    """'a/r', 'AR' or ' r ' -> 'A/R' in RACI order; '' for an empty cell; ValueError for other letters."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if not isinstance(value, str):
        raise ValueError(f"a RACI cell holds letters from R, A, C, I, not {value!r}.")
    letters = {c for c in value.upper() if not c.isspace() and c not in "/,+"}
    unknown = letters - set(LETTERS)
    if unknown:
        raise ValueError(f"a RACI cell holds letters from R, A, C, I; '{value}' has {sorted(unknown)}.")
    return "/".join(x for x in LETTERS if x in letters)


def raci_table(assignments: Mapping[str, Mapping[str, str]], roles: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The RACI as a table: one row per task, one column per role, cells like 'A', 'R' or 'A/R'.

    ``assignments`` maps task -> {role: letters}. Roles not named for a task get an empty cell.
    ``roles`` fixes the column order (default: :data:`ROLES`, then any other role in the order met)."""
    if not isinstance(assignments, Mapping):
        raise ValueError("assignments is a dict: task -> {role: 'R', 'A', 'C' or 'I'}.")
    seen = list(roles or ROLES)
    for row in assignments.values():
        if not isinstance(row, Mapping):
            raise ValueError("each task maps to a dict {role: letters}.")
        seen += [r for r in row if r not in seen]
    table = pd.DataFrame(
        [{r: normalise_cell(row.get(r)) for r in seen} for row in assignments.values()],
        index=pd.Index(list(assignments), name="task"),
        columns=seen,
    )
    return table.fillna("")


def raci_problems(table: pd.DataFrame) -> dict[str, list[str]]:
    """What breaks the RACI rules, task by task (an empty dict when nothing does):
    exactly one Accountable per task, and at least one Responsible."""
    problems: dict[str, list[str]] = {}
    for task, row in table.iterrows():
        cells = {role: normalise_cell(v) for role, v in row.items()}
        accountable = [r for r, v in cells.items() if "A" in v.split("/")]
        responsible = [r for r, v in cells.items() if "R" in v.split("/")]
        found = []
        if not accountable:
            found.append("nobody is Accountable: name exactly one person who answers for the result")
        elif len(accountable) > 1:
            found.append(
                f"{len(accountable)} people are Accountable ({', '.join(accountable)}): "
                "keep exactly one, make the others Responsible or Consulted"
            )
        if not responsible:
            found.append("nobody is Responsible: name who does the work")
        if found:
            problems[str(task)] = found
    return problems


def accountable_for(table: pd.DataFrame) -> pd.Series:
    """Who is Accountable for each task (the first one found; see :func:`raci_problems` for the rules)."""
    out = {}
    for task, row in table.iterrows():
        names = [r for r, v in row.items() if "A" in normalise_cell(v).split("/")]
        out[task] = names[0] if names else ""
    return pd.Series(out, name="accountable")


def brightline_raci() -> pd.DataFrame:
    """Brightline's RACI chart of the hand-offs, as a table."""
    return raci_table(BRIGHTLINE_RACI)


# --- which meetings belong in person ----------------------------------------------------------

MEETING_PURPOSES = {
    "team launch or relaunch": (
        "in person",
        "Goals, roles, boundaries and norms are agreed together, and that builds the team's culture: "
        "Chan keeps in-person time for collaboration and culture-building, and Neeley recommends "
        "launching a team and relaunching it regularly.",
    ),
    "joint planning or brainstorm": (
        "in person",
        "Working out a plan or new ideas together is collaboration, which Chan names first among the "
        "things worth meeting in person for (interview, paragraph 34).",
    ),
    "celebrating a shared win": (
        "in person",
        "Recognition builds culture; when people meet anyway (a launch, a planning day) celebrate "
        "there. Between those days a virtual shout-out that every office can attend is better than none.",
    ),
    "weekly pipeline review": (
        "virtual",
        "A regular meeting with a fixed agenda and shared numbers works well virtually, as Chan says; "
        "choose a time that shares the inconvenient hours fairly.",
    ),
    "all-hands": (
        "virtual",
        "Chan names all-hands among the meetings a virtual format handles well; record it for the "
        "offices for which it falls outside working hours.",
    ),
    "FYI update": (
        "virtual",
        "Information that needs no discussion works virtually, as Chan says; a short written "
        "update that people read in their own hours is often enough.",
    ),
}


def meeting_format(purpose: str) -> dict[str, str]:
    """The recommended format ('in person' or 'virtual') for a meeting's purpose, with the reason.

    Source: Albert Chan's own view, after recalling Tsedal Neeley's research on hybrid work
    (interview with Laba, C13, paragraphs 33-34: in person for collaboration and building culture;
    virtual for regular meetings, all-hands and FYI), and Neeley's advice on team launches
    (FACTS.md, remote work)."""
    key = purpose.strip() if isinstance(purpose, str) else purpose
    match = {k.lower(): k for k in MEETING_PURPOSES}.get(str(key).lower()) if key is not None else None
    if match is None:
        raise ValueError(f"unknown meeting purpose {purpose!r}; choose one of: {', '.join(MEETING_PURPOSES)}.")
    fmt, reason = MEETING_PURPOSES[match]
    return {"purpose": match, "format": fmt, "reason": reason}


def format_table() -> pd.DataFrame:
    """Every meeting purpose with its recommended format and reason."""
    return pd.DataFrame([meeting_format(p) for p in MEETING_PURPOSES]).set_index("purpose")
