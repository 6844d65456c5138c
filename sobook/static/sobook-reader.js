/* What every page does for its reader, beside the theme.

   * "Both texts": the header's button shows every Chinese original of the
     page at once, as a parallel text (two columns on a wide screen, each
     original under its English on a narrow one: sobook.css), and the
     choice holds on every page (localStorage; templates/layout.html sets
     the class before the first paint). Each footnote's original then
     stands beside the footnote.
   * Choosing an entry in the theme's contents or chapter dialog (phones and
     tablets) closes the dialog, so the reader sees where they landed.
   * The theme's "Back to top" stands in the header bar, beside the menu
     button, not over the text. */
(function () {
  "use strict";
  var KEY = "sobook-both-texts";
  var root = document.documentElement;

  function stored() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  // A footnote's original is in the toggle of the paragraph that calls it;
  // with both texts shown it moves beside the footnote, and back.
  function placeFootnotes(both) {
    document.querySelectorAll("details.so-original p.so-zh-footnote, aside.footnote p.so-zh-footnote")
      .forEach(function (zh) {
        var note = document.getElementById(zh.dataset.block);
        if (!note || note.tagName !== "ASIDE") return;
        if (both && !zh.soHome) {
          zh.soHome = zh.parentNode;
          note.appendChild(zh);
        } else if (!both && zh.soHome) {
          zh.soHome.appendChild(zh);
          zh.soHome = null;
        }
      });
  }

  function show(both) {
    root.classList.toggle("so-both", both);
    document.querySelectorAll("details.so-original").forEach(function (d) { d.open = both; });
    placeFootnotes(both);
    document.querySelectorAll(".so-both-button").forEach(function (b) {
      b.setAttribute("aria-pressed", both ? "true" : "false");
    });
  }

  // Called by the header's button (sobook/sphinx_ext/assets.py).
  window.soToggleBothTexts = function () {
    var both = !root.classList.contains("so-both");
    try { localStorage.setItem(KEY, both ? "1" : "0"); } catch (e) { /* the choice holds for this page */ }
    show(both);
  };

  function closeDialogsOnChoice() {
    ["pst-primary-sidebar-modal", "pst-secondary-sidebar-modal"].forEach(function (id) {
      var dialog = document.getElementById(id);
      if (!dialog) return;
      dialog.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("a[href]");
        if (link && dialog.open) dialog.close();
      });
    });
  }

  function init() {
    if (stored()) {
      show(true);
    } else {
      document.querySelectorAll(".so-both-button").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    }
    closeDialogsOnChoice();
    var backToTop = document.getElementById("pst-back-to-top");
    var start = document.querySelector(".header-article-items__start");
    if (backToTop && start) start.appendChild(backToTop);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
