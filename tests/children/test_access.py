"""Who looked at a child's record, and access that looks unusual."""

import datetime as dt

from django.urls import reverse

from safeguarding.children import rules
from safeguarding.children.models import AgencyRecord, Child
from safeguarding.core.audit import record_child_read
from safeguarding.core.models import AuditEvent
from tests.conftest import make_persona, sign_in

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def test_many_different_children_within_an_hour_is_unusual_and_the_same_child_again_is_not():
    quick = [(T0 + dt.timedelta(minutes=2 * n), f"child-{n}") for n in range(20)]
    assert rules.unusual_burst(quick) == T0 + dt.timedelta(minutes=38)
    assert rules.unusual_burst(quick[:19]) is None
    same_child = [(T0 + dt.timedelta(minutes=n), "child-1") for n in range(50)]
    assert rules.unusual_burst(same_child) is None
    spread = [(T0 + dt.timedelta(minutes=5 * n), f"child-{n}") for n in range(20)]  # 95 minutes
    assert rules.unusual_burst(spread) is None


def test_a_reader_outside_every_area_of_the_child_is_flagged():
    assert rules.outside_their_area({1}, {2})
    assert not rules.outside_their_area({1, 2}, {2})
    assert not rules.outside_their_area(set(), {2})


def test_the_business_manager_sees_every_look_under_old_and_new_ids(client, linked):
    record = AgencyRecord.objects.exclude(child=None).select_related("child").order_by("pk").first()
    child = record.child
    old = Child.objects.create(created_at=T0, status="merged", merged_into=child)
    practitioner = make_persona("mash_practitioner")
    record_child_read(actor=practitioner, instance=old, purpose="MASH enquiry before the merge")
    record_child_read(actor=practitioner, instance=child, purpose="Section 47 enquiry")
    manager = make_persona("business_manager")
    sign_in(client, manager)
    page = client.get(reverse("children:access_log"), {"child": old.reference}).content.decode()
    assert child.reference in page  # the old ID leads to the child it was merged into
    assert "MASH enquiry before the merge" in page and "Section 47 enquiry" in page
    assert AuditEvent.objects.filter(
        actor=manager, action="read", object_id=str(child.pk), purpose__startswith="Checking who has looked"
    ).exists()
    assert "No child has this ID" in client.get(reverse("children:access_log"), {"child": "CH-NOPE"}).content.decode()


def test_someone_reading_many_children_quickly_is_flagged_on_each_child_they_read(client, linked):
    children = list(Child.objects.filter(status="active").order_by("pk")[:20])
    browser = make_persona("mash_practitioner")
    for child in children:
        record_child_read(actor=browser, instance=child, purpose="Looking around")
    sign_in(client, make_persona("business_manager"))
    page = client.get(reverse("children:access_log"), {"child": children[0].reference}).content.decode()
    assert "looked at many different children within an hour" in page
