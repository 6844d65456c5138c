"""Assessments of the targets in '4. Development outlook' (scale, exports, the offshore share, jobs,
demonstration cities, regions, markets)."""

from __future__ import annotations

import math

from sobook.fared.facts import Assessment, Facts, _words, by_year, one, outcome, pick
from sobook.fared.verdicts import decide
from sobook.fared.words import _list, _num, fmt, pct, quote, rate, share

# ---------------------------------------------------------------- outlook


def _scale(F: Facts) -> Assessment:
    ev = F("china_outsourcing_executed_value")
    tot = by_year(pick(ev, market="total", measure="executed_value", basis="RMB"))
    growth = by_year(pick(ev, market="total", measure="yoy_growth", basis="RMB"))
    tot = {y: r for y, r in tot.items() if int(y) >= 2020}
    outs = [outcome(r, "total executed value") for r in tot.values()]
    outs += [outcome(r, "growth on the year before, as released") for y, r in growth.items() if int(y) > 2020]
    steps, computed = {}, []
    for y in range(2021, 2026):
        a, b = tot.get(str(y - 1)), tot.get(str(y))
        if a is not None and b is not None:
            steps[str(y)] = (float(b["value"]) / float(a["value"]) - 1) * 100
            if str(y) not in growth:
                computed.append(f"{y}: {pct(steps[str(y)])} on {y - 1} (computed by the edition from the two values; "
                                "the release's own rate was not found)")
    if not steps:
        verdict, finding = decide(found=False), "No total after 2020 was found in RMB."
    else:
        passes = all(g > 0 for g in steps.values())
        complete = all(str(y) in steps for y in range(2021, 2026))
        verdict = decide(complete=complete, passes=passes)
        missing = [str(y) for y in range(2021, 2026) if str(y) not in steps]
        finding = ("The total rose in " + _list(sorted(y for y, g in steps.items() if g > 0))
                   + (f" and fell in {_list(sorted(y for y, g in steps.items() if g <= 0))}" if not passes else "")
                   + "." + (f" The total for {_list(missing)} was not found." if missing else ""))
    return Assessment(
        "scale", "outlook", "s2.4-p3", "The scale of the service outsourcing China undertakes",
        quote("outlook", "s2.4-p3", "Through 2025, the scale of service outsourcing"),
        "the scale of service outsourcing China undertakes keeps expanding to 2025", verdict,
        test="Total executed value higher than in the year before, in every year from 2021 to 2025.",
        basis="RMB (MOFCOM's releases; in US$ the totals rose in the same years)",
        outcomes=outs, computed=computed, finding=finding, numbers={"growth": steps},
        caveat=("The test uses the total in RMB, in which every release gives it; rates in US$ differ with the "
                "exchange rate. The 2024 total comes from a reprint whose growth rate is cut off, and for 2025 only "
                "the offshore value was found (Chart E15 shows offshore value in US$)."),
        target_unit="RMB billion", target_period="2021-2025", chart="e11")


def _offshore_and_exports(F: Facts):
    """The figures both outlook tests on services exports use: offshore
    executed value and services-export growth, both in RMB."""
    ev = F("china_outsourcing_executed_value")
    bm = F("china_growth_benchmarks")
    off = by_year(pick(ev, market="offshore", measure="executed_value", basis="RMB"), derived=True)
    off = {y: r for y, r in off.items() if int(y) >= 2020}  # a release's value before a derived one
    off_g = {y: r for y, r in by_year(pick(ev, market="offshore", measure="yoy_growth", basis="RMB")).items()
             if int(y) > 2020}
    sx = pick(bm, indicator="services_exports", basis="RMB")
    sx_g = {y: r for y, r in by_year(pick(sx, measure="yoy_growth")).items() if int(y) > 2020}
    sx_v = by_year(pick(sx, measure="value"))
    partial = pick(sx, measure="yoy_growth")
    partial = partial[partial["period"].str.contains(" ")]
    return off, off_g, sx_g, sx_v, partial


