"""The one reader of every CSV in a data package: bytes to checked rows.

Encoding, a byte-order mark and line endings are handled here once (UTF-8,
with or without a BOM; LF or CRLF). Then each row is checked against its
schema (types, required, enum, bounds, pattern, unique, primary key), the
edition's rules (finite numbers, bounds by unit, years) and the provenance
rules. The first problem raises a DataError naming file, line (as a person
counts lines in the CSV: the header is line 1), column and rule.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sobook.data import rules
from sobook.data.rules import PER_ROW_UNIT, DataError

_INT = re.compile(r"^[+-]?\d+$")
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
MAX_CELL = 20_000  # characters: the longest quote in the package is well under 1,000
MAX_BYTES = 20_000_000  # a file: the largest of the edition's is under 50 KB
# Control characters (but tab, line feed, carriage return) have no place in a
# cell and can disturb what shows it.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Table:
    """A checked resource: its frame, and each row's line and raw cells
    (the package-wide rules need the value as printed, and the line)."""

    name: str
    path: Path
    frame: pd.DataFrame
    lines: list[int]
    raw: list[dict]


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
        return f"constraint 'enum': {raw!r} is not one of {cons['enum']}"
    if "minimum" in cons and value < cons["minimum"]:
        return f"constraint 'minimum': {raw} is below the minimum {cons['minimum']}"
    if "maximum" in cons and value > cons["maximum"]:
        return f"constraint 'maximum': {raw} is above the maximum {cons['maximum']}"
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        return f"constraint 'pattern': {raw!r} does not match {cons['pattern']!r}"
    if "minLength" in cons and len(raw) < cons["minLength"]:
        return f"constraint 'minLength': {raw!r} is shorter than {cons['minLength']}"
    if "maxLength" in cons and len(raw) > cons["maxLength"]:
        return f"constraint 'maxLength': {raw!r} is longer than {cons['maxLength']}"
    return None


def _rows(text: str, path: Path):
    """(line where the row starts, cells) for every row, the header first."""
    reader = csv.reader(io.StringIO(text, newline=""))
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            yield start, cells
    except csv.Error as exc:
        raise DataError(f"{path}: line {last + 1}: not a well-formed CSV row ({exc})") from None


def read(name: str, path: Path, schema: dict) -> Table:
    """Read and check one resource's CSV against its schema."""
    text = read_text(path, name)
    fields = schema["fields"]
    names = [fd["name"] for fd in fields]
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
            raise DataError(f"{path}: line 1, column '{h}': column not declared in the schema")
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise DataError(f"{path}: line 1, column '{dup}': column appears twice")
    pos = {h: i for i, h in enumerate(header)}
    by_name = {fd["name"]: fd for fd in fields}
    unit_of = {}  # numeric field -> (per-row unit field or None, fixed unit or None)
    for fd in fields:
        if fd.get("type") in ("number", "integer"):
            m = PER_ROW_UNIT.match(fd.get("unit", ""))
            unit_of[fd["name"]] = (m.group(1), None) if m else (None, fd.get("unit"))
    unit_fields = {u for u, _ in unit_of.values() if u}
    missing_values = set(schema.get("missingValues", [""]))
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else list(pk)
    seen_pk: dict[tuple, int] = {}
    seen_unique = {fd["name"]: {} for fd in fields if fd.get("constraints", {}).get("unique")}
    out, lines, raws = [], [], []
    for start, cells in rows[1:]:
        if len(cells) != len(header):
            raise DataError(f"{path}: line {start}: row has {len(cells)} cells, the header has {len(header)}")
        row, raw_row = {}, {}
        for fd in fields:
            col = fd["name"]
            raw = cells[pos[col]]
            raw_row[col] = raw
            cons = fd.get("constraints", {})
            at = f"{path}: line {start}, column '{col}'"
            if len(raw) > MAX_CELL:
                raise DataError(f"{at}: rule 'length': {len(raw):,} characters; a cell holds at most {MAX_CELL:,}")
            bad = CONTROL_RE.search(raw)
            if bad:
                raise DataError(f"{at}: rule 'text': a control character (U+{ord(bad.group()):04X}) in the cell")
            if raw in missing_values:
                if cons.get("required") or col in pk:
                    raise DataError(f"{at}: constraint 'required': the value is missing")
                row[col] = None if fd.get("type") in ("number", "integer") else ""
                continue
            try:
                value = _cast(raw, fd.get("type", "string"))
            except ValueError as exc:
                raise DataError(f"{at}: type '{fd.get('type')}': {raw!r} is {exc}") from None
            if col in unit_fields and "enum" in cons and value not in cons["enum"]:
                raise DataError(f"{at}: rule 'unit': {raw!r} is not a unit declared for this resource in "
                                f"datapackage.json (declared: {', '.join(cons['enum'])})")
            problem = _constraint_error(value, raw, cons)
            if problem:
                raise DataError(f"{at}: {problem}")
            if col in seen_unique:
                if value in seen_unique[col]:
                    raise DataError(f"{at}: constraint 'unique': {raw!r} already appears on line {seen_unique[col][value]}")
                seen_unique[col][value] = start
            row[col] = value
        for col, (ucol, fixed) in unit_of.items():
            if row[col] is None:
                continue
            unit = row.get(ucol) if ucol else fixed
            at = f"{path}: line {start}, column '{col}'"
            bounds = by_name[col].get("unitConstraints", {}).get(unit) if ucol else None
            if bounds:
                problem = _constraint_error(row[col], raw_row[col], bounds)
                if problem:
                    raise DataError(f"{at}: {problem} (for unit {unit!r})")
            problem = rules.number_error(row[col], unit)
            if problem:
                raise DataError(f"{at}: {problem}")
        if "period" in row:
            problem = rules.year_error(row["period"])
            if problem:
                raise DataError(f"{path}: line {start}, column 'period': {problem}")
        if pk:
            key = tuple(row[k] for k in pk)
            if key in seen_pk:
                raise DataError(
                    f"{path}: line {start}, column '{pk[0]}': primary key ({', '.join(pk)}) = {key} "
                    f"duplicates line {seen_pk[key]}"
                )
            seen_pk[key] = start
        if "provenance" in row:
            err = rules.provenance_error(row)
            if err:
                raise DataError(f"{path}: line {start}, column '{err[0]}': rule {err[1]}")
        out.append(row)
        lines.append(start)
        raws.append(raw_row)
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
    return Table(name, path, frame, lines, raws)
