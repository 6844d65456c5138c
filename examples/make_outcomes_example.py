"""Make examples/outcomes-2021-2025/ from the edition's data/.

The edition's data keeps what was reported after the report (2021-2025) in
resources of their own, ``<resource>_outcomes``, so that the report's figures
in the book stay the report's. This worked example is the same data with those
rows appended to the yearly series they continue (``china_outsourcing_executed_value``
gains its 2021-2025 rows, and so on): exactly what a reader does to add a year.
Re-run on it, the report's figures extend to the new years with no change of code:

    .venv/bin/python examples/make_outcomes_example.py        # (re)write the example
    .venv/bin/python -m sobook run --data-dir examples/outcomes-2021-2025 --out _build/html-outcomes

Every row is kept byte for byte (same row_id, same quote and source); only the
file it sits in changes. The tests check that the example is up to date.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
OUT = Path(__file__).resolve().parent / "outcomes-2021-2025"
SUFFIX = "_outcomes"
# The example sits two folders below the repository: its descriptor points to
# the edition's copies of the sources.
SOURCE_PREFIX = "../../data/"
_TAIL = re.compile(r" Rows: \d+, of which \d+ derived \(provenance 'derived', with a formula\)\. "
                   r"Value statuses present: [a-z, ]+\.$")


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    s = io.StringIO()
    csv.writer(s, lineterminator="\n").writerows([header, *rows])
    return s.getvalue()


def _tail(header: list[str], rows: list[list[str]]) -> str:
    col = {h: i for i, h in enumerate(header)}
    derived = sum(r[col["provenance"]] == "derived" for r in rows)
    statuses = sorted({r[col["value_status"]] for r in rows})
    return (f" Rows: {len(rows)}, of which {derived} derived (provenance 'derived', with a formula). "
            f"Value statuses present: {', '.join(statuses)}.")


def _sources(sources: list[dict]) -> list[dict]:
    out = []
    for s in sources:
        s = dict(s)
        if str(s.get("path", "")).startswith("source/"):
            s["path"] = SOURCE_PREFIX + s["path"]
        out.append(s)
    return out


def build() -> dict[str, str]:
    """The example's files: {file name: text}."""
    desc = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in desc["resources"]}
    files: dict[str, str] = {}
    resources = []
    for res in desc["resources"]:
        if res["name"].endswith(SUFFIX) and res["name"][: -len(SUFFIX)] in by_name:
            continue  # appended to the series it continues
        res = json.loads(json.dumps(res))
        header, rows = _read(DATA / res["path"])
        extra = by_name.get(res["name"] + SUFFIX)
        if extra:
            h2, rows2 = _read(DATA / extra["path"])
            rows += [[r[h2.index(h)] for h in header] for r in rows2]
            # the sentence that points to the outcomes resource becomes what it holds
            text = _TAIL.sub("", res["description"])
            text = re.sub(r"[^.]*'" + re.escape(extra["name"]) + r"'[^.]*\.", "", text).strip()
            res["description"] = (
                text + " After the report (rows appended from the edition's resource '" + extra["name"] + "'): "
                + _TAIL.sub("", extra["description"]).split(" Same fields as resource")[0]
                + _tail(header, rows)
            )
            seen = {s.get("path") for s in res["sources"]}
            res["sources"] = res["sources"] + [s for s in extra["sources"] if s.get("path") not in seen]
            if res["title"].endswith("2015-2020"):
                res["title"] = res["title"][: -len("2015-2020")] + "2015-2025"
        res["sources"] = _sources(res["sources"])
        files[res["path"]] = _csv(header, rows)
        resources.append(res)
    desc["name"] = desc["name"] + "-with-outcomes"
    desc["title"] = (desc["title"] + " - worked example: the outcomes reported for 2021-2025 appended to the "
                     "yearly series they continue")
    desc["description"] = (
        "A copy of the edition's data (data/ in the repository) in which the rows reported after the report, "
        "kept there in resources named '<resource>_outcomes', are appended to the resources they continue. "
        "Re-running the book on this directory extends the report's figures to 2021-2025 with no change of code. "
        "Made by examples/make_outcomes_example.py. " + desc["description"]
    )
    desc["sources"] = _sources(desc["sources"])
    desc["resources"] = resources
    files["datapackage.json"] = json.dumps(desc, indent=2, ensure_ascii=False) + "\n"
    return files


def main() -> int:
    files = build()
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("*.csv"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
    # the words of 'How the outlook fared', as they are (tests/test_fared.py: the same page from either)
    shutil.copyfile(DATA / "outlook_fared.yaml", OUT / "outlook_fared.yaml")
    print(f"wrote {len(files)} files to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
