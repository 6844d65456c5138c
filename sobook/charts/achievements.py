"""Section 1 (achievements, 2016–2020): the report's Figures 1-1 to 1-9.
The edition's own charts of this section, E1–E7, are in ``achievements_added``.
"""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd

from sobook import statements as st
from sobook.charts.marks import (
    MOFCOM,
    NARROW,
    SIZE,
    STATUS_LABEL,
    bar_layer,
    by_type,
    by_width,
    finish,
    join_sentences,
    label_layer,
    label_num,
    missing_years,
    np_layer,
    one_row,
    pct_label,
    pick_rows,
    ranked,
    relabel,
    row_bars,
    row_value,
    series_colour,
    series_legend,
    share_stack,
    stacked,
    status_marks,
    tidy,
    tooltips,
    top_layer,
    word_list,
    wrap,
    x_year,
    y_value,
    year_list,
    year_range,
    year_span,
    years_after,
    years_from,
    years_text,
)
from sobook.charts.registry import chart_title, register
from sobook.charts.theme import COLOURS, DARK_FILLS, INK
from sobook.text import number, quantity

NP_NOTE = "n.p.: not published (no value for that year in the sources)."


def _light_labels(df: pd.DataFrame, concepts: dict) -> pd.DataFrame:
    """White labels inside solid dark bars, ink elsewhere."""
    df = df.copy()
    df["Label colour"] = [
        "light" if COLOURS[concepts[s]] in DARK_FILLS and stt == STATUS_LABEL["reported"] else "dark"
        for s, stt in zip(df["Series"], df["Status"])
    ]
    return df


def _simple_bars(df, years, concept="neutral", decimals=0, height=260, extra_top=None):
    """One series of yearly bars in one colour, labelled above, with the
    years the sources lack marked n.p."""
    df = relabel(df, decimals)
    x = x_year(years)
    concepts = {s: concept for s in df["Series"].unique()}
    axis, scale = y_value()
    top = df[["Year", "Value"]].rename(columns={"Value": "Top"})
    top["Text"] = list(df["Label"]) if extra_top is None else [f"{a}\n{b}" if b else a for a, b in zip(df["Label"], extra_top)]
    top["Top"] = df["Value"].values
    ymax = float(df["Value"].max()) * (1.25 if extra_top is None else 1.4)
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    layers = [bar_layer(df, x, concepts, axis=alt.Axis(title=None, tickCount=4), scale=scale),
              top_layer(top, x)]
    missing = missing_years(years, df)
    if missing:
        layers.append(np_layer(missing, x))
    return df, alt.layer(*layers).properties(height=height), missing


# ==========================================================================
# the report's figures


