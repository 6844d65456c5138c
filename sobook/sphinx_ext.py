"""Sphinx extension for the book.

* ``{original} ID [ID ...]``: a collapsed "Original" toggle showing the Chinese
  of the cleaned original's blocks, read at build time from
  ``data/source/original.json`` (one copy of the Chinese, never pasted twice).
* Serves the charts' JavaScript from the book's own ``_static/``: the Vega,
  Vega-Lite and Vega-Embed bundle comes from vl-convert, the library that also
  renders the static SVGs, so the versions always match and no page reaches
  for a CDN.
* Renders each chart's static SVG from the spec embedded in the page: the
  picture a reader sees at once (and without JavaScript, and in print) until
  ``sobook-charts.js`` draws the interactive chart in its place.
* Lightens every page's ``<head>``: no Font Awesome script, no search index
  outside the search page, the theme's scripts deferred.
* ``{data-schema}``: the data package's units, resources and fields as tables,
  read from ``data/datapackage.json`` at build time.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import urllib.parse
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive

STATIC_DIR = Path(__file__).parent / "static"
# The bundle and the SVGs are pure functions of their inputs (vl-convert's
# versions; a spec), so they are cached by key in the repository's own
# _build/.cache, shared by `make book` and the books `sobook run` builds in a
# temporary folder (which would otherwise pay 1.3 s for the bundle each time).
CACHE_DIR = Path(__file__).resolve().parent.parent / "_build" / ".cache" / "vega"
BUNDLE_NAME = "sobook-vega.js"
SPEC_RE = re.compile(
    r'<script type="application/json" class="so-spec" data-target="([a-z0-9-]+)">(.*?)</script>', re.S
)
CSV_RE = re.compile(r'download="([a-z0-9-]+\.csv)" href="data:text/csv;charset=utf-8,([^"]*)"')
FN_RE = re.compile(r"\[\^fn(\d+)\]")


def _original_path(srcdir: str) -> Path:
    return Path(srcdir) / "data" / "source" / "original.json"


def _blocks(path: Path) -> dict:
    return {b["id"]: b for b in json.loads(path.read_text(encoding="utf-8"))["blocks"]}


class OriginalDirective(Directive):
    """``{original} s1.1-p1 fn1`` → a collapsed toggle with the Chinese."""

    required_arguments = 1
    optional_arguments = 50
    has_content = False

    def run(self):
        env = self.state.document.settings.env
        path = _original_path(env.srcdir)
        env.note_dependency(str(path))  # a page is rebuilt when the original changes
        blocks = _blocks(path)
        parts = []
        for block_id in self.arguments:
            block = blocks.get(block_id)
            if block is None:
                raise self.error(f"original: unknown block id {block_id!r} (see data/source/original.json)")
            text = html.escape(block["text"])
            text = FN_RE.sub(lambda m: f'<sup class="so-fnref">{m.group(1)}</sup>', text)
            # The id is shown so that a reader can cite the paragraph in a correction.
            parts.append(
                f'<p class="so-zh so-zh-{block["kind"]}" id="zh-{block_id}" data-block="{block_id}">'
                f'<span lang="zh-Hans">{text}</span> '
                f'<a class="so-blockid" href="#zh-{block_id}" title="Paragraph id">{block_id}</a></p>'
            )
        ids = " ".join(self.arguments)
        raw = (
            f'<details class="so-original" data-blocks="{ids}"><summary>Original '
            f'<span lang="zh-Hans">原文</span></summary>{"".join(parts)}</details>'
        )
        return [nodes.raw("", raw, format="html")]


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
        import csv

        env = self.state.document.settings.env
        path = Path(env.srcdir) / "data" / "datapackage.json"
        env.note_dependency(str(path))
        desc = json.loads(path.read_text(encoding="utf-8"))
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
            csv_path = path.parent / r["path"]
            rows = 0
            if csv_path.is_file():
                with open(csv_path, encoding="utf-8", newline="") as f:
                    rows = max(sum(1 for _ in csv.reader(f)) - 1, 0)
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


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _write_cache(path: Path, data: str | bytes) -> None:
    """Atomically: two builds (e.g. two `sobook run`s) may fill the cache at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


def _bundle_path(cache: Path) -> Path:
    import vl_convert as vlc

    key = f"{vlc.__version__}-{vlc.get_vega_version()}-{vlc.get_vega_embed_version()}"
    return cache / f"vega-{key}.js"


