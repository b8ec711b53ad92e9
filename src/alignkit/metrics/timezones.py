"""Working hours across offices: overlaps in UTC, how daylight saving moves them, and a meeting
rotation that shares the inconvenient hours fairly.

Every calculation uses the real time-zone rules of the IANA database through :mod:`zoneinfo`, so
daylight saving time (DST) is included: North America moves its clocks on the second Sunday of
March and the first Sunday of November, the European Union on the last Sunday of March and of
October, and Singapore not at all. For a few weeks a year the gap between the continents is one
hour smaller than usual, and every overlap that crosses the Atlantic changes.

Conventions used throughout:

* an office's *working window* on a date is ``start``–``end`` local time on that local calendar
  date, turned into UTC with the office's own rules for that date;
* the *overlap* of several offices is the intersection of their working windows on the same
  local date (an empty intersection is an overlap of zero hours, reported as ``None``);
* a meeting is *out of hours* for an office when it does not lie wholly inside that office's
  working window, and *unworkable* when any part of it falls outside the office's acceptable band
  (by default 07:00–22:00 local) or on a local weekend.

Albert Chan's advice for teams across time zones (interview with Laba, C12) is about clear
expectations and empathy; these functions give the numbers behind both: how much of the day
people really share, and who pays for the meetings that fall outside it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import combinations
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

UTC = dt.UTC


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (for example 'Europe/Lisbon'); ValueError if unknown."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"a time zone is an IANA name such as 'Europe/Lisbon', not {name!r}.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone '{name}'; use an IANA name such as 'Europe/Lisbon'.") from exc


def parse_time(text: str | dt.time) -> dt.time:
    """'09:00' -> time(9, 0); ValueError for anything that is not HH:MM on a 24-hour clock."""
    if isinstance(text, dt.time):
        return text
    try:
        hours, minutes = str(text).strip().split(":")
        return dt.time(int(hours), int(minutes))
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"a time of day is written 'HH:MM' on a 24-hour clock, such as '09:00', not {text!r}."
        ) from exc


def parse_date(value: str | dt.date | pd.Timestamp) -> dt.date:
    """'2026-03-16', a date or a Timestamp -> a date; ValueError otherwise."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"a date is written 'YYYY-MM-DD', such as '2026-03-16', not {value!r}.") from exc


