"""The claims ledger (data/claims.csv, sobook/ledger/, chapters/ledger.ipynb).

* the formula evaluator and the interval arithmetic, on hand-worked cases;
* each verdict rule, on hand-worked cases from the report: an altered input
  that flips a verdict, rounded inputs that make a naive exact check fail
  while the statement holds within rounding, ranges that only touch (a
  difference in the last digit);
* each kind's rule, new kinds included (at most, at least, ranks first, the
  count of a list, a whole number of things, a figure restated);
* the claims file: valid, every claim quoting its block, its stated value in
  the block's Chinese after the house unit conversions, its precision as
  printed, its formula over existing rows;
* coverage: more than 50 checked report claims, and every rate or share the
  report states (a report row of the data package) is a claim or an input of one;
* the relations an independent count found missing are in, and the coverage
  the front page prints is counted from the rows;
* the summary keeps the report's arithmetic apart from comparisons with other
  sources, and writes no count it has not counted;
* every check that does not hold gets a translator's note at its paragraph,
  built from its row when the page is built, on any data (a changed copy of
  data/ makes C095 fail and its note appears); in the built book the link lands
  on the row.

Hand calculations are in the comments (a calculator, not this code).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from sobook import data, ledger
from sobook.ledger import Interval, LedgerError, Row, judge

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ["achievements", "trends", "opportunities", "challenges", "outlook"]
BLOCKS = {b["id"]: b for b in json.loads((ROOT / "data" / "source" / "original.json").read_text(encoding="utf-8"))["blocks"]}
MARKER = re.compile(r"\[\^fn\d+\]")


@pytest.fixture(scope="module")
def book():
    return ledger.compute()


@pytest.fixture(scope="module")
def rows():
    return ledger.package_rows()


def row(row_id, value, quote, unit="US$ billion", provenance="report", formula="", qualifier=""):
    """A package row for the hand-worked cases; its precision read from the quote."""
    return Row(row_id, value, unit, qualifier, provenance, formula, quote, ledger.precision(value, unit, quote))


def claim(value, unit, quote, formula, qualifier="", claim_id="T001"):
    return {"claim_id": claim_id, "value": value, "unit": unit, "qualifier": qualifier,
            "source_quote": quote, "check_formula": formula, "source_note": ""}


# ==========================================================================
# the evaluator


def test_interval_arithmetic_hand_worked():
    box = {"a": Interval(1.95, 2.05), "b": Interval(2.95, 3.05)}
    assert ledger.interval_eval("a + b", box) == Interval(4.9, 5.1)
    r = ledger.interval_eval("a - b", box)  # 1.95 - 3.05 = -1.1 ; 2.05 - 2.95 = -0.9
    assert r.lo == pytest.approx(-1.1) and r.hi == pytest.approx(-0.9)
    r = ledger.interval_eval("100 * a / b", box)  # 195/3.05 = 63.934 ; 205/2.95 = 69.492
    assert r.lo == pytest.approx(63.9344, abs=1e-4) and r.hi == pytest.approx(69.4915, abs=1e-4)
    r = ledger.interval_eval("-a", box)
    assert (r.lo, r.hi) == (-2.05, -1.95)
    # (b / a) ** (1 / 5): 2.95/2.05 = 1.43902, ln = 0.36397, /5 -> e^0.072793 = 1.07551;
    # 3.05/1.95 = 1.56410, ln = 0.44731, /5 -> e^0.089462 = 1.09359
    r = ledger.interval_eval("(b / a) ** (1 / 5)", box)
    assert r.lo == pytest.approx(1.07551, abs=1e-5) and r.hi == pytest.approx(1.09359, abs=1e-5)


def test_interval_encloses_every_point():
    """Interval arithmetic may be wider than the true range, never narrower:
    with an input used twice, every corner still lies inside."""
    box = {"x": Interval(59.75, 59.85), "g": Interval(7.55, 7.65)}
    f = "x / (x / (1 + g / 100))"
    r = ledger.interval_eval(f, box)
    for x in (59.75, 59.85):
        for g in (7.55, 7.65):
            assert r.lo <= ledger.point_eval(f, {"x": x, "g": g}) <= r.hi


@pytest.mark.parametrize("formula", [
    "__import__('os').system('true')", "a.real", "open('x')", "[a][0]", "a if a else 1",
    "(lambda: 1)()", "a < 1", "eval('1')", "{a: 1}",
])
def test_evaluator_refuses_anything_but_arithmetic(formula):
    box = {"a": Interval(1.0, 1.0)}
    with pytest.raises((LedgerError, ValueError, KeyError, SyntaxError)):
        ledger.interval_eval(formula, box)
    with pytest.raises((LedgerError, ValueError, KeyError, SyntaxError)):
        ledger.point_eval(formula, {"a": 1.0})


def test_evaluator_names_a_missing_row():
    with pytest.raises(LedgerError, match="no row with row_id 'zz'"):
        ledger.interval_eval("zz * 2", {})
    rows = {"a": row("a", 1.0, "1亿美元")}
    with pytest.raises(LedgerError, match="'zz'"):
        ledger.check(claim(0.1, "US$ billion", "1亿美元", "a + zz"), rows)


def test_division_by_an_interval_through_zero_is_refused():
    with pytest.raises(LedgerError, match="zero"):
        ledger.interval_eval("1 / a", {"a": Interval(-0.05, 0.05)})


def test_derived_inputs_are_replaced_by_their_formulas():
    rows = {
        "t": row("t", 175.35, "执行额1753.5亿美元"),
        "o": row("o", 105.77, "离岸执行额1057.7亿美元"),
        "on": Row("on", 69.58, "US$ billion", "", "derived", "t - o", "", None),
        "on2": Row("on2", 139.16, "US$ billion", "", "derived", "2 * on", "", None),
    }
    tree = ledger.expand("on2 / t", rows)
    assert ledger.inputs(tree) == ["t", "o"] or set(ledger.inputs(tree)) == {"t", "o"}
    assert ledger.point_eval(tree, {"t": 175.35, "o": 105.77}) == pytest.approx(2 * 69.58 / 175.35)
    rows["loop"] = Row("loop", 1, "US$ billion", "", "derived", "loop + 1", "", None)
    with pytest.raises(LedgerError, match="circle"):
        ledger.expand("loop", rows)


# ==========================================================================
# the precision of a printed number


@pytest.mark.parametrize("printed, factor, step", [
    ("7110.6", Decimal("0.1"), Decimal("0.01")),   # 7110.6亿美元 in US$ billion
    ("1.2", Decimal(100), Decimal(10)),            # 1.2亿美元 in US$ million
    ("2 357.0", Decimal("0.1"), Decimal("0.01")),
    ("900", Decimal("0.1"), Decimal(10)),          # 900亿美元: may be rounded to hundreds
    ("2", Decimal(1000), Decimal(1000)),           # 2万亿美元
    ("10.0", Decimal(1), Decimal("0.1")),          # a printed zero after the point counts
    ("60574", Decimal(1), Decimal(1)),
])
def test_generous_step(printed, factor, step):
    assert ledger.generous_step(printed, factor) == step


def test_precision_read_from_the_quote():
    p = ledger.precision(120, "US$ million", "全部执行额100强企业入围门槛由1.2亿美元提高至2.0亿美元")
    assert (p.printed, p.step, p.decimals) == ("1.2", Decimal(10), -1)
    p = ledger.precision(49.30, "US$ billion", "ITO执行额由2015年的493.0亿美元增长至800.6亿美元")
    assert (p.printed, p.decimals) == ("493.0", 2)
    p = ledger.precision(36.9, "% of total", "结构比例将由2020年43.8:19.4:36.9调整为45.0:15.0:40.0")
    assert p.decimals == 1
    assert ledger.precision(12.3, "% of total", "占比12.4%") is None


# ==========================================================================
# the verdict rules, hand-worked


def test_consistent_exact_recomputation_rounds_to_the_stated_value():
    # ITO 2015 -> 2020: (800.6 / 493.0) ** (1/5) = 1.62394 ** 0.2 = 1.10183, i.e. 10.18%: prints as 10.2%
    rows = {"a": row("a", 49.30, "由2015年的493.0亿美元"), "b": row("b", 80.06, "增长至800.6亿美元")}
    res = ledger.check(claim(10.2, "% per year", "年均增长10.2%", "100 * ((b / a) ** (1 / 5) - 1)"), rows)
    assert res.recomputed == pytest.approx(10.1828, abs=1e-4)
    assert res.verdict == "consistent"


def test_rounded_inputs_make_a_naive_check_fail_but_the_statement_holds():
    # The report: cumulative 7110.6 = offshore 4414.1 + onshore 2696.6 (亿美元).
    # Naively 4414.1 + 2696.6 = 7110.7, not 7110.6: an exact check fails.
    # Within rounding: 4414.05..4414.15 + 2696.55..2696.65 = 7110.6..7110.8,
    # which meets 7110.55..7110.65 (the stated figure's rounding): it holds.
    rows = {"off": row("off", 441.41, "累计4414.1亿美元"), "on": row("on", 269.66, "累计2696.6亿美元")}
    c = claim(711.06, "US$ billion", "累计7110.6亿美元", "off + on")
    res = ledger.check(c, rows)
    assert res.recomputed == pytest.approx(711.07)
    assert not data.matches_printed(res.recomputed, "711.06")  # the naive check
    assert res.range.lo == pytest.approx(711.06) and res.range.hi == pytest.approx(711.08)
    assert res.verdict == "consistent within rounding"


def test_multiple_rounded_to_a_tenth_holds_within_rounding():
    # 增长3.6倍 = 4.6 times the base: 4.6 ** 0.2 = 1.35695 -> 35.7%, the report says 36.0%.
    # 3.55..3.65 gives 4.55 ** 0.2 = 1.35399 .. 4.65 ** 0.2 = 1.35989, i.e. 35.40%..35.99%,
    # which reaches 35.95% (the lowest value that prints as 36.0%).
    rows = {"m": row("m", 3.6, "比2015年增长3.6倍", unit="times (increase by)")}
    res = ledger.check(claim(36.0, "% per year", "年均增长36.0%", "100 * ((1 + m) ** (1 / 5) - 1)"), rows)
    assert res.recomputed == pytest.approx(35.691, abs=1e-3)
    assert res.range.hi == pytest.approx(35.985, abs=1e-3)
    assert res.verdict == "consistent within rounding"


def test_inconsistent_survives_the_most_generous_reading():
    # East 42,415 of 60,574 enterprises = 70.02%, the report says 70.5%.
    # Counts are exact (+-0.5): 42414.5/60574.5 = 70.020% .. 42415.5/60573.5 = 70.023%,
    # far from 70.45%..70.55%.
    rows = {"e": row("e", 42415, "东部地区企业数量42415家", unit="enterprises"),
            "t": row("t", 60574, "企业数量达60574家", unit="enterprises")}
    res = ledger.check(claim(70.5, "% of total", "占全国企业数量的70.5%", "100 * e / t"), rows)
    assert res.recomputed == pytest.approx(70.0218, abs=1e-4)
    assert res.verdict == "inconsistent"


def test_an_altered_input_flips_the_verdict():
    # KPO 2020: 598.9 / 1753.5 = 34.1545%; even 598.85 / 1753.55 = 34.1507% > 34.15%,
    # so 34.1% is inconsistent. Had the report printed 597.9 (亿美元), 597.9 / 1753.5 =
    # 34.0975% would print as 34.1%: consistent.
    quote_total = "全年承接服务外包执行额1753.5亿美元"
    stated = claim(34.1, "% of total", "占比由32.1%升至34.1%", "100 * k / t")
    as_printed = {"k": row("k", 59.89, "KPO执行额增长至598.9亿美元"), "t": row("t", 175.35, quote_total)}
    res = ledger.check(stated, as_printed)
    assert res.range.lo == pytest.approx(34.1507, abs=1e-4)
    assert res.verdict == "differs in the last digit"  # 34.155% prints as 34.2%: one unit of the last digit
    altered = {"k": row("k", 59.79, "KPO执行额增长至597.9亿美元"), "t": row("t", 175.35, quote_total)}
    assert ledger.check(stated, altered).verdict == "consistent"
    # and the other way: the ITO share 800.6 / 1753.5 = 45.66% prints as 45.7% ...
    ito = claim(45.7, "% of total", "比重由51.0%降至45.7%", "100 * i / t")
    assert ledger.check(ito, {"i": row("i", 80.06, "增长至800.6亿美元"), "t": row("t", 175.35, quote_total)}).verdict == "consistent"
    # ... but 810.6 / 1753.5 = 46.23% could not
    assert ledger.check(ito, {"i": row("i", 81.06, "增长至810.6亿美元"), "t": row("t", 175.35, quote_total)}).verdict == "inconsistent"


def test_boundary_case_is_within_rounding_not_consistent():
    # offshore 646.4 -> 1057.7: (1057.7 / 646.4) ** 0.2 - 1 = 10.34997%, which prints as 10.3%, not 10.4%;
    # but 646.35 -> 1057.75 gives 10.3527%, above 10.35%: within rounding.
    rows = {"a": row("a", 64.64, "执行金额646.4 亿美元"), "b": row("b", 105.77, "离岸执行额1057.7亿美元")}
    res = ledger.check(claim(10.4, "% per year", "年均增长10.4%", "100 * ((b / a) ** (1 / 5) - 1)"), rows)
    assert res.recomputed == pytest.approx(10.34997, abs=1e-5)
    assert res.verdict == "consistent within rounding"


def test_more_than():
    # 年增超过5000家: the average (4996 + 4173 + 5533 + 5619 + 6026) / 5 = 5269.4 > 5000
    assert judge(5000, "more than", 1, 1000, 5269.4, Interval(5268.9, 5269.9))[0] == "consistent"
    # 2017 alone, 4173, is not more than 5000, whatever its rounding
    assert judge(5000, "more than", 1, 1000, 4173, Interval(4172.5, 4173.5))[0] == "inconsistent"
    # exactly on the line only within rounding
    assert judge(7, "more than", 1, 1, 6.8, Interval(6.5, 7.2))[0] == "consistent within rounding"


def test_about_a_round_number():
    # "约900亿美元" in 2025 at "8%左右" from 598亿: 59.8 * 1.08 ** 5 = 87.87: not 90 at the printed
    # precision, but 900 may be rounded to hundreds (850..950): within rounding.
    rows = {"v": row("v", 59.8, "合同额为598亿美元"),
            "g": row("g", 8, "年均增速将达到8%左右", unit="% per year", qualifier="about")}
    res = ledger.check(claim(90, "US$ billion", "合同额约900亿美元", "v * (1 + g / 100) ** 5", qualifier="about"), rows)
    assert res.recomputed == pytest.approx(87.865, abs=1e-3)
    assert res.stated_range == Interval(85, 95)
    assert res.verdict == "consistent within rounding"


def test_no_formula_is_not_checkable():
    res = ledger.check({**claim(37.7, "% of total", "比重达37.7%", ""), "source_note": "exports not given"}, {})
    assert (res.verdict, res.why) == ("not checkable", "exports not given")


def test_an_input_that_is_only_a_bound_stands_for_everything_above_it():
    # C132: the 2020 share of offshore outsourcing in services exports from the 2021 releases in RMB.
    # Offshore 2021 8600亿元 (+17.8%): 860.0 / 1.178 = 730.051; services exports "more than 2.54 trillion"
    # (+31.4%): at 2.54, 2540 / 1.314 = 1933.029; 730.051 / 1933.029 = 37.7672%, which prints as 37.8%.
    # 8600 may be rounded to hundreds (8550..8650), so the share is at most (865 / 1.1775) / (2540 / 1.3145)
    # = 734.607 / 1932.293 = 38.0173%, and exports without an upper end let it fall to 0: the 37.7% stated
    # lies within, so within rounding.
    rows = {"o": row("o", 860.0, "执行额8600亿元", unit="RMB billion"),
            "og": row("og", 17.8, "同比分别增长16.0%和17.8%", unit="% change"),
            "x": row("x", 2.54, "more than 2.54 trillion yuan", unit="RMB trillion", qualifier="more than"),
            "xg": row("xg", 31.4, "up 31.4 percent", unit="% change")}
    f = "100 * (o / (1 + og / 100)) / (1000 * x / (1 + xg / 100))"
    res = ledger.check(claim(37.7, "% of total", "离岸服务外包占服务出口的比重达37.7%", f), rows)
    assert res.recomputed == pytest.approx(37.7672, abs=1e-4)
    assert res.range.lo == 0 and res.range.hi == pytest.approx(38.0173, abs=1e-4)
    assert res.verdict == "consistent within rounding"
    assert ledger.input_interval(rows["x"]) == Interval(2.54, float("inf"))


# ==========================================================================
# the claims file


def claims_rows():
    return ledger.claims().to_dict("records")


def test_claims_file_validates():
    df = data.load("claims")  # raises DataError on any breach of the descriptor
    assert df["claim_id"].is_unique and len(df) > 50
    assert "claims" in data.resource_names()
    frictionless = pytest.importorskip("frictionless")
    package = frictionless.Package(ROOT / "data" / "datapackage.json")
    report = frictionless.validate(package.get_resource("claims"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


@pytest.mark.parametrize("c", claims_rows(), ids=lambda c: c["claim_id"])
def test_claim_quotes_its_block_and_states_its_value(c, rows):
    block = BLOCKS.get(c["source_block_id"])
    assert block is not None, f"no block {c['source_block_id']!r}"
    text = MARKER.sub("", block["text"])
    assert c["source_quote"] in text, "quote not verbatim in the block"
    # the stated value is in the block's Chinese after the house conversions
    assert data.value_in_quote(c["value"], c["unit"], ledger.readable(c["source_quote"]))
    assert data.value_in_quote(c["value"], c["unit"], ledger.readable(text))
    # its precision as printed
    p = ledger.precision(c["value"], c["unit"], c["source_quote"])
    assert p is not None and p.decimals == c["printed_decimals"], (p, c["printed_decimals"])
    assert c["row_id"] == f"claim_{c['claim_id'].lower()}"
    assert c["provenance"] == "report" and not c["formula"] and not c["source_url"]
    if c["check_formula"]:
        names = ledger.inputs(ledger.expand(c["check_formula"], {}))
        assert names or c["kind"] == "list_count", "a check with no input"
        for n in names:
            assert n in rows, f"{n!r} is not a row of the data package"
    else:
        assert c["source_note"].startswith("Not checkable"), "say why it cannot be checked"
    if c["section"] == "comparison":
        assert c["kind"] == "comparison"
        if c["check_formula"]:
            assert any(rows[n].provenance != "report" for n in ledger.inputs(ledger.expand(c["check_formula"], rows)))


def test_every_input_has_a_known_precision(book, rows):
    for c in claims_rows():
        if c["check_formula"]:
            for n in ledger.inputs(ledger.expand(c["check_formula"], rows)):
                assert rows[n].precision is not None, (c["claim_id"], n)


def test_claims_are_in_reading_order():
    order = list(BLOCKS)
    report = [c for c in claims_rows() if c["section"] == "report"]
    pos = [order.index(c["source_block_id"]) for c in report]
    assert pos == sorted(pos)
    # ids are stable (links to claim-c112 keep working): unique, never reused, and
    # every number up to the highest is taken, a later claim taking the next free one
    ids = [c["claim_id"] for c in claims_rows()]
    assert len(set(ids)) == len(ids)
    assert sorted(ids) == [f"C{i:03d}" for i in range(1, len(ids) + 1)]
    comparison = [i for i, c in enumerate(claims_rows()) if c["section"] == "comparison"]
    assert comparison == list(range(len(report), len(ids))), "the comparison section follows the report's"


# ==========================================================================
# coverage and results


def test_ledger_covers_more_than_50_report_claims(book):
    s = ledger.summary(book)
    assert s["report"]["checked"] > 50
    assert s["report"]["hold"] + s["report"]["fail"] == s["report"]["checked"]
    assert s["comparison"]["checked"] >= 5
    assert set(book["verdict"]) <= set(ledger.VERDICTS)


RATES = ("% of total", "% change", "% per year", "percentage points", "times (increase by)")


def test_every_rate_and_share_the_report_states_is_in_the_ledger(rows):
    """Every report row of the data package that is a rate or a share is a
    claim's stated value (same paragraph and value) or an input of a check."""
    claims = claims_rows()
    stated = {(c["source_block_id"], round(c["value"], 6), c["unit"]) for c in claims}
    used = set()
    for c in claims:
        if c["check_formula"]:
            used |= set(ledger.inputs(ledger.expand(c["check_formula"], rows)))
    missing = []
    for name, df in data.load_all().items():
        if name == "claims":
            continue
        for r in df.to_dict("records"):
            if r["provenance"] == "report" and r["unit"] in RATES:
                if (r["source_block_id"], round(r["value"], 6), r["unit"]) not in stated and r["row_id"] not in used:
                    missing.append(f"{r['row_id']} ({r['source_block_id']}: {r['value']:g} {r['unit']})")
    assert not missing, "rates and shares of the report in no claim: " + "; ".join(missing)


