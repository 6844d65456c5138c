"""The items of '4. Development outlook' that read the data: scale, exports, the offshore share, jobs,
demonstration cities, offshore and onshore, regions, markets."""

from __future__ import annotations

from sobook import statements as st
from sobook.fared.facts import (
    annual_rate,
    assessment,
    by_year,
    difference,
    growth_factor,
    one,
    outcome,
    pick,
    ratio_of,
    value_of,
)
from sobook.fared.words import and_list, grouped, not_found, pct, rate, share
from sobook.text import number, quantity

YEARS = [str(y) for y in range(2021, 2026)]


def _yearly_rises(levels: dict):
    """Each year's level against the year before, where both are known: the words, and the years missing."""
    rises = {y: st.change(value_of(levels[str(int(y) - 1)]), value_of(levels[y]))
             for y in YEARS if y in levels and str(int(y) - 1) in levels}
    return rises, [y for y in YEARS if y not in rises]


@assessment("scale")
def scale(facts):
    values = facts("china_outsourcing_executed_value")
    totals = {y: r for y, r in by_year(pick(values, market="total", measure="executed_value", basis="RMB")).items()
              if int(y) >= 2020}
    rates = by_year(pick(values, market="total", measure="yoy_growth", basis="RMB"), after=2020)
    outcomes = [outcome(r, "total executed value") for r in totals.values()]
    outcomes += [outcome(r, "growth on the year before, as released") for r in rates.values()]
    rises, missing = _yearly_rises(totals)
    computed = [f"{y}: {pct((totals[y]['value'] / totals[str(int(y) - 1)]['value'] - 1) * 100)} on {int(y) - 1} "
                "(computed by the edition from both years' values; the release's own rate was not found)"
                for y in rises if y not in rates]
    if not rises:
        return dict(outcomes=outcomes, found=False, finding="No total after 2020 was found in RMB.")
    finding = f"The total {grouped(rises)}." + not_found(missing, "total")
    # what is known of the years without a total: offshore value, in RMB and in US$
    words = list(rises.values())
    for y in missing:
        offshore = [(basis, one(values, market="offshore", measure="yoy_growth", basis=basis, period=y))
                    for basis in ("RMB", "US$")]
        offshore = [(b, r) for b, r in offshore if r is not None]
        if offshore:
            moved = [st.sign(value_of(r), words=("rose", "fell", "was unchanged")) for _, r in offshore]
            words += moved
            finding += (f" For {y} the offshore value was found: it "
                        + " and ".join(f"{w} {number(abs(float(r['value'])))}% in {b}" for w, (b, r) in zip(moved, offshore))
                        + f" on {int(y) - 1}.")
    return dict(outcomes=outcomes, computed=computed, missing=missing, finding=finding, statements=words,
                passes=all(w == "rose" for w in rises.values()),
                numbers={"growth": {y: (totals[y]["value"] / totals[str(int(y) - 1)]["value"] - 1) * 100 for y in rises}},
                target_unit="RMB billion", target_period="2021-2025")


def _exports(facts):
    """Offshore executed value and services exports after 2020, both in RMB, and the growth of each from
    2020 to the latest year with both (each a growth factor: which grows faster needs no exchange rate)."""
    values = facts("china_outsourcing_executed_value")
    exports = pick(facts("china_growth_benchmarks"), indicator="services_exports", basis="RMB")
    offshore = {y: r for y, r in by_year(pick(values, market="offshore", measure="executed_value", basis="RMB"),
                                          derived=True).items() if int(y) >= 2020}
    offshore_rates = by_year(pick(values, market="offshore", measure="yoy_growth", basis="RMB"), after=2020)
    export_rates = by_year(pick(exports, measure="yoy_growth"), after=2020)
    export_levels = by_year(pick(exports, measure="value"))
    partial = pick(exports, measure="yoy_growth")
    partial = partial[partial["period"].str.contains(" ")]
    years = [y for y in YEARS if y in offshore and all(str(k) in export_rates for k in range(2021, int(y) + 1))]
    got = dict(offshore=offshore, offshore_rates=offshore_rates, export_rates=export_rates,
               export_levels=export_levels, partial=partial, latest=years[-1] if years else None)
    if "2020" in offshore and years:
        latest = years[-1]
        got["offshore_factor"] = ratio_of(value_of(offshore[latest]), value_of(offshore["2020"]))
        got["exports_factor"] = growth_factor([export_rates[y] for y in YEARS if int(y) <= int(latest)])
        if "2025" in offshore and latest == "2024":
            # what services exports would have had to do in 2025 for the two to grow alike since 2020
            o25 = ratio_of(value_of(offshore["2025"]), value_of(offshore["2020"]))
            got["break_even"] = st.Operand(f"(({o25.formula}) / ({got['exports_factor'].formula}) - 1) * 100",
                                           (o25.value / got["exports_factor"].value - 1) * 100)
    return got


