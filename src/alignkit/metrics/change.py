"""Leading change: find the dip in a company's own numbers, model how support makes it shorter and
shallower, and check a change communication plan.

Albert Chan: when a company changes, things get worse before they get better; the leader's job is
to speed the move from the first stage to the next, and to win over the critics by showing them the
value (interview with Laba, C16). His two rules: set clear, understood expectations for every role
and result, and communicate regularly and transparently what changes for each team, why, and what
the result will be (C17).

The shape is the J-curve of the Satir change model: late status quo, a foreign element,
chaos (performance dips), a transforming idea, practice and integration, a new status quo; good
leadership makes the dip shorter and shallower. John Kotter ("Leading Change", HBR 1995) lists
eight steps and warns that leaders under-communicate the vision by a factor of ten; Prosci's ADKAR
(Jeff Hiatt) names what each person needs: awareness, desire, knowledge, ability, reinforcement.
See FACTS.md, "Change".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import funnel

# --- the dip in the data ----------------------------------------------------------------------

METRICS = {
    # column: (label, higher is better)
    "sqls": ("SQLs per month", True),
    "opportunities": ("Opportunities opened per month", True),
    "deals_won": ("Deals won per month", True),
    "win_rate": ("Win rate of deals closed in the month", True),
    "median_response_hours": ("Median hours from MQL to first touch", False),
}


def _month_index(first_month: str, months: int) -> pd.PeriodIndex:
    return pd.period_range(pd.Period(first_month, "M"), periods=months, freq="M")


def _calendar(leads: pd.DataFrame, first_month: str | None, months: int | None) -> pd.PeriodIndex:
    """The months a monthly table covers: from ``first_month`` for ``months`` months; either one left
    out is taken from the leads' inquiry dates (the first month, and the months up to the last)."""
    if first_month is None or months is None:
        if leads.empty:
            raise ValueError("no leads: give first_month and months to define the calendar.")
        span = leads["inquiry_at"].dt.to_period("M")
        first_month = first_month or str(span.min())
        months = months or (span.max() - pd.Period(first_month, "M")).n + 1
    return _month_index(first_month, months)


def _per_month(times: pd.Series, index: pd.PeriodIndex) -> pd.Series:
    """How many of ``times`` fall in each month of ``index`` (0 for a month with none)."""
    return times.dropna().dt.to_period("M").value_counts().reindex(index, fill_value=0)


def monthly_metrics(
    leads: pd.DataFrame,
    touches: pd.DataFrame,
    opportunities: pd.DataFrame,
    first_month: str | None = None,
    months: int | None = None,
) -> pd.DataFrame:
    """One row per calendar month, each metric counted by the date the event happened:

    * ``mqls``: leads that became MQLs in the month (``mql_at``);
    * ``sqls``: leads that became SQLs in the month (``sql_at``);
    * ``opportunities``: deals opened in the month (``created_at``);
    * ``deals_won``: deals won in the month (``closed_at`` of won deals);
    * ``win_rate``: won ÷ (won + lost) among deals closed in the month (NaN when none closed);
    * ``median_response_hours``: median hours from MQL to a seller's first touch, among the MQLs of
      the month that were contacted (NaN when none were).

    Months run from ``first_month`` for ``months`` months (default: the months of the inquiries).
    """
    index = _calendar(leads, first_month, months)

    closed = opportunities[opportunities["outcome"].isin(["won", "lost"])]
    won = _per_month(closed.loc[closed["outcome"] == "won", "closed_at"], index)
    lost = _per_month(closed.loc[closed["outcome"] == "lost", "closed_at"], index)
    hours = funnel.response_hours(leads, touches)
    mql_month = leads.set_index("lead_id").loc[hours.index, "mql_at"].dt.to_period("M").to_numpy()
    response = hours.groupby(mql_month).median().reindex(index) if len(hours) else pd.Series(np.nan, index=index)
    out = pd.DataFrame(
        {
            "mqls": _per_month(leads["mql_at"], index),
            "sqls": _per_month(leads["sql_at"], index),
            "opportunities": _per_month(opportunities["created_at"], index),
            "deals_won": won,
            "win_rate": [funnel.conversion_rate(w, w + x) for w, x in zip(won, lost, strict=True)],
            "median_response_hours": response.to_numpy(dtype=float),
        },
        index=index,
    )
    out.index = out.index.astype(str)
    out.index.name = "month"
    return out


