"""The edition as files a reader can cite and reuse: the data download (one
zip) and the names of the downloads.

    from sobook import downloads
    downloads.zip_bytes(data_dir)        # the whole data package, deterministic
    downloads.zip_name(), downloads.pdf_name()
    downloads.dataset_jsonld(data_dir, zip_url)  # the download as a schema.org Dataset

The zip holds every CSV of the data directory and its datapackage.json, the
claims ledger's verdicts and the outlook's assessments (computed from the
same data when the book is built, so they are never stale, and declared in
the zip's datapackage.json), the sources the descriptor names (the cleaned
Chinese original, the raw text it was cleaned from, the reference lists the
release rows quote), and a README saying what each file is, the licence and
how to cite and where corrections go: it stands alone. A `sobook run`
book's zip says in its README and its datapackage.json that it is not the
published edition, and what it was built from. Same inputs, same bytes:
entries sorted, a fixed timestamp and creation date (the date of the last
commit, or a re-run's build date), fixed permissions.
"""

from __future__ import annotations

import io
import json
import os
import uuid
import zipfile
from pathlib import Path

import pandas as pd

from sobook import citation, data
from sobook.paths import ORIGINAL, ROOT, files, hash_files

PREFIX = "china-service-outsourcing"


def zip_name(version: str | None = None) -> str:
    return f"{PREFIX}-data-{version or citation.load().version}.zip"


def pdf_name(version: str | None = None) -> str:
    return f"{PREFIX}-edition-{version or citation.load().version}.pdf"


def chapter_pdf_name(chapter: str, version: str | None = None) -> str:
    """A chapter's own PDF ("achievements"), beside the whole edition's."""
    return f"{PREFIX}-{chapter}-{version or citation.load().version}.pdf"


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


def _readme(cite: citation.Citation, names: list[str], built: str, rerun: citation.Rerun | None = None) -> str:
    lines = [
        cite.title,
        (f"Data download. {citation.statement(rerun)}" if rerun else
         f"Data download, version {cite.version}, built from the sources of {built}."),
        "",
        "The report: " + citation.report().name() + ".",
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
        "  source/raw/              the text as extracted from the report's PDF, which the original is",
        "                          checked against",
        "  source/reference/        the reference lists: every public page a release row quotes, with",
        "                          its address and the words quoted there",
        "",
        "Files: " + ", ".join(names),
        "",
        "Licence: " + citation.LICENCE_NOTE,
        "",
        "How to cite (write the day you read it for " + citation.ACCESSED + "):",
        "",
        "  " + cite.plain(),
        "",
        cite.bibtex(),
        "",
        citation.corrections(cite.url) + " Quote the row_id, or the paragraph's id (source_block_id).",
        "",
    ]
    return "\n".join(lines)


CACHE = ROOT / "_build" / ".cache" / "downloads"


def _key(data_dir: Path, built: str, rerun: citation.Rerun | None) -> str:
    """What the zip is made from: the data, the chapters (the outlook's
    assessments quote them), the code, the citation, the repository's
    address, the date and what a re-run was built from."""
    import hashlib

    h = hashlib.sha256(f"{built}\0{citation.repository_url()}\0{rerun}".encode())
    hash_files(h, files(["."], data_dir), data_dir)
    hash_files(h, files(["chapters", "sobook", "CITATION.cff"], ROOT), ROOT)
    return h.hexdigest()[:24]


def zip_bytes(data_dir: Path, built: str | None = None, rerun: citation.Rerun | None = None) -> bytes:
    """The data download for the data in `data_dir` (validated first); the
    same inputs give the same bytes, kept in the build's cache (the PDF's
    process makes it while the notebooks run; the extension reads it).
    `rerun`: what a `sobook run` book was built from (its date is the zip's)."""
    data_dir = Path(data_dir).resolve()
    built = rerun.built if rerun else built or citation.build_date()
    cached = CACHE / f"data-{_key(data_dir, built, rerun)}.zip"
    if cached.exists():
        return cached.read_bytes()
    body = _zip_bytes(data_dir, built, rerun)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
    tmp.write_bytes(body)
    os.replace(tmp, cached)
    return body


