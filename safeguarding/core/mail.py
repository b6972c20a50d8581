"""E-mail through an outbox, sent by the task worker.

A service that saves something people must hear about calls ``queue_email`` inside its
transaction: the message is stored with the data, so it exists only if the data does, and
once the transaction commits the worker is asked to send it. Nothing is sent from the
request or the command, so a mail server that is down or misconfigured cannot turn a
saved import or booking into an error. A failed attempt is retried after a wait; after
``EMAIL_MAX_ATTEMPTS`` the message is recorded as failed and listed for administrators.
"""

from __future__ import annotations

import contextvars
import datetime
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from safeguarding.core.models import OutgoingEmail

logger = logging.getLogger(__name__)

# Waits before the second, third, ... attempt; the last applies to any later ones.
RETRY_AFTER = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
    datetime.timedelta(minutes=60),
)
E = OutgoingEmail.Status


_sending = contextvars.ContextVar("sg_mail_sending", default=True)


@contextmanager
def sending(enabled: bool) -> Iterator[None]:
    """Within ``sending(False)`` nothing is put in the outbox: for the demo loader, whose
    made-up past (a year of bookings and move alerts) e-mailed nobody when it happened.
    ``sending(True)`` inside it lets through what the story says happens today."""
    token = _sending.set(enabled)
    try:
        yield
    finally:
        _sending.reset(token)


def queue_email(*, subject: str, body: str, to: Iterable[str]) -> OutgoingEmail | None:
    """Put a message in the outbox as part of the caller's transaction; the worker sends
    it once that commits. No recipients (or not ``sending``), no message."""
    if not _sending.get():
        return None
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return None
    email = OutgoingEmail.objects.create(to=recipients, subject=subject[:300], body=body)
    # robust: if the queue cannot be reached the message waits in the outbox (listed for
    # administrators), and what was saved is not reported as a failure.
    transaction.on_commit(lambda: enqueue(email.pk), robust=True)
    return email


def enqueue(email_id: int, *, run_after: datetime.datetime | None = None) -> None:
    task = send_email
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(email_id)


def retry_after(attempts: int) -> datetime.timedelta:
    """The wait before the next attempt, after ``attempts`` have failed."""
    return RETRY_AFTER[min(attempts, len(RETRY_AFTER)) - 1]


def deliver(email_id: int) -> str:
    """One attempt to send a queued message: sent, retried later, or given up on after
    the last attempt. Never raises for a failure to send; returns what happened."""
    email = OutgoingEmail.objects.filter(pk=email_id, status=E.QUEUED).first()
    if email is None:
        return "not queued"
    now = timezone.now()
    try:
        EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to).send()
    except Exception as error:  # the mailer cannot be built, the server refuses, the network fails
        attempts = email.attempts + 1
        problem = f"{type(error).__name__}: {error}"[:2000]
        if attempts >= settings.EMAIL_MAX_ATTEMPTS:
            OutgoingEmail.objects.filter(pk=email.pk, status=E.QUEUED).update(
                status=E.FAILED, attempts=attempts, last_error=problem, last_attempt_at=now, failed_at=now, body=""
            )
            logger.error("E-mail %s (%r) not sent after %d attempts: %s", email.pk, email.subject, attempts, problem)
            return "failed"
        OutgoingEmail.objects.filter(pk=email.pk, status=E.QUEUED).update(
            attempts=attempts, last_error=problem, last_attempt_at=now
        )
        logger.warning("E-mail %s not sent (attempt %d), will retry: %s", email.pk, attempts, problem)
        enqueue(email.pk, run_after=now + retry_after(attempts))
        return "retrying"
    OutgoingEmail.objects.filter(pk=email.pk, status=E.QUEUED).update(
        status=E.SENT, attempts=email.attempts + 1, last_attempt_at=now, sent_at=now, body=""
    )
    return "sent"


@task()
def send_email(email_id: int) -> str:
    """Sending from the outbox, as a task for the worker: here, with ``enqueue``, because a
    failed attempt queues the next one."""
    return deliver(email_id)
