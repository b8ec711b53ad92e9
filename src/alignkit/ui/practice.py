"""The figures and the people of the role-play kits (``book/practice/``), from Brightline's data.

Each kit page glues what :func:`kit_facts` returns, so no number or name on a kit is typed by hand.
People are chosen by role and office from ``data/brightline/people.csv`` (the first listed, in
``person_id`` order); figures come from the package's own functions over the programme's "after"
phase (January to June 2026) unless a kit says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..casedata.caching import cached
from ..casedata.dataset import load_company
from ..metrics.funnel import conversion_rate, response_summary
from ..metrics.misalignment import message_match, win_rate_by_message
from ..metrics.timezones import candidate_slots, slot_burden

GOOD_FIT = "good fit"
MEETING_DATE = "2026-03-02"  # a Monday, before the clocks change in either city
MEETING_LOCAL = "09:00"  # the weekly slot as Toronto set it


def person(people: pd.DataFrame, role: str, office: str | None = None) -> str:
    """The first person (by id) with this role, in this office if one is given."""
    rows = people[(people["role"] == role) & ((people["office"] == office) if office else True)]
    if rows.empty:
        raise ValueError(f"no one with the role '{role}'{' in ' + office if office else ''} in the people table.")
    return str(rows.sort_values("person_id").iloc[0]["name"])


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _hours(x: float) -> str:
    return f"{x:.1f} hours" if x < 10 else f"{x:.0f} hours"


@cached(maxsize=1)
def kit_facts() -> dict[str, str]:
    """Every name and figure the five kits show, as display strings keyed by glue name."""
    data = load_company("brightline")
    p, leads = data.people, data.leads
    after = leads[leads["phase"] == "after"]
    before = leads[leads["phase"] == "before"]
    end = data.data_end
    f: dict[str, str] = {}
    # names
    f["sdr_austin"] = person(p, "sales development rep", "Austin")
    f["ae_austin"] = person(p, "account executive", "Austin")
    f["sdr_warsaw"] = person(p, "sales development rep", "Warsaw")
    f["sdr_singapore"] = person(p, "sales development rep", "Singapore")
    f["head_sales"] = person(p, "head of sales")
    f["head_marketing"] = person(p, "head of marketing")
    f["pmm_toronto"] = person(p, "product marketing", "Toronto")
    f["demand_gen"] = person(p, "demand generation")
    f["content_toronto"] = person(p, "content", "Toronto")

    # 1. first call: the campaign's message and what keeping it is worth
    themes = data.campaigns.set_index("campaign_id")["theme"]
    top_theme = after["campaign_id"].map(themes)[after["mql_at"].notna()].value_counts().idxmax()
    by_message = win_rate_by_message(message_match(leads, data.opportunities, data.campaigns))
    f["fc_theme"] = top_theme
    f["fc_win_matched"] = _pct(by_message.loc["matched", "win_rate"])
    f["fc_win_mismatched"] = _pct(by_message.loc["mismatched", "win_rate"])
    f["fc_deals"] = f"{int(by_message['deals'].sum()):,}"
    resp_after = response_summary(after, data.touches, end)
    resp_before = response_summary(before, data.touches, end)
    f["fc_median_after"] = _hours(resp_after["median_hours"])
    f["fc_median_before"] = _hours(resp_before["median_hours"])
    f["fc_within_1h_after"] = _pct(resp_after["within_1h"])

    # 2. handing a lead back: the agreed reasons and how often each is given
    fb = data.feedback.merge(leads[["lead_id", "phase"]], on="lead_id")
    rejected = fb[(fb["phase"] == "after") & (fb["reason"] != GOOD_FIT)]
    shares = rejected["reason"].value_counts(normalize=True)
    f["hb_reasons"] = ", ".join(f"\u201c{r}\u201d" for r in sorted(data.feedback["reason"].unique()) if r != GOOD_FIT)
    f["hb_top_reason"] = shares.index[0]
    f["hb_top_share"] = _pct(shares.iloc[0])
    f["hb_reason_table"] = "; ".join(f"{r} {_pct(s)}" for r, s in shares.items())
    mql_after = after[after["mql_at"].notna()]
    f["hb_accepted_after"] = _pct(conversion_rate(int(mql_after["sal_at"].notna().sum()), len(mql_after)))
    mql_before = before[before["mql_at"].notna()]
    f["hb_accepted_before"] = _pct(conversion_rate(int(mql_before["sal_at"].notna().sum()), len(mql_before)))
    f["hb_bar"] = f"{int(mql_after['score'].min())}"

    # 3. launch brief: which message wins, and how many MQLs sales should expect
    opps = message_match(after, data.opportunities, data.campaigns)
    closed = opps[opps["outcome"].isin(["won", "lost"])]
    by_theme = (
        closed.groupby("pitch_theme")["outcome"].apply(lambda s: (s == "won").mean()).sort_values(ascending=False)
    )
    f["lb_best_theme"] = by_theme.index[0]
    f["lb_best_win"] = _pct(by_theme.iloc[0])
    f["lb_worst_theme"] = by_theme.index[-1]
    f["lb_worst_win"] = _pct(by_theme.iloc[-1])
    months = mql_after["mql_at"].dt.to_period("M").nunique()
    f["lb_mqls_month"] = f"{len(mql_after) / months:,.0f}"
    won = data.opportunities[
        data.opportunities["lead_id"].isin(after["lead_id"]) & (data.opportunities["outcome"] == "won")
    ]
    f["lb_average_deal"] = f"${won['amount_usd'].mean():,.0f}"

    # 4. the SLA review: the quarter of the programme's dip, from the OKR table
    okrs = data.okrs[data.okrs["quarter"] == "2025Q4"].set_index("metric")
    win = okrs.loc["win_rate"]
    f["sla_quarter"] = "2025Q4"
    f["sla_win_baseline"] = _pct(win["baseline"])
    f["sla_win_target"] = _pct(win["target"])
    f["sla_win_current"] = _pct(win["current"])
    resp = okrs[okrs["unit"] == "hours"].iloc[0]
    f["sla_touch_baseline"] = _hours(resp["baseline"])
    f["sla_touch_target"] = _hours(resp["target"])
    f["sla_touch_current"] = _hours(resp["current"])
    acc = okrs.loc["stage_conversion"]
    f["sla_accept_target"] = _pct(acc["target"])
    f["sla_accept_current"] = _pct(acc["current"])
    leak = okrs[okrs["unit"] == "share of MQLs"]
    leak = leak[leak["key_result"].str.contains("never contacted")].iloc[0]
    f["sla_leak_target"] = _pct(leak["target"])
    f["sla_leak_current"] = _pct(leak["current"])

    # 5. moving a meeting: Toronto's 9:00 seen from Singapore, and a fairer slot
    zones = {"Toronto": "America/Toronto", "Singapore": "Asia/Singapore"}
    day = dt.date.fromisoformat(MEETING_DATE)
    local = dt.datetime.combine(day, dt.time.fromisoformat(MEETING_LOCAL), tzinfo=_zone("America/Toronto"))
    start = local.astimezone(dt.UTC)
    f["tz_now_toronto"] = local.strftime("%H:%M")
    f["tz_now_singapore"] = start.astimezone(_zone("Asia/Singapore")).strftime("%H:%M")
    f["tz_now_verdict"] = slot_burden(zones, start)["Singapore"]
    slots = candidate_slots(zones, day)
    best = slots.sort_values(["out_of_hours", "start_utc"]).iloc[0] if len(slots) else None
    f["tz_workable_slots"] = f"{len(slots)}"
    if best is None:
        raise ValueError("no workable slot for Toronto and Singapore on the kit's date.")
    b = best["start_utc"].to_pydatetime()
    f["tz_best_toronto"] = b.astimezone(_zone("America/Toronto")).strftime("%H:%M")
    f["tz_best_singapore"] = b.astimezone(_zone("Asia/Singapore")).strftime("%H:%M")
    f["tz_best_verdict"] = f"Toronto {best['Toronto']}, Singapore {best['Singapore']}"
    f["tz_date"] = day.strftime("%A %d %B %Y").replace(" 0", " ")
    return f


def _zone(name: str):
    from ..metrics.timezones import zone

    return zone(name)
