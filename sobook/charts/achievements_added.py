"""Section 1 (achievements, 2016–2020): the edition's own Charts E1–E7.

The edition's charts are numbered in the book's reading order: E1 (business
lines) to E7 (certifications) stand in this chapter in that order, after the
report's figures of their paragraphs (``achievements``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from sobook import statements as st
from sobook.charts.marks import (
    MOFCOM,
    NARROW,
    SIZE,
    bar_layer,
    by_width,
    finish,
    join_sentences,
    label_num,
    log_domain,
    log_x,
    one_row,
    pct_label,
    pick_rows,
    ranked,
    relabel,
    row_bars,
    row_value,
    rows_layout,
    series_colour,
    status_marks,
    tidy,
    tooltips,
    top_layer,
    word_list,
    year_list,
)
from sobook.charts.registry import chart_title, register
from sobook.charts.theme import INK
from sobook.text import number, quantity


@register("e1", "Fast-growing business lines, 2020 against 2015")
def chart_e1(D):
    nb = D("china_outsourcing_new_business_lines")
    names = {
        "human_resources_management": ("Human resources management (BPO)", "BPO"),
        "internet_marketing": ("Internet marketing (BPO)", "BPO"),
        "testing_and_inspection": ("Testing and inspection (KPO)", "KPO"),
        "it_solutions": ("IT solutions (ITO)", "ITO"),
        "new_generation_it_development_and_application": ("New-generation IT development (ITO)", "ITO"),
        "management_consulting": ("Management consulting (KPO)", "KPO"),
    }
    rows = pick_rows(nb, measure="executed_value", period="2020")
    df = relabel(tidy(rows, lambda r: names[r["business_line"]][0], lambda r: names[r["business_line"]][1],
                        x_name="Business line"), 2)
    growth, tips = [], []
    for line in rows["business_line"]:
        lvl = pick_rows(nb, business_line=line, measure="level_multiple_vs_2015")
        if len(lvl):
            rep = row_value(nb, business_line=line, measure="avg_annual_growth", provenance="report")
            growth.append(f"{number(float(lvl['value'].iloc[0]))} × 2015")
            tips.append(f"{number(float(lvl['value'].iloc[0]))} times the 2015 level; {quantity(rep, '% per year')} (report)")
        else:
            g = row_value(nb, business_line=line, measure="growth_vs_2018")
            growth.append(f"{pct_label(g, 1, signed=True)} on 2018")
            tips.append(f"{quantity(g, '% change')} on 2018 (2015 not given)")
    df["Growth"] = tips
    df["Label"] = [f"{a}  ({b})" for a, b in zip(df["Label"], growth)]
    order = list(df.sort_values("Value", ascending=False)["Business line"])
    chart, h = row_bars(df, "Business line", order, {"ITO": "ITO", "BPO": "BPO", "KPO": "KPO"},
                        x_max=float(df["Value"].max()) * 1.7,
                        tooltip=tooltips("Business line", [alt.Tooltip("Growth:N")]))
    chart = finish(chart.properties(height=h))
    lvls = pick_rows(nb, measure="level_multiple_vs_2015")
    by_name = {names[r.business_line][0].split(" (")[0]: r for r in lvls.itertuples()}
    top_line = st.extreme({n: st.rows(lvls, row_id=r.row_id) for n, r in by_name.items()})
    top = by_name[top_line].business_line
    top_v = row_value(nb, business_line=top, measure="executed_value", period="2020")
    top_m = row_value(nb, business_line=top, measure="level_multiple_vs_2015")
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e1"),
        subtitle="Executed value in 2020, US$ billion; in brackets, the 2020 level as a multiple of 2015's "
                 "(new-generation IT: growth on 2018); colours: ITO, BPO, KPO",
        source=f"{MOFCOM}, as given in the report; multiples as the report gives them (its 增长X倍 read as an "
               "increase by X times).",
        alt_text=(
            f"{top_line} outsourcing reached {quantity(top_v, 'US$ billion')} in 2020, {number(top_m)} times its 2015 "
            "level, the largest multiple of the business lines drawn (new-generation IT is measured from 2018)."
        ),
        caption_note=(
            "The report's '比2015年增长X倍' is read as 2020 = (1 + X) × 2015: that reading matches the average annual "
            "growth it states beside each figure, the other does not."
        ),
        statements=[top_line],
    )


@register("e2", "Service outsourcing enterprises by region, end of 2020")
def chart_e2(D):
    en = D("china_outsourcing_enterprises")
    regions = ["east", "central", "west", "northeast"]
    rows = pick_rows(en, measure="enterprises_end_of_year", area=regions, period="2020")
    names = {"east": "East", "central": "Central", "west": "West", "northeast": "Northeast"}
    df = tidy(rows, lambda r: names[r["area"]], "Enterprises", x_name="Region")
    rep = pick_rows(en, measure="share_of_national", area=regions, provenance="report")
    der = pick_rows(en, measure="share_of_national", area=regions, provenance="derived")
    df["Share (report)"] = [quantity(row_value(rep, area=a), "% of total") for a in rows["area"]]
    df["Share (re-computed)"] = [quantity(row_value(der, area=a), "% of total") for a in rows["area"]]
    df = relabel(df, 0)
    order = [names[a] for a in regions]
    x = alt.X("Region:N", sort=order, scale=alt.Scale(type="band", domain=order, paddingInner=0.3),
              axis=alt.Axis(labelAngle=0, title=None))
    ymax = float(df["Value"].max()) * 1.3
    scale = alt.Scale(domain=[0, ymax], nice=False)
    tops = pd.DataFrame({"Region": df["Region"], "Top": df["Value"],
                         "Text": [f"{a}\n({b})" for a, b in zip(df["Label"], df["Share (report)"])]})
    extra = [alt.Tooltip("Share (report):N"), alt.Tooltip("Share (re-computed):N")]
    chart = finish(alt.layer(
        bar_layer(df, x, {"Enterprises": "neutral"}, axis=alt.Axis(title=None, tickCount=4), scale=scale,
                   x_name="Region", extra_tt=extra),
        top_layer(tops, x, x_name="Region", scale=scale),
    ).properties(height=240))
    total = row_value(en, measure="enterprises_end_of_year", area="national", period="2020")
    east = st.rows(en, area="east", measure="enterprises_end_of_year")
    others = st.rows(en, area=["central", "west", "northeast"], measure="enterprises_end_of_year", period="2020")
    ratio = st.ratio(east, others)
    printed = st.rows(rep)
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e2"),
        subtitle="Number of service outsourcing enterprises; in brackets, the share of the national total as the "
                 "report gives it",
        source=f"{MOFCOM}, as given in the report; re-computed shares by the edition.",
        alt_text=(
            f"Of China's {int(total):,} service outsourcing enterprises at the end of 2020, {int(east.value):,} were in "
            f"the east, {ratio} the central, western and northeastern regions together ({int(others.value):,})."
        ),
        caption_note=(
            f"The report gives the east's share as {df.loc[df['Region'] == 'East', 'Share (report)'].iloc[0]}; "
            f"its own numbers give {df.loc[df['Region'] == 'East', 'Share (re-computed)'].iloc[0]} (the regions' "
            f"shares as printed add up to {number(round(printed.value, 1))}%)."
        ),
        statements=[ratio, printed],
    )


@register("e3", "The four provinces with the most service outsourcing enterprises, end of 2020")
def chart_e3(D):
    en = D("china_outsourcing_enterprises")
    provs = ["Jiangsu", "Guangdong", "Zhejiang", "Shandong"]
    rows = pick_rows(en, measure="enterprises_end_of_year", area=provs, period="2020")
    df = relabel(tidy(rows, "area", "Enterprises", x_name="Province"), 0)
    shares = pick_rows(en, measure="share_of_national", area=provs)
    df["Share of national total (computed)"] = [quantity(row_value(shares, area=a), "% of total") for a in rows["area"]]
    chart, h = row_bars(df, "Province", provs, {"Enterprises": "neutral"},
                     tooltip=tooltips("Province", [alt.Tooltip("Share of national total (computed):N")]))
    chart = finish(chart.properties(height=h))
    comb = row_value(en, area="four_leading_provinces", measure="share_of_national", provenance="report")
    js = st.rows(en, area="Jiangsu", measure="enterprises_end_of_year", period="2020")
    rest = st.rows(en, area=["Guangdong", "Zhejiang", "Shandong"], measure="enterprises_end_of_year", period="2020")
    word = st.compare(js, rest)
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e3"),
        subtitle=f"Number of enterprises; together {number(comb)}% of the national total",
        source=f"{MOFCOM}, as given in the report; provincial shares computed by the edition.",
        alt_text=(
            f"Jiangsu had {int(js.value):,} service outsourcing enterprises, {word} Guangdong, Zhejiang and Shandong "
            f"together ({int(rest.value):,}); together they held {number(comb)}% of the national total."
        ),
        caption_note=None,
        statements=[word],
    )


def _dumbbell(df, cat, order, *, log_domain=None, base="2015", last="2020", decimals=1, x_max=None, tooltip=None):
    """Rows of two points (an earlier and a later year) joined by a line, the
    row's name above, its two values written after it ("0.3 → 3.3")."""
    pairs = {}
    for c in order:
        a = df[(df[cat] == c) & (df["Series"] == base)]["Value"]
        b = df[(df[cat] == c) & (df["Series"] == last)]["Value"]
        pairs[c] = (label_num(a.iloc[0], decimals) if len(a) else "n.p.", label_num(b.iloc[0], decimals) if len(b) else "n.p.")
    names = {c: f"{c}: {pairs[c][0]} → {pairs[c][1]}" for c in order}
    wrapped, step = rows_layout(list(names.values()))
    d = df.copy()
    d["_nameW"] = [wrapped[names[c]][0] for c in d[cat]]
    d["_nameN"] = [wrapped[names[c]][1] for c in d[cat]]
    y = alt.Y(f"{cat}:N", sort=order, axis=None, scale=alt.Scale(type="band", domain=order, paddingInner=0, paddingOuter=0))
    if log_domain:
        x = log_x(log_domain)
        x0 = log_domain[0]
    else:
        x = alt.X("Value:Q", scale=alt.Scale(domain=[0, x_max or float(d["Value"].max()) * 1.08], nice=False),
                  axis=alt.Axis(title=None, tickCount=4))
        x0 = 0
    tt = tooltip or tooltips(cat)
    concepts = {base: "base", last: "neutral"}
    color, stroke = series_colour(concepts, legend="Year")
    fill, dash = status_marks()
    yo = step / 2 - 10
    line = alt.Chart(d).mark_line(color="#8a949e", strokeWidth=2, yOffset=yo).encode(y=y, x=x, detail=f"{cat}:N",
                                                                                    tooltip=tt)
    pts = (alt.Chart(d).mark_point(filled=True, size=90, strokeWidth=2, yOffset=yo)
           .encode(y=y, x=x, color=color, stroke=stroke, fillOpacity=fill, strokeDash=dash, tooltip=tt))
    nm = (alt.Chart(d[d["Series"] == last]).transform_calculate(T=f"{NARROW} ? datum._nameN : datum._nameW")
          .mark_text(align="left", baseline="bottom", yOffset=yo - 9, fontSize=by_width(*SIZE), color=INK,
                     lineBreak="\n")
          .encode(y=y, x=alt.XDatum(x0), text="T:N", tooltip=tt))
    return alt.layer(line, pts, nm), step * len(order)


