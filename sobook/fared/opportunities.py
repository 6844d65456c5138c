"""The items of '2. Development opportunities' that read the data: green investment, foreign investment."""

from __future__ import annotations

from sobook import statements as st
from sobook.fared.facts import assessment, by_year, one, outcome, pick, value_of
from sobook.fared.words import share
from sobook.text import number, quantity


@assessment("green")
def green(facts):
    needs = facts("green_low_carbon_investment_needs")
    increment = one(needs, sector="outsourcing_increment", provenance="report")
    total = one(needs, sector="total", provenance="report")
    return dict(measurable=False, found=False, target_value=float(increment["value"]), target_unit=increment["unit"],
                target_period=total["period"],
                slots={"increment": quantity(increment["value"], increment["unit"]),
                       "total": quantity(total["value"], total["unit"], total["qualifier"]),
                       "period": total["period"].replace("-", "–")})


@assessment("enterprise-types")
def enterprise_types(facts):
    shares = pick(facts("china_offshore_outsourcing_breakdowns"), breakdown="enterprise_type",
                  measure="share_of_offshore_executed_value")
    outcomes = [outcome(r, f"{r['category']}, share of offshore executed value ({r['basis']})")
                for _, r in shares.sort_values(["period", "category"]).iterrows()]
    report = one(facts("china_outsourcing_other_indicators"),
                 indicator="foreign_invested_enterprises_offshore_executed_value", measure="share_of_offshore",
                 provenance="report")
    caveats, words = [], []
    # whether each year's categories add up to the whole
    for year, rows in shares.groupby("period"):
        if len(rows) > 1:
            total = st.rows(rows)
            w = st.compare(total, st.Operand("100", 100.0), words=("more than", "less than", "exactly"), tol=0.05)
            words += [w, total]
            caveats.append(f"In {year} the categories add up to {w} 100% ({number(round(total.value, 1))}%).")
    if report is not None:
        outcomes.insert(0, outcome(report, "foreign-invested enterprises, share of offshore executed value"))
        against = {"C112": "its own offshore total", "C124": "MOFCOM's release for 2020"}
        verdicts = facts.ledger_verdicts(*against)
        if verdicts:
            caveats.append(f"The report's own share for 2020, {share(report['value'])}, is "
                           + " and ".join(f"{v} with {against[c]} (claims ledger, row {c})" for c, v in verdicts.items())
                           + ".")
    return dict(measurable=False, outcomes=outcomes, caveats=caveats, statements=words)


@assessment("high-tech-fdi")
def high_tech_fdi(facts):
    indicators = facts("china_outsourcing_other_indicators")
    target = one(indicators, indicator="high_tech_fdi_share", period="2025", value_status="forecast")
    base = one(indicators, indicator="high_tech_fdi_share", period="2020")
    later = by_year(pick(indicators, indicator="high_tech_fdi_share"), after=2020)
    got = dict(outcomes=[outcome(r, "high-tech industries' share of foreign investment") for r in later.values()],
               slots={"base": share(base["value"]), "target": share(target["value"], 0)},
               target_value=float(target["value"]), target_unit="% of total", target_period="2025")
    if not later:
        return dict(got, found=False, finding="No figure after 2020 is in the edition's data.")
    last = later[max(later)]
    reached = st.compare(value_of(last), value_of(target), words=("above", "below", "at"))
    missing = [] if "2025" in later else ["2025"]
    return dict(got, missing=missing, passes=reached != "below", statements=[reached],
                finding=f"The {last['period']} share, {share(last['value'])}, is {reached} the target."
                        + (" The 2025 share was not found." if missing else ""))