def _zones(zones: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    """Offices -> IANA names. A plain list of IANA names is its own set of labels."""
    if isinstance(zones, str):
        raise ValueError("give several offices: a dict {office: time zone} or a list of time-zone names.")
    out = dict(zones) if isinstance(zones, Mapping) else {z: z for z in zones}
    for name in out.values():
        zone(name)
    return out


def office_zones(people: pd.DataFrame) -> dict[str, str]:
    """Each office's IANA time zone from a people table (columns ``office`` and ``time_zone``),
    in the order the offices first appear."""
    missing = {"office", "time_zone"} - set(people.columns)
    if missing:
        raise ValueError(f"the people table needs the columns {sorted(missing)}.")
    pairs = people[["office", "time_zone"]].drop_duplicates("office")
    return dict(zip(pairs["office"], pairs["time_zone"], strict=True))


def working_window(time_zone: str, date, start="09:00", end="17:00") -> tuple[dt.datetime, dt.datetime]:
    """The UTC start and end of a working day from ``start`` to ``end`` local time on a local ``date``.

    The offset comes from the zone's rules on that date, so summer and winter time differ."""
    day, t0, t1 = parse_date(date), parse_time(start), parse_time(end)
    if t1 <= t0:
        raise ValueError(f"the working day must end after it starts ({start} to {end}).")
    tz = zone(time_zone)
    begin = dt.datetime.combine(day, t0, tzinfo=tz).astimezone(UTC)
    finish = dt.datetime.combine(day, t1, tzinfo=tz).astimezone(UTC)
    return begin, finish


def utc_offset_hours(time_zone: str, when) -> float:
    """Hours ahead of UTC (negative west of Greenwich) in ``time_zone`` at noon UTC of a date, or at
    a UTC datetime."""
    if isinstance(when, dt.datetime):
        moment = when if when.tzinfo else when.replace(tzinfo=UTC)
    else:
        moment = dt.datetime.combine(parse_date(when), dt.time(12), tzinfo=UTC)
    offset = moment.astimezone(zone(time_zone)).utcoffset()
    assert offset is not None  # an aware datetime always has one
    return offset.total_seconds() / 3600


def clock_changes(time_zone: str, year: int) -> list[tuple[dt.date, float, float]]:
    """The days in ``year`` on which ``time_zone`` changes its UTC offset: (date, offset before,
    offset after), read from the zone's rules at noon UTC each day. Empty for a zone without DST."""
    weeks_of(year)  # validates the year
    out = []
    day = dt.date(year, 1, 1)
    before = utc_offset_hours(time_zone, day)
    while day.year == year:
        day += dt.timedelta(days=1)
        now = utc_offset_hours(time_zone, day)
        if now != before and day.year == year:
            out.append((day, before, now))
        before = now
    return out


def _hours(a: dt.datetime, b: dt.datetime) -> float:
    return max((b - a).total_seconds() / 3600, 0.0)


def intersect(windows: Iterable[tuple[dt.datetime, dt.datetime]]) -> tuple[dt.datetime, dt.datetime] | None:
    """The common part of several (start, end) windows, or None when they share no time."""
    windows = list(windows)
    if not windows:
        raise ValueError("intersect needs at least one window.")
    begin = max(w[0] for w in windows)
    finish = min(w[1] for w in windows)
    return (begin, finish) if finish > begin else None


def overlap_hours(zones: Mapping[str, str] | Iterable[str], date, start="09:00", end="17:00") -> dict:
    """Where the working days of several offices overlap on one date, in UTC.

    ``zones`` is {office: IANA time zone} (or a list of IANA names). Returns a dict:

    * ``window``: (start, end) in UTC when *all* offices are at work, or None;
    * ``hours``: the length of that window in hours (0.0 when there is none);
    * ``windows``: each office's own working window in UTC;
    * ``pairs``: a DataFrame with one row per pair of offices: ``office_a``, ``office_b``,
      ``start_utc``, ``end_utc`` (NaT when they do not overlap) and ``hours``.

    overlap = min(ends) − max(starts), and zero when that is negative.
    """
    offices = _zones(zones)
    if len(offices) < 2:
        raise ValueError("an overlap needs at least two offices.")
    windows = {o: working_window(tz, date, start, end) for o, tz in offices.items()}
    common = intersect(windows.values())
    rows = []
    for a, b in combinations(offices, 2):
        both = intersect([windows[a], windows[b]])
        rows.append(
            {
                "office_a": a,
                "office_b": b,
                "start_utc": pd.Timestamp(both[0]) if both else pd.NaT,
                "end_utc": pd.Timestamp(both[1]) if both else pd.NaT,
                "hours": _hours(*both) if both else 0.0,
            }
        )
    return {
        "window": common,
        "hours": _hours(*common) if common else 0.0,
        "windows": windows,
        "pairs": pd.DataFrame(rows, columns=["office_a", "office_b", "start_utc", "end_utc", "hours"]),
    }


def weeks_of(year: int) -> list[dt.date]:
    """The Mondays that fall in ``year`` (each stands for its working week: DST changes on Sundays)."""
    if not isinstance(year, int) or not 1970 <= year <= 2100:
        raise ValueError(f"a year between 1970 and 2100, not {year!r}.")
    day = dt.date(year, 1, 1)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    out = []
    while day.year == year:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def weekly_pair_overlaps(
    zones: Mapping[str, str] | Iterable[str], year: int, start="09:00", end="17:00"
) -> pd.DataFrame:
    """Hours of overlap of every pair of offices, for the Monday of every week of ``year``.

    One row per week and pair: ``week`` (the Monday), ``pair`` ('A–B'), ``hours``."""
    rows = []
    for monday in weeks_of(year):
        pairs = overlap_hours(zones, monday, start, end)["pairs"]
        for a, b, hours in zip(pairs["office_a"], pairs["office_b"], pairs["hours"], strict=True):
            rows.append({"week": pd.Timestamp(monday), "pair": f"{a}–{b}", "hours": hours})
    return pd.DataFrame(rows, columns=["week", "pair", "hours"])


def unusual_weeks(weekly: pd.DataFrame) -> pd.DataFrame:
    """The weeks in which a pair's overlap differs from its usual value (the value it has in most
    weeks of the year): ``pair``, ``week``, ``hours``, ``usual_hours`` and ``change``."""
    need = {"week", "pair", "hours"}
    if not need <= set(weekly.columns):
        raise ValueError(f"expected the columns {sorted(need)} (see weekly_pair_overlaps).")
    if weekly.empty:
        return pd.DataFrame(columns=["pair", "week", "hours", "usual_hours", "change"])
    usual = weekly.groupby("pair")["hours"].agg(lambda s: s.mode().max())
    out = weekly.assign(usual_hours=weekly["pair"].map(usual))
    out = out[out["hours"] != out["usual_hours"]].assign(change=lambda t: t["hours"] - t["usual_hours"])
    return out[["pair", "week", "hours", "usual_hours", "change"]].reset_index(drop=True)


# --- a fair rotation for a recurring meeting -------------------------------------------------


def _verdict(tz: ZoneInfo, begin: dt.datetime, finish: dt.datetime, limits: tuple[dt.time, ...]) -> str:
    w0, w1, e0, e1 = limits
    a, b = begin.astimezone(tz), finish.astimezone(tz)
    if a.date() != b.date() and b.time() != dt.time(0):
        return "unworkable"
    ta, tb = a.time(), (b.time() if b.time() != dt.time(0) else dt.time(23, 59, 59))
    if a.weekday() >= 5 or ta < e0 or tb > e1:
        return "unworkable"
    if ta >= w0 and tb <= w1:
        return "in hours"
    return "early" if ta < w0 else "late"


def _limits(work_start="09:00", work_end="17:00", earliest="07:00", latest="22:00") -> tuple[dt.time, ...]:
    return tuple(parse_time(t) for t in (work_start, work_end, earliest, latest))


def slot_burden(
    zones: Mapping[str, str] | Iterable[str],
    start_utc: dt.datetime,
    minutes: int = 60,
    work_start="09:00",
    work_end="17:00",
    earliest="07:00",
    latest="22:00",
) -> dict[str, str]:
    """For a meeting starting at ``start_utc`` and lasting ``minutes``: each office's verdict,
    'in hours', 'early', 'late' or 'unworkable' (before ``earliest``, after ``latest``, across
    local midnight or on a local Saturday or Sunday)."""
    if start_utc.tzinfo is None:
        start_utc = start_utc.replace(tzinfo=UTC)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        raise ValueError(f"a meeting lasts a positive whole number of minutes, not {minutes!r}.")
    limits = _limits(work_start, work_end, earliest, latest)
    finish = start_utc + dt.timedelta(minutes=minutes)
    return {office: _verdict(zone(tz), start_utc, finish, limits) for office, tz in _zones(zones).items()}


def _workable_slots(offices: dict[str, str], day: dt.date, minutes: int, step_minutes: int, hours: dict) -> list[dict]:
    if not isinstance(step_minutes, int) or step_minutes <= 0 or 1440 % step_minutes:
        raise ValueError("step_minutes must divide a day, for example 15, 30 or 60.")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        raise ValueError(f"a meeting lasts a positive whole number of minutes, not {minutes!r}.")
    limits = _limits(**hours)
    zoneinfos = {office: zone(tz) for office, tz in offices.items()}
    rows = []
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=UTC)
    length = dt.timedelta(minutes=minutes)
    for i in range(0, 1440, step_minutes):
        begin = midnight + dt.timedelta(minutes=i)
        verdict = {}
        for office, tz in zoneinfos.items():
            verdict[office] = _verdict(tz, begin, begin + length, limits)
            if verdict[office] == "unworkable":
                break
        else:
            rows.append({"start_utc": begin, **verdict, "out_of_hours": sum(v != "in hours" for v in verdict.values())})
    return rows