@register("e4", "Entry thresholds of China's Top-500 and Top-100 service outsourcing enterprises, 2015 and 2020")
def chart_e4(D):
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
    rows = pick_rows(th, measure="entry_threshold")
    df = relabel(tidy(rows, lambda r: names[r["ranking"]], "period", x_name="Ranking"), 1)
    order = [n for n in names.values() if n in set(df["Ranking"])]
    chart, h = _dumbbell(df, "Ranking", order)
    chart = finish(chart.properties(height=h))
    pairs = {}
    for rk in names:
        a = rows[(rows["ranking"] == rk) & (rows["period"] == "2015")]
        b = rows[(rows["ranking"] == rk) & (rows["period"] == "2020")]
        if len(a) and len(b):
            pairs[rk] = st.change(st.rows(a), st.rows(b))
    rises = {rk: st.computed(th, f"{w.operands['new'].formula} - {w.operands['old'].formula}") for rk, w in pairs.items()}
    every_rose = st.every(rises, st.Operand("0", 0.0), words=("rose in every ranking", "did not rise in every ranking"))
    a, b = (row_value(th, ranking="top500_total", measure="entry_threshold", period=y) for y in ("2015", "2020"))
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e4"),
        subtitle="Entry threshold (the executed value of the last enterprise ranked), US$ million: 2015 (light) and "
                 "2020 (dark)",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"Between 2015 and 2020 the entry threshold {every_rose}; for the Top 500 by total executed value it "
            f"{pairs['top500_total']} from {quantity(a, 'US$ million')} to {quantity(b, 'US$ million')}."
        ),
        caption_note="Values given in the report as 万美元 or 亿美元, converted to US$ million.",
        statements=[every_rose, pairs["top500_total"]],
    )


