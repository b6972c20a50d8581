"""The scrutiny evidence pack: the ten questions for a window, the year before beside each
figure, questions whose area is not built yet said plainly, and a PDF. Questions 2 and 3
from recorded reviews: tests/reviews/test_figures_pages.py and test_report.py."""

import datetime as dt

from django.urls import reverse

from safeguarding.core.models import AuditEvent
from tests.conftest import make_persona, sign_in


def test_a_councillor_reads_the_ten_questions_and_the_unbuilt_ones_say_so(client, db):
    sign_in(client, make_persona("scrutiny_member"))
    page = client.get(reverse("reports:evidence_pack"), {"date_from": "2025-04-01", "date_to": "2026-03-31"})
    text = page.content.decode()
    assert page.status_code == 200 and "1 April 2025 to 31 March 2026" in text
    for number in range(1, 11):
        assert f'id="question-{number}"' in text
    assert text.count("area of the system is not built yet") == 2  # questions 5 and 6 (audits)
    assert "Board meetings held" in text and "Places offered" in text
    # Questions 2 and 3 from the reviews area, even with nothing recorded.
    assert "Serious incident notifications" in text and "Practice reviews (CSPRs)" in text


def test_the_pack_prints_as_a_pdf_and_the_download_is_recorded(client, db):
    user = make_persona("scrutineer")
    sign_in(client, user)
    response = client.get(reverse("reports:evidence_pack_pdf"), {"date_from": "2025-04-01", "date_to": "2026-03-31"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    export = AuditEvent.objects.get(actor=user, action="export")
    assert export.changes["from"] == dt.date(2025, 4, 1).isoformat()
