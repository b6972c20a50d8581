"""A partner token acts only for its own organisation: every API route, scoped.

``test_permission_matrix`` proves that every route needs a live token. This file
proves what a live token of one organisation can do to another's data. Each
operation has a scope decision in ``TOKEN_SCOPE``, so a route added without one
fails here; each scope that limits a token to its organisation has a test below
(the data package's per-file tests are in ``tests/core/test_datapackage_scope.py``,
the lookup's desk cut in ``tests/children/test_object_access.py``).
"""

import pytest

from safeguarding.accounts.services import api_token_create
from safeguarding.children import services as children
from safeguarding.children.models import AgencyRecord
from safeguarding.core.api import api
from safeguarding.core.audit import SystemActor
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.models import DataReturn
from tests.factories import AreaFactory, OrganisationFactory, PostFactory, UserFactory

SYSTEM = SystemActor("test")

# What a live token may reach, per operation:
#   reference: the partnership's directory of organisations, the same for every partner
#   aggregate: the committee's published-style answers, counts of staff, no child-level data
#   own: only the token's own organisation's records, however the request is worded
TOKEN_SCOPE = {
    "GET /api/v1/organisations": "reference",
    "GET /api/v1/organisations/{code}": "reference",
    "GET /api/v1/people": "own",
    "GET /api/v1/governance/attendance": "aggregate",
    "GET /api/v1/training/summary": "aggregate",
    "GET /api/v1/reviews/summary": "aggregate",
    "POST /api/v1/data-package": "own",
    "POST /api/v1/performance/returns": "own",
    "POST /api/v1/children/lookup": "own",
    "POST /api/v1/children/records": "own",
}


def test_every_api_operation_has_a_token_scope_decision():
    schema = api.get_openapi_schema()
    operations = {f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods}
    assert operations == set(TOKEN_SCOPE), (
        f"Operations without a scope decision: {sorted(operations ^ set(TOKEN_SCOPE))}"
    )


@pytest.fixture
def partners(db):
    """A council and a police force, each with staff, a children's system and a token."""
    admin = UserFactory(roles=["administrator"])
    area = AreaFactory(code="E06999001", name="Northshire")
    council = OrganisationFactory(code="council", kind="local_authority", standing="statutory_partner")
    police = OrganisationFactory(code="police", kind="police", standing="statutory_partner")
    for organisation in (council, police):
        organisation.areas.add(area)
    PostFactory(person__full_name="Carol Council-Officer", organisation=council)
    PostFactory(person__full_name="Pat Police-Officer", organisation=police)
    children.source_register(
        code="council-csc",
        name="Council social care",
        organisation=council,
        kind="social_care",
        areas=[area],
        actor=SYSTEM,
    )
    children.source_register(
        code="police-niche", name="Police records", organisation=police, kind="police", areas=[area], actor=SYSTEM
    )
    _, council_token = api_token_create(organisation=council, name="Council feed", actor=admin)
    _, police_token = api_token_create(organisation=police, name="Police feed", actor=admin)
    return {"council": council, "police": police, "council_token": council_token, "police_token": police_token}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_people_are_only_the_tokens_own_organisations(partners, client):
    response = client.get("/api/v1/people", headers=_bearer(partners["police_token"]))
    assert response.status_code == 200
    names = {person["full_name"] for person in response.json()}
    assert names == {"Pat Police-Officer"}


def test_a_return_is_stored_for_the_tokens_organisation_whatever_the_body_names(partners, client):
    load_standard_set(actor=SYSTEM, priorities={})
    body = {
        "organisation": "council",  # not a field of the route: a token cannot choose whom it sends for
        "figures": [{"indicator": "da-crimes", "period": "2025-Q2", "value": 30, "organisation": "council"}],
    }
    response = client.post(
        "/api/v1/performance/returns", body, content_type="application/json", headers=_bearer(partners["police_token"])
    )
    assert response.status_code == 201, response.content
    assert list(DataReturn.objects.values_list("organisation__code", flat=True)) == ["police"]


def test_records_for_another_organisations_system_are_refused_and_nothing_is_stored(partners, client):
    body = {
        "records": [
            {"source": "police-niche", "record_id": "P1", "last_name": "Fielding"},
            {"source": "council-csc", "record_id": "C1", "last_name": "Fielding", "postcode": "NS1 1AA"},
        ]
    }
    response = client.post(
        "/api/v1/children/records", body, content_type="application/json", headers=_bearer(partners["police_token"])
    )
    assert response.status_code == 422, response.content
    messages = [error["message"] for error in response.json()["errors"]]
    assert any("council-csc" in message and "row 2" in message for message in messages), messages
    assert not AgencyRecord.objects.exists()


def test_records_for_the_tokens_own_system_are_stored(partners, client):
    body = {"records": [{"source": "council-csc", "record_id": "C1", "last_name": "Fielding"}]}
    response = client.post(
        "/api/v1/children/records", body, content_type="application/json", headers=_bearer(partners["council_token"])
    )
    assert response.status_code == 201, response.content
    assert list(AgencyRecord.objects.values_list("source__code", "record_id")) == [("council-csc", "C1")]
