"""Chart panels: one chart with everything a reader needs, as in Our World
in Data's grapher.

Top to bottom: the number and title (for the report's figures, the report's
caption from the translation, which the book's figure caption carries and
the page's CSS places on top), a subtitle with the unit, the chart (a static
picture until the reader reaches it, then the interactive Vega chart), the
notes, one source block (the report's source line first, then the
edition's), and the tools: the data table (wide: years down, series across,
units in the headers, marked estimates, forecasts and computed values with
their derivation in words), the downloads (CSV with a metadata sidecar,
SVG and PNG with title, subtitle, notes and source drawn in), the sources
as links, a link to the chart and how to cite it.

Everything that came from a CSV is escaped here, in one place: attributes
and text through ``html.escape``, the spec JSON through ``_script_json``
(which keeps ``</script>`` from closing the tag), the SVG text through
``xml_text``.
"""

from __future__ import annotations

import base64
import html
import json
import re
import urllib.parse
from dataclasses import dataclass, field

import pandas as pd

from sobook import citation
from sobook.charts import book, render
from sobook.charts.marks import GAPS, gap_mark, wrap
from sobook.charts.theme import INK, MUTED, THEME
from sobook.text import number

SVG_SIZE_RE = re.compile(r'<svg[^>]*? width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"')
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
LICENCE = ("No licence for the report or the releases is known; the numbers are facts as published, with their "
           "publishers named. The edition's code and derived values: see the book's About page.")
MARKS = {"Estimate": ("e", "estimate"), "Forecast": ("f", "forecast"),
         "Computed by the edition": ("c", "computed by the edition (how: below)")}
# columns of a chart's data that only style its marks, never shown or downloaded
_PRESENTATION = ("Label", "Label colour", "Value (text)", "_note", "_url", "_kind")


def label(fig_id: str) -> str:
    """The reader-facing number: the report's figures keep their numbering
    ("Figure 1-4"); the edition's charts are numbered apart ("Chart E3"), in
    the book's reading order."""
    if re.fullmatch(r"1-\d{1,2}", fig_id):
        return f"Figure {fig_id}"
    if re.fullmatch(r"e\d{1,2}", fig_id):
        return f"Chart E{fig_id[1:]}"
    if re.fullmatch(r"[a-z][a-z0-9-]*", fig_id):
        return f"Chart {fig_id}"
    raise ValueError(f"chart id {fig_id!r}: expected '1-N' (report figure) or 'eN' (edition chart)")


def slug(fig_id: str) -> str:
    return "chart-" + re.sub(r"[^a-z0-9-]", "-", fig_id.lower())


def is_report_figure(fig_id: str) -> bool:
    return bool(re.fullmatch(r"1-\d{1,2}", fig_id))


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _script_json(obj) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def e(s) -> str:
    return html.escape(str(s), quote=True)


def xml_text(s) -> str:
    return html.escape(str(s), quote=False)


def licence(cite) -> str:
    """The licence of the edition's own material (its charts among it), as
    CITATION.cff names it ("CC-BY-4.0" is "CC BY 4.0")."""
    return next((name.replace("-", " ") for name in cite.licences if name.upper().startswith("CC")),
                "see the book's About page")


def year_span(x) -> bool:
    """Whether a row is of a span of years ("2016–2020", "2017+2018"), not of one year or a part of one."""
    return bool(re.fullmatch(r"\d{4}\s*[-–+]\s*\d{4}", str(x)))


def _href(url: str) -> str | None:
    """A link for a source address: http(s) only (an address without a
    scheme is taken as http)."""
    url = str(url or "").strip()
    if not url:
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        return url if re.match(r"^https?://", url, re.I) else None
    return "http://" + url


