"""A data directory's descriptor (``datapackage.json``), read against the
edition's: which resources a directory has and where their files are, with
the edition's schema for every resource the edition also has.

The edition's descriptor is the authority: a data directory may add
resources with schemas of their own, but its schema of each of the edition's
resources must be the edition's, field for field; a directory whose
descriptor says otherwise is refused (were it read, it could loosen the rules;
were it ignored, the book and the data download would republish a schema that
was not applied). Resource paths must stay inside the data directory (no
absolute paths, no '..', no symbolic link that leads out). A descriptor is
JSON nested at most :data:`MAX_DEPTH` levels, with no control, bidirectional
or invisible character in its text.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from sobook.data.rules import PER_ROW_UNIT, UNITS, DataError, shown, text_error

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
DESCRIPTOR = "datapackage.json"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
# Arrays and objects inside one another: the edition's descriptor needs 8.
MAX_DEPTH = 32


def _line_too_deep(text: str) -> int:
    """The line on which the JSON text first nests deeper than MAX_DEPTH."""
    depth, line, quoted, escaped = 0, 1, False, False
    for ch in text:
        if ch == "\n":
            line += 1
        if quoted:
            quoted, escaped = (escaped or ch != '"'), (not escaped and ch == "\\")
        elif ch == '"':
            quoted = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif ch in "]}":
            depth -= 1
    return line


def _check_json(path: Path, text: str, doc) -> None:
    """Nested at most MAX_DEPTH levels; no invisible character in any string."""
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > MAX_DEPTH:
                raise DataError(f"{path}: line {_line_too_deep(text)}: rule 'descriptor': nested more than {MAX_DEPTH} "
                                "levels deep")
            if isinstance(node, dict):
                stack.extend((key, depth) for key in node)
                node = node.values()
            stack.extend((item, depth + 1) for item in node)
        elif isinstance(node, str) and text_error(node):
            raise DataError(f"{path}: {text_error(node, where=_where(doc, node))}")


def _where(doc, bad: str, at: str = "") -> str:
    """Where the string `bad` sits in the JSON document: 'resources[2].title'."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        here = f"{at}.{key}" if isinstance(doc, dict) else f"{at}[{key}]"
        if value == bad or key == bad:
            return here.lstrip(".")
        found = _where(value, bad, here)
        if found:
            return found
    return "" if at else "the descriptor"


def read_json(path: Path) -> object:
    """A JSON file, refused with one line if missing, unreadable or malformed."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: file is missing (the data package descriptor)") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not the data package descriptor") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
        doc = json.loads(text)
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise DataError(f"{path}: line {_line_too_deep(text)}: rule 'descriptor': nested more than {MAX_DEPTH} levels "
                        "deep") from None
    _check_json(path, text, doc)
    return doc


def read_descriptor(data_dir: Path) -> dict:
    """The parsed descriptor, checked for the shape the rest relies on."""
    path = data_dir / DESCRIPTOR
    desc = read_json(path)
    if not isinstance(desc, dict):
        raise DataError(f"{path}: rule 'descriptor': the descriptor must be a JSON object, not {type(desc).__name__}")
    resources = desc.get("resources")
    if not isinstance(resources, list) or not resources:
        raise DataError(f"{path}: rule 'descriptor': the descriptor lists no resources")
    seen = set()
    for i, res in enumerate(resources, start=1):
        at = f"{path}, resource {i}"
        if not isinstance(res, dict):
            raise DataError(f"{at}: rule 'descriptor': a resource must be a JSON object")
        name = res.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise DataError(f"{at}: rule 'descriptor': 'name' must be lower-case letters, digits, '_', '-' or '.'")
        if name in seen:
            raise DataError(f"{path}, resource '{name}': rule 'descriptor': the name appears twice")
        seen.add(name)
        if not isinstance(res.get("path"), str) or not res["path"].strip():
            raise DataError(f"{path}, resource '{name}': rule 'descriptor': 'path' (the CSV file's name) is missing")
    return desc


_edition_cache: dict = {}


def edition() -> dict:
    """The edition's own descriptor (cached while the file is unchanged)."""
    path = DEFAULT_DATA_DIR / DESCRIPTOR
    key = path.stat().st_mtime_ns if path.exists() else None
    if _edition_cache.get("key") != key or "desc" not in _edition_cache:
        _edition_cache.update(key=key, desc=read_descriptor(DEFAULT_DATA_DIR))
    return _edition_cache["desc"]


