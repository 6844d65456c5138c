"""The claims ledger (data/claims.csv, sobook/ledger/, chapters/ledger.ipynb).

* the formula evaluator and the interval arithmetic, on hand-worked cases;
* each verdict rule, on hand-worked cases from the report: an altered input
  that flips a verdict, and rounded inputs that make a naive exact check fail
  while the statement holds within rounding;
* the claims file: valid, every claim quoting its block, its stated value in
  the block's Chinese after the house unit conversions, its precision as
  printed, its formula over existing rows;
* coverage: more than 50 checked report claims, and every rate or share the
  report states (a report row of the data package) is a claim or an input of one;
* every inconsistency has a translator's note at its place in the chapters,
  linking to its ledger row with the recomputed number glued, not typed; in the
  built book the link lands on the row.

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
    assert res.verdict == "inconsistent"
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


def test_an_input_that_is_only_a_bound_is_refused():
    rows = {"g": row("g", 7, "年均增速将超过7%", unit="% per year", qualifier="more than")}
    with pytest.raises(LedgerError, match="lower bound"):
        ledger.check(claim(2000, "US$ billion", "有望达到2万亿美元", "1387.57 * (1 + g / 100) ** 5"), rows)


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
    assert data.value_in_quote(c["value"], c["unit"], c["source_quote"])
    assert data.value_in_quote(c["value"], c["unit"], text)
    # its precision as printed
    p = ledger.precision(c["value"], c["unit"], c["source_quote"])
    assert p is not None and p.decimals == c["printed_decimals"], (p, c["printed_decimals"])
    assert c["row_id"] == f"claim_{c['claim_id'].lower()}"
    assert c["provenance"] == "report" and not c["formula"] and not c["source_url"]
    if c["check_formula"]:
        names = ledger.inputs(ledger.expand(c["check_formula"], {}))
        assert names, "a check with no input"
        for n in names:
            assert n in rows, f"{n!r} is not a row of the data package"
    else:
        assert c["source_note"].startswith("Not checkable"), "say why it cannot be checked"
    if c["section"] == "comparison":
        assert c["kind"] == "comparison"
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
    assert s["report"]["hold"] + s["report"]["inconsistent"] == s["report"]["checked"]
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
    bad = sorted(v[v == "inconsistent"].index)
    by_value = {(r["source_block_id"], r["value"]) for r in book.to_dict("records") if r["verdict"] == "inconsistent"}
    assert ("s1.2-p1", 34.1) in by_value      # KPO share 2020: 598.9 / 1753.5 = 34.15%
    assert ("s1.3-p1", 70.5) in by_value      # east: 42415 / 60574 = 70.02%
    assert ("s1.3-p1", 5000) in by_value      # more than 5,000 a year: 2017 had 4,173
    assert ("s1.3-p1", 76.7) in by_value      # stock and flow: 60574 / (60574 - 26347) = 1.7698, i.e. +77.0%
    assert ("s1.4-p1", 8.4) in by_value       # graduates: 340.5 / 4088 = 8.33%
    assert ("s2.2.5-p1", 24.7) in by_value    # foreign-invested: 206.6 / 1057.7 = 19.53%; MOFCOM: 43.7%
    assert ("s2.1.2-p3", 59.8) in by_value    # ISG revised: 84.2 / 1.29 = 65.3
    assert ("s2.1.1-p2", 27.8) in by_value    # next edition: 28.0 - 1.2 = 26.8
    # employees and certifications follow the stock-and-flow rule: 1290.9 / (1290.9 - 545.9) = 1.73275
    # (+73.3%), 17879 / (17879 - 8989) = 2.01114 (+101.1%)
    assert v["C051"] == "consistent" and v["C073"] == "consistent"
    assert v["C123"] == "consistent"          # 1057.7亿美元 > 1000亿美元
    assert len(bad) == 11


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
              "average", "comparison", "implied_base"}  # share: test_an_altered_input_flips_the_verdict;
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
    # statements: the rows less the second checks of 711.06 (C001/C002), 32.1% (C025/C027),
    # 34.1% (C026/C028) and 70.5% (C040/C041)
    assert s["report"]["statements"] == len(report) - 4
    # a statement with one failing and one passing check is inconsistent (34.1%: C026 fails, C028 holds)
    kpo = report[report["claim_id"].isin(["C026", "C028"])]
    assert set(kpo["verdict"]) == {"inconsistent", "consistent"} and set(kpo["statement_verdict"]) == {"inconsistent"}
    for section in ledger.SECTIONS:
        c = s[section]
        assert sum(c[f"statements_{v}"] for v in ledger.VERDICTS) == c["statements"]
        assert c["statements_hold"] + c["statements_inconsistent"] == c["statements_checked"]


def test_a_second_check_adds_a_check_not_a_statement(book):
    twice = pd.concat([book, book[book["claim_id"] == "C112"].assign(claim_id="C999")], ignore_index=True)
    a, b = ledger.summary(book)["report"], ledger.summary(twice)["report"]
    assert b["inconsistent"] == a["inconsistent"] + 1 and b["claims"] == a["claims"] + 1
    assert b["statements_inconsistent"] == a["statements_inconsistent"] and b["statements"] == a["statements"]


def test_coverage_by_kind(book):
    """The checks by kind, counted by hand from data/claims.csv."""
    cov = ledger.coverage(book).set_index("kind")
    checked = {"sum": 13, "share": 18, "cagr": 15, "yoy": 4, "multiple": 5, "pp_gap": 3, "cumulative": 1,
               "stock_flow": 4, "more_than": 2, "average": 1, "implied_base": 0, "comparison": 13}
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
    assert "#zh-" not in md and "#zh-" not in ledger.inconsistencies_html(book)
    pages = ledger.block_pages()
    assert pages["s2.1.2-p3"] == "trends" and pages["s2.4-p3"] == "outlook"


def test_inconsistencies_are_listed_once_per_statement(book):
    html = ledger.inconsistencies_html(book)
    assert html.count("<li>") == sum(ledger.summary(book)[s]["statements_inconsistent"] for s in ledger.SECTIONS)
    assert 'href="#claim-c040">C040</a>, <a href="#claim-c041">C041</a>' in html


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


def test_every_inconsistency_has_a_translators_note_linking_to_its_row(book):
    cells = chapter_cells()
    missing = []
    for r in book[book["verdict"] == "inconsistent"].to_dict("records"):
        cid = r["claim_id"]
        here = [src for _, t, ids, src in cells if t == "markdown" and r["source_block_id"] in ids]
        notes = [n for src in here for n in FENCE.findall(src)]
        if not any(f"](#{ledger.anchor(cid)})" in n for n in notes):
            missing.append(f"{cid} ({r['source_block_id']}): no translator's note linking to #{ledger.anchor(cid)}")
        elif not any(f"claim-{cid}-recomputed" in n for n in notes):
            missing.append(f"{cid}: the note does not glue the recomputed value")
    assert not missing, "\n".join(missing)


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
    assert found >= len(book[book["verdict"] == "inconsistent"])
    html = (book_html / "chapters" / "ledger.html").read_text(encoding="utf-8")
    for asset in ledger.ASSETS:
        assert f"../_static/{asset}" in html and (book_html / "_static" / asset).is_file()
