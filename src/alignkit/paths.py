"""Where the course's folders are: one configured root, and the files that ship inside the package.

The course's sample data (``data/``), lessons (``notebooks/``), pages (``book/``), workshop files
(``workshop/``) and build output (``_build/``) belong to a copy of the course, not to the package.
:func:`root` is that copy, the first of:

1. the folder named by the environment variable ``ALIGNKIT_ROOT``;
2. the checkout the package runs from (``src/alignkit`` in a folder with ``pyproject.toml``: the
   editable install of ``make setup`` and of the workshop kit);
3. the current folder, or the nearest of its parents, that holds a ``data/`` folder (an installed
   wheel, used from inside a copy of the course, e.g. from ``notebooks/``);
4. the current folder.

Files that ship inside the package (the site's static files, the CRM presets, the scorecard's JSON
schema, the playbook's example answers) are found with :mod:`importlib.resources`
(:func:`package_path`), so they work from an installed wheel too.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

ROOT_ENV = "ALIGNKIT_ROOT"


def _checkout() -> Path | None:
    """The checkout this package runs from (``<checkout>/src/alignkit``), if it does."""
    here = Path(__file__).resolve().parent
    top = here.parents[1]
    if here.parent.name == "src" and (top / "pyproject.toml").is_file():
        return top
    return None


def root() -> Path:
    """The copy of the course the package works on (see the module's docstring for how it is found)."""
    configured = os.environ.get(ROOT_ENV, "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    checkout = _checkout()
    if checkout is not None:
        return checkout
    cwd = Path.cwd().resolve()
    return next((p for p in (cwd, *cwd.parents) if (p / "data").is_dir()), cwd)


def data_dir() -> Path:
    """The sample data: one folder per company, and the data dictionary."""
    return root() / "data"


def notebooks_dir() -> Path:
    """The lessons."""
    return root() / "notebooks"


def book_dir() -> Path:
    """The site's pages that are not notebooks."""
    return root() / "book"


def workshop_dir() -> Path:
    """The workshop's files: solutions, facilitator notes, preflight, the JupyterHub configuration."""
    return root() / "workshop"


def build_dir() -> Path:
    """Where builds go: the site, the workshop kit, the handouts."""
    return root() / "_build"


def package_path(package: str, name: str) -> Path:
    """A file or folder shipped inside ``package`` (``package_path("alignkit.build", "site_static")``)."""
    return Path(str(files(package).joinpath(name)))
