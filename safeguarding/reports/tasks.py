"""Building a report's figures, as a task for the worker, with progress on the report for
its page to show. (Publishing's task is with the publishing service, in ``services``.)"""

from django.tasks import task
from django.utils import timezone

from safeguarding.reports.assembly import build_figures
from safeguarding.reports.models import Report


def build_now(report: Report, *, on_progress=None) -> Report:
    """Build in this process (the worker, or the demo loader), recording progress as it
    goes so the page can show it."""

    def progress(step: str, fraction: float) -> None:
        if on_progress:
            on_progress(step, fraction)
        Report.objects.filter(pk=report.pk).update(build_step=step[:200], build_progress=round(fraction, 3))

    started = timezone.now()
    Report.objects.filter(pk=report.pk).update(build_status=Report.BuildStatus.RUNNING, build_step="Starting")
    try:
        content = build_figures(report, progress=progress)
    except Exception as error:
        Report.objects.filter(pk=report.pk).update(
            build_status=Report.BuildStatus.FAILED, build_step=f"Failed: {error}"[:200]
        )
        raise
    Report.objects.filter(pk=report.pk).update(
        content=content,
        built_at=timezone.now(),
        figures_as_of=started,
        build_status=Report.BuildStatus.FINISHED,
        build_step="Built",
        build_progress=1,
    )
    report.refresh_from_db()
    return report


@task()
def build_report(report_id: int) -> str:
    return build_now(Report.objects.get(pk=report_id)).build_status
