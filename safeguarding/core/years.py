"""The financial year, written once: every area reports April to March (the annual
report, workforce training years, quarterly returns)."""

from __future__ import annotations

import datetime as dt

YEAR_STARTS_IN_MONTH = 4  # 1 April


def financial_year_start(day: dt.date) -> int:
    """The financial year ``day`` falls in, named by the calendar year it starts in:
    2025 means 1 April 2025 to 31 March 2026."""
    return day.year if day.month >= YEAR_STARTS_IN_MONTH else day.year - 1
