"""Checks on the translation: the five chapter notebooks against the cleaned
original (data/source/original.json) and the glossary (pages/glossary.md).

* mapping: every block of the original is in exactly one ``{original}``
  directive, in the right notebook, in reading order, grouped as the
  translators' brief says (a heading; a paragraph with the footnotes it
  references; the caption, source and note of one figure);
* completeness: every directive sits in a cell with English besides it;
  footnotes and figure captions are where they belong;
* glossary: every entry is linked from the chapters, every link has an entry,
  none of the renderings the glossary rejects is used;
* house rules: unit conversions spot-checked against the Chinese, no Chinese
  left in the English, no ambiguous "increased N times", no money amount
  rendered as math.

Run from the repository root:  .venv/bin/python -m pytest tests/test_translation.py
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "data" / "source" / "original.json"
GLOSSARY = ROOT / "pages" / "glossary.md"
CONFIG = ROOT / "_config.yml"

# Each chapter notebook holds one contiguous range of the original's blocks.
CHAPTERS = {
    "achievements": ("s1-h", "s1.8-p3"),
    "section2": ("s2-h", "s2-p1"),
    "trends": ("s2.1-h", "s2.1.5-p3"),
    "opportunities": ("s2.2-h", "s2.2.5-p1"),
    "challenges": ("s2.3-h", "s2.3-p2"),
    "outlook": ("s2.4-h", "s2.4-p6"),
}

# Chinese characters, CJK punctuation (、。《》…) and full-width forms (（），：…).
# Curly quotes are not counted: English uses them too.
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff60]")
FN_REF = re.compile(r"\[\^(fn\d+)\](?!:)")  # the original's footnote markers: [^fn8] is the report's note 8
# The English labels a footnote with the report's number ([^8]): MyST shows a number as it is, and numbers
# any other label ([^fn8]) by its place on the page, which put a [1] beside the report's 8.
EN_FN_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
EN_FN_DEF = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
FIG_ID = re.compile(r"^fig(\d+-\d+)-(caption|source|note)$")
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
ROLE_TARGET = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<args>.*?)[ \t]*$")
HEADING = re.compile(r"^(#{1,6})\s+\S", re.M)

# "增长6.7倍" must not come out as a bare "increased 6.7 times": an increase BY
# 6.7 times is 7.7 times the base. The first pattern is the one in the brief;
# the second catches its near relatives ("rose 5.9 times", "an increase of
# 3.6 times", "grew 11.4-fold").
AMBIGUOUS_TIMES = [
    re.compile(r"increas\w* (by )?\d+(\.\d+)? times", re.I),
    re.compile(
        r"\b(?:increas|grow|grew|rose|rise|rising|jump|climb|expand)\w*\s+(?:by\s+|of\s+)?"
        r"\d+(?:\.\d+)?(?:[- ]times|[- ]?fold)\b",
        re.I,
    ),
]

# A span of years is written with an en dash (2016–2020), never a hyphen or an em dash.
YEAR_SPAN_BAD = re.compile(r"\b(?:19|20)\d\d\s*[-—]\s*(?:19|20)\d\d\b")


# ------------------------------------------------------------------ the original

@cache
def original() -> dict:
    return json.loads(ORIGINAL.read_text(encoding="utf-8"))


def block_ids() -> list[str]:
    return [b["id"] for b in original()["blocks"]]


def block(block_id: str) -> dict:
    return {b["id"]: b for b in original()["blocks"]}[block_id]


def chapter_range(name: str) -> list[str]:
    ids = block_ids()
    first, last = CHAPTERS[name]
    return ids[ids.index(first): ids.index(last) + 1]


def footnotes_of(block_id: str) -> list[str]:
    """The footnote ids a block of the original references, in order."""
    return FN_REF.findall(block(block_id)["text"])


# ------------------------------------------------------------------ the notebooks

def split_directives(text: str):
    """Split MyST text into directives and the rest.

    Returns (directives, rest_lines): each directive is a dict with name, args
    (list of words), body (its content lines); rest_lines are the lines outside
    any directive. Directives are not nested in the chapters' format."""
    lines = text.split("\n")
    directives, rest = [], []
    i = 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        if m:
            fence = m.group("fence")
            close = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
            j = i + 1
            while j < len(lines) and not close.match(lines[j]):
                j += 1
            directives.append({"name": m.group("name"), "args": m.group("args").split(), "body": lines[i + 1: j]})
            i = j + 1
            continue
        rest.append(lines[i])
        i += 1
    return directives, rest


def directive_body_text(body: list[str]) -> str:
    """A directive's content without its option lines (":name: ...")."""
    return "\n".join(line for line in body if not re.match(r"^:[\w-]+:", line))


class Cell:
    def __init__(self, index: int, cell_type: str, source: str):
        self.index = index
        self.type = cell_type
        self.source = source
        if cell_type == "markdown":
            self.directives, rest = split_directives(source)
        else:
            self.directives, rest = [], []
        self.rest = "\n".join(rest)

    def originals(self) -> list[list[str]]:
        return [d["args"] for d in self.directives if d["name"] == "original"]

    def glue_figures(self) -> list[dict]:
        return [d for d in self.directives if d["name"] == "glue:figure"]

    def english(self, notes: bool = True) -> str:
        """The English of the cell: everything but the {original} directives,
        with directive fences and options dropped, roles reduced to the words
        they show, Markdown escapes undone. notes=False also drops the
        translator's notes (the only English that may quote the Chinese)."""
        if self.type != "markdown":
            return ""
        parts = [self.rest]
        for d in self.directives:
            if d["name"] == "original":
                continue
            if d["name"] == "translator-note" and not notes:
                continue
            parts.append(directive_body_text(d["body"]))
        text = "\n".join(parts)

        def role(m):
            name, content = m.group(1), m.group(2)
            if name == "tn" and not notes:
                return ""
            target = ROLE_TARGET.match(content)
            return target.group(1) if target else content

        text = ROLE.sub(role, text)
        text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!$%&<>|~^])", r"\1", text)
        return text.replace("\u00a0", " ").replace("\u202f", " ")


