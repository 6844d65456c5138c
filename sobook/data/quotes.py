"""Numbers in quotes: does a stored value appear in the Chinese or English
text it cites, after the house unit conversions (亿美元 ÷ 10 -> US$ billion,
万人 ÷ 100 -> million persons, ...)?

:func:`value_in_quote` answers for the provenance tests; :func:`readings`
gives every reading of every number with the number as printed, hence its
precision, which the claims ledger (:mod:`sobook.ledger`) needs for its
rounding intervals.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from sobook.data.formula import decimals

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
    ("项", [(1, "count")]),
    ("件", [(1, "registrations per 10,000 people")]),
    ("位", [(1, "rank"), (1, "places")]),
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
