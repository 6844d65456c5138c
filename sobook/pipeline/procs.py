"""Nothing the build starts outlives it, and nothing it leaves is half-done.

* Every process the build starts runs in a session of its own (a Ctrl-C in
  the terminal reaches only the build's main process, which stops the rest in
  order and prints one line) and dies with its parent: each child calls
  :func:`die_with_parent` first thing (Linux's parent-death signal, checked
  against a race with the parent's exit).
* The main process turns SIGINT, SIGTERM and SIGHUP into :class:`Interrupted`,
  so that every ``finally`` runs: children are stopped, temporary folders
  removed, nothing replaced. SIGKILL cannot be caught: then the children's
  parent-death signals stop them, and the temporary folders are removed at
  the next start (:func:`workspace` finds those whose owner's lock is free).
* Run by ``make``, the main process also dies with *its* parent
  (``SOBOOK_DIE_WITH_PARENT=1``): ``make`` forwards only SIGTERM.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1
PREFIX = "sobook-"
LOCK = ".lock"


class Interrupted(BaseException):
    """The build was asked to stop (SIGINT, SIGTERM, SIGHUP). A BaseException,
    like KeyboardInterrupt, so that no `except Exception` turns it into an error."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> None:
    """Ask the kernel to send `sig` to this process when its parent dies. If
    the parent is already gone (it died before this ran), exit now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the session and the build's own stop remain
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def child_preamble() -> None:
    """First thing in a process the build starts (`python -c`): die with the
    parent named by SOBOOK_PARENT (a fork may outlive a parent that died
    between fork and this call, hence the check)."""
    parent = os.environ.get("SOBOOK_PARENT")
    die_with_parent(signal.SIGKILL, int(parent) if parent else None)


def child_env(env: dict | None = None) -> dict:
    """The environment of a child: ours, naming us as its parent."""
    return dict(os.environ if env is None else env, SOBOOK_PARENT=str(os.getpid()))


def worker_init(tmp: str | None = None) -> None:
    """A pool worker: dies with the build, ignores the terminal's Ctrl-C (the
    build's main process handles it and stops the pool), and keeps its
    temporary files (jupyter_client's kernel connection files) in the build's
    workspace, which goes with the build even when the worker is killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(signal.SIGKILL)
    if tmp:
        os.environ["TMPDIR"] = tmp
        tempfile.tempdir = tmp


@contextlib.contextmanager
def signals_as_exceptions():
    """SIGINT, SIGTERM and SIGHUP raise Interrupted in the main thread while
    the block runs; the previous handlers come back after it."""
    def handler(signum, frame):
        # Once is enough: a second signal while cleaning up must not cut the cleanup short.
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    if os.environ.get("SOBOOK_DIE_WITH_PARENT") == "1":
        die_with_parent(signal.SIGTERM)
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _locked(path: Path):
    """An open, exclusively locked file, or None if another process holds it."""
    f = open(path, "a+")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        return None
    return f


def reap_stale(parent: Path) -> None:
    """Remove the workspaces under `parent` whose owner is gone (it was
    SIGKILLed): their lock is free."""
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for d in entries:
        if not (d.name.startswith(PREFIX) and d.is_dir()):
            continue
        if not (d / LOCK).exists():
            # A removal cut short (its lock went first): gone for good once
            # old enough not to be a workspace being made right now.
            with contextlib.suppress(OSError):
                if time.time() - d.stat().st_mtime > 600:
                    shutil.rmtree(d, ignore_errors=True)
            continue
        f = _locked(d / LOCK)
        if f is not None:
            shutil.rmtree(d, ignore_errors=True)
            f.close()


def short_tmp() -> Path:
    """The temporary folder for workspaces that hold Unix sockets: the
    system's if its path is short, /tmp otherwise. Trap: a socket's path has
    at most 107 bytes, and Chromium aborts at launch ("Socket path too long")
    when its TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket exceeds
    that, as under a test runner's deep temporary folders."""
    tmp = tempfile.gettempdir()
    return Path(tmp if len(tmp) <= 40 or not os.path.isdir("/tmp") else "/tmp")


def reap_stale_workspaces() -> None:
    """At every start: the workspaces a SIGKILLed run left (in the temporary
    folders and in _build/)."""
    from sobook.paths import ROOT

    for parent in {Path(tempfile.gettempdir()), short_tmp(), ROOT / "_build"}:
        reap_stale(parent)


@contextlib.contextmanager
def workspace(kind: str, parent: Path | None = None):
    """A temporary folder for this run, locked while it lives and removed
    after it; stale ones of earlier runs are removed first."""
    parent = Path(parent or tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    reap_stale(parent)
    d = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-", dir=parent))
    lock = _locked(d / LOCK)
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)
        if lock:
            lock.close()


@contextlib.contextmanager
def exclusive(path: Path, what: str):
    """Hold an exclusive lock on `path` for the block; refuse (BuildError in
    the caller's words) if another run holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    f = _locked(path)
    if f is None:
        try:
            holder = path.read_text().strip()
        except OSError:
            holder = ""
        raise Busy(f"{what} is in use by another run{f' (process {holder})' if holder else ''}; "
                   "wait for it to finish, or stop it")
    try:
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        yield
    finally:
        f.close()


class Busy(Exception):
    pass


def _stat(pid: int | str) -> list[str]:
    """/proc/PID/stat's fields after "pid (comm)" (comm may hold spaces and
    parentheses): state, ppid, …; [] if the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _processes() -> dict[int, list[str]]:
    """Every process's /proc stat fields (after "pid (comm)"), by pid; none
    where there is no /proc."""
    table = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(entry.name)
        if len(fields) > 19:
            table[int(entry.name)] = fields
    return table


