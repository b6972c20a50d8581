"""Full linkage runs as a task for the worker, with progress written to the run."""

from django.tasks import task
from django.utils import timezone

from safeguarding.children import matching
from safeguarding.children.models import LinkageRun


def run_now(run: LinkageRun, *, on_progress=None) -> LinkageRun:
    """Do a queued run in this process (the worker, or the command line), recording its
    progress as it goes so the page can show it (and telling ``on_progress`` too)."""
    last = [0.0]

    def progress(step: str, fraction: float) -> None:
        if on_progress:
            on_progress(step, fraction)
        if fraction - last[0] >= 0.01 or fraction >= 1:
            last[0] = fraction
            LinkageRun.objects.filter(pk=run.pk).update(step=step[:200], progress=round(fraction, 3))

    LinkageRun.objects.filter(pk=run.pk).update(status=LinkageRun.Status.RUNNING, step="Starting")
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
