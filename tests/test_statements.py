"""The comparison words (sobook.statements): each returned with its rule and operands, none kept in a
global; the words change when the numbers do; and the sentences the built book carries are the ones
recomputed from the data (tests/test_prose.py recomputes every word, on data/ and on changed copies)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd

from sobook import charts, sentences
from sobook import statements as st

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def test_a_word_carries_its_rule_and_operands():
    df = pd.DataFrame({"row_id": ["a", "b", "c"], "value": [3.0, 2.0, 2.0]})
    more = st.compare(st.rows(df, row_id="a"), st.rows(df, row_id=["b", "c"]))
    assert more == "fewer than" and more.kind == "compare" and more.operands["b"].formula == "b + c"
    path = st.computed(df, "a + 0.5 * (b - a)")
    assert path.value == 2.5 and set(path.rows) == {"a", "b"} and st.recompute(path, {"a": 5, "b": 1}) == 3
    assert st.change(st.rows(df, row_id="b"), st.rows(df, row_id="c")) == "was unchanged"
    assert st.ratio(st.rows(df, row_id="a"), st.rows(df, row_id="b")) == "1.5 times"
    assert st.count({"x": path, "y": path, "z": path, "w": path}) == "four"
    assert not hasattr(st, "RECORD")  # nothing is kept between pages


def test_a_changed_number_changes_the_word():
    """Not vacuous: with Jiangsu's count raised above the other three provinces together, Chart E3's
    sentence says 'more than'."""
    from sobook.charts import registry

    before = charts.build("e3").alt_text
    reader = registry.Data(DATA)
    en = reader("china_outsourcing_enterprises").copy()
    en.loc[(en["area"] == "Jiangsu") & (en["measure"] == "enterprises_end_of_year"), "value"] = 18000.0
    reader._cache["china_outsourcing_enterprises"] = en
    after = registry.spec("e3", DATA, reader)["alt_text"]
    assert "fewer than Guangdong" in before and "more than Guangdong" in after, (before, after)


def test_the_book_shows_the_recomputed_sentences(book_html):
    """The sentences are the ones the built book carries (its alt texts, notes and subtitles), so the book
    was built from these numbers."""
    raw = " ".join(p.read_text(encoding="utf-8") for p in (book_html / "chapters").glob("*.html"))
    text = html.unescape(re.sub(r"<[^>]+>", "", raw))  # notes link to the charts they name
    missing = [s.where for s in sentences.of(DATA) if s.where.split()[0] in charts.ids()
               and html.escape(s.text, quote=True) not in raw and s.text not in text]
    assert not missing, missing


def test_every_declared_unit_is_written_in_words():
    """sobook.text.quantity is the one place a unit's words are chosen (charts, outlook, front page,
    ledger); each unit the package declares reads as its definition in datapackage.json says."""
    from sobook.text import quantity

    units = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["units"]
    expected = {
        ("US$ billion", 59.8): "US$59.8 billion", ("US$ billion", 2000): "US$2 trillion",
        ("US$ million", 1.5): "US$1.5 million", ("RMB billion", 895.3): "RMB 895.3 billion",
        ("RMB trillion", 1.2): "RMB 1.2 trillion", ("% of total", 37.7): "37.7%",
        ("% change", 22.5): "+22.5%", ("% change", -3.1): "−3.1%", ("% per year", 10.4): "10.4% a year",
        ("percentage points", 5.3): "+5.3 percentage points", ("times (increase by)", 6.1): "an increase by 6.1 times",
        ("times the base level", 7.1): "7.1 times the base level", ("million persons", 14.7): "14.7 million people",
        ("enterprises", 60574): "60,574 enterprises", ("certifications", 8989): "8,989 certifications",
        ("cities", 31): "31 cities", ("count", 18): "18", ("rank", 31): "31", ("places", 15): "15 places",
        ("registrations per 10,000 people", 12.5): "12.5 registrations per 10,000 people",
    }
    assert {u for u, _ in expected} == set(units) - {"decimal places"}
    for (unit, value), text in expected.items():
        assert quantity(value, unit) == text
    assert quantity(7, "% per year", "more than") == "more than 7% a year"


def test_a_value_reads_the_same_at_the_ledgers_precision():
    """The ledger prints a stated value at its printed precision, the charts and the outlook as the
    number needs: the same text either way (they were three functions, and differed)."""
    from sobook.text import number, quantity

    claims = pd.read_csv(DATA / "claims.csv", dtype={"printed_decimals": "Int64"})
    for r in claims.dropna(subset=["value", "printed_decimals"]).itertuples():
        shown = number(r.value)
        if len(shown.partition(".")[2]) == max(int(r.printed_decimals), 0):
            assert quantity(r.value, r.unit) == quantity(r.value, r.unit, decimals=int(r.printed_decimals)), r.claim_id