def _render_bundle(cached: Path) -> None:
    import vl_convert as vlc

    # Trap: the bundle declares top-level names (e.g. `_`) that clash with
    # the theme's scripts in the shared global scope; a function scope
    # keeps them private (it still sets window.vegaEmbed).
    _write_cache(cached, "(function () {\n" + vlc.javascript_bundle() + "\n})();\n")


# The static picture's font. vl-convert lays the text out with the metrics of
# the first family it finds; the reader's browser then draws the same <text>
# with the first family *it* finds. With the house font list the two differed
# (vl-convert: Liberation Sans; a Linux browser's system-ui: DejaVu Sans, 15%
# wider), and long axis labels ran off the picture's left edge. Liberation
# Sans, Arial and Helvetica share their metrics, so the picture fits wherever
# one of them is installed, which is nearly everywhere.
STATIC_FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"


def _svg_job(spec: dict, cache: Path) -> tuple[dict, Path]:
    """A fixed-width rendering ('container' width means nothing outside a
    page) in a font whose metrics the reader's browser shares."""
    spec = dict(spec)
    spec["width"] = 640 if spec.get("width") == "container" else spec.get("width", 640)
    spec["config"] = dict(spec.get("config", {}), font=STATIC_FONT)
    text = json.dumps(spec, sort_keys=True)
    return spec, cache / f"svg-{hashlib.sha256(text.encode()).hexdigest()[:20]}.svg"


def _render_svg(spec: dict, cached: Path) -> None:
    import vl_convert as vlc

    _write_cache(cached, vlc.vegalite_to_svg(spec))


def _vega_bundle(cache: Path) -> bytes:
    """The bundle, rendered into the cache if it is not there yet."""
    cached = _bundle_path(cache)
    if not cached.exists():
        _render_bundle(cached)
    return cached.read_bytes()


def _static_svg(spec: dict, cache: Path) -> bytes:
    """A chart's static SVG, rendered into the cache if it is not there yet
    (also used by sobook.htmlbuild's renderer, ahead of the build)."""
    spec, cached = _svg_job(spec, cache)
    if not cached.exists():
        _render_svg(spec, cached)
    return cached.read_bytes()


class RenderError(RuntimeError):
    pass


def _render(job) -> None:
    kind, arg, cached, label = job
    try:
        _render_bundle(Path(cached)) if kind == "bundle" else _render_svg(arg, Path(cached))
    except Exception as exc:  # noqa: BLE001 - one line naming the chart, not a JS stack
        cause = " ".join(str(exc).splitlines()[:2])
        raise RenderError(f"rendering the static picture of {label} failed: {cause}") from None


def _render_worker() -> None:
    """`python -c ...` entry: render the jobs read as JSON from stdin."""
    import sys

    try:
        for job in json.load(sys.stdin):
            _render(job)
    except RenderError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)


def _cost(job) -> int:
    return 10 if job[0] == "bundle" else 1  # the bundle takes about as long as ten SVGs


