"""Uploaded documents about the children (a notification's attachment, an agency's
summary, a CSPR's report) open only for the business unit, after they say why, and the
read is recorded; a document is attached through the service, checked like a paper."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.reviews import learning, reads, services
from safeguarding.reviews.models import NotificationAttachment
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.reviews.conftest import AWARE, SYSTEM, D
from tests.reviews.test_pages import lead_of
from tests.reviews.test_services import decided

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def reads_recorded() -> int:
    return AuditEvent.objects.filter(action="read").count()


def test_an_attachment_is_checked_like_a_meeting_paper(world):
    notification = world.notify()
    with pytest.raises(ValidationError) as refused:
        services.notification_attach(
            notification=notification, title="Chronology", uploaded=SimpleUploadedFile("c.pdf", b"MZ"), actor=SYSTEM
        )
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.notification_attach(
            notification=notification, title=" ", uploaded=SimpleUploadedFile("c.pdf", PDF), actor=SYSTEM
        )
    assert "title" in refused.value.message_dict
    assert not NotificationAttachment.objects.exists()


def test_documents_about_the_children_open_only_for_the_business_unit_with_a_purpose(world, client):
    review = world.notify().rapid_review
    sign_in(client, world.business_manager)
    attach = reverse("reviews:attach", kwargs={"pk": review.pk})
    assert (
        "PDF, Word or Excel"
        in client.post(attach, {"title": "Chronology", "file": SimpleUploadedFile("c.pdf", b"MZ")}).content.decode()
    )
    assert client.post(attach, {"title": "Chronology", "file": SimpleUploadedFile("c.pdf", PDF)}).status_code == 302
    attachment = NotificationAttachment.objects.get()
    asked = services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=AWARE, actor=SYSTEM
    )
    services.agency_summary_return(
        review=review, organisation=world.org["school"], returned_on=D(2026, 4, 9),
        uploaded=SimpleUploadedFile("summary.pdf", PDF), actor=SYSTEM,
    )  # fmt: skip
    cspr = learning.practice_review_open(
        origin="rapid_review", rapid_review=decided(world, review), decided_on=D(2026, 4, 22), title="Child Q",
        actor=SYSTEM,
    )  # fmt: skip
    version = learning.report_version_record(
        review=cspr, kind="draft", received_on=D(2026, 6, 1), uploaded=SimpleUploadedFile("d.pdf", PDF), actor=SYSTEM
    )
    documents = {"attachment": attachment.pk, "summary": asked.pk, "report": version.pk}

    page = client.get(reverse("reviews:review", kwargs={"pk": review.pk})).content.decode()
    assert reverse("reviews:document", kwargs={"kind": "attachment", "pk": attachment.pk}) in page
    for kind, pk in documents.items():
        url = reverse("reviews:document", kwargs={"kind": kind, "pk": pk})
        before = reads_recorded()
        assert "Why are you opening this document?" in client.get(url).content.decode()
        assert "<title>Error:" in client.post(url, {"purpose": " "}).content.decode()
        response = client.post(url, {"purpose": "Preparing the panel"})
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF, kind
        assert reads_recorded() == before + 1
        read = AuditEvent.objects.filter(action="read").latest("pk")
        assert read.actor == world.business_manager and "Preparing the panel" in read.purpose
    assert client.get(reverse("reviews:document", kwargs={"kind": "secrets", "pk": 1})).status_code == 404

    board = UserFactory(username="bob", person=world.people["conor"], roles=["board_member"])
    school_lead = lead_of(world, "school", "sally")  # their own agency's summary is read on their own pages
    postless = UserFactory(username="pat", roles=["agency_lead"])
    postless.person.posts.all().delete()
    before = reads_recorded()
    for reader in (board, school_lead, postless):
        sign_in(client, reader)
        for kind, pk in documents.items():
            url = reverse("reviews:document", kwargs={"kind": kind, "pk": pk})
            assert client.post(url, {"purpose": "Curious"}).status_code == 403
        assert client.post(attach, {"title": "x", "file": SimpleUploadedFile("c.pdf", PDF)}).status_code == 403
        assert reads.document_for_reader(user=reader, kind="attachment", pk=attachment.pk, purpose="x") is None
    assert reads_recorded() == before and NotificationAttachment.objects.count() == 1


def test_a_document_read_needs_a_purpose_and_a_missing_file_reads_as_missing(world):
    review = world.notify().rapid_review
    asked = services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=AWARE, actor=SYSTEM
    )
    with pytest.raises(ValidationError):
        reads.document_for_reader(user=world.business_manager, kind="summary", pk=asked.pk, purpose=" ")
    assert reads.document_for_reader(user=world.business_manager, kind="summary", pk=asked.pk, purpose="x") is None
    assert reads.document_for_reader(user=world.business_manager, kind="report", pk=999_999, purpose="x") is None
