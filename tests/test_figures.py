"""Every chart builds from the real data, every mark has a tooltip, nothing
drawn is NaN, years are categories, and the report's figures 1-1 ... 1-12 all
exist (the edition's charts are numbered apart, e1, e2, ...)."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest

from sobook import charts, data
from sobook.charts import marks

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

ALL = charts.ids()


@pytest.fixture(scope="module")
def panels():
    return {i: charts.build(i) for i in ALL}


def _units(spec):
    """Every single-view spec (one with a mark) inside a layered spec."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key, []):
            yield from _units(sub)
    if "spec" in spec:
        yield from _units(spec["spec"])


def test_report_figures_all_registered():
    assert charts.REPORT_FIGURES == [f"1-{n}" for n in range(1, 13)]
    for f in charts.REPORT_FIGURES:
        assert f in ALL


def test_edition_charts_numbered_apart():
    ed = charts.edition_charts()
    assert len(ed) >= 10
    assert all(re.fullmatch(r"e\d+", i) for i in ed)
    assert sorted(int(i[1:]) for i in ed) == list(range(1, len(ed) + 1))
    assert set(ALL) == set(charts.REPORT_FIGURES) | set(ed)


@pytest.mark.parametrize("fig_id", ALL)
def test_builds_a_panel(panels, fig_id):
    p = panels[fig_id]
    assert p.fig_id == fig_id
    for attr in ("title", "subtitle", "source", "alt_text"):
        assert str(getattr(p, attr)).strip(), attr
    assert re.search(r"\d", p.alt_text), "the alt text gives the key numbers"
    assert len(p.data) > 0
    assert "Value" in p.data.columns and "Status" in p.data.columns and "Source" in p.data.columns
    html = p.html()
    assert p.slug in html


@pytest.mark.parametrize("fig_id", ALL)
def test_every_mark_has_a_tooltip(panels, fig_id):
    spec = panels[fig_id].spec()
    units = list(_units(spec))
    assert units
    for u in units:
        mark = u["mark"] if isinstance(u["mark"], dict) else {"type": u["mark"]}
        if mark.get("size") == 0:  # the invisible layer that carries the status legend
            assert "tooltip" in u.get("encoding", {})
            continue
        enc = u.get("encoding", {})
        assert "tooltip" in enc or mark.get("tooltip"), f"{mark.get('type')} mark without tooltip"


@pytest.mark.parametrize("fig_id", ALL)
def test_nothing_drawn_is_missing(panels, fig_id):
    p = panels[fig_id]
    assert p.data["Value"].notna().all()
    spec = p.spec()
    for name, rows in spec.get("datasets", {}).items():
        for r in rows:
            if "Value" in r:
                assert r["Value"] is not None and not (isinstance(r["Value"], float) and math.isnan(r["Value"])), name


@pytest.mark.parametrize("fig_id", ALL)
def test_years_are_categories_not_numbers(panels, fig_id):
    spec = panels[fig_id].spec()
    for u in _units(spec):
        for ch, enc in u.get("encoding", {}).items():
            if isinstance(enc, dict) and enc.get("field") == "Year":
                assert enc.get("type") in ("ordinal", "nominal"), (ch, enc)
    for col in ("Year",):
        if col in panels[fig_id].data.columns:
            assert panels[fig_id].data[col].map(type).eq(str).all()


@pytest.mark.parametrize("fig_id", ALL)
def test_status_is_drawn_distinctly_with_a_legend(panels, fig_id):
    """Value status is drawn (fill and outline); the "Value status" legend
    is there whenever anything but reported values is drawn (Chart E10:
    forecasts only, said in its subtitle)."""
    p = panels[fig_id]
    spec = json.dumps(p.spec())
    statuses = set(p.data["Status"])
    assert statuses <= set(marks.STATUS_ORDER)
    if fig_id in ("1-7", "1-9"):
        assert "computed by the edition" in p.subtitle
    assert '"strokeDash"' in spec and '"fillOpacity"' in spec
    # E10: forecasts only, as its subtitle says; 1-7 and 1-9: the computed
    # shares are words under the bars (their subtitles say so), not marks
    if statuses - {"Reported"} and fig_id not in ("e10", "1-7", "1-9"):
        assert '"title": "Value status"' in spec


