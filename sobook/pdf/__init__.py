"""The edition as one PDF, made from the HTML book the build has just written.

The pages of the book, in reading order, are put together into one print
document (each page's article, its ids made unique, its links made internal,
the charts as their static pictures with their source and notes, the Chinese
toggles left out), followed by the Chinese original in full as an appendix;
Chromium prints it (Playwright, offline). The title page and the contents,
with the page number Chromium's outline gives each heading, are printed
after it and joined in front with pikepdf (sobook.pdf.join, which keeps
both parts' tagged structure and links each entry to its page); the join
fixes the metadata and the document id, so that the same book gives the same
bytes.

    make(html_dir, pdf_path)      # called by sobook.pipeline.html before the swap
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from sobook import citation, downloads
from sobook.paths import CHROMIUM, CHROMIUM_ARGS, ORIGINAL

CSS = Path(__file__).with_name("pdf.css")
# The book's own stylesheets, which the PDF shares; the print one keeps
# panels unbroken, the ledger whole and screen-only controls out.
BOOK_CSS = Path(__file__).resolve().parent.parent / "static" / "sobook.css"
PRINT_CSS = BOOK_CSS.with_name("sobook-print.css")
# Reading order: the sections, the edition's pages after them.
PAGES = [
    ("chapters/achievements.html", "Section 1"),
    ("chapters/section2.html", "Section 2"),
    ("chapters/trends.html", "Section 2"),
    ("chapters/opportunities.html", "Section 2"),
    ("chapters/challenges.html", "Section 2"),
    ("chapters/outlook.html", "Section 2"),
    ("chapters/outlook-fared.html", "Looking back from 2026"),
    ("chapters/ledger.html", "About this edition"),
    ("pages/glossary.html", "About this edition"),
    ("pages/about.html", "About this edition"),
    ("pages/changes.html", "About this edition"),
]
APPENDIX_TITLE = "Appendix: the Chinese original"
# The contents' links as printed (a reserved, never resolvable domain, RFC
# 2606): the join points each at its heading's page and no such link stays.
TOC_LINK = "https://sobook.invalid/contents#"


def _key(rel: str) -> str:
    return "p-" + re.sub(r"[^a-z0-9]+", "-", rel.removesuffix(".html").lower()).strip("-")


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# What only works on screen (toggles, tables, buttons, the Chinese toggles
# beside each paragraph: the original is printed whole as the appendix).
LEFT_OUT = " | ".join([
    *(f".//details[{_has_class(c)}]" for c in ("so-original", "so-table", "so-sources", "so-cite")),
    *(f".//*[{_has_class(c)}]" for c in ("so-download", "so-zh", "so-pdf-button")),
    f".//a[{_has_class('headerlink')}]", ".//script", ".//noscript", ".//button",
    f".//*[{_has_class('so-cite-label')}]/following-sibling::*[1][self::div][{_has_class('highlight')}]",
])


def _article(html_dir: Path, rel: str, pages: set[str] | None = None):
    """One page's article, made fit for print: ids unique in the document,
    links internal, the static pictures at their wide size, interactive-only
    parts left out. (lxml: a quarter of the time BeautifulSoup took.)"""
    import lxml.html

    page = html_dir / rel
    tree = lxml.html.fromstring(page.read_bytes())
    found = tree.xpath(f"//article[{_has_class('bd-article')}]")
    if not found:
        raise RuntimeError(f"{rel}: no article in the page")
    article = found[0]
    key = _key(rel)
    for el in article.xpath(LEFT_OUT):
        if el.getparent() is not None:
            el.drop_tree()  # keeps the text that follows it
    # A chart's description is on its frame (role="img", for the page's
    # interactive chart); on paper the picture is the figure: it carries it.
    for frame in article.xpath(f".//*[{_has_class('so-chart-frame')}]"):
        img = frame.find(".//img")
        if img is not None and frame.get("aria-label"):
            img.set("alt", frame.get("aria-label"))
            for attr in ("role", "aria-label", "aria-describedby"):
                frame.attrib.pop(attr, None)
            for el in frame.xpath(".//*[@aria-hidden]"):  # the interactive chart's container
                del el.attrib["aria-hidden"]
    # Chromium tags a <figure> as a Figure of its own without /Alt: the
    # picture inside it is the figure, with its alt text, and the caption
    # a paragraph beside it.
    for figure in list(article.iter("figure")):
        _in_reading_order(figure)
        figure.tag = "div"
        figure.set("class", (figure.get("class", "") + " pdf-figure").strip())
    for caption in list(article.iter("figcaption")):
        caption.tag = "div"
        caption.set("class", (caption.get("class", "") + " pdf-figcaption").strip())
    for picture in list(article.iter("picture")):
        img = picture.find(".//img")
        if img is not None:
            picture.addprevious(img)
        picture.drop_tree()
    for el in article.iter("details"):
        el.set("open", "")
    for el in article.xpath(".//*[@id]"):
        el.set("id", f"{key}--{el.get('id')}")
    base = page.parent
    root = html_dir.resolve()
    for img in article.iter("img"):
        src = img.get("src", "")
        if src and not src.startswith(("data:", "http")):
            img.set("src", (base / src.split("?")[0]).resolve().as_uri())
        for attr in ("loading", "decoding", "srcset"):
            img.attrib.pop(attr, None)
    for a in article.xpath(".//a[@href]"):
        href = a.get("href")
        if href.startswith(("http://", "https://", "mailto:")):
            continue
        if href.startswith("#"):
            a.set("href", f"#{key}--{href[1:]}")
            continue
        path, _, frag = href.partition("#")
        try:
            other = (base / path).resolve().relative_to(root).as_posix()
        except ValueError:
            other = ""
        if other in (pages if pages is not None else dict(PAGES)):
            a.set("href", f"#{_key(other)}--{frag}" if frag else f"#{_key(other)}")
        else:
            del a.attrib["href"]  # a file or a page not in the PDF: the words stay, the dead link goes
    return key, article


def _in_reading_order(figure) -> None:
    """A chart's figure with its parts in the order sobook.css shows them
    (number and caption, subtitle, chart, the notes, the source lines): on
    paper the order is the document's own, which the tagged PDF reads."""
    panels, captions = figure.xpath(f".//*[{_has_class('so-panel')}]"), figure.xpath("./figcaption")
    if not panels or not captions:
        return
    panel, caption = panels[0], captions[0]
    first, *legend = caption.xpath("./p | ./*[contains(@class, 'legend')]/p")
    cls = lambda name: panel.xpath(f"./*[{_has_class(name)}]")  # noqa: E731
    ordered = ([first] + cls("so-title") + cls("so-subtitle") + cls("so-chart-frame") + legend[1:]
               + cls("so-note") + legend[:1] + cls("so-source"))
    first.set("class", "pdf-caption-title")
    for el in legend:
        el.set("class", "pdf-caption-line")
    for el in ordered:
        el.getparent().remove(el)
    for el in reversed(ordered):
        figure.insert(0, el)


