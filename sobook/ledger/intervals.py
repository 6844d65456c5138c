"""Interval arithmetic over printed precision: a formula evaluated over every input's interval."""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

from sobook.ledger.rules import LedgerError

# --------------------------------------------------------------------------
# intervals


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    def __post_init__(self):
        if not (self.lo <= self.hi):
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def point(cls, x: float) -> Interval:
        return cls(x, x)

    def __contains__(self, x: float) -> bool:
        return self.lo <= x <= self.hi

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi


def _iv(values) -> Interval:
    vals = list(values)
    if any(math.isnan(v) for v in vals):
        raise LedgerError("the formula is undefined somewhere in the inputs' intervals")
    return Interval(min(vals), max(vals))


def _add(a, b):
    return Interval(a.lo + b.lo, a.hi + b.hi)


def _sub(a, b):
    return Interval(a.lo - b.hi, a.hi - b.lo)


def _mul(a, b):
    return _iv([a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi])


def _div(a, b):
    if b.lo <= 0 <= b.hi:
        raise LedgerError("division by an interval that contains zero")
    return _mul(a, Interval(1 / b.hi, 1 / b.lo))


def _pow(a, b):
    if a.lo <= 0:
        if b.lo == b.hi and float(b.lo).is_integer() and b.lo >= 0:
            n = int(b.lo)
            ends = [a.lo ** n, a.hi ** n]
            if n % 2 == 0 and a.lo <= 0 <= a.hi:
                ends.append(0.0)
            return _iv(ends)
        raise LedgerError("a power of an interval that reaches zero or below")
    # x ** y is monotone in x (for a fixed y) and in y (for a fixed x > 0), so
    # its extremes over a box are at the corners.
    return _iv([a.lo ** b.lo, a.lo ** b.hi, a.hi ** b.lo, a.hi ** b.hi])


_IV_OPS = {ast.Add: _add, ast.Sub: _sub, ast.Mult: _mul, ast.Div: _div, ast.Pow: _pow}


def _neg(a):
    return Interval(-a.hi, -a.lo)


def _abs(a):
    if a.lo >= 0:
        return a
    if a.hi <= 0:
        return _neg(a)
    return Interval(0.0, max(-a.lo, a.hi))


def _round(a, nd=None):
    # round() is non-decreasing, so the ends map to the ends
    digits = None if nd is None else int(nd.lo)
    return Interval(round(a.lo, digits), round(a.hi, digits))


def _min(*args):
    return Interval(min(a.lo for a in args), min(a.hi for a in args))


def _max(*args):
    return Interval(max(a.lo for a in args), max(a.hi for a in args))


# min and max serve 'more than N a year' (the smallest year must exceed N).
_IV_FUNCS = {"abs": _abs, "round": _round, "min": _min, "max": _max}
# count('巴西、日本、…') counts the items of a list quoted from the report.
FUNCTIONS = frozenset(_IV_FUNCS) | {"count"}


def list_items(text: str) -> list[str]:
    """The items of a list as the report prints it, separated by the
    enumeration comma 、 (a final 和 or 及 is not a separator: items such as
    个人文化和娱乐服务 contain it)."""
    return [item for item in text.split("、") if item.strip()]


def interval_eval(formula: str | ast.AST, box: dict[str, Interval]) -> Interval:
    """The range of `formula` when each row id lies anywhere in its interval,
    by interval arithmetic: an enclosure (exact when each input appears once,
    wider, never narrower, when one appears twice)."""
    tree = ast.parse(formula, mode="eval") if isinstance(formula, str) else formula
    text = formula if isinstance(formula, str) else ast.unparse(formula)

    def ev(node) -> Interval:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return Interval.point(float(node.value))
        if isinstance(node, ast.Name):
            if node.id not in box:
                raise LedgerError(f"formula {text!r}: no row with row_id {node.id!r}")
            return box[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _IV_OPS:
            return _IV_OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return _neg(v) if isinstance(node.op, ast.USub) else v
        if (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "count"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str) and not node.keywords
        ):
            return Interval.point(float(len(list_items(node.args[0].value))))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _IV_FUNCS
            and not node.keywords
        ):
            return _IV_FUNCS[node.func.id](*[ev(a) for a in node.args])
        raise LedgerError(f"formula {text!r}: {type(node).__name__} is not allowed")

    return ev(tree)


def point_eval(formula: str | ast.AST, values: dict[str, float]) -> float:
    """The formula at the printed values: the interval evaluator on intervals
    of width zero (the same whitelist, so a check never passes one evaluator
    and fails the other)."""
    text = formula if isinstance(formula, str) else ast.unparse(formula)
    try:
        return interval_eval(formula, {n: Interval.point(float(v)) for n, v in values.items()}).lo
    except (ValueError, ZeroDivisionError, OverflowError, TypeError) as exc:
        raise LedgerError(f"formula {text!r}: {exc}") from None
