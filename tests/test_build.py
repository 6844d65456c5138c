"""The build orchestration: what invalidates a notebook, what is stripped,
and that a failed HTML build leaves the last good book in place."""

import json

import nbformat
import pytest

from sobook import pipeline
from sobook.pipeline import execute as ex, html, inputs
from sobook.paths import ROOT


def nb_file(tmp_path, source="x = 1", outputs=()):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    nb.cells = [cell]
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00"}
    cell.metadata["papermill"] = {"duration": 1.5}
    cell.metadata["execution"] = {"iopub.execute_input": "2026-01-01"}
    path = tmp_path / "ch.ipynb"
    nbformat.write(nb, path)
    return path


def test_hash_ignores_outputs_but_not_sources_or_data(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("year,value\n2020,1\n")
    p = nb_file(tmp_path)
    h0 = inputs.input_hash(p, data, {})
    p2 = nb_file(tmp_path, outputs=[nbformat.v4.new_output("stream", text="hello")])
    assert inputs.input_hash(p2, data, {}) == h0  # executing changes nothing that matters
    nb_file(tmp_path, source="x = 2")
    assert inputs.input_hash(p, data, {}) != h0
    nb_file(tmp_path)
    (data / "a.csv").write_text("year,value\n2020,2\n")
    assert inputs.input_hash(p, data, {}) != h0
    (data / "a.csv").write_text("year,value\n2020,1\n")
    assert inputs.input_hash(p, data, {"data_dir": "/elsewhere"}) != h0


def test_normalise_strips_timings_and_hides_injected_parameters(tmp_path):
    p = nb_file(tmp_path)
    nb = nbformat.read(p, 4)
    injected = nbformat.v4.new_code_cell("data_dir = '/x'")
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(0, injected)
    nbformat.write(nb, p)
    ex.normalise(p)
    text = p.read_text()
    assert "papermill" not in text and "2026-01-01" not in text
    nb = nbformat.read(p, 4)
    assert nb.cells[0].metadata["tags"] == ["injected-parameters", "remove-cell"]


def test_failure_message_names_chapter_cell_and_cause():
    class Fake(Exception):
        exec_count, ename = 3, "DataError"
        evalue = "data/x.csv, row 4, column 'value_usd_bn': must be >= 0"

    msg = ex.describe_failure("achievements", Fake())
    assert msg == ("chapter 'achievements', cell [3]: DataError: "
                   "data/x.csv, row 4, column 'value_usd_bn': must be >= 0")


def test_swap_in_replaces_whole_and_failed_build_keeps_old(tmp_path, monkeypatch):
    dest = tmp_path / "html"
    dest.mkdir()
    (dest / "index.html").write_text("old")
    new = tmp_path / "new"
    new.mkdir()
    (new / "index.html").write_text("new")
    html.swap_in(new, dest)
    assert (dest / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "new"]  # no leftovers

    class Failed:
        def finish(self):
            return 2, "Running Jupyter-Book\nbook/x.md:3: WARNING: broken reference\nbook/y.md:1: WARNING: z\n"

    with pytest.raises(build.BuildError, match=r"HTML build failed: book/x.md:3: WARNING: broken reference "
                                                r"\(and 1 more\) \(full log: .*build.log\)"):
        html.build_html(tmp_path, dest, tmp_path / "work", started=Failed())
    assert (dest / "index.html").read_text() == "new"
    assert "WARNING: z" in (tmp_path / "work" / "build.log").read_text()


def test_run_refuses_unknown_chapter_and_missing_data(tmp_path):
    with pytest.raises(build.BuildError, match="unknown chapter 'nope'; choose from: achievements"):
        build.run_on_data(["nope"], tmp_path, tmp_path / "out")
    with pytest.raises(build.BuildError, match="does not exist"):
        build.run_on_data(["trends"], tmp_path / "missing", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_committed_notebooks_carry_no_run_specific_metadata():
    for name in build.CHAPTERS:
        text = (ROOT / "chapters" / f"{name}.ipynb").read_text(encoding="utf-8")
        nb = json.loads(text)
        assert "papermill" not in nb["metadata"], name
        assert '"execution"' not in text and "start_time" not in text, name
        params = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(params) == 1 and "remove-cell" in params[0]["metadata"]["tags"], name
        assert "data_dir" in "".join(params[0]["source"]), name


def test_a_kernel_that_died_at_start_is_retried_once(tmp_path, monkeypatch):
    """Two kernels racing for one port: the first attempt dies before any cell
    runs; the notebook is executed again, and only once."""
    import papermill

    calls = []

    def fake_execute(nb_in, out, **kw):
        calls.append(out)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        nbformat.write(nbformat.read(nb_in, 4), out)

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    src = nb_file(tmp_path)
    out = tmp_path / "out.ipynb"
    ex.execute(src, out, None)
    assert len(calls) == 2 and out.exists()

    def always_dies(nb_in, out, **kw):
        calls.append(out)
        raise RuntimeError("Kernel died before replying to kernel_info")

    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", always_dies)
    with pytest.raises(build.BuildError, match="Kernel died"):
        ex.execute(src, out, None)
    assert len(calls) == 2  # retried once, not forever


# --------------------------------------------------------------------------
# `make book` in place: nothing half-done (a copy of the repository)


def _tree(folder):
    import hashlib

    h = hashlib.sha256()
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(folder)).encode() + f.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory):
    """A copy of the repository, built once (notebooks and HTML)."""
    import os
    import shutil
    import subprocess
    import sys

    repo = tmp_path_factory.mktemp("inplace") / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", ".venv", "_build", "__pycache__"))
    env = dict(os.environ, PYTHONPATH=str(repo))

    def run():
        return subprocess.run([sys.executable, "-m", "sobook", "build"], cwd=repo, env=env, capture_output=True,
                              text=True, timeout=600)

    first = run()
    assert first.returncode == 0, first.stderr
    return repo, run


