"""The comparison words (sobook.statements): each returned with its rule and operands, none kept in a
global; the words change when the numbers do; and the sentences the built book carries are the ones
recomputed from the data (tests/test_prose.py recomputes every word, on data/ and on changed copies)."""

from __future__ import annotations

import html
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
