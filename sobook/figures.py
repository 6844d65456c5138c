"""One builder per chart: the report's figures 1-1 ... 1-12 and the edition's
own charts e1, e2, ... (numbered apart from the report's).

    from sobook import figures
    panel = figures.build("1-4")          # a sobook.charts.Panel
    figures.ids()                          # every registered chart id

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
from pathlib import Path
from typing import Callable

import altair as alt
import pandas as pd

from sobook import data as sodata

# --------------------------------------------------------------------------
# registry

_BUILDERS: dict[str, Callable] = {}
_TITLES: dict[str, str] = {}


def register(fig_id: str, title: str):
    def deco(fn):
        if fig_id in _BUILDERS:
            raise ValueError(f"chart id {fig_id!r} registered twice")
        _BUILDERS[fig_id] = fn
        _TITLES[fig_id] = title
        return fn

    return deco


def ids() -> list[str]:
    """Every registered chart id: the report's figures first, then the edition's."""

    def key(i):
        return (0, int(i.split("-")[1])) if i.startswith("1-") else (1, int(i[1:]))

    return sorted(_BUILDERS, key=key)


REPORT_FIGURES = [f"1-{n}" for n in range(1, 13)]
_PRESENTATION_COLUMNS = ("Label", "Label colour")


def edition_charts() -> list[str]:
    return [i for i in ids() if i.startswith("e")]


def spec(fig_id: str, data_dir=None) -> dict:
    """The keyword arguments of the panel (chart, data, title, ...), without
    wrapping them: what ``build`` hands to ``sobook.charts.panel``."""
    if fig_id not in _BUILDERS:
        raise KeyError(f"no chart with id {fig_id!r} (known: {', '.join(ids())})")
    d = Path(data_dir) if data_dir is not None else sodata.DEFAULT_DATA_DIR
    out = _BUILDERS[fig_id](_Data(d))
    out["chart"] = out["chart"].properties(usermeta={"fig_id": fig_id})
    # the reader's table: what is drawn, without the columns that only style marks
    out["data"] = out["data"].drop(columns=[c for c in _PRESENTATION_COLUMNS if c in out["data"].columns])
    out["data"] = out["data"].reset_index(drop=True)
    return out


def build(fig_id: str, data_dir=None):
    """Build chart `fig_id` from the data in `data_dir` (default: the repo's data/)."""
    from sobook import charts

    return charts.panel(fig_id=fig_id, **spec(fig_id, data_dir))


# --------------------------------------------------------------------------
# data access


class _Data:
    """Resources of one data directory, each validated once per build."""

    def __init__(self, data_dir: Path):
        self.dir = data_dir
        self._cache: dict[str, pd.DataFrame] = {}

    def __call__(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = sodata.load(name, self.dir)
        return self._cache[name]

    def has(self, name: str) -> bool:
        return name in sodata.resource_names(self.dir)

    def with_outcomes(self, name: str) -> pd.DataFrame:
        """A resource together with its ``<name>_outcomes`` resource, if the
        package has one: the years after the report. The edition's data keeps
        them apart, so that the report's figures stay the report's; a data
        directory may as well hold them in the resource itself (see
        examples/outcomes-2021-2025), which extends the report's figures."""
        key = name + "+outcomes"
        if key not in self._cache:
            frames = [self(name)] + ([self(name + "_outcomes")] if self.has(name + "_outcomes") else [])
            self._cache[key] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return self._cache[key]


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
    try:
        from sobook.charts import PALETTE

        return list(PALETTE)
    except ImportError:  # charts.py not there yet: the same Okabe-Ito colours
        return ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]


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


def _title(fig_id: str, **kw) -> str:
    return _TITLES[fig_id].format(**kw)


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


# ==========================================================================
# the report's figures


@register("1-1", "China's service outsourcing executed value and growth, {years}")
def fig_1_1(D):
    ev = D("china_outsourcing_executed_value")
    vals = _from(_pick(ev, measure="executed_value", basis="US$", market=["offshore", "onshore"]), 2016)
    growth = _from(_pick(ev, measure="yoy_growth", basis="US$", market="total"), 2016)
    years = _span(2016, vals, growth)
    # one value per year and market: the report's where it has one, else a release or a derived value
    vals = _ranked(vals, ["period", "market"]).sort_values(["period", "market"])
    bars = _tidy(vals, "period", lambda r: r["market"].capitalize())
    g = _tidy(growth, "period", "Total: year-on-year growth (right axis)")
    df = pd.concat([bars, g], ignore_index=True)
    domain = ["Offshore", "Onshore", "Total: year-on-year growth (right axis)"]
    pal = _palette()
    colors = [pal[0], pal[1], pal[6]]
    left = _bars(bars, "Executed value (US$ billion)", years, domain, colors=colors)
    right = _points(g, "Growth of the total (%)", years, domain, colors=colors)
    chart = _finish(alt.layer(left, right).resolve_scale(y="independent"))
    t20 = _val(ev, period="2020", market="total", measure="executed_value", provenance="report")
    o20 = _val(ev, period="2020", market="offshore", measure="executed_value", provenance="report")
    cum = _one(ev, market="total", measure="cumulative_executed_value")
    cagr = _val(ev, period=cum["period"], market="total", measure="avg_annual_growth", provenance="report")
    span = cum["period"].replace("-", "–")
    off = set(vals.loc[vals["market"] == "offshore", "period"])
    on = set(vals.loc[vals["market"] == "onshore", "period"])
    pair = _pick(ev, market="total", measure="executed_value")
    pair = pair[pair["period"].str.contains(r"\+")]
    paired = set().union(*[p.split("+") for p in pair["period"]]) if len(pair) else set()
    totals = {r.period: r for r in _pick(ev, market="total", measure="executed_value", basis="US$").itertuples()}
    alt_only = [y for y in years if y in off and y not in on]
    offshore_only = [y for y in alt_only if y not in paired]
    only_total = [y for y in years if y not in off | on and y in totals]
    nothing = [y for y in years if y not in off | on and y not in totals]
    derived_off = sorted(vals.loc[(vals["market"] == "offshore") & (vals["provenance"] == "derived"), "period"])
    last = years[-1]
    later = ""
    if int(last) > 2020 and last in off:
        later = (f" In {last}, the latest year drawn, offshore executed value was "
                 f"{fmt(_ranked(_pick(vals, period=last, market='offshore'), ['period']).iloc[0]['value'], 'US$ billion')}.")
    notes = []
    for p in pair.itertuples():
        a, b = p.period.split("+")
        notes.append(
            f"The total for {a} and for {b} separately is not published: only their sum is known "
            f"({fmt(p.value, 'US$ billion')}, the report's five-year total minus the other three years), so the "
            f"onshore part of those two years is not drawn."
        )
    if offshore_only:
        notes.append(f"For {_list(offshore_only)} only the offshore value is known.")
    for y in only_total:
        notes.append(f"For {y} only the total is known ({fmt(totals[y].value, 'US$ billion', totals[y].qualifier)}), "
                     "not its offshore and onshore parts, so no bar is drawn.")
    if nothing:
        notes.append(f"Executed value in {_list(nothing)} is not known.")
    if derived_off:
        notes.append(f"Offshore values for {_list(derived_off)} are derived by the edition (see the data table for how).")
    notes.append("Onshore = total − offshore.")
    no_growth = _missing(years, g)
    if no_growth:
        notes.append(f"Growth of the total in {_list(no_growth)} is not known.")
    return dict(
        chart=chart,
        data=df,
        title=_title("1-1", years=_dash(years)),
        subtitle="Executed value by market, US$ billion (bars); year-on-year growth of the total, % in US$ terms (points)",
        source=f"{MOFCOM}, as given in the report; yearly values from MOFCOM releases as reprinted (see the data "
        "table); onshore values and some offshore values derived by the edition.",
        alt_text=(
            f"Stacked bars of offshore and onshore executed value. In 2020 the total was {fmt(t20, 'US$ billion')}, "
            f"of which offshore {fmt(o20, 'US$ billion')}; over {span} it summed to {fmt(cum['value'], 'US$ billion')}, "
            f"growing {fmt(cagr, '% per year')}.{later}"
            + (f" {_list(alt_only)} show offshore values only." if alt_only else "")
        ),
        caption_note=_sentences(*notes),
    )


@register("1-2", "Growth of China's offshore service outsourcing and of its services exports, {years}")
def fig_1_2(D):
    ev = D("china_outsourcing_executed_value")
    bm = D("china_growth_benchmarks")
    g = _from(_pick(ev, measure="yoy_growth", basis="US$", market="offshore"), 2016)
    avg_o = _pick(ev, measure="avg_annual_growth", market="offshore", basis="US$", provenance="report")
    avg_o = avg_o[avg_o["period"] == "2016-2020"]
    avg_s = _pick(bm, measure="avg_annual_growth", indicator="services_exports", basis="US$", period="2016-2020")
    years = _span(2016, g, until=2020)
    span = "2016–2020"
    bars = _tidy(g, "period", "Offshore outsourcing: year-on-year growth")
    rules = pd.concat(
        [
            _tidy(avg_o, lambda r: "2016", f"Offshore outsourcing: average {span}"),
            _tidy(avg_s, lambda r: "2016", f"Services exports: average {span}"),
        ],
        ignore_index=True,
    )
    rules["Year end"] = "2020"
    domain = [
        "Offshore outsourcing: year-on-year growth",
        f"Offshore outsourcing: average {span}",
        f"Services exports: average {span}",
    ]
    pal = _palette()
    colors = [pal[0], pal[6], VERMILLION_TEXT]  # its line carries a text label
    b = _bars(bars, "Growth (%, US$ terms)", years, domain, colors=colors)
    color, stroke = _color(domain, colors=colors)
    fill, dash = _status(pd.concat([bars, rules]))
    r = (
        alt.Chart(rules)
        .mark_rule(strokeWidth=3)
        .encode(
            x=_x(years),
            x2=alt.X2("Year end:O"),
            y=alt.Y("Value:Q"),
            color=color,
            strokeDash=dash,
            tooltip=_tooltip(),
        )
    )
    t = (
        alt.Chart(rules)
        .mark_text(align="left", dx=-20, dy=-7, fontSize=11)
        .encode(x=_x(years), y="Value:Q", text="Value (text):N", color=color, tooltip=_tooltip())
    )
    df = pd.concat([bars, rules.drop(columns=["Year end"])], ignore_index=True)
    chart = _finish(alt.layer(b, r, t).resolve_scale(strokeDash="shared"))
    ao, as_ = float(avg_o["value"].iloc[0]), float(avg_s["value"].iloc[0])
    lead = _val(ev, measure="avg_growth_lead_over_services_exports", period="2016-2020")
    derived = sorted(g.loc[g["provenance"] == "derived", "period"])
    unknown = _missing(years, bars)
    later = sorted(_after(bars["Year"]))
    return dict(
        chart=chart,
        data=df,
        title=_title("1-2", years=_dash(years)),
        subtitle=f"Year-on-year growth of offshore executed value (bars) and {span} averages (lines), %",
        source=f"{MOFCOM}, as given in the report; other yearly rates from releases as reprinted or derived by the "
        "edition (see the data table); the services-export average derived by the edition.",
        alt_text=(
            f"Offshore outsourcing grew {fmt(ao, '% per year')} on average in {span}, "
            f"{_num(lead)} points faster than services exports, whose implied average is {fmt(as_, '% per year')}. "
            "Bars show the yearly offshore growth rates"
            + (f", including {_list(later)}." if later else ".")
        ),
        caption_note=_sentences(
            f"The report gives only the five-year averages' gap ({_num(lead)} percentage points); the services-export "
            "average is derived from it. Yearly services-export growth in US$ is not in the sources, so it is not drawn.",
            f"Offshore growth in {_list(derived)} is derived from yearly values (see the data table)." if derived else "",
            f"Offshore growth in {_list(unknown)} is not known." if unknown else "",
        ),
    )


@register("1-3", "China's offshore service outsourcing against its exports of services, 2020")
def fig_1_3(D):
    xs = D("china_offshore_outsourcing_export_shares")
    rows = _pick(xs, period=["2020", "2016-2020"])
    names = {
        ("offshore", "services_exports", "share"): "Share of services exports",
        ("offshore", "digitally_deliverable_services_exports", "share"): "Share of digitally deliverable exports",
        ("offshore", "digitally_deliverable_services_exports", "contribution_to_growth"):
            "Contribution to digitally deliverable export growth",
        ("offshore", "services_exports", "contribution_to_growth"): "Contribution to services export growth",
        ("offshore_ito", "telecommunications_computer_and_information_services_exports", "share"):
            "ITO: share of telecom, computer & information exports",
        ("offshore_ito", "telecommunications_computer_and_information_services_exports", "contribution_to_growth"):
            "ITO: contribution to their growth",
    }

    def label(r):
        base = names[(r["numerator"], r["denominator"], r["measure"])]
        return base + (", 2015–2020" if r["period"] == "2016-2020" else ", 2020")

    df = _tidy(rows, label, lambda r: "Share" if r["measure"] == "share" else "Contribution to growth",
               x_name="Indicator")
    order = list(df.sort_values("Value", ascending=False)["Indicator"])
    domain = ["Share", "Contribution to growth"]
    color, stroke = _color(domain, title="Measure")
    chart = _finish(
        _labelled_bars(
            df,
            y=alt.Y("Indicator:N", sort=order, title=None, axis=_long_labels(380)),
            x=alt.X("Value:Q", title="Percent", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5)),
            tooltip=_tooltip("Indicator"),
            label="Label",
            color=color,
            stroke=stroke,
            text=dict(align="left", dx=4, fontSize=11),
        ),
        height=280,
    )
    dig = _val(xs, period="2020", numerator="offshore", denominator="digitally_deliverable_services_exports", measure="share")
    svc = _val(xs, period="2020", numerator="offshore", denominator="services_exports", measure="share")
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["1-3"],
        subtitle="Offshore executed value as a share of exports, and its contribution to their growth, %",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"In 2020 offshore service outsourcing equalled {fmt(dig, '% of total')} of China's exports of digitally "
            f"deliverable services and {fmt(svc, '% of total')} of all its services exports. Bars also show its "
            "contributions to export growth."
        ),
        caption_note=(
            "The report's Figure 1-3 plots the share in each year 2016–2020; its text gives only the 2020 share, so "
            "the yearly shares are not shown. Digitally deliverable services follow the WTO's definition (the "
            "report's note 1)."
        ),
    )


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


