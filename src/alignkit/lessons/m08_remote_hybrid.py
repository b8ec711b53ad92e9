"""Lesson 8, Remote and hybrid: the overlap finder, the meeting-format chooser, the week chart,
the exercises and the quiz."""

from __future__ import annotations

import datetime as dt
import html
from itertools import combinations

import altair as alt
import ipywidgets as w
import pandas as pd

from ..casedata.caching import cached
from ..casedata.schema import load_table
from ..metrics import raci, timezones
from ..ui import charts, present
from ..ui.exercises import Exercise, Feedback, check_number, combine
from ..ui.exercises import multiple_choice as _mc

YEAR = 2026
QUARTER_START = "2026-01-07"  # the first Wednesday of 2026: the weekly review runs on Wednesdays
QUARTER_WEEKS = 13
WORKING_DAYS = {"08:00–16:00": ("08:00", "16:00"), "09:00–17:00": ("09:00", "17:00"), "10:00–18:00": ("10:00", "18:00")}
TEAM_COLOURS = {"marketing": "#1f5fa8", "sales": "#9a6324"}


@cached(maxsize=4)
def _people(slug: str) -> pd.DataFrame:
    # only the people table: this lesson needs no leads, so it skips loading the rest
    return load_table("people", slug)


def brightline_zones() -> dict[str, str]:
    """Brightline's five offices and their IANA time zones, from the people table."""
    return timezones.office_zones(_people("brightline"))


def office_teams() -> dict[str, str]:
    """Each Brightline office and the team that works there, from the people table."""
    people = _people("brightline")
    return dict(zip(people["office"], people["team"], strict=True))


def _fmt(ts) -> str:
    return "–" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%H:%M")


# --- the overlap finder (JupyterLab) ----------------------------------------------------------


def overlap_html(zones: dict[str, str], offices: list[str], date, working_day: str = "09:00–17:00") -> str:
    """What the overlap finder shows: each picked office's day in UTC, the window all share, and
    every pair's overlap. Plain HTML from :func:`alignkit.metrics.timezones.overlap_hours`."""
    if len(offices) < 2:
        return "<p>Pick at least two offices.</p>"
    start, end = WORKING_DAYS[working_day]
    picked = {o: zones[o] for o in offices}
    result = timezones.overlap_hours(picked, date, start, end)
    rows = "".join(
        f"<tr><td>{html.escape(o)}</td><td>{html.escape(tz)}</td>"
        f"<td>UTC{timezones.utc_offset_hours(tz, result['windows'][o][0]):+g}</td>"
        f"<td>{_fmt(result['windows'][o][0])}–{_fmt(result['windows'][o][1])}</td></tr>"
        for o, tz in picked.items()
    )
    if result["window"]:
        common = (
            f"<p><strong>All {len(picked)} at work:</strong> {_fmt(result['window'][0])}–"
            f"{_fmt(result['window'][1])} UTC, {result['hours']:g} h.</p>"
        )
    else:
        common = f"<p><strong>All {len(picked)} at work:</strong> never on this day.</p>"
    pairs = result["pairs"]
    pair_rows = "".join(
        f"<tr><td>{html.escape(a)}–{html.escape(b)}</td><td>{h:g} h</td><td>{_fmt(s)}–{_fmt(e)}</td></tr>"
        if h
        else f"<tr><td>{html.escape(a)}–{html.escape(b)}</td><td>0 h</td><td>none</td></tr>"
        for a, b, s, e, h in pairs.itertuples(index=False)
    )
    day = timezones.parse_date(date)
    return (
        f"<p>{day:%A %d %B %Y}, working day {html.escape(working_day)} local time.</p>"
        f"<table><thead><tr><th>Office</th><th>Time zone</th><th>Offset</th><th>Working day in UTC</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>{common}"
        f"<table><thead><tr><th>Pair</th><th>Overlap</th><th>UTC</th></tr></thead>"
        f"<tbody>{pair_rows}</tbody></table>"
    )


