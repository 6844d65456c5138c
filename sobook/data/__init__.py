"""The edition's data package: loading and validation, in one place.

    from sobook import data
    frames = data.load_all(data_dir)      # {resource name: DataFrame}, all checked
    df = data.load("china_outsourcing_executed_value", data_dir)
    data.validate(data_dir)               # "26 resources, 650 rows", or DataError
    data.problems(data_dir)               # every error, one line each ([] if none)

Every entry point goes through here: ``make book`` and ``sobook run`` before
they start a kernel, and every chapter's ``chapter.setup()``, so papermill,
nbval, JupyterLab and Jupyter Book refuse bad data with the same one line.
A problem raises :class:`DataError`, whose message names the file, the line
(as a person counts lines in the CSV: the header is line 1), the column and
the rule that was broken, and how many more problems there are. One pass
finds them all: :func:`problems` lists every one (``python -m sobook validate
DIR``); loading raises the first. A row with a problem is left out of the
package's checks, so the rows computed from it are not blamed as well.

What is checked, in order:

1. the directory and its ``datapackage.json`` (:mod:`sobook.data.descriptor`):
   the edition's descriptor is the authority for its resources' schemas, so
   a data directory cannot loosen them; resource paths stay inside the
   directory;
2. each CSV by the one reader (:mod:`sobook.data.csvfile`): UTF-8 with or
   without a BOM, types, required, enum, pattern, unique, primary key, and
   the edition's rules (:mod:`sobook.data.rules`): text is what it looks like
   (numbers, periods and identifiers in ASCII, so a digit is 0-9 and nothing
   is normalised; no control, bidirectional or invisible character in any
   cell), finite numbers, bounds by unit, years, at least one and at most
   :data:`rules.MAX_ROWS` rows, provenance, one value drawn per figure;
3. the package as a whole: row ids unique across every file, and every
   derived row equal to what its formula gives (:mod:`sobook.data.formula`,
   a bounded evaluator) at its printed precision.

Why not ``frictionless`` at run time: ``import frictionless`` alone costs a
third of a second and it knows nothing of units, provenance or formulas. The
test suite runs ``frictionless.validate`` on the package so that the
descriptor stays valid Table Schema and the two agree.
"""

from __future__ import annotations

import csv
import os
import shlex
from pathlib import Path

import pandas as pd

from sobook.data import csvfile
from sobook.data import descriptor as _descriptor
from sobook.data.descriptor import DEFAULT_DATA_DIR, DESCRIPTOR
from sobook.data.formula import FormulaError, decimals, evaluate, formula_names, matches_printed
from sobook.data.quotes import Reading, printed_readings, quantities, readings, value_in_quote
from sobook.data.rules import PROVENANCE_VALUES, STATUS_VALUES, UNITS, DataError

__all__ = [
    "DEFAULT_DATA_DIR", "DESCRIPTOR", "DataError", "FormulaError", "PROVENANCE_VALUES", "Reading",
    "STATUS_VALUES", "UNITS", "decimals", "descriptor", "evaluate", "formula_names", "load", "load_all",
    "matches_printed", "printed_readings", "problems", "quantities", "readings", "resource_names", "validate",
    "value_in_quote",
]


