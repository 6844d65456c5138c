"""Warm kernels (sobook/pipeline/kernels.py): a kernel forked from the server must be
indistinguishable, to a notebook, from a freshly started one; share nothing
with the kernels before it; fail, interrupt and die like one; and never
outlive the build that asked for it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import nbformat
import pytest

from sobook.pipeline import execute as build, kernels

PROBE = """\
import hashlib, json, os, sys, threading
print(json.dumps({
    "path": sys.path, "cwd": os.getcwd(), "argv0": os.path.basename(sys.argv[0]), "argv": sys.argv[1:2],
    "hash": hash("sobook"), "pgid_is_pid": os.getpgid(0) == os.getpid(),
    "parent_is_ppid": os.environ.get("JPY_PARENT_PID") == str(os.getppid()),
    "pid": os.getpid(), "ppid": os.getppid(), "threads": threading.active_count(),
    "env": {k: os.environ.get(k) for k in ("PYTHONHASHSEED", "PYTHONPATH", "PYDEVD_USE_FRAME_EVAL")},
    "main": sys.modules["__main__"].__name__,
    "leak": getattr(sys.modules.get("sobook.data"), "_leak", None),
}))
import sobook.data
sobook.data._leak = os.getpid()  # a later kernel must not see this
"""


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def probe(out):
    nb = nbformat.read(out, 4)
    return json.loads(nb.cells[0].outputs[0]["text"])


@pytest.fixture(scope="module")
def server():
    build.kernel_env()
    with kernels.KernelServer() as s:
        yield s


def test_a_forked_kernel_looks_like_a_fresh_one(tmp_path, server, capfd):
    nb = notebook(tmp_path / "probe.ipynb", PROBE)
    build.execute(nb, tmp_path / "fresh.ipynb", None)
    build.execute(nb, tmp_path / "warm.ipynb", None, server.address)
    fresh, warm = probe(tmp_path / "fresh.ipynb"), probe(tmp_path / "warm.ipynb")
    assert "warm kernel unavailable" not in capfd.readouterr().err
    assert warm["ppid"] == server.proc.pid  # really forked, not the fallback
    for key in ("path", "cwd", "argv0", "argv", "hash", "pgid_is_pid", "parent_is_ppid", "threads", "env",
                "main"):
        assert warm[key] == fresh[key], key
    assert warm["cwd"] == str(tmp_path)


def test_kernels_share_nothing(tmp_path, server):
    nb = notebook(tmp_path / "probe.ipynb", PROBE)
    seen = []
    for i in range(2):
        build.execute(nb, tmp_path / f"out{i}.ipynb", None, server.address)
        seen.append(probe(tmp_path / f"out{i}.ipynb"))
    assert seen[0]["leak"] is None and seen[1]["leak"] is None


def test_outputs_are_identical_to_a_fresh_kernels(tmp_path, server):
    """A real chapter, byte for byte (the committed notebooks stay as they are)."""
    src = build.ROOT / "chapters" / "challenges.ipynb"
    build.execute(src, tmp_path / "fresh.ipynb", None)
    build.execute(src, tmp_path / "warm.ipynb", None, server.address)
    assert (tmp_path / "warm.ipynb").read_bytes() == (tmp_path / "fresh.ipynb").read_bytes()


def test_a_failing_cell_is_reported_like_before(tmp_path, server):
    nb = notebook(tmp_path / "ch.ipynb", "x = 1", "raise ValueError('bad value in row 4')")
    with pytest.raises(build.BuildError, match=r"chapter 'ch', cell 2 \(raise ValueError.*ValueError: bad value"):
        build.execute(nb, tmp_path / "out.ipynb", None, server.address)
    assert not (tmp_path / "out.ipynb").exists()


def test_a_kernel_that_dies_is_reported(tmp_path, server):
    nb = notebook(tmp_path / "ch.ipynb", "import os; os._exit(3)")
    with pytest.raises(build.BuildError, match="chapter 'ch'.*(Dead|died)"):
        build.execute(nb, tmp_path / "out.ipynb", None, server.address)


def test_without_a_server_a_fresh_kernel_is_started(tmp_path, capfd):
    build.kernel_env()
    with kernels.KernelServer() as gone:
        address = gone.address
    nb = notebook(tmp_path / "probe.ipynb", PROBE)
    build.execute(nb, tmp_path / "out.ipynb", None, address)
    assert probe(tmp_path / "out.ipynb")["ppid"] != gone.proc.pid
    assert "warm kernel unavailable" in capfd.readouterr().err


def test_a_kernel_asking_for_another_environment_is_refused(server, tmp_path):
    argv = [os.sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "k.json")]
    reply = kernels.ForkedKernel.start(server.address, argv, str(tmp_path), dict(os.environ, PYTHONHASHSEED="1"))
    assert isinstance(reply, str) and "environment differs" in reply
    reply = kernels.ForkedKernel.start(server.address, ["/bin/sh", "-c", "true"], str(tmp_path), dict(os.environ))
    assert isinstance(reply, str) and "ipykernel" in reply


async def _start(server):
    km = kernels.manager_class(server.address)(kernel_name="python3")
    await km.start_kernel(cwd=os.getcwd())
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    return km, kc


def _run(coro):
    """asyncio.run in a thread of its own: earlier tests in the session
    (Playwright's sync API) may leave an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _gone(pid, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_interrupt_reaches_a_running_cell(server):
    async def go():
        km, kc = await _start(server)
        msg_id = kc.execute("import time; time.sleep(30)")
        await asyncio.sleep(0.5)
        await km.interrupt_kernel()
        reply = await kc.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        pid = km.provisioner.pid
        await km.shutdown_kernel()
        kc.stop_channels()
        return pid

    assert _gone(_run(go()))


def test_a_kernel_does_not_outlive_its_client_or_the_server(server):
    async def orphan(srv, drop_client):
        km, kc = await _start(srv)
        kc.stop_channels()
        if drop_client:
            km.provisioner.process.sock.close()  # the client dies without shutting its kernel down
        return km.provisioner.pid

    assert _gone(_run(orphan(server, True)))
    build.kernel_env()
    with kernels.KernelServer() as other:
        pid = _run(orphan(other, False))
    assert _gone(pid)  # closing the server kills the kernels it forked


def test_twenty_kernels_two_at_a_time(tmp_path, server):
    """No start-up race: every execution succeeds, each in its own process."""
    nb = notebook(tmp_path / "probe.ipynb", PROBE)

    jobs = [(nb, tmp_path / f"out{i}.ipynb", None) for i in range(20)]
    with ProcessPoolExecutor(2) as pool:  # as execute_all runs them
        done = list(pool.map(build._execute_job, jobs, [server.address] * 20))
    assert [error for _, _, error in done] == [None] * 20
    results = [probe(tmp_path / f"out{i}.ipynb") for i in range(20)]
    assert all(r["ppid"] == server.proc.pid and r["leak"] is None for r in results)
    assert len({r["pid"] for r in results}) == 20


def test_longest_first_uses_the_committed_notebooks_size(tmp_path):
    jobs = [(tmp_path / f"{n}.ipynb", tmp_path / f"{n}.ipynb", None) for n in ["challenges", "achievements", "x"]]
    order = [j[0].stem for j in build.longest_first(jobs)]
    assert order == ["achievements", "challenges", "x"]


def test_nothing_outlives_a_build_that_dies(tmp_path):
    """The build process is killed outright (no cleanup runs) while a process
    it forked (as its workers are) still holds the server's stdin open: the
    server sees its parent gone all the same and takes its kernels with it."""
    import subprocess
    import sys

    script = (
        "import asyncio, os, sys\n"
        "from sobook.pipeline import execute as build, kernels\n"
        "build.kernel_env()\n"
        "server = kernels.KernelServer()\n"
        "async def go():\n"
        "    km = kernels.manager_class(server.address)(kernel_name='python3')\n"
        "    await km.start_kernel(cwd=os.getcwd())\n"
        "    print(server.proc.pid, km.provisioner.pid, flush=True)\n"
        "asyncio.run(go())\n"
        "worker = os.fork()\n"
        "if worker == 0:\n"
        "    os.close(1); os.close(2)\n"
        "    import time; time.sleep(60); os._exit(0)\n"
        "print(worker, flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(build.ROOT)))
    server_pid, kernel_pid, worker = map(int, proc.stdout.split())
    try:
        assert _gone(server_pid) and _gone(kernel_pid)
    finally:
        os.kill(worker, signal.SIGKILL)
