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
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from safeguarding.core.datapackage_writer import BY_KIND, check_declared, model_rows, write_row
from safeguarding.core.refusals import FileRefused, Problem
from safeguarding.core.text import describe_control_character, find_control_character

MAX_FILE_BYTES = 50 * 1024 * 1024  # one file, uncompressed
MAX_PACKAGE_BYTES = 200 * 1024 * 1024  # every file of a package together, uncompressed
MAX_ENTRIES = 200  # entries in a .zip (or CSV files in a folder); a package has about 30 files
LIST_SEPARATOR = ";"
MAX_INT = 2**31 - 1  # the largest a whole-number column holds on every database


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "str"  # str, date, time, datetime, int, decimal, bool, choice, ref, refs
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str = ""  # for ref/refs: the kind of record referred to
    help: str = ""
    # For ref: the key as stored, from a form also accepted (a session's start without
    # its seconds). It never raises: text it cannot read is kept, to be reported unknown.
    normalise: Callable[[str], str] | None = None
    # Where the column lives in the file's model, so that one declaration both loads and
    # exports it: a field of the model (a foreign key, a many-to-many), by default the
    # one named like the column, or a path through a relation ("data_return.period"),
    # which export follows and the loader leaves to the file's ``computed`` fields.
    field: str = ""
    # For a ref or refs field: the related record's field that holds the key ("code").
    via: str = ""
    # What an empty cell stores, when not as BY_KIND says (a quorum of 0).
    blank: Any = BY_KIND
    # For the special cases, applied to a value that is not empty: ``to_model`` turns the
    # parsed cell into the stored value (a person from their person_key), ``from_model``
    # the stored value into the cell (a decimal without trailing zeros).
    to_model: Callable[[Any], Any] | None = None
    from_model: Callable[[Any], Any] | None = None

    @property
    def path(self) -> str:
        """The model field the column maps to, or the path to it through relations."""
        return self.field or self.name


@dataclass(frozen=True)
class PartnerRows:
    """The rows of a file a partner token may send: those whose ``column`` names the
    token's own organisation. ``stored_owner`` gives the organisation code of the
    stored record a row would update (None when the row creates one), so a token
    cannot take another organisation's record over by repeating its key; ``check``
    yields further (column, problem) pairs for a row, given the token's organisation
    code (a booking names one of its own people), and ``note`` says so in the docs."""

    column: str = "organisation"
    stored_owner: Callable[[dict], str | None] | None = None
    check: Callable[[dict, str], Iterable[tuple[str, str]]] | None = None
    note: str = ""


# A file that partner tokens may not send at all: reference data, people, governance,
# agreements. Staff and the ``safeguarding import`` command (a system actor) may.
STAFF_ONLY = None


