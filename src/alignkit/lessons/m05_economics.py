"""Lesson 5, Economics both teams own: the what-if calculator and the LTV:CAC chart, the two
exercises and the quiz."""

from __future__ import annotations

import math
from collections.abc import Callable

import altair as alt
import pandas as pd

from ..casedata.caching import cached
from ..casedata.dataset import load_company
from ..metrics import economics, satisfaction
from ..ui import charts, present
from ..ui.exercises import Exercise, Feedback, Idea, check_choice, check_number, combine
from ..ui.exercises import multiple_choice as _mc

COMPARED = ("before", "after")


def windows(slug: str = "brightline") -> dict[str, tuple[str, str]]:
    """The money windows of lesson 5: six months before the programme and the six after its first quarter
    (:func:`alignkit.metrics.economics.comparison_windows`, the windows of the "Brightline at a glance" page)."""
    return economics.comparison_windows(load_company(slug).profile)


@cached(maxsize=4)
def channel_table(phase: str, slug: str = "brightline", people_cost: str = "by leads") -> pd.DataFrame:
    """channel_economics for one programme phase (people cost allocated by share of leads)."""
    start, end = windows(slug)[phase]
    return economics.channel_economics(load_company(slug), start, end, people_cost=people_cost)


def _fmt(value: float, spec: str) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, spec)


def what_if_html(
    monthly_spend: float,
    leads_per_month: float,
    lead_to_customer: float,
    arpa_monthly: float,
    gross_margin: float,
    monthly_churn: float,
) -> str:
    """The calculator's result as HTML, with Skok's two rules of thumb checked."""
    r = economics.what_if(monthly_spend, leads_per_month, lead_to_customer, arpa_monthly, gross_margin, monthly_churn)
    ratio_ok = r["ltv_to_cac"] >= economics.LTV_TO_CAC_RULE
    payback_ok = r["payback_months"] < economics.PAYBACK_RULE_MONTHS
    mark = lambda ok: "✓" if ok else "✗"  # noqa: E731
    return (
        "<table><tbody>"
        f"<tr><td>Cost per lead</td><td>${_fmt(r['cost_per_lead'], ',.0f')}</td></tr>"
        f"<tr><td>New customers a month</td><td>{_fmt(r['customers_per_month'], ',.1f')}</td></tr>"
        f"<tr><td>CAC</td><td><strong>${_fmt(r['cac'], ',.0f')}</strong></td></tr>"
        f"<tr><td>LTV</td><td><strong>${_fmt(r['ltv'], ',.0f')}</strong></td></tr>"
        f"<tr><td>LTV:CAC</td><td>{mark(ratio_ok)} <strong>{_fmt(r['ltv_to_cac'], '.1f')}</strong> "
        f"(rule of thumb: {economics.LTV_TO_CAC_RULE:g} or more)</td></tr>"
        f"<tr><td>Payback</td><td>{mark(payback_ok)} <strong>{_fmt(r['payback_months'], '.1f')} months</strong> "
        f"(rule of thumb: under {economics.PAYBACK_RULE_MONTHS:g})</td></tr>"
        "</tbody></table>"
    )


def calculator_defaults(channel: str = "paid search", phase: str = "after") -> dict[str, float]:
    """The calculator's starting point: one channel's monthly figures in one phase."""
    row = channel_table(phase).loc[channel]
    first, last = windows()[phase]
    months = (pd.Period(last, "M") - pd.Period(first, "M")).n + 1
    return {
        "monthly_spend": float(round((row["media_spend"] + row["people_cost"]) / months)),
        "leads_per_month": float(round(row["leads"] / months)),
        "lead_to_customer": float(round(row["new_customers"] / row["leads"], 4)),
        "arpa_monthly": float(round(row["arpa"])),
        "gross_margin": float(round(row["gross_margin"], 2)),
        "monthly_churn": float(round(row["monthly_churn"], 3)),
    }


