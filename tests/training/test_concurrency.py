"""Two people booking the last place at the same moment: one gets it, the other
joins the waiting list. The session row is locked while places are counted."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from safeguarding.core.audit import SystemActor
from safeguarding.training import services
from safeguarding.training.models import Booking
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")


@pytest.mark.django_db(transaction=True)
def test_two_people_cannot_both_take_the_last_place():
    school = OrganisationFactory(code="school", kind="school", email_domains="school.example")
    course = services.course_create(
        code="c",
        title="C",
        description="d",
        level="universal",
        format="classroom",
        duration_minutes=60,
        topics=[],
        outcomes=["o"],
        actor=SYSTEM,
    )
    starts = timezone.now() + datetime.timedelta(days=5)
    session = services.session_create(
        course=course,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        capacity=1,
        booking_deadline=starts.date(),
        venue="Hall",
        actor=SYSTEM,
    )
    barrier = threading.Barrier(2)
    errors = []

    def book(name):
        try:
            barrier.wait(timeout=10)
            services.booking_create(
                session=session,
                full_name=name,
                email=f"{name}@school.example",
                organisation=school,
                job_role="Teacher",
                actor=SYSTEM,
            )
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(name,)) for name in ("ann", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    statuses = sorted(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == ["confirmed", "waiting"]
