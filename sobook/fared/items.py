"""Every forecast, target and expectation of Section 2 the page assesses, in the report's order: the words
from the data directory's outlook_fared.yaml, the numbers and the verdicts from the functions registered
here (``@assessment("scale")``), one per item that a figure can test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from sobook import data
from sobook.fared.facts import ASSESSMENTS, Assessment, Facts, outcome, pick
from sobook.fared.words import and_list, quote
from sobook.ledger import block_pages
from sobook.paths import ORIGINAL

PROSE = "outlook_fared.yaml"


def chapter_of(block: str, pages: dict[str, str]) -> str:
    """The chapter page that translates `block`; `pages` is ledger.block_pages(), read from the chapters'
    own {original} toggles (Section 2's opening is on a page of its own)."""
    if block not in pages:
        raise data.DataError(f"{PROSE}: block {block!r}: no chapter page translates it")
    return pages[block]


def prose(data_dir) -> dict:
    """The words of 'How the outlook fared' (data/outlook_fared.yaml)."""
    path = Path(data_dir) / PROSE
    if not path.is_file():
        raise data.DataError(f"{path}: file is missing (the words of 'How the outlook fared'); start from a copy "
                             "of data/")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise data.DataError(f"{path}: not YAML ({' '.join(str(exc).split())})") from None


def section_2() -> dict[str, list[str]]:
    """Every block of the original's Section 2, split into its sentences."""
    blocks = json.loads(Path(ORIGINAL).read_text(encoding="utf-8"))["blocks"]
    return {b["id"]: [s for s in re.split(r"(?<=[。！？])", b["text"]) if s.strip()]
            for b in blocks if b["id"].startswith("s2")}


def _sentences(entry: dict, blocks: dict) -> tuple:
    """The sentences of its block an item assesses, as (block, number), found by its words `zh`."""
    out = []
    for words in entry["zh"]:
        hits = [n for n, s in enumerate(blocks[entry["block"]], start=1) if words in s]
        if len(hits) != 1:
            raise data.DataError(f"{PROSE}: item {entry['key']!r}: the words {words!r} are in {len(hits)} sentences "
                                 f"of block {entry['block']}, not one")
        out.append((entry["block"], hits[0]))
    return tuple(out)


def _in_words(facts: Facts, entry: dict) -> dict:
    """An item no function assesses: it names no quantity ('measurable: false'), or the rows that would
    measure it ('looks_for') are looked for after 2020."""
    if "looks_for" not in entry:
        return {"measurable": entry.get("measurable", True), "found": False}
    where = dict(entry["looks_for"])
    rows = pick(facts(where.pop("resource")), **where)
    years = rows["period"].str[:4].astype(int)
    after = rows[years > 2020]
    if not len(after):
        return {"found": False, "finding": entry["none"]}
    name = next(c for c in ("category", "partner", "indicator", "segment", "measure") if c in rows.columns)
    return {"comparable": False,
            "outcomes": [outcome(r, f"{r[name]}, {r['measure'].replace('_', ' ')}") for _, r in after.iterrows()],
            "finding": f"Figures after 2020 were found (listed), but none measures {entry.get('measures', 'it')}"
                       + ("; none for 2020 or before was found." if not len(rows[years <= 2020]) else ".")}


def _fill(entry: dict, field: str, slots: dict) -> str:
    """An item's template with the values its function computed."""
    try:
        return " ".join(entry[field].split()).format(**slots) if entry.get(field) else ""
    except (KeyError, IndexError, ValueError) as exc:
        raise data.DataError(f"{PROSE}: item {entry['key']!r}, {field}: the template names {exc}, which its "
                             "function does not give (or has a stray brace)") from None


def assess(data_dir) -> list[Assessment]:
    """Every item of Section 2, assessed, in the report's order."""
    from sobook.fared import opportunities, outlook, trends  # noqa: F401 - they register their functions

    facts = Facts(data_dir)
    blocks = section_2()
    pages = block_pages()
    out = []
    for entry in prose(facts.dir)["items"]:
        facts.read = set()
        got = dict(ASSESSMENTS[entry["key"]](facts) if entry["key"] in ASSESSMENTS else _in_words(facts, entry))
        slots = got.pop("slots", {})
        caveats = got.pop("caveats", [])
        chapter = chapter_of(entry["block"], pages)
        a = Assessment(
            key=entry["key"], chapter=chapter, block=entry["block"], title=entry["title"],
            quote=quote(chapter, entry["block"], **entry["quote"]),
            **{k: _fill(entry, k, slots) for k in ("forecast", "test", "basis")},
            caveat=" ".join(c for c in [_fill(entry, "caveat", slots), *caveats] if c),
            section=entry.get("section", True), chart=entry.get("chart", ""),
            sentences=_sentences(entry, blocks), **got)
        if not a.finding:
            a.finding = (_fill(entry, "finding", slots) if "finding" in entry else
                         entry["none"] if not a.found and "none" in entry else
                         "The outlook names no figure for it." if not a.measurable else "")
        a.resources = tuple(sorted(facts.read))
        out.append(a)
    return out


def left_out(data_dir, items: list[Assessment]) -> dict[str, list[tuple[str, int]]]:
    """The sentences of Section 2 no item assesses, by why (outlook_fared.yaml's left_out): every sentence
    is either assessed or left out with a reason, never both, never neither."""
    listed = prose(data_dir)["left_out"]
    blocks = section_2()
    assessed = {s for a in items for s in a.sentences}
    out: dict[str, list] = {why: [] for why in listed["why"]}
    reasons_by_block = {b: {"heading": "all"} for b in blocks if b.endswith("-h")} | listed["sentences"]
    for block, reasons in reasons_by_block.items():
        for why, numbers in reasons.items():
            numbers = range(1, len(blocks[block]) + 1) if numbers == "all" else numbers
            out[why] += [(block, n) for n in numbers]
    named = [s for group in out.values() for s in group]
    every = {(b, n) for b, sents in blocks.items() for n in range(1, len(sents) + 1)}
    wrong = [f"{b} sentence {n}" for b, n in sorted(every - assessed - set(named))]
    wrong += [f"{b} sentence {n} (assessed and left out)" for b, n in sorted(assessed & set(named))]
    wrong += [f"{b} sentence {n} (not in the original)" for b, n in sorted(set(named) - every)]
    if wrong or len(named) != len(set(named)):
        raise data.DataError(f"{PROSE}: left_out: {and_list(wrong) or 'a sentence listed twice'}: each sentence of "
                             "Section 2 is either assessed by an item or left out with one reason")
    return out
