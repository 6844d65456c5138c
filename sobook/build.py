"""Execute the chapter notebooks with papermill and build the HTML book.

Two entry points share this code:

* the main build (``make book``): executes the committed notebooks in place,
  in parallel, skipping any whose inputs have not changed, then builds
  ``_build/html`` strictly;
* ``sobook run`` (re-running chapters on another data directory): works on a
  copy of the book in a temporary folder and swaps the finished HTML into
  ``--out``, never touching the committed notebooks.

Failures never leave half a book: notebooks are executed to a temporary file
and the HTML is built elsewhere and swapped in only on success.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Reading order; also the only names `sobook run` accepts.
CHAPTERS = ["achievements", "trends", "opportunities", "challenges", "outlook"]
# Pages that are notebooks executed like chapters but not named on the command line.
EXTRA_NOTEBOOKS: list[str] = ["outlook-fared", "ledger"]
# What a book build reads besides the notebooks; a change here rebuilds the HTML.
BOOK_INPUTS = ["_config.yml", "_toc.yml", "index.md", "chapters", "pages", "sobook", "data"]
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}


class BuildError(Exception):
    """One message for a person: what failed, where, and why."""


# --------------------------------------------------------------------------
# hashing: what a notebook's result depends on


def _files(paths, root: Path):
    for rel in paths:
        p = root / rel
        if p.is_file():
            yield p
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not SKIP_DIRS.intersection(f.relative_to(root).parts):
                    yield f


def _hash_files(h, files, root: Path) -> None:
    for f in files:
        h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")


def notebook_source(path: Path) -> str:
    """The notebook without its outputs: what a person wrote."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        {"cell_type": c["cell_type"], "source": c["source"], "tags": c.get("metadata", {}).get("tags", [])}
        for c in nb["cells"]
        if "injected-parameters" not in c.get("metadata", {}).get("tags", [])
    ]
    return json.dumps(cells, sort_keys=True, ensure_ascii=False)


def input_hash(nb_path: Path, data_dir: Path, params: dict) -> str:
    h = hashlib.sha256()
    h.update(notebook_source(nb_path).encode())
    _hash_files(h, _files(["."], data_dir), data_dir)
    # A notebook's outputs depend on the package's Python, not on its static
    # CSS/JS (those only reach the HTML, which book_hash covers).
    code = [f for f in _files(["sobook"], ROOT) if f.suffix == ".py"]
    _hash_files(h, code + [ROOT / "requirements.txt"], ROOT)
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------
# executing one notebook


def normalise(nb_path: Path) -> None:
    """Strip what differs between runs (papermill's timestamps and durations)
    and hide papermill's injected cell from readers."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = tags + ["remove-cell"]
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
    nbformat.write(nb, nb_path)


def _kernel_env() -> None:
    # Same hash seed in every kernel, and silence the 3.11 frozen-modules
    # debugger warning that would otherwise land in stderr.
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("PYTHONPATH", str(ROOT))


def execute(nb_in: Path, nb_out: Path, params: dict | None) -> float:
    """Execute nb_in into nb_out (atomically). Raises BuildError."""
    import papermill as pm

    _kernel_env()
    start = time.perf_counter()
    fd, tmp = tempfile.mkstemp(suffix=".ipynb", dir=nb_out.parent)
    os.close(fd)
    try:
        pm.execute_notebook(
            str(nb_in),
            tmp,
            parameters=params or None,
            cwd=str(nb_in.parent),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
        )
    except Exception as exc:  # papermill wraps cell errors; report them plainly
        os.unlink(tmp)
        raise BuildError(describe_failure(nb_in.stem, exc)) from None
    normalise(Path(tmp))
    os.replace(tmp, nb_out)
    return time.perf_counter() - start


def describe_failure(chapter: str, exc: Exception) -> str:
    cell = getattr(exc, "exec_count", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    where = f"cell [{cell}]" if cell is not None else "before any cell ran"
    evalue = str(evalue).strip().splitlines()[-1] if str(evalue).strip() else ""
    return f"chapter '{chapter}', {where}: {ename}: {evalue}"


def _execute_job(args):
    nb_in, nb_out, params = args
    try:
        return nb_in.stem, execute(nb_in, nb_out, params), None
    except BuildError as exc:
        return nb_in.stem, None, str(exc)


def execute_all(jobs: list[tuple[Path, Path, dict | None]], workers: int = 2) -> None:
    """Run notebooks in parallel (one kernel per core); report progress."""
    if not jobs:
        return
    errors = []
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        for name, seconds, error in pool.map(_execute_job, jobs):
            if error:
                print(f"  ✗ {name}: {error}", flush=True)
                errors.append(error)
            else:
                print(f"  ✓ {name} executed in {seconds:.1f} s", flush=True)
    if errors:
        raise BuildError(errors[0] if len(errors) == 1 else "; ".join(errors))


# --------------------------------------------------------------------------
# validating data before anything runs


def validate_data(data_dir: Path) -> None:
    from sobook import data

    if not data_dir.is_dir():
        raise BuildError(f"data directory {data_dir} does not exist or is not a directory")
    try:
        data.load_all(data_dir)
    except data.DataError as exc:
        raise BuildError(str(exc)) from None


# --------------------------------------------------------------------------
# the HTML


def build_html(book_src: Path, out_html: Path, work: Path) -> None:
    """Strict Jupyter Book build of book_src, swapped into out_html on success."""
    work.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(book_src),
        "--path-output", str(work), "--builder", "html", "-W", "-n", "--keep-going",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(cmd, cwd=book_src, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        log = work / "build.log"
        log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
        lines = [l for l in (proc.stdout + proc.stderr).splitlines() if "WARNING" in l or "ERROR" in l]
        detail = lines[0] if lines else "see the log"
        raise BuildError(f"HTML build failed: {detail} (full log: {log})")
    swap_in(work / "_build" / "html", out_html)


def swap_in(new: Path, dest: Path) -> None:
    """Replace dest with a copy of new so that dest is never half-written."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=dest.parent))
    shutil.copytree(new, staging / "html")
    old = None
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=".outgoing-", dir=dest.parent))
        os.replace(dest, old / "html")
    os.replace(staging / "html", dest)
    shutil.rmtree(staging)
    if old:
        shutil.rmtree(old)


