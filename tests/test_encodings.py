"""Honest encodings and panels: no second y axis, shares that end at 100,
missing years marked, colours from the key, forecasts drawn where the book
judges them; the panel's parts and downloads; reader tables."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse

import pytest

from sobook import charts
from sobook.charts import theme
from sobook.charts.marks import NOT_FOUND, NOT_PUBLISHED, is_year_label

ALL = charts.ids()


@pytest.fixture(scope="module")
def panels():
    return {i: charts.build(i) for i in ALL}


def units(spec):
    if "mark" in spec:
        yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key, []):
            yield from units(sub)


def walk(obj):
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk(v)


@pytest.mark.parametrize("fig", ALL)
def test_no_second_y_axis(panels, fig):
    spec = panels[fig].spec()
    for d in walk(spec):
        assert d.get("resolve", {}).get("scale", {}).get("y") != "independent", fig
        if isinstance(d.get("axis"), dict):
            assert d["axis"].get("orient") != "right", fig
    assert "vconcat" not in spec and "hconcat" not in spec


@pytest.mark.parametrize("fig", ["1-4", "1-11", "e12"])
def test_stacked_shares_end_at_100(panels, fig):
    spec = panels[fig].spec()
    domains = [d["scale"]["domain"] for u in units(spec) for ch, d in u.get("encoding", {}).items()
               if ch == "y" and isinstance(d, dict) and isinstance(d.get("scale"), dict) and "domain" in d["scale"]]
    assert domains and all(dm == [0, 100] for dm in domains), domains
    assert all(d["scale"].get("nice") is False for u in units(spec) for ch, d in u.get("encoding", {}).items()
               if ch == "y" and isinstance(d, dict) and "domain" in d.get("scale", {}))


def _year_domain(spec: dict) -> list | None:
    for u in units(spec):
        x = u.get("encoding", {}).get("x", {})
        if x.get("field") == "Year" and "domain" in x.get("scale", {}):
            domain = x["scale"]["domain"]
            return domain if all(is_year_label(y) for y in domain) else None
    return None


def test_missing_years_are_marked(panels):
    """Every year on a year axis has a mark: a bar (or point), "n.p." (not
    published) or "n.f." (not found) (the charts with a year axis; the
    others have no years to miss)."""
    with_years, unmarked = [], {}
    for fig in ALL:
        spec = panels[fig].spec()
        xdomain = _year_domain(spec)
        if not xdomain:
            continue
        with_years.append(fig)
        shown = set()
        for rows in spec.get("datasets", {}).values():
            for r in rows:
                if "Year" in r and ("Value" in r or r.get("Text") in (NOT_PUBLISHED, NOT_FOUND) or "Top" in r
                                    or "v" in r):
                    shown.add(r["Year"])
        if set(xdomain) - shown:
            unmarked[fig] = sorted(set(xdomain) - shown)
    assert len(with_years) >= 12, with_years
    assert not unmarked, unmarked


KEY = set(theme.COLOURS.values()) | set(theme.TEXT.values()) | {theme.INK, theme.MUTED, "#ffffff", "#111111",
                                                                  "#333333", "#8a949e", "#555555"}


@pytest.mark.parametrize("fig", ALL)
def test_colours_come_from_the_key(panels, fig):
    spec = panels[fig].spec()
    used = set()
    for u in units(spec):
        mark = u["mark"] if isinstance(u["mark"], dict) else {}
        for k in ("color", "fill", "stroke"):
            if isinstance(mark.get(k), str):
                used.add(mark[k])
        for ch, enc in u.get("encoding", {}).items():
            if ch in ("color", "fill", "stroke") and isinstance(enc, dict):
                used |= set(enc.get("scale", {}).get("range", []) or [])
                if "value" in enc and isinstance(enc["value"], str):
                    used.add(enc["value"])
    used = {c.upper() if c.startswith("#") else c for c in used}
    assert used <= {c.upper() for c in KEY}, (fig, used - {c.upper() for c in KEY})


CONCEPT_OF = {"Offshore": "offshore", "Onshore": "onshore", "ITO": "ITO", "BPO": "BPO", "KPO": "KPO",
              "As-a-service (cloud)": "cloud", "The report's forecast": "forecast",
              "Published after the report": "later", "Up to 2020": "neutral"}


@pytest.mark.parametrize("fig", ALL)
def test_a_concept_has_one_colour_across_the_book(panels, fig):
    for u in units(panels[fig].spec()):
        enc = u.get("encoding", {}).get("color", {})
        sc = enc.get("scale", {}) if isinstance(enc, dict) else {}
        for name, colour in zip(sc.get("domain", []), sc.get("range", [])):
            if name in CONCEPT_OF:
                assert colour == theme.COLOURS[CONCEPT_OF[name]], (fig, name, colour)


def test_the_key_is_contrast_checked():
    for concept, colour in theme.TEXT.items():
        assert theme.contrast(colour) >= 4.5, (concept, colour)
    assert theme.contrast(theme.INK) >= 4.5 and theme.contrast(theme.MUTED) >= 4.5
    for fill in theme.DARK_FILLS:
        assert theme.contrast("#ffffff", fill) >= 4.5, fill


@pytest.mark.parametrize("fig", ["e11", "e14", "e17", "1-10"])
def test_forecasts_are_drawn_where_the_book_judges_them(panels, fig):
    """A dashed path (or a hollow dashed forecast bar) in black, the forecast colour."""
    spec = panels[fig].spec()
    dashed = [u for u in units(spec) if isinstance(u["mark"], dict) and u["mark"].get("type") == "line"
              and u["mark"].get("strokeDash") and u["mark"].get("color") == theme.COLOURS["forecast"]]
    assert dashed, fig


def test_edition_charts_numbered_in_reading_order():
    from sobook.charts import book

    order = ["achievements", "trends", "opportunities", "challenges", "outlook", "outlook-fared"]
    seen = []
    for name in order:
        text = (book.CHAPTERS_DIR / f"{name}.ipynb").read_text(encoding="utf-8")
        seen += re.findall(r'chapter\.figure\(\\"(e\d+)\\"\)', text)
    assert seen == [f"e{n}" for n in range(1, len(charts.edition_charts()) + 1)], seen
    assert len(seen) == len(set(seen)), "a chart on more than one page"


# ------------------------------------------------------------------- panels


def test_panel_parts_in_order(panels):
    h = panels["e3"].html()
    parts = ["so-title", "so-subtitle", "so-chart-frame", "so-source", "so-table", "so-download", "so-sources",
             "so-cite"]
    pos = [h.index(f'class="{p}') for p in parts]
    assert pos == sorted(pos)
    assert "Chart E3" in h and 'href="#fig-e3"' in h
    r = panels["1-1"].html()
    assert 'class="so-title"' not in r, "a report figure's title is its caption (the book's)"
    assert panels["1-1"].heading.startswith("Scale and growth")


def test_downloads(panels):
    p = panels["1-1"]
    h = p.html()
    svg = re.search(r'download="chart-1-1.svg" href="data:image/svg\+xml;base64,([^"]+)" data-file="chart-1-1-full.svg"', h)
    import base64

    text = base64.b64decode(svg.group(1)).decode()
    for want in ("Figure 1-1", "Scale and growth", "US$ billion", "Source: Ministry of Commerce", "Note: "):
        assert want.replace("'", "&#x27;") in text or want in text, want
    assert '<a class="so-png" download="chart-1-1.png" data-from="chart-1-1-full.svg"' in h
    meta = re.search(r'href="data:application/json;charset=utf-8,([^"]+)" data-file="chart-1-1-metadata.json"', h)
    m = json.loads(urllib.parse.unquote(meta.group(1)))
    assert {"title", "unit", "source", "licence", "citation"} <= set(m)
    body = urllib.parse.unquote(re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', h).group(1))
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and {"Year", "Series", "Value", "Unit", "Status", "Source"} <= set(rows[0])


@pytest.mark.parametrize("fig", ALL)
def test_reader_tables_are_wide_in_order_without_ids_or_formulas(panels, fig):
    p = panels[fig]
    t = p.table_html()
    assert "Data row" not in t and not re.search(r"\b[a-z]+_[a-z0-9_]+\b", re.sub(r"<[^>]+>", " ", t)), fig
    rows, heads, _ = p.wide()
    xs = [r[0] for r in rows]
    assert len(xs) == len(set(xs)), "one row per year or category"
    if all(is_year_label(x) for x in xs):
        assert xs == sorted(xs)
    assert all("(" in h for h in heads[1:1 + len(set(p.data["Series"]))]) or fig, heads


def test_sources_are_links_naming_the_publisher(panels):
    s = panels["1-1"].sources_html()
    assert re.search(r"<a href=\"http[^\"]+\">Xinhua[^<]*</a>", s)
    assert re.search(r'<a href="achievements\.html#s1\.1-p1">', s)
