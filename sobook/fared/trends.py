"""Assessments of the forecasts in '1. Development trends' (global market, large contracts, outbound
outsourcing, IDC)."""

from __future__ import annotations

import math

from sobook.fared.facts import Assessment, Facts, _words, by_year, one, outcome, pick
from sobook.fared.verdicts import decide
from sobook.fared.words import _is_year, _list, _num, fmt, quote, rate

# ---------------------------------------------------------------- trends


def _global_size(F: Facts) -> Assessment:
    go = F("global_offshore_outsourcing")
    fg = one(go, measure="avg_annual_growth", period="2021-2025", value_status="forecast")
    fv = one(go, measure="executed_value", period="2025", value_status="forecast")
    base = one(go, measure="executed_value", period="2020", provenance="report")
    levels = by_year(pick(go, measure="executed_value"), after=2020)
    growth = by_year(pick(go, measure="yoy_growth"), after=2020)
    outs = [outcome(base, "the report's estimate for 2020")]
    for y, r in levels.items():
        outs.append(outcome(r, "estimate of the next edition of the report" if r["value_status"] == "estimate"
                            else "executed value"))
        if y in growth:
            outs.append(outcome(growth[y], "growth on its own estimate for the year before"))
    frate = float(fg["value"])
    nums, computed = {"forecast_rate": frate, "target": float(fv["value"]), "base": float(base["value"])}, []
    known = sorted(levels)
    if "2025" in levels:
        v = float(levels["2025"]["value"])
        cagr = ((v / base["value"]) ** (1 / 5) - 1) * 100
        nums.update(level_2025=v, cagr=cagr)
        passes = v >= fv["value"] and cagr > frate
        verdict = decide(complete=True, passes=passes)
        finding = (f"The 2025 estimate is {fmt(v, 'US$ billion')}, {'at or above' if v >= fv['value'] else 'below'} "
                   f"the forecast of {fmt(fv['value'], 'US$ billion')}: {rate(cagr)} a year since 2020.")
    elif known:
        y = known[-1]
        # the growth each edition gives against its own estimate for the year before (one vintage a year)
        chain = [y2 for y2 in (str(k) for k in range(2021, int(y) + 1))]
        if all(c in growth for c in chain):
            index = math.prod(1 + float(growth[c]["value"]) / 100 for c in chain)
            how = "the growth the next edition gives for each year against its own estimate for the year before"
        else:
            index = float(levels[y]["value"]) / float(base["value"])
            how = "the estimate over the report's 2020 estimate"
        cagr = (index ** (1 / (int(y) - 2020)) - 1) * 100
        nums.update(latest_year=y, index=index, cagr=cagr)
        passes = cagr > frate
        verdict = decide(complete=False, passes=passes)
        finding = (f"By {y} estimated growth was {rate(cagr)} a year since 2020 ({how}), "
                   f"{'above' if passes else 'not above'} the forecast of more than {_num(frate)}% a year. "
                   f"No estimate for {_list([str(k) for k in range(int(y) + 1, 2026)])} was found.")
        need = pick(go, measure="avg_annual_growth", provenance="derived")
        need = need[need["period"].str.match(rf"{int(y) + 1}-2025$")]
        if len(need):
            computed.append(f"Growth needed from the {y} estimate to reach {fmt(fv['value'], 'US$ billion')} in "
                            f"2025: {fmt(float(need.iloc[0]['value']), '% per year')} (computed by the edition).")
    else:
        verdict, finding = decide(found=False), "No estimate after 2020 was found."
    return Assessment(
        "global-size", "trends", "s2.1.1-p2", "Global offshore service outsourcing: growth and size in 2025",
        quote("trends", "s2.1.1-p2", "The China Service Outsourcing Research Center forecasts that in 2021", "in 2025."),
        f"growth of more than {_num(frate)}% a year in 2021–2025, to {fmt(fv['value'], 'US$ billion')} in 2025 "
        f"(from an estimated {fmt(base['value'], 'US$ billion')} in 2020)",
        verdict,
        test=(f"Average growth since 2020 above {_num(frate)}% a year in every year known; in 2025, also at least "
              f"{fmt(fv['value'], 'US$ billion')}."),
        basis="US$; the China Service Outsourcing Research Center's estimates, each year's growth against the same "
              "edition's estimate for the year before",
        outcomes=outs, computed=computed, finding=finding,
        caveat=("The global figures are the Research Center's estimates (测算), not statistics, and each edition "
                "revises the series; growth is therefore taken from the edition that gives the later year, against "
                "its own estimate of the year before (the next edition's 2020, implied by its 2021 figure and "
                "growth, agrees with this report's within rounding: claims ledger, row C120)."),
        target_value=float(fv["value"]), target_unit="US$ billion", target_period="2025", numbers=nums, chart="e14")


