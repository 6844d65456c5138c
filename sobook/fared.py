"""How the outlook fared: every forecast and target of Section 2 of the report
(2021-2025) set against what was published afterwards, like for like.

    from sobook import fared
    items = fared.assess(data_dir)            # one Assessment per forecast, in the report's order
    fared.assessments_table(data_dir)         # the same as a tidy table (the data download)
    for name, value in fared.glue_values(data_dir).items():
        chapter.number(name, value)           # what the page glues

Everything the page says about numbers comes from here, and everything here
comes from the data directory: the report's words (quoted from the chapter
notebooks, never typed twice), the report's figures and what was published
afterwards (the ``<resource>_outcomes`` resources and
``china_offshore_outsourcing_breakdowns``, or the same rows appended to the
series in another data directory), and the verdict, chosen by one function
(:func:`decide`) from what the numbers show.

Like for like: each test compares figures in one currency and one vintage.
Growth in RMB is compared with growth in RMB; ISG's later figures are compared
through the growth each release gives for its own year, never with the
report's older vintage; series whose definition changed (Belt and Road
countries, enterprise types, the demonstration cities) are never joined across
the break.

Text from the data reaches the page only HTML-escaped, inside raw HTML blocks
(no Markdown is parsed in them), and only http(s) addresses become links.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pandas as pd

from sobook import data

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"

CHAPTER_TITLES = {
    "trends": "Development trends",
    "opportunities": "Opportunities",
    "challenges": "Challenges",
    "outlook": "Development outlook",
}

# --------------------------------------------------------------------------
# the verdicts, defined once


class Verdict(str, Enum):
    MET = "Met"
    MISSED = "Missed"
    HOLDS = "Holds where known"
    FAILS = "Fails where known"
    NOT_COMPARABLE = "Cannot be judged"
    NO_OUTCOME = "No outcome found"
    NOT_TESTABLE = "Not testable"


DEFINITIONS = {
    Verdict.MET: "Every figure the test needs was found, in one currency and one vintage, and they pass it.",
    Verdict.MISSED: "Every figure the test needs was found, in one currency and one vintage, and they fail it.",
    Verdict.HOLDS: "A figure the test needs was not found (often 2025's), and every comparable figure found passes it.",
    Verdict.FAILS: "A figure the test needs was not found (often 2025's), and the latest comparable figures found fail it.",
    Verdict.NOT_COMPARABLE: "Figures were found, but none measures what the forecast does in one definition, "
                            "currency and vintage, and none can be rebased.",
    Verdict.NO_OUTCOME: "No figure published after 2020 that measures it was found.",
    Verdict.NOT_TESTABLE: "The forecast names no quantity (or no year) that a published figure could test.",
}


def decide(*, measurable: bool = True, found: bool = True, comparable: bool = True,
           complete: bool = False, passes: bool | None = None) -> Verdict:
    """The verdict from what the figures show (the one place verdicts are chosen)."""
    if not measurable:
        return Verdict.NOT_TESTABLE
    if not found:
        return Verdict.NO_OUTCOME
    if not comparable or passes is None:
        return Verdict.NOT_COMPARABLE
    if complete:
        return Verdict.MET if passes else Verdict.MISSED
    return Verdict.HOLDS if passes else Verdict.FAILS


# --------------------------------------------------------------------------
# the report's English, quoted from the chapter notebooks

_ROLE_WITH_TARGET = re.compile(r"\{(term|doc|ref)\}`([^`<]*?)\s*<[^`>]*>`")
_ROLE = re.compile(r"\{(term|doc|ref)\}`([^`]*)`")
_TN = re.compile(r"\{tn\}`[^`]*`")
_FOOTREF = re.compile(r"\[\^fn\d+\]")


class QuoteError(LookupError):
    """A quote's words are not (or no longer) in the chapter."""


def paragraph(chapter: str, block: str) -> str:
    """The English paragraph of `chapter` that translates block `block` of the
    original, as plain MyST text: glossary links and footnote markers removed,
    translator's notes (the edition's words, not the report's) left out."""
    path = CHAPTERS / f"{chapter}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        m = re.search(r"```\{original\}([^\n]*)", text)
        if not m or block not in m.group(1).split():
            continue
        body = re.split(r"\n(?:```|:::)", text, maxsplit=1)[0]
        body = "\n".join(line for line in body.splitlines() if not line.startswith("[^fn"))
        body = _TN.sub("", body)
        body = _ROLE_WITH_TARGET.sub(lambda m: m.group(2), body)
        body = _ROLE.sub(lambda m: m.group(2), body)
        body = _FOOTREF.sub("", body)
        return re.sub(r"[ \t]+", " ", body).replace(" .", ".").replace(" ,", ",").strip()
    raise QuoteError(f"{path}: no paragraph translates block {block!r}")


def quote(chapter: str, block: str, start: str, end: str | None = None, lead: str | None = None,
          cut: bool = False) -> str:
    """The report's words from `start` to the end of the sentence in which
    `end` occurs (or in which `start` does); with `cut`, up to `end` itself,
    then '…'. With `lead`, the sentence is quoted from its own beginning up to
    `lead`, then '…', then from `start`."""
    text = paragraph(chapter, block)
    i = text.find(start)
    if i < 0:
        raise QuoteError(f"chapters/{chapter}.ipynb, block {block}: the words {start!r} are not in the paragraph")
    j = text.find(end, i) + len(end) if end else i + len(start)
    if end and j < len(end):
        raise QuoteError(f"chapters/{chapter}.ipynb, block {block}: the words {end!r} are not in the paragraph")
    stop = re.search(r"[.!?](?=\s|$)", text[j - 1:])
    k = j - 1 + stop.end() if stop else len(text)
    words = text[i:j] + " …" if cut and j < k else text[i:k]
    if i > 0 and not re.search(r"[.!?]\s*$", text[:i]):
        words = "…" + words
        if lead:
            s0 = max(text.rfind(". ", 0, i) + 2, 0) if ". " in text[:i] else 0
            head = text[s0:text.find(lead, s0) + len(lead)]
            words = head + " … " + words.lstrip("…")
    return words


# --------------------------------------------------------------------------
# numbers as the page writes them


def _num(v: float) -> str:
    """A number as printed: thousands separators, no spurious trailing zeros."""
    v = float(v)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.3f}".rstrip("0").rstrip(".")


def fmt(value: float, unit: str, qualifier: str = "") -> str:
    """A value with its unit ('RMB 895.3 billion', '+12.7%', '37.7%')."""
    q = f"{qualifier} " if qualifier else ""
    v = float(value)
    sign = "−" if v < 0 else ""
    a = abs(v)
    if unit == "US$ billion":
        if a >= 1000 and abs(round(a / 1000, 2) - a / 1000) < 1e-9:
            return f"{q}{sign}US${_num(a / 1000)} trillion"
        return f"{q}{sign}US${_num(a)} billion"
    if unit == "RMB billion":
        return f"{q}{sign}RMB {_num(a)} billion"
    if unit == "RMB trillion":
        return f"{q}{sign}RMB {_num(a)} trillion"
    if unit == "% change":
        return f"{q}{'−' if v < 0 else '+'}{_num(a)}%"
    if unit == "% per year":
        return f"{q}{'−' if v < 0 else ''}{_num(a)}% a year"
    if unit == "% of total":
        return f"{q}{_num(v)}%"
    if unit == "percentage points":
        return f"{q}{'−' if v < 0 else '+'}{_num(a)} percentage points"
    if unit == "million persons":
        return f"{q}{_num(v)} million people"
    if unit in ("cities", "enterprises"):
        return f"{q}{_num(v)} {unit}"
    return f"{q}{_num(v)} {unit}"


def pct(v: float, decimals: int = 1) -> str:
    """A computed rate of change, rounded for reading ('+12.3%')."""
    r = round(float(v), decimals)
    return ("−" if r < 0 else "+") + f"{abs(r):,.{decimals}f}%"


def rate(v: float, decimals: int = 1) -> str:
    """An average rate, rounded for reading ('12.3%', '−2.4%')."""
    r = round(float(v), decimals)
    return ("−" if r < 0 else "") + f"{abs(r):,.{decimals}f}%"


def share(v: float, decimals: int = 1) -> str:
    return f"{round(float(v), decimals):,.{decimals}f}%"


def _list(items) -> str:
    items = [str(i) for i in items]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _is_year(p) -> bool:
    return bool(re.fullmatch(r"\d{4}", str(p)))


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


# ---------------------------------------------------------------- trends


