"""Eighteen months of Northshire's governance, with the patterns the scrutiny committee
worried about: chief executives who delegate most Board meetings, police deputies
below the expected seniority, meetings that moved from virtual to hybrid, overdue
actions, an information sharing agreement past its review date, a priority with
little progress and what was decided, and scrutiny recommendations that partners
accepted, partly accepted or rejected.

Everything is written through the governance and accounts services, dated from
``today`` and drawn from the loader's own random stream (seeded from the one it is
given), so the same seed and day give the same partnership and this loader's draws
never shift the areas loaded after it."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from safeguarding.accounts import services as accounts
from safeguarding.accounts.models import Organisation, Person, Post
from safeguarding.demo.northshire import later_loader
from safeguarding.governance import services as gov
from safeguarding.governance.models import Attendance, Group, Meeting

S = Attendance.Status
MONTHS = 18
HYBRID_AFTER_MONTHS = 8  # virtual meetings until then, as many partnerships kept after Covid-19
DAY = datetime.timedelta(days=1)

LAWFUL_BASES = [
    ("uk-gdpr-6-1-e", "UK GDPR Article 6(1)(e): public task"),
    ("uk-gdpr-6-1-c", "UK GDPR Article 6(1)(c): legal obligation"),
    (
        "uk-gdpr-9-2-g-dpa-s1-p2-18",
        "UK GDPR Article 9(2)(g) with DPA 2018 Schedule 1 Part 2 paragraph 18: safeguarding of children",
    ),
    ("uk-gdpr-9-2-h", "UK GDPR Article 9(2)(h): health or social care"),
    ("dpa-s1-p1-2", "DPA 2018 Schedule 1 Part 1 paragraph 2: health or social care purposes"),
]

# code, title, lead organisation, what each rating meant this quarter, six quarterly ratings
PRIORITIES = [
    (
        "exploitation",
        "Exploitation",
        "northshire-police",
        {
            "good": "Return interviews within 72 hours rose; fewer children came back to MACE a second time.",
            "some": "MACE referrals rose again; the county lines profile is shared but not yet used by schools.",
            "little_or_none": "No change in repeat MACE discussions.",
        },
        ["some", "some", "good", "good", "some", "good"],
    ),
    (
        "neglect",
        "Neglect, including Graded Care Profile 2 take-up",
        "northshire-council",
        {
            "good": "Every agency completed GCP2 assessments this quarter.",
            "some": "Health visitors began using GCP2; police and schools have not.",
            "little_or_none": "GCP2 is still used almost only by children's social care.",
        },
        ["some", "little_or_none", "little_or_none", "some", "little_or_none", "little_or_none"],
    ),
    (
        "voice-of-the-child",
        "Voice of the child",
        "ns-icb",
        {
            "good": "Children's words are recorded in most plans audited; the young people's panel met.",
            "some": "Children's views recorded in about half the plans audited.",
            "little_or_none": "Plans audited rarely recorded what the child said.",
        },
        ["some", "some", "some", "good", "good", "good"],
    ),
    (
        "working-together",
        "Working together",
        "northshire-council",
        {
            "good": "Escalations resolved within 10 working days; agreements current.",
            "some": "Escalations mostly resolved in time; the MASH agreement needs refreshing.",
            "little_or_none": "Escalations unresolved.",
        },
        ["good", "some", "some", "some", "good", "some"],
    ),
]
# What the partners decided each time neglect was rated little or no progress, by quarter.
NEGLECT_DECISIONS = {
    1: "The Neglect Subgroup to bring a GCP2 take-up plan for each agency to the next Board.",
    2: "Each agency's executive lead to report GCP2 use to the Board every quarter.",
    4: "The Lead Partners to be asked to fund two more GCP2 trainers; health and police to name GCP2 champions.",
    5: "The Board funded two more GCP2 trainers; police GCP2 use escalated to the Chief Constable.",
}

BOARD_DECISIONS = [
    "Adopt the Working Together 2023 arrangements and publish them",
    "Agree partner contributions to the partnership budget",
    "Approve the yearly report for publication",
    "Commission an independent review of exploitation arrangements",
    "Make the multi-agency dataset the Board's standing performance report",
    "Fund two more Graded Care Profile 2 trainers",
]

# title, owning organisation
ACTIONS = [
    ("Refresh the MASH threshold document", "northshire-council"),
    ("Roll out GCP2 training to health visitors", "northshire-community-health"),
    ("Audit return home interviews after missing episodes", "northshire-council"),
    ("Publish the MACE referral pathway", "northshire-police"),
    ("Review Operation Encompass notifications to schools", "northshire-police"),
    ("Agree the joint escalation protocol", "northshire-council"),
    ("Report GCP2 assessments by agency each quarter", "northshire-council"),
    ("Brief designated safeguarding leads on online harm", "northshire-academies"),
    ("Add the voice of the child to the multi-agency audit tool", "ns-icb"),
    ("Test the cross-border transfer process with Southvale", "northshire-council"),
    ("Check emergency department staff can see the CP-IS flag", "northshire-hospitals"),
    ("Train firefighters on safe and well visits for children", "northshire-fire"),
    ("Share the learning brief from the last rapid review", "northshire-council"),
    ("Audit probation's checks on children in the household", "probation-northshire"),
    ("Map youth justice cases discussed at MACE", "northshire-yjs"),
    ("Agree a data return for domestic abuse incidents with children present", "northshire-police"),
    ("Report the health share of the training places booked", "ns-icb"),
    ("Review safer sleep advice given by midwives", "northshire-hospitals"),
    ("Publish the multi-agency neglect strategy", "northshire-council"),
    ("Survey designated safeguarding leads on MASH feedback", "northshire-academies"),
    ("Set up the young people's advisory panel", "young-peoples-project"),
    ("Align tenancy visits with early help referrals", "northshire-homes"),
    ("Audit police referrals to the MASH for quality", "northshire-police"),
    ("Report children moving in on a plan and their transfer conferences", "northshire-council"),
]
EVIDENCE = [
    "Minutes of the following meeting",
    "Audit report on the partnership's shared drive",
    "Published on the partnership website",
    "Training records for the quarter",
    "Signed protocol, document reference {ref}",
]

# reference, title, parties, lawful bases, signed and review due (days from today)
AGREEMENTS = [
    ("ISA-01", "Multi-Agency Safeguarding Hub",
     "northshire-council northshire-police ns-icb northshire-hospitals northshire-academies",
     "uk-gdpr-6-1-e uk-gdpr-9-2-g-dpa-s1-p2-18", -700, -30),  # past review: "being refreshed again"
    ("ISA-02", "Operation Encompass", "northshire-police northshire-academies st-aidans-primary riverside-high",
     "uk-gdpr-6-1-e uk-gdpr-9-2-g-dpa-s1-p2-18", -300, 430),
    ("ISA-03", "Multi-Agency Child Exploitation panel",
     "northshire-council northshire-police northshire-yjs young-peoples-project",
     "uk-gdpr-6-1-e uk-gdpr-6-1-c uk-gdpr-9-2-g-dpa-s1-p2-18", -200, 530),
    ("ISA-04", "Health information for child protection (CP-IS)",
     "northshire-council ns-icb northshire-hospitals northshire-community-health",
     "uk-gdpr-6-1-e uk-gdpr-9-2-h dpa-s1-p1-2", -150, 580),
    ("ISA-05", "Children who move between Northshire and Southvale",
     "northshire-council southvale-council northshire-police ns-icb",
     "uk-gdpr-6-1-e uk-gdpr-6-1-c uk-gdpr-9-2-g-dpa-s1-p2-18", -60, 670),
]  # fmt: skip

# reference, finding, recommendation, {partner: (response, reason, action title, outcome)};
# a partner missing from the dict has not yet responded.
RECOMMENDATIONS = [
    (
        "SR-01",
        "Chief executives delegated most Board meetings.",
        "Each Lead Partner attends at least two Board meetings a year in person.",
        {
            "council": ("accepted", "", "Chief Executive to attend two Board meetings a year", "done"),
            "police": ("partly", "The Chief Constable will attend twice; the ACC otherwise.", "", ""),
            "icb": ("accepted", "", "ICB Chief Executive to attend two Board meetings a year", "in_progress"),
        },
    ),
    (
        "SR-02",
        "Graded Care Profile 2 is used by social care but rarely by health or police.",
        "Every agency reports GCP2 use quarterly and trains its front line.",
        {
            "council": ("accepted", "", "Report GCP2 use by agency to the Board each quarter", "done"),
            "icb": ("partly", "Health visitors first; GPs next year.", "Train health visitors in GCP2", "open"),
            "police": ("rejected", "Officers refer to social care rather than complete GCP2.", "", ""),
        },
    ),
    (
        "SR-03",
        "Data reports are single-agency and count activity, not children's experience.",
        "A multi-agency dataset that follows the child, reviewed at every Board.",
        {
            "council": ("accepted", "", "Build the multi-agency dataset with partners' returns", "done"),
            "police": ("accepted", "", "", ""),
            "icb": ("accepted", "", "", ""),
        },
    ),
    (
        "SR-04",
        "The MASH information sharing agreement is due for review and has not been refreshed since it was signed.",
        "Refresh and re-sign the MASH agreement within three months.",
        {
            "council": ("accepted", "", "Refresh and re-sign the MASH information sharing agreement", "open"),
            "police": ("accepted", "", "", ""),
            "icb": ("accepted", "", "", ""),
        },
    ),
    (
        "SR-05",
        "Delegates to the Scrutiny and Assurance Subgroup are not senior enough to commit resources.",
        "Set an expected seniority for each seat and report when it is not met.",
        {
            "council": ("accepted", "", "Report seats filled below the expected seniority to the Board", "done"),
            "police": (
                "partly",
                "Detective Superintendent as standing member; a Chief Inspector as deputy only.",
                "Name a Detective Superintendent for every police seat",
                "in_progress",
            ),
            "icb": ("rejected", "Designated professionals are the right level for subgroups.", "", ""),
        },
    ),
    (
        "SR-06",
        "Partners' staff rarely attend multi-agency training (7% council, 5% NHS, 2% police).",
        "Each partner sets a target for its staff's attendance at multi-agency training.",
        {
            "council": ("accepted", "", "Set and report a multi-agency training target", "in_progress"),
            "police": ("partly", "Targets for public protection officers only.", "", ""),
        },
    ),
]


# key: organisation, job title (or which of its practitioners), the seniority their seats expect
PEOPLE = {
    "ceo": ("northshire-council", "Chief Executive", "lead_partner"),
    "chief_constable": ("northshire-police", "Chief Constable", "lead_partner"),
    "icb_ceo": ("ns-icb", "Chief Executive", "lead_partner"),
    "dcs": ("northshire-council", "Director of Children's Services", "delegated_partner"),
    "acc": ("northshire-police", "Assistant Chief Constable", "delegated_partner"),
    "cno": ("ns-icb", "Chief Nursing Officer", "delegated_partner"),
    "scrutineer": ("independent-scrutiny", "Independent Scrutineer", "director"),
    "business_manager": ("northshire-council", "Partnership Business Manager", "senior_manager"),
    "head_of_mash": ("northshire-council", "Head of the Multi-Agency Safeguarding Hub", "senior_manager"),
    "det_supt": ("northshire-police", "Detective Superintendent, Public Protection", "senior_manager"),
    "designated_nurse": ("ns-icb", "Designated Nurse for Safeguarding Children", "senior_manager"),
    "designated_doctor": ("ns-icb", "Designated Doctor for Safeguarding Children", "senior_manager"),
    "probation": ("probation-northshire", "Head of Probation Delivery Unit", "senior_manager"),
    "academies": ("northshire-academies", "Director of Safeguarding", "senior_manager"),
    "named_nurse": ("northshire-hospitals", "Named Nurse for Safeguarding Children", "manager"),
    "fire": ("northshire-fire", "Group Manager, Prevention", "manager"),
    "analyst": ("northshire-council", "Partnership Data Analyst", "manager"),
    "council_practitioner": ("northshire-council", 0, "practitioner"),
    "council_practitioner_2": ("northshire-council", 1, "practitioner"),
    "police_practitioner": ("northshire-police", 0, "practitioner"),
    "police_practitioner_2": ("northshire-police", 1, "practitioner"),
    "icb_practitioner": ("ns-icb", 0, "practitioner"),
    "hospital_practitioner": ("northshire-hospitals", 0, "practitioner"),
    "school_practitioner": ("st-aidans-primary", 0, "practitioner"),
    "yjs_practitioner": ("northshire-yjs", 0, "practitioner"),
    "youth_worker": ("young-peoples-project", 0, "practitioner"),
    "voluntary_practitioner": ("northshire-womens-aid", 0, "practitioner"),
}

# code, name, members (the chair first)
SUBGROUPS = [
    ("scrutiny-assurance", "Scrutiny and Assurance Subgroup", ["business_manager", "det_supt", "designated_nurse",
     "academies"]),
    ("learning-improvement", "Learning and Improvement Subgroup", ["designated_doctor", "head_of_mash", "named_nurse",
     "probation", "council_practitioner_2"]),
    ("exploitation", "Exploitation Subgroup (MACE strategic)", ["det_supt", "head_of_mash", "fire", "yjs_practitioner",
     "youth_worker"]),
    ("neglect", "Neglect Subgroup", ["designated_nurse", "council_practitioner", "hospital_practitioner",
     "school_practitioner", "voluntary_practitioner"]),
    ("data", "Data and Performance Subgroup", ["analyst", "business_manager", "police_practitioner_2",
     "icb_practitioner", "police_practitioner"]),
]  # fmt: skip
# When a member of a subgroup cannot come, who they may send.
SUBGROUP_DEPUTIES = {"det_supt": "chief_inspector", "designated_nurse": "icb_practitioner"}


@dataclass
class _Cast:
    """Northshire's people for governance, and who was each partner's Delegated Partner when."""

    orgs: dict[str, Organisation]
    people: dict[str, Person]
    icb_dsp_changed_on: datetime.date
    statutory: dict[str, Organisation] = field(init=False)

    def __post_init__(self):
        o = self.orgs
        self.statutory = {"council": o["northshire-council"], "police": o["northshire-police"], "icb": o["ns-icb"]}

    def delegated_partner(self, partner: str, day: datetime.date) -> Person:
        if partner == "icb":
            return self.people["cno"] if day >= self.icb_dsp_changed_on else self.people["cno_before"]
        return self.people["dcs" if partner == "council" else "acc"]


@later_loader(order=10)
def load_governance(*, rng: random.Random, actor, today: datetime.date) -> None:
    rng = random.Random(rng.getrandbits(64))
    start = today - relativedelta(months=MONTHS)
    cast = _cast(actor, start)
    board, delegated, subgroups = _groups(cast, start, actor)
    held = _board_meetings(rng, cast, board, start, today, actor)
    held += _delegated_meetings(rng, cast, delegated, start, today, actor)
    held += _subgroup_meetings(rng, cast, subgroups, start, today, actor)
    held.sort(key=lambda m: (m.date, m.group.code))
    _actions(rng, cast, held, today, actor)
    _priorities(rng, cast, start, today, actor)
    _agreements(cast, today, actor)
    _scrutiny(rng, cast, start, today, actor)


def _find(org_code: str, title_or_index: str | int) -> Person:
    """Someone in post now: by job title, or the n-th of the organisation's practitioners."""
    if isinstance(title_or_index, int):
        posts = Post.objects.filter(organisation__code=org_code, ended_on__isnull=True, seniority="practitioner")
        return posts.order_by("person_id")[title_or_index].person
    return Post.objects.get(organisation__code=org_code, ended_on__isnull=True, job_title=title_or_index).person


