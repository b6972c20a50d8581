"""Lead Partner attendance counts only the meetings on dates the person was a Lead
Partner (issue 14, item 5). Dan is the force's Deputy Chief Constable until 31 March
2026 and its Chief Constable, a Lead Partner, from 1 April; Carl is Chief Constable
until then. The window is 1 January to 30 June 2026:

    meeting                          Carl (LP to 31 Mar)   Dan
    B0 Board      10 Dec 25 (before) in person             in person       (as DCC)
    B1 Board      14 Jan 26          in person             in person       (as DCC)
    G1 Delegated  21 Jan 26          -                     in person       (as DCC)
    B2 Board      11 Feb 26          apologies             virtual         (as DCC)
    G2 Delegated  18 Mar 26          -                     virtual         (as DCC)
    B3 Board      15 Apr 26          -                     in person       (as CC, Lead Partner)
    G3 Delegated  20 May 26          -                     deputy Ian (manager)  (as CC)
    B4 Board      10 Jun 26          -                     apologies       (as CC)

Worked by hand, all groups: Dan as Lead Partner B3, G3, B4: expected 3 (in person 1,
deputy 1, apologies 1), attendance rate 1/3; Dan before it B1, G1, B2, G2: expected 4
(in person 2, virtual 2). Deciding once for the whole window gave Dan 7 as Lead Partner.
Board only: Dan as Lead Partner B3, B4: 2 (in person 1, apologies 1); before it B1, B2: 2.
Carl: B1 and B2, 2 (in person 1, apologies 1), both as Lead Partner.
"""

import datetime as dt

import pytest

from safeguarding.accounts import services as accounts
from safeguarding.accounts.models import Organisation
from safeguarding.core.audit import SystemActor
from safeguarding.core.report_sections import Window, section
from safeguarding.governance import services as gov
from safeguarding.governance.selectors import governance_answers_for_report
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
D = dt.date
E = gov.RegisterEntry
FROM, TO = D(2026, 1, 1), D(2026, 6, 30)
PROMOTED = D(2026, 4, 1)


@pytest.fixture
def force(db):
    police = OrganisationFactory(code="p", name="Police", kind="police", standing="statutory_partner")
    council = OrganisationFactory(code="c", name="Council", kind="local_authority", standing="statutory_partner")

    def person(name, title, seniority, organisation=police):
        return accounts.person_create(
            full_name=name,
            organisation=organisation,
            job_title=title,
            seniority=seniority,
            started_on=D(2020, 1, 1),
            actor=SYSTEM,
        )

    carl = person("Carl", "Chief Constable", "lead_partner")
    dan = person("Dan", "Deputy Chief Constable", "delegated_partner")
    ian = person("Ian", "Chief Inspector", "manager")
    for who, organisation, title, seniority in (
        (carl, council, "Adviser", "director"),
        (dan, police, "Chief Constable", "lead_partner"),
    ):
        accounts.person_change_post(
            person=who,
            organisation=organisation,
            job_title=title,
            seniority=seniority,
            started_on=PROMOTED,
            actor=SYSTEM,
        )

    board = gov.group_create(code="board", name="Board", kind="board", actor=SYSTEM)
    delegated = gov.group_create(code="dsp", name="Delegated Partners", kind="delegated", actor=SYSTEM)
    before, last = D(2025, 1, 1), PROMOTED - dt.timedelta(days=1)
    for group, who, expected, start, end in (
        (board, carl, "lead_partner", before, last),
        (board, dan, "delegated_partner", before, last),
        (board, dan, "lead_partner", PROMOTED, None),
        (delegated, dan, "delegated_partner", before, None),
    ):
        gov.membership_add(
            group=group,
            person=who,
            organisation=police,
            expected_seniority=expected,
            started_on=start,
            ended_on=end,
            actor=SYSTEM,
        )

    def hold(group, day, *entries):
        meeting = gov.meeting_create(group=group, date=day, mode="in_person", actor=SYSTEM)
        gov.meeting_record_attendance(meeting=meeting, entries=entries, actor=SYSTEM)

    hold(board, D(2025, 12, 10), E(carl, "in_person"), E(dan, "in_person"))
    hold(board, D(2026, 1, 14), E(carl, "in_person"), E(dan, "in_person"))
    hold(delegated, D(2026, 1, 21), E(dan, "in_person"))
    hold(board, D(2026, 2, 11), E(carl, "apologies"), E(dan, "virtual"))
    hold(delegated, D(2026, 3, 18), E(dan, "virtual"))
    hold(board, D(2026, 4, 15), E(dan, "in_person"))
    hold(delegated, D(2026, 5, 20), E(dan, "deputy", deputy=ian))
    hold(board, D(2026, 6, 10), E(dan, "apologies"))
    return {"board": board, "police": police}


