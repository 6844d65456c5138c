"""Citing the edition, correcting it, and saying which edition a book is.

* One setting, _config.yml's repository.url, is where corrections go and the
  URL every citation gives; CITATION.cff repeats it (or, unset, neither
  names one), and with it unset the book says so plainly.
* "Cite this edition" and every chart's "Cite this chart" as plain text,
  BibTeX (read by pybtex, which Jupyter Book's sphinxcontrib-bibtex brings)
  and RIS (read by a strict reader of the RIS format below): author, year,
  title, version, URL where set, the day of access.
* The pages' head: citation_* and Dublin Core meta tags, schema.org JSON-LD
  checked against schema.org's vocabulary.
* What changed: CHANGELOG.md in Keep a Changelog's form, its newest version
  CITATION.cff's.
* A book `sobook run` makes on other data says so on its front page, in its
  footer, on its PDF's title page, in its zip's README and datapackage.json.
"""

from __future__ import annotations

import datetime
import html
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from sobook import citation, downloads
from sobook.sphinx_ext import edition

ROOT = Path(__file__).resolve().parent.parent
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
URL = "https://example.org/editors/edition"


# --------------------------------------------------------------------------
# readers a reference manager would use


def parse_bibtex(text: str) -> dict:
    """The one entry of `text`, through pybtex's parser (strict: unbalanced
    braces, a missing comma or a bad key fail), its fields unbraced."""
    from pybtex.database import parse_string

    entries = parse_string(text, "bibtex").entries
    assert len(entries) == 1
    (key, entry), = entries.items()
    fields = {k.lower(): re.sub(r"^\{(.*)\}$", r"\1", v, flags=re.S) for k, v in entry.fields.items()}
    return {"key": key, "type": entry.type, "author": [str(p) for p in entry.persons.get("author", [])], **fields}


# The RIS format: one "TAG  - value" a line, two capitals or a capital and a
# digit, TY first and ER last (RIS Format Specifications, Research
# Information Systems, 2012). The tags the edition writes or may write.
RIS_TAGS = {"TY", "AU", "TI", "T2", "PY", "DA", "ET", "UR", "Y2", "KW", "PB", "ER"}
RIS_TYPES = {"DATA", "FIGURE", "BOOK", "CHAP", "ELEC"}


def parse_ris(text: str) -> dict[str, list[str]]:
    lines = text.split("\n")
    assert lines[0].startswith("TY  - ") and lines[-1] == "ER  - ", text
    record: dict[str, list[str]] = {}
    for line in lines:
        m = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert m, f"not a RIS line: {line!r}"
        assert m.group(1) in RIS_TAGS, m.group(1)
        record.setdefault(m.group(1), []).append(m.group(2))
    assert record["TY"][0] in RIS_TYPES
    return record


def _untex(value: str) -> str:
    """A BibTeX value's text, LaTeX's escapes as citation._tex writes them undone."""
    value = value.replace(r"\textbackslash{}", "\\").replace(r"\textasciitilde{}", "~")
    return re.sub(r"\\([{}$&%#_])", r"\1", value.replace(r"\textasciicircum{}", "^"))


# --------------------------------------------------------------------------
# one setting: the repository's address


def test_citation_cff_names_the_repository_the_book_is_set_to():
    """CITATION.cff's repository-code and url are _config.yml's
    repository.url: the same address or, while none is set, none."""
    setting = citation.repository_url()
    assert CFF.get("repository-code") == setting
    assert CFF.get("url") == setting


def test_the_repository_setting_is_read_from_the_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text(f"repository:\n  url: '{URL}'\n", encoding="utf-8")
    assert citation.repository_url(config) == URL
    for unset in ["repository:\n  url: ''\n", "title: x\n", "repository:\n  url: 'javascript:alert(1)'\n"]:
        config.write_text(unset, encoding="utf-8")
        assert citation.repository_url(config) is None, unset


def test_every_citation_gives_the_setting_as_its_url(monkeypatch):
    monkeypatch.setattr(citation, "repository_url", lambda config=citation.CONFIG: URL)
    cite = citation.load()
    chart = cite.chart("Figure 1-4", "A chart", "chart-1-4")
    for c in (cite, chart):
        assert URL in c.plain() and parse_bibtex(c.bibtex())["url"] == URL and parse_ris(c.ris())["UR"] == [URL]
    readme = downloads._readme(cite, ["a.csv"], "2026-01-01")
    assert f"{URL}/issues" in readme and URL in readme.split("How to cite")[1]


