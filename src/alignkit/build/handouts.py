"""Print the workshop handouts as PDF, in A4 and Letter, from the built site.

``python -m alignkit.build.handouts`` opens each handout page of the built site (``_build/html`` by
default) in headless Chromium and prints it with the site's print stylesheet
(``book/templates/alignkit-print.css``: no navigation, sidebars or buttons). It writes
``_build/handouts/a4/<name>.pdf`` and ``_build/handouts/letter/<name>.pdf``.

:data:`HANDOUTS` lists the templates and agendas, :data:`PRACTICE` the role-play kits and the On
Monday checklists, each with how many sheets it prints on; a page that spills onto another sheet is a
defect, and the tests in ``tests/test_handouts.py`` and ``tests/test_practice.py`` catch it.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .. import paths

REPO = paths.root()
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PAPER = {"a4": "A4", "letter": "Letter"}


@dataclass(frozen=True)
class Handout:
    """One printable handout: the site page it prints and what the printed page must show."""

    name: str  # the PDF's file name, without .pdf
    page: str  # the page in the built site, without .html
    pages: int  # sheets it prints on, A4 and Letter alike
    must_say: str  # text the printed page must contain


HANDOUTS = (
    Handout("definitions-agreement", "book/templates/definitions-agreement", 1, "The MQL bar"),
    Handout("sla-sheet", "book/templates/sla-sheet", 1, "MQLs marketing owes sales per month"),
    Handout("okr-sheet", "book/templates/okr-sheet", 1, "Objective score"),
    Handout("meeting-cadence", "book/templates/meeting-cadence", 1, "Joint pipeline review"),
    Handout("raci", "book/templates/raci", 1, "Set the MQL score bar"),
    Handout("change-communication-plan", "book/templates/change-communication-plan", 1, "the critics"),
    Handout("agenda-90-minutes", "book/facilitator/agenda-90-minutes", 1, "Total: 90 minutes"),
    Handout("agenda-half-day", "book/facilitator/agenda-half-day", 2, "Total: 240 minutes"),
    Handout("agenda-full-day", "book/facilitator/agenda-full-day", 3, "Total: 450 minutes"),
)

# The role-play kits (book/practice/) and the On Monday checklists, one role to a sheet or more.
PRACTICE = (
    Handout("kit-first-call", "book/practice/first-call", 2, "Observer’s checklist"),
    Handout("kit-lead-handback", "book/practice/lead-handback", 2, "Observer’s checklist"),
    Handout("kit-launch-brief", "book/practice/launch-brief", 2, "Observer’s checklist"),
    Handout("kit-sla-review", "book/practice/sla-review", 2, "Observer’s checklist"),
    Handout("kit-time-zones", "book/practice/time-zones", 2, "Observer’s checklist"),
    Handout("on-monday", "book/on-monday", 3, "On Monday"),
)
SETS = {"all": HANDOUTS + PRACTICE, "templates": HANDOUTS, "practice": PRACTICE}


def print_handouts(
    site: Path = REPO / "_build" / "html", out: Path = REPO / "_build" / "handouts", handouts=HANDOUTS + PRACTICE
) -> list[Path]:
    """Print every handout in both paper sizes; return the PDFs written."""
    from playwright.sync_api import sync_playwright

    site, out = Path(site).resolve(), Path(out)
    missing = [h.page for h in handouts if not (site / f"{h.page}.html").exists()]
    if missing:
        raise FileNotFoundError(
            f"the built site in {site} lacks {', '.join(missing)}: build it first "
            f"(make book) with the handout pages in _toc.yml."
        )
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.emulate_media(media="print")
            for h in handouts:
                page.goto((site / f"{h.page}.html").as_uri(), wait_until="load")
                for folder, paper in PAPER.items():
                    target = out / folder / f"{h.name}.pdf"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    page.pdf(
                        path=str(target),
                        format=paper,
                        print_background=False,
                        prefer_css_page_size=False,
                        margin={"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                    )
                    written.append(target)
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """The command line: print the handouts of the built site as PDFs."""
    parser = argparse.ArgumentParser(prog="python -m alignkit.build.handouts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html", help="the built site")
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "handouts")
    parser.add_argument(
        "--set",
        choices=SETS,
        default="all",
        help="templates and agendas, the practice kits and checklists, or all (default)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        written = print_handouts(args.site, args.out, SETS[args.set])
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(written)} PDFs in {args.out} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