def package_version(rerun: citation.Rerun | None = None) -> str:
    """The data package's version: the edition's, or for a re-run the
    edition's with the data's fingerprint as semver build metadata
    ("2.0.0+data.0123456789ab"), which no published version carries."""
    version = citation.load().version
    return f"{version}+data.{rerun.fingerprint}" if rerun else version


def _zip_bytes(data_dir: Path, built: str, rerun: citation.Rerun | None = None) -> bytes:
    frames = data.load_all(data_dir)
    desc = data.descriptor(data_dir)
    cite = citation.load()
    contents: dict[str, bytes] = {}
    for res in desc["resources"]:
        contents[res["path"]] = (data_dir / res["path"]).read_bytes()
    package = json.loads(json.dumps(desc))
    for name, body, resource in _computed(data_dir):
        contents[name] = body
        package["resources"].append(resource)
    package["version"] = package_version(rerun)
    package["created"] = f"{built}T00:00:00Z"
    if rerun:
        # Another package than the published one: its own id, and what it was built from.
        package["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{package.get('id', '')}#data-{rerun.fingerprint}"))
        package["rerun"] = {"statement": citation.statement(rerun), "data_directory": rerun.data_name,
                            "fingerprint": rerun.fingerprint, "built": rerun.built,
                            "published_version": cite.version}
    package["keywords"] = list(cite.keywords)
    if cite.url:
        package["homepage"] = cite.url
    contents["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    # the sources the descriptor names: the original, its raw text, the reference lists
    source = ORIGINAL.parent
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        contents[path.relative_to(source.parent).as_posix()] = path.read_bytes()
    names = sorted(contents)
    contents["README.txt"] = _readme(cite, names, built, rerun).encode("utf-8")
    stamp = tuple(int(x) for x in built.split("-")) + (0, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in sorted(contents):
            info = zipfile.ZipInfo(f"{PREFIX}-data/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever system builds it
            z.writestr(info, contents[name])
    assert len(frames) == len(desc["resources"])
    return buf.getvalue()


def dataset_jsonld(data_dir: Path, zip_url: str, rerun: citation.Rerun | None = None) -> dict:
    """The data download as a schema.org Dataset (Google's Dataset search
    reads it): name, description, licence, version, the zip as its
    distribution, and each resource as a variable measured, with its units."""
    desc = data.descriptor(data_dir)
    frames = data.load_all(data_dir)
    cite = citation.load()
    variables = []
    for res in desc["resources"]:
        frame = frames.get(res["name"])
        units = sorted({str(u) for u in frame["unit"] if str(u)}) if frame is not None and "unit" in frame else []
        variable = {"@type": "PropertyValue", "name": res.get("title") or res["name"]}
        if units:
            variable["unitText"] = "; ".join(units)
        variables.append(variable)
    licence = next((lic["path"] for lic in desc.get("licenses", []) if lic.get("path")), citation.CC_BY)
    dataset = {"@context": "https://schema.org", "@type": "Dataset", "name": desc.get("title") or cite.title,
               "description": " ".join(str(desc.get("description", "")).split()), "license": licence,
               "version": package_version(rerun), "creator": [{"@type": "Organization", "name": a} for a in cite.authors],
               "datePublished": rerun.built if rerun else cite.released, "keywords": list(cite.keywords),
               "inLanguage": "en", "isAccessibleForFree": True,
               "distribution": [{"@type": "DataDownload", "name": zip_name(), "encodingFormat": "application/zip",
                                 "contentUrl": zip_url}],
               "variableMeasured": variables}
    if cite.url:
        dataset["url"] = cite.url
    return dataset
