"""Writes for the children area: sources, postcode areas, agency records (in batches,
with their history) and review decisions. Each says who acted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from safeguarding.accounts.models import Area, Organisation, User
from safeguarding.children import matching, selectors
from safeguarding.children.extensions import records_linked
from safeguarding.children.models import (
    AgencyRecord,
    Child,
    IdentityChange,
    ImportBatch,
    Involvement,
    LinkageRun,
    MatchReview,
    ModelVersion,
    PostcodeArea,
    RecordVersion,
    Source,
)
from safeguarding.children.records import CleanRecord
from safeguarding.children.statistics import ANALYZE_AFTER, refresh_statistics
from safeguarding.children.tasks import run_linkage
from safeguarding.core.audit import (
    Actor,
    actor_label,
    diff,
    record_child_read,
    record_event,
    record_write,
    snapshot,
)
from safeguarding.core.models import AuditEvent
from safeguarding.core.services import create_audited, update_audited

CHUNK = 900  # below SQLite's limit on query parameters


@transaction.atomic
def source_register(
    *,
    code: str,
    name: str,
    organisation: Organisation,
    kind: str,
    areas: Sequence[Area] = (),
    contact: dict[str, str] | None = None,
    actor: Actor,
) -> Source:
    """Register (or update) an agency system; ``contact`` is whom other agencies call
    about a child it knows (``team``, ``email``, ``phone``)."""
    fields = {"name": name, "organisation": organisation, "kind": kind}
    if contact is not None:
        fields.update({f"contact_{key}": contact.get(key, "") for key in ("team", "email", "phone")})
    source = Source.objects.filter(code=code).first()
    if source:
        update_audited(source, actor, **fields)
    else:
        source = create_audited(Source(code=code, **fields), actor)
    source.areas.set(areas)
    return source


@transaction.atomic
def postcode_areas_set(*, prefixes: dict[str, Area], actor: Actor) -> int:
    """Place postcode districts or sectors ("NS1", "NS1 4") in areas; returns how many
    were added or changed."""
    existing = {p.prefix: p for p in PostcodeArea.objects.filter(prefix__in=list(prefixes))}
    changed = 0
    for prefix, area in prefixes.items():
        current = existing.get(prefix)
        if current is None:
            create_audited(PostcodeArea(prefix=prefix, area=area), actor)
        elif current.area_id != area.pk:
            update_audited(current, actor, area=area)
        else:
            continue
        changed += 1
    return changed


def area_for_postcode(postcode: str, prefixes: dict[str, int]) -> int | None:
    """The area of a normalised postcode ("NS1 4AB"): its sector ("NS1 4") if placed,
    else its district ("NS1")."""
    if not postcode:
        return None
    outward, _, inward = postcode.partition(" ")
    return prefixes.get(f"{outward} {inward[:1]}") or prefixes.get(outward)


FLAG_EXAMPLES = 5  # cells shown per column in the delivery's answer


class SourceFlags(TypedDict):
    """One source's share of a delivery: its records, and how many of them (and of their
    cells, by column) were flagged."""

    records: int
    flagged_cells: dict[str, int]
    flagged_records: int


class ImportCounts(TypedDict):
    created: int
    updated: int
    unchanged: int
    invalid_nhs_numbers: int
    involvements_added: int
    unborn: int
    flagged_cells: dict[str, int]


@dataclass
class ImportReport:
    batch: ImportBatch
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    invalid_nhs_numbers: int = 0
    involvements_added: int = 0
    unborn: int = 0
    # column -> how many cells were kept but flagged, and the first few ("file, row N: 'value'")
    flagged_cells: dict[str, int] = field(default_factory=dict)
    flag_examples: dict[str, list[str]] = field(default_factory=dict)
    by_source: dict[str, SourceFlags] = field(default_factory=dict)

    @property
    def counts(self) -> ImportCounts:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "invalid_nhs_numbers": self.invalid_nhs_numbers,
            "involvements_added": self.involvements_added,
            "unborn": self.unborn,
            "flagged_cells": dict(sorted(self.flagged_cells.items())),
        }

    def count_flags(self, clean: CleanRecord) -> None:
        """Tally the record's flagged cells, for the delivery and for its source."""
        source = self.by_source.setdefault(clean.source, {"records": 0, "flagged_cells": {}, "flagged_records": 0})
        source["records"] += 1
        source["flagged_records"] += bool(clean.flags)
        for column, flag in clean.flags.items():
            self.flagged_cells[column] = self.flagged_cells.get(column, 0) + 1
            source["flagged_cells"][column] = source["flagged_cells"].get(column, 0) + 1
            examples = self.flag_examples.setdefault(column, [])
            if len(examples) < FLAG_EXAMPLES:
                examples.append(f"{clean.where}, column {column}: {flag['problem']}")


