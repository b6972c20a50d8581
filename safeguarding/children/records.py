"""Reading and checking agency records sent as CSV, XLSX or JSON.

The columns are exactly ``COLUMNS`` (the involvement ones and ``expected_on`` optional).

Two kinds of problem (issue 14, item 10: one mistyped postcode must not stop 46,000
records arriving):

- A file that cannot be read or would be unsafe to store is refused, every problem named
  by file, row and column, and the caller writes nothing: the columns, the encoding, an
  unknown source, a record without an id, a cell too long to store, a control character,
  one record sent twice with different details, an involvement that cannot be recorded.
- A cell that is readable but wrong (a postcode that is not UK-shaped, an impossible or
  future date of birth, one more than 25 years ago, a sex code, an NHS number that is not
  10 digits, an unreadable address date) is **kept as delivered and flagged** on the
  record (``CleanRecord.flags``), as an NHS number whose check digit fails already was.
  Its cleaned field is left blank, so the value is never used to link the record, look it
  up or place it in an area.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from safeguarding.core.refusals import FileRefused, Problem
from safeguarding.core.text import describe_control_character, find_control_character
from safeguarding.core.upload_tables import read_uploaded_table
from safeguarding.linkage.normalise import nhs_number_is_valid, postcode_parts

COLUMNS = [
    "source",
    "record_id",
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "sex",
    "nhs_number",
    "postcode",
    "address",
    "address_from",
]
INVOLVEMENT_COLUMNS = ["involvement", "involvement_from", "involvement_to"]
# An unborn child (a pre-birth plan) has an expected date of delivery instead of a date of birth.
UNBORN_COLUMNS = ["expected_on"]
OPTIONAL_COLUMNS = INVOLVEMENT_COLUMNS + UNBORN_COLUMNS
# The columns whose wrong cells are kept and flagged rather than refusing the file.
FLAGGABLE_COLUMNS = ("date_of_birth", "sex", "nhs_number", "postcode", "address_from", "expected_on")
# How far ahead an expected date of delivery may be: 42 weeks, a full-term pregnancy.
EXPECTED_WITHIN_DAYS = 42 * 7
INVOLVEMENTS = ("cp_plan", "cin", "cla", "early_help", "open_case", "mace", "missing")
SEXES = {
    "female": "female",
    "f": "female",
    "male": "male",
    "m": "male",
    "": "unknown",
    "u": "unknown",
    "unknown": "unknown",
    "not known": "unknown",
    "other": "other",
    "indeterminate": "other",
}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_ERRORS = 200  # beyond this the list stops, with a count
LIMITS = {
    "record_id": 100,
    "first_name": 100,
    "middle_names": 200,
    "last_name": 100,
    "address": 300,
    # Kept as delivered when flagged; a longer cell is a shifted column, not a typo.
    "date_of_birth": 40,
    "sex": 40,
    "nhs_number": 40,
    "postcode": 40,
    "address_from": 40,
    "expected_on": 40,
}
_DMY = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_TEN_DIGITS = re.compile(r"[0-9]{10}")


class RecordsRefused(FileRefused):
    def summary(self) -> str:
        return "; ".join(self.errors[:5])


@dataclass
class CleanRecord:
    source: str
    record_id: str
    first_name: str
    middle_names: str
    last_name: str
    date_of_birth: dt.date | None
    sex: str
    nhs_number: str
    nhs_number_valid: bool
    postcode: str
    address: str
    address_from: dt.date | None
    involvements: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)
    row: int = 0
    expected_on: dt.date | None = None
    # column -> {"value": the cell as delivered, "problem": why it is not used}
    flags: dict[str, dict[str, str]] = field(default_factory=dict)
    where: str = ""  # "file, row N", for the delivery's answer

    def person_fields(self) -> tuple:
        return (
            self.first_name,
            self.middle_names,
            self.last_name,
            self.date_of_birth,
            self.sex,
            self.nhs_number,
            self.postcode,
            self.address,
            self.address_from,
            self.expected_on,
            sorted((column, flag["value"]) for column, flag in self.flags.items()),
        )


def read_table(file_name: str, data: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8) or XLSX file as dicts of text, header names lower-cased, read
    by the one upload reader (``core.upload_tables``: blank rows kept, so ``check_rows`` numbers
    rows as the spreadsheet does). Raises RecordsRefused for a file that cannot be read
    or lacks columns."""
    return read_uploaded_table(
        file_name,
        data,
        max_bytes=MAX_UPLOAD_BYTES,
        refusal=RecordsRefused,
        check_header=lambda header: _check_header(file_name, header),
    ).rows


