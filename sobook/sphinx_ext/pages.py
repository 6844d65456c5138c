"""After Sphinx has written the pages: what the HTML build adds and trims.

* Each chart's static pictures (drawn by the chapter's kernel, carried in the
  notebook as data: URIs), spec and CSV move into files of their own under
  ``_static/charts/``: a chapter with sixteen charts stays light and the
  browser caches them;
* the Vega, Vega-Lite and Vega-Embed bundle comes from vl-convert (no CDN),
  cached by version in ``_build/.cache``;
* every page's ``<head>`` is lightened: no Font Awesome script, no search
  index outside the search page, the theme's scripts deferred, and the
  theme's icon font replaced by a subset of the glyphs the book shows.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import urllib.parse
from pathlib import Path

from sobook import downloads
from sobook.paths import ROOT
from sobook.sphinx_ext.edition import ROOT_MARK

# The bundle is a pure function of vl-convert's versions, so it is cached by
# them in the repository's own _build/.cache, shared by `make book` and the
# books `sobook run` builds in a temporary folder (which would otherwise pay
# 1.3 s for it each time).
CACHE_DIR = ROOT / "_build" / ".cache" / "vega"
BUNDLE_NAME = "sobook-vega.js"
SPEC_RE = re.compile(
    r'<script type="application/json" class="so-spec" data-target="([a-z0-9-]+)">(.*?)</script>', re.S
)


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _write_cache(path: Path, data: str | bytes) -> None:
    """Atomically: two builds (e.g. two `sobook run`s) may fill the cache at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


def _bundle_path(cache: Path) -> Path:
    import vl_convert as vlc

    key = f"{vlc.__version__}-{vlc.get_vega_version()}-{vlc.get_vega_embed_version()}"
    return cache / f"vega-{key}.js"


def _render_bundle(cached: Path) -> None:
    import vl_convert as vlc

    # Trap: the bundle declares top-level names (e.g. `_`) that clash with
    # the theme's scripts in the shared global scope; a function scope
    # keeps them private (it still sets window.vegaEmbed).
    _write_cache(cached, "(function () {\n" + vlc.javascript_bundle() + "\n})();\n")


def vega_bundle(cache: Path) -> bytes:
    """The bundle, rendered into the cache if it is not there yet."""
    cached = _bundle_path(cache)
    if not cached.exists():
        _render_bundle(cached)
    return cached.read_bytes()


def _png(svg: bytes, cache: Path) -> bytes:
    """A PNG of an SVG at twice its size (resvg, through vl-convert), cached
    by the SVG's content."""
    cached = cache / f"png-{hashlib.sha256(svg).hexdigest()[:20]}.png"
    if not cached.exists():
        import vl_convert as vlc

        _write_cache(cached, vlc.svg_to_png(svg.decode("utf-8"), scale=2))
    return cached.read_bytes()


def _png_version(svg: bytes) -> str:
    """The PNG's ?v=: a function of its SVG and of the renderer, so that a
    page can name its PNG before the PNG is made."""
    import vl_convert as vlc

    return _digest(svg + f"|png x2|vl-convert {vlc.__version__}".encode())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


CONTAINER_RE = re.compile(r'<div class="so-chart" id="([a-z0-9-]+)" aria-hidden="true">')
# A file a chart panel carries inline (sobook.charts.panel): its pictures, its
# CSV, its downloads. The attribute holding a data: URI is followed by the
# file's name; the page gets a link to the file instead.
DATA_FILE_RE = re.compile(
    r'(src|srcset|href)="data:[a-z]+/[a-z0-9.+-]+(;charset=utf-8)?(;base64)?,([^"]*)" data-file="([a-z0-9][a-z0-9._-]*)"')
