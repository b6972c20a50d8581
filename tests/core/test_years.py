"""The financial year, written once (issue 15, item 3): April to March, named by its start."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.core.years import financial_year_start


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2026, 3, 31), 2025),  # the last day of 2025/26
        (dt.date(2026, 4, 1), 2026),  # the first day of 2026/27
        (dt.date(2026, 1, 1), 2025),
        (dt.date(2026, 12, 31), 2026),
    ],
)
def test_a_year_runs_from_1_april_to_31_march(day, year):
    assert financial_year_start(day) == year


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_day_lies_in_the_year_it_is_given(day):
    start = financial_year_start(day)
    assert dt.date(start, 4, 1) <= day <= dt.date(start + 1, 3, 31)