@register("1-4", "Structure of China's service outsourcing: ITO, BPO and KPO, {years}")
def fig_1_4(D):
    ty = D("china_outsourcing_by_type")
    rows = _from(_pick(ty, measure="share", market="total"), 2015)
    years = _span(2015, rows)
    # the published share where there is one; the derived one otherwise (2019 BPO)
    rows = _ranked(rows, ["period", "type"])
    rows = _by_type(rows)
    df, layers = _share_stack(_tidy(rows, "period", "type"), "Share of executed value (%)", years)
    chart = _finish(layers)
    s = {(r.period, r.type): r.value for r in rows.itertuples()}
    first, last = years[0], max(df["Year"])
    notes = []
    unknown = _missing(years, df)
    if unknown:
        notes.append(f"{_list(unknown)} {'is' if len(unknown) == 1 else 'are'} not known.")
    for y in sorted(set(rows.loc[rows["provenance"] == "derived", "period"])):
        der = _list(sorted(rows.loc[(rows["period"] == y) & (rows["provenance"] == "derived"), "type"]))
        total = sum(v for (p, _), v in s.items() if p == y)
        extra = ""
        if y == "2019" and len(_pick(ty, row_id="ty_kpo_2019")):
            extra = (f" (the KPO value, {fmt(_val(ty, row_id='ty_kpo_2019'), 'US$ billion')}, is "
                     f"{_num(_val(ty, row_id='ty_kpo_share_2019_check'))}% of the published total, not "
                     f"{_num(_val(ty, row_id='ty_kpo_share_2019'))}%)")
        notes.append(
            f"{y}: shares as published{extra}; {der} derived as the total minus the others, so the {y} column "
            f"adds up to {_num(round(total, 1))}%."
        )
    return dict(
        chart=chart,
        data=df,
        title=_title("1-4", years=_dash(years)),
        subtitle="Shares of Information Technology (ITO), Business Process (BPO) and Knowledge Process (KPO) "
        "Outsourcing in total executed value, %",
        source=f"{MOFCOM}, as given in the report; other years from releases as reprinted (see the data table); "
        "derived shares by the edition.",
        alt_text=(
            f"ITO's share fell from {_num(s[(first, 'ITO')])}% in {first} to {_num(s[(last, 'ITO')])}% in {last}, "
            f"while BPO rose from {_num(s[(first, 'BPO')])}% to {_num(s[(last, 'BPO')])}% and KPO from "
            f"{_num(s[(first, 'KPO')])}% to {_num(s[(last, 'KPO')])}%."
        ),
        caption_note=_sentences(*notes),
    )


@register("1-5", "New service outsourcing enterprises in China, {years}")
def fig_1_5(D):
    en = D("china_outsourcing_enterprises")
    rows = _ranked(_from(_pick(en, measure="new_enterprises", area="national"), 2016), ["period"])
    years = _span(2016, rows)
    df = _tidy(rows, "period", "New enterprises")
    bars = _bars(df, "New enterprises", years, ["New enterprises"])
    chart = _finish(alt.layer(bars, _labels(df, years)))
    tot = _one(en, measure="new_enterprises", period="2016-2020", area="national")
    total = float(tot["value"])
    end = _val(en, measure="enterprises_end_of_year", period="2020", area="national")
    five = df[df["Year"].isin(_years(2016, 2020))]
    below = [r["Year"] for _, r in five.iterrows() if r["Value"] < 5000]
    unknown = _missing(years, df)
    return dict(
        chart=chart,
        data=df,
        title=_title("1-5", years=_dash(years)),
        subtitle="Enterprises added each year",
        source=f"{MOFCOM}, as given in the report"
        + ("; later years from releases (see the data table)." if _after(df["Year"]) else "."),
        alt_text=(
            f"Between {int(df['Value'].min()):,} and {int(df['Value'].max()):,} service outsourcing enterprises were "
            f"added each year, {int(total):,} in 2016–2020; at the end of 2020 there were {int(end):,}."
        ),
        caption_note=_sentences(
            "The report says more than 5,000 were added a year; that holds for the five-year average "
            f"({_num(round(total / 5))}), not for {_list(below)}." if below else "",
            f"{_list(unknown)}: not known." if unknown else "",
        ),
    )


