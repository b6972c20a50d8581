"""Each training rule on its own, with its edge cases. Training counts calendar days and
hours, not working days: a booking closes at the end of its deadline day and a late
cancellation is measured in hours before the start, bank holidays or not."""

import datetime as dt

import pytest

from safeguarding.training import rules

D = dt.date
UTC = dt.UTC


@pytest.mark.parametrize(
    ("confirmed", "capacity", "allocation"),
    [
        (0, 1, "confirmed"),
        (9, 10, "confirmed"),  # the last place
        (10, 10, "waiting"),
        (11, 10, "waiting"),  # over-full (a coordinator's own booking): still the waiting list
    ],
)
def test_a_booking_takes_a_place_while_any_are_free(confirmed, capacity, allocation):
    assert rules.allocation_for(confirmed_places=confirmed, capacity=capacity) == allocation


@pytest.mark.parametrize(
    ("today", "is_open"),
    [
        (D(2026, 3, 1), True),
        (D(2026, 3, 9), True),  # the deadline day itself: bookings close at its end
        (D(2026, 3, 10), False),
    ],
)
def test_bookings_close_at_the_end_of_the_deadline_day(today, is_open):
    assert rules.booking_is_open(today=today, booking_deadline=D(2026, 3, 9), cancelled=False) is is_open


def test_a_cancelled_session_never_takes_bookings():
    assert rules.booking_is_open(today=D(2026, 3, 1), booking_deadline=D(2026, 3, 9), cancelled=True) is False


def test_the_deadline_is_a_calendar_day_even_on_a_bank_holiday():
    # Easter Monday 2026 (6 April) is a bank holiday in England: bookings still close at its end.
    easter_monday = D(2026, 4, 6)
    assert rules.booking_is_open(today=easter_monday, booking_deadline=easter_monday, cancelled=False)
    assert not rules.booking_is_open(today=D(2026, 4, 7), booking_deadline=easter_monday, cancelled=False)


STARTS = dt.datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hours_before", "late"),
    [
        (72, False),
        (48, False),  # exactly the notice asked for is in time
        (47.99, True),
        (1, True),
        (0, True),
        (-2, True),  # after the start (the trainer's register says who came)
    ],
)
def test_a_cancellation_with_less_than_48_hours_notice_is_late(hours_before, late):
    cancelled = STARTS - dt.timedelta(hours=hours_before)
    assert rules.is_late_cancellation(cancelled_at=cancelled, starts_at=STARTS) is late


def test_the_notice_for_a_late_cancellation_can_be_set_locally():
    cancelled = STARTS - dt.timedelta(hours=30)
    assert rules.is_late_cancellation(cancelled_at=cancelled, starts_at=STARTS, notice_hours=24) is False
    assert rules.is_late_cancellation(cancelled_at=cancelled, starts_at=STARTS, notice_hours=48) is True


def test_a_late_cancellation_is_measured_in_real_hours_across_the_clocks_going_forward():
    """The clocks go forward at 01:00 on 29 March 2026: 09:00 on the 27th (GMT) to 09:00
    on the 29th (BST) is 47 hours, so a cancellation then is late. The start is in UTC,
    as the database gives it."""
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    starts = dt.datetime(2026, 3, 29, 9, 0, tzinfo=london).astimezone(UTC)
    assert starts.hour == 8
    assert rules.is_late_cancellation(cancelled_at=dt.datetime(2026, 3, 27, 9, 0, tzinfo=london), starts_at=starts)
    assert not rules.is_late_cancellation(cancelled_at=dt.datetime(2026, 3, 27, 8, 0, tzinfo=london), starts_at=starts)


@pytest.mark.parametrize(
    ("email", "domains", "allowed"),
    [
        ("ann@riverside.example", ["riverside.example"], True),
        ("Ann@RIVERSIDE.example", ["riverside.example"], True),
        ("ann@riverside.example", ["RIVERSIDE.EXAMPLE"], True),
        ("ann@riverside.example", ["@riverside.example"], True),  # a leading @ in the list is forgiven
        ("ann@riverside.example", [" riverside.example "], True),
        ("nurse@trust.nhs.example", ["nhs.example"], True),  # a sub-domain counts
        ("nurse@evilnhs.example", ["nhs.example"], False),  # a look-alike does not
        ("nurse@nhs.example.evil", ["nhs.example"], False),
        ("ann@gmail.example", ["riverside.example"], False),
        ("ann@riverside.example", [], False),
        ("ann@riverside.example", ["", "  "], False),
        ("not-an-address", ["riverside.example"], False),
        ("ann@other.example", ["riverside.example", "other.example"], True),
    ],
)
def test_a_work_address_must_be_on_one_of_the_organisations_domains(email, domains, allowed):
    assert rules.email_domain_allowed(email, domains) is allowed


@pytest.mark.parametrize(
    ("ended", "due"),
    [
        (D(2026, 3, 10), D(2026, 6, 10)),
        (D(2025, 11, 30), D(2026, 2, 28)),  # no 30 February: the month's last day
        (D(2027, 11, 30), D(2028, 2, 29)),  # a leap year
        (D(2026, 10, 15), D(2027, 1, 15)),  # across the new year
    ],
)
def test_the_follow_up_is_due_three_calendar_months_after_the_session(ended, due):
    assert rules.follow_up_due_on(ended) == due


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(0, 0, None), (3, 0, None), (0, 4, 0.0), (1, 4, 0.25), (4, 4, 1.0)],
)
def test_a_rate_is_none_when_there_is_nothing_to_divide_by(numerator, denominator, expected):
    assert rules.rate(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (D(2026, 3, 31), 2025),  # the last day of 2025/26
        (D(2026, 4, 1), 2026),  # the first day of 2026/27
        (D(2026, 1, 1), 2025),
        (D(2025, 12, 31), 2025),
    ],
)
def test_the_workforce_year_starts_on_1_april(day, year):
    assert rules.workforce_year(day) == year
