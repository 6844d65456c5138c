"""The chapters' chart panels and generated tables in the book, through
Sphinx's own events.

A panel reaches Sphinx as the HTML its notebook carries (sobook.charts.panel):
whole in itself, so that JupyterLab, nbconvert and GitHub show it, with its
pictures, spec, CSV and downloads inline. When a page is written
(``doctree-resolved``) each panel's files move into ``_static/charts/``
(a chapter with sixteen charts stays light, the browser caches them, and a
plain ``<script src>`` works from disk too), its PNG is made from its SVG,
and the links that the kernels wrote between chapters (``trends.html#s2.1-p1``)
are resolved for the builder at hand (html, dirhtml, singlehtml).

The report's paragraphs whose numbers a chart draws end with a link to the
chart ("Drawn in Figure 1-4"): the panels are collected when each page is
read (``doctree-read``, kept in the environment), and when they change
every page is written again (``env-updated``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import posixpath
import re
import urllib.parse
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sobook.paths import ROOT

# Shared by every build of the repository (`make book`, `sobook run`'s
# temporary books, a plain `jupyter-book build`): the Vega bundle and the
# PNGs are functions of their inputs, cached by them.
logger = logging.getLogger(__name__)
CACHE_DIR = ROOT / "_build" / ".cache" / "vega"
PANEL_RE = re.compile(r'<div class="so-panel([^"]*)" id="([^"]+)" data-anchor="([^"]+)" data-label="([^"]+)" '
                      r'data-blocks="([^"]*)" data-rows="([^"]*)">')
# A front-page key figure's link (sphinx_ext.edition): to the first chart in
# the book that draws its row, else to the report's paragraph it names.
KEY_FIGURE_LINK_RE = re.compile(r'<a data-row="([^"]+)" href="([^"]*)">([^<]*)</a>')
SPEC_RE = re.compile(
    r'<script type="application/json" class="so-spec" data-target="([a-z0-9-]+)">(.*?)</script>', re.S)
# A file the panel carries inline: the attribute holding its data: URI is
# followed by the file's name; the page links to the file instead.
DATA_FILE_RE = re.compile(
    r'(src|srcset|href)="data:[a-z]+/[a-z0-9.+-]+(;charset=utf-8)?(;base64)?,([^"]*)" '
    r'data-file="([a-z0-9][a-z0-9._-]*)"')
# A PNG the panel asks for, made here from one of its SVG files.
PNG_RE = re.compile(r'<a class="so-png" download="([a-z0-9][a-z0-9._-]*\.png)" '
                    r'data-from="([a-z0-9][a-z0-9._-]*\.svg)"')
CONTAINER_RE = re.compile(r'<div class="so-chart" id="([a-z0-9-]+)" aria-hidden="true">')
# A link a kernel wrote from one chapter page to another (or to itself), and
# to the book's static files (as from chapters/: "../_static/…").
PAGE_LINK_RE = re.compile(r'href="((?:\.\./)*[a-z0-9/-]+)\.html(#[^"]*)?"')
STATIC_LINK_RE = re.compile(r'(href|src)="(?:\.\./)+_static/')


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def write_cache(path: Path, data: bytes) -> None:
    """Atomically: two builds (e.g. two `sobook run`s) may fill the cache at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def png(svg: bytes) -> bytes:
    """A PNG of an SVG at twice its size (resvg, through vl-convert), cached
    by the SVG's content and the renderer's version."""
    import vl_convert as vlc

    cached = CACHE_DIR / f"png-{hashlib.sha256(svg + vlc.__version__.encode()).hexdigest()[:20]}.png"
    if not cached.exists():
        write_cache(cached, vlc.svg_to_png(svg.decode("utf-8"), scale=2))
    return cached.read_bytes()


# ---------------------------------------------------------------- reading


def on_doctree_read(app, doctree) -> None:
    """The page's panels: (anchor, label, the report's blocks it draws, the data rows it draws)."""
    found = [(m.group(3), m.group(4), m.group(5).split(), m.group(6).split())
             for node in doctree.findall(nodes.raw) for m in PANEL_RE.finditer(node.astext())]
    panels = app.env.__dict__.setdefault("sobook_panels", {})
    if found:
        panels[app.env.docname] = found
    else:
        panels.pop(app.env.docname, None)