def test_the_known_results(book):
    """The verdicts this edition reports (hand-checked; see the comments above)."""
    v = book.set_index("claim_id")["verdict"]
    bad = sorted(v[v.isin(ledger.FAILS)].index)
    by_value = {(r["source_block_id"], r["value"]): r["verdict"] for r in book.to_dict("records")
                if r["verdict"] in ledger.FAILS}
    last, wrong = "differs in the last digit", "inconsistent"
    assert by_value[("s1.2-p1", 34.1)] == last    # KPO share 2020: 598.9 / 1753.5 = 34.15%, printed 34.2%
    assert by_value[("s1.3-p1", 70.5)] == wrong   # east: 42415 / 60574 = 70.02%
    assert by_value[("s1.3-p1", 5000)] == wrong   # more than 5,000 a year: 2017 had 4,173
    assert by_value[("s1.3-p1", 76.7)] == wrong   # stock and flow: 60574 / (60574 - 26347) = 1.7698, i.e. +77.0%
    assert by_value[("s1.4-p1", 8.4)] == last     # graduates: 340.5 / 4088 = 8.33%, printed 8.3%
    assert by_value[("s2.2.5-p1", 24.7)] == wrong  # foreign-invested: 206.6 / 1057.7 = 19.53%; MOFCOM: 43.7%
    assert by_value[("s2.1.2-p3", 59.8)] == wrong  # ISG revised: 84.2 / 1.29 = 65.3
    assert by_value[("s2.1.1-p2", 27.8)] == wrong  # next edition: 28.0 - 1.2 = 26.8
    # the report's 1057.7 against MOFCOM's 1057.8: 1057.65..1057.75 and 1057.75..1057.85 only touch
    assert by_value[("s1.1-p1", 105.77)] == last
    # employees and certifications follow the stock-and-flow rule: 1290.9 / (1290.9 - 545.9) = 1.73275
    # (+73.3%), 17879 / (17879 - 8989) = 2.01114 (+101.1%)
    assert v["C051"] == "consistent" and v["C073"] == "consistent"
    assert v["C123"] == "consistent"          # 1057.7亿美元 > 1000亿美元
    assert bad == ["C026", "C037", "C039", "C040", "C041", "C050", "C112", "C116", "C121", "C122", "C124", "C126"]


