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
     button, not over the text.
   * A footnote shows in a box beside its number on hover or keyboard focus
     (on a touch screen the first tap shows it, with a link to the note),
     so the reader need not leave a long page's text for its foot.
   * The page's contents (the right-hand column) keep the section being
     read in view when the list is taller than the screen.
   * The sidebar shows the book's title whenever the current page's entry
     fits under it (the theme scrolls the title away whenever that entry is
     in the lower half of the screen).
   * Each chart panel starts its tools (data table, downloads, sources,
     citation) with a link past them, shown when the keyboard reaches it. */
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

  var preview = null;
  var previewFor = null;
  var lastPointer = "mouse";

  function hidePreview() {
    if (!preview || preview.hidden) return;
    preview.hidden = true;
    if (previewFor) previewFor.removeAttribute("aria-describedby");
    previewFor = null;
  }

  function showPreview(ref, note) {
    if (!preview) {
      preview = document.createElement("div");
      preview.id = "so-fn-preview";
      preview.className = "so-fn-preview";
      preview.setAttribute("role", "tooltip");
      preview.hidden = true;
      document.body.appendChild(preview);
      var leave = function (e) {
        if (!preview.contains(e.relatedTarget) && !(previewFor && previewFor.contains(e.relatedTarget))) hidePreview();
      };
      preview.addEventListener("mouseleave", leave);
      preview.addEventListener("focusout", leave);
    }
    preview.textContent = "";
    Array.prototype.forEach.call(note.children, function (el) {
      if (!el.classList.contains("label")) preview.appendChild(el.cloneNode(true));
    });
    preview.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var go = document.createElement("a");
    go.href = ref.getAttribute("href");
    go.className = "so-fn-go";
    go.textContent = "Go to note " + ref.textContent.replace(/[\[\]]/g, "") + " \u2193";
    preview.appendChild(go);
    preview.hidden = false;
    previewFor = ref;
    ref.setAttribute("aria-describedby", preview.id);
    var r = ref.getBoundingClientRect();
    var width = Math.min(preview.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
    preview.style.left = (left + window.scrollX) + "px";
    preview.style.top = (r.bottom + window.scrollY + 6) + "px";
  }

  function footnotePreviews() {
    document.querySelectorAll("a.footnote-reference[href^='#']").forEach(function (ref) {
      var note = document.getElementById(ref.getAttribute("href").slice(1));
      if (!note || note.tagName !== "ASIDE") return;
      ref.addEventListener("mouseenter", function () { showPreview(ref, note); });
      ref.addEventListener("focus", function () { showPreview(ref, note); });
      ref.addEventListener("blur", function (e) {
        if (!(preview && preview.contains(e.relatedTarget))) hidePreview();
      });
      ref.addEventListener("mouseleave", function (e) {
        if (!(preview && preview.contains(e.relatedTarget))) hidePreview();
      });
      ref.addEventListener("click", function (e) {
        // A first tap shows the note; a second (or the box's link) goes there.
        if (lastPointer === "touch" && previewFor !== ref) {
          e.preventDefault();
          showPreview(ref, note);
        }
      });
    });
    document.addEventListener("pointerdown", function (e) {
      lastPointer = e.pointerType;
      if (preview && !preview.hidden && !preview.contains(e.target) && !(previewFor && previewFor.contains(e.target))) {
        hidePreview();
      }
    }, true);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hidePreview(); });
  }

  // The theme marks the contents entry of the section in view
  // (aria-current); its list scrolls on its own when it is taller than the
  // screen, and is scrolled so that entry stays in it.
  function followContents() {
    var nav = document.getElementById("pst-page-toc-nav");
    if (!nav || !window.MutationObserver) return;
    new MutationObserver(function () {
      var link = nav.querySelector("a[aria-current]");
      if (!link) return;
      var box = link.parentElement;
      while (box && box !== document.body && !(box.scrollHeight > box.clientHeight + 1 &&
             /(auto|scroll)/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
      if (!box || box === document.body) return;
      var r = link.getBoundingClientRect(), b = box.getBoundingClientRect(), margin = 48;
      if (r.top < b.top + margin) box.scrollTop -= b.top + margin - r.top;
      else if (r.bottom > b.bottom - margin) box.scrollTop += r.bottom - (b.bottom - margin);
    }).observe(nav, { attributes: true, attributeFilter: ["aria-current"], subtree: true });
  }

  function keepTitleInSidebar() {
    var sidebar = document.querySelector(".bd-sidebar-primary");
    var current = sidebar && sidebar.querySelector(".bd-docs-nav a.current");
    if (!current || !sidebar.scrollTop) return;
    var bottom = current.getBoundingClientRect().bottom - sidebar.getBoundingClientRect().top + sidebar.scrollTop;
    if (bottom <= sidebar.clientHeight) sidebar.scrollTop = 0;
  }

  function panelSkipLinks() {
    document.querySelectorAll(".so-panel[id]").forEach(function (panel) {
      var tools = panel.querySelector(":scope > .so-table, :scope > .so-download");
      if (!tools) return;
      var end = document.createElement("span");
      end.id = panel.id + "-end";
      end.className = "so-skip-end";
      end.tabIndex = -1;
      panel.appendChild(end);
      var figure = panel.closest("figure");
      var label = (figure && figure.querySelector("figcaption .caption-text strong")) || panel.querySelector(".so-label");
      var skip = document.createElement("a");
      skip.href = "#" + end.id;
      skip.className = "so-skip";
      skip.textContent = "Skip " + (label ? label.textContent + "\u2019s" : "the chart\u2019s") +
        " table, downloads and citation";
      panel.insertBefore(skip, tools);
    });
  }

  function init() {
    if (stored()) {
      show(true);
    } else {
      document.querySelectorAll(".so-both-button").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    }
    closeDialogsOnChoice();
    footnotePreviews();
    followContents();
    panelSkipLinks();
    var backToTop = document.getElementById("pst-back-to-top");
    var start = document.querySelector(".header-article-items__start");
    if (backToTop && start) start.appendChild(backToTop);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // After the theme's own scripts, which run after this one.
  if (document.readyState !== "complete") {
    document.addEventListener("DOMContentLoaded", keepTitleInSidebar);
  }
})();
