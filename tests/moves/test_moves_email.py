"""A broken mail server during an import: the records and move alerts are saved and
reported as saved, and the e-mail that could not go is recorded for administrators
(issue 13, defect 5). Before, the e-mail was sent from an on-commit hook: the command
ended with a traceback and exit 1, and the API answered 500, after everything was saved."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from safeguarding.accounts.services import api_token_create
from safeguarding.children.models import AgencyRecord
from safeguarding.core.models import OutgoingEmail
from safeguarding.moves.models import MoveAlert
from tests.factories import UserFactory
from tests.moves.test_moves import ARRIVES, HEADER, known  # noqa: F401  (a fixture)

# An SMTP mailer with no host, as production had: Django 6.1 refuses to build it.
NO_HOST = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}


@override_settings(MAILERS=NO_HOST)
def test_an_import_with_a_broken_mailer_is_reported_as_saved_and_the_failure_recorded(
    known,  # noqa: F811
    tmp_path,
    django_capture_on_commit_callbacks,
):
    delivery = tmp_path / "delivery.csv"
    delivery.write_text(HEADER + ARRIVES)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("children", "import", str(delivery), stdout=out, stderr=io.StringIO())
    assert "Imported." in out.getvalue()
    assert AgencyRecord.objects.filter(record_id="G1").exists()
    assert MoveAlert.objects.count() == 1
    failed = OutgoingEmail.objects.get()
    assert failed.status == OutgoingEmail.Status.FAILED and failed.subject.startswith("Move alert")
    assert set(failed.to) == {"nora@north.example", "sid@south.example"}
    assert "host" in failed.last_error and failed.body == ""
    assert mail.outbox == []


@override_settings(MAILERS=NO_HOST)
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_201_with_a_broken_mailer(known, client):  # noqa: F811
    admin = UserFactory(roles=["administrator"])
    _row, token = api_token_create(organisation=known["gp"].organisation, name="GP feed", actor=admin)
    record = dict(zip(HEADER.strip().split(","), ARRIVES.strip().split(","), strict=True))
    response = client.post(
        "/api/v1/children/records",
        {"records": [{k: v for k, v in record.items() if v}], "reason": "daily registrations"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content
    assert MoveAlert.objects.count() == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.FAILED
