"""The audit trail as people read it: one line per event naming the record (a link where
the reader may open it), and each change as "field: before → after".

Rows store what was true at the time (``object_repr``, the JSON of ``changes``); this
module only words them. It looks up the records still there to link them, one query per
kind of record on the page, never one per row.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from django.utils.text import capfirst

from safeguarding.core.audit import current_label
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import PUBLIC, has_perm

# A value longer than this is cut, with the whole of it behind "Show full".
SHORT_VALUE = 80
# "Show full" stops here: a frozen report's content runs to megabytes; the CSV has it all.
FULL_VALUE = 5_000

ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")

# The page each kind of record has: (URL name, URL argument, the model field it takes).
# The records still there are looked up once per kind on the page, to link only those.
LINKS: dict[str, tuple[str, str, str]] = {
    "accounts.organisation": ("accounts:organisation", "code", "code"),
    "accounts.person": ("accounts:person", "pk", "pk"),
    "accounts.user": ("accounts:user", "pk", "pk"),
    "governance.group": ("governance:group", "code", "code"),
    "governance.meeting": ("governance:meeting", "pk", "pk"),
    "governance.action": ("governance:action", "pk", "pk"),
    "governance.priority": ("governance:priority", "code", "code"),
    "governance.sharingagreement": ("governance:agreement", "pk", "pk"),
    "training.course": ("training:course", "code", "code"),
    "training.session": ("training:session", "pk", "pk"),
    "performance.indicator": ("performance:indicator", "code", "code"),
    "children.child": ("children:child", "reference", "reference"),
    "children.linkagerun": ("children:run", "pk", "pk"),
    "children.matchreview": ("children:review", "pk", "pk"),
    "moves.movealert": ("moves:alert", "pk", "pk"),
    "reports.report": ("reports:detail", "year", "year_start"),
    "reports.edition": ("reports:edition", "slug", "slug"),
}

# What the actor did, as the one-line summary says it.
VERBS = {
    AuditEvent.Action.CREATE: "created",
    AuditEvent.Action.UPDATE: "changed",
    AuditEvent.Action.DELETE: "deleted",
    AuditEvent.Action.READ: "looked at",
    AuditEvent.Action.EXPORT: "exported",
    AuditEvent.Action.LOGIN: "signed in",
    AuditEvent.Action.LOGIN_FAILED: "failed to sign in",
    AuditEvent.Action.LOCKED_OUT: "was locked out",
    AuditEvent.Action.LOGOUT: "signed out",
    AuditEvent.Action.TWO_FACTOR: "used two-step verification",
    AuditEvent.Action.API_USE: "used the API",
    AuditEvent.Action.API_REFUSED: "was refused by the API",
}


@dataclass(frozen=True)
class Value:
    """A value as shown: ``short`` always, ``full`` (capped) when ``short`` was cut."""

    short: str
    full: str = ""
    cut_at: int = 0  # the full length, when even ``full`` was cut


@dataclass(frozen=True)
class Change:
    label: str
    before: Value | None  # None: a value set on creation, or a detail of an event
    after: Value


@dataclass
class AuditRow:
    event: AuditEvent
    verb: str
    kind: str
    name: str
    url: str = ""
    changes: list[Change] = field(default_factory=list)


def model_for(object_type: str):
    try:
        return apps.get_model(current_label(object_type))
    except (LookupError, ValueError):
        return None


def kind_label(object_type: str) -> str:
    """ "moves.movealert" as "Move alert": the model's own name for itself."""
    model = model_for(object_type)
    if model is None:
        return object_type.rpartition(".")[2].replace("_", " ").capitalize()
    return capfirst(str(model._meta.verbose_name))


def object_type_choices(object_types: list[str]) -> list[tuple[str, str]]:
    """The kinds of record in the trail, in words and in alphabetical order; where two apps
    use the same word, each says which area it belongs to."""
    labels = {t: kind_label(t) for t in object_types}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    for t, label in labels.items():
        model = model_for(t)
        if counts[label] > 1 and model is not None:
            labels[t] = f"{label} ({model._meta.app_config.verbose_name})"
    return sorted(labels.items(), key=lambda item: item[1].lower())


