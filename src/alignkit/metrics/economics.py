"""Unit economics both teams own: CAC, LTV, LTV:CAC and payback.

Formulas from David Skok, "SaaS Metrics 2.0" (forEntrepreneurs; FACTS.md). Each function takes plain
numbers and returns a float; NaN means "cannot be computed from these inputs" (for example no new
customers, so no cost per customer), never a silent zero.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from .funnel import conversion_rate

LTV_TO_CAC_RULE = 3.0  # rule of thumb: LTV at least 3 x CAC (Skok)
PAYBACK_RULE_MONTHS = 12.0  # rule of thumb: CAC paid back within 12 months (Skok)


def cac(spend: float, new_customers: float) -> float:
    """Customer acquisition cost = sales and marketing spend ÷ new customers in the same period.

    Blended CAC uses all spend and all new customers; paid CAC uses paid-channel spend and the
    customers those channels brought (Skok). NaN when there are no new customers.
    """
    if spend < 0:
        raise ValueError(f"spend must not be negative (got {spend}).")
    return conversion_rate(spend, new_customers)


def ltv(arpa_monthly: float, gross_margin: float, monthly_churn: float) -> float:
    """Customer lifetime value = monthly revenue per account × gross margin ÷ monthly churn rate (Skok).

    NaN when churn is zero: with no customer ever leaving the data cannot estimate a lifetime.
    """
    if not 0 <= gross_margin <= 1:
        raise ValueError(f"gross margin is a fraction from 0 to 1 (got {gross_margin}).")
    if monthly_churn < 0:
        raise ValueError(f"churn must not be negative (got {monthly_churn}).")
    return conversion_rate(arpa_monthly * gross_margin, monthly_churn)


def ltv_to_cac(ltv_value: float, cac_value: float) -> float:
    """LTV ÷ CAC; a healthy business is at 3 or more (Skok's rule of thumb). NaN when CAC is 0 or unknown."""
    if isinstance(cac_value, float) and math.isnan(cac_value):
        return math.nan
    return conversion_rate(ltv_value, cac_value)


def payback_months(cac_value: float, arpa_monthly: float, gross_margin: float) -> float:
    """Months to earn back CAC = CAC ÷ (monthly revenue per account × gross margin) (Skok)."""
    return conversion_rate(cac_value, arpa_monthly * gross_margin)


def monthly_churn_rate(start_dates: pd.Series, churn_dates: pd.Series, as_of: str | pd.Timestamp) -> float:
    """Customers lost per customer-month: churned customers ÷ months all customers were active.

    A customer who started on 1 March and is still active on 1 June counts three customer-months.
    NaN when no customer has been active for any time.
    """
    as_of = pd.Timestamp(as_of)
    end = churn_dates.fillna(as_of).clip(upper=as_of)
    months = ((end - start_dates).dt.days.clip(lower=0) / 30.44).sum()
    churned = int((churn_dates.notna() & (churn_dates <= as_of)).sum())
    return conversion_rate(churned, months)


# --- Revenue growth and channel economics (lesson 5) ---------------------------------------------

PAID_CHANNEL_NOTE = "paid channels are those whose campaigns have is_paid = True"


def _month(value: str | pd.Period | pd.Timestamp) -> pd.Period:
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}", value.strip()):
        raise ValueError(f"a month is written 'YYYY-MM' (got {value!r}).")
    try:
        return pd.Period(value, "M")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"a month is written 'YYYY-MM' (got {value!r}).") from exc


def _window(start_month, end_month) -> tuple[pd.Period, pd.Period, int]:
    start, end = _month(start_month), _month(end_month)
    if end < start:
        raise ValueError(f"end_month {end} is before start_month {start}.")
    return start, end, (end - start).n + 1


def new_mrr(customers: pd.DataFrame, freq: str = "Q") -> pd.DataFrame:
    """Revenue growth from new customers: per month (``freq='M'``) or quarter (``'Q'``), the new
    customers, the new monthly recurring revenue (MRR) they brought, and ``growth``, the change of
    new MRR from the period before (new MRR ÷ new MRR before − 1; NaN for the first period or
    after a period with none). Periods with no new customer show 0 customers and 0 MRR.
    """
    if freq not in ("M", "Q"):
        raise ValueError(f"freq must be 'M' (month) or 'Q' (quarter), got {freq!r}.")
    for col in ("start_date", "mrr_usd"):
        if col not in customers.columns:
            raise ValueError(f"the customer table needs a '{col}' column.")
    columns = ["new_customers", "new_mrr", "growth"]
    if customers.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="period"))
    period = customers["start_date"].dt.to_period(freq)
    grouped = customers.groupby(period)["mrr_usd"].agg(["size", "sum"])
    full = pd.period_range(period.min(), period.max(), freq=freq)
    grouped = grouped.reindex(full, fill_value=0)
    out = pd.DataFrame({"new_customers": grouped["size"].astype(int), "new_mrr": grouped["sum"].astype(float)})
    previous = out["new_mrr"].shift(1)
    out["growth"] = [
        conversion_rate(now, before) - 1 if before == before else math.nan
        for now, before in zip(out["new_mrr"], previous, strict=True)
    ]
    out.index = out.index.astype(str)
    out.index.name = "period"
    return out