# ==========================================================================
# one rule per kind: each kind's rule on the report's own figures, and a
# changed input that flips its verdict (hand calculations in the comments)


def _counts(*values, unit="enterprises", quote_unit="家"):
    return {f"n{i}": row(f"n{i}", v, f"{v}{quote_unit}", unit=unit) for i, v in enumerate(values)}


def test_kind_sum():
    # 42415 + 9437 + 4804 + 3918 = 60574 exactly; with 4814 for the west, 60584 (a count is read as
    # +-0.5, so four counts can add up to 2 more or less: 60582..60586 misses 60573.5..60574.5)
    rows = _counts(42415, 9437, 4804, 3918)
    c = claim(60574, "enterprises", "企业数量达60574家", "n0 + n1 + n2 + n3")
    assert ledger.check(c, rows).verdict == "consistent"
    assert ledger.check(c, _counts(42415, 9437, 4814, 3918)).verdict == "inconsistent"


def test_kind_cagr():
    # ITO 493.0 -> 800.6: 1.62394 ** 0.2 = 1.10183 (10.2%); from 503.0: 1.59165 ** 0.2 = 1.09739 (9.7%)
    c = claim(10.2, "% per year", "年均增长10.2%", "100 * ((b / a) ** (1 / 5) - 1)")
    end = row("b", 80.06, "增长至800.6亿美元")
    assert ledger.check(c, {"a": row("a", 49.30, "由2015年的493.0亿美元"), "b": end}).verdict == "consistent"
    assert ledger.check(c, {"a": row("a", 50.30, "由2015年的503.0亿美元"), "b": end}).verdict == "inconsistent"


