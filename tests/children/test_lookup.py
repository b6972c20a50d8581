""" "Is this child known?": partial details, a misspelt name, the agencies that know the
child, and every search recorded with its purpose."""

import pytest
from django.urls import reverse

from safeguarding.accounts.services import api_token_create
from safeguarding.children import selectors
from safeguarding.children.models import AgencyRecord
from safeguarding.core.models import AuditEvent
from tests.conftest import make_persona, sign_in


@pytest.fixture
def child_record(linked):
    """A linked record with an NHS number and a longish first name."""
    return (
        AgencyRecord.objects.filter(nhs_number_valid=True, child__isnull=False)
        .exclude(date_of_birth=None)
        .select_related("child", "source")
        .order_by("pk")
        .filter(first_name__regex=r"^[A-Za-z]{6,}$")
        .first()
    )


def test_an_nhs_number_alone_finds_the_child_and_the_agencies_that_know_them(child_record):
    results = selectors.lookup({"nhs_number": child_record.nhs_number})
    assert results[0].reference == child_record.child.reference
    assert child_record.source.name in results[0].agencies


def test_a_misspelt_name_with_the_date_of_birth_still_finds_the_child(child_record):
    name = child_record.first_name
    misspelt = name[0] + name[2] + name[1] + name[3:]  # two letters swapped
    results = selectors.lookup(
        {"first_name": misspelt, "last_name": child_record.last_name, "date_of_birth": str(child_record.date_of_birth)}
    )
    assert child_record.child.reference in [r.reference for r in results[:3]]


def test_nobody_matches_a_stranger(linked):
    assert selectors.lookup({"first_name": "Zebedee", "last_name": "Quillfeather", "date_of_birth": "2019-02-02"}) == []


def test_the_page_asks_why_and_records_the_search_and_each_child_found(client, child_record):
    practitioner = make_persona("mash_practitioner")
    sign_in(client, practitioner)
    url = reverse("children:lookup")
    refused = client.post(url, {"nhs_number": child_record.nhs_number})
    assert refused.status_code == 200 and "Select why are you checking?" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="read", actor=practitioner).exists()
    response = client.post(url, {"nhs_number": child_record.nhs_number, "purpose": "mash_enquiry"})
    assert child_record.child.reference in response.content.decode()
    search = AuditEvent.objects.get(action="read", actor=practitioner, object_type="")
    assert search.changes["search"] == {"nhs_number": child_record.nhs_number}
    assert search.purpose.startswith("Is this child known? A MASH enquiry")
    assert AuditEvent.objects.filter(
        action="read", actor=practitioner, object_type="children.child", object_id=str(child_record.child_id)
    ).exists()


def test_too_little_detail_is_refused(client, linked):
    sign_in(client, make_persona("mash_practitioner"))
    response = client.post(reverse("children:lookup"), {"first_name": "Amy", "purpose": "mash_enquiry"})
    assert "Enter an NHS number, or a first and last name" in response.content.decode()


def test_partner_systems_look_a_child_up_through_the_api(client, child_record):
    admin = make_persona("administrator")
    _row, token = api_token_create(organisation=child_record.source.organisation, name="ED", actor=admin)
    headers = {"Authorization": f"Bearer {token}"}
    body = {"nhs_number": child_record.nhs_number, "purpose": "Child in the emergency department"}
    response = client.post("/api/v1/children/lookup", body, content_type="application/json", headers=headers)
    assert response.status_code == 200
    assert response.json()["children"][0]["child_id"] == child_record.child.reference
    too_little = client.post(
        "/api/v1/children/lookup",
        {"last_name": "Smith", "purpose": "x y z"},
        content_type="application/json",
        headers=headers,
    )
    assert too_little.status_code == 422


def test_a_date_of_birth_is_typed_day_month_year_and_a_wrong_one_is_named(client, child_record):
    sign_in(client, make_persona("mash_practitioner"))
    dob = child_record.date_of_birth
    form = {"first_name": child_record.first_name, "last_name": child_record.last_name, "purpose": "section_47"}
    response = client.post(reverse("children:lookup"), form | {"date_of_birth": f"{dob.day}/{dob.month}/{dob.year}"})
    assert child_record.child.reference in response.content.decode()
    wrong = client.post(reverse("children:lookup"), form | {"date_of_birth": "31/2/2019"})
    assert "Enter the date of birth as day/month/year" in wrong.content.decode()


def test_the_child_is_still_found_when_many_records_make_any_two_unlikely_to_match(child_record):
    from safeguarding.children import matching

    index = matching.index_cache.get()
    index.prior_weight -= 20  # as with millions of records: the same details now score below zero
    try:
        results = selectors.lookup({"nhs_number": child_record.nhs_number})
    finally:
        index.prior_weight += 20
    assert results and results[0].reference == child_record.child.reference
