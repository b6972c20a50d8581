"""The directory: organisations and people, kept by the business manager, read by
partnership staff. Posts keep their history; bad input writes nothing; lists do
not query once per row."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.accounts import services
from safeguarding.accounts.models import Organisation, Person, Post
from safeguarding.core.audit import SystemActor
from safeguarding.core.date_input import date_input_data
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Role
from tests.conftest import make_persona, sign_in
from tests.factories import AreaFactory, OrganisationFactory

SYSTEM = SystemActor("test")


@pytest.fixture
def manager(client, db):
    user = make_persona(Role.BUSINESS_MANAGER)
    sign_in(client, user)
    return user


def _error_summary(response) -> str:
    """The GOV.UK error summary (its HTML); fails if the page has none."""
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.DOTALL)
    assert match, "no error summary on the page"
    return re.sub(r"\s+", " ", match.group(0))


def _add_people(count: int, organisation: Organisation, first: int = 0) -> None:
    for n in range(first, first + count):
        services.person_create(
            full_name=f"Person {n:02d}",
            organisation=organisation,
            job_title=f"Worker {n:02d}",
            seniority="practitioner",
            started_on=datetime.date(2024, 1, 1),
            actor=SYSTEM,
        )


# Organisations ---------------------------------------------------------------------------


def test_the_organisation_list_shows_each_with_its_areas_and_filters(client, manager):
    area = AreaFactory(code="E06000001", name="Testshire")
    fire = services.organisation_create(
        code="fire", name="Testshire Fire", kind="fire_rescue", standing="relevant_agency", areas=[area], actor=SYSTEM
    )
    page = client.get("/organisations/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Testshire Fire" in text and "Testshire Council" in text and "Testshire</td>" in text
    filtered = client.get("/organisations/?kind=fire_rescue").content.decode()
    assert fire.name in filtered and "Testshire Council" not in filtered


def test_an_organisation_page_shows_who_works_there_now(client, manager):
    police = OrganisationFactory(code="tp", name="Testshire Police", kind="police", standing="statutory_partner")
    person = services.person_create(
        full_name="Olive Officer",
        organisation=police,
        job_title="Detective Inspector",
        seniority="manager",
        started_on=datetime.date(2020, 1, 1),
        actor=SYSTEM,
    )
    services.person_create(
        full_name="Len Leaver",
        organisation=police,
        job_title="Sergeant",
        seniority="manager",
        started_on=datetime.date(2019, 1, 1),
        actor=SYSTEM,
    )
    leaver = Person.objects.get(full_name="Len Leaver")
    services.person_change_post(
        person=leaver,
        organisation=OrganisationFactory(code="vol"),
        job_title="Volunteer",
        seniority="practitioner",
        started_on=datetime.date(2024, 1, 1),
        actor=SYSTEM,
    )
    page = client.get("/organisations/tp/")
    assert page.status_code == 200
    text = page.content.decode()
    assert person.full_name in text and "Detective Inspector" in text
    assert "Len Leaver" not in text
    assert client.get("/organisations/no-such-org/").status_code == 404


def test_the_business_manager_adds_an_organisation_and_it_is_audited(client, manager):
    response = client.post(
        "/organisations/add/",
        {"code": "fire", "name": "Testshire Fire", "kind": "fire_rescue", "standing": "relevant_agency"},
    )
    assert response.status_code == 302 and response["Location"] == "/organisations/fire/"
    fire = Organisation.objects.get(code="fire")
    assert (fire.name, fire.kind, fire.standing) == ("Testshire Fire", "fire_rescue", "relevant_agency")
    event = AuditEvent.objects.get(action="create", object_type="accounts.organisation", object_id=str(fire.pk))
    assert event.actor == manager and event.object_repr == "Testshire Fire"
    assert "Testshire Fire added" in client.get(response["Location"]).content.decode()


def test_a_voluntary_body_cannot_be_a_statutory_partner_and_nothing_is_written(client, manager):
    organisations, events = Organisation.objects.count(), AuditEvent.objects.count()
    response = client.post(
        "/organisations/add/",
        {"code": "vol", "name": "Charity", "kind": "voluntary", "standing": "statutory_partner"},
    )
    summary = _error_summary(response)
    assert "There is a problem" in summary
    assert "Only a local authority, a police force or an integrated care board can be a statutory" in summary
    assert "Constraint" not in summary, "the database's rule name is no message for a person"
    assert 'href="#id_standing"' in summary
    assert Organisation.objects.count() == organisations
    assert AuditEvent.objects.count() == events


def test_a_missing_name_and_a_taken_code_are_both_reported(client, manager):
    OrganisationFactory(code="taken")
    response = client.post("/organisations/add/", {"code": "taken", "name": "", "kind": "voluntary", "standing": ""})
    summary = _error_summary(response)
    for field in ("id_code", "id_name", "id_standing"):
        assert f'href="#{field}"' in summary, f"the summary does not link to {field}"
    assert "This short code is already used: choose another" in summary
    assert not Organisation.objects.filter(name="").exists()


def test_editing_an_organisation_records_only_what_changed(client, manager):
    area = AreaFactory(code="E06000001", name="Testshire")
    fire = services.organisation_create(
        code="fire", name="Testshire Fire", kind="fire_rescue", standing="relevant_agency", actor=SYSTEM
    )
    form = client.get("/organisations/fire/change/")
    assert form.status_code == 200 and 'value="Testshire Fire"' in form.content.decode()
    response = client.post(
        "/organisations/fire/change/",
        {
            "code": "fire",
            "name": "Testshire Fire and Rescue",
            "kind": "fire_rescue",
            "standing": "relevant_agency",
            "areas": [area.pk],
            "email_domains": "",
        },
    )
    assert response.status_code == 302
    fire.refresh_from_db()
    assert fire.name == "Testshire Fire and Rescue" and list(fire.areas.all()) == [area]
    event = AuditEvent.objects.filter(object_type="accounts.organisation", object_id=str(fire.pk)).latest("id")
    assert event.action == "update" and event.actor == manager
    assert event.changes == {"name": ["Testshire Fire", "Testshire Fire and Rescue"], "areas": [[], ["E06000001"]]}


def test_a_neighbouring_partnership_must_be_a_partnership(client, manager):
    response = client.post(
        "/organisations/add/",
        {"code": "nb", "name": "Northshire Police", "kind": "police", "standing": "neighbouring_partnership"},
    )
    summary = _error_summary(response)
    assert "Only a safeguarding children partnership can be a neighbouring partnership" in summary
    assert not Organisation.objects.filter(code="nb").exists()


def test_a_bad_edit_changes_nothing(client, manager):
    services.organisation_create(code="vol", name="Charity", kind="voluntary", standing="relevant_agency", actor=SYSTEM)
    events = AuditEvent.objects.count()
    response = client.post(
        "/organisations/vol/change/",
        {"code": "vol", "name": "Charity", "kind": "voluntary", "standing": "statutory_partner"},
    )
    _error_summary(response)
    assert Organisation.objects.get(code="vol").standing == "relevant_agency"
    assert AuditEvent.objects.count() == events


def test_partnership_staff_read_the_directory_but_do_not_change_it(client, db):
    sign_in(client, make_persona(Role.ANALYST))
    assert client.get("/organisations/").status_code == 200
    assert "Add an organisation" not in client.get("/organisations/").content.decode()
    response = client.post(
        "/organisations/add/", {"code": "x", "name": "X", "kind": "voluntary", "standing": "relevant_agency"}
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(code="x").exists()


# People and posts -----------------------------------------------------------------------


def test_a_person_is_added_then_moves_and_their_history_is_kept(client, manager):
    police = OrganisationFactory(code="tp", name="Testshire Police", kind="police", standing="statutory_partner")
    icb = OrganisationFactory(code="ti", name="Testshire ICB", kind="icb", standing="statutory_partner")
    response = client.post(
        "/people/add/",
        {
            "full_name": "Sue Super",
            "email": "sue@police.example",
            "organisation": police.pk,
            "job_title": "Superintendent",
            "seniority": "senior_manager",
            **date_input_data("started_on", datetime.date(2020, 1, 1)),
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(full_name="Sue Super")
    assert response["Location"] == f"/people/{person.pk}/"
    assert person.reference and person.reference.startswith("p-")
    assert AuditEvent.objects.filter(action="create", object_type="accounts.person", actor=manager).exists()

    moved = client.post(
        f"/people/{person.pk}/new-post/",
        {
            "organisation": icb.pk,
            "job_title": "Director of Nursing",
            "seniority": "director",
            **date_input_data("started_on", datetime.date(2025, 6, 1)),
        },
    )
    assert moved.status_code == 302
    posts = list(Post.objects.filter(person=person).order_by("started_on"))
    assert [(p.organisation.code, p.started_on, p.ended_on) for p in posts] == [
        ("tp", datetime.date(2020, 1, 1), datetime.date(2025, 5, 31)),
        ("ti", datetime.date(2025, 6, 1), None),
    ]
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Superintendent" in page and "Director of Nursing" in page
    assert page.index("Director of Nursing") < page.index("Superintendent"), "most recent post first"


def test_a_new_post_starting_before_the_current_one_is_refused_on_the_form(client, manager):
    police = OrganisationFactory(code="tp", kind="police", standing="statutory_partner")
    person = services.person_create(
        full_name="Sue Super",
        organisation=police,
        job_title="Superintendent",
        seniority="senior_manager",
        started_on=datetime.date(2024, 1, 1),
        actor=SYSTEM,
    )
    events = AuditEvent.objects.count()
    response = client.post(
        f"/people/{person.pk}/new-post/",
        {"organisation": police.pk, "job_title": "Chief", "seniority": "director"}
        | date_input_data("started_on", datetime.date(2023, 1, 1)),
    )
    assert "The new post must start after the current one" in _error_summary(response)
    assert Post.objects.filter(person=person).count() == 1
    assert AuditEvent.objects.count() == events


def test_an_incomplete_person_form_writes_nothing(client, manager):
    response = client.post("/people/add/", {"full_name": "", "job_title": "", "started_on-day": "not a date"})
    _error_summary(response)
    assert not Person.objects.filter(full_name="").exists()
    assert not AuditEvent.objects.filter(object_type="accounts.person").exists()


def test_people_can_be_found_by_name_or_job_title(client, manager):
    _add_people(3, OrganisationFactory())
    by_title = client.get("/people/?q=worker 01").content.decode()
    assert "Person 01" in by_title and "Person 02" not in by_title
    by_name = client.get("/people/?q=person 02").content.decode()
    assert "Person 02" in by_name and "Person 01" not in by_name


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_people_list_does_not_query_per_person(client, manager, django_assert_max_num_queries):
    organisation = OrganisationFactory()
    _add_people(3, organisation)
    few = _queries(client, "/people/")
    _add_people(27, organisation, first=3)
    with django_assert_max_num_queries(few):
        response = client.get("/people/")
    text = response.content.decode()
    assert "Person 29" in text and "Worker 29" in text and organisation.name in text


def test_the_organisation_list_does_not_query_per_organisation(client, manager, django_assert_max_num_queries):
    area = AreaFactory(code="E06000001", name="Testshire")
    for n in range(3):
        OrganisationFactory(code=f"o{n}").areas.add(area)
    few = _queries(client, "/organisations/")
    for n in range(3, 25):
        OrganisationFactory(code=f"o{n}").areas.add(area)
    with django_assert_max_num_queries(few):
        assert client.get("/organisations/").status_code == 200
