"""The published figures are public, as their name says (issue 14, item 15): anyone,
signed in or not, reads them and downloads them, small numbers always hidden; a visitor
is not sent to sign in and is not offered the internal pages."""

import csv
import io

from django.urls import reverse

from safeguarding.core.models import AuditEvent
from tests.conftest import make_persona, sign_in
from tests.performance.test_pages import figures  # noqa: F401  (the fixture: a Southtown count of 3)


def test_a_visitor_reads_the_published_figures_without_signing_in(client, figures):  # noqa: F811
    response = client.get(reverse("performance:published"), {"area": "A2", "view": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Published figures" in page and "fewer than 5" in page and "true figures" not in page.lower()
    # The indicator's own page is for partnership staff: a visitor is not sent to a sign-in.
    assert reverse("performance:indicator", kwargs={"code": "mace-children-new"}) not in page


def test_a_visitors_download_is_suppressed_and_writes_nothing_to_the_audit_trail(client, figures):  # noqa: F811
    before = AuditEvent.objects.count()
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("performance:published_download", kwargs={"fmt": fmt}), {"area": "A2"})
        assert response.status_code == 200
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("performance:published_download", kwargs={"fmt": "csv"}), {"area": "A2", "view": "true"}
                ).content.decode()
            )
        )
    )
    assert ["mace-children-new", "2026-Q2", "[c]", "July to September 2026"] in rows
    assert AuditEvent.objects.count() == before
    assert client.get(reverse("performance:published_download", kwargs={"fmt": "pdf"})).status_code == 404


def test_a_signed_in_download_of_the_published_figures_is_still_recorded(client, figures):  # noqa: F811
    user = make_persona("scrutiny_member")
    sign_in(client, user)
    assert client.get(reverse("performance:published_download", kwargs={"fmt": "csv"})).status_code == 200
    assert AuditEvent.objects.filter(actor=user, action="export").count() == 1