def _config(url=None, data_dir=None, built=None):
    return SimpleNamespace(html_theme_options={"repository_url": url} if url else {}, sobook_data_dir=data_dir,
                           sobook_built=built, html_baseurl="")


def test_corrections_go_to_the_repository_or_the_book_says_there_is_none():
    set_, unset = citation.corrections(URL), citation.corrections(None)
    assert f"{URL}/issues" in set_
    assert "No address for corrections is published" in unset and "http" not in unset
    # the footer links the repository's issues, or About's section that says where they go
    pathto = lambda doc, *a: f"../{doc}.html"  # noqa: E731
    assert f'href="{URL}/issues"' in edition.footer(_config(URL), pathto)
    unset_footer = edition.footer(_config(), pathto)
    assert 'href="../pages/about.html#corrections"' in unset_footer and "/issues" not in unset_footer
    # About's section uses the directive; its words for the unset case are citation.corrections'
    about = (ROOT / "pages" / "about.md").read_text(encoding="utf-8")
    assert "(corrections)=\n## Corrections\n\n```{corrections}\n```" in about


def test_make_book_says_in_one_line_that_the_address_is_unset(tmp_path, monkeypatch, capsys):
    from sobook.pipeline import book

    monkeypatch.setattr(book, "BUILD_DIR", tmp_path)
    monkeypatch.setattr(book, "CHAPTERS", [])
    monkeypatch.setattr(book, "EXTRA_NOTEBOOKS", [])
    monkeypatch.setattr(book, "book_hash", lambda root: "same")
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text("")
    (tmp_path / ".stamps").mkdir()
    (tmp_path / ".stamps" / "html.sha256").write_text("same")
    for url, expected in [(None, 1), (URL, 0)]:
        monkeypatch.setattr(citation, "repository_url", lambda config=None, url=url: url)
        book._build(1)
        lines = [line for line in capsys.readouterr().out.splitlines() if "repository.url" in line]
        assert len(lines) == expected, lines


# --------------------------------------------------------------------------
# citations a reference manager takes whole


def _check_forms(cite: citation.Citation, title: str) -> None:
    bib = parse_bibtex(cite.bibtex())
    assert bib["type"] == "misc" and bib["author"] == ["{" + a + "}" for a in CFF_AUTHORS]
    assert _untex(bib["title"]) == title
    assert bib["year"] == CFF["date-released"][:4] and bib["version"] == CFF["version"]
    assert bib["urldate"] == citation.ACCESSED
    ris = parse_ris(cite.ris())
    assert ris["AU"] == CFF_AUTHORS and ris["TI"] == [title]
    assert ris["PY"] == [CFF["date-released"][:4]] and ris["ET"] == [CFF["version"]]
    assert ris["Y2"] == [citation.ACCESSED]
    assert ("UR" in ris) == ("url" in bib) == bool(citation.repository_url())
    plain = cite.plain()
    assert plain.startswith(f"{'; '.join(CFF_AUTHORS)} ({CFF['date-released'][:4]}). {title}.")
    assert f"ersion {CFF['version']}" in plain and plain.endswith(citation.ACCESSED)


CFF_AUTHORS = [a["name"] for a in CFF["authors"]]


def test_cite_this_edition_in_three_forms():
    cite = citation.load()
    _check_forms(cite, " ".join(CFF["title"].split()))
    assert parse_ris(cite.ris())["TY"] == ["DATA"]


@pytest.fixture(scope="module")
def panels():
    from sobook import charts

    return [charts.build(i) for i in charts.ids()]


def test_cite_this_chart_in_three_forms_for_every_chart(panels):
    """Each chart cited as part of the edition: its number and heading as
    the title, the edition's title as where it is found."""
    edition_title = " ".join(CFF["title"].split())
    keys = set()
    for p in panels:
        cite = p.citation()
        _check_forms(cite, f"{p.label}: {p.heading}")
        assert parse_bibtex(cite.bibtex())["howpublished"] == f"In: {edition_title}"
        assert parse_ris(cite.ris())["T2"] == [edition_title] and parse_ris(cite.ris())["TY"] == ["FIGURE"]
        keys.add(cite.key())
        block = p.html().split('<details class="so-cite">')[1]
        assert block.count('class="so-accessed"') == 3, p.fig_id
        assert p.metadata()["citation"] == cite.plain(accessed=None)
    assert len(keys) == len(panels), "one BibTeX key per chart"