# The rates of the J-curve: how well each step of the work is done, whatever the volume. A change
# that raises the MQL bar cuts the volume on purpose; a dip in these rates is the learning cost.
RATE_METRICS = {
    # column: (label, higher is better)
    "accepted_to_qualified": ("Accepted leads qualified (SAL→SQL)", True),
    "opportunity_to_won": ("Deals won of those closed (opportunity→won)", True),
}
VOLUME_METRICS = {
    "mqls": ("MQLs per month", True),
    "sqls": ("SQLs per month", True),
    "opportunities": ("Opportunities opened per month", True),
    "deals_won": ("Deals won per month", True),
}


def monthly_rates(
    leads: pd.DataFrame, opportunities: pd.DataFrame, first_month: str | None = None, months: int | None = None
) -> pd.DataFrame:
    """The two rates of the J-curve, one row per calendar month, with the counts behind them:

    * ``accepted_to_qualified``: of the leads sales accepted in the month (``sal_at``), the share
      that became SQLs (``sql_at`` set, whenever it came): ``qualified`` ÷ ``accepted``;
    * ``opportunity_to_won``: of the deals closed in the month (``closed_at``, won or lost), the
      share won: ``won`` ÷ ``closed``.

    Rates, not volumes: a higher MQL bar cuts the number of MQLs, SQLs and deals on purpose (a
    planned fall), while these rates say how well the teams do each step. A month with no accepted
    lead or no closed deal has NaN. The cohort rate of the last months can be low only because
    their leads have not had time to qualify yet: read it with the counts.
    """
    for frame, cols, name in (
        (leads, ("sal_at", "sql_at"), "leads"),
        (opportunities, ("outcome", "closed_at"), "opportunities"),
    ):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"monthly_rates: {name} need the column(s) {', '.join(missing)}; see data/README.md.")
    index = _calendar(leads, first_month, months)

    accepted = leads[leads["sal_at"].notna()]
    n_accepted = _per_month(accepted["sal_at"], index)
    n_qualified = _per_month(accepted.loc[accepted["sql_at"].notna(), "sal_at"], index)
    closed = opportunities[opportunities["outcome"].isin(["won", "lost"])]
    n_closed = _per_month(closed["closed_at"], index)
    n_won = _per_month(closed.loc[closed["outcome"] == "won", "closed_at"], index)
    out = pd.DataFrame(
        {
            "accepted": n_accepted,
            "qualified": n_qualified,
            "accepted_to_qualified": [
                funnel.conversion_rate(q, a) for q, a in zip(n_qualified, n_accepted, strict=True)
            ],
            "closed": n_closed,
            "won": n_won,
            "opportunity_to_won": [funnel.conversion_rate(w, c) for w, c in zip(n_won, n_closed, strict=True)],
        },
        index=index,
    )
    out.index = out.index.astype(str)
    out.index.name = "month"
    return out


