"""E-mail through the outbox: stored with the data, sent by the task worker after commit,
retried, and a failure recorded for administrators, never reported as a failure of what
was saved (issue 13, defect 5)."""

import datetime

import pytest
from django.core import mail as django_mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safeguarding.core import checks, mail
from safeguarding.core.audit import SystemActor
from safeguarding.core.models import OutgoingEmail
from safeguarding.training import services as training
from safeguarding.training.models import Booking
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, UserFactory, gcp2_course

SYSTEM = SystemActor("tests")
# What production had: an SMTP mailer with no host, which Django 6.1 refuses to build.
NO_HOST = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
E = OutgoingEmail.Status


class RefusesTwiceBackend:
    """A mail server that refuses the first two messages it is given, then accepts."""

    refused = 0

    def __init__(self, alias=None, **options):
        pass

    def send_messages(self, messages):
        if RefusesTwiceBackend.refused < 2:
            RefusesTwiceBackend.refused += 1
            raise ConnectionRefusedError("421 try again later")
        django_mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def course_session(transactional_db):
    course = gcp2_course(topics=[training.topic_create(code="neglect", title="Neglect", actor=SYSTEM)], actor=SYSTEM)
    starts = timezone.now() + datetime.timedelta(days=10)
    return training.session_create(
        course=course,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        capacity=2,
        booking_deadline=starts.date(),
        venue="Hall",
        actor=SYSTEM,
    )


def _queue(**overrides):
    fields = {"subject": "Hello", "body": "A link: https://example.test/t/secret-token", "to": ["ann@example.test"]}
    return mail.queue_email(**{**fields, **overrides})


# The outbox ------------------------------------------------------------------------------


def test_a_message_goes_once_the_transaction_commits_and_its_body_is_not_kept(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email = _queue(to=["ann@example.test", "bob@example.test", "ann@example.test", ""])
        assert django_mail.outbox == []  # nothing is sent inside the transaction
    (sent,) = django_mail.outbox
    assert (sent.subject, sorted(sent.to)) == ("Hello", ["ann@example.test", "bob@example.test"])
    assert "secret-token" in sent.body
    email.refresh_from_db()
    assert (email.status, email.attempts, email.body) == (E.SENT, 1, "")
    assert email.sent_at is not None


def test_a_rolled_back_transaction_leaves_no_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError("the write failed")
    assert not OutgoingEmail.objects.exists()
    assert django_mail.outbox == []


def test_no_recipients_means_no_message(db):
    assert _queue(to=["", "  "]) is None
    assert not OutgoingEmail.objects.exists()


def test_the_database_refuses_a_body_kept_after_sending(db):
    from django.db import IntegrityError

    email = OutgoingEmail.objects.create(to=["a@example.test"], subject="s", body="token")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk).update(status=E.SENT, sent_at=timezone.now())


# Retries and failure ------------------------------------------------------------------------


@override_settings(MAILERS={"default": {"BACKEND": "tests.core.test_mail.RefusesTwiceBackend"}})
def test_a_refused_message_is_retried_until_it_goes(db, django_capture_on_commit_callbacks):
    RefusesTwiceBackend.refused = 0
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.body) == (E.SENT, 3, "")
    assert "421 try again later" in email.last_error
    assert len(django_mail.outbox) == 1


@override_settings(MAILERS=NO_HOST, EMAIL_MAX_ATTEMPTS=4)
def test_a_mailer_that_cannot_be_built_is_recorded_as_a_failure_after_the_retries(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.body) == (E.FAILED, 4, "")
    assert "InvalidMailer" in email.last_error and "host" in email.last_error
    assert email.failed_at is not None


@override_settings(MAILERS=NO_HOST, TASKS=DATABASE_QUEUE)
def test_the_worker_retries_later_not_at_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "safeguarding.core.mail.send_email" and queued.args_kwargs["args"] == [email.pk]
    before = timezone.now()
    assert mail.deliver(email.pk) == "retrying"
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.run_after is not None
    assert before + datetime.timedelta(seconds=50) < retry.run_after < before + datetime.timedelta(minutes=2)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (E.QUEUED, 1)
    assert email.body  # kept for the next attempt


