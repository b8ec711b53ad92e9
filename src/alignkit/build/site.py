"""The course's Sphinx extension: charts that draw offline, and the site's own scripts.

* :class:`VegaLiteOffline` is a myst-nb mime renderer: a chart output (Vega-Lite JSON) becomes a
  ``<figure>`` holding the spec and its text alternative; ``_static/alignkit-charts.js`` draws it
  with the copies of Vega under ``_static/vendor`` (copied from npm at build time), and only on
  pages that have a chart.
* :func:`setup` serves this package's ``site_static`` folder (the script, the stylesheet, the icon)
  and the vendored copies, which ``make book`` writes to ``_build/vendor-static/vendor``, and reads
  Font Awesome's SVG files, which it copies to ``_build/vendor-icons/fontawesome-free`` (both from
  npm); it stops the build with a clear message when those are missing.
* It also drops sphinx-thebe's scripts, which Jupyter Book always adds: thebe would load its code
  from another host, and this site runs nothing from elsewhere.

For a fast, accessible site that stays useful without a kernel (see ``alignkit.build.sitecheck``):

* every page script is deferred (none blocks the first paint); the theme's 1.5 MB Font Awesome
  script is replaced by ``alignkit-icons.css``, written at the end of the build with only the
  icons the pages use, drawn as CSS masks from the SVG files of the npm package
  ``@fortawesome/fontawesome-free`` (the release the theme bundles);
* scripts and stylesheets are changed with Sphinx's public API only (the page context's
  ``script_files``/``css_files`` and ``app.add_js_file``/``app.add_css_file`` on
  ``html-page-context``), and the built HTML only on its parsed tree (BeautifulSoup), never with
  regular expressions;
* the widget manager is not added by myst-nb (``nb_ipywidgets_js: {}``): ``alignkit-charts.js``
  loads it, like Vega, only on pages that need it and only when a widget comes near the screen;
* each saved-state widget is wrapped with a notice saying it shows the saved view and pointing to
  the chart with a working control that follows it, or to the notebook for JupyterLab; the script
  disables its inputs so that it never looks live;
* each page gets a ``<meta name="description">`` from its first paragraph unless it sets one;
* launch buttons (Binder, Colab) are kept only when ``repository.url`` in ``_config.yml`` names a
  real repository (Jupyter Book's default address counts as none);
* :class:`ExerciseForm` renders a decision exercise (``application/vnd.alignkit.exercise+json``, see
  ``alignkit.ui.exercises.Exercise``) as a small form; ``_static/alignkit-exercises.js``, added only to
  pages with a form, checks answers with the Python checker's rules and keeps them in localStorage;
* the start page is served at the site root too (``index.html``, its relative addresses rewritten),
  not as a redirect;
* lesson pages get a "mark this lesson done" button and ``{course-progress}`` shows, on the start
  page, which lessons the reader has marked (kept in the browser's localStorage only).
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, SoupStrainer, Tag
from docutils import nodes
from docutils.parsers.rst import Directive

from .. import paths
from ..ui.charts import VEGALITE_LAB_MIME, VEGALITE_MIME
from ..ui.exercises import EXERCISE_MIME

VENDOR_FILES = (
    "vendor/vega.min.js",
    "vendor/vega-lite.min.js",
    "vendor/vega-embed.min.js",
    "vendor/html-manager/embed.js",
)


def chart_html(spec: dict) -> str:
    """The HTML of one chart: a figure with the spec as inert JSON and the description as caption."""
    description = spec.get("description", "Chart")
    data = json.dumps(spec, separators=(",", ":")).replace("</", "<\\/")
    return (
        f'<figure class="alignkit-chart">'
        f'<div class="alignkit-vega" style="min-height:{_reserved_height(spec)}px"></div>'
        f'<script type="application/json" class="alignkit-vega-spec">{data}</script>'
        f"<figcaption>{html.escape(description)}</figcaption></figure>"
    )


def _reserved_height(spec: dict) -> int:
    """Room kept for a chart before it is drawn (plot, title, axis labels, control), so that drawing
    it moves nothing else on the page."""
    height = spec.get("height", 300) if isinstance(spec.get("height"), int) else 300
    return height + 70 + (40 if spec.get("params") else 0)


class VegaLiteOffline:
    """Render Vega-Lite outputs as self-hosted charts on the HTML site (a myst-nb mime plugin)."""

    # The v6 spec draws the chart; the v5 copy (for JupyterLab) is known but never chosen here.
    mime_priority_overrides = [
        ("html", VEGALITE_MIME, 1),
        ("dirhtml", VEGALITE_MIME, 1),
        ("html", VEGALITE_LAB_MIME, 1000),
        ("dirhtml", VEGALITE_LAB_MIME, 1000),
    ]

    @staticmethod
    def handle_mime(renderer, data, inline):
        """A Vega-Lite v6 output as a self-hosted chart; nothing for JupyterLab's v5 copy; None for other types."""
        if data.mime_type == VEGALITE_LAB_MIME:
            return []  # JupyterLab's copy of the spec; the site draws the v6 one
        if data.mime_type != VEGALITE_MIME:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        return [nodes.raw(text=chart_html(spec), format="html", classes=["output", "text_html"])]


