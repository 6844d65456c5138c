"""The book's MyST directives and roles.

* ``{original} ID [ID ...]``: a collapsed "Original" toggle showing the Chinese
  of the cleaned original's blocks (one copy of the Chinese, never pasted twice);
* ``{tn}`` and ``{translator-note}``: the translator's notes, visibly apart;
* ``{data-schema}``: the data package's units, resources and fields as tables,
  made from the data the book is built from (its descriptor and row counts).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.transforms import SphinxTransform

from sobook import data, source
from sobook.paths import DATA_DIR, ORIGINAL

FN_RE = re.compile(r"\[\^fn(\d+)\]")


def data_dir_of(app) -> Path:
    """The data directory the book is built from: the configuration's
    ``sobook_data_dir`` (set by `sobook run`), else the edition's data/."""
    configured = getattr(app.config, "sobook_data_dir", None)
    return Path(configured) if configured else DATA_DIR


class OriginalDirective(Directive):
    """``{original} s1.1-p1 fn1`` → a collapsed toggle with the Chinese."""

    required_arguments = 1
    optional_arguments = 50
    has_content = False

    def run(self):
        env = self.state.document.settings.env
        path = ORIGINAL
        env.note_dependency(str(path))  # a page is rebuilt when the original changes
        parts = []
        for block_id in self.arguments:
            try:
                block = source.block(block_id)
            except KeyError:
                raise self.error(f"original: unknown block id {block_id!r} (see data/source/original.json)") from None
            text = html.escape(block["text"])
            text = FN_RE.sub(lambda m: f'<sup class="so-fnref">{m.group(1)}</sup>', text)
            # The id is shown so that a reader can cite the paragraph in a correction.
            parts.append(
                f'<p class="so-zh so-zh-{block["kind"]}" id="zh-{block_id}" data-block="{block_id}">'
                f'<span lang="zh-Hans">{text}</span> '
                f'<a class="so-blockid" href="#zh-{block_id}">{block_id}</a></p>'
            )
        ids = " ".join(self.arguments)
        raw = (
            f'<details class="so-original" data-blocks="{ids}"><summary>Original '
            f'<span lang="zh-Hans">原文</span></summary>{"".join(parts)}</details>'
        )
        node = nodes.raw("", raw, format="html")
        node["so_blocks"] = list(self.arguments)  # for the search's text (search.page_text)
        return [english_anchor(block=self.arguments[0]), node]


class english_anchor(nodes.Invisible, nodes.Element):
    """Where an {original} toggle stands: the English before it gets the
    block's id (see EnglishAnchors)."""


class EnglishAnchors(SphinxTransform):
    """Give the English each toggle follows the block's id (#s1.1-p2), so that
    the ledger, 'How the outlook fared' and readers' citations can link to the
    English, not to the Chinese toggle: a heading's id goes on its section, a
    paragraph's on the paragraph before the toggle (past the cell's footnotes
    and translator's notes), a caption's on the figure."""

    default_priority = 200

    def apply(self, **kwargs):
        for marker in list(self.document.findall(english_anchor)):
            block, parent = marker["block"], marker.parent
            siblings = parent.children[: parent.index(marker)]
            if block.endswith("-h") and isinstance(parent, nodes.section):
                parent["ids"].append(block)
            else:
                for node in reversed(siblings):
                    if isinstance(node, (nodes.footnote, nodes.raw, nodes.target, english_anchor)) or \
                            "so-tn" in node.get("classes", []):
                        continue
                    node["ids"].append(block)
                    break
            parent.remove(marker)


class UniqueFootnoteIds(SphinxTransform):
    """Footnote references get ids unique across the book ("fnref-chapters-
    trends-1"), not docutils' per-page "id1", "id2": in a single-page build
    (and the PDF made from the pages) every page's first reference was "id1"."""

    default_priority = 800  # after docutils has numbered and linked the footnotes

    def apply(self, **kwargs):
        # The report's notes, labelled with its numbers ([^8]), take their ids
        # in the original ("fn8"): docutils gives a numeric label a per-page "id2".
        for note in self.document.findall(nodes.footnote):
            if note["names"] and note["names"][0].isdigit():
                new = f"fn{note['names'][0]}"
                for old in note["ids"]:
                    self.document.ids.pop(old, None)
                    for ref in self.document.findall(nodes.footnote_reference):
                        if ref.get("refid") == old:
                            ref["refid"] = new
                note["ids"] = [new]
                self.document.ids[new] = note
                self.document.nameids[note["names"][0]] = new
        page = self.env.docname.replace("/", "-")
        for n, ref in enumerate(self.document.findall(nodes.footnote_reference), start=1):
            new = f"fnref-{page}-{n}"
            old = list(ref["ids"])
            ref["ids"] = [new]
            target = self.document.ids.get(ref.get("refid", ""))
            if target is not None:
                target["backrefs"] = [new if b in old else b for b in target.get("backrefs", [])]
            for o in old:
                self.document.ids.pop(o, None)
            self.document.ids[new] = ref


def _para(*parts) -> nodes.paragraph:
    p = nodes.paragraph()
    for part in parts:
        p += part if isinstance(part, nodes.Node) else nodes.Text(str(part))
    return p


