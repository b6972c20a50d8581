from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import PackageError, import_package


class Command(BaseCommand):
    help = (
        "Import a data package (a folder or .zip of CSV files, see docs/data-package.md). "
        "Nothing is written unless every file is valid; importing the same package twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            report = import_package(path, actor=SystemActor(f"data package import: {path}"))
        except PackageError as error:
            for line in error.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(error.errors)} problem(s); nothing was imported.") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Imported."))