def overlap_finder(date: str = "2026-03-16") -> w.VBox:
    """Tick offices, pick a date and a working day; see when they are all at work."""
    zones = brightline_zones()
    boxes = [w.Checkbox(value=True, description=o, indent=False, layout=w.Layout(width="auto")) for o in zones]
    day = w.DatePicker(value=timezones.parse_date(date), description="Date:")
    hours = w.ToggleButtons(
        options=list(WORKING_DAYS),
        value="09:00–17:00",
        description="Working day:",
        style={"description_width": "initial"},
    )
    out = w.HTML()

    def update(_=None):
        picked = [b.description for b in boxes if b.value]
        out.value = overlap_html(zones, picked, day.value or timezones.parse_date(date), hours.value)

    for control in (*boxes, day, hours):
        control.observe(update, names="value")
    update()
    return w.VBox([w.HBox(boxes), day, hours, out])


# --- the meeting-format chooser -----------------------------------------------------------------


def format_html(purpose: str) -> str:
    """What the meeting-format chooser shows for a purpose: the recommended format and why, as HTML."""
    rec = raci.meeting_format(purpose)
    return (
        f"<p><strong>{html.escape(rec['purpose'].capitalize())}</strong>: "
        f"<strong>{html.escape(rec['format'])}</strong>.</p><p>{html.escape(rec['reason'])}</p>"
    )


def format_chooser(purpose: str = "weekly pipeline review") -> w.VBox:
    """The meeting-format chooser (JupyterLab): a drop-down of meeting purposes and the format for the one picked."""
    pick = w.Dropdown(
        options=list(raci.MEETING_PURPOSES), value=purpose, description="Meeting:", layout=w.Layout(width="max-content")
    )
    out = w.HTML(format_html(purpose))
    pick.observe(lambda change: setattr(out, "value", format_html(change["new"])), names="value")
    return w.VBox([pick, out])


# --- the chart: each office's working day on a UTC axis, week by week -----------------------------


def week_hours_data(zones: dict[str, str], year: int = YEAR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two small tables for the chart: each office's working day per week as UTC hours (a day
    across midnight UTC gives two rows), and one caption per week naming the pairs that overlap."""
    teams = office_teams()
    bars, captions = [], []
    for i, monday in enumerate(timezones.weeks_of(year), start=1):
        windows = {o: timezones.working_window(tz, monday) for o, tz in zones.items()}
        midnight = dt.datetime.combine(monday, dt.time(0), tzinfo=timezones.UTC)
        for office, (begin, finish) in windows.items():
            a, b = ((t - midnight).total_seconds() / 3600 for t in (begin, finish))
            offset = timezones.utc_offset_hours(zones[office], begin)
            for x0, x1 in [(a, b)] if b <= 24 else [(a, 24.0), (0.0, b - 24)]:
                bars.append(
                    {
                        "week": i,
                        "office": office,
                        "team": teams.get(office, ""),
                        "from_utc": x0,
                        "to_utc": x1,
                        "local": f"UTC{offset:+g}",
                    }
                )
        shared = []
        for x, y in combinations(zones, 2):
            both = timezones.intersect([windows[x], windows[y]])
            hours = (both[1] - both[0]).total_seconds() / 3600 if both else 0
            if 0 < hours < 6:  # the tight pairs, across an ocean: the ones daylight saving moves
                shared.append(f"{x}–{y} {hours:g} h")
        everyone = timezones.intersect(windows.values())
        whole = "never share an hour" if not everyone else "share some hours"
        lines = [" · ".join(shared[k : k + 3]) for k in range(0, len(shared), 3)] or ["none"]
        short = [" · ".join(shared[k : k + 2]) for k in range(0, len(shared), 2)] or ["none"]
        captions.append(
            {
                "week": i,
                "caption": f"Week of {monday:%d %b %Y}: all {len(zones)} offices {whole}.\n"
                f"Pairs with under 6 shared hours: " + "\n".join(lines),
                # the same in shorter lines, for a chart as narrow as a phone
                "narrow": f"All {len(zones)} offices {whole}.\nPairs with under 6 shared hours:\n" + "\n".join(short),
            }
        )
    return pd.DataFrame(bars), pd.DataFrame(captions)


def week_ranges(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (one row per week and item, column ``week``) with each run of consecutive weeks
    that share a row written once, as ``first``–``last``: offsets change only when a country moves
    its clocks, so a year of weeks takes a handful of rows, and the chart's page stays small."""
    rest = [c for c in table.columns if c != "week"]
    rows = []
    for key, group in table.groupby(rest, sort=False):
        values = dict(zip(rest, key if isinstance(key, tuple) else (key,), strict=True))
        weeks = sorted(int(x) for x in group["week"])
        start = weeks[0]
        for before, after in zip(weeks, [*weeks[1:], None], strict=True):
            if after is None or after != before + 1:  # a run ends here
                rows.append({"first": start, "last": before, **values})
                if after is not None:
                    start = after
    return pd.DataFrame(rows).sort_values("first", kind="stable").reset_index(drop=True)


