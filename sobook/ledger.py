"""The claims ledger: the report's arithmetic, re-done from its own figures.

    from sobook import ledger
    df = ledger.compute()              # one row per claim (check) of data/claims.csv
    ledger.summary(df)                 # counts by section: checks, and statements each counted once
    ledger.coverage(df)                # checks by kind (KIND_RULES: one rule per kind)
    ledger.verdicts_table()            # the verdicts for the data download, with verdicts_resource()

Every row of ``data/claims.csv`` is a quantitative statement of the report (its
stated value quoted from the cleaned original, like any report row of the data
package) with ``check_formula``, an expression over the package's ``row_id``
values that should give the same number: a total from its parts, a share, an
average annual growth over the right number of years, and so on.

The tolerance rule (stated in plain words on the ledger page):

* every printed number stands for an interval, half a unit of its last printed
  digit either side (7110.6亿美元 is 7110.55 to 7110.65; 1.2亿美元 is 1.15 to
  1.25). A whole number ending in zeros (900, 1,700, 2万亿) may have been rounded
  to its last non-zero digit, so 900 is read as 850 to 950: the most generous
  reading;
* **consistent**: the formula evaluated on the printed inputs rounds to the
  stated value at the precision it is printed with;
* **consistent within rounding**: not exactly, but the range the formula takes
  over all the inputs' intervals (computed by interval arithmetic, which can
  only make it wider) overlaps the stated value's interval;
* **inconsistent**: no overlap even so;
* **not checkable**: no formula (the note says which figure is missing).

A statement the report makes once may be checked in two ways (two rows of
claims.csv): the summary counts it once, with the verdict of its worse check.

Hedged statements: "more than X" holds when the recomputed value exceeds X (within
rounding when the upper end of its range does); "about X" and "nearly X" are
read like X itself, with the whole-number rule above.

Inputs that are derived rows of the package are replaced by their own formulas,
so every recomputation starts from printed (report or release) figures. Formulas
are parsed with :mod:`ast` and only numbers, row ids, ``+ - * / **``, unary
minus and ``abs``/``round`` are allowed: nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from sobook import data

RESOURCE = "claims"
VERDICTS = ("consistent", "consistent within rounding", "inconsistent", "not checkable")
SECTIONS = ("report", "comparison")

# One rule per kind of check, applied to every statement of that kind (the
# ledger page shows this table; data/claims.csv's field 'kind' names them).
KIND_RULES = {
    "sum": "A total against its parts, or the shares of one whole against 100%: the parts must add up to the whole.",
    "share": "A share against the two figures it is a share of: the part over the whole must give it.",
    "cagr": "Average annual growth against its end points: (end ÷ start) to the power 1/years, less 1, over the "
            "years from the base year to the end year.",
    "yoy": "Growth on the year before against the two years' values.",
    "multiple": "A 倍 multiple (an increase by X times) against the average growth printed beside it: "
                "(1 + X) to the power 1/years, less 1.",
    "pp_gap": "A difference in percentage points against the two rates it is the difference of.",
    "cumulative": "A sum over years against the yearly values it adds up.",
    "stock_flow": "A stock's growth since a base year against the flows into it: the stock at the end less what was "
                  "added over the period must be the base stock the stated growth implies (nothing leaving).",
    "more_than": "'More than N' (or 'more than N a year') as stated: the value it speaks of, or every yearly value "
                 "(their smallest), must exceed N.",
    "average": "An average per year or per city against its total and the number it is divided by.",
    "implied_base": "Growth or a change against a base year that no figure gives: the statement cannot be checked.",
    "comparison": "The report's figure against the same quantity in a public release or a later source.",
}
KINDS = tuple(KIND_RULES)


class LedgerError(Exception):
    """A claim that cannot be evaluated as written (unknown row, bad formula)."""


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
    def point(cls, x: float) -> "Interval":
        return cls(x, x)

    def __contains__(self, x: float) -> bool:
        return self.lo <= x <= self.hi

    def overlaps(self, other: "Interval") -> bool:
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


def readable(quote: str) -> str:
    """A quote as the house unit reader (sobook.data.quotes) reads it: 個 and
    點 in their simplified forms (1.2個百分點), and a unit shared by a list
    given to each number ("2323.7亿、2019.8亿和1499.6亿元" -> "2323.7亿元、
    2019.8亿元和1499.6亿元"). The stored quote stays verbatim; this is only
    how it is read. (These two readings belong in sobook.data.quotes.)"""
    text = quote.translate(_TRADITIONAL)
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
                r.get("formula") or "", quote, prec,
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
        if isinstance(n, ast.Name) and n.id not in _IV_FUNCS and n.id not in seen:
            seen.append(n.id)
    return seen


def input_interval(row: Row) -> Interval:
    """The interval a printed input stands for, at the most generous reading."""
    if row.qualifier == "more than":
        raise LedgerError(f"input {row.row_id} is only a lower bound ('more than {row.value:g}')")
    if row.precision is None:
        raise LedgerError(f"input {row.row_id}: its value is not found in its quote, so its precision is unknown")
    half = float(row.precision.generous) / 2
    return Interval(row.value - half, row.value + half)


# --------------------------------------------------------------------------
# one claim


@dataclass
class Result:
    recomputed: float | None
    range: Interval | None
    stated_range: Interval | None
    verdict: str
    why: str
    inputs: tuple[str, ...] = ()


def judge(stated: float, qualifier: str, step: float, generous: float,
          recomputed: float, rng: Interval) -> tuple[str, Interval]:
    """The verdict rules, on numbers: `step` is one unit of the stated value's
    last printed digit, `generous` the same at the most generous reading."""
    tiny = 1e-9 * max(1.0, abs(stated))
    if qualifier == "more than":
        stated_range = Interval(stated, math.inf)
        if recomputed > stated - tiny:
            return "consistent", stated_range
        return ("consistent within rounding" if rng.hi > stated - tiny else "inconsistent"), stated_range
    half = generous / 2
    stated_range = Interval(stated - half, stated + half)
    if abs(recomputed - stated) <= step / 2 + tiny:
        return "consistent", stated_range
    wide = Interval(stated_range.lo - tiny, stated_range.hi + tiny)
    return ("consistent within rounding" if rng.overlaps(wide) else "inconsistent"), stated_range


def check(claim: dict, rows: dict[str, Row]) -> Result:
    """Evaluate one claim (a dict with value, unit, qualifier, source_quote,
    check_formula, source_note) against the package's rows."""
    formula = (claim.get("check_formula") or "").strip()
    if not formula:
        return Result(None, None, None, "not checkable", claim.get("source_note") or "")
    prec = precision(claim["value"], claim["unit"], claim["source_quote"])
    if prec is None:
        raise LedgerError(f"claim {claim.get('claim_id')}: its value is not in its quote")
    tree = expand(formula, rows)
    names = inputs(tree)
    missing = [n for n in names if n not in rows]
    if missing:
        raise LedgerError(f"claim {claim.get('claim_id')}: formula {formula!r}: no row with row_id {missing[0]!r}")
    x = point_eval(tree, {n: rows[n].value for n in names})
    rng = interval_eval(tree, {n: input_interval(rows[n]) for n in names})
    verdict, stated_range = judge(
        float(claim["value"]), claim.get("qualifier") or "", float(prec.step), float(prec.generous), x, rng
    )
    return Result(x, rng, stated_range, verdict, "", tuple(names))


# --------------------------------------------------------------------------
# the whole ledger


def claims(data_dir=None) -> pd.DataFrame:
    """data/claims.csv, validated like every resource of the package."""
    return data.load(RESOURCE, data_dir)


def compute(data_dir=None) -> pd.DataFrame:
    """The ledger: every claim with its recomputed value, the difference, the
    ranges and the verdict."""
    rows = package_rows(data_dir)
    df = claims(data_dir).copy()
    out = []
    for claim in df.to_dict("records"):
        try:
            res = check(claim, rows)
        except LedgerError as exc:
            raise LedgerError(f"claim {claim['claim_id']}: {exc}") from None
        prec = precision(claim["value"], claim["unit"], claim["source_quote"])
        out.append({
            "recomputed": res.recomputed,
            "difference": None if res.recomputed is None else res.recomputed - claim["value"],
            "recomputed_lo": None if res.range is None else res.range.lo,
            "recomputed_hi": None if res.range is None else res.range.hi,
            "stated_lo": None if res.stated_range is None else res.stated_range.lo,
            "stated_hi": None if res.stated_range is None else res.stated_range.hi,
            "stated_printed": prec.printed if prec else "",
            "inputs": "; ".join(f"{n} = {_plain(rows[n].value)}" for n in res.inputs),
            "verdict": res.verdict,
        })
    extra = pd.DataFrame(out, index=df.index)
    for col in ("recomputed", "difference", "recomputed_lo", "recomputed_hi", "stated_lo", "stated_hi"):
        extra[col] = extra[col].astype("float64")
    out_df = pd.concat([df, extra], axis=1)
    out_df["statement"] = out_df.apply(statement_key, axis=1)
    out_df["statement_verdict"] = statement_verdicts(out_df)
    return out_df


def statement_key(claim) -> str:
    """What makes two rows one statement of the report: the same paragraph,
    period, measure, unit, hedge and stated value (C040 and C041 check the
    eastern region's 70.5% in two ways: one statement, two checks)."""
    value = f"{float(claim['value']):.10g}"
    return "|".join([claim["section"], claim["source_block_id"], str(claim["period"]), claim["measure"],
                     claim["unit"], claim.get("qualifier") or "", value])


_WORST = {"inconsistent": 0, "consistent within rounding": 1, "consistent": 2}


def statement_verdicts(ledger: pd.DataFrame) -> pd.Series:
    """Each row's statement's verdict: its worst check (one inconsistent
    check makes the statement inconsistent); 'not checkable' only when no
    check of it can be made."""
    def worst(verdicts):
        checked = [v for v in verdicts if v != "not checkable"]
        return min(checked, key=_WORST.get) if checked else "not checkable"

    keys = ledger.apply(statement_key, axis=1)
    by_key = ledger.groupby(keys)["verdict"].agg(lambda v: worst(list(v)))
    return keys.map(by_key)


def summary(ledger: pd.DataFrame) -> dict:
    """Counts for the ledger page, per section: the checks (rows: 'claims',
    'checked' and each verdict) and the statements they check, each counted
    once ('statements', 'statements_checked', 'statements_hold' and
    'statements_<verdict>'), a statement taking its worst check's verdict."""
    out = {}
    verdicts = statement_verdicts(ledger) if len(ledger) else pd.Series(dtype=object)
    keys = ledger.apply(statement_key, axis=1) if len(ledger) else pd.Series(dtype=object)
    for section in SECTIONS:
        mask = ledger["section"] == section
        part = ledger[mask]
        counts = {v: int((part["verdict"] == v).sum()) for v in VERDICTS}
        first = ~keys[mask].duplicated()
        stmt = verdicts[mask][first]
        scounts = {v: int((stmt == v).sum()) for v in VERDICTS}
        out[section] = {
            "claims": int(len(part)),
            "checked": int(len(part) - counts["not checkable"]),
            "hold": counts["consistent"] + counts["consistent within rounding"],
            **counts,
            "statements": int(len(stmt)),
            "statements_checked": int(len(stmt) - scounts["not checkable"]),
            "statements_hold": scounts["consistent"] + scounts["consistent within rounding"],
            **{f"statements_{v}": n for v, n in scounts.items()},
        }
    return out


def coverage(ledger: pd.DataFrame) -> pd.DataFrame:
    """The checks by kind: how many rows, how many checked, and each verdict
    (one row per kind, in the order of KIND_RULES, with its rule)."""
    rows = []
    for kind, rule in KIND_RULES.items():
        part = ledger[ledger["kind"] == kind]
        counts = {v: int((part["verdict"] == v).sum()) for v in VERDICTS}
        rows.append({"kind": kind, "rule": rule, "checks": int(len(part)),
                     "checked": int(len(part) - counts["not checkable"]), **counts})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------
# numbers as a reader sees them

_PCT_UNITS = ("% of total", "% change", "% per year")
_COUNT_UNITS = {"enterprises", "certifications", "cities", "count", "rank"}


def display_decimals(claim_decimals: int, unit: str) -> int:
    """More digits than the stated value shows, so that a difference in its
    last digit is visible: two more for percentages (34.1 -> 34.155), one more
    for amounts and counts (59.8 -> 65.27; 5000 -> 5,269.4)."""
    extra = 2 if unit in _PCT_UNITS or unit == "percentage points" else 1
    return max(claim_decimals + extra, 0)


def fmt(value: float, unit: str, decimals: int) -> str:
    """A number with its unit, as the English edition writes it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if math.isinf(value):
        return "∞"
    num = f"{value:,.{max(decimals, 0)}f}"
    if num.startswith("-"):
        num = "−" + num[1:]
    if unit in _PCT_UNITS:
        return f"{num}%"
    if unit == "percentage points":
        return f"{num} percentage points"
    if unit.startswith("US$ "):
        return f"US${num} {unit[4:]}"
    if unit.startswith("RMB "):
        return f"RMB {num} {unit[4:]}"
    if unit == "times (increase by)":
        return f"{num} times (increase)"
    if unit == "million persons":
        return f"{num} million"
    if unit == "registrations per 10,000 people":
        return f"{num} per 10,000 people"
    return num


def _shown_decimals(value: float, printed_decimals: int, unit: str) -> int:
    """display_decimals, plus more where the shorter form would sit on the
    stated precision's rounding boundary and hide which way the value rounds
    (10.349973 shown as 10.350 would seem to round up to 10.4)."""
    dec = display_decimals(printed_decimals, unit)
    if value is None or math.isnan(value) or math.isinf(value):
        return dec
    from decimal import ROUND_HALF_UP

    quantum = Decimal(1).scaleb(-printed_decimals)
    true_side = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    for extra in range(0, 6):
        shown = Decimal(f"{value:.{max(dec + extra, 0)}f}")
        if shown.quantize(quantum, rounding=ROUND_HALF_UP) == true_side:
            return dec + extra
    return dec + 6


def _trimmed_decimals(value: float, decimals: int, keep: int) -> int:
    """Drop trailing zeros from the extra digits (70.000 -> 70.0 when the
    report prints one decimal), never below `keep`."""
    text = f"{value:.{max(decimals, 0)}f}"
    while decimals > max(keep, 0) and text.endswith("0"):
        text, decimals = text[:-1], decimals - 1
    return decimals


def recomputed_text(row) -> str:
    """The recomputed value of a ledger row, formatted for prose."""
    keep = int(row["printed_decimals"])
    dec = _shown_decimals(row["recomputed"], keep, row["unit"])
    return fmt(row["recomputed"], row["unit"], _trimmed_decimals(row["recomputed"], dec, keep))


def _plain(x: float) -> str:
    return f"{x:.10g}"


def anchor(claim_id: str) -> str:
    """The HTML id (and Sphinx label) of a claim's row on the ledger page."""
    return f"claim-{claim_id.lower()}"



# --------------------------------------------------------------------------
# the ledger page

ASSETS = ("sobook-ledger.css", "sobook-ledger.js")
_VERDICT_SLUG = {
    "consistent": "consistent",
    "consistent within rounding": "within-rounding",
    "inconsistent": "inconsistent",
    "not checkable": "not-checkable",
}
_GLUE_KEYS = {
    "claims": "claims", "checked": "checked", "hold": "hold", "consistent": "consistent",
    "consistent within rounding": "within", "inconsistent": "inconsistent", "not checkable": "not-checkable",
    "statements": "statements", "statements_checked": "statements-checked", "statements_hold": "statements-hold",
    "statements_consistent": "statements-consistent", "statements_consistent within rounding": "statements-within",
    "statements_inconsistent": "statements-inconsistent", "statements_not checkable": "statements-not-checkable",
}


def block_pages(chapters_dir=None) -> dict[str, str]:
    """The chapter page whose English translates each block of the original
    ({'s1.2-p1': 'achievements', ...}), read from the {original} toggles of
    the chapter notebooks: links go to the English paragraph (#s1.2-p1), not
    to the Chinese toggle."""
    import json

    from sobook.paths import CHAPTERS_DIR

    where = {}
    for nb in sorted((chapters_dir or CHAPTERS_DIR).glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "markdown":
                for m in re.finditer(r"```\{original\}([^\n]*)", "".join(cell["source"])):
                    for block in m.group(1).split():
                        where.setdefault(block, nb.stem)
    return where


def paragraph_link(block: str, pages: dict[str, str]) -> str:
    """The block id as a link to its English paragraph (HTML, escaped)."""
    if block in pages:
        return f'<a href="{_e(pages[block])}.html#{_e(block)}">{_e(block)}</a>'
    return _e(block)


def stated_text(row) -> str:
    """The stated value as the report hedges it ("more than 5,000")."""
    text = fmt(row["value"], row["unit"], int(row["printed_decimals"]))
    q = row.get("qualifier") or ""
    return f"{q} {text}" if q else text


def difference_text(row) -> str:
    d = row["difference"]
    if d is None or (isinstance(d, float) and math.isnan(d)):
        return ""
    dec = _shown_decimals(row["recomputed"], int(row["printed_decimals"]), row["unit"])
    if round(d, max(dec, 0)) == 0:
        return "0"
    dec = _trimmed_decimals(abs(d), dec, int(row["printed_decimals"]))
    text = f"{abs(d):,.{max(dec, 0)}f}"
    return ("+" if d > 0 else "−") + text


def range_text(row) -> str:
    """Both intervals in words, for the 'how' column."""
    if row["verdict"] == "not checkable":
        return ""
    dec = display_decimals(int(row["printed_decimals"]), row["unit"])
    lo, hi = fmt(row["recomputed_lo"], row["unit"], dec), fmt(row["recomputed_hi"], row["unit"], dec)
    if math.isinf(row["stated_hi"]):
        stated = f"above {fmt(row['stated_lo'], row['unit'], int(row['printed_decimals']))}"
    else:
        sd = max(int(row["printed_decimals"]) + 1, 0)
        stated = f"{fmt(row['stated_lo'], row['unit'], sd)} to {fmt(row['stated_hi'], row['unit'], sd)}"
    return f"Recomputed range {lo} to {hi}; stated value read as {stated}."


def glue_summary(ledger_df: pd.DataFrame) -> dict:
    """Glue the page's summary counts as ledger-<section>-<count> (e.g.
    ledger-report-inconsistent) and return them."""
    from myst_nb import glue

    counts = summary(ledger_df)
    for section, c in counts.items():
        for key, name in _GLUE_KEYS.items():
            glue(f"ledger-{section}-{name}", c[key], display=True)
    return counts


def _e(text) -> str:
    """CSV text for an HTML context: escaped, on one line."""
    import html

    return html.escape(" ".join(str(text if text is not None else "").split()), quote=True)


def _num_attr(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:.12g}"


def table_markdown(ledger_df: pd.DataFrame, section: str, assets: bool = False,
                   static: str = "../_static") -> str:
    """One section of the ledger as MyST Markdown: an HTML table whose first
    cell in each row holds a MyST target, so that each row has a Sphinx label
    (claim-c026) that notes elsewhere in the book can link to, and the strict
    build checks those links. Every text from the CSV is HTML-escaped."""
    part = ledger_df[ledger_df["section"] == section]
    pages = block_pages()
    out = []
    head = ""
    if assets:
        css, js = ASSETS
        head = (f'<link rel="stylesheet" href="{static}/{css}">'
                f'<script src="{static}/{js}" defer></script>')
    report = section == "report"
    cols = [("Claim", "text"), ("Paragraph", "num"), ("Statement and check", "text"), ("Kind", "text"),
            ("Stated" if report else "Report", "num"), ("Recomputed" if report else "Other source", "num"),
            ("Difference", "num"), ("Verdict", "num")]
    ths = "".join(f'<th scope="col" data-type="{t}">{_e(n)}</th>' for n, t in cols)
    caption = ("The report's arithmetic" if section == "report"
               else "The report against later and outside sources") + f" ({len(part)} rows)"
    first = (f'<div class="so-ledger" data-section="{_e(section)}">{head}'
             f'<div class="so-ledger-scroll"><table class="so-ledger-table">'
             f'<caption>{_e(caption)}</caption><thead><tr>{ths}</tr></thead><tbody>')
    pending = first
    order = {v: i for i, v in enumerate(VERDICTS)}
    for i, row in enumerate(part.to_dict("records")):
        slug = _VERDICT_SLUG[row["verdict"]]
        recomputed = "" if row["verdict"] == "not checkable" else recomputed_text(row)
        how = []
        if row["check_formula"]:
            how.append(f'<code class="so-l-formula">{_e(row["check_formula"])}</code>')
        if row["inputs"]:
            how.append(f'<span class="so-l-inputs">Inputs: {_e(row["inputs"])}.</span>')
        if row["source_note"]:
            how.append(f'<span class="so-l-note">{_e(row["source_note"])}</span>')
        rng = range_text(row)
        if rng:
            how.append(f'<span class="so-l-range">{_e(rng)}</span>')
        pending += (f'\n<tr class="so-v-{slug}" data-verdict="{slug}" data-kind="{_e(row["kind"])}">'
                    f'<td class="so-l-id" data-v="{i}">')
        out.append(pending)
        # the MyST target: becomes the id of the paragraph inside the cell
        out.append(f"({anchor(row['claim_id'])})=\n{_e(row['claim_id'])}")
        summary_label = "How it is checked" if report else "Source and check"
        if row["verdict"] == "not checkable":
            summary_label = "Why not"
        opened = " open" if row["verdict"] == "inconsistent" else ""
        pending = (f'</td><td data-v="{i}">{paragraph_link(row["source_block_id"], pages)}</td>'
                   f'<td class="so-l-statement">{_e(row["statement_en"])}'
                   f'<details class="so-l-how"{opened}><summary>{summary_label}</summary>{" ".join(how)}</details></td>'
                   f'<td>{_e(row["kind"].replace("_", " "))}</td>'
                   f'<td class="so-num" data-v="{_num_attr(row["value"])}">{_e(stated_text(row))}</td>'
                   f'<td class="so-num" data-v="{_num_attr(row["recomputed"])}">{_e(recomputed)}</td>'
                   f'<td class="so-num" data-v="{_num_attr(row["difference"])}">{_e(difference_text(row))}</td>'
                   f'<td data-v="{order[row["verdict"]]}"><span class="so-verdict">{_e(row["verdict"])}</span></td></tr>')
    pending += "\n</tbody></table></div></div>"
    out.append(pending)
    return "\n\n".join(out) + "\n"


def inconsistencies_html(ledger_df: pd.DataFrame) -> str:
    """The statements that do not hold, each once, linking to its rows (a
    statement checked two ways that fails both is one item with two links)."""
    bad = ledger_df[ledger_df["statement_verdict"] == "inconsistent"]
    if bad.empty:
        return '<p class="so-ledger-none">No statement is inconsistent.</p>'
    pages = block_pages()
    items = []
    for _, rows in bad.groupby("statement", sort=False):
        failed = rows[rows["verdict"] == "inconsistent"]
        row = failed.iloc[0]
        links = ", ".join(f'<a href="#{anchor(c)}">{_e(c)}</a>' for c in failed["claim_id"])
        recomputed = "; ".join(recomputed_text(r) for r in failed.to_dict("records"))
        items.append(
            f'<li>{links} '
            f'<span class="so-l-block">({paragraph_link(row["source_block_id"], pages)}'
            f'{", comparison" if row["section"] == "comparison" else ""})</span> '
            f'{_e(row["statement_en"])} Stated: {_e(stated_text(row))}; recomputed: {_e(recomputed)}.</li>'
        )
    return '<ul class="so-ledger-list">' + "".join(items) + "</ul>"


def coverage_html(ledger_df: pd.DataFrame) -> str:
    """The checks by kind as an HTML table, each kind with its rule."""
    cov = coverage(ledger_df)
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in
                   ("Kind", "Rule", "Rows", "Checked", "Consistent", "Within rounding", "Inconsistent", "Not checkable"))
    body = "".join(
        f'<tr><th scope="row">{_e(r["kind"].replace("_", " "))}</th><td>{_e(r["rule"])}</td>'
        f'<td class="so-num">{r["checks"]}</td><td class="so-num">{r["checked"]}</td>'
        f'<td class="so-num">{r["consistent"]}</td><td class="so-num">{r["consistent within rounding"]}</td>'
        f'<td class="so-num">{r["inconsistent"]}</td><td class="so-num">{r["not checkable"]}</td></tr>'
        for r in cov.to_dict("records"))
    total = cov[["checks", "checked", "consistent", "consistent within rounding", "inconsistent", "not checkable"]].sum()
    foot = ('<tr><th scope="row">All</th><td></td>'
            + "".join(f'<td class="so-num">{int(total[c])}</td>' for c in
                      ("checks", "checked", "consistent", "consistent within rounding", "inconsistent", "not checkable"))
            + "</tr>")
    return (f'<div class="so-ledger-wide" tabindex="0" role="region" aria-label="The checks by kind">'
            f'<table class="so-ledger-coverage"><caption>The checks by kind, both '
            f'sections</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody><tfoot>{foot}</tfoot></table></div>')


def show(markdown: str):
    """A Markdown object for a notebook cell whose output MyST-NB renders as
    MyST (the cell's metadata says mystnb.markdown_format: myst)."""
    from IPython.display import Markdown

    return Markdown(markdown)


# --------------------------------------------------------------------------
# the verdicts in the data download (written by the build, so always current)

DOWNLOAD_NAME = "claims_verdicts"

_DOWNLOAD_FIELDS = [
    # name, type, title, description (numbers carry their unit per row)
    ("claim_id", "string", "Claim id", "The claim's id in data/claims.csv (C001 ...); the ledger page's row has the "
     "anchor claim-c001."),
    ("claim_row_id", "string", "Claim row id", "The claim's row_id in data/claims.csv (claim_c001)."),
    ("section", "string", "Ledger section", "report = the report's arithmetic, checked against its own figures; "
     "comparison = the report's figure against the same quantity in a release or a later source."),
    ("kind", "string", "Kind of check", "The kind of relation checked; the rule for each kind is in field "
     "'kind_rule'."),
    ("kind_rule", "string", "Rule of the kind", "The one rule applied to every check of this kind."),
    ("paragraph", "string", "Paragraph of the report (block id)", "The block of the report that makes the "
     "statement: the id of its English paragraph in the book and of the Chinese in data/source/original.json."),
    ("statement_en", "string", "Statement (English)", "The statement in the edition's English, shortened ('…'); "
     "words in square brackets say which figure is checked."),
    ("period", "string", "Period", "The period the stated value refers to."),
    ("stated_value", "number", "Stated value", "The value the report states, in the unit of field 'unit'."),
    ("unit", "string", "Unit", "Unit of stated_value and of every recomputed value in the row."),
    ("qualifier", "string", "Qualifier", "How the report hedges the stated value: 'about', 'more than', 'nearly', "
     "or empty."),
    ("stated_as_printed", "string", "Stated value as printed", "The number as the report prints it, in its own "
     "unit (7110.6 for 7110.6亿美元), which gives its precision."),
    ("stated_range_low", "number", "Stated value: low end", "The lowest value the printed figure can stand for "
     "(half a unit of its last digit below it; for 'more than N', N)."),
    ("stated_range_high", "number", "Stated value: high end", "The highest value the printed figure can stand for; "
     "empty for 'more than N' (no upper end)."),
    ("check_formula", "string", "Check formula", "The arithmetic over the data package's row ids that should give "
     "the stated value; empty when the statement cannot be checked."),
    ("inputs", "string", "Inputs", "The printed figures the formula reads, with their values ('row_id = value')."),
    ("recomputed_value", "number", "Recomputed value", "The formula evaluated on the figures exactly as printed."),
    ("recomputed_range_low", "number", "Recomputed: low end", "The lowest value the formula takes when each input "
     "lies anywhere within its own rounding (interval arithmetic)."),
    ("recomputed_range_high", "number", "Recomputed: high end", "The highest such value."),
    ("difference", "number", "Difference", "recomputed_value minus stated_value."),
    ("verdict", "string", "Verdict", "consistent = the recomputed value rounds to the stated one; consistent "
     "within rounding = not exactly, but the two ranges meet; inconsistent = they do not; not checkable = a figure "
     "the check needs is not given (see 'note')."),
    ("statement_verdict", "string", "Verdict on the statement", "The statement's verdict over all its checks (one "
     "statement may be checked in two ways): its worst check's verdict. Count statements by this field, once each "
     "(field 'statement')."),
    ("statement", "string", "Statement key", "What makes rows one statement: section, paragraph, period, measure, "
     "unit, qualifier and stated value."),
    ("note", "string", "Note", "What the check assumes or where its inputs come from; for a statement that cannot "
     "be checked, why."),
]


def verdicts_table(data_dir=None) -> pd.DataFrame:
    """The ledger's verdicts as a tidy table, one row per check (the
    download's 'claims_verdicts.csv'): computed from the data, never stored
    by hand."""
    df = compute(data_dir)

    def num(x):
        return None if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))) else float(f"{x:.12g}")

    rows = []
    for r in df.to_dict("records"):
        rows.append({
            "claim_id": r["claim_id"], "claim_row_id": r["row_id"], "section": r["section"], "kind": r["kind"],
            "kind_rule": KIND_RULES[r["kind"]], "paragraph": r["source_block_id"], "statement_en": r["statement_en"],
            "period": r["period"], "stated_value": num(r["value"]), "unit": r["unit"],
            "qualifier": r.get("qualifier") or "", "stated_as_printed": r["stated_printed"],
            "stated_range_low": num(r["stated_lo"]), "stated_range_high": num(r["stated_hi"]),
            "check_formula": r["check_formula"] or "", "inputs": r["inputs"] or "",
            "recomputed_value": num(r["recomputed"]), "recomputed_range_low": num(r["recomputed_lo"]),
            "recomputed_range_high": num(r["recomputed_hi"]), "difference": num(r["difference"]),
            "verdict": r["verdict"], "statement_verdict": r["statement_verdict"], "statement": r["statement"],
            "note": r["source_note"] or "",
        })
    out = pd.DataFrame(rows, columns=[f[0] for f in _DOWNLOAD_FIELDS])
    for name, typ, *_ in _DOWNLOAD_FIELDS:
        if typ == "number":
            out[name] = out[name].astype("float64")
    return out