def confined(data_dir: Path, name: str, rel: str) -> Path:
    """The file a resource names, refused unless it lies inside the data directory."""
    where = f"{data_dir / DESCRIPTOR}, resource '{name}'"
    if os.path.isabs(rel) or rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel):
        raise DataError(f"{where}: rule 'path': {shown(rel)} is absolute; paths are relative to the data directory")
    if ".." in re.split(r"[/\\]", rel) or "://" in rel:
        raise DataError(f"{where}: rule 'path': {shown(rel)} leads out of the data directory")
    path = data_dir / rel
    try:
        real, root = path.resolve(), data_dir.resolve()
    except (OSError, RuntimeError) as exc:
        raise DataError(f"{where}: rule 'path': {shown(rel)} cannot be resolved ({exc})") from None
    if root not in real.parents:
        raise DataError(f"{where}: rule 'path': {shown(rel)} is a link that leads out of the data directory")
    return path


def check_field_units(schema: dict, where: str) -> None:
    """Every numeric field declares its unit; per-row units name an enum field."""
    fields = {f.get("name"): f for f in schema.get("fields", [])}
    for f in schema.get("fields", []):
        if f.get("type") not in ("number", "integer"):
            continue
        unit = f.get("unit")
        col = f"{where}, field '{f.get('name')}'"
        if not unit:
            raise DataError(f"{col}: rule 'unit': a numeric field must declare its unit")
        m = PER_ROW_UNIT.match(unit)
        if m:
            ufield = fields.get(m.group(1))
            enum = (ufield or {}).get("constraints", {}).get("enum")
            if not ufield or not enum:
                raise DataError(
                    f"{col}: rule 'unit': the unit is given per row in field "
                    f"{shown(m.group(1))}, which must exist and list its units in constraints.enum"
                )
            bad = [u for u in enum if u not in UNITS]
            if bad:
                raise DataError(
                    f"{where}, field '{m.group(1)}': rule 'unit': {shown(bad[0])} is not a known unit "
                    f"(known: {', '.join(UNITS)})"
                )
            for u in f.get("unitConstraints", {}):
                if u not in enum:
                    raise DataError(f"{col}: rule 'unitConstraints': {shown(u)} is not one of the field's units")
        elif unit not in UNITS:
            raise DataError(f"{col}: rule 'unit': {shown(unit)} is not a known unit (known: {', '.join(UNITS)})")


def check_schema_shape(schema, where: str) -> None:
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not schema["fields"]:
        raise DataError(f"{where}: rule 'descriptor': 'schema' must list the file's fields")
    for f in schema["fields"]:
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            raise DataError(f"{where}: rule 'descriptor': every field needs a 'name'")


_ABSENT = object()


def _difference(theirs, ours, path: str = ""):
    """(where, theirs, ours) at the first place two JSON values differ, or None."""
    if isinstance(theirs, dict) and isinstance(ours, dict):
        for key in sorted(set(theirs) | set(ours)):
            found = _difference(theirs.get(key, _ABSENT), ours.get(key, _ABSENT), f"{path}.{key}" if path else key)
            if found:
                return found
        return None
    return None if theirs == ours else (path, theirs, ours)


def _said(value) -> str:
    if value is _ABSENT:
        return "absent"
    if isinstance(value, str):
        return shown(value)
    text = json.dumps(value)  # non-ASCII escaped, as shown() does
    return text if len(text) <= 60 else text[:60] + "…"


