"""Looking back: the edition's Charts E11–E17, what happened after the report, 2021–2025.

Each chart that judges a forecast draws it: the report's forecast or target
as a dashed path (or a hollow, dashed bar) and the outcomes against it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from sobook import statements as st
from sobook.charts.marks import (
    CSORC,
    FIT_NARROW,
    GAPS,
    MOFCOM,
    NOT_FOUND,
    SIZE,
    STATUS_LABEL,
    TYPES,
    bar_layer,
    by_type,
    by_width,
    finish,
    forecast_path,
    gap_mark,
    gaps_note,
    is_year_label,
    join_sentences,
    label_layer,
    label_num,
    missing_years,
    np_layer,
    number,
    one_row,
    path_sides,
    pick_rows,
    ranked,
    relabel,
    revisions,
    revisions_text,
    row_value,
    series_colour,
    series_legend,
    share_stack,
    stacked,
    status_marks,
    text_width,
    tidy,
    tooltips,
    top_layer,
    word_list,
    x_year,
    year_list,
    year_range,
    year_span,
    years_from,
)
from sobook.charts.registry import chart_title, register
from sobook.charts.theme import COLOURS, INK, MUTED, TEXT
from sobook.text import quantity

# series by period, not by who published them (the table's Status and Source columns say that)
EARLY, LATER, FORECAST = "Up to 2020", "Published after the report", "The report's forecast"
CONCEPTS = {EARLY: "neutral", LATER: "later", FORECAST: "forecast"}


def _inside_top(df, x, scale):
    """Value labels just inside the top of each bar (white on solid dark
    bars, ink on hollow ones), so that a path or point above stays clear."""
    d = df.copy()
    d["Label colour"] = ["light" if (c in (EARLY, LATER) and stt == STATUS_LABEL["reported"]) else "dark"
                         for c, stt in zip(d["Series"], d["Status"])]
    return label_layer(d, x, alt.Y("Value:Q", scale=scale), colour="by-fill", dy=4, baseline="top")


@register("e11", "Global offshore service outsourcing: forecast and outcome, {years}")
def chart_e11(D):
    go = D.with_outcomes("global_offshore_outsourcing")
    rows = years_from(pick_rows(go, measure="executed_value"), 2019)
    rows = rows[rows["provenance"] != "derived"]
    years = year_span(2019, rows, until=2025)

    early = "Estimates to 2020"

    def series(r):
        if r["value_status"] == "forecast":
            return FORECAST
        return LATER if int(r["period"]) > 2020 else early

    df = relabel(tidy(rows, "period", series), 0)
    x = x_year(years)
    f25 = one_row(go, measure="executed_value", period="2025", value_status="forecast")
    v20 = one_row(go, measure="executed_value", period="2020", provenance="report")
    fc = one_row(go, measure="avg_annual_growth", period="2021-2025", provenance="report")
    ymax = float(df["Value"].max()) * 1.25
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    concepts = {s: dict(CONCEPTS, **{early: "neutral"})[s] for s in (early, LATER, FORECAST) if s in set(df["Series"])}
    layers = [
        bar_layer(df, x, concepts, axis=alt.Axis(title=None, tickCount=4), scale=scale, legend=True),
        forecast_path(x, scale, ("2020", v20["value"]), ("2025", f25["value"]),
              f"{quantity(fc['value'], '% per year', fc['qualifier'])} from 2020: "
              f"{quantity(f25['value'], 'US$ billion', f25['qualifier'])} in 2025"),
        top_layer(df.assign(Top=df["Value"], Text=df["Label"])[["Year", "Top", "Text"]], x,
                   blocked=path_sides(("2020", v20["value"]), ("2025", f25["value"]))),
    ]
    unknown = [y for y in missing_years(years, df)]
    if unknown:
        layers.append(np_layer(unknown, x, later=True))
    chart = finish(alt.layer(*layers).properties(height=280))
    later = rows[(rows["period"].map(int) > 2020) & (rows["value_status"] != "forecast")].sort_values("period")
    if len(later):
        v = later.iloc[-1]
        # where the outcome stands against the path (the forecast's straight line from 2020 to 2025)
        k = (int(v["period"]) - 2020) / 5
        path = st.computed(go, f"{v20['row_id']} + {k!r} * ({f25['row_id']} - {v20['row_id']})")
        word = st.compare(st.rows(go, row_id=v["row_id"]), path, words=("above", "below", "on"))
        g = pick_rows(go, measure="yoy_growth", period=v["period"])
        alt_text = (
            f"A later report put {v['period']} at {quantity(v['value'], 'US$ billion', v['qualifier'])}"
            + (f" ({quantity(float(g['value'].iloc[0]), '% change')})" if len(g) else "")
            + f", {word} the straight path from the 2020 estimate to the report's forecast of "
            f"{quantity(f25['value'], 'US$ billion', f25['qualifier'])} for 2025."
        )
    else:
        word = None
        alt_text = (f"The report forecasts {quantity(f25['value'], 'US$ billion', f25['qualifier'])} for 2025; no later "
                    "estimate is in the data.")
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e11", years=year_range(years)),
        subtitle="Global offshore service outsourcing executed value, US$ billion; dashed: the report's forecast "
                 "path from 2020 to 2025",
        source=f"{CSORC}, as given in the report (2020 estimate, 2025 forecast); 2019 and later years from the "
               "Center's other reports as reprinted.",
        alt_text=alt_text,
        caption_note=join_sentences(
            f"No global estimate was found for {word_list([y for y in unknown if int(y) > 2020])} ({NOT_FOUND})."
            if [y for y in unknown if int(y) > 2020] else "",
            gaps_note([y for y in unknown if int(y) <= 2020]),
            "Estimates of different years come from different editions of the Center's reports, which may revise "
            "earlier years. The path is a straight line from the report's 2020 estimate to its 2025 forecast, not a "
            "yearly forecast.",
        ),
        statements=[word] if word else [],
        later=True,
    )


@register("e12", "ITO, BPO and KPO: the global forecast for 2025 and China's offshore split, {years}")
def chart_e12(D):
    gs = D("global_offshore_outsourcing_structure")
    ty = D.with_outcomes("china_outsourcing_by_type")
    world = years_from(gs, 2020)
    china = years_from(pick_rows(ty, measure="share", market="offshore", basis="RMB"), 2021)

    def bar(r):
        return f"{'China' if r.get('market') == 'offshore' else 'World'} {r['period']}"

    rows = by_type(pd.concat([world, china], ignore_index=True))
    cats = [bar(r) for _, r in world.sort_values("period").iterrows()] + [
        bar(r) for _, r in china.sort_values("period").iterrows()]
    cats = list(dict.fromkeys(cats))
    x = alt.X("Bar:O", scale=alt.Scale(type="band", domain=cats, paddingInner=0.22, paddingOuter=0.12), sort=cats,
              axis=alt.Axis(labelAngle=0, title=None, labelExpr="split(datum.label, ' ')"))
    df, layers = share_stack(tidy(rows, bar, "type", x_name="Bar"), cats, x_name="Bar", x=x, decimals=0)
    chart = finish(layers.properties(height=290))
    w25 = {r.type: r.value for r in world[world["period"] == "2025"].itertuples()}
    ratio = lambda d: ":".join(number(d[t]) for t in TYPES)  # noqa: E731
    years = sorted(set(world["period"]) | set(china["period"]))
    if len(china):
        cy = max(china["period"])
        c = {r.type: r.value for r in china[china["period"] == cy].itertuples()}
        alt_text = (f"The report expects global offshore outsourcing to split {ratio(w25)} between ITO, BPO and KPO "
                    f"by 2025; China's own offshore outsourcing split {ratio(c)} in {cy}.")
    else:
        alt_text = f"The report expects global offshore outsourcing to split {ratio(w25)} between ITO, BPO and KPO by 2025."
    gaps = missing_years(year_list(2021, int(max(china["period"]))), china.assign(Year=china["period"])) if len(china) else []
    found = sorted(set(world.loc[(world["period"].map(int) > 2020) & (world["value_status"] != "forecast"), "period"]))
    return dict(
        chart=chart,
        data=df.drop(columns=["Top", "Base", "Mid"]),
        title=chart_title("e12", years=year_range(years)),
        subtitle="Shares of ITO, BPO and KPO, %: World = global offshore outsourcing (the report's 2020 estimate, "
                 "lighter, and 2025 forecast, hollow); China = China's offshore outsourcing (releases)",
        source=f"{CSORC}, as given in the report (world); {MOFCOM} figures in releases as reprinted (China; shares "
               "computed by the edition from RMB values).",
        alt_text=alt_text,
        caption_note=join_sentences(
            f"The global split after 2020 is drawn for {word_list(found)}." if found else
            "No global split after 2020 was found, so the forecast cannot be checked yet.",
            "China's split is shown beside the world's only as a pointer: it is China's offshore outsourcing alone, "
            "in RMB, not the global market.",
            f"China {word_list(gaps)}: not found." if gaps else "",
        ),
    )


@register("e13", "China's offshore service outsourcing by type after the report, {years}")
def chart_e13(D):
    ty = D.with_outcomes("china_outsourcing_by_type")
    rows = ranked(years_from(pick_rows(ty, measure="executed_value", market="offshore", basis="RMB"), 2021), ["period", "type"])
    years = year_span(2021, rows)
    rows = by_type(rows)
    df = relabel(tidy(rows, "period", "type"), 0)
    df = stacked(df, "Year", TYPES)
    df["Label colour"] = "dark"
    x = x_year(years)
    ymax = float(df["Top"].max()) * 1.2
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    tops = df.groupby("Year", as_index=False)["Top"].max()
    tops["Text"] = [label_num(v, 0) for v in tops["Top"]]
    layers = [
        bar_layer(df, x, {t: t for t in TYPES}, y="Top", y2="Base", axis=alt.Axis(title=None, tickCount=4),
                   scale=scale, legend=True),
        label_layer(df[df["Value"] / ymax * 280 >= 16], x, alt.Y("Mid:Q", scale=scale), dy=0, baseline="middle"),
        top_layer(tops, x),
    ]
    unknown = missing_years(years, df)
    if unknown:
        layers.append(np_layer(unknown, x, later=True))
    chart = finish(alt.layer(*layers).properties(height=280))
    last = max(df["Year"])
    k, i = st.rows(rows, type="KPO", period=last), st.rows(rows, type="ITO", period=last)
    word = st.compare(k, i, words=("larger than", "smaller than", "as large as"))
    smallest = st.extreme({t: st.rows(rows, type=t, period=last) for t in TYPES}, which="min")
    return dict(
        chart=chart,
        data=df.drop(columns=["Top", "Base", "Mid"]),
        title=chart_title("e13", years=year_range(years)),
        subtitle="Offshore executed value by type, RMB billion; above each bar, their sum",
        source=f"{MOFCOM} figures in releases as reprinted.",
        alt_text=(
            f"In {last} KPO ({quantity(k.value, 'RMB billion')}) was {word} ITO ({quantity(i.value, 'RMB billion')}) in China's "
            f"offshore outsourcing; the smallest type was {smallest}."
        ),
        caption_note=join_sentences(
            gaps_note(unknown, later=True),
            "These are offshore values in RMB; the report's 2015 and 2020 split (Figure 1-4) is of the total in US$, "
            "so they are not comparable.",
        ),
        statements=[word, smallest],
        later=True,
    )


@register("e14", "Large outsourcing contracts worldwide (ISG Index): forecast and outcome, {years}")
def chart_e14(D):
    isg = D.with_outcomes("isg_large_contracts")
    f25 = one_row(isg, period="2025", measure="acv", value_status="forecast")
    v20 = one_row(isg, period="2020", measure="acv", segment="combined", provenance="report")
    revs = revisions(isg, v20)
    release = {r["row_id"]: y for r, y, _ in revs}
    rows = years_from(pick_rows(isg, measure="acv", segment="combined"), 2016)
    rows = rows[rows["row_id"].isin(release) | (rows["provenance"] != "derived")]
    years = year_span(2016, rows, until=2025)

    def series(r):
        if r["value_status"] == "forecast":
            return FORECAST
        return LATER if r["row_id"] in release or int(r["period"]) > 2020 else EARLY

    df = relabel(tidy(rows, "period", series), 1)
    # each later figure with the release it comes from: a release's own year, or the one its derivation uses
    df["Release"] = [f"ISG's {release.get(r.row_id, r.period)} release" if s == LATER else ""
                     for r, s in zip(rows.itertuples(), df["Series"])]
    bars = df[df["Series"] != LATER]
    pts = df[df["Series"] == LATER]
    x = x_year(years)
    ymax = float(df["Value"].max()) * 1.25
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    concepts = {s: CONCEPTS[s] for s in (EARLY, LATER, FORECAST) if s in set(df["Series"])}
    path = (("2020", v20["value"]), ("2025", f25["value"]))
    rate = row_value(isg, measure="avg_annual_growth", period="2021-2025", provenance="report")
    # a bar's value above it, or inside its top where the later figures' points stand above it
    under = bars["Year"].isin(set(pts["Year"]))
    layers = [
        # the later figures are points of one colour
        bar_layer(bars, x, concepts, axis=alt.Axis(title=None, tickCount=4), scale=scale,
                   legend=dict(extra=((LATER, "Reported"),) if len(pts) else (), symbols={LATER: "circle"})),
        _inside_top(bars[under], x, scale),
        top_layer(bars[~under].assign(Top=bars["Value"], Text=bars["Label"])[["Year", "Top", "Text"]], x,
                   blocked=path_sides(*path)),
        forecast_path(x, scale, *path,
                       f"{quantity(f25['value'], 'US$ billion', f25['qualifier'])} in 2025 "
                       f"({quantity(rate, '% per year', 'about')})"),
    ]
    if len(pts):
        tip = tooltips(extra=[alt.Tooltip("Release:N")])
        # each point's value to its upper left; of two points in one year, the lower one's to its left
        lower = pts["Value"] < pts.groupby("Year")["Value"].transform("max")
        layers += [
            # one line per release: figures of different vintages are never joined
            alt.Chart(pts).mark_line(color=COLOURS["later"], strokeWidth=2)
            .encode(x=x, y=alt.Y("Value:Q", scale=scale), detail="Release:N", tooltip=tip),
            alt.Chart(pts).mark_point(filled=True, size=70, color=COLOURS["later"])
            .encode(x=x, y=alt.Y("Value:Q", scale=scale), tooltip=tip),
            *(alt.Chart(pts[which]).mark_text(align="right", dx=-7, dy=dy, baseline=baseline,
                                              fontSize=by_width(*SIZE), color=TEXT["later"])
              .encode(x=x, y=alt.Y("Value:Q", scale=scale), text="Label:N", tooltip=tip)
              for which, dy, baseline in ((~lower, -5, "bottom"), (lower, 0, "middle")) if which.any()),
        ]
    unknown = [y for y in missing_years(years, df)]
    if unknown:
        layers.append(np_layer(unknown, x, later=True))
    chart = finish(alt.layer(*layers).properties(height=290))
    later = rows[(rows["period"].map(int) > 2020) & (rows["value_status"] != "forecast")].sort_values("period")
    verdicts = [(r, st.compare(st.rows(isg, row_id=r.row_id), st.rows(isg, row_id=f25["row_id"]),
                               words=("above", "below", "at"))) for r in later.itertuples()]
    measured = word_list([f"{quantity(r.value, 'US$ billion')} in {r.period} ({w} the forecast for 2025)" for r, w in verdicts])
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e14", years=year_range(years)),
        subtitle="Annual contract value of large contracts, US$ billion: to 2020 (bars), ISG's later releases "
                 "(points; a line joins the figures of one release) and the report's forecast (dashed)",
        source="ISG (Information Services Group) releases; the report (2020 and the China Service Outsourcing "
               "Research Center's 2025 forecast).",
        alt_text=(
            (f"ISG measured {measured}" if len(later) else "No ISG figure after 2020 is in the data")
            + f", against the report's forecast of {quantity(f25['value'], 'US$ billion', f25['qualifier'])} for 2025"
            + (f"; its later releases imply {revisions_text(revs, v20)} for 2020." if revs else ".")
        ),
        caption_note=join_sentences(
            "The report's 2020 value is ISG's figure of January 2021. Each later release is drawn apart, from the "
            "2020 it implies: compare each later year with its own release's 2020." if revs else "",
            gaps_note(unknown, later=True),
        ),
        statements=[*(w for _, w in verdicts), *(w for *_, w in revs)],
        later=True,
    )


@register("e15", "China's offshore executed value before and after the report, {years}")
def chart_e15(D):
    ev = D.with_outcomes("china_outsourcing_executed_value")
    rows = years_from(pick_rows(ev, measure="executed_value", market="offshore", basis="US$"), 2015)
    years = year_span(2015, rows)
    rows = ranked(rows, ["period"]).sort_values("period")
    df = relabel(tidy(rows, "period", lambda r: EARLY if int(r["period"]) <= 2020 else LATER), 0)
    x = x_year(years)
    ymax = float(df["Value"].max()) * 1.2
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    concepts = {s: CONCEPTS[s] for s in (EARLY, LATER) if s in set(df["Series"])}
    layers = [bar_layer(df, x, concepts, axis=alt.Axis(title=None, tickCount=4), scale=scale, legend=True),
              top_layer(df.assign(Top=df["Value"], Text=df["Label"])[["Year", "Top", "Text"]], x)]
    unknown = missing_years(years, df)
    if unknown:
        layers.append(np_layer(unknown, x, later=True))
    chart = finish(alt.layer(*layers).properties(height=260))
    v20 = st.rows(ev, row_id=one_row(ev, period="2020", market="offshore", measure="executed_value",
                                  provenance="report")["row_id"])
    last = rows.iloc[-1]
    word = st.change(v20, st.rows(rows, row_id=last["row_id"]))
    # and the last year against the one before, where both are drawn
    before = rows[rows["period"] == str(int(last["period"]) - 1)]
    step = st.change(st.rows(before), st.rows(rows, row_id=last["row_id"])) if len(before) else None
    rate = pick_rows(ev, measure="yoy_growth", market="offshore", basis="US$", period=last["period"])
    notes = []
    for y in unknown:
        rmb = pick_rows(ev, measure="executed_value", market="offshore", basis="RMB", period=y)
        rmb = rmb[rmb["provenance"] != "derived"]
        notes.append(f"The {y} value in US$ was not found ({gap_mark(y, later=True)})"
                     + (f"; in RMB it was {quantity(float(rmb['value'].iloc[0]), 'RMB billion')}." if len(rmb) else "."))
    derived = sorted(rows.loc[rows["provenance"] == "derived", "period"])
    if derived:
        notes.append(f"Values for {word_list(derived)} are computed by the edition, as in Figure 1-1.")
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e15", years=year_range(years)),
        subtitle="Offshore executed value, US$ billion: to 2020, and from the releases after the report",
        source=f"{MOFCOM}: the report to 2020, releases as reprinted afterwards.",
        alt_text=(
            f"Offshore executed value {word} from {quantity(v20.value, 'US$ billion')} in 2020 to "
            f"{quantity(last['value'], 'US$ billion')} in {last['period']}"
            + (f"; in {last['period']} it {step} on {before['period'].iloc[0]}"
               + (f" ({quantity(rate['value'].iloc[0], '% change')})" if len(rate) else "") if step else "") + "."
        ),
        caption_note=join_sentences(*notes),
        statements=[w for w in (word, step) if w],
        later=True,
    )


@register("e16", "Did offshore outsourcing outgrow services exports? {years}")
def chart_e16(D):
    ev = D.with_outcomes("china_outsourcing_executed_value")
    bm = D.with_outcomes("china_growth_benchmarks")
    after = lambda df: df[df["period"].map(lambda p: int(str(p)[:4]) > 2020 and (is_year_label(p) or " " in p))]  # noqa: E731
    off = after(pick_rows(ev, measure="yoy_growth", market="offshore", basis="RMB"))
    sx = after(pick_rows(bm, measure="yoy_growth", indicator="services_exports", basis="RMB"))
    so, ss = "Offshore outsourcing executed value", "Services exports"

    def when(r):
        p = r["period"]
        return p if is_year_label(p) else f"{p.split(' ')[0]} {p.split(' ')[1].replace('-', '–')}"

    a = relabel(tidy(off, when, so), 1, percent=True, signed=True)
    b = relabel(tidy(sx, when, ss), 1, percent=True, signed=True)
    df = pd.concat([a, b], ignore_index=True)
    full = year_span(2021, off, sx)
    parts = sorted({p for p in df["Year"] if not is_year_label(p)})
    years = full + parts
    concepts = {so: "offshore", ss: "neutral"}
    offset = [so, ss]
    # a row for each period, its two rates as bars across with their values at their ends: on a phone, two
    # labels side by side over a period's two columns would not fit
    y = alt.Y("Year:O", scale=alt.Scale(type="band", domain=years, paddingInner=0.3, paddingOuter=0.15), sort=years,
              axis=alt.Axis(title=None, labelExpr="split(datum.label, ' ')", domain=False, ticks=False))
    yo = alt.YOffset("Series:N", sort=offset, scale=alt.Scale(domain=offset))
    # the axis's ends leave each end's label room at a phone's width (the plot less the periods' names)
    right = max(text_width(t, SIZE[1]) for t in df["Label"]) + 8
    left = max([text_width(t, SIZE[1]) + 8 for t, v in zip(df["Label"], df["Value"]) if v < 0]
               + [text_width(NOT_FOUND, SIZE[1]) + 8 if len(df) < 2 * len(years) else 0])
    vmin, vmax = min(0.0, float(df["Value"].min())), max(0.0, float(df["Value"].max()))
    per_px = (vmax - vmin) / (FIT_NARROW - 60 - left - right)
    scale = alt.Scale(domain=[round(vmin - left * per_px, 1) if vmin < 0 else 0, round(vmax + right * per_px, 1)],
                      nice=False, zero=True)
    x = alt.X("Value:Q", scale=scale, axis=alt.Axis(title=None, tickCount=4, labelExpr="datum.label + '%'"))
    color, stroke = series_colour(concepts)
    fill, dash = status_marks()
    bars = (alt.Chart(df).mark_bar(strokeWidth=1.5)
            .encode(y=y, yOffset=yo, x=x, x2=alt.datum(0), color=color, stroke=stroke, fillOpacity=fill,
                    strokeDash=dash, tooltip=tooltips()))
    zero = (alt.Chart(pd.DataFrame({"v": [0], "What": ["No growth"]})).mark_rule(color="#8a949e")
            .encode(x=alt.X("v:Q", scale=scale), tooltip=[alt.Tooltip("What:N", title="Line")]))
    pos = (alt.Chart(df[df["Value"] >= 0]).mark_text(align="left", dx=4, baseline="middle", fontSize=by_width(*SIZE),
                                                     color=INK)
           .encode(y=y, yOffset=yo, x=x, text="Label:N", tooltip=tooltips()))
    neg = (alt.Chart(df[df["Value"] < 0]).mark_text(align="right", dx=-4, baseline="middle", fontSize=by_width(*SIZE),
                                                    color=INK)
           .encode(y=y, yOffset=yo, x=x, text="Label:N", tooltip=tooltips()))
    layers = [bars, zero, pos, neg, series_legend([df], concepts)]
    ia, ib = a.set_index("Year")["Value"], b.set_index("Year")["Value"]
    gaps = [{"Year": y, "Series": s} for y in years for s, idx in ((so, ia.index), (ss, ib.index)) if y not in idx]
    if gaps:
        g = pd.DataFrame(gaps)
        g["Text"] = [gap_mark(y, later=True) for y in g["Year"]]
        g["What"] = [f"{GAPS[t][0].capitalize()}: {GAPS[t][1]}" for t in g["Text"]]
        # in the bar's place, just after the zero line
        layers.append(alt.Chart(g).mark_text(align="left", dx=4, baseline="middle", fontSize=by_width(*SIZE),
                                             color=MUTED, fontStyle="italic")
                      .encode(y=y, yOffset=yo, x=alt.datum(0, scale=scale), text="Text:N",
                              tooltip=[alt.Tooltip("Year:N"), alt.Tooltip("Series:N"), alt.Tooltip("What:N", title="Value")]))
    chart = finish(alt.layer(*layers).properties(height=44 * len(years)))
    both = [y for y in full if y in ia.index and y in ib.index]
    words = {y: st.compare(st.rows(off, period=y), st.rows(sx, period=y), words=("higher", "lower", "the same"))
             for y in both}
    moves = {y: st.sign(st.rows(sx, period=y), words=("grew", "fell", "were flat")) for y in both}

    def grouped(d):
        return " and ".join(f"{w} in {word_list([y for y in both if d[y] == w])}" for w in dict.fromkeys(d.values()))
    no_off = [y for y in full if y not in ia.index]
    no_sx = [y for y in full if y not in ib.index]
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e16", years=year_range(full)),
        subtitle="Growth on the year before in RMB terms, %: offshore executed value and services exports",
        source=f"{MOFCOM} figures in releases as reprinted; services exports from People's Daily Online, CGTN, "
               "Global Times and CCTV.",
        alt_text=(
            f"Offshore outsourcing's growth was {grouped(words)} than that of services exports; services exports "
             f"{grouped(moves)}."
             if both else "No year has both growth rates."
        ),
        caption_note=join_sentences(
            f"Offshore growth in RMB for {word_list(no_off)} was not found ({NOT_FOUND})." if no_off else "",
            f"Services-export growth for {word_list(no_sx)} was not found ({NOT_FOUND})"
            + (f"; the figure for {word_list(parts)} covers those months only." if parts else ".") if no_sx else "",
            "Services-export rates that do not state their currency are taken to be in RMB, as MOFCOM's headline "
            "rates are.",
        ),
        statements=[*words.values(), *moves.values()],
        later=True,
    )


@register("e17", "People employed in China's service outsourcing against the forecast, {years}")
def chart_e17(D):
    em = D.with_outcomes("china_outsourcing_employment")
    rows = ranked(years_from(pick_rows(em, measure="employees_end_of_year", group="all"), 2015), ["period"])
    years = year_span(2015, rows, until=2025)
    df = relabel(tidy(rows, "period", lambda r: EARLY if int(r["period"]) <= 2020 else LATER), 1)
    fc = one_row(em, measure="new_employees", period="2021-2025")
    e20r = one_row(em, measure="employees_end_of_year", group="all", period="2020")
    e20 = float(e20r["value"])
    target_op = st.computed(em, f"{e20r['row_id']} + {fc['row_id']}")
    target = target_op.value
    forecast = f"the report's forecast of {fc['qualifier']} {number(fc['value'])} million new employees in 2021–2025"
    x = x_year(years)
    ymax = max(float(df["Value"].max()), target) * 1.25
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    concepts = {s: CONCEPTS[s] for s in (EARLY, LATER) if s in set(df["Series"])}
    tgt = pd.DataFrame({"Year": ["2025"], "v": [target],
                        "Tip": [f"2020's {number(e20)} million plus {forecast}: {number(round(target, 3))} million"]})
    layers = [
        bar_layer(df, x, concepts, axis=alt.Axis(title=None, tickCount=4), scale=scale, legend=True),
        top_layer(df.assign(Top=df["Value"], Text=df["Label"])[["Year", "Top", "Text"]], x,
                   blocked=path_sides(("2020", e20), ("2025", target))),
        forecast_path(x, scale, ("2020", e20), ("2025", target), tgt["Tip"].iloc[0], to_bar=False),
        alt.Chart(tgt).mark_point(shape="diamond", size=90, filled=False, strokeWidth=2, color=COLOURS["forecast"])
        .encode(x=x, y=alt.Y("v:Q", scale=scale), tooltip=[alt.Tooltip("Tip:N", title="Forecast")]),
        alt.Chart(tgt.assign(T=f"{'>' if fc['qualifier'] == 'more than' else ''}{label_num(target, 1)}"))
        .mark_text(dy=-10, baseline="bottom", fontSize=by_width(*SIZE), color=INK, align="right", dx=6)
        .encode(x=x, y=alt.Y("v:Q", scale=scale), text="T:N", tooltip=[alt.Tooltip("Tip:N", title="Forecast")]),
    ]
    unknown = missing_years(years, df)
    missing_drawn = [y for y in unknown if y != "2025"]
    if missing_drawn:
        layers.append(np_layer(missing_drawn, x, later=True))
    chart = finish(alt.layer(*layers).properties(height=280))
    last = rows.loc[rows["period"].map(int).idxmax()]
    words = []
    if int(last["period"]) > 2020:
        k = (int(last["period"]) - 2020) / 5
        path = st.computed(em, f"{e20r['row_id']} + {k!r} * {fc['row_id']}")
        now = st.rows(em, row_id=last["row_id"])
        moved = st.change(st.rows(em, row_id=e20r["row_id"]), now)
        difference = st.computed(em, f"abs({last['row_id']} - {e20r['row_id']})")
        word = st.compare(now, path, words=("above", "below", "on"))
        words = [moved, difference, word, path]
        change = (
            f"Employment {moved} from {number(e20)} million at the end of 2020 to {number(last['value'])} million at the "
            f"end of {last['period']} (by {number(round(difference.value, 3))} million), {word} a straight path to "
            f"2020's number plus {forecast}."
        )
    else:
        change = f"Employment was {number(e20)} million at the end of 2020; {forecast}."
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e17", years=year_range(years)),
        subtitle="People employed in service outsourcing at the end of the year, million; dashed: 2020's number plus "
                 "the report's forecast of new employees, drawn to 2025",
        source=f"{MOFCOM}: the report and releases as reprinted; 2015 computed by the edition.",
        alt_text=change,
        caption_note=join_sentences(
            gaps_note(missing_drawn, later=True),
            f"The target ({number(round(target, 3))} million) is 2020's number plus the forecast's new employees, "
            "read as the change in the number employed (how the report counts new employees: 'How the outlook fared' "
            "and the claims ledger, row C051).",
        ),
        statements=[target_op, *words],
        later=True,
    )