def _exports_outcomes(e, export_label="services exports, growth on the year before"):
    outs = [outcome(r, "offshore executed value, growth on the year before") for r in e["offshore_rates"].values()]
    outs += [outcome(r, export_label) for r in e["export_rates"].values()]
    return outs + [outcome(r, "services exports, growth on the same months a year before")
                   for _, r in e["partial"].iterrows()]


def _derived_offshore(e) -> list[str]:
    return [f"Offshore executed value in {y}: {quantity(r['value'], 'RMB billion')} (computed by the edition from the "
            f"{int(y) + 1} value and its growth; MOFCOM's release for {y} was not found)."
            for y, r in e["offshore"].items() if r["provenance"] == "derived"]


def _break_even(e, words: str) -> str:
    if "break_even" not in e:
        return ""
    text = f" {words} {pct(e['break_even'].value)} in 2025"
    if len(e["partial"]):
        last = e["partial"].iloc[-1]
        text += f"; in {last['period'].split(' ')[1].replace('-', '–')} they changed by {quantity(last['value'], '% change')}"
    return text + "."


@assessment("offshore-vs-exports")
def offshore_vs_exports(facts):
    e = _exports(facts)
    values = facts("china_outsourcing_executed_value")
    past = one(values, measure="avg_annual_growth", market="offshore", period="2016-2020", provenance="report")
    gap = one(values, measure="avg_growth_lead_over_services_exports", period="2016-2020")
    slots = {"span": past["period"].replace("-", "–"), "rate": f"{number(past['value'])}%", "gap": number(gap["value"])}
    outs = [outcome(e["offshore"]["2020"], "offshore executed value")] if "2020" in e["offshore"] else []
    got = dict(slots=slots, outcomes=outs + _exports_outcomes(e), computed=_derived_offshore(e),
               target_unit="% per year", target_period="2021-2025")
    if "offshore_factor" not in e:
        return dict(got, found=False, finding="No comparable figures after 2020 were found.")
    y, n = e["latest"], int(e["latest"]) - 2020
    offshore_rate, exports_rate = annual_rate(e["offshore_factor"], n), annual_rate(e["exports_factor"], n)
    faster = st.compare(offshore_rate, exports_rate, words=("grew faster", "grew more slowly", "grew as fast"))
    moved = [st.sign(r, words=("grew", "shrank", "was flat")) for r in (offshore_rate, exports_rate)]
    missing = [k for k in YEARS if int(k) > int(y)]
    finding = (f"From 2020 to {y}, the latest year with both figures, offshore executed value {moved[0]} "
               f"{rate(abs(offshore_rate.value))} a year and services exports {moved[1]} {rate(abs(exports_rate.value))}: "
               f"offshore outsourcing {faster}.")
    if missing:
        finding += _break_even(e, "With offshore value for 2025 known, the 2021–2025 averages would be equal only if "
                                  "services exports had changed by") + not_found(missing, "full-year figure of services exports")
    got["computed"].append(f"2020–{y}, average growth: offshore {rate(offshore_rate.value)} a year, services exports "
                           f"{rate(exports_rate.value)} a year (computed by the edition).")
    return dict(got, passes=faster == "grew faster", missing=missing, finding=finding,
                statements=[faster, *moved, offshore_rate, exports_rate, *([e["break_even"]] if "break_even" in e else [])],
                numbers={"latest_year": y, "offshore_cagr": offshore_rate.value, "exports_cagr": exports_rate.value})