def customers_with_source(customers: pd.DataFrame, opportunities: pd.DataFrame, leads: pd.DataFrame) -> pd.DataFrame:
    """Customers with the channel (and segment) of the lead they came from:
    customers → opportunities (opportunity_id) → leads (lead_id)."""
    deals = opportunities[["opportunity_id", "lead_id"]]
    source = leads[["lead_id", "channel", "segment"]]
    return customers.merge(deals, on="opportunity_id", how="left").merge(source, on="lead_id", how="left")


def phase_windows(profile) -> dict[str, tuple[str, str]]:
    """First and last month of each programme phase, as 'YYYY-MM' (before, first quarter, after)."""
    first = pd.Period(profile.first_month, "M")
    last = first + profile.months - 1
    if profile.programme_start is None:
        return {"before": (str(first), str(last))}
    start = pd.Period(profile.programme_start, "M")
    dip_end = start + profile.dip_months - 1
    return {
        "before": (str(first), str(start - 1)),
        "first quarter": (str(start), str(dip_end)),
        "after": (str(dip_end + 1), str(last)),
    }


def comparison_windows(profile) -> dict[str, tuple[str, str]]:
    """Two windows of equal length for money figures (CAC, LTV:CAC, payback), as 'YYYY-MM':
    ``after`` = every month after the programme's first quarter; ``before`` = as many months,
    ending the month before the programme; ``first quarter`` = the programme's first quarter.

    Equal lengths make the two comparable, and the before window leaves out the first months of
    the data: the data starts with an empty pipeline, so its first months win few customers for a
    reason that has nothing to do with how the teams worked. With no programme, one window: all months.
    """
    phases = phase_windows(profile)
    if "after" not in phases:
        return phases
    after_start, after_end = (pd.Period(m, "M") for m in phases["after"])
    n = (after_end - after_start).n + 1
    first, before_end = (pd.Period(m, "M") for m in phases["before"])
    before_start = max(first, before_end - n + 1)
    return {
        "before": (str(before_start), str(before_end)),
        "first quarter": phases["first quarter"],
        "after": phases["after"],
    }


def acquisition_costs(data, start_month, end_month) -> dict[str, float]:
    """Blended and paid CAC over a window of whole months (Skok; FACTS.md).

    * blended CAC = (all campaign spend + people cost of both teams) ÷ all new customers;
    * paid CAC = paid-channel campaign spend ÷ new customers from paid channels (media only).

    A new customer is one whose ``start_date`` falls in the window; the customer's channel is the
    channel of the lead behind the deal. ``data`` is a :class:`alignkit.casedata.dataset.CompanyData`.
    """
    start, end, months = _window(start_month, end_month)
    camp_month = data.campaigns["month"].dt.to_period("M")
    spend = data.campaigns[(camp_month >= start) & (camp_month <= end)]
    paid_channels = set(data.campaigns.loc[data.campaigns["is_paid"], "channel"])
    won = customers_with_source(data.customers, data.opportunities, data.leads)
    won_month = won["start_date"].dt.to_period("M")
    won = won[(won_month >= start) & (won_month <= end)]
    people = float(data.people["monthly_cost_usd"].sum()) * months
    media = float(spend["spend_usd"].sum())
    paid_media = float(spend.loc[spend["is_paid"], "spend_usd"].sum())
    paid_customers = int(won["channel"].isin(paid_channels).sum())
    return {
        "months": months,
        "media_spend": media,
        "people_cost": people,
        "new_customers": len(won),
        "blended_cac": cac(media + people, len(won)),
        "paid_media_spend": paid_media,
        "paid_customers": paid_customers,
        "paid_cac": cac(paid_media, paid_customers),
    }


