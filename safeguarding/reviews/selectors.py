"""Reads for serious incidents, rapid reviews, CSPRs and recommendations, scoped to the reader.

Nothing here returns a child's details or an agency's summary: those are read one at a
time through ``reviews.reads``, which records the read with its purpose. What is here is
the record of the work (dates, decisions, sign-offs, the Panel's reply) for those who may
see it: the business unit, the Board and the scrutineer; and, for an agency lead, only
the reviews that asked their agency, with only their agency's request.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.selectors import current_organisation
from safeguarding.children.models import AgencyRecord
from safeguarding.core.permissions import Perm, RequestUser, has_perm
from safeguarding.core.working_days import add_working_days
from safeguarding.core.years import financial_year_start
from safeguarding.governance.models import Action
from safeguarding.moves.models import MoveAlert
from safeguarding.reviews import day_plan, rules
from safeguarding.reviews.models import (
    AgencySummaryRequest,
    Briefing,
    BriefingDownload,
    ImpactEvidence,
    LearningRecommendation,
    MonitoringCheck,
    NotifiedChild,
    ParallelProcess,
    PracticeReview,
    RapidReview,
    RapidReviewSignOff,
    ReferralForConsideration,
    ReportVersion,
    ReviewPause,
    SeriousIncidentNotification,
)
from safeguarding.training.models import Booking, Course, ElearningCompletion


def sees_every_review(user: RequestUser) -> bool:
    return has_perm(user, Perm.VIEW_REVIEWS) or has_perm(user, Perm.VIEW_REVIEW_DECISIONS)


def answering_organisation(user: RequestUser) -> Organisation | None:
    """The agency an agency lead answers summary requests for: their current post's
    organisation. None for anyone else, and for a lead with no post (who then sees none)."""
    if not has_perm(user, Perm.ANSWER_SUMMARY_REQUESTS):
        return None
    return current_organisation(user)


def notifications_for(user: RequestUser) -> QuerySet[SeriousIncidentNotification]:
    """Notifications, newest first, with how many children each is about (not who)."""
    result = SeriousIncidentNotification.objects.select_related(
        "notified_by", "incident_area", "home_area", "rapid_review"
    ).annotate(children_count=Count("children", distinct=True))
    if sees_every_review(user):
        return result
    organisation = answering_organisation(user)
    if organisation is None:
        return SeriousIncidentNotification.objects.none()
    return result.filter(rapid_review__summary_requests__organisation=organisation).distinct()


def referrals_for(user: RequestUser) -> QuerySet[ReferralForConsideration]:
    """Referrals for consideration: their summaries are about a child, so for the
    business unit only."""
    if not has_perm(user, Perm.VIEW_REVIEWS):
        return ReferralForConsideration.objects.none()
    return ReferralForConsideration.objects.select_related("referred_by", "notification__rapid_review")


@dataclass(frozen=True)
class SummaryRequestRow:
    """A request for an agency's summary, without its content (``reads.agency_summary_for_reader``)."""

    pk: int
    rapid_review_id: int
    organisation: str
    requested_on: datetime.date
    due_on: datetime.date
    returned_on: datetime.date | None
    chased_on: list[datetime.date]
    overdue: bool


def _rows(requests: QuerySet[AgencySummaryRequest], today: datetime.date) -> list[SummaryRequestRow]:
    return [
        SummaryRequestRow(
            pk=r.pk,
            rapid_review_id=r.rapid_review_id,
            organisation=r.organisation.name,
            requested_on=r.requested_on,
            due_on=r.due_on,
            returned_on=r.returned_on,
            chased_on=[c.chased_on for c in r.chasers.all()],
            overdue=r.returned_on is None and r.due_on < today,
        )
        for r in requests.select_related("organisation").prefetch_related("chasers")
    ]


def summary_requests_for(user: RequestUser, *, open_only: bool = False) -> list[SummaryRequestRow]:
    """Requests for agencies' summaries: every one for the business unit, the Board and
    the scrutineer; an agency lead's own agency's only."""
    requests = AgencySummaryRequest.objects.order_by("due_on", "pk")
    if open_only:
        requests = requests.filter(returned_on__isnull=True)
    if not sees_every_review(user):
        organisation = answering_organisation(user)
        if organisation is None:
            return []
        requests = requests.filter(organisation=organisation)
    return _rows(requests, timezone.localdate())


