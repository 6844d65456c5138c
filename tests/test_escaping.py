"""Text from data is only ever text.

The whole book is built (`python -m sobook run`, every chapter and page) from
a copy of data/ in which every free-text column of every resource (every
string field without an enum or pattern, bar the formulas, which are
evaluated) holds hostile content: script tags, event handlers, `javascript:`
links, MyST roles and directives, raw HTML blocks, Markdown emphasis. The
copy stays valid data. Then every page is read as a browser's parser reads
it and opened in Chromium offline:

* no page carries executable markup from the data (no script, no event
  handler, no javascript: link), and nothing runs;
* nothing was interpreted as MyST or Markdown (no <abbr>, <strong>, raw
  block from the data);
* the hostile text is there, as text (the test is not vacuous), and the CSV
  downloads hold it verbatim.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from support import ROOT, book_pages, offline_context, serve

pytestmark = pytest.mark.slow  # builds books, runs the pipeline and the tools

MARK = "pwned"
PAYLOADS = [
    f'<script>window.__{MARK}="script";alert(1)</script>',
    f"""<img src=x onerror="window.__{MARK}='img';alert(2)">""",
    f'" onmouseover="window.__{MARK}=\'attr\'" x="',
    f"javascript:window.__{MARK}='js'",
    f"{{abbr}}`MYSTROLE{MARK} (interpreted)`",
    f"**MYSTBOLD{MARK}** and [a link](javascript:window.__{MARK}='md')",
    f"\n```{{raw}} html\n<script>window.__{MARK}='raw'</script>\n```\n",
    f"\n:::{{note}}\nMYSTDIRECTIVE{MARK}\n:::\n",
]
SKIP_FIELDS = {"formula", "check_formula"}  # evaluated, refused unless arithmetic


def free_text_fields(schema: dict) -> list[str]:
    return [f["name"] for f in schema["fields"]
            if f.get("type", "string") == "string" and f["name"] not in SKIP_FIELDS
            and not {"enum", "pattern"} & set(f.get("constraints", {}))]


def hostile_copy(dest: Path) -> tuple[Path, int]:
    """data/ with hostile text in every free-text cell; returns (dir, cells changed)."""
    import csv
    import io

    shutil.copytree(ROOT / "data", dest)
    desc = json.loads((dest / "datapackage.json").read_text(encoding="utf-8"))
    changed = 0
    for res in desc["resources"]:
        fields = free_text_fields(res["schema"])
        path = dest / res["path"]
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for i, row in enumerate(rows):
            for j, name in enumerate(fields):
                if name in row:
                    payload = PAYLOADS[(i + j) % len(PAYLOADS)]
                    # An address becomes hostile as a whole; other text gets the
                    # payload after what it says (a quote must still state its
                    # number, which the ledger reads).
                    row[name] = payload if "url" in name else f"{row[name]} {payload}".strip()
                    changed += 1
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
        # ... and the descriptor's own words, which the Reproduce page shows
        res["title"] = f"{res.get('title', '')} {PAYLOADS[len(res['name']) % len(PAYLOADS)]}"
        res["description"] = f"{res.get('description', '')} {PAYLOADS[1]}"
    (dest / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=1), encoding="utf-8")
    return dest, changed


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("escaping")
    data, changed = hostile_copy(tmp / "data")
    assert changed > 1000
    out = tmp / "book"
    proc = subprocess.run([sys.executable, "-m", "sobook", "run", "--data-dir", str(data), "--out", str(out)],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return out


def test_the_copy_is_valid_data(tmp_path):
    """The hostile copy passes the same validation as the real data."""
    from sobook import data

    d, _ = hostile_copy(tmp_path / "data")
    data.validate(d)


class Markup(HTMLParser):
    """What of the hostile text a page's HTML would make live or interpret,
    as a browser's parser sees it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live, self.interpreted, self._tag, self.text = [], [], None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._tag = (tag, a)
        for k, v in a.items():
            v = v or ""
            if k.startswith("on") and MARK in v:
                self.live.append(f"<{tag} {k}>")
            if k in ("href", "src", "action", "formaction") and v.strip().lower().startswith("javascript:"):
                self.live.append(f"<{tag} {k}={v[:40]}>")
        if tag == "img" and a.get("src") == "x":
            self.live.append("<img src=x>")

    def handle_endtag(self, tag):
        self._tag = None

    def handle_data(self, data):
        self.text.append(data)
        if self._tag is None:
            return
        tag, attrs = self._tag
        if tag == "script" and MARK in data and "json" not in (attrs.get("type") or ""):
            self.live.append(f"<script>{data[:60]}")
        if tag in ("abbr", "strong", "em", "b") and MARK in data:
            self.interpreted.append(f"<{tag}>{data[:40]}")
        if MARK in data and f"MYSTDIRECTIVE{MARK}" in data and "admonition" in (attrs.get("class") or ""):
            self.interpreted.append("a directive")


def _pages(book: Path) -> list[str]:
    return book_pages(book)


def test_no_page_carries_live_or_interpreted_markup(hostile_book):
    reached, problems = [], []
    for rel in _pages(hostile_book):
        text = (hostile_book / rel).read_text(encoding="utf-8")
        parsed = Markup()
        parsed.feed(text)
        if parsed.live or parsed.interpreted:
            problems.append(f"{rel}: live {parsed.live[:3]}, interpreted {parsed.interpreted[:3]}")
        if MARK in "".join(parsed.text):
            reached.append(rel)
    assert not problems, "\n".join(problems)
    # The hostile text reached the pages that show data: the test is not vacuous.
    for rel in ["chapters/achievements.html", "chapters/trends.html", "chapters/outlook-fared.html",
                "chapters/ledger.html", "pages/reproduce.html"]:
        assert rel in reached, f"{rel}: no hostile text reached it"
    for spec in (hostile_book / "_static" / "charts").glob("*.js"):
        assert "<" not in spec.read_text(encoding="utf-8"), f"{spec.name}: raw '<' in a spec file"


def test_nothing_executes_in_the_browser(hostile_book, browser):
    with serve(hostile_book) as base:
        context = offline_context(browser, base, viewport={"width": 1280, "height": 900})
        dialogs, errors = [], []
        try:
            for rel in _pages(hostile_book):
                page = context.new_page()
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(f"{base}/{rel}", wait_until="load")
                # open every toggle and table, hover the charts (tooltips), as a reader would
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                for chart in page.locator(".so-chart").all()[:4]:
                    chart.scroll_into_view_if_needed()
                    chart.hover(force=True)
                page.wait_for_timeout(200)
                assert page.evaluate(f"window.__{MARK}") is None, f"{rel}: injected code ran"
                assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0, rel
                page.close()
        finally:
            context.close()
        assert not dialogs, dialogs
        assert not errors, errors
        assert not context.blocked, context.blocked


def test_downloads_hold_the_text_verbatim(hostile_book):
    import csv

    cells = [cell for p in (hostile_book / "_static" / "charts").glob("*.csv")
             for row in csv.reader(p.read_text(encoding="utf-8").splitlines()) for cell in row]
    assert cells and any(PAYLOADS[1] in cell for cell in cells)


def test_static_pictures_stay_well_formed_and_inert(hostile_book):
    for svg in sorted((hostile_book / "_static" / "charts").glob("*.svg")):
        root = ET.fromstring(svg.read_bytes())  # escaped text keeps the XML well-formed
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert not tags & {"script", "foreignObject", "img", "image"}, (svg.name, tags)
