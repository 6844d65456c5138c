"""Warm kernels: each notebook still gets a fresh kernel process of its own,
but forked from a server that has already imported ipykernel, pandas, altair
and the sobook modules, instead of a new interpreter importing them again
(about 1 s of CPU per notebook on this book).

* `KernelServer` (the build's side) starts the server: ``python -c`` running
  `_serve`, listening on a Unix socket in a private temporary folder.
* `manager_class(address)` is a jupyter_client kernel manager for papermill
  (``execute_notebook(..., kernel_manager_class=...)``) whose provisioner asks
  the server for a kernel instead of running ``python -m ipykernel_launcher``.
  If the server is not there or refuses, it launches a plain kernel: warm
  kernels only ever make a build faster, never change what it does.

Nothing is shared between notebooks: a forked kernel is a new process
(own session, own memory; the server only *imported* modules, it never ran a
notebook's code). The traps, each handled where it bites:

* fork copies only the calling thread: the server must have no other thread
  (OpenBLAS starts a pool when numpy loads, hence *_NUM_THREADS=1 in the
  server's environment) and no zmq context (created only by the kernel app);
* the environment that Python reads at start-up (hash seed, PYTHONPATH,
  locale) is the server's: a request whose environment differs there is
  refused and gets a plain kernel;
* the kernel must be its own session leader before its pid is handed out,
  or jupyter_client's killpg would signal the server's process group;
* the server reaps the kernels (they are its children): their exit status
  and a pidfd reach the client over the connection, and a client that goes
  away (worker killed) takes its kernel with it.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from sobook.pipeline import procs

# What a kernel imports to start (ipykernel, its debugger's debugpy) and what
# the chapters import (found by diffing sys.modules after running them):
# loaded once in the server, inherited by every kernel.
PRELOAD = [
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
    "IPython.core.interactiveshell", "IPython.core.debugger", "sqlite3", "psutil",
    "pandas", "altair", "narwhals._pandas_like.dataframe", "nbformat", "myst_nb", "myst_nb.ext.glue",
    "narwhals._pandas_like.namespace", "pandas.io.formats.html", "pandas.io.formats.csvs", "tornado.platform.asyncio",
    "vl_convert", "sobook.chapter", "sobook.charts", "sobook.data", "sobook.ledger", "sobook.fared",
]
# One native thread per server: see the module's docstring.
_THREADS_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_MAX_MSG = 1 << 20


def _comparable_env(env: dict) -> dict:
    """The environment a kernel must share with the server to be forked from
    it: the interpreter reads PYTHON*/locale variables at start-up and modules
    may read others as they are imported (ipykernel reads JPY_PARENT_PID into
    a class attribute, handled in `_run_kernel`). Only jupyter_client's
    per-kernel JPY_* variables, pytest's name of the running test, the
    build's parent marker and temporary folder (a kernel reads TMPDIR again)
    and our thread limits may differ."""
    return {k: v for k, v in env.items()
            if not k.startswith("JPY_") and k not in ("PYTEST_CURRENT_TEST", "SOBOOK_PARENT", "TMPDIR")
            and k not in _THREADS_ENV}


# --------------------------------------------------------------------------
# the build's side


class KernelServer:
    """The warm-kernel server for the duration of a build (a context manager).
    The server exits when its stdin closes, i.e. also when this process dies."""

    def __init__(self, env: dict | None = None):
        # A locked workspace: removed by close(), or at the next start if
        # the build was SIGKILLed (procs.reap_stale_workspaces).
        self._workspace = procs.workspace("kernels", procs.short_tmp())  # holds a socket
        self.dir = str(self._workspace.__enter__())
        self.address = os.path.join(self.dir, "socket")
        env = dict(procs.child_env(env), **_THREADS_ENV)
        # Bound here, not in the server: a client may connect as soon as this
        # returns, and waits in the backlog while the server imports.
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        listener.bind(self.address)
        listener.listen(64)
        try:
            # start_new_session: a Ctrl-C in the terminal reaches the build, which
            # shuts the server down in order, not the server in the middle of a fork.
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from sobook.pipeline.kernels import _serve; _serve()", str(listener.fileno())],
                stdin=subprocess.PIPE, env=env, start_new_session=True, pass_fds=[listener.fileno()],
            )
        finally:
            listener.close()

    def close(self) -> None:
        # SIGTERM, not just EOF on its stdin: it may still be importing (a build
        # that failed on its data), and it reads stdin only once it serves.
        # Either way it kills the kernels left (there are none after a build).
        self.proc.terminate()
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._workspace.__exit__(None, None, None)

    def __enter__(self) -> "KernelServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ForkedKernel:
    """What jupyter_client's LocalProvisioner expects of a Popen, for a kernel
    forked by the server: pid, poll, wait, send_signal, kill, terminate."""

    stdin = stdout = stderr = None

    def __init__(self, sock: socket.socket, pid: int, pidfd: int):
        self.sock, self.pid, self.pidfd = sock, pid, pidfd
        self.returncode: int | None = None

    @classmethod
    def start(cls, address: str, argv: list[str], cwd: str | None, env: dict) -> "ForkedKernel | str":
        """Ask the server for a kernel; the reason why not if it cannot give one."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            sock.settimeout(60)  # the server may still be importing (its backlog holds us)
            sock.connect(address)
            request = json.dumps({"argv": argv, "cwd": cwd or os.getcwd(), "env": env}).encode()
            null = os.open(os.devnull, os.O_RDONLY)
            try:
                # The kernel writes to our stdout/stderr, as a Popen child would.
                socket.send_fds(sock, [request], [null, 1, 2])
            finally:
                os.close(null)
            data, fds, _, _ = socket.recv_fds(sock, _MAX_MSG, 1)
            reply = json.loads(data or b"{}")
            if "pid" not in reply or len(fds) != 1:
                for fd in fds:
                    os.close(fd)
                raise OSError(reply.get("error", "the kernel server closed the connection"))
            sock.settimeout(None)
            return cls(sock, reply["pid"], fds[0])
        except (OSError, ValueError) as exc:
            sock.close()
            return str(exc) or type(exc).__name__

    def _finish(self, data: bytes) -> int:
        try:
            self.returncode = int(json.loads(data)["exit"])
        except (ValueError, KeyError, TypeError):
            self.returncode = -signal.SIGKILL  # the server went away; it kills its kernels
        self.sock.close()
        os.close(self.pidfd)
        return self.returncode

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                data = self.sock.recv(_MAX_MSG, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return None
            except OSError:
                data = b""
            self._finish(data)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.sock.settimeout(timeout)
            try:
                data = self.sock.recv(_MAX_MSG)
            except socket.timeout:
                raise subprocess.TimeoutExpired("kernel", timeout) from None
            except OSError:
                data = b""
            self._finish(data)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        # A pidfd names this process and no other, even if its pid is reused.
        if self.poll() is None:
            try:
                signal.pidfd_send_signal(self.pidfd, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


_managers: dict[str, type] = {}


def manager_class(address: str) -> type:
    """A kernel manager class that gets its kernels from the server at
    `address` (a class, since nbclient takes `kernel_manager_class`)."""
    if address not in _managers:
        from jupyter_client.asynchronous import AsyncKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_client.provisioning import LocalProvisioner
        from traitlets import default

        class QuickReadyClient(AsyncKernelClient):
            async def _async_wait_for_ready(self, timeout=None):
                """jupyter_client's, but it ends by draining IOPub until that
                has been quiet for 10 ms rather than 200 ms (a fixed 0.2 s per
                notebook): a late status message is harmless, since nbclient
                reads only the IOPub messages whose parent is the cell it runs.
                The messages are jupyter_client's (build.kernel_start_race
                matches one)."""
                from queue import Empty

                deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
                while True:
                    self.kernel_info()
                    try:
                        msg = await self.shell_channel.get_msg(timeout=1)
                    except Empty:
                        pass
                    else:
                        if msg["msg_type"] == "kernel_info_reply":
                            try:
                                await self.iopub_channel.get_msg(timeout=0.05)
                            except Empty:
                                pass
                            else:
                                self._handle_kernel_info_reply(msg)
                                break
                    if not await self._async_is_alive():
                        raise RuntimeError("Kernel died before replying to kernel_info")
                    if time.monotonic() > deadline:
                        raise RuntimeError("Kernel didn't respond in %d seconds" % timeout)
                while True:
                    try:
                        await self.iopub_channel.get_msg(timeout=0.01)
                    except Empty:
                        break

            # AsyncKernelClient binds the public name to the base class's function.
            wait_for_ready = _async_wait_for_ready

        class ForkProvisioner(LocalProvisioner):
            async def launch_kernel(self, cmd, **kwargs):
                if {"stdin", "stdout", "stderr"} & set(kwargs):
                    proc = "the caller redirects the kernel's standard streams"
                else:
                    env = kwargs.get("env") or dict(os.environ)
                    proc = ForkedKernel.start(address, cmd, kwargs.get("cwd"), env)
                if isinstance(proc, str):
                    # Slower, never wrong; said once per kernel so that a server
                    # that never forks does not go unnoticed.
                    print(f"warm kernel unavailable ({proc}); starting a fresh one", file=sys.stderr)
                    return await super().launch_kernel(cmd, **kwargs)
                self.process, self.pid, self.pgid = proc, proc.pid, proc.pid  # its own session
                self.cwd = kwargs.get("cwd")
                return self.connection_info

            async def send_signal(self, signum: int) -> None:
                if isinstance(self.process, ForkedKernel) and self.process.poll() is not None:
                    return  # gone: its process group number may belong to someone else now
                await super().send_signal(signum)

        class ForkKernelManager(AsyncKernelManager):
            @default("client_factory")
            def _client_factory_default(self):
                return QuickReadyClient

            async def _async_interrupt_kernel(self):
                # jupyter_client interrupts a kernel before asking it to shut
                # down, in case a cell still runs; nbclient only shuts down an
                # idle kernel, and a SIGINT landing while ipykernel sends its
                # last reply can wedge it (logged "KeyboardInterrupt caught in
                # kernel", then a SIGTERM 2.5 s later).
                if self.shutting_down:
                    return
                await super()._async_interrupt_kernel()

            async def _async_finish_shutdown(self, waittime=None, pollinterval=0.1, restart=False):
                # Polled every 10 ms, not 100: a forked kernel exits at once.
                await super()._async_finish_shutdown(waittime, 0.01, restart)

            async def _async_pre_start_kernel(self, **kw):
                if self.provisioner is None:
                    import uuid

                    self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                    self.provisioner = ForkProvisioner(
                        kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
                return await super()._async_pre_start_kernel(**kw)

        _managers[address] = ForkKernelManager
    return _managers[address]


# --------------------------------------------------------------------------
# the server


def _serve() -> None:
    signal.signal(signal.SIGTERM, _terminated)
    # With the build gone (even SIGKILLed) the server stops, and kills its kernels.
    parent = os.environ.get("SOBOOK_PARENT")
    procs.die_with_parent(signal.SIGTERM, int(parent) if parent else None)
    listener = socket.socket(fileno=int(sys.argv[1]))
    # As ipykernel_launcher does: the launch folder is not on a kernel's path
    # (IPython adds '' back when the shell starts).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    before = dict(os.environ)
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the kernel will import it and report the error in its cell
            pass
    threads = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else 1
    try:  # pidfds (Linux >= 5.3) name a kernel for signals and exit without a pid race
        os.close(os.pidfd_open(os.getpid()))
        pidfds = True
    except (AttributeError, OSError):
        pidfds = False
    gc.collect()
    gc.freeze()  # the kernels' collector then leaves the inherited objects (and their pages) alone
    # Imports may set variables (debugpy sets PYDEVD_USE_FRAME_EVAL): a kernel
    # gets them on top of its own environment, as if it had imported them itself.
    imported_env = {k: v for k, v in os.environ.items() if before.get(k) != v}
    server = _Server(listener, _comparable_env(before), imported_env, forking_ok=threads == 1 and pidfds)
    try:
        server.run()
    finally:
        server.stop()
    # Nothing to tear down that matters: skip unloading pandas & co. (a few
    # hundred ms that `KernelServer.close` would wait for).
    sys.stdout.flush()
    os._exit(0)


def _terminated(signum, frame):
    raise SystemExit(0)


class _Server:
    def __init__(self, listener: socket.socket, server_env: dict, imported_env: dict, forking_ok: bool):
        self.listener, self.server_env, self.forking_ok = listener, server_env, forking_ok
        self.imported_env = imported_env
        self.sel = selectors.DefaultSelector()
        self.sel.register(listener, selectors.EVENT_READ, ("accept", None))
        self.sel.register(sys.stdin.fileno(), selectors.EVENT_READ, ("owner", None))
        # Also watched by pid: processes forked from the build (its workers)
        # hold copies of the stdin pipe's write end, so EOF alone could come late.
        self.owner = None
        if forking_ok:  # i.e. pidfds work
            self.owner = os.pidfd_open(os.getppid())
            self.sel.register(self.owner, selectors.EVENT_READ, ("owner", None))
        self.conns: dict[socket.socket, tuple[int, int] | None] = {}  # conn -> (pid, pidfd) once forked

    def run(self) -> None:
        while True:
            for key, _ in self.sel.select():
                kind, obj = key.data
                if kind == "owner":
                    if key.fd == self.owner or not os.read(key.fd, 4096):
                        return
                elif kind == "accept":
                    conn, _ = self.listener.accept()
                    self.conns[conn] = None
                    self.sel.register(conn, selectors.EVENT_READ, ("conn", conn))
                elif kind == "conn":
                    self.on_conn(obj)
                elif kind == "exit":
                    self.on_exit(*obj)

    def on_conn(self, conn: socket.socket) -> None:
        child = self.conns[conn]
        if child is not None:  # the client went away before its kernel: the kernel goes too
            conn.recv(_MAX_MSG)
            self.sel.unregister(conn)
            _signal(child[1], signal.SIGKILL)
            return
        try:
            data, fds, _, _ = socket.recv_fds(conn, _MAX_MSG, 3)
        except OSError:
            data, fds = b"", []
        try:
            reason = self.refusal(data, fds)
            if reason:
                self.close_conn(conn, json.dumps({"error": reason}).encode())
                return
            pid, pidfd = self.fork(json.loads(data), fds)
        finally:
            for fd in fds:
                os.close(fd)
        self.conns[conn] = (pid, pidfd)
        socket.send_fds(conn, [json.dumps({"pid": pid}).encode()], [pidfd])
        self.sel.register(pidfd, selectors.EVENT_READ, ("exit", (conn, pid, pidfd)))

    def refusal(self, data: bytes, fds: list[int]) -> str | None:
        if not data or len(fds) != 3:
            return "bad request"
        if not self.forking_ok:
            return "the server runs more than one thread (forking it is unsafe) or the system lacks pidfds"
        req = json.loads(data)
        argv = req.get("argv") or []
        if argv[1:3] != ["-m", "ipykernel_launcher"] or os.path.realpath(argv[0]) != os.path.realpath(
                sys.executable):
            return f"not this interpreter's ipykernel: {argv[:3]}"
        if _comparable_env(req.get("env") or {}) != self.server_env:
            return "the kernel's environment differs from the server's"
        return None

    def fork(self, req: dict, fds: list[int]) -> tuple[int, int]:
        ready_r, ready_w = os.pipe()
        server = os.getpid()
        pid = os.fork()
        if pid == 0:  # the kernel
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the server's handler is not the kernel's
                procs.die_with_parent(signal.SIGKILL, server)  # and it dies with the server
                os.close(ready_r)
                self.close_all()
                os.setsid()
                for i, fd in enumerate(fds):
                    os.dup2(fd, i)
                    os.close(fd)
                os.chdir(req["cwd"])
                os.environ.clear()
                os.environ.update(req["env"])
                tempfile.tempdir = None  # read TMPDIR again (the worker's, not the server's)
                os.environ.update(self.imported_env)
                # ipykernel exits when its parent does: the parent is this server.
                os.environ["JPY_PARENT_PID"] = str(os.getppid())
                gc.unfreeze()
                os.write(ready_w, b"1")
                os.close(ready_w)
                code = _run_kernel(req["argv"])
            except BaseException:  # noqa: BLE001 - a kernel must never return into the server's loop
                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(ready_w)
        os.read(ready_r, 1)  # the kernel leads its own session now (or has died)
        os.close(ready_r)
        return pid, os.pidfd_open(pid)

    def close_all(self) -> None:
        """In a new kernel: drop the server's sockets (closing the objects, not
        just the numbers, so nothing closes a reused fd later)."""
        self.sel.close()
        self.listener.close()
        if self.owner is not None:
            os.close(self.owner)
        for conn, child in self.conns.items():
            conn.close()
            if child:
                os.close(child[1])

    def on_exit(self, conn: socket.socket, pid: int, pidfd: int) -> None:
        _, status = os.waitpid(pid, 0)
        self.sel.unregister(pidfd)
        os.close(pidfd)
        self.conns[conn] = None
        message = json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode()
        self.close_conn(conn, message)

    def close_conn(self, conn: socket.socket, message: bytes) -> None:
        try:
            conn.send(message)
        except OSError:
            pass
        try:
            self.sel.unregister(conn)
        except KeyError:
            pass
        del self.conns[conn]
        conn.close()

    def stop(self) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once is enough
        for conn, child in list(self.conns.items()):
            if child:
                _signal(child[1], signal.SIGKILL)
                os.waitpid(child[0], 0)
                os.close(child[1])
            conn.close()
        self.listener.close()


def _signal(pidfd: int, signum: int) -> None:
    try:
        signal.pidfd_send_signal(pidfd, signum)
    except ProcessLookupError:
        pass


def _run_kernel(argv: list[str]) -> int:
    """What ``python -m ipykernel_launcher ARGS`` does, in this process."""
    import importlib.util

    from ipykernel import kernelapp

    # argv[0] as `-m` sets it; found, not imported (a fresh kernel has it as __main__ only).
    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin] + list(argv[3:])
    code = 0
    try:
        # Its class default was read from the server's environment at import.
        kernelapp.IPKernelApp.launch_instance(parent_handle=int(os.environ["JPY_PARENT_PID"]))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    # Exit at once, without atexit handlers or tearing down every module: the
    # client already has every output (nbclient waits for each cell's idle
    # status before it asks for a shutdown), the connection file is the
    # manager's to remove, history is in memory. And ipykernel's handlers
    # (joining its IOPub and fd-capture threads) now and then hang until
    # jupyter_client sends SIGTERM 2.5 s later.
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - closed by the kernel app: nothing to flush
            pass
    return code