@pytest.mark.parametrize("fig_id", ALL)
def test_no_generated_names(panels, fig_id):
    text = json.dumps(panels[fig_id].spec())
    assert not re.search(r'"(param|view|selector)_\d+"', text)


def test_specs_are_deterministic():
    for fig_id in ("1-1", "1-10", "e6"):
        a = json.dumps(charts.build(fig_id).spec(), sort_keys=True)
        b = json.dumps(charts.build(fig_id).spec(), sort_keys=True)
        assert a == b


def test_container_width():
    for fig_id in ALL:
        assert charts.build(fig_id).spec()["width"] == "container"


def test_colours_come_from_the_key():
    """(In detail in test_encodings.py.) Every colour scale draws key colours."""
    from sobook.charts import theme

    key = set(theme.COLOURS.values())
    for fig_id in ALL:
        for u in _units(charts.build(fig_id).spec()):
            color = u.get("encoding", {}).get("color", {})
            rng = color.get("scale", {}).get("range") if isinstance(color, dict) else None
            if rng:
                assert set(rng) <= key, (fig_id, rng)


def test_unknown_years_left_out_not_split():
    p = charts.build("1-1")
    drawn = p.data[(p.data["Series"] == "Onshore")]
    assert not set(drawn["Year"]) & {"2017", "2018"}
    assert "2017" in p.caption_note and "2018" in p.caption_note


def test_derived_values_are_flagged_in_the_table():
    p = charts.build("1-1")
    row = p.data[p.data["Data row"] == "ev_offshore_2017"].iloc[0]
    assert row["Status"] == "Computed by the edition"
    # the derivation in words, not the formula (which stays in the data package)
    assert row["Source"].startswith("Computed by the edition: ") and "ev_" not in row["Source"]
    rows, heads, info = p.wide()
    assert [r for r in rows if r[0] == "2017"][0][1] == ("79.69", "c")
    assert any(h.startswith("2017, Offshore: ") for h in info["how"])


def test_builds_from_another_data_dir(tmp_path):
    d = tmp_path / "data"
    shutil.copytree(DATA, d)
    p = charts.build("1-4", d)
    assert len(p.data) > 0


def test_refuses_bad_data(tmp_path):
    d = tmp_path / "data"
    shutil.copytree(DATA, d)
    (d / "china_outsourcing_by_type.csv").unlink()
    with pytest.raises(data.DataError, match="china_outsourcing_by_type.csv: file is missing"):
        charts.build("1-4", d)


def test_unknown_chart_id():
    with pytest.raises(KeyError, match="no chart with id"):
        charts.build("9-9")



def test_the_audits_chart_sentences(panels):
    """Issue 19's audit, at the charts: E14/E15/E17 name their series by period, not 'The report's figures'
    over values the report does not give (F10); E14 joins only figures of one ISG release (F11); E15 says
    2025's fall in US$ (−0.5% on 2024, MOFCOM's 2025 release: 1634.3亿美元, 同比下降0.5%); E17 and E4 read
    as English; E17's note no longer says new employees are not the rise the report counts them as (F3)."""
    for fig in ("e14", "e15", "e17"):
        assert "The report's figures" not in set(panels[fig].data["Series"]), fig
    e14 = panels["e14"]
    later = e14.data[e14.data["Release"] != ""]
    # isg_2020_revised = isg_2021 / (1 + isg_growth_2021 / 100): the 2021 release's 2020
    assert dict(zip(later["Data row"], later["Release"])).items() >= {
        "isg_2020_revised": "ISG's 2021 release", "isg_2021": "ISG's 2021 release", "isg_2022": "ISG's 2022 release"}.items()
    lines = [u for u in _units(e14.spec()) if u["mark"] == "line" or (isinstance(u["mark"], dict) and
             u["mark"].get("type") == "line" and not u["mark"].get("strokeDash"))]
    assert lines and all(u["encoding"].get("detail", {}).get("field") == "Release" for u in lines)
    assert panels["e15"].alt_text.endswith("in 2025 it fell on 2024 (−0.5%).")
    assert "more than 5 million new employees" in panels["e17"].alt_text and "people new" not in panels["e17"].alt_text
    assert "not the same as the increase" not in panels["e17"].caption_note
    assert panels["e4"].alt_text.count("rose") == 2 and "rose in every ranking" in panels["e4"].alt_text
