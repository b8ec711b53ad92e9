"""The team's playbook: the agreements a sales and marketing team makes, written down from its own
numbers as one Markdown file and one self-contained HTML page (module 11, "Your playbook").

    alignkit playbook --answers answers.toml [--scorecard scorecard.json] --out my-playbook/

reads the team's answers (a TOML file, below) and, optionally, the scorecard of its own CRM export
(``alignkit scorecard ... --format json > scorecard.json``), and writes ``playbook.md`` and
``playbook.html`` into the folder ``--out`` (created if missing). Without ``--out`` the Markdown is
printed. Everything runs on this computer: nothing is sent anywhere, and the HTML page loads nothing
(inline CSS, no script, no font, no image, no link to fetch); every value typed in the answers is
HTML-escaped, so a ``<script>`` in an answer is shown as text. Both files are written to temporary
files first and then renamed, so nobody ever opens half a playbook.

Bad input (a missing file, TOML that does not parse, a missing or unknown key, a wrong type, a rate
outside 0-1, a negative goal ...) ends with exit status 2 and one message naming the file, the key
and what was expected; nothing is written then.

The sections and where their numbers come from:

1. **Definitions** of MQL, SAL and SQL (C6; the demand waterfall, FACTS.md), in the stage table of
   :func:`alignkit.metrics.lead_scores.definitions_agreement`. With a scorecard and ``sellers``, the MQLs a month
   the team produces now are checked against the sellers' capacity (about 100 leads per seller a
   month: our assumption, the size of one example Mark Roberge gives, not a benchmark) and against
   the acceptance the team aims for (:func:`alignkit.metrics.lead_scores.threshold_verdict`).
2. **The SLA**, computed backwards from the revenue goal (HubSpot Academy's method, FACTS.md;
   :func:`alignkit.metrics.sla.sla_from_goal`): MQLs needed = revenue goal × marketing share ÷ average deal
   ÷ (MQL→opportunity × opportunity→win), per month, rounded up (:func:`alignkit.metrics.sla.round_up`).
   Each rate is typed in the answers or, when left out there, taken from the scorecard:
   average deal = ``deals.average_deal_size``; MQL→opportunity = leads that reached opportunity ÷
   leads that reached MQL (``funnel``); opportunity→win = ``deals.win_rate``.
   The sales side is two separate promises: *speed*, a first touch within ``follow_up_hours`` and
   ``attempts`` calls within ``attempt_days`` days (Roberge's HubSpot SLA, FACTS.md); and
   *acceptance*, a decision on every MQL, accepted (a seller agrees to work it, whatever the hour)
   or rejected with a reason. The definitions say the same: an SAL is an MQL a seller agreed to
   work; contacting within ``response_hours`` is the speed promise, never part of accepting.
3. **OKRs**: each key result is checked with :func:`alignkit.metrics.okr.check_key_result` (a number, a
   baseline, a deadline, an owner); the playbook marks those not yet measurable and says what is
   missing.
4. **Meeting cadence**: the team's meetings, or the course's default table
   (:func:`alignkit.metrics.loop.meeting_cadence`); hours a month = times a month × minutes ÷ 60.
5. **RACI** (:func:`alignkit.metrics.raci.raci_table`, :func:`alignkit.metrics.raci.raci_problems`): tasks without
   exactly one Accountable (or without a Responsible) are flagged.
6. **Change communication plan**: for each change, what, why, for whom, when and the expected
   result, reviewed with :func:`alignkit.metrics.change.review_plan` (C17).

The answers file (TOML; ``src/alignkit/teamtools/playbook_example.toml`` is a complete example)::

    team = "Brightline"              # required: the team or company the playbook is for
    agreed_on = "2026-07-01"         # optional: when the team agreed it (text)
    currency = "USD"                 # optional: written after money amounts (default: none)
    sellers = 12                     # optional: sellers who work MQLs (for the capacity check)

    [definitions]
    mql_threshold = 60               # a lead score 0-100 at which marketing hands a lead to sales ...
    mql_criteria = ["..."]           # ... and/or what else an MQL must meet (one of the two required)
    sql_criteria = ["...", "..."]    # required: what a seller checks before calling a lead an SQL
    response_hours = 24              # optional (24): a seller contacts a new MQL within these hours
    min_acceptance = 0.5             # optional (0.5): the share of MQLs sales should accept

    [sla]
    revenue_goal = 150000            # required, 0 or more: new revenue the team must book ...
    months = 1                       # ... in this many months (optional, 1)
    marketing_share = 0.9            # optional (1.0): the share of that revenue from marketing's leads
    average_deal = 2100              # average won deal; leave out to take it from --scorecard
    lead_to_opportunity = 0.1        # MQL→opportunity rate, 0-1; leave out to take it from --scorecard
    opportunity_to_win = 0.22        # opportunity→win rate, 0-1; leave out to take it from --scorecard
    follow_up_hours = 24             # optional (24): first touch on every MQL within these hours
    attempts = 5                     # optional (5): calls before a lead is closed as unreachable ...
    attempt_days = 14                # ... within these days (optional, 14)

    [[okrs]]                         # required: one block per objective
    objective = "..."                # qualitative: what to improve
    key_results = ["...", "..."]     # quantitative: number, baseline, deadline, owner

    [cadence]
    use_default = false              # optional: include the course's default meetings (default: only
                                     # when no meeting is listed)
    [[cadence.meetings]]
    meeting = "Joint pipeline review"   # required
    how_often = "weekly"             # required: daily, weekly, fortnightly, monthly, quarterly, or text
    minutes = 45                     # optional
    who = "SDRs, AEs, demand generation"
    format = "virtual"               # optional: "virtual" or "in person"
    output = "leads re-routed"       # optional

    [raci."MQL definition"]          # required: one table per task, role = letters R, A, C, I
    "head of marketing" = "A"
    "marketing operations" = "R"

    [[changes]]                      # required: one block per change the team announces
    what = "..."                     # what changes, in concrete terms
    why = "..."                      # the problem it solves
    who = "..."                      # the roles or teams it changes things for
    when = "..."                     # the date or period it starts
    result = "..."                   # the expected result: a number to watch, and when
    support = "..."                  # optional: where people get help

Unknown keys are refused (with "did you mean ..."), so a typo never silently drops an agreement.

Python: :func:`load_answers`, :func:`load_scorecard`, :func:`build_playbook` (plain data),
:func:`render_markdown`, :func:`render_html`, :func:`write_playbook`; the CLI calls
:func:`add_arguments` and :func:`run`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tomllib
from collections.abc import Sequence
from numbers import Real
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import DataError
from ..markdown_escape import md_text
from ..outputs import did_you_mean
from . import templates

EXAMPLE_ANSWERS = paths.package_path("alignkit.teamtools", "playbook_example.toml")
SCORECARD_SCHEMA = "alignkit.scorecard/1"

# times a month for the usual words; anything else is shown as typed, without hours a month
TIMES_A_MONTH = {
    "daily": 21.7,
    "twice a week": 8.67,
    "weekly": 4.33,
    "fortnightly": 2.17,
    "biweekly": 2.17,
    "every two weeks": 2.17,
    "monthly": 1.0,
    "quarterly": 1 / 3,
    "per campaign": 1.0,
}
MEETING_FORMATS = ("virtual", "in person")

TOP_KEYS = {"team", "agreed_on", "currency", "sellers", "definitions", "sla", "okrs", "cadence", "raci", "changes"}
DEFINITION_KEYS = {"mql_threshold", "mql_criteria", "sql_criteria", "response_hours", "min_acceptance"}
SLA_KEYS = {
    "revenue_goal",
    "months",
    "marketing_share",
    "average_deal",
    "lead_to_opportunity",
    "opportunity_to_win",
    "follow_up_hours",
    "attempts",
    "attempt_days",
}
OKR_KEYS = {"objective", "key_results"}
CADENCE_KEYS = {"use_default", "meetings"}
MEETING_KEYS = {"meeting", "how_often", "minutes", "who", "format", "output"}
CHANGE_KEYS = {"what", "why", "who", "when", "result", "support"}
RATE_NAMES = {
    "average_deal": "average won deal",
    "lead_to_opportunity": "MQL→opportunity rate",
    "opportunity_to_win": "opportunity→win rate",
}


class PlaybookError(DataError):
    """The answers or the scorecard are not what the playbook needs; the message says where and what."""


# --- reading the answers ------------------------------------------------------------------------


def _is_number(x) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(float(x))


def _typename(x) -> str:
    return {
        str: "text",
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }.get(type(x), type(x).__name__)


class _Reader:
    """Checks one answers file, so every message names the file and the key."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, expected: str, got=None, has_got: bool = True) -> PlaybookError:
        tail = f", got {got!r} ({_typename(got)})" if has_got and got is not None else ""
        return PlaybookError(f"{self.source}: {where}: expected {expected}{tail}.")

    def table(self, data, where: str, allowed: set[str], required: bool = True) -> dict:
        if data is None:
            if required:
                raise PlaybookError(
                    f"{self.source}: {where}: this section is required (see the answers format in "
                    f"alignkit.teamtools.playbook or the example playbook_example.toml)."
                )
            return {}
        if not isinstance(data, dict):
            raise self.fail(where, "a table ([section] with key = value lines)", data)
        for key in data:
            if key not in allowed:
                raise PlaybookError(
                    f"{self.source}: {where}: unknown key '{key}'."
                    + did_you_mean(key, sorted(allowed), known="The known keys are", n=1)
                )
        return data

    def text(self, data: dict, key: str, where: str, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                raise PlaybookError(f"{self.source}: {where}{key}: missing; expected text in quotes.")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where + key, "non-empty text in quotes", value)
        return value.strip()

    def texts(self, data: dict, key: str, where: str, required: bool = True) -> list[str]:
        value = data.get(key)
        if value is None:
            if required:
                raise PlaybookError(
                    f'{self.source}: {where}{key}: missing; expected a list of text, such as ["first", "second"].'
                )
            return []
        if not isinstance(value, list) or not value:
            raise self.fail(where + key, 'a non-empty list of text, such as ["first", "second"]', value)
        for i, item in enumerate(value, 1):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{where}{key} item {i}", "non-empty text in quotes", item)
        return [v.strip() for v in value]

    def number(
        self,
        data: dict,
        key: str,
        where: str,
        default=None,
        *,
        low=None,
        high=None,
        low_open: bool = False,
        whole: bool = False,
        what: str = "a number",
    ) -> float | None:
        value = data.get(key, default)
        if value is None:
            return None
        if not _is_number(value) or (whole and float(value) != int(value)):
            raise self.fail(where + key, what, value)
        v = float(value)
        too_low = low is not None and (v <= low if low_open else v < low)
        if too_low or (high is not None and v > high):
            raise self.fail(where + key, what, value)
        return int(v) if whole else v

    def rate(self, data: dict, key: str, where: str, default=None, positive: bool = False) -> float | None:
        value = data.get(key, default)
        what = (
            "a rate as a fraction above 0 and at most 1 (write 25 % as 0.25)"
            if positive
            else "a share as a fraction from 0 to 1 (write 25 % as 0.25)"
        )
        return (
            self.number(data, key, where, default, low=0, high=1, low_open=positive, what=what)
            if value is not None
            else None
        )


