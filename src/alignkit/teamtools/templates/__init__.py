"""The Jinja2 templates of the team tools' HTML pages: the scorecard report (``scorecard.html.j2``,
:mod:`alignkit.teamtools.scorecard_html`) and the playbook (``playbook.html.j2``,
:mod:`alignkit.teamtools.playbook`).

Every template is rendered with autoescaping on, so any value handed to it (a campaign name, an
answer typed in the playbook's TOML) is HTML-escaped: a ``<script>`` in it is shown as text. Only
the templates themselves write markup. A name the template uses and the code does not pass is an
error (``StrictUndefined``), never an empty string; ``None`` is shown as nothing.
"""

from __future__ import annotations

from functools import cache

import jinja2


def _finalize(value):
    """``None`` prints as nothing (a missing note), everything else as itself, escaped."""
    return "" if value is None else value


@cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment of the package's templates (built once)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("alignkit.teamtools.templates", "."),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["spec"] = format  # {{ 1234 | spec(",") }} -> 1,234, as format(1234, ",")
    return env


def render(name: str, /, **context) -> str:
    """Template ``name`` of this folder, rendered with ``context``."""
    return environment().get_template(name).render(**context)
