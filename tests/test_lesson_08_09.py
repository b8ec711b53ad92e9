"""Lessons 8 and 9: the RACI and meeting-format helpers, the exercise checkers (right answers
computed here with plain pandas and zoneinfo on the raw CSVs), quizzes, charts, widgets and the
numbers glued into the notebooks."""

import ast
import datetime as dt
import re
from zoneinfo import ZoneInfo

import nbformat
import pandas as pd
import pytest

from alignkit.build.notebooks import NOTEBOOK_DIR
from alignkit.casedata import schema
from alignkit.lessons import m08_remote_hybrid as m08
from alignkit.lessons import m09_leading_change as m09
from alignkit.metrics import change, raci
from alignkit.ui.exercises import Feedback
from alignkit.ui.inline import EVAL_ROLE, glued_spec

DATA = schema.DATA_DIR / "brightline"
PEOPLE = pd.read_csv(DATA / "people.csv")
LEADS = pd.read_csv(DATA / "leads.csv")


# --- RACI and meeting formats -------------------------------------------------------------------


def test_brightline_raci_has_one_accountable_per_task():
    table = raci.brightline_raci()
    assert list(table.index) == list(raci.TASKS)
    assert raci.raci_problems(table) == {}
    assert (table.apply(lambda row: sum("A" in v for v in row), axis=1) == 1).all()
    assert raci.accountable_for(table)["lead follow-up"] == "head of sales"


def test_raci_problems_are_named():
    table = raci.raci_table(
        {
            "x": {"head of sales": "A", "head of marketing": "a"},
            "y": {"head of sales": "C"},
            "z": {"head of sales": "A/R"},
        }
    )
    problems = raci.raci_problems(table)
    assert "2 people are Accountable" in problems["x"][0] and "nobody is Responsible" in problems["x"][1]
    assert "nobody is Accountable" in problems["y"][0]
    assert "z" not in problems
    assert raci.normalise_cell(" r a ") == "R/A" and raci.normalise_cell(None) == ""
    with pytest.raises(ValueError, match="R, A, C, I"):
        raci.raci_table({"x": {"head of sales": "X"}})
    with pytest.raises(ValueError, match="dict"):
        raci.raci_table(["x"])


def test_meeting_format_follows_chan_on_neeley():
    assert raci.meeting_format("Joint planning or brainstorm")["format"] == "in person"
    assert raci.meeting_format("weekly pipeline review")["format"] == "virtual"
    assert {raci.meeting_format(p)["format"] for p in ("all-hands", "FYI update")} == {"virtual"}
    assert len(raci.format_table()) == len(raci.MEETING_PURPOSES)
    with pytest.raises(ValueError, match="choose one of"):
        raci.meeting_format("karaoke night")
    with pytest.raises(ValueError):
        raci.meeting_format(None)


# --- lesson 8 -------------------------------------------------------------------------------------


def hand_overlap(a: str, b: str, date: str) -> float:
    zones = dict(zip(PEOPLE["office"], PEOPLE["time_zone"], strict=True))
    day = dt.date.fromisoformat(date)
    spans = []
    for office in (a, b):
        z = ZoneInfo(zones[office])
        spans.append(
            (
                dt.datetime.combine(day, dt.time(9), z).astimezone(dt.UTC),
                dt.datetime.combine(day, dt.time(17), z).astimezone(dt.UTC),
            )
        )
    shared = (min(s[1] for s in spans) - max(s[0] for s in spans)).total_seconds() / 3600
    return max(shared, 0.0)


def test_overlap_exercise():
    march, april = (hand_overlap("Lisbon", "Austin", d) for d in m08.EXERCISE_DATES)
    assert (march, april) == (3.0, 2.0)  # the story: Europe's clocks change on 29 March
    assert m08.check_overlaps(march, april).ok
    half = m08.check_overlaps(march, march)
    assert half.status == "wrong" and "1 of 2 right" in half.title
    assert m08.check_overlaps(None, None).status == "todo"
    assert m08.check_overlaps("three", [2]).status == "wrong"


