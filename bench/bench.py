"""`make bench`: the build and page figures, against their targets.

Prints, on this machine:
  * the per-notebook floor (kernel start + the chapter imports),
  * a clean build (fresh copy of the repository, no caches) and its target
    2 × (notebooks × floor ÷ 2 cores + the HTML build),
  * a no-op `make book` (target ≤ 2 s),
  * one chapter re-executed,
  * the weight of each chapter page apart from the shared Vega bundle (≤ 150 KB),
  * the time until all charts of a page are drawn in headless Chromium.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sobook import build  # noqa: E402

PY = sys.executable


def timed(cmd, cwd, env=None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def floor_seconds(runs: int = 3) -> float:
    """Start a kernel and import what every chapter imports."""
    import nbformat
    from nbclient import NotebookClient

    build._kernel_env()
    times = []
    for _ in range(runs):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(
            "from sobook import chapter, figures, data\nimport altair, pandas\nchapter.setup('../data')")]
        start = time.perf_counter()
        NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "chapters")}}).execute()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fresh_copy(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)


def clean_build(tmp: Path) -> tuple[float, float]:
    """Returns (total, html only) for a build of a fresh copy with no caches."""
    copy = tmp / "repo"
    fresh_copy(copy)
    env = dict(os.environ, PYTHONPATH=str(copy))
    total = timed([PY, "-m", "sobook", "build"], copy, env)
    stamp = copy / "_build" / ".stamps" / "html.sha256"
    stamp.unlink()
    shutil.rmtree(copy / "_build" / ".work")
    html = timed([PY, "-m", "sobook", "build"], copy, env)
    return total, html


def page_weights(html_root: Path) -> dict[str, int]:
    """Bytes of each chapter page plus the local files it loads, without the
    shared Vega bundle (cached once for the whole book)."""
    import re

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


def draw_times(html_root: Path) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "tests"))
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    from conftest import QuietHandler

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html_root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for page_file in sorted((html_root / "chapters").glob("*.html")):
            times = []
            for _ in range(3):
                ctx = b.new_context()
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
                pg = ctx.new_page()
                pg.goto(f"{base}/chapters/{page_file.name}")
                pg.wait_for_function("() => document.documentElement.dataset.chartsMs", timeout=20000)
                times.append(float(pg.evaluate("() => document.documentElement.dataset.chartsMs")))
                ctx.close()
            out[page_file.name] = statistics.median(times)
        b.close()
    server.shutdown()
    return out


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    n = len(build.CHAPTERS + build.EXTRA_NOTEBOOKS)
    floor = floor_seconds()
    print(f"per-notebook floor (kernel start + imports): {floor:.2f} s")

    with tempfile.TemporaryDirectory() as tmp:
        total, html = clean_build(Path(tmp))
    target = 2 * (n * floor / 2 + html)
    print(f"clean build: {total:.1f} s (HTML part {html:.1f} s); target ≤ 2 × ({n} × {floor:.2f} ÷ 2 + {html:.1f}) "
          f"= {target:.1f} s → {'OK' if total <= target else 'MISSED'}")

    subprocess.run(["make", "book"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    noop = statistics.median(timed(["make", "book"], ROOT) for _ in range(3))
    print(f"no-op make book: {noop:.2f} s; target ≤ 2 s → {'OK' if noop <= 2 else 'MISSED'}")

    nb = ROOT / "chapters" / "trends.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        one = build.execute(nb, Path(tmp) / "trends.ipynb", None)
    print(f"one chapter re-executed (trends): {one:.1f} s")

    html_root = ROOT / "_build" / "html"
    for name, (html_bytes, with_assets) in page_weights(html_root).items():
        print(f"page weight {name}: {html_bytes / 1024:.0f} KB of HTML (target ≤ 150 KB → "
              f"{'OK' if html_bytes <= 150 * 1024 else 'MISSED'}); {with_assets / 1024:.0f} KB with the "
              f"theme's CSS/JS, which every page shares and the browser caches")
    bundle = html_root / "_static" / "sobook-vega.js"
    print(f"shared Vega bundle (cached once): {bundle.stat().st_size / 1024:.0f} KB")
    for name, ms in draw_times(html_root).items():
        print(f"all charts drawn, {name}: {ms:.0f} ms after navigation start (median of 3, offline)")


if __name__ == "__main__":
    main()