def what_if_calculator(channel: str = "paid search"):
    """JupyterLab: change spend, leads, conversion, deal size, margin or churn; see CAC, LTV,
    LTV:CAC and payback."""
    import ipywidgets as w

    start = calculator_defaults(channel)
    style = {"description_width": "14em"}
    layout = w.Layout(width="36em")
    controls = {
        "monthly_spend": w.FloatText(value=round(start["monthly_spend"]), description="Spend a month ($)", style=style),
        "leads_per_month": w.IntSlider(
            value=int(start["leads_per_month"]),
            min=0,
            max=1000,
            step=10,
            description="Leads a month",
            style=style,
            layout=layout,
        ),
        "lead_to_customer": w.FloatSlider(
            value=start["lead_to_customer"],
            min=0,
            max=0.2,
            step=0.0025,
            readout_format=".2%",
            description="Lead → customer",
            style=style,
            layout=layout,
        ),
        "arpa_monthly": w.IntSlider(
            value=int(start["arpa_monthly"]),
            min=10,
            max=600,
            step=5,
            description="Revenue per customer a month ($)",
            style=style,
            layout=layout,
        ),
        "gross_margin": w.FloatSlider(
            value=start["gross_margin"],
            min=0.3,
            max=0.95,
            step=0.01,
            readout_format=".0%",
            description="Gross margin",
            style=style,
            layout=layout,
        ),
        "monthly_churn": w.FloatSlider(
            value=start["monthly_churn"],
            min=0.005,
            max=0.1,
            step=0.0025,
            readout_format=".1%",
            description="Monthly churn",
            style=style,
            layout=layout,
        ),
    }
    out = w.HTML()

    def update(_=None):
        out.value = what_if_html(**{k: c.value for k, c in controls.items()})

    for c in controls.values():
        c.observe(update, names="value")
    update()
    return w.VBox([*controls.values(), out])


def ltv_cac_chart() -> charts.ChartView:
    """LTV:CAC by channel before and after the programme, with one slider that changes churn."""
    rows = []
    for phase in COMPARED:
        t = channel_table(phase)
        for ch, r in t.iterrows():
            rows.append(
                {
                    "channel": ch,
                    "phase": phase,
                    "margin_revenue": round(r["arpa"] * r["gross_margin"], 2),
                    "churn": round(r["monthly_churn"], 5),
                    "cac": round(r["cac"], 2),
                }
            )
    data = pd.DataFrame(rows)
    factor = alt.param(
        name="churn_change",
        value=1.0,
        bind=alt.binding_range(min=0.5, max=2.0, step=0.05, name="Churn × (1 = as measured): "),
    )
    colours = {p: charts.PHASE_COLOURS[p] for p in COMPARED}
    bars = (
        alt.Chart(data)
        .transform_calculate(ltv="datum.margin_revenue / (datum.churn * churn_change)")
        .transform_calculate(ltv_to_cac="datum.ltv / datum.cac")
        .mark_bar()
        .encode(
            y=alt.Y("channel:N", title=None),
            yOffset=alt.YOffset("phase:N", sort=list(COMPARED)),
            x=alt.X("ltv_to_cac:Q", title="LTV ÷ CAC", scale=alt.Scale(domain=[0, 20], clamp=True)),
            color=alt.Color(
                "phase:N",
                title="Programme phase",
                sort=list(COMPARED),
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
            ),
            tooltip=[
                "channel:N",
                "phase:N",
                alt.Tooltip("ltv:Q", title="LTV ($)", format=",.0f"),
                alt.Tooltip("cac:Q", title="CAC ($)", format=",.0f"),
                alt.Tooltip("ltv_to_cac:Q", title="LTV:CAC", format=".2f"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"rule": [economics.LTV_TO_CAC_RULE]}))
        .mark_rule(strokeDash=[4, 4], color="black")
        .encode(x="rule:Q")
    )
    chart = (
        alt.layer(bars, rule)
        .add_params(factor)
        .properties(
            width="container", height=300, title="LTV:CAC by channel (CAC includes people cost by share of leads)"
        )
    )
    return charts.show(
        chart,
        "Bar chart of lifetime value divided by acquisition cost for Brightline's "
        "five channels, before and after the alignment programme, with a dashed line "
        f"at the rule of thumb of {economics.LTV_TO_CAC_RULE:g}; the slider multiplies "
        "every channel's monthly churn, from half to double, and the bars change with it.",
    )


# --- exercises -------------------------------------------------------------------------------


def check_blended_cac(value) -> Feedback:
    """Analyst extension 5.A: blended CAC after the programme (all campaign spend + people cost ÷ new customers)."""
    start, end = windows()["after"]
    costs = economics.acquisition_costs(load_company(), start, end)
    return check_number(
        value,
        costs["blended_cac"],
        what="blended CAC after the programme",
        unit="USD",
        tolerance=0.01,
        hint=f"Add all campaign spend from {start} to {end} and {costs['months']} months of every "
        "person's monthly_cost_usd; divide by the customers whose start_date is in those months.",
    )


