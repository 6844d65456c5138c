"""How the outlook fared: every forecast and target of Section 2 of the report (2021-2025) set against
what was published afterwards, like for like.

    from sobook import fared
    items = fared.assess(data_dir)            # one Assessment per forecast, in the report's order
    fared.assessments_table(data_dir)         # the same as a tidy table (the data download)
    for name, value in fared.glue_values(data_dir).items():
        chapter.number(name, value)           # what the page glues

* ``verdicts``: the verdict words, defined once, and :func:`decide`, which chooses one from what the figures show;
* ``words``: the report's words, quoted from the chapter notebooks (never typed twice), and numbers as the page writes them;
* ``facts``: the data the tests read, an assessment's parts, and numbers computed from rows with their formulas;
* ``items``: every item of Section 2 in the report's order, its words from the data directory's
  outlook_fared.yaml, its numbers from the function registered for it (``@assessment(key)``), and the
  sentences of Section 2 no item assesses, each with why;
* ``trends``, ``opportunities``, ``outlook``: those functions, by the report's chapter;
* ``page``: the page's HTML (every text from the data escaped, only http(s) links);
* ``download``: the assessments as a table for the data download.

Like for like: each test compares figures in one currency and one vintage. Growth in RMB is compared with
growth in RMB; ISG's later figures are compared through the growth each release gives for its own year, never
with the report's older vintage; series whose definition changed (Belt and Road countries, enterprise types,
the demonstration cities) are never joined across the break.
"""

from sobook.fared.download import DOWNLOAD_NAME, assessments_resource, assessments_table  # noqa: F401
from sobook.fared.facts import (  # noqa: F401
    Assessment,
    Facts,
    Outcome,
    assessment,  # noqa: F401
)
from sobook.fared.items import PROSE, assess, left_out, prose, section_2  # noqa: F401
from sobook.fared.page import (  # noqa: F401
    ASSET,
    body_html,
    caption,
    definitions_html,
    glue_values,
    inventory,
    left_out_html,
    other_html,
    summary_html,
    summary_sentences,
    tally,
    verdict_block_html,
    verdict_html,
    where_html,
)
from sobook.fared.verdicts import CHAPTER_TITLES, DEFINITIONS, Verdict, decide  # noqa: F401
from sobook.fared.words import QuoteError, paragraph, pct, quote, rate, share  # noqa: F401
