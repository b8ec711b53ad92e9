"""Brightline at a glance: the case's headline figures, each defined once.

Every figure the course quotes about Brightline as a whole (the average deal, CAC, LTV:CAC, the
acceptance rate before and after the programme …) is computed here, by one function, with its
definition next to it. The page "Brightline at a glance" (``book/glance.md``) shows them, built from
the data when the site is built; a lesson that quotes one glues it under the figure's
:attr:`Figure.glue_name` (``bl_`` + key) with :func:`glue_figures`, and a test checks that every
lesson quoting a headline figure shows the same value, or says why its number differs
(:data:`VARIANTS`).

Two clocks, as in lesson 1:

* **funnel figures** follow the leads that arrived in a phase of the programme (a cohort: before
  = January to September 2025, after = January to June 2026), to the end of the data;
* **money figures** (CAC, LTV, LTV:CAC, payback) take the spend and the new customers of a window
  of months (:func:`alignkit.metrics.economics.comparison_windows`): six months before the programme and
  the six months after its first quarter, so the two windows are as long as each other and the
  before window leaves out the data's first quarter, when the pipeline was still empty.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..metrics import economics, funnel, satisfaction
from .caching import cached
from .dataset import CompanyData, load_company

PAGE = "book/glance"  # the page's document name, for {doc} links from the lessons


@dataclass(frozen=True)
class Figure:
    """One headline figure: its definition, how to show it and the function that computes it."""

    key: str
    label: str
    # how to show it: "count", "money", "share", "rate" (1 decimal), "ratio", "hours", "months", "score", "text"
    kind: str
    definition: str
    compute: Callable[[CompanyData], float | str]

    @property
    def glue_name(self) -> str:
        """The name a lesson glues the figure under."""
        return f"bl_{self.key}"


def _phase(data: CompanyData, phase: str) -> pd.DataFrame:
    return data.leads[data.leads["phase"] == phase]


def _conversion(phase: str, step: str) -> Callable[[CompanyData], float]:
    return lambda d: float(funnel.stage_conversion(_phase(d, phase)).loc["all", step])


def _follow_up(phase: str, key: str) -> Callable[[CompanyData], float]:
    return lambda d: float(funnel.response_summary(_phase(d, phase), d.touches, as_of=d.data_end)[key])


def _win_rate(phase: str) -> Callable[[CompanyData], float]:
    def compute(d: CompanyData) -> float:
        opps = d.opportunities[d.opportunities["lead_id"].isin(_phase(d, phase)["lead_id"])]
        return float(funnel.win_rate(opps))

    return compute


@cached(maxsize=8)
def _unit(slug: str, window: str) -> dict[str, float]:
    data = load_company(slug)
    return economics.unit_economics(data, *economics.comparison_windows(data.profile)[window])


def _money(window: str, key: str) -> Callable[[CompanyData], float]:
    return lambda d: float(_unit(d.profile.slug, window)[key])


def _window_text(window: str) -> Callable[[CompanyData], str]:
    def compute(d: CompanyData) -> str:
        first, last = economics.comparison_windows(d.profile)[window]
        return f"{pd.Period(first, 'M'):%B %Y} to {pd.Period(last, 'M'):%B %Y}"

    return compute


def _average_deal(d: CompanyData) -> float:
    won = d.opportunities[d.opportunities["outcome"] == "won"]
    return float(won["amount_usd"].mean())


def _all_satisfaction(d: CompanyData, which: str) -> float:
    return satisfaction.csat(d.customers["csat"]) if which == "csat" else satisfaction.nps(d.customers["nps"])


FIGURES: tuple[Figure, ...] = (
    Figure(
        "inquiries",
        "Inquiries, January 2025 to June 2026",
        "count",
        "Every lead that arrived in the 18 months of data (duplicates included).",
        lambda d: float(len(d.leads)),
    ),
    Figure(
        "customers",
        "Customers won, January 2025 to June 2026",
        "count",
        "Every customer won in the 18 months of data.",
        lambda d: float(len(d.customers)),
    ),
    Figure(
        "average_deal",
        "Average deal",
        "money",
        "Mean annual contract value (one year of the subscription) of every deal won in the 18 months. "
        "A lesson that looks at one quarter or one phase shows that period's average and says so.",
        _average_deal,
    ),
    Figure(
        "mql_bar_before",
        "MQL bar before the programme",
        "score",
        "Lead score at which marketing handed a lead to sales.",
        lambda d: float(d.profile.before.mql_threshold),
    ),
    Figure(
        "mql_bar_after",
        "MQL bar after the programme",
        "score",
        "Lead score at which marketing hands a lead to sales since 1 October 2025.",
        lambda d: float(d.profile.after.mql_threshold),
    ),
    Figure(
        "acceptance_before",
        "Acceptance before (MQL→SAL)",
        "share",
        "Share of the MQLs of leads that arrived before the programme that sales accepted.",
        _conversion("before", "mql→sal"),
    ),
    Figure(
        "acceptance_after",
        "Acceptance after (MQL→SAL)",
        "share",
        "The same, for leads that arrived after the programme's first quarter.",
        _conversion("after", "mql→sal"),
    ),
    Figure(
        "response_hours_before",
        "First contact before (median hours)",
        "hours",
        "Median hours from MQL to a seller's first call or e-mail, among contacted MQLs, before.",
        _follow_up("before", "median_hours"),
    ),
    Figure(
        "response_hours_after",
        "First contact after (median hours)",
        "hours",
        "The same, after.",
        _follow_up("after", "median_hours"),
    ),
    Figure(
        "leakage_before",
        "MQLs never contacted before (leakage)",
        "share",
        "Share of MQLs no seller ever contacted, before (MQLs younger than 14 days at the end of the data left out).",
        _follow_up("before", "leakage"),
    ),
    Figure(
        "leakage_after",
        "MQLs never contacted after (leakage)",
        "share",
        "The same, after.",
        _follow_up("after", "leakage"),
    ),
    Figure(
        "win_rate_before",
        "Win rate before",
        "share",
        "Won ÷ (won + lost) of the deals from leads that arrived before the programme.",
        _win_rate("before"),
    ),
    Figure("win_rate_after", "Win rate after", "share", "The same, after.", _win_rate("after")),
    Figure(
        "inquiry_to_customer_before",
        "Inquiries that became customers, before",
        "rate",
        "Share of the leads that arrived before the programme that became customers.",
        _conversion("before", "inquiry→won"),
    ),
    Figure(
        "inquiry_to_customer_after",
        "Inquiries that became customers, after",
        "rate",
        "The same, after.",
        _conversion("after", "inquiry→won"),
    ),
    Figure(
        "window_before",
        "Money window before",
        "text",
        "The six months before the programme, for CAC, LTV and payback.",
        _window_text("before"),
    ),
    Figure(
        "window_after",
        "Money window after",
        "text",
        "The six months after the programme's first quarter.",
        _window_text("after"),
    ),
    Figure(
        "new_customers_month_before",
        "New customers a month, before",
        "count",
        "Customers who started in the before window ÷ its months.",
        lambda d: _unit(d.profile.slug, "before")["new_customers"] / _unit(d.profile.slug, "before")["months"],
    ),
    Figure(
        "new_customers_month_after",
        "New customers a month, after",
        "count",
        "The same, in the after window.",
        lambda d: _unit(d.profile.slug, "after")["new_customers"] / _unit(d.profile.slug, "after")["months"],
    ),
    Figure(
        "cac_before",
        "Blended CAC before",
        "money",
        "(All campaign spend + the monthly cost of both teams) ÷ new customers, in the before window (Skok).",
        _money("before", "blended_cac"),
    ),
    Figure("cac_after", "Blended CAC after", "money", "The same, in the after window.", _money("after", "blended_cac")),
    Figure(
        "paid_cac_before",
        "Paid CAC before",
        "money",
        "Paid-channel campaign spend ÷ customers from paid channels, before window (media only).",
        _money("before", "paid_cac"),
    ),
    Figure("paid_cac_after", "Paid CAC after", "money", "The same, in the after window.", _money("after", "paid_cac")),
    Figure(
        "arpa_after",
        "Monthly revenue per new customer (ARPA), after",
        "money",
        "Mean monthly recurring revenue of the customers who started in the after window.",
        _money("after", "arpa"),
    ),
    Figure(
        "monthly_churn",
        "Monthly churn",
        "rate",
        "Customers lost per customer-month, all customers to the end of the data.",
        _money("after", "monthly_churn"),
    ),
    Figure(
        "ltv_after",
        "LTV of a new customer, after",
        "money",
        "ARPA × gross margin ÷ monthly churn, for the customers of the after window (Skok).",
        _money("after", "ltv"),
    ),
    Figure(
        "ltv_to_cac_before",
        "LTV:CAC before",
        "ratio",
        "LTV ÷ blended CAC, before window. Skok's rule of thumb: 3 or more.",
        _money("before", "ltv_to_cac"),
    ),
    Figure("ltv_to_cac_after", "LTV:CAC after", "ratio", "The same, after window.", _money("after", "ltv_to_cac")),
    Figure(
        "payback_before",
        "CAC payback before",
        "months",
        "Blended CAC ÷ (ARPA × gross margin): months of margin to earn a customer's cost back. Skok's rule "
        "of thumb: under 12.",
        _money("before", "payback_months"),
    ),
    Figure(
        "payback_after", "CAC payback after", "months", "The same, after window.", _money("after", "payback_months")
    ),
    Figure(
        "csat",
        "CSAT, all customers",
        "share",
        "Share of survey answers of 4 or 5 on a 1–5 scale, all customers who answered.",
        lambda d: _all_satisfaction(d, "csat"),
    ),
    Figure(
        "nps",
        "NPS, all customers",
        "score",
        "% promoters (9–10) − % detractors (0–6) of the customers who answered (Reichheld 2003).",
        lambda d: _all_satisfaction(d, "nps"),
    ),
)
BY_KEY = {f.key: f for f in FIGURES}

# Other glue names that lessons use for a headline figure, and the figure they stand for. A lesson
# that glues one of these must show the figure's value, or be listed in VARIANTS with what differs.
ALIASES: dict[str, str] = {
    "avg_deal": "average_deal",
    "average_deal": "average_deal",
    "cac_before": "cac_before",
    "cac_after": "cac_after",
    "paid_before": "paid_cac_before",
    "paid_after": "paid_cac_after",
    "ratio_before": "ltv_to_cac_before",
    "ratio_after": "ltv_to_cac_after",
    "payback_before": "payback_before",
    "payback_after": "payback_after",
    "ltv_after": "ltv_after",
    "churn_all": "monthly_churn",
    "leak_before": "leakage_before",
    "leak_after": "leakage_after",
    "resp_before": "response_hours_before",
}

# A lesson that shows a headline figure for another period or population, and says so in its text.
# (notebook file stem, glue name) → what differs. The test checks that the lesson links this page.
VARIANTS: dict[tuple[str, str], str] = {
    (
        "02-price-of-misalignment",
        "avg_deal",
    ): "the average deal of the leads that arrived before the programme, not of all 18 months",
    (
        "09-leading-change",
        "resp_before",
    ): "lesson 9's baseline: the average of the monthly median response times of the six months before the "
    "programme (alignkit.metrics.change.dip), not the median over every before-phase MQL",
    (
        "06-shared-goals-okrs-sla",
        "avg_deal",
    ): "lesson 6's average deal for the SLA (to be tied to this page when lesson 6 is revised)",
    ("11-your-playbook", "avg_deal"): "the sample CRM export's average deal, not Brightline's",
    ("11-your-playbook", "cac"): "the sample CRM export's CAC, not Brightline's",
}

# Glue names two lessons use for different things (not headline figures); each lesson defines its own.
LOCAL_NAMES = frozenset(
    {
        "top_channel",
        "acc_before",
        "acc_after",
        "top_reason",
        "top_reason_share",
        "win_before",
        "resp_before",
        "n_leads",
        "goal",
        "deals_needed",
        "mqls_now",
        "q",
        "months",
        "customers",
        "first_q",
        "last_q",
        "mismatch_n",
        "win_low",
    }
)


@cached(maxsize=4)
def figures(slug: str = "brightline") -> dict[str, float | str]:
    """Every headline figure of a company's data, by key."""
    data = load_company(slug)
    return {f.key: f.compute(data) for f in FIGURES}