def _global_size(F: Facts) -> Assessment:
    go = F("global_offshore_outsourcing")
    fg = one(go, measure="avg_annual_growth", period="2021-2025", value_status="forecast")
    fv = one(go, measure="executed_value", period="2025", value_status="forecast")
    base = one(go, measure="executed_value", period="2020", provenance="report")
    levels = by_year(pick(go, measure="executed_value"), after=2020)
    growth = by_year(pick(go, measure="yoy_growth"), after=2020)
    outs = [outcome(base, "the report's estimate for 2020")]
    for y, r in levels.items():
        outs.append(outcome(r, "estimate of the next edition of the report" if r["value_status"] == "estimate"
                            else "executed value"))
        if y in growth:
            outs.append(outcome(growth[y], "growth on its own estimate for the year before"))
    frate = float(fg["value"])
    nums, computed = {"forecast_rate": frate, "target": float(fv["value"]), "base": float(base["value"])}, []
    known = sorted(levels)
    if "2025" in levels:
        v = float(levels["2025"]["value"])
        cagr = ((v / base["value"]) ** (1 / 5) - 1) * 100
        nums.update(level_2025=v, cagr=cagr)
        passes = v >= fv["value"] and cagr > frate
        verdict = decide(complete=True, passes=passes)
        finding = (f"The 2025 estimate is {fmt(v, 'US$ billion')}, {'at or above' if v >= fv['value'] else 'below'} "
                   f"the forecast of {fmt(fv['value'], 'US$ billion')}: {rate(cagr)} a year since 2020.")
    elif known:
        y = known[-1]
        # the growth each edition gives against its own estimate for the year before (one vintage a year)
        chain = [y2 for y2 in (str(k) for k in range(2021, int(y) + 1))]
        if all(c in growth for c in chain):
            index = math.prod(1 + float(growth[c]["value"]) / 100 for c in chain)
            how = "the growth the next edition gives for each year against its own estimate for the year before"
        else:
            index = float(levels[y]["value"]) / float(base["value"])
            how = "the estimate over the report's 2020 estimate"
        cagr = (index ** (1 / (int(y) - 2020)) - 1) * 100
        nums.update(latest_year=y, index=index, cagr=cagr)
        passes = cagr > frate
        verdict = decide(complete=False, passes=passes)
        finding = (f"By {y} estimated growth was {rate(cagr)} a year since 2020 ({how}), "
                   f"{'above' if passes else 'not above'} the forecast of more than {_num(frate)}% a year. "
                   f"No estimate for {_list([str(k) for k in range(int(y) + 1, 2026)])} was found.")
        need = pick(go, measure="avg_annual_growth", provenance="derived")
        need = need[need["period"].str.match(rf"{int(y) + 1}-2025$")]
        if len(need):
            computed.append(f"Growth needed from the {y} estimate to reach {fmt(fv['value'], 'US$ billion')} in "
                            f"2025: {fmt(float(need.iloc[0]['value']), '% per year')} (computed by the edition).")
    else:
        verdict, finding = decide(found=False), "No estimate after 2020 was found."
    return Assessment(
        "global-size", "trends", "s2.1.1-p2", "Global offshore service outsourcing: growth and size in 2025",
        quote("trends", "s2.1.1-p2", "The China Service Outsourcing Research Center forecasts that in 2021", "in 2025."),
        f"growth of more than {_num(frate)}% a year in 2021–2025, to {fmt(fv['value'], 'US$ billion')} in 2025 "
        f"(from an estimated {fmt(base['value'], 'US$ billion')} in 2020)",
        verdict,
        test=(f"Average growth since 2020 above {_num(frate)}% a year in every year known; in 2025, also at least "
              f"{fmt(fv['value'], 'US$ billion')}."),
        basis="US$; the China Service Outsourcing Research Center's estimates, each year's growth against the same "
              "edition's estimate for the year before",
        outcomes=outs, computed=computed, finding=finding,
        caveat=("The global figures are the Research Center's estimates (测算), not statistics, and each edition "
                "revises the series; growth is therefore taken from the edition that gives the later year, against "
                "its own estimate of the year before (the next edition's 2020, implied by its 2021 figure and "
                "growth, agrees with this report's within rounding: claims ledger, row C120)."),
        target_value=float(fv["value"]), target_unit="US$ billion", target_period="2025", numbers=nums, chart="e14")


def _global_structure(F: Facts) -> Assessment:
    gs = F("global_offshore_outsourcing_structure")
    f25 = {r.type: r.value for r in pick(gs, period="2025", value_status="forecast").itertuples()}
    b20 = {r.type: r.value for r in pick(gs, period="2020", provenance="report").itertuples()}
    later = {y: pick(gs, period=y) for y in by_year(gs, after=2020)}
    ratio = lambda d: ":".join(_num(d[t]) for t in ("ITO", "BPO", "KPO"))  # noqa: E731
    ty = F("china_outsourcing_by_type")
    china = pick(ty, measure="share", market="offshore", basis="RMB")
    outs = [outcome(r, f"China's offshore {r['type']}, share of China's offshore executed value (RMB)")
            for _, r in china[china["period"].map(_is_year)].sort_values(["period", "type"]).iterrows()
            if r["period"] == max(china["period"])]
    if "2025" in later:
        g = {r.type: r.value for r in later["2025"].itertuples()}
        off = max(abs(g[t] - f25[t]) for t in f25)
        verdict = decide(complete=True, passes=off <= 2)
        finding = f"The 2025 split, {ratio(g)}, differs from the forecast by at most {_num(round(off, 1))} points."
    else:
        verdict = decide(found=False)
        finding = "No global split after 2020 was found."
    return Assessment(
        "global-structure", "trends", "s2.1.1-p3", "The structure of global offshore outsourcing in 2025",
        quote("trends", "s2.1.1-p3", "The China Service Outsourcing Research Center forecasts that by 2025", "in 2020 to"),
        f"ITO:BPO:KPO from {ratio(b20)} in 2020 to {ratio(f25)} in 2025", verdict,
        test="The global shares of ITO, BPO and KPO in 2025 within 2 percentage points of the forecast.",
        basis="shares of global offshore executed value (no currency)", outcomes=outs, finding=finding,
        caveat=("China's own offshore split (shown, latest year) is not the measure the forecast is about: it is "
                "China's offshore outsourcing alone, in RMB and as MOFCOM classifies it, not the world market."),
        target_unit="% of total", target_period="2025", chart="e17")


def _large_contracts(F: Facts) -> Assessment:
    isg = F("isg_large_contracts")
    fg = one(isg, measure="avg_annual_growth", period="2021-2025", value_status="forecast")
    fv = one(isg, measure="acv", period="2025", value_status="forecast")
    base = one(isg, measure="acv", segment="combined", period="2020", provenance="report")
    comb = pick(isg, segment="combined")
    levels = by_year(pick(comb, measure="acv"), after=2020)
    growth = by_year(pick(comb, measure="yoy_growth"), after=2020)
    outs = [outcome(base, "ISG's figure of January 2021, in the report")]
    for y, r in levels.items():
        outs.append(outcome(r, "annual contract value, ISG's release for the year"))
        if y in growth:
            outs.append(outcome(growth[y], "growth on the year before, in the same release"))
    rev = one(comb, measure="acv", period="2020", provenance="derived")
    if rev is not None:
        outs.append(outcome(rev, "2020 as ISG's 2021 release has it (a later vintage)"))
    rebased = one(comb, measure="acv", period="2025", provenance="derived")
    chained = pick(comb, measure="avg_annual_growth", provenance="derived")
    chained = chained[chained["period"].str.startswith("2021-") & (chained["period"] != "2021-2025")]
    computed = []
    if len(chained):
        r = chained.iloc[0]
        computed.append(f"Average growth {r['period'].replace('-', '–')}, chained from the growth each ISG release "
                        f"gives for its own year: {fmt(r['value'], '% per year')} (computed by the edition).")
    if rebased is not None:
        computed.append(f"The forecast rebased to the revised 2020 level (the same growth from ISG's later "
                        f"vintage): {fmt(rebased['value'], 'US$ billion', rebased['qualifier'])} in 2025 (computed by "
                        "the edition).")
    frate = float(fg["value"])
    nums = {"forecast_rate": frate}
    chain = []
    for y in range(2021, 2026):
        if str(y) not in growth:
            break
        chain.append(str(y))
    if chain:
        index = math.prod(1 + float(growth[y]["value"]) / 100 for y in chain)
        n = len(chain)
        path = (1 + frate / 100) ** n
        nums.update(latest_year=chain[-1], index=index, path=path, cagr=(index ** (1 / n) - 1) * 100)
        complete = chain[-1] == "2025"
        passes = index >= (fv["value"] / base["value"] if complete else path)
        verdict = decide(complete=complete, passes=passes)
        yearly = "; ".join(f"{y}: {fmt(growth[y]['value'], '% change')}" for y in chain)
        finding = (f"Chained from the growth each ISG release gives for its own year ({yearly}), contract value "
                   f"grew {rate(nums['cagr'])} a year from 2020 to {chain[-1]}, "
                   f"{'ahead of' if passes else 'behind'} the forecast of about {_num(frate)}% a year.")
        missing = [str(y) for y in range(int(chain[-1]) + 1, 2026)]
        if missing:
            finding += f" No full-year figure for {_list(missing)} was found."
    elif levels:
        verdict = decide(comparable=False)
        finding = "ISG figures after 2020 were found, but not the growth on the year before in the same release."
    else:
        verdict, finding = decide(found=False), "No ISG figure after 2020 was found."
    return Assessment(
        "large-contracts", "trends", "s2.1.2-p3", "Large outsourcing contracts worldwide (ISG Index) in 2025",
        quote("trends", "s2.1.2-p3", "The China Service Outsourcing Research Center forecasts that in 2021", "in 2025."),
        f"about {_num(frate)}% a year, to {fmt(fv['value'], 'US$ billion', fv['qualifier'])} in 2025 (from "
        f"{fmt(base['value'], 'US$ billion')} in 2020, ISG's figure of January 2021)", verdict,
        test=(f"Growth since 2020 at least at the forecast rate (about {_num(frate)}% a year), each year's growth "
              "taken from ISG's release for that year; in 2025, the level reached by the forecast's growth."),
        basis="US$; each year within one ISG vintage (the release for that year), never a later level against the "
              "report's older 2020",
        outcomes=outs, computed=computed, finding=finding,
        caveat=("ISG revises its history: its 2021 release implies a higher 2020 than the report's January 2021 "
                "figure, and its 2022 release implies a 2021 of its own again. A later level against the report's "
                "2020 would mix vintages, so the test uses the growth each release gives for its own year. ISG's "
                f"2022 level is below the forecast rebased to the revised 2020 but above the forecast as the report "
                f"gives it ({fmt(fv['value'], 'US$ billion', fv['qualifier'])}): a level before 2025 decides nothing "
                "about 2025. For "
                "2023 only quarterly and year-to-date figures were found. ISG's large contracts are those with an "
                "annual contract value of US$5 million or more (the report's note 8)."),
        target_value=float(fv["value"]), target_unit="US$ billion", target_period="2025", numbers=nums, chart="e15")