def test_raci_exercise():
    good = {"head of sales": "A", "sales development reps": "R", "demand generation": "I", "account executives": "C"}
    assert m08.check_raci_row(good).ok
    assert m08.check_raci_row(None).status == "todo" and m08.check_raci_row({}).status == "todo"
    two = m08.check_raci_row({**good, "head of marketing": "A"})
    assert two.status == "wrong" and "Accountable" in str(two)
    assert "Demand generation" in str(m08.check_raci_row({k: v for k, v in good.items() if k != "demand generation"}))
    for odd in (["A"], "head of sales: A", {"boss": "A"}, {"head of sales": "Z"}, {"head of sales": 1}):
        fb = m08.check_raci_row(odd)
        assert isinstance(fb, Feedback) and fb.status == "wrong"


def test_all_five_offices_never_share_an_hour_and_need_splitting():
    assert "never on this day" in m08.overlap_html(m08.brightline_zones(), list(m08.brightline_zones()), "2026-03-16")
    assert m08.overlap_html(m08.brightline_zones(), ["Lisbon"], "2026-03-16").startswith("<p>Pick")
    burden = m08.burden_table(m08.quarter_plans())
    assert burden.loc["all five, rotated", "Austin"] == m08.QUARTER_WEEKS
    assert burden.loc["Atlantic review, rotated"].sum() == 0
    apac = burden.loc["APAC review, rotated"].dropna()
    assert apac.max() < burden.loc["APAC review, fixed 09:00 UTC"].max()


# --- lesson 9 -------------------------------------------------------------------------------------


def hand_win_rate_dip():
    opps = pd.read_csv(DATA / "opportunities.csv")
    closed = opps[opps["outcome"].isin(["won", "lost"])].copy()
    closed["month"] = closed["closed_at"].str[:7]
    rate = closed.groupby("month")["outcome"].apply(lambda o: (o == "won").mean()).sort_index()
    baseline = rate.loc["2025-04":"2025-09"].mean()
    after = rate.loc["2025-10":]
    return after.idxmin(), (baseline - after.min()) / baseline


def hand_accepted_to_qualified():
    sal = LEADS[LEADS["sal_at"].notna()].copy()
    sal["month"] = sal["sal_at"].str[:7]
    return sal.groupby("month")["sql_at"].apply(lambda s: s.notna().mean())


def test_win_rate_dip_exercise():
    low_month, depth = hand_win_rate_dip()
    assert m09.check_win_rate_dip(low_month, depth).ok
    assert m09.check_win_rate_dip(low_month, depth * 100).ok
    other = "2026-05" if low_month != "2026-05" else "2026-04"
    wrong = m09.check_win_rate_dip(other, depth)
    assert wrong.status == "wrong" and "1 of 2 right" in wrong.title
    assert m09.check_win_rate_dip(None, None).status == "todo"
    assert "not a month of the data" in str(m09.check_win_rate_dip("2031-01", depth))
    assert m09.check_win_rate_dip(11, "deep").status == "wrong"


def test_the_j_curve_is_in_the_rates_and_the_volume_fall_is_kept_apart():
    rates = m09.brightline_rates()
    hand = hand_accepted_to_qualified()
    assert rates["accepted_to_qualified"].to_dict() == pytest.approx(hand.to_dict())
    dips = m09.rate_dips()
    assert list(dips.index) == [label for label, _ in change.RATE_METRICS.values()]
    assert dips["dipped"].all()  # both rates fell after the start and the lesson says so
    volumes = m09.volume_dips()
    assert "MQLs per month" in volumes.index and not set(volumes.index) & set(dips.index)


def test_plan_exercise():
    plan = {
        "what": "Every MQL gets a first call from an SDR within one hour",
        "why": "Before the programme one MQL in four was never contacted",
        "who": "SDRs in Austin, Warsaw and Singapore",
        "when": "Starting Wednesday 1 October 2025",
        "result": "Median response under 2 hours by December",
        "support": "Ask your team lead in the Monday stand-up, or the head of sales any day",
    }
    assert m09.check_plan(plan).ok
    assert m09.check_plan({k: "" for k in ("what", "why", "who", "when", "result")}).status == "todo"
    assert m09.check_plan(None).status == "todo"
    part = m09.check_plan({**plan, "result": "Things will be better"})
    assert part.status == "wrong" and "4 of 5" in part.title
    assert m09.check_plan(["what"]).status == "wrong"
    blah = m09.check_plan({k: "Blah blah blah blah blah" for k in ("what", "why", "who", "when", "result")})
    assert blah.status == "wrong" and "0 of 5" in blah.title


