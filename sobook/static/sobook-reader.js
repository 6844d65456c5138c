/* What every page does for its reader, beside the theme.

   * Choosing an entry in the theme's contents or chapter dialog (phones and
     tablets) closes the dialog, so the reader sees where they landed.
   * The theme's "Back to top" stands in the header bar, beside the menu
     button, not over the text. */
(function () {
  "use strict";

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
