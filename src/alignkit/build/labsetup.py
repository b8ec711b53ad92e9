"""JupyterLab as the course starts it (``make lab``, ``make hub``, the participants' kit): no news
prompt, and each lesson drawn whole when it opens.

On its first start JupyterLab 4 asks "Would you like to get notified about official Jupyter news?"
(the plugin ``@jupyterlab/apputils-extension:announcements``; a "yes" makes it fetch a news feed
and check for updates on the internet). A room of new participants should not meet that question,
and the course runs offline. So the course turns that plugin off in the environment's JupyterLab page
config, ``<sys.prefix>/etc/jupyter/labconfig/page_config.json``, as the documented
``jupyter labextension disable --level=sys_prefix "@jupyterlab/apputils-extension:announcements"`` does,
and keeps whatever else that file says.

JupyterLab 4 draws a notebook's cells only as they come near the screen (its notebook setting
``windowingMode``). The course's lessons are short (about a hundred cells), so the course sets it to
``"none"``: a lesson is drawn whole when it opens, its text with its figures, and scrolling a lesson on
a busy hub shows no cell that is still blank. That is a default, in the environment's
``share/jupyter/lab/settings/overrides.json``; a person's own setting still wins.

``python -m alignkit.build.labsetup`` does both (:func:`set_up`); ``make lab``, the hub's
``jupyterhub_config.py`` and the kit's ``preflight.py`` call it. Running it again changes nothing.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..outputs import write_atomically

ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"
# the notebook setting the course gives a default to, and that default
NOTEBOOK = "@jupyterlab/notebook-extension:tracker"
WHOLE = {"windowingMode": "none"}


def page_config_path(prefix: str | os.PathLike | None = None) -> Path:
    """The environment's JupyterLab page config (the ``sys_prefix`` level)."""
    return Path(sys.prefix if prefix is None else prefix) / "etc" / "jupyter" / "labconfig" / "page_config.json"


def overrides_path(prefix: str | os.PathLike | None = None) -> Path:
    """The environment's JupyterLab settings defaults (``overrides.json`` in its application folder)."""
    return Path(sys.prefix if prefix is None else prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def _read(path: Path) -> dict:
    if not path.exists() or not path.stat().st_size:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(
            f"{path} is not valid JSON ({exc}); fix or delete it, then run python -m alignkit.build.labsetup"
        ) from None
    if not isinstance(data, dict):
        raise ValueError(
            f"{path} should hold a JSON object; fix or delete it, then run python -m alignkit.build.labsetup"
        )
    return data


def news_prompt_off(prefix: str | os.PathLike | None = None) -> bool:
    """Whether JupyterLab in this environment starts without asking to fetch news."""
    disabled = _read(page_config_path(prefix)).get("disabledExtensions", {})
    return disabled.get(ANNOUNCEMENTS) is True if isinstance(disabled, dict) else ANNOUNCEMENTS in disabled


def turn_off_news_prompt(prefix: str | os.PathLike | None = None) -> bool:
    """Disable the announcements plugin in the environment's page config; True when the file changed."""
    path = page_config_path(prefix)
    if news_prompt_off(prefix):
        return False
    config = _read(path)
    disabled = config.get("disabledExtensions", {})
    if isinstance(disabled, list):  # the older form: a list of names
        disabled = {name: True for name in disabled}
    config["disabledExtensions"] = {**disabled, ANNOUNCEMENTS: True}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(config, indent=2) + "\n")
    return True


def lessons_drawn_whole(prefix: str | os.PathLike | None = None) -> bool:
    """Whether JupyterLab in this environment draws a notebook whole when it opens, by default."""
    notebook = _read(overrides_path(prefix)).get(NOTEBOOK, {})
    return isinstance(notebook, dict) and all(notebook.get(k) == v for k, v in WHOLE.items())


def draw_lessons_whole(prefix: str | os.PathLike | None = None) -> bool:
    """Make "draw the notebook whole" the environment's default; True when the file changed. The file's
    other defaults are kept."""
    if lessons_drawn_whole(prefix):
        return False
    path = overrides_path(prefix)
    config = _read(path)
    notebook = config.get(NOTEBOOK, {})
    config[NOTEBOOK] = {**(notebook if isinstance(notebook, dict) else {}), **WHOLE}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(config, indent=2) + "\n")
    return True


def set_up(prefix: str | os.PathLike | None = None) -> bool:
    """JupyterLab as the course starts it: no news prompt, lessons drawn whole; True when a file changed."""
    news = turn_off_news_prompt(prefix)
    whole = draw_lessons_whole(prefix)
    return news or whole


def main() -> int:
    """Set JupyterLab up as the course starts it and say so: 0, or 1 with the reason on stderr when it
    cannot."""
    try:
        set_up()
    except (OSError, ValueError) as exc:
        print(f"JupyterLab is not set up as the course starts it: {exc}", file=sys.stderr)
        return 1
    print(f"JupyterLab starts without asking to fetch news ({page_config_path()})")
    print(f"and draws each lesson whole when it opens ({overrides_path()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
