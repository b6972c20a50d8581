"""What the children area puts on people's home pages."""

from django.urls import reverse

from safeguarding.children.models import AgencyRecord, LinkageRun, MatchReview, MoveAlert
from safeguarding.core.attention import Attention, register
from safeguarding.core.permissions import Perm, has_perm


@register
def matches_to_review(user) -> list[Attention]:
    if not has_perm(user, Perm.REVIEW_MATCHES):
        return []
    from safeguarding.children import selectors

    # Only the pairs this reader may open (both records shared with their agency).
    count = selectors.review_queue(user, MatchReview.Status.PENDING).count()
    if not count:
        return []
    return [
        Attention(
            "Possible matches to review",
            "Pairs of agency records the model could not decide are the same child or not.",
            reverse("children:reviews"),
            count,
        )
    ]


@register
def records_waiting_for_a_run(user) -> list[Attention]:
    if not has_perm(user, Perm.RUN_LINKAGE):
        return []
    unlinked = AgencyRecord.objects.filter(child__isnull=True).count()
    failed = LinkageRun.objects.order_by("-created_at").values_list("status", flat=True).first() == "failed"
    items = []
    if unlinked:
        items.append(
            Attention(
                "Records not linked yet",
                "Agency records waiting for a full linkage run.",
                reverse("children:overview"),
                unlinked,
                urgent=True,
            )
        )
    if failed:
        items.append(
            Attention("The last linkage run failed", "See what went wrong.", reverse("children:overview"), urgent=True)
        )
    return items


@register
def move_alerts(user) -> list[Attention]:
    """The day's move alerts, first on a MASH practitioner's home page."""
    if not has_perm(user, Perm.HANDLE_MOVE_ALERTS):
        return []
    from django.utils import timezone

    from safeguarding.children import rules, selectors

    waiting = list(selectors.alerts_for(user, status=MoveAlert.Status.NEW).values_list("raised_at", flat=True)[:1000])
    if not waiting:
        return []
    today = timezone.localdate()
    overdue = sum(rules.alert_overdue(status="new", raised_on=timezone.localdate(at), today=today) for at in waiting)
    items = [
        Attention(
            "Children who moved: new alerts",
            "Children known to one area found in another's records. Acknowledge each by the next working day.",
            reverse("children:alerts") + "?status=new",
            len(waiting),
            urgent=True,
        )
    ]
    if overdue:
        items.append(
            Attention(
                "Move alerts overdue",
                "Not acknowledged by the next working day; the MASH managers have been told.",
                reverse("children:alerts") + "?status=new",
                overdue,
                urgent=True,
            )
        )
    return items
