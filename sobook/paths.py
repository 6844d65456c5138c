"""Where the book's parts are, and how the pipeline fingerprints them (shared
by the pipeline and the Sphinx extension, which never import each other)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CHAPTERS_DIR = ROOT / "chapters"
ORIGINAL = DATA_DIR / "source" / "original.json"
# Debian's Chromium, where tools/system-deps installs it: the PDF edition and
# the browser tests use it (Playwright's own browser needs the network).
CHROMIUM = "/usr/bin/chromium"
# As root it needs --no-sandbox; the background-networking flags stop it
# calling Google's hosts on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}
# What a book build reads besides the notebooks; a change here rebuilds the HTML.
BOOK_INPUTS = ["_config.yml", "_toc.yml", "index.md", "chapters", "pages", "sobook", "data", "CITATION.cff",
               "CHANGELOG.md"]


def files(paths, root: Path):
    """Every file under `paths` (relative to `root`), in a fixed order."""
    for rel in paths:
        p = root / rel
        if p.is_file():
            yield p
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not SKIP_DIRS.intersection(f.relative_to(root).parts) \
                        and not f.name.startswith(".executing-"):
                    yield f


def hash_files(h, paths, root: Path) -> None:
    """Feed each file's path (relative to `root`) and bytes to the hash `h`."""
    for f in paths:
        h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
