"""The forecasts of '1. Development trends' that a figure can test: the global market, its structure,
large contracts, outbound outsourcing."""

from __future__ import annotations

from sobook import statements as st
from sobook.charts.marks import release_year
from sobook.fared.facts import (
    annual_rate,
    assessment,
    by_year,
    growth_factor,
    one,
    outcome,
    pick,
    ratio_of,
    value_of,
)
from sobook.fared.words import and_list, is_year, not_found, rate
from sobook.text import number, quantity


def _missing(found, first: int = 2021, last: int = 2025) -> list[str]:
    return [str(y) for y in range(first, last + 1) if str(y) not in found]


@assessment("global-trend")
def global_trend(facts):
    world = facts("global_offshore_outsourcing")
    average = one(world, measure="avg_annual_growth", period="2016-2020", provenance="report")
    growth = by_year(pick(world, measure="yoy_growth"), after=2020)
    moved = {y: st.sign(value_of(r), words=("grew", "shrank", "was unchanged")) for y, r in growth.items()}
    versus = {y: st.compare(value_of(r), value_of(average), words=("above", "below", "equal to"))
              for y, r in growth.items()}
    span = average["period"].replace("-", "–")
    missing = _missing(growth)
    finding = "; ".join(f"In {y} it {moved[y]} {number(abs(float(r['value'])))}%, {versus[y]} the {span} average"
                        for y, r in growth.items())
    return dict(
        outcomes=[outcome(average, f"average annual growth, {span}")]
        + [outcome(r, "growth on the year before, in the next edition of the report") for r in growth.values()],
        found=bool(growth), passes=all(moved[y] == "grew" and versus[y] == "above" for y in growth) if growth else None,
        missing=missing, finding=(finding + "." if finding else "") + not_found(missing, "growth"),
        numbers={"growth": {y: float(r["value"]) for y, r in growth.items()}, "average": float(average["value"])},
        statements=[*moved.values(), *versus.values()],
        slots={"span": span, "rate": quantity(average["value"], "% per year")})


@assessment("global-size")
def global_size(facts):
    world = facts("global_offshore_outsourcing")
    forecast_rate = one(world, measure="avg_annual_growth", period="2021-2025", value_status="forecast")
    target = one(world, measure="executed_value", period="2025", value_status="forecast")
    base = one(world, measure="executed_value", period="2020", provenance="report")
    levels = by_year(pick(world, measure="executed_value"), after=2020)
    growth = by_year(pick(world, measure="yoy_growth"), after=2020)
    outcomes = [outcome(base, "estimate for 2020")]
    for y, r in levels.items():
        outcomes.append(outcome(r, "estimate of the next edition of the report" if r["value_status"] == "estimate"
                                else "executed value"))
        if y in growth:
            outcomes.append(outcome(growth[y], "growth on its own estimate for the year before"))
    slots = {"rate": f"{forecast_rate['qualifier']} {number(forecast_rate['value'])}%".strip(),
             "threshold": f"{number(forecast_rate['value'])}%",
             "target": quantity(target["value"], "US$ billion"), "base": quantity(base["value"], "US$ billion")}
    got = dict(outcomes=outcomes, slots=slots, target_value=float(target["value"]), target_unit="US$ billion",
               target_period="2025", numbers={"forecast_rate": float(forecast_rate["value"])})
    if not levels:
        return dict(got, found=False, finding="No estimate after 2020 was found.")
    last = max(levels)
    years = int(last) - 2020
    chain = [growth.get(str(y)) for y in range(2021, int(last) + 1)]
    if all(r is not None for r in chain):
        # the growth each edition gives against its own estimate of the year before (one vintage a year)
        factor, how = growth_factor(chain), "the growth each edition gives against its own estimate for the year before"
    else:
        factor, how = ratio_of(value_of(levels[last]), value_of(base)), "the estimate over the report's 2020 estimate"
    average = annual_rate(factor, years)
    versus = st.compare(average, value_of(forecast_rate), words=("above", "not above", "not above"))
    # the test needs 2025's estimate; the years between, where found, show the way
    missing = [] if "2025" in levels else _missing(levels)
    words = [versus]
    finding = (f"By {last} estimated growth was {rate(average.value)} a year since 2020 ({how}), {versus} the "
               f"forecast of {slots['rate']} a year.")
    if not missing:
        reached = st.compare(value_of(levels["2025"]), value_of(target), words=("above", "below", "at"))
        words.append(reached)
        finding += f" The 2025 estimate, {quantity(levels['2025']['value'], 'US$ billion')}, is {reached} the forecast."
    computed = []
    need = pick(world, measure="avg_annual_growth", provenance="derived")
    need = need[need["period"] == f"{int(last) + 1}-2025"]
    if len(need) and missing:
        computed.append(f"Growth needed from the {last} estimate to reach {slots['target']} in 2025: "
                        f"{quantity(float(need.iloc[0]['value']), '% per year')} (computed by the edition).")
    verdicts = facts.ledger_verdicts("C120")
    caveats = [f"The next edition's 2020, implied by its 2021 figure and growth, is {verdicts['C120']} with this "
               "report's (claims ledger, row C120)."] if verdicts else []
    return dict(got, passes=versus == "above" and all(w in ("above", "at") for w in words[1:]), missing=missing,
                finding=finding + not_found(missing, "estimate"), computed=computed, caveats=caveats,
                numbers=dict(got["numbers"], latest_year=last, index=factor.value, cagr=average.value),
                statements=[*words, average])