def test_a_title_with_latex_specials_stays_one_entry():
    cite = citation.load().chart("Chart E99", r"10% & US$ {more} #1 a_b ~ ^ \ ", "chart-e99")
    assert _untex(parse_bibtex(cite.bibtex())["title"]) == r"Chart E99: 10% & US$ {more} #1 a_b ~ ^ \ "


def test_the_access_date_is_the_readers_in_each_form():
    """The build cannot know the day a page is read: each form carries
    ACCESSED, which citation.html wraps for sobook-cite.js; with a date the
    forms read as the script writes them (plain: "Accessed 2026-12-06.",
    BibTeX urldate ISO, RIS Y2 with slashes)."""
    cite = citation.load()
    assert cite.plain("2026-12-06").endswith(" Accessed 2026-12-06.")
    assert parse_bibtex(cite.bibtex("2026-12-06"))["urldate"] == "2026-12-06"
    assert parse_ris(cite.ris("2026-12-06"))["Y2"] == ["2026/12/06"]
    shown = citation.html(cite)
    forms = re.findall(r'<span class="so-accessed" data-form="(\w+)">\[accessed: date\]</span>', shown)
    assert forms == ["plain", "iso", "ris"]
    script = (ROOT / "sobook" / "static" / "sobook-cite.js").read_text(encoding="utf-8")
    for form in forms:
        assert re.search(rf"\b{form}:", script), form


# --------------------------------------------------------------------------
# schema.org JSON-LD, checked against the vocabulary


# From schema.org's definitions (https://schema.org/Thing,
# https://schema.org/CreativeWork, https://schema.org/Book,
# https://schema.org/Chapter, https://schema.org/Dataset,
# https://schema.org/DataDownload and its parent https://schema.org/MediaObject,
# https://schema.org/PropertyValue, https://schema.org/Organization): the
# properties each type takes, its own and those it inherits, as far as the
# edition uses them. Required: what Google's Dataset guidelines require
# (https://developers.google.com/search/docs/appearance/structured-data/dataset:
# name, description of 50 to 5000 characters) and what makes the page's own
# work citable (a Book's and a Chapter's name and author, a Chapter's book);
# a work it only refers to (the book a chapter is part of, the report it
# translates) needs its name.
THING = {"name", "description", "url", "identifier", "sameAs", "alternateName", "image"}
CREATIVE_WORK = THING | {"author", "creator", "datePublished", "dateModified", "version", "license", "inLanguage",
                         "isPartOf", "hasPart", "keywords", "publisher", "translationOfWork", "isAccessibleForFree",
                         "encodingFormat", "citation", "about", "copyrightHolder"}
VOCABULARY = {
    "Book": CREATIVE_WORK | {"bookEdition", "isbn", "numberOfPages", "bookFormat", "illustrator", "abridged"},
    "Chapter": CREATIVE_WORK | {"pageStart", "pageEnd", "pagination"},
    "Dataset": CREATIVE_WORK | {"distribution", "variableMeasured", "includedInDataCatalog", "measurementTechnique",
                                "temporalCoverage", "spatialCoverage"},
    "DataDownload": CREATIVE_WORK | {"contentUrl", "contentSize", "uploadDate"},
    "PropertyValue": THING | {"value", "unitText", "unitCode", "propertyID", "minValue", "maxValue"},
    "Organization": THING | {"email", "address"},
}
REQUIRED = {"Book": {"name", "author"}, "Chapter": {"name", "author", "isPartOf"},
            "Dataset": {"name", "description", "license", "version", "distribution", "variableMeasured"},
            "DataDownload": {"contentUrl", "encodingFormat"}, "PropertyValue": {"name"}, "Organization": {"name"}}
# Values whose type schema.org fixes: Date (ISO 8601), URL, Text, Boolean.
DATES = {"datePublished", "dateModified", "uploadDate"}
URLS = {"url", "license", "contentUrl"}