def _global_structure(F: Facts) -> Assessment:
    gs = F("global_offshore_outsourcing_structure")
    f25 = {r.type: r.value for r in pick(gs, period="2025", value_status="forecast").itertuples()}
    b20 = {r.type: r.value for r in pick(gs, period="2020", provenance="report").itertuples()}
    later = {y: pick(gs, period=y) for y in by_year(gs, after=2020)}
    ratio = lambda d: ":".join(_num(d[t]) for t in ("ITO", "BPO", "KPO"))  # noqa: E731
    ty = F("china_outsourcing_by_type")
    china = pick(ty, measure="share", market="offshore", basis="RMB")
    outs = [outcome(r, f"China's offshore {r['type']}, share of China's offshore executed value (RMB)")
            for _, r in china[china["period"].map(_is_year)].sort_values(["period", "type"]).iterrows()
            if r["period"] == max(china["period"])]
    if "2025" in later:
        g = {r.type: r.value for r in later["2025"].itertuples()}
        off = max(abs(g[t] - f25[t]) for t in f25)
        verdict = decide(complete=True, passes=off <= 2)
        finding = f"The 2025 split, {ratio(g)}, differs from the forecast by at most {_num(round(off, 1))} points."
    else:
        verdict = decide(found=False)
        finding = "No global split after 2020 was found."
    return Assessment(
        "global-structure", "trends", "s2.1.1-p3", "The structure of global offshore outsourcing in 2025",
        quote("trends", "s2.1.1-p3", "The China Service Outsourcing Research Center forecasts that by 2025", "in 2020 to"),
        f"ITO:BPO:KPO from {ratio(b20)} in 2020 to {ratio(f25)} in 2025", verdict,
        test="The global shares of ITO, BPO and KPO in 2025 within 2 percentage points of the forecast.",
        basis="shares of global offshore executed value (no currency)", outcomes=outs, finding=finding,
        caveat=("China's own offshore split (shown, latest year) is not the measure the forecast is about: it is "
                "China's offshore outsourcing alone, in RMB and as MOFCOM classifies it, not the world market."),
        target_unit="% of total", target_period="2025", chart="e17")


def _large_contracts(F: Facts) -> Assessment:
    isg = F("isg_large_contracts")
    fg = one(isg, measure="avg_annual_growth", period="2021-2025", value_status="forecast")
    fv = one(isg, measure="acv", period="2025", value_status="forecast")
    base = one(isg, measure="acv", segment="combined", period="2020", provenance="report")
    comb = pick(isg, segment="combined")
    levels = by_year(pick(comb, measure="acv"), after=2020)
    growth = by_year(pick(comb, measure="yoy_growth"), after=2020)
    outs = [outcome(base, "ISG's figure of January 2021, in the report")]
    for y, r in levels.items():
        outs.append(outcome(r, "annual contract value, ISG's release for the year"))
        if y in growth:
            outs.append(outcome(growth[y], "growth on the year before, in the same release"))
    rev = one(comb, measure="acv", period="2020", provenance="derived")
    if rev is not None:
        outs.append(outcome(rev, "2020 as ISG's 2021 release has it (a later vintage)"))
    rebased = one(comb, measure="acv", period="2025", provenance="derived")
    chained = pick(comb, measure="avg_annual_growth", provenance="derived")
    chained = chained[chained["period"].str.startswith("2021-") & (chained["period"] != "2021-2025")]
    computed = []
    if len(chained):
        r = chained.iloc[0]
        computed.append(f"Average growth {r['period'].replace('-', '–')}, chained from the growth each ISG release "
                        f"gives for its own year: {fmt(r['value'], '% per year')} (computed by the edition).")
    if rebased is not None:
        computed.append(f"The forecast rebased to the revised 2020 level (the same growth from ISG's later "
                        f"vintage): {fmt(rebased['value'], 'US$ billion', rebased['qualifier'])} in 2025 (computed by "
                        "the edition).")
    frate = float(fg["value"])
    nums = {"forecast_rate": frate}
    chain = []
    for y in range(2021, 2026):
        if str(y) not in growth:
            break
        chain.append(str(y))
    if chain:
        index = math.prod(1 + float(growth[y]["value"]) / 100 for y in chain)
        n = len(chain)
        path = (1 + frate / 100) ** n
        nums.update(latest_year=chain[-1], index=index, path=path, cagr=(index ** (1 / n) - 1) * 100)
        complete = chain[-1] == "2025"
        passes = index >= (fv["value"] / base["value"] if complete else path)
        verdict = decide(complete=complete, passes=passes)
        yearly = "; ".join(f"{y}: {fmt(growth[y]['value'], '% change')}" for y in chain)
        finding = (f"Chained from the growth each ISG release gives for its own year ({yearly}), contract value "
                   f"grew {rate(nums['cagr'])} a year from 2020 to {chain[-1]}, "
                   f"{'ahead of' if passes else 'behind'} the forecast of about {_num(frate)}% a year.")
        missing = [str(y) for y in range(int(chain[-1]) + 1, 2026)]
        if missing:
            finding += f" No full-year figure for {_list(missing)} was found."
    elif levels:
        verdict = decide(comparable=False)
        finding = "ISG figures after 2020 were found, but not the growth on the year before in the same release."
    else:
        verdict, finding = decide(found=False), "No ISG figure after 2020 was found."
    return Assessment(
        "large-contracts", "trends", "s2.1.2-p3", "Large outsourcing contracts worldwide (ISG Index) in 2025",
        quote("trends", "s2.1.2-p3", "The China Service Outsourcing Research Center forecasts that in 2021", "in 2025."),
        f"about {_num(frate)}% a year, to {fmt(fv['value'], 'US$ billion', fv['qualifier'])} in 2025 (from "
        f"{fmt(base['value'], 'US$ billion')} in 2020, ISG's figure of January 2021)", verdict,
        test=(f"Growth since 2020 at least at the forecast rate (about {_num(frate)}% a year), each year's growth "
              "taken from ISG's release for that year; in 2025, the level reached by the forecast's growth."),
        basis="US$; each year within one ISG vintage (the release for that year), never a later level against the "
              "report's older 2020",
        outcomes=outs, computed=computed, finding=finding,
        caveat=("ISG revises its history: its 2021 release implies a higher 2020 than the report's January 2021 "
                "figure, and its 2022 release implies a 2021 of its own again. A later level against the report's "
                "2020 would mix vintages, so the test uses the growth each release gives for its own year. ISG's "
                f"2022 level is below the forecast rebased to the revised 2020 but above the forecast as the report "
                f"gives it ({fmt(fv['value'], 'US$ billion', fv['qualifier'])}): a level before 2025 decides nothing "
                "about 2025. For "
                "2023 only quarterly and year-to-date figures were found. ISG's large contracts are those with an "
                "annual contract value of US$5 million or more (the report's note 8)."),
        target_value=float(fv["value"]), target_unit="US$ billion", target_period="2025", numbers=nums, chart="e15")


