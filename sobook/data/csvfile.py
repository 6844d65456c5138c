"""The one reader of every CSV in a data package: bytes to checked rows.

Encoding, a byte-order mark and line endings are handled here once (UTF-8,
with or without a BOM; LF or CRLF; quotes as RFC 4180 has them, strictly).
Then each row is checked against its schema (types, required, enum, bounds,
pattern, unique, primary key), the edition's rules (text is what it looks
like, finite numbers, bounds by unit, years) and the provenance rules.

Every problem is reported, not raised: ``report(line, message)``, the message
naming file, line (as a person counts lines in the CSV: the header is line 1),
column and rule. A problem that makes the rest of the file unreadable (not
UTF-8, a malformed row, a wrong header) ends the file's reading; any other
drops its row only, and the row's id is kept in :attr:`Table.broken`, so that
the package's checks do not blame the rows computed from it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sobook.data import rules
from sobook.data.rules import PER_ROW_UNIT, DataError, shown

_INT = re.compile(r"^[+-]?[0-9]+$")
_NUM = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
MAX_CELL = 20_000  # characters: the longest quote in the package is well under 1,000
MAX_BYTES = 20_000_000  # a file: the largest of the edition's is under 50 KB
# The order in which charts prefer one of several values of the same figure.
DRAWN_FIRST = {"report": 0, "release": 1, "derived": 2}

Report = Callable[[int, str], None]


@dataclass
class Table:
    """A checked resource: its frame (the rows without problems), each row's
    line and raw cells (the package-wide rules need the value as printed, and
    the line), and the ids of the rows dropped for a problem."""

    name: str
    path: Path
    frame: pd.DataFrame
    lines: list[int]
    raw: list[dict]
    broken: set[str] = field(default_factory=set)


def read_text(path: Path, name: str) -> str:
    """The file's text: UTF-8, without a byte-order mark."""
    if not path.exists():
        raise DataError(f"{path}: file is missing (declared by resource '{name}' in datapackage.json)")
    if not path.is_file():
        raise DataError(f"{path}: is not a file (declared by resource '{name}' in datapackage.json)")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DataError(f"{path}: rule 'size': {path.stat().st_size:,} bytes; a file of this edition holds at most "
                            f"{MAX_BYTES:,}")
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"{path}: line {line}: not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8") from None
    return text[1:] if text.startswith("\ufeff") else text


def _cast(raw: str, ftype: str):
    if ftype == "integer":
        if not _INT.match(raw):
            raise ValueError("not an integer")
        return int(raw)
    if ftype == "number":
        if not _NUM.match(raw):
            raise ValueError("not a number")
        return float(raw)
    if ftype == "boolean":
        if raw not in ("true", "false"):
            raise ValueError("not 'true' or 'false'")
        return raw == "true"
    return raw


def _constraint_error(value, raw: str, cons: dict) -> str | None:
    if "enum" in cons and value not in cons["enum"]:
        return f"constraint 'enum': {shown(raw)} is not one of [{', '.join(shown(v) for v in cons['enum'])}]"
    if "minimum" in cons and value < cons["minimum"]:
        return f"constraint 'minimum': {raw} is below the minimum {cons['minimum']}"
    if "maximum" in cons and value > cons["maximum"]:
        return f"constraint 'maximum': {raw} is above the maximum {cons['maximum']}"
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        return f"constraint 'pattern': {shown(raw)} does not match {cons['pattern']!r}"
    if "minLength" in cons and len(raw) < cons["minLength"]:
        return f"constraint 'minLength': {shown(raw)} is shorter than {cons['minLength']}"
    if "maxLength" in cons and len(raw) > cons["maxLength"]:
        return f"constraint 'maxLength': {shown(raw)} is longer than {cons['maxLength']}"
    return None


def ascii_only(fd: dict) -> bool:
    """Numbers, periods and identifiers: numeric fields, row ids, periods,
    units, formulas, addresses, and codes (a pattern, or an enum of ASCII words)."""
    name, cons = fd["name"], fd.get("constraints", {})
    return (fd.get("type") in ("number", "integer", "boolean")
            or name in ("row_id", "period", "unit", "source_url") or name.endswith("formula")
            or "pattern" in cons or ("enum" in cons and all(str(v).isascii() for v in cons["enum"])))


