"""The data an assessment reads (the report's rows and their outcomes), and an assessment's parts."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sobook import data
from sobook.fared.verdicts import Verdict, decide
from sobook.fared.words import is_year
from sobook.statements import Operand
from sobook.text import quantity

RANK = {"report": 0, "release": 1, "derived": 2}

# --------------------------------------------------------------------------
# the data


@dataclass(frozen=True)
class Outcome:
    """One figure shown as an outcome (or as the base the test starts from)."""

    period: str
    label: str          # what the figure is ("offshore executed value")
    value: float
    unit: str
    qualifier: str
    row_id: str
    provenance: str     # report, release or derived
    source: str         # who published it (a reprint says so), or the formula
    url: str            # the address as the row gives it (may lack a scheme)

    @property
    def text(self) -> str:
        return f"{self.period}: {quantity(self.value, self.unit, self.qualifier)}, {self.label}"


class Facts:
    """The data directory's rows, each of the report's resources together with
    its outcomes, whichever way the directory holds them; it remembers the
    resources read (the numbers an assessment's sentences may name)."""

    def __init__(self, data_dir):
        self.dir = Path(data_dir)
        self.frames = data.load_all(self.dir)
        self.read: set[str] = set()

    def __call__(self, name: str) -> pd.DataFrame:
        names = [n for n in (name, name + "_outcomes") if n in self.frames]
        if not names:
            raise data.DataError(f"{self.dir}: no resource named {name!r}")
        self.read.update(names)
        return pd.concat([self.frames[n] for n in names], ignore_index=True) if len(names) > 1 else self.frames[name]

    def ledger_verdicts(self, *claim_ids: str) -> dict[str, str]:
        """The claims ledger's verdicts on the claims named (those the data directory has)."""
        if not hasattr(self, "_ledger"):
            from sobook import ledger

            self._ledger = ledger.compute(self.dir).set_index("claim_id")["verdict"]
        return {c: self._ledger[c] for c in claim_ids if c in self._ledger.index}


def pick(df: pd.DataFrame, **where) -> pd.DataFrame:
    """Rows where each column equals the value (or is in the list) given."""
    for col, want in where.items():
        if col not in df.columns:
            return df.iloc[0:0]
        df = df[df[col].isin(want) if isinstance(want, (list, tuple, set)) else df[col].eq(want)]
    return df


def one(df: pd.DataFrame, **where):
    """The one row matching, or None (never a guess between two): the report's before a release's, a release's
    before a derived one."""
    rows = pick(df, **where)
    if len(rows) > 1:
        rank = rows["provenance"].map(RANK)
        rows = rows[rank == rank.min()]
    return rows.iloc[0] if len(rows) == 1 else None


def by_year(df: pd.DataFrame, after: int | None = None, derived: bool = False) -> dict[str, pd.Series]:
    """{year: row} for single years (not forecasts), the report's row first,
    then a release's, then (with `derived`) a derived one."""
    rows = df[df["period"].map(is_year) & (df["value_status"] != "forecast")]
    if not derived:
        rows = rows[rows["provenance"] != "derived"]
    rows = rows.assign(_r=rows["provenance"].map(RANK)).sort_values(["period", "_r"], kind="stable")
    out = {}
    for _, r in rows.iterrows():
        if (after is None or int(r["period"]) > after) and r["period"] not in out:
            out[r["period"]] = r
    return dict(sorted(out.items()))


def outcome(row, label: str) -> Outcome:
    prov = row["provenance"]
    if prov == "report":
        source = f"the report, paragraph {row['source_block_id']}"
    elif prov == "derived":
        source = f"computed by the edition: {row['source_note'] or row['formula']}"
    else:
        source = str(row["source_note"]).split(";")[0].strip()
    return Outcome(str(row["period"]), label, float(row["value"]), row["unit"], row.get("qualifier") or "",
                   row["row_id"], prov, source, row.get("source_url") or "")


# --------------------------------------------------------------------------
# one forecast, assessed


@dataclass
class Assessment:
    key: str
    chapter: str
    block: str
    title: str
    quote: str
    forecast: str = ""                # the forecast in short, numbers from the data
    test: str = ""                    # what is compared with what
    basis: str = ""                   # the currency and vintage of the test
    finding: str = ""                 # why this verdict, with the numbers
    caveat: str = ""                  # comparability
    outcomes: list[Outcome] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)   # what the edition computed, in words with numbers
    # what the verdict follows from (sobook.fared.verdicts.decide)
    measurable: bool = True           # the forecast names a quantity a published figure could test
    found: bool = True                # a figure after 2020 that bears on it was found
    comparable: bool = True           # ... in the forecast's definition, currency and vintage
    passes: bool | None = None        # the figures found pass the test
    missing: list[str] = field(default_factory=list)    # what the test needs and was not found ("2025", "Macao")
    target_value: float | None = None
    target_unit: str = ""
    target_period: str = ""
    numbers: dict = field(default_factory=dict)          # the test's numbers, for the tests to recompute
    statements: list = field(default_factory=list)       # the words chosen by sobook.statements
    resources: tuple = ()             # the data package's resources it read
    sentences: tuple = ()             # the sentences of the original it assesses, as (block, number)
    section: bool = True              # has a section of its own on the page (else listed at the end)
    chart: str = ""                   # a chart the page places in its section

    @property
    def verdict(self) -> Verdict:
        return decide(measurable=self.measurable, found=self.found, comparable=self.comparable,
                      complete=not self.missing, passes=self.passes)

    @property
    def sources(self) -> list[tuple[str, str]]:
        seen, out = set(), []
        for o in self.outcomes:
            if o.provenance == "release" and (o.source, o.url) not in seen:
                seen.add((o.source, o.url))
                out.append((o.source, o.url))
        return out


# --------------------------------------------------------------------------
# numbers computed from rows, each with the formula it follows from (sobook.statements.Operand)


def value_of(row) -> Operand:
    """A row's value as an operand of the words chosen from it."""
    return Operand(row["row_id"], float(row["value"]))


def growth_factor(rates: list) -> Operand:
    """Growth over consecutive years chained from each year's rate (rows of % change): 1.29 × 1.065 …"""
    formula = " * ".join(f"(1 + {r['row_id']} / 100)" for r in rates)
    return Operand(formula, math.prod(1 + float(r["value"]) / 100 for r in rates))


def ratio_of(a: Operand, b: Operand) -> Operand:
    return Operand(f"({a.formula}) / ({b.formula})", a.value / b.value)


def annual_rate(factor: Operand, years: int) -> Operand:
    """The average rate a year (%) of a growth factor over `years` years."""
    return Operand(f"(({factor.formula}) ** (1 / {years}) - 1) * 100", (factor.value ** (1 / years) - 1) * 100)


def difference(a: Operand, b: Operand) -> Operand:
    return Operand(f"({a.formula}) - ({b.formula})", a.value - b.value)


# The functions that assess the items, by key: the chapters' modules register
# theirs (trends, opportunities, outlook); sobook.fared.items calls them.
ASSESSMENTS: dict[str, Callable] = {}


def assessment(key: str):
    """Register the function that assesses item `key` from the data: it takes the Facts and returns the
    Assessment's fields it computes (outcomes, finding, passes, missing, numbers, statements, ...) and
    ``slots``, the values the item's templates name."""
    def register(fn):
        ASSESSMENTS[key] = fn
        return fn

    return register