def _outbound_developing(F: Facts) -> Assessment:
    df = F("offshore_outsourcing_demand_forecasts")
    rows = pick(df, measure="growth_2021_2025", value_status="forecast")
    names = {"Belt and Road countries": "Belt and Road countries", "Africa": "Africa",
             "China (manufacturing digitalisation)": "China in the digitalization of manufacturing"}
    said = "; ".join(f"{names.get(r.client, r.client)}: {r.qualifier + ' ' if r.qualifier else ''}{_num(r.value)}% "
                     "growth" for r in rows.itertuples()) + " (2021–2025)"
    return Assessment(
        "outbound-developing", "trends", "s2.1.5-p2", "Outbound outsourcing by Belt and Road countries, Africa and China",
        quote("trends", "s2.1.5-p2", "The China Service Outsourcing Research Center forecasts that in 2021",
              "over the next five years."),
        said, decide(found=False), test="The growth of outsourcing by these economies, as clients, over 2021–2025.",
        basis="—", finding="No figure for outsourcing by these economies, as clients, after 2020 was found.",
        caveat=("MOFCOM's figures for the outsourcing China undertakes from Belt and Road countries (below, under "
                "the outlook's markets) measure China's business with them, not their outsourcing to all suppliers."),
        target_unit="% change", target_period="2021-2025")


def _outbound_developed(F: Facts) -> Assessment:
    df = F("offshore_outsourcing_demand_forecasts")
    f = pick(df, measure="offshore_outsourcing_value", period="2025", value_status="forecast")
    g = {r.client: r for r in pick(df, measure="avg_annual_growth", value_status="forecast").itertuples()}
    said = "; ".join(f"{r.client}: {fmt(r.value, 'US$ billion')} in 2025 ({fmt(g[r.client].value, '% per year', g[r.client].qualifier)})"
                     for r in f.itertuples() if r.client in g)
    return Assessment(
        "outbound-developed", "trends", "s2.1.5-p3", "Offshore outsourcing by the United States, the EU and Japan in 2025",
        quote("trends", "s2.1.5-p3", "The China Service Outsourcing Research Center forecasts that in 2021", "by 2025."),
        said, decide(found=False), test="The offshore outsourcing of these economies, as clients, in 2025.",
        basis="—", finding="No actual value of their offshore outsourcing after 2020 was found.",
        caveat=("The report gives the 2025 values and the growth rates but not the 2020 values they start from. "
                "MOFCOM's figures for the work China undertakes from the United States and the EU (under the "
                "outlook's markets) are China's share of that outsourcing, a different measure."),
        target_unit="US$ billion", target_period="2025")


def _idc(F: Facts) -> Assessment:
    return _words("trends", "s2.1.4-p2", "idc", "IDC's forecasts for the digital economy, as quoted",
                  "International Data Corporation (IDC) forecasts",
                  forecast="IDC's share of world GDP from digitalized fields in 2022, and the growth of direct "
                           "investment in digital transformation in 2020–2023 (not the report's own forecasts)",
                  verdict=decide(found=False),
                  finding="No later IDC figure for either is in the edition's reference lists.",
                  caveat="These are International Data Corporation's forecasts, which the report quotes.",
                  target_unit="% of total", target_period="2022")


# ---------------------------------------------------------------- opportunities


def _green(F: Facts) -> Assessment:
    gr = F("green_low_carbon_investment_needs")
    inc = one(gr, sector="outsourcing_increment", provenance="report")
    tot = one(gr, sector="total", provenance="report")
    return _words("opportunities", "s2.2.3-p1", "green", "Service outsourcing from green and low-carbon investment",
                  "If the service outsourcing industry's average penetration rate",
                  forecast=(f"additional service outsourcing of {fmt(inc['value'], inc['unit'])} from green and "
                            f"low-carbon investment (itself {fmt(tot['value'], tot['unit'], tot['qualifier'])} in "
                            f"{tot['period'].replace('-', '–')}); no year is named"),
                  finding="The estimate names no year by which the additional outsourcing would arise, and "
                          "no figure for green and low-carbon service outsourcing was found.",
                  caveat="The estimate applies the industry's average penetration rate to a thirty-year investment need.",
                  target_value=float(inc["value"]), target_unit=inc["unit"], target_period=tot["period"])


def _investment_driven(F: Facts) -> Assessment:
    b = F("china_offshore_outsourcing_breakdowns")
    rows = pick(b, breakdown="enterprise_type", measure="share_of_offshore_executed_value")
    outs = [outcome(r, f"{r['category']}, share of offshore executed value ({r['basis']})")
            for _, r in rows.sort_values(["period", "category"]).iterrows()]
    rep_fie = one(F("china_outsourcing_other_indicators"), indicator="foreign_invested_enterprises_offshore_executed_value",
                  measure="share_of_offshore", provenance="report")
    if rep_fie is not None:
        outs.insert(0, outcome(rep_fie, "foreign-invested enterprises, share of offshore executed value, the report"))
    return _words("opportunities", "s2.2.5-p1", "enterprise-types",
                  "Foreign-invested enterprises and service outsourcing driven by investment",
                  "This opens up broad prospects for the development of service outsourcing driven by investment",
                  forecast="broad prospects for service outsourcing driven by investment in the services sector "
                           "(no figure is named)",
                  outcomes=outs, test="None: the forecast names no quantity.",
                  basis="shares of offshore executed value in RMB, MOFCOM's categories of each year",
                  finding=("The forecast names no quantity, so it is not tested. The figures show the part of "
                           "foreign-invested enterprises in offshore outsourcing where MOFCOM published it; they "
                           "cannot be joined into one series (see the caveat)."),
                  caveat=("MOFCOM's enterprise categories changed. For 2020–2023 it reported private enterprises "
                          "(民营企业) and foreign-invested enterprises (外商投资企业), which do not add up to 100%, and "
                          "a January–August 2020 release excluded enterprises invested from Hong Kong, Macao and "
                          "Taiwan from the foreign-invested category; for 2025 it reported domestic-funded (内资企业) "
                          "and foreign-funded enterprises (外资企业), which add up to 100%. The 2025 share is not "
                          "comparable with the earlier ones. The report's own share for 2020"
                          + (f", {share(rep_fie['value'])}," if rep_fie is not None else "")
                          + " matches neither its offshore total nor MOFCOM's (claims ledger, rows C112 and C124)."),
                  chart="")


def _high_tech_fdi(F: Facts) -> Assessment:
    ot = F("china_outsourcing_other_indicators")
    f = one(ot, indicator="high_tech_fdi_share", period="2025", value_status="forecast")
    b = one(ot, indicator="high_tech_fdi_share", period="2020")
    later = by_year(pick(ot, indicator="high_tech_fdi_share"), after=2020)
    outs = [outcome(r, "high-tech industries' share of foreign investment") for r in later.values()]
    if "2025" in later:
        v = float(later["2025"]["value"])
        verdict = decide(complete=True, passes=v >= f["value"])
        finding = f"The 2025 share is {share(v)}."
    elif later:
        verdict = decide(passes=float(list(later.values())[-1]["value"]) >= f["value"])
        finding = "2025 was not found."
    else:
        verdict, finding = decide(found=False), "No figure after 2020 is in the edition's reference lists."
    return Assessment(
        "high-tech-fdi", "opportunities", "s2.2.5-p1", "High-tech industries' share of foreign investment in 2025",
        quote("opportunities", "s2.2.5-p1", "raise the share of foreign investment absorbed by high-tech",
              lead="The *14th Five-Year Plan for the Utilization of Foreign Investment* states that China will"),
        f"the high-tech share of foreign investment from {share(b['value'])} in 2020 to {share(f['value'], 0)} in 2025 "
        "(a plan target)", verdict, test=f"The share in 2025 at least {share(f['value'], 0)}.",
        basis="shares of foreign investment", outcomes=outs, finding=finding,
        caveat="A target of the plan the report cites, not the report's own forecast.",
        target_value=float(f["value"]), target_unit="% of total", target_period="2025")


