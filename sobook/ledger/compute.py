"""Every check of claims.csv, its verdict, and the summary and coverage by kind."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from sobook import data
from sobook.ledger.inputs import (
    Row,
    expand,
    input_interval,
    inputs,
    package_rows,
    precision,
)
from sobook.ledger.intervals import Interval, interval_eval, point_eval
from sobook.ledger.rules import (
    AT_LEAST,
    AT_MOST,
    EXACT,
    FAILS,
    HOLDS,
    KIND_RULES,
    RESOURCE,
    SECTIONS,
    VERDICTS,
    LedgerError,
)
from sobook.ledger.text import plain_number

# --------------------------------------------------------------------------
# one claim


@dataclass
class Result:
    recomputed: float | None
    range: Interval | None
    stated_range: Interval | None
    verdict: str
    why: str
    inputs: tuple[str, ...] = ()


def judge(stated: float, qualifier: str, step: float, generous: float,
          recomputed: float, rng: Interval, kind: str = "") -> tuple[str, Interval]:
    """The verdict rules (rules.VERDICT_RULES), on numbers: `step` is one unit
    of the stated value's last printed digit, `generous` the same at the most
    generous reading. Ranges must overlap, not only touch: a value on a
    rounding boundary is printed one way only (1057.75 as 1057.8, never as
    1057.7)."""
    tiny = 1e-9 * max(1.0, abs(stated))
    half = generous / 2
    if qualifier == "more than" and kind not in AT_MOST + AT_LEAST:
        stated_range = Interval(stated, math.inf)
        if recomputed > stated - tiny:
            return "consistent", stated_range
        return ("consistent within rounding" if rng.hi > stated + tiny else "inconsistent"), stated_range
    # a threshold ('more than N') is exact; a printed figure stands for its rounding
    stated_range = Interval(stated, stated) if qualifier == "more than" else Interval(stated - half, stated + half)
    if kind in AT_MOST:
        if stated <= recomputed + tiny:
            return "consistent", stated_range
        return ("consistent within rounding" if stated_range.lo < rng.hi - tiny else "inconsistent"), stated_range
    if kind in AT_LEAST:
        if stated >= recomputed - tiny:
            return "consistent", stated_range
        return ("consistent within rounding" if stated_range.hi > rng.lo + tiny else "inconsistent"), stated_range
    if abs(recomputed - stated) <= step / 2 + tiny:
        return "consistent", stated_range
    if rng.lo < stated_range.hi - tiny and stated_range.lo < rng.hi - tiny:
        return "consistent within rounding", stated_range
    units = math.floor((recomputed - stated) / generous + 0.5 + 1e-9)
    return ("differs in the last digit" if abs(units) == 1 else "inconsistent"), stated_range


def check(claim: dict, rows: dict[str, Row]) -> Result:
    """Evaluate one claim (a dict with value, unit, qualifier, source_quote,
    check_formula, source_note) against the package's rows."""
    formula = (claim.get("check_formula") or "").strip()
    if not formula:
        return Result(None, None, None, "not checkable", claim.get("source_note") or "")
    prec = precision(claim["value"], claim["unit"], claim["source_quote"])
    if prec is None:
        raise LedgerError(f"claim {claim.get('claim_id')}: its value is not in its quote")
    tree = expand(formula, rows)
    names = inputs(tree)
    missing = [n for n in names if n not in rows]
    if missing:
        raise LedgerError(f"claim {claim.get('claim_id')}: formula {formula!r}: no row with row_id {missing[0]!r}")
    x = point_eval(tree, {n: rows[n].value for n in names})
    kind = claim.get("kind") or ""
    rng = Interval.point(x) if kind in EXACT else interval_eval(tree, {n: input_interval(rows[n]) for n in names})
    verdict, stated_range = judge(
        float(claim["value"]), claim.get("qualifier") or "", float(prec.step), float(prec.generous), x, rng, kind
    )
    return Result(x, rng, stated_range, verdict, "", tuple(names))


# --------------------------------------------------------------------------
# the whole ledger


def claims(data_dir=None) -> pd.DataFrame:
    """data/claims.csv, validated like every resource of the package."""
    return data.load(RESOURCE, data_dir)


def compute(data_dir=None) -> pd.DataFrame:
    """The ledger: every claim with its recomputed value, the difference, the
    ranges and the verdict."""
    rows = package_rows(data_dir)
    df = claims(data_dir).copy()
    out = []
    for claim in df.to_dict("records"):
        try:
            res = check(claim, rows)
        except LedgerError as exc:
            raise LedgerError(f"claim {claim['claim_id']}: {exc}") from None
        prec = precision(claim["value"], claim["unit"], claim["source_quote"])
        out.append({
            "recomputed": res.recomputed,
            "difference": None if res.recomputed is None else res.recomputed - claim["value"],
            "recomputed_lo": None if res.range is None else res.range.lo,
            "recomputed_hi": None if res.range is None else res.range.hi,
            "stated_lo": None if res.stated_range is None else res.stated_range.lo,
            "stated_hi": None if res.stated_range is None else res.stated_range.hi,
            "stated_printed": prec.printed if prec else "",
            "inputs": "; ".join(f"{n} = {plain_number(rows[n].value)}" for n in res.inputs),
            "sources": "; ".join(dict.fromkeys(_source(rows[n]) for n in res.inputs)),
            "verdict": res.verdict,
        })
    extra = pd.DataFrame(out, index=df.index)
    for col in ("recomputed", "difference", "recomputed_lo", "recomputed_hi", "stated_lo", "stated_hi"):
        extra[col] = extra[col].astype("float64")
    out_df = pd.concat([df, extra], axis=1)
    out_df["statement"] = out_df.apply(statement_key, axis=1)
    out_df["statement_verdict"] = statement_verdicts(out_df)
    return out_df


