"""safeguarding children ...: agency records and their linkage from the command line.

safeguarding children add-source CODE --name N --organisation ORG --kind KIND [--area CODE ...]
safeguarding children import-areas PATH     (prefix,area or the ONS postcode directory CSV)
safeguarding children import PATH [PATH ...]
safeguarding children link [--backend duckdb|spark]
safeguarding children fail-stale-runs      (runs whose process died: no heartbeat for the stale minutes)
safeguarding children export-links OUT.csv --reason WHY
safeguarding children escalate-alerts        (the same as ``safeguarding moves escalate-alerts``)
safeguarding children generate OUT.csv --records N [--seed S] [--truth TRUTH.csv]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.accounts.models import Area, Organisation
from safeguarding.children import records as record_checks
from safeguarding.children import services
from safeguarding.children.models import AgencyRecord, Source
from safeguarding.children.tasks import run_now
from safeguarding.core.audit import SystemActor, record_event
from safeguarding.core.models import AuditEvent
from safeguarding.core.text import find_control_character
from safeguarding.synthetic.dataset import write_csv, write_truth_csv
from safeguarding.synthetic.generate import generate


class Command(BaseCommand):
    help = "Agency records about children: register sources and areas, import records, link them, export the links."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        source = commands.add_parser("add-source", help="Register (or update) an agency system that sends records.")
        source.add_argument("code")
        source.add_argument("--name", required=True)
        source.add_argument("--organisation", required=True, help="the organisation's code")
        source.add_argument("--kind", required=True, choices=[k for k, _ in Source.Kind.choices])
        source.add_argument("--area", action="append", default=[], help="an area code it serves (repeat)")
        source.add_argument("--contact-team", default="", help="whom other agencies call about a child it knows")
        source.add_argument("--contact-email", default="")
        source.add_argument("--contact-phone", default="")

        areas = commands.add_parser(
            "import-areas",
            help="Place postcode districts or sectors in areas: a CSV with prefix,area (area code), "
            "or the ONS postcode directory (columns pcds and oslaua or lad*cd), reduced to sectors.",
        )
        areas.add_argument("path", type=Path)

        load = commands.add_parser("import", help="Import agency records (CSV or XLSX; see docs/children.md).")
        load.add_argument("paths", type=Path, nargs="+")
        load.add_argument("--reason", default="", help="why these records are loaded (recorded in the audit trail)")

        link = commands.add_parser("link", help="A full run: train a new model version and link every record.")
        link.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        link.add_argument(
            "--reuse-model", action="store_true", help="link with the current model version instead of training one"
        )

        commands.add_parser(
            "fail-stale-runs",
            help="Mark failed the linkage runs left queued or running by a killed process "
            "(no heartbeat for SAFEGUARDING_LINKAGE_STALE_MINUTES).",
        )

        export = commands.add_parser("export-links", help="Write source,record_id,child_id for every record.")
        export.add_argument("path", type=Path)
        export.add_argument("--reason", required=True, help="Why the links are exported (recorded).")

        commands.add_parser(
            "escalate-alerts", help="The same as safeguarding moves escalate-alerts (kept for existing daily jobs)."
        )

        generate = commands.add_parser("generate", help="Write synthetic records (and their ground truth).")
        generate.add_argument("path", type=Path)
        generate.add_argument("--records", type=int, default=10_000)
        generate.add_argument("--seed", type=int, default=2026)
        generate.add_argument("--truth", type=Path)

    def handle(self, *args, action: str, **options):
        handler = {
            "add-source": self.add_source,
            "import-areas": self.import_areas,
            "import": self.import_records,
            "link": self.link,
            "fail-stale-runs": self.fail_stale_runs,
            "export-links": self.export_links,
            "generate": self.generate,
            "escalate-alerts": self.escalate_alerts,
        }[action]
        handler(**options)

    def _actor(self, what: str) -> SystemActor:
        return SystemActor(f"command line: children {what}")

    def add_source(self, *, code, name, organisation, kind, area, contact_team, contact_email, contact_phone, **_):
        org = Organisation.objects.filter(code=organisation).first()
        if org is None:
            raise CommandError(f"No organisation with code '{organisation}'.")
        areas = list(Area.objects.filter(code__in=area))
        unknown = set(area) - {a.code for a in areas}
        if unknown:
            raise CommandError(f"Unknown area code(s): {', '.join(sorted(unknown))}.")
        services.source_register(
            code=code,
            name=name,
            organisation=org,
            kind=kind,
            areas=areas,
            contact={"team": contact_team, "email": contact_email, "phone": contact_phone},
            actor=self._actor("add-source"),
        )
        self.stdout.write(self.style.SUCCESS(f"Source {code} registered."))

    def import_areas(self, *, path: Path, **_):
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        areas = {a.code: a for a in Area.objects.all()}
        prefixes: dict[str, Area] = {}
        problems = []
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            ons_area = next((h for h in header if h == "oslaua" or (h.startswith("lad") and h.endswith("cd"))), None)
            if "pcds" in header and ons_area:
                for row in reader:
                    row = {k.strip().lower(): (v or "").strip() for k, v in row.items()}
                    if row["pcds"] and row[ons_area] in areas:
                        outward, _, inward = row["pcds"].upper().partition(" ")
                        prefixes[f"{outward} {inward[:1]}"] = areas[row[ons_area]]
            elif {"prefix", "area"} <= set(header):
                for number, row in enumerate(reader, start=2):
                    row = {k.strip().lower(): (v or "").strip() for k, v in row.items()}
                    if row["area"] not in areas:
                        problems.append(f"{path.name}, row {number}, column area: unknown area code '{row['area']}'.")
                    elif not row["prefix"]:
                        problems.append(f"{path.name}, row {number}, column prefix: enter a district or sector.")
                    else:
                        prefixes[row["prefix"].upper()] = areas[row["area"]]
            else:
                raise CommandError(
                    f"{path.name}: expected columns prefix,area or the ONS postcode directory's pcds and oslaua."
                )
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.")
        changed = services.postcode_areas_set(prefixes=prefixes, actor=self._actor("import-areas"))
        self.stdout.write(self.style.SUCCESS(f"{len(prefixes)} postcode prefixes read, {changed} added or changed."))

    def import_records(self, *, paths: list[Path], reason: str, **_):
        if find_control_character(reason) is not None:
            raise CommandError("--reason contains a control character; remove it.")
        known = set(Source.objects.values_list("code", flat=True))
        checked, problems = [], []
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path} does not exist.")
            try:
                rows = record_checks.read_table(path.name, path.read_bytes())
                checked += record_checks.check_rows(path.name, rows, known_sources=known, today=timezone.localdate())
            except record_checks.RecordsRefused as refused:
                problems += refused.errors
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.")
        report = services.records_receive(
            checked,
            actor=self._actor("import"),
            origin="command",
            file_name=", ".join(p.name for p in paths),
            reason=reason,
        )
        counts = report.imported.counts
        self.stdout.write(
            f"{counts['created']} new, {counts['updated']} updated, {counts['unchanged']} unchanged "
            f"({counts['invalid_nhs_numbers']} NHS numbers failed their check digit: kept, not used to link)."
        )
        for line in services.flagged_cells_lines(report.imported):
            self.stdout.write(self.style.WARNING(line))
        matched = report.matched
        if matched.not_matched_no_model or matched.left_for_full_run:
            self.stdout.write("Not linked yet: run 'safeguarding children link'.")
        else:
            self.stdout.write(
                f"Linked {matched.linked} to known children, {matched.new_children} new children, "
                f"{matched.queued_for_review} pairs for review."
            )
        self.stdout.write(self.style.SUCCESS("Imported."))

    def link(self, *, backend: str, reuse_model: bool, **_):
        try:
            run = services.linkage_run_start(
                actor=self._actor("link"), backend=backend, reuse_model=reuse_model, enqueue=False
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        bar = _ProgressBar(self.stdout)
        try:
            run = run_now(run, on_progress=bar.update)
        finally:
            bar.finish()
        report = run.report
        self.stdout.write(
            f"{report.get('records', 0)} records, {report.get('children', 0)} children "
            f"({report.get('new_children', 0)} new, {report.get('merged', 0)} merged, {report.get('split', 0)} split, "
            f"{report.get('records_moved', 0)} records moved); {report.get('review_pairs_added', 0)} pairs for review; "
            f"model {report.get('model_version', '')}; {report.get('seconds', 0)} s."
        )
        self.stdout.write(self.style.SUCCESS("Linked."))

    def fail_stale_runs(self, **_):
        failed = services.linkage_runs_fail_stale(actor=self._actor("fail-stale-runs"))
        for run in failed:
            self.stdout.write(f"Linkage run {run.pk}: {run.step}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(failed)} stale linkage run{'s' if len(failed) != 1 else ''} failed.")
        )

    def escalate_alerts(self, **_):
        # Moved to ``safeguarding moves escalate-alerts``; kept so existing daily jobs run on.
        # By command name, so the children area does not import the moves area.
        call_command("moves", "escalate-alerts", stdout=self.stdout, stderr=self.stderr)

    def export_links(self, *, path: Path, reason: str, **_):
        rows = (
            AgencyRecord.objects.order_by("source__code", "record_id")
            .values_list("source__code", "record_id", "child__reference")
            .iterator(chunk_size=5000)
        )
        count = 0
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["source", "record_id", "child_id"])
            for source, record_id, child in rows:
                writer.writerow([spreadsheet_safe(source), spreadsheet_safe(record_id), spreadsheet_safe(child or "")])
                count += 1
        # Which record is which child is child-level data: the export is recorded, with why.
        record_event(
            actor=self._actor("export-links"),
            action=AuditEvent.Action.EXPORT,
            details={"what": "record-to-child links", "rows": count, "file": path.name},
            purpose=reason,
        )
        self.stdout.write(self.style.SUCCESS(f"{count} links written to {path}."))

    def generate(self, *, path: Path, records: int, seed: int, truth: Path | None, **_):
        data = generate(records, seed=seed)
        write_csv(data, path)
        if truth:
            write_truth_csv(data, truth)
        self.stdout.write(self.style.SUCCESS(f"{len(data)} synthetic records written to {path}."))


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will show as text: one starting like a formula (=, +, -, @,
    tab, carriage return) gets an apostrophe in front. The links file is for people
    to open, and a record_id comes from partner systems (a token may send
    ``=HYPERLINK(...)``), so nothing in it may run as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


class _ProgressBar:
    """A one-line progress bar on a terminal; plain lines when not on one."""

    WIDTH = 30

    def __init__(self, out):
        self.out = out
        self.last_step = None
        self.tty = sys.stdout.isatty()

    def update(self, step: str, fraction: float) -> None:
        filled = int(self.WIDTH * min(max(fraction, 0), 1))
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction:4.0%} {step}"
        if self.tty:
            self.out.write("\r" + line.ljust(90), ending="")
            self.out.flush()
        elif step != self.last_step:
            self.out.write(line)
        self.last_step = step

    def finish(self) -> None:
        if self.tty:
            self.out.write("")