def check_cheap_lead(cheapest_paid_lead, best_paid_ratio) -> Feedback:
    """Analyst extension 5.B: after the programme, the paid channel with the cheapest lead and the paid
    channel with the best LTV:CAC."""
    t = channel_table("after")
    paid = t[t["paid"]]
    cheap, best = str(paid["cost_per_lead"].idxmin()), str(paid["ltv_to_cac"].idxmax())
    options = sorted(t.index)
    cheap_check = check_choice(
        cheapest_paid_lead,
        cheap,
        what="the paid channel with the cheapest lead",
        options=options,
        why={
            cheap: "Its media spend divided by its leads is the lowest of the paid channels.",
            **{c: "That channel is not paid: look only at rows where paid is True." for c in t.index[~t["paid"]]},
        },
    )
    best_check = check_choice(
        best_paid_ratio,
        best,
        what="the paid channel with the best LTV:CAC",
        options=options,
        why={
            best: "Its leads cost the most, yet so many become customers that its CAC is the lowest "
            "of the paid channels.",
            cheap: "Cheap leads, but few become customers and they churn faster.",
            **{c: "That channel is not paid: look only at rows where paid is True." for c in t.index[~t["paid"]]},
        },
    )
    return combine("Cheapest lead, best customer", [cheap_check, best_check])


def quiz() -> list[dict]:
    """Situations a marketer or a seller meets; the wrong answers are the beliefs people really hold.
    Question 3 brings back lesson 4's MQL bar."""
    d = load_company()
    w = windows()
    before = economics.acquisition_costs(d, *w["before"])
    after = economics.acquisition_costs(d, *w["after"])
    t = channel_table("after")
    paid = t[t["paid"]]
    cheap = str(paid["cost_per_lead"].idxmin())
    happy = satisfaction.satisfaction_by_channel(d)
    low = str(happy["nps"].idxmin())
    return [
        _mc(
            f"Your head of marketing wants to double the {cheap} budget next quarter: its leads are the cheapest "
            f"of the paid channels (${paid.loc[cheap, 'cost_per_lead']:,.0f} each). What do you look at before "
            "agreeing?",
            [
                (
                    "What one of its customers costs (CAC) and is worth (LTV), and how long they stay",
                    True,
                    f"Right: its customers cost ${paid.loc[cheap, 'cac']:,.0f} each and LTV:CAC is "
                    f"{paid.loc[cheap, 'ltv_to_cac']:.2f}. Cheap leads that rarely buy make dear customers.",
                ),
                (
                    "Nothing more: more leads for the same money is always better",
                    False,
                    "More leads is not more customers: sellers' time goes into leads that rarely buy.",
                ),
                (
                    "Cost per MQL: if it is low too, the channel is good",
                    False,
                    "Closer, but an MQL is still not a customer; look at the end of the funnel.",
                ),
            ],
        ),
        _mc(
            'A seller says: "CAC is marketing\'s number; my salary has nothing to do with it." What is true?',
            [
                (
                    "Blended CAC counts the people of both teams; every deal a seller closes "
                    "from the same cost lowers it",
                    True,
                    f"Right: people were {before['people_cost'] / (before['people_cost'] + before['media_spend']):.0%} "
                    "of Brightline's sales and marketing cost before the programme.",
                ),
                (
                    "CAC is media spend only; salaries are overhead",
                    False,
                    "That is paid (media) CAC, one of two versions; blended CAC includes people (Skok).",
                ),
                (
                    "Only the SDRs' salaries count, not the account executives'",
                    False,
                    "All of sales and marketing counts in blended CAC.",
                ),
            ],
        ),
        _mc(
            f"In lesson 4 marketing raised the MQL bar and sent fewer MQLs. Brightline's blended CAC then fell from "
            f"${before['blended_cac']:,.0f} to ${after['blended_cac']:,.0f}. Why did fewer MQLs make customers "
            "cheaper?",
            [
                (
                    "Sellers worked fewer, better leads faster, so about the same spend bought more customers",
                    True,
                    f"Right: {before['new_customers'] / before['months']:.0f} new customers a month before, "
                    f"{after['new_customers'] / after['months']:.0f} after, for about the same spend.",
                ),
                (
                    "Fewer MQLs cost less to buy, so spend fell by half",
                    False,
                    "The campaigns still brought every inquiry; spend fell only a little. The denominator moved.",
                ),
                (
                    "Customers paid more after the programme",
                    False,
                    "CAC is spend ÷ new customers; it does not depend on what they pay.",
                ),
            ],
        ),
        _mc(
            "Customer success says churn would fall from 2% to 1% a month if sellers stopped promising features "
            "the product lacks. What does that do to LTV?",
            [
                ("It doubles", True, "Right: LTV = ARPA × margin ÷ churn, so halving churn doubles it (Skok)."),
                ("It rises by about 1%", False, "Churn is in the denominator: halve it and LTV doubles."),
                (
                    "Nothing for sales: churn is customer success's problem",
                    False,
                    "Churn is half of the LTV formula, and what a seller promises is part of it.",
                ),
            ],
        ),
        _mc(
            f"Customers who came from {low} have the lowest NPS ({happy.loc[low, 'nps']:+.0f}). What can you conclude?",
            [
                (
                    "Where to look: ask those customers what they expected, and check the "
                    "campaign's promise and the pitch",
                    True,
                    "Right: the data shows a difference, not its cause; the channel brings a kind of customer.",
                ),
                (
                    f"{low} makes customers unhappy: stop it now",
                    False,
                    "A correlation is not a cause; and the channel may feed the rest of the funnel.",
                ),
                (
                    "Nothing: NPS is a marketing vanity number",
                    False,
                    "Chan names satisfaction among the metrics both teams share (C4, paragraph "
                    "14); it moves with churn.",
                ),
            ],
        ),
    ]