@register("e5", "China's four major partner markets, 2016–2020")
def chart_e5(D):
    pm = D("china_outsourcing_partner_markets")
    parts = ["United States", "Hong Kong SAR", "EU-27", "Japan"]
    cum = pick_rows(pm, partner=parts, measure="cumulative_executed_value")
    g = pick_rows(pm, partner=parts, measure="avg_annual_growth")
    a = relabel(tidy(cum, "partner", "Executed value, 2016–2020 in all", x_name="Partner"), 1)
    gr = {r.partner: r.value for r in g.itertuples()}
    a["Average annual growth"] = [quantity(gr[p], "% per year") for p in a["Partner"]]
    a["Label"] = [f"{lab}  ({pct_label(gr[p], 1)} a year)" for lab, p in zip(a["Label"], a["Partner"])]
    order = list(a.sort_values("Value", ascending=False)["Partner"])
    chart, h = row_bars(a, "Partner", order, {"Executed value, 2016–2020 in all": "offshore"},
                     x_max=float(a["Value"].max()) * 1.75,
                     tooltip=tooltips("Partner", [alt.Tooltip("Average annual growth:N")]))
    chart = finish(chart.properties(height=h))
    total = row_value(pm, partner="four_major_partners", measure="cumulative_executed_value")
    share = row_value(pm, partner="four_major_partners", measure="share_of_offshore", provenance="report")
    largest = st.extreme({p: st.rows(cum, partner=p) for p in parts})
    slowest = st.extreme({p: st.rows(g, partner=p) for p in parts}, which="min")
    named = {"United States": "the United States", "Hong Kong SAR": "Hong Kong SAR", "EU-27": "the EU-27",
             "Japan": "Japan"}
    return dict(
        chart=chart,
        data=a,
        title=chart_title("e5"),
        subtitle="Offshore executed value summed over 2016–2020, US$ billion; in brackets, average annual growth",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"Work for the United States, Hong Kong SAR, the EU-27 and Japan totalled {quantity(total, 'US$ billion')} "
            f"over 2016–2020 and {number(share)}% of offshore executed value in 2020; "
            + (f"{named[largest]} was both the largest and the slowest-growing." if largest == slowest else
               f"the largest was {named[largest]} and the slowest-growing {named[slowest]}.")
        ),
        caption_note=None if len(pick_rows(pm, partner=parts, measure="executed_value")) else
        "Yearly values for each partner are not in the sources.",
        statements=[largest, slowest],
    )