# ---------------------------------------------------------------- outlook


def _scale(F: Facts) -> Assessment:
    ev = F("china_outsourcing_executed_value")
    tot = by_year(pick(ev, market="total", measure="executed_value", basis="RMB"))
    growth = by_year(pick(ev, market="total", measure="yoy_growth", basis="RMB"))
    tot = {y: r for y, r in tot.items() if int(y) >= 2020}
    outs = [outcome(r, "total executed value") for r in tot.values()]
    outs += [outcome(r, "growth on the year before, as released") for y, r in growth.items() if int(y) > 2020]
    steps, computed = {}, []
    for y in range(2021, 2026):
        a, b = tot.get(str(y - 1)), tot.get(str(y))
        if a is not None and b is not None:
            steps[str(y)] = (float(b["value"]) / float(a["value"]) - 1) * 100
            if str(y) not in growth:
                computed.append(f"{y}: {pct(steps[str(y)])} on {y - 1} (computed by the edition from the two values; "
                                "the release's own rate was not found)")
    if not steps:
        verdict, finding = decide(found=False), "No total after 2020 was found in RMB."
    else:
        passes = all(g > 0 for g in steps.values())
        complete = all(str(y) in steps for y in range(2021, 2026))
        verdict = decide(complete=complete, passes=passes)
        missing = [str(y) for y in range(2021, 2026) if str(y) not in steps]
        finding = ("The total rose in " + _list(sorted(y for y, g in steps.items() if g > 0))
                   + (f" and fell in {_list(sorted(y for y, g in steps.items() if g <= 0))}" if not passes else "")
                   + "." + (f" The total for {_list(missing)} was not found." if missing else ""))
    return Assessment(
        "scale", "outlook", "s2.4-p3", "The scale of the service outsourcing China undertakes",
        quote("outlook", "s2.4-p3", "Through 2025, the scale of service outsourcing"),
        "the scale of service outsourcing China undertakes keeps expanding to 2025", verdict,
        test="Total executed value higher than in the year before, in every year from 2021 to 2025.",
        basis="RMB (MOFCOM's releases; in US$ the totals rose in the same years)",
        outcomes=outs, computed=computed, finding=finding, numbers={"growth": steps},
        caveat=("The test uses the total in RMB, in which every release gives it; rates in US$ differ with the "
                "exchange rate. The 2024 total comes from a reprint whose growth rate is cut off, and for 2025 only "
                "the offshore value was found (Chart E11 shows offshore value in US$)."),
        target_unit="RMB billion", target_period="2021-2025", chart="e11")


def _offshore_and_exports(F: Facts):
    """The figures both outlook tests on services exports use: offshore
    executed value and services-export growth, both in RMB."""
    ev = F("china_outsourcing_executed_value")
    bm = F("china_growth_benchmarks")
    off = by_year(pick(ev, market="offshore", measure="executed_value", basis="RMB"), derived=True)
    off = {y: r for y, r in off.items() if int(y) >= 2020}  # a release's value before a derived one
    off_g = {y: r for y, r in by_year(pick(ev, market="offshore", measure="yoy_growth", basis="RMB")).items()
             if int(y) > 2020}
    sx = pick(bm, indicator="services_exports", basis="RMB")
    sx_g = {y: r for y, r in by_year(pick(sx, measure="yoy_growth")).items() if int(y) > 2020}
    sx_v = by_year(pick(sx, measure="value"))
    partial = pick(sx, measure="yoy_growth")
    partial = partial[partial["period"].str.contains(" ")]
    return off, off_g, sx_g, sx_v, partial


def _factor(rates: dict, first: int, last: int) -> float | None:
    """Growth from the end of `first - 1` to `last`, chained from yearly rates (None if one is missing)."""
    if not all(str(y) in rates for y in range(first, last + 1)):
        return None
    return math.prod(1 + float(rates[str(y)]["value"]) / 100 for y in range(first, last + 1))


def _exports_tests(F: Facts):
    off, off_g, sx_g, sx_v, partial = _offshore_and_exports(F)
    base = off.get("2020")
    years = [y for y in range(2021, 2026) if str(y) in off and _factor(sx_g, 2021, y) is not None]
    latest = years[-1] if years else None
    nums = {}
    if base is not None and latest:
        o = float(off[str(latest)]["value"]) / float(base["value"])
        s = _factor(sx_g, 2021, latest)
        n = latest - 2020
        nums = {"latest_year": str(latest), "offshore_factor": o, "exports_factor": s,
                "offshore_cagr": (o ** (1 / n) - 1) * 100, "exports_cagr": (s ** (1 / n) - 1) * 100,
                "share_ratio": o / s, "offshore_latest_derived": off[str(latest)]["provenance"] == "derived"}
        if "2025" in off and _factor(sx_g, 2021, 2024) is not None:
            o25 = float(off["2025"]["value"]) / float(base["value"])
            nums["offshore_factor_2025"] = o25
            nums["exports_2025_break_even"] = (o25 / _factor(sx_g, 2021, 2024) - 1) * 100
            if len(partial):
                nums["exports_2025_partial"] = float(partial.iloc[-1]["value"])
                nums["exports_2025_partial_period"] = partial.iloc[-1]["period"]
    return off, off_g, sx_g, sx_v, partial, nums


def _vs_exports(F: Facts) -> Assessment:
    off, off_g, sx_g, sx_v, partial, nums = _exports_tests(F)
    ev = F("china_outsourcing_executed_value")
    bm = F("china_growth_benchmarks")
    o16 = one(ev, measure="avg_annual_growth", market="offshore", basis="US$", period="2016-2020", provenance="report")
    s16 = one(bm, measure="avg_annual_growth", indicator="services_exports", period="2016-2020")
    outs = [outcome(off["2020"], "offshore executed value, MOFCOM's release for 2020")] if "2020" in off else []
    outs += [outcome(r, "offshore executed value, growth on the year before") for r in off_g.values()]
    outs += [outcome(r, "services exports, growth on the year before") for r in sx_g.values()]
    outs += [outcome(r, "services exports, growth on the same months a year before") for _, r in partial.iterrows()]
    computed = []
    if "2024" in off and off["2024"]["provenance"] == "derived":
        computed.append("Offshore executed value in 2024: " + fmt(off["2024"]["value"], "RMB billion")
                        + " (computed by the edition from the 2025 value and its growth; MOFCOM's release for 2024 "
                          "was not found).")
    if nums:
        y = nums["latest_year"]
        computed.append(f"2020–{y}, average growth: offshore {rate(nums['offshore_cagr'])} a year, services exports "
                        f"{rate(nums['exports_cagr'])} a year (computed by the edition).")
        complete = y == "2025"
        passes = nums["offshore_cagr"] > nums["exports_cagr"]
        verdict = decide(complete=complete, passes=passes)
        finding = (f"From 2020 to {y}, the latest year with both figures, offshore executed value grew "
                   f"{rate(nums['offshore_cagr'])} a year and services exports {rate(nums['exports_cagr'])}: offshore "
                   f"outsourcing grew {'faster' if passes else 'more slowly'}.")
        if not complete and "exports_2025_break_even" in nums:
            finding += (f" With offshore value for 2025 known, the five-year averages would be equal only if services "
                        f"exports had changed by {pct(nums['exports_2025_break_even'])} in 2025")
            if "exports_2025_partial" in nums:
                finding += (f"; in January–October they changed by {pct(nums['exports_2025_partial'])} on the same "
                            "months of 2024")
            finding += ". Full-year 2025 services exports were not found."
    else:
        verdict, finding = decide(found=False), "No comparable figures after 2020 were found."
    return Assessment(
        "offshore-vs-exports", "outlook", "s2.4-p3", "Offshore outsourcing growing faster than services exports",
        quote("outlook", "s2.4-p3", "The average annual growth of the offshore executed value", "services exports",
              cut=True),
        (f"offshore executed value grows faster on average than services exports in 2021–2025 (in 2016–2020 the "
         f"report gives {fmt(o16['value'], '% per year')} against {fmt(s16['value'], '% per year')}, in US$)"),
        verdict,
        test="Average annual growth of offshore executed value in 2021–2025 above that of services exports.",
        basis="RMB: both offshore value and services exports as the releases give them in RMB (services-export rates "
              "that do not state a currency are taken to be in RMB, as MOFCOM's headline rates are)",
        outcomes=outs, computed=computed, finding=finding, numbers=nums,
        caveat=("The report's comparison for 2016–2020 was in US$; after 2020 services exports were found only in "
                "RMB, so the test is in RMB throughout, offshore value from MOFCOM's releases for 2020 and 2025. "
                "Full-year 2025 services exports were not found; the January–October figure is not a full year."),
        target_unit="% per year", target_period="2021-2025", chart="e12")