def _factor(rates: dict, first: int, last: int) -> float | None:
    """Growth from the end of `first - 1` to `last`, chained from yearly rates (None if one is missing)."""
    if not all(str(y) in rates for y in range(first, last + 1)):
        return None
    return math.prod(1 + float(rates[str(y)]["value"]) / 100 for y in range(first, last + 1))


def _exports_tests(F: Facts):
    off, off_g, sx_g, sx_v, partial = _offshore_and_exports(F)
    base = off.get("2020")
    years = [y for y in range(2021, 2026) if str(y) in off and _factor(sx_g, 2021, y) is not None]
    latest = years[-1] if years else None
    nums = {}
    if base is not None and latest:
        o = float(off[str(latest)]["value"]) / float(base["value"])
        s = _factor(sx_g, 2021, latest)
        n = latest - 2020
        nums = {"latest_year": str(latest), "offshore_factor": o, "exports_factor": s,
                "offshore_cagr": (o ** (1 / n) - 1) * 100, "exports_cagr": (s ** (1 / n) - 1) * 100,
                "share_ratio": o / s, "offshore_latest_derived": off[str(latest)]["provenance"] == "derived"}
        if "2025" in off and _factor(sx_g, 2021, 2024) is not None:
            o25 = float(off["2025"]["value"]) / float(base["value"])
            nums["offshore_factor_2025"] = o25
            nums["exports_2025_break_even"] = (o25 / _factor(sx_g, 2021, 2024) - 1) * 100
            if len(partial):
                nums["exports_2025_partial"] = float(partial.iloc[-1]["value"])
                nums["exports_2025_partial_period"] = partial.iloc[-1]["period"]
    return off, off_g, sx_g, sx_v, partial, nums


def _vs_exports(F: Facts) -> Assessment:
    off, off_g, sx_g, sx_v, partial, nums = _exports_tests(F)
    ev = F("china_outsourcing_executed_value")
    bm = F("china_growth_benchmarks")
    o16 = one(ev, measure="avg_annual_growth", market="offshore", basis="US$", period="2016-2020", provenance="report")
    s16 = one(bm, measure="avg_annual_growth", indicator="services_exports", period="2016-2020")
    outs = [outcome(off["2020"], "offshore executed value, MOFCOM's release for 2020")] if "2020" in off else []
    outs += [outcome(r, "offshore executed value, growth on the year before") for r in off_g.values()]
    outs += [outcome(r, "services exports, growth on the year before") for r in sx_g.values()]
    outs += [outcome(r, "services exports, growth on the same months a year before") for _, r in partial.iterrows()]
    computed = []
    if "2024" in off and off["2024"]["provenance"] == "derived":
        computed.append("Offshore executed value in 2024: " + fmt(off["2024"]["value"], "RMB billion")
                        + " (computed by the edition from the 2025 value and its growth; MOFCOM's release for 2024 "
                          "was not found).")
    if nums:
        y = nums["latest_year"]
        computed.append(f"2020–{y}, average growth: offshore {rate(nums['offshore_cagr'])} a year, services exports "
                        f"{rate(nums['exports_cagr'])} a year (computed by the edition).")
        complete = y == "2025"
        passes = nums["offshore_cagr"] > nums["exports_cagr"]
        verdict = decide(complete=complete, passes=passes)
        finding = (f"From 2020 to {y}, the latest year with both figures, offshore executed value grew "
                   f"{rate(nums['offshore_cagr'])} a year and services exports {rate(nums['exports_cagr'])}: offshore "
                   f"outsourcing grew {'faster' if passes else 'more slowly'}.")
        if not complete and "exports_2025_break_even" in nums:
            finding += (f" With offshore value for 2025 known, the five-year averages would be equal only if services "
                        f"exports had changed by {pct(nums['exports_2025_break_even'])} in 2025")
            if "exports_2025_partial" in nums:
                finding += (f"; in January–October they changed by {pct(nums['exports_2025_partial'])} on the same "
                            "months of 2024")
            finding += ". Full-year 2025 services exports were not found."
    else:
        verdict, finding = decide(found=False), "No comparable figures after 2020 were found."
    return Assessment(
        "offshore-vs-exports", "outlook", "s2.4-p3", "Offshore outsourcing growing faster than services exports",
        quote("outlook", "s2.4-p3", "The average annual growth of the offshore executed value", "services exports",
              cut=True),
        (f"offshore executed value grows faster on average than services exports in 2021–2025 (in 2016–2020 the "
         f"report gives {fmt(o16['value'], '% per year')} against {fmt(s16['value'], '% per year')}, in US$)"),
        verdict,
        test="Average annual growth of offshore executed value in 2021–2025 above that of services exports.",
        basis="RMB: both offshore value and services exports as the releases give them in RMB (services-export rates "
              "that do not state a currency are taken to be in RMB, as MOFCOM's headline rates are)",
        outcomes=outs, computed=computed, finding=finding, numbers=nums,
        caveat=("The report's comparison for 2016–2020 was in US$; after 2020 services exports were found only in "
                "RMB, so the test is in RMB throughout, offshore value from MOFCOM's releases for 2020 and 2025. "
                "Full-year 2025 services exports were not found; the January–October figure is not a full year."),
        target_unit="% per year", target_period="2021-2025", chart="e12")