def _parse_toml(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlaybookError(
            f"{path}: no such file; expected the answers file (TOML), for example a copy of {EXAMPLE_ANSWERS.name}."
        ) from None
    except IsADirectoryError:
        raise PlaybookError(f"{path}: is a folder; expected the answers file (TOML).") from None
    except PermissionError:
        raise PlaybookError(f"{path}: permission denied; expected a readable answers file (TOML).") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PlaybookError(f"{path}: not UTF-8 text; save the answers file as UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise PlaybookError(f"{path}: not valid TOML ({exc}); expected key = value lines, text in quotes.") from None
    except RecursionError:
        raise PlaybookError(
            f"{path}: its tables or lists are nested too deeply; expected the answers file "
            f"(TOML) of the format in alignkit.teamtools.playbook."
        ) from None


def check_answers(data: dict, source: str = "answers") -> dict:
    """The answers, checked and with defaults filled in; PlaybookError naming the key otherwise."""
    r = _Reader(source)
    top = r.table(data, "the file", TOP_KEYS)
    out: dict[str, Any] = {
        "team": r.text(top, "team", ""),
        "agreed_on": r.text(top, "agreed_on", "", required=False),
        "currency": (r.text(top, "currency", "", required=False) or ""),
        "sellers": r.number(top, "sellers", "", low=1, whole=True, what="a whole number of sellers, 1 or more"),
    }
    if top.get("agreed_on") is not None and not isinstance(top["agreed_on"], str):
        out["agreed_on"] = str(top["agreed_on"])  # a TOML date is fine too

    d = r.table(top.get("definitions"), "[definitions]", DEFINITION_KEYS)
    w = "[definitions] "
    threshold = r.number(d, "mql_threshold", w, low=0, high=100, whole=True, what="a whole lead score from 0 to 100")
    mql_criteria = r.texts(d, "mql_criteria", w, required=False)
    if threshold is None and not mql_criteria:
        raise PlaybookError(
            f"{source}: [definitions]: expected mql_threshold (a lead score 0-100) or mql_criteria "
            f"(a list of text), or both: the MQL bar needs at least one."
        )
    out["definitions"] = {
        "mql_threshold": threshold,
        "mql_criteria": mql_criteria,
        "sql_criteria": r.texts(d, "sql_criteria", w),
        "response_hours": r.number(d, "response_hours", w, 24, low=0, low_open=True, what="hours, more than 0"),
        "min_acceptance": r.rate(d, "min_acceptance", w, 0.5),
    }

    s = r.table(top.get("sla"), "[sla]", SLA_KEYS)
    w = "[sla] "
    if "revenue_goal" not in s:
        raise PlaybookError(
            f"{source}: [sla] revenue_goal: missing; expected the revenue the team must book, a number 0 or more."
        )
    out["sla"] = {
        "revenue_goal": r.number(s, "revenue_goal", w, low=0, what="a revenue goal, a number 0 or more"),
        "months": r.number(s, "months", w, 1, low=1, whole=True, what="a whole number of months, 1 or more"),
        "marketing_share": r.rate(s, "marketing_share", w, 1.0),
        "average_deal": r.number(
            s, "average_deal", w, low=0, low_open=True, what="the average won deal, a number above 0"
        ),
        "lead_to_opportunity": r.rate(s, "lead_to_opportunity", w, positive=True),
        "opportunity_to_win": r.rate(s, "opportunity_to_win", w, positive=True),
        "follow_up_hours": r.number(s, "follow_up_hours", w, 24, low=0, low_open=True, what="hours, more than 0"),
        "attempts": r.number(s, "attempts", w, 5, low=1, whole=True, what="a whole number of calls, 1 or more"),
        "attempt_days": r.number(s, "attempt_days", w, 14, low=1, whole=True, what="a whole number of days, 1 or more"),
    }

    okrs = top.get("okrs")
    if okrs is None:
        raise PlaybookError(
            f'{source}: [[okrs]]: missing; expected at least one block with objective = "..." '
            f'and key_results = ["..."].'
        )
    if not isinstance(okrs, list) or not okrs:
        raise r.fail("okrs", "one or more [[okrs]] blocks", okrs)
    out["okrs"] = []
    for i, block in enumerate(okrs, 1):
        where = f"[[okrs]] number {i}"
        block = r.table(block, where, OKR_KEYS)
        out["okrs"].append(
            {
                "objective": r.text(block, "objective", where + " "),
                "key_results": r.texts(block, "key_results", where + " "),
            }
        )

    c = r.table(top.get("cadence"), "[cadence]", CADENCE_KEYS, required=False)
    use_default = c.get("use_default")
    if use_default is not None and not isinstance(use_default, bool):
        raise r.fail("[cadence] use_default", "true or false", use_default)
    meetings = c.get("meetings", [])
    if not isinstance(meetings, list):
        raise r.fail("[cadence] meetings", "[[cadence.meetings]] blocks", meetings)
    out["cadence"] = {"use_default": bool(use_default) if use_default is not None else not meetings, "meetings": []}
    for i, m in enumerate(meetings, 1):
        where = f"[[cadence.meetings]] number {i}"
        m = r.table(m, where, MEETING_KEYS)
        fmt = r.text(m, "format", where + " ", required=False)
        if fmt is not None and fmt.lower() not in MEETING_FORMATS:
            raise r.fail(where + " format", '"virtual" or "in person"', fmt)
        out["cadence"]["meetings"].append(
            {
                "meeting": r.text(m, "meeting", where + " "),
                "how_often": r.text(m, "how_often", where + " "),
                "minutes": r.number(m, "minutes", where + " ", low=0, what="minutes, 0 or more"),
                "who": r.text(m, "who", where + " ", required=False),
                "format": fmt.lower() if fmt else None,
                "output": r.text(m, "output", where + " ", required=False),
            }
        )

    raci_in = top.get("raci")
    if raci_in is None:
        raise PlaybookError(
            f'{source}: [raci]: missing; expected one table per task, such as [raci."lead follow-up"] '
            f'with lines "head of sales" = "A".'
        )
    if not isinstance(raci_in, dict) or not raci_in:
        raise r.fail("[raci]", 'one table per task, such as [raci."lead follow-up"]', raci_in)
    from ..metrics import raci

    out["raci"] = {}
    for task, row in raci_in.items():
        if not isinstance(row, dict) or not row:
            raise r.fail(f'[raci."{task}"]', 'a table of role = letters, such as "head of sales" = "A"', row)
        cells = {}
        for role, letters in row.items():
            try:
                if not isinstance(letters, str):
                    raise ValueError
                cells[role] = raci.normalise_cell(letters)
            except ValueError:
                raise r.fail(
                    f'[raci."{task}"] "{role}"', 'letters from R, A, C, I in quotes, such as "A" or "A/R"', letters
                ) from None
        out["raci"][task] = cells

    changes = top.get("changes")
    if changes is None:
        raise PlaybookError(
            f"{source}: [[changes]]: missing; expected at least one block with what, why, who, when and result."
        )
    if not isinstance(changes, list) or not changes:
        raise r.fail("changes", "one or more [[changes]] blocks", changes)
    out["changes"] = []
    for i, block in enumerate(changes, 1):
        where = f"[[changes]] number {i}"
        block = r.table(block, where, CHANGE_KEYS)
        out["changes"].append(
            {
                k: r.text(block, k, where + " ", required=k in ("what",))
                for k in ("what", "why", "who", "when", "result", "support")
            }
        )
    return out


def load_answers(path) -> dict:
    """Read and check an answers file (TOML; the format is in this module's docstring)."""
    path = Path(path)
    return check_answers(_parse_toml(path), str(path))


MAX_SCORECARD_BYTES = 64 << 20


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a scorecard can hold")


def load_scorecard(path) -> dict:
    """Read a scorecard written by ``alignkit scorecard --format json``; PlaybookError if it is not one
    (not JSON, not of the scorecard's schema, or holding figures no export can give)."""
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_SCORECARD_BYTES:
            raise PlaybookError(
                f"{path}: {path.stat().st_size / 2**20:,.0f} MB is far larger than a scorecard; "
                f"expected the output of 'alignkit scorecard ... --format json'."
            )
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlaybookError(
            f"{path}: no such file; expected a scorecard from 'alignkit scorecard ... --format json > scorecard.json'."
        ) from None
    except IsADirectoryError:
        raise PlaybookError(f"{path}: is a folder; expected a scorecard JSON file.") from None
    except UnicodeDecodeError:
        raise PlaybookError(f"{path}: not UTF-8 text; expected a scorecard JSON file.") from None
    try:
        card = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise PlaybookError(
            f"{path}: not valid JSON (line {exc.lineno}: {exc.msg}); expected the output of "
            f"'alignkit scorecard ... --format json'."
        ) from None
    except ValueError as exc:  # Infinity, -Infinity, NaN
        raise PlaybookError(f"{path}: {exc}; expected the output of 'alignkit scorecard ... --format json'.") from None
    except RecursionError:
        raise PlaybookError(
            f"{path}: nested too deeply to be a scorecard; expected the output of "
            f"'alignkit scorecard ... --format json'."
        ) from None
    check_scorecard(card, str(path))
    return card


def _json_where(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "the top level"


def check_scorecard(card, source: str = "scorecard") -> None:
    """Validate a scorecard against the package's JSON schema (``crm/scorecard.schema.json``), then the
    figures the playbook uses: counts not negative, each funnel stage at most the one before, rates
    within 0-1, an average deal above 0 and dates in order. PlaybookError naming the key otherwise."""
    if not isinstance(card, dict) or card.get("schema") != SCORECARD_SCHEMA:
        got = card.get("schema") if isinstance(card, dict) else _typename(card)
        raise PlaybookError(
            f"{source}: schema: expected '{SCORECARD_SCHEMA}' (the output of 'alignkit scorecard "
            f"--format json'), got {got!r}."
        )
    import jsonschema

    schema = json.loads(
        paths.package_path("alignkit.teamtools.crm", "scorecard.schema.json").read_text(encoding="utf-8")
    )
    try:
        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(card))
    except RecursionError:
        raise PlaybookError(f"{source}: nested too deeply to be a scorecard.") from None
    if error is not None:
        got = repr(error.instance)
        got = got if len(got) <= 60 else got[:57] + "..."
        raise PlaybookError(
            f"{source}: {_json_where(error.absolute_path)}: {error.message[:200]} (got {got}); "
            f"expected the output of 'alignkit scorecard ... --format json'."
        )
    bad = "; a scorecard from 'alignkit scorecard' never holds that. Compute it again from the export."
    previous = None
    for i, row in enumerate(card["funnel"]):
        for key in ("leads", "with_date"):
            if (row.get(key) or 0) < 0:
                raise PlaybookError(f"{source}: funnel[{i}].{key}: {row[key]} is negative{bad}")
        if row.get("leads") is None:  # a stage the export does not record
            continue
        if previous is not None and row["leads"] > previous["leads"]:
            raise PlaybookError(
                f"{source}: funnel[{i}].leads: {row['leads']:,} leads reached {row['stage']} but "
                f"only {previous['leads']:,} reached {previous['stage']} before it (inverted){bad}"
            )
        previous = row
    for key, m in card["deals"].items():
        v = m.get("value") if isinstance(m, dict) else None
        if v is None:
            continue
        if v < 0 or (m.get("unit") == "share" and v > 1):
            raise PlaybookError(
                f"{source}: deals.{key}.value: {v} is outside {'0-1' if m.get('unit') == 'share' else '0 or more'}{bad}"
            )
    for key, m in card.get("conversion", {}).items():
        v = m.get("value")
        if v is not None and not 0 <= v <= 1:
            raise PlaybookError(f"{source}: conversion.{key}.value: {v} is outside 0-1{bad}")
    import datetime as dt

    if card["leads_from"] is None and card["leads_to"] is None:  # a deals-only export
        return
    try:
        first, last = dt.date.fromisoformat(card["leads_from"]), dt.date.fromisoformat(card["leads_to"])
    except (ValueError, TypeError):
        raise PlaybookError(f"{source}: leads_from/leads_to: expected dates as YYYY-MM-DD{bad}") from None
    if last < first:
        raise PlaybookError(f"{source}: leads_to: {last} is before leads_from {first} (inverted){bad}")


# --- building the playbook ----------------------------------------------------------------------


def _funnel_leads(card: dict, stage: str) -> int | None:
    for row in card.get("funnel", []):
        if row.get("stage") == stage:
            return row.get("leads")
    return None


def scorecard_rates(card: dict) -> dict[str, dict]:
    """The three SLA rates read off a scorecard, each {"value", "basis", "unavailable"}:
    average deal = mean won deal; MQL→opportunity = leads that reached opportunity ÷ leads that
    reached MQL (the leads marketing owes are MQLs, as in :func:`alignkit.metrics.sla.rates_from_data`);
    opportunity→win = won ÷ (won + lost) deals."""
    deals = card.get("deals", {})
    out = {}
    avg = deals.get("average_deal_size", {})
    out["average_deal"] = {
        "value": avg.get("value"),
        "basis": avg.get("basis"),
        "unavailable": avg.get("unavailable", "no average deal size in the scorecard"),
    }
    win = deals.get("win_rate", {})
    out["opportunity_to_win"] = {
        "value": win.get("value"),
        "basis": win.get("basis"),
        "unavailable": win.get("unavailable", "no win rate in the scorecard"),
    }
    mqls, opps = _funnel_leads(card, "mql"), _funnel_leads(card, "opportunity")
    if mqls is None or opps is None:
        missing = "MQL" if mqls is None else "opportunity"
        why = (
            f"the export does not record the {missing} stage"
            if card.get("leads_from") is not None
            else "a deals-only scorecard has no funnel"
        )
        out["lead_to_opportunity"] = {"value": None, "unavailable": why}
    else:
        out["lead_to_opportunity"] = (
            {"value": opps / mqls, "basis": mqls}
            if mqls and opps
            else {"value": None, "unavailable": "no lead reached MQL" if not mqls else "no lead reached opportunity"}
        )
    return out


def _months_of_leads(card: dict) -> float:
    """Months from the first to the last lead (NaN for a deals-only scorecard)."""
    import datetime as dt

    if card.get("leads_from") is None or card.get("leads_to") is None:
        return math.nan
    first = dt.date.fromisoformat(card["leads_from"])
    last = dt.date.fromisoformat(card["leads_to"])
    return ((last - first).days + 1) / 30.44


def current_mqls_per_month(card: dict) -> float | None:
    """MQLs a month in the export: leads that reached MQL ÷ months from the first to the last lead."""
    mqls = _funnel_leads(card, "mql")
    months = _months_of_leads(card)
    return mqls / months if mqls is not None and months > 0 else None  # NaN > 0 is False


def build_playbook(
    answers: dict, scorecard: dict | None = None, *, answers_name: str = "answers", scorecard_name: str | None = None
) -> dict:
    """The playbook as plain data: every section's rows and every number, computed from the checked
    ``answers`` (:func:`check_answers`) and, for what they leave out, the ``scorecard``."""
    from ..metrics import change, lead_scores, loop, okr, raci, sla

    a = answers
    sources = {"answers": answers_name, "scorecard": scorecard_name if scorecard is not None else None}
    warnings: list[str] = []

    # 1. definitions: the stage table of lead_scores.definitions_agreement
    d = a["definitions"]
    mql_parts = []
    if d["mql_threshold"] is not None:
        mql_parts.append(f"a lead score of {d['mql_threshold']} or more")
    mql_parts += d["mql_criteria"]
    definitions = {
        **d,
        "stages": [
            ("Inquiry", "someone asked to hear from us (form, sign-up, webinar)", "marketing"),
            ("MQL", "an inquiry that meets the MQL bar below, not a duplicate of a lead we already have", "marketing"),
            ("SAL", "an MQL a seller has agreed to work (accepted), whenever that happens", "both"),
            ("SQL", "an SAL that meets every SQL criterion below", "sales"),
        ],
        "mql_bar": mql_parts,
        # two promises, kept apart: accepting is a decision, speed is the hours to the first contact
        "promises": [
            (
                "Acceptance (a decision)",
                "sales accepts or rejects every MQL it receives. An MQL counts as accepted "
                "(an SAL) when a seller agrees to work it, whatever the hour; a rejected MQL goes back to marketing "
                "with a reason, which is the feedback marketing needs to improve the MQL bar.",
            ),
            (
                "Speed (a separate promise)",
                f"a seller first contacts every new MQL within {d['response_hours']:g} "
                f"hours. A late contact is a missed speed promise, not a rejection; a fast one is not an acceptance.",
            ),
        ],
        "now": None,
    }
    if scorecard is not None:
        mqls_now = current_mqls_per_month(scorecard)
        handoff = scorecard.get("handoff") or {}
        acceptance = (handoff.get("acceptance_rate") or scorecard.get("conversion", {}).get("mql→sal", {})).get("value")
        rejection = (handoff.get("rejection_rate") or {}).get("value")
        response = scorecard.get("response", {})
        within = (response.get("within_24h") or {}).get("value")
        median_hours = (response.get("median_hours") or {}).get("value")
        sals, sqls = _funnel_leads(scorecard, "sal"), _funnel_leads(scorecard, "sql")
        months = _months_of_leads(scorecard)
        capacity = a["sellers"] * lead_scores.LEADS_PER_REP_PER_MONTH if a["sellers"] else math.nan
        row = {
            "mqls_per_month": mqls_now if mqls_now is not None else math.nan,
            "acceptance": acceptance if acceptance is not None else math.nan,
            "sals_per_month": sals / months if sals is not None else math.nan,
            "sqls_per_month": sqls / months if sqls is not None else math.nan,
            "capacity": capacity,
            "capacity_used": (mqls_now / capacity) if mqls_now is not None and capacity == capacity else math.nan,
            # reported apart from acceptance: how fast, not whether
            "rejection": rejection if rejection is not None else math.nan,
            "within_24h": within if within is not None else math.nan,
            "median_response_hours": median_hours if median_hours is not None else math.nan,
        }
        problems = lead_scores.threshold_verdict(row, d["min_acceptance"])
        definitions["now"] = {**row, "problems": problems}
        warnings += [f"Definitions, in the export today: {p}." for p in problems]

    # 2. the SLA
    s = dict(a["sla"])
    rates, rate_source = {}, {}
    card_rates = scorecard_rates(scorecard) if scorecard is not None else {}
    for key, name in RATE_NAMES.items():
        if s[key] is not None:
            rates[key], rate_source[key] = s[key], f"typed in {answers_name}"
            continue
        found = card_rates.get(key)
        if found is None:
            raise PlaybookError(
                f"{answers_name}: [sla] {key}: missing; expected the {name} (or give --scorecard "
                f"FILE.json to take it from your own export)."
            )
        if found["value"] is None or (key != "average_deal" and not 0 < found["value"] <= 1) or found["value"] <= 0:
            raise PlaybookError(
                f"{scorecard_name or 'scorecard'}: the {name} is unavailable ({found.get('unavailable')}); "
                f"type [sla] {key} in {answers_name}."
            )
        rates[key] = float(found["value"])
        rate_source[key] = f"from the scorecard ({scorecard_name or 'scorecard'}, basis {found.get('basis')})"
    try:
        plan = sla.sla_from_goal(
            s["revenue_goal"],
            rates["average_deal"],
            rates["lead_to_opportunity"],
            rates["opportunity_to_win"],
            s["marketing_share"],
            int(s["months"]),
        )
    except ValueError as exc:  # checked above already; kept so a future rule still ends with a clear message
        raise PlaybookError(f"{answers_name}: [sla]: {exc}") from None
    m = plan.months
    sla_out = {
        **s,
        "rates": rates,
        "rate_source": rate_source,
        "revenue_per_month": plan.revenue_goal / m,
        "deals_needed": plan.deals_needed,
        "opportunities_needed": plan.opportunities_needed,
        "mqls_needed": plan.leads_needed,
        "deals_per_month": sla.round_up(plan.deals_needed / m),
        "opportunities_per_month": sla.round_up(plan.opportunities_needed / m),
        "mqls_per_month": sla.round_up(plan.leads_per_month),
        "current_mqls_per_month": current_mqls_per_month(scorecard) if scorecard is not None else None,
    }
    now = sla_out["current_mqls_per_month"]
    if now is not None and now < sla_out["mqls_per_month"]:
        warnings.append(
            f"SLA: the export shows about {now:,.0f} MQLs a month; the goal needs {sla_out['mqls_per_month']:,}."
        )

    # 3. OKRs
    roles = sorted({role for row in a["raci"].values() for role in row})
    okrs = []
    for o in a["okrs"]:
        krs = []
        for text in o["key_results"]:
            check = okr.check_key_result(text, names=roles)
            missing = check.missing
            krs.append({"text": text, "measurable": check.measurable, "missing": missing})
            if not check.measurable:
                warnings.append(f"OKR: '{_short(text)}' is not yet measurable (missing {', '.join(missing)}).")
        okrs.append({"objective": o["objective"], "key_results": krs})

    # 4. cadence
    cadence = []
    if a["cadence"]["use_default"]:
        for row in loop.meeting_cadence().to_dict("records"):
            cadence.append(
                {
                    "meeting": row["meeting"],
                    "how_often": row["how often"],
                    "minutes": row["minutes"],
                    "who": row["who"],
                    "format": None,
                    "output": row["output"],
                    "hours_a_month": float(row["hours a month"]),
                    "default": True,
                }
            )
    for mt in a["cadence"]["meetings"]:
        times = TIMES_A_MONTH.get(mt["how_often"].lower())
        hours = round(times * mt["minutes"] / 60, 1) if times is not None and mt["minutes"] is not None else None
        cadence.append({**mt, "hours_a_month": hours, "default": False})
    known = [c["hours_a_month"] for c in cadence if c["hours_a_month"] is not None]

    # 5. RACI
    table = raci.raci_table(
        a["raci"], roles=tuple(r for r in raci.ROLES if any(r in row for row in a["raci"].values()))
    )
    raci_found = raci.raci_problems(table)
    for task, issues in raci_found.items():
        warnings.append(f"RACI: {task}: " + "; ".join(issues) + ".")
    raci_out = {
        "roles": list(table.columns),
        "rows": [(str(t), [str(v) for v in row]) for t, row in table.iterrows()],
        "problems": raci_found,
    }

    # 6. change communication plan
    changes = []
    for ch in a["changes"]:
        review = change.review_plan({k: v for k, v in ch.items() if v is not None})
        changes.append({**ch, "review": review})
        for part, (status, note) in review.items():
            if status != "ok":
                warnings.append(f"Change '{_short(ch['what'])}': {part} is {status}: {note}")

    return {
        "team": a["team"],
        "agreed_on": a["agreed_on"],
        "currency": a["currency"],
        "sellers": a["sellers"],
        "sources": sources,
        "definitions": definitions,
        "sla": sla_out,
        "okrs": okrs,
        "cadence": cadence,
        "cadence_hours": round(sum(known), 1),
        "raci": raci_out,
        "changes": changes,
        "warnings": warnings,
    }


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# --- Markdown ------------------------------------------------------------------------------------


def _money(x: float, currency: str) -> str:
    return f"{x:,.0f}" + (f" {currency}" if currency else "")


def _rate_text(key: str, value: float, currency: str) -> str:
    return _money(value, currency) if key == "average_deal" else f"{value:.1%}"


CHANGE_LABELS = (
    ("what", "What changes"),
    ("why", "Why"),
    ("who", "For whom"),
    ("when", "When"),
    ("result", "Expected result"),
    ("support", "Where to get help"),
)
MARKS = {"ok": "ok", "missing": "MISSING", "vague": "VAGUE"}


def render_markdown(pb: dict) -> str:
    """The playbook as Markdown (every typed value escaped with :func:`md_text`)."""
    t, cur = md_text, md_text(pb["currency"])
    d, s = pb["definitions"], pb["sla"]
    L = [f"# Sales and marketing playbook: {t(pb['team'])}", ""]
    meta = [
        f"Agreed on {t(pb['agreed_on'])}." if pb["agreed_on"] else "",
        f"Written by alignkit from {t(pb['sources']['answers'])}"
        + (f" and the scorecard {t(pb['sources']['scorecard'])}" if pb["sources"]["scorecard"] else "")
        + ".",
    ]
    L += [" ".join(x for x in meta if x), ""]
    if pb["warnings"]:
        L += ["## Still to agree", "", *[f"- {t(w)}" for w in pb["warnings"]], ""]
    L += [
        "## 1. Definitions: MQL, SAL, SQL",
        "",
        "| stage | definition | owner |",
        "|---|---|---|",
        *[f"| {t(a)} | {t(b)} | {t(c)} |" for a, b, c in d["stages"]],
        "",
        "**A lead is an MQL when it has:**",
        "",
        *[f"- {t(x)}" for x in d["mql_bar"]],
        "",
        "**A lead is an SQL when:**",
        "",
        *[f"- {t(x)}" for x in d["sql_criteria"]],
        "",
        "**Two promises, kept apart:**",
        "",
        *[f"- **{t(label)}:** {t(text)}" for label, text in d["promises"]],
        "",
        f"Sales aims to accept at least {d['min_acceptance']:.0%} of the MQLs it works.",
        "",
    ]
    if d["now"] is not None:
        n = d["now"]
        L += ["**In the export today:** " + t(_now_text(n)), ""]
    L += [
        "## 2. The SLA: what each team owes the other",
        "",
        f"Revenue goal: **{_money(s['revenue_goal'], cur)}** in {s['months']} month{'s' if s['months'] != 1 else ''}"
        f" ({_money(s['revenue_per_month'], cur)} a month), {s['marketing_share']:.0%} of it from marketing's leads.",
        "",
        "| from the goal back to the MQLs | number | where it comes from |",
        "|---|---|---|",
    ]
    for key, name in RATE_NAMES.items():
        L.append(f"| {name} | {_rate_text(key, s['rates'][key], cur)} | {t(s['rate_source'][key])} |")
    L += [
        f"| deals needed a month | {s['deals_per_month']:,} | goal × share ÷ average deal, rounded up |",
        f"| opportunities needed a month | {s['opportunities_per_month']:,} | deals ÷ opportunity→win, rounded up |",
        f"| **MQLs marketing owes sales a month** | **{s['mqls_per_month']:,}** | opportunities ÷ "
        "MQL→opportunity, rounded up |",
        "",
        f"- **Marketing owes sales** {s['mqls_per_month']:,} MQLs a month that meet the definitions above.",
        *[f"- **Sales owes marketing, {t(label)}:** {t(text)}" for label, text in sales_owes(s)],
        "",
    ]
    if s["current_mqls_per_month"] is not None:
        L += [f"The export shows about {s['current_mqls_per_month']:,.0f} MQLs a month now.", ""]
    L += ["## 3. OKRs", ""]
    for i, o in enumerate(pb["okrs"], 1):
        L += [f"**Objective {i}: {t(o['objective'])}**", ""]
        for kr in o["key_results"]:
            mark = "measurable" if kr["measurable"] else "NOT YET MEASURABLE: missing " + ", ".join(kr["missing"])
            L.append(f"- {t(kr['text'])} ({mark})")
        L.append("")
    L += [
        "## 4. Meeting cadence",
        "",
        "| meeting | how often | minutes | who | format | output | hours a month |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in pb["cadence"]:
        L.append(
            "| "
            + " | ".join(
                [
                    t(c["meeting"]),
                    t(c["how_often"]),
                    _opt(c["minutes"], "g"),
                    t(c["who"] or ""),
                    t(c["format"] or ""),
                    t(c["output"] or ""),
                    _opt(c["hours_a_month"], ".1f"),
                ]
            )
            + " |"
        )
    L += [
        "",
        f"About {pb['cadence_hours']:.1f} hours a month of meetings in all"
        + (" (the course's default cadence: adapt it)." if any(c["default"] for c in pb["cadence"]) else "."),
        "",
    ]
    r = pb["raci"]
    L += [
        "## 5. Who does what (RACI)",
        "",
        "R: Responsible (does the work), A: Accountable (exactly one, answers for the result), "
        "C: Consulted (asked before), I: Informed (told after).",
        "",
        "| task | " + " | ".join(t(x) for x in r["roles"]) + " |",
        "|---" * (len(r["roles"]) + 1) + "|",
    ]
    for task, cells in r["rows"]:
        flag = " (check)" if task in r["problems"] else ""
        L.append(f"| {t(task)}{flag} | " + " | ".join(t(c) for c in cells) + " |")
    L.append("")
    for task, found in r["problems"].items():
        L.append(f"- **{t(task)}**: " + t("; ".join(found)) + ".")
    L += ["" if r["problems"] else "Every task has exactly one Accountable and at least one Responsible.", ""]
    L += ["## 6. Change communication plan", ""]
    for i, ch in enumerate(pb["changes"], 1):
        L += [f"**Change {i}: {t(ch['what'])}**", ""]
        for key, label in CHANGE_LABELS:
            status, note = ch["review"].get(key, ("ok", ""))
            if ch.get(key) is None and key == "support":
                continue
            value = t(ch[key]) if ch.get(key) else "(not written yet)"
            L.append(f"- {label}: {value}" + ("" if status == "ok" else f" ({MARKS[status]}: {t(note)})"))
        L.append("")
    L += ["---", "", "Review this playbook every quarter with the numbers, and change it together, never alone.", ""]
    return "\n".join(L)


def _opt(x, spec: str) -> str:
    return "" if x is None else format(x, spec)


def sales_owes(s: dict) -> list[tuple[str, str]]:
    """What sales owes marketing, as two separate promises: speed (hours) and acceptance (a decision)."""
    return [
        (
            "speed",
            f"a first touch on every MQL within {s['follow_up_hours']:g} hours, and {s['attempts']} "
            f"attempts within {s['attempt_days']} days before a lead is closed as unreachable.",
        ),
        (
            "acceptance",
            "a decision on every MQL, whatever the hour: accepted (a seller agrees to work it) or "
            "rejected with a reason.",
        ),
    ]


def _now_text(n: dict) -> str:
    def f(v, spec):
        return "unknown" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, spec)

    out = (
        f"about {f(n['mqls_per_month'], ',.0f')} MQLs a month; sales accepts {f(n['acceptance'], '.0%')} of them"
        + (f" and rejects {f(n['rejection'], '.0%')}" if not math.isnan(n.get("rejection", math.nan)) else "")
        + (
            f"; that is {f(n['capacity_used'], '.0%')} of the sellers' capacity (about 100 leads per seller a "
            f"month, our assumption)"
            if not math.isnan(n["capacity_used"])
            else ""
        )
        + "."
    )
    if not math.isnan(n.get("within_24h", math.nan)) or not math.isnan(n.get("median_response_hours", math.nan)):
        out += (
            f" Speed, a separate promise: {f(n.get('within_24h', math.nan), '.0%')} of MQLs were first touched "
            f"within 24 hours (median {f(n.get('median_response_hours', math.nan), ',.1f')} hours)."
        )
    if n["problems"]:
        out += " To agree: " + "; ".join(n["problems"]) + "."
    return out


# --- HTML --------------------------------------------------------------------------------------


def render_html(pb: dict) -> str:
    """The playbook as one self-contained HTML page (the template ``templates/playbook.html.j2``):
    inline CSS, no script, nothing to load; every value from the answers escaped by autoescaping."""
    s = pb["sla"]
    sla_rows = [
        [name, _rate_text(key, s["rates"][key], pb["currency"]), s["rate_source"][key]]
        for key, name in RATE_NAMES.items()
    ]
    cadence_rows = [
        [
            c["meeting"],
            c["how_often"],
            _opt(c["minutes"], "g"),
            c["who"],
            c["format"],
            c["output"],
            _opt(c["hours_a_month"], ".1f"),
        ]
        for c in pb["cadence"]
    ]
    return (
        templates.render(
            "playbook.html.j2",
            pb=pb,
            sla_rows=sla_rows,
            cadence_rows=cadence_rows,
            change_labels=CHANGE_LABELS,
            marks=MARKS,
            money=_money,
            now_text=_now_text,
            sales_owes=sales_owes,
        )
        + "\n"
    )


# --- writing -------------------------------------------------------------------------------------


def _targets(folder: Path) -> list[tuple[str, Path]]:
    return [(f"--out {folder / name}", folder / name) for name in ("playbook.md", "playbook.html")]


def check_out_folder(folder, inputs: Sequence[Path | None] = ()) -> None:
    """Refuse, before any work, an --out that is a file, whose parent is missing, or whose
    playbook.md/playbook.html could not be written safely or is one of the ``inputs``."""
    from ..outputs import OutputError, check_outputs

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise PlaybookError(f"--out {folder}: is a file; expected a folder for playbook.md and playbook.html.")
    if not folder.exists():
        if not folder.absolute().parent.is_dir():
            raise PlaybookError(f"--out {folder}: the folder {folder.absolute().parent} does not exist.")
        if not os.access(folder.absolute().parent, os.W_OK | os.X_OK):
            raise PlaybookError(f"--out {folder}: the folder {folder.absolute().parent} is not writable.")
        return
    try:
        check_outputs(_targets(folder), [Path(p) for p in inputs if p is not None])
    except OutputError as exc:
        raise PlaybookError(str(exc)) from None


def write_playbook(folder, markdown: str, html_text: str) -> list[Path]:
    """Write ``playbook.md`` and ``playbook.html`` into ``folder`` (created if missing), together or
    not at all: both go to temporary files first, and are renamed only when both are complete; if a
    rename fails, the file already renamed gets its previous content back."""
    from ..outputs import write_together

    folder = Path(folder)
    check_out_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    targets = _targets(folder)
    write_together([(path, text) for (_, path), text in zip(targets, (markdown, html_text), strict=True)])
    return [path for _, path in targets]


def make_playbook(answers_path, scorecard_path=None) -> dict:
    """Load, check and build in one call (what the command does before writing)."""
    answers = load_answers(answers_path)
    card = load_scorecard(scorecard_path) if scorecard_path else None
    return build_playbook(
        answers,
        card,
        answers_name=Path(answers_path).name,
        scorecard_name=Path(scorecard_path).name if scorecard_path else None,
    )


# --- the command -------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``playbook`` options: the answers file, an optional scorecard and the output folder."""
    parser.add_argument(
        "--answers",
        required=True,
        metavar="FILE.toml",
        help="the team's agreements (format: python -c 'import alignkit.teamtools.playbook as p; help(p)')",
    )
    parser.add_argument(
        "--scorecard",
        metavar="FILE.json",
        help="alignkit scorecard --format json output: rates the answers leave out come from it",
    )
    parser.add_argument(
        "--out", metavar="FOLDER", help="write playbook.md and playbook.html here (default: print the Markdown)"
    )


def run(args: argparse.Namespace) -> int:
    """Build the playbook; 0 when written, 2 with one message on stderr (and nothing written) on bad input."""
    from ..outputs import one_line

    try:
        if args.out:
            check_out_folder(args.out, [Path(args.answers), Path(args.scorecard) if args.scorecard else None])
        pb = make_playbook(args.answers, args.scorecard)
        markdown, html_text = render_markdown(pb), render_html(pb)
        if not args.out:
            print(markdown)
            return 0
        written = write_playbook(args.out, markdown, html_text)
    except DataError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(one_line(f"error: {exc.filename or ''}: {exc.strerror or exc}."), file=sys.stderr)
        return 2
    print(
        "Wrote "
        + " and ".join(str(p) for p in written)
        + (f" ({len(pb['warnings'])} point(s) still to agree: see the top of the playbook)." if pb["warnings"] else ".")
    )
    return 0