@register("1-1", "China's service outsourcing executed value and growth, {years}")
def fig_1_1(D):
    ev = D("china_outsourcing_executed_value")
    vals = years_from(pick_rows(ev, measure="executed_value", basis="US$", market=["offshore", "onshore"]), 2016)
    growth = years_from(pick_rows(ev, measure="yoy_growth", basis="US$", market="total"), 2016)
    years = year_span(2016, vals, growth)
    vals = ranked(vals, ["period", "market"]).sort_values(["period", "market"])
    concepts = {"Offshore": "offshore", "Onshore": "onshore"}
    bars = tidy(vals, "period", lambda r: r["market"].capitalize())
    bars = _light_labels(relabel(bars, 1), concepts)
    bars = stacked(bars, "Year", ["Offshore", "Onshore"])
    g = tidy(growth, "period", "Growth of the total")
    x = x_year(years)
    totals = {r.period: r for r in ranked(pick_rows(ev, market="total", measure="executed_value", basis="US$"),
                                           ["period"]).itertuples()}
    off = set(bars.loc[bars["Series"] == "Offshore", "Year"])
    on = set(bars.loc[bars["Series"] == "Onshore", "Year"])
    offshore_only = [y for y in years if y in off and y not in on]
    gy = dict(zip(g["Year"], g["Value"]))
    # above each bar: the total (where both parts are drawn) and its growth;
    # on a bar that is offshore only, the words "offshore only"
    tops = []
    for y in years:
        if y not in off | on:
            continue
        top = float(bars.loc[bars["Year"] == y, "Top"].max())
        if y in offshore_only:
            text = "offshore\nonly"
        else:
            # the published total where there is one (the parts' sum, where one part is computed, may differ in
            # its last digit)
            text = (label_num(totals[y].value if y in totals else top, 1)
                    + (f"\n{pct_label(gy[y], 1, signed=True)}" if y in gy else ""))
        tops.append({"Year": y, "Top": top, "Text": text})
    tops = pd.DataFrame(tops)
    ymax = float(bars["Top"].max()) * 1.3
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    layers = [
        bar_layer(bars, x, concepts, y="Top", y2="Base", axis=alt.Axis(title=None, tickCount=4), scale=scale,
                   legend=True),
        label_layer(bars[bars["Value"] / ymax * 280 >= 16], x, alt.Y("Mid:Q", scale=scale), colour="by-fill",
                     dy=0, baseline="middle"),
        top_layer(tops, x),
    ]
    nothing = [y for y in years if y not in off | on]
    if nothing:
        layers.append(np_layer(nothing, x))
    chart = finish(alt.layer(*layers).properties(height=280))
    # the totals as published, beside their parts (and the sum of two years whose totals are not published)
    total_rows = pd.DataFrame([r._asdict() for p, r in sorted(totals.items())
                               if all(y in years for y in re.split(r"[+-]", p))]).drop(columns="Index")
    df = pd.concat([bars.drop(columns=["Top", "Base", "Mid"]), tidy(total_rows, "period", "Total"), g],
                   ignore_index=True)

    t20 = row_value(ev, period="2020", market="total", measure="executed_value", provenance="report")
    o20 = row_value(ev, period="2020", market="offshore", measure="executed_value", provenance="report")
    cum = one_row(ev, market="total", measure="cumulative_executed_value")
    cagr_row = one_row(ev, period=cum["period"], market="total", measure="avg_annual_growth", provenance="report")
    cagr = float(cagr_row["value"])
    growing = st.sign(st.rows(ev, row_id=cagr_row["row_id"]), words=("growing", "shrinking", "unchanged"))
    span = cum["period"].replace("-", "–")
    pair = pick_rows(ev, market="total", measure="executed_value")
    pair = pair[pair["period"].str.contains(r"\+")]
    notes = []
    for p in pair.itertuples():
        a, b = p.period.split("+")
        notes.append(
            f"For {a} and {b} only the offshore part is drawn: the total of each year is not published, only "
            f"their sum ({quantity(p.value, 'US$ billion')}, computed by the edition: see the data table), so those bars are "
            "not totals and are marked \u201coffshore only\u201d."
        )
    only_total = [y for y in nothing if y in totals]
    for y in only_total:
        notes.append(f"For {y} only the total is known ({quantity(totals[y].value, 'US$ billion', totals[y].qualifier)}).")
    derived_off = sorted(vals.loc[(vals["market"] == "offshore") & (vals["provenance"] == "derived"), "period"])
    if derived_off:
        notes.append(f"Offshore values for {word_list(derived_off)} are computed by the edition (see the data table).")
    notes.append("Onshore = total − offshore.")
    no_growth = [y for y in years if y not in gy and y not in offshore_only and y in off | on]
    if no_growth:
        notes.append(f"Growth of the total in {word_list(no_growth)} is not published.")
    if nothing:
        notes.append(NP_NOTE)
    later = ""
    last = years[-1]
    if int(last) > 2020 and last in off:
        later = f" In {last}, the latest year drawn, offshore executed value was " + quantity(
            float(bars.loc[(bars["Year"] == last) & (bars["Series"] == "Offshore"), "Value"].iloc[0]), "US$ billion") + "."
    return dict(
        chart=chart,
        data=df,
        title=chart_title("1-1", years=year_range(years)),
        subtitle="Executed value by market, US$ billion; above each bar, the total and its growth on the year "
                 "before (US$ terms)",
        source=f"{MOFCOM}, as given in the report; yearly values from MOFCOM releases as reprinted; onshore values "
               "and some offshore values computed by the edition.",
        alt_text=(
            f"Stacked bars of offshore and onshore executed value. In 2020 the total was {quantity(t20, 'US$ billion')}, "
            f"of which offshore {quantity(o20, 'US$ billion')}; "
            f"over {span} it summed to {quantity(cum['value'], 'US$ billion')}, "
            f"{growing} {quantity(cagr, '% per year')}.{later}"
            + (f" The bars for {word_list(offshore_only)} show the offshore part only." if offshore_only else "")
        ),
        caption_note=join_sentences(*notes),
        statements=[growing],
    )