def _inner_html(el) -> str:
    import lxml.html

    return html.escape(el.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in el)


def _appendix() -> str:
    """The Chinese original in full, block by block, with its ids."""
    blocks = json.loads(ORIGINAL.read_text(encoding="utf-8"))["blocks"]
    out = ['<section class="pdf-page pdf-appendix" id="p-appendix" lang="zh-Hans">',
           f'<h1 lang="en">{APPENDIX_TITLE}</h1>',
           '<p class="pdf-note" lang="en">The cleaned text of the report chapter, one block per heading, paragraph, '
           'footnote, caption and source line, each with the id the translation cites.</p>']
    for b in blocks:
        text = html.escape(re.sub(r"\[\^fn(\d+)\]", r"⁽\1⁾", b["text"]))
        bid = html.escape(b["id"])
        tag = "h2" if b["kind"] == "heading" and b["id"].count(".") == 0 else "h3" if b["kind"] == "heading" else "p"
        kind = html.escape(b["kind"])
        if tag == "p":
            out.append(f'<p class="zh zh-{kind}">{text} <span class="zh-id" lang="en">{bid}</span></p>')
        else:  # the id beside the heading, not in it: a bookmark's title is the heading's text
            out.append(f'<div class="zh-head"><{tag} class="zh zh-{kind}">{text}</{tag}>'
                       f'<span class="zh-id" lang="en">{bid}</span></div>')
    out.append("</section>")
    return "\n".join(out)


def body_html(html_dir: Path) -> tuple[str, list[tuple[str, str, int]]]:
    """The print document: the book's pages in reading order, then the
    appendix; and its headings (id, text, level) for the contents."""
    parts, headings = [], []
    last_part = None
    for rel, part in PAGES:
        if not (html_dir / rel).exists():
            continue
        key, article = _article(html_dir, rel)
        if part != last_part:
            parts.append(f'<p class="pdf-part">{html.escape(part)}</p>')
            last_part = part
        for h in article.xpath(".//h1 | .//h2"):
            if not h.get("id"):
                h.set("id", f"{key}--h{len(headings)}")
            headings.append((h.get("id"), " ".join(" ".join(h.itertext()).split()), int(h.tag[1])))
        parts.append(f'<section class="pdf-page" id="{key}">{_inner_html(article)}</section>')
    parts.append(_appendix())
    headings.append(("p-appendix", APPENDIX_TITLE, 1))
    return _document("".join(parts), "pdf-body"), headings


