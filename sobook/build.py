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

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Reading order; also the only names `sobook run` accepts.
CHAPTERS = ["achievements", "trends", "opportunities", "challenges", "outlook"]
# Pages that are notebooks executed like chapters but not named on the command line.
EXTRA_NOTEBOOKS: list[str] = ["outlook-fared", "ledger"]
# What a book build reads besides the notebooks; a change here rebuilds the HTML.
BOOK_INPUTS = ["_config.yml", "_toc.yml", "index.md", "chapters", "pages", "sobook", "data"]
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}
# Notebooks whose text another notebook quotes: 'How the outlook fared' quotes
# the outlook's forecasts from the chapters, so it is re-run when they change.
READS = {"outlook-fared": ["trends", "opportunities", "outlook"]}
# Left in every book `sobook run` makes: an existing --out without it is not ours.
MARKER = ".sobook-run"
# Terminal colours in the output of the tools run here.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


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


def input_hash(nb_path: Path, data_dir: Path, params: dict, reads=()) -> str:
    h = hashlib.sha256()
    h.update(notebook_source(nb_path).encode())
    _hash_files(h, _files(["."], data_dir), data_dir)
    # A notebook's outputs depend on the package's Python, not on its static
    # CSS/JS (those only reach the HTML, which book_hash covers).
    code = [f for f in _files(["sobook"], ROOT) if f.suffix == ".py"]
    _hash_files(h, code + [ROOT / "requirements.txt"], ROOT)
    # ... and on the text of the notebooks it quotes (READS)
    for other in reads:
        h.update(notebook_source(Path(other)).encode())
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


