"""Shared marks and helpers of the chart builders: picking rows, the data a
chart draws (`_tidy`), bars, rows and labels drawn by value status, the
status legend, the "not published" marks, and the width-aware layout.

Rules every builder keeps:

* it draws only rows of the data package (validated by ``sobook.data``); a
  year the sources do not give keeps its place on the axis and is marked
  "n.p." (not published) or, after the report, "n.f." (not found), so an
  empty slot never reads as zero;
* one y scale per chart: a second quantity is written on the marks (direct
  labels), never drawn against a second axis;
* reported, estimated, forecast and computed values look different (fill
  and outline, explained in a "Value status" legend); a forecast or target
  the book judges is drawn (a dashed path, a hollow dashed bar);
* colours come from the key in ``theme.COLOURS``, one per concept;
* one precision for the labels of a chart (``_relabel``);
* every mark has a tooltip with the value, its unit, status and source (in
  words: the formula stays in the data package);
* the layout follows the width the chart is drawn at (the ``sow``
  parameter): text of 11 px rather than 12, years as '16, long
  names wrapped above their bars, labels that do not fit their band left
  out at that width (the table has every value);
* the numbers in titles, alt texts and notes are read from the data, and
  every comparison word is chosen by ``sobook.statements``.
"""

from __future__ import annotations

import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import altair as alt
import pandas as pd

from sobook import data as sodata
from sobook.charts.theme import COLOURS, INK, MUTED, NARROW_AT, TEXT_PX
from sobook.text import number, quantity


def pick_rows(df: pd.DataFrame, **where) -> pd.DataFrame:
    """Rows where each column equals the value (or is in the list) given."""
    mask = pd.Series(True, index=df.index)
    for col, want in where.items():
        mask &= df[col].isin(want) if isinstance(want, (list, tuple, set)) else df[col].eq(want)
    return df[mask]


def one_row(df: pd.DataFrame, **where) -> pd.Series:
    rows = pick_rows(df, **where)
    if len(rows) != 1:
        raise sodata.DataError(
            f"{df.attrs.get('path', 'data')}: a chart needs exactly one row with "
            f"{where}, found {len(rows)}"
        )
    return rows.iloc[0]


def row_value(df: pd.DataFrame, **where) -> float:
    return float(one_row(df, **where)["value"])


# --------------------------------------------------------------------------
# formatting


def short(value: float, unit: str, qualifier: str = "") -> str:
    """A compact label for a mark (the axis names the unit)."""
    q = {"about": "~", "more than": ">", "nearly": "~"}.get(qualifier, "")
    v = float(value)
    text = ("−" if v < 0 else "") + number(abs(v))
    if unit in ("% change", "% per year") and v > 0:
        text = "+" + text
    if unit.startswith("%"):
        text += "%"
    return q + text


def label_num(v: float, decimals: int) -> str:
    """A mark's label at the chart's one precision, rounded half up from the
    number as written (175.35 is 175.4, which the float's binary value,
    175.3499…, would round down)."""
    v = float(v)
    text = f"{Decimal(repr(abs(v))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP):,}"
    return ("−" if v < 0 and float(text.replace(",", "")) != 0 else "") + text


def pct_label(v: float, decimals: int, signed: bool = False) -> str:
    v = float(v)
    text = label_num(v, decimals)
    if signed and v > 0:
        text = "+" + text
    return text + "%"


# --------------------------------------------------------------------------
# value status: reported, estimate, forecast, derived


STATUS_LABEL = {
    "reported": "Reported",
    "estimate": "Estimate",
    "forecast": "Forecast",
    "derived": "Computed by the edition",
}
STATUS_ORDER = list(STATUS_LABEL.values())
# reported: solid fill; estimate: lighter fill; forecast: hollow, dashed
# outline; derived: a pale fill that keeps the concept's hue, dotted outline.
_FILL = {"Reported": 0.95, "Estimate": 0.5, "Forecast": 0.08, "Computed by the edition": 0.3}
_DASH = {"Reported": [1, 0], "Estimate": [1, 0], "Forecast": [5, 3], "Computed by the edition": [2, 2]}
_LEGEND_OPACITY = {"Reported": 1.0, "Estimate": 0.6, "Forecast": 0.6, "Computed by the edition": 0.6}


def _source_text(row) -> str:
    """Where a value comes from, in words (the formula stays in the data
    package): the report's paragraph, a release's publisher and address, or
    the edition's derivation written out."""
    if row["provenance"] == "report":
        return f"The report, paragraph {row['source_block_id']}"
    if row["provenance"] == "release":
        return f"{row['source_note']} ({row['source_url']})"
    return f"Computed by the edition: {row['source_note']}"