@dataclass(kw_only=True)
class FileSpec:
    """How one CSV file maps to records.

    ``provides`` names the kind of record the file's key identifies, so other files
    can refer to it (``Column(kind="ref", ref=...)``). ``existing_keys`` lists the
    keys of that kind already in the database (needed only when other files refer to
    them). ``partner`` says what a partner token may send (``STAFF_ONLY`` or
    ``PartnerRows``); it has no default, so a new file cannot be added without that
    decision.

    Most files are one record per row: they name their ``model`` and the model fields
    of its natural key (``lookup``), and each column its ``field``; the row is then
    written by ``upsert`` and exported from the model's records. ``computed`` gives
    fields made from several columns (a figure's return from its organisation, period
    and version), and ``write_children`` writes what hangs off the row's record once
    it is written (a meeting's agenda items). A file that is none of these (a row that
    writes a person and their post) gives its own ``load``, which writes one parsed row
    through the shared writer (``core.datapackage_writer``) and returns "created", "updated" or
    "unchanged", and, where export cannot follow the columns' fields, its ``export``,
    which yields rows as dicts.
    """

    name: str
    columns: list[Column]
    key: Callable[[dict], str]
    provides: str
    partner: PartnerRows | None
    description: str = ""
    model: type[models.Model] | None = None
    lookup: tuple[str, ...] = ()
    computed: dict[str, Callable[[dict], Any]] = field(default_factory=dict)
    write_children: Callable[[Any, dict, Any], str] | None = None
    # Relations the export reads beyond the columns' own fields (a meeting's key names its group).
    select_related: tuple[str, ...] = ()
    existing_keys: Callable[[], set[str]] = set  # none stored, unless given
    load: Callable[[dict, Any], str] | None = None
    export: Callable[[], Iterable[dict]] | None = None
    after_load: Callable[[list[dict], Any], None] | None = None
    # The key other files use to refer to a row, when not the row's own key
    # (people.csv has a row per post; other files refer to the person_key).
    ref_key: Callable[[dict], str] | None = None
    # Rules across a row's columns or across rows (a person's rows agree on their
    # name), checked with everything else before anything is written. Given the
    # file's parsed rows as (row number, values), it yields (row number, column,
    # problem); column may be "" when the problem is the row as a whole.
    check: Callable[[list[tuple[int, dict]]], Iterable[tuple[int, str, str]]] | None = None
    # References made of several columns (a return is organisation, period and
    # version): given the rows and the keys of every kind known so far (stored, and
    # earlier files of this package), it yields problems as ``check`` does.
    check_references: Callable[[list[tuple[int, dict]], dict[str, set[str]]], Iterable[tuple[int, str, str]]] | None = (
        None
    )

    def __post_init__(self) -> None:
        if self.model is None and (self.load is None or self.export is None):
            raise TypeError(f"{self.name}: name its model, or give both load and export.")
        if self.load is None and not self.lookup:
            raise TypeError(f"{self.name}: name the model fields of its natural key (lookup), or give load.")
        if self.model is not None and (self.load is None or self.export is None):
            for column in self.columns:  # a misspelt field fails when the app starts, not on import
                check_declared(self.model, self, column)

    def write(self, values: dict, actor) -> str:
        """Write one parsed row: "created", "updated" or "unchanged"."""
        return self.load(values, actor) if self.load else write_row(self, values, actor)

    def rows(self) -> Iterable[dict]:
        """The stored records as rows, {column: value}, unsorted."""
        return self.export() if self.export else model_rows(self)


def keyed_by(*columns: str) -> Callable[[dict], str]:
    """A file's key made of these columns' cells, separated by |."""
    return lambda row: "|".join(_cell(row[name]) for name in columns)


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


class PackageError(FileRefused):
    def summary(self) -> str:
        return f"{len(self.problems)} problem(s) in the data package"


# Reading -----------------------------------------------------------------------------


def read_package(path: Path) -> dict[str, list[dict[str, str]]]:
    """The package's CSV files as {file name: rows}: a folder, a .zip, or one CSV file."""
    return _read_package(path)[0]


def _read_package(path: Path) -> tuple[dict[str, list[dict[str, str]]], dict[str, list[str]]]:
    raw, errors = _package_bytes(path)
    files, headers = {}, {}
    for name in sorted(raw):
        try:
            headers[name], files[name] = _parse_csv(name, raw[name])
        except PackageError as error:
            errors += error.problems
    if errors:
        raise PackageError(errors)
    return files, headers


def _too_big(name: str) -> Problem:
    return Problem(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it or send it in parts.", file=name)


def _unknown(name: str) -> Problem:
    known = sorted(spec.name for spec in REGISTRY)
    return Problem(f"not a file this system knows; expected one of {', '.join(known)}.", file=_shown(name))


def _shown(name: str) -> str:
    """A name from outside, safe to print: escaped when it holds control characters."""
    return ascii(name) if find_control_character(name) is not None else name


def _package_bytes(path: Path) -> tuple[dict[str, bytes], list[str]]:
    """The bytes of the package's known CSV files, and the problems found on the way.

    Everything that can be judged from a file's name and stated size is judged before
    anything is read, so a zip bomb costs nothing: too many entries, unknown names,
    a file over MAX_FILE_BYTES, the files together over MAX_PACKAGE_BYTES. Reads are
    then bounded by the stated size, which a hostile .zip can understate."""
    if path.is_dir():
        return _read_members(str(path), [_file_member(file) for file in sorted(path.glob("*.csv"))], _open_file)
    if path.suffix.lower() == ".zip" and path.is_file():
        return _zip_bytes(path)
    if path.suffix.lower() == ".csv" and path.is_file():
        return _read_members(str(path), [_file_member(path)], _open_file)
    return {}, [f"{_shown(str(path))}: not a folder, a .zip file or a .csv file."]


@dataclass(frozen=True)
class _Member:
    name: str
    size: int  # as stated (a folder's file may still grow while it is read)
    source: Any  # a Path, or a zipfile.ZipInfo
    unreadable: str = ""  # why it cannot be read, judged before reading


# Compression methods read here. LZMA is left out because its header sets the
# dictionary the decompressor allocates, so a hostile one asks for gigabytes.
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2}
# What a damaged member or archive raises while being read: zipfile's own errors, the
# decompressors' (zlib.error, OSError from bz2, EOFError when the data stops short),
# and ValueError or struct.error from headers that make no sense.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error, RuntimeError)


