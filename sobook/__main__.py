"""Command line: `python -m sobook build`, `run` and `pdf`.

Every failure a person can cause or meet (bad data, a bad option, a chapter
that fails, a killed worker, an interrupt) ends in one line on stderr and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
from pathlib import Path

from sobook.pipeline import CHAPTERS, EXTRA_NOTEBOOKS, BuildError, build_main, run_on_data
from sobook.pipeline.book import BUILD_DIR
from sobook.pipeline.procs import Interrupted, reap_stale_workspaces, signals_as_exceptions


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n}: at least one notebook must run at a time")
    return n


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # One line, not argparse's usage block: the help is one option away.
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def main(argv=None) -> int:
    parser = _Parser(prog="python -m sobook", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    b = sub.add_parser("build", help="execute changed chapters in place and build _build/html")
    b.add_argument("--jobs", type=_jobs, default=2, help="notebooks executed at once (default 2)")
    r = sub.add_parser(
        "run",
        help="re-run chapters on another data directory into a separate book",
        description=(
            f"Chapters: {', '.join(CHAPTERS + EXTRA_NOTEBOOKS)} (all of them when none is named). "
            "DIR is validated first; the chapters run on a copy of the book, never on the committed "
            "notebooks; the new book replaces OUTDIR only when everything succeeded."
        ),
    )
    r.add_argument("chapters", nargs="*", metavar="CHAPTER")
    r.add_argument("--data-dir", required=True, type=Path, metavar="DIR",
                   help="a data directory: CSVs and their datapackage.json (start from a copy of data/)")
    r.add_argument("--out", required=True, type=Path, metavar="OUTDIR",
                   help="where the HTML book goes (not inside the repository's committed folders)")
    r.add_argument("--jobs", type=_jobs, default=2, help="notebooks executed at once (default 2)")
    r.add_argument("--pdf", action=argparse.BooleanOptionalAction, default=None,
                   help="make the PDF edition too (default: for a whole book, not for chapters named)")
    p = sub.add_parser("pdf", help="print a built book's PDF edition into its _static/downloads/")
    p.add_argument("book", nargs="?", type=Path, default=BUILD_DIR / "html", metavar="BOOKDIR",
                   help="the built HTML book (default _build/html)")
    v = sub.add_parser("validate", help="list every error of a data directory, one line each")
    v.add_argument("data_dir", type=Path, metavar="DIR", help="a data directory: CSVs and their datapackage.json")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args.data_dir)
    try:
        with signals_as_exceptions():
            reap_stale_workspaces(BUILD_DIR)
            if args.command == "build":
                out = build_main(args.jobs)
            elif args.command == "run":
                out = run_on_data(args.chapters, args.data_dir, args.out, args.jobs, args.pdf)
            else:
                from sobook import pdf

                print(pdf.make_for_book(args.book))
                return 0
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (OSError, shutil.Error, RecursionError) as exc:
        print(f"error: {cannot(exc)}", file=sys.stderr)
        return 1
    except (Interrupted, KeyboardInterrupt) as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        print(f"error: interrupted ({signal.Signals(signum).name}); nothing was half-written", file=sys.stderr)
        return 128 + signum
    print(f"The book is at {out / 'index.html'}")
    return 0


def cannot(exc: BaseException) -> str:
    """A place that cannot be written, read or found, in one line: the path
    and the system's reason (a copy that failed on many files: the first and
    how many more)."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        errors = exc.args[0]
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"cannot copy {first[0]} to {first[1]}: {str(first[2]).split(': ', 1)[0]}{more}"
    if isinstance(exc, RecursionError):
        return "a structure nested too deeply to read (maximum recursion depth)"
    where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
    return f"cannot use {where}{getattr(exc, 'strerror', None) or exc}"


def _validate(data_dir: Path) -> int:
    """Every problem on stdout, one line each, and their count on stderr."""
    import os

    from sobook import data

    try:
        found = data.problems(data_dir)
    except data.DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        print("\n".join(found) if found else f"{data_dir}: valid ({data.validate(data_dir)})", flush=True)
    except BrokenPipeError:  # the reader stopped reading (`| head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if found:
        print(f"error: {len(found)} error{'s' * (len(found) > 1)} in {data_dir}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