@register("1-6", "People employed in China's service outsourcing, {years}")
def fig_1_6(D):
    em = D("china_outsourcing_employment")
    stock = _ranked(_from(_pick(em, measure="employees_end_of_year", group="all"), 2015), ["period"])
    new = _ranked(_from(_pick(em, measure="new_employees", group="all"), 2015), ["period"])
    years = _span(2015, stock, new)
    a = _tidy(stock, "period", "Employed at the end of the year")
    b = _tidy(new, "period", "Newly employed in the year")
    df = pd.concat([a, b], ignore_index=True)
    domain = ["Employed at the end of the year", "Newly employed in the year"]
    bars = _bars(a, "Million people", years, domain)
    pts = _points(b, "Million people", years, domain, axis_orient="left", size=120)
    chart = _finish(alt.layer(bars, pts, _labels(a, years)))
    total_new = _val(em, measure="new_employees", group="all", period="2016-2020")
    grads = _val(em, measure="new_employees", group="new_graduates", period="2016-2020")
    e20 = _val(em, measure="employees_end_of_year", group="all", period="2020")
    g15 = _val(em, measure="growth_vs_2015", group="all", period="2020")
    last = a.iloc[a["Year"].astype(int).argmax()]
    unknown = _missing(years, a)
    derived = sorted(stock.loc[stock["provenance"] == "derived", "period"])
    return dict(
        chart=chart,
        data=df,
        title=_title("1-6", years=_dash(years)),
        subtitle="People employed at the end of the year (bars) and newly employed in the year (point), million",
        source=f"{MOFCOM}, as given in the report; other years from releases as reprinted (see the data table); "
        "2015 derived by the edition.",
        alt_text=(
            f"Service outsourcing employed {_num(e20)} million people at the end of 2020"
            + (f" and {_num(last['Value'])} million at the end of {last['Year']}" if int(last["Year"]) > 2020 else "")
            + f". Over 2016–2020, {_num(total_new)} million people were newly employed, {_num(grads)} million of "
            "them university graduates."
        ),
        caption_note=_sentences(
            "The report's Figure 1-6 shows new employees per year; the sources give a single year only for "
            f"{_list(list(b['Year']))} (the point), and {_num(total_new)} million for 2016–2020 as a whole."
            if len(b) else f"New employees per year are not in the sources ({_num(total_new)} million for 2016–2020).",
            f"End-of-year numbers for {_list(unknown)} are not known." if unknown else "",
            f"{_list(derived)} is derived from the 2020 number and its {_num(g15)}% growth since 2015." if derived == ["2015"]
            else (f"{_list(derived)}: derived (see the data table)." if derived else ""),
        ),
    )


@register("1-7", "China's service outsourcing for Belt and Road countries, {years}")
def fig_1_7(D):
    pm = D("china_outsourcing_partner_markets")
    val = _ranked(_from(_pick(pm, partner="Belt and Road countries", measure="executed_value"), 2015), ["period"])
    shr = _ranked(_from(_pick(pm, partner="Belt and Road countries", measure="share_of_offshore"), 2015), ["period"])
    years = _span(2015, val, shr, until=2020)
    a = _tidy(val, "period", "Executed value")
    b = _tidy(shr, "period", "Share of China's offshore executed value (right axis)")
    df = pd.concat([a, b], ignore_index=True)
    domain = ["Executed value", "Share of China's offshore executed value (right axis)"]
    pal = _palette()
    colors = [pal[2], pal[6]]
    left = alt.layer(_bars(a, "Executed value (US$ billion)", years, domain, colors=colors), _labels(a, years))
    right = _points(b, "Share of offshore (%)", years, domain, colors=colors).encode(
        y=alt.Y("Value:Q", title="Share of offshore (%)", scale=alt.Scale(domain=_y_domain(b["Value"], 0, 30, 0)),
                axis=alt.Axis(orient="right"))
    )
    chart = _finish(alt.layer(left, right).resolve_scale(y="independent"))
    cum = _val(pm, partner="Belt and Road countries", measure="cumulative_executed_value")
    cagr = _val(pm, partner="Belt and Road countries", measure="avg_annual_growth", provenance="report")
    v15, v20 = (_val(val, period=y) for y in ("2015", "2020"))
    unknown = _missing(years, a)
    return dict(
        chart=chart,
        data=df,
        title=_title("1-7", years=_years_text(list(a["Year"]))),
        subtitle="Executed value, US$ billion (bars); share of China's offshore executed value, % (points)",
        source=f"{MOFCOM}, as given in the report; shares derived by the edition from the report's values and "
        "MOFCOM's 2015 offshore total.",
        alt_text=(
            f"Executed value for Belt and Road countries rose from {fmt(v15, 'US$ billion')} in 2015 to "
            f"{fmt(v20, 'US$ billion')} in 2020 ({fmt(cagr, '% per year')}), {fmt(cum, 'US$ billion')} over 2016–2020."
        ),
        caption_note=_sentences(
            f"The sources give {_years_text(list(a['Year']))} only; {_list(unknown)} are not known." if unknown else "",
            "The report does not say what the share in its figure title is a share of; the shares here are of "
            "China's offshore executed value, computed by the edition.",
        ),
    )


@register("1-8", "New international certifications of China's service outsourcing enterprises, {years}")
def fig_1_8(D):
    ce = D("china_outsourcing_certifications")
    rows = _ranked(_from(_pick(ce, measure="new_certifications", certification="all_thirteen"), 2016), ["period"])
    years = _span(2016, rows)
    df = _tidy(rows, "period", "New certifications (thirteen types)")
    chart = _finish(alt.layer(_bars(df, "New certifications", years, ["New certifications (thirteen types)"]), _labels(df, years)))
    total = _val(ce, measure="new_certifications", certification="all_thirteen", period="2016-2020")
    held = _val(ce, measure="certifications_end_of_year", certification="all_thirteen", period="2020")
    peak = df.loc[df["Value"].idxmax()]
    unknown = _missing(years, df)
    return dict(
        chart=chart,
        data=df,
        title=_title("1-8", years=_dash(years)),
        subtitle="New certifications of the thirteen international types each year",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"Enterprises obtained {int(total):,} new international certifications over 2016–2020, most in "
            f"{peak['Year']} ({int(peak['Value']):,}); they held {int(held):,} at the end of 2020."
        ),
        caption_note=_sentences(
            "The thirteen: CMM, CMMI, People CMM, ISO/IEC 27001 / BS 7799, ISO/IEC 20000, ISO 9001, SAS 70, "
            "AAALAC, GLP, ITIL, COPC, SWIFT and BS 25999 (the report's note).",
            f"{_list(unknown)}: not known." if unknown else "",
        ),
    )


@register("1-9", "Executed value of the China Service Outsourcing Demonstration Cities, {years}")
def fig_1_9(D):
    dc = D("china_demonstration_cities")
    val = _ranked(_from(_pick(dc, measure="executed_value"), 2016), ["period"])
    shr = _ranked(_from(_pick(dc, measure="share_of_national"), 2016), ["period"])
    years = _span(2016, val, shr, until=2020)
    a = _tidy(val, "period", "Executed value of the 31 cities")
    b = _tidy(shr, "period", "Share of China's total executed value (right axis)")
    df = pd.concat([a, b], ignore_index=True)
    domain = ["Executed value of the 31 cities", "Share of China's total executed value (right axis)"]
    pal = _palette()
    colors = [pal[4], pal[6]]
    left = alt.layer(_bars(a, "Executed value (US$ billion)", years, domain, colors=colors), _labels(a, years))
    right = _points(b, "Share of China's total (%)", years, domain, colors=colors).encode(
        y=alt.Y("Value:Q", title="Share of China's total (%)", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(orient="right"))
    )
    chart = _finish(alt.layer(left, right).resolve_scale(y="independent"))
    v16, v20 = (_val(val, period=y) for y in ("2016", "2020"))
    cagr = _val(dc, measure="avg_annual_growth", provenance="report")
    unknown = _missing(years, a)
    return dict(
        chart=chart,
        data=df,
        title=_title("1-9", years=_years_text(list(a["Year"]))),
        subtitle="Executed value, US$ billion (bars); share of China's total executed value, % (points)",
        source=f"{MOFCOM}, as given in the report; shares derived by the edition.",
        alt_text=(
            f"The 31 demonstration cities' executed value rose from {fmt(v16, 'US$ billion')} in 2016 to "
            f"{fmt(v20, 'US$ billion')} in 2020, {fmt(cagr, '% per year')}."
        ),
        caption_note=_sentences(
            "The 31 cities are counted from 2016, when their number rose from 21 to 31"
            + (f"; {_list(unknown)} values are not known." if unknown else "."),
            "The cities' share of the national total is computed by the edition (2016 total from a MOFCOM "
            "release as reprinted).",
        ),
    )


