"""The data an assessment reads (the report's rows and their outcomes), and an assessment's parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sobook import data
from sobook.fared.verdicts import DEFINITIONS, Verdict, decide
from sobook.fared.words import _is_year, fmt, quote

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
        return f"{self.period}: {fmt(self.value, self.unit, self.qualifier)}, {self.label}"


class Facts:
    """The data directory's rows, the report's resources together with their
    outcomes, whichever way the directory holds them."""

    def __init__(self, data_dir):
        self.dir = Path(data_dir)
        self.frames = data.load_all(self.dir)

    def __call__(self, name: str) -> pd.DataFrame:
        frames = [self.frames[name]] if name in self.frames else []
        if name + "_outcomes" in self.frames:
            frames.append(self.frames[name + "_outcomes"])
        if not frames:
            raise data.DataError(f"{self.dir}: no resource named {name!r}")
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def pick(df: pd.DataFrame, **where) -> pd.DataFrame:
    """Rows where each column equals the value (or is in the list) given."""
    mask = pd.Series(True, index=df.index)
    for col, want in where.items():
        mask &= df[col].isin(want) if isinstance(want, (list, tuple, set)) else df[col].eq(want)
    return df[mask]


def one(df: pd.DataFrame, **where):
    """The one row matching, or None (never a guess between two)."""
    rows = pick(df, **where)
    if len(rows) > 1:
        rank = rows["provenance"].map({"report": 0, "release": 1, "derived": 2})
        rows = rows[rank == rank.min()]
    return rows.iloc[0] if len(rows) == 1 else None


def by_year(df: pd.DataFrame, after: int | None = None, derived: bool = False) -> dict[str, pd.Series]:
    """{year: row} for single years (not forecasts), the report's row first,
    then a release's, then (with `derived`) a derived one."""
    out = {}
    rank = {"report": 0, "release": 1, "derived": 2}
    rows = df[df["period"].map(_is_year) & (df["value_status"] != "forecast")]
    if not derived:
        rows = rows[rows["provenance"] != "derived"]
    rows = rows.assign(_r=rows["provenance"].map(rank)).sort_values(["period", "_r"], kind="stable")
    for _, r in rows.iterrows():
        if (after is None or int(r["period"]) > after) and r["period"] not in out:
            out[r["period"]] = r
    return dict(sorted(out.items()))


def outcome(row, label: str) -> Outcome:
    prov = row["provenance"]
    if prov == "report":
        source = "the report"
    elif prov == "derived":
        source = f"computed by the edition: {row['formula']}"
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
    forecast: str                     # the forecast in short, numbers from the data
    verdict: Verdict
    test: str = ""                    # what is compared with what
    basis: str = ""                   # the currency and vintage of the test
    outcomes: list[Outcome] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)   # what the edition computed, in words with numbers
    finding: str = ""                 # why this verdict, with the numbers
    caveat: str = ""                  # comparability
    target_value: float | None = None
    target_unit: str = ""
    target_period: str = ""
    numbers: dict = field(default_factory=dict)          # the test's numbers, for the tests to recompute
    section: bool = True              # has a section of its own on the page (else listed at the end)
    chart: str = ""                   # a chart the page places in its section

    @property
    def sources(self) -> list[tuple[str, str]]:
        seen, out = set(), []
        for o in self.outcomes:
            if o.provenance == "release" and (o.source, o.url) not in seen:
                seen.add((o.source, o.url))
                out.append((o.source, o.url))
        return out


def _words(chapter, block, key, title, start, end=None, lead=None, cut=False, forecast="", verdict=None,
           finding="", caveat="", **kw) -> Assessment:
    verdict = verdict or decide(measurable=False)
    return Assessment(key, chapter, block, title, quote(chapter, block, start, end, lead=lead, cut=cut),
                      forecast, verdict, finding=finding or DEFINITIONS[verdict], caveat=caveat, **kw)
