"""Charts: one builder per chart, grouped by section, each wrapped in a
reader's panel.

    from sobook import charts
    panel = charts.build("1-4")          # a Panel: chart, table, source, notes
    charts.ids()                         # every registered chart id

* ``registry``: the builders by id and the data they read;
* ``marks``: the shared marks and helpers the builders are made of;
* ``theme``: colours, fonts, axes;
* ``panel``: the panel around a chart (title, subtitle, source, notes, table,
  download, alt text) and its HTML;
* one module per section: ``achievements`` (Section 1), ``outlook``
  (Section 2), ``outcomes`` (what happened after the report).
"""

from sobook.charts import achievements, outcomes, outlook  # noqa: F401 - they register their builders
from sobook.charts.panel import Panel, label, panel, slug
from sobook.charts.registry import REPORT_FIGURES, build, edition_charts, ids, spec
from sobook.charts.theme import PALETTE, THEME

__all__ = ["PALETTE", "Panel", "REPORT_FIGURES", "THEME", "build", "edition_charts", "ids", "label", "panel",
           "slug", "spec"]