@assessment("global-structure")
def global_structure(facts):
    shares = facts("global_offshore_outsourcing_structure")
    types = ("ITO", "BPO", "KPO")
    forecast = {r.type: r for r in pick(shares, period="2025", value_status="forecast").itertuples()}
    base = {r.type: r for r in pick(shares, period="2020", provenance="report").itertuples()}
    later = {y: {r.type: r for r in pick(shares, period=y).itertuples()} for y in by_year(shares, after=2020)}
    split = lambda d: ":".join(number(d[t].value) for t in types)  # noqa: E731
    china = pick(facts("china_outsourcing_by_type"), measure="share", market="offshore", basis="RMB")
    china = china[china["period"].map(is_year)]
    outcomes = [outcome(r, f"China's offshore {r['type']}, share of China's offshore executed value (RMB)")
                for _, r in china[china["period"] == china["period"].max()].sort_values("type").iterrows()]
    tolerance = st.Operand("2", 2.0)  # the test's: how far from the forecast a share may be and still meet it
    slots = {"base": split(base), "target": split(forecast), "points": number(tolerance.value)}
    got = dict(slots=slots, target_unit="% of total", target_period="2025", statements=[tolerance])
    if not later:
        return dict(got, outcomes=outcomes, found=False, finding="No global split after 2020 was found.")
    last = max(later)
    outcomes = [outcome(r._asdict(), f"global {t}, share of offshore executed value")
                for y in later for t, r in later[y].items()] + outcomes
    apart = {t: st.Operand(f"abs({later[last][t].row_id} - {forecast[t].row_id})",
                           abs(later[last][t].value - forecast[t].value)) for t in types}
    within = st.every(apart, tolerance, words=("within", "not within"), above=False)
    gap = max(o.value for o in apart.values())
    missing = _missing(later, 2025, 2025)
    return dict(got, outcomes=outcomes, missing=missing, passes=within == "within",
                finding=f"The {last} split, {split(later[last])}, is {within} {slots['points']} points of the forecast for "
                        f"2025 (at most {number(round(gap, 1))} points apart)." + not_found(missing, "split"),
                statements=[within, tolerance, *apart.values()], numbers={"gap": gap})


