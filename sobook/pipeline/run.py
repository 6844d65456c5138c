"""`sobook run`: re-run chapters on another data directory into a book of
their own, never touching the committed notebooks.

The data are validated first (the same one path as everywhere); the book's
sources are copied into a temporary workspace, whose configuration points the
Sphinx extension at the data directory (so that every generated page, the
Reproduce page's schema and row counts included, describes the data the book
was built from); the chapters run there; the HTML is built strictly and only
then swapped into ``--out``, under a lock, so that two runs into one
``--out`` cannot interleave (the second refuses).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import yaml

from sobook.paths import ROOT, SKIP_DIRS
from sobook.pipeline import html, procs
from sobook.pipeline.book import validate_data
from sobook.pipeline.execute import BuildError, Job, execute_all
from sobook.pipeline.inputs import CHAPTERS, EXTRA_NOTEBOOKS


def check_out(out: Path, data_dir: Path) -> None:
    """Refuse an output folder that would overwrite what is not ours: the
    repository's committed folders, the main build, the data, or a folder
    that `sobook run` did not make."""

    def within(p: Path, q: Path) -> bool:
        return p == q or q in p.parents

    build = ROOT / "_build"
    if within(ROOT, out):
        raise BuildError(f"--out {out}: that folder holds the repository; choose a new folder")
    if within(out, ROOT) and not (within(out, build) and out != build):
        raise BuildError(
            f"--out {out}: inside the repository's committed folders; use a folder under _build/ "
            "(e.g. _build/html-data) or outside the repository"
        )
    if within(out, build / "html") or (out.parent == build and out.name.startswith(".")):
        raise BuildError(f"--out {out}: that is the main build's (make book); choose another folder, e.g. _build/html-data")
    if within(out, data_dir) or within(data_dir, out):
        raise BuildError(f"--out {out}: overlaps the data directory {data_dir}")
    if out.exists() and not out.is_dir():
        raise BuildError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / html.MARKER).is_file():
        raise BuildError(
            f"--out {out}: exists and was not made by `sobook run`, so it is left alone; remove it or choose a "
            "new folder"
        )


def stage_book(dest: Path, names: list[str], data_dir: Path, partial: bool) -> Path:
    """A copy of the book's sources in `dest` to execute and build, whose
    configuration points the extension at `data_dir`. A partial run
    (chapters named) gets a table of contents of those chapters, the glossary
    their terms link to and a front page that says what the book is."""
    dest.mkdir(parents=True)
    for rel in ["index.md", "pages", "chapters", "CHANGELOG.md"]:
        p = ROOT / rel
        if p.is_dir():
            shutil.copytree(p, dest / rel, ignore=shutil.ignore_patterns(*SKIP_DIRS, ".executing-*"))
        elif p.exists():
            shutil.copy2(p, dest / rel)
    shutil.copy2(ROOT / "_config.yml", dest / "_config.yml")
    if not partial:
        shutil.copy2(ROOT / "_toc.yml", dest / "_toc.yml")
        return dest
    (dest / "_toc.yml").write_text(_reduced_toc(names), encoding="utf-8")
    titles = ", ".join(f"{{doc}}`chapters/{n}`" for n in names)
    (dest / "index.md").write_text(
        (ROOT / "index.md").read_text(encoding="utf-8").split("\n", 1)[0] + "\n\n"
        f"*Re-run on the data in `{data_dir.name}`: {titles}. The other chapters are not part of this book; "
        "links to them are left as plain text.*\n\n{edition-version}`This is`\n",
        encoding="utf-8",
    )
    return dest


def _reduced_toc(names: list[str]) -> str:
    """A table of contents holding only the chapters asked for, the glossary
    their terms link to, and the page that describes the data the book was
    built from."""
    lines = ["format: jb-book", "root: index", "chapters:"]
    lines += [f"- file: chapters/{n}" for n in names]
    lines += ["- file: pages/glossary", "- file: pages/reproduce"]
    return "\n".join(lines) + "\n"


def run_on_data(chapters: list[str], data_dir: Path, out: Path, workers: int = 2, pdf: bool | None = None) -> Path:
    """A separate book from another data directory; `out` is replaced only
    when everything succeeded. Its PDF edition is made for a whole book, or
    when `pdf` asks for it."""
    known = CHAPTERS + EXTRA_NOTEBOOKS
    unknown = [c for c in chapters if c not in known]
    if unknown:
        raise BuildError(f"unknown chapter {unknown[0]!r}; choose from: {', '.join(known)}")
    if workers < 1:
        raise BuildError(f"--jobs {workers}: at least one notebook must run at a time")
    names = list(dict.fromkeys(chapters)) or known
    missing = [n for n in names if not (ROOT / "chapters" / f"{n}.ipynb").is_file()]
    if missing:
        raise BuildError(f"chapters/{missing[0]}.ipynb: the chapter's notebook is missing (restore it with git checkout)")
    data_dir = Path(data_dir).expanduser().resolve()
    out = Path(out).expanduser().resolve()
    from sobook import data

    try:
        data.check_dir(data_dir)  # the cheap refusals before any process starts
    except data.DataError as exc:
        raise BuildError(str(exc)) from None
    check_out(out, data_dir)
    try:
        with procs.exclusive(procs.lock_for(out), f"--out {out}"):
            return _run(names, bool(chapters), data_dir, out, workers, not chapters if pdf is None else pdf)
    except procs.Busy as exc:
        raise BuildError(str(exc)) from None


def _run(names: list[str], partial: bool, data_dir: Path, out: Path, workers: int, pdf: bool) -> Path:
    start = time.perf_counter()
    with procs.workspace("run") as ws:
        src = stage_book(ws / "book", names, data_dir, partial)
        summary = validate_data(data_dir)
        print(f"Data: {data_dir} is valid ({summary}).", flush=True)
        jobs = [Job(src / "chapters" / f"{n}.ipynb", src / "chapters" / f"{n}.ipynb", data_dir) for n in names]
        print(f"Executing {len(jobs)} notebook(s) with papermill, {min(workers, len(jobs))} at a time:", flush=True)
        (ws / "tmp").mkdir()
        execute_all(jobs, workers, ws / "tmp")
        print("Building the HTML book (strict)…", flush=True)
        settings = {"sobook_data_dir": str(data_dir), "sobook_pdf": pdf, "sobook_built": time.strftime("%Y-%m-%d")}
        if partial:  # links into the chapters left out cannot resolve in a partial book
            config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
            known = config.get("sphinx", {}).get("config", {}).get("suppress_warnings", [])
            settings["suppress_warnings"] = ["ref.doc", "ref.ref", "myst.xref_missing", *known]
        fd, log = tempfile.mkstemp(prefix="sobook-run-", suffix=".log")
        os.close(fd)
        try:
            built = html.build(src, ws / "work", settings, Path(log))
        except BaseException:
            if os.path.getsize(log) == 0:
                os.unlink(log)
            raise
        os.unlink(log)
        if pdf:
            html.make_pdf(built)
        marker = json.dumps({"made_by": "python -m sobook run", "data_dir": data_dir.name, "chapters": names})
        (built / html.MARKER).write_text(marker + "\n", encoding="utf-8")
        html.swap_in(built, out, move=True)  # a place that cannot be written: __main__ says which, in one line
    print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
    return out