@dataclass(frozen=True)
class RapidReviewView:
    review: RapidReview
    notification: SeriousIncidentNotification
    notification_due: datetime.date
    notification_late: bool
    plan: list[rules.PlannedStep]
    summary_requests: list[SummaryRequestRow]
    sign_offs: list[RapidReviewSignOff]
    sent_on_time: bool | None  # None until it is sent


def rapid_review_for(user: RequestUser, pk: int) -> RapidReviewView | None:
    """One rapid review as the reader may see it, or None (no such review, or not one for
    this reader: the two read the same, so an ID cannot be tested). An agency lead sees a
    review that asked their agency, and only their agency's request."""
    review = RapidReview.objects.select_related("notification", "meeting__group").filter(pk=pk).first()
    if review is None:
        return None
    requests = review.summary_requests.order_by("organisation__name")
    if not sees_every_review(user):
        organisation = answering_organisation(user)
        if organisation is None or not requests.filter(organisation=organisation).exists():
            return None
        requests = requests.filter(organisation=organisation)
    notification = review.notification
    return RapidReviewView(
        review=review,
        notification=notification,
        notification_due=rules.notification_due(notification.became_aware_on),
        notification_late=rules.notification_is_late(
            became_aware_on=notification.became_aware_on, notified_panel_on=notification.notified_panel_on
        ),
        plan=rules.day_plan(review.starts_on, day_plan.partnership_day_plan()),
        summary_requests=_rows(requests, timezone.localdate()),
        sign_offs=list(review.sign_offs.select_related("person", "post__organisation")),
        sent_on_time=None
        if review.sent_to_panel_on is None
        else rules.rapid_review_on_time(start=review.starts_on, sent_to_panel_on=review.sent_to_panel_on),
    )


def notified_children_for(user: RequestUser, notification: SeriousIncidentNotification) -> list[NotifiedChild]:
    """The notification's children as rows for ``reads.notified_child_for_reader``, which
    alone shows their details; a page lists them here as "child 1", "child 2". None for
    a reader who may not see the notification."""
    if not notifications_for(user).filter(pk=notification.pk).exists():
        return []
    return list(NotifiedChild.objects.filter(notification=notification).select_related("child", "notification"))


def summary_request_for(user: RequestUser, review_pk: int, pk: int) -> AgencySummaryRequest | None:
    """One request for an agency's summary: any for the business unit; for an agency lead
    only their own agency's. Another agency's reads as missing (None)."""
    requests = AgencySummaryRequest.objects.select_related("rapid_review__notification", "organisation").filter(
        rapid_review_id=review_pk, pk=pk
    )
    if has_perm(user, Perm.VIEW_REVIEWS):
        return requests.first()
    organisation = answering_organisation(user)
    if organisation is None:
        return None
    return requests.filter(organisation=organisation).first()


@dataclass(frozen=True)
class ReviewsDue:
    """What the business unit is to do next: reviews due soon or overdue, notifications
    not yet decided, agencies' summaries overdue."""

    due_soon: int
    overdue: int
    undecided: int
    summaries_overdue: int


def reviews_due(user: RequestUser, *, within_working_days: int = 3) -> ReviewsDue | None:
    """For those who run the reviews (``MANAGE_REVIEWS``); None for anyone else."""
    if not has_perm(user, Perm.MANAGE_REVIEWS):
        return None
    today = timezone.localdate()
    horizon = add_working_days(today, within_working_days)
    running = RapidReview.objects.filter(status__in=[RapidReview.Status.OPEN, RapidReview.Status.DECIDED])
    return ReviewsDue(
        due_soon=running.filter(due_on__gte=today, due_on__lte=horizon).count(),
        overdue=running.filter(due_on__lt=today).count(),
        undecided=RapidReview.objects.filter(status=RapidReview.Status.OPEN).count(),
        summaries_overdue=AgencySummaryRequest.objects.filter(
            returned_on__isnull=True,
            due_on__lt=today,
            rapid_review__status__in=[RapidReview.Status.OPEN, RapidReview.Status.DECIDED],
        ).count(),
    )


# Child Safeguarding Practice Reviews -----------------------------------------------------


@dataclass(frozen=True)
class PracticeReviewRow:
    """A CSPR with its clock: months taken against 6 (to publication, or to today while it
    runs), the days it stood paused, and whether it is published on time."""

    review: PracticeReview
    pauses: list[ReviewPause]
    months_taken: float
    days_paused: int
    paused_now: bool
    on_time: bool | None  # None until published
    overdue: bool  # unpublished past its 6 months


