"""Governance pages as the business manager uses them: record a meeting and its
register, see the answers, download them, and the API's same figures."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from safeguarding.accounts.models import Organisation
from safeguarding.core.audit import SystemActor
from safeguarding.core.date_input import date_input_data
from safeguarding.governance import services
from safeguarding.governance.models import Attendance, Meeting
from tests.factories import OrganisationFactory, PostFactory

SYSTEM = SystemActor("test")
TODAY = datetime.date.today()


@pytest.fixture
def board(db):
    council = OrganisationFactory(
        code="tc", name="Testshire Council", kind="local_authority", standing="statutory_partner"
    )
    police = OrganisationFactory(code="tp", name="Testshire Police", kind="police", standing="statutory_partner")
    ceo = PostFactory(
        organisation=council, job_title="Chief Executive", seniority="lead_partner", person__full_name="Clare Chief"
    ).person
    chief = PostFactory(
        organisation=police, job_title="Chief Constable", seniority="lead_partner", person__full_name="Conor Constable"
    ).person
    inspector = PostFactory(
        organisation=police, job_title="Chief Inspector", seniority="manager", person__full_name="Ian Inspector"
    ).person
    group = services.group_create(code="board", name="Executive Board", kind="board", quorum_minimum=2, actor=SYSTEM)
    for person, org in ((ceo, council), (chief, police)):
        services.membership_add(
            group=group,
            person=person,
            organisation=org,
            expected_seniority="lead_partner",
            started_on=TODAY - datetime.timedelta(days=400),
            actor=SYSTEM,
        )
    return {"group": group, "ceo": ceo, "chief": chief, "inspector": inspector, "police": police}


def test_business_manager_records_a_meeting_and_its_register(client, signed_in, board):
    signed_in(client, "business_manager")
    day = TODAY - datetime.timedelta(days=10)
    response = client.post(
        "/governance/meetings/add/",
        {
            "group": board["group"].pk,
            **date_input_data("date", day),
            "starts_at": "10:00",
            "ends_at": "12:00",
            "mode": "hybrid",
            "venue": "Town Hall",
            "agenda": "Welcome\nMACE update\nAOB",
        },
    )
    meeting = Meeting.objects.get(group=board["group"], date=day)
    assert response.status_code == 302 and response["Location"] == f"/governance/meetings/{meeting.pk}/"
    assert [i.title for i in meeting.agenda_items.all()] == ["Welcome", "MACE update", "AOB"]

    page = client.get(f"/governance/meetings/{meeting.pk}/register/")
    assert page.status_code == 200
    assert "Clare Chief, Testshire Council" in page.content.decode()
    # Rows are ordered by organisation then name: council first, then police.
    response = client.post(
        f"/governance/meetings/{meeting.pk}/register/",
        {
            "m0-status": "in_person",
            "m1-status": "deputy",
            "m1-deputy": board["inspector"].pk,
        },
    )
    assert response.status_code == 302
    deputy_row = Attendance.objects.get(meeting=meeting, person=board["chief"])
    assert deputy_row.deputy == board["inspector"]
    assert deputy_row.deputy_seniority == "manager"
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.quorate is True
    detail = client.get(f"/governance/meetings/{meeting.pk}/").content.decode()
    assert "Below expected seniority" in detail


def test_register_without_a_named_deputy_shows_an_error_and_saves_nothing(client, signed_in, board):
    signed_in(client, "business_manager")
    meeting = services.meeting_create(group=board["group"], date=TODAY, mode="virtual", actor=SYSTEM)
    response = client.post(
        f"/governance/meetings/{meeting.pk}/register/",
        {
            "m0-status": "in_person",
            "m1-status": "deputy",
        },
    )
    assert response.status_code == 200
    assert "Name the deputy who attended for Conor Constable" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()


def _hold(board, day, mode, ceo_status, chief_status, deputy=None):
    meeting = services.meeting_create(group=board["group"], date=day, mode=mode, actor=SYSTEM)
    services.meeting_record_attendance(
        meeting=meeting,
        actor=SYSTEM,
        entries=[
            services.RegisterEntry(person=board["ceo"], status=ceo_status),
            services.RegisterEntry(person=board["chief"], status=chief_status, deputy=deputy),
        ],
    )
    return meeting


def test_answers_page_downloads_and_api_agree(client, signed_in, board):
    _hold(board, TODAY - datetime.timedelta(days=30), "virtual", "in_person", "deputy", board["inspector"])
    _hold(board, TODAY - datetime.timedelta(days=60), "hybrid", "apologies", "virtual")
    signed_in(client, "board_member")
    page = client.get("/governance/answers/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 meetings held" in html
    assert "Lead Partners: attended, delegated or missed" in html
    assert "data:image/svg+xml;base64," in html

    csv_text = client.get("/governance/answers.csv").content.decode()
    assert "Clare Chief,Testshire Council,2,1,0,0,1,0,50%,0" in csv_text
    assert "Conor Constable,Testshire Police,2,0,1,1,0,0,50%,1" in csv_text

    workbook = load_workbook(io.BytesIO(client.get("/governance/answers.xlsx").content))
    lead_rows = list(workbook["Lead Partners"].iter_rows(values_only=True))
    assert lead_rows[0][0] == "Name" and len(lead_rows) == 3

    from safeguarding.accounts.services import api_token_create
    from tests.conftest import make_persona

    admin = make_persona("administrator")
    _, token = api_token_create(organisation=Organisation.objects.get(code="tp"), name="feed", actor=admin)
    body = client.get(
        f"/api/v1/governance/attendance?from={TODAY - datetime.timedelta(days=90)}&to={TODAY}",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert body["meetings_held"] == 2
    chief = next(m for m in body["lead_partners"] if m["name"] == "Conor Constable")
    assert (chief["virtual"], chief["by_deputy"], chief["deputies_below_expected"]) == (1, 1, 1)
    assert {m["mode"]: m["meetings"] for m in body["modes"]} == {"in_person": 0, "virtual": 1, "hybrid": 1}


def test_api_refuses_a_backwards_window(client, persona):
    from safeguarding.accounts.services import api_token_create

    admin = persona("administrator")
    _, token = api_token_create(organisation=OrganisationFactory(), name="feed", actor=admin)
    response = client.get(
        "/api/v1/governance/attendance?from=2026-05-01&to=2026-01-01", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert "'to' must be on or after 'from'" in response.json()["detail"]


def test_the_register_warns_while_it_holds_no_agreement(client, signed_in):
    """With no agreement there is nothing to go by, and the view of a child reads every
    agency's records in detail (docs/security.md): the register says so until one is added."""
    import datetime as dt

    from django.urls import reverse

    from safeguarding.governance.models import SharingAgreement

    client = signed_in(client, "business_manager")
    warning = "The register holds no agreement"
    assert warning in client.get(reverse("governance:agreements")).content.decode()
    SharingAgreement.objects.create(
        reference="ISA-1",
        title="MASH",
        purpose="MASH",
        data_shared="Records about children",
        signed_on=dt.date(2026, 1, 5),
        review_due_on=dt.date(2027, 1, 5),
    )
    assert warning not in client.get(reverse("governance:agreements")).content.decode()
