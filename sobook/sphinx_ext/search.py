"""The book's search: the English pages, the Chinese originals and the
numbers as written, in Sphinx's own search index.

Sphinx's English search splits text at every non-word character: a run of
Han characters between two punctuation marks was one "word" (服务外包 was
found only where it stood alone, 外包 nowhere), and "175.35" became two
numbers, both of which the search box ignores. The book's search language
(``html_search_language: en_zh`` in _config.yml) keeps

* English words and their Porter stems, as Sphinx's English does;
* a number with its decimals and thousands separators as one term, and the
  same number with the separators if it has none, without them if it has
  ("1,057.7" and "1057.7" both find either; "10.4%" is "10.4");
* Chinese as overlapping pairs of characters (and single characters), the
  usual way of indexing Chinese without a dictionary: the query's Han runs
  are cut into the same pairs in the browser, so 服务外包 is found on every
  page where 服务, 务外 and 外包 all occur, 外包 wherever it occurs. (A word
  segmenter such as jieba would need the same segmenter in the browser to
  cut the query the same way; pairs need none, and no dictionary.)

The browser cuts the query with ``splitQuery`` (below, written into
Sphinx's language_data.js) into terms the index holds for the same text;
tests/test_reader.py holds the two together.

Under each result, ``sobook-search.js`` shows the page's paragraphs that
hold the query, in English and in Chinese, from ``sobook-search-text.js``,
written here from the pages as they are read: a script file, so that it
works from disk (file://) too, where the search page cannot fetch a page.
"""

from __future__ import annotations

import json
import pickle
import re
from html.parser import HTMLParser
from pathlib import Path

from docutils import nodes
from sphinx.application import ENV_PICKLE_FILENAME
from sphinx.search.en import SearchEnglish

from sobook import source
from sobook.sphinx_ext.panels import write_if_changed

TEXT_FILE = "sobook-search-text.js"

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A run of Han characters, or a word (letters, digits, '_') with the
# groups of digits that follow it after a '.' or ',' (175.35, 1,057.7, s1.1).
TOKEN_RE = re.compile(rf"[{HAN}]+|[^\W{HAN}]+(?:[.,]\d+)*")
HAN_RE = re.compile(rf"[{HAN}]+")
THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
GROUPABLE_RE = re.compile(r"[1-9]\d{3,}(?:\.\d+)?")
LATIN_WORD_RE = re.compile(r"[A-Za-z]+")

# The same, for the query in the browser (JavaScript's \w is ASCII only).
JS_SPLITTER = r"""
/* The book's splitter (sobook/sphinx_ext/search.py): the query cut as the
   pages were when they were indexed. */
var splitQuery = (query) => {
  const han = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  const token = new RegExp(`[${han}]+|(?:(?![${han}])[\\p{L}\\p{N}_])+(?:[.,]\\p{Nd}+)*`, "gu");
  const hanRun = new RegExp(`^[${han}]+$`, "u");
  const terms = [];
  for (const [t] of query.matchAll(token)) {
    if (hanRun.test(t)) {
      const chars = [...t];
      if (chars.length === 1) terms.push(t);
      for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
    } else if (t.includes(",") && !/^\p{Nd}{1,3}(?:,\p{Nd}{3})+(?:\.\p{Nd}+)?$/u.test(t)) {
      terms.push(...t.split(","));
    } else {
      terms.push(t);
    }
  }
  return terms;
};
"""

# Sphinx's Porter stemmer, for words of Latin letters only (as `stem` below).
JS_STEMMER = SearchEnglish.js_stemmer_code + r"""
var PorterStemmer = Stemmer;
Stemmer = function () {
  const porter = new PorterStemmer();
  this.stemWord = (w) => (/^[a-z]+$/.test(w) ? porter.stemWord(w) : w);
};
"""


class SearchEnglishChinese(SearchEnglish):
    lang = "en_zh"
    language_name = "English with the Chinese original"
    js_splitter_code = JS_SPLITTER
    js_stemmer_code = JS_STEMMER

    def split(self, input: str) -> list[str]:
        words: list[str] = []
        for token in TOKEN_RE.findall(input):
            if HAN_RE.fullmatch(token):
                words.extend(token)
                words.extend(token[i:i + 2] for i in range(len(token) - 1))
            elif THOUSANDS_RE.fullmatch(token):
                words.extend([token, token.replace(",", "")])
            elif "," in token:
                words.extend(token.split(","))
            elif GROUPABLE_RE.fullmatch(token):
                whole, point, decimals = token.partition(".")
                words.extend([token, f"{int(whole):,}{point}{decimals}"])
            else:
                words.append(token)
        return words

    def stem(self, word: str) -> str:
        return super().stem(word) if LATIN_WORD_RE.fullmatch(word) else word.lower()


# ------------------------------------------------- the text under the results

TEXT_NODES = (nodes.paragraph, nodes.title, nodes.term, nodes.caption)


def _own_ids(node) -> list[str]:
    """The ids a piece of English answers to: its own, its section's for a
    heading, its figure's for a caption, its footnote's or its glossary
    entry's for a paragraph in one."""
    ids = list(node["ids"])
    parent = node.parent
    if isinstance(node, nodes.title) and isinstance(parent, nodes.section):
        ids += parent["ids"]
    elif isinstance(node, nodes.caption) and isinstance(parent, nodes.figure):
        ids += parent["ids"]
    elif isinstance(parent, nodes.footnote):
        ids += parent["ids"]
    item = next((a for a in _ancestors(node) if isinstance(a, nodes.definition_list_item)), None)
    if item is not None:
        ids += [i for term in item.findall(nodes.term) for i in term["ids"]]
    return ids


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _anchor(node, ids: list[str]) -> str:
    if ids:
        return ids[0]
    return next((a["ids"][0] for a in _ancestors(node) if isinstance(a, nodes.Element) and a["ids"]), "")


