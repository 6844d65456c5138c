"""Paper: the book's pages printed by Chromium (A4, the print stylesheet) and
read back with pdftotext.

* the claims ledger puts every claim on paper (it once sat in a scroll box
  and printed one claim in five);
* every chart panel keeps its title and its source line on one page;
* no heading ends a page;
* controls that only work on a screen do not print (toggles, downloads,
  the data tables' summaries).
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest

from support import HTML, ROOT, offline_context

CHAPTERS = ["chapters/achievements.html", "chapters/trends.html", "chapters/outlook-fared.html"]


def printed(browser, served_book, rel: str, tmp_path: Path) -> list[str]:
    """The page printed to A4; the text of each sheet."""
    context = offline_context(browser, served_book, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{served_book}/{rel}", wait_until="load")
        page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
        page.wait_for_function("[...document.images].every(i => i.complete)")
        pdf = tmp_path / (rel.replace("/", "_") + ".pdf")
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        context.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_ledger_prints_every_claim(browser, served_book, tmp_path):
    sheets = printed(browser, served_book, "chapters/ledger.html", tmp_path)
    paper = squeeze(" ".join(sheets))
    with open(ROOT / "data" / "claims.csv", encoding="utf-8") as f:
        ids = [r["claim_id"] for r in csv.DictReader(f)]
    missing = [i for i in ids if i not in paper]
    assert not missing, f"{len(missing)} of {len(ids)} claims not on paper: {missing[:10]}"
    # ... with every column: the verdict of the first claim is there too.
    assert re.search(r"C001 .*?(consistent|not checkable)", paper)
    # ... and no verdict broken inside its word for want of column width ("consisten" / "t").
    words = set(" ".join(sheets).split())
    assert not {"consisten", "inconsisten", "checkabl"} & words


@pytest.mark.parametrize("rel", CHAPTERS)
def test_each_chart_panel_keeps_its_title_and_source_on_one_sheet(browser, served_book, tmp_path, rel):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((HTML / rel).read_text(encoding="utf-8"), "html.parser")
    panels = soup.select(".so-panel")
    assert panels
    sheets = [squeeze(s) for s in printed(browser, served_book, rel, tmp_path)]
    for panel in panels:
        title = squeeze(panel_title(panel))[:40]
        source = squeeze(panel.select_one(".so-source").get_text(" "))[:40]
        on = [i for i, s in enumerate(sheets) if title in s and source in s]
        assert on, f"{rel}: the panel '{title}' and its source are not on one sheet"


@pytest.mark.parametrize("rel", CHAPTERS + ["chapters/ledger.html", "pages/about.html"])
def test_no_heading_ends_a_sheet_and_no_control_prints(browser, served_book, tmp_path, rel):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((HTML / rel).read_text(encoding="utf-8"), "html.parser")
    headings = {squeeze(h.get_text(" ")).rstrip("#").strip() for h in soup.select("article h1, article h2, article h3")}
    sheets = printed(browser, served_book, rel, tmp_path)
    for n, sheet in enumerate(sheets[:-1], start=1):
        lines = [squeeze(x) for x in sheet.splitlines() if x.strip()]
        lines = [x for x in lines if not re.fullmatch(r"\d+/\d+|\d+|.*\.html.*|\d{1,2}/\d{1,2}/\d{2,4}.*", x)]
        if lines:
            assert lines[-1] not in headings, f"{rel}: sheet {n} ends with the heading '{lines[-1]}'"
    paper = squeeze(" ".join(sheets))
    for control in ["Download the data (CSV)", "Original 原文", "Data table (", "Toggle navigation"]:
        assert control not in paper, f"{rel}: '{control}' printed"


def panel_title(panel) -> str:
    """An edition chart's title is in its panel; a report figure's is the
    report's caption, in the figure the panel sits in."""
    own = panel.select_one(".so-title")
    if own is not None:
        return own.get_text(" ")
    figure = panel.find_parent("figure")
    return figure.select_one("figcaption .caption-text").get_text(" ")


def test_the_printed_ledger_keeps_its_column_headers(browser, served_book, tmp_path):
    """Each sheet that prints claims starts with the header row. (The
    ledger's script puts each header's text in a sort button, and print
    hides buttons: the rows printed unlabelled.)"""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((HTML / "chapters/ledger.html").read_text(encoding="utf-8"), "html.parser")
    heads = [[squeeze(th.get_text(" ")) for th in t.select("thead th")] for t in soup.select("table.so-ledger-table")]
    assert len(heads) == 2 and all(len(h) == 8 for h in heads)
    # the sheets that print the tables' rows: a claim, then its paragraph (s1.1-p1)
    sheets = [s for s in printed(browser, served_book, "chapters/ledger.html", tmp_path)
              if re.search(r"^\s*C\d{3}\s+s\d", s, re.M)]
    assert len(sheets) > 5
    for n, sheet in enumerate(sheets, start=1):
        lines = [squeeze(line) for line in sheet.splitlines()]
        # the header row: the first and last header words on one printed line
        assert any(h[0] in line and h[-1] in line and h[1] in line for h in heads for line in lines), \
            f"sheet {n} of the ledger's rows has no header row"


def test_a_chapter_pdf_is_the_same_whatever_was_printed_before(browser, book_html, tmp_path):
    """Chromium names a tagged PDF's structure elements by its DOM node
    counter: a chapter printed after another page came out with other
    names, so two builds of one book gave two PDFs (seen when a build's
    PDF step had printed the pages in another order)."""
    from sobook import pdf

    rel = "chapters/outlook-fared.html"
    (tmp_path / "chapter.html").write_text(pdf.chapter_html(book_html, rel), encoding="utf-8")
    (tmp_path / "other.html").write_text(pdf.chapter_html(book_html, "chapters/trends.html"), encoding="utf-8")
    made = []
    for before in ([], ["other.html"]):
        page = browser.new_page()
        try:
            for doc in before:
                pdf._print(page, tmp_path / doc, tmp_path / "scratch.pdf")
            pdf._print(page, tmp_path / "chapter.html", tmp_path / "printed.pdf")
        finally:
            page.close()
        target = tmp_path / f"chapter-{len(made)}.pdf"
        pdf._finish(target, tmp_path / "printed.pdf", "A chapter")
        made.append(target.read_bytes())
    assert made[0] == made[1]
