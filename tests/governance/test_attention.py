import datetime

from safeguarding.core.attention import attention_for
from safeguarding.core.audit import SystemActor
from safeguarding.governance import services
from tests.conftest import make_persona
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")


def test_business_manager_is_told_of_overdue_actions_and_lapsed_agreements(db):
    manager = make_persona("business_manager")
    council = manager.person.posts.get().organisation
    police = OrganisationFactory(code="tp", kind="police", standing="statutory_partner")
    today = datetime.date.today()
    services.action_create(
        reference="A1",
        title="Refresh MASH guidance",
        owner_organisation=council,
        created_on=today,
        due_on=today - datetime.timedelta(days=1),
        actor=SYSTEM,
    )
    services.action_create(
        reference="A2",
        title="Due today is not overdue",
        owner_organisation=council,
        created_on=today,
        due_on=today,
        actor=SYSTEM,
    )
    basis = services.lawful_basis_create(code="6-1-e", title="UK GDPR 6(1)(e)", actor=SYSTEM)
    services.agreement_create(
        reference="ISA1",
        title="MASH",
        purpose="p",
        data_shared="d",
        parties=[council, police],
        lawful_bases=[basis],
        signed_on=today - datetime.timedelta(days=800),
        review_due_on=today - datetime.timedelta(days=30),
        actor=SYSTEM,
    )
    items = {item.title: item for item in attention_for(manager)}
    assert items["Overdue actions"].count == 1
    assert items["Information sharing agreements past review"].count == 1


def test_board_member_sees_recommendations_awaiting_their_organisations_response(db):
    board_member = make_persona("board_member")
    police = board_member.person.posts.get().organisation
    scrutineer = make_persona("scrutineer")
    recommendation = services.recommendation_create(
        reference="R1",
        made_on=datetime.date.today(),
        scrutineer=scrutineer.person,
        finding="f",
        recommendation="Chief officers attend the Board",
        addressed_to=[police],
        actor=SYSTEM,
    )
    titles = [item.title for item in attention_for(board_member)]
    assert "Scrutiny recommendations awaiting your response" in titles
    services.response_record(
        recommendation=recommendation,
        organisation=police,
        response="accepted",
        responded_on=datetime.date.today(),
        actor=SYSTEM,
    )
    titles = [item.title for item in attention_for(board_member)]
    assert "Scrutiny recommendations awaiting your response" not in titles
