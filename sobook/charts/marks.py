"""Shared marks and helpers of the chart builders: picking rows, the
reader's table of a chart (`_tidy`), bars, points and labels drawn by value
status, the status legend, and the words around numbers.

Rules every builder keeps:

* it draws only rows of the data package (validated by ``sobook.data``); a
  year the sources do not give is left out, and the x axis still lists it, so
  the gap shows; the caption note says what is not known;
* reported, estimated, forecast and derived values look different
  (fill opacity and outline dash, explained in a "Value status" legend);
* every mark has a tooltip with the value formatted with its unit, its status
  and its source;
* the numbers in titles, alt texts and notes are read from the data, never
  typed in, so the book stays right when the data directory changes.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from sobook import data as sodata
from sobook.charts.theme import PALETTE

def _pick(df: pd.DataFrame, **where) -> pd.DataFrame:
    """Rows where each column equals the value (or is in the list) given."""
    mask = pd.Series(True, index=df.index)
    for col, want in where.items():
        mask &= df[col].isin(want) if isinstance(want, (list, tuple, set)) else df[col].eq(want)
    return df[mask]


def _one(df: pd.DataFrame, **where) -> pd.Series:
    rows = _pick(df, **where)
    if len(rows) != 1:
        raise sodata.DataError(
            f"{df.attrs.get('path', 'data')}: a chart needs exactly one row with "
            f"{where}, found {len(rows)}"
        )
    return rows.iloc[0]


def _val(df: pd.DataFrame, **where) -> float:
    return float(_one(df, **where)["value"])


# --------------------------------------------------------------------------
# formatting


def _num(v: float) -> str:
    """A number as printed: thousands separators, no spurious trailing zeros."""
    if float(v).is_integer():
        return f"{int(v):,}"
    text = f"{v:,.3f}".rstrip("0").rstrip(".")
    return text


def fmt(value: float, unit: str, qualifier: str = "") -> str:
    """A value with its unit, as a reader would write it."""
    q = f"{qualifier} " if qualifier else ""
    v = float(value)
    sign = "−" if v < 0 else ""
    a = abs(v)
    if unit == "US$ billion":
        s = f"{sign}US${_num(a)} billion"
    elif unit == "US$ million":
        s = f"{sign}US${_num(a)} million"
    elif unit == "RMB billion":
        s = f"{sign}RMB {_num(a)} billion"
    elif unit == "RMB trillion":
        s = f"{sign}RMB {_num(a)} trillion"
    elif unit == "% change":
        s = f"{'−' if v < 0 else '+'}{_num(a)}%"
    elif unit == "% per year":
        s = f"{'−' if v < 0 else '+'}{_num(a)}% a year"
    elif unit == "% of total":
        s = f"{_num(v)}%"
    elif unit == "percentage points":
        s = f"{'−' if v < 0 else '+'}{_num(a)} percentage points"
    elif unit == "million persons":
        s = f"{_num(v)} million people"
    elif unit == "times (increase by)":
        s = f"an increase by {_num(v)} times"
    elif unit == "times the base level":
        s = f"{_num(v)} times the base level"
    elif unit == "count":
        s = _num(v)
    else:
        s = f"{_num(v)} {unit}"
    return q + s


def short(value: float, unit: str, qualifier: str = "") -> str:
    """A compact label for a mark (the axis names the unit)."""
    q = {"about": "~", "more than": ">", "nearly": "~"}.get(qualifier, "")
    v = float(value)
    text = ("−" if v < 0 else "") + _num(abs(v))
    if unit in ("% change", "% per year") and v > 0:
        text = "+" + text
    if unit.startswith("%"):
        text += "%"
    return q + text


STATUS_LABEL = {
    "reported": "Reported",
    "estimate": "Estimate",
    "forecast": "Forecast",
    "derived": "Derived (computed here)",
}
STATUS_ORDER = list(STATUS_LABEL.values())
# reported: solid fill; estimate: lighter fill; forecast: hollow, dashed
# outline; derived: hollow, dotted outline.
_FILL = {"Reported": 0.95, "Estimate": 0.55, "Forecast": 0.12, "Derived (computed here)": 0.12}
_DASH = {"Reported": [1, 0], "Estimate": [1, 0], "Forecast": [6, 3], "Derived (computed here)": [2, 2]}
_LEGEND_OPACITY = {"Reported": 1.0, "Estimate": 0.6, "Forecast": 0.45, "Derived (computed here)": 0.45}


def _source_text(row) -> str:
    if row["provenance"] == "report":
        return f"Report, block {row['source_block_id']}"
    if row["provenance"] == "release":
        return f"{row['source_note']} ({row['source_url']})"
    return f"Derived: {row['formula']}"


def _tidy(rows: pd.DataFrame, x: str, series, x_name: str = "Year") -> pd.DataFrame:
    """The table a chart draws: readable columns, one row per mark.

    `x` is a column of `rows` (or a function of a row) giving the category on
    the x axis; `series` a column name, a function of a row, or a constant.
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
                "Value (text)": fmt(r["value"], r["unit"], r["qualifier"]),
                "Label": short(r["value"], r["unit"], r["qualifier"]),
                "Label colour": "light" if r["value_status"] in ("reported", "estimate") else "dark",
                "Status": STATUS_LABEL[r["value_status"]],
                "Source": _source_text(r),
                "Data row": r["row_id"],
            }
        )
    cols = [x_name, "Series", "Value", "Unit", "Value (text)", "Label", "Label colour", "Status", "Source", "Data row"]
    return pd.DataFrame(out, columns=cols)