def _file_member(path: Path) -> _Member:
    if not path.is_file():  # a device or a pipe (perhaps through a link) has no size to hold it to
        return _Member(path.name, 0, path, "it is not a plain file).")
    return _Member(path.name, path.stat().st_size, path)


def _open_file(path: Path):
    return path.open("rb")


def _zip_bytes(path: Path) -> tuple[dict[str, bytes], list[str]]:
    if path.stat().st_size > MAX_PACKAGE_BYTES + MAX_ENTRIES * 1024:  # room for headers, even stored
        return {}, [_package_too_big(path.name)]
    try:
        # Count the entries from the end record before zipfile builds an object for each
        # (zipfile's own reader of that record: private, so a change in Python shows in the tests).
        with path.open("rb") as handle:
            end = zipfile._EndRecData(handle)
        stated = end[zipfile._ECD_ENTRIES_TOTAL] if end else 0
        if stated > MAX_ENTRIES:
            return {}, [_too_many(path.name, stated)]
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                return {}, [_too_many(path.name, len(infos))]
            members = []
            for info in infos:
                name = Path(info.filename).name
                if info.is_dir() or not name.lower().endswith(".csv") or name.startswith("."):
                    continue  # a README, a folder, macOS's ._ files: not part of the package
                members.append(_Member(name, info.file_size, info, _zip_unreadable(info)))
            return _read_members(path.name, members, archive.open, where="the .zip file")
    except _ZIP_ERRORS:
        return {}, [f"{path.name}: not a readable .zip file."]


def _zip_unreadable(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x1:
        return "it is encrypted); send it without a password."
    if info.compress_type not in _ZIP_METHODS:
        return f"compression method {info.compress_type} is not supported); use ordinary (deflate) compression."
    return ""


def _read_members(
    package: str, members: list[_Member], open_member, *, where: str = "its folder"
) -> tuple[dict[str, bytes], list[str]]:
    known = {spec.name for spec in REGISTRY}
    errors: list[str] = []
    if len(members) > MAX_ENTRIES:
        return {}, [_too_many(package, len(members))]
    accepted: list[_Member] = []
    for member in members:
        if member.name not in known:
            errors.append(_unknown(member.name))
        elif any(other.name == member.name for other in accepted):
            errors.append(Problem(f"appears twice in {where}.", file=member.name))
        elif member.size > MAX_FILE_BYTES:
            errors.append(_too_big(member.name))
        elif member.unreadable:
            errors.append(Problem(f"cannot be read from {where} ({member.unreadable}", file=member.name))
        else:
            accepted.append(member)
    if sum(member.size for member in accepted) > MAX_PACKAGE_BYTES:
        return {}, [*errors, _package_too_big(package)]
    files: dict[str, bytes] = {}
    for member in accepted:
        try:
            with open_member(member.source) as handle:
                data = handle.read(member.size + 1)  # never more than it said, plus one to catch a lie
        except _ZIP_ERRORS as error:
            errors.append(Problem(f"cannot be read from {where} ({_damage(error)}); send it again.", file=member.name))
            continue
        if len(data) > member.size:
            errors.append(
                Problem(f"cannot be read from {where} (it holds more than its stated size).", file=member.name)
            )
        else:
            files[member.name] = data
    return files, errors


def _too_many(package: str, entries: int) -> Problem:
    return Problem(f"holds {entries} entries; a data package has at most {MAX_ENTRIES}.", file=package)


def _package_too_big(package: str) -> Problem:
    megabytes = MAX_PACKAGE_BYTES // (1024 * 1024)
    return Problem(
        f"the files together are larger than {megabytes} MB uncompressed; send the package in parts.", file=package
    )


def _damage(error: Exception) -> str:
    detail = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
    return f"it is damaged or unreadable: {_shown(detail)}"


def parse_csv(name: str, data: bytes) -> list[dict[str, str]]:
    """A CSV file's rows as {column: text}, cells trimmed. Blank rows are kept (and
    skipped when checking) so that row numbers match what a spreadsheet shows."""
    return _parse_csv(name, data)[1]


def _parse_csv(name: str, data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PackageError([Problem("not UTF-8 text; save it as 'CSV UTF-8'.", file=name)]) from None
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))  # long minutes must round-trip
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    rows: list[dict[str, str]] = []
    errors: list[str] = []
    try:
        header = [cell.strip() for cell in next(reader, [])]
        errors += [
            Problem(f"column {h} appears twice in the header.", file=name) for h in sorted(_repeated(header)) if h
        ]
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells[len(header) :]):
                errors.append(
                    Problem(f"{len(cells)} cells but the header has {len(header)} columns.", file=name, row=number)
                )
                continue
            rows.append({h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h})
    except csv.Error as error:
        errors.append(Problem(f"not readable as CSV at line {reader.line_num} ({error}).", file=name))
    if errors:
        raise PackageError(errors)
    return header, rows


