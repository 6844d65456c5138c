"""How a page loads for a reader: a picture of each chart at once, the
interactive chart (and the 900 KB Vega bundle) only when the reader gets near
it, and a <head> that does not hold the first paint back (sobook-charts.js and
the Sphinx extension's assets and panels: sobook/sphinx_ext/)."""

import re
import types

import pytest

from sobook import sphinx_ext
from sobook.sphinx_ext import assets
from support import HTML, book_pages, draw_all_charts, offline_context

CHAPTER = "chapters/achievements.html"
STATES = "() => [...document.querySelectorAll('.so-chart')].map(e => e.dataset.state)"


def open_page(browser, served_book, rel=CHAPTER, **options):
    context = offline_context(browser, served_book, viewport={"width": 1280, "height": 900}, **options)
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(f"{served_book}/{rel}", wait_until="load")
    return context, page, requests


def test_a_page_left_alone_loads_no_vega(browser, served_book):
    """A reader who has not scrolled, pointed or pressed anything has fetched
    no Vega bundle and no spec: the charts are pictures."""
    context, page, requests = open_page(browser, served_book)
    try:
        page.wait_for_function("() => document.documentElement.dataset.chartsMs")
        page.wait_for_timeout(500)
        assert set(page.evaluate(STATES)) == {"static"}
        assert not [u for u in requests if "sobook-vega.js" in u or re.search(r"/charts/chart-[^/]*\.js", u)]
    finally:
        context.close()


def test_a_chart_the_reader_reaches_becomes_interactive(browser, served_book):
    context, page, requests = open_page(browser, served_book)
    try:
        chart = page.locator("[id='chart-1-6']")
        chart.scroll_into_view_if_needed()
        page.wait_for_function("() => document.getElementById('chart-1-6').dataset.state === 'drawn'")
        # The picture gave way to Vega's drawing, which carries the tooltips.
        assert chart.locator("img.so-static").count() == 0
        assert chart.locator("svg .mark-rect, svg .mark-line, svg .mark-symbol").count() > 0
        # Charts far below were not drawn along with it.
        assert page.evaluate("document.getElementById('chart-1-9').dataset.state") == "static"
        assert sum("sobook-vega.js" in u for u in requests) == 1
    finally:
        context.close()


def test_every_chart_is_drawn_when_scrolled_through(browser, served_book):
    context, page, requests = open_page(browser, served_book)
    try:
        draw_all_charts(page)
        assert set(page.evaluate(STATES)) == {"drawn"}
        assert sum("sobook-vega.js" in u for u in requests) == 1, "the bundle is fetched once per page"
    finally:
        context.close()


def test_every_chart_shows_its_picture_without_javascript(browser, served_book):
    context, page, _ = open_page(browser, served_book, java_script_enabled=False)
    try:
        for chart in page.locator(".so-chart").all():
            chart.scroll_into_view_if_needed()
            img = chart.locator("img.so-static")
            assert img.count() == 1, chart.get_attribute("id")
            # loaded (lazily) and decodable; raced against a timer, since
            # page.evaluate itself never times out (see conftest.SCROLL_THROUGH)
            img.evaluate("i => Promise.race([i.decode(), new Promise((_, no) => "
                         "setTimeout(() => no(new Error('not decoded within 10 s')), 10000))])")
            box = img.bounding_box()
            assert box["width"] > 300 and box["height"] > 150, (chart.get_attribute("id"), box)
    finally:
        context.close()


def test_the_picture_keeps_its_place_while_it_loads(book_html):
    """Each picture declares its size, so nothing below it moves when it loads."""
    text = (HTML / CHAPTER).read_text(encoding="utf-8")
    imgs = re.findall(r'<img class="so-static"[^>]*>', text)
    assert len(imgs) == text.count('class="so-chart"') > 0
    for img in imgs:
        assert re.search(r' width="\d+" height="\d+"', img), img
        assert 'loading="lazy"' in img and 'decoding="async"' in img


@pytest.mark.parametrize("rel", [p for p in book_pages() if p != "search.html"])
def test_the_head_blocks_nothing(book_html, rel):
    """No script in <head> is parser-blocking (but the theme's 300-byte
    options, which its inline scripts set), no Font Awesome script (the
    theme's CSS draws the icons), no search index away from the search page."""
    head = (HTML / rel).read_text(encoding="utf-8").split("</head>", 1)[0]
    for tag in re.findall(r"<script\b[^>]*>", head):
        if "src=" in tag and "documentation_options.js" not in tag:
            assert re.search(r"\b(defer|async)\b", tag), f"{rel}: {tag}"
    assert "fontawesome.js" not in head
    assert "searchindex.js" not in head


