"""OKRs: scoring key results and objectives, checking that a key result is measurable, and the board of
shared wins that recognises both teams.

Objectives are qualitative (the "what"), key results quantitative (the measurable "how"); an
objective succeeds as its key results progress (Albert Chan on Meta's practice, interview with Laba).
Grading on 0.0-1.0 follows Google's re:Work guide and OKR playbook (FACTS.md): committed key results
are expected to reach 1.0, aspirational ones about 0.7; 0.0-0.3 is red, 0.4-0.6 yellow, 0.7-1.0 green.
An objective's score is the average of its key results (John Doerr, *Measure What Matters*).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .funnel import conversion_rate

EXPECTED = {"committed": 1.0, "aspirational": 0.7}


def score_key_result(baseline: float, target: float, current: float) -> float:
    """Progress from baseline to target, clamped to 0.0-1.0.

    score = (current − baseline) ÷ (target − baseline). Works the same when lower is better
    (a target below the baseline). NaN when target equals baseline: there is no distance to cover.
    """
    if target == baseline:
        return math.nan
    return min(1.0, max(0.0, (current - baseline) / (target - baseline)))


def score_objective(key_result_scores: Iterable[float]) -> float:
    """Average of the key results' scores (NaN ones are skipped); NaN with none to average."""
    values = [s for s in key_result_scores if not (isinstance(s, float) and math.isnan(s))]
    return sum(values) / len(values) if values else math.nan


def grade(score: float) -> str:
    """'red' below 0.4, 'yellow' from 0.4 to below 0.7, 'green' from 0.7 (Google's OKR playbook)."""
    if isinstance(score, float) and math.isnan(score):
        return "not scored"
    if not 0 <= score <= 1:
        raise ValueError(f"a score is between 0.0 and 1.0 (got {score}).")
    return "red" if score < 0.4 else "yellow" if score < 0.7 else "green"


OKR_COLUMNS = ("quarter", "objective", "key_result", "kind", "baseline", "target", "current")