def find_dip(series: pd.Series, start: str, higher_is_better: bool = True, baseline_months: int | None = 6) -> dict:
    """The dip after a change starts, in a monthly series indexed by 'YYYY-MM'.

    * ``baseline``: the average of the ``baseline_months`` months before ``start`` (all of them when
      None). Six by default, so a ramp at the very start of the data does not count;
    * ``low_month`` and ``low``: the worst month from ``start`` on (lowest, or highest when lower is
      better);
    * ``depth``: how much worse than the baseline the low is, as a share of the baseline:
      (baseline − low) ÷ baseline, or (low − baseline) ÷ baseline when lower is better. NaN when the
      baseline is zero or missing; 0 or less means there was no dip (``dipped`` is False);
    * ``months_to_low``: months from the start month to the low month;
    * ``recovered_month``: the first month after the low that is at least as good as the baseline
      (None if it never is); ``months_to_recover``: months from the start month to it (NaN if it
      never recovered, 0 when there was no dip).
    """
    if not isinstance(series, pd.Series) or series.empty:
        raise ValueError("find_dip needs a non-empty monthly Series indexed by 'YYYY-MM'.")
    months = pd.PeriodIndex([pd.Period(m, "M") for m in series.index.astype(str)])
    values = pd.Series(series.to_numpy(dtype=float), index=months).sort_index()
    first = pd.Period(start, "M")
    before, after = values[values.index < first].dropna(), values[values.index >= first].dropna()
    if after.empty:
        raise ValueError(f"no month from {start} on in the series.")
    if baseline_months is not None:
        if baseline_months < 1:
            raise ValueError("baseline_months is a positive number of months, or None for all.")
        before = before.iloc[-baseline_months:]
    baseline = float(before.mean()) if len(before) else math.nan
    low_month = after.idxmax() if not higher_is_better else after.idxmin()
    low = float(after[low_month])
    if not baseline or math.isnan(baseline):
        depth = math.nan
    else:
        depth = (low - baseline) / baseline if not higher_is_better else (baseline - low) / baseline
    dipped = bool(depth > 0)  # NaN compares False: no baseline, no dip to speak of
    later = after[after.index > low_month]
    good = later[later <= baseline] if not higher_is_better else later[later >= baseline]
    recovered = good.index[0] if dipped and len(good) else None
    return {
        "baseline": baseline,
        "low_month": str(low_month),
        "low": low,
        "depth": depth,
        "dipped": dipped,
        "months_to_low": (low_month - first).n,
        "recovered_month": str(recovered) if recovered is not None else None,
        "months_to_recover": (
            (recovered - first).n
            if recovered is not None
            else (0.0 if not dipped and not math.isnan(depth) else math.nan)
        ),
    }


def dip_table(
    monthly: pd.DataFrame,
    start: str,
    baseline_months: int | None = 6,
    metrics: Mapping[str, tuple[str, bool]] | None = None,
) -> pd.DataFrame:
    """:func:`find_dip` for every metric of :func:`monthly_metrics` (or of ``metrics``, a mapping of
    column to (label, higher is better), such as :data:`RATE_METRICS`), one row per metric."""
    rows = {}
    for column, (label, higher) in (METRICS if metrics is None else metrics).items():
        if column in monthly.columns:
            rows[label] = find_dip(monthly[column], start, higher, baseline_months)
    return pd.DataFrame.from_dict(rows, orient="index")


# --- a model of the change curve --------------------------------------------------------------

# Illustrative effect sizes (assumptions, not measurements): the share of the dip each lever can
# remove at most, and the amount of it that gives half that effect.
TRAINING_HALF_EFFECT_HOURS = 8.0  # hours of training per person for half the training effect
COMMUNICATION_HALF_EFFECT = 2.0  # leadership updates per month for half the communication effect
MAX_DEPTH_CUT = {"training": 0.5, "communication": 0.2}
MAX_TIME_CUT = {"training": 0.25, "communication": 0.35}


def _saturating(amount: float, half: float) -> float:
    return amount / (amount + half)


