"""Executing notebooks with papermill: one kernel each, two at a time.

Each notebook is executed into a file of the caller's choosing (never over
the committed notebook: the caller replaces those only when every notebook
has succeeded), normalised so that two runs on the same inputs write the same
bytes, and a failure is reported in one line naming the chapter, the cell and
the cause.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from sobook.pipeline import procs
from sobook.paths import ROOT


class BuildError(Exception):
    """One message for a person: what failed, where, and why."""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


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


def kernel_env() -> None:
    # Same hash seed in every kernel, and silence the 3.11 frozen-modules
    # debugger warning that would otherwise land in stderr.
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("PYTHONPATH", str(ROOT))


def execute(nb_in: Path, nb_out: Path, params: dict | None, kernels: str | None = None) -> float:
    """Execute nb_in into nb_out (atomically), in nb_in's folder. Raises
    BuildError. With `kernels` (a KernelServer's address) the kernel is forked
    from that warm server instead of started from scratch."""
    import papermill as pm

    kernel_env()
    start = time.perf_counter()
    options = {}
    if kernels:
        from sobook.pipeline.kernels import manager_class

        options["kernel_manager_class"] = manager_class(kernels)
    # Beside its target (so os.replace is atomic), hidden, and removed
    # whatever happens.
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
                    # re-serialising a notebook full of charts 2 × cells times
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
    outputs are mostly charts, i.e. the work done), which needs no state
    from an earlier build and so holds for a clean build too."""

    def size(job):
        committed = ROOT / "chapters" / job[0].name
        return committed.stat().st_size if committed.exists() else 0

    return sorted(jobs, key=size, reverse=True)  # stable: equal sizes keep their order


def _kill_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now, its running notebooks included (Python 3.11 has no
    public way: its worker processes are in a private mapping)."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            proc.kill()
        except (OSError, ValueError):
            pass
    pool.shutdown(wait=True, cancel_futures=True)


def execute_all(jobs: list[tuple[Path, Path, dict | None]], workers: int = 2, kernels: str | None = None,
                tmp: Path | None = None) -> None:
    """Run notebooks in parallel (one kernel per worker), printing a line as
    each one finishes. On the first failure the notebooks not yet started are
    cancelled; the error names the chapter, the cell and the cause. Kernels
    come from the warm server at `kernels` if given, else from one started
    here for these jobs. `tmp`: where the workers keep their temporary files
    (the build's workspace)."""
    if not jobs:
        return
    if workers < 1:
        raise BuildError(f"--jobs {workers}: at least one notebook must run at a time")
    if kernels is None:
        from sobook.pipeline.kernels import KernelServer

        kernel_env()  # the server's environment is its kernels' environment
        with KernelServer() as server:
            return execute_all(jobs, workers, server.address, tmp)
    errors: list[str] = []
    total, done = len(jobs), 0
    pool = ProcessPoolExecutor(max_workers=min(workers, total), initializer=procs.worker_init,
                               initargs=(str(tmp) if tmp else None,))
    try:
        futures = {pool.submit(_execute_job, job, kernels): job for job in longest_first(jobs)}
        for fut in as_completed(futures):
            if fut.cancelled():
                continue
            try:
                name, seconds, error = fut.result()
            except BrokenProcessPool:
                name, seconds = futures[fut][0].stem, None
                error = (f"chapter '{name}': the process executing it died (killed from outside, or out of "
                         "memory); nothing was replaced")
            done += 1
            if error:
                print(f"  [{done}/{total}] ✗ {name} failed", flush=True)
                errors.append(error)
                for other in futures:
                    other.cancel()
                if "died" in error:
                    break
            else:
                print(f"  [{done}/{total}] ✓ {name} ({seconds:.1f} s)", flush=True)
    except BaseException:
        _kill_pool(pool)
        raise
    _kill_pool(pool) if errors else pool.shutdown(wait=True)
    if errors:
        more = f" (and {len(errors) - 1} more chapter(s) failed)" if len(errors) > 1 else ""
        raise BuildError(errors[0] + more)
