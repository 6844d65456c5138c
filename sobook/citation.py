"""How to cite the edition, from the one place that says it: CITATION.cff.

    from sobook import citation
    c = citation.load()                  # title, version, authors, licence …
    c.plain(), c.bibtex(), c.ris()       # the three forms the book shows
    citation.build_date()                # the last commit's date, not the clock
    citation.report().name()             # the report the chapter comes from

The version and the citation shown in the book's footer, on its front page
and About, on the PDF's title page and in the data download all come from
here, so they cannot disagree.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sobook.paths import BOOK_INPUTS, ROOT

CFF = ROOT / "CITATION.cff"


@dataclass(frozen=True)
class Citation:
    title: str
    version: str
    released: str
    authors: tuple[str, ...]
    licences: tuple[str, ...]
    url: str | None = None
    keywords: tuple[str, ...] = ()

    @property
    def year(self) -> str:
        return self.released[:4]

    def plain(self, accessed: str | None = None) -> str:
        who = "; ".join(self.authors)
        text = f"{who} ({self.year}). {self.title}. Version {self.version}."
        if self.url:
            text += f" {self.url}"
        if accessed:
            text += f" Accessed {accessed}."
        return text

    def key(self) -> str:
        return f"sobook_edition_{self.version.replace('.', '_')}"

    def bibtex(self) -> str:
        lines = [f"@misc{{{self.key()},",
                 "  author = {" + " and ".join("{" + a + "}" for a in self.authors) + "},",
                 f"  title = {{{self.title}}},",
                 f"  year = {{{self.year}}},",
                 f"  version = {{{self.version}}},",
                 f"  note = {{Version {self.version}, released {self.released}}},"]
        if self.url:
            lines.append(f"  url = {{{self.url}}},")
        lines.append("}")
        return "\n".join(lines)

    def ris(self) -> str:
        lines = ["TY  - DATA"] + [f"AU  - {a}" for a in self.authors] + [
            f"TI  - {self.title}", f"PY  - {self.year}", f"DA  - {self.released.replace('-', '/')}",
            f"ET  - {self.version}"]
        if self.url:
            lines.append(f"UR  - {self.url}")
        lines.append("ER  - ")
        return "\n".join(lines)


def load(path: Path = CFF, url: str | None = None) -> Citation:
    """The edition's citation; `url`: the repository's address, where the
    book's configuration names one (none is invented)."""
    import yaml

    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    authors = tuple(a.get("name") or " ".join(p for p in (a.get("given-names"), a.get("family-names")) if p)
                    for a in cff["authors"])
    licences = cff.get("license", [])
    licences = (licences,) if isinstance(licences, str) else tuple(licences)
    title = " ".join(str(cff["title"]).split())
    return Citation(title=title, version=str(cff["version"]), released=str(cff["date-released"]),
                    authors=authors, licences=licences, url=url or cff.get("repository-code") or cff.get("url"),
                    keywords=tuple(cff.get("keywords", ())))


@dataclass(frozen=True)
class Report:
    """The report the edition translates a chapter of, as CITATION.cff's
    first reference gives it: what is known, what is likely, what is not."""

    chapter: str
    series: str
    compiler: str
    edition: str
    notes: str

    def name(self) -> str:
        """One line naming it: series, compiler and the likely edition."""
        return f"{self.series}, compiled by {self.compiler}; {self.edition}"


def report(path: Path = CFF) -> Report:
    import yaml

    ref = yaml.safe_load(path.read_text(encoding="utf-8"))["references"][0]
    one_line = lambda s: " ".join(str(s).split())  # noqa: E731 - folded YAML keeps no line breaks
    return Report(chapter=one_line(ref["title"]), series=one_line(ref["collection-title"]),
                  compiler=one_line(ref["authors"][0]["name"]), edition=one_line(ref["edition"]),
                  notes=one_line(ref["notes"]))


def build_date(root: Path = ROOT) -> str:
    """The date of the last commit that changed the book's sources
    (YYYY-MM-DD): two builds of one commit are identical, and a build that
    has nothing to redo shows the same date. SOURCE_DATE_EPOCH where there is
    no repository, else the citation's release date."""
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cs", "--", *BOOK_INPUTS,
                              "requirements.txt"], capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", out.stdout.strip()):
            return out.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        import datetime

        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%d")
    return load().released


LICENCE_NOTE = (
    "The edition's own material (notes, commentary, charts, data curation) is under CC BY 4.0; its code is under "
    "the MIT License. The translation is offered for research and commentary: the rights in the original report "
    "are its publisher's, who is not known here."
)
