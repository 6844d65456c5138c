"""A chart's static pictures, drawn from its Vega-Lite spec by vl-convert in
the chapter's own kernel, so that the executed notebook carries them:
JupyterLab, nbconvert and GitHub show the chart without running Vega, the
book extracts them into files, and print and readers without JavaScript
see the same picture.

Two widths: a wide picture for desktops and tablets, and a narrow one that a
phone shows at its own size (a wide picture scaled down to a phone's column
would make its text unreadably small).

The picture's font: vl-convert lays the text out with the metrics of the
first family it finds; the reader's browser then draws the same <text> with
the first family *it* finds. With a system-ui list the two differed
(vl-convert: Liberation Sans; a Linux browser: DejaVu Sans, 15% wider) and
long labels ran off the picture's edge. Liberation Sans, Arial and Helvetica
share their metrics, so the picture fits wherever one of them is installed,
which is nearly everywhere; the interactive chart uses the same font
(theme.FONT).
"""

from __future__ import annotations

import copy

from sobook.charts.theme import FONT

STATIC_FONT = FONT
WIDE, NARROW = 640, 340
# The width below which a page shows the narrow picture (and the interactive
# chart is laid out for a phone): a phone's column, with the book's margins.
NARROW_MEDIA = "(max-width: 600px)"


def fixed_width(spec: dict, width: int) -> dict:
    """The spec laid out at `width` pixels ('container' means nothing outside
    a page), in the picture's font."""
    out = copy.deepcopy(spec)
    if out.get("width", "container") == "container":
        out["width"] = width
    out["config"] = dict(out.get("config", {}), font=STATIC_FONT)
    # laid out for this width (the `sow` parameter, see sobook.charts.marks)
    out["params"] = [dict(p, value=width) if p.get("name") == "sow" else p for p in out.get("params", [])]
    return out


def svg(spec: dict, width: int) -> str:
    """The chart as an SVG document, `width` pixels wide."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(fixed_width(spec, width))
