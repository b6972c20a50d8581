"""What the moves area puts on people's home pages."""

from django.urls import reverse
from django.utils import timezone

from safeguarding.core.attention import Attention, register
from safeguarding.core.permissions import Perm, has_perm
from safeguarding.moves import rules, selectors
from safeguarding.moves.models import MoveAlert


@register
def move_alerts(user) -> list[Attention]:
    """The day's move alerts, first on a MASH practitioner's home page."""
    if not has_perm(user, Perm.HANDLE_MOVE_ALERTS):
        return []
    waiting = list(selectors.alerts_for(user, status=MoveAlert.Status.NEW).values_list("raised_at", flat=True)[:1000])
    if not waiting:
        return []
    today = timezone.localdate()
    overdue = sum(rules.alert_overdue(status="new", raised_on=timezone.localdate(at), today=today) for at in waiting)
    items = [
        Attention(
            "Children who moved: new alerts",
            "Children known to one area found in another's records. Acknowledge each by the next working day.",
            reverse("moves:alerts") + "?status=new",
            len(waiting),
            urgent=True,
        )
    ]
    if overdue:
        items.append(
            Attention(
                "Move alerts overdue",
                "Not acknowledged by the next working day; the MASH managers have been told.",
                reverse("moves:alerts") + "?status=new",
                overdue,
                urgent=True,
            )
        )
    return items
