"""Eighteen months of Northshire's governance, with the patterns the committee
worried about: chief executives who delegate most Board meetings, a police deputy
below the expected seniority, a move from virtual to hybrid meetings, overdue
actions, an information sharing agreement past its review date, and scrutiny
recommendations with mixed responses."""

from __future__ import annotations

import datetime
import random

from dateutil.relativedelta import relativedelta

from safeguarding.accounts import services as accounts
from safeguarding.accounts.models import Organisation, Person
from safeguarding.governance import services as gov
from safeguarding.governance.models import Attendance

S = Attendance.Status
MONTHS = 18

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

PRIORITIES = [
    (
        "exploitation",
        "Exploitation",
        "Identify children at risk of criminal and sexual exploitation earlier.",
        "Fewer children discussed at MACE more than once; return interviews within 72 hours.",
        ["some", "some", "good", "good", "some", "good"],
    ),
    (
        "neglect",
        "Neglect, including Graded Care Profile 2 take-up",
        "Every agency uses the Graded Care Profile 2 where neglect is suspected.",
        "GCP2 assessments completed by health, education and police as well as social care.",
        ["some", "little_or_none", "little_or_none", "some", "little_or_none", "little_or_none"],
    ),
    (
        "voice-of-the-child",
        "Voice of the child",
        "Children's views shape plans and the partnership's work.",
        "Children's words recorded in every plan; young people's panel meets quarterly.",
        ["some", "some", "some", "good", "good", "good"],
    ),
    (
        "working-together",
        "Working together",
        "Partners share information and escalate promptly.",
        "Information sharing agreements current; escalations resolved within 10 working days.",
        ["good", "some", "some", "some", "good", "some"],
    ),
]


def _person(org_code: str, title: str) -> Person:
    return Person.objects.get(posts__organisation__code=org_code, posts__job_title=title, posts__ended_on__isnull=True)


