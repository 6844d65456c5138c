"""Section 1: the report's Figures 1-1 to 1-9 and the edition's charts of the achievements, 2016–2020."""

from __future__ import annotations


import altair as alt
import pandas as pd

from sobook.charts.marks import (
    MOFCOM,
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
    _long_labels,
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
    _years,
    _years_text,
    fmt,
)
from sobook.charts.registry import _title, register


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
        title=_title("1-3"),
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
        title=_title("e1"),
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
        title=_title("e2"),
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
        title=_title("e3"),
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
        title=_title("e4"),
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
        title=_title("e5"),
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
        title=_title("e6"),
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
        title=_title("e7"),
        subtitle="Executed value of the smallest enterprise in each ranking, US$ million",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"Every threshold rose between 2015 and 2020; the Top 500 by total executed value went from "
            f"{fmt(a, 'US$ million')} to {fmt(b, 'US$ million')}."
        ),
        caption_note="Values given in the report as 万美元 or 亿美元, converted to US$ million.",
    )
