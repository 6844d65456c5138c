"""What a notebook's result and the book depend on, as fingerprints: a
notebook is re-executed, and the HTML rebuilt, only when these change."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sobook.paths import BOOK_INPUTS, ROOT, files, hash_files

# Reading order; also the only names `sobook run` accepts.
CHAPTERS = ["achievements", "trends", "opportunities", "challenges", "outlook"]
# Pages that are notebooks executed like chapters but not named on the command line.
EXTRA_NOTEBOOKS: list[str] = ["outlook-fared", "ledger"]
# Notebooks that read other notebooks' text: 'How the outlook fared' quotes the
# outlook's forecasts, and both it and the ledger link to the chapters'
# paragraphs; they are re-run when the chapters change.
READS = {"outlook-fared": ["achievements", "trends", "opportunities", "challenges", "outlook"],
         "ledger": ["achievements", "trends", "opportunities", "challenges", "outlook"]}


def notebook_source(path: Path) -> str:
    """The notebook without its outputs: what a person wrote."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        {"cell_type": c["cell_type"], "source": c["source"], "tags": c.get("metadata", {}).get("tags", [])}
        for c in nb["cells"]
        if "injected-parameters" not in c.get("metadata", {}).get("tags", [])
    ]
    return json.dumps(cells, sort_keys=True, ensure_ascii=False)


def input_hash(nb_path: Path, data_dir: Path, params: dict, reads=()) -> str:
    h = hashlib.sha256()
    h.update(notebook_source(nb_path).encode())
    hash_files(h, files(["."], data_dir), data_dir)
    # A notebook's outputs depend on the package's Python, not on its static
    # CSS/JS (those only reach the HTML, which book_hash covers).
    code = [f for f in files(["sobook"], ROOT) if f.suffix == ".py"]
    hash_files(h, code + [ROOT / "requirements.txt"], ROOT)
    # ... and on the text of the notebooks it quotes (READS)
    for other in reads:
        h.update(notebook_source(Path(other)).encode())
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def book_hash(root: Path) -> str:
    h = hashlib.sha256()
    hash_files(h, files(BOOK_INPUTS + ["requirements.txt"], root), root)
    return h.hexdigest()