def _practice_review_row(review: PracticeReview, today: datetime.date) -> PracticeReviewRow:
    pauses = list(review.pauses.all())
    until = review.published_on or today
    return PracticeReviewRow(
        review=review,
        pauses=pauses,
        months_taken=rules.months_between(review.decided_on, until),
        days_paused=rules.days_paused([rules.Span(p.paused_on, p.resumed_on) for p in pauses], until),
        paused_now=any(p.resumed_on is None for p in pauses),
        on_time=None
        if review.published_on is None
        else rules.cspr_published_on_time(decided_on=review.decided_on, published_on=review.published_on),
        overdue=review.published_on is None and review.due_on < today,
    )


def practice_reviews_for(user: RequestUser) -> list[PracticeReviewRow]:
    """Every CSPR for the business unit, the Board and the scrutineer; none for anyone else."""
    if not sees_every_review(user):
        return []
    today = timezone.localdate()
    reviews = PracticeReview.objects.prefetch_related("pauses").order_by("-decided_on", "reference")
    return [_practice_review_row(review, today) for review in reviews]


@dataclass(frozen=True)
class PracticeReviewView:
    row: PracticeReviewRow
    parallel_processes: list[ParallelProcess]
    versions: list[ReportVersion]
    monitoring: list[MonitoringCheck]
    recommendations: list[RecommendationRow]
    earliest_publication: datetime.date | None


def practice_review_for(user: RequestUser, pk: int) -> PracticeReviewView | None:
    """One CSPR for a reader who sees every review; None otherwise, or if there is none."""
    if not sees_every_review(user):
        return None
    review = (
        PracticeReview.objects.select_related("notification", "rapid_review")
        .prefetch_related("pauses__parallel_process", "themes")
        .filter(pk=pk)
        .first()
    )
    if review is None:
        return None
    today = timezone.localdate()
    return PracticeReviewView(
        row=_practice_review_row(review, today),
        parallel_processes=list(review.parallel_processes.all()),
        versions=list(review.versions.all()),
        monitoring=list(review.monitoring.all()),
        recommendations=_recommendation_rows(LearningRecommendation.objects.filter(practice_review=review), today),
        earliest_publication=None
        if review.sent_to_panel_on is None
        else rules.earliest_publication(review.sent_to_panel_on, settings.REVIEWS_PRE_PUBLICATION_WORKING_DAYS),
    )


# Recommendations -------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: LearningRecommendation
    source_label: str  # e.g. "CSPR-2026-01: Child Q"
    themes: list[str]
    actions: list[Action]
    actions_open: int
    overdue: bool


def _source_label(recommendation: LearningRecommendation) -> str:
    if recommendation.practice_review is not None:
        return str(recommendation.practice_review)
    if recommendation.rapid_review is not None:
        return f"Rapid review {recommendation.rapid_review_id}"
    if recommendation.national_review is not None:
        return recommendation.national_review.title
    assert recommendation.scrutiny_recommendation is not None  # a constraint: one source
    return f"Scrutineer's recommendation {recommendation.scrutiny_recommendation.reference}"


def _recommendation_rows(
    recommendations: QuerySet[LearningRecommendation], today: datetime.date
) -> list[RecommendationRow]:
    rows = []
    recommendations = recommendations.select_related(
        "owner_organisation", "practice_review", "national_review", "scrutiny_recommendation"
    ).prefetch_related("themes", "action_links__action")
    for recommendation in recommendations:
        actions = [link.action for link in recommendation.action_links.all()]
        rows.append(
            RecommendationRow(
                recommendation=recommendation,
                source_label=_source_label(recommendation),
                themes=[theme.title for theme in recommendation.themes.all()],
                actions=actions,
                actions_open=sum(action.status in Action.OPEN_STATUSES for action in actions),
                overdue=rules.recommendation_is_overdue(
                    due_on=recommendation.due_on,
                    closed=recommendation.status == LearningRecommendation.Status.CLOSED,
                    today=today,
                ),
            )
        )
    return rows


def _recommendations_visible(user: RequestUser) -> QuerySet[LearningRecommendation]:
    """All for those who see every review; an agency lead's own agency's; none otherwise."""
    if sees_every_review(user):
        return LearningRecommendation.objects.all()
    organisation = answering_organisation(user)
    if organisation is None:
        return LearningRecommendation.objects.none()
    return LearningRecommendation.objects.filter(owner_organisation=organisation)


def recommendations_for(
    user: RequestUser, *, source: str = "", organisation_id: int | None = None, theme_id: int | None = None
) -> list[RecommendationRow]:
    recommendations = _recommendations_visible(user)
    if source:
        recommendations = recommendations.filter(source=source)
    if organisation_id:
        recommendations = recommendations.filter(owner_organisation_id=organisation_id)
    if theme_id:
        recommendations = recommendations.filter(themes__id=theme_id)
    return _recommendation_rows(recommendations.distinct(), timezone.localdate())


