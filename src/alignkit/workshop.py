"""The workshop kit: agendas, the participants' bundle and a JupyterHub for a room.

* :data:`AGENDAS` holds the three session plans (90 minutes, half a day, a full day). The facilitator
  guide draws them with the ``{agenda}`` directive (registered by :mod:`alignkit.editions`), and a
  test checks that every agenda's slots add up to its length and that each activity slot gives the
  activity the minutes its lesson says.
* ``python -m alignkit.workshop kit`` writes ``_build/workshop-kit.zip``: the lessons (learner
  edition), the data, the pinned requirements, the package source and ``preflight.py``, the check a
  participant runs on their own laptop before the session.
* ``python -m alignkit.workshop hub`` starts JupyterHub on 127.0.0.1 with
  ``workshop/jupyterhub/jupyterhub_config.py``, for a trial run or a small room on one machine.
* ``python -m alignkit.workshop notebooks --edition facilitator --out DIR`` writes the lessons with
  solutions and facilitator notes, for the facilitator's own JupyterLab.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KIT_NAME = "alignment-workshop"
KIT_PATH = REPO / "_build" / "workshop-kit.zip"
HUB_CONFIG = REPO / "workshop" / "jupyterhub" / "jupyterhub_config.py"
PREFLIGHT = REPO / "workshop" / "preflight.py"
PYTHON_VERSION = "3.11"  # the version requirements.txt is pinned for


# ---------------------------------------------------------------------------------------------
# Agendas

KINDS = {
    "welcome": "whole room",
    "demo": "facilitator on screen",
    "notebook": "pairs at a laptop",
    "activity": "groups (see the lesson)",
    "break": "break",
    "close": "whole room",
}


@dataclass(frozen=True)
class Slot:
    """One block of an agenda: how long, what happens, how the room works, and which lesson it uses."""

    minutes: int
    what: str
    kind: str
    lesson: int | None = None


@dataclass(frozen=True)
class Agenda:
    key: str
    title: str
    minutes: int  # the stated length, breaks included
    start: str  # clock time of the first slot, "HH:MM"
    for_whom: str
    slots: tuple[Slot, ...]

    def rows(self) -> list[tuple[str, str, Slot]]:
        """(start, end, slot) for every slot, as clock times."""
        h, m = map(int, self.start.split(":"))
        t = h * 60 + m
        out = []
        for slot in self.slots:
            out.append((_clock(t), _clock(t + slot.minutes), slot))
            t += slot.minutes
        return out

    @property
    def end(self) -> str:
        h, m = map(int, self.start.split(":"))
        return _clock(h * 60 + m + self.minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


AGENDAS = {a.key: a for a in (
    Agenda("90-minutes", "90 minutes", 90, "14:00",
           "one team's sellers and marketers, 5 to 40 people, laptops optional", (
               Slot(5, "Welcome: why we are here; the goal both teams share (C3)", "welcome", 0),
               Slot(10, "Activity: one goal, two views", "activity", 0),
               Slot(10, "Brightline's funnel before and after its programme: lesson 3, steps 2 to 5", "demo", 3),
               Slot(25, "Activity: draw the journey", "activity", 3),
               Slot(5, "The threshold chart: MQL volume against sales acceptance (lesson 4)", "demo", 4),
               Slot(30, "Activity: the definitions negotiation", "activity", 4),
               Slot(5, "One commitment each; the survey", "close", None),
           )),
    Agenda("half-day", "Half a day", 240, "09:00",
           "sellers and marketers from one or several teams, 5 to 40 people, one laptop per pair", (
               Slot(10, "Welcome and set-up check: everyone opens lesson 0 on the hub or their laptop", "welcome", 0),
               Slot(10, "Activity: one goal, two views", "activity", 0),
               Slot(15, "What misalignment costs Brightline: leaked leads, wasted spend, mixed messages (lesson 2)",
                    "demo", 2),
               Slot(20, "Lesson 3, steps 1 to 5 and exercise 3.1", "notebook", 3),
               Slot(25, "Activity: draw the journey", "activity", 3),
               Slot(15, "Break", "break", None),
               Slot(20, "Lesson 4: the lead score and the threshold slider; its exercises", "notebook", 4),
               Slot(30, "Activity: the definitions negotiation", "activity", 4),
               Slot(10, "Break", "break", None),
               Slot(15, "Lesson 6: the OKR table and the SLA calculator", "notebook", 6),
               Slot(40, "Activity: one objective, two sides", "activity", 6),
               Slot(15, "Gallery walk: groups read each other's agreement and OKR sheets", "close", None),
               Slot(15, "Three agreements to take back (definitions, SLA, one OKR); the survey", "close", None),
           )),
    Agenda("full-day", "A full day", 450, "09:00",
           "one or two teams' sellers, marketers and their managers, 5 to 40 people, one laptop per pair", (
               Slot(15, "Welcome and set-up check: everyone opens lesson 0 on the hub or their laptop", "welcome", 0),
               Slot(10, "Activity: one goal, two views", "activity", 0),
               Slot(30, "Activity: swap the reports", "activity", 1),
               Slot(15, "What misalignment costs Brightline: the bill and the cost calculator (lesson 2)", "demo", 2),
               Slot(20, "Lesson 3, steps 1 to 5 and exercise 3.1", "notebook", 3),
               Slot(15, "Break", "break", None),
               Slot(25, "Activity: draw the journey", "activity", 3),
               Slot(20, "Lesson 4: the lead score and the threshold slider; its exercises", "notebook", 4),
               Slot(30, "Activity: the definitions negotiation", "activity", 4),
               Slot(15, "Economics both teams own: CAC and LTV by channel, the what-if calculator (lesson 5)",
                    "demo", 5),
               Slot(45, "Lunch", "break", None),
               Slot(15, "Lesson 6: the OKR table and the SLA calculator", "notebook", 6),
               Slot(40, "Activity: one objective, two sides", "activity", 6),
               Slot(45, "Activity: the launch-reaction review", "activity", 7),
               Slot(15, "Break", "break", None),
               Slot(25, "Lesson 8: time-zone overlap and a RACI for the hand-offs", "notebook", 8),
               Slot(25, "Lesson 9: the J-curve and the change communication plan", "notebook", 9),
               Slot(30, "Put it together: each group fills the templates for its own team", "close", None),
               Slot(15, "Gallery walk, one commitment each, the survey", "close", None),
           )),
)}


_ACTIVITY_HEADING = re.compile(r"##\s+Workshop activity:\s*(?P<title>[^(\n]+?)\s*\((?P<min>\d+)\s+minutes[^\n]*\n")


def lesson_activity(number: int, notebooks: Path = REPO / "notebooks") -> tuple[str, int, str] | None:
    """A lesson's workshop activity as (title, minutes, Markdown body); None if it has none yet."""
    import nbformat

    for path in sorted(Path(notebooks).glob(f"{number:02d}-*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            m = _ACTIVITY_HEADING.match(cell.source)
            if cell.cell_type == "markdown" and m:
                return m.group("title"), int(m.group("min")), cell.source[m.end():].strip()
    return None



# A facilitator note's "What good looks like" paragraph (also "What good answers look like."), up to the
# next bold lead-in or the end of the note.
GOOD_ANSWERS = re.compile(r"^\*\*What good (?:answers )?looks? like[:.]?\*\*.*?(?=^\*\*|\Z)",
                          re.MULTILINE | re.DOTALL)


def activity_notes(number: int, notebooks: Path = REPO / "notebooks", solutions_dir: Path | None = None) -> list[str]:
    """The facilitator notes for a lesson's workshop activity: the ``facilitator`` text of every entry
    of ``workshop/solutions/NN-name.yml`` anchored on the lesson's "Workshop activity" cell."""
    import nbformat

    from .editions import SOLUTIONS_DIR, load_extras

    for path in sorted(Path(notebooks).glob(f"{number:02d}-*.ipynb")):
        cell = next((c.source for c in nbformat.read(path, as_version=4).cells
                     if c.cell_type == "markdown" and _ACTIVITY_HEADING.match(c.source)), None)
        if cell is None:
            continue
        return [e["facilitator"].strip() for e in load_extras(path.name, solutions_dir or SOLUTIONS_DIR)
                if e.get("facilitator") and e["after"] in cell]
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
    out = [f"**{title[0].upper()}{title[1:]}**, {minutes} minutes, from {_lesson_link(number, docs)}.", "", steps]
    if facilitator:
        good = [m.group(0).strip() for note in activity_notes(number, solutions_dir=solutions_dir)
                for m in GOOD_ANSWERS.finditer(note)]
        if not good and GOOD_ANSWERS.search(body):  # a lesson whose paragraph has not moved to its YAML yet
            good = [GOOD_ANSWERS.search(body).group(0).strip()]
        for paragraph in good:
            out += ["", paragraph]
    return "\n".join(out)


def _lesson_link(number: int | None, docs=None) -> str:
    """The lesson's title, linked when its page is in the book (``docs``: the book's documents)."""
    if number is None:
        return ""
    from .course import MODULES

    module = next((m for m in MODULES if m.number == number), None)
    if module and module.written and module.page and (docs is None or module.page in docs):
        return f"{{doc}}`{number} · {module.title} </{module.page}>`"
    return f"{number} · {module.title}" if module else str(number)


def agenda_markdown(key: str, docs=None) -> str:
    """An agenda as a MyST Markdown table with clock times, and its total."""
    agenda = AGENDAS[key]
    lines = ["| time | minutes | what happens | how | lesson |", "|---|---:|---|---|---|"]
    for start, end, slot in agenda.rows():
        what = f"**{slot.what}**" if slot.kind == "activity" else slot.what
        lines.append(f"| {start}\u2011{end} | {slot.minutes} | {what} | {KINDS[slot.kind]} | {_lesson_link(slot.lesson, docs)} |")
    total = sum(s.minutes for s in agenda.slots)
    lines += ["", f"**Total: {total} minutes**, {agenda.start} to {agenda.end}, breaks included. "
                  f"For {agenda.for_whom}."]
    return "\n".join(lines)


try:
    from docutils.parsers.rst import Directive
except ImportError:  # the kit's preflight may import this module without docutils
    Directive = object


class ActivityDirective(Directive):
    """``{activity} 3``: lesson 3's workshop activity, read from the lesson notebook at build time (and, in
    the facilitator edition, its "What good looks like" note from ``workshop/solutions/``)."""

    required_arguments = 1

    def run(self):
        from docutils import nodes
        from docutils.statemachine import StringList

        env = self.state.document.settings.env
        number = int(self.arguments[0])
        solutions = Path(env.app.confdir) / env.config.alignkit_solutions_dir
        for path in sorted((REPO / "notebooks").glob(f"{number:02d}-*.ipynb")):
            env.note_dependency(str(path))  # the guide changes when the lesson does, or its notes
            if (solutions / (path.stem + ".yml")).exists():
                env.note_dependency(str(solutions / (path.stem + ".yml")))
        try:
            text = activity_markdown(number, facilitator=env.app.tags.has("facilitator"), docs=env.found_docs,
                                     solutions_dir=solutions)
        except ValueError as exc:
            raise self.error(str(exc)) from None
        container = nodes.container(classes=["alignkit-activity"])
        self.state.nested_parse(StringList(text.splitlines(), source=f"lesson {number}"),
                                self.content_offset, container)
        return [container]


class AgendaDirective(Directive):
    """``{agenda} half-day``: the agenda's table, drawn from :data:`AGENDAS`."""

    required_arguments = 1

    def run(self):
        from docutils import nodes
        from docutils.statemachine import StringList

        key = self.arguments[0]
        if key not in AGENDAS:
            raise self.error(f"unknown agenda '{key}'; the agendas are {', '.join(AGENDAS)}.")
        self.state.document.settings.env.note_dependency(__file__)
        container = nodes.container(classes=["alignkit-agenda"])
        self.state.nested_parse(StringList(agenda_markdown(key, self.state.document.settings.env.found_docs).splitlines(), source="alignkit.workshop"),
                                self.content_offset, container)
        return [container]


# ---------------------------------------------------------------------------------------------
# The participants' kit

KIT_README = """# Sales & Marketing Alignment workshop: your set-up

This folder has everything you need for the workshop: the lessons (`notebooks/`), Brightline's data
(`data/`), the course's Python package (`src/alignkit/`) and the exact versions of every package it
needs (`requirements.txt`). Set it up once, before the session; it takes about ten minutes.

1. Install **Python {python}** (python.org, or your company's software centre).
2. Open a terminal in this folder and create an environment for the course:

   ```
   python{python} -m venv .venv
   .venv/bin/python -m pip install -r requirements.txt          (Windows: .venv\\Scripts\\python ...)
   .venv/bin/python -m pip install --no-deps -e .
   ```

3. Check your set-up: `.venv/bin/python preflight.py`. It says what is missing and how to fix it.
   Run it again until it ends with "All set".
4. Open the lessons: `.venv/bin/jupyter lab notebooks`, then `00-start-here.ipynb`.

If your facilitator runs a JupyterHub for the room, you need none of this: open the address they
give you in a browser and log in with any user name and the workshop password.
"""


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kit_files(root: Path = REPO) -> dict[str, bytes]:
    """Every file of the kit, by its path inside the archive (below the kit's top folder)."""
    from .companies import COMPANIES
    from .editions import learner_notebook

    files: dict[str, bytes] = {}
    lessons = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if not lessons:
        raise FileNotFoundError(f"no lessons in {root / 'notebooks'}")
    for path in lessons:
        nb = learner_notebook(json.loads(path.read_text(encoding="utf-8")))
        files[f"notebooks/{path.name}"] = (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()
    data = sorted(p for p in (root / "data").rglob("*") if p.is_file())
    for path in data:
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    for path in sorted((root / "src" / "alignkit").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    files["requirements.txt"] = (root / "requirements.txt").read_bytes()
    files["pyproject.toml"] = (root / "pyproject.toml").read_bytes()
    files["preflight.py"] = PREFLIGHT.read_bytes()
    files["README.md"] = KIT_README.format(python=PYTHON_VERSION).encode()
    manifest = {
        "python": PYTHON_VERSION,
        "companies": sorted(c for c in COMPANIES if (root / "data" / c).is_dir()),  # the loadable companies
        "data": {p.relative_to(root).as_posix(): _file_hash(p) for p in data if p.suffix == ".csv"},
        "notebooks": [f"notebooks/{p.name}" for p in lessons],
    }
    files["kit-manifest.json"] = (json.dumps(manifest, indent=1) + "\n").encode()
    return files


def build_kit(out: Path = KIT_PATH, root: Path = REPO) -> Path:
    """Write the kit as one zip archive, byte for byte the same for the same sources."""
    from .outputs import write_atomically

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, content in sorted(kit_files(root).items()):
            info = zipfile.ZipInfo(f"{KIT_NAME}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name == "preflight.py" else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)
    write_atomically(out, buffer.getvalue())
    return out


# ---------------------------------------------------------------------------------------------
# JupyterHub for a room on one machine

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_environment(port: int, password: str, state: Path, course: Path = REPO / "notebooks",
                    api_token: str | None = None) -> dict[str, str]:
    """The environment ``jupyterhub_config.py`` reads: ports, password, where state and homes go."""
    env = dict(os.environ)
    bins = [str(Path(sys.executable).parent), str(REPO / "node_modules" / ".bin")]
    env["PATH"] = os.pathsep.join([*bins, env.get("PATH", "")])
    env.update({
        "WORKSHOP_HUB_PORT": str(port),
        "WORKSHOP_HUB_API_PORT": str(free_port()),
        "WORKSHOP_PROXY_API_PORT": str(free_port()),
        "WORKSHOP_PASSWORD": password,
        "WORKSHOP_HUB_DIR": str(state),
        "WORKSHOP_COURSE_DIR": str(course),
        "JUPYTER_PLATFORM_DIRS": "1",
    })
    if api_token:
        env["WORKSHOP_API_TOKEN"] = api_token
    return env


def hub_command() -> list[str]:
    return [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(HUB_CONFIG)]


def run_hub(port: int, password: str | None, state: Path) -> int:
    password = password or os.environ.get("WORKSHOP_PASSWORD") or f"brightline-{secrets.token_hex(3)}"
    state.mkdir(parents=True, exist_ok=True)
    print(f"JupyterHub for the workshop: http://127.0.0.1:{port}/\n"
          f"  log in with any user name and the password: {password}\n"
          f"  each person's copy of the lessons goes to {state / 'users'}/<name>/course\n"
          f"  stop it with Ctrl+C (it stops everyone's server too)", flush=True)
    try:
        return subprocess.call(hub_command(), env=hub_environment(port, password, state), cwd=state)
    except KeyboardInterrupt:
        return 0


# ---------------------------------------------------------------------------------------------

def write_notebooks(out: Path, edition: str) -> list[Path]:
    """Write every lesson in the given edition to ``out`` (for a facilitator's own JupyterLab)."""
    from .editions import notebook_for_edition

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        target = out / path.name
        target.write_text(notebook_for_edition(path.read_text(encoding="utf-8"), path.name, edition),
                          encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m alignkit.workshop", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    kit = sub.add_parser("kit", help="write the participants' kit (a zip archive)")
    kit.add_argument("--out", type=Path, default=KIT_PATH)
    hub = sub.add_parser("hub", help="start JupyterHub on 127.0.0.1 for a trial or a small room")
    hub.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    hub.add_argument("--password", help="the shared workshop password (8 characters or more); "
                                        "default: $WORKSHOP_PASSWORD or a new random one")
    hub.add_argument("--dir", type=Path, default=REPO / "_build" / "hub",
                     help="where the hub keeps its database and each user's copy of the lessons")
    nbs = sub.add_parser("notebooks", help="write the lessons in one edition")
    nbs.add_argument("--edition", choices=("learner", "facilitator"), default="facilitator")
    nbs.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "kit":
        path = build_kit(args.out)
        print(f"{path} ({path.stat().st_size / 1e6:.1f} MB): send it to participants with the pre-work.")
    elif args.command == "hub":
        return run_hub(args.port, args.password, args.dir.resolve())
    else:
        for path in write_notebooks(args.out, args.edition):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