def test_kind_yoy():
    # 1753.5 / 1580.8 = 1.10925 (+10.9%); against 1590.8: 1.10228 (+10.2%)
    c = claim(10.9, "% change", "同比增长10.9%", "100 * (t / p - 1)")
    t = row("t", 175.35, "执行额1753.5亿美元")
    assert ledger.check(c, {"t": t, "p": row("p", 158.08, "执行金额1580.8亿美元")}).verdict == "consistent"
    assert ledger.check(c, {"t": t, "p": row("p", 159.08, "执行金额1590.8亿美元")}).verdict == "inconsistent"


def test_kind_multiple():
    # 增长3.6倍: 4.6 ** 0.2 = 1.35695 (35.7%, within the rounding of 3.6 of 36.0%); 增长3.4倍: 4.4 ** 0.2 =
    # 1.34488, and 3.45 gives 4.45 ** 0.2 = 1.34792: never 35.95%
    c = claim(36.0, "% per year", "年均增长36.0%", "100 * ((1 + m) ** (1 / 5) - 1)")
    assert ledger.check(c, {"m": row("m", 3.6, "增长3.6倍", unit="times (increase by)")}).verdict == "consistent within rounding"
    assert ledger.check(c, {"m": row("m", 3.4, "增长3.4倍", unit="times (increase by)")}).verdict == "inconsistent"


def test_kind_pp_gap():
    # CEE 26.8% - offshore 10.4% = 16.4 points; with 11.4%, 15.4 points
    c = claim(16.4, "percentage points", "高16.4个百分点", "a - b")
    a = row("a", 26.8, "年均增长26.8%", unit="% per year")
    assert ledger.check(c, {"a": a, "b": row("b", 10.4, "年均增长10.4%", unit="% per year")}).verdict == "consistent"
    assert ledger.check(c, {"a": a, "b": row("b", 11.4, "年均增长11.4%", unit="% per year")}).verdict == "inconsistent"


def test_kind_cumulative():
    # 1518 + 1303 + 1749 + 2365 + 2054 = 8989; with 2064 for 2020, 8999
    c = claim(8989, "certifications", "合计新增8989个", "n0 + n1 + n2 + n3 + n4")
    assert ledger.check(c, _counts(1518, 1303, 1749, 2365, 2054, unit="certifications", quote_unit="个")).verdict == "consistent"
    assert ledger.check(c, _counts(1518, 1303, 1749, 2365, 2064, unit="certifications", quote_unit="个")).verdict == "inconsistent"


def test_kind_stock_flow():
    # enterprises: 60574 / (60574 - 26347) = 60574 / 34227 = 1.76977, +77.0%, not 76.7%;
    # had 26,293 been added, 60574 / 34281 = 1.76699, +76.7%
    c = claim(76.7, "% change", "比2015年增长76.7%", "100 * (s / (s - f) - 1)")
    stock = row("s", 60574, "企业数量达60574家", unit="enterprises")
    assert ledger.check(c, {"s": stock, "f": row("f", 26347, "26347家", unit="enterprises")}).verdict == "inconsistent"
    assert ledger.check(c, {"s": stock, "f": row("f", 26293, "26293家", unit="enterprises")}).verdict == "consistent"


def test_kind_more_than_a_year_as_stated():
    # 年增超过5000家: min(4996, 4173, 5533, 5619, 6026) = 4173, not more than 5000, though the average
    # (5269.4) is; with 5096 and 5173 for 2016 and 2017 every year is
    c = claim(5000, "enterprises", "年增超过5000家", "min(n0, n1, n2, n3, n4)", qualifier="more than")
    res = ledger.check(c, _counts(4996, 4173, 5533, 5619, 6026))
    assert (res.recomputed, res.verdict) == (4173, "inconsistent")
    assert ledger.check(c, _counts(5096, 5173, 5533, 5619, 6026)).verdict == "consistent"
    avg = claim(5000, "enterprises", "年增超过5000家", "(n0 + n1 + n2 + n3 + n4) / 5", qualifier="more than")
    assert ledger.check(avg, _counts(4996, 4173, 5533, 5619, 6026)).verdict == "consistent"  # the other reading


def test_kind_average():
    # 800 enterprises over 31 cities = 25.8, 26 as printed; over 35 cities 22.9
    c = claim(26, "enterprises", "平均每个示范城市26家", "a / b")
    a = row("a", 800, "800家企业获得国际资质认证", unit="enterprises")
    assert ledger.check(c, {"a": a, "b": row("b", 31, "增加至31个", unit="cities")}).verdict == "consistent"
    assert ledger.check(c, {"a": a, "b": row("b", 35, "增加至35个", unit="cities")}).verdict == "inconsistent"


def test_kind_comparison():
    # the report's 24.7% against MOFCOM's 43.7%; had the release said 24.7%, they would agree
    c = claim(24.7, "% of total", "占中国承接离岸服务外包执行总额的24.7%", "r")
    assert ledger.check(c, {"r": row("r", 43.7, "占全國的43.7%", unit="% of total", provenance="release")}).verdict == "inconsistent"
    assert ledger.check(c, {"r": row("r", 24.7, "占全國的24.7%", unit="% of total", provenance="release")}).verdict == "consistent"


def test_every_kind_has_its_rule_and_a_test():
    tested = {"sum", "share", "cagr", "yoy", "multiple", "pp_gap", "cumulative", "stock_flow", "more_than",
              "average", "at_most", "at_least", "ranks_first", "list_count", "whole_number", "restated",
              "comparison", "implied_base"}  # share: test_an_altered_input_flips_the_verdict;
    assert set(ledger.KIND_RULES) == tested        # implied_base: test_no_formula_is_not_checkable
    assert all(rule.endswith(".") for rule in ledger.KIND_RULES.values())
    desc = next(r for r in data.descriptor()["resources"] if r["name"] == "claims")
    kind = next(f for f in desc["schema"]["fields"] if f["name"] == "kind")
    assert set(kind["constraints"]["enum"]) == tested


def test_one_rule_applied_everywhere(book):
    """Every growth of a stock since 2015 that the report pairs with the flows
    into it is checked as stock and flow (enterprises too, not only employees
    and certifications), and every 'more than N' of the report's own figures
    as stated."""
    kinds = book.set_index("claim_id")["kind"]
    assert {c for c in kinds.index if kinds[c] == "stock_flow"} == {"C039", "C051", "C052", "C073"}
    assert {c for c in kinds.index if kinds[c] == "more_than"} == {"C037", "C123"}
    for r in book[book["kind"].isin(["stock_flow", "more_than"])].to_dict("records"):
        assert r["verdict"] != "not checkable", r["claim_id"]


# ==========================================================================
# counting: each statement once


def test_the_summary_counts_each_statement_once(book):
    s = ledger.summary(book)
    report = book[book["section"] == "report"]
    # the eastern region's 70.5% fails two checks (C040 share, C041 sum): two rows, one statement
    east = report[report["claim_id"].isin(["C040", "C041"])]
    assert (east["verdict"] == "inconsistent").all() and east["statement"].nunique() == 1
    assert s["report"]["inconsistent"] == s["report"]["statements_inconsistent"] + 1
    # statements: the rows less the second (and third) checks of 711.06 (C001/C002/C129), 441.41
    # (C005/C130), 32.1% (C025/C027), 34.1% (C026/C028), 70.5% (C040/C041), more than 100 (C123/C131),
    # 10.6% (C056/C140/C141), 82.45 (C066/C144/C145), 43.80 (C067/C146) and 3.29 (C068/C147)
    assert s["report"]["statements"] == len(report) - 13
    # a statement with one failing and one passing check fails (34.1%: C026 fails, C028 holds)
    kpo = report[report["claim_id"].isin(["C026", "C028"])]
    last = "differs in the last digit"
    assert set(kpo["verdict"]) == {last, "consistent"} and set(kpo["statement_verdict"]) == {last}
    for section in ledger.SECTIONS:
        c = s[section]
        assert sum(c[f"statements_{v}"] for v in ledger.VERDICTS) == c["statements"]
        assert c["statements_hold"] + c["statements_fail"] == c["statements_checked"]


