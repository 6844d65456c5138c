"""The chart panel: numbering, escaping, the data it offers, determinism."""

import json
import re
import urllib.parse

import altair as alt
import pandas as pd
import pytest

from sobook import charts

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def make_panel(label_text="ITO", **over):
    df = pd.DataFrame({"Segment": [label_text, "BPO"], "Series": ["Executed value", "Executed value"],
                       "Value": [80.06, 35.41], "Unit": ["US$ billion"] * 2, "Status": ["Reported"] * 2,
                       "Source": ["MOFCOM (example.org)", "The report, paragraph s1.2-p1"], "Data row": ["a", "b"]})
    chart = alt.Chart(df).mark_bar().encode(
        x="Segment:N", y="Value:Q", tooltip=["Segment:N", "Value:Q"]
    )
    kw = dict(fig_id="e4", chart=chart, data=df, title="Structure", subtitle="US$ billion",
              source="MOFCOM", alt_text="Bars of ITO and BPO executed value in 2020.")
    kw.update(over)
    return charts.panel(**kw)


def test_labels_keep_the_report_numbering_and_number_edition_charts_apart():
    assert charts.label("1-4") == "Figure 1-4"
    assert charts.label("1-12") == "Figure 1-12"
    assert charts.label("e3") == "Chart E3"
    with pytest.raises(ValueError):
        charts.label("Figure 4")


def test_html_has_title_subtitle_source_table_download_and_alt_text():
    html = make_panel().html()
    assert "Chart E4" in html and "Structure" in html and "US$ billion" in html
    assert "Source: MOFCOM" in html
    assert '<table' in html and "80.06" in html
    assert 'aria-label="Bars of ITO and BPO executed value in 2020."' in html
    href = re.search(r'href="data:text/csv;charset=utf-8,([^"]*)"', html).group(1)
    assert urllib.parse.unquote(href).splitlines()[:2] == [
        "Segment,Series,Value,Unit,Status,Source,Data row", "ITO,Executed value,80.06,US$ billion,Reported,MOFCOM (example.org),a"]


def test_text_from_a_csv_is_escaped_everywhere():
    html = make_panel(label_text=HOSTILE, title=HOSTILE, source=HOSTILE, alt_text=HOSTILE).html()
    # No live tag survives: every '<' of the hostile text is escaped or JSON-encoded.
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    spec_json = re.search(r'class="so-spec"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "<" not in spec_json  # cannot close the script element early
    assert json.loads(spec_json)["datasets"]  # and it is still valid JSON


def test_spec_carries_theme_description_and_is_deterministic():
    a, b = make_panel().spec(), make_panel().spec()
    assert a == b
    assert a["description"].startswith("Bars of ITO")
    assert a["config"]["range"]["category"] == charts.PALETTE
    assert a["params"][0] == {"name": "sow", "value": 640}
    assert make_panel().html() == make_panel().html()


def test_panel_refuses_missing_pieces():
    with pytest.raises(ValueError, match="source"):
        make_panel(source=" ")
    with pytest.raises(TypeError):
        make_panel(data=[1, 2])
