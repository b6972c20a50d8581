"""Reads for serious incidents and rapid reviews, scoped to the reader.

Nothing here returns a child's details or an agency's summary: those are read one at a
time through ``reviews.reads``, which records the read with its purpose. What is here is
the record of the work (dates, decisions, sign-offs, the Panel's reply) for those who may
see it: the business unit, the Board and the scrutineer; and, for an agency lead, only
the reviews that asked their agency, with only their agency's request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.selectors import current_organisation
from safeguarding.core.permissions import Perm, RequestUser, has_perm
from safeguarding.core.working_days import add_working_days
from safeguarding.reviews import rules
from safeguarding.reviews.models import (
    AgencySummaryRequest,
    NotifiedChild,
    RapidReview,
    RapidReviewSignOff,
    ReferralForConsideration,
    SeriousIncidentNotification,
)


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
    review = RapidReview.objects.select_related("notification").filter(pk=pk).first()
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
        plan=rules.day_plan(review.starts_on),
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