@cache
def load_chapter(name: str):
    """The notebook's cells, or None when the notebook is not there (yet)."""
    path = ROOT / "chapters" / f"{name}.ipynb"
    if not path.exists():
        return None
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for i, c in enumerate(nb["cells"]):
        src = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        cells.append(Cell(i, c["cell_type"], src))
    return cells


def chapter(name: str) -> list[Cell]:
    cells = load_chapter(name)
    if cells is None:
        pytest.fail(f"chapters/{name}.ipynb does not exist (not translated yet?)")
    return cells


def cell_of_block() -> dict:
    """block id -> (chapter, Cell) for every block found in any notebook."""
    where = {}
    for name in CHAPTERS:
        for cell in load_chapter(name) or []:
            for args in cell.originals():
                for block_id in args:
                    where.setdefault(block_id, (name, cell))
    return where


def english_of_block(block_id: str) -> str:
    where = cell_of_block()
    if block_id not in where:
        name = next(n for n in CHAPTERS if block_id in chapter_range(n))
        if load_chapter(name) is None:
            pytest.fail(f"chapters/{name}.ipynb does not exist (not translated yet?)")
        pytest.fail(f"block {block_id} is in no {{original}} directive of chapters/{name}.ipynb")
    return normalise(where[block_id][1].english())


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def all_english(notes: bool = True) -> dict:
    """chapter -> [(cell index, English)] for the notebooks that exist."""
    out = {}
    for name in CHAPTERS:
        cells = load_chapter(name)
        if cells is not None:
            out[name] = [(c.index, c.english(notes)) for c in cells if c.type == "markdown"]
    return out


def require_all_chapters():
    missing = [n for n in CHAPTERS if load_chapter(n) is None]
    if missing:
        pytest.fail("not translated yet: " + ", ".join(f"chapters/{n}.ipynb" for n in missing))


# ------------------------------------------------------------------ the glossary

GLOSS_DEF = re.compile(
    r"^(?P<zh>[^.]+)\. (?P<definition>.+?) Official usage: (?P<official>.+?) Not: (?P<not>.+)$"
)


@cache
def glossary() -> dict:
    """entry -> {zh, definition, official, not: [rejected renderings]}."""
    text = GLOSSARY.read_text(encoding="utf-8")
    directives, _ = split_directives(text)
    blocks = [d for d in directives if d["name"] == "glossary"]
    assert len(blocks) == 1, "pages/glossary.md must hold exactly one {glossary} directive"
    entries, term = {}, None
    for line in blocks[0]["body"]:
        if not line.strip() or re.match(r"^:[\w-]+:", line):
            continue
        if not line[0].isspace():
            term = line.strip()
            assert term not in entries, f"glossary entry {term!r} twice"
            entries[term] = None
            continue
        assert term is not None and entries[term] is None, f"glossary: stray or second definition line {line!r}"
        m = GLOSS_DEF.match(line.strip())
        assert m, f"glossary entry {term!r}: definition does not follow the fixed structure: {line.strip()!r}"
        nots = m.group("not").strip()
        rejected = [] if nots == "none." else re.findall(r'"([^"]+)"', nots)
        assert nots == "none." or rejected, f"glossary entry {term!r}: cannot read its 'Not:' list {nots!r}"
        entries[term] = {**m.groupdict(), "not": rejected}
    for term, entry in entries.items():
        assert entry is not None, f"glossary entry {term!r} has no definition"
    return entries


def key(term: str) -> str:
    """Sphinx matches glossary terms case-insensitively."""
    return re.sub(r"\s+", " ", term).strip().lower()


def term_links() -> list[tuple[str, int, str]]:
    """(chapter, cell index, target) for every {term} role in the chapters."""
    out = []
    for name in CHAPTERS:
        for cell in load_chapter(name) or []:
            if cell.type != "markdown":
                continue
            text = "\n".join(
                [cell.rest] + [directive_body_text(d["body"]) for d in cell.directives if d["name"] != "original"]
            )
            for m in ROLE.finditer(text):
                if m.group(1) == "term":
                    target = ROLE_TARGET.match(m.group(2))
                    out.append((name, cell.index, key(target.group(2) if target else m.group(2))))
    return out


def phrase_regex(phrase: str) -> re.Pattern:
    """The phrase as whole words, any whitespace between them, any case."""
    body = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.I)


# ================================================================== mapping