def tidy(rows: pd.DataFrame, x: str, series, x_name: str = "Year") -> pd.DataFrame:
    """The data a chart draws: one row per mark.

    `x` is a column of `rows` (or a function of a row) giving the category;
    `series` a column name, a function of a row, or a constant.
    """
    out = []
    for _, r in rows.iterrows():
        s = series(r) if callable(series) else (r[series] if series in r.index else series)
        xv = x(r) if callable(x) else r[x]
        out.append(
            {
                x_name: str(xv),
                "Series": s,
                "Value": float(r["value"]),
                "Unit": r["unit"],
                "Value (text)": quantity(r["value"], r["unit"], r["qualifier"]),
                "Label": short(r["value"], r["unit"], r["qualifier"]),
                "Label colour": "dark",
                "Status": STATUS_LABEL[r["value_status"]],
                "Source": _source_text(r),
                "Data row": r["row_id"],
                # a release's publisher and address apart, for the panel's links
                "_note": r["source_note"] if r["provenance"] == "release" else "",
                "_url": r["source_url"] if r["provenance"] == "release" else "",
            }
        )
    cols = [x_name, "Series", "Value", "Unit", "Value (text)", "Label", "Label colour", "Status", "Source", "Data row",
            "_note", "_url"]
    return pd.DataFrame(out, columns=cols)


def relabel(df: pd.DataFrame, decimals: int, percent: bool = False, signed: bool = False) -> pd.DataFrame:
    """Every mark label of a chart at one precision."""
    df = df.copy()
    df["Label"] = [pct_label(v, decimals, signed) if percent else label_num(v, decimals) for v in df["Value"]]
    return df


def status_marks():
    """Encodings that draw a mark's value status: fill opacity and outline dash."""
    fill = alt.FillOpacity(
        "Status:O",
        sort=STATUS_ORDER,
        scale=alt.Scale(type="ordinal", domain=STATUS_ORDER, range=[_FILL[s] for s in STATUS_ORDER]),
        legend=None,
    )
    dash = alt.StrokeDash(
        "Status:N",
        scale=alt.Scale(domain=STATUS_ORDER, range=[_DASH[s] for s in STATUS_ORDER]),
        legend=None,
    )
    return fill, dash


def _statuses_in(chart) -> list[str]:
    found: set[str] = set()

    def walk(c):
        d = getattr(c, "data", None)
        if isinstance(d, pd.DataFrame) and "Status" in d.columns:
            found.update(d["Status"])
        for sub in getattr(c, "layer", None) or []:
            walk(sub)

    walk(chart)
    return [s for s in STATUS_ORDER if s in found]


def _status_legend_def(present: list[str]) -> alt.Legend:
    return alt.Legend(title="Value status", values=present, symbolType="square", symbolSize=160, symbolStrokeWidth=2)


def _status_legend(present: list[str]):
    """An invisible layer that carries the "Value status" legend (Vega
    legends cannot show fill opacity: it is keyed on opacity and dash)."""
    legend = _status_legend_def(present)
    return (
        alt.Chart(pd.DataFrame({"Status": present}))
        .mark_point(size=0, filled=False, stroke=INK, strokeWidth=2)
        .encode(
            opacity=alt.Opacity(
                "Status:O",
                sort=STATUS_ORDER,
                scale=alt.Scale(type="ordinal", domain=STATUS_ORDER, range=[_LEGEND_OPACITY[s] for s in STATUS_ORDER]),
                legend=legend,
            ),
            strokeDash=alt.StrokeDash(
                "Status:N",
                scale=alt.Scale(domain=STATUS_ORDER, range=[_DASH[s] for s in STATUS_ORDER]),
                legend=legend,
            ),
            tooltip=[alt.Tooltip("Status:N")],
        )
    )


# --------------------------------------------------------------------------
# colours: the key (theme.COLOURS), one concept per series


def series_colour(concepts: dict, field: str = "Series", legend: bool | str = False):
    """Colour and outline of marks whose `field` names a series, each series
    drawn in its concept's colour from the key ({series: concept})."""
    domain = list(concepts)
    rng = [COLOURS[concepts[s]] for s in domain]
    scale = alt.Scale(domain=domain, range=rng)
    lg = alt.Legend(title=legend if isinstance(legend, str) else None) if legend else None
    return alt.Color(f"{field}:N", scale=scale, legend=lg), alt.Stroke(f"{field}:N", scale=scale, legend=lg)


def tooltips(x_name: str = "Year", extra=()):
    return [
        alt.Tooltip(f"{x_name}:N", title=x_name),
        alt.Tooltip("Series:N"),
        alt.Tooltip("Value (text):N", title="Value"),
        alt.Tooltip("Status:N"),
        *extra,
        alt.Tooltip("Source:N"),
    ]


# --------------------------------------------------------------------------
# width: every chart is laid out for the width it is drawn at
#
# The spec carries a parameter `sow` (the width it is drawn at): the static
# pictures set it to their width (render.py), the page's script to the
# chart's container width (sobook-charts.js), JupyterLab leaves the default.
# Below NARROW_AT pixels (theme.py) a chart uses its narrow layout: text of
# 11 px rather than 12, years as '16, long labels wrapped to more lines.

NARROW = f"sow < {NARROW_AT}"
SIZE = TEXT_PX  # every label's font size (wide, narrow)
# The plot widths a layout must fit (after the y axis): a phone's column
# (the narrow picture, 340 px, less its axis) and the narrowest wide layout.
FIT_NARROW, FIT_WIDE = 300, NARROW_AT - 50


def by_width(wide, narrow):
    return alt.ExprRef(f"{NARROW} ? {narrow} : {wide}")