def _check_header(file_name: str, header: list[str]) -> None:
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS + OPTIONAL_COLUMNS]
    problems = [f"{file_name}: column {h} appears twice in the header." for h in repeated]
    if missing:
        problems.append(f"{file_name}: missing column(s) {', '.join(missing)}.")
    if unknown:
        problems.append(f"{file_name}: unknown column(s) {', '.join(unknown)}.")
    if problems:
        expected = ",".join(COLUMNS) + " (and optionally " + ",".join(OPTIONAL_COLUMNS) + ")"
        raise RecordsRefused([*problems, f"{file_name}: the header row must be {expected}."])


def parse_date(value: str) -> dt.date:
    """YYYY-MM-DD, or DD/MM/YYYY as spreadsheets in England write it."""
    match = _DMY.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(value)


def check_rows(
    file_name: str,
    rows: list[dict[str, str]],
    *,
    known_sources: set[str],
    today: dt.date,
    first_row: int = 2,
    skip_blank: bool = True,
) -> list[CleanRecord]:
    """Every row checked; returns one CleanRecord per (source, record_id), with the
    involvements of all its rows and its flagged cells; raises RecordsRefused listing
    every problem that refuses the file (see the module's docstring for which do).

    Rows are numbered from ``first_row`` as they stand in the file, blank ones included
    (and skipped, unless ``skip_blank`` is off, as for the API, where a blank record is
    an error). A control character anywhere refuses the row, naming the column."""
    errors: list[Problem | str] = []
    records: dict[tuple[str, str], CleanRecord] = {}
    seen = 0
    for number, row in enumerate(rows, start=first_row):
        if skip_blank and not any(value.strip() for value in row.values()):
            continue
        seen += 1
        clean, problems = _checked_row(file_name, number, row, known_sources=known_sources, today=today)
        if clean is None:
            errors += problems
            if len(errors) >= MAX_ERRORS:
                break
            continue
        _keep_one_version(records, clean, errors)
    if len(errors) >= MAX_ERRORS:
        errors.append(f"{file_name}: stopped after {MAX_ERRORS} problems; fix these and send the file again.")
    if not seen:
        errors.append(f"{file_name}: there are no records in the file.")
    if errors:
        raise RecordsRefused(errors)
    return list(records.values())


def _checked_row(
    file_name: str, number: int, row: dict[str, str], *, known_sources: set[str], today: dt.date
) -> tuple[CleanRecord | None, list[Problem]]:
    """One row as a CleanRecord with its flagged cells, or the problems that refuse it."""
    problems: list[Problem] = []
    flags: dict[str, dict[str, str]] = {}

    def problem(column: str, message: str) -> None:
        problems.append(Problem(message, file=file_name, row=number, column=column))

    def flag(column: str, message: str) -> None:
        flags[column] = {"value": row.get(column, ""), "problem": message}

    for column, value in row.items():
        position = find_control_character(value)
        if position is not None:
            problem(
                column,
                f"contains a control character ({describe_control_character(value, position)}), "
                "which cannot be stored; remove it.",
            )
    if problems:
        return None, problems
    _check_identity(row, known_sources, problem)
    date_of_birth = _date_of_birth(row, today, flag)
    expected_on = _expected_on(row, today, flag)
    sex = _sex(row, flag)
    nhs = _nhs_number(row, flag)
    parts = _postcode(row, flag)
    address_from = _not_in_future(_date(row, "address_from", flag), "address_from", today, flag)
    involvement = _involvement(row, problem)
    if problems:
        return None, problems
    return CleanRecord(
        source=row.get("source", ""),
        record_id=row.get("record_id", ""),
        first_name=row.get("first_name", ""),
        middle_names=row.get("middle_names", ""),
        last_name=row.get("last_name", ""),
        date_of_birth=date_of_birth,
        sex=sex,
        nhs_number=nhs,
        nhs_number_valid=bool(nhs) and nhs_number_is_valid(nhs),
        postcode=parts[0] if parts else "",
        address=row.get("address", ""),
        address_from=address_from,
        involvements=[involvement] if involvement else [],
        row=number,
        expected_on=expected_on,
        flags=flags,
        where=f"{file_name}, row {number}",
    ), []


