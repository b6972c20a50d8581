"""Linkage runs (issue 13, defect 15): a run whose process was killed does not stay
"running" for ever (a heartbeat, and stale runs failed when a run is asked for or on the
command line), and two runs never go at once (refused, and a database constraint)."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding.children import records, services
from safeguarding.children.models import LinkageRun
from safeguarding.children.tasks import run_now
from safeguarding.core.models import AuditEvent
from tests.children.conftest import SYSTEM, TODAY
from tests.conftest import make_persona, sign_in


def _live(status="running", minutes_ago=0, heartbeat=True):
    when = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return LinkageRun.objects.create(
        started_by="worker", status=status, created_at=when, heartbeat_at=when if heartbeat else None
    )


def test_a_second_live_run_is_refused_by_the_service_and_by_the_database(db):
    first = services.linkage_run_start(actor=SYSTEM, enqueue=False)
    with pytest.raises(ValidationError, match=f"Linkage run {first.pk} is already queued"):
        services.linkage_run_start(actor=SYSTEM, enqueue=False)
    # Even past the check (two requests at the same moment), the database holds.
    for status in ("queued", "running"):
        with pytest.raises(IntegrityError), transaction.atomic():
            LinkageRun.objects.create(started_by="race", status=status, created_at=timezone.now())
    # Finished and failed runs are any number.
    LinkageRun.objects.create(started_by="old", status="finished", created_at=timezone.now())
    LinkageRun.objects.create(started_by="old", status="failed", created_at=timezone.now())
    LinkageRun.objects.create(started_by="old", status="failed", created_at=timezone.now())
    assert LinkageRun.objects.filter(status__in=["queued", "running"]).count() == 1


def test_the_page_and_the_command_line_say_a_run_is_already_going(sources, client):
    live = _live(minutes_ago=5)
    sign_in(client, make_persona("analyst"))
    response = client.post(reverse("children:run_start"), {"backend": "duckdb"}, follow=True)
    assert f"Linkage run {live.pk} is already running" in response.content.decode()
    with pytest.raises(CommandError, match=f"Linkage run {live.pk} is already running"):
        call_command("children", "link")
    assert LinkageRun.objects.count() == 1


def test_a_run_whose_process_died_is_failed_when_a_new_run_is_asked_for(db, settings):
    settings.LINKAGE_STALE_MINUTES = 30
    dead = _live(minutes_ago=31)
    new = services.linkage_run_start(actor=SYSTEM, enqueue=False)
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.step.startswith("Failed: no sign of life since")
    assert dead.finished_at is not None and new.status == "queued"
    event = AuditEvent.objects.get(object_type="children.linkagerun", object_id=str(dead.pk), action="update")
    assert event.changes["status"] == ["running", "failed"]


def test_a_queued_run_that_never_started_goes_stale_from_its_creation(db, settings):
    settings.LINKAGE_STALE_MINUTES = 10
    never = _live(status="queued", minutes_ago=11, heartbeat=False)
    services.linkage_run_start(actor=SYSTEM, enqueue=False)
    never.refresh_from_db()
    assert never.status == "failed"


def test_a_run_with_a_recent_heartbeat_is_left_alone(db, settings):
    settings.LINKAGE_STALE_MINUTES = 30
    alive = LinkageRun.objects.create(
        started_by="worker",
        status="running",
        created_at=timezone.now() - dt.timedelta(hours=5),  # a long run, still beating
        heartbeat_at=timezone.now() - dt.timedelta(minutes=29),
    )
    with pytest.raises(ValidationError, match="already running"):
        services.linkage_run_start(actor=SYSTEM, enqueue=False)
    alive.refresh_from_db()
    assert alive.status == "running"


def test_the_command_line_fails_stale_runs(db, settings, capsys):
    settings.LINKAGE_STALE_MINUTES = 30
    dead = _live(minutes_ago=45)
    call_command("children", "fail-stale-runs")
    out = capsys.readouterr().out
    assert f"Linkage run {dead.pk}: Failed: no sign of life" in out and "1 stale linkage run failed." in out
    dead.refresh_from_db()
    assert dead.status == "failed"
    call_command("children", "fail-stale-runs")
    assert "0 stale linkage runs failed." in capsys.readouterr().out


def test_a_run_beats_as_it_goes_and_a_run_no_longer_queued_is_not_started(sources):
    header = ",".join(records.COLUMNS) + "\n"
    rows = (
        "ns-csc,C1,Oliver,James,Kowalski,2014-02-03,M,9990000018,NS1 4AB,1 Mill Lane,2023-01-01\n"
        "sv-gp,G1,Ollie,,Kowalski,2014-02-03,M,999 000 0018,SV1 2CD,5 Quay Street,2026-08-01\n"
        "ns-csc,C2,Maja,,Kowalski,2016-07-09,F,,NS1 4AB,1 Mill Lane,2023-01-01\n"
    )
    checked = records.check_rows(
        "r.csv", records.read_table("r.csv", (header + rows).encode()), known_sources={"ns-csc", "sv-gp"}, today=TODAY
    )
    services.import_records(checked, actor=SYSTEM, origin="upload")
    beats = []

    def watch(step, fraction):
        beats.append(LinkageRun.objects.values_list("status", "heartbeat_at").get())

    run = run_now(services.linkage_run_start(actor=SYSTEM, enqueue=False), on_progress=watch)
    assert run.status == "finished" and run.heartbeat_at is not None
    assert beats and all(status == "running" and beat is not None for status, beat in beats)
    # A queued run failed as stale before the worker reached it is not run after all.
    failed = LinkageRun.objects.create(started_by="late", status="failed", created_at=timezone.now())
    assert run_now(failed).status == "failed" and failed.finished_at is None


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_the_stale_setting_must_be_a_positive_whole_number(value):
    env = {**os.environ, "DEBUG": "true", "SAFEGUARDING_LINKAGE_STALE_MINUTES": value}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SAFEGUARDING_LINKAGE_STALE_MINUTES" in result.stderr
    env["SAFEGUARDING_LINKAGE_STALE_MINUTES"] = "45"
    ok = subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.LINKAGE_STALE_MINUTES)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.stdout.strip() == "45", ok.stderr
