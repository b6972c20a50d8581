"""Reads for training, and the committee's question 4 for any window: places
offered, booked, attended, no-shows, by organisation, course and topic; reach as
a share of each organisation's workforce; the impact summary; and the same
totals for the year before."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Avg, Count, Q, QuerySet, Sum

from safeguarding.accounts.models import ApiToken
from safeguarding.core.permissions import Perm, RequestUser, has_perm
from safeguarding.training import rules
from safeguarding.training.models import (
    Booking,
    Course,
    ElearningCompletion,
    EvaluationAnswer,
    FollowUp,
    Session,
    Workforce,
)

B = Booking.Status
O = Booking.Outcome  # noqa: E741

# Bookings that held a place: confirmed ones, and those cancelled too late to refill.
HELD_A_PLACE = Q(status=B.CONFIRMED) | Q(status=B.CANCELLED, outcome=O.LATE_CANCELLATION)


def courses(*, active_only: bool = True) -> QuerySet[Course]:
    """The catalogue is public: practitioners find courses before they sign in."""
    result = Course.objects.prefetch_related("topics")
    return result.filter(is_active=True) if active_only else result


def sessions_open_for_booking(*, course: Course, today: datetime.date) -> QuerySet[Session]:
    return (
        course.sessions.filter(cancelled_at__isnull=True, booking_deadline__gte=today)
        .annotate(places_taken=Count("bookings", filter=Q(bookings__status=B.CONFIRMED)))
        .order_by("starts_at")
    )


def sessions_for_coordinator(*, user: RequestUser) -> QuerySet[Session]:
    if not has_perm(user, Perm.MANAGE_TRAINING):
        return Session.objects.none()
    return Session.objects.select_related("course", "trainer").annotate(
        places_taken=Count("bookings", filter=Q(bookings__status=B.CONFIRMED)),
        waiting=Count("bookings", filter=Q(bookings__status=B.WAITING)),
    )


@dataclass
class Counts:
    label: str
    places_offered: int | None = None  # not meaningful by organisation: places are not reserved per agency
    booked: int = 0
    attended: int = 0
    no_shows: int = 0
    late_cancellations: int = 0
    waiting_list: int = 0

    @property
    def no_show_rate(self) -> float | None:
        return rules.rate(self.no_shows, self.booked)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"no_show_rate": self.no_show_rate}


@dataclass
class Reach:
    organisation: str
    people_reached: int
    workforce: int | None
    elearning_completions: int

    @property
    def share(self) -> float | None:
        return None if not self.workforce else self.people_reached / self.workforce

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"share": self.share}


@dataclass
class Impact:
    label: str
    evaluations: int
    confidence_before: float | None
    confidence_after: float | None
    follow_ups: int
    practice_changed: int
    practice_partly_changed: int

    @property
    def confidence_change(self) -> float | None:
        if self.confidence_before is None or self.confidence_after is None:
            return None
        return self.confidence_after - self.confidence_before

    @property
    def practice_changed_share(self) -> float | None:
        return rules.rate(self.practice_changed + self.practice_partly_changed, self.follow_ups)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "confidence_change": self.confidence_change,
            "practice_changed_share": self.practice_changed_share,
        }


@dataclass
class TrainingSummary:
    date_from: datetime.date
    date_to: datetime.date
    total: Counts
    previous_year: Counts
    by_organisation: list[Counts]
    by_course: list[Counts]
    by_topic: list[Counts]
    reach: list[Reach]
    impact_by_course: list[Impact]
    impact_by_organisation: list[Impact]
    examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "total": self.total.as_dict(),
            "previous_year": self.previous_year.as_dict(),
            "by_organisation": [c.as_dict() for c in self.by_organisation],
            "by_course": [c.as_dict() for c in self.by_course],
            "by_topic": [c.as_dict() for c in self.by_topic],
            "reach": [r.as_dict() for r in self.reach],
            "impact_by_course": [i.as_dict() for i in self.impact_by_course],
            "impact_by_organisation": [i.as_dict() for i in self.impact_by_organisation],
            "examples": self.examples,
        }


def _sessions_in(date_from: datetime.date, date_to: datetime.date) -> QuerySet[Session]:
    return Session.objects.filter(
        cancelled_at__isnull=True, starts_at__date__gte=date_from, starts_at__date__lte=date_to
    )


def _booking_counts(bookings: QuerySet[Booking]) -> dict[str, int]:
    return bookings.aggregate(
        booked=Count("id", filter=HELD_A_PLACE),
        attended=Count("id", filter=Q(outcome=O.ATTENDED)),
        no_shows=Count("id", filter=Q(outcome=O.NO_SHOW)),
        late_cancellations=Count("id", filter=Q(outcome=O.LATE_CANCELLATION)),
        waiting_list=Count("id", filter=Q(status=B.WAITING)),
    )


def _grouped_counts(bookings: QuerySet[Booking], by: str) -> dict[str | None, Counts]:
    """Counts by ``by``; under None, bookings with no such thing (a course with no topic)."""
    rows = (
        bookings.values(by)
        .annotate(
            booked=Count("id", filter=HELD_A_PLACE),
            attended=Count("id", filter=Q(outcome=O.ATTENDED)),
            no_shows=Count("id", filter=Q(outcome=O.NO_SHOW)),
            late_cancellations=Count("id", filter=Q(outcome=O.LATE_CANCELLATION)),
            waiting_list=Count("id", filter=Q(status=B.WAITING)),
        )
        .order_by(by)
    )
    return {row[by]: Counts(label=row[by], **{k: row[k] for k in row if k != by}) for row in rows}


def total_counts(date_from: datetime.date, date_to: datetime.date) -> Counts:
    sessions = _sessions_in(date_from, date_to)
    counts = Counts(label="All training", places_offered=sessions.aggregate(n=Sum("capacity"))["n"] or 0)
    for key, value in _booking_counts(Booking.objects.filter(session__in=sessions)).items():
        setattr(counts, key, value)
    return counts


def training_summary(*, user: RequestUser, date_from: datetime.date, date_to: datetime.date) -> TrainingSummary:
    if not has_perm(user, Perm.VIEW_TRAINING_FIGURES):
        raise PermissionError("This role cannot see training figures.")
    return _training_summary(date_from=date_from, date_to=date_to)


def training_summary_for_token(*, token: ApiToken, date_from: datetime.date, date_to: datetime.date) -> TrainingSummary:
    """For a partner system: the partnership-wide figures the summary page shows, for any
    active token (counts, never a person's details)."""
    if not token.is_active:
        raise PermissionError("This token has been revoked.")
    return _training_summary(date_from=date_from, date_to=date_to)


def training_summary_for_report(*, date_from: datetime.date, date_to: datetime.date) -> TrainingSummary:
    """For the annual report's build, which has no reader: what it publishes is checked
    for personal details and small numbers before publication."""
    return _training_summary(date_from=date_from, date_to=date_to)


def _training_summary(*, date_from: datetime.date, date_to: datetime.date) -> TrainingSummary:
    """The summary, unchecked: every public way in checks its caller first."""
    sessions = _sessions_in(date_from, date_to)
    bookings = Booking.objects.filter(session__in=sessions)

    by_course = _grouped_counts(bookings, "session__course__title")
    for row in sessions.values("course__title").annotate(n=Sum("capacity")).order_by():
        by_course.setdefault(row["course__title"], Counts(label=row["course__title"])).places_offered = row["n"]
    by_topic = _grouped_counts(bookings, "session__course__topics__title")
    offered_by_topic = sessions.values("course__topics__title").annotate(n=Sum("capacity")).order_by()
    for offered in offered_by_topic:
        if offered["course__topics__title"]:
            by_topic.setdefault(
                offered["course__topics__title"], Counts(label=offered["course__topics__title"])
            ).places_offered = offered["n"]
    by_topic.pop(None, None)

    previous_from = date_from - relativedelta(years=1)
    previous_to = date_to - relativedelta(years=1)
    previous = total_counts(previous_from, previous_to)
    previous.label = f"{previous_from:%-d %b %Y} to {previous_to:%-d %b %Y}"

    return TrainingSummary(
        date_from=date_from,
        date_to=date_to,
        total=total_counts(date_from, date_to),
        previous_year=previous,
        by_organisation=sorted(_grouped_counts(bookings, "organisation__name").values(), key=lambda c: c.label),
        by_course=sorted(by_course.values(), key=lambda c: c.label),
        by_topic=sorted(by_topic.values(), key=lambda c: c.label),
        reach=_reach(bookings, date_from, date_to),
        impact_by_course=_impact(bookings, "session__course__title"),
        impact_by_organisation=_impact(bookings, "organisation__name"),
        examples=list(
            FollowUp.objects.filter(booking__in=bookings, practice_changed__in=["yes", "partly"])
            .exclude(example="")
            .order_by("-submitted_at")
            .values_list("example", flat=True)[:5]
        ),
    )


def _reach(bookings: QuerySet[Booking], date_from: datetime.date, date_to: datetime.date) -> list[Reach]:
    """People reached: distinct practitioners (by e-mail) who attended a session or
    completed e-learning in the window, counted under the organisation they were
    with at the time, as a share of that organisation's workforce in the window's
    last workforce year."""
    people: dict[str, set[str]] = defaultdict(set)
    for organisation, email in bookings.filter(outcome=O.ATTENDED).values_list("organisation__name", "email"):
        people[organisation].add(email)
    completions = ElearningCompletion.objects.filter(completed_on__gte=date_from, completed_on__lte=date_to)
    elearning: dict[str, int] = defaultdict(int)
    for organisation, email in completions.values_list("organisation__name", "email"):
        people[organisation].add(email)
        elearning[organisation] += 1
    year = rules.workforce_year(date_to)
    headcounts = dict(Workforce.objects.filter(year=year).values_list("organisation__name", "headcount"))
    names = sorted(set(people) | set(headcounts))
    return [Reach(name, len(people.get(name, ())), headcounts.get(name), elearning.get(name, 0)) for name in names]


def _impact(bookings: QuerySet[Booking], by: str) -> list[Impact]:
    confidence = {
        row["evaluation__booking__" + by]: row
        for row in EvaluationAnswer.objects.filter(evaluation__booking__in=bookings)
        .values("evaluation__booking__" + by)
        .annotate(
            evaluations=Count("evaluation", distinct=True),
            before=Avg("confidence_before"),
            after=Avg("confidence_after"),
        )
        .order_by()
    }
    follow = {
        row["booking__" + by]: row
        for row in FollowUp.objects.filter(booking__in=bookings)
        .values("booking__" + by)
        .annotate(
            n=Count("id"),
            yes=Count("id", filter=Q(practice_changed="yes")),
            partly=Count("id", filter=Q(practice_changed="partly")),
        )
        .order_by()
    }
    result = []
    for label in sorted(set(confidence) | set(follow)):
        c, f = confidence.get(label, {}), follow.get(label, {})
        result.append(
            Impact(
                label=label,
                evaluations=c.get("evaluations", 0),
                confidence_before=round(c["before"], 2) if c.get("before") is not None else None,
                confidence_after=round(c["after"], 2) if c.get("after") is not None else None,
                follow_ups=f.get("n", 0),
                practice_changed=f.get("yes", 0),
                practice_partly_changed=f.get("partly", 0),
            )
        )
    return result