def _export_share(F: Facts) -> Assessment:
    off, off_g, sx_g, sx_v, partial, nums = _exports_tests(F)
    xs = F("china_offshore_outsourcing_export_shares")
    rep = one(xs, numerator="offshore", denominator="services_exports", measure="share", period="2020")
    outs = [outcome(rep, "the report's share for 2020, currency not stated")]
    outs += [outcome(r, "offshore executed value") for r in off.values()]
    outs += [outcome(r, "services exports") for y, r in sx_v.items() if int(y) > 2020]
    later = by_year(pick(xs, numerator="offshore", denominator="services_exports", measure="share"), after=2020)
    outs += [outcome(r, "offshore executed value as a share of services exports, as published") for r in later.values()]
    computed, shares = [], {}
    # shares in RMB, year by year: offshore value over services exports where both are known
    for y, r in off.items():
        if y in sx_v:
            unit = sx_v[y]["unit"]
            exports = float(sx_v[y]["value"]) * (1000 if unit == "RMB trillion" else 1)
            bound = sx_v[y]["qualifier"] == "more than"
            shares[y] = (float(r["value"]) / exports * 100, "at most " if bound else "")
    g21 = sx_g.get("2021")
    if "2021" in sx_v and g21 is not None and "2020" in off:
        exports20 = float(sx_v["2021"]["value"]) * 1000 / (1 + float(g21["value"]) / 100)
        bound = sx_v["2021"]["qualifier"] == "more than"
        shares["2020"] = (float(off["2020"]["value"]) / exports20 * 100, "at most " if bound else "")
    if shares:
        computed.append("Offshore executed value as a share of services exports, both in RMB: "
                        + "; ".join(f"{y}: {q}{share(s)}" for y, (s, q) in sorted(shares.items()))
                        + " (computed by the edition; 2020's services exports from the 2021 value and its growth; "
                          "'at most' where the exports are 'more than' a figure).")
    nums = dict(nums, shares={y: s for y, (s, _) in shares.items()})
    if "share_ratio" in nums:
        y = nums["latest_year"]
        complete = y == "2025"
        passes = nums["share_ratio"] > 1
        verdict = decide(complete=complete, passes=passes)
        finding = (f"In {y}, the latest year with both figures, the share was {share(100 * nums['share_ratio'], 1)} "
                   f"of its 2020 level (the growth of offshore value over the growth of services exports since 2020, "
                   f"which needs no level of either), so it was {'above' if passes else 'below'} 2020's.")
        if not complete and "exports_2025_break_even" in nums:
            finding += (f" It would be above 2020's in 2025 only if services exports had changed by less than "
                        f"{pct(nums['exports_2025_break_even'])} in 2025")
            if "exports_2025_partial" in nums:
                finding += f"; in January–October they changed by {pct(nums['exports_2025_partial'])}"
            finding += "."
    else:
        verdict, finding = decide(found=False), "No comparable figures after 2020 were found."
    return Assessment(
        "export-share", "outlook", "s2.4-p3", "Offshore outsourcing's share of services exports",
        quote("outlook", "s2.4-p3", "its share of services exports will continue to rise",
              lead="The average annual growth of the offshore executed value is expected to outpace that of services exports, and"),
        f"offshore outsourcing's share of services exports keeps rising (the report gives {share(rep['value'])} for 2020)",
        verdict, test="The share in 2025 above the share in 2020, in one currency.",
        basis="RMB: offshore executed value and services exports as the releases give them in RMB",
        outcomes=outs, computed=computed, finding=finding, numbers=nums,
        caveat=("The share rises exactly when offshore value grows faster than services exports, so this test and "
                f"the one above share their figures. The report's {share(rep['value'])} for 2020 does not say its "
                "currency; the like-for-like 2020 share is computed in RMB. "
                + "".join(f"Xinhua's {_num(r['value'])}% for {y} is a rounded share with no currency stated (the "
                          "offshore value it gives is in US$), so it is shown but not used. " for y, r in later.items())
                + "The 2024 share rests "
                "on an offshore value computed from 2025's value and growth (uncertain by about RMB 0.6 billion, too "
                "little to change the comparison)."),
        target_unit="% of total", target_period="2025")


def _jobs(F: Facts) -> Assessment:
    em = F("china_outsourcing_employment")
    fc = one(em, measure="new_employees", period="2021-2025", value_status="forecast")
    base = one(em, measure="employees_end_of_year", group="all", period="2020", provenance="report")
    added = one(em, measure="new_employees", group="all", period="2016-2020", provenance="report")
    later = by_year(pick(em, measure="employees_end_of_year", group="all"), after=2020)
    outs = [outcome(base, "people employed at the end of 2020, the report")]
    outs += [outcome(r, "people employed at the end of the year") for r in later.values()]
    target = float(fc["value"])
    if later:
        y = list(later)[-1]
        rise = float(later[y]["value"]) - float(base["value"])
        years = int(y) - 2020
        path = target * years / 5
        complete = y == "2025"
        passes = rise > target if complete else rise >= path
        verdict = decide(complete=complete, passes=passes)
        if complete:
            tail = f"the {_num(target)} million forecast."
        else:
            tail = (f"the {_num(round(path, 3))} million that falls to {years} of the 5 years at an even pace (the other "
                    f"{_num(round(target - rise, 3))} million would have been needed in "
                    f"{_list([str(k) for k in range(int(y) + 1, 2026)])}; the end-2025 number was not found).")
        finding = (f"By the end of {y} the number employed had risen by {_num(round(rise, 3))} million since the end of "
                   f"2020, {'more than' if passes else 'less than'} " + tail)
        nums = {"rise": rise, "path": path, "latest_year": y, "target": target}
    else:
        verdict, finding, nums = decide(found=False), "No figure after 2020 was found.", {}
    return Assessment(
        "jobs", "outlook", "s2.4-p3", "More than 5 million more people employed",
        quote("outlook", "s2.4-p3", "over the next five years, the number of people employed"),
        f"{fmt(target, 'million persons', fc['qualifier'])} more employed in 2021–2025", verdict,
        test=(f"The rise in the number employed at the end of the year since the end of 2020: more than "
              f"{_num(target)} million by the end of 2025, and on the way at least its pro-rata part (a fifth a year)."),
        basis="people employed in service outsourcing (从业人员) at the end of each year, MOFCOM's series",
        outcomes=outs, finding=finding, numbers=nums,
        caveat=("The report counts the people added in a period as the rise in the number employed at the end of "
                f"the year: its {fmt(added['value'], 'million persons')} added in 2016–2020 are exactly the rise from "
                "end-2015 to end-2020 (claims ledger, row C051), so the forecast is tested the same way. The 2024 "
                "figure comes from a "
                "speech reprinted by China News Service, not a MOFCOM release; numbers for the ends of 2022, 2023 "
                "and 2025 were not found."),
        target_value=target, target_unit="million persons", target_period="2021-2025", chart="e16")


def _cities(F: Facts) -> Assessment:
    dc = F("china_demonstration_cities")
    b = F("china_offshore_outsourcing_breakdowns")
    start = one(dc, measure="number_of_cities", period="2016")
    counts = by_year(pick(b, breakdown="demonstration_cities", measure="number_of_cities"))
    added = pick(b, breakdown="demonstration_cities", measure="cities_added")
    shares = pick(b, breakdown="demonstration_cities", measure="share_of_offshore_executed_value")
    outs = [outcome(start, "demonstration cities from 2016, the report")]
    outs += [outcome(r, "demonstration cities added") for _, r in added.iterrows()]
    outs += [outcome(r, "demonstration cities") for r in counts.values()]
    outs += [outcome(r, f"{r['category']}: share of offshore executed value") for _, r in shares.iterrows()]
    if counts:
        y = list(counts)[-1]
        n = float(counts[y]["value"])
        passes = n > float(start["value"])
        verdict = decide(complete=y == "2025", passes=passes)
        finding = (f"There were {_num(start['value'])} demonstration cities from 2016 and {_num(n)} in {y}"
                   + "".join(f"; {_num(r.value)} were added in {r.period}" for r in added.itertuples()) + ".")
    else:
        verdict, finding = decide(found=False), "No count after 2020 was found."
    return Assessment(
        "demonstration-cities", "outlook", "s2.4-p4", "More demonstration cities",
        quote("outlook", "s2.4-p4", "the expansion [of their number] will proceed in an orderly manner"),
        "the number of China Service Outsourcing Demonstration Cities grows, with more cities in the central and "
        "western regions", verdict,
        test=f"More demonstration cities in 2025 than the report's {_num(start['value'])}.", basis="a count of cities",
        outcomes=outs, finding=finding,
        caveat=("The cities added in 2021 are Xuzhou, Foshan, Yantai, Guiyang, Luoyang and Yichang, as the summary "
                "of the China Service Outsourcing Development Report 2021 names them; the releases found do not say "
                "which count as central or western, so that part is not judged. The cities' shares of offshore value "
                "are for the enlarged list and are not comparable with the share of total executed value the report "
                "implies for the earlier list."),
        target_value=float(start["value"]), target_unit="cities", target_period="2025")