def _export_share(F: Facts) -> Assessment:
    off, off_g, sx_g, sx_v, partial, nums = _exports_tests(F)
    xs = F("china_offshore_outsourcing_export_shares")
    rep = one(xs, numerator="offshore", denominator="services_exports", measure="share", period="2020")
    outs = [outcome(rep, "the report's share for 2020, currency not stated")]
    outs += [outcome(r, "offshore executed value") for r in off.values()]
    outs += [outcome(r, "services exports") for y, r in sx_v.items() if int(y) > 2020]
    later = by_year(pick(xs, numerator="offshore", denominator="services_exports", measure="share"), after=2020)
    outs += [outcome(r, "offshore executed value as a share of services exports, as published") for r in later.values()]
    computed, shares = [], {}
    # shares in RMB, year by year: offshore value over services exports where both are known
    for y, r in off.items():
        if y in sx_v:
            unit = sx_v[y]["unit"]
            exports = float(sx_v[y]["value"]) * (1000 if unit == "RMB trillion" else 1)
            bound = sx_v[y]["qualifier"] == "more than"
            shares[y] = (float(r["value"]) / exports * 100, "at most " if bound else "")
    g21 = sx_g.get("2021")
    if "2021" in sx_v and g21 is not None and "2020" in off:
        exports20 = float(sx_v["2021"]["value"]) * 1000 / (1 + float(g21["value"]) / 100)
        bound = sx_v["2021"]["qualifier"] == "more than"
        shares["2020"] = (float(off["2020"]["value"]) / exports20 * 100, "at most " if bound else "")
    if shares:
        computed.append("Offshore executed value as a share of services exports, both in RMB: "
                        + "; ".join(f"{y}: {q}{share(s)}" for y, (s, q) in sorted(shares.items()))
                        + " (computed by the edition; 2020's services exports from the 2021 value and its growth; "
                          "'at most' where the exports are 'more than' a figure).")
    nums = dict(nums, shares={y: s for y, (s, _) in shares.items()})
    if "share_ratio" in nums:
        y = nums["latest_year"]
        complete = y == "2025"
        passes = nums["share_ratio"] > 1
        verdict = decide(complete=complete, passes=passes)
        finding = (f"In {y}, the latest year with both figures, the share was {share(100 * nums['share_ratio'], 1)} "
                   f"of its 2020 level (the growth of offshore value over the growth of services exports since 2020, "
                   f"which needs no level of either), so it was {'above' if passes else 'below'} 2020's.")
        if not complete and "exports_2025_break_even" in nums:
            finding += (f" It would be above 2020's in 2025 only if services exports had changed by less than "
                        f"{pct(nums['exports_2025_break_even'])} in 2025")
            if "exports_2025_partial" in nums:
                finding += f"; in January–October they changed by {pct(nums['exports_2025_partial'])}"
            finding += "."
    else:
        verdict, finding = decide(found=False), "No comparable figures after 2020 were found."
    return Assessment(
        "export-share", "outlook", "s2.4-p3", "Offshore outsourcing's share of services exports",
        quote("outlook", "s2.4-p3", "its share of services exports will continue to rise",
              lead="The average annual growth of the offshore executed value is expected to outpace that of services exports, and"),
        f"offshore outsourcing's share of services exports keeps rising (the report gives {share(rep['value'])} for 2020)",
        verdict, test="The share in 2025 above the share in 2020, in one currency.",
        basis="RMB: offshore executed value and services exports as the releases give them in RMB",
        outcomes=outs, computed=computed, finding=finding, numbers=nums,
        caveat=("The share rises exactly when offshore value grows faster than services exports, so this test and "
                f"the one above share their figures. The report's {share(rep['value'])} for 2020 does not say its "
                "currency; the like-for-like 2020 share is computed in RMB. "
                + "".join(f"Xinhua's {_num(r['value'])}% for {y} is a rounded share with no currency stated (the "
                          "offshore value it gives is in US$), so it is shown but not used. " for y, r in later.items())
                + "The 2024 share rests "
                "on an offshore value computed from 2025's value and growth (uncertain by about RMB 0.6 billion, too "
                "little to change the comparison)."),
        target_unit="% of total", target_period="2025")


