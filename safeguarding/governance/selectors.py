"""Reads for governance, and the committee's answers (brief questions 1, 8 and 9)
for any window. Every figure is computed from the register, action, priority and
scrutiny records with a handful of grouped queries, whatever the window's size."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from safeguarding.accounts.models import ApiToken, Organisation, Post, Seniority
from safeguarding.accounts.selectors import current_organisation
from safeguarding.core.permissions import Perm, RequestUser, has_perm
from safeguarding.governance import rules
from safeguarding.governance.models import (
    Action,
    ActionUpdate,
    Attendance,
    Group,
    Meeting,
    Priority,
    PriorityUpdate,
    ScrutinyRecommendation,
    ScrutinyResponse,
    SharingAgreement,
)

S = Attendance.Status


def groups(*, user: RequestUser) -> QuerySet[Group]:
    if not has_perm(user, Perm.VIEW_GOVERNANCE):
        return Group.objects.none()
    return Group.objects.all()


def board() -> Group | None:
    """The partnership's Board (the Lead Partners' group), whose meetings question 1
    asks about; the first by code should a partnership keep more than one."""
    return Group.objects.filter(kind=Group.Kind.BOARD).order_by("code").first()


def meetings(*, user: RequestUser, group: Group | None = None) -> QuerySet[Meeting]:
    if not has_perm(user, Perm.VIEW_GOVERNANCE):
        return Meeting.objects.none()
    result = Meeting.objects.select_related("group").annotate(register_size=Count("attendance"))
    return result.filter(group=group) if group else result


def actions(
    *, user: RequestUser, organisation: Organisation | None = None, open_only: bool = False
) -> QuerySet[Action]:
    if not has_perm(user, Perm.VIEW_GOVERNANCE):
        return Action.objects.none()
    result = Action.objects.select_related("owner_organisation", "owner_person", "meeting__group")
    if organisation is not None:
        result = result.filter(owner_organisation=organisation)
    if open_only:
        result = result.filter(status__in=Action.OPEN_STATUSES)
    return result.order_by("due_on", "reference")


def may_update_action(user: RequestUser, action: Action) -> bool:
    """The business unit updates any action; an agency lead those their agency owns."""
    if has_perm(user, Perm.MANAGE_GOVERNANCE):
        return True
    if not has_perm(user, Perm.UPDATE_OWN_AGENCY_ACTIONS):
        return False
    organisation = current_organisation(user)
    return organisation is not None and organisation.pk == action.owner_organisation_id


def agreements(*, user: RequestUser) -> QuerySet[SharingAgreement]:
    if not has_perm(user, Perm.VIEW_GOVERNANCE):
        return SharingAgreement.objects.none()
    return SharingAgreement.objects.prefetch_related("parties", "lawful_bases").order_by("review_due_on")


def sharing_partner_ids(organisation: Organisation | None, today: datetime.date) -> frozenset[int] | None:
    """The organisations that share records with ``organisation`` under a signed
    agreement on ``today`` (itself included); None when the register holds no agreement
    at all, so there is nothing to go by. An agreement past its review date still
    binds; the register flags it for review."""
    if not SharingAgreement.objects.exists():
        return None
    if organisation is None:
        return frozenset()
    signed = SharingAgreement.objects.filter(parties=organisation, signed_on__lte=today).values("pk")
    partners = SharingAgreement.parties.through.objects.filter(sharingagreement__in=signed).values_list(
        "organisation_id", flat=True
    )
    return frozenset({*partners, organisation.pk})


def priorities(*, user: RequestUser) -> QuerySet[Priority]:
    if not has_perm(user, Perm.VIEW_GOVERNANCE):
        return Priority.objects.none()
    latest = PriorityUpdate.objects.filter(priority=OuterRef("pk")).order_by("-on", "-id")
    return Priority.objects.annotate(
        latest_rating=Subquery(latest.values("rating")[:1]),
        latest_on=Subquery(latest.values("on")[:1]),
    ).order_by("title")


def recommendations(*, user: RequestUser) -> QuerySet[ScrutinyRecommendation]:
    if not has_perm(user, Perm.VIEW_GOVERNANCE):
        return ScrutinyRecommendation.objects.none()
    return ScrutinyRecommendation.objects.prefetch_related(
        "addressed_to", "responses__organisation", "actions"
    ).select_related("scrutineer")


# The answers --------------------------------------------------------------------------


@dataclass
class DeputyAppearance:
    meeting_date: datetime.date
    group: str
    deputy: str
    deputy_job_title: str
    deputy_seniority: str
    expected_seniority: str
    below_expected: bool


@dataclass
class MemberAttendance:
    person_id: int
    name: str
    organisation: str
    is_lead_partner: bool
    expected: int = 0
    in_person: int = 0
    virtual: int = 0
    by_deputy: int = 0
    apologies: int = 0
    absent: int = 0
    deputies: list[DeputyAppearance] = field(default_factory=list)

    @property
    def attended_personally(self) -> int:
        return self.in_person + self.virtual

    @property
    def missed(self) -> int:
        return self.apologies + self.absent

    @property
    def attendance_rate(self) -> float | None:
        return rules.rate(self.attended_personally, self.expected)

    @property
    def deputies_below_expected(self) -> int:
        return sum(1 for d in self.deputies if d.below_expected)


@dataclass
class RateRow:
    label: str
    expected: int = 0
    attended_personally: int = 0
    by_deputy: int = 0
    missed: int = 0

    @property
    def attendance_rate(self) -> float | None:
        return rules.rate(self.attended_personally, self.expected)

    @property
    def representation_rate(self) -> float | None:
        return rules.rate(self.attended_personally + self.by_deputy, self.expected)


@dataclass
class ModeShare:
    mode: str
    label: str
    meetings: int
    share: float | None


@dataclass
class ActionsRow:
    organisation: str
    open: int
    overdue: int


@dataclass
class PriorityRow:
    code: str
    title: str
    rating: str | None
    rating_label: str
    rated_on: datetime.date | None
    decision: str


@dataclass
class RecommendationRow:
    reference: str
    made_on: datetime.date
    recommendation: str
    responses: dict[str, str]
    awaiting: list[str]


@dataclass
class GovernanceAnswers:
    date_from: datetime.date
    date_to: datetime.date
    group: str | None
    meetings_held: int
    modes: list[ModeShare]
    lead_partners: list[MemberAttendance]
    members: list[MemberAttendance]
    by_organisation: list[RateRow]
    by_group: list[RateRow]
    actions: list[ActionsRow]
    actions_on: datetime.date
    priorities: list[PriorityRow]
    recommendations: list[RecommendationRow]
    responses_by_kind: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        def member(m: MemberAttendance) -> dict[str, Any]:
            return asdict(m) | {
                "attended_personally": m.attended_personally,
                "missed": m.missed,
                "attendance_rate": m.attendance_rate,
                "deputies_below_expected": m.deputies_below_expected,
            }

        def rate_row(r: RateRow) -> dict[str, Any]:
            return asdict(r) | {
                "attendance_rate": r.attendance_rate,
                "representation_rate": r.representation_rate,
            }

        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "group": self.group,
            "meetings_held": self.meetings_held,
            "modes": [asdict(m) for m in self.modes],
            "lead_partners": [member(m) for m in self.lead_partners],
            "members": [member(m) for m in self.members],
            "by_organisation": [rate_row(r) for r in self.by_organisation],
            "by_group": [rate_row(r) for r in self.by_group],
            "actions": [asdict(a) for a in self.actions],
            "actions_on": self.actions_on.isoformat(),
            "priorities": [asdict(p) for p in self.priorities],
            "recommendations": [asdict(r) for r in self.recommendations],
            "responses_by_kind": self.responses_by_kind,
        }


def governance_answers(
    *,
    user: RequestUser,
    date_from: datetime.date,
    date_to: datetime.date,
    group: Group | None = None,
    today: datetime.date | None = None,
) -> GovernanceAnswers:
    if not has_perm(user, Perm.VIEW_GOVERNANCE_FIGURES):
        raise PermissionError("This role cannot see governance figures.")
    return _governance_answers(date_from=date_from, date_to=date_to, group=group, today=today)


def governance_answers_for_token(
    *, token: ApiToken, date_from: datetime.date, date_to: datetime.date, group: Group | None = None
) -> GovernanceAnswers:
    """For a partner system: the partnership-wide figures the answers page shows, for any
    active token (they are counts and names of groups, never a child's or person's details)."""
    if not token.is_active:
        raise PermissionError("This token has been revoked.")
    return _governance_answers(date_from=date_from, date_to=date_to, group=group)


def governance_answers_for_report(
    *, date_from: datetime.date, date_to: datetime.date, group: Group | None = None, today: datetime.date | None = None
) -> GovernanceAnswers:
    """For the annual report's build, which has no reader: what it publishes is checked
    for personal details and small numbers before publication."""
    return _governance_answers(date_from=date_from, date_to=date_to, group=group, today=today)


def _governance_answers(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    group: Group | None = None,
    today: datetime.date | None = None,
) -> GovernanceAnswers:
    """The answers, unchecked: every public way in checks its caller first.

    Everything is as it stood in the window: Lead Partners by their post on each
    meeting's date, and actions open and overdue at the window's end (or ``today``,
    should the window end later)."""
    today = today or datetime.date.today()
    actions_on = min(date_to, today)
    held = Meeting.objects.filter(status=Meeting.Status.HELD, date__gte=date_from, date__lte=date_to)
    if group is not None:
        held = held.filter(group=group)

    modes = _mode_shares(held)
    members = _member_attendance(held)
    by_organisation = _rates(held, "organisation__name")
    by_group = _rates(held, "meeting__group__name")
    return GovernanceAnswers(
        date_from=date_from,
        date_to=date_to,
        group=group.code if group else None,
        meetings_held=sum(m.meetings for m in modes),
        modes=modes,
        lead_partners=[m for m in members if m.is_lead_partner],
        members=members,
        by_organisation=by_organisation,
        by_group=by_group,
        actions=_actions_by_organisation(actions_on),
        actions_on=actions_on,
        priorities=_priorities_at(date_from, date_to),
        recommendations=_recommendations(date_from, date_to),
        responses_by_kind=_responses_by_kind(date_from, date_to),
    )


def _mode_shares(held: QuerySet[Meeting]) -> list[ModeShare]:
    counts = dict(held.values_list("mode").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    return [
        ModeShare(mode=value, label=label, meetings=counts.get(value, 0), share=rules.rate(counts.get(value, 0), total))
        for value, label in Meeting.Mode.choices
    ]


def held_lead_partner_post() -> Exists:
    """For an attendance row: did the member hold a Lead Safeguarding Partner post at
    the organisation they represented, on the meeting's date? Decided per meeting, not
    per window, so a Deputy Chief Constable's meetings before becoming Chief Constable
    are not counted as a Lead Partner's (WT2023: the Lead Partner is the chief officer;
    issue 14, item 5)."""
    day = OuterRef("meeting__date")
    return Exists(
        Post.objects.filter(
            person=OuterRef("person_id"),
            organisation=OuterRef("organisation_id"),
            seniority=Seniority.LEAD_PARTNER,
            started_on__lte=day,
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
    )


# The MemberAttendance count each register status adds to.
_ATTENDANCE_COUNTED_AS: dict[str, str] = {
    S.IN_PERSON: "in_person",
    S.VIRTUAL: "virtual",
    S.DEPUTY: "by_deputy",
    S.APOLOGIES: "apologies",
    S.ABSENT: "absent",
}


def _member_attendance(held: QuerySet[Meeting]) -> list[MemberAttendance]:
    """One row per member, organisation represented and whether they were then a Lead
    Partner: someone who became a Lead Partner in the window has a row for the meetings
    before and one for those after, so every register row is counted once."""
    attendance = Attendance.objects.filter(meeting__in=held).annotate(as_lead_partner=held_lead_partner_post())
    rows = (
        attendance.values("person_id", "person__full_name", "organisation__name", "as_lead_partner", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    members: dict[tuple[int, str, bool], MemberAttendance] = {}
    for row in rows:
        key = (row["person_id"], row["organisation__name"], bool(row["as_lead_partner"]))
        member = members.setdefault(
            key,
            MemberAttendance(
                person_id=row["person_id"],
                name=row["person__full_name"],
                organisation=row["organisation__name"],
                is_lead_partner=bool(row["as_lead_partner"]),
            ),
        )
        member.expected += row["n"]
        attribute = _ATTENDANCE_COUNTED_AS[row["status"]]
        setattr(member, attribute, getattr(member, attribute) + row["n"])

    deputies = (
        attendance.filter(status=S.DEPUTY)
        .values(
            "person_id",
            "organisation__name",
            "as_lead_partner",
            "meeting__date",
            "meeting__group__name",
            "deputy__full_name",
            "deputy_job_title",
            "deputy_seniority",
            "expected_seniority",
        )
        .order_by("meeting__date")
    )
    for deputy in deputies:
        members[(deputy["person_id"], deputy["organisation__name"], bool(deputy["as_lead_partner"]))].deputies.append(
            DeputyAppearance(
                meeting_date=deputy["meeting__date"],
                group=deputy["meeting__group__name"],
                deputy=deputy["deputy__full_name"],
                deputy_job_title=deputy["deputy_job_title"],
                deputy_seniority=deputy["deputy_seniority"],
                expected_seniority=deputy["expected_seniority"],
                below_expected=rules.deputy_below_expected(
                    deputy_seniority=deputy["deputy_seniority"],
                    expected_seniority=deputy["expected_seniority"],
                ),
            )
        )
    return sorted(members.values(), key=lambda m: (not m.is_lead_partner, m.organisation, m.name))


def actions_open_on(day: datetime.date) -> QuerySet[Action]:
    """The actions (not decisions) open on ``day``, as they stood then, so a past
    window's answer does not change when an action closes later (issue 14, item 7).

    Made on or before the day, and not closed by it: the latest update on or before the
    day says how it stood. With no update by then, an action updated only later was
    still as made (open); one never updated stands as recorded, except that one done
    after the day (a completion date from a data package) was still open."""
    stood = ActionUpdate.objects.filter(action=OuterRef("pk"), on__lte=day).order_by("-on", "-id")
    open_statuses = list(Action.OPEN_STATUSES)
    return (
        Action.objects.filter(is_decision=False, created_on__lte=day)
        .annotate(
            status_then=Subquery(stood.values("status_after")[:1]),
            changed_later=Exists(ActionUpdate.objects.filter(action=OuterRef("pk"), on__gt=day)),
        )
        .filter(
            Q(status_then__in=open_statuses)
            | Q(status_then__isnull=True)
            & (Q(changed_later=True) | Q(status__in=open_statuses) | Q(status=Action.Status.DONE, completed_on__gt=day))
        )
    )


def _rates(held: QuerySet[Meeting], by: str) -> list[RateRow]:
    rows = Attendance.objects.filter(meeting__in=held).values(by, "status").annotate(n=Count("id")).order_by()
    result: dict[str, RateRow] = {}
    for row in rows:
        item = result.setdefault(row[by], RateRow(label=row[by]))
        item.expected += row["n"]
        if row["status"] in (S.IN_PERSON, S.VIRTUAL):
            item.attended_personally += row["n"]
        elif row["status"] == S.DEPUTY:
            item.by_deputy += row["n"]
        else:
            item.missed += row["n"]
    return sorted(result.values(), key=lambda r: r.label)


def _actions_by_organisation(day: datetime.date) -> list[ActionsRow]:
    """Open and overdue on ``day``: the window's end, or today for a window not yet over."""
    rows = (
        actions_open_on(day)
        .values("owner_organisation__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=day)))
        .order_by("owner_organisation__name")
    )
    return [ActionsRow(r["owner_organisation__name"], r["open"], r["overdue"]) for r in rows]


def _priorities_at(date_from: datetime.date, date_to: datetime.date) -> list[PriorityRow]:
    """Each priority live in the window, with its latest rating on or before the window's end."""
    latest = PriorityUpdate.objects.filter(priority=OuterRef("pk"), on__lte=date_to).order_by("-on", "-id")
    current = (
        Priority.objects.filter(started_on__lte=date_to)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=date_from))
        .annotate(
            rating=Subquery(latest.values("rating")[:1]),
            rated_on=Subquery(latest.values("on")[:1]),
            decision=Subquery(latest.values("decision")[:1]),
        )
        .order_by("title")
    )
    labels = dict(PriorityUpdate.Rating.choices)
    return [
        PriorityRow(p.code, p.title, p.rating, labels.get(p.rating, "Not yet rated"), p.rated_on, p.decision or "")
        for p in current
    ]


def _recommendations(date_from: datetime.date, date_to: datetime.date) -> list[RecommendationRow]:
    items = ScrutinyRecommendation.objects.filter(made_on__gte=date_from, made_on__lte=date_to).prefetch_related(
        "addressed_to", "responses__organisation"
    )
    labels = dict(ScrutinyResponse.Response.choices)
    result = []
    for item in items:
        responses = {r.organisation.name: labels[r.response] for r in item.responses.all()}
        awaiting = sorted(o.name for o in item.addressed_to.all() if o.name not in responses)
        result.append(RecommendationRow(item.reference, item.made_on, item.recommendation, responses, awaiting))
    return result


def _responses_by_kind(date_from: datetime.date, date_to: datetime.date) -> dict[str, int]:
    counts = dict(
        ScrutinyResponse.objects.filter(recommendation__made_on__gte=date_from, recommendation__made_on__lte=date_to)
        .values_list("response")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {value: counts.get(value, 0) for value, _ in ScrutinyResponse.Response.choices}
