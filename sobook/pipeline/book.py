"""`make book`: execute the chapters whose inputs changed, then build
``_build/html`` strictly.

Nothing half-done: every notebook is executed into a temporary folder, and
the committed notebooks are replaced (keeping their file modes) only when all
of them have succeeded; the HTML is built elsewhere and swapped in only on
success. A notebook counts as up to date only when its stamp names both the
inputs it was executed from and the very bytes on disk, so a notebook that
was changed, or left behind by an interrupted build, is executed again.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from sobook import pdf
from sobook.pipeline import procs
from sobook.pipeline.execute import BuildError, execute_all, kernel_env
from sobook.pipeline.html import HtmlBuild, build_html, html_env
from sobook.pipeline.inputs import CHAPTERS, EXTRA_NOTEBOOKS, READS, book_hash, file_hash, input_hash
from sobook.paths import ROOT


def validate_data(data_dir: Path) -> str:
    """The one validation path (sobook.data, which the chapters' setup() also
    runs), as a BuildError: one line naming file, line, column and rule."""
    from sobook import data

    try:
        return data.validate(data_dir)
    except data.DataError as exc:
        raise BuildError(str(exc)) from None


def _stamp(stamps: Path, name: str) -> dict:
    try:
        return json.loads((stamps / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build_main(workers: int = 2) -> Path:
    """Execute changed chapters, replace the committed notebooks once all have
    run, rebuild the HTML if needed."""
    build_dir = ROOT / "_build"
    try:
        with procs.exclusive(build_dir / ".lock", "the main build (_build/)"):
            return _build(build_dir, workers)
    except procs.Busy as exc:
        raise BuildError(str(exc)) from None


def _build(build_dir: Path, workers: int) -> Path:
    data_dir = ROOT / "data"
    stamps = build_dir / ".stamps"
    stamps.mkdir(parents=True, exist_ok=True)
    todo = {}
    for name in CHAPTERS + EXTRA_NOTEBOOKS:
        nb = ROOT / "chapters" / f"{name}.ipynb"
        digest = input_hash(nb, data_dir, {}, [ROOT / "chapters" / f"{r}.ipynb" for r in READS.get(name, [])])
        stamp = _stamp(stamps, name)
        if stamp.get("inputs") == digest and stamp.get("notebook") == file_hash(nb):
            continue
        todo[name] = (nb, digest)
    out_html = build_dir / "html"
    work = build_dir / ".work"
    html = None
    if todo:
        from sobook.pipeline.kernels import KernelServer

        validate_data(data_dir)
        print(f"Executing {len(todo)} notebook(s) with papermill on {workers} cores:", flush=True)
        kernel_env()  # the kernel server's environment is its kernels'
        with procs.workspace("build", build_dir) as ws, KernelServer() as kernels:
            # Executed notebooks always change the book (they are among its
            # inputs): Sphinx starts now, and builds once they are in place.
            html = HtmlBuild(ROOT, work, html_env())
            pdf_worker = pdf.Worker(data_dir, html_env())  # Chromium ready, the data zip made, meanwhile
            try:
                jobs = [(nb, ws / nb.name, None) for nb, _ in todo.values()]
                (ws / "tmp").mkdir()
                execute_all(jobs, workers, kernels.address, ws / "tmp")
                for name, (nb, digest) in todo.items():
                    new = ws / nb.name
                    shutil.copymode(nb, new)
                    os.replace(new, nb)
                    (stamps / f"{name}.json").write_text(
                        json.dumps({"inputs": digest, "notebook": file_hash(nb)}), encoding="utf-8")
                pdf_worker.cache_pngs([nb for nb, _ in todo.values()])
            except BaseException:
                html.abort()
                pdf_worker.abort()
                raise
    else:
        print("Notebooks: all up to date.", flush=True)
    html_stamp = stamps / "html.sha256"
    digest = book_hash(ROOT)
    if html_stamp.exists() and html_stamp.read_text() == digest and (out_html / "index.html").exists():
        if html:
            html.abort()
            pdf_worker.abort()
        print("HTML: up to date.", flush=True)
    else:
        print("Building the HTML book (strict)…", flush=True)
        start = time.perf_counter()
        build_html(ROOT, out_html, work, started=html, pdf_worker=pdf_worker if html else None)
        html_stamp.write_text(digest)
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
    return out_html
