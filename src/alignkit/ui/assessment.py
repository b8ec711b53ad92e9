"""The final assessment: scenario questions from every lesson, two decision tasks on Northfield's data,
the score per concept, and the completion record's code.

One definition, three places: the site's assessment page embeds :func:`questions_json` and scores it
with ``site_static/alignkit-assessment.js``; the JupyterLab notebook ``12-final-assessment`` scores it
with :func:`score`; ``alignkit verify`` checks a record's code with :func:`verify`. The browser
tests check that the JavaScript gives the same score and the same code as this module.

**The completion record's code.** The code carries the learner's answers and a checksum:

* the answers, one digit per question (0 = not answered, 1–4 = the option chosen), read as one
  number in base 5, fill the first 56 bits;
* the checksum is the first 44 bits of the SHA-256 of the canonical string
  ``alignkit-assessment|<key version>|<name>|<date>|<answer digits>``, where the name is
  Unicode-normalised (NFC), trimmed, with runs of spaces made one and lower-cased, and the date is
  ``YYYY-MM-DD``;
* the 100 bits are written as 20 characters of Crockford's base 32, in groups of five, after the key
  version: ``AK1-XXXXX-XXXXX-XXXXX-XXXXX``.

So a verifier needs no list of anyone's answers: it reads the answers out of the code, recomputes
the checksum from them and the name and date it is given, and scores them with the same answer key.
**This proves consistency, not identity**: a match shows that the code was made from a set of
answers that passes, for that name and that date, with this course's answer key. It does not show
who chose the answers, or that they were not copied; the answer key is in the site's own page (it
has to be, for the page to work offline), so anyone who reads it can make a passing code for any
name. The record is a learner's statement that a manager can check for tampering and typos, not an
exam certificate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .. import __version__
from ..casedata.caching import cached
from .course import CONCEPTS, MODULES

KEY_VERSION = "AK1"  # change when a question, an option's order or the answer key changes
PASS_SHARE = 0.75  # the share of questions a learner must answer right to pass
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
ANSWER_BITS = 56
CHECK_BITS = 44
NORTHFIELD = "northfield"


@dataclass(frozen=True)
class Option:
    """One answer option of a question, with its feedback."""

    text: str
    feedback: str  # why this option is right, or the misconception behind it and what is true instead


@dataclass(frozen=True)
class Question:
    """One question of the assessment: its lesson, concepts, prompt, options and the right one."""

    id: str
    lesson: int  # the lesson the situation comes from
    concepts: tuple[str, ...]
    prompt: str
    options: tuple[Option, ...]
    answer: int  # index of the right option
    kind: str = "scenario"  # or "decision": a task on Northfield's data
    table: tuple[tuple[str, ...], ...] = ()  # for a decision task: header row, then data rows


def _q(id, lesson, concepts, prompt, answer, *options) -> Question:
    return Question(id, lesson, tuple(concepts), prompt, tuple(Option(t, f) for t, f in options), answer)


SCENARIOS = (
    _q(
        "first-call-prep",
        1,
        ["C1"],
        'Diego, an SDR, is about to call a lead from marketing\'s "fewer no-shows" campaign for salons. '
        "He thinks marketing's audience research is theory and that the call will tell him everything. "
        "What is the most useful thing to take from marketing before he dials?",
        1,
        (
            "Nothing: the buyer will say what they need, and a seller who hears it first-hand "
            "knows more than any research.",
            "The call does tell him a lot, but he starts cold: marketers spend their time learning what this "
            "audience worries about and wrote the promise the buyer answered. Opening without it wastes both.",
        ),
        (
            "The campaign's promise and what the research says these buyers worry about.",
            "Right. Marketing owns the audience insight and the message (lesson 1; Chan, paragraph 9); the first call "
            "keeps the campaign's promise and then finds out what this particular buyer needs.",
        ),
        (
            "The lead's score, so he knows how hard to push for a demo on this call.",
            "The score says how well the lead fits and how engaged it is, not what it was promised or what it "
            "worries about. It helps decide the order of calls, not what to say.",
        ),
        (
            "The list of features the campaign mentioned, so he can walk the buyer through each of them.",
            "A feature tour is not the promise: it talks at the buyer instead of opening with what they answered and "
            "finding out what they need.",
        ),
    ),
    _q(
        "content-source",
        1,
        ["C2"],
        "Lena writes marketing's content. She wants to know what small-business owners complain about "
        "this month. Where should she look first?",
        2,
        (
            "Last year's buyer persona document: it was researched carefully and describes the customer in detail.",
            "A persona is a good start but it ages; complaints and trends change month to month.",
        ),
        (
            "Website analytics: the pages people click most show what they care about right now.",
            "Clicks show what people read, not what annoys them or why they did not buy. They are a second "
            "source, not the first.",
        ),
        (
            "Sellers' call notes and loss reasons, and a talk with two sellers.",
            "Right. Sellers talk to customers every day and hold the freshest insight on the market, "
            "complaints and trends (lesson 1; Chan, paragraph 10).",
        ),
        (
            "The sales quota for the quarter, since content should support what sales must close.",
            "Sales' quota pressure is real and worth understanding, but the quota is a target, not a source "
            "of what customers say.",
        ),
    ),
    _q(
        "two-reports",
        1,
        ["C3", "C4"],
        "Marketing calls the last quarter its best ever (MQLs up); sales calls it its worst (revenue flat). "
        "Both reports are about the same quarter. What should the two heads do first?",
        0,
        (
            "Follow the same leads from inquiry to revenue and agree the one number both answer for.",
            "Right. Both reports can be true at once; put them on one journey and judge the quarter by the goal "
            "both teams share, meeting customer needs and growing revenue (lesson 1; Chan, paragraph 12).",
        ),
        (
            "Find out which of the two reports is wrong, correct it, and send the corrected version to both teams.",
            "Usually neither is wrong: each counts something true about its own stage. The problem is that "
            "they answer different questions.",
        ),
        (
            "Accept marketing's report, since MQLs rose, and look for the problem in sales' conversion.",
            "That takes one team's metric as the goal. More MQLs that sales cannot turn into customers may be "
            "the cause of the flat revenue, not a success beside it.",
        ),
        (
            "Ask each team to report less often until the numbers settle, to keep the peace between them.",
            "Less reporting hides the gap; it does not close it.",
        ),
    ),
    _q(
        "never-called",
        2,
        ["C8"],
        "A quarter of last month's MQLs were never contacted by a seller. A sales manager says: \"They were "
        'mostly junk, so it cost us nothing." What is the best answer?',
        3,
        (
            "He is right: a lead nobody called has cost nothing beyond a line in the CRM.",
            "It cost the spend that bought it and the deals it could have become. Nobody knows they were junk "
            "because nobody asked them.",
        ),
        (
            "Only the media money spent to get them, which is easy to read from the campaign reports.",
            "That is part of it. The larger part is usually the deals they would have become at the rate "
            "similar leads that were called convert.",
        ),
        (
            "Nothing yet: if sellers call them all this week, every one of them can still be rescued.",
            "Late calls reach and qualify far fewer leads (Oldroyd and colleagues, HBR 2011); calling now "
            "rescues some, not all.",
        ),
        (
            "The deals they would have brought at the rate similar called leads convert, plus the spend.",
            "Right. Leads lost to poor lead management are the first cost of misalignment (lesson 2; Chan, paragraph "
            "19); value them at the conversion of comparable contacted leads, and say it is an estimate.",
        ),
    ),
    _q(
        "mixed-message",
        2,
        ["C8"],
        'The campaign promised "fewer no-shows". Chen, an account executive, pitches "save admin time" '
        "because it is the pitch he likes. Why does it matter?",
        0,
        (
            "The buyer hears two promises; in Brightline's data off-message deals were won less often.",
            "Right. Inconsistent communication is one of the three costs of misalignment (lesson 2; Chan, paragraph "
            "21). The data shows a link, not proof of the cause, which is why the lesson tests it over many deals.",
        ),
        (
            "It does not: any true benefit sells, and a seller should pitch what they pitch best.",
            "Each benefit may be true; switching the promise the buyer answered makes the company look like it "
            "does not know what it offers.",
        ),
        (
            "It matters for the brand's image, but a closed deal is a closed deal whatever the pitch.",
            "Brightline's deals show a revenue side too: off-message deals were won less often.",
        ),
        (
            "It is a sign marketing should rewrite the campaign around each seller's favourite pitch.",
            "That moves the mix from the call into the campaign. Agree the message together before launch.",
        ),
    ),
    _q(
        "what-alignment-buys",
        2,
        ["C9"],
        "Your director asks what alignment would buy that she could check in a year. Which answer can she check?",
        2,
        (
            "Happier teams and fewer arguments; the rest is real but cannot be measured.",
            "Morale matters, but the main gains show in numbers both teams already keep.",
        ),
        (
            "A jump in revenue in the first month, since both teams will be working on the same leads.",
            "Change usually gets worse before it gets better (lesson 9; Chan, paragraph 43); a "
            "first-month jump is not a fair test.",
        ),
        (
            "Fewer lost leads, less duplicated spend and faster growth, measured before and after.",
            "Right. Optimised processes, mutual support and faster growth are what alignment buys (lesson 2; Chan, "
            "paragraph 22), and each has a before-and-after measure.",
        ),
        (
            "A smaller team, because sellers will need fewer leads to reach the same quota.",
            "Alignment is not a headcount plan; it makes the same work go further.",
        ),
    ),
    _q(
        "shared-metric",
        3,
        ["C4"],
        "Marketing and sales want one metric on the wall that both can move. Which is it?",
        1,
        (
            "MQLs per month, since every customer starts as an MQL.",
            "Only marketing moves it, and more MQLs can mean worse ones.",
        ),
        (
            "Conversion from MQL to won customer, with the revenue it brings.",
            "Right. It spans stages both teams touch on the customer journey, so neither can win it alone (lesson 3).",
        ),
        (
            "Calls per seller per day, since activity drives everything downstream.",
            "Only sales moves it, and it counts effort, not results.",
        ),
        (
            "Visits to the website, the widest measure of interest in the product.",
            "Far from revenue and owned by marketing alone.",
        ),
    ),
    _q(
        "mql-bar",
        4,
        ["C6"],
        "Sales rejects more than half of marketing's MQLs and says they are junk; marketing says sales does "
        "not call them. What fixes the argument?",
        0,
        (
            "Written MQL and SQL definitions, checked against acceptance and capacity, reviewed monthly.",
            "Right. Shared definitions of MQL and SQL prevent the confusion (lesson 4; Chan, paragraph 16); the bar "
            "trades volume against acceptance and capacity.",
        ),
        (
            "Set the bar as high as possible, so that sales only ever receives leads that are ready to buy.",
            "A bar too high starves sales: it gets few MQLs, has capacity to spare and good leads below the "
            "bar wait. That is one of Northfield's problems.",
        ),
        (
            "Let each seller decide what counts as qualified, since sellers are the ones who talk to the leads.",
            "Then every seller has a different definition and nobody can measure the handover.",
        ),
        (
            "Count every lead that downloads anything as an MQL, so that no potential customer is ever missed.",
            "That maximises volume and guarantees the rejections continue.",
        ),
    ),
    _q(
        "hand-back",
        4,
        ["C6", "C10"],
        "Arjun, an SDR, has called a lead twice and finds it is a student writing a thesis. What should he do?",
        2,
        (
            "Leave it open in the CRM; students become business owners, and it might turn into something.",
            "An open lead nobody works counts as a lost lead and hides the problem from marketing.",
        ),
        (
            "Delete it, so that it does not drag down his acceptance numbers or the team's pipeline.",
            "Deleting removes the evidence marketing needs to fix the source.",
        ),
        (
            "Hand it back as rejected, with the agreed reason “student or job seeker”, in the CRM.",
            "Right. A reason from the agreed list closes the loop (lessons 4 and 7): marketing can count "
            "reasons by campaign and fix the source.",
        ),
        (
            "Tell marketing in the team chat that this campaign is sending students, so they know.",
            "A complaint without a reason marketing can count changes nothing; a chat message is lost by Friday.",
        ),
    ),
    _q(
        "cheap-leads",
        5,
        ["C5", "C4"],
        "Paid social brings leads for about a quarter of what webinar leads cost. Marketing proposes moving "
        "the whole webinar budget to paid social. What should decide it?",
        3,
        (
            "The cost per lead: the channel that brings leads for a quarter of the price is the better buy.",
            "Cheap leads that rarely become customers, or customers who leave soon, can cost more per customer "
            "and be worth less.",
        ),
        (
            "The channel that brings the most leads, since volume is what fills the sellers' calendars.",
            "Volume is not value; the bigger channel may send sales the most rejections.",
        ),
        (
            "Whatever sales prefers, since sellers are the ones who have to work the leads.",
            "Sellers' feedback matters, but the decision needs the money per customer too.",
        ),
        (
            "The cost per new customer (CAC) and those customers' lifetime value (LTV), by channel.",
            "Right. Economics both teams own compare CAC, LTV and payback by channel (lesson 5); the cost per "
            "lead alone misleads.",
        ),
    ),
    _q(
        "okr-key-result",
        6,
        ["C15"],
        'A draft OKR reads: Objective "Give every lead a great first experience"; key result "Improve '
        'follow-up". What is wrong with it?',
        2,
        (
            "The objective should be a number too, like “raise the first-experience score to 9”.",
            'No: objectives are qualitative (the "what"); key results carry the numbers (the "how").',
        ),
        (
            "Nothing: it is clear what the team wants, and a number would only limit it.",
            'Nobody can score "improve": at the end of the quarter the team cannot tell whether it succeeded.',
        ),
        (
            "The key result cannot be scored: it needs a measure, a baseline, a target and a date.",
            "Right. Objectives are qualitative, key results quantitative, and the objective succeeds as its "
            "key results progress (lesson 6; Albert Chan on Meta's practice, interview with Laba, paragraph 41).",
        ),
        (
            "A key result should be a task the team will do, like “run a follow-up training”.",
            "A task is an input; a key result measures the result the task should bring.",
        ),
    ),
    _q(
        "celebrate",
        6,
        ["C7"],
        'The shared key result "median first touch under 8 hours" was met this quarter. Who gets the '
        "shout-out at the all-hands?",
        3,
        (
            "The sellers, since they made the calls that brought the median down.",
            "They did their part, but marketing's cleaner hand-overs and timing made fast calls possible.",
        ),
        (
            "No one in particular: meeting a target is simply doing the job well.",
            "Recognising shared wins is what keeps both teams committed to the shared goal.",
        ),
        (
            "Marketing, since cleaner MQLs with the right timing made the fast calls possible.",
            "Half the story; the sellers' speed is the other half.",
        ),
        (
            "Both teams, by name, for the result and what each did towards it.",
            "Right. Recognise and celebrate both teams' achievements (lesson 6; Chan, paragraph 17): it shows the "
            "collaboration mattered.",
        ),
    ),
    _q(
        "one-platform",
        7,
        ["C14"],
        "Marketing cannot see which MQLs sales called; sales cannot see which campaign a lead came from. "
        "What is the lasting fix?",
        1,
        (
            "Each team keeps the tool it knows best; good will between the two heads is enough.",
            "Trust does not show a seller which campaign a lead answered.",
        ),
        (
            "Leads, campaigns and sellers' activity in one system both teams see.",
            "Right. HubSpot's example: shared KPIs set by management and one integrated platform, so leads, "
            "campaigns and interactions are visible to both teams (lesson 7; Chan, paragraphs 37 and 38).",
        ),
        (
            "A spreadsheet of leads and calls emailed to both teams every Friday afternoon.",
            "Better than nothing, but it is late, copied by hand and seen by whoever opens it.",
        ),
        (
            "Ask sellers to type the campaign name into their call notes for every lead.",
            "Sellers would have to look it up somewhere, and free text cannot be counted reliably.",
        ),
    ),
    _q(
        "launch-planning",
        7,
        ["C11"],
        "Product marketing is planning next quarter's launch with an agency. When should sales come in?",
        2,
        (
            "On launch day, so that sellers are not distracted or biased by early drafts.",
            "By launch day the message is fixed; sellers can only repeat it or ignore it.",
        ),
        (
            "When the campaign's leads start arriving, since that is when sales has work to do.",
            "Then sales hears about the promise from the customers first.",
        ),
        (
            "In the planning: a seller at the agency meeting, asked how customers would react.",
            "Right. Chan describes this P&G practice (paragraph 25): sales in marketing's planning and agency "
            "meetings, and the reverse (lesson 7).",
        ),
        (
            "Never: positioning is marketing's job, and sellers should pitch what marketing decides.",
            "Marketing owns the message; sellers know how customers react to it.",
        ),
    ),
    _q(
        "formal-informal",
        7,
        ["C10"],
        "The two teams meet every week for the joint pipeline review, yet marketers still say they do not "
        "know what happens on calls. What would help most?",
        0,
        (
            "Add informal ties: marketers sit in on calls, a seller joins a cross-team project.",
            "Right. Combine formal and informal collaboration, for instance through cross-functional projects "
            "(lesson 7; Chan, paragraph 24).",
        ),
        (
            "Add a second formal meeting each week, with call reviews on the agenda.",
            "More of the same format rarely brings the call into the room.",
        ),
        (
            "Replace the weekly review with a chat channel, so questions flow all week.",
            "The review is where numbers are agreed; a chat channel cannot do that.",
        ),
        (
            "Nothing more: the weekly review already covers what marketing needs to know.",
            "The marketers are telling you it is not.",
        ),
    ),
    _q(
        "time-zone-fair",
        8,
        ["C12"],
        "Priya, an SDR in Singapore, keeps missing the weekly call set for 9:00 in Toronto, late evening for "
        "her. What should the team lead do?",
        3,
        (
            "Insist on the slot: the meeting is set at head office's time, and everyone knew it.",
            "One office carries the whole cost, every week; people stop coming or stop speaking.",
        ),
        (
            "Drop Singapore from the call and send them the notes afterwards instead.",
            "The APAC region loses its voice in decisions about its own leads.",
        ),
        (
            "Record the call, so that Priya can watch it the next morning at her own time.",
            "A recording helps, but Priya still cannot ask or answer in it.",
        ),
        (
            "Ask Priya what works, rotate the slot, and move updates to writing.",
            "Right. Same storm, different boats: empathy for each person's situation, with clear expectations "
            "for everyone (lesson 8; Chan, paragraphs 29 and 31).",
        ),
    ),
    _q(
        "in-person-day",
        8,
        ["C13"],
        "The teams have budget for one in-person day this half-year. Which meeting should it be?",
        1,
        (
            "The weekly pipeline review, since it is the meeting where the numbers are decided.",
            "A regular meeting with a fixed agenda works well virtually.",
        ),
        (
            "The kick-off where both teams agree the new definitions and get to know each other.",
            "Right. As Chan reports Tsedal Neeley's research (paragraphs 33 and 34), time in person matters most for "
            "collaboration and culture; regular meetings, all-hands and FYI updates work virtually (lesson 8).",
        ),
        (
            "The quarterly all-hands, since it is the one time everyone is in the same meeting.",
            "Mostly listening; it works virtually.",
        ),
        (
            "The training on the new CRM fields, so that everyone learns them the same way.",
            "Training on new fields is information; it works virtually, and a recording helps people who join later.",
        ),
    ),
    _q(
        "the-dip",
        9,
        ["C16"],
        "Six weeks into the new SLA and definitions, pipeline is down. A critic says: \"It's failing; let's go "
        'back." What should the leader do?',
        0,
        (
            "Name the expected dip, show early gains, shorten it, and set a date to judge.",
            "Right. Change gets worse before it gets better; the leader's job is to shorten the dip and win the "
            "critics over by showing value (lesson 9; Chan, paragraphs 43 and 44).",
        ),
        (
            "Roll back to the old way: the numbers are the numbers, and pipeline pays salaries.",
            "Judging a change in its dip throws away the recovery the dip pays for.",
        ),
        (
            "Stop reporting the numbers until they improve, so that the critics lose their argument.",
            "Hiding the dip loses trust exactly when it is needed.",
        ),
        (
            "Raise the targets for next month to push people through the change faster.",
            "More pressure during the dip usually deepens it.",
        ),
    ),
    _q(
        "announce-change",
        9,
        ["C17"],
        "The SLA and the new MQL definition start next month. How should the SDRs hear about it?",
        3,
        (
            "In one clear email from the CEO, so that everyone hears the same words at once.",
            "One message is not enough; Kotter found leaders under-communicate change by a factor of ten.",
        ),
        (
            "They will notice the new fields in the CRM, and their manager can answer questions as they come up.",
            "People who do not know why something changed resist it.",
        ),
        (
            "After the first quarter, when the results are in and the change has proved itself.",
            "By then they have lived through the dip without knowing it was expected.",
        ),
        (
            "From their manager: what changes for them, why, and the result expected; then updates.",
            "Right. Clear expectations for every role, regular and transparent communication, and support in "
            "hard times (lesson 9; Chan, paragraphs 45 and 46).",
        ),
    ),
    _q(
        "copy-the-bar",
        10,
        ["C6", "C4"],
        "You join a new company and are asked to fix its handover in a month. Brightline's MQL bar is 55. "
        "What do you do first?",
        1,
        (
            "Set the new company's bar to 55 as well: it worked at Brightline, so it is a proven number.",
            "A bar belongs to a company's own leads, scores and sales capacity. Northfield's problem, for "
            "instance, is a bar set too high.",
        ),
        (
            "Trace its own leads through its funnel, then propose from its own numbers.",
            "Right. The capstone applies the method, not Brightline's numbers (lesson 10).",
        ),
        (
            "Ask the sellers which leads they want to receive, and set the bar to match that.",
            "Sellers' view is one input; the bar needs the data on acceptance and capacity too.",
        ),
        (
            "Take best-in-class conversion benchmarks from the industry and set targets from them.",
            "Forrester itself says there is no best-in-class waterfall benchmark: use your own baseline.",
        ),
    ),
    _q(
        "own-scorecard",
        11,
        ["C5"],
        'Your team\'s scorecard, built from your CRM export, shows CAC as "unavailable: no spend". Your '
        "manager wants a CAC figure for Monday. What do you give her?",
        2,
        (
            "An industry-average CAC for a company of your size, so that the slide is not empty.",
            "Someone else's figure shown as yours is a wrong number shown with confidence.",
        ),
        (
            "Marketing's media spend divided by all the leads in the export: close enough for now.",
            "That is a cost per lead, not per customer; calling it CAC misleads.",
        ),
        (
            "The figures the export supports, and a request for the spend data CAC needs.",
            "Right. CAC = spend ÷ new customers (Skok); without spend it cannot be computed, and the scorecard "
            "says so rather than guessing (lesson 11).",
        ),
        (
            "Leave CAC off the slide and do not mention it, since the data cannot support it.",
            "Silently dropping it hides the gap; say what is missing and how to get it.",
        ),
    ),
)


# --- decision tasks on Northfield's data ----------------------------------------------------------


def _money(x: float) -> str:
    return f"${x:,.0f}"


@cached(maxsize=1)
def northfield_facts() -> dict:
    """The figures the two decision tasks show and their answers, computed from ``data/northfield``.

    * per channel over the company's whole year: leads, media spend, new customers and media spend
      per new customer (:func:`alignkit.metrics.economics.channel_economics` with no people cost);
    * the SLA case: the average won deal, MQL→opportunity and opportunity→won rates over all of
      Northfield's leads (:func:`alignkit.metrics.sla.rates_from_data`), and a goal of a fifth more won
      revenue a month than the last three months brought, rounded to $5,000.
    """
    import pandas as pd

    from ..casedata.dataset import load_company
    from ..metrics.economics import channel_economics
    from ..metrics.sla import rates_from_data, round_up, sla_from_goal

    data = load_company(NORTHFIELD)
    first = pd.Period(data.profile.first_month, "M")
    last = first + data.profile.months - 1
    channels = channel_economics(data, str(first), str(last), people_cost="none")
    rates = rates_from_data(data.leads, data.opportunities)
    won = data.opportunities[data.opportunities["outcome"] == "won"]
    closed = won["closed_at"].dt.to_period("M")
    recent = float(won.loc[closed > last - 3, "amount_usd"].sum()) / 3
    goal = math.ceil(recent * 1.2 / 5000) * 5000
    plan = sla_from_goal(goal, rates["average_deal"], rates["lead_to_opportunity"], rates["opportunity_to_win"])
    people = data.people.set_index("role")["name"]
    return {
        "channels": channels,
        "rates": rates,
        "goal": goal,
        "recent_monthly_won": recent,
        "mqls": round_up(plan.leads_per_month),
        "deals": plan.deals_needed,
        "opportunities": plan.opportunities_needed,
        "head_of_marketing": people["head of marketing"],
        "head_of_sales": people["head of sales"],
        "months": data.profile.months,
        "first": str(first),
        "last": str(last),
    }


def _channel_task(f: dict) -> Question:
    ch = f["channels"].sort_values("media_cac", ascending=False)
    names = sorted(ch.index)
    costliest = ch.index[0]
    biggest_spend = ch["media_spend"].idxmax()
    most_leads = ch["leads"].idxmax()
    fewest_leads = ch["leads"].idxmin()
    options = []
    for name in names:
        row = ch.loc[name]
        said = (
            f"{name.capitalize()} cost {_money(row['media_cac'])} of media per new customer "
            f"({_money(row['media_spend'])} for {int(row['new_customers'])} customers)."
        )
        if name == costliest:
            nxt = ch.iloc[1]
            fb = (
                f"Right. {said} That is {row['media_cac'] / nxt['media_cac']:.1f} times the next most "
                f"expensive channel, {ch.index[1]}: cutting here loses the fewest customers per dollar saved "
                f"(lessons 5 and 10). With {int(row['new_customers'])} customers the figure is rough, but a gap this "
                "wide is not noise; check what those customers are worth over time before cutting."
            )
        else:
            why = []
            if name == biggest_spend:
                why.append("it has the biggest budget, but a big budget is not a poor one")
            if name == most_leads:
                why.append("it brings the most leads")
            if name == fewest_leads:
                why.append("it brings the fewest leads, but few leads can still be cheap customers")
            fb = (
                said
                + (" Tempting because " + " and ".join(why) + "; but " if why else " ")
                + f"what a cut costs is customers, and {costliest} spends far more for each one."
            )
        options.append(Option(name.capitalize(), fb))
    table = (("channel", "media spend per new customer", "media spend", "new customers", "leads"),) + tuple(
        (
            n.capitalize(),
            _money(ch.loc[n, "media_cac"]),
            _money(ch.loc[n, "media_spend"]),
            f"{int(ch.loc[n, 'new_customers']):,}",
            f"{int(ch.loc[n, 'leads']):,}",
        )
        for n in names
    )
    return Question(
        "northfield-channel",
        10,
        ("C5", "C8"),
        f"Northfield (the capstone company): {f['head_of_marketing']}, head of marketing, must cut one "
        f"channel's budget by a third next quarter, and {f['head_of_sales']}, head of sales, wants to lose as "
        f"few new customers as possible. The table is Northfield's year ({f['first']} to {f['last']}). "
        f"Which channel should the cut fall on?",
        tuple(options),
        names.index(costliest),
        kind="decision",
        table=table,
    )


def _sla_task(f: dict) -> Question:
    r = f["rates"]
    goal, deal, l2o, o2w = f["goal"], r["average_deal"], r["lead_to_opportunity"], r["opportunity_to_win"]
    from ..metrics.sla import round_up

    right = f["mqls"]
    no_l2o = round_up(goal / deal / o2w)  # stopped at opportunities
    no_o2w = round_up(goal / deal / l2o)  # forgot that not every opportunity is won
    deals_only = round_up(goal / deal)  # counted customers as leads
    values = [(right, "right"), (no_l2o, "opps"), (no_o2w, "wins"), (deals_only, "deals")]
    values.sort(key=lambda v: v[0])
    fb = {
        "right": (
            f"Right. {_money(goal)} ÷ {_money(deal)} = {goal / deal:.1f} deals; ÷ {o2w:.1%} won = "
            f"{goal / deal / o2w:.1f} opportunities; ÷ {l2o:.1%} of MQLs becoming opportunities = "
            f"{goal / deal / o2w / l2o:.1f}, so {right:,} MQLs a month, rounded up (HubSpot Academy's "
            f"method, lesson 6)."
        ),
        "opps": (
            f"That is the number of opportunities needed ({no_l2o:,}). Marketing hands over MQLs, and "
            f"only {l2o:.1%} of them become opportunities: divide once more."
        ),
        "wins": (f"This divides by the MQL→opportunity rate but forgets that only {o2w:.1%} of opportunities are won."),
        "deals": (
            f"{deals_only:,} is the number of deals the goal needs, not the MQLs: every stage loses leads on the way."
        ),
    }
    options = tuple(Option(f"{v:,} MQLs a month", fb[k]) for v, k in values)
    table = (
        ("figure", "value"),
        ("Revenue goal for a month", _money(goal)),
        ("Average won deal", _money(deal)),
        ("MQL → opportunity", f"{l2o:.1%}"),
        ("Opportunity → won", f"{o2w:.1%}"),
    )
    return Question(
        "northfield-sla",
        6,
        ("C14", "C5"),
        f"Northfield's heads of sales and marketing are writing their SLA backwards from the revenue goal: "
        f"won deals worth {_money(goal)} a month, a fifth more than the last three months brought. With "
        f"the rates of Northfield's year below, how many MQLs a month should marketing owe sales?",
        options,
        [k for _, k in values].index("right"),
        kind="decision",
        table=table,
    )


@lru_cache(maxsize=1)
def questions() -> tuple[Question, ...]:
    """Every question in order: the scenarios, then the two decision tasks."""
    f = northfield_facts()
    return SCENARIOS + (_channel_task(f), _sla_task(f))


# --- scoring ----------------------------------------------------------------------------------------


def teaching_lessons(concept: str) -> list[int]:
    """The lessons (1–9) that teach a concept, from the course map; the capstone and playbook cover all."""
    return [m.number for m in MODULES if concept in m.concepts and 0 < m.number < 10]


def pass_mark(n: int | None = None) -> int:
    """Questions a learner must answer right to pass: :data:`PASS_SHARE` of them, rounded up."""
    n = len(questions()) if n is None else n
    return math.ceil(PASS_SHARE * n - 1e-9)


def _check_answers(answers) -> list[int | None]:
    qs = questions()
    answers = list(answers)
    if len(answers) != len(qs):
        raise ValueError(f"expected {len(qs)} answers (one per question, None for a blank), got {len(answers)}.")
    for q, a in zip(qs, answers, strict=True):
        if a is not None and (not isinstance(a, int) or isinstance(a, bool) or not 0 <= a < len(q.options)):
            raise ValueError(f"question '{q.id}' has options 0 to {len(q.options) - 1}; got {a!r}.")
    return answers


def score(answers) -> dict:
    """Score a set of answers (option index per question, None if blank).

    Returns ``right`` and ``total``; ``passed`` (right ≥ :func:`pass_mark`); ``concepts``: for each
    concept C1–C17, the questions that assess it, how many are right, and the lessons to revisit
    when any is missed (:func:`teaching_lessons`); ``wrong``: the ids of questions missed or blank.
    """
    answers = _check_answers(answers)
    qs = questions()
    right = [a == q.answer for q, a in zip(qs, answers, strict=True)]
    concepts = {}
    for c in CONCEPTS:
        asked = [i for i, q in enumerate(qs) if c in q.concepts]
        got = sum(right[i] for i in asked)
        concepts[c] = {"asked": len(asked), "right": got, "revisit": teaching_lessons(c) if got < len(asked) else []}
    n = sum(right)
    return {
        "right": n,
        "total": len(qs),
        "pass_mark": pass_mark(len(qs)),
        "passed": n >= pass_mark(len(qs)),
        "concepts": concepts,
        "wrong": [q.id for q, ok in zip(qs, right, strict=True) if not ok],
    }


# --- the record's code ------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """The name as the code uses it: NFC, trimmed, inner whitespace made one space, lower case."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(name))).strip().lower()