@register("1-2", "Growth of China's offshore service outsourcing and of its services exports, {years}")
def fig_1_2(D):
    ev = D("china_outsourcing_executed_value")
    bm = D("china_growth_benchmarks")
    g = years_from(pick_rows(ev, measure="yoy_growth", basis="US$", market="offshore"), 2016)
    avg_o = pick_rows(ev, measure="avg_annual_growth", market="offshore", basis="US$", provenance="report", period="2016-2020")
    avg_s = pick_rows(bm, measure="avg_annual_growth", indicator="services_exports", period="2016-2020")
    years = year_span(2016, g, until=2020)
    span = "2016–2020"
    bars = relabel(tidy(g, "period", "Offshore outsourcing: growth on the year before"), 1, percent=True)
    rules = pd.concat([
        tidy(avg_o, lambda r: "2016", f"Offshore outsourcing: average {span}"),
        tidy(avg_s, lambda r: "2016", f"Services exports: average {span}"),
    ], ignore_index=True)
    rules["Year end"] = years[min(4, len(years) - 1)]
    concepts = {bars["Series"].iloc[0]: "offshore", rules["Series"].iloc[0]: "offshore",
                rules["Series"].iloc[1]: "neutral"}
    x = x_year(years)
    height = 280
    top = max(float(bars["Value"].max()), float(rules["Value"].max()))
    lo, hi = min(0, float(bars["Value"].min()) * 1.2), top * 1.25
    scale = alt.Scale(domain=[lo, hi], nice=False, zero=True)
    b = bar_layer(bars, x, concepts, axis=alt.Axis(title=None, tickCount=4, labelExpr="datum.label + '%'"),
                   scale=scale)
    color, _ = series_colour(concepts)
    # each average across the five years' columns, edge to edge
    r = (alt.Chart(rules).mark_rule(strokeWidth=2.5)
         .encode(x=alt.X("Year:O", scale=x["scale"], sort=years, bandPosition=0),
                 x2=alt.X2("Year end:O", bandPosition=1),
                 y=alt.Y("Value:Q", scale=scale), color=color, strokeDash=status_marks()[1], tooltip=tooltips()))
    ao, as_ = float(avg_o["value"].iloc[0]), float(avg_s["value"].iloc[0])
    lead = row_value(ev, measure="avg_growth_lead_over_services_exports", period="2016-2020")
    # the averages are named in the legend, with their values; a bar's value stands above it, or inside its
    # top where an average's line would run through it above
    px = height / (hi - lo)
    line_h = (4 + SIZE[0] * 1.2) / px
    clear = [(float(v) - 5 / px, float(v) + 5 / px) for v in rules["Value"]]

    def free(a, b):
        return not any(a < l1 and l0 < b for l0, l1 in clear)

    inside = [not free(v + 4 / px, v + line_h) and free(v - line_h, v - 4 / px) and v * px >= 20
              for v in bars["Value"]]
    bars = _light_labels(bars, concepts)
    labels = [label_layer(bars[[not i for i in inside]], x, alt.Y("Value:Q", scale=scale)),
              label_layer(bars[inside], x, alt.Y("Value:Q", scale=scale), colour="by-fill", dy=4, baseline="top")]
    words = {rules["Series"].iloc[0]: f"{rules['Series'].iloc[0]}: {quantity(ao, '% per year')}",
             rules["Series"].iloc[1]: f"{rules['Series'].iloc[1]}: {quantity(as_, '% per year')}"}
    key = series_legend([bars, rules], concepts, labels=words, symbols={s: "stroke" for s in rules["Series"]})
    layers = [b, r, *labels, key]
    unknown = missing_years(years, bars)
    if unknown:
        layers.append(np_layer(unknown, x))
    chart = finish(alt.layer(*layers).properties(height=height))
    # the averages are of the five years: a row of their own in the table
    df = pd.concat([bars, rules.drop(columns=["Year end"]).assign(Year=span)], ignore_index=True)
    derived = sorted(g.loc[g["provenance"] == "derived", "period"])
    later = sorted(years_after(bars["Year"]))
    faster = st.compare(st.rows(avg_o), st.rows(avg_s), words=("faster than", "more slowly than", "as fast as"))
    grew = st.sign(st.rows(avg_o), words=("grew", "shrank", "was flat"))
    yearly_sx = pick_rows(bm, measure="yoy_growth", indicator="services_exports", basis="US$")
    return dict(
        chart=chart,
        data=df,
        title=chart_title("1-2", years=year_range(years)),
        subtitle=f"Growth of offshore executed value on the year before, % in US$ terms; lines: the {span} averages",
        source=f"{MOFCOM}, as given in the report; other yearly rates from releases as reprinted or computed by the "
               "edition; the services-export average computed by the edition from the report's gap.",
        alt_text=(
            f"Offshore outsourcing {grew} {quantity(ao, '% per year')} on average in {span}, {faster} services exports, "
            f"whose implied average is {quantity(as_, '% per year')} ({number(lead)} points apart). Bars show the yearly "
            "offshore growth rates" + (f", including {word_list(later)}." if later else ".")
        ),
        caption_note=join_sentences(
            f"The report gives only the gap between the {span} averages ({number(lead)} percentage points); the "
            "services-export average is computed from it.",
            "" if len(yearly_sx) else "Yearly services-export growth in US$ is not in the sources, so it is not drawn.",
            f"Offshore growth in {word_list(derived)} is computed from yearly values (see the data table)." if derived else "",
            NP_NOTE if unknown else "",
        ),
        statements=[faster, grew],
    )


