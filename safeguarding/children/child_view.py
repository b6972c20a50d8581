"""One view of a child across agencies (a selector): every linked record, involvements,
addresses over time, names and dates of birth as each agency holds them, whom to
contact, and the records' history; what two agencies disagree on is said plainly.

What a reader sees is cut to ``policy.parts_for`` and, record by record, to the
information sharing agreements (``policy.sharing_partners``) before anything is built:
the template cannot show what it is never given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from safeguarding.children.extensions import child_panels
from safeguarding.children.models import (
    AgencyRecord,
    Child,
    IdentityChange,
    Involvement,
    RecordVersion,
    Source,
)
from safeguarding.children.policy import Part
from safeguarding.linkage.normalise import name_key


@dataclass
class RecordRow:
    unique_id: str
    source: str
    source_kind: str
    organisation: str
    shared: bool
    first_name: str = ""
    middle_names: str = ""
    last_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str = ""
    nhs_number: str = ""
    nhs_number_valid: bool = False
    address: str = ""
    postcode: str = ""
    address_from: dt.date | None = None
    area: str = ""
    first_received: dt.datetime | None = None
    updated: dt.datetime | None = None
    version: int = 1
    match_probability: float | None = None
    expected_on: dt.date | None = None  # an unborn child's expected date of delivery
    # Cells kept as delivered but not used (a mistyped postcode): column → (value, problem).
    flags: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_on is not None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_names, self.last_name) if p)


@dataclass
class AddressRow:
    address: str
    postcode: str
    area: str
    since: dt.date | None
    source: str
    current: bool = False
    out_of_date: bool = False


@dataclass
class InvolvementRow:
    kind: str
    started_on: dt.date | None
    ended_on: dt.date | None
    agency: str

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


@dataclass
class ContactRow:
    source: str
    organisation: str
    team: str
    email: str
    phone: str
    shared: bool


@dataclass
class VersionRow:
    record: str
    version: int
    received_at: dt.datetime
    was: list[tuple[str, str]]  # (field, the value this version held) where the next differs


@dataclass
class ChildView:
    child: Child
    parts: frozenset
    records: list[RecordRow]
    withheld: list[RecordRow]
    discrepancies: list[str]
    addresses: list[AddressRow]
    involvements: list[InvolvementRow]
    involved_agencies: list[str]
    contacts: list[ContactRow]
    versions: list[VersionRow]
    identity_changes: list[IdentityChange]
    # other areas' panels (``extensions.register_child_panel``), each with its items
    panels: list = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    merged_ids: list[str] = field(default_factory=list)


KIND_LABELS = dict(Source.Kind.choices)


def merged_ids(child: Child) -> set[int]:
    """The child and every ID ever merged into it."""
    ids, frontier = {child.pk}, [child.pk]
    while frontier:
        frontier = [
            pk for pk in Child.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True) if pk not in ids
        ]
        ids.update(frontier)
    return ids


def _row(record: AgencyRecord, shared: bool) -> RecordRow:
    base = RecordRow(
        unique_id=record.unique_id if shared else "",
        source=record.source.name,
        source_kind=record.source.kind,
        organisation=record.source.organisation.name,
        shared=shared,
    )
    if not shared:
        return base
    for name in (
        "first_name",
        "middle_names",
        "last_name",
        "date_of_birth",
        "sex",
        "nhs_number",
        "nhs_number_valid",
        "address",
        "postcode",
        "address_from",
        "version",
        "match_probability",
        "expected_on",
    ):
        setattr(base, name, getattr(record, name))
    base.flags = {column: (str(f.get("value", "")), str(f.get("problem", ""))) for column, f in record.flags.items()}
    base.area = record.area.name if record.area else ""
    base.first_received, base.updated = record.first_received_at, record.updated_at
    return base


def discrepancies(records: list[RecordRow]) -> list[str]:
    """What the agencies' records disagree on, in plain words (pure: tested alone)."""
    found = []

    def differing(values: dict[str, list[str]], what: str) -> None:
        if len(values) > 1:
            parts = "; ".join(f"{value} ({', '.join(sorted(set(sources)))})" for value, sources in values.items())
            found.append(f"The agencies disagree on the {what}: {parts}.")

    dobs: dict[str, list[str]] = {}
    nhs: dict[str, list[str]] = {}
    surnames: dict[str, list[str]] = {}
    for r in records:
        if r.date_of_birth:
            dobs.setdefault(f"{r.date_of_birth:%-d %B %Y}", []).append(r.source)
        if r.nhs_number and r.nhs_number_valid:
            nhs.setdefault(r.nhs_number, []).append(r.source)
        if r.last_name:
            key = name_key(r.last_name)
            surnames.setdefault(key, []).append(r.last_name)
    differing(dobs, "date of birth")
    differing(nhs, "NHS number")
    if len(surnames) > 1:
        names = sorted({spellings[0] for spellings in surnames.values()})
        found.append(f"The child is recorded under more than one last name: {', '.join(names)}.")
    invalid = sorted({r.source for r in records if r.nhs_number and not r.nhs_number_valid})
    if invalid:
        found.append(f"An NHS number that fails its check digit is held by {', '.join(invalid)}.")
    return found


