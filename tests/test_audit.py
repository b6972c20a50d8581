"""The audit trail: every write says who and what changed; rows cannot be changed."""

import datetime

import pytest
from django.db import DatabaseError, transaction

from safeguarding.accounts import services
from safeguarding.core.audit import SystemActor, record_child_read
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Role
from tests.conftest import make_persona, sign_in
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")


@pytest.mark.django_db
def test_a_new_post_ends_the_old_one_the_day_before_and_both_are_audited():
    manager = make_persona(Role.BUSINESS_MANAGER)
    police = OrganisationFactory(code="tp", kind="police", standing="statutory_partner")
    icb = OrganisationFactory(code="ti", kind="icb", standing="statutory_partner")
    person = services.person_create(
        full_name="Sue Super",
        organisation=police,
        job_title="Superintendent",
        seniority="senior_manager",
        started_on=datetime.date(2020, 1, 1),
        actor=manager,
    )
    services.person_change_post(
        person=person,
        organisation=icb,
        job_title="Director",
        seniority="director",
        started_on=datetime.date(2025, 6, 1),
        actor=manager,
    )
    old, new = person.posts.order_by("started_on")
    assert old.ended_on == datetime.date(2025, 5, 31) and new.ended_on is None
    update = AuditEvent.objects.get(action="update", object_type="accounts.post", object_id=str(old.pk))
    assert update.actor == manager and update.changes == {"ended_on": [None, "2025-05-31"]}


@pytest.mark.django_db
def test_organisation_update_records_only_what_changed():
    organisation = services.organisation_create(
        code="x", name="Old name", kind="voluntary", standing="relevant_agency", actor=SYSTEM
    )
    services.organisation_update(organisation=organisation, name="New name", actor=SYSTEM)
    event = AuditEvent.objects.filter(object_type="accounts.organisation").latest("id")
    assert event.action == "update" and event.changes == {"name": ["Old name", "New name"]}


@pytest.mark.django_db
def test_the_database_refuses_to_change_an_audit_row():
    event = AuditEvent.objects.create(actor_label="someone", action="login")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")
    event.refresh_from_db()
    assert event.actor_label == "someone"


@pytest.mark.django_db
def test_a_read_of_child_data_needs_a_purpose():
    organisation = OrganisationFactory()
    with pytest.raises(ValueError):
        record_child_read(actor=SYSTEM, instance=organisation, purpose="  ")
    event = record_child_read(actor=SYSTEM, instance=organisation, purpose="Section 47 enquiry")
    assert event.action == "read" and event.purpose == "Section 47 enquiry"


@pytest.mark.django_db
def test_audit_page_filters_and_exports_and_the_export_is_itself_audited(client):
    admin = make_persona(Role.ADMINISTRATOR)
    services.organisation_create(
        code="y", name="Audited Org", kind="voluntary", standing="relevant_agency", actor=admin
    )
    sign_in(client, admin)
    page = client.get("/audit/?action=create&object_type=accounts.organisation")
    assert page.status_code == 200 and "Audited Org" in page.content.decode()
    csv_text = b"".join(client.get("/audit/export.csv?action=create").streaming_content).decode()
    assert csv_text.splitlines()[0].startswith("at,actor_label,action")
    assert "Audited Org" in csv_text
    assert AuditEvent.objects.filter(action="export", actor=admin).exists()


@pytest.mark.django_db
def test_a_business_manager_adds_an_organisation_and_a_bad_one_writes_nothing(client):
    manager = make_persona(Role.BUSINESS_MANAGER)
    sign_in(client, manager)
    response = client.post(
        "/organisations/add/",
        {"code": "fire", "name": "Testshire Fire", "kind": "fire_rescue", "standing": "relevant_agency"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action="create", object_type="accounts.organisation", actor=manager, object_repr="Testshire Fire"
    ).exists()
    before = AuditEvent.objects.count()
    bad = client.post(
        "/organisations/add/", {"code": "vol", "name": "Charity", "kind": "voluntary", "standing": "statutory_partner"}
    )
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_people_list_does_not_query_per_person(client, django_assert_max_num_queries):
    manager = make_persona(Role.BUSINESS_MANAGER)
    organisation = OrganisationFactory()
    for n in range(30):
        services.person_create(
            full_name=f"Person {n:02d}",
            organisation=organisation,
            job_title="Worker",
            seniority="practitioner",
            started_on=datetime.date(2024, 1, 1),
            actor=SYSTEM,
        )
    sign_in(client, manager)
    with django_assert_max_num_queries(15):
        response = client.get("/people/")
    assert "Person 29" in response.content.decode()