def flagged_cells_lines(report: ImportReport) -> list[str]:
    """The delivery's flagged cells in words, a line per column with its first examples,
    as the command line, the page and the API give them."""
    if not report.flagged_cells:
        return []
    total = sum(report.flagged_cells.values())
    lines = [
        f"{total} cell(s) kept as delivered but flagged: not used to link the records or place them in an area. "
        "Correct them in the sending system; the next delivery updates the records."
    ]
    for column, count in sorted(report.flagged_cells.items()):
        lines.append(f"{column}: {count} flagged, e.g. " + "; ".join(report.flag_examples.get(column, [])))
    return lines


RECORD_FIELDS = (
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "expected_on",
    "sex",
    "nhs_number",
    "nhs_number_valid",
    "postcode",
    "address",
    "address_from",
    "flags",
)


def _values(record: AgencyRecord | CleanRecord) -> dict[str, object]:
    return {
        name: (value.isoformat() if isinstance(value, dt.date) else value)
        for name in RECORD_FIELDS
        for value in [getattr(record, name)]
    }


@transaction.atomic
def import_records(
    records: list[CleanRecord],
    *,
    actor: Actor,
    origin: str,
    file_name: str = "",
    reason: str = "",
    now: dt.datetime | None = None,
) -> ImportReport:
    """Store checked records: new ones created, changed ones updated with their earlier
    version kept, involvements added. One batch, one audit event naming it. A record's
    flagged cells are stored with it (``AgencyRecord.flags``) and counted by column, for
    the delivery and for each source; a flagged postcode places the record nowhere."""
    now = now or timezone.now()
    batch = ImportBatch.objects.create(
        origin=origin, file_name=file_name[:200], actor_label=actor_label(actor), reason=reason, at=now
    )
    report = ImportReport(batch=batch)
    sources = {s.code: s for s in Source.objects.filter(code__in={r.source for r in records})}
    prefixes = dict(PostcodeArea.objects.values_list("prefix", "area_id"))
    by_source: dict[str, list[CleanRecord]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record)

    new_records: list[AgencyRecord] = []
    changed_records: list[AgencyRecord] = []
    versions: list[RecordVersion] = []
    touched: list[tuple[AgencyRecord, CleanRecord]] = []
    for code, clean_records in by_source.items():
        source = sources[code]
        existing: dict[str, AgencyRecord] = {}
        ids = [r.record_id for r in clean_records]
        for start in range(0, len(ids), CHUNK):
            for known in AgencyRecord.objects.filter(source=source, record_id__in=ids[start : start + CHUNK]):
                existing[known.record_id] = known
        for clean in clean_records:
            report.invalid_nhs_numbers += bool(clean.nhs_number) and not clean.nhs_number_valid
            report.unborn += clean.date_of_birth is None and clean.expected_on is not None
            report.count_flags(clean)
            values = {name: getattr(clean, name) for name in RECORD_FIELDS}
            values["area_id"] = area_for_postcode(clean.postcode, prefixes)
            stored = existing.get(clean.record_id)
            if stored is None:
                stored = AgencyRecord(
                    source=source,
                    record_id=clean.record_id,
                    batch=batch,
                    first_received_at=now,
                    updated_at=now,
                    **values,
                )
                new_records.append(stored)
            elif _values(stored) != _values(clean) or stored.area_id != values["area_id"]:
                versions.append(
                    RecordVersion(
                        record=stored,
                        version=stored.version,
                        values=_values(stored),
                        batch_id=stored.batch_id,
                        received_at=stored.updated_at,
                    )
                )
                for name, value in values.items():
                    setattr(stored, name, value)
                stored.version += 1
                stored.batch = batch
                stored.updated_at = now
                changed_records.append(stored)
            else:
                report.unchanged += 1
            touched.append((stored, clean))

    AgencyRecord.objects.bulk_create(new_records, batch_size=2000)
    AgencyRecord.objects.bulk_update(
        changed_records, [*RECORD_FIELDS, "area", "version", "batch", "updated_at"], batch_size=2000
    )
    RecordVersion.objects.bulk_create(versions, batch_size=2000)
    report.involvements_added = _add_involvements(touched)
    report.created = [r.pk for r in new_records]
    report.updated = [r.pk for r in changed_records]
    # The examples name rows and cells, never a child: the delivery's page shows them only to
    # those who may load its sources; the quality page reads the counts alone.
    batch.counts = {**report.counts, "by_source": report.by_source, "flag_examples": report.flag_examples}
    batch.save(update_fields=["counts"])
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=batch,
        details={"records": report.counts, "sources": sorted(by_source), "file": file_name},
        purpose=reason,
    )
    if len(new_records) >= ANALYZE_AFTER:
        refresh_statistics()
    return report