def _need(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs the column(s) {', '.join(missing)}; see data/README.md.")


def expected_score(kind: str) -> float:
    """The score a key result of this kind is expected to reach: 1.0 committed, 0.7 aspirational."""
    if kind not in EXPECTED:
        raise ValueError(f"kind is 'committed' or 'aspirational' (got {kind!r}).")
    return EXPECTED[kind]


def score_okrs(okrs: pd.DataFrame) -> pd.DataFrame:
    """Each key result with its ``score`` (progress from baseline to target, 0.0-1.0), ``grade``
    (red/yellow/green), ``expected`` (1.0 committed, 0.7 aspirational) and ``met`` (score ≥ expected).

    score = (current − baseline) ÷ (target − baseline), clamped to 0-1 (:func:`alignkit.metrics.okr.score_key_result`).
    """
    _need(okrs, OKR_COLUMNS, "score_okrs")
    out = okrs.copy()
    out["score"] = [
        score_key_result(b, t, c) for b, t, c in zip(out["baseline"], out["target"], out["current"], strict=True)
    ]
    out["grade"] = [grade(s) for s in out["score"]]
    out["expected"] = [expected_score(k) for k in out["kind"]]
    out["met"] = [
        bool(s >= e - 1e-9) if not math.isnan(s) else False for s, e in zip(out["score"], out["expected"], strict=True)
    ]
    return out


def objective_scores(okrs: pd.DataFrame) -> pd.DataFrame:
    """One row per quarter and objective: the average of its key results' scores (Doerr), its grade,
    and how many key results met what their kind expects."""
    scored = score_okrs(okrs)
    if scored.empty:
        return pd.DataFrame(columns=["quarter", "objective", "key_results", "score", "grade", "met"])
    rows = []
    for (quarter, objective), part in scored.groupby(["quarter", "objective"], sort=True):
        s = score_objective(part["score"].tolist())
        rows.append(
            {
                "quarter": quarter,
                "objective": objective,
                "key_results": len(part),
                "score": s,
                "grade": grade(s),
                "met": int(part["met"].sum()),
            }
        )
    return pd.DataFrame(rows)


def shared_wins(okrs: pd.DataFrame, people: pd.DataFrame, quarter: str | None = None) -> pd.DataFrame:
    """The shared-wins board: key results that met what their kind expects, with the person who
    owns each and the team that moved it, so both teams' wins are shown side by side.

    ``quarter`` picks one quarter (as '2026Q1'); None shows every quarter. Chan recommends
    recognising and celebrating both teams' achievements (C7, interview with Laba).
    """
    _need(okrs, (*OKR_COLUMNS, "owner_id"), "shared_wins")
    _need(people, ("person_id", "name", "team", "role"), "shared_wins (people)")
    scored = score_okrs(okrs)
    if quarter is not None:
        if quarter not in set(scored["quarter"]):
            raise ValueError(
                f"no key results in quarter {quarter!r}; the quarters are {', '.join(sorted(set(scored['quarter'])))}."
            )
        scored = scored[scored["quarter"] == quarter]
    owners = people.set_index("person_id")[["name", "team", "role"]]
    met = scored[scored["met"]].drop(columns=["team"], errors="ignore").join(owners, on="owner_id")
    out = met.rename(columns={"name": "owner", "team": "moved by"})[
        ["quarter", "moved by", "owner", "role", "key_result", "kind", "score", "grade"]
    ]
    return out.sort_values(["quarter", "moved by", "key_result"]).reset_index(drop=True)


def wins_side_by_side(board: pd.DataFrame, teams: tuple[str, ...] = ("marketing", "sales")) -> pd.DataFrame:
    """The board as one column per team and one row per quarter: the number of key results each
    team moved to its expected score. A quarter where a team has none shows 0."""
    _need(board, ("quarter", "moved by"), "wins_side_by_side")
    counts = board.groupby(["quarter", "moved by"]).size().unstack(fill_value=0)
    return counts.reindex(columns=list(teams), fill_value=0).astype(int)


# -- is a key result measurable? -------------------------------------------------------------

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DEADLINE = re.compile(
    r"\b(?:by|before|until|ending|end of|within)\s+(?:the\s+)?(?:end\s+of\s+)?[\w\-/ ]{0,20}?"
    r"(?:\b\d{4}-\d{2}(?:-\d{2})?\b|\b\d{4}\s?-?q[1-4]\b|\bq[1-4](?:\s?\d{4})?\b|\b(?:"
    + _MONTHS
    + r")\b(?:\s+\d{1,2}\b)?(?:,?\s+\d{4}\b)?|\b\d{4}\b|\bquarter\b|\bmonth\b|\byear\b|\bh[12]\b|"
    r"\b\d+\s+(?:days?|weeks?|months?)\b)"
    r"|\b\d{4}\s?-?q[1-4]\b|\bq[1-4](?:\s?\d{4})?\b|\bh[12]\s?\d{4}\b"
    r"|\b\d{4}-\d{2}(?:-\d{2})?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b(?:"
    + _MONTHS
    + r")\s+\d{4}\b|\b\d{1,2}\s+(?:"
    + _MONTHS
    + r")\b(?:\s+\d{4}\b)?|\b(?:this|next|each|every|per)\s+(?:quarter|month)\b"
    r"|\bend of (?:the )?(?:quarter|month|year)\b",
    re.I,
)
_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d+(?:[.,]\d+)*\s?(?:%|k\b|percent\b)?", re.I)
_BASELINE = re.compile(
    r"\bfrom\s+(?:about\s+|around\s+|roughly\s+)?[$€£]?\d+(?:[.,]\d+)*\s?(?:%|percent\b)?"
    r"|\bbaseline\b|\bup from\b|\bdown from\b"
    r"|\bcurrently\s+[$€£]?\d|\btoday\s+[$€£]?\d",
    re.I,
)
OWNER_WORDS = (
    "marketing",
    "sales",
    "sdr",
    "sdrs",
    "account executive",
    "account executives",
    "ae",
    "aes",
    "seller",
    "sellers",
    "marketer",
    "marketers",
    "demand generation",
    "demand gen",
    "content team",
    "product marketing",
    "marketing operations",
    "marketing ops",
    "revops",
    "head of",
    "team",
    "owner",
    "owned by",
    "manager",
    "director",
    "vp",
    "lead by",
    "led by",
)
_OWNER = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(OWNER_WORDS, key=len, reverse=True)) + r")\b", re.I
)
_EXPLICIT_OWNER = re.compile(r"(?<=owner:\s)[^,;.)]+|(?<=owned by\s)[^,;.)]+|(?<=owner\s)[A-Z][^,;.)]+", re.I)
VAGUE_WORDS = ("improve", "better", "increase", "more", "optimise", "optimize", "enhance", "boost", "grow")


