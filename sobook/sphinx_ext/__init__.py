"""Sphinx extension for the book (``local_extensions`` in _config.yml).

* ``directives``: ``{original}``, ``{tn}``, ``{translator-note}``, ``{data-schema}``;
* ``pages``: what the HTML build adds and trims once the pages are written
  (charts' files, the Vega bundle, a lighter ``<head>``, the icon subset).

It finds its files from the package and the configuration, never from the
page being built, so a one-page build (``jupyter-book build
chapters/trends.ipynb``) works too. It does not import the build
(``sobook.pipeline``): the two share only ``sobook.paths``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sobook import citation
from sobook.paths import files, hash_files
from sobook.sphinx_ext.directives import (
    DataSchemaDirective, EnglishAnchors, OriginalDirective, TranslatorNoteDirective, UniqueFootnoteIds, english_anchor,
    tn_role)
from sobook.sphinx_ext import edition
from sobook.sphinx_ext.pages import BUNDLE_NAME, CACHE_DIR, on_build_finished, vega_bundle

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def _on_config_inited(app, config):
    # Relative to the book's folder: .buildinfo hashes the config, and an
    # absolute path would make two clean builds in two folders differ.
    config.html_static_path.append(os.path.relpath(STATIC_DIR, app.confdir))
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

    # A page without charts does not load the Vega bundle (nor the drawing
    # script): 900 KB less to parse on the front page and the text pages.
    has_charts = 'class="so-spec"' in context.get("body", "")

    def needed(script):
        name = getattr(script, "filename", None) or str(script)
        return has_charts or not any(n in (name or "") for n in (BUNDLE_NAME, "sobook-charts.js"))

    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if keep(s) and needed(s)]


def _static_digest(app=None) -> str:
    """The static files, and what the edition's directives read besides the
    page (the citation, the repository's address, the date of the sources)."""
    h = hashlib.sha256()
    hash_files(h, files([STATIC_DIR.name], STATIC_DIR.parent), STATIC_DIR.parent)
    h.update(citation.CFF.read_bytes())
    h.update(citation.build_date().encode())
    if app is not None:
        h.update(str(edition.repository(app.config)).encode())
    return h.hexdigest()


def _on_env_get_outdated(app, env, added, changed, removed):
    """Trap: when no page is out of date Sphinx stops before it copies the
    static files ("no targets are out of date"), so an edit to sobook.css or
    sobook-charts.js alone never reached the built book; and a page's
    "Cite this edition" would keep an old version. When any of them changes,
    every page is read and written again."""
    digest = _static_digest(app)
    if getattr(env, "sobook_static_digest", None) != digest:
        env.sobook_static_digest = digest
        return sorted(env.found_docs)
    return []


def setup(app):
    # The data the generated pages describe; `sobook run` sets it to the data
    # directory it was given (None: the edition's data/).
    app.add_config_value("sobook_data_dir", None, "env")
    # Whether the book comes with its PDF edition (`make book` and a whole
    # `sobook run` make it; a plain `jupyter-book build` does not): the
    # header's PDF button and the downloads' PDF link appear only then.
    app.add_config_value("sobook_pdf", False, "env")
    edition.setup(app)
    app.add_directive("original", OriginalDirective)
    app.add_node(english_anchor)
    app.add_transform(EnglishAnchors)
    app.add_transform(UniqueFootnoteIds)
    app.add_directive("translator-note", TranslatorNoteDirective)
    app.add_directive("data-schema", DataSchemaDirective)
    app.add_role("tn", tn_role)
    app.connect("config-inited", _on_config_inited, priority=900)
    app.connect("html-page-context", _on_page_context)
    # Deferred: it never blocks the first paint. It loads the Vega bundle
    # itself, when a chart is about to be drawn (see _on_build_finished).
    app.add_js_file("sobook-charts.js", loading_method="defer")
    app.add_css_file("sobook.css")
    # Read only for paper, so it never blocks a screen's first paint.
    app.add_css_file("sobook-print.css", media="print")
    # The bundle is made (or found in the cache) as the builder starts.
    app.connect("builder-inited", lambda app: vega_bundle(CACHE_DIR) if app.builder.format == "html" else None)
    app.connect("build-finished", on_build_finished)
    app.connect("env-get-outdated", _on_env_get_outdated)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