@register("e6", "Belt and Road countries, ASEAN and Central and Eastern Europe, 2015 and 2020")
def chart_e6(D):
    pm = D("china_outsourcing_partner_markets")
    parts = ["Belt and Road countries", "ASEAN", "Central and Eastern Europe"]
    rows = ranked(pick_rows(pm, partner=parts, measure="executed_value", period=["2015", "2020"]), ["partner", "period"])
    df = relabel(tidy(rows, "partner", "period", x_name="Partner"), 1)
    extra = {p: (quantity(row_value(pm, partner=p, measure="cumulative_executed_value"), "US$ billion"),
                 quantity(row_value(pm, partner=p, measure="avg_annual_growth", provenance="report"), "% per year"))
             for p in parts}
    df["Cumulative 2016–2020"] = [extra[p][0] for p in df["Partner"]]
    df["Average annual growth (report)"] = [extra[p][1] for p in df["Partner"]]
    tt = tooltips("Partner", [alt.Tooltip("Cumulative 2016–2020:N"), alt.Tooltip("Average annual growth (report):N")])
    chart, h = _dumbbell(df, "Partner", parts, log_domain=log_domain(df["Value"]), tooltip=tt)
    chart = finish(chart.properties(height=h))
    fastest = st.extreme({p: st.rows(pm, partner=p, measure="avg_annual_growth", provenance="report") for p in parts})
    ends = [st.rows(pm, partner=fastest, measure="executed_value", period=y) for y in ("2015", "2020")]
    moved = st.change(*ends)
    rate = one_row(pm, partner=fastest, measure="avg_annual_growth", provenance="report")
    # the edition's check of a rate from the end points as printed, where it differs at the report's precision
    checks = []
    for r in pick_rows(pm, partner=parts, measure="avg_annual_growth", provenance="derived").itertuples():
        said = one_row(pm, partner=r.partner, measure="avg_annual_growth", provenance="report")
        same = st.compare(st.rows(pm, row_id=r.row_id), st.rows(pm, row_id=said["row_id"]),
                          words=("above", "below", "the same as"), tol=0.05)
        if same != "the same as":
            checks.append((r, said, same))
    between = [y for y in year_list(2016, 2019) if not len(pick_rows(pm, partner=parts, measure="executed_value", period=y))]
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e6"),
        subtitle="Executed value in 2015 (light) and 2020 (dark), US$ billion, on a log scale",
        source=f"{MOFCOM}, as given in the report.",
        alt_text=(
            f"Work for {fastest} {moved} from {quantity(ends[0].value, 'US$ billion')} "
            f"to {quantity(ends[1].value, 'US$ billion')} "
            f"({quantity(rate['value'], '% per year')}), the fastest growth of {word_list(parts)}."
        ),
        caption_note=join_sentences(
            f"{word_list(between)} are not published." if between else "",
            *(f"From the end points as printed, the growth for {c.partner} is {quantity(c.value, '% per year')}, {w} the "
              f"report's {quantity(r['value'], '% per year')} (how far rounding explains the difference: the claims ledger)."
              for c, r, w in checks),
        ),
        statements=[fastest, moved, *(w for *_, w in checks)],
    )