@assessment("large-contracts")
def large_contracts(facts):
    isg = facts("isg_large_contracts")
    forecast_rate = one(isg, measure="avg_annual_growth", period="2021-2025", value_status="forecast")
    target = one(isg, measure="acv", period="2025", value_status="forecast")
    base = one(isg, measure="acv", segment="combined", period="2020", provenance="report")
    combined = pick(isg, segment="combined")
    levels = by_year(pick(combined, measure="acv"), after=2020)
    growth = by_year(pick(combined, measure="yoy_growth"), after=2020)
    outcomes = [outcome(base, "ISG's figure of January 2021")]
    for y, r in levels.items():
        outcomes.append(outcome(r, "annual contract value, ISG's release for the year"))
        if y in growth:
            outcomes.append(outcome(growth[y], "growth on the year before, in the same release"))
    # what each later release implies for 2020 (derived rows read from a release after 2020: the quarters
    # released up to January 2021 add up to the report's own vintage), and the forecast rebased to it
    by_id = {r["row_id"]: r for _, r in isg.iterrows()}
    implied = pick(combined, measure="acv", period="2020", provenance="derived")
    outcomes += [outcome(r, f"2020 as ISG's {y} release implies it (a later vintage)") for _, r in implied.iterrows()
                 for y in [release_year(r, by_id)] if y and y > 2020]
    partial = combined[combined["period"].str.contains(" ") & combined["period"].str[:4].astype(int).gt(2020)]
    outcomes += [outcome(r, f"{r['measure'].replace('_', ' ')}, part of the year") for _, r in partial.iterrows()]
    rebased = pick(combined, measure="acv", period="2025", provenance="derived")
    slots = {"rate": f"{forecast_rate['qualifier']} {number(forecast_rate['value'])}%".strip(),
             "target": quantity(target["value"], "US$ billion", target["qualifier"]),
             "base": quantity(base["value"], "US$ billion")}
    computed = [f"The forecast rebased to the 2020 ISG's {release_year(r, by_id)} release implies (the same growth "
                f"from its level): {quantity(r['value'], 'US$ billion', r['qualifier'])} in 2025 (computed by the edition)."
                for _, r in rebased.iterrows()]
    got = dict(slots=slots, outcomes=outcomes, computed=computed, target_value=float(target["value"]),
               target_unit="US$ billion", target_period="2025", numbers={"forecast_rate": float(forecast_rate["value"])})
    chain = []
    for y in range(2021, 2026):
        if str(y) not in growth:
            break
        chain.append(str(y))
    # where each later level stands against the forecast as the report gives it, and against the forecast
    # rebased to the 2020 the same release implies (said, not tested: a level before 2025 decides nothing)
    words, caveats = [], []
    for y, lv in levels.items():
        w = st.compare(value_of(lv), value_of(target), words=("above", "below", "at"))
        same = [(r, st.compare(value_of(lv), value_of(r), words=("above", "below", "at")))
                for _, r in rebased.iterrows() if release_year(r, by_id) == int(y)]
        words += [w, *(v for _, v in same)]
        caveats.append(f"ISG's {y} level, {quantity(lv['value'], 'US$ billion')}, is {w} the forecast as the report gives "
                       f"it ({slots['target']})" + "".join(
                           f" and {v} the forecast rebased to the 2020 its {y} release implies "
                           f"({quantity(r['value'], 'US$ billion', r['qualifier'])})" for r, v in same) + ".")
    if caveats:
        caveats.append("A level before 2025 decides nothing about 2025.")
    if len(partial):
        caveats.append(f"For {and_list(sorted(set(partial['period'].str[:4])))} only part-year figures were found "
                       "(listed).")
    if not chain:
        if levels:
            return dict(got, comparable=False, caveats=caveats, statements=words, finding="ISG figures after 2020 were "
                        "found, but not the growth on the year before in the same release.")
        return dict(got, found=False, finding="No ISG figure after 2020 was found.")
    factor = growth_factor([growth[y] for y in chain])
    average = annual_rate(factor, len(chain))
    path = st.Operand(f"(1 + {forecast_rate['row_id']} / 100) ** {len(chain)}",
                      (1 + float(forecast_rate["value"]) / 100) ** len(chain))
    complete = chain[-1] == "2025"
    bar = ratio_of(value_of(target), value_of(base)) if complete else path
    ahead = st.compare(factor, bar, words=("ahead of", "behind", "level with"))
    grew = st.sign(average, words=("grew", "shrank", "was flat"))
    yearly = "; ".join(f"{y}: {quantity(growth[y]['value'], '% change')}" for y in chain)
    missing = _missing(chain)
    finding = (f"Chained from the growth each ISG release gives for its own year ({yearly}), contract value {grew} "
               f"{rate(abs(average.value))} a year from 2020 to {chain[-1]}, {ahead} the forecast of {slots['rate']} a year."
               + not_found(missing, "full-year figure"))
    return dict(got, passes=ahead != "behind", missing=missing, finding=finding, caveats=caveats,
                statements=[ahead, grew, average, path, *words],
                numbers=dict(got["numbers"], latest_year=chain[-1], index=factor.value, path=path.value,
                             cagr=average.value))


@assessment("outbound-developing")
def outbound_developing(facts):
    forecasts = pick(facts("offshore_outsourcing_demand_forecasts"), measure="growth_2021_2025", value_status="forecast")
    names = {"China (manufacturing digitalisation)": "China in the digitalization of manufacturing"}
    said = "; ".join(f"{names.get(r.client, r.client)}: {r.qualifier} {number(r.value)}% growth".replace(":  ", ": ")
                     for r in forecasts.itertuples())
    return dict(found=False, slots={"forecasts": said}, target_unit="% change", target_period="2021-2025")


@assessment("outbound-developed")
def outbound_developed(facts):
    demand = facts("offshore_outsourcing_demand_forecasts")
    values = pick(demand, measure="offshore_outsourcing_value", period="2025", value_status="forecast")
    rates = {r.client: r for r in pick(demand, measure="avg_annual_growth", value_status="forecast").itertuples()}
    said = "; ".join(f"{r.client}: {quantity(r.value, 'US$ billion')} in 2025 "
                     f"({quantity(rates[r.client].value, '% per year', rates[r.client].qualifier)})"
                     for r in values.itertuples() if r.client in rates)
    return dict(found=False, slots={"forecasts": said}, target_unit="US$ billion", target_period="2025")