def test_every_block_in_exactly_one_directive():
    require_all_chapters()
    seen = Counter()
    for name in CHAPTERS:
        for cell in chapter(name):
            for args in cell.originals():
                seen.update(args)
    ids = block_ids()
    missing = [i for i in ids if seen[i] == 0]
    twice = [i for i in ids if seen[i] > 1]
    unknown = sorted(i for i in seen if i not in ids)
    assert not (missing or twice or unknown), f"missing: {missing}; more than once: {twice}; unknown ids: {unknown}"


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_chapter_holds_its_range_in_reading_order(name):
    want = chapter_range(name)
    got = [i for cell in chapter(name) for args in cell.originals() for i in args]
    assert sorted(set(got)) == sorted(want), (
        f"{name}: missing {[i for i in want if i not in got]}, not of this chapter {[i for i in got if i not in want]}"
    )
    # Footnotes are placed with the paragraph that references them (checked
    # below); every other block must come in the original's order.
    order = [i for i in got if block(i)["kind"] != "footnote"]
    assert order == [i for i in want if block(i)["kind"] != "footnote"], f"{name}: blocks out of reading order"


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_directives_group_blocks_as_the_brief_says(name):
    """One directive per cell, holding a heading; or a paragraph and exactly
    the footnotes it references; or the caption, source (and note) of one figure."""
    problems = []
    for cell in chapter(name):
        directives = cell.originals()
        if len(directives) > 1:
            problems.append(f"cell {cell.index}: {len(directives)} {{original}} directives in one cell")
        for args in directives:
            if not args:
                problems.append(f"cell {cell.index}: {{original}} without an id")
                continue
            first = args[0]
            kind = block(first)["kind"] if first in block_ids() else None
            if kind == "heading":
                expected = [first]
            elif kind == "paragraph":
                expected = [first] + footnotes_of(first)
            elif kind == "figure_caption":
                fig = FIG_ID.match(first).group(1)
                expected = [i for i in block_ids() if FIG_ID.match(i) and FIG_ID.match(i).group(1) == fig]
            else:
                expected = None
            if args != expected:
                problems.append(f"cell {cell.index}: {{original}} {' '.join(args)}; expected {expected}")
    assert not problems, "\n".join(problems)


# ================================================================== completeness