def _cast(actor, start: datetime.date) -> _Cast:
    orgs = {o.code: o for o in Organisation.objects.all()}
    people = {key: _find(org_code, title) for key, (org_code, title, _) in PEOPLE.items()}
    # The police send a Chief Inspector when no one more senior is free.
    people["chief_inspector"] = accounts.person_create(
        full_name="Kamil Nowicki",
        email="kamil.nowicki@police.northshire.example",
        organisation=orgs["northshire-police"],
        job_title="Chief Inspector, Safeguarding",
        seniority="manager",
        started_on=start - relativedelta(years=3),
        actor=actor,
    )
    # The Chief Nursing Officer joined the ICB from the hospital trust during these
    # eighteen months. Until then the predecessor was the ICB's Delegated Partner, who
    # moved to the community trust on the day the new one started.
    changed_on = Post.objects.get(person=people["cno"], organisation=orgs["ns-icb"]).started_on
    changed_on = max(changed_on, start + DAY)
    people["cno_before"] = accounts.person_create(
        full_name="Bronwen Achterberg",
        email="bronwen.achterberg@icb.nhs.example",
        organisation=orgs["ns-icb"],
        job_title="Director of Nursing and Quality",
        seniority="delegated_partner",
        started_on=start - relativedelta(years=6),
        actor=actor,
    )
    accounts.person_change_post(
        person=people["cno_before"],
        organisation=orgs["northshire-community-health"],
        job_title="Chief Nurse",
        seniority="director",
        started_on=changed_on,
        actor=actor,
    )
    return _Cast(orgs=orgs, people=people, icb_dsp_changed_on=changed_on)