def _differs(where: str, theirs, ours) -> str:
    """How a value differs, said so a person sees it: for two lists, the
    items one has and the other lacks (two long enums look alike cut short)."""
    if isinstance(theirs, list) and isinstance(ours, list):
        lacks = [_said(x) for x in ours if x not in theirs]
        extra = [_said(x) for x in theirs if x not in ours]
        if lacks or extra:
            said = ([f"lacks {', '.join(lacks)}"] if lacks else []) + (
                [f"has {', '.join(extra)}, not in the edition's"] if extra else [])
            return f"'{where}' here " + " and ".join(said)
        return f"'{where}' is in another order than in the edition's"
    return f"'{where}' is {_said(theirs)} here, {_said(ours)} in the edition's"


def schema_difference(theirs, ours: dict) -> str | None:
    """Where a data directory's schema of one of the edition's resources
    differs from the edition's: "field 'value': rule 'schema': …", or None."""
    if theirs == ours:
        return None
    fix = "; the edition's resources keep the edition's schema (copy it from data/datapackage.json)"
    if not isinstance(theirs, dict):
        return f"rule 'schema': {'no schema' if theirs is None else 'the schema is not a JSON object'}{fix}"
    t_fields = theirs.get("fields") if isinstance(theirs.get("fields"), list) else []
    t_names = [f.get("name") if isinstance(f, dict) else None for f in t_fields]
    o_names = [f["name"] for f in ours["fields"]]
    if t_names != o_names:
        missing = [n for n in o_names if n not in t_names]
        extra = [n for n in t_names if n not in o_names]
        what = (f"field {shown(missing[0])}: rule 'schema': absent here" if missing else
                f"field {shown(extra[0])}: rule 'schema': not in the edition's schema" if extra else
                "rule 'schema': the fields are in another order than in the edition's schema")
        return what + fix
    for t_field, o_field in zip(t_fields, ours["fields"]):
        found = _difference(t_field, o_field)
        if found:
            where, a, b = found
            return f"field '{o_field['name']}': rule 'schema': {_differs(where, a, b)}{fix}"
    where, a, b = _difference({k: v for k, v in theirs.items() if k != "fields"},
                              {k: v for k, v in ours.items() if k != "fields"})
    return f"rule 'schema': {_differs(where, a, b)}{fix}"


def resources(data_dir: Path, report) -> list[dict]:
    """The data directory's resources, in its descriptor's order, each as
    {name, path (a confined Path), schema (the edition's where it has the
    resource), edition (bool), descriptor (the directory's own entry)}. A
    resource whose entry breaks a rule is reported (report(name, message)) and left out."""
    desc = read_descriptor(data_dir)
    ours = {r["name"]: r for r in edition()["resources"]}
    out = []
    for res in desc["resources"]:
        name = res["name"]
        where = f"{data_dir / DESCRIPTOR}, resource '{name}'"
        try:
            if name in ours:
                differs = schema_difference(res.get("schema"), ours[name]["schema"])
                if differs:
                    raise DataError(f"{where}, {differs}" if differs.startswith("field") else f"{where}: {differs}")
            schema = ours[name]["schema"] if name in ours else res.get("schema")
            check_schema_shape(schema, where)
            check_field_units(schema, where)
            path = confined(data_dir, name, res["path"])
        except DataError as exc:
            report(name, str(exc))
            continue
        out.append({"name": name, "path": path, "schema": schema, "edition": name in ours, "descriptor": res})
    return out


def tabular_resource(name: str, fields: list[tuple[str, str, str, str]], *, title: str, description: str,
                     licenses: list, sources: list, primary_key: list[str], field_extras: dict | None = None) -> dict:
    """The Frictionless descriptor of a table the build computes for the data
    download (the ledger's verdicts, the outlook's assessments): `fields` as
    (name, type, title, description), each completed by `field_extras[name]`
    (a unit, constraints)."""
    extras = field_extras or {}
    schema_fields = [{"name": n, "title": t, "type": typ, "description": d, **extras.get(n, {})}
                     for n, typ, t, d in fields]
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "licenses": licenses,
        "sources": sources,
        "schema": {"fields": schema_fields, "primaryKey": primary_key, "missingValues": [""]},
    }