def counts(m):
    return (m.expected, m.in_person, m.virtual, m.by_deputy, m.apologies, m.absent)


def test_lead_partner_attendance_counts_only_meetings_after_becoming_lead_partner(force):
    answers = governance_answers_for_report(date_from=FROM, date_to=TO, today=TO)

    #                                 (expected, in person, virtual, deputy, apologies, absent)
    assert [(m.name, counts(m)) for m in answers.lead_partners] == [
        ("Carl", (2, 1, 0, 0, 1, 0)),
        ("Dan", (3, 1, 0, 1, 1, 0)),
    ]
    dan = next(m for m in answers.lead_partners if m.name == "Dan")
    assert dan.attendance_rate == pytest.approx(1 / 3)
    assert [(d.meeting_date, d.deputy, d.below_expected) for d in dan.deputies] == [(D(2026, 5, 20), "Ian", True)]

    # Every member: Dan's meetings as Deputy Chief Constable are his, not a Lead Partner's.
    assert sorted((m.name, m.is_lead_partner, counts(m)) for m in answers.members) == [
        ("Carl", True, (2, 1, 0, 0, 1, 0)),
        ("Dan", False, (4, 2, 2, 0, 0, 0)),
        ("Dan", True, (3, 1, 0, 1, 1, 0)),
    ]
    assert sum(m.expected for m in answers.members) == 9  # every register row, once


def test_the_board_only_view_and_a_window_before_the_promotion(force):
    board = governance_answers_for_report(date_from=FROM, date_to=TO, group=force["board"], today=TO)
    assert [(m.name, counts(m)) for m in board.lead_partners] == [
        ("Carl", (2, 1, 0, 0, 1, 0)),
        ("Dan", (2, 1, 0, 0, 1, 0)),
    ]

    first_quarter = governance_answers_for_report(date_from=FROM, date_to=D(2026, 3, 31), today=TO)
    assert [m.name for m in first_quarter.lead_partners] == ["Carl"]

    # A window across the promotion: G2 as DCC, B3 as Chief Constable.
    across = governance_answers_for_report(date_from=D(2026, 3, 1), date_to=D(2026, 4, 30), today=TO)
    assert [(m.name, counts(m)) for m in across.lead_partners] == [("Dan", (1, 1, 0, 0, 0, 0))]


def test_the_api_gives_lead_partner_attendance_by_meeting_date(force, client, persona):
    _, token = accounts.api_token_create(
        organisation=Organisation.objects.get(code="p"), name="feed", actor=persona("administrator")
    )
    body = client.get(
        f"/api/v1/governance/attendance?from={FROM}&to={TO}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert [(m["name"], m["expected"], m["attended_personally"]) for m in body["lead_partners"]] == [
        ("Carl", 2, 1),
        ("Dan", 3, 1),
    ]
    assert sorted((m["name"], m["is_lead_partner"], m["expected"]) for m in body["members"]) == [
        ("Carl", True, 2),
        ("Dan", False, 4),
        ("Dan", True, 3),
    ]


def test_the_annual_report_counts_board_meetings_as_lead_partner_by_date(force):
    content = section("governance").build(Window(FROM, TO))
    lead_partners = next(t for t in content.tables if t.caption == "Lead Partners at Board meetings")
    assert [row[:3] for row in lead_partners.rows] == [["Carl", "Police", 2], ["Dan", "Police", 2]]


def test_the_answers_page_and_download_mark_the_rows_as_lead_partner(force, client, signed_in):
    signed_in(client, "board_member")
    page = client.get(f"/governance/answers/?date_from={FROM}&date_to={TO}").content.decode()
    assert page.count('govuk-tag--blue">Lead Partner</strong>') == 2  # Carl, and Dan from April
    assert "As they stood on 30 June 2026, the end of the window." in page
    lines = client.get(f"/governance/answers.csv?date_from={FROM}&date_to={TO}").content.decode().splitlines()
    assert "Dan,Police,4,2,2,0,0,0,100%,0,no" in lines
    assert "Dan,Police,3,1,0,1,1,0,33%,1,yes" in lines
