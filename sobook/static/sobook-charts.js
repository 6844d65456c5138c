// Draws every chart panel on the page with the Vega bundle served from
// _static/ (sobook-vega.js, loaded before this file; both deferred).
// Each container gets data-state="drawn" or "error", which the browser
// tests wait for.
(function () {
  "use strict";
  var pending = 0;
  function settled() {
    // For the benchmark: when the last chart of the page has settled.
    pending -= 1;
    if (pending === 0) {
      document.documentElement.setAttribute("data-charts-ms", String(Math.round(performance.now())));
    }
  }
  // Vega-Embed re-measures "container" widths only on window resize, but the
  // theme can change the content width after a chart is drawn (sidebars
  // settling, dark-mode restyle). Re-measure when the container's width changes.
  function watchWidth(target) {
    if (!window.ResizeObserver) return;
    var last = target.clientWidth;
    new ResizeObserver(function () {
      if (target.clientWidth !== last) {
        last = target.clientWidth;
        window.dispatchEvent(new Event("resize"));
      }
    }).observe(target);
  }
  function drawAll() {
    var specs = Array.prototype.slice.call(document.querySelectorAll("script.so-spec"));
    pending = specs.length;
    // One chart per task, in page order: the page stays responsive while a
    // long chapter draws its charts (no single long task).
    (function next() {
      var el = specs.shift();
      if (!el) return;
      drawOne(el);
      setTimeout(next, 0);
    })();
  }
  function drawOne(el) {
    var target = document.getElementById(el.getAttribute("data-target"));
    if (!target || target.getAttribute("data-state")) { settled(); return; }
    target.setAttribute("data-state", "pending");
    var spec;
    try {
      // In the built book the spec sits in its own file (defined by a
      // deferred <script src>); in a notebook it is inline JSON.
      spec = el.src ? window.soSpecs[el.getAttribute("data-target")] : JSON.parse(el.textContent);
    } catch (err) {
      target.setAttribute("data-state", "error");
      target.textContent = "This chart could not be read: " + err.message;
      console.error(err);
      settled();
      return;
    }
    window.vegaEmbed(target, spec, { actions: false, renderer: "svg" })
      .then(function () {
        watchWidth(target);
        target.setAttribute("data-state", "drawn");
        settled();
      })
      .catch(function (err) {
        target.setAttribute("data-state", "error");
        target.textContent = "This chart could not be drawn: " + err.message;
        console.error(err);
        settled();
      });
  }
  // Deferred spec files run before DOMContentLoaded, so every spec is defined by then.
  if (document.readyState === "complete") {
    drawAll();
  } else {
    document.addEventListener("DOMContentLoaded", drawAll);
  }
})();