def _tree(root: int, table: dict[int, list[str]]) -> set[int]:
    """`root`, everything below it and every process of the sessions they
    lead (a session's id is its leader's pid)."""
    found = {root} if root in table else set()
    while True:
        more = {pid for pid, f in table.items() if pid not in found and (int(f[1]) in found or int(f[3]) in found)}
        if not more:
            return found
        found |= more


def _alive(pid: int, started: str) -> bool:
    """The same process, not gone and not a zombie (a killed grandchild waits for its reaper)."""
    fields = _stat(pid)
    return len(fields) > 19 and fields[19] == started and fields[0] != "Z"


def _freeze(root: int, deadline: float) -> list[tuple[int, str]]:
    """Stop (SIGSTOP) `root`, everything below it and every process of the
    sessions they lead, listing again until nothing new appears: a stopped
    process starts no other, so the list ends complete. Trap: Chromium starts
    processes of its own while it launches, in sessions it leads; a list
    taken once and killed afterwards missed those started in between. Each
    process with its start time, so that a pid reused meanwhile is never
    taken for it."""
    frozen: dict[int, str] = {}
    me = os.getpid()
    while time.monotonic() < deadline:
        table = _processes()
        new = {pid: table[pid][19] for pid in _tree(root, table) if pid not in frozen and pid != me}
        if not new:
            break
        for pid, started in new.items():
            if _alive(pid, started):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGSTOP)
        frozen.update(new)
        # SIGSTOP takes effect when the process is next scheduled: wait until
        # each shows as stopped, so that none forks after the next listing.
        while time.monotonic() < deadline and any(
                _alive(pid, started) and _stat(pid)[0] not in ("T", "t") for pid, started in new.items()):
            time.sleep(0.002)
    return list(frozen.items())


def stop(proc) -> None:
    """Stop a child (a Popen) that leads its own session, and everything
    below it, Playwright's Chromium (in a session of its own) included: the
    whole tree is frozen, then killed (SIGKILL), then waited for briefly, so
    that nothing writes into a folder the caller removes next."""
    if proc is None or proc.poll() is not None:
        return
    doomed = _freeze(proc.pid, time.monotonic() + 2)
    for pid, started in doomed:
        if _alive(pid, started):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and any(_alive(*p) for p in doomed):
        time.sleep(0.02)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False
    where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    r = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return r == 0