@pytest.mark.parametrize("rel", [p for p in book_pages() if p != "search.html"])
def test_the_head_names_only_what_the_page_uses(book_html, rel):
    """Issue 23, item 9 (Lighthouse): every stylesheet in <head> is a request a
    phone's first paint waits for. No sphinx-thebe style (the book runs no
    code); sphinx-design's and sphinx-togglebutton's files only on a page that
    uses them, sphinx-copybutton's and Pygments' only on one with a code
    block; Sphinx's basic.css linked directly (not through theme.css's
    @import: one round trip less); no preload of the theme's deferred scripts
    (it takes bandwidth from the stylesheets); the theme's stylesheet is the
    copy without the icons no page shows."""
    text = (HTML / rel).read_text(encoding="utf-8")
    head, body = text.split("</head>", 1)
    article = body.split("<article", 1)[-1].split("</article>", 1)[0]
    styles = [re.search(r'href="([^"?]+)', tag).group(1) for tag in re.findall(r"<link\b[^>]*>", head)
              if 'rel="stylesheet"' in tag]
    scripts = re.findall(r'<script[^>]*src="([^"?]+)', head)
    named = [u.rsplit("/", 1)[-1] for u in styles + scripts]
    assert not [n for n in named if "thebe" in n]
    design = bool(re.search(r'class="[^"]*\bsd-', article))
    assert design == any(n.startswith(("sphinx-design", "design-tabs")) for n in named), rel
    toggles = bool(re.search(r'class="[^"]*\b(?:toggle|dropdown)\b', article))
    assert toggles == any(n.startswith("togglebutton") for n in named) and ("togglebuttonSelector" in head) == toggles
    code = '<div class="highlight' in article
    for name in ("copybutton.css", "copybutton.js", "clipboard.min.js", "pygments.css"):
        assert (name in named) == code, (rel, name)
    assert "basic.css" in named and "theme.css" not in named
    assert 'rel="preload"' not in head
    assert "sobook-theme.css" in named and "pydata-sphinx-theme.css" not in named


def test_the_theme_stylesheet_keeps_the_icons_the_pages_show(book_html):
    """The copy of the theme's stylesheet the pages link keeps every rule of
    the theme's but the icons that no page shows (a third of the file once
    compressed): each icon class a built page uses is still drawn, with the
    theme's own glyph."""
    static = HTML / "_static"
    theme = (static / assets.THEME_CSS).read_text(encoding="utf-8")
    pruned = (static / assets.PRUNED_THEME_CSS).read_text(encoding="utf-8")
    glyphs = {}
    for selectors, glyph in re.findall(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"([^"]*)"\}', theme):
        for name in re.findall(r"\.(fa-[a-z0-9-]+):", selectors):
            glyphs[name] = glyph
    used = {c for rel in book_pages() for cls in re.findall(r'class="([^"]*)"', (HTML / rel).read_text(encoding="utf-8"))
            for c in cls.split() if c in glyphs}
    assert {"fa-bars", "fa-magnifying-glass", "fa-file-pdf", "fa-language"} <= used
    for name in used:
        assert re.search(rf'\.{name}:before[^{{]*\{{content:"{re.escape(glyphs[name])}"\}}', pruned), name
    assert ".fa-hippo:before" in theme and ".fa-hippo:before" not in pruned  # no page shows a hippo
    # everything else is the theme's own, unchanged
    strip = re.compile(r'(?:\.fa-[a-z0-9-]+:(?:before|after),?)+\{content:"[^"]*"\}')
    assert strip.sub("", pruned) == strip.sub("", theme)
    assert len(pruned) < len(theme) - 60_000


