"""What the tests share besides their fixtures (tests/conftest.py): where the
book is, the repository copied and built, the book served and opened offline
in Chromium. Imported as `support`: a module named `conftest` would be
chapters/conftest.py's too, when pytest runs both."""
import contextlib
import csv
import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from sobook.paths import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - the browser tests' Chromium

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
# Resolves when every chart of the page has settled (drawn or failed).
CHARTS_SETTLED = ("() => [...document.querySelectorAll('.so-chart')]"
                  ".every(e => ['drawn','error'].includes(e.dataset.state))")
# The interactive charts are drawn as the reader gets near them
# (sobook-charts.js): scroll each one into view in turn, as a reader would,
# giving the page two frames to notice, then go back to the top. Instantly:
# the theme scrolls smoothly (scroll-behavior), which would leave the page
# where it started within those two frames.
# Trap: headless Chromium sometimes schedules no frame at all, and an awaited
# requestAnimationFrame then never resolves; page.evaluate has no timeout, so
# the suite hung until CI's own limit (test_legibility, 90 min). Each wait is
# raced against a timer; a page that truly draws nothing then fails in
# draw_all_charts' wait_for_function, which does time out.
SCROLL_THROUGH = """async () => {
  const twoFrames = () => new Promise(r => {
    requestAnimationFrame(() => requestAnimationFrame(r));
    setTimeout(r, 200);
  });
  for (const e of document.querySelectorAll('.so-chart')) {
    e.scrollIntoView({block: 'center', behavior: 'instant'});
    await twoFrames();
  }
  window.scrollTo({top: 0, behavior: 'instant'});
}"""


# What a page that has not drawn its charts is doing: each chart's state,
# whether the tab is visible and whether it gets frames at all.
DIAGNOSE = """() => new Promise(r => {
  const facts = {visibility: document.visibilityState, focus: document.hasFocus(), scrollY: window.scrollY,
                 states: [...document.querySelectorAll('.so-chart')].map(e => e.id + ':' + e.dataset.state)};
  requestAnimationFrame(() => r({...facts, frames: true}));
  setTimeout(() => r({...facts, frames: false}), 1000);
})"""


class NoFrames(AssertionError):
    """Headless Chromium gave a page no animation frames at all while a
    timer still fired: the browser's compositor stalled, not the page.
    pytest-rerunfailures runs such a test once more (tests/conftest.py)."""


def draw_all_charts(page, timeout: int = 15000) -> None:
    """Scroll through the page and wait until every chart is drawn (or failed).
    The condition is polled on a timer, not on animation frames (Playwright's
    default), which a stalled page never gives. Trap: now and then in a full
    run (CI, at 390 and 820 px), a visible, focused page stopped getting
    frames half-way through its charts, with its timers still firing;
    bringing it to the front did not revive it. That failure is NoFrames;
    charts that are not drawn on a page that gets frames fail as they are."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate(SCROLL_THROUGH)
    try:
        page.wait_for_function(CHARTS_SETTLED, timeout=timeout, polling=100)
    except PlaywrightTimeout:
        facts = page.evaluate(DIAGNOSE)
        if not facts["frames"]:
            raise NoFrames(f"{page.url}: headless Chromium gave the page no frames: {facts}") from None
        raise AssertionError(f"{page.url}: charts not drawn within {timeout} ms: {facts}") from None


def book_pages(root: Path = HTML) -> list[str]:
    """Every page of a built book, relative to it (not the theme's template
    fragments under _static/)."""
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.html")
                  if "_static" not in p.relative_to(root).parts)


@contextlib.contextmanager
def serve(directory: Path):
    """A directory over http on 127.0.0.1 (an ephemeral port), for the test's duration."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def offline_context(browser, base: str, **options):
    """A browser context that reaches only `base` (and data:/blob: URLs);
    everything else is aborted and recorded in context.blocked."""
    context = browser.new_context(**options)
    context.blocked = []

    def route(r):
        if r.request.url.startswith((base, "data:", "blob:")):
            r.continue_()
        else:
            context.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context


def tree_digest(folder: Path) -> str:
    """Every file's path and bytes: equal digests mean an identical folder."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode() + b"\0")
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def source_files() -> list[str]:
    """The repository's files: what git lists, and new files not ignored."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return sorted({f for f in out.split("\0") if f and (ROOT / f).is_file()})


def copy_repository(dest: Path, with_stamps: bool = False) -> Path:
    """The repository's files in `dest`, the venv shared by a link; with
    `with_stamps`, what the main build recorded, so that the copy's
    notebooks count as executed."""
    for rel in source_files():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):  # a scratch file of a build running meanwhile
            shutil.copy2(ROOT / rel, dest / rel)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    if with_stamps and (ROOT / "_build" / ".stamps").is_dir():
        shutil.copytree(ROOT / "_build" / ".stamps", dest / "_build" / ".stamps")
    return dest


def sobook(repo: Path, *args: str, timeout: float = 600, **env) -> subprocess.CompletedProcess:
    """`python -m sobook ARGS` in a copy of the repository."""
    return subprocess.run([sys.executable, "-m", "sobook", *args], cwd=repo, capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, PYTHONPATH=str(repo), **env))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# --------------------------------------------------------------------------
# CSV files of a data directory, edited the way a maintainer would


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row_id: str, column: str, value: str) -> int:
    """Sets one cell of the row whose row_id is row_id; returns the line it is
    on (the header is line 1)."""
    rows = csv_rows(path)
    col, rid = rows[0].index(column), rows[0].index("row_id")
    for line, r in enumerate(rows[1:], start=2):
        if r[rid] == row_id:
            r[col] = value
            write_csv(path, rows)
            return line
    raise KeyError(row_id)
