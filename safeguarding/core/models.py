from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One row per write, read of child-level data, sign-in or API use.

    Rows are only ever inserted (see services in ``audit.py``); the admin offers no
    change or delete, and a database trigger refuses UPDATE on every backend.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        READ = "read", "Read child-level data"
        EXPORT = "export", "Exported"
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Account locked"
        LOGOUT = "logout", "Signed out"
        TWO_FACTOR = "two_factor", "Two-step verification"
        API_USE = "api_use", "API token used"
        API_REFUSED = "api_refused", "API token refused"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_label = models.CharField(max_length=200, help_text="Who acted, as shown at the time.")
    api_token = models.ForeignKey(
        "accounts.ApiToken", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    purpose = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["action", "at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="read") | ~models.Q(purpose=""),
                name="audit_read_has_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class OutgoingEmail(models.Model):
    """An e-mail in the outbox: written in the same transaction as what it tells people
    about, sent afterwards by the task worker (``core.mail``), retried, and kept as a record
    of whether it went. A message given up on is listed for administrators.

    The body lives only while the message waits: many carry a link with a booking's
    token, which the database otherwise holds only as a hash.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"

    to = models.JSONField(help_text="The recipients' addresses.")
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sent", "failed"]), name="outgoing_email_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status="queued") | models.Q(body=""), name="outgoing_email_body_only_while_queued"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outgoing_email_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | models.Q(failed_at__isnull=False, attempts__gte=1),
                name="outgoing_email_failed_was_tried",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {', '.join(self.to)} ({self.get_status_display().lower()})"
