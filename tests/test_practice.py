"""Practice: the role-play kits (book/practice/, alignkit.ui.practice) and the On Monday lists
(alignkit.ui.onmonday). The kits' figures are recomputed here with plain pandas and zoneinfo; the claims
their prose makes about those figures are checked; every kit and checklist prints in A4 and Letter."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import yaml

from alignkit.build.handouts import CHROMIUM, PAPER, PRACTICE
from alignkit.ui import onmonday, practice
from alignkit.ui.course import MODULES, ROLES
from tests.test_editions import build_site

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "brightline"
KITS = sorted(p for p in (REPO / "book" / "practice").glob("*.md") if p.stem != "index")
SECTIONS = (
    "## The situation",
    "## The roles",
    "## What good sounds like",
    "## The traps",
    "## Observer's checklist",
    "## Timing",
)


@pytest.fixture(scope="module")
def facts():
    return practice.kit_facts()


@pytest.fixture(scope="module")
def leads():
    frame = pd.read_csv(DATA / "leads.csv", parse_dates=["inquiry_at", "mql_at", "sal_at"])
    return frame[frame["inquiry_at"] >= "2026-01-01"]  # the programme's "after" phase


# --- the figures, recomputed -----------------------------------------------------------------------


def test_names_are_people_with_those_roles(facts):
    people = pd.read_csv(DATA / "people.csv").set_index("name")
    expected = {
        "sdr_austin": ("sales development rep", "Austin"),
        "sdr_warsaw": ("sales development rep", "Warsaw"),
        "sdr_singapore": ("sales development rep", "Singapore"),
        "ae_austin": ("account executive", "Austin"),
        "pmm_toronto": ("product marketing", "Toronto"),
        "content_toronto": ("content", "Toronto"),
        "head_sales": ("head of sales", None),
        "head_marketing": ("head of marketing", None),
        "demand_gen": ("demand generation", None),
    }
    for key, (role, office) in expected.items():
        row = people.loc[facts[key]]
        assert row["role"] == role and (office is None or row["office"] == office), key


def test_handback_figures(facts, leads):
    mqls = leads[leads["mql_at"].notna()]
    assert facts["hb_accepted_after"] == f"{mqls['sal_at'].notna().mean():.0%}"
    assert facts["hb_bar"] == str(mqls["score"].min())
    feedback = pd.read_csv(DATA / "feedback.csv")
    rejected = feedback[feedback["lead_id"].isin(leads["lead_id"]) & (feedback["reason"] != "good fit")]
    counts = rejected["reason"].value_counts()
    assert facts["hb_top_reason"] == counts.index[0]
    assert facts["hb_top_share"] == f"{counts.iloc[0] / counts.sum():.0%}"
    for reason in set(feedback["reason"]) - {"good fit"}:
        assert f"\u201c{reason}\u201d" in facts["hb_reasons"]


def test_first_call_figures_and_the_claim_that_on_message_deals_win_more(facts):
    leads = pd.read_csv(DATA / "leads.csv")
    opps = pd.read_csv(DATA / "opportunities.csv")
    theme = pd.read_csv(DATA / "campaigns.csv").set_index("campaign_id")["theme"]
    opps = opps.merge(leads[["lead_id", "campaign_id"]], on="lead_id")
    matched = opps["pitch_theme"] == opps["campaign_id"].map(theme)
    closed = opps["outcome"].isin(["won", "lost"])

    def rate(mask):
        return (opps.loc[mask & closed, "outcome"] == "won").mean()

    assert facts["fc_win_matched"] == f"{rate(matched):.0%}"
    assert facts["fc_win_mismatched"] == f"{rate(~matched):.0%}"
    assert rate(matched) > rate(~matched)  # the kit says on-message deals were won more often
    assert facts["fc_deals"] == f"{len(opps):,}"


def test_sla_review_claims_sales_missed_and_marketing_met(facts):
    okrs = pd.read_csv(DATA / "okrs.csv")
    q = okrs[okrs["quarter"] == facts["sla_quarter"]]
    touch = q[q["unit"] == "hours"].iloc[0]
    leak = q[q["key_result"].str.contains("never contacted")].iloc[0]
    accept = q[q["metric"] == "stage_conversion"].iloc[0]
    win = q[q["metric"] == "win_rate"].iloc[0]
    assert touch["current"] > touch["target"] and leak["current"] > leak["target"]  # sales missed both
    assert accept["current"] >= accept["target"]  # marketing met its side
    assert win["current"] < win["baseline"]  # the win rate fell below where it started
    assert touch["current"] < touch["baseline"]  # but the first touch improved
    assert facts["sla_touch_current"].startswith(f"{touch['current']:.1f}")


def test_time_zone_figures():
    facts = practice.kit_facts()
    toronto = dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/Toronto"))
    singapore = toronto.astimezone(ZoneInfo("Asia/Singapore"))
    assert facts["tz_now_singapore"] == singapore.strftime("%H:%M")
    end = singapore + dt.timedelta(hours=1)
    assert end.time() > dt.time(22, 0) and facts["tz_now_verdict"] == "unworkable"  # ends after 22:00
    # no overlap of 09:00-17:00 working days on that date: the kit says so
    t0, t1 = (dt.datetime(2026, 3, 2, h, tzinfo=ZoneInfo("America/Toronto")) for h in (9, 17))
    s0, s1 = (dt.datetime(2026, 3, 2, h, tzinfo=ZoneInfo("Asia/Singapore")) for h in (9, 17))
    assert min(t1, s1) <= max(t0, s0)
    best = dt.datetime.strptime(f"2026-03-02 {facts['tz_best_toronto']}", "%Y-%m-%d %H:%M").replace(
        tzinfo=ZoneInfo("America/Toronto")
    )
    assert best.astimezone(ZoneInfo("Asia/Singapore")).strftime("%H:%M") == facts["tz_best_singapore"]


# --- the kit pages -----------------------------------------------------------------------------------


def test_the_five_conversations_have_a_kit():
    assert {p.stem for p in KITS} == {"first-call", "lead-handback", "launch-brief", "sla-review", "time-zones"}


@pytest.mark.parametrize("path", KITS, ids=lambda p: p.stem)
def test_kit_anatomy_timing_and_computed_figures(path, facts):
    text = path.read_text()
    for section in SECTIONS:
        assert section in text, f"{path.name} lacks {section}"
    header = re.search(r"· (\d+) minutes ·", text)
    timing = text.split("## Timing")[1]
    minutes = [int(m) for m in re.findall(r"^\| (\d+) \|", timing, re.M)]
    assert header and sum(minutes) == int(header.group(1)), f"{path.name}: the timing rows add up to {sum(minutes)}"
    checklist = text.split("## Observer's checklist")[1].split("##")[0]
    assert len(re.findall(r"^\| [^|-]", checklist, re.M)) >= 6, "an observer's checklist of six items or more"
    used = set(re.findall(r"\{glue:text\}`([a-z_0-9]+)`", text))
    assert used and used <= set(facts), f"{path.name} glues unknown names {used - set(facts)}"
    # no figure typed into the prose: percentages and money come from the data
    prose = re.sub(r"\{glue:text\}`[^`]*`", "", text.split("```", 2)[-1])
    assert not re.findall(r"\d+(?:\.\d+)?\s?%|\$\d", prose), f"typed figures in {path.name}"
    # a people's name from the data, not typed: every name in the people table appears only through glue
    for name in pd.read_csv(DATA / "people.csv")["name"]:
        assert name not in prose, f"{name} typed into {path.name}"
    assert "Albert Chan, interview with Laba, paragraph" in text


def test_every_kit_is_in_an_agenda_and_the_table_of_contents():
    agendas = "\n".join(
        (REPO / "book" / "facilitator" / f"agenda-{k}.md").read_text() for k in ("90-minutes", "half-day", "full-day")
    )
    toc = yaml.safe_dump(yaml.safe_load((REPO / "_toc.yml").read_text()))
    for kit in KITS:
        assert f"../practice/{kit.stem}" in agendas, f"{kit.stem} is in no agenda"
        assert f"book/practice/{kit.stem}" in toc
    assert {h.page for h in PRACTICE} >= {f"book/practice/{k.stem}" for k in KITS}


# --- On Monday ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lesson", [m.number for m in MODULES])
def test_on_monday_three_to_five_items_per_role_per_lesson(lesson):
    page = onmonday.lesson_html(lesson)
    for role in ROLES:
        items = onmonday.items(lesson, role)
        assert 3 <= len(items) <= 5
        assert len(set(items)) == len(items)
        for item in items:
            assert item.endswith((".", "?")) and len(item.split()) >= 5
            assert item.replace("'", "&#x27;") in page or item in page
    assert page.count("<li>") == sum(len(onmonday.items(lesson, r)) for r in ROLES)


def test_on_monday_covers_every_lesson_and_the_checklists_gather_them():
    assert set(onmonday.ON_MONDAY) == {m.number for m in MODULES}
    for role in ROLES:
        md = onmonday.checklist_markdown(role)
        html = onmonday.checklist_html(role)
        n = sum(len(onmonday.items(m.number, role)) for m in MODULES)
        assert md.count("- ☐ ") == n and html.count("<li>") == n
        assert all(f"{m.number} · {m.title}" in md for m in MODULES)


def test_on_monday_bad_input_is_clear():
    with pytest.raises(ValueError, match="unknown role"):
        onmonday.items(3, "Engineer")
    with pytest.raises(ValueError, match="no module 12"):
        onmonday.items(12, "Seller")


# --- printing ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium")
    out = tmp_path_factory.mktemp("practice-handouts")
    site = build_site("learner")
    run = subprocess.run(
        [sys.executable, "-m", "alignkit.build.handouts", "--site", str(site), "--out", str(out), "--set", "practice"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return out


@pytest.mark.parametrize("folder", PAPER)
@pytest.mark.parametrize("handout", PRACTICE, ids=lambda h: h.name)
def test_kits_and_checklists_print(printed, handout, folder, facts):
    from pypdf import PdfReader

    reader = PdfReader(printed / folder / f"{handout.name}.pdf")
    assert len(reader.pages) == handout.pages, f"{handout.name} ({folder}) prints on {len(reader.pages)} pages"
    # NFKC turns the PDF's ligatures (ﬁ, ﬀ) back into letters
    text = unicodedata.normalize("NFKC", re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages)))
    assert handout.must_say in text
    for chrome in ("Skip to main content", "Previous", "By The Alignment Playbook authors"):
        assert chrome not in text, f"{chrome!r} printed on {handout.name}"
    if handout.name.startswith("kit-"):
        kit = (REPO / f"{handout.page}.md").read_text()
        for key in set(re.findall(r"\{glue:text\}`([a-z_0-9]+)`", kit)):
            value = re.sub(r"\s+", " ", facts[key])
            assert value.replace("\u201c", "").replace("\u201d", "")[:12] in text.replace("\u201c", "").replace(
                "\u201d", ""
            ), f"{key} = {value!r} missing from the printed {handout.name}"
    else:
        for role in ROLES:
            assert role in text
        assert onmonday.items(11, "Manager")[-1][:40] in text


def test_the_lesson_cell_shows_the_lesson_list():
    """The one-line cell each lesson ends with: `from alignkit.ui.onmonday import show; show(N)`."""
    shown = onmonday.show(6)
    assert shown.data == onmonday.lesson_html(6, heading=False)
    assert "<h2>" not in shown.data and "On Monday" in onmonday.lesson_html(6)
    assert all(onmonday.items(6, role)[0] in shown.data for role in onmonday.ROLES)


def test_launch_brief_figures_and_the_claim_that_the_gap_is_small(facts, leads):
    opps = pd.read_csv(DATA / "opportunities.csv")
    opps = opps[opps["lead_id"].isin(leads["lead_id"])]
    closed = opps[opps["outcome"].isin(["won", "lost"])]
    rates = closed.groupby("pitch_theme")["outcome"].apply(lambda s: (s == "won").mean())
    assert facts["lb_best_theme"] == rates.idxmax() and facts["lb_best_win"] == f"{rates.max():.0%}"
    assert facts["lb_worst_theme"] == rates.idxmin() and facts["lb_worst_win"] == f"{rates.min():.0%}"
    assert rates.max() - rates.min() < 0.10  # the kit calls the gap small, possibly chance
    won = opps[opps["outcome"] == "won"]
    assert facts["lb_average_deal"] == f"${won['amount_usd'].mean():,.0f}"
    mqls = leads[leads["mql_at"].notna()]
    assert facts["lb_mqls_month"] == f"{len(mqls) / mqls['mql_at'].dt.to_period('M').nunique():,.0f}"


def test_handback_claim_that_the_bar_was_lower_before(facts):
    frame = pd.read_csv(DATA / "leads.csv", parse_dates=["inquiry_at", "mql_at"])
    before = frame[(frame["inquiry_at"] < "2025-10-01") & frame["mql_at"].notna()]
    assert before["score"].min() < int(facts["hb_bar"])
    assert facts["hb_accepted_before"] == f"{before['sal_at'].notna().mean():.0%}"


def test_on_monday_each_role_gets_its_own_list():
    for m in MODULES:
        lists = [set(onmonday.items(m.number, r)) for r in ROLES]
        for i in range(len(ROLES)):
            for j in range(i + 1, len(ROLES)):
                shared = lists[i] & lists[j]
                assert len(shared) <= 1, f"lesson {m.number}: {ROLES[i]} and {ROLES[j]} share {shared}"


def test_reasons_named_in_the_texts_are_on_the_agreed_list():
    reasons = set(pd.read_csv(DATA / "feedback.csv")["reason"])
    kit = (REPO / "book" / "practice" / "lead-handback.md").read_text()
    assert "**not a decision maker**" in kit and "not a decision maker" in reasons
    from alignkit.ui.assessment import questions

    hand_back = next(q for q in questions() if q.id == "hand-back")
    assert "student or job seeker" in hand_back.options[hand_back.answer].text and "student or job seeker" in reasons