@register("1-10", "Global offshore service outsourcing, {years}: estimates and forecast")
def fig_1_10(D):
    go = D("global_offshore_outsourcing")
    val = _ranked(_from(_pick(go, measure="executed_value"), 2015), ["period"])
    gr = _ranked(_from(_pick(go, measure="yoy_growth"), 2015), ["period"])
    years = _span(2015, val, gr, until=2025)
    a = _tidy(val, "period", "Executed value")
    b = _tidy(gr, "period", "Growth (right axis)")
    avg = _pick(go, measure="avg_annual_growth", provenance="report")
    c = _tidy(avg, lambda r: r["period"].split("-")[0], "Average annual growth (right axis)")
    c["Year end"] = [p.split("-")[1] for p in avg["period"]]
    domain = ["Executed value", "Growth (right axis)", "Average annual growth (right axis)"]
    pal = _palette()
    colors = [pal[0], pal[6], VERMILLION_TEXT]  # its line carries a text label
    left = alt.layer(_bars(a, "Executed value (US$ billion)", years, domain, colors=colors), _labels(a, years))
    color, stroke = _color(domain, colors=colors)
    fill, dash = _status(pd.concat([a, b, c]))
    y_r = alt.Y("Value:Q", title="Growth (%)", scale=alt.Scale(domain=_y_domain(list(b["Value"]) + list(c["Value"]), -5, 15)),
                axis=alt.Axis(orient="right"))
    pts = _points(b, "Growth (%)", years, domain, colors=colors).encode(y=y_r)
    rule = (
        alt.Chart(c)
        .mark_rule(strokeWidth=3)
        .encode(x=_x(years), x2="Year end:O", y=y_r, color=color, strokeDash=dash, tooltip=_tooltip())
    )
    rtext = (
        alt.Chart(c)
        .mark_text(dy=-8, fontSize=11)
        .encode(x=_x(years), y=y_r, text="Value (text):N", color=color, tooltip=_tooltip())
    )
    chart = _finish(alt.layer(left, alt.layer(pts, rule, rtext)).resolve_scale(y="independent"))
    df = pd.concat([a, b, c.drop(columns=["Year end"])], ignore_index=True)
    v20 = _one(go, measure="executed_value", period="2020")
    v25 = _one(go, measure="executed_value", period="2025")
    fc = _one(go, measure="avg_annual_growth", period="2021-2025", provenance="report")
    share = _val(go, measure="share_of_world_services_exports", period="2020")
    cum = _val(go, measure="cumulative_growth", period="2016-2020")
    unknown = _missing(years, a)
    later = _after(a.loc[a["Status"] != STATUS_LABEL["forecast"], "Year"])
    elsewhere = ""
    if "2021" in unknown and D.has("global_offshore_outsourcing_outcomes"):
        elsewhere = " (the estimate for 2021 published after the report is in Chart E14)"
    return dict(
        chart=chart,
        data=df,
        title=_title("1-10", years=_dash(years)),
        subtitle="Executed value, US$ billion (bars); growth, % (points and lines)",
        source=f"{CSORC}, as given in the report (2016–2020 estimates, 2021–2025 forecasts); other years from the "
        "Center's other reports as reprinted (see the data table); 2015 and 2020 growth derived by the edition.",
        alt_text=(
            f"The Center estimates global offshore service outsourcing at {fmt(v20['value'], 'US$ billion')} in 2020, "
            f"{_num(share)}% of world services exports, and forecasts {fmt(v25['value'], 'US$ billion', v25['qualifier'])} "
            f"for 2025, growing {fc['qualifier']} {_num(fc['value'])}% a year."
            + (f" Estimates published later are drawn for {_list(later)}." if later else "")
        ),
        caption_note=_sentences(
            f"Single years {_list(unknown)} are not given{elsewhere}." if unknown else "",
            f"2015 is derived from the 2020 estimate and its {_num(cum)}% growth since 2015.",
            "The 2019 and 2020 estimates come from two vintages of the Center's series; between them the value "
            "falls slightly.",
        ),
    )


@register("1-11", "Structure of global offshore service outsourcing: ITO, BPO and KPO, {years}")
def fig_1_11(D):
    gs = D("global_offshore_outsourcing_structure")
    rows = _from(gs, 2016)
    years = _span(2016, rows, until=2025)
    rows = _by_type(rows)
    df, layers = _share_stack(_tidy(rows, "period", "type"), "Share (%)", years)
    chart = _finish(layers)
    s = {(r.period, r.type): r.value for r in rows.itertuples()}
    present = sorted(set(df["Year"]))
    sums = {y: round(sum(v for (p, _), v in s.items() if p == y), 1) for y in present}
    off = [f"the {y} shares as printed add up to {_num(t)}%" for y, t in sums.items() if abs(t - 100) > 0.05]
    return dict(
        chart=chart,
        data=df,
        title=_title("1-11", years=_dash([present[0], years[-1]])),
        subtitle="Shares of ITO, BPO and KPO in global offshore service outsourcing, %",
        source=f"{CSORC}, as given in the report (2020 estimate, 2025 forecast); other years from the Center's "
        "other reports as reprinted (see the data table).",
        alt_text=(
            f"The Center expects ITO's share to rise from {_num(s[('2020', 'ITO')])}% in 2020 to "
            f"{_num(s[('2025', 'ITO')])}% in 2025 and KPO's from {_num(s[('2020', 'KPO')])}% to "
            f"{_num(s[('2025', 'KPO')])}%, while BPO's falls from {_num(s[('2020', 'BPO')])}% to {_num(s[('2025', 'BPO')])}%."
        ),
        caption_note=_sentences(
            f"Only {_list(present)} are given; the other years of the report's figure are not known.",
            (_list(off)[0].upper() + _list(off)[1:] + ".") if off else "",
        ),
    )


@register("1-12", "Large outsourcing contracts worldwide (ISG Index), {years}")
def fig_1_12(D):
    isg = D("isg_large_contracts")
    parts = ["ITO", "BPO", "as_a_service"]
    seg = _from(_pick(isg, measure="acv", segment=parts), 2016)
    # a year is drawn by segment only when all three segments are known
    split = {y for y in set(seg["period"]) if set(seg.loc[seg["period"] == y, "segment"]) >= set(parts)}
    seg = seg[seg["period"].isin(split)]
    comb = _from(_pick(isg, measure="acv", segment="combined", provenance=["report", "release", "derived"]), 2016)
    comb = comb[~comb["period"].isin(split)]
    comb = comb[comb["value_status"] != "forecast"]
    comb = _ranked(comb, ["period"])
    gr = _from(_pick(isg, measure="yoy_growth", segment="combined"), 2016)
    years = _span(2016, seg, comb, gr)
    names = {"ITO": "ITO", "BPO": "BPO", "as_a_service": "As-a-service (cloud)", "combined": "Combined (no split known)"}
    a = _tidy(pd.concat([seg, comb]), "period", lambda r: names[r["segment"]])
    b = _tidy(gr, "period", "Growth of the combined market (right axis)")
    domain = ["ITO", "BPO", "As-a-service (cloud)", "Combined (no split known)", "Growth of the combined market (right axis)"]
    pal = _palette()
    colors = [pal[0], pal[1], pal[2], pal[5], pal[6]]
    left = _bars(a, "Annual contract value (US$ billion)", years, domain, colors=colors).encode(
        order=alt.Order("Series:N", sort="ascending")
    )
    right = _points(b, "Growth (%)", years, domain, colors=colors).encode(
        y=alt.Y("Value:Q", title="Growth (%)", scale=alt.Scale(domain=_y_domain(b["Value"], 0, 20)),
                axis=alt.Axis(orient="right"))
    )
    chart = _finish(alt.layer(left, right).resolve_scale(y="independent"))
    df = pd.concat([a, b], ignore_index=True)
    v20 = _val(isg, measure="acv", segment="combined", period="2020", provenance="report")
    g20 = _val(isg, measure="yoy_growth", segment="combined", period="2020")
    v16 = _val(isg, measure="acv", segment="combined", period="2016")
    later = comb[comb["period"].map(int) > 2020].sort_values("period")
    unknown = _missing(years, a)
    derived = sorted(set(a.loc[a["Status"] == STATUS_LABEL["derived"], "Year"]))
    return dict(
        chart=chart,
        data=df,
        title=_title("1-12", years=_dash(years)),
        subtitle="Annual contract value of contracts of US$5 million a year or more, by segment, US$ billion (bars); "
        "growth, % (points)",
        source="ISG (Information Services Group), as given in the report (2020, ISG's January 2021 figures); other "
        "years from ISG's releases (see the data table); 2019 derived by the edition from the 2020 growth rates.",
        alt_text=(
            f"Large contracts were worth {fmt(v16, 'US$ billion')} in 2016 and {fmt(v20, 'US$ billion')} in 2020, up "
            f"{_num(g20)}% on 2019, more than half of it as-a-service (cloud) contracts."
            + (f" ISG's later figures: {_list([fmt(r.value, 'US$ billion') + ' in ' + r.period for r in later.itertuples()])}."
               if len(later) else "")
        ),
        caption_note=_sentences(
            f"{_list(unknown)} {'is' if len(unknown) == 1 else 'are'} not known." if unknown else "",
            f"{_list(derived)} values are implied by the following year's values and growth rates." if derived else "",
            "ISG later revised its series (its 2021 release implies about US$65 billion for 2020), so "
            + ("its figures after 2020 are not directly comparable with the report's." if len(later)
               else "other ISG figures are not directly comparable."),
        ),
    )


# ==========================================================================
# the edition's own charts