def channel_economics(data, start_month, end_month, people_cost: str = "by leads") -> pd.DataFrame:
    """Unit economics per channel over a window of whole months, one row per channel.

    Columns: ``leads`` (inquiries in the window), ``media_spend`` (campaign spend in the window),
    ``cost_per_lead`` = media spend ÷ leads; ``new_customers`` (start_date in the window);
    ``people_cost`` (see below); ``cac`` = (media spend + people cost) ÷ new customers and
    ``media_cac`` = media spend ÷ new customers; ``arpa`` (mean MRR of the new customers) and
    ``gross_margin`` (their mean margin); ``monthly_churn``; ``ltv`` = ARPA × margin ÷ churn;
    ``ltv_to_cac`` = LTV ÷ CAC and ``payback_months`` = CAC ÷ (ARPA × margin) (Skok; FACTS.md).

    Two choices, stated because they change the answer:

    * ``people_cost='by leads'`` spreads the people cost of both teams over the channels in
      proportion to their share of the window's leads (each lead takes about the same work to
      score and call); ``'none'`` leaves people cost out, so ``cac`` equals ``media_cac``.
    * Churn needs time to show, and customers won in a short window are young, so
      ``monthly_churn`` is measured on all of the channel's customers up to the end of the data
      (:func:`monthly_churn_rate`).

    Ratios are NaN where their denominator is zero (a channel with no new customer has no CAC).
    """
    if people_cost not in ("by leads", "none"):
        raise ValueError(f"people_cost must be 'by leads' or 'none' (got {people_cost!r}).")
    start, end, months = _window(start_month, end_month)
    leads = data.leads[
        (data.leads["inquiry_at"].dt.to_period("M") >= start) & (data.leads["inquiry_at"].dt.to_period("M") <= end)
    ]
    camp_month = data.campaigns["month"].dt.to_period("M")
    spend = data.campaigns[(camp_month >= start) & (camp_month <= end)]
    won_all = customers_with_source(data.customers, data.opportunities, data.leads)
    won_month = won_all["start_date"].dt.to_period("M")
    won = won_all[(won_month >= start) & (won_month <= end)]
    people_total = float(data.people["monthly_cost_usd"].sum()) * months if people_cost == "by leads" else 0.0
    channels = sorted(set(data.leads["channel"]) | set(data.campaigns["channel"]))
    paid = data.campaigns.groupby("channel")["is_paid"].first()
    rows = []
    for ch in channels:
        n_leads = int((leads["channel"] == ch).sum())
        media = float(spend.loc[spend["channel"] == ch, "spend_usd"].sum())
        people = people_total * conversion_rate(n_leads, len(leads)) if people_total else 0.0
        mine = won[won["channel"] == ch]
        history = won_all[won_all["channel"] == ch]
        arpa = float(mine["mrr_usd"].mean()) if len(mine) else math.nan
        margin = float(mine["gross_margin"].mean()) if len(mine) else math.nan
        churn = monthly_churn_rate(history["start_date"], history["churned_on"], data.data_end)
        full_cac = cac(media + (0.0 if math.isnan(people) else people), len(mine))
        lifetime = math.nan if math.isnan(arpa) or math.isnan(churn) else ltv(arpa, margin, churn)
        rows.append(
            {
                "channel": ch,
                "paid": bool(paid.get(ch, False)),
                "leads": n_leads,
                "media_spend": media,
                "cost_per_lead": conversion_rate(media, n_leads),
                "new_customers": len(mine),
                "people_cost": people,
                "cac": full_cac,
                "media_cac": cac(media, len(mine)),
                "arpa": arpa,
                "gross_margin": margin,
                "monthly_churn": churn,
                "ltv": lifetime,
                "ltv_to_cac": ltv_to_cac(lifetime, full_cac),
                "payback_months": math.nan if math.isnan(arpa) else payback_months(full_cac, arpa, margin),
            }
        )
    return pd.DataFrame(rows).set_index("channel")


