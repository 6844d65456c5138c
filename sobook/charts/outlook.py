"""Section 2: the report's Figures 1-10 to 1-12 and the edition's Charts E8–E10 (trends and opportunities)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sobook import statements as st
from sobook.charts.marks import (
    CSORC,
    SIZE,
    STATUS_LABEL,
    _after,
    _bar_layer,
    _by_type,
    _dash,
    _finish,
    _forecast_path,
    _from,
    _label_layer,
    _list,
    _missing,
    _note_layer,
    _np_layer,
    _num,
    _one,
    _pick,
    _ranked,
    _relabel,
    _rows,
    _sentences,
    _share_stack,
    _span,
    _stack,
    _tidy,
    _tooltip,
    _top_layer,
    _val,
    _x,
    by_width,
    label_num,
    path_sides,
    pct_label,
    release_year,
    revisions,
    revisions_text,
)
from sobook.charts.registry import _title, register
from sobook.charts.theme import INK
from sobook.text import quantity

NP_NOTE = "n.p.: not published (no value for that year in the sources)."


@register("1-10", "Global offshore service outsourcing, {years}: estimates and forecast")
def fig_1_10(D):
    go = D("global_offshore_outsourcing")
    val = _ranked(_from(_pick(go, measure="executed_value"), 2015), ["period"])
    gr = _ranked(_from(_pick(go, measure="yoy_growth"), 2015), ["period"])
    years = _span(2015, val, gr, until=2025)
    a = _relabel(_tidy(val, "period", lambda r: "Forecast" if r["value_status"] == "forecast" else "Estimate"), 0)
    concepts = {"Estimate": "neutral", "Forecast": "forecast"}
    b = _relabel(_tidy(gr, "period", "Growth on the year before"), 1, percent=True, signed=True)
    gy = dict(zip(b["Year"], b["Label"]))
    x = _x(years)
    ymax = float(a["Value"].max()) * 1.45
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    tops = pd.DataFrame({"Year": a["Year"], "Top": a["Value"],
                         "Text": [f"{lab}\n{gy[y]}" if y in gy else lab for lab, y in zip(a["Label"], a["Year"])]})
    v20 = _one(go, measure="executed_value", period="2020")
    v25 = _one(go, measure="executed_value", period="2025")
    layers = [_bar_layer(a, x, concepts, axis=alt.Axis(title=None, tickCount=4), scale=scale),
              _top_layer(tops, x, blocked=path_sides(("2020", v20["value"]), ("2025", v25["value"])))]
    fc = _one(go, measure="avg_annual_growth", period="2021-2025", provenance="report")
    past = _one(go, measure="avg_annual_growth", period="2016-2020", provenance="report")
    cum = _val(go, measure="cumulative_growth", period="2016-2020")
    if "2020" in years and "2025" in years:
        layers.append(_forecast_path(x, scale, ("2020", v20["value"]), ("2025", v25["value"]),
                                     f"The report's forecast: {quantity(fc['value'], '% per year', fc['qualifier'])}, "
                                     f"{quantity(v25['value'], 'US$ billion', v25['qualifier'])} in 2025"))
    # the report's averages, written over the years they cover
    t1w = f"2016–2020: {quantity(past['value'], '% per year')} ({_num(cum)}% in all)"
    t1n = f"2016–20: {pct_label(past['value'], 1, True)}/yr"
    t2w = f"2021–2025 forecast: {quantity(fc['value'], '% per year', fc['qualifier'])}"
    t2n = f"2021–25: {'>' if fc['qualifier'] == 'more than' else ''}{_num(fc['value'])}%/yr"
    yv = ymax * 0.97
    for (tw, tn, y0) in ((t1w, t1n, "2016"), (t2w, t2n, "2021")):
        if y0 in years:
            layers.append(_note_layer(tw, tn, x=alt.X("Year:O", scale=x["scale"], sort=years, bandPosition=0),
                                      y=alt.Y("v:Q", scale=scale))
                          .transform_calculate(Year=f"'{y0}'", v=str(yv)))
    unknown = _missing(years, a)
    if unknown:
        layers.append(_np_layer(unknown, x))
    chart = _finish(alt.layer(*layers).properties(height=290))
    df = pd.concat([a, b], ignore_index=True)
    share = _val(go, measure="share_of_world_services_exports", period="2020")
    later = _after(a.loc[a["Status"] != STATUS_LABEL["forecast"], "Year"])
    derived = sorted(set(pd.concat([val, gr]).query("provenance == 'derived'")["period"]))
    growing = st.sign(st.rows(go, row_id=fc["row_id"]), words=("growing", "shrinking", "unchanged"))
    elsewhere = ""
    if "2021" in unknown and D.has("global_offshore_outsourcing_outcomes"):
        elsewhere = " (the estimate for 2021 published after the report is in Chart E11)"
    return dict(
        chart=chart,
        data=df,
        title=_title("1-10", years=_dash(years)),
        subtitle="Executed value, US$ billion (estimates, and the 2025 forecast with its path, dashed); "
                 "under a value, its growth on the year before",
        source=f"{CSORC}, as given in the report (2016–2020 estimates, 2021–2025 forecasts); 2019 from the Center's "
               "earlier report as reprinted; 2015 and 2020 growth computed by the edition.",
        alt_text=(
            f"The Center estimates global offshore service outsourcing at {quantity(v20['value'], 'US$ billion')} in 2020, "
            f"{_num(share)}% of world services exports, and forecasts {quantity(v25['value'], 'US$ billion', v25['qualifier'])} "
            f"for 2025, {growing} {fc['qualifier']} {_num(fc['value'])}% a year."
            + (f" Estimates published later are drawn for {_list(later)}." if later else "")
        ),
        caption_note=_sentences(
            f"Single years {_list(unknown)} are not published (n.p.){elsewhere}." if unknown else "",
            f"Values for {_list(derived)} are computed by the edition (how: in the data table)." if derived else "",
            "Estimates of different years may come from different editions of the Center's reports (see the "
            "sources).",
            "The dashed line joins the 2020 estimate to the 2025 forecast; the years between are not forecast one by one.",
        ),
        statements=[growing],
    )


@register("1-11", "Structure of global offshore service outsourcing: ITO, BPO and KPO, {years}")
def fig_1_11(D):
    gs = D("global_offshore_outsourcing_structure")
    rows = _from(gs, 2016)
    years = _span(2016, rows, until=2025)
    rows = _by_type(rows)
    df, layers = _share_stack(_tidy(rows, "period", "type"), years, decimals=0)
    chart = _finish(layers.properties(height=280))
    s = {(r.period, r.type): r.value for r in rows.itertuples()}
    present = sorted(set(df["Year"]))
    sums = {y: st.rows(rows, period=y) for y in present}
    off = [f"the {y} shares as printed add up to {_num(round(t.value, 1))}%" for y, t in sums.items()
           if abs(t.value - 100) > 0.05]
    w = {t: st.change(st.rows(rows, period="2020", type=t), st.rows(rows, period="2025", type=t),
                      words=("to rise", "to fall", "to stay"))
         for t in ("ITO", "BPO", "KPO")}
    return dict(
        chart=chart,
        data=df.drop(columns=["Top", "Base", "Mid"]),
        title=_title("1-11", years=_dash([present[0], years[-1]])),
        subtitle="Shares of ITO, BPO and KPO in global offshore service outsourcing, % (estimates lighter; the 2025 "
                 "forecast hollow, dashed)",
        source=f"{CSORC}, as given in the report (2020 estimate, 2025 forecast); 2019 from the Center's earlier "
               "report as reprinted.",
        alt_text=(
            f"The Center expects ITO's share {w['ITO']} from {_num(s[('2020', 'ITO')])}% in 2020 to "
            f"{_num(s[('2025', 'ITO')])}% in 2025 and KPO's {w['KPO']} from {_num(s[('2020', 'KPO')])}% to "
            f"{_num(s[('2025', 'KPO')])}%, while BPO's is expected {w['BPO']} from {_num(s[('2020', 'BPO')])}% to "
            f"{_num(s[('2025', 'BPO')])}%."
        ),
        caption_note=_sentences(
            f"Only {_list(present)} are given; the other years of the report's figure are not published (n.p.).",
            (_list(off)[0].upper() + _list(off)[1:] + ".") if off else "",
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
    seg = _from(_pick(drawn, measure="acv", segment=parts), 2016)
    split = {y for y in set(seg["period"]) if set(seg.loc[seg["period"] == y, "segment"]) >= set(parts)}
    seg = seg[seg["period"].isin(split)]
    comb_all = _from(_pick(drawn, measure="acv", segment="combined"), 2016)
    comb_all = _ranked(comb_all[comb_all["value_status"] != "forecast"], ["period"])
    comb = comb_all[~comb_all["period"].isin(split)]
    gr = _from(_pick(isg, measure="yoy_growth", segment="combined"), 2016)
    years = _span(2016, seg, comb, gr)
    names = {"ITO": "ITO", "BPO": "BPO", "as_a_service": "As-a-service (cloud)", "combined": "All segments (no split known)"}
    concepts = {"ITO": "ITO", "BPO": "BPO", "As-a-service (cloud)": "cloud", "All segments (no split known)": "neutral"}
    a = _relabel(_tidy(pd.concat([seg, comb]), "period", lambda r: names[r["segment"]]), 1)
    a = _stack(a, "Year", list(concepts))
    a["Label colour"] = ["light" if s in ("As-a-service (cloud)", "All segments (no split known)") and
                         stt == STATUS_LABEL["reported"] else "dark" for s, stt in zip(a["Series"], a["Status"])]
    b = _relabel(_tidy(gr, "period", "Growth of all segments on the year before"), 1, percent=True, signed=True)
    gy = dict(zip(b["Year"], b["Label"]))
    totals = {r.period: r.value for r in comb_all.itertuples()}
    x = _x(years)
    ymax = float(a["Top"].max()) * 1.35
    scale = alt.Scale(domain=[0, ymax], nice=False, zero=True)
    tops = pd.DataFrame([{"Year": y, "Top": float(a.loc[a["Year"] == y, "Top"].max()),
                          "Text": label_num(totals.get(y, a.loc[a["Year"] == y, "Top"].max()), 1)
                          + (f"\n{gy[y]}" if y in gy else "")} for y in years if y in set(a["Year"])])
    layers = [
        _bar_layer(a, x, concepts, y="Top", y2="Base", axis=alt.Axis(title=None, tickCount=4), scale=scale,
                   legend=True),
        # inside a segment, its value (a bar of one segment has its value on top)
        _label_layer(a[(a["Value"] / ymax * 280 >= 16) & (a.groupby("Year")["Series"].transform("count") > 1)], x,
                     alt.Y("Mid:Q", scale=scale), colour="by-fill", dy=0, baseline="middle"),
        _top_layer(tops, x),
    ]
    unknown = _missing(years, a)
    if unknown:
        layers.append(_np_layer(unknown, x))
    chart = _finish(alt.layer(*layers).properties(height=280))
    df = pd.concat([a.drop(columns=["Top", "Base", "Mid"]), b], ignore_index=True)
    v20 = _one(isg, measure="acv", segment="combined", period="2020", provenance="report")
    g20r = _one(isg, measure="yoy_growth", segment="combined", period="2020")
    g20 = float(g20r["value"])
    up = st.sign(st.rows(isg, row_id=g20r["row_id"]), words=("up", "down", "unchanged"))
    v16 = _val(isg, measure="acv", segment="combined", period="2016")
    cloud = st.compare(st.rows(isg, measure="acv", segment="as_a_service", period="2020"),
                       st.scaled(st.rows(isg, row_id=v20["row_id"]), 0.5),
                       words=("more than half", "less than half", "half"))
    later = comb[comb["period"].map(int) > 2020].sort_values("period")
    derived = sorted(set(a.loc[a["Status"] == STATUS_LABEL["derived"], "Year"]))
    vs = revisions(D.with_outcomes("isg_large_contracts"), v20)
    return dict(
        chart=chart,
        data=df,
        title=_title("1-12", years=_dash(years)),
        subtitle="Annual contract value of large contracts, by segment, US$ billion; above each bar, the total and "
                 "its growth on the year before",
        source="ISG (Information Services Group), as given in the report (2020, ISG's January 2021 figures); 2016 "
               "from ISG's release; 2019 computed by the edition from the 2020 growth rates.",
        alt_text=(
            f"Large contracts were worth {quantity(v16, 'US$ billion')} in 2016 and {quantity(v20['value'], 'US$ billion')} in "
            f"2020, {up} {_num(abs(g20))}% on 2019, {cloud} of it as-a-service (cloud) contracts."
            + (f" ISG's later figures: "
               f"{_list([quantity(r.value, 'US$ billion') + ' in ' + r.period for r in later.itertuples()])}."
               if len(later) else "")
        ),
        caption_note=_sentences(
            NP_NOTE if unknown else "",
            f"{_list(derived)} values are implied by the following year's values and growth rates." if derived else "",
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
    rows = _pick(isg, measure="acv", period="2020", segment=segs)
    df = _relabel(_tidy(rows, lambda r: names[r["segment"]], lambda r: names[r["segment"]], x_name="Segment"), 1)
    gr = _pick(isg, measure="yoy_growth", period="2020", segment=segs)
    df["Growth on 2019"] = [quantity(_val(gr, segment=s), "% change") for s in rows["segment"]]
    df["Label"] = [f"{a}  ({pct_label(_val(gr, segment=s), 1, True)} on 2019)" for a, s in zip(df["Label"], rows["segment"])]
    order = [names[s] for s in segs]
    chart, h = _rows(df, "Segment", order, {names[s]: concept[s] for s in segs}, x_max=float(df["Value"].max()) * 1.7,
                     tooltip=_tooltip("Segment", [alt.Tooltip("Growth on 2019:N")]))
    chart = _finish(chart.properties(height=h))
    bpo = _one(isg, segment="BPO", measure="yoy_growth", period="2020")
    fell = st.sign(st.rows(isg, row_id=bpo["row_id"]), words=("grew", "fell", "held"))
    x = st.rows(isg, segment="as_a_service", measure="acv", period="2020")
    more = st.compare(x, st.rows(isg, segment=["ITO", "BPO"], measure="acv", period="2020"),
                      words=("more than", "less than", "as much as"))
    return dict(
        chart=chart,
        data=df,
        title=_title("e8"),
        subtitle="Annual contract value of large contracts, US$ billion; in brackets, growth on 2019",
        source="ISG (Information Services Group), as given in the report (ISG's January 2021 figures).",
        alt_text=(
            f"In 2020 as-a-service (cloud) contracts were worth {quantity(x.value, 'US$ billion')}, {more} ITO and BPO "
            f"together; BPO {fell} {_num(abs(bpo['value']))}%."
        ),
        caption_note="IaaS and SaaS are parts of the as-a-service segment, not added to it.",
        statements=[fell, more],
    )


@register("e9", "Offshore outsourcing by the United States, the EU and Japan: forecasts for 2025")
def chart_e9(D):
    df_ = D("offshore_outsourcing_demand_forecasts")
    clients = ["EU", "United States", "Japan"]
    rows = _pick(df_, measure="offshore_outsourcing_value", client=clients)
    s20, s25 = "2020 (implied by the forecast)", "2025 (forecast)"
    df = _relabel(_tidy(rows, "client", lambda r: s25 if r["period"] == "2025" else s20, x_name="Client economy"), 0)
    g = _pick(df_, measure="avg_annual_growth", client=clients)
    df["Average annual growth 2021–2025 (forecast)"] = [
        quantity(_val(g, client=c), "% per year", "about") for c in rows["client"]]
    x = alt.X("Client economy:N", sort=clients, scale=alt.Scale(type="band", domain=clients, paddingInner=0.3),
              axis=alt.Axis(labelAngle=0, title=None))
    ymax = float(df["Value"].max()) * 1.2
    scale = alt.Scale(domain=[0, ymax], nice=False)
    offset = [s20, s25]
    concepts = {s20: "neutral", s25: "forecast"}
    bars = _bar_layer(df, x, concepts, axis=alt.Axis(title=None, tickCount=4), scale=scale, x_name="Client economy",
                      offset=offset, extra_tt=[alt.Tooltip("Average annual growth 2021–2025 (forecast):N")])
    # No colour legend: both bars are hollow, so solid swatches would not be what is drawn; the
    # subtitle says which outline is which, and the value-status legend keys the outlines.
    labels = (alt.Chart(df).mark_text(dy=-4, baseline="bottom", fontSize=by_width(*SIZE), color=INK)
              .encode(x=x, xOffset=alt.XOffset("Series:N", sort=offset, scale=alt.Scale(domain=offset)),
                      y=alt.Y("Value:Q", scale=scale), text="Label:N", tooltip=_tooltip("Client economy")))
    chart = _finish(alt.layer(bars, labels).properties(height=260))
    top = st.extreme({c: st.rows(df_, client=c, period="2025", measure="offshore_outsourcing_value") for c in clients})
    eu = _val(df_, client=top, period="2025", measure="offshore_outsourcing_value")
    others = [c for c in clients if c != top]
    ratio = st.ratio(st.rows(df_, client=top, period="2025", measure="offshore_outsourcing_value"),
                     st.rows(df_, client=others, period="2025", measure="offshore_outsourcing_value"))
    actual = rows[(rows["period"].map(lambda p: int(p[:4])) > 2020) & (rows["value_status"] != "forecast")]
    return dict(
        chart=chart,
        data=df,
        title=_title("e9"),
        subtitle="Value of offshore outsourcing contracted out, US$ billion: 2025 forecast (hollow, dashed) and the "
                 "2020 value it implies (hollow, dotted)",
        source=f"{CSORC}, as given in the report (forecasts); 2020 values implied by the forecasts, computed by the edition.",
        alt_text=(
            f"The Center forecasts the {top} to contract out {quantity(eu, 'US$ billion')} of offshore outsourcing in 2025, "
            f"{ratio} the {_list(others)} together."
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
    rows = _pick(gr, measure="investment_need", provenance="report")
    rows = rows[rows["sector"] != "total"]
    df = _relabel(_tidy(rows, lambda r: r["sector"].capitalize(), "Investment need (forecast)", x_name="Sector"), 0)
    order = list(df.sort_values("Value", ascending=False)["Sector"])
    chart, h = _rows(df, "Sector", order, {"Investment need (forecast)": "forecast"})
    chart = _finish(chart.properties(height=h), legend_status=False)
    tot = _one(gr, sector="total", provenance="report")
    inc = _val(gr, sector="outsourcing_increment")
    first = st.extreme({s: st.rows(rows, sector=s) for s in rows["sector"]})
    drawn = st.rows(rows)
    return dict(
        chart=chart,
        data=df,
        title=_title("e10"),
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
