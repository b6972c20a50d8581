"""Unborn children: the named rule that joins an unborn record to the same pregnancy's
other records and to the baby once born, and keeps it apart from brothers and sisters
at the same address (issue 14, item 10)."""

import datetime as dt

from safeguarding.children import services, unborn
from safeguarding.children.models import AgencyRecord
from safeguarding.children.tasks import run_now
from tests.children.conftest import SYSTEM, TODAY
from tests.children.test_linking import _send as send_one_row

EXPECTED = dt.date(2027, 1, 20)


def household(uid, *, last_name="Nowak", born=None, expected=None, postcode="SV1 4XY", address="7 Birch Close"):
    return unborn.HouseholdRecord(0, uid, postcode, address, last_name, born, expected)


def test_the_rule_joins_one_pregnancy_and_the_baby_and_parts_an_older_sibling():
    same, apart = unborn.rule_pairs(
        [
            household("csc:U1", expected=EXPECTED),
            household("hv:U2", last_name="", expected=EXPECTED + dt.timedelta(weeks=3)),  # no name yet
            household("gp:B1", born=EXPECTED - dt.timedelta(weeks=5)),  # born early
            household("gp:S1", born=dt.date(2019, 4, 2)),  # an older sister
            household("gp:X1", last_name="Okafor", born=EXPECTED),  # another family at the address
            household("gp:Y1", born=EXPECTED, address="9 Birch Close"),  # next door
        ]
    )
    # hv:U2 has no last name and two families' babies were born there: it joins only
    # the other unborn record (and so the baby, through it).
    assert same == {frozenset(p) for p in [("csc:U1", "hv:U2"), ("csc:U1", "gp:B1")]}
    assert apart == {frozenset(p) for p in [("csc:U1", "gp:S1"), ("hv:U2", "gp:S1")]}


def test_the_window_for_the_birth_is_ten_weeks_early_to_four_weeks_late():
    assert unborn.could_be_the_baby(expected_on=EXPECTED, date_of_birth=EXPECTED - dt.timedelta(weeks=10))
    assert not unborn.could_be_the_baby(expected_on=EXPECTED, date_of_birth=EXPECTED - dt.timedelta(weeks=10, days=1))
    assert unborn.could_be_the_baby(expected_on=EXPECTED, date_of_birth=EXPECTED + dt.timedelta(weeks=4))
    assert not unborn.could_be_the_baby(expected_on=EXPECTED, date_of_birth=EXPECTED + dt.timedelta(weeks=4, days=1))
    assert unborn.same_pregnancy(EXPECTED, EXPECTED + dt.timedelta(weeks=4))
    assert not unborn.same_pregnancy(EXPECTED, EXPECTED - dt.timedelta(weeks=4, days=1))


def test_a_household_without_a_usable_postcode_or_address_is_not_joined():
    same, apart = unborn.rule_pairs(
        [household("csc:U1", expected=EXPECTED, postcode=""), household("gp:B1", born=EXPECTED, postcode="")]
    )
    assert same == set() and apart == set()


def _send(line: str):
    return send_one_row(line, extra_columns=("expected_on",))


def test_an_unborn_child_becomes_a_born_one_apart_from_its_sister_and_a_run_keeps_it(linked):
    expected = TODAY + dt.timedelta(days=14)
    born = TODAY - dt.timedelta(days=7)  # three weeks early
    _send("southvale-gp,SIS-1,Amelia,,Wrenfield,2019-04-02,F,,SV1 4XY,7 Birch Close,2024-01-01,")
    _send(f"northshire-csc,UNB-1,,,Wrenfield,,,,SV1 4XY,7 Birch Close,2026-06-01,{expected}")
    sister, baby_unborn = (AgencyRecord.objects.get(record_id=r) for r in ("SIS-1", "UNB-1"))
    assert baby_unborn.is_unborn and baby_unborn.child_id != sister.child_id
    report = _send(f"southvale-gp,NEW-B,Maja,,Wrenfield,{born},F,,SV1 4XY,7 Birch Close,{born},")
    assert report.matched.linked == 1
    baby = AgencyRecord.objects.get(record_id="NEW-B")
    assert baby.child_id == baby_unborn.child_id != sister.child_id
    run_now(services.linkage_run_start(actor=SYSTEM, enqueue=False))
    sister, baby_unborn, baby = (AgencyRecord.objects.get(record_id=r) for r in ("SIS-1", "UNB-1", "NEW-B"))
    assert baby.child_id == baby_unborn.child_id != sister.child_id
