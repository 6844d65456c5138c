// Charts: a picture at once, the interactive chart when the reader gets there.
//
// Every chart panel arrives with its static SVG (rendered at build time by
// vl-convert from the same spec) as an <img>, so a chart shows as soon as it
// is on screen, with or without JavaScript. The pictures load lazily, a little
// ahead of the reader, and decode off the main thread.
//
// The interactive version (tooltips, a width that follows the column)
// replaces the picture when the chart comes within a screen of the viewport
// *and* the reader has done something (scrolled, pointed, tapped, pressed a
// key). Until then neither the chart's spec nor the 900 KB Vega bundle is
// fetched or parsed: a reader who only reads the first screen pays nothing for
// the charts further down, and a phone does not stall on a bundle it may never
// need.
//
// Each chart container carries data-state: "static" (the picture), "pending",
// "drawn" or "error"; the browser tests wait on it.
(function () {
  "use strict";
  var script = document.currentScript;
  // The Vega bundle lies beside this script; its version (a digest of its
  // content) is written on this script's tag by the Sphinx extension.
  var bundleUrl = script && new URL("sobook-vega.js?v=" + script.getAttribute("data-vega-version"), script.src).href;
  var html = document.documentElement;
  var loading = null;
  var interacted = false;
  var near = [];   // containers within a screen of the viewport, not yet drawn
  var queue = [];  // containers waiting for their turn to be drawn
  var busy = false;

  function loadVega() {
    if (window.vegaEmbed) return Promise.resolve();
    if (!loading) {
      loading = loadScript(bundleUrl);
    }
    return loading;
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

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = url;
      s.async = true;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(s);
    });
  }

  // In the built book a chart's spec sits in a file of its own, named by the
  // container's data-spec, which sets window.soSpecs[id] (a plain <script
  // src>, which unlike fetch also works from file://); in a notebook it is
  // inline JSON.
  function specFor(target) {
    var url = target.getAttribute("data-spec");
    if (!url) {
      var el = document.querySelector('script.so-spec[data-target="' + target.id + '"]');
      if (!el) return Promise.reject(new Error("no spec for " + target.id));
      try { return Promise.resolve(JSON.parse(el.textContent)); } catch (err) { return Promise.reject(err); }
    }
    return loadScript(url).then(function () {
      var spec = window.soSpecs && window.soSpecs[target.id];
      if (!spec) throw new Error(url + " did not define the spec of " + target.id);
      return spec;
    });
  }

  function fail(target, what, err) {
    target.setAttribute("data-state", "error");
    target.textContent = "This chart could not be " + what + ": " + err.message;
    console.error(err);
  }

  // Each spec is laid out for the width it is drawn at (sobook.charts.marks):
  // its parameter `sow` is set to the container's width before drawing, and
  // follows the container when it changes (a phone turned, a sidebar shown).
  function laidOutFor(spec, width) {
    var copy = Object.assign({}, spec);
    copy.params = (spec.params || []).map(function (p) {
      return p.name === "sow" ? Object.assign({}, p, { value: width }) : p;
    });
    return copy;
  }

  function followWidth(target, view) {
    if (!window.ResizeObserver || !view) return;
    new ResizeObserver(function () {
      var w = target.clientWidth;
      if (w > 0 && view.signal("sow") !== w) view.signal("sow", w).runAsync();
    }).observe(target);
  }

  function drawOne(target) {
    var picture = target.querySelector(".so-static-picture") || target.querySelector("img.so-static");
    var spec;
    return specFor(target)
      .then(function (s) { spec = s; }, function (err) { throw Object.assign(err, { read: true }); })
      .then(loadVega)
      .then(function () {
        return window.vegaEmbed(target, laidOutFor(spec, target.clientWidth || 640), { actions: false, renderer: "svg" });
      })
      .then(function (result) {
        // In the same task as Vega's drawing: no frame shows both, or neither.
        if (picture && picture.parentNode) picture.parentNode.removeChild(picture);
        watchWidth(target);
        followWidth(target, result && result.view);
        target.setAttribute("data-drawn-ms", now());
        target.setAttribute("data-state", "drawn");
      })
      .catch(function (err) { fail(target, err.read ? "read" : "drawn", err); });
  }

  // One chart per task, in page order: the page stays responsive while a long
  // chapter draws its charts (no single long task).
  function pump() {
    if (busy) return;
    var target = queue.shift();
    if (!target) return;
    busy = true;
    drawOne(target).then(function () {
      busy = false;
      setTimeout(pump, 0);
    });
  }

  function enqueue(target) {
    if (target.getAttribute("data-state") !== "static") return;
    target.setAttribute("data-state", "pending");
    queue.push(target);
    pump();
  }

  function release() {
    if (!interacted) return;
    near.sort(function (a, b) {
      return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    near.splice(0).forEach(enqueue);
  }

  function onInteraction(ev) {
    // Only the reader scrolling the page counts, not the theme scrolling its
    // sidebar to the current page's link (that event reaches window too).
    if (ev.type === "scroll" && ev.target !== document) return;
    if (interacted) return;
    interacted = true;
    ["scroll", "pointerdown", "pointermove", "keydown", "touchstart", "wheel", "focusin"].forEach(function (t) {
      window.removeEventListener(t, onInteraction);
    });
    release();
  }

  function now() { return String(Math.round(performance.now())); }

  // For the benchmark: each container records when its picture showed
  // (data-picture-ms) and when the interactive chart was drawn
  // (data-drawn-ms); <html data-charts-ms> is when every chart on the first
  // screen showed its picture. Which charts are on the first screen, an
  // observer says once the page is laid out: asking each chart for its
  // place here would lay out the whole long page before its first paint.
  function markPictures(targets) {
    var started = now();
    var first = null;
    function settle() {
      if (!first || html.getAttribute("data-charts-ms")) return;
      var times = first.map(function (t) { return t.getAttribute("data-picture-ms"); });
      if (times.every(Boolean)) html.setAttribute("data-charts-ms", String(Math.max.apply(null, times.concat([started]))));
    }
    function shown(t) {
      if (!t.getAttribute("data-picture-ms")) t.setAttribute("data-picture-ms", now());
      settle();
    }
    targets.forEach(function (t) {
      var img = t.querySelector("img.so-static");
      if (!img || (img.complete && img.naturalWidth > 0)) {
        shown(t);
      } else {
        img.addEventListener("load", function () { shown(t); }, { once: true });
        img.addEventListener("error", function () { shown(t); }, { once: true });
      }
    });
    if (!window.IntersectionObserver) { first = []; settle(); return; }
    var onScreen = new IntersectionObserver(function (entries) {
      onScreen.disconnect();
      first = entries.filter(function (e) { return e.isIntersecting; }).map(function (e) { return e.target; });
      settle();
    });
    targets.forEach(function (t) { onScreen.observe(t); });
  }

  function start() {
    var targets = Array.prototype.slice.call(document.querySelectorAll(".so-chart"));
    targets.forEach(function (t) { if (!t.getAttribute("data-state")) t.setAttribute("data-state", "static"); });
    markPictures(targets);
    if (!window.IntersectionObserver) {  // very old browsers: draw everything
      interacted = true;
      targets.forEach(enqueue);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        observer.unobserve(e.target);
        near.push(e.target);
      });
      release();
    }, { rootMargin: "100% 0px 100% 0px" });
    targets.forEach(function (t) { observer.observe(t); });
    ["scroll", "pointerdown", "pointermove", "keydown", "touchstart", "wheel", "focusin"].forEach(function (t) {
      window.addEventListener(t, onInteraction, { passive: true });
    });
    // A link to a chart (#chart-…) lands on it: that counts as getting there.
    if (location.hash && document.getElementById(location.hash.slice(1))) onInteraction({ type: "hash" });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
