"""`make book`: execute the chapters whose inputs changed, build the HTML
book strictly, make its PDF edition, and put the book in ``_build/html``.

Nothing half-done: every notebook is executed into a temporary folder, and
the committed notebooks are replaced (keeping their file modes) only when all
of them have succeeded; the HTML and its PDF are made in a work folder and
swapped in only when both are.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from sobook import citation
from sobook.paths import CHAPTERS_DIR, DATA_DIR, ROOT
from sobook.pipeline import html, procs
from sobook.pipeline.execute import BuildError, Job, execute_all, normalise
from sobook.pipeline.inputs import CHAPTERS, EXTRA_NOTEBOOKS, book_hash, input_hash, outputs_hash

BUILD_DIR = ROOT / "_build"


def validate_data(data_dir: Path) -> str:
    """The one validation path (sobook.data, which the chapters' setup() also
    runs), as a BuildError: one line naming file, line, column and rule."""
    from sobook import data

    try:
        return data.validate(data_dir)
    except data.DataError as exc:
        raise BuildError(str(exc)) from None


def build_main(workers: int = 2) -> Path:
    """Execute changed chapters, replace the committed notebooks once all have
    run, rebuild the HTML and its PDF if needed."""
    try:
        with procs.exclusive(BUILD_DIR / ".lock", "the main build (_build/)"):
            return _build(workers)
    except procs.Busy as exc:
        raise BuildError(str(exc)) from None


def _stamp(name: str) -> dict:
    try:
        return json.loads((BUILD_DIR / ".stamps" / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _build(workers: int) -> Path:
    if not citation.repository_url():
        print("Note: _config.yml sets no repository.url: the book says no address for corrections is published, "
              "and its citations give no URL.", flush=True)
    notebooks = {name: CHAPTERS_DIR / f"{name}.ipynb" for name in CHAPTERS + EXTRA_NOTEBOOKS}
    missing = [str(nb.relative_to(ROOT)) for nb in notebooks.values() if not nb.is_file()]
    if missing:
        raise BuildError(f"{missing[0]}: the chapter's notebook is missing (restore it with git checkout)")
    # As JupyterLab or an editor saved them, in their committed form again
    # (nothing else changed leaves `git status` clean).
    for nb in notebooks.values():
        normalise(nb)
    todo = {}
    for name, nb in notebooks.items():
        digest = input_hash(nb, DATA_DIR)
        if _stamp(name) != {"inputs": digest, "outputs": outputs_hash(nb)}:
            todo[name] = digest
    stamps = BUILD_DIR / ".stamps"
    stamps.mkdir(parents=True, exist_ok=True)
    if todo:
        validate_data(DATA_DIR)
        print(f"Executing {len(todo)} notebook(s) with papermill, {min(workers, len(todo))} at a time:", flush=True)
        with procs.workspace("build", BUILD_DIR) as ws:
            jobs = [Job(notebooks[name], ws / f"{name}.ipynb") for name in todo]
            (ws / "tmp").mkdir()
            execute_all(jobs, workers, ws / "tmp")
            for job in jobs:
                shutil.copymode(job.notebook, job.output)
                job.output.replace(job.notebook)
                (stamps / f"{job.name}.json").write_text(json.dumps(
                    {"inputs": todo[job.name], "outputs": outputs_hash(job.notebook)}), encoding="utf-8")
    else:
        print("Notebooks: all up to date.", flush=True)
    out = BUILD_DIR / "html"
    html_stamp = stamps / "html.sha256"
    digest = book_hash(ROOT)
    if html_stamp.exists() and html_stamp.read_text() == digest and (out / "index.html").exists():
        print("HTML: up to date.", flush=True)
        return out
    print("Building the HTML book (strict)…", flush=True)
    start = time.perf_counter()
    work = BUILD_DIR / ".work"
    # Sphinx writes into the work folder page by page, and trusts what it
    # finds there: a build that was interrupted leaves it for a fresh one.
    complete = work / ".complete"
    if work.exists() and not complete.exists():
        shutil.rmtree(work)
    complete.unlink(missing_ok=True)
    built = html.build(ROOT, work, {"sobook_pdf": True}, BUILD_DIR / "jupyter-book.log")
    print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
    html.make_pdf(built)
    html.swap_in(built, out)
    complete.touch()
    html_stamp.write_text(digest)
    return out
