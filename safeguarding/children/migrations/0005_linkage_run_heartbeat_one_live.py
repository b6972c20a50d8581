"""Linkage runs: a heartbeat from the process doing a run, and at most one live run
(issue 13, defect 15). Runs left live by a killed process before this migration are
marked failed, all but the newest, so that the constraint can be made."""

from django.db import migrations, models
from django.utils import timezone


def fail_all_but_newest_live_run(apps, schema_editor):
    LinkageRun = apps.get_model("children", "LinkageRun")
    live = LinkageRun.objects.filter(status__in=["queued", "running"]).order_by("-created_at", "-pk")
    newest = live.values_list("pk", flat=True).first()
    live.exclude(pk=newest).update(
        status="failed",
        step="Failed: left unfinished (found when runs were limited to one at a time)",
        finished_at=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0004_lookup_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="linkagerun",
            name="heartbeat_at",
            field=models.DateTimeField(
                blank=True, help_text="Last sign of life from the process doing the run.", null=True
            ),
        ),
        migrations.RunPython(fail_all_but_newest_live_run, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="linkagerun",
            constraint=models.UniqueConstraint(
                models.Value(1),
                condition=models.Q(("status__in", ["queued", "running"])),
                name="one_live_linkage_run",
            ),
        ),
    ]
