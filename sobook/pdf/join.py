"""Tagged PDFs from Chromium joined into one, their structure kept.

The edition is printed in two parts (sobook.pdf): the front matter
after the body, whose page numbers its contents give. Each part is a
tagged PDF with a structure tree of its own, whose marked content its pages
find through integer keys
(/StructParents, an annotation's /StructParent) in the tree's /ParentTree.
Moving pages from one PDF into another (pikepdf, qpdf) leaves the structure
behind and keeps the keys, which then point at the other part's elements: a
screen reader would read the body's first page in place of the title page.
`adopt` carries the structure over: the part's elements under the root, its
keys moved past the document's, its element ids renamed apart.

    with pikepdf.open(body) as pdf, pikepdf.open(front) as part:
        stable_ids(pdf, "b"); stable_ids(part, "f")
        adopt(pdf, part, at=0)
"""

from __future__ import annotations

import re

import pikepdf

NODE_RE = re.compile(r"^node(\d+)$")

def _tree(node, kind: str) -> list[tuple[object, object]]:
    """The (key, value) pairs of a number tree (kind "/Nums", int keys) or
    a name tree ("/Names", str keys), in order."""
    out = []
    if kind in node:
        items, key = node[kind], int if kind == "/Nums" else str
        out.extend((key(items[i]), items[i + 1]) for i in range(0, len(items), 2))
    for kid in node.get("/Kids", []):
        out.extend(_tree(kid, kind))
    return out


def _number_tree(node) -> list[tuple[int, object]]:
    return _tree(node, "/Nums")


def _name_tree(node) -> list[tuple[str, object]]:
    return _tree(node, "/Names")


def _elements(root):
    """Every structure element under the tree's root, depth first."""
    stack = [root.K] if "/K" in root else []
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(reversed(list(item)))
        elif isinstance(item, pikepdf.Dictionary) and "/S" in item:  # not marked-content or object refs
            yield item
            if "/K" in item:
                stack.append(item.K)


def stable_ids(pdf: pikepdf.Pdf, prefix: str) -> None:
    """Trap: Chromium names a tagged PDF's structure elements after the
    page's DOM nodes ("node00000925": an element's /ID, the ids table cells
    list as /Headers, the keys of the /IDTree), and the numbers start
    wherever the renderer's counter stood, so two prints of one page differ.
    Numbered from 1 in their order, with the part's prefix ("b00000001"),
    they are the same for the same page, and apart from another part's."""
    if "/StructTreeRoot" not in pdf.Root:
        return
    root = pdf.Root.StructTreeRoot
    names: set[str] = set()
    elements = list(_elements(root))
    for el in elements:
        if "/ID" in el and NODE_RE.match(str(el.ID)):
            names.add(str(el.ID))
    order = {old: f"{prefix}{i:08d}" for i, old in enumerate(sorted(names, key=lambda t: int(t[4:])), start=1)}
    rename = lambda s: pikepdf.String(order.get(str(s), str(s)))  # noqa: E731
    for el in elements:
        if "/ID" in el:
            el.ID = rename(el.ID)
        attrs = el.get("/A")
        for a in ([attrs] if isinstance(attrs, pikepdf.Dictionary) else list(attrs or [])):
            if isinstance(a, pikepdf.Dictionary) and "/Headers" in a:
                a.Headers = pikepdf.Array([rename(h) for h in a.Headers])
    if "/IDTree" in root:
        pairs = [(order.get(k, k), v) for k, v in _name_tree(root.IDTree)]
        root.IDTree = _flat_names(pdf, pairs)


def _flat_names(pdf: pikepdf.Pdf, pairs: list[tuple[str, object]]):
    flat = pikepdf.Array()
    for key, value in sorted(pairs, key=lambda kv: kv[0]):
        flat.append(pikepdf.String(key))
        flat.append(value)
    return pdf.make_indirect(pikepdf.Dictionary(Names=flat))


