"""Data returns from partner organisations: read an upload (CSV or XLSX) or an API
body, check every row, and store the return as a new version, or refuse it whole.

Layout (one row per figure; header row required):
indicator, period, breakdown, breakdown_value, value, denominator
``breakdown`` and ``breakdown_value`` are empty for the total; ``denominator`` only for
percentages. All rows of one return share one period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from safeguarding.accounts.models import Area, Organisation
from safeguarding.core.audit import record_write
from safeguarding.core.models import AuditEvent
from safeguarding.core.refusals import FileRefused, Problem
from safeguarding.core.upload_tables import read_uploaded_table
from safeguarding.performance import rules
from safeguarding.performance.models import BREAKDOWNS, DataReturn, Indicator, ReturnValue

COLUMNS = ["indicator", "period", "breakdown", "breakdown_value", "value", "denominator"]
REQUIRED = ["indicator", "period", "value"]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ReturnRefused(FileRefused):
    pass


class NeedsConfirmation(Exception):
    """Values far outside the history: shown to the sender to confirm, not refused."""

    def __init__(self, warnings: list[str]):
        super().__init__("\n".join(warnings))
        self.warnings = warnings


@dataclass
class Row:
    number: int
    values: dict[str, str]


@dataclass
class Checked:
    period: str
    cells: list[dict] = field(default_factory=list)


def read_upload(file_name: str, data: bytes) -> list[Row]:
    """The return's figures, numbered as in the spreadsheet, blank rows left out; read by
    the one upload reader (``core.upload_tables``)."""
    table = read_uploaded_table(
        file_name,
        data,
        max_bytes=MAX_UPLOAD_BYTES,
        refusal=ReturnRefused,
        check_header=lambda header: _check_header(file_name, header),
    )
    return [Row(number, values) for number, values in table.numbered() if any(values.values())]


def _check_header(file_name: str, header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ReturnRefused(
            [f"{file_name}: missing column(s) {', '.join(missing)}; the header row must be {','.join(COLUMNS)}."]
        )


def check_rows(
    *, organisation: Organisation, rows: list[Row], file_name: str, today: datetime.date | None = None
) -> Checked:
    """Every problem, named by file, row and column; raises ReturnRefused if any."""
    today = today or timezone.localdate()
    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    localities = set(Area.objects.filter(organisations=organisation).values_list("code", flat=True)) or set(
        Area.objects.values_list("code", flat=True)
    )
    errors: list[Problem | str] = []
    periods: set[str] = set()
    seen: dict[tuple[str, str, str], int] = {}
    checked = Checked(period="")
    if not rows:
        raise ReturnRefused([f"{file_name}: there are no figures in the file."])
    for row in rows:
        try:
            cell = _checked_cell(
                row.values,
                indicators=indicators,
                organisation=organisation,
                localities=localities,
                today=today,
                periods=periods,
            )
        except _CellRefused as refused:
            errors.append(Problem(refused.message, file=file_name, row=row.number, column=refused.column))
            continue
        indicator, breakdown, breakdown_value = cell["indicator"], cell["breakdown"], cell["breakdown_value"]
        key = (indicator.code, breakdown, breakdown_value)
        if key in seen:
            errors.append(
                f"{file_name}, row {row.number}: the same figure as row {seen[key]} ({indicator.code}"
                + (f", {breakdown}={breakdown_value}" if breakdown else "")
                + ")."
            )
            continue
        seen[key] = row.number
        checked.cells.append({**cell, "row": row.number})
    if len(periods) > 1:
        errors.append(f"{file_name}: one return covers one period, but this file has {', '.join(sorted(periods))}.")
    if errors:
        raise ReturnRefused(errors)
    checked.period = periods.pop()
    return checked


class _CellRefused(Exception):
    """A row refused, naming the column."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def _checked_cell(
    v: dict[str, str],
    *,
    indicators: dict[str, Indicator],
    organisation: Organisation,
    localities: set[str],
    today: datetime.date,
    periods: set[str],
) -> dict:
    """One figure: its indicator (sent by this kind of organisation), a period that has
    ended (noted in ``periods`` even if a later cell refuses the row), a breakdown the
    indicator has, and a value its unit allows. Raises _CellRefused naming the column."""
    indicator = indicators.get(v.get("indicator", ""))
    if indicator is None:
        raise _CellRefused("indicator", f"unknown indicator '{v.get('indicator', '')}'.")
    if indicator.owner_kind != organisation.kind:
        raise _CellRefused(
            "indicator",
            f"{indicator.code} is sent by a {indicator.get_owner_kind_display().lower()}, not by {organisation.name}.",
        )
    try:
        _start, end = rules.period_bounds(v.get("period", ""), indicator.frequency)
    except ValueError as error:
        raise _CellRefused("period", f"{error}") from None
    if end >= today:
        raise _CellRefused("period", f"{v['period']} has not ended yet.")
    periods.add(v["period"])
    breakdown, breakdown_value = v.get("breakdown", ""), v.get("breakdown_value", "")
    if breakdown or breakdown_value:
        _check_breakdown(indicator, breakdown, breakdown_value, localities)
    return {
        "indicator": indicator,
        "breakdown": breakdown,
        "breakdown_value": breakdown_value,
        "value": _value(indicator, v.get("value", "")),
        "denominator": _denominator(v.get("denominator", "")),
    }