def what_if(
    monthly_spend: float,
    leads_per_month: float,
    lead_to_customer: float,
    arpa_monthly: float,
    gross_margin: float,
    monthly_churn: float,
) -> dict[str, float]:
    """The what-if calculator: from spend, leads, conversion, deal size (monthly revenue per
    account), margin and churn to cost per lead, customers, CAC, LTV, LTV:CAC and payback.

    customers = leads × lead→customer rate; CAC = spend ÷ customers; LTV = ARPA × margin ÷ churn;
    payback = CAC ÷ (ARPA × margin) (Skok; FACTS.md). NaN where a denominator is zero.
    """
    for name, value in (
        ("monthly_spend", monthly_spend),
        ("leads_per_month", leads_per_month),
        ("arpa_monthly", arpa_monthly),
    ):
        if value is None or value < 0:
            raise ValueError(f"{name} must be 0 or more (got {value!r}).")
    if lead_to_customer is None or not 0 <= lead_to_customer <= 1:
        raise ValueError(f"lead_to_customer is a fraction from 0 to 1 (got {lead_to_customer!r}).")
    customers = leads_per_month * lead_to_customer
    c = cac(monthly_spend, customers)
    lifetime = ltv(arpa_monthly, gross_margin, monthly_churn)
    return {
        "cost_per_lead": conversion_rate(monthly_spend, leads_per_month),
        "customers_per_month": customers,
        "cac": c,
        "ltv": lifetime,
        "ltv_to_cac": ltv_to_cac(lifetime, c),
        "payback_months": payback_months(c, arpa_monthly, gross_margin),
    }


def unit_economics(data, start_month, end_month) -> dict[str, float]:
    """Blended unit economics of the whole business over a window of whole months:
    blended CAC (:func:`acquisition_costs`), ARPA and gross margin of the customers won in the
    window, monthly churn of all customers to the end of the data, LTV, LTV:CAC and payback (Skok)."""
    costs = acquisition_costs(data, start_month, end_month)
    start, end, _ = _window(start_month, end_month)
    month = data.customers["start_date"].dt.to_period("M")
    new = data.customers[(month >= start) & (month <= end)]
    arpa = float(new["mrr_usd"].mean()) if len(new) else math.nan
    margin = float(new["gross_margin"].mean()) if len(new) else math.nan
    churn = monthly_churn_rate(data.customers["start_date"], data.customers["churned_on"], data.data_end)
    lifetime = math.nan if math.isnan(arpa) or math.isnan(churn) else ltv(arpa, margin, churn)
    return {
        **costs,
        "arpa": arpa,
        "gross_margin": margin,
        "monthly_churn": churn,
        "ltv": lifetime,
        "ltv_to_cac": ltv_to_cac(lifetime, costs["blended_cac"]),
        "payback_months": math.nan if math.isnan(arpa) else payback_months(costs["blended_cac"], arpa, margin),
    }


def cost_along_funnel(data, start_month, end_month) -> pd.DataFrame:
    """Acquisition cost along the funnel (the customer acquisition framework, C5), one row per
    channel plus ``all channels``: media spend in the window and what it paid per stage reached.

    Each stage is counted when it happened inside the window (an MQL by ``mql_at``, an SQL by
    ``sql_at``, a customer by ``start_date``), the same clock as CAC, so ``cost_per_customer``
    equals the ``media_cac`` of :func:`channel_economics`. cost per lead = media spend ÷ inquiries;
    per MQL = media spend ÷ MQLs; per SQL = media spend ÷ SQLs; per customer = media spend ÷ new
    customers. People cost is left out (it has no single right split between channels; see
    :func:`channel_economics`). NaN where a stage has no lead in the window.
    """
    start, end, _ = _window(start_month, end_month)

    def inside(when: pd.Series) -> pd.Series:
        month = when.dt.to_period("M")
        return when.notna() & (month >= start) & (month <= end)

    camp_month = data.campaigns["month"].dt.to_period("M")
    spend = data.campaigns[(camp_month >= start) & (camp_month <= end)].groupby("channel")["spend_usd"].sum()
    leads = data.leads
    won = customers_with_source(data.customers, data.opportunities, data.leads)
    counts = pd.DataFrame(
        {
            "leads": leads[inside(leads["inquiry_at"])].groupby("channel").size(),
            "mqls": leads[inside(leads["mql_at"])].groupby("channel").size(),
            "sqls": leads[inside(leads["sql_at"])].groupby("channel").size(),
            "customers": won[inside(won["start_date"])].groupby("channel").size(),
        }
    )
    channels = sorted(set(counts.index) | set(spend.index))
    out = counts.reindex(channels).fillna(0).astype(int)
    out.insert(0, "media_spend", spend.reindex(channels).fillna(0.0).astype(float))
    out.loc["all channels"] = out.sum()
    out = out.astype({c: int for c in ("leads", "mqls", "sqls", "customers")})
    for stage, column in (("lead", "leads"), ("mql", "mqls"), ("sql", "sqls"), ("customer", "customers")):
        out[f"cost_per_{stage}"] = [conversion_rate(s, n) for s, n in zip(out["media_spend"], out[column], strict=True)]
    out.index.name = "channel"
    return out
