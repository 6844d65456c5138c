"""The build: executing the chapters and making the HTML book.

* ``book``: ``make book`` (``python -m sobook build``), in place;
* ``run``: ``sobook run``, chapters re-run on another data directory into a
  book of their own;
* ``execute``: papermill, one kernel per notebook, two at a time;
* ``kernels``: warm kernels, forked from a server that has done the imports;
* ``html``: Jupyter Book's strict HTML build, started while the kernels run;
* ``inputs``: what a notebook and the book depend on (their fingerprints);
* ``procs``: nothing left running, nothing half-done (signals, locks,
  temporary folders).

The Sphinx extension (``sobook.sphinx_ext``) does not import any of this.
"""

from sobook.pipeline.book import build_main, validate_data
from sobook.pipeline.execute import BuildError
from sobook.pipeline.inputs import CHAPTERS, EXTRA_NOTEBOOKS
from sobook.pipeline.run import run_on_data

__all__ = ["CHAPTERS", "EXTRA_NOTEBOOKS", "BuildError", "build_main", "run_on_data", "validate_data"]