def schema_problems(node, where: str = "$", top: bool = True) -> list[str]:
    """Every way `node` strays from the vocabulary: an unknown type, a
    property its type does not take, a required one missing, a value of the
    wrong kind."""
    out = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            out += schema_problems(item, f"{where}[{i}]", False)
        return out
    if not isinstance(node, dict):
        return out
    kind = node.get("@type")
    if top and node.get("@context") != "https://schema.org":
        out.append(f"{where}: @context is not https://schema.org")
    if kind not in VOCABULARY:
        return out + [f"{where}: type {kind!r} is not one the vocabulary list has"]
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in VOCABULARY[kind]:
            out.append(f"{where}: {kind} takes no property {key!r}")
        if key in DATES and not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
            out.append(f"{where}.{key}: not an ISO 8601 date: {value!r}")
        if key in URLS and not (isinstance(value, str) and value and " " not in value):
            out.append(f"{where}.{key}: not a URL: {value!r}")
        if key == "isAccessibleForFree" and not isinstance(value, bool):
            out.append(f"{where}.{key}: not a Boolean")
        if key in ("name", "description", "version", "unitText") and not isinstance(value, str):
            out.append(f"{where}.{key}: not Text")
        out += schema_problems(value, f"{where}.{key}", False)
    required = REQUIRED.get(kind, set()) if top or kind not in ("Book", "Chapter") else {"name"}
    out += [f"{where}: {kind} lacks {key!r}" for key in sorted(required - set(node))]
    if kind == "Dataset" and not 50 <= len(node.get("description", "")) <= 5000:
        out.append(f"{where}: a Dataset's description must have 50 to 5000 characters")
    if kind == "Dataset":
        out += [f"{where}.distribution: not DataDownload" for d in node.get("distribution", [])
                if d.get("@type") != "DataDownload"]
    return out


def test_the_vocabulary_check_finds_what_strays():
    good = {"@context": "https://schema.org", "@type": "Book", "name": "x", "author": [{"@type": "Organization",
                                                                                      "name": "y"}]}
    assert schema_problems(good) == []
    assert schema_problems({**good, "variableMeasured": "x"}) == ["$: Book takes no property 'variableMeasured'"]
    assert schema_problems({**good, "@type": "Buch"}) == ["$: type 'Buch' is not one the vocabulary list has"]
    assert schema_problems({**good, "datePublished": "6 Dec 2026"}) == [
        "$.datePublished: not an ISO 8601 date: '6 Dec 2026'"]
    assert schema_problems({k: v for k, v in good.items() if k != "author"}) == ["$: Book lacks 'author'"]


def test_the_json_ld_is_schema_orgs():
    cite = citation.load()
    book = edition.book_jsonld(cite)
    chapter = edition.chapter_jsonld(cite, "Achievements, 2016–2020")
    dataset = downloads.dataset_jsonld(ROOT / "data", "_static/downloads/" + downloads.zip_name())
    for node in (book, chapter, dataset):
        assert schema_problems(node) == [], node["@type"]
    assert book["version"] == chapter["version"] == dataset["version"] == CFF["version"]
    assert chapter["isPartOf"]["name"] == book["name"] == cite.title
    assert dataset["distribution"][0]["contentUrl"].endswith(downloads.zip_name())
    from sobook import data

    desc = data.descriptor(ROOT / "data")
    assert [v["name"] for v in dataset["variableMeasured"]] == [r["title"] for r in desc["resources"]]
    units = {v["name"]: v.get("unitText", "") for v in dataset["variableMeasured"]}
    assert "US$ billion" in units[desc["resources"][0]["title"]].split("; ")


def test_a_script_element_cannot_be_closed_by_the_data():
    assert "</script" not in edition._script_json({"name": "a </script><script>alert(1)"})[:-9]


# --------------------------------------------------------------------------
# versions: CITATION.cff's, the changelog's


