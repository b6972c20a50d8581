"""Data package files for governance: groups, memberships, meetings, attendance,
actions and their updates, priorities and their updates, lawful bases, sharing
agreements, and the scrutineer's recommendations and the partners' responses."""

from safeguarding.accounts.datapackage import find_person, person_key
from safeguarding.accounts.models import Organisation, Seniority
from safeguarding.core.audit import record_write
from safeguarding.core.datapackage import STAFF_ONLY, Column, FileSpec, _cell, ends_after_starts, register, upsert
from safeguarding.core.models import AuditEvent
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
    Priority,
    PriorityUpdate,
    ScrutinyRecommendation,
    ScrutinyResponse,
    SharingAgreement,
)

SENIORITIES = tuple(Seniority.values)


def _org(code):
    return Organisation.objects.get(code=code) if code else None


def _person(key):
    return find_person(key) if key else None


def meeting_key(group_code: str, date, starts_at) -> str:
    return f"{group_code}/{_cell(date)}" + (f"/{_cell(starts_at)}" if starts_at else "")


def _meeting_for_key(key: str) -> Meeting:
    parts = key.split("/")
    lookup = {"group__code": parts[0], "date": parts[1]}
    lookup |= {"starts_at": parts[2]} if len(parts) > 2 else {"starts_at__isnull": True}
    return Meeting.objects.get(**lookup)


def _load_group(row, actor):
    return upsert(
        Group,
        {"code": row["code"]},
        {
            "name": row["name"],
            "kind": row["kind"],
            "purpose": row["purpose"] or "",
            "quorum_minimum": row["quorum_minimum"] or 0,
            "quorum_needs_each_statutory_partner": bool(row["quorum_needs_each_statutory_partner"]),
        },
        actor,
    )


def _load_membership(row, actor):
    return upsert(
        Membership,
        {
            "group": Group.objects.get(code=row["group"]),
            "person": _person(row["person_key"]),
            "started_on": row["started_on"],
        },
        {
            "organisation": _org(row["organisation"]),
            "role_in_group": row["role_in_group"],
            "expected_seniority": row["expected_seniority"],
            "ended_on": row["ended_on"],
        },
        actor,
    )


def _load_meeting(row, actor):
    group = Group.objects.get(code=row["group"])
    result = upsert(
        Meeting,
        {"group": group, "date": row["date"], "starts_at": row["starts_at"]},
        {
            "ends_at": row["ends_at"],
            "mode": row["mode"],
            "venue": row["venue"] or "",
            "status": row["status"],
            "minutes": row["minutes"] or "",
        },
        actor,
    )
    meeting = Meeting.objects.get(group=group, date=row["date"], starts_at=row["starts_at"])
    titles = [t.strip() for t in (row["agenda"] or "").split("|") if t.strip()]
    before = [i.title for i in meeting.agenda_items.all()]
    if before != titles:
        # The agenda is the meeting's ordered list of titles, so it is replaced whole.
        meeting.agenda_items.all().delete()
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=n, title=t) for n, t in enumerate(titles, start=1)
        )
        record_write(
            actor=actor, action=AuditEvent.Action.UPDATE, instance=meeting, changes={"agenda": [before, titles]}
        )
        result = "updated" if result == "unchanged" else result
    return result


def _load_attendance(row, actor):
    return upsert(
        Attendance,
        {"meeting": _meeting_for_key(row["meeting"]), "person": _person(row["person_key"])},
        {
            "organisation": _org(row["organisation"]),
            "status": row["status"],
            "deputy": _person(row["deputy_person_key"]),
            "deputy_organisation": _org(row["deputy_organisation"]),
            "deputy_job_title": row["deputy_job_title"] or "",
            "deputy_seniority": row["deputy_seniority"] or "",
            "expected_seniority": row["expected_seniority"] or "",
        },
        actor,
    )


def _recompute_quorum(rows, actor):
    for key in {row["meeting"] for row in rows}:
        meeting = _meeting_for_key(key)
        present = [
            rules.quorum_kind(a.organisation)
            for a in meeting.attendance.select_related("organisation")
            if a.status in rules.PRESENT_STATUSES
        ]
        quorate = rules.is_quorate(
            minimum_present=meeting.group.quorum_minimum,
            needs_each_statutory_partner=meeting.group.quorum_needs_each_statutory_partner,
            present_organisation_kinds=present,
        )
        Meeting.objects.filter(pk=meeting.pk).update(quorate=quorate)