def _rows(text: str, path: Path):
    """(line where the row starts, cells) for every row, the header first."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            yield start, cells
    except csv.Error as exc:
        why = ("a quoted cell is never closed" if "unexpected end of data" in str(exc) else
               f"a quote inside a cell must be doubled, or close the cell: {exc}" if "expected after" in str(exc) else exc)
        raise DataError(f"{path}: line {last + 1}: not a well-formed CSV row ({why})") from None


def _header(text: str, path: Path, names: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows, or a DataError if the file cannot be read as the schema's table."""
    rows = []
    for start, cells in _rows(text, path):
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # a blank line
        if len(rows) > rules.MAX_ROWS:
            raise DataError(f"{path}: line {start}: rule 'rows': more than {rules.MAX_ROWS:,} rows; "
                            "a resource of this edition holds at most that many")
        rows.append((start, cells))
    if not rows:
        raise DataError(f"{path}: line 1: the file is empty (no header)")
    header = rows[0][1]
    for n in names:
        if n not in header:
            raise DataError(f"{path}: line 1, column '{n}': missing column (required by the schema)")
    for h in header:
        if h not in names:
            raise DataError(f"{path}: line 1, column {shown(h)}: column not declared in the schema")
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise DataError(f"{path}: line 1, column '{dup}': column appears twice")
    if len(rows) == 1:
        raise DataError(f"{path}: line 1: rule 'rows': a header and no rows; a resource holds at least one row")
    return header, rows[1:]


def read(name: str, path: Path, schema: dict, report: Report) -> Table | None:
    """Read and check one resource's CSV against its schema; None when the
    file cannot be read as a table at all (the problem is reported)."""
    fields = schema["fields"]
    names = [fd["name"] for fd in fields]
    try:
        header, rows = _header(read_text(path, name), path, names)
    except DataError as exc:
        report(0, str(exc))
        return None
    pos = {h: i for i, h in enumerate(header)}
    by_name = {fd["name"]: fd for fd in fields}
    unit_of = {}  # numeric field -> (per-row unit field or None, fixed unit or None)
    for fd in fields:
        if fd.get("type") in ("number", "integer"):
            m = PER_ROW_UNIT.match(fd.get("unit", ""))
            unit_of[fd["name"]] = (m.group(1), None) if m else (None, fd.get("unit"))
    unit_fields = {u for u, _ in unit_of.values() if u}
    plain = {fd["name"] for fd in fields if ascii_only(fd)}
    missing_values = set(schema.get("missingValues", [""]))
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else list(pk)
    seen_pk: dict[tuple, int] = {}
    duplicated: set[tuple] = set()
    seen_unique = {fd["name"]: {} for fd in fields if fd.get("constraints", {}).get("unique")}
    out, lines, raws, broken = [], [], [], set()
    for start, cells in rows:
        problems = []  # (column or None, message) of this row

        def problem(col: str | None, message: str) -> None:
            problems.append(f"{path}: line {start}" + (f", column '{col}'" if col else "") + f": {message}")

        if len(cells) != len(header):
            problem(None, f"row has {len(cells)} cells, the header has {len(header)}")
        row, raw_row = {}, {}
        for fd in fields if not problems else ():
            col = fd["name"]
            raw = cells[pos[col]]
            raw_row[col] = raw
            cons = fd.get("constraints", {})
            if len(raw) > MAX_CELL:
                problem(col, f"rule 'length': {len(raw):,} characters; a cell holds at most {MAX_CELL:,}")
                continue
            bad = rules.text_error(raw)
            if bad:
                problem(col, bad)
                continue
            if raw in missing_values:
                if cons.get("required") or col in pk:
                    problem(col, "constraint 'required': the value is missing")
                row[col] = None if fd.get("type") in ("number", "integer") else ""
                continue
            bad = rules.ascii_error(raw, formula=col.endswith("formula")) if col in plain else None
            if bad:
                problem(col, bad)
                continue
            try:
                value = _cast(raw, fd.get("type", "string"))
            except ValueError as exc:
                problem(col, f"type '{fd.get('type')}': {shown(raw)} is {exc}")
                continue
            if col in unit_fields and "enum" in cons and value not in cons["enum"]:
                problem(col, f"rule 'unit': {shown(raw)} is not a unit declared for this resource in "
                             f"datapackage.json (declared: {', '.join(cons['enum'])})")
                continue
            bad = _constraint_error(value, raw, cons)
            if bad:
                problem(col, bad)
                continue
            if col in seen_unique:
                if value in seen_unique[col]:
                    problem(col, f"constraint 'unique': {shown(raw)} already appears on line {seen_unique[col][value]}")
                    continue
                seen_unique[col][value] = start
            row[col] = value
        if not problems:
            _check_row(row, raw_row, unit_of, by_name, problem)
        if not problems and pk:
            key = tuple(row[k] for k in pk)
            if key in seen_pk:
                duplicated.add(key)
                problem(pk[0], f"primary key ({', '.join(pk)}) = ({', '.join(shown(k) for k in key)}) duplicates line "
                               f"{seen_pk[key]}")
            else:
                seen_pk[key] = start
        if problems:
            for message in problems:
                report(start, message)
            if "row_id" in pos and len(cells) > pos["row_id"]:
                broken.add(cells[pos["row_id"]])
            continue
        out.append(row)
        lines.append(start)
        raws.append(raw_row)
    if "provenance" in pk and "row_id" in names:
        kept = [(row, line) for row, line in zip(out, lines) if tuple(row[k] for k in pk) not in duplicated]
        for line, message in _second_values([r for r, _ in kept], [n for _, n in kept],
                                            [k for k in pk if k != "provenance"]):
            report(line, f"{path}: line {line}, column 'provenance': {message}")
    frame = pd.DataFrame(out, columns=names)
    for fd in fields:
        col = fd["name"]
        if fd.get("type") == "number":
            frame[col] = frame[col].astype("float64")
        elif fd.get("type") == "integer":
            frame[col] = frame[col].astype("Int64") if frame[col].isna().any() else frame[col].astype("int64")
        else:
            frame[col] = frame[col].astype("object")
    frame.attrs["resource"] = name
    frame.attrs["path"] = str(path)
    return Table(name, path, frame, lines, raws, broken)