def test_the_story_worse_before_better():
    dips = m09.brightline_dips()
    dipped = dips[dips["dipped"]]
    # one dip: every metric bottoms inside the programme's first quarter (deals won may lag SQLs a month)
    assert len(dipped) == 4 and dipped["low_month"].isin(["2025-10", "2025-11", "2025-12"]).all()
    assert (dipped["months_to_recover"] <= 4).all()
    assert not dips.loc["Median hours from MQL to first touch", "dipped"]


# --- both lessons ---------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [m08, m09], ids=["m08", "m09"])
def test_quiz_has_one_right_answer_and_feedback_everywhere(module):
    questions = module.quiz()
    assert 3 <= len(questions) <= 5
    for q in questions:
        answers = q["answers"]
        assert sum(a["correct"] for a in answers) == 1, q["question"]
        assert len({a["answer"] for a in answers}) == len(answers), q["question"]
        assert all(a["feedback"].strip() for a in answers)


def office_windows(day, offices=None):
    """Each office's 09:00–17:00 on ``day`` in UTC, from people.csv's time zones and zoneinfo."""
    zones = PEOPLE.drop_duplicates("office").set_index("office")["time_zone"]
    return {
        o: tuple(dt.datetime.combine(day, dt.time(h), ZoneInfo(tz)).astimezone(dt.UTC) for h in (9, 17))
        for o, tz in zones.items()
        if offices is None or o in offices
    }


def pair_rows(windows):
    rows = []
    names = list(windows)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            start, end = max(windows[a][0], windows[b][0]), min(windows[a][1], windows[b][1])
            hours = max((end - start).total_seconds() / 3600, 0)
            rows.append(
                f"<tr><td>{a}–{b}</td><td>{hours:g} h</td>"
                + (f"<td>{start:%H:%M}–{end:%H:%M}</td></tr>" if hours else "<td>none</td></tr>")
            )
    return rows


def test_overlap_finder_and_its_bench_update_match_zoneinfo():
    windows = office_windows(dt.date(2026, 3, 16))  # Toronto and Austin on summer time, Lisbon and Warsaw not yet
    page = m08.BENCH["overlap finder update (five offices)"]()
    assert all(row in page for row in pair_rows(windows))
    assert "<strong>All 5 at work:</strong> never on this day." in page  # Singapore's day ends before Austin's begins
    boxes, day, hours, out = m08.overlap_finder().children
    assert out.value == page
    for box in boxes.children:
        box.value = box.description in ("Toronto", "Lisbon", "Austin")
    three = office_windows(dt.date(2026, 3, 16), ("Toronto", "Lisbon", "Austin"))
    start, end = max(w[0] for w in three.values()), min(w[1] for w in three.values())
    assert (
        f"<strong>All 3 at work:</strong> {start:%H:%M}–{end:%H:%M} UTC, {(end - start).total_seconds() / 3600:g} h."
    ) in out.value


def test_format_chooser_and_its_bench_update_say_the_format():
    """Planning together is collaboration: in person (Chan); a status update can stay remote."""
    page = m08.BENCH["meeting-format chooser update"]()
    assert page.startswith("<p><strong>Joint planning or brainstorm</strong>: <strong>in person</strong>.</p>")
    pick, out = m08.format_chooser().children
    for purpose, (fmt, _) in raci.MEETING_PURPOSES.items():
        pick.value = purpose
        assert f"<strong>{fmt}</strong>" in out.value


def test_fair_rotation_bench_verdicts_match_zoneinfo():
    """Each week's slot: every office's verdict read again from its local clock (09:00–17:00 in hours,
    from 07:00 early, until 22:00 late), and the count of offices out of hours."""
    plan = m08.BENCH["fair rotation for a quarter (five offices)"]()
    zones = PEOPLE.drop_duplicates("office").set_index("office")["time_zone"]
    assert len(plan) == m08.QUARTER_WEEKS
    assert (pd.to_datetime(plan["date"]).diff().dropna() == pd.Timedelta(days=7)).all()
    for _, row in plan.iterrows():
        out = 0
        for office, tz in zones.items():
            a = row["start_utc"].to_pydatetime().astimezone(ZoneInfo(tz))
            b = a + dt.timedelta(hours=1)
            assert a.weekday() < 5 and a.date() == b.date() and dt.time(7) <= a.time() and b.time() <= dt.time(22)
            verdict = (
                "in hours"
                if dt.time(9) <= a.time() and b.time() <= dt.time(17)
                else "early"
                if a.time() < dt.time(9)
                else "late"
            )
            assert row[office] == verdict, (row["date"], office)
            out += verdict != "in hours"
        assert row["out_of_hours"] == out


