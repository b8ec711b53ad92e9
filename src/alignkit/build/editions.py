"""The learner and facilitator editions of the course, from one source (a Sphinx extension).

The lessons in ``notebooks/`` are the **learner edition**: what a participant opens in JupyterLab.
Solutions and facilitator notes live beside them, one YAML file per lesson in ``workshop/solutions/``
(``03-one-journey-shared-metrics.yml`` for ``03-one-journey-shared-metrics.ipynb``). Each entry names
the lesson cell it follows (``after``: text that appears in exactly one cell) and holds a facilitator
note (Markdown) and/or a solution (code)::

    notebook: 03-one-journey-shared-metrics.ipynb
    cells:
      - after: "check_biggest_drop(step, owner)"
        facilitator: |
          What to look for ...
        solution: |
          step = ...
          check_biggest_drop(step, owner)

In the facilitator edition those entries become cells of the notebook, right after their anchor: a
Markdown cell tagged ``facilitator`` and a code cell tagged ``solution``, executed with the rest of
the lesson, so the solution shows its checker's "Right" on the page.

As a Sphinx extension (``alignkit.build.editions`` in ``extra_extensions``) it

* picks the edition: the config value ``alignkit_edition`` if set, else the environment variable
  ``ALIGNKIT_EDITION`` (``learner`` unless it says ``facilitator``);
* sets the Sphinx tag ``facilitator`` or ``learner``, so Markdown pages can hold
  ``{only} facilitator`` blocks;
* rewrites every notebook when Sphinx reads it (the ``source-read`` event): the learner edition drops
  any cell tagged ``solution`` or ``facilitator``; the facilitator edition adds the lesson's entries;
* after the build, rewrites the downloadable copies under ``_sources/`` the same way (Sphinx copies
  those from disk, not from what it read), and strips ``{only} facilitator`` blocks from the copies
  of Markdown pages in the learner edition;
* serves the print stylesheet ``book/templates/alignkit-print.css`` (navigation hidden, handouts on
  paper) as ``_static/alignkit-print.css``, for print only;
* (with :mod:`alignkit.build.directives`, its own extension) the facilitator guide's agendas and
  activities follow the edition: in the facilitator edition only, an activity shows the "What good
  looks like" paragraph of the facilitator note anchored on its heading (the lessons never hold it).

:func:`write_notebooks` writes every lesson in one edition (``python -m alignkit.build.workshop notebooks``).
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

from .. import paths

EDITIONS = ("learner", "facilitator")
EDITION_ENV = "ALIGNKIT_EDITION"
SOLUTION_TAG = "solution"
FACILITATOR_TAG = "facilitator"
HIDDEN_TAGS = frozenset({SOLUTION_TAG, FACILITATOR_TAG})
SOLUTIONS_DIR = paths.workshop_dir() / "solutions"
PRINT_CSS = paths.book_dir() / "templates" / "alignkit-print.css"

# The title every injected note starts with, so a reader (and a test) can tell it apart.
NOTE_TITLE = "Facilitator note"
SOLUTION_HEADER = "# Solution (facilitator edition)"


def edition_from_env(value: str | None = None) -> str:
    """The edition asked for: ``value`` if given, else ``$ALIGNKIT_EDITION``; ``learner`` by default."""
    raw = (value if value else os.environ.get(EDITION_ENV, "")).strip().lower() or "learner"
    if raw not in EDITIONS:
        raise ValueError(
            f"unknown edition '{raw}': choose {' or '.join(EDITIONS)} (set {EDITION_ENV} or alignkit_edition)."
        )
    return raw


def cell_tags(cell: dict) -> set[str]:
    """A notebook cell's tags (nbformat JSON as a dict)."""
    return set(cell.get("metadata", {}).get("tags", []))


def learner_notebook(nb: dict) -> dict:
    """A copy of a notebook (nbformat JSON as a dict) without solution or facilitator cells."""
    out = copy.deepcopy(nb)
    out["cells"] = [c for c in out["cells"] if not (cell_tags(c) & HIDDEN_TAGS)]
    return out


def load_extras(notebook_name: str, solutions_dir: Path = SOLUTIONS_DIR) -> list[dict]:
    """The solution and note entries for one lesson (``[]`` if it has none yet)."""
    import yaml

    path = Path(solutions_dir) / (Path(notebook_name).stem + ".yml")
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if data.get("notebook") != Path(notebook_name).name:
        raise ValueError(f"{path} says it belongs to '{data.get('notebook')}', not '{Path(notebook_name).name}'.")
    entries = data.get("cells", [])
    for i, entry in enumerate(entries):
        if not entry.get("after") or not (entry.get("solution") or entry.get("facilitator")):
            raise ValueError(f"{path}, entry {i + 1}: needs 'after' and a 'solution' or a 'facilitator' note.")
    return entries


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _note_cell(text: str, cell_id: str) -> dict:
    body = f":::{{admonition}} {NOTE_TITLE}\n:class: tip alignkit-facilitator\n{text.strip()}\n:::"
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": [FACILITATOR_TAG]}, "source": body}


