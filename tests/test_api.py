"""The JSON API: partner tokens stored as hashes, every use audited, errors as JSON
with no trace, and each partner seeing only its own organisation's people."""

import datetime
import hashlib
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from safeguarding.accounts import services
from safeguarding.accounts.models import ApiToken
from safeguarding.core.api import api
from safeguarding.core.audit import SystemActor
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Role
from tests.conftest import make_persona, sign_in
from tests.factories import OrganisationFactory, PostFactory

SYSTEM = SystemActor("test")
TRACE = re.compile(r"Traceback|File \"|line \d+|Exception|Error:", re.IGNORECASE)


@pytest.fixture
def police(db):
    return OrganisationFactory(code="tp", name="Testshire Police", kind="police", standing="statutory_partner")


@pytest.fixture
def admin(db):
    return make_persona(Role.ADMINISTRATOR)


@pytest.fixture
def token(police, admin):
    """A live police token, in plain text."""
    return services.api_token_create(organisation=police, name="Police feed", actor=admin)[1]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert not TRACE.search(response.content.decode()), response.content
    return body


# Tokens -----------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_only_its_hash_is_stored(police, admin):
    row, plaintext = services.api_token_create(organisation=police, name="Police feed", actor=admin)
    assert plaintext.startswith(f"sg_{row.prefix}_") and len(plaintext) > 40
    stored = ApiToken.objects.get(pk=row.pk)
    assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    secret = plaintext.removeprefix(f"sg_{row.prefix}_")  # the secret itself may contain "_"
    for field in ApiToken._meta.concrete_fields:
        assert secret not in str(field.value_from_object(stored)), field.name
    created = AuditEvent.objects.get(action="create", object_type="accounts.apitoken", object_id=str(row.pk))
    assert created.actor == admin
    assert "token_hash" not in created.changes and secret not in str(created.changes)


def test_the_tokens_page_shows_a_new_token_once(client, police, admin):
    sign_in(client, admin)
    created = client.post("/api-tokens/", {"organisation": police.pk, "name": "Police feed"})
    assert created.status_code == 200
    plaintext = re.search(r"sg_[0-9a-f]{8}_[A-Za-z0-9_-]+", created.content.decode()).group(0)
    assert ApiToken.objects.get().token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in client.get("/api-tokens/").content.decode()


def test_a_token_reads_organisations(client, police, token):
    response = client.get("/api/v1/organisations", headers=bearer(token))
    assert response.status_code == 200
    assert {
        "code": "tp",
        "name": "Testshire Police",
        "kind": "police",
        "standing": "statutory_partner",
        "areas": [],
    } in (response.json())
    one = client.get("/api/v1/organisations/tp", headers=bearer(token))
    assert one.status_code == 200 and one.json()["name"] == "Testshire Police"


def test_every_use_is_audited_and_marks_the_token_used(client, police, token):
    row = ApiToken.objects.get()
    assert row.last_used_at is None
    for n in range(1, 4):
        client.get("/api/v1/organisations", headers=bearer(token))
        uses = AuditEvent.objects.filter(action="api_use", api_token=row)
        assert uses.count() == n
    event = uses.latest("id")
    assert event.changes == {"path": "/api/v1/organisations"}
    assert event.actor is None and event.actor_label == f"API token {row.prefix} (tp)"
    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer sg_00000000_nothing"])
def test_without_a_live_token_the_answer_is_401_json(client, token, header):
    headers = {} if header is None else {"Authorization": header}
    body = assert_json_error(client.get("/api/v1/organisations", headers=headers), 401)
    assert body["errors"] == []
    assert not AuditEvent.objects.filter(action="api_use").exists()


def test_a_revoked_token_is_refused_and_the_attempt_audited(client, admin, token):
    row = ApiToken.objects.get()
    assert client.get("/api/v1/organisations", headers=bearer(token)).status_code == 200
    services.api_token_revoke(token=row, actor=admin)
    assert_json_error(client.get("/api/v1/organisations", headers=bearer(token)), 401)
    refused = AuditEvent.objects.get(action="api_refused", api_token=row)
    assert refused.changes == {"path": "/api/v1/organisations", "reason": "revoked"}
    assert AuditEvent.objects.filter(action="api_use", api_token=row).count() == 1


def test_a_revoked_token_is_refused_after_revoking_on_the_page(client, admin, token):
    row = ApiToken.objects.get()
    sign_in(client, admin)
    assert client.post(f"/api-tokens/{row.pk}/revoke/").status_code == 302
    client.logout()
    assert_json_error(client.get("/api/v1/organisations", headers=bearer(token)), 401)
    row.refresh_from_db()
    assert row.revoked_by == admin


def test_a_signed_in_session_is_not_a_token(client, admin):
    sign_in(client, admin)
    assert_json_error(client.get("/api/v1/organisations"), 401)


# Errors -----------------------------------------------------------------------------------


def test_a_validation_error_is_422_with_the_field_and_a_message(client, token):
    response = client.get("/api/v1/governance/attendance?from=not-a-date", headers=bearer(token))
    body = assert_json_error(response, 422)
    assert body["errors"] and body["errors"][0]["field"] == "from"
    assert body["errors"][0]["message"]