# A PNG the panel asks for, made here from one of its SVG files (a PNG in the
# notebook would weigh 200 KB a chart).
PNG_RE = re.compile(r'<a class="so-png" download="([a-z0-9][a-z0-9._-]*\.png)" data-from="([a-z0-9][a-z0-9._-]*\.svg)"')
CHARTS_JS_RE = re.compile(r'<script defer="defer" src="([^"]*)sobook-charts\.js(\?v=[0-9a-f]+)?"></script>')
# The theme's scripts that would block the first paint, in <head>.
HEAD_SCRIPT_RE = re.compile(r'<script((?: data-[a-z-]+="[^"]*")*) src="([^"]+\.js(?:\?v=[0-9a-f]+)?)"></script>')
# pydata-sphinx-theme loads Font Awesome twice: as a webfont in its CSS (which
# draws the icons the theme uses) and as a 1.5 MB script that redraws the same
# icons as inline SVG. The script is dropped.
FONTAWESOME_RE = re.compile(r'\s*<script (?:defer )?src="[^"]*_static/scripts/fontawesome\.js(?:\?digest=[0-9a-f]+)?"></script>')
# ... and it loads the search index and tools on every page, for a
# search-as-you-type option this book leaves off: only the search page needs them.
SEARCH_SCRIPTS_RE = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools|_static/language_data|searchindex)\.js"></script>')


# The icon font: pydata-sphinx-theme's CSS names Font Awesome's whole solid
# font (156 KB), which a phone downloads before its first paint to draw a dozen
# icons. The book serves a subset (about 3 KB) of exactly the glyphs the
# theme's CSS and the built pages use; sobook.css declares it after the
# theme's own @font-face, so it wins. WOFF (zlib), from the theme's TTF:
# neither needs brotli.
ICON_FONT = "sobook-icons.woff"
FA_SOLID_TTF = Path("vendor") / "fontawesome" / "webfonts" / "fa-solid-900.ttf"
CSS_BLOCK_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
CSS_CONTENT_RE = re.compile(r'content:\s*"(\\[0-9a-fA-F]{4,5}|[\ue000-\uf8ff])"')
FA_CLASS_SELECTOR_RE = re.compile(r"^(?:\s*\.fa-[a-z0-9-]+:(?:before|after)\s*,?)+$")
PST_ICON_RE = re.compile(r'--pst-icon-[a-z-]+:\s*"([\ue000-\uf8ff]+)"')
FA_CLASS_RE = re.compile(r'class="([^"]*\bfa-[^"]*)"')


def _css_char(token: str) -> int:
    return int(token[1:], 16) if token.startswith("\\") else ord(token)


def _icon_codepoints(static: Path, pages: list[str]) -> set[int]:
    """Every icon glyph the pages can show: those the theme's stylesheets draw
    themselves (e.g. admonition and navigation icons) and those of the
    `fa-*` classes the built pages use."""
    codes, by_class = set(), {}
    for css in sorted(static.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        codes.update(ord(ch) for value in PST_ICON_RE.findall(text) for ch in value)
        for selector, body in CSS_BLOCK_RE.findall(text):
            found = CSS_CONTENT_RE.search(body)
            if not found:
                continue
            if FA_CLASS_SELECTOR_RE.match(selector):
                for name in re.findall(r"\.(fa-[a-z0-9-]+):", selector):
                    by_class[name] = _css_char(found.group(1))
            else:
                codes.add(_css_char(found.group(1)))
    for text in pages:
        for classes in FA_CLASS_RE.findall(text):
            codes.update(by_class[c] for c in classes.split() if c in by_class)
    return codes


def _icon_font(source: Path, codepoints: set[int], cache: Path) -> bytes:
    from fontTools import subset, version
    from fontTools.ttLib import TTFont

    h = hashlib.sha256(source.read_bytes())
    h.update(f"{version}:{sorted(codepoints)}".encode())
    cached = cache / f"icons-{h.hexdigest()[:20]}.woff"
    if not cached.exists():
        # recalcTimestamp=False: the font's 'modified' date stays the theme's,
        # so two builds write the same bytes.
        font = TTFont(str(source), recalcTimestamp=False)
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []
        options.name_IDs = ["*"]  # keep the licence and copyright names
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out, reorderTables=True)
        _write_cache(cached, out.getvalue())
    return cached.read_bytes()


