"""The HTML build started early (sobook/htmlbuild.py): still Jupyter Book's
strict build (-W -n --keep-going: the first warning is named, the log kept),
nothing left running when it is aborted, and the chart renderer fills the
extension's cache with exactly what the extension would have rendered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sobook import build, htmlbuild, sphinx_ext


def tiny_book(root: Path, body: str) -> Path:
    root.mkdir(parents=True)
    (root / "_config.yml").write_text('title: "Tiny"\nexecute:\n  execute_notebooks: "off"\n', encoding="utf-8")
    (root / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (root / "index.md").write_text(f"# Tiny\n\n{body}\n", encoding="utf-8")
    return root


def test_a_warning_fails_the_build_and_names_itself(tmp_path):
    # The second reference warns only under -n (nitpicky): strictness is kept.
    book = tiny_book(tmp_path / "book", "See {doc}`missing-page`.\n\nAnd {py:class}`nowhere.Class`.")
    dest = tmp_path / "html"
    with pytest.raises(build.BuildError) as err:
        build.build_html(book, dest, tmp_path / "work")
    message = str(err.value)
    assert message.startswith("HTML build failed: index.md:3: WARNING: unknown document: 'missing-page'")
    assert "(and 1 more)" in message and "full log: " in message
    log = (tmp_path / "work" / "build.log").read_text(encoding="utf-8")
    assert "nowhere.Class" in log and "Running Jupyter-Book" in log
    assert not dest.exists()


def test_a_clean_book_builds(tmp_path):
    book = tiny_book(tmp_path / "book", "Nothing to warn about.")
    build.build_html(book, tmp_path / "html", tmp_path / "work")
    assert "Nothing to warn about." in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")


def test_abort_leaves_nothing_running(tmp_path):
    book = tiny_book(tmp_path / "book", "x")
    html = htmlbuild.HtmlBuild(book, tmp_path / "work")
    html.charts_from(tmp_path / "not-a-notebook.ipynb")
    html.abort()
    assert html.proc.poll() is not None and html.renderer.poll() is not None
    assert not (tmp_path / "work" / "_build" / "html" / "index.html").exists()


def specs(notebook: Path) -> list[tuple[str, dict]]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for value in output.get("data", {}).values():
                text = "".join(value) if isinstance(value, list) else value
                if isinstance(text, str):
                    found += [(t, json.loads(p)) for t, p in sphinx_ext.SPEC_RE.findall(text)]
    return found


def test_the_renderer_renders_what_the_extension_would(tmp_path, monkeypatch, book_html):
    """Into an empty cache: one SVG per chart of the chapter, each identical to
    the page's static fallback in the built book. If the extension changes
    shape (names, cache), this fails instead of the build silently rendering
    everything after the go again."""
    monkeypatch.setattr(sphinx_ext, "CACHE_DIR", tmp_path / "cache")
    notebook = build.ROOT / "chapters" / "trends.ipynb"
    charts = specs(notebook)
    assert charts
    htmlbuild._render_charts(notebook)
    cached = {p.read_bytes() for p in (tmp_path / "cache").glob("svg-*.svg")}
    assert len(cached) == len({json.dumps(s, sort_keys=True) for _, s in charts})
    for target, _ in charts:
        assert (book_html / "_static" / "charts" / f"{target}.svg").read_bytes() in cached, target