def _table(header: list[str], rows: list[list], widths: list[int], classes=()) -> nodes.table:
    table = nodes.table(classes=["so-schema", *classes])
    group = nodes.tgroup(cols=len(header))
    table += group
    for w in widths:
        group += nodes.colspec(colwidth=w)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    for cells, parent in [(header, head)] + [(r, body) for r in rows]:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell if isinstance(cell, nodes.Element) and not isinstance(cell, nodes.Inline) else _para(cell)
            row += entry
        parent += row
    return table


def _breakable(text: str, tag: str, classes: str = "") -> nodes.raw:
    """A long identifier (china_outsourcing_executed_value_outcomes.csv) that
    may wrap on a phone: <wbr> after each '_' and '.'; copying leaves it out."""
    inner = "<wbr>".join(html.escape(part) for part in re.split(r"(?<=[_.])", text))
    attr = f' class="{classes}"' if classes else ""
    return nodes.raw("", f"<{tag}{attr}>{inner}</{tag}>", format="html")


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    out = []
    if c.get("required"):
        out.append("required")
    if c.get("unique"):
        out.append("unique")
    if "enum" in c:
        out.append("one of: " + ", ".join(str(v) for v in c["enum"]))
    if "pattern" in c:
        out.append(f"pattern {c['pattern']}")
    for k in ("minimum", "maximum"):
        if k in c:
            out.append(f"{k} {c[k]}")
    if field.get("unit"):
        out.append(f"unit: {field['unit']}")
    for unit, bounds in field.get("unitConstraints", {}).items():
        out.append(f"when the unit is {unit}: " + ", ".join(f"{k} {v}" for k, v in bounds.items()))
    return "; ".join(out) or "—"


class DataSchemaDirective(Directive):
    """``{data-schema}``: the data package's units, resources and fields as
    tables, read at build time from ``data/datapackage.json`` (so the page
    never falls behind the descriptor the validation uses)."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        data_dir = data_dir_of(env.app)
        desc = data.descriptor(data_dir)
        frames = data.load_all(data_dir)
        for p in sorted(data_dir.rglob("*.csv")) + [data_dir / data.DESCRIPTOR]:
            env.note_dependency(str(p))  # the page describes these files
        resources = desc["resources"]
        common = set.intersection(*[{f["name"] for f in r["schema"]["fields"]} for r in resources])
        first = {}
        for r in resources:
            for f in r["schema"]["fields"]:
                first.setdefault(f["name"], f)
        out: list[nodes.Node] = []
        out.append(nodes.rubric(text="Fields every resource has"))
        order = [f["name"] for f in resources[0]["schema"]["fields"] if f["name"] in common]
        out.append(_table(
            ["Field", "Type", "Meaning"],
            [[nodes.literal(text=n), first[n].get("type", "string"), first[n].get("description", "")] for n in order],
            [14, 8, 60],
        ))
        out.append(nodes.rubric(text="Units"))
        out.append(_table(["Unit", "Meaning"], [[nodes.literal(text=u), m] for u, m in desc["units"].items()], [20, 60]))
        out.append(nodes.rubric(text="Resources"))
        for r in resources:
            rows = len(frames[r["name"]])
            title = nodes.paragraph(classes=["so-schema-resource"])
            title += _breakable(r["name"], "strong")
            title += nodes.Text(f" — {r.get('title', '')}")
            out.append(title)
            key = r["schema"].get("primaryKey", [])
            key = [key] if isinstance(key, str) else key
            extra = [f" Continues resource '{r['outcomesOf']}' after the report." if r.get("outcomesOf") else ""]
            out.append(_para(
                _breakable(r["path"], "code", "docutils literal notranslate"), f", {rows} rows; primary key: ",
                ", ".join(key) or "—", "." + extra[0],
            ))
            own = [f for f in r["schema"]["fields"] if f["name"] not in common or f["name"] == "unit"]
            out.append(_table(
                ["Field", "Type", "Rules", "Meaning"],
                [[nodes.literal(text=f["name"]), f.get("type", "string"), _constraints(f), f.get("description", "")]
                 for f in own],
                [14, 7, 30, 40],
            ))
        return out


def tn_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{tn}`text``` → an inline translator's note, visibly apart from the
    report's words: "[Translator's note: text]"."""
    node = nodes.inline(classes=["so-tn-inline"])
    node += nodes.Text("[Translator's note: ")
    node += nodes.Text(text)
    node += nodes.Text("]")
    return [node], []


class TranslatorNoteDirective(Directive):
    """A block translator's note (MyST body allowed), styled apart from the report."""

    has_content = True
    optional_arguments = 0
    option_spec = {"name": lambda x: x}

    def run(self):
        box = nodes.container(classes=["so-tn"])
        title = nodes.paragraph(classes=["so-tn-title"])
        title += nodes.strong(text="Translator's note")
        box += title
        self.state.nested_parse(self.content, self.content_offset, box)
        if "name" in self.options:
            box["ids"].append(nodes.make_id(self.options["name"]))
        return [box]
