"""The page 'How the outlook fared': its HTML, every text from the data escaped, only http(s) links."""

from __future__ import annotations

import re
from collections import Counter

from sobook.fared.facts import Assessment
from sobook.fared.items import assess, chapter_of, left_out, prose, section_2
from sobook.fared.verdicts import CHAPTER_TITLES, DEFINITIONS, Verdict
from sobook.fared.words import and_list
from sobook.ledger import block_pages
from sobook.text import html_line, http_url

# --------------------------------------------------------------------------
# the page: HTML, every text from the data escaped, only http(s) links

ASSET = "sobook-fared.css"
_SLUG = {v: re.sub(r"[^a-z]+", "-", v.value.lower()).strip("-") for v in Verdict}


_e = html_line


def _emph(text) -> str:
    """The edition's own words (quotes of the translation), escaped, with *titles* in italics."""
    return re.sub(r"\*([^*<>]+)\*", r"<em>\1</em>", _e(text))


_href = http_url


def _source_html(source: str, url: str) -> str:
    target = _href(url)
    if target:
        return f'<a href="{_e(target)}">{_e(source)}</a>'
    return _e(source) + (f" ({_e(url)})" if url else "")


def where_html(a: Assessment) -> str:
    """A link to the English paragraph the forecast is quoted from."""
    return (f'<a href="{_e(a.chapter)}.html#{_e(a.block)}">{_e(CHAPTER_TITLES[a.chapter])}, paragraph '
            f'{_e(a.block)}</a>')


def _anchor(a: Assessment) -> str:
    return f"fared-{a.key}" if a.section else "fared-other"


def verdict_html(v: Verdict) -> str:
    return f'<span class="so-fared-verdict so-fv-{_SLUG[v]}">{_e(v.value)}</span>'


def definitions_html() -> str:
    """The verdict words, each with its one-line definition."""
    items = "".join(f"<dt>{verdict_html(v)}</dt><dd>{_e(d)}</dd>" for v, d in DEFINITIONS.items())
    return (f'<div class="so-fared"><link rel="stylesheet" href="../_static/{ASSET}">'
            f'<dl class="so-fared-definitions">{items}</dl></div>')


def summary_html(items: list[Assessment]) -> str:
    """The table at the top of the page: every forecast of Section 2 and its verdict."""
    columns = ("No.", "Forecast or target", "Verdict", "What was found")
    # Each cell names its column: on a phone a row is a card (sobook-fared.css).
    label = [f' data-label="{_e(h)}"' for h in columns]
    rows = []
    for n, a in enumerate(items, start=1):
        rows.append(
            f'<tr class="so-fv-{_SLUG[a.verdict]}"><td class="so-num"{label[0]}><a href="#{_anchor(a)}">{n}</a></td>'
            f'<td{label[1]}><strong>{_e(a.title)}</strong>{": " + _e(a.forecast) + "." if a.forecast else "."} '
            f'<span class="so-fared-where">({where_html(a)})</span></td><td{label[2]}>{verdict_html(a.verdict)}</td>'
            f'<td{label[3]}>{_e(a.finding)}</td></tr>')
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in columns)
    return (f'<div class="so-fared"><div class="so-fared-scroll" tabindex="0" role="region" '
            f'aria-label="The items of Section 2 and their verdicts"><table class="so-fared-table">'
            f'<caption>{_e(caption(items))}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></div>')


def body_html(a: Assessment) -> str:
    """An assessment's quote, forecast, test and figures (before its chart)."""
    parts = [f'<blockquote class="so-fared-quote"><p>{_emph(a.quote)}</p>'
             f'<p class="so-fared-where">— {where_html(a)}</p></blockquote>',
             f"<p><strong>In short:</strong> {_e(a.forecast)}.</p>"]
    if a.test:
        parts.append(f"<p><strong>The test:</strong> {_e(a.test)}"
                     + (f" <em>Currency and vintage:</em> {_e(a.basis)}." if a.basis and a.basis != "—" else "")
                     + "</p>")
    if a.outcomes:
        lis = "".join(f"<li>{_e(o.text)} — {_source_html(o.source, o.url)}</li>" for o in a.outcomes)
        parts.append(f'<p><strong>The figures:</strong></p><ul class="so-fared-outcomes">{lis}</ul>')
    if a.computed:
        parts.append('<ul class="so-fared-computed">' + "".join(f"<li>{_e(c)}</li>" for c in a.computed) + "</ul>")
    return f'<div class="so-fared">{"".join(parts)}</div>'


