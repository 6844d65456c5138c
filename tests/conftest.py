"""The tests' fixtures and tiers; what they share besides is tests/support.py."""

import pytest

from support import CHROMIUM, CHROMIUM_ARGS, HTML, QuietHandler, copy_repository, serve, sobook  # noqa: F401

# The tiers (pyproject.toml's markers): a test is marked by what it uses, so
# nobody has to remember to. `make check` runs the tests marked with none.
TIERS = {"book": {"book_html", "served_book", "crawl", "pdf_path", "pdf_pages", "unzipped"},
         "browser": {"browser"},
         "slow": {"built_copy", "example_book"}}


# A browser test that failed because headless Chromium gave its page no
# animation frames at all (a timer still fires, so the page's own thread is
# free: the browser's compositor stalled; support.NoFrames) runs once more, in
# a fresh context (pytest-rerunfailures). Any other failure is final.
RERUN = pytest.mark.flaky(reruns=1, only_rerun=["gave the page no frames"])


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    rerun = config.pluginmanager.hasplugin("rerunfailures")
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in TIERS.items():
            if used & fixtures:
                item.add_marker(marker)
        if rerun and "browser" in used:
            item.add_marker(RERUN)
        # Under pytest-xdist (make test), what builds or runs the pipeline
        # shares one worker: its tests count the system's processes and
        # temporary folders.
        if item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.xdist_group("pipeline"))


@pytest.fixture(scope="session")
def built_copy(tmp_path_factory):
    """A copy of the repository built from nothing once (notebooks executed,
    HTML, PDF, zip), and the command that builds it again. Tests that change
    it put it back as it was."""
    repo = copy_repository(tmp_path_factory.mktemp("clean") / "repo")
    first = sobook(repo, "build")
    assert first.returncode == 0, first.stderr[-3000:]
    return repo, lambda: sobook(repo, "build")


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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