def _document(body: str, extra_class: str) -> str:
    # The stylesheets from the package: Sphinx copies the same files into
    # the book's _static/.
    sheets = "".join(f'<link rel="stylesheet" href="{css.as_uri()}">' for css in (BOOK_CSS, PRINT_CSS, CSS))
    return (f'<!DOCTYPE html><html lang="en" class="{extra_class}"><head><meta charset="utf-8">'
            f'<title>{html.escape(citation.load().title)}</title>{sheets}</head><body>{body}</body></html>')


def _unbroken_ranges(text: str) -> str:
    """A year range (2016–2020) kept on one line: Chromium breaks after the dash."""
    return re.sub(r"(\d{4}–\d{4})", r'<span class="pdf-nowrap">\1</span>', text)


def edition_statement(html_dir: Path) -> str:
    """Which edition the built book is, as its pages' footer says it (a
    `sobook run` book says it is not the published one, and what it was
    built from); the published edition's where the footer says nothing."""
    import lxml.html

    tree = lxml.html.fromstring((Path(html_dir) / "index.html").read_text(encoding="utf-8"))
    found = tree.xpath(f"//*[{_has_class('so-edition')}]")
    return " ".join(found[0].text_content().split()) if found else citation.statement()


def front_html(headings: list[tuple[str, str, int]], pages: dict[str, int], edition: str | None = None) -> str:
    """The title page and the contents: each heading, the page its footer
    numbers, and a link the join points at the heading (TOC_LINK + its id).
    `edition`: which edition this is (edition_statement)."""
    cite = citation.load()
    e = html.escape
    rows = []
    for hid, text, level in headings:
        inner = f'<span class="toc-text">{e(text)}</span><span class="toc-page">{pages.get(hid, "")}</span>'
        # A heading the printed outline lacks gets no number and no link.
        row = f'<a href="{TOC_LINK}{e(hid)}">{inner}</a>' if hid in pages else f'<span class="toc-row">{inner}</span>'
        rows.append(f'<li class="toc-l{level}">{row}</li>')
    title = (
        '<section class="pdf-title">'
        f'<h1 class="pdf-title-main">{_unbroken_ranges(e(cite.title))}</h1>'
        '<p class="pdf-title-sub">An English data edition of the Chinese report chapter '
        '<span lang="zh-Hans">“十三五”发展成就及“十四五”展望</span>: the complete translation, the report\'s '
        'figures rebuilt from a documented dataset, the claims ledger and the outlook against what happened.</p>'
        f'<p class="pdf-title-report">The report: {e(citation.report().name())}.</p>'
        f'<p class="pdf-title-version">{e(edition or citation.statement())}</p>'
        '<h2>How to cite</h2>'
        f'<p class="pdf-cite">{e(cite.plain())}</p>'
        '<h2>Licences</h2>'
        f'<p>{e(citation.LICENCE_NOTE)}</p>'
        f'<p>The data behind every chart: {e(downloads.zip_name())}, on the book\'s front page.</p>'
        '</section>'
    )
    contents = f'<section class="pdf-contents"><h1>Contents</h1><ol class="toc">{"".join(rows)}</ol></section>'
    return _document(title + contents, "pdf-front")


def _print(page, document: Path, target: Path) -> None:
    page.goto(document.as_uri(), wait_until="load")
    # Laid out first, so every font the text needs is being loaded when
    # fonts.ready is awaited; every picture decoded before it is printed.
    page.evaluate("""async () => {
        document.body.getBoundingClientRect();
        await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
        await document.fonts.ready;
        return true;
    }""")
    # The page numbers are pdf.css's (@page margin boxes): Playwright's
    # footer template, rendered apart for every page, took 0.2 s more.
    page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True, outline=True,
             tagged=True, margin={"top": "18mm", "bottom": "18mm", "left": "17mm", "right": "17mm"})


def chapter_html(html_dir: Path, rel: str, edition: str | None = None) -> str:
    """One chapter as a print document: its article, headed by the edition it
    is from (`edition`: edition_statement) and how to cite it."""
    cite = citation.load()
    key, article = _article(html_dir, rel, pages={rel})
    e = html.escape
    head = (f'<p class="pdf-chapter-from">From <i>{e(cite.title)}</i>. {e(edition or citation.statement())} '
            f'{e(cite.plain())}</p>')
    return _document(f'{head}<section class="pdf-chapter" id="{key}">{_inner_html(article)}</section>', "pdf-body")


