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
import html
import io

from ..metrics.funnel import STAGE_NAMES, STAGES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:980px;
padding:1.5rem;color:#1d2433;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #dde3ee;
padding-bottom:.2rem}table{border-collapse:collapse;width:100%;margin:.6rem 0}th,td{padding:.3rem .5rem;
border-bottom:1px solid #e6e9f0;text-align:right;vertical-align:top}th:first-child,td:first-child{text-align:left}
th{background:#f4f6fa;font-weight:600}.na{color:#8a5a00}.small{font-size:.85rem;color:#5b6475}
.kpis{display:flex;flex-wrap:wrap;gap:.6rem}.kpi{border:1px solid #dde3ee;border-radius:6px;padding:.5rem .8rem;
min-width:140px}.kpi b{display:block;font-size:1.25rem}.up{color:#1a7f37}.down{color:#b42318}
svg text{font:12px system-ui,sans-serif;fill:#1d2433}ul.notes li{margin:.2rem 0}
@media print{body{max-width:none}}
"""


def esc(value) -> str:
    """HTML-escape any value (quotes too), so text from an export can never become markup."""
    return html.escape("" if value is None else str(value), quote=True)


def fmt(m: dict, shown_once: str | None = None) -> str:
    """A metric as text: 42.1%, 3.2 days, 1,234 ..., or 'n/a' with the reason (unless it is the
    section's reason, shown once above)."""
    v, unit = m.get("value"), m.get("unit", "")
    if v is None:
        if m.get("unavailable") == shown_once:
            return '<span class="na">n/a</span>'
        return f'<span class="na" title="{esc(m.get("unavailable"))}">n/a</span>'
    if unit == "share":
        text = f"{v:.1%}"
    elif unit == "share per month":
        text = f"{v:.2%} / month"
    elif unit == "days":
        text = f"{v:.1f} days"
    elif unit == "hours":
        text = f"{v:.1f} h"
    elif unit == "ratio":
        text = f"{v:.2f} : 1"
    elif unit == "months":
        text = f"{v:.1f} months"
    elif unit == "fraction":
        text = f"{v:.1%}"
    elif unit.startswith("currency"):
        text = f"{v:,.0f}" + (" / month" if unit.endswith("month") else "")
    else:
        text = f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 100 else f"{v:,.1f}"
    return esc(text)


def reason(m: dict, shown_once: str | None = None) -> str:
    """The reason under an unavailable value; nothing when it is the section's reason, shown once above."""
    if m.get("value") is not None or m.get("unavailable") == shown_once:
        return ""
    return f'<div class="small na">{esc(m["unavailable"])}</div>'


def section_reason(card: dict, key: str) -> str:
    """The one reason every metric of a section is unavailable, as a paragraph (or nothing)."""
    why = card.get("unavailable", {}).get(key)
    return f"<p class='na'>Not available: {esc(why)}.</p>" if why else ""


def bars(items: list[tuple[str, float | None, str]], width: int = 640) -> str:
    """Horizontal bars: (label, value, text shown after the bar); a None value draws no bar."""
    if not items:
        return ""
    row, label_w = 24, 170
    top = max((v for _, v, _ in items if v is not None), default=0) or 1
    height = row * len(items) + 6
    parts = [f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value, text) in enumerate(items):
        y = i * row + 3
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(f'<text x="0" y="{y + 15}"><title>{esc(label)}</title>{esc(short)}</text>')
        w = 0 if value is None else max(1.0, (width - label_w - 110) * value / top)
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 8}" fill="#3a6ea5" rx="2"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}">{esc(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(head: list[str], rows: list[list[str]]) -> str:
    """Rows are already-escaped HTML cells; the header is escaped here."""
    out = ["<table><thead><tr>", *[f"<th>{esc(h)}</th>" for h in head], "</tr></thead><tbody>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows]
    out.append("</tbody></table>")
    return "".join(out)


def _kpis(items: list[tuple[str, dict]], shown_once: str | None = None) -> str:
    return '<div class="kpis">' + "".join(
        f'<div class="kpi"><span class="small">{esc(k)}</span>'
        f'<b>{fmt(m, shown_once)}</b>{reason(m, shown_once)}</div>'
        for k, m in items) + "</div>"


def _change(entry: dict) -> str:
    c = entry.get("change")
    if c is None:
        return '<span class="na">n/a</span>'
    unit = entry["before"]["unit"]
    text = f"{c:+.1%}".replace("%", " pts") if unit == "share" else f"{c:+,.1f}"
    return esc(text)


def render(card: dict, title: str = "Sales and marketing scorecard") -> str:
    """The whole report as one HTML string."""
    p = [f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
         f'<meta name="viewport" content="width=device-width,initial-scale=1">'
         f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
         f'img-src data:">'
         f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"]
    files = ", ".join(f"{esc(k)}: {esc(v)}" for k, v in card["files"].items())
    span = (f"Leads created {esc(card['leads_from'])} to {esc(card['leads_to'])}" if card["leads_from"] else
            f"Deals only (created {esc(card.get('deals_from', '?'))} to {esc(card.get('deals_to', '?'))})")
    p.append(f"<h1>{esc(title)}</h1><p class='small'>From {files}. {span}; figures as of {esc(card['as_of'])}. "
             f"Made on this computer from the export: no data was sent anywhere.</p>")
    notes = card["data_quality"]["notes"]
    if notes:
        p.append("<h2>About the data</h2><ul class='notes'>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")

    why = card.get("unavailable", {})
    p.append("<h2>Funnel</h2>")
    if card["leads_from"] is None:
        p.append(section_reason(card, "funnel"))
    else:
        funnel = [f for f in card["funnel"] if f.get("recorded", "recorded") != "not recorded"]
        left_out = [f["name"] for f in card["funnel"] if f.get("recorded") == "not recorded"]
        p.append("<p class='small'>Leads that reached each stage the export records. Conversion = leads at the "
                 "stage ÷ leads at the stage before; days = median days from the stage before, among leads with "
                 "both dates. A stage marked <i>implied</i> has no date or name of its own in the export: it counts "
                 "the leads whose current stage is later.</p>")
        if left_out:
            p.append(f"<p class='small'>Not shown, because the export does not record them (no column, date or "
                     f"stage name stands for them): {esc(', '.join(left_out))}.</p>")
        p.append(bars([(f["name"] + (" (implied)" if f.get("recorded") == "implied" else ""), f["leads"],
                        f"{f['leads']:,}") for f in funnel]))
        rows = []
        for prev, f in zip([None, *funnel[:-1]], funnel, strict=True):
            step = f"{prev['stage']}→{f['stage']}" if prev else None
            conv = fmt(card["conversion"][step]) + reason(card["conversion"][step]) if step else ""
            days = fmt(card["velocity_days"][step]) + reason(card["velocity_days"][step]) if step else ""
            name = esc(f["name"]) + (" <i class='small'>(implied)</i>" if f.get("recorded") == "implied" else "")
            rows.append([name, esc(f["owner"]), esc(f"{f['leads']:,}"), esc(f"{f['with_date']:,}"), conv, days])
        p.append(_table(["stage", "owner", "leads", "with a date", "conversion from previous", "days from previous"],
                        rows))
        if len(funnel) > 1:
            whole: str | None = f"{funnel[0]['stage']}→{funnel[-1]['stage']}"
            p.append(f"<p>Whole funnel, {esc(funnel[0]['name'])} to {esc(funnel[-1]['name'])}: "
                     f"<b>{fmt(card['conversion'][whole])}</b></p>")

    p.append("<h2>By channel</h2>")
    chans = card["by_channel"]
    if not chans:
        p.append(section_reason(card, "by_channel"))
    else:
        funnel = [f for f in card["funnel"] if f.get("recorded", "recorded") != "not recorded"]
        stages = [f["stage"] for f in funnel]
        steps = [f"{a}→{b}" for a, b in zip(stages[:-1], stages[1:], strict=True)]
        whole = f"{stages[0]}→{stages[-1]}" if len(stages) > 1 else None
        won_share = [c["conversion"][whole]["value"] if whole else None for c in chans]
        p.append(bars([(c["channel"], v, "n/a" if v is None else f"{v:.1%}") for c, v in zip(chans, won_share, strict=True)]))
        p.append(f"<p class='small'>Bars: share of the channel's {esc(STAGE_NAMES[stages[0]])} leads that reached "
                 f"{esc(STAGE_NAMES[stages[-1]])}.</p>")
        rows = [[esc(c["channel"]), *[esc(f"{c['funnel'][s]:,}") for s in stages],
                 fmt(c["conversion"][whole]) if whole else "", fmt(c["win_rate"]), fmt(c.get("cac", {"value": None})),
                 fmt(c.get("ltv_to_cac", {"value": None, "unavailable": "no revenue for this channel"}))] for c in chans]
        p.append(_table(["channel", *[STAGE_NAMES[s] for s in stages], whole or "", "win rate", "CAC", "LTV:CAC"],
                        rows))
        rows = [[esc(c["channel"]), *[fmt(c["conversion"][st]) for st in steps]] for c in chans]
        p.append("<h3>Conversion by step and channel</h3>")
        labels = [f"{STAGE_NAMES[a]}→{STAGE_NAMES[b]}" for a, b in (st.split("→") for st in steps)]
        p.append(_table(["channel", *labels], rows))
        rows = [[esc(c["channel"]), *[fmt(c["velocity_days"][st]) for st in steps]] for c in chans]
        p.append("<h3>Median days by step and channel</h3>")
        p.append(_table(["channel", *labels], rows))

    h = card.get("handoff")
    if h and card["leads_from"] is not None:
        p.append("<h2>Hand-off: accepted or rejected</h2><p class='small'>Of the MQLs marketing handed over, those "
                 "sales accepted (agreed to work: they reached SAL) and those it rejected (a status such as "
                 "Unqualified). Acceptance is a decision, whatever the hour; how fast sales answers is the "
                 "response time below, a separate promise.</p>")
        p.append(section_reason(card, "handoff"))
        p.append(_kpis([("MQLs", h["mqls"]), ("accepted", h["accepted"]), ("rejected", h["rejected"]),
                        ("awaiting a decision", h["undecided"]), ("acceptance rate", h["acceptance_rate"]),
                        ("rejection rate", h["rejection_rate"])], why.get("handoff")))

    r = card["response"]
    p.append("<h2>Response time and leakage</h2><p class='small'>Hours from MQL to a seller's first touch; "
             "leakage = share of MQLs at least 14 days old never contacted.</p>")
    p.append(section_reason(card, "response"))
    p.append(_kpis([("median response", r["median_hours"]), ("within 1 hour", r["within_1h"]),
                    ("within 24 hours", r["within_24h"]), ("leakage", r["leakage"]), ("MQLs counted", r["mqls_counted"])],
                   why.get("response")))

    d = card["deals"]
    p.append("<h2>Deals</h2><p class='small'>Win rate = won ÷ (won + lost); deal size = mean amount of won deals; "
             "value won = their total; sales cycle = median days from deal created to won (and to won or lost, "
             "for all closed deals).</p>")
    p.append(section_reason(card, "deals"))
    items = [("win rate", d["win_rate"]), ("average deal size", d["average_deal_size"])]
    items += [("value won", d["value_won"])] if "value_won" in d else []
    items += [("sales cycle (won)", d["sales_cycle_days"])]
    items += [("sales cycle (closed)", d["sales_cycle_closed_days"])] if "sales_cycle_closed_days" in d else []
    items += [("won", d["won"]), ("lost", d["lost"]), ("open", d["open"])]
    p.append(_kpis(items, why.get("deals")))
    stages = card.get("pipeline_stages") or []
    if stages:
        p.append("<h3>Deals by pipeline stage</h3><p class='small'>The export's own stage names, and the outcome "
                 "each one counts as.</p>")
        p.append(_table(["stage", "counts as", "deals"],
                        [[esc(x["stage"]), esc(x["outcome"]), esc(f"{x['deals']:,}")] for x in stages]))
    late = card.get("dates_out_of_order") or {}
    if any(v["count"] for v in late.values()):
        p.append("<h3>Dates out of order</h3><p class='small'>A stage dated before an earlier one, before the lead "
                 "was created or a win before the first contact; a deal closed before it was created. These are "
                 "left out of the figures they would distort (velocity, response time, sales cycle) and counted "
                 "everywhere else. Correct them in the CRM.</p>")
        for what, v in late.items():
            if not v["count"]:
                continue
            more = v["count"] - len(v["items"])
            p.append(f"<p><b>{v['count']:,} {esc(what)}</b> (left out of the {esc(v['left_out_of'])}):</p>")
            p.append(_table(["id", "row", "problem"], [[esc(i["id"]), esc(i["row"]), esc(i["problem"])]
                                                       for i in v["items"]]))
            if more > 0:
                p.append(f"<p class='small'>and {more:,} more (the JSON and this list show the first "
                         f"{len(v['items'])}).</p>")

    e = card["economics"]
    p.append("<h2>Acquisition cost and customer value</h2><p class='small'>CAC = spend ÷ customers won in the months "
             "the spend covers; LTV = monthly revenue × gross margin ÷ monthly churn; a healthy LTV:CAC is "
             f"{e['ltv_to_cac_rule']:g} : 1 or more (David Skok).</p>")
    p.append(section_reason(card, "economics"))
    p.append(_kpis([("CAC", e["cac"]), ("LTV", e["ltv"]), ("LTV:CAC", e["ltv_to_cac"]),
                    ("payback", e["payback_months"]), ("spend", e["spend"]), ("new customers", e["new_customers"]),
                    ("monthly revenue per customer", e["arpa_monthly"]), ("gross margin", e["gross_margin"]),
                    ("monthly churn", e["monthly_churn"])], why.get("economics")))

    ba = card["before_after"]
    p.append("<h2>Before and after the change</h2>")
    if ba.get("unavailable"):
        p.append(f"<p class='na'>{esc(ba['unavailable'])}</p>")
    else:
        p.append(f"<p class='small'>Leads created before {esc(ba['change_date'])} "
                 f"({ba['months']['before']:.1f} months) against leads created from that day "
                 f"({ba['months']['after']:.1f} months). {esc(ba['caution'].capitalize())}.</p>")
        rows = [[esc(k), fmt(v["before"]), fmt(v["after"]), _change(v)] for k, v in ba["metrics"].items()]
        p.append(_table(["measure", "before", "after", "change"], rows))
    p.append("<p class='small'>Made with alignkit (the Sales &amp; Marketing Alignment Playbook course).</p>")
    p.append("</body></html>")
    return "".join(p)


def safe_cell(value):
    """A cell for a CSV a spreadsheet will open: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def channel_rows(card: dict) -> list[list]:
    """The by-channel table: one row per channel, with counts, rates and costs (blank where unavailable)."""
    head = ["channel", *[f"{s} leads" for s in STAGES], *[f"{a}→{b}" for a, b in zip(STAGES[:-1], STAGES[1:], strict=True)],
            "inquiry→won", "win rate", "cac"]
    rows: list[list] = [head]
    kept = {f["stage"] for f in card["funnel"] if f.get("recorded", "recorded") != "not recorded"}
    for c in card["by_channel"]:
        rows.append([c["channel"], *[c["funnel"][s] if s in kept else None for s in STAGES],
                     *[c["conversion"][f"{a}→{b}"]["value"] for a, b in zip(STAGES[:-1], STAGES[1:], strict=True)],
                     c["conversion"]["inquiry→won"]["value"], c["win_rate"]["value"],
                     c.get("cac", {}).get("value")])
    return rows


def channel_csv(card: dict) -> str:
    """The by-channel table as CSV text, safe to open in a spreadsheet."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in channel_rows(card):
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return buf.getvalue()
