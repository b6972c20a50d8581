"""Training rules as named, tested functions."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

from safeguarding.core.years import financial_year_start

# A cancellation this close to the start counts as a late cancellation: the place
# can rarely be refilled. Local choice; set TRAINING_LATE_CANCELLATION_HOURS.
DEFAULT_LATE_CANCELLATION_HOURS = 48
FOLLOW_UP_AFTER_MONTHS = 3


def allocation_for(*, confirmed_places: int, capacity: int) -> str:
    """A new booking takes a place while any are free, otherwise joins the waiting list."""
    return "confirmed" if confirmed_places < capacity else "waiting"


def booking_is_open(*, today: datetime.date, booking_deadline: datetime.date, cancelled: bool) -> bool:
    """Bookings close at the end of the deadline day, and never open on a cancelled session."""
    return not cancelled and today <= booking_deadline


def is_late_cancellation(
    *,
    cancelled_at: datetime.datetime,
    starts_at: datetime.datetime,
    notice_hours: int = DEFAULT_LATE_CANCELLATION_HOURS,
) -> bool:
    """Cancelled with less than ``notice_hours`` before the session starts."""
    return starts_at - cancelled_at < datetime.timedelta(hours=notice_hours)


def email_domain_allowed(email: str, domains: list[str]) -> bool:
    """A work address on one of the organisation's known domains (sub-domains count:
    nhs.example allows trust.nhs.example)."""
    if "@" not in email:
        return False
    host = email.rsplit("@", 1)[1].strip().lower()
    for domain in domains:
        domain = domain.strip().lower().lstrip("@")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def follow_up_due_on(session_ended: datetime.date) -> datetime.date:
    """The three-month follow-up on whether practice changed."""
    return session_ended + relativedelta(months=FOLLOW_UP_AFTER_MONTHS)


def rate(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


def workforce_year(day: datetime.date) -> int:
    """The workforce year a day falls in: years start on 1 April (2025 means 2025/26)."""
    return financial_year_start(day)
