"""Numbers in the prose that read the same in JupyterLab and on the website.

A lesson's Markdown shows a computed figure with the MyST ``{eval}`` role::

    Sales accepted {eval}`glued("acc_after")` of the MQLs.

* **In JupyterLab** (with ``jupyterlab-myst``) the expression ``glued("acc_after")`` is evaluated in
  the kernel when the Markdown cell runs. :func:`glued` returns what the code glued under that name
  (``myst_nb.glue("acc_after", ...)``), formatted by :func:`format_glued`. ``alignkit.build.labready``
  saves the results in each Markdown cell's ``user_expressions`` metadata when it runs a lesson, so
  a learner sees the figures even before running anything.
* **On the website** the role ``eval`` registered here (it replaces myst-nb's, which needs a live
  kernel and so does not work with the course's cached execution) reads the same glued value from
  the executed notebook and formats it with the same :func:`format_glued`.

``glued("key:fmt")`` takes the same ``key`` and optional ``:fmt`` as myst-nb's ``{glue:text}`` role
and formats exactly as it does: both sides start from the glued value's ``text/plain`` form (what
myst-nb stores) and call :func:`format_glued`. Lessons glue strings already formatted with
``alignkit.ui.present`` (then no ``:fmt`` is needed), so a figure reads the same everywhere.
"""

from __future__ import annotations

import re

GLUE_PREFIX = "application/papermill.record/"
# {eval}`glued("key")` or {eval}`glued("key:fmt")` (single or double quotes)
EVAL_ROLE = re.compile(r"\{eval\}`(?P<expr>[^`]*)`")
GLUED_CALL = re.compile(r"""^\s*glued\(\s*(?P<q>["'])(?P<spec>[^"'\\]+)(?P=q)\s*\)\s*$""")

_glued: dict[str, str] = {}  # glue key -> the text/plain form of the glued value, as myst-nb stores it
_installed = False


def format_glued(plain: str, fmt: str = "") -> str:
    """The text of a glued value as a lesson shows it: ``plain`` is its ``text/plain`` form (a repr,
    so a string arrives quoted), ``fmt`` an optional Python format spec (``.0%``, ``,``). The one
    formatting function of both JupyterLab and the site: myst-nb's own for ``{glue:text}``."""
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(plain, fmt)


def split_spec(spec: str) -> tuple[str, str]:
    """``"rate:.0%"`` → ``("rate", ".0%")``; ``"rate"`` → ``("rate", "")``."""
    key, _, fmt = spec.partition(":")
    return key.strip(), fmt.strip()


def glued_spec(expression: str) -> str | None:
    """The ``key[:fmt]`` of an expression ``glued("key[:fmt]")``, or None for any other expression."""
    m = GLUED_CALL.match(expression)
    return m.group("spec") if m else None


class Shown:
    """A formatted figure: its ``repr`` is the bare text, so JupyterLab shows ``28 %``, not ``'28 %'``."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def _capture(msg):
    """ipykernel display hook: remember the text/plain of every value glued with myst_nb.glue."""
    try:
        content = msg.get("content", {})
        name = (content.get("metadata") or {}).get("scrapbook", {}).get("name")
        if name:
            data = content.get("data") or {}
            plain = data.get(GLUE_PREFIX + "text/plain", data.get("text/plain"))
            if plain is not None:
                _glued[name] = plain
    except Exception:  # noqa: BLE001  (a display must never fail because of this hook)
        pass
    return msg


def install() -> bool:
    """Start recording glued values in this kernel (done on import); False outside a kernel."""
    global _installed
    if _installed:
        return True
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    pub = getattr(shell, "display_pub", None)
    if pub is None or not hasattr(pub, "register_hook"):
        return False
    pub.register_hook(_capture)
    _installed = True
    return True


def remember(name: str, value) -> None:
    """Record a value as if it had been glued (for code that computes without a kernel, and tests)."""
    import IPython.core.formatters

    bundle, _ = IPython.core.formatters.format_display_data(value)
    _glued[name] = bundle["text/plain"]


NOT_YET = "(not computed yet)"


def glued(spec: str) -> Shown:
    """The figure glued as ``key`` (``spec`` is ``"key"`` or ``"key:fmt"``), formatted as the site shows it.
    Before the code that computes it has run, a placeholder that says so (never a stale or made-up figure)."""
    key, fmt = split_spec(spec)
    if key not in _glued:
        return Shown(NOT_YET)
    return Shown(format_glued(_glued[key], fmt))


install()


# --- the website: the same {eval} role, read from the glued values ------------------------------


def eval_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{eval}`glued("key:fmt")``` on the site: myst-nb's ``{glue:text}`key:fmt``` for the same key,
    so a missing key or a bad format stops the build with myst-nb's own warning."""
    from myst_nb.ext.glue.roles import PasteTextRole

    spec = glued_spec(text)
    if spec is None:
        msg = inliner.reporter.warning(
            f'{{eval}}`{text}`: on the website an inline expression must be glued("key") or '
            f'glued("key:format") naming a value the lesson glues (see alignkit.ui.inline).',
            line=lineno,
        )
        prb = inliner.problematic(rawtext, rawtext, msg)
        return [prb], [msg]
    return PasteTextRole()("glue:text", rawtext, spec, lineno, inliner, options or {}, content or [])


def setup(app):
    """Register the site's ``eval`` role (after myst-nb's, which it replaces)."""
    app.setup_extension("myst_nb")
    app.add_role("eval", eval_role, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