def _palette() -> list[str]:
    return list(PALETTE)


def _color(domain: list[str], field: str = "Series", title: str | None = None, colors=None, legend=True):
    pal = colors or _palette()
    scale = alt.Scale(domain=domain, range=pal[: len(domain)])
    lg = alt.Legend(title=title) if legend else None
    # Colour and outline share one legend (Vega-Lite merges them by field; a
    # legend on one and none on the other is a "Conflicting legend" warning).
    return alt.Color(f"{field}:N", scale=scale, legend=lg), alt.Stroke(f"{field}:N", scale=scale, legend=lg)


def _status(df: pd.DataFrame | None = None):
    """Encodings that draw a mark's value status: fill opacity and outline dash.

    The scales always span all four statuses (so that layers agree); the
    legend is drawn once per chart by the layer `_finish` adds, listing only
    the statuses present.
    """
    # Ordinal with an explicit sort: Vega-Lite warns about opacity channels on
    # unsorted nominal fields.
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
    return alt.Legend(
        title="Value status", values=present, symbolType="square", symbolSize=200, symbolStrokeWidth=2
    )


def _status_legend(present: list[str]):
    """An invisible layer that carries the "Value status" legend.

    Vega legends cannot show fill opacity, so the legend is keyed on opacity
    and outline dash together: a solid dark outline for reported values, a
    lighter one for estimates, faint dashed for forecasts, faint dotted for
    derived values, matching the marks' filled / hollow and dashed looks.
    """
    legend = _status_legend_def(present)
    return (
        alt.Chart(pd.DataFrame({"Status": present}))
        .mark_point(size=0, filled=False, stroke="#333333", strokeWidth=2)
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


def _tooltip(x_name: str = "Year", extra=()):
    return [
        alt.Tooltip(f"{x_name}:N", title=x_name),
        alt.Tooltip("Series:N"),
        alt.Tooltip("Value (text):N", title="Value"),
        alt.Tooltip("Status:N"),
        *extra,
        alt.Tooltip("Source:N"),
    ]


def _years(a: int, b: int) -> list[str]:
    return [str(y) for y in range(a, b + 1)]


def _x(domain, title=None, x_name="Year"):
    return alt.X(f"{x_name}:O", scale=alt.Scale(domain=domain), axis=alt.Axis(labelAngle=0, title=title), sort=domain)


H = 300


def _bars(df, y_title, domain_x, colors_domain, x_name="Year", stack=True, y_field="Value", colors=None, offset=False,
          extra_tt=()):
    color, stroke = _color(colors_domain, colors=colors)
    fill, dash = _status(df)
    enc = dict(
        x=_x(domain_x, x_name=x_name),
        y=alt.Y(f"{y_field}:Q", title=y_title, stack="zero" if stack else None),
        color=color,
        stroke=stroke,
        fillOpacity=fill,
        strokeDash=dash,
        tooltip=_tooltip(x_name, extra_tt),
    )
    if offset:
        enc["xOffset"] = alt.XOffset("Series:N", sort=colors_domain)
    return alt.Chart(df).mark_bar(strokeWidth=1.5).encode(**enc)


def _points(df, y_title, domain_x, colors_domain, x_name="Year", colors=None, axis_orient="right", size=90):
    color, stroke = _color(colors_domain, colors=colors)
    fill, dash = _status(df)
    return (
        alt.Chart(df)
        .mark_point(filled=True, size=size, strokeWidth=2, shape="circle")
        .encode(
            x=_x(domain_x, x_name=x_name),
            y=alt.Y("Value:Q", title=y_title, axis=alt.Axis(orient=axis_orient)),
            color=color,
            stroke=stroke,
            fillOpacity=fill,
            strokeDash=dash,
            tooltip=_tooltip(x_name),
        )
    )


def _labels(df, domain, x_name="Year", y="Value", dy=-8, field="Label", stack=False, color="#333333"):
    enc = dict(
        x=_x(domain, x_name=x_name),
        y=alt.Y(f"{y}:Q", stack="zero" if stack else None),
        text=alt.Text(f"{field}:N"),
        tooltip=_tooltip(x_name),
    )
    return alt.Chart(df).mark_text(dy=dy, fontSize=11, color=color).encode(**enc)


# White text reaches 4.5:1 only on these solid fills (Okabe-Ito blue, black).
_DARK_FILLS = {"#0072B2", "#000000"}
# Okabe-Ito vermillion darkened for text on white (5.5:1; the original is 3.9:1).
VERMILLION_TEXT = "#B34700"


def _contrast_labels(df: pd.DataFrame, domain: list[str], colors=None) -> pd.DataFrame:
    """Choose each in-bar label's colour from its bar: white on a solid dark
    bar, dark on every other (lighter colours, estimate and hollow fills)."""
    pal = colors or _palette()
    dark = {s for s, c in zip(domain, pal) if c.upper() in _DARK_FILLS}
    df["Label colour"] = [
        "light" if s in dark and st == STATUS_LABEL["reported"] else "dark"
        for s, st in zip(df["Series"], df["Status"])
    ]
    return df


def _label_fill():
    """Label colour inside a bar: white on a filled bar, dark on a hollow one.
    (Keyed on its own column, so that it stays out of the status legend.)"""
    return alt.Fill(
        "Label colour:N",
        # near-black: #333 falls to 3.9:1 on the solid green bars
        scale=alt.Scale(domain=["light", "dark"], range=["#ffffff", "#111111"]),
        legend=None,
    )


def _long_labels(wide: int) -> alt.Axis:
    """An axis of long category labels: in full (up to `wide` px) on a wide
    page, but on a phone (a column under 600 px) at most half the width, cut
    with "…" (the data table has them whole), or they leave the marks no room
    at all. No container (the static picture) counts as wide."""
    return alt.Axis(labelLimit=alt.ExprRef(
        f"containerSize()[0] > 0 && containerSize()[0] < 600 ? 0.5 * containerSize()[0] : {wide}"))


def _labelled_bars(df, x, y, tooltip, label: str, color, stroke, text: dict):
    """Bars drawn by value status, each with a text label (the column
    `label`); `text` holds the label mark's placement (dx/dy, align)."""
    fill, dash = _status(df)
    if text.get("align") == "left" and x._get("scale") is alt.Undefined:
        # Labels beyond the bars' ends: room on the axis for the longest
        # bar's, which otherwise ran off the chart's right edge (E3, E8).
        x = x.copy()
        x["scale"] = alt.Scale(domain=[0, float(df[x.shorthand.split(":")[0]].max()) * 1.15], nice=True)
    base = alt.Chart(df).encode(x=x, y=y, tooltip=tooltip)
    return alt.layer(
        base.mark_bar(strokeWidth=1.5).encode(color=color, stroke=stroke, fillOpacity=fill, strokeDash=dash),
        base.mark_text(**text).encode(text=f"{label}:N"),
    )


def _finish(chart, height=H):
    """Add the status legend and the house size: full container width."""
    present = _statuses_in(chart)
    if not present:
        return chart.properties(width="container", height=height)
    legend_layer = _status_legend(present)
    legend = _status_legend_def(present)

    # Every layer's dash scale merges into one; they must all name the same
    # legend, or Vega-Lite drops it.
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


def _missing(domain, df, x_name="Year"):
    have = set(df[x_name])
    return [y for y in domain if y not in have]


def _is_year(p) -> bool:
    return bool(re.fullmatch(r"\d{4}", str(p)))


def _from(df: pd.DataFrame, first: int) -> pd.DataFrame:
    """Rows for single years from `first` on (spans such as '2016-2020' and
    part-years such as '2025 Jan-Oct' are left out)."""
    mask = df["period"].map(lambda p: _is_year(p) and int(p) >= first)
    return df[mask.astype(bool)]


def _span(first: int, *frames: pd.DataFrame, until: int | None = None) -> list[str]:
    """Every year from `first` to the last year any of the frames has (at
    least `until`): the x axis of a yearly chart. The years come from the
    data, so rows added for later years extend the chart."""
    last = max(
        [int(p) for f in frames for p in f["period"] if _is_year(p)] + [until or first, first]
    )
    return _years(first, last)


def _dash(years: list[str]) -> str:
    """'2016–2020' (en dash), or the single year."""
    return years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _years_text(years: list[str]) -> str:
    """How a title names the years drawn: '2015 and 2020', or '2015–2024'."""
    years = sorted(set(years))
    if len(years) <= 2:
        return _list(years)
    first, last = int(years[0]), int(years[-1])
    return _dash(years) if len(years) == last - first + 1 else _list(years) if len(years) <= 3 else _dash(years)


def _ranked(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per key: the report's value where there is one, else a
    release's, else a derived one."""
    rows = rows.assign(_rank=rows["provenance"].map({"report": 0, "release": 1, "derived": 2}))
    rows = rows.sort_values("_rank", kind="stable").drop_duplicates(keys).drop(columns="_rank")
    return rows.sort_index()  # in the order of the CSV


def _y_domain(values, lo: float, hi: float, pad: float = 2) -> list[float]:
    """A fixed axis range that still holds every value drawn."""
    values = [float(v) for v in values]
    return [min([lo] + [v - pad for v in values]), max([hi] + [v + pad for v in values])]


def _after(years, year: int = 2020) -> list[str]:
    return [y for y in years if _is_year(y) and int(y) > year]


def _sentences(*parts) -> str | None:
    text = " ".join(p.strip() for p in parts if p and p.strip())
    return text or None


def _list(items) -> str:
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


MOFCOM = "Ministry of Commerce of the People's Republic of China (MOFCOM)"
CSORC = "China Service Outsourcing Research Center"


TYPES = ["ITO", "BPO", "KPO"]


def _by_type(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows in period order, ITO, BPO, KPO within each period."""
    order = {t: i for i, t in enumerate(TYPES)}
    return rows.sort_values(["period", "type"], key=lambda s: s.map(order) if s.name == "type" else s)


def _share_stack(df: pd.DataFrame, y_title: str, xdomain: list[str], x_name: str = "Year", x=None):
    """Stacked ITO/BPO/KPO shares, each printed inside its segment in a colour
    that reads on it. Returns the data (with label colours) and the layers."""
    df = _contrast_labels(df, TYPES)
    x = x if x is not None else _x(xdomain, x_name=x_name)
    order = alt.Order("Series:N", sort="ascending")
    bars = _bars(df, y_title, xdomain, TYPES, x_name=x_name).encode(x=x, order=order)
    text = (
        alt.Chart(df)
        .mark_text(dy=12, fontSize=11)
        .encode(
            x=x,
            y=alt.Y("Value:Q", stack="zero"),
            order=order,
            fill=_label_fill(),
            text="Label:N",
            detail="Series:N",
            tooltip=_tooltip(x_name),
        )
    )
    return df, alt.layer(bars, text)
