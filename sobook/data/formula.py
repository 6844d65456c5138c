"""Derived rows' formulas: a small evaluator, bounded in what it accepts and
in what it can cost.

A formula is arithmetic over other rows' ``row_id`` values: numbers, ``+ - *
/``, ``**`` with a small exponent, parentheses, unary minus, ``abs`` and
``round``. Nothing is ever passed to ``eval``. Everything is computed in
floats, so a power cannot grow without bound the way Python's integers do
(``9 ** 9 ** 9`` would run for hours): exponents are limited to
:data:`MAX_EXPONENT` and an overflow is an error, as is a formula longer than
:data:`MAX_LENGTH` characters or :data:`MAX_NODES` parts.
"""

from __future__ import annotations

import ast
import math
import operator

from sobook.data.rules import shown

MAX_LENGTH = 500
MAX_NODES = 200
MAX_EXPONENT = 64

_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_FUNCS = {"round": round, "abs": abs}


class FormulaError(ValueError):
    """A formula that is not allowed or cannot be computed."""


def parse(formula: str) -> ast.Expression:
    """The formula's syntax tree, refused if it is too long or too big."""
    if len(formula) > MAX_LENGTH:
        raise FormulaError(f"formula is {len(formula)} characters long; at most {MAX_LENGTH} are allowed")
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"formula {shown(formula, 60)} is not arithmetic ({exc.msg})") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise FormulaError(f"formula has more than {MAX_NODES} parts")
    return tree


def formula_names(formula: str) -> list[str]:
    """The row ids a formula refers to, in order of appearance."""
    return [n.id for n in ast.walk(parse(formula)) if isinstance(n, ast.Name) and n.id not in _FUNCS]


def evaluate(formula: str, values: dict[str, float]) -> float:
    """The formula's value over `values` (row id -> number). Raises KeyError
    for an unknown row id, FormulaError for anything else that is wrong."""

    def ev(node) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise KeyError(f"formula {shown(formula, 60)}: no row with row_id {node.id!r}")
            v = values[node.id]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                raise FormulaError(f"formula {shown(formula, 60)}: row {node.id!r} has no value")
            return float(v)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
                raise FormulaError(f"formula {shown(formula, 60)}: an exponent of {right:g} is beyond {MAX_EXPONENT}")
            try:
                out = _OPS[type(node.op)](left, right)
            except ZeroDivisionError:
                raise FormulaError(f"formula {shown(formula, 60)}: division by zero") from None
            except OverflowError:
                raise FormulaError(f"formula {shown(formula, 60)}: the result is too large") from None
            if isinstance(out, complex) or not math.isfinite(out):
                raise FormulaError(f"formula {shown(formula, 60)}: the result is not a finite real number")
            return out
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS
                and not node.keywords and 1 <= len(node.args) <= 2):
            args = [ev(a) for a in node.args]
            if node.func.id == "round" and len(args) == 2:
                args[1] = int(args[1])
            return float(_FUNCS[node.func.id](*args))
        raise FormulaError(f"formula {shown(formula, 60)}: {shown(ast.unparse(node), 40)} is not allowed "
                           "(only numbers, row ids, + - * / **, abs and round)")

    return ev(parse(formula))


def decimals(raw: str) -> int:
    """Digits after the decimal point as printed ("88.65" -> 2, "34281" -> 0)."""
    raw = raw.strip()
    return len(raw.split(".", 1)[1]) if "." in raw else 0


def matches_printed(computed: float, raw: str) -> bool:
    """Is `computed` equal to the printed value `raw` within its precision
    (half a unit in the last printed digit)?"""
    tol = 0.5 * 10 ** (-decimals(raw)) + 1e-9
    return abs(computed - float(raw)) <= tol
