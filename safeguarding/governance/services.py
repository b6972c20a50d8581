"""Writes for governance. Each takes the actor and records an audit event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet

from safeguarding.accounts.models import Organisation, Person
from safeguarding.accounts.selectors import post_held_on
from safeguarding.core.audit import Actor, record_write, snapshot
from safeguarding.core.models import AuditEvent
from safeguarding.core.services import create_audited, update_audited
from safeguarding.core.uploads import check_document
from safeguarding.governance import rules
from safeguarding.governance.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Group,
    LawfulBasis,
    Meeting,
    Membership,
    Paper,
    Priority,
    PriorityUpdate,
    ScrutinyRecommendation,
    ScrutinyResponse,
    SharingAgreement,
)

A = AuditEvent.Action


_create = create_audited
_update = update_audited


# Groups and members ------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    code: str,
    name: str,
    kind: str,
    actor: Actor,
    purpose: str = "",
    quorum_minimum: int = 0,
    quorum_needs_each_statutory_partner: bool = False,
) -> Group:
    return _create(
        Group(
            code=code,
            name=name,
            kind=kind,
            purpose=purpose,
            quorum_minimum=quorum_minimum,
            quorum_needs_each_statutory_partner=quorum_needs_each_statutory_partner,
        ),
        actor,
    )


@transaction.atomic
def membership_add(
    *,
    group: Group,
    person: Person,
    organisation: Organisation,
    expected_seniority: str,
    started_on: datetime.date,
    actor: Actor,
    role_in_group: str = "member",
    ended_on: datetime.date | None = None,
) -> Membership:
    return _create(
        Membership(
            group=group,
            person=person,
            organisation=organisation,
            expected_seniority=expected_seniority,
            started_on=started_on,
            role_in_group=role_in_group,
            ended_on=ended_on,
        ),
        actor,
    )


@transaction.atomic
def membership_end(*, membership: Membership, ended_on: datetime.date, actor: Actor) -> Membership:
    return _update(membership, actor, ended_on=ended_on)


# Meetings ---------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    group: Group,
    date: datetime.date,
    mode: str,
    actor: Actor,
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
    venue: str = "",
    status: str = Meeting.Status.SCHEDULED,
    agenda: Iterable[str] = (),
) -> Meeting:
    meeting = _create(
        Meeting(group=group, date=date, mode=mode, starts_at=starts_at, ends_at=ends_at, venue=venue, status=status),
        actor,
    )
    for position, title in enumerate(agenda, start=1):
        _create(AgendaItem(meeting=meeting, position=position, title=title), actor)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: Actor, **fields: Any) -> Meeting:
    return _update(meeting, actor, **fields)


@transaction.atomic
def meeting_add_paper(*, meeting: Meeting, title: str, uploaded: File[bytes], actor: Actor) -> Paper:
    checked = check_document(uploaded)
    return _create(
        Paper(
            meeting=meeting,
            title=title,
            file=uploaded,
            content_type=checked.content_type,
            size_bytes=checked.size_bytes,
        ),
        actor,
    )


def members_expected(meeting: Meeting) -> QuerySet[Membership]:
    """The memberships in force on the meeting's date: the register's rows."""
    return (
        meeting.group.memberships.filter(started_on__lte=meeting.date)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=meeting.date))
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__full_name")
    )


@dataclass(frozen=True)
class RegisterEntry:
    person: Person
    status: str
    deputy: Person | None = None
    deputy_organisation: Organisation | None = None
    deputy_job_title: str = ""
    deputy_seniority: str = ""


@transaction.atomic
def meeting_record_attendance(*, meeting: Meeting, entries: Iterable[RegisterEntry], actor: Actor) -> Meeting:
    """Save the register for a meeting, replacing any earlier one, and work out
    whether it was quorate. A deputy's job and seniority are taken from the post
    they held on the day unless given, so later promotions do not rewrite history."""
    expected = {m.person_id: m for m in members_expected(meeting)}
    entries = list(entries)
    errors = []
    seen = set()
    for entry in entries:
        if entry.person.pk in seen:
            errors.append(f"{entry.person} is on the register more than once.")
        seen.add(entry.person.pk)
        if entry.person.pk not in expected:
            errors.append(f"{entry.person} is not a member of {meeting.group} on {meeting.date:%-d %B %Y}.")
        if entry.status == Attendance.Status.DEPUTY and entry.deputy is None:
            errors.append(f"Name the deputy who attended for {entry.person}.")
    if errors:
        raise ValidationError(errors)

    before = {a.person_id: a.status for a in meeting.attendance.all()}
    meeting.attendance.all().delete()
    rows = []
    for entry in entries:
        membership = expected[entry.person.pk]
        deputy_fields = {}
        if entry.status == Attendance.Status.DEPUTY:
            assert entry.deputy is not None  # refused above
            post = post_held_on(entry.deputy, meeting.date)
            deputy_fields = {
                "deputy": entry.deputy,
                "deputy_organisation": entry.deputy_organisation
                or (post.organisation if post else membership.organisation),
                "deputy_job_title": entry.deputy_job_title or (post.job_title if post else ""),
                "deputy_seniority": entry.deputy_seniority or (post.seniority if post else "practitioner"),
            }
        rows.append(
            Attendance(
                meeting=meeting,
                person=entry.person,
                organisation=membership.organisation,
                status=entry.status,
                expected_seniority=membership.expected_seniority,
                **deputy_fields,
            )
        )
    Attendance.objects.bulk_create(rows)
    present_kinds = [rules.quorum_kind(row.organisation) for row in rows if row.status in rules.PRESENT_STATUSES]
    quorate = rules.is_quorate(
        minimum_present=meeting.group.quorum_minimum,
        needs_each_statutory_partner=meeting.group.quorum_needs_each_statutory_partner,
        present_organisation_kinds=present_kinds,
    )
    Meeting.objects.filter(pk=meeting.pk).update(quorate=quorate, status=Meeting.Status.HELD)
    meeting.quorate, meeting.status = quorate, Meeting.Status.HELD
    after = {row.person_id: row.status for row in rows}
    record_write(
        actor=actor,
        action=A.UPDATE,
        instance=meeting,
        changes={"register": [before, after], "quorate": quorate},
    )
    return meeting


# Actions and decisions ---------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    reference: str,
    title: str,
    owner_organisation: Organisation,
    created_on: datetime.date,
    actor: Actor,
    due_on: datetime.date | None = None,
    description: str = "",
    owner_person: Person | None = None,
    meeting: Meeting | None = None,
    recommendation: ScrutinyRecommendation | None = None,
    is_decision: bool = False,
    status: str = Action.Status.OPEN,
    completed_on: datetime.date | None = None,
) -> Action:
    return _create(
        Action(
            reference=reference,
            title=title,
            description=description,
            owner_organisation=owner_organisation,
            owner_person=owner_person,
            due_on=due_on,
            meeting=meeting,
            recommendation=recommendation,
            is_decision=is_decision,
            created_on=created_on,
            status=status,
            completed_on=completed_on,
        ),
        actor,
    )


@transaction.atomic
def action_add_update(
    *, action: Action, on: datetime.date, note: str, status_after: str, actor: Actor, evidence: str = ""
) -> ActionUpdate:
    update = _create(ActionUpdate(action=action, on=on, note=note, status_after=status_after, evidence=evidence), actor)
    completed_on = on if status_after == Action.Status.DONE else None
    _update(action, actor, status=status_after, completed_on=completed_on)
    return update


# Priorities -------------------------------------------------------------------------------


@transaction.atomic
def priority_create(
    *,
    code: str,
    title: str,
    started_on: datetime.date,
    actor: Actor,
    objectives: str = "",
    success_measures: str = "",
    lead_organisation: Organisation | None = None,
    ended_on: datetime.date | None = None,
) -> Priority:
    return _create(
        Priority(
            code=code,
            title=title,
            started_on=started_on,
            objectives=objectives,
            success_measures=success_measures,
            lead_organisation=lead_organisation,
            ended_on=ended_on,
        ),
        actor,
    )


@transaction.atomic
def priority_add_update(
    *, priority: Priority, on: datetime.date, rating: str, narrative: str, actor: Actor, decision: str = ""
) -> PriorityUpdate:
    return _create(
        PriorityUpdate(priority=priority, on=on, rating=rating, narrative=narrative, decision=decision), actor
    )


# Information sharing agreements -----------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    reference: str,
    title: str,
    purpose: str,
    data_shared: str,
    parties: Iterable[Organisation],
    lawful_bases: Iterable[LawfulBasis],
    review_due_on: datetime.date,
    actor: Actor,
    signed_on: datetime.date | None = None,
    document: File[bytes] | None = None,
) -> SharingAgreement:
    agreement = SharingAgreement(
        reference=reference,
        title=title,
        purpose=purpose,
        data_shared=data_shared,
        review_due_on=review_due_on,
        signed_on=signed_on,
    )
    if document is not None:
        check_document(document)
        agreement.document = document
    parties, lawful_bases = list(parties), list(lawful_bases)
    if len(parties) < 2:
        raise ValidationError("An information sharing agreement needs at least two parties.")
    if not lawful_bases:
        raise ValidationError("Give at least one lawful basis for sharing.")
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(parties)
    agreement.lawful_bases.set(lawful_bases)
    record_write(
        actor=actor,
        action=A.CREATE,
        instance=agreement,
        changes=snapshot(agreement)
        | {"parties": sorted(p.code for p in parties), "lawful_bases": sorted(b.code for b in lawful_bases)},
    )
    return agreement


@transaction.atomic
def agreement_renew(
    *, agreement: SharingAgreement, signed_on: datetime.date, review_due_on: datetime.date, actor: Actor
) -> SharingAgreement:
    return _update(agreement, actor, signed_on=signed_on, review_due_on=review_due_on)


@transaction.atomic
def lawful_basis_create(*, code: str, title: str, actor: Actor) -> LawfulBasis:
    return _create(LawfulBasis(code=code, title=title), actor)


# Independent scrutiny ---------------------------------------------------------------------


@transaction.atomic
def recommendation_create(
    *,
    reference: str,
    made_on: datetime.date,
    scrutineer: Person,
    finding: str,
    recommendation: str,
    addressed_to: Iterable[Organisation],
    actor: Actor,
) -> ScrutinyRecommendation:
    item = ScrutinyRecommendation(
        reference=reference, made_on=made_on, scrutineer=scrutineer, finding=finding, recommendation=recommendation
    )
    item.full_clean()
    item.save()
    addressed_to = list(addressed_to)
    item.addressed_to.set(addressed_to)
    record_write(
        actor=actor,
        action=A.CREATE,
        instance=item,
        changes=snapshot(item) | {"addressed_to": sorted(o.code for o in addressed_to)},
    )
    return item


@transaction.atomic
def response_record(
    *,
    recommendation: ScrutinyRecommendation,
    organisation: Organisation,
    response: str,
    responded_on: datetime.date,
    actor: Actor,
    reason: str = "",
) -> ScrutinyResponse:
    if not recommendation.addressed_to.filter(pk=organisation.pk).exists():
        raise ValidationError(f"{recommendation.reference} was not addressed to {organisation}.")
    reason = reason.strip()
    existing = recommendation.responses.filter(organisation=organisation).first()
    if existing is not None:
        return _update(existing, actor, response=response, reason=reason, responded_on=responded_on)
    return _create(
        ScrutinyResponse(
            recommendation=recommendation,
            organisation=organisation,
            response=response,
            reason=reason,
            responded_on=responded_on,
        ),
        actor,
    )