@pytest.mark.parametrize("name", list(CHAPTERS))
def test_every_block_has_english(name):
    cells = chapter(name)
    problems = []
    for pos, cell in enumerate(cells):
        for args in cell.originals():
            kind = block(args[0])["kind"] if args and args[0] in block_ids() else None
            english = cell.english()
            if kind == "figure_caption" and not cell.glue_figures() and pos > 0:
                english = cells[pos - 1].english()  # the {glue:figure} may stand in the cell before
            words = re.findall(r"[A-Za-z]{2,}", english)
            if kind == "heading":
                if not HEADING.search(cell.rest):
                    problems.append(f"{args[0]}: no Markdown heading in its cell")
            elif len(words) < 3:
                problems.append(f"{' '.join(args)}: no English beside the original (untranslated?)")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_footnotes_defined_and_referenced_in_their_cell(name):
    """Each of the report's footnotes is defined and referenced in the cell of
    its paragraph, labelled with the report's number (fn8 as [^8])."""
    problems = []
    for cell in chapter(name):
        english = cell.english()
        for args in cell.originals():
            for fn in (i for i in args if i.startswith("fn")):
                label = fn.removeprefix("fn")
                if label not in EN_FN_DEF.findall(english):
                    problems.append(f"{fn}: no '[^{label}]:' definition in the cell of {args[0]}")
                if label not in EN_FN_REF.findall(english):
                    problems.append(f"{fn}: no '[^{label}]' reference in the English of {args[0]}")
        # and no footnote but the report's, each in the cell of its paragraph
        ids = {i for args in cell.originals() for i in args}
        for label in set(EN_FN_DEF.findall(english)) | set(EN_FN_REF.findall(english)):
            if not label.isdigit():
                problems.append(f"cell {cell.index}: footnote [^{label}] would be numbered by its place on the page, "
                                f"not as the report numbers it (label it with the report's number)")
            elif f"fn{label}" not in ids:
                problems.append(f"cell {cell.index}: footnote [^{label}] used, but fn{label} is not in its {{original}} directive")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_footnote_marks_show_the_reports_numbers(name, book_html):
    """On the page, each note's mark and label read as the report numbers it
    (the Chinese beside it shows the same number), in the order the page's
    {original} toggles name the notes."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((book_html / "chapters" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    notes = [i.removeprefix("fn") for d in soup.select("details.so-original")
             for i in d["data-blocks"].split() if i.startswith("fn")]
    marks = [a.get_text(strip=True).strip("[]") for a in soup.select("a.footnote-reference")]
    labels = [s.get_text(strip=True).strip("[]") for s in soup.select("aside.footnote > span.label")]
    assert marks == notes and labels == notes, (marks, labels, notes)


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_figures_captioned_with_the_reports_numbers(name):
    cells = chapter(name)
    problems = []
    for pos, cell in enumerate(cells):
        for args in cell.originals():
            m = FIG_ID.match(args[0]) if args else None
            if not m or m.group(2) != "caption":
                continue
            fig = m.group(1)
            glue = [d for d in cell.glue_figures() if d["args"][:1] == [f"fig-{fig}"]]
            if not glue and pos > 0:
                glue = [d for d in cells[pos - 1].glue_figures() if d["args"][:1] == [f"fig-{fig}"]]
            if not glue:
                problems.append(f"fig{fig}-caption: no ```{{glue:figure}} fig-{fig}``` in its cell or the cell before")
                continue
            body = glue[0]["body"]
            if f":name: fig-{fig}" not in [line.strip() for line in body]:
                problems.append(f"fig-{fig}: no ':name: fig-{fig}'")
            text = [line.strip() for line in directive_body_text(body).split("\n") if line.strip()]
            if not text or not text[0].startswith(f"**Figure {fig}**"):
                problems.append(f"fig-{fig}: the caption does not start with '**Figure {fig}**': {text[:1]}")
            if not any(line.startswith("Source:") for line in text):
                problems.append(f"fig-{fig}: no 'Source:' line")
            if f"fig{fig}-note" in args and not any(line.startswith("Note:") for line in text):
                problems.append(f"fig-{fig}: the original has a note, the English no 'Note:' line")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_headings_do_not_skip_levels(name):
    """The page title is H1 and no heading goes more than one level deeper
    than the one before it (MyST warns otherwise, and the build is strict);
    headings of the same rank in the original share one level."""
    levels, problems, rank = [], [], {}
    for cell in chapter(name):
        for args in cell.originals():
            if args and args[0] in block_ids() and block(args[0])["kind"] == "heading":
                m = HEADING.search(cell.rest)
                if not m:
                    continue
                level = len(m.group(1))
                levels.append((args[0], level))
                original_level = block(args[0])["level"]
                if rank.setdefault(original_level, level) != level:
                    problems.append(f"{args[0]}: H{level}, but other headings of its rank are H{rank[original_level]}")
    if levels and levels[0][1] != 1:
        problems.append(f"{levels[0][0]}: the page title must be H1, is H{levels[0][1]}")
    for (_, before), (block_id, level) in zip(levels, levels[1:]):
        if level > before + 1:
            problems.append(f"{block_id}: H{before} followed by H{level}")
    assert not problems, "\n".join(problems)


# ================================================================== glossary

def test_glossary_parses():
    entries = glossary()
    assert entries
    for term, entry in entries.items():
        assert CJK.search(entry["zh"]), f"{term}: no Chinese"
        assert entry["definition"].strip(), f"{term}: no definition"


def test_every_glossary_entry_is_used():
    require_all_chapters()
    used = {target for _, _, target in term_links()}
    unused = [t for t in glossary() if key(t) not in used]
    assert not unused, f"glossary entries never linked with {{term}} in the chapters: {unused}"


def test_every_term_link_has_an_entry():
    entries = {key(t) for t in glossary()}
    unknown = sorted({f"{name}: {target}" for name, _, target in term_links() if target not in entries})
    assert not unknown, f"{{term}} links to no glossary entry (breaks the strict build): {unknown}"


def test_each_term_linked_once_per_page():
    counts = Counter((name, target) for name, _, target in term_links())
    twice = sorted(f"{name}: {target} ({n}x)" for (name, target), n in counts.items() if n > 1)
    assert not twice, "a term is linked only at its first use on a page: " + "; ".join(twice)


def test_no_rejected_rendering():
    problems = []
    rejected = [(term, phrase) for term, e in glossary().items() for phrase in e["not"]]
    assert rejected
    for name, cells in all_english().items():
        for index, english in cells:
            for term, phrase in rejected:
                for m in phrase_regex(phrase).finditer(english):
                    context = normalise(english[max(0, m.start() - 40): m.end() + 40])
                    problems.append(f"{name} cell {index}: {m.group(0)!r} (write {term!r}): ...{context}...")
    assert not problems, "\n".join(problems)


# ================================================================== house rules

# Spot checks, each verified against the Chinese by hand. Each item is a tuple
# of acceptable renderings; one must appear in the English of the block's cell.
# Where the house rules allow two forms (e.g. 1.2亿美元: US$120 million or
# US$0.12 billion; 927.0亿美元 with or without the final zero) both are listed.
SPOT_CHECKS = {
    "s1.1-p1": [  # 7110.6亿美元 … 年均增长12.6% … 高5.9个百分点 … 1057.7亿美元
        ("US$711.06 billion",), ("12.6%",), ("5.9 percentage points",), ("US$441.41 billion",), ("10.4%",),
        ("5.3 percentage points",), ("US$269.66 billion",), ("16.8%",), ("10.1 percentage points",),
        ("US$175.35 billion",), ("10.9%",), ("US$105.77 billion",), ("9.2%",), ("US$100 billion",),
    ],
    "s1.1-p2": [("66.4%",), ("66.5%",), ("37.7%",), ("68.2%",), ("78.0%",), ("76.3%",), ("53.1%",)],
    "s1.2-p1": [  # 800.6 / 163.5 / 354.1 / 310.3 / 598.9亿美元; 493.0亿美元 keeps or drops its zero
        ("US$49.30 billion", "US$49.3 billion"), ("US$80.06 billion",), ("US$16.35 billion",),
        ("US$35.41 billion",), ("US$31.03 billion",), ("US$59.89 billion",),
        ("51.0%",), ("45.7%",), ("16.9%",), ("20.2%",), ("32.1%",), ("34.1%",),
    ],
    "s1.2-p2": [  # 增长N倍 = (N+1) times the base; each reading checked against the growth rate given:
        # 7.7^(1/5)-1 = 50.4%, 12.4^(1/5)-1 = 65.5%, 6.9^(1/5)-1 = 47.2% (47.0% is within the rounding of
        # 5.9), 7.1^(1/5)-1 = 48.0%, 4.6^(1/5)-1 = 35.7% (36.0% is just within the rounding of 3.6); the
        # other reading (N times the base) gives 46.3%, 62.7%, 42.6%, 43.6%, 29.2% and fits none
        ("US$1.35 billion",), ("176.9%",), ("US$2.23 billion",), ("7.7 times", "670%"), ("50.4%",),
        ("US$4.93 billion",), ("12.4 times", "1,140%"), ("65.4%",), ("US$3.02 billion",), ("6.9 times", "590%"),
        ("47.0%",), ("US$2.71 billion",), ("7.1 times", "610%"), ("48.0%",),
        ("US$930 million", "US$0.93 billion"), ("4.6 times", "360%"), ("36.0%",),
    ],
    "s1.3-p1": [
        ("4,996",), ("4,173",), ("5,533",), ("5,619",), ("6,026",), ("5,000",), ("60,574",), ("76.7%",),
        ("12.1%",), ("42,415",), ("70.5%",), ("9,437",), ("4,804",), ("3,918",), ("15.6%",), ("7.9%",),
        ("6.5%",), ("15,838",), ("6,082",), ("5,758",), ("5,601",), ("54.9%",),
    ],
    "s1.3-p2": [  # 3634万美元 → US$36.34 million; 0.7亿美元 → US$70 million
        ("71.4%",), ("70.8%",), ("US$36.34 million",), ("US$57.45 million",), ("US$25.28 million",),
        ("US$41.04 million",), ("US$120 million", "US$0.12 billion"),
        ("US$200 million", "US$0.2 billion", "US$0.20 billion"), ("US$90 million",),
        ("US$150 million", "US$0.15 billion"), ("US$70 million",), ("US$110 million", "US$0.11 billion"),
        ("US$30 million",), ("US$50 million",), ("US$80 million",),
    ],
    "s1.4-p1": [  # 545.9万人 → 5.459 million
        ("5.459 million",), ("8.3%",), ("3.405 million",), ("8.4%",), ("12.909 million",), ("73.3%",),
        ("8.193 million",), ("71.1%",),
    ],
    "fn3": [("65.64 million",)],  # 6564万人
    "fn4": [("40.88 million",)],  # 4088万人
    "s1.5-p1": [("224",), ("18",), ("73",), ("13",), ("14",)],
    "s1.5-p2": [
        ("US$265.18 billion",), ("10.6%",), ("US$92.70 billion", "US$92.7 billion"), ("8.3%",),
        ("US$61.05 billion",), ("11.4%",), ("US$38.24 billion",), ("11.7%",), ("US$73.18 billion",),
        ("12.1%",), ("62.8%",),
    ],
    "s1.5-p3": [
        ("172",), ("206",), ("US$12.15 billion",), ("US$19.77 billion",), ("US$82.45 billion",), ("10.2%",),
        ("US$6.31 billion",), ("US$10.36 billion",), ("US$43.80 billion", "US$43.8 billion"), ("10.4%",),
        ("US$330 million", "US$0.33 billion"), ("US$1.07 billion",), ("US$3.29 billion",), ("26.8%",),
        ("16.4 percentage points",),
    ],
    "s1.6-p1": [("21.9%",), ("per 10,000",), ("35.6",), ("14.3%",), ("44.7%",)],
    "s1.6-p2": [
        ("17,879",), ("101.1%",), ("1,518",), ("1,303",), ("1,749",), ("2,365",), ("2,054",), ("8,989",),
        ("5,723",), ("63.7%",), ("1,050",), ("11.7%",), ("935",), ("10.4%",), ("706",), ("7.9%",),
    ],
    "s1.7-p1": [  # 75.2万 → 752,000
        ("US$99.93 billion",), ("US$146.56 billion",), ("10.0%",), ("84.1%",), ("1.8 percentage points",),
        ("800",), ("26",), ("7.3%",), ("0.4 percentage points",), ("3,491",), ("1.5%",), ("752,000",), ("12.2%",),
    ],
    "s1.8-p1": [("RMB 6.79 billion",), ("15%",), ("8%",)],  # 67.9亿元
    "s1.8-p3": [("31st",), ("15",)],
    "s2.1.1-p2": [
        ("36.7%",), ("6.5%",), ("US$1,387.57 billion", "US$1.38757 trillion"), ("27.8%",),
        ("5.4 percentage points",), ("7%",), ("US$2 trillion",),
    ],
    "s2.1.1-p3": [("43.8:19.4:36.9", "43.8 : 19.4 : 36.9"), ("45.0:15.0:40.0", "45.0 : 15.0 : 40.0")],
    "s2.1.1-p4": [("€270 billion",)],  # 2700亿欧元
    "s2.1.2-p3": [
        ("US$5 million",), ("US$59.8 billion",), ("7.6%",), ("US$21.4 billion",), ("2.4%",), ("US$5.2 billion",),
        ("23.5%",), ("US$33.2 billion",), ("19.0%",), ("US$24.3 billion",), ("19.1%",), ("US$8.9 billion",),
        ("18.7%",), ("8%",), ("US$90 billion",),
    ],
    "s2.1.4-p2": [("65%",), ("15.5%",)],
    "s2.1.5-p2": [("40%",), ("35%",), ("30%",)],
    "s2.1.5-p3": [
        ("4.0%",), ("6.5%",), ("3.5%",), ("US$170 billion",), ("US$750 billion",), ("US$65 billion",),
    ],
    "s2.2.3-p1": [  # 300万亿元 → RMB 300 trillion; the parts (102万亿 …) may leave "RMB" implied
        ("45",), ("24",), ("RMB 300 trillion",), ("102 trillion",), ("25 trillion",), ("44 trillion",),
        ("9 trillion",), ("99 trillion",), ("21 trillion",), ("RMB 3 trillion",),
    ],
    "s2.2.5-p1": [
        ("65%",), ("4.4%",), ("78.5%",), ("US$20.66 billion",), ("24.7%",), ("29.6%",), ("30%",),
    ],
    "s2.4-p1": [("2019–2021",)],
    "s2.4-p3": [("5 million",)],
    "fig1-10-caption": [("**Figure 1-10**",), ("2016–2025",)],
    "fig1-12-caption": [("**Figure 1-12**",), ("2016–2020",)],
}


@pytest.mark.parametrize("block_id", list(SPOT_CHECKS))
def test_spot_check_numbers(block_id):
    english = english_of_block(block_id)
    missing = [" or ".join(alts) for alts in SPOT_CHECKS[block_id] if not any(a in english for a in alts)]
    assert not missing, f"{block_id}: not found in the English: {missing}"


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_no_chinese_in_the_english(name):
    """No Chinese outside the {original} directives; only a translator's note
    may quote a Chinese word. 亿 never survives, not even in a note."""
    chapter(name)
    problems = []
    for index, english in all_english(notes=False)[name]:
        for m in re.finditer(f"{CJK.pattern}+", english):
            problems.append(f"cell {index}: {m.group(0)!r} in ...{normalise(english[max(0, m.start() - 40): m.end() + 40])}...")
    for index, english in all_english(notes=True)[name]:
        if "亿" in english:
            problems.append(f"cell {index}: 亿 left in the English")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_no_ambiguous_times(name):
    chapter(name)
    problems = []
    for index, english in all_english()[name]:
        found = {m.group(0) for pattern in AMBIGUOUS_TIMES for m in pattern.finditer(normalise(english))}
        problems += [f"cell {index}: {f!r} (write '(N+1) times the base' or the % increase)" for f in sorted(found)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_year_spans_use_en_dash(name):
    chapter(name)
    problems = [
        f"cell {index}: {m.group(0)!r}"
        for index, english in all_english()[name]
        for m in YEAR_SPAN_BAD.finditer(english)
    ]
    assert not problems, "\n".join(problems)


def _myst_parser():
    """MyST's own Markdown parser, set up as Jupyter Book sets it up from
    _config.yml (its defaults included: they switch dollarmath on)."""
    from jupyter_book.config import get_final_config
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    sphinx, _ = get_final_config(
        user_yaml=CONFIG, cli_config={"latex_individualpages": False}, sourcedir=ROOT
    )
    extensions = set(sphinx.get("myst_enable_extensions", []))
    options = {
        k[len("myst_"):]: v
        for k, v in sphinx.items()
        if k.startswith("myst_dmath_") and k[len("myst_"):] in MdParserConfig.__dataclass_fields__
    }
    return create_md_parser(MdParserConfig(enable_extensions=extensions, **options), RendererHTML)


def _math_tokens(tokens):
    for token in tokens:
        if token.type.startswith("math"):
            yield token
        if token.children:
            yield from _math_tokens(token.children)


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_money_is_not_parsed_as_math(name):
    """With dollarmath on (a Jupyter Book default), "US$711.06 billion …
    US$105.77 billion" in one paragraph becomes inline math unless $ is
    escaped or the book sets myst_dmath_allow_digits: false. The book has no
    math at all."""
    cells = chapter(name)
    md = _myst_parser()
    problems = []
    for cell in cells:
        if cell.type != "markdown":
            continue
        # parse directive contents as Markdown too (captions, notes), not the {original} ones
        text = "\n\n".join(
            [cell.rest] + [directive_body_text(d["body"]) for d in cell.directives if d["name"] != "original"]
        )
        for token in _math_tokens(md.parse(text)):
            problems.append(f"cell {cell.index}: parsed as math: ${token.content[:60]}$")
    assert not problems, "\n".join(problems)


# ================================================================== consistency across pages
#
# One rendering per term and name across the five chapters: where the Chinese
# term occurs in a block's original, that block's English uses the glossary's
# rendering (or a variant the glossary itself quotes); names and titles as
# the glossary's table gives them; the four pages of Section 2 head their
# parts alike.

NAMES_TABLE_ROW = re.compile(r"^\|(?P<zh>[^|]+)\|(?P<en>[^|]+)\|(?P<note>[^|]*)\|\s*$")
# Irregular forms of the glossary's verbs; regular ones (-s, -d, -ed, -ing) are derived.
IRREGULAR = {"undertake": ["undertook", "undertaken"]}
HEADING_TEXT = re.compile(r"^#{1,6}\s+(.*)$", re.M)


def zh_plain(text: str) -> str:
    """Chinese without the marks that may or may not surround a name."""
    return re.sub(r"[《》“”\"]", "", text)


@cache
def names_table() -> list[dict]:
    """The glossary's "Names and titles" table: [{zh: [forms], en, note}]."""
    text = GLOSSARY.read_text(encoding="utf-8").split("## Names and titles", 1)[1]
    rows = []
    for line in text.splitlines():
        m = NAMES_TABLE_ROW.match(line)
        if not m or set(m.group("zh").strip()) <= set("-") or m.group("zh").strip() == "Chinese":
            continue
        zh = re.sub(r"\s*\([^)]*\)", "", m.group("zh"))  # "(服贸会)", "(RCEP)": short forms, not checked
        rows.append({"zh": [zh_plain(z).strip() for z in zh.split(" / ")], "en": m.group("en").strip(),
                     "note": m.group("note").strip()})
    assert rows, "pages/glossary.md: no rows read from the 'Names and titles' table"
    return rows