# Advance widths (em) of Liberation Sans (Arial's metrics), the charts' font
# (theme.FONT); other letters at a common width.
_EM = {**dict.fromkeys("0123456789$", 0.556), **dict.fromkeys(".,:;/ ", 0.278), **dict.fromkeys("'’·", 0.222),
       "(": 0.333, ")": 0.333, "%": 0.889, **dict.fromkeys("+−~>", 0.584), "→": 1.0, "-": 0.333, "–": 0.556,
       **dict.fromkeys("ijl", 0.222), **dict.fromkeys("ftI", 0.278), "r": 0.333, "m": 0.833, "w": 0.722,
       "M": 0.833, "W": 0.944}


def text_width(text: str, size: float) -> float:
    """A label's width in px in the charts' font, with a little to spare."""
    return size * 1.04 * sum(_EM.get(c, 0.722 if c.isupper() else 0.556) for c in text) + 1


def wrap(text: str, chars: int) -> str:
    """Text broken into lines of at most `chars` characters, at spaces ('\\n')."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


# A band axis's padding (inner, outer) at the wide and the narrow layout: on
# a phone the bars take more of their band, so that a label fits in them.
PADDING = {"wide": (0.22, 0.12), "narrow": (0.1, 0.06)}


def _padding(which: int) -> alt.ExprRef:
    return by_width(PADDING["wide"][which], PADDING["narrow"][which])


def x_year(domain, title=None, x_name="Year"):
    """A band axis of years (or categories): '16 for 2016 when many years
    share a narrow chart."""
    axis = dict(labelAngle=0, title=title, labelPadding=4)
    if all(is_year_label(d) for d in domain) and len(domain) > 6:
        axis["labelExpr"] = f"{NARROW} ? \"'\" + substring(datum.label, 2) : datum.label"
    return alt.X(f"{x_name}:O", scale=alt.Scale(type="band", domain=domain, paddingInner=_padding(0),
                                                 paddingOuter=_padding(1)),
                 axis=alt.Axis(**axis), sort=domain)


def fits(text: str, n_bands: int, size_wide: float = SIZE[0], size_narrow: float = SIZE[1],
         inside: bool = False) -> tuple[bool, bool]:
    """Whether a label fits its column at the narrow and at the wide layout:
    inside its bar clear of its outline, or above it with 3 px between it
    and its neighbour's label."""
    out = []
    for layout, plot, size in (("narrow", FIT_NARROW, size_narrow), ("wide", FIT_WIDE, size_wide)):
        inner, outer = PADDING[layout]
        step = plot / (n_bands - inner + 2 * outer)
        room = step * (1 - inner) - 3 if inside else step - 3
        out.append(text_width(text, size) <= room)
    return out[0], out[1]


H = 280


def y_value(domain=None, title=None, percent=False, fmt_=None):
    axis = alt.Axis(title=title, tickCount=5, grid=True, labelExpr="datum.label + '%'" if percent else alt.Undefined,
                    format=fmt_ or alt.Undefined)
    scale = alt.Scale(domain=domain, nice=domain is None, zero=True) if domain else alt.Scale(zero=True, nice=True)
    return axis, scale


def stacked(df: pd.DataFrame, x_name: str, order: list[str]) -> pd.DataFrame:
    """Stack the series of each category in `order`: Base, Top and Mid of
    each segment, computed here so labels sit exactly in their segments."""
    df = df.copy()
    df["_o"] = df["Series"].map({s: i for i, s in enumerate(order)})
    df = df.sort_values([x_name, "_o"], kind="stable")
    df["Top"] = df.groupby(x_name)["Value"].cumsum()
    df["Base"] = df["Top"] - df["Value"]
    df["Mid"] = (df["Top"] + df["Base"]) / 2
    return df.drop(columns="_o").sort_index()


_STATUS_WORD = {"Estimate": "estimate", "Forecast": "forecast", "Computed by the edition": "computed"}


def _on_white(colour: str, opacity: float) -> str:
    """A colour drawn at `opacity` on the chart's white."""
    rgb = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - opacity * (255 - v)):02x}" for v in rgb)


def _choose(domain: list[str], values: list) -> alt.ExprRef:
    """A legend property for each of its entries (`datum.value`)."""
    expr = json.dumps(values[-1])
    for k, v in zip(domain[-2::-1], values[-2::-1]):
        expr = f"datum.value === {json.dumps(k)} ? {json.dumps(v)} : {expr}"
    return alt.ExprRef(expr)


LEGEND_WRAP_NARROW = 42  # characters of a legend entry's line on a phone


