// Draws Vega-Lite charts the way the site does (the npm packages' vega-lite and vega), with no screen:
// reads {name: spec} as JSON on stdin and prints, for each chart, what Vega-Lite and Vega warned of and
// each group of marks drawn: its type, how many items it has and how many of them have no area.
// Used by tests/test_charts.py.
import * as vega from "vega";
import * as vl from "vega-lite";

const WIDTH = 600; // a chart sized to its container gets this width

function recorder(into) {
  const log = {
    level() { return log; },
    error(...a) { into.push("ERROR " + a.join(" ")); return log; },
    warn(...a) { into.push("WARN " + a.join(" ")); return log; },
    info() { return log; },
    debug() { return log; },
  };
  return log;
}

function marks(node, out) {
  if (!node) return out;
  if (node.marktype) {
    if (node.role === "mark") {
      const items = node.items || [];
      const flat = items.filter((it) => {
        const b = it.bounds;
        if (!b) return true;
        const w = b.x2 - b.x1;
        const h = b.y2 - b.y1;
        // a line or a rule is drawn with no area in one direction; a rect or a symbol needs both
        return ["rect", "symbol", "arc", "area"].includes(node.marktype) ? !(w > 0.5 && h > 0.5) : !(w > 0.5 || h > 0.5);
      });
      out.push({ name: node.name || "", type: node.marktype, items: items.length, empty: flat.length });
    }
    for (const it of node.items || []) marks(it, out);
  } else if (node.items) {
    for (const it of node.items) marks(it, out);
  }
  return out;
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const specs = JSON.parse(input);
const report = {};
for (const [name, given] of Object.entries(specs)) {
  const said = [];
  const spec = structuredClone(given);
  const sized = (s) => {
    if (s && typeof s === "object") {
      if (s.width === "container") s.width = WIDTH;
      for (const v of Object.values(s)) if (v && typeof v === "object") sized(v);
    }
  };
  sized(spec);
  try {
    const compiled = vl.compile(spec, { logger: recorder(said) }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: "none", logger: recorder(said), logLevel: vega.Warn });
    await view.runAsync();
    report[name] = { warnings: said, marks: marks(view.scenegraph().root, []) };
    view.finalize();
  } catch (e) {
    report[name] = { warnings: [...said, "FAILED " + String(e && e.message ? e.message : e)], marks: [] };
  }
}
process.stdout.write(JSON.stringify(report));
