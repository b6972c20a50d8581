"""Reads for performance data: which returns came in, on time or not, and the
priorities with dashboards. (The figures themselves are read by ``figures``.)"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet

from safeguarding.accounts.models import Organisation
from safeguarding.performance import rules
from safeguarding.performance.models import DataReturn, Indicator


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


def priorities_with_indicators():
    """Strategic priorities that have indicators linked to them (each has a dashboard)."""
    from django.db.models import Q

    from safeguarding.governance.models import Priority

    return (
        Priority.objects.annotate(indicator_count=Count("indicators", filter=Q(indicators__is_active=True)))
        .filter(indicator_count__gt=0)
        .order_by("title")
    )


def population_table() -> tuple[list[int], list[tuple[str, str, dict[int, int]]]]:
    """Children 0–17 by area (rows) and year (columns)."""
    from safeguarding.accounts.models import Area
    from safeguarding.performance.models import Population

    years = sorted(set(Population.objects.values_list("year", flat=True)), reverse=True)
    by_area: dict[int, dict[int, int]] = {}
    for area_id, year, children in Population.objects.values_list("area_id", "year", "children"):
        by_area.setdefault(area_id, {})[year] = children
    rows = [(area.code, area.name, by_area.get(area.pk, {})) for area in Area.objects.order_by("name")]
    return years, rows


def published_indicators() -> QuerySet[Indicator]:
    """The indicators the partnership publishes (the "Published figures" page and the
    annual report): in use and marked publishable."""
    return Indicator.objects.filter(is_active=True, publishable=True).order_by("title")
