"""Every page of the built book in a real browser with the network blocked:
every chart draws its marks, nothing reaches beyond 127.0.0.1, and the console
stays clean."""

import re

import pytest

from support import HTML, book_pages, draw_all_charts

PAGES = book_pages()

# Console messages the theme logs on its own, understood and allowed:
ALLOWED_CONSOLE = [
    # pydata-sphinx-theme announces the colour mode it settled on (type "log").
    re.compile(r"^\[PST\]: Changed to (auto|light|dark) mode"),
    # pydata-sphinx-theme scrolls the sidebar to the current page's link (type "log").
    re.compile(r"^\[PST\]: Scrolled sidebar using last active link"),
    # pydata-sphinx-theme focuses the search box on the search page (type "log").
    re.compile(r"^\[PST\]: Set focus on search field\.$"),
    # sphinx-togglebutton reports how many toggles it set up (type "log").
    re.compile(r"^\[togglebutton\]: Adding toggle buttons to \d+ items$"),
]


def visit(browser, url, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    blocked, problems = [], []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if not any(p.search(m.text) for p in ALLOWED_CONSOLE) else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}")
            if r.url not in blocked else None)
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="load")
    draw_all_charts(page)
    return context, page, blocked, problems


@pytest.mark.parametrize("rel", PAGES)
def test_page_draws_all_charts_offline_with_a_clean_console(browser, served_book, rel):
    context, page, blocked, problems = visit(browser, f"{served_book}/{rel}")
    try:
        charts = page.eval_on_selector_all(
            ".so-chart",
            "els => els.map(e => ({id: e.id, state: e.dataset.state, "
            "marks: e.querySelectorAll('svg .mark-rect path, svg .mark-line path, svg .mark-symbol path, "
            "svg .mark-arc path, svg .mark-area path, svg .mark-rule line, svg .mark-text text, svg path').length}))",
        )
        for c in charts:
            assert c["state"] == "drawn", f"{rel}: chart {c['id']} is {c['state']}"
            assert c["marks"] > 0, f"{rel}: chart {c['id']} drew no marks"
        assert "Error loading script" not in page.content()
        assert not blocked, f"{rel} tried to reach the network: {blocked}"
        assert not problems, f"{rel}: " + "; ".join(problems)
    finally:
        context.close()


def test_chapters_have_charts(browser, served_book):
    """The pages that carry charts draw them all (so the test above is not
    vacuous). Each chart is on one page: challenges and outlook link to theirs
    on 'How the outlook fared'."""
    from sobook.pipeline import CHAPTERS

    counts, expected = {}, {}
    for rel in [f"chapters/{name}.html" for name in CHAPTERS + ["outlook-fared"]]:
        expected[rel] = (HTML / rel).read_text(encoding="utf-8").count('class="so-chart"')
        context, page, _, _ = visit(browser, f"{served_book}/{rel}")
        counts[rel] = page.eval_on_selector_all(".so-chart[data-state=drawn] svg", "e => e.length")
        context.close()
    assert counts == expected, (counts, expected)
    assert sum(counts.values()) >= 29


FRAMES = "() => [...document.querySelectorAll('.so-chart-frame')].map(f => Math.round(f.getBoundingClientRect().height))"


@pytest.mark.parametrize("width", [390, 820, 1280])
def test_a_drawn_chart_takes_its_pictures_place_and_nothing_moves(browser, served_book, width):
    """Each chart's frame is as tall once Vega has drawn the chart as with its
    picture: nothing below it moves while the reader scrolls (vega-embed made
    the chart's box an inline-block, 8 px taller by its line's descent, and
    the browser's scroll anchoring moved the page under the reader)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{served_book}/chapters/achievements.html", wait_until="load")
        pictures = page.evaluate(FRAMES)
        draw_all_charts(page)
        assert page.eval_on_selector_all(".so-chart[data-state=drawn]", "e => e.length") == len(pictures) > 10
        assert page.evaluate(FRAMES) == pictures
    finally:
        context.close()


def test_charts_fit_a_phone_screen(browser, served_book):
    context, page, _, _ = visit(browser, f"{served_book}/chapters/achievements.html", width=390)
    try:
        overflow = page.evaluate(
            "() => [...document.querySelectorAll('.so-chart')]"
            ".filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".map(e => e.id)"
        )
        assert overflow == []
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()
