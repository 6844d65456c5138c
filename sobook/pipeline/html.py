"""The HTML book: Jupyter Book's own command, strict, into a work folder;
then swapped into place in one step.

    jupyter-book build SRC --path-output WORK --config WORK/_config.yml --toc SRC/_toc.yml \\
        --builder html -W -n --keep-going

The configuration is the book's ``_config.yml`` with the pipeline's
settings merged into its ``sphinx.config`` (:func:`write_config`): the data
directory the generated pages describe, whether a PDF edition comes with
the book, what a re-run is built from.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from sobook.paths import ROOT
from sobook.pipeline import procs
from sobook.pipeline.execute import BuildError

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Left in every book `sobook run` makes: an existing --out without it is not ours.
MARKER = ".sobook-run"
# The PDF takes seconds. A Chromium that stops answering (Playwright's
# page.pdf has no time limit of its own) is stopped after this many.
PDF_TIMEOUT = float(os.environ.get("SOBOOK_PDF_TIMEOUT", 300))


def write_config(src: Path, target: Path, settings: dict) -> Path:
    """The book's configuration with `settings` merged into sphinx.config."""
    config = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("sphinx", {}).setdefault("config", {}).update(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def build(src: Path, work: Path, settings: dict, log: Path) -> Path:
    """Build the book in `src` strictly into `work`; its HTML folder, or a
    BuildError with the first problem Sphinx or Jupyter Book reported."""
    config = write_config(src, work / "_config.yml", settings)
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(src), "--path-output", str(work),
           "--config", str(config), "--toc", str(src / "_toc.yml"), "--builder", "html", "-W", "-n",
           "--keep-going", "-q"]
    proc = procs.start(cmd, log, cwd=src, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        code = proc.wait()
    finally:
        procs.stop(proc)
    if code != 0:
        raise BuildError(f"HTML build failed: {first_problem(log, src)} (full log: {log})")
    return work / "_build" / "html"


def first_problem(log: Path, src: Path) -> str:
    """What a person needs of a failed build's log: its first warning or
    error, without the colours and the book's own path, and how many more."""
    text = _ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")).replace(str(src) + os.sep, "")
    lines = [line.strip() for line in text.splitlines()]
    found = [line for line in lines if "WARNING" in line or "ERROR" in line]
    if not found:  # an exception: its own line (not Jupyter Book's box around it)
        found = [line for line in lines if re.match(r"[\w.]+(Error|Exception): ", line)
                 and not line.startswith("RuntimeError: ")][:1]
    if not found:  # Jupyter Book's own refusals (a malformed _toc.yml, a missing file) end its output
        found = ([line for line in lines if re.search(r"\b(Error|error)\b", line)] or [line for line in lines if line])[-1:]
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return (found[0][:300] if found else "no output") + more


def make_pdf(book: Path) -> None:
    """The PDF edition of the built book (`python -m sobook pdf`), in a
    process of its own with a time limit: a Chromium that stops answering
    must not hold the build for ever."""
    print("Making the PDF edition…", flush=True)
    with procs.workspace("pdf") as ws:
        proc = procs.start([sys.executable, "-m", "sobook", "pdf", str(book)], ws / "pdf.log",
                           env=dict(os.environ, TMPDIR=str(ws)))
        try:
            code = proc.wait(timeout=PDF_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise BuildError(f"the PDF edition could not be made: Chromium had not printed it after "
                             f"{PDF_TIMEOUT:g} s; stopped") from None
        finally:
            procs.stop(proc)
        output = (ws / "pdf.log").read_text(encoding="utf-8", errors="replace").strip()
    if code != 0:
        raise BuildError(f"the PDF edition could not be made: {output.splitlines()[-1] if output else code}")
    print(f"  {output}", flush=True)


def swap_in(new: Path, dest: Path, move: bool = False) -> None:
    """Replace dest with a copy of new (or new itself, `move`, for a work
    folder that is not kept) in one step: readers
    of dest see the old book or the new one, never a half-written one or none
    (an atomic exchange where the system has one)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=dest.parent))
    try:
        if move:
            shutil.move(new, staging / "html")
        else:
            shutil.copytree(new, staging / "html")
        if dest.exists() and procs.exchange(staging / "html", dest):
            return  # the old book is now in staging, removed below
        if dest.exists():
            os.replace(dest, staging / "old")
        os.replace(staging / "html", dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
