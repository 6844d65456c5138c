"""Every chart is legible at every width, as a reader sees it in Chromium
(offline): at 390 px (a phone, touch), 820 px (a tablet, touch) and 1280 px,
in the static picture the page shows at that width and in the interactive
chart drawn there. Text is at least 11 CSS px as displayed on a phone and
12 px wider (OWID's charts use 12–14 px), none clipped by the chart's box,
no ellipsis cutting a label; and every label is clear of the others and of
the marks (bars, lines, paths, points, the axis line): no text box overlaps
another, no outline or line runs through a label."""

from __future__ import annotations

import pytest

from support import HTML, draw_all_charts, offline_context

CHAPTERS = ["chapters/achievements.html", "chapters/trends.html", "chapters/opportunities.html",
            "chapters/outlook-fared.html"]
WIDTHS = {390: dict(is_mobile=True, has_touch=True, device_scale_factor=2),
          820: dict(is_mobile=True, has_touch=True, device_scale_factor=2),
          1280: {}}
# the smallest text as displayed, by the reader's screen width
MIN_PX = {390: 11, 820: 12, 1280: 12}

# Measures one SVG root: its visible <text> (boxes in CSS px, the font size as
# displayed: the SVG's own size times the scale it is shown at) and points
# along the outline of every visible mark (bars, lines, rules, points, areas,
# legend symbols, the axis line; not grid lines or ticks), with half the
# stroke's width as displayed.
MEASURE = """([root, scale]) => {
  const out = [], marks = [];
  const box = root.getBoundingClientRect();
  const hiddenUp = (el) => {
    for (let p = el; p && p !== root; p = p.parentElement) {
      const ps = getComputedStyle(p);
      if (+ps.opacity === 0 || ps.display === 'none' || ps.visibility === 'hidden' || p.getAttribute('opacity') === '0') return true;
    }
    return false;
  };
  for (const t of root.querySelectorAll('text')) {
    const s = getComputedStyle(t);
    if (+s.fillOpacity === 0) continue;
    const txt = t.textContent.trim();
    if (!txt || hiddenUp(t) || t.getAttribute('fill-opacity') === '0') continue;
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    out.push({text: txt, x: r.left, y: r.top, w: r.width, h: r.height,
              size: parseFloat(s.fontSize) * scale});
  }
  const shapes = root.querySelectorAll(
    '.mark-rect path, .mark-line path, .mark-rule line, .mark-rule path, .mark-symbol path, .mark-area path,' +
    '.role-axis-domain line, .role-axis-domain path');
  for (const el of shapes) {
    if (el.closest('.role-axis-grid, .role-axis-tick') || hiddenUp(el)) continue;
    const s = getComputedStyle(el);
    const fill = s.fill !== 'none' && +s.fillOpacity > 0;
    const stroke = s.stroke !== 'none' && +s.strokeOpacity > 0 && parseFloat(s.strokeWidth) > 0;
    if (!fill && !stroke) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 0.5 && r.height < 0.5) continue;
    const ctm = el.getScreenCTM();
    const len = el.getTotalLength();
    if (!ctm || !(len > 0)) continue;
    const k = Math.hypot(ctm.a, ctm.b);
    const pts = [];
    const n = Math.min(2000, Math.ceil(len * k / 1.5));
    for (let i = 0; i <= n; i++) {
      const p = el.getPointAtLength(len * i / n);
      pts.push([ctm.a * p.x + ctm.c * p.y + ctm.e, ctm.b * p.x + ctm.d * p.y + ctm.f]);
    }
    const g = el.closest('.mark-rect, .mark-line, .mark-rule, .mark-symbol, .mark-area, .role-axis-domain');
    marks.push({kind: g ? g.getAttribute('class') : '', half: stroke ? parseFloat(s.strokeWidth) * k / 2 : 0, pts});
  }
  return {box: {x: box.left, y: box.top, w: box.width, h: box.height}, texts: out, marks};
}"""


def _ink(t: dict) -> tuple[float, float, float, float]:
    """Where a text's glyphs are: its box less the font's leading above and
    below (an SVG text's box runs from the font's ascent to its descent)."""
    return t["x"] + 1, t["y"] + 0.15 * t["h"], t["x"] + t["w"] - 1, t["y"] + 0.85 * t["h"]


def legibility_problems(name: str, measured: dict, min_px: float) -> list[str]:
    box, texts = measured["box"], measured["texts"]
    out = []
    for t in texts:
        if "…" in t["text"]:
            out.append(f"{name}: {t['text']!r} cut with an ellipsis")
        if t["size"] < min_px - 0.01:
            out.append(f"{name}: {t['text']!r} is {t['size']:.1f} px")
        if (t["x"] < box["x"] - 1 or t["y"] < box["y"] - 1 or t["x"] + t["w"] > box["x"] + box["w"] + 1
                or t["y"] + t["h"] > box["y"] + box["h"] + 1):
            out.append(f"{name}: {t['text']!r} clipped by the chart's box")
    return out


def clearance_problems(name: str, measured: dict) -> list[str]:
    texts, marks = measured["texts"], measured.get("marks", [])
    out = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            # glyph boxes include the line's leading: texts on one line
            # (sharing more than a sliver of height) need a gap between them
            # ("0.2" "0.3" "0.4" touching read as "0.20.30.4")
            if dx > -2 and dy > min(a["h"], b["h"]) * 0.3:
                out.append(f"{name}: {a['text']!r} overlaps {b['text']!r}")
    for t in texts:
        x0, y0, x1, y1 = _ink(t)
        for m in marks:
            h = m["half"]
            if any(x0 - h < px < x1 + h and y0 - h < py < y1 + h for px, py in m["pts"]):
                out.append(f"{name}: {t['text']!r} crossed by a {m['kind'] or 'mark'}")
                break
    return out


@pytest.fixture(scope="module")
def served(served_book):
    return served_book


def _pictures(context, page, base: str, rel: str) -> list[tuple[str, dict]]:
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
            found.append((name, m))
    finally:
        svgpage.close()
    return found


_MEASURED: dict = {}


def measured(browser, served, rel: str, width: int) -> list[tuple[str, dict]]:
    """Every chart of a page at a width, as (name, measurements): each
    static picture the page shows there, and each interactive chart drawn
    there. Measured once for the tests of this module."""
    if (rel, width) in _MEASURED:
        return _MEASURED[rel, width]
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
            found.append((f"{rel} {cid} interactive", m))
    finally:
        context.close()
    _MEASURED[rel, width] = found
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("rel", CHAPTERS)
def test_every_chart_is_legible(browser, served, rel, width):
    found = [p for name, m in measured(browser, served, rel, width) for p in legibility_problems(name, m, MIN_PX[width])]
    assert not found, f"at {width} px:\n" + "\n".join(found)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("rel", CHAPTERS)
def test_labels_are_clear_of_each_other_and_of_the_marks(browser, served, rel, width):
    """No label's box overlaps another's (nor touches it on its line), and no
    bar's outline, line, path, point or axis line runs through a label."""
    found = [p for name, m in measured(browser, served, rel, width) for p in clearance_problems(name, m)]
    assert not found, f"at {width} px:\n" + "\n".join(found)


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
