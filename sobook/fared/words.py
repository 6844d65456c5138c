"""The report's words, quoted from the chapter notebooks (never typed twice), and numbers as the page
writes them."""

from __future__ import annotations

import json
import re

from sobook.paths import CHAPTERS_DIR as CHAPTERS

# --------------------------------------------------------------------------
# the report's English, quoted from the chapter notebooks

_ROLE_WITH_TARGET = re.compile(r"\{(term|doc|ref)\}`([^`<]*?)\s*<[^`>]*>`")
_ROLE = re.compile(r"\{(term|doc|ref)\}`([^`]*)`")
_TN = re.compile(r"\{tn\}`[^`]*`")
_FOOTREF = re.compile(r"\[\^[^\]\s]+\]")  # a footnote marker, whatever its label ([^8])
_FOOTDEF = re.compile(r"^\[\^[^\]\s]+\]:")  # the line that starts a footnote's text


class QuoteError(LookupError):
    """A quote's words are not (or no longer) in the chapter."""


def paragraph(chapter: str, block: str) -> str:
    """The English paragraph of `chapter` that translates block `block` of the
    original, as plain text: glossary links, footnote markers and Markdown's
    backslash escapes removed, translator's notes (the edition's words, not
    the report's) left out."""
    path = CHAPTERS / f"{chapter}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        m = re.search(r"```\{original\}([^\n]*)", text)
        if not m or block not in m.group(1).split():
            continue
        body = re.split(r"\n(?:```|:::)", text, maxsplit=1)[0]
        body = "\n".join(line for line in body.splitlines() if not _FOOTDEF.match(line))
        body = _TN.sub("", body)
        body = _ROLE_WITH_TARGET.sub(lambda m: m.group(2), body)
        body = _ROLE.sub(lambda m: m.group(2), body)
        body = _FOOTREF.sub("", body)
        body = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", body)  # Markdown's escapes (US\$ is US$)
        return re.sub(r"[ \t]+", " ", body).replace(" .", ".").replace(" ,", ",").strip()
    raise QuoteError(f"{path}: no paragraph translates block {block!r}")


def quote(chapter: str, block: str, start: str, end: str | None = None, lead: str | None = None,
          cut: bool = False) -> str:
    """The report's words from `start` to the end of the sentence in which
    `end` occurs (or in which `start` does); with `cut`, up to `end` itself,
    then '…'. With `lead`, the sentence is quoted from its own beginning up to
    `lead`, then '…', then from `start`."""
    text = paragraph(chapter, block)
    i = text.find(start)
    if i < 0:
        raise QuoteError(f"chapters/{chapter}.ipynb, block {block}: the words {start!r} are not in the paragraph")
    j = text.find(end, i) + len(end) if end else i + len(start)
    if end and j < len(end):
        raise QuoteError(f"chapters/{chapter}.ipynb, block {block}: the words {end!r} are not in the paragraph")
    stop = re.search(r"[.!?](?=\s|$)", text[j - 1:])
    k = j - 1 + stop.end() if stop else len(text)
    words = text[i:j] + " …" if cut and j < k else text[i:k]
    if i > 0 and not re.search(r"[.!?]\s*$", text[:i]):
        words = "…" + words
        if lead:
            # The sentence's start: after a full stop followed by a capital ("No. 12" is not one).
            s0 = max((m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z\"“*(\[])", text[:i])), default=0)
            if text.find(lead, s0) < 0:
                raise QuoteError(f"chapters/{chapter}.ipynb, block {block}: the words {lead!r} are not in the paragraph")
            head = text[s0:text.find(lead, s0) + len(lead)]
            words = head + " … " + words.lstrip("…")
    return words


# --------------------------------------------------------------------------
# numbers as the page writes them


def pct(v: float, decimals: int = 1) -> str:
    """A computed rate of change, rounded for reading ('+12.3%')."""
    r = round(float(v), decimals)
    return ("−" if r < 0 else "+") + f"{abs(r):,.{decimals}f}%"


def rate(v: float, decimals: int = 1) -> str:
    """An average rate, rounded for reading ('12.3%', '−2.4%')."""
    r = round(float(v), decimals)
    return ("−" if r < 0 else "") + f"{abs(r):,.{decimals}f}%"


def share(v: float, decimals: int = 1) -> str:
    """A share, rounded for reading ('37.8%')."""
    return f"{round(float(v), decimals):,.{decimals}f}%"


def and_list(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def grouped(words: dict) -> str:
    """'rose in 2021, 2022 and 2023 and fell in 2024': the years grouped by the word chosen for each."""
    return " and ".join(f"{w} in {and_list([y for y, v in words.items() if v == w])}"
                        for w in dict.fromkeys(words.values()))


def not_found(missing: list[str], what: str) -> str:
    """' No estimate for 2022 and 2023 was found.' (empty when nothing is missing)."""
    return f" No {what} for {and_list(missing)} was found." if missing else ""


def is_year(p) -> bool:
    return bool(re.fullmatch(r"\d{4}", str(p)))