def recommendation_for(user: RequestUser, pk: int) -> tuple[RecommendationRow, list[ImpactEvidence]] | None:
    """One recommendation with its evidence of impact, for a reader who may see it."""
    rows = _recommendation_rows(_recommendations_visible(user).filter(pk=pk), timezone.localdate())
    if not rows:
        return None
    evidence = list(ImpactEvidence.objects.filter(recommendation_id=pk).select_related("indicator", "course"))
    return rows[0], evidence


@dataclass(frozen=True)
class LearningDue:
    """CSPRs past their 6 months or due within a month, and recommendations overdue."""

    cspr_overdue: int
    cspr_due_soon: int
    recommendations_overdue: int


def learning_due(user: RequestUser) -> LearningDue | None:
    """For those who run the reviews (``MANAGE_REVIEWS``); None for anyone else."""
    if not has_perm(user, Perm.MANAGE_REVIEWS):
        return None
    today = timezone.localdate()
    unpublished = PracticeReview.objects.filter(published_on__isnull=True)
    return LearningDue(
        cspr_overdue=unpublished.filter(due_on__lt=today).count(),
        cspr_due_soon=unpublished.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=31)).count(),
        recommendations_overdue=LearningRecommendation.objects.filter(
            status=LearningRecommendation.Status.OPEN, due_on__lt=today
        ).count(),
    )


# Learning products -----------------------------------------------------------------------


@dataclass(frozen=True)
class CourseReach:
    course: Course
    people: int
    agencies: int


@dataclass(frozen=True)
class BriefingReach:
    briefing: Briefing
    downloads: int
    downloads_by_agency: list[tuple[str, int]]  # "No organisation" for readers without one
    courses: list[CourseReach]

    @property
    def agencies_reached(self) -> int:
        return sum(1 for name, _ in self.downloads_by_agency if name != NO_ORGANISATION)


NO_ORGANISATION = "No organisation"


def _course_reach(
    course_ids: set[int], window: tuple[datetime.date, datetime.date] | None = None
) -> dict[int, CourseReach]:
    """People who attended a session or completed the e-learning of each course (within
    ``window`` where given), and from how many agencies: two queries for all the courses."""
    people: dict[int, int] = defaultdict(int)
    agencies: dict[int, set[int]] = defaultdict(set)
    attended = Booking.objects.filter(session__course_id__in=course_ids, outcome=Booking.Outcome.ATTENDED)
    completed = ElearningCompletion.objects.filter(course_id__in=course_ids)
    if window is not None:
        attended = attended.filter(session__starts_at__date__range=window)
        completed = completed.filter(completed_on__range=window)
    for course_id, organisation_id in attended.values_list("session__course_id", "organisation_id"):
        people[course_id] += 1
        agencies[course_id].add(organisation_id)
    for course_id, organisation_id in completed.values_list("course_id", "organisation_id"):
        people[course_id] += 1
        agencies[course_id].add(organisation_id)
    return {
        course.pk: CourseReach(course, people[course.pk], len(agencies[course.pk]))
        for course in Course.objects.filter(pk__in=course_ids)
    }


def _briefing_reach(
    briefings: list[Briefing], window: tuple[datetime.date, datetime.date] | None = None
) -> list[BriefingReach]:
    by_briefing: dict[int, dict[str, int]] = defaultdict(dict)
    downloads = BriefingDownload.objects.filter(briefing__in=briefings)
    if window is not None:
        downloads = downloads.filter(downloaded_at__date__range=window)
    for briefing_id, organisation, count in downloads.values_list("briefing_id", "organisation__name").annotate(
        n=Count("pk")
    ):
        by_briefing[briefing_id][organisation or NO_ORGANISATION] = count
    courses = _course_reach({c.pk for b in briefings for c in b.courses.all()}, window)
    return [
        BriefingReach(
            briefing=b,
            downloads=sum(by_briefing[b.pk].values()),
            downloads_by_agency=sorted(by_briefing[b.pk].items()),
            courses=[courses[c.pk] for c in b.courses.all()],
        )
        for b in briefings
    ]


def briefings_for(user: RequestUser) -> list[BriefingReach]:
    """Every briefing with its reach, for the partnership's staff; none for anyone else."""
    if not has_perm(user, Perm.VIEW_BRIEFINGS):
        return []
    briefings = list(Briefing.objects.prefetch_related("themes", "courses"))
    return _briefing_reach(briefings)