def test_the_changelog_keeps_a_changelog_and_its_newest_version_is_the_editions():
    """https://keepachangelog.com/en/1.1.0/: a title, an Unreleased section,
    then one section a version, newest first, each '## [X.Y.Z] - YYYY-MM-DD'
    with only the six kinds of change as its subsections."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    sections = re.findall(r"^## (.*)$", text, re.M)
    assert sections[0] == "[Unreleased]"
    versions = []
    for heading in sections[1:]:
        m = re.fullmatch(r"\[(\d+)\.(\d+)\.(\d+)\] - (\d{4}-\d{2}-\d{2})", heading)
        assert m, heading
        versions.append((tuple(int(g) for g in m.groups()[:3]), m.group(4)))
    assert versions == sorted(versions, reverse=True) and len({v for v, _ in versions}) == len(versions)
    newest, released = versions[0]
    assert ".".join(map(str, newest)) == CFF["version"] and released == CFF["date-released"]
    kinds = set(re.findall(r"^### (.*)$", text, re.M))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    page = (ROOT / "pages" / "changes.md").read_text(encoding="utf-8")
    assert "```{include} ../CHANGELOG.md" in page
    assert "pages/changes" in (ROOT / "_toc.yml").read_text(encoding="utf-8")


def test_each_version_of_the_changelog_has_an_id_of_its_own():
    """Version headings have no letter to make an id of: docutils would number
    them ("id1"), numbers that clash with other pages' in a one-page book."""
    from docutils.core import publish_doctree
    from docutils.nodes import section

    text = "".join(f"[{v}] - 2026-12-0{i}\n{'=' * 20}\n\nFixed\n-----\n\ntext\n\n"
                   for i, v in enumerate(["2.0.0", "1.0.0"], 1))
    doc = publish_doctree(text, settings_overrides={"report_level": 5})
    edition.VersionAnchors(doc).apply()
    ids = [s["ids"] for s in doc.findall(section)]
    assert ids == [["v2-0-0"], ["v2-0-0-fixed"], ["v1-0-0"], ["v1-0-0-fixed"]]


def test_the_version_is_kept_in_one_place():
    """CITATION.cff's: the data descriptors state none (the zip's gets it),
    and the downloads' file names carry it."""
    version = CFF["version"]
    for desc in [ROOT / "data" / "datapackage.json", ROOT / "examples" / "outcomes-2021-2025" / "datapackage.json"]:
        assert "version" not in json.loads(desc.read_text(encoding="utf-8")), desc
    assert citation.load().version == version
    assert downloads.zip_name().endswith(f"-{version}.zip") and downloads.pdf_name().endswith(f"-{version}.pdf")


# --------------------------------------------------------------------------
# a re-run says what it is


def test_the_fingerprint_is_what_sha256sum_gives(tmp_path):
    d = tmp_path / "my-data"
    (d / "sub").mkdir(parents=True)
    (d / "b.csv").write_text("x\n1\n")
    (d / "a.csv").write_text("x\n2\n")
    (d / "sub" / "c.json").write_text("{}")
    listing = subprocess.run("find . -type f | sed 's|^./||' | LC_ALL=C sort | xargs -d '\\n' sha256sum",
                             shell=True, cwd=d, capture_output=True, check=True).stdout
    expected = subprocess.run(["sha256sum"], input=listing, capture_output=True, check=True).stdout.decode()[:12]
    assert citation.fingerprint(d) == expected
    before = citation.fingerprint(d)
    (d / "a.csv").write_text("x\n3\n")
    assert citation.fingerprint(d) != before


def _changed_copy(tmp_path: Path) -> Path:
    """A copy of data/ in a folder of its own name, with a value a later
    release revised (ISG's 2021 level, 84.2 → 77.2) and the rows derived
    from it recomputed, as tests/test_prose.py changes it."""
    from test_prose import isg_2021_revised, refresh_derived

    d = tmp_path / "deep" / "data-2027"
    shutil.copytree(ROOT / "data", d)
    isg_2021_revised(d)
    refresh_derived(d)
    return d


def test_a_rerun_says_so_and_names_its_data_but_not_its_path(tmp_path):
    d = _changed_copy(tmp_path)
    rerun = citation.rerun(d, "2027-03-01")
    assert rerun == citation.Rerun("data-2027", citation.fingerprint(d), "2027-03-01")
    said = citation.statement(rerun)
    assert said.startswith("Not the published edition") and "data-2027" in said
    assert rerun.fingerprint in said and "2027-03-01" in said and str(tmp_path) not in said
    assert citation.rerun(None) is None and citation.statement() == (
        f"Version {CFF['version']}, built from the sources of {citation.build_date()}.")
    # the footer and the front page's line
    pathto = lambda doc, *a: f"{doc}.html"  # noqa: E731
    assert html.escape(said) in edition.footer(_config(data_dir=str(d), built="2027-03-01"), pathto)
    assert "Not the published" not in edition.footer(_config(), pathto)
    # the PDF's title page: the footer's statement, read from the built book
    from sobook import pdf

    book = tmp_path / "book"
    book.mkdir()
    (book / "index.html").write_text(f"<html><body><footer>{edition.footer(_config(data_dir=str(d), built='2027-03-01'), pathto)}"
                                     "</footer></body></html>", encoding="utf-8")
    assert pdf.edition_statement(book) == said
    assert html.escape(said) in pdf.front_html([], {}, pdf.edition_statement(book))