def execute(nb_in: Path, nb_out: Path, params: dict | None, kernels: str | None = None) -> float:
    """Execute nb_in into nb_out (atomically). Raises BuildError. With
    `kernels` (a KernelServer's address) the kernel is forked from that warm
    server instead of started from scratch."""
    import papermill as pm

    _kernel_env()
    start = time.perf_counter()
    options = {}
    if kernels:
        from sobook.kernels import manager_class

        options["kernel_manager_class"] = manager_class(kernels)
    # Beside its target (so os.replace is atomic), hidden and git-ignored, and
    # removed whatever happens (an interrupted build leaves no litter).
    fd, tmp = tempfile.mkstemp(prefix=".executing-", suffix=".ipynb", dir=nb_out.parent)
    os.close(fd)
    try:
        for attempt in (1, 2):
            try:
                pm.execute_notebook(
                    str(nb_in),
                    tmp,
                    parameters=params or None,
                    cwd=str(nb_in.parent),
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    # Written once at the end, not at every cell's start and end:
                    # re-serialising a notebook full of chart specs 2 × cells times
                    # cost seconds of CPU per chapter, for progress nobody reads.
                    request_save_on_cell_execute=False,
                    **options,
                )
                break
            except Exception as exc:  # papermill wraps cell errors; report them plainly
                if attempt == 1 and kernel_start_race(exc):
                    continue
                raise BuildError(describe_failure(nb_in.stem, exc, nb_in)) from None
        normalise(Path(tmp))
        os.replace(tmp, nb_out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return time.perf_counter() - start


def kernel_start_race(exc: Exception) -> bool:
    """Trap: jupyter_client picks a free TCP port, closes it and lets the
    kernel bind it; two kernels started at the same moment by two workers can
    pick the same port ("Address already in use") and one dies before it
    replies. Nothing of the notebook ran, so one retry is safe."""
    text = str(exc)
    return "Kernel died before replying to kernel_info" in text or "Address already in use" in text


def describe_failure(chapter: str, exc: Exception, notebook: Path | None = None) -> str:
    """One line: the chapter, the cell (its number in the notebook and its
    first line of code) and the cause."""
    cell = getattr(exc, "exec_count", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = _ANSI.sub("", str(getattr(exc, "evalue", str(exc))))
    source = getattr(exc, "source", None)
    if source is not None:
        number = _cell_number(notebook, source) if notebook else None
        first = next((line.strip() for line in str(source).splitlines() if line.strip()), "")
        where = (f"cell {number}" if number else f"cell [{cell}]") + (f" ({first})" if first else "")
    elif cell is not None:
        where = f"cell [{cell}]"
    else:
        where = "before any cell ran"
    evalue = evalue.strip().splitlines()[-1] if evalue.strip() else ""
    return f"chapter '{chapter}', {where}: {ename}: {evalue}"


def _cell_number(notebook: Path, source: str) -> int | None:
    """The cell's position (1-based, counting every cell) in the notebook as
    written, i.e. without papermill's injected parameters."""
    try:
        nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cells = [c for c in nb["cells"] if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    for i, c in enumerate(cells, start=1):
        text = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        if text == source:
            return i
    return None


@contextlib.contextmanager
def _quiet_kernel_start():
    """The kernels inherit this process's stderr, and ipykernel warns on it at
    every start that it runs over TCP without encryption (on 127.0.0.1, as
    papermill starts it). Keep that line out of the progress output; pass
    anything else a kernel writes through."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            for line in tmp.read().decode("utf-8", errors="replace").splitlines():
                if "running over TCP without encryption" not in line:
                    print(line, file=sys.stderr)


def _execute_job(args, kernels=None):
    nb_in, nb_out, params = args
    try:
        with _quiet_kernel_start():
            seconds = execute(nb_in, nb_out, params, kernels)
        return nb_in.stem, seconds, None
    except BuildError as exc:
        return nb_in.stem, None, str(exc)
    except Exception as exc:  # noqa: BLE001 - reported as one line, like a cell's failure
        return nb_in.stem, None, describe_failure(nb_in.stem, exc)


def longest_first(jobs: list[tuple[Path, Path, dict | None]]) -> list[tuple[Path, Path, dict | None]]:
    """The slowest notebooks first, so that two workers finish together
    instead of one idling while the other runs a long chapter last. How long
    a notebook takes is estimated by the size of its committed version (its
    outputs are mostly chart specs, i.e. the work done), which needs no state
    from an earlier build and so holds for a clean build too."""

    def size(job):
        committed = ROOT / "chapters" / job[0].name
        return committed.stat().st_size if committed.exists() else 0

    return sorted(jobs, key=size, reverse=True)  # stable: equal sizes keep their order


def execute_all(jobs: list[tuple[Path, Path, dict | None]], workers: int = 2, kernels: str | None = None,
                on_done=None) -> None:
    """Run notebooks in parallel (one kernel per worker), printing a line as
    each one finishes. On the first failure the notebooks not yet started are
    cancelled; the error names the chapter, the cell and the cause. Kernels
    come from the warm server at `kernels` if given, else from one started
    here for these jobs. `on_done(path)` is called with each executed notebook."""
    if not jobs:
        return
    if kernels is None:
        from sobook.kernels import KernelServer

        _kernel_env()  # the server's environment is its kernels' environment
        with KernelServer() as server:
            return execute_all(jobs, workers, server.address, on_done)
    errors: list[str] = []
    total, done = len(jobs), 0
    with ProcessPoolExecutor(max_workers=min(workers, total)) as pool:
        futures = {pool.submit(_execute_job, job, kernels): job for job in longest_first(jobs)}
        for fut in as_completed(futures):
            if fut.cancelled():
                continue
            name, seconds, error = fut.result()
            done += 1
            if error:
                print(f"  [{done}/{total}] ✗ {name} failed", flush=True)
                errors.append(error)
                for other in futures:
                    other.cancel()
            else:
                print(f"  [{done}/{total}] ✓ {name} ({seconds:.1f} s)", flush=True)
                if on_done:
                    on_done(futures[fut][1])
    if errors:
        more = f" (and {len(errors) - 1} more chapter(s) failed)" if len(errors) > 1 else ""
        raise BuildError(errors[0] + more)


# --------------------------------------------------------------------------
# validating data before anything runs


def _check_data_dir(data_dir: Path) -> None:
    """The cheap part of validate_data (before `sobook run` starts any process)."""
    from sobook import data

    try:
        data.check_dir(data_dir)
    except data.DataError as exc:
        raise BuildError(str(exc)) from None


def validate_data(data_dir: Path) -> str:
    """Refuse a data directory that breaks any rule of sobook.data (the one
    validation path, which the chapters' setup() also runs): one BuildError
    naming the file, line, column and rule. Returns a summary."""
    from sobook import data

    try:
        return data.validate(data_dir)
    except data.DataError as exc:
        raise BuildError(str(exc)) from None


# --------------------------------------------------------------------------
# the HTML


def html_env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def build_html(book_src: Path, out_html: Path, work: Path, log: Path | None = None, marker: str | None = None,
               started=None, move: bool = False) -> None:
    """Strict Jupyter Book build of book_src, swapped into out_html on success.
    `started`: an HtmlBuild of book_src into work, started earlier (see
    sobook/htmlbuild.py); one is started here otherwise. `move`: the work
    folder is temporary, its HTML may be moved rather than copied."""
    from sobook.htmlbuild import HtmlBuild

    work.mkdir(parents=True, exist_ok=True)
    started = started or HtmlBuild(book_src, work, html_env())
    code, output = started.finish()
    if code != 0:
        log = log or work / "build.log"
        log.write_text(output, encoding="utf-8")
        text = _ANSI.sub("", output).replace(str(book_src) + os.sep, "")
        lines = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
        detail = lines[0].strip() if lines else "see the log"
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise BuildError(f"HTML build failed: {detail}{more} (full log: {log})")
    html_dir = work / "_build" / "html"
    if marker is not None:
        (html_dir / MARKER).write_text(marker, encoding="utf-8")
    swap_in(html_dir, out_html, move=move)


def swap_in(new: Path, dest: Path, move: bool = False) -> None:
    """Replace dest with a copy of new (or new itself, `move`: a temporary
    build's output, saving a copy and a deletion of some 600 files) so that
    dest is never half-written."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=dest.parent))
    if move:
        shutil.move(new, staging / "html")  # a rename on one file system
    else:
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
        digest = input_hash(nb, data_dir, {}, [ROOT / "chapters" / f"{r}.ipynb" for r in READS.get(name, [])])
        stamp = stamps / f"{name}.sha256"
        if stamp.exists() and stamp.read_text() == digest:
            continue
        jobs.append((nb, nb, None))
        hashes[name] = digest
    out_html = ROOT / "_build" / "html"
    work = ROOT / "_build" / ".work"
    html = None
    if jobs:
        from sobook.htmlbuild import HtmlBuild
        from sobook.kernels import KernelServer

        validate_data(data_dir)
        print(f"Executing {len(jobs)} notebook(s) with papermill on {workers} cores:", flush=True)
        _kernel_env()  # the kernel server's environment is its kernels'
        with KernelServer() as kernels:
            # Executed notebooks always change the book (they are among its
            # inputs): Sphinx starts now, and builds once they are done.
            html = HtmlBuild(ROOT, work, html_env())
            try:
                execute_all(jobs, workers, kernels.address, html.charts_from)
            except BaseException:
                html.abort()
                raise
        for name, digest in hashes.items():
            (stamps / f"{name}.sha256").write_text(digest)
    else:
        print("Notebooks: all up to date.", flush=True)
    html_stamp = stamps / "html.sha256"
    digest = book_hash(ROOT)
    if html_stamp.exists() and html_stamp.read_text() == digest and (out_html / "index.html").exists():
        if html:
            html.abort()
        print("HTML: up to date.", flush=True)
    else:
        print("Building the HTML book (strict)…", flush=True)
        start = time.perf_counter()
        build_html(ROOT, out_html, work, started=html)
        html_stamp.write_text(digest)
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
    return out_html


# --------------------------------------------------------------------------
# re-running chapters on another data directory


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
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise BuildError(
            f"--out {out}: exists and was not made by `sobook run`, so it is left alone; remove it or choose a "
            "new folder"
        )


def stage_book(dest: Path, names: list[str], data_dir: Path, partial: bool) -> Path:
    """A copy of the book's sources in `dest` to execute and build: the
    committed notebooks are never touched. A partial run (chapters named)
    gets a table of contents of those chapters, the glossary their terms link
    to and a front page that says what the book is."""
    dest.mkdir(parents=True)
    for rel in ["_config.yml", "index.md", "pages", "chapters"]:
        p = ROOT / rel
        if p.is_dir():
            shutil.copytree(p, dest / rel, ignore=shutil.ignore_patterns(*SKIP_DIRS))
        elif p.exists():
            shutil.copy2(p, dest / rel)
    # What the Sphinx extension reads at build time: the originals for the
    # {original} directive, the edition's descriptor for the schema tables,
    # and the favicon the config names.
    shutil.copytree(ROOT / "data" / "source", dest / "data" / "source")
    shutil.copy2(ROOT / "data" / "datapackage.json", dest / "data" / "datapackage.json")
    shutil.copytree(ROOT / "sobook" / "static", dest / "sobook" / "static")
    if not partial:
        shutil.copy2(ROOT / "_toc.yml", dest / "_toc.yml")
        return dest
    (dest / "_toc.yml").write_text(_reduced_toc(names), encoding="utf-8")
    titles = ", ".join(f"{{doc}}`chapters/{n}`" for n in names)
    (dest / "index.md").write_text(
        (ROOT / "index.md").read_text(encoding="utf-8").split("\n", 1)[0] + "\n\n"
        f"*Re-run on the data in `{data_dir}`: {titles}. The other chapters are not part of this book; "
        "links to them are left as plain text.*\n",
        encoding="utf-8",
    )
    # Links into the chapters left out cannot resolve in a partial book.
    cfg = dest / "_config.yml"
    cfg.write_text(
        re.sub(r"suppress_warnings:\s*\[", 'suppress_warnings: ["ref.doc", "ref.ref", "myst.xref_missing", ',
               cfg.read_text(encoding="utf-8"), count=1),
        encoding="utf-8",
    )
    return dest



def _reduced_toc(names: list[str]) -> str:
    """A table of contents holding only the chapters asked for (and the
    glossary their terms link to)."""
    lines = ["format: jb-book", "root: index", "chapters:"]
    lines += [f"- file: chapters/{n}" for n in names]
    lines += ["- file: pages/glossary"]
    return "\n".join(lines) + "\n"


def run_on_data(chapters: list[str], data_dir: Path, out: Path, workers: int = 2) -> Path:
    """`sobook run`: a separate book from another data directory.

    Validates the data first, executes the chapters (all of them and the extra
    pages when none is named) on a copy of the book in a temporary folder, builds
    the HTML there strictly and only then swaps it into `out`: on any failure
    `out` stays exactly as it was."""
    known = CHAPTERS + EXTRA_NOTEBOOKS
    unknown = [c for c in chapters if c not in known]
    if unknown:
        raise BuildError(f"unknown chapter {unknown[0]!r}; choose from: {', '.join(known)}")
    names = list(dict.fromkeys(chapters)) or known
    data_dir = Path(data_dir).expanduser().resolve()
    out = Path(out).expanduser().resolve()
    from sobook.htmlbuild import HtmlBuild
    from sobook.kernels import KernelServer

    _kernel_env()  # the kernel server's environment is its kernels'
    # Started first, the kernel server and Sphinx (on a staged copy of the
    # book, which needs nothing of the data) import and initialise while the
    # data are checked; a refusal stops them.
    kernels = KernelServer()
    tmp_dir = tempfile.TemporaryDirectory(prefix="sobook-run-")
    tmp = tmp_dir.name
    html = None
    try:
        _check_data_dir(data_dir)  # the cheap refusals (validate_data's first) before Sphinx starts
        src = stage_book(Path(tmp) / "book", names, data_dir, partial=bool(chapters))
        html = HtmlBuild(src, Path(tmp) / "work", html_env())
        summary = validate_data(data_dir)
        check_out(out, data_dir)
        print(f"Data: {data_dir} is valid ({summary}).", flush=True)
        start = time.perf_counter()
        params = {"data_dir": str(data_dir)}
        jobs = [(src / "chapters" / f"{n}.ipynb",) * 2 + (params,) for n in names]
        print(f"Executing {len(jobs)} notebook(s) with papermill, {min(workers, len(jobs))} at a time:", flush=True)
        execute_all(jobs, workers, kernels.address, html.charts_from)
    except BaseException:
        if html:
            html.abort()
        tmp_dir.cleanup()
        raise
    finally:
        kernels.close()
    with tmp_dir:
        print("Building the HTML book (strict)…", flush=True)
        fd, log = tempfile.mkstemp(prefix="sobook-run-", suffix=".log")
        os.close(fd)
        marker = json.dumps({"made_by": "python -m sobook run", "data_dir": str(data_dir), "chapters": names})
        try:
            build_html(src, out, Path(tmp) / "work", log=Path(log), marker=marker + "\n", started=html, move=True)
        except OSError as exc:
            raise BuildError(f"cannot write {out}: {exc.strerror or exc}") from None
        finally:
            if os.path.getsize(log) == 0:
                os.unlink(log)
    print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
    return out
