"""Data packages: one CSV file per kind of record, read and written as a whole.

Each area registers ``FileSpec``s (in dependency order). Import checks every row of
every file first, naming file, row and column for each problem, and writes
nothing unless the whole package is valid; then it creates or updates records by
their natural keys inside one transaction, so importing the same package twice
changes nothing. Export writes every registered file, sorted, so an export of an
import of an export is byte-identical.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from safeguarding.core.audit import diff, record_write, snapshot
from safeguarding.core.models import AuditEvent

MAX_FILE_BYTES = 50 * 1024 * 1024
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "str"  # str, date, time, datetime, int, bool, choice, ref, refs
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str = ""  # for ref/refs: the kind of record referred to
    help: str = ""


@dataclass
class FileSpec:
    """How one CSV file maps to records.

    ``provides`` names the kind of record the file's key identifies, so other files
    can refer to it (``Column(kind="ref", ref=...)``). ``existing_keys`` lists the
    keys of that kind already in the database. ``load`` writes one parsed row and
    returns "created", "updated" or "unchanged". ``export`` yields rows as dicts.
    """

    name: str
    columns: list[Column]
    key: Callable[[dict], str]
    provides: str
    existing_keys: Callable[[], set[str]]
    load: Callable[[dict, Any], str]
    export: Callable[[], Iterable[dict]]
    description: str = ""
    after_load: Callable[[list[dict], Any], None] | None = None
    # The key other files use to refer to a row, when not the row's own key
    # (people.csv has a row per post; other files refer to the person_key).
    ref_key: Callable[[dict], str] | None = None


REGISTRY: list[FileSpec] = []


def register(*specs: FileSpec) -> None:
    for spec in specs:
        if all(existing.name != spec.name for existing in REGISTRY):
            REGISTRY.append(spec)


@dataclass
class ImportReport:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"{name}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for name, c in self.counts.items()
        ]


class PackageError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) in the data package")
        self.errors = errors


# Reading -----------------------------------------------------------------------------


def read_package(path: Path) -> dict[str, list[dict[str, str]]]:
    """The package's CSV files as {file name: rows}; a folder or a .zip."""
    files: dict[str, bytes] = {}
    known = {spec.name for spec in REGISTRY}
    if path.is_dir():
        for file in sorted(path.glob("*.csv")):
            if file.stat().st_size > MAX_FILE_BYTES:
                raise PackageError([f"{file.name}: larger than 50 MB."])
            files[file.name] = file.read_bytes()
    elif path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = Path(info.filename).name
                if name.endswith(".csv"):
                    if info.file_size > MAX_FILE_BYTES:
                        raise PackageError([f"{name}: larger than 50 MB."])
                    files[name] = archive.read(info)
    else:
        raise PackageError([f"{path}: not a folder or a .zip file."])
    unknown = sorted(set(files) - known)
    if unknown:
        raise PackageError(
            [f"{name}: not a file this system knows; expected one of {', '.join(sorted(known))}." for name in unknown]
        )
    return {name: parse_csv(name, data) for name, data in files.items()}


