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
