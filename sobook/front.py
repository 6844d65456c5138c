"""The front page's key figures: a handful of the report's headline numbers,
each read from the data the book is built from and linked to the chart that
draws that number (the first in the book's order whose data has its row), or,
where no chart does, to the paragraph of the report that gives it. The words
around each number (up or down) are chosen from the number by
sobook.statements, and carried with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sobook import data
from sobook import statements as st
from sobook.text import number, quantity


@dataclass(frozen=True)
class KeyFigure:
    value: str      # "US$175.35 billion"
    label: str      # what it is
    detail: str     # a second line: a change, a share, a period
    href: str       # the report's paragraph, relative to the book's root ("" if on no page); the book
                    # links a chart that draws the row instead (sphinx_ext.panels)
    link_text: str  # "the report's text"
    statements: list = field(default_factory=list)  # the words chosen for its detail
    row: str = ""   # the data package's row of its number


def _row(frames, resource: str, row_id: str) -> dict:
    df = frames[resource]
    rows = df[df["row_id"] == row_id]
    if len(rows) != 1:
        raise data.DataError(f"{df.attrs.get('path', resource)}: the front page needs row '{row_id}', found {len(rows)}")
    return rows.iloc[0].to_dict()


def _paragraph(row: dict) -> tuple[str, str]:
    """The report's paragraph a key figure is from: its link until the book
    finds a chart that draws the figure's row (sphinx_ext.panels)."""
    from sobook.charts import book

    block = row.get("source_block_id") or ""
    page = book.block_pages().get(block)
    return (f"chapters/{page}.html#{block}", "the report's text") if page else ("", "the report's text")


def _change(row: dict, against: str) -> tuple[str, list]:
    """The detail line of a change ("up 10.9% on 2019") and the word chosen."""
    word = st.sign(st.Operand(row["row_id"], float(row["value"])), words=("up", "down", "unchanged"))
    size = f" {quantity(abs(float(row['value'])), '% change', signed=False)}" if word != "unchanged" else ""
    return f"{word}{size} on {against}", [word]


def _money(row: dict) -> str:
    """US$ billions of a thousand or more as trillions, as the report writes them (2万亿美元)."""
    v, q = float(row["value"]), row.get("qualifier") or ""
    if row["unit"] == "US$ billion" and v >= 1000:
        return (f"{q} " if q else "") + f"US${number(v / 1000)} trillion"
    return quantity(v, row["unit"], q)


def key_figures(data_dir: Path) -> list[KeyFigure]:
    frames = data.load_all(data_dir)
    ev = "china_outsourcing_executed_value"
    total, growth = _row(frames, ev, "ev_total_2020"), _row(frames, ev, "ev_total_growth_2020")
    offshore, off_growth = _row(frames, ev, "ev_offshore_2020"), _row(frames, ev, "ev_offshore_growth_2020")
    cum, cagr = _row(frames, ev, "ev_total_cum_2016_2020"), _row(frames, ev, "ev_total_cagr_2016_2020")
    share = _row(frames, "china_offshore_outsourcing_export_shares", "xs_share_services_exports_2020")
    jobs = _row(frames, "china_outsourcing_employment", "em_total_2020")
    jobs_growth = _row(frames, "china_outsourcing_employment", "em_growth_vs_2015")
    new_jobs = _row(frames, "china_outsourcing_employment", "em_new_2021_2025_forecast")
    world = _row(frames, "global_offshore_outsourcing", "go_2025")
    q = lambda r: r.get("qualifier") or ""  # noqa: E731

    def figure(row: dict, value: str, label: str, detail: str, words=()) -> KeyFigure:
        return KeyFigure(value, label, detail, *_paragraph(row), list(words), row["row_id"])

    return [
        figure(total, quantity(total["value"], total["unit"], q(total)), "executed value of service outsourcing, 2020",
               *_change(growth, "2019")),
        figure(offshore, quantity(offshore["value"], offshore["unit"], q(offshore)), "of it offshore, for clients abroad",
               *_change(off_growth, "2019")),
        figure(share, quantity(share["value"], share["unit"], q(share)), "of China's services exports were offshore "
               "service outsourcing, 2020", "as the report gives it"),
        figure(cum, quantity(cum["value"], cum["unit"], q(cum)), "executed in 2016–2020",
               f"{quantity(cagr['value'], cagr['unit'], signed=False)} on average"),
        figure(jobs, quantity(jobs["value"], jobs["unit"], q(jobs)), "employed in service outsourcing at the end of 2020",
               *_change(jobs_growth, "2015")),
        figure(new_jobs, f"{q(new_jobs)} {number(new_jobs['value'])} million".strip(),
               "new employees the outlook expects in 2021–2025", "a forecast of the report"),
        figure(world, _money(world), "global offshore service outsourcing forecast for 2025",
               "the China Service Outsourcing Research Center's forecast"),
    ]
