"""Downloads of tables as CSV or XLSX, the same figures a page shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from safeguarding.core.audit import client_ip, record_event
from safeguarding.core.models import AuditEvent
from safeguarding.core.tables import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=HYPERLINK(...), +cmd...) gets a
    leading apostrophe; numbers, and text that is only a number such as "-3", stay."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def csv_response(filename: str, tables: Sequence[Table]) -> HttpResponse:
    """One CSV; several tables follow one another, each headed by its caption."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([table.caption])
        writer.writerow(table.columns)
        writer.writerows([neutralised(cell) for cell in row] for row in table.rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, tables: Sequence[Table]) -> HttpResponse:
    """One worksheet per table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.caption[:31])
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([neutralised(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def audited_download(request, *, name: str, tables: Sequence[Table], fmt: str, label: str) -> HttpResponse:
    """A figures download as CSV or XLSX, recorded in the audit trail with its filters."""
    record_event(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        details={"export": f"{label} ({fmt})", "filters": request.GET.dict()},
        ip_address=client_ip(request),
    )
    return csv_response(name, tables) if fmt == "csv" else xlsx_response(name, tables)