def _jobs(F: Facts) -> Assessment:
    em = F("china_outsourcing_employment")
    fc = one(em, measure="new_employees", period="2021-2025", value_status="forecast")
    base = one(em, measure="employees_end_of_year", group="all", period="2020", provenance="report")
    added = one(em, measure="new_employees", group="all", period="2016-2020", provenance="report")
    later = by_year(pick(em, measure="employees_end_of_year", group="all"), after=2020)
    outs = [outcome(base, "people employed at the end of 2020, the report")]
    outs += [outcome(r, "people employed at the end of the year") for r in later.values()]
    target = float(fc["value"])
    if later:
        y = list(later)[-1]
        rise = float(later[y]["value"]) - float(base["value"])
        years = int(y) - 2020
        path = target * years / 5
        complete = y == "2025"
        passes = rise > target if complete else rise >= path
        verdict = decide(complete=complete, passes=passes)
        if complete:
            tail = f"the {_num(target)} million forecast."
        else:
            tail = (f"the {_num(round(path, 3))} million that falls to {years} of the 5 years at an even pace (the other "
                    f"{_num(round(target - rise, 3))} million would have been needed in "
                    f"{_list([str(k) for k in range(int(y) + 1, 2026)])}; the end-2025 number was not found).")
        finding = (f"By the end of {y} the number employed had risen by {_num(round(rise, 3))} million since the end of "
                   f"2020, {'more than' if passes else 'less than'} " + tail)
        nums = {"rise": rise, "path": path, "latest_year": y, "target": target}
    else:
        verdict, finding, nums = decide(found=False), "No figure after 2020 was found.", {}
    return Assessment(
        "jobs", "outlook", "s2.4-p3", "More than 5 million more people employed",
        quote("outlook", "s2.4-p3", "over the next five years, the number of people employed"),
        f"{fmt(target, 'million persons', fc['qualifier'])} more employed in 2021–2025", verdict,
        test=(f"The rise in the number employed at the end of the year since the end of 2020: more than "
              f"{_num(target)} million by the end of 2025, and on the way at least its pro-rata part (a fifth a year)."),
        basis="people employed in service outsourcing (从业人员) at the end of each year, MOFCOM's series",
        outcomes=outs, finding=finding, numbers=nums,
        caveat=("The report counts the people added in a period as the rise in the number employed at the end of "
                f"the year: its {fmt(added['value'], 'million persons')} added in 2016–2020 are exactly the rise from "
                "end-2015 to end-2020 (claims ledger, row C051), so the forecast is tested the same way. The 2024 "
                "figure comes from a "
                "speech reprinted by China News Service, not a MOFCOM release; numbers for the ends of 2022, 2023 "
                "and 2025 were not found."),
        target_value=target, target_unit="million persons", target_period="2021-2025", chart="e16")