def _check_row(row: dict, raw_row: dict, unit_of: dict, by_name: dict, problem) -> None:
    """The rules across a row's cells: bounds by unit, years, provenance."""
    for col, (ucol, fixed) in unit_of.items():
        if row[col] is None:
            continue
        unit = row.get(ucol) if ucol else fixed
        bounds = by_name[col].get("unitConstraints", {}).get(unit) if ucol else None
        bad = _constraint_error(row[col], raw_row[col], bounds) if bounds else None
        if bad:
            problem(col, f"{bad} (for unit {unit!r})")
            continue
        bad = rules.number_error(row[col], unit)
        if bad:
            problem(col, bad)
    if "period" in row:
        bad = rules.year_error(row["period"])
        if bad:
            problem("period", bad)
    if "provenance" in row:
        bad = rules.provenance_error(row)
        if bad:
            problem(bad[0], f"rule {bad[1]}")


def _second_values(rows: list[dict], lines: list[int], key_cols: list[str]):
    """(line, message) for every value of a figure (same key but provenance)
    that charts would silently leave out. They draw one value per figure: the
    report's, else a release's, else a derived one. Any other value of the
    same figure is a companion of that one (a later release beside the
    report's, a derived check): its provenance comes later and its row id
    extends the drawn row's (ev_total_2020 -> ev_total_2020_release)."""
    figures: dict[tuple, list[tuple[int, dict]]] = {}
    for line, row in zip(lines, rows):
        figures.setdefault(tuple(row[k] for k in key_cols), []).append((line, row))
    for values in figures.values():
        if len(values) < 2:
            continue
        drawn_line, drawn = min(values, key=lambda v: (DRAWN_FIRST.get(v[1]["provenance"], 9), v[0]))
        for line, row in values:
            if row is drawn or (DRAWN_FIRST.get(row["provenance"], 9) > DRAWN_FIRST.get(drawn["provenance"], 9)
                                and row["row_id"].startswith(drawn["row_id"] + "_")):
                continue
            # Blamed: the later of the two lines (the one added, as a file is read).
            (later, _), (earlier, first) = sorted([(line, row), (drawn_line, drawn)], key=lambda v: -v[0])
            yield later, (
                f"rule 'one value drawn': line {earlier} ({first['row_id']!r}, {first['provenance']}) is the same "
                "figure; charts draw one per figure (report, else release, else derived): keep one, or make the "
                "other the drawn row's companion (a later provenance, a row id extending its)"
            )