def on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    _prune_stale_pages(app, out)
    pages = [p for p in sorted(out.rglob("*.html")) if "_static" not in p.relative_to(out).parts]
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    # Trap: Sphinx rewrites only the pages that changed; the others were
    # finished here by an earlier build (they carry FINISHED), and finishing
    # them again would add a second PDF button, "Drawn in" link, href.
    finished = {p for p, t in texts.items() if FINISHED in t[:500]}
    bundle = vega_bundle(CACHE_DIR)
    _write_if_changed(out / "_static" / BUNDLE_NAME, bundle)
    static_dir = out / "_static"
    if not (static_dir / FA_SOLID_TTF).exists():
        raise RuntimeError(f"the theme no longer ships {FA_SOLID_TTF}: sobook.css's icon font needs updating")
    _write_data_zip(app, static_dir / "downloads")
    bundle_version = _digest(bundle)
    charts = out / "_static" / "charts"
    drawn = _drawn_in(texts, Path(app.doctreedir) / PANELS_CACHE)
    for page, text in texts.items():
        if page in finished:
            continue
        prefix = os.path.relpath(charts, page.parent).replace(os.sep, "/")
        specs = {}

        def externalise_spec(m):
            target, payload = m.group(1), m.group(2)
            # The payload is JSON already escaped for a script context (no '<').
            js = f'(window.soSpecs = window.soSpecs || {{}})["{target}"] = {payload};\n'.encode("utf-8")
            _write_if_changed(charts / f"{target}.js", js)
            # Fetched by sobook-charts.js when the chart is about to be drawn,
            # not with the page: the chart's container names the file.
            specs[target] = f"{prefix}/{target}.js?v={_digest(js)}"
            return ""

        written = {}

        def externalise_file(m):
            attr, b64, payload, name = m.group(1), m.group(3), m.group(4), m.group(5)
            data = base64.b64decode(payload) if b64 else urllib.parse.unquote(payload).encode("utf-8")
            _write_if_changed(charts / name, data)
            written[name] = data
            return f'{attr}="{prefix}/{name}?v={_digest(data)}"'

        def png_from_svg(m):
            name, svg = m.group(1), m.group(2)
            if svg not in written:
                raise RuntimeError(f"{page.relative_to(out)}: {name} is to be made from {svg}, which the page lacks")
            _write_if_changed(charts / name, _png(written[svg], CACHE_DIR))
            return f'<a class="so-png" download="{name}" href="{prefix}/{name}?v={_png_version(written[svg])}"'

        # Specs, pictures and CSVs move into files of their own: a chapter with
        # sixteen charts stays light, the browser caches them, and a plain
        # <script src> (unlike fetch) also works when the book is opened from disk.
        new = _link_paragraphs(text, page, drawn)
        new = SPEC_RE.sub(externalise_spec, new)
        new = DATA_FILE_RE.sub(externalise_file, new)
        new = PNG_RE.sub(png_from_svg, new)
        new = CONTAINER_RE.sub(
            lambda m: m.group(0)[:-1] + f' data-spec="{specs[m.group(1)]}">' if m.group(1) in specs else m.group(0),
            new)
        # The drawing script fetches the Vega bundle itself, only when a chart
        # is about to be drawn; it reads the URL (with its digest) from here.
        static = os.path.relpath(out / "_static", page.parent).replace(os.sep, "/")
        new = CHARTS_JS_RE.sub(
            lambda m: (f'<script defer="defer" src="{m.group(1)}sobook-charts.js{m.group(2) or ""}" '
                       f'data-vega="{static}/{BUNDLE_NAME}?v={bundle_version}"></script>'), new)
        root = os.path.relpath(out, page.parent).replace(os.sep, "/") + "/"
        new = new.replace(ROOT_MARK, "" if root == "./" else root)
        if app.config.sobook_pdf:
            new = _pdf_button(new, root)
        new = DATA_ZIP_RE.sub(lambda m: f'{m.group(0)[:-1]} href="{"" if root == "./" else root}_static/downloads/'
                              f'{downloads.zip_name()}">', new)
        new = _lighter_head(new, search_page=page == out / "search.html")
        new = _scrollspy_target(new)
        new = _squeeze(new).replace("<html ", f"<html {FINISHED} ", 1)
        texts[page] = new
        if new != text:
            page.write_text(new, encoding="utf-8")
    # The icon font last: it holds the glyphs of the pages as written (the PDF button's included).
    codes = _icon_codepoints(static_dir, list(texts.values()))
    _write_if_changed(static_dir / ICON_FONT, _icon_font(static_dir / FA_SOLID_TTF, codes, CACHE_DIR))


