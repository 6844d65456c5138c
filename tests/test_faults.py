"""The fault matrix: every kind of bad input a user can give, one case per
row, each refused with one line naming file, line, column and rule (or the
option), by the one validation path every entry point goes through
(sobook.data). The README's table "When something is wrong" is this matrix:
a test keeps the two the same.

Most cases run `data.validate` on a changed copy of data/ (the function
`make book`, `sobook run` and every chapter's `chapter.setup()` call); the
command-line cases run `python -m sobook`; the entry-point cases show that
papermill and `sobook run` refuse bad data with the very same line.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sobook import data
from support import csv_rows, set_cell, write_csv

ROOT = Path(__file__).resolve().parent.parent
EV = "china_outsourcing_executed_value"
SHARES = "china_offshore_outsourcing_export_shares"


# --------------------------------------------------------------------------
# changing a copy of the data


def descriptor(d: Path, change: Callable[[dict], object]) -> None:
    p = d / "datapackage.json"
    desc = json.loads(p.read_text(encoding="utf-8"))
    out = change(desc)
    p.write_text(json.dumps(desc if out is None else out, ensure_ascii=False), encoding="utf-8")


def resource(desc: dict, name: str) -> dict:
    return next(r for r in desc["resources"] if r["name"] == name)


def _first_derived(d: Path) -> tuple[str, str]:
    for r in csv.DictReader(open(d / f"{EV}.csv", encoding="utf-8")):
        if r["provenance"] == "derived":
            return r["row_id"], r["value"]
    raise AssertionError("no derived row")


# --------------------------------------------------------------------------
# the matrix


@dataclass
class Fault:
    name: str          # the test id: what it proves
    what: str          # the bad input, as the README says it
    change: Callable   # change(d) -> None, on a copy of data/
    says: str          # what the one line must contain (a regular expression)


def _bom(d):
    p = d / f"{EV}.csv"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())


def _bom_and_stale(d):
    rid, value = _first_derived(d)
    set_cell(d / f"{EV}.csv", rid, "value", str(float(value) + 50))
    _bom(d)


def _crlf(d):
    p = d / f"{EV}.csv"
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))


def _symlink_out(d):
    outside = d.parent / "elsewhere.csv"
    shutil.copy(d / f"{EV}.csv", outside)
    (d / f"{EV}.csv").unlink()
    (d / f"{EV}.csv").symlink_to(outside)


def _many_rows(d):
    p = d / f"{EV}.csv"
    rows = csv_rows(p)
    rid = rows[0].index("row_id")
    extra = []
    for i in range(100_000):
        r = list(rows[1])
        r[rid] = f"x{i}"
        extra.append(r)
    write_csv(p, rows + extra)


def _loosened_share(d):
    """The data directory's own descriptor allows 150%: the edition's schema still rules."""
    def loosen(desc):
        for f in resource(desc, SHARES)["schema"]["fields"]:
            f.pop("unitConstraints", None)
            f.get("constraints", {}).pop("maximum", None)
    descriptor(d, loosen)
    rid = next(r["row_id"] for r in csv.DictReader(open(d / f"{SHARES}.csv", encoding="utf-8"))
               if r["unit"] == "% of total")
    set_cell(d / f"{SHARES}.csv", rid, "value", "150")


def _unit_added_to_own_descriptor(d):
    """A maintainer declares a new unit in the copy's descriptor only: said as the item added (two
    long lists cut short looked alike)."""
    def widen(desc):
        unit = next(f for f in resource(desc, "claims")["schema"]["fields"] if f["name"] == "unit")
        unit["constraints"]["enum"].append("RMB million")
    descriptor(d, widen)


def _duplicate_id_across_files(d):
    other = next(r for r in csv.DictReader(open(d / f"{SHARES}.csv", encoding="utf-8")))
    set_cell(d / f"{SHARES}.csv", other["row_id"], "row_id", "ev_total_2020")


def _ragged(d):
    p = d / f"{EV}.csv"
    rows = csv_rows(p)
    rows[3] = rows[3][:-2]
    write_csv(p, rows)


def _drop_column(d):
    p = d / f"{EV}.csv"
    rows = csv_rows(p)
    i = rows[0].index("qualifier")
    write_csv(p, [r[:i] + r[i + 1:] for r in rows])


def _extra_column(d):
    p = d / f"{EV}.csv"
    write_csv(p, [r + (["remark"] if i == 0 else [""]) for i, r in enumerate(csv_rows(p))])


def _nul(d):
    p = d / f"{EV}.csv"
    p.write_bytes(p.read_bytes().replace(b"ev_total_2020", b"ev_total\x002020", 1))


def _nested_descriptor(d):
    (d / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _unclosed_quote(d):
    """A quote opened in the last cell of the file and never closed."""
    p = d / f"{EV}.csv"
    text = p.read_text(encoding="utf-8")
    head, formula = text.rstrip("\n").rsplit(",", 1)
    p.write_text(f'{head},"{formula}\n', encoding="utf-8")


def _closing_quote_missing(d):
    """A quoted cell's closing quote deleted: the cell runs on into the next
    cells (and the row still has as many cells as the header)."""
    p = d / f"{EV}.csv"
    text = p.read_text(encoding="utf-8")
    start = text.index('"签订服务外包合同额2 357.0')
    end = text.index('"', start + 1)
    p.write_text(text[:end] + text[end + 1:], encoding="utf-8")


ISG = "isg_large_contracts"


def _header_only(d):
    p = d / f"{ISG}.csv"
    p.write_text(p.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")


def _dropped_resource(d):
    descriptor(d, lambda desc: desc["resources"].remove(resource(desc, ISG)))


def _second_value_other_provenance(d):
    """A report row for 2019 beside the release's: the charts would draw the
    new one and leave the release's out."""
    p = d / f"{EV}.csv"
    rows = csv_rows(p)
    h = rows[0]
    new = list(next(r for r in rows if r[0] == "ev_total_2020"))
    new[h.index("row_id")], new[h.index("period")], new[h.index("value")] = "ev_total_2019_report", "2019", "158.1"
    write_csv(p, rows + [new])


