"""The HTML build started early (sobook/pipeline/html.py): still Jupyter Book's
strict build (-W -n --keep-going: the first warning is named, the log kept),
and nothing left running when it is aborted."""

from __future__ import annotations

from pathlib import Path

import pytest

from sobook import pipeline
from sobook.pipeline import html as html


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
        html.build_html(book, dest, tmp_path / "work")
    message = str(err.value)
    assert message.startswith("HTML build failed: index.md:3: WARNING: unknown document: 'missing-page'")
    assert "(and 1 more)" in message and "full log: " in message
    log = (tmp_path / "work" / "build.log").read_text(encoding="utf-8")
    assert "nowhere.Class" in log and "Running Jupyter-Book" in log
    assert not dest.exists()


def test_a_clean_book_builds(tmp_path):
    book = tiny_book(tmp_path / "book", "Nothing to warn about.")
    html.build_html(book, tmp_path / "html", tmp_path / "work")
    assert "Nothing to warn about." in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")


def test_abort_leaves_nothing_running(tmp_path):
    book = tiny_book(tmp_path / "book", "x")
    html = html.HtmlBuild(book, tmp_path / "work")
    html.abort()
    assert html.proc.poll() is not None
    assert not (tmp_path / "work" / "_build" / "html" / "index.html").exists()