def _dir(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR


def check_dir(data_dir) -> Path:
    """The cheap refusals: the folder exists, can be read and holds a descriptor."""
    d = _dir(data_dir)
    if not d.exists():
        raise DataError(f"data directory {d} does not exist")
    if not d.is_dir():
        raise DataError(f"data directory {d} is not a directory")
    try:
        present = set(os.listdir(d))
    except OSError as exc:
        raise DataError(f"data directory {d} cannot be read ({exc.strerror or exc})") from None
    if not os.access(d, os.R_OK | os.X_OK):
        raise DataError(f"data directory {d} cannot be read (permission denied)")
    if DESCRIPTOR not in present:
        raise DataError(
            f"{d / DESCRIPTOR}: file is missing (the data package descriptor); a data directory holds the "
            "CSVs and their datapackage.json: start from a copy of data/"
        )
    return d


def descriptor(data_dir=None) -> dict:
    """The parsed datapackage.json of a data directory (its shape checked)."""
    return _descriptor.read_descriptor(check_dir(data_dir))


def resource_names(data_dir=None) -> list[str]:
    return [r["name"] for r in descriptor(data_dir)["resources"]]


# --------------------------------------------------------------------------
# the whole package, checked once and cached while no file changes

_cache: dict[Path, tuple[tuple, dict[str, pd.DataFrame]]] = {}


def _signature(d: Path) -> tuple:
    """What the cached result depends on: every file's size and mtime in the
    directory (one level; resource paths may name sub-folders, hence the
    descriptor's own listing as well) and the edition's descriptor."""
    def stat(p: Path):
        try:
            s = p.stat()
            return (str(p), s.st_mtime_ns, s.st_size, s.st_ino)
        except OSError:
            return (str(p), None)

    files = sorted(d.rglob("*.csv")) + [d / DESCRIPTOR, DEFAULT_DATA_DIR / DESCRIPTOR]
    return tuple(stat(p) for p in files)


def load_all(data_dir=None) -> dict[str, pd.DataFrame]:
    """Every resource of the package, validated by every rule, by name (in
    the descriptor's order). Frames are shared with later calls: treat them
    as read-only (pandas copies on write, so a derived frame is yours)."""
    d = check_dir(data_dir).resolve()
    sig = _signature(d)
    hit = _cache.get(d)
    if hit and hit[0] == sig:
        return dict(hit[1])
    frames, found = _check(d)
    if found:
        more = len(found) - 1
        raise DataError(found[0] + (f" (and {more} more error{'s' * (more > 1)}: python -m sobook validate "
                                    f"{shlex.quote(str(d))} lists them)" if more else ""))
    _cache[d] = (sig, frames)
    return dict(frames)


def problems(data_dir=None) -> list[str]:
    """Every problem of a data directory, one line each, by file (in the
    descriptor's order) and line; [] when it is valid. A directory that is
    missing or unreadable raises DataError."""
    d = check_dir(data_dir).resolve()
    sig = _signature(d)
    frames, found = _check(d)
    if not found:
        _cache[d] = (sig, frames)
    return found


def load(name: str, data_dir=None) -> pd.DataFrame:
    """One resource of the package as a DataFrame (the whole package is validated)."""
    frames = load_all(data_dir)
    if name not in frames:
        raise DataError(
            f"{_dir(data_dir) / DESCRIPTOR}: no resource named {name!r} (the package has: {', '.join(frames)})"
        )
    return frames[name]


def validate(data_dir=None) -> str:
    """Check the whole package; a summary ("26 resources, 650 rows") or DataError."""
    frames = load_all(data_dir)
    return f"{len(frames)} resources, {sum(len(f) for f in frames.values())} rows"


def _check(d: Path) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The frames and every problem, in one pass: (file's place in the
    descriptor, line, message), sorted; the descriptor's own come first."""
    found: list[tuple[int, int, str]] = []
    refused: list[str] = []

    def refuse(name: str, message: str) -> None:
        found.append((-1, 0, message))
        refused.append(name)

    try:
        entries = _descriptor.resources(d, refuse)
    except DataError as exc:
        return {}, [str(exc)]
    tables = []
    for place, r in enumerate(entries):
        table = csvfile.read(r["name"], r["path"], r["schema"],
                             lambda line, message, place=place: found.append((place, line, message)))
        tables.append(table)
    places = {r["name"]: i for i, r in enumerate(entries)}
    _check_package(d, tables, refused + [r["name"] for r, t in zip(entries, tables) if t is None],
                   lambda name, line, message: found.append((places.get(name, -1), line, message)))
    found.sort(key=lambda f: f[:2])
    return {t.name: t.frame for t in tables if t is not None}, [m for _, _, m in found]


def _edition_rows() -> dict[str, str]:
    """Row id -> the edition's resource that holds it (read only to say where
    a missing row belongs)."""
    where = {}
    for r in _descriptor.edition()["resources"]:
        try:
            with open(DEFAULT_DATA_DIR / r["path"], encoding="utf-8-sig", newline="") as f:
                where.update((row.get("row_id") or "", r["name"]) for row in csv.DictReader(f))
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
    return where


def _check_package(d: Path, tables: list, unread: list[str], report) -> None:
    """Row ids unique across the package; derived rows equal their formulas.
    `unread`: the resources refused or whose files could not be read (reported already)."""
    where: dict[str, tuple[Path, int]] = {}
    values: dict[str, float] = {}
    broken: set[str] = set()
    derived = []
    for t in tables:
        if t is None or "row_id" not in t.frame.columns:
            continue
        broken |= t.broken
        for line, raw, row in zip(t.lines, t.raw, t.frame.itertuples(index=False)):
            rid = raw["row_id"]
            if rid in where:
                path, other = where[rid]
                report(t.name, line, f"{t.path}: line {line}, column 'row_id': rule 'unique across the package': "
                                     f"{rid!r} is also the id of line {other} of {path.name}")
                broken.add(rid)
                continue
            where[rid] = (t.path, line)
            value = getattr(row, "value", None)
            if value is not None and value == value:
                values[rid] = float(value)
            if raw.get("provenance") == "derived" and (raw.get("formula") or "").strip():
                derived.append((t, line, raw))
    listed = {t.name for t in tables if t is not None} | set(unread)
    with_broken_rows = {t.name for t in tables if t is not None and t.broken}
    edition_rows = None
    dropped: set[str] = set()
    for t, line, raw in derived:
        at = f"{t.path}: line {line}, column 'formula'"
        try:
            names = set(formula_names(raw["formula"]))
            if names & broken:
                continue  # a row it is computed from has a problem of its own
            computed = evaluate(raw["formula"], values)
        except KeyError as exc:
            missing = next(n for n in formula_names(raw["formula"]) if n not in values)
            edition_rows = _edition_rows() if edition_rows is None else edition_rows
            home = edition_rows.get(missing)
            if home in unread or home in dropped or home in with_broken_rows:
                continue  # reported already (the row itself may be the broken one)
            if home and home not in listed:
                dropped.add(home)
                report(None, 0, f"{d / DESCRIPTOR}: rule 'resources': resource '{home}' is not listed, yet line {line} "
                                f"of {t.path.name} computes from its row '{missing}'")
                continue
            report(t.name, line, f"{at}: {exc.args[0]}")
            continue
        except FormulaError as exc:
            report(t.name, line, f"{at}: cannot be computed ({exc})")
            continue
        if raw.get("value", "") == "":
            continue
        if not matches_printed(computed, raw["value"]):
            report(t.name, line,
                   f"{t.path}: line {line}, column 'value': row '{raw['row_id']}' is derived and its formula gives "
                   f"{computed:.6g}, not {raw['value']} (update the value, or the rows it is computed from)")
