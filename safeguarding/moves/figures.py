"""Question 10 as figures: children open to social care or on a child protection plan
who moved into or out of an area, how and how quickly the move was found, and whether
the receiving area held its transfer-in conference in time.

One move is one ``MoveAlert``: a child with an open involvement in ``from_area`` found in
``to_area``. The figures count the alerts raised in a window (by the local date of
``raised_at``), whatever happened to them since. ``move_figures`` reads them in two
queries and works everything else out in Python with the statutory rules, so the same
function serves the committee's page, its downloads and the annual report.

The counts are the true ones. What a reader without ``Perm.VIEW_UNSUPPRESSED`` may see
is decided in ``presentation.published``.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from safeguarding.accounts.models import Area
from safeguarding.children.models import Source
from safeguarding.core.working_days import working_days_between
from safeguarding.moves import rules
from safeguarding.moves.models import MoveAlert

# Counts are whole numbers in the true figures; ``None`` only once a count has been
# hidden for publication (``presentation.published``).
Count = int | None


@dataclass(frozen=True)
class AreaMoves:
    """Moves into an area (by ``to_area``) and out of it (by ``from_area``)."""

    area: str
    in_cp_plan: Count
    in_other: Count
    in_total: Count
    out_cp_plan: Count
    out_other: Count
    out_total: Count


@dataclass(frozen=True)
class SourceMoves:
    """Moves first revealed by one agency system."""

    name: str
    kind: str
    count: Count


@dataclass(frozen=True)
class Delays:
    """How long moves took to reach the MASH, and the MASH to pick them up.

    Calendar days from the address change to the alert (the move is a fact about the
    child's life, not a working-day clock); working days from the alert to its
    acknowledgement (the MASH's own clock, ``rules.acknowledgement_due``)."""

    to_alert_median_days: float | None
    to_alert_p90_days: int | None
    to_alert_from: Count  # moves the two figures above were worked out from
    acknowledged: Count
    acknowledge_median_working_days: float | None
    not_acknowledged: Count


@dataclass(frozen=True)
class Conferences:
    """Transfer-in conferences for the moves of children on a child protection plan,
    each move in exactly one line (so the lines add up to the CP plan moves)."""

    within_time: Count  # held on or before the day it was due
    held_late: Count
    overdue: Count  # not held, due before today, alert still open
    not_yet_due: Count  # not held, due today or later, alert still open
    closed_without: Count  # alert closed with no conference recorded (no longer needed)
    total: Count


@dataclass(frozen=True)
class MoveFigures:
    start: dt.date
    end: dt.date
    today: dt.date
    moves: Count
    cp_plan: Count
    other: Count
    by_area: list[AreaMoves]
    by_kind: dict[str, Count]  # every Source.Kind, in the order of its choices
    by_source: list[SourceMoves]
    found_late: Count
    found_late_health_only: Count
    delays: Delays
    conferences: Conferences

    def year_before(self) -> MoveFigures:
        """The same figures for the same window a year earlier, as of the same day."""
        start, end = year_before(self.start, self.end)
        return move_figures(start=start, end=end, today=self.today)


def year_before(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The window a year earlier (29 February falls back to the 28th), so the twelve
    months ending today sit beside the twelve months before them."""
    return start - relativedelta(years=1), end - relativedelta(years=1)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def median(values: Sequence[int]) -> float | None:
    return statistics.median(values) if values else None


def percentile_90(values: Sequence[int]) -> int | None:
    """The 90th percentile by nearest rank: the smallest value that at least 90% of the
    values are at or below. Always one of the values, so it reads as a real move."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def _conference_line(alert: dict, today: dt.date) -> str:
    held, due = alert["conference_held_on"], alert["conference_due_on"]
    if held is not None:
        return "within_time" if held <= due else "held_late"
    if alert["status"] == MoveAlert.Status.CLOSED:
        return "closed_without"
    return "overdue" if due < today else "not_yet_due"


def move_figures(*, start: dt.date, end: dt.date, today: dt.date | None = None) -> MoveFigures:
    """The question 10 figures for the alerts raised from ``start`` to ``end`` inclusive
    (local dates). ``today`` decides which conferences not yet held are overdue."""
    today = today or timezone.localdate()
    alerts = list(
        MoveAlert.objects.filter(
            raised_at__gte=_local_midnight(start), raised_at__lt=_local_midnight(end + dt.timedelta(days=1))
        )
        .order_by()
        .values(
            "from_area_id",
            "to_area_id",
            "cp_plan",
            "address_changed_on",
            "raised_at",
            "acknowledged_at",
            "conference_due_on",
            "conference_held_on",
            "status",
            "detected_by__name",
            "detected_by__kind",
        )
    )
    areas = list(Area.objects.order_by("name").values_list("pk", "name"))

    moves_in: Counter[tuple[int, bool]] = Counter((a["to_area_id"], a["cp_plan"]) for a in alerts)
    moves_out: Counter[tuple[int, bool]] = Counter((a["from_area_id"], a["cp_plan"]) for a in alerts)
    by_area = [
        AreaMoves(
            area=name,
            in_cp_plan=moves_in[pk, True],
            in_other=moves_in[pk, False],
            in_total=moves_in[pk, True] + moves_in[pk, False],
            out_cp_plan=moves_out[pk, True],
            out_other=moves_out[pk, False],
            out_total=moves_out[pk, True] + moves_out[pk, False],
        )
        for pk, name in areas
    ]

    kinds = Counter(a["detected_by__kind"] for a in alerts)
    sources = Counter((a["detected_by__name"], a["detected_by__kind"]) for a in alerts)

    to_alert, to_acknowledge, late, late_health = [], [], 0, 0
    for alert in alerts:
        raised_on = timezone.localdate(alert["raised_at"])
        to_alert.append((raised_on - alert["address_changed_on"]).days)
        if alert["acknowledged_at"] is not None:
            to_acknowledge.append(working_days_between(raised_on, timezone.localdate(alert["acknowledged_at"])))
        if rules.found_late(alert["address_changed_on"], raised_on):
            late += 1
            late_health += alert["detected_by__kind"] == Source.Kind.HEALTH

    lines = Counter(_conference_line(a, today) for a in alerts if a["cp_plan"])
    cp_plan = sum(lines.values())
    return MoveFigures(
        start=start,
        end=end,
        today=today,
        moves=len(alerts),
        cp_plan=cp_plan,
        other=len(alerts) - cp_plan,
        by_area=by_area,
        by_kind={kind: kinds[kind] for kind in Source.Kind.values},
        by_source=[
            SourceMoves(name=name, kind=kind, count=count)
            for (name, kind), count in sorted(sources.items(), key=lambda item: (-item[1], item[0]))
        ],
        found_late=late,
        found_late_health_only=late_health,
        delays=Delays(
            to_alert_median_days=median(to_alert),
            to_alert_p90_days=percentile_90(to_alert),
            to_alert_from=len(to_alert),
            acknowledged=len(to_acknowledge),
            acknowledge_median_working_days=median(to_acknowledge),
            not_acknowledged=len(alerts) - len(to_acknowledge),
        ),
        conferences=Conferences(
            within_time=lines["within_time"],
            held_late=lines["held_late"],
            overdue=lines["overdue"],
            not_yet_due=lines["not_yet_due"],
            closed_without=lines["closed_without"],
            total=cp_plan,
        ),
    )
