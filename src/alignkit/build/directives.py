"""The facilitator guide's directives (a Sphinx extension, ``alignkit.build.directives`` in ``_config.yml``).

* ``{agenda} half-day``: an agenda's table, from :mod:`alignkit.build.agendas`;
* ``{activity} 3``: lesson 3's workshop activity, read from the lesson notebook at build time, and in
  the facilitator edition its "What good looks like" note (:mod:`alignkit.build.activities`).

It sets up :mod:`alignkit.build.editions` first, which says which edition is built and where the
solutions are (``alignkit_solutions_dir``).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList

from .. import paths
from . import agendas
from .activities import activity_markdown


class ActivityDirective(Directive):
    """``{activity} 3``: lesson 3's workshop activity, read from the lesson notebook at build time (and, in
    the facilitator edition, its "What good looks like" note from ``workshop/solutions/``)."""

    required_arguments = 1

    def run(self):
        """Parse lesson N's activity Markdown into the page, rebuilt when the lesson or its notes change."""
        env = self.state.document.settings.env
        number = int(self.arguments[0])
        solutions = Path(env.app.confdir) / env.config.alignkit_solutions_dir
        for path in sorted(paths.notebooks_dir().glob(f"{number:02d}-*.ipynb")):
            env.note_dependency(str(path))  # the guide changes when the lesson does, or its notes
            if (solutions / (path.stem + ".yml")).exists():
                env.note_dependency(str(solutions / (path.stem + ".yml")))
        try:
            text = activity_markdown(
                number, facilitator=env.app.tags.has("facilitator"), docs=env.found_docs, solutions_dir=solutions
            )
        except ValueError as exc:
            raise self.error(str(exc)) from None
        container = nodes.container(classes=["alignkit-activity"])
        self.state.nested_parse(
            StringList(text.splitlines(), source=f"lesson {number}"), self.content_offset, container
        )
        return [container]


class AgendaDirective(Directive):
    """``{agenda} half-day``: the agenda's table, drawn from :data:`alignkit.build.agendas.AGENDAS`."""

    required_arguments = 1

    def run(self):
        """Parse the agenda's Markdown table into the page (an unknown agenda is an error naming the known ones)."""
        key = self.arguments[0]
        if key not in agendas.AGENDAS:
            raise self.error(f"unknown agenda '{key}'; the agendas are {', '.join(agendas.AGENDAS)}.")
        self.state.document.settings.env.note_dependency(agendas.__file__)
        container = nodes.container(classes=["alignkit-agenda"])
        self.state.nested_parse(
            StringList(
                agendas.agenda_markdown(key, self.state.document.settings.env.found_docs).splitlines(),
                source="alignkit.build.agendas",
            ),
            self.content_offset,
            container,
        )
        return [container]


def setup(app):
    """Register the two directives (after the editions extension, whose configuration they read)."""
    app.setup_extension("alignkit.build.editions")
    app.add_directive("agenda", AgendaDirective)
    app.add_directive("activity", ActivityDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
