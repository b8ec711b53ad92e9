"""The course's Sphinx extension: charts that draw offline, and the site's own scripts.

* :class:`VegaLiteOffline` is a myst-nb mime renderer: a chart output (Vega-Lite JSON) becomes a
  ``<figure>`` holding the spec and its text alternative; ``_static/alignkit-charts.js`` draws it
  with the copies of Vega under ``_static/vendor`` (copied from npm at build time), and only on
  pages that have a chart.
* :func:`setup` serves this package's ``site_static`` folder (the script, the stylesheet, the icon)
  and the vendored copies, which ``make book`` writes to ``_build/vendor-static/vendor``; it stops the
  build with a clear message when those are missing.
* It also drops sphinx-thebe's scripts, which Jupyter Book always adds: thebe would load its code
  from another host, and this site runs nothing from elsewhere.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive

from .charts import VEGALITE_LAB_MIME, VEGALITE_MIME

VENDOR_FILES = ("vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js",
                "vendor/html-manager/embed.js")


def chart_html(spec: dict) -> str:
    """The HTML of one chart: a figure with the spec as inert JSON and the description as caption."""
    description = spec.get("description", "Chart")
    data = json.dumps(spec, separators=(",", ":")).replace("</", "<\\/")
    return (
        f'<figure class="alignkit-chart">'
        f'<div class="alignkit-vega" role="img" aria-label="{html.escape(description)}"></div>'
        f'<script type="application/json" class="alignkit-vega-spec">{data}</script>'
        f'<figcaption>{html.escape(description)}</figcaption></figure>'
    )


class VegaLiteOffline:
    """Render Vega-Lite outputs as self-hosted charts on the HTML site (a myst-nb mime plugin)."""

    # The v6 spec draws the chart; the v5 copy (for JupyterLab) is known but never chosen here.
    mime_priority_overrides = [("html", VEGALITE_MIME, 1), ("dirhtml", VEGALITE_MIME, 1),
                               ("html", VEGALITE_LAB_MIME, 1000), ("dirhtml", VEGALITE_LAB_MIME, 1000)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type == VEGALITE_LAB_MIME:
            return []  # JupyterLab's copy of the spec; the site draws the v6 one
        if data.mime_type != VEGALITE_MIME:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        return [nodes.raw(text=chart_html(spec), format="html", classes=["output", "text_html"])]


OWN_STATIC = Path(__file__).parent / "site_static"


def _add_static(app, config) -> None:
    vendor = Path(app.confdir) / config.alignkit_vendor_dir
    missing = [f for f in VENDOR_FILES if not (vendor / f).exists()]
    if missing:
        raise RuntimeError(f"The site's own copies of Vega and the widget manager are missing from {vendor} "
                           f"({', '.join(missing)}). Run 'make book', which installs them from npm and copies "
                           f"them there.")
    config.html_static_path = [*config.html_static_path, str(OWN_STATIC), str(vendor)]


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files", [])
    context["script_files"] = [
        s for s in scripts
        if "sphinx-thebe" not in str(s) and "THEBE_JS_URL" not in str(getattr(s, "attributes", {}).get("body", ""))
    ]


class _MapDirective(Directive):
    """Base for directives that write course-map HTML read from the lessons at build time."""

    def html(self) -> str:
        raise NotImplementedError

    def run(self):
        from .notebooks import lesson_paths

        env = self.state.document.settings.env
        for path in lesson_paths():  # rebuild this page when a lesson changes
            env.note_dependency(str(path))
        return [nodes.raw("", self.html(), format="html")]


class ConceptMap(_MapDirective):
    """``{concept-map}``: every concept of the interview and the lesson sections that teach it."""

    def html(self) -> str:
        from .coursemap import concept_map_html

        return concept_map_html()


class Pathway(_MapDirective):
    """``{pathway} Seller``: a role's lessons with their exercises and workshop activities."""

    required_arguments = 1

    def html(self) -> str:
        from .coursemap import pathway_html

        return pathway_html(self.arguments[0])


def setup(app):
    app.add_directive("concept-map", ConceptMap)
    app.add_directive("pathway", Pathway)
    app.add_config_value("alignkit_vendor_dir", "_build/vendor-static", "html")
    app.connect("config-inited", _add_static)
    app.connect("html-page-context", _drop_thebe)
    app.add_js_file("alignkit-charts.js", defer="defer")
    app.add_css_file("alignkit.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
