"""The build orchestration: what invalidates a notebook, what is stripped,
and that a failed HTML build leaves the last good book in place."""

import hashlib
import json

import nbformat

from sobook import pipeline
from sobook.paths import ROOT
from sobook.pipeline import execute as ex
from sobook.pipeline import inputs
from support import tree_digest


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


def test_a_notebook_is_executed_again_only_when_its_code_or_data_change(tmp_path):
    """Outputs and Markdown are not inputs: a text edit rebuilds the pages
    without a kernel. Code cells and the data are."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("year,value\n2020,1\n")
    p = nb_file(tmp_path)
    h0 = inputs.input_hash(p, data)
    nb_file(tmp_path, outputs=[nbformat.v4.new_output("stream", text="hello")])
    assert inputs.input_hash(p, data) == h0  # executing changes nothing that matters
    nb = nbformat.read(p, 4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A paragraph, edited."))
    nbformat.write(nb, p)
    assert inputs.input_hash(p, data) == h0
    nb_file(tmp_path, source="x = 2")
    assert inputs.input_hash(p, data) != h0
    nb_file(tmp_path)
    (data / "a.csv").write_text("year,value\n2020,2\n")
    assert inputs.input_hash(p, data) != h0


def test_the_outputs_recorded_are_the_outputs_on_disk(tmp_path):
    p = nb_file(tmp_path, outputs=[nbformat.v4.new_output("stream", text="as executed")])
    recorded = inputs.outputs_hash(p)
    nb = nbformat.read(p, 4)
    nb.cells.append(nbformat.v4.new_markdown_cell("More text."))
    nbformat.write(nb, p)
    assert inputs.outputs_hash(p) == recorded
    nb_file(tmp_path, outputs=[nbformat.v4.new_output("stream", text="edited by hand")])
    assert inputs.outputs_hash(p) != recorded


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


def test_failure_message_names_chapter_cell_and_cause(tmp_path):
    """Read from the notebook papermill wrote: the cell's number as written
    (papermill's injected cell not counted), its first line, the error."""
    src = nb_file(tmp_path, source="from sobook import chapter\nchapter.setup(data_dir)")
    executed = tmp_path / "executed.ipynb"
    nb = nbformat.read(src, 4)
    injected = nbformat.v4.new_code_cell("data_dir = '/x'")
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(0, injected)
    nb.cells[1].outputs = [nbformat.v4.new_output("error", ename="DataError", traceback=[],
                                                  evalue="\x1b[0;31mdata/x.csv: line 4, column 'value': must be >= 0")]
    nbformat.write(nb, executed)
    job = ex.Job(tmp_path / "ch.ipynb", tmp_path / "out.ipynb")
    assert ex.describe_failure(job, executed, tmp_path / "log", 1) == (
        "chapter 'ch', cell 1 (from sobook import chapter): DataError: data/x.csv: line 4, column 'value': must be >= 0")
    (tmp_path / "log").write_text("Traceback …\nnbclient.exceptions.DeadKernelError: Kernel died\n")
    nb.cells[1].outputs = []
    nbformat.write(nb, executed)
    assert ex.describe_failure(job, executed, tmp_path / "log", 1) == (
        "chapter 'ch': the process executing it died (killed from outside, or out of memory); nothing was replaced")


def test_committed_notebooks_carry_no_run_specific_metadata():
    for name in pipeline.CHAPTERS:
        text = (ROOT / "chapters" / f"{name}.ipynb").read_text(encoding="utf-8")
        nb = json.loads(text)
        assert "papermill" not in nb["metadata"], name
        assert '"execution"' not in text and "start_time" not in text, name
        params = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(params) == 1 and "remove-cell" in params[0]["metadata"]["tags"], name
        assert "data_dir" in "".join(params[0]["source"]), name


def test_a_kernel_that_died_at_start_is_retried(tmp_path):
    log = tmp_path / "log"
    log.write_text("RuntimeError: Kernel died before replying to kernel_info\n")
    assert ex.kernel_start_race(log)
    log.write_text("ZMQError: Address already in use\n")
    assert ex.kernel_start_race(log)
    log.write_text("DataError: bad data\n")
    assert not ex.kernel_start_race(log)


# --------------------------------------------------------------------------
# `make book` in place: nothing half-done (a copy of the repository)


def test_a_failed_build_replaces_no_notebook_and_keeps_the_last_book(built_copy):
    """A chapter that fails after others have run: every committed notebook
    stays byte for byte, _build/html stays the last good book, and once the
    cause is removed the next build finds everything up to date (nothing
    was recorded for notebooks that were not put in place)."""
    repo, run = built_copy
    notebooks, book = tree_digest(repo / "chapters"), tree_digest(repo / "_build" / "html")
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
    assert tree_digest(repo / "chapters") == notebooks
    assert tree_digest(repo / "_build" / "html") == book
    assert not list((repo / "chapters").glob(".executing-*"))
    again = run()
    assert again.returncode == 0 and "Notebooks: all up to date." in again.stdout and "HTML: up to date." in again.stdout


def test_outputs_changed_on_disk_are_executed_again_and_keep_the_mode(built_copy):
    """The stamp names the outputs on disk: a notebook whose outputs were
    edited (or left behind by something else) is executed again; its file
    mode is kept."""
    repo, run = built_copy
    target = repo / "chapters" / "challenges.ipynb"
    committed = target.read_bytes()
    target.chmod(0o640)
    target.write_bytes(committed.replace(b'"execution_count": 1', b'"execution_count": 7', 1))
    again = run()
    assert again.returncode == 0 and "Executing 1 notebook(s)" in again.stdout, again.stdout
    assert target.read_bytes() == committed
    assert target.stat().st_mode & 0o777 == 0o640


def file_digests(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def test_a_markdown_edit_rebuilds_the_pages_without_a_kernel(built_copy):
    """(The ledger's text: 'How the outlook fared' quotes the chapters',
    which is one of its inputs.) Undoing the edit gives back the book as it
    was, byte for byte: the incremental build ends where a clean one does
    (the search index's glossary entries once went missing: Sphinx keeps a
    page's index entries only when it writes that page, sphinx-doc/sphinx#12599)."""
    repo, run = built_copy
    html = repo / "_build" / "html"
    before = file_digests(html)
    target = repo / "chapters" / "ledger.ipynb"
    committed = target.read_bytes()
    nb = nbformat.reads(committed.decode("utf-8"), as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown")
    cell.source = cell.source.replace("\n", " An edit.\n", 1)
    target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    try:
        again = run()
        assert again.returncode == 0 and "Notebooks: all up to date." in again.stdout, again.stdout
        assert "An edit." in (repo / "_build" / "html" / "chapters" / "ledger.html").read_text(encoding="utf-8")
    finally:
        target.write_bytes(committed)
        assert run().returncode == 0
    after = file_digests(html)
    assert sorted(after) == sorted(before)
    assert [f for f in before if after[f] != before[f]] == [], ", ".join(f for f in before if after[f] != before[f])


def test_a_contents_edit_reaches_every_page_and_undoing_it_gives_the_book_back(built_copy):
    """Every page's sidebar is the table of contents (_toc.yml). Sphinx
    rewrites only the pages whose source changed, and kept the root page's
    old doctree in its saved environment (BuildEnvironment.master_doctree):
    the first build after a caption changed still drew the old one on
    every page."""
    repo, run = built_copy
    html = repo / "_build" / "html"
    before = file_digests(html)
    toc = repo / "_toc.yml"
    committed = toc.read_bytes()
    toc.write_text(committed.decode("utf-8").replace("caption: \"About this edition\"", "caption: \"About it\""),
                   encoding="utf-8")
    try:
        again = run()
        assert again.returncode == 0, again.stderr[-2000:]
        for page in ("index.html", "chapters/trends.html", "pages/glossary.html"):
            text = (html / page).read_text(encoding="utf-8")
            assert 'caption-text">About it<' in text and 'caption-text">About this edition<' not in text, page
    finally:
        toc.write_bytes(committed)
        assert run().returncode == 0
    after = file_digests(html)
    assert [f for f in before if after.get(f) != before[f]] == []


def test_two_builds_in_one_repository_do_not_interleave(built_copy):
    import fcntl

    repo, run = built_copy
    with open(repo / "_build" / ".lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = run()
    assert busy.returncode == 1 and "the main build (_build/) is in use by another run" in busy.stderr


def test_a_notebook_saved_from_jupyterlab_comes_back_as_committed(built_copy):
    """Saved through the Jupyter server's contents API as JupyterLab saves it
    (its kernel's own name, another Python's version): `make book` puts the
    notebook back byte for byte, without a kernel, so `git status` stays clean."""
    import subprocess

    repo, run = built_copy
    target = repo / "chapters" / "challenges.ipynb"
    committed = target.read_bytes()
    save = ("import sys\n"
            "from jupyter_server.services.contents.filemanager import FileContentsManager\n"
            "cm = FileContentsManager(root_dir=sys.argv[1])\n"
            "model = cm.get('chapters/challenges.ipynb')\n"
            "model['content']['metadata']['kernelspec']['display_name'] = 'Python 3 (ipykernel)'\n"
            "model['content']['metadata']['language_info']['version'] = '3.12.1'\n"
            "cm.save(model, 'chapters/challenges.ipynb')\n")
    subprocess.run([str(ROOT / ".venv-tools" / "bin" / "python"), "-c", save, str(repo)], check=True)
    assert target.read_bytes() != committed
    try:
        again = run()
        assert again.returncode == 0 and "Notebooks: all up to date." in again.stdout, again.stdout
        assert target.read_bytes() == committed
    finally:
        target.write_bytes(committed)


def test_what_a_killed_build_left_is_never_published(built_copy):
    """A build killed while it wrote (its work folder without the mark of a
    complete build) leaves files there; the next build starts that folder
    afresh, so none of them reaches _build/html."""
    repo, run = built_copy
    work = repo / "_build" / ".work" / "_build" / "html"
    litter = [work / "_static" / "downloads" / ".edition.pdf.tmp", work / ".pdf-kt3s9q" / "body.pdf"]
    for path in litter:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half-written")
    (repo / "_build" / ".work" / ".complete").unlink()
    (repo / "_build" / ".stamps" / "html.sha256").unlink()
    again = run()
    assert again.returncode == 0, again.stderr
    published = repo / "_build" / "html"
    assert not [p for p in published.rglob("*") if p.name in {".edition.pdf.tmp", ".pdf-kt3s9q", "body.pdf"}]
    assert not [p for p in work.parent.parent.rglob("*") if p.name in {".edition.pdf.tmp", ".pdf-kt3s9q"}]
