"""How the outlook fared: the report's forecasts and targets for 2021-2025 set
against what was reported afterwards.

    from sobook import fared
    for name, value in fared.glue_values(data_dir).items():
        chapter.number(name, value)          # the page glues each one

Everything the page says about numbers comes from here, and everything here
comes from the data directory: what the report said (its rows, and its English
words quoted from the chapter notebooks, never typed twice), what was reported
(the rows after 2020, kept in the edition's data in the ``<resource>_outcomes``
resources, or appended to the series in another data directory), and the
verdict, decided by the rules below. Re-run on a data directory with later
rows, the verdicts change with them; where no row exists the verdict is "not
yet known".

Verdicts, in plain words:

* **Met** / **Missed**: a reported value for the forecast's year (or period)
  exists and reaches, or does not reach, the forecast;
* **Held so far** / **Not borne out so far**: the years known point one way,
  but the period is not over in the data;
* **Reached early**: a year before 2025 already passed the 2025 forecast;
* **Not yet known**: nothing comparable was found (or only a different measure,
  which the caveats name).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sobook import text
from sobook.charts import marks
from sobook.charts.marks import _is_year, _list, _num, _one, _pick, fmt
from sobook.charts.registry import _Data

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"

CHAPTER_TITLES = {
    "trends": "Development trends",
    "opportunities": "Opportunities",
    "outlook": "Development outlook",
}

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
# formatting


def money(v: float, unit: str = "US$ billion", qualifier: str = "") -> str:
    """US$1.7 trillion rather than US$1,700 billion (when no digit is lost);
    otherwise as the figures write it."""
    q = f"{qualifier} " if qualifier else ""
    if unit == "US$ billion" and abs(v) >= 1000 and abs(round(v / 1000, 2) - v / 1000) < 1e-9:
        return q + f"US${_num(v / 1000)} trillion"
    return fmt(v, unit, qualifier)


def pct(v: float, unit: str = "% change") -> str:
    return fmt(v, unit)


def ratio(shares: dict) -> str:
    return ":".join(_num(shares[t]) for t in ("ITO", "BPO", "KPO"))


def _src(row) -> str:
    if row["provenance"] == "report":
        return "the report"
    if row["provenance"] == "derived":
        return "computed by the edition"
    return text.md(str(row["source_note"]).split(";")[0])


def _years(df: pd.DataFrame, after: int = 2020) -> pd.DataFrame:
    """Rows for single years after `after` that are not forecasts."""
    mask = df["period"].map(lambda p: _is_year(p) and int(p) > after) & (df["value_status"] != "forecast")
    return df[mask.astype(bool)].sort_values("period")


def _span_text(period: str) -> str:
    return period.replace("-", "–")


# --------------------------------------------------------------------------
# one forecast, assessed


@dataclass
class Assessed:
    key: str
    title: str
    quote: str
    where: str          # a link to the chapter and paragraph
    said: str           # the forecast, short, numbers from the data
    reported: str       # what was reported, MyST
    verdict: str        # Met, Missed, Not yet known, ...
    detail: str         # one or two sentences: why this verdict
    sources: str = ""   # the releases behind `reported`, reprints labelled


def _breakable(address: str) -> str:
    """An address (text from the data, escaped) that may wrap on a phone:
    <wbr> (a line-break opportunity that copying leaves out) after each '/'."""
    return "<wbr>".join(text.md(part) for part in re.split(r"(?<=/)(?=.)", address))


def _cite(*frames: pd.DataFrame) -> str:
    """The releases the rows come from: who published, who reprinted, where."""
    seen, out = set(), []
    for df in frames:
        for r in df[df["provenance"] == "release"].itertuples():
            key = (r.source_note.split(";")[0], r.source_url)
            if key not in seen:
                seen.add(key)
                out.append(f"{text.md(key[0])} ({_breakable(key[1])})")
    return "; ".join(out)


def _where(chapter: str, block: str) -> str:
    return (f"{{doc}}`{CHAPTER_TITLES[chapter]} <{chapter}>`, paragraph "
            f"<a href=\"{chapter}.html#zh-{block}\">{block}</a>")


class _Facts:
    def __init__(self, data_dir):
        self.D = _Data(Path(data_dir))

    def __call__(self, name):
        return self.D.with_outcomes(name)


def _global_size(F) -> Assessed:
    go = F("global_offshore_outsourcing")
    fg = _one(go, measure="avg_annual_growth", period="2021-2025", provenance="report")
    fv = _one(go, measure="executed_value", period="2025", value_status="forecast")
    base = _one(go, measure="executed_value", period="2020", provenance="report")
    later = _years(_pick(go, measure="executed_value"))
    later = later[later["provenance"] != "derived"]
    said = (f"{fg['qualifier']} {_num(fg['value'])}% a year in 2021–2025, to {money(fv['value'], qualifier=fv['qualifier'])} "
            f"in 2025 (from an estimated {money(base['value'])} in 2020)").strip()
    parts = []
    for r in later.itertuples():
        g = _pick(go, measure="yoy_growth", period=r.period)
        parts.append(f"{r.period}: {money(r.value, qualifier=r.qualifier)}"
                     + (f", {pct(float(g['value'].iloc[0]))} on the year before" if len(g) else "")
                     + f" ({_src(r._asdict())})")
    known = set(later["period"])
    missing = [str(y) for y in range(2021, 2026) if str(y) not in known]
    reported = ("; ".join(parts) + "." if parts else "No estimate after 2020 was found.")
    if parts and missing:
        reported += f" No estimate for {_list(missing)} was found."
    need = _pick(go, measure="avg_annual_growth", provenance="derived")
    need = need[need["period"].str.match(r"\d{4}-2025") & (need["period"] != "2021-2025")]
    if len(need) and len(later):
        n = need.iloc[0]
        reported += (f" From the {later.iloc[-1]['period']} estimate, growth of {_num(n['value'])}% a year would be "
                     f"enough to reach {money(fv['value'])} in 2025 (computed by the edition).")
    if "2025" in known:
        v = float(later[later["period"] == "2025"]["value"].iloc[0])
        cagr = ((v / base["value"]) ** (1 / 5) - 1) * 100
        ok = v >= fv["value"]
        verdict = "Met" if ok else "Missed"
        detail = (f"The 2025 estimate is {money(v)}, {'at or above' if ok else 'below'} the forecast, "
                  f"{_num(round(cagr, 1))}% a year since 2020.")
    elif len(later):
        last = later.iloc[-1]
        yrs = int(last["period"]) - 2020
        cagr = ((last["value"] / base["value"]) ** (1 / yrs) - 1) * 100
        ahead = cagr > fg["value"]
        verdict = f"Not yet known ({'ahead of' if ahead else 'behind'} the pace in {last['period']})"
        detail = (f"Ahead of the pace so far: the {last['period']} estimate, {money(last['value'])}, means growth of "
                  f"{_num(round(cagr, 1))}% a year since 2020, {'faster' if ahead else 'slower'} than the forecast of "
                  f"{fg['qualifier']} {_num(fg['value'])}%, and is {_num(round(last['value'] / fv['value'] * 100))}% "
                  f"of the 2025 forecast." + (f" {_list(missing)}: not yet known." if missing else ""))
        if not ahead:
            detail = detail.replace("Ahead of the pace so far", "Behind the pace so far")
    else:
        verdict, detail = "Not yet known", "No estimate after 2020 was found."
    return Assessed("global-size", "Global offshore service outsourcing: growth and size in 2025",
                    quote("trends", "s2.1.1-p2", "The China Service Outsourcing Research Center forecasts that in 2021",
                          "in 2025."),
                    _where("trends", "s2.1.1-p2"), said, reported, verdict, detail, _cite(later, _pick(go, measure='yoy_growth')))


def _global_structure(F) -> Assessed:
    gs = F("global_offshore_outsourcing_structure")
    f25 = {r.type: r.value for r in gs[(gs["period"] == "2025") & (gs["value_status"] == "forecast")].itertuples()}
    b20 = {r.type: r.value for r in gs[(gs["period"] == "2020") & (gs["provenance"] == "report")].itertuples()}
    said = f"ITO:BPO:KPO from {ratio(b20)} in 2020 to {ratio(f25)} in 2025"
    later = _years(gs)
    ty = F("china_outsourcing_by_type")
    ch = _pick(ty, measure="share", market="offshore", basis="RMB")
    ch = ch[ch["period"].map(_is_year).astype(bool)]
    china = ""
    if len(ch):
        y = max(ch["period"])
        c = {r.type: r.value for r in ch[ch["period"] == y].itertuples()}
        china = (f" China's own offshore outsourcing, not the global market, split {ratio(c)} in {y} "
                 "(shares of RMB values in MOFCOM figures, computed by the edition).")
    if "2025" in set(later["period"]):
        g = {r.type: r.value for r in later[later["period"] == "2025"].itertuples()}
        reported = f"2025: {ratio(g)}."
        off = max(abs(g[t] - f25[t]) for t in f25)
        verdict = "Met" if off <= 2 else "Missed"
        detail = f"The 2025 shares differ from the forecast by at most {_num(round(off, 1))} percentage points."
    elif len(later):
        y = max(later["period"])
        g = {r.type: r.value for r in later[later["period"] == y].itertuples()}
        reported = f"{y}: {ratio(g)}." + china
        verdict, detail = "Not yet known", f"The split is known to {y} only."
    else:
        reported = "No global split after 2020 was found." + china
        verdict = "Not yet known"
        detail = "No global split after 2020 was found; China's offshore split is a different measure."
    return Assessed("global-structure", "The structure of global offshore outsourcing in 2025",
                    quote("trends", "s2.1.1-p3", "The China Service Outsourcing Research Center forecasts that by 2025",
                          "in 2020 to"),
                    _where("trends", "s2.1.1-p3"), said, reported, verdict, detail,
                    _cite(_pick(ty, measure='executed_value', market='offshore', basis='RMB')))


def _large_contracts(F) -> Assessed:
    isg = F("isg_large_contracts")
    fg = _one(isg, measure="avg_annual_growth", period="2021-2025", provenance="report")
    fv = _one(isg, measure="acv", period="2025", value_status="forecast")
    base = _one(isg, measure="acv", segment="combined", period="2020", provenance="report")
    comb = _pick(isg, measure="acv", segment="combined")
    later = _years(comb)
    later = later[later["provenance"] != "derived"]
    rev = comb[(comb["period"] == "2020") & (comb["provenance"] == "derived")]
    said = (f"{fg['qualifier']} {_num(fg['value'])}% a year, to {money(fv['value'], qualifier=fv['qualifier'])} "
            f"in 2025 (from {money(base['value'])} in 2020)").strip()
    parts = []
    for r in later.itertuples():
        g = _pick(isg, measure="yoy_growth", segment="combined", period=r.period)
        parts.append(f"{r.period}: {money(r.value)}" + (f" ({pct(float(g['value'].iloc[0]))})" if len(g) else ""))
    reported = ("; ".join(parts) + " (ISG releases)." if parts else "No ISG figure after 2020 was found.")
    if len(rev):
        reported += (f" ISG's 2021 release implies {money(float(rev['value'].iloc[0]))} for 2020, not the "
                     f"report's {money(base['value'])}: the series was revised.")
    cg = _pick(isg, measure="avg_annual_growth", segment="combined", provenance="derived")
    cg = cg[cg["period"].str.startswith("2021-") & (cg["period"] != "2021-2025")]
    known = set(later["period"])
    missing = [str(y) for y in range(2021, 2026) if str(y) not in known]
    if "2025" in known:
        v = float(later[later["period"] == "2025"]["value"].iloc[0])
        verdict = "Met" if v >= fv["value"] else "Missed"
        detail = f"ISG's 2025 figure is {money(v)}."
    elif len(later) and later["value"].max() >= fv["value"]:
        first = later[later["value"] >= fv["value"]].iloc[0]
        verdict = "Reached early, on a revised series"
        detail = (f"ISG's figure passed {money(fv['value'])} in {first['period']}, but on a revised series"
                  + (f"; measured from ISG's revised 2020 base it grew {_num(cg.iloc[0]['value'])}% a year in "
                     f"{_span_text(cg.iloc[0]['period'])}, far above the {_num(fg['value'])}% forecast" if len(cg) else "")
                  + (f". {_list(missing)} not yet known." if missing else "."))
    else:
        verdict, detail = "Not yet known", "No ISG figure reaches the forecast yet."
    return Assessed("large-contracts", "Large outsourcing contracts worldwide (ISG Index) in 2025",
                    quote("trends", "s2.1.2-p3", "The China Service Outsourcing Research Center forecasts that in 2021",
                          "in 2025."),
                    _where("trends", "s2.1.2-p3"), said, reported, verdict, detail, _cite(later))


def _idc(F) -> Assessed:
    return Assessed("idc", "IDC's forecasts for the digital economy, as quoted",
                    quote("trends", "s2.1.4-p2", "International Data Corporation (IDC) forecasts"),
                    _where("trends", "s2.1.4-p2"),
                    "IDC's share of world GDP from digitalized sectors in 2022, and growth of digital-transformation "
                    "investment in 2020–2023 (not the report's own forecasts)",
                    "Not checked: the edition's reference lists hold no outcome for either.",
                    "Not yet known", "No outcome was sourced.")


def _demand_growth(F) -> Assessed:
    df = F("offshore_outsourcing_demand_forecasts")
    rows = _pick(df, measure="growth_2021_2025", value_status="forecast")
    names = {"Belt and Road countries": "Belt and Road countries", "Africa": "Africa",
             "China (manufacturing digitalisation)": "China in the digitalization of manufacturing"}
    said = "; ".join(f"{names.get(r.client, r.client)}: {r.qualifier} {pct(r.value)}".replace("  ", " ")
                     for r in rows.itertuples()) + " (2021–2025)"
    out = _pick(df, measure="growth_2021_2025")
    out = out[out["value_status"].isin(["reported", "estimate"])]
    if len(out):
        reported = "; ".join(f"{r.client}: {pct(r.value)} ({_src(r._asdict())})" for r in out.itertuples()) + "."
        verdict, detail = "Not yet known", "Only some of the three are known."
    else:
        reported = "No figures for outsourcing by these economies after 2020 were found."
        verdict, detail = "Not yet known", "No outcome was sourced."
    return Assessed("outbound-developing", "Outbound outsourcing by Belt and Road countries, Africa and China",
                    quote("trends", "s2.1.5-p2", "The China Service Outsourcing Research Center forecasts that in 2021",
                          "over the next five years."),
                    _where("trends", "s2.1.5-p2"), said, reported, verdict, detail)


def _demand_values(F) -> Assessed:
    df = F("offshore_outsourcing_demand_forecasts")
    f = _pick(df, measure="offshore_outsourcing_value", period="2025", value_status="forecast")
    g = _pick(df, measure="avg_annual_growth", value_status="forecast")
    gr = {r.client: r for r in g.itertuples()}
    said = "; ".join(f"{r.client}: {money(r.value)} in 2025 ({gr[r.client].qualifier} {_num(gr[r.client].value)}% a year)"
                     for r in f.itertuples() if r.client in gr)
    out = _pick(df, measure="offshore_outsourcing_value")
    out = out[out["value_status"].isin(["reported", "estimate"])]
    if len(out):
        reported = "; ".join(f"{r.client} {r.period}: {money(r.value)}" for r in out.itertuples()) + "."
        verdict, detail = "Not yet known", "Only some values are known."
    else:
        reported = "No actual values for 2021–2025 were found."
        verdict, detail = "Not yet known", "No outcome was sourced."
    return Assessed("outbound-developed", "Offshore outsourcing by the United States, the EU and Japan in 2025",
                    quote("trends", "s2.1.5-p3", "The China Service Outsourcing Research Center forecasts that in 2021",
                          "by 2025."),
                    _where("trends", "s2.1.5-p3"), said, reported, verdict, detail)


def _green(F) -> Assessed:
    gr = F("green_low_carbon_investment_needs")
    inc = _one(gr, sector="outsourcing_increment", provenance="report")
    tot = _one(gr, sector="total", provenance="report")
    said = (f"additional service outsourcing of {fmt(inc['value'], inc['unit'])} from green and low-carbon "
            f"investment (itself {fmt(tot['value'], tot['unit'], tot['qualifier'])} in "
            f"{_span_text(tot['period'])}); no year is named")
    return Assessed("green", "Service outsourcing from green and low-carbon investment",
                    quote("opportunities", "s2.2.3-p1", "If the service outsourcing industry's average penetration rate"),
                    _where("opportunities", "s2.2.3-p1"), said,
                    "No figure for green and low-carbon service outsourcing was found.",
                    "Not yet known", "No outcome was sourced, and the text names no year for the estimate.")


def _high_tech_fdi(F) -> Assessed:
    ot = F("china_outsourcing_other_indicators")
    f = _one(ot, indicator="high_tech_fdi_share", period="2025", value_status="forecast")
    b = _one(ot, indicator="high_tech_fdi_share", period="2020")
    out = _years(_pick(ot, indicator="high_tech_fdi_share"))
    said = f"the high-tech share of foreign investment from {_num(b['value'])}% in 2020 to {_num(f['value'])}% in 2025 (a plan target)"
    if "2025" in set(out["period"]):
        v = float(out[out["period"] == "2025"]["value"].iloc[0])
        verdict = "Met" if v >= f["value"] else "Missed"
        reported, detail = f"2025: {_num(v)}%.", f"The 2025 share is {_num(v)}%."
    elif len(out):
        reported = "; ".join(f"{r.period}: {_num(r.value)}%" for r in out.itertuples()) + "."
        verdict, detail = "Not yet known", "2025 is not known yet."
    else:
        reported = "No figure after 2020 is in the edition's reference lists."
        verdict, detail = "Not yet known", "No outcome was sourced."
    return Assessed("high-tech-fdi", "High-tech industries' share of foreign investment in 2025",
                    quote("opportunities", "s2.2.5-p1", "raise the share of foreign investment absorbed by high-tech",
                          lead="The *14th Five-Year Plan for the Utilization of Foreign Investment* states that China will"),
                    _where("opportunities", "s2.2.5-p1"), said, reported, verdict, detail)


def _scale(F) -> Assessed:
    ev = F("china_outsourcing_executed_value")
    tot = _pick(ev, measure="executed_value", market="total")
    tot = tot[tot["period"].map(_is_year).astype(bool)]
    said = "the scale of service outsourcing China undertakes keeps expanding to 2025"
    lines, rising, years = [], True, set()
    for basis, unit in (("US$", "US$ billion"), ("RMB", "RMB billion")):
        rows = tot[(tot["basis"] == basis) & (tot["provenance"] != "derived")]
        rows = marks._ranked(rows, ["period"]).sort_values("period")
        rows = rows[rows["period"].astype(int) >= 2020]
        if len(rows) < 2:
            continue
        seq = list(rows.itertuples())
        for a, b in zip(seq, seq[1:]):
            rising &= b.value > a.value
        years |= set(rows["period"])
        lines.append(", ".join(f"{r.period}: {fmt(r.value, unit, r.qualifier)}" for r in seq))
    cagr = _pick(ev, measure="avg_annual_growth", market="total", basis="US$", provenance="derived")
    cagr = cagr[cagr["period"].str.startswith("2021-")]
    after = sorted(y for y in years if int(y) > 2020)
    reported = ("Total executed value — " + "; in RMB, ".join(lines) + "."
                + (f" In US$ that is {_num(cagr.iloc[0]['value'])}% a year over {_span_text(cagr.iloc[0]['period'])} "
                   "(computed by the edition)." if len(cagr) else "")) if lines else "No total after 2020 was found."
    last = after[-1] if after else None
    if last == "2025":
        verdict = "Met" if rising else "Missed"
        detail = "The total rose every year known." if rising else "The total fell in at least one year."
    elif after:
        verdict = "Held so far" if rising else "Not borne out so far"
        detail = (f"The total rose in every year known, to {last}; the 2025 total was not found." if rising
                  else f"The total fell in at least one year to {last}.")
    else:
        verdict, detail = "Not yet known", "No total after 2020 was found."
    return Assessed("scale", "The scale of China's service outsourcing",
                    quote("outlook", "s2.4-p3", "Through 2025, the scale of service outsourcing"),
                    _where("outlook", "s2.4-p3"), said, reported, verdict, detail, _cite(tot[tot['period'].astype(int) > 2020]))


def _vs_exports(F) -> Assessed:
    ev = F("china_outsourcing_executed_value")
    bm = F("china_growth_benchmarks")
    o16 = _one(ev, measure="avg_annual_growth", market="offshore", basis="US$", period="2016-2020", provenance="report")
    s16 = _one(bm, measure="avg_annual_growth", indicator="services_exports", period="2016-2020")
    said = (f"offshore executed value grows faster on average than services exports in 2021–2025 (in 2016–2020: "
            f"{_num(o16['value'])}% against {_num(s16['value'])}% a year, in US$)")
    off = {r.period: r.value for r in _pick(ev, measure="yoy_growth", market="offshore", basis="RMB").itertuples()
           if int(str(r.period)[:4]) > 2020}
    sx = {r.period: r.value for r in _pick(bm, measure="yoy_growth", indicator="services_exports", basis="RMB").itertuples()
          if int(str(r.period)[:4]) > 2020}
    both = sorted(p for p in off if p in sx)
    parts = [f"{p}: {pct(off[p])} against {pct(sx[p])}" for p in both]
    lone = [f"{p}: offshore {pct(v)}" + (
        f", services exports {pct(sx[p + ' Jan-Oct'])} in January–October" if p + " Jan-Oct" in sx else "")
        for p, v in sorted(off.items()) if p not in sx]
    lone += [f"{p}: services exports {pct(v)}" for p, v in sorted(sx.items())
             if p not in off and _is_year(p)]
    oc = _pick(ev, measure="avg_annual_growth", market="offshore", provenance="derived")
    oc = {r.basis: r for r in oc.itertuples() if r.period == "2021-2025"}
    entries = sorted(parts + lone, key=lambda t: t[:4])
    reported = ("Year-on-year growth in RMB, offshore outsourcing against services exports — "
                + "; ".join(entries) + ".")
    if "RMB" in oc:
        reported += (f" Over 2021–2025 offshore executed value grew {_num(oc['RMB'].value)}% a year in RMB"
                     + (f" ({_num(oc['US$'].value)}% in US$)" if "US$" in oc else "") + " (computed by the edition).")
    faster = [p for p in both if off[p] > sx[p]]
    full = [str(y) for y in range(2021, 2026)]
    if all(y in sx for y in full) and "RMB" in oc:
        level = 1.0
        for y in full:
            level *= 1 + sx[y] / 100
        s_cagr = (level ** (1 / 5) - 1) * 100
        ok = oc["RMB"].value > s_cagr
        verdict = "Met" if ok else "Missed"
        detail = f"Services exports grew {_num(round(s_cagr, 1))}% a year in 2021–2025, offshore outsourcing {_num(oc['RMB'].value)}%."
    else:
        verdict = "Not yet known"
        detail = (f"Full-year services exports for {_list([y for y in full if y not in sx])} are not known. "
                  f"Year by year, offshore outsourcing grew faster in {len(faster)} of the {len(both)} years with both "
                  f"figures" + (f" ({_list(faster)})." if faster else "."))
        known4 = [y for y in full[:-1] if y in sx]
        if len(known4) == 4 and "RMB" in oc:
            level = 1.0
            for y in known4:
                level *= 1 + sx[y] / 100
            need = ((1 + oc["RMB"].value / 100) ** 5 / level - 1) * 100
            part = sx.get("2025 Jan-Oct")
            likely = None if part is None else "missed" if part > need + 5 else "met" if part < need - 5 else None
            detail += (f" For the five-year averages to be equal, services exports would have had to change by "
                       f"{pct(round(need, 1))} in 2025" + (f", against {pct(part)} in January–October" if part is not None else "")
                       + (f", so the forecast was most likely {likely}" if likely else "") + " (computed by the edition).")
            if likely:
                verdict = f"Not yet known (likely {likely})"
    return Assessed("offshore-vs-exports", "China's offshore outsourcing against its services exports",
                    quote("outlook", "s2.4-p3", "The average annual growth of the offshore executed value",
                          "will continue to rise", cut=True),
                    _where("outlook", "s2.4-p3"), said, reported, verdict, detail, _cite(_pick(ev, measure='yoy_growth', market='offshore', basis='RMB'), _pick(bm, measure='yoy_growth')))


def _export_share(F) -> Assessed:
    xs = F("china_offshore_outsourcing_export_shares")
    rows = _pick(xs, numerator="offshore", denominator="services_exports", measure="share")
    base = _one(rows, period="2020")
    later = _years(rows)
    said = f"offshore outsourcing's share of services exports keeps rising (it was {_num(base['value'])}% in 2020)"
    if len(later):
        reported = "; ".join(f"{r.period}: {_num(r.value)}% ({_src(r._asdict())})" for r in later.itertuples()) + "."
        last = later.iloc[-1]
        up = last["value"] > base["value"]
        if last["period"] == "2025":
            verdict = "Met" if up else "Missed"
        else:
            verdict = "Held so far" if up else "Not borne out so far"
        detail = (f"{_num(base['value'])}% in 2020, {_num(last['value'])}% in {last['period']}"
                  + ("; later years not found." if last["period"] != "2025" else "."))
    else:
        reported, verdict, detail = "No share after 2020 was found.", "Not yet known", "No outcome was sourced."
    return Assessed("export-share", "Offshore outsourcing's share of services exports",
                    quote("outlook", "s2.4-p3", "The average annual growth of the offshore executed value",
                          "will continue to rise", cut=True),
                    _where("outlook", "s2.4-p3"), said, reported, verdict, detail, _cite(later))


def _jobs(F) -> Assessed:
    em = F("china_outsourcing_employment")
    fc = _one(em, measure="new_employees", period="2021-2025")
    base = _one(em, measure="employees_end_of_year", group="all", period="2020")
    said = f"{fc['qualifier']} {_num(fc['value'])} million more people employed in 2021–2025".strip()
    later = _years(_pick(em, measure="employees_end_of_year", group="all"))
    inc = _pick(em, measure="net_increase", group="all")
    parts = [f"end of {r.period}: {_num(r.value)} million" for r in later.itertuples()]
    reported = (f"Employed at the end of 2020: {_num(base['value'])} million (the report); "
                + "; ".join(parts) + " (releases as reprinted)." if parts else "No figure after 2020 was found.")
    if len(inc):
        i = inc.iloc[-1]
        reported += f" Net increase {_span_text(i['period'])}: {_num(i['value'])} million (computed by the edition)."
    if "2025" in set(later["period"]):
        n = float(later[later["period"] == "2025"]["value"].iloc[0]) - base["value"]
        verdict = "Met" if n > fc["value"] else "Missed"
        detail = f"The number employed rose by {_num(round(n, 3))} million in 2021–2025 (a net increase, not new hires)."
    elif len(later):
        last = later.iloc[-1]
        n = last["value"] - base["value"]
        verdict = f"Not yet known ({_num(round(n / fc['value'] * 100))}% of it by {last['period']})"
        detail = (f"By the end of {last['period']} the number employed had risen by {_num(round(n, 3))} million, "
                  f"{_num(round(n / fc['value'] * 100))}% of the {_num(fc['value'])} million; the end-2025 number was "
                  "not found.")
    else:
        verdict, detail = "Not yet known", "No figure after 2020 was found."
    return Assessed("jobs", "New jobs in service outsourcing",
                    quote("outlook", "s2.4-p3", "over the next five years, the number of people employed"),
                    _where("outlook", "s2.4-p3"), said, reported, verdict, detail, _cite(later))


# In the order of the report.
ITEMS = [_global_size, _global_structure, _large_contracts, _idc, _demand_growth, _demand_values, _green,
         _high_tech_fdi, _scale, _vs_exports, _export_share, _jobs]

OTHER = [  # expectations in words only: quoted, not assessed
    ("trends", "s2.1.1-p4", "Global engineering and industrial design outsourcing is expected to return to growth", None),
    ("outlook", "s2.4-p3", "More leading enterprises will emerge", None),
    ("outlook", "s2.4-p3", "Outbound outsourcing will develop steadily", None),
    ("outlook", "s2.4-p3", "The outsourcing of producer services such as R&D", None),
    ("outlook", "s2.4-p3", "Key service outsourcing business areas such as accounting", None),
]


def assess(data_dir) -> list[Assessed]:
    F = _Facts(data_dir)
    return [item(F) for item in ITEMS]


# --------------------------------------------------------------------------
# what the page glues


def summary_table(items: list[Assessed]) -> str:
    """The table at the top of the page, as MyST Markdown."""
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    lines = ["| No. | Forecast or target | What was reported | Verdict |", "|---|---|---|---|"]
    for n, a in enumerate(items, start=1):
        lines.append(f"| {{ref}}`{n} <fared-{a.key}>` | **{esc(a.title)}**: {esc(a.said)} | "
                     f"{esc(_short(a.reported))} | **{a.verdict}** |")
    return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 200) -> str:
    text = re.sub(r"\s*\([^()]*(?:releases?|computed by the edition|the report|reprinted)[^()]*\)", "", text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(";", 1)[0].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def glue_values(data_dir) -> dict:
    """Every value the page glues: {name: str or IPython Markdown}."""
    from IPython.display import Markdown

    items = assess(data_dir)
    out: dict = {"fared-summary": Markdown(summary_table(items))}
    for a in items:
        out[f"fared-{a.key}-quote"] = Markdown(f"> {a.quote}\n>\n> — {a.where}\n")
        out[f"fared-{a.key}-said"] = a.said[0].upper() + a.said[1:] + "."
        out[f"fared-{a.key}-reported"] = Markdown(a.reported)
        out[f"fared-{a.key}-verdict"] = a.verdict
        out[f"fared-{a.key}-detail"] = Markdown(a.detail)
        out[f"fared-{a.key}-sources"] = Markdown(f"Sources: {a.sources}." if a.sources else "")
    out["fared-other"] = Markdown("\n".join(
        f'- "{quote(ch, b, s, e)}" ({_where(ch, b)})' for ch, b, s, e in OTHER) + "\n")
    out.update(numbers(data_dir))
    return out


def numbers(data_dir) -> dict[str, str]:
    """Numbers the page's own prose (its caveats) names: each from a row."""
    F = _Facts(data_dir)
    isg, go, ev = F("isg_large_contracts"), F("global_offshore_outsourcing"), F("china_outsourcing_executed_value")
    out = {
        "fared-isg-2020": money(_one(isg, segment="combined", measure="acv", period="2020", provenance="report")["value"]),
        "fared-go-2020": money(_one(go, measure="executed_value", period="2020", provenance="report")["value"]),
        "fared-go-2019": money(_one(go, measure="executed_value", period="2019")["value"]),
        "fared-ev-offshore-2020": money(_one(ev, market="offshore", measure="executed_value", period="2020",
                                              provenance="report")["value"]),
    }
    rev = _pick(isg, segment="combined", measure="acv", period="2020", provenance="derived")
    out["fared-isg-2020-revised"] = money(float(rev["value"].iloc[0])) if len(rev) else "not known"
    rmb = _pick(ev, market="offshore", measure="executed_value", period="2020", basis="RMB")
    out["fared-ev-offshore-2020-rmb"] = fmt(float(rmb["value"].iloc[0]), "RMB billion") if len(rmb) else "not known"
    return out