def test_the_waits_grow_and_then_stay_at_an_hour():
    waits = [mail.retry_after(n) for n in range(1, 8)]
    assert waits[:4] == [datetime.timedelta(minutes=m) for m in (1, 5, 15, 60)]
    assert set(waits[4:]) == {datetime.timedelta(minutes=60)}


# A booking with the mail server broken -----------------------------------------------------


@override_settings(MAILERS=NO_HOST)
@pytest.mark.django_db(transaction=True)
def test_a_booking_with_a_broken_mailer_is_saved_and_the_failure_recorded(course_session):
    organisation = OrganisationFactory(email_domains="riverside.example")
    booking, _ = training.booking_create(
        session=course_session,
        full_name="Dan Teacher",
        email="dan@riverside.example",
        organisation=organisation,
        job_role="Teacher",
        actor=SYSTEM,
    )
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
    failed = OutgoingEmail.objects.get()
    assert (failed.status, failed.to, failed.subject) == (
        E.FAILED,
        ["dan@riverside.example"],
        "Your training place is confirmed",
    )


# Shown to administrators ------------------------------------------------------------------


@pytest.fixture
def a_failure(db):
    now = timezone.now()
    return OutgoingEmail.objects.create(
        to=["nora@north.example"],
        subject="Move alert: a child known to Northshire is now in Southvale",
        status=E.FAILED,
        attempts=5,
        last_error="SMTPAuthenticationError: 535 bad credentials",
        last_attempt_at=now,
        failed_at=now,
    )


def test_an_administrator_sees_the_failures_on_the_home_page_and_their_page(client, a_failure):
    OutgoingEmail.objects.create(to=["sent@example.test"], subject="Went", status=E.SENT, sent_at=timezone.now())
    sign_in(client, UserFactory(roles=["administrator"]))
    home = client.get(reverse("core:home")).content.decode()
    assert "E-mails not sent: 1" in home and reverse("core:email_failures") in home
    page = client.get(reverse("core:email_failures"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "nora@north.example" in text and "535 bad credentials" in text and "Move alert" in text
    assert "sent@example.test" not in text


def test_a_message_waiting_for_hours_counts_too(client, db):
    stuck = OutgoingEmail.objects.create(to=["late@example.test"], subject="Stuck", body="b")
    OutgoingEmail.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - datetime.timedelta(hours=3))
    OutgoingEmail.objects.create(to=["fresh@example.test"], subject="Fresh", body="b")
    sign_in(client, UserFactory(roles=["administrator"]))
    text = client.get(reverse("core:email_failures")).content.decode()
    assert "late@example.test" in text and "fresh@example.test" not in text


@pytest.mark.parametrize("role", ["business_manager", "training_coordinator", "mash_practitioner"])
def test_anyone_else_is_refused_the_page_and_not_told_on_the_home_page(client, a_failure, role):
    sign_in(client, UserFactory(roles=[role]))
    assert client.get(reverse("core:email_failures")).status_code == 403
    assert "E-mails not sent" not in client.get(reverse("core:home")).content.decode()


def test_a_visitor_is_sent_to_sign_in(client, a_failure):
    response = client.get(reverse("core:email_failures"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# The start-up check ---------------------------------------------------------------------------


@override_settings(MAILERS=NO_HOST)
def test_the_check_names_the_variable_for_a_missing_host():
    (error,) = checks.mailers_can_be_built()
    assert error.id == "core.E001" and "EMAIL_HOST" in error.hint


@override_settings(MAILERS={"default": {"BACKEND": "no.such.Backend"}})
def test_the_check_names_the_variable_for_a_backend_that_does_not_exist():
    (error,) = checks.mailers_can_be_built()
    assert "EMAIL_BACKEND" in error.hint


def test_the_test_mailer_passes_the_check():
    assert checks.mailers_can_be_built() == []