PANEL_RE = re.compile(r'<div class="so-panel[^"]*" id="[^"]+" data-anchor="([^"]+)" data-label="([^"]+)" '
                      r'data-blocks="([^"]*)">')
ENGLISH_P_RE = re.compile(r'<p id="(s\d[^"]*)">(.*?)</p>', re.S)


PANELS_CACHE = "sobook-panels.json"
FINISHED = 'data-sobook-finished=""'


def _drawn_in(texts: dict[Path, str], cache: Path | None = None) -> dict[str, list[tuple[Path, str, str]]]:
    """Each paragraph of the report whose numbers a chart draws: the charts
    (page, anchor, label), in the book's order. A page Sphinx did not rewrite
    has lost its panels' data-* (see _link_paragraphs): its panels come from
    `cache`, which keeps every page's from the build that wrote it."""
    known = json.loads(cache.read_text(encoding="utf-8")) if cache and cache.exists() else {}
    panels = {}
    for page, text in texts.items():
        found = PANEL_RE.findall(text)
        key = str(page.resolve())
        panels[key] = [list(f) for f in found] if found or 'class="so-panel' not in text else known.get(key, [])
    if cache:
        _write_if_changed(cache, json.dumps(panels, indent=0, sort_keys=True).encode("utf-8"))
    drawn: dict[str, list[tuple[Path, str, str]]] = {}
    for page in texts:
        for anchor, label, blocks in panels[str(page.resolve())]:
            for block in blocks.split():
                if (page, anchor, label) not in drawn.setdefault(block, []):
                    drawn[block].append((page, anchor, label))
    return drawn


def _link_paragraphs(text: str, page: Path, drawn: dict) -> str:
    """A paragraph whose numbers a chart draws ends with a link to it, marked
    as the edition's (the translation itself is not touched)."""
    def link(m):
        charts = drawn.get(m.group(1))
        if not charts:
            return m.group(0)
        links = []
        for where, anchor, label in charts:
            href = "" if where == page else os.path.relpath(where, page.parent).replace(os.sep, "/")
            links.append(f'<a href="{href}#{anchor}">{label}</a>')
        return f'<p id="{m.group(1)}">{m.group(2)} <span class="so-drawn">Drawn in {", ".join(links)}</span></p>'
    text = ENGLISH_P_RE.sub(link, text)
    # The panels' data-* served only this, and their MathJax opt-outs serve
    # notebook viewers (the book loads no MathJax): a chapter's page stays
    # within its weight.
    return PANEL_RE.sub(lambda m: m.group(0).split(" data-anchor=")[0].replace(" tex2jax_ignore mathjax_ignore", "")
                        + ">", text)


DATA_ZIP_RE = re.compile(r'<a class="so-data-zip"[^>]*?>')
HEADER_BUTTONS = '<div class="article-header-buttons">'


