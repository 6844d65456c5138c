"""What a reader of the charts and their panels relies on (issue 23): the
tables and CSV carry the report's own totals; a gap says whether it is not
published or not found, and a cell that does not apply is empty; a legend's
swatch is drawn as its marks are; a log axis's labels do not run together;
Figure 1-6's five-year total is not a mark on its axis of yearly numbers;
a key figure links to the chart that draws its number; a downloaded picture
names its licence and where it stands. (How the labels sit in the drawn
charts is measured in Chromium: tests/test_legibility.py.)"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import urllib.parse

import pytest

from sobook import charts, citation, data, front
from sobook.charts import marks
from sobook.charts.panel import licence
from sobook.charts.theme import COLOURS
from sobook.text import number

ALL = charts.ids()
DATA = data.DEFAULT_DATA_DIR
ROOT = DATA.parent


@pytest.fixture(scope="module")
def panels():
    return {i: charts.build(i) for i in ALL}


def _csv(p) -> list[dict]:
    body = urllib.parse.unquote(re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', p.html()).group(1))
    return list(csv.DictReader(io.StringIO(body)))


def _yi(quote: str) -> list[float]:
    """The amounts in US$ 亿 (100 million) a Chinese quote gives, in US$ billion."""
    return [float(m) / 10 for m in re.findall(r"([\d.]+)亿美元", quote.replace(" ", ""))]


# --------------------------------------------------------------------------
# the report's totals in Figure 1-1's table and CSV (M11)


def test_figure_1_1_offers_the_published_totals_beside_their_parts(panels):
    p = panels["1-1"]
    ev = data.load("china_outsourcing_executed_value")
    totals = ev[(ev["measure"] == "executed_value") & (ev["market"] == "total") & (ev["basis"] == "US$")
                & (ev["provenance"] != "derived") & ev["period"].isin(["2016", "2019", "2020"])]
    assert set(totals["period"]) == {"2016", "2019", "2020"}
    rows = _csv(p)
    table_rows, heads, _ = p.wide()
    column = heads.index("Total (US$ billion)")
    for period in ("2016", "2019", "2020"):
        published = totals[totals["period"] == period]
        # the report's own figure where it gives one (2020), else the release's
        row = published.sort_values("provenance", key=lambda s: s.map({"report": 0, "release": 1})).iloc[0]
        # as the quote says it (1753.5亿美元 is US$175.35 billion)
        assert float(row["value"]) in [round(v, 4) for v in _yi(row["source_quote"])], row["row_id"]
        got = [r for r in rows if r["Year"] == period and r["Series"] == "Total"]
        assert [(float(r["Value"]), r["Status"], r["Data row"]) for r in got] == [(float(row["value"]), "Reported",
                                                                                   row["row_id"])]
        cell = next(r for r in table_rows if r[0] == period)[column]
        assert cell == (number(row["value"]), ""), period
    # the two years whose totals are not published: a gap in the table, and their sum, computed
    for period in ("2017", "2018"):
        assert next(r for r in table_rows if r[0] == period)[column] is None
    assert next(r for r in table_rows if r[0] == "2017+2018")[column][1] == "c"


def test_the_total_above_a_bar_is_the_published_one_at_the_charts_precision(panels):
    spec = json.dumps(panels["1-1"].spec())
    ev = data.load("china_outsourcing_executed_value")
    v = float(ev[ev["row_id"] == "ev_total_2020"]["value"].iloc[0])
    assert f'"Line": "{marks.label_num(v, 1)}"' in spec
    # rounded half up from the number as written, not from its binary value
    assert marks.label_num(175.35, 1) == "175.4" and marks.label_num(-0.05, 1) == "−0.1"


# --------------------------------------------------------------------------
# gaps: not published, not found, or nothing to say


def test_averages_of_five_years_have_a_row_of_their_own(panels):
    rows, heads, _ = panels["1-2"].wide()
    by_year = {r[0]: r[1:] for r in rows}
    averages = [i for i, h in enumerate(heads[1:]) if "average" in h]
    assert averages and "2016–2020" in by_year
    assert all(by_year["2016–2020"][i] not in (None, "") for i in averages)
    for year in ("2016", "2017", "2018", "2019", "2020"):
        assert all(by_year[year][i] == "" for i in averages), year
    assert "n.p." not in panels["1-2"].table_html()


@pytest.mark.parametrize("fig", ALL)
def test_n_p_means_not_published_only(panels, fig):
    p = panels[fig]
    note = p.caption_note or ""
    for sentence in re.split(r"(?<=[.;])\s+", note):
        if "(n.p.)" in sentence or "n.p.:" in sentence:
            assert "not published" in sentence and "not found" not in sentence, (fig, sentence)
        if "not found" in sentence or "was not found" in sentence:
            assert "n.p." not in sentence, (fig, sentence)
    # the marks drawn and the table's gaps say the same
    spec = json.dumps(p.spec(), ensure_ascii=False)
    for mark, words in marks.GAPS.items():
        if f'"Text": "{mark}"' in spec or f'class="so-np">{mark}<' in p.table_html():
            assert f"{mark}</b> {words[0]}" in p.table_html() or mark in note, (fig, mark)


def test_what_was_not_found_after_the_report_is_marked_so(panels):
    p = panels["e16"]
    ev = data.load("china_outsourcing_executed_value_outcomes")
    have = set(ev[(ev["measure"] == "yoy_growth") & (ev["market"] == "offshore") & (ev["basis"] == "RMB")]["period"])
    missing = [y for y in ("2021", "2022", "2023", "2024") if y not in have]
    assert missing
    table = p.table_html()
    for y in missing:
        assert re.search(rf"<th>{y}</th><td class=\"so-np\">n\.f\.</td>", table), y
    assert "<b>n.f.</b> not found" in table and "n.p." not in table
    assert marks.gap_mark("2024", later=True) == "n.f." and marks.gap_mark("2019", later=True) == "n.p."
    assert marks.gap_mark("2024") == "n.p."  # a report's figure: what the report does not publish


# --------------------------------------------------------------------------
# legends


def _units(spec):
    if "mark" in spec:
        yield spec
    for sub in spec.get("layer", []):
        yield from _units(sub)


def _choices(expr: str) -> dict:
    """{entry: value} of a legend expression that picks a value per entry (marks._choose)."""
    pairs = dict(re.findall(r'datum\.value === ("(?:[^"\\]|\\.)*") \? ((?:"[^"]*")|(?:\[[^\]]*\]))', expr))
    last = re.findall(r' : ((?:"[^"]*")|(?:\[[^\]]*\]))$', expr)
    out = {json.loads(k): json.loads(v) for k, v in pairs.items()}
    return out, json.loads(last[0]) if last else None


@pytest.mark.parametrize("fig", ALL)
def test_legend_swatches_are_drawn_as_the_marks_are(panels, fig):
    """Each entry of a series legend: its fill is the colour its bars are
    filled with at their fill opacity (on white), its outline their colour,
    its dash their status's; each pairs a series and a status drawn."""
    p = panels[fig]
    spec = p.spec()
    entries = [u for u in _units(spec) if "shape" in u.get("encoding", {})]
    # the charts whose series have no names of their own on the marks
    assert bool(entries) == (fig in {"1-1", "1-2", "1-12", "e11", "e13", "e14", "e15", "e16", "e17"}), fig
    if not entries:
        return
    (legend_unit,) = entries
    rows = spec["datasets"][legend_unit["data"]["name"]]
    fills, default_fill = _choices(legend_unit["mark"]["fill"]["expr"])
    strokes, default_stroke = _choices(legend_unit["mark"]["stroke"]["expr"])
    # the bars as drawn: colour by series, fill opacity by status (the scales of the chart's bar layers)
    colour, opacity = {}, {}
    for u in _units(spec):
        enc = u.get("encoding", {})
        if (u["mark"] if isinstance(u["mark"], str) else u["mark"]["type"]) in ("bar", "rule") and "color" in enc:
            colour.update(zip(enc["color"]["scale"]["domain"], enc["color"]["scale"]["range"]))
            if "fillOpacity" in enc:
                opacity.update(zip(enc["fillOpacity"]["scale"]["domain"], enc["fillOpacity"]["scale"]["range"]))
    drawn = {(r["Series"], r["Status"]) for r in p.data.to_dict("records")}
    for r in rows:
        key, words = r["Key"], r["Series"]
        series = max((s for s in colour if words == s or words.startswith((s + " (", s + ":"))), key=len)
        status = next((st for st, w in marks._STATUS_WORD.items() if words == f"{series} ({w})"), None)
        if status is None:  # a series drawn in one status, or its reported values
            statuses = {st for s, st in drawn if s == series}
            status = "Reported" if "Reported" in statuses or not statuses else statuses.pop()
        assert (series, status) in drawn or not any(s == series for s, _ in drawn), (fig, words)
        assert strokes.get(key, default_stroke).upper() == colour[series].upper(), (fig, words)
        fill = fills.get(key, default_fill)
        if fill != "transparent":
            assert fill == marks._on_white(colour[series], opacity.get(status, 1)), (fig, words, fill)


