"""The edition as one PDF, made from the HTML book the build has just written.

The pages of the book, in reading order, are put together into one print
document (each page's article, its ids made unique, its links made internal,
the charts as their static pictures with their source and notes, the Chinese
toggles left out), followed by the Chinese original in full as an appendix;
Chromium prints it (Playwright, offline); the title page and the contents,
with the page numbers Chromium's outline gives for each heading, are printed
after it and put in front with pikepdf, which also fixes the metadata and the
document id, so that the same book gives the same bytes.

    make(html_dir, pdf_path)      # called by sobook.build.html before the swap
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from sobook import citation, downloads
from sobook.paths import ORIGINAL

CSS = Path(__file__).with_name("pdf.css")
# The book's own print stylesheet (in its _static/), which the PDF shares:
# panels unbroken, the ledger whole, screen-only controls left out.
PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "sobook-print.css"
# Reading order: the sections, the edition's pages after them.
PAGES = [
    ("chapters/achievements.html", "Section 1"),
    ("chapters/trends.html", "Section 2"),
    ("chapters/opportunities.html", "Section 2"),
    ("chapters/challenges.html", "Section 2"),
    ("chapters/outlook.html", "Section 2"),
    ("chapters/outlook-fared.html", "Looking back from 2026"),
    ("chapters/ledger.html", "About this edition"),
    ("pages/glossary.html", "About this edition"),
    ("pages/about.html", "About this edition"),
]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--font-render-hinting=none"]
FOOTER = ('<div style="width:100%;font-size:8px;font-family:\'Liberation Sans\',Arial,sans-serif;color:#555;'
          'text-align:center;"><span class="pageNumber"></span></div>')


def _key(rel: str) -> str:
    return "p-" + re.sub(r"[^a-z0-9]+", "-", rel.removesuffix(".html").lower()).strip("-")


def _article(html_dir: Path, rel: str):
    """One page's article, made fit for print: ids unique in the document,
    links internal, the static pictures at their wide size, interactive-only
    parts (toggles, tables, buttons) left out."""
    from bs4 import BeautifulSoup

    page = html_dir / rel
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    article = soup.find("article", class_="bd-article")
    if article is None:
        raise RuntimeError(f"{rel}: no article in the page")
    key = _key(rel)
    for el in article.select("details.so-original, details.so-table, details.so-sources, details.so-cite, "
                             ".so-download, a.headerlink, script, "
                             "noscript, .so-zh, button, .so-cite-label + div.highlight, .so-pdf-button"):
        el.decompose()
    for picture in article.select("picture"):
        img = picture.find("img")
        picture.replace_with(img) if img else picture.decompose()
    for el in article.find_all(["details"]):
        el["open"] = ""
    for el in article.find_all(id=True):
        el["id"] = f"{key}--{el['id']}"
    base = page.parent
    for img in article.find_all("img"):
        src = img.get("src", "")
        if src and not src.startswith(("data:", "http")):
            target = (base / src.split("?")[0]).resolve()
            img["src"] = target.relative_to(html_dir.resolve()).as_posix()
        for attr in ("loading", "decoding", "srcset"):
            img.attrs.pop(attr, None)
    for a in article.find_all("a", href=True):
        href = a["href"]
        if href.startswith(("http://", "https://", "mailto:")):
            continue
        if href.startswith("#"):
            a["href"] = f"#{key}--{href[1:]}"
            continue
        path, _, frag = href.partition("#")
        target = (base / path).resolve()
        try:
            other = target.relative_to(html_dir.resolve()).as_posix()
        except ValueError:
            other = ""
        if other in dict(PAGES):
            a["href"] = f"#{_key(other)}--{frag}" if frag else f"#{_key(other)}"
        else:
            del a["href"]  # a file or a page not in the PDF: the words stay, the dead link goes
    return key, article


def _appendix() -> str:
    """The Chinese original in full, block by block, with its ids."""
    blocks = json.loads(ORIGINAL.read_text(encoding="utf-8"))["blocks"]
    out = ['<section class="pdf-page pdf-appendix" id="p-appendix" lang="zh-Hans">',
           '<h1 lang="en">Appendix: the Chinese original</h1>',
           '<p class="pdf-note" lang="en">The cleaned text of the report chapter, one block per heading, paragraph, '
           'footnote, caption and source line, each with the id the translation cites.</p>']
    for b in blocks:
        text = html.escape(re.sub(r"\[\^fn(\d+)\]", r"⁽\1⁾", b["text"]))
        bid = html.escape(b["id"])
        tag = "h2" if b["kind"] == "heading" and b["id"].count(".") == 0 else "h3" if b["kind"] == "heading" else "p"
        out.append(f'<{tag} class="zh zh-{html.escape(b["kind"])}">{text} <span class="zh-id" lang="en">{bid}</span></{tag}>')
    out.append("</section>")
    return "\n".join(out)


def body_html(html_dir: Path) -> tuple[str, list[tuple[str, str, int]]]:
    """The print document, and its headings (id, text, level) for the contents."""
    parts, headings = [], []
    last_part = None
    for rel, part in PAGES:
        if not (html_dir / rel).exists():
            continue
        key, article = _article(html_dir, rel)
        if part != last_part:
            parts.append(f'<p class="pdf-part">{html.escape(part)}</p>')
            last_part = part
        for h in article.find_all(["h1", "h2"]):
            if not h.get("id"):
                h["id"] = f"{key}--h{len(headings)}"
            headings.append((h["id"], " ".join(h.get_text(" ").split()), int(h.name[1])))
        parts.append(f'<section class="pdf-page" id="{key}">{article.decode_contents()}</section>')
    parts.append(_appendix())
    headings.append(("p-appendix", "Appendix: the Chinese original", 1))
    return _document("".join(parts)), headings


def _document(body: str, extra_class: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(citation.load().title)}'
            f'</title><link rel="stylesheet" href="_static/sobook.css"><link rel="stylesheet" href="_static/{PRINT_CSS.name}">'
            f'<link rel="stylesheet" href="{CSS.name}"></head><body class="{extra_class}">{body}</body></html>')


def front_html(headings: list[tuple[str, str, int]], pages: dict[str, int]) -> str:
    cite = citation.load()
    e = html.escape
    rows = []
    for hid, text, level in headings:
        number = pages.get(hid)
        rows.append(f'<li class="toc-l{level}"><a href="#"><span class="toc-text">{e(text)}</span>'
                    f'<span class="toc-page">{number if number is not None else ""}</span></a></li>')
    title = (
        '<section class="pdf-title">'
        f'<h1 class="pdf-title-main">{e(cite.title)}</h1>'
        '<p class="pdf-title-sub">An English data edition of the Chinese report chapter '
        '<span lang="zh-Hans">“十三五”发展成就及“十四五”展望</span>: the complete translation, the report\'s '
        'figures rebuilt from a documented dataset, the claims ledger and the outlook against what happened.</p>'
        f'<p class="pdf-title-version">Version {e(cite.version)} · built from the sources of '
        f'{e(citation.build_date())}</p>'
        '<h2>How to cite</h2>'
        f'<p class="pdf-cite">{e(cite.plain())}</p>'
        '<h2>Licences</h2>'
        f'<p>{e(citation.LICENCE_NOTE)}</p>'
        f'<p>The data behind every chart: {e(downloads.zip_name())}, on the book\'s front page.</p>'
        '</section>'
    )
    contents = f'<section class="pdf-contents"><h1>Contents</h1><ol class="toc">{"".join(rows)}</ol></section>'
    return _document(title + contents, "pdf-front")


def _outline_pages(pdf_path: Path) -> list[tuple[str, int, int]]:
    """(title, depth, page number from 1) of every outline item, in order."""
    import pikepdf

    out = []
    with pikepdf.open(pdf_path) as pdf:
        index = {p.objgen: i for i, p in enumerate(pdf.pages)}

        def walk(items, depth):
            for item in items:
                page = None
                dest = item.destination
                if isinstance(dest, pikepdf.Array) and len(dest):
                    page = index.get(dest[0].objgen)
                elif item.action is not None and "/D" in item.action:
                    d = item.action.D
                    page = index.get(d[0].objgen) if isinstance(d, pikepdf.Array) else None
                out.append((" ".join(str(item.title).split()), depth, (page or 0) + 1))
                walk(item.children, depth + 1)

        with pdf.open_outline() as outline:
            walk(outline.root, 1)
    return out


def _print(browser, document: Path, target: Path, footer: bool) -> None:
    page = browser.new_page()
    try:
        page.goto(document.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        options = dict(path=str(target), format="A4", print_background=True, prefer_css_page_size=True,
                       outline=True, tagged=True, margin={"top": "18mm", "bottom": "18mm", "left": "17mm",
                                                          "right": "17mm"})
        if footer:
            options.update(display_header_footer=True, header_template="<div></div>", footer_template=FOOTER)
        page.pdf(**options)
    finally:
        page.close()


NODE_RE = re.compile(r"^node\d+$")


def _stable_node_names(pdf) -> None:
    """Trap: a tagged PDF from Chromium names its structure elements after
    the page's DOM nodes ("node00000925": the element ids, the table headers
    a cell points to, the id tree), and those numbers start wherever the
    renderer's counter stood, so two prints of one page differ. The names
    keep their order, so numbering them from 1 in that order makes them
    stable without reordering the id tree."""
    import pikepdf

    def children(obj):
        """The direct (not indirect) items of an array or dictionary, with a
        setter: indirect objects are visited on their own, once."""
        if isinstance(obj, pikepdf.Array):
            return [(item, lambda v, i=i: obj.__setitem__(i, v)) for i, item in enumerate(obj)]
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            return [(obj[k], lambda v, k=k: obj.__setitem__(k, v)) for k in list(obj.keys())]
        return []

    def walk(obj, on_string):
        for item, set_item in children(obj):
            if isinstance(item, pikepdf.String):
                if NODE_RE.match(str(item)):
                    on_string(str(item), set_item)
            elif isinstance(item, pikepdf.Object) and not item.is_indirect:
                walk(item, on_string)

    found: list[tuple[str, object]] = []  # one walk: each name with its setter
    for obj in pdf.objects:
        walk(obj, lambda text, set_item: found.append((text, set_item)))
    names = {text for text, _ in found}
    order = {old: f"n{i:08d}" for i, old in enumerate(sorted(names, key=lambda t: int(t[4:])), start=1)}
    for text, set_item in found:
        set_item(pikepdf.String(order[text]))


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
            launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return make(html_dir, pdf_path, launched)
            finally:
                launched.close()

    html_dir = Path(html_dir).resolve()
    work = Path(tempfile.mkdtemp(prefix=".pdf-", dir=html_dir))
    try:
        body, headings = body_html(html_dir)
        (html_dir / CSS.name).write_bytes(CSS.read_bytes())
        body_doc = html_dir / "_edition-body.html"
        body_doc.write_text(body, encoding="utf-8")
        _print(browser, body_doc, work / "body.pdf", footer=True)
        pages = _match(headings, _outline_pages(work / "body.pdf"))
        front_doc = html_dir / "_edition-front.html"
        front_doc.write_text(front_html(headings, pages), encoding="utf-8")
        _print(browser, front_doc, work / "front.pdf", footer=False)
        _join(work / "front.pdf", work / "body.pdf", pdf_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for name in ("_edition-body.html", "_edition-front.html", CSS.name):
            (html_dir / name).unlink(missing_ok=True)
    return pdf_path


def _join(front_pdf: Path, body_pdf: Path, pdf_path: Path) -> None:
    """The front matter before the body, numbered i, ii, … and 1, 2, …, with
    fixed metadata and ids: the same book gives the same bytes."""
    import pikepdf

    cite = citation.load()
    day = _pdf_date(citation.build_date())
    with pikepdf.open(body_pdf) as pdf, pikepdf.open(front_pdf) as front:
        n_front = len(front.pages)
        for i, page in enumerate(front.pages):
            pdf.pages.insert(i, page)
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
        _stable_node_names(pdf)
        tmp = pdf_path.with_name(f".{pdf_path.name}.tmp")
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        pdf.save(tmp, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    os.replace(tmp, pdf_path)


class Worker:
    """The PDF's own process, started with the build: while the notebooks
    run it imports Playwright and pikepdf, launches Chromium and puts the
    data download into the extension's cache; while Sphinx reads the
    executed notebooks, it renders their charts' PNGs into the cache
    (cache_pngs); then it waits for the book. Its own process, because
    Playwright's synchronous API cannot run where an event loop does (a test
    runner's), and so that the second core works while Sphinx, which uses
    one, builds the pages."""

    def __init__(self, data_dir: Path, env: dict | None = None):
        import subprocess
        import sys

        from sobook.build import procs

        # Its own locked workspace as TMPDIR, for Playwright's and Chromium's
        # temporary folders: removed here once the process is stopped (a
        # SIGKILLed Chromium cleans nothing), or at the next start after a
        # SIGKILL to the build. Short: Chromium puts a socket in it.
        self._workspace = procs.workspace("pdf", procs.short_tmp())
        self.tmp = self._workspace.__enter__()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from sobook.build.pdf import _worker; _worker()", str(data_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(procs.child_env(env), TMPDIR=str(self.tmp)), start_new_session=True)

    def cache_pngs(self, notebooks: list[Path]) -> None:
        """Executed notebooks whose charts' PNGs it may render meanwhile (into
        the extension's cache: the HTML build then finds them made)."""
        try:
            self.proc.stdin.write(json.dumps({"pngs": [str(n) for n in notebooks]}) + "\n")
            self.proc.stdin.flush()
        except OSError:  # it has stopped: make() reports why
            pass

    def make(self, html_dir: Path, pdf_path: Path) -> None:
        try:
            out, err = self.proc.communicate(json.dumps([str(html_dir), str(pdf_path)]) + "\n")
        finally:
            self.abort()  # stops nothing after a normal exit; the workspace goes
        if self.proc.returncode != 0:
            lines = [x for x in (err or "").strip().splitlines() if x.strip()]
            raise RuntimeError(lines[-1] if lines else f"the PDF's process exited with {self.proc.returncode}")

    def abort(self) -> None:
        from sobook.build import procs

        procs.stop(self.proc, grace=0)
        if self._workspace is not None:
            self._workspace.__exit__(None, None, None)
            self._workspace = None