def _check_attendance(rows):
    for number, row in rows:
        if row["status"] == Attendance.Status.DEPUTY:
            for column in ("deputy_person_key", "deputy_seniority"):
                if not row[column]:
                    yield number, column, "a value is required when the status is deputy."
        elif row["deputy_person_key"]:
            yield number, "deputy_person_key", "give a deputy only when the status is deputy."


def _check_actions(rows):
    for number, row in rows:
        if row["status"] == Action.Status.DONE and not row["completed_on"]:
            yield number, "completed_on", "a value is required when the status is done."
        if not row["is_decision"] and not row["due_on"]:
            yield number, "due_on", "a value is required for an action (only a decision may have none)."


def _check_agreements(rows):
    for number, row in rows:
        if len(row["parties"]) < 2:
            yield number, "parties", "an information sharing agreement needs at least two parties."
        if row["signed_on"] and row["review_due_on"] <= row["signed_on"]:
            yield number, "review_due_on", f"{row['review_due_on']} is not after signed_on ({row['signed_on']})."


def _check_responses(rows):
    for number, row in rows:
        if row["response"] != ScrutinyResponse.Response.ACCEPTED and not row["reason"]:
            yield number, "reason", "a value is required unless the response is accepted."


def _load_action(row, actor):
    return upsert(
        Action,
        {"reference": row["reference"]},
        {
            "title": row["title"],
            "description": row["description"] or "",
            "meeting": _meeting_for_key(row["meeting"]) if row["meeting"] else None,
            "recommendation": ScrutinyRecommendation.objects.get(reference=row["recommendation"])
            if row["recommendation"]
            else None,
            "is_decision": bool(row["is_decision"]),
            "owner_organisation": _org(row["owner_organisation"]),
            "owner_person": _person(row["owner_person_key"]),
            "due_on": row["due_on"],
            "status": row["status"],
            "completed_on": row["completed_on"],
            "created_on": row["created_on"],
        },
        actor,
    )


def _load_action_update(row, actor):
    return upsert(
        ActionUpdate,
        {"action": Action.objects.get(reference=row["action"]), "on": row["on"], "note": row["note"]},
        {"evidence": row["evidence"] or "", "status_after": row["status_after"]},
        actor,
    )


def _load_priority(row, actor):
    return upsert(
        Priority,
        {"code": row["code"]},
        {
            "title": row["title"],
            "objectives": row["objectives"] or "",
            "success_measures": row["success_measures"] or "",
            "lead_organisation": _org(row["lead_organisation"]),
            "started_on": row["started_on"],
            "ended_on": row["ended_on"],
        },
        actor,
    )


def _load_priority_update(row, actor):
    return upsert(
        PriorityUpdate,
        {"priority": Priority.objects.get(code=row["priority"]), "on": row["on"], "narrative": row["narrative"]},
        {"rating": row["rating"], "decision": row["decision"] or ""},
        actor,
    )


def _load_agreement(row, actor):
    return upsert(
        SharingAgreement,
        {"reference": row["reference"]},
        {
            "title": row["title"],
            "purpose": row["purpose"],
            "data_shared": row["data_shared"],
            "signed_on": row["signed_on"],
            "review_due_on": row["review_due_on"],
        },
        actor,
        m2m={
            "parties": list(Organisation.objects.filter(code__in=row["parties"])),
            "lawful_bases": list(LawfulBasis.objects.filter(code__in=row["lawful_bases"])),
        },
    )


def _load_recommendation(row, actor):
    return upsert(
        ScrutinyRecommendation,
        {"reference": row["reference"]},
        {
            "made_on": row["made_on"],
            "scrutineer": _person(row["scrutineer_person_key"]),
            "finding": row["finding"],
            "recommendation": row["recommendation"],
        },
        actor,
        m2m={"addressed_to": list(Organisation.objects.filter(code__in=row["addressed_to"]))},
    )


def _load_response(row, actor):
    return upsert(
        ScrutinyResponse,
        {
            "recommendation": ScrutinyRecommendation.objects.get(reference=row["recommendation"]),
            "organisation": _org(row["organisation"]),
        },
        {"response": row["response"], "reason": row["reason"] or "", "responded_on": row["responded_on"]},
        actor,
    )


