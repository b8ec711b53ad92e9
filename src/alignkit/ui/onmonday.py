"""\"On Monday\": what each role does in its first week with what a lesson taught.

One place for every list: each lesson's notebook ends with :func:`lesson_html` (one cell), and the
pathways page gathers them per role as one printable checklist (:func:`checklist_markdown`, drawn by
``book/pathways-on-monday.md``). Each item is a concrete action a person can finish in a working
week, with something to show for it; none needs the course's data or code.
"""

from __future__ import annotations

import html

from .course import MODULES, ROLES, module

ON_MONDAY: dict[int, dict[str, tuple[str, ...]]] = {
    0: {
        "Seller": (
            "Pick the Seller path on the start page and block the lessons in your calendar, one a day.",
            "Find out who in marketing runs the campaigns your leads come from, and put a "
            "20-minute coffee in the diary.",
            "Open your CRM and find the field that says which campaign a lead came from; note whether it is filled in.",
        ),
        "Marketer": (
            "Pick the Marketer path on the start page and block the lessons in your calendar, one a day.",
            "Ask a sales manager which seller you could listen to on two calls this week.",
            "Find where sales records why it rejects a lead; note whether you can see it.",
        ),
        "Manager": (
            "Choose the path for each person on your team and tell them which lessons to take by when.",
            "Book a 30-minute slot with your counterpart in the other team to agree why you are both doing this.",
            "Write down the three numbers you think each team is judged on today; you will compare them in lesson 1.",
        ),
    },
    1: {
        "Seller": (
            "Ask marketing for the audience research behind your top campaign and read it before your next calls.",
            "Write down three things customers told you this week (a complaint, a need, a competitor) "
            "and send them to marketing.",
            "Open your next first call with the promise of the campaign the lead answered.",
        ),
        "Marketer": (
            "Listen to two sales calls, live or recorded, and write down the words customers use.",
            "Ask two sellers what the most common objection was this month.",
            "Learn the quota your sellers carry this quarter and how far along they are.",
        ),
        "Manager": (
            "Put marketing's and sales' reports of last quarter side by side and mark where they disagree.",
            "Agree with your counterpart the one goal both teams answer for: customers won and the revenue they bring.",
            "Start the next team meeting with one customer insight from the other team.",
        ),
    },
    2: {
        "Seller": (
            "Count your MQLs from last month that nobody contacted, and call the ones still worth calling today.",
            "Check your first-touch times last week: how many leads waited more than a day?",
            "Before each call, check which message the campaign used: open with its promise, then ask what they need.",
        ),
        "Marketer": (
            "List the campaigns that chase the same audience this month and ask which could be merged.",
            "Count duplicate leads (the same person twice) in last month's MQLs.",
            "Send sellers the message of each live campaign in one line each.",
        ),
        "Manager": (
            "Put a money figure on last quarter's lost leads, wasted spend and mixed messages, with your "
            "assumptions written next to it.",
            "Share the figure with both teams and ask each which cost it can cut first.",
            "Pick one cost to halve this quarter and name the owner.",
        ),
    },
    3: {
        "Seller": (
            "Learn the stages you own (SAL to won) and how long leads take in each of yours.",
            "Look at which channel your won deals came from last quarter.",
            "Agree with marketing what a good week looks like in the stage you share: MQL to SAL.",
        ),
        "Marketer": (
            "Find which of your channels brings leads that become customers, not just leads.",
            "Write down the owner of every stage from inquiry to won, and check it with sales.",
            "Report one number from sales' side of the funnel in your next update.",
        ),
        "Manager": (
            "Draw the one funnel both teams will report, with an owner for each stage.",
            "Pick the stage with the biggest drop and ask its owner for one fix.",
            "Replace one team-only metric in your dashboard with a shared one.",
        ),
    },
    4: {
        "Seller": (
            "Read the definitions agreement (or ask for it) and learn what counts as an MQL and an SQL.",
            "Reject every lead you cannot work with a reason from the agreed list, in the CRM.",
            "Tell marketing about one lead that was better than its score said.",
        ),
        "Marketer": (
            "Check how many MQLs sales accepted last month at the current score bar.",
            "Read the rejection reasons by campaign and fix the biggest source of rejections.",
            "Check that the MQL bar gives sales no more leads than it can call.",
        ),
        "Manager": (
            "Put the MQL and SQL definitions on one page and have both heads sign it.",
            "Set a monthly 30-minute review of rejection reasons with both teams.",
            "Decide who may change the score bar, and how the change is announced.",
        ),
    },
    5: {
        "Seller": (
            "Before offering a discount, ask whether this customer is likely to stay a year.",
            "Look at how many of your customers from last year are still paying.",
            "Tell marketing which channel's customers are easiest to keep.",
        ),
        "Marketer": (
            "Compute the cost per new customer, not per lead, for your two biggest channels.",
            "Find the channel whose customers stay longest and ask why.",
            "Bring LTV:CAC by channel to your next budget conversation.",
        ),
        "Manager": (
            "Agree with finance which spend counts in CAC (media only, or people too) and write it down.",
            "Check payback against the 12-month rule of thumb for each channel.",
            "Move one small budget on evidence, and say what result would reverse the move.",
        ),
    },
    6: {
        "Seller": (
            "Learn your side of the SLA: how fast you touch a new MQL and how many attempts before closing it.",
            "Check your own first-touch time against the SLA every Friday.",
            "Suggest one shared key result you could move in the next quarter.",
        ),
        "Marketer": (
            "Learn your side of the SLA: how many MQLs a month, at what bar.",
            "Check last month's MQL count against what the revenue goal needs.",
            "Write one key result with a baseline, a target, a date and an owner.",
        ),
        "Manager": (
            "Compute the SLA backwards from the revenue goal and share the arithmetic.",
            "Draft one shared objective with two or three measurable key results.",
            "Name one person on each team for a shout-out for a shared result this month.",
        ),
    },
    7: {
        "Seller": (
            "Send marketing feedback on five leads this week: good fit or a reason from the list.",
            "Offer one customer story for marketing's next piece of content.",
            "Join one marketing planning meeting and ask how a customer would react.",
        ),
        "Marketer": (
            "Invite a seller to your next campaign planning or agency meeting.",
            "Ask sales which content they used in their last three won deals.",
            "Send sellers the launch brief a week before launch, with the promise and the proof.",
        ),
        "Manager": (
            "Set the meeting cadence: a weekly joint pipeline review and a monthly SLA "
            "review, with inputs and outputs.",
            "Put leads, campaigns and sellers' activity where both teams can see them, joined on the lead.",
            "Start one small cross-functional project with a seller and a marketer.",
        ),
    },
    8: {
        "Seller": (
            "Write down the hours you overlap with the marketers you work with most.",
            "Move one status update to a written note so a meeting can be shorter.",
            "Tell your manager if a recurring meeting falls outside your working day.",
        ),
        "Marketer": (
            "Schedule hand-overs so leads arrive inside the sales region's working hours.",
            "Write down the hours you overlap with the sellers you work with most.",
            "Ask one colleague in another time zone what would make meetings fairer for them.",
        ),
        "Manager": (
            "Check every recurring meeting: who is outside working hours, and how often.",
            "Rotate the slot of the one meeting that always burdens the same office.",
            "Write a RACI for the three decisions that cause most confusion between the teams.",
        ),
    },
    9: {
        "Seller": (
            "Expect the first weeks of the new SLA to feel slower, and note what helps you keep up.",
            "Tell your manager one thing about the change you do not understand.",
            "Share one early sign that the new way works, such as a lead you reached within the hour.",
        ),
        "Marketer": (
            "Expect fewer MQLs in the first weeks of a higher bar, and tell sales why before they notice.",
            "Ask your manager what the change means for your campaigns' targets this quarter.",
            "Share one early sign that the new way works, such as a higher share of MQLs accepted.",
        ),
        "Manager": (
            "Draft the change communication plan: what changes for each role, why, and the result expected.",
            "Plan the training that shortens the dip, and put the dates in the calendar.",
            "Name the critics, meet one this week, and show them one early result.",
        ),
    },
    10: {
        "Seller": (
            "Describe in three sentences where leads leak in your own team's funnel.",
            "Name the one fix on your side you would make first, and why.",
            "Check your view against one number from the CRM.",
        ),
        "Marketer": (
            "Describe in three sentences where your campaigns' leads are lost or left waiting.",
            "Name the one change to your campaigns you would make first, and why.",
            "Check your view against one number from your marketing platform.",
        ),
        "Manager": (
            "Run the capstone's diagnosis on your own team with your counterpart.",
            "Propose definitions, an SLA, OKRs and a cadence on one page each.",
            "Present the diagnosis to both teams before proposing fixes.",
        ),
    },
    11: {
        "Seller": (
            "Ask your manager for your team's scorecard and find your own stages in it.",
            "Check that the CRM fields the scorecard needs are filled in on your leads.",
            "Bring one question the scorecard raises to the next pipeline review.",
        ),
        "Marketer": (
            "Ask your manager for your team's scorecard and find your channels' cost per customer in it.",
            "Make sure campaign spend is exported with the leads, so CAC can be computed.",
            "Bring one question about a channel to the next pipeline review.",
        ),
        "Manager": (
            "Run the scorecard on your own CRM export.",
            "Write the team's playbook and circulate it for comments for a week.",
            "Book the first monthly SLA review and the first OKR check-in.",
        ),
    },
}


