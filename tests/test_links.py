"""No broken internal link or anchor anywhere in the built book, checked
offline over the HTML files themselves (no server, no browser).

* every relative href/src/action of every page (also inside <noscript>)
  must name a file of the book, and its #fragment an id (or <a name>) in
  that file;
* every url(...) in the book's CSS must name a file (the theme's fonts and
  icons);
* every page the search index lists must exist (search results link to them);
* external links are listed, never fetched, in _build/external-links.txt.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from support import ROOT, book_pages

EXTERNAL_REPORT = ROOT / "_build" / "external-links.txt"
# Attributes that make the browser load or navigate to another address.
LINK_ATTRS = {"href", "src", "action", "data", "poster", "xlink:href"}
# Schemes that are not files of the book and not worth listing.
IGNORED_SCHEMES = {"data", "blob", "javascript", "about"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[int, str, str]] = []  # (line, tag, address)

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in LINK_ATTRS:
                self.refs.append((line, tag, value.strip()))
            elif name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.refs.append((line, tag, part.strip().split()[0]))

    handle_startendtag = handle_starttag


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


@pytest.fixture(scope="module")
def crawl(book_html):
    return crawl_book(book_html)


def crawl_book(book_html: Path):
    """Every page of a built book parsed once: {path: Page}, and the broken
    / external links (any builder's output: html, dirhtml, singlehtml)."""
    pages = {book_html / rel: parse(book_html / rel) for rel in book_pages(book_html)}
    cache: dict[Path, set[str]] = {p: pg.ids for p, pg in pages.items()}

    def ids_of(path: Path) -> set[str]:
        if path not in cache:
            cache[path] = parse(path).ids if path.suffix == ".html" else set()
        return cache[path]

    broken, external = [], defaultdict(set)
    for path, page in pages.items():
        rel = path.relative_to(book_html)
        for line, tag, ref in page.refs:
            parts = urlsplit(ref)
            if parts.scheme in IGNORED_SCHEMES:
                continue
            if parts.scheme or ref.startswith("//"):
                external[ref].add(str(rel))
                continue
            target_ref, fragment = urldefrag(ref)
            target_path = unquote(urlsplit(target_ref).path)
            target = (path.parent / target_path if target_path else path).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{rel}:{line} <{tag}> {ref!r}"
            if book_html.resolve() not in target.parents:
                broken.append(f"{where}: points outside the book")
            elif not target.is_file():
                broken.append(f"{where}: no file {target.relative_to(book_html.resolve())}")
            elif fragment and unquote(fragment) not in ids_of(target):
                broken.append(f"{where}: no id {unquote(fragment)!r} in {target.relative_to(book_html.resolve())}")
    return pages, broken, external


def test_the_crawl_is_not_vacuous(crawl):
    pages, _, _ = crawl
    refs = sum(len(p.refs) for p in pages.values())
    anchors = sum(1 for p in pages.values() for _, _, r in p.refs if "#" in r and not r.startswith("#"))
    assert len(pages) >= 10 and refs > 500 and anchors > 10, (len(pages), refs, anchors)


def test_no_broken_internal_link_or_anchor(crawl):
    _, broken, _ = crawl
    assert not broken, f"{len(broken)} broken internal link(s):\n" + "\n".join(broken[:50])


def test_css_references_exist(book_html):
    broken = []
    for css in sorted((book_html / "_static").rglob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8", errors="replace"), flags=re.S)
        for ref in re.findall(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""", text):
            if ref.startswith(("data:", "#", "http:", "https:", "//")):
                continue
            target = (css.parent / unquote(urlsplit(ref).path)).resolve()
            if not target.is_file():
                broken.append(f"{css.relative_to(book_html)}: url({ref})")
    assert not broken, "\n".join(broken)


def test_every_page_in_the_search_index_exists(book_html):
    text = (book_html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1: text.rindex(")")])
    missing = [d for d in index["docnames"] if not (book_html / f"{d}.html").is_file()]
    assert index["docnames"] and not missing, missing


def test_external_links_are_listed_not_fetched(crawl):
    _, _, external = crawl
    lines = [
        "# External links in the built book (listed by tests/test_links.py, never fetched).",
        "# address<TAB>pages that link to it",
    ]
    lines += [f"{url}\t{', '.join(sorted(pages))}" for url, pages in sorted(external.items())]
    EXTERNAL_REPORT.parent.mkdir(parents=True, exist_ok=True)
    EXTERNAL_REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hosts = sorted({urlsplit(u).netloc or u for u in external})
    print(f"\n{len(external)} external link(s) on {len({p for ps in external.values() for p in ps})} page(s), "
          f"{len(hosts)} host(s): {', '.join(hosts)}; listed in {EXTERNAL_REPORT.relative_to(ROOT)}")
    # Only http(s) and mailto: anything else (file:, ftp:) would not work for a reader.
    odd = [u for u in external if urlsplit(u).scheme not in ("http", "https", "mailto")]
    assert not odd, odd