@assessment("export-share")
def export_share(facts):
    e = _exports(facts)
    shares = facts("china_offshore_outsourcing_export_shares")
    report = one(shares, numerator="offshore", denominator="services_exports", measure="share", period="2020")
    later = by_year(pick(shares, numerator="offshore", denominator="services_exports", measure="share"), after=2020)
    outs = [outcome(report, "the report's share for 2020")]
    outs += [outcome(r, "offshore executed value") for r in e["offshore"].values()]
    outs += [outcome(r, "services exports") for y, r in e["export_levels"].items() if int(y) > 2020]
    outs += [outcome(r, "offshore executed value as a share of services exports, as published") for r in later.values()]
    # the share year by year, in RMB: offshore value over services exports where both are known ('at most'
    # where the exports are 'more than' a figure); 2020's exports from 2021's and its growth
    levels = {}
    for y, r in e["export_levels"].items():
        levels[y] = (float(r["value"]) * (1000 if r["unit"] == "RMB trillion" else 1), r["qualifier"])
    if "2021" in levels and "2021" in e["export_rates"]:
        levels["2020"] = (levels["2021"][0] / (1 + float(e["export_rates"]["2021"]["value"]) / 100), levels["2021"][1])
    yearly = {y: (float(r["value"]) / levels[y][0] * 100, "at most " if levels[y][1] == "more than" else "")
              for y, r in e["offshore"].items() if y in levels}
    computed = _derived_offshore(e)
    if yearly:
        computed.append("Offshore executed value as a share of services exports, both in RMB: "
                        + "; ".join(f"{y}: {q}{share(s)}" for y, (s, q) in sorted(yearly.items()))
                        + " (computed by the edition; 2020's services exports from the 2021 value and its growth; "
                          "'at most' where the exports are 'more than' a figure).")
    caveats = [f"Shares published for {and_list(list(later))} are shown but not used: the test compares growth, "
               "which needs no level."] if later else []
    got = dict(slots={"base": share(report["value"])}, outcomes=outs, computed=computed, caveats=caveats,
               target_unit="% of total", target_period="2025", numbers={"shares": {y: s for y, (s, _) in yearly.items()}})
    if "offshore_factor" not in e:
        return dict(got, found=False, finding="No comparable figures after 2020 were found.")
    y = e["latest"]
    relative = ratio_of(e["offshore_factor"], e["exports_factor"])
    above = st.compare(relative, st.Operand("1", 1.0), words=("above", "below", "equal to"))
    missing = [k for k in YEARS if int(k) > int(y)]
    finding = (f"In {y}, the latest year with both figures, the share was {share(100 * relative.value)} of its 2020 "
               f"level (the growth of offshore value over the growth of services exports since 2020), so it was "
               f"{above} 2020's.")
    if missing:
        finding += (_break_even(e, "The 2025 share would equal 2020's if services exports had changed by")
                    + not_found(missing, "full-year figure of services exports"))
    return dict(got, passes=above == "above", missing=missing, finding=finding,
                statements=[above, relative, *([e["break_even"]] if "break_even" in e else [])],
                numbers=dict(got["numbers"], share_ratio=relative.value, latest_year=y,
                             **({"exports_2025_break_even": e["break_even"].value} if "break_even" in e else {})))


@assessment("jobs")
def jobs(facts):
    employment = facts("china_outsourcing_employment")
    forecast = one(employment, measure="new_employees", period="2021-2025", value_status="forecast")
    base = one(employment, measure="employees_end_of_year", group="all", period="2020", provenance="report")
    later = by_year(pick(employment, measure="employees_end_of_year", group="all"), after=2020)
    target = value_of(forecast)
    slots = {"target": f"{forecast['qualifier']} {number(forecast['value'])} million".strip()}
    verdicts = facts.ledger_verdicts("C051")
    caveats = []
    if verdicts:
        counted = verdicts["C051"] != "inconsistent"
        caveats.append(
            "The report counts the people added in a period as the change in the number employed at the end of the "
            "year: its new employees of 2016–2020 and the change from the end of 2015 to the end of 2020 are "
            f"{verdicts['C051']} (claims ledger, row C051), so the forecast is tested the same way." if counted else
            "The report's new employees of 2016–2020 and the rise in the number employed are inconsistent (claims "
            "ledger, row C051); the forecast is tested as the change all the same.")
    got = dict(slots=slots, caveats=caveats, outcomes=[outcome(base, "people employed at the end of 2020")]
               + [outcome(r, "people employed at the end of the year") for r in later.values()],
               target_value=target.value, target_unit="million persons", target_period="2021-2025")
    if not later:
        return dict(got, found=False, finding="No figure after 2020 was found.")
    y = max(later)
    rise = difference(value_of(later[y]), value_of(base))
    moved = st.change(value_of(base), value_of(later[y]), words=("risen", "fallen", "stayed the same"))
    missing = [] if y == "2025" else [k for k in YEARS if k not in later]
    if y == "2025":
        bar = target
        finding = f"By the end of 2025 the number employed had {moved} by {number(round(abs(rise.value), 3))} million"
    else:
        bar = st.Operand(f"{forecast['row_id']} * {int(y) - 2020} / 5", target.value * (int(y) - 2020) / 5)
        finding = (f"By the end of {y} the number employed had {moved} by {number(round(abs(rise.value), 3))} million "
                   "since the end of 2020")
    versus = st.compare(rise, bar, words=("more than", "less than", "exactly"))
    if y == "2025":
        finding += f", {versus} the forecast's {slots['target']}."
    else:
        rest = difference(target, rise)
        finding += (f", {versus} the {number(round(bar.value, 3))} million an even pace to 2025 gives by then (the "
                    f"rest, {number(round(rest.value, 3))} million, would come in {and_list(YEARS[YEARS.index(y) + 1:])})."
                    + not_found(missing, "year-end number employed"))
        got["statements"] = [rest]
    return dict(got, passes=versus == "more than", missing=missing, finding=finding,
                statements=[moved, versus, rise, bar, *got.get("statements", [])],
                numbers={"rise": rise.value, "path": bar.value, "latest_year": y, "target": target.value})


