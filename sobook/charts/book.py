"""What a chart panel reads from the book itself: the report's figure
captions as the translation gives them (the English in each chapter's
``{glue:figure}`` block, the translator's text, never copied into code) and
the chapter page of each block of the original (for links to the English
paragraph a value comes from)."""

from __future__ import annotations

import functools
import json
import re

from sobook.paths import CHAPTERS_DIR

GLUE_FIGURE = re.compile(r"```\{glue:figure\} fig-(\S+)\n(.*?)\n```", re.S)
ORIGINAL = re.compile(r"```\{original\} ([^\n`]+)")


def _cells():
    for path in sorted(CHAPTERS_DIR.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "markdown":
                yield path.stem, "".join(cell.get("source", []))


def plain(markdown: str) -> str:
    """Caption Markdown as plain text (bold, italics, roles)."""
    text = re.sub(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", markdown)
    text = re.sub(r"\*\*(.*?)\*\*|\*(.*?)\*", lambda m: m.group(1) or m.group(2), text)
    return " ".join(text.split())


@functools.cache
def captions() -> dict[str, dict]:
    """{fig id: {"caption": "Scale and growth …", "source": "Ministry of …", "note": …}}
    for the report's figures, from the translation."""
    out = {}
    for _, text in _cells():
        for m in GLUE_FIGURE.finditer(text):
            fig, body = m.group(1), m.group(2)
            paras = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip() and not p.strip().startswith(":")]
            info = {"caption": "", "source": "", "note": ""}
            for p in paras:
                t = plain(p)
                if t.startswith("Source:"):
                    info["source"] = t[len("Source:"):].strip()
                elif t.startswith("Note:"):
                    info["note"] = t[len("Note:"):].strip()
                elif not info["caption"]:
                    info["caption"] = re.sub(r"^(Figure|Chart) [0-9E-]+\s*", "", t)
            out[fig] = info
    return out


@functools.cache
def block_pages() -> dict[str, str]:
    """{block id: chapter page stem} for every block an {original} directive places."""
    out = {}
    for stem, text in _cells():
        for m in ORIGINAL.finditer(text):
            for block in m.group(1).split():
                out.setdefault(block, stem)
    return out


def paragraph_link(block: str) -> str | None:
    """The English paragraph of a block, relative to a chapter page."""
    page = block_pages().get(block)
    return f"{page}.html#{block}" if page else None


@functools.cache
def figure_pages() -> dict[str, str]:
    """{figure id ("1-12", "e14"): chapter page stem} of every chart placed in the book."""
    out = {}
    for stem, text in _cells():
        for m in GLUE_FIGURE.finditer(text):
            out.setdefault(m.group(1), stem)
    return out


FIG_REF = re.compile(r"\b(Figure (1-\d{1,2})|Chart E(\d{1,2}))\b")


def link_figures(escaped: str, here: str = "") -> str:
    """"Figure 1-12" and "Chart E14" in (escaped) text as links to the chart
    (not the chart `here`, whose own panel the text is in)."""
    def sub(m):
        fig = m.group(2) or f"e{m.group(3)}"
        page = figure_pages().get(fig)
        return f'<a href="{page}.html#fig-{fig}">{m.group(1)}</a>' if page and fig != here else m.group(1)

    return FIG_REF.sub(sub, escaped)
