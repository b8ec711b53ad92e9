"""Every lesson opened in a real JupyterLab and run top to bottom as a participant would.

For each lesson: before anything runs the prose already shows its figures (saved by
``alignkit.build.labready``), never MyST markup; after Run All Cells there is no error output, no raw role
or ``{glue`` text, every widget view is drawn, every chart is drawn by its own Vega-Lite (no version
warnings), every quiz question answers with feedback, and the tab is still alive after scrolling
the whole lesson. A decision exercise is answered wrongly, then rightly, and the checker's feedback read.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

from alignkit.build.labready import forward_references
from alignkit.build.notebooks import lesson_paths
from alignkit.ui.inline import NOT_YET

from ..conftest import Stuck, once_more_in_a_new_tab

LESSONS = [p.name for p in lesson_paths()]


RAW_MYST = re.compile(r"\{(?:glue|eval|term|ref|doc|numref|index|cite|download)[:}]|glued\(|`\{|:::|```")
WIDGET = "application/vnd.jupyter.widget-view+json"
CHART = "application/vnd.vegalite.v6+json"
QUIZ = "application/vnd.alignkit.quiz+json"
EXERCISE = "application/vnd.alignkit.exercise+json"

# Every wait inside the page is bounded (``page.evaluate`` itself never times out): a promise that never
# settles fails the lesson with what it waited for, instead of holding the test run until CI's limit
WITHIN = """
  const within = (promise, ms, what) => Promise.race([promise, new Promise((_, fail) =>
    setTimeout(() => fail(new Error(what + ': nothing after ' + ms / 1000 + ' s')), ms))]);
  const frame = () => Promise.race([new Promise(r => requestAnimationFrame(() => r(true))),
    new Promise(r => setTimeout(() => r(false), 2000))]);"""


def bounded(js: str) -> str:
    """The function ``js`` with ``within`` and ``frame`` (``WITHIN``) defined at the top of its body."""
    head, body = js.split("{", 1)
    return head + "{" + WITHIN + body


OPEN = bounded("""async (path) => {
  const app = window.jupyterapp;
  await within(app.commands.execute('docmanager:open', {path, factory: 'Notebook'}), 60000, 'opening ' + path);
  let panel = null;
  for (let i = 0; i < 600 && !panel; i++) {
    const w = app.shell.currentWidget;
    if (w && w.context && w.context.path === path) panel = w; else await new Promise(r => setTimeout(r, 50));
  }
  if (!panel) throw new Error(path + ' did not open in 30 s');
  await within(panel.context.ready, 60000, path + ': reading the file');
  await within(panel.sessionContext.ready, 120000, path + ': starting its kernel');
  window._ak = window._ak || {};
  window._ak[panel.id] = panel;
  return panel.id;
}""")

# what the lesson shows, read from JupyterLab's own models and the DOM of each cell
STATE = (
    """(id) => {
  const panel = window._ak[id];
  const out = {markdown: [], unrendered: [], errors: [], widgets: [], charts: [], quizzes: 0, exercises: [],
               running: 0, unrun: 0, hiddenShown: []};
  panel.content.widgets.forEach((cell, i) => {
    const m = cell.model;
    cell.node.setAttribute('data-ak-cell', String(i));
    if (m.type === 'markdown') {
      // the rendered text, not its source
      const shown = cell.node.querySelector('.lm-Widget.myst, .jp-RenderedMySTMarkdown, .jp-MarkdownOutput');
      out.markdown.push(shown ? shown.innerText : '');
      if (!shown) {
        out.unrendered.push(i);
        out.debug = out.debug || Array.from(cell.node.querySelectorAll('*')).map(e => String(e.className))
          .filter(c => /ender|yst|arkdown/.test(c)).join(' | ');
      }
      return; }
    if (m.type !== 'code') return;
    if (m.executionState === 'running' || (cell.promptNode && cell.promptNode.textContent.includes('*'))) out.running++;
    if (m.sharedModel.source.trim() && m.executionCount === null) out.unrun++;
    const outputs = m.outputs.toJSON();
    const nodes = cell.node.querySelectorAll('.jp-OutputArea-output');
    // a collapsed (hidden) cell shows nothing under it, unless it is a remove-input cell whose output is the point
    const tags = m.getMetadata('tags') || [];
    if ((m.getMetadata('jupyter') || {}).source_hidden && !tags.includes('remove-input')) {
      // textContent, not innerText: a cell off screen is not laid out, and its innerText is empty
      const text = Array.from(nodes).map(n => n.textContent.trim()).join(' ').trim();
      if (text) out.hiddenShown.push({cell: i, text: text.slice(0, 120)});
    }
    outputs.forEach((o, j) => {
      if (o.output_type === 'error') out.errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === 'stream' && o.name === 'stderr')
        out.errors.push(`cell ${i} (stderr): ${String(o.text).slice(0, 300)}`);
      const data = o.data || {};
      if (data['"""
    + EXERCISE
    + """']) out.exercises.push({cell: i, spec: data['"""
    + EXERCISE
    + """']});
      if (data['"""
    + QUIZ
    + """']) out.quizzes++;
      if (data['"""
    + WIDGET
    + """']) {
        const node = nodes[j];
        const text = node ? node.innerText : '';
        const drawn = !!node && node.querySelector('.jupyter-widgets, .widget-box, .vega-embed, .lm-Widget') !== null
                      && !/Error displaying widget|Loading widget|model not found/.test(text);
        out.widgets.push({cell: i, drawn, text: text.slice(0, 200)});
        if (data['"""
    + CHART
    + """']) {
          const g = node && node.querySelector('.vega-embed svg, .vega-embed canvas');
          const box = g ? g.getBoundingClientRect() : null;
          out.charts.push({cell: i, drawn: !!box && box.width > 50 && box.height > 50,
                           controls: node ? node.querySelectorAll('.vega-bindings select, .vega-bindings input').length
                                          : 0,
                           // what is there instead, when it is not drawn
                           box: box ? Math.round(box.width) + 'x' + Math.round(box.height) : 'no svg or canvas',
                           shown: node ? node.innerHTML.replace(/<[^>]*>/g, ' ').trim().slice(0, 160) : 'no output'});
        }
      } else if (data['"""
    + CHART
    + """']) {
        out.charts.push({cell: i, drawn: false, controls: 0, why: 'no widget view'});
      }
    });
  });
  return out;
}"""
)

SCROLL = bounded("""async (id) => {
  const panel = window._ak[id];
  const outer = panel.content.node.closest('.jp-WindowedPanel-outer')
    || panel.content.node.querySelector('.jp-WindowedPanel-outer') || panel.content.node;
  outer.scrollTop = 0;
  let last = -1;
  for (let i = 0; i < 2000 && outer.scrollTop !== last; i++) {
    last = outer.scrollTop;
    outer.scrollTop = last + 500;
    await frame();
    await new Promise(r => setTimeout(r, 15));
  }
  return {top: outer.scrollTop, height: outer.scrollHeight};
}""")


# JupyterLab draws a cell only when it comes near the screen: bring every Markdown cell not drawn yet there
DRAW_ALL = """async (id) => {
  const panel = window._ak[id];
  // a loaded machine renders slowly: keep scrolling to what is missing, waiting longer each pass (up to ~20 s)
  for (let pass = 0; pass < 10; pass++) {
    const missing = [];
    panel.content.widgets.forEach((cell, i) => {
      if (cell.model.type === 'markdown' && !cell.node.querySelector('.lm-Widget.myst, .jp-MarkdownOutput'))
        missing.push(i);
    });
    if (!missing.length) return [];
    for (const i of missing) {
      await Promise.race([panel.content.scrollToItem(i, 'center'), new Promise(r => setTimeout(r, 3000))]);
      await new Promise(r => setTimeout(r, 80 * (pass + 1)));
    }
    await new Promise(r => setTimeout(r, 200 * (pass + 1)));
  }
  const left = [];
  panel.content.widgets.forEach((cell, i) => {
    if (cell.model.type === 'markdown' && !cell.node.querySelector('.lm-Widget.myst, .jp-MarkdownOutput'))
      left.push(i);
  });
  return left;
}"""


# how far Run All Cells has got, read from the cells' models only (cheap enough to ask every 300 ms;
# STATE reads every output and the page's text)
PROGRESS = """(id) => {
  const panel = window._ak[id];
  const out = {running: 0, unrun: 0, errors: 0};
  panel.content.widgets.forEach(cell => {
    const m = cell.model;
    if (m.type !== 'code') return;
    if (m.executionState === 'running' || (cell.promptNode && cell.promptNode.textContent.includes('*'))) out.running++;
    if (m.sharedModel.source.trim() && m.executionCount === null) out.unrun++;
    for (let j = 0; j < m.outputs.length; j++) if (m.outputs.get(j).type === 'error') out.errors++;
  });
  out.kernel = panel.sessionContext.session?.kernel?.status;
  return out;
}"""


def _wait_ran(page, pid: str, timeout_s: float = 240) -> dict:
    """Wait until Run All Cells has finished: every cell ran, or the kernel is idle and nothing has
    moved for a few seconds (Run All stops at a cell that fails; the error is then reported)."""
    deadline = page.evaluate("Date.now()") + timeout_s * 1000
    still, last = 0, None
    while True:
        state = page.evaluate(PROGRESS, pid)
        if state["running"] == 0 and state["kernel"] == "idle":
            if state["unrun"] == 0:
                return state
            still = still + 1 if state["unrun"] == last else 0
            if still >= 15 or state["errors"]:
                return state
        last = state["unrun"]
        assert page.evaluate("Date.now()") < deadline, (
            f"cells still running: {state['running']}, unrun {state['unrun']}"
        )
        page.wait_for_timeout(300)


def _answer_quizzes(page, pid: str) -> list[str]:
    feedback = []
    for quiz in page.locator(f"#{pid} .alignkit-quiz").all():
        quiz.scroll_into_view_if_needed()
        questions = quiz.locator(".alignkit-quiz-answers")
        for k in range(questions.count()):
            q = questions.nth(k)
            q.evaluate("n => n.querySelector('input[type=radio]').click()")
            fb = q.locator("xpath=following-sibling::*[contains(@class,'alignkit-quiz-feedback')]").first
            fb.locator("p").wait_for(timeout=10000)
            feedback.append(fb.inner_text().strip())
    return feedback


def _exercise_feedback(page, pid: str, cell: int, answer: str, kind: str, want: str) -> tuple[str, str]:
    """Answer a decision exercise's widget as a reader does, press Check, and read the feedback."""
    box = page.locator(f"#{pid} [data-ak-cell='{cell}'] .jp-OutputArea-output").first
    box.scroll_into_view_if_needed()
    feedback = box.locator(".alignkit-feedback")
    before = feedback.first.inner_text() if feedback.count() else ""
    if kind == "choice":  # the radio button whose label reads exactly the answer
        box.evaluate(
            """(node, answer) => { for (const l of node.querySelectorAll('label')) {
            const i = l.querySelector('input[type=radio]');
            if (i && l.textContent.trim() === answer) { i.click(); return; } }
            throw new Error('no option ' + answer); }""",
            answer,
        )
    else:
        box.locator("textarea, input[type=text]").first.fill(answer)
    box.locator("button", has_text="Check").click()
    # the kernel checks the answer; one that reaches it after its Check (held back by the widget manager
    # while the kernel is busy) is checked again (alignkit.ui.widgets.exercise_widget). A busy machine may
    # take a while: wait for the verdict expected, then give back whatever the feedback says.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if feedback.count() and feedback.first.inner_text() != before:
            if want in (feedback.first.get_attribute("class") or "").split():
                break
        page.wait_for_timeout(100)
    return feedback.first.get_attribute("class"), feedback.first.inner_text()


def _right_and_wrong(spec: dict) -> tuple[str, str] | None:
    if spec["kind"] == "choice":
        wrong = next(o for o in spec["options"] if o != spec["expected"])
        return wrong, spec["expected"]
    if spec["kind"] == "number":
        right = spec["expected"] * (100 if spec.get("share") else 1)
        return f"{right * 3 + 7:g}", f"{right:g}"
    return None


CLOSE = bounded("""async (id) => { const p = window._ak && window._ak[id]; if (!p) return;
    try { await within(p.sessionContext.shutdown(), 20000, 'shutting the kernel down'); } catch (e) {}
    p.context.model.dirty = false; p.dispose(); delete window._ak[id]; }""")


def test_jupyterlab_starts_without_the_news_prompt(lab_page):
    """Started as make lab, the hub and the kit start it (alignkit.build.labsetup), JupyterLab does not ask
    "Would you like to get notified about official Jupyter news?" (a toast that stays until answered),
    and its notebooks are drawn whole (windowing mode "none")."""
    lab_page.wait_for_timeout(1500)
    assert "official Jupyter news" not in lab_page.inner_text("body")
    # and, as set up the same way, it draws a lesson whole when it opens (the environment's default, as
    # JupyterLab serves it: no user setting here)
    mode = lab_page.evaluate(
        bounded(
            """async () => {
             const p = await within(window.jupyterapp.serviceManager.settings.fetch(
               '@jupyterlab/notebook-extension:tracker'), 30000, 'reading the notebook settings');
             return (p.settings || {}).windowingMode ?? p.schema.properties.windowingMode.default; }"""
        )
    )
    assert mode == "none", mode


# A lesson takes 10-30 s; its slowest waits are bounded in the page (a kernel's start, 120 s; a chart, 60 s)
LESSON_WITHIN = 240


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_reads_and_runs_in_jupyterlab(lab_tab, lesson):
    """If the page stops answering altogether, or the lesson fails while the page has stopped drawing (a
    headless chromium tab sometimes does either: see tests/conftest.py's ``once_more_in_a_new_tab``),
    the lesson is run once more in a new JupyterLab page, and the test says so; a lesson that fails in
    the new page fails."""
    once_more_in_a_new_tab(lab_tab, LESSON_WITHIN, f"{lesson} in JupyterLab", lambda: _run_lesson(lab_tab.page, lesson))


def _run_lesson(lab_page, lesson):
    opened = []
    try:
        _check_lesson(lab_page, lesson, opened)
    except Stuck:
        raise  # the page no longer answers: its kernels are shut down with it (LabTab.renew)
    except BaseException:
        for pid in opened:  # a failed lesson must not leave its kernel running for the next one
            lab_page.evaluate(CLOSE, pid)
        raise
    for pid in opened:
        lab_page.evaluate(CLOSE, pid)


def _check_lesson(lab_page, lesson, opened):
    page = lab_page
    shots = os.environ.get("ALIGNKIT_LAB_SHOTS")  # a folder: screenshots of each lesson, for a person to look at
    t0 = time.monotonic()
    warnings_before = len(page.console)
    pid = page.evaluate(OPEN, lesson)
    opened.append(pid)
    page.wait_for_timeout(500)
    if shots:
        page.screenshot(path=str(Path(shots) / f"{lesson}-0-opened.png"))

    # before anything runs: the saved figures, no markup (scrolled through first: JupyterLab draws a
    # cell when it comes near the screen)
    page.evaluate(DRAW_ALL, pid)
    before = page.evaluate(STATE, pid)
    assert not before["unrendered"], (
        f"{lesson}: Markdown cells not rendered: {before['unrendered']} {before.get('debug')}"
    )
    raw = [text[max(0, m.start() - 60) : m.end() + 40] for text in before["markdown"] for m in RAW_MYST.finditer(text)]
    assert not raw, f"{lesson}: MyST markup shown before running: {raw[:5]}"

    # as a participant would from a fresh kernel: clear the saved outputs, then Run All Cells
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")  # not awaited
    t1 = time.monotonic()
    _wait_ran(page, pid)
    t2 = time.monotonic()
    page.wait_for_timeout(800)  # the Markdown cells' expressions are evaluated after their code cells
    scrolled = page.evaluate(SCROLL, pid)
    t3 = time.monotonic()
    page.evaluate(DRAW_ALL, pid)
    state = page.evaluate(STATE, pid)
    # a chart is drawn by its widget once Vega has run; on a busy machine that can come late: bring each
    # one not drawn yet to the screen and give it time (up to 60 s) before judging. (A chart that JupyterLab
    # drew before its output was on the page used to stay 0 px wide, which no wait cured: see
    # alignkit.ui.labchart.with_resize and tests/browser/test_lab_chart.py)
    deadline = time.monotonic() + 60
    while not all(c["drawn"] for c in state["charts"]) and time.monotonic() < deadline:
        for chart in (c for c in state["charts"] if not c["drawn"]):
            page.evaluate("([id, i]) => window._ak[id].content.scrollToItem(i, 'center')", [pid, chart["cell"]])
        page.wait_for_timeout(500)
        state = page.evaluate(STATE, pid)
    assert not state["unrendered"], f"{lesson}: Markdown cells not rendered after running: {state['unrendered']}"

    assert state["errors"] == [], f"{lesson}: {state['errors']}"
    assert state["unrun"] == 0, f"{lesson}: Run All stopped with {state['unrun']} cells not run"
    # every figure in the prose shows after Run All: each is glued above the text that shows it
    # (labready.forward_references is empty for every lesson, tests/test_labready.py)
    assert not forward_references(nbformat.read(lab_page.course / lesson, as_version=4))
    not_yet = [t[max(0, t.find(NOT_YET) - 80) : t.find(NOT_YET) + 20] for t in state["markdown"] if NOT_YET in t]
    assert not not_yet, f"{lesson}: figures not shown after Run All: {not_yet[:3]}"
    assert not state["hiddenShown"], f"{lesson}: collapsed cells show output: {state['hiddenShown'][:3]}"
    raw = [text[max(0, m.start() - 60) : m.end() + 40] for text in state["markdown"] for m in RAW_MYST.finditer(text)]
    assert not raw, f"{lesson}: MyST markup shown after running: {raw[:5]}"
    not_drawn = [w for w in state["widgets"] if not w["drawn"]]
    assert state["widgets"] and not not_drawn, f"{lesson}: widgets not drawn: {not_drawn}"
    said = [  # what the page said, but jupyterlab-myst's notes on glossary links it cannot follow
        t[:300]
        for kind, t in page.console[warnings_before:]
        if kind in ("error", "warning", "pageerror") and not t.startswith("Cross reference target was not found")
    ]
    assert all(c["drawn"] for c in state["charts"]), f"{lesson}: charts not drawn: {state['charts']}; {said[-8:]}"
    assert all(c["controls"] >= 1 for c in state["charts"]), f"{lesson}: a chart lost its control: {state['charts']}"
    version = [t for kind, t in page.console[warnings_before:] if "Vega-Lite v" in t and "current version" in t]
    assert not version, f"{lesson}: {len(version)} Vega-Lite version warnings, e.g. {version[0]}"

    assert state["quizzes"] == 1, f"{lesson}: one quiz expected, found {state['quizzes']}"
    feedback = _answer_quizzes(page, pid)
    assert len(feedback) >= 3 and all(f[0] in "✓✗" and len(f) > 5 for f in feedback), feedback

    for spec in (e["spec"] for e in state["exercises"]):
        pair = _right_and_wrong(spec if isinstance(spec, dict) else json.loads(spec))
        if pair is None:
            continue
        cell = next(e["cell"] for e in state["exercises"] if e["spec"] == spec)
        wrong_class, wrong_text = _exercise_feedback(page, pid, cell, pair[0], spec["kind"], "wrong")
        right_class, right_text = _exercise_feedback(page, pid, cell, pair[1], spec["kind"], "ok")
        assert "wrong" in wrong_class.split(), (wrong_class, wrong_text)
        assert "ok" in right_class.split(), (right_class, right_text)
        if shots:  # the exercise with its feedback on the right answer, as the reader sees it
            page.screenshot(path=str(Path(shots) / f"{lesson}-exercise.png"))
        break

    if shots:
        for chart in state["charts"]:  # each chart on its own, as drawn
            page.evaluate("([id, i]) => window._ak[id].content.scrollToItem(i, 'center')", [pid, chart["cell"]])
            page.wait_for_timeout(500)
            out = page.locator(f"#{pid} [data-ak-cell='{chart['cell']}'] .jp-OutputArea-output").first
            out.screenshot(path=str(Path(shots) / f"{lesson}-chart-{chart['cell']}.png"))
        for n, y in enumerate(range(0, scrolled["height"], 1600)):
            page.evaluate(
                "([id, y]) => { const p = window._ak[id]; const o = p.content.node.closest('.jp-WindowedPanel-outer') "
                "|| p.content.node.querySelector('.jp-WindowedPanel-outer') || p.content.node; o.scrollTop = y; }",
                [pid, y],
            )
            page.wait_for_timeout(300)
            page.screenshot(path=str(Path(shots) / f"{lesson}-{n + 1:02d}.png"))
    print(
        f"{lesson}: open {t1 - t0:.1f} s, run {t2 - t1:.1f} s, scroll {t3 - t2:.1f} s, "
        f"checks {time.monotonic() - t3:.1f} s"
    )

    # still alive after the whole lesson was scrolled
    assert scrolled["height"] > 2000 and scrolled["top"] > 0, scrolled
    assert (
        page.evaluate(
            "1 + 1",
        )
        == 2
    )
    assert page.evaluate("(id) => document.getElementById(id) !== null", pid)
    assert page.outside == [], f"requests to other hosts: {page.outside}"
