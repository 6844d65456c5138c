"""The claims ledger: the report's arithmetic, re-done from its own figures.

    from sobook import ledger
    df = ledger.compute()              # one row per claim (check) of data/claims.csv
    ledger.summary(df)                 # counts by section: checks, and statements each counted once
    ledger.by_kind(df)                 # checks by kind (KIND_RULES: one rule per kind)
    ledger.coverage()                  # what the ledger covers, counted (for the front page)
    ledger.paragraph_notes(df)         # a translator's note per paragraph on what does not hold
    ledger.verdicts_table()            # the verdicts for the data download, with verdicts_resource()

Every row of ``data/claims.csv`` is a quantitative statement of the report (its
stated value quoted from the cleaned original, like any report row of the data
package) with ``check_formula``, an expression over the package's ``row_id``
values that should give the same number: a total from its parts, a share, an
average annual growth over the right number of years, and so on.

The tolerance rule (stated in plain words on the ledger page, the verdicts
defined once in ``rules.VERDICT_RULES``):

* every printed number stands for an interval, half a unit of its last printed
  digit either side (7110.6亿美元 is 7110.55 to 7110.65; 1.2亿美元 is 1.15 to
  1.25). A whole number ending in zeros (900, 1,700, 2万亿) may have been rounded
  to its last non-zero digit, so 900 is read as 850 to 950: the most generous
  reading;
* **consistent**: the formula evaluated on the printed inputs rounds to the
  stated value at the precision it is printed with (for a bound: keeps to it);
* **consistent within rounding**: not exactly, but the range the formula takes
  over all the inputs' intervals (computed by interval arithmetic, which can
  only make it wider) overlaps the stated value's interval by more than a
  point: ranges that only touch at a rounding boundary do not count (1057.75
  is printed 1057.8, never 1057.7);
* **differs in the last digit**: no overlap, and the recomputed value rounded
  as the stated one is printed is one unit of its last digit away;
* **inconsistent**: no overlap, by more than that (or a bound broken);
* **not checkable**: no formula (the note says which figure is missing).

Bounds (kinds at_most, at_least, ranks_first) hold when the stated value keeps
to the recomputed one, within rounding when some reading of the roundings lets
it. A count (list_count, whole_number) has no rounding.

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
ledger page's HTML), ``notes`` (the translator's notes on what does not hold, for the chapters) and ``download``
(the verdicts for the data download).
"""

from sobook.ledger.compute import (  # noqa: F401
    Result,
    by_kind,
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
from sobook.ledger.intervals import Interval, interval_eval, list_items, point_eval  # noqa: F401
from sobook.ledger.notes import md, note_markdown, paragraph_notes, sources_text  # noqa: F401
from sobook.ledger.page import (  # noqa: F401
    ASSETS,
    block_pages,
    coverage_html,
    definitions_html,
    difference_text,
    failures_html,
    failures_markdown,
    glue_summary,
    paragraph_link,
    range_text,
    show,
    summary_markdown,
    table_markdown,
)
from sobook.ledger.rules import (  # noqa: F401
    FAILS,
    HOLDS,
    KIND_RULES,
    KINDS,
    RESOURCE,
    SECTIONS,
    VERDICT_RULES,
    VERDICTS,
    LedgerError,
)
from sobook.ledger.text import anchor, display_decimals, recomputed_text, stated_text  # noqa: F401