def series_legend(frames: list[pd.DataFrame], concepts: dict, *, symbols: dict | None = None,
                   labels: dict | None = None, extra: tuple = ()):
    """The series' legend: one entry for each series and value status drawn,
    its swatch drawn as the marks are, in the series' colour with the
    status's fill (lighter for an estimate, pale for a computed value,
    hollow for a forecast) and outline (solid, dotted, dashed). A series
    drawn in more than one status has an entry for each ("Offshore",
    "Offshore (computed)"). `symbols`: {series: "square" (default), "stroke"
    or "circle"}; `labels`: {series: the entry's words}; `extra`: (series,
    status) pairs drawn by marks outside `frames`.

    An invisible layer carries it (Vega-Lite cannot key a legend's fill on
    the fill opacity the marks are drawn with), on the shape channel, which
    no mark uses."""
    symbols, labels = symbols or {}, labels or {}
    pairs = [(s, t) for f in frames for s, t in zip(f["Series"], f["Status"])] + list(extra)
    statuses = {s: {t for s2, t in pairs if s2 == s} for s, _ in pairs}

    def key(series, status):
        words = labels.get(series, series)
        return words if len(statuses[series]) == 1 or status == "Reported" else f"{words} ({_STATUS_WORD[status]})"

    order = sorted(set(pairs), key=lambda p: (list(concepts).index(p[0]), STATUS_ORDER.index(p[1])))
    entries = {key(*p): p for p in reversed(order)}
    words = list(dict.fromkeys(key(*p) for p in order))
    # the entries' values are their positions ("k0", "k1" …), their words a label: Vega-Lite merges legends
    # whose scales share a domain, and the marks' colour scale (with no legend) may have the series' names
    domain = [f"k{i}" for i in range(len(words))]
    colour = [COLOURS[concepts[entries[k][0]]] for k in words]
    shape = [symbols.get(entries[k][0], "square") for k in words]
    fill = [_on_white(c, _FILL[entries[k][1]]) if sh != "stroke" else "transparent"
            for k, c, sh in zip(words, colour, shape)]
    # an entry's words on one line, or wrapped on a phone
    narrow = _choose(domain, [wrap(w, LEGEND_WRAP_NARROW).split("\n") for w in words]).expr
    legend = alt.Legend(title=None, symbolStrokeWidth=2, symbolSize=160, symbolOpacity=1,
                        labelExpr=f"{NARROW} ? {narrow} : {_choose(domain, words).expr}",
                        symbolDash=_choose(domain, [_DASH[entries[k][1]] for k in words]))
    # the legend's symbols take the mark's colours (`datum.value` is an entry there)
    swatch = dict(fill=_choose(domain, fill), stroke=_choose(domain, colour))
    return (alt.Chart(pd.DataFrame({"Key": domain, "Series": words})).mark_point(size=0, opacity=0, filled=True, **swatch)
            .encode(shape=alt.Shape("Key:N", sort=domain, scale=alt.Scale(domain=domain, range=shape), legend=legend),
                    tooltip=[alt.Tooltip("Series:N")]))


def bar_layer(df, x, concepts: dict, y="Value", y2=None, axis=None, scale=None, x_name="Year", offset=None,
               extra_tt=(), width=None, legend: bool | dict = False):
    """Bars in their series' colours, drawn by value status; with `legend`
    (True, or _series_legend's options), the series' legend."""
    color, stroke = series_colour(concepts)
    fill, dash = status_marks()
    enc = dict(x=x, y=alt.Y(f"{y}:Q", axis=axis or alt.Axis(title=None), scale=scale or alt.Undefined, stack=None),
               color=color, stroke=stroke, fillOpacity=fill, strokeDash=dash, tooltip=tooltips(x_name, extra_tt))
    if y2:
        enc["y2"] = alt.Y2(f"{y2}:Q")
    if offset:
        enc["xOffset"] = alt.XOffset("Series:N", sort=offset, scale=alt.Scale(domain=offset))
    kw = dict(strokeWidth=1.5)
    if width:
        kw["width"] = width
    bars = alt.Chart(df).mark_bar(**kw).encode(**enc)
    if legend:
        return alt.layer(bars, series_legend([df], concepts, **(legend if isinstance(legend, dict) else {})))
    return bars


def label_layer(df, x, y, text="Label", *, x_name="Year", dy=-4, baseline="bottom", colour=INK, size=SIZE,
                 fit_col=True, offset=None, weight="normal", align="center", text_narrow=None):
    """Text labels in a band chart, above their bars (baseline "bottom") or
    inside them, with the column `text_narrow` (if given) at the narrow
    layout; a label that does not fit its column at a layout is left out
    there (the tooltip and the table give every value)."""
    d = df.copy()
    narrow = text_narrow or text
    if fit_col:
        n = len(x["scale"]["domain"]) * (len(offset) if offset else 1)
        inside = baseline != "bottom"
        d["_fitN"] = [fits(str(t), n, *size, inside=inside)[0] for t in d[narrow]]
        d["_fitW"] = [fits(str(t), n, *size, inside=inside)[1] for t in d[text]]
    else:
        d["_fitN"] = d["_fitW"] = True
    enc = dict(x=x, y=alt.Y(f"{y}:Q") if isinstance(y, str) else y, text=alt.Text("_T:N"),
               tooltip=tooltips(x_name) if "Status" in d.columns else [alt.Tooltip(f"{text}:N")])
    if offset:
        enc["xOffset"] = alt.XOffset("Series:N", sort=offset, scale=alt.Scale(domain=offset))
    if colour == "by-fill":
        enc["fill"] = alt.Fill("Label colour:N", scale=alt.Scale(domain=["light", "dark"], range=["#ffffff", INK]),
                               legend=None)
        mk = dict()
    else:
        mk = dict(color=colour)
    return (alt.Chart(d).transform_filter(f"{NARROW} ? datum._fitN : datum._fitW")
            .transform_calculate(_T=f"{NARROW} ? datum['{narrow}'] : datum['{text}']")
            .mark_text(dy=dy, baseline=baseline, fontSize=by_width(*size), fontWeight=weight, align=align, **mk)
            .encode(**enc))


