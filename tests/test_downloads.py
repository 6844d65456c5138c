"""The edition as files a reader can cite and reuse.

* The PDF: a title page (title, version, date, how to cite, licence),
  contents whose page numbers are right, every section, every chart with its
  source, the translator's notes, the ledger (every claim), how the outlook
  fared, the glossary, and the Chinese original in full as an appendix.
* The data zip: unzipped, a valid Frictionless package whose row counts are
  data/'s, with the ledger's verdicts, the outlook's assessments, the
  original and a README; deterministic.
* The citation: CITATION.cff valid (cffconvert), the one version shown in
  every footer, on the front page and in the PDF; BibTeX and RIS on About.
* The front page: its key figures are the data's.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from sobook import citation, downloads
from support import HTML, ROOT, book_pages


@pytest.fixture(scope="module")
def pdf_path(book_html) -> Path:
    path = book_html / "_static" / "downloads" / downloads.pdf_name()
    assert path.exists(), "no PDF edition in the built book"
    return path


@pytest.fixture(scope="module")
def pdf_pages(pdf_path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [re.sub(r"\s+", " ", p) for p in text.split("\f")]


def test_the_title_page(pdf_pages):
    cite = citation.load()
    first = pdf_pages[0]
    for must in [cite.title.split(":")[0], f"Version {cite.version}", citation.build_date(), "How to cite",
                 "CC BY 4.0", "MIT", "research and commentary"]:
        assert must in first, must
    # the title's year ranges are not broken after their dash
    for years in re.findall(r"\d{4}–\d{4}", cite.title):
        assert years in first.split("How to cite")[0], years


def test_the_contents_page_numbers_are_right(pdf_path, pdf_pages):
    """Each entry's page (as the body's footers number it) holds its heading."""
    layout = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True,
                            check=True).stdout.split("\f")
    front = next(i for i, p in enumerate(pdf_pages) if i > 0 and "Contents" not in p and re.search(r"Section 1", p))
    entries = [(m.group(1).strip(), int(m.group(2))) for sheet in layout[1:front]
               for m in re.finditer(r"^\s*(\S.{8,}?)\s{2,}(\d{1,3})\s*$", sheet, re.M)]
    assert len(entries) >= 30, entries[:5]
    for title, number in entries:
        sheet = pdf_pages[front + number - 1]
        assert re.sub(r"\s+", " ", title)[:25] in sheet, f"'{title}' is not on page {number}"


def test_every_part_of_the_edition_is_in_it(pdf_pages):
    paper = " ".join(pdf_pages)
    for must in ["Section 1: Major Achievements", "Section 2: Development Outlook", "Development Opportunities",
                 "Challenges", "Development Outlook", "How the outlook fared", "Claims ledger", "Glossary",
                 "About this edition", "Appendix: the Chinese original", "Translator", "Figure 1-1", "Figure 1-12"]:
        assert must in paper, must
    with open(ROOT / "data" / "claims.csv", encoding="utf-8") as f:
        ids = [r["claim_id"] for r in csv.DictReader(f)]
    assert [i for i in ids if i not in paper] == []
    # the Chinese original in full: every block's id is printed beside it
    blocks = json.loads((ROOT / "data" / "source" / "original.json").read_text(encoding="utf-8"))["blocks"]
    appendix = paper[paper.index("Appendix: the Chinese original"):]
    assert [b["id"] for b in blocks if b["id"] not in appendix] == []
    assert "第二节" in appendix


def test_every_chart_is_in_it_with_its_source(pdf_pages):
    from bs4 import BeautifulSoup

    paper = " ".join(pdf_pages)
    for rel in book_pages():
        soup = BeautifulSoup((HTML / rel).read_text(encoding="utf-8"), "html.parser")
        for panel in soup.select(".so-panel"):
            title = " ".join(panel_title(panel).split())[:40]
            source = " ".join(panel.select_one(".so-source").get_text(" ").split())[:40]
            assert title in paper and source in paper, (rel, title)


def test_the_pdf_is_tagged_and_described(pdf_path):
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert citation.load().title[:30] in info
    assert re.search(r"Pages:\s+(\d+)", info) and int(re.search(r"Pages:\s+(\d+)", info).group(1)) > 50


def _front_pages(pdf) -> int:
    return next(i for i, page in enumerate(pdf.pages) if page.label == "1")


def test_the_pdf_structure_is_each_part_s_own(pdf_path):
    """The front is printed after the body and joined (sobook.pdf.join): each
    page's marked content must lead, through its /StructParents key, to
    elements of that page, not to another part's (the title page read as the
    body's first page), and each part's elements must be in the one tree."""
    import pikepdf

    from sobook.pdf import join as pdfjoin

    with pikepdf.open(pdf_path) as pdf:
        root = pdf.Root.StructTreeRoot
        tree = dict(pdfjoin._number_tree(root.ParentTree))
        keys = [int(page.obj.StructParents) for page in pdf.pages]
        assert len(set(keys)) == len(keys), "pages share structure keys"
        for i, page in enumerate(pdf.pages):
            marked = tree[keys[i]]
            for el in marked:
                kids = el.K if isinstance(el.K, pikepdf.Array) else [el.K]
                on = {el.Pg.objgen} | {k.Pg.objgen for k in kids if isinstance(k, pikepdf.Dictionary) and "/Pg" in k}
                assert page.obj.objgen in on, f"page {page.label}: its content leads to an element of another page"
            for annot in page.obj.get("/Annots", []):
                assert int(annot.StructParent) in tree, f"page {page.label}: a link outside the structure"
        assert [str(el.S) for el in root.K] == ["/Document"] * 2  # the front, the body
        pages = {page.obj.objgen for page in pdf.pages}
        elements = list(pdfjoin._elements(root))
        assert len(elements) > 5000 and all(el.Pg.objgen in pages for el in elements if "/Pg" in el)
        ids = [key for key, _ in pdfjoin._name_tree(root.IDTree)]
        assert len(ids) == len(set(ids)) and not [i for i in ids if pdfjoin.NODE_RE.match(i)]


def test_the_contents_link_to_their_pages(pdf_path, pdf_pages):
    """Each entry of the contents is a link to the page its number names."""
    import pikepdf

    layout = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True,
                            check=True).stdout.split("\f")
    with pikepdf.open(pdf_path) as pdf:
        n_front = _front_pages(pdf)
        printed = [m.group(1) for sheet in layout[1:n_front]
                   for m in re.finditer(r"\s{2,}(\d{1,3})\s*$", sheet, re.M)]
        index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        linked = []
        for page in pdf.pages[:n_front]:
            for annot in page.obj.get("/Annots", []):
                assert "/A" not in annot, f"a link out of the document on page {page.label}: {annot.A}"
                linked.append(pdf.pages[index[annot.Dest[0].objgen]].label)
    assert len(printed) >= 30 and linked == printed


def test_the_pages_are_numbered_as_viewers_label_them(pdf_path):
    """The body's pages carry their number at the foot (pdf.css's margin
    box), the same a viewer shows (the page labels); the front carries none
    and is labelled i, ii, …"""
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        labels = [page.label for page in pdf.pages]
    # the foot: the bottom margin of an A4 page (18 mm of 842 pt)
    feet = subprocess.run(["pdftotext", "-x", "0", "-y", "792", "-W", "595", "-H", "50", str(pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout.split("\f")
    first = labels.index("1")
    assert first >= 2 and labels[:first] == ["i", "ii", "iii", "iv", "v"][:first]
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)]
    assert [f.strip() for f in feet[:len(labels)]] == [""] * first + labels[first:]


# --------------------------------------------------------------------------
# the data zip


@pytest.fixture(scope="module")
def unzipped(book_html, tmp_path_factory) -> Path:
    path = book_html / "_static" / "downloads" / downloads.zip_name()
    dest = tmp_path_factory.mktemp("zip")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert names == sorted(names), "entries in a fixed order"
        assert len({i.date_time for i in z.infolist()}) == 1, "one fixed timestamp"
        z.extractall(dest)
    return dest / f"{downloads.PREFIX}-data"


def test_the_zip_is_a_valid_package_with_datas_rows(unzipped):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(unzipped / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])[:5]
    desc = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for res in desc["resources"]:
        ours = (ROOT / "data" / res["path"]).read_text(encoding="utf-8")
        theirs = (unzipped / res["path"]).read_text(encoding="utf-8")
        assert theirs == ours, res["path"]
    for extra in ["claims_verdicts.csv", "outlook_assessments.csv", "source/original.json", "README.txt"]:
        assert (unzipped / extra).exists(), extra
    with open(unzipped / "claims_verdicts.csv", encoding="utf-8") as f:
        verdicts = list(csv.DictReader(f))
    with open(ROOT / "data" / "claims.csv", encoding="utf-8") as f:
        assert [v["claim_id"] for v in verdicts] == [r["claim_id"] for r in csv.DictReader(f)]
    readme = (unzipped / "README.txt").read_text(encoding="utf-8")
    assert citation.load().version in readme and "CC BY 4.0" in readme and "@misc{" in readme


def _named_paths(desc_text: str) -> set[str]:
    """Every file or folder of the package its descriptor names: the paths of
    resources and sources, and the 'source/…' its descriptions mention."""
    desc = json.loads(desc_text)
    named = set()

    def walk(obj):
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key in ("path", "reference_list", "source") and isinstance(value, str) and "://" not in value:
                    named.add(value)
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(desc)
    named |= {m.rstrip(".,;)") for m in re.findall(r"\bsource/[\w./-]*", desc_text)}
    return named


def test_the_zip_stands_alone(tmp_path):
    """Everything its datapackage.json names is in the zip, every address is
    a full http(s) one, the package says what it is (id, version, created on
    the build's date, keywords), and frictionless finds it valid."""
    built = "2026-01-01"
    with zipfile.ZipFile(io.BytesIO(downloads.zip_bytes(ROOT / "data", built))) as z:
        z.extractall(tmp_path)
        names = {n.split("/", 1)[1] for n in z.namelist()}
    text = (tmp_path / f"{downloads.PREFIX}-data" / "datapackage.json").read_text(encoding="utf-8")
    named = _named_paths(text)
    assert {"source/original.json", "source/raw/", "source/reference/"} <= named
    missing = [p for p in sorted(named) if p not in names and not any(n.startswith(p.rstrip("/") + "/") for n in names)]
    assert missing == []
    desc = json.loads(text)
    addresses = [s["path"] for s in desc["sources"] + [s for r in desc["resources"] for s in r.get("sources", [])]
                 if "://" in s["path"] or not s["path"].startswith("source/")]
    assert addresses and all(re.match(r"https?://[^/\s]+\.", a) for a in addresses)
    cite = citation.load()
    assert desc["id"] and desc["version"] == cite.version and desc["created"] == f"{built}T00:00:00Z"
    assert desc["keywords"] == list(cite.keywords) and ("homepage" in desc) == bool(cite.url)
    readme = (tmp_path / f"{downloads.PREFIX}-data" / "README.txt").read_text(encoding="utf-8")
    assert citation.report().name() in readme and "source/reference/" in readme
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(tmp_path / f"{downloads.PREFIX}-data" / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])[:5]


