"""The house look of every chart: colours, fonts, axes, legends."""

from __future__ import annotations

# Okabe–Ito: distinguishable under the common colour-vision deficiencies.
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: weak contrast on white, use for fills only)
]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# The house theme. The chart always sits on a white card (also in the book's
# dark mode), so dark text on white stays legible in both modes.
THEME = {
    "background": "#ffffff",
    "font": FONT,
    "view": {"stroke": None},
    "range": {"category": PALETTE},
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
        "labelColor": "#333333",
        "titleColor": "#333333",
        "gridColor": "#e6e6e6",
        "domainColor": "#888888",
        "tickColor": "#888888",
    },
    "axisX": {"labelAngle": 0},
    "legend": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "orient": "bottom",
        "direction": "vertical",
        "labelLimit": 300,
        "offset": 24,  # clear of the x-axis labels
        # Several legends under a chart go one below the other, not side by
        # side (side by side they overflow a phone-width chart). Vega-Lite
        # only passes Vega's legend layout through as an expression.
        "layout": {"expr": "{bottom: {anchor: 'start', direction: 'vertical', margin: 6, bounds: 'full'}}"},
    },
    "header": {"labelFontSize": 12, "titleFontSize": 12},
    "text": {"fontSize": 11, "color": "#333333"},
    "title": {"fontSize": 13, "anchor": "start"},
}
