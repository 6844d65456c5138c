"""What a notebook's outputs and the book depend on, as fingerprints: a
notebook is re-executed only when its code, the data, the package's Python,
the pins or the book's text that the package reads change (a Markdown-only
edit rebuilds the pages without a kernel); the HTML is rebuilt only when one
of the book's files changes."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from sobook import citation
from sobook.paths import BOOK_INPUTS, CHAPTERS_DIR, ROOT, files, hash_files

# Reading order; also the only names `sobook run` accepts.
CHAPTERS = ["achievements", "trends", "opportunities", "challenges", "outlook"]
# Pages that are notebooks executed like chapters but not named on the command line.
EXTRA_NOTEBOOKS: list[str] = ["outlook-fared", "ledger"]
# 'How the outlook fared' quotes the chapters' English paragraphs.
QUOTES_THE_CHAPTERS = {"outlook-fared"}
# Parts of the package no kernel imports: they make the book around the notebooks.
NOT_IN_KERNELS = ("sobook/pipeline/", "sobook/sphinx_ext/", "sobook/pdf/", "sobook/__main__.py")
# What the package reads of every chapter's Markdown (sobook.charts.book):
# the figures' captions, where each block and figure is placed.
_STRUCTURE = re.compile(r"```\{glue:figure\}.*?\n```|```\{original\}[^\n]*", re.S)


def _cells(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]


def code_source(path: Path) -> str:
    """The notebook's code as written: its code cells and their tags."""
    cells = [{"source": "".join(c["source"]), "tags": c.get("metadata", {}).get("tags", [])}
             for c in _cells(path) if c["cell_type"] == "code"]
    return json.dumps(cells, sort_keys=True, ensure_ascii=False)


def outputs_hash(path: Path) -> str:
    """The code cells' outputs and counts: a notebook whose outputs are not the ones
    its stamp recorded (edited by hand, or left by an interrupted build) is
    executed again."""
    outputs = [[c.get("execution_count"), c.get("outputs", [])] for c in _cells(path) if c["cell_type"] == "code"]
    return hashlib.sha256(json.dumps(outputs, sort_keys=True).encode()).hexdigest()


def _markdown(stem: str, structure_only: bool) -> str:
    text = "\n".join("".join(c["source"]) for c in _cells(CHAPTERS_DIR / f"{stem}.ipynb")
                     if c["cell_type"] == "markdown")
    return "\n".join(_STRUCTURE.findall(text)) if structure_only else text


def input_hash(nb_path: Path, data_dir: Path) -> str:
    h = hashlib.sha256(code_source(nb_path).encode())
    hash_files(h, files(["."], data_dir), data_dir)
    # The package's Python that kernels run (its CSS and JS reach only the HTML), the pins.
    code = [f for f in files(["sobook"], ROOT)
            if f.suffix == ".py" and not f.relative_to(ROOT).as_posix().startswith(NOT_IN_KERNELS)]
    # The citation each chart carries: CITATION.cff and the repository's address.
    hash_files(h, code + [ROOT / "requirements.txt", ROOT / "CITATION.cff"], ROOT)
    h.update(str(citation.repository_url()).encode())
    for stem in sorted(CHAPTERS + EXTRA_NOTEBOOKS):
        if (CHAPTERS_DIR / f"{stem}.ipynb").exists():
            quoted = nb_path.stem in QUOTES_THE_CHAPTERS and stem in CHAPTERS
            h.update(_markdown(stem, structure_only=not quoted).encode())
    return h.hexdigest()


def book_hash(root: Path) -> str:
    h = hashlib.sha256()
    hash_files(h, files(BOOK_INPUTS + ["requirements.txt"], root), root)
    return h.hexdigest()
