"""A partner token sends through ``POST /api/v1/data-package`` only its own
organisation's rows; reference data, people, governance and agreements stay with
the partnership's staff (and the ``safeguarding import`` command, run as the system).

Every registered file has a decision here and in its FileSpec; a file added without
one fails ``test_every_file_has_a_partner_token_decision``.
"""

import datetime as dt

import pytest

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.services import api_token_create
from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import REGISTRY, PackageError, import_files
from safeguarding.core.models import AuditEvent
from safeguarding.governance import services as gov
from safeguarding.governance.models import LawfulBasis, SharingAgreement
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.models import DataReturn, ReturnValue
from safeguarding.training import services as training
from safeguarding.training.models import Booking, ElearningCompletion, Workforce
from tests.factories import OrganisationFactory, PostFactory, UserFactory, gcp2_course

SYSTEM = SystemActor("test")

STAFF_ONLY = "staff only"
# The file's decision: staff only, or the column that names the row's organisation.
DECISIONS = {
    "areas.csv": STAFF_ONLY,
    "organisations.csv": STAFF_ONLY,
    "people.csv": STAFF_ONLY,
    "groups.csv": STAFF_ONLY,
    "memberships.csv": STAFF_ONLY,
    "meetings.csv": STAFF_ONLY,
    "attendance.csv": STAFF_ONLY,
    "priorities.csv": STAFF_ONLY,
    "priority_updates.csv": STAFF_ONLY,
    "lawful_bases.csv": STAFF_ONLY,
    "agreements.csv": STAFF_ONLY,
    "scrutiny_recommendations.csv": STAFF_ONLY,
    "scrutiny_responses.csv": STAFF_ONLY,
    "actions.csv": STAFF_ONLY,
    "action_updates.csv": STAFF_ONLY,
    "topics.csv": STAFF_ONLY,
    "courses.csv": STAFF_ONLY,
    "sessions.csv": STAFF_ONLY,
    "bookings.csv": "organisation",
    "evaluations.csv": STAFF_ONLY,
    "follow_ups.csv": STAFF_ONLY,
    "elearning_completions.csv": "organisation",
    "workforce.csv": "organisation",
    "indicators.csv": STAFF_ONLY,
    "populations.csv": STAFF_ONLY,
    "returns.csv": "organisation",
    "return_values.csv": "organisation",
    "notification_reasons.csv": STAFF_ONLY,
    "review_themes.csv": STAFF_ONLY,
    "notifications.csv": STAFF_ONLY,
    "referrals.csv": STAFF_ONLY,
    "rapid_reviews.csv": STAFF_ONLY,
    "rapid_review_sign_offs.csv": STAFF_ONLY,
    "practice_reviews.csv": STAFF_ONLY,
    "parallel_processes.csv": STAFF_ONLY,
    "review_pauses.csv": STAFF_ONLY,
    "monitoring_checks.csv": STAFF_ONLY,
    "report_versions.csv": STAFF_ONLY,
    "national_reviews.csv": STAFF_ONLY,
    "learning_recommendations.csv": STAFF_ONLY,
    "recommendation_actions.csv": STAFF_ONLY,
    "impact_evidence.csv": STAFF_ONLY,
}


def _decision(spec) -> str:
    return STAFF_ONLY if spec.partner is None else spec.partner.column


def test_every_file_has_a_partner_token_decision():
    assert {spec.name for spec in REGISTRY} == set(DECISIONS), "decide how a partner token may use each new file"
    assert {spec.name: _decision(spec) for spec in REGISTRY} == DECISIONS


@pytest.fixture
def partners(db):
    """A council, a police force and a school, each with a member of staff and a token."""
    admin = UserFactory(roles=["administrator"])
    organisations = {
        "council": OrganisationFactory(
            code="council", name="Council", kind="local_authority", standing="statutory_partner"
        ),
        "police": OrganisationFactory(
            code="police", name="Northshire Police", kind="police", standing="statutory_partner"
        ),
        "icb": OrganisationFactory(code="icb", name="ICB", kind="icb", standing="statutory_partner"),
        "school": OrganisationFactory(code="school", name="Riverside High", kind="school"),
    }
    Organisation.objects.filter(code="police").update(email_domains="police.example")
    people = {
        code: PostFactory(organisation=org, person__reference=f"{code}-1").person for code, org in organisations.items()
    }
    tokens = {
        code: api_token_create(organisation=org, name=f"{code} feed", actor=admin)[1]
        for code, org in organisations.items()
    }
    return {"organisations": organisations, "people": people, "tokens": tokens}


