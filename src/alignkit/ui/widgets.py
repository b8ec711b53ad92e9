"""Interactive views for JupyterLab. Each is a thin shell over a pure function of this package:
the function computes, the widget only shows, so everything here is tested without a browser."""

from __future__ import annotations

import html
import math

import ipywidgets as w
import pandas as pd

from ..metrics import funnel
from . import course


def path_html(role: str) -> str:
    """The modules of a role's path as an HTML table (what the path chooser shows)."""
    rows = "".join(
        f"<tr><td>{m.number}</td><td>{html.escape(m.title)}{'' if m.written else ' (coming)'}</td>"
        f"<td>{m.minutes} min</td><td>{html.escape(m.focus[role])}</td></tr>"
        for m in course.path_for(role)
    )
    return (
        f"<p><strong>{role} path</strong>: {len(course.path_for(role))} modules, about "
        f"{course.path_minutes(role)} minutes.</p><table><thead><tr><th>#</th><th>Module</th><th>Time</th>"
        f"<th>What matters most for you</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def module_card_html(number: int) -> str:
    """Time, concepts and what matters most for each role in one module (top of every lesson)."""
    m = course.module(number)
    concepts = "".join(f"<li><strong>{c}</strong> {html.escape(course.CONCEPTS[c])}</li>" for c in m.concepts)
    roles = "".join(f"<li><strong>{r}</strong>: {html.escape(m.focus[r])}</li>" for r in course.ROLES)
    return (
        f'<div class="alignkit-card"><p><strong>Time:</strong> about {m.minutes} minutes{_time_parts(m)}.</p>'
        + (f"<p><strong>Concepts from the interview:</strong></p><ul>{concepts}</ul>" if concepts else "")
        + f"<p><strong>Your path:</strong></p><ul>{roles}</ul></div>"
    )


def _time_parts(m: course.Module) -> str:
    """What the module's time is made of (alignkit.ui.lessontime), or '' without the lesson file."""
    from .lessontime import NOTEBOOK_DIR, lesson_time

    path = NOTEBOOK_DIR / f"{m.page.rsplit('/', 1)[-1]}.ipynb"
    if not path.exists():
        return ""
    t = lesson_time(path)
    parts = [f"{math.ceil(t.reading)} to read", f"{t.exercises} for the exercises", f"{t.quiz} for the quiz"]
    if t.activities:
        parts.append(f"{t.activities} for the workshop activity in a room")
    return " (" + ", ".join(parts) + "; rounded up to the next 5)"


def path_chooser(role: str = "Seller") -> w.VBox:
    """A role picker that shows that role's path through the course."""
    pick = w.ToggleButtons(options=course.ROLES, value=role, description="Your role:")
    table = w.HTML(path_html(role))
    pick.observe(lambda change: setattr(table, "value", path_html(change["new"])), names="value")
    return w.VBox([pick, table])


def conversion_table(leads: pd.DataFrame, by: str, phase: str = "all") -> pd.DataFrame:
    """Stage-to-stage conversion per value of ``by`` for one programme phase ('all' for every lead)."""
    part = leads if phase == "all" else leads[leads["phase"] == phase]
    return funnel.stage_conversion(part, by)


def conversion_html(leads: pd.DataFrame, by: str, phase: str = "all") -> str:
    """The conversion table by ``by`` as HTML, with the weakest step named."""
    table = conversion_table(leads, by, phase)
    if table.empty:
        return "<p>No leads in this selection.</p>"
    worst = table.drop(columns="inquiry→won").stack().idxmin()
    body = table.map(lambda v: "–" if pd.isna(v) else f"{v:.1%}").to_html(escape=True)
    return (
        f"{body}<p>Lowest step in this view: <strong>{html.escape(str(worst[1]))}</strong> for "
        f"<strong>{html.escape(str(worst[0]))}</strong>.</p>"
    )


def funnel_explorer(leads: pd.DataFrame) -> w.VBox:
    """Pick a breakdown and a programme phase; see each step's conversion and the weakest one."""
    by = w.Dropdown(
        options=[("Channel", "channel"), ("Segment", "segment"), ("Region", "region")],
        value="channel",
        description="Break down by:",
        style={"description_width": "initial"},
    )
    phase = w.ToggleButtons(
        options=[("All", "all"), ("Before", "before"), ("First quarter", "first quarter"), ("After", "after")],
        value="all",
        description="Phase:",
    )
    out = w.HTML(conversion_html(leads, by.value, phase.value))

    def update(_=None):
        out.value = conversion_html(leads, by.value, phase.value)

    by.observe(update, names="value")
    phase.observe(update, names="value")
    return w.VBox([w.HBox([by]), phase, out])


def exercise_widget(exercise) -> w.VBox:
    """A decision exercise in JupyterLab: the question, an answer box (text, a number or a choice),
    a Check button and the feedback of ``exercise.check`` (the same check as the website's)."""
    question = w.HTML(
        f"<p><strong>Exercise {html.escape(exercise.id)}</strong> {html.escape(exercise.question)} "
        f"<em>(about {exercise.minutes} min)</em></p>"
    )
    layout = w.Layout(width="100%", max_width="40rem")
    if exercise.kind == "choice":
        box = w.RadioButtons(options=list(exercise.options), value=None, layout=layout)
    elif exercise.kind == "text":
        box = w.Textarea(placeholder="Your answer", layout=w.Layout(width="100%", max_width="40rem", height="5rem"))
    else:
        box = w.Text(
            placeholder=f"Your answer{' (' + exercise.unit + ')' if exercise.unit else ''}"
            f"{' in %' if exercise.share else ''}",
            layout=w.Layout(width="16rem"),
        )
    button = w.Button(description="Check", button_style="primary")
    out = w.HTML()

    def check(_=None):
        out.value = exercise.check(box.value)._repr_html_()

    def recheck(_change):
        # Once feedback shows, it follows the answer. The widget manager may hold back an answer while
        # the kernel is busy, so a quick Check can reach the kernel before the answer it is meant for:
        # without this, the reader would see the feedback on their previous answer.
        if out.value:
            check()

    button.on_click(check)
    box.observe(recheck, names="value")
    return w.VBox([question, box, button, out])
