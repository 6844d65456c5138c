"""Sphinx extension for the book (``local_extensions`` in _config.yml).

* ``directives``: ``{original}``, ``{tn}``, ``{translator-note}``, ``{data-schema}``;
* ``edition``: the citation, key figures, downloads, footer and version;
* ``panels``: the chart panels' files and the links between pages;
* ``assets``: scripts, the PDF button, the Vega bundle, the icon subset, the data zip;
* ``search``: the search language (English, the Chinese originals, numbers)
  and the text shown under the results;
* ``sphinxext.opengraph``: Open Graph tags, where the book's address is set (``html.baseurl``);
* ``templates/``: the theme's layout without its Font Awesome script.

It works through Sphinx's events, directives, nodes and templates, and finds
its files from the package and the configuration, never from the page being
built, so a one-page build (``jupyter-book build chapters/trends.ipynb``)
works too. It never imports the pipeline (``sobook.pipeline``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sobook import citation
from sobook.paths import files, hash_files
from sobook.sphinx_ext import assets, edition, panels, search
from sobook.sphinx_ext.directives import (
    DataSchemaDirective,
    EnglishAnchors,
    OriginalDirective,
    TranslatorNoteDirective,
    UniqueFootnoteIds,
    english_anchor,
    tn_role,
)

PACKAGE = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE.parent / "static"


def _on_config_inited(app, config):
    # Relative to the book's folder: .buildinfo hashes the config, and an
    # absolute path would make two clean builds in two folders differ.
    config.html_static_path.append(os.path.relpath(STATIC_DIR, app.confdir))
    # First: the theme adds its components' folder (author.html, …) before
    # this runs, and the first folder that has a template wins.
    config.templates_path.insert(0, os.path.relpath(PACKAGE / "templates", app.confdir))
    # Relative to the book's folder, wherever that is (a one-page build's is the page's).
    config.html_favicon = os.path.relpath(STATIC_DIR / "favicon.svg", app.confdir)
    # Open Graph's addresses are absolute: the site's, which Sphinx knows as html_baseurl.
    config.ogp_site_url = config.ogp_site_url or edition.site_url(config) or ""
    config.ogp_social_cards = {"enable": False}  # each page's image is a chart's (edition.open_graph)
    # Trap: sphinx-jupyterbook-latex switches numfig on for every builder, which
    # prefixes "Fig. N" to captions that already carry the report's own
    # numbering ("Figure 1-4"). Runs after it (priority 900) to switch it off.
    config.numfig = False


def _edition_digest(app=None) -> str:
    """The package (this extension, its templates and static files, and
    what its directives read besides the page: the citation, the
    repository's address, the date of the sources)."""
    h = hashlib.sha256()
    hash_files(h, files([STATIC_DIR.parent.name], STATIC_DIR.parent.parent), STATIC_DIR.parent.parent)
    h.update(citation.CFF.read_bytes())
    h.update(citation.build_date().encode())
    if app is not None:
        h.update(str(edition.repository(app.config)).encode())
        # Every page's sidebar is the table of contents, and Sphinx rewrites
        # only the pages whose source changed.
        toc = getattr(app.config, "external_toc_path", None)
        if toc and Path(app.confdir, toc).is_file():
            h.update(Path(app.confdir, toc).read_bytes())
    return h.hexdigest()


def _on_env_get_outdated(app, env, added, changed, removed):
    """Trap: Sphinx knows nothing of an extension's code, and when no page is
    out of date it stops before it copies the static files ("no targets are
    out of date"): an edit to the extension, sobook.css or sobook-charts.js
    alone never reached the built book, and a page's "Cite this edition"
    kept an old version; an edit to _toc.yml changed the sidebar of the
    edited pages only. When any of them changes, every page is read and
    written again."""
    # The root page's doctree as an earlier build cached it in the
    # environment (search.on_build_finished no longer saves it).
    env.__dict__.pop("master_doctree", None)
    digest = _edition_digest(app)
    if getattr(env, "sobook_static_digest", None) != digest:
        env.sobook_static_digest = digest
        return sorted(env.found_docs)
    return []


def _on_env_updated(app, env):
    """Every page's sidebar, and every link to a page, carries its title;
    Sphinx writes only the pages it read. When a title changes, every page
    is written again."""
    key = hashlib.sha256(repr(sorted((d, t.astext()) for d, t in env.titles.items())).encode()).hexdigest()
    if getattr(env, "sobook_titles_key", None) != key:
        env.sobook_titles_key = key
        return sorted(env.found_docs)
    return []


def _on_missing_reference(app, env, node, contnode):
    """A one-page build (`jupyter-book build chapters/trends.ipynb`) has no
    glossary and no other chapter to link to: the words stay, as text."""
    if len(env.found_docs) == 1:
        return contnode
    return None


def _on_before_read(app, env, docnames):
    if len(env.found_docs) == 1:  # a one-page build: MyST's links to other pages' anchors stay text too
        app.config.suppress_warnings = [*app.config.suppress_warnings, "myst.xref_missing"]


def setup(app):
    # The data the generated pages describe; `sobook run` sets it to the data
    # directory it was given (None: the edition's data/).
    app.add_config_value("sobook_data_dir", None, "env")
    # Whether the book comes with its PDF edition (`make book` and a whole
    # `sobook run` make it; a plain `jupyter-book build` does not): the
    # header's PDF button and the downloads' PDF link appear only then.
    app.add_config_value("sobook_pdf", False, "env")
    # The day a `sobook run` book was built (YYYY-MM-DD), which it says it is.
    app.add_config_value("sobook_built", None, "env")
    app.setup_extension("sphinxext.opengraph")
    edition.setup(app)
    app.add_directive("original", OriginalDirective)
    app.add_node(english_anchor)
    app.add_transform(EnglishAnchors)
    app.add_transform(UniqueFootnoteIds)
    app.add_directive("translator-note", TranslatorNoteDirective)
    app.add_directive("data-schema", DataSchemaDirective)
    app.add_role("tn", tn_role)
    app.connect("config-inited", _on_config_inited, priority=900)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-updated", _on_env_updated)
    app.connect("missing-reference", _on_missing_reference)
    app.connect("env-before-read-docs", _on_before_read)
    app.add_css_file("sobook.css")
    # Read only for paper, so it never blocks a screen's first paint.
    app.add_css_file("sobook-print.css", media="print")
    app.connect("builder-inited", assets.on_builder_inited)
    app.connect("html-page-context", assets.on_page_context, priority=502)  # after the theme's header buttons
    # before sphinxext.opengraph (500) writes the tags from the page's fields
    app.connect("html-page-context", lambda app, pagename, t, context, d: edition.open_graph(app, pagename, context),
                priority=499)
    app.connect("build-finished", assets.on_build_finished)
    app.connect("doctree-read", panels.on_doctree_read)
    app.connect("env-purge-doc", panels.on_env_purge_doc)
    app.connect("env-merge-info", panels.on_env_merge_info)
    app.connect("env-updated", panels.on_env_updated)
    app.connect("doctree-resolved", panels.on_doctree_resolved)
    app.connect("html-page-context", panels.on_page_context)
    app.add_search_language(search.SearchEnglishChinese)
    app.connect("doctree-read", search.on_doctree_read)
    app.connect("env-purge-doc", search.on_env_purge_doc)
    app.connect("env-merge-info", search.on_env_merge_info)
    app.connect("env-updated", search.on_env_updated)
    app.connect("build-finished", search.on_build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