def _pdf_button(text: str, root: str) -> str:
    """The edition as one PDF, from every page's header (made by the book
    build after Sphinx: sobook.pdf)."""
    href = ("" if root == "./" else root) + "_static/downloads/" + downloads.pdf_name()
    button = (f'<a class="btn btn-sm pst-navbar-icon so-pdf-button" href="{href}" download '
              'title="The edition as one PDF" aria-label="Download the edition as one PDF">'
              '<i class="fa-solid fa-file-pdf"></i><span class="so-pdf-label">PDF</span></a>')
    return text.replace(HEADER_BUTTONS, HEADER_BUTTONS + button, 1)


def _prune_stale_pages(app, out: Path) -> None:
    """Trap: Sphinx writes only what changed into the folder of an earlier
    build and never removes a page whose source is gone (or newly excluded),
    so it would be published again with the next book. Every page that is
    not one of this build's documents (or the search and index pages) goes."""
    wanted = {Path(app.builder.get_outfilename(doc)).resolve() for doc in app.env.found_docs}
    wanted |= {(out / name).resolve() for name in ("genindex.html", "search.html", "py-modindex.html")}
    for page in list(out.rglob("*.html")):
        if {"_static", "_images", "_downloads", "_sources"} & set(page.relative_to(out).parts):
            continue
        if page.resolve() not in wanted:
            page.unlink()
            for folder in page.parents:
                if folder == out or any(folder.iterdir()):
                    break
                folder.rmdir()


def _write_data_zip(app, folder: Path) -> None:
    """All the data in one download, for the data the book is built from."""
    from sobook.sphinx_ext.directives import data_dir_of

    _write_if_changed(folder / downloads.zip_name(), downloads.zip_bytes(data_dir_of(app)))


SCROLLSPY_RE = re.compile(r'<body data-bs-spy="scroll" data-bs-target="\.bd-toc-nav"')


def _scrollspy_target(text: str) -> str:
    """Trap (pydata-sphinx-theme 0.16.1 with sphinx-book-theme 1.2.0, the pair
    pinned in requirements.in): the body asks Bootstrap's scrollspy to follow
    ".bd-toc-nav", which the page's contents list does not carry; Bootstrap
    then takes every link of the page for a target and throws on an id with a
    dot ("#zh-s1.1-h is not a valid selector"). Point it at the contents list
    the page has, or switch it off where there is none. Drop this with the pin."""
    if 'id="pst-page-toc-nav"' in text:
        return SCROLLSPY_RE.sub('<body data-bs-spy="scroll" data-bs-target="#pst-page-toc-nav"', text, count=1)
    return SCROLLSPY_RE.sub('<body data-bs-target=""', text, count=1)


KEEP_WHITESPACE_RE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S)


def _squeeze(text: str) -> str:
    """Without the templates' indentation and blank lines (about 2 KB a page):
    outside <pre> and <textarea>, a line break followed by spaces renders as
    the line break alone, so the page reads and lays out the same."""
    parts = KEEP_WHITESPACE_RE.split(text)
    for i in range(0, len(parts), 2):  # the even parts lie outside <pre>/<textarea>
        parts[i] = re.sub(r"\n[ \t]+", "\n", parts[i])
        parts[i] = re.sub(r"\n{2,}", "\n", parts[i])
    return "".join(parts)


def _lighter_head(text: str, search_page: bool) -> str:
    """The page's <head> without what blocks or delays the first paint: the
    Font Awesome script (the theme's CSS already draws its icons), the search
    index away from the search page, and the theme's scripts deferred (none of
    them writes into the page as it is parsed; the inline ones only set
    variables, which the deferred scripts read later)."""
    head, sep, body = text.partition("</head>")
    if not sep:
        return text
    head = FONTAWESOME_RE.sub("", head)
    if not search_page:
        head = SEARCH_SCRIPTS_RE.sub("", head)
        head = HEAD_SCRIPT_RE.sub(r'<script\1 defer="defer" src="\2"></script>', head)
    return head + sep + body
