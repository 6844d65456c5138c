// The day a citation was accessed is the reader's: a page built once cannot
// know it. Each "[accessed: date]" of the page's citations gets the
// reader's date, in its form's own way; without JavaScript it stays for the
// reader to fill.
(function () {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  const iso = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  const forms = { plain: `Accessed ${iso}.`, iso: iso, ris: iso.replaceAll("-", "/") };
  for (const span of document.querySelectorAll(".so-accessed")) {
    span.textContent = forms[span.dataset.form] || iso;
  }
})();
