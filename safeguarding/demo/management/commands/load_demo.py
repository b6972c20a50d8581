import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from safeguarding.children import matching, services
from safeguarding.children.tasks import run_now
from safeguarding.core import mail
from safeguarding.core.audit import SystemActor
from safeguarding.demo import moves as demo_moves
from safeguarding.demo import northshire

SEED = 20260401


class Command(BaseCommand):
    help = "Load the synthetic Northshire partnership (skipped if it is already loaded) and print the demo log-ins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the log-ins.")

    def handle(self, *args, seed: int, quiet_logins: bool, **options):
        if northshire.is_loaded():
            self.stdout.write("The Northshire demo partnership is already loaded; nothing changed.")
            if matching.model_needs_training_again():
                # A demo database from an earlier release: its model was trained on other
                # comparison levels, so lookups and arriving records wait for a new one.
                self.stdout.write("Its linkage model is from an earlier release: training a new one (a minute or two).")
                run_now(services.linkage_run_start(actor=SystemActor("demo loader"), enqueue=False))
            logins = northshire.demo_logins()
            hints = [demo_moves.open_alerts_line()]
        else:
            rng = random.Random(seed)
            actor = SystemActor("demo loader")
            today = datetime.date.today()
            # The made-up past (bookings, evaluations, a year of move alerts) e-mails nobody;
            # today's delivery does alert the MASH (demo/moves.py).
            with mail.sending(False), transaction.atomic():
                logins = northshire.build(rng=rng, actor=actor, today=today)
                hints = []
                for loader in northshire.LATER_LOADERS:
                    story = loader(rng=rng, actor=actor, today=today)
                    hints += story.hints() if story is not None else []
            self.stdout.write(self.style.SUCCESS("Loaded the synthetic Northshire partnership."))
        if not quiet_logins:
            self._print_logins(logins, hints)

    def _print_logins(self, logins, hints: list[str]) -> None:
        w = self.stdout.write
        w("")
        w("Demo log-ins (all synthetic). Password for every account: " + northshire.DEMO_PASSWORD)
        w("")
        w(f"  {'user name':<12} {'role':<22} {'who':<28} two-step code")
        for login in logins:
            code = (
                f"secret {login.totp_secret}; current code: make demo-code LOGIN={login.username}"
                if login.totp_secret
                else "not needed"
            )
            w(f"  {login.username:<12} {login.role:<22} {login.full_name:<28} {code}")
        w("")
        w("Roles that can see child-level data need a code from an authenticator app: add the")
        w("secret to one, or run the demo_code command shown to print the current code.")
        if hints:
            w("")
            for line in hints:
                w(line)
