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

from sobook.sphinx_ext.search import SearchEnglishChinese
from support import HTML, ROOT, offline_context

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
        # Under the result, its paragraphs in both languages, the Chinese holding
        # the term; or a text of the edition's that quotes it (a chart's
        # sources name the Chinese titles of the reports they cite).
        hits = next(r["hits"] for r in results if r["page"] == CHAPTER)
        assert hits and all(h["en"] and term in h["en"] + h["zh"] for h in hits), hits
        assert term in hits[0]["zh"], hits[0]
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
            # Scrolling back up: the theme shows it on its next scroll event.
            for step in range(1, 21):
                page.wait_for_timeout(150)
                page.evaluate(f"window.scrollTo({{top: {y - 20 * step}, behavior: 'instant'}})")
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


# ------------------------------------------------------------ both texts

# Each paragraph and its original (a translator's note may stand between them).
PAIRS = """() => [...document.querySelectorAll('.bd-article section > details.so-original')].map(d => {
  let e = d.previousElementSibling;
  while (e && e.matches('.so-tn')) e = e.previousElementSibling;
  return [e, d];
}).filter(([e, d]) => e && e.matches('p')).map(([e, d]) => {
  const p = e.getBoundingClientRect(), z = d.getBoundingClientRect();
  return {id: d.dataset.blocks, p: [p.left, p.top, p.right, p.bottom], zh: [z.left, z.top, z.right, z.bottom],
          open: d.open, text: d.innerText};
})"""


def inked(png: bytes) -> float:
    """The share of a screenshot's pixels that are not the page's white."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    return sum(image.histogram()[:200]) / (image.width * image.height)


def both_texts(browser, served_book, width, rel=CHAPTER):
    context = offline_context(browser, served_book, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{served_book}/{rel}", wait_until="load")
    button = page.locator(".so-both-button:visible")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    return context, page


def test_both_texts_side_by_side_on_a_desktop(browser, served_book):
    context, page = both_texts(browser, served_book, 1280)
    try:
        pairs = page.evaluate(PAIRS)
        assert len(pairs) >= 20
        for pair in pairs:
            p, zh = pair["p"], pair["zh"]
            assert pair["open"] and abs(p[1] - zh[1]) < 4 and zh[0] >= p[2], pair["id"]  # level, to its right
            assert CHINESE[pair["id"].split()[0]][:10] in pair["text"]
        # Drawn, not only laid out: on the screen, the right half of the
        # text column beside the first paragraph carries ink (the Chinese).
        first = page.locator(".bd-article section > p + details.so-original").first
        first.scroll_into_view_if_needed()
        assert inked(first.screenshot()) > 0.03
        assert inked(page.locator(".bd-article section > p:has(+ details.so-original)").first.screenshot()) > 0.03
        # a footnote's original stands beside the footnote
        for note in page.locator("aside.footnote").all():
            block = note.get_attribute("id")
            if block in CHINESE:
                assert note.locator("p.so-zh-footnote").text_content().startswith(CHINESE[block][:8])
        # the choice holds on the next page
        page.goto(f"{served_book}/chapters/trends.html", wait_until="load")
        assert page.evaluate("document.documentElement.classList.contains('so-both')")
        assert page.locator(".so-both-button:visible").get_attribute("aria-pressed") == "true"
        assert page.evaluate("[...document.querySelectorAll('details.so-original')].every(d => d.open)")
        page.locator(".so-both-button:visible").click()
        page.goto(f"{served_book}/{CHAPTER}", wait_until="load")
        assert not page.evaluate("[...document.querySelectorAll('details.so-original')].some(d => d.open)")
    finally:
        context.close()


def test_both_texts_alternate_on_a_phone(browser, served_book):
    context, page = both_texts(browser, served_book, 390)
    try:
        pairs = page.evaluate(PAIRS)
        assert len(pairs) >= 20
        for pair in pairs:
            p, zh = pair["p"], pair["zh"]
            assert pair["open"] and zh[1] >= p[3] - 1 and abs(zh[0] - p[0]) < 2 and zh[2] <= 390, pair["id"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_both_texts_print(browser, served_book, tmp_path):
    import subprocess

    context, page = both_texts(browser, served_book, 1280, rel="chapters/challenges.html")
    try:
        pdf = tmp_path / "both.pdf"
        page.pdf(path=str(pdf), format="A4")
    finally:
        context.close()
    def words(text):  # (pdftotext gives the quotation marks its own way)
        return re.sub(r"\W+", "", text)

    text = words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((HTML / "chapters/challenges.html").read_text(encoding="utf-8"), "html.parser")
    blocks = [b for d in soup.select("details.so-original") for b in d["data-blocks"].split()]
    for b in blocks:
        assert words(CHINESE[b])[:20] in text, b
    assert "Original原文" not in text


# ------------------------------------------------------------ accessibility of the new views


@pytest.mark.parametrize("view", ["both-texts-1280", "both-texts-390", "ledger-390", "fared-390", "search"])
def test_axe_finds_nothing_in_the_readers_views(browser, served_book, view):
    """As tests/test_a11y.py, for what that test does not open: both texts,
    the tables as cards on a phone, a search with its results."""
    from axe_playwright_python.sync_playwright import Axe
    from test_a11y import ALLOWED

    width = 390 if view.endswith("390") else 1280
    context = offline_context(browser, served_book, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        if view.startswith("both-texts"):
            page.goto(f"{served_book}/{CHAPTER}", wait_until="load")
            page.locator(".so-both-button:visible").click()
            # (away from the button: its tooltip, outside any landmark, is the theme's)
            page.mouse.move(600, 700)
            page.evaluate("document.activeElement.blur()")
            page.wait_for_timeout(500)
        elif view == "search":
            search(page, served_book, "服务外包 outsourcing")
        else:
            page.goto(f"{served_book}/chapters/{'ledger' if view.startswith('ledger') else 'outlook-fared'}.html",
                      wait_until="load")
        result = Axe().run(page, options={"resultTypes": ["violations"]})
        found = [f"{v['id']} ({v['impact']}) at {' '.join(map(str, n['target']))}"
                 for v in result.response["violations"] for n in v["nodes"]
                 if (v["id"], " ".join(map(str, n["target"]))) not in ALLOWED]
        assert not found, "\n".join(found)
    finally:
        context.close()
