"""The Makefile's targets, as make would run them (`make -n`, nothing run)."""

from __future__ import annotations

import os
import subprocess

from support import ROOT


def dry_run(*targets: str) -> str:
    return subprocess.run(["make", "-n", *targets], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_lab_runs_as_root_and_as_a_user():
    """Jupyter refuses root without --allow-root; a user is not given it."""
    command = next(line for line in dry_run("lab").splitlines() if "jupyter lab" in line)
    assert ("--allow-root" in command) == (os.geteuid() == 0), command
    assert command.endswith("chapters/")
    lab = (ROOT / "requirements-lab.txt").read_text(encoding="utf-8")
    assert "jupyterlab_myst==" in lab.lower().replace("-", "_")


def test_check_runs_the_first_tier_and_test_everything():
    check = dry_run("check")
    assert '-m "not book and not browser and not slow" tests' in check
    test = [line for line in dry_run("test").splitlines() if "pytest" in line]
    assert test and not [line for line in test if ' -m "' in line], test  # every tier
    assert any(line.endswith(" tests") for line in test) and any("chapters --nbval" in line for line in test), test