def _outbound_developing(F: Facts) -> Assessment:
    df = F("offshore_outsourcing_demand_forecasts")
    rows = pick(df, measure="growth_2021_2025", value_status="forecast")
    names = {"Belt and Road countries": "Belt and Road countries", "Africa": "Africa",
             "China (manufacturing digitalisation)": "China in the digitalization of manufacturing"}
    said = "; ".join(f"{names.get(r.client, r.client)}: {r.qualifier + ' ' if r.qualifier else ''}{_num(r.value)}% "
                     "growth" for r in rows.itertuples()) + " (2021–2025)"
    return Assessment(
        "outbound-developing", "trends", "s2.1.5-p2", "Outbound outsourcing by Belt and Road countries, Africa and China",
        quote("trends", "s2.1.5-p2", "The China Service Outsourcing Research Center forecasts that in 2021",
              "by more than 30%."),
        said, decide(found=False), test="The growth of outsourcing by these economies, as clients, over 2021–2025.",
        basis="—", finding="No figure for outsourcing by these economies, as clients, after 2020 was found.",
        caveat=("MOFCOM's figures for the outsourcing China undertakes from Belt and Road countries (below, under "
                "the outlook's markets) measure China's business with them, not their outsourcing to all suppliers."),
        target_unit="% change", target_period="2021-2025")


def _outbound_developed(F: Facts) -> Assessment:
    df = F("offshore_outsourcing_demand_forecasts")
    f = pick(df, measure="offshore_outsourcing_value", period="2025", value_status="forecast")
    g = {r.client: r for r in pick(df, measure="avg_annual_growth", value_status="forecast").itertuples()}
    said = "; ".join(f"{r.client}: {fmt(r.value, 'US$ billion')} in 2025 ({fmt(g[r.client].value, '% per year', g[r.client].qualifier)})"
                     for r in f.itertuples() if r.client in g)
    return Assessment(
        "outbound-developed", "trends", "s2.1.5-p3", "Offshore outsourcing by the United States, the EU and Japan in 2025",
        quote("trends", "s2.1.5-p3", "The China Service Outsourcing Research Center forecasts that in 2021", "by 2025."),
        said, decide(found=False), test="The offshore outsourcing of these economies, as clients, in 2025.",
        basis="—", finding="No actual value of their offshore outsourcing after 2020 was found.",
        caveat=("The report gives the 2025 values and the growth rates but not the 2020 values they start from. "
                "MOFCOM's figures for the work China undertakes from the United States and the EU (under the "
                "outlook's markets) are China's share of that outsourcing, a different measure."),
        target_unit="US$ billion", target_period="2025")


def _idc(F: Facts) -> Assessment:
    return _words("trends", "s2.1.4-p2", "idc", "IDC's forecasts for the digital economy, as quoted",
                  "International Data Corporation (IDC) forecasts",
                  forecast="IDC's share of world GDP from digitalized fields in 2022, and the growth of direct "
                           "investment in digital transformation in 2020–2023 (not the report's own forecasts)",
                  verdict=decide(found=False),
                  finding="No later IDC figure for either is in the edition's reference lists.",
                  caveat="These are International Data Corporation's forecasts, which the report quotes.",
                  target_unit="% of total", target_period="2022")
