"""A lesson chart in JupyterLab (Altair's JupyterChart with the course's offline script) takes its cell's
width even when JupyterLab draws it before its output is on the page.

Under load, after Run All, JupyterLab sometimes drew a chart while its output was not attached yet: a
chart as wide as its cell ("container") measured 0 px and stayed so (the JupyterLab test saw an empty
0 x 322 box). Here the widget's own script draws the chart into a box that is not on the page, then the
box is put into a 600 px column, as JupyterLab does."""

from __future__ import annotations

import pytest

from alignkit.ui import labchart

from ..test_charts import BUILDERS

COLUMN = 600

# the widget's script, loaded as JupyterLab's widget manager loads it, drawing with a stand-in for its model
DRAW_DETACHED = """async ({spec, column}) => {
  const url = () => URL.createObjectURL(new Blob([window._akEsm], {type: 'text/javascript'}));
  const mod = window._akChart = window._akChart || await import(url());
  const state = {spec, embed_options: {actions: false, renderer: 'svg'}, _vl_selections: {}, _params: {},
                 _js_watch_plan: [], debounce_wait: 10, max_wait: true};
  const model = {get: k => state[k], set: (k, v) => { state[k] = v; }, on: () => {}, save_changes: () => {}};
  const el = document.createElement('div');
  await mod.default.render({model, el});
  const width = () => { const svg = el.querySelector('svg'); return svg ? svg.getBoundingClientRect().width : null; };
  const drawnAt = el.querySelector('svg') ? Number(el.querySelector('svg').getAttribute('width')) : null;
  const cell = document.createElement('div');
  cell.style.width = column + 'px';
  document.body.appendChild(cell);
  cell.appendChild(el);
  const until = performance.now() + 5000;
  while (Math.abs(width() - column) > 2 && performance.now() < until) await new Promise(r => setTimeout(r, 50));
  return {drawnAt, width: width()};
}"""


def test_a_chart_drawn_off_the_page_takes_its_cells_width(browser):
    wide = {name: spec for name, build in BUILDERS.items() if (spec := build().spec()).get("width") == "container"}
    assert len(wide) >= 8, "most lesson charts are as wide as their cell"
    chart = labchart._chart_class()
    page = browser.new_page(viewport={"width": 800, "height": 900})
    try:
        page.set_content("<body style='margin:0'></body>")
        page.add_style_tag(content=chart._css)
        page.evaluate("esm => { window._akEsm = esm; }", chart._esm)
        wrong = {}
        for name, spec in wide.items():
            got = page.evaluate(DRAW_DETACHED, {"spec": spec, "column": COLUMN})
            assert got["drawnAt"] == 0, f"{name}: not the case this test is about: drawn off the page at {got}"
            if abs(got["width"] - COLUMN) > 2:
                wrong[name] = got["width"]
        assert not wrong, f"charts drawn off the page, then put into a {COLUMN} px cell, are this wide: {wrong}"
    finally:
        page.close()


def test_the_course_script_is_altairs_with_the_watcher():
    esm = labchart._chart_class()._esm
    assert labchart.ALTAIR_EXPORT not in esm and esm.count("export{__alignkit as default};") == 1
    with pytest.raises(RuntimeError, match="does not end with"):
        labchart.with_resize("export default {}")
