"""The edition's rules for its data: what every value, row and file must
satisfy, whatever a data directory's own descriptor says.

These are the floor. The edition's ``data/datapackage.json`` adds each
resource's schema (fields, types, enums, keys, per-unit bounds); a data
directory's descriptor can add resources but never change either.

Text is what it looks like. Numbers, years, periods and identifiers (row
ids, units, enum codes, formulas, addresses) are ASCII: a digit is 0-9, never
another script's digit that Python would read as one ('٢٠١٦', '１０.９'), and
a value is stored and published exactly as written, never normalised. No
cell holds a control, bidirectional or invisible character (:data:`INVISIBLE_RE`).
A message shows a value with anything that could pass for something else
escaped (:func:`shown`), so 't\\u03bftal' never reads as 'total'.
"""

from __future__ import annotations

import math
import re
import unicodedata


class DataError(Exception):
    """Bad or missing data. The message names file, line, column and rule."""

    def _render_traceback_(self):
        # IPython (JupyterLab, papermill, nbval) shows this instead of a
        # traceback: the one line is all a person needs.
        return [f"DataError: {self}"]


# Every unit the package may use, with what it means. The quote reader
# (sobook.data.quotes) knows how each is written in the sources.
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
    "registrations per 10,000 people": "software copyright registrations per 10,000 people (每万人…件)",
    "rank": "a position in a ranking (位)",
    "places": "a number of places moved in a ranking, up if positive (位)",
    "decimal places": "digits after the decimal point as printed, in the row's unit (negative: rounded to tens, hundreds, ...)",
}

# Bounds by unit, for every resource: money, people and counts cannot be
# negative, a share lies between 0 and 100, nothing falls by more than 100%,
# and a growth rate beyond these bounds is a typing slip (a rate entered as a
# fraction ×100 twice, a value ×1000), not a fact of this industry: the
# largest in the sources is +176.9% over five years.
UNIT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "US$ billion": (0, None),
    "US$ million": (0, None),
    "RMB billion": (0, None),
    "RMB trillion": (0, None),
    "% of total": (0, 100),
    "% change": (-100, 1000),
    "% per year": (-100, 200),
    "percentage points": (-100, 100),
    "times (increase by)": (0, 1000),
    "times the base level": (0, 1000),
    "million persons": (0, None),
    "enterprises": (0, None),
    "certifications": (0, None),
    "cities": (0, None),
    "count": (0, None),
    "registrations per 10,000 people": (0, None),
    "rank": (0, None),
    "places": (-1000, 1000),
    "decimal places": (-12, 12),
}

# Years a row may name: the report's (2015-2025, its outlook to 2050 for green
# investment) and the outcomes after it.
FIRST_YEAR, LAST_YEAR = 2010, 2050
YEAR_RE = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")

# A resource of the edition holds a few dozen rows; a chart draws at most a
# few hundred. Far more is a wrong file (and Altair refuses datasets of over
# 5,000 rows deep inside a chart).
MAX_ROWS = 5000

PER_ROW_UNIT = re.compile(r"^per row, in field '([A-Za-z_][A-Za-z0-9_]*)'$")
PROVENANCE_VALUES = ("report", "release", "derived")
STATUS_VALUES = ("reported", "derived", "estimate", "forecast")


# Every character of Unicode's categories Cc (controls, but tab, line feed and
# carriage return), Cf (format: zero-width, bidirectional, the byte-order
# mark), Zl and Zp (line and paragraph separators): invisible on the page, or
# they reorder or break what is shown. tests/test_data.py checks the list.
INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_ASCII_INVISIBLE_RE = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")  # the same, for ASCII text (faster)
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def code_point(ch: str) -> str:
    """'U+03BF GREEK SMALL LETTER OMICRON'; 'U+0000' for a character without a name."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def text_error(raw: str, where: str = "the cell") -> str | None:
    """The rule a text breaks, if any: no control, bidirectional or invisible character."""
    bad = (_ASCII_INVISIBLE_RE if raw.isascii() else INVISIBLE_RE).search(raw)
    if not bad:
        return None
    ch = bad.group()
    kind = ("a control character" if unicodedata.category(ch) == "Cc" else
            "a bidirectional control" if ch in _BIDI else "an invisible character")
    return f"rule 'text': {kind} ({code_point(ch)}) in {where}"


def ascii_error(raw: str, formula: bool = False) -> str | None:
    """The rule a number, period or identifier breaks if it is not ASCII. A
    formula's quoted text (the report's words, as a list it counts) may be
    Chinese."""
    code = re.sub(r"'[^']*'", "''", raw) if formula else raw
    if code.isascii():
        return None
    ch = next(c for c in code if not c.isascii())
    return f"rule 'ascii': {shown(raw)} holds {code_point(ch)}; numbers, periods and identifiers are ASCII"


def _plain(ch: str) -> bool:
    """Shown as it is in a message: printable ASCII and the Chinese characters
    (CJK ideographs and the punctuation 、。《》【】) the sources quote."""
    return " " <= ch <= "~" or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\u3001" <= ch <= "\u3011"


def shown(value, limit: int = 80) -> str:
    """A value quoted for a message, every other character escaped
    ('t\\u03bftal', '10\\u200b.9'), cut after `limit` characters."""
    text = str(value)
    out = "".join(
        "\\" + c if c in "\\'" else c if _plain(c) else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
        for c in text[:limit]
    )
    return f"'{out}'" if len(text) <= limit else f"'{out}'… ({len(text):,} characters)"


def number_error(value: float, unit: str | None) -> str | None:
    """The rule a numeric value breaks, if any: finite, within its unit's bounds."""
    if not math.isfinite(value):
        return f"rule 'finite': {value} is not a finite number"
    lo, hi = UNIT_BOUNDS.get(unit or "", (None, None))
    if lo is not None and value < lo:
        return f"rule 'bounds': {value:g} is below {lo:g}, the least a value in {unit!r} can be"
    if hi is not None and value > hi:
        return f"rule 'bounds': {value:g} is above {hi:g}, the most a value in {unit!r} can be"
    return None


def year_error(period: str) -> str | None:
    """A period naming a year outside the edition's range."""
    for y in YEAR_RE.findall(period or ""):
        if not FIRST_YEAR <= int(y) <= LAST_YEAR:
            return f"rule 'years': {y} lies outside {FIRST_YEAR}-{LAST_YEAR}, the years the report and its outcomes cover"
    return None


def provenance_error(row: dict) -> tuple[str, str] | None:
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