NOT_PUBLISHED, NOT_FOUND = "n.p.", "n.f."
# each mark's words and what it means
GAPS = {NOT_PUBLISHED: ("not published", "no value for that year in the sources"),
        NOT_FOUND: ("not found", "no release after the report that gives it was found")}
REPORT_LAST_YEAR = 2020  # the last year of the report's period


def gap_mark(x, later: bool = False) -> str:
    """How a value the sources do not give is marked: "n.p." (not published:
    neither the report nor the releases of its years give it), or, in a chart
    of what came after the report (`later`), "n.f." for a year after it (not
    found: the edition found no release that gives it)."""
    year = re.match(r"\d{4}", str(x))
    return NOT_FOUND if later and year and int(year.group(0)) > REPORT_LAST_YEAR else NOT_PUBLISHED


def gaps_note(missing, later: bool = False) -> str:
    """The key to the marks of `missing`: 'n.p.: not published (…).' and/or 'n.f.: not found (…).'"""
    marks = [m for m in GAPS if m in {gap_mark(x, later) for x in missing}]
    return " ".join(f"{m}: {GAPS[m][0]} ({GAPS[m][1]})." for m in marks)


def np_layer(missing: list[str], x, x_name="Year", later: bool = False):
    """Years the sources do not give: a mark "n.p." (not published) or "n.f."
    (not found, see gap_mark) on the baseline of each, so that an empty slot
    never reads as zero."""
    texts = [gap_mark(y, later) for y in missing]
    d = pd.DataFrame({x_name: missing, "Text": texts,
                      "What": [f"{GAPS[t][0].capitalize()}: {GAPS[t][1]}" for t in texts]})
    return (alt.Chart(d).mark_text(baseline="bottom", dy=-3, fontSize=by_width(*SIZE), color=MUTED, fontStyle="italic")
            .encode(x=x, y=alt.YDatum(0), text="Text:N",
                    tooltip=[alt.Tooltip(f"{x_name}:N"), alt.Tooltip("What:N", title="Value")]))


def _room(domain: list, occupied: set, layout: str, x_scale=None, blocked: dict | None = None) -> dict:
    """The room, in px, left and right of each occupied column's centre for
    a label above it at a layout: to the middle between it and a neighbour
    with a label, to the centre of an empty neighbour, to the plot's edge
    at the ends. `blocked`: {column: "left" or "right"}, a side a path
    leaves from, where the label may not reach beyond its own column."""
    n, plot = len(domain), FIT_NARROW if layout == "narrow" else FIT_WIDE
    inner, outer = PADDING[layout]
    sc = x_scale.to_dict() if hasattr(x_scale, "to_dict") else dict(x_scale or {})
    if isinstance(sc.get("paddingInner"), (int, float)):
        inner, outer = sc["paddingInner"], sc.get("paddingOuter", sc["paddingInner"] / 2)
    step = plot / (n - inner + 2 * outer)
    blocked = blocked or {}
    out = {}
    for i, col in enumerate(domain):
        if col not in occupied:
            continue
        centre = step * (outer + i + (1 - inner) / 2)
        sides = []
        for side, j, edge in (("left", i - 1, centre - 2), ("right", i + 1, plot - centre - 2)):
            if not 0 <= j < n:
                sides.append(edge)
            elif domain[j] in occupied or blocked.get(col) == side:
                sides.append(step / 2 - 1.5)
            else:
                sides.append(step - 1.5)
        out[col] = tuple(sides)
    return out


def _place(width: float, room: tuple) -> tuple[bool, float]:
    """Whether a label `width` px wide fits its room, and the shift (px) that
    keeps it there: none when it fits centred."""
    left, right = room
    if width > left + right:
        return False, 0.0
    if width / 2 > left:
        return True, round(width / 2 - left, 1)
    if width / 2 > right:
        return True, round(right - width / 2, 1)
    return True, 0.0


