"""The page 'How the outlook fared': its HTML, every text from the data escaped, only http(s) links."""

from __future__ import annotations

import re

from sobook.fared.facts import Assessment
from sobook.fared.items import assess
from sobook.fared.verdicts import CHAPTER_TITLES, DEFINITIONS, Verdict
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
    rows = []
    for n, a in enumerate(items, start=1):
        rows.append(
            f'<tr class="so-fv-{_SLUG[a.verdict]}"><td class="so-num"><a href="#{_anchor(a)}">{n}</a></td>'
            f'<td><strong>{_e(a.title)}</strong>{": " + _e(a.forecast) + "." if a.forecast else "."} <span class="so-fared-where">'
            f'({where_html(a)})</span></td><td>{verdict_html(a.verdict)}</td><td>{_e(a.finding)}</td></tr>')
    head = "".join(f'<th scope="col">{h}</th>' for h in ("No.", "Forecast or target", "Verdict", "What was found"))
    return (f'<div class="so-fared"><div class="so-fared-scroll" tabindex="0" role="region" '
            f'aria-label="Every forecast of Section 2 and its verdict"><table class="so-fared-table">'
            f'<caption>Every forecast and target of the report\'s Section 2 ({len(items)}), with its verdict</caption>'
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
    parts = [f'<p class="so-fared-finding"><strong>Verdict:</strong> {verdict_html(a.verdict)} {_e(a.finding)}</p>']
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
        lis.append(f'<li><strong>{_e(a.title)}.</strong> “{_emph(a.quote)}” ({where_html(a)}) '
                   f'{verdict_html(a.verdict)} {_e(a.finding)}</li>')
    return f'<div class="so-fared"><ul class="so-fared-other">{"".join(lis)}</ul></div>'


def glue_values(data_dir) -> dict:
    """Every value the page glues: {name: IPython Markdown holding one raw HTML block}."""
    from IPython.display import Markdown

    items = assess(data_dir)
    out: dict = {"fared-summary": Markdown(summary_html(items)), "fared-definitions": Markdown(definitions_html()),
                 "fared-other": Markdown(other_html(items))}
    for a in items:
        if a.section:
            out[f"fared-{a.key}-body"] = Markdown(body_html(a))
            out[f"fared-{a.key}-verdict"] = Markdown(verdict_block_html(a))
    counts = {v: sum(a.verdict == v for a in items) for v in Verdict}
    out["fared-count"] = str(len(items))
    out["fared-count-tested"] = str(sum(counts[v] for v in (Verdict.MET, Verdict.MISSED, Verdict.HOLDS, Verdict.FAILS)))
    return out
