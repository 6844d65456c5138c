"""The claims ledger: the report's arithmetic, re-done from its own figures.

    from sobook import ledger
    df = ledger.compute()              # one row per claim (check) of data/claims.csv
    ledger.summary(df)                 # counts by section: checks, and statements each counted once
    ledger.coverage(df)                # checks by kind (KIND_RULES: one rule per kind)
    ledger.verdicts_table()            # the verdicts for the data download, with verdicts_resource()

Every row of ``data/claims.csv`` is a quantitative statement of the report (its
stated value quoted from the cleaned original, like any report row of the data
package) with ``check_formula``, an expression over the package's ``row_id``
values that should give the same number: a total from its parts, a share, an
average annual growth over the right number of years, and so on.

The tolerance rule (stated in plain words on the ledger page):

* every printed number stands for an interval, half a unit of its last printed
  digit either side (7110.6亿美元 is 7110.55 to 7110.65; 1.2亿美元 is 1.15 to
  1.25). A whole number ending in zeros (900, 1,700, 2万亿) may have been rounded
  to its last non-zero digit, so 900 is read as 850 to 950: the most generous
  reading;
* **consistent**: the formula evaluated on the printed inputs rounds to the
  stated value at the precision it is printed with;
* **consistent within rounding**: not exactly, but the range the formula takes
  over all the inputs' intervals (computed by interval arithmetic, which can
  only make it wider) overlaps the stated value's interval;
* **inconsistent**: no overlap even so;
* **not checkable**: no formula (the note says which figure is missing).

A statement the report makes once may be checked in two ways (two rows of
claims.csv): the summary counts it once, with the verdict of its worse check.

Hedged statements: "more than X" holds when the recomputed value exceeds X (within
rounding when the upper end of its range does); "about X" and "nearly X" are
read like X itself, with the whole-number rule above.

Inputs that are derived rows of the package are replaced by their own formulas,
so every recomputation starts from printed (report or release) figures. Formulas
are parsed with :mod:`ast` and only numbers, row ids, ``+ - * / **``, unary
minus and ``abs``/``round`` are allowed: nothing is ever passed to ``eval``.

The package: ``rules`` (the verdicts and the rule of each kind of check), ``intervals`` (interval arithmetic over
the printed precision), ``inputs`` (the precision of printed numbers, the package's rows as inputs), ``compute``
(every check, its verdict, the summary and coverage), ``text`` (numbers as the page writes them), ``page`` (the
ledger page's HTML) and ``download`` (the verdicts for the data download).
"""

from sobook.ledger.compute import (  # noqa: F401
    Result,
    check,
    claims,
    compute,
    coverage,
    judge,
    statement_key,
    statement_verdicts,
    summary,
)
from sobook.ledger.download import DOWNLOAD_NAME, verdicts_resource, verdicts_table  # noqa: F401
from sobook.ledger.inputs import (  # noqa: F401
    Precision,
    Row,
    expand,
    generous_step,
    input_interval,
    inputs,
    package_rows,
    precision,
    readable,
)
from sobook.ledger.intervals import Interval, interval_eval, point_eval  # noqa: F401
from sobook.ledger.page import (  # noqa: F401
    ASSETS,
    block_pages,
    coverage_html,
    difference_text,
    glue_summary,
    inconsistencies_html,
    paragraph_link,
    range_text,
    show,
    stated_text,
    table_markdown,
)
from sobook.ledger.rules import (  # noqa: F401
    KIND_RULES,
    KINDS,
    RESOURCE,
    SECTIONS,
    VERDICTS,
    LedgerError,
)
from sobook.ledger.text import anchor, display_decimals, fmt, recomputed_text  # noqa: F401