def mitigated(dip_depth: float, recovery_months: float, training: float, communication: float) -> tuple[float, float]:
    """The dip's depth and recovery time after training and communication (the model's levers).

    Each lever's effect saturates: effect = amount ÷ (amount + half-effect amount), between 0 and 1.
    depth    = dip_depth × (1 − 0.5 × training effect − 0.2 × communication effect)
    recovery = recovery_months × (1 − 0.25 × training effect − 0.35 × communication effect)
    Training mostly makes the dip shallower (people can do the new work: ADKAR's knowledge and
    ability); communication mostly makes it shorter (people know what changes and why: awareness and
    desire, Kotter's "communicate the vision"). The coefficients are assumptions for illustration.
    """
    for name, value in (
        ("dip_depth", dip_depth),
        ("recovery_months", recovery_months),
        ("training", training),
        ("communication", communication),
    ):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value):
            raise ValueError(f"{name} must be a number, not {value!r}.")
    if not 0 <= dip_depth < 1:
        raise ValueError(f"dip_depth is a share of normal performance between 0 and 1, not {dip_depth}.")
    if recovery_months <= 0:
        raise ValueError(f"recovery_months must be more than zero, not {recovery_months}.")
    if training < 0 or communication < 0:
        raise ValueError("training hours and communication updates cannot be negative.")
    t = _saturating(training, TRAINING_HALF_EFFECT_HOURS)
    c = _saturating(communication, COMMUNICATION_HALF_EFFECT)
    depth = dip_depth * (1 - MAX_DEPTH_CUT["training"] * t - MAX_DEPTH_CUT["communication"] * c)
    recovery = recovery_months * (1 - MAX_TIME_CUT["training"] * t - MAX_TIME_CUT["communication"] * c)
    return depth, recovery


def change_curve(
    months: int,
    dip_depth: float,
    recovery_months: float,
    training: float = 0.0,
    communication: float = 0.0,
    gain: float = 0.2,
    steps_per_month: int = 1,
) -> pd.DataFrame:
    """Performance through a change, as an index (1.0 = before the change), month 0 = the start.

    An illustration of the Satir change model, not a forecast. With the depth and recovery time
    from :func:`mitigated`, the curve
    1. falls in a straight line to ``1 − depth`` at the low, a third of the way to recovery
       (the chaos phase);
    2. climbs back to 1.0 at ``recovery`` months (the transforming idea, practice and integration);
    3. keeps climbing at the pace of ``gain`` per recovery period until it reaches the new level
       ``1 + gain`` (the new status quo).

    Returns ``month``, ``level`` and ``stage`` (the Satir stage the month falls in).
    """
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise ValueError(f"months is a positive whole number, not {months!r}.")
    if not isinstance(steps_per_month, int) or steps_per_month < 1:
        raise ValueError("steps_per_month is a positive whole number.")
    if not isinstance(gain, (int, float)) or gain < 0:
        raise ValueError(f"gain is the improvement after the change, zero or more, not {gain!r}.")
    depth, recovery = mitigated(dip_depth, recovery_months, training, communication)
    low_at = recovery / 3
    t = np.arange(months * steps_per_month + 1) / steps_per_month
    level = np.where(
        t <= low_at,
        1 - depth * t / low_at,
        np.where(
            t <= recovery,
            1 - depth * (recovery - t) / (recovery - low_at),
            np.minimum(1 + gain, 1 + gain * (t - recovery) / recovery),
        ),
    )
    stage = np.where(
        t == 0,
        "late status quo",
        np.where(
            t <= low_at,
            "chaos",
            np.where(
                t <= recovery,
                "practice and integration",
                np.where(level < 1 + gain, "practice and integration", "new status quo"),
            ),
        ),
    )
    return pd.DataFrame({"month": t, "level": level.round(6), "stage": stage})


def dip_summary(
    dip_depth: float, recovery_months: float, training: float = 0.0, communication: float = 0.0
) -> dict[str, float]:
    """The dip of :func:`change_curve` in closed form: ``depth``, ``low_month`` (a third of the way
    to recovery), ``recovery_month`` and ``months_lost``, the area of the triangle below 1.0:
    depth × recovery ÷ 2, in months of normal output."""
    depth, recovery = mitigated(dip_depth, recovery_months, training, communication)
    return {"depth": depth, "low_month": recovery / 3, "recovery_month": recovery, "months_lost": depth * recovery / 2}