def _regions(F: Facts) -> Assessment:
    b = F("china_offshore_outsourcing_breakdowns")
    rows = pick(b, breakdown="region", measure="share_of_offshore_executed_value")
    outs = [outcome(r, f"{r['category']}: share of offshore executed value (RMB)")
            for _, r in rows.sort_values(["category", "period"]).iterrows()]
    return _words("outlook", "s2.4-p5", "regions", "Regional clusters of service outsourcing",
                  "Coordinated regional development will be strengthened",
                  forecast="coordinated regional development strengthened; the Yangtze River Delta a world-class city "
                           "cluster; belts and clusters in other regions (no figure is named)",
                  outcomes=outs, test="None: the forecast names no quantity.",
                  basis="shares of offshore executed value in RMB",
                  finding=("The outlook names no figure for the regions, so it is not tested. The regional figures "
                           "MOFCOM published are shown: they begin in 2022, so there is no 2020 to compare with."),
                  caveat=("Regional offshore figures were found for the Yangtze River Delta (2022, 2023, 2025) and, "
                          "for 2025 only, Beijing-Tianjin-Hebei and the central region; the 2025 shares are computed "
                          "by the edition from the values. The report's regional figures (section 1) are numbers of "
                          "enterprises, not values."))


def _market_growth(F: Facts, categories: list[str], not_found: str = ""):
    """Executed value from each market in 2020 and 2025 (RMB): higher in 2025 for every one?"""
    b = F("china_offshore_outsourcing_breakdowns")
    mk = pick(b, breakdown="market", category=categories)
    outs, per, nums = [], {}, {}
    for cat in categories:
        lv = by_year(pick(mk, category=cat, measure="executed_value"))
        outs += [outcome(r, f"{cat}, executed value, scope: {r['scope']}") for r in lv.values()]
        per[cat] = lv
    if all(("2020" in per[c] and "2025" in per[c]) for c in categories):
        rises = {c: float(per[c]["2025"]["value"]) / float(per[c]["2020"]["value"]) - 1 for c in categories}
        nums = {"growth_2020_2025": {c: 100 * g for c, g in rises.items()}}
        passes = all(g > 0 for g in rises.values())
        verdict = decide(complete=True, passes=passes)
        finding = ("From 2020 to 2025, in RMB: " + "; ".join(f"{c} {pct(100 * g)}" for c, g in rises.items()) + "."
                   + (f" {not_found}" if not_found else ""))
    elif any(per.values()):
        verdict, finding = decide(comparable=False), "2020 or 2025 was not found."
    else:
        verdict, finding = decide(found=False), "No figure was found."
    return outs, verdict, finding, nums


def _us_eu(F: Facts) -> Assessment:
    outs, verdict, finding, nums = _market_growth(
        F, ["United States", "EU"], not_found="No figure for the United Kingdom (or Japan) was found in any full-year release.")
    b = F("china_offshore_outsourcing_breakdowns")
    t3 = by_year(pick(b, breakdown="market", category="top three markets", measure="share_of_offshore_executed_value"))
    outs += [outcome(r, "the United States, Hong Kong SAR and the EU together: share of offshore executed value")
             for r in t3.values()]
    top3 = ""
    if "2020" in t3 and "2025" in t3:
        a, z = float(t3["2020"]["value"]), float(t3["2025"]["value"])
        top3 = (f" The three largest markets' share of offshore value went from {share(a)} in 2020 to {share(z, 0)} in "
                f"2025, so their business grew {'more slowly' if z < a else 'faster'} than all offshore value.")
    return Assessment(
        "us-eu", "outlook", "s2.4-p6", "The United States, the EU and the United Kingdom",
        quote("outlook", "s2.4-p6", "Service outsourcing cooperation with the United States, the EU, the United Kingdom",
              "will expand further", cut=True),
        "service outsourcing cooperation with the United States, the EU and the United Kingdom expands", verdict,
        test="The executed value of the work China undertakes from each market higher in 2025 than in 2020.",
        basis="RMB, MOFCOM's releases for 2020 and 2025", outcomes=outs, finding=finding, numbers=nums,
        caveat=("The 2020 US figure's sentence does not say offshore, but with Hong Kong's and the EU's it adds up to "
                "the published share of the top three markets in offshore value, so it is offshore too. No figures "
                "for 2021 or 2024 were found; levels are in RMB, and growth in US$ would differ." + top3),
        target_unit="RMB billion", target_period="2025")


def _hong_kong(F: Facts) -> Assessment:
    outs, verdict, finding, nums = _market_growth(F, ["Hong Kong SAR"], not_found="No figure for Macao was found.")
    return Assessment(
        "hong-kong", "outlook", "s2.4-p6", "Hong Kong and Macao",
        quote("outlook", "s2.4-p6", "the undertaking of business from Hong Kong and Macao will reach a higher level",
              lead="The opening of the services sector to Hong Kong and Macao will extend to more fields,"),
        "the work undertaken from Hong Kong and Macao reaches a higher level", verdict,
        test="The executed value of the work China undertakes from Hong Kong higher in 2025 than in 2020.",
        basis="RMB, MOFCOM's releases for 2020 and 2025", outcomes=outs, finding=finding, numbers=nums,
        caveat="No figure for 2021 or 2024 was found; levels are in RMB.",
        target_unit="RMB billion", target_period="2025")


def _growth_every_year(F: Facts, categories: list[str]):
    """Executed-value growth on the year before as each release gives it, by
    year, within one definition (a category) at a time."""
    b = F("china_offshore_outsourcing_breakdowns")
    rates = {}
    for cat in categories:
        for y, r in by_year(pick(b, breakdown="market", category=cat, measure="executed_value_growth")).items():
            if int(y) > 2020:
                rates[y] = r
    return dict(sorted(rates.items()))


def _belt_and_road(F: Facts) -> Assessment:
    b = F("china_offshore_outsourcing_breakdowns")
    cats = ["Belt and Road countries (沿线国家)", "Belt and Road countries (共建国家)"]
    rows = pick(b, breakdown="market", category=cats)
    outs = [outcome(r, f"{r['category']}, {r['measure'].replace('_', ' ')}, scope: {r['scope']}")
            for _, r in rows.sort_values(["period", "measure"]).iterrows() if r["measure"] != "executed_value"
            or r["provenance"] != "derived"]
    rates = _growth_every_year(F, cats)
    known = sorted(rates)
    passes = all(float(r["value"]) > 0 for r in rates.values()) if rates else None
    complete = known == [str(y) for y in range(2021, 2026)]
    verdict = decide(found=bool(rates), complete=complete, passes=passes)
    missing = [str(y) for y in range(2021, 2026) if str(y) not in rates]
    finding = ("Executed value from Belt and Road countries grew in every year for which a release gives its growth: "
               + "; ".join(f"{y} {fmt(r['value'], '% change')} ({r['category']})" for y, r in rates.items()) + "."
               + (f" No executed-value growth for {_list(missing)} was found." if missing else "")) if rates else \
        "No executed-value growth after 2020 was found."
    return Assessment(
        "belt-and-road", "outlook", "s2.4-p6", "Belt and Road countries",
        quote("outlook", "s2.4-p6", "Service outsourcing cooperation with Belt and Road countries will keep growing in scale"),
        "service outsourcing with Belt and Road countries keeps growing in scale", verdict,
        test="Executed value from Belt and Road countries higher than in the year before, every year of 2021–2025, "
             "each year within one definition of the countries.",
        basis="RMB; growth as each release gives it, within its own set of countries",
        outcomes=outs, finding=finding, numbers={"growth": {y: float(r["value"]) for y, r in rates.items()}},
        caveat=("The country set changed. The releases for 2020 and 2022 speak of countries along the Belt and Road "
                "(“一带一路”沿线国家), the one for 2025 of countries that jointly build it (共建“一带一路”国家), a "
                "wider wording; neither is defined. The 2025 value is far larger than 2022's, consistent with a wider "
                "set, so the two are never joined into one series: only growth within each release is used. For 2021 "
                "only a contract value (not executed value) was found."),
        target_unit="% change", target_period="2021-2025")