def _post(client, token: str, files: dict):
    return client.post(
        "/api/v1/data-package",
        {"files": files},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def _writes() -> int:
    return AuditEvent.objects.filter(action__in=["create", "update", "delete"]).count()


@pytest.mark.parametrize("spec", REGISTRY, ids=lambda spec: spec.name)
def test_a_token_cannot_send_another_organisations_rows_in_any_file(spec, partners, client):
    """The school's token sends a row naming the council: refused, naming file, row and
    column (or the whole file, where tokens may not send it at all), and nothing is written."""
    row = {column.name: "council" if column.kind == "ref" else "x" for column in spec.columns}
    writes = _writes()

    response = _post(client, partners["tokens"]["school"], {spec.name: [row]})

    assert response.status_code == 422, response.content
    messages = [error["message"] for error in response.json()["errors"]]
    decision = DECISIONS[spec.name]
    if decision == STAFF_ONLY:
        expected = f"{spec.name}: a partner token of school may not send this file"
    else:
        expected = f"{spec.name}, row 2, column {decision}: a partner token of school may send only its own organisation's rows."
    assert any(message.startswith(expected) for message in messages), messages
    assert _writes() == writes


def test_the_cli_and_staff_keep_full_access(partners):
    report = import_files({"lawful_bases.csv": [{"code": "gdpr-6-1-e", "title": "Public task"}]}, actor=SYSTEM)
    assert report.counts["lawful_bases.csv"]["created"] == 1


def test_the_reported_attack_is_refused_and_changes_nothing(partners, client):
    """A school's token once made itself a party to the council and ICB's agreement and
    renamed the police; now each file is refused and nothing changes."""
    orgs = partners["organisations"]
    basis = gov.lawful_basis_create(code="gdpr-6-1-e", title="UK GDPR 6(1)(e)", actor=SYSTEM)
    gov.agreement_create(
        reference="ISA-1",
        title="MASH",
        purpose="Front door",
        data_shared="Referrals",
        parties=[orgs["council"], orgs["icb"]],
        lawful_bases=[basis],
        signed_on=dt.date(2025, 4, 1),
        review_due_on=dt.date(2027, 4, 1),
        actor=SYSTEM,
    )
    writes = _writes()
    files = {
        "lawful_bases.csv": [{"code": "made-up", "title": "Because we say so"}],
        "agreements.csv": [
            {
                "reference": "ISA-1",
                "title": "MASH",
                "purpose": "Front door",
                "data_shared": "Referrals",
                "parties": "council;icb;school",
                "lawful_bases": "gdpr-6-1-e;made-up",
                "signed_on": "2025-04-01",
                "review_due_on": "2027-04-01",
            }
        ],
        "organisations.csv": [
            {
                "code": "police",
                "name": "Not the Police",
                "kind": "police",
                "standing": "statutory_partner",
                "email_domains": "school.example",
            }
        ],
    }

    response = _post(client, partners["tokens"]["school"], files)

    assert response.status_code == 422, response.content
    messages = [error["message"] for error in response.json()["errors"]]
    for name in ("lawful_bases.csv", "agreements.csv", "organisations.csv"):
        assert f"{name}: a partner token of school may not send this file; it is kept by the partnership's staff." in (
            messages
        )
    agreement = SharingAgreement.objects.get(reference="ISA-1")
    assert sorted(agreement.parties.values_list("code", flat=True)) == ["council", "icb"]
    assert list(LawfulBasis.objects.values_list("code", flat=True)) == ["gdpr-6-1-e"]
    police = Organisation.objects.get(code="police")
    assert (police.name, police.email_domains) == ("Northshire Police", "police.example")
    assert _writes() == writes


def _return_files(organisation: str, value: int = 30) -> dict:
    return {
        "returns.csv": [
            {
                "organisation": organisation,
                "period": "2025-Q2",
                "version": 1,
                "is_current": True,
                "submitted_at": "2025-07-10T09:00:00",
                "submitted_by": "Police feed",
                "source": "api",
            }
        ],
        "return_values.csv": [
            {"organisation": organisation, "period": "2025-Q2", "version": 1, "indicator": "da-crimes", "value": value}
        ],
    }


def test_a_token_sends_its_own_return(partners, client):
    load_standard_set(actor=SYSTEM, priorities={})

    response = _post(client, partners["tokens"]["police"], _return_files("police"))

    assert response.status_code == 200, response.content
    assert response.json()["counts"]["return_values.csv"]["created"] == 1
    assert list(DataReturn.objects.values_list("organisation__code", flat=True)) == ["police"]
    assert ReturnValue.objects.get().value == 30


def test_a_token_cannot_send_another_organisations_return(partners, client):
    load_standard_set(actor=SYSTEM, priorities={})

    response = _post(client, partners["tokens"]["school"], _return_files("police"))

    assert response.status_code == 422
    assert [error["message"] for error in response.json()["errors"]] == [
        "returns.csv, row 2, column organisation: a partner token of school may send only its own organisation's rows.",
        "return_values.csv, row 2, column organisation: a partner token of school may send only its own "
        "organisation's rows.",
    ]
    assert not DataReturn.objects.exists()


@pytest.fixture
def session(partners):
    course = gcp2_course(actor=SYSTEM)
    starts = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
    return training.session_create(
        course=course,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=10,
        booking_deadline=starts.date(),
        venue="Hall",
        actor=SYSTEM,
    )


def _booking_row(person_key: str, organisation: str, email: str = "ann@school.example") -> dict:
    return {
        "session": "gcp2/2026-05-01T11:00:00",  # 10:00 UTC is 11:00 in London
        "email": email,
        "full_name": "Ann",
        "person_key": person_key,
        "organisation": organisation,
        "job_role": "Teacher",
        "status": "confirmed",
        "confirmed_at": "2026-04-01T09:05:00",
        "booked_at": "2026-04-01T09:00:00",
    }


def test_a_token_books_its_own_people_but_not_another_organisations(partners, session, client):
    token = partners["tokens"]["school"]

    own = _post(client, token, {"bookings.csv": [_booking_row("school-1", "school")]})
    assert own.status_code == 200, own.content
    assert Booking.objects.get().organisation.code == "school"

    foreign = _post(client, token, {"bookings.csv": [_booking_row("police-1", "school", email="pat@school.example")]})
    assert foreign.status_code == 422
    assert [error["message"] for error in foreign.json()["errors"]] == [
        "bookings.csv, row 2, column person_key: police-1 is not one of school's people."
    ]
    assert Booking.objects.count() == 1


def test_a_token_cannot_take_over_another_organisations_booking_by_its_key(partners, session, client):
    """The police's booking has the same session, e-mail and time as the school's row:
    importing the row would move the police's booking to the school."""
    _post(client, partners["tokens"]["police"], {"bookings.csv": [_booking_row("police-1", "police")]})
    assert Booking.objects.get().organisation.code == "police"
    writes = _writes()

    response = _post(client, partners["tokens"]["school"], {"bookings.csv": [_booking_row("", "school")]})

    assert response.status_code == 422
    assert [error["message"] for error in response.json()["errors"]] == [
        "bookings.csv, row 2: would change a record of police; a partner token of school may change only its own."
    ]
    assert Booking.objects.get().organisation.code == "police"
    assert _writes() == writes


def test_a_token_cannot_take_over_another_organisations_elearning_completion(partners, session, client):
    row = {
        "platform": "learnzone",
        "record_id": "L1",
        "course": "gcp2",
        "full_name": "Pat",
        "email": "pat@police.example",
        "organisation": "police",
        "completed_on": "2026-01-10",
    }
    assert _post(client, partners["tokens"]["police"], {"elearning_completions.csv": [row]}).status_code == 200

    response = _post(
        client, partners["tokens"]["school"], {"elearning_completions.csv": [row | {"organisation": "school"}]}
    )

    assert response.status_code == 422
    assert "would change a record of police" in response.json()["errors"][0]["message"]
    assert ElearningCompletion.objects.get().organisation.code == "police"


def test_a_token_sends_its_own_workforce(partners, client):
    response = _post(
        client,
        partners["tokens"]["school"],
        {"workforce.csv": [{"organisation": "school", "year": 2026, "headcount": 80}]},
    )
    assert response.status_code == 200, response.content
    assert Workforce.objects.get().headcount == 80


def test_import_files_refuses_a_foreign_row_for_a_token_actor_too(partners):
    """The rule is in check_package, not the view, so every caller gets it."""
    from safeguarding.accounts.models import ApiToken

    token = ApiToken.objects.get(organisation__code="school")
    with pytest.raises(PackageError) as error:
        import_files({"workforce.csv": [{"organisation": "police", "year": "2026", "headcount": "5"}]}, actor=token)
    assert error.value.errors == [
        "workforce.csv, row 2, column organisation: a partner token of school may send only its own organisation's rows."
    ]
    assert not Workforce.objects.exists()


@pytest.mark.parametrize("spec", REGISTRY, ids=lambda spec: spec.name)
def test_each_refusal_names_its_file_as_the_field(spec, partners, client):
    """The API's field is the problem's file (issue 15, item 3), not text cut at a comma:
    "people.csv: missing column(s) …" once came back as a field of the whole sentence."""
    row = {column.name: "council" if column.kind == "ref" else "x" for column in spec.columns}
    errors = _post(client, partners["tokens"]["school"], {spec.name: [row]}).json()["errors"]
    assert errors and all(error["field"] == spec.name for error in errors), errors
    missing = _post(client, partners["tokens"]["school"], {spec.name: [{"no_such_column": "x"}]}).json()["errors"]
    assert missing and all(error["field"] == spec.name for error in missing), missing
