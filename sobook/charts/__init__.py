"""Charts: one builder per chart, grouped by section, each wrapped in a
reader's panel.

    from sobook import charts
    panel = charts.build("1-4")          # a Panel: chart, table, source, notes
    charts.ids()                         # every registered chart id

* ``registry``: the builders by id and the data they read;
* ``marks``: the shared marks and helpers the builders are made of;
* ``theme``: the colour key (one colour per concept across the book), fonts, axes;
* ``panel``: the panel around a chart, as OWID's grapher has it (number and
  title, subtitle with the unit, chart, notes, one source block, the wide data
  table, downloads with metadata, sources as links, link, citation) and its HTML;
* ``book``: what a panel reads from the book (the report's captions as
  translated, the page of each paragraph and chart);
* ``render``: the static pictures, wide and narrow, each laid out for its width.

Every comparison word a chart's texts use is chosen by ``sobook.statements``
from the numbers, and recomputed by tests/test_statements.py.
* one module per section: ``achievements`` (Section 1: Figures 1-1…1-9) and
  ``achievements_added`` (its Charts E1–E7), ``outlook`` (Section 2: Figures
  1-10…1-12, Charts E8–E10), ``outcomes`` (after the report: E11–E17). The
  edition's charts are numbered in reading order.
"""

from sobook.charts import achievements, achievements_added, outcomes, outlook  # noqa: F401 - they register their builders
from sobook.charts.panel import Panel, label, panel, slug
from sobook.charts.registry import REPORT_FIGURES, build, edition_charts, ids, spec
from sobook.charts.theme import PALETTE, THEME

__all__ = ["PALETTE", "Panel", "REPORT_FIGURES", "THEME", "build", "edition_charts", "ids", "label", "panel",
           "slug", "spec"]
