"""The HTML step (sobook/pipeline/html.py): Jupyter Book's own strict build
(-W -n --keep-going), its first problem named in one line and the log kept,
and the new book swapped into place whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from sobook import pipeline
from sobook.pipeline import html

pytestmark = pytest.mark.slow  # builds books, runs the pipeline and the tools


def tiny_book(root: Path, body: str, toc: str = "format: jb-book\nroot: index\n") -> Path:
    root.mkdir(parents=True)
    (root / "_config.yml").write_text('title: "Tiny"\nexecute:\n  execute_notebooks: "off"\n', encoding="utf-8")
    (root / "_toc.yml").write_text(toc, encoding="utf-8")
    (root / "index.md").write_text(f"# Tiny\n\n{body}\n", encoding="utf-8")
    return root


def test_a_warning_fails_the_build_and_names_itself(tmp_path):
    # The second reference warns only under -n (nitpicky): strictness is kept.
    book = tiny_book(tmp_path / "book", "See {doc}`missing-page`.\n\nAnd {py:class}`nowhere.Class`.")
    log = tmp_path / "build.log"
    with pytest.raises(pipeline.BuildError) as err:
        html.build(book, tmp_path / "work", {}, log)
    message = str(err.value)
    assert message.startswith("HTML build failed: index.md:3: WARNING: unknown document: 'missing-page'")
    assert "(and 1 more)" in message and f"full log: {log}" in message
    assert "nowhere.Class" in log.read_text(encoding="utf-8")


def test_a_broken_table_of_contents_is_named(tmp_path):
    book = tiny_book(tmp_path / "book", "x", toc="format: jb-book\nroot: index\nchapters:\n- file: nowhere\n")
    with pytest.raises(pipeline.BuildError) as err:
        html.build(book, tmp_path / "work", {}, tmp_path / "build.log")
    assert "nowhere" in str(err.value) and "see the log" not in str(err.value)
    assert "\n" not in str(err.value)


def test_a_clean_book_builds_with_the_settings_given(tmp_path):
    book = tiny_book(tmp_path / "book", "Nothing to warn about.")
    out = html.build(book, tmp_path / "work", {"html_title": "Settled"}, tmp_path / "build.log")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Nothing to warn about." in page and "Settled" in page
    assert "html_title: Settled" in (tmp_path / "work" / "_config.yml").read_text(encoding="utf-8")


def test_swap_in_replaces_the_book_whole(tmp_path):
    dest = tmp_path / "html"
    dest.mkdir()
    (dest / "index.html").write_text("old")
    new = tmp_path / "new"
    (new / "sub").mkdir(parents=True)
    (new / "index.html").write_text("new")
    html.swap_in(new, dest)
    assert (dest / "index.html").read_text() == "new" and (new / "index.html").exists()
    html.swap_in(new, dest, move=True)
    assert (dest / "index.html").read_text() == "new" and not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]  # no leftovers
