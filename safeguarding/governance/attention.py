"""What governance puts on people's home pages."""

import datetime

from django.db.models import Q
from django.urls import reverse

from safeguarding.core.attention import Attention, register
from safeguarding.core.permissions import Perm, has_perm
from safeguarding.governance.models import Action, Meeting, ScrutinyRecommendation, SharingAgreement


def _current_organisation_ids(user) -> list[int]:
    if user.person_id is None:
        return []
    return list(user.person.posts.filter(ended_on__isnull=True).values_list("organisation_id", flat=True))


@register
def business_unit_governance(user) -> list[Attention]:
    if not has_perm(user, Perm.MANAGE_GOVERNANCE):
        return []
    today = datetime.date.today()
    items = []
    overdue = Action.objects.filter(status__in=Action.OPEN_STATUSES, is_decision=False, due_on__lt=today).count()
    if overdue:
        items.append(
            Attention(
                "Overdue actions",
                "Actions from meetings and scrutiny past their due date.",
                reverse("governance:actions") + "?show=overdue",
                overdue,
                urgent=True,
            )
        )
    no_register = Meeting.objects.filter(date__lt=today, status=Meeting.Status.SCHEDULED).count()
    if no_register:
        items.append(
            Attention(
                "Registers to take",
                "Meetings that have happened without a register.",
                reverse("governance:meetings"),
                no_register,
            )
        )
    agreements = SharingAgreement.objects.filter(review_due_on__lt=today).count()
    if agreements:
        items.append(
            Attention(
                "Information sharing agreements past review",
                "Agreements whose review date has passed.",
                reverse("governance:agreements"),
                agreements,
                urgent=True,
            )
        )
    return items


@register
def my_organisations_actions(user) -> list[Attention]:
    if not has_perm(user, Perm.VIEW_GOVERNANCE) or has_perm(user, Perm.MANAGE_GOVERNANCE):
        return []
    organisations = _current_organisation_ids(user)
    if not organisations:
        return []
    overdue = Action.objects.filter(
        owner_organisation_id__in=organisations,
        status__in=Action.OPEN_STATUSES,
        is_decision=False,
        due_on__lt=datetime.date.today(),
    ).count()
    if not overdue:
        return []
    return [
        Attention(
            "Your organisation's overdue actions",
            "Partnership actions your organisation owns.",
            reverse("governance:actions") + "?show=overdue",
            overdue,
            urgent=True,
        )
    ]


@register
def recommendations_awaiting_response(user) -> list[Attention]:
    if not has_perm(user, Perm.RESPOND_TO_SCRUTINY) or has_perm(user, Perm.MANAGE_GOVERNANCE):
        return []
    organisations = _current_organisation_ids(user)
    waiting = (
        ScrutinyRecommendation.objects.filter(addressed_to__in=organisations)
        .exclude(Q(responses__organisation_id__in=organisations))
        .distinct()
        .count()
    )
    if not waiting:
        return []
    return [
        Attention(
            "Scrutiny recommendations awaiting your response",
            "The independent scrutineer's recommendations addressed to your organisation.",
            reverse("governance:scrutiny"),
            waiting,
        )
    ]
