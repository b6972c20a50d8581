"""What the reviews area puts on people's home pages: for the business unit, the rapid
reviews falling due or overdue, notifications not yet decided, agencies' summaries
overdue, practice reviews past or near their 6 months and recommendations overdue; for
an agency lead, their agency's summaries still to send."""

from django.urls import reverse
from django.utils import timezone

from safeguarding.core.attention import Attention, register
from safeguarding.reviews import selectors

DUE_WITHIN_WORKING_DAYS = 3


@register
def rapid_reviews(user) -> list[Attention]:
    due = selectors.reviews_due(user, within_working_days=DUE_WITHIN_WORKING_DAYS)
    if due is None:
        return []
    here = reverse("reviews:notifications")
    items = []
    if due.overdue:
        items.append(
            Attention(
                "Rapid reviews overdue",
                "Past their 15 working days and not yet sent to the National Panel.",
                here,
                due.overdue,
                urgent=True,
            )
        )
    if due.due_soon:
        items.append(
            Attention(
                "Rapid reviews due soon",
                f"Due to the National Panel in the next {DUE_WITHIN_WORKING_DAYS} working days.",
                here,
                due.due_soon,
                urgent=True,
            )
        )
    if due.undecided:
        items.append(
            Attention(
                "Notifications not yet decided",
                "Rapid reviews open without the partners' decision on the four criteria.",
                here,
                due.undecided,
            )
        )
    if due.summaries_overdue:
        items.append(
            Attention(
                "Agency summaries overdue",
                "Asked for and not back by their due date: chase them.",
                here,
                due.summaries_overdue,
                urgent=True,
            )
        )
    return items


@register
def summaries_to_send(user) -> list[Attention]:
    if selectors.sees_every_review(user) or selectors.answering_organisation(user) is None:
        return []
    waiting = selectors.summary_requests_for(user, open_only=True)
    if not waiting:
        return []
    today = timezone.localdate()
    overdue = sum(row.overdue for row in waiting)
    detail = f"Your agency's individual summaries for rapid reviews, the first due {waiting[0].due_on:%-d %B %Y}."
    if overdue:
        detail += f" {overdue} overdue."
    return [
        Attention(
            "Agency summaries to send",
            detail,
            reverse("reviews:my_requests"),
            len(waiting),
            urgent=bool(overdue) or waiting[0].due_on <= today,
        )
    ]


@register
def learning(user) -> list[Attention]:
    due = selectors.learning_due(user)
    if due is None:
        return []
    items = []
    if due.cspr_overdue:
        items.append(
            Attention(
                "Practice reviews past 6 months",
                "Not yet published 6 months after the decision to hold them.",
                reverse("reviews:practice_reviews"),
                due.cspr_overdue,
                urgent=True,
            )
        )
    if due.cspr_due_soon:
        items.append(
            Attention(
                "Practice reviews due soon",
                "Due to be published within the next month.",
                reverse("reviews:practice_reviews"),
                due.cspr_due_soon,
            )
        )
    if due.recommendations_overdue:
        items.append(
            Attention(
                "Recommendations overdue",
                "Open past their due date: ask the owners for progress and evidence of impact.",
                reverse("reviews:recommendations"),
                due.recommendations_overdue,
                urgent=True,
            )
        )
    return items
