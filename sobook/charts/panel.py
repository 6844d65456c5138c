"""Chart panels: one Altair chart wrapped with everything a reader needs.

A panel is a title, a subtitle with the unit, the chart (drawn in the browser
by the Vega bundle the book serves from its own ``_static/``; never a CDN), a
source line, a table of exactly the data drawn, a CSV download of that data,
and alt text. It renders as one self-contained block of HTML, so that myst-nb's
``glue`` can place it with ``{glue:figure}``.

Everything that came from a CSV is escaped here, in one place: the table goes
through pandas' escaping, attributes through ``html.escape`` and the spec JSON
through ``_script_json`` (which keeps ``</script>`` from closing the tag).
"""

from __future__ import annotations

import base64
import html
import json
import re
import urllib.parse
from dataclasses import dataclass, field

import pandas as pd

from sobook.charts import render
from sobook.charts.theme import THEME

SVG_SIZE_RE = re.compile(r'<svg[^>]*? width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"')
# The Vega-Lite mimetype JupyterLab 4 draws (its renderer reads this spec).
VEGALITE_MIME = "application/vnd.vegalite.v5+json"


def label(fig_id: str) -> str:
    """The reader-facing number: the report's own figures keep their numbering
    ("Figure 1-4"); the edition's added charts are numbered apart ("Chart E3")."""
    if re.fullmatch(r"1-\d{1,2}", fig_id):
        return f"Figure {fig_id}"
    if re.fullmatch(r"e\d{1,2}", fig_id):
        return f"Chart E{fig_id[1:]}"
    if re.fullmatch(r"[a-z][a-z0-9-]*", fig_id):
        return f"Chart {fig_id}"
    raise ValueError(f"chart id {fig_id!r}: expected '1-N' (report figure) or 'eN' (edition chart)")