@dataclass
class Panel:
    fig_id: str
    chart: object
    data: pd.DataFrame
    title: str
    subtitle: str
    source: str
    alt_text: str
    caption_note: str | None = None
    statements: tuple = ()  # the Words and computed Operands its texts make (sobook.statements)
    later: bool = False  # a chart of what came after the report: its gaps after 2020 are "not found" (marks.gap_mark)
    _spec: dict | None = field(default=None, repr=False)
    _pictures: dict | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return label(self.fig_id)

    @property
    def slug(self) -> str:
        return slug(self.fig_id)

    @property
    def report(self) -> dict:
        """The report's caption, source line and note for this figure, as the
        translation gives them (empty for the edition's charts)."""
        if not is_report_figure(self.fig_id):
            return {}
        return book.captions().get(self.fig_id, {})

    @property
    def heading(self) -> str:
        """The figure's title as the reader sees it: the report's caption
        (translated) for its figures, the edition's title for its charts."""
        return self.report.get("caption") or self.title

    # ------------------------------------------------------------------ spec

    def spec(self) -> dict:
        if self._spec is None:
            spec = self.chart.to_dict()
            spec["config"] = _merge(THEME, spec.get("config", {}))
            spec["description"] = self.alt_text
            spec.setdefault("autosize", {"type": "fit-x", "contains": "padding"})
            # the width the chart is laid out for (see marks.py): the static
            # pictures and the page's script set it
            spec["params"] = [{"name": "sow", "value": render.WIDE}] + list(spec.get("params", []))
            self._spec = spec
        return self._spec

    def pictures(self) -> dict[str, str]:
        if self._pictures is None:
            self._pictures = {"wide": render.svg(self.spec(), render.WIDE),
                              "narrow": render.svg(self.spec(), render.NARROW)}
        return self._pictures

    def picture_html(self) -> str:
        def attrs(kind: str) -> str:
            svg = self.pictures()[kind]
            w, h = SVG_SIZE_RE.search(svg).groups()
            data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            src = "srcset" if kind == "narrow" else "src"
            return (f'{src}="data:image/svg+xml;base64,{data}" data-file="{self.slug}'
                    f'{"-narrow" if kind == "narrow" else ""}.svg" width="{w}" height="{h}"')

        return (f'<picture class="so-static-picture"><source media="{render.NARROW_MEDIA}" {attrs("narrow")}>'
                f'<img class="so-static" {attrs("wide")} alt="" loading="lazy" decoding="async"></picture>')

    # ------------------------------------------------------------- the data

    @property
    def x_name(self) -> str:
        return self.data.columns[0]

    def csv(self) -> str:
        """The data drawn, one row per value (long), with its unit, status,
        source and data-package row: for reuse."""
        cols = [c for c in self.data.columns if c not in _PRESENTATION]
        return self.data[cols].to_csv(index=False, lineterminator="\n")

    def sources(self) -> list[dict]:
        """The distinct sources of the values drawn: the report's paragraphs,
        the releases (publisher and address), the edition's computations."""
        out, seen = [], set()
        blank = [""] * len(self.data)
        notes, urls, kinds = (self.data[c] if c in self.data.columns else blank for c in ("_note", "_url", "_kind"))
        for s, note, url, page in zip(self.data["Source"], notes, urls, kinds):
            s = str(s)
            if s in seen:
                continue
            seen.add(s)
            if note or url:
                out.append({"kind": "release", "text": s, "publisher": str(note), "url": str(url),
                            "page": str(page or "")})
                continue
            m = re.fullmatch(r"The report, paragraph (\S+)", s)
            if m:
                out.append({"kind": "report", "text": s, "block": m.group(1)})
                continue
            if s.startswith("Computed by the edition: "):
                out.append({"kind": "derived", "text": s})
                continue
            m = re.fullmatch(r"(.*) \(([^()]*)\)", s, re.S)
            out.append({"kind": "release", "text": s, "publisher": m.group(1) if m else s,
                        "url": m.group(2) if m else "", "page": ""})
        return out

    def blocks(self) -> list[str]:
        """The report's paragraphs whose numbers the chart draws, in order."""
        return [s["block"] for s in self.sources() if s["kind"] == "report"]

    def rows(self) -> list[str]:
        """The data package's rows the chart draws, in order."""
        return list(dict.fromkeys(r for r in self.data.get("Data row", []) if isinstance(r, str) and r))

    def metadata(self) -> dict:
        units = sorted(set(self.data["Unit"]))
        return {
            "title": f"{self.label}: {self.heading}",
            "subtitle": self.subtitle,
            "unit": units[0] if len(units) == 1 else units,
            "source": self.source_line(),
            "notes": self.notes(),
            "sources": [f"{s['page']}: {s['text']}" if s.get("page") else s["text"] for s in self.sources()],
            "licence": LICENCE,
            "citation": self.citation().plain(accessed=None),
            "columns": {
                self.x_name: "the category or year of the value",
                "Series": "what the value is",
                "Value": "the value, in Unit",
                "Unit": "the value's unit",
                "Status": "Reported, Estimate, Forecast, or Computed by the edition",
                "Source": "where the value comes from (a paragraph of the report, a release, or the edition's "
                          "computation in words; the formula is in the data package)",
                "Data row": "the row of the edition's data package",
            },
        }

    def notes(self) -> list[str]:
        out = []
        if self.report.get("note"):
            out.append(self.report["note"])
        if self.caption_note:
            out.append(self.caption_note)
        return out

    def source_line(self) -> str:
        rep = self.report.get("source")
        return (f"{rep} (the report's source line). The edition's data: {self.source}" if rep
                else self.source)

    def citation(self) -> citation.Citation:
        """The chart as part of the edition: author, year, title, version,
        the repository's address where one is set, the access date."""
        return citation.load().chart(self.label, self.heading, self.slug)

    def wide(self) -> tuple[pd.DataFrame, list[str], dict]:
        """The reader's table: one row per year (or category) in order, one
        column per series with its unit; each cell the value with a mark if
        it is an estimate (e), a forecast (f) or computed (c); the
        computations written out below the table."""
        d = self.data
        x = self.x_name
        order = list(dict.fromkeys(d[x]))
        if all(re.fullmatch(r"\d{4}.*", str(v)) for v in order):
            # the years in order, then the spans of years ("2016–2020", "2017+2018")
            order = sorted(order, key=lambda v: (year_span(v), str(v)[:4], len(str(v)), str(v)))
        series = list(dict.fromkeys(d["Series"]))
        units = {s: d.loc[d["Series"] == s, "Unit"].iloc[0] for s in series}
        extra = [c for c in d.columns if c not in (x, "Series", "Value", "Unit", "Status", "Source", "Data row",
                                                   *_PRESENTATION)]
        cells, how = {}, []
        for r in d.itertuples(index=False):
            rd = r._asdict() if hasattr(r, "_asdict") else dict(zip(d.columns, r))
            rd = dict(zip(d.columns, r))
            mark = MARKS.get(rd["Status"], ("", ""))[0]
            cells[(rd[x], rd["Series"])] = (number(rd["Value"]), mark)
            if rd["Status"] == "Computed by the edition":
                how.append(f"{rd[x]}, {rd['Series']}: {str(rd['Source']).replace('Computed by the edition: ', '')}")
        heads = [x] + [f"{s} ({units[s]})" if units[s] not in s else s for s in series] + extra
        # a series of single years has nothing to say in a row of a span of years ("2016–2020"), nor a series
        # of spans in a year's row: such a cell is empty, not a gap (None) that the sources leave
        kinds = {s: {year_span(v) for v in d.loc[d["Series"] == s, x]} for s in series}
        rows = []
        for v in order:
            sub = d[d[x] == v]
            row = [v] + [cells.get((v, s), None if year_span(v) in kinds[s] else "") for s in series]
            for c in extra:
                vals = [str(a) for a in sub[c] if str(a) not in ("", "nan")]
                row.append(vals[0] if vals else "")
            rows.append(row)
        used = sorted({m for (_, m) in cells.values() if m})
        return rows, heads, {"how": how, "marks": used, "nseries": len(series)}

    def table_html(self) -> str:
        rows, heads, info = self.wide()
        n = info["nseries"]
        out = ['<table class="so-data-table so-wide"><thead><tr>']
        out += [f"<th>{e(h)}</th>" for h in heads]
        out.append("</tr></thead><tbody>")
        for row in rows:
            out.append(f"<tr><th>{e(row[0])}</th>")
            for i, c in enumerate(row[1:]):
                if i < n:
                    if c is None:
                        out.append(f'<td class="so-np">{gap_mark(row[0], self.later)}</td>')
                    elif c == "":
                        out.append("<td></td>")
                    else:
                        val, mark = c
                        sup = f"<sup>{mark}</sup>" if mark else ""
                        out.append(f"<td>{e(val)}{sup}</td>")
                else:
                    out.append(f'<td class="so-text">{e(c)}</td>')
            out.append("</tr>")
        out.append("</tbody></table>")
        key = [f"<b>{m}</b> {e(w)}" for k, (m, w) in MARKS.items() if m in info["marks"]]
        gaps = {gap_mark(row[0], self.later) for row in rows for c in row[1:n + 1] if c is None}
        key += [f"<b>{m}</b> {e(words)} ({e(meaning)})" for m, (words, meaning) in GAPS.items() if m in gaps]
        parts = ["".join(out)]
        if key:
            parts.append(f'<p class="so-key">{" · ".join(key)}</p>')
        if info["how"]:
            parts.append('<ul class="so-how">' + "".join(f"<li>{e(h)}</li>" for h in info["how"]) + "</ul>")
        return "".join(parts)

    def sources_html(self) -> str:
        rows = []
        for s in self.sources():
            if s["kind"] == "report":
                link = book.paragraph_link(s["block"])
                cell = (f'<a href="{e(link)}">{e(s["text"])}</a>' if link else e(s["text"]))
                rows.append(f"<tr><td>{cell}</td></tr>")
            elif s["kind"] == "release":
                href = _href(s["url"])
                pub = f'<a href="{e(href)}">{e(s["publisher"])}</a>' if href else e(s["publisher"])
                # the kind of page (state media, reprint …) as the data package declares it
                page = f'<span class="so-source-kind">{e(s["page"])}</span>: ' if s["page"] else ""
                rows.append(f"<tr><td>{pub} ({page}{e(s['url'])})</td></tr>")
            else:
                rows.append(f"<tr><td>{e(s['text'])}</td></tr>")
        return '<table class="so-data-table so-sources-table"><tbody>' + "".join(rows) + "</tbody></table>"

    # ------------------------------------------------------------ downloads

    def address(self) -> str:
        """Where the chart stands: its page and anchor in the book, and the
        repository's address where the book's configuration gives one."""
        page = book.figure_pages().get(self.fig_id)
        where = f"chapters/{page}.html#fig-{self.fig_id}" if page else f"the chart {self.label}"
        url = citation.load().url
        return f"{where} (repository: {url})" if url else where

    def full_svg(self) -> str:
        """The wide picture with its number and title, subtitle, notes and
        source drawn in: a picture that stands on its own."""
        chart = self.pictures()["wide"]
        w, h = (float(v) for v in SVG_SIZE_RE.search(chart).groups())
        pad = 12
        width = w + 2 * pad  # the chart clear of the picture's edges
        chars = int((width - 2 * pad) / (15 * 0.62))   # bold 15 px title
        sub = int((width - 2 * pad) / (12 * 0.56))
        small = int((width - 2 * pad) / (12 * 0.56))
        lines = []  # (text, size, weight, colour)
        for t in wrap(f"{self.label}. {self.heading}", chars).split("\n"):
            lines.append((t, 15, "bold", INK))
        for t in wrap(self.subtitle, sub).split("\n"):
            lines.append((t, 12, "normal", MUTED))
        top, y = [], pad
        for text, size, weight, colour in lines:
            y += size + 4
            top.append(f'<text x="{pad}" y="{y}" font-size="{size}" font-weight="{weight}" fill="{colour}">'
                       f"{xml_text(text)}</text>")
        y += 8
        chart_y = y
        y += h + 6
        bottom = []
        cite = citation.load()
        foot = [("Note: " + n) for n in self.notes()] + ["Source: " + self.source_line(),
                                                          f"{self.label} of {cite.title}, version {cite.version}: "
                                                          f"{self.address()}. Licence: {licence(cite)}."]
        for para in foot:
            for t in wrap(para, small).split("\n"):
                y += 15
                bottom.append(f'<text x="{pad}" y="{y}" font-size="12" fill="{MUTED}">{xml_text(t)}</text>')
            y += 4
        y += pad
        inner = re.sub(r"^<\?xml[^>]*>\s*", "", chart)
        inner = re.sub(r"^<svg ", f'<svg x="{pad}" y="{chart_y}" ', inner, count=1)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{y:g}" '
                f'viewBox="0 0 {width:g} {y:g}" font-family="{render.STATIC_FONT.replace(chr(39), "")}">'
                f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(top)}{inner}{"".join(bottom)}</svg>')

    # ------------------------------------------------------------------ html

    def html(self) -> str:
        sid = self.slug
        csv_href = "data:text/csv;charset=utf-8," + urllib.parse.quote(self.csv(), safe="")
        meta = json.dumps(self.metadata(), ensure_ascii=False, indent=1)
        meta_href = "data:application/json;charset=utf-8," + urllib.parse.quote(meta, safe="")
        svg_b64 = base64.b64encode(self.full_svg().encode("utf-8")).decode("ascii")
        report = is_report_figure(self.fig_id)
        # a report figure may carry the report's own note (in its caption): the edition's says whose it is
        prefix = "The edition's note: " if report else "Note: "
        notes = "".join(f'<p class="so-note">{prefix}{book.link_figures(e(n), self.fig_id)}</p>'
                        for n in ([self.caption_note] if self.caption_note else []))
        title = ("" if report else
                 f'<p class="so-title"><span class="so-label">{e(self.label)}</span> {e(self.title)}</p>')
        source = (f'<p class="so-source" id="{sid}-source">'
                  + ("The edition's data: " if report else "Source: ") + f"{e(self.source)}"
                  + ("" if report else " Chart added by this edition.") + "</p>")
        # for assistive technology: the whole source block in one description
        # (the report's source line stands in the figure's caption, which an
        # id cannot name: a hidden copy of it leads the description)
        srcdesc = (f'<span class="so-sr" id="{sid}-srcdesc">Source: {e(self.report["source"])}.</span>'
                   if self.report.get("source") else "")
        described_by = " ".join([f"{sid}-subtitle"] + ([f"{sid}-srcdesc"] if srcdesc else []) + [f"{sid}-source"]
                                + ([f"{sid}-note"] if notes else []) + [f"{sid}-table"])
        if notes:
            notes = notes.replace('<p class="so-note">', f'<p class="so-note" id="{sid}-note">', 1)
        anchor = f"fig-{self.fig_id}"
        return (
            # tex2jax_ignore / mathjax_ignore: JupyterLab and nbconvert run MathJax over
            # outputs, and "US$ billion … US$" would read as maths.
            # data-*: the paragraphs and the key figures whose numbers the chart draws link to it (sphinx_ext.panels)
            f'<div class="so-panel tex2jax_ignore mathjax_ignore" id="{sid}-panel" data-anchor="{anchor}" '
            f'data-label="{e(self.label)}" data-blocks="{e(" ".join(self.blocks()))}" '
            f'data-rows="{e(" ".join(self.rows()))}">{title}'
            f'<p class="so-subtitle" id="{sid}-subtitle">{e(self.subtitle)}</p>'
            f'<div class="so-chart-frame" role="img" aria-label="{e(self.alt_text)}" aria-describedby="{described_by}">'
            f'<div class="so-chart" id="{sid}" aria-hidden="true">{self.picture_html()}</div></div>'
            f'<script type="application/json" class="so-spec" data-target="{sid}">{_script_json(self.spec())}</script>'
            f"{notes}{source}{srcdesc}"
            f'<details class="so-table"><summary id="{sid}-table">Data table</summary>'
            f'<div class="so-table-wrap" tabindex="0" role="region" aria-label="{e(self.label)} data">'
            f"{self.table_html()}</div></details>"
            f'<p class="so-download">Download: <a download="{sid}.csv" href="{csv_href}" data-file="{sid}.csv">'
            f"data (CSV)</a> · "
            f'<a download="{sid}-metadata.json" href="{meta_href}" data-file="{sid}-metadata.json">its metadata</a> · '
            f'<a download="{sid}.svg" href="data:image/svg+xml;base64,{svg_b64}" data-file="{sid}-full.svg">SVG</a> · '
            f'<a class="so-png" download="{sid}.png" data-from="{sid}-full.svg">PNG</a> · '
            f'<a class="so-link" href="#{anchor}">Link</a></p>'
            f'<details class="so-sources"><summary>Sources</summary>{self.sources_html()}</details>'
            f'<details class="so-cite"><summary>Cite this chart</summary>{citation.html(self.citation())}</details>'
            f"</div>"
        )

    def summary(self) -> str:
        """The chart as text: its title, one line per value drawn, and a
        digest of its HTML and spec (nbval compares this; chapters/conftest.py)."""
        import hashlib

        lines = [f"{self.label}: {self.heading}"]
        for r in self.data.itertuples(index=False):
            row = dict(zip(self.data.columns, r))
            lines.append(f"{row[self.x_name]} · {row['Series']} · {number(row['Value'])} {row['Unit']}")
        html = self.html()
        spec = json.dumps(render.fixed_width(self.spec(), render.WIDE), sort_keys=True)
        lines.append(f"(HTML and spec: sha256 {hashlib.sha256((html + spec).encode()).hexdigest()[:16]})")
        return "\n".join(lines)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self.html(),
            VEGALITE_MIME: render.fixed_width(self.spec(), render.WIDE),
            "text/plain": self.summary(),
        }


def panel(**kwargs) -> Panel:
    p = Panel(**kwargs)
    label(p.fig_id)
    if p.data is None or not isinstance(p.data, pd.DataFrame):
        raise TypeError(f"{p.fig_id}: data must be the DataFrame the chart draws")
    for name in ("title", "subtitle", "source", "alt_text"):
        if not str(getattr(p, name) or "").strip():
            raise ValueError(f"{p.fig_id}: panel needs a non-empty {name}")
    return p
