"""Nothing left running, nothing half-written: SIGINT, SIGTERM, SIGHUP or
SIGKILL to the main process of `make book`, `python -m sobook build` or
`python -m sobook run`, at several points of a build, ends every process it
started within seconds, leaves the committed notebooks byte-identical and
the last good book in place, prints one line (a Ctrl-C in the terminal,
which reaches the whole foreground process group, included), and leaves no
temporary folder (after SIGKILL: none once the next run has started).

Each case builds a copy of the repository (the venv shared by a link), so
that the repository's own notebooks and _build are never at stake; the copy
knows the main build's stamps but two, so that it executes two quick
chapters and builds the rest of the book from nothing. Every process of a
case is found by a marker in its environment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from support import copy_repository
from support import tree_digest as _digest

pytestmark = pytest.mark.slow

PY = sys.executable
# Executed in each case (their stamps dropped): two quick chapters.
EXECUTED = ("challenges", "outlook")


def _copy(dest: Path) -> Path:
    repo = copy_repository(dest, with_stamps=True)
    for name in EXECUTED:
        (repo / "_build" / ".stamps" / f"{name}.json").unlink(missing_ok=True)
    return repo


def _marked(mark: str) -> list[str]:
    """Processes whose environment carries the case's marker."""
    found = []
    for env in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"SOBOOK_TEST_MARK={mark}".encode() in env.read_bytes():
                pid = env.parent.name
                cmd = (env.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120]
                found.append(f"{pid} {cmd}")
        except OSError:
            pass
    return found


def _short_tmp() -> set[str]:
    """The abandoned workspaces in /tmp (those holding sockets go there when
    TMPDIR's path is too long for one, as a test's is: procs.short_tmp):
    those whose lock no living process holds. The workspaces of other runs
    going on meanwhile (another test worker's) are locked."""
    held = {line.split()[5].rsplit(":", 1)[1] for line in Path("/proc/locks").read_text().splitlines()
            if len(line.split()) > 5 and line.split()[1] == "FLOCK"}
    return {p.name for p in Path("/tmp").glob("sobook-*")
            if (p / ".lock").exists() and str((p / ".lock").stat().st_ino) not in held}


class Case:
    def __init__(self, tmp_path: Path, command: list[str]):
        assert len(str(tmp_path)) > 40  # the deep TMPDIR case: sockets' workspaces in /tmp
        self.short_before = _short_tmp()
        self.repo = _copy(tmp_path / "repo")
        self.tmp = tmp_path / "tmp"
        self.tmp.mkdir()
        self.out = tmp_path / "out"
        self.mark = uuid.uuid4().hex
        self.command = [a.replace("OUT", str(self.out)) for a in command]
        self.notebooks = _digest(self.repo / "chapters")
        self.env = dict(os.environ, PYTHONPATH=str(self.repo), TMPDIR=str(self.tmp), SOBOOK_TEST_MARK=self.mark)
        self.env.pop("SOBOOK_DIE_WITH_PARENT", None)

    def start(self, own_group: bool = False):
        self.proc = subprocess.Popen(self.command, cwd=self.repo, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=own_group)
        return self

    def wait_for(self, text: bytes, timeout: float = 240) -> None:
        """Read the progress until `text` appears."""
        seen = b""
        deadline = time.monotonic() + timeout
        while text not in seen:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"ended before {text!r}: {seen.decode()} {self.proc.stderr.read().decode()}")
            seen += line
            assert time.monotonic() < deadline, f"no {text!r} within {timeout} s"

    def signal(self, sig: int, group: bool = False) -> tuple[int, str, float]:
        start = time.monotonic()
        if group:
            os.killpg(self.proc.pid, sig)  # as a terminal's Ctrl-C: the whole foreground group
        else:
            os.kill(self.proc.pid, sig)
        _, err = self.proc.communicate(timeout=60)
        return self.proc.returncode, err.decode(), time.monotonic() - start

    def leftovers(self, settle: float = 5.0) -> list[str]:
        deadline = time.monotonic() + settle
        while _marked(self.mark) and time.monotonic() < deadline:
            time.sleep(0.2)
        return _marked(self.mark)

    def litter(self) -> list[str]:
        """What the case left in its temporary folder (but the --out locks'
        folder, which stays as the system's own lock files do)."""
        return sorted(p.name for p in self.tmp.iterdir() if p.name != ".sobook-locks")

    def new_workspaces(self) -> set[str]:
        return _short_tmp() - self.short_before