def _flat_nums(pdf: pikepdf.Pdf, pairs: list[tuple[int, object]]):
    flat = pikepdf.Array()
    for key, value in sorted(pairs, key=lambda kv: kv[0]):
        flat.append(key)
        flat.append(value)
    return pdf.make_indirect(pikepdf.Dictionary(Nums=flat))


def copied(pdf: pikepdf.Pdf, value):
    """A value of the part in the document: qpdf copies each foreign object
    once, so its references to the part's pages lead to the pages moved."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return value if value.is_owned_by(pdf) else pdf.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([copied(pdf, v) for v in value])
    return value


def adopt(pdf: pikepdf.Pdf, part: pikepdf.Pdf, at: int) -> int:
    """Move the pages of `part` into `pdf` before page `at` (at the end if
    `at` is the page count), with their structure. Returns how many."""
    if "/StructTreeRoot" not in part.Root:  # nothing tagged (an empty body: a book without pages)
        for i, page in enumerate(list(part.pages)):
            pdf.pages.insert(at + i, page)
        return len(part.pages)
    if "/StructTreeRoot" not in pdf.Root:
        pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array(), ParentTree=pikepdf.Dictionary(Nums=pikepdf.Array())))
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    root, theirs = pdf.Root.StructTreeRoot, part.Root.StructTreeRoot
    ours = _number_tree(root.ParentTree)
    offset = max([int(root.get("/ParentTreeNextKey", 0))] + [k + 1 for k, _ in ours])
    pages = list(part.pages)
    for i, page in enumerate(pages):
        pdf.pages.insert(at + i, page)
    moved = pdf.pages[at:at + len(pages)]
    for page in moved:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annot in page.obj.get("/Annots", []):
            if "/StructParent" in annot:
                annot.StructParent = int(annot.StructParent) + offset
    theirs_pairs = [(k + offset, copied(pdf, v)) for k, v in _number_tree(theirs.ParentTree)]
    root.ParentTree = _flat_nums(pdf, ours + theirs_pairs)
    root.ParentTreeNextKey = max([offset] + [k + 1 for k, _ in theirs_pairs])
    kids = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    new = list(copied(pdf, theirs.K)) if isinstance(theirs.K, pikepdf.Array) else [copied(pdf, theirs.K)]
    for el in new:
        el.P = root
    root.K = pikepdf.Array(new + kids if at == 0 else kids + new)
    if "/IDTree" in theirs:
        mine = _name_tree(root.IDTree) if "/IDTree" in root else []
        root.IDTree = _flat_names(pdf, mine + [(k, copied(pdf, v)) for k, v in _name_tree(theirs.IDTree)])
    for key in ("/RoleMap", "/ClassMap"):
        if key in theirs:
            merged = pikepdf.Dictionary(root.get(key, pikepdf.Dictionary()))
            for name, value in theirs[key].items():
                merged[name] = copied(pdf, value)
            root[key] = merged
    return len(pages)


def outline_items(pdf: pikepdf.Pdf) -> list[tuple[str, int, object]]:
    """(title, depth from 1, destination array) of every outline item, in order."""
    out = []

    def walk(items, depth):
        for item in items:
            dest = item.destination
            if dest is None and item.action is not None and "/D" in item.action:
                dest = item.action.D
            out.append((" ".join(str(item.title).split()), depth, dest))
            walk(item.children, depth + 1)

    with pdf.open_outline() as outline:
        walk(outline.root, 1)
    return out


def link_contents(pdf: pikepdf.Pdf, pages, prefix: str, destination) -> None:
    """The links on `pages` whose address starts with `prefix` made to point
    inside the document: at destination(the rest of the address)."""
    for i in pages:
        for annot in pdf.pages[i].obj.get("/Annots", []):
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(prefix):
                annot.Dest = destination(uri[len(prefix):])
                del annot["/A"]
