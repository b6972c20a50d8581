from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from safeguarding.accounts import services
from safeguarding.accounts.models import User


class Command(BaseCommand):
    help = (
        "Issue a single-use enrolment code that lets USER set up two-step verification. "
        "The code is printed once and stored only as a hash; --by names the administrator "
        "who issues it, and the issue is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("user", help="the user name of the account that will enrol")
        parser.add_argument("--by", required=True, help="your own user name: an administrator")

    def handle(self, *args, user, by, **options):
        accounts = {u.username: u for u in User.objects.filter(username__in=[user, by], is_active=True)}
        for name in (user, by):
            if name not in accounts:
                raise CommandError(f"There is no active user called {name!r}.")
        try:
            code, plaintext = services.enrolment_code_issue(user=accounts[user], actor=accounts[by])
        except PermissionDenied as error:
            raise CommandError(f"{by}: {error}") from error
        self.stdout.write(f"Enrolment code for {user}: {plaintext}")
        self.stdout.write(f"It works once, until {code.expires_at:%d %B %Y %H:%M} UTC. Give it to {user} in person.")
