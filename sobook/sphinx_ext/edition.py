"""What makes the book citable and reusable: the version and build date in
every page's footer, "Cite this edition", the licences, the downloads, the
front page's key figures, and the repository's links where the
configuration names a repository (none is invented where it does not).

* ``{cite-this}``: the citation as plain text, BibTeX and RIS (from CITATION.cff);
* ``{key-figures}``: the front page's headline numbers, from the data;
* ``{downloads}``: the PDF and the data zip;
* ``{issues}`text``: a link to the repository's issues, or the text alone;
* ``{report}`name``` and ``{report}`notes```: the report the chapter comes from, as CITATION.cff names it.

The footer is written for each page (``assets.on_page_context``), its
links made by the theme's own ``pathto``.
"""

from __future__ import annotations

import html

from docutils import nodes
from docutils.parsers.rst import Directive

from sobook import citation, downloads

def _raw(text: str) -> nodes.raw:
    return nodes.raw("", text, format="html")


def repository(config) -> str | None:
    url = (getattr(config, "html_theme_options", {}) or {}).get("repository_url") or ""
    url = str(url).strip()
    return url if url.startswith(("https://", "http://")) else None


def footer(config, pathto, hasdoc=lambda name: True) -> str:
    """The footer of every page; `pathto` and `hasdoc` the page's own (a
    one-page build has no About page to link to)."""
    cite = citation.load(url=repository(config))
    e = html.escape
    about = pathto("pages/about")
    about = e("" if "#" in about else about)  # a link to itself (or in the one page of singlehtml)

    def link(anchor: str, words: str) -> str:
        return f'<a href="{about}#{anchor}">{words}</a>' if hasdoc("pages/about") else words

    return (f'<p class="so-footer">Version {e(cite.version)}, built from the sources of {e(citation.build_date())}. '
            f'{link("cite-this-edition", "Cite this edition")} · '
            f'{link("licences", "Licences")}: the edition\'s notes, charts and data '
            'curation CC BY 4.0; code MIT; the translation for research and commentary, the report\'s rights '
            'being its publisher\'s.</p>')


def on_config_inited(app, config):
    options = config.html_theme_options
    # The theme's repository and issue buttons, only where a repository is named.
    if repository(config):
        options.setdefault("use_repository_button", True)
        options.setdefault("use_issues_button", True)


def _prefix(env) -> str:
    """From the page being read back to the book's root ("../" a level)."""
    return "../" * env.docname.count("/")


class CiteThisDirective(Directive):
    has_content = False

    def run(self):
        env = self.state.document.settings.env
        cite = citation.load(url=repository(env.config))
        e = html.escape
        body = (
            '<div class="so-cite">'
            f'<p class="so-cite-plain">{e(cite.plain())}</p>'
            '<p class="so-cite-label">BibTeX</p>'
            f'<div class="highlight"><pre class="so-cite-bibtex">{e(cite.bibtex())}</pre></div>'
            '<p class="so-cite-label">RIS</p>'
            f'<div class="highlight"><pre class="so-cite-ris">{e(cite.ris())}</pre></div>'
            f'<p class="so-cite-note">{e(citation.LICENCE_NOTE)} A chart, a table or a number is cited as the '
            'edition is, with the figure or chart number (for example: “Figure 1-4, in …”).</p>'
            '</div>'
        )
        return [_raw(body)]


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
                f'<span class="so-keyfig-detail">{e(k.detail)} · <a href="{e(prefix + k.href)}">{e(k.link_text)}</a></span></li>'
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


def issues_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{issues}`open an issue``` → a link to the repository's issues where
    the configuration names a repository, the words alone where it does not."""
    env = inliner.document.settings.env
    url = repository(env.config)
    if url:
        node = nodes.reference(rawtext, text, refuri=url.rstrip("/") + "/issues")
    else:
        node = nodes.Text(text)
    return [node], []


def data_zip_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{data-zip}`the data download``` → a link to the data zip, from any page."""
    env = inliner.document.settings.env
    uri = _prefix(env) + "_static/downloads/" + downloads.zip_name()
    return [nodes.reference(rawtext, text, refuri=uri, classes=["so-data-zip-link"])], []


def version_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{edition-version}`This is version``` → "This is version 1.0.0 of the
    edition, built from the sources of 2026-11-29." (from CITATION.cff and
    the last commit)."""
    cite = citation.load()
    node = nodes.inline(classes=["so-version"])
    node += nodes.Text(f"{text} {cite.version} of the edition, built from the sources of {citation.build_date()}.")
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


def setup(app):
    app.connect("config-inited", on_config_inited)
    app.add_directive("cite-this", CiteThisDirective)
    app.add_directive("key-figures", KeyFiguresDirective)
    app.add_directive("downloads", DownloadsDirective)
    app.add_role("issues", issues_role)
    app.add_role("edition-version", version_role)
    app.add_role("data-zip", data_zip_role)
    app.add_role("report", report_role)