@register("1-3", "China's offshore service outsourcing against its exports of services, 2020")
def fig_1_3(D):
    xs = D("china_offshore_outsourcing_export_shares")
    rows = pick_rows(xs, period=["2020", "2016-2020"])
    den = {
        "services_exports": "all services exports",
        "digitally_deliverable_services_exports": "digitally deliverable services exports",
        "telecommunications_computer_and_information_services_exports":
            "telecom, computer and information services exports",
    }

    def label(r):
        who = "Offshore outsourcing" if r["numerator"] == "offshore" else "Offshore ITO"
        when = "2015–2020" if r["period"] == "2016-2020" else "2020"
        if r["measure"] == "share":
            return f"{who}: share of {den[r['denominator']]}, {when}"
        return f"{who}: contribution to the growth of {den[r['denominator']]}, {when}"

    df = relabel(tidy(rows, label, lambda r: "Offshore ITO" if r["numerator"] == "offshore_ito" else "Offshore",
                        x_name="Indicator"), 1, percent=True)
    df["Measure"] = ["Share" if m == "share" else "Contribution to growth" for m in rows["measure"]]
    shares = list(df[df["Measure"] == "Share"].sort_values("Value", ascending=False)["Indicator"])
    contribs = list(df[df["Measure"] != "Share"].sort_values("Value", ascending=False)["Indicator"])
    h1, h2 = "§ shares", "§ contributions"
    order = [h1, *shares, h2, *contribs]
    headers = {h1: "Shares of exports, %", h2: "Contributions to export growth, %"}
    chart, h = row_bars(df, "Indicator", order, {"Offshore": "offshore", "Offshore ITO": "ITO"}, x_max=100,
                     headers=headers, tooltip=tooltips("Indicator", [alt.Tooltip("Measure:N")]))
    chart = finish(chart.properties(height=h))
    dig = row_value(xs, period="2020", numerator="offshore", denominator="digitally_deliverable_services_exports",
                    measure="share")
    svc = row_value(xs, period="2020", numerator="offshore", denominator="services_exports", measure="share")
    return dict(
        chart=chart,
        data=df,
        title=chart_title("1-3"),
        subtitle="Shares of exports and contributions to export growth, % (different measures, shown apart)",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"In 2020 offshore service outsourcing equalled {quantity(dig, '% of total')} of China's exports of digitally "
            f"deliverable services and {quantity(svc, '% of total')} of its services exports. A second group of bars "
            "shows its contributions to export growth."
        ),
        caption_note=(
            "The report's Figure 1-3 plots the share in each year 2016–2020; its text gives only the 2020 share, so "
            "the yearly shares cannot be drawn. A share is part of a level; a contribution is part of a growth: they "
            "are not comparable and are drawn in separate groups. Digitally deliverable services follow the "
            "WTO's definition (the report's note 1)."
        ),
    )


