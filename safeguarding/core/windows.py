"""Reporting windows shared by every area's figures."""

import datetime

from dateutil.relativedelta import relativedelta


def last_twelve_months(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The committee's default window: the twelve months ending today (safe on 29 February)."""
    return today - relativedelta(years=1) + datetime.timedelta(days=1), today
