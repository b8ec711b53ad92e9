"""The ``alignkit`` command: ``alignkit scorecard`` (a team's own CRM export) and ``alignkit playbook``.

    alignkit scorecard --leads contacts.csv --deals deals.csv --preset hubspot \\
        --change-date 2025-10-01 --out scorecard.html

Bad input of any kind ends with exit status 2 and one message that names the file, the column,
the row(s) and what was expected; no output file is written then. Output files are written to a
temporary file in the same folder and renamed, so a reader never sees half a report.
Everything runs on this computer: the command opens no network connection.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    """The command line itself is wrong (argparse would exit; we report it the same way as bad data)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 2 with one line, as for bad data, instead of argparse's usage dump
        raise UsageError(f"{self.prog}: {message}")


def _change_date(text: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date as YYYY-MM-DD") from None


def add_scorecard_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``scorecard`` options: the export files, the mapping or preset, the change date and the outputs."""
    p.add_argument(
        "--leads", metavar="FILE", help="leads or contacts export (.csv or .xlsx); without it, the deal figures only"
    )
    p.add_argument("--deals", metavar="FILE", help="deals or opportunities export (.csv or .xlsx)")
    p.add_argument("--spend", metavar="FILE", help="marketing and sales spend by channel and month")
    p.add_argument("--revenue", metavar="FILE", help="customers' monthly revenue, start and churn dates")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--mapping", metavar="FILE", help='TOML mapping file (may extends = "hubspot")')
    which.add_argument("--preset", metavar="NAME", help="a shipped mapping: hubspot, salesforce or pipedrive")
    p.add_argument(
        "--change-date",
        type=_change_date,
        metavar="YYYY-MM-DD",
        help="compare leads created before this day with leads created from it",
    )
    p.add_argument("--out", metavar="report.html", help="write the HTML report here")
    p.add_argument("--csv", metavar="channels.csv", help="write the by-channel table here (safe for spreadsheets)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="what to print (default: text)")


def build_parser(with_playbook: bool = False) -> argparse.ArgumentParser:
    """The command line: one subcommand per entry of :data:`SUBCOMMANDS` (name -> help, arguments,
    runner), plus ``playbook``, whose arguments come from :mod:`alignkit.teamtools.playbook`. To add a
    subcommand, add an entry to SUBCOMMANDS."""
    parser = _Parser(prog="alignkit", description="The Sales & Marketing Alignment Playbook, on your own data.")
    names = [*SUBCOMMANDS, "playbook"]
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(names) + "}", parser_class=_Parser)
    sub.required = True
    for name, (help_text, add_arguments, _) in SUBCOMMANDS.items():
        add_arguments(sub.add_parser(name, help=help_text))
    play = sub.add_parser("playbook", help="write the team's playbook (alignkit.teamtools.playbook)")
    if with_playbook:
        import importlib

        playbook = importlib.import_module("alignkit.teamtools.playbook")
        playbook.add_arguments(play)
    else:
        play.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def _out_path(path: str | None, flag: str) -> tuple[str, Path] | None:
    return None if path is None else (f"{flag} {path}", Path(path))


def summary_text(card: dict) -> str:
    """A few lines for the terminal: the funnel, the weakest step and the money."""
    said: set[str] = set()

    def show(m):
        v = m["value"]
        if v is None:
            why = m["unavailable"]
            if why in said:  # one reason is shown once
                return "unavailable (as above)"
            said.add(why)
            return "unavailable (" + why + ")"
        u = m["unit"]
        return (
            f"{v:.1%}"
            if u in ("share", "fraction")
            else f"{v:.1f} {u}"
            if u in ("days", "hours", "months")
            else f"{v:.2f}:1"
            if u == "ratio"
            else f"{v:,.0f}"
        )

    if card["leads_from"] is not None:
        lines = [
            f"Scorecard of {card['files'].get('leads')} — leads {card['leads_from']} to {card['leads_to']}, "
            f"as of {card['as_of']}"
        ]
        shown = [f for f in card["funnel"] if f.get("recorded", "recorded") != "not recorded"]
        lines.append(
            "Funnel: "
            + " → ".join(
                f"{f['name']}{' (implied)' if f.get('recorded') == 'implied' else ''} {f['leads']:,}" for f in shown
            )
        )
        if len(shown) > 1:
            whole = f"{shown[0]['stage']}→{shown[-1]['stage']}"
            lines.append(f"Conversion {shown[0]['name']}→{shown[-1]['name']}: " + show(card["conversion"][whole]))
    else:
        lines = [
            f"Scorecard of {card['files'].get('deals')} (deals only), as of {card['as_of']}",
            "Funnel: unavailable (" + card["unavailable"]["funnel"] + ")",
        ]
        said.add(card["unavailable"]["funnel"])
    for key, label in (
        ("win_rate", "Win rate"),
        ("average_deal_size", "Average deal size"),
        ("value_won", "Value won"),
        ("sales_cycle_days", "Sales cycle (won)"),
        ("sales_cycle_closed_days", "Sales cycle (closed)"),
    ):
        lines.append(f"{label}: {show(card['deals'][key])}")
    if card.get("pipeline_stages"):
        lines.append("Deals by stage: " + ", ".join(f"{x['stage']} {x['deals']:,}" for x in card["pipeline_stages"]))
    lines.append("Response time (median): " + show(card["response"]["median_hours"]))
    lines.append("Leakage: " + show(card["response"]["leakage"]))
    lines.append("CAC: " + show(card["economics"]["cac"]))
    lines.append("LTV:CAC: " + show(card["economics"]["ltv_to_cac"]))
    for note in card["data_quality"]["notes"]:
        lines.append("Note: " + note)
    from alignkit.outputs import one_line

    return "\n".join(one_line(line) for line in lines)  # cell text never reaches the terminal as a command


def run_scorecard(args: argparse.Namespace) -> int:
    """Run ``alignkit scorecard``: write the report and CSV asked for, print the summary or JSON; the exit status."""
    from alignkit.outputs import check_outputs, write_together
    from alignkit.teamtools import scorecard, scorecard_html
    from alignkit.teamtools.crm import load_export, load_mapping

    mapping = load_mapping(args.mapping, args.preset) if args.mapping else load_mapping(preset=args.preset)
    given = {"leads": args.leads, "deals": args.deals, "spend": args.spend, "revenue": args.revenue}
    inputs = [Path(p) for p in given.values() if p is not None]
    inputs += [f for name, p in given.items() if p is None and (f := mapping.file(name)) is not None]
    inputs += [Path(p) for p in mapping.sources]
    outputs = [o for o in (_out_path(args.out, "--out"), _out_path(args.csv, "--csv")) if o is not None]
    check_outputs(outputs, inputs)  # before any work: an output never replaces an input or a special file
    out, csv_out = (Path(args.out) if args.out else None), (Path(args.csv) if args.csv else None)
    crm = load_export(mapping, leads=args.leads, deals=args.deals, spend=args.spend, revenue=args.revenue)
    card = scorecard.compute(crm, change_date=args.change_date)
    html_text = scorecard_html.render(card) if out else None
    csv_text = scorecard_html.channel_csv(card) if csv_out else None
    printed = (
        json.dumps(card, ensure_ascii=False, allow_nan=False, indent=2) if args.format == "json" else summary_text(card)
    )
    write_together([(p, t) for p, t in ((out, html_text), (csv_out, csv_text)) if p is not None and t is not None])
    print(printed)
    return EXIT_OK


def run_playbook(argv: list[str]) -> int:
    """Run ``alignkit playbook`` with these arguments (:func:`alignkit.teamtools.playbook.run`); the exit status."""
    import importlib

    playbook = importlib.import_module("alignkit.teamtools.playbook")
    args = build_parser(with_playbook=True).parse_args(argv)
    return int(playbook.run(args) or 0)


def _verify_arguments(p: argparse.ArgumentParser) -> None:
    from alignkit.ui.assessment import add_verify_arguments

    add_verify_arguments(p)


def _run_verify(args) -> int:
    from alignkit.ui.assessment import run_verify

    return run_verify(args)


# name -> (help, function adding its arguments to a parser, function running it with the parsed args)
SUBCOMMANDS = {
    "scorecard": ("the scorecard of your own CRM export", add_scorecard_arguments, run_scorecard),
    "verify": ("check a completion record's code (the final assessment)", _verify_arguments, _run_verify),
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``alignkit``; returns the exit status (0 ok, 2 bad input, 1 unexpected error)."""
    from alignkit.errors import DataError
    from alignkit.outputs import one_line

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "playbook":
            return run_playbook(argv)
        args = build_parser().parse_args(argv)
        return SUBCOMMANDS[args.command][2](args)
    except (UsageError, DataError) as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PermissionError as exc:
        print(one_line(f"error: {exc.filename}: permission denied ({exc.strerror})."), file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(one_line(f"error: {exc.filename or ''}: {exc.strerror or exc}."), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (RecursionError, MemoryError) as exc:  # a hostile file nested or sized beyond reason
        print(
            f"error: the input is nested too deeply or is too large to read ({exc.__class__.__name__}); "
            f"nothing was written.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing was written.", file=sys.stderr)
        return 130
    except SystemExit as exc:  # --help prints and exits 0
        return int(exc.code or 0)
    except Exception as exc:  # a bug, not bad input: one line, the traceback only on request
        if os.environ.get("ALIGNKIT_DEBUG"):
            raise
        print(
            one_line(
                f"internal error ({exc.__class__.__name__}: {exc}); set ALIGNKIT_DEBUG=1 to see where, and please "
                f"report it."
            ),
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
