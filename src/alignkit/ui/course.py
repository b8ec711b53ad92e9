"""The course map: modules, the interview's concepts they teach, and the path for each role.

One place for these facts: the start page, the path chooser and the tests read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("Seller", "Marketer", "Manager")

CONCEPTS = {
    "C1": "What sales must know about marketing: audience insight, strategic messages, the map of the journey",
    "C2": "What marketing must know about sales: daily customer insight, revenue under quota pressure",
    "C3": "One shared goal: meet customer needs and grow revenue",
    "C4": "Different metrics, shared goals: the customer journey, its key touchpoints and shared metrics",
    "C5": "The customer acquisition framework: growth, acquisition cost and conversion by stage",
    "C6": "Shared definitions of MQL and SQL",
    "C7": "Recognise and celebrate both teams' achievements",
    "C8": "The cost of misalignment: lost leads, wasted resources, mixed messages",
    "C9": "What alignment buys: better processes, mutual support, faster growth",
    "C10": "Formal and informal collaboration; cross-functional projects",
    "C11": "The P&G practice: sales in marketing's planning, and the reverse",
    "C12": "Remote teams across time zones: shared vision, clear expectations, recognition, empathy",
    "C13": "Hybrid work: what belongs in person and what works virtually",
    "C14": "HubSpot's example: shared KPIs, one integrated platform, content built with sellers",
    "C15": "OKRs: qualitative objectives, quantitative key results",
    "C16": "Change gets worse before it gets better; the leader shortens the dip",
    "C17": "Change practice: clear expectations, transparent communication, support in a crisis",
}


@dataclass(frozen=True)
class Module:
    """One module of the course: its lesson page, the concepts it teaches, its minutes and what matters to each role."""

    number: int
    title: str
    page: str  # document name in the book, without extension
    concepts: tuple[str, ...]
    minutes: int
    written: bool  # False while the lesson is still planned
    focus: dict[str, str]  # role -> what matters most in this module for that role


MODULES: tuple[Module, ...] = (
    Module(
        0,
        "Start here",
        "notebooks/00-start-here",
        (),
        20,
        True,
        {
            "Seller": "the case and your path",
            "Marketer": "the case and your path",
            "Manager": "the case, the paths and how to run the course for a team",
        },
    ),
    Module(
        1,
        "Two teams, one customer",
        "notebooks/01-two-teams-one-customer",
        ("C1", "C2", "C3"),
        30,
        True,
        {
            "Seller": "what marketing knows that you don't",
            "Marketer": "what sellers hear every day",
            "Manager": "reconciling two reports of one quarter",
        },
    ),
    Module(
        2,
        "The price of misalignment",
        "notebooks/02-price-of-misalignment",
        ("C8", "C9"),
        35,
        True,
        {
            "Seller": "what slow follow-up costs",
            "Marketer": "duplicate leads and wasted spend",
            "Manager": "the cost calculator for your team",
        },
    ),
    Module(
        3,
        "One journey, shared metrics",
        "notebooks/03-one-journey-shared-metrics",
        ("C4", "C5"),
        40,
        True,
        {
            "Seller": "the stages you own and how fast leads move through them",
            "Marketer": "which channels bring leads that sales turns into customers",
            "Manager": "who owns each stage, and the one funnel both teams report",
        },
    ),
    Module(
        4,
        "One language: MQL and SQL",
        "notebooks/04-one-language-mql-sql",
        ("C6",),
        40,
        True,
        {"Seller": "what an SQL is", "Marketer": "setting the MQL bar", "Manager": "the definitions agreement"},
    ),
    Module(
        5,
        "Economics both teams own",
        "notebooks/05-economics-both-teams-own",
        ("C4", "C5"),
        40,
        True,
        {
            "Seller": "why deal quality beats deal count",
            "Marketer": "CAC and LTV by channel",
            "Manager": "the what-if calculator",
        },
    ),
    Module(
        6,
        "Shared goals: OKRs and the SLA",
        "notebooks/06-shared-goals-okrs-sla",
        ("C7", "C14", "C15"),
        45,
        True,
        {
            "Seller": "your side of the SLA",
            "Marketer": "your side of the SLA",
            "Manager": "writing and scoring shared OKRs",
        },
    ),
    Module(
        7,
        "Working together",
        "notebooks/07-working-together",
        ("C10", "C11", "C14"),
        35,
        True,
        {
            "Seller": "closing the loop on lead quality",
            "Marketer": "content that moves deals",
            "Manager": "the meeting cadence",
        },
    ),
    Module(
        8,
        "Remote and hybrid",
        "notebooks/08-remote-and-hybrid",
        ("C12", "C13"),
        30,
        True,
        {
            "Seller": "overlap with marketing's hours",
            "Marketer": "overlap with sales' hours",
            "Manager": "a fair cadence and a RACI",
        },
    ),
    Module(
        9,
        "Leading change",
        "notebooks/09-leading-change",
        ("C16", "C17"),
        35,
        True,
        {
            "Seller": "why the first quarter felt worse",
            "Marketer": "why the first quarter felt worse",
            "Manager": "shortening the dip; the communication plan",
        },
    ),
    Module(
        10,
        "Capstone: Northfield",
        "notebooks/10-capstone-northfield",
        tuple(f"C{i}" for i in range(1, 18)),
        45,
        True,
        {
            "Seller": "diagnose a new company",
            "Marketer": "diagnose a new company",
            "Manager": "propose definitions, SLA, OKRs and cadence",
        },
    ),
    Module(
        11,
        "Your playbook",
        "notebooks/11-your-playbook",
        tuple(f"C{i}" for i in range(1, 18)),
        45,
        True,
        {
            "Seller": "your own funnel",
            "Marketer": "your own funnel",
            "Manager": "the team's scorecard and written playbook",
        },
    ),
)


def _timed(modules: tuple[Module, ...]) -> tuple[Module, ...]:
    """Each module's minutes computed from its lesson (alignkit.ui.lessontime: reading at 200 words a
    minute, plus its exercises, workshop activity and quiz). The numbers typed above are used only
    when a lesson's notebook is not there (the package installed without the course)."""
    from dataclasses import replace

    from .lessontime import NOTEBOOK_DIR, lesson_minutes

    out = []
    for m in modules:
        path = NOTEBOOK_DIR / f"{m.page.rsplit('/', 1)[-1]}.ipynb"
        out.append(replace(m, minutes=lesson_minutes(path)) if path.exists() else m)
    return tuple(out)


MODULES = _timed(MODULES)

# Modules each role should not skip, in order (the others are worth reading when there is time).
PATHS = {
    "Seller": (0, 1, 2, 3, 4, 6, 7, 9),
    "Marketer": (0, 1, 2, 3, 4, 5, 6, 7, 8),  # 6: marketing's side of the SLA, what it owes sales
    "Manager": tuple(range(12)),
}


def path_for(role: str) -> list[Module]:
    """The modules of a role's path, in course order."""
    if role not in PATHS:
        raise ValueError(f"unknown role '{role}'; choose one of {', '.join(ROLES)}.")
    return [m for m in MODULES if m.number in PATHS[role]]


def path_minutes(role: str) -> int:
    """Total time of a role's path, in minutes."""
    return sum(m.minutes for m in path_for(role))


def module(number: int) -> Module:
    """The module with this number."""
    for m in MODULES:
        if m.number == number:
            return m
    raise ValueError(f"there is no module {number}; modules run from 0 to {MODULES[-1].number}.")
