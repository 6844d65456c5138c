"""Sphinx extension for the book.

* ``{original} ID [ID ...]``: a collapsed "Original" toggle showing the Chinese
  of the cleaned original's blocks, read at build time from
  ``data/source/original.json`` (one copy of the Chinese, never pasted twice).
* Serves the charts' JavaScript from the book's own ``_static/``: the Vega,
  Vega-Lite and Vega-Embed bundle comes from vl-convert, the library that also
  renders the static SVGs, so the versions always match and no page reaches
  for a CDN.
* Renders each chart's static SVG (the ``<noscript>`` image, also for print)
  from the spec embedded in the page.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import urllib.parse
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive

STATIC_DIR = Path(__file__).parent / "static"
BUNDLE_NAME = "sobook-vega.js"
SPEC_RE = re.compile(
    r'<script type="application/json" class="so-spec" data-target="([a-z0-9-]+)">(.*?)</script>', re.S
)
CSV_RE = re.compile(r'download="([a-z0-9-]+\.csv)" href="data:text/csv;charset=utf-8,([^"]*)"')
FN_RE = re.compile(r"\[\^fn(\d+)\]")


def _original_path(srcdir: str) -> Path:
    return Path(srcdir) / "data" / "source" / "original.json"


def _blocks(path: Path) -> dict:
    return {b["id"]: b for b in json.loads(path.read_text(encoding="utf-8"))["blocks"]}


class OriginalDirective(Directive):
    """``{original} s1.1-p1 fn1`` → a collapsed toggle with the Chinese."""

    required_arguments = 1
    optional_arguments = 50
    has_content = False

    def run(self):
        env = self.state.document.settings.env
        path = _original_path(env.srcdir)
        env.note_dependency(str(path))  # a page is rebuilt when the original changes
        blocks = _blocks(path)
        parts = []
        for block_id in self.arguments:
            block = blocks.get(block_id)
            if block is None:
                raise self.error(f"original: unknown block id {block_id!r} (see data/source/original.json)")
            text = html.escape(block["text"])
            text = FN_RE.sub(lambda m: f'<sup class="so-fnref">{m.group(1)}</sup>', text)
            # The id is shown so that a reader can cite the paragraph in a correction.
            parts.append(
                f'<p class="so-zh so-zh-{block["kind"]}" id="zh-{block_id}" data-block="{block_id}">'
                f'<span lang="zh-Hans">{text}</span> '
                f'<a class="so-blockid" href="#zh-{block_id}" title="Paragraph id">{block_id}</a></p>'
            )
        ids = " ".join(self.arguments)
        raw = (
            f'<details class="so-original" data-blocks="{ids}"><summary>Original '
            f'<span lang="zh-Hans">原文</span></summary>{"".join(parts)}</details>'
        )
        return [nodes.raw("", raw, format="html")]


def tn_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{tn}`text``` → an inline translator's note, visibly apart from the
    report's words: "[Translator's note: text]"."""
    node = nodes.inline(classes=["so-tn-inline"])
    node += nodes.Text("[Translator's note: ")
    node += nodes.Text(text)
    node += nodes.Text("]")
    return [node], []


class TranslatorNoteDirective(Directive):
    """A block translator's note (MyST body allowed), styled apart from the report."""

    has_content = True
    optional_arguments = 0
    option_spec = {"name": lambda x: x}

    def run(self):
        box = nodes.container(classes=["so-tn"])
        title = nodes.paragraph(classes=["so-tn-title"])
        title += nodes.strong(text="Translator's note")
        box += title
        self.state.nested_parse(self.content, self.content_offset, box)
        if "name" in self.options:
            box["ids"].append(nodes.make_id(self.options["name"]))
        return [box]


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _vega_bundle(cache: Path) -> bytes:
    import vl_convert as vlc

    key = f"{vlc.__version__}-{vlc.get_vega_version()}-{vlc.get_vega_embed_version()}"
    cached = cache / f"vega-{key}.js"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        # Trap: the bundle declares top-level names (e.g. `_`) that clash with
        # the theme's scripts in the shared global scope; a function scope
        # keeps them private (it still sets window.vegaEmbed).
        cached.write_text("(function () {\n" + vlc.javascript_bundle() + "\n})();\n", encoding="utf-8")
    return cached.read_bytes()


def _static_svg(spec: dict, cache: Path) -> bytes:
    """A fixed-width rendering: 'container' width means nothing outside a page."""
    import vl_convert as vlc

    spec = dict(spec)
    spec["width"] = 640 if spec.get("width") == "container" else spec.get("width", 640)
    text = json.dumps(spec, sort_keys=True)
    cached = cache / f"svg-{hashlib.sha256(text.encode()).hexdigest()[:20]}.svg"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        cached.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    return cached.read_bytes()


def _on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    cache = Path(app.confdir) / "_build" / ".cache" / "vega"
    _write_if_changed(out / "_static" / BUNDLE_NAME, _vega_bundle(cache))
    charts = out / "_static" / "charts"
    for page in sorted(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        prefix = os.path.relpath(charts, page.parent).replace(os.sep, "/")

        def externalise_spec(m):
            target, payload = m.group(1), m.group(2)
            spec = json.loads(payload)
            _write_if_changed(charts / f"{target}.svg", _static_svg(spec, cache))
            # The payload is JSON already escaped for a script context (no '<').
            js = f'(window.soSpecs = window.soSpecs || {{}})["{target}"] = {payload};\n'
            _write_if_changed(charts / f"{target}.js", js.encode("utf-8"))
            return (f'<script class="so-spec" data-target="{target}" '
                    f'src="{prefix}/{target}.js" defer></script>')

        def externalise_csv(m):
            name, data = m.group(1), urllib.parse.unquote(m.group(2))
            _write_if_changed(charts / name, data.encode("utf-8"))
            return f'download="{name}" href="{prefix}/{name}"'

        # Specs and CSVs move into files of their own: a chapter with sixteen
        # charts stays light, the browser caches them, and plain <script src>
        # (unlike fetch) also works when the book is opened from disk.
        new = SPEC_RE.sub(externalise_spec, text)
        new = CSV_RE.sub(externalise_csv, new)
        if new != text:
            page.write_text(new, encoding="utf-8")


def _on_config_inited(app, config):
    config.html_static_path.append(str(STATIC_DIR))
    # Trap: sphinx-jupyterbook-latex switches numfig on for every builder, which
    # prefixes "Fig. N" to captions that already carry the report's own
    # numbering ("Figure 1-4"). Runs after it (priority 900) to switch it off.
    config.numfig = False


def _on_page_context(app, pagename, templatename, context, doctree):
    """Drop sphinx-thebe's scripts: the book runs no live code, and its inline
    config is injected twice ("THEBE_JS_URL has already been declared") and
    names a CDN."""
    def keep(script):
        name = getattr(script, "filename", None) or str(script)
        body = getattr(script, "attributes", {}).get("body", "")
        return "thebe" not in (name or "") and "THEBE" not in body

    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if keep(s)]


def setup(app):
    app.add_directive("original", OriginalDirective)
    app.add_directive("translator-note", TranslatorNoteDirective)
    app.add_role("tn", tn_role)
    app.connect("config-inited", _on_config_inited, priority=900)
    app.connect("html-page-context", _on_page_context)
    # defer keeps document order: the bundle defines vegaEmbed before the
    # drawing script runs, and neither blocks the first paint.
    app.add_js_file(BUNDLE_NAME, loading_method="defer")
    app.add_js_file("sobook-charts.js", loading_method="defer")
    app.add_css_file("sobook.css")
    app.connect("build-finished", _on_build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