def test_the_icons_still_show(browser, served_book):
    """The header's icons come from the theme's icon font, not from the
    Font Awesome script the page no longer loads."""
    context, page, requests = open_page(browser, served_book, rel="index.html")
    try:
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        assert page.evaluate("[...document.fonts].some(f => f.family.includes('Font Awesome 6 Free') "
                             "&& f.weight === '900' && f.status === 'loaded')")
        icon = page.locator(".theme-switch-button i:visible").first
        glyph = icon.evaluate("i => getComputedStyle(i, '::before').content")
        assert glyph not in ("", "none", "normal"), glyph
        assert icon.bounding_box()["width"] > 8
        assert not [u for u in requests if "fontawesome.js" in u]
        # ... from the book's 3 KB subset, not the theme's 156 KB font
        fonts = [u.rsplit("/", 1)[-1] for u in requests if u.endswith((".woff", ".woff2", ".ttf"))]
        assert fonts == ["sobook-icons.woff"], fonts
    finally:
        context.close()


@pytest.mark.parametrize("rel", ["search.html", CHAPTER])
def test_the_search_icon_sits_beside_the_field_not_over_it(browser, served_book, rel):
    context, page, _ = open_page(browser, served_book, rel=rel)
    try:
        if rel != "search.html":  # the search dialog, as Ctrl+K opens it
            page.keyboard.press("Control+k")
        form = page.locator("form.bd-search:visible").first
        icon = form.locator("i.fa-magnifying-glass").bounding_box()
        field = form.locator("input").bounding_box()
        assert icon["width"] > 8
        assert icon["x"] + icon["width"] <= field["x"] + 1, (icon, field)
    finally:
        context.close()


def test_search_still_works_offline(browser, served_book):
    context, page, _ = open_page(browser, served_book, rel="search.html?q=outsourcing")
    try:
        page.wait_for_selector("#search-results li", timeout=15000)
        assert page.locator("#search-results li").count() > 3
        assert not context.blocked
    finally:
        context.close()


def test_a_change_to_the_static_files_alone_rebuilds_the_pages(tmp_path, monkeypatch):
    """The trap in _on_env_get_outdated: Sphinx copies static files only when
    some page is out of date."""
    static = tmp_path / "static"
    static.mkdir()
    (static / "sobook-charts.js").write_text("// one\n")
    monkeypatch.setattr(sphinx_ext, "STATIC_DIR", static)
    env = types.SimpleNamespace(found_docs={"index", "chapters/trends"})
    everything = ["chapters/trends", "index"]
    assert sphinx_ext._on_env_get_outdated(None, env, set(), set(), set()) == everything  # a first build
    assert sphinx_ext._on_env_get_outdated(None, env, set(), set(), set()) == []
    (static / "sobook-charts.js").write_text("// two\n")
    assert sphinx_ext._on_env_get_outdated(None, env, set(), set(), set()) == everything
    assert sphinx_ext._on_env_get_outdated(None, env, set(), set(), set()) == []


def test_the_icon_subset_holds_every_icon_the_pages_can_show(book_html):
    from fontTools.ttLib import TTFont

    static = HTML / "_static"
    pages = [(HTML / rel).read_text(encoding="utf-8") for rel in book_pages()]
    wanted = assets._icon_codepoints(static, pages)
    # Known ones, read off Font Awesome 6's CSS: bars (the sidebar button),
    # magnifying-glass (search), circle-info (a note admonition), angle-down
    # (sphinx-book-theme's dropdowns).
    assert {0xF0C9, 0xF002, 0xF05A, 0xF107} <= wanted
    font = TTFont(str(static / assets.ICON_FONT))
    have = set(font.getBestCmap())
    solid = set(TTFont(str(static / assets.FA_SOLID_TTF)).getBestCmap())
    assert wanted & solid <= have  # (GitHub/GitLab marks live in the brands font, not this one)
    assert len(have) < 60 and (static / assets.ICON_FONT).stat().st_size < 10_000


def test_no_text_runs_off_a_static_picture(browser, served_book):
    """Drawn by this browser (its own fonts), every label of every static
    picture stays inside the picture (see sobook.charts.render.STATIC_FONT)."""
    # The wide pictures; the narrow ones (phones) are checked by the charts'
    # legibility test at each width.
    pictures = sorted(p for p in (HTML / "_static" / "charts").glob("*.svg") if not p.stem.endswith("-narrow"))
    assert len(pictures) >= 20
    context = offline_context(browser, served_book)
    page = context.new_page()
    try:
        for svg in pictures:
            page.goto(f"{served_book}/_static/charts/{svg.name}")
            outside = page.evaluate("""() => {
              const root = document.documentElement.getBoundingClientRect();
              return [...document.querySelectorAll('text')].filter(t => t.textContent.trim()).filter(t => {
                const r = t.getBoundingClientRect();
                return r.left < root.left - 1 || r.right > root.right + 1;
              }).map(t => t.textContent);
            }""")
            assert not outside, f"{svg.name}: {outside}"
    finally:
        context.close()