def week_hours_chart(zones: dict[str, str] | None = None, year: int = YEAR, week: int = 11) -> charts.ChartView:
    """Each office's 09:00–17:00 on a UTC axis, with a slider that picks the week of the year."""
    zones = zones or brightline_zones()
    data, captions = week_hours_data(zones, year)
    n = int(data["week"].max())
    first_monday = timezones.weeks_of(year)[0]
    # the caption's date is worked out from the week (Monday of week 1 plus 7 days a week), and the
    # rest of it, which changes only with the clocks, is kept once per run of weeks
    captions = captions.assign(caption=captions["caption"].str.split(": ", n=1).str[1])
    pick = alt.param(
        name="pick_week", value=week, bind=alt.binding_range(min=1, max=n, step=1, name="Week of the year: ")
    )
    in_week = "datum.first <= pick_week && pick_week <= datum.last"
    base = alt.Chart(week_ranges(data)).transform_filter(in_week)
    bars = base.mark_bar(height=18).encode(
        x=alt.X(
            "from_utc:Q",
            title="Hour of the day, UTC",
            scale=alt.Scale(domain=[0, 24]),
            axis=alt.Axis(values=list(range(0, 25, 3))),
        ),
        x2="to_utc:Q",
        y=alt.Y("office:N", sort=list(zones), title=None),
        color=alt.Color(
            "team:N",
            title="Team",
            legend=alt.Legend(orient="bottom"),
            scale=alt.Scale(domain=list(TEAM_COLOURS), range=list(TEAM_COLOURS.values())),
        ),
        tooltip=[
            "office:N",
            alt.Tooltip("local:N", title="offset this week"),
            alt.Tooltip("from_utc:Q", title="09:00 local is (UTC hour)"),
            alt.Tooltip("to_utc:Q", title="17:00 local is (UTC hour)"),
        ],
    )
    # each bar's offset beside it: after its end, or before its start when it ends late in the UTC day
    # (after its end there is no room on a phone)
    labels = alt.layer(
        base.transform_filter("datum.to_utc <= 20")
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(x="to_utc:Q", y=alt.Y("office:N", sort=list(zones)), text="local:N"),
        base.transform_filter("datum.to_utc > 20")
        .mark_text(align="right", dx=-4, fontSize=11)
        .encode(x="from_utc:Q", y=alt.Y("office:N", sort=list(zones)), text="local:N"),
    )
    monday = f"datetime({first_monday.year}, {first_monday.month - 1}, {first_monday.day} + 7 * (pick_week - 1))"
    # on a phone the caption takes six short lines instead of three
    narrow = charts.ON_A_PHONE
    caption = (
        alt.Chart(week_ranges(captions))
        .transform_filter(in_week)
        .transform_calculate(
            text=f"'Week of ' + timeFormat({monday}, '%d %b %Y') + "
            f"({narrow} ? ':\\n' + datum.narrow : ': ' + datum.caption)"
        )
        .mark_text(align="left", baseline="top", fontSize=11, lineBreak="\n")
        .encode(
            x=alt.value(alt.ExprRef(expr=f"{narrow} ? -60 : 0")),  # on a phone from under the offices' names
            y=alt.value(alt.ExprRef(expr=f"{narrow} ? -88 : -46")),
            text="text:N",
        )
    )
    # the title sits above everything the chart draws, the caption included (charts.fit_title)
    title = "Brightline's office hours in UTC"
    chart = alt.layer(bars, labels, caption).add_params(pick).properties(width="container", height=190, title=title)
    return charts.show(
        chart,
        "Bar chart of the 09:00 to 17:00 working day of Brightline's five offices on a "
        "UTC axis for one week of 2026; the slider picks the week, so the bars move when "
        "North America or Europe switches to or from summer time.",
    )