def _code(obj):
    return obj.code if obj else None


def _pkey(person):
    return person_key(person) if person else None


def _mkey(meeting):
    return meeting_key(meeting.group.code, meeting.date, meeting.starts_at) if meeting else None


register(
    FileSpec(
        name="groups.csv",
        partner=STAFF_ONLY,
        provides="group",
        description="The Board, the Delegated Partners' group and subgroups.",
        columns=[
            Column("code", required=True),
            Column("name", required=True),
            Column("kind", "choice", True, tuple(Group.Kind.values)),
            Column("purpose"),
            Column("quorum_minimum", "int"),
            Column("quorum_needs_each_statutory_partner", "bool"),
        ],
        key=lambda r: _cell(r["code"]),
        existing_keys=lambda: set(Group.objects.values_list("code", flat=True)),
        load=_load_group,
        export=lambda: (
            {
                "code": g.code,
                "name": g.name,
                "kind": g.kind,
                "purpose": g.purpose,
                "quorum_minimum": g.quorum_minimum,
                "quorum_needs_each_statutory_partner": g.quorum_needs_each_statutory_partner,
            }
            for g in Group.objects.all()
        ),
    ),
    FileSpec(
        name="memberships.csv",
        partner=STAFF_ONLY,
        check=ends_after_starts(),
        provides="membership",
        description="Who sits on each group, and from when.",
        columns=[
            Column("group", "ref", True, ref="group"),
            Column("person_key", "ref", True, ref="person"),
            Column("organisation", "ref", True, ref="organisation"),
            Column("role_in_group", "choice", True, tuple(Membership.RoleInGroup.values)),
            Column("expected_seniority", "choice", True, SENIORITIES),
            Column("started_on", "date", True),
            Column("ended_on", "date"),
        ],
        key=lambda r: f"{r['group']}|{r['person_key']}|{_cell(r['started_on'])}",
        existing_keys=lambda: set(),
        load=_load_membership,
        export=lambda: (
            {
                "group": m.group.code,
                "person_key": person_key(m.person),
                "organisation": m.organisation.code,
                "role_in_group": m.role_in_group,
                "expected_seniority": m.expected_seniority,
                "started_on": m.started_on,
                "ended_on": m.ended_on,
            }
            for m in Membership.objects.select_related("group", "person", "organisation")
        ),
    ),
    FileSpec(
        name="meetings.csv",
        partner=STAFF_ONLY,
        provides="meeting",
        description="Meetings; the key other files use is group/date or group/date/HH:MM.",
        columns=[
            Column("group", "ref", True, ref="group"),
            Column("date", "date", True),
            Column("starts_at", "time"),
            Column("ends_at", "time"),
            Column("mode", "choice", True, tuple(Meeting.Mode.values)),
            Column("venue"),
            Column("status", "choice", True, tuple(Meeting.Status.values)),
            Column("agenda", help="agenda items separated by |"),
            Column("minutes"),
        ],
        key=lambda r: meeting_key(r["group"], r["date"], r["starts_at"]),
        existing_keys=lambda: {_mkey(m) for m in Meeting.objects.select_related("group")},
        load=_load_meeting,
        export=lambda: (
            {
                "group": m.group.code,
                "date": m.date,
                "starts_at": m.starts_at,
                "ends_at": m.ends_at,
                "mode": m.mode,
                "venue": m.venue,
                "status": m.status,
                "minutes": m.minutes,
                "agenda": "|".join(i.title for i in m.agenda_items.all()),
            }
            for m in Meeting.objects.select_related("group").prefetch_related("agenda_items")
        ),
    ),
    FileSpec(
        name="attendance.csv",
        partner=STAFF_ONLY,
        check=_check_attendance,
        provides="attendance",
        description="The register: one row per member per meeting.",
        columns=[
            Column("meeting", "ref", True, ref="meeting"),
            Column("person_key", "ref", True, ref="person"),
            Column("organisation", "ref", True, ref="organisation"),
            Column("status", "choice", True, tuple(Attendance.Status.values)),
            Column("deputy_person_key", "ref", ref="person"),
            Column("deputy_organisation", "ref", ref="organisation"),
            Column("deputy_job_title"),
            Column("deputy_seniority", "choice", choices=SENIORITIES),
            Column("expected_seniority", "choice", choices=SENIORITIES),
        ],
        key=lambda r: f"{r['meeting']}|{r['person_key']}",
        existing_keys=lambda: set(),
        load=_load_attendance,
        after_load=_recompute_quorum,
        export=lambda: (
            {
                "meeting": _mkey(a.meeting),
                "person_key": person_key(a.person),
                "organisation": a.organisation.code,
                "status": a.status,
                "deputy_person_key": _pkey(a.deputy),
                "deputy_organisation": _code(a.deputy_organisation),
                "deputy_job_title": a.deputy_job_title,
                "deputy_seniority": a.deputy_seniority,
                "expected_seniority": a.expected_seniority,
            }
            for a in Attendance.objects.select_related(
                "meeting__group", "person", "organisation", "deputy", "deputy_organisation"
            )
        ),
    ),
    FileSpec(
        name="priorities.csv",
        partner=STAFF_ONLY,
        check=ends_after_starts(),
        provides="priority",
        description="Strategic priorities.",
        columns=[
            Column("code", required=True),
            Column("title", required=True),
            Column("objectives"),
            Column("success_measures"),
            Column("lead_organisation", "ref", ref="organisation"),
            Column("started_on", "date", True),
            Column("ended_on", "date"),
        ],
        key=lambda r: _cell(r["code"]),
        existing_keys=lambda: set(Priority.objects.values_list("code", flat=True)),
        load=_load_priority,
        export=lambda: (
            {
                "code": p.code,
                "title": p.title,
                "objectives": p.objectives,
                "success_measures": p.success_measures,
                "lead_organisation": _code(p.lead_organisation),
                "started_on": p.started_on,
                "ended_on": p.ended_on,
            }
            for p in Priority.objects.select_related("lead_organisation")
        ),
    ),
    FileSpec(
        name="priority_updates.csv",
        partner=STAFF_ONLY,
        provides="priority_update",
        description="Dated progress ratings.",
        columns=[
            Column("priority", "ref", True, ref="priority"),
            Column("on", "date", True),
            Column("rating", "choice", True, tuple(PriorityUpdate.Rating.values)),
            Column("narrative", required=True),
            Column("decision"),
        ],
        key=lambda r: f"{r['priority']}|{_cell(r['on'])}|{r['narrative']}",
        existing_keys=lambda: set(),
        load=_load_priority_update,
        export=lambda: (
            {
                "priority": u.priority.code,
                "on": u.on,
                "rating": u.rating,
                "narrative": u.narrative,
                "decision": u.decision,
            }
            for u in PriorityUpdate.objects.select_related("priority")
        ),
    ),
    FileSpec(
        name="lawful_bases.csv",
        partner=STAFF_ONLY,
        provides="lawful_basis",
        description="The maintained list of lawful bases.",
        columns=[Column("code", required=True), Column("title", required=True)],
        key=lambda r: _cell(r["code"]),
        existing_keys=lambda: set(LawfulBasis.objects.values_list("code", flat=True)),
        load=lambda row, actor: upsert(LawfulBasis, {"code": row["code"]}, {"title": row["title"]}, actor),
        export=lambda: ({"code": b.code, "title": b.title} for b in LawfulBasis.objects.all()),
    ),
    FileSpec(
        name="agreements.csv",
        partner=STAFF_ONLY,
        check=_check_agreements,
        provides="agreement",
        description="Information sharing agreements.",
        columns=[
            Column("reference", required=True),
            Column("title", required=True),
            Column("purpose", required=True),
            Column("data_shared", required=True),
            Column("parties", "refs", True, ref="organisation"),
            Column("lawful_bases", "refs", True, ref="lawful_basis"),
            Column("signed_on", "date"),
            Column("review_due_on", "date", True),
        ],
        key=lambda r: _cell(r["reference"]),
        existing_keys=lambda: set(SharingAgreement.objects.values_list("reference", flat=True)),
        load=_load_agreement,
        export=lambda: (
            {
                "reference": a.reference,
                "title": a.title,
                "purpose": a.purpose,
                "data_shared": a.data_shared,
                "parties": [p.code for p in a.parties.all()],
                "lawful_bases": [b.code for b in a.lawful_bases.all()],
                "signed_on": a.signed_on,
                "review_due_on": a.review_due_on,
            }
            for a in SharingAgreement.objects.prefetch_related("parties", "lawful_bases")
        ),
    ),
    FileSpec(
        name="scrutiny_recommendations.csv",
        partner=STAFF_ONLY,
        provides="recommendation",
        description="The independent scrutineer's findings and recommendations.",
        columns=[
            Column("reference", required=True),
            Column("made_on", "date", True),
            Column("scrutineer_person_key", "ref", True, ref="person"),
            Column("finding", required=True),
            Column("recommendation", required=True),
            Column("addressed_to", "refs", True, ref="organisation"),
        ],
        key=lambda r: _cell(r["reference"]),
        existing_keys=lambda: set(ScrutinyRecommendation.objects.values_list("reference", flat=True)),
        load=_load_recommendation,
        export=lambda: (
            {
                "reference": r.reference,
                "made_on": r.made_on,
                "scrutineer_person_key": person_key(r.scrutineer),
                "finding": r.finding,
                "recommendation": r.recommendation,
                "addressed_to": [o.code for o in r.addressed_to.all()],
            }
            for r in ScrutinyRecommendation.objects.select_related("scrutineer").prefetch_related("addressed_to")
        ),
    ),
    FileSpec(
        name="scrutiny_responses.csv",
        partner=STAFF_ONLY,
        check=_check_responses,
        provides="response",
        description="Each partner's response.",
        columns=[
            Column("recommendation", "ref", True, ref="recommendation"),
            Column("organisation", "ref", True, ref="organisation"),
            Column("response", "choice", True, tuple(ScrutinyResponse.Response.values)),
            Column("reason"),
            Column("responded_on", "date", True),
        ],
        key=lambda r: f"{r['recommendation']}|{r['organisation']}",
        existing_keys=lambda: set(),
        load=_load_response,
        export=lambda: (
            {
                "recommendation": r.recommendation.reference,
                "organisation": r.organisation.code,
                "response": r.response,
                "reason": r.reason,
                "responded_on": r.responded_on,
            }
            for r in ScrutinyResponse.objects.select_related("recommendation", "organisation")
        ),
    ),
    FileSpec(
        name="actions.csv",
        partner=STAFF_ONLY,
        check=_check_actions,
        provides="action",
        description="Decisions and actions from meetings or scrutiny.",
        columns=[
            Column("reference", required=True),
            Column("title", required=True),
            Column("description"),
            Column("meeting", "ref", ref="meeting"),
            Column("recommendation", "ref", ref="recommendation"),
            Column("is_decision", "bool"),
            Column("owner_organisation", "ref", True, ref="organisation"),
            Column("owner_person_key", "ref", ref="person"),
            Column("due_on", "date"),
            Column("status", "choice", True, tuple(Action.Status.values)),
            Column("completed_on", "date"),
            Column("created_on", "date", True),
        ],
        key=lambda r: _cell(r["reference"]),
        existing_keys=lambda: set(Action.objects.values_list("reference", flat=True)),
        load=_load_action,
        export=lambda: (
            {
                "reference": a.reference,
                "title": a.title,
                "description": a.description,
                "meeting": _mkey(a.meeting),
                "recommendation": a.recommendation.reference if a.recommendation else None,
                "is_decision": a.is_decision,
                "owner_organisation": a.owner_organisation.code,
                "owner_person_key": _pkey(a.owner_person),
                "due_on": a.due_on,
                "status": a.status,
                "completed_on": a.completed_on,
                "created_on": a.created_on,
            }
            for a in Action.objects.select_related(
                "meeting__group", "recommendation", "owner_organisation", "owner_person"
            )
        ),
    ),
    FileSpec(
        name="action_updates.csv",
        partner=STAFF_ONLY,
        provides="action_update",
        description="Dated progress on actions, with evidence.",
        columns=[
            Column("action", "ref", True, ref="action"),
            Column("on", "date", True),
            Column("note", required=True),
            Column("evidence"),
            Column("status_after", "choice", True, tuple(Action.Status.values)),
        ],
        key=lambda r: f"{r['action']}|{_cell(r['on'])}|{r['note']}",
        existing_keys=lambda: set(),
        load=_load_action_update,
        export=lambda: (
            {
                "action": u.action.reference,
                "on": u.on,
                "note": u.note,
                "evidence": u.evidence,
                "status_after": u.status_after,
            }
            for u in ActionUpdate.objects.select_related("action")
        ),
    ),
)
