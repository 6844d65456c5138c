"""The maintainers' own tools, used the standard way (the commands the
Reproduce page gives):

* the executed notebooks read as notebooks: nbconvert renders each chapter
  with every chart as a picture (what JupyterLab and nbviewer show too);
* papermill from the repository root and from chapters/, with the default
  data_dir and with -p data_dir absolute or relative;
* Jupyter Book's own commands: the whole book, a one-page build of a chapter
  and of a page, and the single-page builder without duplicate ids;
* a book built on other data describes that data (the Reproduce page's row
  counts).
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import ROOT

pytestmark = pytest.mark.slow  # builds books, runs the pipeline and the tools

CHAPTERS = ["achievements", "trends", "opportunities", "challenges", "outlook", "outlook-fared", "ledger"]
BIN = Path(sys.executable).parent


def _env(**extra):
    env = dict(os.environ, PYTHONPATH=str(ROOT), **extra)
    env.pop("SOBOOK_DIE_WITH_PARENT", None)
    return env


def _figures(notebook: Path) -> int:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return sum("".join(c["source"]).count("chapter.figure(") for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("name", CHAPTERS)
def test_nbconvert_shows_every_chart_of_the_executed_chapter(name, tmp_path):
    notebook = ROOT / "chapters" / f"{name}.ipynb"
    proc = subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--output-dir", str(tmp_path), str(notebook)],
                          capture_output=True, text=True, env=_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    page = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
    pictures = len([t for t in re.findall(r"<img\b[^>]*>", page)
                    if 'class="so-static"' in t and 'src="data:image/svg+xml;base64,' in t])
    assert pictures == _figures(notebook), (name, pictures)
    assert "No renderer could be found" not in page


def _papermill(args, cwd, tmp_path):
    out = tmp_path / "out.ipynb"
    proc = subprocess.run([str(BIN / "papermill"), *args, str(out), "--no-progress-bar"], cwd=cwd, capture_output=True,
                          text=True, env=_env(), timeout=300)
    return proc, out


@pytest.mark.parametrize("where,notebook,params", [
    ("root", "chapters/opportunities.ipynb", []),
    ("chapters", "opportunities.ipynb", []),
    ("root", "chapters/opportunities.ipynb", ["-p", "data_dir", str(ROOT / "data")]),
    ("root", "chapters/opportunities.ipynb", ["-p", "data_dir", "../data"]),
    ("chapters", "opportunities.ipynb", ["-p", "data_dir", "../examples/outcomes-2021-2025"]),
], ids=["root-default", "chapters-default", "root-absolute", "root-relative-to-notebook", "chapters-relative"])
def test_papermill_the_standard_way(where, notebook, params, tmp_path):
    cwd = ROOT if where == "root" else ROOT / "chapters"
    proc, out = _papermill([notebook, *params], cwd, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _figures(out) and "so-static" in out.read_text(encoding="utf-8")


def test_papermill_with_a_data_dir_that_is_nowhere_says_where_it_looked(tmp_path):
    proc, _ = _papermill(["chapters/opportunities.ipynb", "-p", "data_dir", "no/such/data"], ROOT, tmp_path)
    assert proc.returncode != 0
    line = next(x for x in proc.stderr.splitlines() if x.startswith("DataError:"))
    assert f"no data package at {ROOT / 'chapters' / 'no/such/data'}" in line
    assert f"nor at {ROOT / 'no/such/data'}" in line and "pass an absolute path" in line


def _jupyter_book(args, tmp_path):
    return subprocess.run([str(BIN / "jupyter-book"), "build", *args, "--path-output", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, env=_env(), timeout=900)


BUILDERS = {  # what a Jupyter Book user may run, and where it writes
    "html": (["."], "html"),
    "dirhtml": ([".", "--builder", "dirhtml"], "dirhtml"),
    "singlehtml": ([".", "--builder", "singlehtml"], "singlehtml"),
    "one page (a notebook)": (["chapters/trends.ipynb"], "_page/trends/html"),
    "one page (Markdown)": (["pages/reproduce.md"], "_page/reproduce/html"),
}


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_builder_is_right(builder, tmp_path):
    """Each builder strict (-W -n): no warning, and in its output no broken
    internal link or anchor and no missing static file (tests/test_links.py's
    crawl), no id twice on a page, and no link to a PDF it did not make."""
    from test_links import crawl_book

    args, out = BUILDERS[builder]
    proc = _jupyter_book([*args, "-W", "-n", "--keep-going"], tmp_path)
    assert proc.returncode == 0, proc.stdout[-1500:] + proc.stderr[-1500:]
    root = tmp_path / "_build" / out
    pages, broken, _ = crawl_book(root)
    assert pages and broken == []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        ids = collections.Counter(re.findall(r'\sid="([^"]+)"', text))
        assert not [i for i, n in ids.items() if n > 1], (path.name, [i for i, n in ids.items() if n > 1][:10])
        assert ".pdf" not in " ".join(re.findall(r'href="([^"]*)"', text)), path.name
    if builder == "html":  # run by Jupyter Book, the extension makes every chart's PNG itself
        page = root / "chapters" / "achievements.html"
        pngs = re.findall(r'<a class="so-png" download="[^"]+" href="([^"?]+)\?v=', page.read_text(encoding="utf-8"))
        assert len(pngs) == 16 and all((page.parent / png).is_file() for png in pngs)


def test_the_linkcheck_builder_runs_offline(tmp_path):
    """External links are not fetched (the configuration ignores them; the
    book's own links are tests/test_links.py's): a strict linkcheck passes
    with no network."""
    proc = _jupyter_book([".", "--builder", "linkcheck", "-W", "-n", "--keep-going"], tmp_path)
    assert proc.returncode == 0, proc.stdout[-1500:] + proc.stderr[-1500:]
    statuses = {json.loads(line)["status"] for line in (tmp_path / "_build").rglob("output.json").__next__()
                .read_text(encoding="utf-8").splitlines()}
    assert statuses <= {"unchecked", "ignored", "working"}, statuses


def test_a_book_on_other_data_describes_that_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "china_outsourcing_certifications.csv"
    import csv
    import io

    table = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    added = dict(table[4], row_id="ce_new_2021", period="2021", value="2100", value_status="reported",
                 provenance="release", source_block_id="", source_quote="2021年新增国际认证2100个",
                 source_url="https://example.org/2021", source_note="An example release", formula="")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table + [added])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    rows = len(table) + 1
    out = tmp_path / "book"
    proc = subprocess.run([sys.executable, "-m", "sobook", "run", "challenges", "--data-dir", str(data),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    page = (out / "pages" / "reproduce.html").read_text(encoding="utf-8")
    shown = re.search(r"china_outsourcing_certifications\.csv</code>, (\d+) rows", page.replace("<wbr>", ""))
    assert shown and int(shown.group(1)) == rows


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_dollar_reads_as_maths_in_a_notebook_viewer(name):
    """JupyterLab, nbconvert and GitHub read $…$ in Markdown as maths: every $
    of the text ("US$711.06 billion") is escaped (MyST reads \\$ as $); in code
    spans and fences it is code, and stays."""
    import nbformat

    nb = nbformat.read(ROOT / "chapters" / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"(?ms)^(`{3,}|~{3,}).*?^\1", "", cell.source)  # fences
        text = re.sub(r"`[^`]*`", "", text)                              # code spans
        assert not re.search(r"(?<!\\)\$", text), (name, text[:120])


def test_the_book_shows_no_backslash_before_a_dollar(book_html):
    for rel in ["chapters/achievements.html", "chapters/trends.html", "chapters/outlook-fared.html"]:
        assert "\\$" not in (book_html / rel).read_text(encoding="utf-8"), rel


def _pytest_as_configured(test_file: Path, *options: str):
    """pytest run, with this project's configuration, on a test file of its
    own: (the finished process, everything it printed)."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-c", str(ROOT / "pyproject.toml"),
                           "--rootdir", str(test_file.parent), *options, str(test_file)],
                          capture_output=True, text=True, cwd=test_file.parent, timeout=120)
    return done, done.stdout + done.stderr