def verdicts_resource(data_dir=None) -> dict:
    """The Frictionless descriptor of verdicts_table() as 'claims_verdicts.csv',
    with field titles, descriptions and units, the licence and sources of the
    claims resource it is computed from."""
    claims_res = next(r for r in data.descriptor(data_dir)["resources"] if r["name"] == RESOURCE)
    unit_enum = next(f for f in claims_res["schema"]["fields"] if f["name"] == "unit")["constraints"]["enum"]
    enums = {"section": list(SECTIONS), "kind": list(KIND_RULES), "verdict": list(VERDICTS),
             "statement_verdict": list(VERDICTS), "unit": unit_enum,
             "qualifier": ["about", "more than", "nearly"]}
    fields = []
    for name, typ, title, desc in _DOWNLOAD_FIELDS:
        f = {"name": name, "title": title, "type": typ, "description": desc}
        if typ == "number":
            f["unit"] = "per row, in field 'unit'"
        if name in enums:
            f["constraints"] = {"enum": enums[name]}
        if name in ("claim_id", "claim_row_id", "section", "kind", "verdict", "statement_verdict", "unit"):
            f.setdefault("constraints", {})["required"] = True
        fields.append(f)
    return {
        "name": DOWNLOAD_NAME,
        "path": f"{DOWNLOAD_NAME}.csv",
        "profile": "tabular-data-resource",
        "title": "The claims ledger's verdicts: every check of the report's arithmetic, recomputed",
        "description": "One row per check of data/claims.csv: the stated value and the range it stands for, the "
                       "formula, its inputs, the recomputed value and its range (interval arithmetic over the "
                       "inputs' printed precision), the verdict, and the verdict on the statement (a statement "
                       "checked two ways counts once: field 'statement'). Computed by sobook/ledger.py from the "
                       "data package when the book is built, so it always matches the data; the rule of each kind "
                       "of check is in field 'kind_rule'.",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "licenses": claims_res.get("licenses", []),
        "sources": claims_res.get("sources", []),
        "schema": {"fields": fields, "primaryKey": ["claim_id"], "missingValues": [""]},
    }
