"""The committee's answers against figures worked out by hand for a small
partnership, including someone who changed organisation mid-window and meetings
where Lead Partners sent deputies."""

import datetime as dt

import pytest

from safeguarding.accounts import services as accounts
from safeguarding.core.audit import SystemActor
from safeguarding.governance import services as gov
from safeguarding.governance.selectors import compute_governance_answers
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
D = dt.date
E = gov.RegisterEntry
SINCE = D(2020, 1, 1)


@pytest.fixture
def partnership(db):
    council = OrganisationFactory(code="c", name="Council", kind="local_authority", standing="statutory_partner")
    police = OrganisationFactory(code="p", name="Police", kind="police", standing="statutory_partner")
    icb = OrganisationFactory(code="i", name="ICB", kind="icb", standing="statutory_partner")

    def person(name, org, title, seniority, since=SINCE):
        return accounts.person_create(
            full_name=name, organisation=org, job_title=title, seniority=seniority, started_on=since, actor=SYSTEM
        )

    clare = person("Clare", council, "Chief Executive", "lead_partner")
    conor = person("Conor", police, "Chief Constable", "lead_partner")
    dana = person("Dana", police, "Superintendent", "senior_manager")
    ian = person("Ian", police, "Chief Inspector", "manager")
    dee = person("Dee", council, "Director of Children's Services", "delegated_partner")
    # Dana moves from the police to the ICB in the middle of the window.
    accounts.person_change_post(
        person=dana,
        organisation=icb,
        job_title="Director of Nursing",
        seniority="director",
        started_on=D(2026, 3, 1),
        actor=SYSTEM,
    )

    board = gov.group_create(code="board", name="Board", kind="board", quorum_minimum=2, actor=SYSTEM)
    sub = gov.group_create(code="sub", name="Subgroup", kind="subgroup", quorum_minimum=1, actor=SYSTEM)
    for who, org, seniority in ((clare, council, "lead_partner"), (conor, police, "lead_partner")):
        gov.membership_add(
            group=board,
            person=who,
            organisation=org,
            expected_seniority=seniority,
            started_on=D(2025, 1, 1),
            actor=SYSTEM,
        )
    gov.membership_add(
        group=board,
        person=dana,
        organisation=police,
        expected_seniority="senior_manager",
        started_on=D(2025, 1, 1),
        ended_on=D(2026, 2, 28),
        actor=SYSTEM,
    )
    gov.membership_add(
        group=board,
        person=dana,
        organisation=icb,
        expected_seniority="director",
        started_on=D(2026, 3, 1),
        actor=SYSTEM,
    )
    gov.membership_add(
        group=sub,
        person=dee,
        organisation=council,
        expected_seniority="senior_manager",
        started_on=D(2025, 1, 1),
        actor=SYSTEM,
    )

    def hold(group, day, mode, *entries):
        meeting = gov.meeting_create(group=group, date=day, mode=mode, actor=SYSTEM)
        gov.meeting_record_attendance(meeting=meeting, entries=list(entries), actor=SYSTEM)

    hold(board, D(2025, 12, 1), "virtual", E(clare, "virtual"), E(conor, "virtual"), E(dana, "virtual"))  # outside
    hold(board, D(2026, 1, 15), "virtual", E(clare, "virtual"), E(conor, "deputy", deputy=ian), E(dana, "virtual"))
    hold(board, D(2026, 4, 15), "hybrid", E(clare, "deputy", deputy=dee), E(conor, "apologies"), E(dana, "in_person"))
    hold(board, D(2026, 6, 10), "in_person", E(clare, "absent"), E(conor, "in_person"), E(dana, "apologies"))
    gov.meeting_create(group=board, date=D(2026, 5, 1), mode="virtual", status="cancelled", actor=SYSTEM)
    hold(sub, D(2026, 2, 1), "virtual", E(dee, "virtual"))

    gov.action_create(
        reference="A1",
        title="Overdue",
        owner_organisation=council,
        created_on=D(2026, 1, 15),
        due_on=D(2026, 6, 1),
        actor=SYSTEM,
    )
    a2 = gov.action_create(
        reference="A2",
        title="Not yet due",
        owner_organisation=council,
        created_on=D(2026, 1, 15),
        due_on=D(2026, 8, 1),
        actor=SYSTEM,
    )
    gov.action_add_update(action=a2, on=D(2026, 2, 1), note="Started", status_after="in_progress", actor=SYSTEM)
    a3 = gov.action_create(
        reference="A3",
        title="Done",
        owner_organisation=police,
        created_on=D(2026, 1, 15),
        due_on=D(2026, 2, 1),
        actor=SYSTEM,
    )
    gov.action_add_update(action=a3, on=D(2026, 1, 30), note="Done", status_after="done", actor=SYSTEM)
    gov.action_create(
        reference="D1",
        title="A decision",
        owner_organisation=police,
        created_on=D(2026, 1, 15),
        is_decision=True,
        actor=SYSTEM,
    )

    priority = gov.priority_create(code="neglect", title="Neglect", started_on=D(2025, 4, 1), actor=SYSTEM)
    gov.priority_add_update(priority=priority, on=D(2026, 3, 1), rating="some", narrative="n", actor=SYSTEM)
    gov.priority_add_update(priority=priority, on=D(2026, 7, 15), rating="good", narrative="n", actor=SYSTEM)

    r1 = gov.recommendation_create(
        reference="R1",
        made_on=D(2026, 2, 1),
        scrutineer=dee,
        finding="f",
        recommendation="Attend",
        addressed_to=[council, police, icb],
        actor=SYSTEM,
    )
    gov.response_record(
        recommendation=r1, organisation=council, response="accepted", responded_on=D(2026, 3, 1), actor=SYSTEM
    )
    gov.response_record(
        recommendation=r1,
        organisation=police,
        response="rejected",
        reason="No",
        responded_on=D(2026, 3, 1),
        actor=SYSTEM,
    )
    gov.recommendation_create(
        reference="R0",
        made_on=D(2025, 11, 1),
        scrutineer=dee,
        finding="f",
        recommendation="Old",
        addressed_to=[council],
        actor=SYSTEM,
    )
    return {"board": board}