@register("e1", "Service outsourcing enterprises by region, end of 2020")
def chart_e1(D):
    en = D("china_outsourcing_enterprises")
    regions = ["east", "central", "west", "northeast"]
    rows = _pick(en, measure="enterprises_end_of_year", area=regions, period="2020")
    names = {"east": "East", "central": "Central", "west": "West", "northeast": "Northeast"}
    df = _tidy(rows, lambda r: names[r["area"]], "Enterprises", x_name="Region")
    rep = _pick(en, measure="share_of_national", area=regions, provenance="report")
    der = _pick(en, measure="share_of_national", area=regions, provenance="derived")
    df["Share (report)"] = [fmt(_val(rep, area=a), "% of total") for a in rows["area"]]
    df["Share (re-computed)"] = [fmt(_val(der, area=a), "% of total") for a in rows["area"]]
    order = [names[a] for a in regions]
    color, stroke = _color(["Enterprises"], legend=False)
    extra = [alt.Tooltip("Share (report):N"), alt.Tooltip("Share (re-computed):N")]
    chart = _finish(
        _labelled_bars(
            df,
            x=alt.X("Region:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Value:Q", title="Enterprises"),
            tooltip=_tooltip("Region", extra),
            label="Share (report)",
            color=color,
            stroke=stroke,
            text=dict(dy=-8, fontSize=11),
        )
    )
    total = _val(en, measure="enterprises_end_of_year", area="national", period="2020")
    east = _val(en, area="east", measure="enterprises_end_of_year")
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["e1"],
        subtitle="Number of service outsourcing enterprises; labels: share of the national total as the report gives it",
        source=f"{MOFCOM}, as given in the report; re-computed shares by the edition.",
        alt_text=(
            f"Of China's {int(total):,} service outsourcing enterprises at the end of 2020, {int(east):,} were in the "
            "east, far more than in the central, western and northeastern regions."
        ),
        caption_note=(
            f"The report gives the east's share as {df.loc[df['Region'] == 'East', 'Share (report)'].iloc[0]}; "
            f"its own numbers give {df.loc[df['Region'] == 'East', 'Share (re-computed)'].iloc[0]} (the four "
            f"shares as printed add up to {_num(round(rep['value'].sum(), 1))}%)."
        ),
    )


@register("e2", "The four provinces with the most service outsourcing enterprises, end of 2020")
def chart_e2(D):
    en = D("china_outsourcing_enterprises")
    provs = ["Jiangsu", "Guangdong", "Zhejiang", "Shandong"]
    rows = _pick(en, measure="enterprises_end_of_year", area=provs, period="2020")
    df = _tidy(rows, "area", "Enterprises", x_name="Province")
    shares = _pick(en, measure="share_of_national", area=provs)
    df["Share of national total (derived)"] = [fmt(_val(shares, area=a), "% of total") for a in rows["area"]]
    color, stroke = _color(["Enterprises"], legend=False, colors=[_palette()[2]])
    chart = _finish(
        _labelled_bars(
            df,
            y=alt.Y("Province:N", sort=provs, title=None),
            x=alt.X("Value:Q", title="Enterprises"),
            tooltip=_tooltip("Province", [alt.Tooltip("Share of national total (derived):N")]),
            label="Label",
            color=color,
            stroke=stroke,
            text=dict(align="left", dx=4, fontSize=11),
        ),
        height=220,
    )
    comb = _val(en, area="four_leading_provinces", measure="share_of_national", provenance="report")
    js = _val(en, area="Jiangsu", measure="enterprises_end_of_year")
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["e2"],
        subtitle=f"Number of enterprises; together {_num(comb)}% of the national total",
        source=f"{MOFCOM}, as given in the report; provincial shares derived by the edition.",
        alt_text=(
            f"Jiangsu had {int(js):,} service outsourcing enterprises, more than Guangdong, Zhejiang and Shandong "
            f"together; the four held {_num(comb)}% of the national total."
        ),
        caption_note=None,
    )


@register("e3", "New international certifications by type, 2016–2020")
def chart_e3(D):
    ce = D("china_outsourcing_certifications")
    rows = _pick(ce, measure="new_certifications", period="2016-2020")
    rows = rows[rows["certification"] != "all_thirteen"]
    names = {"other_nine": "The other nine types"}
    df = _tidy(rows, lambda r: names.get(r["certification"], r["certification"]), "New certifications", x_name="Certification")
    sh = _pick(ce, measure="share_of_new")
    df["Share of all new"] = [fmt(_val(sh, certification=c), "% of total") for c in rows["certification"]]
    order = list(df["Certification"])
    color, stroke = _color(["New certifications"], legend=False, colors=[_palette()[0]])
    chart = _finish(
        _labelled_bars(
            df,
            y=alt.Y("Certification:N", sort=order, title=None),
            x=alt.X("Value:Q", title="New certifications, 2016–2020"),
            tooltip=_tooltip("Certification", [alt.Tooltip("Share of all new:N")]),
            label="Share of all new",
            color=color,
            stroke=stroke,
            text=dict(align="left", dx=4, fontSize=11),
        ),
        height=240,
    )
    iso = _val(ce, certification="ISO 9001", measure="new_certifications")
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["e3"],
        subtitle="New certifications 2016–2020; labels: share of all new certifications",
        source=f"{MOFCOM}, as given in the report; 'the other nine types' derived by the edition.",
        alt_text=(
            f"ISO 9001 accounted for {int(iso):,} of the new certifications in 2016–2020, well ahead of ISO/IEC "
            "20000, ISO/IEC 27001 / BS 7799 and CMMI."
        ),
        caption_note="'The other nine types' is the total of all thirteen minus the four named types.",
    )


@register("e4", "China's four major partner markets, 2016–2020")
def chart_e4(D):
    pm = D("china_outsourcing_partner_markets")
    parts = ["United States", "Hong Kong SAR", "EU-27", "Japan"]
    cum = _pick(pm, partner=parts, measure="cumulative_executed_value")
    g = _pick(pm, partner=parts, measure="avg_annual_growth")
    a = _tidy(cum, "partner", "Cumulative executed value 2016–2020", x_name="Partner")
    b = _tidy(g, "partner", "Average annual growth (right axis)", x_name="Partner")
    domain = ["Cumulative executed value 2016–2020", "Average annual growth (right axis)"]
    pal = _palette()
    colors = [pal[0], pal[3]]
    left = alt.layer(
        _bars(a, "US$ billion, 2016–2020", parts, domain, x_name="Partner", colors=colors),
        _labels(a, parts, x_name="Partner"),
    )
    right = _points(b, "Average annual growth (%)", parts, domain, x_name="Partner", colors=colors).encode(
        y=alt.Y("Value:Q", title="Average annual growth (%)", scale=alt.Scale(domain=[0, 15]), axis=alt.Axis(orient="right"))
    )
    chart = _finish(alt.layer(left, right).resolve_scale(y="independent"))
    total = _val(pm, partner="four_major_partners", measure="cumulative_executed_value")
    share = _val(pm, partner="four_major_partners", measure="share_of_offshore", provenance="report")
    return dict(
        chart=chart,
        data=pd.concat([a, b], ignore_index=True),
        title=_TITLES["e4"],
        subtitle="Executed value summed over 2016–2020, US$ billion (bars); average annual growth, % (points)",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"Work for the United States, Hong Kong SAR, the EU-27 and Japan totalled {fmt(total, 'US$ billion')} "
            f"over 2016–2020 and {_num(share)}% of offshore executed value in 2020; the United States was the largest "
            "and grew slowest."
        ),
        caption_note="Yearly values for each partner are not in the sources.",
    )


@register("e5", "Belt and Road countries, ASEAN and Central and Eastern Europe, 2015 and 2020")
def chart_e5(D):
    pm = D("china_outsourcing_partner_markets")
    parts = ["Belt and Road countries", "ASEAN", "Central and Eastern Europe"]
    rows = _ranked(_pick(pm, partner=parts, measure="executed_value", period=["2015", "2020"]), ["partner", "period"])
    df = _tidy(rows, "partner", "period", x_name="Partner")
    extra = {}
    for p in parts:
        extra[p] = (
            fmt(_val(pm, partner=p, measure="cumulative_executed_value"), "US$ billion"),
            fmt(_val(pm, partner=p, measure="avg_annual_growth", provenance="report"), "% per year"),
        )
    df["Cumulative 2016–2020"] = [extra[p][0] for p in df["Partner"]]
    df["Average annual growth (report)"] = [extra[p][1] for p in df["Partner"]]
    domain = ["2015", "2020"]
    color, stroke = _color(domain, title="Year")
    fill, dash = _status(df)
    tt = _tooltip("Partner", [alt.Tooltip("Cumulative 2016–2020:N"), alt.Tooltip("Average annual growth (report):N")])
    y = alt.Y("Partner:N", sort=parts, title=None)
    x = alt.X("Value:Q", title="Executed value (US$ billion, log scale)", scale=alt.Scale(type="log", domain=[0.2, 30]))
    line = alt.Chart(df).mark_line(color="#999999").encode(y=y, x=x, detail="Partner:N", tooltip=tt)
    pts = (
        alt.Chart(df)
        .mark_point(filled=True, size=130, strokeWidth=2)
        .encode(y=y, x=x, color=color, stroke=stroke, fillOpacity=fill, strokeDash=dash, tooltip=tt)
    )
    left_txt = (
        alt.Chart(df[df["Series"] == "2015"])
        .mark_text(align="right", dx=-12, fontSize=11)
        .encode(y=y, x=x, text="Label:N", tooltip=tt)
    )
    right_txt = (
        alt.Chart(df[df["Series"] == "2020"])
        .mark_text(align="left", dx=12, fontSize=11)
        .encode(y=y, x=x, text="Label:N", tooltip=tt)
    )
    chart = _finish(alt.layer(line, pts, left_txt, right_txt), height=220)
    c15, c20 = (_val(pm, partner="Central and Eastern Europe", measure="executed_value", period=y) for y in ("2015", "2020"))
    cg = _val(pm, partner="Central and Eastern Europe", measure="avg_annual_growth", provenance="report")
    chk = _val(pm, partner="Central and Eastern Europe", measure="avg_annual_growth", provenance="derived")
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["e5"],
        subtitle="Executed value in 2015 and 2020, US$ billion (log scale)",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"Work for Central and Eastern Europe grew from {fmt(c15, 'US$ billion')} to {fmt(c20, 'US$ billion')} "
            f"({fmt(cg, '% per year')}), much faster than for ASEAN or Belt and Road countries as a whole."
        ),
        caption_note=(
            "The years 2016–2019 are not known. From the rounded end points Central and Eastern Europe's growth is "
            f"{fmt(chk, '% per year')}, not {fmt(cg, '% per year')}: within the rounding of a value printed as 3.3亿美元."
        ),
    )