def _rcep(F: Facts) -> Assessment:
    b = F("china_offshore_outsourcing_breakdowns")
    rows = pick(b, breakdown="market", category="RCEP members")
    outs = [outcome(r, f"RCEP members: {r['measure'].replace('_', ' ')}") for _, r in rows.sort_values(["period", "measure"]).iterrows()]
    rates = _growth_every_year(F, ["RCEP members"])
    missing = [str(y) for y in range(2021, 2026) if str(y) not in rates]
    passes = all(float(r["value"]) > 0 for r in rates.values()) if rates else None
    verdict = decide(found=bool(rates), complete=not missing, passes=passes)
    finding = (("Executed value from RCEP members grew in every year for which a release gives its growth: "
                + "; ".join(f"{y} {fmt(r['value'], '% change')}" for y, r in rates.items()) + "."
                + (f" No figure for {_list(missing)} was found." if missing else "")) if rates else
               "No figure after 2020 was found.")
    return Assessment(
        "rcep", "outlook", "s2.4-p6", "RCEP members",
        quote("outlook", "s2.4-p6", "Service outsourcing cooperation with the member states of the Regional",
              "market share will rise further", cut=True),
        "service outsourcing cooperation with RCEP members grows in quantity and quality, and market share rises",
        verdict, test="Executed value from RCEP members higher than in the year before, every year of 2021–2025.",
        basis="RMB; growth as each release gives it", outcomes=outs, finding=finding,
        numbers={"growth": {y: float(r["value"]) for y, r in rates.items()}},
        caveat=("The 'market share' of the forecast is China's share of its partners' markets, which no release "
                "gives. The releases give RCEP members' share of China's offshore value, a different measure: it rose "
                "from 2022 to 2025 (2025 computed by the edition), but no 2020 or 2021 figure was found."),
        target_unit="% change", target_period="2021-2025")


# ---------------------------------------------------------------- in words only

WORDS = [  # (key, chapter, block, title, start, end, lead, verdict: None = not testable)
    ("goal-2035", "opportunities", "s2.2-p1", "The 2035 goal of the guiding opinions on service outsourcing",
     "set the goal that, by 2035", None, "The *Guiding Opinions on Promoting the Accelerated Transformation and Upgrading of Service Outsourcing* (Shang Fu Mao Fa [2020] No. 12)", None),
    ("engineering", "trends", "s2.1.1-p4", "Engineering and industrial design outsourcing recovers",
     "Global engineering and industrial design outsourcing is expected to return to growth", None, None, None),
    ("nearshoring", "trends", "s2.1.3-p3", "Closer nearshore outsourcing among RCEP members",
     "its member countries are expected to form more secure", None,
     "As implementation of the Regional Comprehensive Economic Partnership (RCEP) gathers pace,", None),
    ("integration", "opportunities", "s2.2.2-p1", "Outsourcing integrates with manufacturing, services and agriculture",
     "Service outsourcing is integrating ever more deeply with manufacturing", None, None, None),
    ("open-markets", "opportunities", "s2.2.4-p1", "Favorable conditions for offshore and outbound outsourcing",
     "The ever-widening \"circle of friends\" in foreign trade", None, None, None),
    ("side-by-side", "outlook", "s2.4-p2", "Offshore and onshore outsourcing advance side by side",
     "create a new situation in which offshore and onshore outsourcing advance side by side", None, None, None),
    ("producer-services", "outlook", "s2.4-p3", "The main channel for exports of producer services",
     "[Service outsourcing's] position as the main channel", None, None, None),
    ("leading-enterprises", "outlook", "s2.4-p3", "More leading enterprises",
     "More leading enterprises will emerge", None, None, None),
    ("outbound", "outlook", "s2.4-p3", "Outbound outsourcing develops steadily",
     "Outbound outsourcing will develop steadily", None, None, None),
    ("rd-pharma", "outlook", "s2.4-p3", "R&D, design, testing and maintenance; pharmaceuticals and biotechnology",
     "The outsourcing of producer services such as R&D", None, None, "no_outcome"),
    ("accounting-legal", "outlook", "s2.4-p3", "Accounting, legal and other key fields",
     "Key service outsourcing business areas such as accounting", None, None, None),
    ("manufacturing", "outlook", "s2.4-p3", "Integration with manufacturing",
     "Service outsourcing will be deeply integrated with manufacturing", None, None, None),
    ("new-models", "outlook", "s2.4-p3", "Crowdsourcing and other new models",
     "Crowdsourcing, crowd innovation, platform subcontracting", "widen employment opportunities", None, None),
    ("demonstration-work", "outlook", "s2.4-p4", "Demonstration enterprises, design centers and city standards",
     "The fostering of demonstration enterprises", None, None, None),
    ("cloud", "outlook", "s2.4-p6", "Cloud outsourcing enterprises' international market share",
     "encourage cloud outsourcing enterprises to expand actively into international markets", None,
     "[China will] step up technological innovation and", "no_outcome"),
    ("cee", "outlook", "s2.4-p6", "Central and Eastern Europe",
     "Service outsourcing cooperation with Central and Eastern European countries", None, None, "no_outcome"),
    ("taiwan-strait", "outlook", "s2.4-p6", "Cooperation across the Taiwan Strait",
     "Service outsourcing cooperation between the two sides of the Taiwan Strait", None, None, None),
]

_WORDS_FINDING = {
    "goal-2035": "A goal for 2035, in words, beyond the period the outlook covers.",
    "rd-pharma": "No figure for these fields before and after 2020 was found (the 2025 release gives offshore R&D "
                 "services for one year only, which cannot show a faster pace).",
    "cloud": "No figure for cloud outsourcing enterprises' international market share was found.",
    "cee": "No figure for Central and Eastern Europe after 2020 was found in any full-year release.",
}


def _words_item(spec) -> Assessment:
    key, chapter, block, title, start, end, lead, kind = spec
    verdict = decide(found=False) if kind == "no_outcome" else decide(measurable=False)
    return _words(chapter, block, key, title, start, end, lead=lead, forecast="",
                  verdict=verdict, finding=_WORDS_FINDING.get(key, "The outlook names no figure for it."),
                  section=False)


# In the order of the report.
ITEMS = [_global_size, _global_structure, "engineering", _large_contracts, "nearshoring", _idc,
         _outbound_developing, _outbound_developed, "goal-2035", "integration", _green, "open-markets",
         _investment_driven, _high_tech_fdi, "side-by-side", _scale, _vs_exports, _export_share, "producer-services",
         "leading-enterprises", "outbound",
         "rd-pharma", "accounting-legal", "manufacturing", "new-models", _jobs, "demonstration-work", _cities,
         _regions, "cloud", _belt_and_road, _rcep, "cee", _hong_kong, "taiwan-strait", _us_eu]
_WORDS_BY_KEY = {w[0]: w for w in WORDS}


def assess(data_dir) -> list[Assessment]:
    """Every forecast and target of Section 2, assessed, in the report's order."""
    F = Facts(data_dir)
    return [_words_item(_WORDS_BY_KEY[i]) if isinstance(i, str) else i(F) for i in ITEMS]


# --------------------------------------------------------------------------
# the page: HTML, every text from the data escaped, only http(s) links

ASSET = "sobook-fared.css"
_SLUG = {v: re.sub(r"[^a-z]+", "-", v.value.lower()).strip("-") for v in Verdict}


def _e(text) -> str:
    """Text for an HTML context: escaped, on one line (a raw HTML block must hold no blank line)."""
    return html.escape(" ".join(str(text if text is not None else "").split()), quote=True)


def _emph(text) -> str:
    """The edition's own words (quotes of the translation), escaped, with *titles* in italics."""
    return re.sub(r"\*([^*<>]+)\*", r"<em>\1</em>", _e(text))


def _href(url: str) -> str | None:
    """The address as a link target, if it is one: http(s) only."""
    u = str(url or "").strip()
    return u if re.match(r"^https?://[^\s\"'<>]+$", u) else None


def _source_html(source: str, url: str) -> str:
    target = _href(url)
    if target:
        return f'<a href="{_e(target)}">{_e(source)}</a>'
    return _e(source) + (f" ({_e(url)})" if url else "")


def where_html(a: Assessment) -> str:
    """A link to the English paragraph the forecast is quoted from."""
    return (f'<a href="{_e(a.chapter)}.html#{_e(a.block)}">{_e(CHAPTER_TITLES[a.chapter])}, paragraph '
            f'{_e(a.block)}</a>')


def _anchor(a: Assessment) -> str:
    return f"fared-{a.key}" if a.section else "fared-other"


def verdict_html(v: Verdict) -> str:
    return f'<span class="so-fared-verdict so-fv-{_SLUG[v]}">{_e(v.value)}</span>'


def definitions_html() -> str:
    """The verdict words, each with its one-line definition."""
    items = "".join(f"<dt>{verdict_html(v)}</dt><dd>{_e(d)}</dd>" for v, d in DEFINITIONS.items())
    return (f'<div class="so-fared"><link rel="stylesheet" href="../_static/{ASSET}">'
            f'<dl class="so-fared-definitions">{items}</dl></div>')