def _add_involvements(touched: list[tuple[AgencyRecord, CleanRecord]]) -> int:
    wanted = [(stored, involvement) for stored, clean in touched for involvement in clean.involvements]
    if not wanted:
        return 0
    record_pks = list({stored.pk for stored, _ in wanted})
    existing: dict[tuple[int, str, dt.date | None], Involvement] = {}
    for start in range(0, len(record_pks), CHUNK):
        for involvement in Involvement.objects.filter(record_id__in=record_pks[start : start + CHUNK]):
            existing[(involvement.record_id, involvement.kind, involvement.started_on)] = involvement
    new: list[Involvement] = []
    ended: list[Involvement] = []
    for stored, (kind, started, ends) in wanted:
        current = existing.get((stored.pk, kind, started))
        if current is None:
            new.append(Involvement(record=stored, kind=kind, started_on=started, ended_on=ends))
            existing[(stored.pk, kind, started)] = new[-1]
        elif current.pk and current.ended_on != ends:
            current.ended_on = ends
            ended.append(current)
    Involvement.objects.bulk_create(new, batch_size=2000)
    Involvement.objects.bulk_update(ended, ["ended_on"], batch_size=2000)
    return len(new)


# Receiving records and linking them -------------------------------------------------------

# Beyond this many new records in one delivery, matching waits for a full run (which is
# faster per record than matching each one against the index).
INCREMENTAL_LIMIT = 20_000


@dataclass
class ReceiveReport:
    imported: ImportReport
    matched: matching.MatchReport
    # what the other areas' follow-ups raised (``extensions.on_records_linked``), by name
    followed: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def records_receive(
    records: list[CleanRecord], *, actor: Actor, origin: str, file_name: str = "", reason: str = ""
) -> ReceiveReport:
    """Store checked records, match the new ones against the children already known and
    run the follow-ups (move alerts), as one transaction: a failure at any step stores
    nothing, so a delivery is never kept half-linked with its alerts unraised, and the
    sender sends it again (docs/decisions/0007-a-delivery-is-received-whole.md)."""
    try:
        return _receive(records, actor=actor, origin=origin, file_name=file_name, reason=reason)
    except BaseException:
        # This process's candidate index has already taken in the records the rollback
        # removes; it is rebuilt from the database on the next search.
        matching.index_cache.reset()
        raise