def test_a_failed_build_replaces_no_notebook_and_keeps_the_last_book(built_copy):
    """A chapter that fails after others have run: every committed notebook
    stays byte for byte, _build/html stays the last good book, and once the
    cause is removed the next build finds everything up to date (nothing
    was recorded for notebooks that were not put in place)."""
    repo, run = built_copy
    notebooks, book = _tree(repo / "chapters"), _tree(repo / "_build" / "html")
    target = repo / "chapters" / "outlook.ipynb"
    original = target.read_bytes()
    nb = nbformat.reads(original.decode("utf-8"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("a chapter that fails")'))
    nbformat.write(nb, target)
    broken = run()
    assert broken.returncode == 1
    assert broken.stderr.strip().splitlines() == [
        f"error: chapter 'outlook', cell {len(nb.cells)} (raise RuntimeError(\"a chapter that fails\")): "
        "RuntimeError: a chapter that fails"]
    target.write_bytes(original)
    assert _tree(repo / "chapters") == notebooks
    assert _tree(repo / "_build" / "html") == book
    assert not list((repo / "chapters").glob(".executing-*"))
    again = run()
    assert again.returncode == 0 and "Notebooks: all up to date." in again.stdout and "HTML: up to date." in again.stdout


def test_a_notebook_changed_on_disk_is_executed_again_and_keeps_its_mode(built_copy):
    """The stamp names the very bytes on disk: a notebook edited (or left
    behind by something else) is executed again; its file mode is kept."""
    repo, run = built_copy
    target = repo / "chapters" / "challenges.ipynb"
    committed = target.read_bytes()
    target.chmod(0o640)
    target.write_bytes(committed.replace(b'"execution_count": 1', b'"execution_count": 7', 1))
    again = run()
    assert again.returncode == 0 and "Executing 1 notebook(s)" in again.stdout, again.stdout
    assert target.read_bytes() == committed
    assert target.stat().st_mode & 0o777 == 0o640


def test_two_builds_in_one_repository_do_not_interleave(built_copy):
    import fcntl

    repo, run = built_copy
    with open(repo / "_build" / ".lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = run()
    assert busy.returncode == 1 and "the main build (_build/) is in use by another run" in busy.stderr
