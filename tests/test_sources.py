"""Every source at a full address, with its kind declared once.

* every row's ``source_url`` is an absolute http(s) address, declared among
  its resource's ``sources`` with a ``kind`` of those the package defines
  (``source_kinds``); an address has one entry, the same wherever it is
  listed, and a resource lists no page its rows do not cite;
* a bare IP address or a staging host is never shown without saying what it
  is: its kind is a copy's, and its publisher and the row's note say so;
* the chart panels' Sources lists show each page's kind;
* the report the chapter comes from is named, from CITATION.cff, on the
  front page and About.
"""

from __future__ import annotations

import csv
import ipaddress
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DESC = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def _rows():
    out = []
    for res in DESC["resources"]:
        with open(DATA / res["path"], encoding="utf-8", newline="") as f:
            out += [(res, row) for row in csv.DictReader(f) if row.get("source_url")]
    return out


ROWS = _rows()


def _host_says(url: str) -> str | None:
    """What the reader must be told about an address that is not a
    publisher's site: a bare IP address, or a staging host."""
    host = urlparse(url).hostname or ""
    try:
        ipaddress.ip_address(host)
        return "bare IP address"
    except ValueError:
        pass
    return "staging host" if re.search(r"(^|[.-])(stg|staging)([.-]|$)", host) else None


def test_there_are_sources_of_each_kind_the_edition_uses():
    kinds = {s.get("kind") for s in DESC["sources"] if s["path"].startswith("http")}
    assert {"state media", "company release", "reprint", "aggregator"} <= kinds <= set(DESC["source_kinds"])


def test_every_row_address_is_absolute():
    bad = [row["row_id"] for _, row in ROWS if not re.match(r"https?://[^/\s]+\.[^/\s]*", row["source_url"])]
    assert bad == []


def test_every_row_address_is_declared_with_its_kind():
    for res, row in ROWS:
        declared = {s["path"]: s for s in res["sources"]}
        assert row["source_url"] in declared, (res["name"], row["row_id"])
        assert declared[row["source_url"]].get("kind") in DESC["source_kinds"], (res["name"], row["row_id"])


def test_one_entry_per_address():
    """The package lists each page once; a resource's entry is the same."""
    package = {}
    for s in DESC["sources"]:
        assert s["path"] not in package, s["path"]
        package[s["path"]] = s
    for res in DESC["resources"]:
        cited = {row["source_url"] for r, row in ROWS if r is res}
        for s in res["sources"]:
            assert s == package[s["path"]], (res["name"], s["path"])
            if s["path"].startswith("http"):
                assert s["path"] in cited, f"{res['name']} lists {s['path']}, which none of its rows cites"


def test_a_bare_ip_or_staging_host_says_what_it_is():
    seen = set()
    for res, row in ROWS:
        what = _host_says(row["source_url"])
        if not what:
            continue
        seen.add(what)
        source = next(s for s in res["sources"] if s["path"] == row["source_url"])
        assert source["kind"] in ("reprint", "aggregator", "company release"), row["row_id"]
        assert what in source["publisher"] and what in row["source_note"], row["row_id"]
    assert seen == {"bare IP address", "staging host"}  # the check has something to check


def test_the_hosts_are_recognised():
    assert _host_says("http://119.23.250.19:2008/info.php") == "bare IP address"
    assert _host_says("https://isg-stg.sitefinity.cloud/articles/x") == "staging host"
    assert _host_says("https://isg-cnt.sitefinity.cloud/articles/x") is None
    assert _host_says("http://en.people.cn/n3/2021/0122/c90000-9812030.html") is None


def test_the_panels_show_each_pages_kind():
    from sobook import charts

    panel = charts.build("e15")
    releases = [s for s in panel.sources() if s["kind"] == "release"]
    kinds = {s["path"]: s["kind"] for s in DESC["sources"] if "kind" in s}
    assert releases and all(s["page"] == kinds[s["url"]] for s in releases)
    html = panel.sources_html()
    for s in releases:
        assert f'<span class="so-source-kind">{s["page"]}</span>: {s["url"]}' in html.replace("&amp;", "&")
    assert "bare IP address" in html  # the 2023 breakdown's only copy says what it is


@pytest.mark.parametrize("kind", ["state media", "aggregator"])
def test_a_panels_kind_comes_from_the_descriptor(tmp_path, kind):
    """Change a page's declared kind and the panel says the new one."""
    import shutil

    from sobook import charts

    d = tmp_path / "data"
    shutil.copytree(DATA, d)
    desc = json.loads((d / "datapackage.json").read_text(encoding="utf-8"))
    url = "http://119.23.250.19:2008/info.php?I5Ftb=iX3.html"
    for s in desc["sources"] + [s for r in desc["resources"] for s in r["sources"]]:
        if s["path"] == url:
            s["kind"] = kind
    (d / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    page = next(s["page"] for s in charts.build("e15", d).sources() if s.get("url") == url)
    assert page == kind


def test_the_report_is_named_where_readers_see_it():
    """The front page and About name the report through the role that reads
    CITATION.cff, and no longer say its title is unknown."""
    from sobook import citation
    from sobook.sphinx_ext import edition

    [node], _ = edition.report_role("report", "{report}`name`", "name", 1, None)
    assert node.astext() == citation.report().name()
    assert "《中国服务外包发展报告》" in node.astext() and "likely" in node.astext()
    for page in ("index.md", "pages/about.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        assert "{report}`name`" in text, page
        said = " ".join(text.split())
        assert not re.search(r"(full title|title of the report)[^.]*not (known|stated)|not known: the title", said), page
