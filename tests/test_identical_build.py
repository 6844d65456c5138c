"""Two clean builds of the same sources in two folders produce identical
books, byte for byte: the HTML, the charts' files, the PDF edition and the
data zip. (The repository's files are copied into fresh folders in
different places and each is built from nothing with `python -m sobook
build`.)"""

from __future__ import annotations

import filecmp
from pathlib import Path

from support import copy_repository, sobook


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_two_clean_builds_are_identical(built_copy, tmp_path):
    a = built_copy[0] / "_build" / "html"
    repo = copy_repository(tmp_path / "second" / "checkout" / "repo")
    proc = sobook(repo, "build")
    assert proc.returncode == 0, proc.stderr[-3000:]
    b = repo / "_build" / "html"
    files_a, files_b = tree(a), tree(b)
    assert files_a == files_b, {"only in first": sorted(set(files_a) - set(files_b)),
                                "only in second": sorted(set(files_b) - set(files_a))}
    # Not vacuous: the pages, the charts' specs, CSVs and static SVGs, the bundle.
    from sobook import downloads

    for must in ["index.html", "chapters/achievements.html", "_static/sobook-vega.js", "searchindex.js",
                 f"_static/downloads/{downloads.pdf_name()}", f"_static/downloads/{downloads.zip_name()}"]:
        assert must in files_a
    assert sum(f.startswith("_static/charts/") for f in files_a) >= 30
    differ = [f for f in files_a if not filecmp.cmp(a / f, b / f, shallow=False)]
    assert not differ, f"{len(differ)} file(s) differ between two clean builds: {differ[:20]}"