def name_forms(en: str) -> tuple[list[str], str | None]:
    """The forms a name may take in the text: as the table gives it (either
    of two given as "A / B"), or without its abbreviation; and the
    abbreviation alone (used after the name has been spelled out on the page)."""
    forms, abbr = [], None
    for form in en.split(" / "):
        form = re.sub(r"^the ", "", form.strip())
        m = re.search(r" \(([A-Z]{2,})\)", form)
        forms.append(form)
        if m:
            forms.append(form.replace(m.group(0), ""))
            abbr = m.group(1)
    return forms, abbr


def occurs(form: str, english: str) -> bool:
    """The form as whole words; a form in roman must not be set in italics."""
    pattern = re.escape(form)
    if not form.startswith("*"):
        pattern = rf"(?<![\w*]){pattern}(?![\w*])"
    return re.search(pattern, english) is not None


def blocks_by_page():
    """(chapter, block id, Chinese, English) in reading order, page by page."""
    for name in CHAPTERS:
        for block_id in chapter_range(name):
            yield name, block_id, block(block_id)["text"], english_of_block(block_id)


def mask_titles(zh: str) -> str:
    """The Chinese with every name of the table blanked out, longest first."""
    zh = zh_plain(zh)
    for form in sorted((z for row in names_table() for z in row["zh"]), key=len, reverse=True):
        zh = zh.replace(form, "□" * len(form))
    return zh


