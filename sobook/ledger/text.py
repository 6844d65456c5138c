"""Numbers as the ledger page writes them."""

from __future__ import annotations

import math
from decimal import Decimal

from sobook.text import quantity

# --------------------------------------------------------------------------
# numbers as a reader sees them

_PCT_UNITS = ("% of total", "% change", "% per year")


def as_printed(value, unit: str, decimals: int) -> str:
    """A value as the ledger writes it: the report's figures as the report
    prints them (a rise without its "+"), at `decimals`."""
    return quantity(value, unit, decimals=decimals, signed=False)


def display_decimals(claim_decimals: int, unit: str) -> int:
    """More digits than the stated value shows, so that a difference in its
    last digit is visible: two more for percentages (34.1 -> 34.155), one more
    for amounts and counts (59.8 -> 65.27; 5000 -> 5,269.4)."""
    extra = 2 if unit in _PCT_UNITS or unit == "percentage points" else 1
    return max(claim_decimals + extra, 0)


def shown_decimals(value: float, printed_decimals: int, unit: str) -> int:
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


def trimmed_decimals(value: float, decimals: int, keep: int) -> int:
    """Drop trailing zeros from the extra digits (70.000 -> 70.0 when the
    report prints one decimal), never below `keep`."""
    text = f"{value:.{max(decimals, 0)}f}"
    while decimals > max(keep, 0) and text.endswith("0"):
        text, decimals = text[:-1], decimals - 1
    return decimals


def recomputed_text(row) -> str:
    """The recomputed value of a ledger row, formatted for prose."""
    keep = int(row["printed_decimals"])
    dec = shown_decimals(row["recomputed"], keep, row["unit"])
    return as_printed(row["recomputed"], row["unit"], trimmed_decimals(row["recomputed"], dec, keep))


def stated_text(row) -> str:
    """The stated value as the report hedges it ("more than 5,000")."""
    text = as_printed(row["value"], row["unit"], int(row["printed_decimals"]))
    q = row.get("qualifier") or ""
    return f"{q} {text}" if q else text


def plain_number(x: float) -> str:
    return f"{x:.10g}"


def anchor(claim_id: str) -> str:
    """The HTML id (and Sphinx label) of a claim's row on the ledger page."""
    return f"claim-{claim_id.lower()}"
