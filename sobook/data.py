"""The edition's data package: load the CSVs in data/, refusing bad data.

    from sobook import data
    df = data.load("china_outsourcing_executed_value")
    everything = data.load_all()          # {resource name: DataFrame}

Every CSV is checked against data/datapackage.json before anything is
returned. A problem raises one exception, :class:`DataError`, whose message
names the file, the line (as a person counts lines in the CSV: the header is
line 1), the column and the rule that was broken.

Why the row checks are done here and not by ``frictionless``: measured on this
package (17 small CSVs, about 400 rows), ``import frictionless`` costs about
0.33 s and ``frictionless.validate`` on the package about 0.4 s more, i.e. some
0.7 s of a chapter's budget of well under 4 s, every time a chapter runs; and
frictionless knows nothing of the unit and provenance rules below, so these
checks would be needed anyway. They are driven by the same descriptor (types,
required, enum, minimum/maximum, pattern, unique, primaryKey) and take about
40 ms for the whole package. The test-suite runs ``frictionless.validate`` on
the package and on every resource as well, so the descriptor stays valid
Table Schema and the two agree.

Beyond Table Schema, the descriptor carries two custom properties that are
checked here:

* ``unit`` on every numeric field: either a unit from :data:`UNITS`, or
  ``"per row, in field 'unit'"`` when the unit is given row by row in a field
  whose ``constraints.enum`` lists the units allowed in that resource;
* ``unitConstraints`` on a numeric field: bounds that depend on the row's
  unit (a share is between 0 and 100, a percentage change is not).

And the provenance rules, for resources that have a ``provenance`` field:
report rows cite a block of the cleaned original and quote it, release rows
give an address and a quote, derived rows give a formula (and only they do).

This module also holds the two pieces of arithmetic the provenance tests and
the data build share: :func:`value_in_quote` (does a stored number appear in
the quoted Chinese or English text, after the house unit conversions?) and
:func:`evaluate` (re-compute a derived row's formula). :func:`readings` gives
the same conversions with each number as printed, hence its precision, which
the claims ledger (:mod:`sobook.ledger`) needs for its rounding intervals.
"""

from __future__ import annotations

import ast
import csv
import json
import math
import operator
import re
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pandas as pd

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = "datapackage.json"

# Every unit the package may use, with what it means. The converter below knows
# how each is written in the sources.
UNITS = {
    "US$ billion": "United States dollars, billions (亿美元 ÷ 10; 万亿美元 × 1000)",
    "US$ million": "United States dollars, millions (万美元 ÷ 100; 亿美元 × 100)",
    "RMB billion": "Chinese yuan, billions (亿元 ÷ 10)",
    "RMB trillion": "Chinese yuan, trillions (万亿元)",
    "% of total": "a share or a contribution rate, in percent (0-100)",
    "% change": "a change over the period named, in percent",
    "% per year": "an average annual rate of change, in percent",
    "percentage points": "a difference between two percentages",
    "times (increase by)": "the report's 倍: 'A 比 B 增长 X 倍' means A = (1 + X) × B",
    "times the base level": "A ÷ B, the level relative to the base year",
    "million persons": "persons, millions (万人 ÷ 100)",
    "enterprises": "number of enterprises (家)",
    "certifications": "number of certifications (个)",
    "cities": "number of cities (个)",
    "count": "a number of the things named in the row's measure",
    "registrations per 10,000 people": "software copyright registrations per 10,000 employees (件)",
    "rank": "a position in a ranking (位)",
    "decimal places": "digits after the decimal point as printed, in the row's unit (negative: rounded to tens, hundreds, ...)",
}

PER_ROW_UNIT = re.compile(r"^per row, in field '([A-Za-z_][A-Za-z0-9_]*)'$")

PROVENANCE_VALUES = ("report", "release", "derived")
STATUS_VALUES = ("reported", "derived", "estimate", "forecast")


class DataError(Exception):
    """Bad or missing data. The message names file, line, column and rule."""


# --------------------------------------------------------------------------
# the descriptor


