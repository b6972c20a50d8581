"""Building a report's figures, and publishing it, as tasks for the worker, with progress
on the report for its pages to show."""

from django.core.exceptions import ValidationError
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


def publish_now(report_id: int, actor, *, figures_out_of_date_understood: bool = False) -> Report:
    """Publish in this process (the worker), recording each step for the progress page;
    a finding of the check before publication, or any other refusal, is kept for the page
    to show instead of the progress."""
    from safeguarding.reports import services

    def progress(step: str, fraction: float) -> None:
        Report.objects.filter(pk=report_id).update(publish_step=step[:200], publish_progress=round(fraction, 3))

    mark = Report.objects.filter(pk=report_id).update
    mark(publish_status=Report.PublishStatus.RUNNING, publish_step="Starting")
    try:
        services.report_publish(
            report=Report.objects.get(pk=report_id),
            actor=actor,
            figures_out_of_date_understood=figures_out_of_date_understood,
            progress=progress,
        )
    except services.PublicationBlocked as blocked:
        mark(publish_status=Report.PublishStatus.BLOCKED, publish_step="Stopped", publish_problems=blocked.messages)
    except ValidationError as refused:
        mark(publish_status=Report.PublishStatus.FAILED, publish_step="Refused", publish_problems=refused.messages)
    except Exception as error:
        mark(
            publish_status=Report.PublishStatus.FAILED,
            publish_step="Failed",
            publish_problems=[f"Publishing failed: {error}"[:500]],
        )
        raise
    else:
        mark(publish_status=Report.PublishStatus.FINISHED, publish_step="Published", publish_progress=1)
    return Report.objects.get(pk=report_id)


@task()
def publish_report(report_id: int, actor_id: int | None, figures_out_of_date_understood: bool = False) -> str:
    from django.contrib.auth import get_user_model

    from safeguarding.core.audit import SystemActor

    actor = get_user_model().objects.get(pk=actor_id) if actor_id else SystemActor("worker")
    return publish_now(report_id, actor, figures_out_of_date_understood=figures_out_of_date_understood).publish_status
