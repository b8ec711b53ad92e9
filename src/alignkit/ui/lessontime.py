"""How long a lesson takes a reader, computed from the lesson itself (issue 10, item 4).

time = the words of its text at :data:`WORDS_PER_MINUTE`
     + each decision exercise's ``minutes`` (from its spec in the saved outputs)
     + :data:`UNSPECIFIED_EXERCISE_MINUTES` for each "## Exercise" section that shows no spec yet
     + each workshop activity's minutes (its heading says them: "(10 minutes, pairs)")
     + :data:`QUIZ_MINUTES` for the quiz,
rounded up to the next 5 minutes. Optional analyst extensions are not counted. The reading speed
is the usual figure for adult readers; the other constants are our own assumptions.

It reads the notebook's JSON only (no Jupyter, no lesson module), so ``alignkit.ui.course`` can use it
when it is imported.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .inline import glued_spec

NOTEBOOK_DIR = paths.notebooks_dir()  # the same folder as alignkit.build.notebooks
WORDS_PER_MINUTE = 200
UNSPECIFIED_EXERCISE_MINUTES = 5  # our assumption for an exercise that does not state its time yet
QUIZ_MINUTES = 2  # our assumption: three to five questions with feedback
EXERCISE_MIME = "application/vnd.alignkit.exercise+json"
ACTIVITY = re.compile(r"^## Workshop activity\b.*?\((\d+)\s*min", re.M)
ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`")  # {term}`MQL`, {doc}`text <target>`


@dataclass(frozen=True)
class LessonTime:
    """A lesson's time, part by part (reading, exercises, activities, quiz)."""

    words: int
    reading: float
    exercises: int
    activities: int
    quiz: int

    @property
    def minutes(self) -> int:
        """The total, rounded up to the next 5 minutes."""
        total = self.reading + self.exercises + self.activities + self.quiz
        return int(math.ceil(total / 5) * 5)


def prose_words(markdown: str) -> int:
    """Words a reader reads in a markdown cell: roles count as the text they show, markup not at all."""
    # a figure in the prose ({eval}`glued("rate")`, see alignkit.ui.inline) counts as {glue:text}`rate` did
    text = ROLE.sub(
        lambda m: (glued_spec(m.group(1)) or "x") if m.group(0).startswith("{eval}") else (m.group(1) or "x"), markdown
    )
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tags
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.,%$-]*", text))


def lesson_time(path: Path) -> LessonTime:
    """The time of one lesson notebook, part by part."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    words, exercise_minutes, open_sections, activities = 0, 0, 0, 0
    section, section_has_spec = "", False

    def close():
        nonlocal open_sections
        if section.startswith("## Exercise") and not section_has_spec:
            open_sections += 1

    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            for line in source.splitlines():
                if line.startswith("## "):
                    close()
                    section, section_has_spec = line, False
            if section.startswith("## Analyst extension"):
                continue  # optional: not in the lesson's time
            words += prose_words(source)
            activities += sum(int(m) for m in ACTIVITY.findall(source))
        for out in cell.get("outputs", []):
            spec = out.get("data", {}).get(EXERCISE_MIME)
            if spec:
                exercise_minutes += int(spec["minutes"])
                section_has_spec = True
    close()
    return LessonTime(
        words,
        words / WORDS_PER_MINUTE,
        exercise_minutes + open_sections * UNSPECIFIED_EXERCISE_MINUTES,
        activities,
        QUIZ_MINUTES,
    )


def lesson_minutes(path: Path) -> int:
    """A lesson's time in minutes, rounded up to the next 5."""
    return lesson_time(path).minutes
