"""The demo tells the move alerts' story: a past year of moves the MASH handled (some
found late), a delivery today whose moves raise alerts through the real import, and a
misspelt name that "Is this child known?" still finds."""

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.children import selectors
from safeguarding.children.matching import index_cache
from safeguarding.children.models import ImportBatch
from safeguarding.core.audit import SystemActor
from safeguarding.core.working_days import working_days_between
from safeguarding.demo.moves import OLD_REASON
from safeguarding.moves import rules
from safeguarding.moves.models import MoveAlert

TODAY = dt.date(2026, 11, 30)
# Fewer records leave no move in the last 15 months to make a history of.
RECORDS = 6_000


@pytest.fixture(scope="module")
def story(django_db_setup, django_db_blocker):
    """The children's part of the demo, loaded once for the module and rolled back."""
    from django.db import transaction
    from django.test import override_settings

    from safeguarding.accounts.models import Area
    from safeguarding.demo.children import SOURCE_ORGANISATIONS, load_children
    from tests.factories import OrganisationFactory

    index_cache.reset()
    with django_db_blocker.unblock(), transaction.atomic():
        Area.objects.create(code="E06999001", name="Northshire")
        Area.objects.create(code="E06999002", name="Southvale")
        for code in set(SOURCE_ORGANISATIONS.values()):
            OrganisationFactory(code=code)
        with override_settings(DEMO_CHILD_RECORDS=RECORDS):
            yield load_children(rng=None, actor=SystemActor("test"), today=TODAY)
        transaction.set_rollback(True)
    index_cache.reset()


@pytest.fixture
def demo(story, db):
    return story


def test_todays_delivery_raises_alerts_through_the_real_import(demo):
    delivery = ImportBatch.objects.get(file_name="demo-delivery.csv")
    assert delivery.origin == "demo"
    raised = MoveAlert.objects.filter(status=MoveAlert.Status.NEW)
    assert {a.pk for a in raised} == {a.pk for a in demo.raised_today}
    assert len(demo.raised_today) >= 4 and not demo.shortfall
    assert {(a.from_area.name, a.to_area.name) for a in raised} == {
        ("Northshire", "Southvale"),
        ("Southvale", "Northshire"),
    }
    for alert in raised:
        assert alert.trigger_record.batch == delivery
        assert alert.evidence and any(e["record"] == alert.trigger_record.unique_id for e in alert.evidence)
        assert alert.address_changed_on < TODAY  # the delivery's address date, not the day it arrived
        assert alert.updates.get().actor_label == "system: move detection"
    with_plan = [a for a in raised if a.cp_plan]
    assert with_plan
    for alert in with_plan:
        assert working_days_between(timezone.localdate(alert.raised_at), alert.conference_due_on) == 15


def test_the_past_year_was_handled_and_some_moves_were_found_late(demo):
    closed = MoveAlert.objects.filter(status=MoveAlert.Status.CLOSED)
    history = closed.exclude(closed_reason=OLD_REASON)
    assert history.count() >= 3 and demo.found_late >= 1
    late = 0
    for alert in history:
        raised_on = timezone.localdate(alert.raised_at)
        assert TODAY - dt.timedelta(days=460) <= alert.address_changed_on < raised_on
        assert alert.raised_at < alert.acknowledged_at < alert.closed_at
        assert timezone.localdate(alert.closed_at) < TODAY
        assert all(seen["received"] <= raised_on.isoformat() for seen in alert.evidence)
        if alert.cp_plan:
            assert alert.conference_due_on == rules.transfer_in_conference_due(raised_on)
            assert alert.conference_held_on
        steps = list(alert.updates.values_list("status", "at"))
        assert steps[0] == ("new", alert.raised_at) and steps[-1] == ("closed", alert.closed_at)
        assert ("acknowledged", alert.acknowledged_at) in steps
        late += rules.found_late(alert.address_changed_on, raised_on)
    assert late == demo.found_late
    # Older moves were found on the areas' first linkage run, 15 months ago in the story:
    # out of this year's figures.
    first_run = closed.filter(closed_reason=OLD_REASON)
    assert first_run.exists()
    (day,) = {timezone.localdate(a.raised_at) for a in first_run}
    assert TODAY - dt.timedelta(days=460) < day < TODAY - dt.timedelta(days=450)
    assert all(a.address_changed_on < day and a.acknowledged_at == a.closed_at for a in first_run)
    still_open = MoveAlert.objects.exclude(status__in=[MoveAlert.Status.NEW, MoveAlert.Status.CLOSED])
    assert still_open.exists()
    assert all(a.acknowledged_at and timezone.localdate(a.raised_at) < TODAY for a in still_open)


def test_a_misspelt_name_still_finds_the_child(demo):
    example = demo.lookup
    assert example and f"{example.first_name} {example.last_name}" != example.spelt
    found = selectors.lookup_unscoped(
        {
            "first_name": example.first_name,
            "last_name": example.last_name,
            "date_of_birth": example.date_of_birth.isoformat(),
        }
    )
    assert found[0].reference == example.reference
    assert len(found[0].agencies) == example.agencies >= 3
    assert any(line.startswith("Try 'Is this child known?' with:") for line in demo.hints())


def test_the_demo_holds_an_unborn_child_apart_from_its_family_and_keeps_flagged_cells(demo):
    """Issue 14: the demo shows the pre-birth record and the flagged cells (a date of birth
    typed into the future is kept, flagged and not used, not dropped)."""
    from safeguarding.children.models import AgencyRecord

    unborn = AgencyRecord.objects.get(source__code="northshire-csc", record_id="NCSC-PREBIRTH-1")
    assert unborn.is_unborn and unborn.expected_on == TODAY + dt.timedelta(weeks=8)
    assert unborn.child is not None
    household = AgencyRecord.objects.filter(postcode=unborn.postcode, address=unborn.address).exclude(pk=unborn.pk)
    assert household.exists()
    assert not household.filter(child=unborn.child).exists()  # not joined to a brother or sister

    flagged = AgencyRecord.objects.get(source__code="northshire-gp", record_id="NGP-FLAGGED-1")
    assert set(flagged.flags) == {"date_of_birth", "sex"}
    assert flagged.date_of_birth is None and flagged.flags["date_of_birth"]["value"] > TODAY.isoformat()
    social_care = AgencyRecord.objects.filter(source__code="northshire-csc", nhs_number=flagged.nhs_number)
    assert social_care.get().child == flagged.child  # linked all the same