def _cities(F: Facts) -> Assessment:
    dc = F("china_demonstration_cities")
    b = F("china_offshore_outsourcing_breakdowns")
    start = one(dc, measure="number_of_cities", period="2016")
    counts = by_year(pick(b, breakdown="demonstration_cities", measure="number_of_cities"))
    added = pick(b, breakdown="demonstration_cities", measure="cities_added")
    shares = pick(b, breakdown="demonstration_cities", measure="share_of_offshore_executed_value")
    outs = [outcome(start, "demonstration cities from 2016, the report")]
    outs += [outcome(r, "demonstration cities added") for _, r in added.iterrows()]
    outs += [outcome(r, "demonstration cities") for r in counts.values()]
    outs += [outcome(r, f"{r['category']}: share of offshore executed value") for _, r in shares.iterrows()]
    if counts:
        y = list(counts)[-1]
        n = float(counts[y]["value"])
        passes = n > float(start["value"])
        verdict = decide(complete=y == "2025", passes=passes)
        finding = (f"There were {_num(start['value'])} demonstration cities from 2016 and {_num(n)} in {y}"
                   + "".join(f"; {_num(r.value)} were added in {r.period}" for r in added.itertuples()) + ".")
    else:
        verdict, finding = decide(found=False), "No count after 2020 was found."
    return Assessment(
        "demonstration-cities", "outlook", "s2.4-p4", "More demonstration cities",
        quote("outlook", "s2.4-p4", "the expansion [of their number] will proceed in an orderly manner"),
        "the number of China Service Outsourcing Demonstration Cities grows, with more cities in the central and "
        "western regions", verdict,
        test=f"More demonstration cities in 2025 than the report's {_num(start['value'])}.", basis="a count of cities",
        outcomes=outs, finding=finding,
        caveat=("The cities added in 2021 are Xuzhou, Foshan, Yantai, Guiyang, Luoyang and Yichang, as the summary "
                "of the China Service Outsourcing Development Report 2021 names them; the releases found do not say "
                "which count as central or western, so that part is not judged. The cities' shares of offshore value "
                "are for the enlarged list and are not comparable with the share of total executed value the report "
                "implies for the earlier list."),
        target_value=float(start["value"]), target_unit="cities", target_period="2025")


def _regions(F: Facts) -> Assessment:
    b = F("china_offshore_outsourcing_breakdowns")
    rows = pick(b, breakdown="region", measure="share_of_offshore_executed_value")
    outs = [outcome(r, f"{r['category']}: share of offshore executed value (RMB)")
            for _, r in rows.sort_values(["category", "period"]).iterrows()]
    return _words("outlook", "s2.4-p5", "regions", "Regional clusters of service outsourcing",
                  "Coordinated regional development will be strengthened",
                  forecast="coordinated regional development strengthened; the Yangtze River Delta a world-class city "
                           "cluster; belts and clusters in other regions (no figure is named)",
                  outcomes=outs, test="None: the forecast names no quantity.",
                  basis="shares of offshore executed value in RMB",
                  finding=("The outlook names no figure for the regions, so it is not tested. The regional figures "
                           "MOFCOM published are shown: they begin in 2022, so there is no 2020 to compare with."),
                  caveat=("Regional offshore figures were found for the Yangtze River Delta (2022, 2023, 2025) and, "
                          "for 2025 only, Beijing-Tianjin-Hebei and the central region; the 2025 shares are computed "
                          "by the edition from the values. The report's regional figures (section 1) are numbers of "
                          "enterprises, not values."))


