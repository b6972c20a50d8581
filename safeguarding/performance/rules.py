"""The statistics and disclosure rules behind the partnership's figures, each a
named function that the tests check against values worked out by hand or by scipy.

- Whether a change in a count is more than noise: the exact conditional test of two
  Poisson counts (given the total, the later count is binomial), allowing for
  different populations or period lengths.
- Whether a change in a percentage is more than noise: Wilson score intervals and a
  two-proportion comparison.
- Small-number suppression is in ``core.suppression``, shared by every area.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from scipy import stats

from safeguarding.core.working_days import add_working_days
from safeguarding.core.years import financial_year_start

SIGNIFICANCE = 0.05


def rate_per_10000(count: float, population: int) -> float | None:
    """Children affected per 10,000 children in the area (the usual published rate)."""
    return None if not population else count * 10_000 / population


def percent_change(before: float, now: float) -> float | None:
    return None if before == 0 else (now - before) / before * 100


def poisson_change_p_value(
    count_before: int, count_now: int, exposure_before: float = 1.0, exposure_now: float = 1.0
) -> float:
    """Two-sided p-value that two Poisson counts share one underlying rate.

    Conditional on the total n, count_now ~ Binomial(n, e_now / (e_before + e_now))
    when rates are equal (the exact test of Przyborowski and Wilenski)."""
    total = count_before + count_now
    if total == 0:
        return 1.0
    share = exposure_now / (exposure_before + exposure_now)
    return float(stats.binomtest(count_now, total, share).pvalue)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> Interval | None:
    """Wilson score interval for a proportion (good for small counts and extremes)."""
    if trials == 0:
        return None
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    margin = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return Interval(max(0.0, centre - margin), min(1.0, centre + margin))


def proportion_change_p_value(successes_before: int, trials_before: int, successes_now: int, trials_now: int) -> float:
    """Two-sided p-value for a change in a percentage (pooled two-proportion z-test)."""
    if trials_before == 0 or trials_now == 0:
        return 1.0
    pooled = (successes_before + successes_now) / (trials_before + trials_now)
    if pooled in (0, 1):
        return 1.0
    se = math.sqrt(pooled * (1 - pooled) * (1 / trials_before + 1 / trials_now))
    z = (successes_now / trials_now - successes_before / trials_before) / se
    return float(2 * stats.norm.sf(abs(z)))


def _amount(value: float) -> str:
    """One decimal place, none for a whole number: 7.4, 50."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def change_size(before: float, now: float, *, points: bool = False) -> str:
    """How big a change is: "a rise of 7.4%"; for a percentage, the difference in
    percentage points ("a fall of 2.5 percentage points"), since a relative change of a
    percentage ("a fall of 10%" from 25% to 22.5%) is read as points."""
    direction = "rise" if now > before else "fall"
    if points:
        amount = _amount(abs(now - before))
        return f"a {direction} of {amount} percentage point{'' if amount == '1' else 's'}"
    change = percent_change(before, now)
    return f"a {direction} of {_amount(abs(change))}%" if change is not None else f"a {direction} from none"


def change_in_words(
    before: float, now: float, p_value: float, *, alpha: float = SIGNIFICANCE, points: bool = False
) -> str:
    """The verdict shown beside a figure, e.g. "a rise of 20%, more than normal variation"."""
    if now == before:
        return "no change"
    size = change_size(before, now, points=points)
    if p_value < alpha:
        return f"{size}, more than normal variation"
    return f"{size}, within normal variation"


def change_in_words_untested(before: float, now: float, reason: str, *, points: bool = False) -> str:
    """The size of a change when no test can judge it, saying why."""
    if now == before:
        return "no change"
    return f"{change_size(before, now, points=points)} ({reason})"


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def period_label(code: str, frequency: str, *, short: bool = False) -> str:
    """A period as people read it: "July to September 2025" (2025-Q2, a financial
    quarter), "April 2026", "April 2026 to March 2027" (the year 2026); short, for a
    chart's axis: "Jul to Sep 2025"."""
    start, end = period_bounds(code, frequency)
    return span_label(start, end, short=short)


def span_label(start: datetime.date, end: datetime.date, *, short: bool = False) -> str:
    """Whole months from ``start`` to ``end``: "January to March 2026", "October 2024
    to September 2025", "April 2026"."""
    first, last = _MONTHS[start.month - 1], _MONTHS[end.month - 1]
    if short:
        first, last = first[:3], last[:3]
    if (start.year, start.month) == (end.year, end.month):
        return f"{first} {start.year}"
    if start.year == end.year:
        return f"{first} to {last} {end.year}"
    return f"{first} {start.year} to {last} {end.year}"


def periods_label(first: str, last: str, frequency: str) -> str:
    """The months from the start of ``first`` to the end of ``last``."""
    return span_label(period_bounds(first, frequency)[0], period_bounds(last, frequency)[1])


PERIODS_PER_YEAR = {"monthly": 12, "quarterly": 4, "yearly": 1}