@register("1-4", "Structure of China's service outsourcing: ITO, BPO and KPO, {years}")
def fig_1_4(D):
    ty = D("china_outsourcing_by_type")
    rows = years_from(pick_rows(ty, measure="share", market="total"), 2015)
    years = year_span(2015, rows)
    rows = by_type(ranked(rows, ["period", "type"]))
    df, layers = share_stack(tidy(rows, "period", "type"), years)
    chart = finish(layers.properties(height=280))
    s = {(r.period, r.type): r.value for r in rows.itertuples()}
    first, last = years[0], max(df["Year"])
    notes, sums = [], []
    unknown = missing_years(years, df)
    for y in sorted(set(rows.loc[rows["provenance"] == "derived", "period"])):
        der = word_list(sorted(rows.loc[(rows["period"] == y) & (rows["provenance"] == "derived"), "type"]))
        total = st.rows(rows, period=y)
        sums.append(total)
        extra = ""
        if y == "2019" and len(pick_rows(ty, row_id="ty_kpo_2019")):
            extra = (f" (the KPO value, {quantity(row_value(ty, row_id='ty_kpo_2019'), 'US$ billion')}, is "
                     f"{number(row_value(ty, row_id='ty_kpo_share_2019_check'))}% of the published total, not "
                     f"{number(row_value(ty, row_id='ty_kpo_share_2019'))}%)")
        notes.append(f"{y}: shares as published{extra}; {der} computed as the total less the others, so the {y} "
                     f"column adds up to {number(round(total.value, 1))}%.")
    if unknown:
        notes.append(NP_NOTE)
    w = {t: st.change(st.rows(rows, period=first, type=t), st.rows(rows, period=last, type=t))
         for t in ("ITO", "BPO", "KPO")}
    return dict(
        chart=chart,
        data=df.drop(columns=["Top", "Base", "Mid"]),
        title=chart_title("1-4", years=year_range(years)),
        subtitle="Shares of information technology (ITO), business process (BPO) and knowledge process (KPO) "
                 "outsourcing in total executed value, %",
        source=f"{MOFCOM}, as given in the report; 2019 from a release as reprinted; one 2019 share computed by the "
               "edition.",
        alt_text=(
            f"ITO's share {w['ITO']} from {number(s[(first, 'ITO')])}% in {first} to {number(s[(last, 'ITO')])}% in "
            f"{last}, while BPO's {w['BPO']} from {number(s[(first, 'BPO')])}% to {number(s[(last, 'BPO')])}% and "
            f"KPO's {w['KPO']} from {number(s[(first, 'KPO')])}% to {number(s[(last, 'KPO')])}%."
        ),
        caption_note=join_sentences(*notes),
        statements=[*w.values(), *sums],
    )