class _RawText(HTMLParser):
    """The text of a piece of HTML the page carries as it is (a chart
    panel, the ledger's table), cut where a block (a row, a paragraph, an
    item) ends; each piece goes to the last id before it."""

    BLOCKS = {"p", "li", "tr", "dt", "dd", "caption", "figcaption", "blockquote",
              "h1", "h2", "h3", "h4", "h5", "h6"}
    UNREAD = {"script", "style", "svg", "template"}
    # Tags inside a word ("US$<b>1</b>"); every other tag separates words (cells, spans).
    INLINE = {"a", "abbr", "b", "code", "em", "i", "mark", "small", "strong", "sub", "sup", "wbr"}

    def __init__(self, anchor: str):
        super().__init__()
        self.anchor, self.units, self.words, self.unread = anchor, [], [], 0

    def flush(self):
        text = " ".join("".join(self.words).split())
        if text:
            self.units.append([self.anchor, text, ""])
        self.words = []

    def handle_starttag(self, tag, attrs):
        if tag in self.UNREAD:
            self.unread += 1
        if tag in self.BLOCKS:
            self.flush()
        elif tag not in self.INLINE:
            self.words.append(" ")
        id_ = dict(attrs).get("id")
        if id_ and not self.unread:
            self.flush()
            self.anchor = id_

    def handle_endtag(self, tag):
        if tag in self.UNREAD:
            self.unread = max(0, self.unread - 1)
        if tag in self.BLOCKS:
            self.flush()
        elif tag not in self.INLINE:
            self.words.append(" ")

    def handle_data(self, data):
        if not self.unread:
            self.words.append(data)


def page_text(doctree) -> list[list[str]]:
    """The page's pieces of text in reading order, each as [anchor, English,
    Chinese]: the Chinese is that of the original the English carries (a
    footnote's original goes with the footnote)."""
    originals = {raw["so_blocks"][0]: raw["so_blocks"] for raw in doctree.findall(nodes.raw) if raw.get("so_blocks")}
    on_page = {b for blocks in originals.values() for b in blocks}

    def chinese(block_ids):
        return " ".join(source.plain(source.text(b)) for b in block_ids)

    units, last = [], ""
    for node in doctree.findall(nodes.Element):
        last = node["ids"][0] if node["ids"] else last
        if isinstance(node, nodes.raw):
            if not node.get("so_blocks") and "html" in node.get("format", "").split():
                raw = _RawText(last)
                raw.feed(node.astext())
                raw.close()
                raw.flush()
                units += raw.units
                last = raw.anchor
            continue
        if not isinstance(node, TEXT_NODES):
            continue
        english = " ".join(node.astext().split())
        if not english:
            continue
        ids = _own_ids(node)
        carried = next((i for i in ids if i in originals), None)
        if carried:
            anchor = carried
            zh = chinese(b for b in originals[carried] if source.block(b)["kind"] != "footnote")
        else:
            footnote = next((i for i in ids if i in on_page and source.block(i)["kind"] == "footnote"), None)
            anchor = footnote or _anchor(node, ids)
            zh = chinese([footnote]) if footnote else ""
        units.append([anchor, english, zh])
    return units


def on_doctree_read(app, doctree) -> None:
    app.env.__dict__.setdefault("sobook_search_text", {})[app.env.docname] = page_text(doctree)


def on_env_purge_doc(app, env, docname) -> None:
    env.__dict__.setdefault("sobook_search_text", {}).pop(docname, None)


def on_env_merge_info(app, env, docnames, other) -> None:
    env.__dict__.setdefault("sobook_search_text", {}).update(
        {d: t for d, t in getattr(other, "sobook_search_text", {}).items() if d in docnames})


def text_script(texts: dict[str, list]) -> bytes:
    data = json.dumps({d: texts[d] for d in sorted(texts)}, ensure_ascii=False, separators=(",", ":"))
    return f"window.soSearchText = {data};\n".encode()


def on_env_updated(app, env):
    """Written before the pages are, so that the search page names it with
    its checksum (Sphinx's ?v=)."""
    if app.builder.format == "html":
        texts = {d: t for d, t in getattr(env, "sobook_search_text", {}).items() if d in env.found_docs}
        write_if_changed(Path(app.outdir) / "_static" / TEXT_FILE, text_script(texts))
    return []


def on_build_finished(app, exception):
    """Saves the environment again once the pages are written. Sphinx keeps
    a page's index entries (the glossary's terms) in the environment when it
    writes the page, after it has saved the environment: the next build,
    which writes only the changed pages, lost the other pages' entries
    (sphinx-doc/sphinx#12599)."""
    if exception is None and app.builder.format == "html":
        # Not the root page's doctree, which Sphinx caches in the environment
        # while it writes (BuildEnvironment.master_doctree): saved, the next
        # build would draw every sidebar from the old table of contents.
        app.env.__dict__.pop("master_doctree", None)
        with open(Path(app.doctreedir) / ENV_PICKLE_FILENAME, "wb") as f:
            pickle.dump(app.env, f, pickle.HIGHEST_PROTOCOL)