def _data_dir(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR


def descriptor(data_dir=None) -> dict:
    """The parsed datapackage.json of a data directory."""
    path = _data_dir(data_dir) / DESCRIPTOR
    if not path.is_file():
        raise DataError(f"{path}: file is missing (the data package descriptor)")
    try:
        with open(path, encoding="utf-8") as f:
            desc = json.load(f)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(desc.get("resources"), list) or not desc["resources"]:
        raise DataError(f"{path}: the descriptor lists no resources")
    return desc


def resource_names(data_dir=None) -> list[str]:
    return [r["name"] for r in descriptor(data_dir)["resources"]]


def _resource(desc: dict, name: str, data_dir: Path) -> dict:
    for res in desc["resources"]:
        if res.get("name") == name:
            return res
    known = ", ".join(r.get("name", "?") for r in desc["resources"])
    raise DataError(
        f"{data_dir / DESCRIPTOR}: no resource named {name!r} (the package has: {known})"
    )


def _check_field_units(res: dict, where: str) -> None:
    """Every numeric field declares its unit; per-row units name an enum field."""
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    for f in res["schema"]["fields"]:
        if f.get("type") not in ("number", "integer"):
            continue
        unit = f.get("unit")
        col = f"{where}, field '{f['name']}'"
        if not unit:
            raise DataError(f"{col}: rule 'unit': a numeric field must declare its unit")
        m = PER_ROW_UNIT.match(unit)
        if m:
            ufield = fields.get(m.group(1))
            enum = (ufield or {}).get("constraints", {}).get("enum")
            if not ufield or not enum:
                raise DataError(
                    f"{col}: rule 'unit': the unit is given per row in field "
                    f"{m.group(1)!r}, which must exist and list its units in constraints.enum"
                )
            bad = [u for u in enum if u not in UNITS]
            if bad:
                raise DataError(
                    f"{where}, field '{m.group(1)}': rule 'unit': {bad[0]!r} is not a known unit "
                    f"(known: {', '.join(UNITS)})"
                )
            for u in f.get("unitConstraints", {}):
                if u not in enum:
                    raise DataError(
                        f"{col}: rule 'unitConstraints': {u!r} is not one of the field's units"
                    )
        elif unit not in UNITS:
            raise DataError(
                f"{col}: rule 'unit': {unit!r} is not a known unit (known: {', '.join(UNITS)})"
            )


# --------------------------------------------------------------------------
# one CSV


_INT = re.compile(r"^[+-]?\d+$")
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _cast(raw: str, ftype: str):
    if ftype == "integer":
        if not _INT.match(raw):
            raise ValueError("not an integer")
        return int(raw)
    if ftype == "number":
        if not _NUM.match(raw):
            raise ValueError("not a number")
        return float(raw)
    if ftype == "boolean":
        if raw not in ("true", "false"):
            raise ValueError("not 'true' or 'false'")
        return raw == "true"
    return raw


def _check_constraints(value, raw: str, cons: dict) -> str | None:
    if "enum" in cons and value not in cons["enum"]:
        return f"constraint 'enum': {raw!r} is not one of {cons['enum']}"
    if "minimum" in cons and value < cons["minimum"]:
        return f"constraint 'minimum': {raw} is below the minimum {cons['minimum']}"
    if "maximum" in cons and value > cons["maximum"]:
        return f"constraint 'maximum': {raw} is above the maximum {cons['maximum']}"
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        return f"constraint 'pattern': {raw!r} does not match {cons['pattern']!r}"
    if "minLength" in cons and len(raw) < cons["minLength"]:
        return f"constraint 'minLength': {raw!r} is shorter than {cons['minLength']}"
    if "maxLength" in cons and len(raw) > cons["maxLength"]:
        return f"constraint 'maxLength': {raw!r} is longer than {cons['maxLength']}"
    return None


def _provenance_error(row: dict) -> tuple[str, str] | None:
    """(column, rule) broken by a row's provenance columns, if any."""
    prov, status = row.get("provenance"), row.get("value_status")
    filled = lambda c: bool(str(row.get(c) or "").strip())  # noqa: E731
    if prov == "report":
        for c in ("source_block_id", "source_quote"):
            if not filled(c):
                return c, "provenance: a report row names the block it quotes and the quote"
    if prov == "release":
        for c in ("source_url", "source_quote"):
            if not filled(c):
                return c, "provenance: a release row gives its address and the quote"
    if prov == "derived" and not filled("formula"):
        return "formula", "provenance: a derived row gives the formula that re-computes it"
    if prov != "derived" and filled("formula"):
        return "formula", f"provenance: only derived rows have a formula (this row is {prov!r})"
    if "value_status" in row and (prov == "derived") != (status == "derived"):
        return "value_status", (
            "provenance: value_status is 'derived' exactly when provenance is 'derived' "
            f"(here {status!r} with {prov!r})"
        )
    return None


def _read_resource(res: dict, data_dir: Path) -> pd.DataFrame:
    name = res["name"]
    path = data_dir / res["path"]
    where = f"{data_dir / DESCRIPTOR}, resource '{name}'"
    schema = res["schema"]
    fields = schema["fields"]
    _check_field_units(res, where)
    if not path.is_file():
        raise DataError(f"{path}: file is missing (declared by resource '{name}' in {DESCRIPTOR})")

    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(f"{path}: line 1: the file is empty (no header)") from None
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        names = [fd["name"] for fd in fields]
        for n in names:
            if n not in header:
                raise DataError(f"{path}: line 1, column '{n}': missing column (required by the schema)")
        for h in header:
            if h not in names:
                raise DataError(f"{path}: line 1, column '{h}': column not declared in the schema")
        if len(set(header)) != len(header):
            dup = next(h for h in header if header.count(h) > 1)
            raise DataError(f"{path}: line 1, column '{dup}': column appears twice")
        pos = {h: i for i, h in enumerate(header)}

        per_row_unit = {
            fd["name"]: PER_ROW_UNIT.match(fd["unit"]).group(1)
            for fd in fields
            if fd.get("type") in ("number", "integer") and PER_ROW_UNIT.match(fd.get("unit", ""))
        }
        missing_values = set(schema.get("missingValues", [""]))
        pk = schema.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else list(pk)
        seen_pk: dict[tuple, int] = {}
        seen_unique: dict[str, dict] = {fd["name"]: {} for fd in fields if fd.get("constraints", {}).get("unique")}
        rows: list[dict] = []
        line = 1
        for cells in reader:
            start = line + 1
            line = reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # a blank line
            if len(cells) != len(header):
                raise DataError(
                    f"{path}: line {start}: row has {len(cells)} cells, the header has {len(header)}"
                )
            row: dict = {}
            for fd in fields:
                col = fd["name"]
                raw = cells[pos[col]]
                cons = fd.get("constraints", {})
                at = f"{path}: line {start}, column '{col}'"
                if raw in missing_values:
                    if cons.get("required") or col in pk:
                        raise DataError(f"{at}: constraint 'required': the value is missing")
                    row[col] = None if fd.get("type") in ("number", "integer") else ""
                    continue
                try:
                    value = _cast(raw, fd.get("type", "string"))
                except ValueError as exc:
                    raise DataError(f"{at}: type '{fd.get('type')}': {raw!r} is {exc}") from None
                if col in per_row_unit.values() and "enum" in cons and value not in cons["enum"]:
                    raise DataError(
                        f"{at}: rule 'unit': {raw!r} is not a unit declared for this resource in "
                        f"{DESCRIPTOR} (declared: {', '.join(cons['enum'])})"
                    )
                problem = _check_constraints(value, raw, cons)
                if problem:
                    raise DataError(f"{at}: {problem}")
                if col in seen_unique:
                    if value in seen_unique[col]:
                        raise DataError(
                            f"{at}: constraint 'unique': {raw!r} already appears on line "
                            f"{seen_unique[col][value]}"
                        )
                    seen_unique[col][value] = start
                row[col] = value
            # bounds that depend on the row's unit (a share may not exceed 100)
            for col, ucol in per_row_unit.items():
                fd = next(x for x in fields if x["name"] == col)
                bounds = fd.get("unitConstraints", {}).get(row.get(ucol))
                if bounds and row[col] is not None:
                    problem = _check_constraints(row[col], cells[pos[col]], bounds)
                    if problem:
                        raise DataError(
                            f"{path}: line {start}, column '{col}': {problem} "
                            f"(for unit {row.get(ucol)!r})"
                        )
            if pk:
                key = tuple(row[k] for k in pk)
                if key in seen_pk:
                    raise DataError(
                        f"{path}: line {start}, column '{pk[0]}': primary key "
                        f"({', '.join(pk)}) = {key} duplicates line {seen_pk[key]}"
                    )
                seen_pk[key] = start
            if "provenance" in row:
                err = _provenance_error(row)
                if err:
                    raise DataError(f"{path}: line {start}, column '{err[0]}': rule {err[1]}")
            rows.append(row)

    df = pd.DataFrame(rows, columns=[fd["name"] for fd in fields])
    for fd in fields:
        col = fd["name"]
        if fd.get("type") == "number":
            df[col] = df[col].astype("float64")
        elif fd.get("type") == "integer":
            df[col] = df[col].astype("Int64") if df[col].isna().any() else df[col].astype("int64")
        else:
            df[col] = df[col].astype("object")
    df.attrs["resource"] = name
    df.attrs["path"] = str(path)
    return df


def load(name: str, data_dir=None) -> pd.DataFrame:
    """One resource of the package as a DataFrame, after validating its CSV."""
    d = _data_dir(data_dir)
    desc = descriptor(d)
    return _read_resource(_resource(desc, name, d), d)


def load_all(data_dir=None) -> dict[str, pd.DataFrame]:
    """Every resource of the package, validated, by name (descriptor order)."""
    d = _data_dir(data_dir)
    desc = descriptor(d)
    return {res["name"]: _read_resource(res, d) for res in desc["resources"]}


# --------------------------------------------------------------------------
# numbers in quotes, after the house unit conversions

# A number as the sources print it: 7110.6, 2 357.0 (a space between thousands,
# as in some reprints), 14,972.
_NUMBER = r"(?<![\d.])(\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"

_PCT = ("% of total", "% change", "% per year")
_COUNTS = ("enterprises", "certifications", "cities", "count")

# suffix -> [(factor, unit)]; longest suffixes first so 万亿元 wins over 万.
_CJK_SUFFIXES = [
    ("万亿美元", [(1000, "US$ billion")]),
    ("萬億美元", [(1000, "US$ billion")]),
    ("万亿元人民币", [(1, "RMB trillion"), (1000, "RMB billion")]),
    ("万亿元", [(1, "RMB trillion"), (1000, "RMB billion")]),
    ("萬億元", [(1, "RMB trillion"), (1000, "RMB billion")]),
    ("万亿", [(1, "RMB trillion"), (1000, "RMB billion")]),
    ("亿美元", [(Decimal("0.1"), "US$ billion"), (100, "US$ million")]),
    ("億美元", [(Decimal("0.1"), "US$ billion"), (100, "US$ million")]),
    ("亿元人民币", [(Decimal("0.1"), "RMB billion")]),
    ("亿元", [(Decimal("0.1"), "RMB billion")]),
    ("億元", [(Decimal("0.1"), "RMB billion")]),
    ("万美元", [(Decimal("0.01"), "US$ million")]),
    ("萬美元", [(Decimal("0.01"), "US$ million")]),
    ("万人", [(Decimal("0.01"), "million persons")]),
    ("萬人", [(Decimal("0.01"), "million persons")]),
    ("万", [(Decimal("0.01"), "million persons")]),
    ("个百分点", [(1, "percentage points")]),
    ("%", [(1, u) for u in _PCT]),
    ("％", [(1, u) for u in _PCT]),
    ("倍", [(1, "times (increase by)")]),
    ("家", [(1, "enterprises"), (1, "count")]),
    ("个", [(1, u) for u in _COUNTS]),
    ("份", [(1, "count")]),
    ("件", [(1, "registrations per 10,000 people")]),
    ("位", [(1, "rank")]),
]
_CJK_RE = re.compile(
    _NUMBER + r"\s*(" + "|".join(re.escape(s) for s, _ in _CJK_SUFFIXES) + ")"
)
_CJK_MAP = dict(_CJK_SUFFIXES)

_EN_RE = re.compile(
    r"(US\$|\$|RMB\s?)?" + _NUMBER + r"\s*(trillion|billion|million|percent|per cent|percentage points?)"
    r"(\s+(?:yuan|U\.S\. dollars|US dollars|dollars))?",
    re.IGNORECASE,
)
_RATIO_RE = re.compile(_NUMBER + r"(?=\s*:)|(?<=:)\s*" + _NUMBER)

_DECLINE = ("下降", "降", "减少", "減少", "dropped", "down", "decline", "fell", "fall")


def _num(text: str) -> Decimal:
    return Decimal(re.sub(r"[ ,]", "", text))


class Reading(NamedTuple):
    """One reading of a number in a quote: the value in `unit`, the number as
    printed ("7110.6", "2 357.0", "1.2") and the factor that converts it."""

    value: Decimal
    unit: str
    printed: str
    factor: Decimal

    @property
    def step(self) -> Decimal:
        """One unit of the last printed digit, in `unit` (7110.6亿美元 -> 0.01
        US$ billion; 1.2亿美元 -> 10 US$ million)."""
        return Decimal(1).scaleb(-decimals(re.sub(r"[ ,]", "", self.printed))) * self.factor


def readings(quote: str) -> list[Reading]:
    """Every reading of every number a quote states, converted by the house
    rules, with the number as printed (see :class:`Reading`)."""
    out: list[Reading] = []
    for m in _CJK_RE.finditer(quote):
        x = _num(m.group(1))
        for factor, unit in _CJK_MAP[m.group(2)]:
            out.append(Reading(x * Decimal(factor), unit, m.group(1), Decimal(factor)))
    for m in _EN_RE.finditer(quote):
        pre, x, scale, post = m.group(1) or "", _num(m.group(2)), m.group(3).lower(), (m.group(4) or "").strip().lower()
        printed = m.group(2)
        if scale.startswith("percentage"):
            out.append(Reading(x, "percentage points", printed, Decimal(1)))
            continue
        if scale in ("percent", "per cent"):
            out.extend(Reading(x, u, printed, Decimal(1)) for u in _PCT)
            continue
        rmb = pre.startswith("RMB") or post == "yuan"
        usd = "$" in pre or "dollar" in post
        if scale == "trillion":
            cands = [(1, "RMB trillion"), (1000, "RMB billion")] if not usd else []
            cands += [(1000, "US$ billion")] if not rmb else []
        elif scale == "billion":
            cands = ([] if usd else [(1, "RMB billion")]) + ([] if rmb else [(1, "US$ billion")])
        else:  # million
            cands = [(1, "US$ million")] if usd else [(1, "million persons")] + ([] if rmb else [(1, "US$ million")])
        out.extend(Reading(x * f, u, printed, Decimal(f)) for f, u in cands)
    for m in _RATIO_RE.finditer(quote):
        printed = m.group(1) or m.group(2)
        out.append(Reading(_num(printed), "% of total", printed, Decimal(1)))
    return out


def quantities(quote: str) -> list[tuple[Decimal, str]]:
    """Every (number, unit) a quote states, converted by the house rules.

    A number may stand for more than one unit ("1.2亿美元" is US$0.12 billion or
    US$120 million; "%" may be a share or a change): all readings are listed.
    """
    return [(r.value, r.unit) for r in readings(quote)]


def printed_readings(value: float, unit: str, quote: str) -> list[Reading]:
    """The readings of `quote` that state `value` in `unit` (sign aside): how
    the number was printed, hence its precision."""
    target = abs(Decimal(repr(float(value))))
    return [
        r for r in readings(quote)
        if r.unit == unit and abs(r.value - target) <= Decimal("1e-9") * max(Decimal(1), target)
    ]


def value_in_quote(value: float, unit: str, quote: str) -> bool:
    """Does `quote` state `value` in `unit`, after the house conversions?

    >>> value_in_quote(105.77, "US$ billion", "离岸执行额1057.7亿美元")
    True
    A negative change must be stated as a fall (下降, dropped, ...).
    """
    target = Decimal(repr(float(value)))
    negative = target < 0
    if negative and not any(w in quote for w in _DECLINE):
        return False
    target = abs(target)
    for x, u in quantities(quote):
        if u == unit and abs(x - target) <= Decimal("1e-9") * max(Decimal(1), target):
            return True
    return False


# --------------------------------------------------------------------------
# formulas of derived rows

_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_FUNCS = {"round": round, "abs": abs}


def formula_names(formula: str) -> list[str]:
    """The row ids a formula refers to, in order of appearance."""
    tree = ast.parse(formula, mode="eval")
    return [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in _FUNCS]


def evaluate(formula: str, values: dict[str, float]) -> float:
    """Evaluate a derived row's formula: numbers, + - * / **, parentheses and
    other rows' ``row_id`` values. Nothing else is allowed (no attribute
    access, no calls but round/abs)."""

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise KeyError(f"formula {formula!r}: no row with row_id {node.id!r}")
            v = values[node.id]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                raise ValueError(f"formula {formula!r}: row {node.id!r} has no value")
            return v
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCS
            and not node.keywords
        ):
            return _FUNCS[node.func.id](*[ev(a) for a in node.args])
        raise ValueError(f"formula {formula!r}: {ast.dump(node)[:60]} is not allowed")

    return float(ev(ast.parse(formula, mode="eval")))


def decimals(raw: str) -> int:
    """Digits after the decimal point as printed ("88.65" -> 2, "34281" -> 0)."""
    raw = raw.strip()
    return len(raw.split(".", 1)[1]) if "." in raw else 0


def matches_printed(computed: float, raw: str) -> bool:
    """Is `computed` equal to the printed value `raw` within its precision
    (half a unit in the last printed digit)?"""
    tol = 0.5 * 10 ** (-decimals(raw)) + 1e-9
    return abs(computed - float(raw)) <= tol
