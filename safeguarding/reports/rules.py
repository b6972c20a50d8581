"""Rules for the annual report, as named functions with tests."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta


def panel_copy_due(published_on: dt.date, days: int) -> dt.date:
    """The brief: a copy of the published report goes to the Child Safeguarding Practice
    Review Panel within 7 days (unconfirmed; ``REPORT_PANEL_COPY_DAYS``), calendar days."""
    return published_on + dt.timedelta(days=days)


def next_report_due(last_published_on: dt.date) -> dt.date:
    """Working Together: a report at least once in every 12 months."""
    return last_published_on + relativedelta(years=1)


def partners_still_to_sign(partner_ids: set[int], signed_ids: set[int]) -> set[int]:
    """Each statutory partner's Lead Partner signs; the report is signed off when none is
    left."""
    return partner_ids - signed_ids


# Which status may follow which.
TRANSITIONS = {
    "draft": {"in_review"},
    "in_review": {"draft", "signed_off"},
    "signed_off": {"published"},
    "published": set(),
}


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())
