"""Lead scores and the MQL threshold trade-off on small hand-computed cases."""

import math

import pandas as pd
import pytest

from alignkit.metrics import lead_scores

T = pd.Timestamp


def leads_table():
    """Six leads over two months; the bar was 40, so the lead scored 30 never reached sales.

    score  mql  touched  sal  sql  won
      30    -     -       -    -    -
      40    y     y       -    -    -
      50    y     y       y    -    -
      60    y     -       -    -    -     (never contacted)
      70    y     y       y    y    y
      80    y     y       y    y    -
    """
    inq = [T("2025-01-05"), T("2025-01-20"), T("2025-02-03"), T("2025-02-10"), T("2025-02-11"), T("2025-02-12")]

    def later(flags):
        return [i + pd.Timedelta(days=1) if f else pd.NaT for i, f in zip(inq, flags, strict=True)]

    return pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(6)],
            "score": [30, 40, 50, 60, 70, 80],
            "inquiry_at": inq,
            "mql_at": later([0, 1, 1, 1, 1, 1]),
            "sal_at": later([0, 0, 1, 0, 1, 1]),
            "sql_at": later([0, 0, 0, 0, 1, 1]),
            "won_at": later([0, 0, 0, 0, 1, 0]),
        }
    )


TOUCHES = pd.DataFrame({"lead_id": ["L1", "L2", "L4", "L5"]})


def test_threshold_tradeoff_by_hand():
    t = lead_scores.threshold_tradeoff(
        leads_table(), [40, 60, 70], sdr_count=1, leads_per_sdr_per_month=2, touches=TOUCHES
    )
    # bar 40: 5 MQLs over 2 months; contacted L1 L2 L4 L5, accepted L2 L4 L5 -> 3/4; SQL 2 of 3 SALs
    assert t.loc[40, "mqls_per_month"] == 2.5
    assert t.loc[40, "acceptance"] == 0.75
    assert t.loc[40, "capacity_used"] == 1.25
    assert t.loc[40, "worked_per_month"] == 2  # sellers cannot work more than capacity
    assert t.loc[40, "sals_per_month"] == pytest.approx(1.5)
    assert t.loc[40, "sqls_per_month"] == pytest.approx(1.0)
    # bar 60: 3 leads, contacted L4 L5 (L3 never), both accepted
    assert t.loc[60, "mqls_per_month"] == 1.5 and t.loc[60, "acceptance"] == 1.0
    assert t.loc[70, "capacity_used"] == 0.5


def test_threshold_below_the_old_bar_is_unknown_not_zero():
    t = lead_scores.threshold_tradeoff(leads_table(), [30], 1, 2, touches=TOUCHES)
    assert math.isnan(t.loc[30, "acceptance"]) and math.isnan(t.loc[30, "sqls_per_month"])
    assert t.loc[30, "mqls_per_month"] == 3.0


def test_without_touches_every_mql_counts_as_contacted():
    t = lead_scores.threshold_tradeoff(leads_table(), [40], 1, 2)
    assert t.loc[40, "acceptance"] == 0.6  # 3 SALs of 5 MQLs


def test_empty_leads_and_zero_capacity_give_nan():
    empty = leads_table().iloc[:0]
    t = lead_scores.threshold_tradeoff(empty, [50], 1, 100)
    assert t[["mqls_per_month", "acceptance", "capacity_used"]].isna().all(axis=None)
    zero = lead_scores.threshold_tradeoff(leads_table(), [50], 0, 100, touches=TOUCHES)
    assert math.isnan(zero.loc[50, "capacity_used"])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"thresholds": [120]}, "0 to 100"),
        ({"thresholds": []}, "0 to 100"),
        ({"thresholds": ["50"]}, "0 to 100"),
        ({"sdr_count": -1}, "sdr_count"),
        ({"leads_per_sdr_per_month": 0}, "more than 0"),
    ],
)
def test_threshold_tradeoff_rejects_bad_input(kwargs, match):
    args = {"thresholds": [50], "sdr_count": 1, "leads_per_sdr_per_month": 100} | kwargs
    with pytest.raises(ValueError, match=match):
        lead_scores.threshold_tradeoff(leads_table(), **args)
    with pytest.raises(ValueError, match="column"):
        lead_scores.threshold_tradeoff(leads_table().drop(columns="score"), [50], 1)


def test_score_bands_by_hand():
    opps = pd.DataFrame({"lead_id": ["L4", "L5", "L2"], "outcome": ["won", "lost", "open"]})
    bands = lead_scores.score_bands(leads_table(), TOUCHES, opps, edges=(0, 40, 60, 101))
    assert list(bands.index) == ["0–39", "40–59", "60–100"]
    assert bands["leads"].tolist() == [1, 2, 3]
    assert math.isnan(bands.loc["0–39", "acceptance"])  # never reached sales
    assert bands.loc["40–59", "acceptance"] == 0.5
    assert bands.loc["60–100", "acceptance"] == 1.0  # L4, L5 contacted and accepted; L3 never contacted
    assert bands.loc["60–100", "win_rate"] == 0.5 and bands.loc["60–100", "closed_deals"] == 2
    assert math.isnan(bands.loc["40–59", "win_rate"])  # its only deal is still open
    with pytest.raises(ValueError, match="increasing"):
        lead_scores.score_bands(leads_table(), edges=(50, 10))


def test_band_labels():
    assert lead_scores.band_labels((0, 35, 101)) == ["0–34", "35–100"]


def test_verdict_and_agreement():
    good = {
        "mqls_per_month": 50.0,
        "acceptance": 0.6,
        "capacity": 100.0,
        "capacity_used": 0.5,
        "sals_per_month": 30.0,
        "sqls_per_month": 10.0,
    }
    assert lead_scores.threshold_verdict(good, 0.5) == []
    bad = good | {"mqls_per_month": 150.0, "capacity_used": 1.5, "acceptance": 0.4}
    problems = lead_scores.threshold_verdict(bad, 0.5)
    assert len(problems) == 2 and "50 MQLs a month would go unworked" in problems[1]
    text = lead_scores.definitions_agreement(55, ["decides for the business", " "], good, company="Acme")
    assert "score of **55** or more" in text and "- decides for the business" in text
    assert "Acme" in text and "keeps sellers within capacity" in text
    # acceptance and speed are two promises: the SAL row says nothing about hours, the promise does
    sal_row = next(line for line in text.splitlines() if line.startswith("| SAL |"))
    assert "hour" not in sal_row and "rejected" in sal_row
    assert "within **24 hours** of the MQL" in text and "can still be accepted" in text
    assert "within **48 hours**" in lead_scores.definitions_agreement(55, ["x"], good, response_hours=48)
    unknown = lead_scores.definitions_agreement(30, ["x"], good | {"acceptance": math.nan})
    assert "unknown" in unknown
    with pytest.raises(ValueError, match="at least one"):
        lead_scores.definitions_agreement(55, [], good)
    with pytest.raises(ValueError, match="whole score"):
        lead_scores.definitions_agreement(55.5, ["x"], good)
    with pytest.raises(ValueError, match="threshold_tradeoff"):
        lead_scores.definitions_agreement(55, ["x"], {"acceptance": 0.5})
