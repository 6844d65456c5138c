"""Every place the tool cannot write, read or find gets one line and a
non-zero exit, never a traceback, and nothing is left behind: an output
folder under an immutable parent, a disk that fills up, a checkout that
cannot be written, a chapter's notebook that is gone. (The data
directory's own cases are tests/test_faults.py's table.)"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, copy_repository

PY = sys.executable
root_only = pytest.mark.skipif(os.geteuid() != 0, reason="chattr and mount need root (as CI runs)")


def sobook(*args, cwd=ROOT, repo=ROOT):
    return subprocess.run([PY, "-m", "sobook", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=dict(os.environ, PYTHONPATH=str(repo)))


def one_line(proc) -> str:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return lines[0]


@contextlib.contextmanager
def immutable(folder: Path):
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@root_only
@pytest.mark.slow  # a whole run, refused at the end
def test_an_output_under_an_immutable_folder(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    with immutable(parent):
        line = one_line(sobook("run", "challenges", "--data-dir", ROOT / "data", "--out", parent / "out"))
    assert line.startswith(f"error: cannot use {parent / 'out'}") or "Operation not permitted" in line, line
    assert not (parent / "out").exists()


@root_only
@pytest.mark.slow  # a whole run, refused at the end
def test_an_output_on_a_full_disk(tmp_path):
    """One line with the first error and how many more, the earlier book
    kept, nothing left on the disk."""
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], check=True)
    try:
        line = one_line(sobook("run", "challenges", "--data-dir", ROOT / "data", "--out", disk / "out"))
        assert "No space left on device" in line and len(line) < 400, line
        assert not (disk / "out").exists() and not [p for p in disk.iterdir()]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


@root_only
def test_a_checkout_that_cannot_be_written(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    with immutable(repo):
        line = one_line(sobook("build", cwd=repo, repo=repo))
    assert str(repo / "_build") in line, line


def test_a_chapter_whose_notebook_is_gone(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    (repo / "chapters" / "trends.ipynb").unlink()
    message = "error: chapters/trends.ipynb: the chapter's notebook is missing (restore it with git checkout)"
    assert one_line(sobook("build", cwd=repo, repo=repo)) == message
    assert one_line(sobook("run", "trends", "--data-dir", repo / "data", "--out", tmp_path / "out",
                           cwd=repo, repo=repo)) == message
    assert not (tmp_path / "out").exists()


def test_a_copy_that_fails_on_many_files_says_the_first_and_how_many():
    from sobook.__main__ import cannot

    errors = [(f"/b/f{i}", f"/o/f{i}", f"[Errno 28] No space left on device: '/o/f{i}'") for i in range(157)]
    assert cannot(shutil.Error(errors)) == "cannot copy /b/f0 to /o/f0: [Errno 28] No space left on device (and 156 more)"
    assert cannot(PermissionError(13, "Permission denied", "/x/.lock")) == "cannot use /x/.lock: Permission denied"
    assert cannot(RecursionError("maximum recursion depth exceeded")).startswith("a structure nested too deeply")


def test_system_packages_are_looked_for_where_the_build_uses_them():
    """tools/system-deps checks for Chromium at the path the PDF and the
    browser tests launch (not on PATH, which may lack it while it is there)."""
    from sobook.paths import CHROMIUM

    assert f"[ -x {CHROMIUM} ]" in (ROOT / "tools" / "system-deps").read_text(encoding="utf-8")


def test_an_older_python_is_refused_in_one_line(tmp_path):
    """The pins need Python 3.11.5 or newer: `make book` with an older one
    says so in one line before making anything."""
    fake = tmp_path / "python3.10"
    fake.write_text('#!/bin/sh\ncase "$1" in -V) echo "Python 3.10.12";; *) exit 1;; esac\n')
    fake.chmod(0o755)
    repo = copy_repository(tmp_path / "repo")
    (repo / ".venv").unlink()
    proc = subprocess.run(["make", "-s", f"PYTHON={fake}", ".venv/.ready"], cwd=repo, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode != 0 and not (repo / ".venv").exists()
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: the pins need Python 3.11.5 or newer; {fake} is Python 3.10.12 "
                      "(make book PYTHON=python3.x)"], proc.stderr
