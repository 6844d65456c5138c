"""What a reader meets beyond the text (issue 23): the search in both
languages and in numbers, the ledger and the outlook table on a phone, the
theme's dialogs and buttons, and both texts side by side.

The expected pages and paragraphs come from the report (data/source/
original.json, and the blocks each built page shows), not from the search
index."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from conftest import HTML, ROOT, offline_context
from sobook.sphinx_ext.search import SearchEnglishChinese

ORIGINAL = json.loads((ROOT / "data" / "source" / "original.json").read_text(encoding="utf-8"))["blocks"]
CHINESE = {b["id"]: b["text"] for b in ORIGINAL}
CHAPTER = "chapters/achievements.html"


# ------------------------------------------------------------ the splitter


def split(text):
    return SearchEnglishChinese({}).split(text)


def test_chinese_is_indexed_as_characters_and_pairs():
    assert split("服务外包") == ["服", "务", "外", "包", "服务", "务外", "外包"]
    # a Han run ends at a number or a Latin word, which stay whole
    assert split("执行额1753.5亿美元") == ["执", "行", "额", "执行", "行额", "1753.5", "1,753.5", "亿", "美", "元",
                                      "亿美", "美元"]


@pytest.mark.parametrize("text, terms", [
    ("US$175.35 billion", ["US", "175.35", "billion"]),
    ("US$1,387.57 billion", ["US", "1,387.57", "1387.57", "billion"]),  # with and without the separator
    ("1057.7亿美元", ["1057.7", "1,057.7"]),
    ("10.4%", ["10.4"]),
    ("paragraph s1.1-p2", ["paragraph", "s1.1", "p2"]),
    ("2016,2017", ["2016", "2017"]),  # not a thousands separator
])
def test_numbers_are_indexed_as_written(text, terms):
    got = split(text)
    assert all(t in got for t in terms), got


def test_only_latin_words_are_stemmed():
    language = SearchEnglishChinese({})
    assert language.stem("outsourcing") == "outsourc"
    assert [language.stem(w) for w in ("175.35", "外包", "s1.1")] == ["175.35", "外包", "s1.1"]


# ------------------------------------------------------------ the search


def pages_showing(term: str) -> set[str]:
    """The built pages whose Chinese originals hold `term` (in the report's own text)."""
    from bs4 import BeautifulSoup

    found = set()
    for page in sorted(HTML.rglob("*.html")):
        if "_static" in page.parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        blocks = [b for d in soup.select("details.so-original") for b in d["data-blocks"].split()]
        if any(term in CHINESE[b] for b in blocks):
            found.add(str(page.relative_to(HTML)))
    return found


def search(page, root: str, query: str) -> list[dict]:
    page.goto(f"{root}/search.html?q={urllib.parse.quote(query)}")
    page.wait_for_function("() => /finished|did not match/.test("
                           "document.querySelector('#search-results .search-summary')?.textContent || '')",
                           timeout=15000)
    page.wait_for_timeout(200)  # the last result's paragraphs
    return page.evaluate("""() => [...document.querySelectorAll('#search-results ul.search > li')].map(li => ({
        page: li.querySelector('a').getAttribute('href').split(/[?#]/)[0],
        hits: [...li.querySelectorAll('.so-hit')].map(h => ({
            en: h.querySelector('.so-hit-en').textContent,
            zh: h.querySelector('.so-hit-zh')?.textContent || ''}))}))""")


@pytest.fixture(params=["http", "file"])
def search_root(request, served_book):
    """The book over http, and opened from disk (file://), where a page
    cannot fetch another."""
    return served_book if request.param == "http" else HTML.as_uri()


@pytest.mark.parametrize("term", ["服务外包", "外包"])
def test_chinese_words_find_every_page_whose_original_holds_them(browser, search_root, term):
    expected = pages_showing(term)
    assert CHAPTER in expected and len(expected) >= 4
    context = browser.new_context()
    try:
        page = context.new_page()
        results = search(page, search_root, term)
        assert expected <= {r["page"] for r in results}, expected - {r["page"] for r in results}
        # Under the result, its paragraphs in both languages, the Chinese holding the term.
        hits = next(r["hits"] for r in results if r["page"] == CHAPTER)
        assert hits and all(term in h["zh"] for h in hits) and all(h["en"] for h in hits), hits
    finally:
        context.close()


@pytest.mark.parametrize("query, chinese", [
    ("175.35", "1753.5亿美元"),   # the report's 2020 total, US$175.35 billion in the English
    ("1,057.7", "1057.7亿美元"),  # its 2020 offshore value, as a reader may write it
    ("10.4%", "10.4%"),
])
def test_numbers_are_found_as_written(browser, search_root, query, chinese):
    [block] = [b for b in ORIGINAL if chinese in b["text"]][:1]
    [where] = pages_showing(CHINESE[block["id"]])
    context = browser.new_context()
    try:
        page = context.new_page()
        results = search(page, search_root, query)
        hits = next((r["hits"] for r in results if r["page"] == where), None)
        assert hits is not None, f"{query}: {where} not among {[r['page'] for r in results]}"
        number = query.strip("%")
        assert any(number in h["en"] or number.replace(",", "") in h["zh"] for h in hits), hits
    finally:
        context.close()


def test_the_query_is_cut_as_the_text_was(browser, served_book):
    """Sphinx finds a query's terms only if the browser cuts the query into
    terms the index holds: any text, typed as a query, finds itself."""
    texts = [b["text"] for b in ORIGINAL] + [
        "US$1,387.57 billion, 10.4% a year in 2016–2020 (paragraph s1.1-p2)", "Offshore executed value"]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{served_book}/search.html")
        cut = page.evaluate("texts => texts.map(t => splitQuery(t))", texts)
    finally:
        context.close()
    for text, terms in zip(texts, cut):
        indexed = {w.lower() for w in split(text)}
        assert {t.lower() for t in terms} <= indexed, (text[:40], {t.lower() for t in terms} - indexed)


def test_matches_are_highlighted_on_the_result_only(browser, served_book):
    """Sphinx kept the query for whatever page came next: a reader who
    searched, then went elsewhere, met "Hide Search Matches" there."""
    context = offline_context(browser, served_book, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        search(page, served_book, "outsourcing")
        page.goto(f"{served_book}/pages/about.html")
        page.wait_for_timeout(300)
        assert page.locator(".highlight-link").count() == 0, "Hide Search Matches on a page no result opened"
        search(page, served_book, "outsourcing")
        page.locator("#search-results ul.search > li > a").first.click()
        page.wait_for_load_state("load")
        page.wait_for_function("() => document.querySelectorAll('span.highlighted').length > 0", timeout=5000)
        assert page.locator(".highlight-link").count() == 1
        page.goto(f"{served_book}/chapters/trends.html")
        page.wait_for_timeout(300)
        assert page.locator(".highlight-link, span.highlighted").count() == 0
    finally:
        context.close()


# ------------------------------------------------------------ wide tables on a phone

TABLES = [("chapters/ledger.html", "table.so-ledger-table", ".so-verdict"),
          ("chapters/outlook-fared.html", "table.so-fared-table", ".so-fared-verdict")]

ON_SCREEN = """([table, verdict]) => {
  const width = document.documentElement.clientWidth;
  const rows = [...document.querySelectorAll(table + ' tbody tr')].filter(r => !r.hidden);
  const off = rows.filter(r => { const v = r.querySelector(verdict).getBoundingClientRect();
                                 return !(v.width > 0 && v.left >= 0 && v.right <= width); })
                  .map(r => r.textContent.trim().slice(0, 40));
  // nothing on the way scrolls sideways (a box of its own would hide its right part)
  const scrolls = [];
  for (let e = document.querySelector(table); e; e = e.parentElement)
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') scrolls.push(e.className);
  return {rows: rows.length, off, scrolls, page: document.documentElement.scrollWidth, width};
}"""


@pytest.mark.parametrize("rel, table, verdict", TABLES)
def test_on_a_phone_every_row_shows_its_verdict(browser, served_book, rel, table, verdict):
    context = offline_context(browser, served_book, viewport={"width": 390, "height": 844},
                              is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{served_book}/{rel}", wait_until="load")
        seen = page.evaluate(ON_SCREEN, [table, verdict])
        assert seen["rows"] >= 30 and not seen["off"], seen["off"][:5]
        assert not seen["scrolls"] and seen["page"] <= seen["width"], seen
    finally:
        context.close()


def test_on_a_phone_the_ledger_still_sorts_and_filters(browser, served_book):
    context = offline_context(browser, served_book, viewport={"width": 390, "height": 844},
                              is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{served_book}/chapters/ledger.html", wait_until="load")
        box = page.locator(".so-ledger").first
        order = ["consistent", "within-rounding", "last-digit", "inconsistent", "not-checkable"]
        sort = box.locator("th button.so-ledger-sort", has_text="Verdict")
        sort.tap()
        verdicts = box.locator("tbody tr").evaluate_all("rs => rs.map(r => r.dataset.verdict)")
        assert verdicts == sorted(verdicts, key=order.index)
        sort.tap()
        verdicts = box.locator("tbody tr").evaluate_all("rs => rs.map(r => r.dataset.verdict)")
        assert verdicts == sorted(verdicts, key=order.index, reverse=True)
        kept = verdicts.count("consistent")
        box.locator("select").first.select_option("consistent")
        shown = box.locator("tbody tr:not([hidden])")
        assert shown.count() == kept and set(shown.evaluate_all("rs => rs.map(r => r.dataset.verdict)")) == {"consistent"}
        assert box.locator(".so-ledger-count").text_content().startswith(f"Showing {kept} of ")
        assert not page.evaluate(ON_SCREEN, ["table.so-ledger-table", ".so-verdict"])["off"]
    finally:
        context.close()


# ------------------------------------------------------------ the theme's behaviours


@pytest.mark.parametrize("width", [390, 820])
def test_choosing_an_entry_closes_the_contents_dialog(browser, served_book, width):
    context = offline_context(browser, served_book, viewport={"width": width, "height": 844},
                              is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{served_book}/{CHAPTER}", wait_until="load")
        page.locator(".secondary-toggle:visible").first.tap()
        dialog = page.locator("#pst-secondary-sidebar-modal")
        assert dialog.evaluate("d => d.open")
        entry = dialog.locator("a.nav-link").nth(4)
        target = entry.get_attribute("href").lstrip("#")
        entry.tap()
        page.wait_for_timeout(800)
        assert not dialog.evaluate("d => d.open"), "the dialog stayed open"
        top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", target)
        assert 0 <= top < 200, top  # the reader sees where they landed
    finally:
        context.close()


# Text the button hides: text under the sticky header bar is hidden by the bar anyway.
TEXT_UNDER = """(button) => {
  const b = button.getBoundingClientRect(), hits = [];
  const bar = document.querySelector('.bd-header-article').getBoundingClientRect().bottom;
  const walker = document.createTreeWalker(document.querySelector('.bd-article'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    for (const r of range.getClientRects())
      if (r.right > b.left && r.left < b.right && r.bottom > b.top && Math.max(r.top, bar) < b.bottom) hits.push(n.textContent.trim().slice(0, 30));
  }
  return hits;
}"""


@pytest.mark.parametrize("width", [390, 820])
def test_back_to_top_covers_no_text(browser, served_book, width):
    context = offline_context(browser, served_book, viewport={"width": width, "height": 844},
                              is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{served_book}/{CHAPTER}", wait_until="load")
        button = page.locator("#pst-back-to-top")
        for y in range(6000, 600, -700):
            page.evaluate(f"window.scrollTo({{top: {y}, behavior: 'instant'}})")
            for step in range(1, 6):  # scrolling back up: the theme shows it
                page.wait_for_timeout(150)
                page.evaluate(f"window.scrollTo({{top: {y - 60 * step}, behavior: 'instant'}})")
                if button.is_visible():
                    break
            assert button.is_visible(), y
            assert not button.evaluate(TEXT_UNDER), (y, button.evaluate(TEXT_UNDER))
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_sidebar_toggle_shows_its_focus(browser, served_book, width):
    context = offline_context(browser, served_book, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{served_book}/{CHAPTER}", wait_until="load")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.primary-toggle')"):
                break
        else:
            pytest.fail("Tab never reached the sidebar toggle")
        ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, shadow: s.boxShadow}; }""")
        assert ring["outline"] or ring["shadow"] not in ("none", ""), ring
    finally:
        context.close()
