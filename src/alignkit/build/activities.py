"""Each lesson's workshop activity, read from the lesson, and its facilitator notes.

A lesson's activity is its "## Workshop activity: title (N minutes, ...)" cell; its facilitator notes
are the entries of ``workshop/solutions/NN-name.yml`` anchored on that cell. The facilitator guide
shows them with the ``{activity}`` directive (:mod:`alignkit.build.directives`).
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import paths
from .agendas import lesson_link
from .editions import SOLUTIONS_DIR, load_extras

_ACTIVITY_HEADING = re.compile(r"##\s+Workshop activity:\s*(?P<title>[^(\n]+?)\s*\((?P<min>\d+)\s+minutes[^\n]*\n")


def lesson_activity(number: int, notebooks: Path | None = None) -> tuple[str, int, str] | None:
    """A lesson's workshop activity as (title, minutes, Markdown body); None if it has none yet."""
    notebooks = paths.notebooks_dir() if notebooks is None else notebooks
    import nbformat

    for path in sorted(Path(notebooks).glob(f"{number:02d}-*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            m = _ACTIVITY_HEADING.match(cell.source)
            if cell.cell_type == "markdown" and m:
                return m.group("title"), int(m.group("min")), cell.source[m.end() :].strip()
    return None


# A facilitator note's "What good looks like" paragraph (also "What good answers look like."), up to the
# next bold lead-in or the end of the note.
GOOD_ANSWERS = re.compile(r"^\*\*What good (?:answers )?looks? like[:.]?\*\*.*?(?=^\*\*|\Z)", re.MULTILINE | re.DOTALL)


def activity_notes(number: int, notebooks: Path | None = None, solutions_dir: Path | None = None) -> list[str]:
    """The facilitator notes for a lesson's workshop activity: the ``facilitator`` text of every entry
    of ``workshop/solutions/NN-name.yml`` anchored on the lesson's "Workshop activity" cell."""
    notebooks = paths.notebooks_dir() if notebooks is None else notebooks
    import nbformat

    for path in sorted(Path(notebooks).glob(f"{number:02d}-*.ipynb")):
        cell = next(
            (
                c.source
                for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "markdown" and _ACTIVITY_HEADING.match(c.source)
            ),
            None,
        )
        if cell is None:
            continue
        return [
            e["facilitator"].strip()
            for e in load_extras(path.name, solutions_dir or SOLUTIONS_DIR)
            if e.get("facilitator") and e["after"] in cell
        ]
    return []


def activity_markdown(number: int, facilitator: bool, docs=None, solutions_dir: Path | None = None) -> str:
    """The lesson's activity, as the guide shows it: group size, materials, steps and debrief from the
    lesson itself; in the facilitator edition only, the "What good looks like" paragraph of the activity's
    facilitator note in ``workshop/solutions/`` (the learner edition of the lesson never holds it)."""
    found = lesson_activity(number)
    if found is None:
        raise ValueError(f"lesson {number} has no workshop activity yet.")
    title, minutes, body = found
    steps = GOOD_ANSWERS.sub("", body).strip()  # a paragraph still in the lesson never reaches learners here
    out = [f"**{title[0].upper()}{title[1:]}**, {minutes} minutes, from {lesson_link(number, docs)}.", "", steps]
    if facilitator:
        good = [
            m.group(0).strip()
            for note in activity_notes(number, solutions_dir=solutions_dir)
            for m in GOOD_ANSWERS.finditer(note)
        ]
        if not good and (m := GOOD_ANSWERS.search(body)):  # a paragraph not yet moved to the lesson's YAML
            good = [m.group(0).strip()]
        for paragraph in good:
            out += ["", paragraph]
    return "\n".join(out)
