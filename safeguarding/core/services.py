"""Small building blocks for services: save a record and record the change."""

from typing import Any

from django.db import models

from safeguarding.core.audit import Actor, diff, record_write, snapshot
from safeguarding.core.models import AuditEvent


def create_audited[M: models.Model](instance: M, actor: Actor, extra_changes: dict[str, Any] | None = None) -> M:
    """Validate, save and record the creation of ``instance``."""
    instance.full_clean()
    instance.save()
    record_write(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=instance,
        changes=snapshot(instance) | (extra_changes or {}),
    )
    return instance


def update_audited[M: models.Model](instance: M, actor: Actor, **fields: Any) -> M:
    """Set ``fields``, validate, save, and record what changed (nothing if nothing did)."""
    before = snapshot(instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    changes = diff(before, snapshot(instance))
    if changes:
        record_write(actor=actor, action=AuditEvent.Action.UPDATE, instance=instance, changes=changes)
    return instance