def test_a_reruns_zip_says_so_in_its_readme_and_descriptor(tmp_path):
    d = _changed_copy(tmp_path)
    rerun = citation.rerun(d, "2027-03-01")

    def unzip(body):
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            read = lambda name: z.read(f"{downloads.PREFIX}-data/{name}").decode("utf-8")  # noqa: E731
            return read("README.txt"), json.loads(read("datapackage.json")), {i.date_time for i in z.infolist()}

    readme, desc, stamps = unzip(downloads.zip_bytes(d, rerun=rerun))
    said = citation.statement(rerun)
    assert said in readme and str(tmp_path) not in readme
    assert desc["rerun"] == {"statement": said, "data_directory": "data-2027", "fingerprint": rerun.fingerprint,
                             "built": "2027-03-01", "published_version": CFF["version"]}
    assert desc["version"] == f"{CFF['version']}+data.{rerun.fingerprint}" and desc["created"] == "2027-03-01T00:00:00Z"
    published_id = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["id"]
    assert desc["id"] != published_id and str(tmp_path) not in json.dumps(desc)
    assert stamps == {(2027, 3, 1, 0, 0, 0)}
    # the published edition's zip has none of it
    readme, desc, _ = unzip(downloads.zip_bytes(ROOT / "data", "2026-01-01"))
    assert "Not the published" not in readme and "rerun" not in desc and desc["version"] == CFF["version"]
    assert desc["id"] == published_id


def test_a_partial_reruns_front_page_names_the_folder_not_its_path(tmp_path):
    from sobook.pipeline import run

    d = _changed_copy(tmp_path)
    src = run.stage_book(tmp_path / "book", ["trends"], d, partial=True)
    front = (src / "index.md").read_text(encoding="utf-8")
    assert "`data-2027`" in front and str(tmp_path) not in front and "{edition-version}`This is`" in front
    full = run.stage_book(tmp_path / "full", ["trends"], d, partial=False)
    assert (full / "CHANGELOG.md").read_text() == (ROOT / "CHANGELOG.md").read_text(), "the What changed page's source"


# --------------------------------------------------------------------------
# the built book


def _head(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[:text.index("</head>")]


def _metas(head: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, content in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', head):
        out.setdefault(name, []).append(html.unescape(content))
    return out


def test_every_page_carries_citation_meta_tags_and_json_ld(book_html):
    from support import book_pages

    cite = citation.load()
    offering = 0
    for rel in book_pages(book_html):
        head = _head(book_html / rel)
        meta = _metas(head)
        assert meta.get("citation_author") == list(cite.authors), rel
        assert meta["citation_publication_date"] == [cite.released.replace("-", "/")], rel
        assert meta["citation_pdf_url"] == ["../" * rel.count("/") + f"_static/downloads/{downloads.pdf_name()}"], rel
        assert meta["DC.language"] == ["en"] and meta["DC.creator"] == list(cite.authors), rel
        assert not any(k.startswith("og:") for k in meta), "no Open Graph tags without html.baseurl"
        blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)]
        for block in blocks:
            assert schema_problems(block) == [], (rel, block["@type"])
        kinds = [b["@type"] for b in blocks]
        if rel in ("search.html", "genindex.html"):
            assert kinds == [] and meta["citation_title"] == [cite.title], rel
            continue
        body = (book_html / rel).read_text(encoding="utf-8")
        offers = 'class="so-downloads"' in body
        offering += offers
        assert kinds == (["Book"] if rel == "index.html" else ["Chapter"]) + (["Dataset"] if offers else []), rel
        assert (meta["citation_title"] == [cite.title]) == (rel == "index.html"), rel
        assert rel == "index.html" or meta["citation_book_title"] == [cite.title], rel
    assert offering >= 2, "the front page and About offer the data download"


def test_the_about_page_says_where_corrections_go_and_what_changed(book_html):
    about = html.unescape(re.sub(r"<[^>]+>", "", (book_html / "pages" / "about.html").read_text(encoding="utf-8")))
    assert citation.corrections(citation.repository_url()) in " ".join(about.split())
    changes = (book_html / "pages" / "changes.html").read_text(encoding="utf-8")
    for version in re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M):
        assert f"[{version}]" in changes, version


