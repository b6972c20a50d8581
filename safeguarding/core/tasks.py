"""Sending e-mail from the outbox, as a task for the worker (see ``core.mail``)."""

from django.tasks import task

from safeguarding.core import mail


@task()
def send_email(email_id: int) -> str:
    return mail.deliver(email_id)
