"""safeguarding moves escalate-alerts   (daily: e-mail about move alerts not acknowledged in time)"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safeguarding.moves.services import alerts_escalate


class Command(BaseCommand):
    help = "Children who moved across area boundaries: the daily escalation of move alerts."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser(
            "escalate-alerts", help="Escalate move alerts nobody acknowledged by the next working day (run daily)."
        )

    def handle(self, *args, action: str, **options):
        count = alerts_escalate()
        self.stdout.write(self.style.SUCCESS(f"{count} overdue move alert{'s' if count != 1 else ''} escalated."))
