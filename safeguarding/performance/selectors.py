"""Reads for performance data: which returns came in, on time or not, and the
priorities with dashboards. (The figures themselves are read by ``figures``.)"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import Count, Min, Q, QuerySet

from safeguarding.accounts.models import Area, Organisation
from safeguarding.core.permissions import Perm, RequestUser, has_perm
from safeguarding.core.years import financial_year_start
from safeguarding.governance.models import Priority
from safeguarding.performance import rules
from safeguarding.performance.figures import IndicatorFigures, Selection, figures_as_selected
from safeguarding.performance.models import DataReturn, Indicator, Population


@dataclass
class ReturnStatus:
    organisation: str
    period: str
    due_on: datetime.date
    status: str
    first_submitted: datetime.date | None
    versions: int
    organisation_code: str = ""


# Who is asked for returns: the statutory partners and the relevant agencies the
# partnership's arrangements name (Working Together 2023, chapter 2), not neighbours.
SENDING_STANDINGS = (Organisation.Standing.STATUTORY_PARTNER, Organisation.Standing.RELEVANT_AGENCY)


def recent_quarters(today: datetime.date, count: int) -> list[str]:
    """The last ``count`` financial quarters that have ended, most recent first."""
    fy = financial_year_start(today)
    quarter = ((today.month - 4) % 12) // 3 + 1
    code = rules.previous_period(f"{fy}-Q{quarter}", "quarterly")
    result = []
    for _ in range(count):
        result.append(code)
        code = rules.previous_period(code, "quarterly")
    return result


def organisations_user_may_submit_for(user: RequestUser) -> QuerySet[Organisation]:
    """Whose returns ``user`` may send: any organisation that owes one, for the partnership's
    analyst; else their own (that of their current post)."""
    if has_perm(user, Perm.SUBMIT_RETURNS_FOR_ANY):
        return Organisation.objects.filter(kind__in=Indicator.objects.values("owner_kind")).order_by("name")
    if not has_perm(user, Perm.SUBMIT_RETURNS) or user.person_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(posts__person_id=user.person_id, posts__ended_on__isnull=True)


def expected_senders() -> QuerySet[Organisation]:
    """The organisations that owe quarterly returns: a statutory partner or a relevant
    agency of a kind that sends an indicator in use."""
    kinds = Indicator.objects.filter(is_active=True, frequency="quarterly").values("owner_kind")
    return Organisation.objects.filter(kind__in=kinds, standing__in=SENDING_STANDINGS)


def return_statuses(
    *, today: datetime.date, quarters: int = 8, organisations: QuerySet[Organisation] | None = None
) -> list[ReturnStatus]:
    """For each organisation that owes quarterly returns (``expected_senders``; of those,
    ``organisations`` only, when given) and each recent quarter: expected, received on
    time, late or missing (a figure the committee wants). A missing return has a row too."""
    senders = expected_senders()
    if organisations is not None:
        senders = senders.filter(pk__in=organisations.values("pk"))
    owing = list(senders.order_by("name"))
    periods = recent_quarters(today, quarters)
    received = {
        (row["organisation_id"], row["period"]): row
        for row in DataReturn.objects.filter(period__in=periods, organisation__in=owing)
        .values("organisation_id", "period")
        .annotate(first=Min("submitted_at"), versions=Count("id"))
        .order_by()
    }
    result = []
    for period in periods:
        _start, end = rules.period_bounds(period, "quarterly")
        due = rules.return_due_on(end)
        for organisation in owing:
            row = received.get((organisation.pk, period))
            first = row["first"].date() if row else None
            status = rules.return_status(due_on=due, first_submitted_on=first, today=today)
            result.append(
                ReturnStatus(
                    organisation.name, period, due, status, first, row["versions"] if row else 0, organisation.code
                )
            )
    return result


@dataclass
class ReturnGrid:
    """Quarterly returns as a table: a row per organisation, a column per quarter."""

    periods: list[str]
    rows: list[tuple[str, bool, dict[str, ReturnStatus]]]  # organisation, is the reader's own, by period
    own: Organisation | None = None  # the reader's organisation
    own_sends: bool = False  # whether it owes quarterly returns


def return_grid(
    *,
    today: datetime.date,
    quarters: int,
    own: Organisation | None = None,
    organisations: QuerySet[Organisation] | None = None,
) -> ReturnGrid:
    """``return_statuses`` as a table, the reader's own organisation (``own``) first."""
    statuses = return_statuses(today=today, quarters=quarters, organisations=organisations)
    by_code: dict[str, tuple[str, dict[str, ReturnStatus]]] = {}
    for status in statuses:
        by_code.setdefault(status.organisation_code, (status.organisation, {}))[1][status.period] = status
    own_code = own.code if own is not None else None
    rows = [(name, code == own_code, row) for code, (name, row) in by_code.items()]
    rows.sort(key=lambda r: not r[1])  # stable: the rest stay in name order
    return ReturnGrid(
        periods=sorted({s.period for s in statuses}, reverse=True),
        rows=rows,
        own=own,
        own_sends=own_code in by_code,
    )


def indicator_figures(
    *, user: RequestUser, indicators: Iterable[Indicator], selection: Selection
) -> list[IndicatorFigures]:
    """The indicators' figures for a reader: true figures only for one who may see them
    and asked, otherwise the published ones (small numbers hidden), whatever was asked."""
    if not selection.published and not has_perm(user, Perm.VIEW_UNSUPPRESSED):
        selection = replace(selection, published=True)
    return figures_as_selected(indicators, selection)


def priorities_with_indicators(*, user: RequestUser) -> QuerySet[Priority]:
    """Strategic priorities that have indicators linked to them (each has a dashboard),
    for a reader of the performance pages."""
    if not has_perm(user, Perm.VIEW_PERFORMANCE):
        return Priority.objects.none()
    return (
        Priority.objects.annotate(indicator_count=Count("indicators", filter=Q(indicators__is_active=True)))
        .filter(indicator_count__gt=0)
        .order_by("title")
    )


def population_table() -> tuple[list[int], list[tuple[str, str, dict[int, int]]]]:
    """Children 0–17 by area (rows) and year (columns)."""
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
