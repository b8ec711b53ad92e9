/* Draw the course's charts with the Vega copies this site serves itself (no other host).
   Loads Vega only on pages that have a chart. */
(function () {
  "use strict";
  var self = document.currentScript;
  var base = self ? self.src.replace(/alignkit-charts\.js.*$/, "vendor/") : "_static/vendor/";

  function load(file) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = base + file;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + file)); };
      document.head.appendChild(s);
    });
  }

  function draw() {
    var figures = document.querySelectorAll("figure.alignkit-chart");
    if (!figures.length) return;
    load("vega.min.js")
      .then(function () { return load("vega-lite.min.js"); })
      .then(function () { return load("vega-embed.min.js"); })
      .then(function () {
        figures.forEach(function (figure) {
          var target = figure.querySelector(".alignkit-vega");
          var spec = JSON.parse(figure.querySelector("script.alignkit-vega-spec").textContent);
          window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then(function () {
            figure.setAttribute("data-drawn", "true");
          }).catch(function (err) { console.error("chart failed to draw: " + err); });
        });
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
