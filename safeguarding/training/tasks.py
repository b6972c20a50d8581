"""Daily training e-mails, as a task for the worker (and a command for cron)."""

from django.tasks import task
from django.utils import timezone

from safeguarding.core.audit import SystemActor
from safeguarding.training import services

REMINDER_DAYS_AHEAD = 3


@task()
def send_training_emails() -> dict[str, int]:
    """Remind people of sessions in the next few days, and ask those who attended
    three months ago whether their practice changed."""
    actor = SystemActor("daily training e-mails")
    now = timezone.now()
    return {
        "reminders": services.reminders_send(now=now, days_ahead=REMINDER_DAYS_AHEAD, actor=actor),
        "follow_ups": services.follow_ups_send(today=timezone.localdate(now), actor=actor),
    }