# --- tables as people read them (the lesson's visible cells) -------------------------------------


def growth_table(growth: pd.DataFrame) -> present.Table:
    """:func:`alignkit.metrics.economics.new_mrr` by quarter: new customers, new MRR and its change."""
    return present.table(
        growth,
        index="Quarter",
        formats={"new_mrr": "money", "growth": present.delta},
        labels={"new_customers": "New customers", "new_mrr": "New MRR", "growth": "Change from the quarter before"},
    )


ECONOMICS_ROWS = {  # unit_economics key → (label, how to show it)
    "months": ("Months", "number"),
    "media_spend": ("Campaign spend", "money"),
    "people_cost": ("People cost, both teams", "money"),
    "new_customers": ("New customers", "number"),
    "blended_cac": ("Blended CAC", "money"),
    "paid_media_spend": ("Paid-channel spend", "money"),
    "paid_customers": ("Customers from paid channels", "number"),
    "paid_cac": ("Paid CAC", "money"),
    "arpa": ("Monthly revenue per new customer (ARPA)", "money"),
    "gross_margin": ("Gross margin", "percent"),
    "monthly_churn": ("Monthly churn", "percent"),
    "ltv": ("Lifetime value (LTV)", "money"),
    "ltv_to_cac": ("LTV to CAC", "ratio"),
    "payback_months": ("Payback (months)", "months"),
}


def economics_table(costs: pd.DataFrame, rows) -> present.Table:
    """Some rows of a before/after frame of :func:`alignkit.metrics.economics.unit_economics`, written out."""
    fmt: dict[str, Callable[[float], str]] = {
        "number": present.number,
        "money": present.money,
        "percent": present.percent,
        "ratio": lambda v: present.number(v, 1),
        "months": lambda v: present.number(v, 0),
    }
    frame = pd.DataFrame(
        [
            {"measure": ECONOMICS_ROWS[r][0], **{c: fmt[ECONOMICS_ROWS[r][1]](costs.loc[r, c]) for c in costs.columns}}
            for r in rows
        ]
    )
    return present.table(frame, labels={"measure": "", **{c: c.capitalize() for c in costs.columns}})


CHANNEL_FORMATS: dict[str, str | Callable[[float], str]] = {
    "cost_per_lead": "money",
    "media_cac": "money",
    "cac": "money",
    "arpa": "money",
    "monthly_churn": "percent",
    "ltv": "money",
    "ltv_to_cac": lambda v: present.number(v, 2),
    "payback_months": "number",
    "paid": lambda v: "yes" if v else "no",
}
CHANNEL_LABELS = {
    "paid": "Paid",
    "leads": "Leads",
    "cost_per_lead": "Cost per lead",
    "new_customers": "New customers",
    "media_cac": "Media CAC",
    "cac": "CAC with people cost",
    "arpa": "ARPA",
    "monthly_churn": "Monthly churn",
    "ltv": "LTV",
    "ltv_to_cac": "LTV to CAC",
    "payback_months": "Payback (months)",
}