def format_value(value: float | str, kind: str) -> str:
    """A figure as the page shows it: money in dollars, shares in percent, ratios to one decimal."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return {
        "count": f"{value:,.0f}",
        "money": f"${value:,.0f}",
        "share": f"{value:.0%}",
        "rate": f"{value:.1%}",
        "ratio": f"{value:.1f}",
        "hours": f"{value:.1f} h",
        "months": f"{value:.0f} months",
        "score": f"{value:.0f}",
    }.get(kind, str(value))


def table(slug: str = "brightline") -> pd.DataFrame:
    """The page's table: figure, value and definition, one row per headline figure."""
    values = figures(slug)
    return pd.DataFrame(
        {
            "Figure": [f.label for f in FIGURES],
            "Value": [format_value(values[f.key], f.kind) for f in FIGURES],
            "How it is computed": [f.definition for f in FIGURES],
        }
    )


def value(key: str, slug: str = "brightline") -> float | str:
    """One headline figure by key (KeyError names the keys there are)."""
    if key not in BY_KEY:
        raise KeyError(f"no headline figure '{key}'; the figures are {', '.join(BY_KEY)}.")
    return figures(slug)[key]


def summary_markdown(slug: str = "brightline") -> str:
    """The page's reading of the figures, in words, with the numbers filled in from :func:`figures`."""
    v = {k: x for k, x in figures(slug).items() if not isinstance(x, str)}  # the numbers (not the period labels)
    more = v["new_customers_month_after"] / v["new_customers_month_before"]
    spend = {
        w: (_unit(slug, w)["media_spend"] + _unit(slug, w)["people_cost"]) / _unit(slug, w)["months"]
        for w in ("before", "after")
    }
    rule = economics.LTV_TO_CAC_RULE
    return (
        f"**What the figures say.** Before the programme a new customer cost "
        f"{format_value(v['cac_before'], 'money')} to win (blended CAC) and took about "
        f"{v['payback_before'] / 12:.1f} years of its margin to pay that back; its whole lifetime was worth "
        f"{v['ltv_to_cac_before']:.1f} times its cost"
        + (
            " (a business growing like that burns cash with every customer it wins). "
            if v["ltv_to_cac_before"] < 2
            else ". "
        )
        + f"After the programme's first quarter the two teams spent {format_value(spend['after'], 'money')} a month "
        f"(people and campaigns) instead of {format_value(spend['before'], 'money')}, and won {more:.1f} times as "
        f"many customers a month; a customer cost {format_value(v['cac_after'], 'money')}, LTV:CAC was "
        f"{v['ltv_to_cac_after']:.1f} (David Skok's rule of thumb: {rule:g} or more) and payback "
        f"{v['payback_after']:.0f} months (his rule of thumb: under {economics.PAYBACK_RULE_MONTHS:.0f}). "
        f"The average deal is {format_value(v['average_deal'], 'money')} a year, about "
        f"{format_value(v['average_deal'] / 12, 'money')} a month."
    )


def glue_figures(*keys: str) -> dict[str, float | str]:
    """Glue these headline figures in a lesson under their glue names (``bl_`` + key) and return them."""
    from myst_nb import glue

    out = {}
    for key in keys:
        out[key] = value(key)
        glue(BY_KEY[key].glue_name, out[key], display=False)
    return out


def main() -> int:
    """``python -m alignkit.casedata.glance``: print Brightline's headline figures."""
    for f in FIGURES:
        print(f"{f.label:55} {format_value(figures()[f.key], f.kind)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