@register("e6", "Fast-growing business lines, 2020 against 2015")
def chart_e6(D):
    nb = D("china_outsourcing_new_business_lines")
    names = {
        "human_resources_management": "Human resources management (BPO)",
        "internet_marketing": "Internet marketing (BPO)",
        "testing_and_inspection": "Testing and inspection (KPO)",
        "it_solutions": "IT solutions (ITO)",
        "new_generation_it_development_and_application": "New-generation IT development (ITO, base 2018)",
        "management_consulting": "Management consulting (KPO)",
    }
    rows = _pick(nb, measure="executed_value")
    df = _tidy(rows, lambda r: names[r["business_line"]], "period", x_name="Business line")
    info = {}
    for line in names:
        inc = _pick(nb, business_line=line, measure="increase_multiple_vs_2015")
        if len(inc):
            lvl = _val(nb, business_line=line, measure="level_multiple_vs_2015")
            rep = _val(nb, business_line=line, measure="avg_annual_growth", provenance="report")
            imp = _val(nb, business_line=line, measure="avg_annual_growth", provenance="derived")
            info[names[line]] = (
                f"增长{_num(float(inc['value'].iloc[0]))}倍 = {_num(lvl)} times the 2015 level",
                f"{fmt(rep, '% per year')} (report); {fmt(imp, '% per year')} implied by the multiple",
            )
        else:
            g = _val(nb, business_line=line, measure="growth_vs_2018")
            info[names[line]] = (f"{fmt(g, '% change')} on 2018", "—")
    df["Growth"] = [info[b][0] for b in df["Business line"]]
    df["Average annual growth"] = [info[b][1] for b in df["Business line"]]
    order = list(
        df[df["Series"] == "2020"].sort_values("Value", ascending=False)["Business line"]
    )
    domain = sorted(set(df["Series"]))
    pal = _palette()
    color, stroke = _color(domain, title="Year", colors=[pal[5], pal[1], pal[0]][-len(domain):] if len(domain) <= 3 else None)
    fill, dash = _status(df)
    tt = _tooltip("Business line", [alt.Tooltip("Growth:N"), alt.Tooltip("Average annual growth:N")])
    chart = _finish(
        alt.Chart(df)
        .mark_bar(strokeWidth=1.5)
        .encode(
            y=alt.Y("Business line:N", sort=order, title=None, axis=_long_labels(330)),
            yOffset=alt.YOffset("Series:N", sort=domain),
            x=alt.X("Value:Q", title="Executed value (US$ billion)", axis=alt.Axis(tickCount=6)),
            color=color,
            stroke=stroke,
            fillOpacity=fill,
            strokeDash=dash,
            tooltip=tt,
        ),
        height=320,
    )
    hr = _val(nb, business_line="human_resources_management", measure="executed_value", period="2020")
    hrl = _val(nb, business_line="human_resources_management", measure="level_multiple_vs_2015")
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["e6"],
        subtitle="Executed value in 2020 (reported) and in 2015 (implied by the report's growth multiple), US$ billion",
        source=f"{MOFCOM}, as given in the report; 2015 (and 2018) values derived by the edition.",
        alt_text=(
            f"Human resources management outsourcing reached {fmt(hr, 'US$ billion')} in 2020, {_num(hrl)} times its "
            "2015 level; five other business lines grew four- to eightfold or, for new-generation IT, nearly tripled "
            "from 2018."
        ),
        caption_note=(
            "The report's '比2015年增长X倍' is read as an increase BY X times (2020 = (1 + X) × 2015): that reading "
            "matches the average annual growth it states beside each figure, the other does not. The 2015 values "
            "are implied by that reading, not published."
        ),
    )


@register("e7", "Entry thresholds of China's Top-500 and Top-100 service outsourcing enterprises, 2015 and 2020")
def chart_e7(D):
    th = D("china_top_enterprise_thresholds")
    names = {
        "top100_total": "Top 100, total executed value",
        "top100_offshore": "Top 100, offshore",
        "top100_ito": "Top 100, ITO",
        "top100_kpo": "Top 100, KPO",
        "top100_bpo": "Top 100, BPO",
        "top500_total": "Top 500, total executed value",
        "top500_offshore": "Top 500, offshore",
    }
    rows = _pick(th, measure="entry_threshold")
    df = _tidy(rows, lambda r: names[r["ranking"]], "period", x_name="Ranking")
    order = list(names.values())
    color, stroke = _color(["2015", "2020"], title="Year")
    fill, dash = _status(df)
    tt = _tooltip("Ranking")
    y = alt.Y("Ranking:N", sort=order, title=None, axis=_long_labels(260))
    x = alt.X("Value:Q", title="Entry threshold (US$ million executed value)")
    line = alt.Chart(df).mark_line(color="#999999").encode(y=y, x=x, detail="Ranking:N", tooltip=tt)
    pts = (
        alt.Chart(df)
        .mark_point(filled=True, size=110, strokeWidth=2)
        .encode(y=y, x=x, color=color, stroke=stroke, fillOpacity=fill, strokeDash=dash, tooltip=tt)
    )
    chart = _finish(alt.layer(line, pts), height=280)
    a, b = (_val(th, ranking="top500_total", measure="entry_threshold", period=y) for y in ("2015", "2020"))
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["e7"],
        subtitle="Executed value of the smallest enterprise in each ranking, US$ million",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"Every threshold rose between 2015 and 2020; the Top 500 by total executed value went from "
            f"{fmt(a, 'US$ million')} to {fmt(b, 'US$ million')}."
        ),
        caption_note="Values given in the report as 万美元 or 亿美元, converted to US$ million.",
    )


@register("e8", "Large outsourcing contracts worldwide by segment (ISG Index), 2020")
def chart_e8(D):
    isg = D("isg_large_contracts")
    segs = ["ITO", "BPO", "as_a_service", "IaaS", "SaaS"]
    names = {"ITO": "ITO", "BPO": "BPO", "as_a_service": "As-a-service (cloud)", "IaaS": "  of which IaaS", "SaaS": "  of which SaaS"}
    rows = _pick(isg, measure="acv", period="2020", segment=segs)
    df = _tidy(rows, lambda r: names[r["segment"]], lambda r: "Cloud part" if r["segment"] in ("IaaS", "SaaS") else "Segment",
               x_name="Segment")
    gr = _pick(isg, measure="yoy_growth", period="2020", segment=segs)
    df["Growth on 2019"] = [fmt(_val(gr, segment=s), "% change") for s in rows["segment"]]
    order = [names[s] for s in segs]
    pal = _palette()
    color, stroke = _color(["Segment", "Cloud part"], title="Level", colors=[pal[0], pal[5]])
    chart = _finish(
        _labelled_bars(
            df,
            y=alt.Y("Segment:N", sort=order, title=None),
            x=alt.X("Value:Q", title="Annual contract value (US$ billion)"),
            tooltip=_tooltip("Segment", [alt.Tooltip("Growth on 2019:N")]),
            label="Growth on 2019",
            color=color,
            stroke=stroke,
            text=dict(align="left", dx=4, fontSize=11),
        ),
        height=240,
    )
    bpo = _val(isg, segment="BPO", measure="yoy_growth", period="2020")
    x = _val(isg, segment="as_a_service", measure="acv", period="2020")
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["e8"],
        subtitle="Annual contract value of contracts of US$5 million a year or more, US$ billion; labels: growth on 2019",
        source="ISG (Information Services Group), as given in the report (ISG's January 2021 figures).",
        alt_text=(
            f"In 2020 as-a-service (cloud) contracts were worth {fmt(x, 'US$ billion')}, more than ITO and BPO "
            f"together; BPO fell {_num(abs(bpo))}%."
        ),
        caption_note="IaaS and SaaS are parts of the as-a-service segment, not added to it.",
    )


@register("e9", "Offshore outsourcing by the United States, the EU and Japan: forecasts for 2025")
def chart_e9(D):
    df_ = D("offshore_outsourcing_demand_forecasts")
    clients = ["EU", "United States", "Japan"]
    rows = _pick(df_, measure="offshore_outsourcing_value", client=clients)
    df = _tidy(rows, "client", lambda r: "2025 forecast" if r["period"] == "2025" else "2020 (implied by the forecast)",
               x_name="Client economy")
    g = _pick(df_, measure="avg_annual_growth", client=clients)
    df["Average annual growth 2021–2025 (forecast)"] = [fmt(_val(g, client=c), "% per year", "about") for c in rows["client"]]
    domain = ["2020 (implied by the forecast)", "2025 forecast"]
    pal = _palette()
    chart = _finish(
        _bars(df, "Offshore outsourcing contracted out (US$ billion)", clients, domain, x_name="Client economy",
              stack=False, offset=True, colors=[pal[5], pal[0]],
              extra_tt=[alt.Tooltip("Average annual growth 2021–2025 (forecast):N")])
    )
    eu = _val(df_, client="EU", period="2025", measure="offshore_outsourcing_value")
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["e9"],
        subtitle="Value of offshore outsourcing contracted out, US$ billion",
        source=f"{CSORC}, as given in the report (forecasts); 2020 values implied by the forecasts, derived by the edition.",
        alt_text=(
            f"The Center forecasts the EU to contract out {fmt(eu, 'US$ billion')} of offshore outsourcing in 2025, "
            "far more than the United States or Japan."
        ),
        caption_note=(
            "The report gives 2025 values and average growth rates ('about'); the 2020 values are what those imply "
            "(2025 value ÷ (1 + rate)⁵), not published figures. Actual values for 2021–2025 were not found."
        ),
    )


