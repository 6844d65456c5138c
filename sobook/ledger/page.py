"""The ledger page: its tables and summaries as HTML (every text from the data escaped)."""

from __future__ import annotations

import math
import re

import pandas as pd

from sobook.ledger.compute import by_kind, summary
from sobook.ledger.rules import FAILS, VERDICT_RULES, VERDICTS
from sobook.ledger.text import (
    anchor,
    as_printed,
    display_decimals,
    recomputed_text,
    shown_decimals,
    stated_text,
    trimmed_decimals,
)
from sobook.text import html_line

# --------------------------------------------------------------------------
# the ledger page

ASSETS = ("sobook-ledger.css", "sobook-ledger.js")
_VERDICT_SLUG = {
    "consistent": "consistent",
    "consistent within rounding": "within-rounding",
    "differs in the last digit": "last-digit",
    "inconsistent": "inconsistent",
    "not checkable": "not-checkable",
}
_GLUE_KEYS = {
    "claims": "claims", "checked": "checked", "hold": "hold", "fail": "fail", "consistent": "consistent",
    "consistent within rounding": "within", "differs in the last digit": "last-digit",
    "inconsistent": "inconsistent", "not checkable": "not-checkable",
    "statements": "statements", "statements_checked": "statements-checked", "statements_hold": "statements-hold",
    "statements_fail": "statements-fail", "statements_checked_twice": "statements-checked-twice",
    "statements_consistent": "statements-consistent",
    "statements_consistent within rounding": "statements-within",
    "statements_differs in the last digit": "statements-last-digit",
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


def difference_text(row) -> str:
    d = row["difference"]
    if d is None or (isinstance(d, float) and math.isnan(d)):
        return ""
    dec = shown_decimals(row["recomputed"], int(row["printed_decimals"]), row["unit"])
    if round(d, max(dec, 0)) == 0:
        return "0"
    dec = trimmed_decimals(abs(d), dec, int(row["printed_decimals"]))
    text = f"{abs(d):,.{max(dec, 0)}f}"
    return ("+" if d > 0 else "−") + text


def range_text(row) -> str:
    """Both intervals in words, for the 'how' column."""
    if row["verdict"] == "not checkable":
        return ""
    dec = display_decimals(int(row["printed_decimals"]), row["unit"])
    lo, hi = as_printed(row["recomputed_lo"], row["unit"], dec), as_printed(row["recomputed_hi"], row["unit"], dec)
    exact = row["recomputed_lo"] == row["recomputed_hi"]
    recomputed = f"Recomputed exactly (no rounding): {recomputed_text(row)}" if exact else f"Recomputed range {lo} to {hi}"
    if row["stated_lo"] == row["stated_hi"]:
        stated = f"exactly {as_printed(row['stated_lo'], row['unit'], int(row['printed_decimals']))}"
    elif math.isinf(row["stated_hi"]):
        stated = f"above {as_printed(row['stated_lo'], row['unit'], int(row['printed_decimals']))}"
    else:
        sd = max(int(row["printed_decimals"]) + 1, 0)
        stated = (f"{as_printed(row['stated_lo'], row['unit'], sd)} to "
                  f"{as_printed(row['stated_hi'], row['unit'], sd)}")
    return f"{recomputed}; stated value read as {stated}."


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
    # Each cell names its column: on a phone a row is a card (sobook-ledger.css).
    label = [f' data-label="{_e(n)}"' for n, _ in cols]
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
                    f'<td class="so-l-id"{label[0]} data-v="{i}">')
        out.append(pending)
        # the MyST target: becomes the id of the paragraph inside the cell
        out.append(f"({anchor(row['claim_id'])})=\n{_e(row['claim_id'])}")
        summary_label = "How it is checked" if report else "Source and check"
        if row["verdict"] == "not checkable":
            summary_label = "Why not"
        opened = " open" if row["verdict"] == "inconsistent" else ""
        pending = (f'</td><td{label[1]} data-v="{i}">{paragraph_link(row["source_block_id"], pages)}</td>'
                   f'<td class="so-l-statement"{label[2]}>{_e(row["statement_en"])}'
                   f'<details class="so-l-how"{opened}><summary>{summary_label}</summary>{" ".join(how)}</details></td>'
                   f'<td{label[3]}>{_e(row["kind"].replace("_", " "))}</td>'
                   f'<td class="so-num"{label[4]} data-v="{_num_attr(row["value"])}">{_e(stated_text(row))}</td>'
                   f'<td class="so-num"{label[5]} data-v="{_num_attr(row["recomputed"])}">{_e(recomputed)}</td>'
                   f'<td class="so-num"{label[6]} data-v="{_num_attr(row["difference"])}">{_e(difference_text(row))}</td>'
                   f'<td{label[7]} data-v="{order[row["verdict"]]}">'
                   f'<span class="so-verdict">{_e(row["verdict"])}</span></td></tr>')
    pending += "\n</tbody></table></div></div>"
    out.append(pending)
    return "\n\n".join(out) + "\n"


