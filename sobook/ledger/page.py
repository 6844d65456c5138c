"""The ledger page: its tables and summaries as HTML (every text from the data escaped)."""

from __future__ import annotations

import math
import re

import pandas as pd

from sobook.ledger.compute import coverage, summary
from sobook.ledger.rules import VERDICTS
from sobook.ledger.text import (
    _shown_decimals,
    _trimmed_decimals,
    anchor,
    display_decimals,
    fmt,
    recomputed_text,
)
from sobook.text import html_line

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


_e = html_line  # CSV text for an HTML context


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