def test_a_bad_body_is_422_naming_the_field(client, token):
    response = client.post(
        "/api/v1/performance/returns",
        {"figures": [{"indicator": "da-crimes", "period": "2025-Q2", "value": "lots"}]},
        content_type="application/json",
        headers=bearer(token),
    )
    body = assert_json_error(response, 422)
    assert "figures.0.value" in {error["field"] for error in body["errors"]}


def test_unparseable_json_is_a_json_400(client, token):
    response = client.post(
        "/api/v1/performance/returns", "{not json", content_type="application/json", headers=bearer(token)
    )
    assert_json_error(response, 400)


def test_an_unknown_organisation_is_a_json_404(client, token):
    body = assert_json_error(client.get("/api/v1/organisations/no-such-org", headers=bearer(token)), 404)
    assert body == {"detail": "Not found.", "errors": []}


@pytest.mark.parametrize("path", ["/api/v1/no-such-route", "/api/v1/organisations/", "/api/v2/organisations"])
def test_a_path_no_route_matches_is_a_json_404(client, token, path):
    body = assert_json_error(client.get(path, headers=bearer(token)), 404)
    assert body == {"detail": "Not found.", "errors": []}


def test_a_wrong_method_is_refused_without_a_trace(client, token):
    response = client.delete("/api/v1/organisations", headers=bearer(token))
    assert response.status_code == 405
    assert not TRACE.search(response.content.decode())


def test_an_unexpected_error_is_a_500_that_gives_nothing_away(db):
    request = RequestFactory().get("/api/v1/organisations")
    response = api.on_exception(request, RuntimeError("secret detail from deep inside"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret detail" not in body and "RuntimeError" not in body
    assert "nothing was saved" in body


# Scoping -----------------------------------------------------------------------------------


def test_people_are_those_who_work_or_worked_in_the_tokens_organisation(client, police, token):
    council = OrganisationFactory(code="tc", kind="local_authority", standing="statutory_partner")
    officer = PostFactory(organisation=police, person__full_name="Olive Officer").person
    PostFactory(organisation=council, person__full_name="Carol Council")
    mover = PostFactory(
        organisation=police,
        person__full_name="Mo Mover",
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2023, 12, 31),
    ).person
    PostFactory(person=mover, organisation=council, started_on=datetime.date(2024, 1, 1))

    response = client.get("/api/v1/people", headers=bearer(token))
    assert response.status_code == 200
    people = {p["full_name"]: p for p in response.json()}
    assert set(people) == {"Olive Officer", "Mo Mover"}
    assert people["Olive Officer"]["id"] == officer.pk
    assert [(p["organisation"], p["ended_on"]) for p in people["Mo Mover"]["posts"]] == [
        ("tc", None),
        ("tp", "2023-12-31"),
    ]


def test_a_council_token_does_not_see_police_people(client, police, admin):
    council = OrganisationFactory(code="tc", kind="local_authority", standing="statutory_partner")
    PostFactory(organisation=police, person__full_name="Olive Officer")
    _, council_token = services.api_token_create(organisation=council, name="Council feed", actor=admin)
    response = client.get("/api/v1/people", headers=bearer(council_token))
    assert response.status_code == 200 and response.json() == []


# Documentation ------------------------------------------------------------------------------


DOCS, SCHEMA = "/api/v1/docs", "/api/v1/openapi.json"


def test_the_docs_page_and_schema_are_served_to_signed_in_staff(client, db):
    sign_in(client, make_persona(Role.TRAINING_COORDINATOR))
    assert client.get(DOCS).status_code == 200
    schema = client.get(SCHEMA)
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/organisations", "/api/v1/organisations/{code}", "/api/v1/people"):
        assert path in paths
    assert "PartnerToken" in schema.json()["components"]["securitySchemes"]


def test_the_schema_is_served_to_a_partner_token_and_the_use_audited(client, token):
    response = client.get(SCHEMA, headers=bearer(token))
    assert response.status_code == 200 and "/api/v1/people" in response.json()["paths"]
    assert AuditEvent.objects.filter(action="api_use", changes__path=SCHEMA).exists()


def test_a_visitor_gets_neither_the_docs_nor_the_schema(client, db):
    """Decision 0004: the description of the API is not public."""
    docs = client.get(DOCS)
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("accounts:login"))
    body = assert_json_error(client.get(SCHEMA), 401)
    assert "paths" not in body
    assert client.get(SCHEMA)["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("credential", ["not-a-token", "sg_abc_forged", "revoked"])
def test_a_bad_or_revoked_token_gets_no_schema(client, token, police, admin, credential):
    if credential == "revoked":
        row, credential = services.api_token_create(organisation=police, name="Old feed", actor=admin)
        services.api_token_revoke(token=row, actor=admin)
    assert_json_error(client.get(SCHEMA, headers=bearer(credential)), 401)
    assert_json_error(client.get(DOCS, headers=bearer(credential)), 401)


def test_a_councillor_and_a_staff_member_without_two_step_verification_are_refused(client, db):
    sign_in(client, make_persona(Role.SCRUTINY_MEMBER))
    assert_json_error(client.get(SCHEMA), 403)
    assert client.get(DOCS).status_code == 403
    client.logout()
    client.force_login(make_persona(Role.ADMINISTRATOR))  # password only: no two-step code yet
    assert "two-step" in assert_json_error(client.get(SCHEMA), 403)["detail"]
