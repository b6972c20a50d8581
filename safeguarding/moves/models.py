"""Move alerts: a child with an open involvement in one area found in another area's
records, raised for both areas' MASH the day the evidence arrives, and each step of the
alert's life from new to closed. The records and children are the children area's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.accounts.models import Area
from safeguarding.children.models import AgencyRecord, Child, Source


class MoveAlert(models.Model):
    """A child with an open involvement in one area who now has an address, or a record,
    in another. Raised the day the evidence arrives, for both areas' MASH; the old area
    keeps responsibility until the new one holds its transfer-in conference."""

    class Trigger(models.TextChoices):
        ADDRESS = "address", "An address in another area was recorded"
        APPEARED = "appeared", "A child known elsewhere appeared in this area's records"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        INFORMATION_REQUESTED = "information_requested", "Information requested"
        INFORMATION_RECEIVED = "information_received", "Information received"
        CLOSED = "closed", "Closed"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="move_alerts")
    from_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", help_text="Where the child is known"
    )
    to_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", help_text="Where the child turned up")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    trigger_record = models.ForeignKey(AgencyRecord, on_delete=models.PROTECT, related_name="+")
    detected_by = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", help_text="The system whose record revealed the move"
    )
    involvements = models.JSONField(default=list, help_text="The open involvements in the old area")
    cp_plan = models.BooleanField(default=False)
    address_changed_on = models.DateField(help_text="When the new address started (or the record arrived)")
    raised_at = models.DateTimeField(db_index=True)
    conference_due_on = models.DateField(
        null=True, blank=True, help_text="Transfer-in conference, where a CP plan applies"
    )
    conference_held_on = models.DateField(null=True, blank=True)
    evidence = models.JSONField(default=list, help_text="The records, addresses, dates and sources, as found")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NEW)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=500, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_area=models.F("to_area")), name="move_between_two_areas"),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(closed_reason="") & Q(closed_at__isnull=False)),
                name="closed_alert_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(cp_plan=False) | Q(conference_due_on__isnull=False),
                name="cp_plan_alert_has_conference_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "raised_at"], name="move_alert_queue")]

    def __str__(self) -> str:
        return f"Move alert {self.pk}: {self.from_area} to {self.to_area}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class MoveAlertUpdate(models.Model):
    """Each change of an alert's status, who made it and their note."""

    alert = models.ForeignKey(MoveAlert, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=30, choices=MoveAlert.Status.choices)
    note = models.CharField(max_length=1000, blank=True)
    actor_label = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.alert}: {self.get_status_display()}"