def _market_growth(F: Facts, categories: list[str], not_found: str = ""):
    """Executed value from each market in 2020 and 2025 (RMB): higher in 2025 for every one?"""
    b = F("china_offshore_outsourcing_breakdowns")
    mk = pick(b, breakdown="market", category=categories)
    outs, per, nums = [], {}, {}
    for cat in categories:
        lv = by_year(pick(mk, category=cat, measure="executed_value"))
        outs += [outcome(r, f"{cat}, executed value, scope: {r['scope']}") for r in lv.values()]
        per[cat] = lv
    if all(("2020" in per[c] and "2025" in per[c]) for c in categories):
        rises = {c: float(per[c]["2025"]["value"]) / float(per[c]["2020"]["value"]) - 1 for c in categories}
        nums = {"growth_2020_2025": {c: 100 * g for c, g in rises.items()}}
        passes = all(g > 0 for g in rises.values())
        verdict = decide(complete=True, passes=passes)
        finding = ("From 2020 to 2025, in RMB: " + "; ".join(f"{c} {pct(100 * g)}" for c, g in rises.items()) + "."
                   + (f" {not_found}" if not_found else ""))
    elif any(per.values()):
        verdict, finding = decide(comparable=False), "2020 or 2025 was not found."
    else:
        verdict, finding = decide(found=False), "No figure was found."
    return outs, verdict, finding, nums


def _us_eu(F: Facts) -> Assessment:
    outs, verdict, finding, nums = _market_growth(
        F, ["United States", "EU"], not_found="No figure for the United Kingdom (or Japan) was found in any full-year release.")
    b = F("china_offshore_outsourcing_breakdowns")
    t3 = by_year(pick(b, breakdown="market", category="top three markets", measure="share_of_offshore_executed_value"))
    outs += [outcome(r, "the United States, Hong Kong SAR and the EU together: share of offshore executed value")
             for r in t3.values()]
    top3 = ""
    if "2020" in t3 and "2025" in t3:
        a, z = float(t3["2020"]["value"]), float(t3["2025"]["value"])
        top3 = (f" The three largest markets' share of offshore value went from {share(a)} in 2020 to {share(z, 0)} in "
                f"2025, so their business grew {'more slowly' if z < a else 'faster'} than all offshore value.")
    return Assessment(
        "us-eu", "outlook", "s2.4-p6", "The United States, the EU and the United Kingdom",
        quote("outlook", "s2.4-p6", "Service outsourcing cooperation with the United States, the EU, the United Kingdom",
              "will expand further", cut=True),
        "service outsourcing cooperation with the United States, the EU and the United Kingdom expands", verdict,
        test="The executed value of the work China undertakes from each market higher in 2025 than in 2020.",
        basis="RMB, MOFCOM's releases for 2020 and 2025", outcomes=outs, finding=finding, numbers=nums,
        caveat=("The 2020 US figure's sentence does not say offshore, but with Hong Kong's and the EU's it adds up to "
                "the published share of the top three markets in offshore value, so it is offshore too. No figures "
                "for 2021 or 2024 were found; levels are in RMB, and growth in US$ would differ." + top3),
        target_unit="RMB billion", target_period="2025")


def _hong_kong(F: Facts) -> Assessment:
    outs, verdict, finding, nums = _market_growth(F, ["Hong Kong SAR"], not_found="No figure for Macao was found.")
    return Assessment(
        "hong-kong", "outlook", "s2.4-p6", "Hong Kong and Macao",
        quote("outlook", "s2.4-p6", "the undertaking of business from Hong Kong and Macao will reach a higher level",
              lead="The opening of the services sector to Hong Kong and Macao will extend to more fields,"),
        "the work undertaken from Hong Kong and Macao reaches a higher level", verdict,
        test="The executed value of the work China undertakes from Hong Kong higher in 2025 than in 2020.",
        basis="RMB, MOFCOM's releases for 2020 and 2025", outcomes=outs, finding=finding, numbers=nums,
        caveat="No figure for 2021 or 2024 was found; levels are in RMB.",
        target_unit="RMB billion", target_period="2025")


def _growth_every_year(F: Facts, categories: list[str]):
    """Executed-value growth on the year before as each release gives it, by
    year, within one definition (a category) at a time."""
    b = F("china_offshore_outsourcing_breakdowns")
    rates = {}
    for cat in categories:
        for y, r in by_year(pick(b, breakdown="market", category=cat, measure="executed_value_growth")).items():
            if int(y) > 2020:
                rates[y] = r
    return dict(sorted(rates.items()))


