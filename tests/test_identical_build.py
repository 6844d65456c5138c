"""Two clean builds of the same sources produce identical HTML trees, the
PDF edition and the data zip included.

The repository's files (what `git ls-files` lists, plus new files not yet
committed and not ignored, so that the test also holds for a working tree)
are copied into two fresh folders in different places; each is built from
nothing with `python -m sobook build` (the notebooks executed, the HTML built)
and the two `_build/html` trees are compared byte for byte: the same files,
with the same contents.

Files that cannot be identical, and why, are named in MAY_DIFFER; each one
must still differ only where the reason says.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

# Files allowed to differ between two clean builds in two folders: none.
# (.buildinfo once did: it hashes the config, which held the absolute path of
# sobook/static; the extension now adds that path relative to the book.)
MAY_DIFFER: dict = {}


def source_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return sorted({f for f in out.split("\0") if f and (ROOT / f).is_file()})


def clean_build(dest: Path) -> Path:
    for rel in source_files():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(ROOT / rel, dest / rel)
        except FileNotFoundError:  # a scratch file of a build running in the tree meanwhile
            continue
    assert not (dest / "_build").exists()
    env = dict(os.environ, PYTHONPATH=str(dest))
    proc = subprocess.run([sys.executable, "-m", "sobook", "build"], cwd=dest, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"build in {dest} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return dest / "_build" / "html"


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    a = clean_build(tmp_path_factory.mktemp("first") / "book")
    b = clean_build(tmp_path_factory.mktemp("second") / "checkout" / "book")
    return a, b


def test_two_clean_builds_are_identical(two_builds):
    a, b = two_builds
    files_a, files_b = tree(a), tree(b)
    assert files_a == files_b, {"only in first": sorted(set(files_a) - set(files_b)),
                                "only in second": sorted(set(files_b) - set(files_a))}
    # Not vacuous: the pages, the charts' specs, CSVs and static SVGs, the bundle.
    assert len(files_a) > 100
    from sobook import downloads

    for must in ["index.html", "chapters/achievements.html", "_static/sobook-vega.js", "searchindex.js",
                 f"_static/downloads/{downloads.pdf_name()}", f"_static/downloads/{downloads.zip_name()}"]:
        assert must in files_a
    assert sum(f.startswith("_static/charts/") for f in files_a) >= 30

    differ = [f for f in files_a if not filecmp.cmp(a / f, b / f, shallow=False)]
    unexplained = [f for f in differ if f not in MAY_DIFFER]
    assert not unexplained, f"{len(unexplained)} file(s) differ between two clean builds: {unexplained[:20]}"
    for f in differ:
        assert MAY_DIFFER[f](a / f, b / f), f"{f} differs beyond what MAY_DIFFER explains"
    print(f"\n{len(files_a)} files, byte-identical except {differ or 'none'}")