def test_a_hung_test_ends_the_run_with_its_stack(tmp_path, pytestconfig):
    """CI's pytest, as configured here: a test that never returns (a browser
    call has no timeout of its own) ends the run with a failure and the hung
    line's stack, instead of holding CI until its own limit. The configured
    limit is shortened here; the real one must leave the suite inside CI's
    90 minutes."""
    assert 0 < float(pytestconfig.getini("timeout")) <= 1800
    (tmp_path / "test_hangs.py").write_text(
        "import time\n\ndef test_never_returns():\n    time.sleep(600)  # the hung call\n")
    started = time.monotonic()
    done, out = _pytest_as_configured(tmp_path / "test_hangs.py", "-o", "timeout=3")
    assert done.returncode != 0, out
    assert time.monotonic() - started < 60, "the hung test was not stopped"
    assert "Timeout" in out and "time.sleep(600)  # the hung call" in out, out


def test_only_a_page_without_frames_is_tried_again(tmp_path):
    """CI's pytest, as configured here (tests/conftest.py): a browser test
    that failed because headless Chromium gave its page no frames
    (support.NoFrames) runs once more; any other failure is final, and so is
    that one in a test that drives no browser."""
    for name in ("conftest.py", "support.py"):
        shutil.copy(ROOT / "tests" / name, tmp_path / name)
    (tmp_path / "test_frames.py").write_text(
        "from pathlib import Path\n\nimport pytest\n\n"
        "@pytest.fixture\ndef browser():\n    return None\n\n"
        "def stall_once(name):\n"
        "    seen = Path(__file__).with_name(name)\n"
        "    if not seen.exists():\n"
        "        seen.write_text('1')\n"
        "        raise AssertionError('http://x/: headless Chromium gave the page no frames: {}')\n\n"
        "def test_stalls_once(browser):\n    stall_once('seen')\n\n"
        "def test_stalls_without_a_browser():\n    stall_once('seen-too')\n\n"
        "def test_fails_for_real(browser):\n"
        "    raise AssertionError('http://x/: charts not drawn within 15000 ms: {}')\n")
    done, out = _pytest_as_configured(tmp_path / "test_frames.py")
    assert done.returncode == 1, out
    assert "2 failed, 1 passed, 1 rerun" in out, out
    assert "test_fails_for_real" in out and "test_stalls_without_a_browser" in out, out