def address_timeline(records: list[RecordRow]) -> list[AddressRow]:
    """Each address an agency holds, newest first. The newest dated address is taken as
    current; an agency whose only address is older and different still has an old one."""
    rows = [
        AddressRow(r.address, r.postcode, r.area, r.address_from, r.source) for r in records if r.address or r.postcode
    ]
    rows.sort(key=lambda a: (a.since or dt.date.min, a.source), reverse=True)
    dated = [a for a in rows if a.since]
    if dated:
        newest = dated[0]
        key = (newest.postcode.replace(" ", ""), newest.address.lower())
        for a in rows:
            same = (a.postcode.replace(" ", ""), a.address.lower()) == key or (
                a.postcode and a.postcode == newest.postcode
            )
            a.current = same
            a.out_of_date = not same
    return rows


def flagged_cells(records: list[RecordRow]) -> list[str]:
    """Each cell an agency sent that is kept but not used (pure: tested alone)."""
    return [
        f"From {r.source}, the {FIELD_NAMES.get(column, column.replace('_', ' ')).lower()} is kept as sent but "
        f"not used to link the record or place it in an area: {problem}"
        for r in records
        for column, (_value, problem) in sorted(r.flags.items())
    ]


FIELD_NAMES = {
    "first_name": "First name",
    "middle_names": "Middle names",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "nhs_number": "NHS number",
    "postcode": "Postcode",
    "address": "Address",
    "address_from": "Address from",
    "expected_on": "Expected date of delivery",
}


def record_history(records: list[AgencyRecord]) -> list[VersionRow]:
    """Each earlier version of the records, with what it said that the next version
    changed: earlier names and addresses stay as evidence."""
    by_record: dict[int, list[RecordVersion]] = {}
    for version in RecordVersion.objects.filter(record__in=records).order_by("record_id", "version"):
        by_record.setdefault(version.record_id, []).append(version)
    rows = []
    for record in records:
        kept = by_record.get(record.pk, [])
        if not kept:
            continue
        current = {
            name: (value.isoformat() if isinstance(value, dt.date) else value)
            for name in FIELD_NAMES
            for value in [getattr(record, name)]
        }
        following = [v.values for v in kept[1:]] + [current]
        for version, after in zip(kept, following, strict=True):
            was = [
                (label, str(version.values.get(name) or "(blank)"))
                for name, label in FIELD_NAMES.items()
                if (version.values.get(name) or "") != (after.get(name) or "")
            ]
            rows.append(VersionRow(record.unique_id, version.version, version.received_at, was))
    rows.sort(key=lambda v: v.received_at, reverse=True)
    return rows


def child_view(child: Child, *, parts: frozenset, partners: frozenset[int] | None) -> ChildView:
    """The child as the reader may see it. ``partners`` are the organisations whose records
    the reader reads in detail (None: every organisation)."""
    ids = merged_ids(child)
    stored = list(
        AgencyRecord.objects.filter(child_id__in=ids)
        .select_related("source__organisation", "area")
        .order_by("source__name", "record_id")
    )

    def is_shared(record: AgencyRecord) -> bool:
        return partners is None or record.source.organisation_id in partners

    rows = [_row(r, is_shared(r)) for r in stored]
    shared = [r for r, row in zip(stored, rows, strict=True) if row.shared]
    visible = [row for row in rows if row.shared]
    withheld = [row for row in rows if not row.shared]

    involvements: list[InvolvementRow] = []
    involved: list[str] = []
    if Part.INVOLVEMENTS in parts or Part.INVOLVEMENT_EXISTS in parts:
        every = list(
            Involvement.objects.filter(record__in=stored).select_related("record__source").order_by("-started_on")
        )
        if Part.INVOLVEMENTS in parts:
            involvements = [
                InvolvementRow(Involvement.Kind(i.kind).label, i.started_on, i.ended_on, i.record.source.name)
                for i in every
                if is_shared(i.record)
            ]
        # Knowing that an agency is involved, and whom to call, is never withheld from a
        # MASH reader: it is what makes the call possible.
        involved = sorted(
            {f"{KIND_LABELS[i.record.source.kind]}: {i.record.source.name}" for i in every if i.ended_on is None}
        )

    contacts = []
    if Part.CONTACTS in parts:
        sources = {r.source_id: r.source for r in stored}
        contacts = [
            ContactRow(
                s.name,
                s.organisation.name,
                s.contact_team,
                s.contact_email,
                s.contact_phone,
                partners is None or s.organisation_id in partners,
            )
            for s in sorted(sources.values(), key=lambda s: s.name)
        ]

    versions, changes = [], []
    if Part.HISTORY in parts:
        versions = record_history(shared)
        changes = list(IdentityChange.objects.filter(Q(child_id__in=ids) | Q(other_id__in=ids)).select_related("other"))

    return ChildView(
        child=child,
        parts=parts,
        records=visible if Part.IDENTITY in parts else [],
        withheld=withheld,
        discrepancies=discrepancies(visible) if Part.IDENTITY in parts else [],
        flagged=flagged_cells(visible) if Part.IDENTITY in parts else [],
        addresses=address_timeline(visible) if Part.ADDRESSES in parts else [],
        involvements=involvements,
        involved_agencies=involved,
        contacts=contacts,
        versions=versions,
        identity_changes=changes,
        panels=child_panels(ids, parts),
        merged_ids=sorted(Child.objects.filter(pk__in=ids - {child.pk}).values_list("reference", flat=True)),
    )
