"""Full linkage runs as a task for the worker, with progress and a heartbeat written to
the run (a run whose heartbeat stops is failed as stale: services.linkage_runs_fail_stale)."""

import time

from django.tasks import task
from django.utils import timezone

from safeguarding.children import matching
from safeguarding.children.models import LinkageRun

HEARTBEAT_SECONDS = 30


def run_now(run: LinkageRun, *, on_progress=None) -> LinkageRun:
    """Do a queued run in this process (the worker, or the command line), recording its
    progress as it goes so the page can show it (and telling ``on_progress`` too), and a
    heartbeat at least every ``HEARTBEAT_SECONDS`` that progress is reported. A run that is
    no longer queued (failed as stale while it waited, or done already) is left alone."""
    last = [0.0, time.monotonic()]

    def progress(step: str, fraction: float) -> None:
        if on_progress:
            on_progress(step, fraction)
        beat_due = time.monotonic() - last[1] >= HEARTBEAT_SECONDS
        if fraction - last[0] >= 0.01 or fraction >= 1 or beat_due:
            last[0], last[1] = fraction, time.monotonic()
            LinkageRun.objects.filter(pk=run.pk).update(
                step=step[:200], progress=round(fraction, 3), heartbeat_at=timezone.now()
            )

    started = LinkageRun.objects.filter(pk=run.pk, status=LinkageRun.Status.QUEUED).update(
        status=LinkageRun.Status.RUNNING, step="Starting", heartbeat_at=timezone.now()
    )
    if not started:
        run.refresh_from_db()
        return run
    try:
        report = matching.full_run(run, progress=progress)
    except Exception as error:
        LinkageRun.objects.filter(pk=run.pk).update(
            status=LinkageRun.Status.FAILED, step=f"Failed: {error}"[:200], finished_at=timezone.now()
        )
        raise
    LinkageRun.objects.filter(pk=run.pk).update(
        status=LinkageRun.Status.FINISHED,
        step="Finished",
        progress=1,
        finished_at=timezone.now(),
        report=report,
        model=run.model,
    )
    run.refresh_from_db()
    return run


@task()
def run_linkage(run_id: int) -> dict:
    return run_now(LinkageRun.objects.get(pk=run_id)).report
