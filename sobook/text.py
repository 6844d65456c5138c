"""Text from data, made safe for the page it goes to.

Anything a CSV holds (a source note, an address, a statement) is text, never
markup: these put it into MyST Markdown or HTML so that it shows exactly as
written and nothing in it is interpreted (no tag, no role or directive, no
emphasis, no link, no block)."""

from __future__ import annotations

import html
import re

# CommonMark lets a backslash escape any ASCII punctuation.
_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def md(text) -> str:
    """`text` as literal inline MyST Markdown: HTML-escaped (the entities show
    as the characters), every punctuation character backslash-escaped, line
    breaks made spaces (a line break could start a block)."""
    s = " ".join(str(text).split())
    s = html.escape(s, quote=True)
    # Escape punctuation, but not the '&…;' of the entities just made.
    parts = re.split(r"(&(?:amp|lt|gt|quot|#x27);)", s)
    return "".join(p if i % 2 else _MD_PUNCT.sub(r"\\\1", p) for i, p in enumerate(parts))


def html_text(text) -> str:
    """`text` as HTML text or an attribute value."""
    return html.escape(str(text), quote=True)


def safe_url(url) -> str | None:
    """An address fit for a link: http(s) only (with a scheme added to the
    bare addresses the sources list), else None."""
    u = str(url or "").strip()
    if not u or any(c.isspace() for c in u):
        return None
    if re.match(r"^https?://", u, re.I):
        return u
    if re.match(r"^[a-z][a-z0-9+.-]*:", u, re.I):
        return None  # javascript:, data:, file:, ...
    if re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/|$)", u):
        return "http://" + u
    return None
