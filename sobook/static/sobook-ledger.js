/* The claims ledger: sort by any column, filter by verdict, kind or text.
   Plain DOM, no library; the table is complete and readable without it. */
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) return type === "num" ? NaN : "";
    if (type === "num") {
      var v = cell.getAttribute("data-v");
      return v === null || v === "" ? NaN : parseFloat(v);
    }
    return cell.textContent.trim().toLowerCase();
  }

  function blank(x, type) {
    return type === "num" ? isNaN(x) : x === "";
  }

  function compare(a, b, type) {
    return type === "num" ? a - b : a.localeCompare(b);
  }

  function makeSelect(label, values, labels) {
    var wrap = document.createElement("label");
    wrap.className = "so-ledger-control";
    wrap.appendChild(document.createTextNode(label + " "));
    var select = document.createElement("select");
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "all";
    select.appendChild(all);
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = labels[v] || v;
      select.appendChild(o);
    });
    wrap.appendChild(select);
    return { wrap: wrap, input: select };
  }

  function setUp(box) {
    var table = box.querySelector("table.so-ledger-table");
    if (!table || !table.tBodies.length) return;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var verdictLabels = {};
    rows.forEach(function (r) {
      var v = r.getAttribute("data-verdict");
      var span = r.querySelector(".so-verdict");
      if (v && span) verdictLabels[v] = span.textContent;
    });
    var order = ["consistent", "within-rounding", "last-digit", "inconsistent", "not-checkable"];
    var verdicts = order.filter(function (v) { return v in verdictLabels; });
    var kinds = [];
    rows.forEach(function (r) {
      var k = r.getAttribute("data-kind");
      if (k && kinds.indexOf(k) < 0) kinds.push(k);
    });
    kinds.sort();

    var bar = document.createElement("div");
    bar.className = "so-ledger-controls";
    var search = document.createElement("label");
    search.className = "so-ledger-control";
    search.appendChild(document.createTextNode("Find "));
    var text = document.createElement("input");
    text.type = "search";
    text.placeholder = "words, ids, numbers";
    search.appendChild(text);
    var verdict = makeSelect("Verdict", verdicts, verdictLabels);
    bar.appendChild(search);
    bar.appendChild(verdict.wrap);
    var kind = null;
    if (kinds.length > 1) {
      kind = makeSelect("Kind", kinds, {});
      bar.appendChild(kind.wrap);
    }
    var count = document.createElement("output");
    count.className = "so-ledger-count";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(count);
    box.insertBefore(bar, box.firstChild);

    function apply() {
      var q = text.value.trim().toLowerCase();
      var v = verdict.input.value;
      var k = kind ? kind.input.value : "";
      var shown = 0;
      rows.forEach(function (r) {
        var ok = (!v || r.getAttribute("data-verdict") === v) &&
                 (!k || r.getAttribute("data-kind") === k) &&
                 (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
        r.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = "Showing " + shown + " of " + rows.length;
    }
    text.addEventListener("input", apply);
    verdict.input.addEventListener("change", apply);
    if (kind) kind.input.addEventListener("change", apply);

    // sortable headers: a button in each, aria-sort on the header cell
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, index) {
      var type = th.getAttribute("data-type") || "text";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "so-ledger-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var keyed = rows.map(function (r, i) { return { r: r, k: cellValue(r, index, type), i: i }; });
        keyed.sort(function (a, b) {
          var ab = blank(a.k, type), bb = blank(b.k, type);
          if (ab || bb) return ab === bb ? a.i - b.i : (ab ? 1 : -1);  // blanks last, either way
          return dir * compare(a.k, b.k, type) || a.i - b.i;
        });
        keyed.forEach(function (x) { tbody.appendChild(x.r); });
        rows = keyed.map(function (x) { return x.r; });
      });
    });

    box.soShow = function (row) {
      if (row.hidden) {
        text.value = "";
        verdict.input.value = "";
        if (kind) kind.input.value = "";
        apply();
      }
    };
    apply();
  }

  function showTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    document.querySelectorAll("tr.so-ledger-target").forEach(function (r) {
      r.classList.remove("so-ledger-target");
    });
    if (!id) return;
    var el = document.getElementById(id);
    var row = el && el.closest ? el.closest("tr") : null;
    var box = row && row.closest(".so-ledger");
    if (!row || !box) return;
    if (box.soShow) box.soShow(row);
    row.classList.add("so-ledger-target");
    var how = row.querySelector("details");
    if (how) how.open = true;
    row.scrollIntoView({ block: "center" });
  }

  function init() {
    document.querySelectorAll(".so-ledger").forEach(setUp);
    showTarget();
    window.addEventListener("hashchange", showTarget);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