def _title_page(pdf: Path) -> str:
    """The PDF's first page as text, its spaces and line breaks left out."""
    text = subprocess.run(["pdftotext", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"\s+", "", text)


def test_the_published_book_has_no_rerun_marks(book_html):
    from support import book_pages

    for rel in book_pages(book_html):
        text = (book_html / rel).read_text(encoding="utf-8")
        assert "Not the published edition" not in text and "so-rerun" not in text, rel
    first = _title_page(book_html / "_static" / "downloads" / downloads.pdf_name())
    assert re.sub(r"\s+", "", citation.statement()) in first and "Notthepublished" not in first
    with zipfile.ZipFile(book_html / "_static" / "downloads" / downloads.zip_name()) as z:
        desc = json.loads(z.read(f"{downloads.PREFIX}-data/datapackage.json"))
        readme = z.read(f"{downloads.PREFIX}-data/README.txt").decode("utf-8")
    assert "rerun" not in desc and "Not the published" not in readme


# --------------------------------------------------------------------------
# a real re-run, and the readers a reference manager uses


@pytest.fixture(scope="module")
def rerun_book(tmp_path_factory):
    """`sobook run trends --pdf` on a changed copy of data/: the partial
    book with its PDF and zip."""
    base = tmp_path_factory.mktemp("rerun")
    d = _changed_copy(base)
    out = base / "html"
    proc = subprocess.run([sys.executable, "-m", "sobook", "run", "trends", "--pdf", "--data-dir", str(d),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, d


@pytest.mark.slow
def test_a_rerun_book_says_what_it_is_in_five_places(rerun_book):
    out, d = rerun_book
    today = datetime.date.today().isoformat()
    said = citation.statement(citation.rerun(d, today))

    def text(rel):
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", (out / rel).read_text(encoding="utf-8"))).split())

    front = text("index.html")
    assert front.count(said) == 3, "the banner above the page, the front page's line and the footer"
    assert said in text("chapters/trends.html")
    assert str(d.parent) not in (out / "index.html").read_text(encoding="utf-8")
    first = _title_page(out / "_static" / "downloads" / downloads.pdf_name())
    assert re.sub(r"\s+", "", said) in first
    assert re.sub(r"\s+", "", said) in _title_page(out / "_static" / "downloads" / downloads.chapter_pdf_name("trends"))
    with zipfile.ZipFile(out / "_static" / "downloads" / downloads.zip_name()) as z:
        readme = z.read(f"{downloads.PREFIX}-data/README.txt").decode("utf-8")
        desc = json.loads(z.read(f"{downloads.PREFIX}-data/datapackage.json"))
    assert said in readme and desc["rerun"]["statement"] == said
    for place in (front, readme, json.dumps(desc, ensure_ascii=False), first):
        assert str(d) not in place


@pytest.mark.slow  # rispy, in .venv-tools
def test_every_ris_citation_is_read_by_rispy(panels):
    tool = ROOT / ".venv-tools" / "bin" / "python"
    assert tool.exists(), "make test sets up .venv-tools (rispy)"
    text = "\n".join([citation.load().ris()] + [p.citation().ris() for p in panels]) + "\n"
    proc = subprocess.run([str(tool), "-c", "import json, sys, rispy; print(json.dumps(rispy.loads(sys.stdin.read())))"],
                          input=text, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert len(records) == len(panels) + 1
    for record in records:
        assert record["year"] == CFF["date-released"][:4] and record["edition"] == CFF["version"]
        assert record["access_date"] == citation.ACCESSED and record["authors"] == CFF_AUTHORS
    assert [r["title"] for r in records[1:]] == [f"{p.label}: {p.heading}" for p in panels]


def test_the_readers_browser_writes_the_access_date(served_book, browser):
    page = browser.new_page()
    try:
        page.goto(f"{served_book}/pages/about.html")
        today = page.evaluate("(() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, "
                              "d.getDate()].map(n => String(n).padStart(2, '0')).join('-'); })()")
        plain = page.inner_text(".so-cite .so-cite-plain")
        bib = parse_bibtex(page.inner_text(".so-cite .so-cite-bibtex"))
        ris = parse_ris(page.inner_text(".so-cite .so-cite-ris"))
    finally:
        page.close()
    cite = citation.load()
    assert plain == cite.plain(today)
    assert bib["urldate"] == today and ris["Y2"] == [today.replace("-", "/")]
