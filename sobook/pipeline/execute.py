"""Executing notebooks: papermill's own command, one process (and kernel)
per notebook, two at a time.

Each notebook is executed into a file of the caller's choosing (never over
the committed notebook: the caller replaces those only when every notebook
has succeeded), normalised so that two runs on the same inputs write the same
bytes, and a failure is reported in one line naming the chapter, the cell and
the cause, read from the notebook papermill wrote.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sobook.paths import ROOT
from sobook.pipeline import procs


class BuildError(Exception):
    """One message for a person: what failed, where, and why."""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Job:
    notebook: Path          # the notebook to execute
    output: Path            # where the executed notebook goes
    data_dir: Path | None = None  # papermill's -p data_dir, when not the notebook's own

    @property
    def name(self) -> str:
        return self.notebook.stem


# The notebooks' kernel and language as committed, whatever kernel ran them
# (JupyterLab names its own, "Python 3 (ipykernel)"; a Python version differs
# from machine to machine).
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                 "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                 "pygments_lexer": "ipython3"}


def normalise(nb_path: Path) -> bool:
    """The notebook in its committed form: nbformat's own layout, the
    kernel and language as committed, without what differs between runs
    (papermill's timestamps and durations), papermill's injected cell hidden
    from readers. Whether the file changed."""
    import nbformat

    before = nb_path.read_bytes()
    nb = nbformat.reads(before.decode("utf-8"), as_version=4)
    nb.metadata.pop("papermill", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = tags + ["remove-cell"]
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
    after = (nbformat.writes(nb) + "\n").encode("utf-8")
    if after != before:
        nb_path.write_bytes(after)
    return after != before


def kernel_env(tmp: Path | None = None) -> dict:
    """The environment of papermill and its kernel: the same hash seed in
    every kernel, the repository importable, no debugger warning on stderr,
    temporary files (the kernel's connection file) in the build's workspace."""
    env = dict(os.environ, PYTHONHASHSEED="0", PYDEVD_DISABLE_FILE_VALIDATION="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return env


def papermill_command(job: Job, output: Path) -> list[str]:
    cmd = [sys.executable, "-m", "papermill", str(job.notebook), str(output), "--cwd", str(job.notebook.parent),
           "-k", "python3", "--no-progress-bar", "--no-request-save-on-cell-execute", "--log-level", "ERROR"]
    if job.data_dir is not None:
        cmd += ["-r", "data_dir", str(job.data_dir)]
    return cmd


def describe_failure(job: Job, executed: Path, log: Path, returncode: int) -> str:
    """One line: the chapter, the cell (its number in the notebook as written
    and its first line of code) and the cause, from the notebook papermill
    wrote; or why the process ended without one."""
    where = f"chapter '{job.name}'"
    try:
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        cells = []
    for cell in cells:
        error = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
        if error is None:
            continue
        source = "".join(cell.get("source", []))
        number = _cell_number(job.notebook, source)
        first = next((line.strip() for line in source.splitlines() if line.strip()), "")
        evalue = _ANSI.sub("", str(error.get("evalue", ""))).strip()
        evalue = evalue.splitlines()[-1] if evalue else ""
        cell_name = f"cell {number}" if number else "a cell"
        return f"{where}, {cell_name} ({first}): {error.get('ename', 'Error')}: {evalue}"
    if returncode < 0 or "DeadKernelError" in _tail(log):
        return f"{where}: the process executing it died (killed from outside, or out of memory); nothing was replaced"
    return f"{where}, before any cell ran: {_tail(log) or f'papermill exited with {returncode}'}"


def _tail(log: Path) -> str:
    """The last line of a log that says something."""
    try:
        lines = [line.strip() for line in _ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")).splitlines()]
    except OSError:
        return ""
    return next((line for line in reversed(lines) if line), "")[:300]


def _cell_number(notebook: Path, source: str) -> int | None:
    """The cell's position (1-based, counting every cell) in the notebook as
    written, i.e. without papermill's injected parameters."""
    try:
        nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cells = [c for c in nb["cells"] if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    for i, c in enumerate(cells, start=1):
        if "".join(c["source"]) == source:
            return i
    return None


def kernel_start_race(log: Path) -> bool:
    """Trap: jupyter_client picks a free TCP port, closes it and lets the
    kernel bind it; two kernels started at the same moment can pick the same
    port, and one dies before it replies. Nothing of the notebook ran, so one
    retry is safe."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "Kernel died before replying to kernel_info" in text or "Address already in use" in text


def longest_first(jobs: list[Job]) -> list[Job]:
    """The slowest notebooks first, so that two workers finish together. How
    long a notebook takes is estimated by the size of its committed version
    (its outputs are mostly charts, i.e. the work done)."""
    def size(job):
        committed = ROOT / "chapters" / job.notebook.name
        return committed.stat().st_size if committed.exists() else 0

    return sorted(jobs, key=size, reverse=True)


def execute_all(jobs: list[Job], workers: int, tmp: Path) -> None:
    """Run the notebooks, `workers` at a time, printing a line as each one
    finishes. On the first failure the others are stopped; the error names
    the chapter, the cell and the cause. `tmp`: the run's workspace."""
    if workers < 1:
        raise BuildError(f"--jobs {workers}: at least one notebook must run at a time")
    waiting, running, done, retried = longest_first(jobs), {}, 0, set()
    env = kernel_env(tmp)
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                job = waiting.pop(0)
                executed, log = tmp / f"{job.name}.ipynb", tmp / f"{job.name}.log"
                proc = procs.start(papermill_command(job, executed), log, env=env)
                running[proc] = (job, executed, log, time.perf_counter())
            finished = [p for p in running if p.poll() is not None]
            if not finished:
                time.sleep(0.05)
                continue
            for proc in finished:
                job, executed, log, started = running.pop(proc)
                done += 1
                if proc.returncode != 0 and job.name not in retried and kernel_start_race(log):
                    retried.add(job.name)
                    waiting.insert(0, job)
                    done -= 1
                    continue
                if proc.returncode != 0:
                    print(f"  [{done}/{len(jobs)}] ✗ {job.name} failed", flush=True)
                    raise BuildError(describe_failure(job, executed, log, proc.returncode))
                normalise(executed)
                shutil.move(executed, job.output)
                print(f"  [{done}/{len(jobs)}] ✓ {job.name} ({time.perf_counter() - started:.1f} s)", flush=True)
    finally:
        for proc in running:
            procs.stop(proc)