def key_result_parts(text: str, names: Iterable[str] = ()) -> dict[str, str | None]:
    """The measurable parts found in a key result, each as the words that show it (None if absent):
    ``number`` (a target figure), ``baseline`` ("from 30 %"), ``deadline`` (a date, a quarter or
    "by ..."), ``owner`` (a role, a team or one of ``names``).

    A heuristic that reads words, not meaning: it tells a writer what a reader will look for.
    """
    if not isinstance(text, str):
        raise ValueError(f"a key result is text (got {type(text).__name__}).")
    deadline = _DEADLINE.search(text)
    # numbers inside the deadline ("by 2026Q2") are not the target
    rest = _DEADLINE.sub(" ", text)
    numbers = _NUMBER.findall(rest)
    baseline = _BASELINE.search(text)
    owner = _EXPLICIT_OWNER.search(text) or _OWNER.search(text)
    if owner is None:
        for name in names:
            for part in [name, *str(name).split()]:
                if len(part) > 2 and re.search(rf"\b{re.escape(part)}\b", text, re.I):
                    owner = re.search(rf"\b{re.escape(part)}\b", text, re.I)
                    break
            if owner:
                break
    return {
        "number": numbers[-1].strip() if numbers else None,
        "baseline": baseline.group(0).strip() if baseline else None,
        "deadline": deadline.group(0).strip() if deadline else None,
        "owner": owner.group(0).strip() if owner else None,
    }


@dataclass(frozen=True)
class KeyResultCheck:
    """What :func:`check_key_result` found in a key result: each of its four parts (``None`` when
    missing) and whether it uses a vague word (improve, more ...) without a number."""

    text: str
    parts: dict[str, str | None]
    vague: bool

    @property
    def missing(self) -> list[str]:
        """The parts not found, in the order number, baseline, deadline, owner."""
        return [part for part, found in self.parts.items() if not found]

    @property
    def measurable(self) -> bool:
        """True when all four parts are there."""
        return not self.missing


def check_key_result(text: str, names: Iterable[str] = ()) -> KeyResultCheck:
    """Whether a key result is measurable: it needs a number, a baseline, a deadline and an owner
    (``names``: people who count as owners). A text that is not a string raises ValueError."""
    parts = key_result_parts(text, names)
    words = set(re.findall(r"[a-z]+", text.lower()))
    return KeyResultCheck(text, parts, vague=not parts["number"] and bool(words & set(VAGUE_WORDS)))


def seller_shout_outs(
    leads: pd.DataFrame, touches: pd.DataFrame, people: pd.DataFrame, quarter: str, hours: float = 24, top: int = 3
) -> pd.DataFrame:
    """The sellers who first touched the most of a quarter's MQLs within ``hours`` (the SLA's sales
    side): individual recognition to put next to the team's wins (C7). Ties keep the person_id order."""
    _need(touches, ("lead_id", "rep_id", "first_touch_at"), "seller_shout_outs (touches)")
    q = pd.Period(quarter, "Q")
    mqls = leads.loc[
        leads["mql_at"].notna() & (leads["mql_at"] >= q.start_time) & (leads["mql_at"] <= q.end_time),
        ["lead_id", "mql_at"],
    ]
    first = touches.sort_values("first_touch_at").drop_duplicates("lead_id")
    joined = mqls.merge(first, on="lead_id", how="inner")
    fast = joined[(joined["first_touch_at"] - joined["mql_at"]).dt.total_seconds() / 3600 <= hours]
    counts = fast.groupby("rep_id").size().rename("mqls touched in time")
    touched = joined.groupby("rep_id").size()
    out = people.set_index("person_id")[["name", "role", "office"]].join(counts, how="inner")
    out["share in time"] = [c / touched[p] for p, c in zip(out.index, out["mqls touched in time"], strict=True)]
    out = out.sort_values("mqls touched in time", ascending=False, kind="stable").head(top)
    return out.rename_axis("person_id").reset_index()


def channel_shout_outs(leads: pd.DataFrame, quarter: str, top: int = 3) -> pd.DataFrame:
    """The channels whose MQLs of a quarter sales accepted most often (the SLA's marketing side,
    quality): marketing's wins to put next to the sellers'. acceptance = SALs ÷ MQLs."""
    q = pd.Period(quarter, "Q")
    mqls = leads[leads["mql_at"].notna() & (leads["mql_at"] >= q.start_time) & (leads["mql_at"] <= q.end_time)]
    rows = [
        {"channel": ch, "mqls": len(part), "accepted": conversion_rate(int(part["sal_at"].notna().sum()), len(part))}
        for ch, part in mqls.groupby("channel", sort=True)
    ]
    out = pd.DataFrame(rows, columns=["channel", "mqls", "accepted"])
    return out.sort_values("accepted", ascending=False, kind="stable").head(top).reset_index(drop=True)