def _nbval(repo, notebook):
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"chapters/{notebook}",
                           "--nbval", "--nbval-current-env"], cwd=repo, capture_output=True, text=True, timeout=600,
                          env=dict(_env(), PYTHONPATH=str(repo)))


def test_nbval_names_the_number_that_changed(tmp_path):
    """On data a later release revised (the US forecast for 2025, 170 → 180,
    with the 2020 base it implies), nbval fails at the chart that draws it
    and its difference is that value, not a page of Vega-Lite JSON."""
    from support import copy_repository

    repo = copy_repository(tmp_path / "repo")
    path = repo / "data" / "offshore_outsourcing_demand_forecasts.csv"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^(df_us_2025,(?:[^,]*,){3})170\.0,", r"\g<1>180.0,", text, flags=re.M)
    text = re.sub(r"^(df_us_2020_implied,(?:[^,]*,){3})139\.7,", rf"\g<1>{180 / 1.04 ** 5:.1f},", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    proc = _nbval(repo, "trends.ipynb")
    assert proc.returncode == 1 and "1 failed" in proc.stdout, proc.stdout[-3000:]
    assert 'chapter.figure("e9")' in proc.stdout
    assert "180 US$ billion" in proc.stdout and "170 US$ billion" in proc.stdout
    assert "vega" not in proc.stdout.lower()


def test_nbval_on_bad_data_stops_at_the_first_cell(tmp_path):
    """A value that breaks the schema: one failure, the setup cell's, with
    the one line that names file, line, column and rule; the cells after it
    are skipped, not failed one by one."""
    from support import copy_repository

    repo = copy_repository(tmp_path / "repo")
    path = repo / "data" / "china_outsourcing_executed_value.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",105.77,", ",105.77 bn,", 1), encoding="utf-8")
    proc = _nbval(repo, "trends.ipynb")
    assert re.search(r"\b1 failed, \d+ passed, \d+ skipped\b|\b1 failed, \d+ skipped\b", proc.stdout), proc.stdout[-3000:]
    assert "DataError: " in proc.stdout and "type 'number': '105.77 bn' is not a number" in proc.stdout
    assert len(proc.stdout.splitlines()) < 80