def term_pattern(term: str) -> re.Pattern:
    """A glossary rendering as words in any case, hyphen or space between
    them, the last word singular or plural, a verb in any of its forms."""
    words = term.split()
    last = words[-1]
    if last.lower() in IRREGULAR:
        last_re = "(?:" + "|".join(re.escape(w) for w in [last, *IRREGULAR[last.lower()]]) + r"|" + re.escape(last[:-1]) + r"(?:es|ed|ing|s))"
    elif last.endswith("ies"):
        last_re = re.escape(last[:-3]) + "(?:y|ies)"
    else:
        last_re = re.escape(last.rstrip("s")) + "s?"
    body = r"[\s-]+".join([re.escape(w) for w in words[:-1]] + [last_re])
    return re.compile(rf"(?<!\w){body}(?!\w)", re.I)


def glossary_renderings() -> list[tuple[str, list[str], list[str]]]:
    """(entry, Chinese forms, English renderings) for every glossary entry.
    The Chinese forms are those before any parenthesis; the renderings are the
    entry's name, its words without the abbreviation, the abbreviation, and
    every variant the entry quotes beside the Chinese ("short: ...")."""
    out = []
    for term, entry in glossary().items():
        zh_part = entry["zh"]
        variants = re.findall(r'"([^"]+)"', zh_part)
        zh = [zh_plain(z).strip() for z in re.sub(r"\s*\([^)]*\)", "", zh_part).split(" / ")]
        renderings = [term, *variants]
        abbr = re.search(r"\s*\(([A-Z]{2,})\)$", term)
        if abbr:
            renderings += [term[: abbr.start()], abbr.group(1)]
        out.append((term, [z for z in zh if z], renderings))
    return out