def briefings_reach_for_report(*, date_from: datetime.date, date_to: datetime.date) -> list[BriefingReach]:
    """For the annual report's build (no reader: it publishes no child's details): every
    briefing published by the window's end, with its downloads and the attendance of its
    courses within the window."""
    briefings = list(Briefing.objects.filter(published_on__lte=date_to).prefetch_related("courses"))
    return _briefing_reach(briefings, (date_from, date_to))


def briefing_for(user: RequestUser, pk: int) -> BriefingReach | None:
    if not has_perm(user, Perm.VIEW_BRIEFINGS):
        return None
    briefings = list(
        Briefing.objects.filter(pk=pk).prefetch_related(
            "themes", "courses", "practice_reviews", "rapid_reviews", "national_reviews"
        )
    )
    return _briefing_reach(briefings)[0] if briefings else None


# Themes across the years -----------------------------------------------------------------


@dataclass(frozen=True)
class ThemeTable:
    years: list[int]  # financial years, oldest first (2025 is April 2025 to March 2026)
    rows: list[tuple[str, dict[int, int], int]]  # theme, reviews by year, all years
    moved_by_year: dict[int, int]  # reviews whose children have a move alert


def themes_by_year(user: RequestUser) -> ThemeTable | None:
    """How often each theme recurs across the partnership's reviews, by the financial year
    the partners became aware. A review is a notification: tagged on its rapid review or
    its CSPR, it counts once. None for a reader who does not see every review."""
    if not sees_every_review(user):
        return None
    aware = dict(SeriousIncidentNotification.objects.values_list("pk", "became_aware_on"))
    tagged: dict[str, set[int]] = defaultdict(set)
    for title, notification_id in RapidReview.themes.through.objects.values_list(
        "reviewtheme__title", "rapidreview__notification_id"
    ):
        tagged[title].add(notification_id)
    for title, notification_id in PracticeReview.themes.through.objects.values_list(
        "reviewtheme__title", "practicereview__notification_id"
    ):
        tagged[title].add(notification_id)
    moved = set(
        NotifiedChild.objects.filter(child__move_alerts__isnull=False).values_list("notification_id", flat=True)
    )
    years = sorted({financial_year_start(day) for day in aware.values()})
    rows = []
    for title in sorted(tagged):
        counts: dict[int, int] = defaultdict(int)
        for notification_id in tagged[title]:
            counts[financial_year_start(aware[notification_id])] += 1
        rows.append((title, dict(counts), len(tagged[title])))
    rows.sort(key=lambda row: (-row[2], row[0]))
    moved_by_year: dict[int, int] = defaultdict(int)
    for notification_id in moved:
        moved_by_year[financial_year_start(aware[notification_id])] += 1
    return ThemeTable(years=years, rows=rows, moved_by_year=dict(moved_by_year))


@dataclass(frozen=True)
class MoveAlertSeen:
    ordinal: int  # "child 1" of the notification
    alert: MoveAlert


def move_alerts_for_review(user: RequestUser, notification: SeriousIncidentNotification) -> list[MoveAlertSeen]:
    """The move alerts about the notification's linked children (that a child moved is
    about the child: for the business unit, who reads the children's details)."""
    if not has_perm(user, Perm.VIEW_REVIEWS):
        return []
    ordinals = dict(
        NotifiedChild.objects.filter(notification=notification, child__isnull=False).values_list("child_id", "ordinal")
    )
    alerts = MoveAlert.objects.filter(child_id__in=ordinals).select_related("from_area", "to_area")
    return [MoveAlertSeen(ordinals[alert.child_id], alert) for alert in alerts.order_by("raised_at")]


def suggested_agencies(user: RequestUser, review: RapidReview) -> list[Organisation]:
    """The agencies whose systems hold records about the review's linked children and have
    not been asked for a summary yet, by name. Which agencies know a child is about the
    child: for the business unit only."""
    if not has_perm(user, Perm.VIEW_REVIEWS):
        return []
    linked = [
        notified.child.current().pk
        for notified in NotifiedChild.objects.filter(
            notification_id=review.notification_id, child__isnull=False
        ).select_related("child")
        if notified.child is not None
    ]
    holding = AgencyRecord.objects.filter(child_id__in=linked).values("source__organisation")
    asked = review.summary_requests.values("organisation")
    return list(Organisation.objects.filter(pk__in=holding).exclude(pk__in=asked).order_by("name"))