def failures_html(ledger_df: pd.DataFrame, section: str) -> str:
    """The statements of one section that do not hold, each once, linking to
    its rows (a statement checked two ways that fails both is one item with
    two links)."""
    bad = ledger_df[(ledger_df["section"] == section) & ledger_df["statement_verdict"].isin(FAILS)]
    if bad.empty:
        return ""
    pages = block_pages()
    items = []
    for _, rows in bad.groupby("statement", sort=False):
        failed = rows[rows["verdict"].isin(FAILS)]
        row = failed.iloc[0]
        links = ", ".join(f'<a href="#{anchor(c)}">{_e(c)}</a>' for c in failed["claim_id"])
        recomputed = "; ".join(f"{recomputed_text(r)} ({r['verdict']})" for r in failed.to_dict("records"))
        what = "recomputed" if section == "report" else "other source"
        items.append(
            f'<li>{links} '
            f'<span class="so-l-block">({paragraph_link(row["source_block_id"], pages)})</span> '
            f'{_e(row["statement_en"])} Stated: {_e(stated_text(row))}; {what}: {_e(recomputed)}.</li>'
        )
    return '<ul class="so-ledger-list">' + "".join(items) + "</ul>"


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _tally(counts: dict, words: dict) -> str:
    """'3 consistent, 1 within rounding and 2 inconsistent' (the verdicts
    that occur, in the order of VERDICTS)."""
    parts = [f"{counts[v]} {words[v]}" for v in words if counts[v]]
    if not parts:
        return "none"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


_TALLY_WORDS = {
    "consistent": "consistent",
    "consistent within rounding": "consistent within the rounding of the printed figures",
    "differs in the last digit": "differing in the last digit",
    "inconsistent": "inconsistent",
}


def summary_markdown(ledger_df: pd.DataFrame) -> str:
    """The ledger page's summary, every count and every 'each' from the
    table (MyST): the report's arithmetic, then the comparisons, then the
    statements that do not hold, the report's apart from the comparisons'."""
    counts = summary(ledger_df)
    r, c = counts["report"], counts["comparison"]
    sc = {v: r[f"statements_{v}"] for v in VERDICTS}
    cc = {v: c[f"statements_{v}"] for v in VERDICTS}
    twice = r["statements_checked_twice"]
    out = [
        f"The ledger lists {_n(r['statements'], 'quantitative statement', 'quantitative statements')} of the report, "
        f"paragraph by paragraph. {r['statements_checked']} of them can be checked against other figures, in "
        f"{_n(r['checked'], 'check', 'checks')}"
        + (f" ({_n(twice, 'statement is', 'statements are')} checked in more than one way and counted once, with "
           f"the verdict of {'its' if twice == 1 else 'their'} worst check)" if twice else "")
        + f": {_tally(sc, _TALLY_WORDS)}. "
        + (f"The other {r['statements_not checkable']} cannot be checked with the figures available; each row says "
           f"which figure is missing." if r["statements_not checkable"] else ""),
        "",
        f"A separate section sets {_n(c['statements_checked'], 'figure', 'figures')} of the report against the same "
        f"quantity in a public release or a later source ({_n(c['checked'], 'comparison', 'comparisons')}): "
        f"{_tally(cc, _TALLY_WORDS)}. A difference there is not an error in the report's arithmetic: sources revise "
        f"their figures, and a release may count differently.",
        "",
    ]
    return "\n".join(out) + "\n"


def failures_markdown(ledger_df: pd.DataFrame) -> str:
    """The statements that do not hold, in two lists with their counts: the
    report's arithmetic, and the differences from later or outside sources
    (MyST holding two raw HTML lists)."""
    counts = summary(ledger_df)
    r, c = counts["report"]["statements_fail"], counts["comparison"]["statements_fail"]
    out = []
    if r:
        out += [f"**The report's arithmetic: {_n(r, 'statement does', 'statements do')} not hold**, each with a "
                f"translator's note at its place in the text:", "", failures_html(ledger_df, "report"), ""]
    else:
        out += ["**The report's arithmetic:** every statement that can be checked holds.", ""]
    if c:
        out += [f"**Differences from later or outside sources: {_n(c, 'figure', 'figures')}**, each with a "
                f"translator's note at its place in the text (not errors in the report's arithmetic):", "",
                failures_html(ledger_df, "comparison"), ""]
    else:
        out += ["**Differences from later or outside sources:** none; every comparison agrees.", ""]
    return "\n".join(out)


def definitions_html() -> str:
    """The verdicts, each with its definition (rules.VERDICT_RULES, the one
    place they are defined)."""
    items = "".join(f'<dt><span class="so-verdict so-v-{_VERDICT_SLUG[v]}">{_e(v)}</span></dt><dd>{_e(rule)}</dd>'
                    for v, rule in VERDICT_RULES.items())
    return f'<dl class="so-ledger-verdicts">{items}</dl>'


def coverage_html(ledger_df: pd.DataFrame) -> str:
    """The checks by kind as an HTML table, each kind with its rule."""
    cov = by_kind(ledger_df)
    cols = ("checks", "checked", *VERDICTS)
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in
                   ("Kind", "Rule", "Rows", "Checked", "Consistent", "Within rounding", "Last digit", "Inconsistent",
                    "Not checkable"))
    body = "".join(
        f'<tr><th scope="row">{_e(r["kind"].replace("_", " "))}</th><td>{_e(r["rule"])}</td>'
        + "".join(f'<td class="so-num">{r[c]}</td>' for c in cols) + "</tr>"
        for r in cov.to_dict("records"))
    total = cov[list(cols)].sum()
    foot = ('<tr><th scope="row">All</th><td></td>'
            + "".join(f'<td class="so-num">{int(total[c])}</td>' for c in cols) + "</tr>")
    return (f'<div class="so-ledger-wide" tabindex="0" role="region" aria-label="The checks by kind">'
            f'<table class="so-ledger-coverage"><caption>The checks by kind, both '
            f'sections</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody><tfoot>{foot}</tfoot></table></div>')


def show(markdown: str):
    """A Markdown object for a notebook cell whose output MyST-NB renders as
    MyST (the cell's metadata says mystnb.markdown_format: myst)."""
    from IPython.display import Markdown

    return Markdown(markdown)