@register("1-5", "New service outsourcing enterprises in China, {years}")
def fig_1_5(D):
    en = D("china_outsourcing_enterprises")
    rows = ranked(years_from(pick_rows(en, measure="new_enterprises", area="national"), 2016), ["period"])
    years = year_span(2016, rows)
    df = tidy(rows, "period", "New enterprises")
    df, chart, unknown = _simple_bars(df, years)
    chart = finish(chart)
    tot = one_row(en, measure="new_enterprises", period="2016-2020", area="national")
    total = float(tot["value"])
    end = row_value(en, measure="enterprises_end_of_year", period="2020", area="national")
    five = rows[rows["period"].isin(year_list(2016, 2020))]
    # the report's "more than 5,000 a year" is its claim C037 (data/claims.csv)
    said = one_row(D("claims"), row_id="claim_c037")
    bar = st.rows(D("claims"), row_id="claim_c037")
    years_vs = {r.period: st.compare(st.rows(five, row_id=r.row_id), bar, words=("above", "below", "at"))
                for r in five.itertuples()}
    below = [y for y, w in years_vs.items() if w == "below"]
    every = st.every({r.period: st.rows(five, row_id=r.row_id) for r in five.itertuples()}, bar,
                     words=("holds for every year", "does not hold for every year"))
    average = st.scaled(st.rows(en, row_id=tot["row_id"]), 1 / len(five))
    avg_word = st.compare(average, bar, words=("above", "below", "at"))
    span = tot["period"].replace("-", "–")
    return dict(
        chart=chart,
        data=df,
        title=chart_title("1-5", years=year_range(years)),
        subtitle="Enterprises added each year",
        source=f"{MOFCOM}, as given in the report" + ("; later years from releases." if years_after(df["Year"]) else "."),
        alt_text=(
            f"Between {int(df['Value'].min()):,} and {int(df['Value'].max()):,} service outsourcing enterprises were "
            f"added each year, {int(total):,} in {span}; at the end of 2020 there were {int(end):,}."
        ),
        caption_note=join_sentences(
            f"The report says {quantity(said['value'], 'count', said['qualifier'])} were added a year; that {every}: the "
            f"{span} average ({number(round(average.value))}) is {avg_word} {quantity(said['value'], 'count')}"
            + (f", but {word_list(below)} {'was' if len(below) == 1 else 'were'} {years_vs[below[0]]} it." if below else "."),
            NP_NOTE if unknown else "",
        ),
        statements=[every, avg_word, average, *years_vs.values()],
    )


