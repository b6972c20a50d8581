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