# --- exercise 8.2: overlaps before and after Europe's clock change --------------------------------

EXERCISE_PAIR = ("Lisbon", "Austin")
EXERCISE_DATES = ("2026-03-18", "2026-04-08")


def pair_overlap(a: str, b: str, date) -> float:
    """The working hours two Brightline offices share on a date (the answers of exercise 8.2)."""
    zones = brightline_zones()
    return timezones.overlap_hours({a: zones[a], b: zones[b]}, date)["hours"]


def check_overlaps(march_hours, april_hours) -> Feedback:
    """Exercise 8.2: Lisbon and Austin's shared working hours on 18 March and on 8 April 2026."""
    a, b = EXERCISE_PAIR
    hint = (
        "Use timezones.overlap_hours({'Lisbon': 'Europe/Lisbon', 'Austin': 'America/Chicago'}, date) and read 'hours'."
    )
    return combine(
        "Lisbon and Austin",
        [
            check_number(
                march_hours,
                pair_overlap(a, b, EXERCISE_DATES[0]),
                what="the overlap on 18 March 2026",
                unit="hours",
                hint=hint + " On 18 March Austin is on summer time and Lisbon is not yet.",
            ),
            check_number(
                april_hours,
                pair_overlap(a, b, EXERCISE_DATES[1]),
                what="the overlap on 8 April 2026",
                unit="hours",
                hint=hint + " By 8 April both are on summer time.",
            ),
        ],
    )


# --- exercise 8.1: build the vision with the team (C12) ------------------------------------------------

# Chan: build collaboration on a shared vision instead of dictating to the team how to act; people who
# contributed feel they own it, so involve the team in defining the vision (interview, paragraph 28).
# Each option fits on one line: JupyterLab draws radio buttons at a fixed height, and a label that wraps
# runs over the next one.
VISION_PLANS = {
    "announce": "The heads write it and present it at an online all-hands, with questions at the end",
    "survey": "The heads write it and ask every office to rate it from 1 to 5 in a survey",
    "relay": "Offices draft in their own hours; a mixed group merges; all comment before the heads sign",
    "wait": "Wait for next year's in-person planning week and write it there, all together",
}
VISION_WHY = {
    "announce": "That is a vision dictated, however well presented: questions at the end let people react, "
    "not contribute. Chan's advice is to build it with the team, so people feel they own it.",
    "survey": "A rating asks people to judge someone else's words; nobody adds anything of their own. It is "
    "consultation, not the involvement Chan describes.",
    "relay": "Every office contributes in its own hours (no one has to join at 06:00), a mixed group of sellers "
    "and marketers merges the drafts, and everyone sees the result before it is signed: a vision built "
    "with the team, as Chan advises.",
    "wait": "Meeting in person is good for collaboration and culture (Chan, paragraph 34), but a year of waiting "
    "leaves the programme without a shared why, and the offices that cannot travel out. Build it now, "
    "in writing across the time zones, and launch it in person.",
}


# --- exercise 8.3: a RACI row ----------------------------------------------------------------------


