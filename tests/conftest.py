import contextlib
import functools
import http.server
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the background-networking flags stop it
# calling Google's hosts on this closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
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
    pytest-rerunfailures runs such a test once more (pyproject.toml)."""


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


@pytest.fixture(scope="session")
def book_html():
    if not (HTML / "index.html").exists():
        pytest.fail("no built book at _build/html: run `make book` first (make test does)")
    return HTML


@pytest.fixture(scope="session")
def served_book(book_html):
    """The built book over http on 127.0.0.1 (under file:// the theme itself
    logs CORS errors for its search index and fonts)."""
    with serve(book_html) as base:
        yield base


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
