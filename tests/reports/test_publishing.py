"""Publishing asks first, runs on the worker with a page that shows how far it has got,
and warns (blocking unless the publisher says they understand) when the data the figures
use changed after they were built. The "Building…" banner goes when the build is done."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguarding.children.models import LinkageRun
from safeguarding.core.models import AuditEvent
from safeguarding.performance.models import DataReturn
from safeguarding.reports import freshness, services
from safeguarding.reports.models import Report
from safeguarding.reports.services import publish_now
from safeguarding.reports.tasks import build_now
from tests.conftest import make_persona, sign_in
from tests.factories import OrganisationFactory
from tests.reports.conftest import SYSTEM, sign_all

PUBLISH = reverse("reports:publish", kwargs={"year": 2025})
PROGRESS = reverse("reports:publish_progress", kwargs={"year": 2025})
DETAIL = reverse("reports:detail", kwargs={"year": 2025})


@pytest.fixture
def signed_off(written, partners):
    services.report_submit_for_review(report=written, actor=SYSTEM)
    return sign_all(written, partners)


@pytest.fixture
def manager(client, db):
    user = make_persona("business_manager")
    sign_in(client, user)
    return user


def a_return_arrives(at=None, period="2025-Q4"):
    organisation = OrganisationFactory(code=f"nhs-trust-{period}", name="Testshire Hospitals")
    return DataReturn.objects.create(
        organisation=organisation,
        period=period,
        version=1,
        submitted_at=at or timezone.now(),
        submitted_by="Alice Able",
        source="upload",
    )


def test_the_build_records_when_the_figures_were_read_from(written):
    assert written.figures_as_of is not None and written.figures_as_of <= written.built_at
    assert freshness.changes_since_build(written) == []


def test_a_return_received_after_the_build_makes_the_figures_out_of_date(written):
    a_return_arrives(written.figures_as_of - dt.timedelta(minutes=1), period="2025-Q3")  # before: in the figures
    assert freshness.changes_since_build(written) == []
    a_return_arrives(timezone.now())
    changes = freshness.changes_since_build(written)
    assert len(changes) == 1 and "1 performance return was received" in changes[0]
    assert "Testshire Hospitals for 2025-Q4" in changes[0]
    assert freshness.changes_since_build(build_now(written)) == []  # a rebuild brings them up to date


def test_a_linkage_run_finished_after_the_build_makes_the_figures_out_of_date(written):
    LinkageRun.objects.create(
        started_by="Alice Able", status="finished", created_at=timezone.now(), finished_at=timezone.now()
    )
    assert freshness.changes_since_build(written) == ["1 linkage run finished since the figures were built."]


def test_publishing_out_of_date_figures_is_refused_unless_understood(signed_off):
    a_return_arrives()
    with pytest.raises(services.FiguresOutOfDate, match="out of date"):
        services.report_publish(report=signed_off, actor=SYSTEM)
    with pytest.raises(services.FiguresOutOfDate):
        services.report_publish_start(report=signed_off, actor=SYSTEM, enqueue=False)
    assert Report.objects.get(pk=signed_off.pk).publish_status == "not_started"
    edition = services.report_publish(report=signed_off, actor=SYSTEM, figures_out_of_date_understood=True)
    assert edition.report.status == "published"


def test_a_get_of_the_publish_page_asks_and_changes_nothing(signed_off, manager, client):
    page = client.get(PUBLISH)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Are you sure you want to publish the 2025/26 annual report?" in html
    assert "Confirm and publish" in html and "Cancel" in html and "public address" in html
    assert "out of date" not in html  # nothing changed since the build: no warning, no tick
    signed_off.refresh_from_db()
    assert (signed_off.status, signed_off.publish_status) == ("signed_off", "not_started")


def test_the_publish_page_of_a_report_not_signed_off_sends_back_to_the_report(written, manager, client):
    response = client.get(PUBLISH)
    assert response.status_code == 302 and response["Location"] == DETAIL + "#status"


def test_out_of_date_figures_need_the_tick_on_the_page(signed_off, manager, client, django_capture_on_commit_callbacks):
    a_return_arrives()
    html = client.get(PUBLISH).content.decode()
    assert "The figures are out of date" in html and "1 performance return was received" in html
    assert "I understand the figures are out of date" in html
    refused = client.post(PUBLISH)
    assert refused.status_code == 400
    assert "Confirm that you understand the figures are out of date" in refused.content.decode()
    assert Report.objects.get(pk=signed_off.pk).status == "signed_off"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PUBLISH, {"understood": "on"})
    assert response["Location"] == PROGRESS
    report = Report.objects.get(pk=signed_off.pk)
    assert (report.status, report.publish_status) == ("published", "finished")
    # Who asked, when and why, on the report and in the audit trail.
    assert report.publish_requested_by == manager.username
    assert report.publish_requested_at is not None
    assert "understood the figures are out of date" in report.publish_reason
    events = AuditEvent.objects.filter(object_type="reports.report", object_id=str(report.pk))
    asked = [e for e in events if "publish_reason" in e.changes]
    assert asked and asked[0].actor_label == report.publish_requested_by


def test_the_progress_page_polls_while_publishing_and_shows_why_it_stopped(signed_off, manager, client):
    services.report_publish_start(report=signed_off, actor=manager, enqueue=False)
    page = client.get(PROGRESS).content.decode()
    assert f'hx-get="{PROGRESS}"' in page and "Queued" in page
    assert client.get(PUBLISH)["Location"] == PROGRESS  # no second publication while one runs
    Report.objects.filter(pk=signed_off.pk).update(publish_status="running")
    a_return_arrives()  # arrived after the confirmation: the worker refuses
    publish_now(signed_off.pk, manager)
    fragment = client.get(PROGRESS, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "hx-get" not in html and "HX-Redirect" not in fragment
    assert "The report was not published" in html and "out of date" in html
    assert Report.objects.get(pk=signed_off.pk).status == "signed_off"


def test_the_worker_publishes_and_the_poll_opens_the_edition(signed_off, manager, client):
    services.report_publish_start(report=signed_off, actor=manager, enqueue=False)
    report = publish_now(signed_off.pk, manager)
    assert report.publish_status == "finished" and report.publish_progress == 1
    fragment = client.get(PROGRESS, headers={"HX-Request": "true"})
    assert fragment["HX-Redirect"] == reverse("reports:edition", kwargs={"slug": report.edition.slug})
    assert "Published" in client.get(PROGRESS).content.decode()
    assert report.edition.published_by == report.publish_requested_by


def test_a_refused_role_cannot_start_publication(signed_off, client):
    sign_in(client, make_persona("board_member"))
    assert client.post(PUBLISH).status_code == 403
    assert Report.objects.get(pk=signed_off.pk).publish_status == "not_started"


def test_the_building_banner_shows_while_building_and_goes_when_done(
    written,
    manager,
    client,
    django_capture_on_commit_callbacks,
):
    services.report_build_start(report=written, actor=manager, enqueue=False)
    building = client.get(DETAIL).content.decode()
    assert "Building the figures…" in building and "govuk-notification-banner" in building
    with django_capture_on_commit_callbacks(execute=True):  # the worker builds it at once
        response = client.post(reverse("reports:build", kwargs={"year": 2025}))
    assert Report.objects.get(pk=written.pk).build_status == "finished"
    page = client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner" not in page and "Building" not in page
    fragment = client.get(reverse("reports:build_progress", kwargs={"year": 2025}), headers={"HX-Request": "true"})
    assert "govuk-notification-banner" not in fragment.content.decode() and "hx-get" not in fragment.content.decode()


def test_publication_refuses_while_a_build_runs(signed_off):
    Report.objects.filter(pk=signed_off.pk).update(build_status="running")
    with pytest.raises(ValidationError, match="being built"):
        services.report_publish_start(report=Report.objects.get(pk=signed_off.pk), actor=SYSTEM, enqueue=False)