def _repeated(names: list[str]) -> set[str]:
    return {n for n in names if names.count(n) > 1}


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
        value = timezone.make_aware(value) if timezone.is_naive(value) else value
        timezone.localtime(value)  # OverflowError near year 1 or 9999, where keys are made
        return value
    if column.kind == "decimal":
        value = Decimal(raw)
        if not value.is_finite() or value < 0:
            raise ValueError
        return value
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
    if column.kind == "ref" and column.normalise:
        return column.normalise(raw)
    return raw


FORMAT_HINTS = {
    "decimal": "a number, 0 or more",
    "date": "a date as YYYY-MM-DD",
    "time": "a time as HH:MM",
    "datetime": "a date and time as YYYY-MM-DDTHH:MM",
    "int": "a whole number, 0 or more",
    "bool": "true or false",
}


Parsed = dict[str, list[tuple[int, dict]]]  # file name: [(row number, values)]


def check_package(
    files: dict[str, list[dict[str, str]]], headers: dict[str, list[str]] | None = None, *, actor=None
) -> Parsed:
    """Parse and check every row of every file; raise PackageError listing every
    problem, or return the parsed rows with their row numbers (the header is row 1).
    An ``actor`` that is a partner token may send only what each file's ``partner``
    allows it."""
    partner = _partner_organisation(actor)
    known = {spec.name for spec in REGISTRY}
    errors = [_unknown(name) for name in sorted(set(files) - known)]
    keys_by_kind: dict[str, set[str]] = {}
    for spec in REGISTRY:
        keys_by_kind.setdefault(spec.provides, set()).update(spec.existing_keys())
    parsed: Parsed = {}
    for spec in REGISTRY:
        if spec.name not in files:
            continue
        if partner and spec.partner is STAFF_ONLY:
            errors.append(
                Problem(
                    f"a partner token of {partner} may not send this file; it is kept by the partnership's staff.",
                    file=spec.name,
                )
            )
            continue
        rows = files[spec.name]
        header = (headers or {}).get(spec.name) or _header(rows)
        header_errors = _check_header(spec, header) if header or rows else []  # an empty file is fine
        if header_errors:
            errors += header_errors
            continue
        parsed[spec.name], keys, row_errors = _check_rows(spec, rows, keys_by_kind)
        keys_by_kind[spec.provides].update(keys)
        errors += row_errors
        if partner:
            errors += _partner_problems(spec, rows, parsed[spec.name], partner)
        for rule in (spec.check, spec.check_references):
            if rule is None or row_errors:
                continue
            problems = rule(parsed[spec.name]) if rule is spec.check else rule(parsed[spec.name], keys_by_kind)
            errors += [
                Problem(problem, file=spec.name, row=number, column=column or "")
                for number, column, problem in problems
            ]
    if errors:
        raise PackageError(errors)
    return parsed


def _partner_organisation(actor) -> str | None:
    """The organisation code of a partner token; None for staff and the system. The token
    is known by its model label, as in core.audit, because accounts builds on core."""
    meta = getattr(actor, "_meta", None)
    return actor.organisation.code if meta is not None and meta.label == "accounts.ApiToken" else None


def _partner_problems(spec: FileSpec, rows: list[dict[str, str]], valid: list[tuple[int, dict]], organisation: str):
    """Rows a partner token may not send: another organisation's, or ones that would
    change a record another organisation owns."""
    rule = spec.partner
    values_at = dict(valid)
    problems = []
    for number, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        if (row.get(rule.column) or "") != organisation:
            problems.append(
                Problem(
                    f"a partner token of {organisation} may send only its own organisation's rows.",
                    file=spec.name,
                    row=number,
                    column=rule.column,
                )
            )
            continue
        if number not in values_at:
            continue  # its other problems are reported already
        owner = rule.stored_owner(values_at[number]) if rule.stored_owner else None
        if owner not in (None, organisation):
            problems.append(
                Problem(
                    f"would change a record of {owner}; a partner token of {organisation} may change only its own.",
                    file=spec.name,
                    row=number,
                )
            )
        for column, problem in rule.check(values_at[number], organisation) if rule.check else ():
            problems.append(Problem(problem, file=spec.name, row=number, column=column))
    return problems


