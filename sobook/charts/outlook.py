"""Section 2: the report's Figures 1-10 to 1-12 and the edition's charts of the outlook's trends and opportunities."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sobook.charts.marks import (
    CSORC,
    STATUS_LABEL,
    VERMILLION_TEXT,
    _after,
    _bars,
    _by_type,
    _color,
    _dash,
    _finish,
    _from,
    _labelled_bars,
    _labels,
    _list,
    _missing,
    _num,
    _one,
    _palette,
    _pick,
    _points,
    _ranked,
    _sentences,
    _share_stack,
    _span,
    _status,
    _tidy,
    _tooltip,
    _val,
    _x,
    _y_domain,
    fmt,
)
from sobook.charts.registry import _title, register


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
        title=_title("e8"),
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
        title=_title("e9"),
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
        title=_title("e10"),
        subtitle="Cumulative investment need 2021–2050 by sector, RMB trillion (forecast)",
        source="China Society for Finance and Banking (中国金融学会), forecast as cited in the report.",
        alt_text=(
            f"Of {fmt(tot['value'], 'RMB trillion', tot['qualifier'])} of green and low-carbon investment China needs "
            "in 2021–2050, power and environmental infrastructure need the most; the report expects "
            f"{fmt(inc, 'RMB trillion')} of additional service outsourcing from it."
        ),
        caption_note="The six sectors add up to RMB 300 trillion; the text says 'nearly 300'.",
    )
