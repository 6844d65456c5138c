"""The ledger's verdicts in the data download (written by the build, so always current)."""

from __future__ import annotations

import math

import pandas as pd

from sobook import data
from sobook.data.descriptor import tabular_resource
from sobook.ledger.compute import compute
from sobook.ledger.rules import KIND_RULES, RESOURCE, SECTIONS, VERDICT_RULES, VERDICTS

# --------------------------------------------------------------------------
# the verdicts in the data download (written by the build, so always current)

DOWNLOAD_NAME = "claims_verdicts"

_DOWNLOAD_FIELDS = [
    # name, type, title, description (numbers carry their unit per row)
    ("claim_id", "string", "Claim id", "The claim's id in data/claims.csv (C001 ...); the ledger page's row has the "
     "anchor claim-c001."),
    ("claim_row_id", "string", "Claim row id", "The claim's row_id in data/claims.csv (claim_c001)."),
    ("section", "string", "Ledger section", "report = the report's arithmetic, checked against its own figures; "
     "comparison = the report's figure against the same quantity in a release or a later source."),
    ("kind", "string", "Kind of check", "The kind of relation checked; the rule for each kind is in field "
     "'kind_rule'."),
    ("kind_rule", "string", "Rule of the kind", "The one rule applied to every check of this kind."),
    ("paragraph", "string", "Paragraph of the report (block id)", "The block of the report that makes the "
     "statement: the id of its English paragraph in the book and of the Chinese in data/source/original.json."),
    ("statement_en", "string", "Statement (English)", "The statement in the edition's English, shortened ('…'); "
     "words in square brackets say which figure is checked."),
    ("period", "string", "Period", "The period the stated value refers to."),
    ("stated_value", "number", "Stated value", "The value the report states, in the unit of field 'unit'."),
    ("unit", "string", "Unit", "Unit of stated_value and of every recomputed value in the row."),
    ("qualifier", "string", "Qualifier", "How the report hedges the stated value: 'about', 'more than', 'nearly', "
     "or empty."),
    ("stated_as_printed", "string", "Stated value as printed", "The number as the report prints it, in its own "
     "unit (7110.6 for 7110.6亿美元), which gives its precision."),
    ("stated_range_low", "number", "Stated value: low end", "The lowest value the printed figure can stand for "
     "(half a unit of its last digit below it; for 'more than N', N)."),
    ("stated_range_high", "number", "Stated value: high end", "The highest value the printed figure can stand for; "
     "empty for 'more than N' (no upper end)."),
    ("check_formula", "string", "Check formula", "The arithmetic over the data package's row ids that should give "
     "the stated value; empty when the statement cannot be checked."),
    ("inputs", "string", "Inputs", "The printed figures the formula reads, with their values ('row_id = value')."),
    ("recomputed_value", "number", "Recomputed value", "The formula evaluated on the figures exactly as printed (for "
     "kinds at_most, at_least and ranks_first, the bound the stated value must keep to)."),
    ("recomputed_range_low", "number", "Recomputed: low end", "The lowest value the formula takes when each input "
     "lies anywhere within its own rounding (interval arithmetic)."),
    ("recomputed_range_high", "number", "Recomputed: high end", "The highest such value."),
    ("difference", "number", "Difference", "recomputed_value minus stated_value."),
    ("verdict", "string", "Verdict", " ".join(f"{v}: {rule}" for v, rule in VERDICT_RULES.items())),
    ("statement_verdict", "string", "Verdict on the statement", "The statement's verdict over all its checks (one "
     "statement may be checked in two ways): its worst check's verdict. Count statements by this field, once each "
     "(field 'statement')."),
    ("statement", "string", "Statement key", "What makes rows one statement: section, paragraph, period, measure, "
     "unit, qualifier and stated value."),
    ("note", "string", "Note", "What the check assumes or where its inputs come from; for a statement that cannot "
     "be checked, why."),
]


def verdicts_table(data_dir=None) -> pd.DataFrame:
    """The ledger's verdicts as a tidy table, one row per check (the
    download's 'claims_verdicts.csv'): computed from the data, never stored
    by hand."""
    df = compute(data_dir)

    def num(x):
        return None if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))) else float(f"{x:.12g}")

    rows = []
    for r in df.to_dict("records"):
        rows.append({
            "claim_id": r["claim_id"], "claim_row_id": r["row_id"], "section": r["section"], "kind": r["kind"],
            "kind_rule": KIND_RULES[r["kind"]], "paragraph": r["source_block_id"], "statement_en": r["statement_en"],
            "period": r["period"], "stated_value": num(r["value"]), "unit": r["unit"],
            "qualifier": r.get("qualifier") or "", "stated_as_printed": r["stated_printed"],
            "stated_range_low": num(r["stated_lo"]), "stated_range_high": num(r["stated_hi"]),
            "check_formula": r["check_formula"] or "", "inputs": r["inputs"] or "",
            "recomputed_value": num(r["recomputed"]), "recomputed_range_low": num(r["recomputed_lo"]),
            "recomputed_range_high": num(r["recomputed_hi"]), "difference": num(r["difference"]),
            "verdict": r["verdict"], "statement_verdict": r["statement_verdict"], "statement": r["statement"],
            "note": r["source_note"] or "",
        })
    out = pd.DataFrame(rows, columns=[f[0] for f in _DOWNLOAD_FIELDS])
    for name, typ, *_ in _DOWNLOAD_FIELDS:
        if typ == "number":
            out[name] = out[name].astype("float64")
    return out


def verdicts_resource(data_dir=None) -> dict:
    """The Frictionless descriptor of verdicts_table() as 'claims_verdicts.csv',
    with field titles, descriptions and units, the licence and sources of the
    claims resource it is computed from."""
    claims_res = next(r for r in data.descriptor(data_dir)["resources"] if r["name"] == RESOURCE)
    unit_enum = next(f for f in claims_res["schema"]["fields"] if f["name"] == "unit")["constraints"]["enum"]
    enums = {"section": list(SECTIONS), "kind": list(KIND_RULES), "verdict": list(VERDICTS),
             "statement_verdict": list(VERDICTS), "unit": unit_enum,
             "qualifier": ["about", "more than", "nearly"]}
    required = ("claim_id", "claim_row_id", "section", "kind", "verdict", "statement_verdict", "unit")
    extras = {}
    for name, typ, *_ in _DOWNLOAD_FIELDS:
        extra = {"unit": "per row, in field 'unit'"} if typ == "number" else {}
        constraints = ({"enum": enums[name]} if name in enums else {}) | ({"required": True} if name in required else {})
        extras[name] = extra | ({"constraints": constraints} if constraints else {})
    return tabular_resource(
        DOWNLOAD_NAME, _DOWNLOAD_FIELDS, field_extras=extras, primary_key=["claim_id"],
        title="The claims ledger's verdicts: every check of the report's arithmetic, recomputed",
        description="One row per check of data/claims.csv: the stated value and the range it stands for, the "
                    "formula, its inputs, the recomputed value and its range (interval arithmetic over the "
                    "inputs' printed precision), the verdict, and the verdict on the statement (a statement "
                    "checked two ways counts once: field 'statement'). Computed by sobook/ledger/ from the "
                    "data package when the book is built, so it always matches the data; the rule of each kind "
                    "of check is in field 'kind_rule'.",
        licenses=claims_res.get("licenses", []), sources=claims_res.get("sources", []))