def _check_identity(row: dict[str, str], known_sources: set[str], problem) -> None:
    """What refuses a row: no known source, no id, a value too long, nothing to match on."""
    source = row.get("source", "")
    if not source:
        problem("source", "enter the system the record comes from.")
    elif source not in known_sources:
        problem("source", f"unknown source '{source}'; register it first.")
    if not row.get("record_id", ""):
        problem("record_id", "enter the record's id in its own system.")
    for column, limit in LIMITS.items():
        if len(row.get(column, "")) > limit:
            problem(column, f"longer than {limit} characters.")
    if not row.get("last_name") and not row.get("nhs_number"):
        problem("last_name", "a record needs a last name or an NHS number to be matched.")


# A bad cell below is kept, flagged and not used: the record is still stored and matched.


def _date_of_birth(row: dict[str, str], today: dt.date, flag) -> dt.date | None:
    date_of_birth = _date(row, "date_of_birth", flag)
    if date_of_birth and date_of_birth > today:
        flag("date_of_birth", f"{date_of_birth.isoformat()} is in the future.")
        return None
    if date_of_birth and date_of_birth < today.replace(year=today.year - 26, day=min(today.day, 28)):
        flag("date_of_birth", f"{date_of_birth.isoformat()} is more than 25 years ago: not a child's record.")
        return None
    return date_of_birth


def _expected_on(row: dict[str, str], today: dt.date, flag) -> dt.date | None:
    expected_on = _date(row, "expected_on", flag)
    if expected_on and expected_on > today + dt.timedelta(days=EXPECTED_WITHIN_DAYS):
        flag("expected_on", f"{expected_on.isoformat()} is more than 42 weeks ahead: not a date of delivery.")
        return None
    return expected_on


def _sex(row: dict[str, str], flag) -> str:
    sex = SEXES.get(row.get("sex", "").lower())
    if sex is None:
        flag("sex", f"'{row['sex']}' is not one of female, male, other, unknown (or F, M, U).")
        return ""
    return sex


def _nhs_number(row: dict[str, str], flag) -> str:
    nhs = re.sub(r"[\s-]", "", row.get("nhs_number", ""))
    if nhs and not _TEN_DIGITS.fullmatch(nhs):  # ASCII digits only: str.isdigit takes any script's
        flag("nhs_number", f"'{row['nhs_number']}' is not 10 digits.")
        return ""
    return nhs


def _postcode(row: dict[str, str], flag):
    postcode = row.get("postcode", "").upper()
    parts = postcode_parts(postcode) if postcode else None
    if postcode and parts is None:
        flag("postcode", f"'{row['postcode']}' is not a UK postcode (e.g. NS1 4AB).")
    return parts


def _not_in_future(day: dt.date | None, column: str, today: dt.date, flag) -> dt.date | None:
    if day and day > today:
        flag(column, f"{day.isoformat()} is in the future.")
        return None
    return day


def _involvement(row: dict[str, str], problem) -> tuple[str, dt.date | None, dt.date | None] | None:
    """The row's involvement (kind, from, to), if it has one; a bad one refuses the row."""
    kind = row.get("involvement", "")
    if not (kind or row.get("involvement_from") or row.get("involvement_to")):
        return None
    started = _date(row, "involvement_from", problem)
    ended = _date(row, "involvement_to", problem)
    if kind not in INVOLVEMENTS:
        problem("involvement", f"'{kind}' is not one of {', '.join(INVOLVEMENTS)}.")
    elif started and ended and ended < started:
        problem("involvement_to", f"{ended.isoformat()} is before involvement_from ({started.isoformat()}).")
    else:
        return (kind, started, ended)
    return None


def _keep_one_version(
    records: dict[tuple[str, str], CleanRecord], clean: CleanRecord, errors: list[Problem | str]
) -> None:
    """A record on several rows: the rows may add involvements, never differ in details."""
    key = (clean.source, clean.record_id)
    earlier = records.get(key)
    if earlier is None:
        records[key] = clean
    elif earlier.person_fields() != clean.person_fields():
        errors.append(
            f"{clean.where}: {clean.source} record {clean.record_id} is also on row {earlier.row} with different "
            "details; send one version of a record (several rows may only add involvements)."
        )
    elif clean.involvements and clean.involvements[0] not in earlier.involvements:
        earlier.involvements.append(clean.involvements[0])


def _date(row: dict[str, str], column: str, problem) -> dt.date | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        problem(column, f"'{value}' is not a date; use YYYY-MM-DD (or DD/MM/YYYY).")
        return None