def _solution_cell(code: str, cell_id: str) -> dict:
    return {
        "cell_type": "code",
        "id": cell_id,
        "metadata": {"tags": [SOLUTION_TAG]},
        "execution_count": None,
        "outputs": [],
        "source": f"{SOLUTION_HEADER}\n{code.strip()}",
    }


def facilitator_notebook(nb: dict, entries: list[dict], name: str = "the notebook") -> dict:
    """A copy of a learner notebook with each entry's note and solution after its anchor cell."""
    out = learner_notebook(nb)
    for n, entry in enumerate(reversed(entries)):  # reversed: earlier anchors keep their positions
        anchor = entry["after"]
        hits = [i for i, c in enumerate(out["cells"]) if anchor in _source(c) and not (cell_tags(c) & HIDDEN_TAGS)]
        if len(hits) != 1:
            raise ValueError(
                f"the anchor {anchor!r} for {name} matches {len(hits)} cells; it must match exactly one. "
                f"Update workshop/solutions/ to the lesson's current text."
            )
        k = len(entries) - n
        new = []
        if entry.get("facilitator"):
            new.append(_note_cell(entry["facilitator"], f"facilitator-{k}"))
        if entry.get("solution"):
            new.append(_solution_cell(entry["solution"], f"solution-{k}"))
        out["cells"][hits[0] + 1 : hits[0] + 1] = new
    return out


def notebook_for_edition(text: str, name: str, edition: str, solutions_dir: Path = SOLUTIONS_DIR) -> str:
    """The JSON text of a notebook in the given edition (``name``: its file name, for its extras)."""
    nb = json.loads(text)
    if edition == "facilitator":
        nb = facilitator_notebook(nb, load_extras(name, solutions_dir), name)
    else:
        nb = learner_notebook(nb)
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


# ```{only} facilitator ... ``` and :::{only} facilitator ... ::: blocks (fences of 3 or more).
_ONLY_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{only\}\s+facilitator[^\n]*\n.*?^(?P=fence)[ \t]*$\n?", re.MULTILINE | re.DOTALL
)


def strip_facilitator_blocks(markdown: str) -> str:
    """A Markdown page without its ``{only} facilitator`` blocks (for the learner edition's copies)."""
    return _ONLY_BLOCK.sub("", markdown)


def _edition(app) -> str:
    return edition_from_env(app.config.alignkit_edition)


def _config_inited(app, config) -> None:
    edition = edition_from_env(config.alignkit_edition)
    config.alignkit_edition = edition  # stored, so switching editions rebuilds every page
    app.tags.add(edition)


def _source_read(app, docname, source) -> None:
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    solutions = Path(app.confdir) / app.config.alignkit_solutions_dir
    source[0] = notebook_for_edition(source[0], path.name, _edition(app), solutions)
    if _edition(app) == "facilitator":  # rebuild the page when its solutions change
        extras = solutions / (path.stem + ".yml")
        if extras.exists():
            app.env.note_dependency(str(extras))


def _copy_print_css(app, exception=None) -> None:
    """Put the print stylesheet into ``_static`` (before the pages are written, so their links carry
    its checksum, and again at the end, as Sphinx does not overwrite a changed static file)."""
    if exception is not None or app.builder.format != "html" or not PRINT_CSS.exists():
        return
    target = Path(app.outdir) / "_static" / PRINT_CSS.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(PRINT_CSS.read_bytes())


def _rewrite_sources(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _copy_print_css(app)
    sources = Path(app.outdir) / "_sources"
    if not sources.is_dir():
        return
    edition = _edition(app)
    solutions = Path(app.confdir) / app.config.alignkit_solutions_dir
    for path in sources.rglob("*"):
        name = path.name.removesuffix(".txt")
        if name.endswith(".ipynb"):
            path.write_text(
                notebook_for_edition(path.read_text(encoding="utf-8"), name, edition, solutions), encoding="utf-8"
            )
        elif name.endswith(".md") and edition != "facilitator":
            path.write_text(strip_facilitator_blocks(path.read_text(encoding="utf-8")), encoding="utf-8")


def write_notebooks(out: Path, edition: str) -> list[Path]:
    """Write every lesson in the given edition to ``out`` (for a facilitator's own JupyterLab)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(paths.notebooks_dir().glob("[0-9][0-9]-*.ipynb")):
        target = out / path.name
        target.write_text(notebook_for_edition(path.read_text(encoding="utf-8"), path.name, edition), encoding="utf-8")
        written.append(target)
    return written


def setup(app):
    """Sphinx: the edition's configuration, tag, notebook rewriting and print stylesheet."""
    app.add_config_value("alignkit_edition", "", "env")
    app.add_config_value("alignkit_solutions_dir", "workshop/solutions", "env")
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _copy_print_css)
    app.connect("source-read", _source_read)
    app.connect("build-finished", _rewrite_sources)
    app.add_css_file("alignkit-print.css", media="print")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