def check_date(date: str) -> str:
    """``YYYY-MM-DD``, a real calendar date; anything else is a clear error."""
    text = str(date).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"the date must be written YYYY-MM-DD (got {date!r}).")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{date!r} is not a calendar date.") from None
    return text


def _digits(answers) -> str:
    return "".join("0" if a is None else str(a + 1) for a in answers)


def canonical(name: str, date: str, answers) -> str:
    """The string the checksum is computed over (see the module's docstring)."""
    return f"alignkit-assessment|{KEY_VERSION}|{normalise_name(name)}|{check_date(date)}|{_digits(answers)}"


def _checksum(name: str, date: str, answers) -> int:
    digest = hashlib.sha256(canonical(name, date, answers).encode("utf-8")).digest()
    return int.from_bytes(digest, "big") >> (256 - CHECK_BITS)


def record_code(name: str, date: str, answers) -> str:
    """The completion record's code for these answers, name and date."""
    answers = _check_answers(answers)
    if not normalise_name(name):
        raise ValueError("the record needs a name.")
    packed = 0
    for d in reversed(_digits(answers)):
        packed = packed * 5 + int(d)
    value = (packed << CHECK_BITS) | _checksum(name, date, answers)
    chars = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range((ANSWER_BITS + CHECK_BITS) // 5)))
    return KEY_VERSION + "-" + "-".join(chars[i : i + 5] for i in range(0, len(chars), 5))


def decode_code(code: str) -> list[int | None]:
    """The answers a code carries (without checking its checksum). A malformed code is a clear error."""
    text = re.sub(r"[\s-]", "", str(code)).upper()
    if not text.startswith(KEY_VERSION):
        found = re.match(r"AK\d+", text)
        if found:
            raise ValueError(
                f"this code is for version {found.group()} of the assessment; this course checks {KEY_VERSION} codes."
            )
        raise ValueError(f"a record's code starts with {KEY_VERSION}- (got {code!r}).")
    body = text[len(KEY_VERSION) :].translate(str.maketrans("OIL", "011"))
    if len(body) != (ANSWER_BITS + CHECK_BITS) // 5 or any(c not in ALPHABET for c in body):
        raise ValueError(
            f"a record's code has {KEY_VERSION} and 20 letters or digits in groups of five; {code!r} does not."
        )
    value = 0
    for c in body:
        value = value * 32 + ALPHABET.index(c)
    packed = value >> CHECK_BITS
    qs = questions()
    answers: list[int | None] = []
    for q in qs:
        packed, d = divmod(packed, 5)
        if d > len(q.options):
            raise ValueError("this code holds an answer no question has: it was mistyped or changed.")
        answers.append(None if d == 0 else d - 1)
    if packed:
        raise ValueError("this code holds more answers than the assessment has questions: it was mistyped or changed.")
    return answers


def verify(code: str, name: str, date: str) -> dict:
    """Check a record's code against a name and a date.

    Returns ``matches`` (the checksum fits these answers, this name and this date), and when it matches
    the :func:`score` of the answers it carries (so ``passed`` says whether they pass). A malformed code
    or date raises ``ValueError`` with the reason.
    """
    answers = decode_code(code)
    date = check_date(date)
    expected = record_code(name, date, answers)
    matches = re.sub(r"[\s-]", "", expected) == re.sub(r"[\s-]", "", str(code)).upper().translate(
        str.maketrans("OIL", "011")
    )
    return {"matches": matches, **(score(answers) if matches else {})}


# --- views: the site's page, the record -------------------------------------------------------------


def concept_rows(result: dict) -> list[dict]:
    """One row per concept assessed: its name, right/asked, and the lessons to revisit."""
    return [
        {"concept": c, "name": CONCEPTS[c], "right": v["right"], "asked": v["asked"], "revisit": v["revisit"]}
        for c, v in result["concepts"].items()
        if v["asked"]
    ]


def lesson_titles() -> dict[int, dict]:
    """Each lesson's title and page, by number (for the assessment's feedback)."""
    return {m.number: {"title": m.title, "page": m.page} for m in MODULES}


def questions_json() -> str:
    """Everything the site's script needs, as JSON: the questions with their options, feedback and key,
    the concepts, the lessons, the pass mark and the code's parameters."""
    qs = questions()
    payload = {
        "keyVersion": KEY_VERSION,
        "courseVersion": __version__,
        "passShare": PASS_SHARE,
        "passMark": pass_mark(len(qs)),
        "answerBits": ANSWER_BITS,
        "checkBits": CHECK_BITS,
        "alphabet": ALPHABET,
        "concepts": CONCEPTS,
        "lessons": {str(k): v for k, v in lesson_titles().items()},
        "teaching": {c: teaching_lessons(c) for c in CONCEPTS},
        "questions": [
            {
                "id": q.id,
                "lesson": q.lesson,
                "concepts": list(q.concepts),
                "answer": q.answer,
                "options": [{"text": o.text, "feedback": o.feedback} for o in q.options],
            }
            for q in qs
        ],
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _table_html(rows, label: str = "the figures for this task") -> str:
    """A decision task's table, in a region that scrolls sideways on a narrow screen (and can be
    scrolled from the keyboard)."""
    head, *body = rows
    return (
        f'<div class="alignkit-table-scroll" tabindex="0" role="region" aria-label="{html.escape(label)}">'
        '<table class="table alignkit-assessment-table"><thead><tr>'
        + "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
        + "</tr></thead><tbody>"
        + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in body)
        + "</tbody></table></div>"
    )


def form_html() -> str:
    """The assessment as an HTML form for the site: questions as radio groups (they read and can be
    answered without the script), the learner's name and date, and the places the script fills."""
    parts = ['<form class="alignkit-assessment" id="alignkit-assessment" novalidate>']
    for i, q in enumerate(questions()):
        label = "Decision task" if q.kind == "decision" else "Question"
        parts.append(
            f'<fieldset class="alignkit-question" data-question="{q.id}" id="q-{q.id}">'
            f'<legend><span class="alignkit-qnum">{label} {i + 1}</span> {html.escape(q.prompt)}</legend>'
        )
        if q.table:
            parts.append(_table_html(q.table, f"Figures for {label.lower()} {i + 1}"))
        for j, o in enumerate(q.options):
            parts.append(
                f'<div class="alignkit-option"><input type="radio" name="{q.id}" id="{q.id}-{j}" value="{j}">'
                f'<label for="{q.id}-{j}">{html.escape(o.text)}</label></div>'
            )
        parts.append('<p class="alignkit-qfeedback" aria-live="polite"></p></fieldset>')
    parts.append(
        '<fieldset class="alignkit-record-fields"><legend>For your completion record (optional)</legend>'
        '<div><label for="alignkit-name">Your name</label> '
        '<input type="text" id="alignkit-name" autocomplete="name"></div>'
        '<div><label for="alignkit-date">Date</label> <input type="date" id="alignkit-date"></div></fieldset>'
        '<p><button type="submit" class="btn btn-primary alignkit-score">Score my answers</button> '
        '<button type="reset" class="btn btn-secondary">Start again</button></p>'
        '<p class="alignkit-assessment-nojs">Scoring needs JavaScript; the questions can be read without it.</p>'
        '</form><section class="alignkit-result" id="alignkit-result" aria-live="polite" hidden></section>'
        f'<script type="application/json" id="alignkit-assessment-data">{questions_json()}</script>'
    )
    return "".join(parts)


def verify_form_html() -> str:
    """The verification form for the site: code, name and date in, verdict out (the script does it)."""
    return (
        '<form class="alignkit-verify" id="alignkit-verify" novalidate>'
        '<div><label for="alignkit-verify-code">Code on the record</label> '
        '<input type="text" id="alignkit-verify-code" autocomplete="off" spellcheck="false" '
        'placeholder="AK1-XXXXX-XXXXX-XXXXX-XXXXX"></div>'
        '<div><label for="alignkit-verify-name">Name on the record</label> '
        '<input type="text" id="alignkit-verify-name"></div>'
        '<div><label for="alignkit-verify-date">Date on the record</label> '
        '<input type="date" id="alignkit-verify-date"></div>'
        '<p><button type="submit" class="btn btn-primary">Check the code</button></p></form>'
        '<section class="alignkit-verify-result" id="alignkit-verify-result" aria-live="polite" hidden></section>'
        f'<script type="application/json" id="alignkit-assessment-data">{questions_json()}</script>'
    )


def record_html(name: str, date: str, answers) -> str:
    """A one-page completion record as a self-contained HTML document (to print or save as PDF)."""
    result = score(answers)
    code = record_code(name, date, answers)
    rows = "".join(
        f"<tr><td>{r['concept']}</td><td>{html.escape(r['name'])}</td><td>{r['right']} of {r['asked']}</td>"
        f"<td>{'lesson ' + ', '.join(map(str, r['revisit'])) if r['revisit'] else ''}</td></tr>"
        for r in concept_rows(result)
    )
    verdict = "Passed" if result["passed"] else "Not passed yet"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Completion record</title>
<style>body{{font-family:sans-serif;margin:2em;font-size:11pt}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #999;padding:3px 6px;text-align:left}}code{{font-size:14pt}}\
@page{{size:auto;margin:14mm}}</style>
</head><body><h1>Sales &amp; Marketing Alignment Playbook: completion record</h1>
<p><strong>Name:</strong> {html.escape(name.strip())} &nbsp; <strong>Date:</strong> {html.escape(date)}
&nbsp; <strong>Course version:</strong> {__version__} (assessment {KEY_VERSION})</p>
<p><strong>{verdict}:</strong> {result["right"]} of {result["total"]} right; the pass mark is {result["pass_mark"]}.</p>
<table><thead><tr><th>concept</th><th>what it is</th><th>score</th><th>revisit</th></tr></thead>\
<tbody>{rows}</tbody></table>
<p><strong>Code:</strong> <code>{code}</code></p>
<p>To check this record, enter the code, the name and the date on the course site's "Check a completion
record" page, or run <code>alignkit verify {code} --name "{html.escape(name.strip())}" --date {date}</code>.
A match proves consistency, not identity: the code fits a set of answers that passes, for this name and
date; it does not prove who answered them.</p></body></html>"""


# --- alignkit verify --------------------------------------------------------------------------------


def add_verify_arguments(parser) -> None:
    """The arguments of ``alignkit verify CODE --name NAME --date YYYY-MM-DD``."""
    parser.description = (
        "Check a completion record's code against the name and date on it. A match proves consistency, not identity."
    )
    parser.add_argument("code", help="the code on the record, e.g. AK1-XXXXX-XXXXX-XXXXX-XXXXX")
    parser.add_argument("--name", required=True, help="the name as printed on the record")
    parser.add_argument("--date", required=True, help="the date on the record, YYYY-MM-DD")


def run_verify(args) -> int:
    """``alignkit verify``: 0 when the code matches a passing set of answers, 1 when it does not match
    or does not pass, 2 when the code or the date is malformed."""
    import sys

    try:
        result = verify(args.code, args.name, args.date)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not result["matches"]:
        print(
            f"The code does not match the name {args.name.strip()!r} and the date {args.date}: check both as "
            f"printed on the record; if they are right, the code or the record was changed."
        )
        return 1
    verdict = "passes" if result["passed"] else "does not reach the pass mark"
    print(
        f"The code matches {args.name.strip()!r} on {args.date}. The answers it carries: {result['right']} of "
        f"{result['total']} right; pass mark {result['pass_mark']}: it {verdict}."
    )
    for row in concept_rows(result):
        revisit = f"  revisit lesson {', '.join(map(str, row['revisit']))}" if row["revisit"] else ""
        print(f"  {row['concept']:>3}  {row['right']} of {row['asked']}  {row['name']}{revisit}")
    print(
        "This proves consistency, not identity: the code fits these answers, this name and this date; it "
        "does not show who chose the answers."
    )
    return 0 if result["passed"] else 1


# --- the JupyterLab form (notebooks/final-assessment.ipynb) ------------------------------------------


def result_html(answers, name: str = "", date: str = "") -> str:
    """The result as HTML: feedback on each question, the score per concept, and the record's code
    when a name and a date are given. The notebook's form shows it; it is :func:`score` made readable."""
    result = score(answers)
    parts = [
        f"<h3>Your result</h3><p><strong>{result['right']} of {result['total']} right</strong>; the pass mark "
        f"is {result['pass_mark']}. "
        f"{'Passed.' if result['passed'] else 'Not passed yet: revisit the lessons below.'}</p>",
        "<table><thead><tr><th>concept</th><th>what it is</th><th>right</th><th>revisit</th></tr></thead><tbody>",
    ]
    titles = lesson_titles()
    for row in concept_rows(result):
        revisit = ", ".join(f"{n}. {html.escape(titles[n]['title'])}" for n in row["revisit"]) or "—"
        parts.append(
            f"<tr><td>{row['concept']}</td><td>{html.escape(row['name'])}</td>"
            f"<td>{row['right']} of {row['asked']}</td><td>{revisit}</td></tr>"
        )
    parts.append("</tbody></table><h3>Feedback on each question</h3><ol>")
    for q, a in zip(questions(), answers, strict=True):
        right = q.options[q.answer]
        if a == q.answer:
            text = right.feedback
        elif a is None:
            text = f"Not answered. The right answer: “{right.text}” {right.feedback}"
        else:
            text = f"Not quite. {q.options[a].feedback} The right answer: “{right.text}”"
        parts.append(f"<li>{html.escape(text)}</li>")
    parts.append("</ol>")
    if normalise_name(name) and date:
        parts.insert(1, f"<p>Completion record code: <code>{html.escape(record_code(name, date, answers))}</code></p>")
    return "".join(parts)


def notebook_form():
    """The assessment as ipywidgets: one set of radio buttons per question, the name and the date, and a
    button that shows :func:`result_html` and writes ``completion-record.html`` (:func:`record_html`)
    next to the notebook when a name and a date are given."""
    from pathlib import Path

    import ipywidgets as w

    boxes, radios = [], []
    for i, q in enumerate(questions()):
        label = "Decision task" if q.kind == "decision" else "Question"
        head = f"<p><strong>{label} {i + 1}.</strong> {html.escape(q.prompt)}</p>"
        if q.table:
            head += _table_html(q.table, f"Figures for {label.lower()} {i + 1}")
        # the options as text (a radio button's label is one line high in JupyterLab), then A-D to choose
        head += "<ol type='A'>" + "".join(f"<li>{html.escape(o.text)}</li>" for o in q.options) + "</ol>"
        radio = w.RadioButtons(
            options=[("ABCD"[j], j) for j in range(len(q.options))],
            value=None,
            description="Your answer",
            style={"description_width": "initial"},
        )
        radios.append(radio)
        boxes.append(w.VBox([w.HTML(head), radio]))
    name = w.Text(description="Your name", style={"description_width": "initial"})
    date = w.Text(
        description="Date (YYYY-MM-DD)", value=dt.date.today().isoformat(), style={"description_width": "initial"}
    )
    button = w.Button(description="Score my answers", button_style="primary")
    out = w.HTML()

    def on_click(_):
        answers = [r.value for r in radios]
        try:
            text = result_html(answers, name.value, date.value)
            if normalise_name(name.value):
                path = Path("completion-record.html").resolve()
                path.write_text(record_html(name.value, check_date(date.value), answers), encoding="utf-8")
                text = (
                    f"<p>Your one-page record is in <code>{html.escape(str(path))}</code>: open it in a browser "
                    f"and print it or save it as PDF.</p>"
                ) + text
        except ValueError as exc:
            text = f"<p><strong>No record:</strong> {html.escape(str(exc))}</p>" + result_html(answers)
        out.value = text

    button.on_click(on_click)
    form = w.VBox([*boxes, w.HTML("<h3>Your completion record (optional)</h3>"), name, date, button, out])
    form.radios, form.name, form.date, form.button, form.result = radios, name, date, button, out  # for tests
    return form
