"""The edition as files a reader can cite and reuse: the data download (one
zip) and the names of the downloads.

    from sobook import downloads
    downloads.zip_bytes(data_dir)        # the whole data package, deterministic
    downloads.zip_name(), downloads.pdf_name()

The zip holds every CSV of the data directory and its datapackage.json, the
claims ledger's verdicts and the outlook's assessments (computed from the
same data when the book is built, so they are never stale, and declared in
the zip's datapackage.json), the cleaned Chinese original, and a README
saying what each file is, the licence and how to cite. Same inputs, same
bytes: entries sorted, a fixed timestamp (the date of the last commit), fixed
permissions.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from sobook import citation, data
from sobook.paths import ORIGINAL

PREFIX = "china-service-outsourcing"


def zip_name(version: str | None = None) -> str:
    return f"{PREFIX}-data-{version or citation.load().version}.zip"


def pdf_name(version: str | None = None) -> str:
    return f"{PREFIX}-edition-{version or citation.load().version}.pdf"


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _computed(data_dir: Path) -> list[tuple[str, bytes, dict]]:
    """(file name, CSV bytes, resource descriptor) of what the edition
    computes from the data: the ledger's verdicts, the outlook's assessments."""
    from sobook import fared, ledger

    out = []
    for frame, resource in [(ledger.verdicts_table(data_dir), ledger.verdicts_resource(data_dir)),
                            (fared.assessments_table(data_dir), fared.assessments_resource(data_dir))]:
        out.append((resource["path"], _csv(frame), resource))
    return out


def _readme(cite: citation.Citation, names: list[str], built: str) -> str:
    lines = [
        cite.title,
        f"Data download, version {cite.version}, built from the sources of {built}.",
        "",
        "What each file is:",
        "",
        "  datapackage.json   the Frictionless Data Package descriptor: every resource with its title,",
        "                     fields (type, unit, description), sources and licence",
        "  *.csv              one file per resource; every row carries its provenance: the report's",
        "                     words (source_block_id, source_quote), a public release (source_url,",
        "                     source_quote, source_note) or a formula over other rows (formula)",
        "  claims_verdicts.csv      the claims ledger: every checkable statement of the report,",
        "                          re-computed, with its verdict (computed when the book was built)",
        "  outlook_assessments.csv  each forecast or target of the outlook against what was",
        "                          reported for 2021-2025, with its verdict and caveat",
        "  source/original.json     the cleaned Chinese text of the report chapter, one block per",
        "                          heading, paragraph, footnote, caption and source line",
        "",
        "Files: " + ", ".join(names),
        "",
        "Licence: " + citation.LICENCE_NOTE,
        "",
        "How to cite:",
        "",
        "  " + cite.plain(),
        "",
        cite.bibtex(),
        "",
    ]
    return "\n".join(lines)


def zip_bytes(data_dir: Path, built: str | None = None) -> bytes:
    """The data download for the data in `data_dir` (validated first)."""
    data_dir = Path(data_dir)
    frames = data.load_all(data_dir)
    desc = data.descriptor(data_dir)
    cite = citation.load()
    built = built or citation.build_date()
    files: dict[str, bytes] = {}
    for res in desc["resources"]:
        files[res["path"]] = (data_dir / res["path"]).read_bytes()
    package = json.loads(json.dumps(desc))
    for name, body, resource in _computed(data_dir):
        files[name] = body
        package["resources"].append(resource)
    package["version"] = cite.version
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    files["source/original.json"] = ORIGINAL.read_bytes()
    names = sorted(files)
    files["README.txt"] = _readme(cite, names, built).encode("utf-8")
    stamp = tuple(int(x) for x in built.split("-")) + (0, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{PREFIX}-data/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever system builds it
            z.writestr(info, files[name])
    assert len(frames) == len(desc["resources"])
    return buf.getvalue()
