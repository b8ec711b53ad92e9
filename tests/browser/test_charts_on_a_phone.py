"""Every lesson chart drawn in chromium by the Vega the site serves (the npm packages), as wide as a lesson
page's text column on a phone and on a laptop: no word of it is cut off at the chart's edge.

A title one line long is cut at both ends on a phone (alignkit.ui.charts.fit_title breaks it into lines);
a legend in two columns or a caption of long lines runs off the right-hand side.

And on the built site at a phone's width, every chart's control (a drop-down, a slider) stays inside the
chart's figure: a drop-down is as wide as its longest option in the site's font, and lesson 9's reached
past the screen's edge, its end cut off. (Drawn on a bare page, without the site's stylesheets, the same
drop-down fits: its font is smaller there, so this is checked on the site's pages.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..test_charts import BUILDERS
from .conftest import SCROLL_THROUGH, SITE, site_pages

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
SCRIPTS = ("vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js", "vega-embed/build/vega-embed.min.js")

DRAW = """specs => Promise.all(specs.map((spec, i) =>
  vegaEmbed('#chart' + i, spec, {actions: false, renderer: 'svg'}))).then(() => specs.length)"""

# each piece of text that reaches past the drawing's left or right edge, with by how much
CUT = """() => [...document.querySelectorAll('.chart svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const cut = [];
  for (const t of svg.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (!t.textContent.trim() || r.width === 0) continue;
    if (r.left < box.left - 1 || r.right > box.right + 1)
    {
      const by = Math.round(Math.max(box.left - r.left, r.right - box.right));
      cut.push(`"${t.textContent.trim().slice(0, 60)}" by ${by} px`);
    }
  }
  return cut;
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_chart_text_is_cut_off(browser, width):
    specs = {name: build().spec() for name, build in BUILDERS.items()}
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        # what a chart gets of a lesson page: 342 px of a 390 px phone, about 670 px on a laptop
        column = min(width - 48, 670)
        charts = "".join(f'<div class="chart" id="chart{i}" style="width:{column}px"></div>' for i in range(len(specs)))
        page.set_content(f"<body style='margin:0;padding:0 16px'>{charts}</body>")
        for script in SCRIPTS:
            page.add_script_tag(path=str(NODE_MODULES / script))
        assert page.evaluate(DRAW, list(specs.values())) == len(specs)
        cut = {name: texts for name, texts in zip(specs, page.evaluate(CUT), strict=True) if texts}
        assert not cut, f"text cut off at {width} px: {cut}"
    finally:
        page.close()


# the pages with a chart whose control is a drop-down (a slider's width is fixed and small)
DROP_DOWN_PAGES = [p for p in site_pages() if '"bind":{"input":"select"' in (SITE / p).read_text()]

# each chart control (a drop-down, a slider) that reaches past its chart's figure, with by how much
CONTROLS_PAST_THE_FIGURE = """() => [...document.querySelectorAll('figure.alignkit-chart')].flatMap(fig => {
  const edge = fig.getBoundingClientRect().right;
  return [...fig.querySelectorAll('.vega-bindings select, .vega-bindings input')]
    .filter(c => c.getBoundingClientRect().right > edge + 1)
    .map(c => `${c.tagName.toLowerCase()} "${c.value}" by ${Math.round(c.getBoundingClientRect().right - edge)} px`);
})"""


def test_some_pages_have_a_drop_down():
    assert "notebooks/09-leading-change.html" in DROP_DOWN_PAGES


@pytest.mark.parametrize("path", DROP_DOWN_PAGES)
def test_chart_controls_stay_inside_the_chart_on_a_phone(browser, server, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{server}/{path}")
        page.evaluate(SCROLL_THROUGH)  # charts are drawn when they come near the screen
        figures = page.locator("figure.alignkit-chart")
        page.wait_for_function(
            "n => document.querySelectorAll('figure.alignkit-chart .vega-bindings').length >= n",
            arg=figures.count(),
            timeout=30000,
            polling=200,
        )
        past = page.evaluate(CONTROLS_PAST_THE_FIGURE)
        assert not past, f"{path}: chart controls past the chart's edge on a phone: {past}"
    finally:
        context.close()
