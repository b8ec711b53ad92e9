"""Where the course teaches what: the interview's concepts by lesson section, and each role's pathway.

Read from the lessons themselves, so the map cannot drift from them: a lesson section teaches a
concept when its text names the concept's id (C1 to C17), as every "From the interview" section
and the steps that build on it do.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..ui import course
from .notebooks import NOTEBOOK_DIR

CONCEPT_ID = re.compile(r"\bC(1[0-7]|[1-9])\b")


@dataclass(frozen=True)
class Section:
    """One section of a lesson: its heading, anchor and the concepts it names."""

    lesson: str  # notebook stem, e.g. "03-one-journey-shared-metrics"
    number: int  # module number
    title: str  # heading text
    anchor: str  # the id Sphinx gives the heading
    concepts: tuple[str, ...]


def written_lessons() -> list[Path]:
    """The notebooks of the modules marked written in the course map, in course order."""
    return [NOTEBOOK_DIR / f"{m.page.split('/')[-1]}.ipynb" for m in course.MODULES if m.written]


def heading_anchor(title: str) -> str:
    """The id docutils gives a section heading: lower case, runs of other characters become '-'."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def lesson_sections(path: Path) -> list[Section]:
    """The ``##`` sections of one lesson with the concept ids each names."""
    nb = nbformat.read(path, as_version=4)
    number = int(path.name[:2])
    sections: list[Section] = []
    title: str | None = None
    text: list[str] = []

    def close():
        if title is not None:
            found = sorted(set(CONCEPT_ID.findall("\n".join(text))), key=int)
            sections.append(Section(path.stem, number, title, heading_anchor(title), tuple(f"C{c}" for c in found)))

    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("## "):
                close()
                title, text = line[3:].strip(), []
            elif title is not None:
                text.append(line)
    close()
    return sections


def concept_map(paths: list[Path] | None = None) -> dict[str, list[Section]]:
    """Concept id -> the lesson sections that teach it, in course order."""
    found: dict[str, list[Section]] = {c: [] for c in course.CONCEPTS}
    for path in paths or written_lessons():
        for section in lesson_sections(path):
            for c in section.concepts:
                found[c].append(section)
    return found


def concept_map_html(prefix: str = "../notebooks/") -> str:
    """The concept map as an HTML table with links to the sections."""
    rows = []
    for cid, sections in concept_map().items():
        links = "<br>".join(
            f'<a href="{prefix}{s.lesson}.html#{s.anchor}">{s.number} · {html.escape(s.title)}</a>' for s in sections
        )
        rows.append(
            f"<tr><td><strong>{cid}</strong></td><td>{html.escape(course.CONCEPTS[cid])}</td>"
            f"<td>{links or '<em>not yet taught</em>'}</td></tr>"
        )
    return (
        '<table class="alignkit-map"><thead><tr><th>Id</th><th>What Albert Chan says</th>'
        f"<th>Where the course teaches it</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def pathway_html(role: str, prefix: str = "../notebooks/") -> str:
    """A role's pathway: its lessons, with the exercises and workshop activities of each."""
    written = {p.stem: p for p in written_lessons()}
    items = []
    for m in course.path_for(role):
        stem = m.page.split("/")[-1] if m.page else ""
        if stem not in written:
            items.append(
                f"<li>{m.number} · {html.escape(m.title)} <em>(coming)</em>: {html.escape(m.focus[role])}</li>"
            )
            continue
        parts = [s for s in lesson_sections(written[stem]) if s.title.startswith(("Exercise", "Workshop activity"))]
        sub = "".join(f'<li><a href="{prefix}{stem}.html#{s.anchor}">{html.escape(s.title)}</a></li>' for s in parts)
        items.append(
            f'<li><a href="{prefix}{stem}.html">{m.number} · {html.escape(m.title)}</a> '
            f"({m.minutes} min): {html.escape(m.focus[role])}<ul>{sub}</ul></li>"
        )
    return (
        f"<p>{len(course.path_for(role))} lessons, about {course.path_minutes(role)} minutes.</p>"
        f"<ul>{''.join(items)}</ul>"
    )
