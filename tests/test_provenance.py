"""Every number in data/ traces back to its source.

* report rows: the block exists in data/source/original.json, the quote is in
  its text verbatim (footnote markers stripped), and the value is in the quote
  after the house unit conversions;
* release rows: an address and a quote, the quote found in the reference lists
  shipped in data/source/reference/, the value in the quote;
* derived rows: the formula re-computes the value to its printed precision.
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import pytest

from sobook import data
from sobook.ledger import readable

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REFERENCE = DATA / "source" / "reference"
REFERENCE_FILES = ["supplementary-series.md", "outcomes-2021-2025.md", "outcomes-2020-2025-by-release.md",
                   "sources-better-and-official.md", "checked-by-the-edition.md"]
_MARKER = re.compile(r"\[\^fn\d+\]")


def _raw_rows():
    """Every row of every CSV as printed (strings), with resource and line."""
    desc = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    out = []
    for res in desc["resources"]:
        with open(DATA / res["path"], encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                out.append({**row, "_resource": res["name"], "_line": line})
    return out


ROWS = _raw_rows()
VALUES = {r["row_id"]: float(r["value"]) for r in ROWS}
BLOCKS = {b["id"]: b for b in json.loads((DATA / "source" / "original.json").read_text(encoding="utf-8"))["blocks"]}


def _id(r):
    return f"{r['_resource']}:{r['_line']}:{r['row_id']}"


REPORT = [r for r in ROWS if r["provenance"] == "report"]
RELEASE = [r for r in ROWS if r["provenance"] == "release"]
DERIVED = [r for r in ROWS if r["provenance"] == "derived"]


def test_there_are_rows_of_each_kind():
    assert len(REPORT) > 150 and len(RELEASE) > 40 and len(DERIVED) > 50


def test_row_ids_unique_across_the_package():
    ids = [r["row_id"] for r in ROWS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("row", REPORT, ids=_id)
def test_report_row_quotes_its_block(row):
    block = BLOCKS.get(row["source_block_id"])
    assert block is not None, f"no block {row['source_block_id']!r} in original.json"
    text = _MARKER.sub("", block["text"])
    assert row["source_quote"] in text, "quote not found verbatim in the block"
    assert data.value_in_quote(float(row["value"]), row["unit"], readable(row["source_quote"])), (
        f"{row['value']} {row['unit']} is not what the quote says"
    )
    assert not row["source_url"] and not row["formula"]


def _reference_text() -> str:
    return "\n".join((REFERENCE / f).read_text(encoding="utf-8") for f in REFERENCE_FILES)


def test_reference_copies_are_shipped():
    for f in REFERENCE_FILES:
        assert (REFERENCE / f).is_file(), f


@pytest.mark.parametrize("row", RELEASE, ids=_id)
def test_release_row_has_address_and_quote(row):
    assert row["source_url"].strip() and row["source_quote"].strip() and row["source_note"].strip()
    assert row["source_quote"] in _reference_text(), "quote not found in data/source/reference/"
    # the lists give a few addresses without their scheme
    assert row["source_url"].split("://", 1)[-1] in _reference_text(), "address not listed in data/source/reference/"
    assert data.value_in_quote(float(row["value"]), row["unit"], readable(row["source_quote"])), (
        f"{row['value']} {row['unit']} is not what the quote says"
    )
    assert not row["source_block_id"] and not row["formula"]


def test_reprints_are_labelled():
    """A reprint or an aggregator's copy (the kind its source declares) names
    itself as one ('as reprinted by', 'as summarised by' ...)."""
    desc = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    kind = {s["path"]: s["kind"] for s in desc["sources"] if "kind" in s}
    for r in RELEASE:
        if kind[r["source_url"]] in ("reprint", "aggregator"):
            assert re.search(r"\bas (reprinted|published|summarised|reported)\b", r["source_note"]), (
                r["row_id"], r["source_note"])


@pytest.mark.parametrize("row", DERIVED, ids=_id)
def test_derived_row_recomputes(row):
    assert row["formula"].strip() and row["source_note"].strip()
    assert row["value_status"] == "derived"
    assert not row["source_quote"] and not row["source_block_id"]
    computed = data.evaluate(row["formula"], VALUES)
    assert data.matches_printed(computed, row["value"]), f"formula gives {computed}, printed {row['value']}"


def test_derived_rows_do_not_depend_on_themselves():
    deps = {r["row_id"]: data.formula_names(r["formula"]) for r in DERIVED}

    def visit(rid, path):
        for d in deps.get(rid, []):
            assert d not in path, f"cycle: {' -> '.join(path + [d])}"
            visit(d, path + [d])

    for rid in deps:
        visit(rid, [rid])


def test_only_reported_estimates_and_forecasts_are_flagged():
    for r in ROWS:
        if r["value_status"] in ("estimate", "forecast"):
            assert r["provenance"] in ("report", "release"), r["row_id"]


# --------------------------------------------------------------------------
# readings the house rules call for


def _row(rid):
    return next(r for r in ROWS if r["row_id"] == rid)


BEI = [r for r in ROWS if r["measure"] == "increase_multiple_vs_2015"]


@pytest.mark.parametrize("row", BEI, ids=_id)
def test_bei_reading_matches_the_stated_growth(row):
    """'比2015年增长X倍' = (1 + X) times 2015: over five years that reading gives
    the average annual growth printed beside it (within the rounding of X and
    of the rate); reading it as X times 2015 does not."""
    key = row["row_id"].removesuffix("_increase_multiple")
    stated = float(_row(f"{key}_cagr")["value"])
    x = float(row["value"])

    def cagr(level):
        return (level ** (1 / 5) - 1) * 100

    lo, hi = cagr(1 + x - 0.05), cagr(1 + x + 0.05)
    assert lo - 0.05 <= stated <= hi + 0.05, (lo, hi, stated)
    lo_b, hi_b = cagr(x - 0.05), cagr(x + 0.05)
    assert not (lo_b - 0.05 <= stated <= hi_b + 0.05)
    level = float(_row(f"{key}_level_multiple")["value"])
    assert math.isclose(level, 1 + x)
    assert _row(f"{key}_2015")["provenance"] == "derived"


def test_known_differences_between_sources_are_kept_apart():
    # the report's 1057.7 and MOFCOM's 1057.8 are both there, each with its own source
    assert _row("ev_offshore_2020")["value"] == "105.77"
    assert _row("ev_offshore_2020_release")["value"] == "105.78"


def test_unknown_years_are_not_filled():
    """Total executed value for 2017 and 2018 is known only as their sum."""
    ev = [r for r in ROWS if r["_resource"] == "china_outsourcing_executed_value"]
    periods = {r["period"] for r in ev if r["market"] == "total" and r["measure"] == "executed_value"}
    assert "2017" not in periods and "2018" not in periods and "2017+2018" in periods


# --------------------------------------------------------------------------
# the release-by-release list of 2020-2025 (markets, regions, demonstration
# cities, enterprise types): quoted from the copy the edition ships


BY_RELEASE = REFERENCE / "outcomes-2020-2025-by-release.md"


def test_breakdowns_quote_the_release_by_release_list():
    text = BY_RELEASE.read_text(encoding="utf-8")
    rows = [r for r in RELEASE if r["_resource"] == "china_offshore_outsourcing_breakdowns"]
    assert len(rows) > 60
    for r in rows:
        assert r["source_quote"] in text and r["source_url"] in text, r["row_id"]
        assert r["source_url"].startswith(("http://", "https://")), r["row_id"]


def test_a_quote_not_in_the_list_is_caught():
    row = next(r for r in RELEASE if r["row_id"] == "b_rcep_2025")
    assert row["source_quote"] in _reference_text()
    altered = row["source_quote"].replace("3211亿元", "3221亿元")
    assert altered not in _reference_text()
    assert not data.value_in_quote(float(row["value"]), row["unit"], altered)


def test_series_whose_definition_changed_are_kept_apart():
    """Belt and Road (沿线 to 2022, 共建 from 2024), the enterprise categories
    (民营/外商投资 to 2023, 内资/外资 in 2025) and the demonstration cities (31,
    then 37) are separate categories, each in its own years only."""
    years = {}
    for r in ROWS:
        if r["_resource"] == "china_offshore_outsourcing_breakdowns" and r["period"].isdigit():
            years.setdefault(r["category"], set()).add(int(r["period"]))
    assert max(years["Belt and Road countries (沿线国家)"]) <= 2022 and min(years["Belt and Road countries (共建国家)"]) >= 2024
    assert max(years["foreign-invested enterprises (外商投资企业)"]) <= 2023
    assert min(years["foreign-funded enterprises (外资企业)"]) >= 2025
    assert min(years["37 demonstration cities"]) >= 2022


def test_readable_reads_shared_units_and_traditional_counters():
    from sobook.ledger import readable

    q = "执行额分别为2323.7亿、2019.8亿和1499.6亿元人民币"
    assert not data.value_in_quote(232.37, "RMB billion", q)
    assert data.value_in_quote(232.37, "RMB billion", readable(q))
    assert data.value_in_quote(201.98, "RMB billion", readable(q))
    assert not data.value_in_quote(201.99, "RMB billion", readable(q))
    assert data.value_in_quote(1.2, "percentage points", readable("比上年提高1.2個百分點"))
