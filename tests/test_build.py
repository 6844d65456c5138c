"""The build orchestration: what invalidates a notebook, what is stripped,
and that a failed HTML build leaves the last good book in place."""

import json

import nbformat
import pytest

from sobook import build
from sobook.build import execute as ex, html, inputs
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