def test_figure_1_1s_legend_tells_computed_offshore_from_onshore(panels):
    spec = panels["1-1"].spec()
    (unit,) = [u for u in _units(spec) if "shape" in u.get("encoding", {})]
    words = [r["Series"] for r in spec["datasets"][unit["data"]["name"]]]
    assert words == ["Offshore", "Offshore (computed)", "Onshore"]
    fills, last = _choices(unit["mark"]["fill"]["expr"])
    shown = [fills.get("k0"), fills.get("k1"), last]
    assert len(set(shown)) == 3
    assert shown[0] == marks._on_white(COLOURS["offshore"], marks._FILL["Reported"])
    assert shown[2] == marks._on_white(COLOURS["onshore"], marks._FILL["Computed by the edition"])


# --------------------------------------------------------------------------
# axes and annotations


def test_a_log_axis_is_labelled_at_1_2_and_5_only(panels):
    spec = panels["e6"].spec()
    axes = [u["encoding"]["x"] for u in _units(spec) if u.get("encoding", {}).get("x", {}).get("scale", {}).get("type") == "log"]
    assert axes
    for x in axes:
        values = x["axis"]["values"]
        lo, hi = x["scale"]["domain"]
        assert values and all(lo <= v <= hi for v in values)
        assert all(float(f"{v:e}".split("e")[0]) in (1, 2, 5) for v in values), values
        # neighbours at least twice apart: their labels never run together
        assert all(b / a >= 2 for a, b in zip(values, values[1:])), values
    drawn = panels["e6"].data["Value"]
    lo, hi = axes[0]["scale"]["domain"]
    assert lo < drawn.min() and drawn.max() < hi


