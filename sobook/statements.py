"""The edition's comparison words, chosen from the numbers and recorded.

Every word the edition writes around data that compares numbers ("more
than", "fewer than", "rose", "fell", "the highest", "twice") is chosen here,
from the numbers, never typed into a sentence. Each choice is recorded with
its kind, its operands (the data rows each one sums, and the value), the
word chosen and where it is written, so that a test
(tests/test_statements.py) can re-read the operands from the data the book
was built from, recompute the word by the kind's rule and find it in the
sentence the reader sees.

    from sobook import statements as st
    w = st.compare(st.rows(en, "Jiangsu"), st.rows(en, ["Guangdong", ...]),
                   where="e3:alt", words=("more than", "fewer than", "as many as"))
    text = f"Jiangsu had 15,838 enterprises, {w} Guangdong, ... together"

Operands are ``Operand`` objects: the sum of some data rows' values (by
row id), or a plain number the test can re-derive from rows the same way.
A sentence names a statement once it is written: ``st.written(where, text)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------
# what is recorded


@dataclass(frozen=True)
class Operand:
    """The sum of the values of data rows (by row id), scaled by `factor`
    (a difference is two operands, a multiple an operand and a factor)."""

    rows: tuple[str, ...]
    value: float
    factor: float = 1.0
    name: str = ""
    expr: str = ""   # how the value follows from the rows' values v[0], v[1], … (default: their sum × factor)


@dataclass
class Statement:
    kind: str                      # compare | change | extreme | ratio | sign | exceeds
    where: str                     # "<chart id>:<part>" (alt, subtitle, note, label)
    operands: dict                 # name -> Operand
    word: str                      # the word chosen
    words: tuple = ()              # the words it was chosen from
    params: dict = field(default_factory=dict)
    sentence: str = ""             # the text written around it, once known


RECORD: list[Statement] = []


def reset() -> None:
    RECORD.clear()


def _rec(st: Statement) -> str:
    RECORD.append(st)
    return st.word


def written(where: str, text: str) -> str:
    """Attach the finished text to every statement recorded for `where`."""
    for st in RECORD:
        if st.where == where and not st.sentence:
            st.sentence = text
    return text


# ---------------------------------------------------------------------------
# operands


def rows(df, **where) -> Operand:
    """An operand: the rows of `df` that match (each column equals the value,
    or is in the list given), summed. Rows are named by their row_id."""
    import pandas as pd

    mask = pd.Series(True, index=df.index)
    for col, want in where.items():
        mask &= df[col].isin(want) if isinstance(want, (list, tuple, set)) else df[col].eq(want)
    picked = df[mask]
    if not len(picked):
        raise ValueError(f"statements.rows: no row with {where}")
    return Operand(tuple(picked["row_id"]), float(picked["value"].sum()), name=",".join(picked["row_id"]))


def row(df, row_id: str) -> Operand:
    return rows(df, row_id=row_id)


def scaled(op: Operand, factor: float) -> Operand:
    return Operand(op.rows, op.value * factor, factor * op.factor, op.name)


def computed(df, row_ids: list[str], expr: str, name: str = "") -> Operand:
    """An operand computed from named rows by an expression over their values
    ``v[0], v[1], …`` (e.g. a point on a forecast's path)."""
    v = [float(df.loc[df["row_id"] == r, "value"].iloc[0]) for r in row_ids]
    return Operand(tuple(row_ids), float(eval(expr, {"__builtins__": {}}, {"v": v})), name=name or expr, expr=expr)


# ---------------------------------------------------------------------------
# the rules (the test has its own copies of these, written apart)


def _cmp(a: float, b: float, tol: float) -> int:
    if math.isclose(a, b, rel_tol=0, abs_tol=tol):
        return 0
    return 1 if a > b else -1


def compare(a: Operand, b: Operand, *, where: str,
            words=("more than", "fewer than", "as many as"), tol: float = 1e-9) -> str:
    """`words`[0] if a > b, [1] if a < b, [2] if equal (within tol)."""
    c = _cmp(a.value, b.value, tol)
    word = words[0] if c > 0 else words[1] if c < 0 else words[2]
    return _rec(Statement("compare", where, {"a": a, "b": b}, word, tuple(words), {"tol": tol}))


def change(old: Operand, new: Operand, *, where: str, words=("rose", "fell", "was unchanged"),
           tol: float = 1e-9) -> str:
    """How a value moved from `old` to `new`."""
    c = _cmp(new.value, old.value, tol)
    word = words[0] if c > 0 else words[1] if c < 0 else words[2]
    return _rec(Statement("change", where, {"old": old, "new": new}, word, tuple(words), {"tol": tol}))


def extreme(candidates: dict, *, where: str, which: str = "max") -> str:
    """The name of the largest (`which="max"`) or smallest candidate: the
    word is that name (e.g. the year that was highest)."""
    ops = dict(candidates)
    pick = (max if which == "max" else min)(ops, key=lambda k: ops[k].value)
    return _rec(Statement("extreme", where, ops, pick, tuple(ops), {"which": which}))


def ratio(a: Operand, b: Operand, *, where: str) -> str:
    """a ÷ b in words: "twice", "three times", "1.5 times" (to one decimal),
    "about the same as"."""
    r = a.value / b.value
    word = _ratio_word(r)
    return _rec(Statement("ratio", where, {"a": a, "b": b}, word, (), {}))


def _ratio_word(r: float) -> str:
    r1 = round(r, 1)
    if abs(r1 - 1) < 0.05:
        return "about the same as"
    names = {2.0: "twice", 3.0: "three times", 4.0: "four times", 5.0: "five times"}
    if r1 in names:
        return names[r1]
    return f"{r1:g} times"


def sign(value: Operand, *, where: str, words=("grew", "shrank", "was flat")) -> str:
    """The direction of a rate of change (positive, negative or zero)."""
    c = _cmp(value.value, 0, 1e-9)
    word = words[0] if c > 0 else words[1] if c < 0 else words[2]
    return _rec(Statement("sign", where, {"value": value}, word, tuple(words), {}))


def every(values: dict, threshold: Operand | float, *, where: str,
          words=("every", "not every"), above: bool = True) -> str:
    """Whether every value is above (or below) a threshold."""
    t = threshold if isinstance(threshold, Operand) else Operand((), float(threshold))
    ok = all((v.value > t.value) if above else (v.value < t.value) for v in values.values())
    word = words[0] if ok else words[1]
    ops = dict(values)
    ops["_threshold"] = t
    return _rec(Statement("every", where, ops, word, tuple(words), {"above": above}))


# ---------------------------------------------------------------------------
# every sentence the edition writes for a data directory (tests/test_prose.py)


@dataclass(frozen=True)
class Sentence:
    where: str                     # "e14 note", "fared large-contracts caveat", "front 1", "ledger C026"
    text: str
    statements: tuple = ()         # the comparison words chosen for it
    values: tuple = ()             # the numbers it may name: its rows' values and what was computed from them
    kind: str = ""                 # subtitle | alt | note | forecast | test | basis | finding | caveat | ...


def _values(frames) -> list[float]:
    out = []
    for df in frames:
        if "value" in df.columns:
            out += [float(v) for v in df["value"] if v == v]
    return out


def _flat(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from _flat(v)
    elif isinstance(x, (list, tuple)):
        for v in x:
            yield from _flat(v)
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        yield float(x)


def sentences(data_dir):
    """Every sentence the edition writes about its data, built from `data_dir`."""
    import re as _re
    from pathlib import Path

    from sobook import charts, data, fared, front, ledger
    from sobook.charts import registry

    data_dir = Path(data_dir)
    for fig in charts.ids():
        reset()
        D = registry._Data(data_dir)
        out = registry._BUILDERS[fig](D)
        for part, key in (("alt", "alt_text"), ("subtitle", "subtitle"), ("note", "caption_note")):
            written(f"{fig}:{part}", str(out.get(key) or ""))
        found = tuple(s for s in RECORD if s.where.startswith(f"{fig}:"))
        vals = tuple(_values(D._cache.values())) + tuple(op.value for s in found for op in s.operands.values())
        vals += tuple(s.operands["a"].value / s.operands["b"].value for s in found if s.kind == "ratio")
        for part, key in (("subtitle", "subtitle"), ("alt", "alt_text"), ("note", "caption_note")):
            if out.get(key):
                yield Sentence(f"{fig} {part}", str(out[key]), found, vals, part)
    reset()
    frames = data.load_all(data_dir)
    everything = tuple(_values(frames.values()))
    items = fared.assess(data_dir)
    for a in items:
        vals = everything + tuple(_flat(a.numbers)) + ((a.target_value,) if a.target_value is not None else ())
        for kind in ("forecast", "test", "basis", "finding", "caveat"):
            if getattr(a, kind):
                yield Sentence(f"fared {a.key} {kind}", getattr(a, kind), (), vals, kind)
        for c in a.computed:
            yield Sentence(f"fared {a.key} computed", c, (), vals, "computed")
        yield Sentence(f"fared {a.key} verdict", a.verdict.value, (), vals, "verdict")
    summary = _re.sub(r"<[^>]+>", " ", fared.summary_html(items))
    yield Sentence("fared summary", summary.split("No.")[0].strip(), (), (float(len(items)),), "summary")
    for n, k in enumerate(front.key_figures(data_dir), start=1):
        yield Sentence(f"front {n}", f"{k.value} {k.label} ({k.detail})", (), everything, "key figure")
    df = ledger.compute(data_dir)
    recomputed = tuple(float(v) for v in df["recomputed"] if v == v)
    for li in _re.findall(r"<li>(.*?)</li>", ledger.inconsistencies_html(df)):
        text = _re.sub(r"\s+", " ", _re.sub(r"<[^>]+>", "", li)).strip()
        yield Sentence(f"ledger {text.split()[0]}", text, (), everything + recomputed, "ledger")
