"""The cleaned Chinese original (data/source/original.json), block by block."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from sobook.paths import ORIGINAL as DEFAULT_PATH

_MARKER = re.compile(r"\[\^fn\d+\]")


@functools.cache
def _load_cached(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load(path: str | Path | None = None) -> dict:
    """The whole document: {"bibliography": ..., "blocks": [...]} (cached; do not mutate)."""
    return _load_cached(str(Path(path or DEFAULT_PATH).resolve()))


@functools.cache
def _index() -> dict[str, dict]:
    return {b["id"]: b for b in blocks()}


def blocks() -> list[dict]:
    """All blocks of the default original, in reading order."""
    return load()["blocks"]


def block(id: str) -> dict:
    """The block with this id; KeyError if there is none."""
    try:
        return _index()[id]
    except KeyError:
        raise KeyError(f"no block with id {id!r} in {DEFAULT_PATH.name}") from None


def text(id: str) -> str:
    """The text of a block, footnote markers included."""
    return block(id)["text"]


def plain(text: str) -> str:
    """The text with "[^fnN]" footnote markers removed (for quote matching)."""
    return _MARKER.sub("", text)
