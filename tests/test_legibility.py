"""Every chart is legible at every width, as a reader sees it in Chromium
(offline): at 390 px (a phone, touch), 820 px (a tablet, touch) and 1280 px,
in the static picture the page shows at that width and in the interactive
chart drawn there. For every text box: no overlap with another, none
clipped by the chart's box, no ellipsis cutting a label, no text smaller
than 9 CSS px as displayed."""

from __future__ import annotations

import pytest

from support import HTML, draw_all_charts, offline_context

CHAPTERS = ["chapters/achievements.html", "chapters/trends.html", "chapters/opportunities.html",
            "chapters/outlook-fared.html"]
WIDTHS = {390: dict(is_mobile=True, has_touch=True, device_scale_factor=2),
          820: dict(is_mobile=True, has_touch=True, device_scale_factor=2),
          1280: {}}
MIN_PX = 9

# Measures the visible <text> of one SVG root: boxes in CSS px, the font
# size as displayed (the SVG's own size times the scale it is shown at).
MEASURE = """([root, scale]) => {
  const out = [];
  const box = root.getBoundingClientRect();
  for (const t of root.querySelectorAll('text')) {
    const s = getComputedStyle(t);
    if (s.display === 'none' || s.visibility === 'hidden' || +s.opacity === 0 || +s.fillOpacity === 0) continue;
    const txt = t.textContent.trim();
    if (!txt) continue;
    let hidden = false;
    for (let p = t.parentElement; p && p !== root; p = p.parentElement) {
      const ps = getComputedStyle(p);
      if (+ps.opacity === 0 || ps.display === 'none' || p.getAttribute('opacity') === '0') { hidden = true; break; }
    }
    if (hidden || t.getAttribute('opacity') === '0' || t.getAttribute('fill-opacity') === '0') continue;
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    out.push({text: txt, x: r.left, y: r.top, w: r.width, h: r.height,
              size: parseFloat(s.fontSize) * scale});
  }
  return {box: {x: box.left, y: box.top, w: box.width, h: box.height}, texts: out};
}"""


def problems(name: str, measured: dict) -> list[str]:
    box, texts = measured["box"], measured["texts"]
    out = []
    for t in texts:
        if "…" in t["text"]:
            out.append(f"{name}: {t['text']!r} cut with an ellipsis")
        if t["size"] < MIN_PX - 0.01:
            out.append(f"{name}: {t['text']!r} is {t['size']:.1f} px")
        if (t["x"] < box["x"] - 1 or t["y"] < box["y"] - 1 or t["x"] + t["w"] > box["x"] + box["w"] + 1
                or t["y"] + t["h"] > box["y"] + box["h"] + 1):
            out.append(f"{name}: {t['text']!r} clipped by the chart's box")
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            # glyph boxes include the line's leading: an overlap counts when
            # it is more than a sliver in both directions
            if dx > 1.5 and dy > min(a["h"], b["h"]) * 0.3:
                out.append(f"{name}: {a['text']!r} overlaps {b['text']!r}")
    return out


@pytest.fixture(scope="module")
def served(served_book):
    return served_book


def _pictures(context, page, base: str, rel: str) -> list[str]:
    """The static picture each chart shows at this width, opened on its own
    and measured at the scale the page displays it."""
    found = []
    shown = page.evaluate("""() => [...document.querySelectorAll('.so-chart img.so-static')].map(i => {
        const r = i.getBoundingClientRect();
        return {id: i.closest('.so-chart').id, src: i.currentSrc, w: r.width, natural: i.naturalWidth || +i.getAttribute('width')};
    })""")
    svgpage = context.new_page()
    try:
        for s in shown:
            svgpage.goto(s["src"])
            root = svgpage.locator("svg").first.element_handle()
            natural = float(svgpage.evaluate("s => s.getBoundingClientRect().width", root))
            scale = s["w"] / natural if natural else 1
            m = svgpage.evaluate(MEASURE, [root, scale])
            name = f"{rel} {s['id']} picture {s['src'].rsplit('/', 1)[-1].split('?')[0]}"
            found += problems(name, m)
    finally:
        svgpage.close()
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("rel", CHAPTERS)
def test_every_chart_is_legible(browser, served, rel, width):
    context = offline_context(browser, served, viewport={"width": width, "height": 900}, **WIDTHS[width])
    try:
        page = context.new_page()
        page.goto(f"{served}/{rel}", wait_until="load")
        page.evaluate("() => document.querySelectorAll('img.so-static').forEach(i => i.loading = 'eager')")
        page.wait_for_function("() => [...document.querySelectorAll('img.so-static')].every(i => i.complete)")
        found = _pictures(context, page, served, rel)
        draw_all_charts(page)
        ids = page.eval_on_selector_all(".so-chart", "els => els.map(e => e.id)")
        assert ids, rel
        for cid in ids:
            root = page.locator(f"[id='{cid}'] svg.marks").first
            root.scroll_into_view_if_needed()
            m = page.evaluate(MEASURE, [root.element_handle(), 1])
            # the chart's box is its container (what a reader can see of it)
            m["box"] = page.evaluate("id => { const r = document.getElementById(id).getBoundingClientRect();"
                                     " return {x: r.left, y: r.top, w: r.width, h: r.height}; }", cid)
            assert m["texts"], f"{cid}: no text found"
            found += problems(f"{rel} {cid} interactive", m)
        assert not found, f"at {width} px:\n" + "\n".join(found)
    finally:
        context.close()


def test_the_pages_are_there(book_html):
    for rel in CHAPTERS:
        assert (HTML / rel).exists(), rel


@pytest.mark.parametrize("width, wanted, unwanted", [(1280, "-narrow.svg", None), (390, None, "-narrow.svg")])
def test_phone_pictures_cost_a_desktop_nothing(browser, served, width, wanted, unwanted):
    """Each chart's <picture> offers a narrow drawing for a phone and the
    wide one elsewhere: a desktop fetches no phone picture, a phone no wide one."""
    context = offline_context(browser, served, viewport={"width": width, "height": 900}, **WIDTHS[width])
    requests = []
    context.on("request", lambda r: requests.append(r.url.split("?")[0]))
    try:
        page = context.new_page()
        page.goto(f"{served}/chapters/achievements.html", wait_until="load")
        page.evaluate("() => document.querySelectorAll('img.so-static').forEach(i => i.loading = 'eager')")
        page.wait_for_function("() => [...document.querySelectorAll('img.so-static')].every(i => i.complete)")
        svgs = [u for u in requests if u.endswith(".svg") and "/charts/" in u]
        assert svgs
        if width == 1280:
            assert not [u for u in svgs if u.endswith("-narrow.svg")], svgs
        else:
            assert all(u.endswith("-narrow.svg") for u in svgs), svgs
    finally:
        context.close()
