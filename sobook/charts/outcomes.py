"""Looking back: the edition's charts of what happened after the report, 2021–2025."""

from __future__ import annotations


import altair as alt
import pandas as pd

from sobook import data as sodata
from sobook.charts.marks import (
    CSORC,
    MOFCOM,
    TYPES,
    _bars,
    _by_type,
    _dash,
    _finish,
    _from,
    _is_year,
    _labels,
    _list,
    _missing,
    _num,
    _one,
    _palette,
    _pick,
    _ranked,
    _sentences,
    _share_stack,
    _span,
    _tidy,
    _val,
    _years,
    fmt,
)
from sobook.charts.registry import _title, register


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