def _descriptor_changes_a_type(d):
    def to_string(desc):
        next(f for f in resource(desc, EV)["schema"]["fields"] if f["name"] == "value")["type"] = "string"
    descriptor(d, to_string)


FAULTS = [
    Fault("descriptor_missing", "no `datapackage.json` in the data directory",
          lambda d: (d / "datapackage.json").unlink(), r"datapackage\.json: file is missing"),
    Fault("descriptor_not_json", "`datapackage.json` is not JSON",
          lambda d: (d / "datapackage.json").write_text("{resources: [", encoding="utf-8"), r"line 1: not valid JSON"),
    Fault("descriptor_a_list", "`datapackage.json` holds `[]`",
          lambda d: (d / "datapackage.json").write_text("[]", encoding="utf-8"), r"must be a JSON object, not list"),
    Fault("descriptor_no_resources", "`datapackage.json` lists no resources",
          lambda d: descriptor(d, lambda desc: {"resources": []}), r"the descriptor lists no resources"),
    Fault("resource_without_path", "a resource without `path`",
          lambda d: descriptor(d, lambda desc: resource(desc, EV).pop("path") and None), r"resource '" + EV + r"'.*'path'.* is missing"),
    Fault("path_absolute", "a resource path that is absolute",
          lambda d: descriptor(d, lambda desc: resource(desc, EV).update(path="/etc/passwd")), r"rule 'path': '/etc/passwd' is absolute"),
    Fault("path_leaves_the_directory", "a resource path with `..`",
          lambda d: descriptor(d, lambda desc: resource(desc, EV).update(path="../x.csv")), r"rule 'path': '\.\./x\.csv' leads out"),
    Fault("symlink_leaves_the_directory", "a CSV that is a symbolic link out of the data directory",
          _symlink_out, r"rule 'path': .* is a link that leads out"),
    Fault("csv_missing", "a CSV the descriptor names is missing",
          lambda d: (d / f"{EV}.csv").unlink(), EV + r"\.csv: file is missing"),
    Fault("csv_empty", "an empty CSV",
          lambda d: (d / f"{EV}.csv").write_text("", encoding="utf-8"), r"line 1: the file is empty"),
    Fault("csv_not_utf8", "a CSV saved in another encoding (GB18030)",
          lambda d: (d / f"{EV}.csv").write_bytes((d / f"{EV}.csv").read_text(encoding="utf-8").replace(
              "reported", "已报告", 1).encode("gb18030")), r"line \d+: not UTF-8 text"),
    Fault("csv_nul_byte", "a CSV with a NUL byte",
          _nul, r"line \d+, column 'row_id': rule 'text': a control character \(U\+0000\)"),
    Fault("bom_and_stale_derived_value", "a CSV with a byte-order mark whose derived value is stale",
          _bom_and_stale, r"is derived and its formula gives"),
    Fault("missing_column", "a CSV without a column of the schema",
          _drop_column, r"line 1, column 'qualifier': missing column"),
    Fault("undeclared_column", "a CSV with a column the schema does not have",
          _extra_column, r"line 1, column 'remark': column not declared"),
    Fault("ragged_row", "a row with too few cells",
          _ragged, r"line 4: row has \d+ cells, the header has \d+"),
    Fault("not_a_number", "text in a number column (`151.4 bn`)",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "value", "151.4 bn"), r"column 'value': type 'number': '151\.4 bn' is not a number"),
    Fault("infinite_number", "`1e999` (infinity) as a value",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "value", "1e999"), r"column 'value': rule 'finite'"),
    Fault("negative_money", "a negative US$ value",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "value", "-175.35"), r"column 'value': constraint 'minimum'"),
    Fault("share_above_100_despite_own_descriptor", "a 150% share, with the data directory's descriptor loosened to allow it",
          _loosened_share, r"resource '" + SHARES + r"', field 'value': rule 'schema': .* here, .* in the edition's"),
    Fault("unit_added_to_own_descriptor", "a unit declared in the data directory's descriptor only",
          _unit_added_to_own_descriptor,
          r"resource 'claims', field 'unit': rule 'schema': 'constraints.enum' here has 'RMB million', not in the edition's"),
    Fault("growth_times_1000", "a growth rate typed ×1000 (`10200` for 10.2%)",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_growth_2020", "value", "10200"), r"rule 'bounds': 10200 is above 1000"),
    Fault("year_1899", "a period in 1899",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "period", "1899"), r"column 'period': rule 'years': 1899"),
    Fault("year_2099", "a period in 2099",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "period", "2099"), r"column 'period': rule 'years': 2099"),
    Fault("enum", "a value outside its list (`market` = `overseas`)",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "market", "overseas"), r"column 'market': constraint 'enum'"),
    Fault("unit_not_declared", "a unit the resource does not declare (`US$ bn`)",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "unit", "US$ bn"), r"column 'unit': rule 'unit': 'US\$ bn' is not a unit declared"),
    Fault("duplicate_key", "two rows with the same key",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2019", "period", "2020"), r"primary key .* duplicates line"),
    Fault("duplicate_row_id_across_files", "a row id used in two files",
          _duplicate_id_across_files, r"rule 'unique across the package': 'ev_total_2020' is also the id of line"),
    Fault("report_row_without_quote", "a report row without its quote",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "source_quote", ""), r"column 'source_quote': rule provenance"),
    Fault("stale_derived_value", "a derived value its formula no longer gives",
          lambda d: set_cell(d / f"{EV}.csv", _first_derived(d)[0], "value", str(float(_first_derived(d)[1]) + 50)),
          r"column 'value': row '.*' is derived and its formula gives"),
    Fault("formula_power_bomb", "a formula `9 ** 9 ** 9`",
          lambda d: set_cell(d / f"{EV}.csv", _first_derived(d)[0], "formula", "9 ** 9 ** 9"), r"column 'formula': cannot be computed .*exponent"),
    Fault("formula_code", "a formula that is code (`__import__('os')`)",
          lambda d: set_cell(d / f"{EV}.csv", _first_derived(d)[0], "formula", "__import__('os').getcwd()"), r"column 'formula': cannot be computed .*not allowed"),
    Fault("formula_unknown_row", "a formula naming a row that does not exist",
          lambda d: set_cell(d / f"{EV}.csv", _first_derived(d)[0], "formula", "ev_total_2099 - 1"), r"column 'formula': .*no row with row_id 'ev_total_2099'"),
    Fault("too_many_rows", "a CSV of 100,000 rows",
          _many_rows, r"rule 'rows': more than 5,000 rows"),
    Fault("huge_cell", "a cell of a million characters",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "source_note", "x" * 1_000_000), r"rule 'length'|not a well-formed CSV row"),
    Fault("descriptor_nested_deeply", "`datapackage.json` nested 100,000 levels deep",
          _nested_descriptor, r"datapackage\.json: line 1: rule 'descriptor': nested more than 32 levels deep"),
    Fault("descriptor_changes_a_type", "the data directory's descriptor declares `value` a `string`",
          _descriptor_changes_a_type,
          r"resource '" + EV + r"', field 'value': rule 'schema': 'type' is 'string' here, 'number' in the edition's"),
    Fault("csv_header_only", "a CSV with its header and no rows",
          _header_only, ISG + r"\.csv: line 1: rule 'rows': a header and no rows"),
    Fault("resource_dropped", "a resource left out of `datapackage.json` whose rows another file's formulas use",
          _dropped_resource, r"datapackage\.json: rule 'resources': resource '" + ISG + r"' is not listed, yet line \d+ of "
          + ISG + r"_outcomes\.csv computes from its row 'isg_\w+'"),
    Fault("unclosed_quote", "a quote that is never closed",
          _unclosed_quote, EV + r"\.csv: line \d+: not a well-formed CSV row \(a quoted cell is never closed\)"),
    Fault("closing_quote_missing", "a quoted cell whose closing quote is missing",
          _closing_quote_missing, EV + r"\.csv: line 20: not a well-formed CSV row \(a quote inside a cell must be doubled"),
    Fault("period_in_arabic_indic_digits", "a period in Arabic-Indic digits (`٢٠١٦`)",
          lambda d: set_cell(d / f"{EV}.csv", "ev_offshore_2016", "period", "\u0662\u0660\u0661\u0666"),
          r"column 'period': rule 'ascii': '\\u0662\\u0660\\u0661\\u0666' holds U\+0662 ARABIC-INDIC DIGIT TWO"),
    Fault("value_in_fullwidth_digits", "a value in fullwidth digits (`１０.９`)",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_growth_2020", "value", "\uff11\uff10.\uff19"),
          r"column 'value': rule 'ascii': '\\uff11\\uff10\.\\uff19' holds U\+FF11 FULLWIDTH DIGIT ONE"),
    Fault("enum_with_a_greek_letter", "`total` spelt with a Greek omicron (U+03BF) in `market`",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "market", "t\u03bftal"),
          r"column 'market': rule 'ascii': 't\\u03bftal' holds U\+03BF GREEK SMALL LETTER OMICRON"),
    Fault("unit_with_a_no_break_space", "a unit with a no-break space (U+00A0) for its space",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "unit", "US$\u00a0billion"),
          r"column 'unit': rule 'ascii': 'US\$\\u00a0billion' holds U\+00A0 NO-BREAK SPACE"),
    Fault("bidi_override_in_text", "a right-to-left override (U+202E) in a note",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020_release", "source_note", "total minus \u202eEVIL-RLO\u202c offshore"),
          r"column 'source_note': rule 'text': a bidirectional control \(U\+202E RIGHT-TO-LEFT OVERRIDE\)"),
    Fault("zero_width_space_in_text", "a zero-width space (U+200B) in a quote",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "source_quote", "执行额\u200b1753.5亿美元"),
          r"column 'source_quote': rule 'text': an invisible character \(U\+200B ZERO WIDTH SPACE\)"),
    Fault("byte_order_mark_inside_a_cell", "a byte-order mark (U+FEFF) inside a cell",
          lambda d: set_cell(d / f"{EV}.csv", "ev_total_2020", "source_quote", "\ufeff2020年"),
          r"column 'source_quote': rule 'text': an invisible character \(U\+FEFF ZERO WIDTH NO-BREAK SPACE\)"),
    Fault("bidi_override_in_the_descriptor", "a right-to-left override (U+202E) in a resource's title",
          lambda d: descriptor(d, lambda desc: resource(desc, SHARES).update(title="Shares \u202eRLO")),
          r"datapackage\.json: rule 'text': a bidirectional control \(U\+202E RIGHT-TO-LEFT OVERRIDE\) in "
          r"resources\[4\]\.title"),
    Fault("second_value_with_another_provenance", "a second 2019 value with another provenance",
          _second_value_other_provenance,
          r"line 42, column 'provenance': rule 'one value drawn': line 20 \('ev_total_2019', release\) is the same figure"),
]


