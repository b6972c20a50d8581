"""The data package's one writer (decision 0006): every record an import writes goes
through ``upsert``, ``update`` or ``replace_children``, which check the model, write, and
record what changed against the import's actor, and write nothing when nothing changed.
The areas' services are not used: they carry out the interactive workflow (closing
bookings, e-mails), which a restore of records as they were must not.

It also holds what a file declared by its model derives from its declaration: the loader
(``write_row``) and the exporter (``model_rows``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from safeguarding.core.audit import diff, record_write, snapshot
from safeguarding.core.models import AuditEvent

if TYPE_CHECKING:
    from safeguarding.core.datapackage import Column, FileSpec

# What an empty cell stores when a Column gives no ``blank``: "" for text and codes
# (Django stores no None in a text field), False for true/false, None otherwise.
BY_KIND = object()
_BLANK_BY_KIND: dict[str, Any] = {"str": "", "choice": "", "bool": False}


def upsert(model: type[models.Model], lookup: dict, values: dict, actor, m2m: dict | None = None) -> str:
    """Create or update one record by its natural key, recording what changed."""
    return _upsert(model, lookup, values, actor, m2m)[1]


def _upsert(
    model: type[models.Model], lookup: dict, values: dict, actor, m2m: dict | None = None
) -> tuple[models.Model, str]:
    instance = model._default_manager.filter(**lookup).first()
    m2m = m2m or {}
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        for name, related in m2m.items():
            getattr(instance, name).set(related)
        record_write(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=instance,
            changes=snapshot(instance) | {k: _labels(v) for k, v in m2m.items()},
        )
        return instance, "created"
    return instance, update(instance, values, actor, m2m)


def update(instance: models.Model, values: dict, actor, m2m: dict | None = None) -> str:
    """Change a stored record's fields (and many-to-many relations), recording what
    changed: "updated", or "unchanged" with nothing written when nothing differs."""
    m2m = m2m or {}
    before = snapshot(instance)
    before_m2m = {name: sorted(getattr(instance, name).values_list("pk", flat=True)) for name in m2m}
    for name, value in values.items():
        setattr(instance, name, value)
    changes = diff(before, snapshot(instance))
    after_m2m = {name: sorted(r.pk for r in related) for name, related in m2m.items()}
    changes |= {k: [_labels(getattr(instance, k).all()), _labels(m2m[k])] for k in m2m if before_m2m[k] != after_m2m[k]}
    if not changes:
        return "unchanged"
    instance.full_clean()
    instance.save()
    for name, related in m2m.items():
        getattr(instance, name).set(related)
    record_write(actor=actor, action=AuditEvent.Action.UPDATE, instance=instance, changes=changes)
    return "updated"


def replace_children(
    parent: models.Model, relation: str, text_field: str, texts: list[str], actor, *, column: str
) -> str:
    """Replace a record's ordered child rows (a meeting's agenda items), numbered from 1,
    when their texts differ: the list is one thing, so it is replaced whole. Each child
    removed and each added is audited, and the parent's event records the list in
    ``column`` before and after."""
    manager = getattr(parent, relation)
    children = list(manager.all())
    before = [getattr(child, text_field) for child in children]
    if before == texts:
        return "unchanged"
    for child in children:
        record_write(actor=actor, action=AuditEvent.Action.DELETE, instance=child, changes=snapshot(child))
        child.delete()
    for position, text in enumerate(texts, start=1):
        child = manager.model(**{manager.field.name: parent, "position": position, text_field: text})
        child.full_clean()
        child.save()
        record_write(actor=actor, action=AuditEvent.Action.CREATE, instance=child)
    record_write(actor=actor, action=AuditEvent.Action.UPDATE, instance=parent, changes={column: [before, texts]})
    return "updated"


def _labels(records) -> list[str]:
    """Related records as the audit trail shows them: by code where they have one."""
    return sorted(getattr(r, "code", None) or str(r) for r in records)


def combined(*results: str) -> str:
    """One outcome for a row that wrote several records."""
    return "created" if "created" in results else "updated" if "updated" in results else "unchanged"


# Files declared by their model -------------------------------------------------------------


def check_declared(model: type[models.Model], spec: FileSpec, column: Column) -> None:
    """Refuse, when the app starts, a column whose field the model lacks or whose
    reference names no field of the related record to read the key from."""
    target: Any = None
    for name in column.path.split("."):
        try:
            target = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise TypeError(f"{spec.name}, column {column.name}: {model.__name__} has no field {name}.") from None
        model = target.related_model if target.is_relation else model
    if not target.is_relation or column.via or target.one_to_many:
        return
    if (spec.load is None and column.to_model is None) or (spec.export is None and column.from_model is None):
        raise TypeError(f"{spec.name}, column {column.name}: say which field of {model.__name__} holds the key (via).")


def _own_field(model: type[models.Model], column: Column) -> Any:
    """The model field a column writes, or None where the loader leaves it to the file's
    ``computed`` fields or ``write_children`` (a path through a relation, child rows)."""
    if "." in column.path:
        return None
    target = model._meta.get_field(column.path)
    return target if target.concrete or (target.many_to_many and not target.auto_created) else None


def _stored(column: Column, target: Any, value: Any) -> Any:
    """A parsed cell as the model field stores it."""
    if value is None:
        return _BLANK_BY_KIND.get(column.kind) if column.blank is BY_KIND else column.blank
    if column.to_model:
        return column.to_model(value)
    related = target.related_model
    if target.many_to_many:
        return list(related._default_manager.filter(**{f"{column.via}__in": value}))
    if target.is_relation:
        return related._default_manager.get(**{column.via: value})
    return value


def write_row(spec: FileSpec, row: dict, actor) -> str:
    assert spec.model is not None  # FileSpec refuses a file with neither a model nor a load
    values: dict[str, Any] = {}
    many: dict[str, list] = {}
    for column in spec.columns:
        if (target := _own_field(spec.model, column)) is not None:
            (many if target.many_to_many else values)[column.path] = _stored(column, target, row[column.name])
    values |= {name: compute(row) for name, compute in spec.computed.items()}
    lookup = {name: values.pop(name) for name in spec.lookup}
    instance, result = _upsert(spec.model, lookup, values, actor, many)
    if spec.write_children:
        result = combined(result, spec.write_children(instance, row, actor))
    return result


def model_rows(spec: FileSpec) -> Iterable[dict]:
    assert spec.model is not None
    columns = spec.columns
    joined, fetched = _relations(spec.model, columns)
    records = spec.model._default_manager.prefetch_related(*fetched)
    if joined or spec.select_related:  # select_related() with no names is deprecated
        records = records.select_related(*joined, *spec.select_related)
    for record in records:
        yield {column.name: _exported(column, record) for column in columns}


def _relations(model: type[models.Model], columns: list[Column]) -> tuple[list[str], list[str]]:
    """The relations the columns' fields pass through: foreign keys to join in the
    export's query, and many-to-many or child rows to fetch beside it."""
    joined: list[str] = []
    fetched: list[str] = []
    for column in columns:
        current: Any = model
        path: list[str] = []
        for name in column.path.split("."):
            target = current._meta.get_field(name)
            if not target.is_relation:
                break
            path.append(name)
            if target.many_to_many or target.one_to_many:
                fetched.append("__".join(path))
                break
            joined.append("__".join(path))
            current = target.related_model
    return list(dict.fromkeys(joined)), list(dict.fromkeys(fetched))


def _exported(column: Column, record: models.Model) -> Any:
    """A record's value for a column, before it is written as a cell."""
    value: Any = record
    for name in column.path.split("."):
        value = getattr(value, name)
        if value is None:
            return None
    if column.from_model:
        return column.from_model(value)
    if isinstance(value, models.Manager):  # many-to-many
        return [getattr(related, column.via) for related in value.all()]
    return getattr(value, column.via) if column.via else value