@assessment("demonstration-cities")
def demonstration_cities(facts):
    cities = facts("china_demonstration_cities")
    breakdowns = facts("china_offshore_outsourcing_breakdowns")
    start = one(cities, measure="number_of_cities", period="2016")
    counts = by_year(pick(breakdowns, breakdown="demonstration_cities", measure="number_of_cities"))
    added = pick(breakdowns, breakdown="demonstration_cities", measure="cities_added")
    shares = pick(breakdowns, breakdown="demonstration_cities", measure="share_of_offshore_executed_value")
    outs = [outcome(start, "demonstration cities from 2016")]
    outs += [outcome(r, "demonstration cities added") for _, r in added.iterrows()]
    outs += [outcome(r, "demonstration cities") for r in counts.values()]
    outs += [outcome(r, f"{r['category']}: share of offshore executed value") for _, r in shares.iterrows()]
    got = dict(outcomes=outs, slots={"base": number(start["value"])}, target_value=float(start["value"]),
               target_unit="cities", target_period="2025")
    if not counts:
        return dict(got, found=False, finding="No count after 2020 was found.")
    y = max(counts)
    more = st.compare(value_of(counts[y]), value_of(start), words=("more than", "fewer than", "as many as"))
    missing = [] if y == "2025" else ["2025"]
    return dict(got, passes=more == "more than", missing=missing, statements=[more],
                finding=f"There were {number(counts[y]['value'])} demonstration cities in {y}, {more} the "
                        f"{number(start['value'])} from 2016" + "".join(
                            f"; {number(r.value)} were added in {r.period}" for r in added.itertuples()) + "."
                        + not_found(missing, "count"))


@assessment("side-by-side")
def side_by_side(facts):
    values = facts("china_outsourcing_executed_value")
    rmb = pick(values, measure="executed_value", basis="RMB")
    offshore = by_year(pick(rmb, market="offshore"), derived=True)
    totals = by_year(pick(rmb, market="total"))
    # onshore = total less offshore, in the years where both are known
    onshore = {y: st.Operand(f"{totals[y]['row_id']} - {offshore[y]['row_id']}",
                             float(totals[y]["value"]) - float(offshore[y]["value"]))
               for y in totals if y in offshore and int(y) >= 2020}
    off_rises, _ = _yearly_rises(offshore)
    on_rises = {y: st.change(onshore[str(int(y) - 1)], onshore[y]) for y in YEARS if y in onshore and str(int(y) - 1) in onshore}
    outs = [outcome(r, "offshore executed value") for y, r in offshore.items() if int(y) >= 2020]
    outs += [outcome(r, "total executed value") for y, r in totals.items() if int(y) >= 2020]
    listed = "; ".join(f"{y}: {quantity(o.value, 'RMB billion')}" for y, o in onshore.items())
    computed = [f"Onshore executed value (total less offshore): {listed} (computed by the edition)."] if onshore else []
    if not off_rises and not on_rises:
        return dict(outcomes=outs, found=False, finding="No figure after 2020 was found for both.")
    missing = [y for y in YEARS if y not in off_rises or y not in on_rises]
    finding = (f"Offshore executed value {grouped(off_rises)}; onshore {grouped(on_rises)}."
               + not_found([y for y in YEARS if y not in on_rises], "onshore value"))
    return dict(outcomes=outs, computed=computed, missing=missing, finding=finding,
                passes=all(w == "rose" for w in [*off_rises.values(), *on_rises.values()]),
                statements=[*off_rises.values(), *on_rises.values(), *onshore.values()],
                numbers={"onshore": {y: o.value for y, o in onshore.items()}})