def items(lesson: int, role: str) -> tuple[str, ...]:
    """The things one role does on Monday after one lesson."""
    module(lesson)  # a clear error for a lesson that does not exist
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}'; choose one of {', '.join(ROLES)}.")
    return ON_MONDAY[lesson][role]


def lesson_html(lesson: int, heading: bool = True) -> str:
    """One lesson's list as HTML, for the notebook cell at the end of the lesson (site and JupyterLab).
    The lessons put the "On Monday" heading in their own Markdown (so it is in the page's contents) and
    show the list without it."""
    parts = [
        '<section class="alignkit-on-monday">'
        + ("<h2>On Monday</h2><p>What each role does in its first week with this lesson:</p>" if heading else "")
    ]
    for role in ROLES:
        parts.append(
            f'<h3>{html.escape(role)}</h3><ul class="alignkit-checkboxes">'
            + "".join(f"<li>{html.escape(item)}</li>" for item in items(lesson, role))
            + "</ul>"
        )
    parts.append("</section>")
    return "".join(parts)


def show(lesson: int):
    """Display one lesson's list in a notebook, under the lesson's own "## On Monday" heading:
    ``from alignkit.ui.onmonday import show; show(3)``."""
    from IPython.display import HTML

    return HTML(lesson_html(lesson, heading=False))


def checklist_markdown(role: str) -> str:
    """Every lesson's list for one role, in course order, as a Markdown checklist (the pathways page)."""
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}'; choose one of {', '.join(ROLES)}.")
    lines = []
    for m in MODULES:
        lines += [f"**{m.number} · {m.title}**", ""]
        lines += [f"- ☐ {item}" for item in items(m.number, role)]
        lines.append("")
    return "\n".join(lines)


def checklist_html(role: str) -> str:
    """Every lesson's list for one role as an HTML checklist, one section per role (the On Monday page
    prints each role on its own sheet)."""
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}'; choose one of {', '.join(ROLES)}.")
    parts = [f'<section class="alignkit-checklist" data-role="{html.escape(role)}"><h2>{html.escape(role)}</h2>']
    for m in MODULES:
        parts.append(
            f'<h3>{m.number} · {html.escape(m.title)}</h3><ul class="alignkit-checkboxes">'
            + "".join(f"<li>{html.escape(item)}</li>" for item in items(m.number, role))
            + "</ul>"
        )
    parts.append("</section>")
    return "".join(parts)
