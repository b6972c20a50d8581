"""Importing e-learning completions from a learning platform's export (CSV, or XLSX).

Columns (header row required, any order, extra columns ignored):
record_id, course_code, full_name, email, organisation, job_role, completed_on
Dates as YYYY-MM-DD (or DD/MM/YYYY, as spreadsheets save them). Re-importing the same
export changes nothing: (platform, record_id) identifies a completion.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from safeguarding.accounts.models import Organisation
from safeguarding.core.audit import record_write
from safeguarding.core.models import AuditEvent
from safeguarding.core.refusals import FileRefused
from safeguarding.core.upload_tables import read_uploaded_table
from safeguarding.training.models import Course, ElearningCompletion

REQUIRED = ["record_id", "course_code", "full_name", "email", "organisation", "completed_on"]
OPTIONAL = ["job_role"]
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class CompletionsImportError(FileRefused):
    pass


def _date(value: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError


def import_completions(*, data: bytes, filename: str, platform: str, actor) -> ImportResult:
    """Validate every row first; write nothing unless all are valid. The file is read by
    the one upload reader (``core.upload_tables``), so a spreadsheet (XLSX) is read too."""
    table = read_uploaded_table(
        filename, data, max_bytes=MAX_BYTES, refusal=CompletionsImportError, check_header=_header_check(filename)
    )
    courses = {c.code: c for c in Course.objects.all()}
    organisations = {o.code: o for o in Organisation.objects.all()}
    rows, errors, seen = [], [], set()
    for number, row in table.numbered():
        if not any(row.values()):
            continue  # a blank line, as a spreadsheet saves one
        where = f"{filename}, row {number}"
        for column in REQUIRED:
            if not row.get(column):
                errors.append(f"{where}, column {column}: a value is required.")
        if row.get("course_code") and row["course_code"] not in courses:
            errors.append(f"{where}, column course_code: unknown course '{row['course_code']}'.")
        if row.get("organisation") and row["organisation"] not in organisations:
            errors.append(f"{where}, column organisation: unknown organisation code '{row['organisation']}'.")
        completed = None
        if row.get("completed_on"):
            try:
                completed = _date(row["completed_on"])
            except ValueError:
                errors.append(f"{where}, column completed_on: '{row['completed_on']}' is not a date (use YYYY-MM-DD).")
        if row.get("email") and "@" not in row["email"]:
            errors.append(f"{where}, column email: '{row['email']}' is not an e-mail address.")
        if row.get("record_id") in seen:
            errors.append(f"{where}, column record_id: '{row['record_id']}' appears twice in the file.")
        seen.add(row.get("record_id"))
        rows.append((row, completed))
    if errors:
        raise CompletionsImportError(errors)
    return _write(rows, courses, organisations, platform, actor)


def _header_check(filename: str):
    def check(header: list[str]) -> None:
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise CompletionsImportError(
                [
                    f"{filename}: missing column(s) {', '.join(missing)}; the header row must include "
                    f"{', '.join(REQUIRED)}."
                ]
            )

    return check


@transaction.atomic
def _write(rows, courses, organisations, platform, actor) -> ImportResult:
    result = ImportResult()
    existing = {c.record_id: c for c in ElearningCompletion.objects.filter(platform=platform)}
    for row, completed in rows:
        values = {
            "course": courses[row["course_code"]],
            "full_name": row["full_name"],
            "email": row["email"].lower(),
            "organisation": organisations[row["organisation"]],
            "job_role": row.get("job_role", ""),
            "completed_on": completed,
        }
        current = existing.get(row["record_id"])
        if current is None:
            completion = ElearningCompletion.objects.create(platform=platform, record_id=row["record_id"], **values)
            record_write(actor=actor, action=AuditEvent.Action.CREATE, instance=completion)
            result.created += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            changes = {k: [str(getattr(current, k)), str(v)] for k, v in values.items() if getattr(current, k) != v}
            for k, v in values.items():
                setattr(current, k, v)
            current.save()
            record_write(actor=actor, action=AuditEvent.Action.UPDATE, instance=current, changes=changes)
            result.updated += 1
        else:
            result.unchanged += 1
    return result