def book_hash(root: Path) -> str:
    h = hashlib.sha256()
    _hash_files(h, _files(BOOK_INPUTS + ["requirements.txt"], root), root)
    return h.hexdigest()


# --------------------------------------------------------------------------
# the main build


def build_main(workers: int = 2) -> Path:
    """`make book`: execute changed chapters in place, rebuild HTML if needed."""
    data_dir = ROOT / "data"
    stamps = ROOT / "_build" / ".stamps"
    stamps.mkdir(parents=True, exist_ok=True)
    jobs, hashes = [], {}
    for name in CHAPTERS + EXTRA_NOTEBOOKS:
        nb = ROOT / "chapters" / f"{name}.ipynb"
        digest = input_hash(nb, data_dir, {})
        stamp = stamps / f"{name}.sha256"
        if stamp.exists() and stamp.read_text() == digest:
            continue
        jobs.append((nb, nb, None))
        hashes[name] = digest
    out_html = ROOT / "_build" / "html"
    if jobs:
        validate_data(data_dir)
        print(f"Executing {len(jobs)} notebook(s) with papermill on {workers} cores:", flush=True)
        execute_all(jobs, workers)
        for name, digest in hashes.items():
            (stamps / f"{name}.sha256").write_text(digest)
    else:
        print("Notebooks: all up to date.", flush=True)
    html_stamp = stamps / "html.sha256"
    digest = book_hash(ROOT)
    if html_stamp.exists() and html_stamp.read_text() == digest and (out_html / "index.html").exists():
        print("HTML: up to date.", flush=True)
    else:
        print("Building the HTML book (strict)…", flush=True)
        start = time.perf_counter()
        build_html(ROOT, out_html, ROOT / "_build" / ".work")
        html_stamp.write_text(digest)
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
    return out_html


# --------------------------------------------------------------------------
# re-running chapters on another data directory


def _reduced_toc(names: list[str]) -> str:
    """A table of contents holding only the chapters asked for."""
    lines = ["format: jb-book", "root: index", "chapters:"]
    lines += [f"- file: chapters/{n}" for n in names]
    return "\n".join(lines) + "\n"


def run_on_data(chapters: list[str], data_dir: Path, out: Path, workers: int = 2) -> Path:
    """`sobook run`: a separate book from another data directory."""
    known = CHAPTERS + EXTRA_NOTEBOOKS
    unknown = [c for c in chapters if c not in known]
    if unknown:
        raise BuildError(f"unknown chapter {unknown[0]!r}; choose from: {', '.join(known)}")
    names = chapters or known
    data_dir = Path(data_dir).resolve()
    validate_data(data_dir)
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="sobook-run-") as tmp:
        src = Path(tmp) / "book"
        src.mkdir()
        for rel in ["_config.yml", "index.md", "pages", "chapters"]:
            p = ROOT / rel
            if p.is_dir():
                shutil.copytree(p, src / rel, ignore=shutil.ignore_patterns(*SKIP_DIRS))
            elif p.exists():
                shutil.copy2(p, src / rel)
        # The originals the {original} directive reads travel with the book.
        shutil.copytree(ROOT / "data" / "source", src / "data" / "source")
        (src / "_toc.yml").write_text(_reduced_toc(names) if chapters else (ROOT / "_toc.yml").read_text())
        params = {"data_dir": str(data_dir)}
        jobs = [(src / "chapters" / f"{n}.ipynb",) * 2 + (params,) for n in names]
        print(f"Executing {len(jobs)} notebook(s) on {data_dir}:", flush=True)
        execute_all(jobs, workers)
        print("Building the HTML book (strict)…", flush=True)
        build_html(src, out, Path(tmp) / "work")
    return out
