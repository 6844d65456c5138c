"""Assessments of the forecasts in '2. Development opportunities' (green investment, foreign
investment)."""

from __future__ import annotations

from sobook.fared.facts import Assessment, Facts, _words, by_year, one, outcome, pick
from sobook.fared.verdicts import decide
from sobook.fared.words import fmt, quote, share

# ---------------------------------------------------------------- opportunities


def _green(F: Facts) -> Assessment:
    gr = F("green_low_carbon_investment_needs")
    inc = one(gr, sector="outsourcing_increment", provenance="report")
    tot = one(gr, sector="total", provenance="report")
    return _words("opportunities", "s2.2.3-p1", "green", "Service outsourcing from green and low-carbon investment",
                  "If the service outsourcing industry's average penetration rate",
                  forecast=(f"additional service outsourcing of {fmt(inc['value'], inc['unit'])} from green and "
                            f"low-carbon investment (itself {fmt(tot['value'], tot['unit'], tot['qualifier'])} in "
                            f"{tot['period'].replace('-', '–')}); no year is named"),
                  finding="The estimate names no year by which the additional outsourcing would arise, and "
                          "no figure for green and low-carbon service outsourcing was found.",
                  caveat="The estimate applies the industry's average penetration rate to a thirty-year investment need.",
                  target_value=float(inc["value"]), target_unit=inc["unit"], target_period=tot["period"])


def _investment_driven(F: Facts) -> Assessment:
    b = F("china_offshore_outsourcing_breakdowns")
    rows = pick(b, breakdown="enterprise_type", measure="share_of_offshore_executed_value")
    outs = [outcome(r, f"{r['category']}, share of offshore executed value ({r['basis']})")
            for _, r in rows.sort_values(["period", "category"]).iterrows()]
    rep_fie = one(F("china_outsourcing_other_indicators"), indicator="foreign_invested_enterprises_offshore_executed_value",
                  measure="share_of_offshore", provenance="report")
    if rep_fie is not None:
        outs.insert(0, outcome(rep_fie, "foreign-invested enterprises, share of offshore executed value, the report"))
    return _words("opportunities", "s2.2.5-p1", "enterprise-types",
                  "Foreign-invested enterprises and service outsourcing driven by investment",
                  "This opens up broad prospects for the development of service outsourcing driven by investment",
                  forecast="broad prospects for service outsourcing driven by investment in the services sector "
                           "(no figure is named)",
                  outcomes=outs, test="None: the forecast names no quantity.",
                  basis="shares of offshore executed value in RMB, MOFCOM's categories of each year",
                  finding=("The forecast names no quantity, so it is not tested. The figures show the part of "
                           "foreign-invested enterprises in offshore outsourcing where MOFCOM published it; they "
                           "cannot be joined into one series (see the caveat)."),
                  caveat=("MOFCOM's enterprise categories changed. For 2020–2023 it reported private enterprises "
                          "(民营企业) and foreign-invested enterprises (外商投资企业), which do not add up to 100%, and "
                          "a January–August 2020 release excluded enterprises invested from Hong Kong, Macao and "
                          "Taiwan from the foreign-invested category; for 2025 it reported domestic-funded (内资企业) "
                          "and foreign-funded enterprises (外资企业), which add up to 100%. The 2025 share is not "
                          "comparable with the earlier ones. The report's own share for 2020"
                          + (f", {share(rep_fie['value'])}," if rep_fie is not None else "")
                          + " matches neither its offshore total nor MOFCOM's (claims ledger, rows C112 and C124)."),
                  chart="")


def _high_tech_fdi(F: Facts) -> Assessment:
    ot = F("china_outsourcing_other_indicators")
    f = one(ot, indicator="high_tech_fdi_share", period="2025", value_status="forecast")
    b = one(ot, indicator="high_tech_fdi_share", period="2020")
    later = by_year(pick(ot, indicator="high_tech_fdi_share"), after=2020)
    outs = [outcome(r, "high-tech industries' share of foreign investment") for r in later.values()]
    if "2025" in later:
        v = float(later["2025"]["value"])
        verdict = decide(complete=True, passes=v >= f["value"])
        finding = f"The 2025 share is {share(v)}."
    elif later:
        verdict = decide(passes=float(list(later.values())[-1]["value"]) >= f["value"])
        finding = "2025 was not found."
    else:
        verdict, finding = decide(found=False), "No figure after 2020 is in the edition's reference lists."
    return Assessment(
        "high-tech-fdi", "opportunities", "s2.2.5-p1", "High-tech industries' share of foreign investment in 2025",
        quote("opportunities", "s2.2.5-p1", "raise the share of foreign investment absorbed by high-tech",
              lead="The *14th Five-Year Plan for the Utilization of Foreign Investment* states that China will"),
        f"the high-tech share of foreign investment from {share(b['value'])} in 2020 to {share(f['value'], 0)} in 2025 "
        "(a plan target)", verdict, test=f"The share in 2025 at least {share(f['value'], 0)}.",
        basis="shares of foreign investment", outcomes=outs, finding=finding,
        caveat="A target of the plan the report cites, not the report's own forecast.",
        target_value=float(f["value"]), target_unit="% of total", target_period="2025")
