"""The pipeline: executing the chapters and making the book.

* ``book``: ``make book`` (``python -m sobook build``), in place;
* ``run``: ``sobook run``, chapters re-run on another data directory into a
  book of their own;
* ``execute``: papermill's command, one process and kernel per notebook;
* ``html``: Jupyter Book's strict HTML build, the PDF step, the swap into place;
* ``inputs``: what a notebook and the book depend on (their fingerprints);
* ``procs``: nothing left running, nothing half-done (signals, locks,
  temporary folders).

It runs Jupyter Book and the PDF edition (``sobook.pdf``) as commands and
never imports the Sphinx extension (``sobook.sphinx_ext``).
"""

from sobook.pipeline.book import build_main, validate_data
from sobook.pipeline.execute import BuildError
from sobook.pipeline.inputs import CHAPTERS, EXTRA_NOTEBOOKS
from sobook.pipeline.run import run_on_data

__all__ = ["CHAPTERS", "EXTRA_NOTEBOOKS", "BuildError", "build_main", "run_on_data", "validate_data"]
