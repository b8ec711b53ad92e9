"""Every lesson chart drawn in chromium by the Vega the site serves (the npm packages), as wide as a lesson
page's text column on a phone and on a laptop: no word of it is cut off at the chart's edge.

A title one line long is cut at both ends on a phone (alignkit.ui.charts.fit_title breaks it into lines);
a legend in two columns or a caption of long lines runs off the right-hand side."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..test_charts import BUILDERS

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
