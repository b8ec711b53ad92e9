"""The printable handouts: each template and agenda as A4 and Letter PDFs (src/alignkit/build/handouts.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from alignkit.build.handouts import CHROMIUM, HANDOUTS, PAPER
from tests.test_editions import build_site

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
# Page sizes in PostScript points
SIZES = {"a4": (595, 842), "letter": (612, 792)}


def site() -> Path:
    """The learner site (``make test`` builds it first)."""
    return build_site("learner")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Print with the command a facilitator runs, in its own process (the browser tests may hold a
    Playwright session open in this one)."""
    out = tmp_path_factory.mktemp("handouts")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "alignkit.build.handouts",
            "--site",
            str(site()),
            "--out",
            str(out),
            "--set",
            "templates",
        ],  # the practice kits: tests/test_practice.py
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    written = sorted(out.rglob("*.pdf"))
    return out, written


def test_every_handout_is_printed_in_both_sizes(pdfs):
    out, written = pdfs
    assert sorted(written) == sorted(out / folder / f"{h.name}.pdf" for h in HANDOUTS for folder in PAPER)


@pytest.mark.parametrize("folder", PAPER)
@pytest.mark.parametrize("handout", HANDOUTS, ids=lambda h: h.name)
def test_handout_pages_size_and_text(pdfs, handout, folder):
    reader = PdfReader(pdfs[0] / folder / f"{handout.name}.pdf")
    assert len(reader.pages) == handout.pages, f"{handout.name} ({folder}) prints on {len(reader.pages)} pages"
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(width - SIZES[folder][0]) < 2 and abs(height - SIZES[folder][1]) < 2
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert handout.must_say in text
    # printed without the site's navigation, search box or footer
    for chrome in ("Search", "Skip to main content", "Previous", "By The Alignment Playbook authors"):
        assert chrome not in text, f"{chrome!r} printed on {handout.name}"