def test_a_second_check_adds_a_check_not_a_statement(book):
    twice = pd.concat([book, book[book["claim_id"] == "C112"].assign(claim_id="C999")], ignore_index=True)
    a, b = ledger.summary(book)["report"], ledger.summary(twice)["report"]
    assert b["inconsistent"] == a["inconsistent"] + 1 and b["claims"] == a["claims"] + 1
    assert b["statements_inconsistent"] == a["statements_inconsistent"] and b["statements"] == a["statements"]


def test_coverage_by_kind(book):
    """The checks by kind, counted by hand from data/claims.csv."""
    cov = ledger.by_kind(book).set_index("kind")
    checked = {"sum": 13, "share": 18, "cagr": 15, "yoy": 4, "multiple": 5, "pp_gap": 3, "cumulative": 1,
               "stock_flow": 4, "more_than": 2, "average": 1, "at_most": 9, "at_least": 16, "ranks_first": 1,
               "list_count": 2, "whole_number": 2, "restated": 1, "implied_base": 0, "comparison": 14}
    assert cov["checked"].to_dict() == checked
    assert cov["checks"].sum() == len(book)
    assert (cov[list(ledger.VERDICTS)].sum(axis=1) == cov["checks"]).all()


def test_the_lead_over_services_exports_is_checked_through_the_share_and_the_contribution(book):
    """C007: the report fixes China's services exports twice, by the 37.7%
    share of 2020 (C013) and the 66.4% contribution to growth since 2015
    (C011). By hand: 2020 = 105.77 / 0.377 = 280.56; 2015 = 280.56 -
    (105.77 - 64.64) / 0.664 = 218.62; their growth (280.56 / 218.62) ** 0.2
    - 1 = 5.12% a year; 10.4 - 5.12 = 5.28 points, against the stated 5.3."""
    row = book[book["claim_id"] == "C007"].iloc[0]
    se20 = 105.77 / 0.377
    se15 = se20 - (105.77 - 64.64) / 0.664
    by_hand = 10.4 - 100 * ((se20 / se15) ** 0.2 - 1)
    assert abs(by_hand - 5.28) < 0.01
    assert abs(row["recomputed"] - by_hand) < 0.01
    assert row["verdict"] == "consistent"
    for other in ("C011", "C013"):
        assert "C007 checks the three statements together" in book[book["claim_id"] == other].iloc[0]["source_note"]


def test_the_page_links_to_the_english_paragraph(book):
    md = ledger.table_markdown(book, "report")
    assert '<a href="achievements.html#s1.2-p1">s1.2-p1</a>' in md
    assert '<a href="opportunities.html#s2.2.5-p1">s2.2.5-p1</a>' in md
    assert "#zh-" not in md and "#zh-" not in ledger.failures_html(book, "report")
    pages = ledger.block_pages()
    assert pages["s2.1.2-p3"] == "trends" and pages["s2.4-p3"] == "outlook"


def test_failures_are_listed_once_per_statement(book):
    for section in ledger.SECTIONS:
        html = ledger.failures_html(book, section)
        assert html.count("<li>") == ledger.summary(book)[section]["statements_fail"]
    assert 'href="#claim-c040">C040</a>, <a href="#claim-c041">C041</a>' in ledger.failures_html(book, "report")


# ==========================================================================
# the verdicts in the data download


def test_verdicts_table_is_tidy_and_current(book):
    t = ledger.verdicts_table()
    res = ledger.verdicts_resource()
    assert list(t.columns) == [f["name"] for f in res["schema"]["fields"]]
    assert len(t) == len(book) and t["claim_id"].is_unique
    assert (t["claim_row_id"] == "claim_" + t["claim_id"].str.lower()).all()
    row = t.set_index("claim_id").loc["C040"]
    assert (row["verdict"], row["stated_value"], row["unit"]) == ("inconsistent", 70.5, "% of total")
    assert row["recomputed_value"] == pytest.approx(100 * 42415 / 60574)
    assert row["kind_rule"] == ledger.KIND_RULES["share"]
    for f in res["schema"]["fields"]:
        assert f["title"] and f["description"], f["name"]
        if f["type"] == "number":
            assert f["unit"] == "per row, in field 'unit'"
    assert res["licenses"] and res["sources"]


def test_verdicts_follow_the_data(tmp_path):
    """Computed from the data, not stored: change a figure, the verdict changes."""
    import shutil

    d = tmp_path / "data"
    shutil.copytree(ROOT / "data", d)
    path = d / "china_outsourcing_enterprises.csv"
    text = path.read_text(encoding="utf-8")
    # 5,096 and 5,173 new enterprises in 2016 and 2017 instead of 4,996 and 4,173 (and the derived total
    # 26,347 + 100 + 1,000 = 27,447): every year is then more than 5,000
    for old, new in (("en_new_2016,2016,national,new_enterprises,4996", "en_new_2016,2016,national,new_enterprises,5096"),
                     ("en_new_2017,2017,national,new_enterprises,4173", "en_new_2017,2017,national,new_enterprises,5173"),
                     ("national,new_enterprises,26347", "national,new_enterprises,27447"),
                     ("分别为4996家、4173家", "分别为5096家、5173家")):  # the quotes, whose printing gives the precision
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    mine, theirs = ledger.verdicts_table().set_index("claim_id"), ledger.verdicts_table(d).set_index("claim_id")
    assert (mine.loc["C037", "verdict"], theirs.loc["C037", "verdict"]) == ("inconsistent", "consistent")
    assert theirs.loc["C037", "recomputed_value"] == 5096
    # 60574 / (60574 - 27447) = 1.82848: +82.8%, further from 76.7%
    assert theirs.loc["C039", "recomputed_value"] == pytest.approx(100 * (60574 / 33127 - 1))


