"""Section 2: the report's Figures 1-10 to 1-12 and the edition's Charts E8–E10 (trends and opportunities)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sobook import statements as st
from sobook.charts.marks import (
    CSORC,
    SIZE,
    STATUS_LABEL,
    bar_layer,
    by_type,
    by_width,
    finish,
    forecast_path,
    join_sentences,
    label_layer,
    label_num,
    missing_years,
    note_layer,
    np_layer,
    one_row,
    path_sides,
    pct_label,
    pick_rows,
    ranked,
    relabel,
    release_year,
    revisions,
    revisions_text,
    row_bars,
    row_value,
    share_stack,
    stacked,
    tidy,
    tooltips,
    top_layer,
    word_list,
    x_year,
    year_range,
    year_span,
    years_after,
    years_from,
)
from sobook.charts.registry import chart_title, register
from sobook.charts.theme import INK
from sobook.text import number, quantity

NP_NOTE = "n.p.: not published (no value for that year in the sources)."


@register("1-10", "Global offshore service outsourcing, {years}: estimates and forecast")
def fig_1_10(D):
    go = D("global_offshore_outsourcing")
    val = ranked(years_from(pick_rows(go, measure="executed_value"), 2015), ["period"])
    gr = ranked(years_from(pick_rows(go, measure="yoy_growth"), 2015), ["period"])
    years = year_span(2015, val, gr, until=2025)
    a = relabel(tidy(val, "period", lambda r: "Forecast" if r["value_status"] == "forecast" else "Estimate"), 0)
    concepts = {"Estimate": "neutral", "Forecast": "forecast"}
    b = relabel(tidy(gr, "period", "Growth on the year before"), 1, percent=True, signed=True)
    gy = dict(zip(b["Year"], b["Label"]))
    x = x_year(years)
    ymax = float(a["Value"].max()) * 1.45
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    tops = pd.DataFrame({"Year": a["Year"], "Top": a["Value"],
                         "Text": [f"{lab}\n{gy[y]}" if y in gy else lab for lab, y in zip(a["Label"], a["Year"])]})
    v20 = one_row(go, measure="executed_value", period="2020")
    v25 = one_row(go, measure="executed_value", period="2025")
    layers = [bar_layer(a, x, concepts, axis=alt.Axis(title=None, tickCount=4), scale=scale),
              top_layer(tops, x, blocked=path_sides(("2020", v20["value"]), ("2025", v25["value"])))]
    fc = one_row(go, measure="avg_annual_growth", period="2021-2025", provenance="report")
    past = one_row(go, measure="avg_annual_growth", period="2016-2020", provenance="report")
    cum = row_value(go, measure="cumulative_growth", period="2016-2020")
    if "2020" in years and "2025" in years:
        layers.append(forecast_path(x, scale, ("2020", v20["value"]), ("2025", v25["value"]),
                                     f"The report's forecast: {quantity(fc['value'], '% per year', fc['qualifier'])}, "
                                     f"{quantity(v25['value'], 'US$ billion', v25['qualifier'])} in 2025"))
    # the report's averages, written over the years they cover
    t1w = f"2016–2020: {quantity(past['value'], '% per year')} ({number(cum)}% in all)"
    t1n = f"2016–20: {pct_label(past['value'], 1, True)}/yr"
    t2w = f"2021–2025 forecast: {quantity(fc['value'], '% per year', fc['qualifier'])}"
    t2n = f"2021–25: {'>' if fc['qualifier'] == 'more than' else ''}{number(fc['value'])}%/yr"
    yv = ymax * 0.97
    for (tw, tn, y0) in ((t1w, t1n, "2016"), (t2w, t2n, "2021")):
        if y0 in years:
            layers.append(note_layer(tw, tn, x=alt.X("Year:O", scale=x["scale"], sort=years, bandPosition=0),
                                      y=alt.Y("v:Q", scale=scale))
                          .transform_calculate(Year=f"'{y0}'", v=str(yv)))
    unknown = missing_years(years, a)
    if unknown:
        layers.append(np_layer(unknown, x))
    chart = finish(alt.layer(*layers).properties(height=290))
    df = pd.concat([a, b], ignore_index=True)
    share = row_value(go, measure="share_of_world_services_exports", period="2020")
    later = years_after(a.loc[a["Status"] != STATUS_LABEL["forecast"], "Year"])
    derived = sorted(set(pd.concat([val, gr]).query("provenance == 'derived'")["period"]))
    growing = st.sign(st.rows(go, row_id=fc["row_id"]), words=("growing", "shrinking", "unchanged"))
    elsewhere = ""
    if "2021" in unknown and D.has("global_offshore_outsourcing_outcomes"):
        elsewhere = " (the estimate for 2021 published after the report is in Chart E11)"
    return dict(
        chart=chart,
        data=df,
        title=chart_title("1-10", years=year_range(years)),
        subtitle="Executed value, US$ billion (estimates, and the 2025 forecast with its path, dashed); "
                 "under a value, its growth on the year before",
        source=f"{CSORC}, as given in the report (2016–2020 estimates, 2021–2025 forecasts); 2019 from the Center's "
               "earlier report as reprinted; 2015 and 2020 growth computed by the edition.",
        alt_text=(
            f"The Center estimates global offshore service outsourcing at {quantity(v20['value'], 'US$ billion')} in 2020, "
            f"{number(share)}% of world services exports, "
            f"and forecasts {quantity(v25['value'], 'US$ billion', v25['qualifier'])} "
            f"for 2025, {growing} {fc['qualifier']} {number(fc['value'])}% a year."
            + (f" Estimates published later are drawn for {word_list(later)}." if later else "")
        ),
        caption_note=join_sentences(
            f"Single years {word_list(unknown)} are not published (n.p.){elsewhere}." if unknown else "",
            f"Values for {word_list(derived)} are computed by the edition (how: in the data table)." if derived else "",
            "Estimates of different years may come from different editions of the Center's reports (see the "
            "sources).",
            "The dashed line joins the 2020 estimate to the 2025 forecast; the years between are not forecast one by one.",
        ),
        statements=[growing],
    )


@register("1-11", "Structure of global offshore service outsourcing: ITO, BPO and KPO, {years}")
def fig_1_11(D):
    gs = D("global_offshore_outsourcing_structure")
    rows = years_from(gs, 2016)
    years = year_span(2016, rows, until=2025)
    rows = by_type(rows)
    df, layers = share_stack(tidy(rows, "period", "type"), years, decimals=0)
    chart = finish(layers.properties(height=280))
    s = {(r.period, r.type): r.value for r in rows.itertuples()}
    present = sorted(set(df["Year"]))
    sums = {y: st.rows(rows, period=y) for y in present}
    off = [f"the {y} shares as printed add up to {number(round(t.value, 1))}%" for y, t in sums.items()
           if abs(t.value - 100) > 0.05]
    w = {t: st.change(st.rows(rows, period="2020", type=t), st.rows(rows, period="2025", type=t),
                      words=("to rise", "to fall", "to stay"))
         for t in ("ITO", "BPO", "KPO")}
    return dict(
        chart=chart,
        data=df.drop(columns=["Top", "Base", "Mid"]),
        title=chart_title("1-11", years=year_range([present[0], years[-1]])),
        subtitle="Shares of ITO, BPO and KPO in global offshore service outsourcing, % (estimates lighter; the 2025 "
                 "forecast hollow, dashed)",
        source=f"{CSORC}, as given in the report (2020 estimate, 2025 forecast); 2019 from the Center's earlier "
               "report as reprinted.",
        alt_text=(
            f"The Center expects ITO's share {w['ITO']} from {number(s[('2020', 'ITO')])}% in 2020 to "
            f"{number(s[('2025', 'ITO')])}% in 2025 and KPO's {w['KPO']} from {number(s[('2020', 'KPO')])}% to "
            f"{number(s[('2025', 'KPO')])}%, while BPO's is expected {w['BPO']} from {number(s[('2020', 'BPO')])}% to "
            f"{number(s[('2025', 'BPO')])}%."
        ),
        caption_note=join_sentences(
            f"Only {word_list(present)} are given; the other years of the report's figure are not published (n.p.).",
            (word_list(off)[0].upper() + word_list(off)[1:] + ".") if off else "",
        ),
        statements=[*w.values(), *sums.values()],
    )


@register("1-12", "Large outsourcing contracts worldwide (ISG Index), {years}")
def fig_1_12(D):
    isg = D("isg_large_contracts")
    # ISG's figures as each release gives them, and what the report's own figures imply; not a value computed
    # from a later release (a later vintage's 2020, the forecast rebased to it: Chart E14 draws those)
    by_id = {r["row_id"]: r for _, r in isg.iterrows()}
    drawn = isg[[r["provenance"] != "derived" or release_year(r, by_id) is None for _, r in isg.iterrows()]]
    parts = ["ITO", "BPO", "as_a_service"]
    seg = years_from(pick_rows(drawn, measure="acv", segment=parts), 2016)
    split = {y for y in set(seg["period"]) if set(seg.loc[seg["period"] == y, "segment"]) >= set(parts)}
    seg = seg[seg["period"].isin(split)]
    comb_all = years_from(pick_rows(drawn, measure="acv", segment="combined"), 2016)
    comb_all = ranked(comb_all[comb_all["value_status"] != "forecast"], ["period"])
    comb = comb_all[~comb_all["period"].isin(split)]
    gr = years_from(pick_rows(isg, measure="yoy_growth", segment="combined"), 2016)
    years = year_span(2016, seg, comb, gr)
    names = {"ITO": "ITO", "BPO": "BPO", "as_a_service": "As-a-service (cloud)", "combined": "All segments (no split known)"}
    concepts = {"ITO": "ITO", "BPO": "BPO", "As-a-service (cloud)": "cloud", "All segments (no split known)": "neutral"}
    a = relabel(tidy(pd.concat([seg, comb]), "period", lambda r: names[r["segment"]]), 1)
    a = stacked(a, "Year", list(concepts))
    a["Label colour"] = ["light" if s in ("As-a-service (cloud)", "All segments (no split known)") and
                         stt == STATUS_LABEL["reported"] else "dark" for s, stt in zip(a["Series"], a["Status"])]
    b = relabel(tidy(gr, "period", "Growth of all segments on the year before"), 1, percent=True, signed=True)
    gy = dict(zip(b["Year"], b["Label"]))
    totals = {r.period: r.value for r in comb_all.itertuples()}
    x = x_year(years)
    ymax = float(a["Top"].max()) * 1.35
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    tops = pd.DataFrame([{"Year": y, "Top": float(a.loc[a["Year"] == y, "Top"].max()),
                          "Text": label_num(totals.get(y, a.loc[a["Year"] == y, "Top"].max()), 1)
                          + (f"\n{gy[y]}" if y in gy else "")} for y in years if y in set(a["Year"])])
    layers = [
        bar_layer(a, x, concepts, y="Top", y2="Base", axis=alt.Axis(title=None, tickCount=4), scale=scale,
                   legend=True),
        # inside a segment, its value (a bar of one segment has its value on top)
        label_layer(a[(a["Value"] / ymax * 280 >= 16) & (a.groupby("Year")["Series"].transform("count") > 1)], x,
                     alt.Y("Mid:Q", scale=scale), colour="by-fill", dy=0, baseline="middle"),
        top_layer(tops, x),
    ]
    unknown = missing_years(years, a)
    if unknown:
        layers.append(np_layer(unknown, x))
    chart = finish(alt.layer(*layers).properties(height=280))
    df = pd.concat([a.drop(columns=["Top", "Base", "Mid"]), b], ignore_index=True)
    v20 = one_row(isg, measure="acv", segment="combined", period="2020", provenance="report")
    g20r = one_row(isg, measure="yoy_growth", segment="combined", period="2020")
    g20 = float(g20r["value"])
    up = st.sign(st.rows(isg, row_id=g20r["row_id"]), words=("up", "down", "unchanged"))
    v16 = row_value(isg, measure="acv", segment="combined", period="2016")
    cloud = st.compare(st.rows(isg, measure="acv", segment="as_a_service", period="2020"),
                       st.scaled(st.rows(isg, row_id=v20["row_id"]), 0.5),
                       words=("more than half", "less than half", "half"))
    later = comb[comb["period"].map(int) > 2020].sort_values("period")
    derived = sorted(set(a.loc[a["Status"] == STATUS_LABEL["derived"], "Year"]))
    vs = revisions(D.with_outcomes("isg_large_contracts"), v20)
    return dict(
        chart=chart,
        data=df,
        title=chart_title("1-12", years=year_range(years)),
        subtitle="Annual contract value of large contracts, by segment, US$ billion; above each bar, the total and "
                 "its growth on the year before",
        source="ISG (Information Services Group), as given in the report (2020, ISG's January 2021 figures); 2016 "
               "from ISG's release; 2019 computed by the edition from the 2020 growth rates.",
        alt_text=(
            f"Large contracts were worth {quantity(v16, 'US$ billion')} in 2016 and {quantity(v20['value'], 'US$ billion')} in "
            f"2020, {up} {number(abs(g20))}% on 2019, {cloud} of it as-a-service (cloud) contracts."
            + (f" ISG's later figures: "
               f"{word_list([quantity(r.value, 'US$ billion') + ' in ' + r.period for r in later.itertuples()])}."
               if len(later) else "")
        ),
        caption_note=join_sentences(
            NP_NOTE if unknown else "",
            f"{word_list(derived)} values are implied by the following year's values and growth rates." if derived else "",
            f"ISG's later releases imply {revisions_text(vs, v20)} for 2020"
            + (", so its figures after 2020 are not directly comparable with the report's (Chart E14 draws each "
               "release apart)." if any(w != "the same as" for *_, w in vs) else ".") if vs else "",
        ),
        statements=[up, cloud, *(w for *_, w in vs)],
    )


@register("e8", "Large outsourcing contracts worldwide by segment (ISG Index), 2020")
def chart_e8(D):
    isg = D("isg_large_contracts")
    segs = ["ITO", "BPO", "as_a_service", "IaaS", "SaaS"]
    names = {"ITO": "ITO", "BPO": "BPO", "as_a_service": "As-a-service (cloud)", "IaaS": "of which IaaS",
             "SaaS": "of which SaaS"}
    concept = {"ITO": "ITO", "BPO": "BPO", "as_a_service": "cloud", "IaaS": "cloud", "SaaS": "cloud"}
    rows = pick_rows(isg, measure="acv", period="2020", segment=segs)
    df = relabel(tidy(rows, lambda r: names[r["segment"]], lambda r: names[r["segment"]], x_name="Segment"), 1)
    gr = pick_rows(isg, measure="yoy_growth", period="2020", segment=segs)
    df["Growth on 2019"] = [quantity(row_value(gr, segment=s), "% change") for s in rows["segment"]]
    df["Label"] = [f"{a}  ({pct_label(row_value(gr, segment=s), 1, True)} on 2019)" for a, s in zip(df["Label"], rows["segment"])]
    order = [names[s] for s in segs]
    chart, h = row_bars(df, "Segment", order, {names[s]: concept[s] for s in segs}, x_max=float(df["Value"].max()) * 1.7,
                     tooltip=tooltips("Segment", [alt.Tooltip("Growth on 2019:N")]))
    chart = finish(chart.properties(height=h))
    bpo = one_row(isg, segment="BPO", measure="yoy_growth", period="2020")
    fell = st.sign(st.rows(isg, row_id=bpo["row_id"]), words=("grew", "fell", "held"))
    x = st.rows(isg, segment="as_a_service", measure="acv", period="2020")
    more = st.compare(x, st.rows(isg, segment=["ITO", "BPO"], measure="acv", period="2020"),
                      words=("more than", "less than", "as much as"))
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e8"),
        subtitle="Annual contract value of large contracts, US$ billion; in brackets, growth on 2019",
        source="ISG (Information Services Group), as given in the report (ISG's January 2021 figures).",
        alt_text=(
            f"In 2020 as-a-service (cloud) contracts were worth {quantity(x.value, 'US$ billion')}, {more} ITO and BPO "
            f"together; BPO {fell} {number(abs(bpo['value']))}%."
        ),
        caption_note="IaaS and SaaS are parts of the as-a-service segment, not added to it.",
        statements=[fell, more],
    )


@register("e9", "Offshore outsourcing by the United States, the EU and Japan: forecasts for 2025")
def chart_e9(D):
    df_ = D("offshore_outsourcing_demand_forecasts")
    clients = ["EU", "United States", "Japan"]
    rows = pick_rows(df_, measure="offshore_outsourcing_value", client=clients)
    s20, s25 = "2020 (implied by the forecast)", "2025 (forecast)"
    df = relabel(tidy(rows, "client", lambda r: s25 if r["period"] == "2025" else s20, x_name="Client economy"), 0)
    g = pick_rows(df_, measure="avg_annual_growth", client=clients)
    df["Average annual growth 2021–2025 (forecast)"] = [
        quantity(row_value(g, client=c), "% per year", "about") for c in rows["client"]]
    x = alt.X("Client economy:N", sort=clients, scale=alt.Scale(type="band", domain=clients, paddingInner=0.3),
              axis=alt.Axis(labelAngle=0, title=None))
    ymax = float(df["Value"].max()) * 1.2
    scale = alt.Scale(domain=[0, ymax], nice=False)
    offset = [s20, s25]
    concepts = {s20: "neutral", s25: "forecast"}
    bars = bar_layer(df, x, concepts, axis=alt.Axis(title=None, tickCount=4), scale=scale, x_name="Client economy",
                      offset=offset, extra_tt=[alt.Tooltip("Average annual growth 2021–2025 (forecast):N")])
    # No colour legend: both bars are hollow, so solid swatches would not be what is drawn; the
    # subtitle says which outline is which, and the value-status legend keys the outlines.
    labels = (alt.Chart(df).mark_text(dy=-4, baseline="bottom", fontSize=by_width(*SIZE), color=INK)
              .encode(x=x, xOffset=alt.XOffset("Series:N", sort=offset, scale=alt.Scale(domain=offset)),
                      y=alt.Y("Value:Q", scale=scale), text="Label:N", tooltip=tooltips("Client economy")))
    chart = finish(alt.layer(bars, labels).properties(height=260))
    top = st.extreme({c: st.rows(df_, client=c, period="2025", measure="offshore_outsourcing_value") for c in clients})
    eu = row_value(df_, client=top, period="2025", measure="offshore_outsourcing_value")
    others = [c for c in clients if c != top]
    ratio = st.ratio(st.rows(df_, client=top, period="2025", measure="offshore_outsourcing_value"),
                     st.rows(df_, client=others, period="2025", measure="offshore_outsourcing_value"))
    actual = rows[(rows["period"].map(lambda p: int(p[:4])) > 2020) & (rows["value_status"] != "forecast")]
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e9"),
        subtitle="Value of offshore outsourcing contracted out, US$ billion: 2025 forecast (hollow, dashed) and the "
                 "2020 value it implies (hollow, dotted)",
        source=f"{CSORC}, as given in the report (forecasts); 2020 values implied by the forecasts, computed by the edition.",
        alt_text=(
            f"The Center forecasts the {top} to contract out {quantity(eu, 'US$ billion')} of offshore outsourcing in 2025, "
            f"{ratio} the {word_list(others)} together."
        ),
        caption_note=(
            "The report gives 2025 values and average growth rates ('about'); the 2020 values are what those imply "
            "(2025 value ÷ (1 + rate)⁵), not published figures."
            + ("" if len(actual) else " Actual values after 2020 were not found.")
        ),
        statements=[top, ratio],
    )


@register("e10", "China's green and low-carbon investment needs by sector, 2021–2050")
def chart_e10(D):
    gr = D("green_low_carbon_investment_needs")
    rows = pick_rows(gr, measure="investment_need", provenance="report")
    rows = rows[rows["sector"] != "total"]
    df = relabel(tidy(rows, lambda r: r["sector"].capitalize(), "Investment need (forecast)", x_name="Sector"), 0)
    order = list(df.sort_values("Value", ascending=False)["Sector"])
    chart, h = row_bars(df, "Sector", order, {"Investment need (forecast)": "forecast"})
    chart = finish(chart.properties(height=h), legend_status=False)
    tot = one_row(gr, sector="total", provenance="report")
    inc = row_value(gr, sector="outsourcing_increment")
    first = st.extreme({s: st.rows(rows, sector=s) for s in rows["sector"]})
    drawn = st.rows(rows)
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e10"),
        subtitle="Cumulative investment need 2021–2050 by sector, RMB trillion (a forecast: hollow bars)",
        source="China Society for Finance and Banking (中国金融学会), forecast as cited in the report.",
        alt_text=(
            f"Of {quantity(tot['value'], 'RMB trillion', tot['qualifier'])} of green and low-carbon investment China needs "
            f"in 2021–2050, {first} needs the most; the report expects "
            f"{quantity(inc, 'RMB trillion')} of additional service outsourcing from it."
        ),
        caption_note=f"The sectors drawn add up to {quantity(round(drawn.value, 1), 'RMB trillion')}; the text says "
                     f"'{quantity(tot['value'], 'RMB trillion', tot['qualifier'])}'.",
        statements=[first, drawn],
    )
