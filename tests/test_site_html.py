"""The site extension's work on HTML (alignkit.build.site): done on parsed trees, with Font Awesome's npm SVG
files for the icons and Sphinx's public API only. The built site is checked in tests/browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from alignkit.build import site

REPO = Path(__file__).resolve().parents[1]
ICONS = REPO / "_build" / "vendor-icons" / "fontawesome-free"
VIEW = '<script type="application/vnd.jupyter.widget-view+json">{"model_id": "m%d"}</script>'


def chart(bind: bool) -> str:
    spec = {"mark": "bar", "params": [{"name": "p", "bind": {"input": "range"}}] if bind else []}
    return site.chart_html({"description": "A chart", **spec})


def notices(body: str) -> BeautifulSoup:
    soup = BeautifulSoup(body, "html.parser")
    site.saved_widget_notices(soup, "../_sources/notebooks/03-x.ipynb")
    return BeautifulSoup(str(soup), "html.parser")  # as the page will read


def test_a_saved_widget_points_to_the_live_chart_after_it_in_its_section():
    soup = notices(f'<section id="a"><h2>A</h2><div>{VIEW % 1}</div><p>text</p><div>{chart(True)}</div></section>')
    box = soup.select_one("div.alignkit-saved-widget")
    assert box["aria-labelledby"] == "alignkit-saved-1" and box["role"] == "group"
    assert box.find("script")["type"] == "application/vnd.jupyter.widget-view+json"  # the view is inside
    notice = box.select_one("p.alignkit-saved-notice#alignkit-saved-1")
    assert notice.strong.get_text() == "Saved view."
    assert [a.get("href") for a in notice.find_all("a")] == ["#alignkit-chart-1", "../_sources/notebooks/03-x.ipynb"]
    assert notice.find("a", download=True) is not None
    assert soup.find("figure")["id"] == "alignkit-chart-1"


@pytest.mark.parametrize(
    "body",
    [
        f"<section><div>{VIEW % 1}</div><h3>Next</h3>{chart(True)}</section>",  # after a heading
        f"<section><div>{VIEW % 1}</div></section><section>{chart(True)}</section>",  # in the next section
        f"<section><div>{VIEW % 1}</div><section><p>x</p>{chart(True)}</section></section>",  # in a sub-section
        f"<section><div>{VIEW % 1}</div>{chart(False)}</section>",  # a chart without control
        f"<section>{chart(True)}<div>{VIEW % 1}</div></section>",  # before the widget
    ],
)
def test_a_saved_widget_without_a_live_chart_after_it_points_to_the_notebook(body):
    soup = notices(body)
    notice = soup.select_one("p.alignkit-saved-notice")
    assert [a["href"] for a in notice.find_all("a")] == ["../_sources/notebooks/03-x.ipynb"]
    assert "The lesson's text and tables around it show what changing it does." in notice.get_text()


def test_every_widget_and_chart_is_numbered_and_text_stays_text():
    soup = notices(f"<section><p>a &lt;b&gt; &amp; c</p>{VIEW % 1}{chart(True)}{VIEW % 2}{chart(True)}</section>")
    assert [f["id"] for f in soup.find_all("figure")] == ["alignkit-chart-1", "alignkit-chart-2"]
    assert [n["id"] for n in soup.select("p.alignkit-saved-notice")] == ["alignkit-saved-1", "alignkit-saved-2"]
    assert [n.find("a")["href"] for n in soup.select("p.alignkit-saved-notice")] == [
        "#alignkit-chart-1",
        "#alignkit-chart-2",
    ]
    assert soup.p.get_text() == "a <b> & c"
    assert json.loads(soup.select_one("script.alignkit-vega-spec").get_text())["mark"] == "bar"


def test_thebe_configuration_is_taken_out_and_nothing_else():
    body = (
        '<p>a</p>\n <script type="text/x-thebe-config">{"binderOptions": {}}</script>\n'
        '<script>kernelName = "python3"</script>\n<p>b</p><script>other = 1</script>'
    )
    soup = BeautifulSoup(body, "html.parser")
    site.drop_thebe_config(soup)
    assert str(soup) == "<p>a</p>\n<p>b</p><script>other = 1</script>"  # as the regular expression did


def test_the_root_page_rewrites_addresses_in_any_quoting():
    page = (
        "<html data-content_root='../'><body><a href='../notebooks/00.html'>l</a>"
        '<a href="glossary.html?x=1&amp;y=2">g</a><a data-href="keep.html">k</a></body></html>'
    )
    soup = BeautifulSoup(site.root_page(page, "book"), "html.parser")
    assert soup.html["data-content_root"] == "./"
    assert [a.get("href") for a in soup.find_all("a")] == ["notebooks/00.html", "book/glossary.html?x=1&y=2", None]
    assert soup.find_all("a")[2]["data-href"] == "keep.html"  # only the address attributes move


def test_icons_are_read_from_the_classes_of_the_parsed_page():
    page = (
        '<i class="fa-solid fa-sun fa-lg"></i><span class="fab fa-github"></span><i class="far fa-moon"></i>'
        '<p class="not-fa fa-x">no marker: not an icon</p><!-- <i class="fas fa-comment"></i> -->'
        "<script>var x = '<i class=\"fas fa-in-script\"></i>'</script>"
    )
    assert site.icons_used(page) == {("solid", "sun"), ("brands", "github"), ("regular", "moon")}


needs_icons = pytest.mark.skipif(
    not (ICONS / "svgs").is_dir(), reason="run 'make setup' (copies Font Awesome from npm)"
)


@needs_icons
def test_icons_come_from_the_npm_packages_svg_files():
    svg = BeautifulSoup((ICONS / "svgs" / "solid" / "sun.svg").read_text(), "html.parser").svg
    w, h, paths = site.fontawesome_icon(ICONS, "solid", "sun")
    assert svg["viewbox"] == f"0 0 {w} {h}" and paths == [svg.path["d"]]
    assert site.fontawesome_icon(ICONS, "solid", "search") == site.fontawesome_icon(
        ICONS, "solid", "magnifying-glass"
    )  # alias
    assert site.fontawesome_icon(ICONS, "brands", "sun") == (w, h, paths)  # not a brand: the solid one
    assert site.fontawesome_icon(ICONS, "solid", "no-such-icon") is None
    css = site.icons_css({("solid", "sun"), ("solid", "no-such-icon")}, ICONS)
    assert ".fa-sun{--ak-i:url(" in css and "no-such-icon" not in css
    for _, name, style in site.THEME_PSEUDO_ICONS:  # every icon the theme draws in CSS is there
        assert site.fontawesome_icon(ICONS, style, name) is not None, name


@needs_icons
def test_the_font_awesome_package_is_the_release_the_theme_bundles():
    theme = (site._theme_static() / "scripts" / "fontawesome.js.LICENSE.txt").read_text()
    release = re.search(r"Font Awesome Free (\d+\.\d+\.\d+)", theme).group(1)
    assert json.loads((REPO / "package.json").read_text())["dependencies"]["@fortawesome/fontawesome-free"] == release
    assert json.loads((ICONS / "package.json").read_text())["version"] == release


def test_no_private_sphinx_api():
    """Sphinx's private modules and names (sphinx.builders.html._assets and the like) change without
    notice: the site uses the documented API only."""
    for path in (REPO / "src" / "alignkit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bsphinx(\.\w+)*\._\w+|from sphinx[\w.]* import .*\b_[A-Za-z]", text), path