def twelve_months(values: dict[str, float | None], latest: str, frequency: str) -> list[float] | None:
    """The values of the periods in the twelve months to the end of ``latest``, oldest
    first: None when any of them is missing or hidden (a published sum or average would
    give a hidden value away)."""
    found, period = [], latest
    for _ in range(PERIODS_PER_YEAR[frequency]):
        value = values.get(period)
        if value is None:
            return None
        found.append(value)
        period = previous_period(period, frequency)
    return found[::-1]


def rolling_twelve_months(values: dict[str, float | None], latest: str, frequency: str) -> float | None:
    """The total of the twelve months to the end of ``latest``, for counts of events in
    a period (referrals, incidents). Never for a count at a date: see
    ``twelve_months_average``."""
    found = twelve_months(values, latest, frequency)
    return None if found is None else float(sum(found))


def twelve_months_average(values: dict[str, float | None], latest: str, frequency: str) -> float | None:
    """The average of the period-end counts in the twelve months to the end of
    ``latest``, for a stock (children in need, on a plan, looked after): the same
    children are in each snapshot, so adding four quarter-ends up counts them four
    times (issue 14, item 2)."""
    found = twelve_months(values, latest, frequency)
    return None if found is None else sum(found) / len(found)


def compare_with_reference(value: float, reference: float, polarity: str, name: str) -> str:
    """The latest figure against a target or benchmark, in words that respect whether
    higher is better: "better than the target (120)", "worse than the benchmark (4.5)"."""
    shown = f"{reference:,.2f}".rstrip("0").rstrip(".")
    if value == reference:
        return f"on the {name} ({shown})"
    above = value > reference
    if polarity == "higher_better":
        word = "better than" if above else "worse than"
    elif polarity == "lower_better":
        word = "worse than" if above else "better than"
    else:
        word = "above" if above else "below"
    return f"{word} the {name} ({shown})"


# Periods and returns ---------------------------------------------------------------------

# A return is due this many England working days after its period ends (local choice).
RETURN_DUE_WORKING_DAYS = 20
# A value this many times above or below the indicator's recent history is queried.
UNUSUAL_FACTOR = 3.0


def period_bounds(code: str, frequency: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period. Quarters and years follow the financial year:
    2026-Q1 is April to June 2026; 2026 is April 2026 to March 2027; 2026-04 is April 2026.
    Raises ValueError, with the expected form, for a code that does not fit."""
    try:
        if frequency == "quarterly":
            year_text, quarter_text = code.split("-Q")
            year, quarter = int(year_text), int(quarter_text)
            if quarter not in (1, 2, 3, 4):
                raise ValueError
            start_month = 4 + 3 * (quarter - 1)
            start = datetime.date(year + (start_month - 1) // 12, (start_month - 1) % 12 + 1, 1)
            end = (start + relativedelta(months=3)) - datetime.timedelta(days=1)
        elif frequency == "monthly":
            year, month = (int(part) for part in code.split("-"))
            start = datetime.date(year, month, 1)
            end = (start + relativedelta(months=1)) - datetime.timedelta(days=1)
        elif frequency == "yearly":
            start = datetime.date(int(code), 4, 1)
            end = datetime.date(int(code) + 1, 3, 31)
        else:
            raise ValueError
    except ValueError:
        form = {
            "quarterly": "YYYY-Qn (financial quarters, Q1 is April to June)",
            "monthly": "YYYY-MM",
            "yearly": "YYYY (the year starting 1 April)",
        }.get(frequency, "a known frequency")
        raise ValueError(f"'{code}' is not a {frequency} period: use {form}.") from None
    return start, end


def previous_period(code: str, frequency: str, *, years: int = 0) -> str:
    """The period before (or, with ``years=1``, the same period a year earlier)."""
    start, _ = period_bounds(code, frequency)
    if frequency == "quarterly":
        shifted = start - relativedelta(years=years) if years else start - relativedelta(months=3)
        quarter = ((shifted.month - 4) % 12) // 3 + 1
        fy = financial_year_start(shifted)
        return f"{fy}-Q{quarter}"
    if frequency == "monthly":
        shifted = start - relativedelta(years=years) if years else start - relativedelta(months=1)
        return f"{shifted:%Y-%m}"
    return str(start.year - (years or 1))


def return_due_on(period_end: datetime.date) -> datetime.date:
    return add_working_days(period_end, RETURN_DUE_WORKING_DAYS)


def return_status(*, due_on: datetime.date, first_submitted_on: datetime.date | None, today: datetime.date) -> str:
    """expected (not yet due), received on time, late, or missing (due and not received)."""
    if first_submitted_on is not None:
        return "on_time" if first_submitted_on <= due_on else "late"
    return "missing" if today > due_on else "expected"


def is_unusual(value: float, history: list[float], factor: float = UNUSUAL_FACTOR) -> bool:
    """Far outside the indicator's recent history (at least three earlier values):
    more than ``factor`` times their median, or less than a ``factor``-th of it."""
    if len(history) < 3:
        return False
    ordered = sorted(history)
    median = ordered[len(ordered) // 2]
    if median == 0:
        return value > factor * 5
    return value > factor * median or value < median / factor