def test_change_bench_updates_by_hand():
    page = m09.BENCH["change-curve simulator update"]()  # a 45 % dip, 3 months to recover, 8 h training, weekly
    assert "(without extra support: 0.68)" in page  # 0.45 × 3 ÷ 2 = 0.675 months of output
    depth, low, back, lost = (
        float(x)
        for x in re.search(
            r"<strong>(\d+)%</strong> below normal after ([\d.]+) months; back to normal after <strong>([\d.]+)"
            r"</strong> months\. Output lost: <strong>([\d.]+)</strong>",
            page,
        ).groups()
    )
    assert depth < 45 and back < 3  # training and communication make the dip shallower and shorter
    assert lost == pytest.approx(depth / 100 * back / 2, abs=0.02) and low == pytest.approx(back / 3, abs=0.06)
    plan = m09.BENCH["change plan checker"]()  # what, why, who, when and result are each written
    assert plan.ok and "5 of 5 parts clear" in plan.title


def charts_of_both_lessons():
    d = m09.win_rate_dip()
    return [m08.week_hours_chart(), m09.jcurve_chart(), m09.change_curve_chart(d["depth"], d["months_to_recover"])]


@pytest.mark.parametrize("index", range(3))
def test_each_chart_has_one_bound_control_and_small_data(index):
    view = charts_of_both_lessons()[index]
    spec = view.spec()
    params = spec.get("params", [])
    assert len([p for p in params if "bind" in p]) == 1
    assert view.description and spec["description"] == view.description
    assert sum(len(rows) for rows in spec["datasets"].values()) <= 500


def test_widgets_build():
    box = m09.change_simulator()
    assert "<svg" in box.children[-1].value
    with pytest.raises(ValueError, match="communication"):
        m09.simulator_html(0.4, 3, 0, "hourly")


@pytest.mark.parametrize("name", ["08-remote-and-hybrid.ipynb", "09-leading-change.ipynb"])
def test_every_glued_name_is_saved_as_plain_python(name):
    """myst-nb reads a glued value back with literal_eval: numpy scalars would not format."""
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    saved = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "scrapbook" in out.get("metadata", {}):
                saved[out["metadata"]["scrapbook"]["name"]] = out["data"]["application/papermill.record/text/plain"]
    used = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            used |= {m.split(":")[0] for m in re.findall(r"\{glue:text\}`([^`]*)`", cell.source)}
            used |= {
                glued_spec(m.group("expr")).split(":")[0]
                for m in EVAL_ROLE.finditer(cell.source)
                if glued_spec(m.group("expr"))
            }
    assert used <= set(saved), f"glued in the text but never computed: {used - set(saved)}"
    for text in saved.values():
        ast.literal_eval(text)  # raises for np.float64(...) and the like


def test_the_week_chart_keeps_each_run_of_weeks_once_and_loses_no_week():
    """The chart's data, a row per run of weeks, expands back to the week-by-week table, row for row."""
    data, captions = m08.week_hours_data(m08.brightline_zones())
    runs = m08.week_ranges(data)
    assert len(runs) < len(data) / 5  # the offsets change only a few times a year
    expanded = pd.DataFrame(
        [
            {"week": w, **row.drop(["first", "last"]).to_dict()}
            for _, row in runs.iterrows()
            for w in range(row["first"], row["last"] + 1)
        ]
    )
    key = ["week", "office", "from_utc"]
    assert (
        expanded.sort_values(key)
        .reset_index(drop=True)
        .equals(data[expanded.columns].sort_values(key).reset_index(drop=True))
    )
    spec = m08.week_hours_chart().spec()
    assert sum(len(r) for r in spec["datasets"].values()) < len(data)  # the page no longer carries every week
