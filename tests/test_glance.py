"""Brightline at a glance: each headline figure defined once, derived here again with plain pandas,
and shown with one value across every lesson (or a declared, explained variant)."""

import ast
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from alignkit.casedata import glance
from alignkit.casedata.dataset import load_company
from alignkit.casedata.schema import DATA_DIR
from alignkit.metrics import economics, satisfaction

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
OWN_LESSONS = ("00", "01", "02", "03", "04", "05")  # their prose must link the page when they show a variant


@pytest.fixture(scope="module")
def raw():
    read = lambda name: pd.read_csv(DATA_DIR / "brightline" / f"{name}.csv")  # noqa: E731
    return {name: read(name) for name in ("leads", "opportunities", "customers", "campaigns", "people")}


def test_average_deal_is_the_mean_of_won_deals(raw):
    opps = raw["opportunities"]
    assert glance.value("average_deal") == pytest.approx(opps.loc[opps.outcome == "won", "amount_usd"].mean())


@pytest.mark.parametrize("window", ["before", "after"])
def test_blended_cac_by_hand(raw, window):
    first, last = {"before": ("2025-04", "2025-09"), "after": ("2026-01", "2026-06")}[window]
    camp = raw["campaigns"]
    media = camp[(camp.month >= first) & (camp.month <= last)].spend_usd.sum()
    people = raw["people"].monthly_cost_usd.sum() * 6
    started = raw["customers"].start_date.str[:7]
    new = ((started >= first) & (started <= last)).sum()
    assert glance.value(f"cac_{window}") == pytest.approx((media + people) / new)
    assert glance.value(f"window_{window}").startswith(pd.Period(first, "M").strftime("%B %Y"))


def test_acceptance_before_by_hand(raw):
    leads = raw["leads"]
    before = leads[leads.inquiry_at < "2025-10-01"]
    assert glance.value("acceptance_before") == pytest.approx(before.sal_at.notna().sum() / before.mql_at.notna().sum())


def test_the_programme_story_holds_in_the_headline_figures():
    v = glance.figures()
    assert v["cac_after"] < 0.5 * v["cac_before"]
    assert v["ltv_to_cac_before"] < 2 < economics.LTV_TO_CAC_RULE <= v["ltv_to_cac_after"]
    assert v["payback_after"] < v["payback_before"]
    # a deal a sales leader would recognise: CAC within a few years of one deal, not ten
    assert v["cac_before"] < 4 * v["average_deal"] and v["cac_after"] < 1.5 * v["average_deal"]


def test_the_page_shows_every_figure_once():
    t = glance.table()
    assert list(t["Figure"]) == [f.label for f in glance.FIGURES]
    assert t["Figure"].is_unique and len({f.key for f in glance.FIGURES}) == len(glance.FIGURES)
    assert t.loc[t["Figure"] == "Average deal", "Value"].item() == f"${glance.value('average_deal'):,.0f}"
    page = (ROOT / "book" / "glance.md").read_text()
    assert "glance.table()" in page and "glance.summary_markdown()" in page
    assert "book/glance" in (ROOT / "_toc.yml").read_text()


def test_unknown_figure_names_the_figures():
    with pytest.raises(KeyError, match="average_deal"):
        glance.value("avg")


# --- satisfaction (C4) -----------------------------------------------------------------------------


def test_csat_counts_fours_and_fives_and_skips_blanks():
    assert satisfaction.csat([5, 4, 3, 1, None]) == pytest.approx(2 / 4)
    assert math.isnan(satisfaction.csat([None, None]))


def test_nps_is_promoters_minus_detractors():
    # 9, 10 promoters; 7, 8 passives; 0-6 detractors: 2 promoters, 1 passive, 2 detractors of 5
    assert satisfaction.nps([10, 9, 8, 6, 0]) == pytest.approx(100 * (2 - 2) / 5)
    assert satisfaction.nps([10, 10, 9, 7]) == pytest.approx(75.0)
    assert satisfaction.nps([0, 3]) == -100.0


def test_satisfaction_rejects_answers_off_the_scale():
    with pytest.raises(ValueError, match="CSAT answers are whole numbers from 1 to 5"):
        satisfaction.csat([6])
    with pytest.raises(ValueError, match="NPS answers are whole numbers from 0 to 10"):
        satisfaction.nps([11])


def test_satisfaction_by_channel_by_hand(raw):
    cust = (
        raw["customers"]
        .merge(raw["opportunities"][["opportunity_id", "lead_id"]], on="opportunity_id")
        .merge(raw["leads"][["lead_id", "channel"]], on="lead_id")
    )
    table = satisfaction.satisfaction_by_channel(load_company())
    for channel, part in cust.groupby("channel"):
        answered = part.nps.dropna()
        assert table.loc[channel, "customers"] == len(part)
        assert table.loc[channel, "csat"] == pytest.approx((part.csat.dropna() >= 4).mean())
        assert table.loc[channel, "nps"] == pytest.approx(100 * ((answered >= 9).mean() - (answered <= 6).mean()))
    # the story: referrals bring customers who stay and recommend; paid social the opposite
    assert table.loc["referrals", "nps"] > table.loc["paid social", "nps"]
    assert table.loc["referrals", "monthly_churn"] < table.loc["paid social", "monthly_churn"]