def check_raci_row(row) -> Feedback:
    """Exercise 8.3: the RACI row for 'webinar follow-up', as {role: letters}."""
    title = "RACI for webinar follow-up"
    if row is None or row == {}:
        return Feedback(
            "todo",
            f"{title}: nothing answered yet.",
            [f"Write a dict such as {{'head of sales': 'A', ...}} with roles from: {', '.join(raci.ROLES)}."],
        )
    if not isinstance(row, dict):
        return Feedback("wrong", f"{title}: write a dict {{role: letter}}, not {type(row).__name__}.")
    unknown = [r for r in row if r not in raci.ROLES]
    if unknown:
        return Feedback(
            "wrong",
            f"{title}: unknown role(s) {', '.join(map(str, unknown))}.",
            [f"Use the roles: {', '.join(raci.ROLES)}."],
        )
    try:
        table = raci.raci_table({"webinar follow-up": row})
    except ValueError as exc:
        return Feedback("wrong", f"{title}: {exc}")
    cells = table.iloc[0]
    problems = raci.raci_problems(table).get("webinar follow-up", [])
    # the follow-up row of Brightline's RACI is the reference: the same people answer for a webinar's leads
    brightline = raci.brightline_raci()
    reference = brightline.loc["lead follow-up"]
    owner = raci.accountable_for(brightline)["lead follow-up"]
    doers = [r for r, v in reference.items() if "R" in v.split("/")]
    parts = [
        Feedback(
            "ok" if not problems else "wrong",
            "The rules hold: one Accountable, someone Responsible." if not problems else "The rules break.",
            ["; ".join(problems).capitalize() + "."] if problems else [],
        ),
        Feedback(
            "ok" if "A" in cells[owner] else "wrong",
            f"The {owner} is Accountable." if "A" in cells[owner] else f"Make the {owner} Accountable.",
            [] if "A" in cells[owner] else ["Following up leads is sales' side of the SLA; its leader answers for it."],
        ),
        Feedback(
            "ok" if all("R" in cells[d] for d in doers) else "wrong",
            f"The {', '.join(doers)} do the work."
            if all("R" in cells[d] for d in doers)
            else f"Who makes the calls? Make the {', '.join(doers)} Responsible.",
            [],
        ),
        Feedback(
            "ok" if cells["demand generation"] else "wrong",
            "Demand generation hears back (closed loop)."
            if cells["demand generation"]
            else "Demand generation ran the webinar: make them at least Informed of what happened to its leads.",
            [],
        ),
    ]
    return combine(title, parts)


# --- the cadence ------------------------------------------------------------------------------------


def quarter_plans() -> dict[str, pd.DataFrame]:
    """The plans the lesson compares over the first quarter of 2026, each a weekly Wednesday meeting."""
    zones = brightline_zones()
    sub = lambda *names: {n: zones[n] for n in names}  # noqa: E731
    return {
        "all five, fixed 13:00 UTC": timezones.fixed_slot_plan(zones, QUARTER_START, "13:00", QUARTER_WEEKS),
        "all five, rotated": timezones.fair_rotation(zones, QUARTER_START, QUARTER_WEEKS),
        "Atlantic review, rotated": timezones.fair_rotation(
            sub("Toronto", "Lisbon", "Austin", "Warsaw"), QUARTER_START, QUARTER_WEEKS
        ),
        "APAC review, fixed 09:00 UTC": timezones.fixed_slot_plan(
            sub("Lisbon", "Warsaw", "Singapore"), QUARTER_START, "09:00", QUARTER_WEEKS
        ),
        "APAC review, rotated": timezones.fair_rotation(
            sub("Lisbon", "Warsaw", "Singapore"), QUARTER_START, QUARTER_WEEKS
        ),
    }