def _worker() -> None:
    import sys

    from sobook.build import procs

    procs.child_preamble()
    # Behind the kernels (the critical path) until the book is ready.
    niceness = os.getpriority(os.PRIO_PROCESS, 0)
    os.setpriority(os.PRIO_PROCESS, 0, niceness + 10)
    import pikepdf  # noqa: F401 - imported now, used at the end
    from bs4 import BeautifulSoup  # noqa: F401
    from playwright.sync_api import sync_playwright

    from sobook import downloads

    try:  # into the cache, for the extension. (Not the Vega bundle as well: rendered here,
        # beside the two notebook workers, it cost a clean build 1.4 s more than it saved.)
        downloads.zip_bytes(Path(sys.argv[1]))
    except Exception:  # noqa: BLE001 - the extension makes it again and reports what is wrong
        pass
    try:
        if not Path(CHROMIUM).exists():
            raise RuntimeError(f"the PDF needs Chromium at {CHROMIUM}: run `make system-deps` "
                               "(apt-get install chromium)")
        with sync_playwright() as p:
            # Launched now, while the notebooks run: Playwright's driver and
            # Chromium take 1.5 s to start, which the book need not wait for.
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                while True:
                    line = sys.stdin.readline()
                    if not line.strip():
                        return  # aborted: no book
                    message = json.loads(line)
                    if not isinstance(message, dict):
                        break
                    _cache_pngs(message["pngs"])
                try:  # the critical path now (lowering niceness needs privilege: CI runs as root)
                    os.setpriority(os.PRIO_PROCESS, 0, niceness)
                except PermissionError:
                    pass
                html_dir, pdf_path = json.loads(line)
                make(Path(html_dir), Path(pdf_path), browser)
            finally:
                browser.close()
    except Exception as exc:  # noqa: BLE001 - one line for the build to report
        print(f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}", file=sys.stderr)
        sys.exit(1)