def test_each_glossary_term_rendered_one_way():
    """Where a glossary term's Chinese occurs in a block, the block's English
    has the glossary's rendering (names of the table's titles excepted: a
    term inside an official title goes as the title goes)."""
    require_all_chapters()
    problems = []
    for name, block_id, zh, english in blocks_by_page():
        masked = mask_titles(zh)
        for term, forms, renderings in glossary_renderings():
            found = [f for f in forms if f in masked]
            if found and not any(term_pattern(r).search(english) for r in renderings):
                problems.append(f"{name}, {block_id}: {'/'.join(found)} is not rendered {' or '.join(map(repr, renderings))}")
    assert not problems, "\n".join(problems)


def test_names_and_titles_as_the_glossary_gives_them():
    """Where a name or title of the glossary's table occurs in a block, the
    block's English has it as the table gives it: the same words, titles of
    documents in italics and other names in roman; an abbreviation alone
    only once the name has been spelled out on the page."""
    require_all_chapters()
    problems, spelled_out = [], set()
    for name, block_id, zh, english in blocks_by_page():
        masked = zh_plain(zh)
        for row in sorted(names_table(), key=lambda r: -max(map(len, r["zh"]))):
            found = [f for f in row["zh"] if f in masked]
            if not found:
                continue
            for f in found:
                masked = masked.replace(f, "□" * len(f))
            forms, abbr = name_forms(row["en"])
            for wider in names_table():  # a longer name that holds this one, for Chinese the block lacks
                if wider is not row and not any(z in zh_plain(zh) for z in wider["zh"]):
                    for w in name_forms(wider["en"])[0]:
                        if any(f in w and f != w for f in forms) and occurs(w, english):
                            problems.append(f"{name}, {block_id}: {w!r} renders {wider['zh'][0]}, the Chinese says {found[0]}")
            if any(occurs(f, english) for f in forms):
                spelled_out.add((name, row["en"]))
            elif not (abbr and (name, row["en"]) in spelled_out and occurs(abbr, english)):
                problems.append(f"{name}, {block_id}: {found[0]} is not rendered {row['en']!r}")
    assert not problems, "\n".join(problems)


FORECAST_VERBS = {"预测": "forecast", "测算": "estimat"}  # 测算 as "estimates by ..."


