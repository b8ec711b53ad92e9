"""OKR scoring on tables, the key-result checker, the shared-wins board and the SLA from data,
on small cases whose answers are worked out by hand."""

import math

import pandas as pd
import pytest

from alignkit.lessons import m06_shared_goals as m06
from alignkit.metrics import okr, sla


def okr_rows(rows):
    """rows: (quarter, objective, kind, baseline, target, current, owner_id)."""
    frame = pd.DataFrame(rows, columns=["quarter", "objective", "kind", "baseline", "target", "current", "owner_id"])
    frame["key_result"] = [f"KR {i}: text" for i in range(len(frame))]
    frame["team"] = "shared"
    return frame


OKRS = okr_rows(
    [
        ("2026Q1", "O", "committed", 10.0, 2.0, 4.0, "P1"),  # lower is better: 6 of 8 covered = 0.75
        ("2026Q1", "O", "aspirational", 0.30, 0.50, 0.44, "P2"),  # 0.14 / 0.20 = 0.7
        ("2026Q2", "O", "committed", 0.30, 0.50, 0.60, "P2"),  # past the target: clamped to 1.0
        ("2026Q2", "O", "aspirational", 0.30, 0.50, 0.20, "P1"),  # went backwards: clamped to 0.0
    ]
)
PEOPLE = pd.DataFrame(
    {
        "person_id": ["P1", "P2"],
        "name": ["Ana Seller", "Max Marketer"],
        "team": ["sales", "marketing"],
        "role": ["head of sales", "head of marketing"],
    }
)


def test_score_okrs_scores_grades_and_met():
    s = okr.score_okrs(OKRS)
    assert s["score"].tolist() == pytest.approx([0.75, 0.7, 1.0, 0.0])
    assert s["grade"].tolist() == ["green", "green", "green", "red"]
    assert s["expected"].tolist() == [1.0, 0.7, 1.0, 0.7]
    assert s["met"].tolist() == [False, True, True, False]


def test_objective_score_is_the_average_of_its_key_results():
    o = okr.objective_scores(OKRS).set_index("quarter")
    assert o.loc["2026Q1", "score"] == pytest.approx((0.75 + 0.7) / 2)
    assert o.loc["2026Q2", "score"] == pytest.approx(0.5)
    assert o.loc["2026Q2", "grade"] == "yellow"
    assert o.loc["2026Q1", "met"] == 1


def test_a_target_equal_to_the_baseline_is_not_scored():
    s = okr.score_okrs(okr_rows([("2026Q1", "O", "committed", 5.0, 5.0, 6.0, "P1")]))
    assert math.isnan(s["score"].iloc[0]) and s["grade"].iloc[0] == "not scored" and not s["met"].iloc[0]
    assert math.isnan(
        okr.objective_scores(okr_rows([("2026Q1", "O", "committed", 5.0, 5.0, 6.0, "P1")]))["score"].iloc[0]
    )


def test_empty_okrs_and_bad_input():
    assert okr.objective_scores(OKRS.iloc[:0]).empty
    with pytest.raises(ValueError, match="kind"):
        okr.score_okrs(okr_rows([("2026Q1", "O", "stretch", 0, 1, 0.5, "P1")]))
    with pytest.raises(ValueError, match="column"):
        okr.score_okrs(OKRS.drop(columns="baseline"))


def test_shared_wins_names_the_team_and_owner():
    board = okr.shared_wins(OKRS, PEOPLE)
    assert board[["quarter", "moved by", "owner"]].values.tolist() == [
        ["2026Q1", "marketing", "Max Marketer"],
        ["2026Q2", "marketing", "Max Marketer"],
    ]
    side = okr.wins_side_by_side(board)
    assert side.loc["2026Q1"].tolist() == [1, 0]
    assert okr.shared_wins(OKRS, PEOPLE, "2026Q2")["quarter"].tolist() == ["2026Q2"]
    with pytest.raises(ValueError, match="2025Q1"):
        okr.shared_wins(OKRS, PEOPLE, "2025Q1")