@assessment("regions")
def regions(facts):
    rows = pick(facts("china_offshore_outsourcing_breakdowns"), breakdown="region",
                measure="share_of_offshore_executed_value").sort_values(["category", "period"])
    found = {c: and_list(sorted(g["period"])) for c, g in rows.groupby("category", sort=False)}
    return dict(measurable=False,
                outcomes=[outcome(r, f"{r['category']}: share of offshore executed value (RMB)") for _, r in rows.iterrows()],
                finding="The outlook names no figure for the regions, so it is not tested."
                        + (f" The regional figures MOFCOM published begin in {rows['period'].min()}: "
                           + "; ".join(f"{c} ({y})" for c, y in found.items()) + "." if len(rows) else ""))


def _growth_every_year(facts, label: str, categories: list[str]):
    """Executed-value growth on the year before as each release gives it, within one definition (a
    category) at a time, and the words and finding that say whether it grew every year."""
    breakdowns = facts("china_offshore_outsourcing_breakdowns")
    rates = {}
    for category in categories:
        for y, r in by_year(pick(breakdowns, breakdown="market", category=category,
                                 measure="executed_value_growth")).items():
            if int(y) > 2020:
                rates[y] = r
    rates = dict(sorted(rates.items()))
    if not rates:
        return dict(found=False, finding="No executed-value growth after 2020 was found.")
    missing = [y for y in YEARS if y not in rates]
    grew = st.every({y: value_of(r) for y, r in rates.items()}, st.Operand("0", 0.0),
                    words=("grew in every year", "did not grow in every year"))
    named = len(categories) > 1
    return dict(missing=missing, passes=grew == "grew in every year", statements=[grew],
                numbers={"growth": {y: float(r["value"]) for y, r in rates.items()}},
                finding=f"Executed value from {label} {grew} for which a release gives its growth: "
                        + "; ".join(f"{y} {quantity(r['value'], '% change')}" + (f" ({r['category']})" if named else "")
                                    for y, r in rates.items()) + "." + not_found(missing, "growth"))


@assessment("belt-and-road")
def belt_and_road(facts):
    breakdowns = facts("china_offshore_outsourcing_breakdowns")
    along, partner = "Belt and Road countries (沿线国家)", "Belt and Road countries (共建国家)"
    rows = pick(breakdowns, breakdown="market", category=[along, partner])
    outs = [outcome(r, f"{r['category']}, {r['measure'].replace('_', ' ')}, scope: {r['scope']}")
            for _, r in rows.sort_values(["period", "measure"]).iterrows()
            if r["measure"] != "executed_value" or r["provenance"] != "derived"]
    got = _growth_every_year(facts, "Belt and Road countries", [along, partner])
    caveats, words = [], []
    levels = {c: by_year(pick(rows, category=c, measure="executed_value")) for c in (along, partner)}
    if levels[along] and levels[partner]:
        a, b = levels[along][max(levels[along])], levels[partner][max(levels[partner])]
        larger = st.compare(value_of(b), value_of(a), words=("larger than", "smaller than", "the same as"))
        words.append(larger)
        caveats.append(f"The {b['period']} value ({quantity(b['value'], 'RMB billion')}, {partner}) is {larger} the "
                       f"{a['period']} value ({quantity(a['value'], 'RMB billion')}, {along}).")
    contract_only = sorted(set(pick(rows, measure="contract_value")["period"])
                           - set(pick(rows, measure="executed_value", provenance="release")["period"]))
    if contract_only:
        caveats.append(f"For {and_list(contract_only)} only a contract value (not executed value) was found.")
    return dict(got, outcomes=outs, caveats=caveats, statements=[*got.get("statements", []), *words],
                target_unit="% change", target_period="2021-2025")