def _fill_cache(jobs: list) -> None:
    """Render what the cache lacks, on every core: in a clean build that is the
    bundle (1.3 s) and ~30 SVGs (0.13 s each, 0.8 s to start the renderer),
    about 5.5 s on one core. Plain subprocesses, not multiprocessing: the
    renderer runs a JavaScript engine with threads of its own, which a fork
    could copy mid-state, and spawn would re-import whatever __main__ is."""
    import subprocess
    import sys

    workers = min(len(jobs), os.cpu_count() or 1, 4)
    if workers <= 1 or sum(map(_cost, jobs)) < 12:  # a few SVGs: a worker's start-up (~1 s) would eat the gain
        for job in jobs:
            _render(job)
        return
    # Each job goes to the least-loaded worker.
    shares, load = [[] for _ in range(workers)], [0] * workers
    for job in jobs:
        i = load.index(min(load))
        shares[i].append([job[0], job[1], str(job[2]), job[3]])
        load[i] += _cost(job)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    procs = [subprocess.Popen([sys.executable, "-c", "from sobook.sphinx_ext import _render_worker; _render_worker()"],
                              stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
             for _ in shares]
    for proc, share in zip(procs, shares):
        proc.stdin.write(json.dumps(share))
        proc.stdin.close()
    errors = []
    for proc in procs:
        err = proc.stderr.read().strip()
        if proc.wait() != 0:
            errors.append(err.splitlines()[-1] if err else f"a renderer exited with {proc.returncode}")
    if errors:
        raise RenderError(errors[0])


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


SVG_SIZE_RE = re.compile(rb'<svg[^>]*? width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"')
CONTAINER_RE = re.compile(r'<div class="so-chart" id="([a-z0-9-]+)" aria-hidden="true">')
NOSCRIPT_RE = re.compile(r'<noscript><img src="[^"]*/charts/([a-z0-9-]+)\.svg" alt=""></noscript>')
CHARTS_JS_RE = re.compile(r'<script defer="defer" src="([^"]*)sobook-charts\.js(\?v=[0-9a-f]+)?"></script>')
# The theme's scripts that would block the first paint, in <head>.
HEAD_SCRIPT_RE = re.compile(r'<script((?: data-[a-z-]+="[^"]*")*) src="([^"]+\.js(?:\?v=[0-9a-f]+)?)"></script>')
# pydata-sphinx-theme loads Font Awesome twice: as a webfont in its CSS (which
# draws the icons the theme uses) and as a 1.5 MB script that redraws the same
# icons as inline SVG. The script is dropped.
FONTAWESOME_RE = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js(?:\?digest=[0-9a-f]+)?"></script>')
# ... and it loads the search index and tools on every page, for a
# search-as-you-type option this book leaves off: only the search page needs them.
SEARCH_SCRIPTS_RE = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools|_static/language_data|searchindex)\.js"></script>')


# The icon font: pydata-sphinx-theme's CSS names Font Awesome's whole solid
# font (156 KB), which a phone downloads before its first paint to draw a dozen
# icons. The book serves a subset (about 3 KB) of exactly the glyphs the
# theme's CSS and the built pages use; sobook.css declares it after the
# theme's own @font-face, so it wins. WOFF (zlib), from the theme's TTF:
# neither needs brotli.
ICON_FONT = "sobook-icons.woff"
FA_SOLID_TTF = Path("vendor") / "fontawesome" / "webfonts" / "fa-solid-900.ttf"
CSS_BLOCK_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
CSS_CONTENT_RE = re.compile(r'content:\s*"(\\[0-9a-fA-F]{4,5}|[\ue000-\uf8ff])"')
FA_CLASS_SELECTOR_RE = re.compile(r"^(?:\s*\.fa-[a-z0-9-]+:(?:before|after)\s*,?)+$")
PST_ICON_RE = re.compile(r'--pst-icon-[a-z-]+:\s*"([\ue000-\uf8ff]+)"')
FA_CLASS_RE = re.compile(r'class="([^"]*\bfa-[^"]*)"')


def _css_char(token: str) -> int:
    return int(token[1:], 16) if token.startswith("\\") else ord(token)


def _icon_codepoints(static: Path, pages: list[str]) -> set[int]:
    """Every icon glyph the pages can show: those the theme's stylesheets draw
    themselves (e.g. admonition and navigation icons) and those of the
    `fa-*` classes the built pages use."""
    codes, by_class = set(), {}
    for css in sorted(static.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        codes.update(ord(ch) for value in PST_ICON_RE.findall(text) for ch in value)
        for selector, body in CSS_BLOCK_RE.findall(text):
            found = CSS_CONTENT_RE.search(body)
            if not found:
                continue
            if FA_CLASS_SELECTOR_RE.match(selector):
                for name in re.findall(r"\.(fa-[a-z0-9-]+):", selector):
                    by_class[name] = _css_char(found.group(1))
            else:
                codes.add(_css_char(found.group(1)))
    for text in pages:
        for classes in FA_CLASS_RE.findall(text):
            codes.update(by_class[c] for c in classes.split() if c in by_class)
    return codes


def _icon_font(source: Path, codepoints: set[int], cache: Path) -> bytes:
    from fontTools import subset, version
    from fontTools.ttLib import TTFont

    h = hashlib.sha256(source.read_bytes())
    h.update(f"{version}:{sorted(codepoints)}".encode())
    cached = cache / f"icons-{h.hexdigest()[:20]}.woff"
    if not cached.exists():
        # recalcTimestamp=False: the font's 'modified' date stays the theme's,
        # so two builds write the same bytes.
        font = TTFont(str(source), recalcTimestamp=False)
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []
        options.name_IDs = ["*"]  # keep the licence and copyright names
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out, reorderTables=True)
        _write_cache(cached, out.getvalue())
    return cached.read_bytes()