def _member(answers, name, organisation):
    return next(m for m in answers.members if m.name == name and m.organisation == organisation)


def test_answers_match_the_figures_worked_out_by_hand(partnership):
    a = compute_governance_answers(date_from=D(2026, 1, 1), date_to=D(2026, 6, 30), today=D(2026, 7, 1))
    assert a.meetings_held == 4
    assert {m.mode: (m.meetings, m.share) for m in a.modes} == {
        "virtual": (2, 0.5),
        "hybrid": (1, 0.25),
        "in_person": (1, 0.25),
    }
    assert [m.name for m in a.lead_partners] == ["Clare", "Conor"]

    clare = _member(a, "Clare", "Council")
    assert (clare.expected, clare.in_person, clare.virtual, clare.by_deputy, clare.apologies, clare.absent) == (
        3,
        0,
        1,
        1,
        0,
        1,
    )
    assert clare.deputies_below_expected == 0  # her Delegated Partner went: that is proper delegation
    conor = _member(a, "Conor", "Police")
    assert (conor.expected, conor.in_person, conor.by_deputy, conor.apologies) == (3, 1, 1, 1)
    assert conor.deputies_below_expected == 1  # a Chief Inspector for the Chief Constable
    assert conor.deputies[0].deputy == "Ian" and conor.deputies[0].deputy_seniority == "manager"
    assert abs(conor.attendance_rate - 1 / 3) < 1e-9

    # Dana counts under the police before her move and the ICB after it.
    assert (_member(a, "Dana", "Police").expected, _member(a, "Dana", "Police").virtual) == (1, 1)
    icb_dana = _member(a, "Dana", "ICB")
    assert (icb_dana.expected, icb_dana.in_person, icb_dana.apologies) == (2, 1, 1)

    by_org = {r.label: (r.expected, r.attended_personally, r.by_deputy, r.missed) for r in a.by_organisation}
    assert by_org == {"Council": (4, 2, 1, 1), "Police": (4, 2, 1, 1), "ICB": (2, 1, 0, 1)}
    by_group = {r.label: (r.expected, r.attended_personally, r.by_deputy, r.missed) for r in a.by_group}
    assert by_group == {"Board": (9, 4, 2, 3), "Subgroup": (1, 1, 0, 0)}

    assert [(r.organisation, r.open, r.overdue) for r in a.actions] == [("Council", 2, 1)]
    assert [(p.title, p.rating) for p in a.priorities] == [("Neglect", "some")]
    assert a.responses_by_kind == {"accepted": 1, "partly": 0, "rejected": 1}
    assert [(r.reference, r.awaiting) for r in a.recommendations] == [("R1", ["ICB"])]


def test_another_window_and_one_group_give_their_own_hand_worked_figures(partnership):
    a = compute_governance_answers(date_from=D(2025, 11, 1), date_to=D(2026, 1, 31), today=D(2026, 7, 1))
    assert a.meetings_held == 2
    clare = _member(a, "Clare", "Council")
    assert (clare.expected, clare.virtual) == (2, 2)
    assert [r.reference for r in a.recommendations] == ["R0"]

    board_only = compute_governance_answers(
        date_from=D(2026, 1, 1), date_to=D(2026, 6, 30), group=partnership["board"], today=D(2026, 7, 1)
    )
    assert board_only.meetings_held == 3
    assert [r.label for r in board_only.by_group] == ["Board"]


def test_answers_take_a_fixed_number_of_queries_however_many_meetings(partnership, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        compute_governance_answers(date_from=D(2020, 1, 1), date_to=D(2030, 1, 1))
