"""The site's side of the lessons' JupyterLab features (a Sphinx extension, set up by ``alignkit.build.site``).

* the ``{eval}`` role of :mod:`alignkit.ui.inline`: a figure in the prose, from the glued value;
* widget state pruned to what the page shows: a lesson's outputs carry widgets meant for JupyterLab
  only (its charts' ``JupyterChart``, its quiz's buttons), which the site replaces with its own chart
  and quiz. Their models are dropped from the page's saved widget state, so that the widget manager
  does not try to load a module the site does not have (``anywidget``) and pages stay small. A model
  is kept when a widget view on the page uses it, directly or through another kept model;
* the quizzes' script (jupyterquiz's library), written once to ``_static`` (see ``alignkit.ui.quiz``).
"""

from __future__ import annotations

import json
import re

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
VIEW = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S)
REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def shown_models(body: str) -> set[str]:
    """The model ids of the widget views a page's HTML shows."""
    ids = set()
    for m in VIEW.finditer(body):
        try:
            ids.add(json.loads(m.group(1))["model_id"])
        except (ValueError, KeyError):
            continue
    return ids


def prune_state(state: dict, keep: set[str]) -> dict:
    """The widget state with only the models in ``keep`` and the ones they refer to (IPY_MODEL_…)."""
    models = state.get("state", {})
    todo, kept = [m for m in keep if m in models], set()
    while todo:
        model = todo.pop()
        if model in kept:
            continue
        kept.add(model)
        todo += [r for r in REFERENCE.findall(json.dumps(models[model])) if r in models and r not in kept]
    return {**state, "state": {k: v for k, v in models.items() if k in kept}}


def _prune_page(app, pagename, templatename, context, doctree) -> None:
    """Prune the page's widget-state script to the models its views use (drop it when none), with
    Sphinx's public API: the script is taken out of the page's ``script_files`` (changed in place, so
    the order stays) and added again with ``app.add_js_file``, which on ``html-page-context`` adds to
    this page only."""
    scripts = context.get("script_files")
    if not scripts:
        return
    keep = shown_models(context.get("body", ""))
    old = list(scripts)
    scripts.clear()
    for s in old:
        attrs = dict(getattr(s, "attributes", None) or {})
        if attrs.get("type") == WIDGET_STATE and attrs.get("body") and getattr(s, "filename", None) is None:
            state = prune_state(json.loads(attrs["body"]), keep)
            if state["state"]:  # else nothing on the page needs the widget manager
                from myst_nb.core.render import sanitize_script_content

                app.add_js_file(
                    None,
                    priority=getattr(s, "priority", 500),
                    **{**attrs, "body": sanitize_script_content(json.dumps(state))},
                )
            continue
        scripts.append(s)


def setup(app):
    """Sphinx: the ``{eval}`` role and the pruning of JupyterLab-only widget state."""
    app.setup_extension("alignkit.ui.inline")
    app.setup_extension("alignkit.ui.quiz")  # the quizzes' script, served once
    # after myst-nb (priority 500) has added the page's widget state, before alignkit.build.site defers scripts (900)
    app.connect("html-page-context", _prune_page, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
