"""The seeded, deterministic generator of the course's sample data.

``python -m alignkit.casedata.generate`` (or ``make data``) writes every table of every company in
:data:`alignkit.casedata.companies.COMPANIES` to ``data/<company>/`` and rewrites ``data/README.md``.
The same seed and the same pinned libraries give the same bytes, which a test checks.

The story the data has to tell is in ``COURSE.md``: before the alignment programme a low MQL bar,
slow follow-up, leads never contacted, duplicate leads from overlapping campaigns and pitches that
disagree with the campaign; a dip in the programme's first quarter; better numbers after it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ..metrics.funnel import conversion_rate, response_summary
from ..outputs import write_atomically
from . import schema
from .companies import COMPANIES, CompanyProfile, Phase

# The closed-lost picklist a seller chooses from in the CRM. Nobody records "my pitch was off-message":
# deals pitched on another message than the campaign's simply go quiet or "did not see the value" more
# often, which is how the pattern shows up in a real CRM.
LOSS_REASONS = ("Price", "Competitor", "No decision", "Timing", "Missing feature", "Not a fit")
LOSS_REASON_SHARES = (0.27, 0.22, 0.20, 0.13, 0.10, 0.08)
LOSS_REASON_SHARES_OFF_MESSAGE = (0.16, 0.12, 0.38, 0.08, 0.08, 0.18)
REJECT_REASONS = (
    "not a decision maker",
    "no budget",
    "student or job seeker",
    "wrong segment",
    "no real need",
)
FIRST_NAMES = (
    "Ana",
    "Ben",
    "Chloe",
    "Dara",
    "Emeka",
    "Farah",
    "Goran",
    "Hana",
    "Ines",
    "Jonas",
    "Kai",
    "Lena",
    "Mateus",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomasz",
    "Uma",
    "Victor",
    "Wen",
    "Yusuf",
    "Zofia",
    "Arjun",
    "Beatriz",
    "Chen",
    "Diego",
    "Elif",
)
LAST_NAMES = (
    "Almeida",
    "Brooks",
    "Chua",
    "Dubois",
    "Eze",
    "Fischer",
    "Gomes",
    "Haddad",
    "Ito",
    "Jansen",
    "Kowalski",
    "Lim",
    "Moreau",
    "Nowak",
    "Okafor",
    "Pereira",
    "Quintero",
    "Reyes",
    "Singh",
    "Tan",
    "Usman",
    "Varga",
    "Wong",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Costa",
    "Novak",
    "Ng",
    "Park",
)
MARKETING_ROLES = ("demand generation", "content", "product marketing", "marketing operations")
MONTHLY_COST_USD = {
    "head of marketing": 15000,
    "head of sales": 15500,
    "demand generation": 8200,
    "content": 7400,
    "product marketing": 8800,
    "marketing operations": 7800,
    "sales development rep": 6200,
    "account executive": 9400,
}
TIMESTAMP = "%Y-%m-%d %H:%M"
SPEED_FLOOR = 0.55  # the chance to qualify a lead called very late, relative to one called at once


def _phase_index(profile: CompanyProfile, when: pd.Series) -> np.ndarray:
    """0 before the programme, 1 in its first quarter (the dip), 2 after; all 0 with no programme."""
    if profile.programme_start is None:
        return np.zeros(len(when), dtype=int)
    start = pd.Timestamp(profile.programme_start)
    dip_end = start + pd.DateOffset(months=profile.dip_months)
    return np.where(when < start, 0, np.where(when < dip_end, 1, 2))


def _phase_values(profile: CompanyProfile, idx: np.ndarray, attribute: str) -> np.ndarray:
    phases: tuple[Phase, Phase, Phase] = (profile.before, profile.dip, profile.after)
    values = np.array([getattr(p, attribute) for p in phases], dtype=float)
    return values[idx]


def _hours(rng: np.random.Generator, median: np.ndarray | float, sigma: float, n: int) -> np.ndarray:
    return np.exp(np.log(median) + sigma * rng.standard_normal(n))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _people(profile: CompanyProfile, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    names = rng.permutation(len(FIRST_NAMES))
    surnames = rng.permutation(len(LAST_NAMES))
    k = 0
    for office in profile.offices:
        count = profile.people_per_office.get(office.city, 3)
        for i in range(count):
            if office.team == "marketing":
                role = MARKETING_ROLES[i % len(MARKETING_ROLES)]
                if office is profile.offices[0] and i == 0:
                    role = "head of marketing"
            else:
                role = "sales development rep" if i % 2 == 0 else "account executive"
                if office.region == profile.regions[0][0] and i == 1:
                    role = "head of sales"
            rows.append(
                {
                    "person_id": f"P{k + 1:03d}",
                    "name": f"{FIRST_NAMES[names[k % len(names)]]} {LAST_NAMES[surnames[k % len(surnames)]]}",
                    "team": office.team,
                    "role": role,
                    "office": office.city,
                    "time_zone": office.time_zone,
                    "region": office.region,
                    "monthly_cost_usd": MONTHLY_COST_USD[role],
                }
            )
            k += 1
    return pd.DataFrame(rows)


def _campaigns(profile: CompanyProfile, rng: np.random.Generator, months: pd.PeriodIndex) -> pd.DataFrame:
    rows = []
    for m_i, month in enumerate(months):
        start = month.start_time
        phase = (profile.before, profile.dip, profile.after)[_phase_index(profile, pd.Series([start]))[0]]
        growth = (1 + profile.volume_growth_per_month) ** m_i
        for ch in profile.channels:
            expected = ch.leads_per_month * growth
            n_extra = phase.overlap_campaigns if ch.name in profile.overlapping_channels else 0
            for j in range(1 + n_extra):
                share = 1.0 if j == 0 else 0.25
                spend = ch.cost_per_lead_usd * expected * share * float(np.exp(0.08 * rng.standard_normal()))
                theme = profile.themes[int(rng.integers(len(profile.themes)))]
                rows.append(
                    {
                        "campaign_id": "",
                        "name": f"{ch.name.title()} {month.strftime('%b %Y')}" + ("" if j == 0 else f" (extra {j})"),
                        "channel": ch.name,
                        "is_paid": ch.paid,
                        "theme": theme,
                        "month": str(month),
                        "spend_usd": round(spend, 2),
                        "overlaps_main_campaign": j > 0,
                    }
                )
    out = pd.DataFrame(rows)
    out["campaign_id"] = [f"C{i + 1:04d}" for i in range(len(out))]
    return out


def generate(profile: CompanyProfile) -> dict[str, pd.DataFrame]:
    """Build every table of one company from its profile and seed. Pure: no files touched."""
    rng = np.random.default_rng(profile.seed)
    months = pd.period_range(profile.first_month, periods=profile.months, freq="M")
    data_end = months[-1].end_time.floor("D") + pd.Timedelta(days=1)

    people = _people(profile, rng)
    campaigns = _campaigns(profile, rng, months)

    # --- leads: one row per inquiry, from the month's campaigns of each channel -------------
    parts = []
    for m_i, month in enumerate(months):
        growth = (1 + profile.volume_growth_per_month) ** m_i
        for ch in profile.channels:
            n = int(rng.poisson(ch.leads_per_month * growth))
            offsets = rng.uniform(0, month.days_in_month * 24 * 60, n)
            month_campaigns = campaigns[(campaigns.month == str(month)) & (campaigns.channel == ch.name)]
            extra = month_campaigns[month_campaigns.overlaps_main_campaign]
            choice = np.zeros(n, dtype=int)
            if len(extra):
                choice = np.where(rng.random(n) < 0.2 * len(extra), rng.integers(1, len(extra) + 1, n), 0)
            parts.append(
                pd.DataFrame(
                    {
                        "created_at": month.start_time + pd.to_timedelta(np.floor(offsets), unit="min"),
                        "campaign_id": month_campaigns.campaign_id.to_numpy()[choice],
                        "from_overlap": choice > 0,
                        "channel": ch.name,
                        "score": np.clip(np.round(rng.normal(ch.score_mean, ch.score_sd, n)), 0, 100).astype(int),
                    }
                )
            )
    leads = pd.concat(parts, ignore_index=True).sort_values(["created_at", "campaign_id"], kind="stable")
    leads = leads.reset_index(drop=True)
    n = len(leads)
    seg_names = [s.name for s in profile.segments]
    seg_share = np.array([s.share for s in profile.segments])
    leads["segment"] = np.array(seg_names)[rng.choice(len(seg_names), n, p=seg_share / seg_share.sum())]
    reg_names = [r for r, _ in profile.regions]
    reg_share = np.array([s for _, s in profile.regions])
    leads["region"] = np.array(reg_names)[rng.choice(len(reg_names), n, p=reg_share / reg_share.sum())]
    phase = _phase_index(profile, leads.created_at)

    # Duplicates: a contact marketing already had, brought in again by another campaign.
    dup_p = _phase_values(profile, phase, "duplicate_rate")
    dup_p = np.where(leads.from_overlap, np.maximum(dup_p, 0.3), dup_p)
    is_dup = rng.random(n) < dup_p
    is_dup[:50] = False
    contact = np.arange(n)
    back = rng.integers(1, 400, n)
    for i in np.flatnonzero(is_dup):
        j = max(0, int(i) - int(back[i]))
        contact[i] = contact[j]
    is_dup = contact != np.arange(n)
    leads.loc[is_dup, ["segment", "region"]] = leads.loc[contact[is_dup], ["segment", "region"]].to_numpy()
    _, contact_key = np.unique(contact, return_inverse=True)
    leads.insert(0, "lead_id", [f"L{i + 1:06d}" for i in range(n)])
    leads.insert(1, "contact_id", [f"K{k + 1:06d}" for k in contact_key])

    channels = {c.name: c for c in profile.channels}
    quality = leads.channel.map({k: c.quality for k, c in channels.items()}).to_numpy()

    # Marketing's hand-over: a lead is an MQL when its score clears the bar of its phase.
    is_mql = leads.score.to_numpy() >= _phase_values(profile, phase, "mql_threshold")
    mql_at = leads.created_at + pd.to_timedelta(_hours(rng, 2.0, 0.8, n), unit="h")
    # Sales' follow-up: some MQLs are never contacted; the rest after a phase-typical delay.
    contacted = is_mql & (rng.random(n) < _phase_values(profile, phase, "contact_rate"))
    response_h = _hours(rng, _phase_values(profile, phase, "response_median_hours"), 1.1, n)
    response_h = response_h * leads.region.map(profile.region_response_factor).fillna(1.0).to_numpy()
    touch_at = mql_at + pd.to_timedelta(response_h, unit="h")
    contacted &= (touch_at < data_end).to_numpy()
    # Acceptance depends on fit (score); qualification depends on how fast the seller called.
    p_sal = np.minimum(
        0.97, 0.85 * _sigmoid((leads.score.to_numpy() - 45) / 9) * _phase_values(profile, phase, "accept_factor")
    )
    is_sal = contacted & ~is_dup & (rng.random(n) < p_sal)
    sal_at = touch_at + pd.to_timedelta(_hours(rng, 20.0, 0.6, n), unit="h")
    is_sal &= (sal_at < data_end).to_numpy()
    p_sql = np.minimum(
        0.95,
        0.62
        * quality
        * _phase_values(profile, phase, "qualify_factor")
        * (SPEED_FLOOR + (1 - SPEED_FLOOR) * np.exp(-response_h / 10)),
    )
    is_sql = is_sal & (rng.random(n) < p_sql)
    sql_at = sal_at + pd.to_timedelta(_hours(rng, 96.0, 0.5, n), unit="h")
    is_sql &= (sql_at < data_end).to_numpy()
    is_opp = is_sql & (rng.random(n) < 0.8)
    opp_at = (sql_at + pd.to_timedelta(_hours(rng, 72.0, 0.5, n), unit="h")).dt.floor("min")
    is_opp &= (opp_at < data_end).to_numpy()

    # Deals: the pitch sometimes disagrees with the campaign's message, and those win less.
    opp_phase = _phase_index(profile, opp_at)
    mismatch = rng.random(n) < _phase_values(profile, opp_phase, "mismatch_rate")
    theme_of = campaigns.set_index("campaign_id").theme
    campaign_theme = leads.campaign_id.map(theme_of).to_numpy()
    other = rng.integers(1, len(profile.themes), n)
    theme_idx = np.array([profile.themes.index(t) for t in campaign_theme])
    pitch_theme = np.where(
        mismatch, np.array(profile.themes)[(theme_idx + other) % len(profile.themes)], campaign_theme
    )
    seg = {s.name: s for s in profile.segments}
    seg_win = leads.segment.map({"solo": 1.05, "multi-location": 0.85}).fillna(1.0).to_numpy()
    p_win = np.minimum(
        0.9,
        profile.win_rate_base
        * quality
        * seg_win
        * _phase_values(profile, opp_phase, "win_factor")
        * np.where(mismatch, 0.55, 1.0),
    )
    won = rng.random(n) < p_win
    cycle = leads.segment.map({k: s.cycle_days for k, s in seg.items()}).to_numpy()
    closed_at = (opp_at + pd.to_timedelta(_hours(rng, cycle * 24, 0.5, n), unit="h")).dt.floor("min")
    is_closed = is_opp & (closed_at < data_end).to_numpy()
    is_won = is_closed & won
    mrr = (
        leads.segment.map({k: s.mrr_usd for k, s in seg.items()}).to_numpy()
        * leads.channel.map({k: c.mrr_factor for k, c in channels.items()}).to_numpy()
        * np.exp(0.25 * rng.standard_normal(n))
    )
    amount = np.round(mrr * 12, 0)

    def stamp(mask: np.ndarray, ts: pd.Series) -> pd.Series:
        return ts.dt.strftime(TIMESTAMP).where(mask, "")

    sdrs = people[people.role == "sales development rep"].groupby("region").person_id.apply(list)
    aes = people[people.role.isin(["account executive", "head of sales"])].groupby("region").person_id.apply(list)
    pick = rng.random(n)
    sdr = [sdrs[r][int(p * len(sdrs[r]))] for r, p in zip(leads.region, pick, strict=True)]
    ae = [aes[r][int(p * len(aes[r]))] for r, p in zip(leads.region, pick, strict=True)]

    lead_table = pd.DataFrame(
        {
            "lead_id": leads.lead_id,
            "contact_id": leads.contact_id,
            "campaign_id": leads.campaign_id,
            "channel": leads.channel,
            "segment": leads.segment,
            "region": leads.region,
            "score": leads.score,
            "inquiry_at": leads.created_at.dt.strftime(TIMESTAMP),
            "mql_at": stamp(is_mql, mql_at),
            "sal_at": stamp(is_sal, sal_at),
            "sql_at": stamp(is_sql, sql_at),
            "opportunity_at": stamp(is_opp, opp_at),
            "won_at": stamp(is_won, closed_at),
        }
    )

    touches = pd.DataFrame(
        {
            "lead_id": leads.lead_id[contacted],
            "rep_id": np.array(sdr)[contacted],
            "first_touch_at": touch_at[contacted].dt.strftime(TIMESTAMP),
            "method": np.where(rng.random(n) < 0.7, "call", "email")[contacted],
        }
    )

    opp_idx = np.flatnonzero(is_opp)
    pick_reason = rng.random(n)
    lost_reason = np.array(LOSS_REASONS)[
        np.where(
            mismatch,
            np.searchsorted(np.cumsum(LOSS_REASON_SHARES_OFF_MESSAGE), pick_reason, side="right"),
            np.searchsorted(np.cumsum(LOSS_REASON_SHARES), pick_reason, side="right"),
        ).clip(0, len(LOSS_REASONS) - 1)
    ]
    outcome = np.where(is_won, "won", np.where(is_closed, "lost", "open"))
    opportunities = pd.DataFrame(
        {
            "opportunity_id": [f"O{i + 1:05d}" for i in range(len(opp_idx))],
            "lead_id": leads.lead_id.to_numpy()[opp_idx],
            "rep_id": np.array(ae)[opp_idx],
            "created_at": opp_at.dt.strftime(TIMESTAMP).to_numpy()[opp_idx],
            "amount_usd": amount[opp_idx],
            "pitch_theme": pitch_theme[opp_idx],
            "outcome": outcome[opp_idx],
            "closed_at": stamp(is_closed, closed_at).to_numpy()[opp_idx],
            "loss_reason": np.where(outcome[opp_idx] == "lost", lost_reason[opp_idx], ""),
        }
    )

    # Customers: revenue and margin after the sale, churn, and how satisfied they are.
    won_idx = np.flatnonzero(is_won)
    k = len(won_idx)
    churn = (
        leads.channel.map({c: ch.monthly_churn for c, ch in channels.items()}).to_numpy()[won_idx]
        * np.where(mismatch[won_idx], 1.4, 1.0)
        * leads.segment.map({"solo": 1.3, "multi-location": 0.6}).fillna(1.0).to_numpy()[won_idx]
    )
    months_kept = rng.geometric(np.minimum(churn, 0.99))
    start = closed_at.to_numpy()[won_idx]
    churned = pd.Series(start).dt.floor("D") + pd.to_timedelta(np.round(months_kept * 30.44), unit="D")
    satisfied = quality[won_idx] - np.where(mismatch[won_idx], 0.35, 0.0)
    csat = np.clip(np.round(3.3 + 1.1 * (satisfied - 0.9) + 0.8 * rng.standard_normal(k)), 1, 5)
    nps = np.clip(np.round(7.0 + 2.5 * (satisfied - 0.9) + 1.8 * rng.standard_normal(k)), 0, 10)
    customers = pd.DataFrame(
        {
            "customer_id": [f"A{i + 1:05d}" for i in range(k)],
            "opportunity_id": opportunities.set_index("lead_id")
            .opportunity_id[leads.lead_id.to_numpy()[won_idx]]
            .to_numpy(),
            "start_date": pd.Series(start).dt.strftime("%Y-%m-%d"),
            "mrr_usd": np.round(amount[won_idx] / 12, 2),
            "gross_margin": np.round(np.clip(rng.normal(0.8, 0.03, k), 0.6, 0.95), 3),
            "churned_on": pd.Series(churned.dt.strftime("%Y-%m-%d")).where((churned < data_end).to_numpy(), ""),
            "csat": pd.Series(csat.astype(int)).where(rng.random(k) < 0.7).astype("Int64"),
            "nps": pd.Series(nps.astype(int)).where(rng.random(k) < 0.5).astype("Int64"),
        }
    )

    # Sellers rate some of the leads they touched: the loop back to marketing.
    rated = contacted & (rng.random(n) < 0.35)
    rating = np.clip(
        np.round(1 + 4 * _sigmoid((leads.score.to_numpy() - 50) / 12) + 0.7 * rng.standard_normal(n)), 1, 5
    ).astype(int)
    rating = np.where(is_dup, 1, rating)
    reason = np.where(
        is_dup,
        "duplicate",
        np.where(rating >= 4, "good fit", np.array(REJECT_REASONS)[rng.integers(len(REJECT_REASONS), size=n)]),
    )
    fb_at = touch_at + pd.to_timedelta(_hours(rng, 30.0, 0.5, n), unit="h")
    rated &= (fb_at < data_end).to_numpy()
    feedback = pd.DataFrame(
        {
            "lead_id": leads.lead_id[rated],
            "rep_id": np.array(sdr)[rated],
            "given_at": fb_at[rated].dt.strftime(TIMESTAMP),
            "rating": rating[rated],
            "reason": reason[rated],
        }
    )
    feedback.insert(0, "feedback_id", [f"F{i + 1:05d}" for i in range(len(feedback))])

    tables = {
        "campaigns": campaigns,
        "leads": lead_table,
        "touches": touches,
        "opportunities": opportunities,
        "customers": customers,
        "people": people,
        "feedback": feedback,
    }

    tables["okrs"] = okr_table(profile, tables)
    return {name: tables[name] for name in schema.TABLES}


def write(profile: CompanyProfile, out_dir: Path) -> list[Path]:
    """Write one company's tables as CSV (UTF-8, comma, LF line ends) and return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in generate(profile).items():
        path = out_dir / f"{name}.csv"
        write_atomically(path, frame.to_csv(index=False, lineterminator="\n"))
        written.append(path)
    return written


