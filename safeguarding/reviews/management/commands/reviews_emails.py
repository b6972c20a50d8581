from django.core.management.base import BaseCommand

from safeguarding.reviews.tasks import send_reviews_deadlines_email


class Command(BaseCommand):
    help = (
        "E-mail the business unit the reviews' deadlines due in the next 3 working days and those "
        "overdue (run daily, e.g. from cron); --enqueue hands the work to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run it in the task worker instead of here.")

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = send_reviews_deadlines_email.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        named = send_reviews_deadlines_email.call()
        self.stdout.write(f"{named} deadline{'s' if named != 1 else ''} e-mailed to the business unit.")
