"""nbval on the chapters (`pytest chapters --nbval --nbval-current-env`), made
readable for a person:

* a notebook stops at its first failing cell: the cells after it are
  skipped, not failed one by one (a data error in the setup cell would
  otherwise fail every later cell too);
* a chart's cell is compared by its text, which lists the values it draws
  ("2020 · Offshore · 1057.7 US$ billion") and a digest of its HTML and spec:
  a changed number shows as that line, not as a diff of Vega-Lite JSON.
"""

import pytest

# What nbval does not compare: the panel's HTML and Vega-Lite spec, which
# its text stands for (sobook.charts.panel.Panel._repr_mimebundle_).
NOT_COMPARED = ("text/html", "application/vnd.vegalite.v5+json")


def pytest_collection_modifyitems(items):
    for item in items:
        notebook = getattr(item, "parent", None)
        if hasattr(notebook, "skip_compare") and NOT_COMPARED[0] not in notebook.skip_compare:
            notebook.skip_compare = tuple(notebook.skip_compare) + NOT_COMPARED


def pytest_runtest_setup(item):
    failed = getattr(item.parent, "sobook_failed", None)
    if failed:
        pytest.skip(f"{failed} failed: the notebook stops there")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.when == "call" and not getattr(item.parent, "sobook_failed", None):
        item.parent.sobook_failed = item.name
