"""`make bench`: the build's, the maintainers' and the pages' figures, against
their targets (issues 19, 21, 23). Prints, on this machine (named first):

  * a clean build of a fresh copy (no caches), with and without its PDF
    step, against `jupyter-book build` with `execute_notebooks: force` on
    another fresh copy, like for like (target ≤ 0.5);
  * a no-op `make book` (≤ 1 s); a Markdown-only edit of a page (≤ 2 s, no
    kernel started); one chapter re-run on new data (`sobook run trends`,
    ≤ 4 s);
  * validating the data package (≤ 0.5 s) and `python -m sobook validate`;
    building every sentence the edition writes (sobook.sentences);
  * `make check` (≤ 90 s);
  * the weight of each chapter page (≤ 150 KB), the charts' drawing times
    offline (≤ 1 s), Lighthouse 12.2.3 (npm, once into /tmp/lh) on the front
    page and every chapter, offline: performance, accessibility, best
    practices (≥ 95 each on mobile), median of 3 runs.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sobook import pipeline  # noqa: E402

PY = sys.executable


def timed(cmd, cwd, env=None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return (f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 ** 2:.0f} GiB RAM, {platform.machine()}, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def fresh_copy(dest: Path) -> None:
    """The repository's files (tracked, and new ones not ignored), no build products."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for rel in out.split("\0"):
        if not rel or not (ROOT / rel).is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(ROOT / rel, dest / rel)
        except FileNotFoundError:  # a scratch file of a build running meanwhile
            pass


def jupyter_book_forced(tmp: Path) -> float:
    """A clean `jupyter-book build` of a fresh copy with the book's own
    execution forced: every notebook executed in turn by Jupyter Book (what
    a user gets by default), the same notebooks, data and extension."""
    copy = tmp / "repo"
    fresh_copy(copy)
    config = copy / "_config.yml"
    text = config.read_text(encoding="utf-8")
    forced = text.replace('execute_notebooks: "off"', 'execute_notebooks: "force"')
    assert forced != text, "_config.yml: could not switch execute_notebooks to force"
    config.write_text(forced, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(copy))
    start = time.perf_counter()
    proc = subprocess.run([str(Path(PY).parent / "jupyter-book"), "build", str(copy)], cwd=copy, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    executed = log.count("Executed notebook in")
    if proc.returncode != 0 or not (copy / "_build" / "html" / "index.html").exists():
        raise SystemExit(f"jupyter-book build failed:\n{log[-3000:]}")
    n = len(pipeline.CHAPTERS + pipeline.EXTRA_NOTEBOOKS)
    if executed < n:  # (and the Markdown-only notebook, section2, may count too)
        raise SystemExit(f"jupyter-book executed {executed} notebooks, expected {n}")
    return seconds


def rerun_on_data(runs: int = 3) -> float:
    """`python -m sobook run trends --data-dir data --out …`: one chapter, a new book."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            times.append(timed([PY, "-m", "sobook", "run", "trends", "--data-dir", str(ROOT / "data"),
                                "--out", str(Path(tmp) / f"out{i}")], ROOT))
    return statistics.median(times)


def validation_seconds(runs: int = 5) -> float:
    """Every rule over the whole data package (sobook.data.validate), its
    cache emptied each time; pandas already imported, as in every entry point."""
    from sobook import data

    times = []
    for _ in range(runs):
        data._cache.clear()
        start = time.perf_counter()
        data.validate(ROOT / "data")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def page_weights(html_root: Path) -> dict[str, int]:
    """Bytes of each chapter page plus the local files it loads, without the
    shared Vega bundle (cached once for the whole book)."""

    out = {}
    for page in sorted((html_root / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        total = len(text.encode())
        for ref in re.findall(r'(?:src|href)="(\.\./_static/[^"?#]+)', text):
            if ref.endswith("sobook-vega.js"):
                continue
            f = (page.parent / ref).resolve()
            if f.is_file():
                total += f.stat().st_size
        out[page.name] = (len(text.encode()), total)
    return out


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves the book as a static host does: gzip for text, a long cache
    lifetime for the theme's and the book's static files (their URLs carry a
    digest), revalidation for pages. Compressed bodies are kept in memory."""

    protocol_version = "HTTP/1.1"
    TEXT = {".html", ".css", ".js", ".json", ".svg", ".csv", ".txt", ".map", ".inv"}
    _gz: dict = {}

    def log_message(self, *args):
        pass

    def end_headers(self):
        static = "/_static/" in self.path
        self.send_header("Cache-Control", "public, max-age=31536000" if static else "no-cache")
        super().end_headers()

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix in self.TEXT and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            key = (path, path.stat().st_mtime_ns)
            if key not in self._gz:
                self._gz[key] = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
            body = self._gz[key]
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def serve(html_root: Path, handler=None):
    handler = handler or StaticHost
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(html_root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


LIGHTHOUSE = "12.2.3"
LH_DIR = Path("/tmp/lh")


def lighthouse_bin() -> Path:
    """Lighthouse from npm, installed once outside the repository."""
    exe = LH_DIR / "node_modules" / ".bin" / "lighthouse"
    pkg = LH_DIR / "node_modules" / "lighthouse" / "package.json"
    if not exe.exists() or json.loads(pkg.read_text())["version"] != LIGHTHOUSE:
        LH_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(LH_DIR), "--no-audit", "--no-fund", "--save-exact",
                        f"lighthouse@{LIGHTHOUSE}"], check=True, stdout=subprocess.DEVNULL)
    return exe


