"""What makes the book citable and reusable: the version and build date in
every page's footer, "Cite this edition", the licences, the downloads, the
front page's key figures, and the repository's links where the
configuration names a repository (none is invented where it does not).

* ``{cite-this}``: the citation as plain text, BibTeX and RIS (from CITATION.cff);
* ``{key-figures}``: the front page's headline numbers, from the data;
* ``{downloads}``: the PDF and the data zip;
* ``{corrections}``: where corrections go (the repository's issues, or, with
  no repository set, what a reader can do instead);
* ``{report}`name``` and ``{report}`notes```: the report the chapter comes from, as CITATION.cff names it;
* ``{edition-version}`This is```: which edition the book is (a `sobook run`
  book says it is not the published one).

The footer and the head of each page (``citation_*`` and Dublin Core meta
tags, schema.org JSON-LD: the book or its chapter, and the data download as
a Dataset where the page offers it) are written for each page
(``assets.on_page_context``), their links made by the theme's own ``pathto``.
"""

from __future__ import annotations

import functools
import html
import json
import re
from urllib.parse import urljoin

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.transforms import Transform

from sobook import citation, downloads


def _raw(text: str) -> nodes.raw:
    return nodes.raw("", text, format="html")


def repository(config) -> str | None:
    url = (getattr(config, "html_theme_options", {}) or {}).get("repository_url") or ""
    url = str(url).strip()
    return url if url.startswith(("https://", "http://")) else None


def site_url(config) -> str | None:
    """Where the book is published: Sphinx's html_baseurl (Jupyter Book's
    ``html.baseurl``), which absolute addresses need (Open Graph, the
    citation's PDF address); None where none is set."""
    url = str(getattr(config, "html_baseurl", "") or "").strip()
    return url.rstrip("/") + "/" if url.startswith(("https://", "http://")) else None


@functools.lru_cache(maxsize=8)
def _rerun(data_dir: str | None, built: str | None) -> citation.Rerun | None:
    return citation.rerun(data_dir, built)


def rerun_of(config) -> citation.Rerun | None:
    """What the book was re-run on, if `sobook run` made it (its data
    directory and build date are in the configuration)."""
    return _rerun(getattr(config, "sobook_data_dir", None), getattr(config, "sobook_built", None))


def footer(config, pathto, hasdoc=lambda name: True) -> str:
    """The footer of every page: which edition it is, how to cite it, its
    licences, where corrections go; `pathto` and `hasdoc` the page's own (a
    one-page build has no About page to link to)."""
    e = html.escape
    about = pathto("pages/about")
    about = e("" if "#" in about else about)  # a link to itself (or in the one page of singlehtml)

    def link(anchor: str, words: str) -> str:
        return f'<a href="{about}#{anchor}">{words}</a>' if hasdoc("pages/about") else words

    url = repository(config)
    corrections = (f'<a href="{e(url.rstrip("/"))}/issues">the repository\'s issues</a>' if url
                   else link("corrections", "where to send them"))
    return (f'<p class="so-footer"><span class="so-edition">{e(citation.statement(rerun_of(config)))}</span> '
            f'{link("cite-this-edition", "Cite this edition")} · '
            f'{link("licences", "Licences")}: the edition\'s notes, charts and data '
            'curation CC BY 4.0; code MIT; the translation for research and commentary, the report\'s rights '
            f'being its publisher\'s. Corrections: {corrections}.</p>')


def on_config_inited(app, config):
    options = config.html_theme_options
    # The theme's repository and issue buttons, only where a repository is named.
    if repository(config):
        options.setdefault("use_repository_button", True)
        options.setdefault("use_issues_button", True)
    # A re-run says what it is above every page too, in the theme's announcement banner.
    rerun = rerun_of(config)
    if rerun:
        options["announcement"] = html.escape(citation.statement(rerun))


def _prefix(env) -> str:
    """From the page being read back to the book's root ("../" a level)."""
    return "../" * env.docname.count("/")


class CiteThisDirective(Directive):
    has_content = False

    def run(self):
        env = self.state.document.settings.env
        cite = citation.load(url=repository(env.config))
        body = (
            f'<div class="so-cite">{citation.html(cite)}'
            f'<p class="so-cite-note">{html.escape(citation.LICENCE_NOTE)} A chart is cited by its own '
            '"Cite this chart", beneath it; a table or a number as the edition is, with the figure or chart '
            'number (for example: “Figure 1-4, in …”).</p>'
            '</div>'
        )
        return [_raw(body)]


class CorrectionsDirective(Directive):
    """Where corrections go: the repository's issues, linked, where the
    configuration names a repository; otherwise it says so plainly."""

    has_content = False

    def run(self):
        url = repository(self.state.document.settings.env.config)
        para = nodes.paragraph()
        para += nodes.Text("If you find an error in the translation or the data, please report it. ")
        if url:
            issues = url.rstrip("/") + "/issues"
            para += nodes.Text("Corrections go to the repository's issues: ")
            para += nodes.reference(issues, issues, refuri=issues)
            para += nodes.Text(".")
        else:
            para += nodes.Text(citation.corrections(None))
        return [para]


