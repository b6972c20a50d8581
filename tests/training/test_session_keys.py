"""A training session's key in a data package (issue 14, item 9): written as
course/YYYY-MM-DDTHH:MM:SS, and read in that form or without the seconds,
course/YYYY-MM-DDTHH:MM, as the documentation once said."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import PackageError, export_rows, import_files
from safeguarding.training import services
from safeguarding.training.datapackage import normalise_session_key
from safeguarding.training.models import Booking
from tests.factories import OrganisationFactory, gcp2_course

SYSTEM = SystemActor("test")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def course(db):
    OrganisationFactory(code="school", name="Riverside High", kind="school")
    topic = services.topic_create(code="neglect", title="Neglect", actor=SYSTEM)
    course = gcp2_course(topics=[topic], actor=SYSTEM)
    starts = dt.datetime(2026, 1, 15, 9, 30, tzinfo=LONDON)
    services.session_create(
        course=course,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=10,
        booking_deadline=starts.date(),
        actor=SYSTEM,
    )
    return course


def booking(session, email, booked_at="2026-01-02T10:00:00"):
    return {
        "session": session,
        "email": email,
        "full_name": email.split("@")[0].title(),
        "organisation": "school",
        "job_role": "Teacher",
        "status": "confirmed",
        "booked_at": booked_at,
    }


def test_a_session_key_is_read_with_or_without_seconds(course):
    report = import_files(
        {
            "bookings.csv": [
                booking("gcp2/2026-01-15T09:30:00", "ann@riverside.example"),
                booking("gcp2/2026-01-15T09:30", "bob@riverside.example"),
            ]
        },
        actor=SYSTEM,
    )
    assert report.counts["bookings.csv"]["created"] == 2
    assert sorted(Booking.objects.filter(session__course=course).values_list("email", flat=True)) == [
        "ann@riverside.example",
        "bob@riverside.example",
    ]
    # Written with the seconds, whichever form was read.
    from safeguarding.core.datapackage import REGISTRY

    spec = next(s for s in REGISTRY if s.name == "bookings.csv")
    assert {row["session"] for row in export_rows(spec)} == {"gcp2/2026-01-15T09:30:00"}


def test_both_forms_name_the_same_booking_and_a_session_in_the_same_package(course):
    with pytest.raises(PackageError) as refused:
        import_files(
            {
                "bookings.csv": [
                    booking("gcp2/2026-01-15T09:30:00", "ann@riverside.example"),
                    booking("gcp2/2026-01-15T09:30", "ann@riverside.example"),
                ]
            },
            actor=SYSTEM,
        )
    assert refused.value.errors == [
        "bookings.csv, row 3: the same record as row 2 (gcp2/2026-01-15T09:30:00|ann@riverside.example|"
        "2026-01-02T10:00:00)."
    ]

    session = {
        "course": "gcp2",
        "starts_at": "2026-03-02T14:00",
        "ends_at": "2026-03-02T17:00",
        "capacity": "8",
        "booking_deadline": "2026-03-01",
    }
    report = import_files(
        {"sessions.csv": [session], "bookings.csv": [booking("gcp2/2026-03-02T14:00", "cat@riverside.example")]},
        actor=SYSTEM,
    )
    assert report.counts["bookings.csv"]["created"] == 1
    assert Booking.objects.get(email="cat@riverside.example").session.starts_at == dt.datetime(
        2026, 3, 2, 14, 0, tzinfo=LONDON
    )


def test_an_unknown_session_is_still_refused_naming_file_row_and_column(course):
    with pytest.raises(PackageError) as refused:
        import_files(
            {
                "bookings.csv": [
                    booking("gcp2/2026-01-15T10:00", "ann@riverside.example"),
                    booking("gcp2/15 January", "bob@riverside.example"),
                ]
            },
            actor=SYSTEM,
        )
    assert refused.value.errors == [
        "bookings.csv, row 2, column session: unknown session 'gcp2/2026-01-15T10:00:00' "
        "(not in the package or the database).",
        "bookings.csv, row 3, column session: unknown session 'gcp2/15 January' (not in the package or the database).",
    ]


@pytest.mark.parametrize(
    ("given", "read_as"),
    [
        ("gcp2/2026-01-15T09:30:00", "gcp2/2026-01-15T09:30:00"),
        ("gcp2/2026-01-15T09:30", "gcp2/2026-01-15T09:30:00"),
        ("gcp2/2026-01-15T09:30:15", "gcp2/2026-01-15T09:30:15"),
        ("level-3/2026-10-25T01:30", "level-3/2026-10-25T01:30:00"),  # the clocks go back: still local time
        ("gcp2/not a time", "gcp2/not a time"),  # left as given, so it is reported as unknown
        ("gcp2", "gcp2"),
        ("gcp2/2026-01-15", "gcp2/2026-01-15"),  # a day alone is not a start
        ("gcp2/2026-01-15 09:30", "gcp2/2026-01-15 09:30"),
        ("gcp2/2026-01-15T09:30+01:00", "gcp2/2026-01-15T09:30+01:00"),  # local time only
    ],
)
def test_normalise_session_key(given, read_as):
    assert normalise_session_key(given) == read_as