def _source(row: Row) -> str:
    """Where an input comes from: 'report', or the address's host for a
    release (each release row has one)."""
    if row.provenance == "report":
        return "report"
    try:
        host = urlsplit(row.url if "//" in row.url else "//" + row.url).hostname
    except ValueError:  # not an address: named by its provenance
        host = None
    return (host or row.provenance).removeprefix("www.")


def statement_key(claim) -> str:
    """What makes two rows one statement of the report: the same paragraph,
    period, measure, unit, hedge and stated value (C040 and C041 check the
    eastern region's 70.5% in two ways: one statement, two checks)."""
    value = f"{float(claim['value']):.10g}"
    return "|".join([claim["section"], claim["source_block_id"], str(claim["period"]), claim["measure"],
                     claim["unit"], claim.get("qualifier") or "", value])


_WORST = {v: i for i, v in enumerate(reversed([v for v in VERDICTS if v != "not checkable"]))}


def statement_verdicts(ledger: pd.DataFrame) -> pd.Series:
    """Each row's statement's verdict: its worst check (one inconsistent
    check makes the statement inconsistent); 'not checkable' only when no
    check of it can be made."""
    def worst(verdicts):
        checked = [v for v in verdicts if v != "not checkable"]
        return min(checked, key=_WORST.get) if checked else "not checkable"

    keys = ledger.apply(statement_key, axis=1)
    by_key = ledger.groupby(keys)["verdict"].agg(lambda v: worst(list(v)))
    return keys.map(by_key)


def summary(ledger: pd.DataFrame) -> dict:
    """Counts for the ledger page, per section: the checks (rows: 'claims',
    'checked', 'hold', 'fail' and each verdict) and the statements they check,
    each counted once ('statements', 'statements_checked', 'statements_hold',
    'statements_fail' and 'statements_<verdict>'), a statement taking its
    worst check's verdict; 'statements_checked_twice': those with more than
    one check."""
    out = {}
    verdicts = statement_verdicts(ledger) if len(ledger) else pd.Series(dtype=object)
    keys = ledger.apply(statement_key, axis=1) if len(ledger) else pd.Series(dtype=object)
    for section in SECTIONS:
        mask = ledger["section"] == section
        part = ledger[mask]
        counts = {v: int((part["verdict"] == v).sum()) for v in VERDICTS}
        first = ~keys[mask].duplicated()
        stmt = verdicts[mask][first]
        checks_per_statement = keys[mask][part["verdict"] != "not checkable"].value_counts()
        scounts = {v: int((stmt == v).sum()) for v in VERDICTS}
        out[section] = {
            "claims": int(len(part)),
            "checked": int(len(part) - counts["not checkable"]),
            "hold": sum(counts[v] for v in HOLDS),
            "fail": sum(counts[v] for v in FAILS),
            **counts,
            "statements": int(len(stmt)),
            "statements_checked": int(len(stmt) - scounts["not checkable"]),
            "statements_hold": sum(scounts[v] for v in HOLDS),
            "statements_fail": sum(scounts[v] for v in FAILS),
            "statements_checked_twice": int((checks_per_statement > 1).sum()),
            **{f"statements_{v}": n for v, n in scounts.items()},
        }
    return out


def by_kind(ledger: pd.DataFrame) -> pd.DataFrame:
    """The checks by kind: how many rows, how many checked, and each verdict
    (one row per kind, in the order of KIND_RULES, with its rule)."""
    rows = []
    for kind, rule in KIND_RULES.items():
        part = ledger[ledger["kind"] == kind]
        counts = {v: int((part["verdict"] == v).sum()) for v in VERDICTS}
        rows.append({"kind": kind, "rule": rule, "checks": int(len(part)),
                     "checked": int(len(part) - counts["not checkable"]), **counts})
    return pd.DataFrame(rows)


def coverage(data_dir=None, ledger_df: pd.DataFrame | None = None) -> dict:
    """What the ledger covers, counted from its rows (for the front page and
    the ledger page, so that 'every statement ... that can be checked' is a
    count, not a claim):

    * 'relations': checks of the report's arithmetic that its figures (or a
      release's, where it prints no input) can make, each with a verdict;
    * 'statements' / 'statements_checked' / 'statements_not_checkable': the
      report's quantitative statements in the ledger, each counted once, and
      how many of them have at least one check and how many none (each of
      those says which figure is missing);
    * 'comparisons' / 'comparison_statements': the report's figures set
      against a release or a later source (checks, and figures counted once);
    * 'fail' / 'statements_fail' and 'comparison_fail' /
      'comparison_statements_fail': what does not hold."""
    df = compute(data_dir) if ledger_df is None else ledger_df
    s = summary(df)
    report, comparison = s["report"], s["comparison"]
    return {
        "relations": report["checked"],
        "statements": report["statements"],
        "statements_checked": report["statements_checked"],
        "statements_not_checkable": report["statements_not checkable"],
        "fail": report["fail"],
        "statements_fail": report["statements_fail"],
        "comparisons": comparison["checked"],
        "comparison_statements": comparison["statements_checked"],
        "comparison_fail": comparison["fail"],
        "comparison_statements_fail": comparison["statements_fail"],
    }