def top_layer(text_rows: pd.DataFrame, x, x_name="Year", dy=-4, size=SIZE, colour=INK, scale=None,
               blocked: dict | None = None):
    """Labels above bars: `text_rows` has x_name, Top (the bar's top) and Text
    (lines separated by '\n'). Each line is its own text mark, stacked up
    from the bar's top, so that a label of two lines never runs into its bar.
    A label wider than its column may reach over an empty neighbour (shifted
    sideways if need be); one that has no room at a layout is left out there."""
    domain = list(x["scale"]["domain"])
    occupied = set(text_rows[x_name])
    rooms = {k: _room(domain, occupied, k, x["scale"], blocked) for k in ("narrow", "wide")}
    rows = []
    for r in text_rows.itertuples(index=False):
        rd = dict(zip(text_rows.columns, r))
        lines = str(rd["Text"]).split("\n")
        (fitn, dxn), (fitw, dxw) = (_place(max(text_width(t, sz) for t in lines), rooms[k][rd[x_name]])
                                    for k, sz in (("narrow", size[1]), ("wide", size[0])))
        for j, t in enumerate(lines):
            rows.append({x_name: rd[x_name], "Top": rd["Top"], "Line": t, "Label": rd["Text"].replace("\n", " "),
                         "_up": len(lines) - 1 - j, "_fitN": fitn, "_fitW": fitw, "_dxN": dxn, "_dxW": dxw})
    d = pd.DataFrame(rows)
    tt = [alt.Tooltip(f"{x_name}:N"), alt.Tooltip("Label:N", title="Label")]
    y = alt.Y("Top:Q", scale=scale) if scale is not None else alt.Y("Top:Q")
    layers = []
    for up in sorted(set(d["_up"])) if len(d) else []:
        layers.append(alt.Chart(d[d["_up"] == up]).transform_filter(f"{NARROW} ? datum._fitN : datum._fitW")
                      .mark_text(baseline="bottom", fontSize=by_width(*size), color=colour,
                                 dx=alt.ExprRef(f"{NARROW} ? datum._dxN : datum._dxW"),
                                 dy=by_width(dy - up * (size[0] + 2), dy - up * (size[1] + 2)))
                      .encode(x=x, y=y, text="Line:N", tooltip=tt))
    return alt.layer(*layers) if len(layers) != 1 else layers[0]


def path_sides(start: tuple, end: tuple) -> dict:
    """Where a forecast's path (_forecast_path) runs above a label's room: a
    rising path just above the top right corner of the bar it starts from,
    a falling one just above the top left corner of the bar it reaches (for
    _top_layer's `blocked`)."""
    return {start[0]: "right"} if float(end[1]) >= float(start[1]) else {end[0]: "left"}


def forecast_path(x, scale, start: tuple, end: tuple, tip: str, to_bar: bool = True):
    """A forecast as a dashed path, from the top right corner of the bar of
    the value it starts from to the top left corner of the forecast's bar
    (or to its point, `to_bar` False): the labels above both bars stay clear."""
    d = pd.DataFrame({"Year": [start[0], end[0]], "v": [start[1], end[1]], "Tip": [tip, tip],
                      "_side": [1, -1 if to_bar else 0]})
    return (alt.Chart(d).mark_line(color=COLOURS["forecast"], strokeDash=[5, 3], strokeWidth=2,
                                   xOffset=alt.ExprRef("datum._side * bandwidth('x') / 2"))
            .encode(x=x, y=alt.Y("v:Q", scale=scale), tooltip=[alt.Tooltip("Tip:N", title="Forecast")]))


def note_layer(text_wide: str, text_narrow: str, *, x=None, y=None, align="left", baseline="top", dx=0, dy=0,
                colour=INK, size=SIZE, weight="normal", tooltip=None):
    """One annotation in the plot (an average, a bracket's words), with
    its own wording at the narrow layout."""
    d = pd.DataFrame({"W": [text_wide], "N": [text_narrow], "Tip": [tooltip or text_wide]})
    enc = dict(text="T:N", tooltip=[alt.Tooltip("Tip:N", title="Note")])
    if x is not None:
        enc["x"] = x
    if y is not None:
        enc["y"] = y
    return (alt.Chart(d).transform_calculate(T=f"{NARROW} ? datum.N : datum.W")
            .mark_text(align=align, baseline=baseline, dx=dx, dy=dy, color=colour, fontSize=by_width(*size),
                       fontWeight=weight, lineBreak="\n")
            .encode(**enc))


# --------------------------------------------------------------------------
# rows: horizontal bars (or dots) with their name above them, as OWID does:
# a long name never has to share a line with the bars, and wraps when the
# chart is narrow.

ROW_WRAP_WIDE, ROW_WRAP_NARROW = 86, 46


def _steps(lo: float, hi: float, mantissas) -> list[float]:
    """The numbers m·10^k (m in `mantissas`) from lo to hi."""
    out, k = [], math.floor(math.log10(lo)) - 1
    while 10 ** k <= hi * 10:
        out += [float(f"{m * 10 ** k:.12g}") for m in mantissas if lo <= m * 10 ** k <= hi]
        k += 1
    return sorted(set(out))


def log_domain(values) -> list[float]:
    """A log axis's ends around `values`, at 1, 2, 3 or 5 times a power of
    ten, with room for the marks at both ends."""
    lo, hi = min(values) / 1.2, max(values) * 1.2
    ends = _steps(lo / 10, hi * 10, (1, 2, 3, 5))
    return [max(e for e in ends if e <= lo), min(e for e in ends if e >= hi)]


def log_x(domain: list[float]) -> alt.X:
    """A log axis labelled at 1, 2 and 5 times the powers of ten only (its
    labels at every minor tick run together on a phone: "0.20.30.4")."""
    return alt.X("Value:Q", scale=alt.Scale(type="log", domain=domain, nice=False),
                 axis=alt.Axis(title=None, grid=True, values=_steps(*domain, (1, 2, 5))))


def rows_layout(names: list[str]) -> tuple[dict, int]:
    lines = max(max(wrap(n, ROW_WRAP_NARROW).count("\n") + 1 for n in names), 1)
    return {n: (wrap(n, ROW_WRAP_WIDE), wrap(n, ROW_WRAP_NARROW)) for n in names}, 30 + 13 * lines