def _moment(text: str) -> str:
    """An ISO date or time, as ``snapshot`` stores it, read as people say it."""
    if len(text) == 10:
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            return text
        return f"{day.day} {day:%B %Y}"
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = timezone.localtime(moment)
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def _text(value: Any) -> str:
    if isinstance(value, str) and ISO_MOMENT.match(value):
        return _moment(value)
    if value is None or value == "" or value == [] or value == {}:
        return "(empty)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def value_shown(value: Any) -> Value:
    text = _text(value)
    if len(text) <= SHORT_VALUE:
        return Value(text)
    short = text[:SHORT_VALUE].rstrip() + "…"
    if len(text) <= FULL_VALUE:
        return Value(short, text)
    return Value(short, text[:FULL_VALUE], cut_at=len(text))


def _field_label(model, name: str) -> tuple[str, dict]:
    """A field's own label, and its choices' labels (stored values read as words)."""
    if model is not None:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            choices = {str(k): str(v) for k, v in (getattr(model_field, "flatchoices", None) or [])}
            return capfirst(str(getattr(model_field, "verbose_name", name))), choices
    return capfirst(name.replace("_", " ")), {}


def _worded(value: Any, choices: dict) -> Any:
    if choices and isinstance(value, str | int) and str(value) in choices:
        return choices[str(value)]
    return value


def changes_of(event: AuditEvent) -> list[Change]:
    """An update's fields as before → after; what a creation stored (empty fields left
    out); an export's or a sign-in's details."""
    model = model_for(event.object_type) if event.object_type else None
    result = []
    for name, value in (event.changes or {}).items():
        label, choices = _field_label(model, name)
        if event.action == AuditEvent.Action.UPDATE and isinstance(value, list) and len(value) == 2:
            before, after = (_worded(v, choices) for v in value)
            result.append(Change(label, value_shown(before), value_shown(after)))
        elif event.action == AuditEvent.Action.CREATE and value in (None, "", [], {}):
            continue
        else:
            result.append(Change(label, None, value_shown(_worded(value, choices))))
    return result


def _what(event: AuditEvent) -> tuple[str, str]:
    """The kind and name of what the event was about."""
    if event.object_type:
        return kind_label(event.object_type).lower(), event.object_repr or f"#{event.object_id}"
    details = event.changes or {}
    named = details.get("export") or details.get("what") or ""
    return "", str(named)


def _urls(events: list[AuditEvent], user) -> dict[tuple[str, str], str]:
    """Links to the records on this page that are still there and that ``user`` may open."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if current_label(event.object_type) in LINKS and event.object_id and event.action != AuditEvent.Action.DELETE:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    urls = {}
    for object_type, ids in wanted.items():
        url_name, kwarg, model_field = LINKS[current_label(object_type)]
        model = model_for(object_type)
        if model is None:
            continue
        keys = {
            str(pk): value
            for pk, value in model.objects.filter(pk__in=[i for i in ids if i.isdigit()]).values_list("pk", model_field)
        }
        for object_id, key in keys.items():
            try:
                url = reverse(url_name, kwargs={kwarg: key})
            except NoReverseMatch:
                continue
            perm = getattr(resolve(url).func, "sg_permission", None)
            if perm == PUBLIC or (perm is not None and has_perm(user, perm)):
                urls[(object_type, object_id)] = url
    return urls


def audit_rows(events: list[AuditEvent], *, user) -> list[AuditRow]:
    """The page's events, worded: a constant number of queries however many rows."""
    urls = _urls(events, user)
    rows = []
    for event in events:
        kind, name = _what(event)
        rows.append(
            AuditRow(
                event=event,
                verb=VERBS.get(event.action, event.get_action_display().lower()),
                kind=kind,
                name=name,
                url=urls.get((event.object_type, event.object_id), ""),
                changes=changes_of(event),
            )
        )
    return rows
