"""The committee's answers (questions 1, 8 and 9) against figures worked out by hand
for a small partnership: a member who changed organisation mid-window, Lead
Partners who sent deputies (some too junior), apologies, absences, a meeting
before and after the window and a cancelled one.

The fixture, as a register (window A is 1 January to 30 June 2026):

    meeting                  Clare (LP)     Conor (LP)      Iris (LP)       Dana         Sam        Dee
    M0 Board  1 Dec 25 virt  virtual        virtual         virtual         -            -          -
    M1 Board 15 Jan 26 virt  virtual        deputy Ian(mgr) apologies       -            -          -
    M2 Sub   10 Feb 26 virt  -              -               -               virtual (P)  apologies  virtual
    M3 Board 20 Mar 26 hyb   deputy Dee(DP) apologies       in person       -            -          -
    M4 Sub   15 Apr 26 in p  -              -               -               in pers (I)  absent     deputy Tom(mgr)
    M5 Board  1 May 26 virt  cancelled: no register
    M6 Board 10 Jun 26 in p  absent         in person       deputy Dana(dir) -           -          -
    M7 Sub   15 Jul 26 hyb   -              -               -               virtual (I)  in person  in person

Dana sits on the subgroup for the police (P) until 28 February 2026 and for the ICB
(I) from 1 March, when she moved jobs; by 10 June she is the ICB's Director of Nursing.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.accounts import services as accounts
from safeguarding.accounts.models import Organisation
from safeguarding.core.audit import SystemActor
from safeguarding.governance import services as gov
from safeguarding.governance.models import Action
from safeguarding.governance.selectors import governance_answers, governance_answers_for_report
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
D = dt.date
E = gov.RegisterEntry
A_FROM, A_TO = D(2026, 1, 1), D(2026, 6, 30)
SEATED = D(2025, 1, 1)


@pytest.fixture
def partnership(db):
    org = {
        "council": OrganisationFactory(code="c", name="Council", kind="local_authority", standing="statutory_partner"),
        "police": OrganisationFactory(code="p", name="Police", kind="police", standing="statutory_partner"),
        "icb": OrganisationFactory(code="i", name="ICB", kind="icb", standing="statutory_partner"),
        "school": OrganisationFactory(code="s", name="School", kind="school", standing="relevant_agency"),
        "scrutiny": OrganisationFactory(code="x", name="Scrutiny", kind="other", standing="other"),
    }

    def person(name, organisation, title, seniority):
        return accounts.person_create(
            full_name=name,
            organisation=org[organisation],
            job_title=title,
            seniority=seniority,
            started_on=D(2020, 1, 1),
            actor=SYSTEM,
        )

    p = {
        "clare": person("Clare", "council", "Chief Executive", "lead_partner"),
        "conor": person("Conor", "police", "Chief Constable", "lead_partner"),
        "iris": person("Iris", "icb", "Chief Executive", "lead_partner"),
        "dee": person("Dee", "council", "Director of Children's Services", "delegated_partner"),
        "tom": person("Tom", "council", "Team Manager", "manager"),
        "ian": person("Ian", "police", "Chief Inspector", "manager"),
        "dana": person("Dana", "police", "Superintendent", "senior_manager"),
        "sam": person("Sam", "school", "Designated Safeguarding Lead", "practitioner"),
        "ivy": person("Ivy", "scrutiny", "Independent Scrutineer", "director"),
    }
    accounts.person_change_post(
        person=p["dana"],
        organisation=org["icb"],
        job_title="Director of Nursing",
        seniority="director",
        started_on=D(2026, 3, 1),
        actor=SYSTEM,
    )

    board = gov.group_create(
        code="board",
        name="Board",
        kind="board",
        quorum_minimum=2,
        quorum_needs_each_statutory_partner=True,
        actor=SYSTEM,
    )
    sub = gov.group_create(code="sub", name="Subgroup", kind="subgroup", quorum_minimum=2, actor=SYSTEM)

    def seat(group, who, organisation, expected, start=SEATED, end=None):
        gov.membership_add(
            group=group,
            person=p[who],
            organisation=org[organisation],
            expected_seniority=expected,
            started_on=start,
            ended_on=end,
            actor=SYSTEM,
        )

    for who, organisation in (("clare", "council"), ("conor", "police"), ("iris", "icb")):
        seat(board, who, organisation, "lead_partner")
    seat(sub, "dana", "police", "senior_manager", end=D(2026, 2, 28))
    seat(sub, "dana", "icb", "director", start=D(2026, 3, 1))
    seat(sub, "sam", "school", "practitioner")
    seat(sub, "dee", "council", "senior_manager")

    def hold(group, day, mode, **register):
        meeting = gov.meeting_create(group=group, date=day, mode=mode, actor=SYSTEM)
        entries = [
            E(p[who], status) if isinstance(status, str) else E(p[who], "deputy", deputy=p[status[1]])
            for who, status in register.items()
        ]
        return gov.meeting_record_attendance(meeting=meeting, entries=entries, actor=SYSTEM)

    hold(board, D(2025, 12, 1), "virtual", clare="virtual", conor="virtual", iris="virtual")
    hold(board, D(2026, 1, 15), "virtual", clare="virtual", conor=("deputy", "ian"), iris="apologies")
    hold(sub, D(2026, 2, 10), "virtual", dana="virtual", sam="apologies", dee="virtual")
    hold(board, D(2026, 3, 20), "hybrid", clare=("deputy", "dee"), conor="apologies", iris="in_person")
    hold(sub, D(2026, 4, 15), "in_person", dana="in_person", sam="absent", dee=("deputy", "tom"))
    gov.meeting_create(group=board, date=D(2026, 5, 1), mode="virtual", status="cancelled", actor=SYSTEM)
    hold(board, D(2026, 6, 10), "in_person", clare="absent", conor="in_person", iris=("deputy", "dana"))
    hold(sub, D(2026, 7, 15), "hybrid", dana="virtual", sam="in_person", dee="in_person")

    def action(reference, owner, due_on, status="open", is_decision=False):
        made = gov.action_create(
            reference=reference,
            title=reference,
            owner_organisation=org[owner],
            created_on=D(2026, 1, 15),
            due_on=due_on,
            is_decision=is_decision,
            actor=SYSTEM,
        )
        if status != "open":
            gov.action_add_update(action=made, on=D(2026, 1, 30), note="n", status_after=status, actor=SYSTEM)

    action("A1", "council", D(2026, 6, 1))
    action("A2", "council", D(2026, 7, 1), status="in_progress")
    action("A3", "police", D(2026, 2, 1), status="done")
    action("A4", "police", D(2026, 6, 30))
    action("A5", "icb", D(2026, 3, 1), status="dropped")
    action("A6", "school", D(2026, 9, 1))
    action("D1", "police", None, is_decision=True)

    def priority(code, title, started_on, ended_on=None, updates=()):
        item = gov.priority_create(code=code, title=title, started_on=started_on, ended_on=ended_on, actor=SYSTEM)
        for on, rating, decision in updates:
            gov.priority_add_update(priority=item, on=on, rating=rating, narrative="n", decision=decision, actor=SYSTEM)

    priority(
        "neglect",
        "Neglect",
        D(2025, 4, 1),
        updates=[
            (D(2025, 12, 1), "some", ""),
            (D(2026, 3, 1), "little_or_none", "Fund two GCP2 trainers"),
            (D(2026, 7, 15), "good", ""),
        ],
    )
    priority("exploitation", "Exploitation", D(2025, 4, 1), D(2025, 11, 30), [(D(2025, 9, 1), "good", "")])
    priority("voice", "Voice of the child", D(2026, 5, 1))

    def recommendation(reference, made_on, addressed_to, **responses):
        item = gov.recommendation_create(
            reference=reference,
            made_on=made_on,
            scrutineer=p["ivy"],
            finding="f",
            recommendation=f"Do {reference}",
            addressed_to=[org[o] for o in addressed_to],
            actor=SYSTEM,
        )
        for organisation, response in responses.items():
            gov.response_record(
                recommendation=item,
                organisation=org[organisation],
                response=response,
                reason="" if response == "accepted" else "Because",
                responded_on=made_on + dt.timedelta(days=20),
                actor=SYSTEM,
            )

    recommendation("R0", D(2025, 11, 1), ["council"], council="accepted")
    recommendation("R1", D(2026, 2, 1), ["council", "police", "icb"], council="accepted", police="rejected")
    recommendation("R2", D(2026, 6, 30), ["police", "icb"], police="partly", icb="accepted")
    recommendation("R3", D(2026, 7, 1), ["council"], council="accepted")
    return {"board": board, "sub": sub, "people": p}


def counts(member):
    return (member.expected, member.in_person, member.virtual, member.by_deputy, member.apologies, member.absent)


def members(answers):
    return {(m.name, m.organisation): counts(m) for m in answers.members}


def rates(rows):
    return {r.label: (r.expected, r.attended_personally, r.by_deputy, r.missed) for r in rows}


def test_window_a_gives_the_figures_worked_out_by_hand(partnership):
    a = governance_answers_for_report(date_from=A_FROM, date_to=A_TO, today=D(2026, 7, 1))

    # M1 to M6 less the cancelled M5; M0 and M7 fall outside.
    assert a.meetings_held == 5
    assert {m.mode: (m.meetings, m.share) for m in a.modes} == {
        "virtual": (2, 0.4),
        "hybrid": (1, 0.2),
        "in_person": (2, 0.4),
    }

    #                    (expected, in person, virtual, deputy, apologies, absent)
    assert [(m.name, counts(m)) for m in a.lead_partners] == [
        ("Clare", (3, 0, 1, 1, 0, 1)),
        ("Iris", (3, 1, 0, 1, 1, 0)),
        ("Conor", (3, 1, 0, 1, 1, 0)),
    ]
    assert members(a) == {
        ("Clare", "Council"): (3, 0, 1, 1, 0, 1),
        ("Iris", "ICB"): (3, 1, 0, 1, 1, 0),
        ("Conor", "Police"): (3, 1, 0, 1, 1, 0),
        ("Dee", "Council"): (2, 0, 1, 1, 0, 0),
        ("Dana", "ICB"): (1, 1, 0, 0, 0, 0),  # after her move
        ("Dana", "Police"): (1, 0, 1, 0, 0, 0),  # before it
        ("Sam", "School"): (2, 0, 0, 0, 1, 1),
    }
    by_name = {(m.name, m.organisation): m for m in a.members}
    assert by_name["Clare", "Council"].attendance_rate == pytest.approx(1 / 3)
    assert by_name["Sam", "School"].attendance_rate == 0

    # Deputies: Dee is Clare's Delegated Partner (proper); Ian and Tom are managers,
    # and Dana was a director on 10 June: each below the seat.
    below = {(m.name, m.organisation): m.deputies_below_expected for m in a.members}
    assert below == {
        ("Clare", "Council"): 0,
        ("Iris", "ICB"): 1,
        ("Conor", "Police"): 1,
        ("Dee", "Council"): 1,
        ("Dana", "ICB"): 0,
        ("Dana", "Police"): 0,
        ("Sam", "School"): 0,
    }
    iris_deputy = by_name["Iris", "ICB"].deputies[0]
    assert (iris_deputy.meeting_date, iris_deputy.deputy, iris_deputy.deputy_job_title) == (
        D(2026, 6, 10),
        "Dana",
        "Director of Nursing",
    )
    assert (iris_deputy.deputy_seniority, iris_deputy.expected_seniority) == ("director", "lead_partner")
    conor_deputy = by_name["Conor", "Police"].deputies[0]
    assert (conor_deputy.deputy, conor_deputy.deputy_seniority, conor_deputy.group) == ("Ian", "manager", "Board")

    #                              (expected, personally, by deputy, missed)
    assert rates(a.by_organisation) == {
        "Council": (5, 2, 2, 1),
        "ICB": (4, 2, 1, 1),
        "Police": (4, 2, 1, 1),
        "School": (2, 0, 0, 2),
    }
    council = next(r for r in a.by_organisation if r.label == "Council")
    assert (council.attendance_rate, council.representation_rate) == (0.4, 0.8)
    assert rates(a.by_group) == {"Board": (9, 3, 3, 3), "Subgroup": (6, 3, 1, 2)}

    # At the window's end (30 June, though asked on 1 July): A1 is past due; A4 is due
    # that day and A2 the next; A3 done, A5 dropped, D1 a decision.
    assert [(r.organisation, r.open, r.overdue) for r in a.actions] == [
        ("Council", 2, 1),
        ("Police", 1, 0),
        ("School", 1, 0),
    ]
    # Neglect as rated on 1 March (the July rating is after the window); exploitation
    # had ended; voice of the child had started but not been rated.
    assert [(p.title, p.rating, p.rated_on, p.decision) for p in a.priorities] == [
        ("Neglect", "little_or_none", D(2026, 3, 1), "Fund two GCP2 trainers"),
        ("Voice of the child", None, None, ""),
    ]
    assert a.priorities[1].rating_label == "Not yet rated"
    assert a.responses_by_kind == {"accepted": 2, "partly": 1, "rejected": 1}
    assert [(r.reference, r.responses, r.awaiting) for r in a.recommendations] == [
        ("R2", {"Police": "Partly accepted", "ICB": "Accepted"}, []),
        ("R1", {"Council": "Accepted", "Police": "Rejected"}, ["ICB"]),
    ]


def test_another_window_gives_its_own_hand_worked_figures(partnership):
    b = governance_answers_for_report(date_from=D(2025, 11, 1), date_to=D(2026, 1, 31), today=D(2026, 6, 15))

    assert b.meetings_held == 2  # M0 and M1
    assert {m.mode: (m.meetings, m.share) for m in b.modes} == {
        "virtual": (2, 1.0),
        "hybrid": (0, 0.0),
        "in_person": (0, 0.0),
    }
    assert members(b) == {
        ("Clare", "Council"): (2, 0, 2, 0, 0, 0),
        ("Iris", "ICB"): (2, 0, 1, 0, 1, 0),
        ("Conor", "Police"): (2, 0, 1, 1, 0, 0),
    }
    assert [m.deputies_below_expected for m in b.lead_partners] == [0, 0, 1]
    assert rates(b.by_organisation) == {"Council": (2, 2, 0, 0), "ICB": (2, 1, 0, 1), "Police": (2, 1, 1, 0)}
    assert rates(b.by_group) == {"Board": (6, 4, 1, 1)}
    # On 31 January, the window's end (though asked on 15 June), A3 was done and A5
    # dropped the day before; nothing was yet past due.
    assert [(r.organisation, r.open, r.overdue) for r in b.actions] == [
        ("Council", 2, 0),
        ("Police", 1, 0),
        ("School", 1, 0),
    ]
    assert [(p.title, p.rating) for p in b.priorities] == [("Exploitation", "good"), ("Neglect", "some")]
    assert b.responses_by_kind == {"accepted": 1, "partly": 0, "rejected": 0}
    assert [r.reference for r in b.recommendations] == ["R0"]


def test_actions_are_counted_as_they_stood_at_the_windows_end(partnership):
    """Issue 14, item 7: a past window's answer does not change when an action closes later."""

    def actions_in_window_a():
        answers = governance_answers_for_report(date_from=A_FROM, date_to=A_TO, today=D(2026, 9, 1))
        return [(r.organisation, r.open, r.overdue) for r in answers.actions]

    assert governance_answers_for_report(date_from=A_FROM, date_to=A_TO, today=D(2026, 9, 1)).actions_on == A_TO
    assert governance_answers_for_report(date_from=A_FROM, date_to=A_TO, today=D(2026, 5, 1)).actions_on == D(
        2026, 5, 1
    )
    at_the_end = [("Council", 2, 1), ("Police", 1, 0), ("School", 1, 0)]
    assert actions_in_window_a() == at_the_end
    a1, a4 = Action.objects.get(reference="A1"), Action.objects.get(reference="A4")
    gov.action_add_update(action=a1, on=D(2026, 7, 10), note="done", status_after="done", actor=SYSTEM)
    gov.action_add_update(action=a4, on=D(2026, 8, 1), note="dropped", status_after="dropped", actor=SYSTEM)
    assert actions_in_window_a() == at_the_end

    # An action made after the window does not count in it.
    gov.action_create(
        reference="A7", title="A7", owner_organisation=a1.owner_organisation, created_on=D(2026, 7, 2),
        due_on=D(2026, 6, 1), actor=SYSTEM,
    )  # fmt: skip
    assert actions_in_window_a() == at_the_end
    # July's window sees A1 closed (10 July) and A4 still open (dropped on 1 August, after it).
    july = governance_answers_for_report(date_from=D(2026, 7, 1), date_to=D(2026, 7, 31), today=D(2026, 9, 1))
    assert [(r.organisation, r.open, r.overdue) for r in july.actions] == [
        ("Council", 2, 2),  # A2 (due 1 July) and A7 (due 1 June)
        ("Police", 1, 1),  # A4
        ("School", 1, 0),
    ]