def _header(rows: list[dict[str, str]]) -> list[str]:
    return list(dict.fromkeys(name for row in rows for name in row))


def _check_header(spec: FileSpec, header: list[str]) -> list[str]:
    names = [c.name for c in spec.columns]
    errors = []
    missing = [c.name for c in spec.columns if c.required and c.name not in header]
    if missing:
        errors.append(Problem(f"missing column(s) {', '.join(missing)}.", file=spec.name))
    unknown = [name for name in header if name and name not in names]
    if unknown:
        # A misspelt optional column would otherwise be dropped without a word.
        errors.append(
            Problem(f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(names)}.", file=spec.name)
        )
    return errors


def _check_rows(
    spec: FileSpec, rows: list[dict[str, str]], keys_by_kind: dict[str, set[str]]
) -> tuple[list[tuple[int, dict]], set[str], list[str]]:
    """The file's valid rows, the keys it provides to other files, and its problems."""
    valid: list[tuple[int, dict]] = []
    provided: set[str] = set()
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue  # a blank row
        values, problems = _check_row(spec, row, keys_by_kind)
        errors += [Problem(problem, file=spec.name, row=number, column=column) for column, problem in problems]
        try:  # a row with problems still provides its key, so other files' rows aren't blamed
            provided.add(spec.ref_key(values) if spec.ref_key else spec.key(values))
            key = spec.key(values)
        except KeyError:
            continue  # a key column is wrong, and already reported
        if key in seen:
            errors.append(Problem(f"the same record as row {seen[key]} ({key}).", file=spec.name, row=number))
        seen.setdefault(key, number)
        if not problems:
            valid.append((number, values))
    return valid, provided, errors


def _check_row(spec: FileSpec, row: dict[str, str], keys_by_kind: dict[str, set[str]]):
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for column in spec.columns:
        raw = row.get(column.name) or ""
        if (position := find_control_character(raw)) is not None:
            problems.append((column.name, _control_character(raw, position)))
            continue
        if column.required and raw == "":
            problems.append((column.name, "a value is required."))
            continue
        try:
            value = _parse(column, raw)
        except (ValueError, InvalidOperation, OverflowError):
            problems.append((column.name, f"'{raw}' is not {FORMAT_HINTS[column.kind]}."))
            continue
        if column.kind == "int" and value is not None and value > MAX_INT:
            problems.append((column.name, f"'{raw}' is larger than {MAX_INT}."))
            continue
        codes = [value] if column.kind == "choice" and value is not None else value if column.kind == "refs" else []
        wrong = [code for code in codes if column.choices and code not in column.choices]
        if wrong:
            problems.append((column.name, f"'{wrong[0]}' is not one of {', '.join(column.choices)}."))
            continue
        if column.kind in ("ref", "refs") and column.ref:
            known = keys_by_kind.get(column.ref, set())
            problems += [
                (column.name, f"unknown {column.ref.replace('_', ' ')} '{ref}' (not in the package or the database).")
                for ref in (value if column.kind == "refs" else [value])
                if ref is not None and ref not in known
            ]
        values[column.name] = value
    return values, problems


def _control_character(text: str, position: int) -> str:
    """PostgreSQL cannot store NUL and other controls are invisible on a page, so a
    cell holding one is refused (tab, CR and LF are text: core.text allows them)."""
    return (
        f"contains the control character {describe_control_character(text, position)} "
        f"at position {position + 1}; remove it."
    )


# Rules for FileSpec.check -------------------------------------------------------------


def ends_after_starts(start: str = "started_on", end: str = "ended_on"):
    """An end date, when given, is not before the start date."""

    def check(rows: list[tuple[int, dict]]):
        for number, row in rows:
            if row.get(start) and row.get(end) and row[end] < row[start]:
                yield number, end, f"{_cell(row[end])} is before {start} ({_cell(row[start])})."

    return check


def all_of(*checks):
    """Several FileSpec.check rules as one."""

    def check(rows: list[tuple[int, dict]]):
        for each in checks:
            yield from each(rows)

    return check