def _seat(group, cast, key, start, actor, *, role="member"):
    org_code, _, expected = PEOPLE[key]
    gov.membership_add(
        group=group,
        person=cast.people[key],
        organisation=cast.orgs[org_code],
        expected_seniority=expected,
        role_in_group=role,
        started_on=start,
        actor=actor,
    )


def _groups(cast: _Cast, start: datetime.date, actor) -> tuple[Group, Group, list[Group]]:
    each_partner = {"quorum_minimum": 3, "quorum_needs_each_statutory_partner": True}
    board = gov.group_create(
        code="executive-board",
        name="Lead Partners' Executive Board",
        kind="board",
        purpose="The three Lead Safeguarding Partners set direction and hold each other to account.",
        actor=actor,
        **each_partner,
    )
    _seat(board, cast, "scrutineer", start, actor, role="chair")
    for key in ("ceo", "chief_constable", "icb_ceo"):
        _seat(board, cast, key, start, actor)

    delegated = gov.group_create(
        code="delegated-partners",
        name="Delegated Safeguarding Partners' Group",
        kind="delegated",
        purpose="Runs the partnership's work for the Lead Partners.",
        actor=actor,
        **each_partner,
    )
    changed = cast.icb_dsp_changed_on
    _seat(delegated, cast, "dcs", start, actor, role="chair")
    _seat(delegated, cast, "acc", start, actor)
    gov.membership_add(
        group=delegated,
        person=cast.people["cno_before"],
        organisation=cast.statutory["icb"],
        expected_seniority="delegated_partner",
        started_on=start,
        ended_on=changed - DAY,
        actor=actor,
    )
    _seat(delegated, cast, "cno", changed, actor)
    _seat(delegated, cast, "business_manager", start, actor, role="adviser")

    subgroups = []
    for code, name, members in SUBGROUPS:
        group = gov.group_create(code=code, name=name, kind="subgroup", quorum_minimum=3, actor=actor)
        for index, key in enumerate(members):
            _seat(group, cast, key, start, actor, role="member" if index else "chair")
        subgroups.append(group)
    return board, delegated, subgroups


