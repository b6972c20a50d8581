"""The demo's Sent e-mails page: an administrator reads the e-mail a booking sent and
follows its link to finish the booking (issue 14, item 20)."""

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import demo_outbox
from safeguarding.core.audit import SystemActor
from safeguarding.training import services as training
from safeguarding.training.models import Booking
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, UserFactory, gcp2_course, three_hour_session

SYSTEM = SystemActor("tests")
PAGE = "/sent-emails/"


@pytest.fixture
def outbox(tmp_path):
    with override_settings(MAILERS={"default": {"BACKEND": demo_outbox.BACKEND}}, DEMO_OUTBOX_DIR=str(tmp_path)):
        yield tmp_path


def _book_from_an_outside_address():
    course = gcp2_course(topics=[training.topic_create(code="neglect", title="Neglect", actor=SYSTEM)], actor=SYSTEM)
    starts = timezone.now() + datetime.timedelta(days=10)
    session = three_hour_session(course, starts=starts, venue="Hall", actor=SYSTEM)
    booking, _ = training.booking_create(
        session=session,
        full_name="Dan Teacher",
        email="dan@riverside.example",
        organisation=OrganisationFactory(email_domains="riverside.example"),
        job_role="Teacher",
        email_confirmed=False,  # booked from the public page: the address must be confirmed
        actor=SYSTEM,
    )
    return booking


@pytest.mark.django_db(transaction=True)
def test_an_administrator_reads_the_confirmation_and_its_link_finishes_the_booking(client, outbox):
    booking = _book_from_an_outside_address()
    assert booking.status != Booking.Status.CONFIRMED
    assert reverse("core:sent_emails") == PAGE

    sign_in(client, UserFactory(roles=["administrator"]))
    assert PAGE in client.get(reverse("core:home")).content.decode()  # in the navigation
    listing = client.get(PAGE).content.decode()
    assert "dan@riverside.example" in listing and "Confirm your training booking" in listing
    (message_id,) = re.findall(r'href="\?message=([^"]+)"', listing)
    shown = client.get(PAGE, {"message": message_id}).content.decode()
    (link,) = re.findall(r'<a class="govuk-link" href="(https?://[^"]+/bookings/confirm/[^"]+)"', shown)
    path = re.sub(r"^https?://[^/]+", "", link)

    client.logout()
    assert client.get(path).status_code == 200
    client.post(path)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_others_are_refused_and_odd_ids_are_not_found(client, outbox):
    _book_from_an_outside_address()
    sign_in(client, UserFactory(roles=["business_manager"]))
    assert client.get(PAGE).status_code == 403
    assert PAGE not in client.get(reverse("core:home")).content.decode()
    client.logout()
    sign_in(client, UserFactory(roles=["administrator"]))
    assert client.get(PAGE, {"message": "../../etc/passwd"}).status_code == 404


@pytest.mark.django_db
def test_with_the_outbox_off_the_page_is_not_there(client):
    sign_in(client, UserFactory(roles=["administrator"]))
    assert client.get(PAGE).status_code == 404
    assert PAGE not in client.get(reverse("core:home")).content.decode()


def test_settings_refuse_half_an_outbox(monkeypatch):
    import subprocess
    import sys

    for env in ({"EMAIL_BACKEND": demo_outbox.BACKEND}, {"DEMO_OUTBOX_DIR": "/tmp/x"}):
        result = subprocess.run(
            [sys.executable, "-c", "import config.settings"],
            env={"PATH": "/usr/bin", "SECRET_KEY": "x" * 50, "DEBUG": "true", **env},
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0 and "DEMO_OUTBOX_DIR" in result.stderr, result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_list_shows_fifty_at_a_time_newest_first_reading_only_its_page(client, outbox):
    from django.core import mail

    for n in range(55):
        mail.EmailMessage(subject=f"Message {n:02}", body="b", to=["x@example.test"]).send()
    sign_in(client, UserFactory(roles=["administrator"]))
    first = client.get(PAGE).content.decode()
    assert "55 e-mails" in first
    shown = re.findall(r">Message (\d\d)<", first)
    assert len(shown) == 50 and shown[0] == "54" and shown[-1] == "05"
    second = client.get(PAGE, {"page": 2}).content.decode()
    assert re.findall(r">Message (\d\d)<", second) == ["04", "03", "02", "01", "00"]


def test_nothing_is_queued_while_sending_is_off_and_today_gets_through_inside_it(db):
    from safeguarding.core import mail
    from safeguarding.core.models import OutgoingEmail

    with mail.sending(False):
        assert mail.queue_email(subject="The past", body="b", to=["a@example.test"]) is None
        with mail.sending(True):
            assert mail.queue_email(subject="Today", body="b", to=["a@example.test"]) is not None
        assert mail.queue_email(subject="The past again", body="b", to=["a@example.test"]) is None
    assert list(OutgoingEmail.objects.values_list("subject", flat=True)) == ["Today"]