def test_an_action_imported_as_done_counts_as_open_until_its_completion_date(partnership):
    """A data package may give an action's status and completion date with no updates."""
    gov.action_create(
        reference="B1", title="B1", owner_organisation=Organisation.objects.get(code="x"),
        created_on=D(2026, 1, 10), due_on=D(2026, 2, 1), status="done", completed_on=D(2026, 8, 1), actor=SYSTEM,
    )  # fmt: skip
    in_window = governance_answers_for_report(date_from=A_FROM, date_to=A_TO, today=D(2026, 9, 1))
    assert ("Scrutiny", 1, 1) in [(r.organisation, r.open, r.overdue) for r in in_window.actions]
    later = governance_answers_for_report(date_from=D(2026, 8, 1), date_to=D(2026, 8, 31), today=D(2026, 9, 1))
    assert "Scrutiny" not in [r.organisation for r in later.actions]


def test_one_group_only(partnership):
    sub = governance_answers_for_report(date_from=A_FROM, date_to=A_TO, group=partnership["sub"], today=D(2026, 7, 1))
    assert sub.group == "sub"
    assert sub.meetings_held == 2  # M2 and M4
    assert {m.mode: m.meetings for m in sub.modes} == {"virtual": 1, "hybrid": 0, "in_person": 1}
    assert sub.lead_partners == []
    assert members(sub) == {
        ("Dee", "Council"): (2, 0, 1, 1, 0, 0),
        ("Dana", "ICB"): (1, 1, 0, 0, 0, 0),
        ("Dana", "Police"): (1, 0, 1, 0, 0, 0),
        ("Sam", "School"): (2, 0, 0, 0, 1, 1),
    }
    assert rates(sub.by_organisation) == {
        "Council": (2, 1, 1, 0),
        "ICB": (1, 1, 0, 0),
        "Police": (1, 1, 0, 0),
        "School": (2, 0, 0, 2),
    }
    assert rates(sub.by_group) == {"Subgroup": (6, 3, 1, 2)}

    board = governance_answers_for_report(date_from=A_FROM, date_to=A_TO, group=partnership["board"], today=A_TO)
    assert board.meetings_held == 3  # M1, M3 and M6
    assert {m.mode: m.meetings for m in board.modes} == {"virtual": 1, "hybrid": 1, "in_person": 1}
    assert rates(board.by_group) == {"Board": (9, 3, 3, 3)}