def lighthouse(html_root: Path, pages: list[str], presets=("mobile", "desktop"), runs: int = 3) -> dict:
    """{(page, preset): {category: score}} for each page, served offline: the
    median of `runs` runs (Lighthouse's own advice: its simulated timings vary
    from run to run), with the range of the performance score."""
    out = {}
    for _ in range(runs):
        for key, scores in _lighthouse_once(html_root, pages, presets).items():
            out.setdefault(key, []).append(scores)
    result = {}
    for key, all_scores in out.items():
        perf = sorted(s["performance"] for s in all_scores)
        mid = sorted(all_scores, key=lambda s: s["performance"])[len(all_scores) // 2]
        result[key] = dict(mid, performance_range=f"{perf[0]}–{perf[-1]}" if perf[0] != perf[-1] else str(perf[0]))
    return result


def _lighthouse_once(html_root: Path, pages: list[str], presets) -> dict:
    exe = lighthouse_bin()
    server, base = serve(html_root)
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    out = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for page in pages:
                for preset in presets:
                    report = Path(tmp) / "report.json"
                    cmd = [str(exe), f"{base}/{page}", "--quiet", "--output=json", f"--output-path={report}",
                           "--only-categories=performance,accessibility,best-practices",
                           "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                           "--disable-background-networking"]
                    if preset == "desktop":
                        cmd.append("--preset=desktop")
                    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
                    if proc.returncode != 0 or not report.exists():
                        raise SystemExit(f"lighthouse {page} ({preset}) failed:\n{proc.stderr[-2000:]}")
                    r = json.loads(report.read_text())
                    if r.get("runtimeError"):
                        raise SystemExit(f"lighthouse {page}: {r['runtimeError']}")
                    scores = {k: round(v["score"] * 100) for k, v in r["categories"].items()}
                    a = r["audits"]
                    scores["metrics"] = ", ".join(
                        f"{label} {a[key]['displayValue']}" for label, key in
                        [("FCP", "first-contentful-paint"), ("LCP", "largest-contentful-paint"),
                         ("TBT", "total-blocking-time"), ("CLS", "cumulative-layout-shift")])
                    scores["below"] = sorted(k for k, v in a.items() if v.get("score") is not None
                                             and v["score"] < 1 and v.get("scoreDisplayMode") in ("binary", "numeric",
                                                                                              "metricSavings")
                                             and k not in ("first-contentful-paint", "largest-contentful-paint",
                                                           "total-blocking-time", "cumulative-layout-shift",
                                                           "speed-index", "interactive", "max-potential-fid"))
                    out[(page, preset)] = scores
    finally:
        server.shutdown()
        server.server_close()
    return out


# Scrolls to each chart in turn, as a reader would, and times from the scroll
# until the chart shows its picture and until it is interactive. (A chart
# that has not drawn within 20 s is reported as such: page.evaluate itself
# never times out, and a bench on a loaded machine once waited for ever.)
ARRIVALS = """async () => {
  const tick = () => new Promise(r => setTimeout(r, 2));
  const out = [];
  for (const e of document.querySelectorAll('.so-chart')) {
    const t0 = performance.now();
    const waiting = () => performance.now() - t0 < 20000;
    e.scrollIntoView({block: 'center', behavior: 'instant'});
    const img = e.querySelector('img.so-static');
    const done = () => ['drawn', 'error'].includes(e.dataset.state) || (img && img.complete && img.naturalWidth > 0);
    while (waiting() && !done()) await tick();
    const t1 = performance.now();
    while (waiting() && !['drawn', 'error'].includes(e.dataset.state)) await tick();
    out.push({id: e.id, picture: t1 - t0, interactive: performance.now() - t0,
              state: e.dataset.state || 'not drawn in 20 s'});
  }
  return out;
}"""


def draw_times(html_root: Path) -> dict[str, dict]:
    """For each chapter with charts, offline, at 1280 × 900, median of 3 loads:
    `first_screen`, ms after navigation start until every chart on the first
    screen shows (sobook-charts.js sets data-charts-ms); then, scrolling to each
    chart in turn, the slowest `picture` (ms from the scroll until the chart
    shows) and the slowest and median `interactive` (until Vega has drawn it;
    the first one on a page includes fetching and parsing the Vega bundle)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from support import QuietHandler, offline_context

    server, base = serve(html_root, QuietHandler)
    out = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for page_file in sorted((html_root / "chapters").glob("*.html")):
            if 'class="so-chart"' not in page_file.read_text(encoding="utf-8"):
                continue  # a page without charts (the ledger)
            runs = []
            for _ in range(3):
                ctx = offline_context(b, base, viewport={"width": 1280, "height": 900})
                pg = ctx.new_page()
                pg.goto(f"{base}/chapters/{page_file.name}")
                pg.wait_for_function("() => document.documentElement.dataset.chartsMs", timeout=20000)
                first = float(pg.evaluate("() => document.documentElement.dataset.chartsMs"))
                arrivals = pg.evaluate(ARRIVALS)
                failed = [a["id"] for a in arrivals if a["state"] != "drawn"]
                if failed:
                    raise SystemExit(f"{page_file.name}: charts not drawn: "
                                     f"{[(a['id'], a['state']) for a in arrivals if a['state'] != 'drawn']}")
                inter = [a["interactive"] for a in arrivals]
                runs.append({"first_screen": first, "charts": len(arrivals),
                             "picture": max(a["picture"] for a in arrivals),
                             "interactive_max": max(inter), "interactive_median": statistics.median(inter)})
                ctx.close()
            out[page_file.name] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        b.close()
    server.shutdown()
    return out


def clean_build(tmp: Path) -> tuple[float, float]:
    """`python -m sobook build` of a fresh copy (no caches): its seconds, and
    those of its PDF step (from "Making the PDF edition…" to the end)."""
    copy = tmp / "repo"
    fresh_copy(copy)
    start, pdf_start = time.perf_counter(), None
    proc = subprocess.Popen([PY, "-m", "sobook", "build"], cwd=copy, env=dict(os.environ, PYTHONPATH=str(copy)),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if line.startswith("Making the PDF edition"):
            pdf_start = time.perf_counter()
    if proc.wait() != 0 or pdf_start is None:
        raise SystemExit("the clean build failed")
    end = time.perf_counter()
    return end - start, end - pdf_start


def built_copy(tmp: Path) -> Path:
    copy = tmp / "repo"
    fresh_copy(copy)
    subprocess.run([PY, "-m", "sobook", "build"], cwd=copy, env=dict(os.environ, PYTHONPATH=str(copy)), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return copy


def markdown_edit(copy: Path, runs: int = 3) -> tuple[float, bool]:
    """A sentence added to the ledger page's text, then the build: its
    seconds (median) and whether a kernel was started (it must not be)."""
    import nbformat

    nb = copy / "chapters" / "ledger.ipynb"
    original = nb.read_text(encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(copy))
    times, kernel = [], False
    for i in range(runs):
        edited = nbformat.reads(original, as_version=4)
        # A paragraph's text, not a heading (a title edit rewrites every page's sidebar).
        cell = next(c for c in edited.cells if c.cell_type == "markdown" and not c.source.startswith(("#", "(", "`")))
        cell.source += f" Edit {i}."
        nb.write_text(nbformat.writes(edited) + "\n", encoding="utf-8")
        start = time.perf_counter()
        out = subprocess.run([PY, "-m", "sobook", "build"], cwd=copy, env=env, capture_output=True, text=True,
                             check=True).stdout
        times.append(time.perf_counter() - start)
        kernel = kernel or "Executing" in out
    nb.write_text(original, encoding="utf-8")
    return statistics.median(times), kernel


def sentences_seconds() -> tuple[float, int]:
    from sobook import sentences

    start = time.perf_counter()
    n = len(list(sentences.of(ROOT / "data")))
    return time.perf_counter() - start, n


def ok(good: bool) -> str:
    return "OK" if good else "MISSED"


def main() -> None:
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        total, pdf = clean_build(Path(tmp) / "a")
        theirs = jupyter_book_forced(Path(tmp) / "b")
    without = total - pdf
    like = without / theirs
    print(f"clean build: {total:.1f} s with the PDF edition, {without:.1f} s before its PDF step ({pdf:.1f} s); "
          f"`jupyter-book build` with "
          f"execute_notebooks: force {theirs:.1f} s → ratio like for like {like:.2f}; target ≤ 0.5 → {ok(like <= 0.5)}")

    subprocess.run(["make", "book"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    noop = statistics.median(timed(["make", "book"], ROOT) for _ in range(3))
    print(f"no-op make book: {noop:.2f} s (median of 3); target ≤ 1 s → {ok(noop <= 1)}")
    with tempfile.TemporaryDirectory() as tmp:
        edit, kernel = markdown_edit(built_copy(Path(tmp)))
    print(f"a Markdown-only edit of a page, then the build: {edit:.1f} s (median of 3), "
          f"{'a kernel started' if kernel else 'no kernel started'}; target ≤ 2 s, no kernel → "
          f"{ok(edit <= 2 and not kernel)}")
    rerun = rerun_on_data()
    print(f"one chapter re-run on new data (`sobook run trends --data-dir data`, its pages, no PDF): {rerun:.1f} s "
          f"(median of 3); target ≤ 4 s → {ok(rerun <= 4)}")

    validate = validation_seconds()
    print(f"validating the whole data package: {validate * 1000:.0f} ms (median of 5); target ≤ 500 ms → "
          f"{ok(validate <= 0.5)}")
    command = statistics.median(timed([PY, "-m", "sobook", "validate", "data"], ROOT) for _ in range(3))
    print(f"`python -m sobook validate data` (a new process): {command:.2f} s (median of 3)")
    seconds, n = sentences_seconds()
    print(f"every sentence the edition writes, built from the data (sobook.sentences): {n} in {seconds:.1f} s")
    check = timed(["make", "check"], ROOT)
    print(f"make check: {check:.0f} s; target ≤ 90 s → {ok(check <= 90)}")

    html_root = ROOT / "_build" / "html"
    for name, (html_bytes, with_assets) in page_weights(html_root).items():
        print(f"page weight {name}: {html_bytes / 1024:.0f} KB of HTML (target ≤ 150 KB → "
              f"{ok(html_bytes <= 150 * 1024)}); {with_assets / 1024:.0f} KB with the "
              f"theme's CSS/JS, which every page shares and the browser caches")
    bundle = html_root / "_static" / "sobook-vega.js"
    print(f"shared Vega bundle (cached once): {bundle.stat().st_size / 1024:.0f} KB")
    for name, t in draw_times(html_root).items():
        worst = max(t["first_screen"], t["picture"])
        print(f"charts, {name} ({t['charts']:.0f}): first screen shown {t['first_screen']:.0f} ms after navigation "
              f"start; scrolling to each, shown within {t['picture']:.0f} ms; target ≤ 1000 ms → {ok(worst <= 1000)}; "
              f"interactive within {t['interactive_median']:.0f} ms (median), {t['interactive_max']:.0f} ms "
              f"(slowest, with the Vega bundle) of arriving")
    pages = ["index.html"] + [f"chapters/{n}.html" for n in pipeline.CHAPTERS + pipeline.EXTRA_NOTEBOOKS]
    for (page, preset), sc in lighthouse(html_root, pages).items():
        worst = min(sc["performance"], sc["accessibility"], sc["best-practices"])
        print(f"lighthouse {LIGHTHOUSE} {page} ({preset}), median of 3: performance {sc['performance']} "
              f"(range {sc['performance_range']}), accessibility "
              f"{sc['accessibility']}, best practices {sc['best-practices']}; target ≥ 95 each → {ok(worst >= 95)}"
              f"  [{sc['metrics']}]" + (f"; audits below 1: {', '.join(sc['below'])}" if sc["below"] else ""))


if __name__ == "__main__":
    main()