@register("e10", "China's green and low-carbon investment needs by sector, 2021–2050")
def chart_e10(D):
    gr = D("green_low_carbon_investment_needs")
    rows = _pick(gr, measure="investment_need", provenance="report")
    rows = rows[rows["sector"] != "total"]
    df = _tidy(rows, lambda r: r["sector"].capitalize(), "Investment need", x_name="Sector")
    order = list(df.sort_values("Value", ascending=False)["Sector"])
    color, stroke = _color(["Investment need"], legend=False, colors=[_palette()[2]])
    chart = _finish(
        _labelled_bars(
            df,
            y=alt.Y("Sector:N", sort=order, title=None),
            x=alt.X("Value:Q", title="RMB trillion, 2021–2050 cumulative"),
            tooltip=_tooltip("Sector"),
            label="Label",
            color=color,
            stroke=stroke,
            text=dict(align="left", dx=4, fontSize=11),
        ),
        height=240,
    )
    tot = _one(gr, sector="total", provenance="report")
    inc = _val(gr, sector="outsourcing_increment")
    return dict(
        chart=chart,
        data=df,
        title=_TITLES["e10"],
        subtitle="Cumulative investment need 2021–2050 by sector, RMB trillion (forecast)",
        source="China Society for Finance and Banking (中国金融学会), forecast as cited in the report.",
        alt_text=(
            f"Of {fmt(tot['value'], 'RMB trillion', tot['qualifier'])} of green and low-carbon investment China needs "
            "in 2021–2050, power and environmental infrastructure need the most; the report expects "
            f"{fmt(inc, 'RMB trillion')} of additional service outsourcing from it."
        ),
        caption_note="The six sectors add up to RMB 300 trillion; the text says 'nearly 300'.",
    )


@register("e11", "China's offshore executed value before and after the report, {years}")
def chart_e11(D):
    ev = D.with_outcomes("china_outsourcing_executed_value")
    rows = _from(_pick(ev, measure="executed_value", market="offshore", basis="US$"), 2015)
    years = _span(2015, rows)
    rows = _ranked(rows, ["period"]).sort_values("period")
    df = _tidy(rows, "period", lambda r: "Covered by the report" if int(r["period"]) <= 2020 else "After the report (releases)")
    domain = ["Covered by the report", "After the report (releases)"]
    chart = _finish(alt.layer(_bars(df, "Offshore executed value (US$ billion)", years, domain), _labels(df, years)))
    v20 = _val(ev, period="2020", market="offshore", measure="executed_value", provenance="report")
    last = df.iloc[-1]
    notes = []
    for y in _missing(years, df):
        rmb = _pick(ev, measure="executed_value", market="offshore", basis="RMB", period=y)
        rmb = rmb[rmb["provenance"] != "derived"]
        notes.append(
            f"The {y} value in US$ was not found"
            + (f" (in RMB it was {fmt(float(rmb['value'].iloc[0]), 'RMB billion')})." if len(rmb) else ".")
        )
    derived = sorted(rows.loc[rows["provenance"] == "derived", "period"])
    if derived:
        notes.append(f"Values for {_list(derived)} are derived, as in Figure 1-1.")
    return dict(
        chart=chart,
        data=df,
        title=_title("e11", years=_dash(years)),
        subtitle="Offshore executed value, US$ billion",
        source=f"{MOFCOM}: the report to 2020, releases as reprinted afterwards (see the data table).",
        alt_text=(
            f"Offshore executed value rose from {fmt(v20, 'US$ billion')} in 2020 to {last['Value (text)']} in "
            f"{last['Year']}."
        ),
        caption_note=_sentences(*notes),
    )


@register("e12", "Did offshore outsourcing outgrow services exports? {years}")
def chart_e12(D):
    ev = D.with_outcomes("china_outsourcing_executed_value")
    bm = D.with_outcomes("china_growth_benchmarks")
    after = lambda df: df[df["period"].map(lambda p: int(str(p)[:4]) > 2020 and (_is_year(p) or " " in p))]  # noqa: E731
    off = after(_pick(ev, measure="yoy_growth", market="offshore", basis="RMB"))
    sx = after(_pick(bm, measure="yoy_growth", indicator="services_exports", basis="RMB"))
    a = _tidy(off, "period", "Offshore outsourcing executed value")
    b = _tidy(sx, "period", "Services exports")
    df = pd.concat([a, b], ignore_index=True)
    full = _span(2021, off, sx)
    parts = sorted({p for p in df["Year"] if not _is_year(p)})
    years = full + parts
    domain = ["Offshore outsourcing executed value", "Services exports"]
    pal = _palette()
    chart = _finish(
        _bars(df, "Year-on-year growth (%, RMB terms)", years, domain, stack=False, offset=True, colors=[pal[0], pal[3]])
    )
    ia, ib = a.set_index("Year")["Value"], b.set_index("Year")["Value"]
    both = [y for y in full if y in ia.index and y in ib.index]
    faster = [y for y in both if ia[y] > ib[y]]
    slower = [y for y in both if ia[y] <= ib[y]]
    fell = [y for y in both if ib[y] < 0 <= ia[y]]
    no_off = [y for y in full if y not in ia.index]
    no_sx = [y for y in full if y not in ib.index]
    part_txt = [f"{p.split(' ')[1].replace('-', '–')} {p.split(' ')[0]}" for p in parts]
    return dict(
        chart=chart,
        data=df,
        title=_title("e12", years=_dash(full)),
        subtitle="Year-on-year growth in RMB terms, % — the report expected offshore outsourcing to grow faster",
        source=f"{MOFCOM} figures in releases as reprinted; services exports from People's Daily Online, CGTN, "
        "Global Times and CCTV (see the data table).",
        alt_text=(
            "Offshore outsourcing grew faster than services exports in "
            + (_list(faster) if faster else "none of the years with both figures")
            + (f" and more slowly in {_list(slower)}" if slower else "")
            + (f"; services exports fell in {_list(fell)} while offshore outsourcing grew." if fell else ".")
        ),
        caption_note=_sentences(
            f"Offshore growth in RMB for {_list(no_off)} was not found." if no_off else "",
            f"Services-export growth for {_list(no_sx)} was not found"
            + (f" (the figure for {_list(part_txt)} covers those months only)." if part_txt else ".") if no_sx else "",
            "Services-export rates do not all state their currency; they are taken to be in RMB, as MOFCOM's "
            "headline rates are.",
        ),
    )


@register("e13", "China's offshore service outsourcing by type after the report, {years}")
def chart_e13(D):
    ty = D.with_outcomes("china_outsourcing_by_type")
    rows = _ranked(_from(_pick(ty, measure="executed_value", market="offshore", basis="RMB"), 2021), ["period", "type"])
    years = _span(2021, rows)
    order = {"ITO": 0, "BPO": 1, "KPO": 2}
    rows = rows.sort_values(["period", "type"], key=lambda s: s.map(order) if s.name == "type" else s)
    df = _tidy(rows, "period", "type")
    chart = _finish(
        _bars(df, "Offshore executed value (RMB billion)", years, ["ITO", "BPO", "KPO"]).encode(
            order=alt.Order("Series:N", sort="ascending")
        )
    )
    last = max(df["Year"])
    k, i = _val(rows, type="KPO", period=last), _val(rows, type="ITO", period=last)
    lead, trail = (("KPO", k), ("ITO", i)) if k >= i else (("ITO", i), ("KPO", k))
    unknown = _missing(years, df)
    return dict(
        chart=chart,
        data=df,
        title=_title("e13", years=_dash(years)),
        subtitle="Offshore executed value by type, RMB billion",
        source=f"{MOFCOM} figures in releases as reprinted (see the data table).",
        alt_text=(
            f"In {last} {lead[0]} ({fmt(lead[1], 'RMB billion')}) was larger than {trail[0]} "
            f"({fmt(trail[1], 'RMB billion')}) in China's offshore outsourcing, with BPO well behind."
        ),
        caption_note=_sentences(
            f"{_list(unknown)} {'was' if len(unknown) == 1 else 'were'} not found." if unknown else "",
            "These are offshore values in RMB; the report's 2015 and 2020 split (Figure 1-4) is of the total in US$, "
            "so the two are not comparable.",
        ),
    )