BUILD = [PY, "-m", "sobook", "build"]
RUN = [PY, "-m", "sobook", "run", "--data-dir", "data", "--out", "OUT"]
MAKE = ["make", "-o", ".venv/.ready", "book"]

# (command, the progress line after which the signal is sent, extra wait)
POINTS = {
    "while_starting": (b"Executing", 0.2),
    "while_executing": (b"Executing", 3.0),
    "while_building_html": (b"Building the HTML book", 0.3),
    "while_making_the_pdf": (b"Making the PDF edition", 1.0),
}


@pytest.mark.parametrize("command, sig", [(BUILD, signal.SIGINT), (RUN, signal.SIGHUP)], ids=["build-SIGINT", "run-SIGHUP"])
def test_a_caught_signal_stops_everything_and_says_one_line(tmp_path, command, sig):
    case = Case(tmp_path, command).start()
    case.wait_for(*POINTS["while_executing"][:1])
    time.sleep(POINTS["while_executing"][1])
    code, err, took = case.signal(sig)
    assert code == 128 + sig, err
    assert err.strip().splitlines() == [f"error: interrupted ({sig.name}); nothing was half-written"], err
    assert took < 10
    assert case.leftovers() == []
    assert _digest(case.repo / "chapters") == case.notebooks
    assert not (case.repo / "_build" / "html").exists() and not case.out.exists()
    assert case.litter() == []
    assert not case.new_workspaces()
    assert not list((case.repo / "_build").glob("sobook-*"))


@pytest.mark.parametrize("point", list(POINTS))
def test_sigterm_at_each_point_of_a_build(tmp_path, point):
    case = Case(tmp_path, BUILD).start()
    text, extra = POINTS[point]
    case.wait_for(text)
    time.sleep(extra)
    code, err, _ = case.signal(signal.SIGTERM)
    assert code == 128 + signal.SIGTERM and err.count("\n") == 1, err
    assert case.leftovers() == []
    # Interrupted before the notebooks were all done, none was replaced;
    # after, they are a complete execution's, which equals the committed one.
    assert _digest(case.repo / "chapters") == case.notebooks
    assert not (case.repo / "_build" / "html").exists()
    assert case.litter() == []
    assert not case.new_workspaces()


