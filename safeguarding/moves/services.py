"""Children who move across area boundaries: finding the moves the day the evidence
arrives, raising alerts for both areas' MASH, and the alert's life from new to closed.

Detection runs after every delivery of records (for the children the delivery touched)
and after every full linkage run (for every child with an open involvement), so a move
is noticed whichever way the linking happened. The rule itself is ``rules.moves_found``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import Area, Seniority, User
from safeguarding.children.models import AgencyRecord, Involvement, Source
from safeguarding.core.audit import SystemActor, actor_label, diff, record_write, snapshot
from safeguarding.core.mail import queue_email
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Role
from safeguarding.moves import rules
from safeguarding.moves.models import MoveAlert, MoveAlertUpdate

CHUNK = 900
# The detector is the system, not a person.
_SYSTEM = SystemActor("move detection")


def _chunks[T](items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _source_areas() -> dict[int, frozenset[int]]:
    areas: dict[int, set[int]] = {}
    for source_id, area_id in Source.areas.through.objects.values_list("source_id", "area_id"):
        areas.setdefault(source_id, set()).add(area_id)
    return {source_id: frozenset(ids) for source_id, ids in areas.items()}


def _open_involvements(
    child_ids: list[int] | None, source_areas: dict[int, frozenset[int]]
) -> dict[int, list[rules.OpenInvolvement]]:
    """Open involvements by child. An involvement belongs to the area its system serves
    (a council's social care), or to the record's address where the system serves more
    than one."""
    query = Involvement.objects.filter(ended_on__isnull=True, record__child__isnull=False)
    rows = []
    if child_ids is None:
        rows = list(query.values_list("record__child_id", "kind", "started_on", "record__source_id", "record__area_id"))
    else:
        for chunk in _chunks(child_ids):
            rows += query.filter(record__child_id__in=chunk).values_list(
                "record__child_id", "kind", "started_on", "record__source_id", "record__area_id"
            )
    found: dict[int, list[rules.OpenInvolvement]] = {}
    for child_id, kind, started, source_id, record_area in rows:
        served = source_areas.get(source_id, frozenset())
        area = next(iter(served)) if len(served) == 1 else record_area
        if area:
            found.setdefault(child_id, []).append(rules.OpenInvolvement(kind, started, area))
    return found


def _records_seen(child_ids: list[int], source_areas: dict[int, frozenset[int]]) -> dict[int, list[rules.RecordSeen]]:
    seen: dict[int, list[rules.RecordSeen]] = {}
    for chunk in _chunks(child_ids):
        for pk, child_id, source_id, area_id, address_from, received in AgencyRecord.objects.filter(
            child_id__in=chunk
        ).values_list("pk", "child_id", "source_id", "area_id", "address_from", "first_received_at"):
            seen.setdefault(child_id, []).append(
                rules.RecordSeen(
                    pk=pk,
                    source_id=source_id,
                    source_area_ids=source_areas.get(source_id, frozenset()),
                    area_id=area_id,
                    address_from=address_from,
                    received_on=timezone.localdate(received),
                )
            )
    return seen


def _already_alerted(child_ids: list[int]) -> tuple[set[tuple[int, int, int]], dict[tuple[int, int, int], dt.date]]:
    """Open alerts by (child, from, to), and the latest address change a closed alert
    covered, so neither the same move nor an older one is raised twice."""
    open_alerts: set[tuple[int, int, int]] = set()
    closed_up_to: dict[tuple[int, int, int], dt.date] = {}
    for chunk in _chunks(child_ids):
        for child_id, from_id, to_id, status, changed in MoveAlert.objects.filter(child_id__in=chunk).values_list(
            "child_id", "from_area_id", "to_area_id", "status", "address_changed_on"
        ):
            key = (child_id, from_id, to_id)
            if status == MoveAlert.Status.CLOSED:
                closed_up_to[key] = max(changed, closed_up_to.get(key, changed))
            else:
                open_alerts.add(key)
    return open_alerts, closed_up_to


class EvidenceRow(TypedDict):
    """One record as a move alert shows it (``MoveAlert.evidence``): dates in ISO form,
    "" for none."""

    record: str  # the record's unique id, "<source code>:<record id>"
    source: str
    source_kind: str
    address: str
    postcode: str
    address_from: str
    area: str
    received: str


def _evidence(records: Iterable[AgencyRecord], areas: dict[int, str]) -> list[EvidenceRow]:
    """What the alert shows as it was found: each record's system, address and dates."""
    return [
        {
            "record": record.unique_id,
            "source": record.source.name,
            "source_kind": record.source.kind,
            "address": record.address,
            "postcode": record.postcode,
            "address_from": record.address_from.isoformat() if record.address_from else "",
            "area": areas.get(record.area_id, "") if record.area_id is not None else "",
            "received": timezone.localdate(record.first_received_at).isoformat(),
        }
        for record in sorted(records, key=lambda r: (r.address_from or dt.date.min, r.pk), reverse=True)
    ]


def detect_moves(
    *, child_ids: list[int] | None = None, new_since: dt.date | None = None, now: dt.datetime | None = None
) -> list[MoveAlert]:
    """Raise an alert for each move the records show that has not been raised before.
    ``child_ids`` None means every child with an open involvement; ``new_since`` says
    which records count as just arrived (see ``rules.moves_found``)."""
    now = now or timezone.now()
    source_areas = _source_areas()
    involvements = _open_involvements(child_ids, source_areas)
    if not involvements:
        return []
    children = sorted(involvements)
    seen = _records_seen(children, source_areas)
    open_alerts, closed_up_to = _already_alerted(children)
    found: list[tuple[int, rules.FoundMove]] = []
    for child_id in children:
        for move in rules.moves_found(involvements[child_id], seen.get(child_id, []), new_since=new_since):
            key = (child_id, move.from_area_id, move.to_area_id)
            if key in open_alerts or closed_up_to.get(key, dt.date.min) >= move.address_changed_on:
                continue
            found.append((child_id, move))
    if not found:
        return []
    return _raise_alerts(found, now)


@transaction.atomic
def _raise_alerts(found: list[tuple[int, rules.FoundMove]], now: dt.datetime) -> list[MoveAlert]:
    areas = dict(Area.objects.values_list("pk", "name"))
    records_by_child: dict[int, list[AgencyRecord]] = {}
    for chunk in _chunks(sorted({child_id for child_id, _ in found})):
        for record in AgencyRecord.objects.filter(child_id__in=chunk).select_related("source"):
            assert record.child_id is not None  # filtered on the child
            records_by_child.setdefault(record.child_id, []).append(record)
    today = timezone.localdate(now)
    alerts: list[MoveAlert] = []
    for child_id, move in found:
        cp_plan = Involvement.Kind.CP_PLAN in move.involvement_kinds
        alerts.append(
            MoveAlert(
                child_id=child_id,
                from_area_id=move.from_area_id,
                to_area_id=move.to_area_id,
                trigger=move.trigger,
                trigger_record_id=move.record_pk,
                detected_by_id=move.source_id,
                involvements=list(move.involvement_kinds),
                cp_plan=cp_plan,
                address_changed_on=move.address_changed_on,
                raised_at=now,
                conference_due_on=rules.transfer_in_conference_due(today) if cp_plan else None,
                evidence=_evidence(records_by_child.get(child_id, []), areas),
            )
        )
    MoveAlert.objects.bulk_create(alerts)
    if not alerts[0].pk:  # backends that do not return keys from bulk inserts
        alerts = list(MoveAlert.objects.filter(raised_at=now).order_by("pk"))
    MoveAlertUpdate.objects.bulk_create(
        [
            MoveAlertUpdate(
                alert=a, status=a.status, note=_summary(a, areas), actor_label="system: move detection", at=now
            )
            for a in alerts
        ]
    )
    for alert in alerts:
        record_write(actor=_SYSTEM, action=AuditEvent.Action.CREATE, instance=alert)
    # Into the outbox with the alerts; the task worker sends them once this commits.
    _email_new_alerts(alerts, areas)
    return alerts


def _summary(alert: MoveAlert, areas: dict[int, str]) -> str:
    kinds = ", ".join(Involvement.Kind(k).label for k in alert.involvements)
    return f"Known to {areas[alert.from_area_id]} ({kinds}); now in {areas[alert.to_area_id]}."


# E-mail: both areas' MASH, never a child's details --------------------------------------


def mash_recipients(area_ids: Iterable[int], *, managers_only: bool = False) -> list[str]:
    """E-mail addresses of active MASH practitioners whose organisation serves one of the
    areas (managers and above only, when escalating)."""
    users = User.objects.filter(
        is_active=True,
        role_assignments__role=Role.MASH_PRACTITIONER,
        person__posts__ended_on__isnull=True,
        person__posts__organisation__areas__in=list(area_ids),
    )
    if managers_only:
        users = users.exclude(person__posts__seniority=Seniority.PRACTITIONER)
    addresses = set(users.values_list("email", flat=True)) | set(users.values_list("person__email", flat=True))
    return sorted(a for a in addresses if a)


def _alert_link(alert: MoveAlert) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("moves:alert", kwargs={"pk": alert.pk})


def _email_new_alerts(alerts: list[MoveAlert], areas: dict[int, str]) -> None:
    for alert in alerts:
        recipients = mash_recipients([alert.from_area_id, alert.to_area_id])
        if not recipients:
            continue
        conference = (
            "\nA child protection plan applies: the transfer-in conference is due by "
            f"{alert.conference_due_on:%-d %B %Y}."
            if alert.cp_plan
            else ""
        )
        queue_email(
            subject=f"Move alert: a child known to {areas[alert.from_area_id]} is now in {areas[alert.to_area_id]}",
            # The e-mail says where to look, never who the child is.
            body=f"A child with an open involvement in {areas[alert.from_area_id]} has been found in "
            f"{areas[alert.to_area_id]}'s records.{conference}\n\nSign in to see the evidence and acknowledge "
            f"the alert:\n{_alert_link(alert)}\n\n{settings.PARTNERSHIP_NAME}",
            to=recipients,
        )


# The alert's life ------------------------------------------------------------------------


@transaction.atomic
def alert_update(
    *, alert: MoveAlert, status: str, note: str = "", actor: User, conference_held_on: dt.date | None = None
) -> MoveAlert:
    """Move an alert on (acknowledged, information requested or received, closed with a
    reason), keeping each step with who took it: a person (``acknowledged_by``)."""
    alert = MoveAlert.objects.select_for_update().get(pk=alert.pk)
    if status not in MoveAlert.Status.values:
        raise ValidationError(f"'{status}' is not a status of a move alert.")
    if not rules.alert_can_move(alert.status, status):
        raise ValidationError(
            f"An alert that is {alert.get_status_display().lower()} cannot become "
            f"{MoveAlert.Status(status).label.lower()}."
        )
    if status == MoveAlert.Status.CLOSED and not note.strip():
        raise ValidationError("Say why the alert is closed.")
    now = timezone.now()
    before = snapshot(alert)
    if alert.acknowledged_at is None and status != MoveAlert.Status.CLOSED:
        alert.acknowledged_at, alert.acknowledged_by = now, actor
    if status == MoveAlert.Status.CLOSED:
        alert.closed_at, alert.closed_reason = now, note.strip()[:500]
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = now, actor
    if conference_held_on is not None:
        alert.conference_held_on = conference_held_on
    alert.status = status
    alert.save()
    MoveAlertUpdate.objects.create(
        alert=alert, status=status, note=note.strip()[:1000], actor_label=actor_label(actor), at=now
    )
    record_write(actor=actor, action=AuditEvent.Action.UPDATE, instance=alert, changes=diff(before, snapshot(alert)))
    return alert


def alerts_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalate every new alert nobody acknowledged by its due day: e-mail the MASH
    managers of both areas and the partnership's business managers, once. Run daily
    (``safeguarding children escalate-alerts``)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = MoveAlert.objects.filter(status=MoveAlert.Status.NEW, escalated_at__isnull=True).select_related(
        "from_area", "to_area"
    )
    overdue = [
        a
        for a in waiting
        if rules.alert_overdue(status=a.status, raised_on=timezone.localdate(a.raised_at), today=today)
    ]
    if not overdue:
        return 0
    managers = sorted(
        set(
            User.objects.filter(is_active=True, role_assignments__role=Role.BUSINESS_MANAGER)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    with transaction.atomic():
        for alert in overdue:
            before = snapshot(alert)
            alert.escalated_at = now
            alert.save(update_fields=["escalated_at"])
            MoveAlertUpdate.objects.create(
                alert=alert,
                status=alert.status,
                note="Not acknowledged by the next working day: escalated.",
                actor_label="system: escalation",
                at=now,
            )
            record_write(
                actor=_SYSTEM, action=AuditEvent.Action.UPDATE, instance=alert, changes=diff(before, snapshot(alert))
            )
            queue_email(
                subject=f"Overdue move alert: {alert.from_area} to {alert.to_area}",
                body=f"A move alert raised on {timezone.localtime(alert.raised_at):%-d %B %Y} has not been "
                f"acknowledged.\n\n{_alert_link(alert)}\n\n{settings.PARTNERSHIP_NAME}",
                to=set(mash_recipients([alert.from_area_id, alert.to_area_id], managers_only=True)) | set(managers),
            )
    return len(overdue)
