/* The search page (loaded there only, after Sphinx's searchtools.js).

   Under each result, the page's paragraphs that hold every term of the query,
   in English and in Chinese, from sobook-search-text.js (written by
   sobook/sphinx_ext/search.py): a script, so that it works from disk too,
   where a page cannot be fetched.

   Each result's link carries the query (?highlight=), so the matches are
   highlighted on the page a result opens. Sphinx keeps them in localStorage
   instead, for whatever page is opened next: a reader who searched and then
   went elsewhere met "Hide Search Matches" there. */
(function () {
  "use strict";
  if (typeof Search === "undefined") return;

  var SHOWN = 3;      // paragraphs under a result
  var CONTEXT = 110;  // characters of English either side of the first match
  var query = { terms: [], marks: [], text: "" };

  function parse(text) {
    var stemmer = new Stemmer();
    var terms = [];
    splitQuery(text.trim()).forEach(function (raw) {
      var t = raw.toLowerCase();
      if (stopwords.indexOf(t) >= 0 || /^\d+$/.test(t)) return;  // as Sphinx skips them
      var forms = [t, stemmer.stemWord(t)];
      if (/^[\d,.]+$/.test(t)) forms.push(t.replace(/,/g, ""));
      terms.push(forms);
    });
    // What is highlighted: the words and numbers as typed, Han runs whole.
    var marks = text.toLowerCase().split(/\s+/).map(function (m) {
      return m.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}%]+$/gu, "");
    }).filter(function (m) {
      return m && stopwords.indexOf(m) < 0 && !/^\d+$/.test(m);
    });
    return { terms: terms, marks: marks, text: marks.join(" ") };
  }

  function holds(text, forms) {
    return forms.some(function (f) { return text.indexOf(f) >= 0; });
  }

  function units(doc) {
    return (window.soSearchText || {})[doc] || [];
  }

  // The page's pieces of text that hold every term of the query.
  function matching(doc) {
    if (!query.terms.length) return [];
    return units(doc).filter(function (u) {
      var text = (u[1] + " " + u[2]).toLowerCase();
      return query.terms.every(function (forms) { return holds(text, forms); });
    });
  }

  function excerpt(text, forms, width) {
    var lower = text.toLowerCase();
    var at = -1;
    forms.forEach(function (f) {
      f.forEach(function (x) {
        var i = lower.indexOf(x);
        if (i >= 0 && (at < 0 || i < at)) at = i;
      });
    });
    var start = Math.max(0, at - width);
    var end = Math.min(text.length, Math.max(at, 0) + width * 2);
    return (start > 0 ? "…" : "") + text.slice(start, end).trim() + (end < text.length ? "…" : "");
  }

  function withQuery(href) {
    var parts = href.split("#");
    return parts[0] + "?highlight=" + encodeURIComponent(query.text) + (parts.length > 1 ? "#" + parts[1] : "");
  }

  function annotate(item) {
    var link = item.querySelector("a");
    if (!link || item.querySelector(".so-hits")) return;
    var href = link.getAttribute("href");
    var page = href.split("#")[0];
    var anchor = href.split("#")[1] || "";
    var doc = page.slice(0, page.length - DOCUMENTATION_OPTIONS.LINK_SUFFIX.length);
    if (query.text) link.setAttribute("href", withQuery(href));
    // A result that points into the page (a title, an index entry) shows the
    // text there if it holds the query, else the page's paragraphs that do.
    var here = matching(doc).filter(function (u) { return anchor && u[0] === anchor; });
    var found = here.length ? here.slice(0, 1) : matching(doc).slice(0, SHOWN);
    if (!found.length) return;
    var box = document.createElement("div");
    box.className = "so-hits";
    found.forEach(function (u) {
      var hit = box.appendChild(document.createElement("div"));
      hit.className = "so-hit";
      var en = hit.appendChild(document.createElement("a"));
      en.className = "so-hit-en";
      en.href = withQuery(page + "#" + u[0]);
      en.textContent = excerpt(u[1], query.terms, CONTEXT);
      if (u[2]) {
        var zh = hit.appendChild(document.createElement("p"));
        zh.className = "so-hit-zh";
        zh.lang = "zh-Hans";
        zh.textContent = excerpt(u[2], query.terms, CONTEXT / 2);
      }
    });
    item.appendChild(box);
    query.marks.forEach(function (m) { _highlightText(box, m, "highlighted"); });
  }

  // Sphinx scores a page 5 for a term anywhere in it (15 in a title):
  // among those, the pages where more paragraphs hold the query come first.
  Scorer.score = function (result) {
    return result[2] ? result[4] : result[4] + Math.min(10, matching(result[0]).length);
  };

  var run = Search.query;
  Search.query = function (text) {
    query = parse(text);
    run(text);
    localStorage.removeItem("sphinx_highlight_terms");
  };

  new MutationObserver(function (records) {
    records.forEach(function (r) {
      r.addedNodes.forEach(function (n) {
        if (n.nodeName === "LI") annotate(n);
      });
    });
  }).observe(document.getElementById("search-results"), { childList: true, subtree: true });
})();