def _weekday(day: datetime.date) -> datetime.date:
    """Meetings fall on weekdays: move a weekend date to the Monday after."""
    while day.weekday() >= 5:
        day += DAY
    return day


def _venue(mode: str) -> str:
    return {
        "virtual": "Microsoft Teams",
        "hybrid": "Northshire House, Committee Room 2, and Microsoft Teams",
        "in_person": "Northshire House, Committee Room 2",
    }[mode]


def _present(rng: random.Random, mode: str) -> str:
    if mode == "virtual":
        return S.VIRTUAL
    if mode == "in_person":
        return S.IN_PERSON
    return S.IN_PERSON if rng.random() < 0.7 else S.VIRTUAL


def _meeting(group, day, mode, hours, agenda, actor, status=Meeting.Status.SCHEDULED) -> Meeting:
    return gov.meeting_create(
        group=group,
        date=day,
        mode=mode,
        starts_at=datetime.time(hours[0]),
        ends_at=datetime.time(hours[1]),
        venue=_venue(mode),
        agenda=agenda,
        status=status,
        actor=actor,
    )


BOARD_AGENDA = ["Welcome and apologies", "Independent scrutineer's report", "Priorities: progress and risks", "Budget"]


def _board_meetings(rng, cast: _Cast, board: Group, start, today, actor) -> list[Meeting]:
    """Quarterly. Each chief executive comes in person once or twice in eighteen months
    and otherwise sends their Delegated Partner; the police twice send someone more
    junior (a Chief Inspector, then a Detective Superintendent), and the Assistant
    Chief Constable was a Chief Superintendent for the first year. The next meeting
    is still to come."""
    p = cast.people
    quarters = list(range(MONTHS // 3))
    police_deputies = {2: p["chief_inspector"], 4: p["det_supt"]}
    personally = {
        "council": {rng.choice(quarters[:3]), rng.choice(quarters[3:])},
        "police": {rng.choice([q for q in quarters if q not in police_deputies])},
        "icb": {rng.choice(quarters[3:])},
    }
    apologies = {
        "council": {rng.choice([q for q in quarters if q not in personally["council"]])},
        "police": set(),
        "icb": {rng.choice([q for q in quarters if q not in personally["icb"]])},
    }
    lead = {"council": p["ceo"], "police": p["chief_constable"], "icb": p["icb_ceo"]}
    hybrid_from = start + relativedelta(months=HYBRID_AFTER_MONTHS)
    held = []
    for quarter in range(MONTHS // 3 + 1):
        day = _weekday(start + relativedelta(months=3 * quarter, days=14))
        mode = "virtual" if day < hybrid_from else ("in_person" if quarter == 4 else "hybrid")
        meeting = _meeting(board, day, mode, (10, 12), BOARD_AGENDA, actor)
        if day > today:
            continue
        entries = [gov.RegisterEntry(person=p["scrutineer"], status=_present(rng, mode))]
        for partner, person in lead.items():
            if quarter in personally[partner]:
                entries.append(gov.RegisterEntry(person=person, status=_present(rng, mode)))
            elif quarter in apologies[partner]:
                entries.append(gov.RegisterEntry(person=person, status=S.APOLOGIES))
            else:
                deputy = police_deputies.get(quarter) if partner == "police" else None
                deputy = deputy or cast.delegated_partner(partner, day)
                entries.append(gov.RegisterEntry(person=person, status=S.DEPUTY, deputy=deputy))
        held.append(gov.meeting_record_attendance(meeting=meeting, entries=entries, actor=actor))
    return held


def _register(rng, meeting: Meeting, deputies: dict[int, Person], odds: tuple[float, float, float], actor) -> Meeting:
    """Everyone in post on the day, most present; those with a named deputy sometimes
    send them. ``odds``: the chances of being present, deputised and sending apologies."""
    present, deputised, apologies = odds
    entries = []
    for membership in gov.members_expected(meeting):
        roll = rng.random()
        deputy = deputies.get(membership.person_id)
        if roll < present:
            entries.append(gov.RegisterEntry(person=membership.person, status=_present(rng, meeting.mode)))
        elif roll < present + deputised and deputy is not None:
            entries.append(gov.RegisterEntry(person=membership.person, status=S.DEPUTY, deputy=deputy))
        elif roll < present + deputised + apologies:
            entries.append(gov.RegisterEntry(person=membership.person, status=S.APOLOGIES))
        else:
            entries.append(gov.RegisterEntry(person=membership.person, status=S.ABSENT))
    return gov.meeting_record_attendance(meeting=meeting, entries=entries, actor=actor)


def _delegated_meetings(rng, cast: _Cast, group: Group, start, today, actor) -> list[Meeting]:
    """Monthly except August; the first December's was cancelled. A Delegated Partner
    who cannot come sends a senior manager, below the seat's expected seniority."""
    p = cast.people
    deputies = {
        p["dcs"].pk: p["head_of_mash"],
        p["acc"].pk: p["det_supt"],
        p["cno_before"].pk: p["designated_nurse"],
        p["cno"].pk: p["designated_nurse"],
    }
    hybrid_from = start + relativedelta(months=HYBRID_AFTER_MONTHS)
    held = []
    for month in range(MONTHS + 1):
        day = _weekday(start + relativedelta(months=month, days=5))
        if day.month == 8:
            continue
        mode = "virtual" if day < hybrid_from else ("in_person" if month % 3 == 0 else "hybrid")
        agenda = ["Actions log", "Performance report", "Learning from reviews", "Subgroup reports"]
        cancelled = day.month == 12 and day < start + relativedelta(years=1)
        status = Meeting.Status.CANCELLED if cancelled else Meeting.Status.SCHEDULED
        meeting = _meeting(group, day, mode, (14, 16), agenda, actor, status=status)
        if day <= today and not cancelled:
            held.append(_register(rng, meeting, deputies, (0.8, 0.12, 0.06), actor))
    return held


def _subgroup_meetings(rng, cast: _Cast, subgroups: list[Group], start, today, actor) -> list[Meeting]:
    """Each subgroup meets quarterly, staggered through the year, not in August. The
    register of the latest one is still to be entered."""
    deputies = {cast.people[member].pk: cast.people[deputy] for member, deputy in SUBGROUP_DEPUTIES.items()}
    hybrid_from = start + relativedelta(months=HYBRID_AFTER_MONTHS)
    past = []
    for index, group in enumerate(subgroups):
        for month in range(index % 3, MONTHS + 1, 3):
            day = _weekday(start + relativedelta(months=month, days=10 + 2 * index))
            if day.month == 8:
                continue
            mode = "virtual" if day < hybrid_from else rng.choice(["hybrid", "hybrid", "in_person"])
            agenda = ["Actions log", "Data and audit findings", "Plan for the quarter"]
            meeting = _meeting(group, day, mode, (10, 12), agenda, actor)
            if day <= today:
                past.append(meeting)
    past.sort(key=lambda m: m.date)
    return [_register(rng, meeting, deputies, (0.74, 0.1, 0.1), actor) for meeting in past[:-1]]


class _References:
    """Sequential references by prefix and year: A-2026-01, A-2026-02, ..."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def next(self, prefix: str, day: datetime.date) -> str:
        key = f"{prefix}-{day:%Y}"
        self.counts[key] = self.counts.get(key, 0) + 1
        return f"{key}-{self.counts[key]:02d}"


def _actions(rng, cast: _Cast, held: list[Meeting], today, actor) -> None:
    """A decision at each Board meeting, and the groups' actions spread over the
    eighteen months: most finished with evidence (some late), every fourth one past
    its due date still open, recent ones not yet due."""
    refs = _References()
    council = cast.orgs["northshire-council"]
    board_meetings = [m for m in held if m.group.kind == "board"]
    for meeting, title in zip(board_meetings, BOARD_DECISIONS, strict=False):
        gov.action_create(
            reference=refs.next("D", meeting.date),
            title=title,
            owner_organisation=council,
            created_on=meeting.date,
            meeting=meeting,
            is_decision=True,
            actor=actor,
        )
    for index, (title, org_code) in enumerate(ACTIONS):
        meeting = held[index * len(held) // len(ACTIONS)]
        due = meeting.date + datetime.timedelta(days=rng.choice([42, 56, 84, 112]))
        action = gov.action_create(
            reference=refs.next("A", meeting.date),
            title=title,
            owner_organisation=cast.orgs[org_code],
            created_on=meeting.date,
            due_on=due,
            meeting=meeting,
            actor=actor,
        )
        _progress(rng, action, "open" if index % 4 == 3 else "done", today, actor)


def _progress(rng, action, outcome: str, today: datetime.date, actor) -> None:
    """Bring an action to ``outcome`` as far as today allows: done (on time or a little
    late, with evidence), in progress, or open (perhaps not yet started)."""
    started = action.created_on + datetime.timedelta(days=rng.randint(7, 21))
    untouched = outcome == "open" and rng.random() < 0.5
    if started < today and not untouched:
        gov.action_add_update(
            action=action, on=started, note="Work under way.", status_after="in_progress", actor=actor
        )
    finished = action.due_on + datetime.timedelta(days=rng.randint(-21, 14))
    if outcome == "done" and started < finished < today:
        evidence = rng.choice(EVIDENCE).format(ref=action.reference)
        gov.action_add_update(
            action=action,
            on=finished,
            note="Completed and reported to the group." if finished <= action.due_on else "Completed late.",
            status_after="done",
            evidence=evidence,
            actor=actor,
        )


def _priorities(rng, cast: _Cast, start, today, actor) -> None:
    """Quarterly progress ratings; neglect (GCP2 take-up) is rated little or no progress
    lately, with what the partners decided each time."""
    for code, title, lead, meaning, ratings in PRIORITIES:
        priority = gov.priority_create(
            code=code,
            title=title,
            objectives=f"Partners' shared plan for {title.lower()}.",
            success_measures=meaning["good"],
            started_on=start,
            lead_organisation=cast.orgs[lead],
            actor=actor,
        )
        for index, rating in enumerate(ratings):
            on = start + relativedelta(months=3 * index + 2)
            if on > today:
                break
            narrative = meaning[rating]
            if code == "neglect":
                social_care, health, police, schools = (rng.randint(*r) for r in ((30, 60), (2, 12), (0, 2), (0, 6)))
                narrative += (
                    f" GCP2 assessments this quarter: social care {social_care}, health {health},"
                    f" police {police}, schools {schools}."
                )
            decision = NEGLECT_DECISIONS.get(index, "") if rating == "little_or_none" else ""
            gov.priority_add_update(
                priority=priority, on=on, rating=rating, narrative=narrative, decision=decision, actor=actor
            )


def _agreements(cast: _Cast, today, actor) -> None:
    bases = {code: gov.lawful_basis_create(code=code, title=title, actor=actor) for code, title in LAWFUL_BASES}
    for reference, title, parties, basis_codes, signed_days, review_days in AGREEMENTS:
        gov.agreement_create(
            reference=reference,
            title=title,
            purpose=f"To share what partners know about children and their families for: {title}.",
            data_shared="Names, dates of birth, addresses, agency involvement and concerns; only what is relevant.",
            parties=[cast.orgs[code] for code in parties.split()],
            lawful_bases=[bases[code] for code in basis_codes.split()],
            signed_on=today + datetime.timedelta(days=signed_days),
            review_due_on=today + datetime.timedelta(days=review_days),
            actor=actor,
        )


def _scrutiny(rng, cast: _Cast, start, today, actor) -> None:
    """A recommendation each quarter, answered within about five weeks; the latest
    still awaits the ICB. What a partner accepts, wholly or partly, becomes its action."""
    for index, (reference, finding, text, responses) in enumerate(RECOMMENDATIONS):
        made_on = start + relativedelta(months=3 * index + 1)
        if made_on > today:
            break
        item = gov.recommendation_create(
            reference=reference,
            made_on=made_on,
            scrutineer=cast.people["scrutineer"],
            finding=finding,
            recommendation=text,
            addressed_to=cast.statutory.values(),
            actor=actor,
        )
        for number, (partner, (response, reason, action_title, outcome)) in enumerate(responses.items(), start=1):
            responded_on = made_on + datetime.timedelta(days=rng.randint(20, 35))
            if responded_on > today:
                continue
            organisation = cast.statutory[partner]
            gov.response_record(
                recommendation=item,
                organisation=organisation,
                response=response,
                reason=reason,
                responded_on=responded_on,
                actor=actor,
            )
            if action_title:
                action = gov.action_create(
                    reference=f"{reference}-{number}",
                    title=action_title,
                    owner_organisation=organisation,
                    created_on=responded_on,
                    due_on=responded_on + relativedelta(months=3),
                    recommendation=item,
                    actor=actor,
                )
                _progress(rng, action, outcome, today, actor)
