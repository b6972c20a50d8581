import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguarding.core.audit import current_label, labels_of
from safeguarding.core.models import AuditEvent, OutgoingEmail
from safeguarding.core.permissions import Perm, RequestUser, has_perm


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def audit_events(*, user: RequestUser, filters: AuditFilter) -> QuerySet[AuditEvent]:
    if not has_perm(user, Perm.VIEW_AUDIT):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type__in=labels_of(filters.object_type))
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.date_from:
        events = events.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(at__date__lte=filters.date_to)
    return events.order_by("-at", "-id")


def audit_object_types() -> list[str]:
    """The kinds of record in the trail, each once (one that moved app under its label now)."""
    stored = AuditEvent.objects.exclude(object_type="").order_by("object_type").values_list("object_type", flat=True)
    return sorted({current_label(label) for label in stored.distinct()})


# How long a message may wait in the outbox before it counts as stuck: longer than the
# retries take, so a worker that is not running shows up too.
EMAIL_STUCK_AFTER = datetime.timedelta(hours=2)
EMAIL_FAILURES_SHOWN_FOR = datetime.timedelta(days=30)


def undelivered_emails(*, user: RequestUser, now: datetime.datetime | None = None) -> QuerySet[OutgoingEmail]:
    """E-mails given up on in the last 30 days, and any still waiting after two hours:
    for administrators only."""
    if not has_perm(user, Perm.ADMIN_SITE):
        return OutgoingEmail.objects.none()
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(
        Q(status=OutgoingEmail.Status.FAILED, failed_at__gte=now - EMAIL_FAILURES_SHOWN_FOR)
        | Q(status=OutgoingEmail.Status.QUEUED, created_at__lt=now - EMAIL_STUCK_AFTER)
    ).defer("body")