def row_bars(df, cat: str, order: list[str], concepts: dict, *, x_max=None, log_domain=None, label="Label",
          tooltip=None, headers: dict | None = None, bar_h=14):
    """Horizontal bars, each row's name above its bar, its value label at the
    bar's end. `headers`: {category: text} rows that only carry a heading."""
    names = {c: c for c in order}
    shown = dict(names)
    if headers:
        shown.update(headers)
    wrapped, step = rows_layout(list(shown.values()))
    d = df.copy()
    d["_nameW"] = [wrapped[shown[c]][0] for c in d[cat]]
    d["_nameN"] = [wrapped[shown[c]][1] for c in d[cat]]
    d["_lnW"] = [t.count("\n") for t in d["_nameW"]]
    d["_lnN"] = [t.count("\n") for t in d["_nameN"]]
    top = float(d["Value"].max())
    xmax = x_max if x_max is not None else top * 1.22
    y = alt.Y(f"{cat}:N", sort=order, axis=None, scale=alt.Scale(type="band", domain=order, paddingInner=0, paddingOuter=0))
    if log_domain:
        x = log_x(log_domain)
    else:
        x = alt.X("Value:Q", scale=alt.Scale(domain=[0, xmax], nice=False), axis=alt.Axis(title=None, tickCount=4))
    tt = tooltip or tooltips(cat)
    color, stroke = series_colour(concepts)
    fill, dash = status_marks()
    bars = (alt.Chart(d).mark_bar(height=bar_h, yOffset=step / 2 - bar_h / 2 - 3, strokeWidth=1.5)
            .encode(y=y, x=x, color=color, stroke=stroke, fillOpacity=fill, strokeDash=dash, tooltip=tt))
    names_layer = (alt.Chart(d).transform_calculate(T=f"{NARROW} ? datum._nameN : datum._nameW")
                   # the name's last line just above its bar, earlier lines above it
                   .mark_text(align="left", baseline="bottom", yOffset=step / 2 - bar_h - 6, fontSize=by_width(*SIZE),
                              color=INK, lineBreak="\n", lineHeight=13,
                              dy=alt.ExprRef(f"-13 * ({NARROW} ? datum._lnN : datum._lnW)"))
                   .encode(y=y, x=alt.XDatum(log_domain[0] if log_domain else 0), text="T:N", tooltip=tt))
    values = (alt.Chart(d).mark_text(align="left", baseline="middle", dx=4, yOffset=step / 2 - bar_h / 2 - 3,
                                     fontSize=by_width(*SIZE), color=INK)
              .encode(y=y, x=x, text=f"{label}:N", tooltip=tt))
    layers = [bars, names_layer, values]
    if headers:
        hd = pd.DataFrame({cat: list(headers), "_hW": [wrapped[t][0] for t in headers.values()],
                           "_hN": [wrapped[t][1] for t in headers.values()], "Tip": list(headers.values())})
        layers.append(alt.Chart(hd).transform_calculate(T="datum.Tip")
                      .mark_text(align="left", baseline="bottom", yOffset=step / 2 - 6, fontSize=by_width(*SIZE),
                                 fontWeight="bold", color=INK)
                      .encode(y=y, x=alt.XDatum(log_domain[0] if log_domain else 0), text="T:N",
                              tooltip=[alt.Tooltip("Tip:N", title="Group")]))
    return alt.layer(*layers), step * len(order)


def finish(chart, height=None, legend_status: bool | None = None):
    """Add the status legend (when more than reported values are drawn) and
    the house size: full container width, the chart's own height."""
    if height is None:
        h = getattr(chart, "height", alt.Undefined)
        height = h if isinstance(h, (int, float)) else H
    present = _statuses_in(chart)
    show = legend_status if legend_status is not None else any(s != "Reported" for s in present)
    if not present or not show:
        return chart.properties(width="container", height=height)
    legend_layer = _status_legend(present)
    legend = _status_legend_def(present)

    def walk(c):
        enc = getattr(c, "encoding", alt.Undefined)
        if enc is not alt.Undefined:
            for channel in ("strokeDash", "opacity", "fillOpacity"):
                if getattr(enc, channel, alt.Undefined) is not alt.Undefined:
                    enc[channel]["legend"] = legend
        for sub in getattr(c, "layer", None) or []:
            walk(sub)

    walk(chart)
    return alt.layer(legend_layer, chart).properties(width="container", height=height)


# --------------------------------------------------------------------------
# periods


def missing_years(domain, df, x_name="Year"):
    have = set(df[x_name])
    return [y for y in domain if y not in have]


def is_year_label(p) -> bool:
    return bool(re.fullmatch(r"\d{4}", str(p)))


def years_from(df: pd.DataFrame, first: int) -> pd.DataFrame:
    """Rows for single years from `first` on (spans such as '2016-2020' and
    part-years such as '2025 Jan-Oct' are left out)."""
    mask = df["period"].map(lambda p: is_year_label(p) and int(p) >= first)
    return df[mask.astype(bool)]


