"""Every comparison the edition writes around data is chosen by code from the
numbers (sobook.statements) and recomputed here, apart, from the data the
book was built from: each operand is re-read from the data package by its
rows, the word re-derived by its kind's rule, and the sentence found in the
built book as the reader gets it.

    pytest -q tests/test_statements.py -s     # also lists every statement
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd
import pytest

from sobook import charts, data, statements

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BOOK = ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def recorded():
    statements.reset()
    for fig in charts.ids():
        charts.build(fig)
    rec = list(statements.RECORD)
    assert len(rec) >= 30, len(rec)
    return rec


@pytest.fixture(scope="module")
def values():
    frames = data.load_all(DATA)
    frames = frames.values() if isinstance(frames, dict) else frames
    out = {}
    for df in frames:
        if isinstance(df, pd.DataFrame) and "row_id" in df.columns and "value" in df.columns:
            out.update(zip(df["row_id"], df["value"].astype(float)))
    return out


def _value(op, values):
    if not op.rows:
        return op.value  # a constant the sentence names (e.g. the report's 5,000)
    v = [values[r] for r in op.rows]
    if op.expr:
        return eval(op.expr, {"__builtins__": {}}, {"v": v})
    return sum(v) * op.factor


def _word(st, ops):
    """The kind's rule, written apart from sobook.statements."""
    def three(c, words):
        return words[0] if c > 0 else words[1] if c < 0 else words[2]

    def cmp(a, b, tol=1e-9):
        return 0 if abs(a - b) <= tol else (1 if a > b else -1)

    if st.kind == "compare":
        return three(cmp(ops["a"], ops["b"], st.params.get("tol", 1e-9)), st.words)
    if st.kind == "change":
        return three(cmp(ops["new"], ops["old"], st.params.get("tol", 1e-9)), st.words)
    if st.kind == "sign":
        return three(cmp(ops["value"], 0), st.words)
    if st.kind == "extreme":
        best = sorted(ops.items(), key=lambda kv: kv[1], reverse=st.params["which"] == "max")
        return best[0][0]
    if st.kind == "ratio":
        r = round(ops["a"] / ops["b"], 1)
        if abs(r - 1) < 0.05:
            return "about the same as"
        return {2.0: "twice", 3.0: "three times", 4.0: "four times", 5.0: "five times"}.get(r, f"{r:g} times")
    if st.kind == "every":
        t = ops.pop("_threshold")
        ok = all((v > t) if st.params["above"] else (v < t) for v in ops.values())
        return st.words[0] if ok else st.words[1]
    raise AssertionError(f"unknown kind {st.kind}")


def test_every_statement_recomputes_from_the_data(recorded, values):
    lines, bad = [], []
    for st in recorded:
        ops = {}
        for name, op in st.operands.items():
            v = _value(op, values)
            if not math.isclose(v, op.value, rel_tol=1e-9, abs_tol=1e-9):
                bad.append(f"{st.where}: operand {name} is {op.value}, the data give {v}")
            ops[name] = v
        want = _word(st, ops)
        if want != st.word:
            bad.append(f"{st.where}: wrote {st.word!r}, the data say {want!r}")
        if st.word not in st.sentence:
            bad.append(f"{st.where}: {st.word!r} is not in its sentence {st.sentence!r}")
        nums = ", ".join(f"{k}={op.value:g}" + (f" [{'+'.join(op.rows)}]" if op.rows else "") for k, op in st.operands.items())
        lines.append(f"{st.where:<10} {st.kind:<8} {st.word!r:<26} {nums}")
    print(f"\n{len(recorded)} comparison statements recomputed:\n" + "\n".join(lines))
    assert not bad, "\n".join(bad)


def test_the_book_shows_the_recomputed_sentences(recorded):
    """The sentences are the ones the built book carries (its alt texts,
    notes and subtitles), so the book was built from these numbers."""
    if not BOOK.exists():
        pytest.skip("no built book")
    pages = " ".join(p.read_text(encoding="utf-8") for p in (BOOK / "chapters").glob("*.html"))
    missing = [st.where for st in recorded if html.escape(st.sentence, quote=True) not in pages]
    assert not missing, missing


def test_a_changed_number_changes_the_word():
    """Not vacuous: with Jiangsu's count raised above the other three
    provinces together, Chart E3's sentence says 'more than'."""
    from sobook.charts import registry

    before = charts.build("e3").alt_text
    D = registry._Data(DATA)
    en = D("china_outsourcing_enterprises").copy()
    en.loc[(en["area"] == "Jiangsu") & (en["measure"] == "enterprises_end_of_year"), "value"] = 18000.0
    D._cache["china_outsourcing_enterprises"] = en
    after = registry._BUILDERS["e3"](D)["alt_text"]
    assert "fewer than Guangdong" in before and "more than Guangdong" in after, (before, after)