def _on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    cache = CACHE_DIR
    pages = [p for p in sorted(out.rglob("*.html")) if "_static" not in p.relative_to(out).parts]
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    bundle_file = _bundle_path(cache)
    jobs = [] if bundle_file.exists() else [("bundle", None, bundle_file, "the Vega bundle")]
    for page, text in texts.items():
        for m in SPEC_RE.finditer(text):
            spec, cached = _svg_job(json.loads(m.group(2)), cache)
            if not cached.exists() and cached not in [j[2] for j in jobs]:
                jobs.append(("svg", spec, cached, f"{m.group(1)} ({page.relative_to(out).as_posix()})"))
    _fill_cache(jobs)
    bundle = _vega_bundle(cache)
    _write_if_changed(out / "_static" / BUNDLE_NAME, bundle)
    static_dir = out / "_static"
    if (static_dir / FA_SOLID_TTF).exists():
        codes = _icon_codepoints(static_dir, list(texts.values()))
        _write_if_changed(static_dir / ICON_FONT, _icon_font(static_dir / FA_SOLID_TTF, codes, cache))
    else:
        raise RuntimeError(f"the theme no longer ships {FA_SOLID_TTF}: sobook.css's icon font needs updating")
    bundle_version = _digest(bundle)
    charts = out / "_static" / "charts"
    for page, text in texts.items():
        prefix = os.path.relpath(charts, page.parent).replace(os.sep, "/")
        pictures, specs = {}, {}

        def externalise_spec(m):
            target, payload = m.group(1), m.group(2)
            spec = json.loads(payload)
            svg = _static_svg(spec, cache)
            _write_if_changed(charts / f"{target}.svg", svg)
            size = SVG_SIZE_RE.search(svg)
            pictures[target] = (size.group(1).decode(), size.group(2).decode(), _digest(svg))
            # The payload is JSON already escaped for a script context (no '<').
            js = f'(window.soSpecs = window.soSpecs || {{}})["{target}"] = {payload};\n'.encode("utf-8")
            _write_if_changed(charts / f"{target}.js", js)
            # Fetched by sobook-charts.js when the chart is about to be drawn,
            # not with the page: the chart's container names the file.
            specs[target] = f"{prefix}/{target}.js?v={_digest(js)}"
            return ""

        def picture(m):
            # The static picture is the chart until the interactive one is drawn
            # (sobook-charts.js), and stays for readers without JavaScript. Its
            # size is given so that nothing moves when it loads.
            target = m.group(1)
            if target not in pictures:
                return m.group(0)
            width, height, version = pictures[target]
            # Lazily, decoded off the main thread: sixteen SVG pictures
            # decoded at once held a phone's first paint back by ~0.5 s.
            return (f'<img class="so-static" src="{prefix}/{target}.svg?v={version}" alt="" '
                    f'width="{width}" height="{height}" loading="lazy" decoding="async">')

        def externalise_csv(m):
            name, data = m.group(1), urllib.parse.unquote(m.group(2))
            _write_if_changed(charts / name, data.encode("utf-8"))
            return f'download="{name}" href="{prefix}/{name}"'

        # Specs and CSVs move into files of their own: a chapter with sixteen
        # charts stays light, the browser caches them, and a plain <script src>
        # (unlike fetch) also works when the book is opened from disk.
        new = SPEC_RE.sub(externalise_spec, text)
        new = NOSCRIPT_RE.sub(picture, new)
        new = CONTAINER_RE.sub(
            lambda m: m.group(0)[:-1] + f' data-spec="{specs[m.group(1)]}">' if m.group(1) in specs else m.group(0),
            new)
        new = CSV_RE.sub(externalise_csv, new)
        # The drawing script fetches the Vega bundle itself, only when a chart
        # is about to be drawn; it reads the URL (with its digest) from here.
        static = os.path.relpath(out / "_static", page.parent).replace(os.sep, "/")
        new = CHARTS_JS_RE.sub(
            lambda m: (f'<script defer="defer" src="{m.group(1)}sobook-charts.js{m.group(2) or ""}" '
                       f'data-vega="{static}/{BUNDLE_NAME}?v={bundle_version}"></script>'), new)
        new = _lighter_head(new, search_page=page == out / "search.html")
        new = _squeeze(new)
        if new != text:
            page.write_text(new, encoding="utf-8")


