"""The strict Jupyter Book HTML build, started before the notebooks have run.

`jupyter-book build` spends its first 1.5-2 s starting Python, importing
Sphinx and its extensions and initialising the app (config, extensions,
theme, the pickled environment of an earlier build) — none of which depends
on the notebooks' outputs. `HtmlBuild` starts that part in a process of its
own while the kernels run (the main process and a core are mostly idle
then); the process then waits for a go (`finish`) before it reads the
documents and writes the HTML, or for an abort.

What the build does is Jupyter Book's own: the configuration is made by
`jupyter_book.config.get_final_config` and the app run as
`jupyter_book.sphinx.build_sphinx` runs it, with the options of
``jupyter-book build BOOK --path-output WORK --builder html -W -n --keep-going``
(the command this replaces, see `_child`). Like that command it runs in a
separate process with the same environment, so nothing of Sphinx (its
logging, docutils' global registries, sys.path additions) leaks into the
build's own process, and two builds in one process (tests) stay independent.

A second process renders the charts' static SVG fallbacks into
sobook.sphinx_ext's cache (vl-convert: 0.8 s to start, 0.1 s a chart, 1.9 s
for the Vega bundle, 5-6 s of CPU for a clean build, all of it otherwise
spent by the extension at build-finished, on one core, after everything
else): the bundle at once, each notebook's charts as soon as it has run. It
renders with the extension's own functions into its content-keyed cache, so
the pages are byte for byte what the extension alone makes; a chart it
missed is rendered by the extension as before. vl-convert holds the GIL
while it renders, hence a process, not a thread. Both processes are niced
(Sphinx until the go, the renderer more), so that the kernels and the kernel
server, the critical path, keep their cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

GO = b"build\n"
NICE = 10  # the renderer's
SPHINX_NICE = 5  # Sphinx's, until the go
# How long the build waits at build-finished for the renderer (it renders a
# chart in 0.1 s; past this the extension renders what is missing itself).
RENDER_WAIT = 300


class HtmlBuild:
    def __init__(self, book_src: Path, work: Path, env: dict | None = None):
        self.book_src, self.work = Path(book_src), Path(work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.stdout = self.work / ".sphinx-stdout.log"
        self.stderr = self.work / ".sphinx-stderr.log"
        env = os.environ if env is None else env
        # The build waits (at build-finished) for EOF on this pipe: the
        # renderer holds its only write end, so EOF means it has exited.
        done_r, done_w = os.pipe()
        try:
            self.renderer = subprocess.Popen(
                [sys.executable, "-c", "from sobook.htmlbuild import _renderer; _renderer()", str(done_w)],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                pass_fds=[done_w],
            )
            with open(self.stdout, "wb") as out, open(self.stderr, "wb") as err:
                self.proc = subprocess.Popen(
                    [sys.executable, "-c", "from sobook.htmlbuild import _child; _child()", str(self.book_src),
                     str(self.work), str(done_r)],
                    stdin=subprocess.PIPE, stdout=out, stderr=err, cwd=self.book_src, env=env, pass_fds=[done_r],
                )
        finally:
            os.close(done_r)
            os.close(done_w)

    def charts_from(self, notebook: Path) -> None:
        """`notebook` has been executed: have its charts' static SVGs rendered
        into the cache now, while other notebooks run, rather than at the end."""
        try:
            self.renderer.stdin.write(os.fsencode(notebook) + b"\n")
            self.renderer.stdin.flush()
        except (BrokenPipeError, ValueError):  # it died: the extension renders them itself
            pass

    def finish(self) -> tuple[int, str]:
        """Build; returns (exit status, everything it printed: stdout then stderr)."""
        # No more notebooks: it renders what it has, then exits. (EOF needs every
        # copy of the pipe closed: the pool's workers, forked after this
        # process started, hold one until execute_all has joined them.)
        self._close(self.renderer.stdin)
        try:
            self.proc.stdin.write(GO)
        except BrokenPipeError:  # it failed while starting; its status and log say why
            pass
        self._close(self.proc.stdin)
        code = self.proc.wait()
        self.renderer.wait()
        return code, self._log()

    def abort(self) -> None:
        """Before the go (the notebooks or the data failed): both processes are
        killed at once, Sphinx being still in its start-up, which writes nothing."""
        for proc in (self.renderer, self.proc):
            proc.kill()
            proc.wait()
            self._close(proc.stdin)
        self._log()

    @staticmethod
    def _close(stream) -> None:
        try:
            stream.close()
        except BrokenPipeError:
            pass

    def _log(self) -> str:
        text = ""
        for f in (self.stdout, self.stderr):
            if f.exists():
                text += f.read_text(encoding="utf-8", errors="replace")
                f.unlink()
        return text


def _extension():
    """sobook.sphinx_ext's chart cache, or None if it has changed shape (then
    nothing is rendered ahead and the build renders everything itself, as
    tests/test_htmlbuild.py would point out)."""
    try:
        from sobook import sphinx_ext as ext

        return ext.SPEC_RE, ext._static_svg, ext._vega_bundle, ext.CACHE_DIR
    except (ImportError, AttributeError):
        return None


def _render_charts(notebook: Path) -> None:
    """Render the static SVG of every chart spec in an executed notebook into
    sobook.sphinx_ext's cache, by its own function: the build-finished handler
    then finds them there (the cache is keyed by the spec itself, so a spec
    that reaches the page differently is simply rendered again). Errors are
    left to the build, which reports them properly."""
    ext = _extension()
    if ext is None:
        return
    spec_re, static_svg, _, cache = ext
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            for value in output.get("data", {}).values():
                text = "".join(value) if isinstance(value, list) else value
                if not isinstance(text, str) or "so-spec" not in text:
                    continue
                for _, payload in spec_re.findall(text):
                    try:
                        static_svg(json.loads(payload), cache)
                    except Exception:  # noqa: BLE001 - see the docstring
                        pass


def _renderer() -> None:
    """The chart renderer's process: the Vega bundle, then the charts of each
    notebook named on stdin, until EOF."""
    os.setpriority(os.PRIO_PROCESS, 0, os.getpriority(os.PRIO_PROCESS, 0) + NICE)
    ext = _extension()
    if ext is not None:
        try:
            ext[2](ext[3])  # the Vega bundle, into the cache
        except Exception:  # noqa: BLE001 - the build will report it
            pass
    for line in sys.stdin.buffer:
        _render_charts(Path(os.fsdecode(line.rstrip(b"\n"))))
    os._exit(0)  # the done pipe closes with it


def _wait_for_renderer(done_fd: int):
    """A build-finished handler that runs before the extension's: wait until
    the renderer has exited, so that the extension finds every chart cached
    instead of rendering the same ones at the same time."""
    import select

    def handler(app, exception):
        if exception is None:
            select.select([done_fd], [], [], RENDER_WAIT)
        os.close(done_fd)

    return handler


def _warm_up(app) -> None:
    """While waiting, what the first page written would otherwise pay (about
    0.5 s of the build after the go): compile the theme's page templates and
    a CSS selector like the theme's (soupsieve builds its parser's regular
    expressions on first use); import what the build-finished handler uses.
    Compiling is all it does: nothing is rendered or written."""
    import time

    import soupsieve
    import vl_convert  # noqa: F401 - sobook.sphinx_ext's, for charts the renderer missed

    start = time.perf_counter()
    soupsieve.compile("li.toctree-l1 > details, details > a.reference")
    templates = app.builder.templates
    names = set()
    for loader in getattr(templates, "loaders", []):
        try:
            names.update(n for n in loader.list_templates() if n.endswith(".html"))
        except (TypeError, OSError):  # a loader that cannot list: nothing to warm
            pass
    for name in sorted(names):
        try:
            templates.environment.get_template(name)
        except Exception:  # noqa: BLE001 - a fragment that only compiles in context; the build will tell
            pass
    print(f"warm-up: {len(names)} templates compiled in {time.perf_counter() - start:.2f} s", flush=True)


def _child() -> None:
    """In the build's process: jupyter_book.cli.main.build + build_sphinx,
    with the app's construction before the wait and its build after it."""
    book_src, work, done_fd = Path(sys.argv[1]).absolute(), Path(sys.argv[2]), int(sys.argv[3])
    # Until the go, behind the kernels and the kernel server (the critical
    # path) but ahead of the renderer: it must be ready when they are done.
    niceness = os.getpriority(os.PRIO_PROCESS, 0)
    os.setpriority(os.PRIO_PROCESS, 0, niceness + SPHINX_NICE)
    from jupyter_book import __version__
    from jupyter_book.config import get_final_config
    from jupyter_book.pdf import update_latex_documents
    from sphinx.application import Sphinx
    from sphinx.cmd.build import handle_exception
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    print(f"Running Jupyter-Book v{__version__} (in-process, started early)", flush=True)
    outdir = work / "_build" / "html"
    overrides = {
        "external_toc_path": (book_src / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,  # -n
    }
    app = None

    class Args:  # what handle_exception reads of sphinx-build's arguments
        pdb = verbosity = traceback = False

    try:
        sphinx_config, config_meta = get_final_config(
            user_yaml=book_src / "_config.yml", cli_config=overrides, sourcedir=book_src, use_external_toc=True)
        with patch_docutils(None), docutils_namespace():
            app = Sphinx(
                srcdir=book_src, confdir=None, outdir=outdir, doctreedir=outdir.parent / ".doctrees",
                buildername="html", confoverrides=sphinx_config, status=sys.stdout, warning=sys.stderr,
                freshenv=False, warningiserror=True, tags=None, verbosity=0, parallel=1, keep_going=True,
            )
            app.config.latex_documents = update_latex_documents(
                app.config.latex_documents, config_meta["latex_doc_overrides"])
            if app.config["use_multitoc_numbering"]:
                import yaml

                if "numbered: true" in yaml.dump(app.config.external_site_map.as_json()):
                    app.setup_extension("sphinx_multitoc_numbering")
            app.connect("build-finished", _wait_for_renderer(done_fd), priority=100)
            _warm_up(app)
            sys.stdout.flush()
            if sys.stdin.buffer.readline() != GO:
                os._exit(0)  # aborted: the notebooks failed
            try:  # now it is the critical path (lowering niceness needs privilege: CI runs as root)
                os.setpriority(os.PRIO_PROCESS, 0, niceness)
            except PermissionError:
                pass
            app.build(False, [])
            status = app.statuscode
    except (Exception, KeyboardInterrupt) as exc:
        handle_exception(app, Args, exc, sys.stderr)
        status = 2
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written: skip tearing down Sphinx's objects one by one
    # (0.5-0.8 s for a whole book's environment).
    os._exit(status)
