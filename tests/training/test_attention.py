"""What training puts on people's home pages."""

import datetime as dt

from django.utils import timezone

from safeguarding.core.attention import attention_for
from tests.conftest import make_persona
from tests.factories import BookingFactory, SessionFactory


def _items(user) -> dict:
    return {item.title: item for item in attention_for(user)}


def test_the_coordinator_is_told_of_each_past_session_whose_register_is_not_taken(db):
    coordinator = make_persona("training_coordinator")
    now = timezone.now()
    untaken = SessionFactory(starts_at=now - dt.timedelta(days=3))
    BookingFactory(session=untaken)
    BookingFactory(session=untaken)  # two places: still one session
    half_taken = SessionFactory(starts_at=now - dt.timedelta(days=5))
    BookingFactory(session=half_taken, attended=True)
    BookingFactory(session=half_taken)
    taken = SessionFactory(starts_at=now - dt.timedelta(days=4))
    BookingFactory(session=taken, attended=True)
    BookingFactory(session=taken, no_show=True)
    BookingFactory(session=taken, waiting=True)  # no place: nothing to record
    cancelled = SessionFactory(starts_at=now - dt.timedelta(days=2), cancelled_at=now - dt.timedelta(days=9))
    BookingFactory(session=cancelled, status="cancelled")
    BookingFactory(session=SessionFactory(starts_at=now + dt.timedelta(days=2)))  # not happened yet
    in_progress = SessionFactory(starts_at=now - dt.timedelta(hours=1))  # ends in two hours
    BookingFactory(session=in_progress)

    item = _items(coordinator)["Training registers to take"]
    assert item.count == 2 and item.urgent
    assert item.url == "/training/manage/?show=past"


def test_with_every_register_taken_the_coordinator_is_told_nothing(db):
    coordinator = make_persona("training_coordinator")
    BookingFactory(session=SessionFactory(starts_at=timezone.now() - dt.timedelta(days=3)), attended=True)
    assert "Training registers to take" not in _items(coordinator)


def test_only_those_who_manage_training_are_told_of_registers(db):
    BookingFactory(session=SessionFactory(starts_at=timezone.now() - dt.timedelta(days=3)))
    assert "Training registers to take" in _items(make_persona("business_manager"))
    for role in ("analyst", "board_member", "scrutiny_member"):
        assert "Training registers to take" not in _items(make_persona(role)), role


def test_staff_see_their_own_upcoming_places_only(db):
    andy = make_persona("analyst")
    now = timezone.now()
    for days in (3, 10):
        BookingFactory(session=SessionFactory(starts_at=now + dt.timedelta(days=days)), person=andy.person)
    BookingFactory(session=SessionFactory(starts_at=now + dt.timedelta(days=5)), person=andy.person, waiting=True)
    BookingFactory(session=SessionFactory(starts_at=now - dt.timedelta(days=5)), person=andy.person, attended=True)
    BookingFactory(session=SessionFactory(starts_at=now + dt.timedelta(days=3)))  # someone else's
    item = _items(andy)["Your training bookings"]
    assert (item.count, item.url) == (2, "/training/")


def test_no_places_no_item_and_scrutiny_members_do_not_book(db):
    andy = make_persona("analyst")
    assert "Your training bookings" not in _items(andy)
    councillor = make_persona("scrutiny_member")
    BookingFactory(session=SessionFactory(starts_at=timezone.now() + dt.timedelta(days=3)), person=councillor.person)
    assert "Your training bookings" not in _items(councillor)
