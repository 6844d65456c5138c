"""The edition's words about its data, each chosen by a rule from the numbers.

Every word the edition writes around data that compares, gives a direction
or counts ("more than", "rose", "the highest", "twice", "four") comes from a
function here and is never typed into a sentence. Each returns a `Word`: the
word (a str) with the rule that chose it and its operands, each the value of
a formula over data rows (sobook.data's formulas, by row id), so that a test
can recompute the word from the data the page was built from
(tests/test_statements.py). Whoever writes a sentence keeps the Words and
computed Operands it used: a chart builder returns them as ``statements``, an
assessment of 'How the outlook fared' and a key figure of the front page
carry them. :func:`sentences` gives every sentence the edition writes about a
data directory, each with them (tests/test_prose.py).

    from sobook import statements as st
    jiangsu = st.rows(en, area="Jiangsu", measure="enterprises_end_of_year")
    word = st.compare(jiangsu, st.rows(en, area=[...]), words=("more than", "fewer than", "as many as"))
    text = f"Jiangsu had {jiangsu.value:,.0f} enterprises, {word} Guangdong, ... together"
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sobook.data import evaluate, formula_names

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")

# ---------------------------------------------------------------------------
# operands: values of data rows, or computed from them


@dataclass(frozen=True)
class Operand:
    """A number and how it follows from the data: a formula over row ids
    (a plain number for a constant the sentence names)."""

    formula: str
    value: float

    @property
    def rows(self) -> list[str]:
        return formula_names(self.formula)


def rows(df, **where) -> Operand:
    """The sum of the values of the rows of `df` where each column equals the
    value given (or is in the list)."""
    picked = df
    for col, want in where.items():
        picked = picked[picked[col].isin(want) if isinstance(want, (list, tuple, set)) else picked[col].eq(want)]
    if not len(picked):
        raise ValueError(f"statements.rows: no row with {where}")
    return Operand(" + ".join(picked["row_id"]), float(picked["value"].sum()))


def computed(df, formula: str) -> Operand:
    """A number computed from rows of `df` by `formula` (e.g. a point on a
    forecast's path: ``"em_total_2020 + 0.8 * em_new_2021_2025_forecast"``)."""
    return Operand(formula, evaluate(formula, dict(zip(df["row_id"], df["value"].astype(float)))))


def scaled(op: Operand, factor: float) -> Operand:
    return Operand(f"({op.formula}) * {factor!r}", op.value * factor)


def recompute(op: Operand, values: dict) -> float:
    """The operand's value from `values` (row id -> value)."""
    return evaluate(op.formula, values)


# ---------------------------------------------------------------------------
# words: each chosen by its kind's rule (tests/test_statements.py has its own copies)


class Word(str):
    """A word chosen by a rule: the str, with its kind, operands, the words it
    was chosen from and the rule's parameters."""

    kind: str
    operands: dict
    choices: tuple
    params: dict

    def __new__(cls, word: str, kind: str, operands: dict, choices=(), **params):
        w = super().__new__(cls, word)
        w.kind, w.operands, w.choices, w.params = kind, dict(operands), tuple(choices), params
        return w


def _three(c: int, words) -> str:
    return words[0] if c > 0 else words[1] if c < 0 else words[2]


def _cmp(a: float, b: float, tol: float) -> int:
    return 0 if math.isclose(a, b, rel_tol=0, abs_tol=tol) else 1 if a > b else -1


def compare(a: Operand, b: Operand, words=("more than", "fewer than", "as many as"), tol: float = 1e-9) -> Word:
    """`words`[0] if a > b, [1] if a < b, [2] if they are equal (within tol)."""
    return Word(_three(_cmp(a.value, b.value, tol), words), "compare", {"a": a, "b": b}, words, tol=tol)


def change(old: Operand, new: Operand, words=("rose", "fell", "was unchanged"), tol: float = 1e-9) -> Word:
    """How a value moved from `old` to `new`."""
    return Word(_three(_cmp(new.value, old.value, tol), words), "change", {"old": old, "new": new}, words, tol=tol)


def sign(value: Operand, words=("grew", "shrank", "was flat")) -> Word:
    """The direction of a rate of change (positive, negative or zero)."""
    return Word(_three(_cmp(value.value, 0, 1e-9), words), "sign", {"value": value}, words)


def extreme(candidates: dict, which: str = "max") -> Word:
    """The name of the largest (or, with which="min", the smallest) candidate."""
    best = (max if which == "max" else min)(candidates, key=lambda k: candidates[k].value)
    return Word(best, "extreme", candidates, tuple(candidates), which=which)


def ratio(a: Operand, b: Operand) -> Word:
    """a ÷ b in words: "twice", "three times", "1.5 times" (to one decimal), "about the same as"."""
    r = round(a.value / b.value, 1)
    word = "about the same as" if abs(r - 1) < 0.05 else (
        {2.0: "twice", 3.0: "three times", 4.0: "four times", 5.0: "five times"}.get(r, f"{r:g} times"))
    return Word(word, "ratio", {"a": a, "b": b})


def every(values: dict, threshold: Operand, words=("every", "not every"), above: bool = True) -> Word:
    """Whether every value is above (or, with above=False, below) the threshold."""
    ok = all((v.value > threshold.value) if above else (v.value < threshold.value) for v in values.values())
    return Word(words[0] if ok else words[1], "every", dict(values, _threshold=threshold), words, above=above)


def count(things: dict) -> Word:
    """How many things there are, in words ("four"): `things` maps each name to its operand."""
    n = len(things)
    return Word(NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else f"{n:,}", "count", things)


def numbers_of(statements) -> list[float]:
    """Every number a sentence may name because its words and operands do."""
    out = []
    for s in statements:
        if isinstance(s, Operand):
            out.append(s.value)
        elif isinstance(s, Word):
            out += [op.value for op in s.operands.values()]
            if s.kind == "ratio":
                out.append(s.operands["a"].value / s.operands["b"].value)
            if s.kind == "count":
                out.append(float(len(s.operands)))
    return out


# ---------------------------------------------------------------------------
# every sentence the edition writes about a data directory


@dataclass(frozen=True)
class Sentence:
    where: str                     # "e14 note", "fared large-contracts caveat", "front 1", "ledger C026"
    text: str
    kind: str                      # subtitle | alt | note | forecast | test | basis | finding | caveat | ...
    statements: tuple = ()         # the Words and computed Operands written in it
    values: tuple = field(default=(), repr=False)  # the numbers it may name: its rows' values, what was computed


def flatten(x):
    """Every number in a nest of dicts and lists."""
    if isinstance(x, dict):
        x = list(x.values())
    if isinstance(x, (list, tuple)):
        for v in x:
            yield from flatten(v)
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        yield float(x)