def lxml_title(page: Path) -> list[str]:
    """The words of a page's first heading."""
    import lxml.html

    heading = lxml.html.fromstring(page.read_bytes()).xpath("//article//h1")
    return list(heading[0].itertext()) if heading else [page.stem]


def chapters(html_dir: Path) -> list[str]:
    """The chapter pages of the book in `html_dir` that get a PDF of their own."""
    return [rel for rel, _part in PAGES if rel.startswith("chapters/") and (html_dir / rel).exists()]


def _finish(pdf_path: Path, work_pdf: Path, title: str) -> None:
    """A printed PDF with fixed metadata and ids: the same book gives the same bytes."""
    import pikepdf

    cite = citation.load()
    day = _pdf_date(citation.build_date())
    from sobook.pdf import join as pdfjoin

    with pikepdf.open(work_pdf) as pdf:
        # Chromium names the structure's elements by its DOM node counter,
        # which depends on what the page printed before and when.
        pdfjoin.stable_ids(pdf, "c")
        for k in list(pdf.docinfo.keys()):
            del pdf.docinfo[k]
        pdf.docinfo["/Title"] = title
        pdf.docinfo["/Author"] = "; ".join(cite.authors)
        pdf.docinfo["/Creator"] = "sobook (Jupyter Book, Chromium)"
        pdf.docinfo["/CreationDate"] = pdf.docinfo["/ModDate"] = day
        pdf.Root.Lang = pikepdf.String("en")
        _xmp(pdf, cite, citation.build_date(), title)
        tmp = pdf_path.with_name(f".{pdf_path.name}.tmp")
        pdf.save(tmp, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    os.replace(tmp, pdf_path)


def _pdf_date(day: str) -> str:
    return "D:" + day.replace("-", "") + "000000Z"


def make(html_dir: Path, pdf_path: Path, browser=None) -> Path:
    """Print the book in `html_dir` into `pdf_path` (with `browser`, a running
    Playwright Chromium, or one launched here)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise RuntimeError(f"the PDF needs Chromium at {CHROMIUM}: run `make system-deps` (apt-get install chromium)")
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + ["--font-render-hinting=none"])
            try:
                return make(html_dir, pdf_path, launched)
            finally:
                launched.close()

    import pikepdf

    html_dir = Path(html_dir).resolve()
    work = Path(tempfile.mkdtemp(prefix="sobook-pdf-"))
    body_doc = work / "body.html"  # its pictures are linked by their absolute file: addresses
    # One page for both: its renderer has the fonts and styles by the time
    # the front is printed (0.2 s less than a new page).
    page = browser.new_page()
    try:
        body, headings = body_html(html_dir)
        body_doc.write_text(body, encoding="utf-8")
        _print(page, body_doc, work / "body.pdf")
        with pikepdf.open(work / "body.pdf") as pdf:
            places = _match(headings, _outline(pdf))
            (work / "front.html").write_text(front_html(headings, {hid: n for hid, (n, _) in places.items()},
                                                        edition_statement(html_dir)), encoding="utf-8")
            _print(page, work / "front.html", work / "front.pdf")
            _join(pdf, work / "front.pdf", {hid: dest for hid, (_, dest) in places.items()}, pdf_path,
                  {hid: text for hid, text, _level in headings})
        for rel in chapters(html_dir):  # and each chapter on its own, for its page's PDF button
            stem = Path(rel).stem
            (work / f"{stem}.html").write_text(chapter_html(html_dir, rel, edition_statement(html_dir)),
                                               encoding="utf-8")
            _print(page, work / f"{stem}.html", work / f"{stem}.pdf")
            title = " ".join(" ".join(lxml_title(html_dir / rel)).split())
            _finish(pdf_path.with_name(downloads.chapter_pdf_name(stem)), work / f"{stem}.pdf",
                    f"{title} — {citation.load().title}")
    finally:
        page.close()
        shutil.rmtree(work, ignore_errors=True)
    return pdf_path


def _outline(pdf) -> list[tuple[str, int, object]]:
    """(title, page number from 1, destination) of every outline item of the
    printed body."""
    from sobook.pdf import join as pdfjoin

    index = {p.objgen: i for i, p in enumerate(pdf.pages)}
    return [(title, index.get(dest[0].objgen, 0) + 1 if dest is not None and len(dest) else 1, dest)
            for title, _depth, dest in pdfjoin.outline_items(pdf)]


def _xmp(pdf, cite, day: str, title: str | None = None) -> None:
    """XMP metadata, as PDF/UA asks: title, authors, language, dates (the
    sources' date: the same book gives the same bytes) and the claim of
    PDF/UA-1."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta.register_xml_namespace("http://www.aiim.org/pdfua/ns/id/", "pdfuaid")
        meta["dc:title"] = title or cite.title
        meta["dc:creator"] = list(cite.authors)
        meta["dc:language"] = ["en"]
        meta["xmp:CreateDate"] = meta["xmp:ModifyDate"] = meta["xmp:MetadataDate"] = f"{day}T00:00:00Z"
        meta["pdf:Producer"] = "sobook (Jupyter Book, Chromium, pikepdf)"
        meta["pdfuaid:part"] = "1"


def _clean_outline(pdf, titles: dict[str, str]) -> None:
    """The bookmarks titled as the headings read: Chromium joins a heading's
    lines without the space between them ("Five-YearPlan")."""
    squeeze = lambda t: re.sub(r"\s+", "", t)  # noqa: E731
    by_squeezed = {squeeze(t): t for t in titles.values()}

    def walk(items):
        for item in items:
            clean = by_squeezed.get(squeeze(str(item.title)))
            if clean and clean != str(item.title):
                item.title = clean
            walk(item.children)

    with pdf.open_outline() as outline:
        walk(outline.root)


def _join(pdf, front_pdf: Path, destinations: dict[str, object], pdf_path: Path,
          titles: dict[str, str] | None = None) -> None:
    """The front before the body (`pdf`, open), as one tagged PDF: the front
    numbered i, ii, …, the body 1, 2, …; the contents' entries linked to
    their headings' `destinations`; fixed metadata and ids, so that the same
    book gives the same bytes."""
    import pikepdf

    from sobook.pdf import join as pdfjoin

    cite = citation.load()
    day = _pdf_date(citation.build_date())
    with pikepdf.open(front_pdf) as front:
        pdfjoin.stable_ids(pdf, "b")
        pdfjoin.stable_ids(front, "f")
        n_front = pdfjoin.adopt(pdf, front, at=0)
        pdfjoin.link_contents(pdf, range(n_front), TOC_LINK, destinations.__getitem__)
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([
            0, pikepdf.Dictionary(S=pikepdf.Name.r), n_front, pikepdf.Dictionary(S=pikepdf.Name.D)]))
        pdf.Root.Lang = pikepdf.String("en")
        for k in list(pdf.docinfo.keys()):
            del pdf.docinfo[k]
        pdf.docinfo["/Title"] = cite.title
        pdf.docinfo["/Author"] = "; ".join(cite.authors)
        pdf.docinfo["/Subject"] = "China's service outsourcing industry, 2016-2020 and outlook 2021-2025"
        pdf.docinfo["/Creator"] = "sobook (Jupyter Book, Chromium)"
        pdf.docinfo["/CreationDate"] = day
        pdf.docinfo["/ModDate"] = day
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata
        _xmp(pdf, cite, citation.build_date())
        _clean_outline(pdf, titles or {})
        tmp = pdf_path.with_name(f".{pdf_path.name}.tmp")
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        pdf.save(tmp, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    os.replace(tmp, pdf_path)


def _match(headings: list[tuple[str, str, int]],
           outline: list[tuple[str, int, object]]) -> dict[str, tuple[int, object]]:
    """Each heading's page and destination: the outline lists the document's
    headings in order (h1 at depth 1, h2 at depth 2, deeper ones below), so
    the first item with the heading's text, after the previous match, is it."""
    squeeze = lambda t: re.sub(r"\s+", "", t)  # noqa: E731 - the outline drops the spaces at line breaks
    found, start = {}, 0
    for hid, text, _level in headings:
        for i in range(start, len(outline)):
            title, page, dest = outline[i]
            if squeeze(title) == squeeze(text):
                found[hid] = (page, dest)
                start = i + 1
                break
    return found


def make_for_book(book: Path) -> str:
    """The PDF edition of the built book in `book`, into its downloads
    (`python -m sobook pdf`, `make pdf`); what was made, in one line."""
    book = Path(book)
    if not (book / "index.html").is_file():
        raise RuntimeError(f"{book}: no built book there (make book, or jupyter-book build ., first)")
    start = time.perf_counter()
    target = make(book, book / "_static" / "downloads" / downloads.pdf_name())
    return f"PDF edition made in {time.perf_counter() - start:.1f} s ({target.stat().st_size / 1e6:.1f} MB): {target}"
