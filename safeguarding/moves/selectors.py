"""Move alerts as a reader may list them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safeguarding.children.policy import Part
from safeguarding.children.selectors import reader_scope
from safeguarding.core.permissions import RequestUser
from safeguarding.moves.models import MoveAlert


def alerts_for(user: RequestUser, *, status: str = "open") -> QuerySet[MoveAlert]:
    """Move alerts for the reader's MASH: alerts to or from an area their organisation
    serves, for a desk the policy gives the moves part. Fails closed: a reader with no
    post, an organisation serving no area, or a desk without moves gets no alert."""
    scope = reader_scope(user)
    if Part.MOVES not in scope.parts or scope.organisation is None:
        return MoveAlert.objects.none()
    area_ids = list(scope.organisation.areas.values_list("pk", flat=True))
    if not area_ids:
        return MoveAlert.objects.none()
    alerts = MoveAlert.objects.select_related("from_area", "to_area", "detected_by", "child").filter(
        Q(from_area_id__in=area_ids) | Q(to_area_id__in=area_ids)
    )
    if status == "open":
        alerts = alerts.exclude(status=MoveAlert.Status.CLOSED)
    elif status in MoveAlert.Status.values:
        alerts = alerts.filter(status=status)
    return alerts.order_by("-raised_at", "-pk")


def alerts_about(child_ids: set[int]) -> list[MoveAlert]:
    """A child's alerts, for the panel on the child's page (which has checked the reader's
    desk may see them: ``children.extensions``)."""
    return list(
        MoveAlert.objects.filter(child_id__in=sorted(child_ids)).select_related("from_area", "to_area", "detected_by")
    )