def channel_view(table: pd.DataFrame, columns) -> present.Table:
    """Columns of :func:`channel_table` as people read them."""
    return present.table(
        table,
        index="Channel",
        columns=list(columns),
        formats={c: f for c, f in CHANNEL_FORMATS.items() if c in columns},
        labels=CHANNEL_LABELS,
    )


def funnel_cost_table(stages: pd.DataFrame) -> present.Table:
    """:func:`alignkit.metrics.economics.cost_along_funnel` as people read it."""
    return present.table(
        stages,
        index="Channel",
        columns=["media_spend", "leads", "cost_per_lead", "cost_per_mql", "cost_per_sql", "cost_per_customer"],
        formats={
            c: "money" for c in ("media_spend", "cost_per_lead", "cost_per_mql", "cost_per_sql", "cost_per_customer")
        },
        labels={
            "media_spend": "Campaign spend",
            "leads": "Leads",
            "cost_per_lead": "Per lead",
            "cost_per_mql": "Per MQL",
            "cost_per_sql": "Per SQL",
            "cost_per_customer": "Per customer",
        },
    )


def satisfaction_table(happy: pd.DataFrame) -> present.Table:
    """:func:`alignkit.metrics.satisfaction.satisfaction_by_channel` as people read it."""
    return present.table(
        happy,
        index="Channel",
        columns=["customers", "monthly_churn", "csat_answers", "csat", "nps_answers", "nps"],
        formats={
            "monthly_churn": "percent",
            "csat": "percent",
            "nps": lambda v: present.number(v, 0) if v < 0 else "+" + present.number(v, 0),
        },
        labels={
            "customers": "Customers",
            "monthly_churn": "Monthly churn",
            "csat_answers": "CSAT answers",
            "csat": "CSAT",
            "nps_answers": "NPS answers",
            "nps": "NPS",
        },
    )


def exercises(slug: str = "brightline") -> list[Exercise]:
    """Lesson 5's decision exercises; every expected answer is computed from the data."""
    t = channel_table("after", slug)
    paid = t[t["paid"]]
    best, cheap = str(paid["ltv_to_cac"].idxmax()), str(paid["cost_per_lead"].idxmin())
    ask = "What one of its customers costs and is worth (CAC and LTV:CAC)"
    return [
        Exercise(
            "5.1",
            "choice",
            "Next quarter marketing gets more money for paid media. On the channel table after "
            "the programme (Step 4), which paid channel should get it?",
            what="the paid channel to fund",
            options=tuple(sorted(paid.index)),
            expected=best,
            minutes=3,
            why=tuple(
                (
                    c,
                    f"Cost per lead {present.money(paid.loc[c, 'cost_per_lead'])}, LTV:CAC "
                    f"{paid.loc[c, 'ltv_to_cac']:.1f}" + (": the best of the paid channels." if c == best else "."),
                )
                for c in sorted(paid.index)
            ),
            hint="Judge by LTV:CAC, not by cost per lead.",
        ),
        Exercise(
            "5.2",
            "choice",
            f"A marketer reports that {cheap} brought the cheapest leads of the paid channels. "
            "Which number do you ask for next?",
            what="the next number to ask for",
            minutes=2,
            options=(ask, "How many more leads it could bring next quarter", "Its click-through rate"),
            expected=ask,
            why=(
                (
                    ask,
                    f"Its customers cost {present.money(paid.loc[cheap, 'cac'])} each and LTV:CAC is "
                    f"{paid.loc[cheap, 'ltv_to_cac']:.2f}: cheap leads, dear customers.",
                ),
                ("How many more leads it could bring next quarter", "More leads is not more customers."),
                ("Its click-through rate", "That is even further from revenue than cost per lead."),
            ),
            hint="Follow the channel to the end of the funnel.",
        ),
        Exercise(
            "5.3",
            "text",
            "Your channel report shows leads and cost per lead. Name the two numbers you add next quarter, and why.",
            what="two numbers for the channel report",
            min_words=12,
            minutes=4,
            ideas=(
                Idea("what a customer costs", ("cac", "customer", "cost")),
                Idea("what a customer is worth or how long they stay", ("ltv", "churn", "nps", "stay", "lifetime")),
            ),
            hint="One number for what a customer costs, one for what a customer brings.",
        ),
    ]


# make bench: one move of a what-if slider recomputes the calculator
BENCH = {"what-if calculator update": lambda: what_if_html(20000, 300, 0.04, 150, 0.8, 0.021)}
