"""End to end through the application: synthetic records checked, stored in the database,
linked, and given child IDs, as `safeguarding children import` and `link` do.

    .venv/bin/python bench/children_pipeline.py --records 100000
    .venv/bin/python bench/children_pipeline.py --records 46000 --mistyped-postcodes 300 --future-dobs 6 --no-link

The second is the extract of issue 14, item 10 (a few hundred postcodes mistyped as
agencies send them, a handful of dates of birth with a year typo in the future): every
record must be stored, with its wrong cells flagged by column, where the whole delivery
used to be refused.

Runs against a fresh SQLite database in a temporary folder (or DATABASE_URL if set), and
prints the time of each stage and the process's peak memory. bench/linkage.py measures
the linkage engine alone, beside the baselines; this measures what the database adds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_memory_gb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--mistyped-postcodes", type=int, default=0)
    parser.add_argument("--future-dobs", type=int, default=0)
    parser.add_argument("--no-link", action="store_true", help="stop after storing the records")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="bench-children-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SAFEGUARDING_HTTPS", "false")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from safeguarding.accounts.models import Area, Organisation
    from safeguarding.children import records, services
    from safeguarding.children.models import AgencyRecord, Child
    from safeguarding.children.tasks import run_now
    from safeguarding.core.audit import SystemActor
    from safeguarding.synthetic.generate import generate
    from safeguarding.synthetic.places import AREA_DISTRICTS, BOTH, SOURCES

    call_command("migrate", verbosity=0)
    actor = SystemActor("benchmark")
    areas = {key: Area.objects.create(code=f"E0699900{n}", name=key.title()) for n, key in enumerate(AREA_DISTRICTS, 1)}
    services.postcode_areas_set(
        prefixes={district: areas[key] for key, districts in AREA_DISTRICTS.items() for district in districts},
        actor=actor,
    )
    for source in SOURCES:
        organisation, _ = Organisation.objects.get_or_create(
            code=f"org-{source.code}", defaults={"name": source.organisation, "kind": "other", "standing": "other"}
        )
        services.source_register(
            code=source.code,
            name=source.organisation,
            organisation=organisation,
            kind=source.kind,
            areas=list(areas.values()) if source.area == BOTH else [areas[source.area]],
            actor=actor,
        )

    stages: list[tuple[str, float]] = []
    started = time.perf_counter()

    def stage(name: str, since: float) -> float:
        now = time.perf_counter()
        stages.append((name, now - since))
        return now

    t = time.perf_counter()
    data = generate(args.records, seed=args.seed)
    today = timezone.localdate()
    rows = [r for r in data.rows() if not r["date_of_birth"] or r["date_of_birth"] <= today.isoformat()]
    del data
    rng = random.Random(14)
    mistyped = ("NS1 9J", "SvV2 8AA", "NS 3RX")
    for i, row in enumerate(rng.sample([r for r in rows if r["postcode"]], args.mistyped_postcodes)):
        row["postcode"] = mistyped[i % len(mistyped)]
    for row in rng.sample([r for r in rows if r["date_of_birth"]], args.future_dobs):
        row["date_of_birth"] = (today + dt.timedelta(days=400)).isoformat()
    delivered = len(rows)
    t = stage("generate (not counted)", t)
    pipeline_start = t
    checked = records.check_rows("bench.csv", rows, known_sources={s.code for s in SOURCES}, today=today)
    del rows
    t = stage("check every row", t)
    report = services.import_records(checked, actor=actor, origin="command", file_name="bench.csv")
    del checked
    t = stage("store in the database", t)
    run = None
    if not args.no_link:
        run = run_now(services.linkage_run_start(actor=actor, enqueue=False))
        t = stage("link and give child IDs", t)
    total = t - pipeline_start
    print(f"delivered rows: {delivered:,}  stored records: {AgencyRecord.objects.count():,}")
    print(f"flagged cells by column: {dict(report.flagged_cells)}")

    print(f"records: {AgencyRecord.objects.count():,}  children: {Child.objects.filter(status='active').count():,}")
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    for name, seconds in stages:
        print(f"{name:32s} {seconds:8.1f} s")
    print(f"{'end to end (without generating)':32s} {total:8.1f} s")
    print(f"peak memory: {peak_memory_gb():.2f} GB; run report: {run.report if run else 'not linked'}")
    print(f"whole benchmark: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
