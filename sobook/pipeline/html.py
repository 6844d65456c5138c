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

Sphinx is niced until the go, so that the kernels and the kernel server,
the critical path, keep their cores.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sobook.pipeline import procs
from sobook.pipeline.execute import BuildError
from sobook.paths import PNGS_LATER_ENV, ROOT

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Left in every book `sobook run` makes: an existing --out without it is not ours.
MARKER = ".sobook-run"

GO = b"build\n"
SPHINX_NICE = 5  # Sphinx's, until the go


class HtmlBuild:
    def __init__(self, book_src: Path, work: Path, env: dict | None = None):
        self.book_src, self.work = Path(book_src), Path(work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.stdout = self.work / ".sphinx-stdout.log"
        self.stderr = self.work / ".sphinx-stderr.log"
        # The charts' PNGs that Sphinx leaves to the build (sobook.sphinx_ext.pages);
        # removed once they are made.
        self.pngs_later = self.work / ".pngs-later.json"
        env = dict(os.environ if env is None else env, **{PNGS_LATER_ENV: str(self.pngs_later)})
        with open(self.stdout, "wb") as out, open(self.stderr, "wb") as err:
            # Its own session (a Ctrl-C reaches only the build, which stops
            # it), and it dies with the build (procs.child_preamble).
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from sobook.pipeline.html import _child; _child()", str(self.book_src),
                 str(self.work)],
                stdin=subprocess.PIPE, stdout=out, stderr=err, cwd=self.book_src, env=procs.child_env(env),
                start_new_session=True,
            )

    def finish(self) -> tuple[int, str]:
        """Build; returns (exit status, everything it printed: stdout then stderr)."""
        try:
            self.proc.stdin.write(GO)
        except BrokenPipeError:  # it failed while starting; its status and log say why
            pass
        self._close(self.proc.stdin)
        code = self.proc.wait()
        return code, self._log()

    def abort(self) -> None:
        """Before the go (the notebooks or the data failed): Sphinx is killed,
        being still in its start-up, which writes nothing."""
        procs.stop(self.proc)
        self._close(self.proc.stdin)
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


def _warm_up(app) -> None:
    """While waiting, what the first page written would otherwise pay (about
    0.5 s of the build after the go): compile the theme's page templates and
    a CSS selector like the theme's (soupsieve builds its parser's regular
    expressions on first use); import what the build-finished handler uses.
    Compiling is all it does: nothing is rendered or written."""
    import time

    import soupsieve

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
    procs.child_preamble()
    book_src, work = Path(sys.argv[1]).absolute(), Path(sys.argv[2])
    # Until the go, behind the kernels and the kernel server (the critical
    # path): it must be ready when they are done.
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


# --------------------------------------------------------------------------
# the build's side: run it, and put the result in place


def html_env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def build_html(book_src: Path, out_html: Path, work: Path, log: Path | None = None, marker: str | None = None,
               started: HtmlBuild | None = None, move: bool = False, pdf_worker=None) -> None:
    """Strict Jupyter Book build of book_src, its PDF edition made, swapped
    into out_html on success. `started`, `pdf_worker`: an HtmlBuild of book_src
    into work and a PDF worker (sobook.pdf.Worker), started earlier;
    started here otherwise. `move`: the work folder is temporary, its HTML may
    be moved rather than copied."""
    from sobook import pdf

    work.mkdir(parents=True, exist_ok=True)
    started = started or HtmlBuild(book_src, work, html_env())
    pdf_worker = pdf_worker or pdf.Worker(ROOT / "data", html_env())
    try:
        code, output = started.finish()
    except BaseException:
        started.abort()
        pdf_worker.abort()
        raise
    if code != 0:
        pdf_worker.abort()
        log = log or work / "build.log"
        log.write_text(output, encoding="utf-8")
        text = _ANSI.sub("", output).replace(str(book_src) + os.sep, "")
        lines = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
        detail = lines[0].strip() if lines else "see the log"
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise BuildError(f"HTML build failed: {detail}{more} (full log: {log})")
    html_dir = work / "_build" / "html"
    print("Making the PDF edition…", flush=True)
    failed = []

    def pngs():  # meanwhile, on the other core, the charts' PNGs that Sphinx left
        from sobook.sphinx_ext.pages import render_pngs_later

        try:
            render_pngs_later(started.pngs_later)
        except Exception as exc:  # noqa: BLE001 - reported below, once the PDF's process is done
            failed.append(" ".join(str(exc).split())[:300])

    made, seconds = make_pdf(html_dir, pdf_worker, meanwhile=pngs)
    if failed:
        pdf_worker.close()
        raise BuildError(f"the charts' PNGs could not be made: {failed[0]}")
    try:
        # (make bench reads the PDF's time from here)
        print(f"  PDF edition made in {seconds:.1f} s ({made.stat().st_size / 1e6:.1f} MB)", flush=True)
        if marker is not None:
            (html_dir / MARKER).write_text(marker, encoding="utf-8")
        swap_in(html_dir, out_html, move=move)
    finally:
        pdf_worker.close()


def make_pdf(html_dir: Path, worker, meanwhile=None) -> tuple[Path, float]:
    """The edition as one PDF, into the new book's downloads (before the swap:
    a book without its PDF is never published), and the seconds it took;
    `meanwhile` is run while it is made."""
    from sobook import downloads

    target = html_dir / "_static" / "downloads" / downloads.pdf_name()
    try:
        seconds = worker.make(html_dir, target, meanwhile)
    except BaseException as exc:
        worker.abort()
        if not isinstance(exc, Exception):
            raise
        cause = " ".join(str(exc).split())[:300]
        raise BuildError(f"the PDF edition could not be made: {cause}") from None
    return target, seconds


def swap_in(new: Path, dest: Path, move: bool = False) -> None:
    """Replace dest with a copy of new (or new itself, `move`: a temporary
    build's output) in one step: readers of dest see the old book or the new
    one, never a half-written one or none (an atomic exchange where the
    system has one)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=dest.parent))
    try:
        if move:
            shutil.move(new, staging / "html")  # a rename on one file system
        else:
            shutil.copytree(new, staging / "html")
        if dest.exists() and procs.exchange(staging / "html", dest):
            return  # the old book is now in staging, removed below
        if dest.exists():
            os.replace(dest, staging / "old")
        os.replace(staging / "html", dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