def parse_csv(name: str, data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PackageError([f"{name}: not UTF-8 text; save it as 'CSV UTF-8'."]) from None
    reader = csv.DictReader(io.StringIO(text))
    return (
        [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader] if reader.fieldnames else []
    )


# Checking ------------------------------------------------------------------------------


def _parse(column: Column, raw: str):
    if raw == "":
        return [] if column.kind == "refs" else None
    if column.kind == "date":
        return datetime.date.fromisoformat(raw)
    if column.kind == "time":
        return datetime.time.fromisoformat(raw)
    if column.kind == "datetime":
        value = datetime.datetime.fromisoformat(raw)
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if column.kind == "int":
        value = int(raw)
        if value < 0:
            raise ValueError
        return value
    if column.kind == "bool":
        lowered = raw.lower()
        if lowered not in {"true", "false", "yes", "no"}:
            raise ValueError
        return lowered in {"true", "yes"}
    if column.kind == "refs":
        return [part.strip() for part in raw.split(LIST_SEPARATOR) if part.strip()]
    return raw


FORMAT_HINTS = {
    "date": "a date as YYYY-MM-DD",
    "time": "a time as HH:MM",
    "int": "a whole number, 0 or more",
    "bool": "true or false",
}


def check_package(
    files: dict[str, list[dict[str, str]]], headers: dict[str, list[str]] | None = None
) -> dict[str, list[dict]]:
    """Parse and check every row; raise PackageError listing every problem."""
    errors: list[str] = []
    specs = {spec.name: spec for spec in REGISTRY}
    keys_by_kind: dict[str, set[str]] = {}
    for spec in REGISTRY:
        keys_by_kind.setdefault(spec.provides, set()).update(spec.existing_keys())
    parsed: dict[str, list[dict]] = {}
    for spec in REGISTRY:
        if spec.name not in files:
            continue
        rows = files[spec.name]
        header = (headers or {}).get(spec.name) or (list(rows[0]) if rows else [c.name for c in spec.columns])
        missing = [c.name for c in spec.columns if c.required and c.name not in header]
        if missing:
            errors.append(f"{spec.name}: missing column(s) {', '.join(missing)}.")
            continue
        seen: dict[str, int] = {}
        parsed[spec.name] = []
        for number, row in enumerate(rows, start=2):
            where = f"{spec.name}, row {number}"
            values = {}
            for column in spec.columns:
                raw = row.get(column.name, "")
                if column.required and raw == "":
                    errors.append(f"{where}, column {column.name}: a value is required.")
                    continue
                try:
                    value = _parse(column, raw)
                except ValueError:
                    errors.append(f"{where}, column {column.name}: '{raw}' is not {FORMAT_HINTS[column.kind]}.")
                    continue
                if column.kind == "choice" and value is not None and value not in column.choices:
                    errors.append(f"{where}, column {column.name}: '{raw}' is not one of {', '.join(column.choices)}.")
                    continue
                values[column.name] = value
            for column in spec.columns:
                if column.kind in ("ref", "refs") and column.name in values:
                    wanted = values[column.name] if column.kind == "refs" else [values[column.name]]
                    for ref in wanted or []:
                        if ref is not None and ref not in keys_by_kind.get(column.ref, set()):
                            errors.append(
                                f"{where}, column {column.name}: unknown {column.ref} '{ref}' "
                                f"(not in the package or the database)."
                            )
            if len(values) == len(spec.columns):
                key = spec.key(values)
                if key in seen:
                    errors.append(f"{where}: the same record as row {seen[key]} ({key}).")
                seen[key] = number
                parsed[spec.name].append(values)
        keys_by_kind[spec.provides].update(
            spec.ref_key(values) if spec.ref_key else spec.key(values) for values in parsed[spec.name]
        )
    unknown = sorted(set(files) - set(specs))
    errors += [f"{name}: not a file this system knows." for name in unknown]
    if errors:
        raise PackageError(errors)
    return parsed


# Writing --------------------------------------------------------------------------------


def import_files(files: dict[str, list[dict[str, str]]], *, actor) -> ImportReport:
    parsed = check_package(files)
    report = ImportReport()
    with transaction.atomic():
        for spec in REGISTRY:
            if spec.name not in parsed:
                continue
            counts = {"created": 0, "updated": 0, "unchanged": 0}
            for values in parsed[spec.name]:
                counts[spec.load(values, actor)] += 1
            if spec.after_load:
                spec.after_load(parsed[spec.name], actor)
            report.counts[spec.name] = counts
    return report


def import_package(path: Path, *, actor) -> ImportReport:
    return import_files(read_package(path), actor=actor)


def upsert(model: type[models.Model], lookup: dict, values: dict, actor, m2m: dict | None = None) -> str:
    """Create or update one record by its natural key, recording what changed."""
    instance = model.objects.filter(**lookup).first()
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
            changes=snapshot(instance) | {k: sorted(str(r) for r in v) for k, v in m2m.items()},
        )
        return "created"
    before = snapshot(instance)
    before_m2m = {name: sorted(getattr(instance, name).values_list("pk", flat=True)) for name in m2m}
    for name, value in values.items():
        setattr(instance, name, value)
    changes = diff(before, snapshot(instance))
    after_m2m = {name: sorted(r.pk for r in related) for name, related in m2m.items()}
    changes |= {k: [before_m2m[k], after_m2m[k]] for k in m2m if before_m2m[k] != after_m2m[k]}
    if not changes:
        return "unchanged"
    instance.full_clean()
    instance.save()
    for name, related in m2m.items():
        getattr(instance, name).set(related)
    record_write(actor=actor, action=AuditEvent.Action.UPDATE, instance=instance, changes=changes)
    return "updated"


def combined(*results: str) -> str:
    """One outcome for a row that wrote several records."""
    return "created" if "created" in results else "updated" if "updated" in results else "unchanged"


# Export ----------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None).isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(sorted(str(v) for v in value))
    return str(value)


def export_package(path: Path) -> dict[str, int]:
    path.mkdir(parents=True, exist_ok=True)
    written = {}
    for spec in REGISTRY:
        rows = [{c.name: _cell(row.get(c.name)) for c in spec.columns} for row in spec.export()]
        rows.sort(key=lambda r: (spec.key(r), tuple(r.values())))
        with (path / spec.name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=[c.name for c in spec.columns], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        written[spec.name] = len(rows)
    return written