def _receive(records: list[CleanRecord], *, actor: Actor, origin: str, file_name: str, reason: str) -> ReceiveReport:
    imported = import_records(records, actor=actor, origin=origin, file_name=file_name, reason=reason)
    waiting = imported.created + list(
        AgencyRecord.objects.filter(pk__in=imported.updated, child__isnull=True).values_list("pk", flat=True)
    )
    if len(waiting) > INCREMENTAL_LIMIT:
        matched = matching.MatchReport(left_for_full_run=len(waiting))
    else:
        matched = matching.match_new_records(waiting)
    # The same day: a move is looked for as soon as the records that show it are linked.
    touched = imported.created + imported.updated
    child_ids = sorted(
        {
            child_id
            for start in range(0, len(touched), CHUNK)
            for child_id in AgencyRecord.objects.filter(
                pk__in=touched[start : start + CHUNK], child__isnull=False
            ).values_list("child_id", flat=True)
        }
    )
    followed = records_linked(child_ids=child_ids, new_since=timezone.localdate(imported.batch.at)) if child_ids else {}
    return ReceiveReport(imported=imported, matched=matched, followed=followed)


@transaction.atomic
def linkage_runs_fail_stale(*, actor: Actor, now: dt.datetime | None = None) -> list[LinkageRun]:
    """Mark failed every queued or running run with no sign of life (its heartbeat, or its
    creation if it never started) for ``LINKAGE_STALE_MINUTES``: its process or worker was
    killed, and it would otherwise stay "running" for ever and block every later run."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.LINKAGE_STALE_MINUTES)
    stale = LinkageRun.objects.select_for_update().filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff),
        status__in=LinkageRun.LIVE,
    )
    failed: list[LinkageRun] = []
    for run in stale:
        last = run.heartbeat_at or run.created_at
        before = snapshot(run)
        run.status = LinkageRun.Status.FAILED
        run.step = f"Failed: no sign of life since {timezone.localtime(last):%Y-%m-%d %H:%M} (its process stopped)"
        run.finished_at = now
        run.save(update_fields=["status", "step", "finished_at"])
        record_write(actor=actor, action=AuditEvent.Action.UPDATE, instance=run, changes=diff(before, snapshot(run)))
        failed.append(run)
    return failed


def linkage_run_live() -> LinkageRun | None:
    """The queued or running run, if there is one (there is never more than one)."""
    return LinkageRun.objects.filter(status__in=LinkageRun.LIVE).order_by("-created_at").first()


def _already_live(run: LinkageRun) -> ValidationError:
    return ValidationError(
        f"Linkage run {run.pk} is already {run.get_status_display().lower()} (started by {run.started_by} at "
        f"{timezone.localtime(run.created_at):%Y-%m-%d %H:%M}); only one run may go at a time. Wait for it to "
        f"finish. If its process was stopped, it is marked failed {settings.LINKAGE_STALE_MINUTES} minutes after "
        "its last sign of life ('safeguarding children fail-stale-runs' does it at once)."
    )


@transaction.atomic
def linkage_run_start(
    *, actor: Actor, backend: str = "duckdb", reuse_model: bool = False, enqueue: bool = True
) -> LinkageRun:
    """Queue a full run for the worker (a new model version, or the current model again);
    the page shows its progress. Runs whose process died are failed first; a second live
    run is refused (the database's one_live_linkage_run constraint holds it under a race)."""
    if backend not in ("duckdb", "spark"):
        raise ValueError(f"unknown backend {backend!r}: use duckdb or spark")
    if reuse_model and not ModelVersion.objects.filter(is_current=True).exists():
        raise ValidationError("There is no trained model to reuse yet: start a run that trains one.")
    linkage_runs_fail_stale(actor=actor)
    live = linkage_run_live()
    if live is not None:
        raise _already_live(live)
    try:
        with transaction.atomic():
            run = LinkageRun.objects.create(
                started_by=actor_label(actor),
                backend=backend,
                reuse_model=reuse_model,
                created_at=timezone.now(),
            )
    except IntegrityError:  # another run was started at the same moment
        live = linkage_run_live()
        raise (_already_live(live) if live else ValidationError("Another linkage run has just started.")) from None
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=run,
        details={"backend": backend, "reuse_model": reuse_model},
    )
    if enqueue:
        transaction.on_commit(lambda: run_linkage.enqueue(run.pk))
    return run


