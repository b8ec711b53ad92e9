/* The course site's own script (see alignkit.build.site). Nothing here talks to another host.
   - Charts: draws them with the Vega copies this site serves itself, loading Vega only on pages
     with a chart and only when a chart comes near the screen (never before the first paint).
   - Widgets: loads the Jupyter widget manager the same way, on pages with saved widget state; the
     saved views it draws are disabled (they need a kernel) and carry a notice written at build time.
   - Progress: "mark this lesson done" on lessons and the progress list on the start page, with the
     decision exercises answered right (alignkit-exercises.js keeps the answers), kept in this
     browser's localStorage only. */
(function () {
  "use strict";
  var self = document.currentScript;
  var base = self ? self.src.replace(/alignkit-charts\.js.*$/, "vendor/") : "_static/vendor/";
  var NEAR = "600px 0px";  // start loading when something is this close to the screen

  function load(file) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = base + file;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + file)); };
      document.head.appendChild(s);
    });
  }

  /* Run `start` once, when any of `elements` comes near the screen (or is printed). */
  function whenNear(elements, start) {
    var started = false;
    function go() { if (!started) { started = true; start(); } }
    if (!("IntersectionObserver" in window)) { go(); return; }
    var io = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { io.disconnect(); go(); }
    }, { rootMargin: NEAR });
    elements.forEach(function (el) { io.observe(el); });
    window.addEventListener("beforeprint", go);
  }

  /* ---- charts ---- */
  var vega = null;
  function loadVega() {
    if (!vega) {
      vega = load("vega.min.js")
        .then(function () { return load("vega-lite.min.js"); })
        .then(function () { return load("vega-embed.min.js"); });
    }
    return vega;
  }

  function drawChart(figure) {
    var target = figure.querySelector(".alignkit-vega");
    var spec = JSON.parse(figure.querySelector("script.alignkit-vega-spec").textContent);
    var caption = figure.querySelector("figcaption");
    return window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then(function () {
      var svg = target.querySelector("svg");
      if (svg) {
        // the drawing is one image; its caption is its text alternative
        if (caption) {
          caption.id = caption.id || (figure.id ? figure.id + "-caption" : "");
          if (caption.id) svg.setAttribute("aria-labelledby", caption.id);
        }
        svg.setAttribute("role", "img");
        if (!svg.getAttribute("aria-label")) svg.setAttribute("aria-label", spec.description || "Chart");
        svg.setAttribute("aria-roledescription", "chart");
      }
      // every control carries a label, read from the binding's name
      target.querySelectorAll(".vega-bind").forEach(function (bind) {
        var name = bind.querySelector(".vega-bind-name");
        bind.querySelectorAll("select, input").forEach(function (input) {
          if (name && !input.getAttribute("aria-label") && !input.closest("label")) {
            input.setAttribute("aria-label", name.textContent.replace(/[:\s]+$/, ""));
          }
        });
      });
      target.style.minHeight = "";
      figure.setAttribute("data-drawn", "true");
    }).catch(function (err) { console.error("chart failed to draw: " + err); });
  }

  function charts() {
    var figures = Array.prototype.slice.call(document.querySelectorAll("figure.alignkit-chart"));
    figures.forEach(function (figure) {
      whenNear([figure], function () { loadVega().then(function () { return drawChart(figure); }); });
    });
  }

  /* ---- widgets (saved state, no kernel) ---- */
  function disableSavedWidgets(root) {
    root.querySelectorAll("input, select, button, textarea").forEach(function (el) {
      if (el.disabled) return;
      el.disabled = true;
      el.setAttribute("aria-disabled", "true");
      el.title = "Saved view: this control works when the notebook runs in JupyterLab";
    });
    // Sliders are drawn as divs with role=slider: name them after their widget's label, and
    // take them out of the tab order like the other disabled controls.
    root.querySelectorAll('[role="slider"]').forEach(function (el) {
      if (el.getAttribute("aria-disabled") === "true") return;
      var holder = el.closest(".widget-inline-hbox, .jupyter-widgets");
      var label = holder && holder.querySelector(".widget-label, label");
      var name = label && label.textContent.trim().replace(/[:\s]+$/, "");
      if (!el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) {
        el.setAttribute("aria-label", name || "Saved slider");
      }
      el.setAttribute("aria-disabled", "true");
      el.setAttribute("tabindex", "-1");
    });
    // A saved box that scrolls must still be reachable from the keyboard, now that its controls
    // are not: let the box itself take the focus.
    root.querySelectorAll(".jupyter-widgets, .widget-container").forEach(function (el) {
      var scrolls = el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", "Saved view of an interactive control (scrolls)");
      }
    });
  }

  function widgets() {
    if (!document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]')) return;
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".alignkit-saved-widget"));
    var views = Array.prototype.slice.call(
      document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]'));
    if (!views.length) return;
    boxes.forEach(function (box) {
      var settle = null;
      new MutationObserver(function () {
        disableSavedWidgets(box);
        // the widgets lay themselves out after they are inserted: look again once they settle
        clearTimeout(settle);
        settle = setTimeout(function () { disableSavedWidgets(box); }, 300);
      }).observe(box, { childList: true, subtree: true });
    });
    whenNear(boxes.length ? boxes : views.map(function (v) { return v.parentElement; }), function () {
      // embed.js renders on the window's load event, which has passed by now: keep the listener it
      // adds and call it once the script has run.
      var add = window.addEventListener, onLoad = [];
      window.addEventListener = function (type, fn) {
        if (type === "load") onLoad.push(fn); else add.apply(window, arguments);
      };
      load("html-manager/embed.js").then(function () {
        window.addEventListener = add;
        onLoad.forEach(function (fn) { fn(new Event("load")); });
      }, function (err) { window.addEventListener = add; console.error(String(err)); });
    });
  }

  /* ---- progress (localStorage only) ---- */
  var KEY = "alignkit-progress";
  function readDone() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function writeDone(done) {
    try { localStorage.setItem(KEY, JSON.stringify(done)); } catch (e) { /* storage off: nothing kept */ }
  }

  // decision exercises' answers, written by alignkit-exercises.js on the lesson pages
  var ANSWERS = "alignkit-exercises";
  function readAnswers() {
    try { return JSON.parse(localStorage.getItem(ANSWERS) || "{}") || {}; } catch (e) { return {}; }
  }

  function progress() {
    var done = readDone();
    document.querySelectorAll("button.alignkit-done").forEach(function (button) {
      var lesson = button.getAttribute("data-lesson");
      var label = button.textContent;
      function show() {
        var on = !!readDone()[lesson];
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.textContent = on ? "✓ Done: click to mark as not done" : label;
      }
      button.addEventListener("click", function () {
        var now = readDone();
        if (now[lesson]) delete now[lesson]; else now[lesson] = new Date().toISOString().slice(0, 10);
        writeDone(now);
        show();
      });
      show();
    });
    document.querySelectorAll(".alignkit-progress").forEach(function (box) {
      function show() {
        var now = readDone(), answers = readAnswers(), items = box.querySelectorAll("li[data-lesson]");
        var count = 0, right = 0, exercises = 0;
        items.forEach(function (li) {
          var lesson = li.getAttribute("data-lesson"), on = !!now[lesson];
          var ids = (li.getAttribute("data-exercises") || "").split(" ").filter(Boolean);
          var ok = ids.filter(function (id) {
            var a = answers[lesson + "#" + id];
            return a && a.status === "ok";
          }).length;
          if (on) count++;
          exercises += ids.length;
          right += ok;
          li.classList.toggle("done", on);
          var marks = [];
          if (on) marks.push("✓ done");
          if (ids.length && (ok || on)) marks.push(ok + " of " + ids.length + " exercises right");
          li.querySelector(".alignkit-progress-mark").textContent = marks.join(", ");
        });
        box.querySelector(".alignkit-progress-count").textContent =
          count + " of " + items.length + " lessons done" +
          (exercises ? "; " + right + " of " + exercises + " exercises answered right" : "");
        var bar = box.querySelector("progress");
        bar.max = (items.length + exercises) || 1;  // lessons done and exercises right, together
        bar.value = count + right;
      }
      var reset = box.querySelector(".alignkit-progress-reset");
      if (reset) reset.addEventListener("click", function () {
        writeDone({});
        try { localStorage.removeItem(ANSWERS); } catch (e) { /* storage off: nothing kept */ }
        show();
      });
      window.addEventListener("storage", function (e) { if (e.key === KEY || e.key === ANSWERS) show(); });
      show();
    });
    return done;
  }

  /* The theme's search buttons are labelled "Search" but show "Search Ctrl+K": let their visible
     text name them (WCAG 2.5.3, label in name). */
  function theme() {
    document.querySelectorAll("button.search-button-field[aria-label]").forEach(function (b) {
      if (b.textContent.trim()) b.removeAttribute("aria-label");
    });
  }

  function start() { theme(); charts(); widgets(); progress(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