@register("1-6", "New employees in China's service outsourcing, {years}")
def fig_1_6(D):
    em = D("china_outsourcing_employment")
    new = ranked(years_from(pick_rows(em, measure="new_employees", group="all"), 2016), ["period"])
    years = year_span(2016, new, until=2020)
    total = one_row(em, measure="new_employees", group="all", period="2016-2020")
    grads = row_value(em, measure="new_employees", group="new_graduates", period="2016-2020")
    df = relabel(tidy(new, "period", "Newly employed in the year"), 2)
    five = tidy(pd.DataFrame([total]), lambda r: "2016–2020", "Newly employed, 2016–2020 in all")
    x = x_year(years)
    ymax = float(df["Value"].max()) * 1.3 if len(df) else 1.0
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    layers = [bar_layer(df, x, {"Newly employed in the year": "neutral"}, axis=alt.Axis(title=None, tickCount=4),
                         scale=scale),
              top_layer(df.assign(Top=df["Value"], Text=df["Label"])[["Year", "Top", "Text"]], x)]
    unknown = missing_years(years, df)
    if unknown:
        layers.append(np_layer(unknown, x))
    # the five-year total, which the report gives, above the plot: not a mark on the axis of yearly numbers
    span = total["period"].replace("-", "–")
    words = f"{span} in all: {number(total['value'])} million newly employed (the report)"
    chart = finish(alt.layer(*layers).properties(height=260)).properties(title=alt.TitleParams(
        text=alt.ExprRef(f"{NARROW} ? {json.dumps(wrap(words, 40).split(chr(10)))} : {json.dumps(words)}"),
        anchor="start", fontSize=by_width(*SIZE), fontWeight="normal", color=INK, offset=10))
    e20 = row_value(em, measure="employees_end_of_year", group="all", period="2020")
    return dict(
        chart=chart,
        data=pd.concat([df, five], ignore_index=True),
        title=chart_title("1-6", years=year_range(years)),
        subtitle="People newly employed in service outsourcing in the year, million",
        source=f"{MOFCOM}: the five-year total as given in the report; 2016 from a release as reprinted.",
        alt_text=(
            f"Over 2016–2020, {number(total['value'])} million people were newly employed in service outsourcing, "
            f"{number(grads)} million of them university graduates"
            + (f"; the sources give a single year only for {word_list(list(df['Year']))} "
               f"({word_list([quantity(v, 'million persons') for v in df['Value']])})" if len(df) else "")
            + f". At the end of 2020 the industry employed {number(e20)} million people."
        ),
        caption_note=join_sentences(
            "The report's Figure 1-6 shows new employees in each year; the sources give a single year only for "
            f"{word_list(list(df['Year']))}, and the 2016–2020 total, so the chart cannot show the other years "
            "(marked n.p., not published). The number employed at the end of each year is in Chart E17."
            if len(df) else "New employees per year are not in the sources.",
        ),
    )


def _value_and_share(D, fig_id, resource, where_val: dict, where_share: dict, first: int, series: str,
                     share_words: str, decimals: int = 1):
    """Yearly bars of a value, each labelled with its share (one series, no
    second axis)."""
    d = D(resource)
    val = ranked(years_from(pick_rows(d, measure="executed_value", **where_val), first), ["period"])
    shr = ranked(years_from(pick_rows(d, **where_share), first), ["period"])
    years = year_span(first, val, shr, until=2020)
    a = tidy(val, "period", series)
    b = tidy(shr, "period", f"Share of {share_words}")
    sh = dict(zip(b["Year"], b["Value"]))
    extra = [f"({pct_label(sh[y], 1)})" if y in sh else "" for y in a["Year"]]
    a2, chart, unknown = _simple_bars(a, years, decimals=decimals, extra_top=extra, height=260)
    return val, shr, years, pd.concat([a2, relabel(b, 1, percent=True)], ignore_index=True), chart, unknown


@register("1-7", "China's service outsourcing for Belt and Road countries, {years}")
def fig_1_7(D):
    pm = D("china_outsourcing_partner_markets")
    val, shr, years, df, chart, unknown = _value_and_share(
        D, "1-7", "china_outsourcing_partner_markets", dict(partner="Belt and Road countries"),
        dict(partner="Belt and Road countries", measure="share_of_offshore"), 2015, "Executed value",
        "China's offshore")
    chart = finish(chart)
    cum = row_value(pm, partner="Belt and Road countries", measure="cumulative_executed_value")
    cagr = row_value(pm, partner="Belt and Road countries", measure="avg_annual_growth", provenance="report")
    v15, v20 = (row_value(val, period=y) for y in ("2015", "2020"))
    w = st.change(st.rows(val, period="2015"), st.rows(val, period="2020"))
    drawn = list(df.loc[df["Series"] == "Executed value", "Year"])
    return dict(
        chart=chart,
        data=df,
        title=chart_title("1-7", years=years_text(drawn)),
        subtitle="Executed value, US$ billion; in brackets, its share of China's offshore executed value "
                 "(computed by the edition)",
        source=f"{MOFCOM}, as given in the report; shares computed by the edition from the report's values and "
               "MOFCOM's 2015 offshore total.",
        alt_text=(
            f"Executed value for Belt and Road countries {w} from {quantity(v15, 'US$ billion')} in 2015 to "
            f"{quantity(v20, 'US$ billion')} in 2020 ({quantity(cagr, '% per year')}), "
            f"{quantity(cum, 'US$ billion')} over 2016–2020."
        ),
        caption_note=join_sentences(
            f"The sources give {years_text(drawn)} only; the other years are marked n.p. (not published)."
            if unknown else "",
            "The report does not say what the share in its figure title is a share of; the shares here are of "
            "China's offshore executed value, computed by the edition.",
        ),
        statements=[w],
    )