def load_governance(*, rng: random.Random, actor, today: datetime.date) -> None:
    orgs = {o.code: o for o in Organisation.objects.all()}
    council, police, icb = orgs["northshire-council"], orgs["northshire-police"], orgs["ns-icb"]
    ceo = _person("northshire-council", "Chief Executive")
    chief_constable = _person("northshire-police", "Chief Constable")
    icb_ceo = _person("ns-icb", "Chief Executive")
    dcs = _person("northshire-council", "Director of Children's Services")
    acc = _person("northshire-police", "Assistant Chief Constable")
    cno = _person("ns-icb", "Chief Nursing Officer")
    det_supt = _person("northshire-police", "Detective Superintendent, Public Protection")
    scrutineer = _person("independent-scrutiny", "Independent Scrutineer")
    business_manager = _person("northshire-council", "Partnership Business Manager")
    designated_nurse = _person("ns-icb", "Designated Nurse for Safeguarding Children")
    start = today - relativedelta(months=MONTHS)
    chief_inspector = accounts.person_create(
        full_name="Kamil Nowicki",
        email="kamil.nowicki@police.northshire.example",
        organisation=police,
        job_title="Chief Inspector, Safeguarding",
        seniority="manager",
        started_on=start - relativedelta(years=3),
        actor=actor,
    )

    board = gov.group_create(
        code="executive-board",
        name="Lead Partners' Executive Board",
        kind="board",
        purpose="The three Lead Safeguarding Partners set direction and hold each other to account.",
        quorum_minimum=3,
        quorum_needs_each_statutory_partner=True,
        actor=actor,
    )
    delegated = gov.group_create(
        code="delegated-partners",
        name="Delegated Safeguarding Partners' Group",
        kind="delegated",
        purpose="Runs the partnership's work for the Lead Partners.",
        quorum_minimum=3,
        quorum_needs_each_statutory_partner=True,
        actor=actor,
    )
    board_members = [
        (ceo, council, "lead_partner"),
        (chief_constable, police, "lead_partner"),
        (icb_ceo, icb, "lead_partner"),
        (scrutineer, orgs["independent-scrutiny"], "director"),
    ]
    for person, org, seniority in board_members:
        gov.membership_add(
            group=board,
            person=person,
            organisation=org,
            expected_seniority=seniority,
            role_in_group="chair" if person == scrutineer else "member",
            started_on=start,
            actor=actor,
        )
    for person, org in ((dcs, council), (acc, police), (cno, icb)):
        gov.membership_add(
            group=delegated,
            person=person,
            organisation=org,
            expected_seniority="delegated_partner",
            started_on=start,
            actor=actor,
        )
    subgroups = []
    for code, name in (
        ("scrutiny-assurance", "Scrutiny and Assurance Subgroup"),
        ("learning-improvement", "Learning and Improvement Subgroup"),
        ("exploitation", "Exploitation Subgroup (MACE strategic)"),
        ("neglect", "Neglect Subgroup"),
        ("data", "Data and Performance Subgroup"),
    ):
        group = gov.group_create(code=code, name=name, kind="subgroup", quorum_minimum=2, actor=actor)
        for person, org in ((business_manager, council), (det_supt, police), (designated_nurse, icb)):
            gov.membership_add(
                group=group,
                person=person,
                organisation=org,
                expected_seniority="senior_manager",
                started_on=start,
                actor=actor,
            )
        subgroups.append(group)

    deputies = {ceo.pk: dcs, chief_constable.pk: acc, icb_ceo.pk: cno}
    # Each chief executive comes once in the eighteen months and sends apologies once;
    # every other time their Delegated Partner goes in their place.
    quarters = list(range(MONTHS // 3))
    attends_in_person = {pk: rng.choice(quarters) for pk in deputies}
    sends_apologies = {pk: rng.choice([q for q in quarters if q != attends_in_person[pk]]) for pk in deputies}
    hybrid_from = start + relativedelta(months=8)
    meetings = []
    # The Board meets quarterly; chief executives mostly send their delegated partner,
    # and twice the police send a Chief Inspector, below the expected seniority.
    for quarter in range(MONTHS // 3):
        day = _weekday(start + relativedelta(months=3 * quarter, days=14))
        mode = "virtual" if day < hybrid_from else "hybrid"
        meeting = gov.meeting_create(
            group=board,
            date=day,
            mode=mode,
            starts_at=datetime.time(10),
            ends_at=datetime.time(12),
            venue="Microsoft Teams" if mode == "virtual" else "Northshire House and online",
            agenda=[
                "Welcome and apologies",
                "Independent scrutineer's report",
                "Priorities: progress and risks",
                "Budget",
                "Any other business",
            ],
            actor=actor,
        )
        entries = []
        for person, _org, _ in board_members:
            if person == scrutineer:
                entries.append(gov.RegisterEntry(person=person, status=S.IN_PERSON if mode == "hybrid" else S.VIRTUAL))
                continue
            if person == chief_constable and quarter in (2, 4):
                entries.append(gov.RegisterEntry(person=person, status=S.DEPUTY, deputy=chief_inspector))
            elif quarter == attends_in_person[person.pk]:
                entries.append(gov.RegisterEntry(person=person, status=S.VIRTUAL if mode == "virtual" else S.IN_PERSON))
            elif quarter == sends_apologies[person.pk]:
                entries.append(gov.RegisterEntry(person=person, status=S.APOLOGIES))
            else:
                entries.append(gov.RegisterEntry(person=person, status=S.DEPUTY, deputy=deputies[person.pk]))
        if day <= today:
            gov.meeting_record_attendance(meeting=meeting, entries=entries, actor=actor)
        meetings.append(meeting)

    for month in range(MONTHS + 1):
        day = _weekday(start + relativedelta(months=month, days=5))
        mode = "virtual" if day < hybrid_from else rng.choice(["hybrid", "hybrid", "in_person"])
        for group in [delegated] + ([subgroups[month % len(subgroups)]]):
            meeting = gov.meeting_create(
                group=group,
                date=day,
                mode=mode,
                starts_at=datetime.time(14),
                ends_at=datetime.time(16),
                agenda=["Actions log", "Data report", "Learning from reviews"],
                actor=actor,
            )
            if day <= today:
                statuses = []
                for membership in gov.members_expected(meeting):
                    roll = rng.random()
                    status = S.VIRTUAL if mode == "virtual" else S.IN_PERSON
                    if roll > 0.93:
                        status = S.ABSENT
                    elif roll > 0.82:
                        status = S.APOLOGIES
                    statuses.append(gov.RegisterEntry(person=membership.person, status=status))
                gov.meeting_record_attendance(meeting=meeting, entries=statuses, actor=actor)
            meetings.append(meeting)

    held = [m for m in meetings if m.date <= today]
    owners = [council, police, icb, orgs["northshire-hospitals"], orgs["northshire-academies"]]
    titles = [
        "Refresh the MASH threshold document",
        "Roll out GCP2 training to health visitors",
        "Audit return home interviews after missing episodes",
        "Publish the MACE referral pathway",
        "Review Operation Encompass notifications to schools",
        "Agree the joint escalation protocol",
        "Report GCP2 assessments by agency each quarter",
        "Brief designated safeguarding leads on online harm",
        "Add the voice of the child to the multi-agency audit tool",
        "Test the cross-border transfer process",
    ]
    for number in range(30):
        meeting = rng.choice(held)
        created = meeting.date
        due = created + datetime.timedelta(days=rng.choice([30, 60, 90, 120]))
        action = gov.action_create(
            reference=f"A{created:%Y}-{number + 1:03d}",
            title=titles[number % len(titles)],
            owner_organisation=rng.choice(owners),
            created_on=created,
            due_on=due,
            meeting=meeting,
            actor=actor,
        )
        if due < today and rng.random() < 0.8:
            gov.action_add_update(
                action=action,
                on=min(today, due - datetime.timedelta(days=3)),
                note="Completed and reported to the group.",
                status_after="done",
                evidence="Minutes of the following meeting",
                actor=actor,
            )
        elif rng.random() < 0.5:
            gov.action_add_update(
                action=action,
                on=min(today, created + datetime.timedelta(days=20)),
                note="Work under way.",
                status_after="in_progress",
                actor=actor,
            )
    gov.action_create(
        reference=f"D{today:%Y}-001",
        title="Adopt Working Together 2023 arrangements",
        owner_organisation=council,
        created_on=held[0].date,
        meeting=held[0],
        is_decision=True,
        actor=actor,
    )

    for code, title, objectives, measures, ratings in PRIORITIES:
        priority = gov.priority_create(
            code=code,
            title=title,
            objectives=objectives,
            success_measures=measures,
            started_on=start,
            lead_organisation=council,
            actor=actor,
        )
        for index, rating in enumerate(ratings):
            on = start + relativedelta(months=3 * index + 2)
            if on > today:
                break
            decision = (
                "The Lead Partners asked each agency's executive lead to report GCP2 use to the Board "
                "and funded two more trainers."
                if rating == "little_or_none"
                else ""
            )
            gov.priority_add_update(
                priority=priority,
                on=on,
                rating=rating,
                decision=decision,
                narrative=f"Quarterly review of {title.lower()}.",
                actor=actor,
            )

    bases = {code: gov.lawful_basis_create(code=code, title=label, actor=actor) for code, label in LAWFUL_BASES}
    agreements = [
        (
            "ISA-01",
            "Multi-Agency Safeguarding Hub",
            [council, police, icb, orgs["northshire-hospitals"]],
            ["uk-gdpr-6-1-e", "uk-gdpr-9-2-g-dpa-s1-p2-18"],
            -700,
            -30,
        ),  # past its review date
        (
            "ISA-02",
            "Operation Encompass",
            [police, orgs["northshire-academies"], orgs["st-aidans-primary"], orgs["riverside-high"]],
            ["uk-gdpr-6-1-e", "uk-gdpr-9-2-g-dpa-s1-p2-18"],
            -300,
            430,
        ),
        (
            "ISA-03",
            "Multi-Agency Child Exploitation panel",
            [council, police, orgs["northshire-yjs"]],
            ["uk-gdpr-6-1-e", "uk-gdpr-9-2-g-dpa-s1-p2-18"],
            -200,
            530,
        ),
        (
            "ISA-04",
            "Health information for child protection (CP-IS)",
            [council, icb, orgs["northshire-hospitals"]],
            ["uk-gdpr-9-2-h", "dpa-s1-p1-2", "uk-gdpr-6-1-e"],
            -150,
            580,
        ),
        (
            "ISA-05",
            "Children who move between Northshire and Southvale",
            [council, orgs["southvale-council"], police],
            ["uk-gdpr-6-1-e", "uk-gdpr-9-2-g-dpa-s1-p2-18"],
            -60,
            670,
        ),
    ]
    for reference, title, parties, basis_codes, signed_days, review_days in agreements:
        gov.agreement_create(
            reference=reference,
            title=title,
            purpose=f"To share information for {title}.",
            data_shared="Names, dates of birth, addresses, involvement and concerns.",
            parties=parties,
            lawful_bases=[bases[c] for c in basis_codes],
            signed_on=today + datetime.timedelta(days=signed_days),
            review_due_on=today + datetime.timedelta(days=review_days),
            actor=actor,
        )

    recommendations = [
        (
            "SR-01",
            "Chief executives delegated most Board meetings.",
            "Each Lead Partner attends at least two Board meetings a year in person.",
            {
                council: ("accepted", ""),
                police: ("partly", "The Chief Constable will attend twice; the ACC otherwise."),
                icb: ("accepted", ""),
            },
        ),
        (
            "SR-02",
            "Graded Care Profile 2 is used by social care but rarely by health or police.",
            "Every agency reports GCP2 use quarterly and trains its front line.",
            {
                council: ("accepted", ""),
                icb: ("partly", "Health visitors first; GPs next year."),
                police: ("rejected", "Officers refer to social care rather than complete GCP2."),
            },
        ),
        (
            "SR-03",
            "Data reports are single-agency and count activity, not children's experience.",
            "A multi-agency dataset that follows the child, reviewed at every Board.",
            {council: ("accepted", ""), police: ("accepted", ""), icb: ("accepted", "")},
        ),
        (
            "SR-04",
            "The MASH information sharing agreement is past its review date.",
            "Refresh and re-sign the MASH agreement within three months.",
            {council: ("accepted", ""), police: ("accepted", "")},
        ),
        (
            "SR-05",
            "Delegates to subgroups are not senior enough to commit resources.",
            "Set an expected seniority for each seat and report when it is not met.",
            {police: ("partly", "Detective Superintendent as standing member; Chief Inspector as deputy only.")},
        ),
    ]
    for index, (reference, finding, text, responses) in enumerate(recommendations):
        made_on = start + relativedelta(months=3 * index + 1)
        item = gov.recommendation_create(
            reference=reference,
            made_on=made_on,
            scrutineer=scrutineer,
            finding=finding,
            recommendation=text,
            addressed_to=[council, police, icb],
            actor=actor,
        )
        for organisation, (response, reason) in responses.items():
            gov.response_record(
                recommendation=item,
                organisation=organisation,
                response=response,
                reason=reason,
                responded_on=min(today, made_on + datetime.timedelta(days=30)),
                actor=actor,
            )
        gov.action_create(
            reference=f"S{made_on:%Y}-{index + 1:02d}",
            title=f"Respond to {reference}: {text}"[:300],
            owner_organisation=council,
            created_on=made_on,
            due_on=made_on + relativedelta(months=4),
            recommendation=item,
            actor=actor,
        )


def _weekday(day: datetime.date) -> datetime.date:
    """Meetings fall on weekdays: move a weekend date to the Monday after."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day