@pytest.mark.parametrize("rel", [f"chapters/{n}.html" for n in
                                 ("achievements", "trends", "opportunities", "outlook-fared")])
def test_on_a_phone_every_chart_leaves_room_for_its_marks(browser, served_book, rel):
    """At 390 px, the marks of each chart (bars, points, lines) span at least
    a third of the chart's width and none is cut off at its edge: long axis
    labels once squeezed Figure 1-3's bars to nothing."""
    context = offline_context(browser, served_book, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{served_book}/{rel}", wait_until="load")
        draw_all_charts(page)
        charts = page.evaluate("""() => [...document.querySelectorAll('.so-chart')].map(c => {
          const svg = c.querySelector('svg').getBoundingClientRect();
          const marks = [...c.querySelectorAll('.mark-rect path, .mark-symbol path, .mark-line path, .mark-area path, .mark-rule line')]
            .map(m => m.getBoundingClientRect()).filter(r => r.width > 0 || r.height > 0);
          const left = Math.min(...marks.map(r => r.left)), right = Math.max(...marks.map(r => r.right));
          return {id: c.id, span: (right - left) / svg.width, cut: right > svg.right + 1};
        })""")
        assert charts
        for c in charts:
            assert c["span"] >= 1 / 3 and not c["cut"], c
    finally:
        context.close()


@pytest.mark.parametrize("rel, chart", [("chapters/challenges.html", "fig-e15"), ("chapters/outlook.html", "fig-e17")])
def test_a_chart_stands_on_one_page_and_is_linked_elsewhere(book_html, rel, chart):
    """Each chart is drawn on one page only (a single-page build would
    otherwise repeat its ids); the other pages link to it."""
    text = (HTML / rel).read_text(encoding="utf-8")
    assert 'class="so-chart"' not in text
    assert f'href="outlook-fared.html#{chart}"' in text


def test_each_paragraph_whose_numbers_a_chart_draws_links_to_it(book_html):
    """The paragraphs a chart's Sources block names (its values' paragraphs
    of the report) each end with a link to the chart, on whatever page the
    chart stands; and every such link is one of these."""
    from bs4 import BeautifulSoup

    soups = {rel: BeautifulSoup((book_html / rel).read_text(encoding="utf-8"), "html.parser")
             for rel in book_pages(book_html) if rel.startswith("chapters/")}
    expected, found = set(), set()
    for rel, soup in soups.items():
        for figure in soup.select("figure[id^=fig-]"):
            if not figure.select_one(".so-panel"):
                continue
            for cell in figure.select(".so-sources-table td"):
                m = re.fullmatch(r"The report, paragraph (\S+)", cell.get_text(" ", strip=True))
                if m:
                    expected.add((m.group(1), rel, figure["id"]))
        for span in soup.select("p[id] > span.so-drawn"):
            for a in span.select("a"):
                page, _, anchor = a["href"].partition("#")
                target = str((book_html / rel).parent.joinpath(page).resolve().relative_to(book_html)) if page else rel
                found.add((span.parent["id"], target, anchor))
    assert len(expected) >= 25
    assert found == expected


def _pngs_of(html_root) -> list[tuple[str, str]]:
    """(the PNG's path, the path of the SVG it is made from) of every PNG link."""
    out = []
    for page in sorted(html_root.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'<a class="so-png" download="[^"]+" href="([^"?]+)\?v=[0-9a-f]{10}"', text):
            png = (page.parent / href).resolve()
            out.append((png, png.with_name(png.stem + "-full.svg")))
    return out


def test_every_png_link_has_its_picture_at_twice_the_size(book_html):
    """Each PNG link finds its PNG in the published book, the SVG's
    rendering at twice its size."""
    import struct

    pngs = _pngs_of(book_html)
    assert len(pngs) >= 25
    for png, svg in pngs:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", png.name
        width, height = struct.unpack(">II", data[16:24])
        view = re.search(rb'<svg[^>]* width="([0-9.]+)" height="([0-9.]+)"', svg.read_bytes())
        assert (width, height) == (round(2 * float(view.group(1))), round(2 * float(view.group(2)))), png.name