def okr_table(profile, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The shared OKRs of the programme's quarters, scored from the data the other tables hold."""
    leads = schema.validate(tables["leads"].astype(str), "leads", "generated leads")
    touches = schema.validate(tables["touches"].astype(str), "touches", "generated touches")
    opps = tables["opportunities"]
    closed_at = pd.to_datetime(opps.closed_at.where(opps.closed_at != ""), format=schema.TIMESTAMP_FORMAT)
    people = tables["people"]
    head = {r: people.person_id[people.role == r].iloc[0] for r in ("head of sales", "head of marketing")}
    data_end = pd.Period(profile.first_month, "M") + profile.months
    last_q = (data_end - 1).asfreq("Q")
    quarters = pd.period_range(end=last_q, periods=4, freq="Q")

    def measures(q: pd.Period) -> dict[str, float]:
        in_q = leads[(leads.mql_at >= q.start_time) & (leads.mql_at <= q.end_time)]
        follow = response_summary(in_q, touches, as_of=data_end.start_time)
        closed = opps[(closed_at >= q.start_time) & (closed_at <= q.end_time)]
        return {
            "median_hours": round(follow["median_hours"], 1),
            "leakage": round(follow["leakage"], 3),
            "acceptance": round(conversion_rate(in_q.sal_at.notna().sum(), len(in_q)), 3),
            "win_rate": round(conversion_rate((closed.outcome == "won").sum(), len(closed)), 3),
        }

    objective = "Turn more of the right leads into customers, together"
    # Targets are set once against the quarter before the programme; the first quarter asks less.
    specs = [  # (metric key, key result text, function, unit, kind, targets by quarter, owner)
        (
            "median_hours",
            "Median time from MQL to a seller's first touch",
            "response_summary",
            "hours",
            "committed",
            lambda b, i: (8.0, 2.0, 2.0)[i],
            head["head of sales"],
        ),
        (
            "leakage",
            "Share of MQLs never contacted",
            "response_summary",
            "share of MQLs",
            "committed",
            lambda b, i: (0.15, 0.05, 0.05)[i],
            head["head of sales"],
        ),
        (
            "acceptance",
            "Share of MQLs that sales accepts",
            "stage_conversion",
            "share of MQLs",
            "aspirational",
            lambda b, i: (0.5, 0.65, 0.75)[i],
            head["head of marketing"],
        ),
        (
            "win_rate",
            "Share of closed deals won",
            "win_rate",
            "share of closed deals",
            "aspirational",
            lambda b, i: round(min(0.9, b * (1.1, 1.25, 1.3)[i]), 3),
            head["head of sales"],
        ),
    ]

    def show(value: float, unit: str) -> str:
        return f"{value:.0%}" if unit.startswith("share") else f"{value:g} {unit}"

    rows = []
    values = {q: measures(q) for q in quarters}
    baseline_q = quarters[0]
    for i, q in enumerate(quarters[1:]):
        for key, text, metric, unit, kind, target, owner in specs:
            baseline = values[baseline_q][key]
            goal = target(baseline, i)
            rows.append(
                {
                    "okr_id": "",
                    "quarter": str(q),
                    "team": "shared",
                    "objective": objective,
                    "key_result": f"{text}: from {show(baseline, unit)} ({baseline_q}) to {show(goal, unit)}",
                    "metric": metric,
                    "unit": unit,
                    "kind": kind,
                    "baseline": baseline,
                    "target": goal,
                    "current": values[q][key],
                    "owner_id": owner,
                }
            )
    out = pd.DataFrame(rows)
    out["okr_id"] = [f"KR{i + 1:02d}" for i in range(len(out))]
    return out


def main(argv: list[str] | None = None) -> int:
    """The command line: write every company's tables and ``data/README.md``."""
    parser = argparse.ArgumentParser(description="Regenerate the course's sample data.")
    parser.add_argument("--out", type=Path, default=Path("data"), help="folder to write into")
    args = parser.parse_args(argv)
    for profile in COMPANIES.values():
        paths = write(profile, args.out / profile.slug)
        print(f"{profile.name}: wrote {len(paths)} tables to {args.out / profile.slug}")
    readme = args.out / "README.md"
    readme.write_text(schema.data_dictionary_markdown(), encoding="utf-8")
    print(f"data dictionary: {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