def _belt_and_road(F: Facts) -> Assessment:
    b = F("china_offshore_outsourcing_breakdowns")
    cats = ["Belt and Road countries (沿线国家)", "Belt and Road countries (共建国家)"]
    rows = pick(b, breakdown="market", category=cats)
    outs = [outcome(r, f"{r['category']}, {r['measure'].replace('_', ' ')}, scope: {r['scope']}")
            for _, r in rows.sort_values(["period", "measure"]).iterrows() if r["measure"] != "executed_value"
            or r["provenance"] != "derived"]
    rates = _growth_every_year(F, cats)
    known = sorted(rates)
    passes = all(float(r["value"]) > 0 for r in rates.values()) if rates else None
    complete = known == [str(y) for y in range(2021, 2026)]
    verdict = decide(found=bool(rates), complete=complete, passes=passes)
    missing = [str(y) for y in range(2021, 2026) if str(y) not in rates]
    finding = ("Executed value from Belt and Road countries grew in every year for which a release gives its growth: "
               + "; ".join(f"{y} {fmt(r['value'], '% change')} ({r['category']})" for y, r in rates.items()) + "."
               + (f" No executed-value growth for {_list(missing)} was found." if missing else "")) if rates else \
        "No executed-value growth after 2020 was found."
    return Assessment(
        "belt-and-road", "outlook", "s2.4-p6", "Belt and Road countries",
        quote("outlook", "s2.4-p6", "Service outsourcing cooperation with Belt and Road countries will keep growing in scale"),
        "service outsourcing with Belt and Road countries keeps growing in scale", verdict,
        test="Executed value from Belt and Road countries higher than in the year before, every year of 2021–2025, "
             "each year within one definition of the countries.",
        basis="RMB; growth as each release gives it, within its own set of countries",
        outcomes=outs, finding=finding, numbers={"growth": {y: float(r["value"]) for y, r in rates.items()}},
        caveat=("The country set changed. The releases for 2020 and 2022 speak of countries along the Belt and Road "
                "(“一带一路”沿线国家), the one for 2025 of countries that jointly build it (共建“一带一路”国家), a "
                "wider wording; neither is defined. The 2025 value is far larger than 2022's, consistent with a wider "
                "set, so the two are never joined into one series: only growth within each release is used. For 2021 "
                "only a contract value (not executed value) was found."),
        target_unit="% change", target_period="2021-2025")


def _rcep(F: Facts) -> Assessment:
    b = F("china_offshore_outsourcing_breakdowns")
    rows = pick(b, breakdown="market", category="RCEP members")
    outs = [outcome(r, f"RCEP members: {r['measure'].replace('_', ' ')}") for _, r in rows.sort_values(["period", "measure"]).iterrows()]
    rates = _growth_every_year(F, ["RCEP members"])
    missing = [str(y) for y in range(2021, 2026) if str(y) not in rates]
    passes = all(float(r["value"]) > 0 for r in rates.values()) if rates else None
    verdict = decide(found=bool(rates), complete=not missing, passes=passes)
    finding = (("Executed value from RCEP members grew in every year for which a release gives its growth: "
                + "; ".join(f"{y} {fmt(r['value'], '% change')}" for y, r in rates.items()) + "."
                + (f" No figure for {_list(missing)} was found." if missing else "")) if rates else
               "No figure after 2020 was found.")
    return Assessment(
        "rcep", "outlook", "s2.4-p6", "RCEP members",
        quote("outlook", "s2.4-p6", "Service outsourcing cooperation with the member states of the Regional",
              "market share will rise further", cut=True),
        "service outsourcing cooperation with RCEP members grows in quantity and quality, and market share rises",
        verdict, test="Executed value from RCEP members higher than in the year before, every year of 2021–2025.",
        basis="RMB; growth as each release gives it", outcomes=outs, finding=finding,
        numbers={"growth": {y: float(r["value"]) for y, r in rates.items()}},
        caveat=("The 'market share' of the forecast is China's share of its partners' markets, which no release "
                "gives. The releases give RCEP members' share of China's offshore value, a different measure: it rose "
                "from 2022 to 2025 (2025 computed by the edition), but no 2020 or 2021 figure was found."),
        target_unit="% change", target_period="2021-2025")
