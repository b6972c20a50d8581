"""Unborn children (a pre-birth child protection plan): a record with an expected date
of delivery and no date of birth.

The model cannot link such a record (it has no date of birth and often no first name),
and left to itself it might join it to an older brother or sister at the same address.
So a named rule decides, before the model: an unborn record is the same child as
another record at the same address (postcode and address line, as delivered and not
flagged), with no different last name, when

- the other is unborn too and expected within four weeks of it (two agencies, one
  pregnancy), or
- the other has a date of birth from ten weeks before the expected date to four weeks
  after it: the baby, born (so the unborn child becomes a born one);

and it is *not* the same child as any other child at that address (a sibling). An
unnamed unborn record where babies of two last names were born is left to the model. The
pairs are handed to linkage as must-link and cannot-link, like practitioners' decisions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from safeguarding.children.models import AgencyRecord
from safeguarding.linkage.normalise import address_info, name_key, postcode_parts

BORN_UP_TO_BEFORE = dt.timedelta(weeks=10)  # born early
BORN_UP_TO_AFTER = dt.timedelta(weeks=4)  # born late (induction is offered by 42 weeks)
SAME_PREGNANCY_WITHIN = dt.timedelta(weeks=4)
# A query's list of postcodes stays short (no unbounded IN).
POSTCODE_CHUNK = 500


def could_be_the_baby(*, expected_on: dt.date, date_of_birth: dt.date) -> bool:
    return expected_on - BORN_UP_TO_BEFORE <= date_of_birth <= expected_on + BORN_UP_TO_AFTER


def same_pregnancy(a: dt.date, b: dt.date) -> bool:
    return abs(a - b) <= SAME_PREGNANCY_WITHIN


@dataclass(frozen=True)
class HouseholdRecord:
    pk: int
    unique_id: str
    postcode: str
    address: str
    last_name: str
    date_of_birth: dt.date | None
    expected_on: dt.date | None

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_on is not None


def household_key(postcode: str, address: str) -> tuple[str, str] | None:
    """The household a record is at, or None when its postcode is blank or not a postcode
    (a flagged postcode is blank) or it has no address line."""
    parts = postcode_parts(postcode)
    line = address_info(address)[0]
    if parts is None or not line:
        return None
    return parts[0], line


def rule_pairs(records: Iterable[HouseholdRecord]) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """(same child, not the same child) pairs of record IDs, by the rule above (pure)."""
    households: dict[tuple[str, str], list[HouseholdRecord]] = {}
    for record in records:
        key = household_key(record.postcode, record.address)
        if key is not None:
            households.setdefault(key, []).append(record)
    same: set[frozenset[str]] = set()
    apart: set[frozenset[str]] = set()
    for members in households.values():
        for unborn in (m for m in members if m.is_unborn):
            surname = name_key(unborn.last_name)
            babies: dict[str | None, list[frozenset[str]]] = {}
            for other in members:
                if other.unique_id == unborn.unique_id:
                    continue
                pair = frozenset((unborn.unique_id, other.unique_id))
                other_surname = name_key(other.last_name)
                if surname and other_surname and surname != other_surname:
                    continue  # another family at the address: the model decides
                if other.is_unborn:
                    (same if same_pregnancy(unborn.expected_on, other.expected_on) else apart).add(pair)
                elif other.date_of_birth is not None:
                    if could_be_the_baby(expected_on=unborn.expected_on, date_of_birth=other.date_of_birth):
                        babies.setdefault(other_surname, []).append(pair)
                    else:
                        apart.add(pair)
            # An unnamed unborn record at an address where two families' babies were born
            # is not guessed: the model and the practitioners decide.
            if len(babies) == 1:
                same.update(*babies.values())
    return same, apart - same


def _household_records(postcodes: set[str]) -> list[HouseholdRecord]:
    found = []
    ordered = sorted(postcodes)
    for start in range(0, len(ordered), POSTCODE_CHUNK):
        rows = AgencyRecord.objects.filter(postcode__in=ordered[start : start + POSTCODE_CHUNK]).values_list(
            "pk", "source__code", "record_id", "postcode", "address", "last_name", "date_of_birth", "expected_on"
        )
        found += [HouseholdRecord(k, f"{s}:{r}", p, a, n, b, e) for k, s, r, p, a, n, b, e in rows]
    return found


def _unborn_postcodes() -> set[str]:
    return set(
        AgencyRecord.objects.filter(date_of_birth__isnull=True, expected_on__isnull=False)
        .exclude(postcode="")
        .values_list("postcode", flat=True)
    )


@dataclass
class RulePairs:
    same: set[frozenset[str]]
    apart: set[frozenset[str]]
    pk_of: dict[str, int]

    def same_child_as(self, unique_id: str) -> list[str]:
        return sorted(other for pair in self.same if unique_id in pair for other in pair if other != unique_id)


def pairs_for(records: Iterable[AgencyRecord] | None = None) -> RulePairs:
    """The rule's pairs among the households of ``records`` that hold an unborn record
    (every such household when None). Unborn records are few, so this reads little."""
    postcodes = _unborn_postcodes()
    if records is not None:
        postcodes &= {r.postcode for r in records}
    if not postcodes:
        return RulePairs(set(), set(), {})
    members = _household_records(postcodes)
    same, apart = rule_pairs(members)
    return RulePairs(same, apart, {m.unique_id: m.pk for m in members})