def summary_html(items: list[Assessment]) -> str:
    """The table at the top of the page: every forecast of Section 2 and its verdict."""
    rows = []
    for n, a in enumerate(items, start=1):
        rows.append(
            f'<tr class="so-fv-{_SLUG[a.verdict]}"><td class="so-num"><a href="#{_anchor(a)}">{n}</a></td>'
            f'<td><strong>{_e(a.title)}</strong>{": " + _e(a.forecast) + "." if a.forecast else "."} <span class="so-fared-where">'
            f'({where_html(a)})</span></td><td>{verdict_html(a.verdict)}</td><td>{_e(a.finding)}</td></tr>')
    head = "".join(f'<th scope="col">{h}</th>' for h in ("No.", "Forecast or target", "Verdict", "What was found"))
    return (f'<div class="so-fared"><div class="so-fared-scroll" tabindex="0" role="region" '
            f'aria-label="Every forecast of Section 2 and its verdict"><table class="so-fared-table">'
            f'<caption>Every forecast and target of the report\'s Section 2 ({len(items)}), with its verdict</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></div>')


def body_html(a: Assessment) -> str:
    """An assessment's quote, forecast, test and figures (before its chart)."""
    parts = [f'<blockquote class="so-fared-quote"><p>{_emph(a.quote)}</p>'
             f'<p class="so-fared-where">— {where_html(a)}</p></blockquote>',
             f"<p><strong>In short:</strong> {_e(a.forecast)}.</p>"]
    if a.test:
        parts.append(f"<p><strong>The test:</strong> {_e(a.test)}"
                     + (f" <em>Currency and vintage:</em> {_e(a.basis)}." if a.basis and a.basis != "—" else "")
                     + "</p>")
    if a.outcomes:
        lis = "".join(f"<li>{_e(o.text)} — {_source_html(o.source, o.url)}</li>" for o in a.outcomes)
        parts.append(f'<p><strong>The figures:</strong></p><ul class="so-fared-outcomes">{lis}</ul>')
    if a.computed:
        parts.append('<ul class="so-fared-computed">' + "".join(f"<li>{_e(c)}</li>" for c in a.computed) + "</ul>")
    return f'<div class="so-fared">{"".join(parts)}</div>'


def verdict_block_html(a: Assessment) -> str:
    """An assessment's verdict, why, and its caveat (after its chart)."""
    parts = [f'<p class="so-fared-finding"><strong>Verdict:</strong> {verdict_html(a.verdict)} {_e(a.finding)}</p>']
    if a.caveat:
        parts.append(f"<p><strong>Caveat:</strong> {_e(a.caveat)}</p>")
    if a.sources:
        parts.append('<p class="so-fared-sources">Sources: '
                     + "; ".join(_source_html(s, u) for s, u in a.sources) + ".</p>")
    return f'<div class="so-fared">{"".join(parts)}</div>'


def other_html(items: list[Assessment]) -> str:
    """The forecasts without a section of their own: quoted, with their verdict."""
    lis = []
    for a in items:
        if a.section:
            continue
        lis.append(f'<li><strong>{_e(a.title)}.</strong> “{_emph(a.quote)}” ({where_html(a)}) '
                   f'{verdict_html(a.verdict)} {_e(a.finding)}</li>')
    return f'<div class="so-fared"><ul class="so-fared-other">{"".join(lis)}</ul></div>'


def glue_values(data_dir) -> dict:
    """Every value the page glues: {name: IPython Markdown holding one raw HTML block}."""
    from IPython.display import Markdown

    items = assess(data_dir)
    out: dict = {"fared-summary": Markdown(summary_html(items)), "fared-definitions": Markdown(definitions_html()),
                 "fared-other": Markdown(other_html(items))}
    for a in items:
        if a.section:
            out[f"fared-{a.key}-body"] = Markdown(body_html(a))
            out[f"fared-{a.key}-verdict"] = Markdown(verdict_block_html(a))
    counts = {v: sum(a.verdict == v for a in items) for v in Verdict}
    out["fared-count"] = str(len(items))
    out["fared-count-tested"] = str(sum(counts[v] for v in (Verdict.MET, Verdict.MISSED, Verdict.HOLDS, Verdict.FAILS)))
    return out


# --------------------------------------------------------------------------
# the assessments in the data download (written by the build, so always current)

DOWNLOAD_NAME = "outlook_assessments"

_DOWNLOAD_FIELDS = [
    ("forecast_id", "string", "Forecast id", "The forecast's id; its section on the page 'How the outlook fared' "
     "is #fared-<id> (forecasts without a section of their own are listed under #fared-other)."),
    ("title", "string", "Title", "The forecast or target, in a few words."),
    ("chapter", "string", "Chapter page", "The page of the book that translates the paragraph."),
    ("paragraph", "string", "Paragraph of the report (block id)", "The block of Section 2 that makes the forecast: "
     "the id of its English paragraph in the book and of the Chinese in data/source/original.json."),
    ("forecast_en", "string", "Forecast (the report's words)", "The report's words, quoted from the edition's "
     "translation ('…' marks omissions)."),
    ("forecast", "string", "Forecast in short", "The forecast in short, with its numbers from the data package."),
    ("target_value", "number", "Target value", "The forecast's figure, where it names one, in the unit of field "
     "'target_unit'."),
    ("target_unit", "string", "Target unit", "Unit of target_value (see the package's 'units')."),
    ("target_period", "string", "Target period", "The year or period the forecast is for."),
    ("test", "string", "Test", "What is compared with what to judge the forecast."),
    ("currency_and_vintage", "string", "Currency and vintage", "The one currency and the one vintage of a series "
     "in which the test compares its figures."),
    ("outcomes", "string", "Figures found", "The figures the test uses, each with its year and what it is "
     "('; '-separated); their rows, sources and quotes are in the data package."),
    ("computed", "string", "Computed by the edition", "The arithmetic the edition did for the test, with its results."),
    ("verdict", "string", "Verdict", "One of the verdict words, each defined in field 'verdict_definition'."),
    ("verdict_definition", "string", "Definition of the verdict", "What the verdict word means (the same for "
     "every forecast)."),
    ("finding", "string", "Why", "The numbers behind the verdict."),
    ("caveat", "string", "Caveat", "How far the figures are comparable with the forecast: currency, vintage, "
     "changes of definition, reprints."),
    ("sources", "string", "Sources", "Who published the figures found, and where ('; '-separated; reprints say so)."),
]


def assessments_table(data_dir) -> pd.DataFrame:
    """One row per forecast or target of Section 2 (the download's 'outlook_assessments.csv')."""
    rows = []
    for a in assess(data_dir):
        rows.append({
            "forecast_id": a.key, "title": a.title, "chapter": a.chapter, "paragraph": a.block,
            "forecast_en": a.quote, "forecast": a.forecast, "target_value": a.target_value,
            "target_unit": a.target_unit, "target_period": a.target_period, "test": a.test,
            "currency_and_vintage": a.basis if a.basis != "—" else "", "outcomes": "; ".join(o.text for o in a.outcomes),
            "computed": " ".join(a.computed), "verdict": a.verdict.value, "verdict_definition": DEFINITIONS[a.verdict],
            "finding": a.finding, "caveat": a.caveat,
            "sources": "; ".join(f"{s} <{u}>" if u else s for s, u in a.sources),
        })
    out = pd.DataFrame(rows, columns=[f[0] for f in _DOWNLOAD_FIELDS])
    out["target_value"] = out["target_value"].astype("float64")
    return out


def assessments_resource(data_dir=None) -> dict:
    """The Frictionless descriptor of assessments_table() as 'outlook_assessments.csv'."""
    desc = data.descriptor(data_dir)
    units = ["US$ billion", "RMB billion", "RMB trillion", "% of total", "% change", "% per year",
             "million persons", "cities"]
    fields = []
    for name, typ, title, text in _DOWNLOAD_FIELDS:
        f = {"name": name, "title": title, "type": typ, "description": text}
        if name == "target_value":
            f["unit"] = "per row, in field 'target_unit'"
        if name == "target_unit":
            f["constraints"] = {"enum": units}
        if name == "verdict":
            f["constraints"] = {"required": True, "enum": [v.value for v in Verdict]}
        if name in ("forecast_id", "paragraph", "forecast_en"):
            f["constraints"] = {"required": True, **({"unique": True} if name == "forecast_id" else {})}
        fields.append(f)
    used = {o.url for a in assess(data_dir or data.DEFAULT_DATA_DIR) for o in a.outcomes if o.url}
    sources = [s for s in desc["sources"] if s["path"].startswith("source/original")]
    sources += [s for s in desc["sources"] if s["path"] in used or s["path"].removeprefix("https://") in used]
    return {
        "name": DOWNLOAD_NAME,
        "path": f"{DOWNLOAD_NAME}.csv",
        "profile": "tabular-data-resource",
        "title": "How the outlook fared: every forecast and target of the report's Section 2 against what was "
                 "published afterwards",
        "description": "One row per forecast or target of Section 2 (2021-2025), in the report's order: the report's "
                       "words, the test (in one currency and one vintage), the figures found, the verdict (one of "
                       f"{len(Verdict)} words, each defined in field 'verdict_definition') and the caveats. Computed by "
                       "sobook/fared.py from the data package when the book is built, so it always matches the data.",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "licenses": desc.get("licenses", []),
        "sources": sources,
        "schema": {"fields": fields, "primaryKey": ["forecast_id"], "missingValues": [""]},
    }
