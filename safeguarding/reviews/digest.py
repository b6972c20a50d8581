"""The business unit's daily e-mail of the reviews' deadlines: what falls due in the next
3 working days and what is overdue, each with a link. No child's details: rapid reviews
by number, CSPRs by the name they are known by, agencies by name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from safeguarding.accounts.models import User
from safeguarding.core.mail import queue_email
from safeguarding.core.permissions import Role
from safeguarding.core.working_days import add_working_days
from safeguarding.reviews.models import AgencySummaryRequest, LearningRecommendation, PracticeReview, RapidReview

WITHIN_WORKING_DAYS = 3
RUNNING = (RapidReview.Status.OPEN, RapidReview.Status.DECIDED)


@dataclass(frozen=True)
class Deadline:
    what: str
    due_on: datetime.date
    link: str


@dataclass(frozen=True)
class Digest:
    overdue: list[Deadline]
    due_soon: list[Deadline]
    horizon: datetime.date

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon)


def _link(name: str, **kwargs: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def reviews_deadlines(today: datetime.date) -> Digest:
    """Every reviews deadline due by ``today`` plus 3 England working days, split into
    overdue (before today) and due soon, soonest first."""
    horizon = add_working_days(today, WITHIN_WORKING_DAYS)
    deadlines = [
        Deadline(
            f"Rapid review {review.pk} to the National Panel", review.due_on, _link("reviews:review", pk=review.pk)
        )
        for review in RapidReview.objects.filter(status__in=RUNNING, due_on__lte=horizon)
    ]
    deadlines += [
        Deadline(
            f"{asked.organisation.name}'s summary for rapid review {asked.rapid_review_id}",
            asked.due_on,
            _link("reviews:review", pk=asked.rapid_review_id),
        )
        for asked in AgencySummaryRequest.objects.filter(
            returned_on__isnull=True, due_on__lte=horizon, rapid_review__status__in=RUNNING
        ).select_related("organisation")
    ]
    deadlines += [
        Deadline(
            f"{cspr.reference} ({cspr.title}) published", cspr.due_on, _link("reviews:practice_review", pk=cspr.pk)
        )
        for cspr in PracticeReview.objects.filter(published_on__isnull=True, due_on__lte=horizon)
    ]
    deadlines += [
        Deadline(
            f"Recommendation {rec.reference} ({rec.owner_organisation.name})",
            rec.due_on,
            _link("reviews:recommendation", pk=rec.pk),
        )
        for rec in LearningRecommendation.objects.filter(
            status=LearningRecommendation.Status.OPEN, due_on__lte=horizon
        ).select_related("owner_organisation")
    ]
    deadlines.sort(key=lambda d: (d.due_on, d.what))
    return Digest(
        overdue=[d for d in deadlines if d.due_on < today],
        due_soon=[d for d in deadlines if d.due_on >= today],
        horizon=horizon,
    )


def _lines(deadlines: list[Deadline]) -> str:
    return "\n".join(f"- {d.what}: due {d.due_on:%-d %B %Y}\n  {d.link}" for d in deadlines)


@transaction.atomic
def send_deadlines_email(*, today: datetime.date) -> int:
    """E-mail the partnership's business managers the day's digest; nothing when nothing
    is due. Returns how many deadlines it named."""
    digest = reviews_deadlines(today)
    if not digest:
        return 0
    recipients = (
        User.objects.filter(is_active=True, role_assignments__role=Role.BUSINESS_MANAGER)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    parts = []
    if digest.overdue:
        parts.append(f"Overdue:\n{_lines(digest.overdue)}")
    if digest.due_soon:
        parts.append(
            f"Due by {digest.horizon:%-d %B %Y} ({WITHIN_WORKING_DAYS} working days):\n{_lines(digest.due_soon)}"
        )
    queue_email(
        subject=f"Reviews: {len(digest.overdue)} overdue, {len(digest.due_soon)} due in the next "
        f"{WITHIN_WORKING_DAYS} working days",
        body="\n\n".join(parts) + f"\n\n{settings.PARTNERSHIP_NAME}",
        to=set(recipients),
    )
    return len(digest.overdue) + len(digest.due_soon)