def test_an_empty_window_has_no_rates_rather_than_zero(partnership):
    empty = governance_answers_for_report(date_from=D(2024, 1, 1), date_to=D(2024, 12, 31), today=D(2026, 7, 1))
    assert empty.meetings_held == 0
    assert all(m.share is None for m in empty.modes)
    assert empty.members == [] and empty.by_organisation == []


def test_signed_in_users_get_the_same_answers_and_councillors_none(partnership, persona):
    same = governance_answers(user=persona("business_manager"), date_from=A_FROM, date_to=A_TO, today=D(2026, 7, 1))
    assert (
        same.as_dict() == governance_answers_for_report(date_from=A_FROM, date_to=A_TO, today=D(2026, 7, 1)).as_dict()
    )
    with pytest.raises(PermissionError):
        governance_answers(user=persona("scrutiny_member"), date_from=A_FROM, date_to=A_TO)


def test_the_download_and_the_api_give_the_hand_worked_figures(partnership, client, signed_in, persona):
    signed_in(client, "board_member")
    csv_text = client.get(f"/governance/answers.csv?date_from={A_FROM}&date_to={A_TO}").content.decode()
    assert "Clare,Council,3,0,1,1,0,1,33%,0" in csv_text.splitlines()
    assert "Conor,Police,3,1,0,1,1,0,33%,1" in csv_text.splitlines()
    assert "Council,5,2,2,1,40%,80%" in csv_text.splitlines()

    _, token = accounts.api_token_create(
        organisation=Organisation.objects.get(code="p"), name="feed", actor=persona("administrator")
    )
    body = client.get(
        f"/api/v1/governance/attendance?from={A_FROM}&to={A_TO}&group=board",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert body["meetings_held"] == 3
    assert [(m["name"], m["by_deputy"], m["deputies_below_expected"]) for m in body["lead_partners"]] == [
        ("Clare", 1, 0),
        ("Iris", 1, 1),
        ("Conor", 1, 1),
    ]
    assert [(r["label"], r["expected"], r["attended_personally"]) for r in body["by_organisation"]] == [
        ("Council", 3, 1),
        ("ICB", 3, 1),
        ("Police", 3, 1),
    ]


def test_answers_take_a_bounded_number_of_queries_however_many_meetings(partnership, django_assert_max_num_queries):
    def answers():
        return governance_answers_for_report(date_from=D(2020, 1, 1), date_to=D(2030, 1, 1), today=D(2026, 7, 1))

    with CaptureQueriesContext(connection) as few:
        answers()
    p = partnership["people"]
    for week in range(30):
        meeting = gov.meeting_create(
            group=partnership["board"], date=D(2027, 1, 4) + dt.timedelta(weeks=week), mode="hybrid", actor=SYSTEM
        )
        gov.meeting_record_attendance(
            meeting=meeting,
            entries=[E(p["clare"], "in_person"), E(p["conor"], "deputy", deputy=p["ian"]), E(p["iris"], "apologies")],
            actor=SYSTEM,
        )
    with django_assert_max_num_queries(len(few)):
        assert answers().meetings_held == 37  # seven in the fixture and thirty more
    assert len(few) <= 15