# --- decision exercises: a small form, checked in the browser --------------------------------------

EXERCISE_SCRIPT = "alignkit-exercises.js"


def _slug(exercise_id: str) -> str:
    return "exercise-" + re.sub(r"[^A-Za-z0-9]+", "-", str(exercise_id)).strip("-")


def exercise_html(spec: dict) -> str:
    """The form of one decision exercise. ``_static/alignkit-exercises.js`` (added only to pages that
    have one) checks an answer with the same rules as ``alignkit.ui.exercises.Exercise.check`` and keeps
    it in the browser; without the script the form still reads as a question."""
    e = html.escape
    slug = _slug(spec["id"])
    data = json.dumps(spec, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    unit = " in %" if spec.get("share") else (f" ({spec['unit']})" if spec.get("unit") else "")
    if spec["kind"] == "choice":
        field = "".join(
            f'<label class="alignkit-exercise-option"><input type="radio" name="{slug}-answer" '
            f'value="{e(o)}"> {e(o)}</label>'
            for o in spec["options"]
        )
        field = f'<div class="alignkit-exercise-options">{field}</div>'
    elif spec["kind"] == "text":
        field = (
            f'<label for="{slug}-answer">Your answer</label>'
            f'<textarea id="{slug}-answer" name="answer" rows="3" autocomplete="off"></textarea>'
        )
    else:
        field = (
            f'<label for="{slug}-answer">Your answer{e(unit)}</label> '
            f'<input type="text" inputmode="decimal" id="{slug}-answer" name="answer" autocomplete="off">'
        )
    return (
        f'<form class="alignkit-exercise" id="{slug}" data-exercise="{e(str(spec["id"]))}" '
        f'data-kind="{e(spec["kind"])}" novalidate>'
        f'<script type="application/json" class="alignkit-exercise-spec">{data}</script>'
        f'<fieldset><legend><span class="alignkit-exercise-label">Exercise {e(str(spec["id"]))}</span> '
        f'{e(spec["question"])} <span class="alignkit-exercise-time">(about {int(spec["minutes"])} min)</span>'
        f'</legend>{field}<div class="alignkit-exercise-actions pst-js-only"><button type="submit" '
        f'class="btn alignkit-exercise-check">Check my answer</button></div></fieldset>'
        f'<div class="alignkit-exercise-feedback" role="status" aria-live="polite"></div>'
        f'<p class="alignkit-exercise-note pst-js-only">Checked in this browser; your answer is kept in this '
        f"browser only and counts on the start page.</p></form>"
    )


class ExerciseForm:
    """Render decision exercises (``application/vnd.alignkit.exercise+json``) as forms on the HTML
    site, ahead of the JupyterLab widget that the same output carries (a myst-nb mime plugin)."""

    mime_priority_overrides = [("html", EXERCISE_MIME, 0), ("dirhtml", EXERCISE_MIME, 0)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        """A decision exercise's output as its HTML form (:func:`exercise_html`); None for other output types."""
        if data.mime_type != EXERCISE_MIME:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        return [nodes.raw(text=exercise_html(spec), format="html", classes=["output", "alignkit-exercise-output"])]


def exercise_ids(notebook: Path) -> list[str]:
    """The ids of the decision exercises a lesson shows, read from its saved outputs."""
    import nbformat

    ids = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        for out in cell.get("outputs", []):
            spec = out.get("data", {}).get(EXERCISE_MIME)
            if spec:
                ids.append(str((spec if isinstance(spec, dict) else json.loads(spec))["id"]))
    return ids


OWN_STATIC = paths.package_path("alignkit.build", "site_static")


def _default_icons_dir(config) -> str:
    """``make book`` copies Font Awesome's SVG files to ``_build/vendor-icons/fontawesome-free``."""
    return str(Path(config.alignkit_vendor_dir).parent / "vendor-icons" / "fontawesome-free")


def _add_static(app, config) -> None:
    vendor = Path(app.confdir) / config.alignkit_vendor_dir
    missing = [f for f in VENDOR_FILES if not (vendor / f).exists()]
    if missing:
        raise RuntimeError(
            f"The site's own copies of Vega and the widget manager are missing from {vendor} "
            f"({', '.join(missing)}). Run 'make book', which installs them from npm and copies "
            f"them there."
        )
    icons = Path(app.confdir) / config.alignkit_icons_dir
    if not (icons / "svgs" / "solid").is_dir():
        raise RuntimeError(
            f"Font Awesome's SVG files are missing from {icons}. Run 'make book', which installs "
            f"@fortawesome/fontawesome-free from npm and copies them there."
        )
    config.html_static_path = [*config.html_static_path, str(OWN_STATIC), str(vendor)]
    # layout.html: the theme's, without the Font Awesome script and with the search scripts deferred
    config.templates_path = [str(OWN_STATIC / "templates"), *config.templates_path]


# --- the page's scripts and stylesheets, changed with Sphinx's public API -----------------------------
# On html-page-context, context["script_files"] and context["css_files"] list the page's assets, and
# app.add_js_file/app.add_css_file add one to this page only (Sphinx's documented way, also used by the
# themes). An asset is changed by taking it out and adding it again with new attributes, in place, so
# that the order of the page's assets stays as it was.


def _static_name(filename: str | None) -> str | None:
    """The name app.add_js_file/add_css_file expect for an asset of the page: relative to _static/."""
    if filename is None or "://" in filename:
        return filename
    return filename.removeprefix("_static/")


def _can_add_again(filename) -> bool:
    """Whether app.add_js_file/add_css_file can add this asset again under the same address."""
    return isinstance(filename, str) and (filename.startswith("_static/") or "://" in filename)


def _asset_attributes(asset) -> dict:
    return dict(getattr(asset, "attributes", None) or {})


def _change_assets(app, context, key: str, change) -> None:
    """Rebuild ``context[key]`` (``script_files`` or ``css_files``) in place, in order: ``change(asset)``
    returns the asset (kept), None (dropped) or the attributes to add it again with (at its priority)."""
    assets = context.get(key)
    if not assets:
        return
    add = app.add_js_file if key == "script_files" else app.add_css_file
    readded = []
    old = list(assets)
    assets.clear()
    for asset in old:
        new = change(asset)
        if new is asset:
            assets.append(asset)
        elif new is not None:
            filename = getattr(asset, "filename", None)
            add(_static_name(filename), priority=getattr(asset, "priority", 500), **new)
            readded.append(filename)
    missing = [f for f in readded if f not in {getattr(a, "filename", None) for a in assets}]
    if missing:
        raise RuntimeError(
            f"{', '.join(map(str, missing))}: could not be changed on this page: another extension "
            f"replaced the page's {key} list instead of changing it."
        )


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    def keep(s):
        thebe = "sphinx-thebe" in str(getattr(s, "filename", s)) or "THEBE_JS_URL" in str(
            _asset_attributes(s).get("body", "")
        )
        return None if thebe else s

    _change_assets(app, context, "script_files", keep)


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
        """The concept map's HTML (:func:`alignkit.build.coursemap.concept_map_html`)."""
        from .coursemap import concept_map_html

        return concept_map_html()


class Pathway(_MapDirective):
    """``{pathway} Seller``: a role's lessons with their exercises and workshop activities."""

    required_arguments = 1

    def html(self) -> str:
        """The pathway of the role the directive names, as HTML (:func:`alignkit.build.coursemap.pathway_html`)."""
        from .coursemap import pathway_html

        return pathway_html(self.arguments[0])


# --- speed: deferred scripts, icons without the Font Awesome script --------------------------------


def _defer_scripts(app, pagename, templatename, context, doctree) -> None:
    """Defer every page script with a source (order kept; the inline ones only set variables). The
    search page keeps them as they are: its inline script calls doctools.js at once.

    The theme's inline scripts that fill in ``DOCUMENTATION_OPTIONS`` (``pagename``,
    ``search_as_you_type``) need ``documentation_options.js``, deferred here: they become module
    scripts, which run like deferred ones, once the page is parsed and in the page's order."""
    if pagename == "search":
        return

    def deferred(s):
        attrs = _asset_attributes(s)
        filename = getattr(s, "filename", None)
        classic = attrs.get("type", "text/javascript") == "text/javascript"
        if (
            filename
            and not attrs.get("body")
            and "async" not in attrs
            and "defer" not in attrs
            and classic
            and _can_add_again(filename)
        ):
            return {**attrs, "defer": "defer"}
        if filename is None and classic and "DOCUMENTATION_OPTIONS." in str(attrs.get("body", "")):
            return {**attrs, "type": "module"}
        return s

    _change_assets(app, context, "script_files", deferred)


# Stylesheets no page needs (thebe is dropped), one only some pages need, and the ones that do not
# change the first screen's layout (code colours, copy buttons, toggles): those load without
# blocking the first paint (media="print" until loaded, then all; without scripts they stay off,
# and what they style needs scripts anyway).
UNUSED_CSS = ("sphinx-thebe.css",)
PAGE_CSS = {"sphinx-design.min.css": "sd-"}  # only on pages with an element of a class beginning with it
LATE_CSS = ("pygments.css", "copybutton.css", "togglebutton.css")


def uses_classes(body: str, prefix: str) -> bool:
    """Whether an element of ``body`` has a class beginning with ``prefix`` (read on the parsed HTML;
    a page whose text never mentions the prefix is not parsed)."""
    if prefix not in body:
        return False
    strainer = SoupStrainer(class_=lambda c: c is not None and any(x.startswith(prefix) for x in c.split()))
    return BeautifulSoup(body, "html.parser", parse_only=strainer).find(True) is not None


def _trim_css(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body") or ""

    def trimmed(css):
        name = Path(str(getattr(css, "filename", css))).name
        attrs = _asset_attributes(css)
        if name in UNUSED_CSS or (name in PAGE_CSS and not uses_classes(body, PAGE_CSS[name])):
            return None
        if name in LATE_CSS and _can_add_again(getattr(css, "filename", None)) and attrs.get("media") in (None, "all"):
            attrs.pop("rel", None)
            attrs.pop("type", None)
            return {**attrs, "media": "print", "onload": "this.media='all'"}
        return css

    _change_assets(app, context, "css_files", trimmed)


ICON_MARKERS = {"fa", "fas", "far", "fab", "fa-solid", "fa-regular", "fa-brands"}
ICON_STYLES = {"fab": "brands", "fa-brands": "brands", "far": "regular", "fa-regular": "regular"}
NOT_ICONS = {
    "fa-solid",
    "fa-regular",
    "fa-brands",
    "fa-lg",
    "fa-xs",
    "fa-sm",
    "fa-xl",
    "fa-2x",
    "fa-fw",
    "fa-spin",
    "fa-pulse",
    "fa-border",
    "fa-inverse",
    "fa-flip",
    "fa-beat",
    "fa-fade",
    "fa-shake",
}


def _icon_file(folder: Path, style: str, name: str) -> Path | None:
    path = folder / "svgs" / style / f"{name}.svg"
    return path if path.is_file() else None


@functools.cache
def _icon_aliases(folder: Path) -> dict[str, str]:
    """Font Awesome's older names of its icons (``search`` -> ``magnifying-glass``), from its metadata;
    read only when a page names an icon that has no file of its own."""
    import yaml

    with open(folder / "icons.yml", encoding="utf-8") as f:
        icons = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {
        alias: name for name, meta in icons.items() for alias in ((meta or {}).get("aliases") or {}).get("names", [])
    }


def fontawesome_icon(folder: Path, style: str, name: str) -> tuple[int, int, list[str]] | None:
    """One icon of Font Awesome's SVG files in ``folder`` (the npm package's ``svgs/`` and
    ``icons.yml``): (width, height, path data), looked up in ``style`` then in ``solid``, by its name or
    an alias; None when Font Awesome has no such icon."""
    import xml.etree.ElementTree as ET

    for s in dict.fromkeys((style, "solid")):
        path = _icon_file(folder, s, name) or (
            _icon_file(folder, s, _icon_aliases(folder)[name]) if name in _icon_aliases(folder) else None
        )
        if path is not None:
            svg = ET.parse(path).getroot()
            _, _, w, h = (int(float(v)) for v in (svg.get("viewBox") or "").split())
            return w, h, [d for p in svg.iter("{http://www.w3.org/2000/svg}path") if (d := p.get("d"))]
    return None


# The theme's own icons drawn with the Font Awesome font in ::before/::after (selector, icon, style).
THEME_PSEUDO_ICONS = [
    (".admonition>.admonition-title:after,div.admonition>.admonition-title:after", "bell", "solid"),
    (
        ":is(.admonition,div.admonition):is(.attention,.important)>.admonition-title:after",
        "circle-exclamation",
        "solid",
    ),
    (
        ":is(.admonition,div.admonition):is(.caution,.warning,.danger)>.admonition-title:after",
        "triangle-exclamation",
        "solid",
    ),
    (":is(.admonition,div.admonition).error>.admonition-title:after", "circle-xmark", "solid"),
    (":is(.admonition,div.admonition):is(.hint,.tip)>.admonition-title:after", "lightbulb", "solid"),
    (":is(.admonition,div.admonition).note>.admonition-title:after", "circle-info", "solid"),
    (":is(.admonition,div.admonition).seealso>.admonition-title:after", "share", "solid"),
    (":is(.admonition,div.admonition).admonition-todo>.admonition-title:after", "pencil", "solid"),
    ("ul.bd-breadcrumbs li.breadcrumb-item:not(.breadcrumb-home):before", "angle-right", "solid"),
    (".nav-link.nav-external:after,nav.bd-links li>a.reference.external:after", "arrow-up-right-from-square", "solid"),
    ("a.reference.download:before", "download", "solid"),
    ("span.versionmodified:before", "circle-exclamation", "solid"),
    ("div#searchbox p.highlight-link a:before", "magnifying-glass-minus", "solid"),
    (".bd-sidebar-secondary.hide:not(:hover) .onthispage:after", "angle-down", "solid"),
    ("a.github:before", "github", "brands"),
    ("a.gitlab:before", "gitlab", "brands"),
]


def _mask(w: int, h: int, paths: list[str]) -> str:
    from urllib.parse import quote

    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}'>"
        + "".join(f"<path d='{d}'/>" for d in paths)
        + "</svg>"
    )
    return f'--ak-i:url("data:image/svg+xml,{quote(svg, safe=" /=:,.-")}");--ak-w:{w / h:.4g}em'


def icons_css(used: set[tuple[str, str]], folder: Path) -> str:
    """CSS drawing the given (style, name) icons, and the theme's own pseudo-element icons, as masks
    over the text colour, from Font Awesome's SVG files in ``folder``: no icon font and no icon
    script is loaded."""
    rules = [
        "/* Font Awesome Free icons (CC BY 4.0, https://fontawesome.com/license/free) used by these pages,\n"
        "   drawn as CSS masks: the site does not load Font Awesome's 1.5 MB script. */",
        ':is(.fa-solid,.fas,.fa-regular,.far,.fa-brands,.fab)::before{content:""!important;display:inline-block;'
        "width:var(--ak-w,1em);height:1em;vertical-align:-.125em;background-color:currentColor;"
        "-webkit-mask:var(--ak-i) center/contain no-repeat;mask:var(--ak-i) center/contain no-repeat}",
        ":is(.fa-solid,.fas,.fa-regular,.far,.fa-brands,.fab){font-family:inherit!important}",
    ]
    prefix = {"solid": "", "regular": ":is(.fa-regular,.far)", "brands": ":is(.fa-brands,.fab)"}
    for style, name in sorted(used):
        found = fontawesome_icon(folder, style, name)
        if found:
            rules.append(f"{prefix[style]}.fa-{name}{{{_mask(*found)}}}")
    pseudo = [selector for selector, _, _ in THEME_PSEUDO_ICONS]
    rules.append(
        f'{",".join(pseudo)}{{content:""!important;font:inherit!important;display:inline-block;'
        "width:1em;height:1em;vertical-align:-.125em;background-color:currentColor;"
        "-webkit-mask:var(--ak-i) center/contain no-repeat;mask:var(--ak-i) center/contain no-repeat}"
    )
    for selector, name, style in THEME_PSEUDO_ICONS:
        found = fontawesome_icon(folder, style, name)
        if found is None:
            raise RuntimeError(f"Font Awesome in {folder} has no {style} icon '{name}', which the theme draws.")
        rules.append(f"{selector}{{{_mask(*found)}}}")
    return "\n".join(rules) + "\n"


def icons_used(page: str) -> set[tuple[str, str]]:
    """The (style, name) Font Awesome icons a page's HTML uses: the classes of its elements marked
    ``fa``/``fas``/``far``/``fab`` or ``fa-solid``/``fa-regular``/``fa-brands`` (read on the parsed HTML,
    keeping only those elements)."""
    strainer = SoupStrainer(class_=lambda c: c is not None and not ICON_MARKERS.isdisjoint(c.split()))
    used = set()
    for tag in BeautifulSoup(page, "html.parser", parse_only=strainer).find_all(True):
        classes = tag.get_attribute_list("class")
        style = next((ICON_STYLES[c] for c in classes if c in ICON_STYLES), "solid")
        used |= {(style, c[3:]) for c in classes if c.startswith("fa-") and c not in NOT_ICONS}
    return used


def _write_icons(app, exception) -> None:
    if exception or app.builder.format != "html":
        return
    out = Path(app.outdir)
    used: set[tuple[str, str]] = set()
    for page in out.rglob("*.html"):
        if "_static" not in page.relative_to(out).parts:
            used |= icons_used(page.read_text(encoding="utf-8"))
    css = icons_css(used, Path(app.confdir) / app.config.alignkit_icons_dir)
    (out / "_static" / "alignkit-icons.css").write_text(css, encoding="utf-8")


# --- the theme's stylesheet without the rules no page can use ----------------------------------------

PURGED_CSS = ("styles/pydata-sphinx-theme.css",)
CLASS_IN_SELECTOR = re.compile(r"\.((?:[A-Za-z0-9_-]|\\.)+)")


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :is(...) or [attr=","])."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(prelude):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def purge_css(css: str, words: set[str], patterns: tuple[re.Pattern, ...] = ()) -> str:
    """``css`` without the selectors that name a class appearing nowhere in ``words`` (every word of
    the site's pages and scripts, so classes that scripts add are kept, and classes beginning with
    a word of theirs that ends in '-', or matching one of ``patterns``: the class names scripts build
    in template strings, ``bs-${NAME}-auto``); a rule left with no
    selector is dropped. Conservative: element, attribute and pseudo-class selectors, at-rules
    other than @media/@supports, and selectors with escaped characters are kept as they are."""
    import tinycss2

    # scripts build some class names from a prefix ("bs-tooltip-" + placement): keep those too
    prefixes = tuple(w for w in words if w.endswith("-") and len(w) > 3)
    known: dict[str, bool] = {}

    def used(name: str) -> bool:
        if name not in known:
            known[name] = name in words or name.startswith(prefixes) or any(p.fullmatch(name) for p in patterns)
        return known[name]

    def keep(selector: str) -> bool:
        # a class inside :not(...) that no page uses leaves the selector matching: judge it without them
        names = CLASS_IN_SELECTOR.findall(_without_not(selector))
        return any("\\" in n for n in names) or all(used(n) for n in names)

    def walk(rules) -> list[str]:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                prelude = tinycss2.serialize(rule.prelude)
                kept = [s for s in _split_selectors(prelude) if keep(s)]
                if kept:
                    out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content) + "}")
            elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
                inner = walk(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
                if inner:
                    out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
            elif rule.type == "at-rule":
                out.append(tinycss2.serialize([rule]))
        return out

    sheet = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "\n".join(walk(sheet)) + "\n"


def _without_not(selector: str) -> str:
    """``selector`` with every ``:not(...)`` group (nested parentheses included) taken out."""
    out: list[str] = []
    i = 0
    while True:
        j = selector.find(":not(", i)
        if j < 0:
            return "".join(out) + selector[i:]
        out.append(selector[i:j])
        depth, k = 0, j + 4
        while k < len(selector):
            depth += {"(": 1, ")": -1}.get(selector[k], 0)
            k += 1
            if depth == 0:
                break
        i = k


TEMPLATE_CLASS = re.compile(r"[A-Za-z0-9_-]*(?:\$\{[^}]*\}[A-Za-z0-9_-]*)+")


def _site_words(out: Path) -> tuple[set[str], tuple[re.Pattern, ...]]:
    """Every word of the site's pages and scripts, and the class-name templates of its scripts as
    patterns (``bs-${NAME}-auto`` -> ``bs-[\\w-]*-auto``; only those with 3 or more fixed characters)."""
    words: set[str] = set()
    patterns: set[str] = set()
    for path in [*out.rglob("*.html"), *(out / "_static").rglob("*.js")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        words |= set(re.findall(r"[A-Za-z0-9_-]+", text))
        if path.suffix == ".js":
            for t in TEMPLATE_CLASS.findall(text):
                fixed = re.split(r"\$\{[^}]*\}", t)
                if sum(map(len, fixed)) >= 3:
                    patterns.add("[A-Za-z0-9_-]*".join(map(re.escape, fixed)))
    return words, tuple(re.compile(p) for p in sorted(patterns))


def _theme_static() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def _purge_theme_css(app, exception) -> None:
    """Write the trimmed theme stylesheet over the copy in the built site; the theme's own file (read
    from the installed theme, never from the site) is kept beside it as ``….full.css``."""
    if exception or app.builder.format != "html":
        return
    out = Path(app.outdir)
    words = None
    for rel in PURGED_CSS:
        path, original = out / "_static" / rel, _theme_static() / rel
        if not path.exists() or not original.exists():
            continue
        words = words if words is not None else _site_words(out)
        css = original.read_text(encoding="utf-8")
        path.with_name(path.stem + ".full.css").write_text(css, encoding="utf-8")
        path.write_text(purge_css(css, *words), encoding="utf-8")


# --- what a page says about itself --------------------------------------------------------------


def _description(doctree) -> str:
    """The page's first real paragraph, shortened to about 155 characters."""
    skip = (nodes.admonition, nodes.topic, nodes.sidebar, nodes.table, nodes.footnote, nodes.citation)
    for para in doctree.findall(nodes.paragraph):
        parent, inside = para.parent, False
        while parent is not None:
            if isinstance(parent, skip) or "cell_output" in parent.get("classes", []):
                inside = True
                break
            parent = parent.parent
        text = " ".join(para.astext().split())
        if inside or len(text) < 40:
            continue
        if len(text) > 155:
            text = text[:152].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return text
    return ""


def _meta_description(app, pagename, templatename, context, doctree) -> None:
    metatags = context.get("metatags", "")
    if 'name="description"' in metatags:
        return  # the page sets its own (html_meta in its front matter)
    text = _description(doctree) if doctree is not None else ""
    if not text:
        title = _title_text(context) or pagename
        text = (
            f"{title}: {app.config.html_title or app.config.project}, an open course on aligning "
            "sales and marketing teams."
        )
    # theme.css only @imports basic.css: fetching it at once saves a round trip before the first paint
    preload = f'<link rel="preload" as="style" href="{context["pathto"]("_static/basic.css", 1)}" />'
    context["metatags"] = metatags + f'\n<meta name="description" content="{html.escape(text)}" />\n{preload}'


# --- the page's body, changed on its parsed HTML ----------------------------------------------------

WIDGET_VIEW_TYPE = "application/vnd.jupyter.widget-view+json"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _title_text(context) -> str:
    """The page's title as plain text (the context has it as HTML)."""
    return BeautifulSoup(context.get("title", ""), "html.parser").get_text()


def _tag(soup: BeautifulSoup, name: str, attrs: dict | None = None, *children) -> Tag:
    """A new element holding ``children`` (text or elements)."""
    tag = soup.new_tag(name, attrs=attrs or {})
    for child in children:
        tag.append(child)
    return tag


def _chart_after(view: Tag) -> Tag | None:
    """The first chart after ``view`` in its section: none once a heading or a section starts, or the
    section ends."""
    home = view.find_parent("section")
    for el in view.next_elements:
        if not isinstance(el, Tag):
            continue
        if el.name == "section" or el.name in HEADINGS:
            return None
        if home is not None and not any(p is home for p in el.parents):
            return None  # past the end of the widget's section
        if el.name == "figure" and "alignkit-chart" in el.get_attribute_list("class"):
            return el
    return None


def saved_widget_notices(soup: BeautifulSoup, notebook_href: str) -> None:
    """Wrap every saved-state widget with a notice that it shows the saved view. When a chart with a
    working control follows it in the same section, the notice points to that chart; otherwise to the
    notebook, for JupyterLab. Every chart gets an id (``alignkit-chart-1``, ...) to point to."""
    for n, figure in enumerate(soup.find_all("figure", class_="alignkit-chart"), 1):
        figure["id"] = f"alignkit-chart-{n}"
    for n, view in enumerate(soup.find_all("script", type=WIDGET_VIEW_TYPE), 1):
        chart = _chart_after(view)
        spec = chart.find("script", class_="alignkit-vega-spec") if chart is not None else None
        if chart is not None and spec is not None and '"bind"' in spec.get_text():
            where = [
                _tag(soup, "a", {"href": f"#{chart['id']}"}, "The chart below"),
                " works on this page: use its control to see what changing this one does.",
            ]
        else:
            where = ["The lesson's text and tables around it show what changing it does."]
        notice = _tag(
            soup,
            "p",
            {"class": "alignkit-saved-notice", "id": f"alignkit-saved-{n}"},
            _tag(soup, "strong", None, "Saved view."),
            " This control needs Python running, so here it shows the view saved when the lesson "
            "was run, and does not respond. ",
            *where,
            " To use it, ",
            _tag(soup, "a", {"href": notebook_href, "download": ""}, "download the notebook"),
            " and open it in JupyterLab.",
        )
        box = view.wrap(
            _tag(
                soup,
                "div",
                {"class": "alignkit-saved-widget", "role": "group", "aria-labelledby": f"alignkit-saved-{n}"},
            )
        )
        box.insert(0, notice)


def drop_thebe_config(soup: BeautifulSoup) -> None:
    """Take out sphinx-thebe's configuration (a placeholder Binder repository), of no use without
    thebe: its ``text/x-thebe-config`` script, the ``kernelName = ...`` script after it, and the blank
    text around them."""
    for config in soup.find_all("script", type="text/x-thebe-config"):
        after = config.find_next_sibling()
        if after is None or after.name != "script" or after.attrs or not after.get_text().startswith("kernelName = "):
            continue
        for el in [config.previous_sibling, config.next_sibling]:
            if isinstance(el, NavigableString) and not el.strip():
                el.extract()
        config.extract()
        after.extract()


def _done_box(soup: BeautifulSoup, pagename: str, title: str, start_href: str) -> Tag:
    return _tag(
        soup,
        "div",
        {"class": "alignkit-done-box pst-js-only"},
        _tag(
            soup,
            "button",
            {"type": "button", "class": "alignkit-done btn", "data-lesson": pagename, "aria-pressed": "false"},
            f"Mark “{title}” as done",
        ),
        " ",
        _tag(
            soup,
            "span",
            {"class": "alignkit-done-note"},
            "Saved in this browser only; your progress shows on the ",
            _tag(soup, "a", {"href": start_href}, "start page"),
            ".",
        ),
    )


def _is_lesson(app, pagename: str) -> bool:
    return pagename.startswith("notebooks/") and str(app.env.doc2path(pagename)).endswith(".ipynb")


# a page whose body holds none of these, and is not a lesson, has nothing to change and is not parsed
BODY_MARKERS = ("text/x-thebe-config", "alignkit-exercise")


def _page_body(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if not body or doctree is None:
        return
    lesson = _is_lesson(app, pagename)
    if not lesson and not any(marker in body for marker in BODY_MARKERS):
        return
    soup = BeautifulSoup(body, "html.parser")
    drop_thebe_config(soup)
    forms = soup.find_all("form", class_="alignkit-exercise")
    for form in forms:
        form["data-lesson"] = pagename
    if forms:
        app.add_js_file(EXERCISE_SCRIPT, loading_method="defer")  # on this page only
    if lesson:
        notebook = context["pathto"]("_sources/" + context.get("sourcename", pagename + ".ipynb"), 1)
        saved_widget_notices(soup, notebook)
        soup.append(_done_box(soup, pagename, _title_text(context), context["pathto"](app.config.root_doc)))
    context["body"] = str(soup)


# --- launch buttons only with a real repository --------------------------------------------------

PLACEHOLDER_REPOSITORIES = (
    "github.com/executablebooks/jupyter-book",
    "example",
    "your-",
    "placeholder",
    "todo",
    "<",
    "{",
)


def repository_url(config) -> str:
    """The repository address from ``_config.yml`` (``repository.url``), or '' if none or a placeholder."""
    url = str((config.html_theme_options or {}).get("repository_url") or "").strip()
    if not url.startswith(("https://", "http://")) or any(p in url.lower() for p in PLACEHOLDER_REPOSITORIES):
        return ""
    return url


def _launch_buttons(app, config) -> None:
    options = dict(config.html_theme_options or {})
    if not repository_url(config):
        options["repository_url"] = ""
        options["launch_buttons"] = {
            k: ("" if k.endswith("_url") else v) for k, v in (options.get("launch_buttons") or {}).items()
        }
        for button in ("use_repository_button", "use_issues_button", "use_edit_page_button"):
            options[button] = False
    config.html_theme_options = options


# --- progress -----------------------------------------------------------------------------------


class progress_node(nodes.General, nodes.Element):
    """Where ``{course-progress}`` goes: replaced by the list of lessons once the table of contents is known."""

    pass


class CourseProgress(Directive):
    """``{course-progress}``: the lessons with the ones this reader marked done (from localStorage)."""

    def run(self):
        """A placeholder node, which the list of lessons replaces when the doctree is resolved."""
        return [progress_node()]


def _lessons_in_order(env) -> list[str]:
    order: list[str] = []

    def walk(doc: str) -> None:
        for child in env.toctree_includes.get(doc, []):
            if child not in order:
                order.append(child)
                walk(child)

    walk(env.config.root_doc)
    return [d for d in order if d.startswith("notebooks/")]


def _exercises_of(app, docname: str) -> list[str]:
    path = Path(app.env.doc2path(docname))
    return exercise_ids(path) if path.suffix == ".ipynb" else []


def _fill_progress(app, doctree, docname) -> None:
    for node in doctree.findall(progress_node):
        items = "".join(
            f'<li data-lesson="{html.escape(d)}" data-exercises="{html.escape(" ".join(_exercises_of(app, d)))}">'
            f'<a href="{html.escape(app.builder.get_relative_uri(docname, d))}">'
            f'{html.escape(app.env.titles[d].astext())}</a> <span class="alignkit-progress-mark"></span></li>'
            for d in _lessons_in_order(app.env)
        )
        node.replace_self(
            nodes.raw(
                "",
                (
                    '<div class="alignkit-progress" aria-labelledby="alignkit-progress-title">'
                    '<p id="alignkit-progress-title"><strong>Your progress</strong> '
                    '<span class="alignkit-progress-count">(mark a lesson done at the end of its page; exercises you '
                    "answer right count too)</span></p>"
                    f'<progress class="alignkit-progress-bar pst-js-only" max="1" value="0" '
                    f'aria-labelledby="alignkit-progress-title"></progress><ol>{items}</ol>'
                    '<p class="alignkit-progress-note">Kept in this browser only: nothing is sent anywhere. '
                    '<button type="button" class="alignkit-progress-reset btn pst-js-only">'
                    "Clear my progress</button></p>"
                    "</div>"
                ),
                format="html",
            )
        )


# --- the start page at the site root ---------------------------------------------------------------

URL_ATTRIBUTES = ("href", "src", "action", "data-content_root")


def root_page(start_html: str, start_dir: str) -> str:
    """The start page served at the site root: the same HTML with every relative address (``href``,
    ``src``, ``action``, ``data-content_root``) rewritten from its folder (``start_dir``, e.g. 'book')
    to the root, so that nothing redirects."""
    parts = Path(start_dir).parts
    depth = len(parts)

    def move(url: str) -> str:
        if re.match(r"^(#|[a-z][a-z0-9+.-]*:|/)", url):
            return url  # in-page anchors, other schemes and absolute paths stay as they are
        up = 0
        while url.startswith("../") and up < depth:
            url, up = url[3:], up + 1
        if up < depth:  # still inside the start page's folder (or a sub-folder of it)
            url = "/".join(parts[: depth - up]) + "/" + url
        return url or "./"

    soup = BeautifulSoup(start_html, "html.parser")
    for tag in soup.find_all(True):
        for attr in URL_ATTRIBUTES:
            if tag.has_attr(attr):
                tag[attr] = move(str(tag[attr]))
    return str(soup)


def _write_root(app, exception) -> None:
    if exception or app.builder.name != "html" or app.config.root_doc == "index":
        return
    out = Path(app.outdir)
    start = out / f"{app.config.root_doc}.html"
    if start.exists():
        folder = str(Path(app.config.root_doc).parent)
        (out / "index.html").write_text(root_page(start.read_text(encoding="utf-8"), folder), encoding="utf-8")


def setup(app):
    """Register the course site's directives, progress node, settings and page and build hooks with Sphinx."""
    app.setup_extension(
        "alignkit.build.labsite"
    )  # the prose's {eval} figures; widget state for JupyterLab only dropped
    app.add_directive("concept-map", ConceptMap)
    app.add_directive("pathway", Pathway)
    app.add_directive("course-progress", CourseProgress)
    app.add_node(progress_node)
    app.add_config_value("alignkit_vendor_dir", "_build/vendor-static", "html")
    # Font Awesome's SVG files, read at build time (not served); by default next to the vendored scripts
    app.add_config_value("alignkit_icons_dir", _default_icons_dir, "html")
    app.connect("config-inited", _add_static)
    app.connect("config-inited", _launch_buttons)
    app.connect("doctree-resolved", _fill_progress)
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _meta_description)
    app.connect("html-page-context", _page_body)
    app.connect("html-page-context", _defer_scripts, priority=900)
    app.connect("html-page-context", _trim_css, priority=900)
    app.connect("build-finished", _write_icons)
    app.connect("build-finished", _purge_theme_css)
    # before sphinx-external-toc, which writes a redirect only when there is no index.html
    app.connect("build-finished", _write_root, priority=400)
    app.add_js_file("alignkit-charts.js", defer="defer")
    app.add_css_file("alignkit.css")
    app.add_css_file("alignkit-icons.css")
    # the final assessment, the record check and the printable checklists (alignkit.ui.assessment, alignkit.ui.onmonday)
    app.add_js_file("alignkit-assessment.js", defer="defer")
    app.add_css_file("alignkit-practice.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