# --- acquisition cost along the funnel (C5) --------------------------------------------------------


def test_cost_along_funnel_by_hand(raw):
    table = economics.cost_along_funnel(load_company(), "2026-01", "2026-06")
    leads, camp = raw["leads"], raw["campaigns"]
    social = leads[leads.channel == "paid social"]
    spend = camp[(camp.channel == "paid social") & (camp.month >= "2026-01")].spend_usd.sum()
    in_window = lambda col: social[col].fillna("").str[:7].between("2026-01", "2026-06").sum()  # noqa: E731
    row = table.loc["paid social"]
    assert row["media_spend"] == pytest.approx(spend)
    assert row["cost_per_lead"] == pytest.approx(spend / in_window("inquiry_at"))
    assert row["cost_per_mql"] == pytest.approx(spend / in_window("mql_at"))
    assert row["cost_per_sql"] == pytest.approx(spend / in_window("sql_at"))
    assert table.loc["all channels", "leads"] == table.drop("all channels")["leads"].sum()
    # each stage costs more than the one before it
    assert (table["cost_per_lead"] < table["cost_per_mql"]).all()
    assert (table["cost_per_sql"] < table["cost_per_customer"]).all()


def test_cost_per_customer_is_the_channels_media_cac():
    data = load_company()
    funnel_costs = economics.cost_along_funnel(data, "2026-01", "2026-06")
    channels = economics.channel_economics(data, "2026-01", "2026-06")
    for channel in channels.index:
        assert funnel_costs.loc[channel, "cost_per_customer"] == pytest.approx(channels.loc[channel, "media_cac"])


def test_comparison_windows_are_equal_and_skip_the_data_start():
    w = economics.comparison_windows(load_company().profile)
    assert w == {
        "before": ("2025-04", "2025-09"),
        "first quarter": ("2025-10", "2025-12"),
        "after": ("2026-01", "2026-06"),
    }
    assert economics.comparison_windows(load_company("northfield").profile) == {"before": ("2025-07", "2026-06")}


# --- one value per figure across the lessons ---------------------------------------------------------


def _glued(path: Path) -> dict[str, object]:
    out = {}
    for cell in json.loads(path.read_text())["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                try:
                    out[name] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    out[name] = text
    return out


def _prose(path: Path) -> str:
    return "\n".join(
        "".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"
    )


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


GLUED = {p.stem: _glued(p) for p in NOTEBOOKS}


def test_lessons_glue_headline_figures_with_the_pages_values():
    values = glance.figures()
    wrong = []
    for stem, glued in GLUED.items():
        for name, shown in glued.items():
            if name.startswith("bl_"):
                key = name[3:]
                assert key in glance.BY_KEY, f"{stem} glues {name}, which is no headline figure"
                if not _same(shown, values[key]):
                    wrong.append(f"{stem}: {name} = {shown!r}, the page says {values[key]!r}")
            elif name in glance.ALIASES and (stem, name) not in glance.VARIANTS:
                key = glance.ALIASES[name]
                if not _same(shown, values[key]):
                    wrong.append(
                        f"{stem}: {name} = {shown!r} is the headline figure '{key}' computed another way "
                        f"(the page says {values[key]!r}); glue bl_{key} or declare it in glance.VARIANTS"
                    )
    assert not wrong, "\n".join(wrong)


def test_a_declared_variant_is_explained_in_the_lesson():
    for (stem, name), why in glance.VARIANTS.items():
        assert why.strip()
        assert stem in GLUED, f"glance.VARIANTS names {stem}, which is no lesson"
        if stem[:2] in OWN_LESSONS:
            assert name in GLUED[stem], f"{stem} no longer glues {name}: drop it from glance.VARIANTS"
            assert glance.PAGE in _prose(NOTEBOOKS[[p.stem for p in NOTEBOOKS].index(stem)]), (
                f"{stem} shows {name} ({why}) but does not link the page {glance.PAGE}"
            )


def test_one_glue_name_means_one_value_across_lessons():
    seen: dict[str, tuple[str, object]] = {}
    clashes = []
    for stem, glued in GLUED.items():
        for name, shown in glued.items():
            if name in glance.LOCAL_NAMES or (stem, name) in glance.VARIANTS:
                continue
            if name in seen and not _same(seen[name][1], shown):
                clashes.append(f"{name}: {seen[name][0]} shows {seen[name][1]!r}, {stem} shows {shown!r}")
            seen.setdefault(name, (stem, shown))
    assert not clashes, (
        "the same glue name with different values in two lessons (one figure computed two ways, "
        "or two figures sharing a name: declare it in glance.LOCAL_NAMES):\n" + "\n".join(clashes)
    )
