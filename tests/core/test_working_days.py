import datetime as dt

import pytest

from safeguarding.core.working_days import add_working_days, is_working_day, working_days_between


def test_weekends_and_england_bank_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 12, 25))  # Christmas Day, a Friday
    assert not is_working_day(dt.date(2026, 12, 28))  # Boxing Day falls on Saturday: substitute Monday
    assert not is_working_day(dt.date(2026, 8, 31))  # Summer bank holiday (England, not Scotland)
    assert is_working_day(dt.date(2026, 8, 3))  # Scotland's summer holiday is a working day in England
    assert not is_working_day(dt.date(2026, 11, 21))  # Saturday


def test_counting_over_christmas_and_new_year():
    # From Friday 18 December 2026: 21, 22, 23, 24, 29, 30, 31 December, 4 January 2027.
    assert add_working_days(dt.date(2026, 12, 18), 5) == dt.date(2026, 12, 29)
    assert add_working_days(dt.date(2026, 12, 18), 8) == dt.date(2027, 1, 4)
    assert add_working_days(dt.date(2026, 12, 18), 0) == dt.date(2026, 12, 18)
    assert working_days_between(dt.date(2026, 12, 18), dt.date(2027, 1, 4)) == 8
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 1, 1), -1)


def test_fifteen_working_days_over_easter():
    # Good Friday 3 April and Easter Monday 6 April 2026 are not counted.
    assert add_working_days(dt.date(2026, 3, 27), 15) == dt.date(2026, 4, 21)
