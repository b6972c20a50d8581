"""Recording who did what, when and why.

Every service that writes calls ``record_write``; every read of child-level data
calls ``record_child_read`` with the purpose the user gave. These are the only
places that create ``AuditEvent`` rows.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile

from safeguarding.core.models import AuditEvent

if TYPE_CHECKING:
    from safeguarding.accounts.models import ApiToken, User


@dataclass(frozen=True)
class SystemActor:
    """Work done by the system itself (the demo loader, a scheduled task)."""

    label: str


# Who a write or an event is recorded against: a signed-in user, a partner's API token,
# or the system itself. Every service's ``actor`` is one of these (or a narrower type).
type Actor = User | ApiToken | SystemActor


def actor_fields(actor: Actor) -> dict[str, Any]:
    if isinstance(actor, SystemActor):
        return {"actor_label": f"system: {actor.label}"}
    # The accounts models by name: core sits below accounts and does not import it.
    kind = actor._meta.label if isinstance(actor, models.Model) else None
    if kind == settings.AUTH_USER_MODEL:
        user = cast("User", actor)
        return {"actor": user, "actor_label": user.get_username()}
    if kind == "accounts.ApiToken":
        token = cast("ApiToken", actor)
        return {"api_token": token, "actor_label": f"API token {token.prefix} ({token.organisation.code})"}
    raise TypeError(f"Unknown actor {actor!r}: pass a User, an ApiToken or a SystemActor.")


def actor_label(actor: Actor) -> str:
    """Who acted, in words, as records that keep their author name them."""
    label: str = actor_fields(actor)["actor_label"]
    return label


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # The same instant always reads the same, whatever zone it was given in.
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")  # 410.00 and 410 are the same figure
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The stored field values of a model instance, ready for a before/after diff."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"password", "totp_secret", "token_hash"}:
            continue
        if isinstance(field, models.BinaryField):  # a file's bytes: its size says enough
            data = field.value_from_object(instance)
            values[field.name] = f"{len(data)} bytes" if data else None
            continue
        values[field.name] = _jsonable(field.value_from_object(instance))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose values differ, as {field: [before, after]}."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def object_type(instance: models.Model) -> str:
    return instance._meta.label_lower


# A model that moved to another app keeps its old label on the audit rows written before
# the move, because audit rows cannot change. The app it moved to registers the old label,
# and the trail reads old and new as one kind of record. (former -> current)
FORMER_LABELS: dict[str, str] = {}


def register_former_label(former: str, current: str) -> None:
    FORMER_LABELS[former] = current


def current_label(label: str) -> str:
    """The label a kind of record has now, for one written under a former label."""
    return FORMER_LABELS.get(label, label)


def labels_of(label: str) -> list[str]:
    """Every label the trail may hold for this kind of record: now, and before it moved."""
    current = current_label(label)
    return [current, *sorted(former for former, now in FORMER_LABELS.items() if now == current)]


def record_write(
    *,
    actor: Actor,
    action: str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Record a create, update or delete. ``changes`` defaults to the full snapshot on
    create and must be given (use ``diff``) on update."""
    if action == AuditEvent.Action.CREATE and changes is None:
        changes = snapshot(instance)
    return AuditEvent.objects.create(
        **actor_fields(actor),
        action=action,
        object_type=object_type(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes or {},
        ip_address=ip_address,
    )


def record_child_read(
    *, actor: Actor, instance: models.Model, purpose: str, ip_address: str | None = None
) -> AuditEvent:
    """Record that ``actor`` looked at child-level data, and why. A read without a
    purpose is refused here and by a database constraint."""
    if not purpose or not purpose.strip():
        raise ValueError("A read of child-level data needs a purpose.")
    return AuditEvent.objects.create(
        **actor_fields(actor),
        action=AuditEvent.Action.READ,
        object_type=object_type(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        purpose=purpose.strip()[:500],
        ip_address=ip_address,
    )


def record_event(
    *,
    actor: Actor,
    action: str,
    instance: models.Model | None = None,
    details: dict[str, Any] | None = None,
    purpose: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Record a sign-in, an export, an API use or another event that is not a write."""
    return AuditEvent.objects.create(
        **actor_fields(actor),
        action=action,
        object_type=object_type(instance) if instance is not None else "",
        object_id=str(instance.pk) if instance is not None else "",
        object_repr=str(instance)[:300] if instance is not None else "",
        changes=details or {},
        purpose=purpose,
        ip_address=ip_address,
    )


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
