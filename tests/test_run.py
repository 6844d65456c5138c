"""`python -m sobook run`: re-running chapters on another data directory.

* the worked example (examples/outcomes-2021-2025) is the edition's data with
  the 2021-2025 outcomes appended to their series, validates, and every row
  traces back to its source like the edition's own rows;
* on it the report's figures extend to the new years with no change of code;
* bad input (unknown chapter, missing or unreadable directory, a CSV that
  breaks the schema, a value of the wrong type, a stale derived value, an
  output folder that is not ours) gives one clear message and a non-zero
  exit, and an earlier output folder stays byte for byte as it was;
* two real runs: the example builds a book whose chart specs hold the new
  years, and a broken copy fails in a chapter cell, naming chapter, cell and
  cause, while the book built before stays untouched.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sobook import charts, data, pipeline
from sobook.__main__ import main
from sobook.ledger import readable
from sobook.pipeline import html, run
from support import csv_rows, set_cell, tree_digest, write_csv

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLE = ROOT / "examples" / "outcomes-2021-2025"
REFERENCE = DATA / "source" / "reference"
PY = sys.executable


# --------------------------------------------------------------------------
# helpers


def copy_example(dest: Path) -> Path:
    shutil.copytree(EXAMPLE, dest)
    return dest


@pytest.fixture
def earlier(tmp_path) -> Path:
    """An output folder from an earlier run (it carries the run's marker)."""
    out = tmp_path / "out"
    (out / "chapters").mkdir(parents=True)
    (out / "index.html").write_text("<p>the earlier book</p>")
    (out / "chapters" / "trends.html").write_text("<p>trends, earlier</p>")
    (out / html.MARKER).write_text("{}\n")
    return out


def run_cli(capsys, *args) -> tuple[int, str]:
    code = main(["run", *map(str, args)])
    return code, capsys.readouterr().err


# --------------------------------------------------------------------------
# the worked example


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_outcomes_example", ROOT / "examples" / "make_outcomes_example.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_example_is_the_edition_data_with_the_outcomes_appended():
    files = _load_generator().build()
    on_disk = {p.name for p in EXAMPLE.iterdir() if p.is_file() and p.suffix in (".csv", ".json")}
    stale = sorted(n for n, text in files.items() if not (EXAMPLE / n).is_file()
                   or (EXAMPLE / n).read_text(encoding="utf-8") != text)
    assert not stale and on_disk == set(files), (
        f"examples/outcomes-2021-2025 is out of date with data/ ({', '.join(stale) or 'extra files'}): "
        "run `.venv/bin/python examples/make_outcomes_example.py`"
    )
    desc = json.loads((EXAMPLE / "datapackage.json").read_text(encoding="utf-8"))
    assert not [r for r in desc["resources"] if r["name"].endswith("_outcomes")]


def test_example_holds_every_outcome_row_in_its_series():
    main_desc = data.descriptor(DATA)
    example = data.load_all(EXAMPLE)
    outcome_resources = [r["name"] for r in main_desc["resources"] if r.get("outcomesOf")]
    assert len(outcome_resources) >= 8
    for name in outcome_resources:
        parent = name.removesuffix("_outcomes")
        ids = set(data.load(name, DATA)["row_id"])
        assert ids <= set(example[parent]["row_id"]), (name, ids - set(example[parent]["row_id"]))
    years = set(example["china_outsourcing_executed_value"]["period"])
    assert {"2021", "2022", "2023", "2024", "2025"} <= years


def test_example_validates():
    summary = pipeline.validate_data(EXAMPLE)
    assert "resources" in summary


def test_example_is_valid_frictionless():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(EXAMPLE / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


def _example_rows():
    desc = json.loads((EXAMPLE / "datapackage.json").read_text(encoding="utf-8"))
    out = []
    for res in desc["resources"]:
        with open(EXAMPLE / res["path"], encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                if "provenance" in row:
                    out.append({**row, "_where": f"{res['name']}:{line}:{row['row_id']}"})
    return out


EXAMPLE_ROWS = _example_rows() if EXAMPLE.is_dir() else []
REFERENCE_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted(REFERENCE.glob("*.md")))


@pytest.mark.parametrize("row", [r for r in EXAMPLE_ROWS if r["provenance"] == "release"], ids=lambda r: r["_where"])
def test_example_release_rows_quote_the_reference(row):
    assert row["source_quote"] in REFERENCE_TEXT, "quote not found in data/source/reference/"
    # the lists give a few addresses without their scheme
    assert row["source_url"].split("://", 1)[-1] in REFERENCE_TEXT, "address not listed in data/source/reference/"
    assert data.value_in_quote(float(row["value"]), row["unit"], readable(row["source_quote"]))


def test_example_derived_rows_recompute():
    values = {r["row_id"]: float(r["value"]) for r in EXAMPLE_ROWS if r.get("value")}
    for r in EXAMPLE_ROWS:
        if r["provenance"] == "derived" and r.get("formula"):
            computed = data.evaluate(r["formula"], values)
            assert data.matches_printed(computed, r["value"]), (r["_where"], computed, r["value"])


# --------------------------------------------------------------------------
# extending a series needs no code


def _years(panel) -> set[str]:
    """The years of the yearly marks (not of the lines drawn for an average)."""
    df = panel.data
    return set(df.loc[~df["Series"].str.contains("average", case=False), "Year"])


@pytest.mark.parametrize("fig_id, new", [
    ("1-1", {"2022", "2023", "2024", "2025"}),
    ("1-2", {"2022", "2023", "2024", "2025"}),
    # (Figure 1-6 draws new employees per year, which the example does not extend;
    # the number employed is Chart E17's, which reads the outcomes either way)
    ("1-10", {"2021"}),
    ("1-12", {"2021", "2022"}),
])
def test_report_figures_extend_on_the_example_only(fig_id, new):
    mine, theirs = charts.build(fig_id, DATA), charts.build(fig_id, EXAMPLE)
    assert not _years(mine) & new, "the edition's book shows the report's years"
    assert new <= _years(theirs)
    last = max(y for y in _years(theirs) if y.isdigit())
    assert theirs.title.endswith(f"–{last}") or f"–{last}:" in theirs.title, theirs.title
    assert theirs.spec()["description"] == theirs.alt_text


def test_figure_1_12_draws_isg_figures_as_released():
    """On the example, Figure 1-12 draws ISG's figures as each release gives them and what the report's own
    figures imply (2019), never a value the edition computed from a later release: the report's forecast
    rebased to ISG's 2021 vintage (90 × 65.3 / 59.8, about 98.2 for 2025) is no ISG figure, and a later
    vintage's 2020 is Chart E14's, drawn with its release."""
    fig = charts.build("1-12", EXAMPLE)
    assert not set(fig.data["Data row"]) & {"isg_2025_rebased", "isg_2020_revised", "isg_2020_revised_2022"}
    assert "2025" not in _years(fig) and "98.2" not in fig.alt_text
    assert {"isg_2016", "isg_ito_2019", "isg_ito_2020", "isg_2021", "isg_2022"} <= set(fig.data["Data row"])


@pytest.mark.parametrize("fig_id", ["e11", "e12", "e13", "e14", "e15", "e16", "e17"])
def test_outcome_charts_are_the_same_either_way(fig_id):
    """Outcomes in their own resources (the edition) or appended to the series
    (the example): the charts about 2021-2025 read both the same."""
    a, b = charts.build(fig_id, DATA), charts.build(fig_id, EXAMPLE)
    assert a.data.to_dict("records") == b.data.to_dict("records")
    assert (a.title, a.alt_text, a.caption_note) == (b.title, b.alt_text, b.caption_note)


# --------------------------------------------------------------------------
# bad input: one message, non-zero exit, nothing overwritten


def test_unreadable_data_dir(capsys, tmp_path, earlier, monkeypatch):
    d = copy_example(tmp_path / "d")
    before = tree_digest(earlier)
    real = os.listdir

    def refuse(path="."):
        if Path(path) == d:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", refuse)
    code, err = run_cli(capsys, "trends", "--data-dir", d, "--out", earlier)
    assert code == 1 and f"error: data directory {d} cannot be read (Permission denied)" in err
    assert tree_digest(earlier) == before


def test_schema_may_not_change_a_type(capsys, tmp_path, earlier):
    """A descriptor that turns 'value' into text would let '151.4 bn' through
    its own validation, and the book would republish it: the directory is
    refused where its schema is not the edition's."""
    d = copy_example(tmp_path / "d")
    desc = json.loads((d / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in desc["resources"] if r["name"] == "isg_large_contracts")
    next(f for f in res["schema"]["fields"] if f["name"] == "value")["type"] = "string"
    (d / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    path = d / "isg_large_contracts.csv"
    table = csv_rows(path)
    table[1][table[0].index("value")] = "151.4 bn"
    write_csv(path, table)
    before = tree_digest(earlier)
    code, err = run_cli(capsys, "--data-dir", d, "--out", earlier)
    assert code == 1
    assert (f"{d / 'datapackage.json'}, resource 'isg_large_contracts', field 'value': rule 'schema': 'type' is "
            "'string' here, 'number' in the edition's") in err
    assert tree_digest(earlier) == before


def test_refuses_an_output_inside_the_data(capsys, tmp_path):
    d = copy_example(tmp_path / "d")
    code, err = run_cli(capsys, "trends", "--data-dir", d, "--out", d / "html")
    assert code == 1 and "overlaps the data directory" in err


def test_partial_book_toc_and_front_page(tmp_path):
    src = run.stage_book(tmp_path / "book", ["trends"], EXAMPLE, partial=True)
    toc = (src / "_toc.yml").read_text()
    assert "chapters/trends" in toc and "chapters/achievements" not in toc
    assert "Re-run on the data in" in (src / "index.md").read_text()
    full = run.stage_book(tmp_path / "full", pipeline.CHAPTERS, EXAMPLE, partial=False)
    assert (full / "_toc.yml").read_text() == (ROOT / "_toc.yml").read_text()


# --------------------------------------------------------------------------
# two real runs


def _cli(*args, cwd=ROOT):
    return subprocess.run([PY, "-m", "sobook", "run", *map(str, args)], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def example_book(tmp_path_factory):
    """The example run once for the module: achievements and trends."""
    out = tmp_path_factory.mktemp("run") / "html"
    proc = _cli("achievements", "trends", "--data-dir", EXAMPLE, "--out", out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, proc


def test_run_on_the_example_extends_the_charts(example_book):
    out, proc = example_book
    assert "[2/2] ✓" in proc.stdout and "Data: " in proc.stdout
    charts = out / "_static" / "charts"
    spec = lambda fig: (charts / f"chart-{fig}.js").read_text(encoding="utf-8")  # noqa: E731
    assert '"Year":"2025"' in spec("1-1") and '"Year":"2022"' in spec("1-1")
    assert '"Year":"2025"' in spec("1-2")
    assert '"Year":"2021"' in spec("1-10")
    assert '"Year":"2022"' in spec("1-12")
    # (a report figure's title on the page is the report's caption; the years
    # drawn reach the page in the chart's description)
    assert "In 2025, the latest year drawn" in (out / "chapters" / "achievements.html").read_text(encoding="utf-8")
    marker = json.loads((out / html.MARKER).read_text())
    assert marker["chapters"] == ["achievements", "trends"] and marker["data_dir"] == EXAMPLE.name
    # the committed notebooks and the main book are untouched
    committed = (ROOT / "chapters" / "achievements.ipynb").read_text(encoding="utf-8")
    assert "Stacked bars of offshore and onshore executed value" in committed
    assert "In 2025, the latest year drawn" not in committed


def test_a_broken_copy_fails_in_its_cell_and_keeps_the_earlier_book(example_book, tmp_path):
    out, _ = example_book
    before = tree_digest(out)
    d = copy_example(tmp_path / "broken")
    path = d / "isg_large_contracts.csv"
    write_csv(path, [r for r in csv_rows(path) if r[0] != "isg_2016"])  # Figure 1-12 needs it
    proc = _cli("trends", "--data-dir", d, "--out", out)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith("error: chapter 'trends', cell ")
    assert '(chapter.figure("1-12")): DataError: ' in errors[0]
    assert f"{path}: a chart needs exactly one row" in errors[0]
    assert tree_digest(out) == before


def test_reproduce_page_explains_the_commands_and_the_schema(book_html):

    html = (book_html / "pages" / "reproduce.html").read_text(encoding="utf-8").replace("<wbr>", "")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    for words in ("python -m sobook run", "make book DATA=DIR", "examples/outcomes-2021-2025", "What validation checks"):
        assert words in text, words
    for res in data.descriptor(DATA)["resources"]:
        assert f"<strong>{res['name']}</strong>" in html, res["name"]
        assert res["path"] in html


def test_reproduce_page_shows_the_error_validation_gives(capsys, tmp_path):
    """The sample error on the page is what validation says for that case."""
    page = (ROOT / "pages" / "reproduce.md").read_text(encoding="utf-8")
    shown = next(line for line in page.splitlines() if line.startswith("error: mydata/china_outsourcing_executed"))
    d = copy_example(tmp_path / "mydata")
    set_cell(d / "china_outsourcing_executed_value.csv", "ev_offshore_2023", "value", "151.4 bn")
    code, err = run_cli(capsys, "trends", "--data-dir", d, "--out", tmp_path / "out")
    assert code == 1 and err.strip() == shown.replace("error: mydata/", f"error: {d}/")


def test_two_runs_into_one_out_do_not_interleave(capsys, tmp_path, earlier):
    """The second run into an --out being written refuses (it does not wait)."""
    import fcntl

    before = tree_digest(earlier)
    from sobook.pipeline import procs

    lock = procs.lock_for(earlier)
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, err = run_cli(capsys, "trends", "--data-dir", EXAMPLE, "--out", earlier)
    assert code == 1 and f"--out {earlier} is in use by another run" in err
    assert tree_digest(earlier) == before
