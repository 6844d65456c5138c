// Draws every chart panel on the page with the Vega bundle served from
// _static/ (sobook-vega.js, loaded before this file; both deferred).
// Each container gets data-state="drawn" or "error", which the browser
// tests wait for.
(function () {
  "use strict";
  function drawAll() {
    var specs = document.querySelectorAll("script.so-spec");
    Array.prototype.forEach.call(specs, function (el) {
      var target = document.getElementById(el.getAttribute("data-target"));
      if (!target || target.getAttribute("data-state")) return;
      target.setAttribute("data-state", "pending");
      var spec;
      try {
        spec = JSON.parse(el.textContent);
      } catch (err) {
        target.setAttribute("data-state", "error");
        target.textContent = "This chart could not be read: " + err.message;
        console.error(err);
        return;
      }
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg" })
        .then(function () {
          target.setAttribute("data-state", "drawn");
        })
        .catch(function (err) {
          target.setAttribute("data-state", "error");
          target.textContent = "This chart could not be drawn: " + err.message;
          console.error(err);
        });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
