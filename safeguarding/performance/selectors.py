"""Reads for performance data: which returns came in, on time or not, and each
indicator's series with its change and a verdict in words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min

from safeguarding.accounts.models import Organisation
from safeguarding.performance import rules
from safeguarding.performance.models import DataReturn, Indicator, ReturnValue


@dataclass
class ReturnStatus:
    organisation: str
    period: str
    due_on: datetime.date
    status: str
    first_submitted: datetime.date | None
    versions: int


def recent_quarters(today: datetime.date, count: int) -> list[str]:
    """The last ``count`` financial quarters that have ended, most recent first."""
    fy = today.year if today.month >= 4 else today.year - 1
    quarter = ((today.month - 4) % 12) // 3 + 1
    code = rules.previous_period(f"{fy}-Q{quarter}", "quarterly")
    result = []
    for _ in range(count):
        result.append(code)
        code = rules.previous_period(code, "quarterly")
    return result


def return_statuses(*, today: datetime.date, quarters: int = 8) -> list[ReturnStatus]:
    """For each organisation that owes quarterly returns and each recent quarter:
    expected, received on time, late or missing (a figure the committee wants)."""
    kinds = set(Indicator.objects.filter(is_active=True, frequency="quarterly").values_list("owner_kind", flat=True))
    organisations = list(
        Organisation.objects.filter(kind__in=kinds, standing=Organisation.Standing.STATUTORY_PARTNER).order_by("name")
    )
    periods = recent_quarters(today, quarters)
    received = {
        (row["organisation_id"], row["period"]): row
        for row in DataReturn.objects.filter(period__in=periods, organisation__in=organisations)
        .values("organisation_id", "period")
        .annotate(first=Min("submitted_at"), versions=Count("id"))
        .order_by()
    }
    result = []
    for period in periods:
        _start, end = rules.period_bounds(period, "quarterly")
        due = rules.return_due_on(end)
        for organisation in organisations:
            row = received.get((organisation.pk, period))
            first = row["first"].date() if row else None
            status = rules.return_status(due_on=due, first_submitted_on=first, today=today)
            result.append(ReturnStatus(organisation.name, period, due, status, first, row["versions"] if row else 0))
    return result


@dataclass
class SeriesPoint:
    period: str
    value: float


@dataclass
class IndicatorTrend:
    indicator: Indicator
    series: list[SeriesPoint]
    latest: SeriesPoint | None
    previous: SeriesPoint | None
    year_before: SeriesPoint | None
    change_from_previous: float | None
    change_from_year_before: float | None
    p_value: float | None
    verdict: str


def indicator_trends(indicators) -> list[IndicatorTrend]:
    """Trends for many indicators from one query."""
    indicators = list(indicators)
    totals: dict[int, dict[str, float]] = {i.pk: {} for i in indicators}
    rows = ReturnValue.objects.filter(indicator__in=indicators, breakdown="", data_return__is_current=True)
    for indicator_id, period, value in rows.values_list("indicator_id", "data_return__period", "value"):
        totals[indicator_id][period] = totals[indicator_id].get(period, 0.0) + float(value)
    return [_trend(i, totals[i.pk]) for i in indicators]


def indicator_trend(indicator: Indicator) -> IndicatorTrend:
    return indicator_trends([indicator])[0]


def _trend(indicator: Indicator, totals: dict[str, float]) -> IndicatorTrend:
    """The partnership total for each period (current versions, all senders), with
    the latest change against the same period a year before, judged as noise or not."""
    series = [SeriesPoint(p, totals[p]) for p in sorted(totals)]
    by_period = {p.period: p for p in series}
    latest = series[-1] if series else None
    previous = year_before = None
    if latest:
        previous = by_period.get(rules.previous_period(latest.period, indicator.frequency))
        year_before = by_period.get(rules.previous_period(latest.period, indicator.frequency, years=1))
    p_value, verdict = None, "not enough data yet"
    if latest and year_before:
        if indicator.unit == Indicator.Unit.COUNT:
            p_value = rules.poisson_change_p_value(int(year_before.value), int(latest.value))
            verdict = rules.change_in_words(year_before.value, latest.value, p_value)
        else:
            verdict = rules.change_in_words(year_before.value, latest.value, 1.0).replace(
                ", within normal variation", ""
            )
    return IndicatorTrend(
        indicator=indicator,
        series=series,
        latest=latest,
        previous=previous,
        year_before=year_before,
        change_from_previous=rules.percent_change(previous.value, latest.value) if previous and latest else None,
        change_from_year_before=rules.percent_change(year_before.value, latest.value)
        if year_before and latest
        else None,
        p_value=p_value,
        verdict=verdict,
    )