@register("1-8", "New international certifications of China's service outsourcing enterprises, {years}")
def fig_1_8(D):
    ce = D("china_outsourcing_certifications")
    rows = ranked(years_from(pick_rows(ce, measure="new_certifications", certification="all_thirteen"), 2016), ["period"])
    years = year_span(2016, rows)
    df, chart, unknown = _simple_bars(tidy(rows, "period", "New certifications"), years)
    chart = finish(chart)
    total = row_value(ce, measure="new_certifications", certification="all_thirteen", period="2016-2020")
    held = row_value(ce, measure="certifications_end_of_year", certification="all_thirteen", period="2020")
    peak = st.extreme({r.period: st.rows(rows, row_id=r.row_id) for r in rows.itertuples()})
    pv = float(df.loc[df["Year"] == peak, "Value"].iloc[0])
    return dict(
        chart=chart,
        data=df,
        title=chart_title("1-8", years=year_range(years)),
        subtitle="New international certifications each year, of the types the report's note lists",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"Enterprises obtained {int(total):,} new international certifications over 2016–2020, most in "
            f"{peak} ({int(pv):,}); they held {int(held):,} at the end of 2020."
        ),
        caption_note=join_sentences(
            NP_NOTE if unknown else "",
        ),
        statements=[peak],
    )


@register("1-9", "Executed value of the China Service Outsourcing Demonstration Cities, {years}")
def fig_1_9(D):
    dc = D("china_demonstration_cities")
    val, shr, years, df, chart, unknown = _value_and_share(
        D, "1-9", "china_demonstration_cities", {}, dict(measure="share_of_national"), 2016,
        "Executed value of the demonstration cities", "China's total")
    chart = finish(chart)
    v16, v20 = (row_value(val, period=y) for y in ("2016", "2020"))
    cagr = row_value(dc, measure="avg_annual_growth", provenance="report")
    w = st.change(st.rows(val, period="2016"), st.rows(val, period="2020"))
    ws = st.change(st.rows(shr, period="2016"), st.rows(shr, period="2020"), words=("rose", "fell", "held"))
    n15, n16 = (st.rows(dc, measure="number_of_cities", period=y) for y in ("2015", "2016"))
    grew = st.change(n15, n16)
    drawn = list(df.loc[df["Series"] == "Executed value of the demonstration cities", "Year"])
    return dict(
        chart=chart,
        data=df,
        title=chart_title("1-9", years=years_text(drawn)),
        subtitle="Executed value, US$ billion; in brackets, the cities' share of China's total executed value "
                 "(computed by the edition)",
        source=f"{MOFCOM}, as given in the report; shares computed by the edition (2016 total from a MOFCOM release "
               "as reprinted).",
        alt_text=(
            f"The {number(n16.value)} demonstration cities' executed value {w} from {quantity(v16, 'US$ billion')} in 2016 to "
            f"{quantity(v20, 'US$ billion')} in 2020, {quantity(cagr, '% per year')}; their share of China's total {ws}."
        ),
        caption_note=join_sentences(
            f"The {number(n16.value)} cities are counted from 2016, when their number {grew} from {number(n15.value)} to "
            f"{number(n16.value)}" + ("; the years between are not published (n.p.)." if unknown else "."),
        ),
        statements=[w, ws, grew],
    )
