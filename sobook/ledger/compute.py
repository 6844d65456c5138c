"""Every check of claims.csv, its verdict, and the summary and coverage by kind."""

from __future__ import annotations

import math
from dataclasses import dataclass

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
from sobook.ledger.rules import KIND_RULES, RESOURCE, SECTIONS, VERDICTS, LedgerError
from sobook.ledger.text import _plain

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
          recomputed: float, rng: Interval) -> tuple[str, Interval]:
    """The verdict rules, on numbers: `step` is one unit of the stated value's
    last printed digit, `generous` the same at the most generous reading."""
    tiny = 1e-9 * max(1.0, abs(stated))
    if qualifier == "more than":
        stated_range = Interval(stated, math.inf)
        if recomputed > stated - tiny:
            return "consistent", stated_range
        return ("consistent within rounding" if rng.hi > stated - tiny else "inconsistent"), stated_range
    half = generous / 2
    stated_range = Interval(stated - half, stated + half)
    if abs(recomputed - stated) <= step / 2 + tiny:
        return "consistent", stated_range
    wide = Interval(stated_range.lo - tiny, stated_range.hi + tiny)
    return ("consistent within rounding" if rng.overlaps(wide) else "inconsistent"), stated_range


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
    rng = interval_eval(tree, {n: input_interval(rows[n]) for n in names})
    verdict, stated_range = judge(
        float(claim["value"]), claim.get("qualifier") or "", float(prec.step), float(prec.generous), x, rng
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
            "inputs": "; ".join(f"{n} = {_plain(rows[n].value)}" for n in res.inputs),
            "verdict": res.verdict,
        })
    extra = pd.DataFrame(out, index=df.index)
    for col in ("recomputed", "difference", "recomputed_lo", "recomputed_hi", "stated_lo", "stated_hi"):
        extra[col] = extra[col].astype("float64")
    out_df = pd.concat([df, extra], axis=1)
    out_df["statement"] = out_df.apply(statement_key, axis=1)
    out_df["statement_verdict"] = statement_verdicts(out_df)
    return out_df


def statement_key(claim) -> str:
    """What makes two rows one statement of the report: the same paragraph,
    period, measure, unit, hedge and stated value (C040 and C041 check the
    eastern region's 70.5% in two ways: one statement, two checks)."""
    value = f"{float(claim['value']):.10g}"
    return "|".join([claim["section"], claim["source_block_id"], str(claim["period"]), claim["measure"],
                     claim["unit"], claim.get("qualifier") or "", value])


_WORST = {"inconsistent": 0, "consistent within rounding": 1, "consistent": 2}


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
    'checked' and each verdict) and the statements they check, each counted
    once ('statements', 'statements_checked', 'statements_hold' and
    'statements_<verdict>'), a statement taking its worst check's verdict."""
    out = {}
    verdicts = statement_verdicts(ledger) if len(ledger) else pd.Series(dtype=object)
    keys = ledger.apply(statement_key, axis=1) if len(ledger) else pd.Series(dtype=object)
    for section in SECTIONS:
        mask = ledger["section"] == section
        part = ledger[mask]
        counts = {v: int((part["verdict"] == v).sum()) for v in VERDICTS}
        first = ~keys[mask].duplicated()
        stmt = verdicts[mask][first]
        scounts = {v: int((stmt == v).sum()) for v in VERDICTS}
        out[section] = {
            "claims": int(len(part)),
            "checked": int(len(part) - counts["not checkable"]),
            "hold": counts["consistent"] + counts["consistent within rounding"],
            **counts,
            "statements": int(len(stmt)),
            "statements_checked": int(len(stmt) - scounts["not checkable"]),
            "statements_hold": scounts["consistent"] + scounts["consistent within rounding"],
            **{f"statements_{v}": n for v, n in scounts.items()},
        }
    return out


def coverage(ledger: pd.DataFrame) -> pd.DataFrame:
    """The checks by kind: how many rows, how many checked, and each verdict
    (one row per kind, in the order of KIND_RULES, with its rule)."""
    rows = []
    for kind, rule in KIND_RULES.items():
        part = ledger[ledger["kind"] == kind]
        counts = {v: int((part["verdict"] == v).sum()) for v in VERDICTS}
        rows.append({"kind": kind, "rule": rule, "checks": int(len(part)),
                     "checked": int(len(part) - counts["not checkable"]), **counts})
    return pd.DataFrame(rows)