KEEP_WHITESPACE_RE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S)


def _squeeze(text: str) -> str:
    """Without the templates' indentation and blank lines (about 2 KB a page):
    outside <pre> and <textarea>, a line break followed by spaces renders as
    the line break alone, so the page reads and lays out the same."""
    parts = KEEP_WHITESPACE_RE.split(text)
    for i in range(0, len(parts), 2):  # the even parts lie outside <pre>/<textarea>
        parts[i] = re.sub(r"\n[ \t]+", "\n", parts[i])
        parts[i] = re.sub(r"\n{2,}", "\n", parts[i])
    return "".join(parts)


def _lighter_head(text: str, search_page: bool) -> str:
    """The page's <head> without what blocks or delays the first paint: the
    Font Awesome script (the theme's CSS already draws its icons), the search
    index away from the search page, and the theme's scripts deferred (none of
    them writes into the page as it is parsed; the inline ones only set
    variables, which the deferred scripts read later)."""
    head, sep, body = text.partition("</head>")
    if not sep:
        return text
    head = FONTAWESOME_RE.sub("", head)
    if not search_page:
        head = SEARCH_SCRIPTS_RE.sub("", head)
        head = HEAD_SCRIPT_RE.sub(r'<script\1 defer="defer" src="\2"></script>', head)
    return head + sep + body


def _on_config_inited(app, config):
    # Relative to the book's folder: .buildinfo hashes the config, and an
    # absolute path would make two clean builds in two folders differ.
    config.html_static_path.append(os.path.relpath(STATIC_DIR, app.confdir))
    # Trap: sphinx-jupyterbook-latex switches numfig on for every builder, which
    # prefixes "Fig. N" to captions that already carry the report's own
    # numbering ("Figure 1-4"). Runs after it (priority 900) to switch it off.
    config.numfig = False


def _on_page_context(app, pagename, templatename, context, doctree):
    """Drop sphinx-thebe's scripts: the book runs no live code, and its inline
    config is injected twice ("THEBE_JS_URL has already been declared") and
    names a CDN."""
    def keep(script):
        name = getattr(script, "filename", None) or str(script)
        body = getattr(script, "attributes", {}).get("body", "")
        return "thebe" not in (name or "") and "THEBE" not in body

    # A page without charts does not load the Vega bundle (nor the drawing
    # script): 900 KB less to parse on the front page and the text pages.
    has_charts = 'class="so-spec"' in context.get("body", "")

    def needed(script):
        name = getattr(script, "filename", None) or str(script)
        return has_charts or not any(n in (name or "") for n in (BUNDLE_NAME, "sobook-charts.js"))

    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if keep(s) and needed(s)]


def _static_digest() -> str:
    from sobook.build import _files, _hash_files  # the build's own way to hash inputs

    h = hashlib.sha256()
    _hash_files(h, _files([STATIC_DIR.name], STATIC_DIR.parent), STATIC_DIR.parent)
    return h.hexdigest()


def _on_env_get_outdated(app, env, added, changed, removed):
    """Trap: when no page is out of date Sphinx stops before it copies the
    static files ("no targets are out of date"), so an edit to sobook.css or
    sobook-charts.js alone never reached the built book. When they change,
    every page is rewritten (which also copies them)."""
    digest = _static_digest()
    if getattr(env, "sobook_static_digest", None) != digest:
        env.sobook_static_digest = digest
        return sorted(env.found_docs)
    return []


def setup(app):
    app.add_directive("original", OriginalDirective)
    app.add_directive("translator-note", TranslatorNoteDirective)
    app.add_directive("data-schema", DataSchemaDirective)
    app.add_role("tn", tn_role)
    app.connect("config-inited", _on_config_inited, priority=900)
    app.connect("html-page-context", _on_page_context)
    # Deferred: it never blocks the first paint. It loads the Vega bundle
    # itself, when a chart is about to be drawn (see _on_build_finished).
    app.add_js_file("sobook-charts.js", loading_method="defer")
    app.add_css_file("sobook.css")
    app.connect("build-finished", _on_build_finished)
    app.connect("env-get-outdated", _on_env_get_outdated)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
