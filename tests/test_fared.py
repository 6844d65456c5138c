"""'How the outlook fared': every forecast quoted from the chapters as
translated, assessed from the data only, the same whichever way the data
holds the outcomes, and the verdicts change when the data does."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from sobook import fared

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLE = ROOT / "examples" / "outcomes-2021-2025"


@pytest.fixture(scope="module")
def items():
    return {a.key: a for a in fared.assess(DATA)}


def test_every_forecast_of_the_outlook_is_on_the_page(items):
    assert list(items) == ["global-size", "global-structure", "large-contracts", "idc", "outbound-developing",
                           "outbound-developed", "green", "high-tech-fdi", "scale", "offshore-vs-exports",
                           "export-share", "jobs"]
    for a in items.values():
        assert a.quote and a.said and a.reported and a.verdict and a.detail, a.key
        assert a.verdict.split(" (")[0] in ("Met", "Missed", "Held so far", "Not borne out so far",
                                            "Reached early, on a revised series", "Not yet known"), a.verdict


def test_quotes_are_the_translation_verbatim(items):
    """Each quote is the chapter's English (glossary links and footnote markers
    removed), so it cannot drift from the translation."""
    for a in items.values():
        chapter, block = re.search(r"<a href=\"([a-z-]+)\.html#zh-([^\"]+)\"", a.where).groups()
        text = fared.paragraph(chapter, block)
        for piece in re.split(r"\s*…\s*", a.quote):
            assert piece in text, (a.key, piece)


def test_quote_refuses_words_that_are_not_there():
    with pytest.raises(fared.QuoteError, match="not in the paragraph"):
        fared.quote("trends", "s2.1.1-p2", "words the report never wrote")


def test_the_verdicts_of_the_edition(items):
    assert items["global-size"].verdict == "Not yet known (ahead of the pace in 2021)"
    assert items["large-contracts"].verdict == "Reached early, on a revised series"
    assert items["scale"].verdict == "Held so far"
    assert items["export-share"].verdict == "Held so far"
    assert items["offshore-vs-exports"].verdict == "Not yet known (likely missed)"
    assert items["jobs"].verdict.startswith("Not yet known (81% of it by 2024)")
    for key in ("global-structure", "idc", "outbound-developing", "outbound-developed", "green", "high-tech-fdi"):
        assert items[key].verdict == "Not yet known", key


def test_same_page_whichever_way_the_outcomes_are_held(items):
    theirs = {a.key: a for a in fared.assess(EXAMPLE)}
    assert theirs == items


def test_caveats_name_the_differences_in_measure(items):
    assert "revised" in items["large-contracts"].reported
    assert "RMB" in items["offshore-vs-exports"].reported and "US$" in items["offshore-vs-exports"].reported
    assert "not the global market" in items["global-structure"].reported
    assert "as reprinted by" in items["jobs"].sources


def _append(path: Path, row: dict) -> None:
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    s = io.StringIO()
    csv.writer(s, lineterminator="\n").writerow([row.get(h, "") for h in header])
    path.write_text(text + s.getvalue(), encoding="utf-8")


def test_verdicts_follow_new_rows(tmp_path):
    d = tmp_path / "d"
    shutil.copytree(EXAMPLE, d)
    quote = "2025年,全球离岸服务外包执行额2.1万亿美元"
    _append(d / "global_offshore_outsourcing.csv", dict(
        row_id="go_2025_estimate", period="2025", measure="executed_value", value="2100", unit="US$ billion",
        value_status="estimate", provenance="release", source_quote=quote, source_url="example.org/2026",
        source_note="an example release, as reprinted by example.org"))
    _append(d / "china_outsourcing_employment.csv", dict(
        row_id="em_total_2025", period="2025", group="all", measure="employees_end_of_year", value="18.2",
        unit="million persons", value_status="reported", provenance="release", source_quote="从业人员1820万人",
        source_url="example.org/2026", source_note="an example release, as reprinted by example.org"))
    items = {a.key: a for a in fared.assess(d)}
    assert items["global-size"].verdict == "Met"
    assert "US$2.1 trillion" in items["global-size"].detail
    assert items["jobs"].verdict == "Met"  # 18.2 - 12.909 = 5.291 million, more than 5 million
    assert "5.291 million" in items["jobs"].detail


def test_the_page_renders_with_its_charts(book_html):
    html = (book_html / "chapters" / "outlook-fared.html").read_text(encoding="utf-8")
    assert "Work in progress" not in html
    for fig in ("e11", "e12", "e13", "e14", "e15", "e16", "e17"):  # renumbered in reading order: all seven are here
        assert f'<div class="so-chart" id="chart-{fig}" aria-hidden="true" data-spec="../_static/charts/chart-{fig}.js?v=' in html, fig
        assert (book_html / "_static" / "charts" / f"chart-{fig}.js").is_file()
    assert html.count('href="#fared-') >= 12  # the summary table links every section
    assert "Reached early, on a revised series" in html and "Not yet known" in html
    assert 'href="trends.html#zh-s2.1.1-p2"' in html