# Writing --------------------------------------------------------------------------------


def import_files(
    files: dict[str, list[dict[str, str]]], *, actor, headers: dict[str, list[str]] | None = None
) -> ImportReport:
    """Check everything, then write everything in one transaction. A row the
    database still refuses (a rule only the model knows) is reported like any
    other problem, with the whole import rolled back."""
    parsed = check_package(files, headers, actor=actor)
    report = ImportReport()
    with transaction.atomic():
        for spec in REGISTRY:
            if spec.name not in parsed:
                continue
            counts = {"created": 0, "updated": 0, "unchanged": 0}
            errors: list[str] = []
            for number, values in parsed[spec.name]:
                try:
                    counts[spec.write(values, actor)] += 1
                except ValidationError as error:
                    errors += _refusals(spec, number, error)
                except (ObjectDoesNotExist, ValueError, OverflowError) as error:
                    # A loader's own refusal should be a ValidationError naming its column;
                    # anything else it raises is still this row's problem, not a crash.
                    errors.append(Problem(f"could not be saved ({_shown(str(error))}).", file=spec.name, row=number))
                except DatabaseError as error:  # IntegrityError, DataError: the transaction cannot go on
                    raise PackageError([*errors, f"{spec.name}, row {number}: could not be saved ({error})."]) from None
            if errors:  # later files may depend on these rows: stop here, writing nothing
                raise PackageError(errors)
            if spec.after_load:
                spec.after_load([values for _, values in parsed[spec.name]], actor)
            report.counts[spec.name] = counts
    return report


_CONSTRAINT = re.compile(r"Constraint “(?P<name>[^”]+)” is violated\.")


def _refusals(spec: FileSpec, number: int, error: ValidationError) -> list[str]:
    """A model's validation errors as file, row and column messages."""
    names = {c.name for c in spec.columns}
    by_field = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    lines = []
    for name, problems in by_field.items():
        column = next((c for c in (name, f"{name}_key", f"{name}_person_key") if c in names), "")
        for problem in problems:
            text = " ".join(problem)
            if match := _CONSTRAINT.fullmatch(text):
                text = f"breaks the rule '{match['name'].replace('_', ' ')}'."
            lines.append(Problem(text, file=spec.name, row=number, column=column))
    return lines


def import_package(path: Path, *, actor) -> ImportReport:
    files, headers = _read_package(path)
    return import_files(files, actor=actor, headers=headers)


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


def export_rows(spec: FileSpec) -> list[dict[str, str]]:
    rows = [{c.name: _cell(row.get(c.name)) for c in spec.columns} for row in spec.rows()]
    rows.sort(key=lambda r: (spec.key(r), tuple(r.values())))
    return rows


def _csv_text(spec: FileSpec, rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c.name for c in spec.columns], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


README_NAME = "README.txt"
README = """\
A Safeguarding data package: data for machines, not for a spreadsheet
=====================================================================

These CSV files are read back by `safeguarding import` and by partner systems exactly
as they are written, so every cell holds what was stored, unchanged. A cell may begin
with =, +, -, @, a tab or a carriage return (a title, a reference, a negative figure).

Do not open these files in a spreadsheet (Excel, LibreOffice Calc, Google Sheets): a
spreadsheet runs a cell that begins with = + - or @ as a formula, which can fetch web
addresses or run commands on your computer, and it may change dates, long numbers and
leading zeros if the file is saved again.

To read the records, use Safeguarding's pages and downloads, which are made safe for
spreadsheets, or a plain text editor. Why: docs/decisions/0003-exports-and-spreadsheet-formulas.md.
This file is not part of the package; imports skip it.
"""


def export_package(path: Path) -> dict[str, int]:
    """Write every registered file into a folder, or into a .zip when the path ends
    in .zip; the same records always give the same bytes. Cells are written raw,
    formulas and all, so the package round-trips: README.txt beside the files says
    they are data for machines, not to be opened in a spreadsheet (decision 0003)."""
    written = {}
    texts = {}
    for spec in REGISTRY:
        rows = export_rows(spec)
        texts[spec.name] = _csv_text(spec, rows)
        written[spec.name] = len(rows)
    texts[README_NAME] = README
    if path.suffix.lower() == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in texts.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # fixed, so bytes repeat
                info.external_attr = 0o644 << 16
                archive.writestr(info, text.encode(), compress_type=zipfile.ZIP_DEFLATED)
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (path / name).write_text(text, encoding="utf-8", newline="")
    return written