def test_figure_1_6s_five_year_total_is_not_a_mark_on_its_axis(panels):
    p = panels["1-6"]
    spec = p.spec()
    em = data.load("china_outsourcing_employment")
    total = em[(em["measure"] == "new_employees") & (em["group"] == "all") & (em["period"] == "2016-2020")]
    value = float(total["value"].iloc[0])
    assert "1-6" in ALL and len(total) == 1
    # the total is said above the plot (the chart's title), in words from the data
    title = json.dumps(spec.get("title"), ensure_ascii=False)
    assert number(value) in title
    # and nothing in the plot stands for it: no rule (a bracket), no text placed on the value axis
    for u in _units(spec):
        mark = u["mark"] if isinstance(u["mark"], str) else u["mark"]["type"]
        assert mark != "rule"
        if mark == "text":
            rows = spec["datasets"].get(u.get("data", {}).get("name"), [])
            assert not any(number(value) in str(r) for r in rows)


# --------------------------------------------------------------------------
# the front page's key figures


def test_a_key_figure_links_to_a_chart_that_draws_its_number(book_html):
    """The first chart in the book whose data has the figure's row, else the report's paragraph."""
    figs = front.key_figures(DATA)
    page = (book_html / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<span class="so-keyfig-detail">[^<]*<a href="([^"]*)">([^<]*)</a>', page)
    assert len(links) == len(figs)
    rows = {r["row_id"]: r for f in data.load_all(DATA).values() if "row_id" in f for r in f.to_dict("records")}
    toc = re.findall(r"^\s*-? ?file: (\S+)", (ROOT / "_toc.yml").read_text(encoding="utf-8"), re.M)
    order = [fig for doc in toc if (book_html / f"{doc}.html").exists()
             for fig in re.findall(r'class="so-panel" id="chart-([a-z0-9-]+)-panel"',
                                   (book_html / f"{doc}.html").read_text(encoding="utf-8"))]  # the book's order
    linked = 0
    for k, (href, text) in zip(figs, links):
        m = re.fullmatch(r"chapters/[a-z-]+\.html#fig-(\S+)", href)
        drawing = [fig for fig in order if k.row in set(charts.build(fig).data["Data row"])]
        if not m:
            # no chart draws it: the link is the report's paragraph that gives it
            assert not drawing and href.endswith("#" + rows[k.row]["source_block_id"]), (k, href)
            continue
        linked += 1
        p = charts.build(m.group(1))
        assert text == p.label and m.group(1) == drawing[0], (k.value, text, drawing)
        drawn = p.data[p.data["Data row"] == k.row]
        assert float(drawn["Value"].iloc[0]) == float(rows[k.row]["value"]), (k.value, text)
    assert linked >= 4
    assert dict(zip([k.label for k in figs], links))["employed in service outsourcing at the end of 2020"][1] == "Chart E17"
    assert "#fig-" not in dict(zip([k.label for k in figs], links))["executed in 2016–2020"][0]