def _cache_pngs(notebooks: list[str]) -> None:
    """The charts' PNGs, while Sphinx reads the notebooks (the other core
    is idle then); last notebook first, as the pages are written from the first."""
    from sobook.sphinx_ext import pages

    for nb in reversed(notebooks):
        try:
            pages.cache_pngs(Path(nb))
        except Exception:  # noqa: BLE001 - the HTML build renders what is missing and reports what is wrong
            pass


def _match(headings: list[tuple[str, str, int]], outline: list[tuple[str, int, int]]) -> dict[str, int]:
    """Each heading's page number: the outline lists the document's headings
    in order (h1 at depth 1, h2 at depth 2, deeper ones below), so the first
    outline item with the heading's text, after the previous match, is it."""
    squeeze = lambda t: re.sub(r"\s+", "", t)  # noqa: E731 - the outline drops the spaces at line breaks
    pages, start = {}, 0
    for hid, text, level in headings:
        for i in range(start, len(outline)):
            title, depth, page = outline[i]
            if squeeze(title) == squeeze(text):
                pages[hid] = page
                start = i + 1
                break
    return pages


if __name__ == "__main__":  # python -m sobook.build.pdf HTML_DIR OUT.pdf (by hand)
    import sys

    print(make(Path(sys.argv[1]), Path(sys.argv[2])))