def _check_breakdown(indicator: Indicator, breakdown: str, breakdown_value: str, localities: set[str]) -> None:
    if breakdown not in indicator.breakdowns:
        allowed = ", ".join(indicator.breakdowns) or "none"
        raise _CellRefused("breakdown", f"'{breakdown}' is not a breakdown of {indicator.code} (allowed: {allowed}).")
    allowed_values = localities if breakdown == "locality" else set(BREAKDOWNS[breakdown])
    if breakdown_value not in allowed_values:
        raise _CellRefused("breakdown_value", f"'{breakdown_value}' is not one of {', '.join(sorted(allowed_values))}.")


def _value(indicator: Indicator, text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _CellRefused("value", f"'{text}' is not a number.") from None
    if value < 0:
        raise _CellRefused("value", f"{value} is negative.")
    if indicator.unit == Indicator.Unit.COUNT and value != value.to_integral_value():
        raise _CellRefused("value", f"{value} is not a whole number, and {indicator.code} is a count.")
    if indicator.unit == Indicator.Unit.PERCENTAGE and value > 100:
        raise _CellRefused("value", f"{value} is over 100, and {indicator.code} is a percentage.")
    return value


def _denominator(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise _CellRefused("denominator", f"'{text}' is not a number.") from None


def unusual_values(*, organisation: Organisation, checked: Checked, file_name: str) -> list[str]:
    """Totals far outside the organisation's last four current returns for that indicator."""
    warnings = []
    for cell in checked.cells:
        if cell["breakdown"]:
            continue
        history = [
            float(v)
            for v in ReturnValue.objects.filter(
                data_return__organisation=organisation,
                data_return__is_current=True,
                indicator=cell["indicator"],
                breakdown="",
            )
            .exclude(data_return__period=checked.period)
            .order_by("-data_return__period")
            .values_list("value", flat=True)[:4]
        ]
        if rules.is_unusual(float(cell["value"]), history):
            warnings.append(
                f"{file_name}, row {cell['row']}: {cell['indicator'].code} is {cell['value']}, far from "
                f"the recent {', '.join(f'{h:g}' for h in history)}. Confirm it is right."
            )
    return warnings


@transaction.atomic
def submit_return(
    *,
    organisation: Organisation,
    rows: list[Row],
    file_name: str,
    source: str,
    actor,
    submitted_by: str,
    confirm_unusual: bool = False,
    now: datetime.datetime | None = None,
) -> DataReturn:
    """Store a return whole, as a new version, or refuse it whole."""
    now = now or timezone.now()
    checked = check_rows(organisation=organisation, rows=rows, file_name=file_name, today=timezone.localdate(now))
    warnings = unusual_values(organisation=organisation, checked=checked, file_name=file_name)
    if warnings and not confirm_unusual:
        raise NeedsConfirmation(warnings)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one submission at a time
    previous = DataReturn.objects.filter(organisation=organisation, period=checked.period)
    version = (previous.aggregate(n=Max("version"))["n"] or 0) + 1
    previous.filter(is_current=True).update(is_current=False)
    data_return = DataReturn.objects.create(
        organisation=organisation,
        period=checked.period,
        version=version,
        submitted_at=now,
        submitted_by=submitted_by,
        source=source,
        file_name=file_name,
        confirmed_unusual=bool(warnings),
    )
    ReturnValue.objects.bulk_create(
        ReturnValue(
            data_return=data_return,
            indicator=c["indicator"],
            breakdown=c["breakdown"],
            breakdown_value=c["breakdown_value"],
            value=c["value"],
            denominator=c["denominator"],
        )
        for c in checked.cells
    )
    record_write(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=data_return,
        changes={
            "period": checked.period,
            "version": version,
            "figures": len(checked.cells),
            "unusual_confirmed": warnings,
        },
    )
    return data_return