def test_verdicts_download_is_valid_frictionless(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    res = ledger.verdicts_resource()
    ledger.verdicts_table().to_csv(tmp_path / res["path"], index=False, lineterminator="\n")
    (tmp_path / "datapackage.json").write_text(json.dumps({
        "name": "verdicts", "resources": [{**res, "sources": [s for s in res["sources"] if s["path"].startswith("http")]}]}),
        encoding="utf-8")
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_summary_counts(book):
    s = ledger.summary(book)
    for section in ledger.SECTIONS:
        part = book[book["section"] == section]
        assert s[section]["claims"] == len(part)
        assert sum(s[section][v] for v in ledger.VERDICTS) == len(part)


def test_the_table_escapes_csv_text_and_labels_each_row(book):
    evil = book.head(2).copy()
    evil.loc[evil.index[0], "statement_en"] = '<script>alert("x")</script> & more'
    evil.loc[evil.index[0], "source_note"] = "<b>bold</b>"
    md = ledger.table_markdown(evil, evil.iloc[0]["section"])
    assert "<script>alert" not in md and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in md
    assert "<b>bold</b>" not in md
    # one MyST target per row, each alone between blank lines (so that MyST parses it,
    # while the HTML around it stays raw HTML blocks that contain no blank line)
    targets = re.findall(r"\n\n\(claim-c\d{3}\)=\nC\d{3}\n\n", md)
    assert len(targets) == 2
    for chunk in md.split("\n\n"):
        if not chunk.startswith("(claim-"):
            assert chunk.lstrip().startswith("<") or chunk.lstrip().startswith("</"), chunk[:40]


# ==========================================================================
# the translator's notes


FENCE = re.compile(r"```\{translator-note\}\n(.*?)\n```", re.S)
GLUE = re.compile(r"\{glue:text\}`claim-(C\d{3})-recomputed`")
LINK = re.compile(r"\]\(#claim-(c\d{3})\)")


def chapter_cells():
    """(chapter, [block ids of the cell], markdown source) for every cell."""
    out = []
    for name in CHAPTERS:
        nb = json.loads((ROOT / "chapters" / f"{name}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            src = "".join(cell["source"])
            ids = [i for m in re.finditer(r"```\{original\} ([^\n]+)", src) for i in m.group(1).split()]
            out.append((name, cell["cell_type"], ids, src))
    return out


def placeholder(block: str) -> str:
    return f"```{{glue:md}} ledger-note-{block}\n:format: myst\n```"


def test_every_paragraph_with_claims_places_its_ledger_note():
    """On any data a check can fail, so every paragraph that has claims carries
    the place for its note (glued by chapter.claims() from the ledger), in the
    cell of its {original} toggle, and that chapter calls chapter.claims()."""
    cells = chapter_cells()
    missing = []
    for block in dict.fromkeys(ledger.claims()["source_block_id"]):
        here = [(name, src) for name, t, ids, src in cells if t == "markdown" and block in ids]
        assert len(here) == 1, f"{block}: in {len(here)} chapter cells"
        name, src = here[0]
        toggle = next(m for m in re.finditer(r"```\{original\} ([^\n]+)", src) if block in m.group(1).split())
        if not 0 <= src.find(placeholder(block)) < toggle.start():
            missing.append(f"{name}: no ```{{glue:md}} ledger-note-{block}``` before the original of {block}")
        code = "\n".join(s for n, t, _, s in cells if n == name and t == "code")
        if "chapter.claims(" not in code:
            missing.append(f"{name}: does not call chapter.claims()")
    assert not missing, "\n".join(sorted(set(missing)))
    # no typed note on a ledger verdict is left beside them: the only notes citing ledger rows are the glued ones
    # and the chapter's own note on the 倍 multiples, which glues its numbers
    for name, t, _, src in cells:
        for note in FENCE.findall(src):
            for cid in LINK.findall(note):
                assert cid in ("c032", "c033", "c034", "c035", "c036"), (name, cid)


def test_notes_glue_only_what_their_chapter_glues_and_link_only_real_claims(book):
    known = set(book["claim_id"])
    for name in CHAPTERS:
        cells = [c for c in chapter_cells() if c[0] == name]
        code = "\n".join(src for _, t, _, src in cells if t == "code")
        glued = set(re.findall(r'"(C\d{3})"', "\n".join(re.findall(r"chapter\.claims\(([^)]*)\)", code))))
        used = {cid for _, t, _, src in cells if t == "markdown" for cid in GLUE.findall(src)}
        assert used <= glued, f"{name}: glued in the text but not by chapter.claims(): {sorted(used - glued)}"
        assert glued <= known, f"{name}: chapter.claims() names unknown claims {sorted(glued - known)}"
        links = {cid.upper() for _, t, _, src in cells if t == "markdown" for cid in LINK.findall(src)}
        assert links <= known, f"{name}: links to unknown claims {sorted(links - known)}"


def test_no_computed_number_typed_in_the_ledger_notes():
    """The notes that cite the ledger glue its numbers: no 'x / y = 70.0%'
    or 'is 8.33%' typed after 'is' or '='."""
    for name, t, _, src in chapter_cells():
        for note in FENCE.findall(src):
            if "#claim-c" not in note:
                continue
            typed = re.findall(r"(?:=|\bis)\s+\d[\d.,]*\s*%", note)
            assert not typed, f"{name}: typed result {typed} in a ledger note"


# ==========================================================================
# the page and the built book


def test_ledger_notebook_glues_the_current_counts(book):
    nb = json.loads((ROOT / "chapters" / "ledger.ipynb").read_text(encoding="utf-8"))
    glued = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook", {})
            if meta.get("name", "").startswith("ledger-"):
                text = out["data"][meta["mime_prefix"] + "text/plain"]
                glued[meta["name"]] = "".join(text) if isinstance(text, list) else text  # nbformat may split lines
    s = ledger.summary(book)
    assert glued, "chapters/ledger.ipynb has not been executed (run make book)"
    assert glued["ledger-report-checked"] == str(s["report"]["checked"])
    assert glued["ledger-report-inconsistent"] == str(s["report"]["inconsistent"])
    assert glued["ledger-comparison-claims"] == str(s["comparison"]["claims"])


def test_links_land_on_the_ledger_rows_in_the_built_book(book_html, book):
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.ids_in_rows, self.ids = [], set(), set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag not in ("br", "img", "input", "link", "meta", "hr", "source", "wbr"):
                self.stack.append(tag)
            if "id" in a:
                self.ids.add(a["id"])
                if "tr" in self.stack[:-1]:
                    self.ids_in_rows.add(a["id"])

        def handle_endtag(self, tag):
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass

    page = Rows()
    page.feed((book_html / "chapters" / "ledger.html").read_text(encoding="utf-8"))
    for cid in book["claim_id"]:
        assert ledger.anchor(cid) in page.ids_in_rows, f"no row with id {ledger.anchor(cid)}"
    found = 0
    for name in CHAPTERS:
        html = (book_html / "chapters" / f"{name}.html").read_text(encoding="utf-8")
        for target in re.findall(r'href="ledger\.html#(claim-c\d{3})"', html):
            assert target in page.ids_in_rows, f"{name}: link to #{target} lands on no row"
            found += 1
    assert found >= len(book[book["verdict"].isin(ledger.FAILS)])
    html = (book_html / "chapters" / "ledger.html").read_text(encoding="utf-8")
    for asset in ledger.ASSETS:
        assert f"../_static/{asset}" in html and (book_html / "_static" / asset).is_file()


# ==========================================================================
# ranges that only touch: a difference in the last digit (C116), one rule for every row


def test_touching_ranges_differ_in_the_last_digit():
    # The report's 1057.7亿美元 against MOFCOM's 1057.8亿美元 (C116): 1057.65..1057.75 and 1057.75..1057.85
    # meet only at 1057.75, which is printed 1057.8, never 1057.7: not reconciled by rounding, one unit apart.
    c = claim(105.77, "US$ billion", "离岸执行额1057.7亿美元", "r")
    release = {"r": row("r", 105.78, "離岸服務外包執行額1057.8億美元", provenance="release")}
    res = ledger.check(c, release)
    assert (res.range.lo, res.stated_range.hi) == (pytest.approx(105.775), pytest.approx(105.775))
    assert res.verdict == "differs in the last digit"
    assert ledger.check(c, {"r": row("r", 105.77, "1057.7億美元", provenance="release")}).verdict == "consistent"
    assert ledger.check(c, {"r": row("r", 105.79, "1057.9億美元", provenance="release")}).verdict == "inconsistent"


def test_the_verdict_ladder_on_numbers():
    # stated 10.0 printed to one decimal: 9.95..10.05
    assert judge(10.0, "", 0.1, 0.1, 10.04, Interval(10.01, 10.07))[0] == "consistent"
    assert judge(10.0, "", 0.1, 0.1, 10.06, Interval(10.03, 10.09))[0] == "consistent within rounding"
    # the recomputed range starts at 10.05, where the stated one ends: touching only; 10.07 prints as 10.1
    assert judge(10.0, "", 0.1, 0.1, 10.07, Interval(10.05, 10.09))[0] == "differs in the last digit"
    assert judge(10.0, "", 0.1, 0.1, 9.93, Interval(9.91, 9.95))[0] == "differs in the last digit"
    # 10.16 prints as 10.2: two units away
    assert judge(10.0, "", 0.1, 0.1, 10.16, Interval(10.15, 10.17))[0] == "inconsistent"
    assert list(ledger.VERDICTS) == list(ledger.VERDICT_RULES)
    assert set(ledger.FAILS) | set(ledger.HOLDS) | {"not checkable"} == set(ledger.VERDICTS)


# ==========================================================================
# the new kinds, each on the report's figures and with a changed input that flips it


def test_kind_at_most():
    # the demonstration cities' 1465.6亿美元 (2020) within the national 1753.5亿美元 (C150); against 1453.5
    # the cities would exceed the country
    c = {**claim(146.56, "US$ billion", "由999.3亿美元增长至1465.6亿美元", "t"), "kind": "at_most"}
    assert ledger.check(c, {"t": row("t", 175.35, "执行额1753.5亿美元")}).verdict == "consistent"
    assert ledger.check(c, {"t": row("t", 145.35, "执行额1453.5亿美元")}).verdict == "inconsistent"
    # within rounding: "900亿美元" may stand for 850..950, so it can keep to a bound of 880 (879.5..880.5)
    c = {**claim(90, "US$ billion", "约900亿美元", "t"), "kind": "at_most"}
    assert ledger.check(c, {"t": row("t", 88.0, "880亿美元")}).verdict == "consistent within rounding"


def test_kind_at_least():
    # Belt and Road 2015: 121.5 >= ASEAN 63.1 + CEE 3.3 = 66.4 (C142); with ASEAN at 123.1, 126.4 > 121.55
    c = {**claim(12.15, "US$ billion", "由121.5亿美元增长至197.7亿美元", "a + e"), "kind": "at_least"}
    cee = row("e", 0.33, "由3.3亿美元")
    assert ledger.check(c, {"a": row("a", 6.31, "由63.1亿美元"), "e": cee}).verdict == "consistent"
    assert ledger.check(c, {"a": row("a", 12.31, "由123.1亿美元"), "e": cee}).verdict == "inconsistent"


def test_kind_ranks_first():
    # ISO 9001's 5,723 new certifications against the largest other type, ISO/IEC 20000's 1,050 (C149);
    # had ISO/IEC 20000 added 5,800, ISO 9001 would not rank first
    f = "max(a, b, c, d)"
    c = {**claim(5723, "certifications", "新增认证5723个，占新增认证总数的63.7%，居各类认证首位", f), "kind": "ranks_first"}
    others = _counts(1050, 935, 706, 575, unit="certifications", quote_unit="个")
    rows = dict(zip("abcd", others.values()))
    assert ledger.check(c, rows).verdict == "consistent"
    rows["a"] = row("a", 5800, "5800个", unit="certifications")
    assert ledger.check(c, rows).verdict == "inconsistent"


def test_kind_list_count():
    # 巴西、日本、乌拉圭、俄罗斯、阿根廷、巴拿马、葡萄牙等7个国家: seven named (C139)
    quote = "与巴西、日本、乌拉圭、俄罗斯、阿根廷、巴拿马、葡萄牙等7个国家新签双边服务贸易合作协议"
    c = {**claim(7, "count", quote, "count('巴西、日本、乌拉圭、俄罗斯、阿根廷、巴拿马、葡萄牙')"), "kind": "list_count"}
    res = ledger.check(c, {})
    assert (res.recomputed, res.verdict) == (7, "consistent")
    six = {**c, "check_formula": "count('巴西、日本、乌拉圭、俄罗斯、阿根廷、巴拿马')"}
    assert ledger.check(six, {}).verdict in ledger.FAILS
    # note 5 lists thirteen certifications (counted by hand: CMM, CMMI, PCMM, ISO27001/BS7799, ISO20000,
    # ISO9001, SAS70, AAALAC, GLP, ITIL, COPC, SWIFT, BS25999); an item may contain 和, never 、
    assert len(ledger.list_items(re.sub(r"^十三项国家认证包括|。$", "", BLOCKS["fn5"]["text"]))) == 13
    assert ledger.list_items("个人文化和娱乐服务、保险服务") == ["个人文化和娱乐服务", "保险服务"]


def test_kind_whole_number():
    # 71.4% of 500 enterprises = 357 (C047); 71.5% would be 357.5, not a whole number: the nearest, 358
    # (or 357), gives 71.6% (71.4%), which is not 71.5% at its printed precision; counts have no rounding
    f = "100 * round(s * 500 / 100) / 500"
    c = {**claim(71.4, "% of total", "有71.4%的企业", f), "kind": "whole_number"}
    res = ledger.check(c, {"s": row("s", 71.4, "有71.4%的企业", unit="% of total")})
    assert (res.recomputed, res.verdict) == (pytest.approx(71.4), "consistent")
    c = {**claim(71.5, "% of total", "有71.5%的企业", f), "kind": "whole_number"}
    res = ledger.check(c, {"s": row("s", 71.5, "有71.5%的企业", unit="% of total")})
    assert res.verdict in ledger.FAILS and res.range.lo == res.range.hi


def test_kind_restated():
    # the 31 demonstration cities of s1.7-p1 against the 21 -> 31 of s1.7-p2 (C153)
    assert "restated" in ledger.KIND_RULES
    c = {**claim(31, "cities", "全国31个服务外包示范城市", "n"), "kind": "restated"}
    assert ledger.check(c, {"n": row("n", 31, "从21个增加至31个", unit="cities")}).verdict == "consistent"
    assert ledger.check(c, {"n": row("n", 32, "从21个增加至32个", unit="cities")}).verdict == "differs in the last digit"
    assert ledger.check(c, {"n": row("n", 21, "从21个", unit="cities")}).verdict == "inconsistent"


def test_readable_reads_a_count_in_words():
    assert "13项" in ledger.readable("中国服务外包企业获得的十三项国际认证")
    assert ledger.readable("“十三五”时期") == "“十三五”时期"  # not a count: no counter after it
    assert ledger.precision(13, "count", "十三项国际认证").decimals == 0


# ==========================================================================
# the relations an independent count found missing (issue 19), and coverage


# claim ids for each relation, with its hand-worked bound or value (from the report's Chinese and the releases)
MISSING = {
    # N1: 首次突破1000亿美元: no earlier year as high; 2019's 968.9亿美元 the highest (2015 646.4, 2016 704.1)
    "N1": {"C131": 96.89},
    # N3: (8600 / 1.178) / (25400 / 1.314) = 730.05 / 1933.03 = 37.767% against the report's 37.7%
    "N3": {"C132": 37.7672},
    # N5: 71.4% and 70.8% of 500 are 357 and 354
    "N5": {"C047": 71.4, "C048": 70.8},
    # N6: thresholds (US$ million): 1.2亿 >= max(3634万, 0.9亿, 0.7亿, 0.3亿, 0.5亿); 2.0亿 >= max(5745万, 1.5亿,
    # 1.1亿, 0.7亿, 0.8亿); 0.9亿 >= 2528万; 1.5亿 >= 4104万; 3634万 >= 2528万; 5745万 >= 4104万
    "N6": {"C133": 90, "C134": 150, "C135": 25.28, "C136": 41.04, "C137": 25.28, "C138": 41.04},
    # N7: 巴西、日本、乌拉圭、俄罗斯、阿根廷、巴拿马、葡萄牙: 7
    "N7": {"C139": 7},
    # N8: the four partners' 10.6% between the US's 8.3% and Hong Kong's 12.1%
    "N8": {"C140": 8.3, "C141": 12.1},
    # N9: Belt and Road at least ASEAN + CEE: 63.1 + 3.3 = 66.4; 103.6 + 10.7 = 114.3; 438.0 + 32.9 = 470.9 (亿美元)
    "N9": {"C142": 6.64, "C143": 11.43, "C144": 47.09},
    # N10: cumulative values between the bounds steady growth sets (亿美元): total 3 x 1064.6 + 1580.8 + 1753.5 =
    # 6528.1 and 1064.6 + 3 x 1580.8 + 1753.5 = 7560.5; offshore 2 x 704.1 + 886.46 + 968.9 + 1057.7 = 4321.26
    # and 704.1 + 2 x 886.46 + 968.9 + 1057.7 = 4503.62 (2018 = 968.9 / 1.093 = 886.46); Belt and Road
    # 4 x 121.5 + 197.7 = 683.7 and 5 x 197.7 = 988.5; ASEAN 356.0 and 518.0; CEE 23.9 and 53.5
    "N10": {"C002": 652.81, "C129": 756.05, "C005": 432.126, "C130": 450.362, "C066": 68.37, "C145": 98.85,
            "C067": 35.6, "C146": 51.8, "C068": 2.39, "C147": 5.35},
    # N11: note 5's list: 13
    "N11": {"C148": 13},
    # N12: 1465.6 <= 1753.5; 999.3 <= 1064.6 (亿美元); 3491 <= 6026 new enterprises
    "N12": {"C150": 175.35, "C151": 106.46, "C152": 6026},
    # N13: 31 cities in s1.7-p1, 21 -> 31 in s1.7-p2
    "N13": {"C153": 31},
}


def test_the_relations_found_missing_are_in(book):
    b = book.set_index("claim_id")
    for relation, claims_ in MISSING.items():
        for cid, value in claims_.items():
            r = b.loc[cid]
            assert r["check_formula"], (relation, cid)
            assert r["recomputed"] == pytest.approx(value, abs=1e-3), (relation, cid, r["recomputed"])
            assert r["verdict"] in ledger.HOLDS, (relation, cid, r["verdict"])
    # N15: ISG's 2020 quarters as first released are quoted nowhere in the reference lists: not checkable, and
    # the row says what is missing
    n15 = b.loc["C154"]
    assert (n15["section"], n15["verdict"]) == ("comparison", "not checkable")
    assert "quote" in n15["source_note"] and "quarters" in n15["source_note"]
    kinds = {b.loc[c, "kind"] for c in ("C131", "C133", "C140", "C141", "C150")}
    assert kinds == {"at_least", "at_most"}
    assert b.loc["C149", "kind"] == "ranks_first" and b.loc["C149", "verdict"] == "consistent"


def test_count_lists_are_the_reports_own_words():
    """A count('…') formula counts a list quoted verbatim from the claim's
    paragraph or from a note that paragraph cites."""
    found = 0
    for c in claims_rows():
        for text in re.findall(r"count\('([^']*)'\)", c["check_formula"]):
            found += 1
            block = BLOCKS[c["source_block_id"]]["text"]
            cited = [BLOCKS[f"fn{n}"]["text"] for n in re.findall(r"\[\^fn(\d+)\]", block)]
            assert any(text in MARKER.sub("", t) for t in [block, *cited]), c["claim_id"]
            assert c["kind"] == "list_count"
    assert found == 2


def test_coverage_is_counted_from_the_rows(book):
    """What the front page says the ledger covers is a count of its rows:
    checks with a formula, and statements counted once."""
    rows = claims_rows()
    cov = ledger.coverage(ledger_df=book)
    assert cov == ledger.coverage()
    assert cov["relations"] == sum(1 for c in rows if c["section"] == "report" and c["check_formula"])
    assert cov["comparisons"] == sum(1 for c in rows if c["section"] == "comparison" and c["check_formula"])
    assert cov["statements_checked"] + cov["statements_not_checkable"] == cov["statements"]
    keys = {ledger.statement_key(c) for c in rows if c["section"] == "report"}
    assert cov["statements"] == len(keys)
    assert cov["relations"] >= 74 + 12 - 1  # the count: 86, N15 among them (not checkable)


# ==========================================================================
# the summary: the report's arithmetic apart from other sources, every number counted


def test_the_summary_keeps_the_reports_arithmetic_apart_from_other_sources(book):
    text = ledger.failures_markdown(book)
    report, comparison = text.split("**Differences from later or outside sources")
    # the report's own errors: C026, C037, C039, C040/C041, C050, C112 (six statements); the comparisons:
    # C116, C121, C122, C124, C126
    assert "**The report's arithmetic: 6 statements do not hold**" in report
    assert re.findall(r'href="#claim-(c\d{3})"', report) == ["c026", "c037", "c039", "c040", "c041", "c050", "c112"]
    assert comparison.startswith(": 5 figures**")
    assert re.findall(r'href="#claim-(c\d{3})"', comparison) == ["c116", "c121", "c122", "c124", "c126"]
    # on data where everything holds, the words say so
    fine = book.assign(verdict="consistent", statement_verdict="consistent")
    assert "every statement that can be checked holds" in ledger.failures_markdown(fine)
    assert "every comparison agrees" in ledger.failures_markdown(fine)


def test_the_summary_writes_only_numbers_it_counted(book):
    counts = ledger.summary(book)
    counted = {str(v) for c in counts.values() for v in c.values()}
    # ten statements are checked more than once: 711.06, 441.41, 32.1%, 34.1%, 70.5%, more than 100, 10.6%,
    # 82.45, 43.80 and 3.29 (see test_the_summary_counts_each_statement_once)
    assert counts["report"]["statements_checked_twice"] == 10
    for text in (ledger.summary_markdown(book), ledger.failures_markdown(book).split("<ul")[0]):
        numbers = re.findall(r"\d+", re.sub(r'<[^>]*>', "", text))
        assert numbers and set(numbers) <= counted, set(numbers) - counted
    one = book[book["claim_id"].isin(["C001"])]
    assert "1 quantitative statement of the report" in ledger.summary_markdown(one)


def test_the_verdicts_are_defined_once_on_the_page():
    html = ledger.definitions_html()
    for verdict, rule in ledger.VERDICT_RULES.items():
        assert f">{verdict}</span>" in html and rule.replace("'", "&#x27;") in html


# ==========================================================================
# the translator's notes the ledger writes: from the row, on any data


def test_a_note_is_worded_from_its_row_alone(book):
    r = book.set_index("claim_id", drop=False).loc["C026"].to_dict()
    note = ledger.note_markdown(r)
    assert note.startswith("**34.1%**: claims ledger, row [C026](#claim-c026), *differs in the last digit*: ")
    assert "the report's own figures give 34.155%, which would be printed as 34.2%." in note  # 598.9 / 1753.5
    assert "not an error in the report's arithmetic" not in note
    r = book.set_index("claim_id", drop=False).loc["C124"].to_dict()
    note = ledger.note_markdown(r)
    assert "the figures of a published source (ye1p.com) give 43.7%" in note
    assert "not an error in the report's arithmetic" in note
    evil = {**r, "source_note": "<b>x</b> [y](z) *w*"}
    assert "\\<b\\>x\\</b\\> \\[y\\](z) \\*w\\*" in ledger.note_markdown(evil)


def test_every_failing_check_has_its_note_at_its_paragraph(book):
    notes = ledger.paragraph_notes(book)
    assert set(notes) == set(book["source_block_id"])
    failing = book[book["verdict"].isin(ledger.FAILS)]
    assert {b for b, n in notes.items() if n} == set(failing["source_block_id"])
    for r in failing.to_dict("records"):
        note = notes[r["source_block_id"]]
        assert note.startswith("```{translator-note}\n") and note.endswith("\n```\n")
        assert f"[{r['claim_id']}](#{ledger.anchor(r['claim_id'])})" in note
        assert ledger.recomputed_text(r) in note and f"*{r['verdict']}*" in note
    for r in book[~book["verdict"].isin(ledger.FAILS)].to_dict("records"):
        assert f"[{r['claim_id']}]" not in notes[r["source_block_id"]]


def test_a_check_that_fails_on_changed_data_gets_its_note(tmp_path, monkeypatch):
    """ISG's BPO growth of 2020 corrected from −23.5% to +5.0% (the issue's
    edit): the 2019 total rebuilt from the segments becomes 214 / 1.024 + 52 /
    1.05 + 332 / 1.19 = 208.98 + 49.52 + 278.99 = 537.50 (亿美元), and 598 /
    537.50 = +11.26%, not the report's +7.6%: C095 fails, and chapter.claims()
    glues its note for the paragraph s2.1.2-p3, whose place the trends chapter
    has."""
    import shutil

    from IPython.display import Markdown

    from sobook import chapter

    d = tmp_path / "data"
    shutil.copytree(ROOT / "data", d)
    path = d / "isg_large_contracts.csv"
    text = path.read_text(encoding="utf-8")
    for old, new in (("yoy_growth,-23.5,", "yoy_growth,5.0,"), ("下降23.5%", "增长5.0%"),
                     ("isg_bpo_2019,2019,BPO,acv,6.8,", "isg_bpo_2019,2019,BPO,acv,5.0,")):
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")

    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda name, value, display=True: glued.__setitem__(name, value))
    monkeypatch.setitem(chapter._state, "data_dir", None)
    chapter.setup(d)
    chapter.claims()
    note = glued["ledger-note-s2.1.2-p3"]
    assert isinstance(note, Markdown)
    assert "[C095](#claim-c095), *inconsistent*: the report's own figures give 11.256%" in note.data
    assert "**+7.6%**" in note.data or "**7.6%**" in note.data
    # on today's data C095 holds and has no note
    today = ledger.paragraph_notes(ledger.compute())
    assert "C095" not in today["s2.1.2-p3"]
    trends = json.loads((ROOT / "chapters" / "trends.ipynb").read_text(encoding="utf-8"))
    assert placeholder("s2.1.2-p3") in "".join("".join(c["source"]) for c in trends["cells"])


def test_no_typed_number_in_the_claims_notes():
    """A claim's note says how it is checked, not what the figures are: the
    figures are in the row's inputs and may change. Allowed: claim ids, years,
    dates, note and section numbers, web addresses, the names of rankings (top
    500, the 100th) and 100 (the whole)."""
    allowed = re.compile(r"\bC\d{3}\b|\b(?:19|20)\d\d\b|\b\d{1,2} (?:January|December)\b|\b(?:note|section) \d+\b|"
                         r"\b100\b%?|\btop \d+\b|\b\d+th\b|[\w.-]+\.(?:com|cn|org)\b")
    for c in claims_rows():
        rest = allowed.sub("", c["source_note"])
        assert not re.search(r"\d", rest), (c["claim_id"], c["source_note"])
