"""The translator's notes the ledger writes into the chapters: one for every
check that does not hold on the data the book is built from, at the
paragraph the statement is in (chapter.claims() glues them; the chapter
places each paragraph's with ```{glue:md} ledger-note-<block>```)."""

from __future__ import annotations

import re

import pandas as pd

from sobook.ledger.rules import AT_LEAST, AT_MOST, FAILS
from sobook.ledger.text import anchor, as_printed, recomputed_text, stated_text

_MARKUP = re.compile(r"([\\`*_{}\[\]<>#|~&])")


def md(text) -> str:
    """Text from data for MyST: every character that could be markup escaped,
    on one line."""
    return _MARKUP.sub(r"\\\1", " ".join(str(text or "").split()))


def sources_text(sources: str) -> str:
    """Whose figures a check is made from, as the subject of a sentence
    ('report; ye1p.com' -> "the report's figures with those of a published
    source (ye1p.com)")."""
    names = [s for s in (sources or "").split("; ") if s]
    others = [s for s in names if s != "report"]
    published = ("a published source" if len(others) == 1 else "published sources") + f" ({', '.join(others)})"
    if "report" not in names:
        return f"the figures of {published}"
    return f"the report's figures with those of {published}" if others else "the report's own figures"


def printed_as(row) -> str:
    """The recomputed value rounded as the stated value is printed."""
    return as_printed(row["recomputed"], row["unit"], int(row["printed_decimals"]))


def note_markdown(row) -> str:
    """One check that does not hold, in words, from its ledger row alone: the
    stated figure, the row's link and verdict, what the figures give and who
    gives them, whether it is a comparison with another source, and the row's
    own note (MyST, one paragraph)."""
    stated, recomputed = stated_text(row), recomputed_text(row)
    given, give = sources_text(row["sources"]), "give"
    if row["kind"] in AT_MOST:
        finding = f"it cannot be more than {recomputed}, which {given} {give}"
    elif row["kind"] in AT_LEAST:
        finding = f"it cannot be less than {recomputed}, which {given} {give}"
    elif row.get("qualifier") == "more than":
        bound = as_printed(row["value"], row["unit"], int(row["printed_decimals"]))
        finding = f"{given} {give} {recomputed}, which is not more than {bound}"
    elif row["kind"] == "list_count":
        finding = f"the list it counts names {recomputed}"
    elif row["kind"] == "whole_number":
        finding = f"the nearest share that a whole number of them gives is {recomputed}"
    else:
        finding = f"{given} {give} {recomputed}"
    if row["verdict"] == "differs in the last digit" and printed_as(row) != recomputed:
        finding += f", which would be printed as {printed_as(row)}"
    parts = [f"**{md(stated)}**: claims ledger, row [{row['claim_id']}](#{anchor(row['claim_id'])}), "
             f"*{row['verdict']}*: {md(finding)}."]
    if row["section"] == "comparison":
        parts.append("This is a comparison with a later or outside source, not an error in the report's arithmetic.")
    if row.get("source_note"):
        parts.append(md(row["source_note"]))
    return " ".join(parts)


def paragraph_notes(ledger_df: pd.DataFrame) -> dict[str, str]:
    """For every paragraph (block) with claims, the translator's note on its
    checks that do not hold on this data (MyST: a {translator-note}), or ''
    when they all hold or cannot be checked."""
    out = {}
    for block, rows in ledger_df.groupby("source_block_id", sort=False):
        failing = [note_markdown(r) for r in rows.to_dict("records") if r["verdict"] in FAILS]
        out[block] = ("```{translator-note}\n" + "\n\n".join(failing) + "\n```\n") if failing else ""
    return out
