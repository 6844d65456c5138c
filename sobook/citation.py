"""How to cite the edition, from the one place that says it: CITATION.cff;
and where corrections go, from the one setting that says it: _config.yml's
``repository.url``.

    from sobook import citation
    c = citation.load()                  # title, version, authors, licence, URL …
    c.plain(), c.bibtex(), c.ris()       # the three forms the book shows
    c.chart("Figure 1-4", "…", "fig-1-4")  # a chart of the edition, cited as part of it
    citation.html(c)                     # the three forms as the book shows them
    citation.build_date()                # the last commit's date, not the clock
    citation.report().name()             # the report the chapter comes from
    citation.rerun(data_dir, built)      # what a `sobook run` book was built from

The version and the citation shown in the book's footer, on its front page
and About, on the PDF's title page and in the data download all come from
here, so they cannot disagree.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html as _html
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sobook.paths import BOOK_INPUTS, ROOT, files

CFF = ROOT / "CITATION.cff"
CONFIG = ROOT / "_config.yml"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
# Where a citation's access date goes. A page built once cannot know the day
# it is read: the reader's browser writes it in (sobook-cite.js); without
# JavaScript, on paper and in the data download this stays for the reader
# to fill.
ACCESSED = "[accessed: date]"
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
                "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(text: str) -> str:
    """Text as a BibTeX field's value: LaTeX's special characters escaped."""
    return re.sub(r"[\\{}$&%#_~^]", lambda m: _TEX_SPECIAL[m.group(0)], text)


def repository_url(config: Path = CONFIG) -> str | None:
    """The repository's address: _config.yml's ``repository.url`` (Jupyter
    Book's own setting, which also turns on the theme's repository buttons).
    It is the address every citation gives and where corrections go; None
    where none is set (none is invented) or where it is not an http(s) address."""
    import yaml

    settings = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    url = str((settings.get("repository") or {}).get("url") or "").strip()
    return url if url.startswith(("https://", "http://")) else None


def corrections(url: str | None) -> str:
    """Where corrections go, in one sentence: the repository's issues, or,
    with no address set, what a reader can do instead."""
    if url:
        return f"Corrections go to the repository's issues: {url.rstrip('/')}/issues."
    return ("No address for corrections is published with this edition yet (it names no repository and no "
            "contact): send a correction to whoever gave you this copy.")


@dataclass(frozen=True)
class Citation:
    """The edition as a reference manager takes it, or one of its charts
    (`part`: "Figure 1-4: …") as part of it. `accessed`: an ISO date, or
    ACCESSED where the day of reading cannot be known."""

    title: str
    version: str
    released: str
    authors: tuple[str, ...]
    licences: tuple[str, ...]
    url: str | None = None
    keywords: tuple[str, ...] = ()
    part: str | None = None
    part_key: str = ""

    @property
    def year(self) -> str:
        return self.released[:4]

    def chart(self, label: str, heading: str, key: str) -> Citation:
        """One chart of the edition ("Figure 1-4", its heading, its id)."""
        return dataclasses.replace(self, part=f"{label}: {heading}", part_key=key)

    def key(self) -> str:
        base = f"sobook_edition_{self.version.replace('.', '_')}"
        part = re.sub(r"[^a-z0-9]+", "_", self.part_key.lower()).strip("_")
        return f"{base}_{part}" if part else base

    def plain(self, accessed: str | None = ACCESSED) -> str:
        who = "; ".join(self.authors)
        if self.part:
            text = f"{who} ({self.year}). {self.part}. In: {self.title}, version {self.version}."
        else:
            text = f"{who} ({self.year}). {self.title}. Version {self.version}."
        if self.url:
            text += f" {self.url}"
        if accessed:
            text += f" {accessed}" if accessed == ACCESSED else f" Accessed {accessed}."
        return text

    def bibtex(self, accessed: str | None = ACCESSED) -> str:
        # Double braces keep the title's capitals as written.
        lines = [f"@misc{{{self.key()},",
                 "  author = {" + " and ".join("{" + _tex(a) + "}" for a in self.authors) + "},",
                 f"  title = {{{{{_tex(self.part or self.title)}}}}},"]
        if self.part:
            lines.append(f"  howpublished = {{In: {_tex(self.title)}}},")
        lines += [f"  year = {{{self.year}}},",
                  f"  version = {{{self.version}}},",
                  f"  note = {{Version {self.version}, released {self.released}}},"]
        if self.url:
            lines.append(f"  url = {{{self.url}}},")
        if accessed:
            lines.append(f"  urldate = {{{accessed}}},")
        lines.append("}")
        return "\n".join(lines)

    def ris(self, accessed: str | None = ACCESSED) -> str:
        lines = ["TY  - FIGURE" if self.part else "TY  - DATA"] + [f"AU  - {a}" for a in self.authors]
        lines.append(f"TI  - {self.part or self.title}")
        if self.part:
            lines.append(f"T2  - {self.title}")
        lines += [f"PY  - {self.year}", f"DA  - {self.released.replace('-', '/')}", f"ET  - {self.version}"]
        if self.url:
            lines.append(f"UR  - {self.url}")
        if accessed:
            lines.append(f"Y2  - {accessed if accessed == ACCESSED else accessed.replace('-', '/')}")
        lines.append("ER  - ")
        return "\n".join(lines)


def html(cite: Citation) -> str:
    """The three forms as the book shows them ("Cite this edition", "Cite
    this chart"); the access date in a span the reader's browser fills, in
    each form's own way (data-form)."""
    def shown(text: str, form: str) -> str:
        return _html.escape(text).replace(
            ACCESSED, f'<span class="so-accessed" data-form="{form}">{ACCESSED}</span>')

    return (f'<p class="so-cite-plain">{shown(cite.plain(), "plain")}</p>'
            '<p class="so-cite-label">BibTeX</p>'
            f'<div class="highlight"><pre class="so-cite-bibtex">{shown(cite.bibtex(), "iso")}</pre></div>'
            '<p class="so-cite-label">RIS</p>'
            f'<div class="highlight"><pre class="so-cite-ris">{shown(cite.ris(), "ris")}</pre></div>')


def load(path: Path = CFF, url: str | None = None) -> Citation:
    """The edition's citation; its URL the repository's address
    (`repository_url`, or `url` where given)."""
    import yaml

    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    authors = tuple(a.get("name") or " ".join(p for p in (a.get("given-names"), a.get("family-names")) if p)
                    for a in cff["authors"])
    licences = cff.get("license", [])
    licences = (licences,) if isinstance(licences, str) else tuple(licences)
    title = " ".join(str(cff["title"]).split())
    return Citation(title=title, version=str(cff["version"]), released=str(cff["date-released"]),
                    authors=authors, licences=licences, url=url or repository_url(),
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

        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).strftime("%Y-%m-%d")
    return load().released



def fingerprint(data_dir: Path) -> str:
    """A data directory's fingerprint: the first 12 hex digits of the SHA-256
    of its files' `sha256sum` listing, sorted by path, which anyone can
    recompute:
    (cd DIR && find . -type f | sed 's|^./||' | LC_ALL=C sort | xargs -d '\\n' sha256sum) | sha256sum"""
    data_dir = Path(data_dir)
    listing = sorted((f.relative_to(data_dir).as_posix(), hashlib.sha256(f.read_bytes()).hexdigest())
                     for f in files(["."], data_dir))
    return hashlib.sha256("".join(f"{digest}  {name}\n" for name, digest in listing).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Rerun:
    """What a book `sobook run` made was built from: the data directory's
    name (never its path, which is the builder's own), its fingerprint and
    the day it was built."""

    data_name: str
    fingerprint: str
    built: str


def rerun(data_dir: Path | None, built: str | None = None) -> Rerun | None:
    """The re-run a book is, if it is one: `data_dir` is the configuration's
    sobook_data_dir (None for the published edition), `built` its
    sobook_built date."""
    if not data_dir:
        return None
    data_dir = Path(data_dir)
    return Rerun(data_name=data_dir.name, fingerprint=fingerprint(data_dir), built=built or build_date())


def statement(rerun: Rerun | None = None) -> str:
    """Which edition this is, in one sentence: the footer, the front page,
    the PDF's title page and the data download's README all say it."""
    version = load().version
    if rerun is None:
        return f"Version {version}, built from the sources of {build_date()}."
    return (f"Not the published edition: a re-run of the code of version {version} on the data in "
            f"\u201c{rerun.data_name}\u201d (fingerprint {rerun.fingerprint}), built on {rerun.built}.")


LICENCE_NOTE = (
    "The edition's own material (notes, commentary, charts, data curation) is under CC BY 4.0; its code is under "
    "the MIT License. The translation is offered for research and commentary: the rights in the original report "
    "are its publisher's, who is not known here."
)