def slug(fig_id: str) -> str:
    """Stable HTML id / file stem for a chart (no randomness: ids are part of
    the committed notebooks and must be identical on every run)."""
    return "chart-" + re.sub(r"[^a-z0-9-]", "-", fig_id.lower())


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _script_json(obj) -> str:
    """JSON that is safe inside <script type="application/json">."""
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@dataclass
class Panel:
    fig_id: str
    chart: object  # an Altair top-level chart
    data: pd.DataFrame
    title: str
    subtitle: str
    source: str
    alt_text: str
    caption_note: str | None = None
    _spec: dict | None = field(default=None, repr=False)
    _pictures: dict | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return label(self.fig_id)

    @property
    def slug(self) -> str:
        return slug(self.fig_id)

    def spec(self) -> dict:
        """The Vega-Lite spec with the house theme, the alt text as the
        chart's description, and a width that follows its container."""
        if self._spec is None:
            spec = self.chart.to_dict()
            spec["config"] = _merge(THEME, spec.get("config", {}))
            spec["description"] = self.alt_text
            spec.setdefault("autosize", {"type": "fit-x", "contains": "padding"})
            self._spec = spec
        return self._spec

    def pictures(self) -> dict[str, str]:
        """The static pictures, {"wide": SVG, "narrow": SVG} (see sobook.charts.render)."""
        if self._pictures is None:
            self._pictures = {"wide": render.svg(self.spec(), render.WIDE),
                              "narrow": render.svg(self.spec(), render.NARROW)}
        return self._pictures

    def picture_html(self) -> str:
        """The static picture: the narrow drawing on a phone, the wide one
        elsewhere, both as data: URIs (the executed notebook is complete in
        itself; the book's extension moves them into files). Sized, so that
        nothing moves when it loads."""
        def attrs(kind: str) -> str:
            svg = self.pictures()[kind]
            w, h = SVG_SIZE_RE.search(svg).groups()
            data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            src = "srcset" if kind == "narrow" else "src"
            return f'{src}="data:image/svg+xml;base64,{data}" data-file="{self.slug}{"-narrow" if kind == "narrow" else ""}.svg" width="{w}" height="{h}"'

        return (f'<picture class="so-static-picture"><source media="{render.NARROW_MEDIA}" {attrs("narrow")}>'
                f'<img class="so-static" {attrs("wide")} alt="" loading="lazy" decoding="async"></picture>')

    def csv(self) -> str:
        return self.data.to_csv(index=False, lineterminator="\n")

    def table_html(self) -> str:
        # escape=True: every cell that came from a CSV is text, never markup.
        table = self.data.to_html(
            index=False, escape=True, border=0, na_rep="—", classes="so-data-table"
        )
        # pandas indents every tag; the page carries many tables, so drop the
        # whitespace between tags (never inside a cell).
        return re.sub(r">\s+<", "><", table)

    def html(self) -> str:
        e = lambda s: html.escape(str(s), quote=True)  # noqa: E731
        sid = self.slug
        href = "data:text/csv;charset=utf-8," + urllib.parse.quote(self.csv(), safe="")
        note = f'<p class="so-note" id="{sid}-note">{e(self.caption_note)}</p>' if self.caption_note else ""
        # For assistive technology the chart is one image: its name is the alt
        # text, its description the unit, the source, the note and the pointer
        # to the data table (the panel's own visible lines, aria-describedby).
        # The role sits on a frame around the drawing, because Vega sets its
        # own role ("graphics-document") on the element it draws into; the
        # drawing itself (its axes and marks) is hidden from assistive
        # technology: the data table next to it carries the same values.
        described_by = " ".join(
            f"{sid}-{part}" for part in ["subtitle", "source"] + (["note"] if note else []) + ["table"]
        )
        return (
            f'<div class="so-panel" id="{sid}-panel">'
            f'<p class="so-title">{e(self.title)}</p>'
            f'<p class="so-subtitle" id="{sid}-subtitle">{e(self.subtitle)}</p>'
            f'<div class="so-chart-frame" role="img" aria-label="{e(self.alt_text)}" '
            f'aria-describedby="{described_by}">'
            f'<div class="so-chart" id="{sid}" aria-hidden="true">'
            # the static picture, shown until the interactive chart is drawn
            f"{self.picture_html()}"
            f"</div></div>"
            f'<script type="application/json" class="so-spec" data-target="{sid}">'
            f"{_script_json(self.spec())}</script>"
            f'<p class="so-source" id="{sid}-source">Source: {e(self.source)}</p>{note}'
            f'<details class="so-table"><summary id="{sid}-table">Data table ({len(self.data)} rows)</summary>'
            f'<div class="so-table-wrap" tabindex="0" role="region" aria-label="{e(self.label)} data">'
            f"{self.table_html()}</div></details>"
            f'<p class="so-download"><a download="{sid}.csv" href="{href}" data-file="{sid}.csv">'
            f"Download the data (CSV)</a></p>"
            f"</div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The panel (with its picture) for the book, JupyterLab, nbconvert;
        the spec at the wide picture's width for tools that draw Vega-Lite
        ('container' width makes JupyterLab's renderer grow without end)."""
        return {
            "text/html": self.html(),
            VEGALITE_MIME: render.fixed_width(self.spec(), render.WIDE),
            "text/plain": f"{self.label}: {self.title}",
        }


def panel(**kwargs) -> Panel:
    """Wrap an Altair chart and the data it draws into a reader's panel."""
    p = Panel(**kwargs)
    label(p.fig_id)  # refuse a malformed id early, with a clear message
    if p.data is None or not isinstance(p.data, pd.DataFrame):
        raise TypeError(f"{p.fig_id}: data must be the DataFrame the chart draws")
    for name in ("title", "subtitle", "source", "alt_text"):
        if not str(getattr(p, name) or "").strip():
            raise ValueError(f"{p.fig_id}: panel needs a non-empty {name}")
    return p