def on_env_purge_doc(app, env, docname) -> None:
    env.__dict__.setdefault("sobook_panels", {}).pop(docname, None)


def on_env_merge_info(app, env, docnames, other) -> None:
    env.__dict__.setdefault("sobook_panels", {}).update(
        {d: p for d, p in getattr(other, "sobook_panels", {}).items() if d in docnames})


def on_env_updated(app, env):
    """When any page's panels changed, every page is written again: another
    page's paragraphs may link to them."""
    key = digest(repr(sorted(getattr(env, "sobook_panels", {}).items())).encode())
    if getattr(env, "sobook_panels_key", None) != key:
        env.sobook_panels_key = key
        return sorted(env.found_docs)
    return []


# ---------------------------------------------------------------- writing


def _page_uri(app, docname: str) -> str:
    """The page's address in the output (for singlehtml, the one page)."""
    return app.builder.get_target_uri(docname).split("#")[0]


def _doc_uri(app, here: str, target: str, fragment: str) -> str:
    uri = app.builder.get_relative_uri(here, target)
    if "#" in uri:  # singlehtml: every document is in this one page
        return fragment or uri
    return uri + fragment


def _resolve_links(app, here: str, text: str) -> str:
    """`trends.html#x` and `../_static/x` as written by a kernel in chapters/
    (or by a directive on the page itself), made addresses of this
    builder's output (html, dirhtml, singlehtml)."""
    docs = app.env.all_docs
    base = posixpath.dirname(here)

    def sub(m):
        path, fragment = m.group(1), m.group(2) or ""
        stem = posixpath.basename(path)
        for target in (posixpath.normpath(posixpath.join(base, path)), f"chapters/{stem}", f"pages/{stem}", stem):
            if target in docs:
                return f'href="{_doc_uri(app, here, target, fragment)}"'
        # A one-page build has no other page: the link's words stay, as text.
        return 'data-page-not-built=""' if len(docs) == 1 else m.group(0)

    text = PAGE_LINK_RE.sub(sub, text)
    static = relative_uri(_page_uri(app, here), "_static/")
    return STATIC_LINK_RE.sub(lambda m: f'{m.group(1)}="{static}', text)


def _externalise(app, here: str, text: str) -> str:
    """A panel's inline files as files of their own under _static/charts/."""
    charts = Path(app.outdir) / "_static" / "charts"
    prefix = relative_uri(_page_uri(app, here), "_static/charts/")
    specs, written = {}, {}

    def spec(m):
        target, payload = m.group(1), m.group(2)
        # The payload is JSON already escaped for a script context (no '<').
        js = f'(window.soSpecs = window.soSpecs || {{}})["{target}"] = {payload};\n'.encode()
        write_if_changed(charts / f"{target}.js", js)
        specs[target] = f"{prefix}{target}.js?v={digest(js)}"
        return ""

    def inline_file(m):
        attr, b64, payload, name = m.group(1), m.group(3), m.group(4), m.group(5)
        data = base64.b64decode(payload) if b64 else urllib.parse.unquote(payload).encode("utf-8")
        write_if_changed(charts / name, data)
        written[name] = data
        return f'{attr}="{prefix}{name}?v={digest(data)}"'

    def png_link(m):
        name, svg = m.group(1), m.group(2)
        if svg not in written:
            raise RuntimeError(f"{here}: {name} is to be made from {svg}, which the panel lacks")
        data = png(written[svg])
        write_if_changed(charts / name, data)
        return f'<a class="so-png" download="{name}" href="{prefix}{name}?v={digest(data)}"'

    text = SPEC_RE.sub(spec, text)
    text = DATA_FILE_RE.sub(inline_file, text)
    text = PNG_RE.sub(png_link, text)
    # The chart's container names its spec, which sobook-charts.js fetches
    # when the chart is about to be drawn.
    text = CONTAINER_RE.sub(
        lambda m: m.group(0)[:-1] + f' data-spec="{specs[m.group(1)]}">' if m.group(1) in specs else m.group(0), text)
    # The panel's data-* served the "Drawn in" links, its MathJax opt-outs
    # notebook viewers (the book loads no MathJax).
    return PANEL_RE.sub(lambda m: f'<div class="so-panel{m.group(1).replace(" tex2jax_ignore mathjax_ignore", "")}" '
                                  f'id="{m.group(2)}">', text)