@register("e7", "New international certifications by type, 2016–2020")
def chart_e7(D):
    ce = D("china_outsourcing_certifications")
    rows = pick_rows(ce, measure="new_certifications", period="2016-2020")
    rows = rows[rows["certification"] != "all_thirteen"]
    names = {"other_nine": "The other nine types"}
    df = relabel(tidy(rows, lambda r: names.get(r["certification"], r["certification"]), "New certifications",
                        x_name="Certification"), 0)
    sh = pick_rows(ce, measure="share_of_new")
    df["Share of all new"] = [quantity(row_value(sh, certification=c), "% of total") for c in rows["certification"]]
    df["Label"] = [f"{a}  ({b})" for a, b in zip(df["Label"], df["Share of all new"])]
    order = list(df["Certification"])
    chart, h = row_bars(df, "Certification", order, {"New certifications": "neutral"},
                     x_max=float(df["Value"].max()) * 1.45,
                     tooltip=tooltips("Certification", [alt.Tooltip("Share of all new:N")]))
    chart = finish(chart.properties(height=h))
    top = st.extreme({c: st.rows(rows, certification=c) for c in rows["certification"] if c != "other_nine"})
    named = [c for c in rows.sort_values("value", ascending=False)["certification"] if c not in (top, "other_nine")]
    iso = row_value(ce, certification=top, measure="new_certifications")
    return dict(
        chart=chart,
        data=df,
        title=chart_title("e7"),
        subtitle="New certifications 2016–2020; in brackets, the share of the total of new certifications",
        source=f"{MOFCOM}, as given in the report; 'the other nine types' computed by the edition.",
        alt_text=(
            f"{top} accounted for {int(iso):,} of the new certifications in 2016–2020, the largest number of any "
            f"named type (the others: {word_list(named)})."
        ),
        caption_note="'The other nine types' is the total less the named types.",
        statements=[top],
    )
