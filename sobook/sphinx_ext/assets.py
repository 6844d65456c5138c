"""What the book adds around its pages, through Sphinx's own events: the
header's PDF button and the footer (``html-page-context``), the scripts a
page needs (no Vega where there is nothing to draw; no search index away
from the search page and no Font Awesome script: ``templates/layout.html``), and the files
written once the pages are (``build-finished``): the Vega bundle, a subset
of the theme's icon font, the data download; pages whose source is gone are
removed."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from sobook import downloads
from sobook.sphinx_ext import edition, search
from sobook.sphinx_ext.panels import CACHE_DIR, digest, write_cache, write_if_changed

BUNDLE_NAME = "sobook-vega.js"


def vega_bundle() -> bytes:
    """Vega, Vega-Lite and Vega-Embed from vl-convert (no CDN), cached by
    their versions."""
    import vl_convert as vlc

    key = f"{vlc.__version__}-{vlc.get_vega_version()}-{vlc.get_vega_embed_version()}"
    cached = CACHE_DIR / f"vega-{key}.js"
    if not cached.exists():
        # Trap: the bundle declares top-level names (e.g. `_`) that clash with
        # the theme's scripts in the shared global scope; a function scope
        # keeps them private (it still sets window.vegaEmbed).
        write_cache(cached, ("(function () {\n" + vlc.javascript_bundle() + "\n})();\n").encode("utf-8"))
    return cached.read_bytes()


def on_builder_inited(app) -> None:
    if app.builder.format != "html":
        return
    # Trap: myst-nb copies its stylesheet once the pages are written, so the
    # pages of a clean build named it without the checksum that the pages of
    # a later build carry. Copied first, every build names it the same way.
    from myst_nb.sphinx_ext import add_global_html_resources

    (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)
    # Deferred: it never blocks the first paint. It loads the Vega bundle
    # itself (beside it, this version), when a chart is about to be drawn.
    app.add_js_file("sobook-charts.js", loading_method="defer",
                    **{"data-vega-version": digest(vega_bundle())})
    app.add_js_file("sobook-reader.js", loading_method="defer")
    # Writes the reader's date into citations that ask for the day of access.
    app.add_js_file("sobook-cite.js", loading_method="defer")


# The other extensions' styles and scripts that a page's text may not use:
# each is left out of the pages that do not (on a phone every stylesheet is
# a request the first paint waits for). (What a page uses, the names and
# inline settings of the files that serve it.)
HIGHLIGHT = re.compile(r'<div class="highlight')
UNUSED_UNLESS = [
    (re.compile(r'class="[^"]*\b(?:toggle|dropdown)\b'), ("togglebutton", "toggleHint", "toggleOpenOnPrint")),
    (re.compile(r'class="[^"]*\bsd-'), ("sphinx-design", "design-tabs")),
    (HIGHLIGHT, ("copybutton", "clipboard.min", "pygments")),
]


# pydata-sphinx-theme's sidebar opens an entry's sub-entries with a <summary>
# that holds only an icon: no name for a screen reader (axe: summary-name).
def _named_toggles(generate):
    def named(*args, **kwargs):
        soup = generate(*args, **kwargs)  # BeautifulSoup (the template prints it)
        for summary in soup.select("li > details > summary") if hasattr(soup, "select") else []:
            link = summary.parent.find_previous_sibling("a")
            if link is not None and not summary.get_text(strip=True):
                summary["aria-label"] = f"The parts of {link.get_text(strip=True)}"
        return soup
    return named


def on_page_context(app, pagename, templatename, context, doctree) -> None:
    """Per page: the scripts it needs, the PDF button, the footer's links,
    what its head says of it (citation meta tags, JSON-LD)."""
    if pagename == "search":
        # Added here, for this page only (sobook/sphinx_ext/search.py).
        app.add_js_file(search.TEXT_FILE, loading_method="defer")
        app.add_js_file("sobook-search.js", loading_method="defer")

    def name(script):
        return getattr(script, "filename", None) or str(script) or ""

    page_body = context.get("body", "")

    def wanted(script):
        body = getattr(script, "attributes", {}).get("body", "")
        if "thebe" in name(script) or "THEBE" in body:
            # sphinx-thebe's scripts and style: the book runs no live code, and
            # its inline config is injected twice and names a CDN.
            return False
        if name(script).endswith("sobook-charts.js"):
            return 'class="so-chart"' in page_body
        if name(script).endswith("sobook-cite.js"):
            return 'class="so-accessed"' in page_body
        for used, marks in UNUSED_UNLESS:
            if any(m in name(script) for m in marks) or any(m in body for m in marks):
                return bool(used.search(page_body))
        return True

    def deferred(script):
        # None of them writes into the page as it is parsed. Not
        # documentation_options.js: the inline scripts after it set its
        # options; nor on the search page, whose search tools use them at once.
        attributes = getattr(script, "attributes", None)
        if attributes is None or not script.filename or "defer" in attributes or "async" in attributes \
                or name(script).endswith("documentation_options.js") or pagename == "search":
            return script
        return type(script)(script.filename, priority=script.priority, **attributes, defer="defer")

    if "script_files" in context:
        context["script_files"] = [deferred(s) for s in context["script_files"] if wanted(s)]
    if "css_files" in context:
        context["css_files"] = [s for s in context["css_files"] if wanted(s)]
    if "generate_toctree_html" in context:
        context["generate_toctree_html"] = _named_toggles(context["generate_toctree_html"])
    context["theme_extra_footer"] = edition.footer(app.config, context["pathto"], context["hasdoc"])
    context["metatags"] = context.get("metatags", "") + edition.head(app, pagename, context, doctree)
    if app.builder.name == "singlehtml":
        # One page, no index and no search page: the theme's links to them
        # (the head's, the search dialog's form) would lead nowhere.
        hasdoc, pathto = context["hasdoc"], context["pathto"]
        context["hasdoc"] = lambda name: name not in ("genindex", "search") and hasdoc(name)
        context["pathto"] = lambda name, *args: "" if name == "search" and not args else pathto(name, *args)
    if "header_buttons" in context and 'class="so-original"' in context.get("body", ""):
        # sobook-reader.js: every original of the page at once, beside its English.
        context["header_buttons"].append({
            "type": "javascript", "javascript": "soToggleBothTexts()", "icon": "fa-solid fa-language",
            "text": "Both texts", "tooltip": "Show the Chinese original beside the English (on every page)",
            "label": "both-texts", "classes": "so-both-button"})
    if app.config.sobook_pdf and "header_buttons" in context:
        edition_pdf = {"type": "link", "url": context["pathto"](f"_static/downloads/{downloads.pdf_name()}", 1),
                       "tooltip": "Download the edition as one PDF", "icon": "fas fa-file-pdf", "text": "PDF",
                       "label": "download-edition-pdf", "classes": "so-pdf-button"}
        if pagename.startswith("chapters/"):  # sobook.pdf prints each chapter on its own too
            chapter_pdf = downloads.chapter_pdf_name(pagename.split("/", 1)[1])
            context["header_buttons"].append({
                "type": "group", "icon": "fas fa-file-pdf", "tooltip": "Download as PDF", "label": "pdf-downloads",
                "classes": "so-pdf-button", "buttons": [
                    {"type": "link", "url": context["pathto"](f"_static/downloads/{chapter_pdf}", 1),
                     "text": "This chapter (PDF)", "label": "download-chapter-pdf"},
                    {k: v for k, v in dict(edition_pdf, text="The whole edition (PDF)").items() if k != "classes"}]})
        else:
            context["header_buttons"].append(edition_pdf)


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


# The theme's stylesheet names every Font Awesome icon (1,900 rules, a
# third of its bytes once compressed), all parsed before a page's first
# paint. The pages link a copy with the rules of the icons the font subset
# draws only (templates/layout.html); the theme's file itself stays as
# Sphinx copied it (it warns when a file it copies has changed).
THEME_CSS = Path("styles") / "pydata-sphinx-theme.css"
PRUNED_THEME_CSS = Path("styles") / "sobook-theme.css"  # beside the theme's: its url()s are relative
FA_ICON_RULE_RE = re.compile(r'(?:\.fa-[a-z0-9-]+:(?:before|after),?)+\{content:"(\\[0-9a-fA-F]{4,5}|[\ue000-\uf8ff])"\}')


def _without_unused_icons(css: str, codepoints: set[int]) -> str:
    return FA_ICON_RULE_RE.sub(lambda m: m.group(0) if _css_char(m.group(1)) in codepoints else "", css)


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
        write_cache(cached, out.getvalue())
    return cached.read_bytes()


def on_build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    static = out / "_static"
    _prune_stale_pages(app, out)
    write_if_changed(static / BUNDLE_NAME, vega_bundle())
    from sobook.sphinx_ext.directives import data_dir_of

    write_if_changed(static / "downloads" / downloads.zip_name(),
                     downloads.zip_bytes(data_dir_of(app), rerun=edition.rerun_of(app.config)))
    if not (static / FA_SOLID_TTF).exists():
        raise RuntimeError(f"the theme no longer ships {FA_SOLID_TTF}: sobook.css's icon font needs updating")
    pages = [p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html")) if "_static" not in p.parts]
    codes = _icon_codepoints(static, pages)
    write_if_changed(static / ICON_FONT, _icon_font(static / FA_SOLID_TTF, codes, CACHE_DIR))
    theme_css = (static / THEME_CSS).read_text(encoding="utf-8")
    write_if_changed(static / PRUNED_THEME_CSS, _without_unused_icons(theme_css, codes).encode("utf-8"))


def _prune_stale_pages(app, out: Path) -> None:
    """Trap: Sphinx writes only what changed into the folder of an earlier
    build and never removes a page whose source is gone (or newly excluded),
    so it would be published again with the next book. Every page that is
    not one of this build's documents (or the search and index pages) goes."""
    wanted = {Path(app.builder.get_outfilename(doc)).resolve()
              for doc in [*app.env.found_docs, "genindex", "search", "py-modindex"]}
    for page in list(out.rglob("*.html")):
        if {"_static", "_images", "_downloads", "_sources"} & set(page.relative_to(out).parts):
            continue
        if page.resolve() not in wanted:
            page.unlink()
            for folder in page.parents:
                if folder == out or any(folder.iterdir()):
                    break
                folder.rmdir()