@pytest.mark.parametrize("command", [RUN, MAKE], ids=["run", "make"])
def test_sigkill_leaves_no_process_and_the_next_start_clears_up(tmp_path, command):
    case = Case(tmp_path, command).start()
    case.wait_for(b"Executing")
    time.sleep(3)
    code, _, _ = case.signal(signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert case.leftovers() == [], "processes outlived a SIGKILLed build"
    assert _digest(case.repo / "chapters") == case.notebooks
    # The next start removes what the killed run could not.
    again = subprocess.run([PY, "-m", "sobook", "run", "nope", "--data-dir", "data", "--out", str(case.out)],
                           cwd=case.repo, env=case.env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "unknown chapter" in again.stderr
    assert not [p for p in case.tmp.iterdir() if p.name.startswith("sobook-")], list(case.tmp.iterdir())
    assert not case.new_workspaces()
    assert not list((case.repo / "_build").glob("sobook-*"))


def test_ctrl_c_in_a_terminal_prints_one_line(tmp_path):
    """A terminal's Ctrl-C reaches every process of the foreground group:
    the build's children run in sessions of their own, so only the build
    answers, with one line, and no worker prints a traceback."""
    case = Case(tmp_path, BUILD).start(own_group=True)
    case.wait_for(b"Executing")
    time.sleep(3)
    code, err, _ = case.signal(signal.SIGINT, group=True)
    assert code == 130
    assert err.strip().splitlines() == ["error: interrupted (SIGINT); nothing was half-written"], err
    assert case.leftovers() == []


def test_make_forwards_any_signal_to_the_build(tmp_path):
    """make forwards only SIGTERM; the build also stops when make dies of
    anything else (SIGHUP here), since it dies with its parent."""
    case = Case(tmp_path, MAKE).start()  # the Makefile exports SOBOOK_DIE_WITH_PARENT=1
    case.wait_for(b"Executing")
    time.sleep(2)
    case.signal(signal.SIGHUP)
    assert case.leftovers() == []
    assert _digest(case.repo / "chapters") == case.notebooks


def test_stop_ends_descendants_in_sessions_of_their_own():
    """Playwright starts Chromium in a session of its own: stopping the
    PDF's process must end it too (it would write on into the workspace
    being removed)."""
    from sobook.pipeline import procs

    code = ("import subprocess, sys, time; "
            "p = subprocess.Popen(['sleep', '300'], start_new_session=True); "
            "print(p.pid, flush=True); time.sleep(300)")
    proc = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, start_new_session=True)
    grandchild = int(proc.stdout.readline())
    procs.stop(proc)
    assert proc.poll() is not None
    state = Path(f"/proc/{grandchild}/stat")
    assert not state.exists() or state.read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_stop_ends_processes_started_while_it_stops(tmp_path):
    """Chromium starts processes of its own while it launches, in its own
    session: a signal at that moment finds a tree still growing. Here a
    process in a session of its own starts another every few milliseconds;
    stopping the tree's root must leave none of them (the earlier stop,
    which listed the tree and then killed it, left some two runs in three)."""
    from sobook.pipeline import procs

    mark = uuid.uuid4().hex
    spawner = ("import subprocess, sys, time\n"
               "while True:\n"
               "    subprocess.Popen(['sleep', '300'])\n"
               "    time.sleep(0.003)\n")
    code = (f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {spawner!r}], "
            "start_new_session=True); print('ok', flush=True); time.sleep(300)")
    proc = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, start_new_session=True,
                            env=dict(os.environ, SOBOOK_TEST_MARK=mark))
    proc.stdout.readline()
    time.sleep(0.5)  # a few hundred running, more on the way
    assert len(_marked(mark)) > 20
    procs.stop(proc)
    deadline = time.monotonic() + 5
    while _marked(mark) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _marked(mark) == []


def test_sockets_workspaces_go_where_a_socket_path_fits(monkeypatch, tmp_path):
    from sobook.pipeline import procs

    deep = tmp_path / ("d" * 60)
    deep.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(deep))
    assert procs.short_tmp() == Path("/tmp")
    monkeypatch.setattr("tempfile.tempdir", "/var/tmp")
    assert procs.short_tmp() == Path("/var/tmp")


TRIALS = int(os.environ.get("SOBOOK_STRESS_TRIALS", "3"))  # README: 20 under load, by hand


@pytest.mark.parametrize("trial", range(TRIALS))
def test_ctrl_c_at_any_moment_prints_one_line(tmp_path, trial):
    """A terminal's Ctrl-C to the whole group, at a different moment of the
    notebooks' execution each trial: one line, nothing left running."""
    case = Case(tmp_path, BUILD).start(own_group=True)
    case.wait_for(b"Executing")
    time.sleep(0.3 + 0.7 * trial)
    code, err, _ = case.signal(signal.SIGINT, group=True)
    assert err.strip().splitlines() == ["error: interrupted (SIGINT); nothing was half-written"], err
    assert code == 130 and case.leftovers() == []


@pytest.mark.parametrize("trial", range(TRIALS))
def test_a_killed_notebook_process_is_one_line(tmp_path, trial):
    """A notebook's process killed from outside (out of memory, a user's
    kill), at a different moment each trial: the build names the chapter in
    one line and stops the rest."""
    import psutil

    case = Case(tmp_path, BUILD).start(own_group=True)
    case.wait_for(b"Executing")
    time.sleep(0.2 + 0.6 * trial)
    workers = [p for p in psutil.Process(case.proc.pid).children() if "papermill" in " ".join(p.cmdline())]
    assert workers, "no notebook running"
    workers[0].kill()
    _, err = case.proc.communicate(timeout=120)
    errors = [line for line in err.decode().splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: chapter '"), err
    assert "died" in errors[0] or "cell" in errors[0], errors[0]
    assert case.proc.returncode == 1 and case.leftovers() == []