def candidate_slots(
    zones: Mapping[str, str] | Iterable[str], date, minutes: int = 60, step_minutes: int = 30, **hours
) -> pd.DataFrame:
    """Every meeting start on a UTC ``date`` (every ``step_minutes``) that is workable for all
    offices, with each office's verdict and ``out_of_hours`` (how many offices are outside their
    working day). ``hours`` passes work_start, work_end, earliest and latest to :func:`slot_burden`."""
    offices = _zones(zones)
    rows = _workable_slots(offices, parse_date(date), minutes, step_minutes, hours)
    out = pd.DataFrame(rows, columns=["start_utc", *offices, "out_of_hours"])
    out["start_utc"] = pd.to_datetime(out["start_utc"], utc=True)
    return out


def fair_rotation(
    zones: Mapping[str, str] | Iterable[str],
    first_date,
    weeks: int = 13,
    minutes: int = 60,
    step_minutes: int = 30,
    **hours,
) -> pd.DataFrame:
    """Plan a weekly meeting for ``weeks`` weeks from ``first_date`` (a UTC date; the meeting
    repeats on the same weekday) so that the out-of-hours meetings are shared as evenly as possible.

    Each week, among the slots workable for every office that week (DST included), pick the one
    that keeps the largest running count of out-of-hours meetings per office lowest; on a tie,
    the one with the fewest offices out of hours that week, then the one that puts the burden on
    the offices that carry least so far, then the earliest. A slot with everyone in hours is
    always chosen when one exists. This greedy rule is a heuristic, not a proof of the fairest
    plan; it is simple enough to explain to a team.

    Returns one row per week: ``date``, ``start_utc``, each office's verdict, ``out_of_hours``;
    a week with no workable slot has NaT, 'no slot' and NaN.
    """
    offices = _zones(zones)
    if not isinstance(weeks, int) or isinstance(weeks, bool) or weeks < 1:
        raise ValueError(f"weeks is a positive whole number, not {weeks!r}.")
    day = parse_date(first_date)
    burden = dict.fromkeys(offices, 0)
    rows = []

    def score(row):
        out = [o for o in offices if row[o] != "in hours"]
        worst = max(burden[o] + (o in out) for o in offices)
        return (worst, len(out), sorted((burden[o] for o in out), reverse=True), row["start_utc"])

    for k in range(weeks):
        date = day + dt.timedelta(weeks=k)
        slots = _workable_slots(offices, date, minutes, step_minutes, hours)
        if not slots:
            rows.append(
                {
                    "date": pd.Timestamp(date),
                    "start_utc": pd.NaT,
                    **dict.fromkeys(offices, "no slot"),
                    "out_of_hours": math.nan,
                }
            )
            continue
        best = min(slots, key=score)
        for o in offices:
            burden[o] += best[o] != "in hours"
        rows.append({"date": pd.Timestamp(date), **best})
    out = pd.DataFrame(rows, columns=["date", "start_utc", *offices, "out_of_hours"])
    out["start_utc"] = pd.to_datetime(out["start_utc"], utc=True)
    return out