def verdict_block_html(a: Assessment) -> str:
    """An assessment's verdict, why, and its caveat (after its chart)."""
    # The verdict ends with a full stop: read aloud, copied or printed, its
    # words are not run into the finding's ("Holds where known By the end …").
    parts = [f'<p class="so-fared-finding"><strong>Verdict:</strong> {verdict_html(a.verdict)}. {_e(a.finding)}</p>']
    if a.caveat:
        parts.append(f"<p><strong>Caveat:</strong> {_e(a.caveat)}</p>")
    if a.sources:
        parts.append('<p class="so-fared-sources">Sources: '
                     + "; ".join(_source_html(s, u) for s, u in a.sources) + ".</p>")
    return f'<div class="so-fared">{"".join(parts)}</div>'


def other_html(items: list[Assessment]) -> str:
    """The forecasts without a section of their own: quoted, with their verdict."""
    lis = []
    for a in items:
        if a.section:
            continue
        figures = "".join(f"<li>{_e(o.text)} — {_source_html(o.source, o.url)}</li>" for o in a.outcomes)
        lis.append(f'<li><strong>{_e(a.title)}.</strong> “{_emph(a.quote)}” ({where_html(a)}) '
                   f'{verdict_html(a.verdict)}. {_e(a.finding)}'
                   + (f'<ul class="so-fared-outcomes">{figures}</ul>' if figures else "") + "</li>")
    return f'<div class="so-fared"><ul class="so-fared-other">{"".join(lis)}</ul></div>'


def caption(items: list[Assessment]) -> str:
    return (f"The {len(items)} forecasts, targets and expectations of the report's Section 2 this page assesses, "
            "each with its verdict")


def inventory(data_dir, items: list[Assessment]) -> dict:
    """How the sentences of Section 2 are covered: assessed by the items, or left out (by why)."""
    return {"sentences": sum(len(s) for s in section_2().values()), "items": len(items),
            "assessed": len({s for a in items for s in a.sentences}), "left_out": left_out(data_dir, items)}


def tally(items: list[Assessment]) -> dict[Verdict, int]:
    """How many items have each verdict, in the verdicts' own order (a verdict no item has is left out)."""
    counts = Counter(a.verdict for a in items)
    return {v: counts[v] for v in Verdict if counts[v]}


def summary_sentences(data_dir, items: list[Assessment]) -> list[str]:
    """The page's own words on how much of Section 2 it covers and how it fared (tests/test_prose.py
    reads them too)."""
    inv = inventory(data_dir, items)
    n_left = sum(len(v) for v in inv["left_out"].values())
    return [caption(items) + ".",
            f"The report's Section 2 has {inv['sentences']} sentences: {inv['assessed']} of them are assessed here, in "
            f"{inv['items']} items; the other {n_left} are listed at the end of the page, each with why it is left "
            "out.",
            f"Their verdicts: {and_list(f'{n} {v.value}' for v, n in tally(items).items())}."]


def _ranges(numbers: list[int]) -> str:
    """'1–3, 5'."""
    out, run = [], [numbers[0]]
    for n in numbers[1:]:
        if n == run[-1] + 1:
            run.append(n)
        else:
            out.append(run)
            run = [n]
    out.append(run)
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in out)


def left_out_html(data_dir, items: list[Assessment]) -> str:
    """The sentences of Section 2 no item assesses, by why, each group linking to its paragraphs."""
    why = prose(data_dir)["left_out"]["why"]
    blocks = section_2()
    pages = block_pages()
    lis = []
    for reason, sentences in left_out(data_dir, items).items():
        if not sentences:
            continue
        by_block: dict[str, list[int]] = {}
        for block, n in sentences:
            by_block.setdefault(block, []).append(n)
        links = "; ".join(
            f'<a href="{_e(chapter_of(b, pages))}.html#{_e(b)}">{_e(b)}</a>'
            + ("" if len(ns) == len(blocks[b]) else f" ({_e('sentence' if len(ns) == 1 else 'sentences')} {_ranges(ns)})")
            for b, ns in by_block.items())
        lis.append(f"<li><strong>{len(sentences)} {_e(why[reason])}:</strong> {links}</li>")
    return f'<div class="so-fared"><ul class="so-fared-left-out">{"".join(lis)}</ul></div>'


def glue_values(data_dir) -> dict:
    """Every value the page glues: {name: IPython Markdown holding one raw HTML block}."""
    from IPython.display import Markdown

    items = assess(data_dir)
    out: dict = {"fared-summary": Markdown(summary_html(items)), "fared-definitions": Markdown(definitions_html()),
                 "fared-other": Markdown(other_html(items)), "fared-left-out": Markdown(left_out_html(data_dir, items))}
    for a in items:
        if a.section:
            out[f"fared-{a.key}-body"] = Markdown(body_html(a))
            out[f"fared-{a.key}-verdict"] = Markdown(verdict_block_html(a))
    out["fared-coverage"] = " ".join(summary_sentences(data_dir, items)[1:])
    return out
