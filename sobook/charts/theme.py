"""The house look of every chart: the colour key, fonts, axes, legends.

The colour key
==============

One colour per concept across the whole book, so that a colour means the same
thing in every chart (``COLOURS``; tests/test_encodings.py asserts that every
chart draws its concepts in these colours and in no others). Based on
Okabe–Ito (distinguishable under the common colour-vision deficiencies), with
a neutral slate for single series and two additions where Okabe–Ito has no
eighth usable hue:

=================  =========  ====================================================
concept            colour     drawn for
=================  =========  ====================================================
``offshore``       #0072B2    China's offshore outsourcing (blue)
``onshore``        #56B4E9    China's onshore outsourcing (sky blue: the other
                              part of the same total)
``ITO``            #009E73    information technology outsourcing (bluish green)
``BPO``            #E69F00    business process outsourcing (orange)
``KPO``            #CC79A7    knowledge process outsourcing (reddish purple)
``cloud``          #332288    ISG's as-a-service (cloud) segment (indigo, Tol)
``neutral``        #51606E    any single series, and the report's own figures
                              where they meet later ones (slate)
``base``           #A3ADB7    an earlier year set against a later one (light
                              slate: fills and points only, never text)
``later``          #D55E00    figures published after the report (vermillion)
``forecast``       #000000    forecasts and targets: always a dashed outline or
                              a dashed path (black)
=================  =========  ====================================================

Estimates and derived values are not colours but treatments of the
concept's colour (``STATUS`` in marks.py): an estimate is a lighter fill, a
value the edition computed a pale fill with a dotted outline, a forecast a
hollow bar with a dashed outline; a series' legend swatch is drawn the same
way. Text is never drawn in a colour below
4.5:1 on white: labels use ``INK`` (or white inside a dark fill), and where a
concept's colour carries text its darker ``TEXT`` variant is used.
"""

from __future__ import annotations

COLOURS = {
    "offshore": "#0072B2",
    "onshore": "#56B4E9",
    "ITO": "#009E73",
    "BPO": "#E69F00",
    "KPO": "#CC79A7",
    "cloud": "#332288",
    "neutral": "#51606E",
    "base": "#A3ADB7",
    "later": "#D55E00",
    "forecast": "#000000",
}
NEUTRAL = COLOURS["neutral"]
# Text in a concept's colour (≥ 4.5:1 on white): the darker variant where the
# colour itself falls short.
TEXT = {
    "offshore": "#0072B2",
    "neutral": "#51606E",
    "later": "#B34700",
    "forecast": "#000000",
    "ITO": "#00704F",
    "cloud": "#332288",
}
INK = "#222222"       # labels and annotations
MUTED = "#555555"     # the "not published" marks, secondary labels
# Fills dark enough for white text on them (≥ 4.5:1).
DARK_FILLS = {COLOURS["offshore"], COLOURS["cloud"], COLOURS["neutral"], COLOURS["forecast"]}

# For Vega-Lite's default category range (a chart always sets its own scale).
PALETTE = [COLOURS[k] for k in ("offshore", "BPO", "ITO", "later", "KPO", "onshore", "forecast", "neutral")]


def luminance(hex_colour: str) -> float:
    c = hex_colour.lstrip("#")
    rgb = [int(c[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str = "#ffffff") -> float:
    la, lb = sorted([luminance(a), luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Below this width (the `sow` parameter, see marks.py) a chart uses its
# narrow layout.
NARROW_AT = 560
# The chart's text, in px: at least 12 in the wide layout and 11 in the narrow
# one (a phone's), as drawn (Our World in Data's charts use 12–14 px).
TEXT_PX = (12, 11)
_TEXT_PX = {"expr": f"sow < {NARROW_AT} ? {TEXT_PX[1]} : {TEXT_PX[0]}"}

# The charts' font, in the page as in the static pictures (render.py): the
# interactive chart then lays its labels out as its picture does. Liberation
# Sans, Arial and Helvetica share their metrics.
FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"

# The house theme. The chart always sits on a white card (also in the book's
# dark mode), so dark text on white stays legible in both modes. Text at
# TEXT_PX at every width.
THEME = {
    "background": "#ffffff",
    "font": FONT,
    "view": {"stroke": None},
    "range": {"category": PALETTE},
    "axis": {
        "labelFontSize": _TEXT_PX,
        "titleFontSize": _TEXT_PX,
        "titleFontWeight": "normal",
        "labelColor": "#333333",
        "titleColor": "#333333",
        "gridColor": "#e6e6e6",
        "domainColor": "#888888",
        "tickColor": "#888888",
    },
    "axisX": {"labelAngle": 0},
    "legend": {
        "labelFontSize": _TEXT_PX,
        "titleFontSize": _TEXT_PX,
        "orient": "bottom",
        "direction": "vertical",
        "labelLimit": {"expr": "max(120, sow - 60)"},
        "offset": 14,
        "layout": {"expr": "{bottom: {anchor: 'start', direction: 'vertical', margin: 6, bounds: 'full'}}"},
    },
    "header": {"labelFontSize": _TEXT_PX, "titleFontSize": _TEXT_PX},
    "text": {"fontSize": _TEXT_PX, "color": INK},
    "title": {"fontSize": 13, "anchor": "start"},
}
