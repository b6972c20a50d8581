"""Why a record matched a lookup, in words a practitioner reads (pure: tested alone).

The model scores each field of the search against the record (``CandidateIndex.score``:
(field, level, weight)); a reason says which detail agreed exactly, which nearly (one
letter different, day and month swapped) and which disagreed. The match figure is the
model's probability for this search against this record; shown rounded, 0.99994 read
"100%" for a misspelt name, as if certain. It is cut down, never rounded up, and no
search is ever shown as certain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from safeguarding.children.policy import Part

FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "nhs_number": "NHS number",
    "address": "Address or postcode",
    "sex": "Sex",
}

# The part of a child's record a reason speaks about: a reader whose desk may not see
# addresses is not told that a record's postcode is the one searched for.
FIELD_PARTS = {"address": Part.ADDRESSES}

EXACT_LEVELS = frozenset({"exact", "same", "same address and postcode"})

LEVEL_WORDS = {
    "exact": "the same",
    "same": "the same",
    "different": "different",
    "nickname": "a short form of the same name",
    "swapped with surname": "given the other way round (first and last name swapped)",
    "swapped with middle name": "given as a middle name",
    "one typo": "one letter different",
    "letters transposed": "two letters swapped",
    "two typos": "two letters different",
    "sounds alike": "spelt differently, sounds the same",
    "shares a part": "shares part of a double-barrelled name",
    "day and month transposed": "day and month swapped",
    "one day apart": "one day apart",
    "one year apart": "one year apart",
    "same address and postcode": "the same address and postcode",
    "same address": "the same address, another postcode",
    "same postcode": "the same postcode, another address",
    "same number and street": "the same house number and street",
    "same postcode sector": "the same postcode sector",
    "same postcode district": "the same postcode district",
}
NHS_WORDS = {"one typo": "one digit different, or two digits swapped"}


@dataclass(frozen=True)
class Reason:
    field: str
    label: str
    words: str
    verdict: str  # "agrees", "close" or "differs"
    weight: float


def reasons(fields: list[tuple[str, str, float]]) -> list[Reason]:
    """A reason for each detail the search gave and the record holds ("missing" levels:
    one side had nothing to compare)."""
    out = []
    for name, level, weight in fields:
        if level == "missing":
            continue
        words = (NHS_WORDS if name == "nhs_number" else {}).get(level) or LEVEL_WORDS.get(level, level)
        if level in EXACT_LEVELS:
            verdict = "agrees"
        elif weight > 0:
            verdict = "close"
        else:
            verdict = "differs"
        out.append(Reason(name, FIELD_LABELS.get(name, name.replace("_", " ").capitalize()), words, verdict, weight))
    return out


def visible_reasons(found: list[Reason], parts: frozenset) -> list[Reason]:
    """The reasons a desk may read: identity fields need the identity part, the address
    the addresses part."""
    return [r for r in found if FIELD_PARTS.get(r.field, Part.IDENTITY) in parts]


def match_shown(probability: float) -> str:
    """The match as a whole percentage, cut down (floor) and never 100%: a probability is
    never certainty, and which details differ is said beside it (``reasons``)."""
    return f"{max(min(math.floor(probability * 100), 99), 0)}%"


def summary(found: list[Reason]) -> str:
    """One line: how many of the details compared agree exactly."""
    if not found:
        return ""
    agreeing = sum(r.verdict == "agrees" for r in found)
    if agreeing == len(found):
        return "Every detail compared agrees" if len(found) > 1 else "The one detail compared agrees"
    return f"{agreeing} of {len(found)} details compared agree exactly"