# --------------------------------------------------------------------------
# the downloaded picture


def _full_svg(p) -> str:
    h = p.html()
    b64 = re.search(r'download="[^"]+\.svg" href="data:image/svg\+xml;base64,([^"]+)"', h).group(1)
    return base64.b64decode(b64).decode()


def _svg_text(svg: str) -> str:
    import html

    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_the_downloaded_picture_names_its_licence_and_where_it_stands(panels, monkeypatch):
    cite = citation.load()
    cff = (citation.CFF).read_text(encoding="utf-8")
    assert "CC-BY-4.0" in cff
    text = _svg_text(_full_svg(panels["1-1"]))
    assert "Licence: CC BY 4.0" in text
    assert "chapters/achievements.html#fig-1-1" in text.replace(" ", "")
    assert f"version {cite.version}" in text and cite.title.split()[0] in text
    assert "see the data package" not in text
    # with a repository named in _config.yml, its address too
    monkeypatch.setattr(citation, "repository_url", lambda *a: "https://example.org/editors/edition")
    p = charts.build("e17")
    text = _svg_text(_full_svg(p)).replace(" ", "")
    assert "chapters/outlook-fared.html#fig-e17" in text and "https://example.org/editors/edition" in text


def test_the_downloaded_picture_keeps_the_chart_clear_of_its_edges(panels):
    svg = _full_svg(panels["1-1"])
    width = float(re.match(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    inner = re.search(r'<svg x="([\d.]+)" y="[\d.]+"[^>]* width="([\d.]+)"', svg)
    x, w = float(inner.group(1)), float(inner.group(2))
    assert x >= 8 and width - (x + w) >= 8
    assert licence(citation.load()) == "CC BY 4.0"