# --- Kotter and ADKAR -------------------------------------------------------------------------

KOTTER_STEPS = (
    "Establish a sense of urgency",
    "Form a powerful guiding coalition",
    "Create a vision",
    "Communicate the vision",
    "Empower others to act on the vision",
    "Plan for and create short-term wins",
    "Consolidate improvements and produce still more change",
    "Institutionalise new approaches",
)

ADKAR = {
    "Awareness": "of why the change is needed",
    "Desire": "to take part in it",
    "Knowledge": "of how to change",
    "Ability": "to work the new way",
    "Reinforcement": "to make it stick",
}


# --- the change communication plan ----------------------------------------------------------

PLAN_PARTS = {
    "what": "what changes, in concrete terms",
    "why": "why it changes: the problem it solves",
    "who": "for whom: the roles or teams it changes things for",
    "when": "when: the date or period it starts",
    "result": "the expected result: a number to watch and when",
}
VAGUE = (
    "tbd",
    "tba",
    "soon",
    "asap",
    "at some point",
    "various",
    "etc",
    "stuff",
    "things",
    "somehow",
    "as needed",
    "some people",
    "everyone",
    "everybody",
    "all staff",
)
_ROLE_WORDS = (
    "sales",
    "marketing",
    "seller",
    "sellers",
    "marketer",
    "marketers",
    "sdr",
    "sdrs",
    "rep",
    "reps",
    "account executive",
    "account executives",
    "ae",
    "aes",
    "demand gen",
    "demand generation",
    "operations",
    "ops",
    "content",
    "manager",
    "managers",
    "head of",
    "heads of",
    "team",
    "teams",
    "office",
    "offices",
    "toronto",
    "lisbon",
    "austin",
    "warsaw",
    "singapore",
)
_TIME_WORDS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "week",
    "month",
    "quarter",
    "q1",
    "q2",
    "q3",
    "q4",
    "day",
)


# Words that name something a sales or marketing team can see change, or a problem it can see: a
# "what" or a "why" needs one of them (or a number) to say something concrete.
_CONCRETE_WORDS = (
    "lead",
    "leads",
    "mql",
    "mqls",
    "sql",
    "sqls",
    "sal",
    "sals",
    "sla",
    "slas",
    "score",
    "scores",
    "scoring",
    "bar",
    "threshold",
    "definition",
    "definitions",
    "meeting",
    "meetings",
    "review",
    "reviews",
    "pipeline",
    "call",
    "calls",
    "called",
    "calling",
    "follow-up",
    "follow",
    "touch",
    "touched",
    "response",
    "hour",
    "hours",
    "target",
    "targets",
    "okr",
    "okrs",
    "key",
    "goal",
    "goals",
    "campaign",
    "campaigns",
    "form",
    "forms",
    "crm",
    "report",
    "reports",
    "dashboard",
    "quota",
    "quotas",
    "territory",
    "territories",
    "handover",
    "hand-off",
    "handoff",
    "routing",
    "routed",
    "rule",
    "rules",
    "stage",
    "stages",
    "playbook",
    "content",
    "pitch",
    "pitches",
    "commission",
    "deal",
    "deals",
    "customer",
    "customers",
    "buyer",
    "buyers",
    "revenue",
    "win",
    "won",
    "lost",
    "lose",
    "losing",
    "rejected",
    "rejects",
    "reject",
    "rejection",
    "accepted",
    "accept",
    "acceptance",
    "complaint",
    "complaints",
    "duplicate",
    "duplicates",
    "slow",
    "slower",
    "late",
    "waited",
    "waiting",
    "wait",
    "never",
    "missed",
    "cost",
    "costs",
    "spend",
    "budget",
    "churn",
    "sellers",
    "seller",
    "marketers",
    "marketer",
    "sales",
    "marketing",
    "sdr",
    "sdrs",
    "rep",
    "reps",
    "demo",
    "demos",
    "opportunity",
    "opportunities",
    "contacted",
    "contact",
    "attempts",
    "attempt",
    "qualified",
    "qualify",
    "feedback",
    "rating",
    "ratings",
    "webinar",
    "webinars",
    "training",
    "onboarding",
    "agreement",
    "process",
    "tool",
    "tools",
    "platform",
    "data",
    "leakage",
)


