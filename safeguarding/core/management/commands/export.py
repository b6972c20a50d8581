from pathlib import Path

from django.core.management.base import BaseCommand

from safeguarding.core.datapackage import export_package


class Command(BaseCommand):
    help = (
        "Write every record kind as a data package (one CSV file each) into a folder, or a .zip. "
        "Cells are written raw, for machines: do not open the files in a spreadsheet (see README.txt in the package)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        for name, count in export_package(path).items():
            self.stdout.write(f"{name}: {count} rows")
        self.stdout.write(
            "These files are data for machines, written raw: do not open them in a spreadsheet (see README.txt)."
        )
