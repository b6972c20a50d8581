from django.core.management.base import BaseCommand, CommandError

from safeguarding.accounts.models import User
from safeguarding.demo import northshire


class Command(BaseCommand):
    help = "Print the current two-step code for a demo log-in (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        demo_usernames = {name for name, _, _ in northshire.DEMO_USERS}
        if username not in demo_usernames:
            raise CommandError(f"{username!r} is not a demo log-in; codes are printed only for those.")
        user = User.objects.filter(username=username).first()
        if user is None or not user.totp_secret:
            raise CommandError(f"{username!r} has no two-step secret (is the demo loaded?).")
        self.stdout.write(northshire.current_code(user.totp_secret))