def _filler(words: list[str]) -> bool:
    """True when a text of three or more words is mostly one word said again ('blah blah blah'):
    fewer than three different words, or one word making up more than half of them."""
    if len(words) < 3:
        return False
    most = max(words.count(w) for w in set(words))
    return len(set(words)) < 3 or most > len(words) / 2


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9][a-z0-9'’\-]*", text.lower())


def _has_any(text: str, words) -> bool:
    low = f" {' '.join(_words(text))} "
    return any(f" {w} " in low for w in words)


def review_plan(plan: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Which parts of a change communication plan are missing or vague.

    ``plan`` maps the parts in :data:`PLAN_PARTS` (what, why, who, when, result) to the learner's
    sentences. Each part gets ('ok' | 'missing' | 'vague', a short note). A part is vague when it
    is shorter than four words, repeats one word ('blah blah blah'), leans on a vague word (soon,
    TBD, everyone, things …), or lacks what it must say: *what* and *why* name something a team can
    see (leads, MQLs, meetings, targets, deals, customers …) or give a number; *who* names a role,
    team or office; *when* has a date, day, week, month or quarter; *result* has a number. A
    checklist, not a judge of content: Chan's rule is that every team understands what changes for
    it, why, and what the result will be (C17).
    An optional ``support`` part (where people get help) is reviewed too when given.
    """
    if not isinstance(plan, Mapping):
        raise ValueError(f"the plan is a dict with the parts {', '.join(PLAN_PARTS)}.")
    out = {}
    for part, meaning in PLAN_PARTS.items():
        text = plan.get(part)
        if not isinstance(text, str) or not text.strip():
            out[part] = ("missing", f"Add {meaning}.")
            continue
        words = _words(text)
        vague = [v for v in VAGUE if _has_any(text, [v])]
        if vague:
            out[part] = ("vague", f"Replace '{vague[0]}' with something a reader can act on: {meaning}.")
        elif _filler(words):
            out[part] = ("vague", f"It repeats the same word: write {meaning}, in words a reader can act on.")
        elif len(words) < (2 if part in ("who", "when") else 4):
            out[part] = ("vague", f"Say more than {len(words)} word{'s' if len(words) != 1 else ''}: {meaning}.")
        elif part in ("what", "why") and not (re.search(r"\d", text) or _has_any(text, _CONCRETE_WORDS)):
            out[part] = (
                "vague",
                (
                    "Name what changes: the leads, definitions, meetings, targets or tools people will see change."
                    if part == "what"
                    else "Name the problem it solves: lost or slow leads, rejected MQLs, deals lost, "
                    "a number from your data."
                ),
            )
        elif part == "who" and not _has_any(text, _ROLE_WORDS):
            out[part] = ("vague", "Name the roles, teams or offices it changes things for.")
        elif part == "when" and not (re.search(r"\d", text) or _has_any(text, _TIME_WORDS)):
            out[part] = ("vague", "Give a date, a week or a month.")
        elif part == "result" and not re.search(r"\d", text):
            out[part] = ("vague", "Put a number on the result (a rate, a count, hours) and when you expect it.")
        else:
            out[part] = ("ok", f"Says {meaning.split(':')[0]}.")
    support = plan.get("support")
    if isinstance(support, str) and support.strip():
        words = _words(support)
        out["support"] = (
            ("ok", "Says where people can get help.")
            if len(words) >= 4 and not _filler(words)
            else ("vague", "Say where people can get help: a person, a time, a resource.")
        )
    return out