class KeyFiguresDirective(Directive):
    has_content = False

    def run(self):
        from sobook import front
        from sobook.sphinx_ext.directives import data_dir_of

        env = self.state.document.settings.env
        prefix = _prefix(env)
        e = html.escape
        cards = []
        for k in front.key_figures(data_dir_of(env.app)):
            cards.append(
                f'<li class="so-keyfig"><span class="so-keyfig-value">{e(k.value)}</span>'
                f'<span class="so-keyfig-label">{e(k.label)}</span>'
                f'<span class="so-keyfig-detail">{e(k.detail)} · <a data-row="{e(k.row)}" '
                f'href="{e(prefix + k.href if k.href else "")}">{e(k.link_text)}</a></span></li>'
            )
        return [_raw(f'<ul class="so-keyfigs">{"".join(cards)}</ul>')]


class DownloadsDirective(Directive):
    has_content = False

    def run(self):
        env = self.state.document.settings.env
        prefix = _prefix(env) + "_static/downloads/"
        e = html.escape
        pdf, zipped = downloads.pdf_name(), downloads.zip_name()
        pdf_item = (
            f'<li><a class="so-download-pdf" href="{e(prefix + pdf)}" download>The edition as one PDF</a>: '
            'every section, every chart with its source and notes, the translator\'s notes, the claims ledger, '
            'how the outlook fared, the glossary, and the Chinese original in full.</li>') if env.config.sobook_pdf else ""
        return [_raw(
            f'<ul class="so-downloads">{pdf_item}'
            f'<li><a class="so-download-zip" href="{e(prefix + zipped)}" download>All the data (zip)</a>: every CSV '
            'with its datapackage.json (a Frictionless Data Package), the ledger\'s verdicts, the outlook\'s '
            'assessments, the cleaned Chinese original and a README.</li>'
            '</ul>')]


def data_zip_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{data-zip}`the data download``` → a link to the data zip, from any page."""
    env = inliner.document.settings.env
    uri = _prefix(env) + "_static/downloads/" + downloads.zip_name()
    return [nodes.reference(rawtext, text, refuri=uri, classes=["so-data-zip-link"])], []


def version_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{edition-version}`This is``` → "This is version 1.0.0 of the
    edition, built from the sources of 2026-11-29." (from CITATION.cff and
    the last commit); in a book `sobook run` made, the sentence that says it
    is not the published edition."""
    config = inliner.document.settings.env.config
    rerun = rerun_of(config)
    node = nodes.inline(classes=["so-version"] + (["so-rerun"] if rerun else []))
    if rerun:
        node += nodes.Text(citation.statement(rerun))
    else:
        node += nodes.Text(f"{text} version {citation.load().version} of the edition, built from the sources of "
                           f"{citation.build_date()}.")
    return [node], []


def report_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{report}`name``` → the report's series, compiler and likely edition;
    ``{report}`notes``` → the evidence and what is not known (CITATION.cff)."""
    report = citation.report()
    words = {"name": report.name(), "notes": report.notes}.get(text.strip())
    if words is None:
        msg = inliner.reporter.error(f"the report role takes 'name' or 'notes', not {text!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    return [nodes.Text(words)], []


class VersionAnchors(Transform):
    """Keep a Changelog's version headings ("[2.0.0] - 2026-12-06", the What
    changed page) hold no letter to make an id of, so docutils numbers them
    ("id1"), and the same numbers on other pages clash when the book is one
    page (singlehtml). Each version gets "v2-0-0", its sections "v2-0-0-fixed"."""

    default_priority = 500

    def apply(self):
        for section in self.document.findall(nodes.section):
            found = VERSION_HEADING.match(section[0].astext()) if section.children else None
            if not found:
                continue
            anchor = "v" + found.group(1).replace(".", "-")
            section["ids"] = [anchor]
            self.document.ids[anchor] = section
            for sub in section.findall(nodes.section, include_self=False):
                sub["ids"] = [f"{anchor}-{nodes.make_id(sub[0].astext())}"]
                self.document.ids[sub["ids"][0]] = sub


VERSION_HEADING = re.compile(r"\[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$")


def _people(cite: citation.Citation) -> list[dict]:
    return [{"@type": "Organization", "name": a} for a in cite.authors]


def book_jsonld(cite: citation.Citation, url: str | None = None) -> dict:
    """The edition as a schema.org Book: a translation of the report's chapter."""
    report = citation.report()
    book = {"@context": "https://schema.org", "@type": "Book", "name": cite.title, "author": _people(cite),
            "datePublished": cite.released, "version": cite.version, "bookEdition": f"version {cite.version}",
            "inLanguage": "en", "license": citation.CC_BY, "keywords": ", ".join(cite.keywords),
            "translationOfWork": {"@type": "Chapter", "name": report.chapter, "inLanguage": "zh",
                                  "isPartOf": {"@type": "Book", "name": report.series}}}
    if url:
        book["url"] = url
    return book


