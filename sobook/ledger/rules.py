"""The ledger's verdicts and sections, and the one rule of each kind of check."""

from __future__ import annotations

RESOURCE = "claims"
VERDICTS = ("consistent", "consistent within rounding", "inconsistent", "not checkable")
SECTIONS = ("report", "comparison")

# One rule per kind of check, applied to every statement of that kind (the
# ledger page shows this table; data/claims.csv's field 'kind' names them).
KIND_RULES = {
    "sum": "A total against its parts, or the shares of one whole against 100%: the parts must add up to the whole.",
    "share": "A share against the two figures it is a share of: the part over the whole must give it.",
    "cagr": "Average annual growth against its end points: (end ÷ start) to the power 1/years, less 1, over the "
            "years from the base year to the end year.",
    "yoy": "Growth on the year before against the two years' values.",
    "multiple": "A 倍 multiple (an increase by X times) against the average growth printed beside it: "
                "(1 + X) to the power 1/years, less 1.",
    "pp_gap": "A difference in percentage points against the two rates it is the difference of.",
    "cumulative": "A sum over years against the yearly values it adds up.",
    "stock_flow": "A stock's growth since a base year against the flows into it: the stock at the end less what was "
                  "added over the period must be the base stock the stated growth implies (nothing leaving).",
    "more_than": "'More than N' (or 'more than N a year') as stated: the value it speaks of, or every yearly value "
                 "(their smallest), must exceed N.",
    "average": "An average per year or per city against its total and the number it is divided by.",
    "implied_base": "Growth or a change against a base year that no figure gives: the statement cannot be checked.",
    "comparison": "The report's figure against the same quantity in a public release or a later source.",
}
KINDS = tuple(KIND_RULES)


class LedgerError(Exception):
    """A claim that cannot be evaluated as written (unknown row, bad formula)."""
