"""The precision of a printed number, and the package's rows as the ledger's inputs."""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from sobook import data
from sobook.ledger.intervals import FUNCTIONS, Interval
from sobook.ledger.rules import RESOURCE, LedgerError

# --------------------------------------------------------------------------
# the precision of a printed number


def generous_step(printed: str, factor: Decimal) -> Decimal:
    """One unit of the last digit the number may have been rounded to, at the
    most generous reading: a whole number ending in zeros may have been rounded
    to its last non-zero digit (900 -> 100; 2 -> 1; 10.0 -> 0.1)."""
    digits = re.sub(r"[ ,]", "", printed)
    if "." in digits:
        return Decimal(1).scaleb(-data.decimals(digits)) * factor
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped) if stripped else 0
    return Decimal(1).scaleb(zeros) * factor


@dataclass(frozen=True)
class Precision:
    printed: str       # the number as printed in the quote ("7110.6")
    step: Decimal      # one unit of its last printed digit, in the row's unit
    generous: Decimal  # the same at the most generous reading (see generous_step)

    @property
    def decimals(self) -> int:
        """Digits after the decimal point in the row's unit (negative: tens ...)."""
        return -self.step.normalize().as_tuple().exponent if self.step != 0 else 0


_TRADITIONAL = str.maketrans({"個": "个", "點": "点"})
_SHARED_UNIT = re.compile(r"((?:\d[\d.]*亿[、和及与])+\d[\d.]*)亿(元人民币|元|美元)")
_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
# a count in words before the counter 项 (十三项国际认证), one to ninety-nine
_COUNT_IN_WORDS = re.compile(r"([一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])(?=项)")


def _words_to_number(words: str) -> str:
    tens, _, units = words.partition("十")
    if not _:
        return str(_DIGITS[words])
    return str(_DIGITS.get(tens, 1) * 10 + _DIGITS.get(units, 0))


def readable(quote: str) -> str:
    """A quote as the house unit reader (sobook.data.quotes) reads it: 個 and
    點 in their simplified forms (1.2個百分點), and a unit shared by a list
    given to each number ("2323.7亿、2019.8亿和1499.6亿元" -> "2323.7亿元、
    2019.8亿元和1499.6亿元"), and a count in words before 项 in digits
    (十三项 -> 13项). The stored quote stays verbatim; this is only how it is
    read. (These readings belong in sobook.data.quotes.)"""
    text = _COUNT_IN_WORDS.sub(lambda m: _words_to_number(m.group(1)), quote.translate(_TRADITIONAL))
    return _SHARED_UNIT.sub(lambda m: re.sub(r"亿(?=[、和及与])", "亿" + m.group(2), m.group(1)) + "亿" + m.group(2), text)


def precision(value: float, unit: str, quote: str) -> Precision | None:
    """How `value` (in `unit`) is printed in `quote`; None if it is not there.
    Where the quote states it more than once, the coarsest printing counts."""
    found = data.printed_readings(value, unit, readable(quote))
    if not found:
        return None
    best = max(found, key=lambda r: (generous_step(r.printed, r.factor), r.step))
    return Precision(best.printed, best.step, generous_step(best.printed, best.factor))


# --------------------------------------------------------------------------
# the inputs: every row of the data package


@dataclass(frozen=True)
class Row:
    row_id: str
    value: float
    unit: str
    qualifier: str
    provenance: str
    formula: str
    quote: str
    precision: Precision | None
    url: str = ""


def package_rows(data_dir=None) -> dict[str, Row]:
    """Every row of every data resource (not the claims), validated."""
    rows = {}
    for name, df in data.load_all(data_dir).items():
        if name == RESOURCE:
            continue
        for r in df.to_dict("records"):
            quote = r.get("source_quote") or ""
            prec = precision(r["value"], r["unit"], quote) if quote else None
            rows[r["row_id"]] = Row(
                r["row_id"], float(r["value"]), r["unit"], r.get("qualifier") or "", r["provenance"],
                r.get("formula") or "", quote, prec, r.get("source_url") or "",
            )
    return rows


def expand(formula: str, rows: dict[str, Row]) -> ast.Expression:
    """The formula with every derived row replaced by its own formula (all the
    way down), so that it refers to printed figures only."""

    class Sub(ast.NodeTransformer):
        def __init__(self, path):
            self.path = path

        def visit_Name(self, node):
            row = rows.get(node.id)
            if row is None or row.provenance != "derived":
                return node
            if node.id in self.path:
                raise LedgerError(f"derived rows refer to each other in a circle: {node.id}")
            inner = ast.parse(row.formula, mode="eval").body
            return Sub(self.path | {node.id}).visit(inner)

    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise LedgerError(f"formula {formula!r}: not an expression ({exc.msg})") from None
    return ast.fix_missing_locations(Sub(frozenset()).visit(tree))


def inputs(tree: ast.AST) -> list[str]:
    """The row ids a (expanded) formula reads, in order, once each."""
    seen = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and n.id not in FUNCTIONS and n.id not in seen:
            seen.append(n.id)
    return seen


def input_interval(row: Row) -> Interval:
    """The interval a printed input stands for, at the most generous reading;
    'more than N' stands for everything from N up (no upper end)."""
    if row.qualifier == "more than":
        return Interval(row.value, math.inf)
    if row.precision is None:
        raise LedgerError(f"input {row.row_id}: its value is not found in its quote, so its precision is unknown")
    half = float(row.precision.generous) / 2
    return Interval(row.value - half, row.value + half)
