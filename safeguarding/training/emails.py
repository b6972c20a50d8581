"""E-mails to practitioners about their bookings. Links carry a token that only the
practitioner's inbox has; the database holds its hash (and the outbox holds the message
only until it is sent).

Each function is called inside the service's transaction: it puts the message in the
outbox (``core.mail``), and the task worker sends it once the booking has committed."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.mail import queue_email


def _link(name: str, token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"token": token})


def _send(booking, subject: str, body: str) -> None:
    signature = f"\n\n{settings.PARTNERSHIP_NAME}\nMulti-agency training"
    queue_email(subject=subject, body=body + signature, to=[booking.email])


def _when(booking) -> str:
    session = booking.session
    starts = timezone.localtime(session.starts_at)
    where = session.venue or "online"
    return f"{session.course.title}\n{starts:%A %-d %B %Y, %H:%M}, {where}"


def confirm_address(booking, token: str) -> None:
    _send(
        booking,
        "Confirm your training booking",
        f"Dear {booking.full_name},\n\nTo confirm your booking on\n\n{_when(booking)}\n\n"
        f"follow this link: {_link('training:booking_confirm', token)}\n\n"
        "If you did not book, ignore this e-mail and no place will be held.",
    )


def booking_made(booking, token: str | None) -> None:
    if booking.status == "confirmed":
        subject, lead = "Your training place is confirmed", "Your place is confirmed on"
    else:
        subject, lead = "You are on the waiting list", ("The session is full, so you are on the waiting list for")
    manage = f"\n\nTo cancel: {_link('training:booking_manage', token)}" if token else ""
    _send(
        booking,
        subject,
        f"Dear {booking.full_name},\n\n{lead}\n\n{_when(booking)}{manage}\n\n"
        "If you can no longer come, please cancel so that someone on the waiting list can have the place.",
    )


def promoted(booking) -> None:
    _send(
        booking,
        "A place has come up: you are booked",
        f"Dear {booking.full_name},\n\nA place has come up and you now have it:\n\n{_when(booking)}",
    )


def reminder(booking) -> None:
    _send(
        booking,
        "Reminder: training soon",
        f"Dear {booking.full_name},\n\nA reminder of your place on\n\n{_when(booking)}",
    )


def session_cancelled(booking) -> None:
    _send(
        booking,
        "Training session cancelled",
        f"Dear {booking.full_name},\n\nWe are sorry: this session has been cancelled.\n\n{_when(booking)}",
    )


def evaluation_request(booking, token: str) -> None:
    _send(
        booking,
        "How useful was the training?",
        f"Dear {booking.full_name},\n\nThank you for attending\n\n{_when(booking)}\n\n"
        "Please tell us how confident you felt before and after, for each learning outcome "
        f"(two minutes): {_link('training:feedback', token)}\n\n"
        "Your certificate of attendance is on the same page.",
    )


def follow_up_request(booking, token: str) -> None:
    _send(
        booking,
        "Three months on: has the training changed your practice?",
        f"Dear {booking.full_name},\n\nThree months ago you attended\n\n{_when(booking)}\n\n"
        "Has it changed how you work with children and families? Tell us, with an example if you can: "
        f"{_link('training:follow_up', token)}",
    )