def year_span(first: int, *frames: pd.DataFrame, until: int | None = None) -> list[str]:
    last = max(
        [int(p) for f in frames for p in f["period"] if is_year_label(p)] + [until or first, first]
    )
    return year_list(first, last)


def year_list(a: int, b: int) -> list[str]:
    return [str(y) for y in range(a, b + 1)]


def year_range(years: list[str]) -> str:
    """'2016–2020' (en dash), or the single year."""
    return years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def years_text(years: list[str]) -> str:
    years = sorted(set(years))
    if len(years) <= 2:
        return word_list(years)
    first, last = int(years[0]), int(years[-1])
    return year_range(years) if len(years) == last - first + 1 else word_list(years) if len(years) <= 3 else year_range(years)


def ranked(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per key: the report's value where there is one, else a
    release's, else a derived one."""
    rows = rows.assign(_rank=rows["provenance"].map({"report": 0, "release": 1, "derived": 2}))
    rows = rows.sort_values("_rank", kind="stable").drop_duplicates(keys).drop(columns="_rank")
    return rows.sort_index()


def release_year(row, rows: dict) -> int | None:
    """The year of the release a row's value comes from: a release row's own (last) year; for a derived row,
    the latest of the releases its formula reads (ISG's 2020 as its 2021 release implies it comes from 2021's);
    None for the report's rows. `rows`: every row by row_id."""
    if row["provenance"] == "release":
        return int(re.findall(r"\d{4}", str(row["period"]))[-1])
    if row["provenance"] != "derived":
        return None
    years = [release_year(rows[n], rows) for n in sodata.formula_names(row["formula"]) if n in rows]
    return max((y for y in years if y), default=None)


def revisions(every: pd.DataFrame, report_row) -> list[tuple]:
    """What later releases imply for the year of `report_row` (derived rows of
    that year computed from later figures), each as (row, release year, word):
    the word says how it stands against the report's figure at the precision the
    report prints it ("above", "below", "the same as")."""
    from sobook import statements as st

    by_id = {r["row_id"]: r for _, r in every.iterrows()}
    same = pick_rows(every, measure=report_row["measure"], period=report_row["period"], provenance="derived")
    if "segment" in every.columns:
        same = same[same["segment"] == report_row["segment"]]
    report = st.rows(every, row_id=report_row["row_id"])
    tol = 0.5 * 10 ** -sodata.decimals(repr(float(report_row["value"])))
    out = []
    for _, r in same.iterrows():
        year = release_year(r, by_id)
        if year and year > int(report_row["period"]):
            out.append((r, year, st.compare(st.rows(every, row_id=r["row_id"]), report,
                                            words=("above", "below", "the same as"), tol=tol)))
    return sorted(out, key=lambda t: t[1])


def revisions_text(revs: list[tuple], report_row) -> str:
    """'US$65.3 billion from its 2021 release, above the report's US$59.8 billion'."""
    return word_list([f"{quantity(r['value'], r['unit'], r['qualifier'])} from its {y} release, {w} the report's "
                  f"{quantity(report_row['value'], report_row['unit'])}" for r, y, w in revs])


def years_after(years, year: int = 2020) -> list[str]:
    return [y for y in years if is_year_label(y) and int(y) > year]


def join_sentences(*parts) -> str | None:
    text = " ".join(p.strip() for p in parts if p and p.strip())
    return text or None


def word_list(items) -> str:
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


MOFCOM = "Ministry of Commerce of the People's Republic of China (MOFCOM)"
CSORC = "China Service Outsourcing Research Center"

TYPES = ["ITO", "BPO", "KPO"]


def by_type(rows: pd.DataFrame) -> pd.DataFrame:
    order = {t: i for i, t in enumerate(TYPES)}
    return rows.sort_values(["period", "type"], key=lambda s: s.map(order) if s.name == "type" else s)


def share_stack(df: pd.DataFrame, years: list[str], x_name: str = "Year", x=None, decimals: int = 1,
                 height: int = H):
    """ITO/BPO/KPO shares stacked to exactly 100 (the axis ends at 100; a
    column whose printed shares add up to more is drawn to its sum, clipped
    at 100, and the note says so), each share printed in its segment."""
    df = relabel(df, decimals, percent=True)
    # on a phone the shares without their % sign (the axis and subtitle say %), so that they fit their bars
    df["Label (narrow)"] = [t.rstrip("%") for t in df["Label"]]
    df = stacked(df, x_name, TYPES)
    x = x if x is not None else x_year(years, x_name=x_name)
    axis, scale = y_value([0, 100], percent=True)
    scale = alt.Scale(domain=[0, 100], nice=False, zero=True, clamp=True)
    bars = bar_layer(df, x, {t: t for t in TYPES}, y="Top", y2="Base", axis=axis, scale=scale, x_name=x_name)
    df["Label colour"] = "dark"
    px = (df["Value"] / 100 * height)
    inside = df[px >= 15]
    text = label_layer(inside, x, alt.Y("Mid:Q", scale=scale), x_name=x_name, dy=0, baseline="middle",
                        text_narrow="Label (narrow)")
    missing = [y for y in years if y not in set(df[x_name])]
    layers = [bars, text]
    if missing:
        layers.append(np_layer(missing, x, x_name))
    return df, alt.layer(*layers)