def _drawn_in(app, here: str, doctree) -> None:
    """Each English paragraph whose numbers a chart draws ends with a link to it."""
    drawn: dict[str, list[tuple[str, str, str]]] = {}
    for doc, panels in sorted(getattr(app.env, "sobook_panels", {}).items()):
        for anchor, label, blocks, _rows in panels:
            for block in blocks:
                drawn.setdefault(block, []).append((doc, anchor, label))
    for para in list(doctree.findall(nodes.paragraph)):
        charts = next((drawn[i] for i in para["ids"] if i in drawn), None)
        if not charts:
            continue
        note = nodes.inline(classes=["so-drawn"])
        note += nodes.Text("Drawn in ")
        for n, (doc, anchor, label) in enumerate(charts):
            if n:
                note += nodes.Text(", ")
            uri = f"#{anchor}" if doc == here else _doc_uri(app, here, doc, f"#{anchor}")
            note += nodes.reference("", label, refuri=uri, internal=True)
        para += nodes.Text(" ")
        para += note


def _in_book_order(env) -> list[str]:
    order: list[str] = []

    def walk(doc):
        if doc not in order:
            order.append(doc)
            for child in env.toctree_includes.get(doc, []):
                walk(child)

    walk(env.config.root_doc)
    return order


def _key_figure_links(app, here: str, text: str) -> str:
    """Each key figure links to the first chart, in the book's order, that
    draws its row; where none does, to the report's paragraph it is from."""
    panels = getattr(app.env, "sobook_panels", {})
    first: dict[str, tuple[str, str, str]] = {}
    for doc in _in_book_order(app.env):
        for anchor, label, _blocks, rows in panels.get(doc, []):
            for row in rows:
                first.setdefault(row, (doc, anchor, label))

    def link(m):
        if m.group(1) in first:
            doc, anchor, label = first[m.group(1)]
            return f'<a href="{html.escape(_doc_uri(app, here, doc, "#" + anchor))}">{html.escape(label)}</a>'
        if not m.group(2):
            logger.warning(f"the front page's figure '{m.group(1)}' is drawn by no chart and has no paragraph "
                           "of the report to link to", location=here)
        return f'<a href="{m.group(2)}">{m.group(3)}</a>'

    return KEY_FIGURE_LINK_RE.sub(link, text)


def on_doctree_resolved(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    _drawn_in(app, docname, doctree)
    if len(app.env.found_docs) == 1:  # a one-page build: links to the pages left out stay text
        ids = {i for node in doctree.findall(nodes.Element) for i in node.get("ids", [])}
        for ref in list(doctree.findall(nodes.reference)):
            anchor = ref.get("refid") or ref.get("refuri", "").removeprefix("#")
            if (ref.get("refid") or ref.get("refuri", "").startswith("#")) and anchor not in ids:
                ref.replace_self(ref.children)
    static = relative_uri(_page_uri(app, docname), "_static/")
    for ref in doctree.findall(nodes.reference):  # a link to a static file, written as from chapters/
        uri = ref.get("refuri", "")
        if re.match(r"(\.\./)+_static/", uri):
            ref["refuri"] = static + uri.split("_static/", 1)[1]
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext()
        new = _externalise(app, docname, text) if 'class="so-panel' in text else text
        new = _key_figure_links(app, docname, new) if "data-row=" in new else new
        new = _resolve_links(app, docname, new)
        if new != text:
            node.replace_self(nodes.raw("", new, format="html"))


# A figure whose content is a chart panel: Sphinx writes its caption last.
FIGURE_RE = re.compile(r'(<figure\b[^>]*>\s*)((?:(?!</figure>).)*?class="so-panel(?:(?!</figure>).)*?)'
                       r'(<figcaption>(?:(?!</figure>).)*?</figcaption>\s*)(</figure>)', re.S)


def on_page_context(app, pagename, templatename, context, doctree) -> None:
    """A chart's caption first in its figure, where sobook.css shows it: a
    screen reader, a reader without styles and the tagged PDF then meet the
    figure's number and title before its chart, notes and tools."""
    if "body" in context and 'class="so-panel' in context["body"]:
        context["body"] = FIGURE_RE.sub(lambda m: m.group(1) + m.group(3) + m.group(2) + m.group(4), context["body"])

