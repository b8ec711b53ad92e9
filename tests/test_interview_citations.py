"""Every passage of lessons 1-5 that renders the interview names the paragraph it renders (its line
number in the Russian text, ../shared/seed/interview-albert-chan-ru.txt), and every cited paragraph is
a real paragraph of the interview, so anyone with the interview can check it."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("0[1-5]-*.ipynb"))
INTERVIEW_LINES = 50  # lines of the interview text; its paragraphs are its non-empty lines 1-46
CITE = re.compile(r"paragraphs? (\d+)(?:(?: to | and |–)(\d+))?")


def _cells(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_passages_about_the_interview_name_their_paragraph(path):
    cells = _cells(path)
    for text in cells[1:]:  # the first cell is the title and the objectives
        if not re.search(r"\bChan\b", text) or text.lstrip().startswith(("## Key takeaways", "## Where to read more")):
            continue
        cited = CITE.findall(text)
        assert cited, f"{path.name}: a passage about Chan names no paragraph of the interview:\n{text[:300]}"
        for first, last in cited:
            for number in (int(first), int(last or first)):
                assert 1 <= number <= 46, f"{path.name}: paragraph {number} is not a paragraph of the interview"


def test_from_the_interview_sections_cite_paragraphs():
    for path in LESSONS:
        section = next(t for t in _cells(path) if t.startswith("## From the interview"))
        assert CITE.search(section), path.name
