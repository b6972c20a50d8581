"""Data package files for governance: groups, memberships, meetings, attendance,
actions and their updates, priorities and their updates, lawful bases, sharing
agreements, and the scrutineer's recommendations and the partners' responses."""

from safeguarding.accounts.datapackage import organisation_column, person_column
from safeguarding.accounts.models import Seniority
from safeguarding.core.datapackage import STAFF_ONLY, Column, FileSpec, _cell, ends_after_starts, keyed_by, register
from safeguarding.core.datapackage_writer import replace_children, update
from safeguarding.governance import rules
from safeguarding.governance.models import (
    Action,
    ActionUpdate,
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


def meeting_key(group_code: str, date, starts_at) -> str:
    return f"{group_code}/{_cell(date)}" + (f"/{_cell(starts_at)}" if starts_at else "")


def _meeting_for_key(key: str) -> Meeting:
    parts = key.split("/")
    lookup = {"group__code": parts[0], "date": parts[1]}
    lookup |= {"starts_at": parts[2]} if len(parts) > 2 else {"starts_at__isnull": True}
    return Meeting.objects.get(**lookup)


def _mkey(meeting: Meeting) -> str:
    return meeting_key(meeting.group.code, meeting.date, meeting.starts_at)


def meeting_column(name: str, field: str = "", *, required: bool = False) -> Column:
    """A column naming a meeting by group/date or group/date/HH:MM (the file selects meeting__group)."""
    return Column(name, "ref", required, ref="meeting", field=field, to_model=_meeting_for_key, from_model=_mkey)


def _write_agenda(meeting: Meeting, row, actor) -> str:
    titles = [t.strip() for t in (row["agenda"] or "").split("|") if t.strip()]
    return replace_children(meeting, "agenda_items", "title", titles, actor, column="agenda")


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
        update(meeting, {"quorate": quorate}, actor)


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


register(
    FileSpec(
        name="groups.csv",
        partner=STAFF_ONLY,
        provides="group",
        description="The Board, the Delegated Partners' group and subgroups.",
        model=Group,
        lookup=("code",),
        columns=[
            Column("code", required=True),
            Column("name", required=True),
            Column("kind", "choice", True, tuple(Group.Kind.values)),
            Column("purpose"),
            Column("quorum_minimum", "int", blank=0),
            Column("quorum_needs_each_statutory_partner", "bool"),
        ],
        key=keyed_by("code"),
        existing_keys=lambda: set(Group.objects.values_list("code", flat=True)),
    ),
    FileSpec(
        name="memberships.csv",
        partner=STAFF_ONLY,
        check=ends_after_starts(),
        provides="membership",
        description="Who sits on each group, and from when.",
        model=Membership,
        lookup=("group", "person", "started_on"),
        columns=[
            Column("group", "ref", True, ref="group", via="code"),
            person_column("person_key", "person", required=True),
            organisation_column("organisation"),
            Column("role_in_group", "choice", True, tuple(Membership.RoleInGroup.values)),
            Column("expected_seniority", "choice", True, SENIORITIES),
            Column("started_on", "date", True),
            Column("ended_on", "date"),
        ],
        key=keyed_by("group", "person_key", "started_on"),
    ),
    FileSpec(
        name="meetings.csv",
        partner=STAFF_ONLY,
        provides="meeting",
        description="Meetings; the key other files use is group/date or group/date/HH:MM.",
        model=Meeting,
        lookup=("group", "date", "starts_at"),
        columns=[
            Column("group", "ref", True, ref="group", via="code"),
            Column("date", "date", True),
            Column("starts_at", "time"),
            Column("ends_at", "time"),
            Column("mode", "choice", True, tuple(Meeting.Mode.values)),
            Column("venue"),
            Column("status", "choice", True, tuple(Meeting.Status.values)),
            Column(
                "agenda",
                help="agenda items separated by |",
                field="agenda_items",
                from_model=lambda items: "|".join(i.title for i in items.all()),
            ),
            Column("minutes"),
        ],
        # The agenda is the meeting's ordered list of titles, so it is replaced whole.
        write_children=_write_agenda,
        key=lambda r: meeting_key(r["group"], r["date"], r["starts_at"]),
        existing_keys=lambda: {_mkey(m) for m in Meeting.objects.select_related("group")},
    ),
    FileSpec(
        name="attendance.csv",
        partner=STAFF_ONLY,
        check=_check_attendance,
        provides="attendance",
        description="The register: one row per member per meeting.",
        model=Attendance,
        lookup=("meeting", "person"),
        select_related=("meeting__group",),
        columns=[
            meeting_column("meeting", required=True),
            person_column("person_key", "person", required=True),
            organisation_column("organisation"),
            Column("status", "choice", True, tuple(Attendance.Status.values)),
            person_column("deputy_person_key", "deputy"),
            organisation_column("deputy_organisation", required=False),
            Column("deputy_job_title"),
            Column("deputy_seniority", "choice", choices=SENIORITIES),
            Column("expected_seniority", "choice", choices=SENIORITIES),
        ],
        key=keyed_by("meeting", "person_key"),
        after_load=_recompute_quorum,
    ),
    FileSpec(
        name="priorities.csv",
        partner=STAFF_ONLY,
        check=ends_after_starts(),
        provides="priority",
        description="Strategic priorities.",
        model=Priority,
        lookup=("code",),
        columns=[
            Column("code", required=True),
            Column("title", required=True),
            Column("objectives"),
            Column("success_measures"),
            organisation_column("lead_organisation", required=False),
            Column("started_on", "date", True),
            Column("ended_on", "date"),
        ],
        key=keyed_by("code"),
        existing_keys=lambda: set(Priority.objects.values_list("code", flat=True)),
    ),
    FileSpec(
        name="priority_updates.csv",
        partner=STAFF_ONLY,
        provides="priority_update",
        description="Dated progress ratings.",
        model=PriorityUpdate,
        lookup=("priority", "on", "narrative"),
        columns=[
            Column("priority", "ref", True, ref="priority", via="code"),
            Column("on", "date", True),
            Column("rating", "choice", True, tuple(PriorityUpdate.Rating.values)),
            Column("narrative", required=True),
            Column("decision"),
        ],
        key=keyed_by("priority", "on", "narrative"),
    ),
    FileSpec(
        name="lawful_bases.csv",
        partner=STAFF_ONLY,
        provides="lawful_basis",
        description="The maintained list of lawful bases.",
        model=LawfulBasis,
        lookup=("code",),
        columns=[Column("code", required=True), Column("title", required=True)],
        key=keyed_by("code"),
        existing_keys=lambda: set(LawfulBasis.objects.values_list("code", flat=True)),
    ),
    FileSpec(
        name="agreements.csv",
        partner=STAFF_ONLY,
        check=_check_agreements,
        provides="agreement",
        description="Information sharing agreements.",
        model=SharingAgreement,
        lookup=("reference",),
        columns=[
            Column("reference", required=True),
            Column("title", required=True),
            Column("purpose", required=True),
            Column("data_shared", required=True),
            Column("parties", "refs", True, ref="organisation", via="code"),
            Column("lawful_bases", "refs", True, ref="lawful_basis", via="code"),
            Column("signed_on", "date"),
            Column("review_due_on", "date", True),
        ],
        key=keyed_by("reference"),
        existing_keys=lambda: set(SharingAgreement.objects.values_list("reference", flat=True)),
    ),
    FileSpec(
        name="scrutiny_recommendations.csv",
        partner=STAFF_ONLY,
        provides="recommendation",
        description="The independent scrutineer's findings and recommendations.",
        model=ScrutinyRecommendation,
        lookup=("reference",),
        columns=[
            Column("reference", required=True),
            Column("made_on", "date", True),
            person_column("scrutineer_person_key", "scrutineer", required=True),
            Column("finding", required=True),
            Column("recommendation", required=True),
            Column("addressed_to", "refs", True, ref="organisation", via="code"),
        ],
        key=keyed_by("reference"),
        existing_keys=lambda: set(ScrutinyRecommendation.objects.values_list("reference", flat=True)),
    ),
    FileSpec(
        name="scrutiny_responses.csv",
        partner=STAFF_ONLY,
        check=_check_responses,
        provides="response",
        description="Each partner's response.",
        model=ScrutinyResponse,
        lookup=("recommendation", "organisation"),
        columns=[
            Column("recommendation", "ref", True, ref="recommendation", via="reference"),
            organisation_column("organisation"),
            Column("response", "choice", True, tuple(ScrutinyResponse.Response.values)),
            Column("reason"),
            Column("responded_on", "date", True),
        ],
        key=keyed_by("recommendation", "organisation"),
    ),
    FileSpec(
        name="actions.csv",
        partner=STAFF_ONLY,
        check=_check_actions,
        provides="action",
        description="Decisions and actions from meetings or scrutiny.",
        model=Action,
        lookup=("reference",),
        select_related=("meeting__group",),
        columns=[
            Column("reference", required=True),
            Column("title", required=True),
            Column("description"),
            meeting_column("meeting"),
            Column("recommendation", "ref", ref="recommendation", via="reference"),
            Column("is_decision", "bool"),
            organisation_column("owner_organisation"),
            person_column("owner_person_key", "owner_person"),
            Column("due_on", "date"),
            Column("status", "choice", True, tuple(Action.Status.values)),
            Column("completed_on", "date"),
            Column("created_on", "date", True),
        ],
        key=keyed_by("reference"),
        existing_keys=lambda: set(Action.objects.values_list("reference", flat=True)),
    ),
    FileSpec(
        name="action_updates.csv",
        partner=STAFF_ONLY,
        provides="action_update",
        description="Dated progress on actions, with evidence.",
        model=ActionUpdate,
        lookup=("action", "on", "note"),
        columns=[
            Column("action", "ref", True, ref="action", via="reference"),
            Column("on", "date", True),
            Column("note", required=True),
            Column("evidence"),
            Column("status_after", "choice", True, tuple(Action.Status.values)),
        ],
        key=keyed_by("action", "on", "note"),
    ),
)
