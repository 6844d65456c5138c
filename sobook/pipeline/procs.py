"""Nothing the build starts outlives it, and nothing it leaves is half-done.

* Every process the build starts (papermill, Jupyter Book, the PDF's
  Chromium) runs in a session of its own, so a Ctrl-C in the terminal
  reaches only the build's main process, which stops the rest and prints
  one line; and it dies with the build (Linux's parent-death signal).
* The main process turns SIGINT, SIGTERM and SIGHUP into
  :class:`Interrupted`, so that every ``finally`` runs: children are
  stopped, temporary folders removed, nothing replaced. SIGKILL cannot be
  caught: then the children's parent-death signals stop them, and the
  temporary folders are removed at the next start (:func:`workspace` finds
  those whose owner's lock is free).
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
import subprocess
import tempfile
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1
PREFIX = "sobook-"
LOCK = ".lock"
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """The build was asked to stop (SIGINT, SIGTERM, SIGHUP). A BaseException,
    like KeyboardInterrupt, so that no `except Exception` turns it into an error."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Busy(Exception):
    """Another run holds the lock."""


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> None:
    """Ask the kernel to send `sig` to this process when its parent dies; if
    the parent `parent` is already gone (it died before this ran), exit now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the session and the build's own stop remain
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def start(cmd: list[str], log: Path, **kwargs) -> subprocess.Popen:
    """A child in a session of its own that dies with this process, its
    output (stdout and stderr) into `log`."""
    me = os.getpid()
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=lambda: die_with_parent(signal.SIGKILL, me),
                                **kwargs)


def stop(proc: subprocess.Popen | None) -> None:
    """Stop a child started by :func:`start` and everything below it
    (papermill's kernel, Playwright's Chromium), then wait for them, so that
    nothing writes into a folder the caller removes next. The tree is listed
    again until it is empty: a process may start another while it is stopped."""
    import psutil

    if proc is None:
        return
    deadline = time.monotonic() + 5
    try:
        root = psutil.Process(proc.pid)
    except psutil.Error:
        root = None
    while root is not None and time.monotonic() < deadline:
        try:
            tree = [root] + root.children(recursive=True) if root.is_running() else []
        except psutil.Error:
            tree = []
        tree = [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not tree:
            break
        for p in tree:
            # A group's leader (Chromium starts some, in sessions of their
            # own) goes with its whole group at once: what it started in
            # between, orphaned when it dies, is in that group still.
            with contextlib.suppress(psutil.Error, ProcessLookupError, PermissionError):
                if os.getpgid(p.pid) == p.pid:
                    os.killpg(p.pid, signal.SIGKILL)
                else:
                    p.kill()
        psutil.wait_procs(tree[1:], timeout=0.5)
        with contextlib.suppress(ChildProcessError, OSError):
            proc.wait(timeout=0.5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


@contextlib.contextmanager
def signals_as_exceptions():
    """SIGINT, SIGTERM and SIGHUP raise Interrupted in the main thread while
    the block runs; the previous handlers come back after it."""
    def handler(signum, frame):
        # Once is enough: a second signal while cleaning up must not cut the cleanup short.
        for s in SIGNALS:
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in SIGNALS}
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
        with contextlib.suppress(OSError):
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


def reap_stale_workspaces(build_dir: Path) -> None:
    """At every start: the workspaces a SIGKILLed run left (in the temporary
    folders and in the build folder)."""
    for parent in {Path(tempfile.gettempdir()), short_tmp(), build_dir}:
        reap_stale(parent)


@contextlib.contextmanager
def workspace(kind: str, parent: Path | None = None):
    """A temporary folder for this run, locked while it lives and removed
    after it; stale ones of earlier runs are removed first."""
    parent = Path(parent or short_tmp())
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
    """Hold an exclusive lock on `path` for the block; refuse (Busy, in the
    caller's words) if another run holds it."""
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


def lock_for(folder: Path) -> Path:
    """Where the lock of an output folder is kept: in the system's temporary
    folder (named by the folder's path), never beside the folder itself."""
    import hashlib

    key = hashlib.sha256(os.fsencode(Path(folder).resolve())).hexdigest()[:20]
    return Path(tempfile.gettempdir()) / ".sobook-locks" / f"{key}.lock"


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False
    where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