@assessment("rcep")
def rcep(facts):
    rows = pick(facts("china_offshore_outsourcing_breakdowns"), breakdown="market", category="RCEP members")
    outs = [outcome(r, f"RCEP members: {r['measure'].replace('_', ' ')}") for _, r in
            rows.sort_values(["period", "measure"]).iterrows()]
    got = _growth_every_year(facts, "RCEP members", ["RCEP members"])
    shares = by_year(pick(rows, measure="share_of_offshore_executed_value"), derived=True)
    caveats, words = [], []
    if len(shares) > 1:
        first, last = shares[min(shares)], shares[max(shares)]
        moved = st.change(value_of(first), value_of(last))
        words.append(moved)
        caveats.append(f"That share {moved} from {first['period']} to {last['period']}"
                       + (f"; no figure for {and_list([y for y in ('2020', '2021') if y not in shares])} was found."
                          if "2020" not in shares else "."))
    return dict(got, outcomes=outs, caveats=caveats, statements=[*got.get("statements", []), *words],
                target_unit="% change", target_period="2021-2025")


def _markets(facts, markets: list[str], absent: list[str]):
    """Executed value from each market in 2020 and 2025 (RMB): higher in 2025 for every one? `absent`: the
    forecast's markets the data has no category for (the test needs them too)."""
    breakdowns = pick(facts("china_offshore_outsourcing_breakdowns"), breakdown="market")
    outs, rises, words = [], {}, []
    for market in markets + absent:
        levels = by_year(pick(breakdowns, category=market, measure="executed_value"))
        outs += [outcome(r, f"{market}, executed value, scope: {r['scope']}") for r in levels.values()]
        if "2020" in levels and "2025" in levels:
            rises[market] = ratio_of(value_of(levels["2025"]), value_of(levels["2020"]))
            words.append(st.compare(rises[market], st.Operand("1", 1.0), words=("higher", "lower", "the same")))
    missing = [m for m in markets + absent if m not in rises]
    if not rises:
        return dict(outcomes=outs, found=bool(outs), comparable=False, missing=missing,
                    finding="2020 or 2025 was not found.")
    finding = ("From 2020 to 2025, in RMB: " + "; ".join(f"{m} {pct(100 * (r.value - 1))} ({w})" for (m, r), w in
                                                         zip(rises.items(), words)) + "."
               + (f" No figure for {and_list(missing)} was found." if missing else ""))
    return dict(outcomes=outs, missing=missing, passes=all(w == "higher" for w in words), finding=finding,
                statements=[*words, *rises.values()],
                numbers={"growth_2020_2025": {m: 100 * (r.value - 1) for m, r in rises.items()}},
                target_unit="RMB billion", target_period="2025")


@assessment("hong-kong")
def hong_kong(facts):
    return _markets(facts, ["Hong Kong SAR"], absent=["Macao"])


@assessment("us-eu")
def us_eu(facts):
    got = _markets(facts, ["United States", "EU"], absent=["the United Kingdom"])
    breakdowns = facts("china_offshore_outsourcing_breakdowns")
    top3 = by_year(pick(breakdowns, breakdown="market", category="top three markets",
                        measure="share_of_offshore_executed_value"))
    got["outcomes"] += [outcome(r, "the United States, Hong Kong SAR and the EU together: share of offshore executed value")
                        for r in top3.values()]
    caveats, words = [], []
    check = one(breakdowns, category="top three markets", period="2020", provenance="derived")
    if check is not None and "2020" in top3:
        same = st.compare(value_of(check), value_of(top3["2020"]), words=("above", "below", "the same as"), tol=0.05)
        words.append(same)
        caveats.append(f"With Hong Kong's and the EU's, the 2020 US value gives {share(check['value'])} of offshore "
                       f"value, {same} the share the release states for the 'top three markets' "
                       f"({share(top3['2020']['value'])}).")
    if "2020" in top3 and "2025" in top3:
        a, z = top3["2020"], top3["2025"]
        moved = st.change(value_of(a), value_of(z))
        pace = st.change(value_of(a), value_of(z), words=("grew faster than", "grew more slowly than", "grew as fast as"))
        words += [moved, pace]
        caveats.append(f"Their share of offshore value {moved} from {share(a['value'])} in 2020 to "
                       f"{share(z['value'], 0)} in 2025: their business {pace} offshore value as a whole.")
    return dict(got, caveats=caveats, statements=[*got.get("statements", []), *words])
