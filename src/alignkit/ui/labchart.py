"""Charts in JupyterLab, drawn with the Vega-Lite their spec was written for, offline, with their controls.

JupyterLab's own chart renderer is Vega-Lite 5, and Altair 6 writes Vega-Lite 6 specs: handed one, it
logs a version warning for every redraw (thousands while a lesson scrolls) and can lose the tab. So in
a kernel a lesson's chart is shown as Altair's ``JupyterChart`` widget, whose script is Altair's own,
bundled by ``vl-convert-python`` with the exact Vega, Vega-Lite and vega-embed versions Altair targets
(nothing is fetched from another host). The site keeps drawing the Vega-Lite spec with its own copies
of Vega (``alignkit.build.site``).

A chart as wide as its cell ("container" width) measures its cell once, when it is drawn. JupyterLab can
draw a widget before its output is on the page (it happened under load, after Run All): the chart was
then 0 px wide, and stayed so. The course's class adds a watcher to Altair's script (``with_resize``):
when the chart's box changes width, its Vega measures it again.

Bundling takes a few seconds, so it is done once per environment and kept in
``<venv>/share/alignkit/`` (or the user's cache folder): ``python -m alignkit.ui.labchart`` makes it
(``make setup`` and the workshop kit's ``preflight.py`` run it).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def bundle_name() -> str:
    """The file name of the offline chart script for the installed Altair and vl-convert."""
    from altair import SCHEMA_VERSION

    return (
        f"altair-jupyterchart-{version('altair')}-vl{SCHEMA_VERSION.lstrip('v')}"
        f"-vlconvert{version('vl-convert-python')}.js"
    )


def cache_paths() -> list[Path]:
    """Where the bundle is kept: beside the environment first, then the user's cache folder."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return [Path(sys.prefix) / "share" / "alignkit" / bundle_name(), home / "alignkit" / bundle_name()]


def build_bundle() -> str:
    """Altair's JupyterChart script with its Vega dependencies inlined (via vl-convert, offline)."""
    import altair as alt

    class _Probe(alt.JupyterChart):  # bundle on a subclass: Altair's own class is left as it is
        _is_offline = False

    _Probe.enable_offline()
    return _Probe._esm


@lru_cache(maxsize=1)
def offline_esm() -> str:
    """The bundle, from the cache, or built and cached now."""
    for path in cache_paths():
        if path.exists():
            return path.read_text(encoding="utf-8")
    from ..outputs import write_atomically  # here: importing the chart class stays light

    code = build_bundle()
    for path in cache_paths():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, code)
            break
        except OSError:
            continue
    return code


def in_kernel() -> bool:
    """True inside a Jupyter kernel (JupyterLab, nbclient), where widgets can be shown."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


# Altair's bundle ends by exporting its widget as the default; the course exports its own in its place
ALTAIR_EXPORT = "export{__default as default};"
RESIZE = """
const __alignkit = {async render(ctx) {
  // Vega-Lite's "container" width is read from the page when the chart is drawn and again on each
  // window resize event; when this chart's box changes width (it was drawn before it was on the page,
  // or the side panel opened), send one such event, once per frame
  const el = ctx.el;
  let last = null, queued = false;
  const watcher = new ResizeObserver(() => {
    const width = el.getBoundingClientRect().width;
    if (width === last || queued) return;
    last = width;
    queued = true;
    requestAnimationFrame(() => { queued = false; window.dispatchEvent(new Event('resize')); });
  });
  watcher.observe(el);
  const done = await __default.render(ctx);
  return () => { watcher.disconnect(); if (typeof done === 'function') done(); };
}};
export{__alignkit as default};"""


def with_resize(esm: str) -> str:
    """Altair's chart script, with its chart drawn again at its box's width whenever that changes."""
    if esm.count(ALTAIR_EXPORT) != 1:
        raise RuntimeError(
            f"alignkit.ui.labchart: Altair {version('altair')}'s chart script does not end with "
            f"{ALTAIR_EXPORT!r}; the course's resize watcher needs that export (update RESIZE for this Altair)"
        )
    return esm.replace(ALTAIR_EXPORT, RESIZE)


@lru_cache(maxsize=1)
def _chart_class():
    import altair as alt

    class LabChart(alt.JupyterChart):
        """Altair's JupyterChart with the offline bundle (Altair's own class is left as it is)."""

        _esm = with_resize(offline_esm())
        _is_offline = True
        # the output's full width, so that a chart sized "container" gets the room it has on the site
        _css = alt.JupyterChart._css + "\n.vega-embed { width: 100%; display: block; }\n"

    return LabChart


def lab_chart(chart):
    """An offline ``JupyterChart`` for an Altair chart."""
    return _chart_class()(chart)


def widget_view(chart) -> dict | None:
    """The widget-view output of the chart's ``JupyterChart`` inside a kernel; None elsewhere."""
    if not in_kernel():
        return None
    view = lab_chart(chart)._repr_mimebundle_()
    if isinstance(view, tuple):  # (data, metadata)
        view = view[0]
    return view.get(WIDGET_MIME) if view else None


def main() -> int:
    """Bundle JupyterLab's offline chart script once, and say where it is."""
    path = next((p for p in cache_paths() if p.exists()), None)
    if path is None:
        offline_esm()
        path = next((p for p in cache_paths() if p.exists()), None)
    print(f"JupyterLab charts: {path or 'bundle built (no writable cache folder)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
