"""The ledger's verdicts and sections, and the one rule of each kind of check."""

from __future__ import annotations

RESOURCE = "claims"
SECTIONS = ("report", "comparison")

# The verdicts, best first, each defined once (the ledger page shows these
# definitions; compute.judge applies them).
VERDICT_RULES = {
    "consistent": "The formula, worked out on the figures exactly as printed, gives the stated figure (rounded as "
                  "the report prints it), or, for a bound, keeps to it.",
    "consistent within rounding": "It does not, but some values of the inputs within their rounding give a result "
                                  "within the rounding of the stated figure. Two ranges that only touch, at a "
                                  "rounding boundary, do not count: a value on the boundary is printed one way only.",
    "differs in the last digit": "Even allowing for rounding the two do not meet, and the recomputed value, rounded "
                                 "as the stated figure is printed, is one unit of its last digit above or below it.",
    "inconsistent": "Even allowing for rounding the two do not meet, by more than one unit of the last digit, or a "
                    "bound is broken.",
    "not checkable": "A figure the check would need is given neither by the report nor by the data package; the "
                     "row says which.",
}
VERDICTS = tuple(VERDICT_RULES)
HOLDS = ("consistent", "consistent within rounding")
FAILS = ("differs in the last digit", "inconsistent")

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
    "at_most": "At most: a part against the whole it belongs to, or a figure against the largest value the "
               "report's other figures allow: the stated figure must not exceed the recomputed one.",
    "at_least": "At least: a whole against its parts, or a figure against the smallest value the report's other "
                "figures allow: the stated figure must not fall below the recomputed one.",
    "ranks_first": "Ranks first (居首位): the stated figure must be at least as large as every other item of its "
                   "list; items the report gives only together are each at most their sum.",
    "list_count": "A count against the list the report names ('7 countries', 'thirteen certifications'): the items "
                  "listed, separated by the enumeration comma 、, counted.",
    "whole_number": "A share of a known number of things must be a whole number of them: the share the nearest "
                    "whole number gives (k out of N) must round to the stated share. Counts have no rounding, so "
                    "there is no 'within rounding' here.",
    "restated": "A figure the report gives in two places: the two must agree.",
    "implied_base": "Growth or a change against a base year that no figure gives: the statement cannot be checked.",
    "comparison": "The report's figure against the same quantity in a public release or a later source.",
}
KINDS = tuple(KIND_RULES)
# The relation each kind checks: the stated figure against the recomputed one.
AT_MOST, AT_LEAST = ("at_most",), ("at_least", "ranks_first")
EXACT = ("whole_number", "list_count")  # the recomputed value has no rounding


class LedgerError(Exception):
    """A claim that cannot be evaluated as written (unknown row, bad formula)."""