def burden_table(plans: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Out-of-hours meetings per office (columns) for each plan (rows); blank where not invited."""
    zones = brightline_zones()
    rows = {
        name: timezones.out_of_hours_counts(plan, [o for o in zones if o in plan.columns])
        for name, plan in plans.items()
    }
    return pd.DataFrame(rows).T.reindex(columns=list(zones))


# --- quiz ---------------------------------------------------------------------------------------------


def quiz() -> list[dict]:
    """Situations of a team spread over five offices; the wrong answers are the beliefs people
    really hold. The last question brings back lesson 6's SLA."""
    zones = brightline_zones()
    weekly = timezones.weekly_pair_overlaps({o: zones[o] for o in ("Toronto", "Lisbon")}, YEAR)
    usual = weekly["hours"].mode().max()
    odd = weekly.loc[weekly["hours"] != usual, "hours"].iloc[0]
    fixed = timezones.out_of_hours_counts(quarter_plans()["all five, fixed 13:00 UTC"])
    always = sorted(o for o, n in fixed.items() if n == QUARTER_WEEKS)
    return [
        _mc(
            "The head of marketing has written the programme's vision on a flight and plans to present it at "
            "Monday's all-hands. What would Chan suggest?",
            [
                (
                    "Turn it into a draft that every office adds to in its own hours before anyone signs it",
                    True,
                    "Right: build the vision with the team instead of dictating it; people who contributed feel they "
                    "own it (Chan, interview with Laba, paragraph 28).",
                ),
                (
                    "Present it: people want a clear vision from the top",
                    False,
                    "Clear, yes; dictated, no. Chan's point is that a vision people helped shape is one they defend.",
                ),
                (
                    "Skip the vision and send the new targets",
                    False,
                    "Targets without a shared why are what teams push back on (lesson 9).",
                ),
            ],
        ),
        _mc(
            f"A Toronto marketer and a Lisbon seller usually share {usual:g} working hours, but {odd:g} in a few "
            "weeks of March, and their weekly call, booked in Toronto's calendar, moves by an hour for the seller. "
            "Why?",
            [
                (
                    "North America and Europe change their clocks on different Sundays",
                    True,
                    "Right: for those weeks only one side is on summer time. Put those weeks in the team calendar.",
                ),
                (
                    "The calendar tool has a bug",
                    False,
                    "The tool keeps the organiser's local time, as it should; the "
                    "other office's clock moved on a different day.",
                ),
                (
                    "Lisbon does not use summer time",
                    False,
                    "It does, from the last Sunday of March; North America moves two or three weeks earlier.",
                ),
            ],
        ),
        _mc(
            f"The weekly review for all five offices sits at 13:00 UTC, which leaves {' and '.join(always)} outside "
            "their working day every week. A manager says: \"it's one meeting, they'll cope\". What do you do?",
            [
                (
                    "Count each office's out-of-hours meetings, then split the review by region so nobody always pays",
                    True,
                    "Right: same storm, different boats. A count per office turns a feeling into a fact the team "
                    "can fix.",
                ),
                (
                    "Keep it: fairness means everyone attends the same meeting",
                    False,
                    "Equal attendance is not equal cost: the same slot is lunchtime for some and night for others.",
                ),
                (
                    "Rotate the slot between all five offices",
                    False,
                    "With five offices no slot is inside everyone's day, so rotation only moves the pain around; split "
                    "the meeting.",
                ),
            ],
        ),
        _mc(
            "Brightline can afford one trip a year that brings sellers and marketers together. What should it "
            "be used for?",
            [
                (
                    "A planning week that launches the year's goals with both teams in one room",
                    True,
                    "Right: after recalling Neeley's research, Chan keeps in-person time for collaboration and "
                    "building culture (paragraph 34).",
                ),
                (
                    "The weekly pipeline reviews, for as long as the budget lasts",
                    False,
                    "Regular meetings work virtually; spend the trip on what does not.",
                ),
                (
                    "Nothing: remote teams are less productive, so the trip cannot help",
                    False,
                    "The research Chan cites finds hybrid work scores best; a team can be effective without a room, "
                    "and still needs one for some things.",
                ),
            ],
        ),
        _mc(
            "Lesson 6's SLA needs a monthly review. Both heads of department want to be Accountable for it, "
            '"because it is shared". What do you write in the RACI?',
            [
                (
                    "One of them Accountable, the other Responsible: a task needs exactly one A",
                    True,
                    "Right: two people answering for one result means nobody does.",
                ),
                (
                    "Both Accountable: a shared agreement needs shared accountability",
                    False,
                    "Shared work can have several Responsible people, but one person answers for it.",
                ),
                (
                    "Neither: marketing operations is Accountable",
                    False,
                    "Marketing operations can do the work (R); the result needs a head who answers for it.",
                ),
            ],
        ),
    ]


# -- decision exercises ----------------------------------------------------------------------------


def exercises() -> list[Exercise]:
    """Lesson 8's decision exercises: building the vision with the team (C12), the fair format for
    the APAC review and who answers for a follow-up task. Expected answers come from the lesson's
    own computations (the quarter's out-of-hours counts, Brightline's RACI)."""
    plans = tuple(VISION_PLANS.values())
    zones = brightline_zones()
    pair = {o: zones[o] for o in ("Lisbon", "Singapore")}
    fixed_counts = timezones.out_of_hours_counts(timezones.fixed_slot_plan(pair, QUARTER_START, "09:00", QUARTER_WEEKS))
    rot_counts = timezones.out_of_hours_counts(timezones.fair_rotation(pair, QUARTER_START, QUARTER_WEEKS))
    fixed, rotated = "One fixed time, 09:00 UTC", "Rotate between an early and a late slot"
    apac_facts = (
        f"Over the {QUARTER_WEEKS} weeks of the first quarter, the fixed time puts Lisbon outside its day "
        f"{int(fixed_counts['Lisbon'])} times and Singapore {int(fixed_counts['Singapore'])} times; "
        f"rotating, Lisbon {int(rot_counts['Lisbon'])} times and Singapore {int(rot_counts['Singapore'])}."
    )
    fairer = rotated if rot_counts.max() < fixed_counts.max() else fixed
    follow_up = raci.BRIGHTLINE_RACI["lead follow-up"]
    accountable = next(role for role, letter in follow_up.items() if "A" in letter)
    return [
        Exercise(
            "8.1",
            "choice",
            "Brightline's heads of sales and marketing have agreed the programme and want all "
            "five offices behind it. Which plan follows Chan's advice to build the vision with the team?",
            what="the plan that builds the vision with the team",
            options=plans,
            expected=VISION_PLANS["relay"],
            why=tuple((VISION_PLANS[k], VISION_WHY[k]) for k in VISION_PLANS),
            hint="In which plan does a seller in Singapore write a word of the vision?",
            minutes=3,
        ),
        Exercise(
            "8.2",
            "choice",
            "Lisbon's marketers and Singapore's sellers want a weekly call of their own. "
            "At 09:00 UTC it is 09:00 in Lisbon and 17:00 in Singapore in January. Which way of scheduling it "
            "shares the inconvenient hours more fairly over a quarter?",
            what="the fairer schedule",
            options=(fixed, rotated),
            expected=fairer,
            why=((fixed, apac_facts), (rotated, apac_facts)),
            hint="Count, for each office, the meetings outside its working day (Step 4).",
            minutes=2,
        ),
        Exercise(
            "8.3",
            "choice",
            "Marketing's demand generation team runs a monthly webinar; its attendees become "
            "MQLs that sellers must call within the SLA. Who should be Accountable for following them up?",
            what="the Accountable role for webinar follow-up",
            options=tuple(raci.ROLES),
            expected=accountable,
            why=(
                (
                    "demand generation",
                    "It ran the webinar, so it is Consulted: it knows what the webinar "
                    "promised. The follow-up is sales' side of the SLA.",
                ),
                ("head of marketing", "Marketing answers for the leads; the follow-up is sales' promise."),
                ("sales development reps", "They make the calls (Responsible); one head answers for the result."),
            ),
            explain="Follow-up is sales' side of the SLA, as in Brightline's RACI for every MQL.",
            hint="Whose side of the SLA is the follow-up? Exactly one person answers for it.",
            minutes=2,
        ),
    ]


# -- tables for people (alignkit.ui.present) ----------------------------------------------------------


def _hours(v) -> str:
    return present.MISSING if v != v else f"{present.number(v, 0 if float(v).is_integer() else 1)} h"


def _offset(v) -> str:
    return "UTC" if v == 0 else f"UTC{'+' if v > 0 else '−'}{present.number(abs(v), 0 if float(v).is_integer() else 1)}"


def offices_table(people: pd.DataFrame, year: int = YEAR) -> present.Table:
    """Each office: its time zone, team, people, UTC offset in January and July, and clock changes."""
    zones = timezones.office_zones(people)
    offices = (
        people.groupby(["office", "time_zone", "team"])
        .size()
        .rename("people")
        .reset_index()
        .set_index("office")
        .loc[list(zones)]
    )
    offices["january"] = [timezones.utc_offset_hours(z, f"{year}-01-14") for z in offices["time_zone"]]
    offices["july"] = [timezones.utc_offset_hours(z, f"{year}-07-15") for z in offices["time_zone"]]
    offices["changes"] = [
        ", ".join(f"{d:%-d %B}" for d, _, _ in timezones.clock_changes(z, year)) or "never"
        for z in offices["time_zone"]
    ]
    return present.table(
        offices,
        index="Office",
        formats={"january": _offset, "july": _offset},
        labels={
            "time_zone": "Time zone",
            "team": "Team",
            "people": "People",
            "january": "Clock in January",
            "july": "Clock in July",
            "changes": f"Clocks change in {year}",
        },
    )


def pairs_table(pairs: pd.DataFrame) -> present.Table:
    """Every pair of offices: the working hours they share on the day, and when (UTC)."""
    t = pairs.assign(
        start=pairs["start_utc"].dt.strftime("%H:%M").fillna(present.MISSING),
        end=pairs["end_utc"].dt.strftime("%H:%M").fillna(present.MISSING),
    )
    return present.table(
        t,
        formats={"hours": _hours},
        columns=["office_a", "office_b", "hours", "start", "end"],
        labels={
            "office_a": "Office",
            "office_b": "And office",
            "hours": "Shared hours",
            "start": "From (UTC)",
            "end": "To (UTC)",
        },
    )


def weeks_table(weekly: pd.DataFrame, unusual: pd.DataFrame) -> present.Table:
    """Each pair's usual overlap over the year, its fewest and most hours, and the weeks that differ."""
    summary = weekly.groupby("pair")["hours"].agg(usual=lambda s: s.mode().max(), fewest="min", most="max")
    summary["weeks"] = unusual.groupby("pair").size().reindex(summary.index, fill_value=0)
    summary = summary.sort_values("weeks", ascending=False)
    return present.table(
        summary,
        index="Pair of offices",
        formats={"usual": _hours, "fewest": _hours, "most": _hours},
        labels={"usual": "Usual overlap", "fewest": "Fewest", "most": "Most", "weeks": "Weeks that differ"},
    )


def burden_view(burden: pd.DataFrame) -> present.Table:
    """Meetings outside each office's working day over the quarter, per plan ('not invited' when the
    office is not in that meeting)."""
    count = lambda v: "not invited" if v != v else present.number(v)  # noqa: E731
    return present.table(burden, index="Plan", formats={c: count for c in burden.columns})


def rotation_view(plan: pd.DataFrame, weeks: int = 6) -> present.Table:
    """The first weeks of a rotated plan: the date, the time in UTC and where each office stands."""
    t = plan.head(weeks).assign(start_utc=plan["start_utc"].head(weeks).dt.strftime("%H:%M"))
    return present.table(
        t,
        formats={"date": "date"},
        labels={"date": "Wednesday", "start_utc": "Starts (UTC)", "out_of_hours": "Offices outside their day"},
    )


def raci_view(table: pd.DataFrame) -> present.Table:
    """A RACI table with one row per task and capitalised role headings."""
    return present.table(table, index="Task", labels={c: c[0].upper() + c[1:] for c in table.columns})


def problems_table(problems: dict) -> present.Table:
    """:func:`alignkit.metrics.raci.raci_problems` as a table, one row per problem (one row when none is found)."""
    rows = [(task, p) for task, found in problems.items() for p in found] or [("every task", "no problem found")]
    return present.table(pd.DataFrame(rows, columns=["task", "problem"]), labels={"task": "Task", "problem": "Problem"})


def formats_view() -> present.Table:
    """Every meeting purpose with its format and why (:func:`alignkit.metrics.raci.format_table`)."""
    return present.table(raci.format_table(), index="Meeting", labels={"format": "Format", "reason": "Why"})


# make bench: one update of each widget and calculator in this lesson (the pure function behind it)
BENCH = {
    "overlap finder update (five offices)": lambda: overlap_html(
        brightline_zones(), list(brightline_zones()), "2026-03-16"
    ),
    "meeting-format chooser update": lambda: format_html("joint planning or brainstorm"),
    "fair rotation for a quarter (five offices)": lambda: timezones.fair_rotation(
        brightline_zones(), QUARTER_START, QUARTER_WEEKS
    ),
}
