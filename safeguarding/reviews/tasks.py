"""The reviews' daily e-mail, as a task for the worker (and a command for cron)."""

from django.tasks import task
from django.utils import timezone

from safeguarding.reviews.digest import send_deadlines_email


@task()
def send_reviews_deadlines_email() -> int:
    return send_deadlines_email(today=timezone.localdate())