@register("e14", "Global offshore service outsourcing: forecast and outcome, {years}")
def chart_e14(D):
    go = D.with_outcomes("global_offshore_outsourcing")
    rows = _from(_pick(go, measure="executed_value"), 2019)
    rows = rows[rows["provenance"] != "derived"]
    years = _span(2019, rows, until=2025)

    def series(r):
        if r["provenance"] == "report":
            return "The report"
        return "Earlier estimate (2019 report)" if int(r["period"]) <= 2020 else "Later estimate (later reports)"

    df = _tidy(rows, "period", series)
    domain = [d for d in ("Earlier estimate (2019 report)", "The report", "Later estimate (later reports)")
              if d in set(df["Series"])]
    chart = _finish(alt.layer(_bars(df, "Executed value (US$ billion)", years, domain), _labels(df, years)))
    f25 = _one(go, measure="executed_value", period="2025", value_status="forecast")
    later = rows[(rows["period"].map(int) > 2020) & (rows["value_status"] != "forecast")].sort_values("period")
    if len(later):
        v = later.iloc[-1]
        g = _pick(go, measure="yoy_growth", period=v["period"])
        alt_text = (
            f"A later report put {v['period']} at {fmt(v['value'], 'US$ billion', v['qualifier'])}"
            + (f" ({fmt(float(g['value'].iloc[0]), '% change')})" if len(g) else "")
            + f", against the report's forecast of {fmt(f25['value'], 'US$ billion', f25['qualifier'])} for 2025."
        )
    else:
        alt_text = (f"The report forecasts {fmt(f25['value'], 'US$ billion', f25['qualifier'])} for 2025; no later "
                    "estimate is in the data.")
    unknown = [y for y in _missing(years, df) if int(y) > 2020]
    return dict(
        chart=chart,
        data=df,
        title=_title("e14", years=_dash(years)),
        subtitle="Global offshore service outsourcing executed value, US$ billion",
        source=f"{CSORC}, as given in the report (2020 estimate, 2025 forecast); other years from the Center's "
        "other reports as reprinted (see the data table).",
        alt_text=alt_text,
        caption_note=_sentences(
            f"No global estimate was found for {_list(unknown)}." if unknown else "",
            "Estimates of different years come from different editions of the Center's reports, which may revise "
            "earlier years.",
        ),
    )


@register("e15", "Large outsourcing contracts worldwide (ISG Index): forecast and outcome, {years}")
def chart_e15(D):
    isg = D.with_outcomes("isg_large_contracts")
    rows = _from(_pick(isg, measure="acv", segment="combined"), 2016)
    period_of = dict(zip(isg["row_id"], isg["period"]))

    def revised(r):
        """A derived value for a year up to 2020 computed from later figures:
        that year as a later vintage of the series has it."""
        if r["provenance"] != "derived" or int(r["period"]) > 2020:
            return False
        return any(_is_year(period_of.get(n, "")) and int(period_of[n]) > 2020 for n in sodata.formula_names(r["formula"]))

    is_rev = rows.apply(revised, axis=1).astype(bool)
    rows = rows[is_rev | (rows["provenance"] != "derived")]
    rev_years = set(rows.loc[is_rev[rows.index], "period"])
    years = _span(2016, rows, until=2025)

    def vintage(r):
        if revised(r):
            return f"ISG, later vintage ({r['period']} implied by its later release)"
        if int(r["period"]) > 2020 and r["value_status"] != "forecast":
            return "ISG, later vintage"
        if r["provenance"] == "release":
            return "ISG release, 2017"
        return "The report (ISG January 2021 vintage; CSORC forecast)"

    df = _tidy(rows, lambda r: f"{r['period']} (revised)" if revised(r) else r["period"], vintage)
    for y in sorted(rev_years, reverse=True):
        years.insert(years.index(y) + 1, f"{y} (revised)")
    domain = [
        "ISG release, 2017",
        "The report (ISG January 2021 vintage; CSORC forecast)",
        *sorted(d for d in set(df["Series"]) if d.startswith("ISG, later vintage (")),
        "ISG, later vintage",
    ]
    domain = [d for d in domain if d in set(df["Series"])]
    pal = _palette()
    chart = _finish(
        alt.layer(
            _bars(df, "Annual contract value (US$ billion)", years, domain,
                  colors=[pal[5], pal[0], pal[1], pal[3]][: len(domain)]),
            _labels(df, years),
        )
    )
    f25 = _one(isg, period="2025", measure="acv", value_status="forecast")
    later = rows[(rows["period"].map(int) > 2020) & (rows["value_status"] != "forecast")].sort_values("period")
    measured = _list([f"{fmt(r.value, 'US$ billion')} in {r.period}" for r in later.itertuples()])
    above = [r.period for r in later.itertuples() if r.value >= f25["value"]]
    unknown = [y for y in _missing(years, df) if _is_year(y)]
    return dict(
        chart=chart,
        data=df,
        title=_title("e15", years=_dash([y for y in years if _is_year(y)])),
        subtitle="Annual contract value of large contracts (US$5 million a year or more), US$ billion",
        source="ISG (Information Services Group) releases; the report (2020 and the China Service Outsourcing "
        "Research Center's 2025 forecast).",
        alt_text=(
            (f"ISG measured {measured}" if len(later) else "No ISG figure after 2020 is in the data")
            + (f"; from {above[0]} that was above the report's forecast of "
               f"{fmt(f25['value'], 'US$ billion', f25['qualifier'])} for 2025, but ISG had revised its series "
               "upwards in between." if above else
               f"; the report forecast {fmt(f25['value'], 'US$ billion', f25['qualifier'])} for 2025.")
        ),
        caption_note=_sentences(
            "Two vintages: the report's 2020 value is ISG's January 2021 figure, while ISG's 2021 release implies "
            "about US$65 billion for 2020. Compare later years with that revised 2020, not with the report's."
            if rev_years else "",
            f"{_list(unknown)} are not shown (2019 is in Figure 1-12)." if unknown else "",
        ),
    )


@register("e16", "People employed in China's service outsourcing, {years}")
def chart_e16(D):
    em = D.with_outcomes("china_outsourcing_employment")
    rows = _ranked(_from(_pick(em, measure="employees_end_of_year", group="all"), 2015), ["period"])
    years = _span(2015, rows)
    df = _tidy(rows, "period", lambda r: "Covered by the report" if int(r["period"]) <= 2020 else "After the report (releases)")
    domain = ["Covered by the report", "After the report (releases)"]
    chart = _finish(alt.layer(_bars(df, "Million people, end of year", years, domain), _labels(df, years)))
    fc = _one(em, measure="new_employees", period="2021-2025")
    e20 = _val(em, measure="employees_end_of_year", group="all", period="2020")
    last = rows.loc[rows["period"].map(int).idxmax()]
    change = (
        f"Employment rose from {_num(e20)} million at the end of 2020 to {_num(last['value'])} million in "
        f"{last['period']}, {_num(round(last['value'] - e20, 3))} million more, against"
        if int(last["period"]) > 2020 else f"Employment was {_num(e20)} million at the end of 2020; compare"
    )
    return dict(
        chart=chart,
        data=df,
        title=_title("e16", years=_dash(years)),
        subtitle="People employed in service outsourcing at the end of the year, million",
        source=f"{MOFCOM}: the report and releases as reprinted (see the data table); 2015 derived by the edition.",
        alt_text=(
            f"{change} the report's forecast of {fmt(fc['value'], 'million persons', fc['qualifier'])} new employees "
            "in 2021–2025."
        ),
        caption_note=_sentences(
            f"Not known: {_list(_missing(years, df))}." if _missing(years, df) else "",
            "The increase in the number employed is not the same as new hires (people also leave), so the "
            "comparison with the forecast is rough.",
        ),
    )


@register("e17", "ITO, BPO and KPO: the global forecast for 2025 and China's offshore split, {years}")
def chart_e17(D):
    gs = D("global_offshore_outsourcing_structure")
    ty = D.with_outcomes("china_outsourcing_by_type")
    world = _from(gs, 2020)
    china = _from(_pick(ty, measure="share", market="offshore", basis="RMB"), 2021)
    def bar(r):
        """'World 2025' or 'China 2021': the value status tells estimate from forecast."""
        return f"{'China' if r.get('market') == 'offshore' else 'World'} {r['period']}"

    rows = _by_type(pd.concat([world, china], ignore_index=True))
    cats = [bar(r) for _, r in world.sort_values("period").iterrows()] + [
        bar(r) for _, r in china.sort_values("period").iterrows()
    ]
    cats = list(dict.fromkeys(cats))
    # two-line labels ("World" over "2025"), so that they fit a phone's width
    x = alt.X("Bar:O", scale=alt.Scale(domain=cats), sort=cats,
              axis=alt.Axis(labelAngle=0, title=None, labelExpr="split(datum.label, ' ')"))
    df, layers = _share_stack(_tidy(rows, bar, "type", x_name="Bar"), "Share (%)", cats, x_name="Bar", x=x)
    chart = _finish(layers, height=320)
    w25 = {r.type: r.value for r in world[world["period"] == "2025"].itertuples()}
    ratio = lambda d: ":".join(_num(d[t]) for t in TYPES)  # noqa: E731
    years = sorted(set(world["period"]) | set(china["period"]))
    if len(china):
        cy = max(china["period"])
        c = {r.type: r.value for r in china[china["period"] == cy].itertuples()}
        alt_text = (f"The report expects global offshore outsourcing to split {ratio(w25)} between ITO, BPO and KPO "
                    f"by 2025; China's own offshore outsourcing split {ratio(c)} in {cy}.")
    else:
        alt_text = f"The report expects global offshore outsourcing to split {ratio(w25)} between ITO, BPO and KPO by 2025."
    return dict(
        chart=chart,
        data=df,
        title=_title("e17", years=_dash(years)),
        subtitle="Shares of ITO, BPO and KPO, %: World = global offshore outsourcing (the report's estimate and "
        "forecast); China = China's offshore outsourcing (releases; shares computed from RMB values)",
        source=f"{CSORC}, as given in the report (world); {MOFCOM} figures in releases as reprinted (China; shares "
        "computed by the edition).",
        alt_text=alt_text,
        caption_note=_sentences(
            "No global split after 2020 was found, so the forecast cannot be checked; China's split is shown "
            "beside it only as a pointer. It is China's offshore outsourcing alone, in RMB, not the global market.",
            f"China {_list(_missing(_years(2021, int(max(china['period']))), china.assign(Year=china['period'])) )}: "
            "not found." if len(china) and _missing(_years(2021, int(max(china["period"]))), china.assign(Year=china["period"])) else "",
        ),
    )