@pytest.mark.parametrize(
    "text, present",
    [
        (
            "Raise acceptance from 30 % to 65 % by the end of 2026Q1 (owner: head of marketing)",
            {"number", "baseline", "deadline", "owner"},
        ),
        ("Improve lead quality", set()),
        ("Deliver 400 MQLs a month by 30 June", {"number", "deadline"}),
        (
            "Cut first-touch time from 25 hours to 2 hours in Q2 2026, SDR team",
            {"number", "baseline", "deadline", "owner"},
        ),
        ("Win rate from 0.24 to 0.30 by 2026-06-30 owned by Ines", {"number", "baseline", "deadline", "owner"}),
    ],
)
def test_key_result_parts(text, present):
    parts = okr.key_result_parts(text)
    assert {k for k, v in parts.items() if v} == present


def test_a_number_in_the_deadline_is_not_the_target():
    parts = okr.key_result_parts("Sales wins more deals by 2026Q2")
    assert parts["number"] is None and parts["deadline"] == "by 2026Q2"


def test_a_named_person_counts_as_owner():
    assert okr.key_result_parts("Reach 50 demos by June", names=["Rosa Yilmaz"])["owner"] is None
    assert okr.key_result_parts("Rosa reaches 50 demos by June", names=["Rosa Yilmaz"])["owner"] == "Rosa"


def test_check_key_result_is_a_plain_result():
    vague = okr.check_key_result("Improve lead quality")
    assert vague.missing == ["number", "baseline", "deadline", "owner"] and vague.vague and not vague.measurable
    good = okr.check_key_result("Raise acceptance from 30 % to 65 % by the end of 2026Q1 (owner: head of marketing)")
    assert good.measurable and good.missing == [] and not good.vague
    assert good.parts == {
        "number": "65 %",
        "baseline": "from 30 %",
        "deadline": "by the end of 2026Q1",
        "owner": "head of marketing",
    }
    with pytest.raises(ValueError, match="text"):
        okr.check_key_result(3)
    with pytest.raises(ValueError, match="text"):
        okr.key_result_parts(3)


def test_check_key_result_feedback():
    assert m06.check_key_result(None).status == "todo"
    assert m06.check_key_result("  ").status == "todo"
    assert m06.check_key_result(42).status == "wrong"
    vague = m06.check_key_result("Improve lead quality")
    assert vague.status == "wrong" and "4 of 4" in vague.title and any("direction" in p for p in vague.points)
    good = m06.check_key_result("Raise acceptance from 30 % to 65 % by the end of 2026Q1 (owner: head of marketing)")
    assert good.ok


# -- the SLA from data ---------------------------------------------------------------------------


def ts(s):
    return pd.Timestamp(s) if s else pd.NaT


LEADS = pd.DataFrame(
    {
        "lead_id": ["L1", "L2", "L3", "L4", "L5"],
        "mql_at": [
            ts("2026-01-05 10:00"),
            ts("2026-01-10 10:00"),
            ts("2026-02-01 10:00"),
            ts("2026-02-02 10:00"),
            None,
        ],
        "sal_at": [ts("2026-01-06"), None, ts("2026-02-03"), ts("2026-02-04"), None],
        "opportunity_at": [ts("2026-01-09"), None, ts("2026-02-09"), None, None],
    }
)
OPPS = pd.DataFrame(
    {"lead_id": ["L1", "L3", "X9"], "outcome": ["won", "lost", "won"], "amount_usd": [1200.0, 900.0, 99999.0]}
)
TOUCHES = pd.DataFrame(
    {
        "lead_id": ["L1", "L2", "L3"],
        "rep_id": ["R1", "R1", "R2"],
        "first_touch_at": [ts("2026-01-05 12:00"), ts("2026-01-12 10:00"), ts("2026-02-01 11:00")],
    }
)


def test_rates_from_data_by_hand():
    r = sla.rates_from_data(LEADS, OPPS)
    assert r["average_deal"] == 1200.0  # the deal of a lead outside the cohort does not count
    assert r["lead_to_opportunity"] == pytest.approx(2 / 4)
    assert r["opportunity_to_win"] == pytest.approx(1 / 2)


def test_rates_from_data_with_nothing_to_divide_are_nan():
    r = sla.rates_from_data(LEADS.iloc[4:], OPPS.iloc[:0])
    assert all(math.isnan(v) for v in r.values())
    with pytest.raises(ValueError, match="amount_usd"):
        sla.rates_from_data(LEADS, OPPS.drop(columns="amount_usd"))