@pytest.fixture
def copy(tmp_path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(ROOT / "data", d, ignore=shutil.ignore_patterns("source"))
    return d


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_refused_in_one_line(fault, copy):
    fault.change(copy)
    start = time.perf_counter()
    with pytest.raises(data.DataError) as err:
        data.validate(copy)
    message = str(err.value)
    assert time.perf_counter() - start < 10, "validation must not hang on bad input"
    assert "\n" not in message and re.search(fault.says, message), message
    assert len(message.replace(str(copy), "data")) < 400, f"{len(message)} characters"
    # The line names the file it is about (the descriptor or a CSV of the copy).
    assert str(copy) in message or str(copy.parent) in message, message


@pytest.mark.parametrize("change", [_bom, _crlf], ids=["byte_order_mark", "crlf_line_endings"])
def test_valid_files_in_other_shapes_pass(change, copy):
    change(copy)
    assert data.validate(copy) == data.validate(ROOT / "data")


def test_notebooks_show_the_one_line_not_a_traceback():
    """In IPython (JupyterLab, papermill, nbval) a DataError renders as its line."""
    err = data.DataError("x.csv: line 3, column 'value': rule 'finite'")
    assert err._render_traceback_() == ["DataError: x.csv: line 3, column 'value': rule 'finite'"]


# --------------------------------------------------------------------------
# the same line from every entry point


def _env():
    return dict(os.environ, PYTHONPATH=str(ROOT))


def test_sobook_run_and_papermill_refuse_with_the_same_line(copy, tmp_path):
    line = set_cell(copy / f"{EV}.csv", _first_derived(copy)[0], "value", "999")
    with pytest.raises(data.DataError) as err:
        data.validate(copy)
    expected = str(err.value)
    assert f"line {line}, column 'value'" in expected
    run = subprocess.run([sys.executable, "-m", "sobook", "run", "trends", "--data-dir", str(copy),
                          "--out", str(tmp_path / "out")], capture_output=True, text=True, env=_env(), cwd=ROOT)
    assert run.returncode == 1 and run.stderr.strip() == f"error: {expected}"
    assert not (tmp_path / "out").exists()
    pm = subprocess.run([sys.executable, "-m", "papermill", "chapters/trends.ipynb", str(tmp_path / "pm.ipynb"),
                         "-p", "data_dir", str(copy), "--no-progress-bar"],
                        capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=300)
    assert pm.returncode != 0
    assert f"DataError: {expected}" in pm.stderr
    assert "Traceback" not in pm.stderr.split("DataError", 1)[1]


# --------------------------------------------------------------------------
# the command line


CLI = [
    ("jobs_zero", ["run", "--jobs", "0", "--data-dir", "data", "--out", "OUT"], r"^error: argument --jobs: 0: at least one"),
    ("jobs_not_a_number", ["build", "--jobs", "two"], r"^error: argument --jobs: 'two' is not a whole number"),
    ("unknown_chapter", ["run", "nope", "--data-dir", "data", "--out", "OUT"], r"^error: unknown chapter 'nope'"),
    ("data_dir_missing", ["run", "--data-dir", "no-such-folder", "--out", "OUT"], r"^error: data directory .*no-such-folder does not exist"),
    ("out_is_the_repository", ["run", "--data-dir", "data", "--out", "."], r"^error: --out .*: that folder holds the repository"),
    ("out_is_the_main_build", ["run", "--data-dir", "data", "--out", "_build/html"], r"^error: --out .*: that is the main build's"),
    ("out_not_ours", ["run", "--data-dir", "data", "--out", "NOTOURS"], r"^error: --out .*: exists and was not made by `sobook run`"),
    ("no_command", [], r"^error: the following arguments are required: command"),
]


@pytest.mark.parametrize("name,args,says", CLI, ids=[c[0] for c in CLI])
def test_command_line_errors_are_one_line(name, args, says, tmp_path):
    (tmp_path / "notours").mkdir()
    (tmp_path / "notours" / "mine.txt").write_text("keep")
    args = [str(tmp_path / "out") if a == "OUT" else str(tmp_path / "notours") if a == "NOTOURS" else a for a in args]
    proc = subprocess.run([sys.executable, "-m", "sobook", *args], capture_output=True, text=True, env=_env(), cwd=ROOT,
                          timeout=120)
    assert proc.returncode in (1, 2), proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(says, lines[0]), proc.stderr
    assert (tmp_path / "notours" / "mine.txt").read_text() == "keep"


# --------------------------------------------------------------------------
# the README's table is this matrix


def test_the_readme_lists_every_fault_with_its_message():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## When something is wrong", 1)[1].split("\n## ", 1)[0]
    rows = [r for r in section.splitlines() if r.startswith("| ") and not r.startswith("| bad input") and "---" not in r]
    listed = {r.split(" | ")[0][2:].strip(): r for r in rows}
    for fault in FAULTS:
        assert fault.what in listed, f"README lacks the row for {fault.name}: {fault.what}"
    assert len(listed) >= len(FAULTS)
