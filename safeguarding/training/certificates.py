"""Certificates of attendance as PDF (WeasyPrint)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML


def certificate_pdf(booking) -> bytes:
    session = booking.session
    html = render_to_string(
        "training/certificate.html",
        {
            "booking": booking,
            "course": session.course,
            "outcomes": session.course.outcomes.all(),
            "date": timezone.localtime(session.starts_at),
            "hours": round(session.course.duration_minutes / 60, 1),
            "partnership": settings.PARTNERSHIP_NAME,
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