def test_compliance_by_month_by_hand():
    c = sla.compliance_by_month(LEADS, TOUCHES, mql_target=2, as_of="2026-03-01", hours=24, sales_bar=0.5)
    assert c.index.tolist() == ["2026-01", "2026-02"]
    # January: L1 touched in 2 h, L2 in 48 h -> half within 24 h; both accepted? only L1
    assert c.loc["2026-01", "within_hours"] == pytest.approx(0.5) and c.loc["2026-01", "sales_met"]
    assert c.loc["2026-01", "accepted"] == pytest.approx(0.5)
    # February: L3 in 1 h, L4 never touched -> half; both accepted
    assert c.loc["2026-02", "within_hours"] == pytest.approx(0.5)
    assert c.loc["2026-02", "accepted"] == pytest.approx(1.0)
    assert c["marketing_met"].tolist() == [True, True]
    strict = sla.compliance_by_month(LEADS, TOUCHES, mql_target=3, as_of="2026-03-01", sales_bar=0.9)
    assert strict["marketing_met"].tolist() == [False, False] and not strict["sales_met"].any()


def test_compliance_edge_cases():
    assert sla.compliance_by_month(LEADS, TOUCHES, 2, as_of="2025-01-01").empty
    with pytest.raises(ValueError, match="target"):
        sla.compliance_by_month(LEADS, TOUCHES, 0, as_of="2026-03-01")
    with pytest.raises(ValueError, match="sales bar"):
        sla.compliance_by_month(LEADS, TOUCHES, 2, as_of="2026-03-01", sales_bar=1.5)


def test_compliance_judges_each_side_only_from_the_month_it_agreed():
    # LEADS has MQLs in January and February 2026; marketing agreed in February, sales in January
    c = sla.compliance_by_month(
        LEADS,
        TOUCHES,
        mql_target=3,
        as_of="2026-03-01",
        sales_bar=0.5,
        marketing_from="2026-02-15",
        sales_from="2026-01",
    )
    # January: no marketing target yet, so neither met nor missed; the measurements are still there
    assert math.isnan(c.loc["2026-01", "mql_target"]) and c.loc["2026-01", "marketing_met"] is pd.NA
    assert c.loc["2026-01", "mqls"] == 2 and c.loc["2026-01", "accepted"] == pytest.approx(0.5)
    # February: judged (2 MQLs against 3: missed)
    assert c.loc["2026-02", "mql_target"] == 3 and c.loc["2026-02", "marketing_met"] == False  # noqa: E712
    assert c["sales_met"].tolist() == [True, True]
    # a month counts as missed only when it was judged: one miss, not two
    assert int((c["marketing_met"] == False).sum()) == 1  # noqa: E712
    later = sla.compliance_by_month(LEADS, TOUCHES, 2, as_of="2026-03-01", sales_from="2026-03")
    assert later["sales_met"].isna().all() and later["marketing_met"].tolist() == [True, True]
    with pytest.raises(ValueError, match="marketing_from"):
        sla.compliance_by_month(LEADS, TOUCHES, 2, as_of="2026-03-01", marketing_from="next spring")
    assert c["quality_met"].isna().all()  # no acceptance bar agreed: quality is measured, not judged


def test_compliance_judges_marketing_quality_against_the_agreed_acceptance():
    # January: 1 of 2 accepted (50 %); February: 2 of 2 (100 %); the bar was agreed in February
    c = sla.compliance_by_month(LEADS, TOUCHES, 2, as_of="2026-03-01", acceptance_bar=0.6, quality_from="2026-02")
    assert c.loc["2026-01", "quality_met"] is pd.NA and c.loc["2026-02", "quality_met"] == True  # noqa: E712
    every = sla.compliance_by_month(LEADS, TOUCHES, 2, as_of="2026-03-01", acceptance_bar=0.6)
    assert every["quality_met"].tolist() == [False, True]
    with pytest.raises(ValueError, match="acceptance bar"):
        sla.compliance_by_month(LEADS, TOUCHES, 2, as_of="2026-03-01", acceptance_bar=60)
