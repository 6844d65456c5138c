"""Text from data, made safe for the page it goes to: always text, never
markup. The pages that put CSV text into HTML (the ledger, 'How the outlook
fared', the front page, the chart panels) go through here; and numbers as
the edition prints them in its own sentences and tables."""

from __future__ import annotations

import html
import re


def html_line(text) -> str:
    """`text` for an HTML context: escaped (quotes too, so it may stand in an
    attribute), on one line (a raw HTML block in MyST must hold no blank line,
    which would end it and let Markdown read the rest)."""
    return html.escape(" ".join(str(text if text is not None else "").split()), quote=True)


def http_url(url) -> str | None:
    """The address as a link target if it is an http(s) address, else None
    (no javascript:, data: or file: link is ever made from data)."""
    u = str(url or "").strip()
    return u if re.match(r"^https?://[^\s\"'<>]+$", u) else None


def number(v: float) -> str:
    """A number as printed: thousands separators, no spurious trailing zeros
    (at most three decimals)."""
    v = float(v)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.3f}".rstrip("0").rstrip(".")


# A unit's words around its number (`sign` is "−" for a negative value,
# `signed` "−" or "+"); a unit not listed is written after the number.
UNIT_WORDS = {
    "% change": "{signed}{n}%",
    "% per year": "{sign}{n}% a year",
    "% of total": "{sign}{n}%",
    "percentage points": "{signed}{n} percentage points",
    "million persons": "{sign}{n} million people",
    "times (increase by)": "an increase by {sign}{n} times",
    "count": "{sign}{n}",
    "rank": "{sign}{n}",
}


def quantity(value, unit: str, qualifier: str = "", decimals: int | None = None, signed: bool = True) -> str:
    """A value with its unit, as the edition writes it in its sentences,
    labels and tables ('US$59.8 billion', '+12.7%', '5.1% a year',
    '545.9 million people'): the one place a unit's words are chosen.
    `decimals` fixes the precision (the ledger's columns); without it the
    number is printed as `number` prints it. `signed=False`: a rise without
    its "+", as the report prints it ("76.7% more than in 2015")."""
    if value is None or value != value:
        return ""
    v = float(value)
    if v in (float("inf"), float("-inf")):
        return "∞" if v > 0 else "−∞"
    a = abs(v)
    sign = "−" if v < 0 else ""

    def num(x: float) -> str:
        return number(x) if decimals is None else f"{x:,.{max(decimals, 0)}f}"

    if unit == "US$ billion" and decimals is None and a >= 1000 and abs(round(a / 1000, 2) - a / 1000) < 1e-9:
        s = f"{sign}US${num(a / 1000)} trillion"
    elif unit.startswith(("US$ ", "RMB ")):  # the currency before the number: US$59.8 billion, RMB 895.3 billion
        currency, scale = unit.split(" ", 1)
        s = f"{sign}{currency}{'' if currency == 'US$' else ' '}{num(a)} {scale}"
    elif unit in UNIT_WORDS:
        s = UNIT_WORDS[unit].format(sign=sign, signed=sign or ("+" if signed else ""), n=num(a))
    else:
        s = f"{sign}{num(a)} {unit}"
    return f"{qualifier} {s}" if qualifier else s
