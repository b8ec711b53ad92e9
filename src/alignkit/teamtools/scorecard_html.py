"""The scorecard as one self-contained HTML page, and its channel table as a safe CSV.

:func:`render` turns the dict of :func:`alignkit.teamtools.scorecard.compute` into a single HTML file that opens
offline: inline CSS, inline SVG bars and plain tables; no script, font, image or link to load.
Every value that came from the export (channel and campaign names, file names, notes) is
HTML-escaped, so a ``<script>`` in a campaign name is shown as text.

:func:`channel_csv` writes the by-channel table for a spreadsheet. A text cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a spreadsheet
shows it as text instead of running it as a formula (OWASP, "CSV injection").
"""

from __future__ import annotations

import csv
import io

from ..metrics.funnel import STAGE_NAMES, STAGES
from . import templates

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def metric_text(m: dict) -> str:
    """A known metric as text: 42.1%, 3.2 days, 1,234 ... (the template shows 'n/a' and the reason when
    the metric is unavailable)."""
    v, unit = m["value"], m.get("unit", "")
    if unit == "share":
        return f"{v:.1%}"
    if unit == "share per month":
        return f"{v:.2%} / month"
    if unit == "days":
        return f"{v:.1f} days"
    if unit == "hours":
        return f"{v:.1f} h"
    if unit == "ratio":
        return f"{v:.2f} : 1"
    if unit == "months":
        return f"{v:.1f} months"
    if unit == "fraction":
        return f"{v:.1%}"
    if unit.startswith("currency"):
        return f"{v:,.0f}" + (" / month" if unit.endswith("month") else "")
    return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 100 else f"{v:,.1f}"


def change_text(entry: dict) -> str:
    """The change of one before/after measure: percentage points for a share, else the difference."""
    c = entry["change"]
    return f"{c:+.1%}".replace("%", " pts") if entry["before"]["unit"] == "share" else f"{c:+,.1f}"


def bars(items: list[tuple[str, float | None, str]], width: int = 640) -> dict | None:
    """The geometry of horizontal bars: (label, value, text shown after the bar); a None value draws
    no bar. The template draws them as inline SVG."""
    if not items:
        return None
    row, label_w = 24, 170
    top = max((v for _, v, _ in items if v is not None), default=0) or 1
    return {
        "width": width,
        "height": row * len(items) + 6,
        "label_width": label_w,
        "bar_height": row - 8,
        "bars": [
            {
                "y": i * row + 3,
                "label": label,
                "short": label if len(label) <= 26 else label[:25] + "…",
                "width": 0 if value is None else max(1.0, (width - label_w - 110) * value / top),
                "text": text,
            }
            for i, (label, value, text) in enumerate(items)
        ],
    }


def _funnel(card: dict) -> dict:
    """What the funnel section shows: the recorded stages, their rows and bars."""
    funnel = [f for f in card["funnel"] if f.get("recorded", "recorded") != "not recorded"]
    steps = [
        f"{prev['stage']}→{f['stage']}" if prev else None for prev, f in zip([None, *funnel], funnel, strict=False)
    ]
    return {
        "left_out": [f["name"] for f in card["funnel"] if f.get("recorded") == "not recorded"],
        "chart": bars(
            [
                (f["name"] + (" (implied)" if f.get("recorded") == "implied" else ""), f["leads"], f"{f['leads']:,}")
                for f in funnel
            ]
        ),
        "rows": [{"stage": f, "step": step} for f, step in zip(funnel, steps, strict=True)],
        "whole": f"{funnel[0]['stage']}→{funnel[-1]['stage']}" if len(funnel) > 1 else None,
        "first": funnel[0] if funnel else None,
        "last": funnel[-1] if funnel else None,
    }


def _channels(card: dict) -> dict | None:
    """What the by-channel section shows: the stages and steps of its tables, and its bars."""
    chans = card["by_channel"]
    if not chans:
        return None
    stages = [f["stage"] for f in card["funnel"] if f.get("recorded", "recorded") != "not recorded"]
    steps = [f"{a}→{b}" for a, b in zip(stages[:-1], stages[1:], strict=True)]
    whole = f"{stages[0]}→{stages[-1]}" if len(stages) > 1 else None
    won_share = [c["conversion"][whole]["value"] if whole else None for c in chans]
    step_labels = [f"{STAGE_NAMES[a]}→{STAGE_NAMES[b]}" for a, b in (st.split("→") for st in steps)]
    return {
        "stages": stages,
        "steps": steps,
        "whole": whole,
        "first_stage": STAGE_NAMES[stages[0]],
        "last_stage": STAGE_NAMES[stages[-1]],
        "chart": bars(
            [(c["channel"], v, "n/a" if v is None else f"{v:.1%}") for c, v in zip(chans, won_share, strict=True)]
        ),
        "head": ["channel", *[STAGE_NAMES[s] for s in stages], whole or "", "win rate", "CAC", "LTV:CAC"],
        "step_head": ["channel", *step_labels],
    }


def render(card: dict, title: str = "Sales and marketing scorecard") -> str:
    """The whole report as one HTML string (the template ``templates/scorecard.html.j2``)."""
    d = card["deals"]
    deal_items = [("win rate", d["win_rate"]), ("average deal size", d["average_deal_size"])]
    deal_items += [("value won", d["value_won"])] if "value_won" in d else []
    deal_items += [("sales cycle (won)", d["sales_cycle_days"])]
    deal_items += [("sales cycle (closed)", d["sales_cycle_closed_days"])] if "sales_cycle_closed_days" in d else []
    deal_items += [("won", d["won"]), ("lost", d["lost"]), ("open", d["open"])]
    late = [(what, v) for what, v in (card.get("dates_out_of_order") or {}).items() if v["count"]]
    return templates.render(
        "scorecard.html.j2",
        card=card,
        title=title,
        funnel=_funnel(card),
        channels=_channels(card),
        deal_items=deal_items,
        late=late,
        metric_text=metric_text,
        change_text=change_text,
    )


def safe_cell(value):
    """A cell for a CSV a spreadsheet will open: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def channel_rows(card: dict) -> list[list]:
    """The by-channel table: one row per channel, with counts, rates and costs (blank where unavailable)."""
    head = [
        "channel",
        *[f"{s} leads" for s in STAGES],
        *[f"{a}→{b}" for a, b in zip(STAGES[:-1], STAGES[1:], strict=True)],
        "inquiry→won",
        "win rate",
        "cac",
    ]
    rows: list[list] = [head]
    kept = {f["stage"] for f in card["funnel"] if f.get("recorded", "recorded") != "not recorded"}
    for c in card["by_channel"]:
        rows.append(
            [
                c["channel"],
                *[c["funnel"][s] if s in kept else None for s in STAGES],
                *[c["conversion"][f"{a}→{b}"]["value"] for a, b in zip(STAGES[:-1], STAGES[1:], strict=True)],
                c["conversion"]["inquiry→won"]["value"],
                c["win_rate"]["value"],
                c.get("cac", {}).get("value"),
            ]
        )
    return rows


def channel_csv(card: dict) -> str:
    """The by-channel table as CSV text, safe to open in a spreadsheet."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in channel_rows(card):
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return buf.getvalue()
