"""The verdict words of 'How the outlook fared', defined once, and the one function that chooses
one from what the numbers show."""

from __future__ import annotations

from enum import Enum

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