def out_of_hours_counts(plan: pd.DataFrame, offices: Iterable[str] | None = None) -> pd.Series:
    """How many of the planned meetings fall outside each office's working day ('early' or 'late')."""
    offices = (
        list(offices)
        if offices is not None
        else [c for c in plan.columns if c not in ("date", "start_utc", "out_of_hours")]
    )
    missing = [o for o in offices if o not in plan.columns]
    if missing:
        raise ValueError(f"the plan has no column for {missing}.")
    return pd.Series(
        {o: int(plan[o].isin(["early", "late"]).sum()) for o in offices}, name="out_of_hours_meetings", dtype="int64"
    )


def fixed_slot_plan(
    zones: Mapping[str, str] | Iterable[str], first_date, start_utc: str, weeks: int = 13, minutes: int = 60, **hours
) -> pd.DataFrame:
    """The same meeting at one fixed UTC time every week (what most teams do), in the same shape
    as :func:`fair_rotation`, so the two can be compared with :func:`out_of_hours_counts`."""
    offices = _zones(zones)
    day, at = parse_date(first_date), parse_time(start_utc)
    rows = []
    for k in range(weeks):
        date = day + dt.timedelta(weeks=k)
        begin = dt.datetime.combine(date, at, tzinfo=UTC)
        verdict = slot_burden(offices, begin, minutes, **hours)
        rows.append(
            {
                "date": pd.Timestamp(date),
                "start_utc": pd.Timestamp(begin),
                **verdict,
                "out_of_hours": sum(v != "in hours" for v in verdict.values()),
            }
        )
    return pd.DataFrame(rows)