def test_forecasts_and_estimates_keep_one_verb():
    """预测 is "forecast" and 根据…测算 "according to estimates" wherever the
    report attributes a figure, so the reader can tell the two apart."""
    require_all_chapters()
    problems = []
    for name, block_id, zh, english in blocks_by_page():
        for word, english_word in FORECAST_VERBS.items():
            if word == "测算" and not re.search(r"根据[^，。]*测算", zh):
                continue  # "按…测算" (computed at a rate) is not an attribution
            if word in zh and english_word not in english.lower():
                problems.append(f"{name}, {block_id}: {word} without {english_word!r}")
    assert not problems, "\n".join(problems)


def test_comparisons_written_from_not_on():
    """A change is "up X% from 2019", "5.4 percentage points higher than", never
    the British "up X% on 2018" beside the American "from" elsewhere."""
    require_all_chapters()
    bad = re.compile(r"(?:%|percentage points) on (?:(?:19|20)\d\d|the previous year)\b")
    problems = [f"{name} cell {index}: ...{m.group(0)}"
                for name, cells in all_english().items() for index, english in cells
                for m in bad.finditer(normalise(english))]
    assert not problems, "\n".join(problems)


def test_compound_names_hyphenated():
    """Compound names of places and agreements take a hyphen, as China's
    official English and the USTR write them (Beijing-Tianjin-Hebei,
    United States-Mexico-Canada Agreement); an en dash between two names is
    the other convention, used nowhere."""
    require_all_chapters()
    problems = [f"{name} cell {index}: {m.group(0)!r}"
                for name, cells in all_english().items() for index, english in cells
                for m in re.finditer(r"\b[A-Z][\w.]*–[A-Z][\w.]*", english)]
    assert not problems, "\n".join(problems)


# Section 2's four pages, and how the report numbers the two tiers of their headings.
SECTION_2 = ["trends", "opportunities", "challenges", "outlook"]
CHINESE_NUMERALS = "一二三四五六七八九十"
TIER_NUMBERING = {  # original heading level -> (Chinese form, English form)
    2: (re.compile(r"^([一二三四五六七八九十])、"), "{n}. "),
    3: (re.compile(r"^（([一二三四五六七八九十])）"), "({n}) "),
}
MINOR_WORDS = {"a", "an", "the", "and", "or", "for", "of", "in", "on", "to", "with", "by", "as", "at", "from"}


def case_style(heading: str) -> str:
    """'title' when every word but the minor ones starts in upper case,
    'sentence' when some word other than the first starts in lower case
    (proper names aside, which sentence case capitalizes too)."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", heading)]
    rest = words[1:]
    if all(w[0].isupper() for w in rest if w.lower() not in MINOR_WORDS):
        return "title"
    return "sentence"


def section_2_headings():
    """(page, block id, original level, Markdown level, text) for each
    heading of the four pages."""
    out = []
    for name in SECTION_2:
        for cell in chapter(name):
            for args in cell.originals():
                b = block(args[0])
                if b["kind"] != "heading":
                    continue
                m = re.search(r"^(#{1,6})\s+(.*)$", cell.rest, re.M)
                assert m, f"{args[0]}: no Markdown heading in its cell"
                out.append((name, args[0], b["level"], len(m.group(1)), m.group(2).strip(), b["text"]))
    return out


def test_section_2_headings_parallel():
    """The report's two tiers of headings in Section 2 (一、… and （一）…) are
    set alike on all four pages: each tier at one heading level, numbered the
    report's way ("1. ", "(1) ") with the report's numbers, in one case style."""
    require_all_chapters()
    problems, level_of, style_of = [], {}, {}
    for name, block_id, tier, level, text, zh in section_2_headings():
        if tier not in TIER_NUMBERING:
            continue
        zh_form, en_form = TIER_NUMBERING[tier]
        n = CHINESE_NUMERALS.index(zh_form.match(zh).group(1)) + 1
        if not text.startswith(en_form.format(n=n)):
            problems.append(f"{name}, {block_id}: {text!r} does not start {en_form.format(n=n)!r}")
        where = f"{name}, {block_id}"
        first = level_of.setdefault(tier, (level, where))
        if first[0] != level:
            problems.append(f"{where}: H{level}, but {first[1]} (the same tier) is H{first[0]}")
        style = case_style(text[len(en_form.format(n=n)):])
        first = style_of.setdefault(tier, (style, where))
        if first[0] != style:
            problems.append(f"{where}: {style} case ({text!r}), but {first[1]} is in {first[0]} case")
    assert not problems, "\n".join(problems)


def test_navigation_names_pages_by_their_headings():
    """The sidebar (_toc.yml) calls each page by its own heading (no `title:`
    of its own), so the report's two sections are named in the sidebar, on
    their pages and on the front page by the report's words; no part's
    caption rewords a heading of the report's."""
    toc = __import__("yaml").safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    headings = {}
    for name in CHAPTERS:
        section = next(b for b in chapter_range(name) if block(b)["kind"] == "heading")
        headings[name] = HEADING_TEXT.search(cell_of_block()[section][1].rest).group(1).strip()

    def entries(items):
        for c in items:
            yield c
            yield from entries(c.get("sections", []))

    problems = []
    for part in toc["parts"]:
        for c in entries(part["chapters"]):
            if "title" in c:
                problems.append(f"_toc.yml: {c['file']} titled {c['title']!r}, not by its own heading")
        caption = part["caption"].lower()
        for name, heading in headings.items():
            if caption != heading.lower() and re.search(r"\b(section|achievements|outlook)\b", caption):
                problems.append(f"_toc.yml: part {part['caption']!r} rewords {name}'s heading {heading!r}")
    assert not problems, "\n".join(problems)