def test_the_named_paths_are_found():
    text = json.dumps({"sources": [{"path": "source/a.md"}, {"path": "https://example.org/b"}],
                       "description": "see source/raw/ and source/reference/c.md."})
    assert _named_paths(text) == {"source/a.md", "source/raw/", "source/reference/c.md"}


def test_the_zip_is_deterministic():
    assert downloads.zip_bytes(ROOT / "data", "2026-01-01") == downloads.zip_bytes(ROOT / "data", "2026-01-01")


# --------------------------------------------------------------------------
# citing


@pytest.mark.slow  # cffconvert, in .venv-tools
def test_citation_cff_is_valid():
    tool = ROOT / ".venv-tools" / "bin" / "cffconvert"
    assert tool.exists(), "make test sets up .venv-tools (cffconvert)"
    proc = subprocess.run([str(tool), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_one_version_everywhere(book_html):
    version = citation.load().version
    for rel in book_pages(book_html):
        text = (book_html / rel).read_text(encoding="utf-8")
        if "bd-footer" in text:
            assert f"Version {version}, built from the sources of {citation.build_date()}" in text, rel
    about = (book_html / "pages" / "about.html").read_text(encoding="utf-8")
    cite = citation.load()
    assert "@misc{" in about and "TY  - DATA" in about and f"ET  - {version}" in about
    assert citation.html(cite) in about


def test_one_title_everywhere(book_html, pdf_path, pdf_pages):
    """The edition is cited by the title it shows: every page's title and
    sidebar, the PDF's title page and metadata, the zip's README and the
    charts' pictures all carry CITATION.cff's."""
    import html as _html

    import yaml

    title = citation.load().title
    assert yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"] == title
    for rel in book_pages(book_html):
        text = (book_html / rel).read_text(encoding="utf-8")
        if "<title>" in text and "bd-footer" in text:
            page_title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
            assert _html.unescape(page_title).endswith(title), (rel, page_title)
    squeezed = re.sub(r"\s+", "", pdf_pages[0])  # the title page breaks it after a dash
    assert squeezed.startswith(re.sub(r"\s+", "", title))
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        assert str(pdf.docinfo["/Title"]) == title
    with zipfile.ZipFile(book_html / "_static" / "downloads" / downloads.zip_name()) as z:
        readme = next(n for n in z.namelist() if n.endswith("README.txt"))
        assert title in z.read(readme).decode("utf-8")
    full = sorted((book_html / "_static" / "charts").glob("*-full.svg"))
    assert len(full) >= 25
    for svg in full:  # the picture's foot, its lines joined
        lines = re.findall(r"<text[^>]*>(.*?)</text>", svg.read_text(encoding="utf-8"), re.S)
        assert f"of {title}, version " in " ".join(_html.unescape(t) for t in lines), svg.name


def html_text(s: str) -> str:
    import html

    return html.escape(s, quote=True)


def test_no_repository_address_is_invented(book_html):
    """_config.yml names no repository: no repository or issue link anywhere."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert not (config.get("repository") or {}).get("url")
    for rel in book_pages(book_html):
        text = (book_html / rel).read_text(encoding="utf-8")
        assert "github.com" not in text and "/issues" not in text, rel
    about = (book_html / "pages" / "about.html").read_text(encoding="utf-8")
    assert html_text(citation.corrections(None)) in about


def test_issues_link_when_a_repository_is_named():
    from sobook.sphinx_ext import edition

    class Config:
        html_theme_options = {"repository_url": "https://example.org/editors/edition"}

    assert edition.repository(Config) == "https://example.org/editors/edition"
    Config.html_theme_options = {"repository_url": "javascript:alert(1)"}
    assert edition.repository(Config) is None


# --------------------------------------------------------------------------
# the front page


def test_the_front_pages_key_figures_are_the_datas(book_html):
    text = (book_html / "index.html").read_text(encoding="utf-8")
    values = re.findall(r'<span class="so-keyfig-value">([^<]+)</span>', text)
    rows = {}
    for name in ["china_outsourcing_executed_value", "china_outsourcing_employment"]:
        with open(ROOT / "data" / f"{name}.csv", encoding="utf-8") as f:
            rows.update({r["row_id"]: r for r in csv.DictReader(f)})
    assert len(values) >= 6
    assert f"US${rows['ev_total_2020']['value']} billion" in values
    assert f"US${rows['ev_offshore_2020']['value']} billion" in values
    assert f"{rows['em_total_2020']['value']} million people" in values
    assert re.search(r"up " + re.escape(rows["ev_total_growth_2020"]["value"]) + r"% on 2019", text)
    for href in re.findall(r'<span class="so-keyfig-detail">[^<]*<a href="([^"]+)"', text):
        page, _, anchor = href.partition("#")
        target = (book_html / page).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in target, href
    assert downloads.pdf_name() in text and downloads.zip_name() in text
    assert f"version {citation.load().version} of the edition" in text


def panel_title(panel) -> str:
    """An edition chart's title is in its panel; a report figure's is the
    report's caption, in the figure the panel sits in."""
    own = panel.select_one(".so-title")
    if own is not None:
        return own.get_text(" ")
    figure = panel.find_parent("figure")
    return figure.select_one("figcaption .caption-text").get_text(" ")


def test_a_pdf_that_does_not_come_stops_the_build_with_one_line(book_html, tmp_path, monkeypatch):
    """A Chromium that stops answering (page.pdf has no time limit of its
    own) must not hold the build for ever: after the limit the PDF's
    process is stopped, Chromium with it, its workspace removed, and the
    build is told why in one line. Here the limit is shorter than
    Chromium's own start."""
    import shutil
    import tempfile

    from sobook import pipeline
    from sobook.pipeline import html

    book = tmp_path / "html"
    shutil.copytree(book_html, book, ignore=shutil.ignore_patterns("*.pdf", "*.zip"))
    monkeypatch.setattr(html, "PDF_TIMEOUT", 0.5)
    tmp = Path(tempfile.mkdtemp(prefix="pdf-test-", dir="/tmp"))  # short: the PDF's workspace goes here
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    with pytest.raises(pipeline.BuildError) as failed:
        html.make_pdf(book)
    assert str(failed.value) == "the PDF edition could not be made: Chromium had not printed it after 0.5 s; stopped"
    assert not list((book / "_static" / "downloads").glob("*.pdf"))
    assert not list(tmp.iterdir())
    tmp.rmdir()
    # nothing it started is left: no process whose temporary folder was under it
    left = []
    for env in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"TMPDIR={tmp}".encode() in env.read_bytes():
                left.append(env.parent.name)
        except OSError:
            pass
    assert left == []


# --------------------------------------------------------------------------
# the PDF, as accessible as the pages (PDF/UA-1's machine-checkable rules)


def test_no_table_breaks_a_word_or_runs_off_the_page(book_html, pdf_path, pdf_pages):
    """Every word of the outlook's and the ledger's tables is whole in the
    PDF (a column too narrow once printed "Hold / s / wher / e"), and no
    word of the PDF lies beyond its page's right edge."""
    from bs4 import BeautifulSoup

    words = set()
    for rel in ("chapters/outlook-fared.html", "chapters/ledger.html"):
        soup = BeautifulSoup((book_html / rel).read_text(encoding="utf-8"), "html.parser")
        for cell in soup.select("table.so-fared-table :is(td, th), table.so-ledger-table :is(td, th)"):
            words.update(w for w in re.findall(r"[A-Za-z]{4,}", cell.get_text(" ")))
    assert len(words) > 200
    printed = set(re.findall(r"[A-Za-z]+", " ".join(pdf_pages)))
    assert sorted(words - printed) == []
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True,
                           check=True).stdout
    width = float(re.search(r'<page width="([0-9.]+)"', boxes).group(1))
    beyond = [w for w in re.findall(r'<word xMin="[0-9.]+" yMin="[0-9.]+" xMax="([0-9.]+)"', boxes)
              if float(w) > width - 20]
    assert beyond == []


def test_every_figure_has_its_alternative_text_and_the_bookmarks_are_clean(pdf_path, book_html):
    """29 of 29 figures carry the chart's description (/Alt); the bookmarks
    are the headings' own words ("Five-Year Plan", not "Five-YearPlan"),
    without internal ids; XMP metadata claims PDF/UA-1."""
    import pikepdf
    from bs4 import BeautifulSoup

    described = [
        str(el.Alt) for el in _struct_elements(pikepdf.open(pdf_path)) if el.get("/S") == "/Figure" and "/Alt" in el]
    frames = [f["aria-label"] for rel in book_pages(book_html)
              for f in BeautifulSoup((book_html / rel).read_text(encoding="utf-8"), "html.parser")
              .select(".so-chart-frame[aria-label]")]
    assert len(frames) >= 29 and sorted(described) == sorted(frames)
    with pikepdf.open(pdf_path) as pdf:
        titles = []
        with pdf.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop()
                titles.append(str(item.title))
                stack.extend(item.children)
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1" and meta.get("dc:title")
    assert not [t for t in titles if re.search(r"[a-z][A-Z]|Year[A-Z]|\bs\d[\d.]*-[hp]\d*\b", t)], titles


def _struct_elements(pdf):
    import pikepdf

    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        el = stack.pop()
        if isinstance(el, pikepdf.Array):
            stack.extend(el)
        elif isinstance(el, pikepdf.Dictionary):
            if "/S" in el:
                yield el
            if "/K" in el:
                stack.append(el.K)


def test_the_pdf_passes_pdf_ua_s_machine_checkable_errors_but_untagged_picture_text(pdf_path):
    """pdfua (PyPI) checks the machine-checkable subset of PDF/UA-1: no error
    but one, the text inside the charts' SVG pictures, which Chromium draws
    outside any marked content (the figures themselves are tagged, with
    their descriptions)."""
    from pdfua import validate

    errors = sorted({f.rule_id for f in validate(str(pdf_path)).findings if f.severity.name == "ERROR"})
    assert errors in ([], ["UA-01-003"]), errors


def test_each_chapter_page_offers_its_own_pdf_and_the_whole_edition(book_html):
    """The PDF button of a chapter's page opens a menu: the chapter alone
    (its text, charts, notes and sources, and which edition it is from) and
    the whole edition; the front matter's pages offer the edition."""
    from bs4 import BeautifulSoup

    for rel in [p for p in book_pages(book_html) if p.startswith("chapters/")]:
        page = book_html / rel
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in soup.select(".dropdown-pdf-downloads a[href]")]
        stem = Path(rel).stem
        assert [Path(h).name for h in links] == [downloads.chapter_pdf_name(stem), downloads.pdf_name()], rel
        assert all((page.parent / h).is_file() for h in links), rel
        text = subprocess.run(["pdftotext", str(page.parent / links[0]), "-"], capture_output=True, text=True,
                              check=True).stdout
        heading = " ".join(soup.select_one("article h1").get_text(" ").replace("#", "").split())
        assert heading[:30] in " ".join(text.split()) and citation.statement() in " ".join(text.split()), rel
    front = BeautifulSoup((book_html / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [Path(a["href"]).name for a in front.select("a.so-pdf-button")] == [downloads.pdf_name()]
