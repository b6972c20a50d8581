from django.core.management.base import BaseCommand

from safeguarding.training.tasks import send_training_emails


class Command(BaseCommand):
    help = (
        "Send session reminders and three-month follow-ups (run daily, e.g. from cron); "
        "--enqueue hands the work to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run it in the task worker instead of here.")

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = send_training_emails.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        sent = send_training_emails.call()
        self.stdout.write(f"{sent['reminders']} reminders and {sent['follow_ups']} follow-up requests sent.")