@transaction.atomic
def review_decide(*, review: MatchReview, same_child: bool, reason: str, actor: User) -> MatchReview:
    """A practitioner's decision on an uncertain pair. It overrides the model in every
    later run, and takes effect now: confirmed records in two children merge them;
    rejected records in one child are parted. The decision is a person's (``decided_by``)."""
    review = MatchReview.objects.select_for_update().get(pk=review.pk)
    if review.status != MatchReview.Status.PENDING:
        raise ValidationError("This pair has already been decided.")
    before = snapshot(review)
    now = timezone.now()
    review.status = MatchReview.Status.CONFIRMED if same_child else MatchReview.Status.REJECTED
    review.decided_by = actor
    review.decided_at = now
    review.reason = reason
    review.save()
    record_write(actor=actor, action=AuditEvent.Action.UPDATE, instance=review, changes=diff(before, snapshot(review)))
    a, b = review.record_a, review.record_b
    label = actor_label(actor)
    if same_child and a.child_id and b.child_id and a.child_id != b.child_id:
        sizes = dict(
            Child.objects.filter(pk__in=[a.child_id, b.child_id]).annotate(n=Count("records")).values_list("pk", "n")
        )
        survivor, merged = sorted([a.child_id, b.child_id], key=lambda pk: (-sizes.get(pk, 0), pk))
        AgencyRecord.objects.filter(child_id=merged).update(child_id=survivor)
        Child.objects.filter(pk=merged).update(status=Child.Status.MERGED, merged_into_id=survivor)
        IdentityChange.objects.create(
            kind=IdentityChange.Kind.MERGED,
            child_id=survivor,
            other_id=merged,
            reason=f"{label} confirmed {a.unique_id} and {b.unique_id} are the same child: {reason}"[:300],
            record_ids=[a.unique_id, b.unique_id],
            at=now,
        )
    elif not same_child and a.child_id and a.child_id == b.child_id:
        child = Child.objects.create(created_at=now)
        b.child = child
        b.save(update_fields=["child"])
        IdentityChange.objects.create(
            kind=IdentityChange.Kind.SPLIT,
            child_id=a.child_id,
            other=child,
            reason=f"{label} decided {a.unique_id} and {b.unique_id} are different children: {reason}"[:300],
            record_ids=[b.unique_id],
            at=now,
        )
    return review


def lookup_audited(
    *, details: dict[str, str], purpose: str, actor: Actor, ip_address: str | None = None
) -> list[selectors.KnownChild] | None:
    """Search for a child, recording the search (what was asked, and why) and a read of
    each child found, so the child's record shows who looked and why."""
    if not purpose.strip():
        raise ValueError("A search for a child needs a purpose.")
    results = selectors.lookup_unscoped(details)
    record_event(
        actor=actor,
        action=AuditEvent.Action.READ,
        details={"search": {k: v for k, v in details.items() if v}, "found": [r.reference for r in results or []]},
        purpose=purpose,
        ip_address=ip_address,
    )
    for child in Child.objects.filter(reference__in=[r.reference for r in results or []]):
        record_child_read(actor=actor, instance=child, purpose=purpose, ip_address=ip_address)
    return results
