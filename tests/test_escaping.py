"""Text from a CSV never becomes markup.

A copy of data/ gets hostile strings in the text that reaches readers — a
category label (a sector name, drawn on an axis, in tooltips and the table),
source notes and addresses (the table's and the tooltip's "Source"), and the
claims ledger's statements and notes — while staying valid for its own
schema. Three chapters are re-run on it with `python -m sobook run`, and the
pages are opened in Chromium (offline): no script runs, no dialog opens, and
the hostile text shows as text in the table, the tooltip and the chart, and
sits verbatim in the CSV download.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, draw_all_charts, offline_context, serve

SCRIPT = '<script>window.__pwned="script";alert("script")</script>'
IMG = """<img src=x onerror="window.__pwned='img';alert('img')">"""
ATTR = '" onmouseover="window.__pwned=\'attr\'" x="'
SECTOR = "forestry " + IMG  # the chart capitalises a sector's first letter only
SECTOR_SHOWN = "Forestry " + IMG
NOTE = f"Note {SCRIPT} & {ATTR} end"
URL = f"example.org/{IMG}"
SOURCE_SHOWN = f"{NOTE} ({URL})"  # how a release row's source reads (figures._source_text)
CLAIM_NOTE = "Claim note " + SCRIPT
CLAIM_TAIL = " " + IMG

CHAPTERS = ["trends", "opportunities", "ledger"]


def _rewrite(path: Path, change) -> int:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    changed = sum(bool(change(r)) for r in rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return changed


def hostile_copy(dest: Path) -> Path:
    shutil.copytree(ROOT / "data", dest)

    def source(r):  # release rows of Figure 1-11 (trends): free-text note and address
        if r["provenance"] == "release":
            r["source_note"], r["source_url"] = NOTE, URL
            return True

    first_claims = []

    def claim(r):  # the ledger's statement and note columns, in its first two claims
        if len(first_claims) < 2:
            first_claims.append(r["claim_id"])
            r["statement_en"] += CLAIM_TAIL
            r["source_note"] = CLAIM_NOTE
            return True

    assert _rewrite(dest / "global_offshore_outsourcing_structure.csv", source) >= 1
    assert _rewrite(dest / "claims.csv", claim) == 2
    return dest


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("escaping")
    data = hostile_copy(tmp / "data")
    out = tmp / "book"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "sobook", "run", *CHAPTERS, "--data-dir", str(data), "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def hostile_pages(hostile_book, browser):
    """Each chapter of the hostile book, loaded once, with what happened while loading."""
    with serve(hostile_book) as base:
        context = offline_context(browser, base, viewport={"width": 1280, "height": 900})
        dialogs, errors = [], []
        pages = {}
        for name in CHAPTERS:
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/chapters/{name}.html", wait_until="load")
            draw_all_charts(page)
            pages[name] = page
        yield pages, dialogs, errors, context
        context.close()


def test_the_copy_is_valid_data():
    """The hostile copy passes the same validation as the real data."""
    from sobook import data

    with tempfile.TemporaryDirectory() as tmp:
        data.load_all(hostile_copy(Path(tmp) / "data"))


class Markup(HTMLParser):
    """What of the hostile text a page's HTML would make live (event-handler
    attributes, images, scripts), as a browser's parser sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.handlers, self.images, self.scripts, self._in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.handlers += [f"<{tag} {k}>" for k, v in a.items() if k.startswith("on") and "pwned" in (v or "")]
        if tag == "img":
            self.images.append(a.get("src"))
        self._in_script = tag == "script" and "json" not in (a.get("type") or "")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "pwned" in data:
            self.scripts.append(data[:80])


def test_the_source_html_carries_no_live_markup(hostile_book):
    for name in CHAPTERS:
        text = (hostile_book / "chapters" / f"{name}.html").read_text(encoding="utf-8")
        # (opportunities carries none since the data's schema allows only its listed
        # sector names; it is still checked for live markup)
        if name != "opportunities":
            assert "pwned" in text, f"{name}: the hostile text did not reach the page (test is vacuous)"
        parsed = Markup()
        parsed.feed(text)
        assert not parsed.handlers, (name, parsed.handlers)
        assert "x" not in parsed.images, name
        assert not parsed.scripts, (name, parsed.scripts)
    for spec in (hostile_book / "_static" / "charts").glob("*.js"):
        assert "<" not in spec.read_text(encoding="utf-8"), f"{spec.name}: raw '<' in a spec file"


def test_nothing_executes(hostile_pages):
    pages, dialogs, errors, context = hostile_pages
    for name, page in pages.items():
        # hover every mark that carries the hostile text (opens its tooltip), then look
        for mark in page.locator(".so-chart svg [aria-label*='pwned']").all()[:6]:
            mark.scroll_into_view_if_needed()
            mark.hover(force=True)
        page.wait_for_timeout(100)
        assert page.evaluate("window.__pwned") is None, f"{name}: injected code ran"
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0, name
        assert page.evaluate("[...document.querySelectorAll('[onmouseover],[onerror]')].length") == 0, name
    assert not dialogs, dialogs
    assert not errors, errors
    assert not context.blocked, context.blocked


def _texts(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")


def test_hostile_text_shows_as_text_in_tables(hostile_pages):
    pages, *_ = hostile_pages
    assert SOURCE_SHOWN in _texts(pages["trends"], ".so-data-table td")
    ledger = " ".join(_texts(pages["ledger"], "main td"))
    assert CLAIM_NOTE in ledger and IMG in ledger


def test_hostile_text_shows_as_text_in_the_chart_and_its_tooltip(hostile_pages):
    pages, *_ = hostile_pages
    page = pages["trends"]
    mark = page.locator("#chart-1-11 svg path[aria-label*='pwned']").first
    mark.scroll_into_view_if_needed()
    mark.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    tip = page.evaluate("""() => { const t = document.querySelector('#vg-tooltip-element');
        return {text: t.textContent, tags: [...t.querySelectorAll('*')].map(e => e.tagName.toLowerCase())} }""")
    assert SOURCE_SHOWN in tip["text"]
    assert set(tip["tags"]) <= {"table", "tbody", "tr", "td", "h2"}, tip["tags"]


def test_downloads_hold_the_text_verbatim(hostile_book, hostile_pages):
    pages, *_ = hostile_pages
    for name, chart, column, want in [("trends", "chart-1-11", "Source", SOURCE_SHOWN),
]:
        href = pages[name].get_attribute(f"#{chart}-panel .so-download a", "href")
        body = pages[name].evaluate("url => fetch(url).then(r => r.text())", href)
        rows = list(csv.DictReader(io.StringIO(body)))
        assert want in [r[column] for r in rows], (chart, column)
        assert body == (hostile_book / "_static" / "charts" / f"{chart}.csv").read_text(encoding="utf-8")


def test_static_svgs_stay_well_formed_and_inert(hostile_book):
    for svg in sorted((hostile_book / "_static" / "charts").glob("*.svg")):
        root = ET.fromstring(svg.read_bytes())  # escaped text keeps the XML well-formed
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert not tags & {"script", "foreignObject", "img", "image"}, (svg.name, tags)