def chapter_jsonld(cite: citation.Citation, title: str, url: str | None = None, book_url: str | None = None) -> dict:
    """A page of the edition as a schema.org Chapter of its Book."""
    book = {k: v for k, v in book_jsonld(cite, book_url).items() if k in ("@type", "name", "version", "url")}
    chapter = {"@context": "https://schema.org", "@type": "Chapter", "name": title, "isPartOf": book,
               "author": _people(cite), "datePublished": cite.released, "version": cite.version,
               "inLanguage": "en", "license": citation.CC_BY}
    if url:
        chapter["url"] = url
    return chapter


def _script_json(obj: dict) -> str:
    # "</" would close the script element early; \u003c reads the same in JSON.
    text = json.dumps(obj, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


def _text(title: str | None) -> str:
    """A page's title as text (the theme's context holds it as HTML)."""
    return html.unescape(re.sub(r"<[^>]+>", "", title or "")).strip()


def head(app, pagename: str, context: dict, doctree) -> str:
    """What the page's head says of it for reference managers and search
    engines: citation_* meta tags (Google Scholar, Zotero; a page of the book
    is a section of it: citation_book_title), Dublin Core for the rights and
    language they lack, and schema.org JSON-LD: the Book on the front page, a
    Chapter elsewhere, and the data download as a Dataset on the pages that
    offer it. No publisher: the edition names none."""
    config = app.config
    cite = citation.load(url=repository(config))
    root = pagename == config.root_doc
    title = cite.title if root else (_text(context.get("title")) or cite.title)
    base = site_url(config)

    def address(rel: str) -> str:
        return urljoin(base, rel) if base else context["pathto"](rel, 1)

    tags = [("citation_title", title)] + ([] if root else [("citation_book_title", cite.title)])
    tags += [("citation_author", a) for a in cite.authors]
    tags += [("citation_publication_date", cite.released.replace("-", "/")), ("citation_language", "en"),
             ("citation_keywords", "; ".join(cite.keywords))]
    if config.sobook_pdf:
        tags.append(("citation_pdf_url", address(f"_static/downloads/{downloads.pdf_name()}")))
    tags += [("DC.title", title)] + [("DC.creator", a) for a in cite.authors]
    tags += [("DC.date", cite.released), ("DC.language", "en"), ("DC.type", "Text"),
             ("DC.rights", citation.LICENCE_NOTE)]
    out = ['<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />']
    out += [f'<meta name="{k}" content="{html.escape(v)}" />' for k, v in tags if v]
    if doctree is not None:
        page_url = urljoin(base, app.builder.get_target_uri(pagename)) if base else None
        book_url = urljoin(base, app.builder.get_target_uri(config.root_doc)) if base else None
        out.append(_script_json(book_jsonld(cite, book_url) if root else chapter_jsonld(cite, title, page_url, book_url)))
    if 'class="so-downloads"' in context.get("body", ""):
        from sobook.sphinx_ext.directives import data_dir_of

        out.append(_script_json(downloads.dataset_jsonld(
            data_dir_of(app), address(f"_static/downloads/{downloads.zip_name()}"), rerun_of(config))))
    return "\n".join(out) + "\n"


# A book page without a chart of its own shows Figure 1-1's picture.
DEFAULT_IMAGE = "_static/charts/chart-1-1.png"


def open_graph(app, pagename: str, context: dict) -> None:
    """The page's Open Graph image for sphinxext-opengraph: the first chart
    the page draws (its PNG), else Figure 1-1's. Open Graph's addresses must
    be absolute, so with no site address configured (html.baseurl) the page
    gets no Open Graph tags at all rather than addresses no crawler can
    follow. The fields go to a copy of the page's metadata: the build
    environment's own stays as read."""
    meta = dict(context.get("meta") or {})
    base = site_url(app.config)
    if not base:
        meta["ogp_disable"] = True
    else:
        body = context.get("body", "")
        found = re.search(r'<a class="so-png" download="[^"]+" href="[^"]*?(_static/charts/[a-z0-9-]+\.png)', body)
        alt = re.search(r'class="so-chart-frame" role="img" aria-label="([^"]+)"', body)
        meta["og:image"] = urljoin(base, found.group(1) if found else DEFAULT_IMAGE)
        meta["og:image:alt"] = html.unescape(alt.group(1)) if found and alt else "Figure 1-1 of the edition"
    context["meta"] = meta


def setup(app):
    app.connect("config-inited", on_config_inited)
    app.add_directive("cite-this", CiteThisDirective)
    app.add_directive("key-figures", KeyFiguresDirective)
    app.add_directive("downloads", DownloadsDirective)
    app.add_directive("corrections", CorrectionsDirective)
    app.add_transform(VersionAnchors)
    app.add_role("edition-version", version_role)
    app.add_role("data-zip", data_zip_role)
    app.add_role("report", report_role)
